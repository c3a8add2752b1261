/*
 * NTLMv1 (MS-NLMP 3.3.1): NT hash = MD4(UTF-16LE(password));
 * response = DES(K1, C) | DES(K2, C) | DES(K3, C), where K1..K3 are the
 * three 7-byte thirds of the hash padded with zeros to 21 bytes.
 */
#include "ntlm.h"

#include <string.h>

#include <nettle/des.h>
#include <nettle/md4.h>
#include <nettle/version.h>

/* UTF-8 to UTF-16LE; returns the byte length or -1. */
static long utf8_to_utf16le(const char *s, uint8_t *out, size_t cap) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = 0;
  while (*p) {
    uint32_t cp;
    unsigned extra;
    if (p[0] < 0x80) { cp = p[0]; extra = 0; }
    else if (p[0] >= 0xC2 && p[0] < 0xE0) { cp = p[0] & 0x1Fu; extra = 1; }
    else if (p[0] >= 0xE0 && p[0] < 0xF0) { cp = p[0] & 0x0Fu; extra = 2; }
    else if (p[0] >= 0xF0 && p[0] < 0xF5) { cp = p[0] & 0x07u; extra = 3; }
    else return -1;
    for (unsigned i = 1; i <= extra; i++) {
      if ((p[i] & 0xC0u) != 0x80u) return -1;
      cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return -1;
    p += 1 + extra;
    if (cp >= 0x10000) {
      if (cap - n < 4) return -1;
      cp -= 0x10000;
      uint16_t hi = (uint16_t)(0xD800u | (cp >> 10)), lo = (uint16_t)(0xDC00u | (cp & 0x3FFu));
      out[n++] = (uint8_t)hi;
      out[n++] = (uint8_t)(hi >> 8);
      out[n++] = (uint8_t)lo;
      out[n++] = (uint8_t)(lo >> 8);
    } else {
      if (cap - n < 2) return -1;
      out[n++] = (uint8_t)cp;
      out[n++] = (uint8_t)(cp >> 8);
    }
  }
  return (long)n;
}

int ntlm_nt_hash(const char *password, uint8_t hash[16]) {
  uint8_t u16[2 * NTLM_MAX_PASSWORD];
  long n = utf8_to_utf16le(password, u16, sizeof u16);
  if (n < 0) return -1;
  struct md4_ctx ctx;
  md4_init(&ctx);
  md4_update(&ctx, (size_t)n, u16);
#if NETTLE_VERSION_MAJOR >= 4
  md4_digest(&ctx, hash);
#else
  md4_digest(&ctx, MD4_DIGEST_SIZE, hash);
#endif
  memset(u16, 0, sizeof u16);
  return 0;
}

/* Spread 56 key bits over 8 bytes (7 bits each, low bit for parity). */
static void des_key_expand(const uint8_t in[7], uint8_t key[8]) {
  key[0] = (uint8_t)(in[0] >> 1);
  key[1] = (uint8_t)(((in[0] & 0x01u) << 6) | (in[1] >> 2));
  key[2] = (uint8_t)(((in[1] & 0x03u) << 5) | (in[2] >> 3));
  key[3] = (uint8_t)(((in[2] & 0x07u) << 4) | (in[3] >> 4));
  key[4] = (uint8_t)(((in[3] & 0x0Fu) << 3) | (in[4] >> 5));
  key[5] = (uint8_t)(((in[4] & 0x1Fu) << 2) | (in[5] >> 6));
  key[6] = (uint8_t)(((in[5] & 0x3Fu) << 1) | (in[6] >> 7));
  key[7] = (uint8_t)(in[6] & 0x7Fu);
  for (int i = 0; i < 8; i++) key[i] = (uint8_t)(key[i] << 1);
  des_fix_parity(8, key, key);
}

void ntlm_v1_response(const uint8_t hash[16], const uint8_t challenge[8],
                      uint8_t response[24]) {
  uint8_t p21[21] = {0};
  memcpy(p21, hash, 16);
  for (int i = 0; i < 3; i++) {
    uint8_t key[8];
    struct des_ctx ctx;
    des_key_expand(p21 + 7 * i, key);
    (void)des_set_key(&ctx, key); /* 0 only flags a weak key; still usable */
    des_encrypt(&ctx, DES_BLOCK_SIZE, response + 8 * i, challenge);
  }
  memset(p21, 0, sizeof p21);
}
