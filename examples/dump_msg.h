/*
 * smbdump's per-message walk: every NBSS packet flow.c delivers is framed
 * and decoded by the library (smbw_nbss_frame, smbw_msg_decode, the AndX
 * iterator, the typed decoders, the transaction tracker of dump_tx.h) and
 * what decodes is handed to the outputs that are on: the JSON writer
 * (dump_json.h), the summary line (dump_info.h), the -V tree (dump_tree.h)
 * and the statistics (dump_stats.h).  One dump holds all of it.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_MSG_H
#define SMBWIRE_EXAMPLES_DUMP_MSG_H

#include <stdint.h>
#include <stdio.h>

#include "dump_info.h"
#include "dump_json.h"
#include "dump_payload.h"
#include "dump_stats.h"
#include "dump_tree.h"
#include "dump_tx.h"
#include "flow.h"

typedef struct dump {
  int json, verbose, human; /* the outputs that are on */
  FILE *out;                /* where they go */
  jw J;
  dump_info *I;
  dump_tx T;
  dump_pv pv;
  dump_tree tree;
  dump_stats *S;            /* NULL: no --stats */
  double t0;                /* time of the first message */
  int have_t0;
  uint64_t nmsg;
  /* (connection, direction) pairs whose next message is raw data, not an
     SMB: the server's after a READ_RAW request, the client's after a
     WRITE_RAW request with data left (a few at a time; the oldest is
     forgotten when a 9th comes) */
  uint32_t raw_wait[8];
  unsigned nraw;
  /* datagram fragments being put together (smbw_dgram_asm), one slot per
     key; allocated at the first fragment; when all are busy the next
     slot in turn is dropped for a new key */
  struct dump_dgram_slot *dg;
  unsigned dg_next;
} dump;

/* Set d up (exits with status 2 when memory runs out); S: the statistics
   to count into, or NULL; hex_max: --hex-limit. */
void dump_init(dump *d, FILE *out, int json, int verbose, int human, dump_stats *S,
               size_t hex_max);
/* flow.c's callbacks, with d as their ctx: a message, a connection gone. */
int dump_on_msg(const flow_msg *m, void *ctx);
/* One NetBIOS datagram (UDP 138): decoded with smbw_dgram_decode(), its
   SMB (when the datagram is whole) by the same walk as a session message. */
int dump_on_dgram(const flow_dgram *g, void *ctx);
void dump_on_conn_end(uint32_t stream, void *ctx);
/* After the capture: forget the open transactions, write what is pending. */
void dump_finish(dump *d);
void dump_free(dump *d);

#endif
