/*
 * test_commands.c - the seed commands (negotiate.h, session.h, tree.h,
 * open.h, read.h); the string helpers (str.h) are tested in
 * tests/core/test_strings.c.
 *
 * For every form of every command: fill a struct, encode it with the typed
 * encoder, decode the message back and check decode(encode(x)) == x field
 * by field; then re-encode the decoded message (dissect.c) and check the
 * bytes are identical.  Each round trip runs with Flags2 Unicode and OEM,
 * and with the block at an even offset (32, 40) and an odd one (39, after
 * a 7-byte LOGOFF_ANDX block), so the UTF-16 alignment pad is exercised
 * both ways.  Decoding runs on the message placed against a PROT_NONE page
 * (guard.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <smbwire/smbwire.h>

#include "dissect.h"
#include "guard.h"
#include "vec.h"
#include "check_helpers.h"

/* ---- helpers ------------------------------------------------------------- */

#define OUT_CAP (0x20000 + 4096)
static uint8_t OUT[OUT_CAP];

/* One message under test. */
typedef struct ctx {
  smbw_builder b;
  int framing;
  int prefix;      /* 0: target block first; 1: after a 7-byte block; 2: 8-byte */
  size_t hdr;      /* NBSS header size */
  size_t len;      /* total with framing */
  guard_buf g;
  int g_on;
  const uint8_t *msg; /* SMB header, guard-placed */
  size_t mlen;
  smbw_msg m;
  smbw_block blk;
} ctx;

/* Variant index -> prefix and Unicode: 6 variants for loop tests. */
#define NVAR 6
static int var_prefix(int i) { return i % 3; }
static int var_uni(int i) { return i / 3; }

static void ctx_begin(ctx *c, int variant, int reply) {
  smbw_header h;
  memset(c, 0, sizeof *c);
  memset(&h, 0, sizeof h);
  c->prefix = var_prefix(variant);
  c->framing = c->prefix == 0 ? SMBW_FRAMING_NBT
               : c->prefix == 1 ? SMBW_FRAMING_DIRECT
                                : SMBW_FRAMING_NONE;
  c->hdr = c->framing == SMBW_FRAMING_NONE ? 0 : 4;
  h.flags = (uint8_t)(SMBW_FLAGS_CASE_INSENSITIVE | (reply ? SMBW_FLAGS_REPLY : 0));
  h.flags2 = (uint16_t)(SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_LONG_NAMES |
                        (var_uni(variant) ? SMBW_FLAGS2_UNICODE : 0));
  h.mid = 77;
  h.pid_low = 0x1234;
  ck_assert_int_eq(smbw_builder_init(&c->b, OUT, OUT_CAP, c->framing, &h), 0);
  if (c->prefix) {
    const uint8_t w[4] = {0xFF, 0, 0, 0};
    const uint8_t pad = 0x5A;
    ck_assert_int_eq(smbw_builder_raw(&c->b, SMBW_COM_LOGOFF_ANDX, w, 2, &pad,
                                      (uint16_t)(c->prefix == 2 ? 1 : 0)),
                     0);
  }
}

/* Offset the target block will be written at. */
static uint32_t ctx_block_off(const ctx *c) {
  return c->prefix == 0 ? 32u : c->prefix == 1 ? 39u : 40u;
}

/* Finish; returns the builder's result. */
static int ctx_finish(ctx *c) {
  int rc = smbw_builder_finish(&c->b, &c->len);
  if (rc == 0) ck_assert_uint_le(c->len, OUT_CAP);
  return rc;
}

/* Place the SMB message (without framing) against a guard page and walk to
   the target block. */
static const smbw_block *ctx_place(ctx *c) {
  c->mlen = c->len - c->hdr;
  if (!c->g_on) {
    ck_assert_int_eq(guard_init(&c->g, c->mlen), 0);
    c->g_on = 1;
  }
  c->msg = guard_place(&c->g, OUT + c->hdr, c->mlen);
  ck_assert_int_eq(smbw_msg_decode(c->msg, c->mlen, &c->m, NULL), 0);
  smbw_andx_iter it;
  smbw_error err = {0, 0, NULL};
  smbw_andx_iter_init(&it, &c->m);
  int idx = c->prefix ? 1 : 0;
  for (int i = 0; i <= idx; i++) {
    int rc = smbw_andx_iter_next(&it, &c->blk, &err);
    ck_assert_msg(rc == 1, "block %d: %s at %u", i, smbw_errname(rc), (unsigned)err.offset);
  }
  ck_assert_uint_eq(c->blk.offset, ctx_block_off(c));
  smbw_block tail;
  ck_assert_int_eq(smbw_andx_iter_next(&it, &tail, NULL), 0);
  return &c->blk;
}

static const smbw_block *ctx_done(ctx *c) {
  ck_assert_int_eq(ctx_finish(c), 0);
  if (c->framing != SMBW_FRAMING_NONE) {
    smbw_nbss f;
    int tr = c->framing == SMBW_FRAMING_NBT ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
    ck_assert_int_eq(smbw_nbss_frame(OUT, c->len, tr, &f, NULL, NULL), (int)c->len);
    ck_assert_uint_eq(f.length, c->len - 4);
  }
  return ctx_place(c);
}

/* The decoded message re-encodes byte for byte. */
static void ctx_reencode(ctx *c) {
  static uint8_t again[OUT_CAP];
  size_t l = 0;
  int rc = reencode_msg(c->msg, c->mlen, SMBW_FRAMING_NONE, again, sizeof again, &l);
  ck_assert_msg(rc == 0, "re-encode: %s", smbw_errname(rc));
  ck_assert_uint_eq(l, c->mlen);
  for (size_t i = 0; i < l; i++)
    ck_assert_msg(again[i] == c->msg[i], "re-encode differs at %zu: %02X vs %02X", i, again[i],
                  c->msg[i]);
}

static void ctx_free(ctx *c) {
  if (c->g_on) guard_free(&c->g);
  c->g_on = 0;
}

static int uni_of(const ctx *c) { return (c->m.hdr.flags2 & SMBW_FLAGS2_UNICODE) != 0; }

/* A string came back as want (NULL: absent), in encoding enc. */
static void str_is(const smbw_str *s, const char *want, int enc, int unterminated) {
  if (!want) {
    ck_assert_ptr_null(s->data);
    ck_assert_uint_eq(s->len, 0);
    return;
  }
  char buf[512];
  size_t need = 0;
  ck_assert_ptr_nonnull(s->data);
  ck_assert_int_eq(smbw_str_to_utf8(s, buf, sizeof buf, &need), 0);
  ck_assert_msg(strcmp(buf, want) == 0, "string \"%s\", want \"%s\"", buf, want);
  ck_assert_uint_eq(need, strlen(want));
  ck_assert(smbw_str_eq(s, want));
  ck_assert_uint_eq(s->enc, enc);
  ck_assert_uint_eq(s->unterminated, unterminated);
  ck_assert_uint_eq(s->pad, 0); /* our encoders pad with zero */
}

/* An aligned UTF-16 string starts at an even offset from the header. */
static void str_aligned(const ctx *c, const smbw_str *s) {
  if (s->data && s->enc == SMBW_STR_UTF16LE)
    ck_assert_msg(((size_t)(s->data - c->msg) & 1u) == 0, "UTF-16 string at odd offset %zu",
                  (size_t)(s->data - c->msg));
}

static void bytes_is(smbw_bytes got, const uint8_t *want, uint32_t len) {
  ck_assert_uint_eq(got.len, len);
  if (len) {
    ck_assert_ptr_nonnull(got.data);
    ck_assert_int_eq(memcmp(got.data, want, len), 0);
  }
}

static void andx_is(const smbw_andx *a, uint8_t cmd, uint8_t reserved, uint16_t off) {
  ck_assert_uint_eq(a->command, cmd);
  ck_assert_uint_eq(a->reserved, reserved);
  ck_assert_uint_eq(a->offset, off);
}

/* Build a raw block (with an optional prefix) and place it. */
static const smbw_block *raw_block(ctx *c, int variant, int reply, uint8_t cmd,
                                   const uint8_t *words, uint8_t wct, const uint8_t *bytes,
                                   uint16_t bcc) {
  static uint8_t w[510];
  ctx_begin(c, variant, reply);
  if (wct) memcpy(w, words, 2u * wct);
  if (smbw_command_is_andx(cmd) && wct >= 2) w[0] = 0xFF; /* end the chain here */
  ck_assert_int_eq(smbw_builder_raw(&c->b, cmd, w, wct, bytes, bcc), 0);
  return ctx_done(c);
}

typedef int (*dec_fn)(const smbw_block *, void *, smbw_error *);

typedef struct dec_case {
  const char *name;
  dec_fn fn;
  uint8_t cmd;
  int reply;
} dec_case;

static int d_neg_req(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_negotiate_req_decode(b, o, e);
}
static int d_neg_rsp(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_negotiate_rsp_decode(b, o, e);
}
static int d_ss_req(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_session_setup_andx_req_decode(b, o, e);
}
static int d_ss_rsp(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_session_setup_andx_rsp_decode(b, o, e);
}
static int d_tc_req(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_tree_connect_andx_req_decode(b, o, e);
}
static int d_tc_rsp(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_tree_connect_andx_rsp_decode(b, o, e);
}
static int d_open_req(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_open_andx_req_decode(b, o, e);
}
static int d_open_rsp(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_open_andx_rsp_decode(b, o, e);
}
static int d_read_req(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_read_andx_req_decode(b, o, e);
}
static int d_read_rsp(const smbw_block *b, void *o, smbw_error *e) {
  return smbw_read_andx_rsp_decode(b, o, e);
}

enum { NEG_REQ, NEG_RSP, SS_REQ, SS_RSP, TC_REQ, TC_RSP, OPEN_REQ, OPEN_RSP, READ_REQ, READ_RSP };

static const dec_case DECODERS[] = {
    [NEG_REQ] = {"negotiate_req", d_neg_req, SMBW_COM_NEGOTIATE, 0},
    [NEG_RSP] = {"negotiate_rsp", d_neg_rsp, SMBW_COM_NEGOTIATE, 1},
    [SS_REQ] = {"session_setup_req", d_ss_req, SMBW_COM_SESSION_SETUP_ANDX, 0},
    [SS_RSP] = {"session_setup_rsp", d_ss_rsp, SMBW_COM_SESSION_SETUP_ANDX, 1},
    [TC_REQ] = {"tree_connect_req", d_tc_req, SMBW_COM_TREE_CONNECT_ANDX, 0},
    [TC_RSP] = {"tree_connect_rsp", d_tc_rsp, SMBW_COM_TREE_CONNECT_ANDX, 1},
    [OPEN_REQ] = {"open_andx_req", d_open_req, SMBW_COM_OPEN_ANDX, 0},
    [OPEN_RSP] = {"open_andx_rsp", d_open_rsp, SMBW_COM_OPEN_ANDX, 1},
    [READ_REQ] = {"read_andx_req", d_read_req, SMBW_COM_READ_ANDX, 0},
    [READ_RSP] = {"read_andx_rsp", d_read_rsp, SMBW_COM_READ_ANDX, 1},
};
#define NDEC (sizeof DECODERS / sizeof DECODERS[0])

/* Each word count in bad[] is refused by DECODERS[which] with SMBW_E_WCT at
   the block's WordCount. */
static void wct_refused(int variant, int which, const uint8_t *bad, size_t n) {
  static uint8_t words[510];
  const dec_case *dc = &DECODERS[which];
  for (size_t k = 0; k < n; k++) {
    ctx c;
    any_msg u;
    smbw_error err = {0, 0, NULL};
    const smbw_block *b = raw_block(&c, variant, dc->reply, dc->cmd, words, bad[k], NULL, 0);
    int rc = dc->fn(b, &u, &err);
    ck_assert_msg(rc == SMBW_E_WCT, "%s, WordCount %u: %d", dc->name, bad[k], rc);
    ck_assert_int_eq(err.code, SMBW_E_WCT);
    ck_assert_uint_eq(err.offset, b->offset);
    ck_assert_str_eq(err.field, "WordCount");
    ctx_free(&c);
  }
}
#define WCT_REFUSED(which, ...)                                                                    \
  do {                                                                                             \
    static const uint8_t bad_[] = {__VA_ARGS__};                                                   \
    wct_refused(_i, which, bad_, sizeof bad_);                                                     \
  } while (0)

#define OEM SMBW_STR_OEM
#define U16 SMBW_STR_UTF16LE

static const uint8_t KEY8[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
static const uint8_t PW24[24] = {0xA1, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8,
                                 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0,
                                 0xB1, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8};
static const uint8_t GUID[16] = {0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
static const uint8_t BLOB[] = {0x60, 0x28, 0x06, 0x06, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x02,
                               0xA0, 0x1E, 0x30, 0x1C, 0xA0, 0x1A, 0x30, 0x18, 0x06, 0x0A,
                               0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02, 0x0A,
                               0x06, 0x0A, 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x02, 0x02};

/* ==== NEGOTIATE request =================================================== */

static const char *const DIALECTS[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0",
                                       "Windows for Workgroups 3.1a", "LM1.2X002",
                                       "LANMAN2.1", "NT LM 0.12", ""};
#define NDIALECTS 7

START_TEST(test_negotiate_req_names) {
  ctx c;
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r = {{NULL, 0}, NDIALECTS, DIALECTS};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  ck_assert_uint_eq(b->wct, 0);
  size_t total = 0;
  for (int i = 0; i < NDIALECTS; i++) total += strlen(DIALECTS[i]) + 2;
  ck_assert_uint_eq(b->bcc, total);
  smbw_negotiate_req d;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), 0);
  ck_assert_uint_eq(d.count, NDIALECTS);
  ck_assert_ptr_null(d.names);
  ck_assert_ptr_eq(d.dialects.data, b->bytes);
  ck_assert_uint_eq(d.dialects.len, total);
  /* the wire form, by hand */
  size_t p = 0;
  for (int i = 0; i < NDIALECTS; i++) {
    ck_assert_uint_eq(b->bytes[p], 0x02);
    ck_assert_int_eq(memcmp(b->bytes + p + 1, DIALECTS[i], strlen(DIALECTS[i]) + 1), 0);
    p += strlen(DIALECTS[i]) + 2;
  }
  /* the iterator gives the names back */
  smbw_dialect_iter it;
  smbw_str name;
  smbw_dialect_iter_init(&it, &d);
  for (int i = 0; i < NDIALECTS; i++) {
    ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 1);
    str_is(&name, DIALECTS[i], OEM, 0);
    ck_assert_uint_eq(name.len, strlen(DIALECTS[i]));
  }
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 0);
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 0);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_negotiate_req_raw) {
  static const uint8_t raw[] = "\x02NT LM 0.12\x00\x02SMB 2.002\x00\x02SMB 2.???";
  ctx c;
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r = {{raw, sizeof raw}, 0, NULL}; /* includes the final NUL */
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  ck_assert_uint_eq(b->bcc, sizeof raw);
  ck_assert_int_eq(memcmp(b->bytes, raw, sizeof raw), 0);
  smbw_negotiate_req d;
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.count, 3);
  bytes_is(d.dialects, raw, sizeof raw);
  smbw_dialect_iter it;
  smbw_str name;
  smbw_dialect_iter_init(&it, &d);
  static const char *const want[] = {"NT LM 0.12", "SMB 2.002", "SMB 2.???"};
  for (int i = 0; i < 3; i++) {
    ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 1);
    str_is(&name, want[i], OEM, 0);
  }
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 0);
  ctx_reencode(&c);
  ctx_free(&c);
  /* no dialects at all */
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req none = {{NULL, 0}, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &none), 0);
  b = ctx_done(&c);
  ck_assert_uint_eq(b->bcc, 0);
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.count, 0);
  smbw_dialect_iter_init(&it, &d);
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 0);
  ctx_free(&c);
}
END_TEST

START_TEST(test_negotiate_req_errors) {
  /* a wrong buffer format byte on the third dialect */
  static const uint8_t bad_fmt[] = "\x02" "A\x00" "\x02" "BB\x00" "\x03" "CCC\x00";
  ctx c;
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r = {{bad_fmt, sizeof bad_fmt - 1}, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  smbw_negotiate_req d;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), SMBW_E_BUFFER_FORMAT);
  ck_assert_int_eq(err.code, SMBW_E_BUFFER_FORMAT);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg) + 7);
  ck_assert_str_eq(err.field, "BufferFormat");
  ctx_free(&c);

  /* the first byte already wrong */
  static const uint8_t bad0[] = "\x04NT LM 0.12";
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r0 = {{bad0, sizeof bad0}, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r0), 0);
  b = ctx_done(&c);
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), SMBW_E_BUFFER_FORMAT);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg));
  ctx_free(&c);

  /* the last dialect is not terminated inside the byte area */
  static const uint8_t unterminated[] = "\x02NT LM 0.12\x00\x02SMB 2.002";
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r2 = {{unterminated, sizeof unterminated - 1}, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r2), 0);
  b = ctx_done(&c);
  err.code = 0;
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), SMBW_E_STR_UNTERMINATED);
  ck_assert_int_eq(err.code, SMBW_E_STR_UNTERMINATED);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg) + 13);
  ck_assert_str_eq(err.field, "DialectString");
  ctx_free(&c);

  /* a lone format byte at the end */
  static const uint8_t lone[] = "\x02NT LM 0.12\x00\x02";
  ctx_begin(&c, _i, 0);
  smbw_negotiate_req r3 = {{lone, sizeof lone - 1}, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r3), 0);
  b = ctx_done(&c);
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), SMBW_E_STR_UNTERMINATED);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg) + 13);
  ctx_free(&c);

  /* the dialect iterator on an unterminated hand-made area */
  smbw_negotiate_req hand = {{unterminated, sizeof unterminated - 1}, 0, NULL};
  smbw_dialect_iter it;
  smbw_str name;
  smbw_dialect_iter_init(&it, &hand);
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 1);
  str_is(&name, "NT LM 0.12", OEM, 0);
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 1);
  ck_assert_uint_eq(name.unterminated, 1);
  ck_assert_uint_eq(name.len, 9);
  ck_assert_int_eq(smbw_dialect_iter_next(&it, &name), 0);

  /* a request with words */
  const uint8_t w[2] = {0, 0};
  b = raw_block(&c, _i, 0, SMBW_COM_NEGOTIATE, w, 1, (const uint8_t *)"\x02X", 3);
  ck_assert_int_eq(smbw_negotiate_req_decode(b, &d, &err), SMBW_E_WCT);
  ck_assert_uint_eq(err.offset, b->offset);
  ck_assert_str_eq(err.field, "WordCount");
  ctx_free(&c);
}
END_TEST

/* ==== NEGOTIATE response ================================================== */

static void neg_rsp_eq(const smbw_negotiate_rsp *d, const smbw_negotiate_rsp *r) {
#define EQ(f) ck_assert_uint_eq(d->f, r->f); /* (ServerTimeZone too: equal either way) */
  EQ(wct) EQ(dialect_index) EQ(max_mpx_count) EQ(max_number_vcs) EQ(raw_mode) EQ(server_time)
  EQ(server_date) EQ(server_time_zone) EQ(reserved) EQ(security_mode) EQ(max_buffer_size)
  EQ(max_raw_size) EQ(session_key) EQ(capabilities) EQ(system_time)
#undef EQ
}

START_TEST(test_negotiate_rsp_wct1) {
  static const uint16_t idx[] = {0, 5, SMBW_NEGOTIATE_NO_DIALECT};
  for (size_t k = 0; k < 3; k++) {
    ctx c;
    ctx_begin(&c, _i, 1);
    smbw_negotiate_rsp r;
    memset(&r, 0, sizeof r);
    r.wct = 1;
    r.dialect_index = idx[k];
    ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, 1);
    ck_assert_uint_eq(b->bcc, 0);
    ck_assert_uint_eq(rd16(b->words), idx[k]);
    smbw_negotiate_rsp d;
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, NULL), 0);
    neg_rsp_eq(&d, &r);
    ck_assert_ptr_null(d.challenge.data);
    ck_assert_ptr_null(d.domain_name.data);
    ck_assert_ptr_null(d.server_guid.data);
    ctx_reencode(&c);
    ctx_free(&c);
  }
}
END_TEST

START_TEST(test_negotiate_rsp_wct0_and_bad_wct) {
  ctx c;
  ctx_begin(&c, _i, 1);
  smbw_negotiate_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 0;
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  ck_assert_uint_eq(b->wct, 0);
  ck_assert_uint_eq(b->bcc, 0);
  smbw_negotiate_rsp d;
  memset(&d, 0xA5, sizeof d);
  ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.wct, 0);
  ck_assert_uint_eq(d.dialect_index, 0);
  ctx_reencode(&c);
  ctx_free(&c);

  WCT_REFUSED(NEG_RSP, 2, 12, 14, 16, 18, 255);
  /* the encoder refuses forms it does not know */
  ctx_begin(&c, _i, 1);
  r.wct = 12;
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ck_assert_int_eq(ctx_finish(&c), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

START_TEST(test_negotiate_rsp_lanman) {
  ctx c;
  ctx_begin(&c, _i, 1);
  smbw_negotiate_rsp r = {.wct = 13, .dialect_index = 1, .security_mode = 0x0003,
                          .max_buffer_size = 0xFFFF, .max_mpx_count = 50, .max_number_vcs = 1,
                          .raw_mode = 0x0003, .session_key = 0xCAFEBABE, .server_time = 0x5A3C,
                          .server_date = 0x2B21, .server_time_zone = -120, .reserved = 0x0102,
                          .challenge = {KEY8, 8}};
  r.domain_name = smbw_str_utf8("WORKGROUP");
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  ck_assert_uint_eq(b->wct, 13);
  ck_assert_uint_eq(b->bcc, 8 + 10); /* always OEM, NUL-terminated */
  ck_assert_uint_eq(rd16(b->words + 22), 8); /* EncryptionKeyLength */
  ck_assert_int_eq(memcmp(b->bytes + 8, "WORKGROUP", 10), 0);
  smbw_negotiate_rsp d;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, &err), 0);
  neg_rsp_eq(&d, &r);
  ck_assert_uint_eq(d.challenge_length, 8);
  bytes_is(d.challenge, KEY8, 8);
  str_is(&d.domain_name, "WORKGROUP", OEM, 0);
  ck_assert_ptr_null(d.server_name.data);
  ctx_reencode(&c);
  ctx_free(&c);

  /* EncryptionKeyLength past the data */
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  wr16(OUT + c.hdr + ctx_block_off(&c) + 1 + 22, 19);
  b = ctx_place(&c);
  ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, &err), SMBW_E_FIELD_LENGTH);
  ck_assert_int_eq(err.code, SMBW_E_FIELD_LENGTH);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg));
  ck_assert_str_eq(err.field, "EncryptionKey");
  ctx_free(&c);
}
END_TEST

static void nt_rsp_fill(smbw_negotiate_rsp *r, uint32_t caps) {
  memset(r, 0, sizeof *r);
  r->wct = 17;
  r->dialect_index = 5;
  r->security_mode = SMBW_NEGOTIATE_USER_SECURITY | SMBW_NEGOTIATE_ENCRYPT_PASSWORDS;
  r->max_mpx_count = 50;
  r->max_number_vcs = 1;
  r->max_buffer_size = 16644;
  r->max_raw_size = 65536;
  r->session_key = 0x01020304;
  r->capabilities = caps;
  r->system_time = 0x01D9F00DBEEF1234ull;
  r->server_time_zone = -60;
}

START_TEST(test_negotiate_rsp_nt) {
  /* three ways to pick the string encoding: Flags2 (by variant), and
     CAP_UNICODE with or without it */
  for (int capuni = 0; capuni < 2; capuni++) {
    ctx c;
    ctx_begin(&c, _i, 1);
    smbw_negotiate_rsp r;
    nt_rsp_fill(&r, SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32 | (capuni ? SMBW_CAP_UNICODE : 0));
    r.challenge.data = KEY8;
    r.challenge.len = 8;
    r.domain_name = smbw_str_utf8("WORKGROUP");
    r.server_name = smbw_str_utf8("SERVER");
    ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    int u = uni_of(&c) || capuni;
    ck_assert_uint_eq(b->wct, 17);
    ck_assert_uint_eq(b->words[33], 8); /* ChallengeLength */
    ck_assert_uint_eq(b->bcc, 8 + (u ? 20 + 14 : 10 + 7));
    smbw_negotiate_rsp d;
    ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, NULL), 0);
    neg_rsp_eq(&d, &r);
    ck_assert_uint_eq(d.challenge_length, 8);
    bytes_is(d.challenge, KEY8, 8);
    str_is(&d.domain_name, "WORKGROUP", u ? U16 : OEM, 0);
    str_is(&d.server_name, "SERVER", u ? U16 : OEM, 0);
    /* no pad after the challenge, whatever the parity */
    ck_assert_ptr_eq(d.domain_name.data, b->bytes + 8);
    ck_assert_ptr_eq(d.server_name.data, b->bytes + 8 + (u ? 20 : 10));
    ck_assert_ptr_null(d.server_guid.data);
    ck_assert_ptr_null(d.security_blob.data);
    ctx_reencode(&c);
    ctx_free(&c);
  }
  /* a non-ASCII domain, and an astral server name in UTF-16 */
  ctx c;
  ctx_begin(&c, _i, 1);
  smbw_negotiate_rsp r;
  nt_rsp_fill(&r, SMBW_CAP_UNICODE);
  r.challenge.data = KEY8;
  r.challenge.len = 8;
  r.domain_name = smbw_str_utf8("D\xC3\xBC" "SSELDORF");
  r.server_name = smbw_str_utf8("SRV\xF0\x9F\x98\x80");
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  smbw_negotiate_rsp d;
  ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, NULL), 0);
  str_is(&d.domain_name, "D\xC3\xBC" "SSELDORF", U16, 0);
  str_is(&d.server_name, "SRV\xF0\x9F\x98\x80", U16, 0);
  ck_assert_uint_eq(d.server_name.len, 3 * 2 + 4);
  ctx_reencode(&c);
  ctx_free(&c);
  /* ChallengeLength past the data */
  ctx_begin(&c, _i, 1);
  nt_rsp_fill(&r, 0);
  r.challenge.data = KEY8;
  r.challenge.len = 8;
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  OUT[c.hdr + ctx_block_off(&c) + 1 + 33] = 9;
  b = ctx_place(&c);
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, &err), SMBW_E_FIELD_LENGTH);
  ck_assert_uint_eq(err.offset, (uint32_t)(b->bytes - b->msg));
  ck_assert_str_eq(err.field, "Challenge");
  ctx_free(&c);
  /* a challenge over 255 bytes cannot be encoded */
  static uint8_t big[256];
  ctx_begin(&c, _i, 1);
  r.challenge.data = big;
  r.challenge.len = 256;
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), SMBW_E_RANGE);
  ctx_free(&c);
}
END_TEST

START_TEST(test_negotiate_rsp_extended) {
  for (int blob = 0; blob < 2; blob++) {
    ctx c;
    ctx_begin(&c, _i, 1);
    smbw_negotiate_rsp r;
    nt_rsp_fill(&r, SMBW_CAP_EXTENDED_SECURITY | SMBW_CAP_UNICODE | SMBW_CAP_LARGE_READX);
    r.server_guid.data = GUID;
    r.server_guid.len = 16;
    if (blob) {
      r.security_blob.data = BLOB;
      r.security_blob.len = sizeof BLOB;
    }
    ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->bcc, 16 + (blob ? sizeof BLOB : 0));
    ck_assert_uint_eq(b->words[33], 0);
    smbw_negotiate_rsp d;
    ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, NULL), 0);
    neg_rsp_eq(&d, &r);
    ck_assert_uint_eq(d.challenge_length, 0);
    bytes_is(d.server_guid, GUID, 16);
    ck_assert_ptr_eq(d.server_guid.data, b->bytes);
    bytes_is(d.security_blob, BLOB, blob ? sizeof BLOB : 0);
    ck_assert_ptr_null(d.challenge.data);
    ck_assert_ptr_null(d.domain_name.data);
    ctx_reencode(&c);
    ctx_free(&c);
  }
  /* ByteCount shorter than the GUID */
  for (uint16_t bcc = 0; bcc < 16; bcc++) {
    uint8_t words[34];
    memset(words, 0, sizeof words);
    uint32_t caps = SMBW_CAP_EXTENDED_SECURITY;
    words[19] = (uint8_t)caps;
    words[20] = (uint8_t)(caps >> 8);
    words[21] = (uint8_t)(caps >> 16);
    words[22] = (uint8_t)(caps >> 24);
    ctx c;
    const smbw_block *b = raw_block(&c, _i, 1, SMBW_COM_NEGOTIATE, words, 17, GUID, bcc);
    smbw_negotiate_rsp d;
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d, &err), SMBW_E_BCC);
    ck_assert_int_eq(err.code, SMBW_E_BCC);
    ck_assert_uint_eq(err.offset, b->offset + 35);
    ck_assert_str_eq(err.field, "ByteCount");
    ctx_free(&c);
  }
  /* the GUID must be 16 bytes */
  ctx c;
  ctx_begin(&c, _i, 1);
  smbw_negotiate_rsp r;
  nt_rsp_fill(&r, SMBW_CAP_EXTENDED_SECURITY);
  r.server_guid.data = GUID;
  r.server_guid.len = 15;
  ck_assert_int_eq(smbw_negotiate_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== SESSION_SETUP_ANDX request ========================================== */

static void ss_req_eq(const smbw_session_setup_andx_req *d, const smbw_session_setup_andx_req *r) {
  ck_assert_uint_eq(d->wct, r->wct);
  andx_is(&d->andx, 0xFF, r->andx.reserved, r->andx.offset);
  ck_assert_uint_eq(d->max_buffer_size, r->max_buffer_size);
  ck_assert_uint_eq(d->max_mpx_count, r->max_mpx_count);
  ck_assert_uint_eq(d->vc_number, r->vc_number);
  ck_assert_uint_eq(d->session_key, r->session_key);
  ck_assert_uint_eq(d->reserved, r->reserved);
  ck_assert_uint_eq(d->capabilities, r->wct == 10 ? 0 : r->capabilities);
  bytes_is(d->password, r->password.data, r->password.len);
  bytes_is(d->unicode_password, r->unicode_password.data, r->unicode_password.len);
  bytes_is(d->security_blob, r->security_blob.data, r->security_blob.len);
}

static void ss_req_fill(smbw_session_setup_andx_req *r, uint8_t wct) {
  memset(r, 0, sizeof *r);
  r->wct = wct;
  r->max_buffer_size = 61440;
  r->max_mpx_count = 2;
  r->vc_number = 1;
  r->session_key = 0x00001234;
  r->reserved = wct == 12 ? 0 : 0xA0B0C0D0u;
  r->capabilities = SMBW_CAP_UNICODE | SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32 |
                    SMBW_CAP_LARGE_READX | (wct == 12 ? SMBW_CAP_EXTENDED_SECURITY : 0);
}

static const smbw_block *ss_req_build(ctx *c, int variant, const smbw_session_setup_andx_req *r) {
  ctx_begin(c, variant, 0);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c->b, r), 0);
  return ctx_done(c);
}

START_TEST(test_session_setup_req_lanman) {
  smbw_session_setup_andx_req r, d;
  ss_req_fill(&r, 10);
  r.password.data = PW24;
  r.password.len = 24;
  r.account_name = smbw_str_utf8("GUEST");
  r.primary_domain = smbw_str_utf8("LANGROUP");
  r.native_os = smbw_str_utf8("OS/2");
  r.native_lanman = smbw_str_utf8("LAN Manager 2.1");
  ctx c;
  const smbw_block *b = ss_req_build(&c, _i, &r);
  ck_assert_uint_eq(b->wct, 10);
  ck_assert_uint_eq(rd16(b->words + 14), 24);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  ss_req_eq(&d, &r);
  int e = uni_of(&c) ? U16 : OEM;
  str_is(&d.account_name, "GUEST", e, 0);
  str_is(&d.primary_domain, "LANGROUP", e, 0);
  str_is(&d.native_os, "OS/2", e, 0);
  str_is(&d.native_lanman, "LAN Manager 2.1", e, 0);
  str_aligned(&c, &d.account_name);
  str_aligned(&c, &d.native_lanman);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_session_setup_req_nt) {
  static const char jurgen[] = "J\xC3\xBCrgen";                 /* Jürgen */
  static const char astral[] = "Unix \xF0\x9F\x90\xA7 5.0";      /* U+1F427 */
  static const char dom[] = "M\xC3\x9CNCHEN";                    /* MÜNCHEN */
  smbw_session_setup_andx_req r, d;
  ss_req_fill(&r, 13);
  r.password.data = PW24;
  r.password.len = 24;
  r.unicode_password.data = PW24 + 1; /* odd lengths move the strings */
  r.unicode_password.len = 23;
  r.account_name = smbw_str_utf8(jurgen);
  r.primary_domain = smbw_str_utf8(dom);
  r.native_os = smbw_str_utf8("Windows 2002 Service Pack 2 2600");
  r.native_lanman = smbw_str_utf8(var_uni(_i) ? astral : "Windows 2002 5.1");
  ctx c;
  const smbw_block *b = ss_req_build(&c, _i, &r);
  ck_assert_uint_eq(b->wct, 13);
  ck_assert_uint_eq(rd16(b->words + 14), 24);
  ck_assert_uint_eq(rd16(b->words + 16), 23);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  ss_req_eq(&d, &r);
  int u = uni_of(&c);
  int e = u ? U16 : OEM;
  str_is(&d.account_name, jurgen, e, 0);
  str_is(&d.primary_domain, dom, e, 0);
  str_is(&d.native_os, "Windows 2002 Service Pack 2 2600", e, 0);
  str_is(&d.native_lanman, u ? astral : "Windows 2002 5.1", e, 0);
  if (u) {
    /* UTF-16: J ü r g e n = 6 units; the astral one is a surrogate pair */
    ck_assert_uint_eq(d.account_name.len, 12);
    ck_assert_uint_eq(d.account_name.data[2], 0xFC);
    ck_assert_uint_eq(d.account_name.data[3], 0x00);
    ck_assert_uint_eq(d.native_lanman.len, 2 * 11);
    ck_assert_uint_eq(rd16(d.native_lanman.data + 10), 0xD83D);
    ck_assert_uint_eq(rd16(d.native_lanman.data + 12), 0xDC27);
  } else {
    /* OEM: ü is the Latin-1 byte 0xFC */
    ck_assert_uint_eq(d.account_name.len, 6);
    ck_assert_uint_eq(d.account_name.data[1], 0xFC);
  }
  str_aligned(&c, &d.account_name);
  str_aligned(&c, &d.primary_domain);
  str_aligned(&c, &d.native_os);
  str_aligned(&c, &d.native_lanman);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_session_setup_req_astral_oem) {
  /* a character above U+00FF has no OEM (Latin-1) form */
  smbw_session_setup_andx_req r;
  ss_req_fill(&r, 13);
  r.account_name = smbw_str_utf8("x\xF0\x9F\x90\xA7");
  ctx c;
  ctx_begin(&c, 0, 0); /* variant 0: OEM */
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), SMBW_E_STR_ENCODING);
  ck_assert_int_eq(ctx_finish(&c), SMBW_E_STR_ENCODING);
  ctx_free(&c);
  r.account_name = smbw_str_utf8("\xE2\x82\xAC"); /* the euro sign */
  ctx_begin(&c, 0, 0);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), SMBW_E_STR_ENCODING);
  ctx_free(&c);
  /* invalid UTF-8 input fails in both encodings */
  for (int v = 0; v < NVAR; v += 3) {
    r.account_name = smbw_str_utf8("bad\xC3");
    ctx_begin(&c, v, 0);
    ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), SMBW_E_STR_ENCODING);
    ctx_free(&c);
    r.account_name = smbw_str_utf8("\xED\xA0\x80"); /* an encoded surrogate */
    ctx_begin(&c, v, 0);
    ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), SMBW_E_STR_ENCODING);
    ctx_free(&c);
  }
}
END_TEST

START_TEST(test_session_setup_req_extended) {
  smbw_session_setup_andx_req r, d;
  ss_req_fill(&r, 12);
  r.security_blob.data = BLOB;
  r.security_blob.len = sizeof BLOB; /* 41: odd */
  r.native_os = smbw_str_utf8("Windows 7 Professional 7601 Service Pack 1");
  r.native_lanman = smbw_str_utf8("Windows 7 Professional 6.1");
  r.primary_domain = smbw_str_utf8("");
  ctx c;
  const smbw_block *b = ss_req_build(&c, _i, &r);
  ck_assert_uint_eq(b->wct, 12);
  ck_assert_uint_eq(rd16(b->words + 14), sizeof BLOB);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  ss_req_eq(&d, &r);
  int e = uni_of(&c) ? U16 : OEM;
  str_is(&d.native_os, "Windows 7 Professional 7601 Service Pack 1", e, 0);
  str_is(&d.native_lanman, "Windows 7 Professional 6.1", e, 0);
  str_is(&d.primary_domain, "", e, 0);
  ck_assert_ptr_null(d.account_name.data);
  str_aligned(&c, &d.native_os);
  str_aligned(&c, &d.primary_domain);
  ctx_reencode(&c);
  ctx_free(&c);
  /* blob alone, no strings */
  ss_req_fill(&r, 12);
  r.security_blob.data = BLOB;
  r.security_blob.len = 10;
  b = ss_req_build(&c, _i, &r);
  ck_assert_uint_eq(b->bcc, 10);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  ss_req_eq(&d, &r);
  ck_assert_ptr_null(d.native_os.data);
  ck_assert_ptr_null(d.native_lanman.data);
  ck_assert_ptr_null(d.primary_domain.data);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_session_setup_req_absent_and_unterminated) {
  smbw_session_setup_andx_req r, d;
  /* only the first two strings: the other two are absent */
  ss_req_fill(&r, 13);
  r.password.data = PW24;
  r.password.len = 1;
  r.account_name = smbw_str_utf8("user");
  r.primary_domain = smbw_str_utf8("DOM");
  ctx c;
  const smbw_block *b = ss_req_build(&c, _i, &r);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  int e = uni_of(&c) ? U16 : OEM;
  str_is(&d.account_name, "user", e, 0);
  str_is(&d.primary_domain, "DOM", e, 0);
  ck_assert_ptr_null(d.native_os.data);
  ck_assert_ptr_null(d.native_lanman.data);
  ctx_reencode(&c);
  ctx_free(&c);
  /* the last string unterminated: round-trips without a terminator */
  ss_req_fill(&r, 13);
  r.account_name = smbw_str_utf8("user");
  r.primary_domain = smbw_str_utf8("DOM");
  r.native_os = smbw_str_utf8("Unix");
  r.native_lanman = smbw_str_utf8("Samba");
  r.native_lanman.unterminated = 1;
  b = ss_req_build(&c, _i, &r);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  str_is(&d.native_os, "Unix", e, 0);
  str_is(&d.native_lanman, "Samba", e, 1);
  /* it ends exactly at the end of the byte area */
  ck_assert_ptr_eq(d.native_lanman.data + d.native_lanman.len, b->bytes + b->bcc);
  ctx_reencode(&c);
  ctx_free(&c);
  /* an empty area: every string absent */
  ss_req_fill(&r, 13);
  b = ss_req_build(&c, _i, &r);
  ck_assert_uint_eq(b->bcc, 0);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  ck_assert_ptr_null(d.account_name.data);
  ck_assert_ptr_null(d.primary_domain.data);
  ck_assert_ptr_null(d.native_os.data);
  ck_assert_ptr_null(d.native_lanman.data);
  ck_assert_uint_eq(d.password.len, 0);
  ctx_free(&c);
}
END_TEST

START_TEST(test_session_setup_req_field_length) {
  smbw_session_setup_andx_req r, d;
  static const struct {
    uint8_t wct;
    unsigned word; /* byte offset of the length word in the words */
    const char *field;
  } cases[] = {
      {10, 14, "PasswordLength"},
      {13, 14, "OEMPasswordLen"},
      {13, 16, "UnicodePasswordLen"},
      {12, 14, "SecurityBlobLength"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    ss_req_fill(&r, cases[k].wct);
    if (cases[k].wct == 12) {
      r.security_blob.data = BLOB;
      r.security_blob.len = 8;
    } else {
      r.password.data = PW24;
      r.password.len = 8;
      if (cases[k].wct == 13) {
        r.unicode_password.data = PW24;
        r.unicode_password.len = 4;
      }
    }
    r.account_name = smbw_str_utf8("u");
    r.native_os = smbw_str_utf8("os");
    ctx c;
    ctx_begin(&c, _i, 0);
    ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), 0);
    ck_assert_int_eq(ctx_finish(&c), 0);
    uint8_t *w = OUT + c.hdr + ctx_block_off(&c) + 1;
    uint16_t bcc = rd16(w + 2 * cases[k].wct);
    /* one byte more than what is left for this field */
    uint16_t before = cases[k].word == 16 ? 8 : 0;
    wr16(w + cases[k].word, (uint16_t)(bcc - before + 1));
    const smbw_block *b = ctx_place(&c);
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, &err), SMBW_E_FIELD_LENGTH);
    ck_assert_int_eq(err.code, SMBW_E_FIELD_LENGTH);
    /* the length word is blamed, at its own offset (doc/contract.md) */
    ck_assert_uint_eq(err.offset, b->offset + 1u + cases[k].word);
    ck_assert_str_eq(err.field, cases[k].field);
    /* exactly all of it is fine */
    ctx_free(&c);
    ctx_begin(&c, _i, 0);
    ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), 0);
    ck_assert_int_eq(ctx_finish(&c), 0);
    w = OUT + c.hdr + ctx_block_off(&c) + 1;
    uint16_t after = (cases[k].wct == 13 && cases[k].word == 14) ? 4 : 0; /* UnicodePassword */
    wr16(w + cases[k].word, (uint16_t)(bcc - before - after));
    b = ctx_place(&c);
    ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, &err), 0);
    ck_assert_ptr_null(d.native_os.data);
    ctx_free(&c);
  }
  /* bad word counts */
  WCT_REFUSED(SS_REQ, 0, 2, 3, 4, 11, 14);
  ctx c;
  ctx_begin(&c, _i, 0);
  ss_req_fill(&r, 11);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== SESSION_SETUP_ANDX response ========================================= */

START_TEST(test_session_setup_rsp) {
  for (int form = 0; form < 3; form++) {
    uint8_t wct = form == 0 ? 3 : form == 1 ? 4 : 0;
    smbw_session_setup_andx_rsp r, d;
    memset(&r, 0, sizeof r);
    r.wct = wct;
    if (wct) {
      r.action = SMBW_SESSION_ACTION_GUEST;
      r.andx.reserved = 0; /* encoders write AndXReserved as given */
      r.native_os = smbw_str_utf8("Unix");
      r.native_lanman = smbw_str_utf8("Samba 4.19.5-\xC3\xA9");
      r.primary_domain = smbw_str_utf8("WORKGROUP");
    }
    if (wct == 4) {
      r.security_blob.data = BLOB;
      r.security_blob.len = 9;
    }
    ctx c;
    ctx_begin(&c, _i, 1);
    ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, wct);
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(b, &d, NULL), 0);
    ck_assert_uint_eq(d.wct, wct);
    if (!wct) {
      ck_assert_uint_eq(b->bcc, 0);
      ck_assert_uint_eq(d.action, 0);
      ck_assert_ptr_null(d.native_os.data);
    } else {
      andx_is(&d.andx, 0xFF, 0, 0);
      ck_assert_uint_eq(d.action, SMBW_SESSION_ACTION_GUEST);
      bytes_is(d.security_blob, BLOB, wct == 4 ? 9 : 0);
      if (wct == 4) ck_assert_uint_eq(rd16(b->words + 6), 9);
      int e = uni_of(&c) ? U16 : OEM;
      str_is(&d.native_os, "Unix", e, 0);
      str_is(&d.native_lanman, "Samba 4.19.5-\xC3\xA9", e, 0);
      str_is(&d.primary_domain, "WORKGROUP", e, 0);
      str_aligned(&c, &d.native_os);
      str_aligned(&c, &d.native_lanman);
      str_aligned(&c, &d.primary_domain);
    }
    ctx_reencode(&c);
    ctx_free(&c);
  }
  /* blob length past the data */
  smbw_session_setup_andx_rsp r, d;
  memset(&r, 0, sizeof r);
  r.wct = 4;
  r.security_blob.data = BLOB;
  r.security_blob.len = 9;
  ctx c;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  wr16(OUT + c.hdr + ctx_block_off(&c) + 1 + 6, 10);
  const smbw_block *b = ctx_place(&c);
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(b, &d, &err), SMBW_E_FIELD_LENGTH);
  ck_assert_uint_eq(err.offset, b->offset + 1u + 6u);
  ck_assert_str_eq(err.field, "SecurityBlobLength");
  ctx_free(&c);
  /* bad word counts */
  WCT_REFUSED(SS_RSP, 2, 5, 12, 13);
  ctx_begin(&c, _i, 1);
  r.wct = 5;
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== TREE_CONNECT_ANDX =================================================== */

START_TEST(test_tree_connect_req) {
  static const uint8_t pw3[3] = {'a', 'b', 0};
  for (int k = 0; k < 3; k++) {
    smbw_tree_connect_andx_req r, d;
    memset(&r, 0, sizeof r);
    r.flags = SMBW_TREE_CONNECT_EXTENDED_RESPONSE | SMBW_TREE_CONNECT_DISCONNECT_TID;
    r.password.data = pw3;
    r.password.len = (uint32_t)k; /* 0, 1, 2: both parities of the path */
    r.path = smbw_str_utf8("\\\\FILESRV\\Gem\xC3\xBC" "se");
    r.service = smbw_str_utf8(k == 2 ? "IPC" : "?????");
    ctx c;
    ctx_begin(&c, _i, 0);
    ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, 4);
    ck_assert_uint_eq(rd16(b->words + 6), k);
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_tree_connect_andx_req_decode(b, &d, NULL), 0);
    andx_is(&d.andx, 0xFF, 0, 0);
    ck_assert_uint_eq(d.flags, r.flags);
    bytes_is(d.password, pw3, (uint32_t)k);
    str_is(&d.path, "\\\\FILESRV\\Gem\xC3\xBC" "se", uni_of(&c) ? U16 : OEM, 0);
    str_aligned(&c, &d.path);
    str_is(&d.service, k == 2 ? "IPC" : "?????", OEM, 0); /* always OEM */
    ctx_reencode(&c);
    ctx_free(&c);
  }
  /* PasswordLength past the data */
  smbw_tree_connect_andx_req r, d;
  memset(&r, 0, sizeof r);
  r.password.data = pw3;
  r.password.len = 3;
  ctx c;
  ctx_begin(&c, _i, 0);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  wr16(OUT + c.hdr + ctx_block_off(&c) + 1 + 6, 4);
  const smbw_block *b = ctx_place(&c);
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(b, &d, &err), SMBW_E_FIELD_LENGTH);
  ck_assert_uint_eq(err.offset, b->offset + 1u + 6u);
  ck_assert_str_eq(err.field, "PasswordLength");
  ctx_free(&c);
  WCT_REFUSED(TC_REQ, 0, 2, 3, 5);
}
END_TEST

START_TEST(test_tree_connect_rsp) {
  static const uint8_t forms[] = {2, 3, 7, 0};
  for (size_t k = 0; k < sizeof forms; k++) {
    smbw_tree_connect_andx_rsp r, d;
    memset(&r, 0, sizeof r);
    r.wct = forms[k];
    if (r.wct) {
      r.optional_support = r.wct >= 3 ? (SMBW_SUPPORT_SEARCH_BITS | SMBW_SHARE_IS_IN_DFS) : 0;
      r.maximal_share_access_rights = r.wct == 7 ? 0x001F01FFu : 0;
      r.guest_maximal_share_access_rights = r.wct == 7 ? 0x00120089u : 0;
      r.service = smbw_str_utf8(k == 1 ? "IPC" : "A:");
      r.native_file_system = smbw_str_utf8(k == 1 ? "" : "NTFS");
    }
    ctx c;
    ctx_begin(&c, _i, 1);
    ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, r.wct);
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(b, &d, NULL), 0);
    ck_assert_uint_eq(d.wct, r.wct);
    ck_assert_uint_eq(d.optional_support, r.optional_support);
    ck_assert_uint_eq(d.maximal_share_access_rights, r.maximal_share_access_rights);
    ck_assert_uint_eq(d.guest_maximal_share_access_rights, r.guest_maximal_share_access_rights);
    if (r.wct) {
      andx_is(&d.andx, 0xFF, 0, 0);
      str_is(&d.service, k == 1 ? "IPC" : "A:", OEM, 0);
      str_is(&d.native_file_system, k == 1 ? "" : "NTFS", uni_of(&c) ? U16 : OEM, 0);
      str_aligned(&c, &d.native_file_system);
    } else {
      ck_assert_uint_eq(b->bcc, 0);
      ck_assert_ptr_null(d.service.data);
    }
    ctx_reencode(&c);
    ctx_free(&c);
  }
  WCT_REFUSED(TC_RSP, 4, 5, 6, 8, 17);
  ctx c;
  smbw_tree_connect_andx_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 4;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== OPEN_ANDX =========================================================== */

START_TEST(test_open_req) {
  static const char *const names[] = {"\\srvsvc", ("\\dir\\Gr\xC3\xBC\xC3\x9F" "e.txt"), ""};
  for (int k = 0; k < 3; k++) {
    smbw_open_andx_req r, d;
    memset(&r, 0, sizeof r);
    r.andx.reserved = 0;
    r.flags = SMBW_OPEN_REQ_ADDITIONAL_INFO | SMBW_OPEN_REQ_OPLOCK | SMBW_OPEN_REQ_EXTENDED_RESPONSE;
    r.access_mode = SMBW_ACCESS_READWRITE | SMBW_SHARE_DENY_NONE;
    r.search_attrs = 0x0016;
    r.file_attrs = 0x0020;
    r.creation_time = 0x65A1B2C3u;
    r.open_mode = SMBW_OPEN_MODE_OPEN_IF_EXISTS | SMBW_OPEN_MODE_CREATE_IF_MISSING;
    r.allocation_size = 0x00100000u;
    r.timeout = 0xFFFFFFFFu;
    r.reserved = 0x11223344u;
    r.file_name = smbw_str_utf8(names[k]);
    ctx c;
    ctx_begin(&c, _i, 0);
    ck_assert_int_eq(smbw_open_andx_req_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, 15);
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_open_andx_req_decode(b, &d, NULL), 0);
    andx_is(&d.andx, 0xFF, 0, 0);
    ck_assert_uint_eq(d.flags, r.flags);
    ck_assert_uint_eq(d.access_mode, r.access_mode);
    ck_assert_uint_eq(d.search_attrs, r.search_attrs);
    ck_assert_uint_eq(d.file_attrs, r.file_attrs);
    ck_assert_uint_eq(d.creation_time, r.creation_time);
    ck_assert_uint_eq(d.open_mode, r.open_mode);
    ck_assert_uint_eq(d.allocation_size, r.allocation_size);
    ck_assert_uint_eq(d.timeout, r.timeout);
    ck_assert_uint_eq(d.reserved, r.reserved);
    str_is(&d.file_name, names[k], uni_of(&c) ? U16 : OEM, 0);
    str_aligned(&c, &d.file_name);
    ctx_reencode(&c);
    ctx_free(&c);
  }
  WCT_REFUSED(OPEN_REQ, 0, 2, 14, 16);
}
END_TEST

START_TEST(test_open_rsp) {
  static const uint8_t forms[] = {15, 19, 0};
  for (size_t k = 0; k < sizeof forms; k++) {
    smbw_open_andx_rsp r, d;
    memset(&r, 0, sizeof r);
    r.wct = forms[k];
    if (r.wct) {
      r.fid = 0x4001;
      r.file_attrs = 0x0080;
      r.last_write_time = 0x5F5E0FFu;
      r.file_data_size = 0x0001E240u;
      r.access_rights = 0x0002;
      r.resource_type = 0x0002;
      r.nmpipe_status = 0x05FF;
      r.open_results = 0x8001;
      r.server_fid = 0xAABBCCDDu;
      r.reserved = 0x1357;
    }
    if (r.wct == 19) {
      r.maximal_access_rights = 0x001F01FFu;
      r.guest_maximal_access_rights = 0x00120089u;
    }
    ctx c;
    ctx_begin(&c, _i, 1);
    ck_assert_int_eq(smbw_open_andx_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    ck_assert_uint_eq(b->wct, r.wct);
    ck_assert_uint_eq(b->bcc, 0);
    memset(&d, 0xA5, sizeof d);
    ck_assert_int_eq(smbw_open_andx_rsp_decode(b, &d, NULL), 0);
    ck_assert_uint_eq(d.wct, r.wct);
    if (r.wct) andx_is(&d.andx, 0xFF, 0, 0);
    ck_assert_uint_eq(d.fid, r.fid);
    ck_assert_uint_eq(d.file_attrs, r.file_attrs);
    ck_assert_uint_eq(d.last_write_time, r.last_write_time);
    ck_assert_uint_eq(d.file_data_size, r.file_data_size);
    ck_assert_uint_eq(d.access_rights, r.access_rights);
    ck_assert_uint_eq(d.resource_type, r.resource_type);
    ck_assert_uint_eq(d.nmpipe_status, r.nmpipe_status);
    ck_assert_uint_eq(d.open_results, r.open_results);
    ck_assert_uint_eq(d.server_fid, r.server_fid);
    ck_assert_uint_eq(d.reserved, r.reserved);
    ck_assert_uint_eq(d.maximal_access_rights, r.maximal_access_rights);
    ck_assert_uint_eq(d.guest_maximal_access_rights, r.guest_maximal_access_rights);
    if (r.wct) {
      /* wire positions, by hand */
      ck_assert_uint_eq(rd16(b->words + 4), 0x4001);
      ck_assert_uint_eq(rd16(b->words + 22), 0x8001);
      ck_assert_uint_eq(rd16(b->words + 28), 0x1357);
    }
    ctx_reencode(&c);
    ctx_free(&c);
  }
  WCT_REFUSED(OPEN_RSP, 2, 14, 16, 18, 20);
  ctx c;
  smbw_open_andx_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 17;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_open_andx_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== READ_ANDX =========================================================== */

START_TEST(test_read_req) {
  static const uint64_t offs[] = {0, 0xFFFFFFFFull, 0x100000000ull, 0x123456789Aull,
                                  0xFFFFFFFFFFFFFFFFull};
  for (int wct = 10; wct <= 12; wct += 2) {
    for (size_t k = 0; k < sizeof offs / sizeof offs[0]; k++) {
      smbw_read_andx_req r, d;
      memset(&r, 0, sizeof r);
      r.wct = (uint8_t)wct;
      r.fid = 0x4002;
      r.max_count = 0xF000;
      r.min_count = 0x0100;
      r.remaining = 0x0042;
      r.timeout = 0x00000001u; /* MaxCountHigh */
      r.offset = offs[k];
      ctx c;
      ctx_begin(&c, _i, 0);
      int rc = smbw_read_andx_req_encode(&c.b, &r);
      if (wct == 10 && offs[k] > 0xFFFFFFFFull) {
        ck_assert_int_eq(rc, SMBW_E_RANGE);
        ck_assert_int_eq(ctx_finish(&c), SMBW_E_RANGE);
        ctx_free(&c);
        continue;
      }
      ck_assert_int_eq(rc, 0);
      const smbw_block *b = ctx_done(&c);
      ck_assert_uint_eq(b->wct, wct);
      ck_assert_uint_eq(b->bcc, 0);
      memset(&d, 0xA5, sizeof d);
      ck_assert_int_eq(smbw_read_andx_req_decode(b, &d, NULL), 0);
      ck_assert_uint_eq(d.wct, wct);
      andx_is(&d.andx, 0xFF, 0, 0);
      ck_assert_uint_eq(d.fid, r.fid);
      ck_assert_uint_eq(d.max_count, r.max_count);
      ck_assert_uint_eq(d.min_count, r.min_count);
      ck_assert_uint_eq(d.remaining, r.remaining);
      ck_assert_uint_eq(d.timeout, r.timeout);
      ck_assert(d.offset == r.offset);
      if (wct == 12) {
        ck_assert_uint_eq(rd16(b->words + 20), (uint16_t)(offs[k] >> 32));
      }
      ctx_reencode(&c);
      ctx_free(&c);
    }
  }
  WCT_REFUSED(READ_REQ, 0, 2, 11, 13);
}
END_TEST

static void read_rsp_fill(smbw_read_andx_rsp *r, const uint8_t *data, uint32_t len) {
  memset(r, 0, sizeof *r);
  r->wct = 12;
  r->available = 0xFFFF;
  r->data_compaction_mode = 0;
  r->reserved1 = 0x0001;
  r->reserved2 = 0x0102030405060708ull;
  r->data.data = data;
  r->data.len = len;
}

static void read_rsp_check(const ctx *c, const smbw_block *b, const smbw_read_andx_rsp *r,
                           uint32_t want_doff) {
  smbw_read_andx_rsp d;
  smbw_error err = {0, 0, NULL};
  memset(&d, 0xA5, sizeof d);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, &err), 0);
  ck_assert_uint_eq(d.wct, 12);
  andx_is(&d.andx, 0xFF, 0, 0);
  ck_assert_uint_eq(d.available, r->available);
  ck_assert_uint_eq(d.data_compaction_mode, r->data_compaction_mode);
  ck_assert_uint_eq(d.reserved1, r->reserved1);
  ck_assert(d.reserved2 == r->reserved2);
  ck_assert_uint_eq(d.data_length, r->data.len);
  ck_assert_uint_eq(d.data_offset, want_doff);
  ck_assert_uint_eq(d.data.len, r->data.len);
  ck_assert_ptr_eq(d.data.data, c->msg + want_doff);
  if (r->data.len) ck_assert_int_eq(memcmp(d.data.data, r->data.data, r->data.len), 0);
  /* wire words */
  ck_assert_uint_eq(rd16(b->words + 10), r->data.len & 0xFFFF);
  ck_assert_uint_eq(rd16(b->words + 12), want_doff);
  ck_assert_uint_eq(rd16(b->words + 14), r->data.len >> 16);
  /* ByteCount: pad + data, low 16 bits */
  uint32_t area = (uint32_t)(b->bytes - b->msg);
  uint32_t pad = want_doff >= area ? want_doff - area : 0; /* none before the area */
  ck_assert_uint_eq(b->bcc, (pad + r->data.len) & 0xFFFF);
  for (uint32_t i = area; i < want_doff; i++) ck_assert_uint_eq(c->msg[i], 0);
}

START_TEST(test_read_rsp_default_pad) {
  static const uint8_t data[] = "The quick brown fox jumps over the lazy dog";
  smbw_read_andx_rsp r;
  read_rsp_fill(&r, data, sizeof data - 1);
  ctx c;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  uint32_t area = ctx_block_off(&c) + 27;
  uint32_t want = area + (area & 1u); /* data at an even offset */
  read_rsp_check(&c, b, &r, want);
  ck_assert_uint_eq(want & 1u, 0);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_read_rsp_explicit_offset) {
  static const uint8_t data[] = "0123456789abcdef";
  for (uint32_t extra = 0; extra < 7; extra++) {
    smbw_read_andx_rsp r;
    read_rsp_fill(&r, data, 16);
    ctx c;
    ctx_begin(&c, _i, 1);
    uint32_t area = ctx_block_off(&c) + 27;
    r.data_offset = (uint16_t)(area + extra);
    ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
    const smbw_block *b = ctx_done(&c);
    read_rsp_check(&c, b, &r, area + extra);
    ctx_reencode(&c);
    ctx_free(&c);
  }
  /* a DataOffset below the data area is not honoured: default pad */
  smbw_read_andx_rsp r;
  read_rsp_fill(&r, data, 16);
  r.data_offset = 40;
  ctx c;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  uint32_t area = ctx_block_off(&c) + 27;
  read_rsp_check(&c, b, &r, area + (area & 1u));
  ctx_free(&c);
}
END_TEST

START_TEST(test_read_rsp_empty) {
  /* no data, DataOffset 0: written as 0, no pad (a decoded DataOffset 0
     must come back as 0 with nothing moved) */
  smbw_read_andx_rsp r;
  read_rsp_fill(&r, NULL, 0);
  ctx c;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  uint32_t area = ctx_block_off(&c) + 27;
  ck_assert_uint_eq(rd16(b->words + 12), 0);
  ck_assert_uint_eq(b->bcc, 0);
  ck_assert_uint_eq(c.mlen, area);
  smbw_read_andx_rsp d;
  memset(&d, 0xA5, sizeof d);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.data_offset, 0);
  ck_assert_uint_eq(d.data_length, 0);
  ck_assert_uint_eq(d.pad.len, 0);
  ck_assert_uint_eq(d.extra.len, 0);
  ctx_reencode(&c);
  ctx_free(&c);
  /* the same with extra bytes: they stay right after ByteCount */
  static const uint8_t x3[3] = {0x11, 0x22, 0x33};
  r.extra.data = x3;
  r.extra.len = 3;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  b = ctx_done(&c);
  ck_assert_uint_eq(rd16(b->words + 12), 0);
  ck_assert_uint_eq(b->bcc, 3);
  ck_assert_int_eq(memcmp(b->bytes, x3, 3), 0);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.pad.len, 0);
  ck_assert_uint_eq(d.extra.len, 3);
  ck_assert_ptr_eq(d.extra.data, b->bytes);
  ctx_reencode(&c);
  ctx_free(&c);
  r.extra.data = NULL;
  r.extra.len = 0;
  /* the server layout of an empty read: DataOffset at the even offset,
     asked for explicitly */
  ctx_begin(&c, _i, 1);
  area = ctx_block_off(&c) + 27;
  r.data_offset = (uint16_t)(area + (area & 1u));
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  b = ctx_done(&c);
  read_rsp_check(&c, b, &r, area + (area & 1u));
  ck_assert_uint_eq(b->bcc, area & 1u);
  ctx_reencode(&c);
  ctx_free(&c);
  /* the error form */
  memset(&r, 0, sizeof r);
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  b = ctx_done(&c);
  ck_assert_uint_eq(b->wct, 0);
  ck_assert_uint_eq(b->bcc, 0);
  memset(&d, 0xA5, sizeof d);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.wct, 0);
  ck_assert_uint_eq(d.data.len, 0);
  ck_assert_uint_eq(d.data_length, 0);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_read_rsp_large) {
  /* more than 64 KiB: DataLengthHigh carries the rest, ByteCount the low
     16 bits of pad + data; framed for port 445 */
  const uint32_t n = 0x10000u + 0x1234u;
  uint8_t *data = malloc(n);
  ck_assert_ptr_nonnull(data);
  for (uint32_t i = 0; i < n; i++) data[i] = (uint8_t)(i * 31 + (i >> 8));
  smbw_read_andx_rsp r;
  read_rsp_fill(&r, data, n);
  ctx c;
  ctx_begin(&c, 1 + 3 * _i, 1); /* prefix 1 => DIRECT framing */
  ck_assert_int_eq(c.framing, SMBW_FRAMING_DIRECT);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  uint32_t area = ctx_block_off(&c) + 27;
  uint32_t doff = area + (area & 1u);
  read_rsp_check(&c, b, &r, doff);
  ck_assert_uint_eq(rd16(b->words + 14), 1);
  ck_assert_uint_eq(c.mlen, doff + n);
  ctx_reencode(&c);
  ctx_free(&c);
  /* the same response with 128 KiB of data is too big for NBT framing
     (17-bit length): SMBW_E_RANGE */
  uint8_t *big = malloc(0x20000);
  ck_assert_ptr_nonnull(big);
  memset(big, 0x33, 0x20000);
  read_rsp_fill(&r, big, 0x20000);
  ctx_begin(&c, 0, 1); /* prefix 0 => NBT */
  ck_assert_int_eq(c.framing, SMBW_FRAMING_NBT);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), SMBW_E_RANGE);
  ctx_free(&c);
  free(big);
  free(data);
}
END_TEST

START_TEST(test_read_rsp_bad_offsets) {
  static const uint8_t data[32] = {1, 2, 3};
  smbw_read_andx_rsp r, d;
  read_rsp_fill(&r, data, 32);
  for (int k = 0; k < 4; k++) {
    ctx c;
    ctx_begin(&c, _i, 1);
    ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
    ck_assert_int_eq(ctx_finish(&c), 0);
    uint32_t off = ctx_block_off(&c);
    uint8_t *w = OUT + c.hdr + off + 1;
    uint32_t area = off + 27;
    uint32_t mlen = (uint32_t)(c.len - c.hdr);
    const char *field;
    uint32_t at;
    if (k == 0) { /* DataOffset into the words */
      wr16(w + 12, (uint16_t)(area - 1));
      field = "DataOffset";
      at = off + 13;
    } else if (k == 1) { /* DataOffset into the header */
      wr16(w + 12, 4);
      field = "DataOffset";
      at = off + 13;
    } else if (k == 2) { /* one byte past the message */
      wr16(w + 10, (uint16_t)(mlen - rd16(w + 12) + 1));
      field = "DataLength";
      at = off + 11;
    } else { /* DataLengthHigh past the message */
      wr16(w + 14, 1);
      field = "DataLength";
      at = off + 11;
    }
    const smbw_block *b = ctx_place(&c);
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, &err), SMBW_E_DATA_OFFSET);
    ck_assert_int_eq(err.code, SMBW_E_DATA_OFFSET);
    ck_assert_uint_eq(err.offset, at);
    ck_assert_str_eq(err.field, field);
    ctx_free(&c);
  }
  /* the data ending exactly at the end of the message is fine */
  ctx c;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  const smbw_block *b = ctx_done(&c);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_ptr_eq(d.data.data + d.data.len, c.msg + c.mlen);
  ctx_free(&c);
  /* wrong word counts */
  WCT_REFUSED(READ_RSP, 2, 10, 11, 13);
  /* encoder: unknown form, data view without data */
  ctx_begin(&c, _i, 1);
  r.wct = 10;
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
  ctx_begin(&c, _i, 1);
  read_rsp_fill(&r, NULL, 5);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== wrong command, NULL arguments ======================================= */


START_TEST(test_wrong_command) {
  /* every decoder given a block of every other seed command (and ECHO) */
  static const uint8_t cmds[] = {SMBW_COM_NEGOTIATE, SMBW_COM_SESSION_SETUP_ANDX,
                                 SMBW_COM_TREE_CONNECT_ANDX, SMBW_COM_OPEN_ANDX,
                                 SMBW_COM_READ_ANDX, SMBW_COM_ECHO, SMBW_COM_LOGOFF_ANDX};
  static uint8_t words[64];
  any_msg u;
  for (size_t k = 0; k < sizeof cmds; k++) {
    ctx c;
    words[0] = 0xFF; /* an AndX terminator for AndX commands */
    const smbw_block *b = raw_block(&c, _i, 0, cmds[k], words, 12, NULL, 0);
    for (size_t j = 0; j < NDEC; j++) {
      if (DECODERS[j].cmd == cmds[k]) continue;
      smbw_error err = {0, 0, NULL};
      memset(&u, 0xA5, sizeof u);
      int rc = DECODERS[j].fn(b, &u, &err);
      ck_assert_msg(rc == SMBW_E_COMMAND, "%s on command 0x%02X: %d", DECODERS[j].name, cmds[k],
                    rc);
      ck_assert_int_eq(err.code, SMBW_E_COMMAND);
      ck_assert_uint_eq(err.offset, b->offset);
      ck_assert_str_eq(err.field, "Command");
    }
    ctx_free(&c);
  }
}
END_TEST

START_TEST(test_null_arguments) {
  static uint8_t words[64];
  any_msg u;
  for (size_t j = 0; j < NDEC; j++) {
    ctx c;
    words[0] = 0xFF;
    const smbw_block *b = raw_block(&c, 0, 0, DECODERS[j].cmd, words, 12, NULL, 0);
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(DECODERS[j].fn(NULL, &u, &err), SMBW_E_INVAL);
    ck_assert_int_eq(err.code, SMBW_E_INVAL);
    ck_assert_ptr_nonnull(err.field);
    ck_assert_int_eq(DECODERS[j].fn(b, NULL, &err), SMBW_E_INVAL);
    ck_assert_int_eq(DECODERS[j].fn(NULL, NULL, NULL), SMBW_E_INVAL);
    ctx_free(&c);
  }
  /* encoders: NULL builder, and NULL struct (sticky in the builder) */
  ck_assert_int_eq(smbw_negotiate_req_encode(NULL, &u.nq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_negotiate_rsp_encode(NULL, &u.nr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(NULL, &u.sq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(NULL, &u.sr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(NULL, &u.tq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_encode(NULL, &u.tr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_req_encode(NULL, &u.oq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_open_andx_rsp_encode(NULL, &u.orr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_req_encode(NULL, &u.rq), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(NULL, &u.rr), SMBW_E_INVAL);
  for (int k = 0; k < 10; k++) {
    ctx c;
    ctx_begin(&c, 0, 0);
    int rc = 0;
    switch (k) {
    case 0: rc = smbw_negotiate_req_encode(&c.b, NULL); break;
    case 1: rc = smbw_negotiate_rsp_encode(&c.b, NULL); break;
    case 2: rc = smbw_session_setup_andx_req_encode(&c.b, NULL); break;
    case 3: rc = smbw_session_setup_andx_rsp_encode(&c.b, NULL); break;
    case 4: rc = smbw_tree_connect_andx_req_encode(&c.b, NULL); break;
    case 5: rc = smbw_tree_connect_andx_rsp_encode(&c.b, NULL); break;
    case 6: rc = smbw_open_andx_req_encode(&c.b, NULL); break;
    case 7: rc = smbw_open_andx_rsp_encode(&c.b, NULL); break;
    case 8: rc = smbw_read_andx_req_encode(&c.b, NULL); break;
    default: rc = smbw_read_andx_rsp_encode(&c.b, NULL); break;
    }
    ck_assert_msg(rc == SMBW_E_INVAL, "encoder %d: %d", k, rc);
    ck_assert_int_eq(ctx_finish(&c), SMBW_E_INVAL);
    ctx_free(&c);
  }
  /* negotiate request: a NULL name, a dialect view without data */
  ctx c;
  static const char *const withnull[] = {"NT LM 0.12", NULL};
  smbw_negotiate_req r = {{NULL, 0}, 2, withnull};
  ctx_begin(&c, 0, 0);
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r), SMBW_E_INVAL);
  ctx_free(&c);
  smbw_negotiate_req r2 = {{NULL, 5}, 0, NULL};
  ctx_begin(&c, 0, 0);
  ck_assert_int_eq(smbw_negotiate_req_encode(&c.b, &r2), SMBW_E_INVAL);
  ctx_free(&c);
}
END_TEST

/* ==== extra data bytes, pad bytes, string slots =========================== */

static const uint8_t EXTRA[3] = {0xE1, 0xE2, 0xE3};

static void extra_is(smbw_bytes got, const smbw_block *b) {
  ck_assert_uint_eq(got.len, 3);
  ck_assert_ptr_eq(got.data, b->bytes + b->bcc - 3);
  ck_assert_int_eq(memcmp(got.data, EXTRA, 3), 0);
}

/* Every form that has data after its last field: extra bytes survive
   decode(encode()) and re-encode byte for byte. */
START_TEST(test_extra_bytes) {
  const smbw_bytes ex = {EXTRA, 3};
  for (int form = 0; form < 17; form++) {
    ctx c;
    int reply = form >= 8;
    ctx_begin(&c, _i, reply);
    any_msg u, d;
    memset(&u, 0, sizeof u);
    int rc;
    switch (form) {
    case 0: case 1: case 2: /* session setup request 10, 12, 13 */
      ss_req_fill(&u.sq, form == 0 ? 10 : form == 1 ? 12 : 13);
      u.sq.native_os = smbw_str_utf8("os");
      u.sq.native_lanman = smbw_str_utf8("lm");
      u.sq.primary_domain = smbw_str_utf8("D");
      u.sq.account_name = smbw_str_utf8("A");
      u.sq.extra = ex;
      rc = smbw_session_setup_andx_req_encode(&c.b, &u.sq);
      break;
    case 3:
      u.tq.path = smbw_str_utf8("\\\\S\\T");
      u.tq.service = smbw_str_utf8("A:");
      u.tq.extra = ex;
      rc = smbw_tree_connect_andx_req_encode(&c.b, &u.tq);
      break;
    case 4:
      u.oq.file_name = smbw_str_utf8("\\f");
      u.oq.extra = ex;
      rc = smbw_open_andx_req_encode(&c.b, &u.oq);
      break;
    case 5: case 6:
      u.rq.wct = form == 5 ? 10 : 12;
      u.rq.extra = ex;
      rc = smbw_read_andx_req_encode(&c.b, &u.rq);
      break;
    case 7: /* placeholder: a request with no data */
      u.rq.wct = 12;
      rc = smbw_read_andx_req_encode(&c.b, &u.rq);
      break;
    case 8: case 9: case 10: case 11: /* negotiate response 0, 1, 13, 17 */
      u.nr.wct = form == 8 ? 0 : form == 9 ? 1 : form == 10 ? 13 : 17;
      u.nr.challenge.data = KEY8;
      u.nr.challenge.len = u.nr.wct >= 13 ? 8 : 0;
      u.nr.domain_name = smbw_str_utf8(u.nr.wct >= 13 ? "DOM" : NULL);
      u.nr.server_name = smbw_str_utf8(u.nr.wct == 17 ? "SRV" : NULL);
      u.nr.extra = ex;
      rc = smbw_negotiate_rsp_encode(&c.b, &u.nr);
      break;
    case 12: case 13: /* session setup response 3, 4 (0 below) */
      u.sr.wct = form == 12 ? 3 : 4;
      u.sr.security_blob.data = BLOB;
      u.sr.security_blob.len = form == 13 ? 5 : 0;
      u.sr.native_os = smbw_str_utf8("os");
      u.sr.native_lanman = smbw_str_utf8("lm");
      u.sr.primary_domain = smbw_str_utf8("D");
      u.sr.extra = ex;
      rc = smbw_session_setup_andx_rsp_encode(&c.b, &u.sr);
      break;
    case 14: /* tree connect response 3 */
      u.tr.wct = 3;
      u.tr.service = smbw_str_utf8("IPC");
      u.tr.native_file_system = smbw_str_utf8("");
      u.tr.extra = ex;
      rc = smbw_tree_connect_andx_rsp_encode(&c.b, &u.tr);
      break;
    case 15: /* open response 15 */
      u.orr.wct = 15;
      u.orr.extra = ex;
      rc = smbw_open_andx_rsp_encode(&c.b, &u.orr);
      break;
    default: /* session setup response 0 */
      u.sr.wct = 0;
      u.sr.extra = ex;
      rc = smbw_session_setup_andx_rsp_encode(&c.b, &u.sr);
      break;
    }
    ck_assert_msg(rc == 0, "form %d: %s", form, smbw_errname(rc));
    const smbw_block *b = ctx_done(&c);
    memset(&d, 0xA5, sizeof d);
    switch (form) {
    case 0: case 1: case 2:
      ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d.sq, NULL), 0);
      extra_is(d.sq.extra, b);
      str_is(&d.sq.native_lanman, "lm", uni_of(&c) ? U16 : OEM, 0);
      break;
    case 3:
      ck_assert_int_eq(smbw_tree_connect_andx_req_decode(b, &d.tq, NULL), 0);
      extra_is(d.tq.extra, b);
      str_is(&d.tq.service, "A:", OEM, 0);
      break;
    case 4:
      ck_assert_int_eq(smbw_open_andx_req_decode(b, &d.oq, NULL), 0);
      extra_is(d.oq.extra, b);
      break;
    case 5: case 6:
      ck_assert_int_eq(smbw_read_andx_req_decode(b, &d.rq, NULL), 0);
      extra_is(d.rq.extra, b);
      ck_assert_uint_eq(b->bcc, 3);
      break;
    case 7:
      ck_assert_int_eq(smbw_read_andx_req_decode(b, &d.rq, NULL), 0);
      ck_assert_uint_eq(d.rq.extra.len, 0);
      break;
    case 8: case 9: case 10: case 11:
      ck_assert_int_eq(smbw_negotiate_rsp_decode(b, &d.nr, NULL), 0);
      extra_is(d.nr.extra, b);
      if (form >= 10) str_is(&d.nr.domain_name, "DOM", form == 10 || !uni_of(&c) ? OEM : U16, 0);
      break;
    case 12: case 13: case 16:
      ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(b, &d.sr, NULL), 0);
      extra_is(d.sr.extra, b);
      if (form != 16) str_is(&d.sr.primary_domain, "D", uni_of(&c) ? U16 : OEM, 0);
      break;
    case 14:
      ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(b, &d.tr, NULL), 0);
      extra_is(d.tr.extra, b);
      str_is(&d.tr.native_file_system, "", uni_of(&c) ? U16 : OEM, 0);
      break;
    default:
      ck_assert_int_eq(smbw_open_andx_rsp_decode(b, &d.orr, NULL), 0);
      extra_is(d.orr.extra, b);
      break;
    }
    ctx_reencode(&c);
    ctx_free(&c);
  }
}
END_TEST

START_TEST(test_absent_string_slots) {
  /* an absent string before a present one is written as "" so every later
     string decodes into its own field */
  smbw_session_setup_andx_req r, d;
  ss_req_fill(&r, 13);
  r.primary_domain = smbw_str_utf8("DOM");
  r.native_lanman = smbw_str_utf8("LM");
  ctx c;
  const smbw_block *b = ss_req_build(&c, _i, &r);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(b, &d, NULL), 0);
  int e = uni_of(&c) ? U16 : OEM;
  str_is(&d.account_name, "", e, 0);
  str_is(&d.primary_domain, "DOM", e, 0);
  str_is(&d.native_os, "", e, 0);
  str_is(&d.native_lanman, "LM", e, 0);
  ck_assert_uint_eq(d.extra.len, 0);
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_pad_byte_kept) {
  /* a non-zero UTF-16 alignment pad byte, as some peers send, is kept */
  smbw_session_setup_andx_rsp r, d;
  memset(&r, 0, sizeof r);
  r.wct = 3;
  r.native_os = smbw_str_utf8("Unix");
  r.native_lanman = smbw_str_utf8("Samba");
  ctx c;
  ctx_begin(&c, 3 + (_i % 3), 1); /* Unicode */
  ck_assert_int_eq(smbw_session_setup_andx_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  uint32_t area = ctx_block_off(&c) + 3 + 6;
  if (area & 1u) OUT[c.hdr + area] = 0xAB; /* the pad before NativeOS */
  const smbw_block *b = ctx_place(&c);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.native_os.pad, (area & 1u) ? 0xAB : 0);
  ck_assert(smbw_str_eq(&d.native_os, "Unix"));
  ck_assert(smbw_str_eq(&d.native_lanman, "Samba"));
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

START_TEST(test_read_rsp_pad_and_offsets) {
  static const uint8_t data[] = "payload!";
  /* non-zero pad bytes before the data are kept */
  smbw_read_andx_rsp r, d;
  read_rsp_fill(&r, data, 8);
  ctx c;
  ctx_begin(&c, _i, 1);
  uint32_t area = ctx_block_off(&c) + 27;
  r.data_offset = (uint16_t)(area + 3);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  memcpy(OUT + c.hdr + area, "\x11\x22\x33", 3);
  const smbw_block *b = ctx_place(&c);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.pad.len, 3);
  ck_assert_ptr_eq(d.pad.data, b->bytes);
  ck_assert_int_eq(memcmp(d.pad.data, "\x11\x22\x33", 3), 0);
  ck_assert_uint_eq(d.data_offset, area + 3);
  ctx_reencode(&c);
  ctx_free(&c);
  /* no data and a DataOffset that points nowhere useful: kept as given */
  read_rsp_fill(&r, NULL, 0);
  r.data_offset = 5;
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  b = ctx_done(&c);
  ck_assert_uint_eq(rd16(b->words + 12), 5);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.data_offset, 5);
  ck_assert_uint_eq(d.data.len, 0);
  ck_assert_uint_eq(d.pad.len, 0);
  ctx_reencode(&c);
  ctx_free(&c);
  /* no data, DataOffset past the message */
  read_rsp_fill(&r, NULL, 0);
  ctx_begin(&c, _i, 1);
  ck_assert_int_eq(smbw_read_andx_rsp_encode(&c.b, &r), 0);
  ck_assert_int_eq(ctx_finish(&c), 0);
  wr16(OUT + c.hdr + ctx_block_off(&c) + 1 + 12, (uint16_t)(c.len - c.hdr + 1));
  b = ctx_place(&c);
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_read_andx_rsp_decode(b, &d, &err), SMBW_E_DATA_OFFSET);
  ck_assert_uint_eq(err.offset, b->offset + 13);
  ck_assert_str_eq(err.field, "DataOffset");
  ctx_free(&c);
}
END_TEST

/* ==== Regressions: library bugs these tests found (fixed) ================ */

/*
 * Regression (was a library bug): a lone data byte at an odd offset after the last field is
 * taken as the UTF-16 alignment pad of the next (absent) string and then
 * lost: it is neither in the string (absent) nor in @c extra, so the
 * decoded response re-encodes one byte short.  Seen with an even-length
 * security blob followed by a single pad byte and no strings.
 */
START_TEST(test_bug_lone_pad_byte_lost) {
  /* SESSION_SETUP_ANDX response, 4 words, Unicode: data area at an odd
     offset (32 + 9 = 41); blob of 10 bytes ends at 51 (odd); one byte */
  ctx c;
  uint8_t words[8] = {0xFF, 0, 0, 0, 0, 0, 10, 0};
  uint8_t data[11] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x00};
  const smbw_block *b = raw_block(&c, 3, 1, SMBW_COM_SESSION_SETUP_ANDX, words, 4, data, 11);
  ck_assert_uint_eq(b->offset, 32);
  smbw_session_setup_andx_rsp d;
  ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(b, &d, NULL), 0);
  ck_assert_uint_eq(d.security_blob.len, 10);
  /* the byte at 51 must be accounted for somewhere */
  size_t kept = d.extra.len + (d.native_os.data ? 1 : 0);
  ck_assert_msg(kept >= 1, "regression: data byte at offset 51 dropped by "
                           "smbw_session_setup_andx_rsp_decode (not in extra, NativeOS absent)");
  ctx_reencode(&c);
  ctx_free(&c);
}
END_TEST

/*
 * Regression (was a library bug): encoders add an unchecked 32-bit length (extra.len, or the
 * negotiate response's security_blob.len) to the data size; a length near
 * 2^32 wraps the sum below 0xFFFF, the encoder returns 0 and the message
 * has a ByteCount that does not match what was asked for (the fields that
 * no longer fit are silently left unwritten).  Expected SMBW_E_RANGE.
 */
START_TEST(test_bug_length_overflow) {
  static const uint32_t huge = 0xFFFFFFFFu;
  const smbw_bytes big = {EXTRA, huge}; /* never read if the check works */
  char bad[1024] = "";
  for (int k = 0; k < 7; k++) {
    ctx c;
    ctx_begin(&c, 3, k >= 3);
    int rc = 0;
    const char *what = "";
    any_msg u;
    memset(&u, 0, sizeof u);
    switch (k) {
    case 0:
      ss_req_fill(&u.sq, 13);
      u.sq.account_name = smbw_str_utf8("Administrator");
      u.sq.extra = big;
      what = "smbw_session_setup_andx_req_encode extra";
      rc = smbw_session_setup_andx_req_encode(&c.b, &u.sq);
      break;
    case 1:
      u.tq.path = smbw_str_utf8("\\\\SERVER\\SHARE");
      u.tq.extra = big;
      what = "smbw_tree_connect_andx_req_encode extra";
      rc = smbw_tree_connect_andx_req_encode(&c.b, &u.tq);
      break;
    case 2:
      u.oq.file_name = smbw_str_utf8("\\file.txt");
      u.oq.extra = big;
      what = "smbw_open_andx_req_encode extra";
      rc = smbw_open_andx_req_encode(&c.b, &u.oq);
      break;
    case 3:
      u.sr.wct = 3;
      u.sr.native_os = smbw_str_utf8("Windows");
      u.sr.extra = big;
      what = "smbw_session_setup_andx_rsp_encode extra";
      rc = smbw_session_setup_andx_rsp_encode(&c.b, &u.sr);
      break;
    case 4:
      u.tr.wct = 3;
      u.tr.service = smbw_str_utf8("IPC");
      u.tr.extra = big;
      what = "smbw_tree_connect_andx_rsp_encode extra";
      rc = smbw_tree_connect_andx_rsp_encode(&c.b, &u.tr);
      break;
    case 5:
      nt_rsp_fill(&u.nr, 0);
      u.nr.challenge.data = KEY8;
      u.nr.challenge.len = 8;
      u.nr.domain_name = smbw_str_utf8("WORKGROUP");
      u.nr.extra = big;
      what = "smbw_negotiate_rsp_encode extra";
      rc = smbw_negotiate_rsp_encode(&c.b, &u.nr);
      break;
    default:
      nt_rsp_fill(&u.nr, SMBW_CAP_EXTENDED_SECURITY);
      u.nr.server_guid.data = GUID;
      u.nr.server_guid.len = 16;
      u.nr.security_blob = big;
      what = "smbw_negotiate_rsp_encode security_blob";
      rc = smbw_negotiate_rsp_encode(&c.b, &u.nr);
      break;
    }
    if (rc != SMBW_E_RANGE && rc != SMBW_E_INVAL) {
      size_t l = strlen(bad);
      snprintf(bad + l, sizeof bad - l, " [%s -> %s]", what, smbw_errname(rc));
    }
    ctx_free(&c);
  }
  ck_assert_msg(bad[0] == 0, "regression: length 0x%08X accepted:%s", (unsigned)huge, bad);
}
END_TEST

/*
 * Regression (was a library bug): a byte view with a length but no data (which
 * common.h says cannot happen) is refused with SMBW_E_INVAL for @c extra
 * and the READ_ANDX data, but the other views are copied with memcpy from
 * NULL: the process crashes.  Each case runs in its own child process.
 */
static int null_view_case(int k) {
  ctx c;
  const smbw_bytes nul = {NULL, 8};
  ctx_begin(&c, 3, k >= 5);
  int rc;
  switch (k) {
  case 0: { smbw_session_setup_andx_req r; ss_req_fill(&r, 13); r.password = nul;
            rc = smbw_session_setup_andx_req_encode(&c.b, &r); break; }
  case 1: { smbw_session_setup_andx_req r; ss_req_fill(&r, 13); r.unicode_password = nul;
            rc = smbw_session_setup_andx_req_encode(&c.b, &r); break; }
  case 2: { smbw_session_setup_andx_req r; ss_req_fill(&r, 12); r.security_blob = nul;
            rc = smbw_session_setup_andx_req_encode(&c.b, &r); break; }
  case 3: { smbw_session_setup_andx_req r; ss_req_fill(&r, 10); r.password = nul;
            rc = smbw_session_setup_andx_req_encode(&c.b, &r); break; }
  case 4: { smbw_tree_connect_andx_req r; memset(&r, 0, sizeof r); r.password = nul;
            rc = smbw_tree_connect_andx_req_encode(&c.b, &r); break; }
  case 5: { smbw_session_setup_andx_rsp r; memset(&r, 0, sizeof r); r.wct = 4; r.security_blob = nul;
            rc = smbw_session_setup_andx_rsp_encode(&c.b, &r); break; }
  case 6: { smbw_negotiate_rsp r; memset(&r, 0, sizeof r); r.wct = 13; r.challenge = nul;
            rc = smbw_negotiate_rsp_encode(&c.b, &r); break; }
  case 7: { smbw_negotiate_rsp r; nt_rsp_fill(&r, 0); r.challenge = nul;
            rc = smbw_negotiate_rsp_encode(&c.b, &r); break; }
  default: { smbw_negotiate_rsp r; nt_rsp_fill(&r, SMBW_CAP_EXTENDED_SECURITY);
             r.server_guid.data = GUID; r.server_guid.len = 16; r.security_blob = nul;
             rc = smbw_negotiate_rsp_encode(&c.b, &r); break; }
  }
  ctx_free(&c);
  return rc;
}

START_TEST(test_bug_null_view_data) {
  static const char *const what[] = {
      "session_setup_req(13).password", "session_setup_req(13).unicode_password",
      "session_setup_req(12).security_blob", "session_setup_req(10).password",
      "tree_connect_req.password", "session_setup_rsp(4).security_blob",
      "negotiate_rsp(13).challenge", "negotiate_rsp(17).challenge",
      "negotiate_rsp(17 ext).security_blob"};
  char bad[1024] = "";
  for (int k = 0; k < 9; k++) {
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
      int rc = null_view_case(k);
      _exit(rc == SMBW_E_INVAL ? 0 : 1);
    }
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
      size_t l = strlen(bad);
      snprintf(bad + l, sizeof bad - l, " [%s: %s]", what[k],
               WIFSIGNALED(st) ? "crashed" : "not SMBW_E_INVAL");
    }
  }
  ck_assert_msg(bad[0] == 0, "regression: view {NULL, 8} not refused:%s", bad);
}
END_TEST

/* ==== main ================================================================ */

/* LOCKING_ANDX range records of every golden LOCKING_ANDX request (32-
   and 64-bit, from smbtorture's raw.lock and the oplock breaks): the
   records smbw_lock_range_get() reads are tshark's offsets and lengths, in
   wire order (unlocks, then locks), and
   smbw_lock_ranges_encode() writes them back byte for byte, sizes first. */
START_TEST(test_lock_ranges_golden) {
  char *files[256];
  int nfiles = vec_list(files, 256);
  unsigned long records = 0, large = 0;
  for (int fi = 0; fi < nfiles; fi++) {
    vec_file vf;
    ck_assert_int_eq(vec_load(files[fi], &vf), 0);
    for (size_t i = 0; i < vf.n; i++) {
      const vec_msg *m = &vf.msgs[i];
      smbw_parsed p;
      smbw_block b[8];
      int fr = m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
      if (smbw_parse(m->bytes, m->len, fr, SMBW_PARSE_STRICT, &p, b, 8, NULL, NULL) <= 0) continue;
      char offs[4096] = "", lens[4096] = "";
      size_t no = 0, nl = 0;
      int large_msg = 0;
      for (uint32_t k = 0; k < p.nblocks; k++) {
        if (b[k].command != SMBW_COM_LOCKING_ANDX || (b[k].flags & SMBW_FLAGS_REPLY)) continue;
        smbw_locking_andx_req r;
        if (smbw_locking_andx_req_decode(&b[k], &r, NULL)) continue;
        large_msg = (r.type_of_lock & SMBW_LOCKING_LARGE_FILES) != 0;
        const smbw_bytes area[2] = {r.unlocks, r.locks};
        const uint16_t count[2] = {r.number_of_unlocks, r.number_of_locks};
        for (int a = 0; a < 2; a++) {
          smbw_lock_range rec[64];
          ck_assert_uint_le(count[a], 64);
          for (uint32_t j = 0; j < count[a]; j++) {
            ck_assert_int_eq(smbw_lock_range_get(area[a], r.type_of_lock, j, &rec[j]), 0);
            no += (size_t)snprintf(offs + no, sizeof offs - no, "%s%llu", no ? "|" : "",
                                   (unsigned long long)rec[j].offset);
            nl += (size_t)snprintf(lens + nl, sizeof lens - nl, "%s%llu", nl ? "|" : "",
                                   (unsigned long long)rec[j].length);
            records++;
            if (r.type_of_lock & SMBW_LOCKING_LARGE_FILES) large++;
          }
          smbw_lock_range past;
          ck_assert_int_eq(smbw_lock_range_get(area[a], r.type_of_lock, count[a], &past),
                           SMBW_E_INVAL);
          /* Back to bytes: the size alone, then exactly that. */
          size_t need = 0, len = 0;
          ck_assert_int_eq(smbw_lock_ranges_encode(NULL, 0, r.type_of_lock, rec, count[a], &need),
                           count[a] ? SMBW_E_NOSPACE : 0);
          ck_assert_uint_eq(need, area[a].len);
          uint8_t out[64 * 20 + 1];
          out[need] = 0xEE;
          ck_assert_int_eq(smbw_lock_ranges_encode(out, need, r.type_of_lock, rec, count[a], &len), 0);
          ck_assert_uint_eq(len, need);
          ck_assert(need == 0 || memcmp(out, area[a].data, need) == 0);
          ck_assert_uint_eq(out[need], 0xEE); /* nothing past the size */
        }
      }
      /* tshark names 64-bit ranges smb.lock.offset / smb.lock.length and
         32-bit ones smb.offset / smb.count. */
      const char *to = vec_get(m, large_msg ? "smb.lock.offset" : "smb.offset");
      const char *tl = vec_get(m, large_msg ? "smb.lock.length" : "smb.count");
      if (no || (large_msg && to)) {
        ck_assert_msg(to && strcmp(to, offs) == 0, "%s frame %u: offsets '%s', tshark '%s'",
                      files[fi], m->frame, offs, to ? to : "");
        ck_assert_msg(tl && strcmp(tl, lens) == 0, "%s frame %u: lengths '%s', tshark '%s'",
                      files[fi], m->frame, lens, tl ? tl : "");
      }
    }
    vec_free(&vf);
    free(files[fi]);
  }
  printf("lock ranges: %lu records (%lu 64-bit) agree with tshark and re-encode\n", records,
         large);
  ck_assert_uint_gt(records, 0);
  ck_assert_uint_gt(large, 0);
}
END_TEST

/* Records that do not fit: a 32-bit record over 32 bits, a pad in a
   32-bit record, too many records, NULL arguments. */
START_TEST(test_lock_ranges_refused) {
  smbw_lock_range r = {7, 0, 0x100000000ull, 1};
  uint8_t out[40];
  size_t len = 0;
  ck_assert_int_eq(smbw_lock_ranges_encode(out, sizeof out, 0, &r, 1, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_lock_ranges_encode(out, sizeof out, SMBW_LOCKING_LARGE_FILES, &r, 1, &len),
                   0);
  ck_assert_uint_eq(len, 20);
  smbw_lock_range back;
  smbw_bytes v = {out, 20};
  ck_assert_int_eq(smbw_lock_range_get(v, SMBW_LOCKING_LARGE_FILES, 0, &back), 0);
  ck_assert(back.pid == 7 && back.offset == 0x100000000ull && back.length == 1 && back.pad == 0);
  r.offset = 5;
  r.length = 0x100000000ull;
  ck_assert_int_eq(smbw_lock_ranges_encode(out, sizeof out, 0, &r, 1, &len), SMBW_E_RANGE);
  r.length = 1;
  r.pad = 1;
  ck_assert_int_eq(smbw_lock_ranges_encode(out, sizeof out, 0, &r, 1, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_lock_ranges_encode(NULL, 0, 0, &r, 0x10000, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_lock_ranges_encode(NULL, 4, 0, &r, 1, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_lock_ranges_encode(out, 4, 0, NULL, 1, &len), SMBW_E_INVAL);
  r.pad = 0;
  ck_assert_int_eq(smbw_lock_ranges_encode(out, 9, 0, &r, 1, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 10);
  ck_assert_int_eq(smbw_lock_range_get(v, 0, 2, NULL), SMBW_E_INVAL);
  smbw_bytes bad = {NULL, 10};
  ck_assert_int_eq(smbw_lock_range_get(bad, 0, 0, &back), SMBW_E_INVAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("commands");

  TCase *tn = tcase_create("negotiate");
  add_loop_tests(tn, 0, NVAR, TESTS(test_negotiate_req_names, test_negotiate_req_raw,
                                    test_negotiate_req_errors, test_negotiate_rsp_wct1,
                                    test_negotiate_rsp_wct0_and_bad_wct, test_negotiate_rsp_lanman,
                                    test_negotiate_rsp_nt, test_negotiate_rsp_extended));
  suite_add_tcase(s, tn);

  TCase *ts = add_tcase(s, "session_setup", 0, TESTS(test_session_setup_req_astral_oem));
  add_loop_tests(ts, 0, NVAR, TESTS(test_session_setup_req_lanman, test_session_setup_req_nt,
                                    test_session_setup_req_extended,
                                    test_session_setup_req_absent_and_unterminated,
                                    test_session_setup_req_field_length, test_session_setup_rsp));

  TCase *tt = tcase_create("tree_open_read");
  tcase_set_timeout(tt, 60);
  add_loop_tests(tt, 0, NVAR, TESTS(test_tree_connect_req, test_tree_connect_rsp, test_open_req,
                                    test_open_rsp, test_read_req, test_read_rsp_default_pad,
                                    test_read_rsp_explicit_offset, test_read_rsp_empty));
  tcase_add_loop_test(tt, test_read_rsp_large, 0, 2);
  tcase_add_loop_test(tt, test_read_rsp_bad_offsets, 0, NVAR);
  suite_add_tcase(s, tt);

  TCase *tr = tcase_create("extra_pad_slots");
  add_loop_tests(tr, 0, NVAR, TESTS(test_extra_bytes, test_absent_string_slots));
  tcase_add_loop_test(tr, test_pad_byte_kept, 0, 3);
  tcase_add_loop_test(tr, test_read_rsp_pad_and_offsets, 0, NVAR);
  suite_add_tcase(s, tr);

  /* Tests that expose library bugs found while writing this suite. */
  add_tcase(s, "regressions", 0, TESTS(test_bug_lone_pad_byte_lost, test_bug_length_overflow,
                                       test_bug_null_view_data));

  add_tcase(s, "lock_ranges", 0, TESTS(test_lock_ranges_golden, test_lock_ranges_refused));

  TCase *te = add_tcase(s, "errors", 0, TESTS(test_null_arguments));
  tcase_add_loop_test(te, test_wrong_command, 0, NVAR);

  return run_suite(s);
}
