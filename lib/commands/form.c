/*
 * The one engine behind every described message type (form.h, forms.c):
 * it decodes and encodes a block through the decoder and encoder generated
 * from the type's rows (forms_gen.h, by tools/gen_forms.c), with the item
 * readers and writers below, and reads the rows to visit its fields.  The
 * rules it applies are written once, here, and in
 * doc/forms.md:
 *
 *  - A word row is present when the block carries its bytes: a 10-word
 *    READ_ANDX request has no OffsetHigh; its member is then zero.
 *  - Items follow each other in the byte area.  Strings after an absent
 *    one are absent; an absent string followed by a present one is
 *    encoded as "" so that both keep their places.
 *  - A length, offset or count word that does not fit the data it
 *    describes is blamed on that word, at its offset.
 *  - Decoding fills a staging copy of the struct and copies it to the
 *    caller only on success, at most the caller's size of it.
 *  - Encoding computes every length, offset and count word from the views,
 *    and keeps pads, DataOffset and extra bytes as decoded, so that real
 *    messages re-encode byte for byte.
 */
#include "form.h"

#include "../message/build.h"
#include "../message/walk.h"
#include "../nbss/frame.h"

/* ---- member access for the encoder and the visitor (memcpy: their
   copy of the struct is bytes) ---- */

static inline smbw_bytes get_bytes(const uint8_t *v, uint16_t m) {
  smbw_bytes x;
  memcpy(&x, v + m, sizeof x);
  return x;
}
int smbw_type_lookup(uint8_t command, int reply) {
  for (int i = 0; i < SMBW_TYPE_COUNT_; i++)
    if (smbw_types[i].command == command && smbw_types[i].reply == (reply ? 1 : 0)) return i;
  return -1;
}

SMBW_API int smbw_type_of(uint8_t command, int reply) { return smbw_type_lookup(command, reply); }

SMBW_API int smbw_type_info(int type, const char **name, const char **spec, uint8_t *wcts,
                            size_t max) {
  if (type < 0 || type >= SMBW_TYPE_COUNT_ || (!wcts && max)) return SMBW_E_INVAL;
  const smbw_typedesc *t = &smbw_types[type];
  if (name) *name = t->name;
  if (spec) *spec = t->forms[0].spec;
  if (smbw_form_any(&t->forms[0])) { /* the generic form: every WordCount */
    for (size_t k = 0; k < max && k < 256; k++) wcts[k] = (uint8_t)k;
    return 256;
  }
  size_t n = 0;
  int zero = 0;
  for (unsigned i = 0; i < t->nforms; i++)
    for (unsigned k = 0; k < 3; k++) {
      uint8_t w = t->forms[i].wct[k];
      if (k && !w) continue;
      if (!w) zero = 1;
      if (n < max) wcts[n] = w;
      n++;
    }
  if (t->error_form && !zero) {
    if (n < max) wcts[n] = 0;
    n++;
  }
  return (int)n;
}

/* ---- decoding ---- */

#define SMBW_MAX_ITEMS 8

/* Where decoding put things, for the visitor. */
typedef struct dstate {
  const smbw_form *form; /* NULL: the error form */
  uint32_t at[SMBW_MAX_ITEMS]; /* offset of each item's first byte */
  uint32_t end[SMBW_MAX_ITEMS]; /* offset past it */
} dstate;

/* ---- the item readers, called by the generated decoders ---- */

/* A buffer-format byte `fmt` and an aligned string; absent, with the
   strings after it, once the area is used up.  The format byte alone is
   an empty, unterminated string. */
static inline int item_bfstr(smbw_rd *rd, int uni, uint8_t fmt, smbw_str *out) {
  smbw_str s = {NULL, 0, (uint8_t)(uni ? SMBW_STR_UTF16LE : SMBW_STR_OEM), 0, 0};
  if (!rd->strings_done && rd->pos < rd->end) {
    if (rd->base[rd->pos] != fmt)
      return smbw_fail(rd->err, SMBW_E_BUFFER_FORMAT, rd->pos, "BufferFormat");
    rd->pos++;
    smbw_rd_str_inline(rd, uni, 1, &s);
    if (!s.data) {
      s.data = rd->base + rd->pos;
      s.unterminated = 1;
    }
  } else {
    rd->strings_done = 1;
  }
  *out = s;
  return 0;
}

/* len bytes, blamed on their length word (at lenoff) when not there. */
static inline int item_bytes(smbw_rd *rd, uint32_t len, uint32_t lenoff, const char *lenname,
                             smbw_bytes *out) {
  if (len > rd->end - rd->pos) return smbw_fail(rd->err, SMBW_E_FIELD_LENGTH, lenoff, lenname);
  out->data = len ? rd->base + rd->pos : NULL;
  out->len = len;
  rd->pos += len;
  return 0;
}

/* count records of size bytes (count <= 0xFFFF, size <= 20: no overflow). */
static inline int item_recs(smbw_rd *rd, uint32_t count, uint32_t size, uint32_t cntoff,
                            const char *cntname, smbw_bytes *out) {
  if (count * size > rd->end - rd->pos) return smbw_fail(rd->err, SMBW_E_COUNT, cntoff, cntname);
  return item_bytes(rd, count * size, cntoff, cntname, out);
}

/* Data located by its length and offset words: it must be in the message
   and not over the words or the items before it; it may run past
   ByteCount, which cannot count 64 KiB and more, only in the last block
   of a chain and with ByteCount holding the low 16 bits of the area's
   size.  The bytes between the items and the data are the pad. */
static inline int item_data(smbw_rd *rd, const smbw_block *b, uint32_t len, uint32_t doff,
                            uint32_t lenoff, const char *lenname, uint32_t offoff,
                            const char *offname, smbw_bytes *data, smbw_bytes *pad,
                            uint16_t *doffm) {
  const uint32_t pos = rd->pos, bend = rd->end, area = (uint32_t)(b->bytes - b->msg);
  if ((len && doff < pos) || doff > b->msg_len)
    return smbw_fail(rd->err, SMBW_E_DATA_OFFSET, offoff, offname);
  if (len > b->msg_len - doff) return smbw_fail(rd->err, SMBW_E_DATA_OFFSET, lenoff, lenname);
  const uint32_t dend = doff + len;
  if (dend > bend) {
    if (b->andx_command != 0xFF) return smbw_fail(rd->err, SMBW_E_DATA_OFFSET, lenoff, lenname);
    if (((dend - area) & 0xFFFFu) != b->bcc)
      return smbw_fail(rd->err, SMBW_E_BCC, area - 2u, "ByteCount");
  }
  data->data = b->msg + doff;
  data->len = len;
  if (doff >= pos) {
    pad->data = b->msg + pos;
    pad->len = doff - pos;
  }
  *doffm = (uint16_t)doff;
  const uint32_t next = dend > pos ? dend : pos;
  rd->pos = next < bend ? next : bend;
  return 0;
}

/* A data block (MS-CIFS 2.2.2.5): the format byte, kept as read, a 16-bit
   length and the bytes.  Absent ({NULL, 0}, format 0) when the area is
   used up (smbtorture sends a WRITE without one); present, data points
   into the message even when it is empty, so that an encoder tells the
   two apart (smbd sends an empty block with format 0x00). */
static inline int item_dblock(smbw_rd *rd, smbw_bytes *data, uint8_t *fmt) {
  if (rd->pos == rd->end) return 0;
  if (rd->end - rd->pos < 3u) /* its length is cut: blamed on the block's first byte */
    return smbw_fail(rd->err, SMBW_E_TRUNCATED, rd->pos, "BufferFormat");
  const uint8_t *p = rd->base + rd->pos;
  const uint32_t len = ld16(p + 1);
  if (len > rd->end - rd->pos - 3u)
    return smbw_fail(rd->err, SMBW_E_FIELD_LENGTH, rd->pos + 1u, "DataLength");
  *fmt = p[0];
  data->data = p + 3;
  data->len = len;
  rd->pos += 3u + len;
  return 0;
}

/* Is a data block there (an encoder's view of it)? */
static inline int dblock_present(const uint8_t *v, const smbw_row *r) {
  return get_bytes(v, r->m).data != NULL || v[r->m2] != 0;
}

/* n bytes that must be there (a pad before data): blamed on their first
   byte when some are there, else on ByteCount (the area has ended). */
static inline int item_pad(smbw_rd *rd, const smbw_block *b, uint32_t n, smbw_bytes *out) {
  if (n > rd->end - rd->pos)
    return rd->pos < rd->end
               ? smbw_fail(rd->err, SMBW_E_TRUNCATED, rd->pos, "Pad")
               : smbw_fail(rd->err, SMBW_E_TRUNCATED, (uint32_t)(b->bytes - b->msg) - 2u,
                           "ByteCount");
  out->data = rd->base + rd->pos;
  out->len = n;
  rd->pos += n;
  return 0;
}

/* The rest of the area ({NULL, 0} when there is none). */
static inline void item_rest(smbw_rd *rd, smbw_bytes *out) {
  smbw_bytes x;
  smbw_rd_rest(rd, &x);
  out->data = x.len ? x.data : NULL;
  out->len = x.len;
}


/* ---- encoding ---- */

/* What the size pass found for item i. */
typedef struct eitem {
  uint32_t start; /* offset of its first byte (format byte, pad or data) */
  uint32_t len;   /* for W_LEN*: its length; W_CNT16: its records */
  uint32_t doff;  /* I_DATA: DataOffset; I_BFSTR and strings: - */
  uint32_t pad;   /* I_DATA: pad bytes */
  const smbw_str *str; /* strings: what to write (slots kept) */
} eitem;

static const uint8_t empty_nul[2] = {0, 0};
static const smbw_str empty_str = {empty_nul, 0, SMBW_STR_OEM, 0, 0};

/* A view an encoder copies: {NULL, n > 0} is INVAL, over max is RANGE. */
static SMBW_INLINE int view_ok(smbw_bytes x, uint32_t max) {
  if (x.len && !x.data) return SMBW_E_INVAL;
  return x.len > max ? SMBW_E_RANGE : 0;
}

/* ---- the item sizers and writers, called by the generated encoders:
   for each item of a form, in its order, a sizer (which sets e->start,
   moves *pos past the item and returns 0 or the error), then, once the
   block is reserved, a writer ---- */

/* The string to write in a string item's slot: the generated encoder
   walks the string items from the last one back, so *later says whether
   a present string follows; an absent one that a present one follows is
   written as "" so that both keep their slots. */
static SMBW_INLINE const smbw_str *enc_slot(const smbw_str *s, int *later) {
  if (s->data) {
    *later = 1;
    return s;
  }
  return *later ? &empty_str : s;
}

static SMBW_INLINE void esize_start(eitem *e, uint32_t pos) {
  e->start = pos;
  e->len = e->doff = e->pad = 0;
}

/* A string item (e->str set by enc_slot()): I_STR (uni, aligned), I_OEM
   (0, 0), I_BFSTR (bf: its format byte first, nothing when absent).  A
   format byte alone (an empty unterminated string) is one byte. */
static SMBW_INLINE int esize_str(eitem *e, int bf, int uni, int aligned, uint32_t *pos) {
  const smbw_str *s = e->str;
  uint32_t at = *pos, n = 0, k = 0;
  esize_start(e, at);
  if (bf) {
    if (!s->data) return 0; /* absent: no format byte either */
    at++;
    n = 1;
  }
  if (!(s->data && s->len == 0 && s->unterminated)) {
    int rc = smbw_str_wire_size_inline(s, uni, aligned, at, &k);
    if (rc) return rc;
  }
  *pos += n + k;
  return 0;
}

/* I_BYTES, I_REST: the view as given. */
static SMBW_INLINE int esize_bytes(eitem *e, smbw_bytes x, uint32_t *pos) {
  esize_start(e, *pos);
  int rc = view_ok(x, 0xFFFF);
  e->len = x.len;
  if (rc) return rc;
  *pos += x.len;
  return 0;
}

/* I_DBLOCK: present when its data or its format byte is set. */
static SMBW_INLINE int esize_dblock(eitem *e, smbw_bytes x, uint8_t fmt, uint32_t *pos) {
  esize_start(e, *pos);
  int rc = view_ok(x, 0xFFFF);
  e->len = x.len;
  if (rc) return rc;
  *pos += (x.data != NULL || fmt != 0) ? 3u + x.len : 0u;
  return 0;
}

/* I_PAD: n bytes, as read or zeros. */
static SMBW_INLINE int esize_pad(eitem *e, smbw_bytes x, uint32_t n, uint32_t *pos) {
  esize_start(e, *pos);
  if ((x.len && !x.data) || (x.data && x.len != n)) return SMBW_E_INVAL;
  *pos += n;
  return 0;
}

/* I_RECS: whole records of size bytes; e->len is their count. */
static SMBW_INLINE int esize_recs(eitem *e, smbw_bytes x, uint32_t size, uint32_t *pos) {
  esize_start(e, *pos);
  int rc = view_ok(x, 0xFFFF);
  if (!rc && x.len % size) rc = SMBW_E_INVAL; /* not whole records */
  e->len = x.len / size;
  if (rc) return rc;
  *pos += x.len;
  return 0;
}

/* I_DATA: DataOffset as decoded when it is at or past the area, or when
   no data follows (then it is written as given, even 0, with no pad);
   otherwise the data goes at the next even offset.  ByteCount may then
   hold the low 16 bits of the area (*large). */
static SMBW_INLINE int esize_data(eitem *e, smbw_bytes d, smbw_bytes p, uint16_t given,
                                  uint32_t *pos, int *large) {
  const uint32_t at = *pos;
  esize_start(e, at);
  int rc = view_ok(d, 0xFFFFFFu);
  if (!rc) rc = view_ok(p, 0xFFFF);
  if (rc) return rc;
  uint32_t doff;
  if (given >= at) doff = given;
  else if (d.len == 0) doff = given;
  else doff = at + (at & 1u);
  if (doff > 0xFFFF) return SMBW_E_RANGE;
  e->doff = doff;
  e->pad = doff >= at ? doff - at : 0;
  e->len = d.len;
  *large = 1;
  *pos = at + e->pad + d.len;
  return 0;
}

/* I_BFSTR: the format byte, then the string unless it is the format byte
   alone. */
static SMBW_INLINE void ewrite_bfstr(smbw_wr *wr, const smbw_str *s, uint8_t fmt, int uni) {
  if (!s->data) return;
  smbw_wr_bytes(wr, &fmt, 1);
  if (!(s->len == 0 && s->unterminated)) smbw_wr_str_inline(wr, s, uni, 1);
}

static SMBW_INLINE void ewrite_dblock(smbw_wr *wr, smbw_bytes x, uint8_t fmt) {
  if (x.data == NULL && fmt == 0) return;
  const uint8_t h[3] = {fmt, (uint8_t)x.len, (uint8_t)(x.len >> 8)};
  smbw_wr_bytes(wr, h, 3);
  smbw_wr_bytes(wr, x.data, x.len);
}

static SMBW_INLINE void ewrite_pad(smbw_wr *wr, smbw_bytes x, uint32_t n) {
  if (x.data) smbw_wr_bytes(wr, x.data, x.len);
  else smbw_wr_zero(wr, n);
}

static SMBW_INLINE void ewrite_data(smbw_wr *wr, smbw_bytes d, smbw_bytes p, const eitem *e) {
  if (p.data && p.len == e->pad) smbw_wr_bytes(wr, p.data, e->pad);
  else smbw_wr_zero(wr, e->pad);
  smbw_wr_bytes(wr, d.data, d.len);
}

/* Begin an encoder's block: ByteCount counts the items (end - boff) and
   the extra bytes; it may hold only their low 16 bits when the form has
   located data (large).  Returns 0 when the words and items are to be
   written, ENC_COUNTED when the builder is only counting (the block does
   not fit, or no buffer), or an error. */
#define ENC_COUNTED 1
static SMBW_INLINE int enc_begin(smbw_builder *bld, uint8_t command, uint8_t wct, uint8_t nwords,
                                 uint32_t boff, uint32_t end, int large, smbw_bytes extra,
                                 const smbw_andx *a, uint8_t **w, smbw_wr *wr, const int fused) {
  const uint32_t nbytes = end - boff + extra.len;
  if (nbytes > 0xFFFF && !large) {
    *w = NULL;
    wr->p = wr->end = NULL;
    wr->off = 0;
    return smbw_builder_fail(bld, SMBW_E_RANGE);
  }
  /* fused (a constant): the builder is smbw_build_typed_()'s own, and the
     block's beginning is inlined with it */
  int rc = fused ? smbw_bld_begin_n(bld, command, wct, nwords, nbytes, (uint16_t)nbytes, a, w, wr)
                 : smbw_block_begin_n(bld, command, wct, nwords, nbytes, (uint16_t)nbytes, a, w, wr);
  return rc ? rc : *w ? 0 : ENC_COUNTED;
}

/* What an encoder returns after enc_begin() said not to write. */
static inline int enc_result(int rc) { return rc == ENC_COUNTED ? 0 : rc; }

/* The one-call typed parse (form.h), in two paths.  parse_typed_slow()
   is the reference: the framer, the header checks and the walk's block
   reader that smbw_parse_() shares (nbss/frame.h, message/walk.h), in
   their order, so it reports exactly their errors.  Each type's generated
   parse_NAME() first tries the common case with parse_fast(): a whole
   session message whose first block is of the type's command and lies
   inside it, its AndX link sound.  Whatever that does not cover (an
   error, a keepalive, a packet still incomplete, the 42/50-word
   NT_CREATE_ANDX response) goes to the slow path, which decides; the fast
   path never fails a message on its own, so both paths accept and reject
   the same bytes, and the decoder body they run is the same. */
static int parse_typed_slow(const uint8_t *buf, size_t len, int framing, int type,
                            smbw_msg *msg, void *out, size_t size, size_t *need,
                            smbw_error *err);

/* The common case of smbw_parse_typed_(), checked without failing: 1 with
   *b the first block (the fields a decoder reads; inlined with the
   decoder body, the others are never stored) and *plen the SMB message's
   length, or 0 for the slow path. */
static SMBW_INLINE int parse_fast(const uint8_t *buf, size_t len, int framing, int type,
                                  const smbw_msg *msg, const void *out, size_t size,
                                  smbw_block *b, uint32_t *plen_out) {
  if (SMBW_UNLIKELY(!buf || len < 4u + SMBW_HEADER_SIZE + 3u || !msg || !out || buf[0] != 0))
    return 0;
  const smbw_typedesc *td = &smbw_types[type];
  /* NBSS: a session message (type 0); port 139 has a 17-bit length */
  const uint32_t plen = ((uint32_t)buf[1] << 16) | ((uint32_t)buf[2] << 8) | buf[3];
  if (framing != SMBW_FRAMING_DIRECT && (framing != SMBW_FRAMING_NBT || buf[1] > 1)) return 0;
  const uint8_t *p = buf + 4;
  const uint8_t cmd = p[4], wct = p[SMBW_HEADER_SIZE];
  if (SMBW_UNLIKELY(plen < SMBW_HEADER_SIZE + 3u || len - 4u < plen || ld32(p) != SMBW_MAGIC32 ||
                    cmd != td->command || size < td->min_size ||
                    (wct == 42 && cmd == SMBW_COM_NT_CREATE_ANDX)))
    return 0;
  /* the first block: WordCount, the words, ByteCount and the bytes */
  const uint32_t wend = SMBW_HEADER_SIZE + 1u + 2u * wct; /* ByteCount */
  if (SMBW_UNLIKELY(plen - SMBW_HEADER_SIZE < 3u + 2u * wct)) return 0;
  const uint16_t bcc = ld16(p + wend);
  const uint32_t end = wend + 2u + bcc;
  if (SMBW_UNLIKELY(end > plen)) return 0;
  uint8_t acmd = 0xFF;
  uint16_t aoff = 0;
  if (smbw_andx_cmd(cmd) && wct) {
    if (SMBW_UNLIKELY(wct < 2)) return 0;
    acmd = p[SMBW_HEADER_SIZE + 1];
    aoff = ld16(p + SMBW_HEADER_SIZE + 3);
    if (SMBW_UNLIKELY(acmd != 0xFF && (aoff < end || aoff >= plen))) return 0;
  }
  b->msg = p;
  b->msg_len = plen;
  b->offset = SMBW_HEADER_SIZE;
  b->words = p + SMBW_HEADER_SIZE + 1;
  b->bytes = p + wend + 2;
  b->bcc = bcc;
  b->wct = wct;
  b->nwords = wct;
  b->command = cmd;
  b->flags = p[9];
  b->index = 0;
  b->flags2 = ld16(p + 10);
  b->status = ld32(p + 5);
  b->andx_command = acmd;
  b->andx_offset = aoff;
  b->truncated = 0;
  b->reserved8_[0] = b->reserved8_[1] = b->reserved8_[2] = 0;
  b->reserved_[0] = b->reserved_[1] = 0;
  *plen_out = plen;
  return 1;
}

/* After the decoder: the message, straight into the caller's. */
static SMBW_INLINE void parse_done(const uint8_t *p, uint32_t plen, smbw_msg *msg) {
  smbw_header_read(p, &msg->hdr);
  msg->data = p;
  msg->len = plen;
}

/* The start of the one-call typed build (smbw_build_typed_()): the checks
   of smbw_encode_(), then the builder's, on the generated build_NAME()'s
   own builder. */
static SMBW_INLINE int build_start(smbw_builder *b, uint8_t *buf, size_t cap, int framing,
                                   const smbw_header *h, int type, const void *in, size_t size,
                                   size_t *len) {
  if (len) *len = 0;
  if (SMBW_UNLIKELY(!in || size < smbw_types[type].min_size)) return SMBW_E_INVAL;
  return smbw_bld_init(b, buf, cap, framing, h);
}

static int build_unknown(uint8_t *buf, size_t cap, int framing, const smbw_header *h, int type,
                         const void *in, size_t size, size_t *len) {
  (void)buf, (void)cap, (void)framing, (void)h, (void)type, (void)in, (void)size;
  if (len) *len = 0;
  return SMBW_E_INVAL;
}

/* The decoders and encoders: plain C generated from the rows by
   tools/gen_forms.c, one of each per type (decode_open_andx_rsp(),
   encode_open_andx_rsp(), ...), in decoders[] and encoders[] by type.
   The forms-generated test fails when the file is stale. */
#include "forms_gen.h"

/* Decode into out (size bytes of it) through the type's generated
   decoder, after the checks every type shares (type is in range).
   Inline in both callers, so smbw_decode_() costs one call. */
static SMBW_INLINE int decode_checked(const smbw_block *b, int type, void *out, size_t size,
                                      dstate *ds, smbw_error *err) {
  if (SMBW_UNLIKELY(!b)) return smbw_fail(err, SMBW_E_INVAL, 0, "block");
  if (SMBW_UNLIKELY(b->command != smbw_types[type].command))
    return smbw_fail(err, SMBW_E_COMMAND, b->offset, "Command");
  if (SMBW_UNLIKELY(type >= (int)(sizeof decoders / sizeof decoders[0])))
    return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount"); /* a stale forms_gen.h */
  return decoders[type](b, out, size, ds, err);
}

SMBW_API int smbw_decode_(const smbw_block *b, int type, void *out, size_t size,
                          smbw_error *err) {
  if (SMBW_UNLIKELY(!out || type < 0 || type >= SMBW_TYPE_COUNT_ ||
                    size < smbw_types[type].min_size))
    return smbw_fail(err, SMBW_E_INVAL, 0, "block");
  dstate ds;
  return decode_checked(b, type, out, size, &ds, err);
}

SMBW_API int smbw_parse_typed_(const uint8_t *buf, size_t len, int framing, int type,
                               smbw_msg *msg, void *out, size_t size, size_t *need,
                               smbw_error *err) {
  const unsigned n = (unsigned)(sizeof parsers / sizeof parsers[0]) - 1u;
  return parsers[(unsigned)type < n ? (unsigned)type : n](buf, len, framing, type, msg, out, size,
                                                          need, err);
}

/* The reference path of smbw_parse_typed_(): see parse_fast(). */
static int parse_typed_slow(const uint8_t *buf, size_t len, int framing, int type,
                            smbw_msg *msg, void *out, size_t size, size_t *need,
                            smbw_error *err) {
  if (SMBW_UNLIKELY(!msg || !out || type < 0 || type >= SMBW_TYPE_COUNT_ ||
                    type >= (int)(sizeof decoders / sizeof decoders[0]) ||
                    size < smbw_types[type].min_size))
    return smbw_fail(err, SMBW_E_INVAL, 0, !msg ? "msg" : "out");
  smbw_nbss f;
  int total = smbw_frame(buf, len, framing, &f, need, err);
  if (total <= 0) return total;
  if (SMBW_UNLIKELY(f.type != SMBW_NBSS_SESSION_MESSAGE)) {
    /* a keepalive, a session request or response: no SMB message */
    memset(msg, 0, sizeof *msg);
    return total;
  }
  smbw_msg m;
  int rc = smbw_header_check(f.payload, f.length, &m.hdr, err);
  if (SMBW_UNLIKELY(rc)) return rc;
  m.data = f.payload;
  m.len = f.length;
  if (SMBW_UNLIKELY(m.hdr.command != smbw_types[type].command))
    return smbw_fail(err, SMBW_E_COMMAND, 4, "Command");
  smbw_block b;
  smbw_walk w;
  smbw_error e;
  rc = smbw_walk_block(&m, SMBW_HEADER_SIZE, m.hdr.command, 0, 0, &b, &w, &e);
  if (SMBW_UNLIKELY(rc < 0)) return smbw_fail(err, rc, e.offset, e.field);
  if (SMBW_UNLIKELY(w.link_bad))
    return smbw_fail(err, smbw_link_error(&m, SMBW_HEADER_SIZE, w.end, b.andx_offset),
                     SMBW_HEADER_SIZE + 3u, "AndXOffset");
  dstate ds;
  rc = decoders[type](&b, out, size, &ds, err);
  if (SMBW_UNLIKELY(rc)) return rc;
  *msg = m;
  return total;
}

SMBW_API int smbw_build_typed_(uint8_t *buf, size_t cap, int framing, const smbw_header *h,
                               int type, const void *in, size_t size, size_t *len) {
  const unsigned n = (unsigned)(sizeof builders / sizeof builders[0]) - 1u;
  return builders[(unsigned)type < n ? (unsigned)type : n](buf, cap, framing, h, type, in, size,
                                                           len);
}

SMBW_API int smbw_encode_(smbw_builder *bld, int type, const void *in, size_t size) {
  if (!bld) return SMBW_E_INVAL;
  if (bld->err) return bld->err;
  if (!in || type < 0 || type >= SMBW_TYPE_COUNT_ || size < smbw_types[type].min_size)
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  if (SMBW_UNLIKELY(type >= (int)(sizeof encoders / sizeof encoders[0])))
    return smbw_builder_fail(bld, SMBW_E_INVAL); /* a stale forms_gen.h */
  return encoders[type](bld, smbw_types[type].command, in, size);
}

/* ---- records ---- */

SMBW_API int smbw_record_get_(int rec, smbw_bytes area, uint32_t i, void *out, size_t size) {
  if (rec < 0 || rec >= SMBW_RECORD_COUNT_ || !out || (!area.data && area.len) ||
      rec >= (int)(sizeof record_gets / sizeof record_gets[0]))
    return SMBW_E_INVAL;
  const smbw_recdesc *d = &smbw_records[rec];
  if (!record_gets[rec] || size < d->min_size || i >= area.len / d->size) return SMBW_E_INVAL;
  record_gets[rec](area.data + (size_t)i * d->size, out, size);
  return 0;
}

SMBW_API int smbw_record_put_(int rec, const void *in, size_t size, uint8_t *buf, size_t cap) {
  if (rec < 0 || rec >= SMBW_RECORD_COUNT_ || !in || (!buf && cap) ||
      rec >= (int)(sizeof record_puts / sizeof record_puts[0]))
    return SMBW_E_INVAL;
  const smbw_recdesc *d = &smbw_records[rec];
  if (!record_puts[rec] || size < d->min_size) return SMBW_E_INVAL;
  if (cap < d->size) return SMBW_E_NOSPACE;
  record_puts[rec](in, size, buf);
  return d->size;
}

/* ---- visiting ---- */

static int emit_uint(smbw_visit_fn fn, void *ctx, const char *name, const char *ws,
                     uint32_t off, uint32_t width, uint64_t value) {
  smbw_field fl;
  memset(&fl, 0, sizeof fl);
  fl.name = name;
  fl.wsname = ws;
  fl.offset = off;
  fl.width = width;
  fl.kind = SMBW_FIELD_UINT;
  fl.value = value;
  return fn(ctx, &fl);
}

static int emit_bytes(smbw_visit_fn fn, void *ctx, const char *name, const char *ws,
                      const uint8_t *msg, smbw_bytes x) {
  if (!x.len) return 0;
  smbw_field fl;
  memset(&fl, 0, sizeof fl);
  fl.name = name;
  fl.wsname = ws;
  fl.offset = (uint32_t)(x.data - msg);
  fl.width = x.len;
  fl.kind = SMBW_FIELD_BYTES;
  fl.bytes = x;
  return fn(ctx, &fl);
}

static int emit_str(smbw_visit_fn fn, void *ctx, const char *name, const char *ws,
                    const uint8_t *msg, const smbw_str *s, uint32_t end) {
  if (!s->data) return 0;
  smbw_field fl;
  memset(&fl, 0, sizeof fl);
  fl.name = name;
  fl.wsname = ws;
  fl.offset = (uint32_t)(s->data - msg);
  fl.width = end > fl.offset ? end - fl.offset : 0;
  fl.kind = SMBW_FIELD_STR;
  fl.str = *s;
  return fn(ctx, &fl);
}

/* The fields of every whole record in x (rows at offsets inside each),
   then the bytes after the last one. */
static int emit_records(smbw_visit_fn fn, void *ctx, const uint8_t *msg, const smbw_recdesc *d,
                        smbw_bytes x) {
  int rc = 0;
  uint32_t n = x.len / d->size;
  for (uint32_t k = 0; !rc && k < n; k++) {
    const uint8_t *p = x.data + (size_t)k * d->size;
    const uint32_t at = (uint32_t)(p - msg);
    for (unsigned i = 0; !rc && i < d->nrows; i++) {
      const smbw_row *r = &d->rows[i];
      unsigned wd = smbw_row_width(r);
      if (r->kind == W_RAW) {
        smbw_bytes y = {p + r->off, wd};
        rc = emit_bytes(fn, ctx, r->name, r->ws, msg, y);
      } else {
        const uint8_t *q = p + r->off;
        uint64_t val = wd == 1 ? q[0] : wd == 2 ? ld16(q) : wd == 4 ? ld32(q) : ld64(q);
        rc = emit_uint(fn, ctx, r->name, r->ws, at + r->off, wd, val);
      }
    }
  }
  if (!rc && x.len % d->size) {
    smbw_bytes rest = {x.data + (size_t)n * d->size, x.len % d->size};
    rc = emit_bytes(fn, ctx, "Trailing", NULL, msg, rest);
  }
  return rc;
}

SMBW_API int smbw_block_visit(const smbw_block *b, smbw_visit_fn fn, void *ctx,
                              smbw_error *err) {
  if (!b || !fn) return smbw_fail(err, SMBW_E_INVAL, 0, "block");
  int type = smbw_type_lookup(b->command, (b->flags & SMBW_FLAGS_REPLY) != 0);
  _Alignas(max_align_t) uint8_t v[SMBW_TYPE_MAX_SIZE];
  dstate ds;
  ds.form = NULL;
  if (type >= 0) {
    int rc = decode_checked(b, type, v, smbw_types[type].size, &ds, err);
    if (rc) return rc;
  }
  const uint32_t wbase = b->offset + 1u, bcc_off = wbase + 2u * b->nwords;
  int rc = emit_uint(fn, ctx, "WordCount", "smb.wct", b->offset, 1, b->wct);
  const smbw_form *f = ds.form;
  const int any = smbw_form_any(f);
  if (!rc && (!f || any)) { /* no form, or the generic one: the AndX header if
                               any, then the words as a run */
    smbw_bytes words = {b->words, 2u * b->nwords};
    if ((type < 0 || any) && smbw_andx_cmd(b->command) && b->nwords >= 2) {
      rc = emit_uint(fn, ctx, "AndXCommand", "smb.cmd", wbase, 1, b->words[0]);
      if (!rc) rc = emit_uint(fn, ctx, "AndXReserved", NULL, wbase + 1, 1, b->words[1]);
      if (!rc) rc = emit_uint(fn, ctx, "AndXOffset", "smb.andxoffset", wbase + 2, 2, b->andx_offset);
      words.data += 4;
      words.len -= 4;
    }
    if (!rc) rc = emit_bytes(fn, ctx, "Words", NULL, b->msg, words);
  }
  for (unsigned i = 0; f && !any && !rc && i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    unsigned wd = smbw_row_width(r);
    if (r->off + wd > 2u * b->nwords) continue;
    const uint8_t *p = b->words + r->off;
    uint32_t off = wbase + r->off;
    switch (r->kind) {
    case W_ANDX:
      rc = emit_uint(fn, ctx, "AndXCommand", "smb.cmd", off, 1, p[0]);
      if (!rc) rc = emit_uint(fn, ctx, "AndXReserved", NULL, off + 1, 1, p[1]);
      if (!rc) rc = emit_uint(fn, ctx, "AndXOffset", "smb.andxoffset", off + 2, 2, ld16(p + 2));
      break;
    case W_RAW: {
      smbw_bytes x = {p, r->arg};
      rc = emit_bytes(fn, ctx, r->name, r->ws, b->msg, x);
      break;
    }
    default: {
      uint64_t x = wd == 1 ? p[0] : wd == 2 ? ld16(p) : wd == 4 ? ld32(p) : ld64(p);
      rc = emit_uint(fn, ctx, r->name, r->ws, off, wd, x);
      break;
    }
    }
  }
  if (!rc) rc = emit_uint(fn, ctx, "ByteCount", "smb.bcc", bcc_off, 2, b->bcc);
  if (!f) {
    if (!rc && type < 0) {
      smbw_bytes x = {b->bytes, b->bcc};
      rc = emit_bytes(fn, ctx, "Bytes", NULL, b->msg, x);
    }
  }
  for (unsigned i = 0; f && !rc && i < f->nitems; i++) {
    const smbw_row *r = &f->items[i];
    switch (r->kind) {
    case I_BFSTR: {
      const smbw_str *s = (const smbw_str *)(const void *)(v + r->m);
      if (!s->data) break;
      rc = emit_uint(fn, ctx, "BufferFormat", "smb.buffer_format", ds.at[i], 1, r->arg);
      if (!rc && s->len) rc = emit_str(fn, ctx, r->name, r->ws, b->msg, s, ds.end[i]);
      break;
    }
    case I_STR:
    case I_OEM:
      rc = emit_str(fn, ctx, r->name, r->ws, b->msg, (const smbw_str *)(const void *)(v + r->m),
                    ds.end[i]);
      break;
    case I_DBLOCK:
      if (!dblock_present(v, r)) break;
      rc = emit_uint(fn, ctx, "BufferFormat", "smb.buffer_format", ds.at[i], 1, v[r->m2]);
      if (!rc)
        rc = emit_uint(fn, ctx, "DataLength", "smb.data_len", ds.at[i] + 1, 2,
                       get_bytes(v, r->m).len);
      if (!rc && r->arg) rc = emit_records(fn, ctx, b->msg, &smbw_records[r->arg - 1],
                                           get_bytes(v, r->m));
      else if (!rc) rc = emit_bytes(fn, ctx, r->name, r->ws, b->msg, get_bytes(v, r->m));
      break;
    case I_DATA:
      rc = emit_bytes(fn, ctx, "Pad", "smb.padding", b->msg, get_bytes(v, r->m2));
      if (!rc) rc = emit_bytes(fn, ctx, r->name, r->ws, b->msg, get_bytes(v, r->m));
      break;
    case I_RECS: { /* LOCKING_ANDX_RANGE32 / RANGE64, one field each */
      smbw_bytes x = get_bytes(v, r->m);
      uint8_t type_of_lock = b->words[r->arg];
      smbw_lock_range lr;
      uint32_t size = (type_of_lock & SMBW_LOCKING_LARGE_FILES) ? 20u : 10u;
      for (uint32_t k = 0; !rc && k < x.len / size; k++) {
        uint32_t at = (uint32_t)(x.data - b->msg) + k * size;
        smbw_lock_range_get(x, type_of_lock, k, &lr);
        rc = emit_uint(fn, ctx, "PID", "smb.pid", at, 2, lr.pid);
        if (size == 10) {
          if (!rc) rc = emit_uint(fn, ctx, "ByteOffset", "smb.lock.offset", at + 2, 4, lr.offset);
          if (!rc) rc = emit_uint(fn, ctx, "LengthInBytes", "smb.lock.length", at + 6, 4, lr.length);
        } else {
          if (!rc) rc = emit_uint(fn, ctx, "Pad", NULL, at + 2, 2, lr.pad);
          if (!rc) rc = emit_uint(fn, ctx, "Offset", "smb.lock.offset", at + 4, 8, lr.offset);
          if (!rc) rc = emit_uint(fn, ctx, "Length", "smb.lock.length", at + 12, 8, lr.length);
        }
      }
      break;
    }
    default:
      rc = emit_bytes(fn, ctx, r->name, r->ws, b->msg, get_bytes(v, r->m));
      break;
    }
  }
  if (!rc && type >= 0)
    rc = emit_bytes(fn, ctx, any ? "Bytes" : "extra", NULL, b->msg,
                    get_bytes(v, smbw_types[type].extra_m));
  return rc;
}
