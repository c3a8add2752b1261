/*
 * test_message.c - the SMB1 header, the AndX walk and the message builder
 * (include/smbwire/message.h, lib/message/).
 *
 * Malformed chains are built by hand (a small assembler below) so each
 * malformation is exactly one wrong field; every decode runs on bytes
 * placed against a PROT_NONE page (guard.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "dissect.h"
#include "guard.h"
#include "check_helpers.h"

/* ---- little helpers ------------------------------------------------------ */

/* A hand-assembled message. */
typedef struct mb {
  uint8_t b[70000];
  size_t n;
} mb;

static void mb_hdr(mb *m, uint8_t cmd) {
  memset(m->b, 0, SMBW_HEADER_SIZE);
  m->b[0] = 0xFF;
  m->b[1] = 'S';
  m->b[2] = 'M';
  m->b[3] = 'B';
  m->b[4] = cmd;
  m->b[9] = 0x18;
  wr16(m->b + 10, 0xC807);
  m->n = SMBW_HEADER_SIZE;
}

/* Append a block: wct words (given, or zeros) and bcc bytes (given, or a
   pattern); returns its offset. */
static size_t mb_block(mb *m, uint8_t wct, const uint8_t *words, uint16_t bcc,
                       const uint8_t *bytes) {
  size_t off = m->n;
  uint8_t *p = m->b + off;
  p[0] = wct;
  if (words)
    memcpy(p + 1, words, 2u * wct);
  else
    memset(p + 1, 0, 2u * wct);
  wr16(p + 1 + 2 * wct, bcc);
  for (size_t i = 0; i < bcc; i++) p[3 + 2 * wct + i] = bytes ? bytes[i] : (uint8_t)(0xA0 + i);
  m->n = off + 3 + 2u * wct + bcc;
  return off;
}

/* A LOGOFF_ANDX-style AndX block of 2 words and bcc bytes. */
static size_t mb_andx(mb *m, uint8_t next, uint16_t next_off, uint16_t bcc) {
  uint8_t w[4] = {next, 0, (uint8_t)next_off, (uint8_t)(next_off >> 8)};
  return mb_block(m, 2, w, bcc, NULL);
}

static void mb_link(mb *m, size_t block, uint8_t next, uint16_t off) {
  m->b[block + 1] = next;
  wr16(m->b + block + 3, off);
}

typedef struct walk {
  guard_buf g;
  smbw_msg msg;
  smbw_andx_iter it;
} walk;

static void walk_start(walk *w, const uint8_t *bytes, size_t n) {
  ck_assert_int_eq(guard_init(&w->g, n), 0);
  const uint8_t *p = guard_place(&w->g, bytes, n);
  ck_assert_int_eq(smbw_msg_decode(p, n, &w->msg, NULL), 0);
  smbw_andx_iter_init(&w->it, &w->msg);
}

static void walk_end(walk *w) { guard_free(&w->g); }

/* Expect a block at offset off with command cmd. */
static void expect_block(walk *w, uint32_t off, uint8_t cmd, uint8_t index) {
  smbw_block b;
  smbw_error err = {0, 0, NULL};
  int rc = smbw_andx_iter_next(&w->it, &b, &err);
  ck_assert_msg(rc == 1, "block %u at %u: rc %d (%s at %u)", index, off, rc, smbw_errname(rc),
                (unsigned)err.offset);
  ck_assert_uint_eq(b.offset, off);
  ck_assert_uint_eq(b.command, cmd);
  ck_assert_uint_eq(b.index, index);
  ck_assert_ptr_eq(b.msg, w->msg.data);
  ck_assert_uint_eq(b.msg_len, w->msg.len);
  ck_assert_uint_eq(b.wct, w->msg.data[off]);
  ck_assert_uint_eq(b.nwords, b.wct);
  ck_assert_ptr_eq(b.words, w->msg.data + off + 1);
  ck_assert_uint_eq(b.bcc, rd16(w->msg.data + off + 1 + 2 * b.wct));
  ck_assert_ptr_eq(b.bytes, w->msg.data + off + 3 + 2 * b.wct);
  ck_assert_uint_eq(b.flags, w->msg.hdr.flags);
  ck_assert_uint_eq(b.flags2, w->msg.hdr.flags2);
  ck_assert_uint_eq(b.status, w->msg.hdr.status);
  if (smbw_command_is_andx(cmd) && b.wct >= 2) {
    ck_assert_uint_eq(b.andx_command, b.words[0]);
    ck_assert_uint_eq(b.andx_offset, rd16(b.words + 2));
  } else {
    ck_assert_uint_eq(b.andx_command, 0xFF);
    ck_assert_uint_eq(b.andx_offset, 0);
  }
}

/* Expect an error, three times (sticky), each time filling a fresh err. */
static void expect_error(walk *w, int code, uint32_t off, const char *field) {
  for (int k = 0; k < 3; k++) {
    smbw_block b;
    smbw_error err = {0, 0xDEAD, NULL};
    int rc = smbw_andx_iter_next(&w->it, &b, &err);
    ck_assert_msg(rc == code, "call %d: got %d (%s), want %s", k, rc, smbw_errname(rc),
                  smbw_errname(code));
    ck_assert_int_eq(err.code, code);
    ck_assert_msg(err.offset == off, "%s: offset %u, want %u", smbw_errname(code),
                  (unsigned)err.offset, (unsigned)off);
    ck_assert_ptr_nonnull(err.field);
    ck_assert_str_eq(err.field, field);
  }
  /* also without an error record */
  smbw_block b;
  ck_assert_int_eq(smbw_andx_iter_next(&w->it, &b, NULL), code);
}

static void expect_end(walk *w) {
  smbw_block b;
  for (int k = 0; k < 3; k++) ck_assert_int_eq(smbw_andx_iter_next(&w->it, &b, NULL), 0);
}

/* ---- header -------------------------------------------------------------- */

static smbw_header sample_header(void) {
  smbw_header h;
  h.command = SMBW_COM_SESSION_SETUP_ANDX;
  h.status = 0xC000006Du;
  h.flags = SMBW_FLAGS_REPLY | SMBW_FLAGS_CASE_INSENSITIVE | SMBW_FLAGS_CANONICALIZED_PATHS;
  h.flags2 = SMBW_FLAGS2_UNICODE | SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_EXTENDED_SECURITY |
             SMBW_FLAGS2_LONG_NAMES;
  h.pid_high = 0xBEEF;
  for (int i = 0; i < 8; i++) h.signature[i] = (uint8_t)(0x11 * (i + 1));
  h.reserved = 0x1234;
  h.tid = 0x0801;
  h.pid_low = 0xFEFF;
  h.uid = 0x6400;
  h.mid = 0x0042;
  return h;
}

static void header_eq(const smbw_header *a, const smbw_header *b) {
#define EQ(f) ck_assert_uint_eq(a->f, b->f);
  EQ(command) EQ(status) EQ(flags) EQ(flags2) EQ(pid_high) EQ(reserved) EQ(tid) EQ(pid_low)
  EQ(uid) EQ(mid)
#undef EQ
  ck_assert_int_eq(memcmp(a->signature, b->signature, 8), 0);
}

START_TEST(test_header_roundtrip) {
  smbw_header h = sample_header(), d;
  uint8_t out[32];
  memset(out, 0xEE, sizeof out);
  ck_assert_int_eq(smbw_header_encode(out, sizeof out, &h), 0);
  static const uint8_t want[32] = {
      0xFF, 'S',  'M',  'B',  0x73, 0x6D, 0x00, 0x00, 0xC0, 0x98, 0x01, 0xC8, 0xEF, 0xBE, 0x11, 0x22,
      0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x34, 0x12, 0x01, 0x08, 0xFF, 0xFE, 0x00, 0x64, 0x42, 0x00};
  for (int i = 0; i < 32; i++)
    ck_assert_msg(out[i] == want[i], "byte %d: %02X want %02X", i, out[i], want[i]);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 32), 0);
  const uint8_t *p = guard_place(&g, out, 32);
  memset(&d, 0, sizeof d);
  ck_assert_int_eq(smbw_header_decode(p, 32, &d, NULL), 0);
  header_eq(&h, &d);
  /* every field independently: flip each byte of the encoding */
  for (int i = 4; i < 32; i++) {
    uint8_t t[32];
    memcpy(t, out, 32);
    t[i] ^= 0x5A;
    ck_assert_int_eq(smbw_header_decode(guard_place(&g, t, 32), 32, &d, NULL), 0);
    uint8_t back[32];
    ck_assert_int_eq(smbw_header_encode(back, 32, &d), 0);
    ck_assert_int_eq(memcmp(back, t, 32), 0);
  }
  guard_free(&g);
}
END_TEST

START_TEST(test_header_pid) {
  smbw_header h = sample_header();
  ck_assert_uint_eq(smbw_header_pid(&h), 0xBEEFFEFFu);
  h.pid_high = 0;
  h.pid_low = 1;
  ck_assert_uint_eq(smbw_header_pid(&h), 1);
  h.pid_high = 0xFFFF;
  h.pid_low = 0;
  ck_assert_uint_eq(smbw_header_pid(&h), 0xFFFF0000u);
}
END_TEST

START_TEST(test_header_dos_status) {
  smbw_header h = sample_header(), d;
  h.flags2 = (uint16_t)(h.flags2 & ~SMBW_FLAGS2_NT_STATUS);
  h.status = SMBW_DOS_STATUS(0x01, 0x0002); /* ERRDOS / ERRbadfile */
  ck_assert_uint_eq(h.status, 0x00020001u);
  uint8_t out[32];
  ck_assert_int_eq(smbw_header_encode(out, sizeof out, &h), 0);
  ck_assert_uint_eq(out[5], 0x01); /* ErrorClass */
  ck_assert_uint_eq(out[6], 0x00); /* Reserved */
  ck_assert_uint_eq(out[7], 0x02); /* ErrorCode, little-endian */
  ck_assert_uint_eq(out[8], 0x00);
  ck_assert_int_eq(smbw_header_decode(out, 32, &d, NULL), 0);
  ck_assert_uint_eq(SMBW_DOS_CLASS(d.status), 0x01);
  ck_assert_uint_eq(SMBW_DOS_CODE(d.status), 0x0002);
  header_eq(&h, &d);
  /* ERRSRV / ERRbadpw = 2 / 2; and a big code */
  h.status = SMBW_DOS_STATUS(0x02, 0x0002);
  ck_assert_int_eq(smbw_header_encode(out, sizeof out, &h), 0);
  ck_assert_uint_eq(out[5], 0x02);
  ck_assert_uint_eq(out[7], 0x02);
  h.status = SMBW_DOS_STATUS(0xFF, 0xABCD);
  ck_assert_int_eq(smbw_header_encode(out, sizeof out, &h), 0);
  ck_assert_uint_eq(out[5], 0xFF);
  ck_assert_uint_eq(out[7], 0xCD);
  ck_assert_uint_eq(out[8], 0xAB);
  ck_assert_int_eq(smbw_header_decode(out, 32, &d, NULL), 0);
  ck_assert_uint_eq(SMBW_DOS_CLASS(d.status), 0xFF);
  ck_assert_uint_eq(SMBW_DOS_CODE(d.status), 0xABCD);
  /* the reserved byte of the DOS form survives too */
  out[6] = 0x77;
  ck_assert_int_eq(smbw_header_decode(out, 32, &d, NULL), 0);
  ck_assert_uint_eq((d.status >> 8) & 0xFF, 0x77);
  uint8_t back[32];
  ck_assert_int_eq(smbw_header_encode(back, 32, &d), 0);
  ck_assert_int_eq(memcmp(back, out, 32), 0);
}
END_TEST

START_TEST(test_header_errors) {
  smbw_header h = sample_header(), d;
  uint8_t out[64];
  ck_assert_int_eq(smbw_header_encode(out, sizeof out, &h), 0);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 64), 0);
  /* every short length */
  for (size_t n = 0; n < 32; n++) {
    smbw_error err = {0, 0, NULL};
    const uint8_t *p = guard_place(&g, out, n);
    ck_assert_int_eq(smbw_header_decode(p, n, &d, &err), SMBW_E_TRUNCATED);
    ck_assert_int_eq(err.code, SMBW_E_TRUNCATED);
    ck_assert_uint_eq(err.offset, n);
    ck_assert_ptr_nonnull(err.field);
    smbw_msg m;
    err.code = 0;
    ck_assert_int_eq(smbw_msg_decode(p, n, &m, &err), SMBW_E_TRUNCATED);
    ck_assert_int_eq(err.code, SMBW_E_TRUNCATED);
  }
  /* each protocol byte wrong, and SMB2's magic */
  for (int i = 0; i < 4; i++) {
    uint8_t t[32];
    smbw_error err = {0, 0, NULL};
    memcpy(t, out, 32);
    t[i] ^= 0x20;
    ck_assert_int_eq(smbw_header_decode(guard_place(&g, t, 32), 32, &d, &err), SMBW_E_HDR_PROTOCOL);
    ck_assert_int_eq(err.code, SMBW_E_HDR_PROTOCOL);
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_str_eq(err.field, "Protocol");
  }
  uint8_t t[32];
  memcpy(t, out, 32);
  t[0] = 0xFE;
  smbw_msg m;
  ck_assert_int_eq(smbw_msg_decode(guard_place(&g, t, 32), 32, &m, NULL), SMBW_E_HDR_PROTOCOL);
  /* encode */
  for (size_t cap = 0; cap < 32; cap++) {
    uint8_t *o = g.base + g.size - cap;
    ck_assert_int_eq(smbw_header_encode(o, cap, &h), SMBW_E_NOSPACE);
  }
  ck_assert_int_eq(smbw_header_encode(NULL, 32, &h), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_header_encode(out, 32, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_header_decode(NULL, 32, &d, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_header_decode(out, 32, NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_msg_decode(out, 32, NULL, NULL), SMBW_E_INVAL);
  /* msg_decode keeps the whole length */
  ck_assert_int_eq(smbw_msg_decode(out, 64, &m, NULL), 0);
  ck_assert_ptr_eq(m.data, out);
  ck_assert_uint_eq(m.len, 64);
  header_eq(&m.hdr, &h);
  guard_free(&g);
}
END_TEST

START_TEST(test_command_table) {
  ck_assert_str_eq(smbw_command_name(0x72), "SMB_COM_NEGOTIATE");
  ck_assert_str_eq(smbw_command_name(0x73), "SMB_COM_SESSION_SETUP_ANDX");
  ck_assert_str_eq(smbw_command_name(0xFF), "SMB_COM_NO_ANDX_COMMAND");
  ck_assert_ptr_null(smbw_command_name(0x15));
  ck_assert_ptr_null(smbw_command_name(0x76));
  static const uint8_t andx[] = {0x24, 0x2D, 0x2E, 0x2F, 0x73, 0x74, 0x75, 0x7E, 0xA2};
  int count = 0;
  for (unsigned c = 0; c < 256; c++) {
    int is = 0;
    for (size_t i = 0; i < sizeof andx; i++) is |= andx[i] == c;
    ck_assert_int_eq(smbw_command_is_andx((uint8_t)c), is);
    count += smbw_command_is_andx((uint8_t)c);
  }
  ck_assert_int_eq(count, (int)sizeof andx);
}
END_TEST

/* ---- AndX walk: a normal chain built with the typed encoders ------------ */

static smbw_header req_header(uint16_t flags2) {
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.flags = SMBW_FLAGS_CASE_INSENSITIVE | SMBW_FLAGS_CANONICALIZED_PATHS;
  h.flags2 = flags2;
  h.pid_low = 0xFEFF;
  h.mid = 7;
  return h;
}

/* Session setup (13 words) + tree connect [+ open], as NT-era Windows
   clients send.  *rcp (nullable) receives the finish result. */
static size_t build_ss_tc_rc(uint8_t *out, size_t cap, int framing, int with_open,
                             uint16_t flags2, uint16_t ss_pad_to, int *rcp) {
  smbw_builder b;
  smbw_header h = req_header(flags2);
  ck_assert_int_eq(smbw_builder_init(&b, out, cap, framing, &h), 0);
  smbw_session_setup_andx_req ss;
  memset(&ss, 0, sizeof ss);
  ss.wct = 13;
  ss.andx.offset = ss_pad_to;
  ss.max_buffer_size = 4356;
  ss.max_mpx_count = 50;
  ss.vc_number = 0;
  ss.capabilities = SMBW_CAP_UNICODE | SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32;
  static const uint8_t pw[24] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24};
  ss.password = bytes_view(pw, sizeof pw);
  ss.unicode_password = ss.password;
  ss.account_name = smbw_str_utf8("Administrator");
  ss.primary_domain = smbw_str_utf8("WORKGROUP");
  ss.native_os = smbw_str_utf8("Windows 2000 2195");
  ss.native_lanman = smbw_str_utf8("Windows 2000 5.0");
  ck_assert_int_eq(smbw_session_setup_andx_req_encode(&b, &ss), 0);
  smbw_tree_connect_andx_req tc;
  memset(&tc, 0, sizeof tc);
  static const uint8_t one = 0;
  tc.password.data = &one;
  tc.password.len = 1;
  tc.path = smbw_str_utf8("\\\\SERVER\\IPC$");
  tc.service = smbw_str_utf8("?????");
  ck_assert_int_eq(smbw_tree_connect_andx_req_encode(&b, &tc), 0);
  if (with_open) {
    smbw_open_andx_req o;
    memset(&o, 0, sizeof o);
    o.flags = SMBW_OPEN_REQ_ADDITIONAL_INFO;
    o.access_mode = SMBW_ACCESS_READ | SMBW_SHARE_DENY_NONE;
    o.open_mode = SMBW_OPEN_MODE_OPEN_IF_EXISTS;
    o.file_name = smbw_str_utf8("\\srvsvc");
    ck_assert_int_eq(smbw_open_andx_req_encode(&b, &o), 0);
  }
  size_t len = 0;
  int rc = smbw_builder_finish(&b, &len);
  ck_assert_int_eq(rc, cap >= len ? 0 : SMBW_E_NOSPACE);
  if (rcp) *rcp = rc;
  return len;
}

static size_t build_ss_tc(uint8_t *out, size_t cap, int framing, int with_open, uint16_t flags2,
                          uint16_t ss_pad_to) {
  return build_ss_tc_rc(out, cap, framing, with_open, flags2, ss_pad_to, NULL);
}

START_TEST(test_andx_chain_typed) {
  static uint8_t out[2048];
  for (int with_open = 0; with_open < 2; with_open++) {
    for (int uni = 0; uni < 2; uni++) {
      uint16_t f2 = (uint16_t)(SMBW_FLAGS2_NT_STATUS | (uni ? SMBW_FLAGS2_UNICODE : 0));
      size_t len = build_ss_tc(out, sizeof out, SMBW_FRAMING_NONE, with_open, f2, 0);
      ck_assert_uint_eq(out[4], SMBW_COM_SESSION_SETUP_ANDX); /* header Command */
      walk w;
      walk_start(&w, out, len);
      const uint8_t *m = w.msg.data;
      smbw_block b;
      smbw_error err = {0, 0, NULL};

      /* block 0: session setup at 32 */
      ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, &err), 1);
      ck_assert_uint_eq(b.offset, 32);
      ck_assert_uint_eq(b.index, 0);
      ck_assert_uint_eq(b.command, SMBW_COM_SESSION_SETUP_ANDX);
      ck_assert_uint_eq(b.wct, 13);
      uint32_t end0 = 32 + 1 + 26 + 2 + b.bcc;
      ck_assert_uint_eq(b.andx_command, SMBW_COM_TREE_CONNECT_ANDX);
      ck_assert_uint_eq(b.andx_offset, end0); /* packed: no pad */
      ck_assert_uint_eq(m[33], SMBW_COM_TREE_CONNECT_ANDX);
      ck_assert_uint_eq(rd16(m + 35), end0);
      smbw_session_setup_andx_req ss;
      ck_assert_int_eq(smbw_session_setup_andx_req_decode(&b, &ss, &err), 0);
      ck_assert(smbw_str_eq(&ss.account_name, "Administrator"));
      ck_assert(smbw_str_eq(&ss.native_lanman, "Windows 2000 5.0"));
      ck_assert_uint_eq(ss.andx.command, SMBW_COM_TREE_CONNECT_ANDX);
      ck_assert_uint_eq(ss.andx.offset, end0);

      /* block 1: tree connect */
      ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, &err), 1);
      ck_assert_uint_eq(b.offset, end0);
      ck_assert_uint_eq(b.index, 1);
      ck_assert_uint_eq(b.command, SMBW_COM_TREE_CONNECT_ANDX);
      ck_assert_uint_eq(b.wct, 4);
      uint32_t end1 = end0 + 1 + 8 + 2 + b.bcc;
      smbw_tree_connect_andx_req tc;
      ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &tc, &err), 0);
      ck_assert(smbw_str_eq(&tc.path, "\\\\SERVER\\IPC$"));
      ck_assert(smbw_str_eq(&tc.service, "?????"));
      if (!with_open) {
        ck_assert_uint_eq(b.andx_command, 0xFF);
        ck_assert_uint_eq(end1, len);
      } else {
        ck_assert_uint_eq(b.andx_command, SMBW_COM_OPEN_ANDX);
        ck_assert_uint_eq(b.andx_offset, end1);
        ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, &err), 1);
        ck_assert_uint_eq(b.offset, end1);
        ck_assert_uint_eq(b.index, 2);
        ck_assert_uint_eq(b.command, SMBW_COM_OPEN_ANDX);
        smbw_open_andx_req o;
        ck_assert_int_eq(smbw_open_andx_req_decode(&b, &o, &err), 0);
        ck_assert(smbw_str_eq(&o.file_name, "\\srvsvc"));
        ck_assert_uint_eq(o.andx.command, 0xFF);
        ck_assert_uint_eq(end1 + 1 + 30 + 2 + b.bcc, len);
      }
      expect_end(&w);
      /* the dissector re-encodes it byte for byte */
      uint8_t again[2048];
      size_t l2 = 0;
      ck_assert_int_eq(reencode_msg(m, len, SMBW_FRAMING_NONE, again, sizeof again, &l2), 0);
      ck_assert_uint_eq(l2, len);
      ck_assert_int_eq(memcmp(again, m, len), 0);
      walk_end(&w);
    }
  }
}
END_TEST

/* ---- AndX walk: malformations ------------------------------------------- */

START_TEST(test_andx_loop_self) {
  static mb m;
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  size_t b0 = mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 32, 0);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, (uint32_t)b0, SMBW_COM_LOGOFF_ANDX, 0);
  expect_error(&w, SMBW_E_ANDX_LOOP, 35, "AndXOffset");
  walk_end(&w);
  /* self loop on a later block, with data bytes */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  b0 = mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 0, 3);
  size_t b1 = mb_andx(&m, SMBW_COM_TREE_CONNECT_ANDX, 0, 5);
  mb_link(&m, b0, SMBW_COM_LOGOFF_ANDX, (uint16_t)b1);
  mb_link(&m, b1, SMBW_COM_TREE_CONNECT_ANDX, (uint16_t)b1);
  walk_start(&w, m.b, m.n);
  expect_block(&w, (uint32_t)b0, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, (uint32_t)b1, SMBW_COM_LOGOFF_ANDX, 1);
  expect_error(&w, SMBW_E_ANDX_LOOP, (uint32_t)b1 + 3, "AndXOffset");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_loop_earlier) {
  static mb m;
  /* 3 blocks at 32, 39, 46; the third points back at the second, then
     (separately) at the first */
  for (int target = 0; target < 2; target++) {
    mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
    ck_assert_uint_eq(mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 39, 0), 32);
    size_t b1 = mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 46, 0);
    size_t b2 = mb_andx(&m, SMBW_COM_LOGOFF_ANDX, target ? 32 : 39, 0);
    ck_assert_uint_eq(b1, 39);
    ck_assert_uint_eq(b2, 46);
    walk w;
    walk_start(&w, m.b, m.n);
    expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
    expect_block(&w, 46, SMBW_COM_LOGOFF_ANDX, 2);
    expect_error(&w, SMBW_E_ANDX_LOOP, 49, "AndXOffset");
    walk_end(&w);
  }
  /* blocks with data, not packed: 32 -> 60 -> 100 -> back to 60 */
  mb_hdr(&m, SMBW_COM_SESSION_SETUP_ANDX);
  memset(m.b + 32, 0xCC, 200);
  m.n = 32;
  mb_andx(&m, SMBW_COM_TREE_CONNECT_ANDX, 60, 4);
  m.n = 60;
  mb_andx(&m, SMBW_COM_OPEN_ANDX, 100, 9);
  m.n = 100;
  mb_andx(&m, SMBW_COM_READ_ANDX, 60, 2);
  m.n = 120;
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_SESSION_SETUP_ANDX, 0);
  expect_block(&w, 60, SMBW_COM_TREE_CONNECT_ANDX, 1);
  expect_block(&w, 100, SMBW_COM_OPEN_ANDX, 2);
  expect_error(&w, SMBW_E_ANDX_LOOP, 103, "AndXOffset");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_backward) {
  static mb m;
  /* from the second block into the header, into the first block, onto the
     first block's ByteCount, and to offset 0 */
  static const uint16_t targets[] = {20, 0, 4, 31, 33, 35, 37, 38, 40 - 1 - 1};
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
    mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 39, 0);
    mb_andx(&m, SMBW_COM_LOGOFF_ANDX, targets[i], 0);
    walk w;
    walk_start(&w, m.b, m.n);
    expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
    expect_error(&w, SMBW_E_ANDX_BACKWARD, 42, "AndXOffset");
    walk_end(&w);
  }
  /* from the first block into the header */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 10, 0);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_error(&w, SMBW_E_ANDX_BACKWARD, 35, "AndXOffset");
  walk_end(&w);
  /* 3 blocks: from the third to between the first and second (not a start) */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 45, 6); /* 32..45: gap of 0 */
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 52, 0); /* 45..52 */
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 44, 0); /* 52: back into block 0's data */
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, 45, SMBW_COM_LOGOFF_ANDX, 1);
  expect_block(&w, 52, SMBW_COM_LOGOFF_ANDX, 2);
  expect_error(&w, SMBW_E_ANDX_BACKWARD, 55, "AndXOffset");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_overlap) {
  static mb m;
  /* block 0: wct 2, bcc 4 -> 32..43 (end 43); every offset 33..42 */
  for (uint16_t t = 33; t < 43; t++) {
    mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
    mb_andx(&m, SMBW_COM_LOGOFF_ANDX, t, 4);
    mb_andx(&m, 0xFF, 0, 0); /* a real next block after it */
    walk w;
    walk_start(&w, m.b, m.n);
    expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_error(&w, SMBW_E_ANDX_OVERLAP, 35, "AndXOffset");
    walk_end(&w);
  }
  /* 43 itself is fine */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 43, 4);
  mb_andx(&m, 0xFF, 0, 0);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, 43, SMBW_COM_LOGOFF_ANDX, 1);
  expect_end(&w);
  walk_end(&w);
  /* overlap in the second block */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 39, 0);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 45, 0); /* 39..46: 45 is its ByteCount */
  mb_andx(&m, 0xFF, 0, 0);
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
  expect_error(&w, SMBW_E_ANDX_OVERLAP, 42, "AndXOffset");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_past_end) {
  static mb m;
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 0, 0);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 0, 0);
  size_t n = m.n; /* 46 */
  static const uint16_t targets[] = {46, 47, 100, 0xFFFF};
  for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    mb_link(&m, 32, SMBW_COM_LOGOFF_ANDX, 39);
    mb_link(&m, 39, SMBW_COM_LOGOFF_ANDX, targets[i]);
    walk w;
    walk_start(&w, m.b, n);
    expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
    expect_error(&w, SMBW_E_ANDX_PAST_END, 42, "AndXOffset");
    walk_end(&w);
  }
  /* the last byte of the message: a WordCount with nothing after it */
  mb_link(&m, 39, SMBW_COM_LOGOFF_ANDX, 45);
  walk w;
  walk_start(&w, m.b, n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
  expect_error(&w, SMBW_E_ANDX_OVERLAP, 42, "AndXOffset");
  walk_end(&w);
  m.b[46] = 0; /* one byte more: a WordCount 0 but no ByteCount */
  mb_link(&m, 39, SMBW_COM_LOGOFF_ANDX, 46);
  walk_start(&w, m.b, n + 1);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_block(&w, 39, SMBW_COM_LOGOFF_ANDX, 1);
  expect_error(&w, SMBW_E_WCT_OVERRUN, 46, "WordCount");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_wct_overrun) {
  static mb m;
  /* first block: wct 10 in a message that ends after 6 bytes of words */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  m.b[32] = 10;
  memset(m.b + 33, 0, 6);
  walk w;
  walk_start(&w, m.b, 39);
  expect_error(&w, SMBW_E_WCT_OVERRUN, 32, "WordCount");
  walk_end(&w);
  /* second block: words fit but the ByteCount does not (by 1 and 2 bytes) */
  for (int short_by = 1; short_by <= 2; short_by++) {
    mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
    mb_andx(&m, SMBW_COM_OPEN_ANDX, 39, 0);
    mb_block(&m, 15, NULL, 0, NULL);
    m.b[40] = 0xFF;
    walk_start(&w, m.b, m.n - (size_t)short_by);
    expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_error(&w, SMBW_E_WCT_OVERRUN, 39, "WordCount");
    walk_end(&w);
  }
  /* wct 255 */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 39, 0);
  m.b[39] = 255;
  memset(m.b + 40, 0, 100);
  walk_start(&w, m.b, 140);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_error(&w, SMBW_E_WCT_OVERRUN, 39, "WordCount");
  walk_end(&w);
  /* a message of just the header: no WordCount at all */
  mb_hdr(&m, SMBW_COM_NEGOTIATE);
  walk_start(&w, m.b, 32);
  expect_error(&w, SMBW_E_TRUNCATED, 32, "WordCount");
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_bcc_overrun) {
  static mb m;
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 39, 0);
  size_t b1 = mb_andx(&m, 0xFF, 0, 10);
  ck_assert_uint_eq(b1, 39);
  /* ByteCount says 11 with 10 bytes there */
  wr16(m.b + 44, 11);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  expect_error(&w, SMBW_E_BCC_OVERRUN, 44, "ByteCount");
  walk_end(&w);
  /* 0xFFFF on the first block (a NEGOTIATE request) */
  mb_hdr(&m, SMBW_COM_NEGOTIATE);
  mb_block(&m, 0, NULL, 12, (const uint8_t *)"\x02NT LM 0.12");
  wr16(m.b + 33, 0xFFFF);
  walk_start(&w, m.b, m.n);
  expect_error(&w, SMBW_E_BCC_OVERRUN, 33, "ByteCount");
  walk_end(&w);
  /* exact is fine */
  wr16(m.b + 33, 12);
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_NEGOTIATE, 0);
  expect_end(&w);
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_short) {
  static mb m;
  mb_hdr(&m, SMBW_COM_SESSION_SETUP_ANDX);
  mb_andx(&m, SMBW_COM_TREE_CONNECT_ANDX, 39, 0);
  uint8_t w1[2] = {0xFF, 0};
  mb_block(&m, 1, w1, 0, NULL);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_SESSION_SETUP_ANDX, 0);
  expect_error(&w, SMBW_E_ANDX_SHORT, 39, "WordCount");
  walk_end(&w);
  /* first block */
  mb_hdr(&m, SMBW_COM_READ_ANDX);
  mb_block(&m, 1, w1, 0, NULL);
  walk_start(&w, m.b, m.n);
  expect_error(&w, SMBW_E_ANDX_SHORT, 32, "WordCount");
  walk_end(&w);
  /* an AndX block with wct 0 (an error response) ends the chain */
  mb_hdr(&m, SMBW_COM_SESSION_SETUP_ANDX);
  mb_block(&m, 0, NULL, 0, NULL);
  memset(m.b + m.n, 0xEE, 8);
  walk_start(&w, m.b, m.n + 8);
  expect_block(&w, 32, SMBW_COM_SESSION_SETUP_ANDX, 0);
  expect_end(&w);
  walk_end(&w);
  /* a non-AndX command with words that look like a link ends it too */
  mb_hdr(&m, SMBW_COM_NEGOTIATE);
  mb_andx(&m, SMBW_COM_LOGOFF_ANDX, 32, 0);
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_NEGOTIATE, 0);
  expect_end(&w);
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_trailing_garbage_clean) {
  static mb m;
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  mb_andx(&m, SMBW_COM_TREE_CONNECT_ANDX, 41, 2);
  mb_andx(&m, 0xFF, 0xFFFF, 3);
  for (int i = 0; i < 37; i++) m.b[m.n++] = (uint8_t)(0xF0 ^ i);
  walk w;
  walk_start(&w, m.b, m.n);
  expect_block(&w, 32, SMBW_COM_LOGOFF_ANDX, 0);
  smbw_block b;
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.offset, 41);
  ck_assert_uint_eq(b.andx_command, 0xFF);
  ck_assert_uint_eq(b.andx_offset, 0xFFFF);
  expect_end(&w);
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_max_chain) {
  /* LOGOFF_ANDX blocks of 2 words and no data (7 bytes each) chained
     through a 64 KiB message: as many as fit. */
  static mb m;
  const size_t msglen = 65536;
  const size_t n = (msglen - 32) / 7; /* 9357 */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  for (size_t i = 0; i < n; i++) {
    size_t next = 32 + 7 * (i + 1);
    if (i + 1 == n)
      mb_andx(&m, 0xFF, 0, 0);
    else
      mb_andx(&m, SMBW_COM_LOGOFF_ANDX, (uint16_t)next, 0);
    ck_assert_uint_le(next, 0xFFFF + 7);
  }
  ck_assert_uint_le(m.n, msglen);
  while (m.n < msglen) m.b[m.n++] = 0xAB;
  walk w;
  walk_start(&w, m.b, msglen);
  smbw_block b;
  size_t steps = 0;
  int rc;
  while ((rc = smbw_andx_iter_next(&w.it, &b, NULL)) == 1) {
    ck_assert_uint_eq(b.offset, 32 + 7 * steps);
    ck_assert_uint_eq(b.index, steps < 255 ? steps : 255);
    steps++;
    ck_assert_uint_le(steps, n);
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_eq(steps, n);
  walk_end(&w);
  /* the very longest chain: the last block at AndXOffset 0xFFFF - 1 */
  mb_hdr(&m, SMBW_COM_LOGOFF_ANDX);
  size_t k = 0;
  while (32 + 7 * (k + 1) <= 0xFFFF) {
    mb_andx(&m, SMBW_COM_LOGOFF_ANDX, (uint16_t)(32 + 7 * (k + 1)), 0);
    k++;
  }
  mb_andx(&m, 0xFF, 0, 0);
  k++;
  walk_start(&w, m.b, m.n);
  steps = 0;
  while ((rc = smbw_andx_iter_next(&w.it, &b, NULL)) == 1) steps++;
  ck_assert_int_eq(rc, 0);
  ck_assert_uint_eq(steps, k);
  ck_assert_uint_gt(m.n, 0xFFFF);
  walk_end(&w);
}
END_TEST

START_TEST(test_andx_inval) {
  smbw_andx_iter it;
  smbw_block b;
  smbw_error err = {0, 0, NULL};
  smbw_andx_iter_init(&it, NULL);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &err), SMBW_E_INVAL);
  ck_assert_int_eq(err.code, SMBW_E_INVAL);
  ck_assert_int_eq(smbw_andx_iter_next(NULL, &b, &err), SMBW_E_INVAL);
  static mb m;
  mb_hdr(&m, SMBW_COM_NEGOTIATE);
  mb_block(&m, 0, NULL, 0, NULL);
  smbw_msg msg;
  ck_assert_int_eq(smbw_msg_decode(m.b, m.n, &msg, NULL), 0);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, NULL, &err), SMBW_E_INVAL);
  /* the iterator is still usable */
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &err), 1);
}
END_TEST

/* ---- builder ------------------------------------------------------------- */

START_TEST(test_builder_size_query) {
  for (int framing = 0; framing < 3; framing++) {
    size_t need = build_ss_tc(NULL, 0, framing, 1, SMBW_FLAGS2_UNICODE, 0);
    static uint8_t out[2048];
    size_t len = build_ss_tc(out, sizeof out, framing, 1, SMBW_FLAGS2_UNICODE, 0);
    ck_assert_uint_eq(need, len);
    size_t plain = build_ss_tc(NULL, 0, SMBW_FRAMING_NONE, 1, SMBW_FLAGS2_UNICODE, 0);
    ck_assert_uint_eq(need, plain + (framing ? 4u : 0u));
    /* the size query returns NOSPACE */
    smbw_builder b;
    smbw_header h = req_header(0);
    ck_assert_int_eq(smbw_builder_init(&b, NULL, 0, framing, &h), 0);
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_ECHO, (const uint8_t *)"\x01\x00", 1,
                                      (const uint8_t *)"hello", 5), 0);
    len = 0;
    ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, (framing ? 4u : 0u) + 32 + 1 + 2 + 2 + 5);
    if (framing) {
      ck_assert_uint_eq(out[0], 0);
      size_t l = ((size_t)out[1] << 16) | ((size_t)out[2] << 8) | out[3];
      ck_assert_uint_eq(l, plain);
    }
  }
}
END_TEST

START_TEST(test_builder_every_cap) {
  static uint8_t ref[2048];
  for (int framing = 0; framing < 3; framing++) {
    for (int uni = 0; uni < 2; uni++) {
      uint16_t f2 = uni ? SMBW_FLAGS2_UNICODE : 0;
      size_t size = build_ss_tc(ref, sizeof ref, framing, 1, f2, 0);
      guard_buf g;
      ck_assert_int_eq(guard_init(&g, size + 64), 0);
      for (size_t cap = 0; cap < size; cap++) {
        /* output ends at the guard page: any write past cap faults */
        uint8_t *o = g.base + g.size - cap;
        int rc = 1;
        size_t got = build_ss_tc_rc(cap ? o : NULL, cap, framing, 1, f2, 0, &rc);
        ck_assert_int_eq(rc, SMBW_E_NOSPACE);
        ck_assert_uint_eq(got, size);
        /* a non-NULL pointer with cap 0 pointing at the guard itself */
        if (!cap) {
          got = build_ss_tc_rc(o, 0, framing, 1, f2, 0, &rc);
          ck_assert_int_eq(rc, SMBW_E_NOSPACE);
          ck_assert_uint_eq(got, size);
        }
      }
      /* exactly enough */
      uint8_t *o = g.base + g.size - size;
      ck_assert_uint_eq(build_ss_tc(o, size, framing, 1, f2, 0), size);
      ck_assert_int_eq(memcmp(o, ref, size), 0);
      guard_free(&g);
    }
  }
}
END_TEST

/* The builder's NOSPACE return is checked for every cap on the whole
   3-block message. */
START_TEST(test_builder_every_cap_rc) {
  static uint8_t ref[2048];
  size_t size = build_ss_tc(ref, sizeof ref, SMBW_FRAMING_NBT, 1, SMBW_FLAGS2_UNICODE, 0);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, size), 0);
  for (size_t cap = 0; cap < size; cap++) {
    uint8_t *o = g.base + g.size - cap;
    int rc = 0;
    size_t len = build_ss_tc_rc(o, cap, SMBW_FRAMING_NBT, 1, SMBW_FLAGS2_UNICODE, 0, &rc);
    ck_assert_int_eq(rc, SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, size);
  }
  guard_free(&g);
}
END_TEST

START_TEST(test_builder_nbt_range) {
  /* two raw blocks: exactly 0x1FFFF bytes of message is fine on NBT, one
     more is SMBW_E_RANGE; DIRECT takes both */
  static uint8_t data[65535];
  static uint8_t out[0x20010];
  memset(data, 0x61, sizeof data);
  for (int extra = 0; extra < 2; extra++) {
    for (int framing = 1; framing < 3; framing++) {
      smbw_builder b;
      smbw_header h = req_header(0);
      size_t len = 0;
      ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, framing, &h), 0);
      ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_WRITE, NULL, 0, data, 65535), 0);
      uint16_t second = (uint16_t)(0x1FFFF - 32 - 65538 - 3 + extra);
      ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_WRITE, NULL, 0, data, second), 0);
      int rc = smbw_builder_finish(&b, &len);
      ck_assert_uint_eq(len, 4u + 0x1FFFFu + (unsigned)extra);
      if (framing == SMBW_FRAMING_NBT && extra) {
        ck_assert_int_eq(rc, SMBW_E_RANGE);
      } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(out[1], framing == SMBW_FRAMING_NBT ? 1 : (len - 4) >> 16);
        smbw_nbss f;
        ck_assert_int_eq(smbw_nbss_frame(out, len,
                                         framing == SMBW_FRAMING_NBT ? SMBW_FRAMING_NBT
                                                                     : SMBW_FRAMING_DIRECT,
                                         &f, NULL, NULL),
                         (int)len);
        ck_assert_uint_eq(f.length, len - 4);
      }
    }
  }
  /* also when only measuring */
  smbw_builder b;
  smbw_header h = req_header(0);
  size_t len = 0;
  ck_assert_int_eq(smbw_builder_init(&b, NULL, 0, SMBW_FRAMING_NBT, &h), 0);
  smbw_builder_raw(&b, SMBW_COM_WRITE, NULL, 0, data, 65535);
  smbw_builder_raw(&b, SMBW_COM_WRITE, NULL, 0, data, 65535);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_RANGE);
}
END_TEST

/* smbw_builder_set_header(): a response's Status, UID, TID and Flags2 set
   after its blocks give the bytes a builder started with them gives, the
   first block's Command kept; UNICODE cannot change under written strings. */
START_TEST(test_builder_set_header) {
  static const uint8_t words[2] = {0x34, 0x12};
  smbw_header h1 = req_header(SMBW_FLAGS2_UNICODE), h2 = h1;
  h2.flags |= SMBW_FLAGS_REPLY;
  h2.flags2 |= SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_SECURITY_SIGNATURE;
  h2.status = SMBW_STATUS_ACCESS_DENIED;
  h2.tid = 0x0102;
  h2.uid = 0x0304;
  h2.command = SMBW_COM_ECHO; /* not written: the first block's stays */
  smbw_header want_h = h2;
  want_h.command = SMBW_COM_CLOSE;
  uint8_t want[128], got[128];
  size_t wl = 0, gl = 0;
  smbw_builder b;
  ck_assert_int_eq(smbw_builder_init(&b, want, sizeof want, SMBW_FRAMING_DIRECT, &want_h), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_CLOSE, words, 1, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &wl), 0);
  for (int after_finish = 0; after_finish < 2; after_finish++) {
    ck_assert_int_eq(smbw_builder_init(&b, got, sizeof got, SMBW_FRAMING_DIRECT, &h1), 0);
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_CLOSE, words, 1, NULL, 0), 0);
    if (after_finish) ck_assert_int_eq(smbw_builder_finish(&b, &gl), 0);
    ck_assert_int_eq(smbw_builder_set_header(&b, &h2), 0);
    if (!after_finish) ck_assert_int_eq(smbw_builder_finish(&b, &gl), 0);
    ck_assert_uint_eq(gl, wl);
    ck_assert(memcmp(got, want, wl) == 0);
  }
  /* before any block, Command is the header's */
  ck_assert_int_eq(smbw_builder_init(&b, got, sizeof got, SMBW_FRAMING_NONE, &h1), 0);
  ck_assert_int_eq(smbw_builder_set_header(&b, &h2), 0);
  ck_assert_uint_eq(got[4], SMBW_COM_ECHO);
  /* the string encoding is fixed once a block is written */
  smbw_header oem = h2;
  oem.flags2 &= (uint16_t)~SMBW_FLAGS2_UNICODE;
  ck_assert_int_eq(smbw_builder_set_header(&b, &oem), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_CLOSE, words, 1, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_set_header(&b, &h2), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_set_header(&b, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_set_header(NULL, &h2), SMBW_E_INVAL);
  /* counting only: nothing written */
  uint8_t small[8];
  memset(small, 0xAA, sizeof small);
  ck_assert_int_eq(smbw_builder_init(&b, small, sizeof small, SMBW_FRAMING_DIRECT, &h1), 0);
  ck_assert_int_eq(smbw_builder_set_header(&b, &h2), 0);
  for (size_t i = 0; i < sizeof small; i++) ck_assert_uint_eq(small[i], 0xAA);
}
END_TEST

START_TEST(test_builder_state_and_inval) {
  smbw_builder b;
  smbw_header h = req_header(0);
  uint8_t out[512];
  size_t len = 0;
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_STATE);
  ck_assert_uint_eq(len, 32);
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NBT, &h), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_init(&b, NULL, 10, SMBW_FRAMING_NONE, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, 3, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NONE, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_init(NULL, out, sizeof out, SMBW_FRAMING_NONE, &h), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(NULL, &len), SMBW_E_INVAL);
  /* a sticky encoder error is what finish reports */
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NONE, &h), 0);
  smbw_read_andx_req rr;
  memset(&rr, 0, sizeof rr);
  rr.wct = 11;
  ck_assert_int_eq(smbw_read_andx_req_encode(&b, &rr), SMBW_E_INVAL);
  rr.wct = 10;
  ck_assert_int_eq(smbw_read_andx_req_encode(&b, &rr), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_INVAL);
  /* raw: NULL words with wct */
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_ECHO, NULL, 1, NULL, 0), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_raw(NULL, SMBW_COM_ECHO, NULL, 0, NULL, 0), SMBW_E_INVAL);
  /* 255 blocks, then SMBW_E_STATE */
  static uint8_t big[4096];
  ck_assert_int_eq(smbw_builder_init(&b, big, sizeof big, SMBW_FRAMING_NONE, &h), 0);
  const uint8_t w[4] = {0xFF, 0, 0, 0};
  for (int i = 0; i < 255; i++)
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_STATE);
}
END_TEST

START_TEST(test_builder_255_chain_walks) {
  /* the 255 blocks the builder allows, linked, walk in 255 steps */
  static uint8_t big[4096];
  smbw_builder b;
  smbw_header h = req_header(0);
  size_t len = 0;
  ck_assert_int_eq(smbw_builder_init(&b, big, sizeof big, SMBW_FRAMING_NONE, &h), 0);
  const uint8_t w[4] = {0xFF, 0, 0, 0};
  for (int i = 0; i < 255; i++)
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), 0);
  ck_assert_uint_eq(len, 32 + 255 * 7);
  ck_assert_uint_eq(big[4], SMBW_COM_LOGOFF_ANDX);
  walk wk;
  walk_start(&wk, big, len);
  for (unsigned i = 0; i < 255; i++) expect_block(&wk, 32 + 7 * i, SMBW_COM_LOGOFF_ANDX, (uint8_t)i);
  expect_end(&wk);
  walk_end(&wk);
}
END_TEST

START_TEST(test_builder_andx_padding) {
  static uint8_t out[1024];
  for (int uni = 0; uni < 2; uni++) {
    uint16_t f2 = uni ? SMBW_FLAGS2_UNICODE : 0;
    /* natural position of the tree connect */
    size_t nl = build_ss_tc(out, sizeof out, SMBW_FRAMING_NONE, 0, f2, 0);
    uint16_t natural = rd16(out + 35);
    ck_assert_uint_gt(natural, 32);
    for (uint16_t pad = 1; pad < 10; pad++) {
      size_t len = build_ss_tc(out, sizeof out, SMBW_FRAMING_NONE, 0, f2, (uint16_t)(natural + pad));
      /* the tree connect's UTF-16 path is re-aligned for its new place,
         so its size may change by one */
      if (uni) {
        ck_assert_uint_ge(len, nl + pad - 1);
        ck_assert_uint_le(len, nl + pad + 1);
      } else {
        ck_assert_uint_eq(len, nl + pad);
      }
      walk w;
      smbw_block b;
      walk_start(&w, out, len);
      ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
      ck_assert_uint_eq(b.andx_offset, natural + pad);
      uint32_t end0 = b.offset + 1 + 2u * b.wct + 2 + b.bcc;
      ck_assert_uint_eq(end0, natural);
      for (uint32_t i = end0; i < (uint32_t)natural + pad; i++) ck_assert_uint_eq(w.msg.data[i], 0);
      smbw_session_setup_andx_req ss;
      ck_assert_int_eq(smbw_session_setup_andx_req_decode(&b, &ss, NULL), 0);
      ck_assert_uint_eq(ss.andx.offset, natural + pad);
      ck_assert_uint_eq(ss.andx.command, SMBW_COM_TREE_CONNECT_ANDX);
      ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
      ck_assert_uint_eq(b.offset, natural + pad);
      smbw_tree_connect_andx_req tc;
      ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &tc, NULL), 0);
      ck_assert(smbw_str_eq(&tc.path, "\\\\SERVER\\IPC$"));
      ck_assert(smbw_str_eq(&tc.service, "?????"));
      expect_end(&w);
      /* the decoded chain re-encodes byte for byte, pad included */
      uint8_t again[1024];
      size_t l2 = 0;
      ck_assert_int_eq(reencode_msg(w.msg.data, len, SMBW_FRAMING_NONE, again, sizeof again, &l2),
                       0);
      ck_assert_uint_eq(l2, len);
      ck_assert_int_eq(memcmp(again, w.msg.data, len), 0);
      walk_end(&w);
    }
    /* an offset at or below the natural position is not honoured */
    static const uint16_t small[] = {1, 32, 40};
    for (size_t i = 0; i < 3; i++) {
      size_t len = build_ss_tc(out, sizeof out, SMBW_FRAMING_NONE, 0, f2, small[i]);
      ck_assert_uint_eq(len, nl);
      ck_assert_uint_eq(rd16(out + 35), natural);
    }
    size_t len = build_ss_tc(out, sizeof out, SMBW_FRAMING_NONE, 0, f2, natural);
    ck_assert_uint_eq(len, nl);
  }
}
END_TEST

START_TEST(test_builder_raw_andx_link) {
  /* raw AndX blocks: the caller's words are written as given, then the
     link is patched when a block follows */
  static uint8_t out[256];
  smbw_builder b;
  smbw_header h = req_header(0);
  size_t len = 0;
  ck_assert_int_eq(smbw_builder_init(&b, out, sizeof out, SMBW_FRAMING_NONE, &h), 0);
  const uint8_t w0[4] = {0x12, 0x34, 50, 0}; /* asks for offset 50 */
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w0, 2, (const uint8_t *)"ab", 2), 0);
  const uint8_t w1[4] = {0x99, 0x77, 0x55, 0x66};
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w1, 2, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), 0);
  ck_assert_uint_eq(out[4], SMBW_COM_LOGOFF_ANDX);
  ck_assert_uint_eq(out[33], SMBW_COM_LOGOFF_ANDX); /* patched */
  ck_assert_uint_eq(out[34], 0x34);                 /* reserved as given */
  ck_assert_uint_eq(rd16(out + 35), 50);
  for (int i = 41; i < 50; i++) ck_assert_uint_eq(out[i], 0);
  ck_assert_uint_eq(out[50], 2);
  ck_assert_uint_eq(out[51], 0x99); /* last block: as given */
  ck_assert_uint_eq(out[52], 0x77);
  ck_assert_uint_eq(rd16(out + 53), 0x6655);
  ck_assert_uint_eq(len, 57);
}
END_TEST

START_TEST(test_builder_trailer) {
  static uint8_t ref[256];
  static const uint8_t tail[5] = {0xDE, 0xAD, 0x00, 0xBE, 0xEF};
  smbw_builder b;
  smbw_header h = req_header(0);
  size_t len = 0;
  /* before the first block */
  ck_assert_int_eq(smbw_builder_init(&b, ref, sizeof ref, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_trailer(&b, tail, 5), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_STATE);
  ck_assert_int_eq(smbw_builder_trailer(NULL, tail, 5), SMBW_E_INVAL);
  /* after a block: appended as is, and nothing may follow */
  for (int framing = 0; framing < 3; framing++) {
    size_t hdr = framing ? 4 : 0;
    ck_assert_int_eq(smbw_builder_init(&b, ref, sizeof ref, framing, &h), 0);
    const uint8_t w[4] = {0xFF, 0, 0, 0};
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), 0);
    ck_assert_int_eq(smbw_builder_trailer(&b, tail, 5), 0);
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_ECHO, NULL, 0, NULL, 0), SMBW_E_STATE);
    ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_STATE);
    ck_assert_int_eq(smbw_builder_init(&b, ref, sizeof ref, framing, &h), 0);
    ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), 0);
    ck_assert_int_eq(smbw_builder_trailer(&b, tail, 5), 0);
    ck_assert_int_eq(smbw_builder_finish(&b, &len), 0);
    ck_assert_uint_eq(len, hdr + 32 + 7 + 5);
    ck_assert_int_eq(memcmp(ref + hdr + 39, tail, 5), 0);
    if (framing) ck_assert_uint_eq(ref[3], 32 + 7 + 5);
    /* the walk ends after the block; the trailer is not a block */
    walk wk;
    walk_start(&wk, ref + hdr, len - hdr);
    expect_block(&wk, 32, SMBW_COM_LOGOFF_ANDX, 0);
    expect_end(&wk);
    walk_end(&wk);
    /* every cap: NOSPACE, exact size, nothing past cap */
    guard_buf g;
    ck_assert_int_eq(guard_init(&g, len), 0);
    for (size_t cap = 0; cap < len; cap++) {
      uint8_t *o = g.base + g.size - cap;
      size_t l2 = 0;
      ck_assert_int_eq(smbw_builder_init(&b, o, cap, framing, &h), 0);
      ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_LOGOFF_ANDX, w, 2, NULL, 0), 0);
      ck_assert_int_eq(smbw_builder_trailer(&b, tail, 5), 0);
      ck_assert_int_eq(smbw_builder_finish(&b, &l2), SMBW_E_NOSPACE);
      ck_assert_uint_eq(l2, len);
    }
    guard_free(&g);
  }
  /* NULL bytes with a length */
  ck_assert_int_eq(smbw_builder_init(&b, ref, sizeof ref, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_ECHO, NULL, 0, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_trailer(&b, NULL, 3), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), SMBW_E_INVAL);
  /* an empty trailer is allowed */
  ck_assert_int_eq(smbw_builder_init(&b, ref, sizeof ref, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_raw(&b, SMBW_COM_ECHO, NULL, 0, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_trailer(&b, NULL, 0), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), 0);
  ck_assert_uint_eq(len, 35);
}
END_TEST

/* A message with an extended NT_CREATE_ANDX response: WordCount 42 but 50
   words (MS-SMB 2.2.4.9.2), then ByteCount. */
static size_t nt_create_50(mb *m, int reply, uint16_t bcc, size_t extra) {
  mb_hdr(m, SMBW_COM_NT_CREATE_ANDX);
  if (!reply) m->b[9] = 0x18;
  else m->b[9] = 0x98;
  uint8_t *p = m->b + 32;
  p[0] = 42;
  for (int i = 0; i < 100; i++) p[1 + i] = (uint8_t)(i + 1);
  p[1] = 0xFF; /* AndXCommand */
  p[2] = 0;
  p[3] = 0;
  p[4] = 0;
  wr16(p + 101, bcc);
  m->n = 32 + 103;
  for (size_t i = 0; i < bcc + extra; i++) m->b[m->n++] = (uint8_t)(0x70 + i);
  return m->n;
}

START_TEST(test_andx_nt_create_50_words) {
  static mb m;
  smbw_block b;
  walk w;
  /* reply, ByteCount 0 after 50 words: 50 words */
  size_t n = nt_create_50(&m, 1, 0, 0);
  walk_start(&w, m.b, n);
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.wct, 42);
  ck_assert_uint_eq(b.nwords, 50);
  ck_assert_uint_eq(b.bcc, 0);
  ck_assert_ptr_eq(b.bytes, w.msg.data + 32 + 103);
  ck_assert_uint_eq(b.andx_command, 0xFF);
  expect_end(&w);
  /* copied through by smbw_builder_block, byte for byte */
  static uint8_t out[512];
  smbw_builder bld;
  size_t len = 0;
  ck_assert_int_eq(smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &w.msg.hdr), 0);
  ck_assert_int_eq(smbw_builder_block(&bld, &b), 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  ck_assert_uint_eq(len, n);
  ck_assert_int_eq(memcmp(out, m.b, n), 0);
  ck_assert_int_eq(reencode_msg(w.msg.data, n, SMBW_FRAMING_NONE, out, sizeof out, &len), 0);
  ck_assert_uint_eq(len, n);
  ck_assert_int_eq(memcmp(out, m.b, n), 0);
  walk_end(&w);
  /* with data */
  n = nt_create_50(&m, 1, 7, 0);
  walk_start(&w, m.b, n);
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.nwords, 50);
  ck_assert_uint_eq(b.bcc, 7);
  walk_end(&w);
  /* a request says what it has: 42 words */
  n = nt_create_50(&m, 0, 0, 0);
  wr16(m.b + 32 + 85, 0); /* a ByteCount after 42 words */
  walk_start(&w, m.b, n);
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.nwords, 42);
  ck_assert_uint_eq(b.bcc, rd16(m.b + 32 + 85));
  walk_end(&w);
  /* a reply whose ByteCount after 50 words would not fit: 42 words */
  n = nt_create_50(&m, 1, 0, 0);
  wr16(m.b + 32 + 101, 1);
  wr16(m.b + 32 + 85, 16); /* after 42 words: 16 bytes, to the end */
  walk_start(&w, m.b, n);
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.nwords, 42);
  ck_assert_uint_eq(b.bcc, 16);
  walk_end(&w);
  /* a reply too short for 50 words: 42 */
  n = nt_create_50(&m, 1, 0, 0);
  wr16(m.b + 32 + 85, 0);
  walk_start(&w, m.b, 32 + 102);
  ck_assert_int_eq(smbw_andx_iter_next(&w.it, &b, NULL), 1);
  ck_assert_uint_eq(b.nwords, 42);
  ck_assert_uint_eq(b.bcc, 0);
  walk_end(&w);
}
END_TEST

START_TEST(test_builder_block_copy) {
  /* every block of a 3-block chain copied through smbw_builder_block gives
     the same message */
  static uint8_t src[2048], out[2048];
  for (int uni = 0; uni < 2; uni++) {
    size_t n = build_ss_tc(src, sizeof src, SMBW_FRAMING_NONE, 1, uni ? SMBW_FLAGS2_UNICODE : 0, 0);
    walk w;
    walk_start(&w, src, n);
    smbw_builder bld;
    smbw_block b;
    size_t len = 0;
    ck_assert_int_eq(smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &w.msg.hdr), 0);
    int k = 0;
    while (smbw_andx_iter_next(&w.it, &b, NULL) == 1) {
      ck_assert_int_eq(smbw_builder_block(&bld, &b), 0);
      k++;
    }
    ck_assert_int_eq(k, 3);
    ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
    ck_assert_uint_eq(len, n);
    ck_assert_int_eq(memcmp(out, src, n), 0);
    walk_end(&w);
  }
  smbw_builder bld;
  smbw_header h = req_header(0);
  ck_assert_int_eq(smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_builder_block(&bld, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_builder_block(NULL, NULL), SMBW_E_INVAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("message");
  add_tcase(s, "header", 0, TESTS(test_header_roundtrip, test_header_dos_status, test_header_pid,
                                  test_header_errors, test_command_table));

  add_tcase(s, "andx", 120, TESTS(test_andx_chain_typed, test_andx_loop_self,
                                  test_andx_loop_earlier, test_andx_backward, test_andx_overlap,
                                  test_andx_past_end, test_andx_wct_overrun, test_andx_bcc_overrun,
                                  test_andx_short, test_andx_trailing_garbage_clean,
                                  test_andx_max_chain, test_andx_inval,
                                  test_andx_nt_create_50_words));

  add_tcase(s, "builder", 120, TESTS(test_builder_size_query, test_builder_every_cap,
                                     test_builder_every_cap_rc, test_builder_nbt_range,
                                     test_builder_state_and_inval, test_builder_255_chain_walks,
                                     test_builder_andx_padding, test_builder_raw_andx_link,
                                     test_builder_trailer, test_builder_block_copy,
                                     test_builder_set_header));

  return run_suite(s);
}
