/*
 * smbdump's -V output: the field tree of every NBSS packet (print.c, shared
 * with smbwire-client), headed by the frame, stream, direction, addresses
 * and time, followed by the reassembled view of a transaction completed by
 * the message and its decoded payload, or the reassembler's refusal.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_TREE_H
#define SMBWIRE_EXAMPLES_DUMP_TREE_H

#include <stdio.h>

#include "dump_payload.h"
#include "dump_tx.h"
#include "flow.h"

typedef struct dump_tree {
  FILE *out;
  dump_pv *pv; /* the payloads, written in PV_TREE mode */
} dump_tree;

/* The tree of message m; o: what the transaction tracker made of it. */
void tree_message(dump_tree *t, const flow_msg *m, const txout *o);
/* -V of one NetBIOS datagram (UDP 138): its header fields (rc: the
   decoder's result, e its error) and the SMB it carries, if whole. */
void tree_dgram(dump_tree *t, const flow_dgram *g, const smbw_dgram *dg, int rc,
                const smbw_error *e, const txout *o, smbw_bytes whole, unsigned nfrag, int arc);

#endif
