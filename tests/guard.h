/*
 * Test helper: place bytes so that they end exactly where a PROT_NONE page
 * begins, so that any read past the end faults at once (picohttpparser's
 * technique).
 */
#ifndef SMBW_TEST_GUARD_H
#define SMBW_TEST_GUARD_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct guard_buf {
  uint8_t *base;
  size_t size; /* accessible bytes before the guard page */
  size_t page;
} guard_buf;

static inline int guard_init(guard_buf *g, size_t max) {
  g->page = (size_t)sysconf(_SC_PAGESIZE);
  g->size = (max + g->page - 1) / g->page * g->page;
  if (g->size == 0) g->size = g->page;
  void *m = mmap(NULL, g->size + g->page, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return -1;
  g->base = (uint8_t *)m;
  if (mprotect(g->base + g->size, g->page, PROT_NONE) != 0) return -1;
  return 0;
}

/* Copy n bytes so that they end at the guard page; returns their start. */
static inline uint8_t *guard_place(guard_buf *g, const uint8_t *src, size_t n) {
  uint8_t *p = g->base + g->size - n;
  if (n) memmove(p, src, n);
  return p;
}

static inline void guard_free(guard_buf *g) {
  munmap(g->base, g->size + g->page);
}

/* An input and an output area of max bytes each (a Check fixture's
   setup and teardown); aborts when the pages cannot be had. */
static inline void guard_pair_init(guard_buf *in, guard_buf *out, size_t max) {
  if (guard_init(in, max) != 0 || guard_init(out, max) != 0) abort();
}
static inline void guard_pair_free(guard_buf *in, guard_buf *out) {
  guard_free(in);
  guard_free(out);
}

/* The n bytes at p all equal v. */
static inline int bytes_are(const uint8_t *p, size_t n, uint8_t v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v) return 0;
  return 1;
}

/* An output area of n bytes that ends at the guard page, after canary
   bytes of 0xCD, itself filled with fill (poisoned). */
static inline uint8_t *guard_out_area(guard_buf *g, size_t n, size_t canary, uint8_t fill) {
  uint8_t *p = g->base + g->size - n;
  memset(p - canary, 0xCD, canary);
  memset(p, fill, n);
  return p;
}

/* The canary bytes before guard_out_area(g, n, canary, ...) are intact. */
static inline int guard_canary_ok(const guard_buf *g, size_t n, size_t canary) {
  return bytes_are(g->base + g->size - n - canary, canary, 0xCD);
}

#endif
