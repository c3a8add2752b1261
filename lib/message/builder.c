/*
 * The message builder: header, then blocks linked by AndX, then the NBSS
 * length.  It never writes at or past buf + cap; once a block does not fit
 * it only counts, so smbw_builder_finish() can say how much was needed.
 */
#include "../core/internal.h"

SMBW_API int smbw_builder_init(smbw_builder *b, uint8_t *buf, size_t cap, int framing,
                               const smbw_header *h) {
  if (!b || !h || (!buf && cap) ||
      (framing != SMBW_FRAMING_NONE && framing != SMBW_FRAMING_NBT &&
       framing != SMBW_FRAMING_DIRECT))
    return SMBW_E_INVAL;
  b->buf = buf;
  b->cap = cap;
  b->hdr = framing == SMBW_FRAMING_NONE ? 0 : SMBW_NBSS_HEADER_SIZE;
  b->pos = b->hdr + SMBW_HEADER_SIZE;
  b->andx_words = 0;
  b->want_next = 0;
  b->err = 0;
  b->flags2 = h->flags2;
  b->framing = (uint8_t)framing;
  b->nblocks = 0;
  if (b->pos <= cap) smbw_header_write(buf + b->hdr, h);
  return 0;
}

SMBW_API int smbw_builder_set_header(smbw_builder *b, const smbw_header *h) {
  if (!b || !h) return SMBW_E_INVAL;
  if (b->nblocks && ((h->flags2 ^ b->flags2) & SMBW_FLAGS2_UNICODE)) return SMBW_E_STATE;
  if (b->hdr + SMBW_HEADER_SIZE > b->cap) return 0;
  uint8_t *p = b->buf + b->hdr;
  const uint8_t command = p[4];
  smbw_header_write(p, h);
  if (b->nblocks) p[4] = command;
  b->flags2 = h->flags2;
  return 0;
}

int smbw_builder_fail(smbw_builder *b, int code) {
  if (!b->err) b->err = code;
  return b->err;
}

/* Reserve and write the block header; nwords words follow WordCount. */
static inline int block_begin2(smbw_builder *b, uint8_t command, uint8_t wct, uint8_t nwords,
                               uint32_t nbytes, uint16_t bcc, uint8_t **words,
                               smbw_wr *bytes) {
  *words = NULL;
  bytes->p = bytes->end = NULL;
  bytes->off = 0;
  if (b->err) return b->err;
  if (b->nblocks == 255) return smbw_builder_fail(b, SMBW_E_STATE);
  size_t rel = smbw_block_start(b);
  size_t start = b->hdr + rel;
  size_t total = 3u + 2u * (size_t)nwords + nbytes;
  if (rel > SMBW_NBSS_DIRECT_MAX || total > SMBW_NBSS_DIRECT_MAX)
    return smbw_builder_fail(b, SMBW_E_RANGE);
  uint8_t *buf = b->buf;
  if (b->andx_words) {
    /* Link the previous AndX block to this one. */
    if (rel > 0xFFFF) return smbw_builder_fail(b, SMBW_E_RANGE);
    if (b->andx_words + 4 <= b->cap) {
      buf[b->andx_words] = command;
      st16(buf + b->andx_words + 2, (uint16_t)rel);
    }
  } else if (b->nblocks == 0) {
    if (b->hdr + 5 <= b->cap) buf[b->hdr + 4] = command; /* header Command */
  }
  if (start + total <= b->cap) {
    if (start > b->pos) memset(buf + b->pos, 0, start - b->pos);
    uint8_t *p = buf + start;
    p[0] = wct;
    st16(p + 1 + 2u * nwords, bcc);
    *words = p + 1;
    bytes->p = p + 3 + 2u * nwords;
    bytes->end = bytes->p + nbytes;
    bytes->off = (uint32_t)(rel + 3 + 2u * nwords);
  }
  b->pos = start + total;
  b->andx_words = (smbw_andx_cmd(command) && nwords >= 2) ? start + 1 : 0;
  b->want_next = 0;
  b->nblocks++;
  return 0;
}

int smbw_block_begin(smbw_builder *b, uint8_t command, uint8_t wct, uint32_t nbytes,
                     uint16_t bcc, uint8_t **words, smbw_wr *bytes) {
  return block_begin2(b, command, wct, wct, nbytes, bcc, words, bytes);
}

/* flatten: block_begin2() inline here (the generated encoders' one call
   per block), as in smbw_builder_block(). */
SMBW_FLATTEN int smbw_block_begin_n(smbw_builder *b, uint8_t command, uint8_t wct, uint8_t nwords,
                       uint32_t nbytes, uint16_t bcc, const smbw_andx *a, uint8_t **words,
                       smbw_wr *bytes) {
  int rc = block_begin2(b, command, wct, nwords, nbytes, bcc, words, bytes);
  if (rc || !a || nwords < 2) return rc;
  b->want_next = a->offset;
  uint8_t *w = *words;
  if (w) {
    w[0] = 0xFF;
    w[1] = a->reserved;
    st16(w + 2, a->offset);
  }
  return 0;
}

int smbw_views_check(smbw_builder *b, const smbw_bytes *v, unsigned n) {
  for (unsigned i = 0; i < n; i++) {
    int rc = smbw_view_check(v[i]);
    if (rc) return smbw_builder_fail(b, rc);
  }
  return 0;
}

SMBW_API int smbw_builder_raw(smbw_builder *b, uint8_t command, const uint8_t *words,
                              uint8_t wct, const uint8_t *bytes, uint16_t bcc) {
  if (!b) return SMBW_E_INVAL;
  if ((!words && wct) || (!bytes && bcc)) return smbw_builder_fail(b, SMBW_E_INVAL);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_block_begin(b, command, wct, bcc, bcc, &w, &wr);
  if (rc) return rc;
  if (w) {
    if (wct) memcpy(w, words, 2u * wct);
    smbw_wr_bytes(&wr, bytes, bcc);
  }
  if (b->andx_words) b->want_next = ld16(words + 2);
  return 0;
}

SMBW_API SMBW_FLATTEN int smbw_builder_block(smbw_builder *b, const smbw_block *blk) {
  if (!b) return SMBW_E_INVAL;
  if (!blk || (!blk->words && blk->nwords) || (!blk->bytes && blk->bcc))
    return smbw_builder_fail(b, SMBW_E_INVAL);
  uint8_t *w;
  smbw_wr wr;
  int rc = block_begin2(b, blk->command, blk->wct, blk->nwords, blk->bcc, blk->bcc, &w, &wr);
  if (rc) return rc;
  if (w) {
    if (blk->nwords) memcpy(w, blk->words, 2u * blk->nwords);
    smbw_wr_bytes(&wr, blk->bytes, blk->bcc);
  }
  if (b->andx_words) b->want_next = ld16(blk->words + 2);
  return 0;
}

SMBW_API int smbw_builder_trailer(smbw_builder *b, const uint8_t *bytes, size_t len) {
  if (!b) return SMBW_E_INVAL;
  if (b->err) return b->err;
  if (!bytes && len) return smbw_builder_fail(b, SMBW_E_INVAL);
  if (b->nblocks == 0) return smbw_builder_fail(b, SMBW_E_STATE);
  if (len > SMBW_NBSS_DIRECT_MAX) return smbw_builder_fail(b, SMBW_E_RANGE);
  if (b->pos <= b->cap && len <= b->cap - b->pos && len) memcpy(b->buf + b->pos, bytes, len);
  b->pos += len;
  b->andx_words = 0;
  b->nblocks = 255; /* nothing may follow */
  return 0;
}

SMBW_API int smbw_builder_finish(smbw_builder *b, size_t *len) {
  if (!b) return SMBW_E_INVAL;
  if (len) *len = b->pos;
  if (b->err) return b->err;
  if (b->nblocks == 0) return SMBW_E_STATE;
  size_t mlen = b->pos - b->hdr;
  if ((b->framing == SMBW_FRAMING_NBT && mlen > SMBW_NBSS_NBT_MAX) ||
      (b->framing == SMBW_FRAMING_DIRECT && mlen > SMBW_NBSS_DIRECT_MAX))
    return SMBW_E_RANGE;
  if (b->pos > b->cap) return SMBW_E_NOSPACE;
  if (b->framing != SMBW_FRAMING_NONE) {
    /* The session message header (smbw_nbss_header_encode(), whose checks
       the length passed above): type 0, then the length, 17 or 24 bits. */
    b->buf[0] = SMBW_NBSS_SESSION_MESSAGE;
    b->buf[1] = (uint8_t)(mlen >> 16);
    b->buf[2] = (uint8_t)(mlen >> 8);
    b->buf[3] = (uint8_t)mlen;
  }
  return 0;
}
