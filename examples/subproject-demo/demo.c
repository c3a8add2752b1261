/* Encode a NetBIOS session request with smbwire and decode it back. */
#include <smbwire/smbwire.h>

#include <stdio.h>
#include <string.h>

int main(void) {
  smbw_nbss_session_request req, back;
  uint8_t pkt[SMBW_NBSS_SESSION_REQUEST_SIZE];
  size_t len, need;
  smbw_nbss f;
  smbw_error err = {0, 0, NULL};
  char name[16];

  if (smbw_nb_name_set(&req.called, "*SMBSERVER", 0x20) ||
      smbw_nb_name_set(&req.calling, "DEMO", 0x00) ||
      smbw_nbss_session_request_encode(pkt, sizeof pkt, &req, &len))
    return 1;
  int n = smbw_nbss_frame(pkt, len, SMBW_FRAMING_NBT, &f, &need, &err);
  if (n != (int)len || smbw_nbss_session_request_decode(&f, &back, &err) != 0) {
    printf("demo: %s at offset %u (%s)\n", smbw_errname(n < 0 ? n : err.code),
           (unsigned)err.offset, err.field ? err.field : "?");
    return 1;
  }
  smbw_nb_name_get(&back.calling, name);
  printf("demo: smbwire %s, %zu-byte session request from %s\n", smbw_version_string(), len,
         name);
  return strcmp(name, "DEMO") == 0 ? 0 : 1;
}
