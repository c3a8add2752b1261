/*
 * smbwire-client: fetch one file from an SMB1 (NT LM 0.12) server.
 *
 *   smbwire-client [-p PORT] [--nbss] [-U USER%PASSWORD | -N] [-v]
 *                  //HOST/SHARE get REMOTE_PATH
 *
 * Every NBSS and SMB byte sent is produced by smbwire's encoders and every
 * byte received is framed and decoded by smbwire; this file only does the
 * sockets, the NTLMv1 arithmetic (ntlm.c, nettle) and the protocol flow:
 * NEGOTIATE, SESSION_SETUP_ANDX, TREE_CONNECT_ANDX, OPEN_ANDX, READ_ANDX...,
 * CLOSE, TREE_DISCONNECT, LOGOFF_ANDX.  The file goes to stdout.
 *
 * Exit status: 0 success; 1 usage, connection, I/O or local error (also an
 * NBSS negative session response); 2 the server returned an error status;
 * 3 malformed or unexpected response (an smbwire decode error); 4 the
 * server wants something this client does not do (extended security,
 * signing, another dialect).
 */
#define _POSIX_C_SOURCE 200809L

#include <smbwire/smbwire.h>

#include "ntlm.h"
#include "print.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <unistd.h>

#define PROG "smbwire-client"

enum {
  EXIT_USAGE = 1,     /* usage, connect, I/O, local errors */
  EXIT_STATUS = 2,    /* SMB error status from the server */
  EXIT_MALFORMED = 3, /* response smbwire refuses, or not the expected one */
  EXIT_UNSUPPORTED = 4
};

/* One 64 KiB read plus headers fits with lots of room; larger frames are
   refused rather than buffered. */
#define RBUF_SIZE (140u * 1024u)
/* Requests are small: the longest is OPEN_ANDX with a path. */
#define SBUF_SIZE 8192u
/* Largest READ_ANDX we ask for. */
#define READ_CHUNK 61440u
#define IO_TIMEOUT_SEC 30

static uint8_t rbuf[RBUF_SIZE];
static uint8_t sbuf[SBUF_SIZE];

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

static void usage(void) __attribute__((noreturn));
static void usage(void) {
  fputs("usage: " PROG " [-p PORT] [--nbss] [-U USER%PASSWORD | -N] [-v] "
        "//HOST/SHARE get REMOTE_PATH\n"
        "  -p PORT   TCP port (default 445; 139 implies --nbss)\n"
        "  --nbss    NetBIOS session service framing with a session request\n"
        "  -U USER[%PASSWORD]  user (DOMAIN\\USER allowed); no password: empty\n"
        "  -N        anonymous (null session)\n"
        "  -v        print every message sent and received on stderr\n"
        "exit: 0 ok, 1 usage/connection, 2 SMB error status, 3 malformed response,\n"
        "      4 unsupported server feature\n",
        stderr);
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
   SMBW_CAP_LARGE_FILES | SMBW_CAP_LARGE_READX)

/* Start a request: returns its MID. */
static uint16_t begin(struct conn *c, smbw_builder *b, uint8_t cmd) {
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = cmd;
  h.flags = SMBW_FLAGS_CASE_INSENSITIVE | SMBW_FLAGS_CANONICALIZED_PATHS;
  h.flags2 = CLIENT_FLAGS2;
  h.pid_low = c->pid;
  h.uid = c->uid;
  h.tid = c->tid;
  h.mid = c->next_mid++;
  if (c->next_mid == 0xFFFF) c->next_mid = 1; /* 0xFFFF is reserved for oplock breaks */
  int rc = smbw_builder_init(b, sbuf, sizeof sbuf, c->framing, &h);
  if (rc) die(EXIT_USAGE, "builder init: %s", smbw_errname(rc));
  return h.mid;
}

static void finish_send(struct conn *c, smbw_builder *b, uint8_t cmd) {
  size_t len = 0;
  int rc = smbw_builder_finish(b, &len);
  if (rc)
    die(EXIT_USAGE, "cannot encode %s request: %s (%s), %zu bytes needed", cmd_short(cmd),
        smbw_errname(rc), smbw_strerror(rc), len);
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

/*
 * Wait for the response to request @p mid, validate the whole AndX chain
 * and return its first block in @p first.  Returns nonzero if the header
 * carries an error status: unless @p tolerate, that is fatal (exit 2).
 */
static int recv_response(struct conn *c, uint8_t cmd, uint16_t mid, smbw_msg *m,
                         smbw_block *first, int tolerate) {
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
      if (!tolerate) die(EXIT_STATUS, "%s failed: %s", cmd_short(cmd), st);
      warn("%s failed: %s", cmd_short(cmd), st);
      return 1;
    }
    return 0;
  }
}

struct session {
  uint32_t max_buffer;
  uint32_t capabilities;
  uint32_t session_key;
  uint16_t max_mpx;
  uint8_t challenge[8];
};

static void do_negotiate(struct conn *c, struct session *s) {
  static const char *const dialects[] = {"NT LM 0.12"};
  smbw_builder b;
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
  recv_response(c, SMBW_COM_NEGOTIATE, mid, &m, &blk, 0);
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
  if (r.capabilities & SMBW_CAP_EXTENDED_SECURITY)
    die(EXIT_UNSUPPORTED, "server answered with extended security (SPNEGO); this client "
                          "only does the NT LM 0.12 challenge/response form");
  if (!(r.security_mode & SMBW_NEGOTIATE_USER_SECURITY))
    die(EXIT_UNSUPPORTED, "server uses share-level security; only user-level is supported");
  if (r.security_mode & SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED)
    die(EXIT_UNSUPPORTED, "server requires SMB signing, which this client does not do");
  if (!(r.security_mode & SMBW_NEGOTIATE_ENCRYPT_PASSWORDS))
    die(EXIT_UNSUPPORTED, "server wants plaintext passwords; refusing");
  if (r.challenge.len != 8)
    die(EXIT_MALFORMED, "NEGOTIATE response: challenge is %" PRIu32 " bytes, not 8",
        r.challenge.len);
  memcpy(s->challenge, r.challenge.data, 8);
  s->max_buffer = r.max_buffer_size;
  s->capabilities = r.capabilities;
  s->session_key = r.session_key;
  s->max_mpx = r.max_mpx_count;
}

struct creds {
  int anonymous;
  const char *user;
  const char *domain;
  const char *password; /* NULL or "" = empty passwords */
};

static void do_session_setup(struct conn *c, const struct session *s, const struct creds *cr) {
  uint8_t resp[24];
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
  if (!cr->anonymous && cr->password && cr->password[0]) {
    uint8_t hash[16];
    if (ntlm_nt_hash(cr->password, hash) != 0)
      die(EXIT_USAGE, "password is not valid UTF-8 or longer than %d characters",
          NTLM_MAX_PASSWORD);
    ntlm_v1_response(hash, s->challenge, resp);
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
  recv_response(c, SMBW_COM_SESSION_SETUP_ANDX, mid, &m, &blk, 0);
  smbw_session_setup_andx_rsp r;
  int rc = smbw_session_setup_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_SESSION_SETUP_ANDX, rc, &e);
  if (r.wct != 3)
    die(EXIT_MALFORMED, "SESSION_SETUP_ANDX response has %u words, expected 3", r.wct);
  c->uid = m.hdr.uid;
  if (c->verbose)
    fprintf(stderr, "(logged on: uid %u%s)\n", c->uid,
            (r.action & SMBW_SESSION_ACTION_GUEST) ? ", as guest" : "");
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
  recv_response(c, SMBW_COM_TREE_CONNECT_ANDX, mid, &m, &blk, 0);
  smbw_tree_connect_andx_rsp r;
  int rc = smbw_tree_connect_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_TREE_CONNECT_ANDX, rc, &e);
  if (r.wct == 0) die(EXIT_MALFORMED, "TREE_CONNECT_ANDX response has no parameter words");
  c->tid = m.hdr.tid;
}

struct file {
  uint16_t fid;
  uint32_t size;
};

static void do_open(struct conn *c, const char *remote, struct file *fl) {
  char name[1024];
  size_t j = 0;
  if (remote[0] != '/' && remote[0] != '\\') name[j++] = '\\';
  for (const char *p = remote; *p; p++) {
    if (j + 1 >= sizeof name) die(EXIT_USAGE, "remote path too long");
    name[j++] = *p == '/' ? '\\' : *p;
  }
  name[j] = '\0';

  smbw_open_andx_req req;
  memset(&req, 0, sizeof req);
  req.flags = SMBW_OPEN_REQ_ADDITIONAL_INFO | SMBW_OPEN_REQ_EXTENDED_RESPONSE;
  req.access_mode = SMBW_ACCESS_READ | SMBW_SHARE_DENY_NONE;
  req.search_attrs = 0x0006; /* HIDDEN | SYSTEM */
  req.file_attrs = 0;
  req.open_mode = SMBW_OPEN_MODE_OPEN_IF_EXISTS; /* and fail if missing */
  req.file_name = smbw_str_utf8(name);

  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_OPEN_ANDX);
  smbw_open_andx_req_encode(&b, &req);
  finish_send(c, &b, SMBW_COM_OPEN_ANDX);

  smbw_msg m;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  recv_response(c, SMBW_COM_OPEN_ANDX, mid, &m, &blk, 0);
  smbw_open_andx_rsp r;
  int rc = smbw_open_andx_rsp_decode(&blk, &r, &e);
  if (rc) die_decode("response", SMBW_COM_OPEN_ANDX, rc, &e);
  if (r.wct == 0) die(EXIT_MALFORMED, "OPEN_ANDX response has no parameter words");
  if (r.file_attrs & 0x10u) die(EXIT_USAGE, "%s is a directory", remote);
  fl->fid = r.fid;
  fl->size = r.file_data_size;
}

static void write_all(const uint8_t *p, size_t n) {
  while (n > 0) {
    ssize_t k = write(STDOUT_FILENO, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      die(EXIT_USAGE, "write to stdout: %s", strerror(errno));
    }
    p += (size_t)k;
    n -= (size_t)k;
  }
}

static uint64_t do_read_all(struct conn *c, const struct session *s, const struct file *fl) {
  /* With CAP_LARGE_READX on both sides a read may exceed MaxBufferSize
     (MS-SMB 2.2.4.2.2); otherwise the whole response must fit in it:
     32 header + 1 + 24 words + 2 + 1 pad = 60 bytes of overhead. */
  uint32_t chunk = READ_CHUNK;
  if (!(s->capabilities & SMBW_CAP_LARGE_READX)) {
    uint32_t lim = s->max_buffer > 64u + 512u ? s->max_buffer - 64u : 512u;
    if (chunk > lim) chunk = lim;
  }
  uint64_t offset = 0;
  for (;;) {
    smbw_read_andx_req req;
    memset(&req, 0, sizeof req);
    req.wct = 12;
    req.fid = fl->fid;
    req.offset = offset;
    req.max_count = (uint16_t)chunk;
    req.min_count = 0;
    req.timeout = 0; /* with CAP_LARGE_READX: MaxCountHigh = 0 */
    req.remaining = 0;

    smbw_builder b;
    uint16_t mid = begin(c, &b, SMBW_COM_READ_ANDX);
    smbw_read_andx_req_encode(&b, &req);
    finish_send(c, &b, SMBW_COM_READ_ANDX);

    smbw_msg m;
    smbw_block blk;
    smbw_error e = {0, 0, NULL};
    recv_response(c, SMBW_COM_READ_ANDX, mid, &m, &blk, 0);
    smbw_read_andx_rsp r;
    int rc = smbw_read_andx_rsp_decode(&blk, &r, &e);
    if (rc) die_decode("response", SMBW_COM_READ_ANDX, rc, &e);
    if (r.wct == 0) die(EXIT_MALFORMED, "READ_ANDX response has no parameter words");
    if (r.data.len > chunk)
      die(EXIT_MALFORMED, "READ_ANDX returned %" PRIu32 " bytes, %" PRIu32 " were asked for",
          r.data.len, chunk);
    write_all(r.data.data, r.data.len);
    offset += r.data.len;
    if (r.data.len == 0 || r.data.len < chunk) break;            /* short read: EOF */
    if (fl->size != 0xFFFFFFFFu && offset >= fl->size) break;    /* got all of it */
  }
  return offset;
}

static void do_close(struct conn *c, uint16_t fid) {
  uint8_t w[6] = {(uint8_t)fid, (uint8_t)(fid >> 8), 0xFF, 0xFF, 0xFF, 0xFF};
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_CLOSE);
  smbw_builder_raw(&b, SMBW_COM_CLOSE, w, 3, NULL, 0);
  finish_send(c, &b, SMBW_COM_CLOSE);
  smbw_msg m;
  smbw_block blk;
  recv_response(c, SMBW_COM_CLOSE, mid, &m, &blk, 1);
}

static void do_tree_disconnect(struct conn *c) {
  smbw_builder b;
  uint16_t mid = begin(c, &b, SMBW_COM_TREE_DISCONNECT);
  smbw_builder_raw(&b, SMBW_COM_TREE_DISCONNECT, NULL, 0, NULL, 0);
  finish_send(c, &b, SMBW_COM_TREE_DISCONNECT);
  smbw_msg m;
  smbw_block blk;
  recv_response(c, SMBW_COM_TREE_DISCONNECT, mid, &m, &blk, 1);
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
  recv_response(c, SMBW_COM_LOGOFF_ANDX, mid, &m, &blk, 1);
  c->uid = 0;
}

/* ---------------------------------------------------------------- main */

/* Split //HOST/SHARE (or \\HOST\SHARE) into host and share. */
static void parse_unc(const char *unc, char *host, size_t hcap, char *share, size_t scap) {
  if (!((unc[0] == '/' && unc[1] == '/') || (unc[0] == '\\' && unc[1] == '\\'))) usage();
  const char *h = unc + 2;
  size_t hl = strcspn(h, "/\\");
  if (hl == 0 || h[hl] == '\0') usage();
  const char *sh = h + hl + 1;
  size_t sl = strcspn(sh, "/\\");
  if (sl == 0 || sh[sl] != '\0') usage();
  if (hl >= hcap || sl >= scap) die(EXIT_USAGE, "host or share name too long");
  memcpy(host, h, hl);
  host[hl] = '\0';
  memcpy(share, sh, sl);
  share[sl] = '\0';
}

int main(int argc, char **argv) {
  const char *port = NULL;
  int nbss = -1, verbose = 0, anonymous = 0, have_user = 0;
  static char userbuf[512];
  struct creds cr = {0, "", "", NULL};
  const char *pos[3];
  int npos = 0;

  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--nbss") == 0) {
      nbss = 1;
    } else if (strcmp(a, "-v") == 0) {
      verbose = 1;
    } else if (strcmp(a, "-N") == 0) {
      anonymous = 1;
    } else if (strncmp(a, "-p", 2) == 0) {
      port = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!port) usage();
    } else if (strncmp(a, "-U", 2) == 0) {
      const char *u = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
      if (!u) usage();
      if (strlen(u) >= sizeof userbuf) die(EXIT_USAGE, "-U argument too long");
      strcpy(userbuf, u);
      have_user = 1;
    } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      usage();
    } else if (a[0] == '-' && a[1]) {
      fprintf(stderr, PROG ": unknown option %s\n", a);
      usage();
    } else {
      if (npos == 3) usage();
      pos[npos++] = a;
    }
  }
  if (npos != 3 || strcmp(pos[1], "get") != 0 || !pos[2][0]) usage();
  if (anonymous && have_user) die(EXIT_USAGE, "-U and -N exclude each other");
  if (!port) port = "445";
  {
    char *end;
    errno = 0;
    unsigned long pn = strtoul(port, &end, 10);
    if (errno || *end || pn == 0 || pn > 65535) die(EXIT_USAGE, "bad port '%s'", port);
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

  char host[256], share[256];
  parse_unc(pos[0], host, sizeof host, share, sizeof share);

  struct conn c;
  memset(&c, 0, sizeof c);
  c.verbose = verbose;
  c.pid = (uint16_t)(getpid() & 0xFFFF);
  c.next_mid = 1;
  c.transport = nbss ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  c.framing = nbss ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  c.fd = connect_tcp(host, port);

  if (nbss) nbss_session(&c);

  struct session s;
  memset(&s, 0, sizeof s);
  do_negotiate(&c, &s);
  do_session_setup(&c, &s, &cr);
  do_tree_connect(&c, host, share);
  struct file fl;
  do_open(&c, pos[2], &fl);
  uint64_t got = do_read_all(&c, &s, &fl);
  do_close(&c, fl.fid);
  do_tree_disconnect(&c);
  do_logoff(&c);
  close(c.fd);
  if (verbose) fprintf(stderr, "(%" PRIu64 " bytes written to stdout)\n", got);
  return 0;
}
