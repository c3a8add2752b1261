/*
 * Capture reader: libpcap, link layers, IPv4/IPv6, TCP reassembly, NBSS
 * framing (see flow.h for the rules).
 */
#define _DEFAULT_SOURCE 1

#include "flow.h"

#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <smbwire/nbss.h>

#define DEFAULT_MAXBUF ((size_t)SMBW_NBSS_HEADER_SIZE + SMBW_NBSS_DIRECT_MAX)
#define OOO_MAX_BYTES ((size_t)4 << 20)
#define OOO_MAX_SEGS 4096u
#define STALL_PACKETS 64u
#define MAX_CONNS 262144u
#define CLOSED_LINGER 60.0
#define IDLE_FORGET 600.0
#define RESYNC_CHUNK 4096u
#define MAX_PORTS 64u

/* ------------------------------------------------------------ structures */

typedef struct seg {
  struct seg *next;
  uint64_t seq;     /* absolute position of data[0] */
  uint64_t frame;
  double ts;
  uint32_t len;     /* captured bytes in data */
  uint32_t missing; /* bytes after data the capture cut off (snap length) */
  uint8_t data[];
} seg;

typedef struct dirst {
  uint8_t *buf;       /* pending bytes: buf[start .. start+len) */
  size_t start, len, cap;
  uint64_t next;      /* absolute sequence number of the next byte expected */
  uint64_t skip;      /* bytes still to drop: rest of a lost or oversized packet */
  uint64_t fin_at;    /* sequence number of the FIN */
  uint64_t acked;     /* highest acknowledgement of these bytes by the peer */
  seg *ooo;           /* segments ahead of next, sorted by seq */
  size_t ooo_bytes;
  uint32_t ooo_n;
  uint32_t base_seq;  /* first sequence number seen (port reuse test) */
  uint32_t stall;     /* packets seen while an acknowledged hole stays open */
  uint8_t base_set, seq_set, fin, done, resync, acked_set;
} dirst;

typedef struct conn {
  struct conn *hnext;         /* hash chain */
  struct conn *prev, *next;   /* activity list, least recently active first */
  uint32_t stream;
  uint32_t hash;
  uint8_t af;                 /* 4 or 6 */
  uint8_t smb;                /* on an NBSS port: reassembled */
  uint8_t server;             /* index of the server endpoint */
  uint8_t rst;
  uint8_t tdecided;           /* transport settled by the first payload byte */
  uint8_t syn;                /* a SYN of it was seen: server from the handshake */
  uint8_t data;               /* not followed, but carried TCP payload */
  uint8_t first_byte;         /* the first payload byte it carried then */
  int transport;
  uint16_t port[2];
  uint8_t addr[2][16];        /* [0]: source of the first packet */
  double last_ts;
  dirst d[2];                 /* d[k]: bytes sent by endpoint k */
} conn;

/* What the callback receives: the public struct first. */
typedef struct msg_priv {
  flow_msg m;
  const conn *c;
  int from;
} msg_priv;

typedef struct flow {
  flow_cb cb;
  void *ctx;
  const flow_ex *ex;
  uint16_t ports[MAX_PORTS];
  size_t nports;
  size_t maxbuf;
  size_t ooo_cap;
  conn **tab;
  size_t tabsize; /* power of two */
  size_t nconn;
  conn *head, *tail;
  uint32_t next_stream;
  flow_stats st;
  uint64_t buffered;
  uint64_t frame; /* frame of the packet being processed (or completing at EOF) */
  double ts;
  double now;     /* largest timestamp seen */
  double last_sweep;
  uint64_t next_progress;
  uint64_t file_size;
  int stop;
  msg_priv msg;
} flow;

/* ------------------------------------------------------------ helpers */

static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *errbuf, size_t errlen, const char *fmt, ...) {
  if (!errbuf || !errlen) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(errbuf, errlen, fmt, ap);
  va_end(ap);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static uint32_t be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static int is_port(const flow *fl, uint16_t p) {
  for (size_t i = 0; i < fl->nports; i++)
    if (fl->ports[i] == p) return 1;
  return 0;
}

/* Unwrap a 32-bit sequence number near the 64-bit position ref. */
static uint64_t unwrap(uint64_t ref, uint32_t seq) {
  int32_t diff = (int32_t)(seq - (uint32_t)ref);
  return (uint64_t)((int64_t)ref + diff);
}

static void note_buffered(flow *fl) {
  if (fl->buffered > fl->st.peak_buffered) fl->st.peak_buffered = fl->buffered;
}

/* ------------------------------------------------------------ delivery */

static void emit(flow *fl, conn *c, int k, const uint8_t *p, size_t n) {
  msg_priv *mp = &fl->msg;
  mp->c = c;
  mp->from = k;
  mp->m.stream = c->stream;
  mp->m.frame = fl->frame;
  mp->m.c2s = k != c->server;
  mp->m.sport = c->port[k];
  mp->m.dport = c->port[1 - k];
  mp->m.transport = c->transport;
  mp->m.nbss = p;
  mp->m.len = n;
  mp->m.ts = fl->ts;
  fl->st.messages++;
  if (fl->cb && fl->cb(&mp->m, fl->ctx)) fl->stop = 1;
}

/* A plausible NBSS session message header at q (8 bytes available). */
static int plausible(const uint8_t *q, int transport) {
  if (q[0] != 0) return 0;
  if (!((q[4] == 0xFF || q[4] == 0xFE || q[4] == 0xFD) && q[5] == 'S' && q[6] == 'M' &&
        q[7] == 'B'))
    return 0;
  uint32_t len;
  if (transport == SMBW_FRAMING_NBT) {
    if (q[1] & 0xFE) return 0;
    len = ((uint32_t)(q[1] & 1) << 16) | be16(q + 2);
  } else {
    len = ((uint32_t)q[1] << 16) | be16(q + 2);
  }
  return len >= 32;
}

/* The heuristic for SMB on any port (as tshark's): a segment that starts
   with an NBSS session message header (type 0, a 24-bit length of at least
   a header) followed by 0xFF 'S' 'M' 'B' (8 bytes available). */
static int smb_by_bytes(const uint8_t *q) {
  return q[0] == 0 && q[4] == 0xFF && q[5] == 'S' && q[6] == 'M' && q[7] == 'B' &&
         (((uint32_t)q[1] << 16) | be16(q + 2)) >= 32;
}

static void start_resync(flow *fl, dirst *d) {
  d->resync = 1;
  d->len = 0;
  d->start = 0;
  d->skip = 0;
  fl->st.resyncs++;
}

/*
 * Frame the in-order bytes p[0..n).  Emits complete packets, handles skip
 * and resync states.  Returns how many bytes were consumed; the rest (an
 * incomplete packet, or the last bytes of a failed header scan) must be
 * kept by the caller.
 */
static size_t frame_loop(flow *fl, conn *c, int k, const uint8_t *p, size_t n) {
  dirst *d = &c->d[k];
  size_t used = 0;
  while (used < n && !fl->stop) {
    const uint8_t *q = p + used;
    size_t m = n - used;
    if (d->skip) {
      size_t t = d->skip < m ? (size_t)d->skip : m;
      d->skip -= t;
      used += t;
      continue;
    }
    if (d->resync) {
      size_t i = 0;
      int found = 0;
      for (; i + 8 <= m; i++)
        if (q[i + 5] == 'S' && plausible(q + i, c->transport)) {
          found = 1;
          break;
        }
      if (!found) {
        size_t keep = m < 7 ? m : 7;
        fl->st.resync_bytes += m - keep;
        return used + (m - keep);
      }
      fl->st.resync_bytes += i;
      used += i;
      d->resync = 0;
      continue;
    }
    smbw_nbss f;
    size_t need = 0;
    int rc = smbw_nbss_frame(q, m, c->transport, &f, &need, NULL);
    if (rc > 0) {
      emit(fl, c, k, q, (size_t)rc);
      used += (size_t)rc;
      continue;
    }
    if (rc == 0) {
      if (m >= SMBW_NBSS_HEADER_SIZE && (uint64_t)m + need > fl->maxbuf) {
        fl->st.oversized++;
        d->skip = need;
        used = n;
        continue;
      }
      return used;
    }
    fl->st.framing_errors++;
    start_resync(fl, d);
    fl->st.resync_bytes++;
    used++;
  }
  return used;
}

static int buf_reserve(flow *fl, dirst *d, size_t add) {
  if (d->start + d->len + add <= d->cap) return 0;
  if (d->start) {
    memmove(d->buf, d->buf + d->start, d->len);
    d->start = 0;
    if (d->len + add <= d->cap) return 0;
  }
  size_t want = d->cap ? d->cap : 4096;
  while (want < d->len + add) want *= 2;
  uint8_t *nb = realloc(d->buf, want);
  if (!nb) return -1;
  fl->buffered += want - d->cap;
  note_buffered(fl);
  d->buf = nb;
  d->cap = want;
  return 0;
}

static void buf_free(flow *fl, dirst *d) {
  fl->buffered -= d->cap;
  free(d->buf);
  d->buf = NULL;
  d->cap = d->start = d->len = 0;
}

/* Bytes the pending packet still needs (its header must be complete). */
static size_t pending_need(const conn *c, const dirst *d) {
  size_t need = 0;
  smbw_nbss f;
  if (smbw_nbss_frame(d->buf + d->start, d->len, c->transport, &f, &need, NULL) != 0) return 0;
  return need;
}

/* New in-order bytes. */
static void deliver(flow *fl, conn *c, int k, const uint8_t *p, size_t n) {
  dirst *d = &c->d[k];
  fl->st.payload_bytes += n;
  if (!c->tdecided && n) {
    /* Port 139 is NBT.  Elsewhere direct TCP, unless the connection opens
       with an NBSS session request or response (tshark and Samba accept a
       session request on any port). */
    c->tdecided = 1;
    if (p[0] >= SMBW_NBSS_SESSION_REQUEST && p[0] <= SMBW_NBSS_RETARGET_RESPONSE)
      c->transport = SMBW_FRAMING_NBT;
  }
  while (n > 0 && !fl->stop) {
    if (d->len == 0) {
      size_t u = frame_loop(fl, c, k, p, n);
      if (u < n && !fl->stop) {
        if (buf_reserve(fl, d, n - u)) {
          fl->st.incomplete++;
          start_resync(fl, d);
          return;
        }
        memcpy(d->buf + d->start, p + u, n - u);
        d->len = n - u;
      }
      return;
    }
    size_t take;
    if (d->resync) take = n < RESYNC_CHUNK ? n : RESYNC_CHUNK;
    else if (d->len < SMBW_NBSS_HEADER_SIZE) take = SMBW_NBSS_HEADER_SIZE - d->len;
    else take = pending_need(c, d);
    if (take == 0) take = 1; /* cannot happen; never spin */
    if (take > n) take = n;
    if (buf_reserve(fl, d, take)) {
      fl->st.incomplete++;
      start_resync(fl, d);
      return;
    }
    memcpy(d->buf + d->start + d->len, p, take);
    d->len += take;
    p += take;
    n -= take;
    size_t u = frame_loop(fl, c, k, d->buf + d->start, d->len);
    if (u >= d->len) {
      d->len = 0;
      d->start = 0;
      if (d->cap > ((size_t)256 << 10)) buf_free(fl, d);
    } else {
      d->start += u;
      d->len -= u;
    }
  }
}

/* g bytes at d->next are missing for good. */
static void hole(flow *fl, conn *c, int k, uint64_t g) {
  dirst *d = &c->d[k];
  if (g == 0) return;
  fl->st.gaps++;
  fl->st.gap_bytes += g;
  if (d->skip) {
    if (g <= d->skip) d->skip -= g;
    else start_resync(fl, d);
  } else if (d->resync) {
    d->len = 0;
    d->start = 0;
  } else if (d->len >= SMBW_NBSS_HEADER_SIZE) {
    uint64_t r = pending_need(c, d);
    fl->st.lost_packets++;
    d->len = 0;
    d->start = 0;
    if (g < r) d->skip = r - g;
    else if (g > r) start_resync(fl, d);
  } else {
    if (d->len) fl->st.lost_packets++;
    start_resync(fl, d);
  }
  d->next += g;
}

static void seg_free_all(flow *fl, dirst *d) {
  while (d->ooo) {
    seg *s = d->ooo;
    d->ooo = s->next;
    fl->buffered -= s->len;
    free(s);
  }
  d->ooo_bytes = 0;
  d->ooo_n = 0;
}

/* Deliver the stored segments that now start at or before d->next. */
static void drain(flow *fl, conn *c, int k) {
  dirst *d = &c->d[k];
  while (d->ooo && !fl->stop && d->ooo->seq <= d->next) {
    seg *s = d->ooo;
    d->ooo = s->next;
    d->ooo_bytes -= s->len;
    d->ooo_n--;
    fl->buffered -= s->len;
    uint64_t end = s->seq + s->len;
    if (end > d->next) {
      size_t off = (size_t)(d->next - s->seq);
      fl->st.retrans_bytes += off;
      uint64_t before = d->next;
      d->next = end;
      (void)before;
      deliver(fl, c, k, s->data + off, s->len - off);
    } else {
      fl->st.retrans_bytes += s->len;
    }
    if (s->missing && end + s->missing > d->next) hole(fl, c, k, end + s->missing - d->next);
    free(s);
  }
}

/* Give up on the hole before the first stored segment. */
static void skip_hole(flow *fl, conn *c, int k) {
  dirst *d = &c->d[k];
  if (!d->ooo) return;
  if (d->ooo->seq > d->next) hole(fl, c, k, d->ooo->seq - d->next);
  d->stall = 0;
  drain(fl, c, k);
}

static void store(flow *fl, conn *c, int k, uint64_t seq, const uint8_t *p, size_t n,
                  size_t missing) {
  dirst *d = &c->d[k];
  fl->st.ooo_segments++;
  if (n > fl->ooo_cap) { /* larger than the whole store: a hole before it */
    hole(fl, c, k, seq - d->next);
    d->next = seq + n;
    deliver(fl, c, k, p, n);
    if (missing) hole(fl, c, k, missing);
    drain(fl, c, k);
    return;
  }
  while (d->ooo && (d->ooo_bytes + n > fl->ooo_cap || d->ooo_n >= OOO_MAX_SEGS) &&
         !fl->stop) {
    if (d->ooo->seq > seq) break; /* the new one is first: handled below */
    skip_hole(fl, c, k);
  }
  if (fl->stop) return;
  if (seq <= d->next) { /* the holes skipped above reached it */
    uint64_t end = seq + n;
    if (end > d->next) {
      size_t off = (size_t)(d->next - seq);
      d->next = end;
      deliver(fl, c, k, p + off, n - off);
    }
    if (missing && end + missing > d->next) hole(fl, c, k, end + missing - d->next);
    drain(fl, c, k);
    return;
  }
  if (d->ooo_bytes + n > fl->ooo_cap || d->ooo_n >= OOO_MAX_SEGS) {
    /* still no room: this one precedes everything stored; skip to it */
    hole(fl, c, k, seq - d->next);
    d->next = seq + n;
    deliver(fl, c, k, p, n);
    if (missing) hole(fl, c, k, missing);
    drain(fl, c, k);
    return;
  }
  seg *s = malloc(sizeof *s + n);
  if (!s) {
    hole(fl, c, k, seq + n - d->next);
    return;
  }
  s->seq = seq;
  s->len = (uint32_t)n;
  s->missing = (uint32_t)missing;
  s->frame = fl->frame;
  s->ts = fl->ts;
  memcpy(s->data, p, n);
  seg **pp = &d->ooo;
  while (*pp && (*pp)->seq <= seq) pp = &(*pp)->next;
  s->next = *pp;
  *pp = s;
  d->ooo_bytes += n;
  d->ooo_n++;
  fl->buffered += n;
  note_buffered(fl);
}

/* A direction is over (FIN reached, RST, end of file, eviction). */
static void finish_dir(flow *fl, conn *c, int k, int use_seg_frames) {
  dirst *d = &c->d[k];
  if (d->done) return;
  while (d->ooo && !fl->stop) {
    if (use_seg_frames) {
      fl->frame = d->ooo->frame;
      fl->ts = d->ooo->ts;
    }
    skip_hole(fl, c, k);
  }
  if (d->len && !d->resync) fl->st.incomplete++;
  seg_free_all(fl, d);
  buf_free(fl, d);
  d->done = 1;
}

static void segment(flow *fl, conn *c, int k, uint32_t seq32, const uint8_t *p, size_t n,
                    size_t missing, int syn, int fin) {
  dirst *d = &c->d[k];
  if (!d->seq_set) {
    d->next = ((uint64_t)1 << 32) + seq32 + (syn ? 1u : 0u);
    d->seq_set = 1;
  }
  uint64_t abs = unwrap(d->next, seq32) + (syn ? 1u : 0u);
  uint64_t end = abs + n + missing;
  if (d->done) {
    if (n && end > d->next) fl->st.after_close++;
    return;
  }
  if (n + missing) {
    fl->st.smb_segments++;
    if (missing) fl->st.snapped++;
    if (end <= d->next) {
      fl->st.retrans_bytes += n;
    } else if (abs <= d->next) {
      uint64_t off = d->next - abs;
      if (off < n) {
        fl->st.retrans_bytes += off;
        d->next = abs + n;
        deliver(fl, c, k, p + off, n - (size_t)off);
      } else {
        fl->st.retrans_bytes += n;
      }
      if (end > d->next && !fl->stop) hole(fl, c, k, end - d->next);
      drain(fl, c, k);
    } else {
      store(fl, c, k, abs, p, n, missing);
    }
  }
  if (fin && !d->fin) {
    d->fin = 1;
    d->fin_at = end;
  }
  if (d->fin && d->next >= d->fin_at) finish_dir(fl, c, k, 0);
}

/* ------------------------------------------------------------ connections */

static uint32_t hash_ep(const uint8_t *a, size_t alen, uint16_t port) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < alen; i++) h = (h ^ a[i]) * 16777619u;
  h = (h ^ (port & 0xFFu)) * 16777619u;
  h = (h ^ (uint32_t)(port >> 8)) * 16777619u;
  return h;
}

static void lru_unlink(flow *fl, conn *c) {
  if (c->prev) c->prev->next = c->next;
  else fl->head = c->next;
  if (c->next) c->next->prev = c->prev;
  else fl->tail = c->prev;
  c->prev = c->next = NULL;
}

static void lru_append(flow *fl, conn *c) {
  c->prev = fl->tail;
  c->next = NULL;
  if (fl->tail) fl->tail->next = c;
  else fl->head = c;
  fl->tail = c;
}

static void hash_remove(flow *fl, conn *c) {
  conn **pp = &fl->tab[c->hash & (fl->tabsize - 1)];
  while (*pp && *pp != c) pp = &(*pp)->hnext;
  if (*pp) *pp = c->hnext;
}

static void conn_finish(flow *fl, conn *c, int eof) {
  if (!c->smb) return;
  finish_dir(fl, c, 0, eof);
  finish_dir(fl, c, 1, eof);
}

static void conn_drop(flow *fl, conn *c) {
  if (c->smb && fl->ex && fl->ex->conn_end) fl->ex->conn_end(c->stream, fl->ctx);
  if (!c->smb && c->data) {
    uint16_t sp = c->port[c->server];
    fl->st.skipped++;
    size_t i = 0;
    while (i < fl->st.n_skipped_ports && fl->st.skipped_ports[i] != sp) i++;
    if (i == fl->st.n_skipped_ports && i < FLOW_SKIPPED_PORTS) fl->st.skipped_ports[fl->st.n_skipped_ports++] = sp;
  }
  hash_remove(fl, c);
  lru_unlink(fl, c);
  for (int k = 0; k < 2; k++) {
    seg_free_all(fl, &c->d[k]);
    buf_free(fl, &c->d[k]);
  }
  free(c);
  fl->nconn--;
}

static int grow_table(flow *fl) {
  size_t ns = fl->tabsize ? fl->tabsize * 2 : 1024;
  conn **nt = calloc(ns, sizeof *nt);
  if (!nt) return -1;
  for (size_t i = 0; i < fl->tabsize; i++) {
    conn *c = fl->tab[i];
    while (c) {
      conn *nx = c->hnext;
      c->hnext = nt[c->hash & (ns - 1)];
      nt[c->hash & (ns - 1)] = c;
      c = nx;
    }
  }
  free(fl->tab);
  fl->tab = nt;
  fl->tabsize = ns;
  return 0;
}

static int conn_closed(const conn *c) {
  return c->rst || (c->d[0].fin && c->d[1].fin) || (c->d[0].done && c->d[1].done);
}

/* Forget connections that are closed and quiet, idle non-SMB ones, and the
   least recently active when there are too many. */
static void sweep(flow *fl, int force) {
  conn *c = fl->head;
  while (c && !fl->stop) {
    conn *nx = c->next;
    double idle = fl->now - c->last_ts;
    int over = fl->nconn > MAX_CONNS;
    if (!over && idle < CLOSED_LINGER) break; /* the rest is more recent */
    if (over || (conn_closed(c) && idle >= CLOSED_LINGER) || (!c->smb && idle >= IDLE_FORGET) ||
        force) {
      conn_finish(fl, c, 1);
      conn_drop(fl, c);
      fl->st.evicted++;
    }
    c = nx;
  }
  fl->last_sweep = fl->now;
}

static conn *conn_new(flow *fl, int af, const uint8_t *src, const uint8_t *dst, uint16_t sport,
                      uint16_t dport, int syn, int ack, uint32_t h) {
  if (fl->nconn + 1 > fl->tabsize && grow_table(fl)) return NULL;
  conn *c = calloc(1, sizeof *c);
  if (!c) return NULL;
  size_t alen = af == 4 ? 4 : 16;
  c->af = (uint8_t)af;
  memcpy(c->addr[0], src, alen);
  memcpy(c->addr[1], dst, alen);
  c->port[0] = sport;
  c->port[1] = dport;
  c->hash = h;
  c->stream = fl->next_stream++;
  int ps = is_port(fl, sport), pd = is_port(fl, dport);
  c->smb = (uint8_t)(ps || pd);
  c->syn = (uint8_t)(syn != 0);
  if (syn && !ack) c->server = 1;
  else if (syn && ack) c->server = 0;
  else if (pd && !ps) c->server = 1;
  else if (ps && !pd) c->server = 0;
  else c->server = dport <= sport ? 1 : 0;
  c->transport = c->port[c->server] == 139 ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
  c->hnext = fl->tab[h & (fl->tabsize - 1)];
  fl->tab[h & (fl->tabsize - 1)] = c;
  lru_append(fl, c);
  fl->nconn++;
  fl->st.connections++;
  if (c->smb) fl->st.smb_connections++;
  if (fl->nconn > fl->st.peak_live) fl->st.peak_live = fl->nconn;
  return c;
}

/* ------------------------------------------------------------ packets */

static void tcp_packet(flow *fl, int af, const uint8_t *src, const uint8_t *dst,
                       const uint8_t *t, size_t caplen, size_t wirelen) {
  if (caplen < 20) {
    fl->st.malformed++;
    return;
  }
  size_t hl = (size_t)(t[12] >> 4) * 4;
  if (hl < 20 || hl > caplen || hl > wirelen) {
    fl->st.malformed++;
    return;
  }
  fl->st.tcp_packets++;
  uint16_t sport = be16(t), dport = be16(t + 2);
  uint32_t seq = be32(t + 4), ack = be32(t + 8);
  uint8_t flags = t[13];
  int syn = (flags & 0x02) != 0, fin = (flags & 0x01) != 0, rst = (flags & 0x04) != 0,
      hasack = (flags & 0x10) != 0;
  size_t alen = af == 4 ? 4 : 16;
  uint32_t h = hash_ep(src, alen, sport) + hash_ep(dst, alen, dport);
  conn *c = NULL;
  int k = 0;
  if (fl->tabsize) {
    for (c = fl->tab[h & (fl->tabsize - 1)]; c; c = c->hnext) {
      if (c->hash != h || c->af != af) continue;
      if (c->port[0] == sport && c->port[1] == dport && !memcmp(c->addr[0], src, alen) &&
          !memcmp(c->addr[1], dst, alen)) {
        k = 0;
        break;
      }
      if (c->port[1] == sport && c->port[0] == dport && !memcmp(c->addr[1], src, alen) &&
          !memcmp(c->addr[0], dst, alen)) {
        k = 1;
        break;
      }
    }
  }
  if (c && syn && !hasack && c->d[k].base_set && seq != c->d[k].base_seq) {
    /* A new connection on the same ports (tshark: reused ports). */
    conn_finish(fl, c, 0);
    conn_drop(fl, c);
    c = NULL;
  }
  if (!c) {
    c = conn_new(fl, af, src, dst, sport, dport, syn, hasack, h);
    if (!c) {
      fl->st.malformed++;
      return;
    }
    k = 0;
  } else {
    lru_unlink(fl, c);
    lru_append(fl, c);
  }
  c->last_ts = fl->now;
  dirst *d = &c->d[k];
  if (!d->base_set) {
    d->base_set = 1;
    d->base_seq = syn ? seq : seq - 1;
  }
  size_t plen = wirelen - hl;
  size_t have = caplen - hl;
  if (have > plen) have = plen;
  if (!c->smb && have >= 8 && smb_by_bytes(t + hl)) {
    /* SMB on another port, recognised by its bytes: followed from this
       segment on, as if on an NBSS port. */
    c->smb = 1;
    fl->st.smb_connections++;
    fl->st.smb_by_bytes++;
    if (!c->syn) c->server = (uint8_t)((t[hl + 13] & 0x80) ? k : 1 - k); /* SMB_FLAGS_REPLY */
    /* Direct TCP, unless the connection opened with a session request or
       response (as deliver() decides for the followed ports). */
    c->transport = c->data && c->first_byte >= SMBW_NBSS_SESSION_REQUEST &&
                           c->first_byte <= SMBW_NBSS_RETARGET_RESPONSE
                       ? SMBW_FRAMING_NBT
                       : SMBW_FRAMING_DIRECT;
    c->tdecided = 1;
  }
  if (!c->smb) { /* only tracked for numbering: note the close for sweep() */
    if (rst) c->rst = 1;
    if (fin) d->fin = 1;
    if (have && !c->data) c->first_byte = t[hl];
    if (plen) c->data = 1;
    return;
  }
  if (hasack && c->d[1 - k].seq_set) {
    dirst *o = &c->d[1 - k];
    uint64_t a = unwrap(o->next, ack);
    if (!o->acked_set || a > o->acked) {
      o->acked = a;
      o->acked_set = 1;
    }
  }
  if (rst) c->rst = 1;
  segment(fl, c, k, seq, t + hl, have, plen - have, syn, fin);
  if (fl->stop) return;
  /* Holes the peer has acknowledged but the capture never showed. */
  for (int j = 0; j < 2 && !fl->stop; j++) {
    dirst *x = &c->d[j];
    if (x->ooo && x->acked_set && x->acked > x->next) {
      if (++x->stall >= STALL_PACKETS) skip_hole(fl, c, j);
    } else {
      x->stall = 0;
    }
  }
  /* A RST ends its sender's direction only: the peer's data already in
     flight (a response to the last request) still arrives after it, and
     tshark decodes it.  The connection counts as closed for sweep(). */
  if (rst && !fl->stop && c->smb) finish_dir(fl, c, k, 0);
}

/* A UDP datagram: port 138 (either side) goes to flow_ex.dgram. */
static void udp_packet(flow *fl, int af, const uint8_t *src, const uint8_t *dst,
                       const uint8_t *p, size_t caplen, size_t wirelen) {
  if (caplen < 8 || wirelen < 8) {
    fl->st.malformed++;
    return;
  }
  flow_dgram g;
  g.sport = be16(p);
  g.dport = be16(p + 2);
  if (g.sport != 138 && g.dport != 138) return;
  size_t ulen = be16(p + 4);
  if (ulen < 8 || ulen > wirelen) {
    fl->st.malformed++;
    return;
  }
  g.frame = fl->frame;
  g.ts = fl->ts;
  g.af = af;
  g.src = src;
  g.dst = dst;
  g.data = p + 8;
  g.wire_len = ulen - 8;
  g.len = caplen < ulen ? caplen - 8 : ulen - 8;
  fl->st.dgrams++;
  if (fl->ex->dgram(&g, fl->ctx)) fl->stop = 1;
}

int flow_dgram_addrs(const flow_dgram *g, char *src, size_t srclen, char *dst, size_t dstlen) {
  int fam = g->af == 4 ? AF_INET : AF_INET6;
  if (src && !inet_ntop(fam, g->src, src, (socklen_t)srclen)) return -1;
  if (dst && !inet_ntop(fam, g->dst, dst, (socklen_t)dstlen)) return -1;
  return 0;
}

static void ip_packet(flow *fl, const uint8_t *p, size_t caplen, size_t wirelen) {
  if (caplen < 1) {
    fl->st.not_ip++;
    return;
  }
  int v = p[0] >> 4;
  if (v == 4) {
    if (caplen < 20) {
      fl->st.malformed++;
      return;
    }
    size_t ihl = (size_t)(p[0] & 15) * 4;
    size_t tot = be16(p + 2);
    if (ihl < 20 || ihl > caplen) {
      fl->st.malformed++;
      return;
    }
    if (tot == 0) tot = wirelen; /* TSO: length not filled in */
    if (tot < ihl) {
      fl->st.malformed++;
      return;
    }
    if (tot > wirelen) tot = wirelen;
    uint16_t frag = be16(p + 6);
    if ((frag & 0x3FFF) != 0) {
      fl->st.ip_fragments++;
      return;
    }
    size_t cap = caplen < tot ? caplen : tot;
    if (p[9] != 6) {
      fl->st.not_tcp++;
      if (p[9] == 17 && fl->ex && fl->ex->dgram)
        udp_packet(fl, 4, p + 12, p + 16, p + ihl, cap - ihl, tot - ihl);
      return;
    }
    tcp_packet(fl, 4, p + 12, p + 16, p + ihl, cap - ihl, tot - ihl);
    return;
  }
  if (v == 6) {
    if (caplen < 40) {
      fl->st.malformed++;
      return;
    }
    size_t tot = 40 + (size_t)be16(p + 4);
    if (tot == 40 && wirelen > 40) tot = wirelen; /* jumbogram or TSO */
    if (tot > wirelen) tot = wirelen;
    size_t cap = caplen < tot ? caplen : tot;
    uint8_t nh = p[6];
    size_t off = 40;
    for (int i = 0; i < 8; i++) {
      if (nh == 0 || nh == 43 || nh == 60 || nh == 51) {
        if (off + 8 > cap) {
          fl->st.malformed++;
          return;
        }
        size_t el = nh == 51 ? ((size_t)p[off + 1] + 2) * 4 : ((size_t)p[off + 1] + 1) * 8;
        nh = p[off];
        off += el;
        continue;
      }
      if (nh == 44) {
        fl->st.ip_fragments++;
        return;
      }
      break;
    }
    if (nh != 6) {
      fl->st.not_tcp++;
      if (nh == 17 && off <= cap && fl->ex && fl->ex->dgram)
        udp_packet(fl, 6, p + 8, p + 24, p + off, cap - off, tot - off);
      return;
    }
    if (off > cap) {
      fl->st.malformed++;
      return;
    }
    tcp_packet(fl, 6, p + 8, p + 24, p + off, cap - off, tot - off);
    return;
  }
  fl->st.not_ip++;
}

/* An ethertype-tagged payload (Ethernet, SLL, SLL2). */
static void ether_payload(flow *fl, uint16_t type, const uint8_t *p, size_t caplen,
                          size_t wirelen) {
  for (int depth = 0; depth < 8; depth++) {
    if (type == 0x8100 || type == 0x88A8 || type == 0x9100 || type == 0x9200) {
      if (caplen < 4) break;
      type = be16(p + 2);
      p += 4;
      caplen -= 4;
      wirelen -= 4;
      continue;
    }
    if (type == 0x8864) { /* PPPoE session: 6-byte header, 2-byte PPP protocol */
      if (caplen < 8) break;
      uint16_t proto = be16(p + 6);
      p += 8;
      caplen -= 8;
      wirelen -= 8;
      if (proto == 0x0021) type = 0x0800;
      else if (proto == 0x0057) type = 0x86DD;
      else break;
      continue;
    }
    if (type == 0x8847 || type == 0x8848) { /* MPLS: labels until bottom of stack */
      while (caplen >= 4) {
        int bos = (p[2] & 1) != 0;
        p += 4;
        caplen -= 4;
        wirelen -= 4;
        if (bos) break;
      }
      ip_packet(fl, p, caplen, wirelen);
      return;
    }
    if (type == 0x0800 || type == 0x86DD) {
      ip_packet(fl, p, caplen, wirelen);
      return;
    }
    break;
  }
  fl->st.not_ip++;
}

static void link_packet(flow *fl, int dlt, const uint8_t *p, size_t caplen, size_t wirelen) {
  if (wirelen < caplen) wirelen = caplen;
  switch (dlt) {
  case DLT_EN10MB:
    if (caplen < 14) break;
    if (be16(p + 12) <= 1500) break; /* 802.3 length: LLC, not IP */
    ether_payload(fl, be16(p + 12), p + 14, caplen - 14, wirelen - 14);
    return;
  case DLT_LINUX_SLL:
    if (caplen < 16) break;
    ether_payload(fl, be16(p + 14), p + 16, caplen - 16, wirelen - 16);
    return;
#ifdef DLT_LINUX_SLL2
  case DLT_LINUX_SLL2:
    if (caplen < 20) break;
    ether_payload(fl, be16(p), p + 20, caplen - 20, wirelen - 20);
    return;
#endif
  case DLT_NULL:
  case DLT_LOOP: {
    if (caplen < 4) break;
    uint32_t af = dlt == DLT_LOOP ? be32(p)
                                  : (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
                                        ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
    if (dlt == DLT_NULL && (af & 0xFFFF) == 0) af >>= 24; /* other byte order */
    if (af == 2 || af == 24 || af == 28 || af == 30) {
      ip_packet(fl, p + 4, caplen - 4, wirelen - 4);
      return;
    }
    break;
  }
  case DLT_RAW:
#ifdef DLT_IPV4
  case DLT_IPV4:
#endif
#ifdef DLT_IPV6
  case DLT_IPV6:
#endif
    ip_packet(fl, p, caplen, wirelen);
    return;
  default:
    /* LINKTYPE_RAW read back as 101 by some libpcap builds; also
       DLT_RAW's OpenBSD value 14. */
    if (dlt == 101 || dlt == 14) {
      ip_packet(fl, p, caplen, wirelen);
      return;
    }
    break;
  }
  fl->st.not_ip++;
}

/* ------------------------------------------------------------ driver */

/* Read every record of pc (closed here) through fl. */
static int flow_run(flow *fl, pcap_t *pc, const char *name, char *errbuf, size_t errlen) {
  const flow_ex *ex = fl->ex;
  int dlt = pcap_datalink(pc);
  int rc = 0;
  struct pcap_pkthdr *ph;
  const u_char *data;
  if (ex && ex->progress && ex->progress_every) fl->next_progress = ex->progress_every;
  for (;;) {
    int r = pcap_next_ex(pc, &ph, &data);
    if (r == -2) break; /* end of file */
    if (r == -1) {
      /* A damaged file: stop there and say so; what was read is flushed. */
      seterr(errbuf, errlen, "%s: %s (after %llu packets)", name, pcap_geterr(pc),
             (unsigned long long)fl->st.packets);
      rc = -1;
      break;
    }
    if (r != 1) continue;
    fl->st.packets++;
    fl->st.file_bytes += 16u + ph->caplen;
    fl->frame = fl->st.packets;
    fl->ts = (double)ph->ts.tv_sec + (double)ph->ts.tv_usec / 1e9;
    if (fl->ts > fl->now) fl->now = fl->ts;
    link_packet(fl, dlt, data, ph->caplen, ph->len);
    if (fl->stop) break;
    if (fl->now - fl->last_sweep > 10.0 || fl->nconn > MAX_CONNS) sweep(fl, 0);
    if (fl->next_progress && fl->st.file_bytes >= fl->next_progress) {
      ex->progress(&fl->st, fl->st.file_bytes, fl->file_size, ex->progress_ctx);
      fl->next_progress = fl->st.file_bytes + ex->progress_every;
    }
  }
  /* End of file: flush what is left, connection by connection in order. */
  if (fl->nconn) {
    conn **all = malloc(fl->nconn * sizeof *all);
    size_t n = 0;
    for (conn *c = fl->head; c; c = c->next) {
      if (all) all[n++] = c;
      else conn_finish(fl, c, 1);
    }
    if (all) {
      /* stream order (insertion sort: the list is nearly sorted) */
      for (size_t i = 1; i < n; i++) {
        conn *x = all[i];
        size_t j = i;
        while (j > 0 && all[j - 1]->stream > x->stream) {
          all[j] = all[j - 1];
          j--;
        }
        all[j] = x;
      }
      for (size_t i = 0; i < n; i++) conn_finish(fl, all[i], 1);
      free(all);
    }
  }
  while (fl->head) conn_drop(fl, fl->head);
  free(fl->tab);
  if (ex && ex->stats) *ex->stats = fl->st;
  pcap_close(pc);
  free(fl);
  return rc;
}

static flow *flow_new(const flow_opts *o, flow_cb cb, void *ctx, const flow_ex *ex) {
  flow *fl = calloc(1, sizeof *fl);
  if (!fl) return NULL;
  fl->cb = cb;
  fl->ctx = ctx;
  fl->ex = ex;
  fl->ports[fl->nports++] = 139;
  fl->ports[fl->nports++] = 445;
  if (o) {
    for (size_t i = 0; i < o->n_extra_ports && fl->nports < MAX_PORTS; i++)
      if (!is_port(fl, o->extra_ports[i])) fl->ports[fl->nports++] = o->extra_ports[i];
  }
  fl->maxbuf = o && o->max_buffer_per_dir ? o->max_buffer_per_dir : DEFAULT_MAXBUF;
  if (fl->maxbuf < 64) fl->maxbuf = 64;
  fl->ooo_cap = fl->maxbuf < OOO_MAX_BYTES ? fl->maxbuf : OOO_MAX_BYTES;
  return fl;
}

int flow_read_file_ex(const char *path, const flow_opts *o, flow_cb cb, void *ctx,
                      const flow_ex *ex, char *errbuf, size_t errlen) {
  char perr[PCAP_ERRBUF_SIZE];
  const char *name = path ? path : "-";
  flow *fl = flow_new(o, cb, ctx, ex);
  if (!fl) {
    seterr(errbuf, errlen, "out of memory");
    return -1;
  }
  if (strcmp(name, "-") != 0) {
    struct stat sb;
    if (stat(name, &sb) == 0 && S_ISREG(sb.st_mode)) fl->file_size = (uint64_t)sb.st_size;
  }
  perr[0] = 0;
  pcap_t *pc = pcap_open_offline_with_tstamp_precision(name, PCAP_TSTAMP_PRECISION_NANO, perr);
  if (!pc) {
    /* libpcap names the file itself when it cannot open it ("x: No such
       file or directory"), not when it cannot read it ("unknown file
       format"): name it once either way. */
    size_t nl = strlen(name);
    if (strncmp(perr, name, nl) == 0 && perr[nl] == ':') seterr(errbuf, errlen, "%s", perr);
    else seterr(errbuf, errlen, "%s: %s", name, perr);
    free(fl);
    return -1;
  }
  return flow_run(fl, pc, name, errbuf, errlen);
}

int flow_read_stream(FILE *fp, const flow_opts *o, flow_cb cb, void *ctx, const flow_ex *ex,
                     char *errbuf, size_t errlen) {
  char perr[PCAP_ERRBUF_SIZE];
  flow *fl = flow_new(o, cb, ctx, ex);
  if (!fl) {
    fclose(fp);
    seterr(errbuf, errlen, "out of memory");
    return -1;
  }
  perr[0] = 0;
  pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, perr);
  if (!pc) {
    fclose(fp);
    seterr(errbuf, errlen, "%s", perr);
    free(fl);
    return -1;
  }
  return flow_run(fl, pc, "stream", errbuf, errlen);
}

int flow_read_file(const char *path, const flow_opts *o, flow_cb cb, void *ctx, char *errbuf,
                   size_t errlen) {
  return flow_read_file_ex(path, o, cb, ctx, NULL, errbuf, errlen);
}

int flow_msg_addrs(const flow_msg *m, char *src, size_t srclen, char *dst, size_t dstlen) {
  const msg_priv *mp = (const msg_priv *)(const void *)m;
  if (!m || !mp->c) return -1;
  int fam = mp->c->af == 4 ? AF_INET : AF_INET6;
  if (src && !inet_ntop(fam, mp->c->addr[mp->from], src, (socklen_t)srclen)) return -1;
  if (dst && !inet_ntop(fam, mp->c->addr[1 - mp->from], dst, (socklen_t)dstlen)) return -1;
  return 0;
}
