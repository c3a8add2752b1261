/*
 * libFuzzer target: extended attribute lists (ea.h).
 *
 * Input: byte 0 selects the kind (byte 0 % 3: SMB_FEA_LIST, SMB_GEA_LIST,
 * FILE_FULL_EA_INFORMATION chain) and the mode (bit 0x80); the rest is
 *  - decode mode (0x80 clear): the view, decoded against a guard page;
 *  - encode mode (0x80 set): entries described by the bytes (fz_rd), built
 *    with the encoders, then decoded.
 *
 * Security model asserted:
 *  - decoding reads only inside the view (it ends at a PROT_NONE page) and
 *    ends: at most len / (smallest entry) + 1 entries, each at the offset
 *    where the previous one ended (FEA, GEA) or where its NextEntryOffset
 *    points, strictly forward; every view (name, value, padding, trailing)
 *    lies inside the list, in wire order, with the lengths of its wire
 *    fields; the name is followed by its NUL;
 *  - a failure is precise (code, field, offset inside the view) and
 *    sticky: the next call returns the same code, offset and field;
 *  - a decoded list re-encodes byte for byte: the size query (NULL, 0)
 *    gives the exact size, the encode into an exactly sized buffer ending
 *    at a guard page writes exactly the list, a buffer one byte short (or
 *    half the size) gets SMBW_E_NOSPACE with the same size reported and
 *    nothing written before it (canary) or after it (guard page);
 *  - encode mode: the encoders accept or refuse as documented; whatever
 *    they produce decodes back into the same entries (exactly, when every
 *    NextEntryOffset was computed or at least the used size and left room
 *    for the next entry).
 */
#include "fuzz_common.h"

#define MAXE 4096

static smbw_ea ents[MAXE];

static uint32_t hdr_of(int kind) { return kind == SMBW_EA_FEA ? 4u : kind == SMBW_EA_GEA ? 1u : 8u; }
static uint32_t min_of(int kind) {
  return kind == SMBW_EA_FEA ? SMBW_EA_FEA_MIN : kind == SMBW_EA_GEA ? SMBW_EA_GEA_MIN
                                                                      : SMBW_EA_FULL_MIN;
}

/* Same length and bytes (an empty view equals any other empty one). */
static int same(smbw_bytes a, smbw_bytes b) {
  return a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
}

/* Walk a view; checks the model on the way.  Returns the result, fills
   ents[0 .. *n) and the iterator. */
static int walk(int kind, const uint8_t *v, uint32_t len, smbw_ea_iter *it, int *n,
                smbw_error *err) {
  smbw_bytes view = {v, len};
  smbw_ea e;
  int rc;
  const uint32_t hdr = hdr_of(kind);
  uint32_t at = kind == SMBW_EA_FULL ? 0u : 4u;
  *n = 0;
  smbw_ea_iter_init(it, kind, view);
  while ((rc = smbw_ea_iter_next(it, &e, err)) == 1) {
    CHECK(*n < MAXE);
    CHECK((uint32_t)*n <= len / min_of(kind)); /* the (n+1)th would be past the bound */
    uint32_t end = kind == SMBW_EA_FULL ? len : it->list_size;
    CHECK(end <= len);
    CHECK(e.offset == at);
    const uint8_t *p = v + e.offset;
    CHECK(e.name.data == p + hdr && e.name.enc == SMBW_STR_OEM && !e.name.unterminated);
    CHECK(e.name.len == p[kind == SMBW_EA_GEA ? 0 : kind == SMBW_EA_FEA ? 1 : 5]);
    uint32_t used = hdr + e.name.len + 1u + e.value.len;
    CHECK(e.offset + used <= end);
    CHECK(e.name.data[e.name.len] == 0);
    if (kind == SMBW_EA_GEA) {
      CHECK(e.value.data == NULL && e.value.len == 0 && e.flags == 0);
    } else {
      CHECK(e.value.data == e.name.data + e.name.len + 1);
      CHECK(e.value.len == fz_ld16(p + hdr - 2) && e.flags == p[hdr - 4]);
    }
    if (kind == SMBW_EA_FULL) {
      CHECK(e.next_entry_offset == fz_ld32(p));
      CHECK(e.padding.data == p + used);
      CHECK(fz_inside(e.padding.data, e.padding.len, v, len));
      if (e.next_entry_offset == 0) CHECK(e.offset + used + e.padding.len == len);
      else if (e.padding.len) CHECK(used + e.padding.len == e.next_entry_offset);
      at = e.offset + (e.next_entry_offset ? e.next_entry_offset : used + e.padding.len);
    } else {
      CHECK(e.padding.data == NULL && e.padding.len == 0 && e.next_entry_offset == 0);
      at = e.offset + used;
    }
    CHECK(fz_inside(e.name.data, e.name.len + 1u, v, len));
    CHECK(fz_inside(e.value.data, e.value.len, v, len));
    ents[(*n)++] = e;
    CHECK(it->count == (uint32_t)*n);
  }
  if (rc == 0) {
    uint32_t end = kind == SMBW_EA_FULL ? len : it->list_size;
    CHECK(it->trailing.data == v + at && at + it->trailing.len == end);
    CHECK(it->trailing.len < (kind == SMBW_EA_FULL ? 1u : min_of(kind)));
    CHECK(kind != SMBW_EA_FULL || *n == 0 || ents[*n - 1].next_entry_offset == 0);
  }
  return rc;
}

/* Re-encode the decoded entries. */
static int encode(int kind, int n, const smbw_bytes *trailing, uint8_t *out, size_t cap,
                  size_t *len) {
  size_t pos = 0, start = 0;
  int rc = 0, r;
  if (kind != SMBW_EA_FULL) rc = smbw_ea_list_begin(out, cap, &pos, &start);
  CHECK(rc == 0 || rc == SMBW_E_NOSPACE);
  for (int i = 0; i < n; i++) {
    r = smbw_ea_append(out, cap, &pos, kind, &ents[i]);
    CHECK(r == 0 || r == SMBW_E_NOSPACE);
    if (r) rc = r;
  }
  if (kind != SMBW_EA_FULL) {
    r = smbw_ea_list_finish(out, cap, &pos, start, kind, trailing);
    CHECK(r == 0 || r == SMBW_E_NOSPACE);
    if (r) rc = r;
  }
  *len = pos;
  return rc;
}

static void decode_mode(int kind, const uint8_t *data, size_t size) {
  const uint8_t *v = fz_place(0, data, size);
  const uint32_t len = (uint32_t)size;
  smbw_ea_iter it;
  smbw_error err = {0, 0, NULL};
  int n;
  int rc = walk(kind, v, len, &it, &n, &err);
  if (rc < 0) {
    CHECK(fz_err_ok(&err, rc, len));
    smbw_ea e;
    smbw_error again = {0, 0, NULL};
    CHECK(smbw_ea_iter_next(&it, &e, &again) == rc);
    CHECK(again.code == rc && again.offset == err.offset && again.field == err.field);
    return;
  }
  CHECK(rc == 0);
  const size_t want = kind == SMBW_EA_FULL ? len : it.list_size;
  size_t need = 0, got = 0;
  rc = encode(kind, n, &it.trailing, NULL, 0, &need);
  CHECK(need == want && rc == (want ? SMBW_E_NOSPACE : 0));
  size_t caps[2] = {want ? want - 1 : 0, want / 2};
  for (int k = 0; k < 2 && want; k++) {
    uint8_t *o = fz_out(1, caps[k]);
    CHECK(encode(kind, n, &it.trailing, caps[k] ? o : NULL, caps[k], &got) == SMBW_E_NOSPACE);
    CHECK(got == want && fz_canary_ok(1, caps[k]));
  }
  uint8_t *o = fz_out(1, want);
  CHECK(encode(kind, n, &it.trailing, want ? o : NULL, want, &got) == 0 && got == want);
  CHECK(fz_canary_ok(1, want));
  CHECK(want == 0 || memcmp(o, v, want) == 0);
}

/* Encode mode: entries from the fuzz bytes. */
static void encode_mode(int kind, const uint8_t *data, size_t size) {
  fz_rd r = {data, size};
  static smbw_ea in[64];
  int n = fz_u8(&r) % 64;
  int exact = 1; /* every NextEntryOffset leaves a valid chain */
  for (int i = 0; i < n; i++) {
    smbw_ea *e = &in[i];
    memset(e, 0, sizeof *e);
    uint8_t ctl = fz_u8(&r);
    e->flags = kind == SMBW_EA_GEA ? 0 : fz_u8(&r);
    smbw_bytes nm = fz_take(&r, fz_u8(&r));
    e->name.data = nm.data;
    e->name.len = nm.len;
    e->name.enc = (ctl & 3) == 3 ? SMBW_STR_UTF8 : SMBW_STR_OEM;
    if (kind != SMBW_EA_GEA) e->value = fz_take(&r, fz_u16(&r) % 600u);
    if (kind == SMBW_EA_FULL) {
      uint32_t used = 9u + nm.len + e->value.len;
      if (i == n - 1) {
        e->padding = fz_take(&r, fz_u8(&r) % 16u);
      } else {
        switch ((ctl >> 2) & 3) {
        case 0: e->next_entry_offset = SMBW_EA_NEXT_AUTO; break;
        case 1: e->next_entry_offset = used + fz_u8(&r) % 8u; break;
        case 2:
          e->next_entry_offset = fz_u32(&r);
          exact = 0;
          break;
        default:
          e->next_entry_offset = used + fz_u8(&r) % 8u;
          e->padding = fz_take(&r, e->next_entry_offset - used);
          break;
        }
      }
    }
  }
  smbw_bytes trailing = fz_take(&r, fz_u8(&r) % min_of(kind));
  /* measure, then encode into exactly that much */
  size_t need = 0, pos = 0, start = 0;
  int rc = 0, r2;
  if (kind != SMBW_EA_FULL) CHECK(smbw_ea_list_begin(NULL, 0, &need, &start) == SMBW_E_NOSPACE);
  for (int i = 0; i < n; i++) {
    r2 = smbw_ea_append(NULL, 0, &need, kind, &in[i]);
    if (r2 != SMBW_E_NOSPACE) {
      /* refused: only for a reason the input shows (a UTF-8 name that is
         not valid or not Latin-1; a given NextEntryOffset below the used
         size) */
      if (r2 == SMBW_E_STR_ENCODING) CHECK(in[i].name.enc == SMBW_STR_UTF8);
      else CHECK(r2 == SMBW_E_NEXT_OFFSET && kind == SMBW_EA_FULL && !exact);
      return;
    }
  }
  if (kind != SMBW_EA_FULL)
    CHECK(smbw_ea_list_finish(NULL, 0, &need, start, kind, &trailing) == SMBW_E_NOSPACE);
  if (need > FZ_AREA - FZ_CANARY) return; /* a huge given NextEntryOffset */
  uint8_t *o = fz_out(1, need);
  if (kind != SMBW_EA_FULL) rc = smbw_ea_list_begin(o, need, &pos, &start);
  for (int i = 0; i < n; i++) {
    r2 = smbw_ea_append(need ? o : NULL, need, &pos, kind, &in[i]);
    if (r2) rc = r2;
  }
  if (kind != SMBW_EA_FULL) {
    r2 = smbw_ea_list_finish(o, need, &pos, start, kind, &trailing);
    if (r2) rc = r2;
  }
  CHECK(rc == 0 && pos == need && fz_canary_ok(1, need));
  /* decode what was written */
  smbw_ea_iter it;
  smbw_error err = {0, 0, NULL};
  int m;
  uint8_t *v = fz_place(2, o, need);
  int d = walk(kind, v, (uint32_t)need, &it, &m, &err);
  if (!exact) {
    if (d < 0) CHECK(fz_err_ok(&err, d, need));
    return;
  }
  CHECK(d == 0 && m == n);
  for (int i = 0; i < n; i++) {
    CHECK(ents[i].flags == in[i].flags && same(ents[i].value, in[i].value));
    if (in[i].name.enc == SMBW_STR_OEM)
      CHECK(ents[i].name.len == in[i].name.len &&
            (in[i].name.len == 0 || memcmp(ents[i].name.data, in[i].name.data, in[i].name.len) == 0));
    if (kind == SMBW_EA_FULL && i == n - 1) CHECK(same(ents[i].padding, in[i].padding));
  }
  if (kind != SMBW_EA_FULL) CHECK(same(it.trailing, trailing));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size - 1 > FZ_MAX) return 0;
  int kind = data[0] % 3;
  if (data[0] & 0x80) encode_mode(kind, data + 1, size - 1);
  else decode_mode(kind, data + 1, size - 1);
  return 0;
}
