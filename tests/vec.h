/* Test helper: reader for the golden .vec files written by
   tests/golden/extract.py (format in tests/golden/README.md). */
#ifndef SMBW_TEST_VEC_H
#define SMBW_TEST_VEC_H

#include <stddef.h>
#include <stdint.h>

typedef struct vec_field {
  char *name;
  char *value; /* as written: escapes kept, '|' separates occurrences */
} vec_field;

typedef struct vec_msg {
  unsigned frame;
  int c2s;
  uint8_t *bytes; /* whole NBSS packet */
  size_t len;
  vec_field *fields;
  size_t nfields;
} vec_msg;

typedef struct vec_file {
  vec_msg *msgs;
  size_t n;
} vec_file;

/* The .vec files of the colon-separated directories in SMBW_VEC_DIRS
   (default tests/golden), sorted by path, at most max of them, into out
   (malloc'd strings).  Returns how many. */
int vec_list(char **out, int max);

int vec_load(const char *path, vec_file *vf);
void vec_free(vec_file *vf);
const char *vec_get(const vec_msg *m, const char *name);

#endif
