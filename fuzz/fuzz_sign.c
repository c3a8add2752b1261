/*
 * libFuzzer target: message signing (sign.h) on arbitrary messages, keys
 * and sequence numbers, and the sequence counter driven by arbitrary
 * request kinds.
 *
 * Input: byte 0 picks the key length (0..40), bytes 1..4 the sequence
 * number, bytes 5..44 the key bytes, the rest is the SMB message; the
 * message also drives the counter (one kind per byte, 4 meaning an
 * invalid kind).
 *
 * Security model asserted:
 *  - every function reads only [msg, msg + len) (the message ends at a
 *    guard page) and fails exactly when the message has no whole header,
 *    does not start with 0xFF 'SMB', or the key is empty, with a precise
 *    error (fz_err_ok) and without calling MD5 or writing anything;
 *  - the parts are, in order, the key and the message with the sequence
 *    number (little-endian, 4 zero bytes) in bytes 14..21: the hash
 *    function is handed exactly key || that message, whatever the message
 *    held in its SecuritySignature field, and every part lies inside the
 *    key, the message or the 8 sequence bytes;
 *  - checking never writes the received message; signing a copy writes
 *    only bytes 14..21 (of a buffer of exactly len bytes), after which
 *    the check with the same key and number passes and smbw_sign_match
 *    refuses any other 8 bytes;
 *  - smbw_sign_request_kind agrees with a model of its rules;
 *  - the counter follows the rules: N, N + 1 for the response, N + 2 (N + 1
 *    for NT_CANCEL), never moving on an error.
 */
#include "fuzz_common.h"

/* The stand-in MD5: records the stream it is given (the library never
   looks at the digest's meaning, only carries it) and mixes it into 16
   bytes. */
static uint8_t stream[FZ_MAX + 64];
static size_t stream_len;
static unsigned md5_calls;

static void md5_record(void *ctx, const uint8_t *const *parts, const size_t *lens, size_t n,
                       uint8_t out[16]) {
  uint64_t h1 = 0xcbf29ce484222325ull, h2 = 0x84222325cbf29ce4ull;
  CHECK(ctx == (void *)stream);
  CHECK(n == SMBW_SIGN_PARTS);
  md5_calls++;
  stream_len = 0;
  for (size_t i = 0; i < n; i++) {
    CHECK(lens[i] <= sizeof stream - stream_len);
    if (lens[i]) memcpy(stream + stream_len, parts[i], lens[i]);
    stream_len += lens[i];
  }
  for (size_t i = 0; i < stream_len; i++) {
    h1 = (h1 ^ stream[i]) * 0x100000001b3ull;
    h2 = (h2 ^ stream[i] ^ (h1 >> 29)) * 0x100000001b3ull;
  }
  for (int i = 0; i < 8; i++) {
    out[i] = (uint8_t)(h1 >> (8 * i));
    out[8 + i] = (uint8_t)(h2 >> (8 * i));
  }
}

/* The kind smbw_sign_request_kind must give (>= 0), or the error. */
static int model_kind(const uint8_t *p, size_t len) {
  if (len < 32) return SMBW_E_TRUNCATED;
  if (!(p[0] == 0xFF && p[1] == 'S' && p[2] == 'M' && p[3] == 'B')) return SMBW_E_HDR_PROTOCOL;
  if (p[9] & 0x80) return SMBW_E_INVAL;
  if (p[4] == 0xA4) return SMBW_SIGN_CANCEL;
  if (p[4] != 0x24 && p[4] != 0x2B) return SMBW_SIGN_ANSWERED;
  if (len < 33) return SMBW_E_TRUNCATED;
  if (p[4] == 0x24) {
    if (p[32] < 8) return SMBW_E_WCT;
    if (len < 33 + 16) return SMBW_E_WCT_OVERRUN;
    return (p[33 + 6] & 2) && fz_ld16(p + 33 + 12) == 0 && fz_ld16(p + 33 + 14) == 0
               ? SMBW_SIGN_UNANSWERED
               : SMBW_SIGN_ANSWERED;
  }
  if (p[32] != 1) return SMBW_SIGN_ANSWERED;
  if (len < 35) return SMBW_E_WCT_OVERRUN;
  return fz_ld16(p + 33) == 0 ? SMBW_SIGN_UNANSWERED : SMBW_SIGN_ANSWERED;
}

static void counter(const uint8_t *k, size_t n) {
  smbw_sign_seq s;
  uint32_t req, rsp, one = 7;
  smbw_sign_seq_init(&s);
  CHECK(s.next == 0 && s.active == 0);
  CHECK(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, &req, &rsp) == SMBW_E_STATE);
  CHECK(smbw_sign_seq_activate(&s, &one) == 0 && one == 1 && s.next == 2 && s.active == 1);
  CHECK(smbw_sign_seq_activate(&s, &one) == SMBW_E_STATE && s.next == 2);
  uint32_t model = 2;
  for (size_t i = 0; i < n; i++) {
    int kind = k[i] % 5 == 4 ? (int)k[i] - 200 : k[i] % 3; /* some invalid kinds */
    rsp = 0x5A5A5A5Au;
    req = 0xA5A5A5A5u;
    int rc = smbw_sign_seq_next(&s, kind, &req, &rsp);
    if (kind < 0 || kind > 2) {
      CHECK(rc == SMBW_E_INVAL && s.next == model && req == 0xA5A5A5A5u);
      continue;
    }
    CHECK(req == model);
    if (kind == SMBW_SIGN_ANSWERED) {
      CHECK(rc == 1 && rsp == model + 1u);
      model += 2u;
    } else {
      CHECK(rc == 0 && rsp == 0x5A5A5A5Au);
      model += kind == SMBW_SIGN_CANCEL ? 1u : 2u;
    }
    CHECK(s.next == model);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FZ_MAX) return 0;
  fz_rd r = {data, size};
  size_t key_len = fz_u8(&r) % 41u;
  uint32_t seq = fz_u32(&r);
  uint8_t key[40] = {0};
  for (size_t i = 0; i < 40; i++) key[i] = fz_u8(&r);
  size_t len = r.n;
  const uint8_t *src = r.p;
  const uint8_t *msg = fz_place(0, src, len);
  const uint8_t *keyp = key_len ? fz_place(2, key, key_len) : key;
  smbw_error e = {0, 0, NULL};

  int want = len < 32 ? SMBW_E_TRUNCATED
             : !(msg[0] == 0xFF && msg[1] == 'S' && msg[2] == 'M' && msg[3] == 'B')
                 ? SMBW_E_HDR_PROTOCOL
                 : 0;
  int key_bad = key_len == 0;

  /* the parts */
  uint8_t seq_bytes[8];
  const uint8_t *parts[SMBW_SIGN_PARTS];
  size_t lens[SMBW_SIGN_PARTS];
  int rc = smbw_sign_parts(msg, len, seq, keyp, key_len, seq_bytes, parts, lens, &e);
  if (key_bad) {
    CHECK(rc == SMBW_E_INVAL && fz_err_ok(&e, rc, len));
  } else if (want) {
    CHECK(rc == want && fz_err_ok(&e, rc, len));
  } else {
    CHECK(rc == (int)SMBW_SIGN_PARTS);
    CHECK(parts[0] == keyp && lens[0] == key_len);
    CHECK(fz_inside(parts[1], lens[1], msg, len) && fz_inside(parts[3], lens[3], msg, len));
    CHECK(parts[2] == seq_bytes && lens[2] == 8);
    CHECK(fz_ld32(seq_bytes) == seq && fz_ld32(seq_bytes + 4) == 0);
  }

  /* the check: reads only, hashes key || message-with-seq */
  unsigned calls = md5_calls;
  e.code = 0;
  rc = smbw_sign_check(msg, len, seq, keyp, key_len, md5_record, stream, &e);
  CHECK(memcmp(msg, src, len) == 0);
  if (key_bad || want) {
    CHECK(rc == (key_bad ? SMBW_E_INVAL : want) && fz_err_ok(&e, rc, len));
    CHECK(md5_calls == calls);
  } else {
    CHECK(md5_calls == calls + 1);
    CHECK(rc == 0 || (rc == SMBW_E_SIGNATURE && fz_err_ok(&e, rc, len) && e.offset == 14));
    CHECK(stream_len == key_len + len);
    CHECK(memcmp(stream, key, key_len) == 0);
    CHECK(memcmp(stream + key_len, msg, 14) == 0);
    CHECK(fz_ld32(stream + key_len + 14) == seq && fz_ld32(stream + key_len + 18) == 0);
    CHECK(memcmp(stream + key_len + 22, msg + 22, len - 22) == 0);
  }

  /* signing a copy of exactly len bytes: only 14..21 change */
  uint8_t *out = fz_out(1, len);
  if (len) memcpy(out, src, len);
  rc = smbw_sign(out, len, seq, keyp, key_len, md5_record, stream, &e);
  CHECK(fz_canary_ok(1, len));
  if (key_bad || want) {
    CHECK(rc < 0 && fz_err_ok(&e, rc, len) && memcmp(out, src, len) == 0);
  } else {
    CHECK(rc == 0);
    CHECK(memcmp(out, src, 14) == 0 && memcmp(out + 22, src + 22, len - 22) == 0);
    CHECK(smbw_sign_check(out, len, seq, keyp, key_len, md5_record, stream, NULL) == 0);
    /* the two steps give the same signature */
    uint8_t d[16], sig[8];
    memcpy(sig, out + 14, 8);
    CHECK(smbw_sign_parts(out, len, seq, keyp, key_len, seq_bytes, parts, lens, NULL) == 4);
    md5_record(stream, parts, lens, SMBW_SIGN_PARTS, d);
    CHECK(memcmp(d, sig, 8) == 0);
    CHECK(smbw_sign_match(out, len, d, NULL) == 0);
    d[seq & 7] ^= (uint8_t)(1u << (seq >> 29));
    CHECK(smbw_sign_match(out, len, d, &e) == SMBW_E_SIGNATURE && e.offset == 14);
    memset(out + 14, 0, 8);
    CHECK(smbw_sign_finish(out, len, d, NULL) == 0);
    CHECK(memcmp(out + 14, d, 8) == 0 && memcmp(out, src, 14) == 0);
  }

  /* the request classifier */
  e.code = 0;
  rc = smbw_sign_request_kind(msg, len, &e);
  CHECK(rc == model_kind(msg, len));
  if (rc < 0) CHECK(fz_err_ok(&e, rc, len));

  counter(src, len < 512 ? len : 512);
  return 0;
}
