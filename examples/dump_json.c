/*
 * smbdump's JSON writer (see dump_json.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump_common.h"

void jw_init(jw *j, FILE *out, size_t hex_max) {
  memset(j, 0, sizeof *j);
  j->out = out;
  j->hex_max = hex_max;
  j->cap = (size_t)1 << 21;
  j->b = malloc(j->cap);
  j->text = malloc(JW_TEXT_MAX);
  if (!j->b || !j->text) dump_oom();
}

void jw_free(jw *j) {
  jflush(j);
  free(j->b);
  free(j->text);
  j->b = j->text = NULL;
  j->cap = 0;
}

void jflush(jw *j) {
  if (j->n) fwrite(j->b, 1, j->n, j->out);
  j->n = 0;
}

static void jreserve(jw *j, size_t k) {
  if (j->n + k <= j->cap) return;
  jflush(j);
  if (k > j->cap) {
    char *nb = realloc(j->b, k);
    if (!nb) dump_oom();
    j->b = nb;
    j->cap = k;
  }
}

void jput(jw *j, const char *s, size_t n) {
  jreserve(j, n);
  memcpy(j->b + j->n, s, n);
  j->n += n;
}

void jputs(jw *j, const char *s) { jput(j, s, strlen(s)); }

void jw_begin(jw *j, int on) {
  j->on = on;
  j->depth = 0;
  if (on) jopen(j, '{');
}

void jw_end(jw *j) {
  if (!j->on) return;
  jclose(j, '}');
  jput(j, "\n", 1);
  if (j->n > (1u << 20)) jflush(j);
}

void jsep(jw *j) {
  if (j->depth > 0 && !j->first[j->depth]) jput(j, ",", 1);
  j->first[j->depth] = 0;
}

void jopen(jw *j, char c) {
  if (!j->on) return;
  jput(j, &c, 1);
  if (j->depth < 31) j->depth++;
  j->first[j->depth] = 1;
}

void jclose(jw *j, char c) {
  if (!j->on) return;
  jput(j, &c, 1);
  if (j->depth > 0) j->depth--;
}

/* Escaped JSON string body of UTF-8 text. */
static void jtext(jw *j, const char *s, size_t n) {
  static const char hx[] = "0123456789abcdef";
  jreserve(j, n * 6 + 2);
  char *o = j->b + j->n;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      *o++ = '\\';
      *o++ = (char)c;
    } else if (c < 0x20) {
      *o++ = '\\';
      switch (c) {
      case '\n': *o++ = 'n'; break;
      case '\r': *o++ = 'r'; break;
      case '\t': *o++ = 't'; break;
      case '\b': *o++ = 'b'; break;
      case '\f': *o++ = 'f'; break;
      default:
        *o++ = 'u';
        *o++ = '0';
        *o++ = '0';
        *o++ = hx[c >> 4];
        *o++ = hx[c & 15];
      }
    } else {
      *o++ = (char)c;
    }
  }
  *o++ = '"';
  j->n = (size_t)(o - j->b);
}

void jkey(jw *j, const char *k) {
  jsep(j);
  jput(j, "\"", 1);
  jputs(j, k);
  jput(j, "\":", 2);
}

void jk_open(jw *j, const char *k, char c) {
  if (!j->on) return;
  jkey(j, k);
  jopen(j, c);
}

void jk_u(jw *j, const char *k, uint64_t v) {
  if (!j->on) return;
  char b[32];
  jkey(j, k);
  jput(j, b, (size_t)snprintf(b, sizeof b, "%" PRIu64, v));
}

void jk_i(jw *j, const char *k, int64_t v) {
  if (!j->on) return;
  char b[32];
  jkey(j, k);
  jput(j, b, (size_t)snprintf(b, sizeof b, "%" PRId64, v));
}

void jk_b(jw *j, const char *k, int v) {
  if (!j->on) return;
  jkey(j, k);
  jputs(j, v ? "true" : "false");
}

void jk_null(jw *j, const char *k) {
  if (!j->on) return;
  jkey(j, k);
  jputs(j, "null");
}

void jk_s(jw *j, const char *k, const char *s) {
  if (!j->on) return;
  jkey(j, k);
  jtext(j, s, strlen(s));
}

void jk_text(jw *j, const char *k, const char *s, size_t n) {
  if (!j->on) return;
  jkey(j, k);
  jtext(j, s, n);
}

/* A hex string value. */
static void jhex(jw *j, const uint8_t *p, size_t n) {
  static const char hx[] = "0123456789abcdef";
  jreserve(j, 2 * n + 2);
  char *o = j->b + j->n;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    *o++ = hx[p[i] >> 4];
    *o++ = hx[p[i] & 15];
  }
  *o++ = '"';
  j->n = (size_t)(o - j->b);
}

void jk_hex(jw *j, const char *k, const uint8_t *p, size_t n) {
  if (!j->on) return;
  jkey(j, k);
  jhex(j, p, n);
}

void jk_bytes(jw *j, const char *k, smbw_bytes v) {
  if (!j->on || !v.data) return;
  jk_hex(j, k, v.data, v.len);
}

void jk_extra(jw *j, smbw_bytes v) {
  if (v.data && v.len) jk_bytes(j, "extra", v);
}

const char *jw_utf8(jw *j, const smbw_str *s, size_t *len) {
  size_t need = 0;
  smbw_str_to_utf8(s, j->text, JW_TEXT_MAX, &need);
  if (len) *len = need < JW_TEXT_MAX ? need : JW_TEXT_MAX - 1;
  return j->text;
}

void jk_str(jw *j, const char *k, const smbw_str *s) {
  if (!j->on || !s->data) return;
  const char *t = jw_utf8(j, s, NULL);
  jkey(j, k);
  jtext(j, t, strlen(t));
}

void jk_hexcut(jw *j, const char *k, const char *kt, smbw_bytes v) {
  if (!j->on) return;
  size_t n = j->hex_max && v.len > j->hex_max ? j->hex_max : v.len;
  jk_hex(j, k, v.data, v.data ? n : 0);
  if (v.data && n < v.len) jk_b(j, kt, 1);
}

void jitem_u(jw *j, uint64_t v) {
  if (!j->on) return;
  char b[24];
  jsep(j);
  jput(j, b, (size_t)snprintf(b, sizeof b, "%" PRIu64, v));
}

void jitem_hexcut(jw *j, smbw_bytes v) {
  if (!j->on) return;
  size_t n = j->hex_max && v.len > j->hex_max ? j->hex_max : v.len;
  jsep(j);
  jhex(j, v.data, n);
}

void jitem_s(jw *j, const char *s, size_t n) {
  if (!j->on) return;
  jsep(j);
  jtext(j, s, n);
}

void jk_error(jw *j, const char *k, int rc, uint32_t offset, const char *field) {
  jk_open(j, k, '{');
  jk_s(j, "code", smbw_errname(rc));
  jk_u(j, "offset", offset);
  if (field) jk_s(j, "field", field);
  else jk_null(j, "field");
  jclose(j, '}');
}

/* ---- the fields of a visit (jk_visit) ---- */

#define VNAMES 96
typedef struct vnames {
  const char *name[VNAMES], *ws[VNAMES];
  unsigned count[VNAMES], n;
  int kind[VNAMES];
} vnames;

static int vn_find(const vnames *v, const char *name) {
  for (unsigned i = 0; i < v->n; i++)
    if (strcmp(v->name[i], name) == 0) return (int)i;
  return -1;
}

static int vn_collect(void *ctx, const smbw_field *f) {
  vnames *v = ctx;
  int i = vn_find(v, f->name);
  if (i >= 0) v->count[i]++;
  else if (v->n < VNAMES) {
    v->name[v->n] = f->name;
    v->ws[v->n] = f->wsname;
    v->kind[v->n] = f->kind;
    v->count[v->n++] = 1;
  }
  return 0;
}

typedef struct vjson {
  jw *J;
  jvisit_run run;
  const void *arg;
  vnames *v;
  unsigned done[VNAMES]; /* the key is written */
  const char *only;      /* the array of this name's values */
} vjson;

static int vj_item(void *ctx, const smbw_field *f) {
  vjson *x = ctx;
  if (strcmp(f->name, x->only) != 0) return 0;
  if (f->kind == SMBW_FIELD_UINT) jitem_u(x->J, f->value);
  else if (f->kind == SMBW_FIELD_BYTES) jitem_hexcut(x->J, f->bytes);
  else {
    size_t n = 0;
    const char *t = jw_utf8(x->J, &f->str, &n);
    jitem_s(x->J, t, strlen(t));
  }
  return 0;
}

static int vj_field(void *ctx, const smbw_field *f) {
  vjson *x = ctx;
  int i = vn_find(x->v, f->name);
  if (i < 0 || x->done[i]) return 0;
  x->done[i] = 1;
  if (x->v->count[i] > 1) {
    jk_open(x->J, f->name, '[');
    x->only = f->name;
    x->run(x->arg, vj_item, x, NULL);
    jclose(x->J, ']');
  } else if (f->kind == SMBW_FIELD_UINT) {
    jk_u(x->J, f->name, f->value);
  } else if (f->kind == SMBW_FIELD_BYTES) {
    char kt[80];
    snprintf(kt, sizeof kt, "%s_truncated", f->name);
    jk_hexcut(x->J, f->name, kt, f->bytes);
  } else {
    jk_str(x->J, f->name, &f->str);
  }
  return 0;
}

int jk_visit(jw *j, jvisit_run run, const void *arg, smbw_error *err) {
  vnames v;
  v.n = 0;
  int rc = run(arg, vn_collect, &v, err);
  jk_open(j, "fields", '{');
  if (rc == 0 && j->on) {
    vjson x;
    memset(&x, 0, sizeof x);
    x.J = j;
    x.run = run;
    x.arg = arg;
    x.v = &v;
    run(arg, vj_field, &x, NULL);
  }
  jclose(j, '}');
  if (rc == 0 && j->on) {
    jk_open(j, "wireshark", '{');
    for (unsigned i = 0; i < v.n; i++)
      if (v.ws[i]) jk_s(j, v.name[i], v.ws[i]);
    jclose(j, '}');
    jk_open(j, "bytes", '[');
    for (unsigned i = 0; i < v.n; i++)
      if (v.kind[i] == SMBW_FIELD_BYTES) jitem_s(j, v.name[i], strlen(v.name[i]));
    jclose(j, ']');
  }
  return rc;
}
