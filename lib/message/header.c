/* The SMB1 header (MS-CIFS 2.2.3.1) and the command table. */
#include "../core/internal.h"

/* One table, generated from SMBW_COMMAND_LIST: name and AndX-ness. */
static const char *const command_names[256] = {
#define SMBW_X_NAME(name, code, andx) [code] = "SMB_COM_" #name,
    SMBW_COMMAND_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
};

static const uint8_t command_andx[256] = {
#define SMBW_X_ANDX(name, code, andx) [code] = andx,
    SMBW_COMMAND_LIST(SMBW_X_ANDX)
#undef SMBW_X_ANDX
};

SMBW_API const char *smbw_command_name(uint8_t command) { return command_names[command]; }

SMBW_API int smbw_command_is_andx(uint8_t command) { return command_andx[command]; }

SMBW_API uint32_t smbw_header_pid(const smbw_header *h) {
  return ((uint32_t)h->pid_high << 16) | h->pid_low;
}

SMBW_API int smbw_header_decode(const uint8_t *p, size_t len, smbw_header *h, smbw_error *err) {
  if (SMBW_UNLIKELY(!p || !h)) return smbw_fail(err, SMBW_E_INVAL, 0, "header");
  return smbw_header_check(p, len, h, err);
}

SMBW_API int smbw_header_encode(uint8_t *p, size_t cap, const smbw_header *h) {
  if (!h) return SMBW_E_INVAL;
  if (!p || cap < SMBW_HEADER_SIZE) return SMBW_E_NOSPACE;
  smbw_header_write(p, h);
  return 0;
}

SMBW_API int smbw_msg_decode(const uint8_t *buf, size_t len, smbw_msg *m, smbw_error *err) {
  if (SMBW_UNLIKELY(!m)) return smbw_fail(err, SMBW_E_INVAL, 0, "msg");
  if (SMBW_UNLIKELY(len > UINT32_MAX)) return smbw_fail(err, SMBW_E_RANGE, 0, "Length");
  if (SMBW_UNLIKELY(!buf)) return smbw_fail(err, SMBW_E_INVAL, 0, "header");
  int rc = smbw_header_check(buf, len, &m->hdr, err);
  if (SMBW_UNLIKELY(rc)) return rc;
  m->data = buf;
  m->len = (uint32_t)len;
  return 0;
}
