/*
 * test_dgram_asm.c - the datagram fragment reassembler (smbw_dgram_asm_*,
 * include/smbwire/dgram.h).  No public capture holds a fragmented
 * datagram; our recording (tests/framing/dgram.vec, made by
 * tests/golden/record_dgram.sh, whose Python builds the packets without
 * smbwire) holds one datagram in two fragments, reassembled here as
 * recorded.  The other inputs are its whole mailslot datagrams, each split into
 * fragments by smbw_dgram_encode() and decoded back with
 * smbw_dgram_decode(): in order, reversed and shuffled, the whole comes
 * back byte for byte and its SMB decodes.  Then the hostile shapes: a
 * fragment that overlaps, repeats, leaves a gap, lies past the end or past
 * the buffer, a second last fragment, other keys (DGM_ID, IP, port, names,
 * type), FIRST flags that lie, more than eight pieces; each refused with
 * its code, field and offset, leaving the reassembler unchanged and the
 * bytes around the caller's buffer untouched.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "vec.h"

static const vec_file *vecs(void) { return vec_data("framing/dgram.vec", 64); }

/* The longest recorded DIRECT/BROADCAST datagram that carries a whole SMB. */
static const vec_msg *longest(smbw_dgram *d) {
  const vec_file *vf = vecs();
  const vec_msg *best = NULL;
  for (size_t i = 0; i < vf->n; i++) {
    smbw_dgram t;
    ck_assert_int_eq(smbw_dgram_decode(vf->msgs[i].bytes, vf->msgs[i].len, &t, NULL), 0);
    if (t.type > SMBW_DGRAM_BROADCAST || t.offset || (t.flags & SMBW_DGRAM_FLAG_MORE)) continue;
    if (!best || vf->msgs[i].len > best->len) {
      best = &vf->msgs[i];
      *d = t;
    }
  }
  ck_assert_ptr_nonnull(best);
  ck_assert_uint_ge(d->data.len, 100);
  return best;
}

/* Fragment k of n (cut at cuts[k] .. cuts[k+1]) of whole, as wire bytes
   in out (cap bytes), decoded into f. */
static void make_frag(const smbw_dgram *whole, const uint32_t *cuts, unsigned k, unsigned n,
                      uint8_t *out, size_t cap, smbw_dgram *f) {
  smbw_dgram p = *whole;
  p.offset = (uint16_t)cuts[k];
  p.data.data = whole->data.data + cuts[k];
  p.data.len = cuts[k + 1] - cuts[k];
  p.flags = (uint8_t)((whole->flags & SMBW_DGRAM_FLAG_SNT_MASK) |
                      (k == 0 ? SMBW_DGRAM_FLAG_FIRST : 0) |
                      (k + 1 < n ? SMBW_DGRAM_FLAG_MORE : 0));
  size_t len = 0;
  ck_assert_int_eq(smbw_dgram_encode(out, cap, &p, &len), 0);
  ck_assert_int_eq(smbw_dgram_decode(out, len, f, NULL), 0);
  ck_assert_uint_eq(f->offset, cuts[k]);
  ck_assert_uint_eq(f->data.len, p.data.len);
}

#define GUARD 16u
#define FR 16u

typedef struct setup {
  smbw_dgram whole;
  const vec_msg *m;
  uint8_t wire[FR][1024];
  smbw_dgram f[FR];
  uint32_t cuts[FR + 1];
  unsigned n;
  uint8_t mem[GUARD + 2048 + GUARD];
  smbw_dgram_asm a;
} setup;

/* Split the longest datagram into n pieces of about equal size. */
static void split(setup *s, unsigned n) {
  s->m = longest(&s->whole);
  s->n = n;
  uint32_t L = s->whole.data.len;
  for (unsigned k = 0; k <= n; k++) s->cuts[k] = (uint32_t)((uint64_t)L * k / n);
  for (unsigned k = 0; k < n; k++)
    make_frag(&s->whole, s->cuts, k, n, s->wire[k], sizeof s->wire[k], &s->f[k]);
  memset(s->mem, 0xA5, sizeof s->mem);
  ck_assert_int_eq(smbw_dgram_asm_init(&s->a, s->mem + GUARD, s->whole.data.len), 0);
}

static void guards_intact(const setup *s) {
  for (unsigned i = 0; i < GUARD; i++) ck_assert_uint_eq(s->mem[i], 0xA5);
  for (size_t i = GUARD + s->whole.data.len; i < sizeof s->mem; i++)
    ck_assert_uint_eq(s->mem[i], 0xA5);
}

static void check_whole(setup *s) {
  ck_assert_uint_eq(s->a.done, 1);
  ck_assert_uint_eq(s->a.last, 1);
  ck_assert_uint_eq(s->a.total, s->whole.data.len);
  ck_assert_ptr_eq(s->a.data.data, s->mem + GUARD);
  ck_assert_uint_eq(s->a.data.len, s->whole.data.len);
  ck_assert_mem_eq(s->a.data.data, s->whole.data.data, s->whole.data.len);
  ck_assert_uint_eq(s->a.id, s->whole.id);
  ck_assert_uint_eq(s->a.src_ip, s->whole.src_ip);
  ck_assert_uint_eq(s->a.src_port, s->whole.src_port);
  ck_assert_uint_eq(s->a.type, s->whole.type);
  ck_assert_mem_eq(s->a.source, s->whole.source.name, 16);
  ck_assert_mem_eq(s->a.destination, s->whole.destination.name, 16);
  ck_assert_uint_eq(s->a.flags & SMBW_DGRAM_FLAG_FIRST, SMBW_DGRAM_FLAG_FIRST);
  guards_intact(s);
  /* The mailslot SMB inside decodes, with the name tshark gave. */
  smbw_msg msg;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(smbw_msg_decode(s->a.data.data, s->a.data.len, &msg, &err), 0);
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &msg);
  ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &err), 1);
  smbw_trans_req t;
  ck_assert_int_eq(smbw_trans_req_decode(&b, &t, &err), 0);
  const char *slot = vec_get(s->m, "mailslot.name");
  ck_assert_ptr_nonnull(slot);
  ck_assert_uint_eq(t.name.len, strlen(slot));
  ck_assert_mem_eq(t.name.data, slot, t.name.len);
}

static int add(setup *s, unsigned k, smbw_error *e) { return smbw_dgram_asm_add(&s->a, &s->f[k], e); }

START_TEST(test_in_order) {
  static setup s;
  for (unsigned n = 1; n <= 8; n++) {
    split(&s, n);
    for (unsigned k = 0; k < n; k++) {
      ck_assert_int_eq(smbw_dgram_asm_match(&s.a, &s.f[k]), k > 0);
      ck_assert_int_eq(add(&s, k, NULL), k + 1 == n ? 1 : 0);
    }
    ck_assert_uint_eq(s.a.fragments, n);
    check_whole(&s);
    /* complete: nothing more is taken */
    smbw_error e = {0, 0, NULL};
    ck_assert_int_eq(add(&s, 0, &e), SMBW_E_STATE);
  }
}
END_TEST

START_TEST(test_reversed_and_shuffled) {
  static setup s;
  split(&s, 8);
  for (unsigned k = 8; k-- > 0;) ck_assert_int_eq(add(&s, k, NULL), k == 0 ? 1 : 0);
  check_whole(&s);
  static const unsigned order[8] = {5, 1, 7, 3, 0, 6, 2, 4};
  split(&s, 8);
  for (unsigned i = 0; i < 8; i++) ck_assert_int_eq(add(&s, order[i], NULL), i == 7 ? 1 : 0);
  check_whole(&s);
}
END_TEST

/* Refused with code, field and offset; the reassembler and the buffer are
   as before. */
static void refused(setup *s, const smbw_dgram *f, int code, const char *field, uint32_t off) {
  smbw_dgram_asm before = s->a;
  uint8_t mem[sizeof s->mem];
  memcpy(mem, s->mem, sizeof mem);
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_dgram_asm_add(&s->a, f, &e), code);
  ck_assert_int_eq(e.code, code);
  ck_assert_str_eq(e.field, field);
  ck_assert_uint_eq(e.offset, off);
  ck_assert_mem_eq(&before, &s->a, sizeof before);
  ck_assert_mem_eq(mem, s->mem, sizeof mem);
}

START_TEST(test_overlap_duplicate) {
  static setup s;
  split(&s, 4);
  ck_assert_int_eq(add(&s, 1, NULL), 0);
  refused(&s, &s.f[1], SMBW_E_TRANS_OVERLAP, "PACKET_OFFSET", 12); /* the same again */
  /* one byte into fragment 1, from fragment 0's side */
  smbw_dgram o = s.f[0];
  o.data.len++;
  refused(&s, &o, SMBW_E_TRANS_OVERLAP, "PACKET_OFFSET", 12);
  /* a middle piece inside fragment 1 */
  o = s.f[1];
  o.offset = (uint16_t)(o.offset + 3);
  o.data.len = 2;
  refused(&s, &o, SMBW_E_TRANS_OVERLAP, "PACKET_OFFSET", 12);
  /* the rest still completes */
  ck_assert_int_eq(add(&s, 0, NULL), 0);
  ck_assert_int_eq(add(&s, 3, NULL), 0);
  ck_assert_int_eq(add(&s, 2, NULL), 1);
  check_whole(&s);
}
END_TEST

START_TEST(test_gap_never_completes) {
  static setup s;
  split(&s, 4);
  ck_assert_int_eq(add(&s, 0, NULL), 0);
  ck_assert_int_eq(add(&s, 1, NULL), 0);
  ck_assert_int_eq(add(&s, 3, NULL), 0); /* the last, fragment 2 missing */
  ck_assert_uint_eq(s.a.last, 1);
  ck_assert_uint_eq(s.a.done, 0);
  ck_assert_ptr_null(s.a.data.data);
  ck_assert_uint_eq(s.a.total, s.whole.data.len);
  /* a piece of the gap, one byte short, is taken but does not complete */
  smbw_dgram p = s.f[2];
  p.data.len--;
  ck_assert_int_eq(smbw_dgram_asm_add(&s.a, &p, NULL), 0);
  ck_assert_uint_eq(s.a.done, 0);
  /* the missing byte completes it */
  p.offset = (uint16_t)(s.cuts[3] - 1);
  p.data.data = s.whole.data.data + p.offset;
  p.data.len = 1;
  ck_assert_int_eq(smbw_dgram_asm_add(&s.a, &p, NULL), 1);
  check_whole(&s);
}
END_TEST

START_TEST(test_past_the_end) {
  static setup s;
  split(&s, 4);
  ck_assert_int_eq(add(&s, 3, NULL), 0); /* total now known */
  smbw_dgram p = s.f[2];
  p.data.len += 1; /* reaches one byte into the last: overlap */
  refused(&s, &p, SMBW_E_TRANS_OVERLAP, "PACKET_OFFSET", 12);
  p = s.f[1];
  p.offset = (uint16_t)(s.whole.data.len); /* starts at the end, M set */
  p.data.len = 1;
  refused(&s, &p, SMBW_E_TRANS_DISPLACEMENT, "PACKET_OFFSET", 12);
  /* a second last fragment, anywhere */
  refused(&s, &s.f[3], SMBW_E_TRANS_TOTAL, "PACKET_OFFSET", 12);
  p = s.f[0];
  p.flags &= (uint8_t)~SMBW_DGRAM_FLAG_MORE;
  refused(&s, &p, SMBW_E_TRANS_TOTAL, "PACKET_OFFSET", 12);
  /* a last fragment that ends before bytes received */
  split(&s, 4);
  ck_assert_int_eq(add(&s, 2, NULL), 0);
  p = s.f[1];
  p.flags &= (uint8_t)~SMBW_DGRAM_FLAG_MORE;
  refused(&s, &p, SMBW_E_TRANS_TOTAL, "PACKET_OFFSET", 12);
  /* past the caller's buffer: offset 0xFFFF */
  p = s.f[1];
  p.offset = 0xFFFF;
  refused(&s, &p, SMBW_E_NOSPACE, "PACKET_OFFSET", 12);
  guards_intact(&s);
}
END_TEST

START_TEST(test_other_keys) {
  static setup s;
  split(&s, 3);
  ck_assert_int_eq(add(&s, 0, NULL), 0);
  smbw_dgram p = s.f[1];
  p.id++;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "DGM_ID", 2);
  ck_assert_int_eq(smbw_dgram_asm_match(&s.a, &p), 0);
  p = s.f[1];
  p.src_ip ^= 1;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "SOURCE_IP", 4);
  p = s.f[1];
  p.src_port++;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "SOURCE_PORT", 8);
  p = s.f[1];
  p.type = p.type == SMBW_DGRAM_DIRECT_GROUP ? SMBW_DGRAM_DIRECT_UNIQUE : SMBW_DGRAM_DIRECT_GROUP;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "MSG_TYPE", 0);
  p = s.f[1];
  p.source.name[0] ^= 1;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "SOURCE_NAME", 14);
  p = s.f[1];
  static const uint8_t scope[] = {3, 'c', 'o', 'm'};
  p.source.scope.data = scope;
  p.source.scope.len = sizeof scope;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "SOURCE_NAME", 14);
  p = s.f[1];
  p.destination.name[15] ^= 1;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "DESTINATION_NAME", 14 + 34 + s.whole.source.scope.len);
  p = s.f[1];
  p.destination.scope.data = scope;
  p.destination.scope.len = sizeof scope;
  refused(&s, &p, SMBW_E_TRANS_MISMATCH, "DESTINATION_NAME", 14 + 34 + s.whole.source.scope.len);
  /* a type without user data, an invalid scope */
  p = s.f[1];
  p.type = SMBW_DGRAM_QUERY_REQUEST;
  refused(&s, &p, SMBW_E_INVAL, "MSG_TYPE", 0);
  p = s.f[1];
  static const uint8_t bad[] = {9, 'x'};
  p.source.scope.data = bad;
  p.source.scope.len = sizeof bad;
  refused(&s, &p, SMBW_E_INVAL, "datagram", 0);
  ck_assert_int_eq(add(&s, 1, NULL), 0);
  ck_assert_int_eq(add(&s, 2, NULL), 1);
  check_whole(&s);
}
END_TEST

START_TEST(test_first_flag_and_empty) {
  static setup s;
  split(&s, 3);
  smbw_dgram p = s.f[1];
  p.flags |= SMBW_DGRAM_FLAG_FIRST; /* F with offset > 0 */
  refused(&s, &p, SMBW_E_NBSS_FLAGS, "FLAGS", 1);
  p = s.f[0];
  p.flags &= (uint8_t)~SMBW_DGRAM_FLAG_FIRST; /* offset 0 without F */
  refused(&s, &p, SMBW_E_NBSS_FLAGS, "FLAGS", 1);
  p = s.f[1];
  p.data.len = 0; /* M set, nothing in it */
  refused(&s, &p, SMBW_E_NBSS_LENGTH, "DGM_LENGTH", 10);
  p.data.data = NULL;
  p.data.len = 3; /* a view without bytes */
  refused(&s, &p, SMBW_E_INVAL, "datagram", 0);
  ck_assert_int_eq(smbw_dgram_asm_add(NULL, &p, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_asm_add(&s.a, NULL, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_asm_add_(&s.a, &s.f[0], 4, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_asm_match(NULL, &s.f[0]), 0);
  ck_assert_int_eq(smbw_dgram_asm_init(NULL, NULL, 0), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_asm_init(&s.a, NULL, 5), SMBW_E_INVAL);
  /* an empty unfragmented datagram completes at once, over no buffer */
  smbw_dgram_asm a;
  ck_assert_int_eq(smbw_dgram_asm_init(&a, NULL, 0), 0);
  p = s.f[0];
  p.flags &= (uint8_t)~SMBW_DGRAM_FLAG_MORE;
  p.data.data = NULL;
  p.data.len = 0;
  ck_assert_int_eq(smbw_dgram_asm_add(&a, &p, NULL), 1);
  ck_assert_uint_eq(a.data.len, 0);
  ck_assert_uint_eq(a.total, 0);
  /* a non-empty one over no buffer: no space */
  ck_assert_int_eq(smbw_dgram_asm_init(&a, NULL, 0), 0);
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_dgram_asm_add(&a, &s.f[0], &e), SMBW_E_NOSPACE);
  ck_assert_uint_eq(a.type, 0);
}
END_TEST

START_TEST(test_nine_pieces) {
  static setup s;
  split(&s, 16);
  /* every other fragment: eight disjoint pieces, then a ninth that touches
     none (the inside of fragment 1) is refused */
  for (unsigned k = 0; k < 16; k += 2) ck_assert_int_eq(add(&s, k, NULL), 0);
  smbw_dgram p = s.f[1];
  p.offset = (uint16_t)(p.offset + 1);
  p.data.data++;
  p.data.len -= 2;
  refused(&s, &p, SMBW_E_TRANS_FRAGMENTS, "PACKET_OFFSET", 12);
  /* one that joins two pieces is taken, then the rest completes it */
  ck_assert_int_eq(add(&s, 3, NULL), 0);
  ck_assert_int_eq(add(&s, 15, NULL), 0);
  for (unsigned k = 1; k < 15; k += 2)
    if (k != 3) ck_assert_int_eq(add(&s, k, NULL), k == 13 ? 1 : 0);
  check_whole(&s);
}
END_TEST

/* The two recorded fragments (DGM_ID 0x1007: F+M at offset 0, then the
   rest at 40), in both orders: one HostAnnouncement to \MAILSLOT\BROWSE. */
START_TEST(test_recorded_fragments) {
  const vec_file *vf = vecs();
  smbw_dgram fr[2];
  unsigned n = 0;
  for (size_t i = 0; i < vf->n; i++) {
    smbw_dgram t;
    ck_assert_int_eq(smbw_dgram_decode(vf->msgs[i].bytes, vf->msgs[i].len, &t, NULL), 0);
    if (t.type > SMBW_DGRAM_BROADCAST || (t.offset == 0 && !(t.flags & SMBW_DGRAM_FLAG_MORE)))
      continue;
    ck_assert_uint_lt(n, 2);
    fr[n++] = t;
  }
  ck_assert_uint_eq(n, 2);
  ck_assert_uint_eq(fr[0].id, 0x1007);
  static uint8_t buf[1024];
  for (int order = 0; order < 2; order++) {
    smbw_dgram_asm a;
    ck_assert_int_eq(smbw_dgram_asm_init(&a, buf, sizeof buf), 0);
    ck_assert_int_eq(smbw_dgram_asm_add(&a, &fr[order], NULL), 0);
    ck_assert_int_eq(smbw_dgram_asm_match(&a, &fr[!order]), 1);
    ck_assert_int_eq(smbw_dgram_asm_add(&a, &fr[!order], NULL), 1);
    ck_assert_uint_eq(a.total, 142);
    ck_assert_uint_eq(a.data.len, fr[0].data.len + fr[1].data.len);
    ck_assert_mem_eq(a.data.data, fr[0].data.data, 40);
    ck_assert_mem_eq(a.data.data + 40, fr[1].data.data, fr[1].data.len);
    smbw_msg msg;
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(smbw_msg_decode(a.data.data, a.data.len, &msg, &err), 0);
    smbw_andx_iter it;
    smbw_block b;
    smbw_andx_iter_init(&it, &msg);
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &err), 1);
    smbw_trans_req t;
    ck_assert_int_eq(smbw_trans_req_decode(&b, &t, &err), 0);
    ck_assert_uint_eq(t.name.len, 16);
    ck_assert_mem_eq(t.name.data, "\\MAILSLOT\\BROWSE", 16);
    ck_assert_uint_eq(t.data.len, t.total_data_count);
    ck_assert_uint_eq(t.data.data[0], 1); /* HostAnnouncement */
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("dgram_asm");
  add_tcase(s, "whole", 0, TESTS(test_recorded_fragments, test_in_order, test_reversed_and_shuffled,
                                 test_gap_never_completes));
  add_tcase(s, "hostile", 0, TESTS(test_overlap_duplicate, test_past_the_end, test_other_keys,
                                   test_first_flag_and_empty, test_nine_pieces));
  return run_suite(s);
}
