/*
 * test_hostile.c - hostile input against the whole decode + re-encode path
 * (issue 5).  Every input is placed so that it ends exactly at a PROT_NONE
 * page (tests/guard.h): a read past the end faults at once, in every build.
 *
 *  golden     every truncation and every single-byte mutation (all 256
 *             values at each position for packets up to 200 bytes, a
 *             sample of positions and values beyond) of every golden
 *             message shape (the first message of each command, direction,
 *             Unicode flag and WordCount in a file; the others are decoded
 *             and re-encoded once) in tests/golden (*.vec files): framer,
 *             header, AndX walk,
 *             typed decoders; errors are allowed, crashes and over-reads
 *             never; when decode succeeds, re-encode into an exactly sized
 *             guarded buffer succeeds and decodes again
 *  andx       loops, self-references, backward and overlapping offsets,
 *             0xFF-terminated chains with trailing garbage, long chains
 *  counts     word and byte counts that lie
 *  overflow   offsets plus counts that overflow 16 and 32 bits
 *  strings    odd-length and unterminated UTF-16 strings
 *  nbss       NBSS lengths 0, 0x1FFFF, 0xFFFFFF, 10000 keepalives
 *  advisories published SMB1 advisories as byte vectors
 *  trans      transactions and their reassembler: the MS17-010 shapes
 *             (totals that change, pieces past the total, EternalBlue's
 *             NT_TRANSACT continued by TRANSACTION2_SECONDARY, 32-bit
 *             counts near 2^32, 16-bit offset sums, offsets into the words,
 *             overlapping areas, lying SetupCount, empty, duplicated and
 *             too many pieces), buffers against guard pages; every
 *             truncation and mutation of real transaction messages
 *  bugs       one test per library bug found by the fuzzers (regression
 *             inputs in fuzz/regressions/)
 *
 * SMBW_VEC_DIRS: directories of .vec files (tests/golden by default).
 * SMBW_HOSTILE_STRIDE=N: try only every Nth mutation (for valgrind).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <smbwire/smbwire.h>

#include "../dissect.h"
#include "../guard.h"
#include "../vec.h"
#include "../check_helpers.h"

/* ---- guarded areas ---------------------------------------------------- */

#define AREA (1u << 18)
static guard_buf g_pkt, g_smb, g_out;

static void guards_init(void) {
  static int done;
  if (done) return;
  if (guard_init(&g_pkt, AREA) || guard_init(&g_smb, AREA) || guard_init(&g_out, AREA)) abort();
  done = 1;
}

static uint8_t *out_area(size_t n) { return guard_out_area(&g_out, n, 16, 0xA5); }
static int out_canary_ok(size_t n) { return guard_canary_ok(&g_out, n, 16); }

/* ---- the whole path for one input ------------------------------------ */

typedef struct stats {
  unsigned long tried, framed, decoded, reencoded, rejected;
} stats;

/* An error is precise: same code, a named field, an offset not past the
   input. */
static void check_err(const smbw_error *e, int rc, size_t len, const char *what) {
  ck_assert_msg(rc < 0 && e->code == rc && e->field && e->field[0] && e->offset <= len,
                "%s: imprecise error rc=%d code=%d field=%s offset=%u len=%zu", what, rc,
                e->code, e->field ? e->field : "(null)", e->offset, len);
}

/* Decode one SMB message (already placed against a guard page) and, when
   it decodes, re-encode it into an exactly sized guarded buffer. */
static void smb_path(const uint8_t *smb, size_t len, stats *st) {
  smbw_error e = {0, 0, NULL};
  size_t used = 0;
  unsigned typed = 0;
  int rc = dissect_msg(smb, len, NULL, NULL, &e, &used, &typed);
  if (rc < 0) {
    check_err(&e, rc, len, "decode");
    st->rejected++;
    return;
  }
  st->decoded++;
  ck_assert_msg(used <= len, "decode claims %zu bytes of %zu", used, len);
  size_t need = 0, got = 0;
  rc = reencode_msg(smb, len, SMBW_FRAMING_DIRECT, NULL, 0, &need);
  ck_assert_msg(rc == SMBW_E_NOSPACE, "size query of a decoded message: %s", smbw_errname(rc));
  ck_assert(need >= 36 && need <= AREA - 16);
  uint8_t *o = out_area(need);
  rc = reencode_msg(smb, len, SMBW_FRAMING_DIRECT, o, need, &got);
  ck_assert_msg(rc == 0 && got == need, "re-encode of a decoded message: %s (%zu of %zu)",
                smbw_errname(rc), got, need);
  ck_assert(out_canary_ok(need));
  smbw_nbss f;
  ck_assert_int_eq(smbw_nbss_frame(o, need, SMBW_FRAMING_DIRECT, &f, NULL, NULL), (int)need);
  rc = dissect_msg(o + 4, need - 4, NULL, NULL, &e, &used, &typed);
  ck_assert_msg(rc == 0, "re-encoded message does not decode: %s at %u (%s)", smbw_errname(rc),
                e.offset, e.field);
  st->reencoded++;
}

/* Frame a packet (placed against a guard page) and decode what it holds. */
static void pkt_path(const uint8_t *p, size_t n, int tr, stats *st) {
  smbw_nbss f;
  size_t need = 0;
  smbw_error e = {0, 0, NULL};
  st->tried++;
  int rc = smbw_nbss_frame(p, n, tr, &f, &need, &e);
  if (rc < 0) {
    check_err(&e, rc, n, "frame");
    ck_assert(e.offset < 4);
    st->rejected++;
    return;
  }
  if (rc == 0) {
    ck_assert(need >= 1);
    return;
  }
  ck_assert((size_t)rc <= n && (size_t)rc == 4u + f.length && f.payload == p + 4);
  st->framed++;
  if (f.type == SMBW_NBSS_SESSION_MESSAGE) {
    /* The payload again against its own guard page (the frame may be
       shorter than the bytes given). */
    const uint8_t *smb = guard_place(&g_smb, f.payload, f.length);
    smb_path(smb, f.length, st);
  } else if (f.type == SMBW_NBSS_SESSION_REQUEST) {
    smbw_nbss_session_request r;
    size_t total = (size_t)rc;
    rc = smbw_nbss_session_request_decode(&f, &r, &e);
    if (rc) {
      check_err(&e, rc, total, "session request");
      return;
    }
    size_t len = 0;
    ck_assert_int_eq(smbw_nbss_session_request_encode(NULL, 0, &r, &len), SMBW_E_NOSPACE);
    uint8_t *o = out_area(len);
    ck_assert_int_eq(smbw_nbss_session_request_encode(o, len, &r, &len), 0);
    ck_assert(out_canary_ok(len) && len == total && memcmp(o, p, len) == 0);
  } else if (f.type == SMBW_NBSS_NEGATIVE_RESPONSE) {
    uint8_t code;
    ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, NULL), 0);
  } else if (f.type == SMBW_NBSS_RETARGET_RESPONSE) {
    uint32_t ip;
    uint16_t port;
    ck_assert_int_eq(smbw_nbss_retarget_decode(&f, &ip, &port, NULL), 0);
  }
}

/* ---- golden vectors --------------------------------------------------- */

#define MAX_FILES 256
static char *files[MAX_FILES];
static int nfiles;

static void find_files(void) { nfiles = vec_list(files, MAX_FILES); }

static unsigned long stride(void) {
  const char *s = getenv("SMBW_HOSTILE_STRIDE");
  unsigned long v = s ? strtoul(s, NULL, 10) : 1;
  return v ? v : 1;
}

/* The shape of a packet: NBSS type, and for an SMB message its command,
   direction, Unicode flag, first WordCount and the byte after it (the AndX
   command of an AndX block).  Messages of one shape take the same paths
   through the decoders; only the first of each shape in a file is truncated
   and mutated, the others are decoded and re-encoded as they are.  This
   keeps the sweep's cost proportional to the forms the captures hold, not to
   how many messages they hold. */
static uint64_t shape_of(const uint8_t *p, size_t n) {
  uint64_t k = p[0];
  if (n >= 4 + 34 && memcmp(p + 4, "\xffSMB", 4) == 0)
    k |= (uint64_t)p[4 + 4] << 8 | (uint64_t)(p[4 + 9] & 0x80) << 16 |
         (uint64_t)(p[4 + 11] & 0x80) << 17 | (uint64_t)p[4 + 32] << 32 |
         (uint64_t)p[4 + 33] << 40 | (uint64_t)1 << 48;
  return k;
}

START_TEST(golden_mutations) {
  guards_init();
  const char *path = files[_i];
  vec_file vf;
  ck_assert_msg(vec_load(path, &vf) == 0 && vf.n > 0, "cannot read %s", path);
  static uint8_t work[1 << 17];
  static uint64_t seen[4096];
  size_t nseen = 0;
  stats st = {0, 0, 0, 0, 0};
  unsigned long k = 0, every = stride(), shapes = 0;
  for (size_t i = 0; i < vf.n; i++) {
    const vec_msg *m = &vf.msgs[i];
    int tr = m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
    if (m->len > sizeof work) continue;
    /* The packet itself, then every truncation (sampled past 8 KiB). */
    pkt_path(guard_place(&g_pkt, m->bytes, m->len), m->len, tr, &st);
    uint64_t shape = shape_of(m->bytes, m->len);
    size_t j = 0;
    while (j < nseen && seen[j] != shape) j++;
    if (j < nseen) continue;
    if (nseen < sizeof seen / sizeof seen[0]) seen[nseen++] = shape;
    shapes++;
    for (size_t t = 0; t < m->len; t = t < 8192 ? t + 1 : t + 509)
      if (k++ % every == 0) pkt_path(guard_place(&g_pkt, m->bytes, t), t, tr, &st);
    /* The SMB message alone, truncated (the framer no longer decides). */
    if (m->len > 36 && m->bytes[0] == 0)
      for (size_t t = 0; t < m->len - 4; t = t < 8192 ? t + 1 : t + 509)
        if (k++ % every == 0) {
          st.tried++;
          smb_path(guard_place(&g_smb, m->bytes + 4, t), t, &st);
        }
    /* Single-byte mutations: all 256 values at every position up to 200
       bytes; beyond, 8 values at a sample of positions. */
    memcpy(work, m->bytes, m->len);
    int all = m->len <= 200;
    for (size_t pos = 0; pos < m->len; pos = all || pos < 256 ? pos + 1 : pos + 37) {
      uint8_t orig = work[pos];
      static const uint8_t some[8] = {0x00, 0x01, 0x02, 0x7F, 0x80, 0xFE, 0xFF, 0x2A};
      for (unsigned v = 0; v < (all ? 256u : 10u); v++) {
        uint8_t nv = all ? (uint8_t)v : v < 8 ? some[v] : (uint8_t)(orig ^ (v == 8 ? 0x01 : 0x80));
        if (nv == orig || k++ % every) continue;
        work[pos] = nv;
        pkt_path(guard_place(&g_pkt, work, m->len), m->len, tr, &st);
      }
      work[pos] = orig;
    }
  }
  printf("%s: %zu messages of %lu shapes, %lu inputs: %lu framed, %lu decoded and re-encoded, "
         "%lu rejected\n",
         strrchr(path, '/') ? strrchr(path, '/') + 1 : path, vf.n, shapes, st.tried, st.framed,
         st.reencoded, st.rejected);
  ck_assert(st.reencoded > 0 && st.rejected > 0);
  vec_free(&vf);
}
END_TEST

/* ---- a small assembler for hand-made messages ------------------------ */

typedef struct mb {
  uint8_t b[1 << 17];
  size_t n;
} mb;
static mb M;

static void mb_hdr(mb *m, uint8_t cmd, int rsp, int uni) {
  memset(m->b, 0, 32);
  memcpy(m->b, "\xffSMB", 4);
  m->b[4] = cmd;
  m->b[9] = (uint8_t)(0x18 | (rsp ? 0x80 : 0));
  wr16(m->b + 10, (uint16_t)(0x4803 | (uni ? 0x8000 : 0)));
  m->n = 32;
}

/* Append a block with wct zero words and bcc pattern bytes; returns its
   offset.  Words are then set with mb_w16/mb_w8. */
static size_t mb_block(mb *m, uint8_t wct, uint16_t bcc) {
  size_t off = m->n;
  uint8_t *p = m->b + off;
  p[0] = wct;
  memset(p + 1, 0, 2u * wct);
  wr16(p + 1 + 2 * wct, bcc);
  for (size_t i = 0; i < bcc; i++) p[3 + 2 * wct + i] = (uint8_t)(0x41 + i % 26);
  m->n = off + 3 + 2u * wct + bcc;
  return off;
}
/* Word i (byte offset 2i inside the words) of the block at off. */
static void mb_w16(mb *m, size_t off, unsigned byte, uint16_t v) { wr16(m->b + off + 1 + byte, v); }
static void mb_w8(mb *m, size_t off, unsigned byte, uint8_t v) { m->b[off + 1 + byte] = v; }
static void mb_andx(mb *m, size_t off, uint8_t cmd, uint16_t to) {
  mb_w8(m, off, 0, cmd);
  mb_w16(m, off, 2, to);
}
static void mb_bytes(mb *m, const void *src, size_t n) {
  memcpy(m->b + m->n, src, n);
  m->n += n;
}

/* Walk the chain of m (placed against a guard page).  Returns the final
   result (0 or an error), fills offs[] and *nb; checks the error is
   sticky and inside the message. */
static int walk(const mb *m, uint32_t *offs, int *nb, smbw_error *e) {
  guards_init();
  const uint8_t *p = guard_place(&g_smb, m->b, m->n);
  smbw_msg msg;
  ck_assert_int_eq(smbw_msg_decode(p, m->n, &msg, NULL), 0);
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &msg);
  int rc, n = 0;
  while ((rc = smbw_andx_iter_next(&it, &b, e)) == 1) {
    ck_assert(n < 70000 && (size_t)n <= m->n / 3);
    if (offs && n < 1024) offs[n] = b.offset;
    if (n > 0 && offs && n < 1024) ck_assert(offs[n] > offs[n - 1]);
    n++;
  }
  *nb = n;
  if (rc < 0) {
    check_err(e, rc, m->n, "walk");
    ck_assert(e->offset < m->n || rc == SMBW_E_TRUNCATED);
    smbw_error e2;
    for (int k = 0; k < 3; k++) {
      ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &e2), rc);
      ck_assert(e2.offset == e->offset && e2.field == e->field);
    }
  } else {
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 0);
  }
  return rc;
}

/* The whole path must also hold on every hand-made message. */
static void full_path(const mb *m) {
  stats st = {0, 0, 0, 0, 0};
  guards_init();
  smb_path(guard_place(&g_smb, m->b, m->n), m->n, &st);
}

/* A SESSION_SETUP_ANDX request (13 words, no data) at the end of M. */
static size_t add_setup(mb *m) {
  size_t o = mb_block(m, 13, 0);
  mb_andx(m, o, 0xFF, 0);
  return o;
}
/* A TREE_CONNECT_ANDX request (4 words, "\\\\S\\A" + "?????"). */
static size_t add_tree(mb *m) {
  size_t o = mb_block(m, 4, 0);
  mb_andx(m, o, 0xFF, 0);
  static const char data[] = "\\\\S\\A\0?????";
  mb_bytes(m, data, sizeof data);
  wr16(m->b + o + 9, (uint16_t)sizeof data);
  return o;
}

/* ---- AndX ----------------------------------------------------------- */

START_TEST(andx_self_reference) {
  int nb;
  smbw_error e;
  uint32_t offs[8];
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  mb_andx(&M, a, 0x73, (uint16_t)a); /* points at itself */
  ck_assert_int_eq(walk(&M, offs, &nb, &e), SMBW_E_ANDX_LOOP);
  ck_assert_int_eq(nb, 1);
  ck_assert_uint_eq(e.offset, a + 3);
  ck_assert_str_eq(e.field, "AndXOffset");
  full_path(&M);
}
END_TEST

START_TEST(andx_two_block_loop) {
  /* A -> B -> A: the shape of Manticore issue 551 (an AndX follower that
     only checked bounds looped forever). */
  int nb;
  smbw_error e;
  uint32_t offs[8];
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  size_t b = add_tree(&M);
  mb_andx(&M, a, 0x75, (uint16_t)b);
  mb_andx(&M, b, 0x73, (uint16_t)a);
  ck_assert_int_eq(walk(&M, offs, &nb, &e), SMBW_E_ANDX_LOOP);
  ck_assert_int_eq(nb, 2);
  ck_assert_uint_eq(offs[0], a);
  ck_assert_uint_eq(offs[1], b);
  ck_assert_uint_eq(e.offset, b + 3);
  full_path(&M);
}
END_TEST

START_TEST(andx_backward_and_overlap) {
  int nb;
  smbw_error e;
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  size_t b = add_tree(&M);
  mb_andx(&M, a, 0x75, (uint16_t)b);
  mb_andx(&M, b, 0x75, (uint16_t)(a + 5)); /* backward, not at a block start */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_BACKWARD);
  ck_assert_int_eq(nb, 2);
  mb_andx(&M, b, 0x75, 10); /* into the header */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_BACKWARD);
  mb_andx(&M, b, 0x75, 0);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_BACKWARD);
  for (size_t t = b + 1; t < M.n; t++) { /* every offset inside B */
    mb_andx(&M, b, 0x75, (uint16_t)t);
    ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_OVERLAP);
    ck_assert_int_eq(nb, 2);
  }
  mb_andx(&M, b, 0x75, (uint16_t)M.n); /* just past the end */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_PAST_END);
  mb_andx(&M, b, 0x75, 0xFFFF);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_PAST_END);
  full_path(&M);
}
END_TEST

START_TEST(andx_terminated_with_garbage) {
  /* AndXCommand 0xFF ends the chain whatever AndXOffset and the bytes
     after say; the trailing garbage survives a re-encode byte for byte. */
  int nb;
  smbw_error e;
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  mb_andx(&M, a, 0xFF, 0xDEAD);
  for (int i = 0; i < 300; i++) M.b[M.n++] = (uint8_t)(i * 37 + 0x0B);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
  ck_assert_int_eq(nb, 1);
  full_path(&M);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  size_t need = 0, got = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *o = out_area(need);
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, o, need, &got), 0);
  ck_assert_uint_eq(got, M.n);
  ck_assert(memcmp(o, M.b, M.n) == 0);
  /* A chain into garbage that looks like a block: the garbage block must
     lie inside the message. */
  mb_andx(&M, a, 0x2E, (uint16_t)(a + 3 + 26 + 2));
  M.b[a + 31] = 12; /* READ_ANDX WordCount 12: its words run past the end? */
  M.n = a + 31 + 1 + 10;
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_WCT_OVERRUN);
}
END_TEST

START_TEST(andx_long_chains) {
  /* Minimal AndX blocks (LOGOFF_ANDX requests, 2 words, no data: 7 bytes)
     chained across a 64 KiB message: the walk is linear and bounded by
     len/3; the block index saturates at 255. */
  int nb;
  smbw_error e;
  mb_hdr(&M, 0x74, 0, 0);
  size_t prev = 0;
  while (M.n + 7 <= 0xFFFF) {
    size_t o = mb_block(&M, 2, 0);
    mb_andx(&M, o, 0xFF, 0);
    if (prev) mb_andx(&M, prev, 0x74, (uint16_t)o);
    prev = o;
  }
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
  ck_assert_int_eq(nb, (int)((M.n - 32) / 7));
  ck_assert(nb > 9000);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  ck_assert_int_eq(smbw_msg_decode(p, M.n, &msg, NULL), 0);
  smbw_andx_iter_init(&it, &msg);
  int i = 0;
  while (smbw_andx_iter_next(&it, &b, NULL) == 1) {
    ck_assert_uint_eq(b.index, i < 255 ? i : 255);
    i++;
  }
  /* The builder refuses more than 255 blocks (so it cannot be driven
     into writing an unbounded chain either). */
  size_t need = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_STATE);
  /* A loop at the very end of the long chain is still found. */
  mb_andx(&M, prev, 0x74, 32);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_LOOP);
  mb_andx(&M, prev, 0x74, 33);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_BACKWARD);
}
END_TEST

START_TEST(andx_short_and_empty) {
  int nb;
  smbw_error e;
  mb_hdr(&M, 0x73, 0, 0);
  mb_block(&M, 1, 0); /* an AndX command with 1 word */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_ANDX_SHORT);
  ck_assert_int_eq(nb, 0);
  mb_hdr(&M, 0x73, 1, 0);
  mb_block(&M, 0, 3); /* WordCount 0 ends the chain (error response) */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
  ck_assert_int_eq(nb, 1);
  full_path(&M);
  mb_hdr(&M, 0x73, 0, 0); /* header only */
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_TRUNCATED);
  ck_assert_uint_eq(e.offset, 32);
}
END_TEST

START_TEST(andx_nt_create_50_words) {
  /* MS-SMB 2.2.4.9.2: an NT_CREATE_ANDX response saying 42 words that
     carries 50.  The 50-word reading is taken only when a ByteCount after
     50 words fits the message; at every length around the boundary the
     walk stays inside. */
  for (unsigned extra = 0; extra < 24; extra++) {
    int nb;
    smbw_error e;
    mb_hdr(&M, 0xA2, 1, 0);
    size_t o = mb_block(&M, 42, 0);
    mb_andx(&M, o, 0xFF, 0);
    for (unsigned i = 0; i < extra; i++) M.b[M.n++] = 0;
    int rc = walk(&M, NULL, &nb, &e);
    ck_assert(rc == 0 && nb == 1);
    full_path(&M);
  }
}
END_TEST

/* ---- counts that lie -------------------------------------------------- */

START_TEST(counts_wct_bcc_overrun) {
  int nb;
  smbw_error e;
  for (unsigned wct = 1; wct < 256; wct += 3) {
    mb_hdr(&M, 0x72, 0, 0);
    M.b[M.n++] = (uint8_t)wct; /* words run past the end */
    for (unsigned i = 0; i < wct && i < 20; i++) M.b[M.n++] = 0;
    ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_WCT_OVERRUN);
    ck_assert_uint_eq(e.offset, 32);
  }
  static const uint16_t bccs[] = {1, 2, 0x7FFF, 0x8000, 0xFFFE, 0xFFFF};
  for (size_t i = 0; i < sizeof bccs / sizeof *bccs; i++) {
    mb_hdr(&M, 0x72, 0, 0);
    mb_block(&M, 0, 0);
    wr16(M.b + 33, bccs[i]); /* ByteCount lies */
    ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_BCC_OVERRUN);
    ck_assert_uint_eq(e.offset, 33);
  }
  /* One byte short, exactly, one byte more. */
  mb_hdr(&M, 0x72, 0, 0);
  mb_block(&M, 0, 10);
  M.n--;
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_BCC_OVERRUN);
  M.n++;
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
  ck_assert_int_eq(nb, 1);
}
END_TEST

/* Every WordCount for every typed decoder: only the documented forms
   decode; the others fail with SMBW_E_WCT; nothing is read past the
   words and bytes present. */
START_TEST(counts_every_wct) {
  static const uint8_t cmds[5] = {0x72, 0x73, 0x75, 0x2D, 0x2E};
  static const char *ok[10] = {",0,", ",0,1,13,17,", ",10,12,13,", ",0,3,4,", ",4,",
                               ",0,2,3,7,", ",15,", ",0,15,19,", ",10,12,", ",0,12,"};
  for (int f = 0; f < 5; f++)
    for (int rsp = 0; rsp < 2; rsp++)
      for (unsigned wct = 0; wct < 256; wct++) {
        mb_hdr(&M, cmds[f], rsp, wct & 1);
        size_t o = mb_block(&M, (uint8_t)wct, 40);
        if (wct >= 2 && cmds[f] != 0x72) mb_andx(&M, o, 0xFF, 0);
        if (cmds[f] == 0x72 && !rsp) { /* a valid dialect list */
          for (int i = 0; i < 40; i += 4) memcpy(M.b + M.n - 40 + i, "\x02" "AB\0", 4);
        }
        if (cmds[f] == 0x2E && rsp && wct == 12) mb_w16(&M, o, 12, (uint16_t)(o + 27));
        guards_init();
        const uint8_t *p = guard_place(&g_smb, M.b, M.n);
        smbw_msg msg;
        smbw_andx_iter it;
        smbw_block b;
        smbw_error e;
        ck_assert_int_eq(smbw_msg_decode(p, M.n, &msg, NULL), 0);
        smbw_andx_iter_init(&it, &msg);
        int w = smbw_andx_iter_next(&it, &b, &e);
        if (w != 1) continue; /* AndX commands with 1 word */
        union {
          smbw_negotiate_req a; smbw_negotiate_rsp b; smbw_session_setup_andx_req c;
          smbw_session_setup_andx_rsp d; smbw_tree_connect_andx_req e; smbw_tree_connect_andx_rsp f;
          smbw_open_andx_req g; smbw_open_andx_rsp h; smbw_read_andx_req i;
          smbw_read_andx_rsp j;
        } u;
        int rc;
        switch (f * 2 + rsp) {
        case 0: rc = smbw_negotiate_req_decode(&b, &u.a, &e); break;
        case 1: rc = smbw_negotiate_rsp_decode(&b, &u.b, &e); break;
        case 2: rc = smbw_session_setup_andx_req_decode(&b, &u.c, &e); break;
        case 3: rc = smbw_session_setup_andx_rsp_decode(&b, &u.d, &e); break;
        case 4: rc = smbw_tree_connect_andx_req_decode(&b, &u.e, &e); break;
        case 5: rc = smbw_tree_connect_andx_rsp_decode(&b, &u.f, &e); break;
        case 6: rc = smbw_open_andx_req_decode(&b, &u.g, &e); break;
        case 7: rc = smbw_open_andx_rsp_decode(&b, &u.h, &e); break;
        case 8: rc = smbw_read_andx_req_decode(&b, &u.i, &e); break;
        default: rc = smbw_read_andx_rsp_decode(&b, &u.j, &e); break;
        }
        char key[8];
        snprintf(key, sizeof key, ",%u,", wct);
        int documented = strstr(ok[f * 2 + rsp], key) != NULL;
        if (!documented) {
          ck_assert_msg(rc == SMBW_E_WCT, "%s %s wct %u: %s", smbw_command_name(cmds[f]),
                        rsp ? "rsp" : "req", wct, smbw_errname(rc));
          ck_assert_uint_eq(e.offset, o);
        } else {
          ck_assert_msg(rc == 0 || rc == SMBW_E_FIELD_LENGTH || rc == SMBW_E_BCC,
                        "%s %s wct %u: %s", smbw_command_name(cmds[f]), rsp ? "rsp" : "req",
                        wct, smbw_errname(rc));
        }
        full_path(&M);
      }
}
END_TEST

START_TEST(counts_lengths_past_data) {
  int nb;
  smbw_error e;
  /* TREE_CONNECT_ANDX PasswordLength larger than the byte area. */
  mb_hdr(&M, 0x75, 0, 0);
  size_t o = mb_block(&M, 4, 3);
  mb_andx(&M, o, 0xFF, 0);
  mb_w16(&M, o, 6, 5);
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
  full_path(&M);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_tree_connect_andx_req tr;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &tr, &e), SMBW_E_FIELD_LENGTH);
  ck_assert_str_eq(e.field, "PasswordLength");
  ck_assert(e.offset <= M.n);
  /* NEGOTIATE request: a dialect without its NUL; a wrong buffer format. */
  mb_hdr(&M, 0x72, 0, 0);
  mb_block(&M, 0, 0);
  mb_bytes(&M, "\x02NT LM 0.12", 11);
  wr16(M.b + 33, 11);
  full_path(&M);
  p = guard_place(&g_smb, M.b, M.n);
  smbw_negotiate_req nr;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_negotiate_req_decode(&b, &nr, &e), SMBW_E_STR_UNTERMINATED);
  M.b[35] = 0x03;
  p = guard_place(&g_smb, M.b, M.n);
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_negotiate_req_decode(&b, &nr, &e), SMBW_E_BUFFER_FORMAT);
  ck_assert_uint_eq(e.offset, 35);
  /* NEGOTIATE response, extended security, ByteCount below the GUID. */
  for (uint16_t bcc = 0; bcc < 17; bcc++) {
    mb_hdr(&M, 0x72, 1, 0);
    o = mb_block(&M, 17, bcc);
    M.b[o + 1 + 22] = 0x80; /* Capabilities bit 31 */
    smbw_negotiate_rsp r;
    p = guard_place(&g_smb, M.b, M.n);
    smbw_msg_decode(p, M.n, &msg, NULL);
    smbw_andx_iter_init(&it, &msg);
    smbw_andx_iter_next(&it, &b, NULL);
    int rc = smbw_negotiate_rsp_decode(&b, &r, &e);
    ck_assert_int_eq(rc, bcc < 16 ? SMBW_E_BCC : 0);
    if (!rc) ck_assert(r.server_guid.len == 16 && r.security_blob.len == bcc - 16u);
    full_path(&M);
  }
}
END_TEST

/* ---- 16- and 32-bit overflows ----------------------------------------- */

/* A READ_ANDX response block with the given DataLength, DataOffset and
   DataLengthHigh and `tail` data bytes: ByteCount counts them (its low 16
   bits past 64 KiB, as servers send large reads). */
static int read_rsp(uint16_t dlen, uint16_t doff, uint16_t high, size_t tail,
                    smbw_read_andx_rsp *r, smbw_error *e) {
  mb_hdr(&M, 0x2E, 1, 0);
  size_t o = mb_block(&M, 12, (uint16_t)(tail & 0xFFFF));
  mb_andx(&M, o, 0xFF, 0);
  mb_w16(&M, o, 10, dlen);
  mb_w16(&M, o, 12, doff);
  mb_w16(&M, o, 14, high);
  memset(M.b + M.n, 0x5A, tail - (tail & 0xFFFF));
  M.n += tail - (tail & 0xFFFF);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  int rc = smbw_read_andx_rsp_decode(&b, r, e);
  if (rc == 0) {
    ck_assert(r->data.data >= p && r->data.data + r->data.len <= p + M.n);
  } else {
    check_err(e, rc, M.n, "read_andx_rsp");
    ck_assert(e->offset < M.n);
  }
  full_path(&M);
  return rc;
}

START_TEST(overflow_read_andx) {
  smbw_read_andx_rsp r;
  smbw_error e;
  /* The data area starts at 32 + 27 = 59. */
  ck_assert_int_eq(read_rsp(0xFFFF, 0xFFFF, 0xFFFF, 16, &r, &e), SMBW_E_DATA_OFFSET);
  /* DataOffset + DataLength wraps 32 bits: 0xFFFF + 0xFFFF0001 = 2^32. */
  ck_assert_int_eq(read_rsp(0x0001, 0xFFFF, 0xFFFF, 16, &r, &e), SMBW_E_DATA_OFFSET);
  /* DataOffset + DataLength wraps 16 bits: 59 + 0xFFFF. */
  ck_assert_int_eq(read_rsp(0xFFFF, 59, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_str_eq(e.field, "DataLength");
  /* DataLengthHigh alone. */
  ck_assert_int_eq(read_rsp(0, 59, 1, 16, &r, &e), SMBW_E_DATA_OFFSET);
  /* Into the words, into the header. */
  ck_assert_int_eq(read_rsp(4, 58, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_int_eq(read_rsp(4, 0, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  /* Exactly to the end: fine; one past: refused. */
  ck_assert_int_eq(read_rsp(16, 59, 0, 16, &r, &e), 0);
  ck_assert_int_eq(read_rsp(17, 59, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_int_eq(read_rsp(1, 75, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_int_eq(read_rsp(0, 75, 0, 16, &r, &e), 0);
  ck_assert_int_eq(read_rsp(0, 76, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  /* A large read (DataLengthHigh 1): 65536 + 100 bytes past ByteCount. */
  ck_assert_int_eq(read_rsp(100, 60, 1, 65637, &r, &e), 0);
  ck_assert_uint_eq(r.data_length, 65636);
}
END_TEST

START_TEST(overflow_lengths_near_ffff) {
  static const uint16_t lens[] = {0xFFFF, 0xFFFE, 0x8000, 0x7FFF};
  for (size_t i = 0; i < 4; i++) {
    for (int form = 0; form < 4; form++) {
      uint8_t cmd = form == 3 ? 0x75 : 0x73;
      mb_hdr(&M, cmd, 0, 1);
      size_t o = mb_block(&M, form == 0 ? 13 : form == 1 ? 12 : form == 2 ? 10 : 4, 20);
      mb_andx(&M, o, 0xFF, 0);
      if (form == 0) { mb_w16(&M, o, 14, lens[i]); mb_w16(&M, o, 16, lens[i]); }
      else if (form == 3) mb_w16(&M, o, 6, lens[i]);
      else mb_w16(&M, o, 14, lens[i]);
      int nb;
      smbw_error e;
      ck_assert_int_eq(walk(&M, NULL, &nb, &e), 0);
      full_path(&M);
    }
  }
  /* Two password lengths whose sum overflows 16 bits: 0xFFFF + 0x0002 in
     a 0xFFFF-byte area. */
  mb_hdr(&M, 0x73, 0, 0);
  size_t o = mb_block(&M, 13, 0xFFFF);
  mb_andx(&M, o, 0xFF, 0);
  mb_w16(&M, o, 14, 0xFFFF);
  mb_w16(&M, o, 16, 0x0002);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_session_setup_andx_req r;
  smbw_error e;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(&b, &r, &e), SMBW_E_FIELD_LENGTH);
  ck_assert_str_eq(e.field, "UnicodePasswordLen");
  mb_w16(&M, o, 16, 0); /* exactly the area */
  p = guard_place(&g_smb, M.b, M.n);
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_session_setup_andx_req_decode(&b, &r, &e), 0);
  ck_assert_uint_eq(r.password.len, 0xFFFF);
  ck_assert(r.account_name.data == NULL && r.extra.len == 0);
  full_path(&M);
  /* NEGOTIATE LANMAN response, EncryptionKeyLength 0xFFFF. */
  mb_hdr(&M, 0x72, 1, 0);
  o = mb_block(&M, 13, 8);
  mb_w16(&M, o, 22, 0xFFFF);
  full_path(&M);
  /* AndXOffset 0xFFFF inside a message of 0x10000 bytes: the last byte
     is a WordCount whose words run past the end. */
  mb_hdr(&M, 0x73, 0, 0);
  o = add_setup(&M);
  mb_andx(&M, o, 0x75, 0xFFFF);
  memset(M.b + M.n, 0, 0x10000 - M.n);
  M.n = 0x10000;
  M.b[0xFFFF] = 4;
  int nb;
  ck_assert_int_eq(walk(&M, NULL, &nb, &e), SMBW_E_WCT_OVERRUN);
  ck_assert_uint_eq(e.offset, 0xFFFF);
  /* A message length over 32 bits is refused before anything is read. */
  smbw_msg m2;
  if (sizeof(size_t) > 4)
    ck_assert_int_eq(smbw_msg_decode(M.b, (size_t)UINT32_MAX + 1u, &m2, &e), SMBW_E_RANGE);
}
END_TEST

/* ---- odd-length and unterminated UTF-16 ------------------------------- */

/* SESSION_SETUP_ANDX response (3 words) with a Unicode byte area. */
static void setup_rsp_area(const void *area, size_t n, smbw_session_setup_andx_rsp *r) {
  mb_hdr(&M, 0x73, 1, 1);
  size_t o = mb_block(&M, 3, 0);
  mb_andx(&M, o, 0xFF, 0);
  mb_bytes(&M, area, n);
  wr16(M.b + o + 7, (uint16_t)n);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_error e;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_session_setup_andx_rsp_decode(&b, r, &e), 0);
  /* Views inside the area; every string converts at every cap. */
  const smbw_str *v[3] = {&r->native_os, &r->native_lanman, &r->primary_domain};
  for (int i = 0; i < 3; i++) {
    if (v[i]->data)
      ck_assert(v[i]->data >= b.bytes && v[i]->data + v[i]->len <= b.bytes + b.bcc);
    char full[512];
    size_t need = 0, need2 = 0;
    smbw_str_to_utf8(v[i], full, sizeof full, &need);
    for (size_t cap = 0; cap <= need + 1; cap++) {
      char *o2 = (char *)out_area(cap);
      int rc = smbw_str_to_utf8(v[i], cap ? o2 : NULL, cap, &need2);
      ck_assert(out_canary_ok(cap) && need2 == need);
      ck_assert_int_eq(rc, cap < need + 1 ? SMBW_E_NOSPACE : 0);
      if (cap) ck_assert(strlen(o2) < cap && !strncmp(o2, full, strlen(o2)));
    }
  }
  /* The message re-encodes byte for byte. */
  size_t need = 0, got = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *o2 = out_area(need);
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, o2, need, &got), 0);
  ck_assert_msg(got == M.n && memcmp(o2, M.b, M.n) == 0, "not byte for byte (%zu vs %zu)", got,
                M.n);
}

START_TEST(strings_odd_unterminated_utf16) {
  smbw_session_setup_andx_rsp r;
  char t[64];
  /* The area starts at 32 + 7 + 2 = 41: odd, so a pad byte first. */
  static const uint8_t a1[14] = {0, 'U', 0, 'n', 0, 'i', 0, 'x', 0, 0, 0, 'S', 0, 'X'};
  setup_rsp_area(a1, sizeof a1, &r); /* last string odd and unterminated */
  ck_assert(r.native_os.data && r.native_os.len == 8 && !r.native_os.unterminated);
  ck_assert(r.native_lanman.data && r.native_lanman.unterminated && r.native_lanman.len == 3);
  smbw_str_to_utf8(&r.native_os, t, sizeof t, NULL);
  ck_assert_str_eq(t, "Unix");
  smbw_str_to_utf8(&r.native_lanman, t, sizeof t, NULL);
  ck_assert_str_eq(t, "S\xef\xbf\xbd"); /* odd non-zero trailing byte: U+FFFD */
  setup_rsp_area("\0A\0\0", 4, &r); /* odd length, ends in half a terminator */
  smbw_str_to_utf8(&r.native_os, t, sizeof t, NULL);
  ck_assert_str_eq(t, "A");
  setup_rsp_area("\0\x3d\xd8" "A\0", 5, &r); /* lone high surrogate, unterminated */
  smbw_str_to_utf8(&r.native_os, t, sizeof t, NULL);
  ck_assert_str_eq(t, "\xef\xbf\xbd" "A");
  setup_rsp_area("\0\x00\xdc\0\0", 5, &r); /* lone low surrogate */
  smbw_str_to_utf8(&r.native_os, t, sizeof t, NULL);
  ck_assert_str_eq(t, "\xef\xbf\xbd");
  setup_rsp_area("\0", 1, &r); /* a lone byte at an odd offset */
  ck_assert(!r.native_os.data && !r.native_lanman.data && !r.primary_domain.data);
  setup_rsp_area("\0X", 2, &r); /* pad and one byte of a character */
  ck_assert(r.native_os.data && r.native_os.len == 1 && r.native_os.unterminated);
  setup_rsp_area("", 0, &r);
  ck_assert(!r.native_os.data);
  /* Every odd and even length of a long unterminated string. */
  uint8_t area[300];
  for (size_t n = 0; n < sizeof area; n++) area[n] = (uint8_t)(n % 5 ? 0x41 + n % 26 : 0xD8);
  for (size_t n = 1; n < sizeof area; n += 7) setup_rsp_area(area, n, &r);
}
END_TEST

START_TEST(strings_oem_unterminated) {
  mb_hdr(&M, 0x75, 1, 0);
  size_t o = mb_block(&M, 3, 0);
  mb_andx(&M, o, 0xFF, 0);
  mb_bytes(&M, "IPC", 3); /* Service without its NUL, no NativeFileSystem */
  wr16(M.b + o + 7, 3);
  full_path(&M);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_tree_connect_andx_rsp r;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(&b, &r, NULL), 0);
  ck_assert(r.service.unterminated && r.service.len == 3 && !r.native_file_system.data);
  ck_assert(smbw_str_eq(&r.service, "IPC"));
}
END_TEST

/* ---- NBSS ------------------------------------------------------------- */

START_TEST(nbss_lengths) {
  guards_init();
  size_t need = 0;
  smbw_nbss f;
  smbw_error e;
  /* Length 0: a complete empty session message; its SMB message is
     truncated. */
  static const uint8_t zero[4] = {0, 0, 0, 0};
  const uint8_t *p = guard_place(&g_pkt, zero, 4);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_NBT, &f, &need, &e), 4);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_DIRECT, &f, &need, &e), 4);
  smbw_msg m;
  ck_assert_int_eq(smbw_msg_decode(f.payload, f.length, &m, &e), SMBW_E_TRUNCATED);
  /* 0x1FFFF on NBT (the SMBLoris header) and 0xFFFFFF on DIRECT: the
     framer only says how much more it needs. */
  static const uint8_t nbt_max[4] = {0, 1, 0xFF, 0xFF}, direct_max[4] = {0, 0xFF, 0xFF, 0xFF};
  p = guard_place(&g_pkt, nbt_max, 4);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_NBT, &f, &need, &e), 0);
  ck_assert_uint_eq(need, 0x1FFFF);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_DIRECT, &f, &need, &e), 0);
  ck_assert_uint_eq(need, 0x1FFFF);
  p = guard_place(&g_pkt, direct_max, 4);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_DIRECT, &f, &need, &e), 0);
  ck_assert_uint_eq(need, 0xFFFFFF);
  ck_assert_int_eq(smbw_nbss_frame(p, 4, SMBW_FRAMING_NBT, &f, &need, &e), SMBW_E_NBSS_FLAGS);
  /* The whole 0x1FFFF payload: complete. */
  static uint8_t big[4 + 0x1FFFF];
  memcpy(big, nbt_max, 4);
  p = guard_place(&g_pkt, big, sizeof big);
  ck_assert_int_eq(smbw_nbss_frame(p, sizeof big, SMBW_FRAMING_NBT, &f, &need, &e),
                   (int)sizeof big);
  ck_assert_int_eq(smbw_nbss_frame(p, sizeof big - 1, SMBW_FRAMING_NBT, &f, &need, &e), 0);
  ck_assert_uint_eq(need, 1);
  /* An encoder refuses lengths past the transport's limit. */
  uint8_t h[4];
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, SMBW_FRAMING_NBT, 0, 0x20000, NULL),
                   SMBW_E_RANGE);
  ck_assert_int_eq(smbw_nbss_header_encode(h, 4, SMBW_FRAMING_DIRECT, 0, 0x1000000, NULL),
                   SMBW_E_RANGE);
}
END_TEST

START_TEST(nbss_keepalive_stream) {
  /* 10000 keepalives back to back, on both transports: each is consumed
     in 4 bytes, the loop is linear, nothing else is returned. */
  static uint8_t s[40000 + 4];
  for (size_t i = 0; i < 40000; i += 4) memcpy(s + i, "\x85\0\0\0", 4);
  guards_init();
  for (int tr = SMBW_FRAMING_NBT; tr <= SMBW_FRAMING_DIRECT; tr++) {
    const uint8_t *p = guard_place(&g_pkt, s, 40000);
    size_t left = 40000;
    unsigned n = 0;
    while (left) {
      smbw_nbss f;
      int rc = smbw_nbss_frame(p, left, tr, &f, NULL, NULL);
      ck_assert_int_eq(rc, 4);
      ck_assert(f.type == SMBW_NBSS_KEEPALIVE && f.length == 0);
      p += 4;
      left -= 4;
      n++;
    }
    ck_assert_uint_eq(n, 10000);
  }
  /* A keepalive with a length is refused on both. */
  static const uint8_t bad[5] = {0x85, 0, 0, 1, 0};
  const uint8_t *p = guard_place(&g_pkt, bad, 5);
  ck_assert_int_eq(smbw_nbss_frame(p, 5, SMBW_FRAMING_NBT, NULL, NULL, NULL),
                   SMBW_E_NBSS_LENGTH);
  ck_assert_int_eq(smbw_nbss_frame(p, 5, SMBW_FRAMING_DIRECT, NULL, NULL, NULL),
                   SMBW_E_NBSS_LENGTH);
}
END_TEST

START_TEST(nbss_session_request_hostile) {
  guards_init();
  /* A valid request, then its scope and name fields broken one by one. */
  uint8_t pkt[300];
  size_t n = 4;
  for (int nm = 0; nm < 2; nm++) {
    pkt[n++] = 32;
    for (int i = 0; i < 32; i++) pkt[n++] = (uint8_t)('A' + (i % 2 ? 0 : 4));
    pkt[n++] = 3;
    memcpy(pkt + n, "lan", 3);
    n += 3;
    pkt[n++] = 0;
  }
  pkt[0] = 0x81;
  pkt[1] = 0;
  pkt[2] = (uint8_t)((n - 4) >> 8);
  pkt[3] = (uint8_t)(n - 4);
  stats st = {0, 0, 0, 0, 0};
  pkt_path(guard_place(&g_pkt, pkt, n), n, SMBW_FRAMING_NBT, &st);
  uint8_t work[300];
  for (size_t pos = 4; pos < n; pos++)
    for (unsigned v = 0; v < 256; v++) {
      memcpy(work, pkt, n);
      work[pos] = (uint8_t)v;
      pkt_path(guard_place(&g_pkt, work, n), n, SMBW_FRAMING_NBT, &st);
      /* also with the packet length shortened by one */
      work[3]--;
      pkt_path(guard_place(&g_pkt, work, n - 1), n - 1, SMBW_FRAMING_NBT, &st);
    }
  ck_assert(st.framed > 0);
}
END_TEST

/* ---- advisories --------------------------------------------------------- */

START_TEST(advisory_samba_andx_chain) {
  /* Samba CVE-2012-0870 (smbd 3.0-3.3): a crafted AndX request chain was
     followed without checking that each AndXOffset moves forward.  Every
     backward, self and looping offset of a three-block chain is refused
     and no block is returned twice. */
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  size_t b = add_tree(&M);
  size_t c = add_tree(&M);
  mb_andx(&M, a, 0x75, (uint16_t)b);
  mb_andx(&M, b, 0x75, (uint16_t)c);
  for (uint32_t to = 0; to <= c; to++) {
    mb_andx(&M, c, 0x75, (uint16_t)to);
    int nb;
    smbw_error e;
    uint32_t offs[8];
    int rc = walk(&M, offs, &nb, &e);
    ck_assert_int_eq(rc, (to == a || to == b || to == c) ? SMBW_E_ANDX_LOOP
                                                          : SMBW_E_ANDX_BACKWARD);
    ck_assert_int_eq(nb, 3);
    full_path(&M);
  }
}
END_TEST

START_TEST(advisory_zeek_dialect_index) {
  /* Zeek PR 2593: a NEGOTIATE request with no dialects and a response
     choosing dialect 5 made the analyzer index past its list.  The codec
     decodes both (it keeps no cross-message state) and the dialect
     iterator over the empty list yields nothing: the index is the
     caller's to check against the count. */
  mb_hdr(&M, 0x72, 0, 0);
  mb_block(&M, 0, 0);
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_negotiate_req q;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_negotiate_req_decode(&b, &q, NULL), 0);
  ck_assert_uint_eq(q.count, 0);
  smbw_dialect_iter di;
  smbw_str name;
  smbw_dialect_iter_init(&di, &q);
  ck_assert_int_eq(smbw_dialect_iter_next(&di, &name), 0);
  full_path(&M);
  mb_hdr(&M, 0x72, 1, 1);
  size_t o = mb_block(&M, 17, 0);
  mb_w16(&M, o, 0, 5);
  p = guard_place(&g_smb, M.b, M.n);
  smbw_negotiate_rsp r;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_negotiate_rsp_decode(&b, &r, NULL), 0);
  ck_assert(r.dialect_index == 5 && r.dialect_index >= q.count);
  full_path(&M);
}
END_TEST

START_TEST(advisory_smbloris) {
  /* SMBLoris (RiskSense, DEF CON 25, 2017): NBSS headers announcing
     0x1FFFF bytes made servers reserve 128 KiB per connection before any
     authentication.  The framer reserves nothing: it returns 0 and the
     exact number of bytes still missing, at every prefix. */
  static const uint8_t hdr[4] = {0x00, 0x01, 0xFF, 0xFF};
  guards_init();
  for (size_t k = 0; k <= 4; k++) {
    size_t need = 0;
    const uint8_t *p = guard_place(&g_pkt, hdr, k);
    ck_assert_int_eq(smbw_nbss_frame(p, k, SMBW_FRAMING_NBT, NULL, &need, NULL), 0);
    ck_assert_uint_eq(need, k < 4 ? 4 - k : 0x1FFFF);
  }
}
END_TEST

START_TEST(advisory_read_length_past_packet) {
  /* Samba CVE-2017-12163 and CVE-2022-32742: SMB1 write requests whose
     data length exceeded the bytes received made smbd copy server memory.
     WRITE_ANDX has no decoder yet (doc/security.md, pending); the same
     shape on READ_ANDX responses, a DataLength past the message, is
     refused, with and without DataLengthHigh. */
  smbw_read_andx_rsp r;
  smbw_error e;
  ck_assert_int_eq(read_rsp(200, 60, 0, 100, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_int_eq(read_rsp(50, 60, 2, 100, &r, &e), SMBW_E_DATA_OFFSET);
  ck_assert_int_eq(read_rsp(50, 60, 0, 100, &r, &e), 0);
  ck_assert_uint_eq(r.data.len, 50);
}
END_TEST

START_TEST(advisory_offset_wraparound) {
  /* Wireshark CVE-2026-5407 (SMB2 next_offset wraparound turned a chain
     into a cycle).  SMB1 AndXOffsets are absolute and compared with the
     block end in 32 bits, so no offset can wrap back: an AndXOffset that
     a 16-bit "end + offset" sum would wrap to an earlier block is
     refused as a loop or backward. */
  mb_hdr(&M, 0x73, 0, 0);
  size_t a = add_setup(&M);
  memset(M.b + M.n, 0, 0xFF10 - M.n); /* the second block near 64 KiB */
  M.n = 0xFF10;
  size_t b = add_tree(&M);
  mb_andx(&M, a, 0x75, (uint16_t)b);
  int nb;
  smbw_error e;
  /* end + 0x10000 - k, taken modulo 2^16, for every k that lands before
     the end of the second block */
  size_t end = M.n;
  for (size_t k = 1; k <= end; k += 97) {
    mb_andx(&M, b, 0x73, (uint16_t)((end + 0x10000 - k) & 0xFFFF));
    int rc = walk(&M, NULL, &nb, &e);
    ck_assert(rc == SMBW_E_ANDX_LOOP || rc == SMBW_E_ANDX_BACKWARD || rc == SMBW_E_ANDX_OVERLAP);
    ck_assert_int_eq(nb, 2);
  }
}
END_TEST

START_TEST(advisory_zeek_read_pad) {
  /* Zeek issue 4730 (SMB2 READ response: pad computed from a DataOffset
     before the data, "out_of_bound: pad: 272 > -67").  The SMB1 shape:
     DataOffset inside the words or the header with data is refused; the
     pad view is never negative or past the message. */
  smbw_read_andx_rsp r;
  smbw_error e;
  for (uint16_t off = 0; off < 59; off++)
    ck_assert_int_eq(read_rsp(4, off, 0, 16, &r, &e), SMBW_E_DATA_OFFSET);
  for (uint16_t off = 59; off <= 71; off++) {
    ck_assert_int_eq(read_rsp(4, off, 0, 16, &r, &e), 0);
    ck_assert_uint_eq(r.pad.len, off - 59u);
  }
}
END_TEST

/* ---- transactions (trans.h): the MS17-010 shapes ---------------------- */

/* An assertion for hot loops: Check's ck_assert records every passing
   check (a write to its pipe); this one costs nothing until it fails. */
#define TXA(c)                                                             \
  do {                                                                     \
    if (!(c)) ck_abort_msg("%s:%d: assertion failed: %s", __FILE__, __LINE__, \
                           #c);                                            \
  } while (0)

/* Word layouts of the transaction forms (byte offsets in the words, -1:
   none), from MS-CIFS 2.2.4.33/34/46/47/62/63. */
typedef struct txf {
  int base, wide, tpc, tdc, mpc, mdc, pc, po, pd, dc, doff, dd, sc, setup;
} txf;
static const txf TXF_REQ = {14, 0, 0, 2, 4, 6, 18, 20, -1, 22, 24, -1, 26, 28};
static const txf TXF_SEC = {8, 0, 0, 2, -1, -1, 4, 6, 8, 10, 12, 14, -1, -1};
static const txf TXF_SEC2 = {9, 0, 0, 2, -1, -1, 4, 6, 8, 10, 12, 14, -1, -1};
static const txf TXF_NT = {19, 1, 3, 7, 11, 15, 19, 23, -1, 27, 31, -1, 35, 38};
static const txf TXF_NTSEC = {18, 1, 3, 7, -1, -1, 11, 15, 19, 23, 27, 31, -1, -1};
static const txf TXF_RSP = {10, 0, 0, 2, -1, -1, 6, 8, 10, 12, 14, 16, 18, 20};
static const txf TXF_NTRSP = {18, 1, 3, 7, -1, -1, 11, 15, 19, 23, 27, 31, 35, 36};

static const txf *txf_of(uint8_t cmd, int rsp) {
  if (rsp) return cmd == 0xA0 ? &TXF_NTRSP : &TXF_RSP;
  switch (cmd) {
  case 0x25:
  case 0x32: return &TXF_REQ;
  case 0x26: return &TXF_SEC;
  case 0x33: return &TXF_SEC2;
  case 0xA0: return &TXF_NT;
  default: return &TXF_NTSEC;
  }
}

/* The bytes of a transaction at a position: parameters and data. */
static uint8_t tx_pbyte(uint32_t k) { return (uint8_t)(0x30u + k * 7u); }
static uint8_t tx_dbyte(uint32_t k) { return (uint8_t)(k * 13u + (k >> 8)); }

/* One transaction message: what tx_build() lays out. */
typedef struct txs {
  uint8_t cmd;
  int rsp, uni;
  unsigned nsetup;
  uint16_t setup[4];
  const char *name;       /* TRANSACTION request Name (ASCII) */
  uint32_t tpc, tdc;      /* totals */
  uint32_t pd, dd;        /* displacements (forms that have them) */
  uint32_t pc, dc;        /* the bytes carried: tx_pbyte/tx_dbyte(pd + i) */
  uint16_t function, mid;
} txs;

/* Field values of the block at 32 (words at 33). */
static void tx_set(mb *m, const txf *f, int at, uint32_t v) {
  ck_assert(at >= 0);
  uint8_t *p = m->b + 33 + at;
  if (f->wide) {
    wr16(p, (uint16_t)v);
    wr16(p + 2, (uint16_t)(v >> 16));
  } else {
    wr16(p, (uint16_t)v);
  }
}

/* Lay out a transaction message in m: header (TID 1, UID 0x800, PID
   0x5357, MID s->mid), one block at 32, Name, Parameters at the next 4-byte
   offset, Data at the next 4-byte offset after them.  *po and *doff get
   the placement (nullable). */
static void tx_build(mb *m, const txs *s, uint32_t *po_out, uint32_t *do_out) {
  const txf *f = txf_of(s->cmd, s->rsp);
  mb_hdr(m, s->cmd, s->rsp, s->uni);
  wr16(m->b + 24, 1);      /* TID */
  wr16(m->b + 26, 0x5357); /* PIDLow */
  wr16(m->b + 28, 0x800);  /* UID */
  wr16(m->b + 30, s->mid); /* MID */
  unsigned wct = (unsigned)f->base + (f->sc >= 0 ? s->nsetup : 0u);
  m->b[32] = (uint8_t)wct;
  memset(m->b + 33, 0, 2u * wct);
  uint32_t boff = 33u + 2u * wct + 2u, pos = boff;
  if (s->name) {
    if (s->uni) {
      if (pos & 1u) m->b[pos++] = 0;
      for (const char *c = s->name; *c; c++) {
        m->b[pos++] = (uint8_t)*c;
        m->b[pos++] = 0;
      }
      m->b[pos++] = 0;
      m->b[pos++] = 0;
    } else {
      size_t n = strlen(s->name) + 1;
      memcpy(m->b + pos, s->name, n);
      pos += (uint32_t)n;
    }
  }
  uint32_t po = pos;
  if (s->pc) {
    po = (pos + 3u) & ~3u;
    while (pos < po) m->b[pos++] = 0;
    for (uint32_t i = 0; i < s->pc; i++) m->b[pos++] = tx_pbyte(s->pd + i);
  }
  uint32_t doff = pos;
  if (s->dc) {
    doff = (pos + 3u) & ~3u;
    while (pos < doff) m->b[pos++] = 0;
    for (uint32_t i = 0; i < s->dc; i++) m->b[pos++] = tx_dbyte(s->dd + i);
  }
  ck_assert(pos - boff <= 0xFFFF);
  wr16(m->b + 33 + 2 * wct, (uint16_t)(pos - boff));
  m->n = pos;
  tx_set(m, f, f->tpc, s->tpc);
  tx_set(m, f, f->tdc, s->tdc);
  if (f->mpc >= 0) {
    tx_set(m, f, f->mpc, 1024);
    tx_set(m, f, f->mdc, 4096);
  }
  tx_set(m, f, f->pc, s->pc);
  tx_set(m, f, f->po, po);
  tx_set(m, f, f->dc, s->dc);
  tx_set(m, f, f->doff, doff);
  if (f->pd >= 0) {
    tx_set(m, f, f->pd, s->pd);
    tx_set(m, f, f->dd, s->dd);
  }
  if (f->sc >= 0) {
    m->b[33 + f->sc] = (uint8_t)s->nsetup;
    for (unsigned i = 0; i < s->nsetup; i++) wr16(m->b + 33 + f->setup + 2 * i, s->setup[i]);
  }
  if (!s->rsp && s->cmd == 0xA0) wr16(m->b + 33 + 36, s->function);
  if (po_out) *po_out = po;
  if (do_out) *do_out = doff;
}

/* Set WordCount to w and ByteCount to the rest of the message, so that
   the block still ends where the message does. */
static void tx_wct(mb *m, unsigned w) {
  ck_assert(33u + 2u * w + 2u <= m->n);
  m->b[32] = (uint8_t)w;
  wr16(m->b + 33 + 2 * w, (uint16_t)(m->n - (33u + 2u * w + 2u)));
}

typedef union txu {
  smbw_trans_req q;
  smbw_trans_rsp s;
} txu;

/* Decode the block at 32 of m (placed against a guard page) as a request
   or a response; the views stay valid until the next placement. */
static int tx_decode(const mb *m, int rsp, txu *u, smbw_error *e, smbw_header *h) {
  guards_init();
  const uint8_t *p = guard_place(&g_smb, m->b, m->n);
  smbw_msg msg;
  TXA(smbw_msg_decode(p, m->n, &msg, NULL) == 0);
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &msg);
  TXA(smbw_andx_iter_next(&it, &b, NULL) == 1);
  if (h) *h = msg.hdr;
  e->code = 0;
  e->field = NULL;
  int rc = rsp ? smbw_trans_rsp_decode(&b, &u->s, e) : smbw_trans_req_decode(&b, &u->q, e);
  if (rc) check_err(e, rc, m->n, "transaction");
  return rc;
}

/* Decode m as its direction says; assert the error code, field and the
   offset of the named word field (block at 32). */
static void tx_refused(const mb *m, int code, const char *field, int at) {
  txu u;
  smbw_error e;
  int rc = tx_decode(m, (m->b[9] & 0x80) != 0, &u, &e, NULL);
  ck_assert_msg(rc == code, "%s expected, got %s (%s)", smbw_errname(code), smbw_errname(rc),
                rc ? e.field : "");
  ck_assert_str_eq(e.field, field);
  ck_assert_uint_eq(e.offset, at < 0 ? 32u : 33u + (uint32_t)at);
  full_path(m);
}

/* A reassembler over two buffers that end at guard pages, each preceded by
   a canary and filled with 0xA5. */
static guard_buf g_pa, g_da;
static uint8_t snap_p[AREA], snap_d[AREA];

typedef struct txa {
  smbw_trans_asm a;
  uint8_t *p, *d;
  uint32_t pcap, dcap;
} txa;

static void txa_init(txa *t, uint32_t pcap, uint32_t dcap) {
  static int done;
  if (!done) {
    if (guard_init(&g_pa, AREA) || guard_init(&g_da, AREA)) abort();
    done = 1;
  }
  TXA(pcap <= AREA - 16 && dcap <= AREA - 16);
  t->p = g_pa.base + g_pa.size - pcap;
  t->d = g_da.base + g_da.size - dcap;
  memset(t->p - 16, 0xCD, 16 + (size_t)pcap);
  memset(t->d - 16, 0xCD, 16 + (size_t)dcap);
  memset(t->p, 0xA5, pcap);
  memset(t->d, 0xA5, dcap);
  t->pcap = pcap;
  t->dcap = dcap;
  TXA(smbw_trans_asm_init(&t->a, t->p, pcap, t->d, dcap) == 0);
}

static void txa_canaries(const txa *t) {
  for (int i = 1; i <= 16; i++) TXA(t->p[-i] == 0xCD && t->d[-i] == 0xCD);
}

/* Feed the message in m (request or response as its header says) to the
   reassembler.  A refused fragment must leave the struct and the buffers
   exactly as they were (SMBW_E_NOSPACE on the first fragment reports the
   totals). */
static int txa_feed(txa *t, const mb *m, smbw_error *e) {
  int rsp = (m->b[9] & 0x80) != 0;
  txu u;
  smbw_header h;
  smbw_error de;
  ck_assert_int_eq(tx_decode(m, rsp, &u, &de, &h), 0);
  smbw_trans_asm before = t->a;
  memcpy(snap_p, t->p, t->pcap);
  memcpy(snap_d, t->d, t->dcap);
  e->code = 0;
  e->field = NULL;
  int rc = rsp ? smbw_trans_asm_rsp(&t->a, &u.s, &h, e) : smbw_trans_asm_req(&t->a, &u.q, &h, e);
  if (rc < 0) {
    check_err(e, rc, 0xFFFFFFFFu, "reassembler");
    if (rc == SMBW_E_NOSPACE && before.command == 0) {
      before.total_params = rsp ? u.s.total_param_count : u.q.total_param_count;
      before.total_data = rsp ? u.s.total_data_count : u.q.total_data_count;
    }
    ck_assert_msg(memcmp(&before, &t->a, sizeof before) == 0, "a refused fragment changed the state");
    ck_assert(memcmp(snap_p, t->p, t->pcap) == 0 && memcmp(snap_d, t->d, t->dcap) == 0);
  } else {
    ck_assert(t->a.total_params <= before.total_params || before.command == 0);
    ck_assert(t->a.total_data <= before.total_data || before.command == 0);
  }
  txa_canaries(t);
  return rc;
}

/* Build and feed one fragment; assert the result and, for an error, the
   field (and the offset for displacement errors). */
static void txa_expect(txa *t, const txs *s, int want, const char *field) {
  smbw_error e;
  tx_build(&M, s, NULL, NULL);
  int rc = txa_feed(t, &M, &e);
  ck_assert_msg(rc == want, "fragment %02x pd %u pc %u dd %u dc %u: %s (%s), expected %s (%s)",
                s->cmd, s->pd, s->pc, s->dd, s->dc, rc < 0 ? smbw_errname(rc) : rc ? "1" : "0",
                rc < 0 ? e.field : "", want < 0 ? smbw_errname(want) : want ? "1" : "0",
                field ? field : "");
  if (want < 0) {
    ck_assert_str_eq(e.field, field);
    if (!strcmp(field, "ParameterDisplacement")) ck_assert_uint_eq(e.offset, s->pd);
    if (!strcmp(field, "DataDisplacement")) ck_assert_uint_eq(e.offset, s->dd);
  }
}

/* Complete: the buffers hold the transaction's bytes, nothing after. */
static void txa_complete(const txa *t, uint32_t tp, uint32_t td) {
  TXA(t->a.done);
  TXA(t->a.params.data == t->p && t->a.params.len == tp);
  TXA(t->a.data.data == t->d && t->a.data.len == td);
  for (uint32_t k = 0; k < tp; k++) TXA(t->p[k] == tx_pbyte(k));
  for (uint32_t k = 0; k < td; k++) TXA(t->d[k] == tx_dbyte(k));
  for (uint32_t k = tp; k < t->pcap; k++) TXA(t->p[k] == 0xA5);
  for (uint32_t k = td; k < t->dcap; k++) TXA(t->d[k] == 0xA5);
  txa_canaries(t);
}

START_TEST(trans_totals_change) {
  /* Totals may shrink, never grow nor fall below the end of the bytes
     received (MS17-010: srv.sys trusted the primary's totals while the
     secondaries changed them). */
  txa t;
  txa_init(&t, 16, 128);
  txs s = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 10, .tdc = 100, .pc = 10, .dc = 40};
  txa_expect(&t, &s, 0, NULL);
  txs sec = {.cmd = 0x33, .tpc = 10, .tdc = 101, .dd = 40, .dc = 10};
  txa_expect(&t, &sec, SMBW_E_TRANS_TOTAL, "TotalDataCount"); /* grows */
  sec.tdc = 100;
  sec.tpc = 11;
  txa_expect(&t, &sec, SMBW_E_TRANS_TOTAL, "TotalParameterCount");
  sec.tpc = 10;
  sec.tdc = 39; /* below the 40 bytes received */
  txa_expect(&t, &sec, SMBW_E_TRANS_TOTAL, "TotalDataCount");
  sec.tpc = 9; /* parameters: 10 received */
  sec.tdc = 100;
  txa_expect(&t, &sec, SMBW_E_TRANS_TOTAL, "TotalParameterCount");
  /* A piece at 80..90 out of order: 50 bytes received, but a total of 85
     would cut it. */
  sec.tpc = 10;
  sec.dd = 80;
  txa_expect(&t, &sec, 0, NULL);
  sec.tdc = 89;
  sec.dd = 40;
  sec.dc = 20;
  txa_expect(&t, &sec, SMBW_E_TRANS_TOTAL, "TotalDataCount");
  /* Shrinking to 90 is allowed; the rest completes it. */
  sec.tdc = 90;
  txa_expect(&t, &sec, 0, NULL);
  ck_assert_uint_eq(t.a.total_data, 90);
  sec.dd = 60;
  txa_expect(&t, &sec, 1, NULL);
  txa_complete(&t, 10, 90);
  /* The same on responses (shrink below received). */
  txa_init(&t, 16, 128);
  txs r = {.cmd = 0x25, .rsp = 1, .tpc = 4, .tdc = 64, .pc = 4, .dc = 32};
  txa_expect(&t, &r, 0, NULL);
  r.tdc = 31;
  r.pc = 0;
  r.dd = 32;
  r.dc = 0;
  txa_expect(&t, &r, SMBW_E_TRANS_TOTAL, "TotalDataCount");
  r.tdc = 65;
  txa_expect(&t, &r, SMBW_E_TRANS_TOTAL, "TotalDataCount");
  r.tdc = 64;
  r.pd = 4;
  r.dc = 32;
  txa_expect(&t, &r, 1, NULL);
  txa_complete(&t, 4, 64);
}
END_TEST

START_TEST(trans_displacement_past_total) {
  txa t;
  txa_init(&t, 64, 128);
  txs s = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 20, .tdc = 100, .pc = 4, .dc = 4};
  txa_expect(&t, &s, 0, NULL);
  txs sec = {.cmd = 0x33, .tpc = 20, .tdc = 100, .dd = 90, .dc = 11};
  txa_expect(&t, &sec, SMBW_E_TRANS_DISPLACEMENT, "DataDisplacement");
  sec.dd = 101;
  sec.dc = 0; /* an empty piece past the total */
  txa_expect(&t, &sec, SMBW_E_TRANS_DISPLACEMENT, "DataDisplacement");
  sec.dd = 100; /* an empty piece at the total: fine */
  txa_expect(&t, &sec, 0, NULL);
  sec.dd = 4;
  sec.pd = 17;
  sec.pc = 4;
  txa_expect(&t, &sec, SMBW_E_TRANS_DISPLACEMENT, "ParameterDisplacement");
  sec.pd = 0xFFFF; /* 16-bit displacement + count past 16 bits */
  sec.pc = 2;
  txa_expect(&t, &sec, SMBW_E_TRANS_DISPLACEMENT, "ParameterDisplacement");
  /* NT_TRANSACT: 32-bit displacements whose sum with the count wraps
     2^32 to a small value. */
  txa_init(&t, 64, 128);
  txs nt = {.cmd = 0xA0, .function = 1, .tpc = 8, .tdc = 64, .pc = 4, .dc = 8};
  txa_expect(&t, &nt, 0, NULL);
  txs ns = {.cmd = 0xA1, .tpc = 8, .tdc = 64, .dd = 0xFFFFFFF0u, .dc = 0x20};
  txa_expect(&t, &ns, SMBW_E_TRANS_DISPLACEMENT, "DataDisplacement");
  ns.dd = 0xFFFFFFFFu;
  ns.dc = 1;
  txa_expect(&t, &ns, SMBW_E_TRANS_DISPLACEMENT, "DataDisplacement");
  ns.dd = 8;
  ns.dc = 0;
  ns.pd = 0xFFFFFFFCu;
  ns.pc = 8;
  txa_expect(&t, &ns, SMBW_E_TRANS_DISPLACEMENT, "ParameterDisplacement");
  ns.pd = 4;
  ns.pc = 4;
  ns.dc = 56;
  txa_expect(&t, &ns, 1, NULL);
  txa_complete(&t, 8, 64);
  /* Responses carry displacements too. */
  txa_init(&t, 8, 8);
  txs r = {.cmd = 0xA0, .rsp = 1, .tpc = 4, .tdc = 4, .pd = 2, .pc = 3};
  txa_expect(&t, &r, SMBW_E_TRANS_DISPLACEMENT, "ParameterDisplacement");
  ck_assert_uint_eq(t.a.command, 0);
}
END_TEST

START_TEST(trans_eternalblue_type_confusion) {
  /* EternalBlue: an NT_TRANSACT primary (32-bit TotalDataCount 0x10FE8)
     continued by TRANSACTION2_SECONDARY requests, which srv.sys accepted
     as part of the same transaction and then processed as a TRANSACTION2,
     whose sizes are 16 bits. */
  txa t;
  txa_init(&t, 64, 0x11000);
  txs p = {.cmd = 0xA0, .nsetup = 1, .function = 0, .tpc = 30, .tdc = 0x10FE8, .pc = 30,
           .dc = 976, .mid = 0x40};
  txa_expect(&t, &p, 0, NULL);
  txs s2 = {.cmd = 0x33, .tpc = 30, .tdc = 0xFFFF, .dd = 976, .dc = 4000, .mid = 0x40};
  txa_expect(&t, &s2, SMBW_E_TRANS_MISMATCH, "Command");
  s2.tdc = 0x0FE8; /* the total as 16 bits */
  txa_expect(&t, &s2, SMBW_E_TRANS_MISMATCH, "Command");
  txs s1 = {.cmd = 0x26, .tpc = 30, .tdc = 0xFFFF, .dd = 976, .dc = 100, .mid = 0x40};
  txa_expect(&t, &s1, SMBW_E_TRANS_MISMATCH, "Command");
  /* A second primary does not restart it either. */
  txa_expect(&t, &p, SMBW_E_TRANS_MISMATCH, "Command");
  /* Its own secondary continues it; another MID does not. */
  txs ns = {.cmd = 0xA1, .tpc = 30, .tdc = 0x10FE8, .dd = 976, .dc = 4000, .mid = 0x41};
  txa_expect(&t, &ns, SMBW_E_TRANS_MISMATCH, "TID/PID/UID/MID");
  ns.mid = 0x40;
  txa_expect(&t, &ns, 0, NULL);
  ck_assert_uint_eq(t.a.fragments, 2);
  ck_assert_uint_eq(t.a.command, 0xA0);
  /* A buffer smaller than the total: refused before anything is written,
     the totals reported. */
  txa_init(&t, 64, 0x10000);
  txa_expect(&t, &p, SMBW_E_NOSPACE, "TotalDataCount");
  ck_assert_uint_eq(t.a.total_data, 0x10FE8);
  ck_assert_uint_eq(t.a.command, 0);
  /* The other way round, and TRANSACTION / TRANSACTION2 crossed. */
  txa_init(&t, 64, 0x11000);
  txs q = {.cmd = 0x32, .nsetup = 1, .setup = {0x0E}, .tpc = 30, .tdc = 2000, .pc = 30,
           .dc = 1000};
  txa_expect(&t, &q, 0, NULL);
  txs qn = {.cmd = 0xA1, .tpc = 30, .tdc = 2000, .dd = 1000, .dc = 1000};
  txa_expect(&t, &qn, SMBW_E_TRANS_MISMATCH, "Command");
  txs qt = {.cmd = 0x26, .tpc = 30, .tdc = 2000, .dd = 1000, .dc = 1000};
  txa_expect(&t, &qt, SMBW_E_TRANS_MISMATCH, "Command");
  /* A response is no fragment of a request transaction. */
  txs qr = {.cmd = 0x32, .rsp = 1, .tpc = 30, .tdc = 2000, .dd = 1000, .dc = 1000};
  txa_expect(&t, &qr, SMBW_E_TRANS_MISMATCH, "Command");
  txs q2 = {.cmd = 0x33, .tpc = 30, .tdc = 2000, .dd = 1000, .dc = 1000};
  txa_expect(&t, &q2, 1, NULL);
  txa_complete(&t, 30, 2000);
  ck_assert_uint_eq(t.a.subcommand, 0x0E);
  /* A secondary without a primary. */
  txa_init(&t, 64, 64);
  txs lone = {.cmd = 0x33, .tpc = 4, .tdc = 4, .pc = 4};
  txa_expect(&t, &lone, SMBW_E_STATE, "Command");
  lone.cmd = 0xA1;
  txa_expect(&t, &lone, SMBW_E_STATE, "Command");
  lone.cmd = 0x26;
  txa_expect(&t, &lone, SMBW_E_STATE, "Command");
}
END_TEST

START_TEST(trans_nt_counts_near_2_32) {
  /* NT_TRANSACT's 32-bit counts and offsets: sums that wrap 2^32 must not
     pass for small values. */
  txs s = {.cmd = 0xA0, .function = 1, .tpc = 8, .tdc = 16, .pc = 8, .dc = 16};
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_NT, TXF_NT.pc, 0xFFFFFFFFu);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_NT.po);
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_NT, TXF_NT.po, 0xFFFFFFF8u); /* + 8: 2^32 */
  tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_NT.po);
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_NT, TXF_NT.doff, 0xFFFFFFF0u); /* + 16: 2^32 */
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_NT.doff);
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_NT, TXF_NT.dc, 0xFFFFFFFFu);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_NT.doff);
  txs r = {.cmd = 0xA0, .rsp = 1, .tpc = 8, .tdc = 16, .pc = 8, .dc = 16};
  tx_build(&M, &r, NULL, NULL);
  tx_set(&M, &TXF_NTRSP, TXF_NTRSP.doff, 0xFFFFFFFFu);
  tx_set(&M, &TXF_NTRSP, TXF_NTRSP.dc, 1);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_NTRSP.doff);
  /* The decoder keeps totals and displacements near 2^32 as read (the
     reassembler judges them). */
  txs sec = {.cmd = 0xA1, .tpc = 0xFFFFFFFFu, .tdc = 0xFFFFFFFFu, .pd = 0xFFFFFFF8u,
             .dd = 0xFFFFFFF0u, .pc = 8, .dc = 16};
  tx_build(&M, &sec, NULL, NULL);
  txu u;
  smbw_error e;
  ck_assert_int_eq(tx_decode(&M, 0, &u, &e, NULL), 0);
  ck_assert_uint_eq(u.q.total_data_count, 0xFFFFFFFFu);
  ck_assert_uint_eq(u.q.data_displacement, 0xFFFFFFF0u);
  full_path(&M);
  /* A reassembler refuses totals near 2^32 before writing anything. */
  txa t;
  txa_init(&t, 64, 64);
  txs p = {.cmd = 0xA0, .tpc = 0xFFFFFFFFu, .tdc = 16, .pc = 8};
  txa_expect(&t, &p, SMBW_E_NOSPACE, "TotalParameterCount");
  ck_assert_uint_eq(t.a.total_params, 0xFFFFFFFFu);
  p.tpc = 8;
  p.tdc = 0xFFFFFFFFu;
  txa_expect(&t, &p, SMBW_E_NOSPACE, "TotalDataCount");
  /* Once started, a total near 2^32 is a total that grows. */
  p.tdc = 16;
  txa_expect(&t, &p, 0, NULL);
  txs ps = {.cmd = 0xA1, .tpc = 8, .tdc = 0xFFFFFFFFu, .dc = 16};
  txa_expect(&t, &ps, SMBW_E_TRANS_TOTAL, "TotalDataCount");
  ps.tdc = 16;
  txa_expect(&t, &ps, 1, NULL);
  txa_complete(&t, 8, 16);
}
END_TEST

START_TEST(trans_offset_16bit_overflow) {
  /* ParameterOffset + ParameterCount past 16 bits: 0xFFF8 + 0x10 is
     0x0008 in 16-bit arithmetic. */
  txs s = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 16, .tdc = 8, .pc = 16, .dc = 8};
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_REQ, TXF_REQ.po, 0xFFF8);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_REQ.po);
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, 0xFFFF);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_REQ.doff);
  /* A message of almost 64 KiB (0xFF00 data bytes up to its end): the
     last bytes are reachable, one more is not, and no 16-bit sum wraps
     back into the area. */
  txs big = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 8, .tdc = 0xFF00, .pc = 8,
             .dc = 0xFF00};
  uint32_t po, doff;
  tx_build(&M, &big, &po, &doff);
  ck_assert_uint_eq(M.n, doff + 0xFF00);
  txu u;
  smbw_error e;
  ck_assert_int_eq(tx_decode(&M, 0, &u, &e, NULL), 0);
  ck_assert(u.q.data.len == 0xFF00 && u.q.data.data[0xFEFF] == tx_dbyte(0xFEFF));
  tx_set(&M, &TXF_REQ, TXF_REQ.dc, 0xFF01);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_REQ.doff);
  tx_set(&M, &TXF_REQ, TXF_REQ.dc, 8);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, (uint16_t)(M.n - 8)); /* to the end: fine */
  ck_assert_int_eq(tx_decode(&M, 0, &u, &e, NULL), 0);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, 0xFFFF);
  tx_set(&M, &TXF_REQ, TXF_REQ.dc, 0xFFFF); /* 0xFFFF + 0xFFFF = 0xFFFE in 16 bits */
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_REQ.doff);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, (uint16_t)doff);
  tx_set(&M, &TXF_REQ, TXF_REQ.dc, 8);
  tx_set(&M, &TXF_REQ, TXF_REQ.po, 0xFFF0);
  tx_set(&M, &TXF_REQ, TXF_REQ.pc, 0x20);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_REQ.po);
  /* The encoder refuses offsets over their 16-bit field. */
  tx_build(&M, &s, NULL, NULL);
  ck_assert_int_eq(tx_decode(&M, 0, &u, &e, NULL), 0);
  u.q.param_offset = 0x10000;
  smbw_builder bld;
  smbw_header h;
  memset(&h, 0, sizeof h);
  ck_assert_int_eq(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_trans_req_encode(&bld, &u.q), SMBW_E_RANGE);
}
END_TEST

START_TEST(trans_offsets_into_words_header) {
  /* ParameterOffset / DataOffset at every offset before the byte area:
     the header, WordCount, the words, ByteCount. */
  txs s = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 8, .tdc = 8, .pc = 8, .dc = 8};
  uint32_t po, doff;
  tx_build(&M, &s, &po, &doff);
  uint32_t area = 33u + 2u * 15u + 2u;
  for (uint32_t v = 0; v < area; v++) {
    tx_build(&M, &s, NULL, NULL);
    tx_set(&M, &TXF_REQ, TXF_REQ.doff, v);
    tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_REQ.doff);
    tx_build(&M, &s, NULL, NULL);
    tx_set(&M, &TXF_REQ, TXF_REQ.po, v);
    tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_REQ.po);
  }
  /* The same in a response and in an NT_TRANSACT secondary. */
  txs r = {.cmd = 0x25, .rsp = 1, .tpc = 8, .tdc = 8, .pc = 8, .dc = 8};
  tx_build(&M, &r, NULL, NULL);
  tx_set(&M, &TXF_RSP, TXF_RSP.doff, 4);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "DataOffset", TXF_RSP.doff);
  txs ns = {.cmd = 0xA1, .tpc = 8, .tdc = 8, .pc = 8, .dc = 8};
  tx_build(&M, &ns, NULL, NULL);
  tx_set(&M, &TXF_NTSEC, TXF_NTSEC.po, 33);
  tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_NTSEC.po);
  /* Inside the TRANSACTION Name: Parameters there are outside their
     place (DATA_OFFSET), Data there is out of order (TRANS_LAYOUT). */
  txs n = {.cmd = 0x25, .uni = 1, .nsetup = 2, .setup = {0x26, 0x4000}, .name = "\\PIPE\\",
           .tpc = 8, .tdc = 8, .pc = 8, .dc = 8};
  uint32_t nstart = 33u + 2u * 16u + 2u;
  for (uint32_t v = nstart; v < nstart + 15; v++) {
    tx_build(&M, &n, NULL, NULL);
    tx_set(&M, &TXF_REQ, TXF_REQ.po, v);
    tx_refused(&M, SMBW_E_DATA_OFFSET, "ParameterOffset", TXF_REQ.po);
    tx_build(&M, &n, NULL, NULL);
    tx_set(&M, &TXF_REQ, TXF_REQ.pc, 0);
    tx_set(&M, &TXF_REQ, TXF_REQ.doff, v);
    tx_refused(&M, SMBW_E_TRANS_LAYOUT, "DataOffset", TXF_REQ.doff);
  }
}
END_TEST

START_TEST(trans_overlapping_params_data) {
  txs s = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 16, .tdc = 8, .pc = 16, .dc = 8};
  uint32_t po, doff;
  tx_build(&M, &s, &po, &doff);
  /* Data starting anywhere inside the Parameters, or before them in the
     area. */
  for (uint32_t v = 33u + 30u + 2u; v < po + 16; v++) {
    tx_build(&M, &s, NULL, NULL);
    tx_set(&M, &TXF_REQ, TXF_REQ.doff, v);
    tx_refused(&M, SMBW_E_TRANS_LAYOUT, "DataOffset", TXF_REQ.doff);
  }
  /* Right after the Parameters: fine (no pad). */
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, po + 16);
  txu u;
  smbw_error e;
  ck_assert_int_eq(tx_decode(&M, 0, &u, &e, NULL), 0);
  ck_assert_uint_eq(u.q.pad2.len, 0);
  ck_assert_uint_eq(u.q.extra.len, doff - (po + 16));
  /* Parameters moved after the Data: the Data now starts before them. */
  tx_build(&M, &s, NULL, NULL);
  tx_set(&M, &TXF_REQ, TXF_REQ.po, doff);
  tx_set(&M, &TXF_REQ, TXF_REQ.pc, 8);
  tx_set(&M, &TXF_REQ, TXF_REQ.doff, po);
  tx_refused(&M, SMBW_E_TRANS_LAYOUT, "DataOffset", TXF_REQ.doff);
  /* Responses and NT_TRANSACT the same. */
  txs r = {.cmd = 0xA0, .rsp = 1, .tpc = 16, .tdc = 8, .pc = 16, .dc = 8};
  tx_build(&M, &r, &po, NULL);
  tx_set(&M, &TXF_NTRSP, TXF_NTRSP.doff, po + 15);
  tx_refused(&M, SMBW_E_TRANS_LAYOUT, "DataOffset", TXF_NTRSP.doff);
  txs q = {.cmd = 0x26, .tpc = 16, .tdc = 8, .pc = 16, .dc = 8};
  tx_build(&M, &q, &po, NULL);
  tx_set(&M, &TXF_SEC, TXF_SEC.doff, po);
  tx_refused(&M, SMBW_E_TRANS_LAYOUT, "DataOffset", TXF_SEC.doff);
}
END_TEST

START_TEST(trans_setup_count_lies) {
  /* SetupCount against WordCount: for every SetupCount only the matching
     WordCount decodes. */
  static const struct { uint8_t cmd; int rsp; const txf *f; } forms[] = {
      {0x32, 0, &TXF_REQ}, {0x25, 0, &TXF_REQ}, {0xA0, 0, &TXF_NT}, {0x25, 1, &TXF_RSP},
      {0xA0, 1, &TXF_NTRSP}};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    txs s = {.cmd = forms[i].cmd, .rsp = forms[i].rsp, .nsetup = 2, .setup = {1, 2}, .tpc = 4,
             .tdc = 4, .pc = 4, .dc = 4};
    for (unsigned v = 0; v < 256; v++) {
      tx_build(&M, &s, NULL, NULL);
      M.b[33 + forms[i].f->sc] = (uint8_t)v;
      if (v == 2) {
        txu u;
        smbw_error e;
        ck_assert_int_eq(tx_decode(&M, s.rsp, &u, &e, NULL), 0);
        continue;
      }
      tx_refused(&M, SMBW_E_WCT, "SetupCount", forms[i].f->sc);
    }
    /* WordCount below the fixed words (the last bytes then read as
       data). */
    tx_build(&M, &s, NULL, NULL);
    tx_wct(&M, (unsigned)forms[i].f->base - 1);
    tx_refused(&M, SMBW_E_WCT, "WordCount", -1);
  }
  /* Secondaries: exactly 8, 9, 18 words; a secondary's response is only
     an interim one. */
  static const struct { uint8_t cmd; unsigned wct; } secs[] = {{0x26, 8}, {0x33, 9}, {0xA1, 18}};
  for (size_t i = 0; i < 3; i++) {
    txs s = {.cmd = secs[i].cmd, .tpc = 4, .tdc = 4, .pc = 4, .dc = 4};
    for (unsigned w = 0; w < 24; w++) {
      if (w == secs[i].wct) continue;
      tx_build(&M, &s, NULL, NULL);
      if (33 + 2 * w + 2 > M.n) continue;
      tx_wct(&M, w);
      tx_refused(&M, SMBW_E_WCT, "WordCount", -1);
    }
    mb_hdr(&M, secs[i].cmd, 1, 0);
    mb_block(&M, 1, 0);
    tx_refused(&M, SMBW_E_WCT, "WordCount", -1);
  }
  /* The encoder: more setup words than WordCount can hold. */
  static uint8_t setup[2 * 242];
  smbw_trans_req q;
  memset(&q, 0, sizeof q);
  q.command = 0x32;
  q.setup.data = setup;
  q.setup.len = 2 * 242; /* 14 + 242 > 255 */
  smbw_builder bld;
  smbw_header h;
  memset(&h, 0, sizeof h);
  ck_assert_int_eq(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_trans_req_encode(&bld, &q), SMBW_E_RANGE);
  q.setup.len = 2 * 241;
  ck_assert_int_eq(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_trans_req_encode(&bld, &q), 0);
  q.setup.len = 3;
  ck_assert_int_eq(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h), 0);
  ck_assert_int_eq(smbw_trans_req_encode(&bld, &q), SMBW_E_INVAL);
}
END_TEST

START_TEST(trans_zero_length_fragments) {
  txa t;
  txa_init(&t, 8, 8);
  txs p = {.cmd = 0x32, .nsetup = 1, .setup = {8}, .tpc = 4, .tdc = 4};
  txa_expect(&t, &p, 0, NULL);
  txs s = {.cmd = 0x33, .tpc = 4, .tdc = 4, .pd = 4, .dd = 4};
  txa_expect(&t, &s, 0, NULL); /* empty pieces at the totals */
  txa_expect(&t, &s, 0, NULL); /* and again: nothing overlaps an empty piece */
  s.pd = 5;
  txa_expect(&t, &s, SMBW_E_TRANS_DISPLACEMENT, "ParameterDisplacement");
  s.pd = 0;
  s.dd = 5;
  txa_expect(&t, &s, SMBW_E_TRANS_DISPLACEMENT, "DataDisplacement");
  ck_assert_uint_eq(t.a.fragments, 3);
  ck_assert_uint_eq(t.a.pr_.n + t.a.dr_.n, 0);
  s.dd = 0;
  s.pc = 4;
  s.dc = 4;
  txa_expect(&t, &s, 1, NULL);
  txa_complete(&t, 4, 4);
  txa_expect(&t, &s, SMBW_E_STATE, "transaction");
  /* A transaction of nothing completes with its primary. */
  txa_init(&t, 0, 0);
  txs z = {.cmd = 0xA0, .function = 4};
  txa_expect(&t, &z, 1, NULL);
  ck_assert(t.a.done && t.a.params.len == 0 && t.a.data.len == 0);
  ck_assert_uint_eq(t.a.subcommand, 4);
  txa_expect(&t, &z, SMBW_E_STATE, "transaction");
  /* Interim responses (WordCount 0) carry nothing. */
  txa_init(&t, 8, 8);
  mb_hdr(&M, 0x25, 1, 0);
  mb_block(&M, 0, 0);
  smbw_error e;
  ck_assert_int_eq(txa_feed(&t, &M, &e), 0);
  ck_assert_uint_eq(t.a.command, 0);
  txs r = {.cmd = 0x25, .rsp = 1, .tpc = 2, .tdc = 0, .pc = 2};
  txa_expect(&t, &r, 1, NULL);
  mb_hdr(&M, 0x25, 1, 0);
  mb_block(&M, 0, 0);
  ck_assert_int_eq(txa_feed(&t, &M, &e), SMBW_E_STATE);
}
END_TEST

START_TEST(trans_too_many_fragments) {
  /* More than eight disjoint pieces per area: SMBW_E_TRANS_FRAGMENTS;
     touching pieces merge. */
  txa t;
  txa_init(&t, 100, 100);
  txs p = {.cmd = 0x32, .nsetup = 1, .setup = {1}, .tpc = 100, .tdc = 100};
  txa_expect(&t, &p, 0, NULL);
  txs s = {.cmd = 0x33, .tpc = 100, .tdc = 100, .dc = 1};
  for (int k = 7; k >= 0; k--) { /* 70, 60, ..., 0: out of order */
    s.dd = 10u * (uint32_t)k;
    txa_expect(&t, &s, 0, NULL);
  }
  ck_assert_uint_eq(t.a.dr_.n, 8);
  s.dd = 90;
  txa_expect(&t, &s, SMBW_E_TRANS_FRAGMENTS, "DataDisplacement");
  s.dd = 1; /* bridges 0 and 10: 7 pieces */
  s.dc = 9;
  txa_expect(&t, &s, 0, NULL);
  ck_assert_uint_eq(t.a.dr_.n, 7);
  s.dd = 90;
  s.dc = 1;
  txa_expect(&t, &s, 0, NULL);
  s.dd = 95;
  txa_expect(&t, &s, SMBW_E_TRANS_FRAGMENTS, "DataDisplacement");
  s.dd = 91; /* touching 90: merges */
  s.dc = 2;
  txa_expect(&t, &s, 0, NULL);
  /* The parameters: the same limit, separately. */
  s.dc = 0;
  s.dd = 0;
  s.pc = 1;
  for (uint32_t k = 0; k < 8; k++) {
    s.pd = 99 - 3 * k;
    txa_expect(&t, &s, 0, NULL);
  }
  s.pd = 0;
  txa_expect(&t, &s, SMBW_E_TRANS_FRAGMENTS, "ParameterDisplacement");
  /* Fill every gap one byte at a time, each touching a piece received:
     the data upwards, the parameters downwards. */
  for (int area = 0; area < 2; area++) {
    for (uint32_t i = 0; i < 100; i++) {
      uint32_t k = area == 0 ? i : 99 - i;
      const smbw_trans_ranges *r = area == 0 ? &t.a.dr_ : &t.a.pr_;
      int in = 0;
      for (uint32_t j = 0; j < r->n; j++)
        if (k >= r->lo_[j] && k < r->hi_[j]) in = 1;
      if (in) continue;
      txs g = {.cmd = 0x33, .tpc = 100, .tdc = 100};
      if (area == 0) g.dd = k, g.dc = 1;
      else g.pd = k, g.pc = 1;
      int last = t.a.pr_.got + g.pc == 100 && t.a.dr_.got + g.dc == 100;
      txa_expect(&t, &g, last, NULL);
      ck_assert_uint_le(r->n, 8);
    }
  }
  txa_complete(&t, 100, 100);
}
END_TEST

START_TEST(trans_duplicate_fragment) {
  txa t;
  txa_init(&t, 16, 40);
  txs p = {.cmd = 0x25, .nsetup = 2, .setup = {0x26, 0x4000}, .name = "\\PIPE\\", .tpc = 0,
           .tdc = 40, .dc = 10};
  txa_expect(&t, &p, 0, NULL);
  txs s = {.cmd = 0x26, .tdc = 40, .dd = 10, .dc = 10};
  txa_expect(&t, &s, 0, NULL);
  txa_expect(&t, &s, SMBW_E_TRANS_OVERLAP, "DataDisplacement"); /* the same again */
  s.dd = 19;
  s.dc = 2;
  txa_expect(&t, &s, SMBW_E_TRANS_OVERLAP, "DataDisplacement"); /* one byte over */
  s.dd = 5;
  s.dc = 6;
  txa_expect(&t, &s, SMBW_E_TRANS_OVERLAP, "DataDisplacement"); /* over the primary's */
  s.dd = 0;
  s.dc = 40;
  txa_expect(&t, &s, SMBW_E_TRANS_OVERLAP, "DataDisplacement"); /* over everything */
  txa_expect(&t, &p, SMBW_E_TRANS_MISMATCH, "Command");          /* the primary again */
  s.dd = 20;
  s.dc = 20;
  txa_expect(&t, &s, 1, NULL);
  txa_complete(&t, 0, 40);
  ck_assert_uint_eq(t.a.subcommand, 0x26);
  /* Parameters, and responses. */
  txa_init(&t, 16, 16);
  txs r = {.cmd = 0x32, .rsp = 1, .tpc = 16, .tdc = 16, .pd = 8, .pc = 8};
  txa_expect(&t, &r, 0, NULL);
  txa_expect(&t, &r, SMBW_E_TRANS_OVERLAP, "ParameterDisplacement");
  r.pd = 0;
  r.pc = 9;
  txa_expect(&t, &r, SMBW_E_TRANS_OVERLAP, "ParameterDisplacement");
  r.pc = 8;
  r.dc = 16;
  txa_expect(&t, &r, 1, NULL);
  txa_complete(&t, 16, 16);
}
END_TEST

typedef struct txm_stats {
  unsigned long tried, decoded, refused;
} txm_stats;

/* One (mutated) message through both transaction decoders: a refusal
   names a transaction field at or after the block; a success re-encodes
   byte for byte (up to the block's end) into an exactly sized guarded
   buffer, and goes to a reassembler whose buffers end at guard pages
   (accepted or refused, nothing written outside; refused: nothing
   written at all). */
static void tx_mutant(const uint8_t *bytes, size_t len, txm_stats *st) {
  st->tried++;
  const uint8_t *p = guard_place(&g_smb, bytes, len);
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  if (smbw_msg_decode(p, len, &m, NULL) != 0) return;
  smbw_andx_iter_init(&it, &m);
  if (smbw_andx_iter_next(&it, &b, NULL) != 1) return;
  for (int rsp = 0; rsp < 2; rsp++) {
    txu u;
    smbw_error e = {0, 0, NULL};
    int rc = rsp ? smbw_trans_rsp_decode(&b, &u.s, &e) : smbw_trans_req_decode(&b, &u.q, &e);
    if (rc) {
      TXA(e.code == rc && e.field && e.field[0] && e.offset >= b.offset && e.offset < len);
      switch (rc) {
      case SMBW_E_COMMAND: TXA(!strcmp(e.field, "Command")); break;
      case SMBW_E_WCT:
        TXA(!strcmp(e.field, "WordCount") || !strcmp(e.field, "SetupCount"));
        break;
      case SMBW_E_DATA_OFFSET:
        TXA(!strcmp(e.field, "ParameterOffset") || !strcmp(e.field, "DataOffset"));
        break;
      case SMBW_E_TRANS_LAYOUT: TXA(!strcmp(e.field, "DataOffset")); break;
      default: ck_abort_msg("transaction decoder: %s", smbw_errname(rc));
      }
      st->refused++;
      continue;
    }
    st->decoded++;
    size_t bend = b.offset + 3u + 2u * b.wct + b.bcc, need = 0, got = 0;
    smbw_builder bld;
    TXA(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &m.hdr) == 0);
    if (rsp) smbw_trans_rsp_encode(&bld, &u.s);
    else smbw_trans_req_encode(&bld, &u.q);
    TXA(smbw_builder_finish(&bld, &need) == SMBW_E_NOSPACE);
    TXA(need == bend);
    uint8_t *o = out_area(need);
    TXA(smbw_builder_init(&bld, o, need, SMBW_FRAMING_NONE, &m.hdr) == 0);
    if (rsp) smbw_trans_rsp_encode(&bld, &u.s);
    else smbw_trans_req_encode(&bld, &u.q);
    TXA(smbw_builder_finish(&bld, &got) == 0);
    TXA(got == need && out_canary_ok(need) && memcmp(o, p, need) == 0);
    uint32_t tp = rsp ? u.s.total_param_count : u.q.total_param_count;
    uint32_t td = rsp ? u.s.total_data_count : u.q.total_data_count;
    txa ta;
    txa_init(&ta, tp < 4096 ? tp : 4096, td < 4096 ? td : 4096);
    smbw_error ae;
    int arc = rsp ? smbw_trans_asm_rsp(&ta.a, &u.s, &m.hdr, &ae)
                  : smbw_trans_asm_req(&ta.a, &u.q, &m.hdr, &ae);
    txa_canaries(&ta);
    if (arc < 0) {
      TXA(arc == SMBW_E_NOSPACE || arc == SMBW_E_STATE || arc == SMBW_E_TRANS_DISPLACEMENT);
      for (uint32_t k = 0; k < ta.pcap; k++) TXA(ta.p[k] == 0xA5);
      for (uint32_t k = 0; k < ta.dcap; k++) TXA(ta.d[k] == 0xA5);
    } else {
      TXA(arc == 0 || arc == 1);
    }
  }
}

START_TEST(trans_real_mutations) {
  /* Real transaction messages (tests/golden: smbclient-get frame 22,
     transactions frames 21, 33, 35, 36, 46, 49, 56, 76): every truncation
     and every single-byte mutation through both decoders.  A refusal names
     a transaction field at its position; a success re-encodes byte for
     byte into a buffer of exactly the size, ending at a guard page; each
     decoded request or response goes to a reassembler whose buffers end at
     guard pages. */
  static const char *const hex[] = {
      "ff534d4232000000001843c8000000000000000000000000acaa2d5e7c6e08000f0400000002"
      "00ffff000000000000000000000400440000004800010007000700004420208e0701",
      "ff534d4232000000008803c0000000000000000000000000a3815754b5ae05000a0200f60100"
      "0000003800000042003a00b40100004500000000b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9"
      "cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
      "f0f1f2f3f4f5f6f7f8f9",
      "ff534d42a1000000001843c0000000000000000000000000a3815754b5ae0900120000006400"
      "00004c01000000000000480000006400000000010000480000004c00000000010101b8b9babb"
      "bcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1"
      "e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0001020304050607"
      "08090a0b0c0d0e0f101112131415000000000000000b8c00534d42574952452e4e543200a8a9"
      "aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
      "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5"
      "f6f7f8f9fafbfcfdfeff000102030405060708090a0b0c0d0e0f101112131415161718191a1b"
      "1c1d1e1f202122232425262728292a2b2c2d2e2f30313233",
      "ff534d42a0000000001843c0000000000000000000000000a3815754b5ae0a00130000000800"
      "0000000000000400000000000000080000004c00000000000000540000000006000b00000000"
      "a8f1000007000000",
      "ff534d42a0230000c08803c0000000000000000000000000a3815754b5ae0a00120000000400"
      "0000000000000400000048000000000000000000000000000000000000000005000080000000",
      "ff534d4225000000001843c0000000000000000000000000266b5754b5ae0f00100000480000"
      "00b8100000000000000000000000005400280054000200260037953900005c00500049005000"
      "45005c000000000005000b03100000004800000001000000b810b810000000000100000000000"
      "100c84f324b7016d301",
      "ff534d4226000000001843c0000000000000000000000000266b5754b5ae0f00080000480000"
      "003400000020003400280021000012785a47bf6ee18803000000045d888aeb1cc9119fe80800"
      "2b10486002000000",
      "ff534d4225000000008803c0000000000000000000000000266b5754b5ae10000a0000140100"
      "0000003800000014003800000100001500006500720029000000030000000000000000000000",
      "ff534d42250000000018434000000000000000000000000073425754aac504000e1300000008"
      "0000100000000000000000000013004c0000005f00000020005c504950455c4c414e4d414e00"
      "000057724c65680042313342577a0001000010",
  };
  txm_stats st = {0, 0, 0};
  guards_init();
  for (size_t i = 0; i < sizeof hex / sizeof hex[0]; i++) {
    static uint8_t msg[512], work[512];
    size_t n = strlen(hex[i]) / 2;
    ck_assert(n <= sizeof msg);
    for (size_t k = 0; k < n; k++) {
      unsigned v;
      ck_assert(sscanf(hex[i] + 2 * k, "%2x", &v) == 1);
      msg[k] = (uint8_t)v;
    }
    for (size_t t = 33; t <= n; t++) tx_mutant(msg, t, &st);
    memcpy(work, msg, n);
    for (size_t pos = 0; pos < n; pos++) {
      for (unsigned v = 0; v < 256; v++) {
        if (v == msg[pos]) continue;
        work[pos] = (uint8_t)v;
        tx_mutant(work, n, &st);
      }
      work[pos] = msg[pos];
    }
  }
  unsigned long tried = st.tried, decoded = st.decoded, refused = st.refused;
  printf("transactions: %lu inputs, %lu decodes re-encoded byte for byte, %lu refused\n", tried,
         decoded, refused);
  ck_assert(decoded > 0 && refused > 0);
}
END_TEST

/* ---- library bugs found by the fuzzers (fuzz/regressions/) ----------- */

START_TEST(bug_utf8_to_utf16le_null_dst) {
  /* fuzz/regressions/strings-utf8-to-utf16le-null-dst: converting an
     empty string with dst NULL and cap 0 computed NULL + 0 (undefined
     behaviour, reported by UBSan; the suite runs with halt_on_error).
     Fixed in fb750f6. */
  size_t need = 99;
  ck_assert_int_eq(smbw_utf8_to_utf16le("", 0, NULL, 0, &need), 0);
  ck_assert_uint_eq(need, 0);
}
END_TEST

START_TEST(bug_negotiate_rsp_absent_domain) {
  /* fuzz/regressions/encode-negotiate-rsp-absent-domain-present-server:
     a 17-word NEGOTIATE response with DomainName absent and ServerName
     present was written without a DomainName, so it decoded with the
     server's name as DomainName and no ServerName.  Session setup wrote
     an absent string before a present one as "" (its slot rule); the
     negotiate encoder does too since bc95497. */
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.flags = 0x98;
  h.flags2 = 0xC843;
  smbw_negotiate_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 17;
  r.capabilities = SMBW_CAP_UNICODE;
  r.server_name = smbw_str_utf8("SRV");
  uint8_t out[256];
  smbw_builder bld;
  size_t len;
  smbw_builder_init(&bld, out, sizeof out, SMBW_FRAMING_NONE, &h);
  smbw_negotiate_rsp_encode(&bld, &r);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_negotiate_rsp d;
  smbw_msg_decode(out, len, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  smbw_andx_iter_next(&it, &b, NULL);
  ck_assert_int_eq(smbw_negotiate_rsp_decode(&b, &d, NULL), 0);
  ck_assert_msg(d.server_name.data && smbw_str_eq(&d.server_name, "SRV"),
                "ServerName did not come back (DomainName holds it instead)");
}
END_TEST

/* Encode one block of the given family into out (framing none) and
   return the decoded first block's struct in *d via the callback. */
static size_t encode_one(uint8_t *o, size_t cap, const smbw_header *h, int which,
                         const void *r) {
  smbw_builder bld;
  size_t len = 0;
  smbw_builder_init(&bld, o, cap, SMBW_FRAMING_NONE, h);
  int rc = which == 0 ? smbw_tree_connect_andx_req_encode(&bld, r)
           : which == 1 ? smbw_tree_connect_andx_rsp_encode(&bld, r)
                        : smbw_negotiate_rsp_encode(&bld, r);
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  return len;
}

static void first_of(const uint8_t *o, size_t len, smbw_block *b) {
  smbw_msg msg;
  smbw_andx_iter it;
  ck_assert_int_eq(smbw_msg_decode(o, len, &msg, NULL), 0);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, b, NULL), 1);
}

START_TEST(bug_encoders_absent_before_present) {
  /* fuzz/regressions/encode-tree-connect-req-absent-path-present-service,
     encode-tree-connect-rsp-absent-service-present-fs: as above for
     TREE_CONNECT_ANDX.  A request with Path absent and Service "A:"
     decoded with Path holding the service's bytes (read as UTF-16) and no
     Service; a response with Service absent and NativeFileSystem "NTFS"
     decoded with the file system shifted.  Fixed in bc95497. */
  static uint8_t o[512];
  smbw_block b;
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.flags2 = 0xC843;
  smbw_tree_connect_andx_req q, dq;
  memset(&q, 0, sizeof q);
  q.andx.command = 0xFF;
  q.service = smbw_str_utf8("A:");
  size_t len = encode_one(o, sizeof o, &h, 0, &q);
  first_of(o, len, &b);
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &dq, NULL), 0);
  ck_assert_msg(dq.service.data && smbw_str_eq(&dq.service, "A:") &&
                (!dq.path.data || dq.path.len == 0),
                "TREE_CONNECT_ANDX request: Service did not come back in its field");
  h.flags = 0x98;
  smbw_tree_connect_andx_rsp r, dr;
  memset(&r, 0, sizeof r);
  r.wct = 3;
  r.andx.command = 0xFF;
  r.native_file_system = smbw_str_utf8("NTFS");
  len = encode_one(o, sizeof o, &h, 1, &r);
  first_of(o, len, &b);
  ck_assert_int_eq(smbw_tree_connect_andx_rsp_decode(&b, &dr, NULL), 0);
  ck_assert_msg(dr.native_file_system.data && smbw_str_eq(&dr.native_file_system, "NTFS"),
                "TREE_CONNECT_ANDX response: NativeFileSystem did not come back");
}
END_TEST

START_TEST(bug_tree_connect_string_size_wrap) {
  /* Two strings of 2^31 - 1 bytes: TREE_CONNECT_ANDX (request and
     response) and NEGOTIATE (17 words) add their wire sizes (2^31 each) in
     32 bits, the sum wraps to 0, passes the 0xFFFF check, and the block is
     "written" with an empty byte area (smbw_wr bounds every copy, so
     nothing is read or written out of place).  Expected: SMBW_E_RANGE, as
     session setup (smbw_strs_size() checks each size) and OPEN_ANDX give.
     The strings point into a 2 GiB PROT_NONE reservation, never touched. */
  size_t big = (size_t)1 << 31;
  void *m = mmap(NULL, big, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED) return; /* no address space for the demonstration */
  smbw_str s = {(const uint8_t *)m, 0x7FFFFFFF, SMBW_STR_OEM, 0, 0};
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.flags = 0x98;
  smbw_tree_connect_andx_req q;
  memset(&q, 0, sizeof q);
  q.path = q.service = s;
  smbw_tree_connect_andx_rsp t;
  memset(&t, 0, sizeof t);
  t.wct = 3;
  t.service = t.native_file_system = s;
  smbw_negotiate_rsp n;
  memset(&n, 0, sizeof n);
  n.wct = 17;
  n.domain_name = n.server_name = s;
  static const char *const what[3] = {"TREE_CONNECT_ANDX request",
                                      "TREE_CONNECT_ANDX response", "NEGOTIATE response"};
  int rc[3], frc[3];
  size_t len[3];
  for (int i = 0; i < 3; i++) {
    uint8_t o[256];
    smbw_builder bld;
    len[i] = 0;
    smbw_builder_init(&bld, o, sizeof o, SMBW_FRAMING_NONE, &h);
    rc[i] = i == 0 ? smbw_tree_connect_andx_req_encode(&bld, &q)
            : i == 1 ? smbw_tree_connect_andx_rsp_encode(&bld, &t)
                     : smbw_negotiate_rsp_encode(&bld, &n);
    frc[i] = smbw_builder_finish(&bld, &len[i]);
  }
  munmap(m, big);
  for (int i = 0; i < 3; i++)
    ck_assert_msg(rc[i] == SMBW_E_RANGE && frc[i] == SMBW_E_RANGE,
                  "%s, 2 x (2^31-1)-byte strings: encode %s, finish %s, %zu bytes", what[i],
                  smbw_errname(rc[i]), smbw_errname(frc[i]), len[i]);
}
END_TEST

/* Dissect a message to text, without the fields a re-encode recomputes
   (ByteCount, AndXOffset), as fuzz/fuzz_message.c compares them. */
typedef struct txt {
  char b[1 << 15];
  size_t n;
} txt;
static void txt_put(void *ctx, const char *name, const char *value) {
  txt *t = ctx;
  if (!strcmp(name, "smb.bcc") || !strcmp(name, "smb.andxoffset")) return;
  t->n += (size_t)snprintf(t->b + t->n, sizeof t->b - t->n, "%s=%s\n", name, value);
  if (t->n >= sizeof t->b) t->n = sizeof t->b - 1;
}

/* Returns the first decode's result; on 0, a and b hold the texts. */
static int roundtrip_text(const mb *m, txt *a, txt *b) {
  guards_init();
  const uint8_t *p = guard_place(&g_smb, m->b, m->n);
  smbw_error e;
  size_t used, need = 0, got = 0;
  unsigned typed;
  a->n = b->n = 0;
  int rc = dissect_msg(p, m->n, txt_put, a, &e, &used, &typed);
  if (rc) return rc;
  ck_assert_int_eq(reencode_msg(p, m->n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *o = out_area(need);
  ck_assert_int_eq(reencode_msg(p, m->n, SMBW_FRAMING_NONE, o, need, &got), 0);
  ck_assert_int_eq(dissect_msg(o, got, txt_put, b, &e, &used, &typed), 0);
  return 0;
}

START_TEST(bug_read_andx_data_past_next_block) {
  /* fuzz/regressions/message-readandx-data-past-next-block and
     roundtrip-readandx-pad-over-next-block: a READ_ANDX response whose
     DataOffset points past the next block of its AndX chain is accepted
     (data "may run past ByteCount"), but the encoder writes the data (and
     its pad) inside the READ_ANDX block, which moves the next block: the
     re-encoded message no longer decodes to the same values (here the
     SESSION_SETUP_ANDX strings change with the alignment).  Either the
     decoder refuses data that overlaps or follows the next chained block
     (DataOffset + DataLength <= AndXOffset when AndXCommand != 0xFF), or
     the encoder keeps the layout.  Fixed in 3d8c36f: data may run past
     ByteCount only in the last block of a chain. */
  /* The regression input: READ_ANDX response (DataOffset 64, DataLength
     69) chained to a SESSION_SETUP_ANDX response at 98, inside the data. */
  static const uint8_t msg[] = {
      0xff, 0x53, 0x4d, 0x42, 0x2e, 0x52, 0x00, 0x00, 0x00, 0x88, 0x00, 0x83, 0x00, 0x00,
      0x20, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0x75, 0x0c, 0x73, 0x6d, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x45, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x28, 0x89, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,
      0x00, 0x00, 0x00, 0xff, 0x53, 0x4d, 0x42, 0x2e, 0x52, 0x00, 0x00, 0x00, 0x88, 0x00,
      0x03, 0x00, 0x00, 0x81, 0x00, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x23,
      0x00, 0x00, 0xff, 0xff, 0xff, 0x03, 0x03, 0x03, 0xfe, 0x03, 0x03, 0x09, 0x00, 0x00,
      0x03, 0x03, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x0a};
  memcpy(M.b, msg, sizeof msg);
  M.n = sizeof msg;
  static txt a, b;
  int rc = roundtrip_text(&M, &a, &b);
  if (rc) { /* the fix refuses the layout (3d8c36f) */
    ck_assert_int_eq(rc, SMBW_E_DATA_OFFSET);
    return;
  }
  ck_assert_msg(a.n == b.n && memcmp(a.b, b.b, a.n) == 0,
                "decode-encode-decode differs:\n%.*s----\n%.*s", (int)a.n, a.b, (int)b.n, b.b);
}
END_TEST

START_TEST(bug_nt_create_42_words_reencoded_as_50) {
  /* fuzz/regressions/roundtrip-nt-create-42-words-read-as-50-after-reencode:
     an NT_CREATE_ANDX response that says 42 words is read as 50 when a
     ByteCount after 50 words "fits" (MS-SMB 2.2.4.9.2).  A 42-word block
     whose AndX padding holds non-zero bytes reads as 42 words; re-encoded,
     the builder zero-fills that padding, the 50-word reading now fits, and
     the same block reads back as 50 words with another ByteCount: the
     reading of a block depended on bytes after its end.  Fixed in
     3d8c36f: 50 words only when that reading ends the message. */
  mb_hdr(&M, 0xA2, 1, 0);
  size_t a = mb_block(&M, 42, 1); /* 42 words, ByteCount 1 */
  size_t gap = M.n;
  for (int i = 0; i < 24; i++) M.b[M.n++] = 0x70; /* AndX padding */
  size_t c = mb_block(&M, 0, 0); /* CLOSE-like block after the padding */
  mb_andx(&M, a, 0x04, (uint16_t)c);
  (void)gap;
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b1;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b1, NULL), 1);
  ck_assert_uint_eq(b1.nwords, 42);
  size_t need = 0, got = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *o = out_area(need);
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, o, need, &got), 0);
  smbw_block b2;
  smbw_msg_decode(o, got, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b2, NULL), 1);
  ck_assert_msg(b2.nwords == b1.nwords && b2.bcc == b1.bcc,
                "re-encoded block reads as %u words, ByteCount %u (was %u, %u)", b2.nwords,
                b2.bcc, b1.nwords, b1.bcc);
}
END_TEST

START_TEST(bug_nt_create_50_words_over_next_block) {
  /* fuzz/regressions/roundtrip-nt-create-50-words-over-next-block (after
     3d8c36f): an NT_CREATE_ANDX response saying 42 words and chained to a
     block inside the span of a 50-word reading, followed by one trailing
     byte, reads as 42 words and two blocks.  A proxy that re-encodes the
     blocks (smbw_builder_block) without the trailing byte gets a message
     whose 50-word reading now ends exactly at its end: it reads as 50
     words that swallow the second block.  The extended response is the
     last block of its message; taking 50 words only when AndXCommand is
     0xFF would keep chained blocks apart. */
  mb_hdr(&M, 0xA2, 1, 1);
  size_t a = mb_block(&M, 42, 0); /* ends at 119 */
  while (M.n < 128) M.b[M.n++] = 0;
  size_t c = mb_block(&M, 0, 4); /* at 128, ends at 135 */
  mb_andx(&M, a, 0x22, (uint16_t)c);
  memset(M.b + c + 3, 0, 4);
  M.b[M.n++] = 0; /* one trailing byte */
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block blk[4];
  int n1 = 0, n2 = 0;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  while (n1 < 4 && smbw_andx_iter_next(&it, &blk[n1], NULL) == 1) n1++;
  ck_assert_int_eq(n1, 2);
  ck_assert_uint_eq(blk[0].nwords, 42);
  smbw_builder bld;
  size_t len = 0;
  smbw_header h;
  smbw_header_decode(p, M.n, &h, NULL);
  uint8_t *o = out_area(M.n);
  smbw_builder_init(&bld, o, M.n, SMBW_FRAMING_NONE, &h);
  for (int i = 0; i < n1; i++) smbw_builder_block(&bld, &blk[i]);
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  smbw_block b2;
  smbw_msg_decode(o, len, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  while (n2 < 4 && smbw_andx_iter_next(&it, &b2, NULL) == 1) {
    if (n2 == 0)
      ck_assert_msg(b2.nwords == 42, "the re-encoded blocks read as %u words", b2.nwords);
    n2++;
  }
  ck_assert_int_eq(n2, 2);
}
END_TEST

START_TEST(bug_nt_create_42_words_ending_message_read_as_50) {
  /* fuzz/regressions/roundtrip-nt-create-42-words-ending-message-read-as-50
     (CI fuzzing, after 9e5e378): an NT_CREATE_ANDX response saying 42
     words, AndXCommand 0xFF, followed by trailing bytes, reads as 42 words
     (the 50-word reading does not end the message).  Re-encoded without
     the trailing bytes, the 42-word block ends the message, and so did a
     50-word reading whose "ByteCount" is two of the block's own data
     bytes: it read back as 50 words.  Fixed: 50 words only when the
     42-word reading does not end the message. */
  mb_hdr(&M, 0xA2, 1, 1);
  size_t a = mb_block(&M, 42, 16); /* 32 + 87 + 16 = 135 */
  mb_andx(&M, a, 0xFF, 0);
  M.b[a + 101] = 0; /* the 50-word reading's ByteCount: 0, ends at 135 too */
  M.b[a + 102] = 0;
  ck_assert_uint_eq(M.n, 135);
  guards_init();
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  for (int trail = 0; trail < 2; trail++) {
    size_t n = M.n + (trail ? 29u : 0u);
    if (trail) memset(M.b + M.n, 0xE6, 29);
    const uint8_t *p = guard_place(&g_smb, M.b, n);
    ck_assert_int_eq(smbw_msg_decode(p, n, &msg, NULL), 0);
    smbw_andx_iter_init(&it, &msg);
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
    ck_assert_uint_eq(b.nwords, 42);
    ck_assert_uint_eq(b.bcc, 16);
    size_t need = 0, got = 0;
    ck_assert_int_eq(reencode_msg(p, n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
    uint8_t *o = out_area(need);
    ck_assert_int_eq(reencode_msg(p, n, SMBW_FRAMING_NONE, o, need, &got), 0);
    smbw_msg_decode(o, got, &msg, NULL);
    smbw_andx_iter_init(&it, &msg);
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
    ck_assert_uint_eq(b.nwords, 42);
  }
}
END_TEST

START_TEST(bug_tree_connect_lone_byte_absent_path) {
  /* fuzz/regressions/roundtrip-tree-connect-lone-byte-absent-path (a
     regression of bc95497): a Unicode TREE_CONNECT_ANDX request whose byte
     area is one zero byte at an odd offset decodes as Path absent (a lone
     byte is no pad, 8a2a6ef) and Service "" (that byte).  The encoder's
     slot rule now writes the absent Path before the present Service as ""
     (pad + terminator): the re-encoded request read back with Path "",
     and 1 data byte became 4.  Fixed in 3d8c36f: the strings after an
     absent one are absent, the lone byte is extra. */
  mb_hdr(&M, 0x75, 0, 1);
  size_t o = mb_block(&M, 4, 1); /* data area at 43: odd */
  mb_andx(&M, o, 0xFF, 0);
  M.b[M.n - 1] = 0;
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg msg;
  smbw_andx_iter it;
  smbw_block b;
  smbw_tree_connect_andx_req r1, r2;
  smbw_msg_decode(p, M.n, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &r1, NULL), 0);
  size_t need = 0, got = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *out = out_area(need);
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, out, need, &got), 0);
  smbw_msg_decode(out, got, &msg, NULL);
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_tree_connect_andx_req_decode(&b, &r2, NULL), 0);
  ck_assert_msg(!r1.path.data == !r2.path.data && !r1.service.data == !r2.service.data &&
                got == M.n,
                "Path %s -> %s, Service %s -> %s, %zu -> %zu bytes",
                r1.path.data ? "present" : "absent", r2.path.data ? "present" : "absent",
                r1.service.data ? "present" : "absent", r2.service.data ? "present" : "absent",
                M.n, got);
}
END_TEST

START_TEST(bug_read_andx_rsp_data_offset_0_pad) {
  /* fuzz/regressions/message-readandx-data-offset-0-pad-moves-next-block
     (fuzz_message): a Unicode READ_ANDX response with no data, DataOffset
     0 and ByteCount 39, chained to a SESSION_SETUP_ANDX response at 98.
     The encoder took DataOffset 0 for "default placement" and wrote a pad
     byte to reach an even offset (DataOffset 60) before the 39 bytes: the
     next block moved from 98 to 99, its Unicode alignment flipped, and a
     pad byte read back as NativeOS.  Fixed: with no data the encoder
     writes DataOffset as given, 0 included, and adds no pad. */
  static const uint8_t msg[] = {
      0xff, 0x53, 0x4d, 0x42, 0x2e, 0x52, 0x00, 0x00, 0x00, 0x88, 0x00, 0x83, 0x00, 0x00,
      0x20, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
      0xff, 0xff, 0xff, 0x75, 0x0c, 0x73, 0x6d, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00, 0x73,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x27, 0x00, 0x00, 0x75, 0x0c, 0x73, 0x6d, 0x62, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x73, 0x00, 0x00, 0x00, 0x00, 0xf9, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
      0x00, 0x00, 0x27, 0x00, 0x03, 0x03, 0x09, 0x00, 0x00, 0x03, 0x03, 0x00, 0x04, 0x02,
      0x03, 0xff, 0x53, 0x4d, 0x3b, 0x73, 0x00, 0x01, 0x00, 0x00, 0x18, 0x00, 0x00, 0x00,
      0x00};
  memcpy(M.b, msg, sizeof msg);
  M.n = sizeof msg;
  /* The input is what the report says it is. */
  guards_init();
  const uint8_t *p = guard_place(&g_smb, M.b, M.n);
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  smbw_read_andx_rsp r;
  ck_assert_int_eq(smbw_msg_decode(p, M.n, &m, NULL), 0);
  smbw_andx_iter_init(&it, &m);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
  ck_assert_int_eq(smbw_read_andx_rsp_decode(&b, &r, NULL), 0);
  ck_assert_uint_eq(r.data_offset, 0);
  ck_assert_uint_eq(r.data.len, 0);
  ck_assert_uint_eq(b.bcc, 39);
  ck_assert_uint_eq(r.andx.command, SMBW_COM_SESSION_SETUP_ANDX);
  ck_assert_uint_eq(r.andx.offset, 98);
  /* decode -> encode -> decode gives the same fields (DataOffset too) */
  static txt a, t;
  ck_assert_int_eq(roundtrip_text(&M, &a, &t), 0);
  ck_assert_msg(a.n == t.n && memcmp(a.b, t.b, a.n) == 0,
                "decode-encode-decode differs:\n%.*s----\n%.*s", (int)a.n, a.b, (int)t.n, t.b);
  /* and the READ_ANDX block comes back byte for byte, the next block at
     the same offset */
  size_t need = 0, got = 0;
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, NULL, 0, &need), SMBW_E_NOSPACE);
  uint8_t *o = out_area(need);
  ck_assert_int_eq(reencode_msg(p, M.n, SMBW_FRAMING_NONE, o, need, &got), 0);
  ck_assert_uint_ge(got, 98);
  for (size_t i = 0; i < 98; i++)
    ck_assert_msg(o[i] == msg[i], "re-encode differs at %zu: %02x, was %02x", i, o[i], msg[i]);
}
END_TEST

/* ---- main ------------------------------------------------------------- */

int main(void) {
  find_files();
  Suite *s = suite_create("hostile");
  TCase *tg = tcase_create("golden");
  tcase_set_timeout(tg, 1200);
  if (nfiles) tcase_add_loop_test(tg, golden_mutations, 0, nfiles);
  suite_add_tcase(s, tg);

  add_tcase(s, "andx", 0, TESTS(andx_self_reference, andx_two_block_loop, andx_backward_and_overlap,
                                andx_terminated_with_garbage, andx_long_chains,
                                andx_short_and_empty, andx_nt_create_50_words));

  add_tcase(s, "counts", 300, TESTS(counts_wct_bcc_overrun, counts_every_wct,
                                    counts_lengths_past_data));

  add_tcase(s, "overflow", 0, TESTS(overflow_read_andx, overflow_lengths_near_ffff));

  add_tcase(s, "strings", 0, TESTS(strings_odd_unterminated_utf16, strings_oem_unterminated));

  add_tcase(s, "nbss", 300, TESTS(nbss_lengths, nbss_keepalive_stream,
                                  nbss_session_request_hostile));

  add_tcase(s, "advisories", 0, TESTS(advisory_samba_andx_chain, advisory_zeek_dialect_index,
                                      advisory_smbloris, advisory_read_length_past_packet,
                                      advisory_offset_wraparound, advisory_zeek_read_pad));

  add_tcase(s, "trans", 600, TESTS(trans_totals_change, trans_displacement_past_total,
                                   trans_eternalblue_type_confusion, trans_nt_counts_near_2_32,
                                   trans_offset_16bit_overflow, trans_offsets_into_words_header,
                                   trans_overlapping_params_data, trans_setup_count_lies,
                                   trans_zero_length_fragments, trans_too_many_fragments,
                                   trans_duplicate_fragment, trans_real_mutations));

  add_tcase(s, "bugs", 0, TESTS(bug_utf8_to_utf16le_null_dst, bug_negotiate_rsp_absent_domain,
                                bug_encoders_absent_before_present,
                                bug_tree_connect_string_size_wrap,
                                bug_read_andx_data_past_next_block,
                                bug_nt_create_42_words_reencoded_as_50,
                                bug_tree_connect_lone_byte_absent_path,
                                bug_nt_create_50_words_over_next_block,
                                bug_nt_create_42_words_ending_message_read_as_50,
                                bug_read_andx_rsp_data_offset_0_pad));

  int rc = run_suite(s);
  for (int i = 0; i < nfiles; i++) free(files[i]);
  return rc;
}
