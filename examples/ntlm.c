/*
 * NTLMv1 (MS-NLMP 3.3.1): NT hash = MD4(UTF-16LE(password));
 * response = DES(K1, C) | DES(K2, C) | DES(K3, C), where K1..K3 are the
 * three 7-byte thirds of the hash padded with zeros to 21 bytes.
 * NTLMv2 and the NTLMSSP messages (MS-NLMP 2.2.1, 3.3.2), and the SPNEGO
 * DER around them (RFC 4178): see ntlm.h.
 */
#include "ntlm.h"

#include <string.h>

#include <nettle/des.h>
#include <nettle/hmac.h>
#include <nettle/md5.h>
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
  if (n < 0) return NTLM_E_INPUT;
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

#if NETTLE_VERSION_MAJOR >= 4
#define MD4_DIGEST(ctx, out) md4_digest(ctx, out)
#define HMAC_MD5_DIGEST(ctx, out) hmac_md5_digest(ctx, out)
#else
#define MD4_DIGEST(ctx, out) md4_digest(ctx, MD4_DIGEST_SIZE, out)
#define HMAC_MD5_DIGEST(ctx, out) hmac_md5_digest(ctx, MD5_DIGEST_SIZE, out)
#endif

void ntlm_v1_session_key(const uint8_t hash[16], uint8_t key[16]) {
  struct md4_ctx ctx;
  md4_init(&ctx);
  md4_update(&ctx, 16, hash);
  MD4_DIGEST(&ctx, key);
}

/* ------------------------------------------------------------ NTLMSSP */


int ntlm_negotiate_msg(uint8_t *buf, size_t cap, size_t *len) {
  if (cap < 32) return NTLM_E_SPACE;
  memset(buf, 0, 32);
  memcpy(buf, NTLM_NTLMSSP_SIG, 8);
  ntlm_put32(buf + 8, 1);
  ntlm_put32(buf + 12, NTLM_CLIENT_FLAGS);
  /* DomainNameFields and WorkstationFields: empty, offset 32 */
  ntlm_put32(buf + 20, 32);
  ntlm_put32(buf + 28, 32);
  *len = 32;
  return 0;
}

/* A payload field (Len, MaxLen, Offset) at @p at: must lie inside the message. */
static int field_get(const uint8_t *msg, size_t len, size_t at, const uint8_t **p, size_t *n) {
  if (at + 8 > len) return NTLM_E_MALFORMED;
  uint32_t l = ntlm_get16(msg + at), off = ntlm_get32(msg + at + 4);
  if (l == 0) {
    *p = NULL;
    *n = 0;
    return 0;
  }
  if (off > len || l > len - off) return NTLM_E_MALFORMED;
  *p = msg + off;
  *n = l;
  return 0;
}

int ntlm_challenge_parse(const uint8_t *msg, size_t len, ntlm_challenge *out) {
  memset(out, 0, sizeof *out);
  if (!msg || len < 48 || memcmp(msg, NTLM_NTLMSSP_SIG, 8) != 0 || ntlm_get32(msg + 8) != 2)
    return NTLM_E_MALFORMED;
  if (field_get(msg, len, 12, &out->target_name, &out->target_name_len)) return NTLM_E_MALFORMED;
  out->flags = ntlm_get32(msg + 20);
  memcpy(out->server_challenge, msg + 24, 8);
  if (field_get(msg, len, 40, &out->target_info, &out->target_info_len))
    return NTLM_E_MALFORMED;
  /* The AV_PAIR list: AvId, AvLen, value; each inside; ends with MsvAvEOL. */
  size_t pos = 0;
  int eol = 0;
  while (pos + 4 <= out->target_info_len) {
    const uint8_t *av = out->target_info + pos;
    uint32_t id = ntlm_get16(av), l = ntlm_get16(av + 2);
    if (l > out->target_info_len - pos - 4) return NTLM_E_MALFORMED;
    if (id == 0) {
      eol = 1;
      break;
    }
    if (id == 7) { /* MsvAvTimestamp */
      if (l != 8) return NTLM_E_MALFORMED;
      out->timestamp = (uint64_t)ntlm_get32(av + 4) | (uint64_t)ntlm_get32(av + 8) << 32;
      out->has_timestamp = 1;
    }
    pos += 4 + l;
  }
  if (out->target_info_len && !eol) return NTLM_E_MALFORMED;
  return 0;
}

/* ASCII-uppercase UTF-8 user name, then UTF-16LE of user || domain. */
static long user_domain_utf16(const char *user, const char *domain, uint8_t *out, size_t cap) {
  char up[4 * NTLM_MAX_NAME + 1];
  size_t ul = strlen(user);
  if (ul >= sizeof up) return NTLM_E_INPUT;
  for (size_t i = 0; i <= ul; i++) {
    char ch = user[i];
    up[i] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 'a' + 'A') : ch;
  }
  long a = utf8_to_utf16le(up, out, cap);
  if (a < 0) return NTLM_E_INPUT;
  long b = utf8_to_utf16le(domain, out + a, cap - (size_t)a);
  if (b < 0) return NTLM_E_INPUT;
  return a + b;
}

int ntlm_v2_authenticate(const ntlm_challenge *ch, const char *user, const char *domain,
                         const char *password, const uint8_t client_challenge[8],
                         uint64_t now, uint8_t *buf, size_t cap, size_t *len,
                         uint8_t session_key[16]) {
  uint8_t nt_hash[16], v2hash[16], proof[16], lmv2[24];
  uint8_t ud[4 * NTLM_MAX_NAME];
  struct hmac_md5_ctx h;
  int rc = ntlm_nt_hash(password ? password : "", nt_hash);
  if (rc) return rc;
  long udl = user_domain_utf16(user, domain, ud, sizeof ud);
  if (udl < 0) return NTLM_E_INPUT;
  hmac_md5_set_key(&h, 16, nt_hash);
  hmac_md5_update(&h, (size_t)udl, ud);
  HMAC_MD5_DIGEST(&h, v2hash);
  memset(nt_hash, 0, sizeof nt_hash);

  /* The names as sent: UTF-16LE, as given (user not uppercased). */
  uint8_t uname[2 * NTLM_MAX_NAME], dname[2 * NTLM_MAX_NAME];
  long unl = utf8_to_utf16le(user, uname, sizeof uname);
  long dnl = utf8_to_utf16le(domain, dname, sizeof dname);
  if (unl < 0 || dnl < 0) return NTLM_E_INPUT;

  /* Layout: 64 fixed bytes, LM response, NT response, domain, user, workstation. */
  size_t ntl = 16 + 28 + ch->target_info_len + 4;
  size_t total = 64 + 24 + ntl + (size_t)dnl + (size_t)unl;
  if (total > 0xFFFF || ntl > 0xFFFF) return NTLM_E_SPACE;
  if (cap < total) return NTLM_E_SPACE;
  memset(buf, 0, total);
  memcpy(buf, NTLM_NTLMSSP_SIG, 8);
  ntlm_put32(buf + 8, 3);

  uint8_t *lm = buf + 64, *nt = lm + 24, *temp = nt + 16;
  uint64_t t = ch->has_timestamp ? ch->timestamp : now;
  temp[0] = 1; /* RespType */
  temp[1] = 1; /* HiRespType */
  ntlm_put32(temp + 8, (uint32_t)t);
  ntlm_put32(temp + 12, (uint32_t)(t >> 32));
  memcpy(temp + 16, client_challenge, 8);
  if (ch->target_info_len) memcpy(temp + 28, ch->target_info, ch->target_info_len);
  size_t templ = ntl - 16;

  hmac_md5_set_key(&h, 16, v2hash);
  hmac_md5_update(&h, 8, ch->server_challenge);
  hmac_md5_update(&h, templ, temp);
  HMAC_MD5_DIGEST(&h, proof);
  memcpy(nt, proof, 16);

  if (ch->has_timestamp) {
    memset(lmv2, 0, sizeof lmv2); /* MS-NLMP 3.1.5.1.2: Z(24) with a server timestamp */
  } else {
    hmac_md5_set_key(&h, 16, v2hash);
    hmac_md5_update(&h, 8, ch->server_challenge);
    hmac_md5_update(&h, 8, client_challenge);
    HMAC_MD5_DIGEST(&h, lmv2);
    memcpy(lmv2 + 16, client_challenge, 8);
  }
  memcpy(lm, lmv2, 24);

  hmac_md5_set_key(&h, 16, v2hash);
  hmac_md5_update(&h, 16, proof);
  HMAC_MD5_DIGEST(&h, session_key);
  memset(v2hash, 0, sizeof v2hash);

  size_t off = 64;
#define FIELD(at, n)                 \
  do {                               \
    ntlm_put16(buf + (at), (uint32_t)(n)); \
    ntlm_put16(buf + (at) + 2, (uint32_t)(n)); \
    ntlm_put32(buf + (at) + 4, (uint32_t)off); \
    off += (n);                      \
  } while (0)
  FIELD(12, 24);           /* LmChallengeResponse */
  FIELD(20, ntl);          /* NtChallengeResponse */
  memcpy(buf + off, dname, (size_t)dnl);
  FIELD(28, (size_t)dnl);  /* DomainName */
  memcpy(buf + off, uname, (size_t)unl);
  FIELD(36, (size_t)unl);  /* UserName */
  FIELD(44, 0);            /* Workstation */
  FIELD(52, 0);            /* EncryptedRandomSessionKey: no key exchange */
#undef FIELD
  ntlm_put32(buf + 60, (NTLM_CLIENT_FLAGS & ch->flags) | NTLMSSP_NEGOTIATE_UNICODE);
  *len = total;
  return 0;
}

/* ------------------------------------------------------------- SPNEGO */

/* 1.3.6.1.5.5.2 and 1.3.6.1.4.1.311.2.2.10, DER-encoded with their tag. */
static const uint8_t oid_spnego[] = {0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02};
static const uint8_t oid_ntlmssp[] = {0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01,
                                      0x82, 0x37, 0x02, 0x02, 0x0a};

/* Size of a DER header for content length n (n < 65536). */
static size_t der_hlen(size_t n) { return n < 0x80 ? 2 : n < 0x100 ? 3 : 4; }

/* Write tag and length at p; returns the bytes written. */
static size_t der_hdr(uint8_t *p, uint8_t tag, size_t n) {
  p[0] = tag;
  if (n < 0x80) {
    p[1] = (uint8_t)n;
    return 2;
  }
  if (n < 0x100) {
    p[1] = 0x81;
    p[2] = (uint8_t)n;
    return 3;
  }
  p[1] = 0x82;
  p[2] = (uint8_t)(n >> 8);
  p[3] = (uint8_t)n;
  return 4;
}

int spnego_wrap_init(const uint8_t *token, size_t n, uint8_t *buf, size_t cap, size_t *len) {
  if (n > 0xF000) return NTLM_E_SPACE;
  size_t oct = der_hlen(n) + n;                           /* 04 token */
  size_t mtok = der_hlen(oct) + oct;                      /* a2 */
  size_t mlist = der_hlen(sizeof oid_ntlmssp) + sizeof oid_ntlmssp; /* 30 oid */
  size_t mtypes = der_hlen(mlist) + mlist;                /* a0 */
  size_t seqc = mtypes + mtok;                            /* 30 content */
  size_t seq = der_hlen(seqc) + seqc;                     /* a0 content */
  size_t init = der_hlen(seq) + seq;                      /* a0 */
  size_t app = sizeof oid_spnego + init;                  /* 60 */
  size_t total = der_hlen(app) + app;
  if (total > cap) return NTLM_E_SPACE;
  uint8_t *p = buf;
  p += der_hdr(p, 0x60, app);
  memcpy(p, oid_spnego, sizeof oid_spnego);
  p += sizeof oid_spnego;
  p += der_hdr(p, 0xa0, seq);
  p += der_hdr(p, 0x30, seqc);
  p += der_hdr(p, 0xa0, mlist);
  p += der_hdr(p, 0x30, sizeof oid_ntlmssp);
  memcpy(p, oid_ntlmssp, sizeof oid_ntlmssp);
  p += sizeof oid_ntlmssp;
  p += der_hdr(p, 0xa2, oct);
  p += der_hdr(p, 0x04, n);
  memcpy(p, token, n);
  p += n;
  *len = (size_t)(p - buf);
  return 0;
}

int spnego_wrap_resp(const uint8_t *token, size_t n, uint8_t *buf, size_t cap, size_t *len) {
  if (n > 0xF000) return NTLM_E_SPACE;
  size_t oct = der_hlen(n) + n;
  size_t rtok = der_hlen(oct) + oct; /* a2 */
  size_t seq = der_hlen(rtok) + rtok; /* 30 */
  size_t total = der_hlen(seq) + seq; /* a1 */
  if (total > cap) return NTLM_E_SPACE;
  uint8_t *p = buf;
  p += der_hdr(p, 0xa1, seq);
  p += der_hdr(p, 0x30, rtok);
  p += der_hdr(p, 0xa2, oct);
  p += der_hdr(p, 0x04, n);
  memcpy(p, token, n);
  p += n;
  *len = (size_t)(p - buf);
  return 0;
}

/* Read one DER TLV at *p (not past end): its tag, content and length.
   Lengths of up to 2 bytes only (our blobs are under 64 KiB). */
static int der_get(const uint8_t **p, const uint8_t *end, uint8_t *tag, const uint8_t **c,
                   size_t *n) {
  const uint8_t *q = *p;
  if (end - q < 2) return NTLM_E_MALFORMED;
  *tag = q[0];
  size_t l = q[1];
  q += 2;
  if (l & 0x80) {
    size_t k = l & 0x7F;
    if (k == 0 || k > 2 || (size_t)(end - q) < k) return NTLM_E_MALFORMED;
    l = 0;
    for (size_t i = 0; i < k; i++) l = l << 8 | q[i];
    q += k;
  }
  if ((size_t)(end - q) < l) return NTLM_E_MALFORMED;
  *c = q;
  *n = l;
  *p = q + l;
  return 0;
}

int spnego_parse_resp(const uint8_t *blob, size_t n, int *neg_state, const uint8_t **token,
                      size_t *token_len) {
  const uint8_t *p = blob, *end = blob + n, *c, *s, *send;
  size_t l, sl;
  uint8_t tag;
  *neg_state = SPNEGO_NO_STATE;
  *token = NULL;
  *token_len = 0;
  if (!blob || der_get(&p, end, &tag, &c, &l) || tag != 0xa1) return NTLM_E_MALFORMED;
  p = c;
  end = c + l;
  if (der_get(&p, end, &tag, &s, &sl) || tag != 0x30) return NTLM_E_MALFORMED;
  send = s + sl;
  while (s < send) {
    if (der_get(&s, send, &tag, &c, &l)) return NTLM_E_MALFORMED;
    const uint8_t *ip = c, *ic;
    size_t il;
    uint8_t itag;
    switch (tag) {
    case 0xa0: /* negState ENUMERATED */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x0a || il != 1)
        return NTLM_E_MALFORMED;
      *neg_state = ic[0];
      break;
    case 0xa1: /* supportedMech OID */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x06 ||
          il != sizeof oid_ntlmssp - 2 || memcmp(ic, oid_ntlmssp + 2, il) != 0)
        return NTLM_E_MALFORMED;
      break;
    case 0xa2: /* responseToken OCTET STRING */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x04) return NTLM_E_MALFORMED;
      *token = ic;
      *token_len = il;
      break;
    case 0xa3: /* mechListMIC: skipped */
      break;
    default:
      return NTLM_E_MALFORMED;
    }
  }
  return 0;
}

/* ----------------------------------------------------- SPNEGO, server side */

int spnego_server_init(uint8_t *buf, size_t cap, size_t *len) {
  size_t mlist = sizeof oid_ntlmssp;           /* 30 content: the OID */
  size_t mtypes = der_hlen(mlist) + mlist;     /* a0 content */
  size_t seqc = der_hlen(mtypes) + mtypes;     /* 30 content */
  size_t seq = der_hlen(seqc) + seqc;          /* a0 content */
  size_t init = der_hlen(seq) + seq;
  size_t app = sizeof oid_spnego + init;       /* 60 content */
  size_t total = der_hlen(app) + app;
  if (total > cap) return NTLM_E_SPACE;
  uint8_t *p = buf;
  p += der_hdr(p, 0x60, app);
  memcpy(p, oid_spnego, sizeof oid_spnego);
  p += sizeof oid_spnego;
  p += der_hdr(p, 0xa0, seq);
  p += der_hdr(p, 0x30, seqc);
  p += der_hdr(p, 0xa0, mtypes);
  p += der_hdr(p, 0x30, mlist);
  memcpy(p, oid_ntlmssp, sizeof oid_ntlmssp);
  p += sizeof oid_ntlmssp;
  *len = (size_t)(p - buf);
  return 0;
}

/* The fields of a NegTokenInit's or NegTokenResp's SEQUENCE content. */
static int spnego_fields(const uint8_t *s, const uint8_t *send, int init, const uint8_t **token,
                         size_t *token_len, const uint8_t **mech_types, size_t *mech_types_len,
                         const uint8_t **mic, size_t *mic_len, int *ntlmssp_first) {
  while (s < send) {
    const uint8_t *field = s, *c, *ip, *ic;
    size_t l, il;
    uint8_t tag, itag;
    if (der_get(&s, send, &tag, &c, &l)) return NTLM_E_MALFORMED;
    ip = c;
    if (init && tag == 0xa0) { /* mechTypes: SEQUENCE OF OID */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x30) return NTLM_E_MALFORMED;
      *mech_types = c;
      *mech_types_len = (size_t)(ip - c);
      const uint8_t *op = ic, *oc;
      size_t ol;
      uint8_t otag;
      int idx = 0;
      *ntlmssp_first = -1;
      while (op < ic + il) {
        const uint8_t *start = op;
        if (der_get(&op, ic + il, &otag, &oc, &ol) || otag != 0x06) return NTLM_E_MALFORMED;
        if ((size_t)(op - start) == sizeof oid_ntlmssp &&
            memcmp(start, oid_ntlmssp, sizeof oid_ntlmssp) == 0 && *ntlmssp_first < 0)
          *ntlmssp_first = idx == 0;
        idx++;
      }
      (void)oc;
      (void)ol;
    } else if (tag == 0xa2) { /* mechToken / responseToken: OCTET STRING */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x04) return NTLM_E_MALFORMED;
      *token = ic;
      *token_len = il;
    } else if (tag == 0xa3) { /* mechListMIC: OCTET STRING */
      if (der_get(&ip, c + l, &itag, &ic, &il) || itag != 0x04) return NTLM_E_MALFORMED;
      *mic = ic;
      *mic_len = il;
    } else if (tag != 0xa0 && tag != 0xa1) { /* reqFlags, negState, supportedMech: ignored */
      return NTLM_E_MALFORMED;
    }
    (void)field;
  }
  return 0;
}

int spnego_parse_client(const uint8_t *blob, size_t n, const uint8_t **token, size_t *token_len,
                        const uint8_t **mech_types, size_t *mech_types_len,
                        const uint8_t **mic, size_t *mic_len, int *ntlmssp_first) {
  const uint8_t *p = blob, *end = blob + n, *c, *s;
  size_t l, sl;
  uint8_t tag;
  *token = *mech_types = *mic = NULL;
  *token_len = *mech_types_len = *mic_len = 0;
  *ntlmssp_first = 1;
  if (!blob) return NTLM_E_MALFORMED;
  if (n >= 8 && memcmp(blob, NTLM_NTLMSSP_SIG, 8) == 0) { /* bare NTLMSSP */
    *token = blob;
    *token_len = n;
    return 0;
  }
  if (der_get(&p, end, &tag, &c, &l)) return NTLM_E_MALFORMED;
  if (tag == 0x60) { /* GSS-API InitialContextToken: the SPNEGO OID, then a0 NegTokenInit */
    const uint8_t *q = c, *qend = c + l;
    if ((size_t)(qend - q) < sizeof oid_spnego || memcmp(q, oid_spnego, sizeof oid_spnego) != 0)
      return NTLM_E_MALFORMED;
    q += sizeof oid_spnego;
    if (der_get(&q, qend, &tag, &c, &l) || tag != 0xa0) return NTLM_E_MALFORMED;
    p = c;
    if (der_get(&p, c + l, &tag, &s, &sl) || tag != 0x30) return NTLM_E_MALFORMED;
    *ntlmssp_first = -1;
    return spnego_fields(s, s + sl, 1, token, token_len, mech_types, mech_types_len, mic,
                         mic_len, ntlmssp_first);
  }
  if (tag != 0xa1) return NTLM_E_MALFORMED;
  p = c;
  if (der_get(&p, c + l, &tag, &s, &sl) || tag != 0x30) return NTLM_E_MALFORMED;
  return spnego_fields(s, s + sl, 0, token, token_len, mech_types, mech_types_len, mic, mic_len,
                       ntlmssp_first);
}

int spnego_server_resp(int state, int with_mech, const uint8_t *token, size_t n,
                       const uint8_t *mic, size_t mic_len, uint8_t *buf, size_t cap,
                       size_t *len) {
  if (n > 0xF000 || mic_len > 0x100) return NTLM_E_SPACE;
  size_t f_state = 2 + 3;                                        /* a0 03 0a 01 x */
  size_t f_mech = with_mech ? der_hlen(sizeof oid_ntlmssp) + sizeof oid_ntlmssp : 0;
  size_t f_tok = n ? der_hlen(der_hlen(n) + n) + der_hlen(n) + n : 0;
  size_t f_mic = mic_len ? der_hlen(der_hlen(mic_len) + mic_len) + der_hlen(mic_len) + mic_len : 0;
  size_t seq = f_state + f_mech + f_tok + f_mic;
  size_t body = der_hlen(seq) + seq;
  size_t total = der_hlen(body) + body;
  if (total > cap) return NTLM_E_SPACE;
  uint8_t *p = buf;
  p += der_hdr(p, 0xa1, body);
  p += der_hdr(p, 0x30, seq);
  p += der_hdr(p, 0xa0, 3);
  *p++ = 0x0a;
  *p++ = 1;
  *p++ = (uint8_t)state;
  if (with_mech) {
    p += der_hdr(p, 0xa1, sizeof oid_ntlmssp);
    memcpy(p, oid_ntlmssp, sizeof oid_ntlmssp);
    p += sizeof oid_ntlmssp;
  }
  if (n) {
    p += der_hdr(p, 0xa2, der_hlen(n) + n);
    p += der_hdr(p, 0x04, n);
    memcpy(p, token, n);
    p += n;
  }
  if (mic_len) {
    p += der_hdr(p, 0xa3, der_hlen(mic_len) + mic_len);
    p += der_hdr(p, 0x04, mic_len);
    memcpy(p, mic, mic_len);
    p += mic_len;
  }
  *len = (size_t)(p - buf);
  return 0;
}

void ntlm_md5_parts(void *ctx, const uint8_t *const *parts, const size_t *lens, size_t n,
                    uint8_t out[16]) {
  struct md5_ctx m;
  (void)ctx;
  md5_init(&m);
  for (size_t i = 0; i < n; i++) md5_update(&m, lens[i], parts[i]);
#if NETTLE_VERSION_MAJOR >= 4
  md5_digest(&m, out);
#else
  md5_digest(&m, MD5_DIGEST_SIZE, out);
#endif
}
