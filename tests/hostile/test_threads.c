/*
 * test_threads.c - the library is reentrant: 4 threads decode and
 * re-encode every golden message at once, from the same shared (read-only)
 * input buffers, each into its own output buffer, and every result equals
 * the one computed on a single thread first.  Built as a plain test, and
 * by tests/hostile/tsan.sh with -fsanitize=thread, which reports any data
 * race (the library has no writable global state; tests/purity.sh checks
 * that too).
 *
 * Per message the result is: the framer's answer, dissect_msg()'s result
 * (code, bytes used, typed blocks), and a 64-bit FNV-1a digest of the
 * re-encoded message (which depends on every decoded field), plus the
 * session request round trip for NBSS session requests.
 *
 * SMBW_VEC_DIRS: directories of .vec files (tests/golden by default).
 * SMBW_THREAD_ROUNDS: passes per thread (default 4).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "../dissect.h"
#include "../vec.h"

#define NTHREADS 4

typedef struct item {
  const uint8_t *pkt;
  size_t len;
} item;

typedef struct result {
  int frame;
  int rc;
  size_t used;
  unsigned typed;
  int enc_rc;
  size_t enc_len;
  uint64_t digest;
} result;

static item *items;
static size_t nitems;
static result *expect;
static unsigned rounds = 4;

static uint64_t fnv(const uint8_t *p, size_t n, uint64_t h) {
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

/* Everything the library computes for one packet; out is the caller's. */
static void compute(const item *it, uint8_t *out, size_t cap, result *r) {
  memset(r, 0, sizeof *r);
  int tr = it->pkt[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
  smbw_nbss f;
  r->frame = smbw_nbss_frame(it->pkt, it->len, tr, &f, NULL, NULL);
  r->digest = 0xcbf29ce484222325ull;
  if (r->frame <= 0) return;
  if (f.type == SMBW_NBSS_SESSION_REQUEST) {
    smbw_nbss_session_request q;
    r->rc = smbw_nbss_session_request_decode(&f, &q, NULL);
    if (!r->rc) {
      r->enc_rc = smbw_nbss_session_request_encode(out, cap, &q, &r->enc_len);
      if (!r->enc_rc) r->digest = fnv(out, r->enc_len, r->digest);
      char name[16], scope[300];
      smbw_nb_name_get(&q.called, name);
      smbw_nb_scope_to_text(q.called.scope, scope, sizeof scope, NULL);
      r->digest = fnv((const uint8_t *)name, strlen(name), r->digest);
      r->digest = fnv((const uint8_t *)scope, strlen(scope), r->digest);
    }
    return;
  }
  if (f.type != SMBW_NBSS_SESSION_MESSAGE) return;
  smbw_error e;
  r->rc = dissect_msg(f.payload, f.length, NULL, NULL, &e, &r->used, &r->typed);
  if (r->rc) {
    r->digest = fnv((const uint8_t *)&e.offset, sizeof e.offset, r->digest);
    return;
  }
  r->enc_rc = reencode_msg(f.payload, f.length, SMBW_FRAMING_DIRECT, out, cap, &r->enc_len);
  if (!r->enc_rc) r->digest = fnv(out, r->enc_len, r->digest);
  /* Status text and header fields through the lookup tables too. */
  smbw_header h;
  if (!smbw_header_decode(f.payload, f.length, &h, NULL)) {
    char st[64];
    smbw_status_format(h.status, (h.flags2 & SMBW_FLAGS2_NT_STATUS) != 0, st, sizeof st);
    r->digest = fnv((const uint8_t *)st, strlen(st), r->digest);
    const char *c = smbw_command_name(h.command);
    if (c) r->digest = fnv((const uint8_t *)c, strlen(c), r->digest);
  }
}

static int same(const result *a, const result *b) {
  return a->frame == b->frame && a->rc == b->rc && a->used == b->used && a->typed == b->typed &&
         a->enc_rc == b->enc_rc && a->enc_len == b->enc_len && a->digest == b->digest;
}

typedef struct worker {
  pthread_t t;
  unsigned id;
  unsigned long done, mismatches;
} worker;

static void *run(void *arg) {
  worker *w = arg;
  size_t cap = 1 << 18;
  uint8_t *out = malloc(cap);
  if (!out) return NULL;
  for (unsigned r = 0; r < rounds; r++) {
    /* Each thread starts at a different message and walks in a different
       direction, so the same inputs are decoded at the same time. */
    for (size_t k = 0; k < nitems; k++) {
      size_t i = (w->id % 2 ? nitems - 1 - k : k);
      i = (i + w->id * (nitems / NTHREADS + 1)) % nitems;
      result got;
      compute(&items[i], out, cap, &got);
      if (!same(&got, &expect[i])) w->mismatches++;
      w->done++;
    }
  }
  free(out);
  return NULL;
}

int main(void) {
  const char *rs = getenv("SMBW_THREAD_ROUNDS");
  if (rs && atoi(rs) > 0) rounds = (unsigned)atoi(rs);
  char *paths[256];
  int np = vec_list(paths, 256);
  vec_file *vfs = calloc((size_t)np + 1, sizeof *vfs);
  for (int i = 0; i < np; i++) {
    if (vec_load(paths[i], &vfs[i]) != 0) continue;
    items = realloc(items, (nitems + vfs[i].n) * sizeof *items);
    for (size_t k = 0; k < vfs[i].n; k++) {
      items[nitems].pkt = vfs[i].msgs[k].bytes;
      items[nitems].len = vfs[i].msgs[k].len;
      nitems++;
    }
  }
  if (!nitems) {
    printf("threads: no golden messages found (SMBW_VEC_DIRS=%s)\n0 passed, 1 failed\n",
           getenv("SMBW_VEC_DIRS") ? getenv("SMBW_VEC_DIRS") : "tests/golden");
    return 1;
  }
  expect = calloc(nitems, sizeof *expect);
  uint8_t *out = malloc(1 << 18);
  unsigned long decoded = 0;
  for (size_t i = 0; i < nitems; i++) {
    compute(&items[i], out, 1 << 18, &expect[i]);
    decoded += expect[i].frame > 0 && expect[i].rc == 0;
  }
  free(out);
  worker w[NTHREADS];
  for (unsigned i = 0; i < NTHREADS; i++) {
    w[i].id = i;
    w[i].done = w[i].mismatches = 0;
    if (pthread_create(&w[i].t, NULL, run, &w[i]) != 0) {
      printf("threads: pthread_create failed\n0 passed, 1 failed\n");
      return 1;
    }
  }
  unsigned long done = 0, bad = 0;
  for (unsigned i = 0; i < NTHREADS; i++) {
    pthread_join(w[i].t, NULL);
    done += w[i].done;
    bad += w[i].mismatches;
  }
  printf("threads: %zu packets (%lu decode cleanly) x %u threads x %u rounds = %lu runs, "
         "%lu mismatches\n", nitems, decoded, NTHREADS, rounds, done, bad);
  int ok = bad == 0 && done == (unsigned long)nitems * NTHREADS * rounds;
  printf("%d passed, %d failed\n", ok, !ok);
  for (int i = 0; i < np; i++) {
    vec_free(&vfs[i]);
    free(paths[i]);
  }
  free(vfs);
  free(items);
  free(expect);
  return ok ? 0 : 1;
}
