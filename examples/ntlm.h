/*
 * NTLM and SPNEGO helpers for the smbwire example client (MS-NLMP,
 * RFC 4178).  The library itself does no cryptography and knows nothing of
 * security blobs: these helpers build and parse them, with nettle for
 * MD4, MD5, HMAC-MD5 and DES.
 *
 *  - NTLMv1 of the NT LM 0.12 SESSION_SETUP_ANDX without extended security:
 *    ntlm_nt_hash(), ntlm_v1_response(), ntlm_v1_session_key().
 *  - NTLMv2 through extended security: ntlm_negotiate_msg() (NTLMSSP
 *    NEGOTIATE), ntlm_challenge_parse() (CHALLENGE), ntlm_v2_authenticate()
 *    (AUTHENTICATE with the NTLMv2 response built on the server's target
 *    info; gives the 16-byte session key).  No key exchange, no MIC.
 *  - The minimal DER of SPNEGO around them: spnego_wrap_init(),
 *    spnego_wrap_resp(), spnego_parse_resp().  Every length is checked
 *    against its enclosing one; nothing longer than 64 KiB is accepted.
 *
 * Every function writes only inside the caller's buffer and returns 0 or
 * a negative NTLM_E_* code; none allocates.
 */
#ifndef SMBWIRE_EXAMPLES_NTLM_H
#define SMBWIRE_EXAMPLES_NTLM_H

#include <stddef.h>
#include <stdint.h>

/** Longest password accepted, in UTF-16 code units. */
#define NTLM_MAX_PASSWORD 256
/** Longest user or domain name accepted, in UTF-16 code units. */
#define NTLM_MAX_NAME 256

/** @name Errors
 * @{ */
#define NTLM_E_SPACE (-1)    /**< the output buffer is too small */
#define NTLM_E_MALFORMED (-2) /**< a blob or message the parser refuses */
#define NTLM_E_INPUT (-3)     /**< a password or name not valid UTF-8, or too long */
/** @} */

/** @name NTLMSSP NegotiateFlags (MS-NLMP 2.2.2.5)
 * @{ */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
/** @} */

/** The flags ntlm_negotiate_msg() asks for. */
#define NTLM_CLIENT_FLAGS                                                                   \
  (NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_REQUEST_TARGET | NTLMSSP_NEGOTIATE_SIGN |           \
   NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |                                 \
   NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY | NTLMSSP_NEGOTIATE_128)

/**
 * NT hash: MD4 of the UTF-16LE encoding of @p password (UTF-8).
 * @return 0, or NTLM_E_INPUT if the password is not valid UTF-8 or too long.
 */
int ntlm_nt_hash(const char *password, uint8_t hash[16]);

/**
 * NTLMv1 response: the 8-byte @p challenge DES-encrypted under each of the
 * three 7-byte keys of the 21-byte zero-padded @p hash.
 */
void ntlm_v1_response(const uint8_t hash[16], const uint8_t challenge[8],
                      uint8_t response[24]);

/** NTLMv1 session key (MS-NLMP 3.3.1): MD4 of the NT hash. */
void ntlm_v1_session_key(const uint8_t hash[16], uint8_t key[16]);

/**
 * NTLMSSP NEGOTIATE_MESSAGE with NTLM_CLIENT_FLAGS and no domain or
 * workstation (32 bytes).
 * @return 0 with *len set, or NTLM_E_SPACE.
 */
int ntlm_negotiate_msg(uint8_t *buf, size_t cap, size_t *len);

/** What the client needs of a CHALLENGE_MESSAGE; views into the message. */
typedef struct ntlm_challenge {
  uint32_t flags;               /**< NegotiateFlags */
  uint8_t server_challenge[8];  /**< ServerChallenge */
  const uint8_t *target_name;   /**< TargetName (UTF-16LE with the UNICODE flag) */
  size_t target_name_len;
  const uint8_t *target_info;   /**< TargetInfo: the AV_PAIR list, ends with MsvAvEOL */
  size_t target_info_len;
  uint64_t timestamp;           /**< MsvAvTimestamp (FILETIME), when has_timestamp */
  int has_timestamp;
} ntlm_challenge;

/**
 * Parse an NTLMSSP CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2): signature, type 2,
 * each payload field inside the message, the target info a well-formed
 * AV_PAIR list ending with MsvAvEOL.
 * @return 0 or NTLM_E_MALFORMED.
 */
int ntlm_challenge_parse(const uint8_t *msg, size_t len, ntlm_challenge *out);

/**
 * NTLMSSP AUTHENTICATE_MESSAGE with an NTLMv2 response (MS-NLMP 3.3.2):
 * NTOWFv2 = HMAC_MD5(NT hash, UTF-16LE(uppercase(user) || domain)) (ASCII
 * letters are uppercased, others kept); temp = 0x0101, zeros, the time
 * (the server's MsvAvTimestamp if it sent one, else @p now), the client
 * challenge, zeros, the target info, zeros; NTProofStr = HMAC_MD5(NTOWFv2,
 * server challenge || temp); NtChallengeResponse = NTProofStr || temp;
 * LmChallengeResponse = LMv2, or 24 zeros with a server timestamp.  The
 * flags are ours ANDed with the server's; no key exchange.
 * @param session_key receives the session key, HMAC_MD5(NTOWFv2, NTProofStr):
 *        the MAC key of SMB signing.
 * @return 0 with *len set; NTLM_E_SPACE; NTLM_E_INPUT (bad UTF-8 or too long).
 */
int ntlm_v2_authenticate(const ntlm_challenge *ch, const char *user, const char *domain,
                         const char *password, const uint8_t client_challenge[8],
                         uint64_t now, uint8_t *buf, size_t cap, size_t *len,
                         uint8_t session_key[16]);

/**
 * SPNEGO NegTokenInit (RFC 4178 4.2.1) offering only NTLMSSP, with
 * @p token as its mechToken, inside the GSS-API InitialContextToken.
 * @return 0 with *len set, or NTLM_E_SPACE (also for a token over 64 KiB).
 */
int spnego_wrap_init(const uint8_t *token, size_t n, uint8_t *buf, size_t cap, size_t *len);

/**
 * SPNEGO NegTokenResp (RFC 4178 4.2.2) carrying @p token as its
 * responseToken.
 * @return 0 with *len set, or NTLM_E_SPACE.
 */
int spnego_wrap_resp(const uint8_t *token, size_t n, uint8_t *buf, size_t cap, size_t *len);

/** SPNEGO negState values. */
enum { SPNEGO_ACCEPT_COMPLETED = 0, SPNEGO_ACCEPT_INCOMPLETE = 1, SPNEGO_REJECT = 2,
       SPNEGO_REQUEST_MIC = 3, SPNEGO_NO_STATE = -1 };

/**
 * Parse a server's NegTokenResp: its negState (SPNEGO_NO_STATE when absent)
 * and its responseToken (NULL, 0 when absent).  The supportedMech, when
 * present, must be NTLMSSP.  The mechListMIC is skipped.
 * @return 0 or NTLM_E_MALFORMED.
 */
int spnego_parse_resp(const uint8_t *blob, size_t n, int *neg_state, const uint8_t **token,
                      size_t *token_len);

/** @name Server side of SPNEGO (smbwire-server)
 * @{ */

/**
 * The SecurityBlob of an extended-security NEGOTIATE response: a
 * NegTokenInit (RFC 4178 4.2.1) in its GSS-API wrapper whose mechTypes
 * offer only NTLMSSP (no mechToken).
 * @return 0 with *len set, or NTLM_E_SPACE.
 */
int spnego_server_init(uint8_t *buf, size_t cap, size_t *len);

/**
 * Parse a client's SESSION_SETUP_ANDX SecurityBlob: a NegTokenInit (the
 * first leg, in its GSS-API wrapper), a NegTokenResp (the later legs), or
 * a bare NTLMSSP message.  Gives views into @p blob: the NTLMSSP token
 * (NULL, 0 when absent), the DER of the MechTypeList as sent (with its
 * 0x30 header: what a mechListMIC covers; NULL, 0 in a NegTokenResp), the
 * client's mechListMIC (NULL, 0 when absent), and whether NTLMSSP is the
 * client's first mechanism (1; 0 when it is offered only later; -1 when
 * not offered; 1 for a NegTokenResp or bare NTLMSSP).
 * @return 0, or NTLM_E_MALFORMED.
 */
int spnego_parse_client(const uint8_t *blob, size_t n, const uint8_t **token, size_t *token_len,
                        const uint8_t **mech_types, size_t *mech_types_len,
                        const uint8_t **mic, size_t *mic_len, int *ntlmssp_first);

/**
 * A server's NegTokenResp (RFC 4178 4.2.2): negState @p state, the
 * supportedMech NTLMSSP when @p with_mech, the responseToken @p token when
 * @p n > 0, and the mechListMIC @p mic when @p mic_len > 0.
 * @return 0 with *len set, or NTLM_E_SPACE.
 */
int spnego_server_resp(int state, int with_mech, const uint8_t *token, size_t n,
                       const uint8_t *mic, size_t mic_len, uint8_t *buf, size_t cap,
                       size_t *len);
/** @} */

/**
 * The caller's MD5 that <smbwire/sign.h> asks for (smbw_sign_md5_fn), on
 * nettle: the ranges in order, as one stream.  @p ctx is unused.
 */
void ntlm_md5_parts(void *ctx, const uint8_t *const *parts, const size_t *lens, size_t n,
                    uint8_t out[16]);

/* Little-endian fields and the NTLMSSP signature, shared by the client's
   and the server's NTLMSSP code. */
#define NTLM_NTLMSSP_SIG "NTLMSSP" /* 8 bytes with its NUL */
static inline void ntlm_put16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void ntlm_put32(uint8_t *p, uint32_t v) {
  ntlm_put16(p, v);
  ntlm_put16(p + 2, v >> 16);
}
static inline uint32_t ntlm_get16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static inline uint32_t ntlm_get32(const uint8_t *p) { return ntlm_get16(p) | ntlm_get16(p + 2) << 16; }

#endif
