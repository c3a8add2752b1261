/*
 * NTLMv1 helpers for the smbwire example client: the NT hash and the
 * 24-byte challenge response of the NT LM 0.12 (non extended security)
 * SESSION_SETUP_ANDX.  Uses nettle for MD4 and DES; the library itself
 * does no cryptography.
 */
#ifndef SMBWIRE_EXAMPLES_NTLM_H
#define SMBWIRE_EXAMPLES_NTLM_H

#include <stddef.h>
#include <stdint.h>

/** Longest password accepted, in UTF-16 code units. */
#define NTLM_MAX_PASSWORD 256

/**
 * NT hash: MD4 of the UTF-16LE encoding of @p password (UTF-8).
 * @return 0, or -1 if the password is not valid UTF-8 or too long.
 */
int ntlm_nt_hash(const char *password, uint8_t hash[16]);

/**
 * NTLMv1 response: the 8-byte @p challenge DES-encrypted under each of the
 * three 7-byte keys of the 21-byte zero-padded @p hash.
 */
void ntlm_v1_response(const uint8_t hash[16], const uint8_t challenge[8],
                      uint8_t response[24]);

#endif
