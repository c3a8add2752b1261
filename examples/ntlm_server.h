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

#endif
