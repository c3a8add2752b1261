/*
 * The builder's steps as inline functions: builder.c's exported calls are
 * made of them, and so is the one-call typed build (smbw_build_typed_(),
 * form.c), where they are inlined with the encoder on a builder that
 * lives in one call, so that what is known (no block yet, no error) folds
 * away.  The rules are written here once.
 */
#ifndef SMBW_BUILD_H
#define SMBW_BUILD_H

#include "../core/internal.h"

static SMBW_INLINE int smbw_bld_init(smbw_builder *b, uint8_t *buf, size_t cap, int framing,
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

/* Reserve and write the block header; nwords words follow WordCount. */
static SMBW_INLINE int smbw_bld_begin(smbw_builder *b, uint8_t command, uint8_t wct,
                                      uint8_t nwords, uint32_t nbytes, uint16_t bcc,
                                      uint8_t **words, smbw_wr *bytes) {
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

/* A block with an AndX header: the link is written by the next block
   (or stays 0xFF), AndXReserved and the requested AndXOffset as given. */
static SMBW_INLINE int smbw_bld_begin_n(smbw_builder *b, uint8_t command, uint8_t wct,
                                        uint8_t nwords, uint32_t nbytes, uint16_t bcc,
                                        const smbw_andx *a, uint8_t **words, smbw_wr *bytes) {
  int rc = smbw_bld_begin(b, command, wct, nwords, nbytes, bcc, words, bytes);
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

static SMBW_INLINE int smbw_bld_finish(smbw_builder *b, size_t *len) {
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

#endif
