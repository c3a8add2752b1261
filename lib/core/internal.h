/*
 * Internal helpers shared by every layer: little-endian loads and stores
 * over byte pointers (never casts over wire bytes), the error setter, the
 * bounds-checked read cursor for data areas, and the block writer used by
 * the command encoders.  Nothing here is exported.
 */
#ifndef SMBW_INTERNAL_H
#define SMBW_INTERNAL_H

#include <smbwire/smbwire.h>
#include <stddef.h>
#include <string.h>

#define SMBW_HIDDEN __attribute__((visibility("hidden")))
#define SMBW_LIKELY(x) __builtin_expect(!!(x), 1)
#define SMBW_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define SMBW_NOINLINE __attribute__((noinline))
/* Inline where it pays (the string and item helpers the generated code
   calls per item, the builder's block begin).  Not at -O0 (debug and
   coverage builds): there each is one function, as a debugger and gcov
   expect, and the coverage gate counts its branches once. */
#ifdef __OPTIMIZE__
#define SMBW_INLINE inline __attribute__((always_inline))
#define SMBW_FLATTEN __attribute__((flatten))
#else
#define SMBW_INLINE inline
#define SMBW_FLATTEN
#endif

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

/*
 * Index of the first zero byte of p[0 .. n), or n if there is none: 8 bytes
 * at a time (a byte is zero iff its lane has the borrow bit; only a zero
 * byte starts a borrow, so the lowest flagged lane is the first zero).  The
 * last partial word is the 8 bytes ending at p + n, its already-checked
 * low bytes masked off, so nothing outside p[0 .. n) is ever read.
 */
static SMBW_INLINE uint32_t smbw_find_nul8(const uint8_t *p, uint32_t n) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint32_t i = 0;
  for (; n - i >= 8; i += 8) {
    uint64_t x = ld64(p + i);
    uint64_t t = (x - ones) & ~x & highs;
    if (t) return i + (uint32_t)(__builtin_ctzll(t) >> 3);
  }
  if (i == n) return n;
  if (n >= 8) {
    uint64_t x = ld64(p + n - 8);
    uint64_t t = (x - ones) & ~x & highs & (~0ull << (8u * (8u - (n - i))));
    return t ? n - 8 + (uint32_t)(__builtin_ctzll(t) >> 3) : n;
  }
  for (; i < n; i++)
    if (p[i] == 0) return i;
  return n;
}

/* Index of the first 16-bit zero unit at an even distance from p, or n. */
static SMBW_INLINE uint32_t smbw_find_nul16(const uint8_t *p, uint32_t n) {
  uint32_t i = 0;
  /* 4 units at a time: a unit is zero iff its lane has the borrow bit. */
  while (n - i >= 8) {
    uint64_t x = ld64(p + i);
    uint64_t t = (x - 0x0001000100010001ull) & ~x & 0x8000800080008000ull;
    if (t) {
      /* the lowest flagged lane is the first zero unit (lower lanes had no
         borrow, so cannot have produced a false positive above them) */
      return i + (uint32_t)(__builtin_ctzll(t) >> 4) * 2;
    }
    i += 8;
  }
  if (n - i < 2) return n;
  if (n >= 8) {
    /* The units left (fewer than 4) are the top lanes of a word that
       starts at an even distance below i and ends at or before p + n;
       its lower lanes were checked already. */
    uint32_t k = (8u - (n - i) + 1u) & ~1u; /* bytes below i: 2, 4 or 6 */
    uint64_t x = ld64(p + i - k);
    uint64_t t = (x - 0x0001000100010001ull) & ~x & 0x8000800080008000ull & (~0ull << (8u * k));
    return t ? i - k + (uint32_t)(__builtin_ctzll(t) >> 4) * 2 : n;
  }
  for (; i + 1 < n; i += 2)
    if ((p[i] | p[i + 1]) == 0) return i;
  return n;
}

/*
 * The 32-byte SMB header's fields (MS-CIFS 2.2.3.1), read and written
 * inline so that smbw_msg_decode() and the builder do not call (through the
 * PLT of the shared library) the exported smbw_header_* functions.
 * p[0 .. 32) must be there; the callers check it.  From Flags2 on (wire
 * bytes 10 .. 32) smbw_header has its fields at their wire offsets, in wire
 * order and without padding: on a little-endian host those 22 bytes are
 * copied in one piece rather than field by field.
 */
#define SMBW_MAGIC32 0x424D53FFu /* Protocol 0xFF 'S' 'M' 'B', little-endian */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define SMBW_HEADER_TAIL_COPY 1
_Static_assert(offsetof(smbw_header, flags2) == 10 && offsetof(smbw_header, pid_high) == 12 &&
                   offsetof(smbw_header, signature) == 14 &&
                   offsetof(smbw_header, reserved) == 22 && offsetof(smbw_header, tid) == 24 &&
                   offsetof(smbw_header, pid_low) == 26 && offsetof(smbw_header, uid) == 28 &&
                   offsetof(smbw_header, mid) == 30 && sizeof(smbw_header) == 32,
               "smbw_header's tail matches the wire layout");
#else
#define SMBW_HEADER_TAIL_COPY 0
#endif

static inline void smbw_header_read(const uint8_t *p, smbw_header *h) {
  h->command = p[4];
  h->status = ld32(p + 5);
  h->flags = p[9];
#if SMBW_HEADER_TAIL_COPY
  memcpy((uint8_t *)h + offsetof(smbw_header, flags2), p + 10, 22);
#else
  h->flags2 = ld16(p + 10);
  h->pid_high = ld16(p + 12);
  memcpy(h->signature, p + 14, 8);
  h->reserved = ld16(p + 22);
  h->tid = ld16(p + 24);
  h->pid_low = ld16(p + 26);
  h->uid = ld16(p + 28);
  h->mid = ld16(p + 30);
#endif
}

static inline void smbw_header_write(uint8_t *p, const smbw_header *h) {
  st32(p, SMBW_MAGIC32);
  p[4] = h->command;
  st32(p + 5, h->status);
  p[9] = h->flags;
#if SMBW_HEADER_TAIL_COPY
  memcpy(p + 10, (const uint8_t *)h + offsetof(smbw_header, flags2), 22);
#else
  st16(p + 10, h->flags2);
  st16(p + 12, h->pid_high);
  memcpy(p + 14, h->signature, 8);
  st16(p + 22, h->reserved);
  st16(p + 24, h->tid);
  st16(p + 26, h->pid_low);
  st16(p + 28, h->uid);
  st16(p + 30, h->mid);
#endif
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

/* The header checks of smbw_header_decode(), smbw_msg_decode() and
   smbw_parse_(), in their order: at least 32 bytes, then the magic; on
   success the header is read into h. */
static inline int smbw_header_check(const uint8_t *p, size_t len, smbw_header *h,
                                    smbw_error *err) {
  if (SMBW_UNLIKELY(len < SMBW_HEADER_SIZE))
    return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "Header");
  if (SMBW_UNLIKELY(ld32(p) != SMBW_MAGIC32))
    return smbw_fail(err, SMBW_E_HDR_PROTOCOL, 0, "Protocol");
  smbw_header_read(p, h);
  return 0;
}

/* smbw_fail() out of line, for the cold error paths of the payload
   decoders (find.c, security.c): one call instead of the stores inlined at
   every failure site. */
SMBW_HIDDEN int smbw_fail_cold(smbw_error *err, int code, uint32_t off, const char *field);

/* A view with a length but no data (an argument error). */
static inline int smbw_view_bad(smbw_bytes v) { return v.len && !v.data; }

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
  int strings_done; /* a string was absent: the later ones are too */
} smbw_rd;

static inline void smbw_rd_block_bytes(smbw_rd *r, const smbw_block *b, smbw_error *err) {
  r->base = b->msg;
  r->pos = (uint32_t)(b->bytes - b->msg);
  r->end = r->pos + b->bcc;
  r->err = err;
  r->strings_done = 0;
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

/* smbw_rd_str() inline: what the generated decoders call, one copy per
   string item, so that a string costs no call. */
static SMBW_INLINE void smbw_rd_str_inline(smbw_rd *r, int unicode, int aligned, smbw_str *out) {
  uint32_t pos = r->pos;
  out->unterminated = 0;
  out->pad = 0;
  out->enc = unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM;
  if (r->strings_done) { /* an earlier string was absent */
    out->data = NULL;
    out->len = 0;
    return;
  }
  if (unicode) {
    if (aligned && (pos & 1u) && pos < r->end) {
      /* A lone byte at the end is not a pad before a string: leave it for
         the caller's extra bytes. */
      if (r->end - pos == 1) {
        out->data = NULL;
        out->len = 0;
        r->strings_done = 1;
        return;
      }
      out->pad = r->base[pos++];
    }
  } else {
    out->enc = SMBW_STR_OEM;
  }
  if (pos >= r->end) {
    out->data = NULL;
    out->len = 0;
    r->pos = r->end;
    return;
  }
  const uint8_t *p = r->base + pos;
  uint32_t n = r->end - pos;
  uint32_t len;
  if (unicode) {
    len = smbw_find_nul16(p, n);
  } else {
    len = smbw_find_nul8(p, n);
  }
  out->data = p;
  out->len = len;
  if (len == n) {
    out->unterminated = 1;
    r->pos = r->end;
  } else {
    r->pos = pos + len + (unicode ? 2u : 1u);
  }
}

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

/* memcpy(d, s, n) for the short runs of a string: up to 16 bytes as two
   overlapping loads and stores (the regions do not overlap each other),
   without a call; longer ones through memcpy. */
static SMBW_INLINE void smbw_copy(uint8_t *d, const uint8_t *s, uint32_t n) {
  if (!n) return;
  if (n > 16) {
    memcpy(d, s, n);
  } else if (n >= 8) {
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    memcpy(d, &a, 8);
    memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    memcpy(&a, s, 4);
    memcpy(&b, s + n - 4, 4);
    memcpy(d, &a, 4);
    memcpy(d + n - 4, &b, 4);
  } else {
    const uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}

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

/* smbw_str_wire_size() and smbw_wr_str() inline for a string already in
   the wire encoding (what the generated encoders call, one copy per
   string item); a string to convert, or one that does not fit, takes the
   out-of-line function, which does the same for it. */
static SMBW_INLINE int smbw_str_wire_size_inline(const smbw_str *s, int unicode, int aligned,
                                                 uint32_t off, uint32_t *size) {
  if (!s->data) {
    *size = 0;
    return 0;
  }
  if (SMBW_UNLIKELY(s->enc != (unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM)))
    return smbw_str_wire_size(s, unicode, aligned, off, size);
  const uint32_t pad = (unicode && aligned) ? (off & 1u) : 0u;
  const uint32_t nul = s->unterminated ? 0u : (unicode ? 2u : 1u);
  if (s->len > 0xFFFF) return SMBW_E_RANGE; /* no data area holds more */
  *size = pad + s->len + nul;
  return 0;
}

static SMBW_INLINE void smbw_wr_str_inline(smbw_wr *w, const smbw_str *s, int unicode,
                                           int aligned) {
  if (!s->data) return;
  uint8_t *p = w->p;
  const uint32_t n = s->len;
  const uint32_t pad = (unicode && aligned && (w->off & 1u)) ? 1u : 0u;
  const uint32_t nul = s->unterminated ? 0u : (unicode ? 2u : 1u);
  if (SMBW_UNLIKELY(s->enc != (unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM) ||
                    (size_t)pad + n + nul > (size_t)(w->end - p))) {
    smbw_wr_str(w, s, unicode, aligned);
    return;
  }
  if (pad) *p++ = s->pad;
  smbw_copy(p, s->data, n);
  p += n;
  if (nul) {
    p[0] = 0;
    if (nul == 2) p[1] = 0;
    p += nul;
  }
  w->off += (uint32_t)(p - w->p);
  w->p = p;
}

/* Total wire size of a sequence of aligned strings starting at off; adds
   to *size.  An absent string followed by a present one is written as an
   empty string, so that every string decodes back into its own field.  Returns 0 or SMBW_E_STR_ENCODING / SMBW_E_RANGE. */
SMBW_HIDDEN int smbw_strs_size(const smbw_str *const *v, unsigned n, int unicode,
                               uint32_t off, uint32_t *size);
/* The string to encode in slot i of the sequence v[0..n): an absent one
   that a present one follows becomes "" so that both keep their slots. */
SMBW_HIDDEN const smbw_str *smbw_str_slot(const smbw_str *const *v, unsigned n, unsigned i);
SMBW_HIDDEN void smbw_wr_strs(smbw_wr *w, const smbw_str *const *v, unsigned n, int unicode);

/*
 * Offset from the SMB header at which the next block's WordCount will be
 * written (after the pad a previous AndX block asked for).
 */
static inline uint32_t smbw_block_start(const smbw_builder *b) {
  size_t off = b->pos - b->hdr;
  if (b->want_next > off) off = b->want_next;
  return (uint32_t)off;
}

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
 * The general form of smbw_block_begin(): nwords words follow WordCount (50 for
 * the extended NT_CREATE_ANDX response that says 42), ByteCount is bcc,
 * and with a non-NULL a the block gets its AndX header.
 */
SMBW_HIDDEN int smbw_block_begin_n(smbw_builder *b, uint8_t command, uint8_t wct, uint8_t nwords,
                                   uint32_t nbytes, uint16_t bcc, const smbw_andx *a,
                                   uint8_t **words, smbw_wr *bytes);

/* Record an error in the builder (first one wins) and return it. */
SMBW_HIDDEN int smbw_builder_fail(smbw_builder *b, int code);

/*
 * Whether a command carries an AndX header, without a call: a byte per
 * command code, built at compile time from SMBW_COMMAND_LIST (the list
 * smbw_command_is_andx() reads too).
 */
#define SMBW_ANDX_ENTRY(name, code, andx) [code] = andx,
static inline int smbw_andx_cmd(uint8_t command) {
  static const uint8_t andx[256] = {SMBW_COMMAND_LIST(SMBW_ANDX_ENTRY)};
  return andx[command];
}
#undef SMBW_ANDX_ENTRY

/* Read the AndX header of a block. */
/* Copy n bytes of a struct of ours into the caller's of dst_size bytes
   (doc/abi.md): what it has room for, then zeros for the members its
   header has and ours does not. */
static inline void smbw_put_sized(void *dst, size_t dst_size, const void *src, size_t n) {
  if (SMBW_LIKELY(dst_size == n)) { /* the caller's header is ours: n is often a constant */
    memcpy(dst, src, n);
    return;
  }
  if (dst_size < n) n = dst_size;
  memcpy(dst, src, n);
  if (SMBW_UNLIKELY(dst_size > n)) memset((uint8_t *)dst + n, 0, dst_size - n);
}

/* Copy the caller's struct of `size` bytes into ours of n bytes (an
   encoder's input, doc/abi.md): what it has, then zeros for the members
   ours has and its header does not. */
static inline void smbw_get_sized(void *dst, size_t n, const void *src, size_t size) {
  if (SMBW_LIKELY(size >= n)) {
    memcpy(dst, src, n);
  } else {
    memcpy(dst, src, size);
    memset((uint8_t *)dst + size, 0, n - size);
  }
}

/* The size a struct was first published with: the end of its last member
   then (members added later go after it), whatever its size is now. */
#define SMBW_FIRST_SIZE(T, last) (offsetof(T, last) + sizeof(((T *)0)->last))

static inline void smbw_get_andx(const uint8_t *w, smbw_andx *a) {
  a->command = w[0];
  a->reserved = w[1];
  a->offset = ld16(w + 2);
}

/* Disjoint byte ranges of a reassembler (trans.c): whether [lo, hi) fits
   (0, SMBW_E_TRANS_OVERLAP, SMBW_E_TRANS_FRAGMENTS), and adding it. */
SMBW_HIDDEN int smbw_ranges_check(const smbw_trans_ranges *s, uint32_t lo, uint32_t hi);
SMBW_HIDDEN void smbw_ranges_add(smbw_trans_ranges *s, uint32_t lo, uint32_t hi);

#endif
