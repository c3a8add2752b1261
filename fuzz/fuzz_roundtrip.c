/*
 * libFuzzer target: struct-level round trip of every command family.
 * Input as in fuzz_commands.c (selector byte of families.h, then the body
 * after a built header).  When every block of the chain decodes (typed
 * blocks by the decoder of the message's direction), the message is
 * re-encoded block by block: typed blocks from their decoded structs,
 * the others as decoded (smbw_builder_block).
 *
 * Security model asserted:
 *  - the size query and the real encode agree; the encoder writes exactly
 *    that many bytes into a buffer of exactly that size ending at a guard
 *    page, nothing before it (canary), and a buffer one byte short (or
 *    much shorter) gets SMBW_E_NOSPACE with nothing written outside it;
 *  - the re-encoded message decodes cleanly into the same chain (same
 *    commands) and every typed struct equals the original field by field,
 *    views by content (fam_eq: also reserved words, extra bytes, string
 *    pads and terminators); the re-decoded blocks pass fam_check();
 *  - encoding is idempotent: encoding the re-decoded structs gives the
 *    same bytes again.
 */
#include "families.h"

#define MAXB 254

static uint8_t buf[FZ_MAX + 64];
static fam_u orig[MAXB], again[MAXB];
static smbw_block blocks[MAXB];
static uint8_t first[FZ_MAX + 4096];

/* Decode msg[0..n) fully into blocks[]/out[]; returns the block count or
   -1 when any part fails. */
static int decode_all(const uint8_t *msg, size_t n, fam_u *out, smbw_block *blk) {
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  int rc, nb = 0;
  if (smbw_msg_decode(msg, n, &m, NULL)) return -1;
  int rsp = (m.hdr.flags & 0x80) != 0;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    if (nb == MAXB) return -1;
    int fam = fam_of(b.command);
    if (fam != F_NONE && fam_decode(&b, fam, rsp, &out[nb], NULL) != 0) return -1;
    blk[nb++] = b;
  }
  return rc == 0 ? nb : -1;
}

/* Encode the decoded chain; returns the builder's result, *len the size. */
static int encode_all(const smbw_msg *m, const smbw_block *blk, const fam_u *u, int nb,
                      uint8_t *out, size_t cap, size_t *len) {
  smbw_builder bld;
  int rsp = (m->hdr.flags & 0x80) != 0;
  CHECK(smbw_builder_init(&bld, out, cap, SMBW_FRAMING_NONE, &m->hdr) == 0);
  for (int i = 0; i < nb; i++) {
    int fam = fam_of(blk[i].command);
    if (fam == F_NONE) smbw_builder_block(&bld, &blk[i]);
    else fam_encode(&bld, fam, rsp, &u[i]);
  }
  return smbw_builder_finish(&bld, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  size_t n = fam_build(data[0], data + 1, size - 1, buf);
  const uint8_t *msg = fz_place(0, buf, n);
  int nb = decode_all(msg, n, orig, blocks);
  if (nb <= 0) return 0;
  smbw_msg m;
  CHECK(smbw_msg_decode(msg, n, &m, NULL) == 0);
  int rsp = (m.hdr.flags & 0x80) != 0;

  size_t need = 0, len = 0;
  int rc = encode_all(&m, blocks, orig, nb, NULL, 0, &need);
  if (rc != SMBW_E_NOSPACE) {
    /* A decoded value the encoders cannot write back. */
    fprintf(stderr, "re-encode of a decoded message failed: %s\n", smbw_errname(rc));
    CHECK(0);
  }
  CHECK(need >= 35 && need <= FZ_AREA - FZ_CANARY);
  /* Too small: nothing written outside, NOSPACE, same size reported. */
  size_t caps[3] = {need - 1, need / 2, 31};
  for (int k = 0; k < 3; k++) {
    uint8_t *o = fz_out(1, caps[k]);
    CHECK(encode_all(&m, blocks, orig, nb, o, caps[k], &len) == SMBW_E_NOSPACE);
    CHECK(len == need && fz_canary_ok(1, caps[k]));
  }
  uint8_t *o = fz_out(1, need);
  CHECK(encode_all(&m, blocks, orig, nb, o, need, &len) == 0 && len == need);
  CHECK(fz_canary_ok(1, need));
  memcpy(first, o, need);

  /* A READ_ANDX response with no data and DataOffset 0 is re-encoded in
     the default layout (read.h: data at the next even offset), which may
     add a pad byte and move what follows: the structs are then compared
     only for the blocks before it. */
  int same_layout_until = nb;
  for (int i = 0; i < nb; i++)
    if (blocks[i].command == 0x2E && rsp && orig[i].read_rsp.wct == 12 &&
        orig[i].read_rsp.data_length == 0 && orig[i].read_rsp.data_offset == 0) {
      same_layout_until = i;
      break;
    }

  /* Decode the output: same chain, same structs. */
  static smbw_block b2[MAXB];
  int nb2 = decode_all(o, need, again, b2);
  CHECK(nb2 == nb);
  for (int i = 0; i < nb; i++) {
    int fam = fam_of(blocks[i].command);
    if (fam != F_NONE) fam_check(&b2[i], fam, rsp, &again[i]);
    CHECK(b2[i].command == blocks[i].command);
    if (i >= same_layout_until) continue;
    if (fam == F_NONE) {
      CHECK(b2[i].wct == blocks[i].wct && b2[i].bcc == blocks[i].bcc &&
            memcmp(b2[i].words, blocks[i].words, 2u * blocks[i].nwords) == 0 &&
            (blocks[i].bcc == 0 || memcmp(b2[i].bytes, blocks[i].bytes, blocks[i].bcc) == 0));
      continue;
    }
    const char *what = "";
    if (!fam_eq(fam, rsp, &orig[i], &again[i], &what)) {
      fprintf(stderr, "block %d (%s %s): field %s differs after decode-encode-decode\n", i,
              smbw_command_name(blocks[i].command), rsp ? "response" : "request", what);
      CHECK(0);
    }
  }

  /* Idempotent: encoding the re-decoded structs gives the same bytes. */
  smbw_msg m2;
  CHECK(smbw_msg_decode(o, need, &m2, NULL) == 0);
  uint8_t *o2 = fz_out(2, need);
  CHECK(encode_all(&m2, b2, again, nb, o2, need, &len) == 0 && len == need);
  CHECK(memcmp(o2, first, need) == 0);
  return 0;
}
