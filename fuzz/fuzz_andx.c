/*
 * libFuzzer target: the AndX iterator alone (smbw_andx_iter_init/_next).
 * The input is an SMB message; its first four bytes are forced to the
 * protocol magic so every input reaches the walk.
 *
 * Security model asserted:
 *  - the walk returns at most len/3 blocks (each block takes at least its
 *    WordCount and ByteCount), and terminates;
 *  - every returned block lies inside the message: WordCount at offset,
 *    2 * nwords parameter bytes, ByteCount, bcc data bytes, all before len;
 *    the views point exactly there and the fields equal the wire bytes;
 *  - block offsets strictly increase and a block never starts inside the
 *    previous one (no loop, no overlap);
 *  - an error is sticky: every later call returns the same code, offset
 *    and field, and its offset lies inside the message (TRUNCATED may
 *    name the end itself);
 *  - the walk agrees with an independent reference model written from
 *    the rules in message.h (number of blocks, their offsets and
 *    commands, and the error code);
 *  - the one-call smbw_parse() of the same message behind a port-445
 *    header agrees with the walk: strict, the same blocks or the same
 *    error, offset and field; lenient, the same blocks, then either the
 *    walk's error in chain_error or, for a ByteCount past the end, one
 *    more block cut at the end of the message and flagged truncated.
 */
#include "fuzz_common.h"

/* Reference model of the documented rules. */
typedef struct ref_result {
  unsigned n;
  uint32_t off[4096];
  uint8_t cmd[4096];
  int err;
} ref_result;

static ref_result ref;

static void ref_walk(const uint8_t *msg, uint32_t len, ref_result *r) {
  uint32_t off = 32;
  uint8_t cmd = msg[4];
  r->n = 0;
  r->err = 0;
  for (;;) {
    if (off >= len) { r->err = SMBW_E_TRUNCATED; return; }
    uint32_t wct = msg[off], nwords = wct;
    if (wct == 42 && cmd == 0xA2 && (msg[9] & 0x80) && len - off >= 103 &&
        msg[off + 1] == 0xFF && fz_ld16(msg + off + 101) == len - off - 103 &&
        fz_ld16(msg + off + 85) != len - off - 87)
      nwords = 50; /* last block; the 50-word reading ends the message, the 42 one not */
    if ((uint64_t)off + 3 + 2 * nwords > len) { r->err = SMBW_E_WCT_OVERRUN; return; }
    uint32_t bcc = fz_ld16(msg + off + 1 + 2 * nwords);
    uint64_t end = (uint64_t)off + 3 + 2 * nwords + bcc;
    if (end > len) { r->err = SMBW_E_BCC_OVERRUN; return; }
    int andx = smbw_command_is_andx(cmd) && wct != 0;
    if (andx && wct < 2) { r->err = SMBW_E_ANDX_SHORT; return; }
    if (r->n < 4096) { r->off[r->n] = off; r->cmd[r->n] = cmd; }
    r->n++;
    if (!andx) return;
    uint8_t acmd = msg[off + 1];
    uint32_t aoff = fz_ld16(msg + off + 3);
    if (acmd == 0xFF) return;
    if (aoff >= end) {
      if (aoff >= len) { r->err = SMBW_E_ANDX_PAST_END; return; }
      off = aoff;
      cmd = acmd;
      continue;
    }
    if (aoff > off) { r->err = SMBW_E_ANDX_OVERLAP; return; }
    int earlier = 0;
    for (unsigned i = 0; i < r->n && i < 4096; i++)
      if (r->off[i] == aoff) earlier = 1;
    r->err = earlier ? SMBW_E_ANDX_LOOP : SMBW_E_ANDX_BACKWARD;
    return;
  }
}

static uint8_t buf[FZ_MAX];
static uint8_t framed[FZ_MAX + 4];
static uint32_t got_off[4096];
static uint8_t got_cmd[4096];
static smbw_block pb[4096];

/* smbw_parse() against the walk's steps blocks and result rc (error e). */
static void check_parse(const uint8_t *msg, uint32_t len, unsigned steps, int rc,
                        const smbw_error *e, uint8_t cmd) {
  framed[0] = 0;
  framed[1] = (uint8_t)(len >> 16);
  framed[2] = (uint8_t)(len >> 8);
  framed[3] = (uint8_t)len;
  memcpy(framed + 4, msg, len);
  const uint8_t *pkt = fz_place(1, framed, len + 4u);
  const uint8_t *smb = pkt + 4;
  for (unsigned lenient = 0; lenient < 2; lenient++) {
    smbw_parsed p;
    smbw_error pe = {0, 0, NULL};
    size_t need = 0;
    int prc = smbw_parse(pkt, len + 4u, SMBW_FRAMING_DIRECT, lenient, &p, pb, 4096, &need, &pe);
    if (steps > 4096) {
      CHECK(prc == SMBW_E_NOSPACE && need == steps);
      return;
    }
    if (rc < 0 && !lenient) {
      CHECK(prc == rc && pe.offset == e->offset && strcmp(pe.field, e->field) == 0);
      continue;
    }
    CHECK(prc == (int)len + 4 && p.msg.data == smb && p.msg.len == len);
    /* A cut AndX block with one word is still too short for its AndX
       fields: lenient reports that instead (the walk stops at the cut). */
    if (rc == SMBW_E_BCC_OVERRUN && p.chain_error == SMBW_E_ANDX_SHORT) {
      uint32_t boff = p.chain_err.offset;
      CHECK(p.nblocks == steps && boff + 3u == e->offset && msg[boff] == 1 &&
            smbw_command_is_andx(cmd) && strcmp(p.chain_err.field, "WordCount") == 0);
      continue;
    }
    unsigned want = steps + (rc == SMBW_E_BCC_OVERRUN && lenient ? 1u : 0u);
    CHECK(p.nblocks == want);
    for (unsigned i = 0; i < steps; i++)
      CHECK(pb[i].offset == got_off[i] && pb[i].command == got_cmd[i] && !pb[i].truncated);
    if (rc == 0 || rc == SMBW_E_BCC_OVERRUN) {
      CHECK(p.chain_error == 0);
    } else {
      CHECK(p.chain_error == rc && p.chain_err.offset == e->offset &&
            strcmp(p.chain_err.field, e->field) == 0);
    }
    if (want > steps) {
      const smbw_block *t = &pb[steps];
      CHECK(t->truncated && t->offset == e->offset - 1u - 2u * t->nwords);
      CHECK(t->bytes + t->bcc == smb + len && t->bcc < fz_ld16(t->bytes - 2));
    }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 32 || size > FZ_MAX) return 0;
  memcpy(buf, data, size);
  memcpy(buf, "\xffSMB", 4);
  const uint8_t *msg = fz_place(0, buf, size);
  uint32_t len = (uint32_t)size;
  smbw_msg m;
  CHECK(smbw_msg_decode(msg, size, &m, NULL) == 0);
  smbw_andx_iter it;
  smbw_andx_iter_init(&it, &m);
  smbw_block b;
  smbw_error e = {0, 0, NULL};
  unsigned steps = 0;
  uint32_t prev_off = 0, prev_end = 32;
  uint8_t expect_cmd = msg[4];
  int rc;
  while ((rc = smbw_andx_iter_next(&it, &b, &e)) == 1) {
    CHECK(++steps <= len / 3);
    CHECK(b.msg == msg && b.msg_len == len);
    CHECK(b.offset >= 32 && b.offset >= prev_end && (steps == 1 || b.offset > prev_off));
    CHECK(b.offset < len && b.wct == msg[b.offset]);
    CHECK(b.nwords == b.wct || (b.wct == 42 && b.nwords == 50 && b.command == 0xA2));
    CHECK(b.words == msg + b.offset + 1);
    CHECK(fz_inside(b.words, 2u * b.nwords + 2u, msg, len));
    CHECK(b.bcc == fz_ld16(b.words + 2u * b.nwords));
    CHECK(b.bytes == b.words + 2u * b.nwords + 2u);
    CHECK(fz_inside(b.bytes, b.bcc, msg, len));
    CHECK(b.command == expect_cmd && b.flags == msg[9] && b.flags2 == fz_ld16(msg + 10) &&
          b.status == fz_ld32(msg + 5));
    CHECK(b.index == (steps - 1 < 255 ? steps - 1 : 255));
    int andx = smbw_command_is_andx(b.command) && b.wct >= 2;
    if (andx) {
      CHECK(b.andx_command == b.words[0] && b.andx_offset == fz_ld16(b.words + 2));
    } else {
      CHECK(b.andx_command == 0xFF && b.andx_offset == 0);
    }
    if (steps <= 4096) { got_off[steps - 1] = b.offset; got_cmd[steps - 1] = b.command; }
    prev_off = b.offset;
    prev_end = (uint32_t)(b.bytes - msg) + b.bcc;
    expect_cmd = b.andx_command;
  }
  ref_walk(msg, len, &ref);
  CHECK(steps == ref.n);
  for (unsigned i = 0; i < steps && i < 4096; i++)
    CHECK(got_off[i] == ref.off[i] && got_cmd[i] == ref.cmd[i]);
  check_parse(msg, len, steps, rc, &e, expect_cmd);
  if (rc == 0) {
    CHECK(ref.err == 0);
    /* The end is sticky too. */
    for (int k = 0; k < 3; k++) CHECK(smbw_andx_iter_next(&it, &b, &e) == 0);
    return 0;
  }
  CHECK(rc < 0 && rc == ref.err);
  CHECK(fz_err_ok(&e, rc, len));
  CHECK(e.offset < len || (rc == SMBW_E_TRUNCATED && e.offset == len));
  CHECK(e.offset >= 32);
  smbw_error first = e;
  for (int k = 0; k < 3; k++) {
    smbw_error e2 = {0, 0, NULL};
    CHECK(smbw_andx_iter_next(&it, &b, &e2) == rc);
    CHECK(e2.code == first.code && e2.offset == first.offset && e2.field == first.field);
    CHECK(smbw_andx_iter_next(&it, &b, NULL) == rc);
  }
  return 0;
}
