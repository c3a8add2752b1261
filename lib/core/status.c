/*
 * status.c - names, formatting and DOS-to-NTSTATUS mapping for the SMB
 * header Status field.  See include/smbwire/status.h.
 *
 * Pure: const tables only, no allocation, no I/O, no libc calls.
 */
#include <smbwire/status.h>

/* ---- NTSTATUS names ---------------------------------------------------- */

/* Built from SMBW_NTSTATUS_LIST, which is kept in ascending value order
 * (checked by tests/test_status.c), so both arrays are sorted by value. */
static const uint32_t nt_values[] = {
#define SMBW_X_VALUE(name, value) value,
    SMBW_NTSTATUS_LIST(SMBW_X_VALUE)
#undef SMBW_X_VALUE
};

static const char *const nt_names[] = {
#define SMBW_X_NAME(name, value) "STATUS_" #name,
    SMBW_NTSTATUS_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
};

#define NT_COUNT (sizeof nt_values / sizeof nt_values[0])

_Static_assert(sizeof nt_names / sizeof nt_names[0] == NT_COUNT,
               "NTSTATUS value and name tables differ in length");

const char *smbw_ntstatus_name(uint32_t status) {
  size_t lo = 0;
  size_t hi = NT_COUNT;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint32_t v = nt_values[mid];
    if (v == status)
      return nt_names[mid];
    if (v < status)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}

/* ---- DOS classes and codes --------------------------------------------- */

const char *smbw_dos_class_name(uint8_t error_class) {
  switch (error_class) {
  case SMBW_DOS_CLASS_SUCCESS:
    return "SUCCESS";
  case SMBW_DOS_CLASS_ERRDOS:
    return "ERRDOS";
  case SMBW_DOS_CLASS_ERRSRV:
    return "ERRSRV";
  case SMBW_DOS_CLASS_ERRHRD:
    return "ERRHRD";
  case SMBW_DOS_CLASS_ERRCMD:
    return "ERRCMD";
  default:
    return NULL;
  }
}

typedef struct dos_entry {
  uint8_t error_class;
  uint16_t code;
  const char *name;
} dos_entry;

static const dos_entry dos_table[] = {
#define SMBW_X_DOS(cname, name, cls, code) {cls, code, #name},
    SMBW_DOS_ERROR_LIST(SMBW_X_DOS)
#undef SMBW_X_DOS
};

#define DOS_COUNT (sizeof dos_table / sizeof dos_table[0])

const char *smbw_dos_error_name(uint8_t error_class, uint16_t code) {
  size_t i;
  if (error_class == SMBW_DOS_CLASS_SUCCESS && code == 0)
    return "SUCCESS";
  for (i = 0; i < DOS_COUNT; i++) {
    if (dos_table[i].error_class == error_class && dos_table[i].code == code)
      return dos_table[i].name;
  }
  return NULL;
}

/* ---- DOS -> NTSTATUS ---------------------------------------------------- */

typedef struct dos_map {
  uint8_t error_class;
  uint16_t code;
  uint32_t status;
} dos_map;

/* [MS-CIFS] 2.2.2.4, one NTSTATUS per pair.  Pairs the table gives no
 * NTSTATUS for (ERRbadmcb, ERRbaddrive, ERRinvsess, ERRqeof, ERRseek, ...)
 * are absent and map to STATUS_UNSUCCESSFUL. */
static const dos_map dos_to_nt[] = {
    /* ERRDOS */
    {0x01, 0x0001, SMBW_STATUS_NOT_IMPLEMENTED},       /* ERRbadfunc */
    {0x01, 0x0002, SMBW_STATUS_OBJECT_NAME_NOT_FOUND}, /* ERRbadfile */
    {0x01, 0x0003, SMBW_STATUS_OBJECT_PATH_NOT_FOUND}, /* ERRbadpath */
    {0x01, 0x0004, SMBW_STATUS_TOO_MANY_OPENED_FILES}, /* ERRnofids */
    {0x01, 0x0005, SMBW_STATUS_ACCESS_DENIED},         /* ERRnoaccess */
    {0x01, 0x0006, SMBW_STATUS_INVALID_HANDLE},        /* ERRbadfid */
    {0x01, 0x0008, SMBW_STATUS_INSUFF_SERVER_RESOURCES}, /* ERRnomem */
    {0x01, 0x000C, SMBW_STATUS_OS2_INVALID_ACCESS},    /* ERRbadaccess */
    {0x01, 0x000D, SMBW_STATUS_DATA_ERROR},            /* ERRbaddata */
    {0x01, 0x0010, SMBW_STATUS_DIRECTORY_NOT_EMPTY},   /* ERRremcd */
    {0x01, 0x0011, SMBW_STATUS_NOT_SAME_DEVICE},       /* ERRdiffdevice */
    {0x01, 0x0012, SMBW_STATUS_NO_MORE_FILES},         /* ERRnofiles */
    {0x01, 0x001F, SMBW_STATUS_UNSUCCESSFUL},          /* ERRgeneral */
    {0x01, 0x0020, SMBW_STATUS_SHARING_VIOLATION},     /* ERRbadshare */
    {0x01, 0x0021, SMBW_STATUS_FILE_LOCK_CONFLICT},    /* ERRlock */
    {0x01, 0x0026, SMBW_STATUS_END_OF_FILE},           /* ERReof */
    {0x01, 0x0032, SMBW_STATUS_NOT_SUPPORTED},         /* ERRunsup */
    {0x01, 0x0040, SMBW_STATUS_NETWORK_NAME_DELETED},  /* ERRnetnamedel */
    {0x01, 0x0043, SMBW_STATUS_BAD_NETWORK_NAME},      /* ERRnosuchshare */
    {0x01, 0x0050, SMBW_STATUS_OBJECT_NAME_COLLISION}, /* ERRfilexists */
    {0x01, 0x0057, SMBW_STATUS_INVALID_PARAMETER},     /* ERRinvalidparam */
    {0x01, 0x0070, SMBW_STATUS_DISK_FULL},             /* ERROR_DISK_FULL */
    {0x01, 0x0071, SMBW_STATUS_OS2_NO_MORE_SIDS}, /* ERROR_NO_MORE_SEARCH_HANDLES */
    {0x01, 0x007A, SMBW_STATUS_BUFFER_TOO_SMALL}, /* ERRinsufficientbuffer */
    {0x01, 0x007B, SMBW_STATUS_OBJECT_NAME_INVALID},   /* ERRinvalidname */
    {0x01, 0x007C, SMBW_STATUS_OS2_INVALID_LEVEL},     /* ERRunknownlevel */
    {0x01, 0x0083, SMBW_STATUS_OS2_NEGATIVE_SEEK},     /* ERRinvalidseek */
    {0x01, 0x0091, SMBW_STATUS_DIRECTORY_NOT_EMPTY},   /* ERROR_DIR_NOT_EMPTY */
    {0x01, 0x009E, SMBW_STATUS_RANGE_NOT_LOCKED},      /* ERROR_NOT_LOCKED */
    {0x01, 0x00A1, SMBW_STATUS_OBJECT_PATH_INVALID},   /* ERRinvalidpath */
    {0x01, 0x00AD, SMBW_STATUS_OS2_CANCEL_VIOLATION},  /* ERROR_CANCEL_VIOLATION */
    {0x01, 0x00AE, SMBW_STATUS_OS2_ATOMIC_LOCKS_NOT_SUPPORTED},
    /* ERROR_ATOMIC_LOCKS_NOT_SUPPORTED */
    {0x01, 0x00B7, SMBW_STATUS_OBJECT_NAME_COLLISION}, /* ERRrename */
    {0x01, 0x00E6, SMBW_STATUS_INVALID_PIPE_STATE},    /* ERRbadpipe */
    {0x01, 0x00E7, SMBW_STATUS_PIPE_BUSY},             /* ERRpipebusy */
    {0x01, 0x00E8, SMBW_STATUS_PIPE_CLOSING},          /* ERRpipeclosing */
    {0x01, 0x00E9, SMBW_STATUS_PIPE_DISCONNECTED},     /* ERRnotconnected */
    {0x01, 0x00EA, SMBW_STATUS_BUFFER_OVERFLOW},       /* ERRmoredata */
    {0x01, 0x00FF, SMBW_STATUS_EA_TOO_LARGE},          /* ERRbadealist */
    {0x01, 0x0103, SMBW_STATUS_NO_MORE_ENTRIES},       /* ERRnomoreitems */
    {0x01, 0x010A, SMBW_STATUS_OS2_CANNOT_COPY},       /* ERROR_CANNOT_COPY */
    {0x01, 0x010B, SMBW_STATUS_NOT_A_DIRECTORY},       /* ERRbaddirectory */
    {0x01, 0x0113, SMBW_STATUS_EA_TOO_LARGE},          /* ERROR_EAS_DIDNT_FIT */
    {0x01, 0x011A, SMBW_STATUS_EAS_NOT_SUPPORTED},     /* ERROR_EAS_NOT_SUPPORTED */
    {0x01, 0x03E2, SMBW_STATUS_OS2_EA_ACCESS_DENIED},  /* ERROR_EA_ACCESS_DENIED */
    {0x01, 0x03FE, SMBW_STATUS_NOTIFY_ENUM_DIR},       /* ERR_NOTIFY_ENUM_DIR */
    {0x01, 0x052E, SMBW_STATUS_LOGON_FAILURE},         /* ERRlogonfailure */
    /* ERRSRV */
    {0x02, 0x0001, SMBW_STATUS_INVALID_SMB},           /* ERRerror */
    {0x02, 0x0002, SMBW_STATUS_LOGON_FAILURE},         /* ERRbadpw */
    {0x02, 0x0003, SMBW_STATUS_PATH_NOT_COVERED},      /* ERRbadpath */
    {0x02, 0x0004, SMBW_STATUS_NETWORK_ACCESS_DENIED}, /* ERRaccess */
    {0x02, 0x0005, SMBW_STATUS_SMB_BAD_TID},           /* ERRinvtid */
    {0x02, 0x0006, SMBW_STATUS_BAD_NETWORK_NAME},      /* ERRinvnetname */
    {0x02, 0x0007, SMBW_STATUS_BAD_DEVICE_TYPE},       /* ERRinvdevice */
    {0x02, 0x0016, SMBW_STATUS_SMB_BAD_COMMAND},       /* ERRbadcmd */
    {0x02, 0x0031, SMBW_STATUS_PRINT_QUEUE_FULL},      /* ERRqfull */
    {0x02, 0x0032, SMBW_STATUS_NO_SPOOL_SPACE},        /* ERRqtoobig */
    {0x02, 0x0034, SMBW_STATUS_PRINT_CANCELLED},       /* ERRinvpfid */
    {0x02, 0x0040, SMBW_STATUS_NOT_IMPLEMENTED},       /* ERRsmbcmd */
    {0x02, 0x0041, SMBW_STATUS_UNEXPECTED_NETWORK_ERROR}, /* ERRsrverror */
    {0x02, 0x0045, SMBW_STATUS_NETWORK_ACCESS_DENIED}, /* ERRbadpermits */
    {0x02, 0x0058, SMBW_STATUS_IO_TIMEOUT},            /* ERRtimeout */
    {0x02, 0x0059, SMBW_STATUS_REQUEST_NOT_ACCEPTED},  /* ERRnoresource */
    {0x02, 0x005A, SMBW_STATUS_TOO_MANY_SESSIONS},     /* ERRtoomanyuids */
    {0x02, 0x005B, SMBW_STATUS_SMB_BAD_UID},           /* ERRbaduid */
    {0x02, 0x00E9, SMBW_STATUS_PIPE_DISCONNECTED},     /* ERRnotconnected */
    {0x02, 0x00FA, SMBW_STATUS_SMB_USE_MPX},           /* ERRusempx */
    {0x02, 0x00FB, SMBW_STATUS_SMB_USE_STANDARD},      /* ERRusestd */
    {0x02, 0x00FC, SMBW_STATUS_SMB_CONTINUE_MPX},      /* ERRcontmpx */
    {0x02, 0x08BF, SMBW_STATUS_ACCOUNT_EXPIRED},       /* ERRaccountExpired */
    {0x02, 0x08C0, SMBW_STATUS_INVALID_WORKSTATION},   /* ERRbadClient */
    {0x02, 0x08C1, SMBW_STATUS_INVALID_LOGON_HOURS},   /* ERRbadLogonTime */
    {0x02, 0x08C2, SMBW_STATUS_PASSWORD_EXPIRED},      /* ERRpasswordExpired */
    {0x02, 0xFFFF, SMBW_STATUS_SMB_NO_SUPPORT},        /* ERRnosupport */
    /* ERRHRD */
    {0x03, 0x0013, SMBW_STATUS_MEDIA_WRITE_PROTECTED}, /* ERRnowrite */
    {0x03, 0x0015, SMBW_STATUS_NO_MEDIA_IN_DEVICE},    /* ERRnotready */
    {0x03, 0x0016, SMBW_STATUS_INVALID_DEVICE_STATE},  /* ERRbadcmd */
    {0x03, 0x0017, SMBW_STATUS_DATA_ERROR},            /* ERRdata */
    {0x03, 0x0018, SMBW_STATUS_DATA_ERROR},            /* ERRbadreq */
    {0x03, 0x001A, SMBW_STATUS_DISK_CORRUPT_ERROR},    /* ERRbadmedia */
    {0x03, 0x001B, SMBW_STATUS_NONEXISTENT_SECTOR},    /* ERRbadsector */
    {0x03, 0x001C, SMBW_STATUS_DEVICE_PAPER_EMPTY},    /* ERRnopaper */
    {0x03, 0x001F, SMBW_STATUS_UNSUCCESSFUL},          /* ERRgeneral */
    {0x03, 0x0020, SMBW_STATUS_SHARING_VIOLATION},     /* ERRbadshare */
    {0x03, 0x0021, SMBW_STATUS_FILE_LOCK_CONFLICT},    /* ERRlock */
    {0x03, 0x0022, SMBW_STATUS_WRONG_VOLUME},          /* ERRwrongdisk */
    {0x03, 0x0027, SMBW_STATUS_DISK_FULL},             /* ERRdiskfull */
};

#define MAP_COUNT (sizeof dos_to_nt / sizeof dos_to_nt[0])

uint32_t smbw_dos_to_ntstatus(uint8_t error_class, uint16_t code) {
  size_t i;
  if (error_class == SMBW_DOS_CLASS_SUCCESS)
    return SMBW_STATUS_SUCCESS;
  for (i = 0; i < MAP_COUNT; i++) {
    if (dos_to_nt[i].error_class == error_class && dos_to_nt[i].code == code)
      return dos_to_nt[i].status;
  }
  return SMBW_STATUS_UNSUCCESSFUL;
}

/* ---- formatting ---------------------------------------------------------- */

/* Bounded writer: counts every byte it is asked to write, stores only the
 * ones that leave room for the terminating NUL. */
typedef struct out_buf {
  char *dst;
  size_t cap;
  size_t len;
} out_buf;

static void out_char(out_buf *o, char c) {
  if (o->len + 1 < o->cap)
    o->dst[o->len] = c;
  o->len++;
}

static void out_str(out_buf *o, const char *s) {
  while (*s != '\0')
    out_char(o, *s++);
}

/* "0x" followed by exactly `digits` upper-case hex digits of v. */
static void out_hex(out_buf *o, uint32_t v, unsigned digits) {
  static const char hex[] = "0123456789ABCDEF";
  out_str(o, "0x");
  while (digits > 0) {
    digits--;
    out_char(o, hex[(v >> (digits * 4u)) & 0xFu]);
  }
}

int smbw_status_format(uint32_t status, int nt_status, char *dst,
                       size_t cap) {
  out_buf o;
  o.dst = dst;
  o.cap = (dst != NULL) ? cap : 0;
  o.len = 0;

  if (nt_status) {
    const char *name = smbw_ntstatus_name(status);
    if (name != NULL) {
      out_str(&o, name);
    } else {
      out_str(&o, "STATUS_");
      out_hex(&o, status, 8);
    }
  } else {
    uint8_t cls = (uint8_t)(status & 0xFFu);
    uint16_t code = (uint16_t)(status >> 16);
    const char *cname = smbw_dos_class_name(cls);
    if (cls == SMBW_DOS_CLASS_SUCCESS && code == 0) {
      out_str(&o, "SUCCESS");
    } else {
      const char *ename = (cname != NULL) ? smbw_dos_error_name(cls, code)
                                          : NULL;
      if (cname != NULL)
        out_str(&o, cname);
      else
        out_hex(&o, cls, 2);
      out_char(&o, '/');
      if (ename != NULL)
        out_str(&o, ename);
      else
        out_hex(&o, code, 4);
    }
  }

  if (o.cap > 0)
    o.dst[(o.len < o.cap) ? o.len : o.cap - 1] = '\0';
  return (int)o.len;
}
