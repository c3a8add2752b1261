/*
 * smbdump's statistics (see dump_stats.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_stats.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void stat_status(dump_stats *s, uint32_t st, int nt) {
  uint64_t key = ((uint64_t)(nt != 0) << 32) | st;
  uint64_t x = key * 0x9E3779B97F4A7C15ull;
  for (unsigned i = 0; i < NSTATUS; i++) {
    kv *e = &s->status[(unsigned)((x >> 40) + i) % NSTATUS];
    if (e->used && e->key == key) {
      e->count++;
      return;
    }
    if (!e->used) {
      e->used = 1;
      e->key = key;
      e->nt = nt;
      e->count = 1;
      return;
    }
  }
  s->status_other++;
}

static connstat *stat_conn(dump_stats *s, const flow_msg *m) {
  if (!s->conns) return NULL;
  uint32_t x = m->stream * 2654435761u;
  for (unsigned i = 0; i < 64; i++) {
    connstat *c = &s->conns[(x + i) % NCONN];
    if (c->used && c->stream == m->stream) return c;
    if (!c->used) {
      c->used = 1;
      c->stream = m->stream;
      char a[48], b[48];
      if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
      if (m->c2s) {
        snprintf(c->client, sizeof c->client, "%s", a);
        snprintf(c->server, sizeof c->server, "%s", b);
        c->sport = m->sport;
        c->dport = m->dport;
      } else {
        snprintf(c->client, sizeof c->client, "%s", b);
        snprintf(c->server, sizeof c->server, "%s", a);
        c->sport = m->dport;
        c->dport = m->sport;
      }
      c->first_frame = m->frame;
      return c;
    }
  }
  return NULL;
}

dump_stats *stats_new(void) {
  dump_stats *S = calloc(1, sizeof *S);
  if (S) S->conns = calloc(NCONN, sizeof *S->conns);
  if (S && !S->conns) {
    free(S);
    S = NULL;
  }
  return S;
}

void stats_free(dump_stats *S) {
  if (!S) return;
  free(S->conns);
  free(S);
}

void stats_nbss(dump_stats *S, const flow_msg *m, uint8_t type) {
  S->nbss_packets++;
  S->nbss_bytes += m->len;
  S->nbss_types[type]++;
}

void stats_smb1(dump_stats *S, const smbw_header *h, const uint8_t *cmds, unsigned ncmds) {
  if (!h) {
    S->other++;
    return;
  }
  S->smb1++;
  int nt = (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0;
  int rsp = (h->flags & SMBW_FLAGS_REPLY) != 0;
  stat_status(S, h->status, nt);
  for (unsigned i = 0; i < ncmds; i++) {
    if (rsp) S->cmd[cmds[i]].rsp++;
    else S->cmd[cmds[i]].req++;
  }
}

void stats_smb2(dump_stats *S) { S->smb2++; }

void stats_done(dump_stats *S, const flow_msg *m, int rc) {
  if (rc) {
    S->failures++;
    S->errs[(unsigned)(-rc) & 255u]++;
  }
  connstat *c = stat_conn(S, m);
  if (c) {
    if (m->c2s) c->msgs_c2s++;
    else c->msgs_s2c++;
    c->bytes += m->len;
    c->last_frame = m->frame;
    if (rc) c->failures++;
  } else {
    S->conns_other++;
  }
}

static int cmp_kv(const void *a, const void *b) {
  const kv *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_conn(const void *a, const void *b) {
  const connstat *x = a, *y = b;
  return x->stream < y->stream ? -1 : x->stream > y->stream;
}

void stats_print(FILE *out, const char *path, const dump_stats *S, const flow_stats *fs,
                 const txstat *T, double secs) {
  fprintf(out, "smbdump statistics: %s\n", path);
  fprintf(out, "packets %" PRIu64 " (%" PRIu64 " bytes), TCP segments %" PRIu64
               ", connections %" PRIu64 " (on NBSS ports %" PRIu64 ")\n",
          fs->packets, fs->file_bytes, fs->tcp_packets, fs->connections, fs->smb_connections);
  fprintf(out, "NBSS packets %" PRIu64 " (%" PRIu64 " bytes): SMB1 %" PRIu64 ", SMB2/3 %" PRIu64
               ", other %" PRIu64 "; decode failures %" PRIu64 "\n",
          S->nbss_packets, S->nbss_bytes, S->smb1, S->smb2, S->other, S->failures);
  if (fs->dgrams) /* not counted above: smbdump.md, Datagrams */
    fprintf(out, "NetBIOS datagrams (UDP 138) %" PRIu64 "\n", fs->dgrams);
  fprintf(out, "time %.3f s, %.0f messages/s, %.1f MB/s\n", secs,
          secs > 0 ? (double)S->nbss_packets / secs : 0.0,
          secs > 0 ? (double)fs->file_bytes / secs / 1e6 : 0.0);
  fprintf(out, "reassembly: retransmitted bytes %" PRIu64 ", out-of-order segments %" PRIu64
               ", holes %" PRIu64 " (%" PRIu64 " bytes), lost NBSS packets %" PRIu64
               ", resyncs %" PRIu64 " (%" PRIu64 " bytes skipped), framing errors %" PRIu64
               ", oversized %" PRIu64 ", incomplete at close %" PRIu64 ", snapped segments %" PRIu64
               ", after close %" PRIu64 "\n",
          fs->retrans_bytes, fs->ooo_segments, fs->gaps, fs->gap_bytes, fs->lost_packets,
          fs->resyncs, fs->resync_bytes, fs->framing_errors, fs->oversized, fs->incomplete,
          fs->snapped, fs->after_close);
  fprintf(out, "other packets: not IP %" PRIu64 ", IP fragments %" PRIu64 ", not TCP %" PRIu64
               ", malformed %" PRIu64 "; connections forgotten %" PRIu64
               ", most kept at once %" PRIu64 ", peak buffered %" PRIu64 " bytes\n",
          fs->not_ip, fs->ip_fragments, fs->not_tcp, fs->malformed, fs->evicted, fs->peak_live,
          fs->peak_buffered);
  fprintf(out, "NBSS packet types:\n");
  for (unsigned t = 0; t < 256; t++) {
    if (!S->nbss_types[t]) continue;
    const char *n = smbw_nbss_type_name((uint8_t)t);
    fprintf(out, "  %-28s 0x%02x %12" PRIu64 "\n", n ? n : "unknown", t, S->nbss_types[t]);
  }
  fprintf(out, "commands (every block of every AndX chain):\n");
  fprintf(out, "  %-34s %12s %12s\n", "", "requests", "responses");
  for (unsigned c = 0; c < 256; c++) {
    if (!S->cmd[c].req && !S->cmd[c].rsp) continue;
    const char *n = smbw_command_name((uint8_t)c);
    char unk[32];
    if (!n) {
      snprintf(unk, sizeof unk, "unknown 0x%02x", c);
      n = unk;
    }
    fprintf(out, "  %-34s %12" PRIu64 " %12" PRIu64 "\n", n, S->cmd[c].req, S->cmd[c].rsp);
  }
  kv sorted[NSTATUS];
  unsigned ns = 0;
  for (unsigned i = 0; i < NSTATUS; i++)
    if (S->status[i].used) sorted[ns++] = S->status[i];
  qsort(sorted, ns, sizeof *sorted, cmp_kv);
  fprintf(out, "status (SMB1 messages):\n");
  for (unsigned i = 0; i < ns; i++) {
    char st[64];
    smbw_status_format((uint32_t)sorted[i].key, sorted[i].nt, st, sizeof st);
    fprintf(out, "  %-34s 0x%08" PRIx32 " %12" PRIu64 "\n", st, (uint32_t)sorted[i].key,
            sorted[i].count);
  }
  if (S->status_other) fprintf(out, "  %-34s %23" PRIu64 "\n", "(others)", S->status_other);
  fprintf(out, "transactions: completed %" PRIu64 " (requests %" PRIu64 ", responses %" PRIu64
               "; in several fragments %" PRIu64 "), refused %" PRIu64 ", fragments skipped %" PRIu64
               ", evicted %" PRIu64 ", unfinished %" PRIu64 ", peak buffered %" PRIu64 " bytes\n",
          T->done_req + T->done_rsp, T->done_req, T->done_rsp, T->multi, T->refused, T->skipped,
          T->evicted, T->unfinished, T->peak_bytes);
  fprintf(out, "transaction payloads: %" PRIu64 " decoded, of which %" PRIu64 " failed\n",
          T->payloads, T->payload_failed);
  if (T->payload_failed) {
    fprintf(out, "payload failures:\n");
    for (unsigned i = 0; i < 256; i++)
      if (T->pcodes[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), T->pcodes[i]);
  }
  if (T->refused) {
    fprintf(out, "transaction refusals:\n");
    for (unsigned i = 0; i < 256; i++)
      if (T->codes[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), T->codes[i]);
  }
  if (S->failures) {
    fprintf(out, "decode failures:\n");
    for (unsigned i = 0; i < 256; i++)
      if (S->errs[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), S->errs[i]);
  }
  fprintf(out, "connections (with NBSS packets):\n");
  size_t nc = 0;
  connstat *list = NULL;
  if (S->conns) {
    for (unsigned i = 0; i < NCONN; i++)
      if (S->conns[i].used) nc++;
    list = malloc((nc ? nc : 1) * sizeof *list);
    if (list) {
      nc = 0;
      for (unsigned i = 0; i < NCONN; i++)
        if (S->conns[i].used) list[nc++] = S->conns[i];
      qsort(list, nc, sizeof *list, cmp_conn);
      for (size_t i = 0; i < nc; i++) {
        const connstat *c = &list[i];
        char cl[80], sv[80];
        snprintf(cl, sizeof cl, "%s:%u", c->client, c->sport);
        snprintf(sv, sizeof sv, "%s:%u", c->server, c->dport);
        fprintf(out, "  stream %-6" PRIu32 " %-24s -> %-24s c2s %8" PRIu64 " s2c %8" PRIu64
                     " bytes %12" PRIu64 " failures %" PRIu64 " frames %" PRIu64 "-%" PRIu64
                     "\n",
                c->stream, cl, sv, c->msgs_c2s, c->msgs_s2c, c->bytes, c->failures,
                c->first_frame, c->last_frame);
      }
      free(list);
    }
  }
  if (S->conns_other)
    fprintf(out, "  (%" PRIu64 " messages of connections beyond the first %u)\n",
            S->conns_other, NCONN);
}
