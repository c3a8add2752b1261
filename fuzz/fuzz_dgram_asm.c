/*
 * libFuzzer target: the datagram fragment reassembler (smbw_dgram_asm_*,
 * dgram.h) fed fragments built from the input, each written with
 * smbw_dgram_encode() and read back with smbw_dgram_decode() as a receiver
 * would, against a reference model written here from the rules in
 * dgram.h's comment (not from dgram.c): a byte image of the caller's
 * buffer and the list of ranges received.
 *
 * Input (little-endian; fz_rd gives zeros once the input runs out):
 *   u16 capacity, u8 mode (bit 0: +0x10000 to the capacity, bit 1: a NULL
 *   buffer when the capacity is 0).  Then up to 200 records:
 *   u8 op   bits 0-1 FLAGS F and M as given (bit 0 M, bit 1 F); bit 2
 *                    F right instead (set exactly when the offset is 0)
 *           bits 3-5 key: 0-2 the base key; 3 DGM_ID + 1; 4 SOURCE_IP ^ 1;
 *                    5 SOURCE_PORT + 1; 6 a source name byte; 7 the type
 *                    DIRECT_GROUP and DIRECT_UNIQUE swapped
 *           bit 6    offset: the first byte not yet received (else u16)
 *           bit 7    length: u8 (else u16 modulo 2000)
 *   then the u16 offset and the length as the bits ask.
 * Fragment bytes are a fixed pattern at their offset, so any accepted
 * piece agrees with the whole.
 *
 * Security model asserted after every call:
 *  - the caller's buffer (ending at a guard page, a canary before it)
 *    equals the model's image: written only at accepted pieces;
 *  - accept/refuse agrees with the model, and a refusal reports a code,
 *    field and offset (inside the 14-byte header plus both names);
 *  - a refused fragment leaves the reassembler byte for byte unchanged;
 *  - 1 exactly when the last fragment is in and every byte up to it is
 *    received, then data is the caller's buffer and total its size, and
 *    every later fragment is SMBW_E_STATE; smbw_dgram_asm_match() is 1
 *    exactly for the base key once a fragment is in.
 */
#include "fuzz_common.h"

#define MAXR 16u

typedef struct model {
  uint32_t lo[MAXR], hi[MAXR], n, maxhi, total;
  int started, last, done;
} model;

static uint8_t pattern(uint32_t i) { return (uint8_t)(i * 2654435761u >> 13); }

/* The ranges after adding [lo, hi), merged; n of them.  0 on overlap. */
static int model_try(const model *m, uint32_t lo, uint32_t hi, uint32_t *n) {
  if (lo == hi) return *n = m->n, 1;
  uint32_t touch = 0;
  for (uint32_t i = 0; i < m->n; i++) {
    if (lo < m->hi[i] && m->lo[i] < hi) return 0;
    if (m->hi[i] == lo || m->lo[i] == hi) touch++;
  }
  *n = m->n + 1 - touch;
  return 1;
}

static void model_add(model *m, uint32_t lo, uint32_t hi) {
  if (lo == hi) return;
  /* insert then merge touching neighbours, keeping order */
  uint32_t i = 0;
  while (i < m->n && m->lo[i] < lo) i++;
  for (uint32_t j = m->n; j > i; j--) m->lo[j] = m->lo[j - 1], m->hi[j] = m->hi[j - 1];
  m->lo[i] = lo;
  m->hi[i] = hi;
  m->n++;
  for (uint32_t j = 0; j + 1 < m->n;) {
    if (m->hi[j] == m->lo[j + 1]) {
      m->hi[j] = m->hi[j + 1];
      for (uint32_t k = j + 1; k + 1 < m->n; k++) m->lo[k] = m->lo[k + 1], m->hi[k] = m->hi[k + 1];
      m->n--;
    } else {
      j++;
    }
  }
  if (hi > m->maxhi) m->maxhi = hi;
}

static uint32_t model_got(const model *m) {
  uint32_t g = 0;
  for (uint32_t i = 0; i < m->n; i++) g += m->hi[i] - m->lo[i];
  return g;
}

/* The first byte at or after x not yet received. */
static uint32_t model_hole(const model *m, uint32_t x) {
  for (uint32_t i = 0; i < m->n; i++)
    if (m->lo[i] <= x && x < m->hi[i]) x = m->hi[i];
  return x;
}

static uint8_t pat[0x10000 + 2000];
static uint8_t image[FZ_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_rd r = {data, size};
  if (!pat[1]) for (uint32_t i = 0; i < sizeof pat; i++) pat[i] = pattern(i);
  uint32_t cap = fz_u16(&r);
  uint8_t mode = fz_u8(&r);
  if (mode & 1) cap += 0x10000u;
  uint8_t *buf = (cap == 0 && (mode & 2)) ? NULL : fz_out(1, cap);
  smbw_dgram_asm a;
  CHECK(smbw_dgram_asm_init(&a, buf, cap) == 0);
  memset(image, 0xA5, cap);
  model m;
  memset(&m, 0, sizeof m);

  smbw_dgram base;
  memset(&base, 0, sizeof base);
  base.type = SMBW_DGRAM_DIRECT_UNIQUE;
  base.id = 0x1234;
  base.src_ip = 0x7F000001u;
  base.src_port = 138;
  CHECK(smbw_nb_name_set(&base.source, "CLIENT", 0x00) == 0);
  CHECK(smbw_nb_name_set(&base.destination, "DOMAIN", 0x1C) == 0);
  static uint8_t wire[14 + 68 + 2000];

  for (int rec = 0; rec < 200 && r.n; rec++) {
    uint8_t op = fz_u8(&r);
    smbw_dgram f = base;
    unsigned key = (op >> 3) & 7u;
    if (key == 3) f.id++;
    if (key == 4) f.src_ip ^= 1;
    if (key == 5) f.src_port++;
    if (key == 6) f.source.name[3] ^= 0x20;
    if (key == 7) f.type ^= SMBW_DGRAM_DIRECT_UNIQUE ^ SMBW_DGRAM_DIRECT_GROUP;
    uint32_t off = (op & 0x40) ? model_hole(&m, 0) : fz_u16(&r);
    uint32_t len = (op & 0x80) ? fz_u8(&r) : fz_u16(&r) % 2000u;
    if (off > 0xFFFF) off = 0xFFFF;
    f.offset = (uint16_t)off;
    f.data.data = len ? pat + off : NULL;
    f.data.len = len;
    uint8_t fl = op & 3u;
    if (op & 4) fl = (uint8_t)((fl & SMBW_DGRAM_FLAG_MORE) | (off == 0 ? SMBW_DGRAM_FLAG_FIRST : 0));
    f.flags = (uint8_t)(fl | 0x04); /* P node */
    size_t wl = 0;
    CHECK(smbw_dgram_encode(wire, sizeof wire, &f, &wl) == 0);
    smbw_dgram d;
    CHECK(smbw_dgram_decode(wire, wl, &d, NULL) == 0);
    CHECK(d.offset == off && d.data.len == len);

    /* the model */
    int first = (fl & SMBW_DGRAM_FLAG_FIRST) != 0, more = (fl & SMBW_DGRAM_FLAG_MORE) != 0;
    uint32_t lo = off, hi = off + len, nr = 0;
    int base_key = key < 3;
    int ok = !m.done && first == (off == 0) && (!m.started || base_key) && !(more && !len);
    if (ok && !more) ok = !m.last && hi >= m.maxhi;
    if (ok && more && m.last) ok = hi <= m.total;
    if (ok) ok = hi <= cap;
    if (ok) ok = model_try(&m, lo, hi, &nr) && nr <= 8;
    CHECK(smbw_dgram_asm_match(&a, &d) == (m.started && base_key));

    smbw_dgram_asm before = a;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_dgram_asm_add(&a, &d, &e);
    if (!ok) {
      CHECK(rc < 0);
      CHECK(fz_err_ok(&e, rc, 14 + 68));
      CHECK(memcmp(&before, &a, sizeof a) == 0);
      if (m.done) CHECK(rc == SMBW_E_STATE);
    } else {
      CHECK(rc == 0 || rc == 1);
      if (!m.started) base = f; /* the key is the first accepted fragment's */
      m.started = 1;
      model_add(&m, lo, hi);
      if (len) memcpy(image + lo, pat + off, len);
      if (!more) m.last = 1, m.total = hi;
      m.done = m.last && model_got(&m) == m.total;
      CHECK(rc == m.done);
      CHECK(a.last == m.last && (!m.last || a.total == m.total));
      if (m.done) {
        CHECK(a.data.len == m.total && a.data.data == buf);
      } else {
        CHECK(a.data.data == NULL && a.data.len == 0);
      }
    }
    if (buf) {
      CHECK(fz_canary_ok(1, cap));
      if (cap <= 4096 || (ok && !m.done)) {
        uint32_t s0 = cap <= 4096 ? 0 : lo, s1 = cap <= 4096 ? cap : hi;
        CHECK(s1 <= cap && memcmp(buf + s0, image + s0, s1 - s0) == 0);
      }
      if (m.done && ok) CHECK(memcmp(buf, image, cap) == 0);
    }
  }
  if (buf) CHECK(memcmp(buf, image, cap) == 0);
  return 0;
}
