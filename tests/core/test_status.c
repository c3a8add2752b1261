/*
 * test_status.c - tests for include/smbwire/status.h (lib/core/status.c).
 */
#include <smbwire/status.h>

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_helpers.h"

/* ---- compile-time: every SMBW_STATUS_##NAME equals its list value ------- */

#define CHECK_MACRO_STATIC(name, value)                                        \
  _Static_assert(SMBW_STATUS_##name == (value),                               \
                 "SMBW_STATUS_" #name " disagrees with SMBW_NTSTATUS_LIST");
SMBW_NTSTATUS_LIST(CHECK_MACRO_STATIC)
#undef CHECK_MACRO_STATIC

/* ---- tables built from the lists ---------------------------------------- */

typedef struct nt_item {
  const char *name; /* with the STATUS_ prefix */
  uint32_t value;
  uint32_t macro; /* SMBW_STATUS_##NAME */
} nt_item;

static const nt_item nt_items[] = {
#define NT_ITEM(name, value) {"STATUS_" #name, value, SMBW_STATUS_##name},
    SMBW_NTSTATUS_LIST(NT_ITEM)
#undef NT_ITEM
};
#define NT_N (sizeof nt_items / sizeof nt_items[0])

typedef struct dos_item {
  const char *class_name;
  const char *name;
  unsigned error_class;
  unsigned code;
} dos_item;

static const dos_item dos_items[] = {
#define DOS_ITEM(cname, name, cls, code) {#cname, #name, cls, code},
    SMBW_DOS_ERROR_LIST(DOS_ITEM)
#undef DOS_ITEM
};
#define DOS_N (sizeof dos_items / sizeof dos_items[0])

/* ---- NTSTATUS list ------------------------------------------------------- */

START_TEST(test_nt_count) {
  ck_assert_uint_ge(NT_N, 200);
}
END_TEST

START_TEST(test_nt_roundtrip) {
  size_t i;
  for (i = 0; i < NT_N; i++) {
    const char *n = smbw_ntstatus_name(nt_items[i].value);
    ck_assert_msg(n != NULL, "no name for 0x%08X", (unsigned)nt_items[i].value);
    ck_assert_str_eq(n, nt_items[i].name);
  }
}
END_TEST

START_TEST(test_nt_sorted_unique) {
  size_t i, j;
  for (i = 1; i < NT_N; i++)
    ck_assert_msg(nt_items[i - 1].value < nt_items[i].value,
                  "%s (0x%08X) not below %s (0x%08X)", nt_items[i - 1].name,
                  (unsigned)nt_items[i - 1].value, nt_items[i].name,
                  (unsigned)nt_items[i].value);
  for (i = 0; i < NT_N; i++)
    for (j = i + 1; j < NT_N; j++)
      ck_assert_msg(strcmp(nt_items[i].name, nt_items[j].name) != 0,
                    "duplicate name %s", nt_items[i].name);
}
END_TEST

START_TEST(test_nt_macros_agree) {
  size_t i;
  for (i = 0; i < NT_N; i++)
    ck_assert_msg(nt_items[i].macro == nt_items[i].value,
                  "SMBW_%s disagrees with the list", nt_items[i].name);
}
END_TEST

START_TEST(test_nt_known_values) {
  ck_assert_uint_eq(SMBW_STATUS_SUCCESS, 0x00000000u);
  ck_assert_uint_eq(SMBW_STATUS_ACCESS_DENIED, 0xC0000022u);
  ck_assert_uint_eq(SMBW_STATUS_LOGON_FAILURE, 0xC000006Du);
  ck_assert_uint_eq(SMBW_STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034u);
  ck_assert_uint_eq(SMBW_STATUS_MORE_PROCESSING_REQUIRED, 0xC0000016u);
  ck_assert_uint_eq(SMBW_STATUS_BAD_NETWORK_NAME, 0xC00000CCu);
  ck_assert_uint_eq(SMBW_STATUS_NO_SUCH_FILE, 0xC000000Fu);
  ck_assert_uint_eq(SMBW_STATUS_END_OF_FILE, 0xC0000011u);
  ck_assert_uint_eq(SMBW_STATUS_INVALID_SMB, 0x00010002u);
  ck_assert_uint_eq(SMBW_STATUS_SMB_BAD_TID, 0x00050002u);
  ck_assert_uint_eq(SMBW_STATUS_SMB_BAD_UID, 0x005B0002u);
  ck_assert_uint_eq(SMBW_STATUS_SMB_BAD_COMMAND, 0x00160002u);
  ck_assert_uint_eq(SMBW_STATUS_BUFFER_OVERFLOW, 0x80000005u);
  ck_assert_uint_eq(SMBW_STATUS_NO_MORE_FILES, 0x80000006u);
  ck_assert_uint_eq(SMBW_STATUS_PENDING, 0x00000103u);
  ck_assert_uint_eq(SMBW_STATUS_NOTIFY_ENUM_DIR, 0x0000010Cu);
  ck_assert_uint_eq(SMBW_STATUS_UNSUCCESSFUL, 0xC0000001u);
  ck_assert_uint_eq(SMBW_STATUS_INVALID_HANDLE, 0xC0000008u);
  ck_assert_uint_eq(SMBW_STATUS_INVALID_PARAMETER, 0xC000000Du);
  ck_assert_uint_eq(SMBW_STATUS_OBJECT_NAME_COLLISION, 0xC0000035u);
  ck_assert_uint_eq(SMBW_STATUS_OBJECT_PATH_NOT_FOUND, 0xC000003Au);
  ck_assert_uint_eq(SMBW_STATUS_SHARING_VIOLATION, 0xC0000043u);
  ck_assert_uint_eq(SMBW_STATUS_NETWORK_NAME_DELETED, 0xC00000C9u);
  ck_assert_uint_eq(SMBW_STATUS_NOT_SUPPORTED, 0xC00000BBu);
  ck_assert_uint_eq(SMBW_STATUS_USER_SESSION_DELETED, 0xC0000203u);
  ck_assert_uint_eq(SMBW_STATUS_PATH_NOT_COVERED, 0xC0000257u);

  ck_assert_str_eq(smbw_ntstatus_name(0xC0000022u), "STATUS_ACCESS_DENIED");
  ck_assert_str_eq(smbw_ntstatus_name(0x00000000u), "STATUS_SUCCESS");
  ck_assert_str_eq(smbw_ntstatus_name(0x00010002u), "STATUS_INVALID_SMB");
  ck_assert_str_eq(smbw_ntstatus_name(0xFFFF0002u), "STATUS_SMB_NO_SUPPORT");
}
END_TEST

START_TEST(test_nt_unknown) {
  size_t i;
  ck_assert_ptr_null(smbw_ntstatus_name(0xC0FFEE00u));
  ck_assert_ptr_null(smbw_ntstatus_name(0xFFFFFFFFu));
  ck_assert_ptr_null(smbw_ntstatus_name(0x00000001u));
  /* Neighbours of listed values that are themselves not listed. */
  for (i = 0; i < NT_N; i++) {
    uint32_t v = nt_items[i].value + 1u;
    if (i + 1 < NT_N && nt_items[i + 1].value == v)
      continue;
    if (v == 0)
      continue;
    ck_assert_ptr_null(smbw_ntstatus_name(v));
  }
}
END_TEST

/* ---- DOS list ------------------------------------------------------------ */

START_TEST(test_dos_classes) {
  CHECK_NAMES(smbw_dos_class_name, {0x00, "SUCCESS"}, {0x01, "ERRDOS"}, {0x02, "ERRSRV"},
              {0x03, "ERRHRD"}, {0xFF, "ERRCMD"}, {0x04, NULL}, {0x80, NULL}, {0xFE, NULL});
}
END_TEST

START_TEST(test_dos_list) {
  size_t i;
  ck_assert_uint_ge(DOS_N, 90);
  for (i = 0; i < DOS_N; i++) {
    const dos_item *d = &dos_items[i];
    const char *n;
    ck_assert_uint_le(d->error_class, 0xFF);
    ck_assert_uint_le(d->code, 0xFFFF);
    ck_assert_str_eq(smbw_dos_class_name((uint8_t)d->error_class),
                     d->class_name);
    n = smbw_dos_error_name((uint8_t)d->error_class, (uint16_t)d->code);
    ck_assert_msg(n != NULL, "no name for %s/0x%04X", d->class_name, d->code);
    ck_assert_str_eq(n, d->name);
    /* sorted by (class, code), hence unique */
    if (i > 0) {
      const dos_item *p = &dos_items[i - 1];
      ck_assert_msg(p->error_class < d->error_class ||
                        (p->error_class == d->error_class && p->code < d->code),
                    "%s/%s out of order", d->class_name, d->name);
    }
  }
}
END_TEST

START_TEST(test_dos_names) {
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x0002), "ERRbadfile");
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x0003), "ERRbadpath");
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x0005), "ERRnoaccess");
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x0012), "ERRnofiles");
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x0020), "ERRbadshare");
  ck_assert_str_eq(smbw_dos_error_name(0x01, 0x00E7), "ERRpipebusy");
  ck_assert_str_eq(smbw_dos_error_name(0x02, 0x0002), "ERRbadpw");
  ck_assert_str_eq(smbw_dos_error_name(0x02, 0x0003), "ERRbadpath");
  ck_assert_str_eq(smbw_dos_error_name(0x02, 0x0005), "ERRinvtid");
  ck_assert_str_eq(smbw_dos_error_name(0x02, 0x005B), "ERRbaduid");
  ck_assert_str_eq(smbw_dos_error_name(0x02, 0xFFFF), "ERRnosupport");
  ck_assert_str_eq(smbw_dos_error_name(0x03, 0x0013), "ERRnowrite");
  ck_assert_str_eq(smbw_dos_error_name(0x03, 0x0027), "ERRdiskfull");
  ck_assert_str_eq(smbw_dos_error_name(0x00, 0x0000), "SUCCESS");
  ck_assert_ptr_null(smbw_dos_error_name(0x01, 0x0000));
  ck_assert_ptr_null(smbw_dos_error_name(0x01, 0x0E00));
  ck_assert_ptr_null(smbw_dos_error_name(0x03, 0x0001));
  ck_assert_ptr_null(smbw_dos_error_name(0x00, 0x0001));
  ck_assert_ptr_null(smbw_dos_error_name(0xFF, 0x0001));
  ck_assert_ptr_null(smbw_dos_error_name(0x07, 0x0002));
}
END_TEST

/* ---- DOS -> NTSTATUS ------------------------------------------------------ */

START_TEST(test_dos_to_nt) {
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0002),
                    SMBW_STATUS_OBJECT_NAME_NOT_FOUND);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0003),
                    SMBW_STATUS_OBJECT_PATH_NOT_FOUND);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0005),
                    SMBW_STATUS_ACCESS_DENIED);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0006),
                    SMBW_STATUS_INVALID_HANDLE);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0012),
                    SMBW_STATUS_NO_MORE_FILES);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0020),
                    SMBW_STATUS_SHARING_VIOLATION);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0021),
                    SMBW_STATUS_FILE_LOCK_CONFLICT);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0050),
                    SMBW_STATUS_OBJECT_NAME_COLLISION);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0057),
                    SMBW_STATUS_INVALID_PARAMETER);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x00EA),
                    SMBW_STATUS_BUFFER_OVERFLOW);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x0001),
                    SMBW_STATUS_INVALID_SMB);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x0002),
                    SMBW_STATUS_LOGON_FAILURE);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x0005),
                    SMBW_STATUS_SMB_BAD_TID);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x0006),
                    SMBW_STATUS_BAD_NETWORK_NAME);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x0016),
                    SMBW_STATUS_SMB_BAD_COMMAND);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x02, 0x005B),
                    SMBW_STATUS_SMB_BAD_UID);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x03, 0x0027), SMBW_STATUS_DISK_FULL);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x03, 0x0013),
                    SMBW_STATUS_MEDIA_WRITE_PROTECTED);
  /* class 0 is success whatever the code */
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x00, 0x0000), 0u);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x00, 0x1234), 0u);
  /* unmapped */
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x0007),
                    SMBW_STATUS_UNSUCCESSFUL); /* ERRbadmcb */
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x01, 0x7777),
                    SMBW_STATUS_UNSUCCESSFUL);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0xFF, 0x0001),
                    SMBW_STATUS_UNSUCCESSFUL);
  ck_assert_uint_eq(smbw_dos_to_ntstatus(0x42, 0x0002),
                    SMBW_STATUS_UNSUCCESSFUL);
}
END_TEST

/* Every mapping lands on a named NTSTATUS, and only listed pairs map.
 * Scans all classes and every code up to 0x1000 plus 0xFFFF; plain ifs keep
 * Check's per-assert bookkeeping out of the hot loop. */
static void check_pair(unsigned cls, unsigned code, size_t *mapped) {
  uint32_t s = smbw_dos_to_ntstatus((uint8_t)cls, (uint16_t)code);
  if (smbw_ntstatus_name(s) == NULL)
    ck_abort_msg("0x%02X/0x%04X maps to unnamed 0x%08X", cls, code,
                 (unsigned)s);
  if (s != SMBW_STATUS_UNSUCCESSFUL) {
    (*mapped)++;
    if (smbw_dos_error_name((uint8_t)cls, (uint16_t)code) == NULL)
      ck_abort_msg("0x%02X/0x%04X mapped but not named", cls, code);
  }
}

START_TEST(test_dos_to_nt_targets_named) {
  unsigned cls, code;
  size_t mapped = 0;
  for (cls = 1; cls <= 0xFF; cls++) {
    for (code = 0; code <= 0x1000; code++)
      check_pair(cls, code, &mapped);
    check_pair(cls, 0xFFFF, &mapped);
  }
  ck_assert_uint_ge(mapped, 70);
}
END_TEST

/* ---- formatting ------------------------------------------------------------ */

#define CANARY 0xA5
#define BUFSZ 128

/* Format with every capacity from 0 to full length + 2 and check the
 * snprintf contract, the NUL and the canary bytes past cap. */
static void check_format(uint32_t status, int nt, const char *want) {
  char buf[BUFSZ];
  size_t want_len = strlen(want);
  size_t cap, k;
  int r;

  ck_assert_uint_lt(want_len + 3, BUFSZ);
  r = smbw_status_format(status, nt, NULL, 0);
  ck_assert_int_eq(r, (int)want_len);

  for (cap = 0; cap <= want_len + 2; cap++) {
    memset(buf, CANARY, sizeof buf);
    r = smbw_status_format(status, nt, buf, cap);
    ck_assert_int_eq(r, (int)want_len);
    for (k = cap; k < BUFSZ; k++)
      ck_assert_msg((unsigned char)buf[k] == CANARY,
                    "byte %u written with cap %u for %s", (unsigned)k,
                    (unsigned)cap, want);
    if (cap > 0) {
      size_t n = (want_len < cap - 1) ? want_len : cap - 1;
      ck_assert_int_eq(memcmp(buf, want, n), 0);
      ck_assert_int_eq(buf[n], '\0');
    }
  }
  memset(buf, CANARY, sizeof buf);
  smbw_status_format(status, nt, buf, sizeof buf);
  ck_assert_str_eq(buf, want);
}

/* smbw_status_format() of NT statuses (nt 1; 7 and -1: any non-zero) and
   DOS class/code pairs (nt 0). */
static const struct {
  uint32_t status;
  int nt;
  const char *want;
} formats[] = {
    {0xC0000022u, 1, "STATUS_ACCESS_DENIED"},
    {0x00000000u, 1, "STATUS_SUCCESS"},
    {0x00010002u, 1, "STATUS_INVALID_SMB"},
    {0xC0000016u, 7, "STATUS_MORE_PROCESSING_REQUIRED"},
    {0xC0FFEE00u, 1, "STATUS_0xC0FFEE00"},
    {0x00000001u, 1, "STATUS_0x00000001"},
    {0xFFFFFFFFu, -1, "STATUS_0xFFFFFFFF"},
    {0xC00000ABu, 1, "STATUS_INSTANCE_NOT_AVAILABLE"},
    {0x00020001u, 0, "ERRDOS/ERRbadfile"},
    {0x00020001u | 0x0000FF00u, 0, "ERRDOS/ERRbadfile"},
    {0x005B0002u, 0, "ERRSRV/ERRbaduid"},
    {0x00270003u, 0, "ERRHRD/ERRdiskfull"},
    {0x00000000u, 0, "SUCCESS"},
    {0x00050000u, 0, "SUCCESS/0x0005"},
    {0x77770001u, 0, "ERRDOS/0x7777"},
    {0x000100FFu, 0, "ERRCMD/0x0001"},
    {0x00020004u, 0, "0x04/0x0002"},
    {0xABCD00E0u, 0, "0xE0/0xABCD"},
    {0xFFFF0002u, 0, "ERRSRV/ERRnosupport"},
};

static void check_formats(int nt) {
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if ((formats[i].nt != 0) == nt) check_format(formats[i].status, formats[i].nt, formats[i].want);
}

START_TEST(test_format_nt) { check_formats(1); }
END_TEST

START_TEST(test_format_dos) { check_formats(0); }
END_TEST

START_TEST(test_format_every_listed) {
  size_t i;
  char buf[BUFSZ];
  for (i = 0; i < NT_N; i++) {
    int r = smbw_status_format(nt_items[i].value, 1, buf, sizeof buf);
    ck_assert_int_eq(r, (int)strlen(nt_items[i].name));
    ck_assert_str_eq(buf, nt_items[i].name);
  }
  for (i = 0; i < DOS_N; i++) {
    uint32_t s = ((uint32_t)dos_items[i].code << 16) | dos_items[i].error_class;
    size_t cl = strlen(dos_items[i].class_name);
    smbw_status_format(s, 0, buf, sizeof buf);
    ck_assert_int_eq(memcmp(buf, dos_items[i].class_name, cl), 0);
    ck_assert_int_eq(buf[cl], '/');
    ck_assert_str_eq(buf + cl + 1, dos_items[i].name);
  }
}
END_TEST

/* ---- runner ------------------------------------------------------------- */

int main(void) {
  Suite *s = suite_create("status");
  add_tcase(s, "ntstatus", 0, TESTS(test_nt_count, test_nt_roundtrip, test_nt_sorted_unique,
                                    test_nt_macros_agree, test_nt_known_values, test_nt_unknown));
  add_tcase(s, "dos", 0, TESTS(test_dos_classes, test_dos_list, test_dos_names, test_dos_to_nt,
                               test_dos_to_nt_targets_named));
  add_tcase(s, "format", 0, TESTS(test_format_nt, test_format_dos, test_format_every_listed));
  return run_suite(s);
}
