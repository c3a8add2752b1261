/*
 * libFuzzer target: the transaction reassembler (smbw_trans_asm_init,
 * smbw_trans_asm_req, smbw_trans_asm_rsp) fed a fragment sequence decoded
 * from the input, against a reference model written here from the rules
 * in trans.h's comment (not from trans.c): a byte image of each caller
 * buffer and a coverage map, one byte per position.
 *
 * Input (little-endian; fz_rd gives zeros once the input runs out):
 *   u16 params capacity, u16 data capacity, u8 flags (bit 0: +0x10000 to
 *   the params capacity, bit 1: a NULL params buffer when its capacity is
 *   0; bits 2, 3: the same for data); base IDs: u16 TID, UID, MID,
 *   PIDLow, PIDHigh.  Then up to 300 records:
 *   u8 op   bits 0-2 command: 0x25 0x26 0x32 0x33 0xA0 0xA1, 0x24 and
 *                    0x2E (not transactions: SMBW_E_INVAL)
 *           bit 3    a response (smbw_trans_asm_rsp) instead of a request
 *           bits 4-5 IDs: 0, 1 the base IDs; 2 one of them changed
 *                    (u8 which, u16 xor); 3 all five read (u16 each)
 *           bit 6    response WordCount 0 (interim: carries nothing)
 *           bit 7    setup words and Function follow (u8 length 0-4,
 *                    the bytes, u16 Function)
 *   u8 pm, u8 dm  the parameter and data pieces, 2 bits each:
 *           bits 0-1 total: 0 the current one (first fragment: u16 modulo
 *                    the capacity + 1), 1 the current one (first fragment:
 *                    the capacity) + s8, 2 u16, 3 u32
 *           bits 2-3 displacement: 0 the first byte not yet received at
 *                    or after u16 modulo (total + 1), 1 u8, 2 u16, 3 u32
 *                    (ignored by primary requests: always 0)
 *           bits 4-5 count: 0 u8, 1 the rest of that hole (at most
 *                    64 KiB), 2 u16, 3 u32 (at most the view area)
 *   the values, in that order (params then data), as the modes ask.
 * Piece bytes are views ending at a guard page, over a fixed
 * pseudo-random pattern.
 *
 * Security model asserted after every call:
 *  - the caller's buffers are written only at the bytes of accepted
 *    pieces: each buffer ends at a guard page, a canary precedes it, and
 *    its contents equal the model's image (0xA5 where nothing was
 *    received) - every call for buffers up to 4 KiB, else the piece,
 *    both ends, and the whole buffer at completion and at the end;
 *  - accept/refuse agrees with the model: the call is refused exactly when
 *    some rule is broken (family, direction, IDs, a total that grows or
 *    falls below the end of the bytes received, a total over the buffer,
 *    a piece past its total in 64-bit arithmetic, an overlap with bytes
 *    received, more than 8 disjoint pieces in an area after merging
 *    touching ones, a secondary first, a fragment after completion), and
 *    the code and field name one of the rules broken (the displacement
 *    rules also their displacement as the offset);
 *  - a refused fragment leaves the reassembler byte for byte unchanged
 *    (memcmp of a copy), except SMBW_E_NOSPACE on the first fragment,
 *    which reports the totals in total_params / total_data (trans.h);
 *  - an accepted one updates totals, IDs, command, subcommand and the
 *    fragment count as the model does; totals never grow; 1 is returned
 *    exactly when every byte of both totals has been received, and then
 *    params and data are the caller's buffers holding the model's bytes;
 *  - NULL arguments, NULL buffers with a size and sizes over 2^32 - 1 are
 *    SMBW_E_INVAL and change nothing.
 */
#include <stddef.h>

#include "fuzz_common.h"

#define MAXCAP 0x20000u
#define MAXREC 300
#define FULLCMP 4096u

static const uint8_t acmds[8] = {0x25, 0x26, 0x32, 0x33, 0xA0, 0xA1, 0x24, 0x2E};

/* ---- the reference model ---- */

typedef struct area_m {
  uint32_t cap;   /* the caller's buffer size */
  uint32_t total; /* current total (valid once started) */
  uint32_t hi;    /* end of the highest byte received */
  uint32_t got;   /* bytes received */
  uint32_t runs;  /* maximal runs of received bytes */
  uint8_t img[MAXCAP]; /* what the caller's buffer must hold */
  uint8_t cov[MAXCAP]; /* 1: received */
} area_m;

typedef struct model {
  int started, done;
  uint8_t cmd, rsp, frags;
  uint16_t tid, uid, mid, sub;
  uint32_t pid;
  area_m p, d;
} model;

static model M;

static int is_cov(const area_m *a, uint64_t i) { return i < a->cap && a->cov[i]; }

static int overlaps(const area_m *a, uint64_t lo, uint64_t hi) {
  if (hi > a->cap) hi = a->cap;
  return lo < hi && memchr(a->cov + lo, 1, (size_t)(hi - lo)) != NULL;
}

/* Runs after adding [lo, hi) (not overlapping what was received). */
static uint32_t runs_after(const area_m *a, uint64_t lo, uint64_t hi) {
  if (lo == hi) return a->runs;
  return a->runs + 1u - (uint32_t)(lo > 0 && is_cov(a, lo - 1)) - (uint32_t)is_cov(a, hi);
}

static void add_piece(area_m *a, uint32_t lo, smbw_bytes v) {
  if (!v.len) return;
  a->runs = runs_after(a, lo, (uint64_t)lo + v.len);
  CHECK((uint64_t)lo + v.len <= a->cap && !overlaps(a, lo, (uint64_t)lo + v.len));
  memset(a->cov + lo, 1, v.len);
  memcpy(a->img + lo, v.data, v.len);
  a->got += v.len;
  if (lo + v.len > a->hi) a->hi = lo + v.len;
}

static uint8_t family_of(uint8_t c) {
  return c == 0x26 ? 0x25 : c == 0x33 ? 0x32 : c == 0xA1 ? 0xA0 : c;
}

static int is_primary(uint8_t c) { return c == 0x25 || c == 0x32 || c == 0xA0; }
static int is_trans(uint8_t c) { return is_primary(c) || c == 0x26 || c == 0x33 || c == 0xA1; }

/* The rules a fragment breaks. */
enum {
  V_STATE_DONE = 1 << 0, V_STATE_FIRST = 1 << 1, V_MIS_CMD = 1 << 2, V_MIS_ID = 1 << 3,
  V_TOT_P = 1 << 4, V_TOT_D = 1 << 5, V_NOSPACE_P = 1 << 6, V_NOSPACE_D = 1 << 7,
  V_DISP_P = 1 << 8, V_DISP_D = 1 << 9, V_OVL_P = 1 << 10, V_OVL_D = 1 << 11,
  V_FRAG_P = 1 << 12, V_FRAG_D = 1 << 13
};

typedef struct frag {
  uint8_t cmd;
  int rsp, wct0;
  uint32_t tp, td, pd, dd; /* pd, dd: as the reassembler must use them */
  smbw_bytes params, data, setup;
  uint16_t function;
  smbw_header h;
} frag;

static unsigned judge(const frag *f) {
  unsigned v = 0;
  uint32_t pid = (uint32_t)f->h.pid_high << 16 | f->h.pid_low;
  if (M.done) v |= V_STATE_DONE;
  if (!M.started) {
    if (!f->rsp && !is_primary(f->cmd)) v |= V_STATE_FIRST;
  } else {
    if (family_of(f->cmd) != M.cmd || f->rsp != M.rsp || (!f->rsp && is_primary(f->cmd)))
      v |= V_MIS_CMD;
    if (f->h.tid != M.tid || f->h.uid != M.uid || f->h.mid != M.mid || pid != M.pid)
      v |= V_MIS_ID;
    if (f->tp > M.p.total || f->tp < M.p.hi) v |= V_TOT_P;
    if (f->td > M.d.total || f->td < M.d.hi) v |= V_TOT_D;
  }
  if (f->tp > M.p.cap) v |= V_NOSPACE_P;
  if (f->td > M.d.cap) v |= V_NOSPACE_D;
  uint64_t pe = (uint64_t)f->pd + f->params.len, de = (uint64_t)f->dd + f->data.len;
  if (pe > f->tp) v |= V_DISP_P;
  if (de > f->td) v |= V_DISP_D;
  if (overlaps(&M.p, f->pd, pe)) v |= V_OVL_P;
  if (overlaps(&M.d, f->dd, de)) v |= V_OVL_D;
  if (runs_after(&M.p, f->pd, pe) > 8) v |= V_FRAG_P;
  if (runs_after(&M.d, f->dd, de) > 8) v |= V_FRAG_D;
  return v;
}

/* The rule a refusal names. */
static unsigned named(const frag *f, int rc, const smbw_error *e) {
  const char *fl = e->field;
  CHECK(e->code == rc && fl != NULL);
  int p = !strcmp(fl, "ParameterDisplacement"), d = !strcmp(fl, "DataDisplacement");
  int tp = !strcmp(fl, "TotalParameterCount"), td = !strcmp(fl, "TotalDataCount");
  if (p) CHECK(e->offset == f->pd);
  if (d) CHECK(e->offset == f->dd);
  switch (rc) {
  case SMBW_E_STATE:
    return !strcmp(fl, "transaction") ? V_STATE_DONE : !strcmp(fl, "Command") ? V_STATE_FIRST : 0;
  case SMBW_E_TRANS_MISMATCH:
    return !strcmp(fl, "Command") ? V_MIS_CMD : !strcmp(fl, "TID/PID/UID/MID") ? V_MIS_ID : 0;
  case SMBW_E_TRANS_TOTAL: return tp ? V_TOT_P : td ? V_TOT_D : 0;
  case SMBW_E_NOSPACE: return tp ? V_NOSPACE_P : td ? V_NOSPACE_D : 0;
  case SMBW_E_TRANS_DISPLACEMENT: return p ? V_DISP_P : d ? V_DISP_D : 0;
  case SMBW_E_TRANS_OVERLAP: return p ? V_OVL_P : d ? V_OVL_D : 0;
  case SMBW_E_TRANS_FRAGMENTS: return p ? V_FRAG_P : d ? V_FRAG_D : 0;
  default: return 0;
  }
}

static uint16_t setup0(smbw_bytes s) {
  return s.len >= 2 ? (uint16_t)(s.data[0] | s.data[1] << 8) : 0;
}

/* ---- buffers ---- */

static uint8_t *pbuf, *dbuf;
static int pattern_ready;

static void check_buffers(const area_m *a, const uint8_t *buf, int slot, uint32_t lo, uint32_t n,
                          int full) {
  CHECK(fz_canary_ok(slot, a->cap));
  if (!a->cap) return;
  if (full || a->cap <= FULLCMP) {
    CHECK(memcmp(buf, a->img, a->cap) == 0);
    return;
  }
  uint32_t k = a->cap < 64 ? a->cap : 64;
  CHECK(memcmp(buf, a->img, k) == 0 && memcmp(buf + a->cap - k, a->img + a->cap - k, k) == 0);
  if (n && lo < a->cap) {
    if (n > a->cap - lo) n = a->cap - lo;
    CHECK(memcmp(buf + lo, a->img + lo, n) == 0);
  }
}

/* A view of n pattern bytes ending at slot's guard page. */
static smbw_bytes view(int slot, uint32_t n) {
  guard_buf *g = fz_slot(slot);
  if (n > g->size) n = (uint32_t)g->size;
  smbw_bytes v = {g->base + g->size - n, n};
  if (!n) v.data = NULL;
  return v;
}

/* ---- reading a record ---- */

static uint32_t first_hole(const area_m *a, uint32_t from, uint32_t total) {
  uint32_t end = total < a->cap ? total : a->cap;
  if (from >= end) return from;
  const uint8_t *z = memchr(a->cov + from, 0, end - from);
  return z ? (uint32_t)(z - a->cov) : end;
}

static uint32_t hole_len(const area_m *a, uint32_t at, uint32_t total) {
  if (at >= total) return 0;
  uint32_t n = total - at < 0x10000u ? total - at : 0x10000u;
  if (at >= a->cap) return n;
  uint32_t m = a->cap - at < n ? a->cap - at : n;
  const uint8_t *c = memchr(a->cov + at, 1, m);
  return c ? (uint32_t)(c - (a->cov + at)) : n;
}

static void read_piece(fz_rd *rd, uint8_t mode, const area_m *a, int primary, int slot,
                       uint32_t *total, uint32_t *disp, smbw_bytes *v) {
  uint32_t cur = M.started ? a->total : a->cap;
  switch (mode & 3) {
  case 0: *total = M.started ? a->total : (uint32_t)(fz_u16(rd) % ((uint64_t)a->cap + 1)); break;
  case 1: {
    int64_t t = (int64_t)cur + (int8_t)fz_u8(rd);
    *total = t < 0 ? 0 : t > 0xFFFFFFFF ? 0xFFFFFFFFu : (uint32_t)t;
    break;
  }
  case 2: *total = fz_u16(rd); break;
  default: *total = fz_u32(rd); break;
  }
  uint32_t d;
  switch ((mode >> 2) & 3) {
  case 0: d = first_hole(a, (uint32_t)(fz_u16(rd) % ((uint64_t)*total + 1)), *total); break;
  case 1: d = fz_u8(rd); break;
  case 2: d = fz_u16(rd); break;
  default: d = fz_u32(rd); break;
  }
  *disp = primary ? 0 : d;
  uint32_t n;
  switch ((mode >> 4) & 3) {
  case 0: n = fz_u8(rd); break;
  case 1: n = hole_len(a, *disp, *total); break;
  case 2: n = fz_u16(rd); break;
  default: n = fz_u32(rd); break;
  }
  *v = view(slot, n);
}

static const char *errname(int rc) { return rc >= 0 ? (rc ? "1" : "0") : smbw_errname(rc); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FZ_MAX) return 0;
  if (!pattern_ready) {
    uint32_t x = 0x12345678u;
    for (int s = 2; s < 4; s++) {
      guard_buf *g = fz_slot(s);
      for (size_t i = 0; i < g->size; i++) {
        x = x * 1103515245u + 12345u;
        g->base[i] = (uint8_t)(x >> 23);
      }
    }
    pattern_ready = 1;
  }
  fz_rd rd = {data, size};
  uint32_t pcap = fz_u16(&rd), dcap = fz_u16(&rd);
  uint8_t fl = fz_u8(&rd);
  if (fl & 1) pcap += 0x10000u;
  if (fl & 4) dcap += 0x10000u;
  pbuf = fz_out(0, pcap);
  dbuf = fz_out(1, dcap);
  uint8_t *pb = (fl & 2) && pcap == 0 ? NULL : pbuf;
  uint8_t *db = (fl & 8) && dcap == 0 ? NULL : dbuf;
  smbw_header base;
  memset(&base, 0, sizeof base);
  uint16_t *const ids[] = {&base.tid, &base.uid, &base.mid, &base.pid_low, &base.pid_high};
  for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) *ids[i] = fz_u16(&rd); /* in this order */

  memset(&M.p, 0, offsetof(area_m, img));
  memset(&M.d, 0, offsetof(area_m, img));
  M.started = M.done = 0;
  M.cmd = M.rsp = M.frags = 0;
  M.p.cap = pcap;
  M.d.cap = dcap;
  memset(M.p.img, 0xA5, pcap);
  memset(M.d.img, 0xA5, dcap);
  memset(M.p.cov, 0, pcap);
  memset(M.d.cov, 0, dcap);

  /* Initialisation: bad arguments change nothing; nothing is written
     to the buffers before a fragment is accepted. */
  smbw_trans_asm a, copy;
  memset(&a, 0x77, sizeof a);
  memcpy(&copy, &a, sizeof a);
  CHECK(smbw_trans_asm_init(NULL, pb, pcap, db, dcap) == SMBW_E_INVAL);
  CHECK(smbw_trans_asm_init(&a, NULL, 1, db, dcap) == SMBW_E_INVAL);
  CHECK(smbw_trans_asm_init(&a, pb, pcap, NULL, 7) == SMBW_E_INVAL);
#if SIZE_MAX > 0xFFFFFFFFu
  CHECK(smbw_trans_asm_init(&a, pb, (size_t)0x100000000u, db, dcap) == SMBW_E_INVAL);
  CHECK(smbw_trans_asm_init(&a, pb, pcap, db, (size_t)0x100000000u) == SMBW_E_INVAL);
#endif
  CHECK(memcmp(&a, &copy, sizeof a) == 0);
  CHECK(smbw_trans_asm_init(&a, pb, pcap, db, dcap) == 0);
  CHECK(a.command == 0 && a.done == 0 && a.fragments == 0);
  check_buffers(&M.p, pbuf, 0, 0, 0, 1);
  check_buffers(&M.d, dbuf, 1, 0, 0, 1);

  /* NULL arguments. */
  {
    smbw_trans_req q;
    smbw_trans_rsp r;
    memset(&q, 0, sizeof q);
    memset(&r, 0, sizeof r);
    q.command = 0x32;
    r.command = 0x32;
    r.wct = 10;
    memcpy(&copy, &a, sizeof a);
    CHECK(smbw_trans_asm_req(NULL, &q, &base, NULL) == SMBW_E_INVAL);
    CHECK(smbw_trans_asm_req(&a, NULL, &base, NULL) == SMBW_E_INVAL);
    CHECK(smbw_trans_asm_req(&a, &q, NULL, NULL) == SMBW_E_INVAL);
    CHECK(smbw_trans_asm_rsp(NULL, &r, &base, NULL) == SMBW_E_INVAL);
    CHECK(smbw_trans_asm_rsp(&a, NULL, &base, NULL) == SMBW_E_INVAL);
    CHECK(smbw_trans_asm_rsp(&a, &r, NULL, NULL) == SMBW_E_INVAL);
    CHECK(memcmp(&a, &copy, sizeof a) == 0);
  }

  for (int rec = 0; rec < MAXREC && rd.n > 0; rec++) {
    uint8_t op = fz_u8(&rd), pm = fz_u8(&rd), dm = fz_u8(&rd);
    frag f;
    memset(&f, 0, sizeof f);
    f.cmd = acmds[op & 7];
    f.rsp = (op >> 3) & 1;
    f.wct0 = f.rsp && ((op >> 6) & 1);
    f.h = base;
    switch ((op >> 4) & 3) {
    case 2: {
      uint8_t which = fz_u8(&rd) % 5;
      uint16_t x = fz_u16(&rd);
      uint16_t *id[5] = {&f.h.tid, &f.h.uid, &f.h.mid, &f.h.pid_low, &f.h.pid_high};
      *id[which] ^= x;
      break;
    }
    case 3:
      f.h.tid = fz_u16(&rd);
      f.h.uid = fz_u16(&rd);
      f.h.mid = fz_u16(&rd);
      f.h.pid_low = fz_u16(&rd);
      f.h.pid_high = fz_u16(&rd);
      break;
    default:
      break;
    }
    if (op & 0x80) {
      f.setup = fz_take(&rd, fz_u8(&rd) % 5u);
      f.function = fz_u16(&rd);
    }
    /* Primary requests have no displacement: the reassembler puts their
       pieces at 0 (the decoder gives 0 there). */
    int primary = !f.rsp && is_primary(f.cmd);
    read_piece(&rd, pm, &M.p, primary, 2, &f.tp, &f.pd, &f.params);
    read_piece(&rd, dm, &M.d, primary, 3, &f.td, &f.dd, &f.data);

    /* Expected outcome. */
    int exact = 1, want = 0;
    unsigned viol = 0;
    if (f.rsp && f.wct0) {
      want = M.done ? SMBW_E_STATE : 0;
    } else if (f.rsp ? !is_primary(f.cmd) : !is_trans(f.cmd)) {
      want = SMBW_E_INVAL;
    } else {
      viol = judge(&f);
      exact = viol == 0;
    }

    memcpy(&copy, &a, sizeof a);
    smbw_error e = {0, 0, NULL};
    int rc;
    if (f.rsp) {
      smbw_trans_rsp r;
      memset(&r, 0, sizeof r);
      r.command = f.cmd;
      r.wct = f.wct0 ? 0 : (uint8_t)((f.cmd == 0xA0 ? 18 : 10) + f.setup.len / 2u);
      r.total_param_count = f.tp;
      r.total_data_count = f.td;
      r.param_displacement = f.pd;
      r.data_displacement = f.dd;
      r.params = f.params;
      r.data = f.data;
      r.setup = f.setup;
      rc = smbw_trans_asm_rsp(&a, &r, &f.h, &e);
    } else {
      smbw_trans_req q;
      memset(&q, 0, sizeof q);
      q.command = f.cmd;
      q.total_param_count = f.tp;
      q.total_data_count = f.td;
      q.param_displacement = f.pd;
      q.data_displacement = f.dd;
      q.params = f.params;
      q.data = f.data;
      q.setup = f.setup;
      q.function = f.function;
      rc = smbw_trans_asm_req(&a, &q, &f.h, &e);
    }

    if (exact && (want < 0 || f.wct0)) {
      if (rc != want) {
        fprintf(stderr, "record %d: %s, expected %s\n", rec, errname(rc), errname(want));
        CHECK(0);
      }
      if (rc) CHECK(e.code == rc && e.field != NULL && e.field[0] != 0);
    } else if (exact) {
      if (rc < 0) {
        fprintf(stderr, "record %d: refused (%s, %s at %u), the model accepts it\n", rec,
                errname(rc), e.field ? e.field : "", e.offset);
        CHECK(0);
      }
    } else {
      unsigned got = rc < 0 ? named(&f, rc, &e) : 0;
      if (!(got & viol)) {
        fprintf(stderr, "record %d: %s (%s at %u); the model refuses it, rules broken: 0x%x\n",
                rec, errname(rc), rc < 0 && e.field ? e.field : "", e.offset, viol);
        CHECK(0);
      }
    }
    if (rc < 0 || f.wct0) {
      /* Nothing changed (NOSPACE on the first fragment: the totals). */
      if (rc == SMBW_E_NOSPACE && !M.started) {
        CHECK(a.total_params == f.tp && a.total_data == f.td);
        copy.total_params = f.tp;
        copy.total_data = f.td;
      }
      CHECK(memcmp(&a, &copy, sizeof a) == 0);
      check_buffers(&M.p, pbuf, 0, f.pd, f.params.len, 0);
      check_buffers(&M.d, dbuf, 1, f.dd, f.data.len, 0);
      continue;
    }
    /* Accepted: the model takes it too. */
    if (!M.started) {
      M.started = 1;
      M.cmd = family_of(f.cmd);
      M.rsp = (uint8_t)f.rsp;
      M.tid = f.h.tid;
      M.uid = f.h.uid;
      M.mid = f.h.mid;
      M.pid = (uint32_t)f.h.pid_high << 16 | f.h.pid_low;
      M.sub = !f.rsp && f.cmd == 0xA0 ? f.function : setup0(f.setup);
    } else {
      CHECK(a.total_params <= copy.total_params && a.total_data <= copy.total_data);
    }
    M.p.total = f.tp;
    M.d.total = f.td;
    add_piece(&M.p, f.pd, f.params);
    add_piece(&M.d, f.dd, f.data);
    if (M.frags < 255) M.frags++;
    M.done = M.p.got == M.p.total && M.d.got == M.d.total;
    CHECK(rc == M.done);
    CHECK(a.total_params == M.p.total && a.total_data == M.d.total);
    CHECK(a.command == M.cmd && a.response == M.rsp && a.done == M.done);
    CHECK(a.fragments == M.frags && a.subcommand == M.sub);
    CHECK(a.tid == M.tid && a.uid == M.uid && a.mid == M.mid && a.pid == M.pid);
    check_buffers(&M.p, pbuf, 0, f.pd, f.params.len, M.done);
    check_buffers(&M.d, dbuf, 1, f.dd, f.data.len, M.done);
    if (M.done) {
      CHECK(a.params.data == pb && a.params.len == M.p.total);
      CHECK(a.data.data == db && a.data.len == M.d.total);
      CHECK(M.p.hi <= M.p.total && M.d.hi <= M.d.total);
      CHECK(!M.p.total || memchr(M.p.cov, 0, M.p.total) == NULL);
      CHECK(!M.d.total || memchr(M.d.cov, 0, M.d.total) == NULL);
      CHECK(!M.p.total || memcmp(a.params.data, M.p.img, M.p.total) == 0);
      CHECK(!M.d.total || memcmp(a.data.data, M.d.img, M.d.total) == 0);
    }
  }
  check_buffers(&M.p, pbuf, 0, 0, 0, 1);
  check_buffers(&M.d, dbuf, 1, 0, 0, 1);
  return 0;
}
