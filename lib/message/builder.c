/*
 * The message builder: header, then blocks linked by AndX, then the NBSS
 * length.  It never writes at or past buf + cap; once a block does not fit
 * it only counts, so smbw_builder_finish() can say how much was needed.
 */
#include "build.h"

SMBW_API int smbw_builder_init(smbw_builder *b, uint8_t *buf, size_t cap, int framing,
                               const smbw_header *h) {
  return smbw_bld_init(b, buf, cap, framing, h);
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

int smbw_block_begin(smbw_builder *b, uint8_t command, uint8_t wct, uint32_t nbytes,
                     uint16_t bcc, uint8_t **words, smbw_wr *bytes) {
  return smbw_bld_begin(b, command, wct, wct, nbytes, bcc, words, bytes);
}

/* The generated encoders' one call per block. */
int smbw_block_begin_n(smbw_builder *b, uint8_t command, uint8_t wct, uint8_t nwords,
                       uint32_t nbytes, uint16_t bcc, const smbw_andx *a, uint8_t **words,
                       smbw_wr *bytes) {
  return smbw_bld_begin_n(b, command, wct, nwords, nbytes, bcc, a, words, bytes);
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
  int rc = smbw_bld_begin(b, blk->command, blk->wct, blk->nwords, blk->bcc, blk->bcc, &w, &wr);
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
  return smbw_bld_finish(b, len);
}
