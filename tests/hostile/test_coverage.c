/*
 * test_coverage.c - the corners of lib/ that the golden, unit, hostile and
 * fuzz-replay suites do not reach, found in gcovr's per-file report
 * (tests/hostile/coverage.sh): argument checks of every public function,
 * every encoder's refusals (invalid and oversized views, sums past 0xFFFF,
 * unknown forms, sticky builder errors), every string conversion path
 * (OEM, UTF-16 and UTF-8 into OEM and UTF-16 slots, every class of invalid
 * UTF-8, surrogates), the builder's range checks, and the NBSS name and
 * scope corners.  Each test states documented behaviour, not lines.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>
#include "../check_helpers.h"

/* ---- helpers ---------------------------------------------------------- */

static smbw_header hdr(int rsp, int uni) {
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.flags = (uint8_t)(0x18 | (rsp ? 0x80 : 0));
  h.flags2 = (uint16_t)(0x4803 | (uni ? 0x8000 : 0));
  h.mid = 7;
  return h;
}

static uint8_t out[1 << 17];

/* Decode the first block of out[0..len). */
static void first_block(size_t len, smbw_block *b) {
  smbw_msg m;
  smbw_andx_iter it;
  ck_assert_int_eq(smbw_msg_decode(out, len, &m, NULL), 0);
  smbw_andx_iter_init(&it, &m);
  ck_assert_int_eq(smbw_andx_iter_next(&it, b, NULL), 1);
}

static smbw_str oem(const char *s) {
  smbw_str v = {(const uint8_t *)s, (uint32_t)strlen(s), SMBW_STR_OEM, 0, 0};
  return v;
}
static smbw_str u16(const uint8_t *p, uint32_t n) {
  smbw_str v = {p, n, SMBW_STR_UTF16LE, 0, 0};
  return v;
}

static void text_is(const smbw_str *s, const char *want) {
  char t[512];
  ck_assert_int_eq(smbw_str_to_utf8(s, t, sizeof t, NULL), 0);
  ck_assert_str_eq(t, want);
}

/* ---- errors and versions ------------------------------------------------ */

START_TEST(error_names) {
#define X(name, value, text)                                            \
  ck_assert_str_eq(smbw_strerror(value), text);                         \
  ck_assert_str_eq(smbw_errname(value), "SMBW_E_" #name);
  SMBW_ERROR_LIST(X)
#undef X
  ck_assert_str_eq(smbw_strerror(-1000), "unknown error");
  ck_assert_str_eq(smbw_errname(12345), "SMBW_E_UNKNOWN");
  ck_assert_uint_eq(smbw_version(), SMBW_VERSION_NUMBER);
  ck_assert_str_eq(smbw_version_string(), SMBW_VERSION_STRING);
}
END_TEST

/* ---- strings ------------------------------------------------------------ */

START_TEST(str_conversions) {
  char t[64];
  size_t need;
  /* Absent views, NULL arguments. */
  smbw_str a = smbw_str_utf8(NULL);
  ck_assert(a.data == NULL && a.len == 0 && a.enc == SMBW_STR_UTF8);
  ck_assert_int_eq(smbw_str_to_utf8(&a, t, sizeof t, &need), 0);
  ck_assert(t[0] == 0 && need == 0);
  ck_assert_int_eq(smbw_str_to_utf8(NULL, t, sizeof t, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_str_to_utf8(&a, NULL, 4, NULL), SMBW_E_INVAL);
  ck_assert(smbw_str_eq(&a, "") == 1 && smbw_str_eq(&a, "x") == 0);
  /* UTF-16: a surrogate pair, a high surrogate before a non-surrogate, a
     high surrogate at the end, a lone low surrogate, an odd zero tail. */
  static const uint8_t pair[] = {0x3D, 0xD8, 0x00, 0xDE}; /* U+1F600 */
  smbw_str s = u16(pair, 4);
  text_is(&s, "\xf0\x9f\x98\x80");
  ck_assert(smbw_str_eq(&s, "\xf0\x9f\x98\x80"));
  static const uint8_t hi_a[] = {0x3D, 0xD8, 'A', 0};
  s = u16(hi_a, 4);
  text_is(&s, "\xef\xbf\xbd" "A");
  s = u16(hi_a, 2);
  text_is(&s, "\xef\xbf\xbd");
  static const uint8_t lo[] = {0x00, 0xDC};
  s = u16(lo, 2);
  text_is(&s, "\xef\xbf\xbd");
  static const uint8_t odd0[] = {'A', 0, 0};
  s = u16(odd0, 3);
  text_is(&s, "A");
  ck_assert(smbw_str_eq(&s, "A") && !smbw_str_eq(&s, "AB") && !smbw_str_eq(&s, ""));
  static const uint8_t oddx[] = {'A', 0, 'B'};
  s = u16(oddx, 3);
  text_is(&s, "A\xef\xbf\xbd");
  /* Two- and three-byte UTF-8 output, OEM Latin-1. */
  static const uint8_t wide[] = {0xE9, 0x00, 0xAC, 0x20}; /* é € */
  s = u16(wide, 4);
  text_is(&s, "\xc3\xa9\xe2\x82\xac");
  smbw_str o = oem("caf\xe9");
  text_is(&o, "caf\xc3\xa9");
  /* UTF-8 views: valid text passes through, every invalid byte is U+FFFD. */
  static const char *const bad[] = {
      "\x80",             /* lone continuation */
      "\xc1\xbf",         /* overlong 2-byte lead */
      "\xc3",             /* truncated 2-byte */
      "\xc3\x28",         /* bad continuation */
      "\xe0\x80\x80",     /* overlong 3-byte */
      "\xed\xa0\x80",     /* surrogate */
      "\xe2\x82",         /* truncated 3-byte */
      "\xe2\x28\xa1",     /* bad continuation */
      "\xf0\x80\x80\x80", /* overlong 4-byte */
      "\xf4\x90\x80\x80", /* past U+10FFFF */
      "\xf0\x9f\x98",     /* truncated 4-byte */
      "\xf0\x9f\x28\x80", /* bad continuation */
      "\xf5\x80\x80\x80", /* invalid lead */
      "\xff",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    smbw_str v = smbw_str_utf8(bad[i]);
    ck_assert_int_eq(smbw_str_to_utf8(&v, t, sizeof t, &need), 0);
    ck_assert(need >= 3 && strncmp(t, "\xef\xbf\xbd", 3) == 0);
    uint8_t w[16];
    ck_assert_int_eq(smbw_utf8_to_utf16le(bad[i], strlen(bad[i]), w, sizeof w, &need),
                     SMBW_E_STR_ENCODING);
  }
  static const char good[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";
  smbw_str g = smbw_str_utf8(good);
  text_is(&g, good);
  ck_assert(smbw_str_eq(&g, good));
  uint8_t w[32];
  ck_assert_int_eq(smbw_utf8_to_utf16le(good, strlen(good), w, sizeof w, &need), 0);
  ck_assert_uint_eq(need, 2 + 2 + 2 + 4);
  ck_assert_int_eq(smbw_utf8_to_utf16le(good, strlen(good), w, 9, &need), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_utf8_to_utf16le(NULL, 3, w, sizeof w, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_utf8_to_utf16le("a", 1, NULL, 4, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_utf8_to_utf16le("a", (size_t)UINT32_MAX, w, sizeof w, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_utf8_to_utf16le("a", 1, w, 2, NULL), 0);
  ck_assert(w[0] == 'a' && w[1] == 0);
  /* Truncation keeps whole characters and the terminator. */
  ck_assert_int_eq(smbw_str_to_utf8(&g, t, 4, &need), SMBW_E_NOSPACE);
  ck_assert_str_eq(t, "a\xc3\xa9");
  ck_assert_int_eq(smbw_str_to_utf8(&g, NULL, 0, &need), SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, strlen(good));
  /* An unknown encoding value is read as bytes. */
  smbw_str x = {(const uint8_t *)"ok", 2, 9, 0, 0};
  text_is(&x, "ok");
}
END_TEST

/* Every string encoding into every slot of every encoder that writes
   strings, Unicode and not; decoded back, the text is the same. */
START_TEST(str_encodings_through_encoders) {
  static const uint8_t u16_ab[] = {'A', 0, 'b', 0};
  static const uint8_t u16_euro[] = {0xAC, 0x20};
  for (int uni = 0; uni < 2; uni++)
    for (int enc = 0; enc < 3; enc++) {
      smbw_str s;
      const char *want = "Ab";
      if (enc == 0) s = oem("Ab");
      else if (enc == 1) s = u16(u16_ab, 4);
      else s = smbw_str_utf8("Ab");
      smbw_header h = hdr(0, uni);
      smbw_builder bld;
      size_t len;
      smbw_block b;
      /* session setup request: 4 strings */
      smbw_session_setup_andx_req q;
      memset(&q, 0, sizeof q);
      q.wct = 13;
      q.andx.command = 0xFF;
      q.account_name = q.primary_domain = q.native_os = q.native_lanman = s;
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &q), 0);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
      first_block(len, &b);
      smbw_session_setup_andx_req dq;
      ck_assert_int_eq(smbw_session_setup_andx_req_decode(&b, &dq, NULL), 0);
      text_is(&dq.account_name, want);
      text_is(&dq.native_lanman, want);
      /* open request: 1 aligned string */
      smbw_open_andx_req oq;
      memset(&oq, 0, sizeof oq);
      oq.andx.command = 0xFF;
      oq.file_name = s;
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_open_andx_req_encode(&bld, &oq), 0);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
      first_block(len, &b);
      smbw_open_andx_req doq;
      ck_assert_int_eq(smbw_open_andx_req_decode(&b, &doq, NULL), 0);
      text_is(&doq.file_name, want);
      /* tree connect response: OEM service, aligned native fs */
      smbw_tree_connect_andx_rsp tr;
      memset(&tr, 0, sizeof tr);
      tr.wct = 3;
      tr.andx.command = 0xFF;
      tr.service = s;
      tr.native_file_system = s;
      h = hdr(1, uni);
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), 0);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
      first_block(len, &b);
      smbw_tree_connect_andx_rsp dtr;
      ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(&b, &dtr, NULL), 0);
      text_is(&dtr.service, want);
      text_is(&dtr.native_file_system, want);
      /* negotiate responses: LANMAN (OEM) and NT LM (Unicode by flag) */
      smbw_negotiate_rsp nr;
      memset(&nr, 0, sizeof nr);
      nr.wct = 13;
      nr.domain_name = s;
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), 0);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
      first_block(len, &b);
      smbw_negotiate_rsp dnr;
      ck_assert_int_eq(smbw_negotiate_rsp_decode(&b, &dnr, NULL), 0);
      text_is(&dnr.domain_name, want);
      nr.wct = 17;
      nr.server_name = s;
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), 0);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
      first_block(len, &b);
      ck_assert_int_eq(smbw_negotiate_rsp_decode(&b, &dnr, NULL), 0);
      text_is(&dnr.server_name, want);
      /* A character the slot cannot hold: U+20AC into an OEM slot. */
      smbw_str e = enc == 1 ? u16(u16_euro, 2) : smbw_str_utf8("\xe2\x82\xac");
      if (enc == 0) continue;
      tr.service = e;
      smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
      ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_STR_ENCODING);
      ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_STR_ENCODING);
    }
  /* Odd-length UTF-16 into an OEM slot; invalid UTF-8 into any slot; an
     unknown encoding value. */
  smbw_header h = hdr(0, 0);
  smbw_builder bld;
  size_t len;
  smbw_tree_connect_andx_req tq;
  memset(&tq, 0, sizeof tq);
  tq.path = u16(u16_ab, 3);
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_STR_ENCODING);
  tq.path = smbw_str_utf8("\xc3\x28");
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_STR_ENCODING);
  tq.path = oem("x");
  tq.path.enc = 7; /* not an encoding at all: an invalid argument */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_INVAL);
  /* Unterminated strings are written without a terminator. */
  tq.path = oem("\\\\S\\A");
  tq.service = oem("A:");
  tq.service.unterminated = 1;
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  smbw_block b;
  first_block(len, &b);
  smbw_tree_connect_andx_req dq;
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &dq, NULL), 0);
  ck_assert(dq.service.unterminated && dq.service.len == 2);
  (void)len;
}
END_TEST

/* ---- builder ------------------------------------------------------------- */

START_TEST(builder_arguments) {
  smbw_header h = hdr(0, 0);
  smbw_builder bld;
  size_t len = 0;
  static const uint8_t words[4] = {0xFF, 0, 0, 0};
  ck_assert_int_eq(smbw_builder_init(NULL, out, 64, SMBW_FRAMING_NONE, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(&bld, out, 64, SMBW_FRAMING_NONE, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(&bld, NULL, 64, SMBW_FRAMING_NONE, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(&bld, out, 64, 3, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_raw(NULL, 0x04, words, 2, NULL, 0), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_block(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_trailer(NULL, words, 1), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(NULL, &len), SMBW_E_INVAL);
  /* No block yet. */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_trailer(&bld, words, 1), SMBW_E_STATE);
  /* Invalid raw and block arguments are sticky. */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, NULL, 2, NULL, 0), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_INVAL);
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, words, 0, NULL, 3), SMBW_E_INVAL);
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_block(&bld, NULL), SMBW_E_INVAL);
  smbw_block blk;
  memset(&blk, 0, sizeof blk);
  blk.command = 0x04;
  blk.nwords = 1;
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_block(&bld, &blk), SMBW_E_INVAL);
  blk.nwords = 0;
  blk.bcc = 2;
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_block(&bld, &blk), SMBW_E_INVAL);
  /* Trailer: NULL bytes, too long, and nothing after it. */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_trailer(&bld, NULL, 1), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_trailer(&bld, words, 1), SMBW_E_INVAL); /* sticky */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0);
  ck_assert_int_eq(smbw_builder_trailer(&bld, words, 0x1000000), SMBW_E_RANGE);
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0);
  ck_assert_int_eq(smbw_builder_trailer(&bld, words, 4), 0);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0), SMBW_E_STATE);
  /* A trailer that does not fit is counted, not written. */
  smbw_builder_init(&bld, out, 40, SMBW_FRAMING_NONE, &h);
  smbw_builder_raw(&bld, 0x04, words, 2, NULL, 0);
  ck_assert_int_eq(smbw_builder_trailer(&bld, words, 4), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 32 + 7 + 4);
}
END_TEST

START_TEST(builder_ranges) {
  /* Framing limits: an NBT message over 0x1FFFF bytes, a DIRECT message
     over 0xFFFFFF bytes, an AndX link past 0xFFFF; size queries only, the
     data is never copied. */
  static uint8_t bytes[0xFFFF];
  static const uint8_t andx[4] = {0xFF, 0, 0, 0}, plain[2] = {0, 0};
  smbw_header h = hdr(0, 0);
  smbw_builder bld;
  size_t len = 0;
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NBT, &h);
  smbw_builder_raw(&bld, 0x04, plain, 1, bytes, 0xFFFF);
  smbw_builder_raw(&bld, 0x04, plain, 1, bytes, 0xFFFF);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_RANGE);
  ck_assert(len > 0x1FFFF);
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x24, andx, 2, bytes, 0xFFFF), 0);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x24, andx, 2, bytes, 0), SMBW_E_RANGE);
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_DIRECT, &h);
  int rc = 0;
  static const uint8_t w255[510];
  for (int i = 0; i < 255 && rc == 0; i++) rc = smbw_builder_raw(&bld, 0x04, w255, 255, bytes, 0xFFFF);
  if (rc == 0) rc = smbw_builder_finish(&bld, &len);
  ck_assert_int_eq(rc, SMBW_E_RANGE);
  /* 255 blocks at most. */
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h);
  for (int i = 0; i < 255; i++) ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, plain, 0, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_raw(&bld, 0x04, plain, 0, NULL, 0), SMBW_E_STATE);
}
END_TEST

/* Every encoder: NULL arguments, unknown forms, invalid and oversized
   views, and a builder that already failed. */
START_TEST(encoder_refusals) {
  smbw_header h = hdr(0, 0);
  smbw_builder bld;
  size_t len;
  static uint8_t big[0x10000];
  smbw_bytes bad = {NULL, 3}, huge = {big, 0x10000}, full = {big, 0xFFFF};
  ck_assert_int_eq(smbw_negotiate_req_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_negotiate_rsp_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_req_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_rsp_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_req_encode(NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(NULL, NULL), SMBW_E_INVAL);
#define FRESH() smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h)
  FRESH(); ck_assert_int_eq(smbw_negotiate_req_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_open_andx_req_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_open_andx_rsp_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_read_andx_req_encode(&bld, NULL), SMBW_E_INVAL);
  FRESH(); ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, NULL), SMBW_E_INVAL);

  /* NEGOTIATE request. */
  smbw_negotiate_req nq;
  memset(&nq, 0, sizeof nq);
  const char *names[2] = {"NT LM 0.12", NULL};
  nq.names = names;
  nq.count = 2;
  FRESH(); ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), SMBW_E_INVAL);
  static char longname[40000];
  memset(longname, 'x', sizeof longname - 1);
  const char *two[2] = {longname, longname};
  nq.names = two;
  FRESH(); ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), SMBW_E_RANGE);
  nq.names = NULL;
  nq.dialects = bad;
  FRESH(); ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), SMBW_E_INVAL);
  nq.dialects = huge;
  FRESH(); ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), SMBW_E_RANGE);

  /* NEGOTIATE response. */
  smbw_negotiate_rsp nr;
  memset(&nr, 0, sizeof nr);
  nr.wct = 5;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_INVAL);
  nr.wct = 17;
  nr.capabilities = SMBW_CAP_EXTENDED_SECURITY;
  nr.server_guid.data = big;
  nr.server_guid.len = 15;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_INVAL);
  nr.server_guid.len = 16;
  nr.security_blob = full;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_RANGE);
  nr.security_blob = bad;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_INVAL);
  memset(&nr, 0, sizeof nr);
  nr.wct = 17;
  nr.challenge.data = big;
  nr.challenge.len = 256;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_RANGE);
  nr.challenge.len = 8;
  nr.domain_name = smbw_str_utf8("\xff");
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_STR_ENCODING);
  nr.wct = 13;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_STR_ENCODING);
  nr.domain_name = oem("D");
  nr.challenge = full;
  nr.extra = full;
  FRESH(); ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_RANGE);

  /* SESSION_SETUP_ANDX. */
  smbw_session_setup_andx_req sq;
  memset(&sq, 0, sizeof sq);
  sq.wct = 11;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &sq), SMBW_E_INVAL);
  sq.wct = 13;
  sq.password = full;
  sq.unicode_password = full;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &sq), SMBW_E_RANGE);
  sq.unicode_password = bad;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &sq), SMBW_E_INVAL);
  memset(&sq, 0, sizeof sq);
  sq.wct = 12;
  sq.native_os = smbw_str_utf8("\xc3");
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &sq), SMBW_E_STR_ENCODING);
  smbw_session_setup_andx_rsp sr;
  memset(&sr, 0, sizeof sr);
  sr.wct = 5;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_INVAL);
  sr.wct = 4;
  sr.security_blob = huge;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_RANGE);
  sr.security_blob = full;
  sr.native_os = oem("Unix");
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_RANGE);
  sr.security_blob.len = 0;
  sr.native_os = smbw_str_utf8("\xe2\x82\xac"); /* not OEM */
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_STR_ENCODING);
  sr.native_os = oem("Unix");
  sr.extra = bad;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_INVAL);
  sr.wct = 0;
  sr.extra = full;
  FRESH(); ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), 0);

  /* TREE_CONNECT_ANDX. */
  smbw_tree_connect_andx_req tq;
  memset(&tq, 0, sizeof tq);
  tq.password = full;
  tq.path = oem("\\\\S\\A");
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_RANGE);
  tq.password = bad;
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_INVAL);
  smbw_tree_connect_andx_rsp tr;
  memset(&tr, 0, sizeof tr);
  tr.wct = 4;
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_INVAL);
  tr.wct = 7;
  tr.extra = full;
  tr.service = oem("IPC");
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_RANGE);
  tr.extra = bad;
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_INVAL);
  tr.extra.len = 0;
  tr.native_file_system = smbw_str_utf8("\x80");
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_STR_ENCODING);
  tr.wct = 0;
  tr.extra = full;
  FRESH(); ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), 0);

  /* OPEN_ANDX. */
  smbw_open_andx_req oq;
  memset(&oq, 0, sizeof oq);
  oq.file_name = smbw_str_utf8("\xf5");
  FRESH(); ck_assert_int_eq(smbw_open_andx_req_encode(&bld, &oq), SMBW_E_STR_ENCODING);
  oq.file_name = oem("f");
  oq.extra = full;
  FRESH(); ck_assert_int_eq(smbw_open_andx_req_encode(&bld, &oq), SMBW_E_RANGE);
  oq.extra = bad;
  FRESH(); ck_assert_int_eq(smbw_open_andx_req_encode(&bld, &oq), SMBW_E_INVAL);
  smbw_open_andx_rsp orr;
  memset(&orr, 0, sizeof orr);
  orr.wct = 16;
  FRESH(); ck_assert_int_eq(smbw_open_andx_rsp_encode(&bld, &orr), SMBW_E_INVAL);
  orr.wct = 19;
  orr.extra = bad;
  FRESH(); ck_assert_int_eq(smbw_open_andx_rsp_encode(&bld, &orr), SMBW_E_INVAL);
  orr.extra = huge;
  FRESH(); ck_assert_int_eq(smbw_open_andx_rsp_encode(&bld, &orr), SMBW_E_RANGE);

  /* READ_ANDX. */
  smbw_read_andx_req rq;
  memset(&rq, 0, sizeof rq);
  rq.wct = 11;
  FRESH(); ck_assert_int_eq(smbw_read_andx_req_encode(&bld, &rq), SMBW_E_INVAL);
  rq.wct = 10;
  rq.offset = 0x100000000ull;
  FRESH(); ck_assert_int_eq(smbw_read_andx_req_encode(&bld, &rq), SMBW_E_RANGE);
  rq.offset = 0;
  rq.extra = bad;
  FRESH(); ck_assert_int_eq(smbw_read_andx_req_encode(&bld, &rq), SMBW_E_INVAL);
  smbw_read_andx_rsp rr;
  memset(&rr, 0, sizeof rr);
  rr.wct = 1;
  FRESH(); ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &rr), SMBW_E_INVAL);
  rr.wct = 12;
  rr.data = bad;
  FRESH(); ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &rr), SMBW_E_INVAL);
  rr.data.data = big;
  rr.data.len = 0x1000000; /* refused before anything is read */
  FRESH(); ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &rr), SMBW_E_RANGE);
  rr.data.len = 4;
  rr.pad = bad;
  FRESH(); ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &rr), SMBW_E_INVAL);

  /* A failed builder: every encoder returns its first error. */
  FRESH();
  smbw_read_andx_req_encode(&bld, NULL);
  nq.dialects.data = big;
  nq.dialects.len = 0;
  nr.wct = 1;
  sq.wct = 12;
  sq.native_os = oem("x");
  sr.wct = 3;
  sr.extra.len = 0;
  tq.password.len = 0;
  tr.wct = 2;
  tr.extra.len = 0;
  tr.native_file_system = oem("NTFS");
  oq.extra.len = 0;
  orr.wct = 15;
  orr.extra.len = 0;
  rq.extra.len = 0;
  rr.pad.len = 0;
  ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&bld, &nr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&bld, &sq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&bld, &sr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&bld, &tq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&bld, &tr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_req_encode(&bld, &oq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_rsp_encode(&bld, &orr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_req_encode(&bld, &rq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &rr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_INVAL);
  /* The same values are fine in a fresh builder, and in a size query. */
  FRESH();
  ck_assert_int_eq(smbw_read_andx_req_encode(&bld, &rq), 0);
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_negotiate_req_encode(&bld, &nq), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), SMBW_E_NOSPACE);
#undef FRESH
}
END_TEST

/* Each encoder into a buffer too small for its block (the data area is
   not written, the size is still counted), then the right size. */
START_TEST(encoders_out_of_space) {
  smbw_header h = hdr(0, 1);
  static const uint8_t g16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  for (int which = 0; which < 10; which++) {
    size_t need = 0, len = 0;
    for (int pass = 0; pass < 2; pass++) {
      size_t cap = pass ? need : 40;
      smbw_builder bld;
      h.flags = (uint8_t)(which % 2 ? 0x98 : 0x18);
      smbw_builder_init(&bld, out, cap, SMBW_FRAMING_NBT, &h);
      const char *names[1] = {"NT LM 0.12"};
      any_msg m; /* the one message this pass encodes, zeroed */
      memset(&m, 0, sizeof m);
      int rc;
      switch (which) {
      case 0: m.nq.names = names; m.nq.count = 1; rc = smbw_negotiate_req_encode(&bld, &m.nq); break;
      case 1:
        m.nr.wct = 17;
        m.nr.capabilities = SMBW_CAP_EXTENDED_SECURITY;
        m.nr.server_guid.data = g16;
        m.nr.server_guid.len = 16;
        m.nr.security_blob.data = g16;
        m.nr.security_blob.len = 16;
        rc = smbw_negotiate_rsp_encode(&bld, &m.nr);
        break;
      case 2: m.sq.wct = 12; m.sq.native_os = oem("Unix"); rc = smbw_session_setup_andx_req_encode(&bld, &m.sq); break;
      case 3: m.sr.wct = 3; m.sr.native_os = oem("Unix"); rc = smbw_session_setup_andx_rsp_encode(&bld, &m.sr); break;
      case 4: m.tq.path = oem("\\\\S\\A"); m.tq.service = oem("?????"); rc = smbw_tree_connect_andx_req_encode(&bld, &m.tq); break;
      case 5: m.tr.wct = 7; m.tr.service = oem("A:"); m.tr.native_file_system = oem("NTFS"); rc = smbw_tree_connect_andx_rsp_encode(&bld, &m.tr); break;
      case 6: m.oq.file_name = oem("a.txt"); rc = smbw_open_andx_req_encode(&bld, &m.oq); break;
      case 7: m.orr.wct = 19; rc = smbw_open_andx_rsp_encode(&bld, &m.orr); break;
      case 8: m.rq.wct = 12; rc = smbw_read_andx_req_encode(&bld, &m.rq); break;
      default:
        m.rr.wct = 12;
        m.rr.data.data = g16;
        m.rr.data.len = 16;
        m.rr.pad.data = g16;
        m.rr.pad.len = 1; /* the pad the encoder writes: copied */
        rc = smbw_read_andx_rsp_encode(&bld, &m.rr);
        break;
      }
      ck_assert_int_eq(rc, 0);
      rc = smbw_builder_finish(&bld, &len);
      if (!pass) {
        ck_assert_int_eq(rc, SMBW_E_NOSPACE);
        need = len;
        ck_assert(need > 40);
      } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(len, need);
      }
    }
  }
}
END_TEST

START_TEST(read_andx_layouts) {
  /* DataOffset: given past the data area (pad, zeroed unless the pad view
     has that length), default when 0, kept when no data follows; a block
     starting past 64 KiB cannot express its DataOffset. */
  smbw_header h = hdr(1, 0);
  smbw_builder bld;
  size_t len;
  smbw_block b;
  static const uint8_t data[4] = {1, 2, 3, 4}, padv[3] = {9, 9, 9};
  smbw_read_andx_rsp r, d;
  memset(&r, 0, sizeof r);
  r.wct = 12;
  r.andx.command = 0xFF;
  r.data.data = data;
  r.data.len = 4;
  r.data_offset = 64; /* area at 59: 5 pad bytes */
  r.pad.data = padv;
  r.pad.len = 3; /* wrong length: zeros */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &r), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  first_block(len, &b);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(&b, &d, NULL), 0);
  ck_assert(d.data_offset == 64 && d.pad.len == 5 && d.pad.data[0] == 0 && d.data.data[0] == 1);
  r.data.len = 0;
  r.data_offset = 20; /* no data: kept as given */
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &r), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  first_block(len, &b);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(&b, &d, NULL), 0);
  ck_assert_uint_eq(d.data_offset, 20);
  r.wct = 0;
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &r), 0);
  /* Past 64 KiB: a first block of 0xFFFF bytes, then the READ_ANDX. */
  static uint8_t filler[0xFFFF];
  static const uint8_t w4[4] = {0xFF, 0, 0, 0};
  smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h);
  smbw_builder_raw(&bld, 0x04, w4, 0, filler, 0xFFFF);
  r.wct = 12;
  r.data.len = 4;
  r.data_offset = 0;
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&bld, &r), SMBW_E_RANGE);
}
END_TEST

/* ---- decoders: arguments and the dialect iterator --------------------- */

START_TEST(decoder_arguments) {
  smbw_error e;
  any_msg u;
  ck_assert_int_eq(smbw_negotiate_req_decode(NULL, &u.nq, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_negotiate_rsp_decode(NULL, &u.nr, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(NULL, &u.sq, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(NULL, &u.sr, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(NULL, &u.tq, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(NULL, &u.tr, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_req_decode(NULL, &u.oq, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_rsp_decode(NULL, &u.orr, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_req_decode(NULL, &u.rq, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(NULL, &u.rr, NULL), SMBW_E_INVAL);
  /* The header and message decoders. */
  smbw_header h;
  smbw_msg m;
  ck_assert_int_eq(smbw_header_decode(NULL, 32, &h, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_header_decode(out, 32, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_msg_decode(NULL, 32, &m, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_msg_decode(out, 32, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_header_encode(out, 32, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_header_encode(NULL, 32, &h), SMBW_E_NOSPACE);
  /* The iterator. */
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, NULL);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_andx_iter_next(NULL, &b, &e), SMBW_E_INVAL);
  /* Dialects: an absent list, and hand-made lists the decoder would have
     refused (the iterator stays bounded). */
  smbw_dialect_iter di;
  smbw_str name;
  memset(&u.nq, 0, sizeof u.nq);
  smbw_dialect_iter_init(&di, &u.nq);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 0);
  static const uint8_t list[] = {0x02, 'A', 0, 0x02, 'B'};
  u.nq.dialects.data = list;
  u.nq.dialects.len = sizeof list;
  smbw_dialect_iter_init(&di, &u.nq);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 1);
  ck_assert(smbw_str_eq(&name, "A") && !name.unterminated);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 1);
  ck_assert(smbw_str_eq(&name, "B") && name.unterminated);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 0);
  static const uint8_t notfmt[] = {0x03, 'A', 0};
  u.nq.dialects.data = notfmt;
  u.nq.dialects.len = sizeof notfmt;
  smbw_dialect_iter_init(&di, &u.nq);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 0);
}
END_TEST

/* ---- NBSS corners --------------------------------------------------------- */

START_TEST(nbss_corners) {
  smbw_nbss f;
  smbw_error e;
  uint8_t b4[4] = {0x81, 0, 0, 0};
  /* Arguments. */
  ck_assert_int_eq(smbw_nbss_frame(NULL, 4, SMBW_FRAMING_NBT, &f, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_frame(b4, 4, 7, &f, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_frame(NULL, 0, SMBW_FRAMING_NBT, &f, NULL, NULL), 0);
  /* Partial input without a need pointer. */
  ck_assert_int_eq(smbw_nbss_frame(b4, 2, SMBW_FRAMING_NBT, NULL, NULL, NULL), 0);
  b4[3] = 10;
  ck_assert_int_eq(smbw_nbss_frame(b4, 4, SMBW_FRAMING_NBT, NULL, NULL, NULL), 0);
  /* A bad first byte is seen before the header is complete. */
  uint8_t bad = 0x86;
  ck_assert_int_eq(smbw_nbss_frame(&bad, 1, SMBW_FRAMING_NBT, NULL, NULL, NULL),
                   SMBW_E_NBSS_TYPE);
  bad = 0x81;
  ck_assert_int_eq(smbw_nbss_frame(&bad, 1, SMBW_FRAMING_DIRECT, NULL, NULL, NULL),
                   SMBW_E_NBSS_TYPE);
  static const uint8_t nbt_types[] = {0x82, 0x83, 0x84, 0x85, 0x86};
  for (size_t i = 0; i < sizeof nbt_types; i++) {
    uint8_t p[4] = {nbt_types[i], 0, 0, 3};
    ck_assert_int_lt(smbw_nbss_frame(p, 4, SMBW_FRAMING_NBT, NULL, NULL, &e), 0);
  }
  /* Header encoder. */
  uint8_t h[4];
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, 5, 0, 0, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, SMBW_FRAMING_DIRECT, 0x81, 0, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, SMBW_FRAMING_DIRECT, 0x85, 1, NULL), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, SMBW_FRAMING_NBT, 0x90, 0, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(NULL, 4, SMBW_FRAMING_NBT, 0, 0, NULL), SMBW_E_NOSPACE);
  /* Names. */
  smbw_nb_name n;
  char plain[16];
  ck_assert_int_eq(smbw_nb_name_set(NULL, "A", 0x20), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nb_name_set(&n, NULL, 0x20), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nb_name_set(&n, "0123456789ABCDEF", 0x20), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nb_name_set(&n, "", 0x20), 0);
  ck_assert_uint_eq(smbw_nb_name_get(&n, plain), 0);
  ck_assert_int_eq(smbw_nb_name_set(&n, "SMBWIRESRV", 0x20), 0);
  ck_assert_uint_eq(smbw_nb_name_get(&n, plain), 10);
  /* Scopes: malformed labels are clipped when shown; refused when sent. */
  static const uint8_t clip[] = {5, 'a', 'b'};
  smbw_bytes sc = {clip, 3};
  char txt[16];
  size_t need;
  ck_assert_int_eq(smbw_nb_scope_to_text(sc, txt, sizeof txt, &need), 0);
  ck_assert_str_eq(txt, "ab");
  ck_assert_int_eq(smbw_nb_scope_to_text(sc, NULL, 5, &need), SMBW_E_INVAL);
  smbw_bytes none = {NULL, 0};
  ck_assert_int_eq(smbw_nb_scope_to_text(none, txt, sizeof txt, &need), 0);
  ck_assert(txt[0] == 0 && need == 0);
  smbw_nbss_session_request q;
  smbw_nb_name_set(&q.called, "SRV", 0x20);
  smbw_nb_name_set(&q.calling, "CLI", 0x00);
  uint8_t pkt[600];
  size_t len;
  static const uint8_t zero_label[] = {0};
  static const uint8_t long_label[] = {64};
  static const uint8_t past[] = {3, 'a'};
  static uint8_t too_long[300];
  for (size_t i = 0; i < sizeof too_long; i += 2) { too_long[i] = 1; too_long[i + 1] = 'x'; }
  const smbw_bytes scopes[] = {{zero_label, 1}, {long_label, 1}, {past, 2}, {too_long, 256},
                               {NULL, 4}};
  for (int who = 0; who < 2; who++)
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
      smbw_nbss_session_request r = q;
      if (who) r.calling.scope = scopes[i];
      else r.called.scope = scopes[i];
      ck_assert_int_eq(smbw_nbss_session_request_encode(pkt, sizeof pkt, &r, &len),
                       SMBW_E_NBSS_SCOPE);
    }
  ck_assert_int_eq(smbw_nbss_session_request_encode(pkt, sizeof pkt, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_session_request_encode(pkt, 10, &q, &len), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_nbss_session_request_encode(pkt, sizeof pkt, &q, &len), 0);
  /* Session request decoder: arguments, type, lengths. */
  ck_assert_int_eq(smbw_nbss_frame(pkt, len, SMBW_FRAMING_NBT, &f, NULL, NULL), (int)len);
  smbw_nbss_session_request d;
  ck_assert_int_eq(smbw_nbss_session_request_decode(NULL, &d, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_session_request_decode(&f, NULL, &e), SMBW_E_INVAL);
  smbw_nbss g = f;
  g.payload = NULL;
  ck_assert_int_eq(smbw_nbss_session_request_decode(&g, &d, &e), SMBW_E_INVAL);
  g = f;
  g.length = 0x1000000;
  ck_assert_int_lt(smbw_nbss_session_request_decode(&g, &d, &e), 0);
  g = f;
  g.length = f.length + 1;
  pkt[len] = 0;
  ck_assert_int_eq(smbw_nbss_session_request_decode(&g, &d, &e), SMBW_E_NBSS_LENGTH);
  /* Negative and retarget responses. */
  uint8_t code;
  uint32_t ip;
  uint16_t port;
  ck_assert_int_eq(smbw_nbss_negative_decode(NULL, &code, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_negative_decode(&f, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_retarget_decode(NULL, &ip, &port, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, NULL, &port, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, NULL, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, &port, &e), SMBW_E_INVAL);
  g.type = SMBW_NBSS_NEGATIVE_RESPONSE;
  g.length = 2;
  ck_assert_int_eq(smbw_nbss_negative_decode(&g, &code, &e), SMBW_E_NBSS_LENGTH);
  g.type = SMBW_NBSS_RETARGET_RESPONSE;
  ck_assert_int_eq(smbw_nbss_retarget_decode(&g, &ip, &port, &e), SMBW_E_NBSS_LENGTH);
  ck_assert_int_eq(smbw_nbss_negative_encode(pkt, 4, 0x80, &len), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_nbss_retarget_encode(pkt, 9, 0, 0, &len), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_nbss_negative_encode(NULL, 0, 0x80, NULL), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_nbss_retarget_encode(NULL, 0, 0, 0, NULL), SMBW_E_NOSPACE);
  /* Names of every type and error code. */
  for (unsigned t = 0; t < 256; t++) {
    const char *s = smbw_nbss_type_name((uint8_t)t);
    ck_assert(!s == !(t == 0 || (t >= 0x81 && t <= 0x85)));
    s = smbw_nbss_error_name((uint8_t)t);
    ck_assert(!s == !(t >= 0x80 && (t <= 0x83 || t == 0x8F)));
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("coverage");
  add_tcase(s, "lib", 300, TESTS(error_names, str_conversions, str_encodings_through_encoders,
                                 builder_arguments, builder_ranges, encoder_refusals,
                                 encoders_out_of_space, read_andx_layouts, decoder_arguments,
                                 nbss_corners));
  return run_suite(s);
}
