/*
 * Check suite 'strings': the wire strings of lib/core/str.c
 * (include/smbwire/str.h): UTF-16LE with lone and reversed surrogates,
 * odd lengths and OEM bytes converted to UTF-8, every output capacity,
 * and UTF-8 to UTF-16LE.  (Until the tests followed lib/'s folders these
 * were the "strings" TCase of test_commands.)
 */
#include <check.h>
#include <smbwire/smbwire.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_helpers.h"
#include "guard.h"

#define OEM SMBW_STR_OEM
#define U16 SMBW_STR_UTF16LE

static smbw_str view(const void *p, uint32_t n, int enc) {
  smbw_str s;
  memset(&s, 0, sizeof s);
  s.data = p;
  s.len = n;
  s.enc = (uint8_t)enc;
  s.unterminated = 0;
  return s;
}

static void conv_is(const smbw_str *s, const char *want) {
  char buf[256];
  size_t need = 999;
  ck_assert_int_eq(smbw_str_to_utf8(s, buf, sizeof buf, &need), 0);
  ck_assert_uint_eq(need, strlen(want));
  ck_assert_msg(strcmp(buf, want) == 0, "got %zu bytes, want %zu", strlen(buf), strlen(want));
  ck_assert(smbw_str_eq(s, want));
}

#define FFFD "\xEF\xBF\xBD"

START_TEST(test_str_surrogates) {
  static const uint8_t lone_hi[] = {0x41, 0, 0x3D, 0xD8};              /* A, D83D */
  static const uint8_t hi_then_a[] = {0x3D, 0xD8, 0x41, 0};            /* D83D, A */
  static const uint8_t lone_lo[] = {0x00, 0xDE, 0x42, 0};              /* DE00, B */
  static const uint8_t reversed[] = {0x00, 0xDE, 0x3D, 0xD8};          /* DE00, D83D */
  static const uint8_t hi_hi_lo[] = {0x3D, 0xD8, 0x3D, 0xD8, 0x00, 0xDE}; /* D83D D83D DE00 */
  static const uint8_t pair[] = {0x3D, 0xD8, 0x00, 0xDE};              /* U+1F600 */
  static const uint8_t bmp[] = {0xFF, 0xFF, 0xAC, 0x20, 0xE9, 0x00};    /* FFFF € é */
  smbw_str s;
  s = view(lone_hi, 4, U16);
  conv_is(&s, "A" FFFD);
  s = view(hi_then_a, 4, U16);
  conv_is(&s, FFFD "A");
  s = view(lone_lo, 4, U16);
  conv_is(&s, FFFD "B");
  s = view(reversed, 4, U16);
  conv_is(&s, FFFD FFFD);
  s = view(hi_hi_lo, 6, U16);
  conv_is(&s, FFFD "\xF0\x9F\x98\x80");
  s = view(pair, 4, U16);
  conv_is(&s, "\xF0\x9F\x98\x80");
  s = view(bmp, 6, U16);
  conv_is(&s, "\xEF\xBF\xBF\xE2\x82\xAC\xC3\xA9");
  /* a high surrogate cut by the end of the view */
  s = view(pair, 2, U16);
  conv_is(&s, FFFD);
  ck_assert(!smbw_str_eq(&s, "\xF0\x9F\x98\x80"));
}
END_TEST

START_TEST(test_str_odd_and_oem) {
  static const uint8_t odd[] = {0x41, 0x00, 0x42};
  smbw_str s = view(odd, 3, U16);
  conv_is(&s, "A" FFFD);
  s = view(odd, 1, U16);
  conv_is(&s, FFFD);
  /* an odd trailing zero byte is half a terminator: dropped */
  static const uint8_t oddz[] = {0x41, 0x00, 0x00};
  s = view(oddz, 3, U16);
  conv_is(&s, "A");
  s = view(oddz + 2, 1, U16);
  conv_is(&s, "");
  /* OEM bytes >= 0x80 are ISO-8859-1 */
  static const uint8_t oem[] = {'M', 0xFC, 'n', 0x80, 0xA0, 0xFF, 0xE9};
  s = view(oem, sizeof oem, OEM);
  conv_is(&s, "M\xC3\xBCn\xC2\x80\xC2\xA0\xC3\xBF\xC3\xA9");
  /* absent and empty */
  smbw_str absent = view(NULL, 0, U16);
  char buf[8] = "xxxxxxx";
  size_t need = 9;
  ck_assert_int_eq(smbw_str_to_utf8(&absent, buf, sizeof buf, &need), 0);
  ck_assert_str_eq(buf, "");
  ck_assert_uint_eq(need, 0);
  ck_assert(smbw_str_eq(&absent, ""));
  ck_assert(!smbw_str_eq(&absent, "a"));
  smbw_str empty = view(oem, 0, OEM);
  ck_assert(smbw_str_eq(&empty, ""));
  /* equality is exact: prefixes, case */
  s = view("abc", 3, OEM);
  ck_assert(smbw_str_eq(&s, "abc"));
  ck_assert(!smbw_str_eq(&s, "ab"));
  ck_assert(!smbw_str_eq(&s, "abcd"));
  ck_assert(!smbw_str_eq(&s, "ABC"));
  ck_assert(!smbw_str_eq(NULL, "abc"));
  ck_assert(!smbw_str_eq(&s, NULL));
  /* UTF-8 views: valid passes through, invalid bytes are U+FFFD */
  s = smbw_str_utf8("J\xC3\xBCrgen");
  conv_is(&s, "J\xC3\xBCrgen");
  s = view("a\xC3", 2, SMBW_STR_UTF8);
  conv_is(&s, "a" FFFD);
  s = smbw_str_utf8(NULL);
  ck_assert_ptr_null(s.data);
  conv_is(&s, "");
  /* arguments */
  s = view("abc", 3, OEM);
  ck_assert_int_eq(smbw_str_to_utf8(NULL, buf, sizeof buf, &need), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_str_to_utf8(&s, NULL, 4, &need), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_str_to_utf8(&s, NULL, 0, &need), SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, 3);
}
END_TEST

/* Every cap: never splits a sequence, always terminated, exact need. */
static void every_cap(const smbw_str *s, const char *want) {
  const size_t wl = strlen(want);
  /* character boundaries of want */
  size_t bound[64], nb = 0;
  for (size_t i = 0; i <= wl; i++)
    if (i == wl || ((unsigned char)want[i] & 0xC0) != 0x80) bound[nb++] = i;
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, wl + 8), 0);
  for (size_t cap = 0; cap <= wl + 2; cap++) {
    char *dst = (char *)(g.base + g.size - cap); /* a write past cap faults */
    memset(dst, 0x7F, cap);
    size_t need = 12345;
    int rc = smbw_str_to_utf8(s, cap ? dst : NULL, cap, &need);
    ck_assert_uint_eq(need, wl);
    ck_assert_int_eq(rc, cap >= wl + 1 ? 0 : SMBW_E_NOSPACE);
    if (!cap) continue;
    size_t got = strnlen(dst, cap);
    ck_assert_msg(got < cap, "cap %zu: not terminated", cap);
    /* the longest whole-character prefix that fits */
    size_t fit = 0;
    for (size_t k = 0; k < nb; k++)
      if (bound[k] <= cap - 1) fit = bound[k];
    ck_assert_msg(got == fit, "cap %zu: wrote %zu bytes, want %zu", cap, got, fit);
    ck_assert_int_eq(memcmp(dst, want, got), 0);
  }
  guard_free(&g);
}

START_TEST(test_str_truncation) {
  /* a, é (2), € (3), 😀 (4), b, 𐐷 (4), z */
  static const char want[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" "b\xF0\x90\x90\xB7z";
  static const uint8_t u16[] = {'a', 0, 0xE9, 0, 0xAC, 0x20, 0x3D, 0xD8, 0x00, 0xDE,
                                'b', 0, 0x01, 0xD8, 0x37, 0xDC, 'z', 0};
  smbw_str s = view(u16, sizeof u16, U16);
  every_cap(&s, want);
  s = smbw_str_utf8(want);
  every_cap(&s, want);
  static const uint8_t oem[] = {'a', 0xE9, 0xFC, 'b', 0xFF};
  s = view(oem, sizeof oem, OEM);
  every_cap(&s, "a\xC3\xA9\xC3\xBC" "b\xC3\xBF");
  /* with replacement characters */
  static const uint8_t bad16[] = {'x', 0, 0x00, 0xDC, 'y', 0, 0x3D};
  s = view(bad16, sizeof bad16, U16);
  every_cap(&s, "x" FFFD "y" FFFD);
}
END_TEST

START_TEST(test_utf8_to_utf16le) {
  static const char txt[] = "J\xC3\xBCrgen \xF0\x9F\x90\xA7";
  static const uint8_t want[] = {'J', 0, 0xFC, 0, 'r', 0, 'g', 0, 'e', 0, 'n', 0, ' ', 0,
                                 0x3D, 0xD8, 0x27, 0xDC};
  uint8_t out[64];
  size_t need = 0;
  ck_assert_int_eq(smbw_utf8_to_utf16le(txt, strlen(txt), out, sizeof out, &need), 0);
  ck_assert_uint_eq(need, sizeof want);
  ck_assert_int_eq(memcmp(out, want, sizeof want), 0);
  /* and back */
  smbw_str s = view(out, (uint32_t)need, U16);
  conv_is(&s, txt);
  /* every short cap: NOSPACE, exact need, nothing written past cap */
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 64), 0);
  for (size_t cap = 0; cap < sizeof want; cap++) {
    uint8_t *o = g.base + g.size - cap;
    need = 0;
    ck_assert_int_eq(smbw_utf8_to_utf16le(txt, strlen(txt), cap ? o : NULL, cap, &need),
                     SMBW_E_NOSPACE);
    ck_assert_uint_eq(need, sizeof want);
  }
  uint8_t *o = g.base + g.size - sizeof want;
  ck_assert_int_eq(smbw_utf8_to_utf16le(txt, strlen(txt), o, sizeof want, NULL), 0);
  ck_assert_int_eq(memcmp(o, want, sizeof want), 0);
  /* not NUL-terminated input: only len bytes are read */
  o = g.base + g.size - 2;
  ck_assert_int_eq(smbw_utf8_to_utf16le("ABC", 1, o, 2, &need), 0);
  ck_assert_uint_eq(need, 2);
  ck_assert_uint_eq(o[0], 'A');
  guard_free(&g);
  /* empty, invalid, arguments */
  ck_assert_int_eq(smbw_utf8_to_utf16le("", 0, NULL, 0, &need), 0);
  ck_assert_uint_eq(need, 0);
  ck_assert_int_eq(smbw_utf8_to_utf16le(NULL, 0, NULL, 0, &need), 0);
  ck_assert_int_eq(smbw_utf8_to_utf16le("a\xC3", 2, out, sizeof out, &need), SMBW_E_STR_ENCODING);
  ck_assert_int_eq(smbw_utf8_to_utf16le("\xED\xA0\x80", 3, out, sizeof out, &need),
                   SMBW_E_STR_ENCODING);
  ck_assert_int_eq(smbw_utf8_to_utf16le("\xC0\x80", 2, out, sizeof out, &need), SMBW_E_STR_ENCODING);
  ck_assert_int_eq(smbw_utf8_to_utf16le(NULL, 3, out, sizeof out, &need), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_utf8_to_utf16le("abc", 3, NULL, 8, &need), SMBW_E_INVAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("strings");
  add_tcase(s, "strings", 0, TESTS(test_str_surrogates, test_str_odd_and_oem, test_str_truncation,
                                   test_utf8_to_utf16le));
  return run_suite(s);
}
