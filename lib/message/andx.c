/*
 * The AndX iterator (MS-CIFS 2.2.3.4): the first block follows the header,
 * each next one sits at the previous block's AndXOffset.  The step itself
 * is smbw_walk_block() (walk.h), shared with smbw_parse_().
 */
#include "walk.h"

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

/* Error path only: does off name the start of an earlier block? */
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

int smbw_link_error(const smbw_msg *m, uint32_t off, uint32_t end, uint16_t aoff) {
  if (aoff >= end) return SMBW_E_ANDX_PAST_END;
  if (aoff > off) return SMBW_E_ANDX_OVERLAP;
  if (aoff == off || is_earlier_block(m, aoff, off)) return SMBW_E_ANDX_LOOP;
  return SMBW_E_ANDX_BACKWARD;
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
  smbw_walk w;
  smbw_error e;
  int rc = smbw_walk_block(it->m, off, it->next_cmd, it->count, 0, b, &w, &e);
  if (SMBW_UNLIKELY(rc < 0)) return iter_fail(it, err, rc, e.offset, e.field);
  if (it->count < 255) it->count++;
  it->cur = off;
  it->cur_end = w.end;
  it->next = w.next;
  it->next_cmd = w.next_cmd;
  if (SMBW_UNLIKELY(w.link_bad)) {
    /* Reported on the next call, so the caller still gets this block,
       which is itself valid. */
    it->err = smbw_link_error(it->m, off, w.end, b->andx_offset);
    it->err_off = off + 3;
    it->err_field = "AndXOffset";
  }
  return 1;
}
