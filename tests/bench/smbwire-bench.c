/*
 * smbwire-bench: what the codec costs per message, beside the cost of
 * touching the bytes and beside the decoders people use today.
 *
 *   smbwire-bench [--no-peers] [--port N]... [options] CAPTURE|DIR...
 *
 * Every SMB1 message of the captures (NBSS session messages of TCP ports
 * 139/445 and the --port ones, reassembled by examples/flow.c) is loaded
 * once into one buffer, NBSS packets back to back.  Then, per message:
 *
 *   floor    walk the NBSS lengths and read the 32 header bytes' fields;
 *   decode   smbw_nbss_frame, smbw_msg_decode, the AndX walk and the typed
 *            decoder of every block that has one;
 *   encode   re-encode every decoded message (typed encoders, raw blocks,
 *            trailer) into a buffer, from structs decoded beforehand;
 *   impacket NewSMBPacket + SMBCommand per block, timed in-process by
 *            impacket_bench.py on the same messages;
 *   tshark   `tshark -r CAPTURE` wall time minus its startup (an empty
 *            capture of the same link type), divided by our message count.
 *
 * Each of floor/decode/encode runs its loop over the corpus for at least
 * --min-time seconds, best of --runs.  The last line of output is
 *   summary msgs=N floor_ns=F decode_ns=F encode_ns=F impacket_ns=F tshark_ns=F
 *
 * --count-mode decode|parse|encode is for tests/bench/callgrind.sh: it calls
 * bench_decode_msg() (frame, header, AndX iterator, typed decoders),
 * bench_parse_msg() (smbw_parse(), typed decoders) or bench_encode_msg() exactly --count-reps times per
 * message, group by group (whole corpus, command families, the seed
 * exchange's ten messages, the READ_ANDX size curve), calling
 * bench_group_mark() after each group so that callgrind's
 * --dump-after=bench_group_mark writes one profile per group.
 */
#include <smbwire/smbwire.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pcap/pcap.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "flow.h"

extern char **environ;

#if defined(__clang__)
#define NOIPA __attribute__((noinline))
#else
#define NOIPA __attribute__((noinline, noipa))
#endif

#ifndef BENCH_SRCDIR
#define BENCH_SRCDIR "tests/bench"
#endif
#ifndef BENCH_SEED
#define BENCH_SEED "tests/golden/impacket-seed.pcapng"
#endif

__attribute__((format(printf, 1, 2), noreturn)) static void die(const char *fmt, ...);
static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("smbwire-bench: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(2);
}

static void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) die("out of memory");
  return q;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------ the typed codecs
 * Every command with a typed decoder and encoder, request (0) and response
 * (1).  Add a line here when a command lands; everything else follows. */
#define TYPED_LIST(X)                                                   \
  X(neg_req, NEGOTIATE, 0, smbw_negotiate_req)                          \
  X(neg_rsp, NEGOTIATE, 1, smbw_negotiate_rsp)                          \
  X(ss_req, SESSION_SETUP_ANDX, 0, smbw_session_setup_andx_req)              \
  X(ss_rsp, SESSION_SETUP_ANDX, 1, smbw_session_setup_andx_rsp)              \
  X(tc_req, TREE_CONNECT_ANDX, 0, smbw_tree_connect_andx_req)                \
  X(tc_rsp, TREE_CONNECT_ANDX, 1, smbw_tree_connect_andx_rsp)                \
  X(open_req, OPEN_ANDX, 0, smbw_open_andx_req)                         \
  X(open_rsp, OPEN_ANDX, 1, smbw_open_andx_rsp)                         \
  X(read_req, READ_ANDX, 0, smbw_read_andx_req)                         \
  X(read_rsp, READ_ANDX, 1, smbw_read_andx_rsp)                         \
  X(trans_req, TRANSACTION, 0, smbw_trans_req)                          \
  X(trans_rsp, TRANSACTION, 1, smbw_trans_rsp)                          \
  X(trans_sec_req, TRANSACTION_SECONDARY, 0, smbw_trans_req)            \
  X(trans2_req, TRANSACTION2, 0, smbw_trans_req)                        \
  X(trans2_rsp, TRANSACTION2, 1, smbw_trans_rsp)                        \
  X(trans2_sec_req, TRANSACTION2_SECONDARY, 0, smbw_trans_req)          \
  X(nt_trans_req, NT_TRANSACT, 0, smbw_trans_req)                       \
  X(nt_trans_rsp, NT_TRANSACT, 1, smbw_trans_rsp)                       \
  X(nt_trans_sec_req, NT_TRANSACT_SECONDARY, 0, smbw_trans_req)

enum {
  K_RAW = 0,
#define X_ENUM(name, cmd, rsp, type) K_##name,
  TYPED_LIST(X_ENUM)
#undef X_ENUM
  K_COUNT
};

typedef union typed {
#define X_UNION(name, cmd, rsp, type) type name;
  TYPED_LIST(X_UNION)
#undef X_UNION
} typed;

/* Which typed codec handles a block (K_RAW: none): one table lookup on
   command and direction. */
#define KIND_KEY(cmd, rsp) (((unsigned)(cmd) << 1) | (unsigned)(rsp))
static const uint8_t kind_table[512] = {
#define X_KIND(name, cmd, rsp, type) [KIND_KEY(SMBW_COM_##cmd, rsp)] = K_##name,
    TYPED_LIST(X_KIND)
#undef X_KIND
};
static inline int block_kind(const smbw_block *b) {
  return kind_table[KIND_KEY(b->command, (b->flags & SMBW_FLAGS_REPLY) >> 7)];
}

/* Decode block b with its typed decoder into u; K_RAW blocks return 0. */
static inline int decode_typed(int kind, const smbw_block *b, typed *u) {
  switch (kind) {
#define X_DEC(name, cmd, rsp, type) \
  case K_##name:                    \
    return type##_decode(b, &u->name, NULL);
    TYPED_LIST(X_DEC)
#undef X_DEC
  default:
    return 0;
  }
}

/* ------------------------------------------------------------ the corpus */

typedef struct capture {
  char *path;
  uint32_t first, count; /* messages of this capture in the corpus */
  uint64_t bytes;
  int linktype;          /* -1 when unknown */
} capture;

typedef struct corpus {
  uint8_t *buf;          /* NBSS packets back to back */
  size_t len, cap;
  size_t *off;           /* start of message i in buf */
  uint32_t *size;        /* its NBSS packet size (4 + payload) */
  uint8_t *transport;    /* enum smbw_framing */
  uint32_t n, ncap;
  uint64_t other_nbss;   /* NBSS packets that are not SMB1 session messages */
} corpus;

static void corpus_add(corpus *c, const uint8_t *p, size_t len, int transport) {
  if (c->len + len > c->cap) {
    c->cap = (c->len + len) * 2 + (1u << 20);
    c->buf = xrealloc(c->buf, c->cap);
  }
  if (c->n == c->ncap) {
    c->ncap = c->ncap ? c->ncap * 2 : 4096;
    c->off = xrealloc(c->off, c->ncap * sizeof *c->off);
    c->size = xrealloc(c->size, c->ncap * sizeof *c->size);
    c->transport = xrealloc(c->transport, c->ncap);
  }
  memcpy(c->buf + c->len, p, len);
  c->off[c->n] = c->len;
  c->size[c->n] = (uint32_t)len;
  c->transport[c->n] = (uint8_t)transport;
  c->len += len;
  c->n++;
}

static int on_flow_msg(const flow_msg *m, void *ctx) {
  corpus *c = ctx;
  /* SMB1 session messages only: NBSS type 0, then 0xFF 'S' 'M' 'B'. */
  if (m->len >= 4 + SMBW_HEADER_SIZE && m->nbss[0] == SMBW_NBSS_SESSION_MESSAGE &&
      memcmp(m->nbss + 4, "\xffSMB", 4) == 0)
    corpus_add(c, m->nbss, m->len, m->transport);
  else
    c->other_nbss++;
  return 0;
}

static int link_type(const char *path) {
  char eb[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline(path, eb);
  if (!p) return -1;
  int lt = pcap_datalink(p);
  pcap_close(p);
  return lt;
}

typedef struct options {
  int peers;
  uint16_t ports[32];
  size_t nports;
  double min_time;
  int runs;
  int tshark_runs;
  double impacket_budget;
  const char *count_mode;
  int count_reps;
  const char *seed;
  int verbose;
} options;

static void load_capture(corpus *c, capture *cap, const options *o) {
  flow_opts fo = {o->ports, o->nports, 0};
  char err[256];
  cap->first = c->n;
  size_t before = c->len;
  if (flow_read_file(cap->path, &fo, on_flow_msg, c, err, sizeof err) != 0)
    fprintf(stderr, "smbwire-bench: %s: %s (skipped)\n", cap->path, err);
  cap->count = c->n - cap->first;
  cap->bytes = c->len - before;
  cap->linktype = link_type(cap->path);
}

static int is_capture_name(const char *n) {
  size_t l = strlen(n);
  return (l > 5 && strcmp(n + l - 5, ".pcap") == 0) ||
         (l > 7 && strcmp(n + l - 7, ".pcapng") == 0) ||
         (l > 4 && strcmp(n + l - 4, ".cap") == 0);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file, or every capture under a directory (sorted, recursively). */
static void collect_paths(const char *path, char ***v, size_t *n) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "smbwire-bench: %s: %s (skipped)\n", path, strerror(errno));
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = strdup(path);
    return;
  }
  DIR *d = opendir(path);
  if (!d) return;
  char **names = NULL;
  size_t nn = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    names = xrealloc(names, (nn + 1) * sizeof *names);
    names[nn++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, nn, sizeof *names, cmp_str);
  for (size_t i = 0; i < nn; i++) {
    size_t l = strlen(path) + strlen(names[i]) + 2;
    char *full = malloc(l);
    snprintf(full, l, "%s/%s", path, names[i]);
    struct stat s2;
    if (stat(full, &s2) == 0 && (S_ISDIR(s2.st_mode) || is_capture_name(names[i])))
      collect_paths(full, v, n);
    free(full);
    free(names[i]);
  }
  free(names);
}

/* ------------------------------------------------------------ floor */

static volatile uint64_t sink;

static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* The cost of touching the bytes: NBSS length, then every header field. */
static NOIPA void pass_floor(const corpus *c) {
  const uint8_t *p = c->buf;
  uint64_t acc = 0;
  for (uint32_t i = 0; i < c->n; i++) {
    uint32_t len = ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
    const uint8_t *h = p + 4;
    /* every field, folded pairwise (no long dependency chain) */
    uint64_t f1 = (uint64_t)h[4] + rd32(h + 5);              /* Command, Status */
    uint64_t f2 = (uint64_t)h[9] + rd16(h + 10);             /* Flags, Flags2 */
    uint64_t f3 = (uint64_t)rd16(h + 12) + rd64(h + 14);     /* PIDHigh, SecurityFeatures */
    uint64_t f4 = (uint64_t)rd16(h + 22) + rd16(h + 24);     /* Reserved, TID */
    uint64_t f5 = (uint64_t)rd16(h + 26) + rd16(h + 28) + rd16(h + 30); /* PIDLow, UID, MID */
    acc += (f1 + f2) + (f3 + f4) + f5;
    p += 4 + len;
  }
  sink += acc;
}

/* ------------------------------------------------------------ decode */

static uint64_t dec_acc;

/* Everything a monitor does per message.  Returns the packet size, or a
   negative error.  The unit of the instruction counts (callgrind.sh). */
NOIPA int bench_decode_msg(const uint8_t *p, size_t avail, int transport);
NOIPA int bench_decode_msg(const uint8_t *p, size_t avail, int transport) {
  smbw_nbss f;
  int n = smbw_nbss_frame(p, avail, transport, &f, NULL, NULL);
  if (n <= 0) return n ? n : SMBW_E_TRUNCATED;
  smbw_msg m;
  int rc = smbw_msg_decode(f.payload, f.length, &m, NULL);
  if (rc) return rc;
  smbw_andx_iter it;
  smbw_block b;
  typed u;
  uint64_t acc = m.hdr.mid;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    int k = block_kind(&b);
    if (k != K_RAW && (rc = decode_typed(k, &b, &u)) != 0) return rc;
    acc += b.wct;
  }
  dec_acc += acc;
  return rc < 0 ? rc : n;
}

/* The same work through the one-call parse (parse.h): framing, header
   and the whole chain in one call, then the typed decoders. */
NOIPA int bench_parse_msg(const uint8_t *p, size_t avail, int transport);
NOIPA int bench_parse_msg(const uint8_t *p, size_t avail, int transport) {
  smbw_parsed r;
  smbw_block b[16];
  int n = smbw_parse(p, avail, transport, SMBW_PARSE_STRICT, &r, b, 16, NULL, NULL);
  if (n <= 0) return n ? n : SMBW_E_TRUNCATED;
  typed u;
  uint64_t acc = r.msg.hdr.mid;
  for (uint32_t i = 0; i < r.nblocks; i++) {
    int k = block_kind(&b[i]);
    int rc;
    if (k != K_RAW && (rc = decode_typed(k, &b[i], &u)) != 0) return rc;
    acc += b[i].wct;
  }
  dec_acc += acc;
  return n;
}

/* The same work through the one-call typed parse (form.h): the bench
   picks the type from the command byte and the reply flag (its own
   dispatch, like a server's, from tables main() fills), smbw_parse_typed_()
   frames, checks the header and decodes the first block; a chain goes on
   with the iterator, and a message no type describes (NEGOTIATE and the
   transactions have their own decoders) goes through smbw_parse(). */
static uint8_t andx_table[256];  /* smbw_command_is_andx() */
static int16_t type_table[512];  /* smbw_type_of(), by KIND_KEY */
static const uint16_t type_size[] = {
#define X_SIZE(id, name, cmd, reply) sizeof(smbw_##name),
    SMBW_TYPE_LIST(X_SIZE)
#undef X_SIZE
};
NOIPA int bench_typed_msg(const uint8_t *p, size_t avail, int transport);
NOIPA int bench_typed_msg(const uint8_t *p, size_t avail, int transport) {
  int t = avail >= 4 + SMBW_HEADER_SIZE + 1 ? type_table[KIND_KEY(p[8], (p[13] & SMBW_FLAGS_REPLY) >> 7)] : -1;
  if (t < 0) return bench_parse_msg(p, avail, transport);
  smbw_msg m;
  union {
    typed u;
    uint8_t any[1024];
  } out;
  int n = smbw_parse_typed_(p, avail, transport, t, &m, &out, type_size[t], NULL, NULL);
  if (n <= 0) return n ? n : SMBW_E_TRUNCATED;
  uint64_t acc = m.hdr.mid;
  const uint8_t *w = m.data + SMBW_HEADER_SIZE;
  if (andx_table[m.hdr.command] && w[0] >= 2 && w[1] != 0xFF) { /* a chain */
    smbw_andx_iter it;
    smbw_block b;
    int rc;
    smbw_andx_iter_init(&it, &m);
    smbw_andx_iter_next(&it, &b, NULL); /* the first block, decoded above */
    while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
      int kb = block_kind(&b);
      if (kb != K_RAW && (rc = decode_typed(kb, &b, &out.u)) != 0) return rc;
      acc += b.wct;
    }
    if (rc < 0) return rc;
  }
  dec_acc += acc;
  return n;
}

/* Like the floor, walks the buffer by the lengths it reads (the size
   smbw_nbss_frame() returns), as a stream decoder does. */
static NOIPA void pass_decode(const corpus *c) {
  const uint8_t *p = c->buf, *end = c->buf + c->len;
  for (uint32_t i = 0; i < c->n; i++) {
    int n = bench_decode_msg(p, (size_t)(end - p), c->transport[i]);
    p += n > 0 ? (size_t)n : c->size[i];
  }
  sink += dec_acc;
}

/* ------------------------------------------------------------ encode */

typedef struct eblk {
  int kind;
  smbw_block b; /* K_RAW: written with smbw_builder_block() */
  typed u;
} eblk;

typedef struct emsg {
  smbw_header hdr;
  uint32_t msg;          /* corpus index */
  uint32_t first, nblk;  /* blocks in the eblk array */
  const uint8_t *trailer;
  uint32_t trailer_len;
  int framing;
} emsg;

typedef struct ecorpus {
  emsg *m;
  eblk *b;
  uint32_t n, nb, ncap, nbcap;
  uint64_t bytes;        /* sum of the re-encoded sizes */
  uint32_t failed;       /* messages that do not decode (not re-encoded) */
  uint32_t mismatched;   /* re-encoded differently from the original */
  uint8_t *out;
  size_t outcap;
} ecorpus;

static uint64_t enc_acc;

/* Re-encode one decoded message into out; returns its size or an error. */
NOIPA long bench_encode_msg(const emsg *em, const eblk *blk, uint8_t *out, size_t cap);
NOIPA long bench_encode_msg(const emsg *em, const eblk *blk, uint8_t *out, size_t cap) {
  smbw_builder bld;
  smbw_builder_init(&bld, out, cap, em->framing, &em->hdr);
  for (uint32_t i = 0; i < em->nblk; i++) {
    const eblk *e = &blk[i];
    switch (e->kind) {
#define X_ENC(name, cmd, rsp, type)        \
  case K_##name:                           \
    type##_encode(&bld, &e->u.name);       \
    break;
      TYPED_LIST(X_ENC)
#undef X_ENC
    default:
      smbw_builder_block(&bld, &e->b);
      break;
    }
  }
  if (em->trailer_len) smbw_builder_trailer(&bld, em->trailer, em->trailer_len);
  size_t len;
  int rc = smbw_builder_finish(&bld, &len);
  return rc ? rc : (long)len;
}

/* The same through the one-call typed build (form.h) when the message is
   one typed block with nothing after it; otherwise the builder, as above.
   The type comes from the bench's tables, filled by main(). */
NOIPA long bench_build_msg(const emsg *em, const eblk *blk, uint8_t *out, size_t cap);
NOIPA long bench_build_msg(const emsg *em, const eblk *blk, uint8_t *out, size_t cap) {
  int t = em->nblk == 1 && !em->trailer_len && blk->kind != K_RAW
              ? type_table[KIND_KEY(blk->b.command, (em->hdr.flags & SMBW_FLAGS_REPLY) >> 7)]
              : -1;
  if (t < 0) return bench_encode_msg(em, blk, out, cap);
  size_t len;
  int rc = smbw_build_typed_(out, cap, em->framing, &em->hdr, t, &blk->u, type_size[t], &len);
  return rc ? rc : (long)len;
}

/* Decode message p (NBSS packet) into e's arrays for the encoder; the
   trailer is what lies past every block and the data it points at
   (tests/dissect.c does the same). */
static int predecode(ecorpus *e, const uint8_t *p, uint32_t size, int transport, uint32_t idx) {
  smbw_nbss f;
  if (smbw_nbss_frame(p, size, transport, &f, NULL, NULL) <= 0) return -1;
  smbw_msg m;
  if (smbw_msg_decode(f.payload, f.length, &m, NULL)) return -1;
  emsg em;
  memset(&em, 0, sizeof em);
  em.hdr = m.hdr;
  em.msg = idx;
  em.first = e->nb;
  em.framing = transport == SMBW_FRAMING_NBT ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  smbw_andx_iter it;
  smbw_block b;
  int rc;
  size_t used = SMBW_HEADER_SIZE;
  uint32_t nb0 = e->nb;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    if (e->nb == e->nbcap) {
      e->nbcap = e->nbcap ? 2 * e->nbcap : 64;
      e->b = xrealloc(e->b, e->nbcap * sizeof *e->b);
    }
    eblk *x = &e->b[e->nb];
    memset(x, 0, sizeof *x);
    x->kind = block_kind(&b);
    x->b = b;
    if (x->kind != K_RAW && decode_typed(x->kind, &b, &x->u)) { rc = -1; break; }
    size_t end = (size_t)(b.bytes - m.data) + b.bcc;
    if (end > used) used = end;
    if (x->kind == K_read_rsp && x->u.read_rsp.data_length) {
      end = (size_t)x->u.read_rsp.data_offset + x->u.read_rsp.data_length;
      if (end > used) used = end;
    }
    e->nb++;
  }
  if (rc < 0 || e->nb == nb0) {
    e->nb = nb0;
    return -1;
  }
  em.nblk = e->nb - nb0;
  if (used < m.len) {
    em.trailer = m.data + used;
    em.trailer_len = (uint32_t)(m.len - used);
  }
  if (e->n == e->ncap) {
    e->ncap = e->ncap ? 2 * e->ncap : 64;
    e->m = xrealloc(e->m, e->ncap * sizeof *e->m);
  }
  e->m[e->n++] = em;
  return 0;
}

/* The eblk array may move while it grows, so blocks are addressed by index
   and the encoder gets &b[first]. */
static void build_ecorpus(ecorpus *e, const corpus *c, int verify) {
  memset(e, 0, sizeof *e);
  size_t maxsz = 0;
  for (uint32_t i = 0; i < c->n; i++) {
    if (c->size[i] > maxsz) maxsz = c->size[i];
    if (predecode(e, c->buf + c->off[i], c->size[i], c->transport[i], i)) e->failed++;
  }
  e->outcap = maxsz + 65536;
  e->out = xrealloc(NULL, e->outcap);
  for (uint32_t i = 0; verify && i < e->n; i++) {
    const emsg *em = &e->m[i];
    long len = bench_encode_msg(em, &e->b[em->first], e->out, e->outcap);
    if (len < 0 || (uint32_t)len != c->size[em->msg] ||
        memcmp(e->out, c->buf + c->off[em->msg], (size_t)len) != 0)
      e->mismatched++;
    long blen = bench_build_msg(em, &e->b[em->first], e->out, e->outcap);
    if (blen != len || (blen > 0 && memcmp(e->out, c->buf + c->off[em->msg], (size_t)blen) != 0))
      e->mismatched++; /* the one-call build must give the builder's bytes */
    if (len > 0) e->bytes += (uint64_t)len;
  }
}

static NOIPA void pass_encode(const ecorpus *e) {
  for (uint32_t i = 0; i < e->n; i++) {
    const emsg *em = &e->m[i];
    enc_acc += (uint64_t)bench_encode_msg(em, &e->b[em->first], e->out, e->outcap);
  }
  sink += enc_acc;
}

/* ------------------------------------------------------------ timing */

typedef void (*pass_fn)(const void *ctx);

/* Seconds per pass of each loop: every loop is repeated until one run lasts
   min_time; the loops take turns, run after run (so that a change in the
   machine's load hits them all alike: their ratios are taken in one run),
   and each keeps its best run. */
static void time_passes(const pass_fn *f, const void *const *ctx, double *best, int n,
                        double min_time, int runs) {
  long reps[8];
  for (int i = 0; i < n; i++) {
    double t0 = now();
    f[i](ctx[i]);
    double one = now() - t0;
    reps[i] = one > 0 ? (long)(min_time / one) + 1 : 1000000;
    if (reps[i] < 1) reps[i] = 1;
    best[i] = 1e300;
  }
  for (int r = 0; r < runs; r++) {
    for (int i = 0; i < n; i++) {
      double t0 = now();
      for (long k = 0; k < reps[i]; k++) f[i](ctx[i]);
      double t = (now() - t0) / (double)reps[i];
      if (t < best[i]) best[i] = t;
    }
  }
}

static void run_floor(const void *c) { pass_floor(c); }
static void run_decode(const void *c) { pass_decode(c); }
static void run_encode(const void *e) { pass_encode(e); }

/* ------------------------------------------------------------ peers */

static int spawn_wait(char *const argv[], const char *out_path, double *secs) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, out_path ? out_path : "/dev/null",
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  double t0 = now();
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) return -1;
  int st;
  while (waitpid(pid, &st, 0) < 0)
    if (errno != EINTR) return -1;
  if (secs) *secs = now() - t0;
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *tmp_dir(void) {
  const char *t = getenv("TMPDIR");
  return t && *t ? t : "/tmp";
}

/* impacket: the corpus goes to a temp file, impacket_bench.py times it. */
static double run_impacket(const corpus *c, const options *o, char *note, size_t notelen) {
  const char *py = getenv("SMBW_BENCH_PYTHON");
  if (!py || !*py) py = "/usr/bin/python3";
  const char *script = getenv("SMBW_BENCH_IMPACKET");
  char sbuf[4096];
  if (!script || !*script) {
    snprintf(sbuf, sizeof sbuf, "%s/impacket_bench.py", BENCH_SRCDIR);
    script = sbuf;
  }
  char in[4096], out[4096];
  snprintf(in, sizeof in, "%s/smbwire-bench-XXXXXX", tmp_dir());
  int fd = mkstemp(in);
  if (fd < 0) { snprintf(note, notelen, "temp file: %s", strerror(errno)); return NAN; }
  size_t done = 0;
  while (done < c->len) {
    ssize_t k = write(fd, c->buf + done, c->len - done);
    if (k <= 0) break;
    done += (size_t)k;
  }
  close(fd);
  snprintf(out, sizeof out, "%s.out", in);
  char mt[32], runs[32], budget[32];
  snprintf(mt, sizeof mt, "%g", o->min_time);
  snprintf(runs, sizeof runs, "%d", o->runs);
  snprintf(budget, sizeof budget, "%g", o->impacket_budget);
  char *argv[] = {(char *)py, (char *)script, in, "--min-time", mt, "--runs", runs,
                  "--budget", budget, NULL};
  double ns = NAN;
  int rc = spawn_wait(argv, out, NULL);
  FILE *f = fopen(out, "r");
  char line[512];
  note[0] = 0;
  while (f && fgets(line, sizeof line, f)) {
    double v;
    if (sscanf(line, "impacket_ns=%lf", &v) == 1) {
      ns = v;
      char *sp = strchr(line, ' ');
      snprintf(note, notelen, "%s", sp ? sp + 1 : "");
      note[strcspn(note, "\n")] = 0;
    }
  }
  if (f) fclose(f);
  if (isnan(ns) && !note[0]) snprintf(note, notelen, "%s %s failed (exit %d)", py, script, rc);
  unlink(in);
  unlink(out);
  return ns;
}

static int write_empty_pcap(const char *path, int linktype) {
  uint8_t h[24];
  uint32_t v;
  v = 0xa1b2c3d4u; memcpy(h, &v, 4);
  uint16_t s = 2; memcpy(h + 4, &s, 2);
  s = 4; memcpy(h + 6, &s, 2);
  v = 0; memcpy(h + 8, &v, 4); memcpy(h + 12, &v, 4);
  v = 262144; memcpy(h + 16, &v, 4);
  v = (uint32_t)linktype; memcpy(h + 20, &v, 4);
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t k = fwrite(h, 1, sizeof h, f);
  fclose(f);
  return k == sizeof h ? 0 : -1;
}

/* Best wall time of `tshark -r path` over up to runs runs (fewer once
   10 s were spent on this capture); < 0 if tshark failed. */
static double tshark_time(const char *tshark, const char *path, const options *o, int runs) {
  char *argv[8 + 2 * 32];
  char dopt[32][40];
  int a = 0;
  argv[a++] = (char *)tshark;
  argv[a++] = "-r";
  argv[a++] = (char *)path;
  for (size_t i = 0; i < o->nports && i < 32; i++) {
    snprintf(dopt[i], sizeof dopt[i], "tcp.port==%u,nbss", o->ports[i]);
    argv[a++] = "-d";
    argv[a++] = dopt[i];
  }
  argv[a] = NULL;
  double best = -1, spent = 0;
  for (int r = 0; r < runs && (r == 0 || spent < 10); r++) {
    double t;
    if (spawn_wait(argv, NULL, &t) != 0) return -1;
    spent += t;
    if (best < 0 || t < best) best = t;
  }
  return best;
}

/* tshark per message: for each capture, the best of --tshark-runs runs of
   `tshark -r`, and one run on an empty capture of its link type; the
   startup subtracted is the best of all the empty runs of that link type
   (measured all along, so under the same load as the captures). */
static double run_tshark(const capture *caps, size_t ncaps, const options *o, char *note,
                         size_t notelen) {
  const char *tshark = getenv("SMBW_BENCH_TSHARK");
  if (!tshark || !*tshark) tshark = "tshark";
  note[0] = 0;
  enum { MAXLT = 16 };
  int lts[MAXLT];
  double start[MAXLT];
  char empty[MAXLT][512];
  size_t nlt = 0;
  double *t = xrealloc(NULL, (ncaps + 1) * sizeof *t);
  size_t *lt_of = xrealloc(NULL, (ncaps + 1) * sizeof *lt_of);
  int ok = 0;
  for (size_t i = 0; i < ncaps; i++) {
    const capture *c = &caps[i];
    t[i] = -1;
    if (!c->count || c->linktype < 0) continue;
    size_t k;
    for (k = 0; k < nlt && lts[k] != c->linktype; k++) {}
    if (k == nlt) {
      if (nlt == MAXLT) continue;
      snprintf(empty[k], sizeof empty[k], "%s/smbwire-bench-empty-%d-%ld.pcap", tmp_dir(),
               c->linktype, (long)getpid());
      if (write_empty_pcap(empty[k], c->linktype)) continue;
      lts[k] = c->linktype;
      start[k] = 1e300;
      nlt++;
    }
    double s = tshark_time(tshark, empty[k], o, 1);
    if (s < 0) {
      snprintf(note, notelen, "%s did not run", tshark);
      break;
    }
    if (s < start[k]) start[k] = s;
    t[i] = tshark_time(tshark, c->path, o, o->tshark_runs);
    if (t[i] < 0) fprintf(stderr, "smbwire-bench: tshark failed on %s (skipped)\n", c->path);
    lt_of[i] = k;
    ok = 1;
  }
  for (size_t k = 0; k < nlt; k++) unlink(empty[k]);
  double total = 0;
  uint64_t msgs = 0;
  for (size_t i = 0; ok && i < ncaps; i++) {
    if (t[i] < 0) continue;
    total += t[i] - start[lt_of[i]];
    msgs += caps[i].count;
  }
  free(t);
  free(lt_of);
  if (!ok || !msgs) {
    if (!note[0]) snprintf(note, notelen, "%s did not run", tshark);
    return NAN;
  }
  if (total <= 0) {
    snprintf(note, notelen, "no time left after startup (captures too small, or the machine too noisy)");
    return NAN;
  }
  snprintf(note, notelen, "tshark -r, wall time minus startup (%.0f ms, empty capture)",
           start[0] * 1e3);
  return total / (double)msgs * 1e9;
}

/* ------------------------------------------------------------ seed and curve */

typedef struct seedmsg {
  const char *name;
  uint8_t cmd;
  int rsp;
  int found;
  uint8_t pkt[70000];
  uint32_t size;
  int transport;
} seedmsg;

static seedmsg seeds[10] = {
    {"NEGOTIATE request", SMBW_COM_NEGOTIATE, 0, 0, {0}, 0, 0},
    {"NEGOTIATE response", SMBW_COM_NEGOTIATE, 1, 0, {0}, 0, 0},
    {"SESSION_SETUP_ANDX request", SMBW_COM_SESSION_SETUP_ANDX, 0, 0, {0}, 0, 0},
    {"SESSION_SETUP_ANDX response", SMBW_COM_SESSION_SETUP_ANDX, 1, 0, {0}, 0, 0},
    {"TREE_CONNECT_ANDX request", SMBW_COM_TREE_CONNECT_ANDX, 0, 0, {0}, 0, 0},
    {"TREE_CONNECT_ANDX response", SMBW_COM_TREE_CONNECT_ANDX, 1, 0, {0}, 0, 0},
    {"OPEN_ANDX request", SMBW_COM_OPEN_ANDX, 0, 0, {0}, 0, 0},
    {"OPEN_ANDX response", SMBW_COM_OPEN_ANDX, 1, 0, {0}, 0, 0},
    {"READ_ANDX request", SMBW_COM_READ_ANDX, 0, 0, {0}, 0, 0},
    {"READ_ANDX response", SMBW_COM_READ_ANDX, 1, 0, {0}, 0, 0},
};

/* The first request and the first successful response of each command. */
static void load_seed(const char *path, const options *o) {
  corpus c;
  memset(&c, 0, sizeof c);
  capture cap = {(char *)path, 0, 0, 0, -1};
  load_capture(&c, &cap, o);
  for (uint32_t i = 0; i < c.n; i++) {
    const uint8_t *h = c.buf + c.off[i] + 4;
    int rsp = (h[9] & SMBW_FLAGS_REPLY) != 0;
    uint32_t status = rd32(h + 5);
    for (int s = 0; s < 10; s++) {
      seedmsg *sm = &seeds[s];
      if (sm->found || sm->cmd != h[4] || sm->rsp != rsp || (rsp && status != 0)) continue;
      if (c.size[i] > sizeof sm->pkt) continue;
      memcpy(sm->pkt, c.buf + c.off[i], c.size[i]);
      sm->size = c.size[i];
      sm->transport = c.transport[i];
      sm->found = 1;
    }
  }
  free(c.buf);
  free(c.off);
  free(c.size);
  free(c.transport);
}

static const uint32_t curve_sizes[] = {40, 128, 512, 2048, 8192, 32768, 65536};
#define NCURVE (sizeof curve_sizes / sizeof curve_sizes[0])

/* A READ_ANDX response carrying data_len bytes, built with the encoder. */
static corpus curve_msg(uint32_t data_len) {
  static uint8_t data[65536];
  for (uint32_t i = 0; i < sizeof data; i++) data[i] = (uint8_t)(i * 7u);
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = SMBW_COM_READ_ANDX;
  h.flags = SMBW_FLAGS_REPLY;
  h.flags2 = SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_UNICODE | SMBW_FLAGS2_LONG_NAMES;
  h.tid = 1; h.uid = 100; h.pid_low = 0x1234; h.mid = 7;
  smbw_read_andx_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 12;
  r.andx.command = 0xFF;
  r.available = 0xFFFF;
  r.data.data = data;
  r.data.len = data_len;
  size_t cap = data_len + 256, len;
  uint8_t *out = xrealloc(NULL, cap);
  smbw_builder b;
  smbw_builder_init(&b, out, cap, SMBW_FRAMING_DIRECT, &h);
  smbw_read_andx_rsp_encode(&b, &r);
  if (smbw_builder_finish(&b, &len)) die("curve: cannot build a %u-byte READ_ANDX response", data_len);
  corpus c;
  memset(&c, 0, sizeof c);
  corpus_add(&c, out, len, SMBW_FRAMING_DIRECT);
  free(out);
  return c;
}

static void free_corpus(corpus *c) {
  free(c->buf);
  free(c->off);
  free(c->size);
  free(c->transport);
}

static void free_ecorpus(ecorpus *e) {
  free(e->m);
  free(e->b);
  free(e->out);
}

/* ------------------------------------------------------------ count mode */

/* callgrind.sh dumps a profile when this returns (--dump-after). */
NOIPA void bench_group_mark(void);
NOIPA void bench_group_mark(void) { __asm__ volatile("" ::: "memory"); }

static void count_group(const char *name, uint64_t nmsgs, int reps) {
  bench_group_mark();
  printf("group %s msgs=%llu calls=%llu\n", name, (unsigned long long)nmsgs,
         (unsigned long long)nmsgs * (unsigned long long)reps);
  fflush(stdout);
}

static int count_parse; /* --count-mode parse: bench_parse_msg(); typed (2): bench_typed_msg() */
static int count_build; /* --count-mode build: bench_build_msg() */

static void count_decode_set(const corpus *c, const uint32_t *idx, uint32_t n, int reps) {
  const uint8_t *end = c->buf + c->len;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *p = c->buf + c->off[idx ? idx[i] : i];
    int t = c->transport[idx ? idx[i] : i];
    for (int k = 0; k < reps; k++)
      if (count_parse == 2) bench_typed_msg(p, (size_t)(end - p), t);
      else if (count_parse) bench_parse_msg(p, (size_t)(end - p), t);
      else bench_decode_msg(p, (size_t)(end - p), t);
  }
}

static void count_encode_set(const ecorpus *e, const uint32_t *idx, uint32_t n, int reps) {
  for (uint32_t i = 0; i < n; i++) {
    const emsg *em = &e->m[idx ? idx[i] : i];
    for (int k = 0; k < reps; k++)
      if (count_build) bench_build_msg(em, &e->b[em->first], e->out, e->outcap);
      else bench_encode_msg(em, &e->b[em->first], e->out, e->outcap);
  }
}

static int count_mode(const corpus *c, const options *o) {
  count_build = strcmp(o->count_mode, "build") == 0;
  int enc = count_build || strcmp(o->count_mode, "encode") == 0;
  count_parse = strcmp(o->count_mode, "parse") == 0 ? 1 : strcmp(o->count_mode, "typed") == 0 ? 2 : 0;
  if (!enc && !count_parse && strcmp(o->count_mode, "decode") != 0)
    die("--count-mode takes decode, parse, typed, encode or build");
  int reps = o->count_reps;
  ecorpus e;
  memset(&e, 0, sizeof e);
  if (enc) build_ecorpus(&e, c, 1);
  printf("count-mode %s reps=%d msgs=%u\n", o->count_mode, reps, enc ? e.n : c->n);
  bench_group_mark(); /* discards whatever came before */
  printf("group (setup) msgs=0 calls=0\n");
  /* whole corpus */
  if (enc) count_encode_set(&e, NULL, e.n, reps);
  else count_decode_set(c, NULL, c->n, reps);
  count_group("corpus", enc ? e.n : c->n, reps);
  /* command families, by the first block's command */
  uint32_t total = enc ? e.n : c->n;
  uint32_t *idx = xrealloc(NULL, (total + 1) * sizeof *idx);
  for (int cmd = 0; cmd < 256; cmd++) {
    uint32_t k = 0;
    for (uint32_t i = 0; i < total; i++) {
      uint32_t mi = enc ? e.m[i].msg : i;
      if (c->buf[c->off[mi] + 4 + 4] == cmd) idx[k++] = i;
    }
    if (!k) continue;
    if (enc) count_encode_set(&e, idx, k, reps);
    else count_decode_set(c, idx, k, reps);
    const char *nm = smbw_command_name((uint8_t)cmd);
    char g[96];
    snprintf(g, sizeof g, "family:%s", nm ? nm + 8 : "unknown");
    count_group(g, k, reps);
  }
  free(idx);
  /* the seed exchange's ten messages */
  for (int s = 0; s < 10; s++) {
    if (!seeds[s].found) continue;
    corpus one;
    memset(&one, 0, sizeof one);
    corpus_add(&one, seeds[s].pkt, seeds[s].size, seeds[s].transport);
    char g[96];
    snprintf(g, sizeof g, "seed:%s", seeds[s].name);
    for (char *q = g; *q; q++) if (*q == ' ') *q = '_';
    if (enc) {
      ecorpus e1;
      build_ecorpus(&e1, &one, 0);
      count_encode_set(&e1, NULL, e1.n, reps);
      free_ecorpus(&e1);
    } else {
      count_decode_set(&one, NULL, 1, reps);
    }
    count_group(g, 1, reps);
    free_corpus(&one);
  }
  /* READ_ANDX responses of growing size */
  for (size_t s = 0; s < NCURVE; s++) {
    corpus one = curve_msg(curve_sizes[s]);
    char g[96];
    snprintf(g, sizeof g, "curve:%u:%u", curve_sizes[s], one.size[0]);
    if (enc) {
      ecorpus e1;
      build_ecorpus(&e1, &one, 0);
      count_encode_set(&e1, NULL, e1.n, reps);
      free_ecorpus(&e1);
    } else {
      count_decode_set(&one, NULL, 1, reps);
    }
    count_group(g, 1, reps);
    free_corpus(&one);
  }
  if (enc) free_ecorpus(&e);
  return 0;
}

/* ------------------------------------------------------------ main */

static void usage(void) {
  fputs("usage: smbwire-bench [--no-peers] [--port N]... [--min-time S] [--runs R]\n"
        "                     [--tshark-runs R] [--impacket-budget S] [--seed CAPTURE]\n"
        "                     [--count-mode decode|parse|typed|encode|build [--count-reps K]] CAPTURE|DIR...\n",
        stderr);
  exit(2);
}

static void row(const char *name, double ns, double bytes_per_msg, const char *note) {
  if (isnan(ns)) {
    printf("%-9s %12s %14s %10s   %s\n", name, "nan", "nan", "nan", note ? note : "");
    return;
  }
  printf("%-9s %12.1f %14.0f %10.1f   %s\n", name, ns, 1e9 / ns, bytes_per_msg / ns * 1e3,
         note ? note : "");
}

int main(int argc, char **argv) {
  options o;
  memset(&o, 0, sizeof o);
  for (int c = 0; c < 256; c++) {
    andx_table[c] = (uint8_t)smbw_command_is_andx((uint8_t)c);
    for (int r = 0; r < 2; r++) type_table[KIND_KEY(c, r)] = (int16_t)smbw_type_of((uint8_t)c, r);
  }
  o.peers = 1;
  o.min_time = 0.1;
  o.runs = 25;
  o.tshark_runs = 3;
  o.impacket_budget = 30;
  o.count_reps = 2;
  o.seed = BENCH_SEED;
  char **paths = NULL;
  size_t npaths = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--no-peers")) o.peers = 0;
    else if (!strcmp(a, "--port") && v) {
      if (o.nports < 32) o.ports[o.nports++] = (uint16_t)atoi(v);
      i++;
    } else if (!strcmp(a, "--min-time") && v) { o.min_time = atof(v); i++; }
    else if (!strcmp(a, "--runs") && v) { o.runs = atoi(v); i++; }
    else if (!strcmp(a, "--tshark-runs") && v) { o.tshark_runs = atoi(v); i++; }
    else if (!strcmp(a, "--impacket-budget") && v) { o.impacket_budget = atof(v); i++; }
    else if (!strcmp(a, "--count-mode") && v) { o.count_mode = v; i++; }
    else if (!strcmp(a, "--count-reps") && v) { o.count_reps = atoi(v); i++; }
    else if (!strcmp(a, "--seed") && v) { o.seed = v; i++; }
    else if (!strcmp(a, "-v")) o.verbose = 1;
    else if (a[0] == '-' && a[1]) usage();
    else collect_paths(a, &paths, &npaths);
  }
  if (o.runs < 1) o.runs = 1;
  if (o.tshark_runs < 1) o.tshark_runs = 1;
  if (o.count_reps < 1) o.count_reps = 1;
  if (!npaths) usage();

  corpus c;
  memset(&c, 0, sizeof c);
  capture *caps = xrealloc(NULL, npaths * sizeof *caps);
  for (size_t i = 0; i < npaths; i++) {
    caps[i].path = paths[i];
    load_capture(&c, &caps[i], &o);
    if (o.verbose)
      fprintf(stderr, "%6u messages %9llu bytes  %s\n", caps[i].count,
              (unsigned long long)caps[i].bytes, caps[i].path);
  }
  if (!c.n) die("no SMB1 message in the captures");
  load_seed(o.seed, &o);

  if (o.count_mode) return count_mode(&c, &o);

  ecorpus e;
  build_ecorpus(&e, &c, 1);
  size_t ncaps_used = 0;
  for (size_t i = 0; i < npaths; i++) ncaps_used += caps[i].count != 0;
  double bpm = (double)c.len / c.n;
  printf("smbwire-bench: %u SMB1 messages, %.2f MB (%.0f B/msg) from %zu captures "
         "(%zu files read; %llu other NBSS packets left out)\n",
         c.n, (double)c.len / 1e6, bpm, ncaps_used, npaths, (unsigned long long)c.other_nbss);
  printf("decode failures: %u; round trip: %u of %u re-encoded byte for byte\n", e.failed,
         e.n - e.mismatched, e.n);
  printf("timing: CLOCK_MONOTONIC, each loop >= %.2f s per run, loops in turn, best of %d runs\n\n", o.min_time, o.runs);

  pass_fn fns[3] = {run_floor, run_decode, run_encode};
  const void *ctxs[3] = {&c, &c, &e};
  double best[3];
  time_passes(fns, ctxs, best, e.n ? 3 : 2, o.min_time, o.runs);
  double floor_ns = best[0] / c.n * 1e9;
  double dec_ns = best[1] / c.n * 1e9;
  double enc_ns = e.n ? best[2] / e.n * 1e9 : NAN;
  double imp_ns = NAN, ts_ns = NAN;
  char imp_note[256] = "skipped (--no-peers)", ts_note[256] = "skipped (--no-peers)";
  if (o.peers) {
    fprintf(stderr, "smbwire-bench: running impacket (up to %.0f s) and tshark...\n",
            o.impacket_budget);
    imp_ns = run_impacket(&c, &o, imp_note, sizeof imp_note);
    ts_ns = run_tshark(caps, npaths, &o, ts_note, sizeof ts_note);
  }

  printf("%-9s %12s %14s %10s\n", "", "ns/msg", "msgs/s", "MB/s");
  row("floor", floor_ns, bpm, "NBSS lengths + 32-byte header fields");
  row("decode", dec_ns, bpm, "frame + header + AndX walk + typed decoders");
  char encnote[128];
  snprintf(encnote, sizeof encnote, "builder, %u messages that decode", e.n);
  row("encode", enc_ns, e.n ? (double)e.bytes / e.n : 0, encnote);
  row("impacket", imp_ns, bpm, imp_note);
  row("tshark", ts_ns, bpm, ts_note);
  printf("\nratios: decode/floor %.2f (target <= 3)   impacket/decode %.0f (target >= 1000)   "
         "tshark/decode %.0f (target >= 1000)\n",
         dec_ns / floor_ns, imp_ns / dec_ns, ts_ns / dec_ns);

  /* decode and encode cost over message size (READ_ANDX responses) */
  printf("\nREAD_ANDX response size curve (built with the encoder):\n");
  printf("%10s %10s %12s %12s\n", "data B", "message B", "decode ns", "encode ns");
  for (size_t s = 0; s < NCURVE; s++) {
    corpus one = curve_msg(curve_sizes[s]);
    ecorpus e1;
    build_ecorpus(&e1, &one, 1);
    pass_fn cf[2] = {run_decode, run_encode};
    const void *cc[2] = {&one, &e1};
    double cb[2];
    time_passes(cf, cc, cb, 2, o.min_time / 5, o.runs);
    double d = cb[0] * 1e9, en = cb[1] * 1e9;
    printf("%10u %10u %12.1f %12.1f\n", curve_sizes[s], one.size[0], d, en);
    free_ecorpus(&e1);
    free_corpus(&one);
  }
  printf("\nsummary msgs=%u floor_ns=%.2f decode_ns=%.2f encode_ns=%.2f impacket_ns=%.1f "
         "tshark_ns=%.1f\n",
         c.n, floor_ns, dec_ns, enc_ns, imp_ns, ts_ns);
  free_ecorpus(&e);
  free_corpus(&c);
  for (size_t i = 0; i < npaths; i++) free(paths[i]);
  free(paths);
  free(caps);
  return 0;
}
