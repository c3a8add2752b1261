/* SMB_COM_READ_ANDX (MS-CIFS 2.2.4.42, MS-SMB 2.2.4.2). */
#include "../core/internal.h"

SMBW_API int smbw_read_andx_req_decode(const smbw_block *b, smbw_read_andx_req *out,
                                       smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_READ_ANDX, err);
  if (b->wct != 10 && b->wct != 12) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  const uint8_t *w = b->words;
  out->wct = b->wct;
  smbw_get_andx(w, &out->andx);
  out->fid = ld16(w + 4);
  out->offset = ld32(w + 6);
  out->max_count = ld16(w + 10);
  out->min_count = ld16(w + 12);
  out->timeout = ld32(w + 14);
  out->remaining = ld16(w + 18);
  if (b->wct == 12) out->offset |= (uint64_t)ld32(w + 20) << 32;
  out->extra = smbw_block_data(b); /* no data is defined: all of it is extra */
  return 0;
}

SMBW_API int smbw_read_andx_req_encode(smbw_builder *bld, const smbw_read_andx_req *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || (r->wct != 10 && r->wct != 12)) return smbw_builder_fail(bld, SMBW_E_INVAL);
  if (r->wct == 10 && r->offset > 0xFFFFFFFFu) return smbw_builder_fail(bld, SMBW_E_RANGE);
  if (smbw_views_check(bld, &r->extra, 1)) return bld->err;
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_READ_ANDX, r->wct, r->extra.len, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  st16(w + 4, r->fid);
  st32(w + 6, (uint32_t)r->offset);
  st16(w + 10, r->max_count);
  st16(w + 12, r->min_count);
  st32(w + 14, r->timeout);
  st16(w + 18, r->remaining);
  if (r->wct == 12) st32(w + 20, (uint32_t)(r->offset >> 32));
  return 0;
}

SMBW_API int smbw_read_andx_rsp_decode(const smbw_block *b, smbw_read_andx_rsp *out,
                                       smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_READ_ANDX, err);
  const uint8_t *w = b->words;
  if (b->wct == 0) {
    memset(out, 0, sizeof *out);
    out->extra = smbw_block_data(b);
    return 0;
  }
  if (b->wct != 12) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  uint32_t len = ld16(w + 10) | ((uint32_t)ld16(w + 14) << 16);
  uint32_t doff = ld16(w + 12);
  uint32_t area = (uint32_t)(b->bytes - b->msg);
  /* The data must be in the message, not over the words; it may run past
     ByteCount, which cannot count more than 64 KiB. */
  if (len && doff < area) return smbw_fail(err, SMBW_E_DATA_OFFSET, b->offset + 13, "DataOffset");
  if (doff > b->msg_len) return smbw_fail(err, SMBW_E_DATA_OFFSET, b->offset + 13, "DataOffset");
  if (len > b->msg_len - doff)
    return smbw_fail(err, SMBW_E_DATA_OFFSET, b->offset + 11, "DataLength");
  uint32_t bend = area + b->bcc, dend = doff + len;
  if (dend > bend) {
    /* Past ByteCount: only the last block may do so (nothing follows to
       overlap), and ByteCount must then be the low 16 bits of the size. */
    if (b->andx_command != 0xFF)
      return smbw_fail(err, SMBW_E_DATA_OFFSET, b->offset + 11, "DataLength");
    if (((dend - area) & 0xFFFFu) != b->bcc)
      return smbw_fail(err, SMBW_E_BCC, area - 2, "ByteCount");
  }
  uint32_t estart = dend > area ? dend : area;
  out->extra.data = estart < bend ? b->msg + estart : NULL;
  out->extra.len = estart < bend ? bend - estart : 0;
  out->wct = 12;
  smbw_get_andx(w, &out->andx);
  out->available = ld16(w + 4);
  out->data_compaction_mode = ld16(w + 6);
  out->reserved1 = ld16(w + 8);
  out->data_length = len;
  out->data_offset = (uint16_t)doff;
  out->reserved2 = ld64(w + 16);
  out->data.data = b->msg + doff;
  out->data.len = len;
  out->pad.data = doff >= area ? b->bytes : NULL;
  out->pad.len = doff >= area ? doff - area : 0;
  return 0;
}

SMBW_API int smbw_read_andx_rsp_encode(smbw_builder *bld, const smbw_read_andx_rsp *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || (r->wct != 0 && r->wct != 12) || (r->data.len && !r->data.data))
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  const smbw_bytes views[] = {r->pad, r->extra};
  if (smbw_views_check(bld, views, 2)) return bld->err;
  uint8_t *w;
  smbw_wr wr;
  if (r->wct == 0) {
    int rc = smbw_block_begin(bld, SMBW_COM_READ_ANDX, 0, r->extra.len, (uint16_t)r->extra.len,
                              &w, &wr);
    if (!rc && w) smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
    return rc;
  }
  uint32_t area = smbw_block_start(bld) + 3u + 24u;
  /* DataOffset: with no data it is written exactly as given, 0 included,
     and places nothing (a pad only when it is past the data area): a
     decoded DataOffset 0 re-encodes as 0 with the bytes right after
     ByteCount, where they were, so a chained block does not move.  With
     data it is used when at or past the data area; 0 or an offset into
     the words picks the default, the data at the next even offset. */
  uint32_t doff = (r->data.len == 0 || r->data_offset >= area) ? r->data_offset
                  : area + (area & 1u);
  uint32_t pad = doff >= area ? doff - area : 0;
  if (doff > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint32_t nbytes = pad + r->data.len + r->extra.len;
  if (r->data.len > 0xFFFFFFu) return smbw_builder_fail(bld, SMBW_E_RANGE);
  int rc = smbw_andx_begin(bld, SMBW_COM_READ_ANDX, 12, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  st16(w + 4, r->available);
  st16(w + 6, r->data_compaction_mode);
  st16(w + 8, r->reserved1);
  st16(w + 10, (uint16_t)r->data.len);
  st16(w + 12, (uint16_t)doff);
  st16(w + 14, (uint16_t)(r->data.len >> 16));
  st64(w + 16, r->reserved2);
  if (r->pad.data && r->pad.len == pad) smbw_wr_bytes(&wr, r->pad.data, pad);
  else smbw_wr_zero(&wr, pad);
  smbw_wr_bytes(&wr, r->data.data, r->data.len);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}
