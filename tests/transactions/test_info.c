/*
 * The records of info.h (TRANSACTION2 information levels and parameter
 * blocks), driven by their rows:
 *
 *  - every TRANSACTION2 request and response of the golden captures (and
 *    ../shared/captures/samba when SMBW_VEC_DIRS names it) whose
 *    subcommand has records is typed by pairing the response with its
 *    request (MID, PID, TID, UID): parameters and data decode, re-encode
 *    byte for byte, and every numeric field with a Wireshark name has a
 *    value tshark shows for that message;
 *  - every record: an area shorter than its fixed part fails with
 *    SMBW_E_TRUNCATED and leaves the output untouched; random areas that
 *    decode re-encode byte for byte; the encoder reports the size it needs
 *    and writes nothing into a buffer one byte short;
 *  - chained lists: a NextEntryOffset inside its entry or past the data
 *    fails with SMBW_E_NEXT_OFFSET.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "../check_helpers.h"
#include "../vec.h"

/* ---- pairing over the captures ---- */

typedef struct pending {
  int used;
  uint16_t mid, tid, uid;
  uint32_t pid;
  uint8_t command;
  uint16_t sub, level;
  int has_level;
  int fsctl_rsp; /* NT_TRANSACT_IOCTL: the record of the response's data, or -1 */
} pending;

#define MAX_PENDING 64
#define MAX_FILES 128

typedef struct tally {
  unsigned typed[SMBW_RECORD_COUNT_]; /* instances decoded, per record */
  unsigned fields, agree, absent;
  unsigned refused; /* of the captures malformed by design */
  unsigned referrals[5]; /* DFS referral entries, per version */
} tally;

/* Captures whose transactions are malformed on purpose, by the names in
   SMBW_INFO_MALFORMED (space-separated; shared-captures.sh sets it for
   smbtorture base.nttrans, which sends NT_TRANSACT requests of random
   parameter and data sizes): their records may be refused. */
static int malformed_by_design(const char *path) {
  const char *list = getenv("SMBW_INFO_MALFORMED");
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t n = strcspn(base, ".");
  for (const char *p = list; p && *p;) {
    p += strspn(p, " ");
    size_t k = strcspn(p, " ");
    if (k && k == n && strncmp(p, base, n) == 0) return 1;
    p += k;
  }
  return 0;
}

typedef struct cmp_ctx {
  const vec_msg *m;
  tally *t;
  const char *path;
  int rec;
} cmp_ctx;

/* Does tshark show this value for this field in the message? */
static int cmp_field(void *ctx, const smbw_field *f) {
  cmp_ctx *c = ctx;
  if (f->kind != SMBW_FIELD_UINT || !f->wsname) return 0;
  c->t->fields++;
  if (!vec_get(c->m, f->wsname)) {
    c->t->absent++;
    return 0;
  }
  char buf[64];
  for (unsigned k = 0; vec_nth(c->m, f->wsname, k, buf, sizeof buf); k++)
    if (strtoull(buf, NULL, 0) == f->value) {
      c->t->agree++;
      return 0;
    }
  const char *name = "?";
  smbw_record_info(c->rec, &name, NULL);
  ck_abort_msg("%s frame %u: %s.%s (%s) = %llu, tshark shows %s", c->path, c->m->frame, name,
               f->name, f->wsname, (unsigned long long)f->value, vec_get(c->m, f->wsname));
  return 0;
}

static void check_referrals(smbw_bytes data, const vec_msg *m, const char *path, tally *t);

/* Decode area as record rec, re-encode it byte for byte, compare with
   tshark. */
static void check_area(int rec, smbw_bytes area, int unicode, uint32_t base, const vec_msg *m,
                       const char *path, tally *t) {
  if (rec < 0 || !area.len) return;
  _Alignas(max_align_t) uint8_t v[512];
  smbw_record_iter it;
  const unsigned flags = smbw_rec_flags(unicode, base);
  smbw_record_iter_init(&it, rec, area, flags);
  smbw_error e;
  int rc;
  uint32_t end = 0;
  while ((rc = smbw_record_iter_next_(&it, v, sizeof v, &e)) == 1) {
    uint8_t out[4096];
    size_t need = 0;
    const unsigned fl = smbw_rec_flags(unicode, base + end); /* where this record starts */
    int n = smbw_record_encode_(rec, v, sizeof v, fl, out, sizeof out, &need);
    ck_assert_msg(n >= 0, "%s frame %u: record %d encodes: %d", path, m->frame, rec, n);
    ck_assert_uint_eq((size_t)n, need);
    ck_assert_msg(end + (uint32_t)n <= area.len && memcmp(out, area.data + end, (size_t)n) == 0,
                  "%s frame %u: record %d does not re-encode byte for byte", path, m->frame, rec);
    end += (uint32_t)n;
    t->typed[rec]++;
  }
  if (rc < 0 && malformed_by_design(path)) {
    t->refused++;
    return;
  }
  ck_assert_msg(rc == 0, "%s frame %u: record %d: %s at %u (%s)", path, m->frame, rec,
                smbw_errname(rc), e.offset, e.field ? e.field : "");
  cmp_ctx c = {m, t, path, rec};
  ck_assert_int_eq(smbw_record_visit(rec, area, unicode, base, cmp_field, &c, NULL), 0);
  if (rec == SMBW_RECORD_DFS_REFERRAL_RSP) check_referrals(area, m, path, t);
}

/* Does tshark's k-th value of field ws equal x? */
static void cmp_nth(const vec_msg *m, const char *path, const char *ws, unsigned k, uint64_t x) {
  char buf[64];
  ck_assert_msg(vec_nth(m, ws, k, buf, sizeof buf), "%s frame %u: tshark has no %s #%u", path,
                m->frame, ws, k);
  ck_assert_msg(strtoull(buf, NULL, 0) == x, "%s frame %u: %s #%u = %llu, tshark shows %s", path,
                m->frame, ws, k, (unsigned long long)x, buf);
}

/* Is the UTF-16 string s tshark's k-th value of ws (ASCII names only)? */
static void cmp_str_nth(const vec_msg *m, const char *path, const char *ws, unsigned k,
                        const smbw_str *s) {
  char buf[512], mine[512];
  ck_assert_msg(s->data && s->len / 2 < sizeof mine, "%s frame %u: %s #%u absent", path, m->frame,
                ws, k);
  for (uint32_t i = 0; i < s->len / 2; i++) {
    ck_assert_uint_eq(s->data[2 * i + 1], 0);
    mine[i] = (char)s->data[2 * i];
  }
  mine[s->len / 2] = 0;
  ck_assert_msg(vec_nth(m, ws, k, buf, sizeof buf), "%s frame %u: tshark has no %s #%u", path,
                m->frame, ws, k);
  size_t o = 0; /* tshark -T fields writes a backslash as two */
  for (size_t i = 0; buf[i]; i++, o++) buf[o] = buf[i] == '\\' && buf[i + 1] == '\\' ? buf[i++] : buf[i];
  buf[o] = 0;
  ck_assert_msg(strcmp(buf, mine) == 0, "%s frame %u: %s #%u = '%s', tshark shows '%s'", path,
                m->frame, ws, k, mine, buf);
}

/* The entries of a RESP_GET_DFS_REFERRAL (info.h, by hand: offset-located
   strings): each against tshark, and all of them re-encoded byte for byte
   up to the last string, the rest of the area being zero padding. */
static void check_referrals(smbw_bytes data, const vec_msg *m, const char *path, tally *t) {
  smbw_dfs_referral_rsp h;
  smbw_error e;
  ck_assert_int_ge(smbw_dfs_referral_rsp_decode(data, 1, &h, &e), 0);
  smbw_dfs_referral v[16];
  smbw_dfs_referral_iter it;
  smbw_dfs_referral_iter_init(&it, h.referrals, h.number_of_referrals);
  unsigned n = 0;
  int rc;
  while (n < 16 && (rc = smbw_dfs_referral_next(&it, &v[n], &e)) == 1) {
    const smbw_dfs_referral *r = &v[n];
    cmp_nth(m, path, "smb.dfs.referral.version", n, r->version_number);
    cmp_nth(m, path, "smb.dfs.referral.size", n, r->size);
    cmp_nth(m, path, "smb.dfs.referral.server.type", n, r->server_type);
    cmp_nth(m, path, "smb.dfs.referral.flags", n, r->referral_entry_flags);
    if (r->version_number == 1) {
      cmp_str_nth(m, path, "smb.dfs.referral.node", n, &r->share_name);
    } else {
      if (r->version_number == 2) cmp_nth(m, path, "smb.dfs.referral.proximity", n, r->proximity);
      cmp_nth(m, path, "smb.dfs.referral.ttl", n, r->time_to_live);
      ck_assert(!(r->referral_entry_flags & SMBW_DFS_NAME_LIST_REFERRAL)); /* smbd: none */
      cmp_nth(m, path, "smb.dfs.referral.path_offset", n, r->dfs_path_offset);
      cmp_nth(m, path, "smb.dfs.referral.alt_path_offset", n, r->dfs_alternate_path_offset);
      cmp_nth(m, path, "smb.dfs.referral.node_offset", n, r->network_address_offset);
      cmp_str_nth(m, path, "smb.dfs.referral.path", n, &r->dfs_path);
      cmp_str_nth(m, path, "smb.dfs.referral.alt_path", n, &r->dfs_alternate_path);
      cmp_str_nth(m, path, "smb.dfs.referral.node", n, &r->network_address);
    }
    t->referrals[r->version_number]++;
    n++;
  }
  ck_assert_msg(rc == 0, "%s frame %u: referral %u: %s at %u (%s)", path, m->frame, n,
                smbw_errname(rc), e.offset, e.field ? e.field : "");
  ck_assert_uint_eq(n, h.number_of_referrals);
  uint8_t out[4096];
  size_t need = 0;
  int w = smbw_dfs_referrals_encode(v, n, out, sizeof out, &need);
  ck_assert_msg(w > 0 && (size_t)w == need && (uint32_t)w <= h.referrals.len,
                "%s frame %u: referrals encode: %d", path, m->frame, w);
  uint32_t at = 0;
  while (at < (uint32_t)w && out[at] == h.referrals.data[at]) at++;
  ck_assert_msg(at == (uint32_t)w, "%s frame %u: referrals do not re-encode byte for byte (at %u of %d)",
                path, m->frame, at, w);
  for (uint32_t i = (uint32_t)w; i < h.referrals.len; i++) ck_assert_uint_eq(h.referrals.data[i], 0);
  ck_assert_int_eq(smbw_dfs_referrals_encode(v, n, out, (size_t)w - 1, &need), SMBW_E_NOSPACE);
}

/* smbw_trans_records() for TRANSACTION2, which has no setup records */
static int trans2_records(uint16_t sub, int reply, uint16_t level, int *params, int *data) {
  int setup;
  int rc = smbw_trans_records(SMBW_COM_TRANSACTION2, sub, reply, level, &setup, params, data);
  if (!rc) ck_assert_int_eq(setup, -1);
  return rc;
}

static pending *find_pending(pending *p, const smbw_header *h) {
  for (int i = 0; i < MAX_PENDING; i++)
    if (p[i].used && p[i].mid == h->mid && p[i].tid == h->tid && p[i].uid == h->uid &&
        p[i].pid == smbw_header_pid(h))
      return &p[i];
  return NULL;
}

static void check_file(const char *path, tally *t) {
  vec_file vf;
  ck_assert_int_eq(vec_load(path, &vf), 0);
  pending pend[MAX_PENDING];
  memset(pend, 0, sizeof pend);
  for (size_t i = 0; i < vf.n; i++) {
    const vec_msg *m = &vf.msgs[i];
    smbw_parsed p;
    smbw_block blocks[8];
    size_t need;
    if (m->len < 4 || m->bytes[0] != 0) continue;
    if (smbw_parse(m->bytes, m->len, SMBW_FRAMING_DIRECT, SMBW_PARSE_STRICT, &p, blocks, 8,
                   &need, NULL) <= 0)
      continue;
    for (uint32_t k = 0; k < p.nblocks; k++) {
      const smbw_block *b = &blocks[k];
      const uint8_t cmd = b->command;
      if (cmd != SMBW_COM_TRANSACTION2 && cmd != SMBW_COM_NT_TRANSACT) continue;
      const int unicode = (b->flags2 & SMBW_FLAGS2_UNICODE) != 0;
      int srec, prec, drec;
      if (!(b->flags & SMBW_FLAGS_REPLY)) {
        smbw_trans_req r;
        if (smbw_trans_req_decode(b, &r, NULL) || (cmd == SMBW_COM_TRANSACTION2 && r.setup.len < 2) ||
            r.params.len != r.total_param_count || r.data.len != r.total_data_count)
          continue;
        const uint16_t sub = cmd == SMBW_COM_NT_TRANSACT ? r.function : smbw_trans_setup(r.setup, 0);
        uint16_t level = 0;
        int has = smbw_trans_level(cmd, sub, r.params, &level);
        ck_assert_int_ge(has, 0);
        ck_assert_int_eq(smbw_trans_records(cmd, sub, 0, level, &srec, &prec, &drec), 0);
        check_area(srec, r.setup, unicode, (uint32_t)(r.setup.data - b->msg), m, path, t);
        check_area(prec, r.params, unicode, (uint32_t)(r.params.data - b->msg), m, path, t);
        check_area(drec, r.data, unicode, (uint32_t)(r.data.data - b->msg), m, path, t);
        int fs_req = -1, fs_rsp = -1; /* an IOCTL's data: by its FunctionCode */
        if (cmd == SMBW_COM_NT_TRANSACT && sub == SMBW_NT_TRANSACT_IOCTL && r.setup.len >= 4) {
          const uint32_t code = (uint32_t)r.setup.data[0] | (uint32_t)r.setup.data[1] << 8 |
                                (uint32_t)r.setup.data[2] << 16 | (uint32_t)r.setup.data[3] << 24;
          ck_assert_int_ge(smbw_fsctl_records(code, &fs_req, &fs_rsp), 0);
          check_area(fs_req, r.data, unicode, (uint32_t)(r.data.data - b->msg), m, path, t);
        }
        pending *q = find_pending(pend, &p.msg.hdr);
        for (int j = 0; !q && j < MAX_PENDING; j++)
          if (!pend[j].used) q = &pend[j];
        if (!q) continue;
        q->used = 1;
        q->mid = p.msg.hdr.mid;
        q->tid = p.msg.hdr.tid;
        q->uid = p.msg.hdr.uid;
        q->pid = smbw_header_pid(&p.msg.hdr);
        q->command = cmd;
        q->sub = sub;
        q->level = level;
        q->has_level = has;
        q->fsctl_rsp = fs_rsp;
      } else {
        pending *q = find_pending(pend, &p.msg.hdr);
        if (!q || q->command != cmd) continue;
        smbw_trans_rsp r;
        if (smbw_trans_rsp_decode(b, &r, NULL) || r.params.len != r.total_param_count ||
            r.data.len != r.total_data_count) {
          q->used = 0;
          continue;
        }
        q->used = 0;
        if (p.msg.hdr.status != 0) continue; /* an error: no parameters or data */
        ck_assert_int_eq(smbw_trans_records(cmd, q->sub, 1, q->level, &srec, &prec, &drec), 0);
        ck_assert_int_eq(srec, -1);
        check_area(prec, r.params, unicode, (uint32_t)(r.params.data - b->msg), m, path, t);
        check_area(drec, r.data, unicode, (uint32_t)(r.data.data - b->msg), m, path, t);
        if (cmd == SMBW_COM_NT_TRANSACT && q->sub == SMBW_NT_TRANSACT_IOCTL)
          check_area(q->fsctl_rsp, r.data, unicode, (uint32_t)(r.data.data - b->msg), m, path, t);
      }
    }
  }
  vec_free(&vf);
}

START_TEST(captures_type_by_pairing) {
  char *files[MAX_FILES];
  int n = vec_list(files, MAX_FILES);
  ck_assert_int_gt(n, 0);
  tally t;
  memset(&t, 0, sizeof t);
  for (int i = 0; i < n; i++) {
    check_file(files[i], &t);
    free(files[i]);
  }
  unsigned total = 0, kinds = 0;
  for (int r = 0; r < SMBW_RECORD_COUNT_; r++) {
    if (!t.typed[r]) continue;
    const char *name;
    smbw_record_info(r, &name, NULL);
    printf("  %-26s %6u\n", name, t.typed[r]);
    total += t.typed[r];
    kinds++;
  }
  printf("info records: %u instances of %u records typed; %u fields with a Wireshark name, "
         "%u agree with tshark, %u not shown by tshark; %u refused in captures malformed by "
         "design\n",
         total, kinds, t.fields, t.agree, t.absent, t.refused);
  printf("DFS referral entries: %u v1, %u v2, %u v3, %u v4\n", t.referrals[1], t.referrals[2],
         t.referrals[3], t.referrals[4]);
  /* the golden captures hold QUERY_FS, QUERY_PATH and QUERY_FILE requests
     and responses of many levels */
  ck_assert_uint_gt(t.typed[SMBW_RECORD_TRANS2_QFS_REQ], 0);
  ck_assert_uint_gt(t.typed[SMBW_RECORD_TRANS2_QFILE_REQ], 0);
  ck_assert_uint_gt(t.typed[SMBW_RECORD_TRANS2_PATH_REQ], 0);
  ck_assert_uint_gt(t.typed[SMBW_RECORD_FS_ATTRIBUTE_INFO], 0);
  ck_assert_uint_gt(t.typed[SMBW_RECORD_FS_SIZE_INFO], 0);
  ck_assert_uint_gt(t.agree, 0);
}
END_TEST

/* ---- every record, from its rows ---- */

/* The index of the first byte of p[0..n) that is not v, or n (one Check
   assertion per buffer: each assertion costs Check a write). */
static size_t first_not(const uint8_t *p, size_t n, uint8_t v) {
  size_t i = 0;
  while (i < n && p[i] == v) i++;
  return i;
}

static uint32_t rng = 12345;
static uint32_t next_rand(void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 8;
}

START_TEST(short_areas_fail_and_write_nothing) {
  const int rec = _i;
  uint8_t area[256];
  for (unsigned i = 0; i < sizeof area; i++) area[i] = (uint8_t)next_rand();
  /* the smallest area that decodes: find it, then check every shorter one */
  uint8_t out[512];
  int first_ok = -1;
  for (uint32_t len = 0; len <= 160 && first_ok < 0; len++) {
    memset(area, 0, 160); /* length fields 0: the fixed part alone decodes */
    smbw_bytes a = {area, len};
    memset(out, 0xA5, sizeof out);
    smbw_error e;
    int rc = smbw_record_decode_(rec, a, 1, out, sizeof out, &e);
    if (rc >= 0) {
      first_ok = (int)len;
      break;
    }
    ck_assert_int_eq(rc, SMBW_E_TRUNCATED);
    ck_assert_ptr_nonnull(e.field);
    ck_assert_uint_le(e.offset, len);
    ck_assert_uint_eq(first_not(out, sizeof out, 0xA5), sizeof out);
  }
  ck_assert_int_ge(first_ok, 0);
  const char *name;
  ck_assert_int_eq(smbw_record_info(rec, &name, NULL), 0);
  ck_assert_ptr_nonnull(name);
}
END_TEST

START_TEST(random_areas_round_trip) {
  const int rec = _i;
  uint8_t area[300], out[300];
  unsigned decoded = 0;
  for (int round = 0; round < 400; round++) {
    uint32_t len = next_rand() % 200;
    for (unsigned i = 0; i < len; i++)
      area[i] = (uint8_t)(round & 1 ? next_rand() % 4 : next_rand()); /* small lengths often */
    /* names in UTF-16 or OEM; areas at even and odd offsets from the header */
    const unsigned unicode = (round & 2 ? SMBW_REC_UNICODE : 0u) | (round & 4 ? SMBW_REC_ODD : 0u);
    smbw_bytes a = {area, len};
    _Alignas(max_align_t) uint8_t v[512];
    smbw_error e;
    int n = smbw_record_decode_(rec, a, unicode, v, sizeof v, &e);
    if (n == SMBW_E_FIELD_LENGTH) { /* make the length fit, and try again */
      area[e.offset] = (uint8_t)(next_rand() % 8);
      for (unsigned k = 1; k < 4 && e.offset + k < len && e.offset + 4 <= (unsigned)len / 2; k++)
        area[e.offset + k] = 0;
      n = smbw_record_decode_(rec, a, unicode, v, sizeof v, &e);
    }
    if (n < 0) continue;
    decoded++;
    size_t need = 0;
    int w = smbw_record_encode_(rec, v, sizeof v, unicode, NULL, 0, &need);
    if (need) ck_assert_int_eq(w, SMBW_E_NOSPACE);
    ck_assert_uint_ge(need, (size_t)n); /* chained: zeros up to NextEntryOffset */
    if (need > 0) { /* one byte short: nothing written */
      memset(out, 0x5A, sizeof out);
      ck_assert_int_eq(smbw_record_encode_(rec, v, sizeof v, unicode, out, need - 1, NULL),
                       SMBW_E_NOSPACE);
      ck_assert_uint_eq(first_not(out, sizeof out, 0x5A), sizeof out);
    }
    w = smbw_record_encode_(rec, v, sizeof v, unicode, out, sizeof out, NULL);
    if (need > sizeof out) { /* a chained entry padded to a far NextEntryOffset */
      ck_assert_int_eq(w, SMBW_E_NOSPACE);
      continue;
    }
    ck_assert_int_eq(w, (int)need);
    ck_assert_msg(memcmp(out, area, (size_t)n) == 0, "record %d round %d: not byte for byte",
                  rec, round);
    ck_assert_uint_eq(first_not(out + n, need - (size_t)n, 0), need - (size_t)n);
  }
  ck_assert_uint_gt(decoded, 0);
}
END_TEST

START_TEST(chained_entries_walk_forward) {
  /* two FileStreamInformation entries: "::$DATA" and ":s:$DATA", UTF-16 */
  static const char *names[2] = {"::$DATA", ":s:$DATA"};
  uint8_t buf[256];
  size_t pos = 0;
  for (int i = 0; i < 2; i++) {
    uint8_t u16[32];
    size_t n = strlen(names[i]);
    for (size_t k = 0; k < n; k++) {
      u16[2 * k] = (uint8_t)names[i][k];
      u16[2 * k + 1] = 0;
    }
    smbw_file_stream_info s;
    memset(&s, 0, sizeof s);
    s.next_entry_offset = i == 0 ? 40u : 0u; /* 24 + 14 = 38, padded to 40 */
    s.stream_size = 45u + (unsigned)i;
    s.stream_allocation_size = 4096;
    s.stream_name.data = u16;
    s.stream_name.len = (uint32_t)(2 * n);
    s.stream_name.enc = SMBW_STR_UTF16LE;
    size_t need;
    int w = smbw_file_stream_info_encode(&s, 1, buf + pos, sizeof buf - pos, &need);
    ck_assert_int_eq(w, i == 0 ? 40 : 24 + 16);
    pos += (size_t)w;
  }
  smbw_bytes area = {buf, (uint32_t)pos};
  smbw_record_iter it;
  smbw_record_iter_init(&it, SMBW_RECORD_FILE_STREAM_INFO, area, 1);
  smbw_file_stream_info e;
  ck_assert_int_eq(smbw_file_stream_info_next(&it, &e, NULL), 1);
  ck_assert_uint_eq(e.stream_size, 45);
  ck_assert_uint_eq(e.stream_name.len, 14);
  ck_assert_int_eq(smbw_file_stream_info_next(&it, &e, NULL), 1);
  ck_assert_uint_eq(e.stream_size, 46);
  ck_assert_int_eq(smbw_file_stream_info_next(&it, &e, NULL), 0);
  /* NextEntryOffset inside its own entry, and past the data */
  const uint32_t bad[2] = {8, 4000};
  for (int i = 0; i < 2; i++) {
    uint8_t copy[256];
    memcpy(copy, buf, pos);
    copy[0] = (uint8_t)bad[i];
    copy[1] = (uint8_t)(bad[i] >> 8);
    smbw_bytes a = {copy, (uint32_t)pos};
    smbw_record_iter_init(&it, SMBW_RECORD_FILE_STREAM_INFO, a, 1);
    smbw_error err;
    ck_assert_int_eq(smbw_file_stream_info_next(&it, &e, &err), SMBW_E_NEXT_OFFSET);
    ck_assert_str_eq(err.field, "NextEntryOffset");
    ck_assert_uint_eq(err.offset, 0);
    ck_assert_int_eq(smbw_file_stream_info_next(&it, &e, NULL), 0); /* over */
  }
  /* a name length past the area names its length field */
  uint8_t copy[256];
  memcpy(copy, buf, pos);
  copy[4] = 200;
  smbw_bytes a = {copy, (uint32_t)pos};
  smbw_error err;
  ck_assert_int_eq(smbw_record_decode_(SMBW_RECORD_FILE_STREAM_INFO, a, 1, &e, sizeof e, &err),
                   SMBW_E_FIELD_LENGTH);
  ck_assert_str_eq(err.field, "StreamNameLength");
  ck_assert_uint_eq(err.offset, 4);
}
END_TEST

START_TEST(names_align_to_the_header) {
  /* QUERY_PATH_INFORMATION parameters at an odd offset from the SMB
     header: the UTF-16 FileName after the 6 fixed bytes starts after a pad
     byte, as smbd and Wireshark read it; at an even offset, at once */
  static const uint8_t odd[] = {0x07, 0x01, 0, 0, 0, 0, 0xEE, 'a', 0, 'b', 0, 0, 0};
  static const uint8_t even[] = {0x07, 0x01, 0, 0, 0, 0, 'a', 0, 'b', 0, 0, 0};
  smbw_trans2_path_req q;
  smbw_bytes a = {odd, sizeof odd};
  ck_assert_int_eq(smbw_trans2_path_req_decode(a, smbw_rec_flags(1, 71), &q, NULL), 13);
  ck_assert_uint_eq(q.file_name.len, 4);
  ck_assert_ptr_eq(q.file_name.data, odd + 7);
  ck_assert_uint_eq(q.file_name.pad, 0xEE);
  uint8_t out[32];
  ck_assert_int_eq(smbw_trans2_path_req_encode(&q, smbw_rec_flags(1, 71), out, sizeof out, NULL),
                   13);
  ck_assert_mem_eq(out, odd, sizeof odd);
  a = (smbw_bytes){even, sizeof even};
  ck_assert_int_eq(smbw_trans2_path_req_decode(a, smbw_rec_flags(1, 68), &q, NULL), 12);
  ck_assert_ptr_eq(q.file_name.data, even + 6);
  ck_assert_int_eq(smbw_trans2_path_req_encode(&q, smbw_rec_flags(1, 68), out, sizeof out, NULL),
                   12);
  ck_assert_mem_eq(out, even, sizeof even);
  /* OEM names never align */
  ck_assert_int_eq(smbw_trans2_path_req_decode(a, SMBW_REC_ODD, &q, NULL), 8); /* "a", NUL */
  ck_assert_ptr_eq(q.file_name.data, even + 6);
}
END_TEST

START_TEST(levels_and_pairing) {
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_QUERY, SMBW_QUERY_FILE_ALL_INFO),
                   SMBW_RECORD_QUERY_FILE_ALL_INFO);
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_QUERY, SMBW_FILE_ALL_INFORMATION),
                   SMBW_RECORD_QUERY_FILE_ALL_INFO); /* as smbd and Wireshark lay it out */
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_QUERY_FS, SMBW_FILE_FS_FULL_SIZE_INFORMATION),
                   SMBW_RECORD_FS_FULL_SIZE_INFO);
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_SET, SMBW_FILE_RENAME_INFORMATION),
                   SMBW_RECORD_FILE_RENAME_INFO);
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_QUERY, 0x7777), -1);
  ck_assert_int_eq(smbw_info_record(SMBW_INFO_CLASS_SET, SMBW_QUERY_FILE_ALL_INFO), -1);
  int p, d;
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_QUERY_PATH_INFORMATION, 0, 0x107, &p, &d), 0);
  ck_assert_int_eq(p, SMBW_RECORD_TRANS2_PATH_REQ);
  ck_assert_int_eq(d, -1);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_QUERY_PATH_INFORMATION, 1, 0x107, &p, &d), 0);
  ck_assert_int_eq(p, SMBW_RECORD_TRANS2_EA_ERROR_RSP);
  ck_assert_int_eq(d, SMBW_RECORD_QUERY_FILE_ALL_INFO);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_SET_FILE_INFORMATION, 0, 1013, &p, &d), 0);
  ck_assert_int_eq(p, SMBW_RECORD_TRANS2_SFILE_REQ);
  ck_assert_int_eq(d, SMBW_RECORD_FILE_DISPOSITION_INFO);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_CREATE_DIRECTORY, 0, 0, &p, &d), 0);
  ck_assert_int_eq(d, SMBW_RECORD_INFO_EA_LIST);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_GET_DFS_REFERRAL, 0, 0, &p, &d), 0);
  ck_assert_int_eq(p, SMBW_RECORD_TRANS2_DFS_REFERRAL_REQ);
  ck_assert_int_eq(d, -1);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_GET_DFS_REFERRAL, 1, 0, &p, &d), 0);
  ck_assert_int_eq(p, -1);
  ck_assert_int_eq(d, SMBW_RECORD_DFS_REFERRAL_RSP);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_REPORT_DFS_INCONSISTENCY, 0, 0, &p, &d), 0);
  ck_assert_int_eq(d, SMBW_RECORD_DFS_REFERRAL_V1);
  int fq, fr;
  ck_assert_int_eq(smbw_fsctl_records(SMBW_FSCTL_SRV_ENUMERATE_SNAPSHOTS, &fq, &fr), 1);
  ck_assert_int_eq(fq, -1);
  ck_assert_int_eq(fr, SMBW_RECORD_SRV_SNAPSHOT_ARRAY);
  ck_assert_int_eq(smbw_fsctl_records(SMBW_FSCTL_SET_REPARSE_POINT, &fq, &fr), 1);
  ck_assert_int_eq(fq, SMBW_RECORD_REPARSE_DATA_BUFFER);
  ck_assert_int_eq(fr, -1);
  ck_assert_int_eq(smbw_fsctl_records(0x00098098u, &fq, &fr), 0); /* FSCTL_SET_SPARSE: no data */
  ck_assert_int_eq(fq, -1);
  ck_assert_int_eq(fr, -1);
  ck_assert_int_eq(smbw_fsctl_records(0, NULL, &fr), SMBW_E_INVAL);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_FSCTL, 0, 0, &p, &d), 0); /* no layout known */
  ck_assert_int_eq(p, -1);
  ck_assert_int_eq(d, -1);
  ck_assert_int_eq(trans2_records(SMBW_TRANS2_OPEN2, 0, 0, NULL, &d), SMBW_E_INVAL);
  const uint8_t qfile[4] = {0x34, 0x12, 0x07, 0x01};
  smbw_bytes pa = {qfile, 4};
  uint16_t level = 0;
  ck_assert_int_eq(smbw_trans_level(SMBW_COM_TRANSACTION2, SMBW_TRANS2_QUERY_FILE_INFORMATION, pa, &level), 1);
  ck_assert_uint_eq(level, 0x107);
  pa.len = 3;
  ck_assert_int_eq(smbw_trans_level(SMBW_COM_TRANSACTION2, SMBW_TRANS2_QUERY_FILE_INFORMATION, pa, &level),
                   SMBW_E_TRUNCATED);
  ck_assert_int_eq(smbw_trans_level(SMBW_COM_TRANSACTION2, SMBW_TRANS2_OPEN2, pa, &level), 0);
  ck_assert_int_eq(smbw_trans_level(SMBW_COM_TRANSACTION2, SMBW_TRANS2_OPEN2, pa, NULL), SMBW_E_INVAL);
}
END_TEST

START_TEST(bad_arguments) {
  uint8_t b[8] = {0};
  smbw_bytes a = {b, 8};
  smbw_info_u32 u;
  ck_assert_int_eq(smbw_record_decode_(-1, a, 0, &u, sizeof u, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_decode_(SMBW_RECORD_COUNT_, a, 0, &u, sizeof u, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_decode_(SMBW_RECORD_INFO_U32, a, 0, &u, 2, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_decode_(SMBW_RECORD_INFO_U32, a, 0, NULL, sizeof u, NULL),
                   SMBW_E_INVAL);
  smbw_bytes nul = {NULL, 3};
  ck_assert_int_eq(smbw_record_decode_(SMBW_RECORD_INFO_U32, nul, 0, &u, sizeof u, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_encode_(SMBW_RECORD_INFO_U32, &u, 2, 0, b, 8, NULL), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_encode_(SMBW_RECORD_INFO_U32, &u, sizeof u, 0, NULL, 8, NULL),
                   SMBW_E_INVAL);
  ck_assert_int_eq(smbw_record_info(-1, NULL, NULL), SMBW_E_INVAL);
  /* a one-byte length cannot say 256 */
  uint8_t big[300];
  memset(big, 'a', sizeof big);
  smbw_fs_info_volume vol;
  memset(&vol, 0, sizeof vol);
  vol.label.data = big;
  vol.label.len = 256;
  vol.label.enc = SMBW_STR_OEM;
  ck_assert_int_eq(smbw_fs_info_volume_encode(&vol, 0, NULL, 0, NULL), SMBW_E_RANGE);
  vol.label.len = 255;
  size_t need;
  ck_assert_int_eq(smbw_fs_info_volume_encode(&vol, 0, NULL, 0, &need), SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, 5 + 255);
  /* variable records have no indexed get/put */
  ck_assert_int_eq(smbw_record_get_(SMBW_RECORD_FILE_NAME_INFO, a, 0, &u, 64), SMBW_E_INVAL);
}
END_TEST

static int count_fields(void *ctx, const smbw_field *f) {
  (void)f;
  ++*(unsigned *)ctx;
  return 0;
}

START_TEST(visit_names_every_field) {
  /* SMB_QUERY_FILE_ALL_INFO, OEM name "a.txt", and two trailing bytes */
  uint8_t buf[128];
  memset(buf, 0, sizeof buf);
  smbw_query_file_all_info q;
  memset(&q, 0, sizeof q);
  q.end_of_file = 45;
  q.file_name.data = (const uint8_t *)"a.txt";
  q.file_name.len = 5;
  q.file_name.enc = SMBW_STR_OEM;
  int w = smbw_query_file_all_info_encode(&q, 0, buf, sizeof buf, NULL);
  ck_assert_int_eq(w, 72 + 5);
  smbw_bytes a = {buf, (uint32_t)w + 2};
  unsigned n = 0;
  ck_assert_int_eq(smbw_record_visit(SMBW_RECORD_QUERY_FILE_ALL_INFO, a, 0, 100, count_fields, &n,
                                     NULL),
                   0);
  ck_assert_uint_eq(n, 16); /* 13 fixed fields, FileNameLength, FileName, Trailing */
}
END_TEST

/* ---- DFS referral entries (hand-made: smbd sends no v1 or name list) ---- */

static void st16_le(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}

/* Append the UTF-16LE of an ASCII name and its NUL at b + *n. */
static void put_u16z(uint8_t *b, uint32_t *n, const char *ascii) {
  for (; *ascii; ascii++) {
    b[(*n)++] = (uint8_t)*ascii;
    b[(*n)++] = 0;
  }
  b[(*n)++] = 0;
  b[(*n)++] = 0;
}

static int str_is(const smbw_str *s, const char *ascii) {
  if (!s->data || s->len != 2 * strlen(ascii)) return 0;
  for (uint32_t i = 0; i < s->len / 2; i++)
    if (s->data[2 * i] != (uint8_t)ascii[i] || s->data[2 * i + 1]) return 0;
  return 1;
}

/* A version 1 entry, then a version 4 name list (SpecialName, two
   ExpandedNames) whose strings follow both entries. */
static uint32_t dfs_sample(uint8_t *b) {
  uint32_t n = 0;
  memset(b, 0, 256);
  /* v1: VersionNumber, Size, ServerType, ReferralEntryFlags, ShareName */
  st16_le(b, 1);
  st16_le(b + 4, 1);
  n = 8;
  put_u16z(b, &n, "\\SRV\\S");
  st16_le(b + 2, (uint16_t)n); /* 8 + 12 + 2 = 22 */
  const uint32_t e = n;
  st16_le(b + e, 4);
  st16_le(b + e + 2, 34); /* the fixed 18 and 16 bytes of padding, as Windows sends */
  st16_le(b + e + 4, 0);
  st16_le(b + e + 6, SMBW_DFS_NAME_LIST_REFERRAL);
  b[e + 8] = 0x58; /* TimeToLive 600 */
  b[e + 9] = 0x02;
  n = e + 34;
  st16_le(b + e + 12, (uint16_t)(n - e)); /* SpecialNameOffset */
  put_u16z(b, &n, "\\DOM");
  st16_le(b + e + 14, 2); /* NumberOfExpandedNames */
  st16_le(b + e + 16, (uint16_t)(n - e));
  put_u16z(b, &n, "\\DC1");
  put_u16z(b, &n, "\\DC2");
  return n;
}

START_TEST(dfs_referral_entries) {
  uint8_t b[256], out[256];
  const uint32_t len = dfs_sample(b);
  smbw_dfs_referral v[2];
  smbw_dfs_referral_iter it;
  smbw_error e;
  smbw_dfs_referral_iter_init(&it, (smbw_bytes){b, len}, 2);
  ck_assert_int_eq(smbw_dfs_referral_next(&it, &v[0], &e), 1);
  ck_assert_uint_eq(v[0].version_number, 1);
  ck_assert_uint_eq(v[0].size, 22);
  ck_assert(str_is(&v[0].share_name, "\\SRV\\S"));
  ck_assert_int_eq(smbw_dfs_referral_next(&it, &v[1], &e), 1);
  ck_assert_uint_eq(v[1].version_number, 4);
  ck_assert_uint_eq(v[1].time_to_live, 600);
  ck_assert_uint_eq(v[1].extra.len, 16);
  ck_assert(str_is(&v[1].dfs_path, "\\DOM"));
  ck_assert(str_is(&v[1].network_address, "\\DC1"));
  ck_assert_uint_eq(v[1].dfs_alternate_path_offset, 2); /* NumberOfExpandedNames */
  smbw_dfs_referral last;
  ck_assert_int_eq(smbw_dfs_referral_next(&it, &last, &e), 0);
  uint32_t pos = 0;
  smbw_str nm;
  ck_assert_int_eq(smbw_dfs_name_next(v[1].expanded_names, &pos, &nm), 1);
  ck_assert(str_is(&nm, "\\DC1"));
  ck_assert_int_eq(smbw_dfs_name_next(v[1].expanded_names, &pos, &nm), 1);
  ck_assert(str_is(&nm, "\\DC2"));
  ck_assert_int_eq(smbw_dfs_name_next(v[1].expanded_names, &pos, &nm), 0);
  /* byte for byte back, and the size query */
  size_t need = 0;
  ck_assert_int_eq(smbw_dfs_referrals_encode(v, 2, NULL, 0, &need), SMBW_E_NOSPACE);
  ck_assert_uint_eq(need, len);
  ck_assert_int_eq(smbw_dfs_referrals_encode(v, 2, out, sizeof out, &need), (int)len);
  ck_assert_mem_eq(out, b, len);
  /* offsets left at 0: the strings go after the entries, in order */
  v[1].dfs_path_offset = v[1].network_address_offset = 0;
  ck_assert_int_eq(smbw_dfs_referrals_encode(v, 2, out, sizeof out, &need), (int)len);
  ck_assert_mem_eq(out, b, len);
  v[1].version_number = 5;
  ck_assert_int_eq(smbw_dfs_referrals_encode(v, 2, out, sizeof out, &need), SMBW_E_INVAL);
}
END_TEST

/* Each broken sample fails with its own error, field and offset. */
static void dfs_fails(const uint8_t *b, uint32_t len, int code, const char *field, uint32_t off) {
  smbw_dfs_referral_iter it;
  smbw_dfs_referral v, keep;
  smbw_error e = {0, 0, NULL};
  memset(&v, 0x5A, sizeof v);
  keep = v;
  smbw_dfs_referral_iter_init(&it, (smbw_bytes){b, len}, 2);
  int rc = smbw_dfs_referral_next(&it, &v, &e);
  if (rc == 1) rc = smbw_dfs_referral_next(&it, &v, &e), keep = v;
  ck_assert_int_eq(rc, code);
  ck_assert_str_eq(e.field, field);
  ck_assert_uint_eq(e.offset, off);
  ck_assert_mem_eq(&v, &keep, sizeof v); /* untouched by the failure */
  ck_assert_int_eq(smbw_dfs_referral_next(&it, &v, &e), 0); /* and the walk ends */
}

START_TEST(dfs_referral_errors) {
  uint8_t b[256];
  const uint32_t len = dfs_sample(b);
  dfs_fails(b, 5, SMBW_E_TRUNCATED, "ServerType", 4);
  b[0] = 5;
  dfs_fails(b, len, SMBW_E_REVISION, "VersionNumber", 0);
  dfs_sample(b);
  b[2] = 200; /* Size past the area */
  dfs_fails(b, len, SMBW_E_FIELD_LENGTH, "Size", 2);
  dfs_sample(b);
  b[2] = 20; /* ShareName's NUL cut off by Size */
  dfs_fails(b, len, SMBW_E_STR_UNTERMINATED, "ShareName", 8);
  dfs_sample(b);
  b[22 + 12] = 4; /* SpecialNameOffset into the entries */
  dfs_fails(b, len, SMBW_E_DATA_OFFSET, "SpecialNameOffset", 22 + 12);
  dfs_sample(b);
  b[22 + 14] = 3; /* three expanded names, two there */
  dfs_fails(b, len, SMBW_E_COUNT, "NumberOfExpandedNames", 22 + 14);
  dfs_sample(b);
  dfs_fails(b, len - 1, SMBW_E_COUNT, "NumberOfExpandedNames", 22 + 14); /* last NUL cut */
  dfs_sample(b);
  b[22 + 17] = 1; /* ExpandedNameOffset past the area */
  dfs_fails(b, len, SMBW_E_DATA_OFFSET, "ExpandedNameOffset", 22 + 16);
  uint8_t u[40];
  memset(u, 0, sizeof u);
  st16_le(u, 2);
  st16_le(u + 2, 22);
  st16_le(u + 16, 22); /* DFSPath at 22: "AB" and no NUL */
  u[22] = 'A', u[24] = 'B';
  dfs_fails(u, 26, SMBW_E_STR_UNTERMINATED, "DFSPathOffset", 22);
}
END_TEST

int main(void) {
  Suite *s = suite_create("info");
  add_tcase(s, "captures", 120, TESTS(captures_type_by_pairing));
  TCase *rows = tcase_create("rows");
  suite_add_tcase(s, rows);
  add_loop_tests(rows, 0, SMBW_RECORD_COUNT_,
                 TESTS(short_areas_fail_and_write_nothing, random_areas_round_trip));
  add_tcase(s, "api", 0,
            TESTS(chained_entries_walk_forward, names_align_to_the_header, levels_and_pairing,
                  bad_arguments,
                  visit_names_every_field, dfs_referral_entries, dfs_referral_errors));
  return run_suite(s);
}
