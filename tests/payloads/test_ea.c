/*
 * test_ea.c - extended attribute lists (ea.h): SMB_FEA_LIST, SMB_GEA_LIST
 * and FILE_FULL_EA_INFORMATION chains.
 *
 * Real bytes first: every SMB message of payloads/ea.vec was recorded from
 * Samba smbd on loopback by tests/payloads/record_ea.sh (impacket and smbclient as
 * clients, dumpcap on lo), which also wrote the list locations and
 * tshark's decode of each frame.  Each list is decoded (checked against a
 * hand-written expectation and, where tshark decodes the same thing,
 * against tshark), re-encoded byte for byte into an exactly sized buffer
 * against a guard page, sized with a NULL buffer, refused one byte short,
 * and decoded again from every truncated prefix.  Then synthetic lists
 * give every error its code, offset and field, every NextEntryOffset
 * shape (loop, backward, inside, past the end) and every encoder branch.
 * Inputs are decoded against a PROT_NONE page (tests/guard.h), and
 * encoders write into buffers that end at one.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

/* One EA list inside a recorded message. */
typedef struct capture {
  const uint8_t *msg; /* the SMB message (header first, no NBSS) */
  size_t msg_len;
  int frame;          /* frame number in record_ea.sh's capture */
  int kind;           /* enum smbw_ea_kind */
  uint32_t off, len;  /* the list: msg[off .. off + len) */
  uint32_t status;    /* the message's Status */
  const char *what;
  const char *tshark; /* tshark 4.0's decode of the frame, "" if none */
} capture;

/* The recorded lists, read from payloads/ea.vec (written by
   tests/payloads/record_ea.sh; format in tests/payloads/README.md). */
#define MAXCAP 64
static capture captures[MAXCAP];
static size_t ncap;
#define NCAP ncap

static void load_captures(void) {
  const vec_file *vf = vec_data("payloads/ea.vec", MAXCAP);
  for (const vec_msg *m = vf->msgs; m < vf->msgs + vf->n; m++) {
    const char *kind = vec_get(m, "kind");
    captures[ncap++] = (capture){
        m->bytes, m->len, (int)m->frame,
        !strcmp(kind, "full") ? SMBW_EA_FULL : !strcmp(kind, "gea") ? SMBW_EA_GEA : SMBW_EA_FEA,
        (uint32_t)vec_num(m, "off", 0, 0), (uint32_t)vec_num(m, "len", 0, 0),
        (uint32_t)vec_num(m, "status", 0, 0), vec_get(m, "what"), vec_get(m, "tshark")};
  }
}

/* ---- helpers --------------------------------------------------------- */

#define MAXE 64

static guard_buf G;  /* inputs */
static guard_buf GO; /* outputs */

static void setup(void) { guard_pair_init(&G, &GO, 1u << 17); }
static void teardown(void) { guard_pair_free(&G, &GO); }

/* Bytes placed against the input guard page. */
static smbw_bytes place(const uint8_t *p, size_t n) {
  return bytes_view(guard_place(&G, p, n), n);
}

/* An output area of n bytes ending at the guard page, after 16 canary
   bytes, poisoned with 0xA5. */
static uint8_t *out_area(size_t n) { return guard_out_area(&GO, n, 16, 0xA5); }
static int canary_ok(size_t n) { return guard_canary_ok(&GO, n, 16); }

/* A decoded list: its entries, the iterator at the end, the result. */
typedef struct walked {
  smbw_ea e[MAXE];
  int n;
  int rc;
  smbw_error err;
  smbw_ea_iter it;
} walked;

static int walk(int kind, smbw_bytes v, walked *w) {
  smbw_ea e;
  memset(w, 0, sizeof *w);
  smbw_ea_iter_init(&w->it, kind, v);
  while ((w->rc = smbw_ea_iter_next(&w->it, &e, &w->err)) == 1) {
    ck_assert_int_lt(w->n, MAXE);
    w->e[w->n++] = e;
  }
  return w->rc;
}

/* smbwire's decode in tshark's notation: "L=size flags:name:value_len"
   per entry; FULL entries add ">NextEntryOffset+padding"; "~n" n
   trailing bytes; "!ERROR@offset:field" a failure. */
static void describe(int kind, smbw_bytes v, char *out, size_t cap) {
  walked w;
  walk(kind, v, &w);
  size_t k = 0;
#define PUT(...) k += (size_t)snprintf(out + k, k < cap ? cap - k : 0, __VA_ARGS__)
  if (w.n || w.rc == 0) PUT("L=%u", (unsigned)w.it.list_size);
  for (int i = 0; i < w.n; i++) {
    PUT("%s%02x:", k ? " " : "", w.e[i].flags);
    for (uint32_t j = 0; j < w.e[i].name.len; j++) {
      uint8_t c = w.e[i].name.data[j];
      if (c >= 32 && c < 127) PUT("%c", c);
      else PUT("\\%03o", c);
    }
    PUT(":%u", (unsigned)w.e[i].value.len);
    if (kind == SMBW_EA_FULL)
      PUT(">%u+%u", (unsigned)w.e[i].next_entry_offset, (unsigned)w.e[i].padding.len);
  }
  if (w.rc == 0 && w.it.trailing.len) PUT(" ~%u", (unsigned)w.it.trailing.len);
  if (w.rc < 0)
    PUT("%s!%s@%u:%s", k ? " " : "", smbw_errname(w.rc) + 7, (unsigned)w.err.offset,
        w.err.field);
#undef PUT
  ck_assert_uint_lt(k, cap);
}

/* Re-encode a decoded list at out[0 .. cap); returns the last result. */
static int encode_walked(int kind, const walked *w, uint8_t *out, size_t cap, size_t *len) {
  size_t pos = 0, start = 0;
  int rc = 0, r;
  if (kind != SMBW_EA_FULL) rc = smbw_ea_list_begin(out, cap, &pos, &start);
  for (int i = 0; i < w->n; i++) {
    r = smbw_ea_append(out, cap, &pos, kind, &w->e[i]);
    ck_assert_msg(r == 0 || r == SMBW_E_NOSPACE, "append: %s", smbw_errname(r));
    if (r) rc = r;
  }
  if (kind != SMBW_EA_FULL) {
    r = smbw_ea_list_finish(out, cap, &pos, start, kind, &w->it.trailing);
    ck_assert_msg(r == 0 || r == SMBW_E_NOSPACE, "finish: %s", smbw_errname(r));
    if (r) rc = r;
  }
  *len = pos;
  return rc;
}

/* The security model on one decoded list: every view inside the list, in
   order, each length equal to its wire field; the walk bounded. */
static void check_views(int kind, smbw_bytes v, const walked *w) {
  const uint8_t *lo = v.data;
  uint32_t end = kind == SMBW_EA_FULL ? v.len : w->it.list_size;
  uint32_t at = kind == SMBW_EA_FULL ? 0 : 4; /* where the next entry must start */
  uint32_t min = kind == SMBW_EA_FEA ? 5 : kind == SMBW_EA_GEA ? 2 : 9;
  ck_assert_uint_le((uint32_t)w->n, v.len / min + 1);
  ck_assert_uint_le(end, v.len);
  for (int i = 0; i < w->n; i++) {
    const smbw_ea *e = &w->e[i];
    uint32_t hdr = kind == SMBW_EA_FEA ? 4 : kind == SMBW_EA_GEA ? 1 : 8;
    ck_assert_uint_eq(e->offset, at);
    const uint8_t *p = lo + e->offset;
    ck_assert_ptr_eq(e->name.data, p + hdr);
    ck_assert_uint_eq(e->name.len, p[hdr == 1 ? 0 : hdr == 4 ? 1 : 5]);
    ck_assert_uint_eq(e->name.enc, SMBW_STR_OEM);
    ck_assert_uint_eq(e->name.data[e->name.len], 0);
    if (kind == SMBW_EA_GEA) {
      ck_assert_ptr_null(e->value.data);
      ck_assert_uint_eq(e->value.len, 0);
      ck_assert_uint_eq(e->flags, 0);
    } else {
      ck_assert_ptr_eq(e->value.data, e->name.data + e->name.len + 1);
      ck_assert_uint_eq(e->value.len, p[hdr - 2] | (p[hdr - 1] << 8));
      ck_assert_uint_eq(e->flags, p[hdr - 4]);
    }
    uint32_t used = hdr + e->name.len + 1 + e->value.len;
    ck_assert_uint_le(e->offset + used, end);
    if (kind == SMBW_EA_FULL) {
      uint32_t neo = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                     (uint32_t)p[3] << 24;
      ck_assert_uint_eq(e->next_entry_offset, neo);
      ck_assert_ptr_eq(e->padding.data, p + used);
      if (neo == 0) ck_assert_uint_eq(e->offset + used + e->padding.len, end);
      else if (i + 1 < w->n) ck_assert_uint_eq(used + e->padding.len, neo);
      at = e->offset + used + e->padding.len;
    } else {
      ck_assert_ptr_null(e->padding.data);
      ck_assert_uint_eq(e->padding.len, 0);
      ck_assert_uint_eq(e->next_entry_offset, 0);
      at = e->offset + used;
    }
  }
  if (w->rc == 0) {
    ck_assert_ptr_eq(w->it.trailing.data, lo + at);
    ck_assert_uint_eq(at + w->it.trailing.len, end);
    ck_assert_uint_eq((uint32_t)w->n, w->it.count);
  }
}

/* Sweeps over sizes take every value, or every SMBW_HOSTILE_STRIDE-th
   (set by tests/hostile/valgrind.sh to keep memcheck runs short) plus the
   first 8 and the last 8 before the end. */
static size_t next_step(size_t i, size_t end) {
  static size_t stride;
  if (!stride) {
    const char *s = getenv("SMBW_HOSTILE_STRIDE");
    stride = s && atoi(s) > 1 ? (size_t)atoi(s) : 1;
  }
  if (stride == 1 || i < 8 || i + 9 >= end) return i + 1;
  size_t n = i + stride;
  return n + 8 < end ? n : end - 8;
}

/* Round trip: exact size, size query, one byte short, every shorter
   buffer; nothing written outside. */
static void check_roundtrip(int kind, smbw_bytes v, const walked *w) {
  size_t want = kind == SMBW_EA_FULL ? v.len : w->it.list_size;
  size_t need = 0;
  ck_assert_int_eq(encode_walked(kind, w, NULL, 0, &need), want ? SMBW_E_NOSPACE : 0);
  ck_assert_uint_eq(need, want);
  size_t len = 0;
  uint8_t *out = out_area(want);
  ck_assert_int_eq(encode_walked(kind, w, out, want, &len), 0);
  ck_assert_uint_eq(len, want);
  ck_assert_int_eq(memcmp(out, v.data, want), 0);
  ck_assert(canary_ok(want));
  /* every smaller buffer: NOSPACE, the size still counted, nothing
     outside written (a write past the end faults on the guard page) */
  for (size_t cap = 0; cap < want; cap = next_step(cap, want)) {
    uint8_t *o = out_area(cap);
    ck_assert_int_eq(encode_walked(kind, w, cap ? o : NULL, cap, &len), SMBW_E_NOSPACE);
    ck_assert_uint_eq(len, want);
    ck_assert(canary_ok(cap));
    /* what was written is a prefix of the list, except SizeOfListInBytes
       (written whenever it fits) */
    for (size_t i = kind == SMBW_EA_FULL ? 0 : 4; i < cap; i++)
      ck_assert(o[i] == v.data[i] || o[i] == 0xA5);
  }
}

/* Every prefix of a list: the walk ends, errors are precise and sticky,
   and a prefix that still decodes re-encodes to itself. */
static void check_prefixes(int kind, smbw_bytes v) {
  for (uint32_t k = 0; k <= v.len; k = (uint32_t)next_step(k, v.len + 1u)) {
    smbw_bytes p = place(v.data, k);
    walked w;
    walk(kind, p, &w);
    check_views(kind, p, &w);
    if (w.rc < 0) {
      ck_assert_int_eq(w.err.code, w.rc);
      ck_assert_uint_le(w.err.offset, k);
      ck_assert_ptr_nonnull(w.err.field);
      smbw_ea e;
      smbw_error again = {0, 0, NULL};
      ck_assert_int_eq(smbw_ea_iter_next(&w.it, &e, &again), w.rc);
      ck_assert_uint_eq(again.offset, w.err.offset);
      ck_assert_str_eq(again.field, w.err.field);
      if (kind != SMBW_EA_FULL) {
        /* the list header speaks first */
        if (k < 4) {
          ck_assert_int_eq(w.rc, SMBW_E_TRUNCATED);
          ck_assert_uint_eq(w.err.offset, k);
        } else if (k < w.it.list_size || w.it.list_size == 0) {
          ck_assert_int_eq(w.rc, SMBW_E_FIELD_LENGTH);
          ck_assert_uint_eq(w.err.offset, 0);
          ck_assert_str_eq(w.err.field, "SizeOfListInBytes");
        }
      } else if (k < 8 && k > 0) {
        ck_assert_int_eq(w.rc, SMBW_E_TRUNCATED);
        ck_assert_uint_eq(w.err.offset, k);
      }
    } else {
      size_t len;
      size_t want = kind == SMBW_EA_FULL ? k : w.it.list_size;
      uint8_t *out = out_area(want);
      ck_assert_int_eq(encode_walked(kind, &w, out, want, &len), 0);
      ck_assert_uint_eq(len, want);
      ck_assert_int_eq(memcmp(out, p.data, want), 0);
    }
  }
}

/* ---- real captures ------------------------------------------------------ */

/* What smbwire makes of each recorded list (index into captures[]), and
   whether tshark 4.0.17 decodes the frame the same way (1), or not at all
   or differently (0, with the reason). */
typedef struct expect {
  const char *smbwire;
  int tshark_same;
  const char *why;
} expect;

static const expect expected[] = {
  /* 0: NT_TRANSACT_CREATE, aligned chain, last entry unpadded */
  {"L=86 00:nt.first:9>28+2 00:nt.second:3>24+3 00:nt.third:17>0+0", 0,
   "tshark shows NT_TRANSACT_CREATE's EA list as bytes"},
  /* 1: SET_EAS: flags 0x80, a 200-byte name, a 300-byte value */
  {NULL, 1, NULL},
  /* 2: SET_FILE_INFORMATION 1015, the last entry padded too */
  {"L=44 00:nt.fourth:4>24+2 00:nt.fifth:1>0+2", 0, "tshark: level 1015 unknown"},
  /* 3: TRANS2_OPEN2 request */
  {"L=34 00:open2.ea:17", 0, "tshark does not decode TRANS2_OPEN2's EA list"},
  /* 4: QUERY_ALL_EAS response: smbd returns flags 0 for Need.EA (sent 0x80) */
  {NULL, 1, NULL},
  /* 5: QUERY_ALL_EAS of a file without EAs: the empty list */
  {"L=4", 1, NULL},
  /* 6: STATUS_BUFFER_OVERFLOW: smbd sends the first 64 bytes of the list
        with SizeOfListInBytes still the whole list's 671 */
  {"!FIELD_LENGTH@0:SizeOfListInBytes", 0, "tshark decodes the partial list, then malformed"},
  /* 7: GEA list of QUERY_EAS_FROM_LIST */
  {"L=28 00:bin:0 00:nt.first:0 00:missing:0", 0, "tshark does not decode GEA lists"},
  /* 8: its answer: "missing" comes back with an empty value */
  {NULL, 1, NULL},
  /* 9: GEA list of FIND_FIRST2 */
  {"L=29 00:bin:0 00:nt.first:0 00:open2.ea:0", 0, "tshark does not decode GEA lists"},
  /* 10, 11: the FEA list inside each FIND_FIRST2 entry (the view runs on
     into FileNameLength and FileName); see find_expect() */
  {"FIND", 0, "tshark skips the list and misreads the entry (malformed)"},
  {"FIND", 0, "tshark skips the list and misreads the entry (malformed)"},
  /* 12: 3 zero bytes after the last FEA inside the list (smbd: INVALID_PARAMETER) */
  {"L=18 00:trail:1 ~3", 0, "tshark reads them as a 4th FEA and reports malformed"},
  /* 13: an FEA after SizeOfListInBytes (smbd sets it: it parses the whole data) */
  {"L=16 00:inside:1", 0, "tshark, like smbd, reads past SizeOfListInBytes"},
  /* 14: a 5-byte FEA, empty name and value (smbd: INVALID_PARAMETER) */
  {"L=18 00:ok5:1 00::0", 1, NULL},
  /* 15: a NUL inside a name (smbd sets "em") */
  {"L=16 00:em\\000bed:1", 0, "tshark shows the name up to the NUL"},
  /* 16: a byte after the last GEA (smbd ignores it) */
  {"L=13 00:inside:0 ~1", 0, "tshark does not decode GEA lists"},
  {NULL, 1, NULL},
  /* 18: a last GEA with an empty name (smbd ignores it) */
  {"L=14 00:inside:0 00::0", 0, "tshark does not decode GEA lists"},
  {NULL, 1, NULL},
  /* 20: QUERY_ALL_EAS after the odd lists */
  {NULL, 1, NULL},
  /* 21: NextEntryOffset 12 inside the 16-byte first entry: the 4 value
     bytes double as the next entry's NextEntryOffset (smbd accepts, and
     sets both) */
  {"L=24 00:ab:5>12+0 !NEXT_OFFSET@0:NextEntryOffset", 0,
   "tshark shows NT_TRANSACT_CREATE's EA list as bytes"},
  /* 22: NextEntryOffset 13, unaligned (smbd accepts) */
  {"L=25 00:abc:1>13+0 00:cd:1>0+0", 0, "tshark shows NT_TRANSACT_CREATE's EA list as bytes"},
  /* 23: 7 bytes after the last entry (smbd ignores them) */
  {"L=19 00:cd:1>0+7", 0, "tshark shows NT_TRANSACT_CREATE's EA list as bytes"},
  /* 24, 25: smbclient setea, geteas */
  {NULL, 1, NULL},
  {NULL, 1, NULL},
};

/* The FIND_FIRST2 entries come in directory order: tell them by the
   FileName after the list. */
static const char *find_expect(smbw_bytes v) {
  uint32_t size = (uint32_t)v.data[0] | (uint32_t)v.data[1] << 8;
  const char *name = (const char *)v.data + size + 1;
  if (v.data[size] == 9 && memcmp(name, "ea-nt.txt", 10) == 0)
    return "L=54 00:bin:7 00:nt.first:9 00:open2.ea:0";
  if (v.data[size] == 12 && memcmp(name, "ea-open2.txt", 13) == 0)
    return "L=55 00:bin:0 00:nt.first:0 00:open2.ea:17";
  return "unexpected FileName";
}

START_TEST(test_capture_table) {
  ck_assert_uint_eq(NCAP, sizeof expected / sizeof expected[0]);
  for (size_t i = 0; i < NCAP; i++) {
    const capture *c = &captures[i];
    ck_assert_uint_le((size_t)c->off + c->len, c->msg_len);
    if (expected[i].tshark_same) ck_assert_msg(c->tshark[0], "capture %zu: no tshark decode", i);
    else ck_assert_ptr_nonnull(expected[i].why);
  }
}
END_TEST

/* The recorded list offsets agree with smbwire's own transaction decoder:
   each list lies in the Trans2 / NT_TRANSACT data of its message. */
START_TEST(test_capture_in_trans_data) {
  for (size_t i = 0; i < NCAP; i++) {
    const capture *c = &captures[i];
    smbw_msg m;
    smbw_andx_iter it;
    smbw_block b;
    ck_assert_int_eq(smbw_msg_decode(c->msg, c->msg_len, &m, NULL), 0);
    ck_assert_uint_eq(m.hdr.status, c->status);
    smbw_andx_iter_init(&it, &m);
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, NULL), 1);
    smbw_trans_rsp rs;
    smbw_trans_req rq;
    const int reply = (m.hdr.flags & SMBW_FLAGS_REPLY) != 0;
    ck_assert_int_eq(reply ? smbw_trans_rsp_decode(&b, &rs, NULL)
                           : smbw_trans_req_decode(&b, &rq, NULL), 0);
    smbw_bytes data = reply ? rs.data : rq.data;
    uint32_t doff = (uint32_t)(data.data - c->msg);
    ck_assert_uint_ge(c->off, doff);
    ck_assert_uint_le(c->off + c->len, doff + data.len);
    if (strstr(c->what, "FIND_FIRST2 response") == NULL) {
      /* the list is the data, or (NT_TRANSACT_CREATE) follows a
         SecurityDescriptorLength of 0 */
      ck_assert_uint_eq(c->off, doff);
      ck_assert_uint_eq(c->len, data.len);
    }
  }
}
END_TEST

/* The view a capture's list is decoded from: the list and, for the FIND
   entries, the rest of the data after it. */
static smbw_bytes capture_view(const capture *c) {
  size_t n = c->len;
  if (strstr(c->what, "FIND_FIRST2 response")) n = c->msg_len - c->off;
  return place(c->msg + c->off, n);
}

START_TEST(test_capture_decode) {
  char got[8192], want[8192];
  for (size_t i = 0; i < NCAP; i++) {
    const capture *c = &captures[i];
    smbw_bytes v = capture_view(c);
    describe(c->kind, v, got, sizeof got);
    const char *x = expected[i].smbwire ? expected[i].smbwire : c->tshark;
    if (strcmp(x, "FIND") == 0) x = find_expect(v);
    snprintf(want, sizeof want, "%s", x);
    ck_assert_msg(strcmp(got, want) == 0, "capture %zu (frame %d, %s):\n  smbwire %s\n  want    %s",
                  i, c->frame, c->what, got, want);
    if (expected[i].tshark_same)
      ck_assert_msg(strcmp(got, c->tshark) == 0, "capture %zu: smbwire %s, tshark %s", i, got,
                    c->tshark);
    else
      ck_assert_msg(strcmp(got, c->tshark) != 0, "capture %zu now agrees with tshark", i);
    walked w;
    walk(c->kind, v, &w);
    check_views(c->kind, v, &w);
  }
}
END_TEST

START_TEST(test_capture_roundtrip) {
  int n = 0;
  for (size_t i = 0; i < NCAP; i++) {
    const capture *c = &captures[i];
    smbw_bytes v = capture_view(c);
    walked w;
    if (walk(c->kind, v, &w) != 0) continue;
    check_roundtrip(c->kind, v, &w);
    n++;
  }
  ck_assert_int_eq(n, (int)NCAP - 2); /* all but the two that fail */
}
END_TEST

START_TEST(test_capture_prefixes) {
  for (size_t i = 0; i < NCAP; i++) {
    const capture *c = &captures[i];
    check_prefixes(c->kind, bytes_view(c->msg + c->off, c->len));
  }
}
END_TEST

/* Specific values of the real lists, beyond the description. */
START_TEST(test_capture_values) {
  walked w;
  /* SET_EAS: flags 0x80, the 200-byte name, the 300-byte value */
  ck_assert_int_eq(walk(SMBW_EA_FEA, capture_view(&captures[1]), &w), 0);
  ck_assert_int_eq(w.n, 4);
  ck_assert_uint_eq(w.e[1].flags, SMBW_EA_NEED_EA);
  ck_assert(smbw_str_eq(&w.e[1].name, "Need.EA"));
  ck_assert_int_eq(memcmp(w.e[1].value.data, "abc", 3), 0);
  ck_assert_uint_eq(w.e[3].name.len, 200);
  ck_assert_uint_eq(w.e[3].value.len, 300);
  for (uint32_t k = 0; k < 300; k++) ck_assert_uint_eq(w.e[3].value.data[k], (k * 7) & 0xFF);
  ck_assert_uint_eq(w.it.list_size, 570);
  /* FIND entry: the list stops at SizeOfListInBytes, FileNameLength and
     the name follow */
  smbw_bytes v = capture_view(&captures[10]);
  ck_assert_int_eq(walk(SMBW_EA_FEA, v, &w), 0);
  ck_assert_uint_lt(w.it.list_size, v.len);
  uint8_t fnl = v.data[w.it.list_size];
  ck_assert(fnl == 9 || fnl == 12);
  ck_assert_int_eq(memcmp(v.data + w.it.list_size + 1, fnl == 9 ? "ea-nt.txt" : "ea-open2.txt",
                          fnl + 1u),
                   0);
  /* the name with a NUL inside */
  ck_assert_int_eq(walk(SMBW_EA_FEA, capture_view(&captures[15]), &w), 0);
  ck_assert_uint_eq(w.e[0].name.len, 6);
  ck_assert_int_eq(memcmp(w.e[0].name.data, "em\0bed", 6), 0);
  /* NT_TRANSACT_CREATE chain: names converted to UTF-8 */
  ck_assert_int_eq(walk(SMBW_EA_FULL, capture_view(&captures[0]), &w), 0);
  char name[16];
  size_t need;
  ck_assert_int_eq(smbw_str_to_utf8(&w.e[1].name, name, sizeof name, &need), 0);
  ck_assert_str_eq(name, "nt.second");
  ck_assert_int_eq(memcmp(w.e[1].value.data, "\x00\x01\x02", 3), 0);
  for (int k = 0; k < 3; k++) ck_assert_uint_eq(w.e[1].padding.data[k], 0);
}
END_TEST

/* ---- decoder errors -------------------------------------------------------- */

/* Decode hand-made bytes against the guard page; expect the walk to give
   n entries, then rc at offset off in field (rc 0: a clean end). */
static void expect_walk(int kind, const uint8_t *b, size_t n, int entries, int rc, uint32_t off,
                        const char *field) {
  walked w;
  smbw_bytes v = place(b, n);
  walk(kind, v, &w);
  check_views(kind, v, &w);
  ck_assert_msg(w.rc == rc, "rc %s, want %s", smbw_errname(w.rc), smbw_errname(rc));
  ck_assert_int_eq(w.n, entries);
  if (rc) {
    ck_assert_int_eq(w.err.code, rc);
    ck_assert_uint_eq(w.err.offset, off);
    ck_assert_str_eq(w.err.field, field);
    /* sticky */
    smbw_ea e;
    smbw_error again = {0, 0, NULL};
    for (int k = 0; k < 3; k++) {
      ck_assert_int_eq(smbw_ea_iter_next(&w.it, &e, &again), rc);
      ck_assert_uint_eq(again.offset, off);
      ck_assert_str_eq(again.field, field);
    }
    ck_assert_int_eq(smbw_ea_iter_next(&w.it, &e, NULL), rc);
    /* the same walk without an error record */
    smbw_ea_iter it;
    int r;
    smbw_ea_iter_init(&it, kind, v);
    while ((r = smbw_ea_iter_next(&it, &e, NULL)) == 1) {
    }
    ck_assert_int_eq(r, rc);
  } else {
    smbw_ea e;
    ck_assert_int_eq(smbw_ea_iter_next(&w.it, &e, NULL), 0); /* stays at the end */
    check_roundtrip(kind, v, &w);
  }
}

#define B(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

START_TEST(test_list_header_errors) {
  for (int kind = SMBW_EA_FEA; kind <= SMBW_EA_GEA; kind++) {
    const uint8_t z[4] = {4, 0, 0, 0};
    for (size_t n = 0; n < 4; n++)
      expect_walk(kind, z, n, 0, SMBW_E_TRUNCATED, (uint32_t)n, "SizeOfListInBytes");
    for (uint8_t s = 0; s < 4; s++)
      expect_walk(kind, B(s, 0, 0, 0, 0, 0, 0, 0), 0, SMBW_E_RANGE, 0, "SizeOfListInBytes");
    expect_walk(kind, B(5, 0, 0, 0), 0, SMBW_E_FIELD_LENGTH, 0, "SizeOfListInBytes");
    expect_walk(kind, B(0, 0, 0, 1, 0, 0, 0), 0, SMBW_E_FIELD_LENGTH, 0, "SizeOfListInBytes");
    expect_walk(kind, B(0xFF, 0xFF, 0xFF, 0xFF, 0), 0, SMBW_E_FIELD_LENGTH, 0,
                "SizeOfListInBytes");
    /* the empty list; bytes after it are not the list's */
    expect_walk(kind, B(4, 0, 0, 0), 0, 0, 0, NULL);
    expect_walk(kind, B(4, 0, 0, 0, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE), 0, 0, 0, NULL);
  }
}
END_TEST

START_TEST(test_fea_errors) {
  /* name + NUL past the list: length field of the first, then a later entry */
  expect_walk(SMBW_EA_FEA, B(10, 0, 0, 0, 0, 6, 0, 0, 'a', 'b'), 0, SMBW_E_FIELD_LENGTH, 5,
              "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_FEA, B(9, 0, 0, 0, 0, 1, 0, 0, 'a'), 0, SMBW_E_FIELD_LENGTH, 5,
              "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_FEA, B(16, 0, 0, 0, 0, 1, 0, 0, 'a', 0, 0, 0xFF, 0, 0, 'b', 0), 1,
              SMBW_E_FIELD_LENGTH, 11, "AttributeNameLengthInBytes");
  /* the list ends before the entry's end although the view goes on */
  expect_walk(SMBW_EA_FEA, B(9, 0, 0, 0, 0, 1, 0, 0, 'a', 0, 0, 0), 0, SMBW_E_FIELD_LENGTH, 5,
              "AttributeNameLengthInBytes");
  /* unterminated where the length says */
  expect_walk(SMBW_EA_FEA, B(11, 0, 0, 0, 0, 2, 0, 0, 'a', 'b', 'c'), 0, SMBW_E_STR_UNTERMINATED,
              10, "AttributeName");
  expect_walk(SMBW_EA_FEA, B(9, 0, 0, 0, 0, 0, 0, 0, 'x'), 0, SMBW_E_STR_UNTERMINATED, 8,
              "AttributeName");
  /* value past the list */
  expect_walk(SMBW_EA_FEA, B(11, 0, 0, 0, 0, 1, 2, 0, 'a', 0, 'x'), 0, SMBW_E_FIELD_LENGTH, 6,
              "AttributeValueLengthInBytes");
  expect_walk(SMBW_EA_FEA, B(11, 0, 0, 0, 0, 1, 0xFF, 0xFF, 'a', 0, 'x'), 0, SMBW_E_FIELD_LENGTH,
              6, "AttributeValueLengthInBytes");
  /* fits exactly; then trailing bytes 1..4 (fewer than an entry) */
  expect_walk(SMBW_EA_FEA, B(11, 0, 0, 0, 0x80, 1, 1, 0, 'a', 0, 'x'), 1, 0, 0, NULL);
  expect_walk(SMBW_EA_FEA, B(12, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 9), 1, 0, 0, NULL);
  expect_walk(SMBW_EA_FEA, B(15, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 0, 9, 9, 9), 1, 0, 0, NULL);
  /* 5 bytes left: an entry, however it looks */
  expect_walk(SMBW_EA_FEA, B(16, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 0, 9, 0, 0, 0), 1,
              SMBW_E_FIELD_LENGTH, 12, "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_FEA, B(16, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 7, 0, 0, 0, 0), 2, 0, 0, NULL);
  expect_walk(SMBW_EA_FEA, B(9, 0, 0, 0, 0, 0, 0, 0, 0), 1, 0, 0, NULL);
  expect_walk(SMBW_EA_FEA, B(8, 0, 0, 0, 0, 0, 0, 0), 0, 0, 0, NULL);
}
END_TEST

START_TEST(test_gea_errors) {
  expect_walk(SMBW_EA_GEA, B(7, 0, 0, 0, 5, 'a', 0), 0, SMBW_E_FIELD_LENGTH, 4,
              "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_GEA, B(6, 0, 0, 0, 1, 'a'), 0, SMBW_E_FIELD_LENGTH, 4,
              "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_GEA, B(10, 0, 0, 0, 1, 'a', 0, 2, 'b', 0), 1, SMBW_E_FIELD_LENGTH, 7,
              "AttributeNameLengthInBytes");
  expect_walk(SMBW_EA_GEA, B(8, 0, 0, 0, 2, 'a', 'b', 'c'), 0, SMBW_E_STR_UNTERMINATED, 7,
              "AttributeName");
  expect_walk(SMBW_EA_GEA, B(6, 0, 0, 0, 0, 1), 0, SMBW_E_STR_UNTERMINATED, 5, "AttributeName");
  expect_walk(SMBW_EA_GEA, B(6, 0, 0, 0, 0, 0), 1, 0, 0, NULL);
  expect_walk(SMBW_EA_GEA, B(7, 0, 0, 0, 1, 'a', 0), 1, 0, 0, NULL);
  expect_walk(SMBW_EA_GEA, B(8, 0, 0, 0, 1, 'a', 0, 0xFF), 1, 0, 0, NULL); /* 1 trailing */
  expect_walk(SMBW_EA_GEA, B(5, 0, 0, 0, 0), 0, 0, 0, NULL);
}
END_TEST

START_TEST(test_full_truncated) {
  static const char *const field[9] = {NULL, "NextEntryOffset", "NextEntryOffset",
                                       "NextEntryOffset", "Flags", "EaNameLength",
                                       "EaValueLength", "EaValueLength", "EaName"};
  const uint8_t e[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
  expect_walk(SMBW_EA_FULL, e, 0, 0, 0, 0, NULL); /* the empty chain */
  for (uint32_t n = 1; n < 8; n++) expect_walk(SMBW_EA_FULL, e, n, 0, SMBW_E_TRUNCATED, n, field[n]);
  /* 8 bytes: the fixed part is there, the NUL is not */
  expect_walk(SMBW_EA_FULL, e, 8, 0, SMBW_E_FIELD_LENGTH, 5, "EaNameLength");
  expect_walk(SMBW_EA_FULL, e, 9, 1, 0, 0, NULL);
  (void)field;
}
END_TEST

START_TEST(test_full_entry_errors) {
  expect_walk(SMBW_EA_FULL, B(0, 0, 0, 0, 0, 3, 0, 0, 'a', 'b', 'c'), 0, SMBW_E_FIELD_LENGTH, 5,
              "EaNameLength");
  expect_walk(SMBW_EA_FULL, B(0, 0, 0, 0, 0, 2, 0, 0, 'a', 'b', 'c'), 0, SMBW_E_STR_UNTERMINATED,
              10, "EaName");
  expect_walk(SMBW_EA_FULL, B(0, 0, 0, 0, 0, 1, 3, 0, 'a', 0, 'x', 'y'), 0, SMBW_E_FIELD_LENGTH, 6,
              "EaValueLength");
  /* in a second entry: offsets count from the start of the view */
  expect_walk(SMBW_EA_FULL,
              B(12, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 0, 0, 0, 0, 0, 0, 1, 9, 0, 'b', 0, 1, 2),
              1, SMBW_E_FIELD_LENGTH, 18, "EaValueLength");
  expect_walk(SMBW_EA_FULL,
              B(12, 0, 0, 0, 0, 1, 1, 0, 'a', 0, 'x', 0, 0, 0, 0, 0, 0, 1, 0, 0, 'b', 'c', 1, 2),
              1, SMBW_E_STR_UNTERMINATED, 21, "EaName");
}
END_TEST

/* NextEntryOffset: every shape. */
START_TEST(test_full_next_offset) {
  /* entry 1: used 12 (8 + "a" NUL + "xy"), at 0; entry 2 at 12 or 16 */
  uint8_t b[40];
  const uint8_t e1[12] = {0, 0, 0, 0, 0, 1, 2, 0, 'a', 0, 'x', 'y'};
  const uint8_t e2[12] = {0, 0, 0, 0, 0x80, 1, 2, 0, 'b', 0, 'z', 'w'};
  uint32_t cases[][3] = {
      /* NextEntryOffset, entries before the error (or 2: clean), NEXT_OFFSET? */
      {12, 2, 0},          /* exactly the used size: no padding */
      {16, 2, 0},          /* 4 bytes of padding */
      {11, 1, 1},          /* inside the entry */
      {4, 1, 1},           /* inside, far */
      {1, 1, 1},           /* inside, into its own fixed part */
      {29, 1, 1},          /* leaves 11 bytes: an entry of 9 fits... */
      {40, 1, 1},          /* past the end */
      {0x7FFFFFFF, 1, 1},  /* far past */
      {0xFFFFFFF4, 1, 1},  /* would wrap to -12: backward */
      {0xFFFFFFFF, 1, 1},  /* SMBW_EA_NEXT_AUTO is not special on the wire */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint32_t neo = cases[i][0];
    memset(b, 0, sizeof b);
    memcpy(b, e1, 12);
    b[0] = (uint8_t)neo;
    b[1] = (uint8_t)(neo >> 8);
    b[2] = (uint8_t)(neo >> 16);
    b[3] = (uint8_t)(neo >> 24);
    uint32_t at = neo >= 12 && neo <= 16 ? neo : 16;
    memcpy(b + at, e2, 12);
    size_t n = at + 12;
    if (neo == 29) {
      /* an entry at 29 would need 9 bytes: give 8 */
      n = 37;
    }
    if (cases[i][2])
      expect_walk(SMBW_EA_FULL, b, n, 1, SMBW_E_NEXT_OFFSET, 0, "NextEntryOffset");
    else
      expect_walk(SMBW_EA_FULL, b, n, 2, 0, 0, NULL);
  }
  /* the boundary: the next entry's 9 bytes fit exactly / miss by one */
  memset(b, 0, sizeof b);
  memcpy(b, e1, 12);
  b[0] = 12;
  expect_walk(SMBW_EA_FULL, b, 21, 2, 0, 0, NULL);
  expect_walk(SMBW_EA_FULL, b, 20, 1, SMBW_E_NEXT_OFFSET, 0, "NextEntryOffset");
  /* a loop through wrap-around from a later entry: entry 2 at 12 points
     2^32 - 12 ahead, i.e. back to 0 */
  memcpy(b + 12, e2, 12);
  b[12] = 0xF4;
  b[13] = b[14] = b[15] = 0xFF;
  expect_walk(SMBW_EA_FULL, b, 24, 2, SMBW_E_NEXT_OFFSET, 12, "NextEntryOffset");
  /* to itself is impossible (NextEntryOffset 0 ends); the entry with the
     bad offset is still handed out, with an empty padding */
  walked w;
  b[12] = 0;
  b[13] = b[14] = b[15] = 0;
  b[0] = 11;
  walk(SMBW_EA_FULL, place(b, 24), &w);
  ck_assert_int_eq(w.n, 1);
  ck_assert_uint_eq(w.e[0].next_entry_offset, 11);
  ck_assert_uint_eq(w.e[0].padding.len, 0);
  ck_assert_int_eq(w.rc, SMBW_E_NEXT_OFFSET);
  /* a long chain walks in as many steps as it has entries */
  uint8_t chain[9 * 100];
  memset(chain, 0, sizeof chain);
  for (int k = 0; k < 99; k++) chain[9 * k] = 9;
  smbw_ea_iter it;
  smbw_ea e;
  int steps = 0, rc;
  smbw_ea_iter_init(&it, SMBW_EA_FULL, place(chain, sizeof chain));
  while ((rc = smbw_ea_iter_next(&it, &e, NULL)) == 1) {
    ck_assert_uint_eq(e.offset, 9u * (uint32_t)steps);
    steps++;
  }
  ck_assert_int_eq(rc, 0);
  ck_assert_int_eq(steps, 100);
  ck_assert_uint_eq(it.count, 100);
}
END_TEST

START_TEST(test_iter_inval) {
  smbw_ea_iter it;
  smbw_ea e;
  smbw_error err = {0, 0, NULL};
  const uint8_t list[4] = {4, 0, 0, 0};
  smbw_ea_iter_init(&it, SMBW_EA_FEA, bytes_view(list, 4));
  ck_assert_int_eq(smbw_ea_iter_next(NULL, &e, &err), SMBW_E_INVAL);
  ck_assert_str_eq(err.field, "iterator");
  ck_assert_int_eq(smbw_ea_iter_next(&it, NULL, NULL), SMBW_E_INVAL);
  /* not sticky */
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, NULL), 0);
  smbw_ea_iter_init(&it, 3, bytes_view(list, 4));
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, &err), SMBW_E_INVAL);
  smbw_ea_iter_init(&it, -1, bytes_view(list, 4));
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, &err), SMBW_E_INVAL);
  smbw_ea_iter_init(&it, SMBW_EA_FULL, bytes_view(NULL, 4));
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, NULL), SMBW_E_INVAL);
  ck_assert_uint_eq(err.offset, 0);
  smbw_ea_iter_init(&it, SMBW_EA_FULL, bytes_view(NULL, 0));
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, &err), 0);
  ck_assert_ptr_null(it.trailing.data);
  ck_assert_uint_eq(it.trailing.len, 0);
  /* on success the error record is left alone */
  smbw_error keep = {-77, 123, "keep"};
  smbw_ea_iter_init(&it, SMBW_EA_GEA, bytes_view(list, 4));
  ck_assert_int_eq(smbw_ea_iter_next(&it, &e, &keep), 0);
  ck_assert_int_eq(keep.code, -77);
  ck_assert_uint_eq(keep.offset, 123);
}
END_TEST

/* ---- encoders ----------------------------------------------------------- */

static smbw_str oem(const char *s, size_t n) {
  smbw_str r = {(const uint8_t *)s, (uint32_t)n, SMBW_STR_OEM, 0, 0};
  return r;
}

static smbw_ea mk(uint8_t flags, smbw_str name, const char *val, size_t vlen) {
  smbw_ea e;
  memset(&e, 0, sizeof e);
  e.flags = flags;
  e.name = name;
  e.value = bytes_view((const uint8_t *)val, vlen);
  return e;
}

/* Encode entries (and for FEA/GEA a list around them) at every capacity;
   the exact one must give want. */
static void expect_encode(int kind, const smbw_ea *e, int n, const smbw_bytes *trailing,
                          const uint8_t *want, size_t wlen) {
  for (size_t cap = 0; cap <= wlen; cap++) {
    uint8_t *out = out_area(cap);
    size_t pos = 0, start = 0;
    int rc = 0, r;
    if (kind != SMBW_EA_FULL) rc = smbw_ea_list_begin(cap ? out : NULL, cap, &pos, &start);
    for (int i = 0; i < n; i++) {
      r = smbw_ea_append(cap ? out : NULL, cap, &pos, kind, &e[i]);
      ck_assert_msg(r == 0 || r == SMBW_E_NOSPACE, "%s", smbw_errname(r));
      if (r) rc = r;
    }
    if (kind != SMBW_EA_FULL) {
      r = smbw_ea_list_finish(cap ? out : NULL, cap, &pos, start, kind, trailing);
      if (r) rc = r;
    }
    ck_assert_uint_eq(pos, wlen);
    ck_assert(canary_ok(cap));
    if (cap == wlen) {
      ck_assert_int_eq(rc, 0);
      for (size_t i = 0; i < wlen; i++)
        ck_assert_msg(out[i] == want[i], "byte %zu: %02X, want %02X", i, out[i], want[i]);
    } else {
      ck_assert_int_eq(rc, SMBW_E_NOSPACE);
    }
  }
  /* and it decodes back */
  walked w;
  ck_assert_int_eq(walk(kind, place(want, wlen), &w), 0);
  ck_assert_int_eq(w.n, n);
}

START_TEST(test_encode_fea) {
  /* UTF-8 é becomes OEM 0xE9; an absent name is empty */
  smbw_ea e[3] = {mk(0x80, oem("ab", 2), "xyz", 3), mk(0, smbw_str_utf8("\xC3\xA9"), NULL, 0),
                  mk(0x7F, oem(NULL, 0), "", 0)};
  const uint8_t want[] = {26, 0, 0, 0, 0x80, 2, 3, 0, 'a', 'b', 0, 'x', 'y', 'z',
                          0, 1, 0, 0, 0xE9, 0, 0x7F, 0, 0, 0, 0, 0xAB};
  const uint8_t tail[1] = {0xAB};
  smbw_bytes t = bytes_view(tail, 1);
  expect_encode(SMBW_EA_FEA, e, 3, &t, want, sizeof want);
  /* UTF-16LE names are converted to OEM */
  smbw_str u16 = {(const uint8_t *)"a\0b\0", 4, SMBW_STR_UTF16LE, 0, 0};
  smbw_ea e2 = mk(0, u16, "v", 1);
  const uint8_t want2[] = {12, 0, 0, 0, 0, 2, 1, 0, 'a', 'b', 0, 'v'};
  expect_encode(SMBW_EA_FEA, &e2, 1, NULL, want2, sizeof want2);
  /* the empty list */
  const uint8_t want3[] = {4, 0, 0, 0};
  expect_encode(SMBW_EA_FEA, NULL, 0, NULL, want3, 4);
  /* a name with a NUL inside round-trips as is */
  smbw_ea e4 = mk(0, oem("em\0bed", 6), "z", 1);
  const uint8_t want4[] = {16, 0, 0, 0, 0, 6, 1, 0, 'e', 'm', 0, 'b', 'e', 'd', 0, 'z'};
  expect_encode(SMBW_EA_FEA, &e4, 1, NULL, want4, sizeof want4);
  /* the longest name and value */
  static char name[255], val[65535];
  memset(name, 'N', sizeof name);
  memset(val, 'V', sizeof val);
  smbw_ea big = mk(0, oem(name, 255), val, 65535);
  size_t pos = 0;
  ck_assert_int_eq(smbw_ea_append(NULL, 0, &pos, SMBW_EA_FEA, &big), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 4 + 255 + 1 + 65535);
}
END_TEST

START_TEST(test_encode_gea) {
  smbw_ea e[2] = {mk(0, oem("bin", 3), NULL, 0), mk(0, smbw_str_utf8(""), NULL, 0)};
  const uint8_t want[] = {12, 0, 0, 0, 3, 'b', 'i', 'n', 0, 0, 0, 0x55};
  const uint8_t tail[1] = {0x55};
  smbw_bytes t = bytes_view(tail, 1);
  expect_encode(SMBW_EA_GEA, e, 2, &t, want, sizeof want);
}
END_TEST

START_TEST(test_encode_full) {
  /* computed NextEntryOffset: 12 (no padding), 13 -> 16 (3 zeros, the
     given padding of another length ignored), then the last entry with
     its trailing bytes */
  smbw_ea e[3] = {mk(0, oem("a", 1), "bc", 2), mk(0x80, oem("abc", 3), "d", 1),
                  mk(0, oem("z", 1), NULL, 0)};
  e[0].next_entry_offset = SMBW_EA_NEXT_AUTO;
  e[1].next_entry_offset = SMBW_EA_NEXT_AUTO;
  e[1].padding = bytes_view((const uint8_t *)"PP", 2);
  e[2].padding = bytes_view((const uint8_t *)"\x01\x02", 2);
  const uint8_t want[] = {12, 0, 0, 0, 0, 1, 2, 0, 'a', 0, 'b', 'c',
                          16, 0, 0, 0, 0x80, 3, 1, 0, 'a', 'b', 'c', 0, 'd', 0, 0, 0,
                          0, 0, 0, 0, 0, 1, 0, 0, 'z', 0, 1, 2};
  expect_encode(SMBW_EA_FULL, e, 3, NULL, want, sizeof want);
  /* computed, with a padding of the gap's length: copied */
  e[1].padding = bytes_view((const uint8_t *)"PQR", 3);
  uint8_t want2[sizeof want];
  memcpy(want2, want, sizeof want);
  memcpy(want2 + 25, "PQR", 3);
  expect_encode(SMBW_EA_FULL, e, 3, NULL, want2, sizeof want2);
  /* given NextEntryOffset: written as is, gap from padding or zeros */
  e[0].next_entry_offset = 14;
  e[0].padding = bytes_view((const uint8_t *)"XY", 2);
  e[1].next_entry_offset = 13;
  e[1].padding.len = 0;
  const uint8_t want3[] = {14, 0, 0, 0, 0, 1, 2, 0, 'a', 0, 'b', 'c', 'X', 'Y',
                           13, 0, 0, 0, 0x80, 3, 1, 0, 'a', 'b', 'c', 0, 'd',
                           0, 0, 0, 0, 0, 1, 0, 0, 'z', 0, 1, 2};
  expect_encode(SMBW_EA_FULL, e, 3, NULL, want3, sizeof want3);
  e[0].next_entry_offset = 16;
  const uint8_t want4[] = {16, 0, 0, 0, 0, 1, 2, 0, 'a', 0, 'b', 'c', 0, 0, 0, 0,
                           13, 0, 0, 0, 0x80, 3, 1, 0, 'a', 'b', 'c', 0, 'd',
                           0, 0, 0, 0, 0, 1, 0, 0, 'z', 0, 1, 2};
  expect_encode(SMBW_EA_FULL, e, 3, NULL, want4, sizeof want4);
  /* a last entry's padding may be over 64 KiB */
  static uint8_t big[70000];
  smbw_ea last = mk(0, oem("q", 1), NULL, 0);
  last.padding = bytes_view(big, sizeof big);
  size_t pos = 0;
  ck_assert_int_eq(smbw_ea_append(NULL, 0, &pos, SMBW_EA_FULL, &last), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 10 + sizeof big);
}
END_TEST

START_TEST(test_encode_errors) {
  uint8_t buf[64];
  size_t pos = 7;
  smbw_ea ok = mk(0, oem("a", 1), "v", 1);
  smbw_ea e;
  /* arguments */
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, NULL, SMBW_EA_FEA, &ok), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(NULL, 1, &pos, SMBW_EA_FEA, &ok), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, 3, &ok), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, -1, &ok), SMBW_E_INVAL);
  ck_assert_uint_eq(pos, 7);
  /* names */
  e = ok;
  e.name.data = NULL;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  e = ok;
  e.name.unterminated = 1;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  e = ok;
  e.name.enc = 9;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  static char name[70000];
  memset(name, 'n', sizeof name);
  e = ok;
  e.name = oem(name, 256);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_RANGE);
  e.name = oem(name, sizeof name);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), SMBW_E_RANGE);
  e.name = smbw_str_utf8("\xC4\x80"); /* U+0100 */
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_GEA, &e), SMBW_E_STR_ENCODING);
  e.name = smbw_str_utf8("\xC3"); /* truncated UTF-8 */
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_STR_ENCODING);
  smbw_str u16 = {(const uint8_t *)"a\x01", 2, SMBW_STR_UTF16LE, 0, 0};
  e.name = u16;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_STR_ENCODING);
  /* values and padding */
  e = ok;
  e.value.data = NULL;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  static uint8_t val[65536];
  e.value = bytes_view(val, sizeof val);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), SMBW_E_RANGE);
  e = ok;
  e.padding.len = 1;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), SMBW_E_INVAL);
  e.padding = bytes_view(val, 1);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_GEA, &e), SMBW_E_INVAL);
  e = ok;
  e.next_entry_offset = 12;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &e), SMBW_E_INVAL);
  /* GEA has no flags and no value */
  e = mk(1, oem("a", 1), NULL, 0);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_GEA, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_GEA, &ok), SMBW_E_INVAL);
  /* NextEntryOffset inside the entry (used: 8 + 2 + 1 = 11) */
  e = ok;
  e.next_entry_offset = 10;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), SMBW_E_NEXT_OFFSET);
  e.next_entry_offset = 11;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), 0);
  ck_assert_uint_eq(pos, 18);
  ck_assert_int_eq(memcmp(buf + 7, "\x0b\0\0\0\0\x01\x01\0a\0v", 11), 0);
  /* position overflow */
  pos = SIZE_MAX - 6;
  ck_assert_int_eq(smbw_ea_append(NULL, 0, &pos, SMBW_EA_FEA, &ok), SMBW_E_RANGE);
  ck_assert_uint_eq(pos, SIZE_MAX - 6);
  pos = SIZE_MAX - 7;
  ck_assert_int_eq(smbw_ea_append(NULL, 0, &pos, SMBW_EA_FEA, &ok), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, SIZE_MAX);
  /* a huge given NextEntryOffset is only counted */
  e = ok;
  e.next_entry_offset = 0xFFFFFFFEu;
  pos = 0;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FULL, &e), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 0xFFFFFFFEu);
  /* already past the buffer: nothing written, still counted */
  pos = sizeof buf + 1;
  ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, SMBW_EA_FEA, &ok), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, sizeof buf + 1 + 7);
}
END_TEST

START_TEST(test_list_begin_finish_errors) {
  uint8_t buf[16];
  size_t pos = 0, start = 0;
  const uint8_t t5[5] = {0};
  smbw_bytes t;
  ck_assert_int_eq(smbw_ea_list_begin(buf, sizeof buf, NULL, &start), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_begin(buf, sizeof buf, &pos, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_begin(NULL, 4, &pos, &start), SMBW_E_INVAL);
  pos = SIZE_MAX - 3;
  ck_assert_int_eq(smbw_ea_list_begin(NULL, 0, &pos, &start), SMBW_E_RANGE);
  pos = SIZE_MAX - 4;
  ck_assert_int_eq(smbw_ea_list_begin(NULL, 0, &pos, &start), SMBW_E_NOSPACE);
  ck_assert_uint_eq(start, SIZE_MAX - 4);
  ck_assert_uint_eq(pos, SIZE_MAX);
  /* finish */
  pos = 0;
  ck_assert_int_eq(smbw_ea_list_begin(buf, sizeof buf, &pos, &start), 0);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, NULL, start, SMBW_EA_FEA, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 1, &pos, start, SMBW_EA_FEA, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, SMBW_EA_FULL, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, 7, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, 5, SMBW_EA_FEA, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, 1, SMBW_EA_FEA, NULL),
                   SMBW_E_INVAL);
  t = bytes_view(NULL, 1);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, SMBW_EA_FEA, &t),
                   SMBW_E_INVAL);
  t = bytes_view(t5, 5);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, SMBW_EA_FEA, &t),
                   SMBW_E_INVAL);
  t = bytes_view(t5, 2);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, SMBW_EA_GEA, &t),
                   SMBW_E_INVAL);
  ck_assert_uint_eq(pos, 4);
  t = bytes_view(t5, 4);
  ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, SMBW_EA_FEA, &t), 0);
  ck_assert_uint_eq(pos, 8);
  ck_assert_int_eq(memcmp(buf, "\x08\0\0\0\0\0\0\0", 8), 0);
  /* a list over 4 GiB - 1, counted without a buffer: 2^32 bytes with the
     trailing ones (on a 32-bit size_t, one past the largest position) */
  start = 0;
  pos = (size_t)0xFFFFFFFFu - 3;
  t = bytes_view(t5, 4);
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 0, &pos, start, SMBW_EA_FEA, &t), SMBW_E_RANGE);
  ck_assert_uint_eq(pos, (size_t)0xFFFFFFFFu - 3);
#if SIZE_MAX > 0xFFFFFFFFu
  /* a position past 2^32 - 1: only where size_t is wider than 32 bits */
  pos = (size_t)0xFFFFFFFFu + 1;
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 0, &pos, start, SMBW_EA_FEA, NULL), SMBW_E_RANGE);
  ck_assert_uint_eq(pos, (size_t)0xFFFFFFFFu + 1);
#endif
  /* the largest list: 2^32 - 1 bytes, on every platform */
  pos = 0xFFFFFFFFu;
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 0, &pos, start, SMBW_EA_FEA, NULL),
                   SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 0xFFFFFFFFu);
  pos = (size_t)0xFFFFFFFFu - 3;
  t = bytes_view(t5, 3);
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 0, &pos, start, SMBW_EA_FEA, &t),
                   SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 0xFFFFFFFFu);
  /* trailing bytes that would overflow the position */
  start = SIZE_MAX - 5;
  pos = SIZE_MAX - 1;
  t = bytes_view(t5, 3);
  ck_assert_int_eq(smbw_ea_list_finish(NULL, 0, &pos, start, SMBW_EA_FEA, &t), SMBW_E_RANGE);
  ck_assert_uint_eq(pos, SIZE_MAX - 1);
  /* SizeOfListInBytes is written when it fits although an entry did not */
  uint8_t *o = out_area(6);
  pos = 0;
  ck_assert_int_eq(smbw_ea_list_begin(o, 6, &pos, &start), 0);
  smbw_ea e = mk(0, oem("a", 1), "v", 1);
  ck_assert_int_eq(smbw_ea_append(o, 6, &pos, SMBW_EA_FEA, &e), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_ea_list_finish(o, 6, &pos, start, SMBW_EA_FEA, NULL), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 11);
  ck_assert_int_eq(memcmp(o, "\x0b\0\0\0\xA5\xA5", 6), 0);
  /* and not when it does not: a list starting at 3 in 6 bytes */
  o = out_area(6);
  pos = 3;
  ck_assert_int_eq(smbw_ea_list_begin(o, 6, &pos, &start), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_ea_list_finish(o, 6, &pos, start, SMBW_EA_GEA, NULL), SMBW_E_NOSPACE);
  for (int i = 0; i < 6; i++) ck_assert_uint_eq(o[i], 0xA5);
  ck_assert(canary_ok(6));
  /* a start past the buffer */
  pos = 20;
  ck_assert_int_eq(smbw_ea_list_begin(o, 6, &pos, &start), SMBW_E_NOSPACE);
  ck_assert_int_eq(smbw_ea_list_finish(o, 6, &pos, start, SMBW_EA_FEA, NULL), SMBW_E_NOSPACE);
  ck_assert(canary_ok(6));
}
END_TEST

static uint32_t rnd_state = 12345;
static uint32_t rnd(void) {
  rnd_state = rnd_state * 1103515245u + 12345u;
  return (rnd_state >> 16) & 0x7FFF;
}

/* Build random lists with the encoders, decode them, re-encode them: the
   same bytes, the same entries. */
START_TEST(test_encode_decode_random) {
  static uint8_t buf[1 << 16];
  static uint8_t bytes[4096];
  for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)rnd();
  for (int round = 0; round < 300; round++) {
    int kind = round % 3;
    int n = (int)(rnd() % 8);
    smbw_ea e[8];
    for (int i = 0; i < n; i++) {
      size_t nl = rnd() % 20, vl = kind == SMBW_EA_GEA ? 0 : rnd() % 40;
      const char *name = (const char *)bytes + rnd() % 2000;
      const char *val = (const char *)bytes + rnd() % 2000;
      e[i] = mk(kind == SMBW_EA_GEA ? 0 : (uint8_t)rnd(), oem(name, nl), val, vl);
      if (kind == SMBW_EA_GEA) e[i].value = bytes_view(NULL, 0);
      if (kind == SMBW_EA_FULL) {
        uint32_t used = 9 + (uint32_t)nl + (uint32_t)vl;
        if (i == n - 1) {
          e[i].next_entry_offset = 0;
          e[i].padding = bytes_view(bytes, rnd() % 6);
        } else {
          e[i].next_entry_offset = rnd() % 2 ? SMBW_EA_NEXT_AUTO : used + rnd() % 9;
        }
      }
    }
    size_t pos = 0, start = 0;
    if (kind != SMBW_EA_FULL) ck_assert_int_eq(smbw_ea_list_begin(buf, sizeof buf, &pos, &start), 0);
    for (int i = 0; i < n; i++)
      ck_assert_int_eq(smbw_ea_append(buf, sizeof buf, &pos, kind, &e[i]), 0);
    smbw_bytes t = bytes_view(bytes, rnd() % (kind == SMBW_EA_FEA ? 5 : 2));
    if (kind != SMBW_EA_FULL)
      ck_assert_int_eq(smbw_ea_list_finish(buf, sizeof buf, &pos, start, kind, &t), 0);
    walked w;
    smbw_bytes v = place(buf, pos);
    ck_assert_int_eq(walk(kind, v, &w), 0);
    ck_assert_int_eq(w.n, n);
    check_views(kind, v, &w);
    for (int i = 0; i < n; i++) {
      ck_assert_uint_eq(w.e[i].name.len, e[i].name.len);
      ck_assert_int_eq(memcmp(w.e[i].name.data, e[i].name.data, e[i].name.len), 0);
      ck_assert_uint_eq(w.e[i].value.len, e[i].value.len);
      ck_assert_uint_eq(w.e[i].flags, e[i].flags);
    }
    if (kind != SMBW_EA_FULL) ck_assert_uint_eq(w.it.trailing.len, t.len);
    check_roundtrip(kind, v, &w);
  }
}
END_TEST

/* Every TCase here places its bytes against the guard pages of setup(). */
static void guarded(Suite *s, const char *name, double timeout, const TTest *const *tests) {
  add_tcase_fixture(s, name, timeout, setup, teardown, tests);
}

int main(void) {
  load_captures();
  Suite *s = suite_create("ea");
  guarded(s, "captures", 300, TESTS(test_capture_table, test_capture_in_trans_data,
                                    test_capture_decode, test_capture_roundtrip,
                                    test_capture_prefixes, test_capture_values));
  guarded(s, "decode", 0, TESTS(test_list_header_errors, test_fea_errors, test_gea_errors,
                                test_full_truncated, test_full_entry_errors,
                                test_full_next_offset, test_iter_inval));
  guarded(s, "encode", 300, TESTS(test_encode_fea, test_encode_gea, test_encode_full,
                                  test_encode_errors, test_list_begin_finish_errors,
                                  test_encode_decode_random));
  return run_suite(s);
}
