/*
 * libFuzzer target: the TRANSACTION subprotocols, RAP (rap.h), named pipes
 * and mailslot writes (pipe.h).
 *
 * Input: byte 0 % 5 chooses what the rest is (layout in
 * fuzz/make_corpus_rap.py, which builds the seeds from the golden captures):
 *  0  RAP request parameters: smbw_rap_req_decode(), the walk of RAPParams,
 *     the typed call;
 *  1  a response's data: a DataDesc, Converter, opcode and count, then the
 *     data: the generic walk of count structures and the typed iterator;
 *  2  a named pipe request (setup, params, data);
 *  3  a named pipe response (function, unicode, params, data);
 *  4  a mailslot write (setup, data), and smbw_trans_target() of the bytes.
 *
 * Security model asserted:
 *  - every decoder reads only its views (each ends at a PROT_NONE page);
 *    every view it returns lies inside its input;
 *  - a failure names a field and leaves the output untouched (canary);
 *  - a decoded request, response, pipe call or mailslot write encodes back
 *    byte for byte; the walk's fields written again by smbw_rap_put() walk
 *    back to the same values; typed calls and entries re-encode to bytes
 *    that decode to the same values; encoders asked with a short buffer
 *    say SMBW_E_NOSPACE and the exact size, and write nothing past it.
 */
#include "fuzz_common.h"

static int same(smbw_bytes a, const uint8_t *b, size_t n) {
  return a.len == n && (n == 0 || memcmp(a.data, b, n) == 0);
}

static int eqv(smbw_bytes a, smbw_bytes b) {
  return a.len == b.len && (!a.data) == (!b.data) && (a.len == 0 || !memcmp(a.data, b.data, a.len));
}

#define MAXF 256
static smbw_rap_field F[MAXF], F2[MAXF];

/* Walk desc over area; returns fields (or the error, negative). */
static int walk_all(int side, smbw_bytes desc, smbw_bytes area, uint32_t start, uint16_t conv,
                    smbw_rap_field *f, unsigned *n, uint32_t *end) {
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, side, desc, area, start, conv);
  smbw_error e = {0, 0, NULL};
  int rc;
  *n = 0;
  while ((rc = smbw_rap_walk_next(&w, &f[*n], &e)) == 1) {
    const smbw_rap_field *x = &f[*n];
    CHECK(fz_inside(x->bytes.data, x->bytes.len, area.data, area.len));
    CHECK(x->offset >= start && x->width <= area.len && x->offset <= area.len - x->width);
    if (++*n == MAXF) break;
  }
  if (rc < 0) CHECK(e.code == rc && e.field != NULL);
  *end = w.pos;
  return rc;
}

static void req_mode(const uint8_t *p, size_t n) {
  const uint8_t *in = fz_place(0, p, n);
  smbw_rap_req r;
  smbw_error e = {0, 0, NULL};
  memset(&r, 0x5A, sizeof r);
  int rc = smbw_rap_req_decode((smbw_bytes){in, (uint32_t)n}, (smbw_bytes){NULL, 0}, &r, &e);
  if (rc < 0) {
    CHECK(e.code == rc && e.field != NULL);
    const uint8_t *b = (const uint8_t *)&r;
    for (size_t i = 0; i < sizeof r; i++) CHECK(b[i] == 0x5A);
    return;
  }
  CHECK(fz_inside(r.params.data, r.params.len, in, n));
  CHECK(fz_inside(r.aux_desc.data, r.aux_desc.len, in, n));
  size_t len = 0;
  CHECK(smbw_rap_req_encode(NULL, 0, &r, &len) == (n ? SMBW_E_NOSPACE : 0) && len == n);
  uint8_t *out = fz_out(1, n);
  CHECK(smbw_rap_req_encode(out, n, &r, &len) == 0 && len == n && !memcmp(out, in, n));
  if (n) {
    uint8_t *sh = fz_out(1, n - 1);
    CHECK(smbw_rap_req_encode(sh, n - 1, &r, &len) == SMBW_E_NOSPACE && len == n);
    CHECK(fz_canary_ok(1, n - 1));
  }
  /* the walk and its writer */
  unsigned nf;
  uint32_t end;
  int wr = walk_all(SMBW_RAP_REQ_PARAMS, r.param_desc, r.params, 0, 0, F, &nf, &end);
  CHECK(wr == 0 || (wr == 1 && nf == MAXF)); /* 1: more items than F holds */
  size_t pos = 0;
  out = fz_out(1, r.params.len);
  if (wr == 0) {
    CHECK(end == r.params.len);
    CHECK(smbw_rap_put(out, r.params.len, &pos, NULL, SMBW_RAP_REQ_PARAMS, r.param_desc, 0, F,
                       nf) == 0);
    CHECK(pos == r.params.len && !memcmp(out, r.params.data, pos));
  }
  /* the typed call */
  smbw_rap_call c;
  if (smbw_rap_call_req_decode(&r, &c, &e) == 0) {
    uint8_t *buf = fz_out(1, r.params.len);
    CHECK(smbw_rap_call_req_encode(buf, r.params.len, &c, &len) == 0);
    CHECK(same(r.params, buf, len));
  }
  smbw_rap_rsp s;
  if (smbw_rap_rsp_decode((smbw_bytes){in, (uint32_t)n}, &s, &e) == 0) {
    CHECK(smbw_rap_rsp_encode(NULL, 0, &s, &len) == SMBW_E_NOSPACE && len == n);
    smbw_rap_call cc;
    memset(&cc, 0, sizeof cc);
    (void)smbw_rap_call_rsp_decode((uint16_t)(in[0] | in[1] << 8), &s, &cc, &e);
  }
}

static void data_mode(const uint8_t *p, size_t n) {
  if (n < 1) return;
  size_t dl = p[0];
  if (n < 1 + dl + 5) return;
  const uint8_t *d = fz_place(2, p + 1, dl);
  smbw_bytes desc = {d, (uint32_t)dl};
  const uint8_t *q = p + 1 + dl;
  uint16_t conv = (uint16_t)(q[0] | q[1] << 8), opcode = (uint16_t)(q[2] | q[3] << 8);
  uint32_t count = q[4];
  size_t len = n - 1 - dl - 5;
  const uint8_t *in = fz_place(0, q + 5, len);
  smbw_bytes data = {in, (uint32_t)len};
  uint32_t stride = 0;
  smbw_error e = {0, 0, NULL};
  if (smbw_rap_desc_size(SMBW_RAP_DATA, desc, &stride, &e) < 0) {
    CHECK(e.field != NULL);
    return;
  }
  /* the generic walk of each structure, written again and walked back */
  static uint8_t out[1u << 17];
  for (uint32_t i = 0; i < count && (uint64_t)i * stride <= len; i++) {
    unsigned nf;
    uint32_t end;
    if (walk_all(SMBW_RAP_DATA, desc, data, i * stride, conv, F, &nf, &end) < 0) break;
    if (nf == MAXF) break;
    CHECK(end == i * stride + stride);
    size_t pos = 0, heap = stride;
    int rc = smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, desc, conv, F, nf);
    if (rc == SMBW_E_RANGE) continue; /* a pointer past 16 bits with this Converter */
    CHECK(rc == 0 && pos == stride);
    unsigned nf2;
    CHECK(walk_all(SMBW_RAP_DATA, desc, (smbw_bytes){out, (uint32_t)heap}, 0, conv, F2, &nf2,
                   &end) == 0 && nf2 == nf);
    for (unsigned k = 0; k < nf; k++) {
      CHECK(F2[k].desc == F[k].desc && F2[k].width == F[k].width);
      CHECK(eqv(F2[k].bytes, F[k].bytes));
      if (F[k].kind == SMBW_RAP_INT) CHECK(F2[k].value == F[k].value);
    }
  }
  /* the typed iterator */
  smbw_rap_iter it;
  if (smbw_rap_iter_init(&it, opcode, desc, data, conv, count, &e) != 0) {
    CHECK(e.field != NULL);
    return;
  }
  smbw_rap_info info;
  int rc;
  size_t pos = 0, heap = (size_t)stride * count;
  while ((rc = smbw_rap_iter_next(&it, &info, &e)) == 1) {
    CHECK(fz_inside(info.name.data, info.name.len, in, len));
    CHECK(fz_inside(info.comment.data, info.comment.len, in, len));
    rc = smbw_rap_info_put(out, sizeof out, &pos, &heap, desc, conv, &info);
    CHECK(rc == 0 || rc == SMBW_E_RANGE);
    if (rc) break;
  }
  if (rc < 0 && rc != SMBW_E_RANGE) CHECK(e.code == rc && e.field != NULL);
}

static void pipe_req_mode(const uint8_t *p, size_t n) {
  if (n < 2 || (size_t)p[0] + p[1] > n - 2) return;
  size_t sl = p[0], pl = p[1], dl = n - 2 - sl - pl;
  const uint8_t *s = fz_place(0, p + 2, sl), *pa = fz_place(1, p + 2 + sl, pl),
                *d = fz_place(2, p + 2 + sl + pl, dl);
  smbw_pipe_req r;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_pipe_req_decode((smbw_bytes){s, (uint32_t)sl}, (smbw_bytes){pa, (uint32_t)pl},
                                (smbw_bytes){d, (uint32_t)dl}, &r, &e);
  if (rc < 0) {
    CHECK(e.code == rc && e.field != NULL);
    return;
  }
  static uint8_t so[512], po[512], dout[1u << 17];
  size_t a, b, c;
  CHECK(smbw_pipe_req_encode(so, sizeof so, &a, po, sizeof po, &b, dout, sizeof dout, &c, &r) == 0);
  CHECK(a == sl && !memcmp(so, s, sl) && b == pl && !memcmp(po, pa, pl) && c == dl &&
        (dl == 0 || !memcmp(dout, d, dl)));
}

static void pipe_rsp_mode(const uint8_t *p, size_t n) {
  if (n < 4 || p[3] > n - 4) return;
  uint16_t fn = (uint16_t)(p[0] | p[1] << 8);
  int unicode = p[2] & 1;
  size_t pl = p[3], dl = n - 4 - pl;
  const uint8_t *pa = fz_place(1, p + 4, pl), *d = fz_place(2, p + 4 + pl, dl);
  smbw_pipe_rsp r;
  smbw_error e = {0, 0, NULL};
  memset(&r, 0x5A, sizeof r);
  int rc = smbw_pipe_rsp_decode(fn, (smbw_bytes){pa, (uint32_t)pl}, (smbw_bytes){d, (uint32_t)dl},
                                unicode, &r, &e);
  if (rc < 0) {
    CHECK(e.code == rc && e.field != NULL);
    const uint8_t *b = (const uint8_t *)&r;
    for (size_t i = 0; i < sizeof r; i++) CHECK(b[i] == 0x5A);
    return;
  }
  CHECK(fz_inside(r.pipe_name.data, r.pipe_name.len, d, dl));
  CHECK(fz_inside(r.read_data.data, r.read_data.len, d, dl));
  static uint8_t po[512], dout[1u << 17];
  size_t a, b;
  CHECK(smbw_pipe_rsp_encode(po, sizeof po, &a, dout, sizeof dout, &b, unicode, &r) == 0);
  CHECK(a == pl && !memcmp(po, pa, pl) && b == dl && (dl == 0 || !memcmp(dout, d, dl)));
  uint8_t *sh = fz_out(3, dl ? dl - 1 : 0);
  if (dl) {
    CHECK(smbw_pipe_rsp_encode(po, sizeof po, &a, sh, dl - 1, &b, unicode, &r) == SMBW_E_NOSPACE &&
          b == dl);
    CHECK(fz_canary_ok(3, dl - 1));
  }
}

static void mailslot_mode(const uint8_t *p, size_t n) {
  if (n < 1 || p[0] > n - 1) return;
  size_t sl = p[0], dl = n - 1 - sl;
  const uint8_t *s = fz_place(0, p + 1, sl), *d = fz_place(1, p + 1 + sl, dl);
  smbw_mailslot_write m;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_mailslot_write_decode((smbw_bytes){s, (uint32_t)sl}, (smbw_bytes){d, (uint32_t)dl},
                                      &m, &e);
  if (rc == 0) {
    uint8_t so[512];
    size_t a;
    CHECK(smbw_mailslot_write_encode(so, sizeof so, &a, &m) == 0 && a == sl && !memcmp(so, s, sl));
  } else {
    CHECK(e.code == rc && e.field != NULL);
  }
  smbw_str name = {d, (uint32_t)dl, (uint8_t)(sl & 1), 0, 0};
  int k = smbw_trans_target(&name);
  CHECK(k >= SMBW_TRANS_TARGET_OTHER && k <= SMBW_TRANS_TARGET_MAILSLOT);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > FZ_MAX) return 0;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  switch (data[0] % 5) {
  case 0: req_mode(p, n); break;
  case 1: data_mode(p, n); break;
  case 2: pipe_req_mode(p, n); break;
  case 3: pipe_rsp_mode(p, n); break;
  default: mailslot_mode(p, n); break;
  }
  return 0;
}
