/*
 * The AndX walk (MS-CIFS 2.2.3.4): the first block follows the header, each
 * next one sits at the previous block's AndXOffset.  Every offset must
 * point strictly past the end of the block holding it, so the walk only
 * moves forward: it can neither loop nor overlap, and ends in at most
 * len / 3 steps.
 */
#include "../core/internal.h"

SMBW_API void smbw_andx_iter_init(smbw_andx_iter *it, const smbw_msg *m) {
  it->m = m;
  it->next = m ? SMBW_HEADER_SIZE : 0;
  it->next_cmd = m ? m->hdr.command : 0xFF;
  it->cur = 0;
  it->cur_end = 0;
  it->err = 0;
  it->err_off = 0;
  it->err_field = NULL;
  it->count = 0;
}

/* Error path only: does off name the start of an earlier block?  The
   chain before the current block is already known to be valid and
   strictly increasing, so this walk is bounded by its length. */
static int is_earlier_block(const smbw_msg *m, uint32_t off, uint32_t cur) {
  uint32_t o = SMBW_HEADER_SIZE;
  uint8_t cmd = m->hdr.command;
  while (o < off && o < cur) {
    const uint8_t *p = m->data + o;
    if (!smbw_andx_cmd(cmd) || p[0] < 2 || p[1] == 0xFF) return 0;
    cmd = p[1];
    o = ld16(p + 3);
  }
  return o == off;
}

/* Make an error sticky: every later call returns it again. */
static int iter_fail(smbw_andx_iter *it, smbw_error *err, int code, uint32_t off,
                     const char *field) {
  it->err = code;
  it->err_off = off;
  it->err_field = field;
  it->next = 0;
  return smbw_fail(err, code, off, field);
}

SMBW_API int smbw_andx_iter_next(smbw_andx_iter *it, smbw_block *b, smbw_error *err) {
  if (SMBW_UNLIKELY(!it || !b || !it->m)) return smbw_fail(err, SMBW_E_INVAL, 0, "iterator");
  if (SMBW_UNLIKELY(it->err)) return smbw_fail(err, it->err, it->err_off, it->err_field);
  uint32_t off = it->next;
  if (off == 0) return 0;
  const smbw_msg *m = it->m;
  const uint8_t *msg = m->data;
  uint32_t len = m->len;
  if (SMBW_UNLIKELY(off >= len)) return iter_fail(it, err, SMBW_E_TRUNCATED, off, "WordCount");
  uint8_t wct = msg[off], nwords = wct;
  uint8_t cmd = it->next_cmd;
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
    return iter_fail(it, err, SMBW_E_WCT_OVERRUN, off, "WordCount");
  uint16_t bcc = ld16(msg + wend);
  uint32_t end = wend + 2u + bcc;
  if (SMBW_UNLIKELY(end > len)) return iter_fail(it, err, SMBW_E_BCC_OVERRUN, wend, "ByteCount");
  int andx = smbw_andx_cmd(cmd) && wct != 0;
  if (SMBW_UNLIKELY(andx && wct < 2)) return iter_fail(it, err, SMBW_E_ANDX_SHORT, off, "WordCount");
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
  b->index = it->count;
  b->flags2 = m->hdr.flags2;
  b->status = m->hdr.status;
  b->andx_command = 0xFF;
  b->andx_offset = 0;
  if (it->count < 255) it->count++;
  it->cur = off;
  it->cur_end = end;
  it->next = 0;
  if (!andx) return 1;
  uint8_t acmd = b->words[0];
  uint16_t aoff = ld16(b->words + 2);
  b->andx_command = acmd;
  b->andx_offset = aoff;
  if (acmd == 0xFF) return 1;
  /* Check the link now but report a bad one on the next call, so the
     caller still gets this block, which is itself valid. */
  int code;
  if (aoff >= end) {
    if (SMBW_LIKELY(aoff < len)) {
      it->next = aoff;
      it->next_cmd = acmd;
      return 1;
    }
    code = SMBW_E_ANDX_PAST_END;
  } else if (aoff > off) {
    code = SMBW_E_ANDX_OVERLAP;
  } else if (aoff == off || is_earlier_block(m, aoff, off)) {
    code = SMBW_E_ANDX_LOOP;
  } else {
    code = SMBW_E_ANDX_BACKWARD;
  }
  it->err = code;
  it->err_off = off + 3;
  it->err_field = "AndXOffset";
  return 1;
}
