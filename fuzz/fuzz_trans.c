/*
 * libFuzzer target: the transaction decoders and encoders (trans.h):
 * smbw_trans_req_decode / smbw_trans_rsp_decode over every block of the
 * six commands (TRANSACTION 0x25, its secondary 0x26, TRANSACTION2 0x32,
 * 0x33, NT_TRANSACT 0xA0, 0xA1), then smbw_trans_req_encode /
 * smbw_trans_rsp_encode of what decoded.
 *
 * Input: byte 0 is a selector, the rest the body after a built header:
 *   bits 0-2  command: 0x25 0x26 0x32 0x33 0xA0 0xA1 0x25 0xA0
 *   bit 3     Flags.Reply (the decoders do not look at it: both run)
 *   bit 4     Flags2.Unicode (the TRANSACTION Name)
 *   bit 5     Flags2.NT_Status
 *   bit 6     a LOCKING_ANDX block first, chained to the transaction, so
 *             the transaction block starts at offset 39 (bit 7 clear: an
 *             odd offset) or 40 (bit 7 set) instead of 32
 *
 * Security model asserted, with both decoders on every transaction block:
 *  - the result (code, field, offset) equals an independent model of the
 *    rules in trans.h, written here from MS-CIFS 2.2.4.33/34/46/47/62/63:
 *    WordCount per layout and SetupCount, ParameterOffset/Count and
 *    DataOffset/Count inside the byte area, after the Name, Data not
 *    before nor over the Parameters (64-bit arithmetic, no wrap);
 *  - on success every view lies inside the message and inside the block's
 *    data bytes (setup: inside the words), the views come in wire order
 *    [Name][pad1][Parameters][pad2][Data][extra] without overlapping,
 *    params.len and data.len equal ParameterCount and DataCount, every
 *    word field equals its wire value, extra is exactly the rest of the
 *    area; decoding into a struct filled with 0x00 and one with 0xFF gives
 *    the same result;
 *  - the lenient decoders agree, except that Data before or over the
 *    Parameters is returned flagged (overlap), starting inside the byte
 *    area and ending inside the message;
 *    no decoder writes its output when it fails;
 *  - round trip: the size query gives n; encoding into exactly n bytes
 *    ending at a guard page writes n bytes and nothing before them
 *    (canary); n - 1 bytes gives SMBW_E_NOSPACE with nothing written
 *    outside; the output is the input message byte for byte (header,
 *    the LOCKING_ANDX block, the transaction block and any trailing bytes,
 *    re-added with smbw_builder_trailer): encode(decode(x)) == x; it
 *    decodes to an equal struct (views by content) which re-encodes to the
 *    same bytes;
 *  - placement: the struct with ParameterOffset and DataOffset set to 0
 *    re-encodes with the Parameters at the next 4-byte offset after the
 *    Name and the Data at the next 4-byte offset after them, pads taken
 *    from pad1/pad2 when their length fits the gap and zeros otherwise
 *    (SMBW_E_RANGE exactly when the area or an offset no longer fits); an
 *    absent TRANSACTION Name is written as "" (and the placement starts
 *    after it) unless the new byte area is empty or, in Unicode, one byte
 *    at an odd offset, as trans.h says;
 *  - another command is refused with SMBW_E_COMMAND, NULL arguments with
 *    SMBW_E_INVAL, an odd setup view or a NULL view with a length with
 *    SMBW_E_INVAL from the encoders.
 */
#include "families.h"

static uint8_t buf[FZ_MAX + 64];
static uint8_t first[FZ_AREA];

static const uint8_t cmds[8] = {0x25, 0x26, 0x32, 0x33, 0xA0, 0xA1, 0x25, 0xA0};

/* ---- the word layouts, from MS-CIFS (byte offsets in the words) ---- */

typedef struct tlay {
  int base;  /* WordCount without setup words */
  int wide;  /* 32-bit counts and offsets */
  int tpc, tdc, mpc, mdc, pc, po, pd, dc, doff, dd, sc, setup; /* -1: none */
} tlay;

static int lay_req(uint8_t cmd, tlay *l) {
  switch (cmd) {
  case 0x25: /* TRANSACTION, 2.2.4.33.1 */
  case 0x32: /* TRANSACTION2, 2.2.4.46.1: same words */
    *l = (tlay){14, 0, 0, 2, 4, 6, 18, 20, -1, 22, 24, -1, 26, 28};
    return 1;
  case 0x26: /* TRANSACTION_SECONDARY, 2.2.4.34.1 */
    *l = (tlay){8, 0, 0, 2, -1, -1, 4, 6, 8, 10, 12, 14, -1, -1};
    return 1;
  case 0x33: /* TRANSACTION2_SECONDARY, 2.2.4.47.1: + FID */
    *l = (tlay){9, 0, 0, 2, -1, -1, 4, 6, 8, 10, 12, 14, -1, -1};
    return 1;
  case 0xA0: /* NT_TRANSACT, 2.2.4.62.1 */
    *l = (tlay){19, 1, 3, 7, 11, 15, 19, 23, -1, 27, 31, -1, 35, 38};
    return 1;
  case 0xA1: /* NT_TRANSACT_SECONDARY, 2.2.4.63.1 */
    *l = (tlay){18, 1, 3, 7, -1, -1, 11, 15, 19, 23, 27, 31, -1, -1};
    return 1;
  default:
    return 0;
  }
}

static int lay_rsp(uint8_t cmd, tlay *l) {
  switch (cmd) {
  case 0x25: /* TRANSACTION response, 2.2.4.33.2 */
  case 0x32: /* TRANSACTION2 response, 2.2.4.46.2 */
    *l = (tlay){10, 0, 0, 2, -1, -1, 6, 8, 10, 12, 14, 16, 18, 20};
    return 1;
  case 0xA0: /* NT_TRANSACT response, 2.2.4.62.2 */
    *l = (tlay){18, 1, 3, 7, -1, -1, 11, 15, 19, 23, 27, 31, 35, 36};
    return 1;
  default:
    return 0;
  }
}

static uint32_t wf(const tlay *l, const uint8_t *w, int at) {
  if (at < 0) return 0;
  return l->wide ? fz_ld32(w + at) : fz_ld16(w + at);
}

/* ---- the model of one decode ---- */

typedef struct expect {
  int rc;
  const char *field;
  uint32_t offset;
  uint32_t name_end; /* offset (from the header) after the Name */
} expect;

/* End of the Name read from offset start of an area ending at end. */
static uint32_t name_end(const uint8_t *msg, uint32_t start, uint32_t end, int uni) {
  uint32_t pos = start;
  if (uni && (pos & 1u) && pos < end) {
    if (end - pos == 1) return pos; /* a lone byte is no pad: absent */
    pos++;
  }
  if (pos >= end) return end;
  if (uni) {
    for (uint32_t i = pos; i + 1 < end; i += 2)
      if (msg[i] == 0 && msg[i + 1] == 0) return i + 2;
  } else {
    for (uint32_t i = pos; i < end; i++)
      if (msg[i] == 0) return i + 1;
  }
  return end;
}

static void fail(expect *x, int rc, uint32_t off, const char *field) {
  x->rc = rc;
  x->field = field;
  x->offset = off;
}

static void model(const smbw_block *b, int rsp, expect *x) {
  tlay l;
  const uint32_t woff = b->offset + 1u;
  x->rc = 0;
  x->field = NULL;
  x->offset = 0;
  x->name_end = (uint32_t)(b->bytes - b->msg);
  if (rsp && b->wct == 0) return; /* interim: the whole area is extra */
  if (!(rsp ? lay_rsp(b->command, &l) : lay_req(b->command, &l))) {
    fail(x, SMBW_E_WCT, b->offset, "WordCount"); /* a secondary's response */
    return;
  }
  if (l.sc < 0) {
    if (b->wct != l.base) {
      fail(x, SMBW_E_WCT, b->offset, "WordCount");
      return;
    }
  } else {
    if (b->wct < l.base) {
      fail(x, SMBW_E_WCT, b->offset, "WordCount");
      return;
    }
    if (b->wct != l.base + b->words[l.sc]) {
      fail(x, SMBW_E_WCT, woff + (uint32_t)l.sc, "SetupCount");
      return;
    }
  }
  const uint8_t *w = b->words;
  uint64_t start = (uint64_t)(b->bytes - b->msg), end = start + b->bcc, pos = start;
  if (!rsp && b->command == 0x25)
    pos = name_end(b->msg, (uint32_t)start, (uint32_t)end, blk_uni(b));
  x->name_end = (uint32_t)pos;
  uint64_t pc = wf(&l, w, l.pc), po = wf(&l, w, l.po), dc = wf(&l, w, l.dc),
           doff = wf(&l, w, l.doff);
  if (pc) {
    if (po < pos || po + pc > end) {
      fail(x, SMBW_E_DATA_OFFSET, woff + (uint32_t)l.po, "ParameterOffset");
      return;
    }
    pos = po + pc;
  }
  if (dc) {
    if (doff < pos) {
      /* inside the area (in the Name, a pad or the Parameters): the order
         is wrong; before the area (words, header): outside */
      fail(x, doff >= start ? SMBW_E_TRANS_LAYOUT : SMBW_E_DATA_OFFSET,
           woff + (uint32_t)l.doff, "DataOffset");
      return;
    }
    if (doff + dc > end) {
      fail(x, SMBW_E_DATA_OFFSET, woff + (uint32_t)l.doff, "DataOffset");
      return;
    }
  }
}

/* ---- the security model of a successful decode ---- */

/* The area views in wire order after the Name (s->cur at its end). */
static void check_areas(fz_seq *s, const smbw_block *b, const tlay *l, smbw_bytes pad1,
                        smbw_bytes params, smbw_bytes pad2, smbw_bytes data, smbw_bytes extra) {
  const uint8_t *w = b->words;
  uint32_t pc = wf(l, w, l->pc), po = wf(l, w, l->po), dc = wf(l, w, l->dc),
           doff = wf(l, w, l->doff);
  CHECK(params.len == pc && data.len == dc);
  seq_bytes(s, pad1);
  if (pc == 0) CHECK(pad1.len == 0);
  seq_bytes(s, params);
  if (pc) CHECK(params.data == b->msg + po);
  seq_bytes(s, pad2);
  if (dc == 0) CHECK(pad2.len == 0);
  seq_bytes(s, data);
  if (dc) CHECK(data.data == b->msg + doff);
  seq_rest(s, extra);
  CHECK(fz_inside(b->bytes, b->bcc, b->msg, b->msg_len));
  CHECK(fz_inside(extra.data, extra.len, b->msg, b->msg_len));
}

static void check_setup(const smbw_block *b, const tlay *l, smbw_bytes setup) {
  if (l->sc < 0) {
    CHECK(setup.len == 0);
    return;
  }
  CHECK(setup.len == 2u * b->words[l->sc] && setup.data == b->words + l->setup);
  CHECK(fz_inside(setup.data, setup.len, b->words, 2u * b->nwords));
  if (setup.len) CHECK(smbw_trans_setup(setup, 0) == fz_ld16(b->words + l->setup));
  CHECK(smbw_trans_setup(setup, setup.len / 2u) == 0);
}

static void check_req(const smbw_block *b, const smbw_trans_req *r, const expect *x) {
  tlay l;
  CHECK(lay_req(b->command, &l));
  const uint8_t *w = b->words;
  CHECK(r->command == b->command && r->wct == b->wct && b->nwords == b->wct);
  CHECK(r->total_param_count == wf(&l, w, l.tpc) && r->total_data_count == wf(&l, w, l.tdc));
  CHECK(r->max_param_count == wf(&l, w, l.mpc) && r->max_data_count == wf(&l, w, l.mdc));
  CHECK(r->param_offset == wf(&l, w, l.po) && r->data_offset == wf(&l, w, l.doff));
  CHECK(r->param_displacement == wf(&l, w, l.pd) && r->data_displacement == wf(&l, w, l.dd));
  switch (b->command) {
  case 0x25:
  case 0x32:
    CHECK(r->max_setup_count == w[8] && r->reserved1 == w[9] && r->flags == fz_ld16(w + 10));
    CHECK(r->timeout == fz_ld32(w + 12) && r->reserved2 == fz_ld16(w + 16));
    CHECK(r->reserved3 == w[27] && r->function == 0 && r->fid == 0);
    break;
  case 0x26:
  case 0x33:
    CHECK(r->max_setup_count == 0 && r->reserved1 == 0 && r->flags == 0 && r->timeout == 0);
    CHECK(r->reserved2 == 0 && r->reserved3 == 0 && r->function == 0);
    CHECK(r->fid == (b->command == 0x33 ? fz_ld16(w + 16) : 0));
    break;
  case 0xA0:
    CHECK(r->max_setup_count == w[0] && r->reserved2 == fz_ld16(w + 1));
    CHECK(r->function == fz_ld16(w + 36) && r->reserved1 == 0 && r->reserved3 == 0);
    CHECK(r->flags == 0 && r->timeout == 0 && r->fid == 0);
    break;
  default: /* 0xA1 */
    CHECK(r->reserved1 == w[0] && r->reserved2 == fz_ld16(w + 1) && r->reserved3 == w[35]);
    CHECK(r->max_setup_count == 0 && r->flags == 0 && r->timeout == 0 && r->function == 0);
    CHECK(r->fid == 0);
    break;
  }
  check_setup(b, &l, r->setup);
  fz_seq s;
  seq_init(&s, b);
  if (b->command == 0x25) {
    seq_str(&s, &r->name, blk_uni(b), 1);
  } else {
    CHECK(!r->name.data && r->name.len == 0);
  }
  CHECK((uint32_t)(s.cur - b->msg) == x->name_end);
  check_areas(&s, b, &l, r->pad1, r->params, r->pad2, r->data, r->extra);
}

static void check_rsp(const smbw_block *b, const smbw_trans_rsp *r, const expect *x) {
  CHECK(r->command == b->command && r->wct == b->wct);
  if (b->wct == 0) {
    CHECK(r->total_param_count == 0 && r->total_data_count == 0 && r->param_offset == 0);
    CHECK(r->data_offset == 0 && r->param_displacement == 0 && r->data_displacement == 0);
    CHECK(r->reserved1 == 0 && r->reserved2 == 0);
    CHECK(!r->setup.data && !r->params.data && !r->data.data && !r->pad1.data && !r->pad2.data);
    CHECK(r->setup.len == 0 && r->params.len == 0 && r->data.len == 0 && r->pad1.len == 0 &&
          r->pad2.len == 0);
    CHECK(r->extra.data == b->bytes && r->extra.len == b->bcc);
    return;
  }
  tlay l;
  CHECK(lay_rsp(b->command, &l));
  const uint8_t *w = b->words;
  CHECK(r->total_param_count == wf(&l, w, l.tpc) && r->total_data_count == wf(&l, w, l.tdc));
  CHECK(r->param_offset == wf(&l, w, l.po) && r->data_offset == wf(&l, w, l.doff));
  CHECK(r->param_displacement == wf(&l, w, l.pd) && r->data_displacement == wf(&l, w, l.dd));
  if (l.wide) {
    CHECK(r->reserved1 == ((uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16));
    CHECK(r->reserved2 == 0);
  } else {
    CHECK(r->reserved1 == fz_ld16(w + 4) && r->reserved2 == w[19]);
  }
  check_setup(b, &l, r->setup);
  fz_seq s;
  seq_init(&s, b);
  CHECK((uint32_t)(s.cur - b->msg) == x->name_end);
  check_areas(&s, b, &l, r->pad1, r->params, r->pad2, r->data, r->extra);
}

/* ---- equality, views by content ---- */

#define EQ(f) (a->f == c->f)
static int req_eq(const smbw_trans_req *a, const smbw_trans_req *c, int offsets) {
  return EQ(command) && EQ(wct) && EQ(max_setup_count) && EQ(reserved1) && EQ(reserved2) &&
         EQ(reserved3) && EQ(flags) && EQ(function) && EQ(fid) && EQ(timeout) &&
         EQ(total_param_count) && EQ(total_data_count) && EQ(max_param_count) &&
         EQ(max_data_count) && EQ(param_displacement) && EQ(data_displacement) &&
         (!offsets || (EQ(param_offset) && EQ(data_offset))) && fz_bytes_eq(a->setup, c->setup) &&
         fz_str_eq(&a->name, &c->name) && fz_bytes_eq(a->params, c->params) &&
         fz_bytes_eq(a->data, c->data) && (!offsets || (fz_bytes_eq(a->pad1, c->pad1) &&
                                                        fz_bytes_eq(a->pad2, c->pad2))) &&
         fz_bytes_eq(a->extra, c->extra);
}

static int rsp_eq(const smbw_trans_rsp *a, const smbw_trans_rsp *c, int offsets) {
  return EQ(command) && EQ(wct) && EQ(reserved1) && EQ(reserved2) && EQ(total_param_count) &&
         EQ(total_data_count) && EQ(param_displacement) && EQ(data_displacement) &&
         (!offsets || (EQ(param_offset) && EQ(data_offset))) && fz_bytes_eq(a->setup, c->setup) &&
         fz_bytes_eq(a->params, c->params) && fz_bytes_eq(a->data, c->data) &&
         (!offsets || (fz_bytes_eq(a->pad1, c->pad1) && fz_bytes_eq(a->pad2, c->pad2))) &&
         fz_bytes_eq(a->extra, c->extra);
}
#undef EQ

typedef union tu {
  smbw_trans_req q;
  smbw_trans_rsp s;
} tu;

static int t_decode(const smbw_block *b, int rsp, tu *u, smbw_error *e) {
  return rsp ? smbw_trans_rsp_decode(b, &u->s, e) : smbw_trans_req_decode(b, &u->q, e);
}

/* Encode [prefix block] + the struct + [trailer] with the message's
   header; returns the builder's result. */
static int t_encode(const smbw_header *h, const smbw_block *pre, int rsp, const tu *u,
                    const uint8_t *trail, size_t ntrail, uint8_t *out, size_t cap,
                    size_t *len) {
  smbw_builder bld;
  CHECK(smbw_builder_init(&bld, out, cap, SMBW_FRAMING_NONE, h) == 0);
  if (pre) smbw_builder_block(&bld, pre);
  if (rsp) smbw_trans_rsp_encode(&bld, &u->s);
  else smbw_trans_req_encode(&bld, &u->q);
  if (ntrail) smbw_builder_trailer(&bld, trail, ntrail);
  return smbw_builder_finish(&bld, len);
}

/* The transaction block of a message (the first or the second block). */
static int trans_block(const uint8_t *msg, size_t n, int second, smbw_msg *m, smbw_block *pre,
                       smbw_block *b) {
  smbw_andx_iter it;
  if (smbw_msg_decode(msg, n, m, NULL) != 0) return 0;
  smbw_andx_iter_init(&it, m);
  if (second && smbw_andx_iter_next(&it, pre, NULL) != 1) return 0;
  return smbw_andx_iter_next(&it, b, NULL) == 1;
}

static uint64_t al4(uint64_t x) { return (x + 3u) & ~(uint64_t)3u; }

/* Default placement from pos: Parameters, then Data, each at the next
   4-byte offset; returns the end of the area (after extra). */
static uint64_t place0(uint64_t pos, uint32_t pc, uint32_t dc, uint32_t extra, uint64_t *po,
                       uint64_t *doff) {
  *po = *doff = 0;
  if (pc) {
    *po = al4(pos);
    pos = *po + pc;
  }
  if (dc) {
    *doff = al4(pos);
    pos = *doff + dc;
  }
  return pos + extra;
}

/* Re-encode with both offsets 0: the encoder's default placement. */
static void relayout(const smbw_msg *m, const smbw_block *pre, const smbw_block *b, int rsp,
                     const tu *u, const expect *x) {
  tu v = *u;
  uint32_t pc, dc, extra, wide;
  if (rsp) {
    if (v.s.wct == 0) return;
    v.s.param_offset = v.s.data_offset = 0;
    pc = v.s.params.len;
    dc = v.s.data.len;
    extra = v.s.extra.len;
    wide = v.s.command == 0xA0;
  } else {
    v.q.param_offset = v.q.data_offset = 0;
    pc = v.q.params.len;
    dc = v.q.data.len;
    extra = v.q.extra.len;
    wide = v.q.command == 0xA0 || v.q.command == 0xA1;
  }
  const smbw_bytes *pad1 = rsp ? &u->s.pad1 : &u->q.pad1, *pad2 = rsp ? &u->s.pad2 : &u->q.pad2;
  uint64_t start = (uint64_t)(b->bytes - b->msg), nend = x->name_end, po = 0, doff = 0;
  /* An absent TRANSACTION Name (decoded from an empty byte area or, in
     Unicode, a lone byte at an odd offset; it ends at the start) stays
     absent only when the new area is again empty or such a lone byte;
     otherwise the encoder writes it as "" (trans.h: else the decoder would
     read what follows as the Name), and the placement starts after it. */
  int name_added = 0;
  if (!rsp && v.q.command == 0x25 && !v.q.name.data) {
    CHECK(nend == start);
    int uni = blk_uni(b);
    uint64_t n0 = place0(start, pc, dc, extra, &po, &doff) - start;
    if (!(n0 == 0 || (uni && (start & 1u) && n0 == 1))) {
      name_added = 1;
      nend = start + (uni ? 2u + (start & 1u) : 1u);
    }
  }
  uint64_t pos = place0(nend, pc, dc, extra, &po, &doff);
  uint64_t nbytes = pos - start;
  int want = nbytes > 0xFFFF || (!wide && (po > 0xFFFF || doff > 0xFFFF)) ? SMBW_E_RANGE
                                                                          : SMBW_E_NOSPACE;
  size_t need = 0, len = 0;
  int rc = t_encode(&m->hdr, pre, rsp, &v, NULL, 0, NULL, 0, &need);
  if (rc != want) {
    fprintf(stderr, "default placement: %s, expected %s\n", smbw_errname(rc), smbw_errname(want));
    CHECK(0);
  }
  if (rc == SMBW_E_RANGE) return;
  CHECK(need == b->offset + 3u + 2u * b->wct + nbytes && need <= FZ_AREA - FZ_CANARY);
  uint8_t *o = fz_out(2, need);
  CHECK(t_encode(&m->hdr, pre, rsp, &v, NULL, 0, o, need, &len) == 0 && len == need);
  CHECK(fz_canary_ok(2, need));
  smbw_msg m2;
  smbw_block pre2, b2;
  CHECK(trans_block(o, need, pre != NULL, &m2, &pre2, &b2));
  tu d;
  smbw_error e = {0, 0, NULL};
  CHECK(t_decode(&b2, rsp, &d, &e) == 0);
  expect x2;
  model(&b2, rsp, &x2);
  CHECK(x2.rc == 0 && x2.name_end == nend);
  if (rsp) {
    check_rsp(&b2, &d.s, &x2);
    CHECK(rsp_eq(&v.s, &d.s, 0));
    CHECK(d.s.param_offset == po && d.s.data_offset == doff);
  } else {
    check_req(&b2, &d.q, &x2);
    if (name_added) {
      /* the absent Name came back as "", terminated, zero pad */
      CHECK(d.q.name.data && d.q.name.len == 0 && !d.q.name.unterminated && d.q.name.pad == 0);
      v.q.name = d.q.name;
    }
    CHECK(req_eq(&v.q, &d.q, 0));
    CHECK(d.q.param_offset == po && d.q.data_offset == doff);
  }
  /* The gaps: the caller's pad when its length fits, else zeros. */
  const smbw_bytes *np1 = rsp ? &d.s.pad1 : &d.q.pad1, *np2 = rsp ? &d.s.pad2 : &d.q.pad2;
  CHECK(np1->len == (pc ? po - nend : 0));
  CHECK(np2->len == (dc ? doff - (pc ? po + pc : nend) : 0));
  for (uint32_t i = 0; i < np1->len; i++)
    CHECK(np1->data[i] == (pad1->len == np1->len ? pad1->data[i] : 0));
  for (uint32_t i = 0; i < np2->len; i++)
    CHECK(np2->data[i] == (pad2->len == np2->len ? pad2->data[i] : 0));
}

/* Encoder argument checks on a decoded struct. */
static void encoder_args(const smbw_header *h, int rsp, const tu *u) {
  smbw_builder bld;
  tu v = *u;
  size_t len;
  CHECK(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, h) == 0);
  CHECK((rsp ? smbw_trans_rsp_encode(NULL, &v.s) : smbw_trans_req_encode(NULL, &v.q)) ==
        SMBW_E_INVAL);
  CHECK((rsp ? smbw_trans_rsp_encode(&bld, NULL) : smbw_trans_req_encode(&bld, NULL)) ==
        SMBW_E_INVAL);
  CHECK(smbw_builder_finish(&bld, &len) == SMBW_E_INVAL); /* sticky */
  /* A view with a length and no bytes. */
  if (rsp) v.s.params.data = NULL, v.s.params.len = 1;
  else v.q.data.data = NULL, v.q.data.len = 1;
  CHECK(t_encode(h, NULL, rsp, &v, NULL, 0, NULL, 0, &len) == SMBW_E_INVAL);
  /* An odd setup view (forms with setup words). */
  v = *u;
  uint8_t cmd = rsp ? v.s.command : v.q.command;
  static const uint8_t three[3] = {1, 2, 3};
  int has_setup = rsp ? v.s.wct != 0 : (cmd == 0x25 || cmd == 0x32 || cmd == 0xA0);
  if (has_setup) {
    smbw_bytes odd = {three, 3};
    if (rsp) v.s.setup = odd;
    else v.q.setup = odd;
    CHECK(t_encode(h, NULL, rsp, &v, NULL, 0, NULL, 0, &len) == SMBW_E_INVAL);
  }
}

static void one(const uint8_t *msg, size_t n, const smbw_msg *m, const smbw_block *pre,
                const smbw_block *b, int rsp) {
  tu u0, u1;
  smbw_error e0 = {0, 0, NULL}, e1 = {0, 0, NULL};
  memset(&u0, 0, sizeof u0);
  memset(&u1, 0xFF, sizeof u1);
  int rc0 = t_decode(b, rsp, &u0, &e0);
  int rc1 = t_decode(b, rsp, &u1, &e1);
  CHECK(rc0 == rc1);
  expect x;
  model(b, rsp, &x);
  if (rc0 != x.rc ||
      (rc0 && (!e0.field || strcmp(e0.field, x.field) != 0 || e0.offset != x.offset))) {
    fprintf(stderr, "%s decoder: %s %s at %u, model: %s %s at %u\n", rsp ? "response" : "request",
            smbw_errname(rc0), rc0 && e0.field ? e0.field : "", rc0 ? e0.offset : 0, smbw_errname(x.rc),
            x.rc ? x.field : "", x.offset);
    CHECK(0);
  }
  /* Lenient: the same result, except that Data before or over the
     Parameters (TRANS_LAYOUT) comes back flagged, inside the byte area;
     on failure the output is untouched. */
  {
    tu l, poison;
    smbw_error el = {0, 0, NULL};
    memset(&l, 0x5A, sizeof l);
    poison = l;
    int rcl = rsp ? smbw_trans_rsp_decode_opts(b, SMBW_PARSE_LENIENT, &l.s, &el)
                  : smbw_trans_req_decode_opts(b, SMBW_PARSE_LENIENT, &l.q, &el);
    if (rcl) CHECK(memcmp(&l, &poison, sizeof l) == 0);
    if (rc0 == SMBW_E_TRANS_LAYOUT && rcl == 0) {
      smbw_bytes d = rsp ? l.s.data : l.q.data;
      CHECK((rsp ? l.s.overlap : l.q.overlap) == 1);
      CHECK(d.len && d.data >= b->bytes && d.data < b->bytes + b->bcc &&
            fz_inside(d.data, d.len, b->msg, b->msg_len));
    } else {
      CHECK(rcl == rc0);
      if (rcl) CHECK(el.offset == e0.offset && el.field == e0.field);
      else CHECK((rsp ? l.s.overlap : l.q.overlap) == 0);
    }
  }
  if (rc0) {
    CHECK(fz_err_ok(&e0, rc0, b->msg_len) && e0.offset >= b->offset);
    CHECK(e1.code == e0.code && e1.offset == e0.offset && e1.field == e0.field);
    /* the strict decoders too write nothing when they fail */
    tu z;
    memset(&z, 0xFF, sizeof z);
    CHECK(memcmp(&u1, &z, sizeof z) == 0);
    return;
  }
  if (rsp) {
    check_rsp(b, &u0.s, &x);
    CHECK(rsp_eq(&u0.s, &u1.s, 1));
  } else {
    check_req(b, &u0.q, &x);
    CHECK(req_eq(&u0.q, &u1.q, 1));
  }

  /* encode(decode(x)) == x, trailing bytes kept as a trailer. */
  size_t bend = b->offset + 3u + 2u * b->wct + b->bcc;
  CHECK(bend <= n);
  const uint8_t *trail = msg + bend;
  size_t ntrail = n - bend, need = 0, len = 0;
  int rc = t_encode(&m->hdr, pre, rsp, &u0, trail, ntrail, NULL, 0, &need);
  if (rc != SMBW_E_NOSPACE) {
    fprintf(stderr, "re-encode of a decoded %s failed: %s\n", rsp ? "response" : "request",
            smbw_errname(rc));
    CHECK(0);
  }
  CHECK(need == n);
  uint8_t *o = fz_out(1, need - 1);
  CHECK(t_encode(&m->hdr, pre, rsp, &u0, trail, ntrail, o, need - 1, &len) == SMBW_E_NOSPACE);
  CHECK(len == need && fz_canary_ok(1, need - 1));
  o = fz_out(1, need);
  CHECK(t_encode(&m->hdr, pre, rsp, &u0, trail, ntrail, o, need, &len) == 0 && len == need);
  CHECK(fz_canary_ok(1, need));
  if (memcmp(o, msg, n) != 0) {
    size_t i = 0;
    while (o[i] == msg[i]) i++;
    fprintf(stderr, "encode(decode(x)) != x: first difference at byte %zu (%02x, was %02x)\n", i,
            o[i], msg[i]);
    CHECK(0);
  }
  memcpy(first, o, need);

  /* The output decodes to an equal struct that re-encodes the same. */
  smbw_msg m2;
  smbw_block pre2, b2;
  CHECK(trans_block(o, need, pre != NULL, &m2, &pre2, &b2));
  tu d;
  memset(&d, 0x5A, sizeof d);
  CHECK(t_decode(&b2, rsp, &d, NULL) == 0);
  CHECK(rsp ? rsp_eq(&u0.s, &d.s, 1) : req_eq(&u0.q, &d.q, 1));
  uint8_t *o2 = fz_out(3, need);
  CHECK(t_encode(&m2.hdr, pre ? &pre2 : NULL, rsp, &d, b2.msg + bend, ntrail, o2, need, &len) ==
            0 &&
        len == need && fz_canary_ok(3, need));
  CHECK(memcmp(o2, first, need) == 0);

  relayout(m, pre, b, rsp, &u0, &x);
  encoder_args(&m->hdr, rsp, &u0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX - 64) return 0;
  uint8_t sel = data[0];
  static const uint8_t hdr[32] = {0xFF, 'S', 'M', 'B', 0, 0, 0, 0, 0, 0x18, 0x43, 0x48,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0x01, 0x08, 0x57, 0x53, 0x00, 0x08, 0x07, 0x00};
  uint8_t cmd = cmds[sel & 7];
  size_t n = 32;
  memcpy(buf, hdr, 32);
  buf[4] = cmd;
  if (sel & 0x08) buf[9] |= 0x80;
  if (sel & 0x10) buf[11] |= 0x80;
  if (sel & 0x20) buf[11] |= 0x40;
  int second = (sel & 0x40) != 0;
  if (second) {
    /* LOCKING_ANDX, 2 words, 0 or 1 data byte, chained to the
       transaction block right after it. */
    uint8_t bcc = (sel & 0x80) ? 1 : 0;
    uint16_t next = (uint16_t)(32 + 7 + bcc);
    const uint8_t pre[8] = {2, cmd, 0, (uint8_t)next, (uint8_t)(next >> 8), bcc, 0, 0x2A};
    buf[4] = 0x24;
    memcpy(buf + 32, pre, 7u + bcc);
    n += 7u + bcc;
  }
  memcpy(buf + n, data + 1, size - 1);
  n += size - 1;
  const uint8_t *msg = fz_place(0, buf, n);
  smbw_msg m;
  smbw_block pre, b;
  if (!trans_block(msg, n, second, &m, &pre, &b)) return 0;
  CHECK(b.command == cmd);
  one(msg, n, &m, second ? &pre : NULL, &b, 0);
  one(msg, n, &m, second ? &pre : NULL, &b, 1);

  /* Another command is refused; NULL arguments are. */
  smbw_block other = b;
  other.command = (uint8_t)(sel & 1 ? 0x24 : 0x2E);
  smbw_error e = {0, 0, NULL};
  tu u;
  CHECK(smbw_trans_req_decode(&other, &u.q, &e) == SMBW_E_COMMAND && e.code == SMBW_E_COMMAND &&
        e.offset == b.offset && e.field != NULL);
  CHECK(smbw_trans_rsp_decode(&other, &u.s, &e) == SMBW_E_COMMAND && e.offset == b.offset);
  CHECK(smbw_trans_req_decode(NULL, &u.q, NULL) == SMBW_E_INVAL);
  CHECK(smbw_trans_req_decode(&b, NULL, NULL) == SMBW_E_INVAL);
  CHECK(smbw_trans_rsp_decode(NULL, &u.s, NULL) == SMBW_E_INVAL);
  CHECK(smbw_trans_rsp_decode(&b, NULL, NULL) == SMBW_E_INVAL);
  uint16_t code = b.wct ? fz_ld16(b.words) : 0;
  CHECK(smbw_trans_subcommand_name(cmd, code) == NULL ||
        smbw_trans_subcommand_name(cmd, code)[0] != 0);
  return 0;
}
