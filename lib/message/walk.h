/*
 * One step of the AndX walk (MS-CIFS 2.2.3.4), shared by the iterator
 * (andx.c) and the one-call parse (parse.c): read the block at `off` with
 * command `cmd`, check that it lies inside the message, and find where the
 * next one is.  Every AndXOffset must point strictly past the end of the
 * block holding it, so the walk only moves forward: it can neither loop
 * nor overlap, and ends in at most len / 3 steps.
 */
#ifndef SMBW_WALK_H
#define SMBW_WALK_H

#include "../core/internal.h"

typedef struct smbw_walk {
  uint32_t end;      /* end of the block (its data bytes) */
  uint32_t next;     /* offset of the next block, 0 when the chain ends */
  uint8_t next_cmd;  /* its command */
  uint8_t link_bad;  /* the AndXOffset is bad: next is 0, smbw_link_error() says why */
  uint8_t truncated; /* lenient: ByteCount runs past the message */
} smbw_walk;

/* Error path only: why the AndXOffset of block b (at off, ending at end)
   is refused.  The chain before it is valid and strictly increasing, so
   the search for an earlier block is bounded by its length. */
SMBW_HIDDEN int smbw_link_error(const smbw_msg *m, uint32_t off, uint32_t end, uint16_t aoff);

/*
 * Read the block at off (command cmd, index index) into b.  Returns 1, or
 * a block error (SMBW_E_TRUNCATED, _WCT_OVERRUN, _BCC_OVERRUN, _ANDX_SHORT)
 * with err filled.  In lenient mode a ByteCount past the end of the
 * message is not an error: the block is returned with the bytes that are
 * there (bcc is their count), w->truncated set, and the chain ends.
 */
static inline int smbw_walk_block(const smbw_msg *m, uint32_t off, uint8_t cmd, uint8_t index,
                                  int lenient, smbw_block *b, smbw_walk *w, smbw_error *err) {
  const uint8_t *msg = m->data;
  uint32_t len = m->len;
  if (SMBW_UNLIKELY(off >= len)) return smbw_fail(err, SMBW_E_TRUNCATED, off, "WordCount");
  uint8_t wct = msg[off], nwords = wct;
  if (SMBW_UNLIKELY(wct == 42 && cmd == SMBW_COM_NT_CREATE_ANDX &&
                    (m->hdr.flags & SMBW_FLAGS_REPLY) && len - off >= 103u)) {
    /* MS-SMB 2.2.4.9.2: the extended NT_CREATE_ANDX response carries 50
       words but says 42 (Windows and Samba both send it so, as the last
       block).  Take 50 when the block ends the chain (AndXCommand 0xFF)
       and, read with 50 words, ends exactly at the end of the message
       while the 42-word reading does not: that depends on nothing after
       the block, so a message re-encoded without trailing bytes reads the
       same way (a 42-word block that ends the message stays 42 words). */
    if (msg[off + 1] == 0xFF && ld16(msg + off + 101) == len - off - 103u &&
        ld16(msg + off + 85) != len - off - 87u)
      nwords = 50;
  }
  uint32_t wend = off + 1u + 2u * nwords; /* offset of ByteCount */
  if (SMBW_UNLIKELY(len - off < 3u + 2u * nwords))
    return smbw_fail(err, SMBW_E_WCT_OVERRUN, off, "WordCount");
  uint16_t bcc = ld16(msg + wend);
  uint32_t end = wend + 2u + bcc;
  w->truncated = 0;
  if (SMBW_UNLIKELY(end > len)) {
    if (!lenient) return smbw_fail(err, SMBW_E_BCC_OVERRUN, wend, "ByteCount");
    w->truncated = 1;
    bcc = (uint16_t)(len - wend - 2u);
    end = len;
  }
  int andx = smbw_andx_cmd(cmd) && wct != 0;
  if (SMBW_UNLIKELY(andx && wct < 2)) return smbw_fail(err, SMBW_E_ANDX_SHORT, off, "WordCount");
  b->msg = msg;
  b->msg_len = len;
  b->offset = off;
  b->words = msg + off + 1;
  b->bytes = msg + wend + 2;
  b->bcc = bcc;
  b->wct = wct;
  b->nwords = nwords;
  b->command = cmd;
  b->flags = m->hdr.flags;
  b->index = index;
  b->flags2 = m->hdr.flags2;
  b->status = m->hdr.status;
  b->andx_command = 0xFF;
  b->andx_offset = 0;
  b->truncated = w->truncated;
  b->reserved8_[0] = b->reserved8_[1] = b->reserved8_[2] = 0;
  b->reserved_[0] = b->reserved_[1] = 0;
  w->end = end;
  w->next = 0;
  w->next_cmd = 0xFF;
  w->link_bad = 0;
  if (!andx) return 1;
  uint8_t acmd = b->words[0];
  uint16_t aoff = ld16(b->words + 2);
  b->andx_command = acmd;
  b->andx_offset = aoff;
  if (acmd == 0xFF || w->truncated) return 1;
  if (SMBW_LIKELY(aoff >= end && aoff < len)) {
    w->next = aoff;
    w->next_cmd = acmd;
  } else {
    w->link_bad = 1;
  }
  return 1;
}

#endif
