/*
 * The size rule of the payload, NEGOTIATE and transaction structs
 * (doc/abi.md, "Payloads, NEGOTIATE and the transactions"), checked for
 * every exported NAME_() that takes one, on this library as it is:
 *
 *  - a decoder given a larger struct (a newer caller's) writes what it
 *    knows and zeros after it, and a smaller one than the first published
 *    struct is SMBW_E_INVAL with nothing written;
 *  - an encoder given a larger struct reads the bytes it knows and takes
 *    the zeros after them as absent members (the same output), and a
 *    smaller one is SMBW_E_INVAL;
 *  - smbw_acl_build_() reads the caller's array with the caller's stride.
 *
 * tests/growth/grow.sh checks the other half on real binaries: an old
 * program with a library whose structs grew.
 */
#include <check.h>
#include <stddef.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "../check_helpers.h"

/* Room for any struct here and the members a newer header may add. */
#define MORE 40
#define FILL 0xEE
typedef union room {
  unsigned char b[512];
  uint64_t align_;
  void *palign_;
} room;

/* An iterator's "one entry" (1) as a decoder's success (0); errors as
   they are, and "no entry" (0) as a failure. */
static int one_or_rc(int rc) { return rc == 1 ? 0 : rc == 0 ? -1 : rc; }

static int all_are(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i++)
    if (p[i] != v) return 0;
  return 1;
}

/* A decoder call DEC(out, size) of type T, for out = a room at three sizes:
   half the struct (refused, untouched), the struct plus MORE (zeros after
   it), the struct (the reference).  CHECK(a, b) compares two results. */
#define CHECK_DECODER(T, DEC, CHECK)                                                   \
  do {                                                                                 \
    room r_;                                                                           \
    T ref_;                                                                            \
    ck_assert_int_eq(DEC(&ref_, sizeof ref_), 0);                                      \
    memset(&r_, FILL, sizeof r_);                                                      \
    ck_assert_int_eq(DEC((T *)(void *)r_.b, sizeof(T) / 2), SMBW_E_INVAL);             \
    ck_assert(all_are(r_.b, sizeof r_.b, FILL));                                       \
    ck_assert_int_eq(DEC((T *)(void *)r_.b, sizeof(T) + MORE), 0);                     \
    ck_assert_msg(all_are(r_.b + sizeof(T), MORE, 0), #DEC ": no zeros after " #T);    \
    ck_assert(all_are(r_.b + sizeof(T) + MORE, sizeof r_.b - sizeof(T) - MORE, FILL)); \
    CHECK((const T *)(const void *)r_.b, &ref_);                                       \
  } while (0)

/* An encoder call ENC(in, size, out, cap, &len) writing bytes: the same
   bytes from a larger struct with zeros after it; half the struct
   refused. */
#define CHECK_ENCODER(T, VALUE, ENC)                                           \
  do {                                                                         \
    room r_;                                                                   \
    memset(&r_, 0, sizeof r_);                                                 \
    memcpy(r_.b, &(VALUE), sizeof(T));                                         \
    uint8_t o1_[512], o2_[512];                                                \
    size_t l1_ = 0, l2_ = 0;                                                   \
    ck_assert_int_eq(ENC(&(VALUE), sizeof(T), o1_, sizeof o1_, &l1_), 0);      \
    ck_assert_int_eq(ENC((const T *)(const void *)r_.b, sizeof(T) + MORE, o2_, \
                         sizeof o2_, &l2_),                                    \
                     0);                                                       \
    ck_assert_uint_eq(l1_, l2_);                                               \
    ck_assert(memcmp(o1_, o2_, l1_) == 0);                                     \
    ck_assert_int_eq(ENC(&(VALUE), sizeof(T) / 2, o1_, sizeof o1_, &l1_),      \
                     SMBW_E_INVAL);                                            \
  } while (0)

/* ---- TRANS2_FIND_FIRST2 / FIND_NEXT2 parameters ---- */

static const uint8_t FIRST2_REQ[] = {0x16, 0, 10, 0, 6, 0, 0x04, 0x01, 0, 0, 0, 0, '*', 0};
static const uint8_t NEXT2_REQ[] = {7, 0, 10, 0, 0x04, 0x01, 1, 0, 0, 0, 6, 0, 'a', 0};
static const uint8_t FIRST2_RSP[] = {7, 0, 2, 0, 1, 0, 0, 0, 0x40, 0};
static const uint8_t NEXT2_RSP[] = {2, 0, 1, 0, 0, 0, 0x40, 0};
static const smbw_bytes NO_DATA = {NULL, 0};

#define VIEW(a) ((smbw_bytes){(a), sizeof(a)})
#define DEC_F1Q(o, n) smbw_find_first2_req_decode_(VIEW(FIRST2_REQ), NO_DATA, 0, (o), (n), NULL)
#define DEC_N2Q(o, n) smbw_find_next2_req_decode_(VIEW(NEXT2_REQ), NO_DATA, 0, (o), (n), NULL)
#define DEC_F1R(o, n) smbw_find_first2_rsp_decode_(VIEW(FIRST2_RSP), (o), (n), NULL)
#define DEC_N2R(o, n) smbw_find_next2_rsp_decode_(VIEW(NEXT2_RSP), (o), (n), NULL)
#define SAME_F1Q(a, b) \
  ck_assert((a)->information_level == 0x104 && (a)->file_name.len == (b)->file_name.len)
#define SAME_N2Q(a, b) ck_assert((a)->sid == 7 && (a)->resume_key == (b)->resume_key)
#define SAME_F1R(a, b) ck_assert((a)->sid == 7 && (a)->last_name_offset == 0x40)
#define SAME_N2R(a, b) ck_assert((a)->search_count == 2 && (a)->last_name_offset == 0x40)
#define ENC_F1Q(in, n, o, c, l) smbw_find_first2_req_encode_((o), (c), 0, (in), (n), (l))
#define ENC_N2Q(in, n, o, c, l) smbw_find_next2_req_encode_((o), (c), 0, (in), (n), (l))
#define ENC_F1R(in, n, o, c, l) smbw_find_first2_rsp_encode_((o), (c), (in), (n), (l))
#define ENC_N2R(in, n, o, c, l) smbw_find_next2_rsp_encode_((o), (c), (in), (n), (l))

START_TEST(find_parameters) {
  CHECK_DECODER(smbw_find_first2_req, DEC_F1Q, SAME_F1Q);
  CHECK_DECODER(smbw_find_next2_req, DEC_N2Q, SAME_N2Q);
  CHECK_DECODER(smbw_find_first2_rsp, DEC_F1R, SAME_F1R);
  CHECK_DECODER(smbw_find_next2_rsp, DEC_N2R, SAME_N2R);
  smbw_find_first2_req f1q;
  smbw_find_next2_req n2q;
  smbw_find_first2_rsp f1r;
  smbw_find_next2_rsp n2r;
  ck_assert_int_eq(smbw_find_first2_req_decode(VIEW(FIRST2_REQ), NO_DATA, 0, &f1q, NULL), 0);
  ck_assert_int_eq(smbw_find_next2_req_decode(VIEW(NEXT2_REQ), NO_DATA, 0, &n2q, NULL), 0);
  ck_assert_int_eq(smbw_find_first2_rsp_decode(VIEW(FIRST2_RSP), &f1r, NULL), 0);
  ck_assert_int_eq(smbw_find_next2_rsp_decode(VIEW(NEXT2_RSP), &n2r, NULL), 0);
  CHECK_ENCODER(smbw_find_first2_req, f1q, ENC_F1Q);
  CHECK_ENCODER(smbw_find_next2_req, n2q, ENC_N2Q);
  CHECK_ENCODER(smbw_find_first2_rsp, f1r, ENC_F1R);
  CHECK_ENCODER(smbw_find_next2_rsp, n2r, ENC_N2R);
}
END_TEST

/* ---- directory entries ---- */

static const uint8_t NAME16[] = {'n', 0, 'a', 0, 'm', 0, 'e', 0};

#define APPEND(in, n, o, c, l) \
  (*(l) = 0, smbw_find_append_((o), (c), (l), SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO, 1, (in), (n)))

static smbw_bytes entries_buf;
#define ITER(o, n)                                                                        \
  (smbw_find_iter_init(&it, entries_buf, SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO, 1, 1, 0), \
   one_or_rc(smbw_find_iter_next_(&it, (o), (n), NULL)))
#define ITER_INVAL(o, n) smbw_find_iter_next_(&it, (o), (n), NULL)
#define SAME_ENTRY(a, b) \
  ck_assert((a)->file_id == 0x1122334455667788ull && (a)->file_name.len == (b)->file_name.len)

START_TEST(find_entries) {
  smbw_find_entry e;
  memset(&e, 0, sizeof e);
  e.file_index = 3;
  e.file_id = 0x1122334455667788ull;
  e.attributes = 0x20;
  e.next_mode = SMBW_FIND_NEXT_ALIGN8;
  e.file_name = (smbw_str){NAME16, sizeof NAME16, SMBW_STR_UTF16LE, 0, 0};
  CHECK_ENCODER(smbw_find_entry, e, APPEND);
  static uint8_t buf[256];
  size_t pos = 0;
  ck_assert_int_eq(smbw_find_append(buf, sizeof buf, &pos, SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO,
                                    1, &e),
                   0);
  entries_buf = (smbw_bytes){buf, (uint32_t)pos};
  smbw_find_iter it;
  /* the iterator refuses a small struct before it reads anything */
  smbw_find_iter_init(&it, entries_buf, SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO, 1, 1, 0);
  room r;
  memset(&r, FILL, sizeof r);
  ck_assert_int_eq(ITER_INVAL((smbw_find_entry *)(void *)r.b, sizeof(smbw_find_entry) / 2),
                   SMBW_E_INVAL);
  ck_assert(all_are(r.b, sizeof r.b, FILL));
  CHECK_DECODER(smbw_find_entry, ITER, SAME_ENTRY);
}
END_TEST

/* ---- NEGOTIATE and transactions: blocks built with the builder ---- */

/* Build one block with fn(&builder) and parse it back into *b. */
static uint8_t msgbuf[1024];
static smbw_parsed parsed;
static smbw_block blocks[2];
static const smbw_block *build_block(uint8_t command, int reply, int (*fn)(smbw_builder *)) {
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = command;
  h.flags = reply ? SMBW_FLAGS_REPLY : 0;
  smbw_builder bld;
  ck_assert_int_eq(smbw_builder_init(&bld, msgbuf, sizeof msgbuf, SMBW_FRAMING_DIRECT, &h), 0);
  ck_assert_int_eq(fn(&bld), 0);
  size_t len;
  ck_assert_int_eq(smbw_builder_finish(&bld, &len), 0);
  ck_assert_int_eq(smbw_parse(msgbuf, len, SMBW_FRAMING_DIRECT, SMBW_PARSE_STRICT, &parsed,
                              blocks, 2, NULL, NULL),
                   (int)len);
  return &blocks[0];
}

static const char *const DIALECTS[] = {"PC NETWORK PROGRAM 1.0", "NT LM 0.12"};
static smbw_negotiate_req neg_req;
static int put_negotiate(smbw_builder *bld) {
  memset(&neg_req, 0, sizeof neg_req);
  neg_req.count = 2;
  neg_req.names = DIALECTS;
  return smbw_negotiate_req_encode(bld, &neg_req);
}

static const uint8_t PARAMS[] = {1, 2, 3, 4, 5, 6};
static const uint8_t DATA[] = {9, 8, 7};
static const uint8_t SETUP[] = {0x01, 0x00};
static smbw_trans_req trans_req;
static int put_trans2(smbw_builder *bld) {
  memset(&trans_req, 0, sizeof trans_req);
  trans_req.command = SMBW_COM_TRANSACTION2;
  trans_req.total_param_count = sizeof PARAMS;
  trans_req.total_data_count = sizeof DATA;
  trans_req.max_param_count = 10;
  trans_req.max_data_count = 4000;
  trans_req.setup = (smbw_bytes){SETUP, sizeof SETUP};
  trans_req.params = (smbw_bytes){PARAMS, sizeof PARAMS};
  trans_req.data = (smbw_bytes){DATA, sizeof DATA};
  return smbw_trans_req_encode(bld, &trans_req);
}
static smbw_trans_rsp trans_rsp;
static int put_trans2_rsp(smbw_builder *bld) {
  memset(&trans_rsp, 0, sizeof trans_rsp);
  trans_rsp.command = SMBW_COM_TRANSACTION2;
  trans_rsp.wct = 10; /* 0 would be the empty error response */
  trans_rsp.total_param_count = sizeof PARAMS;
  trans_rsp.total_data_count = sizeof DATA;
  trans_rsp.params = (smbw_bytes){PARAMS, sizeof PARAMS};
  trans_rsp.data = (smbw_bytes){DATA, sizeof DATA};
  return smbw_trans_rsp_encode(bld, &trans_rsp);
}

static const smbw_block *blk;
#define DEC_NEGQ(o, n) smbw_negotiate_req_decode_(blk, (o), (n), NULL)
#define SAME_NEGQ(a, b) ck_assert((a)->count == 2 && (a)->dialects.len == (b)->dialects.len)
#define DEC_TRQ(o, n) smbw_trans_req_decode_opts_(blk, SMBW_PARSE_STRICT, (o), (n), NULL)
#define SAME_TRQ(a, b) ck_assert((a)->max_data_count == 4000 && (a)->params.len == sizeof PARAMS)
#define DEC_TRR(o, n) smbw_trans_rsp_decode_opts_(blk, SMBW_PARSE_LENIENT, (o), (n), NULL)
#define SAME_TRR(a, b) ck_assert((a)->data.len == sizeof DATA && (a)->params.len == sizeof PARAMS)

/* Encoders into a builder: the same message from a larger struct. */
#define CHECK_BUILDER_ENCODER(T, VALUE, ENC, CMD, REPLY)                                     \
  do {                                                                                       \
    room r_;                                                                                 \
    memset(&r_, 0, sizeof r_);                                                               \
    memcpy(r_.b, &(VALUE), sizeof(T));                                                       \
    uint8_t o_[3][1024];                                                                     \
    size_t l_[3];                                                                            \
    const size_t sizes_[3] = {sizeof(T), sizeof(T) + MORE, sizeof(T) / 2};                   \
    for (int k_ = 0; k_ < 3; k_++) {                                                         \
      smbw_header h_;                                                                        \
      memset(&h_, 0, sizeof h_);                                                             \
      h_.command = (CMD);                                                                    \
      h_.flags = (REPLY) ? SMBW_FLAGS_REPLY : 0;                                             \
      smbw_builder b_;                                                                       \
      ck_assert_int_eq(smbw_builder_init(&b_, o_[k_], sizeof o_[k_], SMBW_FRAMING_DIRECT,    \
                                         &h_),                                               \
                       0);                                                                   \
      int rc_ = ENC(&b_, (const T *)(const void *)r_.b, sizes_[k_]);                         \
      ck_assert_int_eq(rc_, k_ == 2 ? SMBW_E_INVAL : 0);                                     \
      if (k_ < 2) ck_assert_int_eq(smbw_builder_finish(&b_, &l_[k_]), 0);                    \
    }                                                                                        \
    ck_assert_uint_eq(l_[0], l_[1]);                                                         \
    ck_assert(memcmp(o_[0], o_[1], l_[0]) == 0);                                             \
  } while (0)

START_TEST(negotiate_and_transactions) {
  blk = build_block(SMBW_COM_NEGOTIATE, 0, put_negotiate);
  CHECK_DECODER(smbw_negotiate_req, DEC_NEGQ, SAME_NEGQ);
  CHECK_BUILDER_ENCODER(smbw_negotiate_req, neg_req, smbw_negotiate_req_encode_,
                        SMBW_COM_NEGOTIATE, 0);
  /* the dialect iterator reads only the first member of any size */
  smbw_dialect_iter di;
  smbw_dialect_iter_init_(&di, &neg_req, sizeof neg_req / 2);
  blk = build_block(SMBW_COM_TRANSACTION2, 0, put_trans2);
  CHECK_DECODER(smbw_trans_req, DEC_TRQ, SAME_TRQ);
  CHECK_BUILDER_ENCODER(smbw_trans_req, trans_req, smbw_trans_req_encode_,
                        SMBW_COM_TRANSACTION2, 0);
  blk = build_block(SMBW_COM_TRANSACTION2, 1, put_trans2_rsp);
  CHECK_DECODER(smbw_trans_rsp, DEC_TRR, SAME_TRR);
  CHECK_BUILDER_ENCODER(smbw_trans_rsp, trans_rsp, smbw_trans_rsp_encode_,
                        SMBW_COM_TRANSACTION2, 1);
  /* the reassembler reads the caller's struct by its size too */
  static uint8_t pbuf[64], dbuf[64];
  smbw_trans_asm a;
  smbw_trans_req q;
  blk = build_block(SMBW_COM_TRANSACTION2, 0, put_trans2);
  ck_assert_int_eq(smbw_trans_req_decode(blk, &q, NULL), 0);
  ck_assert_int_eq(smbw_trans_asm_init(&a, pbuf, sizeof pbuf, dbuf, sizeof dbuf), 0);
  ck_assert_int_eq(smbw_trans_asm_req_(&a, &q, sizeof q / 2, &parsed.msg.hdr, NULL),
                   SMBW_E_INVAL);
  room r;
  memset(&r, 0, sizeof r);
  memcpy(r.b, &q, sizeof q);
  ck_assert_int_eq(smbw_trans_asm_req_(&a, (const smbw_trans_req *)(const void *)r.b,
                                       sizeof q + MORE, &parsed.msg.hdr, NULL),
                   1);
}
END_TEST

/* ---- security descriptor parameters and ACEs ---- */

static const uint8_t SECDESC_REQ[] = {0x34, 0x12, 0, 0, 7, 0, 0, 0};
static const uint8_t SECDESC_RSP[] = {0x80, 0, 0, 0};
#define DEC_QSQ(o, n) smbw_query_secdesc_req_decode_(VIEW(SECDESC_REQ), (o), (n), NULL)
#define DEC_SSQ(o, n) smbw_set_secdesc_req_decode_(VIEW(SECDESC_REQ), (o), (n), NULL)
#define DEC_QSR(o, n) smbw_query_secdesc_rsp_decode_(VIEW(SECDESC_RSP), (o), (n), NULL)
#define SAME_SQ(a, b) ck_assert((a)->fid == 0x1234 && (a)->security_info == 7)
#define SAME_SR(a, b) ck_assert((a)->length_needed == 0x80)
#define ENC_QSQ(in, n, o, c, l) smbw_query_secdesc_req_encode_((o), (c), (in), (n), (l))
#define ENC_SSQ(in, n, o, c, l) smbw_set_secdesc_req_encode_((o), (c), (in), (n), (l))
#define ENC_QSR(in, n, o, c, l) smbw_query_secdesc_rsp_encode_((o), (c), (in), (n), (l))
#define ENC_ACE(in, n, o, c, l) smbw_ace_encode_((o), (c), (in), (n), (l))

static smbw_acl acl;
static smbw_acl_iter ait;
#define ACE_ITER(o, n) \
  (smbw_acl_iter_init(&ait, &acl), one_or_rc(smbw_acl_iter_next_(&ait, (o), (n), NULL)))
#define SAME_ACE(a, b) ck_assert((a)->mask == 0x1f01ff && (a)->sid.sub_count == 1)

START_TEST(security) {
  CHECK_DECODER(smbw_secdesc_req, DEC_QSQ, SAME_SQ);
  CHECK_DECODER(smbw_secdesc_req, DEC_SSQ, SAME_SQ);
  CHECK_DECODER(smbw_secdesc_rsp, DEC_QSR, SAME_SR);
  smbw_secdesc_req sq;
  smbw_secdesc_rsp sr;
  ck_assert_int_eq(smbw_query_secdesc_req_decode(VIEW(SECDESC_REQ), &sq, NULL), 0);
  ck_assert_int_eq(smbw_query_secdesc_rsp_decode(VIEW(SECDESC_RSP), &sr, NULL), 0);
  CHECK_ENCODER(smbw_secdesc_req, sq, ENC_QSQ);
  CHECK_ENCODER(smbw_secdesc_req, sq, ENC_SSQ);
  CHECK_ENCODER(smbw_secdesc_rsp, sr, ENC_QSR);

  smbw_ace ace;
  memset(&ace, 0, sizeof ace);
  ace.type = 0; /* ACCESS_ALLOWED */
  ace.mask = 0x1f01ff;
  ck_assert_int_eq(smbw_sid_from_string("S-1-1-0", 7, &ace.sid, NULL), 0);
  CHECK_ENCODER(smbw_ace, ace, ENC_ACE);

  /* smbw_acl_build_(): an array with a newer caller's stride gives the
     same ACL as one with ours */
  enum { STRIDE = sizeof(smbw_ace) + MORE };
  static unsigned char wide[2 * STRIDE];
  memset(wide, 0, sizeof wide);
  smbw_ace two[2] = {ace, ace};
  two[1].mask = 0x120089;
  memcpy(wide, &two[0], sizeof ace);
  memcpy(wide + STRIDE, &two[1], sizeof ace);
  uint8_t a1[256], a2[256];
  size_t l1, l2;
  ck_assert_int_eq(smbw_acl_build(a1, sizeof a1, SMBW_ACL_REVISION, two, 2, &l1), 0);
  ck_assert_int_eq(smbw_acl_build_(a2, sizeof a2, SMBW_ACL_REVISION,
                                   (const smbw_ace *)(const void *)wide, STRIDE, 2, &l2),
                   0);
  ck_assert_uint_eq(l1, l2);
  ck_assert(memcmp(a1, a2, l1) == 0);
  ck_assert_int_eq(smbw_acl_build_(a2, sizeof a2, SMBW_ACL_REVISION, two, sizeof ace / 2, 2, &l2),
                   SMBW_E_INVAL);
  /* smbw_acl_iter_next_() fills by the caller's size */
  ck_assert_int_eq(smbw_acl_decode(a1, l1, &acl, NULL), 0);
  CHECK_DECODER(smbw_ace, ACE_ITER, SAME_ACE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("sizes");
  add_tcase(s, "payload structs", 0,
            TESTS(find_parameters, find_entries, negotiate_and_transactions, security));
  return run_suite(s);
}
