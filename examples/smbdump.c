/*
 * smbdump: decode the SMB1/CIFS traffic of a pcap or pcapng capture with
 * smbwire.
 *
 *   smbdump [--json] [-V] [--stats] [--port N]... [--hex-limit N] FILE|-
 *
 * Default: one line per NBSS packet, in the manner of tshark's Info column.
 * -V: the full field tree of every packet.  --json: JSON Lines, one object
 * per NBSS packet (field contract: doc/smbdump.md).  --stats: counts per
 * command, status and connection, decode failures and transactions.
 * Transactions are reassembled per connection (smbw_trans_asm) and the
 * fragments the reassembler refuses are reported; the payload of each
 * completed transaction (directory searches, EA lists, security
 * descriptors) is decoded with find.h, ea.h and security.h.
 *
 * Every byte is decoded by the library (smbw_nbss_frame, smbw_msg_decode,
 * the AndX iterator and the typed decoders); the modules only format:
 *
 *   flow.c          capture reading, TCP reassembly, NBSS framing
 *   dump_msg.c      the per-message walk: decodes and feeds the outputs
 *   dump_tx.c       transaction tracking (smbw_trans_asm, bounded memory)
 *   dump_payload.c  transaction payloads (find.h, ea.h, security.h)
 *   dump_json.c     the JSON writer (--json)
 *   dump_tree.c     the -V tree (with print.c)
 *   dump_info.c     the summary line (tshark-style Info)
 *   dump_stats.c    the statistics (--stats)
 *
 * Each keeps its state in one context struct passed explicitly; this file
 * parses the command line and wires them to the reader.
 */
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smbwire/smbwire.h>

#include "dump_msg.h"
#include "flow.h"

/* ------------------------------------------------------------ progress */

typedef struct prog {
  struct timespec last;
  int printed;
} prog;

__attribute__((unused)) static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((unused)) static void on_progress(const flow_stats *s, uint64_t done, uint64_t total,
                                                void *ctx) {
  prog *pg = ctx;
  const uint64_t big = 100u * 1000u * 1000u;
  if (total ? total <= big : done <= big) return;
  double t = now_s();
  double last = (double)pg->last.tv_sec + (double)pg->last.tv_nsec / 1e9;
  if (pg->printed && t - last < 1.0) return;
  pg->last.tv_sec = (time_t)t;
  pg->last.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
  pg->printed = 1;
  if (total)
    fprintf(stderr, "\rsmbdump: %.0f / %.0f MB (%.0f%%), %" PRIu64 " packets, %" PRIu64
                    " NBSS packets   ",
            (double)done / 1e6, (double)total / 1e6, 100.0 * (double)done / (double)total,
            s->packets, s->messages);
  else
    fprintf(stderr, "\rsmbdump: %.0f MB, %" PRIu64 " packets, %" PRIu64 " NBSS packets   ",
            (double)done / 1e6, s->packets, s->messages);
  fflush(stderr);
}

/* ------------------------------------------------------------ main */

#ifdef SMBDUMP_NO_MAIN
/* fuzz/fuzz_pcap.c includes this file and links flow.c and print.c: the
   modules come in here. */
#include "dump_info.c"
#include "dump_json.c"
#include "dump_msg.c"
#include "dump_payload.c"
#include "dump_stats.c"
#include "dump_tree.c"
#include "dump_tx.c"

/* For fuzz/fuzz_pcap.c: one capture (stdio stream, closed here) through
   the reader and every output mode at once, printed to out. */
int smbdump_fuzz_one(FILE *capture, FILE *out, const uint16_t *ports, size_t nports);
int smbdump_fuzz_one(FILE *capture, FILE *out, const uint16_t *ports, size_t nports) {
  dump_stats *S = stats_new();
  dump *d = malloc(sizeof *d);
  if (!S || !d) {
    stats_free(S);
    free(d);
    fclose(capture);
    return -1;
  }
  dump_init(d, out, 1, 1, 1, S, JW_HEX_MAX_DEFAULT);
  flow_opts fo = {ports, nports, 0};
  flow_stats fs;
  char err[256];
  flow_ex ex = {&fs, NULL, NULL, 0, dump_on_conn_end, dump_on_dgram};
  memset(&fs, 0, sizeof fs);
  int rc = flow_read_stream(capture, &fo, dump_on_msg, d, &ex, err, sizeof err);
  dump_finish(d);
  stats_print(out, "fuzz", S, &fs, &d->T.st, 0.0);
  dump_free(d);
  free(d);
  stats_free(S);
  return rc;
}
#else
/* The TCP streams with data that were not followed, and the way to. */
static void note_skipped(const flow_stats *fs) {
  fprintf(stderr, "smbdump: %" PRIu64 " TCP stream%s with data skipped (not on port 139, 445 or a --port, "
          "not recognised as SMB1; server port%s", fs->skipped, fs->skipped == 1 ? "" : "s",
          fs->n_skipped_ports == 1 ? "" : "s");
  for (size_t i = 0; i < fs->n_skipped_ports; i++)
    fprintf(stderr, "%s %u", i ? "," : "", fs->skipped_ports[i]);
  fprintf(stderr, "%s): for SMB on another port, use --port N\n",
          fs->skipped > fs->n_skipped_ports && fs->n_skipped_ports == FLOW_SKIPPED_PORTS ? ", ..." : "");
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: smbdump [--json] [-V] [--stats] [--port N]... [--hex-limit N] FILE|-\n"
          "  decode the SMB1/CIFS traffic of a pcap or pcapng capture (TCP ports 139, 445)\n"
          "  (default)   one line per NBSS packet, like tshark's Info column\n"
          "  -V          full field tree of every packet\n"
          "  --json      JSON Lines, one object per NBSS packet (see doc/smbdump.md)\n"
          "  --stats     counts per command, status and connection; decode failures\n"
          "              (alone: instead of the per-packet output; else on stderr)\n"
          "  --port N    also follow TCP port N (repeatable; SMB1 is recognised on\n"
          "              any port by its bytes, unless it opens with a session request)\n"
          "  --hex-limit N  print at most N bytes of transaction parameters and data\n"
          "              (and of each payload byte string) in --json (default 4096,\n"
          "              0: all)\n");
}

/* A numeric option "NAME N" or "NAME=N" at argv[*i] (*i moves past its
   value): 0 when argv[*i] is another one, 1 with *out in [min, max], -1
   after saying what is wrong (what: the value wanted; bad: its name). */
static int num_option(int argc, char **argv, int *i, const char *name, const char *what,
                      const char *bad, unsigned long long min, unsigned long long max,
                      unsigned long long *out) {
  const char *a = argv[*i];
  size_t k = strlen(name);
  if (strncmp(a, name, k) != 0 || (a[k] != 0 && a[k] != '=')) return 0;
  const char *v = a[k] == '=' ? a + k + 1 : (*i + 1 < argc ? argv[++*i] : NULL);
  if (!v || !*v) {
    fprintf(stderr, "smbdump: %s needs a value (%s)\n", name, what);
    return -1;
  }
  char *end = NULL;
  errno = 0;
  unsigned long long n = *v != '-' ? strtoull(v, &end, 10) : 0;
  if (*v == '-' || errno || *end || n < min || n > max) {
    fprintf(stderr, "smbdump: bad %s '%s'\n", bad, v);
    return -1;
  }
  *out = n;
  return 1;
}

int main(int argc, char **argv) {
  int json = 0, verbose = 0, stats = 0;
  size_t hex_max = JW_HEX_MAX_DEFAULT;
  uint16_t ports[64];
  size_t nports = 0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    unsigned long long n;
    int r;
    if (!strcmp(a, "--json")) json = 1;
    else if (!strcmp(a, "-V") || !strcmp(a, "--verbose")) verbose = 1;
    else if (!strcmp(a, "--stats")) stats = 1;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if ((r = num_option(argc, argv, &i, "--port", "a TCP port, 1 to 65535", "port", 1,
                               65535, &n)) != 0) {
      if (r < 0) return 2;
      if (nports < sizeof ports / sizeof ports[0]) ports[nports++] = (uint16_t)n;
    } else if ((r = num_option(argc, argv, &i, "--hex-limit", "a byte count, 0: no limit",
                               "hex limit", 0, SIZE_MAX / 4, &n)) != 0) {
      if (r < 0) return 2;
      hex_max = (size_t)n;
    } else if (a[0] == '-' && a[1] != 0) {
      fprintf(stderr, "smbdump: unknown option '%s'\n", a);
      usage(stderr);
      return 2;
    } else if (!path) {
      path = a;
    } else {
      fprintf(stderr, "smbdump: only one capture file\n");
      return 2;
    }
  }
  if (!path) {
    usage(stderr);
    return 2;
  }
  int human = !json && !verbose && !stats;
  FILE *statout = (json || verbose) ? stderr : stdout;
  setvbuf(stdout, NULL, _IOFBF, (size_t)1 << 16); /* the C library's buffer */

  dump_stats *S = NULL;
  if (stats && !(S = stats_new())) {
    fprintf(stderr, "smbdump: out of memory\n");
    return 2;
  }
  dump *d = malloc(sizeof *d);
  if (!d) {
    fprintf(stderr, "smbdump: out of memory\n");
    return 2;
  }
  dump_init(d, stdout, json, verbose, human, S, hex_max);
  flow_opts fo = {ports, nports, 0};
  flow_stats fs;
  memset(&fs, 0, sizeof fs);
  prog pg;
  memset(&pg, 0, sizeof pg);
  flow_ex ex = {&fs, on_progress, &pg, stats ? (uint64_t)16 << 20 : 0, dump_on_conn_end,
                dump_on_dgram};
  char err[512];
  double t0 = now_s();
  int rc = flow_read_file_ex(path, &fo, dump_on_msg, d, &ex, err, sizeof err);
  double secs = now_s() - t0;
  dump_finish(d);
  if (pg.printed)
    fprintf(stderr, "\rsmbdump: %.0f MB read (100%%), %" PRIu64 " packets, %" PRIu64
                    " NBSS packets, %.1f s          \n",
            (double)fs.file_bytes / 1e6, fs.packets, fs.messages, secs);
  fflush(stdout);
  if (rc) fprintf(stderr, "smbdump: %s\n", err);
  if (fs.skipped) note_skipped(&fs);
  if (S) {
    stats_print(statout, path, S, &fs, &d->T.st, secs);
    fflush(statout);
    stats_free(S);
  }
  dump_free(d);
  free(d);
  /* A damaged file after some packets still printed what was read. */
  if (rc && fs.packets == 0) return 1;
  return rc ? 1 : 0;
}
#endif /* SMBDUMP_NO_MAIN */
