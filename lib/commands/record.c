/*
 * The records (form.h SMBW_RECORD_LIST, info.h): structures inside a
 * transaction's parameters or data, or inside a message's byte area,
 * described by rows in forms.c.  One reader of those rows decodes,
 * encodes and visits every record; its rules, written once here and in
 * doc/forms.md:
 *
 *  - A record is a fixed part, whose rows sit at constant offsets, and at
 *    most one item after it: a name of the byte length a W_LEN8/W_LEN32
 *    row of the fixed part gives (W_LEN16 too: I_LSTR; with arg 1, a UTF-16 name that is
 *    not empty starts at an even offset of the area, after a pad byte kept
 *    in smbw_str::pad),
 *    bytes of such a length (I_LBYTES), a NUL-terminated name to the end of
 *    the area (I_STRZ), or the rest of the area (I_REST).
 *  - An area shorter than the fixed part is SMBW_E_TRUNCATED, blamed on the
 *    first row it cuts; a length that runs past the area is
 *    SMBW_E_FIELD_LENGTH, blamed on the length row, at its offset.
 *  - Decoding fills a staging copy and gives it to the caller only on
 *    success, at most the caller's size of it (doc/abi.md).
 *  - Encoding computes length rows from the names, writes nothing unless
 *    the whole record fits, and pads a chained entry with zeros up to its
 *    NextEntryOffset, so that real lists re-encode byte for byte.
 *  - Chained entries (REC_CHAINED) follow their NextEntryOffset, which
 *    must hold the entry and stay in the area: the walk only moves forward.
 */
#include "form.h"

#include <smbwire/trans.h>

static const smbw_recdesc *rec_desc(int rec) {
  return rec >= 0 && rec < SMBW_RECORD_COUNT_ ? &smbw_records[rec] : NULL;
}

/* Is r a row of the fixed part (not the item after it)? */
static int fixed_row(const smbw_row *r) {
  return r->kind != I_LSTR && r->kind != I_STRZ && r->kind != I_REST && r->kind != I_LBYTES;
}

/* The row of the record's item, or NULL when it has none. */
static const smbw_row *rec_item(const smbw_recdesc *d) {
  const smbw_row *r = &d->rows[d->nrows - 1];
  return fixed_row(r) ? NULL : r;
}

/* The row that gives the length of the item, or NULL. */
static const smbw_row *rec_len(const smbw_recdesc *d) {
  for (unsigned i = 0; i < d->nrows; i++)
    if (d->rows[i].kind == W_LEN8 || d->rows[i].kind == W_LEN16 || d->rows[i].kind == W_LEN32)
      return &d->rows[i];
  return NULL;
}

static uint64_t rd_uint(const uint8_t *q, unsigned w) {
  return w == 1 ? q[0] : w == 2 ? ld16(q) : w == 4 ? ld32(q) : ld64(q);
}

static void set_member(uint8_t *v, uint16_t m, unsigned w, uint64_t x) {
  if (w == 1) {
    v[m] = (uint8_t)x;
  } else if (w == 2) {
    uint16_t y = (uint16_t)x;
    memcpy(v + m, &y, 2);
  } else if (w == 4) {
    uint32_t y = (uint32_t)x;
    memcpy(v + m, &y, 4);
  } else {
    memcpy(v + m, &x, 8);
  }
}

static uint64_t get_member(const uint8_t *v, uint16_t m, unsigned w) {
  if (w == 1) return v[m];
  if (w == 2) {
    uint16_t y;
    memcpy(&y, v + m, 2);
    return y;
  }
  if (w == 4) {
    uint32_t y;
    memcpy(&y, v + m, 4);
    return y;
  }
  uint64_t y;
  memcpy(&y, v + m, 8);
  return y;
}

/* Decode into v (staging, d->ssize bytes); returns the bytes spanned. */
static int rec_decode(const smbw_recdesc *d, const uint8_t *p, uint32_t len, unsigned flags,
                      uint8_t *v, smbw_error *err) {
  const int unicode = (flags & SMBW_REC_UNICODE) != 0;
  /* a UTF-16 name after the fixed part sits at an odd offset from the SMB
     header: the aligned names skip a pad byte first */
  const uint32_t odd = ((flags & SMBW_REC_ODD ? 1u : 0u) + d->size) & 1u;
  if (len < d->size) { /* name the first row the area cuts */
    for (unsigned i = 0; i < d->nrows; i++) {
      const smbw_row *r = &d->rows[i];
      if (fixed_row(r) && r->off + smbw_row_width(r) > len)
        return smbw_fail_cold(err, SMBW_E_TRUNCATED, r->off, r->name);
    }
    return smbw_fail_cold(err, SMBW_E_TRUNCATED, len, d->name);
  }
  memset(v, 0, d->ssize);
  uint32_t item_len = 0;
  const smbw_row *lenrow = NULL;
  for (unsigned i = 0; i < d->nrows; i++) {
    const smbw_row *r = &d->rows[i];
    const unsigned w = smbw_row_width(r);
    switch (r->kind) {
    case W_U8:
    case W_U16:
    case W_U32:
    case W_U64: set_member(v, r->m, w, rd_uint(p + r->off, w)); break;
    case W_RAW: memcpy(v + r->m, p + r->off, w); break;
    case W_LEN8:
    case W_LEN16:
    case W_LEN32:
      item_len = (uint32_t)rd_uint(p + r->off, w);
      lenrow = r;
      break;
    default: break;
    }
  }
  const smbw_row *it = rec_item(d);
  uint32_t span = d->size;
  if (it && (it->kind == I_LSTR || it->kind == I_LBYTES)) {
    const uint32_t pad = it->kind == I_LSTR && it->arg && unicode && odd && item_len ? 1u : 0u;
    if (item_len > len - d->size || pad > len - d->size - item_len)
      return smbw_fail_cold(err, SMBW_E_FIELD_LENGTH, lenrow->off, lenrow->name);
    if (it->kind == I_LBYTES) {
      smbw_bytes b = {p + d->size, item_len};
      memcpy(v + it->m, &b, sizeof b);
    } else {
      smbw_str s = {p + d->size + pad, item_len, unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM, 1,
                    pad ? p[d->size] : 0};
      memcpy(v + it->m, &s, sizeof s);
    }
    span += pad + item_len;
  } else if (it && it->kind == I_STRZ) {
    smbw_str s = {NULL, 0, unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM, 0, 0};
    uint32_t at = d->size;
    if (at < len) { /* absent when nothing follows the fixed part */
      if (unicode && odd) at++; /* the pad: kept in s.pad below */
      smbw_rd r = {p, at, len, err, 0};
      smbw_rd_str(&r, unicode, 0, &s);
      if (!s.data) { /* only the pad: an empty, unterminated name */
        s.data = p + len;
        s.unterminated = 1;
      }
      s.pad = unicode && odd ? p[d->size] : 0;
      at = r.pos;
    }
    memcpy(v + it->m, &s, sizeof s);
    span = at;
  } else if (it) { /* I_REST */
    smbw_bytes b = {p + d->size, len - d->size};
    memcpy(v + it->m, &b, sizeof b);
    span = len;
  }
  return (int)span;
}

SMBW_API int smbw_record_decode_(int rec, smbw_bytes area, unsigned flags, void *out,
                                 size_t size, smbw_error *err) {
  const smbw_recdesc *d = rec_desc(rec);
  if (!d || !out || smbw_view_bad(area) || area.len > INT32_MAX || size < d->min_size)
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "record");
  _Alignas(max_align_t) uint8_t v[SMBW_RECORD_MAX_SIZE];
  int n = rec_decode(d, area.data, area.len, flags, v, err);
  if (n >= 0) smbw_put_sized(out, size, v, d->ssize);
  return n;
}

/* The wire size of the record in v; 0 or an error. */
static int rec_size(const smbw_recdesc *d, const uint8_t *v, unsigned flags, uint32_t *size,
                    uint32_t *item_size, uint32_t *pad) {
  const int unicode = (flags & SMBW_REC_UNICODE) != 0;
  const uint32_t odd = ((flags & SMBW_REC_ODD ? 1u : 0u) + d->size) & 1u;
  const smbw_row *it = rec_item(d);
  *item_size = 0;
  *pad = 0;
  if (it && (it->kind == I_LSTR || it->kind == I_STRZ)) {
    smbw_str s;
    memcpy(&s, v + it->m, sizeof s);
    if (s.len && !s.data) return SMBW_E_INVAL;
    if (it->kind == I_LSTR) s.unterminated = 1;
    int rc = smbw_str_wire_size(&s, unicode, 0, 0, item_size);
    if (rc) return rc;
    const smbw_row *lr = rec_len(d);
    if (lr && lr->kind == W_LEN8 && *item_size > 0xFF) return SMBW_E_RANGE;
    if (lr && lr->kind == W_LEN16 && *item_size > 0xFFFF) return SMBW_E_RANGE;
    if (*item_size > 0x7FFF0000u) return SMBW_E_RANGE;
    if (it->kind == I_LSTR && it->arg && unicode && odd && *item_size) *pad = 1;
    if (it->kind == I_STRZ && unicode && odd && s.data) *pad = 1;
  } else if (it) { /* I_REST, I_LBYTES */
    smbw_bytes b;
    memcpy(&b, v + it->m, sizeof b);
    if (b.len && !b.data) return SMBW_E_INVAL;
    if (b.len > 0x7FFF0000u) return SMBW_E_RANGE;
    const smbw_row *lr = rec_len(d);
    if (lr && lr->kind == W_LEN16 && b.len > 0xFFFF) return SMBW_E_RANGE;
    *item_size = b.len;
  }
  *size = d->size + *pad + *item_size;
  if (d->list == REC_CHAINED) { /* zeros up to NextEntryOffset */
    uint32_t next = (uint32_t)get_member(v, d->rows[0].m, 4);
    if (next > *size) *size = next;
  }
  return 0;
}

SMBW_API int smbw_record_encode_(int rec, const void *in, size_t size, unsigned flags,
                                 uint8_t *buf, size_t cap, size_t *need) {
  const int unicode = (flags & SMBW_REC_UNICODE) != 0;
  const smbw_recdesc *d = rec_desc(rec);
  if (!d || !in || (!buf && cap) || size < d->min_size) return SMBW_E_INVAL;
  _Alignas(max_align_t) uint8_t v[SMBW_RECORD_MAX_SIZE];
  smbw_get_sized(v, d->ssize, in, size);
  uint32_t total, item_size, pad;
  int rc = rec_size(d, v, flags, &total, &item_size, &pad);
  if (rc) return rc;
  if (need) *need = total;
  if (cap < total) return SMBW_E_NOSPACE;
  if (!total) return 0; /* an empty record: nothing to write (buf may be NULL) */
  memset(buf, 0, total);
  const smbw_row *it = rec_item(d);
  for (unsigned i = 0; i < d->nrows; i++) {
    const smbw_row *r = &d->rows[i];
    const unsigned w = smbw_row_width(r);
    uint8_t *q = buf + r->off;
    switch (r->kind) {
    case W_U8:
    case W_U16:
    case W_U32:
    case W_U64:
    case W_LEN8:
    case W_LEN16:
    case W_LEN32: {
      uint64_t x = r->kind == W_LEN8 || r->kind == W_LEN16 || r->kind == W_LEN32
                       ? item_size
                       : get_member(v, r->m, w);
      if (w == 1) q[0] = (uint8_t)x;
      else if (w == 2) st16(q, (uint16_t)x);
      else if (w == 4) st32(q, (uint32_t)x);
      else st64(q, x);
      break;
    }
    case W_RAW: memcpy(q, v + r->m, w); break;
    default: break;
    }
  }
  if (it && (item_size || pad)) {
    smbw_wr wr = {buf + d->size, buf + d->size + pad + item_size, 0};
    if (it->kind == I_REST || it->kind == I_LBYTES) {
      smbw_bytes b;
      memcpy(&b, v + it->m, sizeof b);
      smbw_wr_bytes(&wr, b.data, b.len);
    } else {
      smbw_str s;
      memcpy(&s, v + it->m, sizeof s);
      if (pad) *wr.p++ = s.pad;
      if (it->kind == I_LSTR) s.unterminated = 1;
      smbw_wr_str(&wr, &s, unicode, 0);
    }
  }
  return (int)total;
}

SMBW_API void smbw_record_iter_init(smbw_record_iter *it, int rec, smbw_bytes area,
                                    unsigned flags) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  it->area = area;
  it->rec = (int16_t)rec;
  it->flags = (uint8_t)(flags & (SMBW_REC_UNICODE | SMBW_REC_ODD));
  it->done = rec_desc(rec) == NULL || smbw_view_bad(area);
}

SMBW_API int smbw_record_iter_next_(smbw_record_iter *it, void *out, size_t size,
                                    smbw_error *err) {
  if (!it || !out) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "record");
  const smbw_recdesc *d = rec_desc(it->rec);
  if (!d || size < d->min_size) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "record");
  if (it->done || it->pos >= it->area.len) return 0;
  const uint8_t *p = it->area.data + it->pos;
  uint32_t room = it->area.len - it->pos, next = 0;
  if (d->list == REC_CHAINED && room >= 4) {
    next = ld32(p);
    if (next > room || (next && next < d->size)) {
      it->done = 1;
      return smbw_fail_cold(err, SMBW_E_NEXT_OFFSET, it->pos, d->rows[0].name);
    }
    if (next) room = next; /* the entry lives in [pos, pos + next) */
  }
  _Alignas(max_align_t) uint8_t v[SMBW_RECORD_MAX_SIZE];
  const unsigned odd = ((it->flags & SMBW_REC_ODD ? 1u : 0u) + it->pos) & 1u;
  int n = rec_decode(d, p, room, (it->flags & SMBW_REC_UNICODE) | (odd ? SMBW_REC_ODD : 0u), v,
                     err);
  if (n < 0) {
    if (err) err->offset += it->pos;
    it->done = 1;
    return n;
  }
  smbw_put_sized(out, size, v, d->ssize);
  if (d->list == REC_CHAINED) {
    if (next) it->pos += next;
    else it->done = 1;
  } else if (d->list == REC_ARRAY && n > 0) {
    it->pos += (uint32_t)n;
  } else {
    it->done = 1;
  }
  return 1;
}

/* ---- visiting ---- */

static int visit_one(const smbw_recdesc *d, const uint8_t *p, const uint8_t *v, uint32_t at,
                     smbw_visit_fn fn, void *ctx) {
  int rc = 0;
  for (unsigned i = 0; !rc && i < d->nrows; i++) {
    const smbw_row *r = &d->rows[i];
    smbw_field fl;
    memset(&fl, 0, sizeof fl);
    fl.name = r->name;
    fl.wsname = r->ws;
    if (r->kind == I_LSTR || r->kind == I_STRZ) {
      memcpy(&fl.str, v + r->m, sizeof fl.str);
      if (!fl.str.data) continue;
      fl.kind = SMBW_FIELD_STR;
      fl.offset = at + (uint32_t)(fl.str.data - p);
      fl.width = fl.str.len + (fl.str.unterminated ? 0u : fl.str.enc == SMBW_STR_UTF16LE ? 2u : 1u);
    } else if (r->kind == I_REST || r->kind == I_LBYTES) {
      memcpy(&fl.bytes, v + r->m, sizeof fl.bytes);
      if (!fl.bytes.len) continue;
      fl.kind = SMBW_FIELD_BYTES;
      fl.offset = at + (uint32_t)(fl.bytes.data - p);
      fl.width = fl.bytes.len;
    } else if (r->kind == W_RAW) {
      fl.kind = SMBW_FIELD_BYTES;
      fl.offset = at + r->off;
      fl.width = r->arg;
      fl.bytes.data = p + r->off;
      fl.bytes.len = r->arg;
    } else {
      const unsigned w = smbw_row_width(r);
      fl.kind = SMBW_FIELD_UINT;
      fl.offset = at + r->off;
      fl.width = w;
      fl.value = rd_uint(p + r->off, w);
    }
    rc = fn(ctx, &fl);
  }
  return rc;
}

SMBW_API int smbw_record_visit(int rec, smbw_bytes area, int unicode, uint32_t base,
                               smbw_visit_fn fn, void *ctx, smbw_error *err) {
  const smbw_recdesc *d = rec_desc(rec);
  if (!d || !fn || smbw_view_bad(area)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "record");
  smbw_record_iter it;
  const unsigned flags = smbw_rec_flags(unicode, base);
  smbw_record_iter_init(&it, rec, area, flags);
  _Alignas(max_align_t) uint8_t v[SMBW_RECORD_MAX_SIZE];
  uint32_t end = 0;
  for (;;) {
    const uint32_t at = it.pos;
    int rc = smbw_record_iter_next_(&it, v, d->ssize, err);
    if (rc < 0) return rc;
    if (rc == 0) break;
    rc = visit_one(d, area.data + at, v, base + at, fn, ctx);
    if (rc) return rc;
    /* where this record ends: its span (the next chained entry starts at
       its NextEntryOffset, after any pad) */
    smbw_error e2;
    int n = rec_decode(d, area.data + at, area.len - at, smbw_rec_flags(unicode, base + at), v,
                       &e2);
    end = at + (n > 0 ? (uint32_t)n : 0);
    if (d->list == REC_CHAINED && it.pos > at && !it.done) end = it.pos;
  }
  if (end < area.len) {
    smbw_field fl;
    memset(&fl, 0, sizeof fl);
    fl.name = "Trailing";
    fl.kind = SMBW_FIELD_BYTES;
    fl.offset = base + end;
    fl.width = area.len - end;
    fl.bytes.data = area.data + end;
    fl.bytes.len = area.len - end;
    return fn(ctx, &fl);
  }
  return 0;
}

SMBW_API int smbw_record_info(int rec, const char **name, const char **spec) {
  const smbw_recdesc *d = rec_desc(rec);
  if (!d) return SMBW_E_INVAL;
  if (name) *name = d->name;
  if (spec) *spec = d->spec;
  return 0;
}

/* ---- levels and TRANSACTION2 pairing ---- */

SMBW_API int smbw_info_record(int cls, uint16_t level) {
  for (unsigned i = 0; i < smbw_nlevels; i++)
    if (smbw_levels[i].cls == cls && smbw_levels[i].level == level) return smbw_levels[i].rec;
  return -1;
}

static const smbw_transdesc *trans_desc(uint8_t command, uint16_t sub) {
  for (unsigned i = 0; i < smbw_ntranss; i++)
    if (smbw_transs[i].command == command && smbw_transs[i].sub == sub) return &smbw_transs[i];
  return NULL;
}

SMBW_API int smbw_trans_records(uint8_t command, uint16_t subcommand, int reply, uint16_t level,
                                int *setup, int *params, int *data) {
  if (!setup || !params || !data) return SMBW_E_INVAL;
  *setup = *params = *data = -1;
  const smbw_transdesc *t = trans_desc(command, subcommand);
  if (!t) return 0;
  if (!reply) *setup = t->setup;
  *params = reply ? t->rsp : t->req;
  const int cls = reply ? t->rsp_cls : t->req_cls;
  *data = cls >= 0 ? smbw_info_record(cls, level) : reply ? t->rsp_data : t->req_data;
  return 0;
}

SMBW_API int smbw_trans_level(uint8_t command, uint16_t subcommand, smbw_bytes params,
                              uint16_t *level) {
  if (!level || smbw_view_bad(params)) return SMBW_E_INVAL;
  const smbw_transdesc *t = trans_desc(command, subcommand);
  if (!t || t->level_off < 0) return 0;
  if (params.len < (uint32_t)t->level_off + 2u) return SMBW_E_TRUNCATED;
  *level = ld16(params.data + t->level_off);
  return 1;
}

SMBW_API int smbw_fsctl_records(uint32_t code, int *req_data, int *rsp_data) {
  if (!req_data || !rsp_data) return SMBW_E_INVAL;
  *req_data = *rsp_data = -1;
  for (unsigned i = 0; i < smbw_nfsctls; i++)
    if (smbw_fsctls[i].code == code) {
      *req_data = smbw_fsctls[i].req;
      *rsp_data = smbw_fsctls[i].rsp;
      return 1;
    }
  return 0;
}
