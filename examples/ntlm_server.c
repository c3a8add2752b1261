/*
 * NTLMv1 and NTLMv2 verification for smbwire-server (MS-NLMP 3.3.1,
 * 3.3.2, 3.4.5.1 for the keys; MS-CIFS 3.2.5.3 for the signing key
 * without extended security).
 */
#include "ntlm_server.h"

#include "ntlm.h"

#include <smbwire/smbwire.h>

#include <ctype.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <string.h>

/* UTF-16LE of a UTF-8 string; returns bytes written or -1. */
static long to_utf16(const char *s, int upper, uint8_t *out, size_t cap) {
  char tmp[512];
  size_t n = strlen(s), need = 0;
  if (n >= sizeof tmp) return -1;
  for (size_t i = 0; i < n; i++)
    tmp[i] = upper ? (char)toupper((unsigned char)s[i]) : s[i]; /* ASCII only */
  tmp[n] = '\0';
  if (smbw_utf8_to_utf16le(tmp, n, out, cap, &need) != 0) return -1;
  return (long)need;
}

static int ct_equal(const uint8_t *a, const uint8_t *b, size_t n) {
  uint8_t d = 0;
  for (size_t i = 0; i < n; i++) d |= (uint8_t)(a[i] ^ b[i]);
  return d == 0;
}

static int try_v2(const uint8_t hash[16], const char *user, const char *domain, int upper_dom,
                  const uint8_t challenge[8], const uint8_t *nt, size_t nt_len, uint8_t key[16]) {
  uint8_t ident[1024], owf[16], proof[16];
  long ul = to_utf16(user, 1, ident, sizeof ident);
  if (ul < 0) return 0;
  long dl = to_utf16(domain, upper_dom, ident + ul, sizeof ident - (size_t)ul);
  if (dl < 0) return 0;
  struct hmac_md5_ctx h;
  hmac_md5_set_key(&h, 16, hash);
  hmac_md5_update(&h, (size_t)(ul + dl), ident);
  hmac_md5_digest(&h, 16, owf);
  hmac_md5_set_key(&h, 16, owf);
  hmac_md5_update(&h, 8, challenge);
  hmac_md5_update(&h, nt_len - 16, nt + 16);
  hmac_md5_digest(&h, 16, proof);
  if (!ct_equal(proof, nt, 16)) return 0;
  hmac_md5_set_key(&h, 16, owf);
  hmac_md5_update(&h, 16, nt);
  hmac_md5_digest(&h, 16, key);
  return 1;
}

int ntlm_server_verify(const char *user, const char *domain, const char *password,
                       const uint8_t challenge[8], const uint8_t *nt, size_t nt_len,
                       uint8_t key[NTLM_SERVER_MAX_KEY], size_t *key_len) {
  uint8_t hash[16];
  int rc = NTLM_SERVER_FAIL;
  if (!nt || ntlm_nt_hash(password, hash) != 0) return NTLM_SERVER_FAIL;
  if (nt_len == 24) {
    uint8_t want[24];
    ntlm_v1_response(hash, challenge, want);
    if (ct_equal(want, nt, 24)) {
      struct md4_ctx m;
      md4_init(&m);
      md4_update(&m, 16, hash);
      md4_digest(&m, 16, key);
      memcpy(key + 16, nt, 24);
      *key_len = 40;
      rc = NTLM_SERVER_V1;
    }
  } else if (nt_len > 16 + 28 && nt_len <= NTLM_SERVER_MAX_V2) { /* NTProofStr and at least the blob header */
    if (try_v2(hash, user, domain, 0, challenge, nt, nt_len, key) ||
        try_v2(hash, user, domain, 1, challenge, nt, nt_len, key) ||
        try_v2(hash, user, "", 0, challenge, nt, nt_len, key)) {
      memcpy(key + 16, nt, nt_len);
      *key_len = 16 + nt_len;
      rc = NTLM_SERVER_V2;
    }
  }
  memset(hash, 0, sizeof hash);
  return rc;
}
