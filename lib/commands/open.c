/* SMB_COM_OPEN_ANDX (MS-CIFS 2.2.4.41, MS-SMB 2.2.4.1). */
#include "../core/internal.h"

SMBW_API int smbw_open_andx_req_decode(const smbw_block *b, smbw_open_andx_req *out,
                                       smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_OPEN_ANDX, err);
  if (b->wct != 15) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  const uint8_t *w = b->words;
  smbw_get_andx(w, &out->andx);
  out->flags = ld16(w + 4);
  out->access_mode = ld16(w + 6);
  out->search_attrs = ld16(w + 8);
  out->file_attrs = ld16(w + 10);
  out->creation_time = ld32(w + 12);
  out->open_mode = ld16(w + 16);
  out->allocation_size = ld32(w + 18);
  out->timeout = ld32(w + 22);
  out->reserved = ld32(w + 26);
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  smbw_rd_str(&r, smbw_block_unicode(b), 1, &out->file_name);
  smbw_rd_rest(&r, &out->extra);
  return 0;
}

SMBW_API int smbw_open_andx_req_encode(smbw_builder *bld, const smbw_open_andx_req *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  uint32_t nbytes;
  int src = smbw_str_wire_size(&r->file_name, uni, 1, smbw_block_start(bld) + 3u + 30u, &nbytes);
  if (src) return smbw_builder_fail(bld, src);
  if (smbw_views_check(bld, &r->extra, 1)) return bld->err;
  nbytes += r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_OPEN_ANDX, 15, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  st16(w + 4, r->flags);
  st16(w + 6, r->access_mode);
  st16(w + 8, r->search_attrs);
  st16(w + 10, r->file_attrs);
  st32(w + 12, r->creation_time);
  st16(w + 16, r->open_mode);
  st32(w + 18, r->allocation_size);
  st32(w + 22, r->timeout);
  st32(w + 26, r->reserved);
  smbw_wr_str(&wr, &r->file_name, uni, 1);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}

SMBW_API int smbw_open_andx_rsp_decode(const smbw_block *b, smbw_open_andx_rsp *out,
                                       smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_OPEN_ANDX, err);
  const uint8_t *w = b->words;
  memset(out, 0, sizeof *out);
  out->wct = b->wct;
  out->extra = smbw_block_data(b); /* no data is defined: all of it is extra */
  if (b->wct == 0) return 0;
  if (b->wct != 15 && b->wct != 19) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  smbw_get_andx(w, &out->andx);
  out->fid = ld16(w + 4);
  out->file_attrs = ld16(w + 6);
  out->last_write_time = ld32(w + 8);
  out->file_data_size = ld32(w + 12);
  out->access_rights = ld16(w + 16);
  out->resource_type = ld16(w + 18);
  out->nmpipe_status = ld16(w + 20);
  out->open_results = ld16(w + 22);
  out->server_fid = ld32(w + 24);
  out->reserved = ld16(w + 28);
  if (b->wct == 19) {
    out->maximal_access_rights = ld32(w + 30);
    out->guest_maximal_access_rights = ld32(w + 34);
  }
  return 0;
}

SMBW_API int smbw_open_andx_rsp_encode(smbw_builder *bld, const smbw_open_andx_rsp *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  uint8_t wct = r->wct;
  if (wct != 0 && wct != 15 && wct != 19) return smbw_builder_fail(bld, SMBW_E_INVAL);
  if (smbw_views_check(bld, &r->extra, 1)) return bld->err;
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_OPEN_ANDX, wct, r->extra.len, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  if (!wct) return 0;
  st16(w + 4, r->fid);
  st16(w + 6, r->file_attrs);
  st32(w + 8, r->last_write_time);
  st32(w + 12, r->file_data_size);
  st16(w + 16, r->access_rights);
  st16(w + 18, r->resource_type);
  st16(w + 20, r->nmpipe_status);
  st16(w + 22, r->open_results);
  st32(w + 24, r->server_fid);
  st16(w + 28, r->reserved);
  if (wct == 19) {
    st32(w + 30, r->maximal_access_rights);
    st32(w + 34, r->guest_maximal_access_rights);
  }
  return 0;
}
