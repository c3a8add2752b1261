/*
 * libFuzzer target: the records (form.h SMBW_RECORD_LIST; info.h's
 * TRANSACTION2 information levels and parameter blocks).
 *
 * Input: byte 0 selects the record (byte 0 % SMBW_RECORD_COUNT_), bits 0
 * and 1 of byte 1 the flags (SMBW_REC_UNICODE: names in UTF-16LE or OEM;
 * SMBW_REC_ODD: the area at an odd offset from the header); the rest is the area,
 * placed so that it ends at a guard page.
 *
 * Security model asserted:
 *  - decoding reads only inside the area (a PROT_NONE page follows it);
 *    a failure is precise (code, field, offset inside the area) and leaves
 *    the output untouched; a success spans at most the area;
 *  - a decoded record re-encodes byte for byte: the size query gives the
 *    exact size, an encode into an exactly sized buffer that ends at a
 *    guard page writes the same bytes as the area (and zeros after them up
 *    to a chained entry's NextEntryOffset), and one a byte short gets
 *    SMBW_E_NOSPACE with nothing written (canary, poisoned area);
 *  - walking the area as a list ends, each record strictly after the last
 *    (a chained entry at its NextEntryOffset), inside the area;
 *  - the visitor reports fields inside the area, in order of their rows;
 *  - RESP_GET_DFS_REFERRAL (its record chosen): the referral entries
 *    (info.h, by hand) walk forward inside the area, at most
 *    NumberOfReferrals of them, every string inside it; a failure is
 *    precise and leaves the entry untouched; the entries read re-encode
 *    into exactly the bytes the size query gives, and those decode again
 *    to the same entries (fields, strings, padding).
 */
#include "fuzz_common.h"

/* Strings equal by content. */
static int str_eq(const smbw_str *a, const smbw_str *b) {
  return !a->data == !b->data && a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

static int referral_eq(const smbw_dfs_referral *a, const smbw_dfs_referral *b) {
  return a->version_number == b->version_number && a->size == b->size &&
         a->server_type == b->server_type && a->referral_entry_flags == b->referral_entry_flags &&
         a->proximity == b->proximity && a->time_to_live == b->time_to_live &&
         !memcmp(a->service_site_guid, b->service_site_guid, 16) &&
         str_eq(&a->share_name, &b->share_name) &&
         str_eq(&a->dfs_path, &b->dfs_path) && str_eq(&a->dfs_alternate_path, &b->dfs_alternate_path) &&
         str_eq(&a->network_address, &b->network_address) &&
         fz_bytes_eq(a->expanded_names, b->expanded_names) && fz_bytes_eq(a->extra, b->extra);
}

#define FZ_REFERRALS 64

static void referrals(smbw_bytes data) {
  smbw_dfs_referral_rsp h;
  smbw_error e;
  if (smbw_dfs_referral_rsp_decode(data, 1, &h, &e) < 0) return;
  static smbw_dfs_referral v[FZ_REFERRALS], w[FZ_REFERRALS];
  smbw_dfs_referral_iter it;
  smbw_dfs_referral_iter_init(&it, h.referrals, h.number_of_referrals);
  const uint8_t *lo = h.referrals.data, *hi = lo + h.referrals.len;
  unsigned n = 0;
  int rc;
  smbw_dfs_referral keep;
  memset(&keep, 0x3C, sizeof keep);
  for (;;) {
    smbw_dfs_referral *x = n < FZ_REFERRALS ? &v[n] : &keep;
    smbw_dfs_referral before = *x;
    rc = smbw_dfs_referral_next(&it, x, &e);
    if (rc != 1) {
      if (rc < 0) {
        CHECK(fz_err_ok(&e, rc, h.referrals.len));
        CHECK(memcmp(x, &before, sizeof before) == 0);
      }
      break;
    }
    const smbw_str *s[4] = {&x->share_name, &x->dfs_path, &x->dfs_alternate_path,
                            &x->network_address};
    for (unsigned i = 0; i < 4; i++)
      CHECK(!s[i]->data || (s[i]->data >= lo && s[i]->len + 2 <= (size_t)(hi - s[i]->data)));
    CHECK(++n <= h.number_of_referrals);
    if (n > FZ_REFERRALS) return;
  }
  CHECK(it.pos <= h.referrals.len);
  CHECK(smbw_dfs_referral_next(&it, &keep, &e) == 0); /* over */
  size_t need = 0;
  int r = smbw_dfs_referrals_encode(v, n, NULL, 0, &need);
  CHECK(r == (need ? SMBW_E_NOSPACE : 0));
  if (!need || need > FZ_MAX) return;
  uint8_t *o = fz_out(1, need);
  CHECK(smbw_dfs_referrals_encode(v, n, o, need, NULL) == (int)need);
  CHECK(fz_canary_ok(1, need));
  smbw_dfs_referral_iter_init(&it, (smbw_bytes){o, (uint32_t)need}, (uint16_t)n);
  for (unsigned i = 0; i < n; i++) {
    CHECK(smbw_dfs_referral_next(&it, &w[i], &e) == 1);
    CHECK(referral_eq(&v[i], &w[i]));
  }
}

/* ctx: the area's length and its base (the offset the fields count from) */
static int in_area(void *ctx, const smbw_field *f) {
  const uint32_t *lb = ctx;
  CHECK(f->name != NULL);
  CHECK(f->offset >= lb[1]);
  const uint32_t off = f->offset - lb[1];
  CHECK(off <= lb[0] && f->width <= lb[0] - off);
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 2 || size > FZ_MAX) return 0;
  const int rec = data[0] % SMBW_RECORD_COUNT_;
  const unsigned flags = data[1] & 3u;
  const int unicode = (int)(flags & SMBW_REC_UNICODE);
  const uint32_t len = (uint32_t)(size - 2);
  const uint8_t *p = fz_place(0, data + 2, len);
  smbw_bytes area = {p, len};

  _Alignas(max_align_t) uint8_t v[512];
  memset(v, 0x3C, sizeof v);
  smbw_error e;
  int n = smbw_record_decode_(rec, area, flags, v, sizeof v, &e);
  if (n < 0) {
    CHECK(fz_err_ok(&e, n, len));
    for (unsigned i = 0; i < sizeof v; i++) CHECK(v[i] == 0x3C);
  } else {
    CHECK((uint32_t)n <= len);
    size_t need = 0;
    int w = smbw_record_encode_(rec, v, sizeof v, flags, NULL, 0, &need);
    CHECK(need >= (size_t)n);
    CHECK(w == (need ? SMBW_E_NOSPACE : 0));
    if (need <= FZ_MAX) {
      uint8_t *o = fz_out(1, need);
      CHECK(smbw_record_encode_(rec, v, sizeof v, flags, o, need, NULL) == (int)need);
      CHECK(memcmp(o, p, (size_t)n) == 0);
      for (size_t i = (size_t)n; i < need; i++) CHECK(o[i] == 0);
      CHECK(fz_canary_ok(1, need));
      if (need > 0) {
        o = fz_out(1, need - 1);
        CHECK(smbw_record_encode_(rec, v, sizeof v, flags, o, need - 1, NULL) ==
              SMBW_E_NOSPACE);
        for (size_t i = 0; i + 1 < need; i++) CHECK(o[i] == 0xA5);
        CHECK(fz_canary_ok(1, need - 1));
      }
    }
  }

  /* the walk ends and only moves forward, inside the area */
  smbw_record_iter it;
  smbw_record_iter_init(&it, rec, area, flags);
  uint32_t last = 0, steps = 0;
  int rc;
  while ((rc = smbw_record_iter_next_(&it, v, sizeof v, &e)) == 1) {
    CHECK(it.pos <= len);
    CHECK(steps == 0 || it.pos > last || it.done);
    last = it.pos;
    CHECK(++steps <= len + 1);
  }
  CHECK(rc == 0 || fz_err_ok(&e, rc, len));
  CHECK(smbw_record_iter_next_(&it, v, sizeof v, &e) == 0); /* over */

  uint32_t lb[2] = {len, flags & SMBW_REC_ODD ? 1u : 0u};
  rc = smbw_record_visit(rec, area, unicode, lb[1], in_area, lb, &e);
  CHECK(rc == 0 || fz_err_ok(&e, rc, len));
  if (rec == SMBW_RECORD_DFS_REFERRAL_RSP) referrals(area);
  return 0;
}
