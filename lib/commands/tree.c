/* SMB_COM_TREE_CONNECT_ANDX (MS-CIFS 2.2.4.55, MS-SMB 2.2.4.7). */
#include "../core/internal.h"

SMBW_API int smbw_tree_connect_andx_req_decode(const smbw_block *b, smbw_tree_connect_andx_req *out,
                                          smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_TREE_CONNECT_ANDX, err);
  if (b->wct != 4) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  const uint8_t *w = b->words;
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  smbw_get_andx(w, &out->andx);
  out->flags = ld16(w + 4);
  if (smbw_rd_bytes(&r, ld16(w + 6), &out->password, "Password")) return SMBW_E_FIELD_LENGTH;
  smbw_rd_str(&r, smbw_block_unicode(b), 1, &out->path);
  smbw_rd_str(&r, 0, 0, &out->service); /* always OEM */
  smbw_rd_rest(&r, &out->extra);
  return 0;
}

SMBW_API int smbw_tree_connect_andx_req_encode(smbw_builder *bld, const smbw_tree_connect_andx_req *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  const smbw_bytes views[] = {r->password, r->extra};
  if (smbw_views_check(bld, views, 2)) return bld->err;
  uint32_t boff = smbw_block_start(bld) + 3u + 2u * 4u;
  uint32_t s1, s2;
  const smbw_str *const v[2] = {&r->path, &r->service};
  const smbw_str *path = smbw_str_slot(v, 2, 0);
  int src = smbw_str_wire_size(path, uni, 1, boff + r->password.len, &s1);
  if (!src) src = smbw_str_wire_size(&r->service, 0, 0, 0, &s2);
  if (src) return smbw_builder_fail(bld, src);
  uint32_t nbytes = r->password.len + s1 + s2 + r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_TREE_CONNECT_ANDX, 4, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  st16(w + 4, r->flags);
  st16(w + 6, (uint16_t)r->password.len);
  smbw_wr_bytes(&wr, r->password.data, r->password.len);
  smbw_wr_str(&wr, path, uni, 1);
  smbw_wr_str(&wr, &r->service, 0, 0);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}

SMBW_API int smbw_tree_connect_andx_rsp_decode(const smbw_block *b, smbw_tree_connect_andx_rsp *out,
                                          smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_TREE_CONNECT_ANDX, err);
  const uint8_t *w = b->words;
  memset(out, 0, sizeof *out);
  out->wct = b->wct;
  if (b->wct == 0) {
    out->extra = smbw_block_data(b);
    return 0;
  }
  if (b->wct != 2 && b->wct != 3 && b->wct != 7)
    return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  smbw_get_andx(w, &out->andx);
  if (b->wct >= 3) out->optional_support = ld16(w + 4);
  if (b->wct == 7) {
    out->maximal_share_access_rights = ld32(w + 6);
    out->guest_maximal_share_access_rights = ld32(w + 10);
  }
  smbw_rd_str(&r, 0, 0, &out->service);
  smbw_rd_str(&r, smbw_block_unicode(b), 1, &out->native_file_system);
  smbw_rd_rest(&r, &out->extra);
  return 0;
}

SMBW_API int smbw_tree_connect_andx_rsp_encode(smbw_builder *bld, const smbw_tree_connect_andx_rsp *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  uint8_t wct = r->wct;
  if (wct != 0 && wct != 2 && wct != 3 && wct != 7) return smbw_builder_fail(bld, SMBW_E_INVAL);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  const smbw_str *const v[2] = {&r->service, &r->native_file_system};
  const smbw_str *service = smbw_str_slot(v, 2, 0);
  uint32_t s1 = 0, s2 = 0;
  if (wct) {
    uint32_t boff = smbw_block_start(bld) + 3u + 2u * wct;
    int src = smbw_str_wire_size(service, 0, 0, 0, &s1);
    if (!src) src = smbw_str_wire_size(&r->native_file_system, uni, 1, boff + s1, &s2);
    if (src) return smbw_builder_fail(bld, src);
  }
  if (smbw_views_check(bld, &r->extra, 1)) return bld->err;
  uint32_t nbytes = s1 + s2 + r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_TREE_CONNECT_ANDX, wct, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  if (!wct) {
    smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
    return 0;
  }
  if (wct >= 3) st16(w + 4, r->optional_support);
  if (wct == 7) {
    st32(w + 6, r->maximal_share_access_rights);
    st32(w + 10, r->guest_maximal_share_access_rights);
  }
  smbw_wr_str(&wr, service, 0, 0);
  smbw_wr_str(&wr, &r->native_file_system, uni, 1);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}
