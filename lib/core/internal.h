/*
 * Internal helpers shared by every layer: little-endian loads and stores
 * over byte pointers (never casts over wire bytes), the error setter, the
 * bounds-checked read cursor for data areas, and the block writer used by
 * the command encoders.  Nothing here is exported.
 */
#ifndef SMBW_INTERNAL_H
#define SMBW_INTERNAL_H

#include <smbwire/smbwire.h>
#include <string.h>

#define SMBW_HIDDEN __attribute__((visibility("hidden")))
#define SMBW_LIKELY(x) __builtin_expect(!!(x), 1)
#define SMBW_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* ---- little-endian loads and stores (compile to single moves) ---- */
static inline uint16_t ld16(const uint8_t *p) {
  return (uint16_t)((unsigned)p[0] | ((unsigned)p[1] << 8));
}
static inline uint32_t ld32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}
static inline uint64_t ld64(const uint8_t *p) {
  return (uint64_t)ld32(p) | ((uint64_t)ld32(p + 4) << 32);
}
static inline void st16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static inline void st32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}
static inline void st64(uint8_t *p, uint64_t v) {
  st32(p, (uint32_t)v);
  st32(p + 4, (uint32_t)(v >> 32));
}

/* Record a failure (first error wins per call: the caller returns at once). */
static inline int smbw_fail(smbw_error *err, int code, uint32_t off, const char *field) {
  if (err) {
    err->code = code;
    err->offset = off;
    err->field = field;
  }
  return code;
}

/* Common prologue of every block decoder. */
#define SMBW_CHECK_BLOCK(b, out, cmd, err)                                      \
  do {                                                                          \
    if (SMBW_UNLIKELY(!(b) || !(out)))                                          \
      return smbw_fail((err), SMBW_E_INVAL, 0, "block");                        \
    if (SMBW_UNLIKELY((b)->command != (cmd)))                                   \
      return smbw_fail((err), SMBW_E_COMMAND, (b)->offset, "Command");          \
  } while (0)

static inline int smbw_block_unicode(const smbw_block *b) {
  return (b->flags2 & SMBW_FLAGS2_UNICODE) != 0;
}

/*
 * Read cursor over a data area.  Invariant: pos <= end <= length of the
 * message at base.  Offsets are from base (the SMB header), which is also
 * what UTF-16 alignment is counted from.
 */
typedef struct smbw_rd {
  const uint8_t *base;
  uint32_t pos;
  uint32_t end;
  smbw_error *err;
} smbw_rd;

static inline void smbw_rd_block_bytes(smbw_rd *r, const smbw_block *b, smbw_error *err) {
  r->base = b->msg;
  r->pos = (uint32_t)(b->bytes - b->msg);
  r->end = r->pos + b->bcc;
  r->err = err;
}

/* Take n bytes as a view; SMBW_E_FIELD_LENGTH if they are not there. */
static inline int smbw_rd_bytes(smbw_rd *r, uint32_t n, smbw_bytes *out, const char *field) {
  if (SMBW_UNLIKELY(n > r->end - r->pos))
    return smbw_fail(r->err, SMBW_E_FIELD_LENGTH, r->pos, field);
  out->data = r->base + r->pos;
  out->len = n;
  r->pos += n;
  return 0;
}

/* A view an encoder may copy into a data area: {NULL, n > 0} is
   SMBW_E_INVAL, more than a ByteCount can hold is SMBW_E_RANGE. */
static inline int smbw_view_check(smbw_bytes v) {
  if (v.len && !v.data) return SMBW_E_INVAL;
  return v.len > 0xFFFF ? SMBW_E_RANGE : 0;
}

/* Check every view an encoder copies; the first bad one fails the builder.
   With each view at most 0xFFFF bytes, no sum of a block's parts can wrap. */
SMBW_HIDDEN int smbw_views_check(smbw_builder *b, const smbw_bytes *v, unsigned n);

/* A block's whole data area as a view. */
static inline smbw_bytes smbw_block_data(const smbw_block *b) {
  smbw_bytes v = {b->bytes, b->bcc};
  return v;
}

/* The rest of the area as a view. */
static inline void smbw_rd_rest(smbw_rd *r, smbw_bytes *out) {
  out->data = r->base + r->pos;
  out->len = r->end - r->pos;
  r->pos = r->end;
}

/*
 * Read one string: absent when the area is exhausted; UTF-16 skips one
 * pad byte to an even offset when aligned is set; ends at its terminator
 * or, unterminated, at the end of the area.  Never fails.
 */
SMBW_HIDDEN void smbw_rd_str(smbw_rd *r, int unicode, int aligned, smbw_str *out);

/* Read a sequence of aligned strings (absent once the area is used up). */
static inline void smbw_rd_strs(smbw_rd *r, int unicode, smbw_str *const *v, unsigned n) {
  for (unsigned i = 0; i < n; i++) smbw_rd_str(r, unicode, 1, v[i]);
}

/* ---- encoding ---- */

/* Bytes a string takes on the wire at offset off (pad + chars + NUL). */
SMBW_HIDDEN int smbw_str_wire_size(const smbw_str *s, int unicode, int aligned,
                                   uint32_t off, uint32_t *size);

/*
 * Bounds-checked writer over a reserved data area.  off tracks the offset
 * from the SMB header for UTF-16 alignment.
 */
typedef struct smbw_wr {
  uint8_t *p;
  uint8_t *end;
  uint32_t off;
} smbw_wr;

static inline void smbw_wr_bytes(smbw_wr *w, const uint8_t *src, uint32_t n) {
  if (SMBW_LIKELY(n <= (size_t)(w->end - w->p))) {
    if (n) memcpy(w->p, src, n);
    w->p += n;
    w->off += n;
  } else {
    w->p = w->end; /* never reached when sizes were computed right */
  }
}
static inline void smbw_wr_zero(smbw_wr *w, uint32_t n) {
  if (SMBW_LIKELY(n <= (size_t)(w->end - w->p))) {
    memset(w->p, 0, n);
    w->p += n;
    w->off += n;
  } else {
    w->p = w->end;
  }
}
SMBW_HIDDEN void smbw_wr_str(smbw_wr *w, const smbw_str *s, int unicode, int aligned);

/* Total wire size of a sequence of aligned strings starting at off; adds
   to *size.  An absent string followed by a present one is written as an
   empty string, so that every string decodes back into its own field.  Returns 0 or SMBW_E_STR_ENCODING / SMBW_E_RANGE. */
SMBW_HIDDEN int smbw_strs_size(const smbw_str *const *v, unsigned n, int unicode,
                               uint32_t off, uint32_t *size);
SMBW_HIDDEN void smbw_wr_strs(smbw_wr *w, const smbw_str *const *v, unsigned n, int unicode);

/*
 * Offset from the SMB header at which the next block's WordCount will be
 * written (after the pad a previous AndX block asked for).
 */
SMBW_HIDDEN uint32_t smbw_block_start(const smbw_builder *b);

/*
 * Reserve a block of wct words and nbytes data bytes (ByteCount written as
 * bcc), link it into the AndX chain, and write WordCount and ByteCount.
 * Returns a writer positioned on the first parameter word, or one with
 * p == NULL when the block does not fit (the builder keeps counting), and
 * sets *bytes to the data area.  Returns -1 on a sticky error.
 */
SMBW_HIDDEN int smbw_block_begin(smbw_builder *b, uint8_t command, uint8_t wct,
                                 uint32_t nbytes, uint16_t bcc, uint8_t **words,
                                 smbw_wr *bytes);

/*
 * smbw_block_begin() for an AndX command: ByteCount is nbytes (its low 16
 * bits), and a block with parameter words gets its AndX header (command
 * 0xFF, a's reserved byte and offset) and asks for a's offset as the next
 * block's position.  *words is NULL while only counting.
 */
SMBW_HIDDEN int smbw_andx_begin(smbw_builder *b, uint8_t command, uint8_t wct, uint32_t nbytes,
                                const smbw_andx *a, uint8_t **words, smbw_wr *bytes);

/* Record an error in the builder (first one wins) and return it. */
SMBW_HIDDEN int smbw_builder_fail(smbw_builder *b, int code);

/* Read the AndX header of a block. */
static inline void smbw_get_andx(const uint8_t *w, smbw_andx *a) {
  a->command = w[0];
  a->reserved = w[1];
  a->offset = ld16(w + 2);
}

#endif
