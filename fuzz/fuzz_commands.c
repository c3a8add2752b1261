/*
 * libFuzzer target: the request and response decoders of every command
 * family (negotiate, session setup, tree connect, open, read).  Byte 0 is
 * the selector of families.h (family, direction, Flags2.Unicode,
 * Flags2.NT_Status); the rest is the message body after a valid header
 * built around it, so the decoders are reached on almost every input;
 * chained AndX blocks reach the other families too.
 *
 * Security model asserted, for every block of the chain whose command has
 * a typed decoder, with both the request and the response decoder:
 *  - on success, fam_check(): every view inside the data area (READ_ANDX
 *    data inside the message), in wire order, lengths equal to the wire
 *    length fields, strings well formed and convertible;
 *  - decoding into an output struct pre-filled with 0x00 and with 0xFF
 *    gives equal results: every field is written, nothing stale leaks;
 *  - on failure: the error names a field and an offset inside the block's
 *    message, at or after the block;
 *  - the decoder of another family refuses the block with SMBW_E_COMMAND
 *    and NULL arguments give SMBW_E_INVAL.
 */
#include "families.h"

static uint8_t buf[FZ_MAX + 64];

static void one(const smbw_block *b, int fam, int rsp) {
  fam_u u0, u1;
  smbw_error e0 = {0, 0, NULL}, e1 = {0, 0, NULL};
  memset(&u0, 0, sizeof u0);
  memset(&u1, 0xFF, sizeof u1);
  int rc0 = fam_decode(b, fam, rsp, &u0, &e0);
  int rc1 = fam_decode(b, fam, rsp, &u1, &e1);
  CHECK(rc0 == rc1);
  if (rc0 == 0) {
    const char *what = NULL;
    fam_check(b, fam, rsp, &u0);
    if (!fam_eq(fam, rsp, &u0, &u1, &what)) {
      fprintf(stderr, "field %s depends on the output buffer's previous contents\n", what);
      CHECK(0);
    }
    return;
  }
  CHECK(rc0 < 0 && rc0 != SMBW_E_INVAL && rc0 != SMBW_E_COMMAND);
  CHECK(fz_err_ok(&e0, rc0, b->msg_len));
  CHECK(e0.offset >= b->offset);
  CHECK(e1.code == e0.code && e1.offset == e0.offset && e1.field == e0.field);
}

static int null_out(const smbw_block *b, int fam, int rsp) {
  switch (fam * 2 + rsp) {
  case 0: return smbw_negotiate_req_decode(b, NULL, NULL);
  case 1: return smbw_negotiate_rsp_decode(b, NULL, NULL);
  case 2: return smbw_session_setup_andx_req_decode(b, NULL, NULL);
  case 3: return smbw_session_setup_andx_rsp_decode(b, NULL, NULL);
  case 4: return smbw_tree_connect_andx_req_decode(b, NULL, NULL);
  case 5: return smbw_tree_connect_andx_rsp_decode(b, NULL, NULL);
  case 6: return smbw_open_andx_req_decode(b, NULL, NULL);
  case 7: return smbw_open_andx_rsp_decode(b, NULL, NULL);
  case 8: return smbw_read_andx_req_decode(b, NULL, NULL);
  default: return smbw_read_andx_rsp_decode(b, NULL, NULL);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  size_t n = fam_build(data[0], data + 1, size - 1, buf);
  const uint8_t *msg = fz_place(0, buf, n);
  smbw_msg m;
  CHECK(smbw_msg_decode(msg, n, &m, NULL) == 0);
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &m);
  int rc;
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    int fam = fam_of(b.command);
    if (fam == F_NONE) continue;
    one(&b, fam, 0);
    one(&b, fam, 1);
    /* Another family's decoder refuses the block. */
    int other = (fam + 1 + data[0] % 4) % 5;
    fam_u u;
    smbw_error e = {0, 0, NULL};
    CHECK(fam_decode(&b, other, data[0] >> 7, &u, &e) == SMBW_E_COMMAND);
    CHECK(e.code == SMBW_E_COMMAND && e.offset == b.offset && e.field != NULL);
    CHECK(fam_decode(NULL, fam, (data[0] >> 3) & 1, &u, NULL) == SMBW_E_INVAL);
    CHECK(null_out(&b, fam, (data[0] >> 3) & 1) == SMBW_E_INVAL);
  }
  CHECK(rc <= 0);
  return 0;
}
