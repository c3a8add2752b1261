/*
 * test_parse.c - the one-call parse (include/smbwire/parse.h) against the
 * three calls it replaces.
 *
 * The reference is smbw_nbss_frame() + smbw_msg_decode() + a loop of
 * smbw_andx_iter_next().  For every golden message and, for the first
 * message of each shape in a file, every prefix of it, every cut of its SMB
 * message (re-framed with the cut length, as a sender that cut it would
 * frame it) and single-byte mutations of its first 160 bytes
 * (SMBW_HOSTILE_STRIDE=N thins these to every Nth), the strict parse must
 * return what the reference returns: the same packet length or the same
 * error code, offset and field, and the same blocks.  The lenient parse
 * must agree where the reference succeeds, fail where it fails before the
 * chain, and otherwise return the blocks before the error with the error
 * in chain_error, or the block whose ByteCount runs past the end, flagged
 * truncated.  The typed parse (smbw_parse_typed_(), form.h) of the first
 * block's type must agree with the walk's first step and smbw_decode_(),
 * and write nothing when it fails.  Every input is placed against a
 * guard page.  Then the corners: block array too small (NOSPACE and the
 * count), the callers' struct sizes, packets that are not messages.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

#define MAXB 64

typedef struct ref_result {
  int rc;          /* packet length, 0, or the error */
  int chain;       /* the error came from the AndX walk */
  smbw_error e;
  size_t need;
  smbw_nbss f;
  smbw_msg m;
  uint32_t n;      /* blocks the walk returned before its end or error */
  smbw_block b[MAXB];
} ref_result;

static void reference(const uint8_t *buf, size_t len, int framing, ref_result *r) {
  memset(r, 0, sizeof *r);
  r->rc = smbw_nbss_frame(buf, len, framing, &r->f, &r->need, &r->e);
  if (r->rc <= 0 || r->f.type != SMBW_NBSS_SESSION_MESSAGE) return;
  int total = r->rc;
  int rc = smbw_msg_decode(r->f.payload, r->f.length, &r->m, &r->e);
  if (rc) {
    r->rc = rc;
    return;
  }
  smbw_andx_iter it;
  smbw_andx_iter_init(&it, &r->m);
  smbw_block blk;
  while ((rc = smbw_andx_iter_next(&it, &blk, &r->e)) == 1) {
    if (r->n < MAXB) r->b[r->n] = blk;
    r->n++;
  }
  if (rc < 0) {
    r->rc = rc;
    r->chain = 1;
    return;
  }
  r->rc = total;
}

static int same_block(const smbw_block *a, const smbw_block *b) {
  return a->msg == b->msg && a->msg_len == b->msg_len && a->offset == b->offset &&
         a->words == b->words && a->bytes == b->bytes && a->bcc == b->bcc && a->wct == b->wct &&
         a->nwords == b->nwords && a->command == b->command && a->flags == b->flags &&
         a->index == b->index && a->flags2 == b->flags2 && a->status == b->status &&
         a->andx_command == b->andx_command && a->andx_offset == b->andx_offset &&
         a->truncated == b->truncated;
}

static int same_err(const smbw_error *a, const smbw_error *b) {
  return a->code == b->code && a->offset == b->offset && a->field && b->field &&
         strcmp(a->field, b->field) == 0;
}

static unsigned long checked, lenient_cut, lenient_chain;
static unsigned long typed_checked;
static const size_t type_size[] = {
#define X_SIZE(id, name, cmd, reply) sizeof(smbw_##name),
    SMBW_TYPE_LIST(X_SIZE)
#undef X_SIZE
};

/* The one-call typed parse (form.h) of the first block's type, against the
   same reference: the framer's and the header's result, then the walk's
   first step and smbw_decode_() of the first block; nothing written on
   failure. */
static void check_typed(const uint8_t *buf, size_t len, int framing, const ref_result *r,
                        const char *what) {
  if (len < 4 + 14) return;
  int type = smbw_type_of(buf[4 + 4], (buf[4 + 9] & SMBW_FLAGS_REPLY) != 0);
  if (type < 0) return;
  static uint8_t out[2048], before[2048], ref[2048];
  memset(out, 0xA5, sizeof out);
  memcpy(before, out, sizeof out);
  smbw_msg m, m0;
  memset(&m, 0x5A, sizeof m);
  m0 = m;
  size_t need = 0;
  smbw_error e = {0, 0, NULL};
  size_t size = type_size[type];
  int rc = smbw_parse_typed_(buf, len, framing, type, &m, out, size, &need, &e);
  typed_checked++;
  int want = r->rc;
  smbw_error we = r->e;
  if (r->rc > 0 && r->f.type == SMBW_NBSS_SESSION_MESSAGE && r->n == 0) want = SMBW_E_INVAL;
  if (r->chain || (r->rc > 0 && r->f.type == SMBW_NBSS_SESSION_MESSAGE)) {
    /* the walk's first step failed, or the first block's AndXOffset */
    if (r->chain && r->n == 0) want = r->rc;
    else if (r->chain && r->n == 1 && r->e.offset == SMBW_HEADER_SIZE + 3u &&
             strcmp(r->e.field, "AndXOffset") == 0)
      want = r->rc;
    else {
      memset(ref, 0xA5, sizeof ref);
      smbw_error de = {0, 0, NULL};
      int d = smbw_decode_(&r->b[0], type, ref, size, &de);
      want = d ? d : (int)(4u + r->f.length);
      if (d) we = de;
    }
  }
  ck_assert_msg(rc == want, "%s: typed parse %d, reference %d", what, rc, want);
  if (rc == 0) ck_assert_msg(need == r->need, "%s: typed need %zu, reference %zu", what, need, r->need);
  if (rc < 0) {
    ck_assert_msg(same_err(&e, &we), "%s: typed %s at %u (%s), reference at %u (%s)", what,
                  smbw_errname(rc), e.offset, e.field, we.offset, we.field);
  }
  if (rc <= 0) {
    ck_assert_msg(memcmp(out, before, sizeof out) == 0 && memcmp(&m, &m0, sizeof m) == 0,
                  "%s: typed parse wrote its output on failure", what);
    return;
  }
  if (r->f.type != SMBW_NBSS_SESSION_MESSAGE) {
    ck_assert(m.data == NULL && m.len == 0);
    return;
  }
  const smbw_header *h = &m.hdr, *g = &r->m.hdr;
  ck_assert(m.data == r->m.data && m.len == r->m.len && h->command == g->command &&
            h->status == g->status && h->flags == g->flags && h->flags2 == g->flags2 &&
            h->pid_high == g->pid_high && memcmp(h->signature, g->signature, 8) == 0 &&
            h->reserved == g->reserved && h->tid == g->tid && h->pid_low == g->pid_low &&
            h->uid == g->uid && h->mid == g->mid);
  ck_assert_msg(memcmp(out, ref, sizeof out) == 0, "%s: typed parse decoded differently", what);
}


/* Strict and lenient parse of one input against the reference. */
static void check_one(const uint8_t *buf, size_t len, int framing, const char *what) {
  ref_result *r = malloc(sizeof *r);
  ck_assert_ptr_nonnull(r);
  reference(buf, len, framing, r);
  smbw_parsed p;
  smbw_block b[MAXB];
  size_t need = 0;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_parse(buf, len, framing, SMBW_PARSE_STRICT, &p, b, MAXB, &need, &e);
  checked++;
  check_typed(buf, len, framing, r, what);
  if (r->n > MAXB) { /* a mutation made a longer chain than the array */
    ck_assert_int_eq(rc, r->rc > 0 ? SMBW_E_NOSPACE : r->rc);
    free(r);
    return;
  }
  ck_assert_msg(rc == r->rc, "%s: strict parse %d, reference %d", what, rc, r->rc);
  if (rc == 0) ck_assert_msg(need == r->need, "%s: need %zu, reference %zu", what, need, r->need);
  if (rc < 0)
    ck_assert_msg(same_err(&e, &r->e), "%s: %s at %u (%s), reference at %u (%s)", what,
                  smbw_errname(rc), e.offset, e.field, r->e.offset, r->e.field);
  if (rc > 0) {
    ck_assert(p.frame.type == r->f.type && p.frame.length == r->f.length &&
              p.frame.payload == r->f.payload && p.frame.flags == r->f.flags);
    ck_assert_uint_eq(p.nblocks, r->n);
    ck_assert_int_eq(p.chain_error, 0);
    if (r->f.type == SMBW_NBSS_SESSION_MESSAGE) {
      ck_assert(p.msg.data == r->m.data && p.msg.len == r->m.len &&
                memcmp(&p.msg.hdr, &r->m.hdr, sizeof p.msg.hdr) == 0);
      for (uint32_t i = 0; i < p.nblocks && i < MAXB; i++)
        ck_assert_msg(same_block(&b[i], &r->b[i]), "%s: block %u differs", what, i);
    } else {
      ck_assert(p.msg.data == NULL && p.msg.len == 0 && p.nblocks == 0);
    }
  }

  /* Lenient. */
  smbw_parsed q;
  smbw_block c[MAXB];
  smbw_error e2 = {0, 0, NULL};
  int rc2 = smbw_parse(buf, len, framing, SMBW_PARSE_LENIENT, &q, c, MAXB, &need, &e2);
  if (r->rc >= 0 || !r->chain) {
    ck_assert_msg(rc2 == rc, "%s: lenient %d, strict %d", what, rc2, rc);
    if (rc2 < 0) ck_assert(same_err(&e2, &e));
    if (rc2 > 0) {
      ck_assert(q.nblocks == p.nblocks && q.chain_error == 0);
      for (uint32_t i = 0; i < q.nblocks && i < MAXB; i++) ck_assert(same_block(&c[i], &b[i]));
    }
  } else if (r->rc == SMBW_E_BCC_OVERRUN && rc2 > 0 && q.chain_error == SMBW_E_ANDX_SHORT) {
    /* A cut AndX block with one word: too short for its AndX fields. */
    ck_assert_uint_eq(q.nblocks, r->n);
    ck_assert_uint_eq(q.chain_err.offset + 3u, r->e.offset);
    lenient_chain++;
  } else if (r->rc == SMBW_E_BCC_OVERRUN) {
    /* The block whose ByteCount runs past the end comes back cut. */
    ck_assert_msg(rc2 > 0, "%s: lenient %d on a cut block", what, rc2);
    ck_assert_uint_eq(q.nblocks, r->n + 1);
    ck_assert_int_eq(q.chain_error, 0);
    for (uint32_t i = 0; i < r->n && i < MAXB; i++) ck_assert(same_block(&c[i], &r->b[i]));
    const smbw_block *t = &c[r->n];
    ck_assert(t->truncated == 1);
    ck_assert(t->bytes + t->bcc == q.msg.data + q.msg.len);
    ck_assert_uint_lt(t->bcc, (unsigned)(t->bytes[-2] | t->bytes[-1] << 8));
    lenient_cut++;
  } else {
    ck_assert_msg(rc2 > 0, "%s: lenient %d on a chain error", what, rc2);
    ck_assert_uint_eq(q.nblocks, r->n);
    ck_assert_int_eq(q.chain_error, r->rc);
    ck_assert(same_err(&q.chain_err, &r->e));
    for (uint32_t i = 0; i < r->n && i < MAXB; i++) ck_assert(same_block(&c[i], &r->b[i]));
    lenient_chain++;
  }
  free(r);
}

#define MAX_FILES 256
static char *files[MAX_FILES];
static int nfiles;

/* SMBW_HOSTILE_STRIDE=N (valgrind, the cross builds): every Nth input. */
static unsigned long stride(void) {
  const char *s = getenv("SMBW_HOSTILE_STRIDE");
  unsigned long v = s ? strtoul(s, NULL, 10) : 1;
  return v ? v : 1;
}

/* Command, direction and first WordCount: messages of one shape take the
   same paths; only the first of each shape in a file is cut and mutated. */
static uint32_t shape_of(const uint8_t *p, size_t n) {
  if (n < 4 + 33) return p[0];
  return (uint32_t)p[0] | (uint32_t)p[4 + 4] << 8 | (uint32_t)(p[4 + 9] & 0x80) << 16 |
         (uint32_t)p[4 + 32] << 24;
}

START_TEST(golden_agrees) {
  vec_file vf;
  ck_assert_int_eq(vec_load(files[_i], &vf), 0);
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, 1 << 18), 0);
  static uint8_t work[1 << 18];
  static uint32_t seen[4096];
  size_t nseen = 0;
  unsigned long k = 0, every = stride();
  for (size_t i = 0; i < vf.n; i++) {
    const vec_msg *m = &vf.msgs[i];
    if (m->len > sizeof work - 8) continue;
    int fr = m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
    char what[128];
    snprintf(what, sizeof what, "%s frame %u", files[_i], m->frame);
    check_one(guard_place(&g, m->bytes, m->len), m->len, fr, what);
    uint32_t shape = shape_of(m->bytes, m->len);
    size_t j = 0;
    while (j < nseen && seen[j] != shape) j++;
    if (j < nseen) continue;
    if (nseen < sizeof seen / sizeof seen[0]) seen[nseen++] = shape;
    /* Every prefix (sampled past 512 bytes): more bytes needed. */
    for (size_t t = 0; t < m->len; t = t < 512 ? t + 1 : t + 97)
      if (k++ % every == 0) check_one(guard_place(&g, m->bytes, t), t, fr, what);
    if (m->len <= 4 + 32 || m->bytes[0] != 0) continue;
    /* Every cut of the SMB message, framed with its new length. */
    for (size_t t = 32; t < m->len - 4; t = t < 600 ? t + 1 : t + 211) {
      if (k++ % every) continue;
      memcpy(work, m->bytes, 4 + t);
      work[1] = (uint8_t)(t >> 16);
      work[2] = (uint8_t)(t >> 8);
      work[3] = (uint8_t)t;
      check_one(guard_place(&g, work, 4 + t), 4 + t, fr, what);
    }
    /* Single-byte mutations of the header and the first blocks. */
    memcpy(work, m->bytes, m->len);
    static const uint8_t vals[] = {0x00, 0x01, 0x02, 0x0C, 0x2A, 0x7F, 0x80, 0xFE, 0xFF};
    for (size_t pos = 4; pos < m->len && pos < 160; pos++) {
      uint8_t orig = work[pos];
      for (size_t v = 0; v < sizeof vals; v++) {
        if (vals[v] == orig || k++ % every) continue;
        work[pos] = vals[v];
        check_one(guard_place(&g, work, m->len), m->len, fr, what);
      }
      work[pos] = orig;
    }
  }
  guard_free(&g);
  vec_free(&vf);
}
END_TEST

/* A READ_ANDX request chained to a CLOSE: two blocks. */
static size_t two_blocks(uint8_t *p) {
  memset(p, 0, 128);
  uint8_t *s = p + 4;
  memcpy(s, "\xffSMB", 4);
  s[4] = SMBW_COM_READ_ANDX;
  s[9] = 0x18;
  size_t o = 32;
  s[o] = 10;               /* WordCount */
  s[o + 1] = SMBW_COM_CLOSE;
  s[o + 3] = (uint8_t)(o + 1 + 20 + 2); /* AndXOffset: right after */
  o += 1 + 20 + 2;         /* ByteCount 0 */
  s[o] = 3;                /* CLOSE: 3 words, ByteCount 0 */
  o += 1 + 6 + 2;
  p[3] = (uint8_t)o;
  return 4 + o;
}

START_TEST(too_few_blocks) {
  uint8_t pkt[128];
  size_t n = two_blocks(pkt);
  smbw_parsed p;
  smbw_block b[2];
  size_t need = 0;
  smbw_error e;
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, b, 2, &need, &e), (int)n);
  ck_assert_uint_eq(p.nblocks, 2);
  ck_assert_uint_eq(b[1].command, SMBW_COM_CLOSE);
  ck_assert_uint_eq(b[1].index, 1);
  memset(&p, 0xA5, sizeof p);
  smbw_parsed before = p;
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, b, 1, &need, &e),
                   SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, 2);
  ck_assert_str_eq(e.field, "blocks");
  ck_assert(memcmp(&p, &before, sizeof p) == 0); /* untouched on failure */
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, SMBW_PARSE_LENIENT, &p, b, 1, &need, &e),
                   SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, NULL, 0, &need, &e),
                   SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, 2);
}
END_TEST

/* A caller compiled against a later header, whose structs are larger. */
typedef struct {
  smbw_block b;
  uint64_t later[3];
} big_block;
typedef struct {
  smbw_parsed p;
  uint64_t later[5];
} big_parsed;

START_TEST(caller_sizes) {
  uint8_t pkt[128];
  size_t n = two_blocks(pkt);
  big_parsed bp;
  big_block bb[3];
  memset(&bp, 0xA5, sizeof bp);
  memset(bb, 0xA5, sizeof bb);
  size_t need;
  smbw_error e;
  ck_assert_int_eq(smbw_parse_(pkt, n, SMBW_FRAMING_DIRECT, 0, &bp.p, sizeof bp, &bb[0].b,
                               sizeof bb[0], 3, &need, &e),
                   (int)n);
  ck_assert_uint_eq(bp.p.nblocks, 2);
  for (int i = 0; i < 5; i++) ck_assert(bp.later[i] == 0);
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < 3; i++) ck_assert(bb[k].later[i] == 0);
  ck_assert_uint_eq(bb[1].b.command, SMBW_COM_CLOSE);
  ck_assert(bb[2].later[0] == 0xA5A5A5A5A5A5A5A5ull); /* past nblocks: untouched */
  /* The same blocks as with our own size. */
  smbw_parsed p;
  smbw_block b[2];
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, b, 2, &need, &e), (int)n);
  ck_assert(same_block(&b[0], &bb[0].b) && same_block(&b[1], &bb[1].b));
  /* Smaller than the 0.1 structs, NULL arguments, unknown options. */
  ck_assert_int_eq(smbw_parse_(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, sizeof p - 1, b, sizeof *b, 2,
                               &need, &e),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse_(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, sizeof p, b, sizeof *b - 1, 2,
                               &need, &e),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, NULL, b, 2, &need, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 0, &p, NULL, 2, &need, &e),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_DIRECT, 2, &p, b, 2, &need, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse(pkt, n, SMBW_FRAMING_NONE, 0, &p, b, 2, &need, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_parse(NULL, 4, SMBW_FRAMING_DIRECT, 0, &p, b, 2, &need, &e), SMBW_E_INVAL);
}
END_TEST

START_TEST(not_messages) {
  smbw_parsed p;
  smbw_block b[1];
  size_t need = 0;
  smbw_error e;
  static const uint8_t keepalive[] = {0x85, 0, 0, 0}, positive[] = {0x82, 0, 0, 0};
  ck_assert_int_eq(smbw_parse(keepalive, 4, SMBW_FRAMING_NBT, 0, &p, NULL, 0, &need, &e), 4);
  ck_assert_uint_eq(p.frame.type, SMBW_NBSS_KEEPALIVE);
  ck_assert(p.msg.data == NULL && p.nblocks == 0);
  ck_assert_int_eq(smbw_parse(keepalive, 4, SMBW_FRAMING_DIRECT, 0, &p, b, 1, &need, &e), 4);
  ck_assert_int_eq(smbw_parse(positive, 4, SMBW_FRAMING_NBT, 0, &p, b, 1, &need, &e), 4);
  ck_assert_int_eq(smbw_parse(positive, 4, SMBW_FRAMING_DIRECT, 0, &p, b, 1, &need, &e),
                   SMBW_E_NBSS_TYPE);
  /* An SMB2 message on port 445: not ours. */
  static const uint8_t smb2[] = {0, 0, 0, 32, 0xFE, 'S', 'M', 'B', 64, 0, 0, 0, 0, 0, 0, 0,
                                 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  ck_assert_int_eq(smbw_parse(smb2, sizeof smb2, SMBW_FRAMING_DIRECT, SMBW_PARSE_LENIENT, &p, b, 1,
                              &need, &e),
                   SMBW_E_HDR_PROTOCOL);
  ck_assert_uint_eq(e.offset, 0);
  /* Two packets in the buffer: the first is returned, and its length. */
  uint8_t two[8];
  memcpy(two, keepalive, 4);
  memcpy(two + 4, keepalive, 4);
  ck_assert_int_eq(smbw_parse(two, 8, SMBW_FRAMING_NBT, 0, &p, b, 1, &need, &e), 4);
}
END_TEST

int main(void) {
  nfiles = vec_list(files, MAX_FILES);
  Suite *s = suite_create("parse");
  TCase *tg = tcase_create("golden");
  tcase_set_timeout(tg, 600);
  if (nfiles) tcase_add_loop_test(tg, golden_agrees, 0, nfiles);
  suite_add_tcase(s, tg);
  add_tcase(s, "corners", 0, TESTS(too_few_blocks, caller_sizes, not_messages));
  int rc = run_suite_fork(s, CK_NOFORK);
  printf("parse: %lu inputs agree with frame + header + AndX walk (%d files); lenient: %lu cut "
         "blocks returned, %lu chains ended early; typed parse: %lu inputs agree with the walk's "
         "first block + smbw_decode_()\n",
         checked, nfiles, lenient_cut, lenient_chain, typed_checked);
  return rc;
}
