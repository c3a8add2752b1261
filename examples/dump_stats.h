/*
 * smbdump's statistics (--stats): counts per NBSS packet type, command,
 * status and connection, decode failures, and the counters of the capture
 * reader (flow_stats) and of the transaction tracker (txstat), printed at
 * the end (doc/smbdump.md, "--stats").  Bounded: NSTATUS distinct statuses
 * and NCONN connections are counted apart, the rest together.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_STATS_H
#define SMBWIRE_EXAMPLES_DUMP_STATS_H

#include <stdint.h>
#include <stdio.h>

#include <smbwire/smbwire.h>

#include "dump_tx.h"
#include "flow.h"

typedef struct cmdstat {
  uint64_t req, rsp;
} cmdstat;

typedef struct kv {
  uint64_t key, count;
  int used;
  int nt;
} kv;

#define NSTATUS 1024u
#define NCONN 65536u

typedef struct connstat {
  uint32_t stream;
  int used;
  uint16_t sport, dport;
  char client[48], server[48];
  uint64_t msgs_c2s, msgs_s2c, bytes, failures;
  uint64_t first_frame, last_frame;
} connstat;

typedef struct dump_stats {
  cmdstat cmd[256];
  kv status[NSTATUS];
  uint64_t status_other;
  connstat *conns;
  uint64_t conns_other;
  uint64_t errs[256]; /* by -code */
  uint64_t nbss_types[256];
  uint64_t smb1, smb2, other, failures, nbss_packets, nbss_bytes;
} dump_stats;

/* A zeroed dump_stats (NULL when memory runs out); stats_free. */
dump_stats *stats_new(void);
void stats_free(dump_stats *S);

/* One NBSS packet of type `type`. */
void stats_nbss(dump_stats *S, const flow_msg *m, uint8_t type);
/* Its SMB1 message (h: its header, NULL when it did not decode) with the
   first commands of its chain; an SMB2/3 one. */
void stats_smb1(dump_stats *S, const smbw_header *h, const uint8_t *cmds, unsigned ncmds);
void stats_smb2(dump_stats *S);
/* The end of the packet: rc its first decode error (0: none). */
void stats_done(dump_stats *S, const flow_msg *m, int rc);

/* The report. */
void stats_print(FILE *out, const char *path, const dump_stats *S, const flow_stats *fs,
                 const txstat *T, double secs);

#endif
