/*
 * Small helpers shared by the Check test programs.
 */
#ifndef SMBWIRE_TESTS_CHECK_HELPERS_H
#define SMBWIRE_TESTS_CHECK_HELPERS_H

#include <check.h>
#include <smbwire/smbwire.h>
#include <stdlib.h>

/* Run every test of s (CK_NORMAL output): main()'s exit status. */
static inline int run_suite(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
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
