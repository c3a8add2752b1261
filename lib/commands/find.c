/* TRANS2_FIND_FIRST2 / TRANS2_FIND_NEXT2 (MS-CIFS 2.2.6.2, 2.2.6.3): the
   parameters of both requests and responses, and the directory entries of
   the response data (MS-CIFS 2.2.8.1, MS-SMB 2.2.8.1).  One field table per
   information level drives the entry decoder and the entry encoder. */
#include "../core/internal.h"

#include <smbwire/find.h>

/* Every failure of this file goes through here, out of line: the error
   paths stay off the hot loops. */
/* ---- parameters ---- */

/* The 12 fixed parameter bytes of both requests, as (offset, size, name). */
typedef struct pfield {
  uint8_t off, size;
  const char *name;
} pfield;

static const pfield FIRST2_REQ[] = {
    {0, 2, "SearchAttributes"}, {2, 2, "SearchCount"}, {4, 2, "Flags"},
    {6, 2, "InformationLevel"}, {8, 4, "SearchStorageType"}};
static const pfield NEXT2_REQ[] = {
    {0, 2, "SID"}, {2, 2, "SearchCount"}, {4, 2, "InformationLevel"},
    {6, 4, "ResumeKey"}, {10, 2, "Flags"}};
static const pfield FIRST2_RSP[] = {
    {0, 2, "SID"}, {2, 2, "SearchCount"}, {4, 2, "EndOfSearch"},
    {6, 2, "EaErrorOffset"}, {8, 2, "LastNameOffset"}};
static const pfield NEXT2_RSP[] = {
    {0, 2, "SearchCount"}, {2, 2, "EndOfSearch"}, {4, 2, "EaErrorOffset"},
    {6, 2, "LastNameOffset"}};

/* A view a decoder may read: {NULL, n > 0} is a caller error. */
/* The first of n fixed fields that does not fit in len bytes. */
static int fields_fit(const pfield *f, unsigned n, uint32_t len, smbw_error *err) {
  for (unsigned i = 0; i < n; i++)
    if ((uint32_t)f[i].off + f[i].size > len)
      return smbw_fail_cold(err, SMBW_E_TRUNCATED, f[i].off, f[i].name);
  return 0;
}

/* FileName at offset 12 (no pad: MS-CIFS 2.2.6.2.1) and the bytes after
   it; at SMB_INFO_QUERY_EAS_FROM_LIST the data is an SMB_GEA_LIST whose
   SizeOfListInBytes counts itself (MS-CIFS 2.2.1.2.1). */
static int req_tail(smbw_bytes params, smbw_bytes data, int unicode, uint16_t level,
                    smbw_str *name, smbw_bytes *extra, smbw_bytes *gea, smbw_error *err) {
  smbw_rd r = {params.data, 12, params.len, err, 0};
  smbw_rd_str(&r, unicode, 0, name);
  smbw_rd_rest(&r, extra);
  gea->data = NULL;
  gea->len = 0;
  if (level != SMBW_INFO_QUERY_EAS_FROM_LIST) return 0;
  if (data.len < 4) return smbw_fail_cold(err, SMBW_E_TRUNCATED, 0, "SizeOfListInBytes");
  uint32_t size = ld32(data.data);
  if (size < 4 || size > data.len)
    return smbw_fail_cold(err, SMBW_E_FIELD_LENGTH, 0, "SizeOfListInBytes");
  *gea = data;
  return 0;
}

SMBW_API int smbw_find_first2_req_decode_(smbw_bytes params, smbw_bytes data, int unicode,
                                          smbw_find_first2_req *out, size_t out_size,
                                          smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_find_first2_req, gea_list) || smbw_view_bad(params) || smbw_view_bad(data))
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "params");
  int rc = fields_fit(FIRST2_REQ, 5, params.len, err);
  if (rc) return rc;
  const uint8_t *p = params.data;
  smbw_find_first2_req v;
  v.search_attributes = ld16(p);
  v.search_count = ld16(p + 2);
  v.flags = ld16(p + 4);
  v.information_level = ld16(p + 6);
  v.search_storage_type = ld32(p + 8);
  rc = req_tail(params, data, unicode, v.information_level, &v.file_name, &v.extra,
                &v.gea_list, err);
  if (rc) return rc;
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

SMBW_API int smbw_find_next2_req_decode_(smbw_bytes params, smbw_bytes data, int unicode,
                                         smbw_find_next2_req *out, size_t out_size,
                                         smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_find_next2_req, gea_list) || smbw_view_bad(params) || smbw_view_bad(data))
    return smbw_fail_cold(err, SMBW_E_INVAL, 0, "params");
  int rc = fields_fit(NEXT2_REQ, 5, params.len, err);
  if (rc) return rc;
  const uint8_t *p = params.data;
  smbw_find_next2_req v;
  v.sid = ld16(p);
  v.search_count = ld16(p + 2);
  v.information_level = ld16(p + 4);
  v.resume_key = ld32(p + 6);
  v.flags = ld16(p + 10);
  rc = req_tail(params, data, unicode, v.information_level, &v.file_name, &v.extra,
                &v.gea_list, err);
  if (rc) return rc;
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

/* The response parameters: n 16-bit fields, then extra. */
static int rsp_decode(smbw_bytes params, const pfield *f, unsigned n, uint16_t *v,
                      smbw_bytes *extra, smbw_error *err) {
  if (smbw_view_bad(params)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "params");
  int rc = fields_fit(f, n, params.len, err);
  if (rc) return rc;
  for (unsigned i = 0; i < n; i++) v[i] = ld16(params.data + 2 * i);
  extra->data = params.data + 2 * n;
  extra->len = params.len - 2 * n;
  return 0;
}

SMBW_API int smbw_find_first2_rsp_decode_(smbw_bytes params, smbw_find_first2_rsp *out,
                                          size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_find_first2_rsp, extra)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "params");
  uint16_t v[5];
  smbw_bytes extra;
  int rc = rsp_decode(params, FIRST2_RSP, 5, v, &extra, err);
  if (rc) return rc;
  smbw_find_first2_rsp o;
  o.sid = v[0];
  o.search_count = v[1];
  o.end_of_search = v[2];
  o.ea_error_offset = v[3];
  o.last_name_offset = v[4];
  o.extra = extra;
  smbw_put_sized(out, out_size, &o, sizeof o);
  return 0;
}

SMBW_API int smbw_find_next2_rsp_decode_(smbw_bytes params, smbw_find_next2_rsp *out,
                                         size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_find_next2_rsp, extra)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "params");
  uint16_t v[4];
  smbw_bytes extra;
  int rc = rsp_decode(params, NEXT2_RSP, 4, v, &extra, err);
  if (rc) return rc;
  smbw_find_next2_rsp o;
  o.search_count = v[0];
  o.end_of_search = v[1];
  o.ea_error_offset = v[2];
  o.last_name_offset = v[3];
  o.extra = extra;
  smbw_put_sized(out, out_size, &o, sizeof o);
  return 0;
}

/* Write nfix fixed bytes, a string (when given) and extra; nothing unless
   all of it fits.  Parameters are at most 65535 bytes (16-bit counts). */
static int params_encode(uint8_t *buf, size_t cap, const uint8_t *fixed, uint32_t nfix,
                         const smbw_str *name, int unicode, smbw_bytes extra, size_t *len) {
  if ((!buf && cap) || smbw_view_bad(extra)) return SMBW_E_INVAL;
  uint32_t ns = 0;
  if (name) {
    if (!name->data && extra.len) return SMBW_E_INVAL; /* extra would read as the name */
    if (name->len && !name->data) return SMBW_E_INVAL;
    int rc = smbw_str_wire_size(name, unicode, 0, nfix, &ns);
    if (rc) return rc;
  }
  if (extra.len > 0xFFFFu || nfix + ns + extra.len > 0xFFFFu) return SMBW_E_RANGE;
  size_t total = nfix + ns + extra.len;
  if (len) *len = total;
  if (total > cap) return SMBW_E_NOSPACE;
  memcpy(buf, fixed, nfix);
  smbw_wr w = {buf + nfix, buf + total, nfix};
  if (name) smbw_wr_str(&w, name, unicode, 0);
  smbw_wr_bytes(&w, extra.data, extra.len);
  return 0;
}

SMBW_API int smbw_find_first2_req_encode_(uint8_t *buf, size_t cap, int unicode,
                                          const smbw_find_first2_req *r, size_t r_size,
                                          size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_find_first2_req, gea_list)) return SMBW_E_INVAL;
  smbw_find_first2_req in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  uint8_t f[12];
  st16(f, r->search_attributes);
  st16(f + 2, r->search_count);
  st16(f + 4, r->flags);
  st16(f + 6, r->information_level);
  st32(f + 8, r->search_storage_type);
  return params_encode(buf, cap, f, 12, &r->file_name, unicode, r->extra, len);
}

SMBW_API int smbw_find_next2_req_encode_(uint8_t *buf, size_t cap, int unicode,
                                         const smbw_find_next2_req *r, size_t r_size,
                                         size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_find_next2_req, gea_list)) return SMBW_E_INVAL;
  smbw_find_next2_req in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  uint8_t f[12];
  st16(f, r->sid);
  st16(f + 2, r->search_count);
  st16(f + 4, r->information_level);
  st32(f + 6, r->resume_key);
  st16(f + 10, r->flags);
  return params_encode(buf, cap, f, 12, &r->file_name, unicode, r->extra, len);
}

SMBW_API int smbw_find_first2_rsp_encode_(uint8_t *buf, size_t cap, const smbw_find_first2_rsp *r,
                                          size_t r_size, size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_find_first2_rsp, extra)) return SMBW_E_INVAL;
  smbw_find_first2_rsp in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  uint8_t f[10];
  st16(f, r->sid);
  st16(f + 2, r->search_count);
  st16(f + 4, r->end_of_search);
  st16(f + 6, r->ea_error_offset);
  st16(f + 8, r->last_name_offset);
  return params_encode(buf, cap, f, 10, NULL, 0, r->extra, len);
}

SMBW_API int smbw_find_next2_rsp_encode_(uint8_t *buf, size_t cap, const smbw_find_next2_rsp *r,
                                         size_t r_size, size_t *len) {
  if (!r || r_size < SMBW_FIRST_SIZE(smbw_find_next2_rsp, extra)) return SMBW_E_INVAL;
  smbw_find_next2_rsp in;
  smbw_get_sized(&in, sizeof in, r, r_size);
  r = &in;
  uint8_t f[8];
  st16(f, r->search_count);
  st16(f + 2, r->end_of_search);
  st16(f + 4, r->ea_error_offset);
  st16(f + 6, r->last_name_offset);
  return params_encode(buf, cap, f, 8, NULL, 0, r->extra, len);
}

/* ---- directory entries ---- */

/* What a field of an entry holds: a number stored in the smbw_find_entry
   member at offset slot (of 2, 4 or 8 bytes), or one of the fields the
   views describe. */
enum kind { K_NUM, K_NAMELEN, K_SNLEN, K_SHORT };

typedef struct efield {
  uint8_t off, size;  /* on the wire, from the start of the fixed part */
  uint8_t kind;       /* enum kind */
  uint8_t slot, width; /* K_NUM: member offset and size in smbw_find_entry */
  const char *name;   /* as in MS-CIFS / MS-SMB */
} efield;

#define M(m) (uint8_t)offsetof(smbw_find_entry, m), (uint8_t)sizeof(((smbw_find_entry *)0)->m)
#define NUM(off, size, m, name) {off, size, K_NUM, M(m), name}
#define NT_FIELDS(change)                                                            \
  NUM(0, 4, next_entry_offset, "NextEntryOffset"), NUM(4, 4, file_index, "FileIndex"), \
      NUM(8, 8, creation_time, "CreationTime"),                                      \
      NUM(16, 8, last_access_time, "LastAccessTime"),                                \
      NUM(24, 8, last_write_time, "LastWriteTime"), NUM(32, 8, last_change_time, change), \
      NUM(40, 8, end_of_file, "EndOfFile"), NUM(48, 8, allocation_size, "AllocationSize"), \
      NUM(56, 4, attributes, "ExtFileAttributes"), {60, 4, K_NAMELEN, 0, 0, "FileNameLength"}
#define STD_FIELDS                                                                   \
  NUM(0, 2, creation_date, "CreationDate"), NUM(2, 2, creation_time_dos, "CreationTime"), \
      NUM(4, 2, last_access_date, "LastAccessDate"),                                 \
      NUM(6, 2, last_access_time_dos, "LastAccessTime"),                             \
      NUM(8, 2, last_write_date, "LastWriteDate"),                                   \
      NUM(10, 2, last_write_time_dos, "LastWriteTime"),                              \
      NUM(12, 4, end_of_file, "FileDataSize"), NUM(16, 4, allocation_size, "AllocationSize"), \
      NUM(20, 2, attributes, "Attributes")
#define SHORT_FIELDS                                                                 \
  {68, 1, K_SNLEN, 0, 0, "ShortNameLength"}, NUM(69, 1, short_name_reserved, "Reserved"), \
      {70, 24, K_SHORT, 0, 0, "ShortName"}

/* Each level's fields, in wire order and contiguous (each starts where the
   one before ends, the last ends the fixed part): entry_decode() relies on
   it to report the first field the data cuts. */
static const efield F_STANDARD[] = {STD_FIELDS, {22, 1, K_NAMELEN, 0, 0, "FileNameLength"}};
static const efield F_EA_SIZE[] = {STD_FIELDS, NUM(22, 4, ea_size, "EaSize"),
                                   {26, 1, K_NAMELEN, 0, 0, "FileNameLength"}};
static const efield F_DIRECTORY[] = {NT_FIELDS("LastAttrChangeTime")};
static const efield F_FULL[] = {NT_FIELDS("LastAttrChangeTime"), NUM(64, 4, ea_size, "EaSize")};
static const efield F_NAMES[] = {NUM(0, 4, next_entry_offset, "NextEntryOffset"),
                                 NUM(4, 4, file_index, "FileIndex"),
                                 {8, 4, K_NAMELEN, 0, 0, "FileNameLength"}};
static const efield F_BOTH[] = {NT_FIELDS("LastChangeTime"), NUM(64, 4, ea_size, "EaSize"),
                                SHORT_FIELDS};
static const efield F_ID_FULL[] = {NT_FIELDS("LastAttrChangeTime"),
                                   NUM(64, 4, ea_size, "EaSize"), NUM(68, 4, reserved, "Reserved"),
                                   NUM(72, 8, file_id, "FileId")};
static const efield F_ID_BOTH[] = {NT_FIELDS("LastChangeTime"), NUM(64, 4, ea_size, "EaSize"),
                                   SHORT_FIELDS, NUM(94, 2, reserved, "Reserved2"),
                                   NUM(96, 8, file_id, "FileId")};

/* A level: its fields in wire order, the size of its fixed part (which
   the last field ends), and whether entries are linked (NT levels). */
typedef struct level_desc {
  uint16_t level;
  uint8_t fixed, nfields, nt;
  const efield *f;
} level_desc;

#define LEVEL(lv, fixed, nt, f) {lv, fixed, (uint8_t)(sizeof f / sizeof f[0]), nt, f}
static const level_desc LEVELS[] = {
    LEVEL(SMBW_INFO_STANDARD, 23, 0, F_STANDARD),
    LEVEL(SMBW_INFO_QUERY_EA_SIZE, 27, 0, F_EA_SIZE),
    LEVEL(SMBW_FIND_FILE_DIRECTORY_INFO, 64, 1, F_DIRECTORY),
    LEVEL(SMBW_FIND_FILE_FULL_DIRECTORY_INFO, 68, 1, F_FULL),
    LEVEL(SMBW_FIND_FILE_NAMES_INFO, 12, 1, F_NAMES),
    LEVEL(SMBW_FIND_FILE_BOTH_DIRECTORY_INFO, 94, 1, F_BOTH),
    LEVEL(SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO, 80, 1, F_ID_FULL),
    LEVEL(SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO, 104, 1, F_ID_BOTH),
};

static const level_desc *level_of(uint16_t level) {
  for (unsigned i = 0; i < sizeof LEVELS / sizeof LEVELS[0]; i++)
    if (LEVELS[i].level == level) return &LEVELS[i];
  return NULL;
}

static uint64_t wire_get(const uint8_t *p, unsigned size) {
  switch (size) {
  case 1: return p[0];
  case 2: return ld16(p);
  case 4: return ld32(p);
  default: return ld64(p);
  }
}

static void wire_put(uint8_t *p, unsigned size, uint64_t v) {
  switch (size) {
  case 1: p[0] = (uint8_t)v; break;
  case 2: st16(p, (uint16_t)v); break;
  case 4: st32(p, (uint32_t)v); break;
  default: st64(p, v); break;
  }
}

/* smbw_find_entry members, by offset and size (1, 2, 4 or 8 bytes). */
static uint64_t slot_get(const smbw_find_entry *e, const efield *f) {
  const uint8_t *m = (const uint8_t *)e + f->slot;
  uint8_t b;
  uint16_t h;
  uint32_t w;
  uint64_t q;
  switch (f->width) {
  case 1: memcpy(&b, m, 1); return b;
  case 2: memcpy(&h, m, 2); return h;
  case 4: memcpy(&w, m, 4); return w;
  default: memcpy(&q, m, 8); return q;
  }
}

static void slot_put(smbw_find_entry *e, const efield *f, uint64_t v) {
  uint8_t *m = (uint8_t *)e + f->slot;
  uint8_t b = (uint8_t)v;
  uint16_t h = (uint16_t)v;
  uint32_t w = (uint32_t)v;
  switch (f->width) {
  case 1: memcpy(m, &b, 1); break;
  case 2: memcpy(m, &h, 2); break;
  case 4: memcpy(m, &w, 4); break;
  default: memcpy(m, &v, 8); break;
  }
}

/* The terminator after a standard-level name: one character at
   SMB_INFO_STANDARD; one byte at SMB_INFO_QUERY_EA_SIZE, where Samba ends
   the name with a single zero byte in both encodings (and its client
   skips one byte). */
static inline uint32_t after_width(uint16_t level, uint32_t unit) {
  return level == SMBW_INFO_STANDARD ? unit : 1u;
}

/* A Unicode SMB_INFO_STANDARD name starts at an even offset from the
   start of the data, after a pad byte (Samba's ucs2_align(base_data)). */
static inline uint32_t name_pad(uint16_t level, int unicode, size_t at) {
  return (uint32_t)(level == SMBW_INFO_STANDARD) & (uint32_t)(unicode != 0) & (uint32_t)at & 1u;
}

static int all_zero(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i]) return 0;
  return 1;
}

enum { ST_START = 0, ST_MORE = 1, ST_DONE = 2 };

SMBW_API void smbw_find_iter_init(smbw_find_iter *it, smbw_bytes data, uint16_t level,
                             int unicode, uint32_t search_count, uint16_t flags) {
  if (!it) return;
  memset(it, 0, sizeof *it);
  it->data = data.data;
  it->len = data.len;
  it->level = level;
  it->unicode = unicode ? 1 : 0;
  it->search_count = search_count;
  it->flags = flags;
}

/* Record a sticky error. */
static int stick(smbw_find_iter *it, smbw_error *err, int code, uint32_t off, const char *field) {
  it->err = code;
  it->err_off = off;
  it->err_field = field;
  return smbw_fail_cold(err, code, off, field);
}

/* Decode the entry at pos into e; sets *used to its used size (fixed part,
   pad, name and terminator). */
static int entry_decode(smbw_find_iter *it, const level_desc *L, uint32_t pos,
                        smbw_find_entry *e, uint32_t *used, smbw_error *err) {
  const uint8_t *p = it->data + pos;
  const uint32_t avail = it->len - pos;
  const uint32_t unit = it->unicode ? 2u : 1u;
  const uint32_t base = (!L->nt && (it->flags & SMBW_FIND_RETURN_RESUME_KEYS)) ? 4u : 0u;
  uint32_t fnl = 0, fnl_at = 0, snl = 0;
  memset(e, 0, sizeof *e);
  e->offset = pos;
  if (base) {
    if (avail < 4) return stick(it, err, SMBW_E_TRUNCATED, pos, "ResumeKey");
    e->resume_key = ld32(p);
    e->has_resume_key = 1;
  }
  for (unsigned i = 0; i < L->nfields; i++) {
    const efield *f = &L->f[i];
    const uint32_t at = base + f->off;
    if (f->size > avail - at) /* at <= avail: the previous field ended there */
      return stick(it, err, SMBW_E_TRUNCATED, pos + at, f->name);
    uint64_t v = wire_get(p + at, f->size);
    switch (f->kind) {
    case K_NUM: slot_put(e, f, v); break;
    case K_NAMELEN:
      fnl = (uint32_t)v;
      fnl_at = at;
      break;
    case K_SNLEN: snl = (uint32_t)v; break;
    default: /* K_SHORT: ShortNameLength came just before */
      if (snl > 24)
        return stick(it, err, SMBW_E_FIELD_LENGTH, pos + at - 2, "ShortNameLength");
      e->short_name.data = p + at;
      e->short_name.len = snl;
      e->short_name.enc = SMBW_STR_UTF16LE;
      e->short_name.unterminated = 1;
      e->short_name_pad.data = p + at + snl;
      e->short_name_pad.len = 24 - snl;
      break;
    }
  }
  const uint32_t fixed = base + L->fixed;
  const uint32_t pad = name_pad(L->level, it->unicode, (size_t)pos + fixed);
  if (fnl > avail - fixed || pad > avail - fixed - fnl)
    return stick(it, err, SMBW_E_FIELD_LENGTH, pos + fnl_at, "FileNameLength");
  const uint8_t *name = p + fixed + pad;
  uint32_t u = fixed + pad + fnl;
  e->file_name.data = name;
  e->file_name.len = fnl;
  e->file_name.enc = it->unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM;
  e->file_name.pad = pad ? p[fixed] : 0;
  if (fnl >= unit && !(fnl & (unit - 1)) && all_zero(name + fnl - unit, unit)) {
    e->name_nul = SMBW_FIND_NUL_COUNTED;
    e->file_name.len = fnl - unit;
  } else {
    const uint32_t tw = after_width(L->level, unit);
    if (!L->nt && avail - u >= tw && all_zero(p + u, tw)) {
      e->name_nul = SMBW_FIND_NUL_AFTER;
      u += tw;
    } else {
      e->name_nul = SMBW_FIND_NUL_NONE;
      e->file_name.unterminated = 1;
    }
  }
  *used = u;
  return 0;
}

SMBW_API int smbw_find_iter_next_(smbw_find_iter *it, smbw_find_entry *e, size_t e_size,
                                  smbw_error *err) {
  if (!it || !e || e_size < SMBW_FIRST_SIZE(smbw_find_entry, padding)) return smbw_fail_cold(err, SMBW_E_INVAL, 0, "iterator");
  if (it->err) return smbw_fail_cold(err, it->err, it->err_off, it->err_field);
  if (it->state == ST_DONE) return 0;
  const level_desc *L = level_of(it->level);
  if (!L) return stick(it, err, SMBW_E_LEVEL, 0, "InformationLevel");
  if (!it->data && it->len) return stick(it, err, SMBW_E_INVAL, 0, "data");
  const int known = it->search_count != SMBW_FIND_ANY_COUNT;
  uint32_t pos = 0;
  if (it->state == ST_MORE) {
    if (L->nt) {
      /* Follow the previous entry's link: forward, past its used part,
         inside the data. */
      if (it->prev_next == 0) return stick(it, err, SMBW_E_COUNT, it->prev, "NextEntryOffset");
      if (it->prev_next < it->prev_used || it->prev_next > it->len - it->prev)
        return stick(it, err, SMBW_E_NEXT_OFFSET, it->prev, "NextEntryOffset");
      pos = it->prev + it->prev_next;
    } else {
      pos = it->pos;
    }
  } else if (known && it->search_count == 0 && it->len) {
    return stick(it, err, SMBW_E_COUNT, 0, "SearchCount");
  }
  if (pos == it->len) {
    /* Out of entries: an error only when SearchCount wants more. */
    if (known && it->count < it->search_count)
      return stick(it, err, SMBW_E_COUNT, pos, "SearchCount");
    it->state = ST_DONE;
    return 0;
  }
  smbw_find_entry v;
  uint32_t used = 0;
  int rc = entry_decode(it, L, pos, &v, &used, err);
  if (rc) return rc;
  const uint32_t avail = it->len - pos;
  int last;
  if (known) last = it->count + 1 == it->search_count;
  else if (L->nt) last = v.next_entry_offset == 0 || used == avail;
  else last = used == avail;
  /* The padding: to the next entry (clamped into the data; a bad link is
     reported by the next call), or for the last entry to the end of the
     data. */
  uint32_t end = avail;
  if (!last) {
    end = used;
    if (L->nt && v.next_entry_offset > used)
      end = v.next_entry_offset < avail ? v.next_entry_offset : avail;
  }
  v.padding.data = it->data + pos + used;
  v.padding.len = end - used;
  it->prev = pos;
  it->prev_used = used;
  it->prev_next = v.next_entry_offset;
  it->pos = pos + used;
  it->count++;
  it->state = last ? ST_DONE : ST_MORE;
  smbw_put_sized(e, e_size, &v, sizeof v);
  return 1;
}

SMBW_API int smbw_find_append_(uint8_t *buf, size_t cap, size_t *pos, uint16_t level, int unicode,
                               const smbw_find_entry *e, size_t e_size) {
  if (!pos || !e || e_size < SMBW_FIRST_SIZE(smbw_find_entry, padding) || (!buf && cap))
    return SMBW_E_INVAL;
  smbw_find_entry in;
  smbw_get_sized(&in, sizeof in, e, e_size);
  e = &in;
  const level_desc *L = level_of(level);
  if (!L) return SMBW_E_LEVEL;
  if (smbw_view_bad(e->short_name_pad) || smbw_view_bad(e->padding) ||
      (e->file_name.len && !e->file_name.data) || (e->short_name.len && !e->short_name.data))
    return SMBW_E_INVAL;
  unsigned nul = e->name_nul;
  if (nul == SMBW_FIND_NUL_DEFAULT) nul = L->nt ? SMBW_FIND_NUL_NONE : SMBW_FIND_NUL_AFTER;
  if (nul > SMBW_FIND_NUL_AFTER || (L->nt && nul == SMBW_FIND_NUL_AFTER) ||
      e->next_mode > SMBW_FIND_NEXT_ALIGN8 || (!L->nt && e->next_mode != SMBW_FIND_NEXT_AS_GIVEN) ||
      (L->nt && e->has_resume_key))
    return SMBW_E_INVAL;
  const uint32_t unit = unicode ? 2u : 1u;
  const uint32_t base = e->has_resume_key ? 4u : 0u;
  const uint32_t fixed = base + L->fixed;
  /* The name's characters, converted; the terminator is added here. */
  static const uint8_t nothing[1] = {0};
  smbw_str nm = e->file_name;
  if (!nm.data) {
    nm.data = nothing;
    nm.len = 0;
  }
  nm.unterminated = 1;
  uint32_t chars;
  int rc = smbw_str_wire_size(&nm, unicode, 0, 0, &chars);
  if (rc) return rc;
  const uint32_t fnl = chars + (nul == SMBW_FIND_NUL_COUNTED ? unit : 0u);
  if (!L->nt && fnl > 0xFF) return SMBW_E_RANGE;
  smbw_str sn = e->short_name;
  uint32_t snl = 0;
  sn.unterminated = 1;
  if (sn.data) {
    rc = smbw_str_wire_size(&sn, 1, 0, 0, &snl);
    if (rc) return rc;
    if (snl > 24) return SMBW_E_RANGE;
  }
  const uint32_t pad = name_pad(level, unicode, *pos + fixed);
  const uint32_t tw = nul == SMBW_FIND_NUL_AFTER ? after_width(level, unit) : 0u;
  const uint32_t used = fixed + pad + fnl + tw;
  const size_t padlen = e->next_mode == SMBW_FIND_NEXT_ALIGN8 ? (size_t)((8u - (used & 7u)) & 7u)
                                                              : e->padding.len;
  for (unsigned i = 0; i < L->nfields; i++) {
    const efield *f = &L->f[i];
    if (f->kind == K_NUM && f->size < 8 && (slot_get(e, f) >> (8u * f->size)) != 0)
      return SMBW_E_RANGE;
  }
  const size_t size = used + padlen;
  if (*pos > SIZE_MAX - size) return SMBW_E_RANGE;
  const size_t at = *pos;
  *pos += size;
  if (at > cap || size > cap - at) return SMBW_E_NOSPACE;
  uint8_t *p = buf + at;
  if (base) st32(p, e->resume_key);
  for (unsigned i = 0; i < L->nfields; i++) {
    const efield *f = &L->f[i];
    uint8_t *q = p + base + f->off;
    switch (f->kind) {
    case K_NUM: wire_put(q, f->size, slot_get(e, f)); break;
    case K_NAMELEN: wire_put(q, f->size, fnl); break;
    case K_SNLEN: q[0] = (uint8_t)snl; break;
    default: { /* K_SHORT: the name, then the rest of the 24 bytes */
      smbw_wr w = {q, q + snl, 0};
      if (sn.data) smbw_wr_str(&w, &sn, 1, 0);
      if (e->short_name_pad.data && e->short_name_pad.len == 24 - snl)
        memcpy(q + snl, e->short_name_pad.data, 24 - snl);
      else
        memset(q + snl, 0, 24 - snl);
      break;
    }
    }
  }
  if (e->next_mode == SMBW_FIND_NEXT_ALIGN8) st32(p, (uint32_t)size);
  if (pad) p[fixed] = e->file_name.pad;
  smbw_wr w = {p + fixed + pad, p + fixed + pad + chars, 0};
  smbw_wr_str(&w, &nm, unicode, 0);
  memset(p + fixed + pad + chars, 0, fnl - chars + tw);
  if (e->next_mode == SMBW_FIND_NEXT_ALIGN8)
    memset(p + used, 0, padlen);
  else if (padlen)
    memcpy(p + used, e->padding.data, padlen);
  return 0;
}
