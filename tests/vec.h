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
/* A data file of the test tree, by its path below tests/ (for example
   "payloads/find.vec"): vec_load() of SMBW_TEST_DIR/name.  The build sets
   SMBW_TEST_DIR to the source tree's tests/ folder. */
int vec_load_data(const char *name, vec_file *vf);
/* vec_load_data() into a vec_file kept until exit, or exit(EXIT_FAILURE)
   with a message when the file cannot be read, is empty or holds more
   than max records. */
const vec_file *vec_data(const char *name, size_t max);
extern vec_file *vec_kept[16]; /* what vec_data() loaded (see vec.c) */
void vec_free(vec_file *vf);
const char *vec_get(const vec_msg *m, const char *name);
/* The k-th '|'-separated occurrence of field name, copied into buf (cap
   bytes, NUL-terminated); NULL when the field or occurrence is absent or
   longer than cap - 1. */
const char *vec_nth(const vec_msg *m, const char *name, unsigned k, char *buf, size_t cap);
/* Field name as a number (strtoull base 0: decimal or 0x...); occurrence k
   of a '|'-separated list; dflt when absent. */
unsigned long long vec_num(const vec_msg *m, const char *name, unsigned k,
                           unsigned long long dflt);
/* Field name written as hex digits, decoded into a malloc'd buffer (*len
   bytes; never NULL, so an empty field is a valid empty array). */
uint8_t *vec_bytes(const vec_msg *m, const char *name, size_t *len);

#endif
