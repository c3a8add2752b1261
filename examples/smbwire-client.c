/*
 * smbwire-client: a small SMB1 (NT LM 0.12) client built on smbwire.
 *
 *   smbwire-client [-p PORT] [--nbss] [-U USER%PASSWORD | -N]
 *                  [--signing off|auto|required] [--ntlmv1] [-v]
 *                  //HOST/SHARE COMMAND ARGS...
 *
 *   ls [PATTERN]  get REMOTE [LOCAL]  put LOCAL REMOTE  mkdir PATH
 *   rmdir PATH    rm PATH             mv OLD NEW        stat PATH
 *
 * Every NBSS and SMB byte sent is produced by smbwire's encoders and every
 * byte received is framed and decoded by smbwire, signatures included
 * (sign.h); this file only does the sockets, the protocol flow and, with
 * ntlm.c (nettle), the NTLM arithmetic and the SPNEGO/NTLMSSP blobs.
 * Flow: NEGOTIATE, SESSION_SETUP_ANDX (NTLMv2 in NTLMSSP in SPNEGO with
 * extended security; NTLMv1 with the 8-byte challenge otherwise or with
 * --ntlmv1; a null session with -N), TREE_CONNECT_ANDX, the command,
 * TREE_DISCONNECT, LOGOFF_ANDX.  See doc/client.md.
 *
 * Exit status: 0 success; 1 usage, connection, I/O or local error (also an
 * NBSS negative session response); 2 the server returned an error status;
 * 3 malformed or unexpected response (an smbwire decode error, or a bad
 * signature); 4 the server wants something this client does not do
 * (another dialect, share-level security, plaintext passwords, or signing
 * that --signing forbids).
 */
#define _POSIX_C_SOURCE 200809L

#include <smbwire/smbwire.h>

#include "ntlm.h"
#include "print.h"


#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define PROG "smbwire-client"

enum {
  EXIT_USAGE = 1,     /* usage, connect, I/O, local errors */
  EXIT_STATUS = 2,    /* SMB error status from the server */
  EXIT_MALFORMED = 3, /* response smbwire refuses, not the expected one, bad signature */
  EXIT_UNSUPPORTED = 4
};

/* Largest READ_ANDX / WRITE_ANDX data we ask for or send under
   CAP_LARGE_READX / CAP_LARGE_WRITEX: fits a port-139 frame (17-bit
   length) with the headers. */
#define LARGE_CHUNK 126976u
/* Without the capability: 60 KiB, capped by the server's MaxBufferSize. */
#define SMALL_CHUNK 61440u
/* One large read plus headers fits; larger frames are refused. */
#define RBUF_SIZE (LARGE_CHUNK + 16384u)
/* Requests: one large write plus headers. */
#define SBUF_SIZE (LARGE_CHUNK + 8192u)
#define IO_TIMEOUT_SEC 30
/* What we ask of a TRANS2 response (it must come in one message). */
#define TRANS_MAX_DATA 16384u
#define TRANS_MAX_PARAM 1024u

static uint8_t rbuf[RBUF_SIZE];
static uint8_t sbuf[SBUF_SIZE];
static uint8_t fbuf[LARGE_CHUNK]; /* file data for put */

enum { SIGN_OFF, SIGN_AUTO, SIGN_REQUIRED };

struct conn {
  int fd;
  int transport;    /* enum smbw_framing */
  int framing;      /* enum smbw_framing */
  int verbose;
  size_t rstart;    /* first unconsumed byte of rbuf */
  size_t rend;      /* end of the bytes received */
  size_t last;      /* size of the frame last handed out (consumed next time) */
  uint16_t pid;
  uint16_t uid;
  uint16_t tid;
  uint16_t next_mid;
  uint16_t flags2;  /* our Flags2: CLIENT_FLAGS2 plus extended security / signature */
  int unicode;      /* strings of the last response are UTF-16LE */
  /* signing (sign.h): active once the session key is known */
  int signing;
  smbw_sign_seq seq;
  uint8_t mac_key[SMBW_SIGN_KEY_NTLMV1_SIZE];
  size_t mac_key_len;
  uint32_t rsp_seq; /* the number the pending response must be signed with */
  const uint8_t *msg; /* the SMB message of the last response (for the setup check) */
  size_t msg_len;
};

static void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(int code, const char *fmt, ...) {
  va_list ap;
  fputs(PROG ": ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(code);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...) {
  va_list ap;
  fputs(PROG ": warning: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

#define SYNOPSIS                                                                   \
  "usage: " PROG " [-p PORT] [--nbss] [-U USER%PASSWORD | -N]\n"                   \
  "                      [--signing off|auto|required] [--ntlmv1] [-v]\n"          \
  "                      //HOST/SHARE COMMAND ARGS...\n"

static void help(void) __attribute__((noreturn));
static void help(void) {
  fputs(SYNOPSIS
        "commands:\n"
        "  ls [PATTERN]        list a directory (default *; e.g. 'dir/*')\n"
        "  get REMOTE [LOCAL]  fetch a file (to stdout without LOCAL)\n"
        "  put LOCAL REMOTE    store a file (created or truncated)\n"
        "  mkdir PATH          create a directory\n"
        "  rmdir PATH          remove an empty directory\n"
        "  rm PATH             remove a file\n"
        "  mv OLD NEW          rename a file or directory\n"
        "  stat PATH           show a file's size, attributes and times\n"
        "options:\n"
        "  -p PORT             TCP port (default 445; 139 implies --nbss)\n"
        "  --nbss              NetBIOS session service framing with a session request\n"
        "  -U USER[%PASSWORD]  user (DOMAIN\\USER allowed); no password: empty\n"
        "  -N                  anonymous (null session); also the default without -U\n"
        "  --signing MODE      off: never sign (fail if the server requires it);\n"
        "                      auto (default): sign when the server requires it;\n"
        "                      required: always sign, fail if the server cannot\n"
        "  --ntlmv1            NTLMv1 with the 8-byte challenge, no extended security\n"
        "                      (default: NTLMv2 in NTLMSSP in SPNEGO)\n"
        "  -v                  print every message sent and received on stderr\n"
        "  -h, --help          this text\n"
        "exit: 0 ok, 1 usage/connection/local error, 2 SMB error status,\n"
        "      3 malformed response or bad signature, 4 unsupported server feature\n",
        stdout);
  exit(0);
}

/* A usage error: what is wrong, then the synopsis, on stderr. */
static void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void usage_error(const char *fmt, ...) {
  va_list ap;
  fputs(PROG ": ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputs("\n" SYNOPSIS "(" PROG " --help for the commands)\n", stderr);
  exit(EXIT_USAGE);
}

/* "SMB_COM_TREE_CONNECT_ANDX" -> "TREE_CONNECT_ANDX" */
static const char *cmd_short(uint8_t cmd) {
  const char *n = smbw_command_name(cmd);
  if (!n) return "unknown command";
  return strncmp(n, "SMB_COM_", 8) == 0 ? n + 8 : n;
}

/* ---------------------------------------------------------------- I/O */

static void send_all(struct conn *c, const uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t k = send(c->fd, p, n, MSG_NOSIGNAL);
    if (k < 0) {
      if (errno == EINTR) continue;
      die(EXIT_USAGE, "send: %s", strerror(errno));
    }
    p += (size_t)k;
    n -= (size_t)k;
  }
}

static void send_frame(struct conn *c, const uint8_t *p, size_t n) {
  if (c->verbose) print_message(stderr, p, n, c->transport, 0);
  send_all(c, p, n);
}

/*
 * Return the next complete NBSS packet (header included) from the stream.
 * The view stays valid until the next call.  Reads as much as the socket
 * has, so one read may carry several packets or a part of one.
 */
static const uint8_t *recv_frame(struct conn *c, smbw_nbss *f, size_t *flen) {
  c->rstart += c->last;
  c->last = 0;
  if (c->rstart == c->rend) c->rstart = c->rend = 0;
  for (;;) {
    size_t need = 0;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_nbss_frame(rbuf + c->rstart, c->rend - c->rstart, c->transport, f, &need, &e);
    if (rc > 0) {
      c->last = (size_t)rc;
      *flen = (size_t)rc;
      if (c->verbose) print_message(stderr, rbuf + c->rstart, *flen, c->transport, 1);
      return rbuf + c->rstart;
    }
    if (rc < 0)
      die(EXIT_MALFORMED, "bad NBSS packet from server: %s (%s) at offset %" PRIu32 " field %s",
          smbw_errname(rc), smbw_strerror(rc), e.offset, e.field ? e.field : "?");
    size_t have = c->rend - c->rstart;
    if (have + need > RBUF_SIZE)
      die(EXIT_MALFORMED, "NBSS packet of %zu bytes is larger than the %u-byte receive buffer",
          have + need, RBUF_SIZE);
    if (c->rstart + have + need > RBUF_SIZE) { /* make room at the end */
      memmove(rbuf, rbuf + c->rstart, have);
      c->rstart = 0;
      c->rend = have;
    }
    ssize_t k = recv(c->fd, rbuf + c->rend, RBUF_SIZE - c->rend, 0);
    if (k < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        die(EXIT_USAGE, "no answer from server within %d s", IO_TIMEOUT_SEC);
      die(EXIT_USAGE, "recv: %s", strerror(errno));
    }
    if (k == 0)
      die(EXIT_USAGE, "connection closed by server%s",
          have ? " in the middle of a packet" : "");
    c->rend += (size_t)k;
  }
}

static int connect_tcp(const char *host, const char *port) {
  struct addrinfo hints, *res, *ai;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  int rc = getaddrinfo(host, port, &hints, &res);
  if (rc) die(EXIT_USAGE, "%s: %s", host, gai_strerror(rc));
  int fd = -1, saved = 0;
  for (ai = res; ai; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) {
      saved = errno;
      continue;
    }
    struct timeval tv = {IO_TIMEOUT_SEC, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
    saved = errno;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) die(EXIT_USAGE, "connect to %s port %s: %s", host, port, strerror(saved));
  return fd;
}

/* ---------------------------------------------------------------- NBSS */

static void nbss_session(struct conn *c) {
  smbw_nbss_session_request req;
  char host[256] = "";
  char calling[16];
  size_t i;
  if (gethostname(host, sizeof host - 1) != 0 || !host[0]) strcpy(host, "SMBWIRE");
  host[sizeof host - 1] = '\0';
  for (i = 0; i < 15 && host[i]; i++) calling[i] = (char)toupper((unsigned char)host[i]);
  calling[i] = '\0';
  if (smbw_nb_name_set(&req.called, "*SMBSERVER", 0x20) ||
      smbw_nb_name_set(&req.calling, calling, 0x00))
    die(EXIT_USAGE, "cannot build NetBIOS names");
  size_t len = 0;
  int rc = smbw_nbss_session_request_encode(sbuf, sizeof sbuf, &req, &len);
  if (rc) die(EXIT_USAGE, "session request encode: %s", smbw_errname(rc));
  send_frame(c, sbuf, len);

  smbw_nbss f;
  size_t flen;
  smbw_error e = {0, 0, NULL};
  do recv_frame(c, &f, &flen);
  while (f.type == SMBW_NBSS_KEEPALIVE);
  switch (f.type) {
  case SMBW_NBSS_POSITIVE_RESPONSE:
    return;
  case SMBW_NBSS_NEGATIVE_RESPONSE: {
    uint8_t code = 0;
    rc = smbw_nbss_negative_decode(&f, &code, &e);
    if (rc) die(EXIT_MALFORMED, "negative session response: %s", smbw_errname(rc));
    const char *n = smbw_nbss_error_name(code);
    die(EXIT_USAGE, "NBSS session refused: %s (0x%02x)", n ? n : "unknown error", code);
  }
  case SMBW_NBSS_RETARGET_RESPONSE: {
    uint32_t ip = 0;
    uint16_t port = 0;
    rc = smbw_nbss_retarget_decode(&f, &ip, &port, &e);
    if (rc) die(EXIT_MALFORMED, "retarget response: %s", smbw_errname(rc));
    die(EXIT_USAGE, "NBSS session retargeted to %u.%u.%u.%u:%u (not followed)",
        (unsigned)(ip >> 24), (unsigned)(ip >> 16) & 0xFFu, (unsigned)(ip >> 8) & 0xFFu,
        (unsigned)ip & 0xFFu, port);
  }
  default: {
    const char *n = smbw_nbss_type_name(f.type);
    die(EXIT_MALFORMED, "unexpected NBSS %s (0x%02x) in answer to the session request",
        n ? n : "packet", f.type);
  }
  }
}

/* ---------------------------------------------------------------- SMB */

#define CLIENT_FLAGS2 \
  (SMBW_FLAGS2_LONG_NAMES | SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_UNICODE)
#define CLIENT_CAPS                                                         \
  (SMBW_CAP_UNICODE | SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32 |                \
   SMBW_CAP_LARGE_FILES | SMBW_CAP_LARGE_READX | SMBW_CAP_LARGE_WRITEX)

/* Start a request: returns its MID. */
static uint16_t begin(struct conn *c, smbw_builder *b, uint8_t cmd) {
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = cmd;
  h.flags = SMBW_FLAGS_CASE_INSENSITIVE | SMBW_FLAGS_CANONICALIZED_PATHS;
  h.flags2 = c->flags2;
  h.pid_low = c->pid;
  h.uid = c->uid;
  h.tid = c->tid;
  h.mid = c->next_mid++;
  if (c->next_mid == 0xFFFF) c->next_mid = 1; /* 0xFFFF is reserved for oplock breaks */
  int rc = smbw_builder_init(b, sbuf, sizeof sbuf, c->framing, &h);
  if (rc) die(EXIT_USAGE, "builder init: %s", smbw_errname(rc));
  return h.mid;
}

/* Finish the request, sign it when signing is active (its number from the
   connection's counter; the response's number is kept), and send it. */
static void finish_send(struct conn *c, smbw_builder *b, uint8_t cmd) {
  size_t len = 0;
  int rc = smbw_builder_finish(b, &len);
  if (rc)
    die(EXIT_USAGE, "cannot encode %s request: %s (%s), %zu bytes needed", cmd_short(cmd),
        smbw_errname(rc), smbw_strerror(rc), len);
  if (c->signing) {
    smbw_error e = {0, 0, NULL};
    uint8_t *msg = sbuf + b->hdr; /* the SMB message, after the NBSS header */
    size_t mlen = len - b->hdr;
    uint32_t req_seq = 0, rsp_seq = 0;
    int kind = smbw_sign_request_kind(msg, mlen, &e);
    if (kind < 0) die(EXIT_USAGE, "sign %s: %s", cmd_short(cmd), smbw_errname(kind));
    rc = smbw_sign_seq_next(&c->seq, kind, &req_seq, &rsp_seq);
    if (rc < 0) die(EXIT_USAGE, "sign %s: %s", cmd_short(cmd), smbw_errname(rc));
    rc = smbw_sign(msg, mlen, req_seq, c->mac_key, c->mac_key_len, ntlm_md5_parts, NULL, &e);
    if (rc) die(EXIT_USAGE, "sign %s: %s", cmd_short(cmd), smbw_errname(rc));
    c->rsp_seq = rsp_seq;
  }
  send_frame(c, sbuf, len);
}

static void die_decode(const char *what, uint8_t cmd, int rc, const smbw_error *e) {
  die(EXIT_MALFORMED, "malformed %s %s: %s (%s) at offset %" PRIu32 " field %s", cmd_short(cmd),
      what, smbw_errname(rc), smbw_strerror(rc), e->offset, e->field ? e->field : "?");
}

static int status_is_error(const smbw_msg *m) {
  if (m->hdr.flags2 & SMBW_FLAGS2_NT_STATUS) return m->hdr.status != 0;
  return SMBW_DOS_CLASS(m->hdr.status) != 0;
}

static void format_status(const smbw_msg *m, char *buf, size_t cap) {
  char name[80];
  smbw_status_format(m->hdr.status, (m->hdr.flags2 & SMBW_FLAGS2_NT_STATUS) != 0, name,
                     sizeof name);
  snprintf(buf, cap, "%s (0x%08" PRIx32 ")", name, m->hdr.status);
}

/* recv_response() flags */
#define RSP_FATAL 0     /* an error status exits with 2 */
#define RSP_TOLERATE 1  /* an error status is a warning; returns 1 */
#define RSP_QUIET 2     /* an error status is returned (1), silently */

/*
 * Wait for the response to request @p mid, check its signature when
 * signing is active, validate the whole AndX chain and return its first
 * block in @p first.  Returns nonzero if the header carries an error
 * status (see the RSP_* flags).
 */
static int recv_response(struct conn *c, uint8_t cmd, uint16_t mid, smbw_msg *m,
                         smbw_block *first, int flags) {
  for (;;) {
    smbw_nbss f;
    size_t flen;
    smbw_error e = {0, 0, NULL};
    recv_frame(c, &f, &flen);
    if (f.type == SMBW_NBSS_KEEPALIVE) continue;
    if (f.type != SMBW_NBSS_SESSION_MESSAGE) {
      const char *n = smbw_nbss_type_name(f.type);
      die(EXIT_MALFORMED, "unexpected NBSS %s (0x%02x) while waiting for %s", n ? n : "packet",
          f.type, cmd_short(cmd));
    }
    int rc = smbw_msg_decode(f.payload, f.length, m, &e);
    if (rc) die_decode("response header", cmd, rc, &e);
    if (!(m->hdr.flags & SMBW_FLAGS_REPLY))
      die(EXIT_MALFORMED, "server sent a request (%s) instead of a response",
          cmd_short(m->hdr.command));
    if (m->hdr.mid != mid) {
      if (c->verbose)
        fprintf(stderr, "(ignoring %s with mid %u, waiting for mid %u)\n",
                cmd_short(m->hdr.command), m->hdr.mid, mid);
      continue;
    }
    if (m->hdr.command != cmd)
      die(EXIT_MALFORMED, "response to %s (mid %u) is a %s", cmd_short(cmd), mid,
          cmd_short(m->hdr.command));
    c->msg = f.payload;
    c->msg_len = f.length;
    if (c->signing) {
      rc = smbw_sign_check(f.payload, f.length, c->rsp_seq, c->mac_key, c->mac_key_len,
                           ntlm_md5_parts, NULL, &e);
      if (rc == SMBW_E_SIGNATURE)
        die(EXIT_MALFORMED, "bad signature on the %s response (sequence number %" PRIu32
            "): %s; the message was changed on the way or the key is wrong",
            cmd_short(cmd), c->rsp_seq, smbw_errname(rc));
      if (rc) die_decode("response signature", cmd, rc, &e);
    }
    c->unicode = (m->hdr.flags2 & SMBW_FLAGS2_UNICODE) != 0;

    smbw_andx_iter it;
    smbw_block b;
    smbw_andx_iter_init(&it, m);
    rc = smbw_andx_iter_next(&it, first, &e);
    if (rc == 0) die(EXIT_MALFORMED, "%s response has no command block", cmd_short(cmd));
    if (rc < 0) die_decode("response", cmd, rc, &e);
    while ((rc = smbw_andx_iter_next(&it, &b, &e)) == 1) {
    }
    if (rc < 0) die_decode("response AndX chain", cmd, rc, &e);

    if (status_is_error(m)) {
      char st[128];
      format_status(m, st, sizeof st);
      if (flags == RSP_FATAL) die(EXIT_STATUS, "%s failed: %s", cmd_short(cmd), st);
      if (flags == RSP_TOLERATE) warn("%s failed: %s", cmd_short(cmd), st);
      return 1;
    }
    return 0;
  }
}

/* Die with the status of the last response, for a command (what) and a path. */
static void die_status(const smbw_msg *m, const char *what, const char *path) {
  char st[128];
  format_status(m, st, sizeof st);
  die(EXIT_STATUS, "%s %s: %s", what, path, st);
}

struct session {
  uint32_t max_buffer;
  uint32_t capabilities;
  uint32_t session_key;
  uint16_t max_mpx;
  uint8_t security_mode;
  int extended;         /* the server answered with extended security */
  uint8_t challenge[8];
};

static void do_negotiate(struct conn *c, struct session *s, int want_extended) {
  static const char *const dialects[] = {"NT LM 0.12"};
  smbw_builder b;
  if (want_extended) c->flags2 |= SMBW_FLAGS2_EXTENDED_SECURITY;
  uint16_t mid = begin(c, &b, SMBW_COM_NEGOTIATE);
  smbw_negotiate_req req;
  memset(&req, 0, sizeof req);
  req.names = dialects;
  req.count = 1;
  smbw_negotiate_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_NEGOTIATE);

  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  recv_response(c, SMBW_COM_NEGOTIATE, mid, &m, &blk, RSP_FATAL);
  smbw_negotiate_rsp r;
  int rc = smbw_negotiate_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_NEGOTIATE, rc, &e);
  if (r.wct == 0 || r.wct == 1 || r.dialect_index != 0) {
    if (r.dialect_index == SMBW_NEGOTIATE_NO_DIALECT)
      die(EXIT_UNSUPPORTED, "server supports none of our dialects (NT LM 0.12)");
    die(EXIT_MALFORMED, "NEGOTIATE response: word count %u, dialect index %u", r.wct,
        r.dialect_index);
  }
  if (r.wct != 17)
    die(EXIT_MALFORMED, "NEGOTIATE response has the %u-word form, not NT LM 0.12", r.wct);
  if (!(r.security_mode & SMBW_NEGOTIATE_USER_SECURITY))
    die(EXIT_UNSUPPORTED, "server uses share-level security; only user-level is supported");
  if (!(r.security_mode & SMBW_NEGOTIATE_ENCRYPT_PASSWORDS))
    die(EXIT_UNSUPPORTED, "server wants plaintext passwords; refusing");
  s->extended = (r.capabilities & SMBW_CAP_EXTENDED_SECURITY) != 0;
  if (s->extended && !want_extended)
    die(EXIT_MALFORMED, "server answered with extended security, which we did not offer");
  if (!s->extended) {
    c->flags2 &= (uint16_t)~SMBW_FLAGS2_EXTENDED_SECURITY;
    if (r.challenge.len != 8)
      die(EXIT_MALFORMED, "NEGOTIATE response: challenge is %" PRIu32 " bytes, not 8",
          r.challenge.len);
    memcpy(s->challenge, r.challenge.data, 8);
  }
  s->max_buffer = r.max_buffer_size;
  s->capabilities = r.capabilities;
  s->session_key = r.session_key;
  s->max_mpx = r.max_mpx_count;
  s->security_mode = (uint8_t)r.security_mode;
  if (c->verbose)
    fprintf(stderr, "(server: %s security, signing %s, capabilities 0x%08" PRIx32 ")\n",
            s->extended ? "extended" : "challenge/response",
            (r.security_mode & SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED) ? "required"
            : (r.security_mode & SMBW_NEGOTIATE_SECURITY_SIGNATURES_ENABLED) ? "enabled"
                                                                             : "disabled",
            r.capabilities);
}

struct creds {
  int anonymous;
  const char *user;
  const char *domain;
  const char *password; /* NULL or "" = empty passwords */
};

/* Turn signing on after the session setup response @p c->msg that carried
   the session key: the counter starts and that response must carry 1. */
static void start_signing(struct conn *c, const uint8_t *key, size_t key_len) {
  uint32_t setup_seq = 0;
  smbw_error e = {0, 0, NULL};
  memcpy(c->mac_key, key, key_len);
  c->mac_key_len = key_len;
  smbw_sign_seq_init(&c->seq);
  int rc = smbw_sign_seq_activate(&c->seq, &setup_seq);
  if (rc < 0) die(EXIT_USAGE, "signing: %s", smbw_errname(rc));
  /* A server that has not started signing answers with its "not signed"
     filler: Samba's smbd does that after a SESSION_SETUP_ANDX without
     extended security (NTLMv1), and then leaves every later signature
     zero, mandatory signing or not.  Say so rather than "bad signature". */
  static const uint8_t unsigned_filler[8] = {'B', 'S', 'R', 'S', 'P', 'Y', 'L', ' '};
  if (c->msg_len >= 32 && memcmp(c->msg + SMBW_SIGNATURE_OFFSET, unsigned_filler, 8) == 0)
    die(EXIT_UNSUPPORTED, "signing wanted, but the server did not start it for this session "
        "(its SESSION_SETUP_ANDX response carries the unsigned filler BSRSPYL); "
        "NTLMv2 through extended security (without --ntlmv1) signs");
  rc = smbw_sign_check(c->msg, c->msg_len, setup_seq, key, key_len, ntlm_md5_parts, NULL, &e);
  if (rc == SMBW_E_SIGNATURE)
    die(EXIT_MALFORMED, "bad signature on the SESSION_SETUP_ANDX response (sequence number "
        "%" PRIu32 "): %s; wrong session key, or the message was changed",
        setup_seq, smbw_errname(rc));
  if (rc) die_decode("response signature", SMBW_COM_SESSION_SETUP_ANDX, rc, &e);
  c->signing = 1;
  if (c->verbose) fprintf(stderr, "(signing active, %zu-byte MAC key)\n", key_len);
}

static void fill_random(uint8_t *p, size_t n) {
  int fd = open("/dev/urandom", O_RDONLY);
  if (fd < 0 || read(fd, p, n) != (ssize_t)n) die(EXIT_USAGE, "/dev/urandom: %s", strerror(errno));
  close(fd);
}

/* Returns the Action of the final response (SMBW_SESSION_ACTION_GUEST). */
static uint16_t session_setup_v1(struct conn *c, const struct session *s,
                                 const struct creds *cr, int sign) {
  uint8_t resp[24], hash[16], key[SMBW_SIGN_KEY_NTLMV1_SIZE];
  int have_key = 0;
  smbw_session_setup_andx_req req;
  memset(&req, 0, sizeof req);
  req.wct = 13;
  req.max_buffer_size = 0xFFFF; /* we can take a 64 KiB message */
  req.max_mpx_count = s->max_mpx ? 1 : 0;
  req.vc_number = 0;
  req.session_key = s->session_key;
  req.capabilities = CLIENT_CAPS;
  req.account_name = smbw_str_utf8(cr->anonymous ? "" : cr->user);
  req.primary_domain = smbw_str_utf8(cr->anonymous ? "" : cr->domain);
  req.native_os = smbw_str_utf8("Unix");
  req.native_lanman = smbw_str_utf8("smbwire");
  if (!cr->anonymous) {
    if (ntlm_nt_hash(cr->password ? cr->password : "", hash) != 0)
      die(EXIT_USAGE, "password is not valid UTF-8 or longer than %d characters",
          NTLM_MAX_PASSWORD);
    ntlm_v1_response(hash, s->challenge, resp);
    /* The MAC key (MS-CIFS 3.2.5.3): session key MD4(NT hash), then the response. */
    ntlm_v1_session_key(hash, key);
    memcpy(key + 16, resp, 24);
    have_key = 1;
    memset(hash, 0, sizeof hash);
    /* LM authentication is off on current servers: the same NTLM response
       goes in both fields, as Windows does when LM is disabled. */
    req.password.data = resp;
    req.password.len = 24;
    req.unicode_password.data = resp;
    req.unicode_password.len = 24;
  }

  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  smbw_session_setup_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  memset(sbuf, 0, sizeof sbuf);
  memset(resp, 0, sizeof resp);

  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  recv_response(c, SMBW_COM_SESSION_SETUP_ANDX, mid, &m, &blk, RSP_FATAL);
  smbw_session_setup_andx_rsp r;
  int rc = smbw_session_setup_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_SESSION_SETUP_ANDX, rc, &e);
  if (r.wct != 3)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX response has %u words, expected 3", r.wct);
  c->uid = m.hdr.uid;
  if (sign && have_key && !(r.action & SMBW_SESSION_ACTION_GUEST))
    start_signing(c, key, sizeof key);
  memset(key, 0, sizeof key);
  return r.action;
}

/* NTLMv2 in NTLMSSP in SPNEGO: two round trips (MS-SMB 3.2.4.2.4). */
static uint16_t session_setup_v2(struct conn *c, const struct session *s,
                                 const struct creds *cr, int sign) {
  uint8_t tok[2048], blob[2048], key[16];
  size_t tlen = 0, blen = 0;
  smbw_session_setup_andx_req req;
  smbw_session_setup_andx_rsp r;
  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  smbw_builder b;
  int rc, state;
  const uint8_t *stok;
  size_t stok_len;

  memset(&req, 0, sizeof req);
  req.wct = 12;
  req.max_buffer_size = 0xFFFF;
  req.max_mpx_count = s->max_mpx ? 1 : 0;
  req.session_key = s->session_key;
  req.capabilities = CLIENT_CAPS | SMBW_CAP_EXTENDED_SECURITY;
  req.native_os = smbw_str_utf8("Unix");
  req.native_lanman = smbw_str_utf8("smbwire");

  /* Leg 1: NegTokenInit(NTLMSSP NEGOTIATE) -> MORE_PROCESSING_REQUIRED + CHALLENGE */
  if (ntlm_negotiate_msg(tok, sizeof tok, &tlen) || spnego_wrap_init(tok, tlen, blob, sizeof blob, &blen))
    die(EXIT_USAGE, "cannot build the NTLMSSP NEGOTIATE blob");
  req.security_blob.data = blob;
  req.security_blob.len = (uint32_t)blen;
  uint16_t mid = begin(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  smbw_session_setup_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  if (recv_response(c, SMBW_COM_SESSION_SETUP_ANDX, mid, &m, &blk, RSP_QUIET) &&
      m.hdr.status != SMBW_STATUS_MORE_PROCESSING_REQUIRED) {
    char st[128];
    format_status(&m, st, sizeof st);
    die(EXIT_STATUS, "SESSION_SETUP_ANDX (NTLMSSP NEGOTIATE) failed: %s", st);
  }
  if (m.hdr.status != SMBW_STATUS_MORE_PROCESSING_REQUIRED)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX: the server accepted an NTLMSSP NEGOTIATE alone");
  rc = smbw_session_setup_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_SESSION_SETUP_ANDX, rc, &e);
  if (r.wct != 4)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX response has %u words, expected 4", r.wct);
  if (spnego_parse_resp(r.security_blob.data, r.security_blob.len, &state, &stok, &stok_len) ||
      state != SPNEGO_ACCEPT_INCOMPLETE || !stok)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX: malformed SPNEGO answer to NTLMSSP NEGOTIATE");
  ntlm_challenge ch;
  if (ntlm_challenge_parse(stok, stok_len, &ch))
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX: malformed NTLMSSP CHALLENGE");
  c->uid = m.hdr.uid;

  /* Leg 2: NegTokenResp(NTLMSSP AUTHENTICATE with the NTLMv2 response) */
  uint8_t cchal[8];
  fill_random(cchal, sizeof cchal);
  uint64_t now = ((uint64_t)time(NULL) + 11644473600u) * 10000000u;
  rc = ntlm_v2_authenticate(&ch, cr->user, cr->domain, cr->password, cchal, now, tok,
                            sizeof tok, &tlen, key);
  if (rc == NTLM_E_INPUT)
    die(EXIT_USAGE, "user, domain or password not valid UTF-8, or too long");
  if (rc || spnego_wrap_resp(tok, tlen, blob, sizeof blob, &blen))
    die(EXIT_USAGE, "cannot build the NTLMSSP AUTHENTICATE blob (target info too long?)");
  req.security_blob.data = blob;
  req.security_blob.len = (uint32_t)blen;
  mid = begin(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  smbw_session_setup_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_SESSION_SETUP_ANDX);
  memset(tok, 0, sizeof tok);
  recv_response(c, SMBW_COM_SESSION_SETUP_ANDX, mid, &m, &blk, RSP_FATAL);
  rc = smbw_session_setup_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_SESSION_SETUP_ANDX, rc, &e);
  if (r.wct != 4)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX response has %u words, expected 4", r.wct);
  if (r.security_blob.len) {
    if (spnego_parse_resp(r.security_blob.data, r.security_blob.len, &state, &stok, &stok_len))
      die(EXIT_MALFORMED, "SESSION_SETUP_ANDX: malformed final SPNEGO answer");
    if (state != SPNEGO_ACCEPT_COMPLETED && state != SPNEGO_NO_STATE)
      die(EXIT_MALFORMED, "SESSION_SETUP_ANDX: SPNEGO negState %d, not accept-completed", state);
  }
  c->uid = m.hdr.uid;
  if (sign && !(r.action & SMBW_SESSION_ACTION_GUEST)) start_signing(c, key, sizeof key);
  memset(key, 0, sizeof key);
  return r.action;
}

static void do_session_setup(struct conn *c, const struct session *s, const struct creds *cr,
                             int signing_mode) {
  int server_requires = (s->security_mode & SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED) != 0;
  int server_can = server_requires || (s->security_mode & SMBW_NEGOTIATE_SECURITY_SIGNATURES_ENABLED);
  int sign = 0;
  if (signing_mode == SIGN_OFF && server_requires)
    die(EXIT_UNSUPPORTED, "server requires signing, and --signing off forbids it");
  if (signing_mode == SIGN_REQUIRED && !server_can)
    die(EXIT_UNSUPPORTED, "--signing required, but the server does not sign");
  if (signing_mode == SIGN_REQUIRED || (signing_mode == SIGN_AUTO && server_requires)) sign = 1;
  if (sign) c->flags2 |= SMBW_FLAGS2_SECURITY_SIGNATURE; /* we will sign (Samba looks) */

  uint16_t action = (s->extended && !cr->anonymous) ? session_setup_v2(c, s, cr, sign)
                                                    : session_setup_v1(c, s, cr, sign);
  int guest = (action & SMBW_SESSION_ACTION_GUEST) != 0;
  if (!c->signing) c->flags2 &= (uint16_t)~SMBW_FLAGS2_SECURITY_SIGNATURE;
  if (sign && !c->signing && signing_mode == SIGN_REQUIRED)
    die(EXIT_UNSUPPORTED, "--signing required, but a%s session is not signed",
        cr->anonymous ? "n anonymous" : " guest");
  if (c->verbose)
    fprintf(stderr, "(logged on: uid %u, %s%s%s)\n", c->uid,
            cr->anonymous ? "anonymous" : (s->extended ? "NTLMv2/NTLMSSP/SPNEGO" : "NTLMv1"),
            guest ? ", as guest" : "", c->signing ? ", signed" : "");
}

static void do_tree_connect(struct conn *c, const char *host, const char *share) {
  char path[1024];
  int n = snprintf(path, sizeof path, "\\\\%s\\%s", host, share);
  if (n < 0 || (size_t)n >= sizeof path) die(EXIT_USAGE, "share path too long");
  static const uint8_t nul_password[1] = {0}; /* user-level security: one NUL */
  smbw_tree_connect_andx_req req;
  memset(&req, 0, sizeof req);
  req.flags = SMBW_TREE_CONNECT_EXTENDED_RESPONSE;
  req.password.data = nul_password;
  req.password.len = 1;
  req.path = smbw_str_utf8(path);
  req.service = smbw_str_utf8("?????");

  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_TREE_CONNECT_ANDX);
  smbw_tree_connect_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_TREE_CONNECT_ANDX);

  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  if (recv_response(c, SMBW_COM_TREE_CONNECT_ANDX, mid, &m, &blk, RSP_QUIET))
    die_status(&m, "TREE_CONNECT_ANDX", path);
  smbw_tree_connect_andx_rsp r;
  int rc = smbw_tree_connect_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_TREE_CONNECT_ANDX, rc, &e);
  if (r.wct == 0) die(EXIT_MALFORMED, "TREE_CONNECT_ANDX response has no parameter words");
  c->tid = m.hdr.tid;
}

/* "dir/file" -> "\dir\file" (buffer of 1024). */
static void smb_path(const char *p, char *out, size_t cap) {
  size_t j = 0;
  if (p[0] != '/' && p[0] != '\\') out[j++] = '\\';
  for (; *p; p++) {
    if (j + 1 >= cap) die(EXIT_USAGE, "remote path too long");
    out[j++] = *p == '/' ? '\\' : *p;
  }
  out[j] = '\0';
}

struct file {
  uint16_t fid;
  uint32_t size;
};

/* OPEN_ANDX: for reading an existing file, or (write) creating / truncating one. */
static void do_open(struct conn *c, const char *remote, int write, struct file *fl) {
  char name[1024];
  smb_path(remote, name, sizeof name);
  smbw_open_andx_req req;
  memset(&req, 0, sizeof req);
  req.flags = SMBW_OPEN_REQ_ADDITIONAL_INFO | SMBW_OPEN_REQ_EXTENDED_RESPONSE;
  req.access_mode = (write ? SMBW_ACCESS_WRITE : SMBW_ACCESS_READ) | SMBW_SHARE_DENY_NONE;
  req.search_attrs = 0x0006; /* HIDDEN | SYSTEM */
  req.file_attrs = 0;
  req.open_mode = write ? (SMBW_OPEN_MODE_TRUNCATE_IF_EXISTS | SMBW_OPEN_MODE_CREATE_IF_MISSING)
                        : SMBW_OPEN_MODE_OPEN_IF_EXISTS; /* and fail if missing */
  req.file_name = smbw_str_utf8(name);

  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_OPEN_ANDX);
  smbw_open_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_OPEN_ANDX);

  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  if (recv_response(c, SMBW_COM_OPEN_ANDX, mid, &m, &blk, RSP_QUIET))
    die_status(&m, "OPEN_ANDX", remote);
  smbw_open_andx_rsp r;
  int rc = smbw_open_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_OPEN_ANDX, rc, &e);
  if (r.wct == 0) die(EXIT_MALFORMED, "OPEN_ANDX response has no parameter words");
  if (r.file_attrs & 0x10u) die(EXIT_USAGE, "%s is a directory", remote);
  fl->fid = r.fid;
  fl->size = r.file_data_size;
}

static void write_fd(int fd, const uint8_t *p, size_t n, const char *what) {
  while (n > 0) {
    ssize_t k = write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      die(EXIT_USAGE, "write to %s: %s", what, strerror(errno));
    }
    p += (size_t)k;
    n -= (size_t)k;
  }
}

/* The data size of one READ_ANDX / WRITE_ANDX: large under the capability
   (MS-SMB 2.2.4.2.1, 2.2.4.3.1), else what fits the server's MaxBufferSize
   (64 bytes of header and words). */
static uint32_t io_chunk(const struct session *s, uint32_t cap) {
  if (s->capabilities & cap) return LARGE_CHUNK;
  uint32_t lim = s->max_buffer > 64u + 512u ? s->max_buffer - 64u : 512u;
  return lim < SMALL_CHUNK ? lim : SMALL_CHUNK;
}

static uint64_t do_read_all(struct conn *c, const struct session *s, const struct file *fl,
                            int out, const char *what) {
  uint32_t chunk = io_chunk(s, SMBW_CAP_LARGE_READX);
  uint64_t offset = 0;
  for (;;) {
    smbw_read_andx_req req;
    memset(&req, 0, sizeof req);
    req.wct = 12;
    req.fid = fl->fid;
    req.offset = offset;
    req.max_count = (uint16_t)chunk;
    req.min_count = 0;
    req.timeout = chunk >> 16; /* with CAP_LARGE_READX: MaxCountHigh */
    req.remaining = 0;

    smbw_builder b;
    uint16_t mid = begin(c, &b, SMBW_COM_READ_ANDX);
    smbw_read_andx_req_encode(&b, &req);
    finish_send(c, &b, SMBW_COM_READ_ANDX);

    smbw_msg m;
    smbw_block blk;
    smbw_error e = {0, 0, NULL};
    recv_response(c, SMBW_COM_READ_ANDX, mid, &m, &blk, RSP_FATAL);
    smbw_read_andx_rsp r;
    int rc = smbw_read_andx_rsp_decode(&blk, &r, &e);
    if (rc) die_decode("response", SMBW_COM_READ_ANDX, rc, &e);
    if (r.wct == 0) die(EXIT_MALFORMED, "READ_ANDX response has no parameter words");
    if (r.data.len > chunk)
      die(EXIT_MALFORMED, "READ_ANDX returned %" PRIu32 " bytes, %" PRIu32 " were asked for",
          r.data.len, chunk);
    write_fd(out, r.data.data, r.data.len, what);
    offset += r.data.len;
    if (r.data.len == 0) break;                                 /* EOF */
    if (fl->size != 0xFFFFFFFFu && offset >= fl->size) break;   /* got all of it */
  }
  return offset;
}

static uint64_t do_write_all(struct conn *c, const struct session *s, const struct file *fl,
                             int in, const char *what) {
  uint32_t chunk = io_chunk(s, SMBW_CAP_LARGE_WRITEX);
  uint64_t offset = 0;
  for (;;) {
    size_t n = 0;
    while (n < chunk) { /* fill a whole chunk unless at EOF */
      ssize_t k = read(in, fbuf + n, chunk - n);
      if (k < 0) {
        if (errno == EINTR) continue;
        die(EXIT_USAGE, "read %s: %s", what, strerror(errno));
      }
      if (k == 0) break;
      n += (size_t)k;
    }
    if (n == 0) break;
    smbw_write_andx_req req;
    memset(&req, 0, sizeof req);
    req.wct = 14;
    req.fid = fl->fid;
    req.offset = offset;
    req.data.data = fbuf;
    req.data.len = (uint32_t)n;

    smbw_builder b;
    uint16_t mid = begin(c, &b, SMBW_COM_WRITE_ANDX);
    smbw_write_andx_req_encode(&b, &req);
    finish_send(c, &b, SMBW_COM_WRITE_ANDX);

    smbw_msg m;
    smbw_block blk;
    smbw_error e = {0, 0, NULL};
    recv_response(c, SMBW_COM_WRITE_ANDX, mid, &m, &blk, RSP_FATAL);
    smbw_write_andx_rsp r;
    int rc = smbw_write_andx_rsp_decode(&blk, &r, &e);
    if (rc) die_decode("response", SMBW_COM_WRITE_ANDX, rc, &e);
    if (r.wct == 0) die(EXIT_MALFORMED, "WRITE_ANDX response has no parameter words");
    if (r.count != n)
      die(EXIT_STATUS, "WRITE_ANDX wrote %" PRIu32 " of %zu bytes at offset %" PRIu64, r.count,
          n, offset);
    offset += n;
    if (n < chunk) break;
  }
  return offset;
}

static void do_close(struct conn *c, uint16_t fid, int fatal) {
  smbw_close_req req;
  memset(&req, 0, sizeof req);
  req.wct = 3;
  req.fid = fid;
  req.last_time_modified = 0xFFFFFFFFu;
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_CLOSE);
  smbw_close_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_CLOSE);
  smbw_msg m;
  smbw_block blk;
  recv_response(c, SMBW_COM_CLOSE, mid, &m, &blk, fatal ? RSP_FATAL : RSP_TOLERATE);
}

static void do_tree_disconnect(struct conn *c) {
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_TREE_DISCONNECT);
  smbw_builder_raw(&b, SMBW_COM_TREE_DISCONNECT, NULL, 0, NULL, 0);
  finish_send(c, &b, SMBW_COM_TREE_DISCONNECT);
  smbw_msg m;
  smbw_block blk;
  recv_response(c, SMBW_COM_TREE_DISCONNECT, mid, &m, &blk, RSP_TOLERATE);
  c->tid = 0;
}

static void do_logoff(struct conn *c) {
  static const uint8_t w[4] = {0xFF, 0x00, 0x00, 0x00}; /* no AndX, reserved, offset 0 */
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_LOGOFF_ANDX);
  smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0);
  finish_send(c, &b, SMBW_COM_LOGOFF_ANDX);
  smbw_msg m;
  smbw_block blk;
  recv_response(c, SMBW_COM_LOGOFF_ANDX, mid, &m, &blk, RSP_TOLERATE);
  c->uid = 0;
}

/* ------------------------------------------------------- path commands */

/* mkdir / rmdir: CREATE_DIRECTORY / DELETE_DIRECTORY (0 words, a 0x04 name). */
static void do_dir_cmd(struct conn *c, uint8_t cmd, const char *path) {
  char name[1024];
  smb_path(path, name, sizeof name);
  smbw_path_req req;
  memset(&req, 0, sizeof req);
  req.name = smbw_str_utf8(name);
  smbw_builder b;
  uint16_t mid = begin(c, &b, cmd);
  if (cmd == SMBW_COM_CREATE_DIRECTORY) smbw_create_directory_req_encode(&b, &req);
  else smbw_delete_directory_req_encode(&b, &req);
  finish_send(c, &b, cmd);
  smbw_msg m;
  smbw_block blk;
  if (recv_response(c, cmd, mid, &m, &blk, RSP_QUIET)) die_status(&m, cmd_short(cmd), path);
}

static void do_rm(struct conn *c, const char *path) {
  char name[1024];
  smb_path(path, name, sizeof name);
  smbw_delete_req req;
  memset(&req, 0, sizeof req);
  req.search_attributes = 0x0006; /* HIDDEN | SYSTEM too */
  req.file_name = smbw_str_utf8(name);
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_DELETE);
  smbw_delete_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_DELETE);
  smbw_msg m;
  smbw_block blk;
  if (recv_response(c, SMBW_COM_DELETE, mid, &m, &blk, RSP_QUIET))
    die_status(&m, "DELETE", path);
}

static void do_mv(struct conn *c, const char *from, const char *to) {
  char a[1024], bn[1024];
  smb_path(from, a, sizeof a);
  smb_path(to, bn, sizeof bn);
  smbw_rename_req req;
  memset(&req, 0, sizeof req);
  req.search_attributes = 0x0016; /* HIDDEN | SYSTEM | DIRECTORY */
  req.old_file_name = smbw_str_utf8(a);
  req.new_file_name = smbw_str_utf8(bn);
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_RENAME);
  smbw_rename_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_RENAME);
  smbw_msg m;
  smbw_block blk;
  if (recv_response(c, SMBW_COM_RENAME, mid, &m, &blk, RSP_QUIET))
    die_status(&m, "RENAME", from);
}

/* ------------------------------------------------------------ TRANS2 */

/*
 * One TRANS2 request (one setup word, the parameters, no data) and its
 * response, which must come whole in one message (we ask for at most
 * TRANS_MAX_DATA bytes).  Returns nonzero with the status in @p m when the
 * server answers with an error.
 */
static int trans2(struct conn *c, uint16_t sub, const uint8_t *params, size_t plen,
                  smbw_msg *m, smbw_trans_rsp *r) {
  uint8_t setup[2] = {(uint8_t)sub, (uint8_t)(sub >> 8)};
  smbw_trans_req t;
  memset(&t, 0, sizeof t);
  t.command = SMBW_COM_TRANSACTION2;
  t.wct = 15;
  t.total_param_count = (uint32_t)plen;
  t.total_data_count = 0;
  t.max_param_count = TRANS_MAX_PARAM;
  t.max_data_count = TRANS_MAX_DATA;
  t.setup.data = setup;
  t.setup.len = 2;
  t.params.data = params;
  t.params.len = (uint32_t)plen;
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_TRANSACTION2);
  smbw_trans_req_encode(&b, &t);
  finish_send(c, &b, SMBW_COM_TRANSACTION2);
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  if (recv_response(c, SMBW_COM_TRANSACTION2, mid, m, &blk, RSP_QUIET)) return 1;
  int rc = smbw_trans_rsp_decode(&blk, r, &e);
  if (rc) die_decode("response", SMBW_COM_TRANSACTION2, rc, &e);
  if (r->params.len != r->total_param_count || r->data.len != r->total_data_count ||
      r->param_displacement || r->data_displacement)
    die(EXIT_MALFORMED, "TRANS2 response in several parts (%" PRIu32 "/%" PRIu32
        " parameter bytes, %" PRIu32 "/%" PRIu32 " data bytes): not supported",
        r->params.len, r->total_param_count, r->data.len, r->total_data_count);
  return 0;
}

/* FILETIME -> "YYYY-MM-DD HH:MM:SS" UTC */
static void fmt_filetime(uint64_t ft, char *buf, size_t cap) {
  if (ft == 0) {
    snprintf(buf, cap, "-");
    return;
  }
  time_t t = (time_t)(ft / 10000000u) - (time_t)11644473600;
  struct tm tm;
  if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M:%S", &tm))
    snprintf(buf, cap, "?");
}

static void str_utf8(const smbw_str *s, char *buf, size_t cap) {
  size_t need = 0;
  if (smbw_str_to_utf8(s, buf, cap, &need) != 0) snprintf(buf, cap, "?");
}

#define LS_LEVEL SMBW_FIND_FILE_BOTH_DIRECTORY_INFO

/* Print the entries of one FIND response; remember the last name for resume. */
static unsigned ls_entries(struct conn *c, smbw_bytes data, uint16_t count, char *last,
                           size_t lcap) {
  smbw_find_iter it;
  smbw_find_entry fe;
  smbw_error e = {0, 0, NULL};
  unsigned n = 0;
  int rc;
  smbw_find_iter_init(&it, data, LS_LEVEL, c->unicode, count, 0);
  while ((rc = smbw_find_iter_next(&it, &fe, &e)) == 1) {
    char name[1024], when[32];
    str_utf8(&fe.file_name, name, sizeof name);
    snprintf(last, lcap, "%s", name);
    n++;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) continue;
    fmt_filetime(fe.last_write_time, when, sizeof when);
    printf("%c %12" PRIu64 "  %s  %s\n", (fe.attributes & 0x10u) ? 'd' : '-', fe.end_of_file,
           when, name);
  }
  if (rc < 0)
    die(EXIT_MALFORMED, "malformed directory entry: %s (%s) at data offset %" PRIu32 " field %s",
        smbw_errname(rc), smbw_strerror(rc), e.offset, e.field ? e.field : "?");
  return n;
}

static void do_ls(struct conn *c, const char *pattern) {
  char pat[1024], last[1024] = "";
  uint8_t params[2200];
  size_t plen = 0;
  smbw_msg m;
  smbw_trans_rsp r;
  smbw_error e = {0, 0, NULL};
  smb_path(pattern ? pattern : "*", pat, sizeof pat);

  smbw_find_first2_req fr;
  memset(&fr, 0, sizeof fr);
  fr.search_attributes = 0x0016; /* HIDDEN | SYSTEM | DIRECTORY */
  fr.search_count = 1366;        /* as many as fit */
  fr.flags = SMBW_FIND_CLOSE_AT_EOS;
  fr.information_level = LS_LEVEL;
  fr.file_name = smbw_str_utf8(pat);
  int rc = smbw_find_first2_req_encode(params, sizeof params, 1, &fr, &plen);
  if (rc) die(EXIT_USAGE, "pattern %s: %s", pattern, smbw_errname(rc));
  if (trans2(c, SMBW_TRANS2_FIND_FIRST2, params, plen, &m, &r))
    die_status(&m, "FIND_FIRST2", pattern ? pattern : "*");
  smbw_find_first2_rsp f1;
  rc = smbw_find_first2_rsp_decode(r.params, &f1, &e);
  if (rc) die_decode("FIND_FIRST2 parameters", SMBW_COM_TRANSACTION2, rc, &e);
  unsigned total = ls_entries(c, r.data, f1.search_count, last, sizeof last);
  unsigned rounds = 1;
  uint16_t end = f1.end_of_search, sid = f1.sid;
  while (!end) {
    if (f1.search_count == 0 && rounds > 1) die(EXIT_MALFORMED, "FIND_NEXT2 returned nothing");
    smbw_find_next2_req nr;
    memset(&nr, 0, sizeof nr);
    nr.sid = sid;
    nr.search_count = 1366;
    nr.information_level = LS_LEVEL;
    nr.resume_key = 0;
    nr.flags = SMBW_FIND_CLOSE_AT_EOS | SMBW_FIND_CONTINUE_FROM_LAST;
    nr.file_name = smbw_str_utf8(last); /* resume after the last name */
    rc = smbw_find_next2_req_encode(params, sizeof params, 1, &nr, &plen);
    if (rc) die(EXIT_USAGE, "FIND_NEXT2 request: %s", smbw_errname(rc));
    if (trans2(c, SMBW_TRANS2_FIND_NEXT2, params, plen, &m, &r))
      die_status(&m, "FIND_NEXT2", pattern ? pattern : "*");
    smbw_find_next2_rsp f2;
    rc = smbw_find_next2_rsp_decode(r.params, &f2, &e);
    if (rc) die_decode("FIND_NEXT2 parameters", SMBW_COM_TRANSACTION2, rc, &e);
    total += ls_entries(c, r.data, f2.search_count, last, sizeof last);
    end = f2.end_of_search;
    f1.search_count = f2.search_count;
    rounds++;
  }
  if (c->verbose)
    fprintf(stderr, "(%u entries in %u FIND_FIRST2/FIND_NEXT2 responses)\n", total, rounds);
}

/* TRANS2_QUERY_PATH_INFORMATION at SMB_QUERY_FILE_ALL_INFO (MS-CIFS
   2.2.6.6, 2.2.8.3.10): the parameters and the level are the library's
   records (info.h). */
static void do_stat(struct conn *c, const char *path) {
  char name[1024];
  uint8_t params[6 + 2100];
  size_t need = 0;
  smb_path(path, name, sizeof name);
  smbw_trans2_path_req q;
  memset(&q, 0, sizeof q);
  q.information_level = SMBW_QUERY_FILE_ALL_INFO;
  q.file_name.data = (const uint8_t *)name; /* UTF-8: the encoder converts it */
  q.file_name.len = (uint32_t)strlen(name);
  q.file_name.enc = SMBW_STR_UTF8;
  int rc = smbw_trans2_path_req_encode(&q, 1, params, sizeof params, &need);
  if (rc < 0) die(EXIT_USAGE, "path %s: %s", path, smbw_errname(rc));
  smbw_msg m;
  smbw_trans_rsp r;
  if (trans2(c, SMBW_TRANS2_QUERY_PATH_INFORMATION, params, (size_t)rc, &m, &r))
    die_status(&m, "QUERY_PATH_INFORMATION", path);
  smbw_query_file_all_info a;
  smbw_error e;
  if (smbw_query_file_all_info_decode(r.data, 1, &a, &e) < 0)
    die(EXIT_MALFORMED, "QUERY_PATH_INFORMATION: SMB_QUERY_FILE_ALL_INFO: %s at %" PRIu32 " (%s)",
        smbw_errname(e.code), e.offset, e.field);
  char t[4][32];
  const uint64_t times[4] = {a.creation_time, a.last_access_time, a.last_write_time,
                             a.change_time};
  for (int i = 0; i < 4; i++) fmt_filetime(times[i], t[i], sizeof t[i]);
  printf("name:       %s\n"
         "type:       %s\n"
         "size:       %" PRIu64 "\n"
         "allocation: %" PRIu64 "\n"
         "attributes: 0x%08" PRIx32 "\n"
         "links:      %" PRIu32 "\n"
         "created:    %s\n"
         "accessed:   %s\n"
         "modified:   %s\n"
         "changed:    %s\n",
         path, a.directory ? "directory" : "file", a.end_of_file, a.allocation_size,
         a.file_attributes, a.number_of_links, t[0], t[1], t[2], t[3]);
}

/* ---------------------------------------------------------------- main */

/* Split //HOST/SHARE (or \\HOST\SHARE) into host and share. */
static void parse_unc(const char *unc, char *host, size_t hcap, char *share, size_t scap) {
  if (!((unc[0] == '/' && unc[1] == '/') || (unc[0] == '\\' && unc[1] == '\\')))
    usage_error("bad share '%s': expected //HOST/SHARE", unc);
  const char *h = unc + 2;
  size_t hl = strcspn(h, "/\\");
  if (hl == 0) usage_error("bad share '%s': no HOST in //HOST/SHARE", unc);
  if (h[hl] == '\0') usage_error("bad share '%s': no SHARE in //HOST/SHARE", unc);
  const char *sh = h + hl + 1;
  size_t sl = strcspn(sh, "/\\");
  if (sl == 0) usage_error("bad share '%s': no SHARE in //HOST/SHARE", unc);
  if (sh[sl] != '\0')
    usage_error("bad share '%s': a path after //HOST/SHARE (give it to the command)", unc);
  if (hl >= hcap || sl >= scap) die(EXIT_USAGE, "host or share name too long");
  memcpy(host, h, hl);
  host[hl] = '\0';
  memcpy(share, sh, sl);
  share[sl] = '\0';
}

struct command {
  const char *name;
  int min, max; /* arguments */
  const char *args;
};
static const struct command commands[] = {
    {"ls", 0, 1, "[PATTERN]"},   {"get", 1, 2, "REMOTE [LOCAL]"}, {"put", 2, 2, "LOCAL REMOTE"},
    {"mkdir", 1, 1, "PATH"},     {"rmdir", 1, 1, "PATH"},         {"rm", 1, 1, "PATH"},
    {"mv", 2, 2, "OLD NEW"},     {"stat", 1, 1, "PATH"},
};

int main(int argc, char **argv) {
  const char *port = NULL, *unc = NULL, *cmd = NULL;
  int nbss = -1, verbose = 0, anonymous = 0, have_user = 0, ntlmv1 = 0;
  int signing_mode = SIGN_AUTO;
  static char userbuf[512];
  struct creds cr = {0, "", "", NULL};
  const char *args[2] = {NULL, NULL};
  int nargs = 0;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (cmd) { /* after the command: its arguments only */
      if (nargs == 2) usage_error("too many arguments for %s", cmd);
      args[nargs++] = a;
    } else if (strcmp(a, "--nbss") == 0) {
      nbss = 1;
    } else if (strcmp(a, "-v") == 0) {
      verbose = 1;
    } else if (strcmp(a, "-N") == 0) {
      anonymous = 1;
    } else if (strcmp(a, "--ntlmv1") == 0) {
      ntlmv1 = 1;
    } else if (strcmp(a, "--signing") == 0 || strncmp(a, "--signing=", 10) == 0) {
      const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v) usage_error("--signing needs off, auto or required");
      if (strcmp(v, "off") == 0) signing_mode = SIGN_OFF;
      else if (strcmp(v, "auto") == 0) signing_mode = SIGN_AUTO;
      else if (strcmp(v, "required") == 0) signing_mode = SIGN_REQUIRED;
      else usage_error("bad --signing '%s': off, auto or required", v);
    } else if (strncmp(a, "-p", 2) == 0) {
      port = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!port) usage_error("-p needs a PORT");
    } else if (strncmp(a, "-U", 2) == 0) {
      const char *u = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!u) usage_error("-U needs USER[%%PASSWORD]");
      if (strlen(u) >= sizeof userbuf) die(EXIT_USAGE, "-U argument too long");
      strcpy(userbuf, u);
      have_user = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      help();
    } else if (a[0] == '-' && a[1]) {
      usage_error("unknown option %s", a);
    } else if (!unc) {
      unc = a;
    } else {
      cmd = a;
    }
  }
  if (!unc) usage_error("missing //HOST/SHARE and COMMAND");
  char host[256], share[256];
  parse_unc(unc, host, sizeof host, share, sizeof share);
  if (!cmd) usage_error("missing command after %s (ls, get, put, mkdir, rmdir, rm, mv, stat)", unc);
  const struct command *co = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(commands[i].name, cmd) == 0) co = &commands[i];
  if (!co) usage_error("unknown command '%s' (ls, get, put, mkdir, rmdir, rm, mv, stat)", cmd);
  if (nargs < co->min || nargs > co->max)
    usage_error("%s takes %s", co->name, co->args);
  for (int i = 0; i < nargs; i++)
    if (!args[i][0]) usage_error("%s: empty argument", co->name);
  if (anonymous && have_user) usage_error("-U and -N exclude each other");
  if (!port) port = "445";
  {
    char *end;
    errno = 0;
    unsigned long pn = strtoul(port, &end, 10);
    if (errno || *end || pn == 0 || pn > 65535) usage_error("bad port '%s'", port);
    if (nbss < 0) nbss = pn == 139;
  }
  if (have_user) {
    char *pct = strchr(userbuf, '%');
    if (pct) {
      *pct = '\0';
      cr.password = pct + 1;
    }
    char *sep = strpbrk(userbuf, "\\/");
    if (sep) {
      *sep = '\0';
      cr.domain = userbuf;
      cr.user = sep + 1;
    } else {
      cr.user = userbuf;
    }
    if (!cr.user[0]) anonymous = 1;
  } else {
    anonymous = 1; /* no -U: null session, like -N */
  }
  cr.anonymous = anonymous;

  /* Local files first: a usage mistake should not cost a connection. */
  int local = -1;
  const char *local_name = "stdout";
  if (strcmp(co->name, "put") == 0) {
    local_name = args[0];
    local = open(local_name, O_RDONLY);
    if (local < 0) die(EXIT_USAGE, "%s: %s", local_name, strerror(errno));
  }

  struct conn c;
  memset(&c, 0, sizeof c);
  c.verbose = verbose;
  c.pid = (uint16_t)(getpid() & 0xFFFF);
  c.next_mid = 1;
  c.flags2 = CLIENT_FLAGS2;
  c.transport = nbss ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  c.framing = nbss ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  c.fd = connect_tcp(host, port);

  if (nbss) nbss_session(&c);

  struct session s;
  memset(&s, 0, sizeof s);
  do_negotiate(&c, &s, !anonymous && !ntlmv1);
  do_session_setup(&c, &s, &cr, signing_mode);
  do_tree_connect(&c, host, share);

  if (strcmp(co->name, "get") == 0) {
    struct file fl;
    do_open(&c, args[0], 0, &fl);
    if (args[1]) {
      local_name = args[1];
      local = open(local_name, O_WRONLY | O_CREAT | O_TRUNC, 0666);
      if (local < 0) die(EXIT_USAGE, "%s: %s", local_name, strerror(errno));
    } else {
      local = STDOUT_FILENO;
    }
    uint64_t got = do_read_all(&c, &s, &fl, local, local_name);
    do_close(&c, fl.fid, 0);
    if (local != STDOUT_FILENO && close(local) != 0)
      die(EXIT_USAGE, "%s: %s", local_name, strerror(errno));
    if (verbose) fprintf(stderr, "(%" PRIu64 " bytes written to %s)\n", got, local_name);
  } else if (strcmp(co->name, "put") == 0) {
    struct file fl;
    do_open(&c, args[1], 1, &fl);
    uint64_t put = do_write_all(&c, &s, &fl, local, local_name);
    do_close(&c, fl.fid, 1); /* a failed close may mean lost data */
    close(local);
    if (verbose) fprintf(stderr, "(%" PRIu64 " bytes written to %s)\n", put, args[1]);
  } else if (strcmp(co->name, "ls") == 0) {
    do_ls(&c, args[0]);
  } else if (strcmp(co->name, "mkdir") == 0) {
    do_dir_cmd(&c, SMBW_COM_CREATE_DIRECTORY, args[0]);
  } else if (strcmp(co->name, "rmdir") == 0) {
    do_dir_cmd(&c, SMBW_COM_DELETE_DIRECTORY, args[0]);
  } else if (strcmp(co->name, "rm") == 0) {
    do_rm(&c, args[0]);
  } else if (strcmp(co->name, "mv") == 0) {
    do_mv(&c, args[0], args[1]);
  } else if (strcmp(co->name, "stat") == 0) {
    do_stat(&c, args[0]);
  }
  if (fflush(stdout) != 0) die(EXIT_USAGE, "stdout: %s", strerror(errno));
  do_tree_disconnect(&c);
  do_logoff(&c);
  close(c.fd);
  return 0;
}
