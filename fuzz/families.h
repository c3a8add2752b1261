/*
 * The command families with typed decoders (NEGOTIATE, SESSION_SETUP_ANDX,
 * TREE_CONNECT_ANDX, OPEN_ANDX, READ_ANDX), for the fuzz targets and the
 * hostile tests: decode/encode by family, field-by-field equality (views
 * by content), and fam_check(), which states the security model of one
 * successful decode:
 *  - every view lies inside the block's data area (READ_ANDX data: inside
 *    the message, at or after the data area) and the views come in wire
 *    order without overlapping;
 *  - every length the struct reports equals the length field on the wire;
 *  - strings: the encoding follows Flags2.Unicode, an alignment pad is
 *    taken only at an odd offset and recorded, a terminated string is
 *    followed by its terminator inside the area and holds no terminator,
 *    an unterminated one runs exactly to the end of the area, an absent
 *    one means the area was used up;
 *  - "extra" is exactly the rest of the data area.
 *
 * The selector byte of the commands/roundtrip/encode targets:
 *   bits 0-2  family: 0 NEGOTIATE 1 SESSION_SETUP_ANDX 2 TREE_CONNECT_ANDX
 *             3 OPEN_ANDX 4 READ_ANDX 5 NT_CREATE_ANDX 6 LOCKING_ANDX
 *             7 CLOSE (5-7 have no typed decoder: chains pass through)
 *   bit 3     response (Flags.Reply)
 *   bit 4     Flags2.Unicode
 *   bit 5     Flags2.NT_Status
 *   bits 6-7  target-specific
 */
#ifndef SMBW_FUZZ_FAMILIES_H
#define SMBW_FUZZ_FAMILIES_H

#include "fuzz_common.h"

enum { F_NEG, F_SESS, F_TREE, F_OPEN, F_READ, F_NONE = -1 };

static const uint8_t fam_cmds[8] = {0x72, 0x73, 0x75, 0x2D, 0x2E, 0xA2, 0x24, 0x04};

static inline int fam_of(uint8_t cmd) {
  switch (cmd) {
  case 0x72: return F_NEG;
  case 0x73: return F_SESS;
  case 0x75: return F_TREE;
  case 0x2D: return F_OPEN;
  case 0x2E: return F_READ;
  default: return F_NONE;
  }
}

typedef union fam_u {
  smbw_negotiate_req neg_req;
  smbw_negotiate_rsp neg_rsp;
  smbw_session_setup_andx_req sess_req;
  smbw_session_setup_andx_rsp sess_rsp;
  smbw_tree_connect_andx_req tree_req;
  smbw_tree_connect_andx_rsp tree_rsp;
  smbw_open_andx_req open_req;
  smbw_open_andx_rsp open_rsp;
  smbw_read_andx_req read_req;
  smbw_read_andx_rsp read_rsp;
} fam_u;

/* Build header + body for a selector: returns the message length. */
static inline size_t fam_build(uint8_t sel, const uint8_t *body, size_t n, uint8_t *out) {
  static const uint8_t hdr[32] = {0xFF, 'S', 'M', 'B', 0, 0, 0, 0, 0, 0x18, 0x43, 0x48,
                                  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                  0x01, 0x08, 0x57, 0x53, 0x00, 0x08, 0x07, 0x00};
  memcpy(out, hdr, 32);
  out[4] = fam_cmds[sel & 7];
  if (sel & 0x08) out[9] |= 0x80;
  if (sel & 0x10) out[11] |= 0x80;
  if (sel & 0x20) out[11] |= 0x40;
  if (n) memcpy(out + 32, body, n);
  return 32 + n;
}

static inline int fam_decode(const smbw_block *b, int fam, int rsp, fam_u *u, smbw_error *e) {
  switch (fam * 2 + rsp) {
  case 0: return smbw_negotiate_req_decode(b, &u->neg_req, e);
  case 1: return smbw_negotiate_rsp_decode(b, &u->neg_rsp, e);
  case 2: return smbw_session_setup_andx_req_decode(b, &u->sess_req, e);
  case 3: return smbw_session_setup_andx_rsp_decode(b, &u->sess_rsp, e);
  case 4: return smbw_tree_connect_andx_req_decode(b, &u->tree_req, e);
  case 5: return smbw_tree_connect_andx_rsp_decode(b, &u->tree_rsp, e);
  case 6: return smbw_open_andx_req_decode(b, &u->open_req, e);
  case 7: return smbw_open_andx_rsp_decode(b, &u->open_rsp, e);
  case 8: return smbw_read_andx_req_decode(b, &u->read_req, e);
  case 9: return smbw_read_andx_rsp_decode(b, &u->read_rsp, e);
  default: return SMBW_E_INVAL;
  }
}

static inline int fam_encode(smbw_builder *bld, int fam, int rsp, const fam_u *u) {
  switch (fam * 2 + rsp) {
  case 0: return smbw_negotiate_req_encode(bld, &u->neg_req);
  case 1: return smbw_negotiate_rsp_encode(bld, &u->neg_rsp);
  case 2: return smbw_session_setup_andx_req_encode(bld, &u->sess_req);
  case 3: return smbw_session_setup_andx_rsp_encode(bld, &u->sess_rsp);
  case 4: return smbw_tree_connect_andx_req_encode(bld, &u->tree_req);
  case 5: return smbw_tree_connect_andx_rsp_encode(bld, &u->tree_rsp);
  case 6: return smbw_open_andx_req_encode(bld, &u->open_req);
  case 7: return smbw_open_andx_rsp_encode(bld, &u->open_rsp);
  case 8: return smbw_read_andx_req_encode(bld, &u->read_req);
  case 9: return smbw_read_andx_rsp_encode(bld, &u->read_rsp);
  default: return SMBW_E_INVAL;
  }
}

#define EQ(f) (a->f == b->f)
#define EQA(a_, b_) ((a_).command == (b_).command && (a_).reserved == (b_).reserved && \
                     (a_).offset == (b_).offset)

/* Field-by-field equality; views by content.  Returns 0 and names the
   first differing field in *what. */
static inline int fam_eq(int fam, int rsp, const fam_u *ua, const fam_u *ub, const char **what) {
#define F(cond, name) do { if (!(cond)) { *what = name; return 0; } } while (0)
  switch (fam * 2 + rsp) {
  case 0: {
    const smbw_negotiate_req *a = &ua->neg_req, *b = &ub->neg_req;
    F(EQ(count), "count");
    F(fz_bytes_eq(a->dialects, b->dialects), "dialects");
    break;
  }
  case 1: {
    const smbw_negotiate_rsp *a = &ua->neg_rsp, *b = &ub->neg_rsp;
    F(EQ(wct) && EQ(dialect_index) && EQ(max_mpx_count) && EQ(max_number_vcs), "words");
    F(EQ(raw_mode) && EQ(server_time) && EQ(server_date) && EQ(server_time_zone), "lanman words");
    F(EQ(reserved) && EQ(security_mode) && EQ(challenge_length), "security words");
    F(EQ(max_buffer_size) && EQ(max_raw_size) && EQ(session_key), "sizes");
    F(EQ(capabilities) && EQ(system_time), "capabilities");
    F(fz_bytes_eq(a->challenge, b->challenge), "challenge");
    F(fz_str_eq(&a->domain_name, &b->domain_name), "domain_name");
    F(fz_str_eq(&a->server_name, &b->server_name), "server_name");
    F(fz_bytes_eq(a->server_guid, b->server_guid), "server_guid");
    F(fz_bytes_eq(a->security_blob, b->security_blob), "security_blob");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 2: {
    const smbw_session_setup_andx_req *a = &ua->sess_req, *b = &ub->sess_req;
    F(EQ(wct) && EQA(a->andx, b->andx), "andx");
    F(EQ(max_buffer_size) && EQ(max_mpx_count) && EQ(vc_number) && EQ(session_key), "words");
    F(EQ(reserved) && EQ(capabilities), "reserved/capabilities");
    F(fz_bytes_eq(a->password, b->password), "password");
    F(fz_bytes_eq(a->unicode_password, b->unicode_password), "unicode_password");
    F(fz_bytes_eq(a->security_blob, b->security_blob), "security_blob");
    F(fz_str_eq(&a->account_name, &b->account_name), "account_name");
    F(fz_str_eq(&a->primary_domain, &b->primary_domain), "primary_domain");
    F(fz_str_eq(&a->native_os, &b->native_os), "native_os");
    F(fz_str_eq(&a->native_lanman, &b->native_lanman), "native_lanman");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 3: {
    const smbw_session_setup_andx_rsp *a = &ua->sess_rsp, *b = &ub->sess_rsp;
    F(EQ(wct) && EQA(a->andx, b->andx) && EQ(action), "words");
    F(fz_bytes_eq(a->security_blob, b->security_blob), "security_blob");
    F(fz_str_eq(&a->native_os, &b->native_os), "native_os");
    F(fz_str_eq(&a->native_lanman, &b->native_lanman), "native_lanman");
    F(fz_str_eq(&a->primary_domain, &b->primary_domain), "primary_domain");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 4: {
    const smbw_tree_connect_andx_req *a = &ua->tree_req, *b = &ub->tree_req;
    F(EQA(a->andx, b->andx) && EQ(flags), "words");
    F(fz_bytes_eq(a->password, b->password), "password");
    F(fz_str_eq(&a->path, &b->path), "path");
    F(fz_str_eq(&a->service, &b->service), "service");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 5: {
    const smbw_tree_connect_andx_rsp *a = &ua->tree_rsp, *b = &ub->tree_rsp;
    F(EQ(wct) && EQA(a->andx, b->andx) && EQ(optional_support), "words");
    F(EQ(maximal_share_access_rights) && EQ(guest_maximal_share_access_rights), "rights");
    F(fz_str_eq(&a->service, &b->service), "service");
    F(fz_str_eq(&a->native_file_system, &b->native_file_system), "native_file_system");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 6: {
    const smbw_open_andx_req *a = &ua->open_req, *b = &ub->open_req;
    F(EQA(a->andx, b->andx) && EQ(flags) && EQ(access_mode) && EQ(search_attrs), "words");
    F(EQ(file_attrs) && EQ(creation_time) && EQ(open_mode) && EQ(allocation_size), "words2");
    F(EQ(timeout) && EQ(reserved), "timeout/reserved");
    F(fz_str_eq(&a->file_name, &b->file_name), "file_name");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 7: {
    const smbw_open_andx_rsp *a = &ua->open_rsp, *b = &ub->open_rsp;
    F(EQ(wct) && EQA(a->andx, b->andx) && EQ(fid) && EQ(file_attrs), "words");
    F(EQ(last_write_time) && EQ(file_data_size) && EQ(access_rights), "words2");
    F(EQ(resource_type) && EQ(nmpipe_status) && EQ(open_results), "words3");
    F(EQ(server_fid) && EQ(reserved), "server_fid/reserved");
    F(EQ(maximal_access_rights) && EQ(guest_maximal_access_rights), "rights");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 8: {
    const smbw_read_andx_req *a = &ua->read_req, *b = &ub->read_req;
    F(EQ(wct) && EQA(a->andx, b->andx) && EQ(fid) && EQ(max_count) && EQ(min_count), "words");
    F(EQ(remaining) && EQ(timeout) && EQ(offset), "words2");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  case 9: {
    const smbw_read_andx_rsp *a = &ua->read_rsp, *b = &ub->read_rsp;
    F(EQ(wct), "wct");
    if (a->wct == 0) {
      F(fz_bytes_eq(a->extra, b->extra), "extra");
      break;
    }
    F(EQA(a->andx, b->andx) && EQ(available) && EQ(data_compaction_mode), "words");
    F(EQ(reserved1) && EQ(data_length) && EQ(reserved2), "words2");
    /* DataOffset is meaningful only with data (read.h). */
    F(EQ(data_offset) || a->data_length == 0, "data_offset");
    F(fz_bytes_eq(a->data, b->data), "data");
    F(fz_bytes_eq(a->pad, b->pad) || a->data_length == 0, "pad");
    F(fz_bytes_eq(a->extra, b->extra), "extra");
    break;
  }
  default:
    *what = "family";
    return 0;
  }
#undef F
  return 1;
}
#undef EQ
#undef EQA

/* ---- the security model of one successful decode ---- */

typedef struct fz_seq {
  const uint8_t *msg; /* SMB header: alignment is counted from here */
  const uint8_t *lo, *hi, *cur;
  int done;           /* a string was absent: the later ones are too */
} fz_seq;

static inline void seq_init(fz_seq *s, const smbw_block *b) {
  s->msg = b->msg;
  s->lo = s->cur = b->bytes;
  s->hi = b->bytes + b->bcc;
  s->done = 0;
}

static inline void seq_bytes(fz_seq *s, smbw_bytes v) {
  if (v.len == 0) {
    /* the form engine gives no pointer for no bytes; NEGOTIATE (hand-written)
       points at where the bytes would be */
    CHECK(v.data == NULL || v.data == s->cur);
    return;
  }
  CHECK(v.data == s->cur && fz_inside(v.data, v.len, s->lo, (size_t)(s->hi - s->lo)));
  s->cur = v.data + v.len;
}

/* An empty view may be NULL: the form engine gives no pointer for no bytes. */
static inline int view_is(smbw_bytes v, const uint8_t *p, size_t n) {
  return v.len == n && (v.data == p || (n == 0 && v.data == NULL));
}

static inline void seq_rest(fz_seq *s, smbw_bytes v) {
  CHECK(view_is(v, s->cur, (size_t)(s->hi - s->cur)));
  s->cur = s->hi;
}

static inline void str_convert(const smbw_str *v) {
  char small[7], big[1024];
  size_t need = 0, need2 = 0;
  int rc = smbw_str_to_utf8(v, small, sizeof small, &need);
  CHECK(rc == 0 || rc == SMBW_E_NOSPACE);
  CHECK(strlen(small) < sizeof small);
  CHECK((rc == 0) == (need < sizeof small));
  rc = smbw_str_to_utf8(v, big, sizeof big, &need2);
  CHECK(need2 == need);
  if (need < sizeof big) CHECK(rc == 0 && memcmp(small, big, strlen(small)) == 0);
}

static inline void seq_str(fz_seq *s, const smbw_str *v, int unicode, int aligned) {
  CHECK(v->enc == (unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM));
  if (s->done) { /* after an absent string, every later one is absent */
    CHECK(!v->data && v->len == 0 && v->pad == 0 && v->unterminated == 0);
    return;
  }
  const uint8_t *at = s->cur;
  int padded = unicode && aligned && ((size_t)(at - s->msg) & 1u) && at < s->hi;
  if (padded && s->hi - at == 1) {
    /* A lone byte at an odd offset is no pad: the string is absent and
       the byte is left for the extra bytes. */
    CHECK(!v->data && v->len == 0 && v->pad == 0 && v->unterminated == 0);
    s->done = 1;
    return;
  }
  if (padded) {
    CHECK(v->pad == *at);
    at++;
  } else {
    CHECK(v->pad == 0);
  }
  if (!v->data) {
    CHECK(v->len == 0 && v->unterminated == 0 && at == s->hi);
    s->cur = s->hi;
    s->done = 1;
    return;
  }
  CHECK(v->data == at && fz_inside(v->data, v->len, s->lo, (size_t)(s->hi - s->lo)));
  if (v->unterminated) {
    CHECK(v->data + v->len == s->hi);
    s->cur = s->hi;
  } else {
    unsigned t = unicode ? 2u : 1u;
    CHECK(v->len + t <= (size_t)(s->hi - v->data));
    CHECK(v->data[v->len] == 0 && (!unicode || v->data[v->len + 1] == 0));
    if (unicode) CHECK((v->len & 1u) == 0);
    s->cur = v->data + v->len + t;
  }
  if (unicode) {
    for (uint32_t i = 0; i + 1 < v->len; i += 2) CHECK(v->data[i] | v->data[i + 1]);
  } else {
    CHECK(memchr(v->data, 0, v->len) == NULL);
  }
  str_convert(v);
}

static inline int blk_uni(const smbw_block *b) { return (b->flags2 & 0x8000u) != 0; }

static inline void fam_check(const smbw_block *b, int fam, int rsp, const fam_u *u) {
  const uint8_t *w = b->words;
  fz_seq s;
  seq_init(&s, b);
  int uni = blk_uni(b);
  switch (fam * 2 + rsp) {
  case 0: {
    const smbw_negotiate_req *r = &u->neg_req;
    CHECK(b->wct == 0 && r->names == NULL);
    CHECK(r->dialects.data == b->bytes && r->dialects.len == b->bcc);
    CHECK(r->count <= b->bcc / 2u);
    smbw_dialect_iter it;
    smbw_str name;
    unsigned n = 0;
    smbw_dialect_iter_init(&it, r);
    const uint8_t *cur = b->bytes;
    while (smbw_dialect_iter_next(&it, &name)) {
      CHECK(++n <= r->count);
      CHECK(name.data == cur + 1 && !name.unterminated && name.enc == SMBW_STR_OEM);
      CHECK(fz_inside(name.data, name.len + 1u, b->bytes, b->bcc) && name.data[name.len] == 0);
      CHECK(memchr(name.data, 0, name.len) == NULL);
      cur = name.data + name.len + 1;
      str_convert(&name);
    }
    CHECK(n == r->count && cur == b->bytes + b->bcc);
    break;
  }
  case 1: {
    const smbw_negotiate_rsp *r = &u->neg_rsp;
    CHECK(r->wct == b->wct);
    if (r->wct == 0 || r->wct == 1) {
      if (r->wct == 1) CHECK(r->dialect_index == fz_ld16(w));
      CHECK(view_is(r->extra, b->bytes, b->bcc));
      CHECK(!r->challenge.data && !r->domain_name.data && !r->server_name.data &&
            !r->server_guid.data && !r->security_blob.data);
      break;
    }
    if (r->wct == 13) {
      CHECK(r->challenge_length == fz_ld16(w + 22) && r->challenge.len == r->challenge_length);
      seq_bytes(&s, r->challenge);
      seq_str(&s, &r->domain_name, 0, 0);
      CHECK(!r->server_name.data && !r->server_guid.data && !r->security_blob.data);
      seq_rest(&s, r->extra);
      break;
    }
    CHECK(r->wct == 17);
    CHECK(r->capabilities == fz_ld32(w + 19) && r->challenge_length == w[33]);
    if (r->capabilities & SMBW_CAP_EXTENDED_SECURITY) {
      CHECK(r->server_guid.len == 16);
      seq_bytes(&s, r->server_guid);
      seq_rest(&s, r->security_blob);
      CHECK(!r->challenge.data && !r->domain_name.data && !r->server_name.data && !r->extra.data);
    } else {
      int u2 = uni || (r->capabilities & SMBW_CAP_UNICODE);
      CHECK(r->challenge.len == r->challenge_length);
      seq_bytes(&s, r->challenge);
      seq_str(&s, &r->domain_name, u2, 0);
      seq_str(&s, &r->server_name, u2, 0);
      CHECK(!r->server_guid.data && !r->security_blob.data);
      seq_rest(&s, r->extra);
    }
    break;
  }
  case 2: {
    const smbw_session_setup_andx_req *r = &u->sess_req;
    CHECK(r->wct == b->wct && (r->wct == 10 || r->wct == 12 || r->wct == 13));
    CHECK(r->andx.command == w[0] && r->andx.offset == fz_ld16(w + 2));
    if (r->wct == 12) {
      CHECK(r->security_blob.len == fz_ld16(w + 14) && r->capabilities == fz_ld32(w + 20));
      seq_bytes(&s, r->security_blob);
      seq_str(&s, &r->native_os, uni, 1);
      seq_str(&s, &r->native_lanman, uni, 1);
      seq_str(&s, &r->primary_domain, uni, 1);
      CHECK(!r->password.data && !r->unicode_password.data && !r->account_name.data);
    } else {
      CHECK(r->password.len == fz_ld16(w + 14));
      seq_bytes(&s, r->password);
      if (r->wct == 13) {
        CHECK(r->unicode_password.len == fz_ld16(w + 16) && r->capabilities == fz_ld32(w + 22));
        seq_bytes(&s, r->unicode_password);
      } else {
        CHECK(!r->unicode_password.data && r->capabilities == 0);
      }
      seq_str(&s, &r->account_name, uni, 1);
      seq_str(&s, &r->primary_domain, uni, 1);
      seq_str(&s, &r->native_os, uni, 1);
      seq_str(&s, &r->native_lanman, uni, 1);
      CHECK(!r->security_blob.data);
    }
    seq_rest(&s, r->extra);
    break;
  }
  case 3: {
    const smbw_session_setup_andx_rsp *r = &u->sess_rsp;
    CHECK(r->wct == b->wct);
    if (r->wct == 0) {
      CHECK(view_is(r->extra, b->bytes, b->bcc));
      break;
    }
    CHECK(r->wct == 3 || r->wct == 4);
    CHECK(r->andx.command == w[0] && r->andx.offset == fz_ld16(w + 2) && r->action == fz_ld16(w + 4));
    if (r->wct == 4) {
      CHECK(r->security_blob.len == fz_ld16(w + 6));
      seq_bytes(&s, r->security_blob);
    } else {
      CHECK(!r->security_blob.data);
    }
    seq_str(&s, &r->native_os, uni, 1);
    seq_str(&s, &r->native_lanman, uni, 1);
    seq_str(&s, &r->primary_domain, uni, 1);
    seq_rest(&s, r->extra);
    break;
  }
  case 4: {
    const smbw_tree_connect_andx_req *r = &u->tree_req;
    CHECK(b->wct == 4 && r->flags == fz_ld16(w + 4) && r->password.len == fz_ld16(w + 6));
    seq_bytes(&s, r->password);
    seq_str(&s, &r->path, uni, 1);
    seq_str(&s, &r->service, 0, 0);
    seq_rest(&s, r->extra);
    break;
  }
  case 5: {
    const smbw_tree_connect_andx_rsp *r = &u->tree_rsp;
    CHECK(r->wct == b->wct);
    if (r->wct == 0) {
      CHECK(view_is(r->extra, b->bytes, b->bcc));
      break;
    }
    CHECK(r->wct == 2 || r->wct == 3 || r->wct == 7);
    if (r->wct >= 3) CHECK(r->optional_support == fz_ld16(w + 4));
    seq_str(&s, &r->service, 0, 0);
    seq_str(&s, &r->native_file_system, uni, 1);
    seq_rest(&s, r->extra);
    break;
  }
  case 6: {
    const smbw_open_andx_req *r = &u->open_req;
    CHECK(b->wct == 15 && r->flags == fz_ld16(w + 4) && r->timeout == fz_ld32(w + 22));
    seq_str(&s, &r->file_name, uni, 1);
    seq_rest(&s, r->extra);
    break;
  }
  case 7: {
    const smbw_open_andx_rsp *r = &u->open_rsp;
    CHECK(r->wct == b->wct && (r->wct == 0 || r->wct == 15 || r->wct == 19));
    CHECK(view_is(r->extra, b->bytes, b->bcc));
    if (r->wct) CHECK(r->fid == fz_ld16(w + 4) && r->reserved == fz_ld16(w + 28));
    break;
  }
  case 8: {
    const smbw_read_andx_req *r = &u->read_req;
    CHECK(r->wct == b->wct && (r->wct == 10 || r->wct == 12));
    uint64_t off = fz_ld32(w + 6);
    if (r->wct == 12) off |= (uint64_t)fz_ld32(w + 20) << 32;
    CHECK(r->offset == off && r->fid == fz_ld16(w + 4));
    CHECK(view_is(r->extra, b->bytes, b->bcc));
    break;
  }
  case 9: {
    const smbw_read_andx_rsp *r = &u->read_rsp;
    CHECK(r->wct == b->wct && (r->wct == 0 || r->wct == 12));
    if (r->wct == 0) {
      CHECK(view_is(r->extra, b->bytes, b->bcc));
      break;
    }
    uint32_t area = (uint32_t)(b->bytes - b->msg);
    uint32_t len = fz_ld16(w + 10) | ((uint32_t)fz_ld16(w + 14) << 16);
    CHECK(r->data_length == len && r->data_offset == fz_ld16(w + 12));
    CHECK(r->data.len == len && r->data.data == b->msg + r->data_offset);
    CHECK(fz_inside(r->data.data, r->data.len, b->msg, b->msg_len));
    if (len) CHECK(r->data_offset >= area);
    /* Data past ByteCount only in the last block of the chain, with
       ByteCount the low 16 bits of pad and data; what follows the data
       inside the area is extra. */
    uint32_t bend = area + b->bcc, dend = r->data_offset + len;
    if (dend > bend)
      CHECK(b->andx_command == 0xFF && ((dend - area) & 0xFFFFu) == b->bcc);
    if (r->extra.data) {
      CHECK(r->extra.data == b->msg + (dend > area ? dend : area) &&
            r->extra.data + r->extra.len == b->bytes + b->bcc);
    } else {
      CHECK(r->extra.len == 0 && (dend > area ? dend : area) >= bend);
    }
    if (r->pad.data) {
      CHECK(r->pad.data == b->bytes && r->pad.len == r->data_offset - area);
      CHECK(fz_inside(r->pad.data, r->pad.len, b->msg, b->msg_len));
    } else {
      CHECK(r->pad.len == 0);
    }
    break;
  }
  default:
    CHECK(0);
  }
}

#endif
