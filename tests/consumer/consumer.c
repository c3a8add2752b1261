/*
 * A program outside the smbwire tree, built only with
 * `pkg-config --cflags --libs smbwire` against an installed copy: encode a
 * NEGOTIATE request, frame it, decode it back, and check every field.
 * Written in the common subset of C99 and C++11 so that run.sh also builds
 * it as C++ (extern "C" linkage of the installed headers).
 * Prints "consumer-program: N passed, M failed"; exits 0 when all passed.
 */
#include <smbwire/smbwire.h>

#include <stdio.h>
#include <string.h>

static int passed, failed;

static void check(int cond, const char *what) {
  if (cond) {
    passed++;
  } else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

int main(void) {
  static const char *const dialects[] = {"PC NETWORK PROGRAM 1.0", "LANMAN1.0", "NT LM 0.12"};
  uint8_t buf[256];
  size_t len = 0;
  smbw_header h;
  smbw_negotiate_req req;
  smbw_builder b;

  check(smbw_version() == SMBW_VERSION_NUMBER, "runtime version equals header version");
  check(strcmp(smbw_version_string(), SMBW_VERSION_STRING) == 0, "version strings agree");

  memset(&h, 0, sizeof h);
  h.flags2 = SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_LONG_NAMES;
  h.pid_low = 0x1234;
  h.mid = 7;
  memset(&req, 0, sizeof req);
  req.names = dialects;
  req.count = 3;
  check(smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &h) == 0, "builder_init");
  check(smbw_negotiate_req_encode(&b, &req) == 0, "negotiate_req_encode");
  check(smbw_builder_finish(&b, &len) == 0, "builder_finish");

  smbw_nbss f;
  size_t need = 0;
  smbw_error err;
  memset(&err, 0, sizeof err);
  check(smbw_nbss_frame(buf, len, SMBW_FRAMING_DIRECT, &f, &need, &err) == (int)len,
        "nbss_frame returns the whole packet");

  smbw_msg m;
  smbw_andx_iter it;
  smbw_block blk;
  smbw_negotiate_req out;
  check(smbw_msg_decode(f.payload, f.length, &m, &err) == 0, "msg_decode");
  check(m.hdr.command == SMBW_COM_NEGOTIATE && m.hdr.mid == 7 && smbw_header_pid(&m.hdr) == 0x1234,
        "header round-trips");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &err) == 1, "andx_next gives the block");
  check(smbw_negotiate_req_decode(&blk, &out, &err) == 0 && out.count == 3, "negotiate_req_decode");

  smbw_dialect_iter di;
  smbw_str name;
  unsigned i = 0;
  smbw_dialect_iter_init(&di, &out);
  while (smbw_dialect_iter_next(&di, &name) == 1 && i < 3) {
    check(smbw_str_eq(&name, dialects[i]), "dialect name round-trips");
    i++;
  }
  check(i == 3, "three dialects");
  check(smbw_andx_iter_next(&it, &blk, &err) == 0, "end of chain");

  /* An error, with its position. */
  check(smbw_msg_decode(f.payload, 10, &m, &err) == SMBW_E_TRUNCATED && err.offset == 10 &&
            err.field != NULL,
        "truncated header reports SMBW_E_TRUNCATED");
  check(strcmp(smbw_errname(SMBW_E_TRUNCATED), "SMBW_E_TRUNCATED") == 0, "errname");

  printf("consumer-program: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
