/*
 * Replay driver: runs a fuzz target's LLVMFuzzerTestOneInput over files
 * and directories without libFuzzer, so every build (gcc, clang with
 * ASan+UBSan, coverage, valgrind) replays the corpora and the regressions
 * as a normal test.  Arguments starting with '-' are ignored (the same
 * command line as `fuzz_x -runs=0 dir...` works).  Each input is copied to
 * a heap buffer of exactly its size, as libFuzzer does.
 *
 * usage: replay_x [-flags] file-or-dir...
 */
#ifndef _DEFAULT_SOURCE
#define _DEFAULT_SOURCE
#endif
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long runs;

static int run_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "replay: cannot open %s\n", path);
    return 1;
  }
  if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return 1; }
  long n = ftell(f);
  rewind(f);
  if (n < 0) { fclose(f); return 1; }
  uint8_t *buf = malloc(n ? (size_t)n : 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "replay: cannot read %s\n", path);
    free(buf);
    fclose(f);
    return 1;
  }
  fclose(f);
  if (getenv("REPLAY_VERBOSE")) fprintf(stderr, "replay: %s\n", path);
  LLVMFuzzerTestOneInput(buf, (size_t)n);
  free(buf);
  runs++;
  return 0;
}

static int cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "replay: no such file or directory: %s\n", path);
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) return run_file(path);
  DIR *d = opendir(path);
  if (!d) return 1;
  char **names = NULL;
  size_t n = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char **nn = realloc(names, (n + 1) * sizeof *names);
    if (!nn) break;
    names = nn;
    names[n] = malloc(strlen(path) + strlen(e->d_name) + 2);
    sprintf(names[n], "%s/%s", path, e->d_name);
    n++;
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    bad |= run_path(names[i]);
    free(names[i]);
  }
  free(names);
  return bad;
}

int main(int argc, char **argv) {
  int bad = 0;
  for (int i = 1; i < argc; i++)
    if (argv[i][0] != '-') bad |= run_path(argv[i]);
  /* "replay-NAME: 1 passed, 0 failed", NAME from replay_NAME. */
  const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
  base = base ? base + 1 : argc > 0 ? argv[0] : "replay";
  if (!strncmp(base, "replay_", 7)) base += 7;
  printf("replayed %lu inputs\n", runs);
  printf("replay-%s: %d passed, %d failed\n", base, bad ? 0 : 1, bad ? 1 : 0);
  return bad;
}
