/*
 * NTLMv1 and NTLMv2 verification for smbwire-server (MS-NLMP 3.3.1,
 * 3.3.2, 3.4.5.1 for the keys; MS-CIFS 3.2.5.3 for the signing key
 * without extended security).
 */
#include "ntlm_server.h"

#include "ntlm.h"

#include <smbwire/smbwire.h>

#include <ctype.h>
#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>
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

/* Check an NT response; on success the session base key (MS-NLMP 3.3.1,
   3.3.2).  v1_challenge: the challenge an NTLMv1 response answers (the
   server's, or the NTLM2 session-response one). */
static int verify_nt(const char *user, const char *domain, const char *password,
                     const uint8_t challenge[8], const uint8_t v1_challenge[8],
                     const uint8_t *nt, size_t nt_len, uint8_t base_key[16]) {
  uint8_t hash[16];
  int rc = NTLM_SERVER_FAIL;
  if (!nt || ntlm_nt_hash(password, hash) != 0) return NTLM_SERVER_FAIL;
  if (nt_len == 24) {
    uint8_t want[24];
    ntlm_v1_response(hash, v1_challenge, want);
    if (ct_equal(want, nt, 24)) {
      ntlm_v1_session_key(hash, base_key);
      rc = NTLM_SERVER_V1;
    }
  } else if (nt_len > 16 + 28 && nt_len <= NTLM_SERVER_MAX_V2) { /* NTProofStr and at least the blob header */
    if (try_v2(hash, user, domain, 0, challenge, nt, nt_len, base_key) ||
        try_v2(hash, user, domain, 1, challenge, nt, nt_len, base_key) ||
        try_v2(hash, user, "", 0, challenge, nt, nt_len, base_key))
      rc = NTLM_SERVER_V2;
  }
  memset(hash, 0, sizeof hash);
  return rc;
}

int ntlm_server_verify(const char *user, const char *domain, const char *password,
                       const uint8_t challenge[8], const uint8_t *nt, size_t nt_len,
                       uint8_t key[NTLM_SERVER_MAX_KEY], size_t *key_len) {
  int rc = verify_nt(user, domain, password, challenge, challenge, nt, nt_len, key);
  if (rc == NTLM_SERVER_FAIL) return rc;
  /* MS-CIFS 3.2.5.3: without extended security the MAC key is the session
     key followed by the whole NT response. */
  memcpy(key + 16, nt, nt_len);
  *key_len = 16 + nt_len;
  return rc;
}

/* ------------------------------------------------------------- NTLMSSP */

#define NTLMSSP_NEGOTIATE_OEM 0x00000002u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u


/* One AV_PAIR of UTF-16LE text; returns its size or 0 when out of room. */
static size_t av_text(uint8_t *p, size_t cap, uint16_t id, const char *text) {
  size_t need = 0;
  if (cap < 4 || smbw_utf8_to_utf16le(text, strlen(text), p + 4, cap - 4, &need) != 0)
    return 0;
  ntlm_put16(p, id);
  ntlm_put16(p + 2, (uint32_t)need);
  return 4 + need;
}

int ntlmssp_server_challenge(ntlmssp_server *st, const uint8_t *neg, size_t neg_len,
                             const uint8_t challenge[8], uint64_t now, const char *domain,
                             const char *computer, uint8_t *buf, size_t cap, size_t *len) {
  if (!neg || neg_len < 16 || memcmp(neg, NTLM_NTLMSSP_SIG, 8) != 0 || ntlm_get32(neg + 8) != 1)
    return NTLM_E_MALFORMED;
  uint32_t asked = ntlm_get32(neg + 12);
  const uint32_t offer = NTLMSSP_NEGOTIATE_UNICODE | NTLMSSP_NEGOTIATE_SIGN |
                         NTLMSSP_NEGOTIATE_SEAL | NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
                         NTLMSSP_NEGOTIATE_128 | NTLMSSP_NEGOTIATE_56 |
                         NTLMSSP_NEGOTIATE_KEY_EXCH;
  uint32_t flags = (asked & offer) | NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
                   NTLMSSP_NEGOTIATE_TARGET_INFO | NTLMSSP_NEGOTIATE_VERSION |
                   NTLMSSP_REQUEST_TARGET | NTLMSSP_TARGET_TYPE_DOMAIN;
  if (!(flags & NTLMSSP_NEGOTIATE_UNICODE)) flags |= NTLMSSP_NEGOTIATE_OEM;
  /* Layout: 56 fixed bytes (with Version), target name, target info. */
  uint8_t *p = buf;
  if (cap < 56 + 512) return NTLM_E_SPACE;
  memset(buf, 0, 56);
  memcpy(p, NTLM_NTLMSSP_SIG, 8);
  ntlm_put32(p + 8, 2);
  size_t off = 56, n = 0;
  if (flags & NTLMSSP_NEGOTIATE_UNICODE) {
    if (smbw_utf8_to_utf16le(domain, strlen(domain), p + off, 256, &n) != 0) return NTLM_E_SPACE;
  } else {
    n = strlen(domain);
    if (n > 256) return NTLM_E_SPACE;
    memcpy(p + off, domain, n);
  }
  ntlm_put16(p + 12, (uint32_t)n);
  ntlm_put16(p + 14, (uint32_t)n);
  ntlm_put32(p + 16, (uint32_t)off);
  off += n;
  ntlm_put32(p + 20, flags);
  memcpy(p + 24, challenge, 8);
  size_t ti = off, k;
  /* MsvAvNbDomainName, MsvAvNbComputerName, MsvAvDnsDomainName,
     MsvAvDnsComputerName, MsvAvTimestamp, MsvAvEOL. */
  if (!(k = av_text(p + off, cap - off, 2, domain))) return NTLM_E_SPACE;
  off += k;
  if (!(k = av_text(p + off, cap - off, 1, computer))) return NTLM_E_SPACE;
  off += k;
  if (!(k = av_text(p + off, cap - off, 4, domain))) return NTLM_E_SPACE;
  off += k;
  if (!(k = av_text(p + off, cap - off, 3, computer))) return NTLM_E_SPACE;
  off += k;
  if (cap - off < 12 + 4) return NTLM_E_SPACE;
  ntlm_put16(p + off, 7);
  ntlm_put16(p + off + 2, 8);
  ntlm_put32(p + off + 4, (uint32_t)now);
  ntlm_put32(p + off + 8, (uint32_t)(now >> 32));
  off += 12;
  ntlm_put32(p + off, 0); /* MsvAvEOL */
  off += 4;
  ntlm_put16(p + 40, (uint32_t)(off - ti));
  ntlm_put16(p + 42, (uint32_t)(off - ti));
  ntlm_put32(p + 44, (uint32_t)ti);
  /* Version: 6.1 build 7600, NTLMSSP_REVISION_W2K3 */
  p[48] = 6;
  p[49] = 1;
  ntlm_put16(p + 50, 7600);
  p[55] = 15;
  st->flags = flags;
  memcpy(st->challenge, challenge, 8);
  *len = off;
  return 0;
}

/* A payload field (Len, MaxLen, Offset) at @p at: inside the message. */
static int field_get(const uint8_t *msg, size_t len, size_t at, const uint8_t **p, size_t *n) {
  uint32_t l = ntlm_get16(msg + at), off = ntlm_get32(msg + at + 4);
  *p = NULL;
  *n = 0;
  if (l == 0) return 0;
  if (off > len || l > len - off) return NTLM_E_MALFORMED;
  *p = msg + off;
  *n = l;
  return 0;
}

int ntlmssp_auth_parse(const uint8_t *msg, size_t len, ntlmssp_auth *out) {
  ntlmssp_auth a;
  const uint8_t *ws;
  size_t ws_len;
  memset(&a, 0, sizeof a);
  if (!msg || len < 64 || memcmp(msg, NTLM_NTLMSSP_SIG, 8) != 0 || ntlm_get32(msg + 8) != 3)
    return NTLM_E_MALFORMED;
  if (field_get(msg, len, 12, &a.lm, &a.lm_len) || field_get(msg, len, 20, &a.nt, &a.nt_len) ||
      field_get(msg, len, 28, &a.domain, &a.domain_len) ||
      field_get(msg, len, 36, &a.user, &a.user_len) || field_get(msg, len, 44, &ws, &ws_len) ||
      field_get(msg, len, 52, &a.enc_key, &a.enc_key_len))
    return NTLM_E_MALFORMED;
  a.flags = ntlm_get32(msg + 60);
  *out = a;
  return 0;
}

int ntlmssp_auth_anonymous(const ntlmssp_auth *a) {
  return a->user_len == 0 && a->nt_len == 0 && (a->lm_len == 0 || (a->lm_len == 1 && !a->lm[0]));
}

static void hmac_md5(const uint8_t key[16], const uint8_t *a, size_t an, const uint8_t *b,
                     size_t bn, uint8_t out[16]) {
  struct hmac_md5_ctx h;
  hmac_md5_set_key(&h, 16, key);
  hmac_md5_update(&h, an, a);
  if (bn) hmac_md5_update(&h, bn, b);
  hmac_md5_digest(&h, 16, out);
}

int ntlmssp_server_verify(const ntlmssp_server *st, const ntlmssp_auth *a, const char *user,
                          const char *domain, const char *password, uint8_t exported[16]) {
  uint8_t base[16], kx[16], v1_chal[8], cc[16];
  int ess = (st->flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) != 0;
  memcpy(v1_chal, st->challenge, 8);
  if (a->nt_len == 24 && ess) {
    /* NTLM2 session response: the LM field carries the client challenge;
       the DES challenge is MD5(server challenge || client challenge). */
    if (a->lm_len < 8) return NTLM_SERVER_FAIL;
    struct md5_ctx m;
    uint8_t d[16];
    memcpy(cc, st->challenge, 8);
    memcpy(cc + 8, a->lm, 8);
    md5_init(&m);
    md5_update(&m, 16, cc);
    md5_digest(&m, 16, d);
    memcpy(v1_chal, d, 8);
  }
  int rc = verify_nt(user, domain, password, st->challenge, v1_chal, a->nt, a->nt_len, base);
  if (rc == NTLM_SERVER_FAIL) return rc;
  if (rc == NTLM_SERVER_V1 && ess)
    hmac_md5(base, cc, 16, NULL, 0, kx);
  else
    memcpy(kx, base, 16);
  if ((st->flags & NTLMSSP_NEGOTIATE_KEY_EXCH) && a->enc_key_len == 16) {
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, 16, kx);
    arcfour_crypt(&rc4, 16, exported, a->enc_key);
  } else {
    memcpy(exported, kx, 16);
  }
  memset(base, 0, sizeof base);
  memset(kx, 0, sizeof kx);
  return rc;
}

static void md5_magic(const uint8_t *key, size_t key_len, const char *magic, size_t magic_len,
                      uint8_t out[16]) {
  struct md5_ctx m;
  md5_init(&m);
  md5_update(&m, key_len, key);
  md5_update(&m, magic_len, (const uint8_t *)magic);
  md5_digest(&m, 16, out);
}

int ntlmssp_sign0(const uint8_t exported[16], uint32_t flags, int server_to_client,
                  const uint8_t *msg, size_t n, uint8_t sig[16]) {
  static const char sign_s2c[] = "session key to server-to-client signing key magic constant";
  static const char sign_c2s[] = "session key to client-to-server signing key magic constant";
  static const char seal_s2c[] = "session key to server-to-client sealing key magic constant";
  static const char seal_c2s[] = "session key to client-to-server sealing key magic constant";
  if (!(flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY)) return -1;
  uint8_t sign_key[16], seal_key[16], mac[16], seq[4] = {0, 0, 0, 0};
  /* sizeof includes the terminating NUL, which the constants include. */
  md5_magic(exported, 16, server_to_client ? sign_s2c : sign_c2s, sizeof sign_s2c, sign_key);
  size_t seal_len = (flags & NTLMSSP_NEGOTIATE_128) ? 16 : (flags & NTLMSSP_NEGOTIATE_56) ? 7 : 5;
  md5_magic(exported, seal_len, server_to_client ? seal_s2c : seal_c2s, sizeof seal_s2c, seal_key);
  hmac_md5(sign_key, seq, 4, msg, n, mac);
  ntlm_put32(sig, 1);
  if (flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, 16, seal_key);
    arcfour_crypt(&rc4, 8, sig + 4, mac);
  } else {
    memcpy(sig + 4, mac, 8);
  }
  ntlm_put32(sig + 12, 0);
  return 0;
}

int ntlmssp_check_mic(const uint8_t exported[16], const uint8_t *neg, size_t neg_len,
                      const uint8_t *chal, size_t chal_len, const uint8_t *auth,
                      size_t auth_len, const ntlmssp_auth *a) {
  /* The AV pairs of the NTLMv2 response: after NTProofStr (16) and the
     fixed 28 bytes of the client's blob. */
  if (a->nt_len <= 16 + 28) return 1; /* NTLMv1: no MIC */
  const uint8_t *av = a->nt + 16 + 28, *end = a->nt + a->nt_len;
  uint32_t av_flags = 0;
  while (end - av >= 4) {
    uint32_t id = ntlm_get16(av), l = ntlm_get16(av + 2);
    if (l > (size_t)(end - av) - 4 || id == 0) break;
    if (id == 6 && l == 4) av_flags = ntlm_get32(av + 4);
    av += 4 + l;
  }
  if (!(av_flags & 0x2u)) return 1;
  if (auth_len < 88) return 0;
  static const uint8_t zero[16];
  uint8_t mac[16];
  struct hmac_md5_ctx h;
  hmac_md5_set_key(&h, 16, exported);
  hmac_md5_update(&h, neg_len, neg);
  hmac_md5_update(&h, chal_len, chal);
  hmac_md5_update(&h, 72, auth);
  hmac_md5_update(&h, 16, zero);
  hmac_md5_update(&h, auth_len - 88, auth + 88);
  hmac_md5_digest(&h, 16, mac);
  return ct_equal(mac, auth + 72, 16) ? 2 : 0;
}
