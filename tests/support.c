/* The helpers of check_helpers.h. */
#include "check_helpers.h"

#include <ctype.h>
#include <string.h>

int run_suite_fork(Suite *s, enum fork_status fork) {
  SRunner *sr = srunner_create(s);
  if (fork != CK_FORK_GETENV) srunner_set_fork_status(sr, fork);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

TCase *add_tcase(Suite *s, const char *name, double timeout, const TTest *const *tests) {
  TCase *tc = tcase_create(name);
  if (timeout > 0) tcase_set_timeout(tc, timeout);
  for (; *tests; tests++) tcase_add_test(tc, *tests);
  suite_add_tcase(s, tc);
  return tc;
}

void add_loop_tests(TCase *tc, int start, int end, const TTest *const *tests) {
  for (; *tests; tests++) tcase_add_loop_test(tc, *tests, start, end);
}

TCase *add_tcase_fixture(Suite *s, const char *name, double timeout, void (*setup)(void),
                         void (*teardown)(void), const TTest *const *tests) {
  TCase *tc = add_tcase(s, name, timeout, tests);
  tcase_add_checked_fixture(tc, setup, teardown);
  return tc;
}

void name_is(const char *got, const char *want, unsigned code) {
  if (!want)
    ck_assert_msg(got == NULL, "0x%02x: named %s, want no name", code, got ? got : "");
  else
    ck_assert_msg(got && strcmp(got, want) == 0, "0x%02x: named %s, want %s", code,
                  got ? got : "(null)", want);
}

static int hexdigit(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  ck_abort_msg("bad hex digit '%c'", c);
  return 0;
}

size_t unhex(const char *hex, uint8_t *out, size_t cap) {
  size_t n = 0;
  for (const char *s = hex; *s;) {
    if (isspace((unsigned char)*s)) {
      s++;
      continue;
    }
    ck_assert_msg(s[1] != 0, "odd number of hex digits");
    ck_assert_uint_lt(n, cap);
    out[n++] = (uint8_t)(hexdigit(s[0]) << 4 | hexdigit(s[1]));
    s += 2;
  }
  return n;
}

void values_are(const unsigned long long *got, const unsigned long long *want, size_t n,
                const char *names) {
  for (size_t i = 0; i < n; i++) {
    if (got[i] == want[i]) continue;
    const char *p = names;
    for (size_t k = 0; k < i && p; k++) p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL;
    ck_abort_msg("%.*s: %llu, want %llu", p ? (int)strcspn(p, " ") : 1, p ? p : "?", got[i],
                 want[i]);
  }
}

void err_is(const smbw_error *e, int code, uint32_t off, const char *field) {
  ck_assert_msg(e->code == code, "code %s, want %s (field %s at %u)", smbw_errname(e->code),
                smbw_errname(code), e->field ? e->field : "-", (unsigned)e->offset);
  ck_assert_msg(e->offset == off, "%s: offset %u, want %u", smbw_errname(code),
                (unsigned)e->offset, (unsigned)off);
  ck_assert_ptr_nonnull(e->field);
  ck_assert_str_eq(e->field, field);
}
