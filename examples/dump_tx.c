/*
 * smbdump's transaction tracking (see dump_tx.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_tx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump_common.h"

int tx_is_trans(uint8_t c) {
  return c == SMBW_COM_TRANSACTION || c == SMBW_COM_TRANSACTION_SECONDARY ||
         c == SMBW_COM_TRANSACTION2 || c == SMBW_COM_TRANSACTION2_SECONDARY ||
         c == SMBW_COM_NT_TRANSACT || c == SMBW_COM_NT_TRANSACT_SECONDARY;
}

/* The primary command of a transaction command's family. */
uint8_t tx_family(uint8_t c) {
  switch (c) {
  case SMBW_COM_TRANSACTION_SECONDARY: return SMBW_COM_TRANSACTION;
  case SMBW_COM_TRANSACTION2_SECONDARY: return SMBW_COM_TRANSACTION2;
  case SMBW_COM_NT_TRANSACT_SECONDARY: return SMBW_COM_NT_TRANSACT;
  default: return c;
  }
}

enum { TX_REQ = 1, TX_REQ_SKIP, TX_WAIT, TX_RSP, TX_RSP_SKIP };

/* One transaction of a connection, keyed by UID, TID, PID and MID: its
   request fragments (TX_REQ), then the wait for its response (TX_WAIT:
   nothing buffered, kept for the subcommand), then the response fragments
   (TX_RSP).  TX_*_SKIP: over the size limits, its fragments are skipped. */
typedef struct txconn txconn;

typedef struct txent {
  txconn *conn;        /* the connection it belongs to */
  struct txent *lprev, *lnext; /* in the list of buffered ones, oldest first */
  uint32_t pid;
  uint16_t uid, tid, mid;
  uint8_t state;
  uint8_t command;     /* the request's family (0: not seen) */
  uint8_t has_sub;
  uint8_t no_response; /* Flags NO_RESPONSE: nothing to wait for */
  uint16_t sub;
  const char *sub_name;
  uint64_t stamp;      /* last use, for the eviction of the oldest */
  uint8_t *buf;        /* parameters then data */
  size_t bufsize;
  smbw_trans_asm a;
  char detail[96];     /* the request's Info details */
  uint8_t has_level;   /* level and fflags are known: */
  uint16_t level;      /* the completed request's InformationLevel, */
  uint16_t fflags;     /* and its Flags (FIND), for the response's payload */
  uint8_t setup[TX_SETUP_MAX]; /* the primary request's setup words (their first bytes) */
  uint8_t nsetup;
  uint8_t params_odd, data_odd; /* the first fragment's areas start at odd offsets */
  uint8_t browse;      /* a mailslot write: 1 browser frames, 2 NETLOGON */
} txent;

struct txconn {
  uint32_t stream;
  struct txconn *next;
  unsigned n;
  txent *e[TX_PER_CONN];
};

static void lru_unlink_tx(dump_tx *T, txent *e) {
  if (e->lprev) e->lprev->lnext = e->lnext;
  else if (T->lhead == e) T->lhead = e->lnext;
  if (e->lnext) e->lnext->lprev = e->lprev;
  else if (T->ltail == e) T->ltail = e->lprev;
  e->lprev = e->lnext = NULL;
}

static void lru_append_tx(dump_tx *T, txent *e) {
  e->lprev = T->ltail;
  e->lnext = NULL;
  if (T->ltail) T->ltail->lnext = e;
  else T->lhead = e;
  T->ltail = e;
}

static size_t tx_bucket(uint32_t stream, size_t size) {
  return (size_t)((stream * 2654435761u) & (uint32_t)(size - 1));
}

static txconn *tx_conn(dump_tx *T, uint32_t stream, int create) {
  if (!T->tab) {
    if (!create) return NULL;
    T->size = 1024;
    T->tab = calloc(T->size, sizeof *T->tab);
    if (!T->tab) dump_oom();
  }
  for (txconn *c = T->tab[tx_bucket(stream, T->size)]; c; c = c->next)
    if (c->stream == stream) return c;
  if (!create) return NULL;
  if (T->count >= T->size) {
    size_t ns = T->size * 2;
    txconn **nt = calloc(ns, sizeof *nt);
    if (!nt) dump_oom();
    for (size_t i = 0; i < T->size; i++) {
      txconn *c = T->tab[i];
      while (c) {
        txconn *nx = c->next;
        size_t b = tx_bucket(c->stream, ns);
        c->next = nt[b];
        nt[b] = c;
        c = nx;
      }
    }
    free(T->tab);
    T->tab = nt;
    T->size = ns;
  }
  txconn *c = calloc(1, sizeof *c);
  if (!c) dump_oom();
  c->stream = stream;
  size_t b = tx_bucket(stream, T->size);
  c->next = T->tab[b];
  T->tab[b] = c;
  T->count++;
  return c;
}

static void tx_release(dump_tx *T, txent *e) {
  if (e->buf) {
    T->st.live_bytes -= e->bufsize;
    free(e->buf);
    lru_unlink_tx(T, e);
  }
  e->buf = NULL;
  e->bufsize = 0;
}

static void tx_remove(dump_tx *T, txconn *c, unsigned i) {
  tx_release(T, c->e[i]);
  free(c->e[i]);
  c->e[i] = c->e[--c->n];
  c->e[c->n] = NULL;
}

static txent *tx_find(dump_tx *T, txconn *c, const smbw_header *h) {
  if (!c) return NULL;
  uint32_t pid = smbw_header_pid(h);
  for (unsigned i = 0; i < c->n; i++) {
    txent *e = c->e[i];
    if (e->uid == h->uid && e->tid == h->tid && e->mid == h->mid && e->pid == pid) {
      e->stamp = ++T->stamp;
      if (e->buf) {
        lru_unlink_tx(T, e);
        lru_append_tx(T, e);
      }
      return e;
    }
  }
  return NULL;
}

static unsigned tx_index(const txconn *c, const txent *e) {
  unsigned i = 0;
  while (i < c->n && c->e[i] != e) i++;
  return i;
}

static txent *tx_new(dump_tx *T, txconn *c, const smbw_header *h) {
  if (c->n == TX_PER_CONN) { /* forget the least recently used */
    unsigned old = 0;
    for (unsigned i = 1; i < c->n; i++)
      if (c->e[i]->stamp < c->e[old]->stamp) old = i;
    if (c->e[old]->state == TX_REQ || c->e[old]->state == TX_RSP) T->st.evicted++;
    tx_remove(T, c, old);
  }
  txent *e = calloc(1, sizeof *e);
  if (!e) dump_oom();
  e->conn = c;
  e->uid = h->uid;
  e->tid = h->tid;
  e->mid = h->mid;
  e->pid = smbw_header_pid(h);
  e->stamp = ++T->stamp;
  c->e[c->n++] = e;
  return e;
}

void tx_conn_end(dump_tx *T, uint32_t stream) {
  if (!T->tab) return;
  txconn **pp = &T->tab[tx_bucket(stream, T->size)];
  while (*pp && (*pp)->stream != stream) pp = &(*pp)->next;
  txconn *c = *pp;
  if (!c) return;
  *pp = c->next;
  while (c->n) {
    if (c->e[c->n - 1]->state == TX_REQ || c->e[c->n - 1]->state == TX_RSP)
      T->st.unfinished++;
    tx_remove(T, c, c->n - 1);
  }
  free(c);
  T->count--;
}

void tx_free_all(dump_tx *T) {
  if (T->tab) {
    for (size_t i = 0; i < T->size; i++) {
      while (T->tab[i]) tx_conn_end(T, T->tab[i]->stream);
    }
  }
  free(T->tab);
  T->tab = NULL;
  T->size = T->count = 0;
}

static void tx_refuse(dump_tx *T, txout *o, int rc, const smbw_error *err) {
  if (o->err) return; /* one per message: the first */
  o->err = rc;
  o->e = *err;
  T->st.refused++;
  T->st.codes[(unsigned)(-rc) & 255u]++;
}

/* Buffers for a transaction of these totals; SMBW_E_NOSPACE over the
   limit (nothing buffered, the transaction's fragments are skipped).  Over
   the limit of all connections together, the least recently used open
   transactions are forgotten first. */
static int tx_start(dump_tx *T, txent *e, uint32_t tpc, uint32_t tdc, smbw_error *err) {
  tx_release(T, e);
  uint64_t need = (uint64_t)tpc + tdc;
  if (need > TX_MAX_BYTES) {
    err->offset = 0;
    err->field = tpc > TX_MAX_BYTES ? "TotalParameterCount" : "TotalDataCount";
    return SMBW_E_NOSPACE;
  }
  while (T->st.live_bytes + need > TX_MAX_TOTAL && T->lhead) {
    txent *old = T->lhead;
    txconn *oc = old->conn;
    T->st.evicted++;
    tx_remove(T, oc, tx_index(oc, old));
  }
  if (need) {
    e->buf = malloc((size_t)need);
    if (!e->buf) dump_oom();
    e->bufsize = (size_t)need;
    lru_append_tx(T, e);
    T->st.live_bytes += need;
    if (T->st.live_bytes > T->st.peak_bytes) T->st.peak_bytes = T->st.live_bytes;
  }
  smbw_trans_asm_init(&e->a, tpc ? e->buf : NULL, tpc, tdc ? e->buf + tpc : NULL, tdc);
  return 0;
}

const uint8_t tx_empty_gea[4] = {4, 0, 0, 0};

/* What a response's payload needs from its request, taken from the
   completed request transaction: the InformationLevel and Flags of
   FIND_FIRST2 / FIND_NEXT2 (by the library's decoders), the
   InformationLevel of the other subcommands that have one
   (smbw_trans_level(): QUERY/SET_PATH/FILE/FS_INFORMATION). */
static void tx_note_request(txent *e, smbw_bytes params, smbw_bytes data, int unicode) {
  e->has_level = 0;
  if (e->command != SMBW_COM_TRANSACTION2 || !e->has_sub) return;
  smbw_bytes gea = {tx_empty_gea, sizeof tx_empty_gea};
  switch (e->sub) {
  case SMBW_TRANS2_FIND_FIRST2: {
    smbw_find_first2_req r;
    if (smbw_find_first2_req_decode(params, data, unicode, &r, NULL) == 0 ||
        smbw_find_first2_req_decode(params, gea, unicode, &r, NULL) == 0) {
      e->has_level = 1;
      e->level = r.information_level;
      e->fflags = r.flags;
    }
    break;
  }
  case SMBW_TRANS2_FIND_NEXT2: {
    smbw_find_next2_req r;
    if (smbw_find_next2_req_decode(params, data, unicode, &r, NULL) == 0 ||
        smbw_find_next2_req_decode(params, gea, unicode, &r, NULL) == 0) {
      e->has_level = 1;
      e->level = r.information_level;
      e->fflags = r.flags;
    }
    break;
  }
  default: { /* the subcommands whose parameters the library describes */
    uint16_t level;
    if (smbw_trans_level(SMBW_COM_TRANSACTION2, e->sub, params, &level) == 1) {
      e->has_level = 1;
      e->level = level;
      e->fflags = 0;
    }
    break;
  }
  }
}

/* The reassembler's answer to a fragment of e (h: the message). */
static void tx_fed(dump_tx *T, txconn *c, txent *e, txout *o, int rc, const smbw_error *err, int rsp,
                   const smbw_header *h) {
  if (rc == 1) {
    o->done = 1;
    o->rsp = (uint8_t)(rsp != 0);
    o->unicode = (h->flags2 & SMBW_FLAGS2_UNICODE) != 0;
    if (!rsp) tx_note_request(e, e->a.params, e->a.data, o->unicode);
    o->has_level = e->has_level;
    o->level = e->level;
    o->fflags = e->fflags;
    o->command = e->a.command;
    o->has_sub = e->has_sub;
    o->sub = e->sub;
    o->sub_name = e->sub_name;
    o->fragments = e->a.fragments;
    o->nsetup = rsp ? 0 : e->nsetup;
    o->params_odd = e->params_odd;
    o->data_odd = e->data_odd;
    o->browse = rsp ? 0 : e->browse;
    if (o->nsetup) memcpy(o->setup, e->setup, o->nsetup);
    o->params = e->a.params;
    o->data = e->a.data;
    o->own = e->buf; /* freed once printed */
    T->st.live_bytes -= e->bufsize;
    if (e->buf) lru_unlink_tx(T, e);
    e->buf = NULL;
    e->bufsize = 0;
    if (rsp) T->st.done_rsp++;
    else T->st.done_req++;
    if (o->fragments > 1) T->st.multi++;
    if (rsp || e->no_response) tx_remove(T, c, tx_index(c, e));
    else e->state = TX_WAIT;
  } else if (rc == 0) {
    e->state = rsp ? TX_RSP : TX_REQ;
  } else {
    tx_refuse(T, o, rc, err);
    tx_remove(T, c, tx_index(c, e)); /* dropped: later fragments are orphans */
  }
}

/* A decoded transaction request (primary or secondary). */
void tx_request(dump_tx *T, uint32_t stream, const smbw_header *h, const smbw_trans_req *r,
                uint16_t sub, int has_sub, const char *sub_name, const char *detail, int browse,
                txout *o) {
  uint8_t fam = tx_family(r->command);
  int primary = fam == r->command;
  smbw_error err = {0, 0, NULL};
  txconn *c = tx_conn(T, stream, primary);
  txent *e = tx_find(T, c, h);
  int rc;
  if (!primary) {
    if (e && e->state == TX_REQ) {
      rc = smbw_trans_asm_req(&e->a, r, h, &err);
      tx_fed(T, c, e, o, rc, &err, 0, h);
    } else if (e && e->state == TX_REQ_SKIP) {
      T->st.skipped++;
    } else { /* no open transaction: the reassembler says what is wrong */
      smbw_trans_asm a;
      smbw_trans_asm_init(&a, NULL, 0, NULL, 0);
      rc = smbw_trans_asm_req(&a, r, h, &err);
      if (rc < 0) tx_refuse(T, o, rc, &err);
    }
    return;
  }
  if (e && e->state == TX_REQ) {
    /* A primary while a transaction with these IDs is open. */
    rc = smbw_trans_asm_req(&e->a, r, h, &err);
    if (rc < 0) tx_refuse(T, o, rc, &err);
    err.offset = 0;
    err.field = NULL;
  }
  if (!e) e = tx_new(T, c, h);
  e->state = TX_REQ;
  e->command = fam;
  e->has_sub = (uint8_t)has_sub;
  e->sub = sub;
  e->sub_name = sub_name;
  e->no_response = fam != SMBW_COM_NT_TRANSACT && (r->flags & 0x0002u) != 0;
  e->has_level = 0;
  e->nsetup = (uint8_t)(r->setup.len < TX_SETUP_MAX ? r->setup.len : TX_SETUP_MAX);
  e->params_odd = (uint8_t)(r->param_offset & 1u);
  e->data_odd = (uint8_t)(r->data_offset & 1u);
  e->browse = (uint8_t)browse; /* 1 browser frames, 2 NETLOGON */
  if (e->nsetup) memcpy(e->setup, r->setup.data, e->nsetup);
  snprintf(e->detail, sizeof e->detail, "%s", detail);
  rc = tx_start(T, e, r->total_param_count, r->total_data_count, &err);
  if (rc) {
    tx_refuse(T, o, rc, &err);
    e->state = TX_REQ_SKIP;
    return;
  }
  rc = smbw_trans_asm_req(&e->a, r, h, &err);
  tx_fed(T, c, e, o, rc, &err, 0, h);
}

/* A decoded transaction response (WordCount 0: interim or error). */
void tx_response(dump_tx *T, uint32_t stream, const smbw_header *h, const smbw_trans_rsp *r,
                 txout *o) {
  int interim = r->wct == 0 && h->status == 0;
  smbw_error err = {0, 0, NULL};
  txconn *c = tx_conn(T, stream, r->wct > 0);
  txent *e = tx_find(T, c, h);
  if (e) snprintf(o->detail, sizeof o->detail, "%s", e->detail);
  if (e && (e->state == TX_REQ || e->state == TX_REQ_SKIP)) {
    if (interim) return; /* go on with the secondary requests */
    if (e->state == TX_REQ) T->st.unfinished++;
    tx_release(T, e);
    e->state = TX_WAIT;
  }
  if (r->wct == 0) {
    if (e && !interim) { /* an error: the transaction is over */
      if (e->state == TX_RSP) T->st.unfinished++;
      tx_remove(T, c, tx_index(c, e));
    }
    return;
  }
  if (!e) e = tx_new(T, c, h);
  if (e->state == TX_RSP_SKIP) {
    T->st.skipped++;
    return;
  }
  int rc;
  if (e->state != TX_RSP) {
    if (!e->has_sub && r->setup.len >= 2) {
      e->has_sub = 1;
      e->sub = smbw_trans_setup(r->setup, 0);
    }
    rc = tx_start(T, e, r->total_param_count, r->total_data_count, &err);
    if (rc) {
      tx_refuse(T, o, rc, &err);
      e->state = TX_RSP_SKIP;
      return;
    }
    e->state = TX_RSP;
    e->params_odd = (uint8_t)(r->param_offset & 1u); /* the response's own */
    e->data_odd = (uint8_t)(r->data_offset & 1u);
  }
  rc = smbw_trans_asm_rsp(&e->a, r, h, &err);
  tx_fed(T, c, e, o, rc, &err, 1, h);
}
