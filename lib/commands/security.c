/* Security descriptors (MS-DTYP 2.4.2 SID, 2.4.4 ACE, 2.4.5 ACL, 2.4.6
   SECURITY_DESCRIPTOR in self-relative form) and the parameter blocks of
   NT_TRANSACT_QUERY_SECURITY_DESC / NT_TRANSACT_SET_SECURITY_DESC (MS-CIFS
   2.2.7.6, 2.2.7.3).

   One reader per structure, parameterised by what to report when the
   structure runs past the bytes it may use: standalone it is
   SMBW_E_TRUNCATED, inside an ACE it is the ACE's AceSize that lied, inside
   a descriptor it is the offset field that pointed there.  Every walk is
   bounded by the bytes it consumes (an ACE is at least 4 bytes).  Encoders
   size first and write only when everything fits. */
#include "../core/internal.h"

#include <smbwire/security.h>

/* ---- shared helpers ---------------------------------------------------- */

/* Every failure goes through this one cold, out-of-line function: error
   paths stay out of the decoders' hot code. */
/* What to report when a structure needs more bytes than it may use:
   code 0 means "the input ended" (SMBW_E_TRUNCATED at the end of the
   input, field where it ended); otherwise code/off/field as given. */
typedef struct shortfall {
  int code;
  uint32_t off;
  const char *field;
} shortfall;

static const shortfall TRUNC = {0, 0, NULL};

static int fall_short(const shortfall *sf, uint32_t end, const char *field, smbw_error *err) {
  if (sf->code == 0) return smbw_fail_cold(err, SMBW_E_TRUNCATED, end, field);
  return smbw_fail_cold(err, sf->code, sf->off, sf->field);
}

/* Name of the fixed-layout field that byte n falls in: ends[0 .. nends)
   are the ends of the first fields, names[nends] names the one after. */
static const char *field_at(size_t n, const uint8_t *ends, unsigned nends,
                            const char *const *names) {
  unsigned i = 0;
  while (i < nends && n >= ends[i]) i++;
  return names[i];
}
#define FIELD_AT(n, ends, names) field_at((n), (ends), (unsigned)sizeof(ends), (names))

/* Encoder prologue and epilogue: a NULL buffer only for a size query; the
   size is reported even when it does not fit, and nothing is written
   then. */
static int out_ok(const uint8_t *out, size_t cap) { return out || cap == 0; }

static int size_fits(size_t need, size_t cap, size_t *len) {
  if (len) *len = need;
  return need <= cap ? 0 : SMBW_E_NOSPACE;
}

/* ---- SID (MS-DTYP 2.4.2.2) --------------------------------------------- */

static const uint8_t SID_ENDS[] = {1, 2, 8};
static const char *const SID_NAMES[] = {"Revision", "SubAuthorityCount", "IdentifierAuthority",
                                        "SubAuthority"};

/* Read a SID from p[0 .. avail); off is the error offset of p[0].  The
   fields are checked in wire order as they become available. */
static int sid_read(const uint8_t *p, size_t avail, uint32_t off, smbw_sid *sid,
                    const shortfall *sf, smbw_error *err) {
  if (avail < 1) return fall_short(sf, off, "Revision", err);
  if (p[0] != 1) return smbw_fail_cold(err, SMBW_E_SID, off, "Revision");
  if (avail < 2) return fall_short(sf, off + 1u, "SubAuthorityCount", err);
  unsigned n = p[1];
  if (n > SMBW_SID_MAX_SUB_AUTHORITIES)
    return smbw_fail_cold(err, SMBW_E_SID, off + 1u, "SubAuthorityCount");
  if (avail < SMBW_SID_SIZE(n))
    return fall_short(sf, off + (uint32_t)avail, FIELD_AT(avail, SID_ENDS, SID_NAMES), err);
  sid->revision = 1;
  sid->sub_count = (uint8_t)n;
  uint64_t a = 0;
  for (unsigned i = 2; i < 8; i++) a = a << 8 | p[i];
  sid->authority = a;
  for (unsigned i = 0; i < SMBW_SID_MAX_SUB_AUTHORITIES; i++)
    sid->sub[i] = i < n ? ld32(p + 8 + 4 * i) : 0;
  return 0;
}

/* The rules a SID must meet to be encoded; 0 or the error. */
static int sid_check(const smbw_sid *sid) {
  if (sid->revision != 1 || sid->sub_count > SMBW_SID_MAX_SUB_AUTHORITIES) return SMBW_E_SID;
  if (sid->authority > SMBW_SID_AUTHORITY_MAX) return SMBW_E_RANGE;
  return 0;
}

/* Write a checked SID; returns its size. */
static uint32_t sid_put(uint8_t *p, const smbw_sid *sid) {
  p[0] = 1;
  p[1] = sid->sub_count;
  for (unsigned i = 0; i < 6; i++) p[2 + i] = (uint8_t)(sid->authority >> (8 * (5 - i)));
  for (unsigned i = 0; i < sid->sub_count; i++) st32(p + 8 + 4 * i, sid->sub[i]);
  return SMBW_SID_SIZE(sid->sub_count);
}

SMBW_API int smbw_sid_decode(const uint8_t *buf, size_t len, smbw_sid *sid, smbw_error *err) {
  if (SMBW_UNLIKELY(!sid || (!buf && len))) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "SID");
  return sid_read(buf, len, 0, sid, &TRUNC, err);
}

SMBW_API int smbw_sid_encode(uint8_t *out, size_t cap, const smbw_sid *sid, size_t *len) {
  if (!sid || !out_ok(out, cap)) return SMBW_E_INVAL;
  int rc = sid_check(sid);
  if (rc) return rc;
  rc = size_fits(SMBW_SID_SIZE(sid->sub_count), cap, len);
  if (rc) return rc;
  sid_put(out, sid);
  return 0;
}

SMBW_API int smbw_sid_equal(const smbw_sid *a, const smbw_sid *b) {
  if (a->revision != b->revision || a->sub_count != b->sub_count ||
      a->authority != b->authority)
    return 0;
  unsigned n = a->sub_count < 15 ? a->sub_count : 15;
  for (unsigned i = 0; i < n; i++)
    if (a->sub[i] != b->sub[i]) return 0;
  return 1;
}

/* Decimal digits of v written backwards from the end of tmp; returns the
   count. */
static unsigned u64_digits(uint64_t v, char *end) {
  unsigned n = 0;
  do {
    *--end = (char)('0' + v % 10);
    v /= 10;
    n++;
  } while (v);
  return n;
}

SMBW_API int smbw_sid_to_string(const smbw_sid *sid, char *out, size_t cap, size_t *len) {
  if (!sid || (!out && cap)) return SMBW_E_INVAL;
  int rc = sid_check(sid);
  if (rc) return rc;
  /* Build into a local buffer (the longest string fits), then copy. */
  char s[SMBW_SID_STRING_MAX];
  char tmp[20];
  size_t n = 0;
  s[n++] = 'S';
  s[n++] = '-';
  s[n++] = '1';
  s[n++] = '-';
  if (sid->authority >> 32) {
    /* MS-DTYP 2.4.2.1: an authority of 2^32 or more is "0x" + 12 hex digits. */
    static const char hex[] = "0123456789ABCDEF";
    s[n++] = '0';
    s[n++] = 'x';
    for (int i = 11; i >= 0; i--) s[n++] = hex[(sid->authority >> (4 * i)) & 0xF];
  } else {
    unsigned k = u64_digits(sid->authority, tmp + sizeof tmp);
    memcpy(s + n, tmp + sizeof tmp - k, k);
    n += k;
  }
  for (unsigned i = 0; i < sid->sub_count; i++) {
    s[n++] = '-';
    unsigned k = u64_digits(sid->sub[i], tmp + sizeof tmp);
    memcpy(s + n, tmp + sizeof tmp - k, k);
    n += k;
  }
  if (len) *len = n;
  if (n + 1 > cap) return SMBW_E_NOSPACE;
  memcpy(out, s, n);
  out[n] = 0;
  return 0;
}

/* Parse a decimal or (hex_ok) "0x"-prefixed number at str[*i .. len);
   returns 0, SMBW_E_INVAL (no digit) or SMBW_E_RANGE (over max). */
static int parse_num(const char *str, size_t len, size_t *i, int hex_ok, uint64_t max,
                     uint64_t *v) {
  size_t k = *i;
  uint64_t x = 0;
  unsigned base = 10, digits = 0;
  if (hex_ok && len - k >= 2 && str[k] == '0' && (str[k + 1] == 'x' || str[k + 1] == 'X')) {
    base = 16;
    k += 2;
  }
  for (; k < len; k++) {
    char c = str[k];
    unsigned d;
    if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
    else if (base == 16 && c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
    else if (base == 16 && c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
    else break;
    if (x > (max - d) / base) return SMBW_E_RANGE;
    x = x * base + d;
    digits++;
  }
  if (!digits) return SMBW_E_INVAL;
  *i = k;
  *v = x;
  return 0;
}

SMBW_API int smbw_sid_from_string(const char *str, size_t len, smbw_sid *sid, smbw_error *err) {
  if (!sid || (!str && len)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "SID");
  if (len < 2 || (str[0] != 'S' && str[0] != 's') || str[1] != '-')
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "S");
  size_t i = 2, at;
  uint64_t v;
  at = i;
  int rc = parse_num(str, len, &i, 0, 0xFF, &v);
  if (rc) return smbw_fail_cold(err, rc, (uint32_t)at, "Revision");
  if (v != 1) return smbw_fail_cold(err, SMBW_E_SID, (uint32_t)at, "Revision");
  if (i == len || str[i] != '-') return smbw_fail_cold(err, SMBW_E_INVAL, (uint32_t)i, "Revision");
  at = ++i;
  rc = parse_num(str, len, &i, 1, SMBW_SID_AUTHORITY_MAX, &v);
  if (rc) return smbw_fail_cold(err, rc, (uint32_t)at, "IdentifierAuthority");
  smbw_sid s;
  memset(&s, 0, sizeof s);
  s.revision = 1;
  s.authority = v;
  while (i < len) {
    if (str[i] != '-') return smbw_fail_cold(err, SMBW_E_INVAL, (uint32_t)i, "SubAuthority");
    if (s.sub_count == SMBW_SID_MAX_SUB_AUTHORITIES)
      return smbw_fail_cold(err, SMBW_E_SID, (uint32_t)i, "SubAuthorityCount");
    at = ++i;
    rc = parse_num(str, len, &i, 0, 0xFFFFFFFFu, &v);
    if (rc) return smbw_fail_cold(err, rc, (uint32_t)at, "SubAuthority");
    s.sub[s.sub_count++] = (uint32_t)v;
  }
  *sid = s;
  return 0;
}

/* ---- ACE (MS-DTYP 2.4.4) ----------------------------------------------- */

#define SMBW_X_ACE_LAYOUT(name, value, layout) [value] = SMBW_ACE_LAYOUT_##layout,
static const uint8_t ACE_LAYOUT[256] = {SMBW_ACE_TYPE_LIST(SMBW_X_ACE_LAYOUT)};
#undef SMBW_X_ACE_LAYOUT

#define SMBW_X_ACE_NAME(name, value, layout) [value] = #name "_ACE_TYPE",
static const char *const ACE_NAME[] = {SMBW_ACE_TYPE_LIST(SMBW_X_ACE_NAME)};
#undef SMBW_X_ACE_NAME

SMBW_API const char *smbw_ace_type_name(uint8_t type) {
  return type < sizeof ACE_NAME / sizeof ACE_NAME[0] ? ACE_NAME[type] : NULL;
}

SMBW_API int smbw_ace_type_layout(uint8_t type) { return ACE_LAYOUT[type]; }

/* Smallest AceSize of a layout before the object flags are known: the
   header, Mask (and Flags) and the 8 fixed bytes of a SID. */
static const uint8_t ACE_MIN[3] = {4, 16, 20};

/*
 * Read the ACE at p[pos ..] of an ACE area p[0 .. len) (pos <= len).
 * base is the error offset of p[0], count_off that of the ACL's AceCount
 * (blamed when the area has no room left for another ACE).
 */
static int ace_read(const uint8_t *p, uint32_t len, uint32_t pos, uint32_t base,
                    uint32_t count_off, smbw_ace *ace, smbw_error *err) {
  const uint32_t off = base + pos;
  const uint32_t rem = len - pos;
  if (rem < 4) return smbw_fail_cold(err, SMBW_E_ACL, count_off, "AceCount");
  const uint8_t *a = p + pos;
  const uint16_t size = ld16(a + 2);
  const uint8_t layout = ACE_LAYOUT[a[0]];
  /* MS-DTYP 2.4.4.1: AceSize MUST be a multiple of 4 (Windows' RtlValidAcl
     asks that of the basic types only, Samba aligns every ACE to 4). */
  if (size < ACE_MIN[layout] || size % 4 || size > rem)
    return smbw_fail_cold(err, SMBW_E_ACL, off + 2u, "AceSize");
  memset(ace, 0, sizeof *ace);
  ace->type = a[0];
  ace->flags = a[1];
  ace->size = size;
  ace->layout = layout;
  ace->offset = off;
  ace->body.data = a + 4;
  ace->body.len = size - 4u;
  if (layout == SMBW_ACE_LAYOUT_RAW) return 0;
  ace->mask = ld32(a + 4);
  uint32_t at = 8;
  if (layout == SMBW_ACE_LAYOUT_OBJECT) {
    uint32_t f = ld32(a + 8);
    ace->object_flags = f;
    at = 12;
    uint32_t need = 20u + (f & SMBW_ACE_OBJECT_TYPE_PRESENT ? 16u : 0u) +
                    (f & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT ? 16u : 0u);
    if (size < need) return smbw_fail_cold(err, SMBW_E_ACL, off + 2u, "AceSize");
    if (f & SMBW_ACE_OBJECT_TYPE_PRESENT) {
      memcpy(ace->object_type, a + at, 16);
      at += 16;
    }
    if (f & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT) {
      memcpy(ace->inherited_object_type, a + at, 16);
      at += 16;
    }
  }
  const shortfall sf = {SMBW_E_ACL, off + 2u, "AceSize"};
  int rc = sid_read(a + at, size - at, off + at, &ace->sid, &sf, err);
  if (rc) return rc;
  at += SMBW_SID_SIZE(ace->sid.sub_count);
  ace->app_data.data = a + at;
  ace->app_data.len = size - at;
  return 0;
}

/* Size of an ACE as the encoder writes it, after checking it; 0 or the
   error. */
static int ace_size(const smbw_ace *ace, uint32_t *size) {
  int layout = ACE_LAYOUT[ace->type];
  uint32_t n;
  if (layout == SMBW_ACE_LAYOUT_RAW) {
    if (smbw_view_bad(ace->body)) return SMBW_E_INVAL;
    if (ace->body.len > 0xFFFFu - 4u) return SMBW_E_RANGE;
    n = 4u + ace->body.len;
  } else {
    int rc = sid_check(&ace->sid);
    if (rc) return rc;
    if (smbw_view_bad(ace->app_data)) return SMBW_E_INVAL;
    if (ace->app_data.len > 0xFFFFu) return SMBW_E_RANGE;
    n = 8u + SMBW_SID_SIZE(ace->sid.sub_count) + ace->app_data.len;
    if (layout == SMBW_ACE_LAYOUT_OBJECT)
      n += 4u + (ace->object_flags & SMBW_ACE_OBJECT_TYPE_PRESENT ? 16u : 0u) +
           (ace->object_flags & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT ? 16u : 0u);
    if (n > 0xFFFFu) return SMBW_E_RANGE;
  }
  if (n % 4) return SMBW_E_ACL;
  *size = n;
  return 0;
}

/* Write a checked ACE of the given size. */
static void ace_put(uint8_t *a, const smbw_ace *ace, uint32_t size) {
  int layout = ACE_LAYOUT[ace->type];
  a[0] = ace->type;
  a[1] = ace->flags;
  st16(a + 2, (uint16_t)size);
  if (layout == SMBW_ACE_LAYOUT_RAW) {
    if (ace->body.len) memmove(a + 4, ace->body.data, ace->body.len);
    return;
  }
  st32(a + 4, ace->mask);
  uint32_t at = 8;
  if (layout == SMBW_ACE_LAYOUT_OBJECT) {
    st32(a + 8, ace->object_flags);
    at = 12;
    if (ace->object_flags & SMBW_ACE_OBJECT_TYPE_PRESENT) {
      memcpy(a + at, ace->object_type, 16);
      at += 16;
    }
    if (ace->object_flags & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT) {
      memcpy(a + at, ace->inherited_object_type, 16);
      at += 16;
    }
  }
  at += sid_put(a + at, &ace->sid);
  if (ace->app_data.len) memmove(a + at, ace->app_data.data, ace->app_data.len);
}

SMBW_API int smbw_ace_encode_(uint8_t *out, size_t cap, const smbw_ace *ace, size_t ace_size_,
                              size_t *len) {
  if (!ace || ace_size_ < SMBW_FIRST_SIZE(smbw_ace, offset) || !out_ok(out, cap)) return SMBW_E_INVAL;
  smbw_ace in;
  smbw_get_sized(&in, sizeof in, ace, ace_size_);
  ace = &in;
  uint32_t size;
  int rc = ace_size(ace, &size);
  if (rc) return rc;
  rc = size_fits(size, cap, len);
  if (rc) return rc;
  ace_put(out, ace, size);
  return 0;
}

/* ---- ACL (MS-DTYP 2.4.5) ----------------------------------------------- */

static const uint8_t ACL_ENDS[] = {1, 2, 4, 6};
static const char *const ACL_NAMES[] = {"AclRevision", "Sbz1", "AclSize", "AceCount", "Sbz2"};

/* Walk count ACEs of p[0 .. len); *end receives where the last one ends. */
static int aces_walk(const uint8_t *p, uint32_t len, uint32_t count, uint32_t base,
                     uint32_t count_off, uint32_t *end, smbw_error *err) {
  uint32_t pos = 0;
  smbw_ace ace;
  for (uint32_t i = 0; i < count; i++) {
    int rc = ace_read(p, len, pos, base, count_off, &ace, err);
    if (rc) return rc;
    pos += ace.size;
  }
  *end = pos;
  return 0;
}

/* Read an ACL from p[0 .. avail); off is the error offset of p[0]. */
static int acl_read(const uint8_t *p, size_t avail, uint32_t off, smbw_acl *acl,
                    const shortfall *sf, smbw_error *err) {
  if (avail < 1) return fall_short(sf, off, "AclRevision", err);
  if (p[0] != SMBW_ACL_REVISION && p[0] != SMBW_ACL_REVISION_DS)
    return smbw_fail_cold(err, SMBW_E_ACL, off, "AclRevision");
  if (avail < SMBW_ACL_HEADER_SIZE)
    return fall_short(sf, off + (uint32_t)avail, FIELD_AT(avail, ACL_ENDS, ACL_NAMES), err);
  uint16_t size = ld16(p + 2);
  if (size < SMBW_ACL_HEADER_SIZE) return smbw_fail_cold(err, SMBW_E_ACL, off + 2u, "AclSize");
  if (size > avail) return fall_short(sf, off + (uint32_t)avail, "AclSize", err);
  uint16_t count = ld16(p + 4);
  uint32_t end;
  int rc = aces_walk(p + 8, size - 8u, count, off + 8u, off + 4u, &end, err);
  if (rc) return rc;
  acl->revision = p[0];
  acl->sbz1 = p[1];
  acl->size = size;
  acl->count = count;
  acl->sbz2 = ld16(p + 6);
  acl->aces.data = p + 8;
  acl->aces.len = end;
  acl->trailing.data = p + 8 + end;
  acl->trailing.len = size - 8u - end;
  acl->offset = off;
  return 0;
}

SMBW_API int smbw_acl_decode(const uint8_t *buf, size_t len, smbw_acl *acl, smbw_error *err) {
  if (SMBW_UNLIKELY(!acl || (!buf && len))) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "ACL");
  return acl_read(buf, len, 0, acl, &TRUNC, err);
}

/* Size of an ACL view as the encoder writes it, after checking it. */
static int acl_size(const smbw_acl *acl, uint32_t *size) {
  if (acl->revision != SMBW_ACL_REVISION && acl->revision != SMBW_ACL_REVISION_DS)
    return SMBW_E_ACL;
  if (smbw_view_bad(acl->aces) || smbw_view_bad(acl->trailing)) return SMBW_E_INVAL;
  if (acl->aces.len > 0xFFFFu || acl->trailing.len > 0xFFFFu ||
      SMBW_ACL_HEADER_SIZE + acl->aces.len + acl->trailing.len > 0xFFFFu)
    return SMBW_E_RANGE;
  uint32_t end;
  int rc = aces_walk(acl->aces.data, acl->aces.len, acl->count, 0, 0, &end, NULL);
  if (rc) return rc;
  if (end != acl->aces.len) return SMBW_E_ACL;
  *size = SMBW_ACL_HEADER_SIZE + acl->aces.len + acl->trailing.len;
  return 0;
}

static void acl_put(uint8_t *p, const smbw_acl *acl, uint32_t size) {
  p[0] = acl->revision;
  p[1] = acl->sbz1;
  st16(p + 2, (uint16_t)size);
  st16(p + 4, acl->count);
  st16(p + 6, acl->sbz2);
  if (acl->aces.len) memmove(p + 8, acl->aces.data, acl->aces.len);
  if (acl->trailing.len) memmove(p + 8 + acl->aces.len, acl->trailing.data, acl->trailing.len);
}

SMBW_API int smbw_acl_encode(uint8_t *out, size_t cap, const smbw_acl *acl, size_t *len) {
  if (!acl || !out_ok(out, cap)) return SMBW_E_INVAL;
  uint32_t size;
  int rc = acl_size(acl, &size);
  if (rc) return rc;
  rc = size_fits(size, cap, len);
  if (rc) return rc;
  acl_put(out, acl, size);
  return 0;
}

SMBW_API int smbw_acl_build_(uint8_t *out, size_t cap, uint8_t revision, const smbw_ace *aces,
                             size_t aces_size, size_t n, size_t *len) {
  if ((!aces && n) || aces_size < SMBW_FIRST_SIZE(smbw_ace, offset) || !out_ok(out, cap)) return SMBW_E_INVAL;
  if (revision != SMBW_ACL_REVISION && revision != SMBW_ACL_REVISION_DS) return SMBW_E_ACL;
  if (n > 0xFFFFu) return SMBW_E_RANGE;
  uint32_t total = SMBW_ACL_HEADER_SIZE, size;
  smbw_ace a;
  for (size_t i = 0; i < n; i++) {
    smbw_get_sized(&a, sizeof a, (const uint8_t *)aces + i * aces_size, aces_size);
    int rc = ace_size(&a, &size);
    if (rc) return rc;
    total += size; /* at most 65535 ACEs of at most 65532 bytes: no wrap */
  }
  if (total > 0xFFFFu) return SMBW_E_RANGE;
  int rc = size_fits(total, cap, len);
  if (rc) return rc;
  out[0] = revision;
  out[1] = 0;
  st16(out + 2, (uint16_t)total);
  st16(out + 4, (uint16_t)n);
  st16(out + 6, 0);
  uint32_t at = SMBW_ACL_HEADER_SIZE;
  for (size_t i = 0; i < n; i++) {
    smbw_get_sized(&a, sizeof a, (const uint8_t *)aces + i * aces_size, aces_size);
    ace_size(&a, &size);
    ace_put(out + at, &a, size);
    at += size;
  }
  return 0;
}

SMBW_API void smbw_acl_iter_init(smbw_acl_iter *it, const smbw_acl *acl) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  if (!acl) return;
  it->p = acl->aces.data;
  it->len = acl->aces.data ? acl->aces.len : 0;
  it->base = acl->offset + SMBW_ACL_HEADER_SIZE;
  it->count_off = acl->offset + 4u;
  it->left = acl->count;
}

SMBW_API int smbw_acl_iter_next_(smbw_acl_iter *it, smbw_ace *ace, size_t ace_size_,
                                 smbw_error *err) {
  if (SMBW_UNLIKELY(!it || !ace || ace_size_ < SMBW_FIRST_SIZE(smbw_ace, offset))) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "iterator");
  if (SMBW_UNLIKELY(it->err)) return smbw_fail_cold(err, it->err, it->err_off, it->err_field);
  if (it->left == 0) return 0;
  smbw_error e;
  smbw_ace v;
  int rc = ace_read(it->p, it->len, it->pos, it->base, it->count_off, &v, &e);
  if (rc) {
    it->err = rc;
    it->err_off = e.offset;
    it->err_field = e.field;
    return smbw_fail_cold(err, rc, e.offset, e.field);
  }
  it->pos += v.size;
  it->left--;
  smbw_put_sized(ace, ace_size_, &v, sizeof v);
  return 1;
}

/* ---- SECURITY_DESCRIPTOR (MS-DTYP 2.4.6) -------------------------------- */

static const uint8_t SD_ENDS[] = {1, 2, 4, 8, 12, 16};
static const char *const SD_NAMES[] = {"Revision",    "Sbz1",       "Control",   "OffsetOwner",
                                       "OffsetGroup", "OffsetSacl", "OffsetDacl"};

/* The four parts in offset-field order (owner, group, SACL, DACL). */
enum { P_OWNER, P_GROUP, P_SACL, P_DACL, P_N };
static const char *const PART_FIELD[P_N] = {"OffsetOwner", "OffsetGroup", "OffsetSacl",
                                            "OffsetDacl"};

/* [a, a + an) and [b, b + bn) share a byte (both non-empty). */
static int overlap(uint64_t a, uint64_t an, uint64_t b, uint64_t bn) {
  return a < b + bn && b < a + an;
}

SMBW_API int smbw_sd_decode(const uint8_t *buf, size_t len, smbw_sd *sd, smbw_error *err) {
  if (SMBW_UNLIKELY(!sd || (!buf && len))) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "SD");
  if (len < 1) return smbw_fail_cold(err, SMBW_E_TRUNCATED, 0, "Revision");
  if (buf[0] != 1) return smbw_fail_cold(err, SMBW_E_REVISION, 0, "Revision");
  if (len < SMBW_SD_HEADER_SIZE)
    return smbw_fail_cold(err, SMBW_E_TRUNCATED, (uint32_t)len, FIELD_AT(len, SD_ENDS, SD_NAMES));
  memset(sd, 0, sizeof *sd);
  sd->revision = 1;
  sd->sbz1 = buf[1];
  sd->control = ld16(buf + 2);
  /* Offsets are 32-bit: nothing past 2^32 - 1 can belong to a descriptor,
     and with n32 below that no part end can wrap. */
  const uint32_t n32 = len > 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)len;
  uint32_t off[P_N], end[P_N];
  uint32_t size = SMBW_SD_HEADER_SIZE;
  for (unsigned i = 0; i < P_N; i++) {
    const uint32_t o = off[i] = ld32(buf + 4 + 4 * i);
    end[i] = 0;
    if (o == 0) continue;
    const shortfall sf = {SMBW_E_SD_OFFSET, 4 + 4 * i, PART_FIELD[i]};
    if (o < SMBW_SD_HEADER_SIZE || o >= n32)
      return smbw_fail_cold(err, SMBW_E_SD_OFFSET, sf.off, sf.field);
    int rc;
    uint32_t n;
    if (i == P_OWNER || i == P_GROUP) {
      smbw_sid *sid = i == P_OWNER ? &sd->owner : &sd->group;
      rc = sid_read(buf + o, n32 - o, o, sid, &sf, err);
      n = SMBW_SID_SIZE(sid->sub_count);
    } else {
      smbw_acl *acl = i == P_SACL ? &sd->sacl : &sd->dacl;
      rc = acl_read(buf + o, n32 - o, o, acl, &sf, err);
      n = acl->size;
    }
    if (rc) return rc;
    for (unsigned j = 0; j < i; j++)
      if (end[j] && overlap(o, n, off[j], end[j] - off[j]))
        return smbw_fail_cold(err, SMBW_E_SD_OFFSET, sf.off, sf.field);
    end[i] = o + n; /* <= n32: the part was read inside it */
    if (end[i] > size) size = end[i];
  }
  sd->offset_owner = off[P_OWNER];
  sd->offset_group = off[P_GROUP];
  sd->offset_sacl = off[P_SACL];
  sd->offset_dacl = off[P_DACL];
  sd->has_owner = off[P_OWNER] != 0;
  sd->has_group = off[P_GROUP] != 0;
  sd->has_sacl = off[P_SACL] != 0;
  sd->has_dacl = off[P_DACL] != 0;
  sd->size = size;
  sd->raw.data = buf;
  sd->raw.len = size;
  return 0;
}

/* Where each present part of a descriptor goes: the layout smbw_sd
   documents.  Returns 0 or the error; *total receives the size. */
typedef struct sd_plan {
  uint8_t has[P_N];
  uint32_t off[P_N];
  uint32_t size[P_N];
  uint32_t total;
} sd_plan;

static int sd_plan_make(const smbw_sd *sd, sd_plan *pl) {
  const uint32_t given[P_N] = {sd->offset_owner, sd->offset_group, sd->offset_sacl,
                               sd->offset_dacl};
  pl->has[P_OWNER] = sd->has_owner != 0;
  pl->has[P_GROUP] = sd->has_group != 0;
  pl->has[P_SACL] = sd->has_sacl != 0;
  pl->has[P_DACL] = sd->has_dacl != 0;
  for (unsigned i = 0; i < P_N; i++) {
    pl->off[i] = 0;
    pl->size[i] = 0;
    if (!pl->has[i]) continue;
    int rc = i == P_OWNER   ? sid_check(&sd->owner)
             : i == P_GROUP ? sid_check(&sd->group)
             : i == P_SACL  ? acl_size(&sd->sacl, &pl->size[i])
                            : acl_size(&sd->dacl, &pl->size[i]);
    if (rc) return rc;
    if (i == P_OWNER) pl->size[i] = SMBW_SID_SIZE(sd->owner.sub_count);
    if (i == P_GROUP) pl->size[i] = SMBW_SID_SIZE(sd->group.sub_count);
  }
  /* Explicitly placed parts first: inside the 32-bit space, past the
     header, not overlapping one another. */
  uint64_t hi = SMBW_SD_HEADER_SIZE;
  for (unsigned i = 0; i < P_N; i++) {
    if (!pl->has[i] || !given[i]) continue;
    if (given[i] < SMBW_SD_HEADER_SIZE) return SMBW_E_SD_OFFSET;
    uint64_t e = (uint64_t)given[i] + pl->size[i];
    if (e > 0xFFFFFFFFu) return SMBW_E_RANGE;
    for (unsigned j = 0; j < i; j++)
      if (pl->off[j] && overlap(given[i], pl->size[i], pl->off[j], pl->size[j]))
        return SMBW_E_SD_OFFSET;
    pl->off[i] = given[i];
    if (e > hi) hi = e;
  }
  /* Then the others, canonically: SACL, DACL, owner, group, each 4-byte
     aligned. */
  static const uint8_t order[P_N] = {P_SACL, P_DACL, P_OWNER, P_GROUP};
  for (unsigned k = 0; k < P_N; k++) {
    unsigned i = order[k];
    if (!pl->has[i] || given[i]) continue;
    uint64_t at = (hi + 3u) & ~(uint64_t)3u;
    uint64_t e = at + pl->size[i];
    if (e > 0xFFFFFFFFu) return SMBW_E_RANGE;
    pl->off[i] = (uint32_t)at;
    hi = e;
  }
  pl->total = (uint32_t)hi;
  return 0;
}

SMBW_API int smbw_sd_encode(uint8_t *out, size_t cap, const smbw_sd *sd, size_t *len) {
  if (!sd || !out_ok(out, cap) || smbw_view_bad(sd->raw)) return SMBW_E_INVAL;
  if (sd->revision != 1) return SMBW_E_INVAL;
  sd_plan pl;
  int rc = sd_plan_make(sd, &pl);
  if (rc) return rc;
  rc = size_fits(pl.total, cap, len);
  if (rc) return rc;
  /* Gaps: the bytes read, when the descriptor keeps its size; else 0. */
  if (sd->raw.len == pl.total) memmove(out, sd->raw.data, pl.total);
  else memset(out, 0, pl.total);
  out[0] = 1;
  out[1] = sd->sbz1;
  st16(out + 2, sd->control);
  for (unsigned i = 0; i < P_N; i++) st32(out + 4 + 4 * i, pl.off[i]);
  if (pl.has[P_OWNER]) sid_put(out + pl.off[P_OWNER], &sd->owner);
  if (pl.has[P_GROUP]) sid_put(out + pl.off[P_GROUP], &sd->group);
  if (pl.has[P_SACL]) acl_put(out + pl.off[P_SACL], &sd->sacl, pl.size[P_SACL]);
  if (pl.has[P_DACL]) acl_put(out + pl.off[P_DACL], &sd->dacl, pl.size[P_DACL]);
  return 0;
}

/* ---- NT_TRANSACT parameter blocks (MS-CIFS 2.2.7.3.1, 2.2.7.6) ----------- */

static int secdesc_req_read(smbw_bytes params, smbw_secdesc_req *out, size_t out_size,
                            const char *info, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_secdesc_req, extra) || smbw_view_bad(params))
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "Parameters");
  static const uint8_t ends[] = {2, 4};
  const char *const names[] = {"FID", "Reserved", info};
  if (params.len < SMBW_SECDESC_REQ_SIZE)
    return smbw_fail_cold(err, SMBW_E_TRUNCATED, params.len, FIELD_AT(params.len, ends, names));
  const uint8_t *p = params.data;
  smbw_secdesc_req v;
  v.fid = ld16(p);
  v.reserved = ld16(p + 2);
  v.security_info = ld32(p + 4);
  v.extra.data = p + SMBW_SECDESC_REQ_SIZE;
  v.extra.len = params.len - SMBW_SECDESC_REQ_SIZE;
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

static int secdesc_req_write(uint8_t *out, size_t cap, const smbw_secdesc_req *r, size_t r_size,
                             size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_secdesc_req, extra)) return SMBW_E_INVAL;
  smbw_secdesc_req in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  if (!out_ok(out, cap) || smbw_view_bad(r->extra)) return SMBW_E_INVAL;
  if (r->extra.len > 0xFFFFu) return SMBW_E_RANGE;
  int rc = size_fits(SMBW_SECDESC_REQ_SIZE + (size_t)r->extra.len, cap, len);
  if (rc) return rc;
  st16(out, r->fid);
  st16(out + 2, r->reserved);
  st32(out + 4, r->security_info);
  if (r->extra.len) memmove(out + SMBW_SECDESC_REQ_SIZE, r->extra.data, r->extra.len);
  return 0;
}

SMBW_API int smbw_query_secdesc_req_decode_(smbw_bytes params, smbw_secdesc_req *out,
                                            size_t out_size, smbw_error *err) {
  return secdesc_req_read(params, out, out_size, "SecurityInfoFields", err);
}

SMBW_API int smbw_query_secdesc_req_encode_(uint8_t *out, size_t cap, const smbw_secdesc_req *r,
                                            size_t r_size, size_t *len) {
  return secdesc_req_write(out, cap, r, r_size, len);
}

SMBW_API int smbw_set_secdesc_req_decode_(smbw_bytes params, smbw_secdesc_req *out,
                                          size_t out_size, smbw_error *err) {
  return secdesc_req_read(params, out, out_size, "SecurityInformation", err);
}

SMBW_API int smbw_set_secdesc_req_encode_(uint8_t *out, size_t cap, const smbw_secdesc_req *r,
                                          size_t r_size, size_t *len) {
  return secdesc_req_write(out, cap, r, r_size, len);
}

SMBW_API int smbw_query_secdesc_rsp_decode_(smbw_bytes params, smbw_secdesc_rsp *out,
                                            size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_secdesc_rsp, extra) || smbw_view_bad(params))
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "Parameters");
  if (params.len < SMBW_SECDESC_RSP_SIZE)
    return smbw_fail_cold(err, SMBW_E_TRUNCATED, params.len, "LengthNeeded");
  smbw_secdesc_rsp v;
  v.length_needed = ld32(params.data);
  v.extra.data = params.data + SMBW_SECDESC_RSP_SIZE;
  v.extra.len = params.len - SMBW_SECDESC_RSP_SIZE;
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

SMBW_API int smbw_query_secdesc_rsp_encode_(uint8_t *out, size_t cap, const smbw_secdesc_rsp *r,
                                            size_t r_size, size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_secdesc_rsp, extra)) return SMBW_E_INVAL;
  smbw_secdesc_rsp in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  if (!out_ok(out, cap) || smbw_view_bad(r->extra)) return SMBW_E_INVAL;
  if (r->extra.len > 0xFFFFu) return SMBW_E_RANGE;
  int rc = size_fits(SMBW_SECDESC_RSP_SIZE + (size_t)r->extra.len, cap, len);
  if (rc) return rc;
  st32(out, r->length_needed);
  if (r->extra.len) memmove(out + SMBW_SECDESC_RSP_SIZE, r->extra.data, r->extra.len);
  return 0;
}
