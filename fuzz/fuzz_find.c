/*
 * libFuzzer target: TRANS2_FIND_FIRST2 / FIND_NEXT2 parameters and the
 * directory entry iterator and encoder (include/smbwire/find.h).
 *
 * Byte 0 picks what is fuzzed: bits 0-2 the mode, bit 3 Unicode.
 *   mode 0, 1  FIND_FIRST2 / FIND_NEXT2 request parameters: byte 1 is the
 *              parameter length (the rest is the data, the GEA list of
 *              level 3); byte 2, when bit 4 of byte 0 is set, forces
 *              InformationLevel 3 so the GEA list is looked at
 *   mode 2, 3  FIND_FIRST2 / FIND_NEXT2 response parameters
 *   mode 4, 5  the entry iterator: byte 1 bits 0-3 pick the level (one of
 *              the eight supported ones, or an unsupported one), bit 4
 *              SMB_FIND_RETURN_RESUME_KEYS; bytes 2-3 the SearchCount
 *              (mode 5: SMBW_FIND_ANY_COUNT); the rest is the data
 *   mode 6, 7  the entry encoder on an entry built from the input
 *
 * Security model asserted:
 *  - decoders read only their input (placed against a guard page), every
 *    view they return lies inside it, in order (entries start strictly
 *    after the previous one's name, names after the fixed part, padding
 *    after the name), and failures carry a code, a field and an offset
 *    inside the input; iterator errors are sticky (same code, offset and
 *    field again);
 *  - the iteration is bounded: at most length / 12 entries; with a
 *    SearchCount and success, exactly that many entries; the entries and
 *    their padding cover the data exactly;
 *  - round trip: every decoded parameter block and every decoded entry
 *    encodes to the same bytes into a buffer of exactly the reported size
 *    ending at a guard page (a canary before it intact), the size query
 *    agrees, and one byte less (and none) gets SMBW_E_NOSPACE with nothing
 *    written; all entries in a row give back the whole data;
 *  - the encoder, on arbitrary entries, reports the same size when only
 *    measuring, writes exactly that many bytes, and what it wrote decodes
 *    as one entry with the same numbers.
 */
#include "fuzz_common.h"

static const uint16_t LEVELS[16] = {1, 2, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106,
                                    1, 2, 0x101, 0x104, 0x106, 3,     0,     0x107};

static int is_nt(uint16_t level) {
  return level >= 0x101;
}

/* Encode with a buffer of exactly need bytes, of need - 1 and of 0; the
   exact one must give back want. */
typedef int (*enc_fn)(uint8_t *buf, size_t cap, int unicode, const void *s, size_t *len);

static void roundtrip(enc_fn f, int unicode, const void *s, const uint8_t *want, size_t n) {
  size_t need = 0, len = 0;
  CHECK(f(NULL, 0, unicode, s, &need) == SMBW_E_NOSPACE && need == n);
  uint8_t *o = fz_out(1, n);
  CHECK(f(o, n, unicode, s, &len) == 0 && len == n);
  CHECK(fz_canary_ok(1, n) && memcmp(o, want, n) == 0);
  o = fz_out(1, n - 1);
  CHECK(f(o, n - 1, unicode, s, &len) == SMBW_E_NOSPACE && len == n);
  CHECK(fz_canary_ok(1, n - 1));
  for (size_t i = 0; i < n - 1; i++) CHECK(o[i] == 0xA5);
}

static int enc_first2_req(uint8_t *b, size_t c, int u, const void *s, size_t *l) {
  return smbw_find_first2_req_encode(b, c, u, (const smbw_find_first2_req *)s, l);
}
static int enc_next2_req(uint8_t *b, size_t c, int u, const void *s, size_t *l) {
  return smbw_find_next2_req_encode(b, c, u, (const smbw_find_next2_req *)s, l);
}
static int enc_first2_rsp(uint8_t *b, size_t c, int u, const void *s, size_t *l) {
  (void)u;
  return smbw_find_first2_rsp_encode(b, c, (const smbw_find_first2_rsp *)s, l);
}
static int enc_next2_rsp(uint8_t *b, size_t c, int u, const void *s, size_t *l) {
  (void)u;
  return smbw_find_next2_rsp_encode(b, c, (const smbw_find_next2_rsp *)s, l);
}

static void check_name(const smbw_str *s, const uint8_t *p, size_t n) {
  CHECK(fz_inside(s->data, s->len, p, n));
}

/* A decode that failed (rc != 0): its error is precise, at an offset
   within the first `within` bytes, and failing was allowed (may). */
static int failed(int rc, const smbw_error *err, size_t within, int may) {
  if (!rc) return 0;
  CHECK(fz_err_ok(err, rc, within) && may);
  return 1;
}

/* A request's error lies in the data (the GEA list) or the parameters. */
static size_t within(const smbw_error *err, smbw_bytes p, smbw_bytes d) {
  return err->field && !strcmp(err->field, "SizeOfListInBytes") ? d.len : p.len;
}

static void fuzz_params(int mode, int unicode, int force3, const uint8_t *in, size_t n) {
  static uint8_t pbuf[FZ_MAX];
  if (n < 1) return;
  size_t plen = in[0];
  in++;
  n--;
  if (plen > n) plen = n;
  /* parameters then data, in one buffer against the guard page */
  const uint8_t *all = fz_place(0, in, n);
  smbw_bytes p = {all, (uint32_t)plen}, d = {all + plen, (uint32_t)(n - plen)};
  if (force3 && mode < 2 && plen >= 8) {
    /* InformationLevel 3 (at 6 in FIND_FIRST2, at 4 in FIND_NEXT2), so
       that the data is read as a GEA list: on a copy of the parameters */
    memcpy(pbuf, all, plen);
    pbuf[mode == 0 ? 6 : 4] = 3;
    pbuf[mode == 0 ? 7 : 5] = 0;
    p.data = fz_place(2, pbuf, plen);
  }
  smbw_error err = {0, 0, NULL};
  int rc;
  switch (mode) {
    case 0: {
      smbw_find_first2_req r;
      rc = smbw_find_first2_req_decode(p, d, unicode, &r, &err);
      if (failed(rc, &err, within(&err, p, d), 1)) return;
      CHECK(p.len >= 12);
      check_name(&r.file_name, p.data, p.len);
      CHECK(fz_inside(r.extra.data, r.extra.len, p.data, p.len));
      CHECK(!r.file_name.data || r.file_name.data == p.data + 12);
      CHECK(r.information_level == fz_ld16(p.data + 6));
      if (r.information_level == 3)
        CHECK(r.gea_list.data == d.data && r.gea_list.len == d.len);
      else
        CHECK(r.gea_list.data == NULL && r.gea_list.len == 0);
      roundtrip(enc_first2_req, unicode, &r, p.data, p.len);
      break;
    }
    case 1: {
      smbw_find_next2_req r;
      rc = smbw_find_next2_req_decode(p, d, unicode, &r, &err);
      if (failed(rc, &err, within(&err, p, d), 1)) return;
      check_name(&r.file_name, p.data, p.len);
      CHECK(fz_inside(r.extra.data, r.extra.len, p.data, p.len));
      CHECK(r.resume_key == fz_ld32(p.data + 6) && r.flags == fz_ld16(p.data + 10));
      if (r.information_level == 3) CHECK(r.gea_list.len >= 4 && fz_ld32(d.data) <= d.len);
      roundtrip(enc_next2_req, unicode, &r, p.data, p.len);
      break;
    }
    case 2: {
      smbw_find_first2_rsp r;
      rc = smbw_find_first2_rsp_decode(p, &r, &err);
      if (failed(rc, &err, p.len, p.len < 10)) return;
      CHECK(r.sid == fz_ld16(p.data) && r.last_name_offset == fz_ld16(p.data + 8));
      CHECK(r.extra.data == p.data + 10 && r.extra.len == p.len - 10);
      roundtrip(enc_first2_rsp, unicode, &r, p.data, p.len);
      break;
    }
    default: {
      smbw_find_next2_rsp r;
      rc = smbw_find_next2_rsp_decode(p, &r, &err);
      if (failed(rc, &err, p.len, p.len < 8)) return;
      CHECK(r.search_count == fz_ld16(p.data));
      CHECK(r.extra.data == p.data + 8 && r.extra.len == p.len - 8);
      roundtrip(enc_next2_rsp, unicode, &r, p.data, p.len);
      break;
    }
  }
}

#define MAXE (FZ_MAX / 12 + 2)
static smbw_find_entry ents[MAXE];

/* One entry alone: at its offset's parity, into exactly its span. */
static void entry_roundtrip(const smbw_find_entry *e, uint16_t level, int unicode,
                            const uint8_t *data) {
  const size_t lead = e->offset & 1u;
  const size_t span = (size_t)(e->padding.data - data) + e->padding.len - e->offset;
  size_t pos = lead;
  CHECK(smbw_find_append(NULL, 0, &pos, level, unicode, e) == SMBW_E_NOSPACE);
  CHECK(pos == lead + span);
  uint8_t *o = fz_out(1, lead + span);
  pos = lead;
  CHECK(smbw_find_append(o, lead + span, &pos, level, unicode, e) == 0);
  CHECK(pos == lead + span && fz_canary_ok(1, lead + span));
  CHECK(memcmp(o + lead, data + e->offset, span) == 0);
  o = fz_out(1, lead + span - 1);
  pos = lead;
  CHECK(smbw_find_append(o, lead + span - 1, &pos, level, unicode, e) == SMBW_E_NOSPACE);
  CHECK(pos == lead + span && fz_canary_ok(1, lead + span - 1));
  for (size_t i = 0; i < lead + span - 1; i++) CHECK(o[i] == 0xA5);
}

static void fuzz_iter(int any, int unicode, const uint8_t *in, size_t n) {
  if (n < 3) return;
  const uint16_t level = LEVELS[in[0] & 15u];
  const uint16_t flags = (in[0] & 0x10u) ? SMBW_FIND_RETURN_RESUME_KEYS : 0;
  const uint32_t count = any ? SMBW_FIND_ANY_COUNT : fz_ld16(in + 1);
  in += 3;
  n -= 3;
  const uint8_t *data = fz_place(0, in, n);
  smbw_bytes d = {data, (uint32_t)n};
  smbw_find_iter it;
  smbw_find_iter_init(&it, d, level, unicode, count, flags);
  smbw_error err = {0, 0, NULL};
  unsigned k = 0;
  size_t prev_end = 0;
  int rc;
  while ((rc = smbw_find_iter_next(&it, &ents[k], &err)) == 1) {
    const smbw_find_entry *e = &ents[k];
    CHECK(k < n / 12 && k < MAXE - 1);
    CHECK(e->offset < n && e->offset >= prev_end);
    CHECK(k == 0 ? e->offset == 0 : 1);
    CHECK(fz_inside(e->file_name.data, e->file_name.len, data, n));
    CHECK(fz_inside(e->short_name.data, e->short_name.len, data, n));
    CHECK(fz_inside(e->short_name_pad.data, e->short_name_pad.len, data, n));
    CHECK(fz_inside(e->padding.data, e->padding.len, data, n));
    CHECK(e->file_name.data >= data + e->offset + 12);
    CHECK(e->padding.data >= e->file_name.data + e->file_name.len);
    CHECK(e->short_name.len + e->short_name_pad.len == (e->short_name.data ? 24u : 0u));
    CHECK(e->name_nul >= SMBW_FIND_NUL_NONE && e->name_nul <= SMBW_FIND_NUL_AFTER);
    CHECK(e->has_resume_key == (!is_nt(level) && flags));
    if (is_nt(level)) CHECK(e->next_entry_offset == fz_ld32(data + e->offset));
    prev_end = (size_t)(e->padding.data - data) + e->padding.len;
    if (k > 0) CHECK(ents[k - 1].padding.data + ents[k - 1].padding.len == data + e->offset);
    entry_roundtrip(e, level, unicode, data);
    k++;
  }
  if (rc < 0) {
    CHECK(fz_err_ok(&err, rc, n));
    smbw_error again = {0, 0, NULL};
    smbw_find_entry x;
    CHECK(smbw_find_iter_next(&it, &x, &again) == rc && again.code == rc && again.offset == err.offset &&
          again.field == err.field);
    return;
  }
  CHECK(smbw_find_iter_next(&it, &ents[k], NULL) == 0); /* stays at the end */
  if (!any) CHECK(k == count);
  /* the entries and their padding are the data: all in a row give it back */
  CHECK(prev_end == n);
  size_t pos = 0;
  for (unsigned i = 0; i < k; i++)
    CHECK(smbw_find_append(NULL, 0, &pos, level, unicode, &ents[i]) == SMBW_E_NOSPACE);
  CHECK(pos == n);
  if (n == 0) return;
  uint8_t *o = fz_out(1, n);
  pos = 0;
  for (unsigned i = 0; i < k; i++)
    CHECK(smbw_find_append(o, n, &pos, level, unicode, &ents[i]) == 0);
  CHECK(pos == n && fz_canary_ok(1, n) && memcmp(o, data, n) == 0);
}

/* A string view from the input: byte b picks the encoding and whether it
   is absent; then a length byte. */
static smbw_str take_str(fz_rd *r) {
  uint8_t b = fz_u8(r);
  smbw_bytes v = fz_take(r, fz_u8(r));
  smbw_str s;
  s.data = (b & 4u) ? NULL : (v.data ? v.data : (const uint8_t *)"");
  s.len = s.data ? v.len : 0;
  s.enc = (uint8_t)(b & 3u) == 3 ? SMBW_STR_UTF8 : (uint8_t)(b & 3u);
  s.unterminated = (b >> 3) & 1u;
  s.pad = fz_u8(r);
  return s;
}

static void fuzz_encode(int unicode, const uint8_t *in, size_t n) {
  fz_rd r = {in, n};
  const uint16_t level = LEVELS[fz_u8(&r) & 15u];
  smbw_find_entry e;
  memset(&e, 0, sizeof e);
  /* the fixed fields, read in this order */
  uint32_t *const u32s[] = {&e.next_entry_offset, &e.file_index, &e.resume_key};
  uint64_t *const u64s[] = {&e.creation_time, &e.last_access_time, &e.last_write_time,
                            &e.last_change_time};
  uint16_t *const u16s[] = {&e.creation_date,        &e.creation_time_dos,
                            &e.last_access_date,     &e.last_access_time_dos,
                            &e.last_write_date,      &e.last_write_time_dos};
  for (size_t i = 0; i < 3; i++) *u32s[i] = fz_u32(&r);
  for (size_t i = 0; i < 4; i++) *u64s[i] = fz_u64(&r);
  for (size_t i = 0; i < 6; i++) *u16s[i] = fz_u16(&r);
  uint8_t wide = fz_u8(&r);
  e.end_of_file = (wide & 1) ? fz_u64(&r) : fz_u32(&r);
  e.allocation_size = (wide & 2) ? fz_u64(&r) : fz_u32(&r);
  e.attributes = (wide & 4) ? fz_u32(&r) : fz_u16(&r);
  e.ea_size = fz_u32(&r);
  e.reserved = (wide & 8) ? fz_u32(&r) : fz_u16(&r);
  e.file_id = fz_u64(&r);
  e.short_name_reserved = fz_u8(&r);
  e.has_resume_key = (wide >> 4) & 1u;
  e.name_nul = (uint8_t)((wide >> 5) & 3u);
  e.next_mode = (uint8_t)(wide >> 7);
  e.short_name = take_str(&r);
  e.file_name = take_str(&r);
  e.short_name_pad = fz_take(&r, fz_u8(&r));
  e.padding = fz_take(&r, fz_u8(&r));
  const size_t lead = fz_u8(&r) & 7u;

  size_t pos = lead;
  int rc = smbw_find_append(NULL, 0, &pos, level, unicode, &e);
  if (rc != SMBW_E_NOSPACE) {
    CHECK(rc < 0 && pos == lead && smbw_errname(rc) != NULL);
    return;
  }
  const size_t size = pos;
  CHECK(size > lead && size - lead <= 1024 + 255 + 4 * 0x10000u);
  uint8_t *o = fz_out(1, size - 1);
  pos = lead;
  CHECK(smbw_find_append(o, size - 1, &pos, level, unicode, &e) == SMBW_E_NOSPACE);
  CHECK(pos == size && fz_canary_ok(1, size - 1));
  for (size_t i = 0; i < size - 1; i++) CHECK(o[i] == 0xA5);
  o = fz_out(1, size);
  pos = lead;
  CHECK(smbw_find_append(o, size, &pos, level, unicode, &e) == 0);
  CHECK(pos == size && fz_canary_ok(1, size));
  for (size_t i = 0; i < lead; i++) CHECK(o[i] == 0xA5);
  /* what was written decodes as one entry with the same numbers */
  smbw_find_iter it;
  smbw_bytes d = {o, (uint32_t)size};
  smbw_find_iter_init(&it, d, level, unicode, 1,
                      e.has_resume_key ? SMBW_FIND_RETURN_RESUME_KEYS : 0);
  if (lead) return; /* the lead bytes are no entry (parity: see fuzz_iter) */
  smbw_find_entry x;
  smbw_error err;
  CHECK(smbw_find_iter_next(&it, &x, &err) == 1);
  CHECK(x.offset == 0 && x.file_index == (is_nt(level) ? e.file_index : 0));
  CHECK(x.creation_date == (is_nt(level) ? 0 : e.creation_date));
  CHECK(x.last_write_time_dos == (is_nt(level) ? 0 : e.last_write_time_dos));
  if (level != 0x103) CHECK(x.end_of_file == e.end_of_file && x.attributes == e.attributes);
  if (level >= 0x105) CHECK(x.file_id == e.file_id);
  if (is_nt(level) && level != 0x103) CHECK(x.last_change_time == e.last_change_time);
  if (is_nt(level) && e.next_mode == SMBW_FIND_NEXT_AS_GIVEN)
    CHECK(x.next_entry_offset == e.next_entry_offset);
  if (e.next_mode == SMBW_FIND_NEXT_ALIGN8) CHECK(x.next_entry_offset % 8 == 0 && size % 8 == 0);
  CHECK(x.padding.data + x.padding.len == o + size);
  CHECK(smbw_find_iter_next(&it, &x, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  const int mode = data[0] & 7, unicode = (data[0] >> 3) & 1;
  if (mode < 4)
    fuzz_params(mode, unicode, (data[0] >> 4) & 1, data + 1, size - 1);
  else if (mode < 6)
    fuzz_iter(mode == 5, unicode, data + 1, size - 1);
  else
    fuzz_encode(unicode, data + 1, size - 1);
  return 0;
}
