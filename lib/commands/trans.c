/* Transactions: SMB_COM_TRANSACTION / TRANSACTION2 / NT_TRANSACT, their
   secondary requests and responses (MS-CIFS 2.2.4.33-34, 2.2.4.46-47,
   2.2.4.62-63).  One word layout table per form; the byte area (name, pads,
   parameters, data, extra) is read and written by shared code. */
#include <smbwire/parse.h>

#include "../core/internal.h"

#include <smbwire/trans.h>

/* Where each field of a form sits in the parameter words (byte offsets);
   W16/W32 gives the field width.  -1: the form has no such field. */
typedef struct form {
  uint8_t base_wct; /* WordCount without setup words */
  uint8_t wide;     /* 1: 32-bit counts and offsets (NT_TRANSACT) */
  int8_t tpc, tdc, mpc, mdc, msc, pc, po, pd, dc, doff, dd, sc, setup;
} form;

#define NO (-1)
/*                          wct wide tpc tdc mpc mdc msc  pc  po  pd  dc  do  dd  sc setup */
static const form F_TRANS_REQ = {14, 0, 0, 2, 4, 6, 8, 18, 20, NO, 22, 24, NO, 26, 28};
static const form F_TRANS_SEC = {8, 0, 0, 2, NO, NO, NO, 4, 6, 8, 10, 12, 14, NO, NO};
static const form F_TRANS2_SEC = {9, 0, 0, 2, NO, NO, NO, 4, 6, 8, 10, 12, 14, NO, NO};
static const form F_NT_REQ = {19, 1, 3, 7, 11, 15, 0, 19, 23, NO, 27, 31, NO, 35, 38};
static const form F_NT_SEC = {18, 1, 3, 7, NO, NO, NO, 11, 15, 19, 23, 27, 31, NO, NO};
static const form F_TRANS_RSP = {10, 0, 0, 2, NO, NO, NO, 6, 8, 10, 12, 14, 16, 18, 20};
static const form F_NT_RSP = {18, 1, 3, 7, NO, NO, NO, 11, 15, 19, 23, 27, 31, 35, 36};

static const form *req_form(uint8_t cmd) {
  switch (cmd) {
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION2: return &F_TRANS_REQ;
  case SMBW_COM_TRANSACTION_SECONDARY: return &F_TRANS_SEC;
  case SMBW_COM_TRANSACTION2_SECONDARY: return &F_TRANS2_SEC;
  case SMBW_COM_NT_TRANSACT: return &F_NT_REQ;
  case SMBW_COM_NT_TRANSACT_SECONDARY: return &F_NT_SEC;
  default: return NULL;
  }
}

static const form *rsp_form(uint8_t cmd) {
  switch (cmd) {
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION2: return &F_TRANS_RSP;
  case SMBW_COM_NT_TRANSACT: return &F_NT_RSP;
  default: return NULL;
  }
}

/* A field's position (only for fields the form has). */
static inline uint32_t fo(int8_t at) { return (uint32_t)(uint8_t)at; }

static inline uint32_t getf(const form *f, const uint8_t *w, int at) {
  if (at < 0) return 0;
  return f->wide ? ld32(w + at) : ld16(w + at);
}

static inline void putf(const form *f, uint8_t *w, int at, uint32_t v) {
  if (at < 0) return;
  if (f->wide) st32(w + at, v);
  else st16(w + at, (uint16_t)v);
}

/* The counts and offsets of one message, as read. */
typedef struct pieces {
  uint32_t tpc, tdc, pc, po, pd, dc, doff, dd;
} pieces;

static void read_pieces(const form *f, const uint8_t *w, pieces *p) {
  p->tpc = getf(f, w, f->tpc);
  p->tdc = getf(f, w, f->tdc);
  p->pc = getf(f, w, f->pc);
  p->po = getf(f, w, f->po);
  p->pd = getf(f, w, f->pd);
  p->dc = getf(f, w, f->dc);
  p->doff = getf(f, w, f->doff);
  p->dd = getf(f, w, f->dd);
}

/* The five views of a byte area, in the caller's struct. */
typedef struct areas {
  smbw_bytes *pad1, *params, *pad2, *data, *extra;
} areas;

/* Read the byte area from r->pos (after the Name): parameters, data, the
   pads before them and the rest.  Offsets of the count/offset fields (for
   error reports) come from the form. */
static int read_areas(smbw_rd *r, const smbw_block *b, const form *f, const pieces *p,
                      const areas *v, int lenient, uint8_t *overlap, smbw_error *err) {
  const uint32_t woff = b->offset + 1u;
  const uint32_t start = (uint32_t)(b->bytes - b->msg);
  const uint8_t *base = r->base;
  uint32_t pos = r->pos;
  v->pad1->data = base + pos;
  v->pad1->len = 0;
  v->params->data = base + pos;
  v->params->len = 0;
  if (p->pc) {
    if (p->po < pos || p->po > r->end || p->pc > r->end - p->po)
      return smbw_fail(err, SMBW_E_DATA_OFFSET, woff + fo(f->po), "ParameterOffset");
    v->pad1->len = p->po - pos;
    v->params->data = base + p->po;
    v->params->len = p->pc;
    pos = p->po + p->pc;
  }
  v->pad2->data = base + pos;
  v->pad2->len = 0;
  v->data->data = base + pos;
  v->data->len = 0;
  if (p->dc) {
    if (p->doff < pos) {
      /* Inside the byte area but before the end of the parameters (or of
         the Name): out of order or overlapping.  Lenient: returned where
         it is, flagged, as long as it ends inside the message (EternalBlue's
         NT_TRANSACT has such Data, which also runs one byte past ByteCount). */
      int inside = p->doff >= start && p->doff < r->end;
      if (!inside || !lenient || p->dc > b->msg_len - p->doff)
        return smbw_fail(err, inside ? SMBW_E_TRANS_LAYOUT : SMBW_E_DATA_OFFSET,
                         woff + fo(f->doff), "DataOffset");
      *overlap = 1;
      v->data->data = base + p->doff;
      v->data->len = p->dc;
      if (p->doff + p->dc > pos) pos = p->doff + p->dc;
      r->pos = pos < r->end ? pos : r->end;
      smbw_rd_rest(r, v->extra);
      return 0;
    }
    if (p->doff > r->end || p->dc > r->end - p->doff)
      return smbw_fail(err, SMBW_E_DATA_OFFSET, woff + fo(f->doff), "DataOffset");
    v->pad2->len = p->doff - pos;
    v->data->data = base + p->doff;
    v->data->len = p->dc;
    pos = p->doff + p->dc;
  }
  r->pos = pos;
  smbw_rd_rest(r, v->extra);
  return 0;
}

/* Check WordCount against the form and SetupCount; returns the setup word
   count or a negative error. */
static int check_wct(const smbw_block *b, const form *f, smbw_error *err) {
  if (f->sc < 0) {
    if (b->wct != f->base_wct) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
    return 0;
  }
  if (b->wct < f->base_wct) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  unsigned sc = b->words[f->sc];
  if (b->wct != f->base_wct + sc)
    return smbw_fail(err, SMBW_E_WCT, b->offset + 1u + fo(f->sc), "SetupCount");
  return (int)sc;
}

static int trans_req_decode(const smbw_block *b, int lenient, smbw_trans_req *out,
                            smbw_error *err) {
  const form *f = req_form(b->command);
  if (SMBW_UNLIKELY(!f)) return smbw_fail(err, SMBW_E_COMMAND, b->offset, "Command");
  int sc = check_wct(b, f, err);
  if (sc < 0) return sc;
  const uint8_t *w = b->words;
  memset(out, 0, sizeof *out);
  out->command = b->command;
  out->wct = b->wct;
  pieces p;
  read_pieces(f, w, &p);
  out->total_param_count = p.tpc;
  out->total_data_count = p.tdc;
  out->param_offset = p.po;
  out->param_displacement = p.pd;
  out->data_offset = p.doff;
  out->data_displacement = p.dd;
  out->max_param_count = getf(f, w, f->mpc);
  out->max_data_count = getf(f, w, f->mdc);
  switch (b->command) {
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION2:
    out->max_setup_count = w[8];
    out->reserved1 = w[9];
    out->flags = ld16(w + 10);
    out->timeout = ld32(w + 12);
    out->reserved2 = ld16(w + 16);
    out->reserved3 = w[27];
    break;
  case SMBW_COM_TRANSACTION2_SECONDARY:
    out->fid = ld16(w + 16);
    break;
  case SMBW_COM_NT_TRANSACT:
    out->max_setup_count = w[0];
    out->reserved2 = ld16(w + 1);
    out->function = ld16(w + 36);
    break;
  case SMBW_COM_NT_TRANSACT_SECONDARY:
    out->reserved1 = w[0];
    out->reserved2 = ld16(w + 1);
    out->reserved3 = w[35];
    break;
  default:
    break;
  }
  out->setup.data = f->setup >= 0 ? w + f->setup : w;
  out->setup.len = 2u * (uint32_t)sc;
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  if (b->command == SMBW_COM_TRANSACTION) smbw_rd_str(&r, smbw_block_unicode(b), 1, &out->name);
  const areas v = {&out->pad1, &out->params, &out->pad2, &out->data, &out->extra};
  return read_areas(&r, b, f, &p, &v, lenient, &out->overlap, err);
}

static int trans_rsp_decode(const smbw_block *b, int lenient, smbw_trans_rsp *out,
                            smbw_error *err) {
  const form *f = rsp_form(b->command);
  if (SMBW_UNLIKELY(!f && !req_form(b->command)))
    return smbw_fail(err, SMBW_E_COMMAND, b->offset, "Command");
  memset(out, 0, sizeof *out);
  out->command = b->command;
  out->wct = b->wct;
  if (b->wct == 0) {
    out->extra = smbw_block_data(b);
    return 0;
  }
  if (!f) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount"); /* secondary */
  int sc = check_wct(b, f, err);
  if (sc < 0) return sc;
  const uint8_t *w = b->words;
  pieces p;
  read_pieces(f, w, &p);
  out->total_param_count = p.tpc;
  out->total_data_count = p.tdc;
  out->param_offset = p.po;
  out->param_displacement = p.pd;
  out->data_offset = p.doff;
  out->data_displacement = p.dd;
  if (f->wide) {
    out->reserved1 = (uint32_t)w[0] | (uint32_t)w[1] << 8 | (uint32_t)w[2] << 16;
  } else {
    out->reserved1 = ld16(w + 4);
    out->reserved2 = w[19];
  }
  out->setup.data = w + f->setup;
  out->setup.len = 2u * (uint32_t)sc;
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  const areas v = {&out->pad1, &out->params, &out->pad2, &out->data, &out->extra};
  return read_areas(&r, b, f, &p, &v, lenient, &out->overlap, err);
}

/* The public decoders decode into a local struct and copy it out only on
   success (doc/contract.md). */
SMBW_API int smbw_trans_req_decode_opts_(const smbw_block *b, unsigned opts, smbw_trans_req *out,
                                         size_t out_size, smbw_error *err) {
  if (SMBW_UNLIKELY(!b || !out || out_size < SMBW_FIRST_SIZE(smbw_trans_req, overlap) ||
                    opts > SMBW_PARSE_LENIENT))
    return smbw_fail(err, SMBW_E_INVAL, 0, "block");
  smbw_trans_req t;
  int rc = trans_req_decode(b, opts == SMBW_PARSE_LENIENT, &t, err);
  if (rc == 0) smbw_put_sized(out, out_size, &t, sizeof t);
  return rc;
}

SMBW_API int smbw_trans_rsp_decode_opts_(const smbw_block *b, unsigned opts, smbw_trans_rsp *out,
                                         size_t out_size, smbw_error *err) {
  if (SMBW_UNLIKELY(!b || !out || out_size < SMBW_FIRST_SIZE(smbw_trans_rsp, overlap) ||
                    opts > SMBW_PARSE_LENIENT))
    return smbw_fail(err, SMBW_E_INVAL, 0, "block");
  smbw_trans_rsp t;
  int rc = trans_rsp_decode(b, opts == SMBW_PARSE_LENIENT, &t, err);
  if (rc == 0) smbw_put_sized(out, out_size, &t, sizeof t);
  return rc;
}

/* ---- encoding ---- */

/* Placement of the areas from byte-area offset pos0 (after the Name). */
typedef struct layout {
  uint32_t po, doff;   /* offset fields to write */
  uint32_t gap1, gap2; /* pad lengths */
  uint32_t nbytes;     /* ByteCount (without the Name: added by the caller) */
} layout;

static inline uint64_t align4(uint64_t x) { return (x + 3u) & ~(uint64_t)3u; }

/* Returns 0 or SMBW_E_RANGE (byte area over 65535 bytes, or an offset
   beyond the field). */
static int place(uint32_t pos0, uint32_t po, uint32_t pc, uint32_t doff, uint32_t dc,
                 uint32_t extra, uint32_t limit, layout *l) {
  uint64_t pos = pos0;
  l->po = po;
  l->doff = doff;
  l->gap1 = l->gap2 = 0;
  if (pc) {
    uint64_t at = po >= pos ? po : align4(pos);
    if (at > 0xFFFFFFFFu) return SMBW_E_RANGE;
    l->gap1 = (uint32_t)(at - pos);
    l->po = (uint32_t)at;
    pos = at + pc;
  }
  if (dc) {
    uint64_t at = doff >= pos ? doff : align4(pos);
    if (at > 0xFFFFFFFFu) return SMBW_E_RANGE;
    l->gap2 = (uint32_t)(at - pos);
    l->doff = (uint32_t)at;
    pos = at + dc;
  }
  pos += extra;
  if (pos - pos0 > 0xFFFFu || l->po > limit || l->doff > limit) return SMBW_E_RANGE;
  l->nbytes = (uint32_t)(pos - pos0);
  return 0;
}

static void write_areas(smbw_wr *wr, const layout *l, const smbw_bytes *pad1,
                        const smbw_bytes *params, const smbw_bytes *pad2,
                        const smbw_bytes *data, const smbw_bytes *extra) {
  if (params->len) {
    if (pad1->len == l->gap1) smbw_wr_bytes(wr, pad1->data, l->gap1);
    else smbw_wr_zero(wr, l->gap1);
    smbw_wr_bytes(wr, params->data, params->len);
  }
  if (data->len) {
    if (pad2->len == l->gap2) smbw_wr_bytes(wr, pad2->data, l->gap2);
    else smbw_wr_zero(wr, l->gap2);
    smbw_wr_bytes(wr, data->data, data->len);
  }
  smbw_wr_bytes(wr, extra->data, extra->len);
}

/* Values of a 16-bit form must fit (counts and offsets are checked by
   place()). */
static int check_values(const form *f, const uint32_t *v, unsigned n) {
  if (!f->wide)
    for (unsigned i = 0; i < n; i++)
      if (v[i] > 0xFFFFu) return SMBW_E_RANGE;
  return 0;
}

static int setup_words(const form *f, smbw_bytes setup, uint8_t *sc) {
  if (f->sc < 0) {
    *sc = 0;
    return 0;
  }
  if (setup.len & 1u) return SMBW_E_INVAL;
  if (setup.len / 2u > 255u - f->base_wct) return SMBW_E_RANGE;
  *sc = (uint8_t)(setup.len / 2u);
  return 0;
}

SMBW_API int smbw_trans_req_encode_(smbw_builder *bld, const smbw_trans_req *r, size_t r_size) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_trans_req, overlap)) return smbw_builder_fail(bld, SMBW_E_INVAL);
  smbw_trans_req in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  const form *f = req_form(r->command);
  if (!f) return smbw_builder_fail(bld, SMBW_E_INVAL);
  const smbw_bytes views[] = {r->setup, r->params, r->data, r->pad1, r->pad2, r->extra};
  for (unsigned i = 0; i < 6; i++)
    if (smbw_view_bad(views[i])) return smbw_builder_fail(bld, SMBW_E_INVAL);
  uint8_t sc;
  int rc = setup_words(f, r->setup, &sc);
  if (rc) return smbw_builder_fail(bld, rc);
  uint8_t wct = (uint8_t)(f->base_wct + sc);
  pieces p = {r->total_param_count, r->total_data_count, r->params.len, r->param_offset,
              r->param_displacement, r->data.len, r->data_offset, r->data_displacement};
  if (f->pd < 0) p.pd = p.dd = 0;
  /* Only the fields this layout has (a secondary has no Max counts, a
     primary no displacements). */
  const uint32_t vals[] = {p.tpc, p.tdc, f->pd >= 0 ? p.pd : 0, f->dd >= 0 ? p.dd : 0,
                           f->mpc >= 0 ? r->max_param_count : 0,
                           f->mdc >= 0 ? r->max_data_count : 0};
  rc = check_values(f, vals, 6);
  if (rc) return smbw_builder_fail(bld, rc);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  uint32_t boff = smbw_block_start(bld) + 3u + 2u * wct;
  uint32_t namesz = 0;
  const uint32_t limit = f->wide ? 0xFFFFFFFFu : 0xFFFFu;
  layout l;
  /* A TRANSACTION request starts its byte area with the Name.  The decoder
     finds no Name only in an empty byte area, or (Unicode) in a lone byte
     at an odd offset, which it leaves to what follows; an absent Name is
     written as nothing in those two cases and as "" otherwise (else the
     decoder would read what follows as the Name). */
  static const uint8_t nothing[1] = {0};
  static const smbw_str empty = {nothing, 0, SMBW_STR_OEM, 0, 0};
  const smbw_str *name = &r->name;
  int has_name = 0;
  if (r->command == SMBW_COM_TRANSACTION) {
    has_name = 1;
    if (!r->name.data) {
      rc = place(boff, r->param_offset, p.pc, r->data_offset, p.dc, r->extra.len, limit, &l);
      if (rc) return smbw_builder_fail(bld, rc);
      has_name = !(l.nbytes == 0 || (uni && (boff & 1u) && l.nbytes == 1));
      name = &empty;
    }
  }
  if (has_name) {
    rc = smbw_str_wire_size(name, uni, 1, boff, &namesz);
    if (rc) return smbw_builder_fail(bld, rc);
    if (namesz > 0xFFFFu) return smbw_builder_fail(bld, SMBW_E_RANGE);
  }
  rc = place(boff + namesz, r->param_offset, p.pc, r->data_offset, p.dc, r->extra.len, limit,
             &l);
  if (rc) return smbw_builder_fail(bld, rc);
  uint32_t nbytes = namesz + l.nbytes;
  if (nbytes > 0xFFFFu) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  rc = smbw_block_begin(bld, r->command, wct, nbytes, (uint16_t)nbytes, &w, &wr);
  if (rc || !w) return rc;
  putf(f, w, f->tpc, p.tpc);
  putf(f, w, f->tdc, p.tdc);
  putf(f, w, f->mpc, r->max_param_count);
  putf(f, w, f->mdc, r->max_data_count);
  putf(f, w, f->pc, p.pc);
  putf(f, w, f->po, l.po);
  putf(f, w, f->pd, p.pd);
  putf(f, w, f->dc, p.dc);
  putf(f, w, f->doff, l.doff);
  putf(f, w, f->dd, p.dd);
  switch (r->command) {
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION2:
    w[8] = r->max_setup_count;
    w[9] = r->reserved1;
    st16(w + 10, r->flags);
    st32(w + 12, r->timeout);
    st16(w + 16, r->reserved2);
    w[26] = sc;
    w[27] = r->reserved3;
    break;
  case SMBW_COM_TRANSACTION2_SECONDARY:
    st16(w + 16, r->fid);
    break;
  case SMBW_COM_NT_TRANSACT:
    w[0] = r->max_setup_count;
    st16(w + 1, r->reserved2);
    w[35] = sc;
    st16(w + 36, r->function);
    break;
  case SMBW_COM_NT_TRANSACT_SECONDARY:
    w[0] = r->reserved1;
    st16(w + 1, r->reserved2);
    w[35] = r->reserved3;
    break;
  default:
    break;
  }
  if (sc) memcpy(w + f->setup, r->setup.data, 2u * sc);
  if (has_name) smbw_wr_str(&wr, name, uni, 1);
  write_areas(&wr, &l, &r->pad1, &r->params, &r->pad2, &r->data, &r->extra);
  return 0;
}

SMBW_API int smbw_trans_rsp_encode_(smbw_builder *bld, const smbw_trans_rsp *r, size_t r_size) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_trans_rsp, overlap)) return smbw_builder_fail(bld, SMBW_E_INVAL);
  smbw_trans_rsp in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  const smbw_bytes views[] = {r->setup, r->params, r->data, r->pad1, r->pad2, r->extra};
  for (unsigned i = 0; i < 6; i++)
    if (smbw_view_bad(views[i])) return smbw_builder_fail(bld, SMBW_E_INVAL);
  uint8_t *w;
  smbw_wr wr;
  int rc;
  if (r->wct == 0) {
    if (!rsp_form(r->command) && !req_form(r->command)) return smbw_builder_fail(bld, SMBW_E_INVAL);
    if (r->extra.len > 0xFFFFu) return smbw_builder_fail(bld, SMBW_E_RANGE);
    rc = smbw_block_begin(bld, r->command, 0, r->extra.len, (uint16_t)r->extra.len, &w, &wr);
    if (rc || !w) return rc;
    smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
    return 0;
  }
  const form *f = rsp_form(r->command);
  if (!f) return smbw_builder_fail(bld, SMBW_E_INVAL);
  uint8_t sc;
  rc = setup_words(f, r->setup, &sc);
  if (rc) return smbw_builder_fail(bld, rc);
  uint8_t wct = (uint8_t)(f->base_wct + sc);
  if (r->wct != wct) return smbw_builder_fail(bld, SMBW_E_INVAL);
  pieces p = {r->total_param_count, r->total_data_count, r->params.len, r->param_offset,
              r->param_displacement, r->data.len, r->data_offset, r->data_displacement};
  const uint32_t vals[] = {p.tpc, p.tdc, p.pd, p.dd, r->reserved1};
  rc = check_values(f, vals, 5);
  if (!rc && f->wide && r->reserved1 > 0xFFFFFFu) rc = SMBW_E_RANGE;
  if (rc) return smbw_builder_fail(bld, rc);
  uint32_t boff = smbw_block_start(bld) + 3u + 2u * wct;
  layout l;
  rc = place(boff, r->param_offset, p.pc, r->data_offset, p.dc, r->extra.len,
             f->wide ? 0xFFFFFFFFu : 0xFFFFu, &l);
  if (rc) return smbw_builder_fail(bld, rc);
  rc = smbw_block_begin(bld, r->command, wct, l.nbytes, (uint16_t)l.nbytes, &w, &wr);
  if (rc || !w) return rc;
  putf(f, w, f->tpc, p.tpc);
  putf(f, w, f->tdc, p.tdc);
  putf(f, w, f->pc, p.pc);
  putf(f, w, f->po, l.po);
  putf(f, w, f->pd, p.pd);
  putf(f, w, f->dc, p.dc);
  putf(f, w, f->doff, l.doff);
  putf(f, w, f->dd, p.dd);
  if (f->wide) {
    w[0] = (uint8_t)r->reserved1;
    w[1] = (uint8_t)(r->reserved1 >> 8);
    w[2] = (uint8_t)(r->reserved1 >> 16);
  } else {
    st16(w + 4, (uint16_t)r->reserved1);
    w[19] = r->reserved2;
  }
  w[f->sc] = sc;
  if (sc) memcpy(w + f->setup, r->setup.data, 2u * sc);
  write_areas(&wr, &l, &r->pad1, &r->params, &r->pad2, &r->data, &r->extra);
  return 0;
}

/* ---- subcommand names ---- */

SMBW_API const char *smbw_trans_subcommand_name(uint8_t command, uint16_t code) {
  switch (command) {
  case SMBW_COM_TRANSACTION2:
  case SMBW_COM_TRANSACTION2_SECONDARY:
    switch (code) {
#define SMBW_X_NAME(name, c) \
  case c: return "TRANS2_" #name;
      SMBW_TRANS2_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
    default: return NULL;
    }
  case SMBW_COM_NT_TRANSACT:
  case SMBW_COM_NT_TRANSACT_SECONDARY:
    switch (code) {
#define SMBW_X_NAME(name, c) \
  case c: return "NT_TRANSACT_" #name;
      SMBW_NT_TRANSACT_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
    default: return NULL;
    }
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION_SECONDARY:
    switch (code) {
#define SMBW_X_NAME(name, text, c) \
  case c: return #text;
      SMBW_TRANS_PIPE_LIST(SMBW_X_NAME)
#undef SMBW_X_NAME
    default: return NULL;
    }
  default:
    return NULL;
  }
}

/* ---- reassembly ---- */

SMBW_API int smbw_trans_asm_init(smbw_trans_asm *a, uint8_t *params, size_t params_cap,
                                 uint8_t *data, size_t data_cap) {
  if (!a || (!params && params_cap) || (!data && data_cap) || params_cap > 0xFFFFFFFFu ||
      data_cap > 0xFFFFFFFFu)
    return SMBW_E_INVAL;
  memset(a, 0, sizeof *a);
  a->pbuf_ = params;
  a->dbuf_ = data;
  a->pcap_ = (uint32_t)params_cap;
  a->dcap_ = (uint32_t)data_cap;
  return 0;
}

/* Whether [lo, hi) can join the sorted ranges: 0, SMBW_E_TRANS_OVERLAP or
   SMBW_E_TRANS_FRAGMENTS (more than eight disjoint pieces after merging).
   Shared with the datagram reassembler (dgram.c). */
SMBW_HIDDEN int smbw_ranges_check(const smbw_trans_ranges *s, uint32_t lo, uint32_t hi) {
  if (lo == hi) return 0;
  uint32_t merged = s->n;
  for (uint32_t i = 0; i < s->n; i++) {
    if (lo < s->hi_[i] && s->lo_[i] < hi) return SMBW_E_TRANS_OVERLAP;
  }
  /* Count the ranges after insertion and merging of touching ones. */
  int touch = 0;
  for (uint32_t i = 0; i < s->n; i++)
    if (s->hi_[i] == lo || s->lo_[i] == hi) touch++;
  merged = s->n + 1u - (uint32_t)touch;
  return merged > 8u ? SMBW_E_TRANS_FRAGMENTS : 0;
}

SMBW_HIDDEN void smbw_ranges_add(smbw_trans_ranges *s, uint32_t lo, uint32_t hi) {
  if (lo == hi) return;
  uint32_t i = 0;
  while (i < s->n && s->hi_[i] < lo) i++;
  /* i: first range that ends at or after lo (so it may touch on its end) */
  if (i < s->n && s->hi_[i] == lo) {
    s->hi_[i] = hi;
    if (i + 1u < s->n && s->lo_[i + 1u] == hi) { /* bridges to the next */
      s->hi_[i] = s->hi_[i + 1u];
      for (uint32_t j = i + 1u; j + 1u < s->n; j++) {
        s->lo_[j] = s->lo_[j + 1u];
        s->hi_[j] = s->hi_[j + 1u];
      }
      s->n--;
    }
  } else if (i < s->n && s->lo_[i] == hi) {
    s->lo_[i] = lo;
  } else {
    for (uint32_t j = s->n; j > i; j--) {
      s->lo_[j] = s->lo_[j - 1u];
      s->hi_[j] = s->hi_[j - 1u];
    }
    s->lo_[i] = lo;
    s->hi_[i] = hi;
    s->n++;
  }
  s->got += hi - lo;
  if (hi > s->hi) s->hi = hi;
}

/* One fragment, family-independent. */
typedef struct frag {
  uint8_t command; /* primary command of the family */
  uint8_t primary; /* 1: starts a transaction */
  uint16_t sub;
  uint32_t tpc, tdc, pd, dd;
  smbw_bytes params, data;
} frag;

static int asm_add(smbw_trans_asm *a, const frag *f, const smbw_header *h, int rsp,
                   smbw_error *err) {
  if (a->done) return smbw_fail(err, SMBW_E_STATE, 0, "transaction");
  uint32_t pid = (uint32_t)h->pid_high << 16 | h->pid_low;
  if (a->command == 0) {
    if (!rsp && !f->primary) return smbw_fail(err, SMBW_E_STATE, 0, "Command");
  } else {
    if (f->command != a->command || (uint8_t)rsp != a->response || f->primary != rsp)
      return smbw_fail(err, SMBW_E_TRANS_MISMATCH, 4, "Command");
    if (h->tid != a->tid || h->uid != a->uid || h->mid != a->mid || pid != a->pid)
      return smbw_fail(err, SMBW_E_TRANS_MISMATCH, 24, "TID/PID/UID/MID");
    /* Totals may shrink, never grow nor fall below what was received. */
    if (f->tpc > a->total_params || f->tpc < a->pr_.hi)
      return smbw_fail(err, SMBW_E_TRANS_TOTAL, 0, "TotalParameterCount");
    if (f->tdc > a->total_data || f->tdc < a->dr_.hi)
      return smbw_fail(err, SMBW_E_TRANS_TOTAL, 0, "TotalDataCount");
  }
  if (f->tpc > a->pcap_ || f->tdc > a->dcap_) {
    if (a->command == 0) {
      a->total_params = f->tpc;
      a->total_data = f->tdc;
    }
    return smbw_fail(err, SMBW_E_NOSPACE, 0,
                     f->tpc > a->pcap_ ? "TotalParameterCount" : "TotalDataCount");
  }
  if ((uint64_t)f->pd + f->params.len > f->tpc)
    return smbw_fail(err, SMBW_E_TRANS_DISPLACEMENT, f->pd, "ParameterDisplacement");
  if ((uint64_t)f->dd + f->data.len > f->tdc)
    return smbw_fail(err, SMBW_E_TRANS_DISPLACEMENT, f->dd, "DataDisplacement");
  uint32_t pe = f->pd + f->params.len, de = f->dd + f->data.len;
  int rc = smbw_ranges_check(&a->pr_, f->pd, pe);
  if (rc) return smbw_fail(err, rc, f->pd, "ParameterDisplacement");
  rc = smbw_ranges_check(&a->dr_, f->dd, de);
  if (rc) return smbw_fail(err, rc, f->dd, "DataDisplacement");
  /* Accepted: nothing below can fail. */
  if (a->command == 0) {
    a->command = f->command;
    a->response = (uint8_t)rsp;
    a->subcommand = f->sub;
    a->tid = h->tid;
    a->uid = h->uid;
    a->mid = h->mid;
    a->pid = pid;
  }
  a->total_params = f->tpc;
  a->total_data = f->tdc;
  if (f->params.len) memcpy(a->pbuf_ + f->pd, f->params.data, f->params.len);
  if (f->data.len) memcpy(a->dbuf_ + f->dd, f->data.data, f->data.len);
  smbw_ranges_add(&a->pr_, f->pd, pe);
  smbw_ranges_add(&a->dr_, f->dd, de);
  if (a->fragments < 255) a->fragments++;
  if (a->pr_.got == a->total_params && a->dr_.got == a->total_data) {
    a->done = 1;
    a->params.data = a->pbuf_;
    a->params.len = a->total_params;
    a->data.data = a->dbuf_;
    a->data.len = a->total_data;
    return 1;
  }
  return 0;
}

static uint8_t family(uint8_t cmd) {
  switch (cmd) {
  case SMBW_COM_TRANSACTION_SECONDARY: return SMBW_COM_TRANSACTION;
  case SMBW_COM_TRANSACTION2_SECONDARY: return SMBW_COM_TRANSACTION2;
  case SMBW_COM_NT_TRANSACT_SECONDARY: return SMBW_COM_NT_TRANSACT;
  default: return cmd;
  }
}

SMBW_API int smbw_trans_asm_req_(smbw_trans_asm *a, const smbw_trans_req *r, size_t r_size,
                                 const smbw_header *hdr, smbw_error *err) {
  if (!a || !r || r_size < SMBW_FIRST_SIZE(smbw_trans_req, overlap) || !hdr ||
      !req_form(r->command)) return smbw_fail(err, SMBW_E_INVAL, 0, "request");
  if (smbw_view_bad(r->params) || smbw_view_bad(r->data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "request");
  frag f;
  f.command = family(r->command);
  f.primary = f.command == r->command;
  f.sub = r->command == SMBW_COM_NT_TRANSACT ? r->function : smbw_trans_setup(r->setup, 0);
  f.tpc = r->total_param_count;
  f.tdc = r->total_data_count;
  f.pd = f.primary ? 0 : r->param_displacement;
  f.dd = f.primary ? 0 : r->data_displacement;
  f.params = r->params;
  f.data = r->data;
  return asm_add(a, &f, hdr, 0, err);
}

SMBW_API int smbw_trans_asm_rsp_(smbw_trans_asm *a, const smbw_trans_rsp *r, size_t r_size,
                                 const smbw_header *hdr, smbw_error *err) {
  if (!a || !r || r_size < SMBW_FIRST_SIZE(smbw_trans_rsp, overlap) || !hdr) return smbw_fail(err, SMBW_E_INVAL, 0, "response");
  if (r->wct == 0) return a->done ? smbw_fail(err, SMBW_E_STATE, 0, "transaction") : 0;
  if (!rsp_form(r->command) || smbw_view_bad(r->params) || smbw_view_bad(r->data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "response");
  frag f;
  f.command = r->command;
  f.primary = 1;
  f.sub = smbw_trans_setup(r->setup, 0);
  f.tpc = r->total_param_count;
  f.tdc = r->total_data_count;
  f.pd = r->param_displacement;
  f.dd = r->data_displacement;
  f.params = r->params;
  f.data = r->data;
  return asm_add(a, &f, hdr, 1, err);
}
