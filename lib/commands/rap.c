/* The Remote Administration Protocol (MS-RAP) over \PIPE\LANMAN: request and
   response parameters, the descriptor walk and its encoder, and the typed
   calls of a small table.  One walk reads every descriptor, one writer
   writes every descriptor; the typed layer is a table of slots (one row per
   descriptor item: which member of the struct it fills) over both. */
#include "../core/internal.h"

#include <smbwire/rap.h>

/* ---- descriptors ---- */

/* The next item of a descriptor: its character and count.  Returns 1, 0 at
   the end (the end of the view or a NUL), or SMBW_E_INVAL for a count over
   65535 (*at: where the item starts). */
static int desc_item(smbw_bytes d, uint32_t *dpos, uint8_t *ch, uint32_t *count, uint32_t *at) {
  uint32_t p = *dpos;
  *at = p;
  if (p >= d.len || d.data[p] == 0) return 0;
  *ch = d.data[p++];
  uint32_t n = 0;
  int digits = 0;
  while (p < d.len && d.data[p] >= '0' && d.data[p] <= '9') {
    n = n * 10u + (uint32_t)(d.data[p++] - '0');
    digits = 1;
    if (n > 0xFFFFu) return SMBW_E_INVAL;
  }
  *count = digits ? n : 1u;
  *dpos = p;
  return 1;
}

/* Wire width and kind of an item on a side; -1 for a character the side
   does not define.  'z' in parameters is variable: width 0 here. */
static int item_width(int side, uint8_t ch, uint32_t count, uint8_t *kind) {
  switch (side) {
  case SMBW_RAP_REQ_PARAMS:
    switch (ch) {
    case 'W': case 'L': case 'T': case 'P': *kind = SMBW_RAP_INT; return 2;
    case 'D': *kind = SMBW_RAP_INT; return 4;
    case 'b': case 'B': case 'F': *kind = SMBW_RAP_BYTES; return (int)count;
    case 'z': *kind = SMBW_RAP_STR; return 0;
    case 'r': case 's': case 'O': case 'e': case 'h': case 'i': case 'g':
      *kind = SMBW_RAP_NONE; return 0;
    default: return -1;
    }
  case SMBW_RAP_RSP_PARAMS:
    switch (ch) {
    case 'e': case 'h': *kind = SMBW_RAP_INT; return 2;
    case 'i': *kind = SMBW_RAP_INT; return 4;
    case 'g': *kind = SMBW_RAP_BYTES; return (int)count;
    case 'W': case 'L': case 'T': case 'P': case 'D': case 'b': case 'B': case 'F':
    case 'z': case 'r': case 's': case 'O':
      *kind = SMBW_RAP_NONE; return 0;
    default: return -1;
    }
  case SMBW_RAP_DATA:
    switch (ch) {
    case 'W': case 'N': *kind = SMBW_RAP_INT; return 2;
    case 'D': case 'O': *kind = SMBW_RAP_INT; return 4;
    case 'B': case 'F': *kind = SMBW_RAP_BYTES; return (int)count;
    case 'z': *kind = SMBW_RAP_STR; return 4;
    case 'b': *kind = SMBW_RAP_PTR; return 4;
    default: return -1;
    }
  default: return -1;
  }
}

static const char *desc_name(int side) { return side == SMBW_RAP_DATA ? "DataDesc" : "ParamDesc"; }
static const char *area_name(int side) { return side == SMBW_RAP_DATA ? "RAPData" : "RAPParams"; }

/* Offset in area of the first NUL at or after from, or -1. */
static int64_t find_nul(smbw_bytes a, uint32_t from) {
  if (from >= a.len) return -1;
  uint32_t n = smbw_find_nul8(a.data + from, a.len - from);
  return n == a.len - from ? -1 : (int64_t)from + n;
}

int smbw_rap_desc_size(int side, smbw_bytes desc, uint32_t *size, smbw_error *err) {
  if (!size || smbw_view_bad(desc)) return smbw_fail(err, SMBW_E_INVAL, 0, "desc");
  uint32_t dpos = 0, total = 0, count = 0, at = 0;
  uint8_t ch = 0, kind = 0;
  int rc;
  while ((rc = desc_item(desc, &dpos, &ch, &count, &at)) == 1) {
    int wd = item_width(side, ch, count, &kind);
    if (wd < 0) return smbw_fail(err, SMBW_E_INVAL, at, desc_name(side));
    total += (uint32_t)wd + (kind == SMBW_RAP_STR && side == SMBW_RAP_REQ_PARAMS ? 1u : 0u);
  }
  if (rc < 0) return smbw_fail(err, rc, at, desc_name(side));
  *size = total;
  return 0;
}

/* ---- the walk ---- */

void smbw_rap_walk_init(smbw_rap_walk *w, int side, smbw_bytes desc, smbw_bytes area,
                        uint32_t start, uint16_t converter) {
  if (!w) return;
  memset(w, 0, sizeof *w);
  w->desc_ = desc;
  w->area_ = area;
  w->pos = start;
  w->side_ = (uint8_t)side;
  w->converter_ = converter;
}

/* Offset in the data that a data pointer points at, or -1 when outside
   (at the end is inside only for n == 0 bytes: a 'b0'). */
static int64_t ptr_offset(uint32_t ptr, uint16_t converter, uint32_t len, uint32_t n) {
  int64_t off = (int64_t)(ptr & 0xFFFFu) - converter;
  return off < 0 || off > (int64_t)len || (off == (int64_t)len && n) ? -1 : off;
}

int smbw_rap_walk_next_(smbw_rap_walk *w, smbw_rap_field *f, size_t f_size, smbw_error *err) {
  if (!w || !f || f_size < SMBW_FIRST_SIZE(smbw_rap_field, bytes) || smbw_view_bad(w->desc_) ||
      smbw_view_bad(w->area_))
    return smbw_fail(err, SMBW_E_INVAL, 0, "walk");
  const int side = w->side_;
  const smbw_bytes a = w->area_;
  uint32_t dpos = w->dpos_, count = 0, at = 0;
  uint8_t ch = 0, kind = 0;
  int rc = desc_item(w->desc_, &dpos, &ch, &count, &at);
  if (rc <= 0) return rc < 0 ? smbw_fail(err, rc, at, desc_name(side)) : 0;
  int wd = item_width(side, ch, count, &kind);
  if (wd < 0) return smbw_fail(err, SMBW_E_INVAL, at, desc_name(side));

  smbw_rap_field o;
  memset(&o, 0, sizeof o);
  o.desc = ch;
  o.kind = kind;
  o.index = w->index_;
  o.count = count;
  o.offset = w->pos;
  if (w->pos > a.len) return smbw_fail(err, SMBW_E_TRUNCATED, w->pos, area_name(side));
  const uint32_t avail = a.len - w->pos;
  const uint8_t *p = a.data ? a.data + w->pos : NULL;
  uint32_t width = (uint32_t)wd;
  if (kind != SMBW_RAP_NONE && !(kind == SMBW_RAP_STR && side != SMBW_RAP_DATA) && width > avail)
    return smbw_fail(err, SMBW_E_TRUNCATED, w->pos, area_name(side));
  switch (kind) {
  case SMBW_RAP_INT:
    o.value = width == 2 ? ld16(p) : ld32(p);
    break;
  case SMBW_RAP_BYTES:
    o.bytes.data = p;
    o.bytes.len = width;
    o.value = width ? p[0] : 0;
    break;
  case SMBW_RAP_STR:
    if (side != SMBW_RAP_DATA) { /* inline, NUL-terminated */
      int64_t nul = find_nul(a, w->pos);
      if (nul < 0) return smbw_fail(err, SMBW_E_STR_UNTERMINATED, w->pos, area_name(side));
      o.bytes.data = p;
      o.bytes.len = (uint32_t)nul - w->pos;
      width = o.bytes.len + 1u;
      break;
    }
    o.value = ld32(p);
    if (o.value) {
      int64_t off = ptr_offset(o.value, w->converter_, a.len, 1);
      if (off < 0) return smbw_fail(err, SMBW_E_DATA_OFFSET, w->pos, area_name(side));
      int64_t nul = find_nul(a, (uint32_t)off);
      if (nul < 0) return smbw_fail(err, SMBW_E_STR_UNTERMINATED, (uint32_t)off, area_name(side));
      o.bytes.data = a.data + off;
      o.bytes.len = (uint32_t)(nul - off);
    }
    break;
  case SMBW_RAP_PTR:
    o.value = ld32(p);
    if (o.value) {
      int64_t off = ptr_offset(o.value, w->converter_, a.len, count);
      if (off < 0 || count > a.len - (uint32_t)off)
        return smbw_fail(err, SMBW_E_DATA_OFFSET, w->pos, area_name(side));
      o.bytes.data = a.data + off;
      o.bytes.len = count;
    }
    break;
  default: /* SMBW_RAP_NONE */
    width = 0;
    break;
  }
  o.width = width;
  w->pos += width;
  w->dpos_ = dpos;
  w->index_++;
  smbw_put_sized(f, f_size, &o, sizeof o);
  return 1;
}

/* ---- the writer ---- */

/* Write n bytes at buf[at] when they fit (the positions advance anyway). */
static void put_at(uint8_t *buf, size_t cap, size_t at, const uint8_t *src, size_t n) {
  if (at <= cap && n <= cap - at && n) {
    if (src)
      memcpy(buf + at, src, n);
    else
      memset(buf + at, 0, n);
  }
}

static void put_int(uint8_t *buf, size_t cap, size_t at, uint32_t v, uint32_t width) {
  uint8_t b[4];
  st32(b, v);
  put_at(buf, cap, at, b, width);
}

int smbw_rap_put_(uint8_t *buf, size_t cap, size_t *pos, size_t *heap, int side,
                  smbw_bytes desc, uint16_t converter, const smbw_rap_field *vals, size_t nvals,
                  size_t val_size) {
  if ((!buf && cap) || !pos || (nvals && !vals) || smbw_view_bad(desc) ||
      val_size < SMBW_FIRST_SIZE(smbw_rap_field, bytes) || *pos > 0xFFFFFFFFu ||
      (heap && *heap > 0xFFFFFFFFu))
    return SMBW_E_INVAL;
  size_t p = *pos, h = heap ? *heap : 0;
  uint32_t dpos = 0, count = 0, at = 0;
  uint8_t ch = 0, kind = 0;
  size_t i = 0;
  int rc;
  while ((rc = desc_item(desc, &dpos, &ch, &count, &at)) == 1) {
    int wd = item_width(side, ch, count, &kind);
    if (wd < 0 || i >= nvals) return SMBW_E_INVAL;
    smbw_rap_field v;
    smbw_get_sized(&v, sizeof v, (const uint8_t *)vals + i * val_size, val_size);
    i++;
    if (smbw_view_bad(v.bytes)) return SMBW_E_INVAL;
    switch (kind) {
    case SMBW_RAP_INT:
      if (wd == 2 && v.value > 0xFFFFu) return SMBW_E_RANGE;
      put_int(buf, cap, p, v.value, (uint32_t)wd);
      p += (size_t)wd;
      break;
    case SMBW_RAP_BYTES:
      if (v.bytes.len > count) return SMBW_E_RANGE;
      if (count == 1 && !v.bytes.len) {
        if (v.value > 0xFFu) return SMBW_E_RANGE;
        put_int(buf, cap, p, v.value, 1);
      } else {
        put_at(buf, cap, p, v.bytes.data, v.bytes.len);
        put_at(buf, cap, p + v.bytes.len, NULL, count - v.bytes.len);
      }
      p += count;
      break;
    case SMBW_RAP_STR:
    case SMBW_RAP_PTR: {
      uint32_t n = v.bytes.len;
      if (kind == SMBW_RAP_STR && n && memchr(v.bytes.data, 0, n)) return SMBW_E_INVAL;
      if (kind == SMBW_RAP_PTR && n > count) return SMBW_E_RANGE;
      if (side != SMBW_RAP_DATA) { /* inline string */
        put_at(buf, cap, p, v.bytes.data, n);
        put_at(buf, cap, p + n, NULL, 1);
        p += (size_t)n + 1u;
        break;
      }
      if (!v.bytes.data) { /* the NULL pointer */
        put_int(buf, cap, p, 0, 4);
        p += 4;
        break;
      }
      if (!heap) return SMBW_E_INVAL;
      if (h + converter > 0xFFFFu) return SMBW_E_RANGE;
      put_int(buf, cap, p, (uint32_t)(h + converter), 4);
      p += 4;
      uint32_t total = kind == SMBW_RAP_STR ? n + 1u : count;
      put_at(buf, cap, h, v.bytes.data, n);
      put_at(buf, cap, h + n, NULL, total - n);
      h += total;
      break;
    }
    default:
      break;
    }
  }
  if (rc < 0) return SMBW_E_INVAL;
  *pos = p;
  if (heap) *heap = h;
  return (p > cap || h > cap) ? SMBW_E_NOSPACE : 0;
}

/* ---- request and response parameters ---- */

int smbw_rap_req_decode_(smbw_bytes params, smbw_bytes data, smbw_rap_req *out, size_t out_size,
                         smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_rap_req, data) || smbw_view_bad(params) ||
      smbw_view_bad(data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "params");
  if (params.len < 2) return smbw_fail(err, SMBW_E_TRUNCATED, 0, "RAPOpcode");
  smbw_rap_req r;
  memset(&r, 0, sizeof r);
  r.opcode = ld16(params.data);
  int64_t nul = find_nul(params, 2);
  if (nul < 0) return smbw_fail(err, SMBW_E_STR_UNTERMINATED, 2, "ParamDesc");
  r.param_desc.data = params.data + 2;
  r.param_desc.len = (uint32_t)nul - 2u;
  uint32_t dd = (uint32_t)nul + 1u;
  nul = find_nul(params, dd);
  if (nul < 0) return smbw_fail(err, SMBW_E_STR_UNTERMINATED, dd, "DataDesc");
  r.data_desc.data = params.data + dd;
  r.data_desc.len = (uint32_t)nul - dd;
  const uint32_t start = (uint32_t)nul + 1u;
  smbw_bytes rest = {params.data + start, params.len - start};
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, SMBW_RAP_REQ_PARAMS, r.param_desc, rest, 0, 0);
  smbw_rap_field f;
  int rc;
  while ((rc = smbw_rap_walk_next(&w, &f, err)) == 1) {
  }
  if (rc < 0) return rc;
  r.params.data = rest.data;
  r.params.len = w.pos;
  uint32_t aux = start + w.pos;
  if (aux < params.len) {
    nul = find_nul(params, aux);
    if (nul < 0) return smbw_fail(err, SMBW_E_STR_UNTERMINATED, aux, "AuxDesc");
    r.aux_desc.data = params.data + aux;
    r.aux_desc.len = (uint32_t)nul - aux;
    r.extra.data = params.data + nul + 1;
    r.extra.len = params.len - (uint32_t)nul - 1u;
  }
  r.data = data;
  smbw_put_sized(out, out_size, &r, sizeof r);
  return 0;
}

/* Append n bytes at *pos (counting past cap). */
static void app(uint8_t *buf, size_t cap, size_t *pos, const uint8_t *src, size_t n) {
  put_at(buf, cap, *pos, src, n);
  *pos += n;
}

int smbw_rap_req_encode_(uint8_t *buf, size_t cap, const smbw_rap_req *in, size_t r_size,
                         size_t *len) {
  if ((!buf && cap) || !in || !len || r_size < SMBW_FIRST_SIZE(smbw_rap_req, data))
    return SMBW_E_INVAL;
  smbw_rap_req r;
  smbw_get_sized(&r, sizeof r, in, r_size);
  const smbw_bytes *v[] = {&r.param_desc, &r.data_desc, &r.params, &r.aux_desc, &r.extra};
  for (unsigned i = 0; i < 5; i++)
    if (smbw_view_bad(*v[i]) || v[i]->len > 0xFFFFu) return SMBW_E_INVAL;
  for (unsigned i = 0; i < 4; i++)
    if (i != 2 && v[i]->len && memchr(v[i]->data, 0, v[i]->len)) return SMBW_E_INVAL;
  size_t p = 0;
  uint8_t op[2];
  st16(op, r.opcode);
  app(buf, cap, &p, op, 2);
  app(buf, cap, &p, r.param_desc.data, r.param_desc.len);
  app(buf, cap, &p, NULL, 1);
  app(buf, cap, &p, r.data_desc.data, r.data_desc.len);
  app(buf, cap, &p, NULL, 1);
  app(buf, cap, &p, r.params.data, r.params.len);
  if (r.aux_desc.data) {
    app(buf, cap, &p, r.aux_desc.data, r.aux_desc.len);
    app(buf, cap, &p, NULL, 1);
  }
  app(buf, cap, &p, r.extra.data, r.extra.len);
  *len = p;
  return p > cap ? SMBW_E_NOSPACE : 0;
}

int smbw_rap_rsp_decode_(smbw_bytes params, smbw_rap_rsp *out, size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_rap_rsp, params) || smbw_view_bad(params))
    return smbw_fail(err, SMBW_E_INVAL, 0, "params");
  if (params.len < 4)
    return smbw_fail(err, SMBW_E_TRUNCATED, params.len < 2 ? 0 : 2,
                     params.len < 2 ? "Status" : "Converter");
  smbw_rap_rsp r;
  memset(&r, 0, sizeof r);
  r.status = ld16(params.data);
  r.converter = ld16(params.data + 2);
  r.params.data = params.data + 4;
  r.params.len = params.len - 4;
  smbw_put_sized(out, out_size, &r, sizeof r);
  return 0;
}

int smbw_rap_rsp_encode_(uint8_t *buf, size_t cap, const smbw_rap_rsp *in, size_t r_size,
                         size_t *len) {
  if ((!buf && cap) || !in || !len || r_size < SMBW_FIRST_SIZE(smbw_rap_rsp, params))
    return SMBW_E_INVAL;
  smbw_rap_rsp r;
  smbw_get_sized(&r, sizeof r, in, r_size);
  if (smbw_view_bad(r.params) || r.params.len > 0xFFFFu) return SMBW_E_INVAL;
  uint8_t hd[4];
  st16(hd, r.status);
  st16(hd + 2, r.converter);
  size_t p = 0;
  app(buf, cap, &p, hd, 4);
  app(buf, cap, &p, r.params.data, r.params.len);
  *len = p;
  return p > cap ? SMBW_E_NOSPACE : 0;
}

/* ---- the typed table ---- */

/* Where a descriptor item goes in the typed struct. */
enum slot_kind {
  S_NONE = 0, /* not kept (a buffer pointer, a count the struct has not) */
  S_INT,      /* an integer member of `size` bytes */
  S_VIEW,     /* a smbw_bytes member: the string or bytes as walked */
  S_NAME      /* a smbw_bytes member: fixed bytes up to their first NUL */
};

typedef struct slot {
  uint8_t kind;
  uint8_t size;  /* S_INT: sizeof the member */
  uint16_t off;  /* offsetof the member */
  const char *name;
} slot;

#define INT_(T, m, name) {S_INT, sizeof(((T *)0)->m), offsetof(T, m), name}
#define VIEW_(T, m, name) {S_VIEW, 0, offsetof(T, m), name}
#define NAME_(T, m, name) {S_NAME, 0, offsetof(T, m), name}
#define NONE_(name) {S_NONE, 0, 0, name}

#define C_INT(m, name) INT_(smbw_rap_call, m, name)
#define C_VIEW(m, name) VIEW_(smbw_rap_call, m, name)
static const slot P_SHARE_ENUM[] = {C_INT(level, "Level"), NONE_("RcvBuf"),
                                    C_INT(rcv_buf_len, "RcvBufLen"),
                                    C_INT(entries_returned, "EntriesReturned"),
                                    C_INT(entries_avail, "EntriesAvailable")};
static const slot P_SHARE_GET[] = {C_VIEW(name, "NetName"), C_INT(level, "Level"),
                                   NONE_("RcvBuf"), C_INT(rcv_buf_len, "RcvBufLen"),
                                   C_INT(entries_avail, "TotalBytesAvailable")};
static const slot P_GET_INFO[] = {C_INT(level, "Level"), NONE_("RcvBuf"),
                                  C_INT(rcv_buf_len, "RcvBufLen"),
                                  C_INT(entries_avail, "TotalBytesAvailable")};
static const slot P_SERVER_ENUM2[] = {C_INT(level, "Level"), NONE_("RcvBuf"),
                                      C_INT(rcv_buf_len, "RcvBufLen"),
                                      C_INT(entries_returned, "EntriesReturned"),
                                      C_INT(entries_avail, "EntriesAvailable"),
                                      C_INT(server_type, "ServerType"), C_VIEW(name, "Domain")};
/* NetServerEnum2 without a domain: 'O', a NULL pointer, nothing sent. */
static const slot P_SERVER_ENUM2_O[] = {C_INT(level, "Level"), NONE_("RcvBuf"),
                                        C_INT(rcv_buf_len, "RcvBufLen"),
                                        C_INT(entries_returned, "EntriesReturned"),
                                        C_INT(entries_avail, "EntriesAvailable"),
                                        C_INT(server_type, "ServerType"), NONE_("Domain")};

#define I_INT(m, name) INT_(smbw_rap_info, m, name)
#define I_VIEW(m, name) VIEW_(smbw_rap_info, m, name)
#define I_NAME(m, name) NAME_(smbw_rap_info, m, name)
static const slot D_SHARE[] = {I_NAME(name, "NetName"),
                               I_INT(pad1, "Pad"),
                               I_INT(type, "Type"),
                               I_VIEW(comment, "Remark"),
                               I_INT(permissions, "Permissions"),
                               I_INT(max_uses, "MaxUses"),
                               I_INT(current_uses, "CurrentUses"),
                               I_VIEW(path, "Path"),
                               I_NAME(password, "Password"),
                               I_INT(pad2, "Pad2")};
static const slot D_SERVER[] = {I_NAME(name, "ServerName"), I_INT(version_major, "MajorVersion"),
                                I_INT(version_minor, "MinorVersion"),
                                I_INT(type, "ServerType"), I_VIEW(comment, "ServerComment")};
static const slot D_WKSTA[] = {I_VIEW(name, "ComputerName"),   I_VIEW(user_name, "UserName"),
                               I_VIEW(langroup, "LanGroup"),   I_INT(version_major, "VerMajor"),
                               I_INT(version_minor, "VerMinor"),
                               I_VIEW(logon_domain, "LogonDomain"),
                               I_VIEW(other_domains, "OtherDomains")};

/* A structure a call returns: its level, DataDesc and slots (a prefix of
   the slot list: each level extends the one before). */
typedef struct layout {
  uint8_t group; /* which calls return it */
  uint16_t level;
  const char *desc;
  const slot *slots;
} layout;

enum { G_SHARE = 1, G_SERVER, G_WKSTA };

static const layout LAYOUTS[] = {
    {G_SHARE, 0, "B13", D_SHARE},
    {G_SHARE, 1, "B13BWz", D_SHARE},
    {G_SHARE, 2, "B13BWzWWWzB9B", D_SHARE},
    {G_SERVER, 0, "B16", D_SERVER},
    {G_SERVER, 1, "B16BBDz", D_SERVER},
    {G_WKSTA, 10, "zzzBBzz", D_WKSTA},
};

/* One call of the table. */
typedef struct api {
  uint16_t opcode;
  uint8_t group;
  const char *name;
  const char *param_desc;
  const slot *params;
  uint8_t no_name; /* the variant for a call without its 'z' (name absent) */
} api;

static const api APIS[] = {
    {SMBW_RAP_NET_SHARE_ENUM, G_SHARE, "NetShareEnum", "WrLeh", P_SHARE_ENUM, 0},
    {SMBW_RAP_NET_SHARE_GET_INFO, G_SHARE, "NetShareGetInfo", "zWrLh", P_SHARE_GET, 0},
    {SMBW_RAP_NET_SERVER_GET_INFO, G_SERVER, "NetServerGetInfo", "WrLh", P_GET_INFO, 0},
    {SMBW_RAP_NET_WKSTA_GET_INFO, G_WKSTA, "NetWkstaGetInfo", "WrLh", P_GET_INFO, 0},
    {SMBW_RAP_NET_SERVER_ENUM2, G_SERVER, "NetServerEnum2", "WrLehDz", P_SERVER_ENUM2, 0},
    {SMBW_RAP_NET_SERVER_ENUM2, G_SERVER, "NetServerEnum2", "WrLehDO", P_SERVER_ENUM2_O, 1},
};

static const api *find_api(uint16_t opcode) {
  for (size_t i = 0; i < sizeof APIS / sizeof APIS[0]; i++)
    if (APIS[i].opcode == opcode) return &APIS[i];
  return NULL;
}

static int desc_eq(smbw_bytes a, const char *s) {
  size_t n = strlen(s);
  return a.len == n && (n == 0 || memcmp(a.data, s, n) == 0);
}

/* The row of a call with that ParamDesc. */
static const api *find_api_desc(uint16_t opcode, smbw_bytes desc) {
  for (size_t i = 0; i < sizeof APIS / sizeof APIS[0]; i++)
    if (APIS[i].opcode == opcode && desc_eq(desc, APIS[i].param_desc)) return &APIS[i];
  return NULL;
}

/* The row an encoder uses: the no-name variant when there is no name. */
static const api *find_api_enc(uint16_t opcode, int null_name) {
  const api *first = NULL;
  for (size_t i = 0; i < sizeof APIS / sizeof APIS[0]; i++)
    if (APIS[i].opcode == opcode) {
      if (!first) first = &APIS[i];
      if (null_name && APIS[i].no_name) return &APIS[i];
    }
  return first;
}

static const layout *find_layout(const api *a, smbw_bytes desc) {
  for (size_t i = 0; i < sizeof LAYOUTS / sizeof LAYOUTS[0]; i++)
    if (LAYOUTS[i].group == a->group && desc_eq(desc, LAYOUTS[i].desc)) return &LAYOUTS[i];
  return NULL;
}

static smbw_bytes cview(const char *s) { return smbw_rap_desc(s); }

const char *smbw_rap_call_param_desc(uint16_t opcode, int null_name) {
  const api *a = find_api_enc(opcode, null_name);
  return a ? a->param_desc : NULL;
}

const char *smbw_rap_opcode_name(uint16_t opcode) {
  const api *a = find_api(opcode);
  return a ? a->name : NULL;
}

/* Items of a descriptor of the table (for bounds on the slot lists). */
static unsigned desc_items(const char *s) {
  smbw_bytes d = cview(s);
  uint32_t dpos = 0, count, at;
  uint8_t ch;
  unsigned n = 0;
  while (desc_item(d, &dpos, &ch, &count, &at) == 1) n++;
  return n;
}

const char *smbw_rap_field_name(uint16_t opcode, smbw_bytes data_desc, unsigned index) {
  const api *a = find_api(opcode);
  if (!a || smbw_view_bad(data_desc)) return NULL;
  if (!data_desc.len) return index < desc_items(a->param_desc) ? a->params[index].name : NULL;
  const layout *l = find_layout(a, data_desc);
  return l && index < desc_items(l->desc) ? l->slots[index].name : NULL;
}

/* Store a walked field into its slot of the struct at base. */
static void slot_store(uint8_t *base, const slot *s, const smbw_rap_field *f) {
  switch (s->kind) {
  case S_INT:
    if (s->size == 1)
      base[s->off] = (uint8_t)f->value;
    else if (s->size == 2) {
      uint16_t v = (uint16_t)f->value;
      memcpy(base + s->off, &v, 2);
    } else {
      uint32_t v = f->value;
      memcpy(base + s->off, &v, 4);
    }
    break;
  case S_VIEW:
    memcpy(base + s->off, &f->bytes, sizeof f->bytes);
    break;
  case S_NAME: {
    smbw_bytes v = f->bytes;
    for (uint32_t i = 0; i < v.len; i++)
      if (v.data[i] == 0) {
        v.len = i;
        break;
      }
    memcpy(base + s->off, &v, sizeof v);
    break;
  }
  default:
    break;
  }
}

/* The value a slot gives the writer. */
static void slot_load(const uint8_t *base, const slot *s, smbw_rap_field *f) {
  memset(f, 0, sizeof *f);
  switch (s->kind) {
  case S_INT:
    if (s->size == 1)
      f->value = base[s->off];
    else if (s->size == 2) {
      uint16_t v;
      memcpy(&v, base + s->off, 2);
      f->value = v;
    } else
      memcpy(&f->value, base + s->off, 4);
    break;
  case S_VIEW:
  case S_NAME:
    memcpy(&f->bytes, base + s->off, sizeof f->bytes);
    break;
  default:
    break;
  }
}

/* Walk desc over area into the struct at base through the slots. */
static int walk_into(int side, smbw_bytes desc, smbw_bytes area, uint32_t start,
                     uint16_t converter, const slot *slots, uint8_t *base, smbw_error *err) {
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, side, desc, area, start, converter);
  smbw_rap_field f;
  int rc;
  while ((rc = smbw_rap_walk_next(&w, &f, err)) == 1)
    if (f.kind != SMBW_RAP_NONE) slot_store(base, &slots[f.index], &f);
  return rc;
}

int smbw_rap_call_req_decode_(const smbw_rap_req *r, smbw_rap_call *out, size_t out_size,
                              smbw_error *err) {
  if (!r || !out || out_size < SMBW_FIRST_SIZE(smbw_rap_call, extra))
    return smbw_fail(err, SMBW_E_INVAL, 0, "call");
  if (!find_api(r->opcode)) return smbw_fail(err, SMBW_E_LEVEL, 0, "RAPOpcode");
  const api *a = smbw_view_bad(r->param_desc) ? NULL : find_api_desc(r->opcode, r->param_desc);
  if (!a) return smbw_fail(err, SMBW_E_LEVEL, 2, "ParamDesc");
  smbw_rap_call c;
  memset(&c, 0, sizeof c);
  c.opcode = r->opcode;
  int rc = walk_into(SMBW_RAP_REQ_PARAMS, r->param_desc, r->params, 0, 0, a->params,
                     (uint8_t *)&c, err);
  if (rc < 0) return rc;
  smbw_put_sized(out, out_size, &c, sizeof c);
  return 0;
}

/* Encode the struct at base through slots with desc on a side. */
static int put_from(uint8_t *buf, size_t cap, size_t *pos, size_t *heap, int side,
                    const char *desc, uint16_t converter, const slot *slots, const uint8_t *base) {
  smbw_rap_field vals[16];
  unsigned n = desc_items(desc);
  for (unsigned i = 0; i < n; i++) slot_load(base, &slots[i], &vals[i]);
  return smbw_rap_put(buf, cap, pos, heap, side, cview(desc), converter, vals, n);
}

int smbw_rap_call_req_encode_(uint8_t *buf, size_t cap, const smbw_rap_call *in, size_t c_size,
                              size_t *len) {
  if ((!buf && cap) || !in || !len || c_size < SMBW_FIRST_SIZE(smbw_rap_call, extra))
    return SMBW_E_INVAL;
  smbw_rap_call c;
  smbw_get_sized(&c, sizeof c, in, c_size);
  const api *a = find_api_enc(c.opcode, c.name.data == NULL);
  if (!a) return SMBW_E_LEVEL;
  size_t p = 0;
  int rc = put_from(buf, cap, &p, NULL, SMBW_RAP_REQ_PARAMS, a->param_desc, 0, a->params,
                    (const uint8_t *)&c);
  if (rc == 0 || rc == SMBW_E_NOSPACE) *len = p;
  return rc;
}

int smbw_rap_call_rsp_decode_(uint16_t opcode, const smbw_rap_rsp *r, smbw_rap_call *inout,
                              size_t size, smbw_error *err) {
  if (!r || !inout || size < SMBW_FIRST_SIZE(smbw_rap_call, extra))
    return smbw_fail(err, SMBW_E_INVAL, 0, "call");
  const api *a = find_api(opcode);
  if (!a) return smbw_fail(err, SMBW_E_LEVEL, 0, "RAPOpcode");
  smbw_rap_call c;
  smbw_get_sized(&c, sizeof c, inout, size);
  int rc = walk_into(SMBW_RAP_RSP_PARAMS, cview(a->param_desc), r->params, 0, 0, a->params,
                     (uint8_t *)&c, err);
  if (rc < 0) return rc;
  smbw_put_sized(inout, size, &c, sizeof c);
  return 0;
}

int smbw_rap_iter_init(smbw_rap_iter *it, uint16_t opcode, smbw_bytes data_desc, smbw_bytes data,
                       uint16_t converter, uint32_t count, smbw_error *err) {
  if (!it || smbw_view_bad(data_desc) || smbw_view_bad(data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "iter");
  const api *a = find_api(opcode);
  if (!a) return smbw_fail(err, SMBW_E_LEVEL, 0, "RAPOpcode");
  const layout *l = find_layout(a, data_desc);
  if (!l) return smbw_fail(err, SMBW_E_LEVEL, 0, "DataDesc");
  uint32_t stride = 0;
  int rc = smbw_rap_desc_size(SMBW_RAP_DATA, cview(l->desc), &stride, err);
  if (rc < 0) return rc;
  if ((uint64_t)stride * count > data.len)
    return smbw_fail(err, SMBW_E_COUNT, data.len, "EntriesReturned");
  memset(it, 0, sizeof *it);
  it->data_ = data;
  it->desc_ = cview(l->desc);
  it->count_ = count;
  it->stride_ = stride;
  it->converter_ = converter;
  it->opcode_ = opcode;
  it->level_ = l->level;
  return 0;
}

int smbw_rap_iter_next_(smbw_rap_iter *it, smbw_rap_info *out, size_t out_size, smbw_error *err) {
  if (!it || !out || out_size < SMBW_FIRST_SIZE(smbw_rap_info, extra))
    return smbw_fail(err, SMBW_E_INVAL, 0, "iter");
  if (it->i_ >= it->count_) return 0;
  const api *a = find_api(it->opcode_);
  const layout *l = a ? find_layout(a, it->desc_) : NULL;
  if (!l) return smbw_fail(err, SMBW_E_INVAL, 0, "iter");
  smbw_rap_info e;
  memset(&e, 0, sizeof e);
  e.opcode = it->opcode_;
  e.level = it->level_;
  int rc = walk_into(SMBW_RAP_DATA, it->desc_, it->data_, it->i_ * it->stride_, it->converter_,
                     l->slots, (uint8_t *)&e, err);
  if (rc < 0) return rc;
  it->i_++;
  smbw_put_sized(out, out_size, &e, sizeof e);
  return 1;
}

int smbw_rap_info_put_(uint8_t *buf, size_t cap, size_t *pos, size_t *heap, smbw_bytes data_desc,
                       uint16_t converter, const smbw_rap_info *in, size_t in_size) {
  if ((!buf && cap) || !pos || !heap || !in || smbw_view_bad(data_desc) ||
      in_size < SMBW_FIRST_SIZE(smbw_rap_info, extra))
    return SMBW_E_INVAL;
  smbw_rap_info e;
  smbw_get_sized(&e, sizeof e, in, in_size);
  const api *a = find_api(e.opcode);
  const layout *l = a ? find_layout(a, data_desc) : NULL;
  if (!l) return SMBW_E_LEVEL;
  return put_from(buf, cap, pos, heap, SMBW_RAP_DATA, l->desc, converter, l->slots,
                  (const uint8_t *)&e);
}
