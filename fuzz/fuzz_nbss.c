/*
 * libFuzzer target: the NBSS framer and packet decoders.  Byte 0 picks the
 * transport (bit 0: 0 NBT, 1 DIRECT); the rest is a byte stream framed
 * packet after packet (placed against a guard page), and every framed
 * packet is decoded by its type's decoder.
 *
 * Security model asserted:
 *  - a complete frame never claims bytes that are not there: its size is
 *    4 + length, length is within the transport's limit (0x1FFFF NBT,
 *    0xFFFFFF DIRECT), the payload view starts right after the header;
 *  - every step consumes at least 4 bytes (the stream loop is bounded);
 *  - every proper prefix of a complete frame asks for more: 0 with need
 *    >= 1, and exactly the missing byte count once the header is in;
 *  - a framing error names the header field and an offset inside the
 *    4-byte header, and every longer prefix gives the same error;
 *  - decoders: a session request that decodes re-encodes to the same bytes
 *    into a buffer of exactly its size (guard page after, canary before)
 *    and reports NOSPACE for one byte less without writing outside; a
 *    failing one names an offset inside the packet; negative and retarget
 *    responses and the header itself round-trip the same way;
 *  - smbw_raw_frame() frames a session message as smbw_nbss_frame() does
 *    and refuses other types; smbw_raw_encode() writes it back exactly;
 *  - smbw_nb_scope_to_text: every cap NUL-terminated, same need, prefix
 *    of the full text; smbw_nb_name_get gives at most 15 bytes without
 *    trailing spaces.
 */
#include "fuzz_common.h"

static void check_scope(smbw_bytes scope) {
  char full[600];
  size_t need = 0, need2;
  int rc = smbw_nb_scope_to_text(scope, full, sizeof full, &need);
  CHECK(rc == 0 && need < sizeof full && strlen(full) <= need);
  CHECK(smbw_nb_scope_to_text(scope, NULL, 0, &need2) == SMBW_E_NOSPACE && need2 == need);
  for (size_t cap = 1; cap <= need + 1; cap++) {
    char *o = (char *)fz_out(2, cap);
    rc = smbw_nb_scope_to_text(scope, o, cap, &need2);
    CHECK(fz_canary_ok(2, cap) && need2 == need);
    CHECK(rc == (cap < need + 1 ? SMBW_E_NOSPACE : 0));
    size_t l = need < cap - 1 ? need : cap - 1;
    CHECK(o[l] == 0 && memcmp(o, full, l) == 0);
  }
}

static void check_name(const smbw_nb_name *nm) {
  char out[16];
  size_t l = smbw_nb_name_get(nm, out);
  CHECK(l <= 15 && out[l] == 0 && (l == 0 || out[l - 1] != ' '));
  CHECK(memcmp(out, nm->name, l) == 0);
  for (size_t k = l; k < 15; k++) CHECK(nm->name[k] == ' ');
  check_scope(nm->scope);
}

static size_t next_prefix(size_t k, size_t total) {
  if (k < 64) return k + 1;
  if (k + 97 < total - 1) return k + 97;
  return k == total - 1 ? total : total - 1;
}

static void check_prefixes(const uint8_t *p, size_t total, int tr) {
  /* Every proper prefix of a complete frame asks for more (sampled past
     64 bytes, and always the last one).  Prefixes are placed against their
     own guard page. */
  for (size_t k = 0; k < total; k = next_prefix(k, total)) {
    const uint8_t *q = fz_place(1, p, k);
    size_t need = 0;
    smbw_nbss f;
    CHECK(smbw_nbss_frame(q, k, tr, &f, &need, NULL) == 0);
    CHECK(need >= 1 && (k < 4 || need == total - k));
    CHECK(k >= 4 || need == 4 - k);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  int tr = (data[0] & 1) ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
  size_t n = size - 1;
  const uint8_t *p = fz_place(0, data + 1, n);
  unsigned steps = 0;
  while (n > 0) {
    smbw_nbss f;
    size_t need = 0;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_nbss_frame(p, n, tr, &f, &need, &e);
    CHECK(++steps <= size / 4 + 1);
    if (rc < 0) {
      CHECK(fz_err_ok(&e, rc, n) && e.offset < 4);
      CHECK(rc == SMBW_E_NBSS_TYPE || rc == SMBW_E_NBSS_FLAGS || rc == SMBW_E_NBSS_LENGTH);
      /* The same error for every longer prefix (the header decides). */
      for (size_t k = 4; k <= n; k += (n - 4) / 3 + 1) {
        smbw_error e2 = {0, 0, NULL};
        CHECK(smbw_nbss_frame(p, k, tr, NULL, NULL, &e2) == rc && e2.offset == e.offset);
      }
      return 0;
    }
    if (rc == 0) {
      CHECK(need >= 1 && (n < 4 || n + need <= 4u + 0xFFFFFFu));
      if (n >= 4) {
        uint32_t plen = tr == SMBW_FRAMING_DIRECT
                            ? ((uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3])
                            : ((uint32_t)(p[1] & 1) << 16 | (uint32_t)p[2] << 8 | p[3]);
        CHECK(need == 4u + plen - n);
      }
      return 0;
    }
    size_t total = (size_t)rc;
    CHECK(total <= n && total == 4u + f.length && f.payload == p + 4);
    CHECK(f.type == p[0] && f.flags == p[1]);
    CHECK(f.length <= (tr == SMBW_FRAMING_DIRECT ? 0xFFFFFFu : 0x1FFFFu));
    check_prefixes(p, total, tr);

    /* The header re-encodes to the same 4 bytes. */
    uint8_t *h = fz_out(2, 4);
    size_t hl = 0;
    CHECK(smbw_nbss_header_encode(h, 4, tr, f.type, f.length, &hl) == 0 && hl == 4);
    CHECK(memcmp(h, p, 4) == 0 && fz_canary_ok(2, 4));
    CHECK(smbw_nbss_header_encode(h, 3, tr, f.type, f.length, NULL) == SMBW_E_NOSPACE);

    /* As raw data (READ_RAW): a session message frames the same and its
       payload writes back to the same packet; other types are refused. */
    smbw_bytes raw = {NULL, 0};
    int rr = smbw_raw_frame(p, n, tr, &raw, NULL, NULL);
    if (f.type == SMBW_NBSS_SESSION_MESSAGE) {
      CHECK(rr == rc && raw.data == f.payload && raw.len == f.length);
      size_t rl = 0;
      uint8_t *ro = fz_out(3, total);
      CHECK(smbw_raw_encode(ro, total, tr, raw, &rl) == 0 && rl == total);
      CHECK(memcmp(ro, p, total) == 0 && fz_canary_ok(3, total));
      CHECK(smbw_raw_encode(ro, total - 1, tr, raw, &rl) == SMBW_E_NOSPACE && rl == total);
    } else {
      CHECK(rr == SMBW_E_NBSS_TYPE);
    }

    if (f.type == SMBW_NBSS_SESSION_REQUEST) {
      smbw_nbss_session_request r;
      smbw_error e2 = {0, 0, NULL};
      int drc = smbw_nbss_session_request_decode(&f, &r, &e2);
      if (drc == 0) {
        size_t len = 0;
        CHECK(smbw_nbss_session_request_encode(NULL, 0, &r, &len) == SMBW_E_NOSPACE);
        CHECK(len == total);
        uint8_t *o = fz_out(2, len);
        CHECK(smbw_nbss_session_request_encode(o, len, &r, &len) == 0 && len == total);
        CHECK(memcmp(o, p, total) == 0 && fz_canary_ok(2, len));
        o = fz_out(2, len - 1);
        CHECK(smbw_nbss_session_request_encode(o, len - 1, &r, NULL) == SMBW_E_NOSPACE);
        CHECK(fz_canary_ok(2, len - 1));
        check_name(&r.called);
        check_name(&r.calling);
        CHECK(fz_inside(r.called.scope.data, r.called.scope.len, p, total));
        CHECK(fz_inside(r.calling.scope.data, r.calling.scope.len, p, total));
      } else {
        CHECK(fz_err_ok(&e2, drc, total) && e2.offset >= 4);
      }
    } else if (f.type == SMBW_NBSS_NEGATIVE_RESPONSE) {
      uint8_t code;
      CHECK(smbw_nbss_negative_decode(&f, &code, NULL) == 0 && code == p[4]);
      uint8_t *o = fz_out(2, 5);
      CHECK(smbw_nbss_negative_encode(o, 5, code, NULL) == 0 && memcmp(o, p, 5) == 0);
      CHECK(fz_canary_ok(2, 5));
      (void)smbw_nbss_error_name(code);
    } else if (f.type == SMBW_NBSS_RETARGET_RESPONSE) {
      uint32_t ip;
      uint16_t port;
      CHECK(smbw_nbss_retarget_decode(&f, &ip, &port, NULL) == 0);
      uint8_t *o = fz_out(2, 10);
      CHECK(smbw_nbss_retarget_encode(o, 10, ip, port, NULL) == 0 && memcmp(o, p, 10) == 0);
      CHECK(fz_canary_ok(2, 10));
    } else if (f.type == SMBW_NBSS_KEEPALIVE || f.type == SMBW_NBSS_POSITIVE_RESPONSE) {
      CHECK(f.length == 0);
    }
    /* The wrong decoder for the type refuses it. */
    if (f.type != SMBW_NBSS_NEGATIVE_RESPONSE) {
      uint8_t code;
      CHECK(smbw_nbss_negative_decode(&f, &code, NULL) == SMBW_E_INVAL);
    }
    if (f.type != SMBW_NBSS_SESSION_REQUEST) {
      smbw_nbss_session_request r;
      CHECK(smbw_nbss_session_request_decode(&f, &r, NULL) == SMBW_E_INVAL);
    }
    CHECK(smbw_nbss_type_name(f.type) != NULL);
    p += total;
    n -= total;
  }
  return 0;
}
