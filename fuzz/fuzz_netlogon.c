/*
 * libFuzzer target: NETLOGON mailslot messages (netlogon.h).  The input is
 * one message (the mailslot data), placed against a guard page.
 *
 * Security model asserted:
 *  - decode never reads past the input (guard page) and writes its output
 *    only on success (a poisoned struct stays poisoned on failure); a
 *    failure names its code, a field and an offset inside the input;
 *  - a success: every view lies inside the input; the form is the one the
 *    opcode (and for the SAM responses the NtVersion) chooses;
 *  - re-encoding is byte-exact into a buffer of exactly the size (guard
 *    page after, canary before); the size query reports it; one byte less
 *    is NOSPACE with nothing written;
 *  - the visitor reports contiguous fields covering every byte, in order;
 *  - every DNS name the decoder gave expands (smbw_netlogon_name_text),
 *    with the size it reports, and never writes past the buffer given.
 */
#include "fuzz_common.h"

typedef struct vw {
  uint32_t next;
  int ok;
} vw;

static uint32_t fsize(const smbw_netlogon_field *f) {
  switch (f->kind) {
  case SMBW_NETLOGON_U8: return 1;
  case SMBW_NETLOGON_U16: return 2;
  case SMBW_NETLOGON_U32:
  case SMBW_NETLOGON_IPV4: return 4;
  case SMBW_NETLOGON_STR: return f->str.len + (f->str.enc == SMBW_STR_UTF16LE ? 2u : 1u);
  default: return f->bytes.len;
  }
}

static int on_field(void *ctx, const smbw_netlogon_field *f) {
  vw *w = ctx;
  if (f->offset != w->next || !f->name) w->ok = 0;
  w->next += fsize(f);
  return 0;
}

static void check_name(const uint8_t *p, size_t n, smbw_bytes v) {
  if (!v.len) return;
  CHECK(fz_inside(v.data, v.len, p, n));
  static char out[70000];
  size_t need = 0;
  int rc = smbw_netlogon_name_text(p, n, v, out, sizeof out, &need);
  CHECK(rc == 0); /* the decoder checked that it expands, within 255 bytes */
  if (rc == 0) {
    CHECK(need < sizeof out && out[need] == 0); /* label bytes are copied as they are, NULs too */
    char small[8];
    memset(small, 0x77, sizeof small);
    size_t need2 = 0;
    int r2 = smbw_netlogon_name_text(p, n, v, small, 5, &need2);
    CHECK(need2 == need && (r2 == 0) == (need < 5) && small[5] == 0x77);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  const uint8_t *p = fz_place(0, data, size);
  smbw_netlogon m, poison;
  memset(&m, 0x5A, sizeof m);
  poison = m;
  smbw_error err = {0, 0, NULL};
  int rc = smbw_netlogon_decode(size ? p : NULL, size, &m, &err);
  if (rc != 0) {
    CHECK(fz_err_ok(&err, rc, size));
    CHECK(memcmp(&m, &poison, sizeof m) == 0);
    return 0;
  }
  CHECK(smbw_netlogon_opcode_name(m.opcode) != NULL);
  CHECK(m.form >= SMBW_NETLOGON_PRIMARY_QUERY && m.form <= SMBW_NETLOGON_SAM_RESPONSE_EX);
  const smbw_bytes views[] = {m.pad, m.sid, m.domain_guid, m.null_guid, m.sockaddr, m.extra};
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
    CHECK(fz_inside(views[i].data, views[i].len, p, size));
  const smbw_str *strs[] = {&m.computer_name, &m.mailslot_name, &m.unicode_computer_name,
                            &m.user_name, &m.domain_name};
  for (size_t i = 0; i < 5; i++) {
    CHECK(fz_inside(strs[i]->data, strs[i]->len, p, size));
    char u[256];
    size_t need;
    (void)smbw_str_to_utf8(strs[i], u, sizeof u, &need);
  }
  const smbw_bytes names[] = {m.dns_forest_name, m.dns_domain_name, m.dns_host_name,
                              m.netbios_domain_name, m.netbios_computer_name, m.ex_user_name,
                              m.dc_site_name, m.client_site_name, m.next_closest_site_name};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) check_name(p, size, names[i]);
  if (m.sid.len) {
    smbw_sid s;
    CHECK(smbw_sid_decode(m.sid.data, m.sid.len, &s, NULL) == 0);
  }

  size_t need = 0;
  CHECK(smbw_netlogon_encode(NULL, 0, &m, &need) == SMBW_E_NOSPACE && need == size);
  uint8_t *o = fz_out(1, size);
  size_t len = 0;
  CHECK(smbw_netlogon_encode(o, size, &m, &len) == 0 && len == size);
  CHECK(memcmp(o, p, size) == 0 && fz_canary_ok(1, size));
  o = fz_out(1, size - 1);
  CHECK(smbw_netlogon_encode(o, size - 1, &m, &len) == SMBW_E_NOSPACE && len == size);
  for (size_t k = 0; k < size - 1; k++) CHECK(o[k] == 0xA5);
  CHECK(fz_canary_ok(1, size - 1));

  vw w = {0, 1};
  CHECK(smbw_netlogon_visit(&m, on_field, &w) == 0);
  CHECK(w.ok && w.next == size);
  return 0;
}
