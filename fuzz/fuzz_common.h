/*
 * Shared by the fuzz targets: a CHECK that names the failed assertion,
 * guarded placement of inputs and outputs (bytes that end exactly where a
 * PROT_NONE page begins, so an over-read or over-write faults even without
 * ASan, e.g. in the replay driver under valgrind or a plain build), and
 * small predicates used to state the security model.
 */
#ifndef SMBW_FUZZ_COMMON_H
#define SMBW_FUZZ_COMMON_H

#include <smbwire/smbwire.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/guard.h"

#define CHECK(c)                                                                  \
  do {                                                                            \
    if (!(c)) {                                                                   \
      fprintf(stderr, "%s:%d: security model violated: %s\n", __FILE__, __LINE__, \
              #c);                                                                \
      abort();                                                                    \
    }                                                                             \
  } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Largest input any target looks at, and the guarded areas. */
#define FZ_MAX (1u << 17)
#define FZ_AREA ((1u << 18) + 4096u)
#define FZ_CANARY 64u
#define FZ_SLOTS 4

static guard_buf fz_g[FZ_SLOTS];
static int fz_ready[FZ_SLOTS];

static inline guard_buf *fz_slot(int i) {
  if (!fz_ready[i]) {
    if (guard_init(&fz_g[i], FZ_AREA) != 0) abort();
    fz_ready[i] = 1;
  }
  return &fz_g[i];
}

/* Copy n bytes so that they end at slot i's guard page. */
static inline uint8_t *fz_place(int i, const void *src, size_t n) {
  if (n > FZ_AREA - FZ_CANARY) abort();
  return guard_place(fz_slot(i), (const uint8_t *)src, n);
}

/* An output area of n bytes ending at the guard page, preceded by a
   canary; its contents are poisoned so stale bytes are not mistaken for
   output. */
static inline uint8_t *fz_out(int i, size_t n) {
  guard_buf *g = fz_slot(i);
  if (n > FZ_AREA - FZ_CANARY) abort();
  uint8_t *p = g->base + g->size - n;
  memset(p - FZ_CANARY, 0xCD, FZ_CANARY);
  memset(p, 0xA5, n);
  return p;
}

/* The canary before an fz_out() area of n bytes is intact. */
static inline int fz_canary_ok(int i, size_t n) {
  guard_buf *g = fz_slot(i);
  const uint8_t *p = g->base + g->size - n - FZ_CANARY;
  for (unsigned k = 0; k < FZ_CANARY; k++)
    if (p[k] != 0xCD) return 0;
  return 1;
}

/* [p, p + n) lies inside [lo, lo + lon); NULL only with n == 0. */
static inline int fz_inside(const void *p, size_t n, const void *lo, size_t lon) {
  const uint8_t *a = (const uint8_t *)p, *l = (const uint8_t *)lo;
  if (!a) return n == 0;
  return a >= l && (size_t)(a - l) <= lon && n <= lon - (size_t)(a - l);
}

/* A failure is reported precisely: same code, a field name, an offset
   not past the end of the input. */
static inline int fz_err_ok(const smbw_error *e, int rc, size_t len) {
  return rc < 0 && e->code == rc && e->field != NULL && e->field[0] != 0 &&
         (size_t)e->offset <= len && smbw_strerror(rc) != NULL &&
         strcmp(smbw_errname(rc), "SMBW_E_UNKNOWN") != 0;
}

static inline uint16_t fz_ld16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t fz_ld32(const uint8_t *p) {
  return (uint32_t)fz_ld16(p) | ((uint32_t)fz_ld16(p + 2) << 16);
}

/* Views equal by content (both absent, or same length and bytes). */
static inline int fz_bytes_eq(smbw_bytes a, smbw_bytes b) {
  if (!a.data || !b.data) return !a.data == !b.data && a.len == b.len;
  return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

static inline int fz_str_eq(const smbw_str *a, const smbw_str *b) {
  if (!a->data || !b->data) return !a->data == !b->data && a->len == b->len;
  return a->len == b->len && a->enc == b->enc && a->unterminated == b->unterminated &&
         a->pad == b->pad && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

/* A little-endian reader over fuzz bytes: returns zeros once exhausted. */
typedef struct fz_rd {
  const uint8_t *p;
  size_t n;
} fz_rd;

static inline uint8_t fz_u8(fz_rd *r) {
  if (!r->n) return 0;
  r->n--;
  return *r->p++;
}
static inline uint16_t fz_u16(fz_rd *r) { return (uint16_t)(fz_u8(r) | (fz_u8(r) << 8)); }
static inline uint32_t fz_u32(fz_rd *r) {
  return (uint32_t)fz_u16(r) | ((uint32_t)fz_u16(r) << 16);
}
static inline uint64_t fz_u64(fz_rd *r) {
  return (uint64_t)fz_u32(r) | ((uint64_t)fz_u32(r) << 32);
}
/* n bytes of the input as a view (fewer if the input runs out). */
static inline smbw_bytes fz_take(fz_rd *r, size_t n) {
  smbw_bytes v;
  if (n > r->n) n = r->n;
  v.data = n ? r->p : NULL;
  v.len = (uint32_t)n;
  r->p += n;
  r->n -= n;
  return v;
}

/* Code point cp as UTF-8 at o (up to 4 bytes); returns the length. */
static inline size_t fz_put_utf8(uint8_t *o, uint32_t cp) {
  if (cp < 0x80) {
    o[0] = (uint8_t)cp;
    return 1;
  }
  size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  static const uint8_t lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
  for (size_t i = n - 1; i > 0; i--, cp >>= 6) o[i] = (uint8_t)(0x80 | (cp & 63));
  o[0] = (uint8_t)(lead[n] | cp);
  return n;
}

#endif
