/*
 * SMB strings (MS-CIFS 2.2.1.1): OEM NUL-terminated, or UTF-16LE with a
 * 16-bit NUL, aligned to an even offset from the SMB header where the
 * command's layout says so.  Views, size computation, writing, and the
 * conversion helpers of str.h.
 */
#include "internal.h"

/* Out of line for the hand-written decoders (negotiate.c, trans.c,
   find.c); the generated ones inline smbw_rd_str_inline(). */
void smbw_rd_str(smbw_rd *r, int unicode, int aligned, smbw_str *out) {
  smbw_rd_str_inline(r, unicode, aligned, out);
}

/* ---- UTF-8 decoding for encoder input ---- */

/* Decode one code point; returns bytes used, 0 on invalid input. */
static uint32_t utf8_next(const uint8_t *p, uint32_t n, uint32_t *cp) {
  uint8_t c = p[0];
  if (c < 0x80) { *cp = c; return 1; }
  if (c < 0xC2) return 0;
  if (c < 0xE0) {
    if (n < 2 || (p[1] & 0xC0) != 0x80) return 0;
    *cp = ((uint32_t)(c & 0x1F) << 6) | (p[1] & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    if (n < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
    uint32_t v = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3Fu);
    if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return 3;
  }
  if (c < 0xF5) {
    if (n < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
      return 0;
    uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(p[1] & 0x3F) << 12) |
                 ((uint32_t)(p[2] & 0x3F) << 6) | (p[3] & 0x3Fu);
    if (v < 0x10000 || v > 0x10FFFF) return 0;
    *cp = v;
    return 4;
  }
  return 0;
}

/* Size of the characters of s in the wire encoding, without pad or NUL. */
static int str_chars_size(const smbw_str *s, int unicode, uint32_t *size) {
  uint32_t n = s->len, out = 0, i = 0, cp;
  switch (s->enc) {
  case SMBW_STR_UTF16LE:
    if (unicode) { *size = n; return 0; }
    for (i = 0; i + 1 < n; i += 2)
      if (s->data[i + 1] != 0) return SMBW_E_STR_ENCODING;
    if (n & 1u) return SMBW_E_STR_ENCODING;
    *size = n / 2;
    return 0;
  case SMBW_STR_OEM:
    *size = unicode ? 2 * n : n;
    return 0;
  case SMBW_STR_UTF8:
    while (i < n) {
      uint32_t k = utf8_next(s->data + i, n - i, &cp);
      if (!k) return SMBW_E_STR_ENCODING;
      i += k;
      if (unicode) out += cp >= 0x10000 ? 4u : 2u;
      else if (cp < 0x100) out += 1;
      else return SMBW_E_STR_ENCODING;
    }
    *size = out;
    return 0;
  default:
    return SMBW_E_INVAL;
  }
}

/* The size of a string with its characters counted as chars. */
static inline int wire_size_of(const smbw_str *s, uint32_t chars, int unicode, int aligned,
                               uint32_t off, uint32_t *size) {
  uint32_t pad = (unicode && aligned) ? (off & 1u) : 0u;
  uint32_t nul = s->unterminated ? 0u : (unicode ? 2u : 1u);
  if (chars > 0xFFFF) return SMBW_E_RANGE; /* no data area holds more */
  *size = pad + chars + nul;
  return 0;
}

/* Out of line (a tail call): a string to convert to the wire encoding. */
static SMBW_NOINLINE int wire_size_convert(const smbw_str *s, int unicode, int aligned,
                                           uint32_t off, uint32_t *size) {
  uint32_t chars;
  int rc = str_chars_size(s, unicode, &chars);
  if (rc) return rc;
  return wire_size_of(s, chars, unicode, aligned, off, size);
}

int smbw_str_wire_size(const smbw_str *s, int unicode, int aligned, uint32_t off,
                       uint32_t *size) {
  if (!s->data) { *size = 0; return 0; }
  if (SMBW_UNLIKELY(s->enc != (unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM)))
    return wire_size_convert(s, unicode, aligned, off, size);
  return wire_size_of(s, s->len, unicode, aligned, off, size); /* already in the wire encoding */
}

/* The string to write in slot i: an absent one before a present one
   becomes "" (a lone terminator keeps the later strings in their slots). */
const smbw_str *smbw_str_slot(const smbw_str *const *v, unsigned n, unsigned i) {
  static const uint8_t nothing[1] = {0};
  static const smbw_str empty = {nothing, 0, SMBW_STR_OEM, 0, 0};
  if (v[i]->data) return v[i];
  for (unsigned k = i + 1; k < n; k++)
    if (v[k]->data) return &empty;
  return v[i];
}

void smbw_wr_strs(smbw_wr *w, const smbw_str *const *v, unsigned n, int unicode) {
  for (unsigned i = 0; i < n; i++) smbw_wr_str(w, smbw_str_slot(v, n, i), unicode, 1);
}

int smbw_strs_size(const smbw_str *const *v, unsigned n, int unicode, uint32_t off,
                   uint32_t *size) {
  for (unsigned i = 0; i < n; i++) {
    uint32_t k;
    int rc = smbw_str_wire_size(smbw_str_slot(v, n, i), unicode, 1, off + *size, &k);
    if (rc) return rc;
    if (k > 0x10000u || *size > 0x10000u) return SMBW_E_RANGE;
    *size += k;
  }
  return 0;
}

void smbw_wr_str(smbw_wr *w, const smbw_str *s, int unicode, int aligned) {
  if (!s->data) return;
  /* Written through a local pointer, each piece bounds-checked against
     w->end once (not a memcpy call per character); out of room, the
     writer stops at its end, as smbw_wr_bytes() does. */
  uint8_t *p = w->p, *end = w->end;
  uint32_t n = s->len, i = 0, cp;
  uint32_t pad = (unicode && aligned && (w->off & 1u)) ? 1u : 0u;
  uint32_t nul = s->unterminated ? 0u : (unicode ? 2u : 1u);
  if (s->enc == (unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM)) {
    /* Already in the wire encoding: pad, bytes and terminator at once. */
    if ((size_t)pad + n + nul > (size_t)(end - p)) goto full;
    if (pad) *p++ = s->pad;
    if (n) memcpy(p, s->data, n);
    p += n;
  } else {
    if (pad) {
      if (p == end) goto full;
      *p++ = s->pad;
    }
    if (s->enc == SMBW_STR_UTF16LE) { /* to OEM: the low byte of each unit */
      if ((size_t)(n / 2) > (size_t)(end - p)) goto full;
      for (i = 0; i + 1 < n; i += 2) *p++ = s->data[i];
    } else if (s->enc == SMBW_STR_OEM) { /* to UTF-16 */
      if ((size_t)n * 2 > (size_t)(end - p)) goto full;
      for (i = 0; i < n; i++) {
        p[0] = s->data[i];
        p[1] = 0;
        p += 2;
      }
    } else { /* UTF-8, validated by smbw_str_wire_size */
      while (i < n) {
        uint32_t k = utf8_next(s->data + i, n - i, &cp);
        if (!k) break;
        i += k;
        uint32_t need = !unicode ? 1u : cp < 0x10000 ? 2u : 4u;
        if (need > (size_t)(end - p)) goto full;
        if (!unicode) {
          p[0] = (uint8_t)cp;
        } else if (cp < 0x10000) {
          st16(p, (uint16_t)cp);
        } else {
          cp -= 0x10000;
          st16(p, (uint16_t)(0xD800 | (cp >> 10)));
          st16(p + 2, (uint16_t)(0xDC00 | (cp & 0x3FF)));
        }
        p += need;
      }
      if (i < n) { /* invalid input: stop there, as before, without a terminator */
        w->off += (uint32_t)(p - w->p);
        w->p = p;
        return;
      }
    }
    if (nul > (size_t)(end - p)) goto full;
  }
  if (nul) {
    p[0] = 0;
    if (nul == 2) p[1] = 0;
    p += nul;
  }
  w->off += (uint32_t)(p - w->p);
  w->p = p;
  return;
full:
  w->p = end; /* never reached when sizes were computed right */
}

/* ---- public helpers ---- */

SMBW_API smbw_str smbw_str_utf8(const char *s) {
  smbw_str r;
  r.data = (const uint8_t *)s;
  r.len = s ? (uint32_t)strlen(s) : 0;
  r.enc = SMBW_STR_UTF8;
  r.unterminated = 0;
  r.pad = 0;
  return r;
}

/* Next code point of a view at *i; invalid input yields U+FFFD. */
static uint32_t view_next_cp(const smbw_str *s, uint32_t *i) {
  const uint8_t *p = s->data + *i;
  uint32_t left = s->len - *i, cp;
  if (s->enc == SMBW_STR_UTF16LE) {
    if (left < 2) {
      /* A lone trailing byte: half a terminator if zero (Windows ends some
         odd-length areas so), else a broken character. */
      *i = s->len;
      return p[0] == 0 ? 0 : 0xFFFD;
    }
    uint32_t u = ld16(p);
    *i += 2;
    if (u >= 0xD800 && u <= 0xDBFF && left >= 4) {
      uint32_t l = ld16(p + 2);
      if (l >= 0xDC00 && l <= 0xDFFF) {
        *i += 2;
        return 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00);
      }
    }
    return (u >= 0xD800 && u <= 0xDFFF) ? 0xFFFD : u;
  }
  if (s->enc == SMBW_STR_UTF8) {
    uint32_t k = utf8_next(p, left, &cp);
    *i += k ? k : 1;
    return k ? cp : 0xFFFD;
  }
  *i += 1;
  return p[0];
}

static size_t utf8_encode(uint32_t cp, char b[4]) {
  if (cp < 0x80) { b[0] = (char)cp; return 1; }
  if (cp < 0x800) {
    b[0] = (char)(0xC0 | (cp >> 6)); b[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    b[0] = (char)(0xE0 | (cp >> 12)); b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  b[0] = (char)(0xF0 | (cp >> 18)); b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  b[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); b[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

SMBW_API int smbw_str_to_utf8(const smbw_str *s, char *dst, size_t cap, size_t *need) {
  size_t pos = 0, total = 0;
  int full = 0;
  char b[4];
  if (!s || (!dst && cap)) return SMBW_E_INVAL;
  if (s->data) {
    uint32_t i = 0;
    while (i < s->len) {
      uint32_t cp = view_next_cp(s, &i);
      if (cp == 0 && i == s->len && s->enc == SMBW_STR_UTF16LE && (s->len & 1u)) break;
      size_t k = utf8_encode(cp, b);
      total += k;
      if (!full && pos + k < cap) {
        memcpy(dst + pos, b, k);
        pos += k;
      } else {
        full = 1; /* stop at a character boundary, keep counting */
      }
    }
  }
  if (cap) dst[pos] = '\0';
  if (need) *need = total;
  return (cap == 0 || full) && total + 1 > cap ? SMBW_E_NOSPACE : 0;
}

SMBW_API int smbw_str_eq(const smbw_str *s, const char *utf8) {
  if (!s || !utf8) return 0;
  size_t n = strlen(utf8), j = 0;
  uint32_t i = 0;
  char b[4];
  if (!s->data) return n == 0;
  while (i < s->len) {
    uint32_t cp = view_next_cp(s, &i);
    if (cp == 0 && i == s->len && s->enc == SMBW_STR_UTF16LE && (s->len & 1u)) break;
    size_t k = utf8_encode(cp, b);
    if (k > n - j || memcmp(utf8 + j, b, k) != 0) return 0;
    j += k;
  }
  return j == n;
}

SMBW_API int smbw_utf8_to_utf16le(const char *utf8, size_t len, uint8_t *dst, size_t cap,
                                  size_t *need) {
  if ((!utf8 && len) || (!dst && cap) || len > UINT32_MAX - 8) return SMBW_E_INVAL;
  smbw_str s = {(const uint8_t *)utf8, (uint32_t)len, SMBW_STR_UTF8, 1, 0};
  uint32_t size;
  int rc = smbw_str_wire_size(&s, 1, 0, 0, &size);
  if (rc) return rc;
  if (need) *need = size;
  if (size > cap) return SMBW_E_NOSPACE;
  if (size == 0) return 0; /* dst may be NULL: no pointer arithmetic on it */
  smbw_wr w = {dst, dst + size, 0};
  smbw_wr_str(&w, &s, 1, 0);
  return 0;
}
