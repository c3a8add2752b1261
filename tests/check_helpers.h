/*
 * Small helpers shared by the Check test programs.
 */
#ifndef SMBWIRE_TESTS_CHECK_HELPERS_H
#define SMBWIRE_TESTS_CHECK_HELPERS_H

#include <check.h>
#include <stdlib.h>

/* Run every test of s (CK_NORMAL output): main()'s exit status. */
static inline int run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
