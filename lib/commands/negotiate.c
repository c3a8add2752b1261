/* SMB_COM_NEGOTIATE (MS-CIFS 2.2.4.52, MS-SMB 2.2.4.5). */
#include "../core/internal.h"

SMBW_API int smbw_negotiate_req_decode_(const smbw_block *b, smbw_negotiate_req *out,
                                        size_t out_size, smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_NEGOTIATE, err);
  if (out_size < SMBW_FIRST_SIZE(smbw_negotiate_req, names))
    return smbw_fail(err, SMBW_E_INVAL, 0, "out");
  if (b->wct != 0) return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  const uint8_t *p = b->bytes, *end = p + b->bcc;
  uint16_t count = 0;
  while (p < end) {
    if (*p != 0x02)
      return smbw_fail(err, SMBW_E_BUFFER_FORMAT, (uint32_t)(p - b->msg), "BufferFormat");
    uint32_t n = (uint32_t)(end - p - 1);
    uint32_t z = smbw_find_nul8(p + 1, n);
    if (z == n)
      return smbw_fail(err, SMBW_E_STR_UNTERMINATED, (uint32_t)(p + 1 - b->msg),
                       "DialectString");
    p += 2u + z;
    count++;
  }
  smbw_negotiate_req v = {{b->bytes, b->bcc}, count, NULL};
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

SMBW_API int smbw_negotiate_req_encode_(smbw_builder *bld, const smbw_negotiate_req *r,
                                        size_t r_size) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_negotiate_req, names))
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  smbw_negotiate_req in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  if (!r->names && smbw_views_check(bld, &r->dialects, 1)) return bld->err;
  size_t size = 0;
  if (r->names) {
    for (uint16_t i = 0; i < r->count; i++) {
      if (!r->names[i]) return smbw_builder_fail(bld, SMBW_E_INVAL);
      size += strlen(r->names[i]) + 2;
      if (size > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
    }
  } else {
    size = r->dialects.len;
    if (size > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  }
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_block_begin(bld, SMBW_COM_NEGOTIATE, 0, (uint32_t)size, (uint16_t)size, &w, &wr);
  if (rc || !w) return rc;
  if (r->names) {
    static const uint8_t fmt = 0x02;
    for (uint16_t i = 0; i < r->count; i++) {
      smbw_wr_bytes(&wr, &fmt, 1);
      smbw_wr_bytes(&wr, (const uint8_t *)r->names[i], (uint32_t)strlen(r->names[i]) + 1);
    }
  } else {
    smbw_wr_bytes(&wr, r->dialects.data, r->dialects.len);
  }
  return 0;
}

SMBW_API void smbw_dialect_iter_init_(smbw_dialect_iter *it, const smbw_negotiate_req *r,
                                      size_t r_size) {
  /* Only the first member is read: every size of the struct has it. */
  (void)r_size;
  it->p = r->dialects.data;
  it->end = r->dialects.data ? r->dialects.data + r->dialects.len : NULL;
}

SMBW_API int smbw_dialect_iter_next(smbw_dialect_iter *it, smbw_str *name) {
  /* The decoder checked the format; stay bounded for hand-made input. */
  if (!it->p || it->p >= it->end || *it->p != 0x02) return 0;
  const uint8_t *s = it->p + 1;
  const uint8_t *z = memchr(s, 0, (size_t)(it->end - s));
  name->data = s;
  name->enc = SMBW_STR_OEM;
  name->pad = 0;
  if (z) {
    name->len = (uint32_t)(z - s);
    name->unterminated = 0;
    it->p = z + 1;
  } else {
    name->len = (uint32_t)(it->end - s);
    name->unterminated = 1;
    it->p = it->end;
  }
  return 1;
}

static int negotiate_rsp_decode(const smbw_block *b, smbw_negotiate_rsp *out, smbw_error *err);

/* Decoded into a local struct, copied out only on success
   (doc/contract.md). */
SMBW_API int smbw_negotiate_rsp_decode_(const smbw_block *b, smbw_negotiate_rsp *out,
                                        size_t out_size, smbw_error *err) {
  SMBW_CHECK_BLOCK(b, out, SMBW_COM_NEGOTIATE, err);
  if (out_size < SMBW_FIRST_SIZE(smbw_negotiate_rsp, extra))
    return smbw_fail(err, SMBW_E_INVAL, 0, "out");
  smbw_negotiate_rsp t;
  int rc = negotiate_rsp_decode(b, &t, err);
  if (rc == 0) smbw_put_sized(out, out_size, &t, sizeof t);
  return rc;
}

static int negotiate_rsp_decode(const smbw_block *b, smbw_negotiate_rsp *out, smbw_error *err) {
  const uint8_t *w = b->words;
  smbw_rd r;
  /* The NT LM 0.12 form zeroes the few fields it lacks itself; the rare
     others start from an all-zero struct. */
  if (b->wct != 17) memset(out, 0, sizeof *out);
  out->wct = b->wct;
  smbw_rd_block_bytes(&r, b, err);
  switch (b->wct) {
  case 0:
    out->extra = smbw_block_data(b);
    return 0;
  case 1:
    out->dialect_index = ld16(w);
    out->extra = smbw_block_data(b);
    return 0;
  case 13: /* LANMAN 1.0 / 2.x, MS-CIFS 2.2.4.52.2 */
    out->dialect_index = ld16(w);
    out->security_mode = ld16(w + 2);
    out->max_buffer_size = ld16(w + 4);
    out->max_mpx_count = ld16(w + 6);
    out->max_number_vcs = ld16(w + 8);
    out->raw_mode = ld16(w + 10);
    out->session_key = ld32(w + 12);
    out->server_time = ld16(w + 16);
    out->server_date = ld16(w + 18);
    out->server_time_zone = (int16_t)ld16(w + 20);
    out->challenge_length = ld16(w + 22);
    out->reserved = ld16(w + 24);
    if (smbw_rd_bytes(&r, out->challenge_length, &out->challenge, "EncryptionKey"))
      return SMBW_E_FIELD_LENGTH;
    smbw_rd_str(&r, 0, 0, &out->domain_name);
    smbw_rd_rest(&r, &out->extra);
    return 0;
  case 17: /* NT LM 0.12 */
    out->dialect_index = ld16(w);
    out->security_mode = w[2];
    out->max_mpx_count = ld16(w + 3);
    out->max_number_vcs = ld16(w + 5);
    out->max_buffer_size = ld32(w + 7);
    out->max_raw_size = ld32(w + 11);
    out->session_key = ld32(w + 15);
    out->capabilities = ld32(w + 19);
    out->system_time = ld64(w + 23);
    out->server_time_zone = (int16_t)ld16(w + 31);
    out->challenge_length = w[33];
    out->raw_mode = 0;
    out->server_time = 0;
    out->server_date = 0;
    out->reserved = 0;
    if (out->capabilities & SMBW_CAP_EXTENDED_SECURITY) {
      if (b->bcc < 16) return smbw_fail(err, SMBW_E_BCC, b->offset + 35, "ByteCount");
      out->challenge = (smbw_bytes){0};
      out->domain_name = (smbw_str){0};
      out->server_name = (smbw_str){0};
      out->extra = (smbw_bytes){0};
      smbw_rd_bytes(&r, 16, &out->server_guid, "ServerGUID");
      smbw_rd_rest(&r, &out->security_blob);
      return 0;
    }
    out->server_guid = (smbw_bytes){0};
    out->security_blob = (smbw_bytes){0};
    if (smbw_rd_bytes(&r, out->challenge_length, &out->challenge, "Challenge"))
      return SMBW_E_FIELD_LENGTH;
    /* DomainName and ServerName follow the challenge without a pad.  They
       are UTF-16 when FLAGS2_UNICODE or CAP_UNICODE is set: Samba answers a
       non-Unicode client with Flags2 clear but UTF-16 names, and Wireshark
       reads them by the capability too. */
    {
      int uni = smbw_block_unicode(b) || (out->capabilities & SMBW_CAP_UNICODE);
      smbw_rd_str(&r, uni, 0, &out->domain_name);
      smbw_rd_str(&r, uni, 0, &out->server_name);
    }
    smbw_rd_rest(&r, &out->extra);
    return 0;
  default:
    return smbw_fail(err, SMBW_E_WCT, b->offset, "WordCount");
  }
}

SMBW_API int smbw_negotiate_rsp_encode_(smbw_builder *bld, const smbw_negotiate_rsp *r,
                                        size_t r_size) {
  if (!bld) return SMBW_E_INVAL;
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_negotiate_rsp, extra))
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  smbw_negotiate_rsp in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  const smbw_bytes views[] = {r->challenge, r->security_blob, r->extra};
  if (smbw_views_check(bld, views, 3)) return bld->err;
  int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) || (r->capabilities & SMBW_CAP_UNICODE);
  const smbw_str *const names[2] = {&r->domain_name, &r->server_name};
  uint32_t nbytes = 0, s1 = 0, s2 = 0;
  int src = 0;
  int ext = r->wct == 17 && (r->capabilities & SMBW_CAP_EXTENDED_SECURITY);
  switch (r->wct) {
  case 0:
  case 1:
    break;
  case 13:
    src = smbw_str_wire_size(&r->domain_name, 0, 0, 0, &s1);
    if (src) return smbw_builder_fail(bld, src);
    nbytes = r->challenge.len + s1;
    break;
  case 17:
    if (ext) {
      if (r->server_guid.len != 16 || !r->server_guid.data)
        return smbw_builder_fail(bld, SMBW_E_INVAL);
      nbytes = 16 + r->security_blob.len;
    } else {
      if (r->challenge.len > 0xFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
      src = smbw_str_wire_size(smbw_str_slot(names, 2, 0), uni, 0, 0, &s1);
      if (!src) src = smbw_str_wire_size(names[1], uni, 0, 0, &s2);
      if (src) return smbw_builder_fail(bld, src);
      nbytes = r->challenge.len + s1 + s2;
    }
    break;
  default:
    return smbw_builder_fail(bld, SMBW_E_INVAL);
  }
  nbytes += r->extra.len;
  if (nbytes > 0xFFFF) return smbw_builder_fail(bld, SMBW_E_RANGE);
  uint8_t *w;
  smbw_wr wr;
  int rc = smbw_block_begin(bld, SMBW_COM_NEGOTIATE, r->wct, nbytes, (uint16_t)nbytes, &w, &wr);
  if (rc || !w) return rc;
  switch (r->wct) {
  case 1:
    st16(w, r->dialect_index);
    break;
  case 13:
    st16(w, r->dialect_index);
    st16(w + 2, r->security_mode);
    st16(w + 4, (uint16_t)r->max_buffer_size);
    st16(w + 6, r->max_mpx_count);
    st16(w + 8, r->max_number_vcs);
    st16(w + 10, r->raw_mode);
    st32(w + 12, r->session_key);
    st16(w + 16, r->server_time);
    st16(w + 18, r->server_date);
    st16(w + 20, (uint16_t)r->server_time_zone);
    st16(w + 22, (uint16_t)r->challenge.len);
    st16(w + 24, r->reserved);
    smbw_wr_bytes(&wr, r->challenge.data, r->challenge.len);
    smbw_wr_str(&wr, &r->domain_name, 0, 0);
    break;
  case 17:
    st16(w, r->dialect_index);
    w[2] = (uint8_t)r->security_mode;
    st16(w + 3, r->max_mpx_count);
    st16(w + 5, r->max_number_vcs);
    st32(w + 7, r->max_buffer_size);
    st32(w + 11, r->max_raw_size);
    st32(w + 15, r->session_key);
    st32(w + 19, r->capabilities);
    st64(w + 23, r->system_time);
    st16(w + 31, (uint16_t)r->server_time_zone);
    if (ext) {
      w[33] = (uint8_t)r->challenge_length; /* normally 0 */
      smbw_wr_bytes(&wr, r->server_guid.data, 16);
      smbw_wr_bytes(&wr, r->security_blob.data, r->security_blob.len);
    } else {
      w[33] = (uint8_t)r->challenge.len;
      smbw_wr_bytes(&wr, r->challenge.data, r->challenge.len);
      smbw_wr_str(&wr, smbw_str_slot(names, 2, 0), uni, 0);
      smbw_wr_str(&wr, names[1], uni, 0);
    }
    break;
  default:
    break;
  }
  smbw_wr_bytes(&wr, r->extra.data, r->extra.len);
  return 0;
}
