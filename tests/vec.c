#include "vec.h"

#include <dirent.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int vec_load(const char *path, vec_file *vf) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  vf->msgs = NULL;
  vf->n = 0;
  while ((n = getline(&line, &cap, f)) >= 0) {
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = 0;
    if (!strncmp(line, "msg ", 4)) {
      char dir[8], *hex = malloc((size_t)n);
      unsigned frame;
      if (sscanf(line, "msg %u %7s %s", &frame, dir, hex) != 3) { free(hex); continue; }
      vf->msgs = realloc(vf->msgs, (vf->n + 1) * sizeof *vf->msgs);
      vec_msg *m = &vf->msgs[vf->n++];
      memset(m, 0, sizeof *m);
      m->frame = frame;
      m->c2s = !strcmp(dir, "c2s");
      size_t hl = strlen(hex);
      m->bytes = malloc(hl / 2 + 1);
      for (size_t i = 0; i + 1 < hl; i += 2)
        m->bytes[i / 2] = (uint8_t)(hexval(hex[i]) << 4 | hexval(hex[i + 1]));
      m->len = hl / 2;
      free(hex);
    } else if (!strncmp(line, "f ", 2) && vf->n) {
      vec_msg *m = &vf->msgs[vf->n - 1];
      char *name = line + 2, *sp = strchr(name, ' ');
      char empty[1] = {0};
      char *value = sp ? sp + 1 : empty;
      if (sp) *sp = 0;
      m->fields = realloc(m->fields, (m->nfields + 1) * sizeof *m->fields);
      m->fields[m->nfields].name = strdup(name);
      m->fields[m->nfields].value = strdup(value);
      m->nfields++;
    }
  }
  free(line);
  fclose(f);
  return 0;
}

void vec_free(vec_file *vf) {
  for (size_t i = 0; i < vf->n; i++) {
    for (size_t k = 0; k < vf->msgs[i].nfields; k++) {
      free(vf->msgs[i].fields[k].name);
      free(vf->msgs[i].fields[k].value);
    }
    free(vf->msgs[i].fields);
    free(vf->msgs[i].bytes);
  }
  free(vf->msgs);
  vf->msgs = NULL;
  vf->n = 0;
}

const char *vec_get(const vec_msg *m, const char *name) {
  for (size_t k = 0; k < m->nfields; k++)
    if (!strcmp(m->fields[k].name, name)) return m->fields[k].value;
  return NULL;
}

int vec_load_data(const char *name, vec_file *vf) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", SMBW_TEST_DIR, name);
  return vec_load(path, vf);
}

/* The files vec_data() loaded: the tests keep views into them until they
   exit, so they stay loaded (and reachable: not static, so the stores are
   not optimised away) for the life of the program. */
vec_file *vec_kept[16];
static char kept_name[16][256];
static size_t nkept;

/* A file is loaded once per process: with CK_FORK=no (valgrind) every
   test case of a suite runs in one process and asks again. */
const vec_file *vec_data(const char *name, size_t max) {
  for (size_t i = 0; i < nkept; i++)
    if (strcmp(kept_name[i], name) == 0 && vec_kept[i]->n <= max) return vec_kept[i];
  /* (the name is copied: callers pass buffers they reuse) */
  vec_file *vf = nkept < sizeof vec_kept / sizeof vec_kept[0] ? calloc(1, sizeof *vf) : NULL;
  if (!vf || vec_load_data(name, vf) != 0 || vf->n == 0 || vf->n > max) {
    fprintf(stderr, "cannot read %s/%s (or it has no or too many records)\n", SMBW_TEST_DIR, name);
    exit(EXIT_FAILURE);
  }
  snprintf(kept_name[nkept], sizeof kept_name[nkept], "%s", name);
  vec_kept[nkept++] = vf;
  return vf;
}

const char *vec_nth(const vec_msg *m, const char *name, unsigned k, char *buf, size_t cap) {
  const char *v = vec_get(m, name);
  if (!v) return NULL;
  for (; k; k--) {
    v = strchr(v, '|');
    if (!v) return NULL;
    v++;
  }
  size_t n = strcspn(v, "|");
  if (n >= cap) return NULL;
  memcpy(buf, v, n);
  buf[n] = 0;
  return buf;
}

unsigned long long vec_num(const vec_msg *m, const char *name, unsigned k,
                           unsigned long long dflt) {
  char b[64];
  const char *v = vec_nth(m, name, k, b, sizeof b);
  return v && *v ? strtoull(v, NULL, 0) : dflt;
}

uint8_t *vec_bytes(const vec_msg *m, const char *name, size_t *len) {
  const char *v = vec_get(m, name);
  size_t n = v ? strlen(v) / 2 : 0;
  uint8_t *b = malloc(n + 1);
  for (size_t i = 0; i < n; i++)
    b[i] = (uint8_t)(hexval(v[2 * i]) << 4 | hexval(v[2 * i + 1]));
  *len = n;
  return b;
}

static int cmp_path(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int vec_list(char **out, int max) {
  const char *dirs = getenv("SMBW_VEC_DIRS");
  if (!dirs) dirs = "tests/golden";
  char *copy = strdup(dirs), *save = NULL;
  int n = 0;
  for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
    DIR *dp = opendir(d);
    struct dirent *e;
    if (!dp) continue;
    while ((e = readdir(dp)) && n < max) {
      size_t l = strlen(e->d_name);
      if (l > 4 && !strcmp(e->d_name + l - 4, ".vec")) {
        out[n] = malloc(strlen(d) + l + 2);
        sprintf(out[n++], "%s/%s", d, e->d_name);
      }
    }
    closedir(dp);
  }
  free(copy);
  qsort(out, (size_t)n, sizeof *out, cmp_path);
  return n;
}
