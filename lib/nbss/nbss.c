/*
 * NetBIOS Session Service packets (RFC 1002 4.3) and the MS-SMB 2.1 direct
 * TCP header.  Offsets in errors count from the NBSS header.
 */
#include "frame.h"
#include "name.h"

/* A session request payload is two names of NB_NAME_MIN (name.h) bytes
   without scope; a scope adds at most 254 bytes of labels per name
   (RFC 1002 4.1). */

SMBW_API int smbw_nbss_frame(const uint8_t *buf, size_t len, int framing,
                             smbw_nbss *f, size_t *need, smbw_error *err) {
  return smbw_frame(buf, len, framing, f, need, err);
}

SMBW_API int smbw_nbss_header_encode(uint8_t *out, size_t cap, int framing,
                                     uint8_t type, uint32_t length, size_t *len) {
  if (len) *len = SMBW_NBSS_HEADER_SIZE;
  if (framing == SMBW_FRAMING_DIRECT) {
    if (type != SMBW_NBSS_SESSION_MESSAGE && type != SMBW_NBSS_KEEPALIVE) return SMBW_E_INVAL;
    if (length > SMBW_NBSS_DIRECT_MAX || (type == SMBW_NBSS_KEEPALIVE && length))
      return SMBW_E_RANGE;
  } else if (framing == SMBW_FRAMING_NBT) {
    if (type != 0 && (type < 0x81 || type > 0x85)) return SMBW_E_INVAL;
    if (length > SMBW_NBSS_NBT_MAX) return SMBW_E_RANGE;
  } else {
    return SMBW_E_INVAL;
  }
  if (!out || cap < SMBW_NBSS_HEADER_SIZE) return SMBW_E_NOSPACE;
  out[0] = type;
  out[1] = (uint8_t)(length >> 16);
  out[2] = (uint8_t)(length >> 8);
  out[3] = (uint8_t)length;
  return 0;
}

/* ---- raw data (READ_RAW, WRITE_RAW) ---- */

SMBW_API int smbw_raw_frame(const uint8_t *buf, size_t len, int framing, smbw_bytes *data,
                            size_t *need, smbw_error *err) {
  smbw_nbss f;
  int total = smbw_frame(buf, len, framing, &f, need, err);
  if (total <= 0) return total;
  if (f.type != SMBW_NBSS_SESSION_MESSAGE) return smbw_fail(err, SMBW_E_NBSS_TYPE, 0, "Type");
  if (data) {
    data->data = f.payload;
    data->len = f.length;
  }
  return total;
}

SMBW_API int smbw_raw_encode(uint8_t *out, size_t cap, int framing, smbw_bytes data, size_t *len) {
  if (data.len && !data.data) return SMBW_E_INVAL;
  if (len) *len = SMBW_NBSS_HEADER_SIZE + (size_t)data.len;
  int rc = smbw_nbss_header_encode(NULL, 0, framing, SMBW_NBSS_SESSION_MESSAGE, data.len, NULL);
  if (rc != SMBW_E_NOSPACE) return rc; /* the framing or the length is refused */
  if (!out || cap < SMBW_NBSS_HEADER_SIZE + (size_t)data.len) return SMBW_E_NOSPACE;
  smbw_nbss_header_encode(out, cap, framing, SMBW_NBSS_SESSION_MESSAGE, data.len, NULL);
  if (data.len) memcpy(out + SMBW_NBSS_HEADER_SIZE, data.data, data.len);
  return 0;
}

/* ---- names ---- */

SMBW_API int smbw_nb_name_set(smbw_nb_name *n, const char *plain, uint8_t suffix) {
  if (!n || !plain) return SMBW_E_INVAL;
  size_t l = strlen(plain);
  if (l > 15) return SMBW_E_RANGE;
  memset(n->name, ' ', 15);
  memcpy(n->name, plain, l);
  n->name[15] = suffix;
  n->scope.data = NULL;
  n->scope.len = 0;
  return 0;
}

SMBW_API size_t smbw_nb_name_get(const smbw_nb_name *n, char out[16]) {
  size_t l = 15;
  while (l > 0 && n->name[l - 1] == ' ') l--;
  memcpy(out, n->name, l);
  out[l] = '\0';
  return l;
}

/* Validate wire scope labels in p[0..n): each label 1..63 bytes. */
SMBW_HIDDEN int smbw_nb_scope_valid(const uint8_t *p, uint32_t n) {
  uint32_t i = 0;
  while (i < n) {
    uint32_t l = p[i];
    if (l == 0 || l > 63 || l > n - i - 1) return 0;
    i += 1 + l;
  }
  return n <= 254; /* RFC 1002: whole encoded name at most 255 bytes */
}

SMBW_API int smbw_nb_scope_to_text(smbw_bytes scope, char *dst, size_t cap, size_t *need) {
  size_t pos = 0, total = 0;
  uint32_t i = 0;
  if (!dst && cap) return SMBW_E_INVAL;
  while (scope.data && i < scope.len) {
    uint32_t l = scope.data[i++];
    if (l > scope.len - i) l = scope.len - i;
    if (total) {
      if (pos + 1 < cap) dst[pos++] = '.';
      total++;
    }
    for (uint32_t k = 0; k < l; k++, total++)
      if (pos + 1 < cap) dst[pos++] = (char)scope.data[i + k];
    i += l;
  }
  if (cap) dst[pos] = '\0';
  if (need) *need = total;
  return total + 1 > cap ? SMBW_E_NOSPACE : 0;
}

/* Decode one first-level encoded name at p[*pos..end). */
SMBW_HIDDEN int smbw_nb_name_decode(const uint8_t *frame, uint32_t *pos, uint32_t end,
                                    smbw_nb_name *n, smbw_error *err) {
  uint32_t i = *pos;
  if (end - i < NB_NAME_MIN) return smbw_fail(err, SMBW_E_TRUNCATED, i, "Name");
  if (frame[i] != 32) return smbw_fail(err, SMBW_E_NBSS_NAME, i, "NameLength");
  i++;
  for (unsigned k = 0; k < 16; k++) {
    uint8_t hi = (uint8_t)(frame[i + 2 * k] - 'A'), lo = (uint8_t)(frame[i + 2 * k + 1] - 'A');
    if (hi > 15 || lo > 15)
      return smbw_fail(err, SMBW_E_NBSS_NAME, i + 2 * k + (hi > 15 ? 0u : 1u), "Name");
    n->name[k] = (uint8_t)((hi << 4) | lo);
  }
  i += 32;
  uint32_t scope_start = i;
  for (;;) {
    if (i >= end) return smbw_fail(err, SMBW_E_NBSS_SCOPE, i, "Scope");
    uint32_t l = frame[i];
    if (l == 0) break;
    if (l > 63) return smbw_fail(err, SMBW_E_NBSS_SCOPE, i, "Scope");
    if (l >= end - i) return smbw_fail(err, SMBW_E_NBSS_SCOPE, i, "Scope");
    i += 1 + l;
  }
  n->scope.data = i > scope_start ? frame + scope_start : NULL;
  n->scope.len = i - scope_start;
  if (n->scope.len > 254) return smbw_fail(err, SMBW_E_NBSS_SCOPE, scope_start, "Scope");
  *pos = i + 1;
  return 0;
}

SMBW_API int smbw_nbss_session_request_decode(const smbw_nbss *f,
    smbw_nbss_session_request *out, smbw_error *err) {
  if (!f || !out || !f->payload) return smbw_fail(err, SMBW_E_INVAL, 0, "packet");
  if (f->type != SMBW_NBSS_SESSION_REQUEST) return smbw_fail(err, SMBW_E_INVAL, 0, "Type");
  if (f->length > SMBW_NBSS_DIRECT_MAX) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
  /* Offsets are from the NBSS header: the payload starts at 4. */
  const uint8_t *frame = f->payload - SMBW_NBSS_HEADER_SIZE;
  uint32_t pos = SMBW_NBSS_HEADER_SIZE, end = f->length + SMBW_NBSS_HEADER_SIZE;
  smbw_nbss_session_request tmp;
  int rc = smbw_nb_name_decode(frame, &pos, end, &tmp.called, err);
  if (rc) return rc;
  rc = smbw_nb_name_decode(frame, &pos, end, &tmp.calling, err);
  if (rc) return rc;
  if (pos != end) return smbw_fail(err, SMBW_E_NBSS_LENGTH, pos, "Length");
  *out = tmp;
  return 0;
}

SMBW_HIDDEN uint8_t *smbw_nb_name_encode(uint8_t *p, const smbw_nb_name *n) {
  *p++ = 32;
  for (unsigned k = 0; k < 16; k++) {
    *p++ = (uint8_t)('A' + (n->name[k] >> 4));
    *p++ = (uint8_t)('A' + (n->name[k] & 0x0F));
  }
  if (n->scope.len) memcpy(p, n->scope.data, n->scope.len);
  p += n->scope.len;
  *p++ = 0;
  return p;
}

SMBW_API int smbw_nbss_session_request_encode(uint8_t *out, size_t cap,
    const smbw_nbss_session_request *r, size_t *len) {
  if (!r) return SMBW_E_INVAL;
  if ((r->called.scope.len && (!r->called.scope.data ||
                               !smbw_nb_scope_valid(r->called.scope.data, r->called.scope.len))) ||
      (r->calling.scope.len && (!r->calling.scope.data ||
                                !smbw_nb_scope_valid(r->calling.scope.data, r->calling.scope.len))))
    return SMBW_E_NBSS_SCOPE;
  uint32_t plen = smbw_nb_name_size(&r->called) + smbw_nb_name_size(&r->calling);
  size_t total = SMBW_NBSS_HEADER_SIZE + plen;
  if (len) *len = total;
  if (!out || cap < total) return SMBW_E_NOSPACE;
  smbw_nbss_header_encode(out, cap, SMBW_FRAMING_NBT, SMBW_NBSS_SESSION_REQUEST, plen, NULL);
  smbw_nb_name_encode(smbw_nb_name_encode(out + SMBW_NBSS_HEADER_SIZE, &r->called), &r->calling);
  return 0;
}

SMBW_API int smbw_nbss_negative_decode(const smbw_nbss *f, uint8_t *code, smbw_error *err) {
  if (!f || !code) return smbw_fail(err, SMBW_E_INVAL, 0, "packet");
  if (f->type != SMBW_NBSS_NEGATIVE_RESPONSE) return smbw_fail(err, SMBW_E_INVAL, 0, "Type");
  if (f->length != 1) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
  *code = f->payload[0];
  return 0;
}

SMBW_API int smbw_nbss_negative_encode(uint8_t *out, size_t cap, uint8_t code, size_t *len) {
  if (len) *len = 5;
  if (!out || cap < 5) return SMBW_E_NOSPACE;
  smbw_nbss_header_encode(out, cap, SMBW_FRAMING_NBT, SMBW_NBSS_NEGATIVE_RESPONSE, 1, NULL);
  out[4] = code;
  return 0;
}

SMBW_API int smbw_nbss_retarget_decode(const smbw_nbss *f, uint32_t *ipv4, uint16_t *port,
                                       smbw_error *err) {
  if (!f || !ipv4 || !port) return smbw_fail(err, SMBW_E_INVAL, 0, "packet");
  if (f->type != SMBW_NBSS_RETARGET_RESPONSE) return smbw_fail(err, SMBW_E_INVAL, 0, "Type");
  if (f->length != 6) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
  const uint8_t *p = f->payload;
  *ipv4 = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
  *port = (uint16_t)((p[4] << 8) | p[5]);
  return 0;
}

SMBW_API int smbw_nbss_retarget_encode(uint8_t *out, size_t cap, uint32_t ipv4, uint16_t port,
                                       size_t *len) {
  if (len) *len = 10;
  if (!out || cap < 10) return SMBW_E_NOSPACE;
  smbw_nbss_header_encode(out, cap, SMBW_FRAMING_NBT, SMBW_NBSS_RETARGET_RESPONSE, 6, NULL);
  out[4] = (uint8_t)(ipv4 >> 24);
  out[5] = (uint8_t)(ipv4 >> 16);
  out[6] = (uint8_t)(ipv4 >> 8);
  out[7] = (uint8_t)ipv4;
  out[8] = (uint8_t)(port >> 8);
  out[9] = (uint8_t)port;
  return 0;
}

SMBW_API const char *smbw_nbss_type_name(uint8_t type) {
  switch (type) {
  case SMBW_NBSS_SESSION_MESSAGE: return "SESSION_MESSAGE";
  case SMBW_NBSS_SESSION_REQUEST: return "SESSION_REQUEST";
  case SMBW_NBSS_POSITIVE_RESPONSE: return "POSITIVE_SESSION_RESPONSE";
  case SMBW_NBSS_NEGATIVE_RESPONSE: return "NEGATIVE_SESSION_RESPONSE";
  case SMBW_NBSS_RETARGET_RESPONSE: return "RETARGET_SESSION_RESPONSE";
  case SMBW_NBSS_KEEPALIVE: return "SESSION_KEEP_ALIVE";
  default: return NULL;
  }
}

SMBW_API const char *smbw_nbss_error_name(uint8_t code) {
  switch (code) {
  case SMBW_NBSS_ERR_NOT_LISTENING_CALLED: return "Not listening on called name";
  case SMBW_NBSS_ERR_NOT_LISTENING_CALLING: return "Not listening for calling name";
  case SMBW_NBSS_ERR_CALLED_NOT_PRESENT: return "Called name not present";
  case SMBW_NBSS_ERR_INSUFFICIENT_RESOURCES: return "Called name present, but insufficient resources";
  case SMBW_NBSS_ERR_UNSPECIFIED: return "Unspecified error";
  default: return NULL;
  }
}
