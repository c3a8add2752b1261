/*
 * Golden vectors: every NBSS packet and SMB message we recorded from real
 * peers (the .pcapng files in tests/golden, extracted by tests/golden/extract.py into
 * .vec files with tshark's decoded fields).  For each message: the framer
 * takes it whole and byte by byte; every field we decode that tshark also
 * shows agrees with tshark; encode(decode(bytes)) == bytes; and every
 * truncation fails cleanly with the bytes placed against a guard page.
 *
 * SMBW_VEC_DIRS: colon-separated directories of .vec files (the build sets
 * it to tests/golden; the capture test adds vectors of ../shared/captures).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_helpers.h"
#include "dissect.h"
#include "guard.h"
#include "vec.h"

/*
 * Known differences (SMBW_KNOWN_DIFFS, tests/known-differences.txt): lines
 * "capture frame what  evidence...", where capture is the .vec base name,
 * frame a number or *, and what a tshark field name (we disagree with
 * tshark on it and tshark is wrong) or an SMBW_E_* name (the message is
 * malformed and we reject it with that error).  Anything listed is counted
 * apart instead of failing; entries never used are reported as stale.
 */
typedef struct known {
  char cap[96], what[64];
  long frame; /* -1 for any */
  unsigned used;
  int present; /* its capture was read (stale only then) */
} known;
static known knowns[256];
static int nknown;
static unsigned long total_known;

static void load_known(void) {
  const char *p = getenv("SMBW_KNOWN_DIFFS");
  FILE *f = p ? fopen(p, "r") : NULL;
  char line[1024], fr[32];
  if (!f) return;
  while (fgets(line, sizeof line, f) && nknown < 256) {
    known *k = &knowns[nknown];
    if (line[0] == '#' || sscanf(line, "%95s %31s %63s", k->cap, fr, k->what) != 3) continue;
    k->frame = strcmp(fr, "*") ? atol(fr) : -1;
    k->used = 0;
    k->present = 0;
    nknown++;
  }
  fclose(f);
}

/* The known differences of the capture of path: it is read. */
static void mark_present(const char *path) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t bl = strlen(b) - 4; /* without .vec */
  for (int i = 0; i < nknown; i++)
    if (strlen(knowns[i].cap) == bl && !strncmp(knowns[i].cap, b, bl)) knowns[i].present = 1;
}

/* Is (capture of path, frame, what) a listed known difference? */
static int is_known(const char *path, unsigned frame, const char *what) {
  const char *b = strrchr(path, '/');
  b = b ? b + 1 : path;
  size_t bl = strlen(b) - 4; /* without .vec */
  for (int i = 0; i < nknown; i++) {
    known *k = &knowns[i];
    if (strlen(k->cap) == bl && !strncmp(k->cap, b, bl) && !strcmp(k->what, what) &&
        (k->frame < 0 || k->frame == (long)frame)) {
      k->used++;
      total_known++;
      return 1;
    }
  }
  return 0;
}

#define MAX_FILES 256
static char *files[MAX_FILES];
static int nfiles;
static unsigned long total_compared, total_msgs, total_smb2, total_raw;

/* READ_RAW's response or WRITE_RAW's data: the raw data alone in a session
   message, framed by smbw_raw_frame() and written back by smbw_raw_encode()
   byte for byte. */
static int check_raw(const char *path, const vec_msg *m, int framing, guard_buf *g) {
  const uint8_t *pkt = guard_place(g, m->bytes, m->len);
  smbw_bytes d = {NULL, 0};
  size_t need = 0, len = 0;
  int bad = 0;
  if (smbw_raw_frame(pkt, m->len, framing, &d, NULL, NULL) != (int)m->len ||
      d.len != m->len - SMBW_NBSS_HEADER_SIZE || d.data != pkt + SMBW_NBSS_HEADER_SIZE)
    bad = 1;
  if (m->len > 1 && (smbw_raw_frame(pkt, m->len - 1, framing, &d, &need, NULL) != 0 || need != 1))
    bad = 1;
  static uint8_t out[1 << 18];
  if (!bad && (smbw_raw_encode(out, sizeof out, framing, d, &len) != 0 || len != m->len ||
               memcmp(out, m->bytes, len)))
    bad = 1;
  const char *tv = vec_get(m, "nbss.length");
  if (tv && (size_t)atol(tv) != m->len - SMBW_NBSS_HEADER_SIZE) bad = 1;
  if (bad) fprintf(stderr, "%s frame %u: raw data not framed back\n", path, m->frame);
  return bad;
}

static void find_files(void) { nfiles = vec_list(files, MAX_FILES); }

/* Our decoded fields for one message, joined per name like the .vec. */
typedef struct acc {
  char *name[256];
  char *val[256];
  int n;
} acc;

static void acc_put(void *ctx, const char *name, const char *value) {
  acc *a = ctx;
  for (int i = 0; i < a->n; i++) {
    if (!strcmp(a->name[i], name)) {
      size_t l = strlen(a->val[i]);
      a->val[i] = realloc(a->val[i], l + strlen(value) + 2);
      a->val[i][l] = '|';
      strcpy(a->val[i] + l + 1, value);
      return;
    }
  }
  if (a->n == 256) return;
  a->name[a->n] = strdup(name);
  a->val[a->n] = strdup(value);
  a->n++;
}

static void acc_free(acc *a) {
  for (int i = 0; i < a->n; i++) {
    free(a->name[i]);
    free(a->val[i]);
  }
  a->n = 0;
}

/*
 * Known tshark behaviour, not a disagreement: tshark's FID-tracking subtree
 * repeats, under every command that names a FID, the fields of the request
 * that opened it (in an OPEN_ANDX response, smb.file_attribute of the open
 * request before the response's own FileAttrs; in a READ_ANDX chained after
 * an NT_CREATE_ANDX, the create flags, access mask, share access and create
 * options of the earlier open).  Accept tshark's value when ours is all of
 * it but such copies, before or after.
 */
static int tshark_copied(const char *name, const char *theirs, const char *ours) {
  static const char *const tracked[] = {"smb.file_attribute", "smb.create_flags",
                                        "smb.access_mask", "smb.share_access",
                                        "smb.create_options", "smb.create.disposition"};
  size_t lt = strlen(theirs), lo = strlen(ours);
  int is_tracked = 0;
  for (size_t i = 0; i < sizeof tracked / sizeof tracked[0]; i++)
    is_tracked |= !strcmp(name, tracked[i]);
  if (!is_tracked || lt <= lo) return 0;
  return (theirs[lt - lo - 1] == '|' && !strcmp(theirs + lt - lo, ours)) ||
         (theirs[lo] == '|' && !strncmp(theirs, ours, lo));
}

/*
 * tshark decodes commands we have no typed decoder for yet and reuses
 * field names inside them (smb.pid in LOCKING_ANDX lock ranges, smb.fid in
 * many).  When a message has such blocks, extra trailing occurrences on
 * tshark's side are not compared.
 */
static int tshark_more(const char *theirs, const char *ours, int untyped) {
  size_t lo = strlen(ours);
  return untyped && !strncmp(theirs, ours, lo) && theirs[lo] == '|';
}

static void hexdump_diff(const uint8_t *a, size_t al, const uint8_t *b, size_t bl) {
  size_t i = 0;
  while (i < al && i < bl && a[i] == b[i]) i++;
  fprintf(stderr, "    first difference at byte %zu (orig len %zu, encoded len %zu)\n", i, al, bl);
}

static int check_nbss_incremental(const vec_msg *m, guard_buf *g) {
  int bad = 0;
  int tr = m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
  size_t limit = m->len < 4096 ? m->len : 4096;
  for (size_t k = 0; k < m->len; k = k < limit ? k + 1 : k + 997) {
    const uint8_t *p = guard_place(g, m->bytes, k);
    size_t need = 0;
    smbw_error e;
    int rc = smbw_nbss_frame(p, k, tr, NULL, &need, &e);
    if (rc != 0 || need == 0 || (k >= 4 && need != m->len - k)) {
      fprintf(stderr, "  frame %u: prefix %zu: rc=%d need=%zu\n", m->frame, k, rc, need);
      bad = 1;
      break;
    }
  }
  return bad;
}

/* Every truncation of the SMB message below what its blocks cover fails
   (or is itself a complete, shorter message). */
static int check_truncations(const vec_msg *m, const uint8_t *smb, size_t len, size_t used,
                             guard_buf *g) {
  size_t step_from = 8192;
  for (size_t k = 0; k < used && k < len; k = k < step_from ? k + 1 : k + 251) {
    const uint8_t *p = guard_place(g, smb, k);
    smbw_error e;
    size_t u;
    unsigned typed = 0;
    int rc = dissect_msg(p, k, NULL, NULL, &e, &u, &typed);
    /* A prefix may itself be a well-formed shorter message (an extended
       NT_CREATE_ANDX response cut after 42 words is a plain one); what
       must never happen is a clean decode that claims bytes past k. */
    if (rc >= 0 && u > k) {
      fprintf(stderr, "  frame %u: truncation to %zu of %zu (used %zu) decoded without error\n",
              m->frame, k, len, used);
      return 1;
    }
  }
  return 0;
}

START_TEST(golden_file) {
  const char *path = files[_i];
  vec_file vf;
  ck_assert_msg(vec_load(path, &vf) == 0, "cannot read %s", path);
  mark_present(path);
  ck_assert_msg(vf.n > 0, "%s holds no message", path);
  guard_buf g, go;
  ck_assert_int_eq(guard_init(&g, 1 << 18), 0);
  ck_assert_int_eq(guard_init(&go, 1 << 18), 0);
  static uint8_t out[1 << 18];
  int failures = 0;
  unsigned long compared = 0;
  /* Raw data: after a READ_RAW request the next server message is raw
     data; after a WRITE_RAW request whose CountOfBytes is more than its
     DataLength the next client message is, unless the server refuses the
     write first (an error response instead of the interim one). */
  int raw_next = 0, raw_write = 0;
  for (size_t i = 0; i < vf.n; i++) {
    const vec_msg *m = &vf.msgs[i];
    int tr = m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT;
    const int is_smb = m->len >= 4 + SMBW_HEADER_SIZE && !memcmp(m->bytes + 4, "\xffSMB", 4);
    const uint8_t cmd = is_smb ? m->bytes[4 + 4] : 0;
    const int reply = is_smb && (m->bytes[4 + 9] & SMBW_FLAGS_REPLY);
    if ((m->c2s && raw_write) || (!m->c2s && raw_next)) {
      raw_next = raw_write = 0;
      failures += check_raw(path, m, tr, &g);
      total_raw++;
      continue;
    }
    if (m->c2s && cmd == SMBW_COM_READ_RAW && !reply) raw_next = 1;
    if (m->c2s && cmd == SMBW_COM_WRITE_RAW && !reply && m->len >= 4 + SMBW_HEADER_SIZE + 25 &&
        rd16(m->bytes + 4 + 33 + 2) > rd16(m->bytes + 4 + 33 + 20))
      raw_write = 1;
    if (!m->c2s && cmd == SMBW_COM_WRITE_RAW && reply && rd32(m->bytes + 4 + 5)) raw_write = 0;
    smbw_nbss f;
    smbw_error e = {0, 0, NULL};
    const uint8_t *pkt = guard_place(&g, m->bytes, m->len);
    int rc = smbw_nbss_frame(pkt, m->len, tr, &f, NULL, &e);
    if (rc != (int)m->len) {
      if (!is_known(path, m->frame, smbw_errname(rc))) {
        fprintf(stderr, "%s frame %u: framer returned %d (%s at %u)\n", path, m->frame, rc,
                smbw_errname(rc), e.offset);
        failures++;
      }
      continue;
    }
    failures += check_nbss_incremental(m, &g);
    pkt = guard_place(&g, m->bytes, m->len);
    smbw_nbss_frame(pkt, m->len, tr, &f, NULL, &e);
    const char *tv;
    if (f.type == SMBW_NBSS_SESSION_REQUEST) {
      smbw_nbss_session_request r;
      char nm[16], want[64];
      size_t len;
      rc = smbw_nbss_session_request_decode(&f, &r, &e);
      if (rc && !vec_get(m, "nbss.called_name")) {
        /* A malformed request we sent on purpose (tshark cannot name it
           either): it must fail cleanly, which it did. */
        continue;
      }
      ck_assert_msg(rc == 0, "frame %u: session request: %s", m->frame, smbw_errname(rc));
      smbw_nb_name_get(&r.called, nm);
      snprintf(want, sizeof want, "%s<%02x>", nm, r.called.name[15]);
      if ((tv = vec_get(m, "nbss.called_name")) && strcmp(tv, want)) {
        fprintf(stderr, "%s frame %u: called %s vs tshark %s\n", path, m->frame, want, tv);
        failures++;
      }
      smbw_nb_name_get(&r.calling, nm);
      snprintf(want, sizeof want, "%s<%02x>", nm, r.calling.name[15]);
      if ((tv = vec_get(m, "nbss.calling_name")) && strcmp(tv, want)) {
        fprintf(stderr, "%s frame %u: calling %s vs tshark %s\n", path, m->frame, want, tv);
        failures++;
      }
      compared += 2;
      rc = smbw_nbss_session_request_encode(out, sizeof out, &r, &len);
      if (rc || len != m->len || memcmp(out, m->bytes, len)) {
        fprintf(stderr, "%s frame %u: session request re-encode differs\n", path, m->frame);
        failures++;
      }
      continue;
    }
    if (f.type == SMBW_NBSS_NEGATIVE_RESPONSE) {
      uint8_t code;
      ck_assert_int_eq(smbw_nbss_negative_decode(&f, &code, &e), 0);
      if ((tv = vec_get(m, "nbss.error_code")) && (unsigned)atoi(tv) != code) {
        fprintf(stderr, "%s frame %u: negative code %u vs %s\n", path, m->frame, code, tv);
        failures++;
      }
      continue;
    }
    if (f.type != SMBW_NBSS_SESSION_MESSAGE) continue;
    /* SMB message: fields against tshark.  Work on a copy outside the
       guard buffers, which the checks below reuse. */
    const uint8_t *smb = m->bytes + SMBW_NBSS_HEADER_SIZE;
    if (f.length >= 4 && smb[0] == 0xFE && smb[1] == 'S' && smb[2] == 'M' && smb[3] == 'B') {
      total_smb2++; /* SMB2 after a multi-protocol negotiate: not ours */
      continue;
    }
    acc a = {.n = 0};
    size_t used;
    unsigned typed = 0;
    rc = dissect_msg(smb, f.length, acc_put, &a, &e, &used, &typed);
    if (rc) {
      if (!is_known(path, m->frame, smbw_errname(rc))) {
        fprintf(stderr, "%s frame %u: decode failed: %s at %u (%s)\n", path, m->frame,
                smbw_errname(rc), e.offset, e.field);
        failures++;
      }
      acc_free(&a);
      continue;
    }
    int untyped = 0;
    {
      smbw_msg mm;
      smbw_andx_iter it;
      smbw_block bb;
      unsigned nb = 0;
      smbw_msg_decode(smb, f.length, &mm, NULL);
      smbw_andx_iter_init(&it, &mm);
      while (smbw_andx_iter_next(&it, &bb, NULL) == 1) nb++;
      untyped = typed < nb;
    }
    total_msgs++;
    for (int k = 0; k < a.n; k++) {
      tv = vec_get(m, a.name[k]);
      if (!tv) continue;
      compared++;
      if (strcmp(tv, a.val[k]) && !tshark_copied(a.name[k], tv, a.val[k]) &&
          !tshark_more(tv, a.val[k], untyped) && !is_known(path, m->frame, a.name[k])) {
        fprintf(stderr, "%s frame %u: %s: ours '%.200s' tshark '%.200s'\n", path, m->frame,
                a.name[k], a.val[k], tv);
        failures++;
      }
    }
    acc_free(&a);
    /* encode(decode(bytes)) == bytes, with the framing it arrived in. */
    size_t olen = 0;
    rc = reencode_msg(smb, f.length, m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT,
                      out, sizeof out, &olen);
    if (rc || olen != m->len || memcmp(out, m->bytes, olen)) {
      fprintf(stderr, "%s frame %u: re-encode rc=%s differs\n", path, m->frame, smbw_errname(rc));
      hexdump_diff(m->bytes, m->len, out, olen);
      failures++;
    }
    /* The size query alone gives the same size and writes nothing. */
    size_t qlen = 0;
    rc = reencode_msg(smb, f.length, m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT,
                      NULL, 0, &qlen);
    if (rc != SMBW_E_NOSPACE || qlen != olen) {
      fprintf(stderr, "%s frame %u: size query rc=%s len %zu vs %zu\n", path, m->frame,
              smbw_errname(rc), qlen, olen);
      failures++;
    }
    /* Encoding into every too-small buffer never writes past it. */
    if (olen <= 4096) {
      for (size_t cap = 0; cap < olen; cap++) {
        uint8_t *dst = go.base + go.size - cap;
        rc = reencode_msg(smb, f.length, m->bytes[0] == 0 ? SMBW_FRAMING_DIRECT : SMBW_FRAMING_NBT,
                          dst, cap, &qlen);
        if (rc != SMBW_E_NOSPACE || qlen != olen) {
          fprintf(stderr, "%s frame %u: cap %zu: rc=%s\n", path, m->frame, cap, smbw_errname(rc));
          failures++;
          break;
        }
      }
    }
    failures += check_truncations(m, smb, f.length, used, &g);
  }
  total_compared += compared;
  fprintf(stderr, "%s: %zu messages, %lu fields compared with tshark, %d failures\n", path,
          vf.n, compared, failures);
  guard_free(&g);
  guard_free(&go);
  vec_free(&vf);
  ck_assert_msg(failures == 0, "%s: %d failures (see above)", path, failures);
}
END_TEST

int main(void) {
  find_files();
  load_known();
  Suite *s = suite_create("golden");
  TCase *tc = tcase_create("vectors");
  tcase_set_timeout(tc, 120);
  if (nfiles == 0) {
    fprintf(stderr, "no .vec files found in SMBW_VEC_DIRS\n");
    return 77; /* skipped */
  }
  tcase_add_loop_test(tc, golden_file, 0, nfiles);
  suite_add_tcase(s, tc);
  SRunner *sr = srunner_create(s);
  srunner_set_fork_status(sr, CK_NOFORK);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  fprintf(stderr,
          "golden: %lu SMB1 messages decoded, %lu fields compared with tshark, %lu known "
          "differences (listed), %lu raw data messages (READ_RAW, WRITE_RAW) framed, %lu SMB2 messages skipped\n",
          total_msgs, total_compared, total_known, total_raw, total_smb2);
  for (int i = 0; i < nknown; i++)
    if (knowns[i].present && !knowns[i].used)
      fprintf(stderr, "stale known difference: %s %ld %s\n", knowns[i].cap, knowns[i].frame,
              knowns[i].what);
  return failed ? 1 : 0;
}
