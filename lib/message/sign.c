/*
 * SMB1 message signing (MS-CIFS 3.1.4.1, 3.1.5.1; MS-SMB 3.1.5.1) and the
 * sequence-number rules (MS-CIFS 3.2.4.1.1, 3.3.5.2.3, 3.2.5.3, 3.3.5.3).
 *
 * The MAC is MD5(key || message with the sequence number in the
 * SecuritySignature field).  The message is never patched: the digest is
 * taken over four ranges (key, header bytes 0..13, the 8 sequence bytes,
 * bytes 22..end), which the caller's MD5 hashes as one stream.
 */
#include "../core/internal.h"

#define SIG_END (SMBW_SIGNATURE_OFFSET + SMBW_SIGNATURE_SIZE) /* 22 */

/* The checks every call makes on the message: there, a whole header, the
   magic.  Only a whole header is required: the signature covers whatever
   follows it, and checking the body is the decoders' job. */
static int sign_msg_check(const uint8_t *msg, size_t len, smbw_error *err) {
  if (SMBW_UNLIKELY(!msg)) return smbw_fail(err, SMBW_E_INVAL, 0, "msg");
  if (SMBW_UNLIKELY(len < SMBW_HEADER_SIZE))
    return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "Header");
  if (SMBW_UNLIKELY(ld32(msg) != SMBW_MAGIC32))
    return smbw_fail(err, SMBW_E_HDR_PROTOCOL, 0, "Protocol");
  return 0;
}

/* smbw_sign_parts() without the PLT hop for smbw_sign() and
   smbw_sign_check(). */
static int sign_parts(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                      size_t key_len, uint8_t seq_bytes[8], const uint8_t *parts[4],
                      size_t lens[4], smbw_error *err) {
  if (SMBW_UNLIKELY(!seq_bytes || !parts || !lens))
    return smbw_fail(err, SMBW_E_INVAL, 0, "parts");
  if (SMBW_UNLIKELY(!key || key_len == 0)) return smbw_fail(err, SMBW_E_INVAL, 0, "key");
  int rc = sign_msg_check(msg, len, err);
  if (rc < 0) return rc;
  /* MS-CIFS 3.1.4.1: the sequence number in the low 32 bits, then zeros */
  st32(seq_bytes, seq);
  st32(seq_bytes + 4, 0);
  parts[0] = key;
  lens[0] = key_len;
  parts[1] = msg;
  lens[1] = SMBW_SIGNATURE_OFFSET;
  parts[2] = seq_bytes;
  lens[2] = SMBW_SIGNATURE_SIZE;
  parts[3] = msg + SIG_END;
  lens[3] = len - SIG_END;
  return (int)SMBW_SIGN_PARTS;
}

SMBW_API int smbw_sign_parts(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                             size_t key_len, uint8_t seq_bytes[8], const uint8_t *parts[4],
                             size_t lens[4], smbw_error *err) {
  return sign_parts(msg, len, seq, key, key_len, seq_bytes, parts, lens, err);
}

SMBW_API int smbw_sign_finish(uint8_t *msg, size_t len, const uint8_t digest[16],
                              smbw_error *err) {
  if (SMBW_UNLIKELY(!digest)) return smbw_fail(err, SMBW_E_INVAL, 0, "digest");
  int rc = sign_msg_check(msg, len, err);
  if (rc < 0) return rc;
  memcpy(msg + SMBW_SIGNATURE_OFFSET, digest, SMBW_SIGNATURE_SIZE);
  return 0;
}

/* Every byte compared whatever the first difference: no timing oracle for
   forging a signature byte by byte.  msg holds a whole header. */
static int sign_compare(const uint8_t *msg, const uint8_t digest[16], smbw_error *err) {
  unsigned diff = 0;
  for (unsigned i = 0; i < SMBW_SIGNATURE_SIZE; i++)
    diff |= (unsigned)(msg[SMBW_SIGNATURE_OFFSET + i] ^ digest[i]);
  if (diff) return smbw_fail(err, SMBW_E_SIGNATURE, SMBW_SIGNATURE_OFFSET, "SecuritySignature");
  return 0;
}

SMBW_API int smbw_sign_match(const uint8_t *msg, size_t len, const uint8_t digest[16],
                             smbw_error *err) {
  if (SMBW_UNLIKELY(!digest)) return smbw_fail(err, SMBW_E_INVAL, 0, "digest");
  int rc = sign_msg_check(msg, len, err);
  if (rc < 0) return rc;
  return sign_compare(msg, digest, err);
}

/* The digest of a message for sequence number seq, through the caller's
   MD5. */
static int sign_digest(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                       size_t key_len, smbw_md5_fn md5, void *md5_ctx, uint8_t digest[16],
                       smbw_error *err) {
  uint8_t seq_bytes[8];
  const uint8_t *parts[SMBW_SIGN_PARTS];
  size_t lens[SMBW_SIGN_PARTS];
  if (SMBW_UNLIKELY(!md5)) return smbw_fail(err, SMBW_E_INVAL, 0, "md5");
  int rc = sign_parts(msg, len, seq, key, key_len, seq_bytes, parts, lens, err);
  if (rc < 0) return rc;
  md5(md5_ctx, parts, lens, SMBW_SIGN_PARTS, digest);
  return 0;
}

SMBW_API int smbw_sign(uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                       size_t key_len, smbw_md5_fn md5, void *md5_ctx, smbw_error *err) {
  uint8_t digest[SMBW_MD5_SIZE];
  int rc = sign_digest(msg, len, seq, key, key_len, md5, md5_ctx, digest, err);
  if (rc < 0) return rc;
  memcpy(msg + SMBW_SIGNATURE_OFFSET, digest, SMBW_SIGNATURE_SIZE);
  return 0;
}

SMBW_API int smbw_sign_check(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                             size_t key_len, smbw_md5_fn md5, void *md5_ctx, smbw_error *err) {
  uint8_t digest[SMBW_MD5_SIZE];
  int rc = sign_digest(msg, len, seq, key, key_len, md5, md5_ctx, digest, err);
  if (rc < 0) return rc;
  return sign_compare(msg, digest, err);
}

/* ---- sequence numbers ---- */

SMBW_API void smbw_sign_seq_init(smbw_sign_seq *s) {
  if (s) memset(s, 0, sizeof *s);
}

SMBW_API int smbw_sign_seq_activate(smbw_sign_seq *s, uint32_t *setup_rsp_seq) {
  if (SMBW_UNLIKELY(!s)) return SMBW_E_INVAL;
  if (SMBW_UNLIKELY(s->active)) return SMBW_E_STATE;
  /* MS-CIFS 3.2.5.3 / 3.3.5.3: the session setup request that established
     the key was 0, its response is 1, the next request is 2 */
  s->active = 1;
  s->next = 2;
  if (setup_rsp_seq) *setup_rsp_seq = 1;
  return 0;
}

SMBW_API int smbw_sign_seq_next(smbw_sign_seq *s, int kind, uint32_t *req_seq,
                                uint32_t *rsp_seq) {
  if (SMBW_UNLIKELY(!s || !req_seq)) return SMBW_E_INVAL;
  if (SMBW_UNLIKELY(kind != SMBW_SIGN_ANSWERED && kind != SMBW_SIGN_UNANSWERED &&
                    kind != SMBW_SIGN_CANCEL))
    return SMBW_E_INVAL;
  if (SMBW_UNLIKELY(!s->active)) return SMBW_E_STATE;
  uint32_t n = s->next;
  *req_seq = n;
  if (kind == SMBW_SIGN_CANCEL) {
    s->next = n + 1u; /* MS-CIFS 3.3.5.2.3: NT_CANCEL takes one number */
    return 0;
  }
  s->next = n + 2u; /* a request and its (possible) response */
  if (kind == SMBW_SIGN_UNANSWERED) return 0;
  if (rsp_seq) *rsp_seq = n + 1u;
  return 1;
}

SMBW_API int smbw_sign_request_kind(const uint8_t *msg, size_t len, smbw_error *err) {
  int rc = sign_msg_check(msg, len, err);
  if (rc < 0) return rc;
  if (SMBW_UNLIKELY(msg[9] & SMBW_FLAGS_REPLY)) return smbw_fail(err, SMBW_E_INVAL, 9, "Flags");
  uint8_t command = msg[4];
  if (command == SMBW_COM_NT_CANCEL) return SMBW_SIGN_CANCEL;
  if (command != SMBW_COM_LOCKING_ANDX && command != SMBW_COM_ECHO) return SMBW_SIGN_ANSWERED;
  if (SMBW_UNLIKELY(len < SMBW_HEADER_SIZE + 1u))
    return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "WordCount");
  uint8_t wct = msg[SMBW_HEADER_SIZE];
  const uint8_t *w = msg + SMBW_HEADER_SIZE + 1;
  size_t room = len - (SMBW_HEADER_SIZE + 1u);
  if (command == SMBW_COM_LOCKING_ANDX) {
    /* MS-CIFS 2.2.4.32.1: 8 words; TypeOfLock is byte 6 of them,
       NumberOfUnlocks and NumberOfLocks words 6 and 7 */
    if (SMBW_UNLIKELY(wct < 8)) return smbw_fail(err, SMBW_E_WCT, SMBW_HEADER_SIZE, "WordCount");
    if (SMBW_UNLIKELY(room < 16u))
      return smbw_fail(err, SMBW_E_WCT_OVERRUN, SMBW_HEADER_SIZE, "WordCount");
    if ((w[6] & SMBW_LOCKING_OPLOCK_RELEASE) && ld16(w + 12) == 0 && ld16(w + 14) == 0)
      return SMBW_SIGN_UNANSWERED;
    return SMBW_SIGN_ANSWERED;
  }
  /* ECHO (MS-CIFS 2.2.4.39.1): one word, EchoCount; 0 means no reply.
     Any other WordCount is answered (with an error). */
  if (wct != 1) return SMBW_SIGN_ANSWERED;
  if (SMBW_UNLIKELY(room < 2u))
    return smbw_fail(err, SMBW_E_WCT_OVERRUN, SMBW_HEADER_SIZE, "WordCount");
  return ld16(w) == 0 ? SMBW_SIGN_UNANSWERED : SMBW_SIGN_ANSWERED;
}
