/*
 * libFuzzer target: the NetBIOS datagram service (dgram.h).  The input is
 * one UDP payload, placed against a guard page.
 *
 * Security model asserted:
 *  - decode never reads past the input (guard page) and writes its output
 *    only on success (a poisoned struct stays poisoned on failure);
 *  - a failure names its code, a field and an offset inside the input;
 *  - a success: the views (names' scopes, user data) lie inside the input;
 *    DGM_LENGTH is the size after PACKET_OFFSET; members the type does
 *    not carry are zero;
 *  - re-encoding is byte-exact into a buffer of exactly the size (guard
 *    page after, canary before); the size query reports that size; one
 *    byte less is NOSPACE with nothing written;
 *  - when the input is a mailslot datagram, its user data goes through
 *    smbw_msg_decode(), the AndX walk and smbw_trans_req_decode() (no
 *    crash, views inside the data).
 */
#include "fuzz_common.h"

static void check_name(const smbw_nb_name *nm, const uint8_t *p, size_t n) {
  CHECK(fz_inside(nm->scope.data, nm->scope.len, p, n));
  CHECK(nm->scope.len <= 254);
  char out[16], text[300];
  CHECK(smbw_nb_name_get(nm, out) <= 15);
  CHECK(smbw_nb_scope_to_text(nm->scope, text, sizeof text, NULL) == 0);
}

static void check_smb(smbw_bytes data) {
  smbw_msg m;
  smbw_error err;
  if (smbw_msg_decode(data.data, data.len, &m, &err) != 0) return;
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &m);
  int guard = 0;
  while (smbw_andx_iter_next(&it, &b, &err) == 1 && guard++ < 16) {
    CHECK(fz_inside(b.bytes, b.bcc, data.data, data.len));
    if (b.command != 0x25) continue;
    smbw_trans_req t;
    if (smbw_trans_req_decode(&b, &t, &err) == 0) {
      CHECK(fz_inside(t.data.data, t.data.len, data.data, data.len));
      CHECK(fz_inside(t.params.data, t.params.len, data.data, data.len));
    } else {
      CHECK(fz_err_ok(&err, err.code, data.len));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > SMBW_DGRAM_DATA_HEADER_SIZE + 0xFFFFu + 1) return 0;
  const uint8_t *p = fz_place(0, data, size);
  smbw_dgram d, poison;
  memset(&d, 0x5A, sizeof d);
  poison = d;
  smbw_error err = {0, 0, NULL};
  int rc = smbw_dgram_decode(size ? p : NULL, size, &d, &err);
  if (rc != 0) {
    CHECK(fz_err_ok(&err, rc, size));
    CHECK(memcmp(&d, &poison, sizeof d) == 0);
    return 0;
  }
  CHECK(smbw_dgram_type_name(d.type) != NULL);
  CHECK((d.flags & SMBW_DGRAM_FLAG_RESERVED) == 0);
  CHECK(smbw_dgram_node_name((uint8_t)((d.flags >> 2) & 3)) != NULL);
  int has_names = d.type <= SMBW_DGRAM_BROADCAST;
  if (has_names) {
    CHECK(d.length == size - SMBW_DGRAM_DATA_HEADER_SIZE);
    check_name(&d.source, p, size);
    CHECK(fz_inside(d.data.data, d.data.len, p, size));
    CHECK(d.data.len == 0 || d.data.data + d.data.len == p + size);
  } else {
    CHECK(d.length == 0 && d.offset == 0 && d.data.len == 0 && d.source.scope.len == 0);
  }
  if (d.type != SMBW_DGRAM_ERROR) check_name(&d.destination, p, size);
  else CHECK(size == SMBW_DGRAM_ERROR_SIZE && d.error_code == p[10]);
  if (d.type == SMBW_DGRAM_ERROR) (void)smbw_dgram_error_name(d.error_code);

  size_t need = 0;
  CHECK(smbw_dgram_encode(NULL, 0, &d, &need) == SMBW_E_NOSPACE && need == size);
  uint8_t *o = fz_out(1, size);
  size_t len = 0;
  CHECK(smbw_dgram_encode(o, size, &d, &len) == 0 && len == size);
  CHECK(memcmp(o, p, size) == 0 && fz_canary_ok(1, size));
  o = fz_out(1, size - 1);
  CHECK(smbw_dgram_encode(o, size - 1, &d, &len) == SMBW_E_NOSPACE && len == size);
  for (size_t k = 0; k < size - 1; k++) CHECK(o[k] == 0xA5);
  CHECK(fz_canary_ok(1, size - 1));

  if (has_names && d.offset == 0) check_smb(d.data);
  return 0;
}
