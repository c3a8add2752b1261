/*
 * The helpers shared by the Check test programs (tests/support.c, linked
 * into every test with tests/dissect.c and tests/vec.c): running a suite,
 * adding a TCase of tests in one call, hex, little-endian words, and the
 * assertion that an error is the expected one.
 */
#ifndef SMBWIRE_TESTS_CHECK_HELPERS_H
#define SMBWIRE_TESTS_CHECK_HELPERS_H

#include <check.h>
#include <smbwire/smbwire.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* Run every test of s (CK_NORMAL output; fork: CK_FORK, CK_NOFORK or
   CK_FORK_GETENV for Check's default): main()'s exit status. */
int run_suite_fork(Suite *s, enum fork_status fork);
static inline int run_suite(Suite *s) { return run_suite_fork(s, CK_FORK_GETENV); }

/* A TCase named name in s with the given tests (TESTS(a, b, ...)), and
   a timeout in seconds unless 0; returns it for fixtures and loop tests. */
#define TESTS(...) ((const TTest *const[]){__VA_ARGS__, NULL})
TCase *add_tcase(Suite *s, const char *name, double timeout, const TTest *const *tests);
/* Each of tests as a loop test over _i in [start, end). */
void add_loop_tests(TCase *tc, int start, int end, const TTest *const *tests);
/* The same with a checked fixture (setup and teardown around each test). */
TCase *add_tcase_fixture(Suite *s, const char *name, double timeout, void (*setup)(void),
                         void (*teardown)(void), const TTest *const *tests);

/* A name table's test: fn(code) is each row's name, or NULL where the row
   has none: CHECK_NAMES(smbw_nbss_type_name, {0x00, "SESSION_MESSAGE"},
   {0x86, NULL}). */
typedef struct code_name {
  unsigned code;
  const char *name;
} code_name;
void name_is(const char *got, const char *want, unsigned code);
#define CHECK_NAMES(fn, ...)                                                          \
  do {                                                                                \
    static const code_name rows_[] = {__VA_ARGS__};                                   \
    for (size_t i_ = 0; i_ < sizeof rows_ / sizeof rows_[0]; i_++)                    \
      name_is(fn((uint8_t)rows_[i_].code), rows_[i_].name, rows_[i_].code);           \
  } while (0)

/* Hex digits (whitespace between bytes allowed) into out; fails the test
   on a bad digit, an odd count or more than cap bytes.  Returns the
   length. */
size_t unhex(const char *hex, uint8_t *out, size_t cap);

/* got[i] == want[i] for each of n values; names lists them, space
   separated, for the message. */
void values_are(const unsigned long long *got, const unsigned long long *want, size_t n,
                const char *names);
#define VALUES_ARE(names, got, want) values_are(got, want, sizeof(got) / sizeof(got)[0], names)

/* The error record holds code, offset and field. */
void err_is(const smbw_error *e, int code, uint32_t off, const char *field);

/* Little-endian words. */
static inline uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t rd32(const uint8_t *p) {
  return (uint32_t)rd16(p) | ((uint32_t)rd16(p + 2) << 16);
}
static inline void wr_le(uint8_t *p, uint32_t v, unsigned n) {
  for (unsigned i = 0; i < n; i++) p[i] = (uint8_t)(v >> 8 * i);
}
static inline void wr16(uint8_t *p, uint16_t v) { wr_le(p, v, 2); }
static inline void wr32(uint8_t *p, uint32_t v) { wr_le(p, v, 4); }

/* A view of n bytes at p. */
static inline smbw_bytes bytes_view(const uint8_t *p, size_t n) {
  smbw_bytes v = {p, (uint32_t)n};
  return v;
}

/* Room for any one message of the seed commands. */
typedef union any_msg {
  smbw_negotiate_req nq;
  smbw_negotiate_rsp nr;
  smbw_session_setup_andx_req sq;
  smbw_session_setup_andx_rsp sr;
  smbw_tree_connect_andx_req tq;
  smbw_tree_connect_andx_rsp tr;
  smbw_open_andx_req oq;
  smbw_open_andx_rsp orr;
  smbw_read_andx_req rq;
  smbw_read_andx_rsp rr;
} any_msg;

#endif
