/*
 * smbdump's transaction tracking: the fragments of TRANSACTION, TRANSACTION2
 * and NT_TRANSACT requests and responses reassembled per connection with
 * smbw_trans_asm (doc/smbdump.md, "Transactions").  Memory is bounded: at
 * most TX_PER_CONN open transactions per connection (the least recently
 * used is forgotten for a new one), TX_MAX_BYTES buffered per transaction
 * (a larger one is refused with SMBW_E_NOSPACE and its fragments skipped)
 * and TX_MAX_TOTAL in all (the least recently used transactions holding a
 * buffer are forgotten first).  All of it lives in one dump_tx.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_TX_H
#define SMBWIRE_EXAMPLES_DUMP_TX_H

#include <stddef.h>
#include <stdint.h>

#include <smbwire/smbwire.h>

#define TX_PER_CONN 64u
#define TX_SETUP_MAX 16u /* setup bytes kept for the payload (NT_TRANSACT's 8) */
#define TX_MAX_BYTES (1u << 20)
#define TX_MAX_TOTAL ((uint64_t)256 << 20)

/* What the transaction tracker made of one message (see tx_request()). */
typedef struct txout {
  int done;               /* a transaction completed with this message */
  uint8_t command;        /* its primary command */
  uint8_t has_sub;        /* sub is known */
  uint16_t sub;           /* subcommand: setup word 0, or the NT Function */
  const char *sub_name;   /* its MS-CIFS name (NULL: none) */
  unsigned fragments;     /* fragments it was assembled from */
  smbw_bytes params, data;
  uint8_t setup[TX_SETUP_MAX]; /* a request's setup words (their first bytes) */
  uint8_t nsetup;
  uint8_t params_odd, data_odd; /* the areas start at odd offsets from the SMB header
                                   (in their first fragment): names align to it */
  uint8_t browse;               /* a mailslot write of browser frames (1: \MAILSLOT\BROWSE,
                                   \MAILSLOT\LANMAN) or of NETLOGON messages (2:
                                   \MAILSLOT\NET\...) */
  uint8_t *own;           /* buffer behind params/data, freed once printed */
  int err;                /* a refused fragment: the error, else 0 */
  smbw_error e;
  char detail[96];        /* the request's Info details, for its response */
  uint8_t rsp;            /* the completed transaction is a response */
  uint8_t unicode;        /* FLAGS2_UNICODE of the message completing it */
  uint8_t has_level;      /* level and fflags are known (from the request) */
  uint16_t level;         /* the request's InformationLevel (FIND, QUERY/SET_*_INFORMATION) */
  uint16_t fflags;        /* the FIND request's Flags */
} txout;

typedef struct txstat {
  uint64_t done_req, done_rsp, multi; /* completed (of which in several fragments) */
  uint64_t refused;                   /* transaction_error objects */
  uint64_t codes[256];                /* of which by -code */
  uint64_t skipped;                   /* fragments of a transaction over the limits */
  uint64_t evicted;                   /* open ones pushed out by a 17th */
  uint64_t unfinished;                /* answered, or their connection gone, before complete */
  uint64_t live_bytes, peak_bytes;    /* bytes buffered */
  uint64_t payloads, payload_failed;  /* payloads decoded (of which failed) */
  uint64_t pcodes[256];               /* failures by -code */
} txstat;

typedef struct txconn txconn;
typedef struct txent txent;

/* The tracker: the connections with open transactions (a hash table of
   stream numbers) and the transactions holding a buffer, least recently
   used first.  Zero-initialised; tx_free_all() frees it all. */
typedef struct dump_tx {
  txconn **tab;
  size_t size, count;   /* buckets (power of two), connections */
  uint64_t stamp;
  txent *lhead, *ltail;
  txstat st;
} dump_tx;

/* The six transaction commands; the primary command of one's family. */
int tx_is_trans(uint8_t c);
uint8_t tx_family(uint8_t c);

/* A decoded transaction request (primary or secondary) of connection
   stream: sub, has_sub and sub_name as the primary names them, detail its
   Info words (kept for the response).  What happened is in *o (zeroed by
   the caller once per message). */
void tx_request(dump_tx *T, uint32_t stream, const smbw_header *h, const smbw_trans_req *r,
                uint16_t sub, int has_sub, const char *sub_name, const char *detail, int browse,
                txout *o);
/* A decoded transaction response (WordCount 0: interim or error). */
void tx_response(dump_tx *T, uint32_t stream, const smbw_header *h, const smbw_trans_rsp *r,
                 txout *o);
/* Forget the transactions of a connection (flow_ex.conn_end); of all. */
void tx_conn_end(dump_tx *T, uint32_t stream);
void tx_free_all(dump_tx *T);

/* An empty SMB_GEA_LIST (SizeOfListInBytes 4): stands in for a bad
   GetExtendedAttributeList to decode FIND parameters on their own. */
extern const uint8_t tx_empty_gea[4];

/* The TRANS2 subcommands whose payload smbdump decodes (MS-CIFS 2.2.6). */
#define T2_OPEN2 0x0000u
#define T2_QUERY_PATH_INFORMATION 0x0005u
#define T2_SET_PATH_INFORMATION 0x0006u
#define T2_QUERY_FILE_INFORMATION 0x0007u
#define T2_SET_FILE_INFORMATION 0x0008u
#define NT_TRANSACT_CREATE_FN 0x0001u

#endif
