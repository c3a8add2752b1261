/*
 * libFuzzer target: the SMB header decoder (smbw_header_decode,
 * smbw_msg_decode) and the small table lookups every dissector calls on
 * header fields (command names, status names and formatting).
 *
 * Security model asserted:
 *  - decode succeeds exactly when there are 32 bytes starting 0xFF 'SMB';
 *    a failure names the field and an offset not past the input;
 *  - every field equals the little-endian bytes at its MS-CIFS offset, and
 *    encoding the decoded header gives the same 32 bytes back, into a
 *    buffer of exactly 32 bytes ending at a guard page; a smaller buffer
 *    gets SMBW_E_NOSPACE and nothing is written;
 *  - smbw_status_format never writes past its cap, always NUL-terminates,
 *    and returns the same length for every cap.
 */
#include "fuzz_common.h"

static void check_status_format(uint32_t status, int nt) {
  char full[128];
  int need = smbw_status_format(status, nt, full, sizeof full);
  CHECK(need > 0 && (size_t)need < sizeof full && strlen(full) == (size_t)need);
  CHECK(smbw_status_format(status, nt, NULL, 0) == need);
  for (size_t cap = 1; cap <= (size_t)need + 1; cap++) {
    char *o = (char *)fz_out(1, cap);
    CHECK(smbw_status_format(status, nt, o, cap) == need);
    CHECK(fz_canary_ok(1, cap));
    size_t l = strnlen(o, cap);
    CHECK(l < cap && l == ((size_t)need < cap ? (size_t)need : cap - 1));
    CHECK(memcmp(o, full, l) == 0);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > FZ_MAX) return 0;
  const uint8_t *p = fz_place(0, data, size);
  smbw_header h, h2;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_header_decode(p, size, &h, &e);
  int valid = size >= 32 && p[0] == 0xFF && p[1] == 'S' && p[2] == 'M' && p[3] == 'B';
  CHECK((rc == 0) == valid);
  smbw_msg m;
  smbw_error e2 = {0, 0, NULL};
  int rc2 = smbw_msg_decode(p, size, &m, &e2);
  CHECK(rc2 == rc);
  if (rc) {
    CHECK(fz_err_ok(&e, rc, size));
    CHECK(rc == (size < 32 ? SMBW_E_TRUNCATED : SMBW_E_HDR_PROTOCOL));
    CHECK(fz_err_ok(&e2, rc2, size) && e2.offset == e.offset);
    return 0;
  }
  CHECK(m.data == p && m.len == size);
  CHECK(h.command == p[4] && h.status == fz_ld32(p + 5) && h.flags == p[9] &&
        h.flags2 == fz_ld16(p + 10) && h.pid_high == fz_ld16(p + 12) &&
        memcmp(h.signature, p + 14, 8) == 0 && h.reserved == fz_ld16(p + 22) &&
        h.tid == fz_ld16(p + 24) && h.pid_low == fz_ld16(p + 26) &&
        h.uid == fz_ld16(p + 28) && h.mid == fz_ld16(p + 30));
  CHECK(smbw_header_pid(&h) == ((uint32_t)h.pid_high << 16 | h.pid_low));

  /* Round trip into exactly 32 guarded bytes; smaller buffers untouched. */
  uint8_t *o = fz_out(1, 32);
  CHECK(smbw_header_encode(o, 32, &h) == 0 && memcmp(o, p, 32) == 0 && fz_canary_ok(1, 32));
  CHECK(smbw_header_decode(o, 32, &h2, NULL) == 0 && memcmp(&h2.signature, &h.signature, 8) == 0);
  for (size_t cap = 0; cap < 32; cap += 7) {
    o = fz_out(1, cap);
    CHECK(smbw_header_encode(o, cap, &h) == SMBW_E_NOSPACE && fz_canary_ok(1, cap));
    for (size_t k = 0; k < cap; k++) CHECK(o[k] == 0xA5);
  }

  /* Table lookups on every header value. */
  const char *name = smbw_command_name(h.command);
  int andx = smbw_command_is_andx(h.command);
  CHECK(andx == 0 || andx == 1);
  CHECK(!andx || name != NULL);
  if (name) CHECK(strncmp(name, "SMB_COM_", 8) == 0);
  const char *s = smbw_ntstatus_name(h.status);
  if (s) CHECK(strncmp(s, "STATUS_", 7) == 0 || strlen(s) > 0);
  (void)smbw_dos_class_name(SMBW_DOS_CLASS(h.status));
  (void)smbw_dos_error_name(SMBW_DOS_CLASS(h.status), SMBW_DOS_CODE(h.status));
  (void)smbw_dos_to_ntstatus(SMBW_DOS_CLASS(h.status), SMBW_DOS_CODE(h.status));
  check_status_format(h.status, 1);
  check_status_format(h.status, 0);
  CHECK(smbw_strerror(-(int)h.command) != NULL && smbw_errname(-(int)h.command) != NULL);
  return 0;
}
