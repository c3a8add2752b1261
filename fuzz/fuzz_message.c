/*
 * libFuzzer target: one SMB message through the header decoder, the AndX
 * walk and every typed decoder (the first byte sets Flags.Reply and
 * Flags2.Unicode so both request and response decoders and both string
 * encodings are reached).  Then the round trip: a message that decodes is
 * re-encoded; the size query and the real encode agree, the encoder never
 * writes past a buffer of exactly that size, and decoding the re-encoded
 * bytes gives the same fields again.  And the one-call typed parse
 * (smbw_parse_typed_()) of the first block's type agrees with the header
 * decoder, the walk's first step and smbw_decode_(): the same result, the
 * same error at the same offset, the same struct, nothing written when it
 * fails; and the one-call build of that struct gives the builder's bytes.
 */
#include <smbwire/smbwire.h>
#include <stdlib.h>
#include <string.h>
#ifdef DEBUGDUMP
#include <stdio.h>
#endif

#include "../tests/dissect.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

typedef struct rec {
  char buf[1 << 16];
  size_t len;
  int over;
} rec;

static void rec_put(void *ctx, const char *name, const char *value) {
  rec *r = ctx;
  size_t a = strlen(name), b = strlen(value);
  if (r->len + a + b + 2 > sizeof r->buf) { r->over = 1; return; }
  memcpy(r->buf + r->len, name, a);
  r->buf[r->len + a] = '=';
  memcpy(r->buf + r->len + a + 1, value, b);
  r->buf[r->len + a + 1 + b] = '\n';
  r->len += a + b + 2;
}

static rec r1, r2;

/* Drop the lines the encoder legitimately recomputes: ByteCount and the
   AndX offsets.  (A READ_ANDX DataOffset that comes with no data is
   compared too: the encoder writes it back as given, 0 included.) */
static size_t strip(rec *r) {
  size_t o = 0;
  for (size_t i = 0; i < r->len;) {
    char *nl = memchr(r->buf + i, '\n', r->len - i);
    size_t l = (size_t)(nl - (r->buf + i)) + 1;
    const char *s = r->buf + i;
    int drop = !strncmp(s, "smb.bcc=", 8) || !strncmp(s, "smb.andxoffset=", 15);
    if (!drop) {
      memmove(r->buf + o, s, l);
      o += l;
    }
    i += l;
  }
  return r->len = o;
}

static uint8_t msg[1 << 17], out[(1 << 17) + 4];
static uint8_t framed[(1 << 17) + 4], built[(1 << 17) + 8];
static uint8_t t1[2048], t2[2048], t0[2048];
static const size_t type_size[] = {
#define X_SIZE(id, name, cmd, reply) sizeof(smbw_##name),
    SMBW_TYPE_LIST(X_SIZE)
#undef X_SIZE
};

static int same_err(const smbw_error *a, const smbw_error *b) {
  return a->code == b->code && a->offset == b->offset && a->field && b->field &&
         strcmp(a->field, b->field) == 0;
}

static void check_typed(size_t n) {
  if (n < 14 || n > 0xFFFFFF) return;
  int type = smbw_type_of(msg[4], (msg[9] & SMBW_FLAGS_REPLY) != 0);
  if (type < 0) return;
  framed[0] = 0;
  framed[1] = (uint8_t)(n >> 16);
  framed[2] = (uint8_t)(n >> 8);
  framed[3] = (uint8_t)n;
  memcpy(framed + 4, msg, n);
  memset(t1, 0xA5, sizeof t1);
  memset(t0, 0xA5, sizeof t0);
  memset(t2, 0xA5, sizeof t2);
  smbw_msg m;
  memset(&m, 0x5A, sizeof m);
  smbw_error e = {0, 0, NULL}, re = {0, 0, NULL};
  int rc = smbw_parse_typed_(framed, n + 4, SMBW_FRAMING_DIRECT, type, &m, t1, type_size[type],
                             NULL, &e);
  /* the reference */
  smbw_msg rm;
  int want = smbw_msg_decode(framed + 4, n, &rm, &re); /* the same bytes: views compare */
  if (want == 0) {
    smbw_andx_iter it;
    smbw_block b;
    smbw_andx_iter_init(&it, &rm);
    want = smbw_andx_iter_next(&it, &b, &re);
    if (want == 1 && b.andx_command != 0xFF) {
      smbw_block b2;
      int w2 = smbw_andx_iter_next(&it, &b2, &re); /* the first block's AndXOffset */
      if (w2 < 0 && re.offset == SMBW_HEADER_SIZE + 3u && strcmp(re.field, "AndXOffset") == 0)
        want = w2;
    }
    if (want == 1) {
      want = smbw_decode_(&b, type, t2, type_size[type], &re);
      if (want == 0) want = (int)(n + 4);
    }
  }
  CHECK(rc == want);
  if (rc < 0) {
    CHECK(same_err(&e, &re));
    CHECK(memcmp(t1, t0, sizeof t1) == 0);
  } else {
    CHECK(m.data == framed + 4 && m.len == n && m.hdr.mid == rm.hdr.mid &&
          m.hdr.command == rm.hdr.command && m.hdr.status == rm.hdr.status);
    CHECK(memcmp(t1, t2, sizeof t1) == 0);
    /* and the one-call build of what it decoded gives the builder's bytes,
       at the exact size it asks for */
    size_t need = 0, blen = 0, elen = 0;
    int br = smbw_build_typed_(NULL, 0, SMBW_FRAMING_DIRECT, &m.hdr, type, t1, type_size[type],
                               &need);
    smbw_builder bld;
    int er = smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_DIRECT, &m.hdr);
    if (!er) er = smbw_encode_(&bld, type, t1, type_size[type]);
    if (!er) er = smbw_builder_finish(&bld, &elen);
    CHECK(br == er);
    if (br != SMBW_E_NOSPACE) return;
    CHECK(need == elen && need <= sizeof built && need <= sizeof out);
    uint8_t *dst = built + sizeof built - need;
    CHECK(smbw_build_typed_(dst, need, SMBW_FRAMING_DIRECT, &m.hdr, type, t1, type_size[type],
                            &blen) == 0 && blen == need);
    CHECK(smbw_builder_init(&bld, out, need, SMBW_FRAMING_DIRECT, &m.hdr) == 0 &&
          smbw_encode_(&bld, type, t1, type_size[type]) == 0 &&
          smbw_builder_finish(&bld, &elen) == 0 && elen == need);
    CHECK(memcmp(dst, out, need) == 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > sizeof msg) return 0;
  size_t n = size - 1;
  memcpy(msg, data + 1, n);
  if (n >= 12) {
    if (data[0] & 1) msg[9] |= SMBW_FLAGS_REPLY; else msg[9] &= (uint8_t)~SMBW_FLAGS_REPLY;
    if (data[0] & 2) msg[11] |= 0x80; else msg[11] &= 0x7F;
  }
  check_typed(n);
  smbw_error e = {0, 0, NULL};
  size_t used;
  unsigned typed = 0;
  r1.len = 0;
  r1.over = 0;
  int rc = dissect_msg(msg, n, rec_put, &r1, &e, &used, &typed);
  if (rc < 0) {
    /* A precise error: its code, a field name, an offset inside the input. */
    CHECK(e.code == rc && e.field != NULL && e.offset <= n);
    return 0;
  }
  CHECK(used <= n);
  size_t need = 0, len = 0;
  rc = reencode_msg(msg, n, SMBW_FRAMING_DIRECT, NULL, 0, &need);
  if (rc != SMBW_E_NOSPACE) return 0; /* e.g. an unknown wct form: nothing to compare */
  CHECK(need >= 36 && need <= sizeof out);
  uint8_t *dst = out + sizeof out - need; /* output ends at the array's end */
  rc = reencode_msg(msg, n, SMBW_FRAMING_DIRECT, dst, need, &len);
  CHECK(rc == 0 && len == need);
  r2.len = 0;
  r2.over = 0;
  rc = dissect_msg(dst + 4, len - 4, rec_put, &r2, &e, &used, &typed);
  CHECK(rc == 0);
  if (!r1.over && !r2.over) {
    /* The re-encoded message says the same, but for ByteCount and the
       AndX offsets, which the encoder recomputes for the new layout. */
#ifdef DEBUGDUMP
    fwrite(r1.buf, 1, r1.len, stderr);
    fputs("----\n", stderr);
    fwrite(r2.buf, 1, r2.len, stderr);
#endif
    CHECK(strip(&r1) == strip(&r2) && memcmp(r1.buf, r2.buf, r1.len) == 0);
  }
  return 0;
}
