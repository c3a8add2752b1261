/*
 * smbdump's transaction payloads (doc/smbdump.md, "payload"): the payload
 * of a completed transaction decoded by the library's find.h, ea.h and
 * security.h decoders from the reassembled parameters and data, and written
 * by one walk in one of three forms: JSON (the "payload" and
 * "payload_error" keys of the "transaction" object), the -V tree, or the
 * words added to the Info line.  PV_COUNT only decodes, for --stats.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_PAYLOAD_H
#define SMBWIRE_EXAMPLES_DUMP_PAYLOAD_H

#include <stdio.h>

#include "dump_info.h"
#include "dump_json.h"
#include "dump_tx.h"

enum { PV_COUNT = 0, PV_JSON, PV_TREE, PV_INFO };

typedef struct dump_pv {
  jw *J;         /* PV_JSON output (its text buffer serves every mode) */
  dump_info *I;  /* PV_INFO output */
  int mode;
  FILE *out;     /* PV_TREE output */
  int depth;     /* PV_TREE indentation */
  int had;       /* a "payload" was opened (in any mode) */
} dump_pv;

/* Whether smbdump decodes the payload of this transaction. */
int payload_known(const txout *o);

/* Decode the payload of a completed transaction in one mode (out: the
   stream of PV_TREE); pv->had then tells whether there was a payload.
   Returns 0 (none, or decoded), or the first error. */
int payload_in(dump_pv *pv, int mode, const txout *o, FILE *out);

#endif
