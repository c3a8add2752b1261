/*
 * DFS referral entries (MS-DFSC 2.2.5): the one payload of the records'
 * reach that the rows cannot express.  An entry's layout depends on its
 * VersionNumber (and, for versions 3 and 4, on a flag), its length is its
 * Size field, and the strings of versions 2 to 4 are not inside it: each
 * is located by a 16-bit offset from the start of its entry, usually in a
 * string area after all the entries, and several offsets may share one
 * string.  So this file walks the entries by hand, one typed struct for
 * every version (info.h), and the header in front of them
 * (RESP_GET_DFS_REFERRAL) stays a record.
 *
 * The rules (doc/transactions.md, "DFS referrals"): an entry needs the
 * fixed part of its version and a Size that holds it and stays in the
 * area; a string offset is 0 (absent) or points at or after the end of
 * all the entries, at a NUL-terminated UTF-16 string inside the area.
 */
#include "../core/internal.h"

#include <smbwire/info.h>

/* bytes of the fixed part of an entry, by version and flags */
static uint32_t fixed_size(uint16_t version, uint16_t flags) {
  switch (version) {
  case 1: return 8;
  case 2: return 22;
  case 3:
  case 4: return flags & SMBW_DFS_NAME_LIST_REFERRAL ? 18u : 34u;
  default: return 0;
  }
}

/* The UTF-16 NUL-terminated string at [at, end) of p: its length in bytes
   without the terminator, or -1 when it has none. */
static int64_t utf16z(const uint8_t *p, uint32_t at, uint32_t end) {
  for (uint32_t i = at; i < end && end - i >= 2; i += 2)
    if (p[i] == 0 && p[i + 1] == 0) return (int64_t)(i - at);
  return -1;
}

/* Where the entries end: walk the Size chain of `count` entries from 0.
   Only the 4-byte heads are read; their checks come again, with the rest
   of each entry, in smbw_dfs_referral_next(); a broken chain ends the
   walk where it breaks, and the entry there is refused when reached. */
static uint32_t entries_end(smbw_bytes a, uint16_t count) {
  uint32_t pos = 0;
  for (unsigned i = 0; i < count; i++) {
    if (a.len - pos < 4) break;
    const uint16_t size = ld16(a.data + pos + 2);
    if (!size || size > a.len - pos) break; /* refused when the walk gets there */
    pos += size;
  }
  return pos;
}

SMBW_API void smbw_dfs_referral_iter_init(smbw_dfs_referral_iter *it, smbw_bytes area,
                                          uint16_t count) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  it->area = area;
  it->left = count;
  it->done = smbw_view_bad(area) || !count;
  /* once, so that a walk stays linear in the entries */
  if (!it->done) it->strings_at = entries_end(area, count);
}

/* The string at offset `off` from the entry at `pos`: absent for 0. */
static int entry_str(smbw_bytes a, uint32_t pos, uint32_t floor, uint16_t off, uint32_t field_at,
                     const char *field, smbw_str *s, smbw_error *err) {
  memset(s, 0, sizeof *s);
  s->enc = SMBW_STR_UTF16LE;
  if (!off) return 0;
  if (off >= a.len - pos || pos + off < floor)
    return smbw_fail_cold(err, SMBW_E_DATA_OFFSET, field_at, field);
  const uint32_t at = pos + off;
  const int64_t n = utf16z(a.data, at, a.len);
  if (n < 0) return smbw_fail_cold(err, SMBW_E_STR_UNTERMINATED, at, field);
  s->data = a.data + at;
  s->len = (uint32_t)n;
  return 0;
}

SMBW_API int smbw_dfs_referral_next(smbw_dfs_referral_iter *it, smbw_dfs_referral *out,
                                    smbw_error *err) {
  if (!it || !out) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "referral");
  if (it->done || !it->left) return 0;
  const smbw_bytes a = it->area;
  const uint32_t pos = it->pos, room = a.len - pos;
  const uint8_t *p = a.data + pos;
  it->done = 1; /* until this entry reads */
  static const char *const head[] = {"VersionNumber", "Size", "ServerType", "ReferralEntryFlags"};
  if (room < 8) return smbw_fail_cold(err, SMBW_E_TRUNCATED, pos + room / 2 * 2, head[room / 2]);
  smbw_dfs_referral v;
  memset(&v, 0, sizeof v);
  v.version_number = ld16(p);
  v.size = ld16(p + 2);
  v.server_type = ld16(p + 4);
  v.referral_entry_flags = ld16(p + 6);
  const uint32_t fixed = fixed_size(v.version_number, v.referral_entry_flags);
  if (!fixed) return smbw_fail_cold(err, SMBW_E_REVISION, pos, "VersionNumber");
  if (room < fixed) return smbw_fail_cold(err, SMBW_E_TRUNCATED, pos + room, "referral entry");
  if (v.size < fixed || v.size > room) return smbw_fail_cold(err, SMBW_E_FIELD_LENGTH, pos + 2, "Size");
  /* the string area starts after the last entry */
  const uint32_t strings_at = it->strings_at;
  int rc = 0;
  if (v.version_number == 1) {
    const int64_t n = utf16z(a.data, pos + 8, pos + v.size);
    if (n < 0) return smbw_fail_cold(err, SMBW_E_STR_UNTERMINATED, pos + 8, "ShareName");
    v.share_name = (smbw_str){p + 8, (uint32_t)n, SMBW_STR_UTF16LE, 0, 0};
    v.extra = (smbw_bytes){p + 8 + n + 2, v.size - 8u - (uint32_t)n - 2u};
  } else {
    uint32_t o = 12; /* the offsets of v3/v4 */
    if (v.version_number == 2) {
      v.proximity = ld32(p + 8);
      v.time_to_live = ld32(p + 12);
      o = 16;
    } else {
      v.time_to_live = ld32(p + 8);
    }
    v.dfs_path_offset = ld16(p + o);
    v.dfs_alternate_path_offset = ld16(p + o + 2);
    v.network_address_offset = ld16(p + o + 4);
    v.extra = (smbw_bytes){p + fixed, v.size - fixed};
    if (fixed == 34) memcpy(v.service_site_guid, p + 18, 16);
    if (fixed == 18) { /* a name list: SpecialName, then the expanded names */
      rc = entry_str(a, pos, strings_at, v.dfs_path_offset, pos + o, "SpecialNameOffset",
                     &v.dfs_path, err);
      if (rc) return rc;
      const uint16_t count = v.dfs_alternate_path_offset, off = v.network_address_offset;
      if (count) {
        rc = entry_str(a, pos, strings_at, off, pos + o + 4, "ExpandedNameOffset",
                       &v.network_address, err);
        if (rc) return rc;
        if (!off) return smbw_fail_cold(err, SMBW_E_COUNT, pos + o + 2, "NumberOfExpandedNames");
        uint32_t at = pos + off;
        for (unsigned i = 0; i < count; i++) {
          const int64_t n = utf16z(a.data, at, a.len);
          if (n < 0)
            return smbw_fail_cold(err, SMBW_E_COUNT, pos + o + 2, "NumberOfExpandedNames");
          at += (uint32_t)n + 2;
        }
        v.expanded_names = (smbw_bytes){a.data + pos + off, at - pos - off};
      }
    } else {
      rc = entry_str(a, pos, strings_at, v.dfs_path_offset, pos + o, "DFSPathOffset", &v.dfs_path,
                     err);
      if (!rc)
        rc = entry_str(a, pos, strings_at, v.dfs_alternate_path_offset, pos + o + 2,
                       "DFSAlternatePathOffset", &v.dfs_alternate_path, err);
      if (!rc)
        rc = entry_str(a, pos, strings_at, v.network_address_offset, pos + o + 4,
                       "NetworkAddressOffset", &v.network_address, err);
      if (rc) return rc;
    }
  }
  *out = v;
  it->pos += v.size;
  it->left--;
  it->done = 0;
  return 1;
}

SMBW_API int smbw_dfs_name_next(smbw_bytes names, uint32_t *pos, smbw_str *name) {
  if (!pos || !name || smbw_view_bad(names)) return SMBW_E_INVAL;
  if (*pos >= names.len) return 0;
  const int64_t n = utf16z(names.data, *pos, names.len);
  if (n < 0) return SMBW_E_STR_UNTERMINATED;
  *name = (smbw_str){names.data + *pos, (uint32_t)n, SMBW_STR_UTF16LE, 0, 0};
  *pos += (uint32_t)n + 2;
  return 1;
}

/* ---- encoding ---- */

/* The wire size of an entry (not its strings). */
static int entry_size(const smbw_dfs_referral *e, uint32_t *size) {
  const uint32_t fixed = fixed_size(e->version_number, e->referral_entry_flags);
  if (!fixed) return SMBW_E_INVAL;
  if (smbw_view_bad(e->extra)) return SMBW_E_INVAL;
  uint32_t n = fixed + e->extra.len;
  if (e->version_number == 1) {
    if (e->share_name.len && !e->share_name.data) return SMBW_E_INVAL;
    if (e->share_name.len & 1u) return SMBW_E_INVAL;
    n += e->share_name.len + 2;
  }
  if (n < e->size) n = e->size;
  if (n > 0xFFFF) return SMBW_E_RANGE;
  *size = n;
  return 0;
}

typedef struct dfs_str {
  const uint8_t *data;
  uint32_t len; /* with the terminator */
} dfs_str;

/* The strings of an entry in wire order with their offsets (0: place it);
   returns how many. */
static unsigned entry_strs(const smbw_dfs_referral *e, dfs_str s[3], uint16_t off[3]) {
  if (e->version_number == 1) return 0;
  const int list = fixed_size(e->version_number, e->referral_entry_flags) == 18;
  const smbw_str *v[3] = {&e->dfs_path, &e->dfs_alternate_path, &e->network_address};
  const uint16_t o[3] = {e->dfs_path_offset, e->dfs_alternate_path_offset,
                         e->network_address_offset};
  unsigned n = 0;
  for (unsigned i = 0; i < 3; i++) {
    if (list && i == 1) continue; /* NumberOfExpandedNames, not an offset */
    if (list && i == 2) {         /* the expanded names as one run */
      s[n] = (dfs_str){e->expanded_names.data, e->expanded_names.len};
      off[n++] = e->expanded_names.len ? o[2] : 0;
      continue;
    }
    s[n] = (dfs_str){v[i]->data, v[i]->data ? v[i]->len + 2 : 0};
    off[n++] = v[i]->data ? o[i] : 0;
  }
  return n;
}

SMBW_API int smbw_dfs_referrals_encode(const smbw_dfs_referral *v, unsigned n, uint8_t *buf,
                                       size_t cap, size_t *need) {
  if ((!v && n) || (!buf && cap)) return SMBW_E_INVAL;
  if (n > 0xFFFF) return SMBW_E_RANGE;
  /* pass 1: the entries end to end, then the strings: sizes and offsets */
  uint32_t entries = 0, total;
  for (unsigned i = 0; i < n; i++) {
    uint32_t size;
    int rc = entry_size(&v[i], &size);
    if (rc) return rc;
    entries += size;
    if (entries > 0xFFFF) return SMBW_E_RANGE;
  }
  total = entries;
  for (unsigned i = 0, at = 0; i < n; i++) {
    uint32_t size;
    (void)entry_size(&v[i], &size);
    dfs_str s[3];
    uint16_t off[3];
    const unsigned k = entry_strs(&v[i], s, off);
    for (unsigned j = 0; j < k; j++) {
      if (!s[j].len) continue;
      if (!s[j].data || (s[j].len & 1u)) return SMBW_E_INVAL;
      uint32_t where = off[j] ? at + off[j] : total;
      if (where < entries) return SMBW_E_INVAL;
      if (where - at > 0xFFFF) return SMBW_E_RANGE;
      if (where + s[j].len > total) total = where + s[j].len;
      if (total > 0x7FFF0000u) return SMBW_E_RANGE;
    }
    at += size;
  }
  if (need) *need = total;
  if (cap < total) return SMBW_E_NOSPACE;
  if (!total) return 0;
  /* pass 2: write */
  memset(buf, 0, total);
  uint32_t tail = entries;
  for (unsigned i = 0, at = 0; i < n; i++) {
    const smbw_dfs_referral *e = &v[i];
    uint32_t size;
    (void)entry_size(e, &size);
    uint8_t *q = buf + at;
    dfs_str s[3];
    uint16_t off[3];
    const unsigned k = entry_strs(e, s, off);
    for (unsigned j = 0; j < k; j++) { /* place the strings: their offsets */
      if (!s[j].len) {
        off[j] = 0;
        continue;
      }
      uint32_t where = off[j] ? at + off[j] : tail;
      if (!off[j]) off[j] = (uint16_t)(where - at);
      /* a string (its NUL is the buffer's zero), or the expanded names'
         run, which carries its own */
      const int run = fixed_size(e->version_number, e->referral_entry_flags) == 18 && j == 1;
      const uint32_t body = run ? s[j].len : s[j].len - 2;
      if (body) memcpy(buf + where, s[j].data, body);
      if (where + s[j].len > tail) tail = where + s[j].len;
    }
    st16(q, e->version_number);
    st16(q + 2, (uint16_t)size);
    st16(q + 4, e->server_type);
    st16(q + 6, e->referral_entry_flags);
    const uint32_t fixed = fixed_size(e->version_number, e->referral_entry_flags);
    if (e->version_number == 1) {
      if (e->share_name.len) memcpy(q + 8, e->share_name.data, e->share_name.len);
      if (e->extra.len) memcpy(q + 8 + e->share_name.len + 2, e->extra.data, e->extra.len);
    } else {
      uint32_t o = 12;
      if (e->version_number == 2) {
        st32(q + 8, e->proximity);
        st32(q + 12, e->time_to_live);
        o = 16;
      } else {
        st32(q + 8, e->time_to_live);
      }
      if (fixed == 18) {
        st16(q + o, off[0]);
        st16(q + o + 2, e->dfs_alternate_path_offset); /* NumberOfExpandedNames */
        st16(q + o + 4, off[1]);
      } else {
        st16(q + o, off[0]);
        st16(q + o + 2, off[1]);
        st16(q + o + 4, off[2]);
        if (fixed == 34) memcpy(q + 18, e->service_site_guid, 16);
      }
      if (e->extra.len) memcpy(q + fixed, e->extra.data, e->extra.len);
    }
    at += size;
  }
  return (int)total;
}
