/*
 * Server side of the NT LM 0.12 challenge/response (no extended security)
 * for smbwire-server: checks an NTLMv1 or NTLMv2 response against a
 * password and derives the signing MAC key.  nettle does the arithmetic
 * (MD4, HMAC-MD5, DES through ntlm.c); the library does no cryptography.
 */
#ifndef SMBWIRE_EXAMPLES_NTLM_SERVER_H
#define SMBWIRE_EXAMPLES_NTLM_SERVER_H

#include <stddef.h>
#include <stdint.h>

/** Longest NTLMv2 response accepted (NTProofStr and blob). */
#define NTLM_SERVER_MAX_V2 512u
/** Largest MAC key: the 16-byte session key plus the response. */
#define NTLM_SERVER_MAX_KEY (16u + NTLM_SERVER_MAX_V2)

enum ntlm_server_result {
  NTLM_SERVER_FAIL = -1, /**< wrong password, or a malformed response */
  NTLM_SERVER_V1 = 1,    /**< a 24-byte NTLMv1 response matched */
  NTLM_SERVER_V2 = 2     /**< an NTLMv2 response (NTProofStr || blob) matched */
};

/**
 * Verify the NT response @p nt (UnicodePassword of SESSION_SETUP_ANDX) that
 * @p user of @p domain sent for @p challenge, knowing @p password (UTF-8).
 * NTLMv2 is tried with the domain as sent, upper-cased, and empty (as
 * Samba does).  On success writes the signing MAC key, the session key
 * followed by the whole NT response (MS-CIFS 3.1.4.1, and what Samba's
 * client uses): NTLMv1 MD4(NT hash) || response (40 bytes), NTLMv2
 * HMAC-MD5(NTOWFv2, NTProofStr) || response, and its length to *@p key_len.
 */
int ntlm_server_verify(const char *user, const char *domain, const char *password,
                       const uint8_t challenge[8], const uint8_t *nt, size_t nt_len,
                       uint8_t key[NTLM_SERVER_MAX_KEY], size_t *key_len);

/* ------------------------------------------------------------------------
 * NTLMSSP inside SPNEGO (extended security, MS-NLMP 3.2): the server's
 * CHALLENGE_MESSAGE, the parse and check of the AUTHENTICATE_MESSAGE
 * (NTLMv2, NTLMv1, NTLMv1 with extended session security; key exchange),
 * and the NTLMSSP signature of a SPNEGO mechListMIC.
 */

/** What the server keeps between the two legs. */
typedef struct ntlmssp_server {
  uint32_t flags;        /**< NegotiateFlags sent in the CHALLENGE */
  uint8_t challenge[8];  /**< ServerChallenge */
} ntlmssp_server;

/**
 * Answer a NEGOTIATE_MESSAGE @p neg with a CHALLENGE_MESSAGE: a fresh
 * @p challenge (the caller's random bytes), flags that the client asked
 * for among UNICODE, SIGN, SEAL, EXTENDED_SESSIONSECURITY, 128, 56,
 * KEY_EXCH (plus NTLM, ALWAYS_SIGN, TARGET_INFO, VERSION), the target
 * name @p domain and a target info with the NetBIOS and DNS names and a
 * timestamp @p now (FILETIME).  Fills @p st.
 * @return 0 with *len set; NTLM_E_MALFORMED (not a NEGOTIATE); NTLM_E_SPACE.
 */
int ntlmssp_server_challenge(ntlmssp_server *st, const uint8_t *neg, size_t neg_len,
                             const uint8_t challenge[8], uint64_t now, const char *domain,
                             const char *computer, uint8_t *buf, size_t cap, size_t *len);

/** An AUTHENTICATE_MESSAGE; views into the message. */
typedef struct ntlmssp_auth {
  uint32_t flags;
  const uint8_t *lm, *nt, *domain, *user, *enc_key;
  size_t lm_len, nt_len, domain_len, user_len, enc_key_len;
} ntlmssp_auth;

/**
 * Parse an AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3): signature, type 3, each
 * payload field inside the message.
 * @return 0 or NTLM_E_MALFORMED.
 */
int ntlmssp_auth_parse(const uint8_t *msg, size_t len, ntlmssp_auth *out);

/** 1 if @p a is an anonymous AUTHENTICATE (no user, no NT response). */
int ntlmssp_auth_anonymous(const ntlmssp_auth *a);

/**
 * Check @p a against @p password of @p user (as sent, UTF-8) of
 * @p domain for the challenge in @p st; on success derive the exported
 * session key (MS-NLMP 3.2.5.1.2, 3.4.5.1): the session base key
 * (NTLMv2: HMAC_MD5(NTOWFv2, NTProofStr); NTLMv1: MD4(NT hash)), the key
 * exchange key (NTLMv1 with extended session security:
 * HMAC_MD5(base key, server challenge || client challenge); otherwise the
 * base key), then, with KEY_EXCH, RC4 of EncryptedRandomSessionKey under
 * it.  That key is SMB's signing key (MS-SMB 3.2.5.3).
 * @return NTLM_SERVER_V1, NTLM_SERVER_V2 or NTLM_SERVER_FAIL.
 */
int ntlmssp_server_verify(const ntlmssp_server *st, const ntlmssp_auth *a, const char *user,
                          const char *domain, const char *password, uint8_t exported[16]);

/**
 * The 16-byte NTLMSSP signature (MS-NLMP 3.4.4.2, extended session
 * security) of @p msg with sequence number 0: the server's keys when
 * @p server_to_client, else the client's.  For a SPNEGO mechListMIC over
 * the DER of the MechTypeList.  Requires EXTENDED_SESSIONSECURITY in
 * @p flags (returns -1 without it).
 */
int ntlmssp_sign0(const uint8_t exported[16], uint32_t flags, int server_to_client,
                  const uint8_t *msg, size_t n, uint8_t sig[16]);

/**
 * Check the MIC of an AUTHENTICATE_MESSAGE (MS-NLMP 3.2.5.1.2) when its
 * NTLMv2 response says there is one (MsvAvFlags bit 0x2):
 * HMAC_MD5(@p exported, NEGOTIATE || CHALLENGE || AUTHENTICATE with the
 * MIC field zeroed) must equal the 16 bytes at offset 72.
 * @return 2 when it is there and matches, 1 when there is none, 0 when
 *         it does not match (or the message is too short to hold it).
 */
int ntlmssp_check_mic(const uint8_t exported[16], const uint8_t *neg, size_t neg_len,
                      const uint8_t *chal, size_t chal_len, const uint8_t *auth,
                      size_t auth_len, const ntlmssp_auth *a);

#endif
