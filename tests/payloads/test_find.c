/*
 * Check suite 'find': TRANS2_FIND_FIRST2 / TRANS2_FIND_NEXT2 parameters and
 * the directory entries of their responses (include/smbwire/find.h).
 *
 * The real bytes (payloads/find.vec) were recorded by
 * tests/payloads/record_find.sh: Samba smbd 4.17 on 127.0.0.1 listed by
 * smbclient, impacket's listPath and a hand-built client asking for every
 * information level in Unicode and in OEM; tshark's decode of the same
 * frames is kept next to them and every entry is compared with it.  Everything else here is built from those
 * bytes (cuts, corrupted links and counts) or from UTF-8 strings.
 *
 * Inputs and outputs are placed against a PROT_NONE guard page
 * (tests/guard.h), so any read or write past them faults.
 */
#include <check.h>
#include <smbwire/smbwire.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

/* tshark's view of one entry (0 where tshark shows no such field). */
typedef struct rec_entry {
  const char *name;                     /* smb.file, NULL when not plain ASCII in tshark */
  const char *short_name;               /* smb.short_file (same rule) */
  uint32_t fnl;                         /* smb.file_name_len */
  uint32_t neo;                         /* smb.next_entry_offset */
  uint32_t file_index;                  /* smb.file_index */
  uint64_t size;                        /* smb.end_of_file, smb.data_size */
  uint64_t alloc;                       /* smb.alloc_size64, smb.alloc_size */
  uint32_t attr;                        /* smb.file_attribute */
  uint32_t ea;                          /* smb.ea.list_length */
  uint32_t snl;                         /* smb.short_file_name_len */
  uint32_t resume;                      /* smb.resume */
  uint64_t file_id;                     /* smb.index_number */
  uint64_t ctime, atime, wtime, chtime; /* FILETIMEs */
  uint16_t dos[6];                      /* create date/time, access date/time, write date/time */
} rec_entry;

/* One recorded request/response pair. */
typedef struct rec {
  const char *what;
  int sub; /* 1 FIND_FIRST2, 2 FIND_NEXT2 */
  int unicode;
  unsigned level;
  unsigned flags; /* request Flags */
  unsigned count; /* request SearchCount */
  unsigned n;     /* response SearchCount */
  const uint8_t *qp;
  size_t qp_len;
  const uint8_t *qd;
  size_t qd_len;
  const uint8_t *rp;
  size_t rp_len;
  const uint8_t *rd;
  size_t rd_len;
  const rec_entry *ws; /* tshark's entries */
  unsigned nws;
  int ws_count, ws_eos, ws_lno; /* tshark's SearchCount, EndOfSearch, LastNameOffset */
} rec;

/* The recorded pairs, read from payloads/find.vec (written by
   tests/payloads/record_find.sh; format in tests/payloads/README.md). */
#define MAXRECS 64
static rec recs[MAXRECS];
static size_t nrecs;
#define NRECS nrecs

/* tshark's string, or NULL (not compared) when it is not plain ASCII:
   tshark shows other names with '?' or U+FFFD. */
static const char *ascii_or_null(const char *s) {
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p > 0x7e || *p < 0x20 || strchr("?\"\\", *p)) return NULL;
  return strdup(s);
}

static void load_recs(void) {
  const vec_file *vf = vec_data("payloads/find.vec", MAXRECS);
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    rec *r = &recs[nrecs++];
    r->what = vec_get(m, "what");
    r->sub = (int)vec_num(m, "sub", 0, 0);
    r->unicode = (int)vec_num(m, "unicode", 0, 0);
    r->level = (unsigned)vec_num(m, "level", 0, 0);
    r->flags = (unsigned)vec_num(m, "flags", 0, 0);
    r->count = (unsigned)vec_num(m, "count", 0, 0);
    r->n = (unsigned)vec_num(m, "n", 0, 0);
    r->qp = m->bytes;
    r->qp_len = m->len;
    r->qd = vec_bytes(m, "qd", &r->qd_len);
    r->rp = vec_bytes(m, "rp", &r->rp_len);
    r->rd = vec_bytes(m, "rd", &r->rd_len);
    r->nws = (unsigned)vec_num(m, "entries", 0, 0);
    r->ws_count = (int)(long long)vec_num(m, "smb.search_count", 0, (unsigned long long)-1);
    r->ws_eos = (int)(long long)vec_num(m, "smb.end_of_search", 0, (unsigned long long)-1);
    r->ws_lno = (int)(long long)vec_num(m, "smb.last_name_offset", 0, (unsigned long long)-1);
    rec_entry *ws = r->nws ? calloc(r->nws, sizeof *ws) : NULL;
    static const char *const dos[6] = {"smb.create.smb.date",     "smb.create.smb.time",
                                       "smb.access.smb.date",     "smb.access.smb.time",
                                       "smb.last_write.smb.date", "smb.last_write.smb.time"};
    for (unsigned k = 0; k < r->nws; k++) {
      rec_entry *w = &ws[k];
      char b[512];
      const char *name = vec_nth(m, "smb.file", k, b, sizeof b);
      w->name = name ? ascii_or_null(name) : NULL;
      const char *sn = vec_nth(m, "smb.short_file", k, b, sizeof b);
      w->short_name = sn ? ascii_or_null(sn) : NULL;
      w->fnl = (uint32_t)vec_num(m, "smb.file_name_len", k, 0);
      w->neo = (uint32_t)vec_num(m, "smb.next_entry_offset", k, 0);
      w->file_index = (uint32_t)vec_num(m, "smb.file_index", k, 0);
      w->size = vec_num(m, "size", k, 0);
      w->alloc = vec_num(m, "alloc", k, 0);
      w->attr = (uint32_t)vec_num(m, "smb.file_attribute", k, 0);
      w->ea = (uint32_t)vec_num(m, "smb.ea.list_length", k, 0);
      w->snl = (uint32_t)vec_num(m, "smb.short_file_name_len", k, 0);
      w->resume = (uint32_t)vec_num(m, "smb.resume", k, 0);
      w->file_id = vec_num(m, "smb.index_number", k, 0);
      w->ctime = vec_num(m, "smb.create.time", k, 0);
      w->atime = vec_num(m, "smb.access.time", k, 0);
      w->wtime = vec_num(m, "smb.last_write.time", k, 0);
      w->chtime = vec_num(m, "smb.change.time", k, 0);
      for (int d = 0; d < 6; d++) w->dos[d] = (uint16_t)vec_num(m, dos[d], k, 0);
    }
    r->ws = ws;
  }
}
#define MAXE 64

static guard_buf g_in, g_out;

static void setup(void) { guard_pair_init(&g_in, &g_out, 1u << 16); }
static void teardown(void) { guard_pair_free(&g_in, &g_out); }

/* n bytes against the guard page. */
static smbw_bytes place(const uint8_t *src, size_t n) {
  return bytes_view(guard_place(&g_in, src, n), n);
}

/* An output area of n bytes ending at the guard page, with 64 bytes of
   0xCD before it and poisoned contents. */
static uint8_t *out_area(size_t n) { return guard_out_area(&g_out, n, 64, 0xA5); }
static int canary_ok(size_t n) { return guard_canary_ok(&g_out, n, 64); }
static int untouched(const uint8_t *p, size_t n) { return bytes_are(p, n, 0xA5); }

static int is_nt(unsigned level) {
  return level >= 0x101;
}

/* The wire FileNameLength of a decoded entry. */
static uint32_t wire_fnl(const smbw_find_entry *e, int unicode) {
  return e->file_name.len + (e->name_nul == SMBW_FIND_NUL_COUNTED ? (unicode ? 2u : 1u) : 0u);
}

/* [p, p + n) inside [lo, lo + len). */
static int inside(const uint8_t *p, size_t n, const uint8_t *lo, size_t len) {
  if (!p) return n == 0;
  return p >= lo && (size_t)(p - lo) <= len && n <= len - (size_t)(p - lo);
}

/* Decode all entries of data (placed by the caller); returns the result of
   the last smbw_find_iter_next() and the entries in e[], their count in *n. */
static int walk(smbw_bytes d, unsigned level, int unicode, uint32_t count, unsigned flags,
                smbw_find_entry *e, unsigned *n, smbw_error *err) {
  smbw_find_iter it;
  smbw_find_iter_init(&it, d, (uint16_t)level, unicode, count, (uint16_t)flags);
  int rc;
  *n = 0;
  while ((rc = smbw_find_iter_next(&it, &e[*n < MAXE ? *n : MAXE - 1], err)) == 1) {
    const smbw_find_entry *x = &e[*n < MAXE ? *n : MAXE - 1];
    /* the security model: every view inside the data, in order */
    ck_assert(inside(x->file_name.data, x->file_name.len, d.data, d.len));
    ck_assert(inside(x->short_name.data, x->short_name.len, d.data, d.len));
    ck_assert(inside(x->short_name_pad.data, x->short_name_pad.len, d.data, d.len));
    ck_assert(inside(x->padding.data, x->padding.len, d.data, d.len));
    ck_assert(x->offset < d.len);
    ck_assert(x->file_name.data >= d.data + x->offset);
    ck_assert(x->padding.data >= x->file_name.data + x->file_name.len);
    ck_assert_uint_le(*n, d.len / 12);
    (*n)++;
  }
  return rc;
}

/* ---- test-side layouts, written from the specifications independently
   of lib/commands/find.c ---- */
typedef struct tfield {
  unsigned off, size;
  const char *name;
} tfield;
static const tfield T_STD[] = {{0, 2, "CreationDate"},   {2, 2, "CreationTime"},
                               {4, 2, "LastAccessDate"}, {6, 2, "LastAccessTime"},
                               {8, 2, "LastWriteDate"},  {10, 2, "LastWriteTime"},
                               {12, 4, "FileDataSize"},  {16, 4, "AllocationSize"},
                               {20, 2, "Attributes"},    {22, 1, "FileNameLength"}};
static const tfield T_EA[] = {
    {0, 2, "CreationDate"},   {2, 2, "CreationTime"},    {4, 2, "LastAccessDate"},
    {6, 2, "LastAccessTime"}, {8, 2, "LastWriteDate"},   {10, 2, "LastWriteTime"},
    {12, 4, "FileDataSize"},  {16, 4, "AllocationSize"}, {20, 2, "Attributes"},
    {22, 4, "EaSize"},        {26, 1, "FileNameLength"}};
#define T_NT(change)                                                                              \
  {0, 4, "NextEntryOffset"}, {4, 4, "FileIndex"}, {8, 8, "CreationTime"},                         \
      {16, 8, "LastAccessTime"}, {24, 8, "LastWriteTime"}, {32, 8, change}, {40, 8, "EndOfFile"}, \
      {48, 8, "AllocationSize"}, {56, 4, "ExtFileAttributes"}, {                                  \
    60, 4, "FileNameLength"                                                                       \
  }
static const tfield T_DIR[] = {T_NT("LastAttrChangeTime")};
static const tfield T_FULL[] = {T_NT("LastAttrChangeTime"), {64, 4, "EaSize"}};
static const tfield T_NAMES[] = {
    {0, 4, "NextEntryOffset"}, {4, 4, "FileIndex"}, {8, 4, "FileNameLength"}};
static const tfield T_BOTH[] = {T_NT("LastChangeTime"),
                                {64, 4, "EaSize"},
                                {68, 1, "ShortNameLength"},
                                {69, 1, "Reserved"},
                                {70, 24, "ShortName"}};
static const tfield T_IDFULL[] = {
    T_NT("LastAttrChangeTime"), {64, 4, "EaSize"}, {68, 4, "Reserved"}, {72, 8, "FileId"}};
static const tfield T_IDBOTH[] = {
    T_NT("LastChangeTime"), {64, 4, "EaSize"},    {68, 1, "ShortNameLength"}, {69, 1, "Reserved"},
    {70, 24, "ShortName"},  {94, 2, "Reserved2"}, {96, 8, "FileId"}};
#define TL(t) t, sizeof t / sizeof t[0]
static const struct {
  unsigned level, fixed, fnl_off;
  const tfield *f;
  unsigned n;
} T_LEVELS[] = {
    {1, 23, 22, TL(T_STD)},        {2, 27, 26, TL(T_EA)},          {0x101, 64, 60, TL(T_DIR)},
    {0x102, 68, 60, TL(T_FULL)},   {0x103, 12, 8, TL(T_NAMES)},    {0x104, 94, 60, TL(T_BOTH)},
    {0x105, 80, 60, TL(T_IDFULL)}, {0x106, 104, 60, TL(T_IDBOTH)},
};
static unsigned t_level(unsigned level) {
  for (unsigned i = 0; i < sizeof T_LEVELS / sizeof T_LEVELS[0]; i++)
    if (T_LEVELS[i].level == level) return i;
  ck_abort_msg("no level 0x%x", level);
  return 0;
}

/* ================= the recorded parameters ================= */

START_TEST(test_real_params) {
  unsigned firsts = 0, nexts = 0;
  for (size_t i = 0; i < NRECS; i++) {
    const rec *r = &recs[i];
    smbw_error err = {0, 0, NULL};
    smbw_bytes qp = place(r->qp, r->qp_len);
    size_t need = 0, len = 0;
    uint8_t *o;
    if (r->sub == 1) {
      smbw_find_first2_req q;
      firsts++;
      ck_assert_int_eq(
          smbw_find_first2_req_decode(qp, bytes_view(r->qd, r->qd_len), r->unicode, &q, &err), 0);
      ck_assert_uint_eq(q.information_level, r->level);
      ck_assert_uint_eq(q.flags, r->flags);
      ck_assert_uint_eq(q.search_count, r->count);
      ck_assert_uint_eq(q.search_storage_type, 0);
      ck_assert(q.file_name.data == qp.data + 12 && !q.file_name.unterminated);
      ck_assert_uint_eq(q.file_name.enc, r->unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM);
      /* impacket ends its OEM pattern with one more zero byte */
      ck_assert_uint_eq(q.extra.len, strstr(r->what, "impacket") ? 1 : 0);
      if (q.extra.len) ck_assert_uint_eq(q.extra.data[0], 0);
      ck_assert(smbw_str_eq(&q.file_name, "\\*") || smbw_str_eq(&q.file_name, "*") ||
                smbw_str_eq(&q.file_name, "\\hello.txt"));
      if (r->level == 3) {
        ck_assert(q.gea_list.data != NULL && q.gea_list.len == r->qd_len);
        ck_assert_uint_eq(q.gea_list.data[0], r->qd_len); /* SizeOfListInBytes */
      } else {
        ck_assert(q.gea_list.data == NULL && q.gea_list.len == 0);
      }
      ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, r->unicode, &q, &need), SMBW_E_NOSPACE);
      ck_assert_uint_eq(need, r->qp_len);
      for (size_t cap = 0; cap < need; cap++) {
        o = out_area(cap);
        len = 0;
        ck_assert_int_eq(smbw_find_first2_req_encode(o, cap, r->unicode, &q, &len), SMBW_E_NOSPACE);
        ck_assert(len == need && canary_ok(cap) && untouched(o, cap));
      }
      o = out_area(need);
      ck_assert_int_eq(smbw_find_first2_req_encode(o, need, r->unicode, &q, &len), 0);
      ck_assert(len == need && canary_ok(need) && memcmp(o, r->qp, need) == 0);

      smbw_find_first2_rsp s;
      smbw_bytes rp = place(r->rp, r->rp_len);
      ck_assert_int_eq(smbw_find_first2_rsp_decode(rp, &s, &err), 0);
      ck_assert_uint_eq(s.search_count, r->n);
      ck_assert_int_eq(s.search_count, r->ws_count);
      ck_assert_int_eq(s.end_of_search, r->ws_eos);
      ck_assert_int_eq(s.last_name_offset, r->ws_lno);
      ck_assert_uint_eq(s.extra.len, 0);
      ck_assert_uint_eq(s.ea_error_offset, 0);
      ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, &s, &need), SMBW_E_NOSPACE);
      ck_assert_uint_eq(need, 10);
      o = out_area(9);
      ck_assert_int_eq(smbw_find_first2_rsp_encode(o, 9, &s, &len), SMBW_E_NOSPACE);
      ck_assert(canary_ok(9) && untouched(o, 9));
      o = out_area(10);
      ck_assert_int_eq(smbw_find_first2_rsp_encode(o, 10, &s, &len), 0);
      ck_assert(canary_ok(10) && memcmp(o, r->rp, 10) == 0);
    } else {
      smbw_find_next2_req q;
      nexts++;
      ck_assert_int_eq(smbw_find_next2_req_decode(qp, bytes_view(r->qd, r->qd_len), r->unicode, &q, &err),
                       0);
      ck_assert_uint_eq(q.information_level, r->level);
      ck_assert_uint_eq(q.flags, r->flags);
      ck_assert_uint_eq(q.search_count, r->count);
      ck_assert_uint_eq(q.resume_key, 0);
      ck_assert(q.file_name.data == qp.data + 12 && q.extra.len == 0);
      /* The SID of the FIND_FIRST2 that started the chain, and the name of
         the last entry of the previous response. */
      size_t f = i;
      while (recs[f].sub != 1) f--;
      ck_assert_uint_eq(q.sid, recs[f].rp[0] | recs[f].rp[1] << 8);
      const rec *prev = &recs[i - 1];
      smbw_find_entry e[MAXE];
      unsigned n;
      ck_assert_int_eq(walk(bytes_view(prev->rd, prev->rd_len), prev->level, prev->unicode, prev->n,
                            prev->flags, e, &n, NULL),
                       0);
      ck_assert(q.file_name.len == e[n - 1].file_name.len &&
                memcmp(q.file_name.data, e[n - 1].file_name.data, q.file_name.len) == 0);
      ck_assert_int_eq(smbw_find_next2_req_encode(NULL, 0, r->unicode, &q, &need), SMBW_E_NOSPACE);
      ck_assert_uint_eq(need, r->qp_len);
      for (size_t cap = 0; cap < need; cap++) {
        o = out_area(cap);
        ck_assert_int_eq(smbw_find_next2_req_encode(o, cap, r->unicode, &q, &len), SMBW_E_NOSPACE);
        ck_assert(len == need && canary_ok(cap) && untouched(o, cap));
      }
      o = out_area(need);
      ck_assert_int_eq(smbw_find_next2_req_encode(o, need, r->unicode, &q, &len), 0);
      ck_assert(len == need && canary_ok(need) && memcmp(o, r->qp, need) == 0);

      smbw_find_next2_rsp s;
      smbw_bytes rp = place(r->rp, r->rp_len);
      ck_assert_int_eq(smbw_find_next2_rsp_decode(rp, &s, &err), 0);
      ck_assert_uint_eq(s.search_count, r->n);
      ck_assert_int_eq(s.search_count, r->ws_count);
      ck_assert_int_eq(s.end_of_search, r->ws_eos);
      ck_assert_int_eq(s.last_name_offset, r->ws_lno);
      ck_assert_uint_eq(s.extra.len, 0);
      ck_assert_int_eq(smbw_find_next2_rsp_encode(NULL, 0, &s, &need), SMBW_E_NOSPACE);
      ck_assert_uint_eq(need, 8);
      o = out_area(7);
      ck_assert_int_eq(smbw_find_next2_rsp_encode(o, 7, &s, &len), SMBW_E_NOSPACE);
      ck_assert(canary_ok(7) && untouched(o, 7));
      o = out_area(8);
      ck_assert_int_eq(smbw_find_next2_rsp_encode(o, 8, &s, &len), 0);
      ck_assert(canary_ok(8) && memcmp(o, r->rp, 8) == 0);
    }
  }
  ck_assert_uint_ge(firsts, 20);
  ck_assert_uint_ge(nexts, 4);
}
END_TEST

/* ================= the recorded entries ================= */

/* Compare a decoded entry with tshark's decode of the same bytes. */
static void check_ws(const rec *r, unsigned k, const smbw_find_entry *e) {
  const rec_entry *w = &r->ws[k];
  const unsigned lv = r->level;
  const int std = !is_nt(lv), names_only = lv == 0x103;
  const int has_ea = lv == 2 || lv == 0x102 || lv >= 0x104;
  const int has_short = lv == 0x104 || lv == 0x106;
  if (w->name)
    ck_assert_msg(smbw_str_eq(&e->file_name, w->name), "%s entry %u: name %s", r->what, k, w->name);
  ck_assert_uint_eq(wire_fnl(e, r->unicode), w->fnl);
  if (std) {
    ck_assert_uint_eq(e->has_resume_key, (r->flags & 4) != 0);
    ck_assert_uint_eq(e->resume_key, w->resume);
    ck_assert_uint_eq(e->creation_date, w->dos[0]);
    ck_assert_uint_eq(e->creation_time_dos, w->dos[1]);
    ck_assert_uint_eq(e->last_access_date, w->dos[2]);
    ck_assert_uint_eq(e->last_access_time_dos, w->dos[3]);
    ck_assert_uint_eq(e->last_write_date, w->dos[4]);
    ck_assert_uint_eq(e->last_write_time_dos, w->dos[5]);
    ck_assert_uint_eq(e->next_entry_offset, 0);
  } else {
    ck_assert_uint_eq(e->next_entry_offset, w->neo);
    ck_assert_uint_eq(e->file_index, w->file_index);
    ck_assert_uint_eq(e->has_resume_key, 0);
  }
  if (!names_only) {
    ck_assert_uint_eq(e->end_of_file, w->size);
    ck_assert_uint_eq(e->allocation_size, w->alloc);
    ck_assert_uint_eq(e->attributes, w->attr);
  }
  if (!std && !names_only) {
    ck_assert_uint_eq(e->creation_time, w->ctime);
    ck_assert_uint_eq(e->last_access_time, w->atime);
    ck_assert_uint_eq(e->last_write_time, w->wtime);
    ck_assert_uint_eq(e->last_change_time, w->chtime);
  }
  if (has_ea) ck_assert_uint_eq(e->ea_size, w->ea);
  if (has_short) {
    ck_assert_uint_eq(e->short_name.len, w->snl);
    ck_assert_uint_eq(e->short_name.enc, SMBW_STR_UTF16LE);
    ck_assert_uint_eq(e->short_name_pad.len, 24 - w->snl);
    /* tshark reads the (always UTF-16) ShortName as OEM in an OEM
       response, showing its first letter only */
    if (w->short_name && r->unicode) ck_assert(smbw_str_eq(&e->short_name, w->short_name));
    if (w->short_name && !r->unicode && w->snl)
      ck_assert(strlen(w->short_name) == 1 && e->short_name.data[0] == (uint8_t)w->short_name[0]);
  } else {
    ck_assert(e->short_name.data == NULL && e->short_name_pad.data == NULL);
  }
  if (lv >= 0x105) ck_assert_uint_eq(e->file_id, w->file_id);
}

START_TEST(test_real_entries) {
  unsigned levels_u = 0, levels_o = 0, total = 0;
  for (size_t i = 0; i < NRECS; i++) {
    const rec *r = &recs[i];
    smbw_bytes d = place(r->rd, r->rd_len);
    smbw_find_entry e[MAXE], a[MAXE];
    unsigned n = 0, na = 0;
    smbw_error err = {0, 0, NULL};
    if (r->level == 3) {
      /* SMB_INFO_QUERY_EAS_FROM_LIST entries are not decoded */
      ck_assert_int_eq(walk(d, r->level, r->unicode, r->n, r->flags, e, &n, &err), SMBW_E_LEVEL);
      ck_assert(err.code == SMBW_E_LEVEL && err.offset == 0 &&
                !strcmp(err.field, "InformationLevel"));
      continue;
    }
    ck_assert_int_eq(walk(d, r->level, r->unicode, r->n, r->flags, e, &n, &err), 0);
    ck_assert_uint_eq(n, r->n);
    ck_assert_uint_eq(r->nws, n);
    /* Without the count: the same entries (Samba's last NextEntryOffset is
       the padded size: it ends the data, or points past it right after a
       name that ends the data). */
    ck_assert_int_eq(walk(d, r->level, r->unicode, SMBW_FIND_ANY_COUNT, r->flags, a, &na, &err), 0);
    ck_assert_uint_eq(na, n);
    size_t covered = 0;
    for (unsigned k = 0; k < n; k++) {
      check_ws(r, k, &e[k]);
      ck_assert_uint_eq(e[k].offset, covered);
      ck_assert_uint_eq(a[k].offset, e[k].offset);
      ck_assert_uint_eq(e[k].file_name.enc, r->unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM);
      ck_assert_uint_eq(e[k].next_mode, SMBW_FIND_NEXT_AS_GIVEN);
      /* what Samba does: Unicode names are not terminated at the NT levels
         and OEM names are, counted in FileNameLength; the standard levels
         never count the terminator */
      if (!is_nt(r->level))
        ck_assert_uint_eq(e[k].name_nul, SMBW_FIND_NUL_AFTER);
      else
        ck_assert_uint_eq(e[k].name_nul, r->unicode ? SMBW_FIND_NUL_NONE : SMBW_FIND_NUL_COUNTED);
      ck_assert_uint_eq(e[k].file_name.unterminated, e[k].name_nul == SMBW_FIND_NUL_NONE);
      covered = (size_t)(e[k].padding.data - d.data) + e[k].padding.len;
      if (is_nt(r->level) && k + 1 < n)
        ck_assert_uint_eq(e[k].offset + e[k].next_entry_offset, covered);
    }
    ck_assert_uint_eq(covered, r->rd_len); /* entries and padding tile the data */
    /* Samba's LastNameOffset is the offset of the last entry, not of its
       name */
    ck_assert_uint_eq(e[n - 1].offset, (unsigned)r->ws_lno);
    /* the last NT entry's NextEntryOffset is not 0 (Samba) */
    if (is_nt(r->level)) ck_assert_uint_ne(e[n - 1].next_entry_offset, 0);
    if (is_nt(r->level)) r->unicode ? levels_u++ : levels_o++;
    total += n;
  }
  ck_assert_uint_ge(levels_u, 6);
  ck_assert_uint_ge(levels_o, 6);
  ck_assert_uint_ge(total, 150);
}
END_TEST

/* Samba quirks seen in the recordings, checked on the bytes. */
START_TEST(test_real_quirks) {
  int seen_pad = 0, seen_ea_byte = 0, seen_to_end = 0;
  for (size_t i = 0; i < NRECS; i++) {
    const rec *r = &recs[i];
    if (r->level == 3) continue;
    smbw_find_entry e[MAXE];
    unsigned n;
    ck_assert_int_eq(
        walk(bytes_view(r->rd, r->rd_len), r->level, r->unicode, r->n, r->flags, e, &n, NULL), 0);
    for (unsigned k = 0; k < n; k++) {
      const size_t name_at = (size_t)(e[k].file_name.data - r->rd);
      const unsigned fixed = T_LEVELS[t_level(r->level)].fixed + (e[k].has_resume_key ? 4u : 0u);
      if (r->level == 1 && r->unicode) {
        /* a pad byte aligns the name to an even data offset */
        ck_assert_uint_eq(name_at % 2, 0);
        ck_assert_uint_eq(name_at - e[k].offset, fixed + ((e[k].offset + fixed) & 1u));
        seen_pad += name_at != e[k].offset + fixed;
      }
      if (r->level == 2 && r->unicode) {
        /* no pad, and a single zero byte after the name */
        ck_assert_uint_eq(name_at, e[k].offset + fixed);
        if (k + 1 < n) ck_assert_uint_eq(e[k + 1].offset, name_at + e[k].file_name.len + 1);
        seen_ea_byte++;
      }
      if (is_nt(r->level) && k + 1 == n) {
        /* the last NextEntryOffset is not 0: the size padded to 4 bytes,
           and the data is padded as far */
        ck_assert_uint_eq(e[k].offset + e[k].next_entry_offset, r->rd_len);
        ck_assert_uint_eq(e[k].next_entry_offset % 4, 0);
        seen_to_end++;
      }
    }
  }
  ck_assert_int_gt(seen_pad, 0);
  ck_assert_int_gt(seen_ea_byte, 0);
  ck_assert_int_gt(seen_to_end, 10);
}
END_TEST

/* Every real entry re-encodes byte for byte: all of them in a row into an
   exactly sized buffer, and each alone; the size query agrees and a byte
   less gets SMBW_E_NOSPACE with nothing written. */
START_TEST(test_real_roundtrip) {
  for (size_t i = 0; i < NRECS; i++) {
    const rec *r = &recs[i];
    if (r->level == 3) continue;
    smbw_find_entry e[MAXE];
    unsigned n;
    smbw_bytes d = place(r->rd, r->rd_len);
    ck_assert_int_eq(walk(d, r->level, r->unicode, r->n, r->flags, e, &n, NULL), 0);
    size_t pos = 0;
    for (unsigned k = 0; k < n; k++)
      ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, (uint16_t)r->level, r->unicode, &e[k]),
                       SMBW_E_NOSPACE);
    ck_assert_uint_eq(pos, r->rd_len);
    uint8_t *o = out_area(r->rd_len);
    pos = 0;
    for (unsigned k = 0; k < n; k++)
      ck_assert_int_eq(
          smbw_find_append(o, r->rd_len, &pos, (uint16_t)r->level, r->unicode, &e[k]), 0);
    ck_assert(pos == r->rd_len && canary_ok(r->rd_len) && memcmp(o, r->rd, r->rd_len) == 0);
    for (unsigned k = 0; k < n; k++) {
      /* alone, at the same parity (the Unicode SMB_INFO_STANDARD pad) */
      const size_t lead = e[k].offset & 1u;
      const size_t span = (size_t)(e[k].padding.data - d.data) + e[k].padding.len - e[k].offset;
      o = out_area(lead + span);
      pos = lead;
      ck_assert_int_eq(
          smbw_find_append(o, lead + span, &pos, (uint16_t)r->level, r->unicode, &e[k]), 0);
      ck_assert(pos == lead + span && canary_ok(lead + span));
      ck_assert(memcmp(o + lead, r->rd + e[k].offset, span) == 0);
      o = out_area(lead + span - 1);
      pos = lead;
      ck_assert_int_eq(
          smbw_find_append(o, lead + span - 1, &pos, (uint16_t)r->level, r->unicode, &e[k]),
          SMBW_E_NOSPACE);
      ck_assert(pos == lead + span && canary_ok(lead + span - 1) && untouched(o, lead + span - 1));
    }
  }
}
END_TEST

/* Every entry of every recording cut at every byte (the data then ends
   there, against the guard page): with the response's SearchCount the
   failure is exactly the one the cut makes. */
START_TEST(test_real_cuts) {
  unsigned cuts = 0;
  for (size_t i = 0; i < NRECS; i++) {
    const rec *r = &recs[i];
    if (r->level == 3) continue;
    const unsigned t = t_level(r->level);
    smbw_find_entry e[MAXE], x[MAXE];
    unsigned n, nx;
    ck_assert_int_eq(
        walk(bytes_view(r->rd, r->rd_len), r->level, r->unicode, r->n, r->flags, e, &n, NULL), 0);
    unsigned k = 0;
    for (size_t c = 0; c < r->rd_len; c++, cuts++) {
      while (k + 1 < n && e[k + 1].offset <= c) k++;
      const uint32_t off = e[k].offset;
      const uint32_t rel = (uint32_t)(c - off);
      const uint32_t base = e[k].has_resume_key ? 4u : 0u;
      const uint32_t fixed = base + T_LEVELS[t].fixed;
      const uint32_t name_end =
          (uint32_t)(e[k].file_name.data - r->rd) - off + wire_fnl(&e[k], r->unicode);
      const uint32_t used = (uint32_t)(e[k].padding.data - r->rd) - off;
      smbw_error err = {0, 0, NULL};
      smbw_bytes d = place(r->rd, c);
      int rc = walk(d, r->level, r->unicode, r->n, r->flags, x, &nx, &err);
      if (rel == 0) { /* the data ends where entry k starts */
        ck_assert_int_eq(rc, SMBW_E_COUNT);
        ck_assert(err.offset == c && !strcmp(err.field, "SearchCount"));
        ck_assert_uint_eq(nx, k);
      } else if (rel < base) {
        ck_assert_int_eq(rc, SMBW_E_TRUNCATED);
        ck_assert(err.offset == off && !strcmp(err.field, "ResumeKey"));
      } else if (rel < fixed) {
        ck_assert_int_eq(rc, SMBW_E_TRUNCATED);
        const tfield *f = T_LEVELS[t].f;
        unsigned j = 0;
        while (rel - base >= f[j].off + f[j].size) j++;
        ck_assert_msg(err.offset == off + base + f[j].off && !strcmp(err.field, f[j].name),
                      "%s cut %zu: %s at %u, want %s at %u", r->what, c, err.field, err.offset,
                      f[j].name, off + base + f[j].off);
        ck_assert_uint_eq(nx, k);
      } else if (rel < name_end) {
        ck_assert_int_eq(rc, SMBW_E_FIELD_LENGTH);
        ck_assert(err.offset == off + base + T_LEVELS[t].fnl_off &&
                  !strcmp(err.field, "FileNameLength"));
        ck_assert_uint_eq(nx, k);
      } else if (k + 1 == n) { /* in the last entry's terminator or padding */
        ck_assert_int_eq(rc, 0);
        ck_assert_uint_eq(nx, n);
      } else if (rel < used) { /* in a standard-level terminator */
        ck_assert(rc == SMBW_E_COUNT || rc == SMBW_E_TRUNCATED);
        ck_assert_uint_ge(err.offset, off);
        ck_assert_uint_le(err.offset, c);
      } else { /* in the padding: the link points past the end */
        ck_assert_int_eq(rc, SMBW_E_NEXT_OFFSET);
        ck_assert(err.offset == off && !strcmp(err.field, "NextEntryOffset"));
        ck_assert_uint_eq(nx, k + 1);
      }
      /* without a count: never past the cut, never more entries */
      rc = walk(d, r->level, r->unicode, SMBW_FIND_ANY_COUNT, r->flags, x, &nx, &err);
      ck_assert(rc <= 0 && nx <= n);
      if (rc < 0) ck_assert_uint_le(err.offset, c);
    }
  }
  ck_assert_uint_ge(cuts, 10000);
}
END_TEST

/* ================= crafted errors ================= */

/* A Unicode SMB_FIND_FILE_NAMES_INFO list: "a" (16 bytes with 2 of
   padding), "bc" (16), "d" (14, last, NextEntryOffset 0). */
static const uint8_t NAMES3[] = {16, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 'a', 0, 0xEE, 0xEE,
                                 16, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 'b', 0, 'c',  0,
                                 0,  0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 'd', 0};

static void set32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
  p[2] = (uint8_t)(v >> 16);
  p[3] = (uint8_t)(v >> 24);
}

/* Walk a modified copy of NAMES3; checks the error of the last call. */
static void names3_err(uint32_t at, uint32_t neo, uint32_t count, int code, uint32_t off,
                       const char *field, unsigned want_n) {
  uint8_t b[sizeof NAMES3];
  memcpy(b, NAMES3, sizeof b);
  set32(b + at, neo);
  smbw_find_entry e[MAXE];
  unsigned n;
  smbw_error err = {0, 0, NULL};
  ck_assert_int_eq(walk(place(b, sizeof b), 0x103, 1, count, 0, e, &n, &err), code);
  ck_assert_uint_eq(n, want_n);
  if (code)
    ck_assert_msg(err.code == code && err.offset == off && !strcmp(err.field, field),
                  "got %s at %u %s", smbw_errname(err.code), err.offset, err.field);
}

START_TEST(test_next_offset) {
  smbw_find_entry e[MAXE];
  unsigned n;
  /* as built: 3 entries with or without the count; padding as read */
  ck_assert_int_eq(walk(place(NAMES3, sizeof NAMES3), 0x103, 1, 3, 0, e, &n, NULL), 0);
  ck_assert_uint_eq(n, 3);
  ck_assert(e[0].padding.len == 2 && e[0].padding.data[0] == 0xEE);
  ck_assert(smbw_str_eq(&e[1].file_name, "bc") && e[1].file_index == 2);
  ck_assert(e[2].next_entry_offset == 0 && e[2].padding.len == 0);
  ck_assert_int_eq(
      walk(place(NAMES3, sizeof NAMES3), 0x103, 1, SMBW_FIND_ANY_COUNT, 0, e, &n, NULL), 0);
  ck_assert_uint_eq(n, 3);
  /* a loop (0 to itself) ends the list; with the count that is too few */
  names3_err(16, 0, SMBW_FIND_ANY_COUNT, 0, 0, NULL, 2);
  names3_err(16, 0, 3, SMBW_E_COUNT, 16, "NextEntryOffset", 2);
  /* inside its own entry (below the used size of 14 bytes) */
  names3_err(0, 13, 3, SMBW_E_NEXT_OFFSET, 0, "NextEntryOffset", 1);
  names3_err(0, 1, SMBW_FIND_ANY_COUNT, SMBW_E_NEXT_OFFSET, 0, "NextEntryOffset", 1);
  /* exactly the used size: the next entry starts inside the padding and
     reads a FileNameLength of 0x40000 */
  names3_err(0, 14, 3, SMBW_E_FIELD_LENGTH, 14 + 8, "FileNameLength", 1);
  /* backward: a 32-bit wrap to an earlier entry is past the end */
  names3_err(16, 0xFFFFFFF0u, 3, SMBW_E_NEXT_OFFSET, 16, "NextEntryOffset", 2);
  names3_err(16, 0xFFFFFFFFu, SMBW_FIND_ANY_COUNT, SMBW_E_NEXT_OFFSET, 16, "NextEntryOffset", 2);
  /* past the end by one, and exactly at the end (no entry left) */
  names3_err(16, sizeof NAMES3 - 16 + 1, 3, SMBW_E_NEXT_OFFSET, 16, "NextEntryOffset", 2);
  names3_err(16, sizeof NAMES3 - 16, 3, SMBW_E_COUNT, sizeof NAMES3, "SearchCount", 2);
  names3_err(16, sizeof NAMES3 - 16, SMBW_FIND_ANY_COUNT, 0, 0, NULL, 2);
  /* the count stops early: the rest is the last entry's padding, whatever
     its link says */
  names3_err(16, 0xFFFFFFFFu, 2, 0, 0, NULL, 2);
  ck_assert_int_eq(walk(place(NAMES3, sizeof NAMES3), 0x103, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(n == 1 && e[0].padding.len == sizeof NAMES3 - 14);
  /* SearchCount lies: more than there are, none with data */
  names3_err(32, 0, 4, SMBW_E_COUNT, 32, "NextEntryOffset", 3);
  names3_err(32, 0, 0, SMBW_E_COUNT, 0, "SearchCount", 0);
  /* an unknown count after a link to the end of the data: done */
  uint8_t b[sizeof NAMES3];
  memcpy(b, NAMES3, sizeof b);
  set32(b + 32, 14);
  names3_err(32, 14, SMBW_FIND_ANY_COUNT, 0, 0, NULL, 3);
}
END_TEST

START_TEST(test_iter_errors) {
  smbw_find_iter it;
  smbw_find_entry e;
  smbw_error err = {0, 0, NULL};
  /* not sticky: NULL arguments */
  ck_assert_int_eq(smbw_find_iter_next(NULL, &e, &err), SMBW_E_INVAL);
  smbw_find_iter_init(&it, bytes_view(NAMES3, sizeof NAMES3), 0x103, 1, 3, 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, NULL, &err), SMBW_E_INVAL);
  ck_assert(err.offset == 0 && !strcmp(err.field, "iterator"));
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, NULL), 1);
  smbw_find_iter_init(NULL, bytes_view(NAMES3, 1), 1, 0, 0, 0); /* does nothing */
  /* unknown levels, sticky */
  const unsigned bad[] = {0, 3, 4, 0x100, 0x107, 0x202, 0xFFFF};
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    smbw_find_iter_init(&it, bytes_view(NAMES3, sizeof NAMES3), (uint16_t)bad[i], 1, 3, 0);
    for (int k = 0; k < 2; k++) {
      err.code = 0;
      ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), SMBW_E_LEVEL);
      ck_assert(err.code == SMBW_E_LEVEL && err.offset == 0 &&
                !strcmp(err.field, "InformationLevel"));
    }
  }
  /* data NULL with a length */
  smbw_find_iter_init(&it, bytes_view(NULL, 5), 0x103, 1, 3, 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), SMBW_E_INVAL);
  ck_assert(!strcmp(err.field, "data"));
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, NULL), SMBW_E_INVAL);
  /* empty data: fine without a count or with 0, too few with 1 */
  smbw_find_iter_init(&it, bytes_view(NULL, 0), 0x104, 1, SMBW_FIND_ANY_COUNT, 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), 0);
  smbw_find_iter_init(&it, bytes_view(NULL, 0), 1, 0, 0, 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), 0);
  smbw_find_iter_init(&it, bytes_view(NULL, 0), 1, 0, 1, 0);
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), SMBW_E_COUNT);
  ck_assert(err.offset == 0 && !strcmp(err.field, "SearchCount"));
  /* sticky errors repeat with their offset and field */
  err.code = 0;
  ck_assert_int_eq(smbw_find_iter_next(&it, &e, &err), SMBW_E_COUNT);
  ck_assert(err.code == SMBW_E_COUNT && err.offset == 0 && !strcmp(err.field, "SearchCount"));
}
END_TEST

/* Crafted field errors of every kind, with their offsets and names. */
START_TEST(test_field_errors) {
  smbw_find_entry e[MAXE];
  unsigned n;
  smbw_error err = {0, 0, NULL};
  /* a BOTH_DIRECTORY_INFO entry with ShortNameLength 25, then 24 */
  uint8_t both[94 + 4];
  memset(both, 0, sizeof both);
  both[60] = 4;
  both[68] = 25;
  ck_assert_int_eq(walk(place(both, sizeof both), 0x104, 1, 1, 0, e, &n, &err),
                   SMBW_E_FIELD_LENGTH);
  ck_assert(err.offset == 68 && !strcmp(err.field, "ShortNameLength"));
  both[68] = 24;
  ck_assert_int_eq(walk(place(both, sizeof both), 0x104, 1, 1, 0, e, &n, &err), 0);
  ck_assert(e[0].short_name.len == 24 && e[0].short_name_pad.len == 0);
  /* the same at ID_BOTH: ShortNameLength at 68 too */
  uint8_t idboth[104 + 2];
  memset(idboth, 0, sizeof idboth);
  idboth[60] = 2;
  idboth[68] = 200;
  ck_assert_int_eq(walk(place(idboth, sizeof idboth), 0x106, 1, 1, 0, e, &n, &err),
                   SMBW_E_FIELD_LENGTH);
  ck_assert(err.offset == 68 && !strcmp(err.field, "ShortNameLength"));
  /* FileNameLength past the data, at a 32-bit length and a 1-byte one */
  both[68] = 0;
  set32(both + 60, 0xFFFFFFFFu);
  ck_assert_int_eq(walk(place(both, sizeof both), 0x104, 1, 1, 0, e, &n, &err),
                   SMBW_E_FIELD_LENGTH);
  ck_assert(err.offset == 60 && !strcmp(err.field, "FileNameLength"));
  set32(both + 60, 5);
  ck_assert_int_eq(walk(place(both, sizeof both), 0x104, 1, 1, 0, e, &n, &err),
                   SMBW_E_FIELD_LENGTH);
  uint8_t std[4 + 23 + 3];
  memset(std, 0, sizeof std);
  std[4 + 22] = 3; /* resume key, fixed part, "abc" with no terminator */
  memcpy(std + 27, "abc", 3);
  ck_assert_int_eq(walk(place(std, sizeof std), 1, 0, 1, SMBW_FIND_RETURN_RESUME_KEYS, e, &n, &err),
                   0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_NONE && e[0].file_name.unterminated);
  std[4 + 22] = 4;
  ck_assert_int_eq(walk(place(std, sizeof std), 1, 0, 1, SMBW_FIND_RETURN_RESUME_KEYS, e, &n, &err),
                   SMBW_E_FIELD_LENGTH);
  ck_assert(err.offset == 26 && !strcmp(err.field, "FileNameLength"));
  /* Unicode SMB_INFO_STANDARD: the name's pad byte must be there too */
  uint8_t upad[23 + 1];
  memset(upad, 0, sizeof upad);
  ck_assert_int_eq(walk(place(upad, 23), 1, 1, 1, 0, e, &n, &err), SMBW_E_FIELD_LENGTH);
  ck_assert(err.offset == 22 && !strcmp(err.field, "FileNameLength"));
  upad[22] = 0;
  ck_assert_int_eq(walk(place(upad, 24), 1, 1, 1, 0, e, &n, &err), 0);
  ck_assert(e[0].file_name.len == 0 && e[0].name_nul == SMBW_FIND_NUL_NONE &&
            e[0].padding.len == 0);
  /* a resume key cut */
  ck_assert_int_eq(walk(place(std, 3), 2, 0, 1, SMBW_FIND_RETURN_RESUME_KEYS, e, &n, &err),
                   SMBW_E_TRUNCATED);
  ck_assert(err.offset == 0 && !strcmp(err.field, "ResumeKey"));
  /* standard levels: more entries wanted than there are ("ab", then a
     non-zero byte: no terminator, the entry ends the data) */
  std[4 + 22] = 2;
  ck_assert_int_eq(
      walk(place(std, sizeof std - 1), 1, 0, 2, SMBW_FIND_RETURN_RESUME_KEYS, e, &n, &err),
      SMBW_E_COUNT);
  ck_assert(n == 1 && err.offset == sizeof std - 1 && !strcmp(err.field, "SearchCount"));
}
END_TEST

/* Terminators: every form is read and written back. */
START_TEST(test_terminators) {
  smbw_find_entry e[MAXE];
  unsigned n;
  uint8_t b[128];
  size_t pos;
  /* NT level, OEM, counted: "ab\0" */
  memset(b, 0, sizeof b);
  b[8] = 3;
  memcpy(b + 12, "ab", 3);
  ck_assert_int_eq(walk(place(b, 15), 0x103, 0, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_COUNTED && e[0].file_name.len == 2 &&
            !e[0].file_name.unterminated);
  /* Unicode odd length: not a terminator */
  b[8] = 3;
  ck_assert_int_eq(walk(place(b, 15), 0x103, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_NONE && e[0].file_name.len == 3);
  /* Unicode counted: "a\0\0\0" */
  b[8] = 4;
  b[12] = 'a';
  b[13] = 0;
  ck_assert_int_eq(walk(place(b, 16), 0x103, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_COUNTED && e[0].file_name.len == 2);
  pos = 0;
  uint8_t *o = out_area(16);
  ck_assert_int_eq(smbw_find_append(o, 16, &pos, 0x103, 1, &e[0]), 0);
  ck_assert(pos == 16 && memcmp(o, b, 16) == 0);
  /* SMB_INFO_QUERY_EA_SIZE: the single zero byte after, in both encodings;
     a non-zero byte there is the next entry's */
  memset(b, 0, sizeof b);
  b[26] = 2;
  b[27] = 'x';
  b[28] = 0;
  ck_assert_int_eq(walk(place(b, 30), 2, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_AFTER && e[0].padding.len == 0);
  ck_assert_int_eq(walk(place(b, 29), 2, 0, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_COUNTED && e[0].file_name.len == 1 &&
            e[0].padding.len == 0);
  b[28] = 'y';
  b[29] = 7;
  ck_assert_int_eq(walk(place(b, 30), 2, 0, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_NONE && e[0].padding.len == 1 &&
            e[0].padding.data[0] == 7);
  /* SMB_INFO_STANDARD Unicode with one zero byte of two: no terminator */
  memset(b, 0, sizeof b);
  b[22] = 2;
  b[24] = 'q';
  b[25] = 0x30;
  ck_assert_int_eq(walk(place(b, 27), 1, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_NONE && e[0].padding.len == 1);
  ck_assert(e[0].file_name.pad == 0 && e[0].file_name.data[0] == 'q');
  b[23] = 0x5A; /* the pad byte is kept */
  ck_assert_int_eq(walk(place(b, 28), 1, 1, 1, 0, e, &n, NULL), 0);
  ck_assert(e[0].name_nul == SMBW_FIND_NUL_AFTER && e[0].file_name.pad == 0x5A);
  o = out_area(28);
  pos = 0;
  ck_assert_int_eq(smbw_find_append(o, 28, &pos, 1, 1, &e[0]), 0);
  ck_assert(pos == 28 && memcmp(o, b, 28) == 0);
}
END_TEST

/* ================= encoding fresh entries ================= */

static smbw_find_entry fresh(const char *name) {
  smbw_find_entry e = {.file_name = smbw_str_utf8(name), .end_of_file = 45,
                       .allocation_size = 4096, .attributes = 0x20, .ea_size = 24,
                       .file_index = 7, .creation_date = 0x5821, .last_write_time_dos = 0x648e};
  /* FILETIMEs one apart, so that a swapped pair shows */
  e.creation_time = 0x01DA3C457689C000ull;
  e.last_access_time = e.creation_time + 1;
  e.last_write_time = e.creation_time + 2;
  e.last_change_time = e.creation_time + 3;
  return e;
}

START_TEST(test_encode_fresh) {
  static const unsigned lv[] = {1, 2, 0x101, 0x102, 0x103, 0x104, 0x105, 0x106};
  for (unsigned u = 0; u < 2; u++) {
    for (unsigned i = 0; i < sizeof lv / sizeof lv[0]; i++) {
      const int nt = is_nt(lv[i]);
      smbw_find_entry in[3];
      in[0] = fresh("caf\xc3\xa9.txt");
      in[1] = fresh("b");
      in[2] = fresh("long name.doc");
      if (lv[i] == 0x104 || lv[i] == 0x106) {
        in[2].short_name = smbw_str_utf8("LONGNA~1.DOC");
        in[2].short_name_reserved = 9;
      }
      if (lv[i] >= 0x105) in[1].file_id = 0x1122334455667788ull;
      if (lv[i] == 0x106) in[1].reserved = 0xBEEF;
      if (!nt) {
        for (int k = 0; k < 3; k++) {
          in[k].has_resume_key = 1;
          in[k].resume_key = 100u + (unsigned)k;
        }
      } else {
        in[0].next_mode = in[1].next_mode = SMBW_FIND_NEXT_ALIGN8;
      }
      size_t pos = 0;
      for (int k = 0; k < 3; k++)
        ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, (uint16_t)lv[i], (int)u, &in[k]),
                         SMBW_E_NOSPACE);
      const size_t size = pos;
      uint8_t *o = out_area(size);
      pos = 0;
      for (int k = 0; k < 3; k++)
        ck_assert_int_eq(smbw_find_append(o, size, &pos, (uint16_t)lv[i], (int)u, &in[k]), 0);
      ck_assert(pos == size && canary_ok(size));
      smbw_find_entry e[MAXE];
      unsigned n;
      smbw_bytes d = place(o, size);
      ck_assert_int_eq(
          walk(d, lv[i], (int)u, 3, nt ? 0 : SMBW_FIND_RETURN_RESUME_KEYS, e, &n, NULL), 0);
      ck_assert_uint_eq(n, 3);
      ck_assert_int_eq(walk(d, lv[i], (int)u, SMBW_FIND_ANY_COUNT,
                            nt ? 0 : SMBW_FIND_RETURN_RESUME_KEYS, e, &n, NULL),
                       0);
      ck_assert_uint_eq(n, 3);
      ck_assert(smbw_str_eq(&e[0].file_name, u ? "caf\xc3\xa9.txt" : "caf\xc3\xa9.txt"));
      ck_assert(smbw_str_eq(&e[1].file_name, "b") && smbw_str_eq(&e[2].file_name, "long name.doc"));
      for (int k = 0; k < 3; k++) {
        ck_assert_uint_eq(e[k].name_nul, nt ? SMBW_FIND_NUL_NONE : SMBW_FIND_NUL_AFTER);
        if (lv[i] != 0x103) ck_assert_uint_eq(e[k].end_of_file, 45);
        if (nt)
          ck_assert_uint_eq(e[k].file_index, 7);
        else
          ck_assert_uint_eq(e[k].resume_key, 100u + (unsigned)k);
        if (nt && k < 2) {
          ck_assert_uint_eq(e[k].next_entry_offset % 8, 0);
          ck_assert_uint_eq(e[k].offset % 8, 0);
        }
      }
      if (nt) ck_assert_uint_eq(e[2].next_entry_offset, 0);
      if (lv[i] == 0x104 || lv[i] == 0x106) {
        ck_assert(smbw_str_eq(&e[2].short_name, "LONGNA~1.DOC") && e[2].short_name_reserved == 9);
        ck_assert(e[0].short_name.len == 0 && e[0].short_name_pad.len == 24);
      }
      if (lv[i] >= 0x105) ck_assert_uint_eq(e[1].file_id, 0x1122334455667788ull);
      if (lv[i] == 0x106) ck_assert_uint_eq(e[1].reserved, 0xBEEF);
      if (lv[i] == 1 && u) {
        /* resume key + 23: the first name is at the odd offset 27 */
        ck_assert_uint_eq(e[0].file_name.data - d.data, 28);
      }
    }
  }
}
END_TEST

START_TEST(test_encode_errors) {
  smbw_find_entry e = fresh("x");
  size_t pos = 0;
  uint8_t b[256];
  ck_assert_int_eq(smbw_find_append(b, sizeof b, NULL, 0x101, 1, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, 0x101, 1, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_append(NULL, 1, &pos, 0x101, 1, &e), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, 3, 1, &e), SMBW_E_LEVEL);
  ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, 0x107, 1, &e), SMBW_E_LEVEL);
  ck_assert_uint_eq(pos, 0);
#define BAD(field, value, level, code)                                               \
  do {                                                                               \
    smbw_find_entry x = fresh("x");                                                  \
    x.field = value;                                                                 \
    pos = 0;                                                                         \
    ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, level, 1, &x), code); \
    ck_assert_uint_eq(pos, 0);                                                       \
  } while (0)
  BAD(file_name.data, NULL, 0x101, SMBW_E_INVAL);
  BAD(short_name.len, 3, 0x104, SMBW_E_INVAL);
  BAD(short_name_pad.len, 3, 0x104, SMBW_E_INVAL);
  BAD(padding.len, 3, 0x101, SMBW_E_INVAL);
  BAD(name_nul, 4, 0x101, SMBW_E_INVAL);
  BAD(name_nul, SMBW_FIND_NUL_AFTER, 0x101, SMBW_E_INVAL);
  BAD(next_mode, 2, 0x101, SMBW_E_INVAL);
  BAD(next_mode, SMBW_FIND_NEXT_ALIGN8, 1, SMBW_E_INVAL);
  BAD(has_resume_key, 1, 0x102, SMBW_E_INVAL);
  BAD(end_of_file, 0x100000000ull, 1, SMBW_E_RANGE);
  BAD(allocation_size, 0x100000000ull, 2, SMBW_E_RANGE);
  BAD(attributes, 0x10000, 1, SMBW_E_RANGE);
  BAD(reserved, 0x10000, 0x106, SMBW_E_RANGE);
  BAD(file_name.enc, 7, 0x101, SMBW_E_INVAL);
  BAD(file_name, smbw_str_utf8("\xff"), 0x101, SMBW_E_STR_ENCODING);
  /* a name not representable in OEM */
  {
    smbw_find_entry x = fresh("\xe6\x97\xa5");
    pos = 0;
    ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, 0x101, 0, &x), SMBW_E_STR_ENCODING);
  }
  BAD(short_name, smbw_str_utf8("\xff"), 0x104, SMBW_E_STR_ENCODING);
  BAD(short_name, smbw_str_utf8("ABCDEFGHIJKLM"), 0x106, SMBW_E_RANGE);
  /* a standard-level name over 255 bytes */
  {
    char big[200];
    memset(big, 'n', sizeof big - 1);
    big[sizeof big - 1] = 0;
    smbw_find_entry x = fresh(big);
    pos = 0;
    ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, 2, 0, &x), SMBW_E_NOSPACE);
    pos = 0;
    ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, 2, 1, &x), SMBW_E_RANGE);
    ck_assert_uint_eq(pos, 0);
    /* fine at an NT level */
    ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, 0x103, 1, &x), SMBW_E_NOSPACE);
    ck_assert_uint_eq(pos, 12 + 2 * 199);
  }
  /* *pos + size overflowing */
  pos = SIZE_MAX - 10;
  ck_assert_int_eq(smbw_find_append(NULL, 0, &pos, 0x103, 1, &e), SMBW_E_RANGE);
  ck_assert_uint_eq(pos, SIZE_MAX - 10);
  /* *pos already past the buffer: only counted */
  pos = 300;
  ck_assert_int_eq(smbw_find_append(b, sizeof b, &pos, 0x103, 1, &e), SMBW_E_NOSPACE);
  ck_assert_uint_eq(pos, 314);
  /* a short name pad of the wrong length is written as zeros; an absent
     name as an empty one */
  smbw_find_entry x = fresh("y");
  x.short_name = smbw_str_utf8("Y");
  x.short_name_pad.data = b;
  x.short_name_pad.len = 3;
  memset(b, 0x77, sizeof b);
  pos = 0;
  uint8_t *o = out_area(96);
  ck_assert_int_eq(smbw_find_append(o, 96, &pos, 0x104, 1, &x), 0);
  for (int k = 72; k < 94; k++) ck_assert_uint_eq(o[k], 0);
  x.file_name.data = NULL;
  x.file_name.len = 0;
  pos = 0;
  ck_assert_int_eq(smbw_find_append(o, 96, &pos, 0x104, 1, &x), 0);
  ck_assert_uint_eq(pos, 94);
  ck_assert_uint_eq(o[60], 0);
#undef BAD
}
END_TEST

/* ================= parameters: crafted ================= */

START_TEST(test_params_errors) {
  static const uint8_t p16[] = {0x16, 0, 100, 0, 6, 0, 4, 1, 0, 0, 0, 0, '\\', 0, '*', 0, 0, 0};
  static const char *const first_names[] = {"SearchAttributes",
                                            "SearchAttributes",
                                            "SearchCount",
                                            "SearchCount",
                                            "Flags",
                                            "Flags",
                                            "InformationLevel",
                                            "InformationLevel",
                                            "SearchStorageType",
                                            "SearchStorageType",
                                            "SearchStorageType",
                                            "SearchStorageType"};
  static const char *const next_names[] = {"SID",
                                           "SID",
                                           "SearchCount",
                                           "SearchCount",
                                           "InformationLevel",
                                           "InformationLevel",
                                           "ResumeKey",
                                           "ResumeKey",
                                           "ResumeKey",
                                           "ResumeKey",
                                           "Flags",
                                           "Flags"};
  static const unsigned first_off[] = {0, 0, 2, 2, 4, 4, 6, 6, 8, 8, 8, 8};
  static const unsigned next_off[] = {0, 0, 2, 2, 4, 4, 6, 6, 6, 6, 10, 10};
  smbw_error err;
  smbw_find_first2_req f;
  smbw_find_next2_req x;
  for (size_t cut = 0; cut < 12; cut++) {
    smbw_bytes v = place(p16, cut);
    ck_assert_int_eq(smbw_find_first2_req_decode(v, bytes_view(NULL, 0), 1, &f, &err), SMBW_E_TRUNCATED);
    ck_assert(err.offset == first_off[cut] && !strcmp(err.field, first_names[cut]));
    ck_assert_int_eq(smbw_find_next2_req_decode(v, bytes_view(NULL, 0), 1, &x, &err), SMBW_E_TRUNCATED);
    ck_assert(err.offset == next_off[cut] && !strcmp(err.field, next_names[cut]));
  }
  /* every cut after 12: a name, maybe unterminated or absent; round trip */
  for (size_t cut = 12; cut <= sizeof p16; cut++) {
    smbw_bytes v = place(p16, cut);
    ck_assert_int_eq(smbw_find_first2_req_decode(v, bytes_view(NULL, 0), 1, &f, &err), 0);
    ck_assert((cut == 12) == (f.file_name.data == NULL));
    ck_assert_int_eq(f.file_name.unterminated, cut > 12 && cut < sizeof p16);
    size_t len = 0;
    uint8_t *o = out_area(cut);
    ck_assert_int_eq(smbw_find_first2_req_encode(o, cut, 1, &f, &len), 0);
    ck_assert(len == cut && memcmp(o, p16, cut) == 0 && canary_ok(cut));
    ck_assert_int_eq(smbw_find_next2_req_decode(v, bytes_view(NULL, 0), 1, &x, &err), 0);
    o = out_area(cut);
    ck_assert_int_eq(smbw_find_next2_req_encode(o, cut, 1, &x, &len), 0);
    ck_assert(len == cut && memcmp(o, p16, cut) == 0);
  }
  /* trailing bytes after the terminator: extra, kept */
  uint8_t px[sizeof p16 + 3];
  memcpy(px, p16, sizeof p16);
  memcpy(px + sizeof p16, "\x01\x02\x03", 3);
  ck_assert_int_eq(smbw_find_first2_req_decode(place(px, sizeof px), bytes_view(NULL, 0), 1, &f, &err),
                   0);
  ck_assert(f.extra.len == 3 && f.extra.data[2] == 3 && smbw_str_eq(&f.file_name, "\\*"));
  size_t len;
  uint8_t *o = out_area(sizeof px);
  ck_assert_int_eq(smbw_find_first2_req_encode(o, sizeof px, 1, &f, &len), 0);
  ck_assert(memcmp(o, px, sizeof px) == 0);
  /* OEM: the same bytes read as an 8-bit name "\" then extra */
  ck_assert_int_eq(smbw_find_first2_req_decode(place(px, sizeof px), bytes_view(NULL, 0), 0, &f, &err),
                   0);
  ck_assert(f.file_name.len == 1 && f.extra.len == sizeof px - 14);
  o = out_area(sizeof px);
  ck_assert_int_eq(smbw_find_first2_req_encode(o, sizeof px, 0, &f, &len), 0);
  ck_assert(memcmp(o, px, sizeof px) == 0);
  /* GEA list at SMB_INFO_QUERY_EAS_FROM_LIST */
  uint8_t p3[sizeof p16];
  memcpy(p3, p16, sizeof p16);
  p3[6] = 3;
  p3[7] = 0;
  static const uint8_t gea[] = {13, 0, 0, 0, 7, 's', 'm', 'b', 'w', 'i', 'r', 'e', 0};
  for (size_t cut = 0; cut < 4; cut++) {
    ck_assert_int_eq(smbw_find_first2_req_decode(bytes_view(p3, sizeof p3), place(gea, cut), 1, &f, &err),
                     SMBW_E_TRUNCATED);
    ck_assert(err.offset == 0 && !strcmp(err.field, "SizeOfListInBytes"));
  }
  for (size_t cut = 4; cut < sizeof gea; cut++) {
    ck_assert_int_eq(smbw_find_first2_req_decode(bytes_view(p3, sizeof p3), place(gea, cut), 1, &f, &err),
                     SMBW_E_FIELD_LENGTH);
    ck_assert(err.offset == 0 && !strcmp(err.field, "SizeOfListInBytes"));
  }
  ck_assert_int_eq(
      smbw_find_first2_req_decode(bytes_view(p3, sizeof p3), place(gea, sizeof gea), 1, &f, &err), 0);
  ck_assert(f.gea_list.data != NULL && f.gea_list.len == sizeof gea);
  /* FIND_NEXT2 reads its level at offset 4: here 6, so the data is not
     looked at */
  ck_assert_int_eq(smbw_find_next2_req_decode(bytes_view(p3, sizeof p3), bytes_view(gea, 2), 1, &x, &err), 0);
  ck_assert(x.gea_list.data == NULL && x.information_level == 6);
  /* FIND_NEXT2's level is at offset 4 */
  uint8_t pn[sizeof p16];
  memcpy(pn, p16, sizeof p16);
  pn[4] = 3;
  pn[5] = 0;
  ck_assert_int_eq(
      smbw_find_next2_req_decode(bytes_view(pn, sizeof pn), place(gea, sizeof gea), 1, &x, &err), 0);
  ck_assert(x.gea_list.data != NULL && x.gea_list.len == sizeof gea);
  ck_assert_int_eq(smbw_find_next2_req_decode(bytes_view(pn, sizeof pn), place(gea, 2), 1, &x, &err),
                   SMBW_E_TRUNCATED);
  ck_assert(err.offset == 0 && !strcmp(err.field, "SizeOfListInBytes"));
  uint8_t g2[] = {3, 0, 0, 0, 0};
  ck_assert_int_eq(
      smbw_find_first2_req_decode(bytes_view(p3, sizeof p3), place(g2, sizeof g2), 1, &f, &err),
      SMBW_E_FIELD_LENGTH);
  /* NULL arguments and bad views */
  ck_assert_int_eq(smbw_find_first2_req_decode(bytes_view(p16, sizeof p16), bytes_view(NULL, 0), 1, NULL, &err),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_first2_req_decode(bytes_view(NULL, 3), bytes_view(NULL, 0), 1, &f, &err),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_first2_req_decode(bytes_view(p16, sizeof p16), bytes_view(NULL, 3), 1, &f, &err),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_req_decode(bytes_view(p16, sizeof p16), bytes_view(NULL, 0), 1, NULL, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_req_decode(bytes_view(NULL, 3), bytes_view(NULL, 0), 1, &x, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_req_decode(bytes_view(p16, sizeof p16), bytes_view(NULL, 3), 1, &x, NULL),
                   SMBW_E_INVAL);
  smbw_find_first2_rsp fr;
  smbw_find_next2_rsp nr;
  ck_assert_int_eq(smbw_find_first2_rsp_decode(bytes_view(p16, 10), NULL, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_first2_rsp_decode(bytes_view(NULL, 10), &fr, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_rsp_decode(bytes_view(p16, 10), NULL, &err), SMBW_E_INVAL);
  static const char *const rsp1[] = {
      "SID",         "SID",           "SearchCount",   "SearchCount",    "EndOfSearch",
      "EndOfSearch", "EaErrorOffset", "EaErrorOffset", "LastNameOffset", "LastNameOffset"};
  static const char *const rsp2[] = {"SearchCount",    "SearchCount",   "EndOfSearch",
                                     "EndOfSearch",    "EaErrorOffset", "EaErrorOffset",
                                     "LastNameOffset", "LastNameOffset"};
  for (size_t cut = 0; cut < 10; cut++) {
    ck_assert_int_eq(smbw_find_first2_rsp_decode(place(p16, cut), &fr, &err), SMBW_E_TRUNCATED);
    ck_assert(err.offset == (cut & ~1u) && !strcmp(err.field, rsp1[cut]));
    if (cut < 8) {
      ck_assert_int_eq(smbw_find_next2_rsp_decode(place(p16, cut), &nr, &err), SMBW_E_TRUNCATED);
      ck_assert(err.offset == (cut & ~1u) && !strcmp(err.field, rsp2[cut]));
    }
  }
  /* extra response bytes round-trip */
  ck_assert_int_eq(smbw_find_first2_rsp_decode(place(p16, 13), &fr, &err), 0);
  ck_assert_uint_eq(fr.extra.len, 3);
  o = out_area(13);
  ck_assert_int_eq(smbw_find_first2_rsp_encode(o, 13, &fr, &len), 0);
  ck_assert(len == 13 && memcmp(o, p16, 13) == 0);
  ck_assert_int_eq(smbw_find_next2_rsp_decode(place(p16, 13), &nr, &err), 0);
  ck_assert(nr.extra.len == 5 && nr.search_count == 0x16 && nr.last_name_offset == 0x104);
  o = out_area(13);
  ck_assert_int_eq(smbw_find_next2_rsp_encode(o, 13, &nr, &len), 0);
  ck_assert(len == 13 && memcmp(o, p16, 13) == 0);
  /* encoder argument errors */
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 1, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_req_encode(NULL, 0, 1, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_next2_rsp_encode(NULL, 0, NULL, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 5, &fr, &len), SMBW_E_INVAL);
  fr.extra.data = NULL;
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, &fr, &len), SMBW_E_INVAL);
  fr.extra.len = 0x10000;
  fr.extra.data = p16;
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, &fr, &len), SMBW_E_RANGE);
  fr.extra.len = 0xFFFF - 10 + 1;
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, &fr, &len), SMBW_E_RANGE);
  fr.extra.len = 0xFFFF - 10;
  ck_assert_int_eq(smbw_find_first2_rsp_encode(NULL, 0, &fr, NULL), SMBW_E_NOSPACE);
  memset(&f, 0, sizeof f);
  f.extra.data = p16;
  f.extra.len = 1;
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 1, &f, &len),
                   SMBW_E_INVAL); /* absent name, extra */
  f.extra.len = 0;
  f.file_name.len = 2;
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 1, &f, &len), SMBW_E_INVAL);
  f.file_name = smbw_str_utf8("\xc3");
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 1, &f, &len), SMBW_E_STR_ENCODING);
  /* a UTF-8 pattern converted, both ways */
  f.file_name = smbw_str_utf8("\\caf\xc3\xa9*");
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 1, &f, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 12 + 2 * 6 + 2);
  ck_assert_int_eq(smbw_find_first2_req_encode(NULL, 0, 0, &f, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 12 + 6 + 1);
  o = out_area(19);
  ck_assert_int_eq(smbw_find_first2_req_encode(o, 19, 0, &f, &len), 0);
  ck_assert(o[16] == 0xE9 && o[17] == '*' && o[18] == 0 && canary_ok(19));
  memset(&x, 0, sizeof x);
  x.file_name = smbw_str_utf8("r");
  ck_assert_int_eq(smbw_find_next2_req_encode(NULL, 0, 1, &x, NULL), SMBW_E_NOSPACE);
}
END_TEST

int main(void) {
  load_recs();
  Suite *s = suite_create("find");
  add_tcase_fixture(s, "recorded", 300, setup, teardown,
                    TESTS(test_real_params, test_real_entries, test_real_quirks,
                          test_real_roundtrip, test_real_cuts));
  add_tcase_fixture(s, "crafted", 0, setup, teardown,
                    TESTS(test_next_offset, test_iter_errors, test_field_errors, test_terminators,
                          test_encode_fresh, test_encode_errors, test_params_errors));
  return run_suite(s);
}
