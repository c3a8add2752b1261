/*
 * smbwire-server: serve directories over SMB1 (NT LM 0.12), built on
 * smbwire for every NBSS and SMB byte.
 *
 *   smbwire-server --listen ADDR:PORT --share NAME=DIR [--share ...]
 *                  [--read-only] [--guest] [--user NAME:PASSWORD]...
 *                  [--signing off|auto|required]
 *                  [--extended-security on|off] [--idle-timeout SECONDS]
 *
 * This file: the command line, the event loop (poll, non-blocking
 * sockets, bounded per-connection buffers, the idle timeout), NBSS framing
 * (direct TCP and 139-style session requests on the same port), signing,
 * NEGOTIATE, SESSION_SETUP_ANDX (guest, NTLMv1, NTLMv2, with or without
 * extended security: SPNEGO and NTLMSSP in ntlm.c and ntlm_server.c),
 * TREE_CONNECT_ANDX and the dispatch of AndX chains.  The file commands
 * and TRANS2 are in server_fs.c.
 */
#define _GNU_SOURCE

#include "server.h"

#include "ntlm_server.h"
#include "ntlm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PROG "smbwire-server"

struct srv_config cfg;
struct conn *srv_conns[MAX_CONNS];
int srv_nconns;
_Static_assert(sizeof(((struct conn *)0)->mac_key) >= NTLM_SERVER_MAX_KEY, "MAC key room");
static volatile sig_atomic_t stop_flag;
static uint8_t server_guid[16]; /* random at start, sent in extended-security NEGOTIATE */

void srv_log(const struct conn *c, const char *fmt, ...) {
  va_list ap;
  if (c)
    fprintf(stderr, PROG ": [%s] ", c->peer);
  else
    fputs(PROG ": ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: " PROG " --listen ADDR:PORT --share NAME=DIR [--share NAME=DIR]...\n"
          "       [--read-only] [--guest] [--user NAME:PASSWORD]... "
          "[--signing off|auto|required]\n"
          "       [--extended-security on|off] [--idle-timeout SECONDS]\n"
          "Serves DIR as \\\\HOST\\NAME over SMB1 (NT LM 0.12) on direct TCP; a NetBIOS\n"
          "session request (port-139 style) on the same port is answered too.\n"
          "  --read-only  refuse every write with STATUS_ACCESS_DENIED\n"
          "  --guest      accept guest and anonymous logons (and unknown users as guest)\n"
          "  --user       an account, checked with NTLMv1 or NTLMv2 (repeatable)\n"
          "  --signing    off, auto (sign when the client asks; default) or required\n"
          "  --extended-security  on (default): SPNEGO/NTLMSSP for clients that ask;\n"
          "               off: always the NT LM 0.12 challenge/response\n"
          "  --idle-timeout  close a connection after SECONDS without a complete\n"
          "               request (default 300; 0: never)\n"
          "Memory: %zu bytes per connection (receive %u, send %u, open files %u,\n"
          "searches %u, trees %u, byte-range locks %u, transaction reassembly %u),\n"
          "at most %d connections.\n",
          sizeof(struct conn), SRV_RBUF, SRV_WBUF, SRV_FILES, SRV_SEARCHES, SRV_TREES,
          SRV_LOCKS, SRV_TPARAMS + SRV_TDATA, MAX_CONNS);
}

/* ---------------------------------------------------------------- helpers */

static uint64_t filetime_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}

static void random_bytes(uint8_t *p, size_t n) {
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  size_t got = 0;
  if (fd >= 0) {
    while (got < n) {
      ssize_t k = read(fd, p + got, n - got);
      if (k <= 0) break;
      got += (size_t)k;
    }
    close(fd);
  }
  if (got < n) { /* not expected on Linux; still never a fixed challenge */
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (; got < n; got++) p[got] = (uint8_t)rand();
  }
}

static long long mono_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec;
}

static void log_decode(const struct conn *c, const char *what, int rc, const smbw_error *e) {
  srv_log(c, "bad %s: %s (%s), field %s, offset %" PRIu32 "; closing", what, smbw_errname(rc),
          smbw_strerror(rc), e->field ? e->field : "?", e->offset);
}

/* ---------------------------------------------------------------- session */

static struct srv_tree *find_tree(struct conn *c, uint16_t tid) {
  for (unsigned i = 0; i < SRV_TREES; i++)
    if (c->trees[i].used && c->trees[i].tid == tid) return &c->trees[i];
  return NULL;
}

static void logoff(struct conn *c) {
  for (unsigned i = 0; i < SRV_TREES; i++)
    if (c->trees[i].used) {
      fs_close_tree(c, c->trees[i].tid);
      c->trees[i].used = 0;
    }
  c->uid = 0;
  c->guest = 0;
}

/* Returns -1 for a decode error (the connection closes), else an NTSTATUS. */
static long do_negotiate(struct conn *c, const smbw_block *blk, struct rsp *r) {
  smbw_negotiate_req req;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_negotiate_req_decode(blk, &req, &e);
  if (rc) {
    log_decode(c, "NEGOTIATE request", rc, &e);
    return -1;
  }
  if (c->negotiated) return SMBW_STATUS_INVALID_SMB; /* once per connection */
  smbw_dialect_iter it;
  smbw_str name;
  uint16_t idx = 0, chosen = SMBW_NEGOTIATE_NO_DIALECT;
  smbw_dialect_iter_init(&it, &req);
  while (smbw_dialect_iter_next(&it, &name) == 1) {
    if (smbw_str_eq(&name, "NT LM 0.12")) chosen = idx;
    idx++;
  }
  smbw_negotiate_rsp rsp;
  memset(&rsp, 0, sizeof rsp);
  rsp.dialect_index = chosen;
  if (chosen == SMBW_NEGOTIATE_NO_DIALECT) {
    srv_log(c, "client offers no NT LM 0.12 dialect");
    rsp.wct = 1;
    return smbw_negotiate_rsp_encode(r->b, &rsp) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
  }
  c->negotiated = 1;
  random_bytes(c->challenge, 8);
  rsp.wct = 17;
  rsp.security_mode = SMBW_NEGOTIATE_USER_SECURITY | SMBW_NEGOTIATE_ENCRYPT_PASSWORDS;
  if (cfg.signing >= 1) rsp.security_mode |= SMBW_NEGOTIATE_SECURITY_SIGNATURES_ENABLED;
  if (cfg.signing == 2) rsp.security_mode |= SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED;
  rsp.max_mpx_count = 50;
  rsp.max_number_vcs = 1;
  rsp.max_buffer_size = SRV_MAX_BUFFER;
  rsp.max_raw_size = 65536;
  rsp.session_key = 0;
  /* LARGE_READX/WRITEX: a read answers up to SRV_LARGE_MAX bytes, and a
     write request may be that large: the receive buffer holds one. */
  rsp.capabilities = SMBW_CAP_UNICODE | SMBW_CAP_LARGE_FILES | SMBW_CAP_NT_SMBS |
                     SMBW_CAP_STATUS32 | SMBW_CAP_NT_FIND | SMBW_CAP_LARGE_READX |
                     SMBW_CAP_LARGE_WRITEX;
  rsp.system_time = filetime_now();
  rsp.server_time_zone = 0;
  uint8_t blob[64];
  size_t blob_len = 0;
  if (cfg.ext_sec && (r->req->flags2 & SMBW_FLAGS2_EXTENDED_SECURITY) &&
      spnego_server_init(blob, sizeof blob, &blob_len) == 0) {
    /* Extended security: ServerGUID and a NegTokenInit offering NTLMSSP;
       the challenge comes in the NTLMSSP CHALLENGE of the first leg. */
    c->ext_sec = 1;
    rsp.capabilities |= SMBW_CAP_EXTENDED_SECURITY;
    rsp.server_guid.data = server_guid;
    rsp.server_guid.len = 16;
    rsp.security_blob.data = blob;
    rsp.security_blob.len = (uint32_t)blob_len;
  } else {
    /* The NT LM 0.12 challenge/response: an 8-byte challenge and the
       13-word SESSION_SETUP_ANDX. */
    rsp.challenge_length = 8;
    rsp.challenge.data = c->challenge;
    rsp.challenge.len = 8;
    rsp.domain_name = smbw_str_utf8("WORKGROUP");
    rsp.server_name = smbw_str_utf8("SMBWIRE");
  }
  return smbw_negotiate_rsp_encode(r->b, &rsp) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
}

/* A logon that succeeded (or became guest): the session, and signing.
   @p key is the MAC key (@p key_len 0: none, a guest). */
static long logon_done(struct conn *c, struct rsp *r, int guest, const char *user,
                       const char *how, const uint8_t *key, size_t key_len) {
  logoff(c); /* one session per connection: a new logon replaces it */
  c->uid = c->pending_uid ? c->pending_uid : (uint16_t)(100 + (c->fd & 0x3FFF));
  c->pending_uid = 0;
  c->guest = (uint8_t)guest;
  r->uid = c->uid;
  srv_log(c, "logon: %s%s", guest ? "guest" : user, how);

  /* Signing starts with the first authenticated session whose key we know:
     always when required, with auto when the client signs (MS-CIFS
     3.3.5.3).  A guest session never signs. */
  int want = !guest && key_len > 0 && !c->sign_active &&
             (cfg.signing == 2 ||
              (cfg.signing == 1 && (r->req->flags2 & (SMBW_FLAGS2_SECURITY_SIGNATURE |
                                                     SMBW_FLAGS2_SIGNATURE_REQUIRED))));
  if (want) {
    memcpy(c->mac_key, key, key_len);
    c->mac_key_len = key_len;
    uint32_t one = 0;
    smbw_sign_seq_activate(&c->seq, &one);
    c->sign_active = 1;
    srv_log(c, "signing active");
  } else if (cfg.signing == 2 && !guest && !c->sign_active) {
    srv_log(c, "signing required but no key");
    logoff(c);
    return SMBW_STATUS_ACCESS_DENIED;
  }
  return 0;
}

static long session_rsp(struct rsp *r, int guest, const uint8_t *blob, size_t blob_len) {
  smbw_session_setup_andx_rsp rsp;
  memset(&rsp, 0, sizeof rsp);
  rsp.wct = blob ? 4 : 3;
  rsp.andx.command = 0xFF;
  rsp.action = guest ? SMBW_SESSION_ACTION_GUEST : 0;
  if (blob) {
    rsp.security_blob.data = blob;
    rsp.security_blob.len = (uint32_t)blob_len;
  }
  rsp.native_os = smbw_str_utf8("Unix");
  rsp.native_lanman = smbw_str_utf8("smbwire-server");
  rsp.primary_domain = smbw_str_utf8("WORKGROUP");
  return smbw_session_setup_andx_rsp_encode(r->b, &rsp) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
}

/* A UTF-16LE (or OEM) name of an NTLMSSP message, as UTF-8. */
static int ntlmssp_name(const uint8_t *p, size_t n, int unicode, char *out, size_t cap) {
  smbw_str s;
  size_t need = 0;
  memset(&s, 0, sizeof s);
  s.data = n ? p : (const uint8_t *)"";
  s.len = (uint32_t)n;
  s.enc = unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM;
  return smbw_str_to_utf8(&s, out, cap, &need) == 0 && strlen(out) == need ? 0 : -1;
}

/* The 12-word SESSION_SETUP_ANDX of extended security: SPNEGO around
   NTLMSSP, in two legs (NEGOTIATE -> CHALLENGE, AUTHENTICATE -> result). */
static long session_setup_ext(struct conn *c, const smbw_session_setup_andx_req *req,
                              struct rsp *r) {
  const uint8_t *tok, *mt, *mic;
  size_t tok_len, mt_len, mic_len;
  int first;
  uint8_t out[1024], blob[1100];
  size_t out_len = 0, blob_len = 0;
  if (spnego_parse_client(req->security_blob.data, req->security_blob.len, &tok, &tok_len, &mt,
                          &mt_len, &mic, &mic_len, &first)) {
    srv_log(c, "SESSION_SETUP_ANDX: security blob of %" PRIu32 " bytes is not SPNEGO/NTLMSSP",
            req->security_blob.len);
    c->ntlmssp_stage = 0;
    return SMBW_STATUS_LOGON_FAILURE;
  }
  c->spnego_bare = tok && tok == req->security_blob.data;
  if (mt) {
    if (first < 0) {
      srv_log(c, "SESSION_SETUP_ANDX: the client offers no NTLMSSP");
      return SMBW_STATUS_LOGON_FAILURE;
    }
    c->mech_types_len = 0;
    if (mt_len <= sizeof c->mech_types) {
      memcpy(c->mech_types, mt, mt_len);
      c->mech_types_len = mt_len;
    }
    c->ntlmssp_stage = 0;
  }
  if (!c->pending_uid) c->pending_uid = (uint16_t)(100 + (c->fd & 0x3FFF));
  r->uid = c->pending_uid;
  if (!tok || (mt && first == 0)) {
    /* NTLMSSP offered, but not as the first mechanism (or no token):
       name it and wait for its NEGOTIATE. */
    if (spnego_server_resp(SPNEGO_ACCEPT_INCOMPLETE, 1, NULL, 0, NULL, 0, blob, sizeof blob,
                           &blob_len))
      return SMBW_STATUS_INTERNAL_ERROR;
    r->ok_status = SMBW_STATUS_MORE_PROCESSING_REQUIRED;
    return session_rsp(r, 0, blob, blob_len);
  }
  uint32_t type = tok_len >= 12 ? (uint32_t)tok[8] | (uint32_t)tok[9] << 8 : 0;
  if (type == 1 && c->ntlmssp_stage == 0) {
    random_bytes(c->challenge, 8);
    if (tok_len > sizeof c->ntlm_neg ||
        ntlmssp_server_challenge(&c->ntlmssp, tok, tok_len, c->challenge, filetime_now(),
                                 "WORKGROUP", "SMBWIRE", out, sizeof out, &out_len) ||
        out_len > sizeof c->ntlm_chal) {
      srv_log(c, "SESSION_SETUP_ANDX: bad NTLMSSP NEGOTIATE (%zu bytes)", tok_len);
      return SMBW_STATUS_LOGON_FAILURE;
    }
    /* Kept for the MIC of the AUTHENTICATE. */
    memcpy(c->ntlm_neg, tok, tok_len);
    c->ntlm_neg_len = (uint16_t)tok_len;
    memcpy(c->ntlm_chal, out, out_len);
    c->ntlm_chal_len = (uint16_t)out_len;
    if (c->spnego_bare) {
      memcpy(blob, out, out_len);
      blob_len = out_len;
    } else if (spnego_server_resp(SPNEGO_ACCEPT_INCOMPLETE, 1, out, out_len, NULL, 0, blob,
                                  sizeof blob, &blob_len)) {
      return SMBW_STATUS_INTERNAL_ERROR;
    }
    c->ntlmssp_stage = 1;
    r->ok_status = SMBW_STATUS_MORE_PROCESSING_REQUIRED;
    return session_rsp(r, 0, blob, blob_len);
  }
  ntlmssp_auth a;
  if (type != 3 || c->ntlmssp_stage != 1 || ntlmssp_auth_parse(tok, tok_len, &a)) {
    srv_log(c, "SESSION_SETUP_ANDX: unexpected NTLMSSP message (type %" PRIu32 ", leg %u)",
            type, c->ntlmssp_stage + 1u);
    c->ntlmssp_stage = 0;
    return SMBW_STATUS_LOGON_FAILURE;
  }
  c->ntlmssp_stage = 0;
  int unicode = (c->ntlmssp.flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
  char user[256], domain[256];
  if (ntlmssp_name(a.user, a.user_len, unicode, user, sizeof user) ||
      ntlmssp_name(a.domain, a.domain_len, unicode, domain, sizeof domain))
    return SMBW_STATUS_LOGON_FAILURE;

  int known = 0, kind = NTLM_SERVER_FAIL;
  uint8_t key[16];
  if (!ntlmssp_auth_anonymous(&a))
    for (int i = 0; i < cfg.nusers; i++) {
      if (strcasecmp(cfg.users[i].name, user) != 0) continue;
      known = 1;
      kind = ntlmssp_server_verify(&c->ntlmssp, &a, cfg.users[i].name, domain,
                                   cfg.users[i].password, key);
      break;
    }
  if (known && kind == NTLM_SERVER_FAIL) {
    srv_log(c, "logon of '%s' refused: wrong password (NTLMSSP, NT response of %zu bytes)", user,
            a.nt_len);
    return SMBW_STATUS_LOGON_FAILURE;
  }
  int auth_mic = known ? ntlmssp_check_mic(key, c->ntlm_neg, c->ntlm_neg_len, c->ntlm_chal,
                                           c->ntlm_chal_len, tok, tok_len, &a)
                       : 1;
  if (!auth_mic) {
    srv_log(c, "logon of '%s' refused: the NTLMSSP AUTHENTICATE MIC does not verify", user);
    memset(key, 0, sizeof key);
    return SMBW_STATUS_LOGON_FAILURE;
  }
  if (!known && !cfg.guest) {
    srv_log(c, "logon of '%s' refused: no such user and no --guest", user);
    return SMBW_STATUS_LOGON_FAILURE;
  }
  /* The SPNEGO mechListMIC (RFC 4178 5): when the client sends one, check
     it and answer with ours, both NTLMSSP signatures of the MechTypeList. */
  uint8_t smic[16];
  size_t smic_len = 0;
  if (known && mic_len && c->mech_types_len) {
    uint8_t want[16];
    if (ntlmssp_sign0(key, c->ntlmssp.flags, 0, c->mech_types, c->mech_types_len, want) == 0) {
      if (mic_len != 16 || memcmp(want, mic, 16) != 0) {
        srv_log(c, "logon of '%s' refused: the SPNEGO mechListMIC does not verify", user);
        return SMBW_STATUS_LOGON_FAILURE;
      }
      ntlmssp_sign0(key, c->ntlmssp.flags, 1, c->mech_types, c->mech_types_len, smic);
      smic_len = 16;
    }
  }
  char how[96];
  snprintf(how, sizeof how, " (NTLMSSP%s%s%s%s)",
           kind == NTLM_SERVER_V1 ? ", NTLMv1" : kind == NTLM_SERVER_V2 ? ", NTLMv2" : "",
           known && (c->ntlmssp.flags & NTLMSSP_NEGOTIATE_KEY_EXCH) && a.enc_key_len == 16
               ? ", key exchange"
               : "",
           auth_mic == 2 ? ", MIC" : "", smic_len ? ", mechListMIC" : "");
  long st = logon_done(c, r, !known, user, how, key, known ? 16 : 0);
  memset(key, 0, sizeof key);
  if (st) return st;
  if (c->spnego_bare) return session_rsp(r, !known, NULL, 0) == 0 ? 0 : SMBW_STATUS_INTERNAL_ERROR;
  if (spnego_server_resp(SPNEGO_ACCEPT_COMPLETED, 0, NULL, 0, smic, smic_len, blob, sizeof blob,
                         &blob_len))
    return SMBW_STATUS_INTERNAL_ERROR;
  return session_rsp(r, !known, blob, blob_len);
}

static long do_session_setup(struct conn *c, const smbw_block *blk, struct rsp *r) {
  smbw_session_setup_andx_req req;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_session_setup_andx_req_decode(blk, &req, &e);
  if (rc) {
    log_decode(c, "SESSION_SETUP_ANDX request", rc, &e);
    return -1;
  }
  if (!c->negotiated) return SMBW_STATUS_INVALID_SMB;
  if (req.wct == 12 && c->ext_sec) return session_setup_ext(c, &req, r);
  if (req.wct != 13 || c->ext_sec) {
    srv_log(c, "SESSION_SETUP_ANDX with %u words refused (extended security %s)", req.wct,
            c->ext_sec ? "negotiated" : "not negotiated");
    return SMBW_STATUS_NOT_SUPPORTED;
  }
  char user[256], domain[256];
  size_t need = 0;
  if (smbw_str_to_utf8(&req.account_name, user, sizeof user, &need) || strlen(user) != need ||
      smbw_str_to_utf8(&req.primary_domain, domain, sizeof domain, &need) ||
      strlen(domain) != need)
    return SMBW_STATUS_LOGON_FAILURE;

  int guest = 0, known = 0, kind = NTLM_SERVER_FAIL;
  uint8_t key[NTLM_SERVER_MAX_KEY];
  size_t key_len = 0;
  for (int i = 0; i < cfg.nusers; i++) {
    if (strcasecmp(cfg.users[i].name, user) != 0) continue;
    known = 1;
    kind = ntlm_server_verify(cfg.users[i].name, domain, cfg.users[i].password, c->challenge,
                              req.unicode_password.data, req.unicode_password.len, key,
                              &key_len);
    break;
  }
  if (known && kind == NTLM_SERVER_FAIL) {
    srv_log(c, "logon of '%s' refused: wrong password (NT response of %" PRIu32 " bytes)", user,
            req.unicode_password.len);
    return SMBW_STATUS_LOGON_FAILURE;
  }
  if (!known) {
    if (!cfg.guest) {
      srv_log(c, "logon of '%s' refused: no such user and no --guest", user);
      return SMBW_STATUS_LOGON_FAILURE;
    }
    guest = 1;
  }
  long st = logon_done(c, r, guest, user,
                       kind == NTLM_SERVER_V1 ? " (NTLMv1)" : kind == NTLM_SERVER_V2 ? " (NTLMv2)" : "",
                       key, key_len);
  memset(key, 0, sizeof key);
  if (st) return st;
  return session_rsp(r, guest, NULL, 0);
}

static long do_tree_connect(struct conn *c, const smbw_block *blk, struct rsp *r) {
  smbw_tree_connect_andx_req req;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_tree_connect_andx_req_decode(blk, &req, &e);
  if (rc) {
    log_decode(c, "TREE_CONNECT_ANDX request", rc, &e);
    return -1;
  }
  char path[512];
  size_t need = 0;
  if (smbw_str_to_utf8(&req.path, path, sizeof path, &need) || strlen(path) != need)
    return SMBW_STATUS_BAD_NETWORK_NAME;
  const char *name = strrchr(path, '\\');
  name = name ? name + 1 : path;
  struct share *sh = NULL;
  int ipc = strcasecmp(name, "IPC$") == 0;
  for (int i = 0; i < cfg.nshares && !ipc; i++)
    if (strcasecmp(cfg.shares[i].name, name) == 0) sh = &cfg.shares[i];
  if (!sh && !ipc) {
    srv_log(c, "no share '%s'", name);
    return SMBW_STATUS_BAD_NETWORK_NAME;
  }
  struct srv_tree *t = NULL;
  for (unsigned i = 0; i < SRV_TREES && !t; i++)
    if (!c->trees[i].used) t = &c->trees[i];
  if (!t) return SMBW_STATUS_INSUFF_SERVER_RESOURCES;
  if (++c->next_tid == 0 || c->next_tid == 0xFFFF) c->next_tid = 1;
  t->used = 1;
  t->tid = c->next_tid;
  t->sh = sh;
  r->tid = t->tid;

  smbw_tree_connect_andx_rsp rsp;
  memset(&rsp, 0, sizeof rsp);
  rsp.andx.command = 0xFF;
  rsp.optional_support = SMBW_SUPPORT_SEARCH_BITS;
  if (req.flags & SMBW_TREE_CONNECT_EXTENDED_RESPONSE) {
    rsp.wct = 7;
    rsp.maximal_share_access_rights = cfg.read_only || ipc ? 0x001200A9u : 0x001F01FFu;
    rsp.guest_maximal_share_access_rights = rsp.maximal_share_access_rights;
  } else {
    rsp.wct = 3;
  }
  rsp.service = smbw_str_utf8(ipc ? "IPC" : "A:");
  rsp.service.enc = SMBW_STR_OEM; /* Service is always OEM */
  rsp.native_file_system = smbw_str_utf8(ipc ? "" : "NTFS");
  return smbw_tree_connect_andx_rsp_encode(r->b, &rsp) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
}

/* One block of a request chain; -1 closes the connection. */
static long dispatch(struct conn *c, const smbw_block *blk, struct rsp *r) {
  smbw_error e = {0, 0, NULL};
  switch (blk->command) {
  case SMBW_COM_NEGOTIATE:
    return do_negotiate(c, blk, r);
  case SMBW_COM_SESSION_SETUP_ANDX:
    return do_session_setup(c, blk, r);
  case SMBW_COM_ECHO: {
    smbw_echo_req q;
    int rc = smbw_echo_req_decode(blk, &q, &e);
    if (rc) {
      log_decode(c, "ECHO request", rc, &e);
      return -1;
    }
    if (q.echo_count == 0) {
      r->no_response = 1;
      return 0;
    }
    smbw_echo_rsp p;
    memset(&p, 0, sizeof p);
    p.wct = 1;
    p.sequence_number = 1; /* one response, whatever EchoCount asks */
    p.data = q.data;
    return smbw_echo_rsp_encode(r->b, &p) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
  }
  case SMBW_COM_NT_CANCEL:
    r->no_response = 1;
    return 0;
  default:
    break;
  }
  /* r->uid: a SESSION_SETUP_ANDX earlier in the chain sets it */
  if (!c->uid || r->uid != c->uid) return SMBW_STATUS_SMB_BAD_UID;
  switch (blk->command) {
  case SMBW_COM_LOGOFF_ANDX: {
    smbw_logoff_andx_req q;
    int rc = smbw_logoff_andx_req_decode(blk, &q, &e);
    if (rc) {
      log_decode(c, "LOGOFF_ANDX request", rc, &e);
      return -1;
    }
    logoff(c);
    smbw_logoff_andx_rsp p;
    memset(&p, 0, sizeof p);
    p.wct = 2;
    p.andx.command = 0xFF;
    return smbw_logoff_andx_rsp_encode(r->b, &p) ? (long)SMBW_STATUS_INTERNAL_ERROR : 0;
  }
  case SMBW_COM_TREE_CONNECT_ANDX:
    return do_tree_connect(c, blk, r);
  default:
    break;
  }
  /* Everything else works in a tree. */
  struct srv_tree *t = find_tree(c, r->tid);
  if (!t) return SMBW_STATUS_SMB_BAD_TID;
  if (blk->command == SMBW_COM_TREE_DISCONNECT) {
    smbw_tree_disconnect_req q;
    int rc = smbw_tree_disconnect_req_decode(blk, &q, &e);
    if (rc) {
      log_decode(c, "TREE_DISCONNECT request", rc, &e);
      return -1;
    }
    fs_close_tree(c, t->tid);
    t->used = 0;
    return smbw_builder_raw(r->b, SMBW_COM_TREE_DISCONNECT, NULL, 0, NULL, 0)
               ? (long)SMBW_STATUS_INTERNAL_ERROR
               : 0;
  }
  uint32_t st = fs_dispatch(c, blk, r, t);
  if (st == 0xFFFFFFFFu) return -1;
  return (long)st;
}

/* ---------------------------------------------------------------- messages */

/* Answer one SMB message (a session message's payload).  Returns 0, or -1
   to close the connection. */
static int handle_message(struct conn *c, const smbw_parsed *p, const smbw_block *blocks) {
  const smbw_msg *m = &p->msg;
  uint8_t *msg = (uint8_t *)(uintptr_t)m->data;
  if (m->hdr.flags & SMBW_FLAGS_REPLY) {
    srv_log(c, "client sent a response (%s); closing", smbw_command_name(m->hdr.command));
    return -1;
  }
  uint32_t rsp_seq = 0;
  int sign_rsp = 0;
  uint32_t early = 0;
  if (c->sign_active) {
    smbw_error e = {0, 0, NULL};
    int kind = smbw_sign_request_kind(msg, m->len, &e);
    if (kind < 0) kind = SMBW_SIGN_ANSWERED; /* answered with an error below */
    uint32_t req_seq = 0;
    int answered = smbw_sign_seq_next(&c->seq, kind, &req_seq, &rsp_seq);
    sign_rsp = answered == 1;
    int rc = smbw_sign_check(msg, m->len, req_seq, c->mac_key, c->mac_key_len, ntlm_md5_parts,
                             NULL, &e);
    if (rc) {
      srv_log(c, "request %s (mid %u): %s, field %s, offset %" PRIu32 " (sequence %" PRIu32
                 "); answered STATUS_ACCESS_DENIED",
              smbw_command_name(m->hdr.command), m->hdr.mid, smbw_errname(rc),
              e.field ? e.field : "?", e.offset, req_seq);
      early = SMBW_STATUS_ACCESS_DENIED;
    }
    if (!answered && !early) return 0;
  }

  smbw_header h = m->hdr;
  h.flags = (uint8_t)(SMBW_FLAGS_REPLY | SMBW_FLAGS_CASE_INSENSITIVE |
                      SMBW_FLAGS_CANONICALIZED_PATHS);
  h.flags2 = (uint16_t)((m->hdr.flags2 & SMBW_FLAGS2_UNICODE) | SMBW_FLAGS2_NT_STATUS |
                        SMBW_FLAGS2_LONG_NAMES | SMBW_FLAGS2_IS_LONG_NAME |
                        (c->sign_active ? SMBW_FLAGS2_SECURITY_SIGNATURE : 0));
  h.status = 0;
  memset(h.signature, 0, sizeof h.signature);
  smbw_builder b;
  if (smbw_builder_init(&b, c->wbuf, sizeof c->wbuf, c->framing, &h)) return -1;
  struct rsp r;
  memset(&r, 0, sizeof r);
  r.b = &b;
  r.req = &m->hdr;
  r.uid = m->hdr.uid;
  r.tid = m->hdr.tid;
  r.unicode = (m->hdr.flags2 & SMBW_FLAGS2_UNICODE) != 0;

  int was_active = c->sign_active;
  uint32_t status = early;
  uint8_t failed_cmd = blocks[0].command;
  if (!early) {
    for (uint32_t i = 0; i < p->nblocks; i++) {
      long st = dispatch(c, &blocks[i], &r);
      if (st < 0) return -1;
      if (r.no_response) return 0;
      if (st != 0) {
        status = (uint32_t)st;
        failed_cmd = blocks[i].command;
        break;
      }
    }
  }
  if (!status && r.ok_status) {
    status = r.ok_status; /* a status that keeps its response body */
  } else if (status) {
    if (status != SMBW_STATUS_NO_MORE_FILES && status != SMBW_STATUS_OBJECT_NAME_NOT_FOUND) {
      const char *n = smbw_ntstatus_name(status);
      srv_log(c, "%s: %s", smbw_command_name(failed_cmd), n ? n : "error");
    }
    /* The failing command's response: no words, no bytes (MS-CIFS 2.2.3.1),
       after the blocks that succeeded. */
    smbw_builder_raw(&b, failed_cmd, NULL, 0, NULL, 0);
  }
  size_t len = 0;
  int rc = smbw_builder_finish(&b, &len);
  if (rc) {
    /* Too big (or an encoder refused our own fields): answer with an error. */
    srv_log(c, "response to %s does not encode: %s (%zu bytes); answered with an error",
            smbw_command_name(m->hdr.command), smbw_errname(rc), len);
    h.status = SMBW_STATUS_INSUFF_SERVER_RESOURCES;
    smbw_builder_init(&b, c->wbuf, sizeof c->wbuf, c->framing, &h);
    smbw_builder_raw(&b, m->hdr.command, NULL, 0, NULL, 0);
    if (smbw_builder_finish(&b, &len)) return -1;
    status = h.status;
  }
  uint8_t *out = c->wbuf + 4;
  /* The status, UID and TID are only known now that the commands ran. */
  h.status = status;
  h.tid = r.tid;
  h.uid = r.uid;
  if (!was_active && c->sign_active) {
    /* This response activated signing: it is signed with 1. */
    sign_rsp = 1;
    rsp_seq = 1;
    h.flags2 = (uint16_t)(h.flags2 | SMBW_FLAGS2_SECURITY_SIGNATURE);
  }
  if (smbw_builder_set_header(&b, &h)) return -1;
  if (c->sign_active && sign_rsp) {
    smbw_error e = {0, 0, NULL};
    if (smbw_sign(out, len - 4, rsp_seq, c->mac_key, c->mac_key_len, ntlm_md5_parts, NULL, &e)) {
      srv_log(c, "cannot sign: %s", smbw_errname(e.code));
      return -1;
    }
  }
  c->wpos = 0;
  c->wlen = len;
  return 0;
}

/* Handle one NBSS packet of @p n bytes at the start of the unread input. */
static int handle_packet(struct conn *c, const smbw_parsed *p, const smbw_block *blocks) {
  switch (p->frame.type) {
  case SMBW_NBSS_KEEPALIVE:
    return 0;
  case SMBW_NBSS_SESSION_REQUEST: {
    smbw_nbss_session_request q;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_nbss_session_request_decode(&p->frame, &q, &e);
    if (rc) {
      log_decode(c, "NBSS session request", rc, &e);
      return -1;
    }
    size_t len = 0;
    if (smbw_nbss_header_encode(c->wbuf, sizeof c->wbuf, SMBW_FRAMING_NBT,
                                SMBW_NBSS_POSITIVE_RESPONSE, 0, &len))
      return -1;
    c->wpos = 0;
    c->wlen = len;
    return 0;
  }
  case SMBW_NBSS_SESSION_MESSAGE:
    return handle_message(c, p, blocks);
  default:
    srv_log(c, "unexpected NBSS packet type 0x%02x; closing", p->frame.type);
    return -1;
  }
}

/* ---------------------------------------------------------------- I/O */

static int flush_out(struct conn *c) {
  while (c->wpos < c->wlen) {
    ssize_t k = send(c->fd, c->wbuf + c->wpos, c->wlen - c->wpos, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
      return -1;
    }
    c->wpos += (size_t)k;
  }
  c->wpos = c->wlen = 0;
  return 0;
}

/* Answer the complete packets in the input, one response at a time. */
static int process_input(struct conn *c) {
  static smbw_block blocks[32];
  while (c->wlen == 0 && c->rend > c->rstart) {
    const uint8_t *buf = c->rbuf + c->rstart;
    size_t have = c->rend - c->rstart;
    if (!c->started) {
      /* A 139-style client starts with a session request (0x81); it then
         frames with 17-bit NBT lengths. */
      c->framing = buf[0] == SMBW_NBSS_SESSION_REQUEST ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
      c->started = 1;
    }
    smbw_parsed p;
    size_t need = 0;
    smbw_error e = {0, 0, NULL};
    int n = smbw_parse(buf, have, c->framing, SMBW_PARSE_STRICT, &p, blocks, 32, &need, &e);
    if (n == 0) {
      if (have + need > sizeof c->rbuf) {
        srv_log(c, "packet of %zu bytes is larger than the %zu-byte receive buffer; closing",
                have + need, sizeof c->rbuf);
        return -1;
      }
      break;
    }
    if (n < 0) {
      log_decode(c, "packet", n, &e);
      return -1;
    }
    if (handle_packet(c, &p, blocks) < 0) return -1;
    c->last_active = mono_now();
    c->rstart += (size_t)n;
    if (flush_out(c) < 0) return -1;
  }
  if (c->rstart == c->rend) {
    c->rstart = c->rend = 0;
  } else if (c->rstart > 0) {
    memmove(c->rbuf, c->rbuf + c->rstart, c->rend - c->rstart);
    c->rend -= c->rstart;
    c->rstart = 0;
  }
  return 0;
}

static void close_conn(struct conn *c) {
  logoff(c);
  close(c->fd);
  free(c);
}

static int parse_listen(const char *s, struct sockaddr_in *sa) {
  char host[64];
  const char *colon = strrchr(s, ':');
  if (!colon || (size_t)(colon - s) >= sizeof host) return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  char *end;
  unsigned long port = strtoul(colon + 1, &end, 10);
  if (*end || port == 0 || port > 65535) return -1;
  memset(sa, 0, sizeof *sa);
  sa->sin_family = AF_INET;
  sa->sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) return -1;
  return 0;
}

static void on_signal(int sig) {
  (void)sig;
  stop_flag = 1;
}

int main(int argc, char **argv) {
  const char *listen_at = NULL;
  cfg.signing = 1;
  cfg.ext_sec = 1;
  cfg.idle_timeout = 300;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      usage(stdout);
      return 0;
    } else if (strcmp(a, "--read-only") == 0) {
      cfg.read_only = 1;
    } else if (strcmp(a, "--guest") == 0) {
      cfg.guest = 1;
    } else if (strcmp(a, "--listen") == 0 && v) {
      listen_at = v;
      i++;
    } else if (strcmp(a, "--share") == 0 && v) {
      char *eq = strchr(v, '=');
      if (!eq || eq == v || !eq[1]) {
        fprintf(stderr, PROG ": --share wants NAME=DIR, not '%s'\n", v);
        return 1;
      }
      if (cfg.nshares == 16) {
        fprintf(stderr, PROG ": at most 16 shares\n");
        return 1;
      }
      *eq = '\0';
      cfg.shares[cfg.nshares].name = v;
      cfg.shares[cfg.nshares].dir = eq + 1;
      cfg.nshares++;
      i++;
    } else if (strcmp(a, "--user") == 0 && v) {
      char *colon = strchr(v, ':');
      if (!colon || colon == v) {
        fprintf(stderr, PROG ": --user wants NAME:PASSWORD, not '%s'\n", v);
        return 1;
      }
      if (cfg.nusers == 16) {
        fprintf(stderr, PROG ": at most 16 users\n");
        return 1;
      }
      *colon = '\0';
      cfg.users[cfg.nusers].name = v;
      cfg.users[cfg.nusers].password = colon + 1;
      cfg.nusers++;
      i++;
    } else if (strcmp(a, "--extended-security") == 0 && v) {
      if (strcmp(v, "on") == 0)
        cfg.ext_sec = 1;
      else if (strcmp(v, "off") == 0)
        cfg.ext_sec = 0;
      else {
        fprintf(stderr, PROG ": --extended-security takes on or off, not '%s'\n", v);
        return 1;
      }
      i++;
    } else if (strcmp(a, "--idle-timeout") == 0 && v) {
      char *end;
      long t = strtol(v, &end, 10);
      if (*end || end == v || t < 0 || t > 86400) {
        fprintf(stderr, PROG ": --idle-timeout takes seconds (0 to 86400), not '%s'\n", v);
        return 1;
      }
      cfg.idle_timeout = (int)t;
      i++;
    } else if (strcmp(a, "--signing") == 0 && v) {
      if (strcmp(v, "off") == 0)
        cfg.signing = 0;
      else if (strcmp(v, "auto") == 0)
        cfg.signing = 1;
      else if (strcmp(v, "required") == 0)
        cfg.signing = 2;
      else {
        fprintf(stderr, PROG ": --signing takes off, auto or required, not '%s'\n", v);
        return 1;
      }
      i++;
    } else {
      fprintf(stderr, PROG ": unknown or incomplete option '%s'\n", a);
      usage(stderr);
      return 1;
    }
  }
  if (!listen_at || cfg.nshares == 0) {
    fprintf(stderr, PROG ": %s is required\n", !listen_at ? "--listen ADDR:PORT" : "--share NAME=DIR");
    usage(stderr);
    return 1;
  }
  struct sockaddr_in sa;
  if (parse_listen(listen_at, &sa)) {
    fprintf(stderr, PROG ": bad --listen '%s' (want IPv4ADDR:PORT)\n", listen_at);
    return 1;
  }
  for (int i = 0; i < cfg.nshares; i++) {
    cfg.shares[i].rootfd = open(cfg.shares[i].dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cfg.shares[i].rootfd < 0) {
      fprintf(stderr, PROG ": share %s: %s: %s\n", cfg.shares[i].name, cfg.shares[i].dir,
              strerror(errno));
      return 1;
    }
  }
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, 64) < 0) {
    fprintf(stderr, PROG ": listen on %s: %s\n", listen_at, strerror(errno));
    return 1;
  }
  random_bytes(server_guid, sizeof server_guid);
  signal(SIGPIPE, SIG_IGN);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  srv_log(NULL, "listening on %s (%zu bytes per connection)", listen_at, sizeof(struct conn));

  struct conn **conns = srv_conns; /* global: byte-range locks look across connections */
  static struct pollfd pfds[MAX_CONNS + 1];
#define nconns srv_nconns
  while (!stop_flag) {
    pfds[0].fd = lfd;
    pfds[0].events = nconns < MAX_CONNS ? POLLIN : 0;
    for (int i = 0; i < nconns; i++) {
      struct conn *c = conns[i];
      pfds[i + 1].fd = c->fd;
      pfds[i + 1].events = 0;
      /* Read only while no response waits: one response per connection is
         buffered, and the client's further requests wait in the kernel. */
      if (c->wlen == 0 && c->rend < sizeof c->rbuf) pfds[i + 1].events |= POLLIN;
      if (c->wlen > 0) pfds[i + 1].events |= POLLOUT;
    }
    int rc = poll(pfds, (nfds_t)nconns + 1, 1000);
    if (rc < 0) {
      if (errno == EINTR) continue;
      perror(PROG ": poll");
      break;
    }
    for (int i = nconns - 1; i >= 0; i--) {
      struct conn *c = conns[i];
      short ev = pfds[i + 1].revents;
      int dead = 0;
      if (ev & POLLOUT) {
        if (flush_out(c) < 0) dead = 1;
        else if (c->wlen == 0 && process_input(c) < 0) dead = 1;
      }
      if (!dead && (ev & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t k = recv(c->fd, c->rbuf + c->rend, sizeof c->rbuf - c->rend, 0);
        if (k == 0 || (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
          dead = 1;
        else if (k > 0) {
          c->rend += (size_t)k;
          if (process_input(c) < 0) dead = 1;
        }
      }
      if (!dead && cfg.idle_timeout > 0 && mono_now() - c->last_active > cfg.idle_timeout) {
        srv_log(c, "idle for %d s (--idle-timeout); closing", cfg.idle_timeout);
        dead = 1;
      }
      if (dead) {
        close_conn(c);
        conns[i] = conns[--nconns];
      }
    }
    if (pfds[0].revents & POLLIN) {
      for (;;) {
        struct sockaddr_in peer;
        socklen_t pl = sizeof peer;
        int fd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) break;
        if (nconns == MAX_CONNS) {
          close(fd);
          break;
        }
        struct conn *c = calloc(1, sizeof *c);
        if (!c) {
          close(fd);
          break;
        }
        c->fd = fd;
        c->framing = SMBW_FRAMING_DIRECT;
        c->last_active = mono_now();
        char ip[INET_ADDRSTRLEN] = "?";
        inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
        snprintf(c->peer, sizeof c->peer, "%s:%u", ip, ntohs(peer.sin_port));
        smbw_sign_seq_init(&c->seq);
        for (unsigned k = 0; k < SRV_FILES; k++) c->files[k].fd = -1;
        conns[nconns++] = c;
      }
    }
  }
  for (int i = 0; i < nconns; i++) close_conn(conns[i]);
  close(lfd);
  for (int i = 0; i < cfg.nshares; i++) close(cfg.shares[i].rootfd);
#undef nconns
  srv_log(NULL, "stopped");
  return 0;
}
