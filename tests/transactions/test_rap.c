/*
 * test_rap.c - the SMB_COM_TRANSACTION subprotocols: RAP (rap.h), the named
 * pipe functions and the mailslot write (pipe.h).
 *
 * Real bytes: every TRANSACTION of tests/golden/rap-*.vec, recorded from
 * Samba smbd 4.17 by tests/golden/record_rap.sh (smbclient -L, smbtorture
 * rap.basic and rap.rpc, rpcclient, and pipe_impacket.py for the pipe
 * functions, the table's RAP calls and a mailslot write).  Each request and
 * each response (paired with its request by MID) is decoded, its fields
 * compared with what tshark shows (tests/golden/rap-*.rapf, written by
 * extract_rap.py: the lanman, smb_pipe and mailslot layers), and encoded
 * again byte for byte: the parameters and data through the typed calls and
 * through the generic descriptor walk and writer.  Every decoder also runs
 * on every prefix of its input, placed against a PROT_NONE page.
 * Error cases use hand-made bytes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/error.h>
#include <smbwire/message.h>
#include <smbwire/pipe.h>
#include <smbwire/rap.h>
#include <smbwire/str.h>
#include <smbwire/trans.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

#define CHECK(cond)                                                    \
  do {                                                                 \
    if (!(cond)) ck_abort_msg("%s:%d: %s", __FILE__, __LINE__, #cond); \
  } while (0)

static smbw_bytes view(const uint8_t *p, size_t n) { return bytes_view(p, n); }
static smbw_bytes cview(const char *s) { return smbw_rap_desc(s); }

static int same(smbw_bytes a, const uint8_t *b, size_t n) {
  return a.len == n && (n == 0 || memcmp(a.data, b, n) == 0);
}

/* ---- tshark's fields (.rapf) ---- */

typedef struct tfield {
  unsigned frame;
  char *name;
  char *value;
} tfield;

typedef struct tfile {
  tfield *f;
  size_t n;
} tfile;

static void rapf_load(const char *path, tfile *t) {
  FILE *fp = fopen(path, "r");
  ck_assert_msg(fp != NULL, "cannot read %s", path);
  char line[8192];
  unsigned frame = 0;
  t->f = NULL;
  t->n = 0;
  while (fgets(line, sizeof line, fp)) {
    line[strcspn(line, "\n")] = 0;
    if (!strncmp(line, "frame ", 6)) {
      frame = (unsigned)strtoul(line + 6, NULL, 10);
    } else if (!strncmp(line, "f ", 2)) {
      char *sp = strchr(line + 2, ' ');
      t->f = realloc(t->f, (t->n + 1) * sizeof *t->f);
      ck_assert_ptr_nonnull(t->f);
      t->f[t->n].frame = frame;
      t->f[t->n].name = strndup(line + 2, sp ? (size_t)(sp - line - 2) : strlen(line + 2));
      t->f[t->n].value = strdup(sp ? sp + 1 : "");
      t->n++;
    }
  }
  fclose(fp);
}

static void rapf_free(tfile *t) {
  for (size_t i = 0; i < t->n; i++) {
    free(t->f[i].name);
    free(t->f[i].value);
  }
  free(t->f);
}

/* Occurrence k of a field of a frame ('|'-separated, escapes as written),
   into buf; NULL when absent. */
static const char *tget(const tfile *t, unsigned frame, const char *name, unsigned k, char *buf,
                        size_t cap) {
  for (size_t i = 0; i < t->n; i++) {
    if (t->f[i].frame != frame || strcmp(t->f[i].name, name)) continue;
    const char *const v = t->f[i].value, *p = v;
    for (unsigned j = 0; j < k; j++) {
      while (*p && !(*p == '|' && (p == v || p[-1] != '\\'))) p++;
      if (!*p) return NULL;
      p++;
    }
    size_t n = 0;
    while (p[n] && !(p[n] == '|' && (n == 0 || p[n - 1] != '\\'))) n++;
    if (n >= cap) return NULL;
    memcpy(buf, p, n);
    buf[n] = 0;
    return buf;
  }
  return NULL;
}

static unsigned long checked; /* tshark fields compared */

/* A number tshark shows, when it shows it, equals ours. */
static void tnum(const tfile *t, unsigned frame, const char *name, unsigned k, unsigned long v) {
  char buf[64];
  if (!tget(t, frame, name, k, buf, sizeof buf)) return;
  ck_assert_msg(strtoul(buf, NULL, 0) == v, "frame %u %s[%u]: tshark %s, we %lu", frame, name, k,
                buf, v);
  checked++;
}

/* A string tshark shows equals our view (tshark escapes '\' as "\\"). */
static void tstr(const tfile *t, unsigned frame, const char *name, unsigned k, smbw_bytes v) {
  char buf[1024], ours[1024];
  if (!tget(t, frame, name, k, buf, sizeof buf)) return;
  size_t n = 0;
  for (uint32_t i = 0; i < v.len && n + 2 < sizeof ours; i++) {
    if (v.data[i] == '\\') ours[n++] = '\\';
    ours[n++] = (char)v.data[i];
  }
  ours[n] = 0;
  ck_assert_msg(!strcmp(buf, ours), "frame %u %s[%u]: tshark '%s', we '%s'", frame, name, k, buf,
                ours);
  checked++;
}

/* ---- every prefix against a guard page ---- */

static guard_buf G;

static void prefixes_rap(const uint8_t *p, size_t n, const uint8_t *d, size_t dn) {
  for (size_t k = 0; k <= n; k++) {
    const uint8_t *q = guard_place(&G, p, k);
    smbw_rap_req r;
    smbw_error e = {0, 0, NULL};
    int rc = smbw_rap_req_decode(view(q, k), view(d, dn), &r, &e);
    CHECK(rc == 0 || (rc < 0 && e.field != NULL && e.code == rc));
    smbw_rap_rsp s;
    rc = smbw_rap_rsp_decode(view(q, k), &s, &e);
    CHECK(rc == 0 || (rc < 0 && e.code == rc));
  }
}

/* Walk every entry of data with desc; the walk's own writer must give the
   data back (fixed part, then the strings in walk order). Returns the
   fields walked. */
static unsigned walk_roundtrip(smbw_bytes desc, smbw_bytes data, uint16_t conv, uint32_t count,
                               int check_bytes) {
  uint32_t stride = 0;
  ck_assert_int_eq(smbw_rap_desc_size(SMBW_RAP_DATA, desc, &stride, NULL), 0);
  static uint8_t out[65536];
  size_t pos = 0, heap = (size_t)stride * count;
  unsigned fields = 0;
  for (uint32_t i = 0; i < count; i++) {
    smbw_rap_walk w;
    smbw_rap_walk_init(&w, SMBW_RAP_DATA, desc, data, i * stride, conv);
    smbw_rap_field f[32];
    unsigned n = 0;
    smbw_error e = {0, 0, NULL};
    int rc;
    while (n < 32 && (rc = smbw_rap_walk_next(&w, &f[n], &e)) == 1) n++;
    ck_assert_msg(rc == 0, "walk: %s %s at %u", smbw_errname(rc), e.field, e.offset);
    CHECK(w.pos == (i + 1) * stride);
    ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, desc, conv, f, n), 0);
    fields += n;
  }
  if (check_bytes) {
    ck_assert_msg(heap == data.len && memcmp(out, data.data, heap) == 0,
                  "walk writer: %zu bytes, the data has %u", heap, data.len);
  }
  return fields;
}

/* ---- the golden transactions ---- */

typedef struct pending {
  uint16_t mid;
  uint8_t target;
  uint16_t function; /* pipe function or RAP opcode */
  char pdesc[64], ddesc[64];
  uint8_t in_table;
  smbw_rap_call call;
} pending;

typedef struct stats {
  unsigned rap_req, rap_rsp, pipe_req, pipe_rsp, mailslot, entries, walk_fields, skipped;
} stats;

static stats S;

static void copy_desc(char *dst, smbw_bytes d) {
  size_t n = d.len < 63 ? d.len : 63;
  memcpy(dst, d.data, n);
  dst[n] = 0;
}

static void rap_request(const tfile *t, unsigned frame, const smbw_trans_req *q, pending *pd) {
  smbw_rap_req r;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_rap_req_decode(q->params, q->data, &r, &e);
  ck_assert_msg(rc == 0, "frame %u: %s %s at %u", frame, smbw_errname(rc), e.field, e.offset);
  S.rap_req++;
  tnum(t, frame, "lanman.function_code", 0, r.opcode);
  tstr(t, frame, "lanman.param_desc", 0, r.param_desc);
  tstr(t, frame, "lanman.ret_desc", 0, r.data_desc);
  if (r.aux_desc.data) tstr(t, frame, "lanman.aux_data_desc", 0, r.aux_desc);
  static uint8_t out[4096];
  size_t len = 0;
  ck_assert_int_eq(smbw_rap_req_encode(out, sizeof out, &r, &len), 0);
  CHECK(same(q->params, out, len));
  /* the generic walk and writer over RAPParams; 'L' is RcvBufLen */
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, SMBW_RAP_REQ_PARAMS, r.param_desc, r.params, 0, 0);
  smbw_rap_field f[32];
  unsigned n = 0;
  while (n < 32 && (rc = smbw_rap_walk_next(&w, &f[n], &e)) == 1) {
    if (f[n].desc == 'L') tnum(t, frame, "lanman.recv_buf_len", 0, f[n].value);
    n++;
  }
  ck_assert_int_eq(rc, 0);
  S.walk_fields += n;
  size_t pos = 0;
  ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, NULL, SMBW_RAP_REQ_PARAMS, r.param_desc, 0,
                                f, n), 0);
  CHECK(same(r.params, out, pos));
  prefixes_rap(q->params.data, q->params.len, q->data.data, q->data.len);

  pd->function = r.opcode;
  copy_desc(pd->pdesc, r.param_desc);
  copy_desc(pd->ddesc, r.data_desc);
  pd->in_table = 0;
  if (!smbw_rap_opcode_name(r.opcode)) return;
  smbw_rap_call c;
  rc = smbw_rap_call_req_decode(&r, &c, &e);
  ck_assert_msg(rc == 0, "frame %u: call: %s %s", frame, smbw_errname(rc), e.field);
  pd->in_table = 1;
  pd->call = c;
  tnum(t, frame, "lanman.level", 0, c.level);
  tnum(t, frame, "lanman.recv_buf_len", 0, c.rcv_buf_len);
  if (r.opcode == SMBW_RAP_NET_SHARE_GET_INFO) tstr(t, frame, "lanman.share.name", 0, c.name);
  if (r.opcode == SMBW_RAP_NET_SERVER_ENUM2 && c.name.data)
    tstr(t, frame, "lanman.enumeration_domain", 0, c.name);
  CHECK(!strcmp(smbw_rap_call_param_desc(r.opcode, c.name.data == NULL), pd->pdesc));
  ck_assert_int_eq(smbw_rap_call_req_encode(out, sizeof out, &c, &len), 0);
  CHECK(same(r.params, out, len));
}

static void rap_response(const tfile *t, unsigned frame, const smbw_trans_rsp *s,
                         const pending *pd) {
  smbw_rap_rsp r;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_rap_rsp_decode(s->params, &r, &e), 0);
  S.rap_rsp++;
  tnum(t, frame, "lanman.status", 0, r.status);
  tnum(t, frame, "lanman.convert", 0, r.converter);
  static uint8_t out[65536];
  size_t len = 0;
  ck_assert_int_eq(smbw_rap_rsp_encode(out, sizeof out, &r, &len), 0);
  CHECK(same(s->params, out, len));
  /* an error answer may stop after Converter */
  if (r.status != 0 && r.status != 234 && r.params.len == 0) return;
  /* generic walk of the response parameters */
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, SMBW_RAP_RSP_PARAMS, cview(pd->pdesc), r.params, 0, 0);
  smbw_rap_field f[32];
  unsigned n = 0;
  int rc;
  uint32_t entries = 0;
  while (n < 32 && (rc = smbw_rap_walk_next(&w, &f[n], &e)) == 1) {
    if (f[n].desc == 'e') {
      tnum(t, frame, "lanman.entry_count", 0, f[n].value);
      entries = f[n].value;
    }
    n++;
  }
  ck_assert_int_eq(rc, 0);
  S.walk_fields += n;
  size_t pos = 0;
  ck_assert_int_eq(
      smbw_rap_put(out, sizeof out, &pos, NULL, SMBW_RAP_RSP_PARAMS, cview(pd->pdesc), 0, f, n), 0);
  CHECK(same(r.params, out, pos));
  if (r.status != 0 && r.status != 234) return;
  /* generic walk of the data when every structure is there */
  int getinfo = !strchr(pd->pdesc, 'e');
  uint32_t count = getinfo ? (s->data.len ? 1 : 0) : entries;
  if (!pd->in_table) {
    /* descriptors the table has not: walk them, compare where complete */
    uint32_t stride = 0;
    if (smbw_rap_desc_size(SMBW_RAP_DATA, cview(pd->ddesc), &stride, NULL) == 0 &&
        (uint64_t)stride * count <= s->data.len)
      S.walk_fields += walk_roundtrip(cview(pd->ddesc), s->data, r.converter, count, 0);
    return;
  }
  smbw_rap_call c = pd->call;
  ck_assert_int_eq(smbw_rap_call_rsp_decode(pd->function, &r, &c, &e), 0);
  if (!getinfo) {
    tnum(t, frame, "lanman.available_count", 0, c.entries_avail);
    CHECK(c.entries_returned == entries);
  } else {
    tnum(t, frame, "lanman.available_bytes", 0, c.entries_avail);
  }
  S.walk_fields += walk_roundtrip(cview(pd->ddesc), s->data, r.converter, count, 1);
  smbw_rap_iter it;
  rc = smbw_rap_iter_init(&it, pd->function, cview(pd->ddesc), s->data, r.converter, count, &e);
  ck_assert_msg(rc == 0, "frame %u: iter: %s %s", frame, smbw_errname(rc), e.field);
  smbw_rap_info info;
  uint32_t stride = 0;
  ck_assert_int_eq(smbw_rap_desc_size(SMBW_RAP_DATA, cview(pd->ddesc), &stride, NULL), 0);
  size_t p = 0, heap = (size_t)stride * count;
  unsigned k = 0;
  while ((rc = smbw_rap_iter_next(&it, &info, &e)) == 1) {
    if (pd->function == SMBW_RAP_NET_SHARE_ENUM || pd->function == SMBW_RAP_NET_SHARE_GET_INFO) {
      tstr(t, frame, "lanman.share.name", k, info.name);
      tnum(t, frame, "lanman.share.type", k, info.type);
      tstr(t, frame, "lanman.share.comment", k, info.comment);
    } else if (pd->function == SMBW_RAP_NET_WKSTA_GET_INFO) {
      tstr(t, frame, "lanman.computer_name", k, info.name);
      tstr(t, frame, "lanman.user_name", k, info.user_name);
      tnum(t, frame, "lanman.major_version", k, info.version_major);
    } else {
      tstr(t, frame, "lanman.server.name", k, info.name);
      tnum(t, frame, "lanman.server.major", k, info.version_major);
      tstr(t, frame, "lanman.server.comment", k, info.comment);
    }
    ck_assert_int_eq(smbw_rap_info_put(out, sizeof out, &p, &heap, cview(pd->ddesc), r.converter,
                                       &info), 0);
    k++;
    S.entries++;
  }
  ck_assert_msg(rc == 0, "frame %u: entry %u: %s %s at %u", frame, k, smbw_errname(rc), e.field,
                e.offset);
  ck_assert_uint_eq(k, count);
  ck_assert_msg(heap == s->data.len && memcmp(out, s->data.data, heap) == 0,
                "frame %u: typed entries re-encode to %zu bytes of %u", frame, heap, s->data.len);
}

static void pipe_request(const tfile *t, unsigned frame, const smbw_trans_req *q, pending *pd) {
  smbw_pipe_req r;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_pipe_req_decode(q->setup, q->params, q->data, &r, &e);
  ck_assert_msg(rc == 0, "frame %u: %s %s", frame, smbw_errname(rc), e.field);
  S.pipe_req++;
  tnum(t, frame, "smb_pipe.function", 0, r.function);
  if (r.function == SMBW_TRANS_WAIT_NM_PIPE || r.function == SMBW_TRANS_CALL_NM_PIPE)
    tnum(t, frame, "smb_pipe.priority", 0, r.priority);
  if (r.function == SMBW_TRANS_QUERY_NM_PIPE_INFO)
    tnum(t, frame, "smb_pipe.getinfo.info_level", 0, r.level);
  uint8_t so[64], po[64];
  static uint8_t dout[65536];
  size_t sl, pl, dl;
  ck_assert_int_eq(
      smbw_pipe_req_encode(so, sizeof so, &sl, po, sizeof po, &pl, dout, sizeof dout, &dl, &r), 0);
  CHECK(same(q->setup, so, sl) && same(q->params, po, pl) && same(q->data, dout, dl));
  for (size_t k = 0; k <= q->params.len; k++) {
    const uint8_t *g = guard_place(&G, q->params.data, k);
    rc = smbw_pipe_req_decode(q->setup, view(g, k), q->data, &r, &e);
    CHECK(rc == 0 || e.code == rc);
  }
  pd->function = r.function;
}

static void pipe_response(const tfile *t, unsigned frame, const smbw_trans_rsp *s,
                          const pending *pd, int unicode) {
  smbw_pipe_rsp r;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_pipe_rsp_decode(pd->function, s->params, s->data, unicode, &r, &e);
  ck_assert_msg(rc == 0, "frame %u: %s %s", frame, smbw_errname(rc), e.field);
  (void)t;
  S.pipe_rsp++;
  static uint8_t pout[64], dout[65536];
  size_t pl, dl;
  ck_assert_int_eq(
      smbw_pipe_rsp_encode(pout, sizeof pout, &pl, dout, sizeof dout, &dl, unicode, &r), 0);
  CHECK(same(s->params, pout, pl) && same(s->data, dout, dl));
}

static void mailslot_request(const tfile *t, unsigned frame, const smbw_trans_req *q) {
  smbw_mailslot_write m;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_mailslot_write_decode(q->setup, q->data, &m, &e), 0);
  S.mailslot++;
  tnum(t, frame, "mailslot.opcode", 0, m.opcode);
  tnum(t, frame, "mailslot.priority", 0, m.priority);
  tnum(t, frame, "mailslot.class", 0, m.mailslot_class);
  uint8_t so[64];
  size_t sl;
  ck_assert_int_eq(smbw_mailslot_write_encode(so, sizeof so, &sl, &m), 0);
  CHECK(same(q->setup, so, sl));
}

/* dir: NULL for tests/golden (.vec and .rapf there), else a directory
   holding NAME.vec and NAME.rapf (SMBW_RAP_DIRS). */
static void golden_in(const char *dir, const char *name) {
  char vname[1024], tname[1024];
  vec_file own;
  const vec_file *vf = &own;
  tfile t;
  if (!dir) {
    snprintf(vname, sizeof vname, "golden/%s.vec", name);
    vf = vec_data(vname, 100000);
    snprintf(tname, sizeof tname, "%s/golden/%s.rapf", SMBW_TEST_DIR, name);
  } else {
    snprintf(vname, sizeof vname, "%s/%s.vec", dir, name);
    ck_assert_msg(vec_load(vname, &own) == 0, "cannot read %s", vname);
    snprintf(tname, sizeof tname, "%s/%s.rapf", dir, name);
  }
  rapf_load(tname, &t);
  pending pend[64];
  memset(pend, 0, sizeof pend);
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    if (m->len < 4 + 32) continue;
    smbw_msg msg;
    smbw_block b;
    if (smbw_msg_decode(m->bytes + 4, m->len - 4, &msg, NULL) != 0) continue;
    smbw_andx_iter it;
    smbw_andx_iter_init(&it, &msg);
    if (smbw_andx_iter_next(&it, &b, NULL) != 1 || b.command != SMBW_COM_TRANSACTION) continue;
    int unicode = (msg.hdr.flags2 & SMBW_FLAGS2_UNICODE) != 0;
    pending *pd = &pend[msg.hdr.mid % 64];
    if (!(msg.hdr.flags & SMBW_FLAGS_REPLY)) {
      smbw_trans_req q;
      ck_assert_int_eq(smbw_trans_req_decode(&b, &q, NULL), 0);
      memset(pd, 0, sizeof *pd);
      pd->mid = msg.hdr.mid;
      if (q.total_param_count != q.params.len || q.total_data_count != q.data.len) {
        S.skipped++; /* a transaction in fragments (none in these captures) */
        continue;
      }
      pd->target = (uint8_t)smbw_trans_target(&q.name);
      if (pd->target == SMBW_TRANS_TARGET_LANMAN)
        rap_request(&t, m->frame, &q, pd);
      else if (pd->target == SMBW_TRANS_TARGET_PIPE)
        pipe_request(&t, m->frame, &q, pd);
      else if (pd->target == SMBW_TRANS_TARGET_MAILSLOT)
        mailslot_request(&t, m->frame, &q);
      else
        ck_abort_msg("frame %u: a TRANSACTION on no pipe or mailslot", m->frame);
    } else {
      smbw_trans_rsp s;
      ck_assert_int_eq(smbw_trans_rsp_decode(&b, &s, NULL), 0);
      if (pd->mid != msg.hdr.mid || !pd->target || s.wct == 0) continue; /* error */
      if (s.total_param_count != s.params.len || s.total_data_count != s.data.len) {
        S.skipped++;
        continue;
      }
      if (pd->target == SMBW_TRANS_TARGET_LANMAN)
        rap_response(&t, m->frame, &s, pd);
      else if (pd->target == SMBW_TRANS_TARGET_PIPE)
        pipe_response(&t, m->frame, &s, pd, unicode);
    }
  }
  rapf_free(&t);
  if (dir) vec_free(&own);
}

static void golden(const char *name) { golden_in(NULL, name); }

START_TEST(test_golden) {
  ck_assert_int_eq(guard_init(&G, 65536), 0);
  memset(&S, 0, sizeof S);
  checked = 0;
  golden("rap-smbclient-list");
  golden("rap-torture");
  golden("rap-rpcclient");
  golden("rap-impacket");
  printf("rap golden: %u RAP requests, %u RAP responses (%u typed entries), %u pipe requests, "
         "%u pipe responses, %u mailslot writes, %u walked fields, %lu tshark fields equal, "
         "%u fragmented skipped\n",
         S.rap_req, S.rap_rsp, S.entries, S.pipe_req, S.pipe_rsp, S.mailslot, S.walk_fields,
         checked, S.skipped);
  /* what the captures hold: every pipe function, all five table calls */
  ck_assert_uint_ge(S.rap_req, 17);
  ck_assert_uint_ge(S.pipe_req, 20);
  ck_assert_uint_ge(S.mailslot, 1);
  ck_assert_uint_ge(S.entries, 8);
  ck_assert_uint_ge(checked, 200);
  /* more captures on request: SMBW_RAP_DIRS="DIR:NAME,NAME;DIR2:..." where
     DIR holds NAME.vec (extract.py --out) and NAME.rapf (extract_rap.py) */
  const char *more = getenv("SMBW_RAP_DIRS");
  if (more && *more) {
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", more);
    for (char *grp = strtok(buf, ";"); grp; grp = strtok(NULL, ";")) {
      char *colon = strchr(grp, ':');
      if (!colon) continue;
      *colon = 0;
      char names[2048];
      snprintf(names, sizeof names, "%s", colon + 1);
      char *save = NULL;
      for (char *nm = strtok_r(names, ",", &save); nm; nm = strtok_r(NULL, ",", &save))
        golden_in(grp, nm);
    }
    printf("rap golden + SMBW_RAP_DIRS: %u RAP requests, %u RAP responses (%u typed entries), "
           "%u pipe requests, %u pipe responses, %u walked fields, %lu tshark fields equal\n",
           S.rap_req, S.rap_rsp, S.entries, S.pipe_req, S.pipe_rsp, S.walk_fields, checked);
  }
  guard_free(&G);
}
END_TEST

/* ---- hand-made cases ---- */

START_TEST(test_walk_errors) {
  /* a 'z' pointer: low 16 bits minus the Converter give the offset */
  const uint8_t data[] = {'a', 'b', 0, 0,   /* "ab" at 0 */
                          0x10, 0x00, 0, 0, /* pointer 0x10: offset 0 with converter 0x10 */
                          0x30, 0x00, 0, 0, /* offset 0x20: outside */
                          0x00, 0x00, 0, 0}; /* NULL pointer */
  smbw_rap_walk w;
  smbw_rap_field f;
  smbw_error e = {0, 0, NULL};
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("z"), view(data, sizeof data), 4, 0x10);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 1);
  ck_assert_uint_eq(f.kind, SMBW_RAP_STR);
  ck_assert_uint_eq(f.bytes.len, 2);
  ck_assert_int_eq(memcmp(f.bytes.data, "ab", 2), 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 0);
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("zz"), view(data, sizeof data), 8, 0x10);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_DATA_OFFSET);
  err_is(&e, SMBW_E_DATA_OFFSET, 8, "RAPData");
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("z"), view(data, sizeof data), 12, 0x10);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 1);
  ck_assert_ptr_null(f.bytes.data);
  /* converter above the pointer: negative offset */
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("z"), view(data, sizeof data), 4, 0x11);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_DATA_OFFSET);
  /* an unterminated string at the pointer */
  const uint8_t open_str[] = {4, 0, 0, 0, 'x', 'y'};
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("z"), view(open_str, 6), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_STR_UNTERMINATED);
  err_is(&e, SMBW_E_STR_UNTERMINATED, 4, "RAPData");
  /* truncated fields, unknown characters, counts too large */
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("WD"), view(data, 5), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 1);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 2, "RAPData");
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("W?"), view(data, 16), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 1);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 1, "DataDesc");
  smbw_rap_walk_init(&w, SMBW_RAP_REQ_PARAMS, cview("B99999"), view(data, 16), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_INVAL);
  err_is(&e, SMBW_E_INVAL, 0, "ParamDesc");
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("B17"), view(data, 16), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_TRUNCATED);
  /* a 'b' pointer whose bytes run past the data */
  const uint8_t bp[] = {4, 0, 0, 0, 1, 2};
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("b3"), view(bp, 6), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_DATA_OFFSET);
  smbw_rap_walk_init(&w, SMBW_RAP_DATA, cview("b2"), view(bp, 6), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), 1);
  ck_assert_uint_eq(f.kind, SMBW_RAP_PTR);
  ck_assert_uint_eq(f.bytes.len, 2);
  /* inline string without NUL in the request parameters */
  smbw_rap_walk_init(&w, SMBW_RAP_REQ_PARAMS, cview("z"), view((const uint8_t *)"abc", 3), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next(&w, &f, &e), SMBW_E_STR_UNTERMINATED);
  err_is(&e, SMBW_E_STR_UNTERMINATED, 0, "RAPParams");
  /* sides: 'e' is on the wire in responses only */
  uint32_t sz = 0;
  ck_assert_int_eq(smbw_rap_desc_size(SMBW_RAP_REQ_PARAMS, cview("WrLeh"), &sz, NULL), 0);
  ck_assert_uint_eq(sz, 4);
  ck_assert_int_eq(smbw_rap_desc_size(SMBW_RAP_RSP_PARAMS, cview("WrLeh"), &sz, NULL), 0);
  ck_assert_uint_eq(sz, 4);
  ck_assert_int_eq(smbw_rap_desc_size(SMBW_RAP_DATA, cview("B13BWzWWWzB9B"), &sz, NULL), 0);
  ck_assert_uint_eq(sz, 13 + 1 + 2 + 4 + 6 + 4 + 9 + 1);
}
END_TEST

START_TEST(test_put_sizes) {
  /* the writer never writes past cap and says what it needs */
  smbw_rap_field v[5];
  memset(v, 0, sizeof v);
  v[0].bytes = view((const uint8_t *)"share", 5);
  v[1].value = 0;
  v[2].value = 3;
  v[3].bytes = view((const uint8_t *)"remark", 6);
  uint8_t out[64];
  for (size_t cap = 0; cap <= 40; cap++) {
    memset(out, 0xAA, sizeof out);
    size_t pos = 0, heap = 20;
    int rc = smbw_rap_put(out, cap, &pos, &heap, SMBW_RAP_DATA, cview("B13BWz"), 0x100, v, 4);
    ck_assert_uint_eq(pos, 20);
    ck_assert_uint_eq(heap, 27);
    ck_assert_int_eq(rc, cap >= 27 ? 0 : SMBW_E_NOSPACE);
    for (size_t i = cap; i < sizeof out; i++) CHECK(out[i] == 0xAA);
  }
  size_t pos = 0, heap = 20;
  ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, cview("B13BWz"),
                                0x100, v, 4), 0);
  ck_assert_uint_eq(rd32(out + 16), 0x114);
  ck_assert_int_eq(memcmp(out + 20, "remark", 7), 0);
  /* too few values, bytes over their count, a word over 16 bits */
  pos = 0;
  heap = 20;
  ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, cview("B13BWz"), 0,
                                v, 3), SMBW_E_INVAL);
  v[0].bytes = view((const uint8_t *)"fourteenchars!", 14);
  ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, cview("B13BWz"), 0,
                                v, 4), SMBW_E_RANGE);
  v[0].bytes = view((const uint8_t *)"s", 1);
  v[2].value = 0x10000;
  ck_assert_int_eq(smbw_rap_put(out, sizeof out, &pos, &heap, SMBW_RAP_DATA, cview("B13BWz"), 0,
                                v, 4), SMBW_E_RANGE);
}
END_TEST

START_TEST(test_req_errors) {
  smbw_rap_req r;
  smbw_error e = {0, 0, NULL};
  const uint8_t one[] = {0};
  ck_assert_int_eq(smbw_rap_req_decode(view(one, 1), view(NULL, 0), &r, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 0, "RAPOpcode");
  const uint8_t nopd[] = {0, 0, 'W', 'r'};
  ck_assert_int_eq(smbw_rap_req_decode(view(nopd, 4), view(NULL, 0), &r, &e),
                   SMBW_E_STR_UNTERMINATED);
  err_is(&e, SMBW_E_STR_UNTERMINATED, 2, "ParamDesc");
  const uint8_t nodd[] = {0, 0, 'W', 0, 'B'};
  ck_assert_int_eq(smbw_rap_req_decode(view(nodd, 5), view(NULL, 0), &r, &e),
                   SMBW_E_STR_UNTERMINATED);
  err_is(&e, SMBW_E_STR_UNTERMINATED, 4, "DataDesc");
  const uint8_t shortp[] = {0, 0, 'W', 'D', 0, 0, 1, 0, 2};
  ck_assert_int_eq(smbw_rap_req_decode(view(shortp, 9), view(NULL, 0), &r, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 2, "RAPParams");
  /* with an AuxDesc and bytes after it */
  const uint8_t aux[] = {6, 0, 'W', 0, 'B', 0, 2, 0, 'z', 'z', 0, 9};
  ck_assert_int_eq(smbw_rap_req_decode(view(aux, sizeof aux), view(NULL, 0), &r, &e), 0);
  ck_assert_uint_eq(r.opcode, 6);
  ck_assert_uint_eq(r.params.len, 2);
  ck_assert_uint_eq(r.aux_desc.len, 2);
  ck_assert_uint_eq(r.extra.len, 1);
  uint8_t out[32];
  size_t len;
  ck_assert_int_eq(smbw_rap_req_encode(out, 5, &r, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, sizeof aux);
  ck_assert_int_eq(smbw_rap_req_encode(out, sizeof out, &r, &len), 0);
  ck_assert_int_eq(memcmp(out, aux, sizeof aux), 0);
  /* unknown calls and descriptors in the typed layer */
  smbw_rap_call c;
  r.opcode = 999;
  ck_assert_int_eq(smbw_rap_call_req_decode(&r, &c, &e), SMBW_E_LEVEL);
  err_is(&e, SMBW_E_LEVEL, 0, "RAPOpcode");
  r.opcode = 0;
  ck_assert_int_eq(smbw_rap_call_req_decode(&r, &c, &e), SMBW_E_LEVEL);
  err_is(&e, SMBW_E_LEVEL, 2, "ParamDesc");
  smbw_rap_iter it;
  ck_assert_int_eq(smbw_rap_iter_init(&it, 0, cview("B14"), view(NULL, 0), 0, 0, &e),
                   SMBW_E_LEVEL);
  ck_assert_int_eq(smbw_rap_iter_init(&it, 0, cview("B13BWz"), view(out, 19), 0, 1, &e),
                   SMBW_E_COUNT);
  err_is(&e, SMBW_E_COUNT, 19, "EntriesReturned");
  ck_assert_str_eq(smbw_rap_opcode_name(104), "NetServerEnum2");
  ck_assert_str_eq(smbw_rap_field_name(0, cview(""), 3), "EntriesReturned");
  ck_assert_str_eq(smbw_rap_field_name(0, cview("B13BWz"), 3), "Remark");
  ck_assert_ptr_null(smbw_rap_field_name(0, cview("B13BWz"), 4));
  ck_assert_str_eq(smbw_rap_call_param_desc(104, 1), "WrLehDO");
  ck_assert_str_eq(smbw_rap_call_param_desc(104, 0), "WrLehDz");
  smbw_rap_rsp s;
  ck_assert_int_eq(smbw_rap_rsp_decode(view(out, 3), &s, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 2, "Converter");
}
END_TEST

START_TEST(test_pipe_hand) {
  /* QueryNmPipeInfo: no server here implements it; its layout both ways */
  const uint8_t info[] = {0x00, 0x10, 0x00, 0x10, 0xFF, 2, 14, 0,
                          '\\', 0, 'P', 0, 'I', 0, 'P', 0, 'E', 0, '\\', 0, 'x', 0, 0, 0};
  smbw_pipe_rsp r;
  smbw_error e = {0, 0, NULL};
  ck_assert_int_eq(smbw_pipe_rsp_decode(SMBW_TRANS_QUERY_NM_PIPE_INFO, view(NULL, 0),
                                        view(info, sizeof info), 1, &r, &e), 0);
  ck_assert_uint_eq(r.output_buffer_size, 0x1000);
  ck_assert_uint_eq(r.maximum_instances, 0xFF);
  ck_assert_uint_eq(r.current_instances, 2);
  ck_assert_uint_eq(r.pipe_name.len, 14);
  ck_assert_uint_eq(r.extra_data.len, 2);
  uint8_t p[8], d[64];
  size_t pl, dl;
  ck_assert_int_eq(smbw_pipe_rsp_encode(p, sizeof p, &pl, d, sizeof d, &dl, 1, &r), 0);
  ck_assert_uint_eq(dl, sizeof info);
  ck_assert_int_eq(memcmp(d, info, sizeof info), 0);
  ck_assert_int_eq(smbw_pipe_rsp_encode(p, sizeof p, &pl, d, 10, &dl, 1, &r), SMBW_E_NOSPACE);
  ck_assert_uint_eq(dl, sizeof info);
  for (size_t k = 0; k < 7; k++)
    ck_assert_int_eq(smbw_pipe_rsp_decode(SMBW_TRANS_QUERY_NM_PIPE_INFO, view(NULL, 0),
                                          view(info, k), 1, &r, &e), SMBW_E_TRUNCATED);
  ck_assert_int_eq(smbw_pipe_rsp_decode(SMBW_TRANS_QUERY_NM_PIPE_INFO, view(NULL, 0),
                                        view(info, 20), 1, &r, &e), SMBW_E_FIELD_LENGTH);
  err_is(&e, SMBW_E_FIELD_LENGTH, 8, "PipeName");
  /* PeekNmPipe's three words */
  const uint8_t peek[] = {5, 0, 5, 0, 3, 0};
  ck_assert_int_eq(smbw_pipe_rsp_decode(SMBW_TRANS_PEEK_NM_PIPE, view(peek, 6),
                                        view((const uint8_t *)"hello", 5), 0, &r, &e), 0);
  ck_assert_uint_eq(r.read_data_available, 5);
  ck_assert_uint_eq(r.named_pipe_state, SMBW_NMPIPE_CONNECTED);
  ck_assert_uint_eq(r.read_data.len, 5);
  ck_assert_int_eq(smbw_pipe_rsp_decode(SMBW_TRANS_PEEK_NM_PIPE, view(peek, 5), view(NULL, 0), 0,
                                        &r, &e), SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 4, "NamedPipeState");
  ck_assert_int_eq(smbw_pipe_rsp_decode(0x99, view(NULL, 0), view(NULL, 0), 0, &r, &e),
                   SMBW_E_LEVEL);
  /* requests */
  smbw_pipe_req q;
  const uint8_t setup1[] = {0x26, 0};
  ck_assert_int_eq(smbw_pipe_req_decode(view(setup1, 2), view(NULL, 0), view(NULL, 0), &q, &e),
                   SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 2, "Setup");
  const uint8_t setst[] = {0x01, 0, 0x34, 0x12};
  ck_assert_int_eq(smbw_pipe_req_decode(view(setst, 4), view(peek, 1), view(NULL, 0), &q, &e),
                   SMBW_E_TRUNCATED);
  err_is(&e, SMBW_E_TRUNCATED, 0, "PipeState");
  ck_assert_int_eq(smbw_pipe_req_decode(view(setst, 4), view(peek, 2), view(NULL, 0), &q, &e), 0);
  ck_assert_uint_eq(q.fid, 0x1234);
  ck_assert_uint_eq(q.pipe_state, 5);
  /* mailslot */
  smbw_mailslot_write m;
  const uint8_t ms[] = {2, 0, 0, 0, 2, 0};
  ck_assert_int_eq(smbw_mailslot_write_decode(view(ms, 6), view(NULL, 0), &m, &e), SMBW_E_LEVEL);
  ck_assert_int_eq(smbw_mailslot_write_decode(view(ms, 4), view(NULL, 0), &m, &e),
                   SMBW_E_TRUNCATED);
  /* target of a Name, OEM and UTF-16 */
  smbw_str n = {(const uint8_t *)"\\pipe\\lanman", 12, SMBW_STR_OEM, 0, 0};
  ck_assert_int_eq(smbw_trans_target(&n), SMBW_TRANS_TARGET_LANMAN);
  n.len = 6;
  ck_assert_int_eq(smbw_trans_target(&n), SMBW_TRANS_TARGET_PIPE);
  const uint8_t u[] = {'\\', 0, 'M', 0, 'A', 0, 'I', 0, 'L', 0, 'S', 0, 'L', 0, 'O', 0, 'T', 0,
                       '\\', 0, 'B', 0};
  smbw_str un = {u, sizeof u, SMBW_STR_UTF16LE, 0, 0};
  ck_assert_int_eq(smbw_trans_target(&un), SMBW_TRANS_TARGET_MAILSLOT);
  un.len = 5;
  ck_assert_int_eq(smbw_trans_target(&un), SMBW_TRANS_TARGET_OTHER);
  ck_assert_int_eq(smbw_trans_target(NULL), SMBW_TRANS_TARGET_OTHER);
}
END_TEST

START_TEST(test_sizes) {
  /* growable structs: a smaller caller gets its prefix, a too small one INVAL */
  const uint8_t params[] = {0, 0, 'W', 'r', 'L', 'e', 'h', 0, 'B', '1', '3', 0, 1, 0, 0, 0x10};
  struct {
    smbw_rap_req r;
    uint8_t canary[16];
  } big;
  memset(&big, 0x5A, sizeof big);
  ck_assert_int_eq(smbw_rap_req_decode_(view(params, sizeof params), view(NULL, 0), &big.r,
                                        sizeof big.r, NULL), 0);
  for (size_t i = 0; i < sizeof big.canary; i++) CHECK(big.canary[i] == 0x5A);
  ck_assert_int_eq(smbw_rap_req_decode_(view(params, sizeof params), view(NULL, 0), &big.r, 8,
                                        NULL), SMBW_E_INVAL);
  smbw_rap_field f;
  smbw_rap_walk w;
  smbw_rap_walk_init(&w, SMBW_RAP_REQ_PARAMS, cview("W"), view(params, 2), 0, 0);
  ck_assert_int_eq(smbw_rap_walk_next_(&w, &f, 4, NULL), SMBW_E_INVAL);
}
END_TEST

int main(void) {
  Suite *s = suite_create("rap");
  TCase *tc = tcase_create("rap");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, test_golden);
  tcase_add_test(tc, test_walk_errors);
  tcase_add_test(tc, test_put_sizes);
  tcase_add_test(tc, test_req_errors);
  tcase_add_test(tc, test_pipe_hand);
  tcase_add_test(tc, test_sizes);
  suite_add_tcase(s, tc);
  return run_suite(s);
}
