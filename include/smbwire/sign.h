/**
 * @file sign.h
 * @brief SMB1 message signing: the MAC over a message, and the sequence
 *        numbers it is keyed with (MS-CIFS 3.1.4.1, 3.1.5.1, 3.2.4.1.1,
 *        3.2.5.1.2, 3.3.4.1.1, 3.3.5.2.3; MS-SMB 3.1.5.1).
 *
 * A signed SMB1 message carries in its SecuritySignature field (header
 * bytes 14..21) the first 8 bytes of
 *
 *     MD5(MAC key || the message with its sequence number in that field)
 *
 * where the sequence number is written as 4 little-endian bytes followed
 * by 4 zero bytes.  The MAC key is the session key (16 bytes), followed,
 * for NTLMv1 or LM authentication without extended security, by the
 * 24-byte challenge response the client sent; with extended security
 * (NTLMSSP, Kerberos) and NTLMv2 it is the 16-byte session key alone.
 *
 * Every function here works on the **SMB message**: the bytes from the
 * header's 0xFF 'S' 'M' 'B' to the end of the message, without the 4-byte
 * NBSS header in front of it (use smbw_nbss_frame() to find them).
 *
 * The library computes no digest: it has no crypto dependency.  The
 * caller supplies MD5, in either of two ways:
 *
 * - **one call**: smbw_sign() and smbw_sign_check() take a function
 *   (smbw_md5_fn) that hashes a list of byte ranges in order;
 * - **two steps**: smbw_sign_parts() names the byte ranges to hash (the
 *   key, header bytes 0..13, the 8 sequence bytes, the rest of the
 *   message) without touching the message; the caller hashes them and
 *   hands the digest to smbw_sign_finish() (to sign) or smbw_sign_match()
 *   (to check).
 *
 * Neither way modifies a received message, so a check needs no copy.
 *
 * Which sequence number a message has is the job of smbw_sign_seq (below):
 * requests take N, their response N + 1, and the counter moves by 2, or
 * by 1 for NT_CANCEL.  See doc/signing.md for the rules and an example.
 */
#ifndef SMBWIRE_SIGN_H
#define SMBWIRE_SIGN_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Offset of the SecuritySignature field in the SMB header (MS-CIFS 2.2.3.1). */
#define SMBW_SIGNATURE_OFFSET 14u
/** Size of the SecuritySignature field: the signature is the first 8 bytes
    of the MD5 digest. */
#define SMBW_SIGNATURE_SIZE 8u
/** Size of an MD5 digest. */
#define SMBW_MD5_SIZE 16u
/** Number of byte ranges smbw_sign_parts() names (and smbw_sign() and
    smbw_sign_check() pass to the MD5 function). */
#define SMBW_SIGN_PARTS 4u
/** Size of the session key part of a MAC key. */
#define SMBW_SIGN_SESSION_KEY_SIZE 16u
/** Size of the MAC key with NTLMv1 (or LM) authentication without
    extended security: the session key and the 24-byte response. */
#define SMBW_SIGN_KEY_NTLMV1_SIZE 40u

/**
 * The caller's MD5: hash the @p nparts byte ranges @p parts[i] of
 * @p lens[i] bytes, in order, as one message, and write the 16-byte
 * digest to @p out.
 *
 * Called once per smbw_sign() or smbw_sign_check(), with @p nparts equal
 * to SMBW_SIGN_PARTS and every range inside the caller's key and message
 * (or the library's 8-byte stack copy of the sequence number).  A range
 * may be empty (length 0).  @p ctx is the pointer the caller passed along
 * (for example a hash object to reuse); the library never looks at it.
 * The function must not keep the pointers after it returns.
 */
typedef void (*smbw_md5_fn)(void *ctx, const uint8_t *const *parts, const size_t *lens,
                            size_t nparts, uint8_t out[16]);

/**
 * Name the bytes whose MD5 is the signature of a message with sequence
 * number @p seq: (1) the MAC key, (2) header bytes 0..13, (3) @p seq as 4
 * little-endian bytes and 4 zero bytes, written to @p seq_bytes, (4)
 * message bytes 22..len-1.  Hashed in that order they give the same
 * digest as the key followed by the message with the sequence number in
 * its SecuritySignature field, whatever that field holds now.
 *
 * The message is not modified.  Hash the parts, then call
 * smbw_sign_finish() to sign or smbw_sign_match() to check.
 *
 * @param msg        the SMB message (from 0xFF 'S' 'M' 'B', without the
 *                   NBSS header); only read
 * @param len        its length in bytes: at least SMBW_HEADER_SIZE (32)
 * @param seq        the message's sequence number (smbw_sign_seq_next())
 * @param key        the MAC key: the session key, and for NTLMv1 without
 *                   extended security the 24-byte response after it
 * @param key_len    bytes in @p key: at least 1 (normally 16 or 40)
 * @param seq_bytes  8 bytes of the caller's, which part 3 points at: keep
 *                   them until the parts are hashed
 * @param parts      out: SMBW_SIGN_PARTS pointers (into @p key, @p msg
 *                   and @p seq_bytes)
 * @param lens       out: their lengths
 * @param err        optional; filled on failure
 * @return SMBW_SIGN_PARTS (4) on success, or a negative error:
 *         - SMBW_E_INVAL: @p seq_bytes, @p parts or @p lens NULL (field
 *           "parts"), @p key NULL or @p key_len 0 (field "key"), @p msg
 *           NULL (field "msg"), in that order; offset 0;
 *         - SMBW_E_TRUNCATED: @p len < 32 (field "Header", offset @p len);
 *         - SMBW_E_HDR_PROTOCOL: the message does not start with 0xFF 'S'
 *           'M' 'B' (an NBSS header in front, for example; offset 0).
 *         Nothing is written on failure.
 */
SMBW_API int smbw_sign_parts(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                             size_t key_len, uint8_t seq_bytes[8], const uint8_t *parts[4],
                             size_t lens[4], smbw_error *err);

/**
 * Write a signature: the first 8 bytes of @p digest into the
 * SecuritySignature field of @p msg (bytes 14..21).  @p digest is the MD5
 * of the parts smbw_sign_parts() named.  The rest of the message must not
 * change afterwards.
 *
 * @param msg     the SMB message (without the NBSS header)
 * @param len     its length: at least 32
 * @param digest  the 16-byte MD5 digest
 * @param err     optional; filled on failure
 * @return 0, or SMBW_E_INVAL (@p digest NULL: field "digest"; @p msg
 *         NULL: field "msg"), SMBW_E_TRUNCATED (@p len < 32: field
 *         "Header", offset @p len), SMBW_E_HDR_PROTOCOL (not an SMB1
 *         message: field "Protocol", offset 0).  Nothing is written on
 *         failure.
 */
SMBW_API int smbw_sign_finish(uint8_t *msg, size_t len, const uint8_t digest[16],
                              smbw_error *err);

/**
 * Check a received signature against a digest: compare the message's
 * SecuritySignature field with the first 8 bytes of @p digest, in time
 * that does not depend on where they differ.  @p digest is the MD5 of the
 * parts smbw_sign_parts() named for the expected sequence number.
 *
 * @param msg     the received SMB message (without the NBSS header); only
 *                read
 * @param len     its length: at least 32
 * @param digest  the 16-byte MD5 digest
 * @param err     optional; filled on failure
 * @return 0 if the signature matches; SMBW_E_SIGNATURE if it does not
 *         (field "SecuritySignature", offset 14); SMBW_E_INVAL,
 *         SMBW_E_TRUNCATED or SMBW_E_HDR_PROTOCOL as smbw_sign_finish().
 */
SMBW_API int smbw_sign_match(const uint8_t *msg, size_t len, const uint8_t digest[16],
                             smbw_error *err);

/**
 * Sign a message in one call: smbw_sign_parts(), @p md5 over the parts,
 * smbw_sign_finish().  The header (Flags2 with
 * SMBW_FLAGS2_SECURITY_SIGNATURE among them) and the body must be final:
 * only bytes 14..21 are written.
 *
 * @param msg      the SMB message to sign (without the NBSS header)
 * @param len      its length: at least 32
 * @param seq      its sequence number
 * @param key      the MAC key; @p key_len at least 1
 * @param key_len  bytes in @p key
 * @param md5      the caller's MD5 (smbw_md5_fn)
 * @param md5_ctx  passed to @p md5 as is
 * @param err      optional; filled on failure
 * @return 0, or SMBW_E_INVAL (@p md5 NULL: field "md5"; then as
 *         smbw_sign_parts(): "key", "msg"), SMBW_E_TRUNCATED,
 *         SMBW_E_HDR_PROTOCOL as smbw_sign_parts(); on failure the message
 *         is unchanged and @p md5 is not called.
 */
SMBW_API int smbw_sign(uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                       size_t key_len, smbw_md5_fn md5, void *md5_ctx, smbw_error *err);

/**
 * Check the signature of a received message in one call: the digest of
 * smbw_sign_parts() for the expected sequence number @p seq, compared by
 * smbw_sign_match().  The message is not modified.
 *
 * Which messages to check is the caller's policy: MS-CIFS 3.2.5.1.2 exempts
 * the oplock break notifications a server sends (a LOCKING_ANDX request
 * from the server), which carry no signature.
 *
 * @param msg      the received SMB message (without the NBSS header);
 *                 only read
 * @param len      its length: at least 32
 * @param seq      the sequence number it must have (smbw_sign_seq_next())
 * @param key      the MAC key; @p key_len at least 1
 * @param key_len  bytes in @p key
 * @param md5      the caller's MD5 (smbw_md5_fn)
 * @param md5_ctx  passed to @p md5 as is
 * @param err      optional; filled on failure
 * @return 0 if the signature is right; SMBW_E_SIGNATURE if not (field
 *         "SecuritySignature", offset 14); SMBW_E_INVAL, SMBW_E_TRUNCATED,
 *         SMBW_E_HDR_PROTOCOL as smbw_sign() (and then @p md5 is not
 *         called).
 */
SMBW_API int smbw_sign_check(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                             size_t key_len, smbw_md5_fn md5, void *md5_ctx, smbw_error *err);

/**
 * What a request does to the sequence numbers (MS-CIFS 3.2.4.1.1 for the
 * client, 3.3.5.2.3 for the server).
 */
enum smbw_sign_kind {
  SMBW_SIGN_ANSWERED = 0,    /**< a request that gets a response: the request
                                  takes N, its response (every response, if
                                  several) N + 1, the next request N + 2 */
  SMBW_SIGN_UNANSWERED = 1,  /**< a request that gets no response (an oplock
                                  break acknowledgement, ECHO with EchoCount
                                  0): N, the next request N + 2 */
  SMBW_SIGN_CANCEL = 2       /**< NT_CANCEL: N, the next request N + 1 */
};

/**
 * The sequence-number counter of one signed connection, on either side:
 * a client counts the requests it sends, a server the requests it
 * receives, with the same calls.
 *
 * A plain struct, caller-allocated (usually inside the connection's
 * state): smbw_sign_seq_init() before use, then only the library's calls
 * change it.  @c next and @c active may be read.  Its size never changes
 * within the SONAME; the reserved room is for later state (doc/abi.md).
 *
 * Rules (MS-CIFS 3.2.4.1.1, 3.2.5.3, 3.3.5.2.3, 3.3.5.3):
 * - signing starts once per connection, with the SESSION_SETUP_ANDX that
 *   establishes the first session key: that request counts as 0 and its
 *   (successful) response is signed with 1; smbw_sign_seq_activate() then
 *   sets @c next to 2.  Messages before it are not signed;
 * - every later request takes @c next; see enum smbw_sign_kind for how far
 *   @c next then moves and which number the response gets;
 * - the response number is per request: keep the one smbw_sign_seq_next()
 *   returns with the pending request (MS-CIFS keys it by PID and MID) and
 *   sign or check the response(s) with it.  A transaction's secondary
 *   requests are ANSWERED: the final response is checked with the number
 *   of the last secondary (so keep the latest number per PID and MID);
 * - numbers are 32-bit and wrap around modulo 2^32.
 */
typedef struct smbw_sign_seq {
  uint32_t next;          /**< the sequence number of the next request */
  uint8_t active;         /**< 1 once smbw_sign_seq_activate() has run, else 0 */
  uint8_t reserved8_[3];  /**< room for new flags within the SONAME */
  uintptr_t reserved_[2]; /**< room for new state within the SONAME */
} smbw_sign_seq;

/**
 * Start a counter: not active, @c next 0.
 * @param s  the counter (NULL is ignored)
 */
SMBW_API void smbw_sign_seq_init(smbw_sign_seq *s);

/**
 * Start signing: the SESSION_SETUP_ANDX exchange that establishes the
 * session key is request 0 and response 1, and the next request is 2.
 * A client calls it on receiving the successful response (before checking
 * that response with sequence number 1); a server when it accepts the
 * request (and signs its response with 1).
 *
 * @param s             the counter (smbw_sign_seq_init() first)
 * @param setup_rsp_seq optional; out: the sequence number of the session
 *                      setup response (always 1)
 * @return 0, or SMBW_E_INVAL (@p s NULL), or SMBW_E_STATE if signing is
 *         already active: it starts only once per connection (a later
 *         session setup keeps counting as an ordinary request).
 */
SMBW_API int smbw_sign_seq_activate(smbw_sign_seq *s, uint32_t *setup_rsp_seq);

/**
 * Take the sequence number of the next request and move the counter.
 * A client calls it for each request it sends, a server for each request
 * it receives (signed correctly or not: the counter moves either way).
 *
 * @param s        an active counter
 * @param kind     an enum smbw_sign_kind value, for example from
 *                 smbw_sign_request_kind()
 * @param req_seq  out: the request's sequence number
 * @param rsp_seq  optional; out: its response's number, written only when
 *                 @p kind is SMBW_SIGN_ANSWERED
 * @return 1 if a response is expected (ANSWERED), 0 if not (UNANSWERED,
 *         CANCEL), or SMBW_E_INVAL (a NULL pointer, an unknown @p kind) or
 *         SMBW_E_STATE (signing not active); nothing changes on failure.
 */
SMBW_API int smbw_sign_seq_next(smbw_sign_seq *s, int kind, uint32_t *req_seq,
                                uint32_t *rsp_seq);

/**
 * Classify a request for smbw_sign_seq_next(), from its bytes (one a client
 * builds, or one a server receives):
 * - SMBW_SIGN_CANCEL: SMB_COM_NT_CANCEL;
 * - SMBW_SIGN_UNANSWERED: a LOCKING_ANDX whose TypeOfLock has
 *   OPLOCK_RELEASE (0x02) and whose NumberOfUnlocks and NumberOfLocks are
 *   0 (an oplock break acknowledgement, MS-CIFS 2.2.4.32.1), and an ECHO
 *   with one parameter word and EchoCount 0 (MS-CIFS 2.2.4.39.1);
 * - SMBW_SIGN_ANSWERED: every other request.
 *
 * Only the header and the parameter words the rule needs are read.  A
 * server that gets an error here answers the request with an error, so it
 * counts it as ANSWERED.
 *
 * @param msg  the request (without the NBSS header); only read
 * @param len  its length
 * @param err  optional; filled on failure
 * @return an enum smbw_sign_kind value (>= 0), or:
 *         - SMBW_E_INVAL: @p msg NULL, or the message is a response
 *           (SMB_FLAGS_REPLY set; field "Flags", offset 9);
 *         - SMBW_E_TRUNCATED: fewer than 32 bytes ("Header"), or a
 *           LOCKING_ANDX or ECHO without its WordCount ("WordCount",
 *           offset @p len);
 *         - SMBW_E_HDR_PROTOCOL: not an SMB1 message;
 *         - SMBW_E_WCT: a LOCKING_ANDX with fewer than 8 words (offset 32);
 *         - SMBW_E_WCT_OVERRUN: the words it needs run past @p len
 *           (offset 32).
 */
SMBW_API int smbw_sign_request_kind(const uint8_t *msg, size_t len, smbw_error *err);

#ifdef __cplusplus
}
#endif
#endif
