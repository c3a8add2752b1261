/*
 * test_security.c - security descriptors (security.h): SIDs, ACEs, ACLs,
 * self-relative SECURITY_DESCRIPTORs and the parameter blocks of
 * NT_TRANSACT_QUERY_SECURITY_DESC and NT_TRANSACT_SET_SECURITY_DESC.
 *
 * Real bytes first: CAPS[] holds the SMB messages of payloads/security.vec,
 * recorded by
 * tests/payloads/record_security.sh (smbd 4.17.12 on loopback inside a
 * private network namespace; clients smbclient, smbcacls and impacket), each
 * with tshark 4.0.17's decode of the same frame (fields nt.sid, nt.ace.*,
 * nt.acl.*, nt.access_mask, nt.sec_desc.type, smb.nt_qsd, smb.fid,
 * smb.sec_desc_len).  Every message is decoded through the transaction
 * decoder, its parameters and descriptor through security.h, and the result
 * is printed the way tshark prints it and compared.  The descriptors are
 * re-encoded byte for byte, and every prefix is decoded against a guard
 * page.  Frame 286 carries, byte for byte, the descriptor MS-DTYP 2.5.1.4
 * gives as Windows' encoding of an SDDL string (the Windows layout: SACL,
 * DACL, owner, group).
 *
 * Then every rule, error (code, offset, field), truncation and size query
 * of each structure on hand-made bytes, encoders checked against guard
 * pages with a canary before the output.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

/* ---- helpers ------------------------------------------------------------- */

/* Inputs end at a PROT_NONE page: any over-read faults. */
#define AREA 65536u
static guard_buf GIN, GOUT;
static int gin_on, gout_on;

static const uint8_t *place(const void *src, size_t n) {
  if (!gin_on) {
    ck_assert_int_eq(guard_init(&GIN, AREA), 0);
    gin_on = 1;
  }
  ck_assert_uint_le(n, AREA);
  return guard_place(&GIN, (const uint8_t *)src, n);
}

/* An output area of n bytes ending at a guard page, 64 canary bytes before
   it, all poisoned. */
#define CANARY 64u
static uint8_t *out_area(size_t n) {
  if (!gout_on) {
    ck_assert_int_eq(guard_init(&GOUT, AREA + CANARY), 0);
    gout_on = 1;
  }
  ck_assert_uint_le(n, AREA);
  return guard_out_area(&GOUT, n, CANARY, 0xCD);
}
/* Nothing of the n-byte area nor its canary was written. */
static int out_untouched(size_t n) {
  return bytes_are(GOUT.base + GOUT.size - n - CANARY, n + CANARY, 0xCD);
}
static int canary_ok(size_t n) { return guard_canary_ok(&GOUT, n, CANARY); }

/* One encoder, seen through a common signature. */
typedef int (*enc_fn)(uint8_t *out, size_t cap, const void *x, size_t *len);
/* name(): fn through the common signature (x is fn's struct). */
#define ENC(name, fn, type)                                               \
  static int name(uint8_t *o, size_t c, const void *x, size_t *l) {       \
    return fn(o, c, (const type *)x, l);                                  \
  }
ENC(enc_sid, smbw_sid_encode, smbw_sid)
ENC(enc_ace, smbw_ace_encode, smbw_ace)
ENC(enc_acl, smbw_acl_encode, smbw_acl)
ENC(enc_sd, smbw_sd_encode, smbw_sd)
ENC(enc_qreq, smbw_query_secdesc_req_encode, smbw_secdesc_req)
ENC(enc_sreq, smbw_set_secdesc_req_encode, smbw_secdesc_req)
ENC(enc_qrsp, smbw_query_secdesc_rsp_encode, smbw_secdesc_rsp)

/* The encoder writes exactly expect[0 .. n) into a buffer of exactly n
   bytes (nothing before it), tells n when asked with no buffer, and with
   any smaller buffer returns SMBW_E_NOSPACE and the size, writing
   nothing.  Returns the bytes written (in the guarded area). */
static const uint8_t *check_enc(enc_fn f, const void *x, const uint8_t *expect, size_t n) {
  size_t len = 0;
  ck_assert_int_eq(f(NULL, 0, x, &len), n ? SMBW_E_NOSPACE : 0);
  ck_assert_uint_eq(len, n);
  for (size_t k = 0; k < n; k++) {
    if (n > 64 && k > 8 && k < n - 8 && k % 16) continue; /* a sample of the middle */
    uint8_t *o = out_area(k);
    len = 0;
    ck_assert_int_eq(f(k ? o : NULL, k, x, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, n);
    ck_assert(out_untouched(k));
    ck_assert_int_eq(f(o, k, x, NULL), SMBW_E_NOSPACE);
    ck_assert(out_untouched(k));
  }
  static uint8_t last[AREA];
  uint8_t *o = out_area(n);
  len = 0;
  ck_assert_int_eq(f(o, n, x, &len), 0);
  ck_assert_uint_eq(len, n);
  ck_assert(canary_ok(n));
  if (expect && n) ck_assert_mem_eq(o, expect, n);
  memcpy(last, o, n);
  /* and with room to spare: the same bytes, nothing after them */
  uint8_t *big = out_area(n + 16);
  ck_assert_int_eq(f(big, n + 16, x, NULL), 0);
  if (n) ck_assert_mem_eq(big, last, n);
  for (size_t i = n; i < n + 16; i++) ck_assert_uint_eq(big[i], 0xCD);
  return last;
}


/* ---- real captures (tests/payloads/record_security.sh) --------------------- */

/* tshark 4.0.17's decode of a frame; NULL where tshark shows no such field.
   Lists are in dissection order: owner, group, then the SACL's and the
   DACL's ACEs. */
typedef struct tsh {
  const char *function, *status, *fid, *secinfo, *length_needed, *control, *sids, *acl_rev,
      *acl_size, *acl_count, *ace_type, *ace_flags, *ace_size, *mask, *obj_flags, *guid, *iguid;
} tsh;

typedef struct cap {
  const char *what;
  int frame;          /* in record_security.sh's security.pcapng */
  int c2s;            /* 1: request, 0: response */
  const uint8_t *msg; /* the SMB message (NBSS header stripped) */
  size_t len;
  tsh t;
} cap;

/* The recorded messages, read from payloads/security.vec (chosen from
   record_security.sh's security.txt; format in tests/payloads/README.md). */
#define MAXCAPS 64
static cap CAPS[MAXCAPS];
static size_t ncaps;
#define NCAPS (int)ncaps

static void load_caps(void) {
  const vec_file *vf = vec_data("payloads/security.vec", MAXCAPS);
  for (const vec_msg *m = vf->msgs; m < vf->msgs + vf->n; m++) {
    cap *c = &CAPS[ncaps++];
    *c = (cap){.what = vec_get(m, "what"), .frame = (int)m->frame, .c2s = m->c2s,
               .msg = m->bytes, .len = m->len};
#define FIELD(name) c->t.name = vec_get(m, #name);
    FIELD(function) FIELD(status) FIELD(fid) FIELD(secinfo) FIELD(length_needed) FIELD(control)
    FIELD(sids) FIELD(acl_rev) FIELD(acl_size) FIELD(acl_count) FIELD(ace_type) FIELD(ace_flags)
    FIELD(ace_size) FIELD(mask) FIELD(obj_flags) FIELD(guid) FIELD(iguid)
#undef FIELD
  }
}

static const cap *cap_frame(int frame) {
  for (int i = 0; i < NCAPS; i++)
    if (CAPS[i].frame == frame) return &CAPS[i];
  ck_abort_msg("no frame %d", frame);
  return NULL;
}

/* What we decoded, printed the way tshark prints it. */
typedef struct got {
  char function[16], status[16], fid[16], secinfo[16], length_needed[16], control[16];
  char sids[4096], acl_rev[64], acl_size[64], acl_count[64], ace_type[512], ace_flags[512],
      ace_size[512], mask[1024], obj_flags[512], guid[1024], iguid[1024];
} got;

static void add(char *dst, size_t room, const char *text) {
  size_t n = strlen(dst);
  ck_assert_uint_lt(n + strlen(text) + 2, room);
  if (n) dst[n++] = ',';
  strcpy(dst + n, text);
}
#define ADD(field, ...)                         \
  do {                                          \
    char t_[256];                               \
    snprintf(t_, sizeof t_, __VA_ARGS__);       \
    add(field, sizeof field, t_);               \
  } while (0)

/* Wireshark prints the authority in decimal whatever its size (MS-DTYP
   2.4.2.1 and smbw_sid_to_string() use "0x" + 12 hex digits from 2^32 on). */
static void add_sid_ws(char *dst, size_t room, const smbw_sid *s) {
  char t[256];
  int n = snprintf(t, sizeof t, "S-%u-%llu", s->revision, (unsigned long long)s->authority);
  for (unsigned i = 0; i < s->sub_count; i++)
    n += snprintf(t + n, sizeof t - (size_t)n, "-%u", s->sub[i]);
  add(dst, room, t);
  /* the same as smbw_sid_to_string() when the authority is below 2^32 */
  if (s->authority < (1ull << 32)) {
    char u[SMBW_SID_STRING_MAX];
    ck_assert_int_eq(smbw_sid_to_string(s, u, sizeof u, NULL), 0);
    ck_assert_str_eq(u, t);
  }
}

static void add_guid(char *dst, size_t room, const uint8_t *g) {
  char t[40];
  snprintf(t, sizeof t, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", rd32(g), rd16(g + 4),
           rd16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
  add(dst, room, t);
}

/* Walk an ACL with the iterator, checking what every ACE guarantees. */
static void acl_strings(const smbw_acl *acl, const uint8_t *sd, size_t sdlen, got *g) {
  ADD(g->acl_rev, "%u", acl->revision);
  ADD(g->acl_size, "%u", acl->size);
  ADD(g->acl_count, "%u", acl->count);
  ck_assert_uint_eq(8u + acl->aces.len + acl->trailing.len, acl->size);
  ck_assert_ptr_eq(acl->aces.data, sd + acl->offset + 8);
  ck_assert_ptr_eq(acl->trailing.data, acl->aces.data + acl->aces.len);
  smbw_acl_iter it;
  smbw_ace a;
  smbw_error e = {0, 0, NULL};
  int rc;
  unsigned n = 0;
  uint32_t at = acl->offset + 8;
  smbw_acl_iter_init(&it, acl);
  while ((rc = smbw_acl_iter_next(&it, &a, &e)) == 1) {
    n++;
    ck_assert_uint_eq(a.offset, at);
    ck_assert_ptr_eq(a.body.data, sd + at + 4);
    ck_assert_uint_eq(a.body.len + 4u, a.size);
    ck_assert_uint_le((size_t)at + a.size, sdlen);
    ck_assert_int_eq(a.layout, smbw_ace_type_layout(a.type));
    at += a.size;
    ADD(g->ace_type, "%u", a.type);
    ADD(g->ace_flags, "0x%02x", a.flags);
    ADD(g->ace_size, "%u", a.size);
    if (a.layout == SMBW_ACE_LAYOUT_RAW) continue;
    ADD(g->mask, "0x%08x", a.mask);
    add_sid_ws(g->sids, sizeof g->sids, &a.sid);
    ck_assert_ptr_eq(a.app_data.data + a.app_data.len, sd + at);
    if (a.layout == SMBW_ACE_LAYOUT_OBJECT) {
      ADD(g->obj_flags, "0x%08x", a.object_flags);
      if (a.object_flags & SMBW_ACE_OBJECT_TYPE_PRESENT)
        add_guid(g->guid, sizeof g->guid, a.object_type);
      if (a.object_flags & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT)
        add_guid(g->iguid, sizeof g->iguid, a.inherited_object_type);
    }
    /* the ACE alone re-encodes byte for byte */
    check_enc(enc_ace, &a, sd + a.offset, a.size);
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_eq(n, acl->count);
  ck_assert_uint_eq(at, acl->offset + 8 + acl->aces.len);
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, NULL), 0); /* and stays done */
  /* the ACL alone decodes to the same view and re-encodes byte for byte */
  smbw_acl b;
  ck_assert_int_eq(smbw_acl_decode(sd + acl->offset, acl->size, &b, NULL), 0);
  ck_assert_uint_eq(b.count, acl->count);
  ck_assert_ptr_eq(b.aces.data, acl->aces.data);
  ck_assert_uint_eq(b.offset, 0);
  check_enc(enc_acl, acl, sd + acl->offset, acl->size);
}

static void sd_strings(const smbw_sd *sd, const uint8_t *d, size_t n, got *g) {
  snprintf(g->control, sizeof g->control, "0x%04x", sd->control);
  if (sd->has_owner) add_sid_ws(g->sids, sizeof g->sids, &sd->owner);
  if (sd->has_group) add_sid_ws(g->sids, sizeof g->sids, &sd->group);
  if (sd->has_sacl) acl_strings(&sd->sacl, d, n, g);
  if (sd->has_dacl) acl_strings(&sd->dacl, d, n, g);
}

static void same(const cap *c, const char *field, const char *want, const char *have) {
  ck_assert_msg(strcmp(want ? want : "", have) == 0, "frame %d (%s) %s: tshark '%s', smbwire '%s'",
                c->frame, c->what, field, want ? want : "", have);
}

/* Every prefix of a descriptor fails, precisely, without reading past it. */
static void sd_prefixes(const uint8_t *d, uint32_t size) {
  static const char *const hdr[] = {"Revision", "Sbz1", "Control", "Control", "OffsetOwner",
                                    "OffsetOwner", "OffsetOwner", "OffsetOwner", "OffsetGroup",
                                    "OffsetGroup", "OffsetGroup", "OffsetGroup", "OffsetSacl",
                                    "OffsetSacl", "OffsetSacl", "OffsetSacl", "OffsetDacl",
                                    "OffsetDacl", "OffsetDacl", "OffsetDacl"};
  static uint8_t copy[AREA];
  memcpy(copy, d, size); /* d may lie in the guarded area place() reuses */
  d = copy;
  for (uint32_t k = 0; k < size; k++) {
    const uint8_t *p = place(d, k);
    smbw_sd sd;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_sd_decode(k ? p : NULL, k, &sd, &e);
    if (k < SMBW_SD_HEADER_SIZE) {
      ck_assert_int_eq(rc, SMBW_E_TRUNCATED);
      err_is(&e, SMBW_E_TRUNCATED, k, hdr[k]);
    } else {
      ck_assert_msg(rc == SMBW_E_SD_OFFSET, "prefix %u: %s", k, smbw_errname(rc));
      ck_assert_uint_eq(e.code, SMBW_E_SD_OFFSET);
      ck_assert(e.offset == 4 || e.offset == 8 || e.offset == 12 || e.offset == 16);
      static const char *const of[] = {"OffsetOwner", "OffsetGroup", "OffsetSacl", "OffsetDacl"};
      ck_assert_str_eq(e.field, of[e.offset / 4 - 1]);
      /* the part that field names does not fit in k bytes */
      ck_assert_uint_ne(rd32(d + e.offset), 0);
    }
  }
  const uint8_t *p = place(d, size);
  smbw_sd sd;
  ck_assert_int_eq(smbw_sd_decode(p, size, &sd, NULL), 0);
  ck_assert_uint_eq(sd.size, size);
}

START_TEST(test_captures) {
  const cap *c = &CAPS[_i];
  const size_t n = c->len;
  const uint8_t *msg = place(c->msg, n);
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_msg_decode(msg, n, &m, NULL), 0);
  smbw_andx_iter_init(&it, &m);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_uint_eq(b.command, SMBW_COM_NT_TRANSACT);
  got g;
  memset(&g, 0, sizeof g);
  snprintf(g.status, sizeof g.status, "0x%08x", m.hdr.status);
  same(c, "smb.nt_status", c->t.status, g.status);
  smbw_bytes params, data;
  if (c->c2s) {
    smbw_trans_req r;
    ck_assert_int_eq(smbw_trans_req_decode(&b, &r, NULL), 0);
    params = r.params;
    data = r.data;
    snprintf(g.function, sizeof g.function, "%u", r.function);
    same(c, "smb.nt.function", c->t.function, g.function);
    smbw_secdesc_req q;
    if (r.function == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC) {
      ck_assert_int_eq(smbw_query_secdesc_req_decode(params, &q, &e), 0);
      check_enc(enc_qreq, &q, params.data, params.len);
      ck_assert_uint_eq(data.len, 0);
    } else {
      ck_assert_uint_eq(r.function, SMBW_NT_TRANSACT_SET_SECURITY_DESC);
      ck_assert_int_eq(smbw_set_secdesc_req_decode(params, &q, &e), 0);
      check_enc(enc_sreq, &q, params.data, params.len);
    }
    ck_assert_uint_eq(q.extra.len, 0);
    ck_assert_uint_eq(q.reserved, 0);
    snprintf(g.fid, sizeof g.fid, "0x%04x", q.fid);
    snprintf(g.secinfo, sizeof g.secinfo, "0x%08x", q.security_info);
    same(c, "smb.fid", c->t.fid, g.fid);
    same(c, "smb.nt_qsd", c->t.secinfo, g.secinfo);
  } else {
    smbw_trans_rsp r;
    ck_assert_int_eq(smbw_trans_rsp_decode(&b, &r, NULL), 0);
    params = r.params;
    data = r.data;
    if (params.len) {
      smbw_secdesc_rsp q;
      ck_assert_int_eq(smbw_query_secdesc_rsp_decode(params, &q, &e), 0);
      check_enc(enc_qrsp, &q, params.data, params.len);
      snprintf(g.length_needed, sizeof g.length_needed, "%u", q.length_needed);
      /* with the data: the descriptor is exactly that long */
      if (data.len) ck_assert_uint_eq(q.length_needed, data.len);
    }
    same(c, "smb.sec_desc_len", c->t.length_needed, g.length_needed);
  }
  if (data.len == 0) {
    same(c, "nt.sec_desc.type", c->t.control, "");
    return;
  }
  smbw_sd sd;
  int rc = smbw_sd_decode(data.data, data.len, &sd, &e);
  if (c->frame == 299) {
    /* Samba 4.17 reads ACCESS_ALLOWED_CALLBACK_OBJECT (0x0B) and
       ACCESS_DENIED_CALLBACK_OBJECT (0x0C) ACEs as if they had no object
       part (its IDL only switches on 0x05..0x08) and drops the
       ApplicationData of callback ACEs; what it stored it sends back with
       AceSize 16 for the 0x0B ACE: too small for an object ACE. */
    ck_assert_int_eq(rc, SMBW_E_ACL);
    err_is(&e, SMBW_E_ACL, 170, "AceSize");
    uint32_t od = rd32(data.data + 16);
    ck_assert_uint_eq(od, 116);
    /* the ACL header and the ACEs before the bad one, as tshark shows them */
    smbw_acl acl;
    memset(&acl, 0, sizeof acl);
    acl.revision = data.data[od];
    acl.size = rd16(data.data + od + 2);
    acl.count = rd16(data.data + od + 4);
    acl.aces.data = data.data + od + 8;
    acl.aces.len = acl.size - 8u;
    acl.offset = od;
    smbw_acl_iter ai;
    smbw_ace a;
    smbw_acl_iter_init(&ai, &acl);
    ck_assert_int_eq(smbw_acl_iter_next(&ai, &a, NULL), 1);
    ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_ALLOWED_CALLBACK);
    ck_assert_uint_eq(a.app_data.len, 0); /* dropped by smbd */
    ck_assert_int_eq(smbw_acl_iter_next(&ai, &a, NULL), 1);
    ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_DENIED_CALLBACK);
    e.code = 0;
    ck_assert_int_eq(smbw_acl_iter_next(&ai, &a, &e), SMBW_E_ACL);
    err_is(&e, SMBW_E_ACL, 170, "AceSize");
    e.code = 0;
    ck_assert_int_eq(smbw_acl_iter_next(&ai, &a, &e), SMBW_E_ACL); /* sticky */
    err_is(&e, SMBW_E_ACL, 170, "AceSize");
    smbw_sid owner;
    ck_assert_int_eq(smbw_sid_decode(data.data + 20, data.len - 20, &owner, NULL), 0);
    smbw_sid group;
    ck_assert_int_eq(smbw_sid_decode(data.data + 88, data.len - 88, &group, NULL), 0);
    snprintf(g.control, sizeof g.control, "0x%04x", rd16(data.data + 2));
    add_sid_ws(g.sids, sizeof g.sids, &owner);
    add_sid_ws(g.sids, sizeof g.sids, &group);
    ck_assert(strncmp(c->t.sids, g.sids, strlen(g.sids)) == 0);
    same(c, "nt.sec_desc.type", c->t.control, g.control);
    ck_assert_str_eq(c->t.acl_size, "84");
    ck_assert_str_eq(c->t.acl_count, "4");
    return;
  }
  ck_assert_msg(rc == 0, "frame %d: %s at %u (%s)", c->frame, smbw_errname(rc), e.offset,
                e.field);
  ck_assert_uint_eq(sd.size, data.len); /* no bytes after the last part */
  ck_assert_ptr_eq(sd.raw.data, data.data);
  sd_strings(&sd, data.data, data.len, &g);
  same(c, "nt.sec_desc.type", c->t.control, g.control);
  same(c, "nt.sid", c->t.sids, g.sids);
  same(c, "nt.acl.revision", c->t.acl_rev, g.acl_rev);
  same(c, "nt.acl.size", c->t.acl_size, g.acl_size);
  same(c, "nt.acl.num_aces", c->t.acl_count, g.acl_count);
  same(c, "nt.ace.type", c->t.ace_type, g.ace_type);
  same(c, "nt.ace.flags", c->t.ace_flags, g.ace_flags);
  same(c, "nt.ace.size", c->t.ace_size, g.ace_size);
  same(c, "nt.access_mask", c->t.mask, g.mask);
  same(c, "nt.ace.object.flags", c->t.obj_flags, g.obj_flags);
  same(c, "nt.ace.object.guid", c->t.guid, g.guid);
  same(c, "nt.ace.object.inherited_guid", c->t.iguid, g.iguid);
  /* byte for byte back, every prefix refused, trailing bytes not part of it */
  check_enc(enc_sd, &sd, data.data, sd.size);
  sd_prefixes(data.data, sd.size);
  uint8_t more[4096];
  memcpy(more, data.data, data.len);
  memset(more + data.len, 0x77, 9);
  smbw_sd sd2;
  ck_assert_int_eq(smbw_sd_decode(place(more, data.len + 9), data.len + 9, &sd2, NULL), 0);
  ck_assert_uint_eq(sd2.size, sd.size);
}
END_TEST

/* The MS-DTYP 2.5.1.4 example, as Windows lays it out: SACL, DACL, owner,
   group, contiguous from offset 20 -- which is also smbwire's canonical
   layout, so a copy with its offsets cleared re-encodes to the same 176
   bytes. */
static void cap_sd(int frame, uint8_t *buf, smbw_sd *sd, smbw_bytes *data) {
  const cap *c = cap_frame(frame);
  const uint8_t *raw = c->msg;
  const size_t n = c->len;
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  ck_assert_int_eq(smbw_msg_decode(raw, n, &m, NULL), 0);
  smbw_andx_iter_init(&it, &m);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  smbw_bytes d;
  if (c->c2s) {
    smbw_trans_req r;
    ck_assert_int_eq(smbw_trans_req_decode(&b, &r, NULL), 0);
    d = r.data;
  } else {
    smbw_trans_rsp r;
    ck_assert_int_eq(smbw_trans_rsp_decode(&b, &r, NULL), 0);
    d = r.data;
  }
  memcpy(buf, d.data, d.len);
  data->data = buf;
  data->len = d.len;
  ck_assert_int_eq(smbw_sd_decode(buf, d.len, sd, NULL), 0);
}

static smbw_ace ace_at(const smbw_acl *acl, unsigned k) {
  smbw_acl_iter it;
  smbw_ace a;
  smbw_acl_iter_init(&it, acl);
  for (unsigned i = 0; i <= k; i++) ck_assert_int_eq(smbw_acl_iter_next(&it, &a, NULL), 1);
  return a;
}

static void sid_is(const smbw_sid *s, const char *text) {
  char t[SMBW_SID_STRING_MAX];
  ck_assert_int_eq(smbw_sid_to_string(s, t, sizeof t, NULL), 0);
  ck_assert_str_eq(t, text);
}

START_TEST(test_windows_descriptor) {
  static uint8_t buf[1024];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(286, buf, &sd, &d);
  ck_assert_uint_eq(d.len, 176);
  ck_assert_uint_eq(sd.control, SMBW_SE_SELF_RELATIVE | SMBW_SE_SACL_PROTECTED |
                                    SMBW_SE_DACL_PROTECTED | SMBW_SE_SACL_PRESENT |
                                    SMBW_SE_DACL_PRESENT);
  ck_assert_uint_eq(sd.offset_owner, 0x90);
  ck_assert_uint_eq(sd.offset_group, 0xa0);
  ck_assert_uint_eq(sd.offset_sacl, 0x14);
  ck_assert_uint_eq(sd.offset_dacl, 0x30);
  sid_is(&sd.owner, "S-1-5-32-544");
  sid_is(&sd.group, "S-1-5-32-544");
  /* S:P(AU;FA;GR;;;WD) */
  ck_assert_uint_eq(sd.sacl.count, 1);
  smbw_ace a = ace_at(&sd.sacl, 0);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_AUDIT);
  ck_assert_uint_eq(a.flags, SMBW_ACE_FAILED_ACCESS);
  ck_assert_uint_eq(a.mask, 0x80000000u);
  sid_is(&a.sid, "S-1-1-0");
  ck_assert_uint_eq(a.offset, 0x1c);
  /* D:P(A;CIOI;GRGX;;;BU)(A;CIOI;GA;;;BA)(A;CIOI;GA;;;SY)(A;CIOI;GA;;;CO) */
  static const char *const who[] = {"S-1-5-32-545", "S-1-5-32-544", "S-1-5-18", "S-1-3-0"};
  static const uint32_t mask[] = {0xa0000000u, 0x10000000u, 0x10000000u, 0x10000000u};
  ck_assert_uint_eq(sd.dacl.count, 4);
  ck_assert_uint_eq(sd.dacl.revision, SMBW_ACL_REVISION);
  for (unsigned i = 0; i < 4; i++) {
    a = ace_at(&sd.dacl, i);
    ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_ALLOWED);
    ck_assert_uint_eq(a.flags, SMBW_ACE_OBJECT_INHERIT | SMBW_ACE_CONTAINER_INHERIT);
    ck_assert_uint_eq(a.mask, mask[i]);
    sid_is(&a.sid, who[i]);
    ck_assert_uint_eq(a.app_data.len, 0);
  }
  /* canonical layout == Windows layout */
  smbw_sd fresh = sd;
  fresh.offset_owner = fresh.offset_group = fresh.offset_sacl = fresh.offset_dacl = 0;
  fresh.raw.data = NULL;
  fresh.raw.len = 0;
  fresh.size = 0;
  check_enc(enc_sd, &fresh, d.data, 176);
}
END_TEST

/* smbd lays out owner, group, DACL; re-encoded canonically the DACL comes
   first, and the result decodes to the same parts. */
START_TEST(test_samba_layout_canonical) {
  static uint8_t buf[1024];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(55, buf, &sd, &d);
  ck_assert_uint_eq(sd.offset_owner, 20);
  ck_assert_uint_eq(sd.offset_group, 36);
  ck_assert_uint_eq(sd.offset_dacl, 52);
  ck_assert(!sd.has_sacl);
  smbw_sd fresh = sd;
  fresh.offset_owner = fresh.offset_group = fresh.offset_dacl = 0;
  fresh.raw.len = 0;
  fresh.raw.data = NULL;
  const uint8_t *o = check_enc(enc_sd, &fresh, NULL, d.len);
  static uint8_t out[1024];
  memcpy(out, o, d.len);
  smbw_sd back;
  ck_assert_int_eq(smbw_sd_decode(out, d.len, &back, NULL), 0);
  ck_assert_uint_eq(back.offset_dacl, 20);
  ck_assert_uint_eq(back.offset_owner, 20 + sd.dacl.size);
  ck_assert_uint_eq(back.offset_group, 20 + sd.dacl.size + 16);
  ck_assert_uint_eq(back.offset_sacl, 0);
  ck_assert(smbw_sid_equal(&back.owner, &sd.owner));
  ck_assert(smbw_sid_equal(&back.group, &sd.group));
  ck_assert_uint_eq(back.dacl.size, sd.dacl.size);
  ck_assert_mem_eq(back.dacl.aces.data, sd.dacl.aces.data, sd.dacl.aces.len);
  ck_assert_uint_eq(back.control, sd.control);
  /* one part moved by hand, the others canonical after it */
  fresh.offset_owner = 200;
  fresh.offset_group = 0;
  size_t len = 0;
  ck_assert_int_eq(smbw_sd_encode(NULL, 0, &fresh, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 216 + sd.dacl.size + 16);
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &fresh, &len), 0);
  ck_assert_int_eq(smbw_sd_decode(out, len, &back, NULL), 0);
  ck_assert_uint_eq(back.offset_owner, 200);
  ck_assert_uint_eq(back.offset_dacl, 216);
  ck_assert_uint_eq(back.offset_group, 216 + sd.dacl.size);
  for (unsigned i = 20; i < 200; i++) ck_assert_uint_eq(out[i], 0); /* the gap */
}
END_TEST

static void guid_is(const uint8_t *g, const char *text) {
  char t[64] = "";
  add_guid(t, sizeof t, g);
  ck_assert_str_eq(t, text);
}

START_TEST(test_object_aces) {
  static uint8_t buf[1024];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(292, buf, &sd, &d);
  ck_assert_uint_eq(sd.dacl.revision, SMBW_ACL_REVISION_DS);
  ck_assert_uint_eq(sd.dacl.count, 5);
  smbw_ace a = ace_at(&sd.dacl, 0);
  ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_ALLOWED_OBJECT);
  ck_assert_uint_eq(a.layout, SMBW_ACE_LAYOUT_OBJECT);
  ck_assert_uint_eq(a.object_flags, 3);
  guid_is(a.object_type, "bf967aba-0de6-11d0-a285-00aa003049e2");
  guid_is(a.inherited_object_type, "bf967a9c-0de6-11d0-a285-00aa003049e2");
  sid_is(&a.sid, "S-1-5-21-1004336348-1177238915-682003330-512");
  ck_assert_uint_eq(a.size, 4 + 4 + 4 + 32 + 28);
  a = ace_at(&sd.dacl, 1);
  ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_DENIED_OBJECT);
  ck_assert_uint_eq(a.object_flags, SMBW_ACE_OBJECT_TYPE_PRESENT);
  guid_is(a.object_type, "bf9679c0-0de6-11d0-a285-00aa003049e2");
  static const uint8_t zero[16];
  ck_assert_mem_eq(a.inherited_object_type, zero, 16);
  a = ace_at(&sd.dacl, 2);
  ck_assert_uint_eq(a.object_flags, SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT);
  ck_assert_mem_eq(a.object_type, zero, 16);
  guid_is(a.inherited_object_type, "bf967aba-0de6-11d0-a285-00aa003049e2");
  a = ace_at(&sd.dacl, 3);
  ck_assert_uint_eq(a.object_flags, 0);
  ck_assert_uint_eq(a.size, 24);
  a = ace_at(&sd.sacl, 0);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_AUDIT_OBJECT);
  ck_assert_uint_eq(a.flags, SMBW_ACE_SUCCESSFUL_ACCESS | SMBW_ACE_FAILED_ACCESS);
  /* smbd keeps object ACEs as they were sent (frame 295) */
  static uint8_t buf2[1024];
  smbw_sd kept;
  smbw_bytes d2;
  cap_sd(295, buf2, &kept, &d2);
  ck_assert_uint_eq(kept.dacl.aces.len, sd.dacl.aces.len);
  ck_assert_mem_eq(kept.dacl.aces.data, sd.dacl.aces.data, sd.dacl.aces.len);
}
END_TEST

START_TEST(test_callback_aces) {
  static uint8_t buf[2048];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(296, buf, &sd, &d);
  /* owner, 4 bytes of 0xEE, DACL, SACL, group */
  ck_assert_uint_eq(sd.offset_owner, 20);
  ck_assert_uint_eq(sd.owner.sub_count, 15);
  ck_assert_uint_eq(sd.owner.authority, 0x123456789abcull);
  sid_is(&sd.owner, "S-1-0x123456789ABC-4294967295-4293967292-4292967289-4291967286-"
                    "4290967283-4289967280-4288967277-4287967274-4286967271-4285967268-"
                    "4284967265-4283967262-4282967259-4281967256-4280967253");
  ck_assert_uint_eq(sd.offset_dacl, 20 + 68 + 4);
  ck_assert_mem_eq(d.data + 88, "\xee\xee\xee\xee", 4);
  ck_assert_uint_eq(sd.offset_sacl, sd.offset_dacl + sd.dacl.size);
  ck_assert_uint_eq(sd.offset_group, sd.offset_sacl + sd.sacl.size);
  smbw_ace a = ace_at(&sd.dacl, 0);
  ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_ALLOWED_CALLBACK);
  ck_assert_uint_eq(a.layout, SMBW_ACE_LAYOUT_SID);
  ck_assert_uint_ge(a.app_data.len, 4);
  ck_assert_mem_eq(a.app_data.data, "artx", 4);
  a = ace_at(&sd.dacl, 2);
  ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_ALLOWED_CALLBACK_OBJECT);
  ck_assert_uint_eq(a.object_flags, 1);
  ck_assert_mem_eq(a.app_data.data, "artx", 4);
  a = ace_at(&sd.dacl, 3);
  ck_assert_uint_eq(a.type, SMBW_ACE_ACCESS_DENIED_CALLBACK_OBJECT);
  ck_assert_uint_eq(a.object_flags, 0);
  sid_is(&a.sid, "S-1-5-7");
  a = ace_at(&sd.sacl, 0);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_MANDATORY_LABEL);
  sid_is(&a.sid, "S-1-16-12288");
  a = ace_at(&sd.sacl, 1);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_RESOURCE_ATTRIBUTE);
  ck_assert_uint_eq(a.app_data.len, 48); /* CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1 */
  ck_assert_uint_eq(rd32(a.app_data.data), 20);
  a = ace_at(&sd.sacl, 2);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_SCOPED_POLICY_ID);
  a = ace_at(&sd.sacl, 3);
  ck_assert_uint_eq(a.type, SMBW_ACE_SYSTEM_AUDIT_CALLBACK);
  /* the gap comes back from raw; without it, as zeros */
  smbw_sd z = sd;
  z.raw.data = NULL;
  z.raw.len = 0;
  static uint8_t zero_gap[2048];
  memcpy(zero_gap, d.data, d.len);
  memset(zero_gap + 88, 0, 4);
  check_enc(enc_sd, &z, zero_gap, d.len);
  z.raw.data = d.data;
  z.raw.len = d.len - 1; /* another size: not used */
  check_enc(enc_sd, &z, zero_gap, d.len);
}
END_TEST

START_TEST(test_slack_and_padding) {
  static uint8_t buf[1024];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(300, buf, &sd, &d);
  ck_assert_uint_eq(sd.dacl.count, 2);
  ck_assert_uint_eq(sd.dacl.trailing.len, 8);
  ck_assert_uint_eq(sd.dacl.size, 8 + 24 + 24 + 8);
  smbw_ace a = ace_at(&sd.dacl, 1);
  ck_assert_uint_eq(a.size, 24);
  ck_assert_uint_eq(a.app_data.len, 4); /* padding after the SID, kept */
  /* smbd answers without either (frame 303) */
  static uint8_t buf2[1024];
  smbw_sd s2;
  smbw_bytes d2;
  cap_sd(303, buf2, &s2, &d2);
  ck_assert_uint_eq(s2.dacl.trailing.len, 0);
  ck_assert_uint_eq(ace_at(&s2.dacl, 1).size, 20);
}
END_TEST

START_TEST(test_null_and_empty_dacl) {
  static uint8_t buf[256];
  smbw_sd sd;
  smbw_bytes d;
  cap_sd(304, buf, &sd, &d);
  ck_assert_uint_eq(d.len, 20);
  ck_assert(sd.control & SMBW_SE_DACL_PRESENT);
  ck_assert(!sd.has_dacl && !sd.has_owner && !sd.has_group && !sd.has_sacl);
  ck_assert_uint_eq(sd.size, 20);
  cap_sd(307, buf, &sd, &d);
  ck_assert(!sd.has_dacl);
  cap_sd(311, buf, &sd, &d);
  ck_assert(sd.has_dacl);
  ck_assert_uint_eq(sd.dacl.count, 0);
  ck_assert_uint_eq(sd.dacl.aces.len, 0);
  smbw_acl_iter it;
  smbw_ace a;
  smbw_acl_iter_init(&it, &sd.dacl);
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, NULL), 0);
}
END_TEST

/* ---- SID ------------------------------------------------------------------ */

/* S-1-5-32-544 */
static const uint8_t SID_BA[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0};

static smbw_sid mksid(uint64_t auth, unsigned n, ...) {
  smbw_sid s;
  memset(&s, 0, sizeof s);
  s.revision = 1;
  s.authority = auth;
  va_list ap;
  va_start(ap, n);
  for (unsigned i = 0; i < n; i++) s.sub[i] = va_arg(ap, uint32_t);
  va_end(ap);
  s.sub_count = (uint8_t)n;
  return s;
}

START_TEST(test_sid_decode) {
  smbw_sid s;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_sid_decode(place(SID_BA, 16), 16, &s, &e), 0);
  ck_assert_uint_eq(s.revision, 1);
  ck_assert_uint_eq(s.sub_count, 2);
  ck_assert_uint_eq(s.authority, 5);
  ck_assert_uint_eq(s.sub[0], 32);
  ck_assert_uint_eq(s.sub[1], 544);
  for (unsigned i = 2; i < 15; i++) ck_assert_uint_eq(s.sub[i], 0);
  ck_assert_uint_eq(SMBW_SID_SIZE(s.sub_count), 16);
  check_enc(enc_sid, &s, SID_BA, 16);
  /* bytes after it are not looked at */
  uint8_t more[20];
  memcpy(more, SID_BA, 16);
  memset(more + 16, 0xFF, 4);
  ck_assert_int_eq(smbw_sid_decode(place(more, 20), 20, &s, NULL), 0);
  ck_assert_uint_eq(s.sub_count, 2);
  /* every prefix */
  static const char *const f[] = {"Revision", "SubAuthorityCount", "IdentifierAuthority",
                                  "IdentifierAuthority", "IdentifierAuthority",
                                  "IdentifierAuthority", "IdentifierAuthority",
                                  "IdentifierAuthority", "SubAuthority", "SubAuthority",
                                  "SubAuthority", "SubAuthority", "SubAuthority", "SubAuthority",
                                  "SubAuthority", "SubAuthority"};
  for (unsigned k = 0; k < 16; k++) {
    const uint8_t *p = place(SID_BA, k);
    e.code = 0;
    ck_assert_int_eq(smbw_sid_decode(k ? p : NULL, k, &s, &e), SMBW_E_TRUNCATED);
    err_is(&e, SMBW_E_TRUNCATED, k, f[k]);
  }
  /* Revision other than 1, seen as soon as its byte is there */
  for (unsigned rev = 0; rev < 256; rev++) {
    if (rev == 1) continue;
    uint8_t b[16];
    memcpy(b, SID_BA, 16);
    b[0] = (uint8_t)rev;
    for (unsigned k = 1; k <= 16; k += 15) {
      e.code = 0;
      ck_assert_int_eq(smbw_sid_decode(place(b, k), k, &s, &e), SMBW_E_SID);
      err_is(&e, SMBW_E_SID, 0, "Revision");
    }
  }
  /* SubAuthorityCount: 15 is the most */
  uint8_t b[80];
  memset(b, 0, sizeof b);
  b[0] = 1;
  b[7] = 5;
  for (unsigned n = 0; n <= 255; n++) {
    b[1] = (uint8_t)n;
    e.code = 0;
    int rc = smbw_sid_decode(place(b, sizeof b), sizeof b, &s, &e);
    if (n <= 15) {
      ck_assert_int_eq(rc, 0);
      ck_assert_uint_eq(s.sub_count, n);
    } else {
      ck_assert_int_eq(rc, SMBW_E_SID);
      err_is(&e, SMBW_E_SID, 1, "SubAuthorityCount");
      ck_assert_int_eq(smbw_sid_decode(place(b, 2), 2, &s, &e), SMBW_E_SID);
    }
  }
  /* a full one: 15 sub-authorities, 68 bytes, largest authority */
  memset(b, 0xFF, sizeof b);
  b[0] = 1;
  b[1] = 15;
  ck_assert_int_eq(smbw_sid_decode(place(b, 68), 68, &s, NULL), 0);
  ck_assert_uint_eq(s.authority, SMBW_SID_AUTHORITY_MAX);
  ck_assert_uint_eq(s.sub[14], 0xFFFFFFFFu);
  check_enc(enc_sid, &s, b, SMBW_SID_MAX_SIZE);
  e.code = 0;
  ck_assert_int_eq(smbw_sid_decode(place(b, 67), 67, &s, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 67, "SubAuthority");
  /* arguments */
  e.code = 0;
  ck_assert_int_eq(smbw_sid_decode(NULL, 4, &s, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "SID");
  ck_assert_int_eq(smbw_sid_decode(SID_BA, 16, NULL, NULL), SMBW_E_INVAL);
}
END_TEST

START_TEST(test_sid_encode_errors) {
  uint8_t out[80];
  size_t len = 99;
  smbw_sid s = mksid(5, 1, 18u);
  check_enc(enc_sid, &s, (const uint8_t *)"\x01\x01\0\0\0\0\0\x05\x12\0\0\0", 12);
  s.revision = 0;
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, &s, &len), SMBW_E_SID);
  s.revision = 2;
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, &s, &len), SMBW_E_SID);
  s.revision = 1;
  s.sub_count = 16;
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, &s, &len), SMBW_E_SID);
  s.sub_count = 1;
  s.authority = SMBW_SID_AUTHORITY_MAX + 1;
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, &s, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 99); /* untouched on errors */
  s.authority = 5;
  ck_assert_int_eq(smbw_sid_encode(NULL, 12, &s, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  /* the unused sub-authorities are ignored */
  s.sub[5] = 77;
  ck_assert_int_eq(smbw_sid_encode(out, sizeof out, &s, &len), 0);
  ck_assert_uint_eq(len, 12);
  s = mksid(0, 0);
  check_enc(enc_sid, &s, (const uint8_t *)"\x01\0\0\0\0\0\0\0", 8);
}
END_TEST

START_TEST(test_sid_equal) {
  smbw_sid a = mksid(5, 2, 32u, 544u), b = a;
  ck_assert(smbw_sid_equal(&a, &b));
  b.sub[7] = 9; /* unused */
  ck_assert(smbw_sid_equal(&a, &b));
  b.sub[1] = 545;
  ck_assert(!smbw_sid_equal(&a, &b));
  b = a;
  b.authority = 1;
  ck_assert(!smbw_sid_equal(&a, &b));
  b = a;
  b.sub_count = 1;
  ck_assert(!smbw_sid_equal(&a, &b));
  b = a;
  b.revision = 2;
  ck_assert(!smbw_sid_equal(&a, &b));
  /* a count over 15 compares the 15 there are */
  a.sub_count = b.sub_count = 200;
  b.revision = 1;
  ck_assert(smbw_sid_equal(&a, &b));
}
END_TEST

/* smbw_sid_to_string() into every buffer size: NOSPACE (nothing written)
   until the string and its NUL fit. */
static void to_string_is(const smbw_sid *s, const char *want) {
  size_t n = strlen(want), len = 0;
  ck_assert_int_eq(smbw_sid_to_string(s, NULL, 0, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, n);
  for (size_t k = 0; k <= n; k++) {
    uint8_t *o = out_area(k);
    len = 0;
    ck_assert_int_eq(smbw_sid_to_string(s, k ? (char *)o : NULL, k, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, n);
    ck_assert(out_untouched(k));
  }
  uint8_t *o = out_area(n + 1);
  ck_assert_int_eq(smbw_sid_to_string(s, (char *)o, n + 1, NULL), 0);
  ck_assert_str_eq((char *)o, want);
  ck_assert(canary_ok(n + 1));
  /* and back */
  smbw_sid t;
  ck_assert_int_eq(smbw_sid_from_string(want, n, &t, NULL), 0);
  ck_assert(smbw_sid_equal(s, &t));
}

START_TEST(test_sid_string) {
  smbw_sid s = mksid(5, 2, 32u, 544u);
  to_string_is(&s, "S-1-5-32-544");
  s = mksid(5, 0);
  to_string_is(&s, "S-1-5");
  s = mksid(0, 1, 0u);
  to_string_is(&s, "S-1-0-0");
  s = mksid(0xFFFFFFFFull, 1, 0xFFFFFFFFu);
  to_string_is(&s, "S-1-4294967295-4294967295");
  s = mksid(1ull << 32, 1, 1u);
  to_string_is(&s, "S-1-0x000100000000-1"); /* MS-DTYP 2.4.2.1: hex from 2^32 */
  s = mksid(SMBW_SID_AUTHORITY_MAX, 15, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
            0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu,
            0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu);
  char longest[SMBW_SID_STRING_MAX];
  strcpy(longest, "S-1-0xFFFFFFFFFFFF");
  for (int i = 0; i < 15; i++) strcat(longest, "-4294967295");
  ck_assert_uint_eq(strlen(longest) + 1, SMBW_SID_STRING_MAX);
  to_string_is(&s, longest);
  /* errors */
  char out[SMBW_SID_STRING_MAX];
  size_t len = 7;
  s = mksid(5, 1, 1u);
  s.revision = 3;
  ck_assert_int_eq(smbw_sid_to_string(&s, out, sizeof out, &len), SMBW_E_SID);
  s.revision = 1;
  s.sub_count = 16;
  ck_assert_int_eq(smbw_sid_to_string(&s, out, sizeof out, &len), SMBW_E_SID);
  s.sub_count = 1;
  s.authority = 1ull << 48;
  ck_assert_int_eq(smbw_sid_to_string(&s, out, sizeof out, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 7);
  ck_assert_int_eq(smbw_sid_to_string(NULL, out, sizeof out, &len), SMBW_E_INVAL);
  s.authority = 5;
  ck_assert_int_eq(smbw_sid_to_string(&s, NULL, 5, &len), SMBW_E_INVAL);
}
END_TEST

static void parse_ok(const char *text, const char *canon) {
  smbw_sid s;
  ck_assert_int_eq(smbw_sid_from_string(text, strlen(text), &s, NULL), 0);
  ck_assert_uint_eq(s.revision, 1);
  char t[SMBW_SID_STRING_MAX];
  ck_assert_int_eq(smbw_sid_to_string(&s, t, sizeof t, NULL), 0);
  ck_assert_str_eq(t, canon);
}

static void parse_bad(const char *text, size_t n, int code, uint32_t off, const char *field) {
  smbw_sid s = mksid(9, 1, 9u), keep = s;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_sid_from_string(text, n, &s, &e), code);
  err_is(&e, code, off, field);
  ck_assert(smbw_sid_equal(&s, &keep)); /* untouched */
}
#define BAD(text, code, off, field) parse_bad(text, strlen(text), code, off, field)

START_TEST(test_sid_from_string) {
  parse_ok("S-1-5-32-544", "S-1-5-32-544");
  parse_ok("s-1-5-18", "S-1-5-18");
  parse_ok("S-1-5", "S-1-5");
  parse_ok("S-001-05-0032", "S-1-5-32");
  parse_ok("S-1-0x5-1", "S-1-5-1");
  parse_ok("S-1-0X00000000000F-1", "S-1-15-1");
  parse_ok("S-1-0xabcdef123456-7", "S-1-0xABCDEF123456-7");
  parse_ok("S-1-0xFFFFFFFFFFFF", "S-1-0xFFFFFFFFFFFF");
  parse_ok("S-1-281474976710655", "S-1-0xFFFFFFFFFFFF"); /* 2^48 - 1 in decimal */
  parse_ok("S-1-5-4294967295", "S-1-5-4294967295");
  parse_ok("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15");
  BAD("", SMBW_E_INVAL, 0, "S");
  BAD("S", SMBW_E_INVAL, 0, "S");
  BAD("X-1-5", SMBW_E_INVAL, 0, "S");
  BAD("S_1-5", SMBW_E_INVAL, 0, "S");
  BAD("S-", SMBW_E_INVAL, 2, "Revision");
  BAD("S-x", SMBW_E_INVAL, 2, "Revision");
  BAD("S-2-5", SMBW_E_SID, 2, "Revision");
  BAD("S-0-5", SMBW_E_SID, 2, "Revision");
  BAD("S-256-5", SMBW_E_RANGE, 2, "Revision");
  BAD("S-1", SMBW_E_INVAL, 3, "Revision");
  BAD("S-1x5", SMBW_E_INVAL, 3, "Revision");
  BAD("S-0x1-5", SMBW_E_SID, 2, "Revision"); /* revision 0, then junk */
  BAD("S-1-", SMBW_E_INVAL, 4, "IdentifierAuthority");
  BAD("S-1--5", SMBW_E_INVAL, 4, "IdentifierAuthority");
  BAD("S-1-0x", SMBW_E_INVAL, 4, "IdentifierAuthority");
  BAD("S-1-0xg", SMBW_E_INVAL, 4, "IdentifierAuthority");
  BAD("S-1-281474976710656", SMBW_E_RANGE, 4, "IdentifierAuthority");
  BAD("S-1-0x1000000000000", SMBW_E_RANGE, 4, "IdentifierAuthority");
  BAD("S-1-99999999999999999999999", SMBW_E_RANGE, 4, "IdentifierAuthority");
  BAD("S-1-5-", SMBW_E_INVAL, 6, "SubAuthority");
  BAD("S-1-5-x", SMBW_E_INVAL, 6, "SubAuthority");
  BAD("S-1-5-0x10", SMBW_E_INVAL, 7, "SubAuthority"); /* no hex here */
  BAD("S-1-5-1a", SMBW_E_INVAL, 7, "SubAuthority");
  BAD("S-1-5 ", SMBW_E_INVAL, 5, "SubAuthority");
  BAD("S-1-5-4294967296", SMBW_E_RANGE, 6, "SubAuthority");
  BAD("S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", SMBW_E_SID, 41, "SubAuthorityCount");
  parse_bad("S-1-5\0-1", 8, SMBW_E_INVAL, 5, "SubAuthority"); /* a NUL inside */
  /* exactly len characters are read: no terminator needed */
  const char *p = (const char *)place("S-1-5-32", 8);
  smbw_sid s;
  ck_assert_int_eq(smbw_sid_from_string(p, 8, &s, NULL), 0);
  sid_is(&s, "S-1-5-32");
  ck_assert_int_eq(smbw_sid_from_string(p, 7, &s, NULL), 0);
  sid_is(&s, "S-1-5-3");
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_sid_from_string(NULL, 3, &s, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "SID");
  ck_assert_int_eq(smbw_sid_from_string("S-1-5", 5, NULL, NULL), SMBW_E_INVAL);
  e.code = 0;
  ck_assert_int_eq(smbw_sid_from_string(NULL, 0, &s, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "S");
}
END_TEST

/* ---- ACE ------------------------------------------------------------------ */

START_TEST(test_ace_types) {
  CHECK_NAMES(smbw_ace_type_name, {0x00, "ACCESS_ALLOWED_ACE_TYPE"},
              {0x05, "ACCESS_ALLOWED_OBJECT_ACE_TYPE"}, {0x11, "SYSTEM_MANDATORY_LABEL_ACE_TYPE"},
              {0x13, "SYSTEM_SCOPED_POLICY_ID_ACE_TYPE"});
  for (unsigned t = 0; t < 256; t++) {
    const char *n = smbw_ace_type_name((uint8_t)t);
    int l = smbw_ace_type_layout((uint8_t)t);
    if (t > 0x13) {
      ck_assert_ptr_null(n);
      ck_assert_int_eq(l, SMBW_ACE_LAYOUT_RAW);
      continue;
    }
    ck_assert_ptr_nonnull(n);
    ck_assert(strstr(n, "_ACE_TYPE") != NULL);
    int obj = (t >= 5 && t <= 8) || t == 0x0B || t == 0x0C || t == 0x0F || t == 0x10;
    ck_assert_int_eq(l, t == 4 ? SMBW_ACE_LAYOUT_RAW : obj ? SMBW_ACE_LAYOUT_OBJECT : SMBW_ACE_LAYOUT_SID);
  }
}
END_TEST

static uint8_t PATTERN[256];

/* An ACE of type t with every field set, the variant v picking sizes. */
static smbw_ace mkace(uint8_t t, unsigned v) {
  smbw_ace a;
  memset(&a, 0, sizeof a);
  for (unsigned i = 0; i < sizeof PATTERN; i++) PATTERN[i] = (uint8_t)(i * 37 + 11);
  a.type = t;
  a.flags = (uint8_t)(t * 7 + v);
  int l = smbw_ace_type_layout(t);
  if (l == SMBW_ACE_LAYOUT_RAW) {
    a.body.data = PATTERN;
    a.body.len = 4u * v;
    return a;
  }
  a.mask = 0x001200a9u + t;
  a.sid = mksid(5, 1 + v % 5, 21u, (uint32_t)t, 500u + v, 7u, 8u);
  a.app_data.data = v ? PATTERN + 100 : NULL;
  a.app_data.len = 4u * (v % 4);
  if (l == SMBW_ACE_LAYOUT_OBJECT) {
    a.object_flags = v % 4 | (v > 4 ? 0xF0u : 0); /* unknown bits are kept */
    if (a.object_flags & 1) memcpy(a.object_type, PATTERN + 16, 16);
    if (a.object_flags & 2) memcpy(a.inherited_object_type, PATTERN + 40, 16);
  }
  return a;
}

static void ace_eq(const smbw_ace *x, const smbw_ace *y) {
  ck_assert_uint_eq(x->type, y->type);
  ck_assert_uint_eq(x->flags, y->flags);
  int l = smbw_ace_type_layout(x->type);
  if (l == SMBW_ACE_LAYOUT_RAW) {
    ck_assert_uint_eq(x->body.len, y->body.len);
    if (x->body.len) ck_assert_mem_eq(x->body.data, y->body.data, x->body.len);
    return;
  }
  ck_assert_uint_eq(x->mask, y->mask);
  ck_assert(smbw_sid_equal(&x->sid, &y->sid));
  ck_assert_uint_eq(x->app_data.len, y->app_data.len);
  if (x->app_data.len) ck_assert_mem_eq(x->app_data.data, y->app_data.data, x->app_data.len);
  if (l == SMBW_ACE_LAYOUT_OBJECT) {
    ck_assert_uint_eq(x->object_flags, y->object_flags);
    ck_assert_mem_eq(x->object_type, y->object_type, 16);
    ck_assert_mem_eq(x->inherited_object_type, y->inherited_object_type, 16);
  }
}

typedef struct build_args {
  uint8_t rev;
  const smbw_ace *aces;
  size_t n;
} build_args;
static int enc_build(uint8_t *o, size_t c, const void *x, size_t *l) {
  const build_args *b = (const build_args *)x;
  return smbw_acl_build(o, c, b->rev, b->aces, b->n, l);
}

/* Every type (and some undefined ones) in several sizes: built into an
   ACL, decoded back field by field, each ACE and the ACL re-encoded byte
   for byte. */
START_TEST(test_ace_round_trip) {
  static smbw_ace aces[64];
  static uint8_t buf[8192];
  size_t n = 0;
  static const uint8_t types[] = {0,    1,    2,    3,    4,    5,    6,    7,    8,    9,
                                  0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13,
                                  0x14, 0x15, 0x80, 0xFF};
  for (unsigned i = 0; i < sizeof types; i++) aces[n++] = mkace(types[i], _i + i % 3);
  build_args ba = {SMBW_ACL_REVISION_DS, aces, n};
  size_t len = 0;
  ck_assert_int_eq(smbw_acl_build(buf, sizeof buf, ba.rev, aces, n, &len), 0);
  check_enc(enc_build, &ba, buf, len);
  const uint8_t *p = place(buf, len);
  smbw_acl acl;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_acl_decode(p, len, &acl, &e), 0);
  ck_assert_uint_eq(acl.count, n);
  ck_assert_uint_eq(acl.size, len);
  ck_assert_uint_eq(acl.revision, SMBW_ACL_REVISION_DS);
  ck_assert_uint_eq(acl.sbz1, 0);
  ck_assert_uint_eq(acl.sbz2, 0);
  ck_assert_uint_eq(acl.trailing.len, 0);
  smbw_acl_iter it;
  smbw_ace a;
  smbw_acl_iter_init(&it, &acl);
  for (size_t i = 0; i < n; i++) {
    ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), 1);
    ace_eq(&aces[i], &a);
    size_t one = 0;
    ck_assert_int_eq(smbw_ace_encode(NULL, 0, &aces[i], &one), SMBW_E_NOSPACE);
    ck_assert_uint_eq(one, a.size);
    check_enc(enc_ace, &a, p + a.offset, a.size);
    check_enc(enc_ace, &aces[i], p + a.offset, a.size);
  }
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), 0);
  check_enc(enc_acl, &acl, p, len);
  /* an ACL of revision 2 and one of none */
  ck_assert_int_eq(smbw_acl_build(buf, sizeof buf, SMBW_ACL_REVISION, aces, 1, &len), 0);
  ck_assert_uint_eq(buf[0], 2);
  build_args none = {SMBW_ACL_REVISION, NULL, 0};
  check_enc(enc_build, &none, (const uint8_t *)"\x02\0\x08\0\0\0\0\0", 8);
}
END_TEST

START_TEST(test_ace_encode_errors) {
  uint8_t out[256];
  size_t len = 5;
  smbw_ace a = mkace(0, 1);
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ace_encode(NULL, 1, &a, &len), SMBW_E_INVAL);
  a.sid.revision = 2;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_SID);
  a = mkace(0, 1);
  a.sid.authority = 1ull << 48;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_RANGE);
  a = mkace(0, 1);
  a.app_data.data = NULL;
  a.app_data.len = 4;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_INVAL);
  a.app_data.data = PATTERN;
  a.app_data.len = 2; /* AceSize would not be a multiple of 4 */
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_ACL);
  a.app_data.len = 0x10000;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_RANGE);
  a.app_data.len = 0xFFF0; /* with the header, mask and SID: over 65535 */
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_RANGE);
  a = mkace(5, 3);
  a.app_data.len = 0xFFE0 - 20; /* object: 12 + 32 + 20 + this > 65535 */
  a.app_data.data = PATTERN;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_RANGE);
  a = mkace(4, 1);
  a.body.data = NULL;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_INVAL);
  a.body.data = PATTERN;
  a.body.len = 0xFFFC; /* 4 + 0xFFFC > 65535 */
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_RANGE);
  a.body.len = 3;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), SMBW_E_ACL);
  ck_assert_uint_eq(len, 5);
  /* the largest: 65532 bytes */
  static uint8_t big[65532];
  a.body.len = 65528;
  a.body.data = big;
  len = 0;
  ck_assert_int_eq(smbw_ace_encode(NULL, 0, &a, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 65532);
  /* the struct's size and layout are not used */
  a = mkace(0, 2);
  a.size = 4;
  a.layout = SMBW_ACE_LAYOUT_RAW;
  ck_assert_int_eq(smbw_ace_encode(out, sizeof out, &a, &len), 0);
  ck_assert_uint_eq(len, 8 + 20 + 8);
}
END_TEST

/* An ACL of AclSize size and AceCount count around ACE bytes. */
static size_t mkacl(uint8_t *b, uint8_t rev, uint16_t size, uint16_t count, const void *aces,
                    size_t n) {
  b[0] = rev;
  b[1] = 0;
  wr16(b + 2, size);
  wr16(b + 4, count);
  wr16(b + 6, 0);
  memcpy(b + 8, aces, n);
  return 8 + n;
}

static void acl_bad(const uint8_t *b, size_t n, int code, uint32_t off, const char *field) {
  smbw_acl acl;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &acl, &e), code);
  err_is(&e, code, off, field);
  /* the iterator over the same bytes fails the same way, and stays failed */
  if (n >= 8 && rd16(b + 2) <= n && rd16(b + 2) >= 8 && (b[0] == 2 || b[0] == 4)) {
    smbw_acl h;
    memset(&h, 0, sizeof h);
    h.revision = b[0];
    h.count = rd16(b + 4);
    h.aces.data = place(b, rd16(b + 2)) + 8;
    h.aces.len = rd16(b + 2) - 8u;
    smbw_acl_iter it;
    smbw_ace a;
    smbw_acl_iter_init(&it, &h);
    int rc;
    while ((rc = smbw_acl_iter_next(&it, &a, &e)) == 1) continue;
    ck_assert_int_eq(rc, code);
    err_is(&e, code, off, field);
    e.code = 0;
    ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), code);
    err_is(&e, code, off, field);
    /* and the encoder refuses the view */
    size_t len = 3;
    ck_assert_int_eq(smbw_acl_encode(NULL, 0, &h, &len), code);
    ck_assert_uint_eq(len, 3);
  }
}

START_TEST(test_ace_rules) {
  uint8_t b[512], ace[128];
  /* S-1-1-0, allowed: 20 bytes */
  static const uint8_t everyone[] = {0, 0, 20, 0, 0xa9, 0, 0x12, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  size_t n = mkacl(b, 2, 28, 1, everyone, 20);
  smbw_acl acl;
  ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &acl, NULL), 0);
  /* AceSize: below 4, not a multiple of 4, below the layout's minimum */
  static const uint16_t bad_sizes[] = {0, 1, 2, 3, 6, 10, 12, 18, 19};
  for (unsigned i = 0; i < sizeof bad_sizes / 2; i++) {
    memcpy(ace, everyone, 20);
    wr16(ace + 2, bad_sizes[i]);
    n = mkacl(b, 2, 28, 1, ace, 20);
    acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  }
  /* past AclSize */
  memcpy(ace, everyone, 20);
  wr16(ace + 2, 24);
  n = mkacl(b, 2, 28, 1, ace, 20);
  acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  /* the SID runs past AceSize: one sub-authority in 16 bytes */
  wr16(ace + 2, 16);
  n = mkacl(b, 2, 28, 1, ace, 20);
  acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  /* ... and a 5-sub-authority SID in an AceSize of 24 */
  memcpy(ace, everyone, 20);
  ace[9] = 5;
  wr16(ace + 2, 24);
  memset(ace + 20, 0, 4);
  n = mkacl(b, 2, 32, 1, ace, 24);
  acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  /* the SID itself: Revision, SubAuthorityCount */
  memcpy(ace, everyone, 20);
  ace[8] = 2;
  n = mkacl(b, 2, 28, 1, ace, 20);
  acl_bad(b, n, SMBW_E_SID, 16, "Revision");
  memcpy(ace, everyone, 20);
  ace[9] = 16;
  n = mkacl(b, 2, 28, 1, ace, 20);
  acl_bad(b, n, SMBW_E_SID, 17, "SubAuthorityCount");
  /* object ACEs: at least 20 bytes, then 16 more per GUID its Flags announce */
  memset(ace, 0, sizeof ace);
  ace[0] = 5;
  wr16(ace + 2, 16);
  n = mkacl(b, 4, 8 + 16, 1, ace, 16);
  acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  for (unsigned f = 1; f <= 3; f++) {
    unsigned need = 20 + (f & 1 ? 16 : 0) + (f & 2 ? 16 : 0);
    memset(ace, 0, sizeof ace);
    ace[0] = 0x0B;
    wr32(ace + 8, f);
    ace[need - 8] = 1; /* an empty SID where it belongs */
    wr16(ace + 2, (uint16_t)need);
    n = mkacl(b, 4, (uint16_t)(8 + need), 1, ace, need);
    smbw_acl ok;
    ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &ok, NULL), 0);
    wr16(ace + 2, (uint16_t)(need - 4));
    n = mkacl(b, 4, (uint16_t)(8 + need), 1, ace, need);
    acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
  }
  /* RAW: any 4-aligned size from 4, body not read */
  memset(ace, 0xEE, 8);
  ace[0] = 0x04;
  wr16(ace + 2, 4);
  n = mkacl(b, 2, 12, 1, ace, 4);
  ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &acl, NULL), 0);
  smbw_ace a;
  smbw_acl_iter it;
  smbw_acl_iter_init(&it, &acl);
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, NULL), 1);
  ck_assert_uint_eq(a.layout, SMBW_ACE_LAYOUT_RAW);
  ck_assert_uint_eq(a.body.len, 0);
  ck_assert_uint_eq(a.mask, 0);
  ace[0] = 0x99;
  wr16(ace + 2, 6);
  n = mkacl(b, 2, 16, 1, ace, 8);
  acl_bad(b, n, SMBW_E_ACL, 10, "AceSize");
}
END_TEST

/* ---- ACL ------------------------------------------------------------------ */

START_TEST(test_acl_header) {
  uint8_t b[128];
  static const uint8_t everyone[] = {0, 3, 20, 0, 0xa9, 0, 0x12, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  uint8_t two[40];
  memcpy(two, everyone, 20);
  memcpy(two + 20, everyone, 20);
  two[20] = 1; /* denied */
  size_t n = mkacl(b, 2, 48, 2, two, 40);
  smbw_acl acl;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &acl, &e), 0);
  ck_assert_uint_eq(acl.size, 48);
  ck_assert_uint_eq(acl.count, 2);
  ck_assert_uint_eq(acl.aces.len, 40);
  ck_assert_uint_eq(acl.offset, 0);
  /* every prefix: TRUNCATED where it ends */
  static const char *const f[] = {"AclRevision", "Sbz1", "AclSize", "AclSize",
                                  "AceCount", "AceCount", "Sbz2", "Sbz2"};
  for (size_t k = 0; k < n; k++) {
    const uint8_t *p = place(b, k);
    e.code = 0;
    ck_assert_int_eq(smbw_acl_decode(k ? p : NULL, k, &acl, &e), SMBW_E_TRUNCATED);
    err_is(&e, SMBW_E_TRUNCATED, (uint32_t)k, k < 8 ? f[k] : "AclSize");
  }
  /* AclRevision: 2 and 4 only, checked as soon as it is there */
  for (unsigned r = 0; r < 256; r++) {
    uint8_t c[48];
    memcpy(c, b, 48);
    c[0] = (uint8_t)r;
    e.code = 0;
    int rc = smbw_acl_decode(place(c, 48), 48, &acl, &e);
    if (r == 2 || r == 4) {
      ck_assert_int_eq(rc, 0);
      continue;
    }
    ck_assert_int_eq(rc, SMBW_E_ACL);
    err_is(&e, SMBW_E_ACL, 0, "AclRevision");
    ck_assert_int_eq(smbw_acl_decode(place(c, 1), 1, &acl, &e), SMBW_E_ACL);
  }
  /* AclSize below 8 */
  for (uint16_t s = 0; s < 8; s++) {
    mkacl(b, 4, s, 0, "", 0);
    e.code = 0;
    ck_assert_int_eq(smbw_acl_decode(place(b, 8), 8, &acl, &e), SMBW_E_ACL);
    err_is(&e, SMBW_E_ACL, 2, "AclSize");
  }
  /* AclSize past the input */
  mkacl(b, 2, 49, 2, two, 40);
  e.code = 0;
  ck_assert_int_eq(smbw_acl_decode(place(b, 48), 48, &acl, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 48, "AclSize");
  /* an empty ACL; bytes after AclSize are not read */
  mkacl(b, 2, 8, 0, "", 0);
  memset(b + 8, 0x55, 8);
  ck_assert_int_eq(smbw_acl_decode(place(b, 16), 16, &acl, NULL), 0);
  ck_assert_uint_eq(acl.size, 8);
  ck_assert_uint_eq(acl.aces.len, 0);
  ck_assert_uint_eq(acl.trailing.len, 0);
  ck_assert_int_eq(smbw_acl_decode(NULL, 3, &acl, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "ACL");
  ck_assert_int_eq(smbw_acl_decode(b, 8, NULL, NULL), SMBW_E_INVAL);
  /* Sbz1 and Sbz2 are kept */
  mkacl(b, 2, 8, 0, "", 0);
  b[1] = 0x11;
  wr16(b + 6, 0x2233);
  ck_assert_int_eq(smbw_acl_decode(place(b, 8), 8, &acl, NULL), 0);
  ck_assert_uint_eq(acl.sbz1, 0x11);
  ck_assert_uint_eq(acl.sbz2, 0x2233);
  check_enc(enc_acl, &acl, b, 8);
}
END_TEST

/* AceCount against the bytes: more ACEs than AclSize holds is an error
   (naming AceCount); fewer leaves the rest as trailing bytes, kept. */
START_TEST(test_acl_count_lies) {
  uint8_t b[256];
  static const uint8_t everyone[] = {0, 0, 20, 0, 0xa9, 0, 0x12, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  uint8_t three[60];
  for (int i = 0; i < 3; i++) memcpy(three + 20 * i, everyone, 20);
  size_t n = mkacl(b, 2, 68, 4, three, 60);
  acl_bad(b, n, SMBW_E_ACL, 4, "AceCount");
  n = mkacl(b, 2, 68, 65535, three, 60);
  acl_bad(b, n, SMBW_E_ACL, 4, "AceCount");
  /* 1, 2 or 3 bytes left: no room for an ACE header */
  for (unsigned extra = 1; extra < 4; extra++) {
    n = mkacl(b, 2, (uint16_t)(48 + extra), 3, three, 40 + extra);
    acl_bad(b, n, SMBW_E_ACL, 4, "AceCount");
  }
  for (uint16_t c = 0; c <= 3; c++) {
    n = mkacl(b, 2, 68, c, three, 60);
    smbw_acl acl;
    ck_assert_int_eq(smbw_acl_decode(place(b, n), n, &acl, NULL), 0);
    ck_assert_uint_eq(acl.count, c);
    ck_assert_uint_eq(acl.aces.len, 20u * c);
    ck_assert_uint_eq(acl.trailing.len, 60u - 20u * c);
    ck_assert_ptr_eq(acl.trailing.data, acl.aces.data + acl.aces.len);
    check_enc(enc_acl, &acl, b, n);
  }
  /* an odd AclSize: one trailing byte */
  b[68] = 0x5A;
  n = mkacl(b, 2, 69, 3, three, 60);
  b[68] = 0x5A;
  smbw_acl acl;
  ck_assert_int_eq(smbw_acl_decode(place(b, 69), 69, &acl, NULL), 0);
  ck_assert_uint_eq(acl.trailing.len, 1);
  check_enc(enc_acl, &acl, b, 69);
}
END_TEST

/* The walk is bounded by AclSize / 4: the largest ACL of the smallest ACEs. */
START_TEST(test_acl_bounded) {
  static uint8_t b[65536];
  memset(b, 0, sizeof b);
  for (size_t i = 8; i + 4 <= 65535; i += 4) {
    b[i] = 0x04; /* RAW, AceSize 4 */
    b[i + 2] = 4;
  }
  size_t max = (65535 - 8) / 4; /* 16381 */
  mkacl(b, 2, 65535, (uint16_t)max, "", 0);
  smbw_acl acl;
  ck_assert_int_eq(smbw_acl_decode(place(b, 65535), 65535, &acl, NULL), 0);
  ck_assert_uint_eq(acl.count, max);
  ck_assert_uint_eq(acl.trailing.len, 3);
  smbw_acl_iter it;
  smbw_ace a;
  size_t k = 0;
  smbw_acl_iter_init(&it, &acl);
  while (smbw_acl_iter_next(&it, &a, NULL) == 1) k++;
  ck_assert_uint_eq(k, max);
  mkacl(b, 2, 65535, (uint16_t)(max + 1), "", 0);
  acl_bad(b, 65535, SMBW_E_ACL, 4, "AceCount");
  mkacl(b, 2, 65535, 65535, "", 0);
  acl_bad(b, 65535, SMBW_E_ACL, 4, "AceCount");
}
END_TEST

START_TEST(test_acl_encode_errors) {
  uint8_t b[128], out[128];
  static const uint8_t everyone[] = {0, 0, 20, 0, 0xa9, 0, 0x12, 0, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  size_t n = mkacl(b, 2, 28, 1, everyone, 20);
  smbw_acl acl, x;
  ck_assert_int_eq(smbw_acl_decode(b, n, &acl, NULL), 0);
  size_t len = 9;
  x = acl;
  x.revision = 3;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_ACL);
  x = acl;
  x.aces.data = NULL;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  x = acl;
  x.trailing.len = 1;
  x.trailing.data = NULL;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  static uint8_t big[0x10000];
  x = acl;
  x.aces.data = big;
  x.aces.len = 0x10000;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_RANGE);
  x = acl;
  x.trailing.data = big;
  x.trailing.len = 0x10000;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_RANGE);
  x = acl;
  x.trailing.data = big;
  x.trailing.len = 65536 - 28; /* 8 + 20 + this = 65536 */
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_RANGE);
  x.trailing.len--;
  len = 0;
  ck_assert_int_eq(smbw_acl_encode(NULL, 0, &x, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 65535);
  /* AceCount must match the ACE bytes exactly */
  x = acl;
  x.count = 2;
  len = 9;
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_ACL);
  x.count = 0; /* 20 bytes that are not ACEs */
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), SMBW_E_ACL);
  x.count = 0;
  x.aces.len = 0;
  x.trailing = acl.aces; /* fine as trailing bytes */
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, &x, &len), 0);
  ck_assert_mem_eq(out + 8, everyone, 20);
  ck_assert_uint_eq(out[4], 0);
  ck_assert_int_eq(smbw_acl_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_acl_encode(NULL, 4, &acl, &len), SMBW_E_INVAL);
}
END_TEST

START_TEST(test_acl_build_errors) {
  uint8_t out[64];
  size_t len = 9;
  smbw_ace a = mkace(0, 1);
  ck_assert_int_eq(smbw_acl_build(out, sizeof out, 2, NULL, 1, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_acl_build(NULL, 3, 2, &a, 1, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_acl_build(out, sizeof out, 3, &a, 1, &len), SMBW_E_ACL);
  ck_assert_int_eq(smbw_acl_build(out, sizeof out, 2, &a, 0x10000, &len), SMBW_E_RANGE);
  a.sid.sub_count = 16;
  ck_assert_int_eq(smbw_acl_build(out, sizeof out, 2, &a, 1, &len), SMBW_E_SID);
  static uint8_t body[40000];
  smbw_ace two[2];
  two[0] = two[1] = mkace(4, 0);
  two[0].body.data = two[1].body.data = body;
  two[0].body.len = two[1].body.len = 33000;
  ck_assert_int_eq(smbw_acl_build(out, sizeof out, 2, two, 2, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 9);
  two[1].body.len = 65532 - 8 - 33004 - 4; /* total 65532: the largest 4-aligned fit */
  ck_assert_int_eq(smbw_acl_build(NULL, 0, 2, two, 2, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 65532);
}
END_TEST

START_TEST(test_acl_iter_args) {
  smbw_acl_iter it;
  smbw_ace a;
  smbw_error e = {0, 0, NULL};
  smbw_acl_iter_init(NULL, NULL); /* harmless */
  smbw_acl_iter_init(&it, NULL);
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), 0);
  ck_assert_int_eq(smbw_acl_iter_next(NULL, &a, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "iterator");
  ck_assert_int_eq(smbw_acl_iter_next(&it, NULL, NULL), SMBW_E_INVAL);
  /* a hand-made view that claims ACEs it does not have; offsets count from
     the ACL's offset */
  smbw_acl acl;
  memset(&acl, 0, sizeof acl);
  acl.revision = 2;
  acl.count = 1;
  acl.offset = 100;
  acl.aces.len = 20; /* with NULL data: treated as empty */
  smbw_acl_iter_init(&it, &acl);
  e.code = 0;
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), SMBW_E_ACL);
  err_is(&e, SMBW_E_ACL, 104, "AceCount");
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, NULL), SMBW_E_ACL);
  /* an error inside an ACE, shifted by the offset */
  static const uint8_t bad[] = {0, 0, 20, 0, 0, 0, 0, 0, 3, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  acl.aces.data = bad;
  acl.aces.len = 20;
  smbw_acl_iter_init(&it, &acl);
  e.code = 0;
  ck_assert_int_eq(smbw_acl_iter_next(&it, &a, &e), SMBW_E_SID);
  err_is(&e, SMBW_E_SID, 116, "Revision");
}
END_TEST

/* ---- SECURITY_DESCRIPTOR -------------------------------------------------- */

/* A descriptor with all four parts, laid out owner, group, SACL, DACL from
   offset 20 (Samba's order).  Returns its size. */
static size_t mksd(uint8_t *b) {
  memset(b, 0, 256);
  b[0] = 1;
  wr16(b + 2, 0x8014);
  size_t at = 20;
  wr32(b + 4, (uint32_t)at); /* owner S-1-5-32-544 */
  memcpy(b + at, SID_BA, 16);
  at += 16;
  wr32(b + 8, (uint32_t)at); /* group S-1-5-18 */
  memcpy(b + at, "\x01\x01\0\0\0\0\0\x05\x12\0\0\0", 12);
  at += 12;
  static const uint8_t audit[] = {2, 0x80, 20, 0, 0, 0, 0, 0x80, 1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  wr32(b + 12, (uint32_t)at); /* SACL */
  mkacl(b + at, 2, 28, 1, audit, 20);
  at += 28;
  static const uint8_t allow[] = {0, 3, 24, 0, 0xff, 1, 0x1f, 0, 1, 2, 0, 0, 0, 0, 0, 5,
                                  32, 0, 0, 0, 0x21, 2, 0, 0};
  wr32(b + 16, (uint32_t)at); /* DACL */
  mkacl(b + at, 2, 32, 1, allow, 24);
  at += 32;
  return at; /* 108 */
}

static void sd_bad(const uint8_t *b, size_t n, int code, uint32_t off, const char *field) {
  smbw_sd sd;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_sd_decode(place(b, n), n, &sd, &e), code);
  err_is(&e, code, off, field);
}

START_TEST(test_sd_decode) {
  uint8_t b[256];
  size_t n = mksd(b);
  ck_assert_uint_eq(n, 108);
  smbw_sd sd;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_sd_decode(place(b, n), n, &sd, &e), 0);
  ck_assert_uint_eq(sd.revision, 1);
  ck_assert_uint_eq(sd.control, 0x8014);
  ck_assert(sd.has_owner && sd.has_group && sd.has_sacl && sd.has_dacl);
  ck_assert_uint_eq(sd.sacl.offset, 48);
  ck_assert_uint_eq(sd.dacl.offset, 76);
  ck_assert_uint_eq(sd.size, 108);
  check_enc(enc_sd, &sd, b, n);
  sd_prefixes(b, 108);
  /* Sbz1 kept */
  b[1] = 0x42;
  ck_assert_int_eq(smbw_sd_decode(place(b, n), n, &sd, NULL), 0);
  ck_assert_uint_eq(sd.sbz1, 0x42);
  check_enc(enc_sd, &sd, b, n);
  b[1] = 0;
  /* Revision */
  for (unsigned r = 0; r < 256; r++) {
    if (r == 1) continue;
    b[0] = (uint8_t)r;
    sd_bad(b, n, SMBW_E_REVISION, 0, "Revision");
    sd_bad(b, 1, SMBW_E_REVISION, 0, "Revision");
  }
  b[0] = 1;
  /* arguments */
  e.code = 0;
  ck_assert_int_eq(smbw_sd_decode(NULL, 20, &sd, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "SD");
  ck_assert_int_eq(smbw_sd_decode(b, n, NULL, NULL), SMBW_E_INVAL);
  /* only 20 bytes: no part */
  uint8_t h[20] = {1, 0, 0x04, 0x80};
  ck_assert_int_eq(smbw_sd_decode(place(h, 20), 20, &sd, NULL), 0);
  ck_assert(!sd.has_owner && !sd.has_group && !sd.has_sacl && !sd.has_dacl);
  ck_assert_uint_eq(sd.size, 20);
  check_enc(enc_sd, &sd, h, 20);
}
END_TEST

/* Each offset: in the header, at or past the end (and wrapping), a part
   straddling the end, parts overlapping. */
START_TEST(test_sd_offsets) {
  static const char *const name[] = {"OffsetOwner", "OffsetGroup", "OffsetSacl", "OffsetDacl"};
  uint8_t b[256];
  size_t n = mksd(b);
  for (unsigned i = 0; i < 4; i++) {
    uint32_t field = 4 + 4 * i;
    uint32_t good = rd32(b + field);
    static const uint32_t bad[] = {1, 4, 16, 19, 108, 109, 200, 0x7FFFFFFFu, 0xFFFFFFF0u,
                                   0xFFFFFFFFu};
    for (unsigned k = 0; k < sizeof bad / sizeof bad[0]; k++) {
      wr32(b + field, bad[k]);
      sd_bad(b, n, SMBW_E_SD_OFFSET, field, name[i]);
    }
    /* the part cut by the end of the buffer: a copy of it appended, then
       every length that cuts it */
    wr32(b + field, good);
    static const size_t plen[] = {16, 12, 28, 32};
    uint8_t c[256];
    memcpy(c, b, n);
    memcpy(c + n, b + good, plen[i]);
    wr32(c + field, (uint32_t)n);
    smbw_sd whole;
    ck_assert_int_eq(smbw_sd_decode(place(c, n + plen[i]), n + plen[i], &whole, NULL), 0);
    ck_assert_uint_eq(whole.size, n + plen[i]);
    for (size_t m = n; m < n + plen[i]; m++) sd_bad(c, m, SMBW_E_SD_OFFSET, field, name[i]);
    wr32(b + field, good);
  }
  smbw_sd sd;
  ck_assert_int_eq(smbw_sd_decode(place(b, n), n, &sd, NULL), 0);
  /* overlaps: the later part in field order is blamed */
  uint8_t c[256];
  memcpy(c, b, n);
  wr32(c + 8, 20); /* group on the owner */
  sd_bad(c, n, SMBW_E_SD_OFFSET, 8, "OffsetGroup");
  memcpy(c, b, n);
  wr32(c + 16, 48); /* DACL on the SACL */
  sd_bad(c, n, SMBW_E_SD_OFFSET, 16, "OffsetDacl");
  memcpy(c, b, n);
  wr32(c + 4, 76 + 16); /* the owner is the SID inside the DACL's ACE */
  sd_bad(c, n, SMBW_E_SD_OFFSET, 16, "OffsetDacl");
  memcpy(c, b, n);
  wr32(c + 12, 0);
  wr32(c + 8, 76 + 16); /* the group inside the DACL: fine alone ... */
  wr32(c + 16, 0);
  ck_assert_int_eq(smbw_sd_decode(place(c, n), n, &sd, NULL), 0);
  wr32(c + 16, 76); /* ... not with the DACL */
  sd_bad(c, n, SMBW_E_SD_OFFSET, 16, "OffsetDacl");
  /* adjacent parts do not overlap; parts in any order */
  memcpy(c, b, n);
  wr32(c + 4, 32);
  wr32(c + 8, 20);
  memcpy(c + 20, b + 36, 12);
  memcpy(c + 32, b + 20, 16);
  ck_assert_int_eq(smbw_sd_decode(place(c, n), n, &sd, NULL), 0);
  sid_is(&sd.owner, "S-1-5-32-544");
  sid_is(&sd.group, "S-1-5-18");
  check_enc(enc_sd, &sd, c, n);
  /* errors inside parts, at their offsets in the descriptor */
  memcpy(c, b, n);
  c[20] = 2;
  sd_bad(c, n, SMBW_E_SID, 20, "Revision");
  memcpy(c, b, n);
  c[37] = 200;
  sd_bad(c, n, SMBW_E_SID, 37, "SubAuthorityCount");
  memcpy(c, b, n);
  c[48] = 3;
  sd_bad(c, n, SMBW_E_ACL, 48, "AclRevision");
  memcpy(c, b, n);
  wr16(c + 76 + 8 + 2, 22);
  sd_bad(c, n, SMBW_E_ACL, 86, "AceSize");
  memcpy(c, b, n);
  wr16(c + 76 + 4, 2);
  sd_bad(c, n, SMBW_E_ACL, 80, "AceCount");
  /* the last part ends the descriptor; more input is not part of it */
  memcpy(c, b, n);
  wr32(c + 16, 0);
  ck_assert_int_eq(smbw_sd_decode(place(c, n), n, &sd, NULL), 0);
  ck_assert_uint_eq(sd.size, 76);
  ck_assert_uint_eq(sd.raw.len, 76);
  check_enc(enc_sd, &sd, c, 76);
  /* nothing past 2^32 - 1 can belong to a descriptor: a length over it is
     read as 2^32 - 1 (and only the parts are read).  The largest length,
     SIZE_MAX, is over it where size_t is wider than 32 bits and is 2^32 - 1
     itself on a 32-bit size_t; 2^33 only exists on the former. */
  smbw_error e = {0, 0, NULL};
  size_t huge[2] = {SIZE_MAX, SIZE_MAX};
#if SIZE_MAX > 0xFFFFFFFFu
  huge[1] = (size_t)1 << 33;
#endif
  for (int h = 0; h < 2; h++) {
    ck_assert_int_eq(smbw_sd_decode(b, huge[h], &sd, NULL), 0);
    ck_assert_uint_eq(sd.size, 108);
    memcpy(c, b, n);
    wr32(c + 4, 0xFFFFFFFFu);
    e = (smbw_error){0, 0, NULL};
    ck_assert_int_eq(smbw_sd_decode(c, huge[h], &sd, &e), SMBW_E_SD_OFFSET);
    err_is(&e, SMBW_E_SD_OFFSET, 4, "OffsetOwner");
  }
}
END_TEST

/* A fresh descriptor built from structs: the canonical layout. */
START_TEST(test_sd_encode_canonical) {
  static uint8_t sacl_b[64], dacl_b[128];
  smbw_ace audit = mkace(SMBW_ACE_SYSTEM_AUDIT, 0);
  audit.flags = SMBW_ACE_FAILED_ACCESS;
  audit.sid = mksid(1, 1, 0u);
  smbw_ace allow[2] = {mkace(SMBW_ACE_ACCESS_ALLOWED, 0), mkace(SMBW_ACE_ACCESS_DENIED, 0)};
  allow[0].sid = mksid(5, 2, 32u, 544u);
  allow[1].sid = mksid(5, 1, 7u);
  size_t sl, dl;
  ck_assert_int_eq(smbw_acl_build(sacl_b, sizeof sacl_b, 2, &audit, 1, &sl), 0);
  ck_assert_int_eq(smbw_acl_build(dacl_b, sizeof dacl_b, 2, allow, 2, &dl), 0);
  smbw_sd sd;
  memset(&sd, 0, sizeof sd);
  sd.revision = 1;
  sd.control = SMBW_SE_SELF_RELATIVE | SMBW_SE_DACL_PRESENT | SMBW_SE_SACL_PRESENT;
  sd.has_owner = sd.has_group = sd.has_sacl = sd.has_dacl = 1;
  sd.owner = mksid(5, 2, 32u, 544u);
  sd.group = mksid(5, 1, 18u);
  ck_assert_int_eq(smbw_acl_decode(sacl_b, sl, &sd.sacl, NULL), 0);
  ck_assert_int_eq(smbw_acl_decode(dacl_b, dl, &sd.dacl, NULL), 0);
  size_t total = 20 + sl + dl + 16 + 12;
  const uint8_t *o = check_enc(enc_sd, &sd, NULL, total);
  static uint8_t out[512];
  memcpy(out, o, total);
  smbw_sd back;
  ck_assert_int_eq(smbw_sd_decode(place(out, total), total, &back, NULL), 0);
  ck_assert_uint_eq(back.offset_sacl, 20);
  ck_assert_uint_eq(back.offset_dacl, 20 + sl);
  ck_assert_uint_eq(back.offset_owner, 20 + sl + dl);
  ck_assert_uint_eq(back.offset_group, 20 + sl + dl + 16);
  ck_assert_uint_eq(back.control, sd.control);
  ck_assert(smbw_sid_equal(&back.owner, &sd.owner));
  ck_assert(smbw_sid_equal(&back.group, &sd.group));
  ck_assert_mem_eq(back.sacl.aces.data, sd.sacl.aces.data, sd.sacl.aces.len);
  ck_assert_mem_eq(back.dacl.aces.data, sd.dacl.aces.data, sd.dacl.aces.len);
  /* absent parts get offset 0 whatever their offset field says */
  sd.has_sacl = 0;
  sd.offset_sacl = 999;
  sd.has_group = 0;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &sd, &total), 0);
  ck_assert_uint_eq(total, 20 + dl + 16);
  ck_assert_uint_eq(rd32(out + 8), 0);
  ck_assert_uint_eq(rd32(out + 12), 0);
  ck_assert_uint_eq(rd32(out + 16), 20);
  /* an ACL of odd size: the next part starts 4-aligned, the gap is 0 */
  sd.has_sacl = 1;
  sd.offset_sacl = 0;
  static uint8_t odd[64];
  memcpy(odd, sacl_b, sl);
  wr16(odd + 2, (uint16_t)(sl + 1));
  odd[sl] = 0x99;
  ck_assert_int_eq(smbw_acl_decode(odd, sl + 1, &sd.sacl, NULL), 0);
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &sd, &total), 0);
  ck_assert_uint_eq(rd32(out + 12), 20);
  ck_assert_uint_eq(rd32(out + 16), 20 + sl + 4);
  ck_assert_uint_eq(out[20 + sl], 0x99);
  for (size_t i = 21 + sl; i < 24 + sl; i++) ck_assert_uint_eq(out[i], 0);
  ck_assert_int_eq(smbw_sd_decode(out, total, &back, NULL), 0);
  check_enc(enc_sd, &back, out, total);
  /* no part at all */
  smbw_sd empty;
  memset(&empty, 0, sizeof empty);
  empty.revision = 1;
  empty.sbz1 = 7;
  empty.control = 0x8000;
  check_enc(enc_sd, &empty, (const uint8_t *)"\x01\x07\x00\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
}
END_TEST

START_TEST(test_sd_encode_errors) {
  uint8_t b[256], out[256];
  size_t n = mksd(b);
  smbw_sd sd, x;
  ck_assert_int_eq(smbw_sd_decode(b, n, &sd, NULL), 0);
  size_t len = 3;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_sd_encode(NULL, 5, &sd, &len), SMBW_E_INVAL);
  x = sd;
  x.raw.data = NULL;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  x = sd;
  x.revision = 0;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  x.revision = 2;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  /* bad parts */
  for (int g = 0; g < 2; g++) {
    x = sd;
    (g ? &x.group : &x.owner)->revision = 5;
    ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_SID);
    x = sd;
    (g ? &x.group : &x.owner)->sub_count = 16;
    ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_SID);
    x = sd;
    (g ? &x.group : &x.owner)->authority = 1ull << 60;
    ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_RANGE);
  }
  x = sd;
  x.sacl.revision = 3;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_ACL);
  x = sd;
  x.dacl.count = 9;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_ACL);
  x = sd;
  x.dacl.trailing.data = NULL;
  x.dacl.trailing.len = 2;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_INVAL);
  /* explicit offsets: in the header, overlapping, past 2^32 - 1 */
  for (uint32_t o = 1; o < 20; o++) {
    x = sd;
    x.offset_group = o;
    ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_SD_OFFSET);
  }
  x = sd;
  x.offset_group = 30; /* inside the owner */
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_SD_OFFSET);
  x = sd;
  x.offset_dacl = 50; /* inside the SACL */
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_SD_OFFSET);
  x = sd;
  x.offset_owner = 0; /* moved: canonical after the rest, no overlap */
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), 0);
  ck_assert_uint_eq(len, 108 + 16);
  ck_assert_uint_eq(rd32(out + 4), 108);
  x = sd;
  x.offset_dacl = 0xFFFFFFF0u;
  ck_assert_int_eq(smbw_sd_encode(out, sizeof out, &x, &len), SMBW_E_RANGE);
  x = sd;
  x.offset_owner = 0xFFFFFFE0u; /* fits, ends at 0xFFFFFFF0 ... */
  len = 0;
  ck_assert_int_eq(smbw_sd_encode(NULL, 0, &x, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 0xFFFFFFF0u);
  x.offset_dacl = 0; /* ... but the DACL placed after it would not */
  len = 3;
  ck_assert_int_eq(smbw_sd_encode(NULL, 0, &x, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 3);
}
END_TEST

/* ---- NT_TRANSACT parameter blocks ----------------------------------------- */

START_TEST(test_params) {
  static const uint8_t q[] = {0x57, 0xcf, 0, 0, 7, 0, 0, 0};
  smbw_bytes v = {place(q, 8), 8};
  smbw_secdesc_req r;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_query_secdesc_req_decode(v, &r, &e), 0);
  ck_assert_uint_eq(r.fid, 0xcf57);
  ck_assert_uint_eq(r.reserved, 0);
  ck_assert_uint_eq(r.security_info, SMBW_SECINFO_OWNER | SMBW_SECINFO_GROUP | SMBW_SECINFO_DACL);
  ck_assert_uint_eq(r.extra.len, 0);
  check_enc(enc_qreq, &r, q, 8);
  ck_assert_int_eq(smbw_set_secdesc_req_decode(v, &r, &e), 0);
  check_enc(enc_sreq, &r, q, 8);
  static const char *const qf[] = {"FID", "FID", "Reserved", "Reserved", "SecurityInfoFields",
                                   "SecurityInfoFields", "SecurityInfoFields",
                                   "SecurityInfoFields"};
  static const char *const sf[] = {"FID", "FID", "Reserved", "Reserved", "SecurityInformation",
                                   "SecurityInformation", "SecurityInformation",
                                   "SecurityInformation"};
  for (uint32_t k = 0; k < 8; k++) {
    smbw_bytes c = {k ? place(q, k) : NULL, k};
    e.code = 0;
    ck_assert_int_eq(smbw_query_secdesc_req_decode(c, &r, &e), SMBW_E_TRUNCATED);
    err_is(&e, SMBW_E_TRUNCATED, k, qf[k]);
    e.code = 0;
    ck_assert_int_eq(smbw_set_secdesc_req_decode(c, &r, &e), SMBW_E_TRUNCATED);
    err_is(&e, SMBW_E_TRUNCATED, k, sf[k]);
  }
  /* extra bytes are kept; Reserved too */
  static const uint8_t q2[] = {1, 0, 0xAA, 0xBB, 0x0f, 0, 0, 0x80, 9, 8, 7};
  v.data = place(q2, sizeof q2);
  v.len = sizeof q2;
  ck_assert_int_eq(smbw_set_secdesc_req_decode(v, &r, NULL), 0);
  ck_assert_uint_eq(r.reserved, 0xBBAA);
  ck_assert_uint_eq(r.security_info, 0x8000000fu);
  ck_assert_uint_eq(r.extra.len, 3);
  ck_assert_ptr_eq(r.extra.data, v.data + 8);
  check_enc(enc_sreq, &r, q2, sizeof q2);
  check_enc(enc_qreq, &r, q2, sizeof q2);
  /* errors */
  smbw_bytes bad = {NULL, 8};
  e.code = 0;
  ck_assert_int_eq(smbw_query_secdesc_req_decode(bad, &r, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "Parameters");
  ck_assert_int_eq(smbw_set_secdesc_req_decode(v, NULL, NULL), SMBW_E_INVAL);
  size_t len = 4;
  uint8_t out[16];
  ck_assert_int_eq(smbw_query_secdesc_req_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_set_secdesc_req_encode(NULL, 8, &r, &len), SMBW_E_INVAL);
  r.extra.data = NULL;
  ck_assert_int_eq(smbw_set_secdesc_req_encode(out, sizeof out, &r, &len), SMBW_E_INVAL);
  r.extra.data = q2;
  r.extra.len = 0x10000;
  ck_assert_int_eq(smbw_set_secdesc_req_encode(out, sizeof out, &r, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 4);

  /* the response: LengthNeeded */
  static const uint8_t p[] = {0x80, 0, 0, 0, 0xEE};
  v.data = place(p, 4);
  v.len = 4;
  smbw_secdesc_rsp s;
  ck_assert_int_eq(smbw_query_secdesc_rsp_decode(v, &s, NULL), 0);
  ck_assert_uint_eq(s.length_needed, 128);
  ck_assert_uint_eq(s.extra.len, 0);
  check_enc(enc_qrsp, &s, p, 4);
  v.data = place(p, 5);
  v.len = 5;
  ck_assert_int_eq(smbw_query_secdesc_rsp_decode(v, &s, NULL), 0);
  ck_assert_uint_eq(s.extra.len, 1);
  check_enc(enc_qrsp, &s, p, 5);
  for (uint32_t k = 0; k < 4; k++) {
    smbw_bytes c = {k ? place(p, k) : NULL, k};
    e.code = 0;
    ck_assert_int_eq(smbw_query_secdesc_rsp_decode(c, &s, &e), SMBW_E_TRUNCATED);
    err_is(&e, SMBW_E_TRUNCATED, k, "LengthNeeded");
  }
  e.code = 0;
  ck_assert_int_eq(smbw_query_secdesc_rsp_decode(bad, &s, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "Parameters");
  ck_assert_int_eq(smbw_query_secdesc_rsp_decode(v, NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_query_secdesc_rsp_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_query_secdesc_rsp_encode(NULL, 1, &s, &len), SMBW_E_INVAL);
  s.extra.data = NULL;
  ck_assert_int_eq(smbw_query_secdesc_rsp_encode(out, sizeof out, &s, &len), SMBW_E_INVAL);
  s.extra.data = p;
  s.extra.len = 0x10000;
  ck_assert_int_eq(smbw_query_secdesc_rsp_encode(out, sizeof out, &s, &len), SMBW_E_RANGE);
  ck_assert_uint_eq(len, 4);
  ck_assert_uint_eq(SMBW_NT_TRANSACT_SET_SECURITY_DESC, 3);
  ck_assert_uint_eq(SMBW_NT_TRANSACT_QUERY_SECURITY_DESC, 6);
}
END_TEST

int main(void) {
  load_caps();
  Suite *s = suite_create("security");

  TCase *tc = add_tcase(s, "captures", 120, TESTS(test_windows_descriptor,
                                                  test_samba_layout_canonical, test_object_aces,
                                                  test_callback_aces, test_slack_and_padding,
                                                  test_null_and_empty_dacl));
  tcase_add_loop_test(tc, test_captures, 0, NCAPS);

  add_tcase(s, "sid", 0, TESTS(test_sid_decode, test_sid_encode_errors, test_sid_equal,
                               test_sid_string, test_sid_from_string));

  TCase *ta = add_tcase(s, "ace_acl", 120, TESTS(test_ace_types, test_ace_encode_errors,
                                                 test_ace_rules, test_acl_header,
                                                 test_acl_count_lies, test_acl_bounded,
                                                 test_acl_encode_errors, test_acl_build_errors,
                                                 test_acl_iter_args));
  tcase_add_loop_test(ta, test_ace_round_trip, 0, 4);

  add_tcase(s, "descriptor", 0, TESTS(test_sd_decode, test_sd_offsets, test_sd_encode_canonical,
                                      test_sd_encode_errors, test_params));

  return run_suite(s);
}
