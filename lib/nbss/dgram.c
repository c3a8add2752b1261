/*
 * NetBIOS Datagram Service packets (RFC 1002 4.4).  One UDP datagram is
 * one packet; offsets in errors count from its first byte.
 */
#include "name.h"

static uint16_t be16_at(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

static uint8_t *put_be16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
  return p + 2;
}

/* What follows the 10 common header bytes, by type. */
enum body { BODY_NONE, BODY_DATA, BODY_ERROR, BODY_QUERY };

static enum body body_of(uint8_t type) {
  switch (type) {
  case SMBW_DGRAM_DIRECT_UNIQUE:
  case SMBW_DGRAM_DIRECT_GROUP:
  case SMBW_DGRAM_BROADCAST: return BODY_DATA;
  case SMBW_DGRAM_ERROR: return BODY_ERROR;
  case SMBW_DGRAM_QUERY_REQUEST:
  case SMBW_DGRAM_POSITIVE_QUERY:
  case SMBW_DGRAM_NEGATIVE_QUERY: return BODY_QUERY;
  default: return BODY_NONE;
  }
}

SMBW_API int smbw_dgram_decode_(const uint8_t *buf, size_t len, smbw_dgram *out,
                                size_t out_size, smbw_error *err) {
  if (!out || (!buf && len) || out_size < SMBW_FIRST_SIZE(smbw_dgram, data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "packet");
  /* The longest datagram: the 14-byte header and a DGM_LENGTH of 0xFFFF
     (also what the encoder can write).  Past it, no DGM_LENGTH can match. */
  if (len > SMBW_DGRAM_DATA_HEADER_SIZE + 0xFFFFu)
    return smbw_fail(err, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
  uint32_t n = (uint32_t)len;
  if (n >= 1 && body_of(buf[0]) == BODY_NONE) return smbw_fail(err, SMBW_E_NBSS_TYPE, 0, "MSG_TYPE");
  if (n >= 2 && (buf[1] & SMBW_DGRAM_FLAG_RESERVED))
    return smbw_fail(err, SMBW_E_NBSS_FLAGS, 1, "FLAGS");
  if (n < SMBW_DGRAM_HEADER_SIZE) return smbw_fail(err, SMBW_E_TRUNCATED, n, "MSG_TYPE");
  smbw_dgram v;
  memset(&v, 0, sizeof v);
  v.type = buf[0];
  v.flags = buf[1];
  v.id = be16_at(buf + 2);
  v.src_ip = ((uint32_t)buf[4] << 24) | ((uint32_t)buf[5] << 16) | ((uint32_t)buf[6] << 8) | buf[7];
  v.src_port = be16_at(buf + 8);
  uint32_t pos = SMBW_DGRAM_HEADER_SIZE;
  int rc;
  switch (body_of(v.type)) {
  case BODY_DATA:
    if (n < SMBW_DGRAM_DATA_HEADER_SIZE) return smbw_fail(err, SMBW_E_TRUNCATED, n, "DGM_LENGTH");
    v.length = be16_at(buf + 10);
    v.offset = be16_at(buf + 12);
    if ((uint32_t)v.length != n - SMBW_DGRAM_DATA_HEADER_SIZE)
      return smbw_fail(err, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
    pos = SMBW_DGRAM_DATA_HEADER_SIZE;
    if ((rc = smbw_nb_name_decode(buf, &pos, n, &v.source, err)) != 0) return rc;
    if ((rc = smbw_nb_name_decode(buf, &pos, n, &v.destination, err)) != 0) return rc;
    v.data.data = pos < n ? buf + pos : NULL;
    v.data.len = n - pos;
    break;
  case BODY_ERROR:
    if (n < SMBW_DGRAM_ERROR_SIZE) return smbw_fail(err, SMBW_E_TRUNCATED, n, "ERROR_CODE");
    if (n > SMBW_DGRAM_ERROR_SIZE)
      return smbw_fail(err, SMBW_E_NBSS_LENGTH, SMBW_DGRAM_ERROR_SIZE, "packet");
    v.error_code = buf[10];
    break;
  default: /* BODY_QUERY */
    if ((rc = smbw_nb_name_decode(buf, &pos, n, &v.destination, err)) != 0) return rc;
    if (pos != n) return smbw_fail(err, SMBW_E_NBSS_LENGTH, pos, "packet");
    break;
  }
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

/* A name the encoder can write: NULL scope data only with length 0, and
   valid labels. */
static int name_ok(const smbw_nb_name *nm) {
  if (!nm->scope.len) return 1;
  return nm->scope.data && smbw_nb_scope_valid(nm->scope.data, nm->scope.len);
}

SMBW_API int smbw_dgram_encode_(uint8_t *out, size_t cap, const smbw_dgram *d, size_t d_size,
                                size_t *len) {
  if (!d || d_size < SMBW_FIRST_SIZE(smbw_dgram, data)) return SMBW_E_INVAL;
  smbw_dgram v;
  smbw_get_sized(&v, sizeof v, d, d_size);
  enum body body = body_of(v.type);
  if (body == BODY_NONE || (v.flags & SMBW_DGRAM_FLAG_RESERVED)) return SMBW_E_INVAL;
  size_t total = SMBW_DGRAM_HEADER_SIZE;
  switch (body) {
  case BODY_DATA: {
    if (smbw_view_bad(v.data)) return SMBW_E_INVAL;
    if (!name_ok(&v.source) || !name_ok(&v.destination)) return SMBW_E_NBSS_SCOPE;
    size_t dl = (size_t)smbw_nb_name_size(&v.source) + smbw_nb_name_size(&v.destination) +
                v.data.len;
    if (dl > 0xFFFFu) return SMBW_E_RANGE;
    v.length = (uint16_t)dl;
    total = SMBW_DGRAM_DATA_HEADER_SIZE + dl;
    break;
  }
  case BODY_ERROR: total = SMBW_DGRAM_ERROR_SIZE; break;
  default:
    if (!name_ok(&v.destination)) return SMBW_E_NBSS_SCOPE;
    total += smbw_nb_name_size(&v.destination);
    break;
  }
  if (len) *len = total;
  if (!out || cap < total) return SMBW_E_NOSPACE;
  uint8_t *p = out;
  *p++ = v.type;
  *p++ = v.flags;
  p = put_be16(p, v.id);
  p = put_be16(p, (uint16_t)(v.src_ip >> 16));
  p = put_be16(p, (uint16_t)v.src_ip);
  p = put_be16(p, v.src_port);
  switch (body) {
  case BODY_DATA:
    p = put_be16(p, v.length);
    p = put_be16(p, v.offset);
    p = smbw_nb_name_encode(p, &v.source);
    p = smbw_nb_name_encode(p, &v.destination);
    if (v.data.len) memcpy(p, v.data.data, v.data.len);
    break;
  case BODY_ERROR: *p = v.error_code; break;
  default: smbw_nb_name_encode(p, &v.destination); break;
  }
  return 0;
}

SMBW_API const char *smbw_dgram_type_name(uint8_t type) {
  switch (type) {
  case SMBW_DGRAM_DIRECT_UNIQUE: return "DIRECT_UNIQUE";
  case SMBW_DGRAM_DIRECT_GROUP: return "DIRECT_GROUP";
  case SMBW_DGRAM_BROADCAST: return "BROADCAST";
  case SMBW_DGRAM_ERROR: return "DATAGRAM_ERROR";
  case SMBW_DGRAM_QUERY_REQUEST: return "QUERY_REQUEST";
  case SMBW_DGRAM_POSITIVE_QUERY: return "POSITIVE_QUERY_RESPONSE";
  case SMBW_DGRAM_NEGATIVE_QUERY: return "NEGATIVE_QUERY_RESPONSE";
  default: return NULL;
  }
}

SMBW_API const char *smbw_dgram_node_name(uint8_t node) {
  static const char *const names[4] = {"B", "P", "M", "NBDD"};
  return names[node & 3u];
}

SMBW_API const char *smbw_dgram_error_name(uint8_t code) {
  switch (code) {
  case SMBW_DGRAM_ERR_DEST_NAME_NOT_PRESENT: return "Destination name not present";
  case SMBW_DGRAM_ERR_INVALID_SOURCE_NAME: return "Invalid source name format";
  case SMBW_DGRAM_ERR_INVALID_DEST_NAME: return "Invalid destination name format";
  default: return NULL;
  }
}

/* ---- fragment reassembly (RFC 1002 4.4.1) ---- */

SMBW_API int smbw_dgram_asm_init(smbw_dgram_asm *a, uint8_t *buf, size_t cap) {
  if (!a || (!buf && cap) || cap > 0xFFFFFFFFu) return SMBW_E_INVAL;
  memset(a, 0, sizeof *a);
  a->buf_ = buf;
  a->cap_ = (uint32_t)cap;
  return 0;
}

static int scope_eq(const uint8_t *stored, uint8_t n, smbw_bytes s) {
  return s.len == n && (n == 0 || memcmp(stored, s.data, n) == 0);
}

/* The first field of d whose key differs from a's, or NULL; *off gets its
   offset in the datagram. */
static const char *key_diff(const smbw_dgram_asm *a, const smbw_dgram *d, uint32_t *off) {
  if (d->type != a->type) return *off = 0, "MSG_TYPE";
  if (d->id != a->id) return *off = 2, "DGM_ID";
  if (d->src_ip != a->src_ip) return *off = 4, "SOURCE_IP";
  if (d->src_port != a->src_port) return *off = 8, "SOURCE_PORT";
  *off = SMBW_DGRAM_DATA_HEADER_SIZE;
  if (memcmp(d->source.name, a->source, 16) != 0 ||
      !scope_eq(a->sscope_, a->sscope_len_, d->source.scope))
    return "SOURCE_NAME";
  *off += NB_NAME_MIN + d->source.scope.len;
  if (memcmp(d->destination.name, a->destination, 16) != 0 ||
      !scope_eq(a->dscope_, a->dscope_len_, d->destination.scope))
    return "DESTINATION_NAME";
  return NULL;
}

/* A scope the reassembler can hold and compare: valid labels (at most 254
   bytes) with bytes behind a length. */
static int scope_usable(smbw_bytes s) {
  return s.len == 0 || (s.data && s.len <= 254u && smbw_nb_scope_valid(s.data, s.len));
}

SMBW_API int smbw_dgram_asm_match_(const smbw_dgram_asm *a, const smbw_dgram *d, size_t d_size) {
  if (!a || !d || d_size < SMBW_FIRST_SIZE(smbw_dgram, data) || a->type == 0) return 0;
  smbw_dgram v;
  smbw_get_sized(&v, sizeof v, d, d_size);
  if (smbw_view_bad(v.source.scope) || smbw_view_bad(v.destination.scope)) return 0;
  uint32_t off;
  return key_diff(a, &v, &off) == NULL;
}

SMBW_API int smbw_dgram_asm_add_(smbw_dgram_asm *a, const smbw_dgram *d, size_t d_size,
                                 smbw_error *err) {
  if (!a || !d || d_size < SMBW_FIRST_SIZE(smbw_dgram, data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "datagram");
  smbw_dgram v;
  smbw_get_sized(&v, sizeof v, d, d_size);
  if (smbw_view_bad(v.data) || !scope_usable(v.source.scope) ||
      !scope_usable(v.destination.scope))
    return smbw_fail(err, SMBW_E_INVAL, 0, "datagram");
  if (body_of(v.type) != BODY_DATA) return smbw_fail(err, SMBW_E_INVAL, 0, "MSG_TYPE");
  if (a->done) return smbw_fail(err, SMBW_E_STATE, 0, "datagram");
  int first = (v.flags & SMBW_DGRAM_FLAG_FIRST) != 0;
  int more = (v.flags & SMBW_DGRAM_FLAG_MORE) != 0;
  if (first != (v.offset == 0)) return smbw_fail(err, SMBW_E_NBSS_FLAGS, 1, "FLAGS");
  if (a->type != 0) {
    uint32_t off;
    const char *f = key_diff(a, &v, &off);
    if (f) return smbw_fail(err, SMBW_E_TRANS_MISMATCH, off, f);
  }
  if (more && v.data.len == 0) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
  uint32_t lo = v.offset, hi = lo + v.data.len; /* at most 0xFFFF + 0xFFFF */
  uint32_t total = a->total;
  if (!more) {
    if (a->last) return smbw_fail(err, SMBW_E_TRANS_TOTAL, 12, "PACKET_OFFSET");
    if (hi < a->r_.hi) return smbw_fail(err, SMBW_E_TRANS_TOTAL, 12, "PACKET_OFFSET");
    total = hi;
  } else if (a->last && hi > a->total) {
    return smbw_fail(err, SMBW_E_TRANS_DISPLACEMENT, 12, "PACKET_OFFSET");
  }
  if (hi > a->cap_) return smbw_fail(err, SMBW_E_NOSPACE, 12, "PACKET_OFFSET");
  int rc = smbw_ranges_check(&a->r_, lo, hi);
  if (rc) return smbw_fail(err, rc, 12, "PACKET_OFFSET");
  /* Accepted: nothing below can fail. */
  if (a->type == 0) {
    a->type = v.type;
    a->flags = v.flags & (uint8_t)~SMBW_DGRAM_FLAG_MORE;
    a->id = v.id;
    a->src_ip = v.src_ip;
    a->src_port = v.src_port;
    memcpy(a->source, v.source.name, 16);
    memcpy(a->destination, v.destination.name, 16);
    a->sscope_len_ = (uint8_t)v.source.scope.len;
    a->dscope_len_ = (uint8_t)v.destination.scope.len;
    if (v.source.scope.len) memcpy(a->sscope_, v.source.scope.data, v.source.scope.len);
    if (v.destination.scope.len)
      memcpy(a->dscope_, v.destination.scope.data, v.destination.scope.len);
  }
  if (first) a->flags = v.flags & (uint8_t)~SMBW_DGRAM_FLAG_MORE;
  if (v.data.len) memcpy(a->buf_ + lo, v.data.data, v.data.len);
  smbw_ranges_add(&a->r_, lo, hi);
  a->total = total;
  if (!more) a->last = 1;
  if (a->fragments < 255) a->fragments++;
  if (a->last && a->r_.got == a->total) {
    a->done = 1;
    a->data.data = a->buf_;
    a->data.len = a->total;
    return 1;
  }
  return 0;
}
