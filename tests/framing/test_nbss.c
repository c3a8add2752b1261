/*
 * test_nbss.c - NetBIOS session service (include/smbwire/nbss.h,
 * lib/nbss/nbss.c): the framer on both transports, the session request
 * codec with names and scopes, negative and retarget responses, the header
 * encoder, and the no-write-past-cap guarantee of every encoder.
 *
 * Inputs are placed against a PROT_NONE page (guard.h) so that any read
 * past the bytes given faults; outputs likewise, so that any write past
 * cap faults.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "guard.h"

#define NBT SMBW_FRAMING_NBT
#define DIRECT SMBW_FRAMING_DIRECT

/* ---- helpers ------------------------------------------------------------- */

static void put_hdr(uint8_t *p, uint8_t type, uint8_t flags, uint16_t len16) {
  p[0] = type;
  p[1] = flags;
  p[2] = (uint8_t)(len16 >> 8);
  p[3] = (uint8_t)len16;
}

/* Frame bytes placed against the guard page. */
static int frame_g(guard_buf *g, const uint8_t *src, size_t n, int transport, smbw_nbss *f,
                   size_t *need, smbw_error *err) {
  const uint8_t *p = guard_place(g, src, n);
  return smbw_nbss_frame(n ? p : NULL, n, transport, f, need, err);
}

static int is_nbt_type(unsigned t) { return t == 0 || (t >= 0x81 && t <= 0x85); }
static int is_direct_type(unsigned t) { return t == 0 || t == 0x85; }

/* ---- framer: session messages of every interesting length --------------- */

static void check_session_message(int transport, uint32_t plen) {
  size_t total = 4u + plen;
  uint8_t *pkt = malloc(total);
  guard_buf g;
  ck_assert_ptr_nonnull(pkt);
  ck_assert_int_eq(guard_init(&g, total), 0);
  /* Header written by the library, checked by hand. */
  size_t hl = 0;
  ck_assert_int_eq(smbw_nbss_header_encode(pkt, total, transport, SMBW_NBSS_SESSION_MESSAGE,
                                           plen, &hl), 0);
  ck_assert_uint_eq(hl, 4);
  ck_assert_uint_eq(pkt[0], 0);
  if (transport == NBT) {
    ck_assert_uint_eq(pkt[1], plen >> 16); /* the E bit */
  } else {
    ck_assert_uint_eq(pkt[1], (plen >> 16) & 0xFF);
  }
  ck_assert_uint_eq(pkt[2], (plen >> 8) & 0xFF);
  ck_assert_uint_eq(pkt[3], plen & 0xFF);
  for (size_t i = 4; i < total; i++) pkt[i] = (uint8_t)(i * 7 + 3);

  smbw_nbss f;
  size_t need = 12345;
  smbw_error err = {0, 0, NULL};
  const uint8_t *p = guard_place(&g, pkt, total);
  int rc = smbw_nbss_frame(p, total, transport, &f, &need, &err);
  ck_assert_int_eq(rc, (int)total);
  ck_assert_uint_eq(f.type, SMBW_NBSS_SESSION_MESSAGE);
  ck_assert_uint_eq(f.length, plen);
  ck_assert_ptr_eq(f.payload, p + 4);
  ck_assert_uint_eq(f.flags, pkt[1]);
  ck_assert_int_eq(memcmp(f.payload, pkt + 4, plen), 0);

  /* One byte short: need exactly 1. */
  need = 0;
  rc = frame_g(&g, pkt, total - 1, transport, &f, &need, &err);
  if (total - 1 >= 4) {
    ck_assert_int_eq(rc, 0);
    ck_assert_uint_eq(need, 1);
  }
  /* Header only: need exactly the payload. */
  if (plen) {
    need = 0;
    ck_assert_int_eq(frame_g(&g, pkt, 4, transport, &f, &need, &err), 0);
    ck_assert_uint_eq(need, plen);
  }
  /* Half the payload. */
  need = 0;
  ck_assert_int_eq(frame_g(&g, pkt, 4 + plen / 2, transport, &f, &need, &err),
                   plen / 2 == plen ? (int)total : 0);
  if (plen / 2 != plen) ck_assert_uint_eq(need, plen - plen / 2);
  /* NULL f and need are allowed. */
  ck_assert_int_eq(frame_g(&g, pkt, total, transport, NULL, NULL, NULL), (int)total);
  /* More bytes than the packet: only the packet is framed. */
  guard_free(&g);
  free(pkt);
}

START_TEST(test_frame_session_message_nbt) {
  static const uint32_t lens[] = {0, 1, 2, 0xFF, 0x100, 0xFFFF, 0x10000, 0x10001, 0x1FFFF};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) check_session_message(NBT, lens[i]);
}
END_TEST

START_TEST(test_frame_session_message_direct) {
  static const uint32_t lens[] = {0,       1,       0xFFFF,  0x10000,
                                  0x1FFFF, 0x20000, 0xFFFFFF};
  for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) check_session_message(DIRECT, lens[i]);
}
END_TEST

START_TEST(test_frame_extra_bytes) {
  /* A complete packet followed by the start of the next: only the first. */
  uint8_t buf[4 + 3 + 2] = {0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c', 0x85, 0x00};
  guard_buf g;
  smbw_nbss f;
  size_t need = 99;
  ck_assert_int_eq(guard_init(&g, sizeof buf), 0);
  for (int t = SMBW_FRAMING_NBT; t <= SMBW_FRAMING_DIRECT; t++) {
    ck_assert_int_eq(frame_g(&g, buf, sizeof buf, t, &f, &need, NULL), 7);
    ck_assert_uint_eq(f.length, 3);
    ck_assert_uint_eq(need, 99); /* need untouched on success */
  }
  guard_free(&g);
}
END_TEST

/* Every control packet type with its valid length, on NBT. */
START_TEST(test_frame_control_types_nbt) {
  static const struct {
    uint8_t type;
    uint16_t len;
  } ok[] = {
      {SMBW_NBSS_POSITIVE_RESPONSE, 0}, {SMBW_NBSS_KEEPALIVE, 0},
      {SMBW_NBSS_NEGATIVE_RESPONSE, 1}, {SMBW_NBSS_RETARGET_RESPONSE, 6},
      {SMBW_NBSS_SESSION_REQUEST, 68},  {SMBW_NBSS_SESSION_REQUEST, 0},
      {SMBW_NBSS_SESSION_REQUEST, 3},
  };
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 128), 0);
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    uint8_t pkt[128];
    memset(pkt, 0x41, sizeof pkt);
    put_hdr(pkt, ok[i].type, 0, ok[i].len);
    smbw_nbss f;
    size_t need = 0;
    smbw_error err = {0, 0, NULL};
    int rc = frame_g(&g, pkt, 4u + ok[i].len, NBT, &f, &need, &err);
    ck_assert_int_eq(rc, 4 + ok[i].len);
    ck_assert_uint_eq(f.type, ok[i].type);
    ck_assert_uint_eq(f.length, ok[i].len);
    ck_assert_uint_eq(f.flags, 0);
    ck_assert_ptr_nonnull(smbw_nbss_type_name(ok[i].type));
    if (ok[i].len) {
      ck_assert_int_eq(frame_g(&g, pkt, 4, NBT, &f, &need, &err), 0);
      ck_assert_uint_eq(need, ok[i].len);
    }
    /* The same types are refused on DIRECT except keepalive. */
    rc = frame_g(&g, pkt, 4u + ok[i].len, DIRECT, &f, &need, &err);
    if (ok[i].type == SMBW_NBSS_KEEPALIVE) {
      ck_assert_int_eq(rc, 4);
    } else {
      ck_assert_int_eq(rc, SMBW_E_NBSS_TYPE);
      ck_assert_int_eq(err.code, SMBW_E_NBSS_TYPE);
      ck_assert_uint_eq(err.offset, 0);
      ck_assert_str_eq(err.field, "Type");
    }
  }
  CHECK_NAMES(smbw_nbss_type_name, {0x00, "SESSION_MESSAGE"}, {0x81, "SESSION_REQUEST"},
              {0x85, "SESSION_KEEP_ALIVE"}, {0x86, NULL}, {0x80, NULL}, {0x01, NULL});
  guard_free(&g);
}
END_TEST

START_TEST(test_frame_keepalive_direct) {
  uint8_t ka[4] = {0x85, 0, 0, 0};
  guard_buf g;
  smbw_nbss f;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(guard_init(&g, 16), 0);
  ck_assert_int_eq(frame_g(&g, ka, 4, DIRECT, &f, NULL, &err), 4);
  ck_assert_uint_eq(f.type, SMBW_NBSS_KEEPALIVE);
  ck_assert_uint_eq(f.length, 0);
  /* Any length on a DIRECT keepalive, in any of the 3 length bytes. */
  for (int b = 1; b < 4; b++) {
    uint8_t bad[4] = {0x85, 0, 0, 0};
    bad[b] = 1;
    err.code = 0;
    ck_assert_int_eq(frame_g(&g, bad, 4, DIRECT, &f, NULL, &err), SMBW_E_NBSS_LENGTH);
    ck_assert_int_eq(err.code, SMBW_E_NBSS_LENGTH);
    ck_assert_uint_eq(err.offset, 1);
    ck_assert_str_eq(err.field, "Length");
  }
  guard_free(&g);
}
END_TEST

/* Every flag bit but the E bit is reserved on NBT; on DIRECT the same byte is
   the high byte of the length. */
START_TEST(test_frame_reserved_flags) {
  static const uint8_t types[] = {0x00, 0x81, 0x82, 0x83, 0x84, 0x85};
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  for (size_t t = 0; t < sizeof types; t++) {
    for (unsigned fl = 2; fl < 256; fl++) {
      uint8_t pkt[4];
      smbw_error err = {0, 0, NULL};
      size_t need = 777;
      put_hdr(pkt, types[t], (uint8_t)fl, 0);
      ck_assert_int_eq(frame_g(&g, pkt, 4, NBT, NULL, &need, &err), SMBW_E_NBSS_FLAGS);
      ck_assert_int_eq(err.code, SMBW_E_NBSS_FLAGS);
      ck_assert_uint_eq(err.offset, 1);
      ck_assert_str_eq(err.field, "Flags");
    }
  }
  /* DIRECT: 0xFE in byte 1 is length 0xFE0000, not a flag. */
  uint8_t pkt[4] = {0x00, 0xFE, 0x00, 0x00};
  size_t need = 0;
  ck_assert_int_eq(frame_g(&g, pkt, 4, DIRECT, NULL, &need, NULL), 0);
  ck_assert_uint_eq(need, 0xFE0000u);
  guard_free(&g);
}
END_TEST

/* Every type byte value: known types frame, others fail with NBSS_TYPE, and
   this is seen from the first byte alone (1, 2 or 3 bytes in). */
START_TEST(test_frame_unknown_type) {
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  for (int tr = SMBW_FRAMING_NBT; tr <= SMBW_FRAMING_DIRECT; tr++) {
    for (unsigned t = 0; t < 256; t++) {
      uint8_t pkt[4];
      int valid = tr == NBT ? is_nbt_type(t) : is_direct_type(t);
      put_hdr(pkt, (uint8_t)t, 0, 0);
      for (size_t n = 1; n <= 4; n++) {
        smbw_error err = {0, 0, NULL};
        size_t need = 0;
        int rc = frame_g(&g, pkt, n, tr, NULL, &need, &err);
        if (valid) {
          /* negative/retarget with length 0 fail on length at n == 4 */
          if (n < 4) {
            ck_assert_int_eq(rc, 0);
            ck_assert_uint_ge(need, 1);
            ck_assert_uint_le(need, 4 - n);
          } else if (t == 0x83 || t == 0x84) {
            ck_assert_int_eq(rc, SMBW_E_NBSS_LENGTH);
          } else {
            ck_assert_int_eq(rc, 4);
          }
        } else {
          ck_assert_msg(rc == SMBW_E_NBSS_TYPE, "transport %d type 0x%02X n %zu: rc %d", tr, t, n,
                        rc);
          ck_assert_int_eq(err.code, SMBW_E_NBSS_TYPE);
          ck_assert_uint_eq(err.offset, 0);
          ck_assert_str_eq(err.field, "Type");
        }
      }
    }
  }
  guard_free(&g);
}
END_TEST

START_TEST(test_frame_empty_and_inval) {
  size_t need = 0;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_nbss_frame(NULL, 0, NBT, NULL, &need, &err), 0);
  ck_assert_uint_eq(need, 4);
  need = 0;
  ck_assert_int_eq(smbw_nbss_frame(NULL, 0, DIRECT, NULL, &need, &err), 0);
  ck_assert_uint_eq(need, 4);
  ck_assert_int_eq(smbw_nbss_frame(NULL, 1, NBT, NULL, &need, &err), SMBW_E_INVAL);
  ck_assert_int_eq(err.code, SMBW_E_INVAL);
  uint8_t b[4] = {0, 0, 0, 0};
  ck_assert_int_eq(smbw_nbss_frame(b, 4, SMBW_FRAMING_NONE, NULL, &need, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_frame(b, 4, 3, NULL, &need, NULL), SMBW_E_INVAL);
}
END_TEST

/* Control packets whose length the type does not allow. */
START_TEST(test_frame_fixed_lengths) {
  static const struct {
    uint8_t type;
    uint8_t flags;
    uint16_t len;
  } bad[] = {
      {0x82, 0, 1},    {0x82, 0, 4},      {0x82, 0, 0xFFFF}, {0x82, 1, 0},
      {0x85, 0, 1},    {0x85, 0, 0x100},  {0x85, 1, 0},      {0x85, 1, 0xFFFF},
      {0x83, 0, 0},    {0x83, 0, 2},      {0x83, 0, 0x101},  {0x83, 1, 1},
      {0x84, 0, 0},    {0x84, 0, 5},      {0x84, 0, 7},      {0x84, 0, 0x106},
      {0x84, 1, 6},
  };
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    uint8_t pkt[4];
    smbw_error err = {0, 0, NULL};
    size_t need = 4242;
    smbw_nbss f;
    memset(&f, 0xEE, sizeof f);
    put_hdr(pkt, bad[i].type, bad[i].flags, bad[i].len);
    /* Detected from the header alone. */
    int rc = frame_g(&g, pkt, 4, NBT, &f, &need, &err);
    ck_assert_msg(rc == SMBW_E_NBSS_LENGTH, "case %zu: rc %d", i, rc);
    ck_assert_int_eq(err.code, SMBW_E_NBSS_LENGTH);
    ck_assert_uint_eq(err.offset, 1);
    ck_assert_str_eq(err.field, "Length");
    ck_assert_uint_eq(f.type, 0xEE); /* not filled */
  }
  guard_free(&g);
}
END_TEST

static void check_keepalive_stream(int transport) {
  enum { N = 1000 };
  uint8_t *stream = malloc(4 * N);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 4 * N), 0);
  for (size_t i = 0; i < N; i++) {
    size_t l = 0;
    ck_assert_int_eq(
        smbw_nbss_header_encode(stream + 4 * i, 4, transport, SMBW_NBSS_KEEPALIVE, 0, &l), 0);
    ck_assert_uint_eq(l, 4);
  }
  const uint8_t *p = guard_place(&g, stream, 4 * N);
  size_t off = 0, count = 0;
  for (;;) {
    smbw_nbss f;
    size_t need = 0;
    int rc = smbw_nbss_frame(p + off, 4 * N - off, transport, &f, &need, NULL);
    if (rc == 0) {
      ck_assert_uint_eq(off, 4 * N);
      ck_assert_uint_eq(need, 4);
      break;
    }
    ck_assert_int_eq(rc, 4);
    ck_assert_uint_eq(f.type, SMBW_NBSS_KEEPALIVE);
    ck_assert_uint_eq(f.length, 0);
    ck_assert_ptr_eq(f.payload, p + off + 4);
    off += (size_t)rc;
    count++;
    ck_assert_uint_le(count, N);
  }
  ck_assert_uint_eq(count, N);
  guard_free(&g);
  free(stream);
}

START_TEST(test_keepalive_stream) {
  check_keepalive_stream(NBT);
  check_keepalive_stream(DIRECT);
}
END_TEST

/* ---- byte-at-a-time stream ---------------------------------------------- */

typedef struct pkt_ref {
  size_t off, len;
} pkt_ref;

static size_t add_pkt(uint8_t *stream, size_t pos, pkt_ref *refs, size_t *nrefs, const uint8_t *p,
                      size_t n) {
  memcpy(stream + pos, p, n);
  refs[*nrefs].off = pos;
  refs[*nrefs].len = n;
  (*nrefs)++;
  return pos + n;
}

/* Feed the stream one byte at a time; the buffer of the current packet
   always ends at the guard page. */
static void feed_bytewise(const uint8_t *stream, size_t total, const pkt_ref *refs, size_t nrefs,
                          int transport) {
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, total), 0);
  size_t start = 0, have = 0, got = 0;
  while (have < total) {
    have++; /* one more byte received */
    for (;;) {
      size_t avail = have - start;
      const uint8_t *p = guard_place(&g, stream + start, avail);
      smbw_nbss f;
      size_t need = 0;
      smbw_error err = {0, 0, NULL};
      int rc = smbw_nbss_frame(p, avail, transport, &f, &need, &err);
      ck_assert_msg(rc >= 0, "error %d at stream offset %zu", rc, start);
      ck_assert_uint_lt(got, nrefs);
      const pkt_ref *r = &refs[got];
      ck_assert_uint_eq(start, r->off);
      if (rc == 0) {
        /* Nothing may be taken before the packet is complete. */
        ck_assert_uint_lt(avail, r->len);
        if (avail >= 4)
          ck_assert_uint_eq(need, r->len - avail); /* exact */
        else {
          ck_assert_uint_ge(need, 1);
          ck_assert_uint_le(avail + need, 4);
        }
        break;
      }
      /* Complete exactly when the last byte came in. */
      ck_assert_uint_eq((size_t)rc, r->len);
      ck_assert_uint_eq(avail, r->len);
      ck_assert_uint_eq(f.type, stream[r->off]);
      ck_assert_uint_eq(f.length, r->len - 4);
      ck_assert_ptr_eq(f.payload, p + 4);
      ck_assert_int_eq(memcmp(f.payload, stream + r->off + 4, f.length), 0);
      start += (size_t)rc;
      got++;
      if (start == have) break;
    }
  }
  ck_assert_uint_eq(got, nrefs);
  ck_assert_uint_eq(start, total);
  guard_free(&g);
}

static size_t smb_message(uint8_t *out, size_t cap, int framing, uint16_t mid) {
  smbw_header h;
  smbw_builder b;
  static const char *const names[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0", "NT LM 0.12"};
  smbw_negotiate_req r = {{NULL, 0}, 3, names};
  size_t len = 0;
  memset(&h, 0, sizeof h);
  h.mid = mid;
  h.flags2 = SMBW_FLAGS2_UNICODE | SMBW_FLAGS2_NT_STATUS;
  ck_assert_int_eq(smbw_builder_init(&b, out, cap, framing, &h), 0);
  ck_assert_int_eq(smbw_negotiate_req_encode(&b, &r), 0);
  ck_assert_int_eq(smbw_builder_finish(&b, &len), 0);
  return len;
}

START_TEST(test_stream_bytewise_nbt) {
  uint8_t stream[4096], tmp[1024];
  pkt_ref refs[32];
  size_t n = 0, pos = 0, l = 0;
  smbw_nbss_session_request sr;
  static const uint8_t scope[] = "\x04" "corp" "\x07" "example" "\x03" "com";
  ck_assert_int_eq(smbw_nb_name_set(&sr.called, "FILESERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&sr.calling, "CLIENT", 0x00), 0);
  sr.called.scope.data = scope;
  sr.called.scope.len = sizeof scope - 1;
  ck_assert_int_eq(smbw_nbss_session_request_encode(tmp, sizeof tmp, &sr, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, NBT, SMBW_NBSS_POSITIVE_RESPONSE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, NBT, SMBW_NBSS_KEEPALIVE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  l = smb_message(tmp, sizeof tmp, SMBW_FRAMING_NBT, 1);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_negative_encode(tmp, sizeof tmp, 0x82, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_retarget_encode(tmp, sizeof tmp, 0x7F000001u, 1139, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, NBT, SMBW_NBSS_SESSION_MESSAGE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l); /* empty session message */
  /* a 1 KB session message of arbitrary payload */
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, NBT, SMBW_NBSS_SESSION_MESSAGE, 1000, &l), 0);
  for (size_t i = 4; i < 1004; i++) tmp[i] = (uint8_t)(i ^ 0x5A);
  pos = add_pkt(stream, pos, refs, &n, tmp, 1004);
  l = smb_message(tmp, sizeof tmp, SMBW_FRAMING_NBT, 2);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, NBT, SMBW_NBSS_KEEPALIVE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  feed_bytewise(stream, pos, refs, n, NBT);
}
END_TEST

START_TEST(test_stream_bytewise_direct) {
  uint8_t stream[4096], tmp[1024];
  pkt_ref refs[32];
  size_t n = 0, pos = 0, l = 0;
  l = smb_message(tmp, sizeof tmp, SMBW_FRAMING_DIRECT, 1);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, DIRECT, SMBW_NBSS_KEEPALIVE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, DIRECT, SMBW_NBSS_SESSION_MESSAGE, 0, &l), 0);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  ck_assert_int_eq(smbw_nbss_header_encode(tmp, 4, DIRECT, SMBW_NBSS_SESSION_MESSAGE, 700, &l), 0);
  for (size_t i = 4; i < 704; i++) tmp[i] = (uint8_t)(i * 13);
  pos = add_pkt(stream, pos, refs, &n, tmp, 704);
  l = smb_message(tmp, sizeof tmp, SMBW_FRAMING_DIRECT, 2);
  pos = add_pkt(stream, pos, refs, &n, tmp, l);
  feed_bytewise(stream, pos, refs, n, DIRECT);
}
END_TEST

/* ---- names and session requests ----------------------------------------- */

static const uint8_t corp_scope[] = "\x04" "corp" "\x07" "example" "\x03" "com";
#define CORP_SCOPE_LEN (sizeof corp_scope - 1)

START_TEST(test_nb_name_set_get) {
  smbw_nb_name n;
  char out[16];
  memset(&n, 0xCC, sizeof n);
  ck_assert_int_eq(smbw_nb_name_set(&n, "SERVER", 0x20), 0);
  ck_assert_int_eq(memcmp(n.name, "SERVER         ", 15), 0);
  ck_assert_uint_eq(n.name[15], 0x20);
  ck_assert_ptr_null(n.scope.data);
  ck_assert_uint_eq(n.scope.len, 0);
  ck_assert_uint_eq(smbw_nb_name_get(&n, out), 6);
  ck_assert_str_eq(out, "SERVER");

  ck_assert_int_eq(smbw_nb_name_set(&n, "ABCDEFGHIJKLMNO", 0x00), 0);
  ck_assert_int_eq(memcmp(n.name, "ABCDEFGHIJKLMNO", 15), 0);
  ck_assert_uint_eq(n.name[15], 0x00);
  ck_assert_uint_eq(smbw_nb_name_get(&n, out), 15);
  ck_assert_str_eq(out, "ABCDEFGHIJKLMNO");

  ck_assert_int_eq(smbw_nb_name_set(&n, "", 0x20), 0);
  ck_assert_int_eq(memcmp(n.name, "               ", 15), 0);
  ck_assert_uint_eq(smbw_nb_name_get(&n, out), 0);
  ck_assert_str_eq(out, "");

  /* no case conversion */
  ck_assert_int_eq(smbw_nb_name_set(&n, "MixedCase", 0x20), 0);
  ck_assert_uint_eq(smbw_nb_name_get(&n, out), 9);
  ck_assert_str_eq(out, "MixedCase");

  smbw_nb_name keep = n;
  ck_assert_int_eq(smbw_nb_name_set(&n, "ABCDEFGHIJKLMNOP", 0x20), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nb_name_set(&n, "A VERY LONG NETBIOS NAME", 0x20), SMBW_E_RANGE);
  ck_assert_int_eq(memcmp(&keep.name, &n.name, 16), 0); /* untouched */
  ck_assert_int_eq(smbw_nb_name_set(NULL, "X", 0x20), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nb_name_set(&n, NULL, 0x20), SMBW_E_INVAL);
}
END_TEST

/* RFC 1001 14.1: "FRED" padded with spaces -> EGFCEFEECACACA... */
START_TEST(test_rfc1001_fred) {
  smbw_nbss_session_request r, d;
  uint8_t out[128];
  size_t len = 0;
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "FRED", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "FRED", 0x20), 0);
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, &r, &len), 0);
  ck_assert_uint_eq(len, SMBW_NBSS_SESSION_REQUEST_SIZE);
  static const uint8_t hdr[4] = {0x81, 0x00, 0x00, 0x44};
  ck_assert_int_eq(memcmp(out, hdr, 4), 0);
  ck_assert_uint_eq(out[4], 32);
  ck_assert_int_eq(memcmp(out + 5, "EGFCEFEECACACACACACACACACACACACA", 32), 0);
  ck_assert_uint_eq(out[37], 0);
  ck_assert_uint_eq(out[38], 32);
  ck_assert_int_eq(memcmp(out + 39, "EGFCEFEECACACACACACACACACACACACA", 32), 0);
  ck_assert_uint_eq(out[71], 0);
  /* and decoding the RFC text gives FRED back */
  guard_buf g;
  smbw_nbss f;
  ck_assert_int_eq(guard_init(&g, len), 0);
  ck_assert_int_eq(frame_g(&g, out, len, NBT, &f, NULL, NULL), (int)len);
  ck_assert_int_eq(smbw_nbss_session_request_decode(&f, &d, NULL), 0);
  char plain[16];
  ck_assert_uint_eq(smbw_nb_name_get(&d.called, plain), 4);
  ck_assert_str_eq(plain, "FRED");
  ck_assert_uint_eq(d.called.name[15], 0x20);
  guard_free(&g);
}
END_TEST

static void roundtrip_request(const smbw_nbss_session_request *r) {
  uint8_t out[1024];
  size_t len = 0;
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, r, &len), 0);
  ck_assert_uint_eq(len, 4u + 68u + r->called.scope.len + r->calling.scope.len);
  ck_assert_uint_eq(out[0], SMBW_NBSS_SESSION_REQUEST);
  ck_assert_uint_eq(((size_t)out[2] << 8 | out[3]), len - 4);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, len), 0);
  smbw_nbss f;
  ck_assert_int_eq(frame_g(&g, out, len, NBT, &f, NULL, NULL), (int)len);
  smbw_nbss_session_request d;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_nbss_session_request_decode(&f, &d, &err), 0);
  ck_assert_int_eq(memcmp(d.called.name, r->called.name, 16), 0);
  ck_assert_int_eq(memcmp(d.calling.name, r->calling.name, 16), 0);
  ck_assert_uint_eq(d.called.scope.len, r->called.scope.len);
  ck_assert_uint_eq(d.calling.scope.len, r->calling.scope.len);
  if (r->called.scope.len) {
    ck_assert_ptr_eq(d.called.scope.data, f.payload + 33);
    ck_assert_int_eq(memcmp(d.called.scope.data, r->called.scope.data, r->called.scope.len), 0);
  } else {
    ck_assert_ptr_null(d.called.scope.data);
  }
  if (r->calling.scope.len)
    ck_assert_int_eq(memcmp(d.calling.scope.data, r->calling.scope.data, r->calling.scope.len),
                     0);
  else
    ck_assert_ptr_null(d.calling.scope.data);
  /* re-encode byte for byte */
  uint8_t again[1024];
  size_t len2 = 0;
  ck_assert_int_eq(smbw_nbss_session_request_encode(again, sizeof again, &d, &len2), 0);
  ck_assert_uint_eq(len2, len);
  ck_assert_int_eq(memcmp(again, out, len), 0);
  guard_free(&g);
}

START_TEST(test_session_request_roundtrip) {
  smbw_nbss_session_request r;
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "*SMBSERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "WORKSTATION", 0x00), 0);
  roundtrip_request(&r);
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "ABCDEFGHIJKLMNO", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "", 0x00), 0);
  roundtrip_request(&r);
  /* every byte value in a name survives (names are 16 raw bytes) */
  for (unsigned k = 0; k < 16; k++) {
    r.called.name[k] = (uint8_t)(k * 17);
    r.calling.name[k] = (uint8_t)(255 - k * 16);
  }
  roundtrip_request(&r);
  /* scopes */
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "SERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "CLIENT", 0x00), 0);
  r.called.scope.data = corp_scope;
  r.called.scope.len = CORP_SCOPE_LEN;
  roundtrip_request(&r);
  r.calling.scope = r.called.scope;
  roundtrip_request(&r);
  /* a 63-byte label is the largest allowed */
  uint8_t big[64];
  big[0] = 63;
  memset(big + 1, 'x', 63);
  r.calling.scope.data = big;
  r.calling.scope.len = 64;
  roundtrip_request(&r);
}
END_TEST

START_TEST(test_session_request_encode_bad_scope) {
  smbw_nbss_session_request r;
  uint8_t out[1024];
  size_t len = 0;
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "SERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "CLIENT", 0x00), 0);
  static const uint8_t lbl64[65] = {64};
  r.called.scope.data = lbl64; /* label over 63 */
  r.called.scope.len = 65;
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, &r, &len), SMBW_E_NBSS_SCOPE);
  static const uint8_t short_lbl[] = {5, 'a', 'b'}; /* label runs past the view */
  r.called.scope.data = short_lbl;
  r.called.scope.len = 3;
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, &r, &len), SMBW_E_NBSS_SCOPE);
  static const uint8_t zero_lbl[] = {3, 'a', 'b', 'c', 0, 1, 'x'}; /* zero inside */
  r.called.scope.data = zero_lbl;
  r.called.scope.len = sizeof zero_lbl;
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, &r, &len), SMBW_E_NBSS_SCOPE);
  r.called.scope.data = NULL; /* len without data */
  r.called.scope.len = 4;
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, &r, &len), SMBW_E_NBSS_SCOPE);
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
}
END_TEST

START_TEST(test_scope_to_text) {
  static const char text[] = "corp.example.com";
  const size_t tl = sizeof text - 1;
  smbw_bytes sc = {corp_scope, (uint32_t)CORP_SCOPE_LEN};
  char buf[64];
  size_t need = 0;
  ck_assert_int_eq(smbw_nb_scope_to_text(sc, buf, sizeof buf, &need), 0);
  ck_assert_str_eq(buf, text);
  ck_assert_uint_eq(need, tl);
  /* every cap, output ending at the guard page */
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 64), 0);
  for (size_t cap = 0; cap <= tl + 3; cap++) {
    char *dst = (char *)(g.base + g.size - cap);
    memset(dst, 0x7E, cap);
    need = 0;
    int rc = smbw_nb_scope_to_text(sc, cap ? dst : NULL, cap, &need);
    ck_assert_uint_eq(need, tl);
    if (cap <= tl) {
      ck_assert_int_eq(rc, SMBW_E_NOSPACE);
    } else {
      ck_assert_int_eq(rc, 0);
    }
    if (cap) {
      size_t got = strlen(dst);
      size_t want = cap - 1 < tl ? cap - 1 : tl;
      ck_assert_uint_eq(got, want);
      ck_assert_int_eq(memcmp(dst, text, want), 0);
    }
  }
  /* the output can point at the guard for cap 0 too: nothing is written */
  ck_assert_int_eq(smbw_nb_scope_to_text(sc, (char *)(g.base + g.size), 0, NULL),
                   SMBW_E_NOSPACE);
  guard_free(&g);
  /* empty scope */
  smbw_bytes none = {NULL, 0};
  buf[0] = 'Z';
  ck_assert_int_eq(smbw_nb_scope_to_text(none, buf, 1, &need), 0);
  ck_assert_uint_eq(need, 0);
  ck_assert_str_eq(buf, "");
  ck_assert_int_eq(smbw_nb_scope_to_text(none, NULL, 0, &need), SMBW_E_NOSPACE);
  /* one label */
  static const uint8_t one[] = "\x03" "lan";
  smbw_bytes o = {one, 4};
  ck_assert_int_eq(smbw_nb_scope_to_text(o, buf, sizeof buf, &need), 0);
  ck_assert_str_eq(buf, "lan");
  ck_assert_uint_eq(need, 3);
  ck_assert_int_eq(smbw_nb_scope_to_text(sc, NULL, 5, &need), SMBW_E_INVAL);
}
END_TEST

/* A valid request with scope on the calling name, as a template. */
static size_t good_request(uint8_t *out, size_t cap, int with_scope) {
  smbw_nbss_session_request r;
  size_t len = 0;
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "SERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "CLIENT", 0x00), 0);
  if (with_scope) {
    r.called.scope.data = corp_scope;
    r.called.scope.len = CORP_SCOPE_LEN;
    r.calling.scope = r.called.scope;
  }
  ck_assert_int_eq(smbw_nbss_session_request_encode(out, cap, &r, &len), 0);
  return len;
}

/* Decode a session request whose payload is pkt[4..n), header rewritten
   to length n - 4; placed against the guard. */
static int decode_req(guard_buf *g, uint8_t *pkt, size_t n, smbw_nbss_session_request *d,
                      smbw_error *err) {
  pkt[0] = 0x81;
  pkt[1] = (uint8_t)((n - 4) >> 16);
  pkt[2] = (uint8_t)((n - 4) >> 8);
  pkt[3] = (uint8_t)(n - 4);
  smbw_nbss f;
  int rc = frame_g(g, pkt, n, NBT, &f, NULL, NULL);
  ck_assert_int_eq(rc, (int)n);
  return smbw_nbss_session_request_decode(&f, d, err);
}

START_TEST(test_session_request_bad_name_length) {
  uint8_t pkt[256];
  guard_buf g;
  smbw_nbss_session_request d;
  ck_assert_int_eq(guard_init(&g, sizeof pkt), 0);
  size_t n = good_request(pkt, sizeof pkt, 0);
  static const uint8_t bad[] = {0, 1, 16, 31, 33, 64, 0xFF};
  for (size_t i = 0; i < sizeof bad; i++) {
    for (int which = 0; which < 2; which++) {
      uint8_t t[256];
      smbw_error err = {0, 0, NULL};
      memcpy(t, pkt, n);
      size_t at = which ? 38 : 4;
      t[at] = bad[i];
      ck_assert_int_eq(decode_req(&g, t, n, &d, &err), SMBW_E_NBSS_NAME);
      ck_assert_int_eq(err.code, SMBW_E_NBSS_NAME);
      ck_assert_uint_eq(err.offset, at);
      ck_assert_str_eq(err.field, "NameLength");
    }
  }
  guard_free(&g);
}
END_TEST

START_TEST(test_session_request_bad_half_ascii) {
  uint8_t pkt[256];
  guard_buf g;
  smbw_nbss_session_request d;
  ck_assert_int_eq(guard_init(&g, sizeof pkt), 0);
  size_t n = good_request(pkt, sizeof pkt, 1);
  size_t calling_at = 4 + 34 + CORP_SCOPE_LEN; /* second name's length byte */
  static const uint8_t bad[] = {'@', 'Q', 'Z', 'a', 'p', '0', 0x00, 0x20, 0xC1};
  for (int which = 0; which < 2; which++) {
    size_t base = (which ? calling_at : 4) + 1;
    for (size_t k = 0; k < 32; k++) {
      for (size_t i = 0; i < sizeof bad; i++) {
        uint8_t t[256];
        smbw_error err = {0, 0, NULL};
        memcpy(t, pkt, n);
        t[base + k] = bad[i];
        int rc = decode_req(&g, t, n, &d, &err);
        ck_assert_int_eq(rc, SMBW_E_NBSS_NAME);
        ck_assert_msg(err.offset == base + k, "byte %zu of name %d: offset %u", k, which,
                      (unsigned)err.offset);
        ck_assert_str_eq(err.field, "Name");
      }
      /* 'A' and 'P' are the valid extremes */
      uint8_t t[256];
      memcpy(t, pkt, n);
      t[base + k] = (k & 1) ? 'P' : 'A';
      ck_assert_int_eq(decode_req(&g, t, n, &d, NULL), 0);
    }
  }
  /* both nibbles of one byte bad: the first is reported */
  uint8_t t[256];
  smbw_error err = {0, 0, NULL};
  memcpy(t, pkt, n);
  t[5 + 6] = 'z';
  t[5 + 7] = 'z';
  ck_assert_int_eq(decode_req(&g, t, n, &d, &err), SMBW_E_NBSS_NAME);
  ck_assert_uint_eq(err.offset, 11);
  guard_free(&g);
}
END_TEST

START_TEST(test_session_request_bad_scope) {
  uint8_t pkt[1024], t[1024];
  guard_buf g;
  smbw_nbss_session_request d;
  smbw_error err;
  ck_assert_int_eq(guard_init(&g, sizeof pkt), 0);
  size_t n = good_request(pkt, sizeof pkt, 0); /* 72 bytes, no scope */
  ck_assert_uint_eq(n, 72);

  /* missing terminating zero of the calling name (last byte) */
  memcpy(t, pkt, n);
  t[71] = 5;
  err.code = 0;
  ck_assert_int_eq(decode_req(&g, t, n, &d, &err), SMBW_E_NBSS_SCOPE);
  ck_assert_uint_eq(err.offset, 71);
  ck_assert_str_eq(err.field, "Scope");

  /* a scope that runs to the end without the zero */
  memcpy(t, pkt, 71);
  memcpy(t + 71, "\x03" "abc", 4);
  err.code = 0;
  ck_assert_int_eq(decode_req(&g, t, 75, &d, &err), SMBW_E_NBSS_SCOPE);
  ck_assert_uint_eq(err.offset, 75);

  /* label over 63 bytes in the called name's scope */
  memcpy(t, pkt, 37);
  t[37] = 64;
  memset(t + 38, 'x', 64);
  t[102] = 0;
  memcpy(t + 103, pkt + 38, 34);
  err.code = 0;
  ck_assert_int_eq(decode_req(&g, t, 137, &d, &err), SMBW_E_NBSS_SCOPE);
  ck_assert_uint_eq(err.offset, 37);
  ck_assert_str_eq(err.field, "Scope");
  /* the same with 63 is fine */
  memcpy(t, pkt, 37);
  t[37] = 63;
  memset(t + 38, 'x', 63);
  t[101] = 0;
  memcpy(t + 102, pkt + 38, 34);
  ck_assert_int_eq(decode_req(&g, t, 136, &d, NULL), 0);
  ck_assert_uint_eq(d.called.scope.len, 64);

  /* label 0xC0 (a DNS compression pointer) */
  memcpy(t, pkt, n);
  t[71] = 0xC0;
  err.code = 0;
  ck_assert_int_eq(decode_req(&g, t, n, &d, &err), SMBW_E_NBSS_SCOPE);
  ck_assert_uint_eq(err.offset, 71);

  /* whole scope over 254 bytes: 4 labels of 63 plus one of 3 = 259 */
  size_t p = 37;
  memcpy(t, pkt, 37);
  for (int i = 0; i < 4; i++) {
    t[p++] = 63;
    memset(t + p, 'a' + i, 63);
    p += 63;
  }
  t[p++] = 3;
  memcpy(t + p, "xyz", 3);
  p += 3;
  t[p++] = 0;
  memcpy(t + p, pkt + 38, 34);
  p += 34;
  err.code = 0;
  ck_assert_int_eq(decode_req(&g, t, p, &d, &err), SMBW_E_NBSS_SCOPE);
  ck_assert_uint_eq(err.offset, 37);
  guard_free(&g);
}
END_TEST

START_TEST(test_session_request_trailing) {
  uint8_t pkt[256], t[256];
  guard_buf g;
  smbw_nbss_session_request d;
  ck_assert_int_eq(guard_init(&g, sizeof pkt), 0);
  size_t n = good_request(pkt, sizeof pkt, 1);
  for (size_t extra = 1; extra <= 3; extra++) {
    smbw_error err = {0, 0, NULL};
    memcpy(t, pkt, n);
    memset(t + n, 0, extra);
    ck_assert_int_eq(decode_req(&g, t, n + extra, &d, &err), SMBW_E_NBSS_LENGTH);
    ck_assert_uint_eq(err.offset, n);
    ck_assert_str_eq(err.field, "Length");
  }
  guard_free(&g);
}
END_TEST

START_TEST(test_session_request_truncations) {
  uint8_t pkt[256], t[256];
  guard_buf g;
  smbw_nbss_session_request d;
  ck_assert_int_eq(guard_init(&g, sizeof pkt), 0);
  for (int sc = 0; sc < 2; sc++) {
    size_t n = good_request(pkt, sizeof pkt, sc);
    memcpy(t, pkt, n);
    ck_assert_int_eq(decode_req(&g, t, n, &d, NULL), 0);
    for (size_t k = 4; k < n; k++) {
      smbw_error err = {0, 0, NULL};
      memcpy(t, pkt, n);
      int rc = decode_req(&g, t, k, &d, &err);
      ck_assert_msg(rc < 0, "scope %d: truncated to %zu decoded", sc, k);
      ck_assert_int_eq(err.code, rc);
      ck_assert_ptr_nonnull(err.field);
      ck_assert_uint_le(err.offset, k);
      ck_assert(rc == SMBW_E_TRUNCATED || rc == SMBW_E_NBSS_SCOPE || rc == SMBW_E_NBSS_NAME);
    }
    /* the framer itself just waits for the rest */
    for (size_t k = 0; k < n; k++) {
      size_t need = 0;
      ck_assert_int_eq(frame_g(&g, pkt, k, NBT, NULL, &need, NULL), 0);
      if (k >= 4) ck_assert_uint_eq(need, n - k);
    }
  }
  /* exact error for a short first name */
  smbw_error err = {0, 0, NULL};
  size_t n = good_request(pkt, sizeof pkt, 0);
  memcpy(t, pkt, n);
  ck_assert_int_eq(decode_req(&g, t, 4 + 33, &d, &err), SMBW_E_TRUNCATED);
  ck_assert_uint_eq(err.offset, 4);
  memcpy(t, pkt, n);
  ck_assert_int_eq(decode_req(&g, t, 71, &d, &err), SMBW_E_TRUNCATED);
  ck_assert_uint_eq(err.offset, 38);
  guard_free(&g);
}
END_TEST

START_TEST(test_session_request_decode_inval) {
  uint8_t pkt[128];
  size_t n = good_request(pkt, sizeof pkt, 0);
  smbw_nbss f;
  smbw_nbss_session_request d;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_nbss_frame(pkt, n, NBT, &f, NULL, NULL), (int)n);
  ck_assert_int_eq(smbw_nbss_session_request_decode(NULL, &d, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_session_request_decode(&f, NULL, &err), SMBW_E_INVAL);
  f.type = SMBW_NBSS_SESSION_MESSAGE;
  ck_assert_int_eq(smbw_nbss_session_request_decode(&f, &d, &err), SMBW_E_INVAL);
  ck_assert_int_eq(err.code, SMBW_E_INVAL);
  ck_assert_ptr_nonnull(err.field);
}
END_TEST

/* ---- negative and retarget responses ------------------------------------ */

START_TEST(test_negative_roundtrip) {
  static const struct {
    uint8_t code;
    const char *text;
  } codes[] = {
      {0x80, "Not listening on called name"},
      {0x81, "Not listening for calling name"},
      {0x82, "Called name not present"},
      {0x83, "Called name present, but insufficient resources"},
      {0x8F, "Unspecified error"},
  };
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    uint8_t out[16];
    size_t len = 0;
    ck_assert_int_eq(smbw_nbss_negative_encode(out, sizeof out, codes[i].code, &len), 0);
    ck_assert_uint_eq(len, 5);
    const uint8_t want[5] = {0x83, 0x00, 0x00, 0x01, codes[i].code};
    ck_assert_int_eq(memcmp(out, want, 5), 0);
    smbw_nbss f;
    ck_assert_int_eq(frame_g(&g, out, len, NBT, &f, NULL, NULL), 5);
    uint8_t code = 0;
    ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, NULL), 0);
    ck_assert_uint_eq(code, codes[i].code);
    const char *name = smbw_nbss_error_name(code);
    ck_assert_ptr_nonnull(name);
    ck_assert_str_eq(name, codes[i].text);
  }
  for (unsigned c = 0; c < 256; c++) {
    int known = c == 0x80 || c == 0x81 || c == 0x82 || c == 0x83 || c == 0x8F;
    if (!known) ck_assert_ptr_null(smbw_nbss_error_name((uint8_t)c));
  }
  /* wrong type / wrong length given by hand */
  uint8_t pl[6] = {0x80, 0, 0, 0, 0, 0};
  smbw_nbss f = {SMBW_NBSS_RETARGET_RESPONSE, 0, 6, pl};
  uint8_t code;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, &err), SMBW_E_INVAL);
  f.type = SMBW_NBSS_NEGATIVE_RESPONSE;
  ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, &err), SMBW_E_NBSS_LENGTH);
  ck_assert_int_eq(err.code, SMBW_E_NBSS_LENGTH);
  ck_assert_uint_eq(err.offset, 1);
  f.length = 0;
  ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, &err), SMBW_E_NBSS_LENGTH);
  ck_assert_int_eq(smbw_nbss_negative_decode(NULL, &code, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_negative_decode(&f, NULL, &err), SMBW_E_INVAL);
  guard_free(&g);
}
END_TEST

static void retarget_rt(uint32_t ip, uint16_t port, const uint8_t want[10]) {
  uint8_t out[10];
  size_t len = 0;
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  ck_assert_int_eq(smbw_nbss_retarget_encode(out, sizeof out, ip, port, &len), 0);
  ck_assert_uint_eq(len, 10);
  ck_assert_int_eq(memcmp(out, want, 10), 0);
  smbw_nbss f;
  ck_assert_int_eq(frame_g(&g, out, len, NBT, &f, NULL, NULL), 10);
  uint32_t ip2 = 0;
  uint16_t port2 = 0;
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip2, &port2, NULL), 0);
  ck_assert_uint_eq(ip2, ip);
  ck_assert_uint_eq(port2, port);
  guard_free(&g);
}

START_TEST(test_retarget_roundtrip) {
  static const uint8_t lo[10] = {0x84, 0, 0, 6, 127, 0, 0, 1, 0x04, 0x73};
  retarget_rt(0x7F000001u, 1139, lo);
  static const uint8_t hi[10] = {0x84, 0, 0, 6, 255, 255, 255, 255, 0xFF, 0xFF};
  retarget_rt(0xFFFFFFFFu, 65535, hi);
  static const uint8_t mix[10] = {0x84, 0, 0, 6, 10, 1, 2, 3, 0x00, 0x8B};
  retarget_rt(0x0A010203u, 139, mix);

  uint8_t pl[6] = {0};
  smbw_nbss f = {SMBW_NBSS_NEGATIVE_RESPONSE, 0, 1, pl};
  uint32_t ip;
  uint16_t port;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, &port, &err), SMBW_E_INVAL);
  f.type = SMBW_NBSS_RETARGET_RESPONSE;
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, &port, &err), SMBW_E_NBSS_LENGTH);
  ck_assert_uint_eq(err.offset, 1);
  ck_assert_str_eq(err.field, "Length");
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, NULL, &port, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, NULL, &err), SMBW_E_INVAL);
}
END_TEST

/* ---- header encoder ------------------------------------------------------ */

START_TEST(test_header_encode) {
  uint8_t out[8];
  size_t len = 0;
  ck_assert_int_eq(smbw_nbss_header_encode(out, 4, NBT, 0, 0x1FFFF, &len), 0);
  ck_assert_uint_eq(len, 4);
  static const uint8_t a[4] = {0x00, 0x01, 0xFF, 0xFF};
  ck_assert_int_eq(memcmp(out, a, 4), 0);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 4, NBT, 0, 0x10000, &len), 0);
  static const uint8_t b[4] = {0x00, 0x01, 0x00, 0x00};
  ck_assert_int_eq(memcmp(out, b, 4), 0);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 4, DIRECT, 0, 0xFFFFFF, &len), 0);
  static const uint8_t c[4] = {0x00, 0xFF, 0xFF, 0xFF};
  ck_assert_int_eq(memcmp(out, c, 4), 0);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 4, DIRECT, 0, 0x123456, &len), 0);
  static const uint8_t d[4] = {0x00, 0x12, 0x34, 0x56};
  ck_assert_int_eq(memcmp(out, d, 4), 0);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 4, DIRECT, 0x85, 0, &len), 0);
  static const uint8_t e[4] = {0x85, 0, 0, 0};
  ck_assert_int_eq(memcmp(out, e, 4), 0);

  /* too long */
  memset(out, 0xAB, sizeof out);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, NBT, 0, 0x20000, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, NBT, 0, 0xFFFFFFFFu, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, DIRECT, 0, 0x1000000, &len), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, DIRECT, 0x85, 1, &len), SMBW_E_RANGE);
  for (size_t i = 0; i < sizeof out; i++) ck_assert_uint_eq(out[i], 0xAB);
  /* types */
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, DIRECT, 0x81, 68, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, DIRECT, 0x82, 0, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, NBT, 0x86, 0, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, NBT, 0x01, 0, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_nbss_header_encode(out, 8, 7, 0, 0, &len), SMBW_E_INVAL);
  for (size_t i = 0; i < sizeof out; i++) ck_assert_uint_eq(out[i], 0xAB);

  /* cap < 4 against the guard */
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 16), 0);
  for (size_t cap = 0; cap < 4; cap++) {
    uint8_t *o = g.base + g.size - cap;
    len = 0;
    ck_assert_int_eq(smbw_nbss_header_encode(o, cap, NBT, 0, 10, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, 4);
    len = 0;
    ck_assert_int_eq(smbw_nbss_header_encode(o, cap, DIRECT, 0x85, 0, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, 4);
  }
  ck_assert_int_eq(smbw_nbss_header_encode(NULL, 0, NBT, 0, 0, &len), SMBW_E_NOSPACE);
  guard_free(&g);
}
END_TEST

/* ---- every encoder, every too-small cap --------------------------------- */

typedef int (*enc_fn)(uint8_t *out, size_t cap, size_t *len, const void *arg);

static int enc_req(uint8_t *out, size_t cap, size_t *len, const void *arg) {
  return smbw_nbss_session_request_encode(out, cap, arg, len);
}
static int enc_neg(uint8_t *out, size_t cap, size_t *len, const void *arg) {
  (void)arg;
  return smbw_nbss_negative_encode(out, cap, 0x8F, len);
}
static int enc_ret(uint8_t *out, size_t cap, size_t *len, const void *arg) {
  (void)arg;
  return smbw_nbss_retarget_encode(out, cap, 0xC0A80001u, 445, len);
}
static int enc_hdr(uint8_t *out, size_t cap, size_t *len, const void *arg) {
  (void)arg;
  return smbw_nbss_header_encode(out, cap, NBT, SMBW_NBSS_SESSION_MESSAGE, 1234, len);
}

static void every_cap(enc_fn fn, const void *arg, size_t want) {
  uint8_t ref[1024], canary[1100];
  size_t len = 0;
  ck_assert_int_eq(fn(ref, sizeof ref, &len, arg), 0);
  ck_assert_uint_eq(len, want);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, want + 16), 0);
  for (size_t cap = 0; cap < want; cap++) {
    /* against the guard page: a write past cap faults */
    uint8_t *o = g.base + g.size - cap;
    len = 0;
    ck_assert_int_eq(fn(o, cap, &len, arg), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, want);
    /* with a canary after cap */
    memset(canary, 0x5C, sizeof canary);
    len = 0;
    ck_assert_int_eq(fn(canary, cap, &len, arg), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, want);
    for (size_t i = cap; i < sizeof canary; i++)
      ck_assert_msg(canary[i] == 0x5C, "cap %zu: byte %zu written", cap, i);
  }
  /* NULL out counts */
  len = 0;
  ck_assert_int_eq(fn(NULL, 0, &len, arg), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, want);
  /* exactly enough, against the guard */
  uint8_t *o = g.base + g.size - want;
  ck_assert_int_eq(fn(o, want, &len, arg), 0);
  ck_assert_int_eq(memcmp(o, ref, want), 0);
  /* NULL len is allowed */
  ck_assert_int_eq(fn(o, want, NULL, arg), 0);
  guard_free(&g);
}

START_TEST(test_raw_data) {
  /* READ_RAW data: a session message without an SMB header, on both
     framings; incremental; other packet types refused; the writer's
     sizes and errors. */
  static const uint8_t data[] = {'T', 'E', 'S', 'T', ' ', 'D', 'A', 'T', 'A'};
  for (int tr = SMBW_FRAMING_NBT; tr <= SMBW_FRAMING_DIRECT; tr++) {
    uint8_t pkt[16];
    size_t len = 0, need = 0;
    smbw_bytes in = {data, sizeof data}, out = {NULL, 0};
    ck_assert_int_eq(smbw_raw_encode(NULL, 0, tr, in, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, 13);
    ck_assert_int_eq(smbw_raw_encode(pkt, 12, tr, in, &len), SMBW_E_NOSPACE);
    ck_assert_int_eq(smbw_raw_encode(pkt, sizeof pkt, tr, in, &len), 0);
    ck_assert_uint_eq(len, 13);
    ck_assert_mem_eq(pkt, "\x00\x00\x00\x09TEST DATA", 13);
    for (size_t k = 0; k < 13; k++) {
      ck_assert_int_eq(smbw_raw_frame(pkt, k, tr, &out, &need, NULL), 0);
      ck_assert_uint_eq(need, k < 4 ? 4 - k : 13 - k);
    }
    ck_assert_int_eq(smbw_raw_frame(pkt, 13, tr, &out, NULL, NULL), 13);
    ck_assert_ptr_eq(out.data, pkt + 4);
    ck_assert_uint_eq(out.len, 9);
    /* the empty answer: end of file, a lock conflict, an error */
    smbw_bytes none = {NULL, 0};
    ck_assert_int_eq(smbw_raw_encode(pkt, sizeof pkt, tr, none, &len), 0);
    ck_assert_uint_eq(len, 4);
    ck_assert_int_eq(smbw_raw_frame(pkt, 4, tr, &out, NULL, NULL), 4);
    ck_assert_uint_eq(out.len, 0);
    smbw_bytes bad = {NULL, 1};
    ck_assert_int_eq(smbw_raw_encode(pkt, sizeof pkt, tr, bad, &len), SMBW_E_INVAL);
  }
  /* a keepalive is not the data */
  static const uint8_t keep[] = {0x85, 0, 0, 0};
  smbw_error e;
  ck_assert_int_eq(smbw_raw_frame(keep, 4, SMBW_FRAMING_NBT, NULL, NULL, &e), SMBW_E_NBSS_TYPE);
  ck_assert_uint_eq(e.offset, 0);
  /* too long for port 139 framing */
  static uint8_t big[0x20000];
  smbw_bytes b = {big, sizeof big};
  ck_assert_int_eq(smbw_raw_encode(NULL, 0, SMBW_FRAMING_NBT, b, NULL), SMBW_E_RANGE);
  ck_assert_int_eq(smbw_raw_encode(NULL, 0, SMBW_FRAMING_NONE, b, NULL), SMBW_E_INVAL);
}
END_TEST

START_TEST(test_encoders_every_cap) {
  smbw_nbss_session_request r;
  ck_assert_int_eq(smbw_nb_name_set(&r.called, "SERVER", 0x20), 0);
  ck_assert_int_eq(smbw_nb_name_set(&r.calling, "CLIENT", 0x00), 0);
  every_cap(enc_req, &r, 72);
  r.called.scope.data = corp_scope;
  r.called.scope.len = CORP_SCOPE_LEN;
  every_cap(enc_req, &r, 72 + CORP_SCOPE_LEN);
  r.calling.scope = r.called.scope;
  every_cap(enc_req, &r, 72 + 2 * CORP_SCOPE_LEN);
  every_cap(enc_neg, NULL, 5);
  every_cap(enc_ret, NULL, 10);
  every_cap(enc_hdr, NULL, 4);
}
END_TEST

/* ---- main ---------------------------------------------------------------- */

int main(void) {
  Suite *s = suite_create("nbss");
  add_tcase(s, "framer", 120, TESTS(test_frame_session_message_nbt,
                                    test_frame_session_message_direct, test_frame_extra_bytes,
                                    test_frame_control_types_nbt, test_frame_keepalive_direct,
                                    test_frame_reserved_flags, test_frame_unknown_type,
                                    test_frame_empty_and_inval, test_frame_fixed_lengths,
                                    test_keepalive_stream, test_stream_bytewise_nbt,
                                    test_stream_bytewise_direct));

  add_tcase(s, "session_request", 0, TESTS(test_nb_name_set_get, test_rfc1001_fred,
                                           test_session_request_roundtrip,
                                           test_session_request_encode_bad_scope,
                                           test_scope_to_text, test_session_request_bad_name_length,
                                           test_session_request_bad_half_ascii,
                                           test_session_request_bad_scope,
                                           test_session_request_trailing,
                                           test_session_request_truncations,
                                           test_session_request_decode_inval));

  add_tcase(s, "control", 0, TESTS(test_negative_roundtrip, test_retarget_roundtrip,
                                   test_header_encode, test_encoders_every_cap, test_raw_data));

  return run_suite(s);
}
