/* SMB_COM_SESSION_SETUP_ANDX (MS-CIFS 2.2.4.53, MS-SMB 2.2.4.6). */
#include "../core/internal.h"

SMBW_API int smbw_session_setup_andx_req_decode(const smbw_block *b,
    smbw_session_setup_andx_req *out, smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_SESSION_SETUP_ANDX, err);
  const uint8_t *w = b->words;
  int uni = smbw_block_unicode(b);
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  out->wct = b->wct;
  if (b->wct != 10 && b->wct != 12 && b->wct != 13)
    return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  smbw_get_andx(w, &out->andx);
  out->max_buffer_size = ld16(w + 4);
  out->max_mpx_count = ld16(w + 6);
  out->vc_number = ld16(w + 8);
  out->session_key = ld32(w + 10);
  /* Every field is written on success; those a form lacks are zeroed one
     by one (not the whole struct). */
  if (b->wct == 10) { /* LANMAN: MS-CIFS 2.2.4.53.1 */
    out->reserved = ld32(w + 16);
    out->capabilities = 0;
    out->unicode_password = (smbw_bytes){0};
    out->security_blob = (smbw_bytes){0};
    if (smbw_rd_bytes(&r, ld16(w + 14), &out->password, "AccountPassword"))
      return SMBW_E_FIELD_LENGTH;
  } else if (b->wct == 13) { /* NT LM 0.12 */
    out->reserved = ld32(w + 18);
    out->capabilities = ld32(w + 22);
    out->security_blob = (smbw_bytes){0};
    if (smbw_rd_bytes(&r, ld16(w + 14), &out->password, "OEMPassword") ||
        smbw_rd_bytes(&r, ld16(w + 16), &out->unicode_password, "UnicodePassword"))
      return SMBW_E_FIELD_LENGTH;
  } else { /* 12: extended security, MS-SMB 2.2.4.6.1 */
    out->reserved = ld32(w + 16);
    out->capabilities = ld32(w + 20);
    out->password = (smbw_bytes){0};
    out->unicode_password = (smbw_bytes){0};
    out->account_name = (smbw_str){0};
    if (smbw_rd_bytes(&r, ld16(w + 14), &out->security_blob, "SecurityBlob"))
      return SMBW_E_FIELD_LENGTH;
    smbw_str *const v[] = {&out->native_os, &out->native_lanman, &out->primary_domain};
    smbw_rd_strs(&r, uni, v, 3);
    smbw_rd_rest(&r, &out->extra);
    return 0;
  }
  smbw_str *const v[] = {&out->account_name, &out->primary_domain, &out->native_os,
                         &out->native_lanman};
  smbw_rd_strs(&r, uni, v, 4);
  smbw_rd_rest(&r, &out->extra);
  return 0;
}

SMBW_API int smbw_session_setup_andx_req_encode(smbw_builder *bld, const smbw_session_setup_andx_req *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  uint8_t wct = r->wct;
  const smbw_str *v[4];
  unsigned nv;
  uint32_t fixed;
  if (wct == 12) {
    fixed = r->security_blob.len;
    v[0] = &r->native_os; v[1] = &r->native_lanman; v[2] = &r->primary_domain;
    nv = 3;
  } else if (wct == 10 || wct == 13) {
    fixed = r->password.len + (wct == 13 ? r->unicode_password.len : 0u);
    v[0] = &r->account_name; v[1] = &r->primary_domain; v[2] = &r->native_os;
    v[3] = &r->native_lanman;
    nv = 4;
  } else {
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  }
  const smbw_bytes views[] = {r->password, r->unicode_password, r->security_blob, r->extra};
  if (smbw_views_check(bld, views, 4)) return bld->err;
  uint32_t boff = smbw_block_start(bld) + 3u + 2u * wct;
  uint32_t nbytes = fixed;
  int rc = smbw_strs_size(v, nv, uni, boff, &nbytes);
  if (rc) return smbw_builder_fail(bld, rc);
  nbytes += r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  rc = smbw_andx_begin(bld, SMBW_COM_SESSION_SETUP_ANDX, wct, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  st16(w + 4, r->max_buffer_size);
  st16(w + 6, r->max_mpx_count);
  st16(w + 8, r->vc_number);
  st32(w + 10, r->session_key);
  if (wct == 10) {
    st16(w + 14, (uint16_t)r->password.len);
    st32(w + 16, r->reserved);
    smbw_wr_bytes(&wr, r->password.data, r->password.len);
  } else if (wct == 13) {
    st16(w + 14, (uint16_t)r->password.len);
    st16(w + 16, (uint16_t)r->unicode_password.len);
    st32(w + 18, r->reserved);
    st32(w + 22, r->capabilities);
    smbw_wr_bytes(&wr, r->password.data, r->password.len);
    smbw_wr_bytes(&wr, r->unicode_password.data, r->unicode_password.len);
  } else {
    st16(w + 14, (uint16_t)r->security_blob.len);
    st32(w + 16, r->reserved);
    st32(w + 20, r->capabilities);
    smbw_wr_bytes(&wr, r->security_blob.data, r->security_blob.len);
  }
  smbw_wr_strs(&wr, v, nv, uni);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}

SMBW_API int smbw_session_setup_andx_rsp_decode(const smbw_block *b,
    smbw_session_setup_andx_rsp *out, smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_SESSION_SETUP_ANDX, err);
  const uint8_t *w = b->words;
  smbw_rd r;
  smbw_rd_block_bytes(&r, b, err);
  out->wct = b->wct;
  /* Every field is written on success; those a form lacks are zeroed one
     by one (not the whole struct). */
  out->security_blob = (smbw_bytes){0};
  if (b->wct == 0) {
    out->andx = (smbw_andx){0};
    out->action = 0;
    out->native_os = (smbw_str){0};
    out->native_lanman = (smbw_str){0};
    out->primary_domain = (smbw_str){0};
    out->extra = smbw_block_data(b);
    return 0;
  }
  if (b->wct != 3 && b->wct != 4) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  smbw_get_andx(w, &out->andx);
  out->action = ld16(w + 4);
  if (b->wct == 4 && smbw_rd_bytes(&r, ld16(w + 6), &out->security_blob, "SecurityBlob"))
    return SMBW_E_FIELD_LENGTH;
  smbw_str *const v[] = {&out->native_os, &out->native_lanman, &out->primary_domain};
  smbw_rd_strs(&r, smbw_block_unicode(b), v, 3);
  smbw_rd_rest(&r, &out->extra);
  return 0;
}

SMBW_API int smbw_session_setup_andx_rsp_encode(smbw_builder *bld, const smbw_session_setup_andx_rsp *r) {
  if (!bld) return SMBW_E_INVAL;
  if (!r) return smbw_builder_fail(bld, SMBW_E_INVAL);
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;
  uint8_t wct = r->wct;
  if (wct != 0 && wct != 3 && wct != 4) return smbw_builder_fail(bld, SMBW_E_INVAL);
  const smbw_bytes views[] = {r->security_blob, r->extra};
  if (smbw_views_check(bld, views, 2)) return bld->err;
  const smbw_str *v[3] = {&r->native_os, &r->native_lanman, &r->primary_domain};
  uint32_t nbytes = 0;
  if (wct) {
    nbytes = wct == 4 ? r->security_blob.len : 0u;
    int rc = smbw_strs_size(v, 3, uni, smbw_block_start(bld) + 3u + 2u * wct, &nbytes);
    if (rc) return smbw_builder_fail(bld, rc);
  }
  nbytes += r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_andx_begin(bld, SMBW_COM_SESSION_SETUP_ANDX, wct, nbytes, &r->andx, &w, &wr);
  if (rc || !w) return rc;
  if (!wct) {
    smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
    return 0;
  }
  st16(w + 4, r->action);
  if (wct == 4) {
    st16(w + 6, (uint16_t)r->security_blob.len);
    smbw_wr_bytes(&wr, r->security_blob.data, r->security_blob.len);
  }
  smbw_wr_strs(&wr, v, 3, uni);
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}
