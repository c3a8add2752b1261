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

SMBW_HIDDEN int smbw_is_andx(uint8_t command);
int smbw_is_andx(uint8_t command) { return command_andx[command]; }

SMBW_API uint32_t smbw_header_pid(const smbw_header *h) {
  return ((uint32_t)h->pid_high << 16) | h->pid_low;
}

static const uint8_t smb_magic[4] = {0xFF, 'S', 'M', 'B'};

SMBW_API int smbw_header_decode(const uint8_t *p, size_t len, smbw_header *h, smbw_error *err) {
  if (SMBW_UNLIKELY(!p || !h)) return smbw_fail(err, SMBW_E_INVAL, 0, "header");
  if (SMBW_UNLIKELY(len < SMBW_HEADER_SIZE))
    return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "Header");
  if (SMBW_UNLIKELY(memcmp(p, smb_magic, 4) != 0))
    return smbw_fail(err, SMBW_E_HDR_PROTOCOL, 0, "Protocol");
  h->command = p[4];
  h->status = ld32(p + 5);
  h->flags = p[9];
  h->flags2 = ld16(p + 10);
  h->pid_high = ld16(p + 12);
  memcpy(h->signature, p + 14, 8);
  h->reserved = ld16(p + 22);
  h->tid = ld16(p + 24);
  h->pid_low = ld16(p + 26);
  h->uid = ld16(p + 28);
  h->mid = ld16(p + 30);
  return 0;
}

SMBW_API int smbw_header_encode(uint8_t *p, size_t cap, const smbw_header *h) {
  if (!h) return SMBW_E_INVAL;
  if (!p || cap < SMBW_HEADER_SIZE) return SMBW_E_NOSPACE;
  memcpy(p, smb_magic, 4);
  p[4] = h->command;
  st32(p + 5, h->status);
  p[9] = h->flags;
  st16(p + 10, h->flags2);
  st16(p + 12, h->pid_high);
  memcpy(p + 14, h->signature, 8);
  st16(p + 22, h->reserved);
  st16(p + 24, h->tid);
  st16(p + 26, h->pid_low);
  st16(p + 28, h->uid);
  st16(p + 30, h->mid);
  return 0;
}

SMBW_API int smbw_msg_decode(const uint8_t *buf, size_t len, smbw_msg *m, smbw_error *err) {
  if (SMBW_UNLIKELY(!m)) return smbw_fail(err, SMBW_E_INVAL, 0, "msg");
  if (SMBW_UNLIKELY(len > UINT32_MAX)) return smbw_fail(err, SMBW_E_RANGE, 0, "Length");
  int rc = smbw_header_decode(buf, len, &m->hdr, err);
  if (rc) return rc;
  m->data = buf;
  m->len = (uint32_t)len;
  return 0;
}
