/*
 * libFuzzer target: security descriptors (security.h).  The first byte
 * selects the entry point (low 2 bits) and a variant (the others); the
 * rest is the input, placed so that it ends exactly where a PROT_NONE page
 * begins:
 *   0  SID: smbw_sid_decode(); variant 1 also feeds the input, as text, to
 *      smbw_sid_from_string();
 *   1  ACL: smbw_acl_decode() and the ACE iterator; variant 1 instead
 *      builds ACEs from the input (smbw_acl_build()) and decodes them back;
 *   2  SD: smbw_sd_decode(); variant bit 0 also moves the parts of a
 *      decoded descriptor to the canonical layout, bit 1 one part (bits 2-3)
 *      past the end, by 0 to 3 bytes (bits 4-5);
 *   3  NT_TRANSACT parameters: (variant % 3) QUERY request, SET request,
 *      QUERY response.
 *
 * Security model asserted:
 *  - a decoder either succeeds or fails precisely (code, a field name, an
 *    offset not past the input); nothing past the input is read (guard
 *    page);
 *  - every view it returns lies inside the input, the sizes it reports are
 *    the wire fields (AclSize == 8 + ACE bytes + trailing bytes, exactly
 *    AceCount ACEs, each AceSize bytes); the ACE walk takes at most
 *    AclSize / 4 steps and every later call after the end or an error gives
 *    the same answer (sticky);
 *  - the encoders report the exact size with no buffer, write exactly the
 *    decoded bytes into a buffer of exactly that size ending at a guard page
 *    (nothing before it: canary), and with one byte less return
 *    SMBW_E_NOSPACE and write nothing; decode(encode(x)) == x;
 *  - smbw_sid_to_string() never writes past its buffer: with one byte too
 *    few it writes nothing at all; from_string(to_string(x)) == x;
 *  - what the encoders accept, the decoders accept.
 */
#include "fuzz_common.h"

static uint8_t keep[FZ_AREA];

static int acl_eq_bytes(const smbw_acl *a, const smbw_acl *b) {
  return a->revision == b->revision && a->sbz1 == b->sbz1 && a->size == b->size &&
         a->count == b->count && a->sbz2 == b->sbz2 && fz_bytes_eq(a->aces, b->aces) &&
         fz_bytes_eq(a->trailing, b->trailing);
}

static int ace_eq(const smbw_ace *a, const smbw_ace *b) {
  if (a->type != b->type || a->flags != b->flags || a->size != b->size ||
      a->layout != b->layout || !fz_bytes_eq(a->body, b->body))
    return 0;
  if (a->layout == SMBW_ACE_LAYOUT_RAW) return 1;
  return a->mask == b->mask && a->object_flags == b->object_flags &&
         memcmp(a->object_type, b->object_type, 16) == 0 &&
         memcmp(a->inherited_object_type, b->inherited_object_type, 16) == 0 &&
         smbw_sid_equal(&a->sid, &b->sid) && fz_bytes_eq(a->app_data, b->app_data);
}

/* The size query, every short buffer we try, and the exact one.  expect:
   the bytes the encoder must write (NULL: unknown).  Returns the output
   (slot 1), valid until the next call. */
/* The encoders by kind, through one signature (x is the encoder's struct). */
enum { E_SID, E_ACE, E_ACL, E_SD, E_QREQ, E_SREQ, E_QRSP };
static int encode(int kind, uint8_t *o, size_t c, const void *x, size_t *l) {
  switch (kind) {
  case E_SID: return smbw_sid_encode(o, c, x, l);
  case E_ACE: return smbw_ace_encode(o, c, x, l);
  case E_ACL: return smbw_acl_encode(o, c, x, l);
  case E_SD: return smbw_sd_encode(o, c, x, l);
  case E_QREQ: return smbw_query_secdesc_req_encode(o, c, x, l);
  case E_SREQ: return smbw_set_secdesc_req_encode(o, c, x, l);
  default: return smbw_query_secdesc_rsp_encode(o, c, x, l);
  }
}

static uint8_t *enc_check(int kind, const void *x, const uint8_t *expect, size_t n) {
  size_t len = 0;
  CHECK(encode(kind, NULL, 0, x, &len) == (n ? SMBW_E_NOSPACE : 0) && len == n);
  size_t caps[3] = {n - 1, n / 2, 0};
  for (int k = 0; k < 3 && n; k++) {
    uint8_t *o = fz_out(1, caps[k]);
    len = 0;
    CHECK(encode(kind, caps[k] ? o : NULL, caps[k], x, &len) == SMBW_E_NOSPACE && len == n);
    CHECK(fz_canary_ok(1, caps[k]));
    for (size_t i = 0; i < caps[k]; i++) CHECK(o[i] == 0xA5);
  }
  uint8_t *o = fz_out(1, n);
  CHECK(encode(kind, o, n, x, &len) == 0 && len == n);
  CHECK(fz_canary_ok(1, n));
  if (expect) CHECK(n == 0 || memcmp(o, expect, n) == 0);
  return o;
}


/* The string form: never past the buffer; parses back to the same SID. */
static void sid_string(const smbw_sid *s) {
  size_t len = 0;
  CHECK(smbw_sid_to_string(s, NULL, 0, &len) == SMBW_E_NOSPACE);
  CHECK(len >= 5 && len < SMBW_SID_STRING_MAX);
  uint8_t *o = fz_out(2, len);
  CHECK(smbw_sid_to_string(s, (char *)o, len, NULL) == SMBW_E_NOSPACE);
  CHECK(fz_canary_ok(2, len));
  for (size_t i = 0; i < len; i++) CHECK(o[i] == 0xA5);
  o = fz_out(2, len + 1);
  CHECK(smbw_sid_to_string(s, (char *)o, len + 1, NULL) == 0 && o[len] == 0);
  CHECK(fz_canary_ok(2, len + 1) && strlen((const char *)o) == len);
  smbw_sid t;
  CHECK(smbw_sid_from_string((const char *)o, len, &t, NULL) == 0 && smbw_sid_equal(s, &t));
}

static void fuzz_sid(const uint8_t *in, size_t n, unsigned variant) {
  smbw_sid s;
  smbw_error e = {0, 0, NULL};
  if (variant & 1) {
    int rc = smbw_sid_from_string((const char *)in, n, &s, &e);
    if (rc) {
      CHECK(fz_err_ok(&e, rc, n));
      return;
    }
    CHECK(s.revision == 1 && s.sub_count <= 15 && s.authority <= SMBW_SID_AUTHORITY_MAX);
    sid_string(&s);
    return;
  }
  int rc = smbw_sid_decode(in, n, &s, &e);
  if (rc) {
    CHECK(fz_err_ok(&e, rc, n));
    return;
  }
  size_t size = SMBW_SID_SIZE(s.sub_count);
  CHECK(s.revision == 1 && s.sub_count <= 15 && size <= n && s.sub_count == in[1]);
  for (unsigned i = s.sub_count; i < 15; i++) CHECK(s.sub[i] == 0);
  enc_check(E_SID, &s, in, size);
  sid_string(&s);
}

/* Walk an ACL twice: every guarantee of smbw_acl_iter_next(); returns the ACE
   count. */
static unsigned walk(const smbw_acl *acl, const uint8_t *in, size_t n) {
  smbw_acl_iter it;
  smbw_ace a;
  smbw_error e = {0, 0, NULL};
  unsigned k = 0;
  uint32_t at = acl->offset + 8;
  int rc;
  smbw_acl_iter_init(&it, acl);
  while ((rc = smbw_acl_iter_next(&it, &a, &e)) == 1) {
    k++;
    CHECK(k <= acl->size / 4u);
    CHECK(a.offset == at && a.size >= 4 && a.size % 4 == 0);
    CHECK(fz_inside(in + a.offset, a.size, in, n));
    CHECK(a.body.data == in + a.offset + 4 && a.body.len == a.size - 4u);
    CHECK(a.layout == smbw_ace_type_layout(a.type));
    if (a.layout != SMBW_ACE_LAYOUT_RAW) {
      CHECK(fz_inside(a.app_data.data, a.app_data.len, in + a.offset, a.size));
      CHECK(a.app_data.data + a.app_data.len == in + a.offset + a.size);
      CHECK(a.sid.revision == 1 && a.sid.sub_count <= 15);
    }
    /* one ACE: byte for byte, and back inside an ACL of its own */
    uint8_t *o = enc_check(E_ACE, &a, in + a.offset, a.size);
    if (a.size <= 0xFFFFu - 8u) {
      static uint8_t wrap[0x10000];
      const uint32_t sz = 8u + a.size;
      const uint8_t hdr[8] = {2, 0, (uint8_t)sz, (uint8_t)(sz >> 8), 1, 0, 0, 0};
      memcpy(wrap, hdr, 8);
      memcpy(wrap + 8, o, a.size);
      smbw_acl one;
      smbw_acl_iter i2;
      smbw_ace b;
      CHECK(smbw_acl_decode(wrap, sz, &one, NULL) == 0);
      smbw_acl_iter_init(&i2, &one);
      CHECK(smbw_acl_iter_next(&i2, &b, NULL) == 1);
      CHECK(ace_eq(&a, &b) && b.offset == 8);
    }
    at += a.size;
  }
  CHECK(rc == 0 && k == acl->count);
  CHECK(at == acl->offset + 8 + acl->aces.len);
  CHECK(smbw_acl_iter_next(&it, &a, NULL) == 0);
  return k;
}

static void check_acl(const smbw_acl *acl, const uint8_t *in, size_t n) {
  CHECK(acl->revision == 2 || acl->revision == 4);
  CHECK(acl->size >= 8 && (size_t)acl->offset + acl->size <= n);
  CHECK(8u + acl->aces.len + acl->trailing.len == acl->size);
  CHECK(acl->aces.data == in + acl->offset + 8);
  CHECK(acl->trailing.data == acl->aces.data + acl->aces.len);
  CHECK(acl->count == fz_ld16(in + acl->offset + 4));
  walk(acl, in, n);
}

static void fuzz_acl_decode(const uint8_t *in, size_t n) {
  smbw_acl acl;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_acl_decode(in, n, &acl, &e);
  if (rc) {
    CHECK(fz_err_ok(&e, rc, n));
    /* the iterator over the same header fails the same way, and keeps
       failing */
    if (n >= 8 && (in[0] == 2 || in[0] == 4) && fz_ld16(in + 2) >= 8 && fz_ld16(in + 2) <= n) {
      smbw_acl h;
      memset(&h, 0, sizeof h);
      h.revision = in[0];
      h.count = fz_ld16(in + 4);
      h.aces.data = in + 8;
      h.aces.len = fz_ld16(in + 2) - 8u;
      smbw_acl_iter it;
      smbw_ace a;
      smbw_error e2 = {0, 0, NULL}, e3 = {0, 0, NULL};
      unsigned k = 0;
      smbw_acl_iter_init(&it, &h);
      while ((rc = smbw_acl_iter_next(&it, &a, &e2)) == 1) CHECK(++k <= h.aces.len / 4u);
      CHECK(rc == e.code && e2.offset == e.offset && strcmp(e2.field, e.field) == 0);
      CHECK(smbw_acl_iter_next(&it, &a, &e3) == rc && e3.offset == e2.offset);
      size_t len = 7;
      CHECK(smbw_acl_encode(NULL, 0, &h, &len) == rc && len == 7);
    }
    return;
  }
  CHECK(acl.offset == 0 && acl.size <= n && acl.size == fz_ld16(in + 2));
  check_acl(&acl, in, n);
  uint8_t *o = enc_check(E_ACL, &acl, in, acl.size);
  memcpy(keep, o, acl.size);
  smbw_acl back;
  CHECK(smbw_acl_decode(keep, acl.size, &back, NULL) == 0 && acl_eq_bytes(&acl, &back));
}

/* ACEs made from the input: whatever smbw_acl_build() accepts decodes back
   to the same ACEs. */
static void fuzz_acl_build(const uint8_t *in, size_t n) {
  static smbw_ace aces[64];
  fz_rd r = {in, n};
  size_t k = 0;
  uint8_t rev = (fz_u8(&r) & 1) ? 4 : 2;
  while (r.n && k < 64) {
    smbw_ace *a = &aces[k++];
    memset(a, 0, sizeof *a);
    a->type = fz_u8(&r);
    a->flags = fz_u8(&r);
    a->mask = fz_u32(&r);
    a->object_flags = fz_u8(&r);
    if (a->object_flags & 0x80) a->object_flags |= 0xFFFFFF00u;
    for (int i = 0; i < 16; i++) a->object_type[i] = fz_u8(&r);
    for (int i = 0; i < 16; i++) a->inherited_object_type[i] = fz_u8(&r);
    uint8_t c = fz_u8(&r);
    a->sid.revision = (c & 0x80) ? (uint8_t)(c & 3) : 1;
    a->sid.sub_count = c & 0x1F;
    a->sid.authority = fz_u64(&r) >> ((c & 0x40) ? 0 : 16);
    for (unsigned i = 0; i < 15 && i < a->sid.sub_count; i++) a->sid.sub[i] = fz_u32(&r);
    size_t len = fz_u8(&r);
    a->app_data = fz_take(&r, len);
    a->body = a->app_data;
  }
  size_t need = 0;
  int rc = smbw_acl_build(NULL, 0, rev, aces, k, &need);
  if (rc != SMBW_E_NOSPACE) {
    CHECK(rc < 0 && rc != SMBW_E_NOSPACE);
    return;
  }
  uint8_t *o = fz_out(1, need);
  CHECK(smbw_acl_build(o, need, rev, aces, k, NULL) == 0 && fz_canary_ok(1, need));
  uint8_t *o2 = fz_out(2, need - 1);
  size_t len = 0;
  CHECK(smbw_acl_build(o2, need - 1, rev, aces, k, &len) == SMBW_E_NOSPACE && len == need);
  CHECK(fz_canary_ok(2, need - 1));
  memcpy(keep, o, need);
  smbw_acl acl;
  CHECK(smbw_acl_decode(keep, need, &acl, NULL) == 0);
  CHECK(acl.count == k && acl.size == need && acl.trailing.len == 0 && acl.revision == rev);
  check_acl(&acl, keep, need);
  smbw_acl_iter it;
  smbw_ace b;
  smbw_acl_iter_init(&it, &acl);
  for (size_t i = 0; i < k; i++) {
    CHECK(smbw_acl_iter_next(&it, &b, NULL) == 1);
    const smbw_ace *a = &aces[i];
    CHECK(b.type == a->type && b.flags == a->flags);
    if (b.layout == SMBW_ACE_LAYOUT_RAW) {
      CHECK(fz_bytes_eq(b.body, a->body) || (b.body.len == 0 && a->body.len == 0));
      continue;
    }
    CHECK(b.mask == a->mask && smbw_sid_equal(&b.sid, &a->sid));
    CHECK(b.app_data.len == a->app_data.len &&
          (a->app_data.len == 0 || memcmp(b.app_data.data, a->app_data.data, a->app_data.len) == 0));
    if (b.layout == SMBW_ACE_LAYOUT_OBJECT) {
      CHECK(b.object_flags == a->object_flags);
      if (a->object_flags & 1) CHECK(memcmp(b.object_type, a->object_type, 16) == 0);
      if (a->object_flags & 2)
        CHECK(memcmp(b.inherited_object_type, a->inherited_object_type, 16) == 0);
    }
  }
  CHECK(smbw_acl_iter_next(&it, &b, NULL) == 0);
}

/* Parts of two descriptors are the same (not their places). */
static int sd_parts_eq(const smbw_sd *a, const smbw_sd *b) {
  return a->control == b->control && a->sbz1 == b->sbz1 && a->has_owner == b->has_owner &&
         a->has_group == b->has_group && a->has_sacl == b->has_sacl && a->has_dacl == b->has_dacl &&
         (!a->has_owner || smbw_sid_equal(&a->owner, &b->owner)) &&
         (!a->has_group || smbw_sid_equal(&a->group, &b->group)) &&
         (!a->has_sacl || acl_eq_bytes(&a->sacl, &b->sacl)) &&
         (!a->has_dacl || acl_eq_bytes(&a->dacl, &b->dacl));
}

static void fuzz_sd(const uint8_t *in, size_t n, unsigned variant) {
  smbw_sd sd;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_sd_decode(in, n, &sd, &e);
  if (rc) {
    CHECK(fz_err_ok(&e, rc, n));
    return;
  }
  CHECK(sd.revision == 1 && sd.size >= 20 && sd.size <= n);
  CHECK(sd.raw.data == in && sd.raw.len == sd.size);
  CHECK(sd.control == fz_ld16(in + 2) && sd.sbz1 == in[1]);
  const uint32_t offs[4] = {sd.offset_owner, sd.offset_group, sd.offset_sacl, sd.offset_dacl};
  const int has[4] = {sd.has_owner, sd.has_group, sd.has_sacl, sd.has_dacl};
  uint32_t lens[4] = {SMBW_SID_SIZE(sd.owner.sub_count), SMBW_SID_SIZE(sd.group.sub_count),
                      sd.sacl.size, sd.dacl.size};
  uint32_t hi = 20;
  for (int i = 0; i < 4; i++) {
    CHECK(offs[i] == fz_ld32(in + 4 + 4 * i) && has[i] == (offs[i] != 0));
    if (!has[i]) continue;
    CHECK(offs[i] >= 20 && fz_inside(in + offs[i], lens[i], in, sd.size));
    if (offs[i] + lens[i] > hi) hi = offs[i] + lens[i];
    for (int j = 0; j < i; j++)
      CHECK(!has[j] || offs[i] + lens[i] <= offs[j] || offs[j] + lens[j] <= offs[i]);
  }
  CHECK(hi == sd.size);
  if (sd.has_sacl) {
    CHECK(sd.sacl.offset == sd.offset_sacl);
    check_acl(&sd.sacl, in, n);
  }
  if (sd.has_dacl) {
    CHECK(sd.dacl.offset == sd.offset_dacl);
    check_acl(&sd.dacl, in, n);
  }
  /* byte for byte, and the same struct back */
  uint8_t *o = enc_check(E_SD, &sd, in, sd.size);
  memcpy(keep, o, sd.size);
  smbw_sd back;
  CHECK(smbw_sd_decode(keep, sd.size, &back, NULL) == 0 && sd_parts_eq(&sd, &back));
  CHECK(back.offset_owner == sd.offset_owner && back.offset_group == sd.offset_group &&
        back.offset_sacl == sd.offset_sacl && back.offset_dacl == sd.offset_dacl &&
        back.size == sd.size);
  if (variant & 2) {
    /* one part moved by hand past the end (maybe unaligned), the others
       kept where they were: the same parts come back, the gap as zeros */
    int i = (int)((variant >> 2) & 3);
    uint32_t to = sd.size + ((variant >> 4) & 3);
    smbw_sd m = sd;
    uint32_t *const f[4] = {&m.offset_owner, &m.offset_group, &m.offset_sacl, &m.offset_dacl};
    if (has[i]) *f[i] = to;
    size_t need = 0;
    CHECK(smbw_sd_encode(NULL, 0, &m, &need) == SMBW_E_NOSPACE);
    CHECK(need == (has[i] ? to + lens[i] : sd.size));
    o = enc_check(E_SD, &m, has[i] ? NULL : in, need);
    static uint8_t moved[FZ_AREA];
    memcpy(moved, o, need);
    smbw_sd d;
    CHECK(smbw_sd_decode(moved, need, &d, NULL) == 0 && sd_parts_eq(&sd, &d));
    CHECK(d.offset_owner == m.offset_owner && d.offset_group == m.offset_group &&
          d.offset_sacl == m.offset_sacl && d.offset_dacl == m.offset_dacl);
  }
  if (!(variant & 1)) return;
  /* the canonical layout: same parts, SACL, DACL, owner, group, no
     overlap; idempotent */
  smbw_sd c = sd;
  c.offset_owner = c.offset_group = c.offset_sacl = c.offset_dacl = 0;
  c.raw.data = NULL;
  c.raw.len = 0;
  /* where each part must go */
  static const int order[4] = {2, 3, 0, 1};
  uint32_t want[4] = {0, 0, 0, 0}, end = 20;
  for (int k = 0; k < 4; k++) {
    int i = order[k];
    if (!has[i]) continue;
    want[i] = (end + 3u) & ~3u;
    end = want[i] + lens[i];
  }
  size_t need = 0;
  CHECK(smbw_sd_encode(NULL, 0, &c, &need) == SMBW_E_NOSPACE && need == end);
  o = enc_check(E_SD, &c, NULL, need);
  static uint8_t canon[FZ_AREA];
  memcpy(canon, o, need);
  smbw_sd d;
  CHECK(smbw_sd_decode(canon, need, &d, NULL) == 0 && sd_parts_eq(&sd, &d) && d.size == need);
  CHECK(d.offset_owner == want[0] && d.offset_group == want[1] && d.offset_sacl == want[2] &&
        d.offset_dacl == want[3]);
  enc_check(E_SD, &d, canon, need);
}

static void fuzz_params(const uint8_t *in, size_t n, unsigned variant) {
  smbw_bytes v = {n ? in : NULL, (uint32_t)n};
  smbw_error e = {0, 0, NULL};
  int rc;
  switch (variant % 3) {
  case 0:
  case 1: {
    smbw_secdesc_req r;
    rc = variant % 3 ? smbw_set_secdesc_req_decode(v, &r, &e)
                     : smbw_query_secdesc_req_decode(v, &r, &e);
    if (rc) {
      CHECK(fz_err_ok(&e, rc, n) && rc == SMBW_E_TRUNCATED && n < 8 && e.offset == n);
      return;
    }
    CHECK(n >= 8 && r.fid == fz_ld16(in) && r.security_info == fz_ld32(in + 4));
    CHECK(r.extra.data == in + 8 && r.extra.len == n - 8);
    enc_check(variant % 3 ? E_SREQ : E_QREQ, &r, in, n);
    break;
  }
  default: {
    smbw_secdesc_rsp r;
    rc = smbw_query_secdesc_rsp_decode(v, &r, &e);
    if (rc) {
      CHECK(fz_err_ok(&e, rc, n) && rc == SMBW_E_TRUNCATED && n < 4);
      return;
    }
    CHECK(r.length_needed == fz_ld32(in) && r.extra.len == n - 4);
    enc_check(E_QRSP, &r, in, n);
    break;
  }
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  unsigned sel = data[0];
  size_t n = size - 1;
  const uint8_t *in = fz_place(0, data + 1, n);
  switch (sel & 3) {
  case 0: fuzz_sid(in, n, sel >> 2); break;
  case 1:
    if ((sel >> 2) & 1) fuzz_acl_build(in, n);
    else fuzz_acl_decode(in, n);
    break;
  case 2: fuzz_sd(in, n, sel >> 2); break;
  default: fuzz_params(in, n, sel >> 2); break;
  }
  return 0;
}
