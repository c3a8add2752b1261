/*
 * libFuzzer target: string views and conversions (smbw_str_to_utf8 with
 * every cap, smbw_str_eq, smbw_utf8_to_utf16le).  Byte 0: bits 0-1 pick
 * the view's encoding (0 OEM, 1 and 3 UTF-16LE, 2 UTF-8), bit 2 marks it
 * unterminated, bit 3 makes an empty input an absent (NULL) view; the
 * rest is the string's bytes, placed against a guard page.
 *
 * Security model asserted:
 *  - smbw_str_to_utf8 never writes past cap (guard page after, canary
 *    before), always NUL-terminates when cap > 0, reports the same need
 *    for every cap (every cap up to 96 bytes of text, a sample beyond;
 *    and with a NULL buffer), fails with NOSPACE exactly
 *    when cap < need + 1, and writes the longest prefix of the full text
 *    that fits, ending at a character boundary;
 *  - the full text equals an independent reference conversion (OEM as
 *    ISO-8859-1; UTF-16 with U+FFFD for unpaired surrogates and for an
 *    odd non-zero trailing byte, an odd zero byte dropped; UTF-8 with
 *    U+FFFD per invalid byte) and is valid UTF-8;
 *  - smbw_str_eq matches the full text exactly when it holds no NUL;
 *  - smbw_utf8_to_utf16le accepts exactly the valid UTF-8 inputs, reports
 *    the same need for every cap, fails with NOSPACE exactly when
 *    cap < need, never writes past cap nor past need, and converts back
 *    to the input bytes.
 */
#include "fuzz_common.h"

static char ref[4 * FZ_MAX + 8];
static char full[4 * FZ_MAX + 8];
static uint8_t u16[4 * FZ_MAX + 8];

static size_t put8(char *o, uint32_t cp) { return fz_put_utf8((uint8_t *)o, cp); }

/* Length of the valid UTF-8 sequence at p (RFC 3629), 0 if invalid. */
static size_t utf8_valid_at(const uint8_t *p, size_t n, uint32_t *cp) {
  uint8_t c = p[0];
  size_t k;
  uint32_t v, min;
  if (c < 0x80) { *cp = c; return 1; }
  if (c >= 0xC2 && c <= 0xDF) { k = 2; v = c & 0x1Fu; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { k = 3; v = c & 0x0Fu; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { k = 4; v = c & 0x07u; min = 0x10000; }
  else return 0;
  if (n < k) return 0;
  for (size_t i = 1; i < k; i++) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    v = v << 6 | (p[i] & 0x3Fu);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return k;
}

/* Reference conversion; returns the length. */
static size_t ref_convert(const smbw_str *s) {
  size_t o = 0;
  const uint8_t *p = s->data;
  uint32_t n = s->data ? s->len : 0, cp;
  if (s->enc == SMBW_STR_OEM) {
    for (uint32_t i = 0; i < n; i++) o += put8(ref + o, p[i]);
  } else if (s->enc == SMBW_STR_UTF16LE) {
    uint32_t i = 0;
    while (i + 1 < n) {
      uint32_t u = fz_ld16(p + i);
      i += 2;
      if (u >= 0xD800 && u <= 0xDBFF && i + 1 < n) {
        uint32_t l = fz_ld16(p + i);
        if (l >= 0xDC00 && l <= 0xDFFF) {
          o += put8(ref + o, 0x10000 + ((u - 0xD800) << 10) + (l - 0xDC00));
          i += 2;
          continue;
        }
      }
      o += put8(ref + o, (u >= 0xD800 && u <= 0xDFFF) ? 0xFFFD : u);
    }
    if (i < n && p[i] != 0) o += put8(ref + o, 0xFFFD);
  } else {
    uint32_t i = 0;
    while (i < n) {
      size_t k = utf8_valid_at(p + i, n - i, &cp);
      if (k) { memcpy(ref + o, p + i, k); o += k; i += (uint32_t)k; }
      else { o += put8(ref + o, 0xFFFD); i++; }
    }
  }
  return o;
}

/* Length of the longest prefix of full[0..need) ending at a character
   boundary and shorter than cap. */
static size_t fit(const char *t, size_t need, size_t cap) {
  if (cap == 0) return 0;
  size_t l = need < cap - 1 ? need : cap - 1;
  while (l > 0 && l < need && ((uint8_t)t[l] & 0xC0) == 0x80) l--;
  return l;
}

static int valid_utf8(const char *t, size_t n) {
  uint32_t cp;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_valid_at((const uint8_t *)t + i, n - i, &cp);
    if (!k) return 0;
    i += k;
  }
  return 1;
}

static void try_cap_utf8(const smbw_str *s, size_t need, size_t cap) {
  char *o = (char *)fz_out(1, cap);
  size_t need2 = 12345;
  int rc = smbw_str_to_utf8(s, cap ? o : NULL, cap, &need2);
  CHECK(fz_canary_ok(1, cap));
  CHECK(need2 == need);
  CHECK(rc == (cap < need + 1 ? SMBW_E_NOSPACE : 0));
  if (!cap) return;
  size_t l = fit(full, need, cap);
  CHECK(memcmp(o, full, l) == 0 && o[l] == 0);
}

static void try_cap_utf16(const uint8_t *in, size_t n, size_t need, size_t cap) {
  uint8_t *o = fz_out(2, cap);
  size_t need2 = 12345;
  int rc = smbw_utf8_to_utf16le((const char *)in, n, cap ? o : NULL, cap, &need2);
  CHECK(fz_canary_ok(2, cap));
  CHECK(need2 == need);
  CHECK(rc == (cap < need ? SMBW_E_NOSPACE : 0));
  if (rc == 0) {
    CHECK(memcmp(o, u16, need) == 0);
    for (size_t k = need; k < cap; k++) CHECK(o[k] == 0xA5);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > 65536) return 0;
  size_t n = size - 1;
  const uint8_t *in = fz_place(0, data + 1, n);
  smbw_str s;
  static const uint8_t encs[4] = {SMBW_STR_OEM, SMBW_STR_UTF16LE, SMBW_STR_UTF8,
                                  SMBW_STR_UTF16LE};
  s.enc = encs[data[0] & 3];
  s.unterminated = (data[0] >> 2) & 1;
  s.pad = 0;
  s.data = (n == 0 && (data[0] & 8)) ? NULL : in;
  s.len = (uint32_t)n;
  if (!s.data) s.len = 0;

  /* Full conversion against the reference. */
  size_t need = 0, rl = ref_convert(&s);
  CHECK(smbw_str_to_utf8(&s, NULL, 0, &need) == SMBW_E_NOSPACE);
  CHECK(need == rl && need + 1 <= sizeof full);
  CHECK(smbw_str_to_utf8(&s, full, need + 1, NULL) == 0);
  CHECK(full[need] == 0 && memcmp(full, ref, need) == 0 && valid_utf8(full, need));

  /* Every cap (sampled beyond 96: the short texts cover every boundary
     case; long ones keep the fuzzer fast). */
  if (need < 96) {
    for (size_t cap = 0; cap <= need + 1; cap++) try_cap_utf8(&s, need, cap);
  } else {
    for (size_t cap = 0; cap < 8; cap++) try_cap_utf8(&s, need, cap);
    for (size_t cap = need - 8; cap <= need + 1; cap++) try_cap_utf8(&s, need, cap);
    for (size_t k = 0; k < 32; k++) try_cap_utf8(&s, need, (k * 7919 + data[0]) % need);
  }

  /* Equality with the full text, and with near misses. */
  int has_nul = strlen(full) != need;
  CHECK(smbw_str_eq(&s, full) == !has_nul);
  if (!has_nul && need > 0) {
    char keep = full[need - 1];
    full[need - 1] = 0;
    CHECK(smbw_str_eq(&s, full) == 0);
    full[need - 1] = keep;
  }
  if (!has_nul) {
    full[need] = 'x';
    full[need + 1] = 0;
    CHECK(smbw_str_eq(&s, full) == 0);
  }
  CHECK(smbw_str_eq(&s, NULL) == 0 && smbw_str_eq(NULL, "") == 0);

  /* UTF-8 to UTF-16LE over the same bytes. */
  uint32_t cp;
  int valid = 1;
  size_t want = 0;
  for (size_t i = 0; i < n;) {
    size_t k = utf8_valid_at(in + i, n - i, &cp);
    if (!k) { valid = 0; break; }
    want += cp >= 0x10000 ? 4 : 2;
    i += k;
  }
  size_t need16 = 0;
  int rc = smbw_utf8_to_utf16le((const char *)in, n, u16, sizeof u16, &need16);
  if (!valid) {
    CHECK(rc == SMBW_E_STR_ENCODING);
    uint8_t *o = fz_out(2, 16);
    CHECK(smbw_utf8_to_utf16le((const char *)in, n, o, 16, NULL) == SMBW_E_STR_ENCODING);
    CHECK(fz_canary_ok(2, 16));
    return 0;
  }
  CHECK(rc == 0 && need16 == want);
  if (need16 < 96) {
    for (size_t cap = 0; cap <= need16 + 2; cap++) try_cap_utf16(in, n, need16, cap);
  } else {
    for (size_t cap = need16 - 3; cap <= need16 + 2; cap++) try_cap_utf16(in, n, need16, cap);
    for (size_t k = 0; k < 16; k++) try_cap_utf16(in, n, need16, (k * 7919 + data[0]) % need16);
  }
  /* And back: the UTF-16 view converts to the original bytes. */
  smbw_str v = {u16, (uint32_t)need16, SMBW_STR_UTF16LE, 0, 0};
  size_t back = 0;
  CHECK(smbw_str_to_utf8(&v, full, sizeof full, &back) == 0);
  CHECK(back == n && (n == 0 || memcmp(full, in, n) == 0));
  return 0;
}
