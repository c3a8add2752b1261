/*
 * test_sign.c - message signing (include/smbwire/sign.h,
 * lib/message/sign.c) against real signed traffic.
 *
 * The captures of tests/signing/ (recorded by tests/signing/record.sh from
 * smbd with `server signing = mandatory`; .vec files by
 * tests/golden/extract.py) are walked message by message, in order, with
 * the sequence-number counter: every signature after the session setup
 * must verify, requests (signed by impacket or smbclient) and responses
 * (signed by smbd); signing a copy must give the captured signature byte
 * for byte; any flipped byte and any other sequence number must fail.
 * The MAC key is derived from the password and the NTLMSSP messages of the
 * capture (nettle: MD4, HMAC-MD5, ARC4), and compared with the key impacket
 * wrote down.  nettle's MD5 is the caller's MD5.
 *
 * A missing capture is a clean skip (exit 77) once every other test
 * passed, never a failure.
 */
#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/arcfour.h>
#include <nettle/hmac.h>
#include <nettle/md4.h>
#include <nettle/md5.h>

#include <smbwire/smbwire.h>

#include "guard.h"
#include "vec.h"

#define PASSWORD "Passw0rd!"

/* ---- the caller's MD5 ---------------------------------------------------- */

static unsigned md5_calls;

static void md5_parts(void *ctx, const uint8_t *const *parts, const size_t *lens, size_t n,
                       uint8_t out[16]) {
  struct md5_ctx c;
  (void)ctx;
  md5_calls++;
  md5_init(&c);
  for (size_t i = 0; i < n; i++) md5_update(&c, lens[i], parts[i]);
  md5_digest(&c, 16, out);
}

/* The definition, independently: MD5(key || message with seq in bytes
   14..21), over a patched copy. */
static void reference_signature(const uint8_t *msg, size_t len, uint32_t seq,
                                const uint8_t *key, size_t key_len, uint8_t sig[8]) {
  uint8_t *copy = malloc(len);
  uint8_t d[16];
  struct md5_ctx c;
  memcpy(copy, msg, len);
  for (int i = 0; i < 4; i++) copy[14 + i] = (uint8_t)(seq >> (8 * i));
  memset(copy + 18, 0, 4);
  md5_init(&c);
  md5_update(&c, key_len, key);
  md5_update(&c, len, copy);
  md5_digest(&c, 16, d);
  memcpy(sig, d, 8);
  free(copy);
}

/* ---- captures ------------------------------------------------------------- */

static const char *sign_dir(void) {
  const char *d = getenv("SMBW_SIGN_DIR");
  return d ? d : "tests/signing";
}

static int missing_captures; /* set in main: the capture tests were left out */

static const char *const captures[] = {"impacket-signed", "smbclient-ntlmssp-signed"};
#define NCAPTURES (sizeof captures / sizeof captures[0])

static int capture_path(char *out, size_t cap, const char *name, const char *ext) {
  return snprintf(out, cap, "%s/%s.%s", sign_dir(), name, ext) < (int)cap;
}

static int capture_present(const char *name) {
  char p[4096];
  FILE *f;
  if (!capture_path(p, sizeof p, name, "vec") || !(f = fopen(p, "r"))) return 0;
  fclose(f);
  return 1;
}

/* The SMB message of an NBSS packet. */
static const uint8_t *smb_of(const vec_msg *m, size_t *len) {
  ck_assert_uint_ge(m->len, 4 + 32);
  ck_assert_uint_eq(m->bytes[0], 0); /* a session message */
  *len = m->len - 4;
  return m->bytes + 4;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The NTLMSSP message of a session setup, or NULL. */
static const uint8_t *ntlmssp(const uint8_t *msg, size_t len, uint32_t type, size_t *nlen) {
  static const uint8_t sig[8] = {'N', 'T', 'L', 'M', 'S', 'S', 'P', 0};
  for (size_t i = 0; i + 12 <= len; i++)
    if (!memcmp(msg + i, sig, 8) && le32(msg + i + 8) == type) {
      *nlen = len - i;
      return msg + i;
    }
  return NULL;
}

/* A field (length, offset) of an NTLMSSP message, checked. */
static const uint8_t *ntlm_field(const uint8_t *n, size_t nlen, size_t at, size_t *flen) {
  ck_assert_uint_le(at + 8, nlen);
  size_t l = le16(n + at), off = le32(n + at + 4);
  ck_assert_uint_le(off + l, nlen);
  *flen = l;
  return n + off;
}

/*
 * The MAC key of an NTLMSSP (NTLMv2) session from the password alone
 * (MS-NLMP 3.3.2, 3.4.5.1): NT hash, NTLMv2 hash of user and domain,
 * NTProofStr (checked against the server challenge: the password is
 * right), session base key, and with key exchange the exported session
 * key RC4-decrypted from the AUTHENTICATE message.
 */
static void derive_ntlmssp_key(const uint8_t *chal, size_t chal_len, const uint8_t *auth,
                               size_t auth_len, uint8_t key[16]) {
  uint8_t pw16[2 * sizeof PASSWORD], nthash[16], v2hash[16], proof[16], base[16];
  size_t ntlen, ulen, dlen, klen;
  ck_assert_uint_ge(chal_len, 32);
  const uint8_t *server_challenge = chal + 24;
  const uint8_t *nt = ntlm_field(auth, auth_len, 20, &ntlen);
  const uint8_t *dom = ntlm_field(auth, auth_len, 28, &dlen);
  const uint8_t *user = ntlm_field(auth, auth_len, 36, &ulen);
  const uint8_t *enc = ntlm_field(auth, auth_len, 52, &klen);
  ck_assert_uint_ge(auth_len, 64);
  uint32_t flags = le32(auth + 60);
  ck_assert_msg(flags & 0x1, "NTLMSSP without Unicode");
  ck_assert_uint_gt(ntlen, 24); /* NTLMv2: NTProofStr + the client blob */

  size_t n = 0;
  for (const char *p = PASSWORD; *p; p++) {
    pw16[n++] = (uint8_t)*p;
    pw16[n++] = 0;
  }
  struct md4_ctx m4;
  md4_init(&m4);
  md4_update(&m4, n, pw16);
  md4_digest(&m4, 16, nthash);

  struct hmac_md5_ctx h;
  uint8_t upper[512];
  ck_assert_uint_le(ulen, sizeof upper);
  for (size_t i = 0; i < ulen; i++)
    upper[i] = (i % 2 == 0) ? (uint8_t)toupper(user[i]) : user[i]; /* ASCII names */
  hmac_md5_set_key(&h, 16, nthash);
  hmac_md5_update(&h, ulen, upper);
  hmac_md5_update(&h, dlen, dom);
  hmac_md5_digest(&h, 16, v2hash);

  hmac_md5_set_key(&h, 16, v2hash);
  hmac_md5_update(&h, 8, server_challenge);
  hmac_md5_update(&h, ntlen - 16, nt + 16);
  hmac_md5_digest(&h, 16, proof);
  ck_assert_msg(!memcmp(proof, nt, 16), "NTProofStr does not match: not the password %s",
                PASSWORD);

  hmac_md5_set_key(&h, 16, v2hash);
  hmac_md5_update(&h, 16, nt);
  hmac_md5_digest(&h, 16, base);
  if (flags & 0x40000000u) { /* NTLMSSP_NEGOTIATE_KEY_EXCH */
    ck_assert_uint_eq(klen, 16);
    struct arcfour_ctx rc4;
    arcfour_set_key(&rc4, 16, base);
    arcfour_crypt(&rc4, 16, key, enc);
  } else {
    memcpy(key, base, 16);
  }
}

/* impacket's own note of its MAC key (NAME.key), if there is one. */
static int sidecar_key(const char *name, uint8_t *key, size_t cap, size_t *len) {
  char p[4096], line[512];
  FILE *f;
  if (!capture_path(p, sizeof p, name, "key") || !(f = fopen(p, "r"))) return 0;
  *len = 0;
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "mac_key ", 8)) continue;
    for (const char *h = line + 8; isxdigit((unsigned char)h[0]) && isxdigit((unsigned char)h[1]);
         h += 2) {
      unsigned v;
      ck_assert_uint_lt(*len, cap);
      sscanf(h, "%2x", &v);
      key[(*len)++] = (uint8_t)v;
    }
  }
  fclose(f);
  return *len > 0;
}

/* Per-capture results, for the assertions on what was covered. */
typedef struct walk_stats {
  unsigned requests, responses, oplock_breaks, cancels, unanswered, shared_seq, unsigned_before;
} walk_stats;

/* Pending requests: (PID, MID) -> response sequence number (MS-CIFS
   Client.Connection.ClientResponseSequenceNumber). */
typedef struct pending {
  uint32_t pid;
  uint16_t mid;
  uint32_t rsp_seq;
  unsigned responses;
} pending;

static pending *pending_find(pending *p, size_t n, uint32_t pid, uint16_t mid) {
  for (size_t i = 0; i < n; i++)
    if (p[i].pid == pid && p[i].mid == mid) return &p[i];
  return NULL;
}

/*
 * Everything about one signed message with its expected sequence number:
 * the one-call check, the two-step check, byte-for-byte signing of a copy
 * (one call and two steps, and the definition over a patched copy), then
 * every flipped byte and other sequence numbers must fail.  The message is
 * read-only (mprotect) against the guard page while it is checked.
 */
static void check_signed(const uint8_t *msg, size_t len, uint32_t seq, const uint8_t *key,
                         size_t key_len, unsigned frame) {
  guard_buf g;
  smbw_error err;
  ck_assert_int_eq(guard_init(&g, len), 0);
  uint8_t *ro = guard_place(&g, msg, len);
  ck_assert_int_eq(mprotect(g.base, g.size, PROT_READ), 0);

  int rc = smbw_sign_check(ro, len, seq, key, key_len, md5_parts, NULL, &err);
  ck_assert_msg(rc == 0, "frame %u: signature with seq %u: %s", frame, seq, smbw_errname(rc));

  uint8_t seq_bytes[8], digest[16];
  const uint8_t *parts[SMBW_SIGN_PARTS];
  size_t lens[SMBW_SIGN_PARTS];
  ck_assert_int_eq(smbw_sign_parts(ro, len, seq, key, key_len, seq_bytes, parts, lens, &err),
                   (int)SMBW_SIGN_PARTS);
  ck_assert_uint_eq(lens[0] + lens[1] + lens[2] + lens[3], key_len + len);
  md5_parts(NULL, parts, lens, SMBW_SIGN_PARTS, digest);
  ck_assert_int_eq(smbw_sign_match(ro, len, digest, &err), 0);

  /* other sequence numbers fail */
  const uint32_t wrong[] = {seq + 1, seq - 1, seq + 2, seq - 2, seq ^ 0x80000000u, 0};
  for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
    if (wrong[i] == seq) continue;
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(smbw_sign_check(ro, len, wrong[i], key, key_len, md5_parts, NULL, &err),
                     SMBW_E_SIGNATURE);
    ck_assert_int_eq(err.code, SMBW_E_SIGNATURE);
    ck_assert_uint_eq(err.offset, 14);
    ck_assert_str_eq(err.field, "SecuritySignature");
  }
  /* a wrong key fails */
  uint8_t bad_key[64];
  ck_assert_uint_le(key_len, sizeof bad_key);
  memcpy(bad_key, key, key_len);
  bad_key[key_len - 1] ^= 1;
  ck_assert_int_eq(smbw_sign_check(ro, len, seq, bad_key, key_len, md5_parts, NULL, NULL),
                   SMBW_E_SIGNATURE);
  ck_assert_int_eq(mprotect(g.base, g.size, PROT_READ | PROT_WRITE), 0);

  /* any flipped byte fails, the signature's own bytes included */
  uint8_t *w = guard_place(&g, msg, len);
  for (size_t i = 0; i < len; i++) {
    w[i] ^= 0x01;
    /* bytes 0..3 are the Protocol magic: no longer an SMB message */
    ck_assert_msg(smbw_sign_check(w, len, seq, key, key_len, md5_parts, NULL, NULL) ==
                      (i < 4 ? SMBW_E_HDR_PROTOCOL : SMBW_E_SIGNATURE),
                  "frame %u: byte %zu flipped still verifies", frame, i);
    w[i] ^= 0x01;
  }

  /* signing a copy reproduces the captured signature byte for byte */
  uint8_t ref[8];
  reference_signature(msg, len, seq, key, key_len, ref);
  ck_assert_mem_eq(ref, msg + 14, 8);
  memset(w + 14, 0xA5, 8);
  ck_assert_int_eq(smbw_sign(w, len, seq, key, key_len, md5_parts, NULL, &err), 0);
  ck_assert_mem_eq(w, msg, len);
  memset(w + 14, 0, 8);
  ck_assert_int_eq(smbw_sign_parts(w, len, seq, key, key_len, seq_bytes, parts, lens, &err), 4);
  md5_parts(NULL, parts, lens, SMBW_SIGN_PARTS, digest);
  ck_assert_int_eq(smbw_sign_finish(w, len, digest, &err), 0);
  ck_assert_mem_eq(w, msg, len);
  guard_free(&g);
}

static void walk_capture(const char *name, const uint8_t *key, size_t key_len, walk_stats *st) {
  char p[4096];
  vec_file vf;
  ck_assert(capture_path(p, sizeof p, name, "vec"));
  ck_assert_int_eq(vec_load(p, &vf), 0);
  ck_assert_uint_gt(vf.n, 10);
  memset(st, 0, sizeof *st);

  smbw_sign_seq seq;
  smbw_sign_seq_init(&seq);
  pending *pend = calloc(vf.n, sizeof *pend);
  size_t npend = 0;
  unsigned negotiates = 0;

  for (size_t i = 0; i < vf.n; i++) {
    size_t len;
    const uint8_t *msg = smb_of(&vf.msgs[i], &len);
    smbw_header h;
    ck_assert_int_eq(smbw_header_decode(msg, len, &h, NULL), 0);
    int reply = (h.flags & SMBW_FLAGS_REPLY) != 0;
    uint32_t pid = smbw_header_pid(&h);
    if (!vf.msgs[i].c2s && !reply) {
      /* A request from the server: the oplock break, a LOCKING_ANDX
         exempt from signing (MS-CIFS 3.2.5.1.2), its signature zeros.  It
         takes no sequence number; the client's acknowledgement does. */
      static const uint8_t zeros[8];
      ck_assert_uint_eq(h.command, SMBW_COM_LOCKING_ANDX);
      ck_assert_mem_eq(msg + 14, zeros, 8);
      ck_assert_int_eq(smbw_sign_request_kind(msg, len, NULL), SMBW_SIGN_UNANSWERED);
      st->oplock_breaks++;
      continue;
    }
    ck_assert_int_eq(reply, !vf.msgs[i].c2s); /* requests c2s, responses s2c */
    if (h.command == SMBW_COM_NEGOTIATE && !reply) negotiates++;

    if (!seq.active) {
      /* Before the key: nothing is signed.  The session setup response
         with STATUS_SUCCESS establishes it: signing starts there, with
         sequence number 1 for that response. */
      if (h.command == SMBW_COM_SESSION_SETUP_ANDX && reply && h.status == 0) {
        uint32_t one = 0;
        ck_assert_int_eq(smbw_sign_seq_activate(&seq, &one), 0);
        ck_assert_uint_eq(one, 1);
        ck_assert_uint_eq(seq.next, 2);
        check_signed(msg, len, one, key, key_len, vf.msgs[i].frame);
        st->responses++;
      } else {
        st->unsigned_before++;
      }
      continue;
    }

    if (!reply) {
      int kind = smbw_sign_request_kind(msg, len, NULL);
      ck_assert_int_ge(kind, 0);
      uint32_t req_seq = 0, rsp_seq = 0xDEADBEEF;
      int answered = smbw_sign_seq_next(&seq, kind, &req_seq, &rsp_seq);
      ck_assert_int_eq(answered, kind == SMBW_SIGN_ANSWERED);
      check_signed(msg, len, req_seq, key, key_len, vf.msgs[i].frame);
      st->requests++;
      if (kind == SMBW_SIGN_CANCEL) st->cancels++;
      if (kind == SMBW_SIGN_UNANSWERED) st->unanswered++;
      if (answered) {
        ck_assert_uint_eq(rsp_seq, req_seq + 1);
        pending *e = pending_find(pend, npend, pid, h.mid);
        if (!e) e = &pend[npend++];
        e->pid = pid;
        e->mid = h.mid;
        e->rsp_seq = rsp_seq;
        e->responses = 0;
      } else {
        ck_assert_uint_eq(rsp_seq, 0xDEADBEEF); /* not written */
      }
    } else {
      pending *e = pending_find(pend, npend, pid, h.mid);
      ck_assert_msg(e != NULL, "frame %u: response to no request", vf.msgs[i].frame);
      check_signed(msg, len, e->rsp_seq, key, key_len, vf.msgs[i].frame);
      if (++e->responses == 2) st->shared_seq++;
      st->responses++;
    }
  }
  ck_assert_uint_eq(negotiates, 1); /* one connection per capture */
  printf("%s: %u requests and %u responses verified (%u NT_CANCEL, %u unanswered, %u oplock "
         "breaks unsigned, %u unsigned before the key)\n",
         name, st->requests, st->responses, st->cancels, st->unanswered, st->oplock_breaks,
         st->unsigned_before);
  ck_assert(seq.active);
  free(pend);
  vec_free(&vf);
}

/* The MAC key of a capture: derived from the password and its NTLMSSP
   CHALLENGE and AUTHENTICATE messages. */
static void capture_key(const char *name, uint8_t key[16]) {
  char p[4096];
  vec_file vf;
  const uint8_t *chal = NULL, *auth = NULL;
  size_t chal_len = 0, auth_len = 0;
  ck_assert(capture_path(p, sizeof p, name, "vec"));
  ck_assert_int_eq(vec_load(p, &vf), 0);
  for (size_t i = 0; i < vf.n; i++) {
    size_t len, nl;
    const uint8_t *msg = smb_of(&vf.msgs[i], &len), *n;
    if (msg[4] != SMBW_COM_SESSION_SETUP_ANDX) continue;
    if ((n = ntlmssp(msg, len, 2, &nl))) chal = n, chal_len = nl;
    if ((n = ntlmssp(msg, len, 3, &nl))) auth = n, auth_len = nl;
    if (chal && auth) {
      derive_ntlmssp_key(chal, chal_len, auth, auth_len, key);
      vec_free(&vf);
      return;
    }
  }
  ck_abort_msg("%s: no NTLMSSP CHALLENGE and AUTHENTICATE", name);
}

START_TEST(capture_impacket) {
  uint8_t key[16], side[64];
  size_t side_len = 0;
  walk_stats st;
  capture_key("impacket-signed", key);
  /* the key impacket wrote down is the one derived from the password */
  ck_assert(sidecar_key("impacket-signed", side, sizeof side, &side_len));
  ck_assert_uint_eq(side_len, 16);
  ck_assert_mem_eq(side, key, 16);
  walk_capture("impacket-signed", key, 16, &st);
  ck_assert_uint_eq(st.oplock_breaks, 1);
  ck_assert_uint_eq(st.cancels, 1);    /* NT_CANCEL: + 1 */
  ck_assert_uint_eq(st.unanswered, 1); /* the oplock break acknowledgement: + 2 */
  ck_assert_uint_ge(st.shared_seq, 1); /* ECHO x2: two responses, one number */
  ck_assert_uint_ge(st.requests, 25);
  ck_assert_uint_eq(st.responses, st.requests - st.cancels - st.unanswered + 1 /* ECHO */ + 1 /* setup */);
  ck_assert_uint_eq(st.unsigned_before, 5); /* NEGOTIATE x2, setup x2 + the final request */
}
END_TEST

START_TEST(capture_smbclient) {
  uint8_t key[16];
  walk_stats st;
  capture_key("smbclient-ntlmssp-signed", key);
  walk_capture("smbclient-ntlmssp-signed", key, 16, &st);
  ck_assert_uint_ge(st.requests, 10);
  ck_assert_uint_eq(st.responses, st.requests + 1);
  ck_assert_uint_eq(st.cancels + st.unanswered, 0);
}
END_TEST

/* ---- hand-made messages --------------------------------------------------- */

/* An ECHO request: header, WordCount 1, EchoCount, ByteCount, data. */
static size_t make_msg(uint8_t *m, uint8_t command, uint8_t flags, const uint8_t *words,
                       uint8_t wct, size_t bytes) {
  memset(m, 0, 32);
  m[0] = 0xFF, m[1] = 'S', m[2] = 'M', m[3] = 'B';
  m[4] = command;
  m[9] = flags;
  m[10] = 0x04; /* FLAGS2_SECURITY_SIGNATURE */
  m[30] = 7;    /* MID */
  m[32] = wct;
  memcpy(m + 33, words, 2u * wct);
  size_t at = 33 + 2u * wct;
  m[at] = (uint8_t)bytes, m[at + 1] = (uint8_t)(bytes >> 8);
  for (size_t i = 0; i < bytes; i++) m[at + 2 + i] = (uint8_t)(i * 7 + 1);
  return at + 2 + bytes;
}

static const uint8_t key16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

START_TEST(sign_matches_definition) {
  /* 16-byte (NTLMv2, extended security) and 40-byte (NTLMv1: session key
     || 24-byte response) keys, messages of several sizes */
  uint8_t key40[40], m[600], sig[8];
  for (int i = 0; i < 40; i++) key40[i] = (uint8_t)(0xC0 + i);
  const uint8_t w[2] = {1, 0};
  const size_t sizes[] = {0, 1, 17, 300, 500};
  const uint32_t seqs[] = {1, 2, 3, 0x1234567, 0xFFFFFFFFu};
  for (size_t s = 0; s < 5; s++)
    for (size_t q = 0; q < 5; q++)
      for (int k = 0; k < 2; k++) {
        const uint8_t *key = k ? key40 : key16;
        size_t kl = k ? 40 : 16;
        size_t len = make_msg(m, SMBW_COM_ECHO, 0, w, 1, sizes[s]);
        ck_assert_int_eq(smbw_sign(m, len, seqs[q], key, kl, md5_parts, NULL, NULL), 0);
        reference_signature(m, len, seqs[q], key, kl, sig);
        ck_assert_mem_eq(m + 14, sig, 8);
        ck_assert_int_eq(smbw_sign_check(m, len, seqs[q], key, kl, md5_parts, NULL, NULL), 0);
      }
  /* the header alone (32 bytes) is a message that can be signed */
  make_msg(m, SMBW_COM_ECHO, 0, w, 0, 0);
  ck_assert_int_eq(smbw_sign(m, 32, 5, key16, 16, md5_parts, NULL, NULL), 0);
  reference_signature(m, 32, 5, key16, 16, sig);
  ck_assert_mem_eq(m + 14, sig, 8);
  /* the two-step parts: key, bytes 0..13, the sequence bytes, 22.. */
  uint8_t sb[8];
  const uint8_t *parts[4];
  size_t lens[4];
  size_t len = make_msg(m, SMBW_COM_ECHO, 0, w, 1, 3);
  ck_assert_int_eq(smbw_sign_parts(m, len, 0x01020304u, key16, 16, sb, parts, lens, NULL), 4);
  ck_assert_ptr_eq(parts[0], key16);
  ck_assert_uint_eq(lens[0], 16);
  ck_assert_ptr_eq(parts[1], m);
  ck_assert_uint_eq(lens[1], 14);
  ck_assert_ptr_eq(parts[2], sb);
  ck_assert_uint_eq(lens[2], 8);
  ck_assert_ptr_eq(parts[3], m + 22);
  ck_assert_uint_eq(lens[3], len - 22);
  const uint8_t want[8] = {4, 3, 2, 1, 0, 0, 0, 0};
  ck_assert_mem_eq(sb, want, 8);
}
END_TEST

START_TEST(errors_truncated_and_not_smb) {
  guard_buf g;
  smbw_error err;
  uint8_t m[64], sb[8], d[16] = {0};
  const uint8_t *parts[4];
  size_t lens[4];
  const uint8_t w[2] = {0};
  size_t full = make_msg(m, SMBW_COM_ECHO, 0, w, 1, 0);
  ck_assert_int_eq(guard_init(&g, 64), 0);
  for (size_t n = 0; n < 32; n++) {
    uint8_t *p = guard_place(&g, m, n);
    unsigned before = md5_calls;
#define TRUNC(call)                                       \
    do {                                                  \
      memset(&err, 0, sizeof err);                        \
      ck_assert_int_eq((call), SMBW_E_TRUNCATED);         \
      ck_assert_int_eq(err.code, SMBW_E_TRUNCATED);       \
      ck_assert_uint_eq(err.offset, n);                   \
      ck_assert_str_eq(err.field, "Header");              \
    } while (0)
    TRUNC(smbw_sign_check(p, n, 2, key16, 16, md5_parts, NULL, &err));
    TRUNC(smbw_sign(p, n, 2, key16, 16, md5_parts, NULL, &err));
    TRUNC(smbw_sign_parts(p, n, 2, key16, 16, sb, parts, lens, &err));
    TRUNC(smbw_sign_finish(p, n, d, &err));
    TRUNC(smbw_sign_match(p, n, d, &err));
    TRUNC(smbw_sign_request_kind(p, n, &err));
#undef TRUNC
    ck_assert_uint_eq(md5_calls, before); /* never hashed */
    ck_assert_mem_eq(p, m, n);            /* never written */
  }
  /* an NBSS header in front: not an SMB message */
  uint8_t framed[68] = {0, 0, 0, (uint8_t)full};
  memcpy(framed + 4, m, full);
  uint8_t *p = guard_place(&g, framed, full + 4);
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(smbw_sign_check(p, full + 4, 2, key16, 16, md5_parts, NULL, &err),
                   SMBW_E_HDR_PROTOCOL);
  ck_assert_uint_eq(err.offset, 0);
  ck_assert_str_eq(err.field, "Protocol");
  ck_assert_int_eq(smbw_sign(p, full + 4, 2, key16, 16, md5_parts, NULL, &err),
                   SMBW_E_HDR_PROTOCOL);
  ck_assert_mem_eq(p, framed, full + 4);
  ck_assert_int_eq(smbw_sign_request_kind(p, full + 4, &err), SMBW_E_HDR_PROTOCOL);
  guard_free(&g);
}
END_TEST

START_TEST(errors_invalid_arguments) {
  smbw_error err;
  uint8_t m[64], sb[8], d[16] = {0};
  const uint8_t *parts[4];
  size_t lens[4];
  const uint8_t w[2] = {0};
  size_t len = make_msg(m, SMBW_COM_ECHO, 0, w, 1, 0);
  uint8_t copy[64];
  memcpy(copy, m, len);
  unsigned before = md5_calls;
#define INVAL(call, fld)                            \
  do {                                              \
    memset(&err, 0, sizeof err);                    \
    ck_assert_int_eq((call), SMBW_E_INVAL);         \
    ck_assert_int_eq(err.code, SMBW_E_INVAL);       \
    ck_assert_str_eq(err.field, fld);               \
  } while (0)
  INVAL(smbw_sign(NULL, len, 2, key16, 16, md5_parts, NULL, &err), "msg");
  INVAL(smbw_sign(m, len, 2, NULL, 16, md5_parts, NULL, &err), "key");
  INVAL(smbw_sign(m, len, 2, key16, 0, md5_parts, NULL, &err), "key");
  INVAL(smbw_sign(m, len, 2, key16, 16, NULL, NULL, &err), "md5");
  INVAL(smbw_sign_check(NULL, len, 2, key16, 16, md5_parts, NULL, &err), "msg");
  INVAL(smbw_sign_check(m, len, 2, key16, 0, md5_parts, NULL, &err), "key");
  INVAL(smbw_sign_check(m, len, 2, key16, 16, NULL, NULL, &err), "md5");
  INVAL(smbw_sign_parts(m, len, 2, key16, 16, NULL, parts, lens, &err), "parts");
  INVAL(smbw_sign_parts(m, len, 2, key16, 16, sb, NULL, lens, &err), "parts");
  INVAL(smbw_sign_parts(m, len, 2, key16, 16, sb, parts, NULL, &err), "parts");
  INVAL(smbw_sign_parts(m, len, 2, NULL, 16, sb, parts, lens, &err), "key");
  INVAL(smbw_sign_finish(m, len, NULL, &err), "digest");
  INVAL(smbw_sign_finish(NULL, len, d, &err), "msg");
  INVAL(smbw_sign_match(m, len, NULL, &err), "digest");
  INVAL(smbw_sign_request_kind(NULL, len, &err), "msg");
#undef INVAL
  ck_assert_uint_eq(md5_calls, before);
  ck_assert_mem_eq(m, copy, len);
  /* NULL err is fine everywhere */
  ck_assert_int_eq(smbw_sign(m, 3, 2, key16, 16, md5_parts, NULL, NULL), SMBW_E_TRUNCATED);
  ck_assert_int_eq(smbw_sign_check(m, len, 2, key16, 16, md5_parts, NULL, NULL),
                   SMBW_E_SIGNATURE); /* zeros are no signature */
  /* a response is not classified */
  m[9] = SMBW_FLAGS_REPLY;
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(smbw_sign_request_kind(m, len, &err), SMBW_E_INVAL);
  ck_assert_uint_eq(err.offset, 9);
  ck_assert_str_eq(err.field, "Flags");
}
END_TEST

START_TEST(sequence_rules) {
  smbw_sign_seq s;
  uint32_t req = 0, rsp = 0, one = 0;
  memset(&s, 0xEE, sizeof s);
  smbw_sign_seq_init(&s);
  ck_assert_uint_eq(s.next, 0);
  ck_assert_uint_eq(s.active, 0);
  smbw_sign_seq_init(NULL);
  /* nothing before the key */
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, &req, &rsp), SMBW_E_STATE);
  ck_assert_int_eq(smbw_sign_seq_activate(NULL, &one), SMBW_E_INVAL);
  /* the session setup: request 0, response 1, next 2 */
  ck_assert_int_eq(smbw_sign_seq_activate(&s, &one), 0);
  ck_assert_uint_eq(one, 1);
  ck_assert_uint_eq(s.next, 2);
  ck_assert_uint_eq(s.active, 1);
  /* once per connection */
  ck_assert_int_eq(smbw_sign_seq_activate(&s, NULL), SMBW_E_STATE);
  ck_assert_uint_eq(s.next, 2);
  /* request N, response N + 1, next N + 2 */
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, &req, &rsp), 1);
  ck_assert_uint_eq(req, 2);
  ck_assert_uint_eq(rsp, 3);
  ck_assert_uint_eq(s.next, 4);
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, &req, NULL), 1);
  ck_assert_uint_eq(req, 4);
  /* NT_CANCEL: N, next N + 1, no response number */
  rsp = 0xABCD;
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_CANCEL, &req, &rsp), 0);
  ck_assert_uint_eq(req, 6);
  ck_assert_uint_eq(rsp, 0xABCD);
  ck_assert_uint_eq(s.next, 7);
  /* unanswered: N, next N + 2 */
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_UNANSWERED, &req, &rsp), 0);
  ck_assert_uint_eq(req, 7);
  ck_assert_uint_eq(rsp, 0xABCD);
  ck_assert_uint_eq(s.next, 9);
  /* bad arguments change nothing */
  ck_assert_int_eq(smbw_sign_seq_next(&s, 3, &req, &rsp), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_sign_seq_next(&s, -1, &req, &rsp), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, NULL, &rsp), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_sign_seq_next(NULL, SMBW_SIGN_ANSWERED, &req, &rsp), SMBW_E_INVAL);
  ck_assert_uint_eq(s.next, 9);
  /* 32-bit wrap */
  s.next = 0xFFFFFFFFu;
  ck_assert_int_eq(smbw_sign_seq_next(&s, SMBW_SIGN_ANSWERED, &req, &rsp), 1);
  ck_assert_uint_eq(req, 0xFFFFFFFFu);
  ck_assert_uint_eq(rsp, 0);
  ck_assert_uint_eq(s.next, 1);
}
END_TEST

START_TEST(request_kinds) {
  guard_buf g;
  smbw_error err;
  uint8_t m[128];
  ck_assert_int_eq(guard_init(&g, sizeof m), 0);
  /* LOCKING_ANDX words: AndX (4 bytes), FID, TypeOfLock, NewOplockLevel,
     Timeout, NumberOfUnlocks, NumberOfLocks */
  uint8_t lw[16] = {0xFF, 0, 0, 0, 0x34, 0x12, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  size_t len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 8, 0);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_UNANSWERED);
  lw[14] = 1; /* a lock with the release: answered */
  len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 8, 10);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_ANSWERED);
  lw[14] = 0, lw[12] = 1; /* an unlock with the release: answered */
  len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 8, 10);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_ANSWERED);
  lw[12] = 0, lw[6] = 0x10; /* no release: answered */
  len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 8, 0);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_ANSWERED);
  /* LOCKING_ANDX with 7 words, cut words, no WordCount */
  lw[6] = 0x02;
  len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 7, 0);
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err), SMBW_E_WCT);
  ck_assert_uint_eq(err.offset, 32);
  ck_assert_str_eq(err.field, "WordCount");
  len = make_msg(m, SMBW_COM_LOCKING_ANDX, 0, lw, 8, 0);
  for (size_t n = 33; n < 33 + 16; n++) {
    memset(&err, 0, sizeof err);
    ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, n), n, &err),
                     SMBW_E_WCT_OVERRUN);
    ck_assert_uint_eq(err.offset, 32);
  }
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 49), 49, &err),
                   SMBW_SIGN_UNANSWERED); /* the words, without ByteCount */
  memset(&err, 0, sizeof err);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 32), 32, &err), SMBW_E_TRUNCATED);
  ck_assert_uint_eq(err.offset, 32);
  ck_assert_str_eq(err.field, "WordCount");
  /* ECHO: EchoCount 0 unanswered, 1 answered, other WordCounts answered */
  uint8_t ew[2] = {0, 0};
  len = make_msg(m, SMBW_COM_ECHO, 0, ew, 1, 4);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_UNANSWERED);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 34), 34, &err),
                   SMBW_E_WCT_OVERRUN);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 35), 35, &err),
                   SMBW_SIGN_UNANSWERED);
  ew[1] = 1; /* 256 */
  len = make_msg(m, SMBW_COM_ECHO, 0, ew, 1, 4);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_ANSWERED);
  len = make_msg(m, SMBW_COM_ECHO, 0, ew, 0, 4);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, len), len, &err),
                   SMBW_SIGN_ANSWERED);
  /* NT_CANCEL; anything else */
  len = make_msg(m, SMBW_COM_NT_CANCEL, 0, ew, 0, 0);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 32), 32, &err), SMBW_SIGN_CANCEL);
  len = make_msg(m, SMBW_COM_READ_ANDX, 0, ew, 0, 0);
  ck_assert_int_eq(smbw_sign_request_kind(guard_place(&g, m, 32), 32, &err),
                   SMBW_SIGN_ANSWERED);
  guard_free(&g);
}
END_TEST

/* ---- the example of doc/signing.md, verbatim ------------------------------ */

/* The caller's MD5 (nettle here): the ranges in order, as one stream. */
static void my_md5(void *ctx, const uint8_t *const *parts, const size_t *lens, size_t n,
                   uint8_t out[16]) {
  struct md5_ctx c;
  (void)ctx;
  md5_init(&c);
  for (size_t i = 0; i < n; i++) md5_update(&c, lens[i], parts[i]);
  md5_digest(&c, 16, out);
}

static int sign_session(const uint8_t *mac_key, const uint8_t *setup_rsp, size_t setup_len,
                        uint8_t *req, size_t req_len, const uint8_t *rsp, size_t rsp_len) {
  smbw_sign_seq seq;
  smbw_error err;
  uint32_t setup_seq, req_seq, rsp_seq;

  smbw_sign_seq_init(&seq); /* when the connection opens */

  /* the session key is known: the setup response is number 1 */
  smbw_sign_seq_activate(&seq, &setup_seq);
  if (smbw_sign_check(setup_rsp, setup_len, setup_seq, mac_key, 16, my_md5, NULL, &err) < 0)
    return -1; /* SMBW_E_SIGNATURE: drop the connection */

  /* a request: take its number, sign it (its header and body are final) */
  int kind = smbw_sign_request_kind(req, req_len, &err);
  if (kind < 0) return -1;
  if (smbw_sign_seq_next(&seq, kind, &req_seq, &rsp_seq) != 1)
    return 0; /* NT_CANCEL, or no response will come */
  if (smbw_sign(req, req_len, req_seq, mac_key, 16, my_md5, NULL, &err) < 0) return -1;

  /* ... send it; the response with its PID and MID arrives ... */
  return smbw_sign_check(rsp, rsp_len, rsp_seq, mac_key, 16, my_md5, NULL, &err);
}

START_TEST(doc_example) {
  /* smbclient's session: the setup response, then the first signed
     request (TREE_CONNECT_ANDX) and its response */
  char p[4096];
  vec_file vf;
  uint8_t key[16];
  capture_key("smbclient-ntlmssp-signed", key);
  ck_assert(capture_path(p, sizeof p, "smbclient-ntlmssp-signed", "vec"));
  ck_assert_int_eq(vec_load(p, &vf), 0);
  size_t i = 0, setup_len, req_len, rsp_len;
  const uint8_t *setup = NULL;
  for (; i < vf.n && !setup; i++) {
    size_t l;
    const uint8_t *m = smb_of(&vf.msgs[i], &l);
    if (m[4] == SMBW_COM_SESSION_SETUP_ANDX && (m[9] & SMBW_FLAGS_REPLY) && le32(m + 5) == 0)
      setup = m, setup_len = l;
  }
  ck_assert_ptr_nonnull(setup);
  const uint8_t *req = smb_of(&vf.msgs[i], &req_len);
  const uint8_t *rsp = smb_of(&vf.msgs[i + 1], &rsp_len);
  uint8_t *copy = malloc(req_len);
  memcpy(copy, req, req_len);
  memset(copy + 14, 0, 8); /* as built: no signature yet */
  ck_assert_int_eq(sign_session(key, setup, setup_len, copy, req_len, rsp, rsp_len), 0);
  ck_assert_mem_eq(copy, req, req_len); /* signed as smbclient did */
  /* a tampered response fails */
  uint8_t *bad = malloc(rsp_len);
  memcpy(bad, rsp, rsp_len);
  bad[rsp_len - 1] ^= 0x40;
  memset(copy + 14, 0, 8);
  ck_assert_int_eq(sign_session(key, setup, setup_len, copy, req_len, bad, rsp_len),
                   SMBW_E_SIGNATURE);
  free(bad);
  free(copy);
  vec_free(&vf);
}
END_TEST

/* The C block of doc/signing.md is the code above, whitespace aside (the
   pages of tests/consumer/snippets.sh are checked the same way). */
static char *slurp_normalized(const char *path) {
  FILE *f = fopen(path, "r");
  ck_assert_msg(f != NULL, "cannot read %s", path);
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  int c, space = 0;
  while ((c = fgetc(f)) != EOF) {
    if (isspace(c)) {
      space = n > 0;
      continue;
    }
    if (n + 2 >= cap) out = realloc(out, cap *= 2);
    if (space) out[n++] = ' ';
    space = 0;
    out[n++] = (char)c;
  }
  out[n] = 0;
  fclose(f);
  return out;
}

START_TEST(doc_example_in_sync) {
  const char *doc = getenv("SMBW_SIGN_DOC"), *src = getenv("SMBW_SIGN_SRC");
  if (!doc || !src) return; /* run outside meson: nothing to compare */
  char *d = slurp_normalized(doc), *t = slurp_normalized(src);
  char *a = strstr(d, "```c ");
  ck_assert_ptr_nonnull(a);
  a += 5;
  char *b = strstr(a, " ```");
  ck_assert_ptr_nonnull(b);
  *b = 0;
  ck_assert_msg(strstr(t, a) != NULL, "doc/signing.md's example differs from tests/test_sign.c");
  free(d);
  free(t);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sign");
  TCase *tc = tcase_create("api");
  tcase_add_test(tc, sign_matches_definition);
  tcase_add_test(tc, errors_truncated_and_not_smb);
  tcase_add_test(tc, errors_invalid_arguments);
  tcase_add_test(tc, sequence_rules);
  tcase_add_test(tc, request_kinds);
  tcase_add_test(tc, doc_example_in_sync);
  suite_add_tcase(s, tc);

  TCase *cap = tcase_create("captures");
  for (size_t i = 0; i < NCAPTURES; i++)
    if (!capture_present(captures[i])) {
      printf("SKIP: %s/%s.vec missing: its signatures are not checked\n", sign_dir(),
             captures[i]);
      missing_captures = 1;
    }
  if (capture_present(captures[0])) tcase_add_test(cap, capture_impacket);
  if (capture_present(captures[1])) {
    tcase_add_test(cap, capture_smbclient);
    tcase_add_test(cap, doc_example);
  }
  suite_add_tcase(s, cap);

  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  if (failed) return EXIT_FAILURE;
  return missing_captures ? 77 : EXIT_SUCCESS;
}
