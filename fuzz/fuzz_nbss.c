/*
 * libFuzzer target: the NBSS framer and packet decoders.  Byte 0 picks the
 * transport; the rest is a byte stream framed packet after packet, and
 * every framed packet is decoded by its type's decoder.  Asserts the
 * security model: a complete frame never claims bytes that are not there,
 * "need more" always asks for at least one byte, and an encoder's output
 * decodes back to the same value.
 */
#include <smbwire/smbwire.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  int tr = (data[0] & 1) ? SMBW_TRANSPORT_DIRECT : SMBW_TRANSPORT_NBT;
  const uint8_t *p = data + 1;
  size_t n = size - 1;
  unsigned steps = 0;
  while (n > 0) {
    smbw_nbss f;
    size_t need = 0;
    smbw_error e;
    int rc = smbw_nbss_frame(p, n, tr, &f, &need, &e);
    CHECK(++steps <= size); /* every step consumes at least 4 bytes */
    if (rc < 0) {
      CHECK(e.code == rc && e.field != NULL && e.offset < 4);
      return 0;
    }
    if (rc == 0) {
      CHECK(need >= 1);
      return 0;
    }
    CHECK((size_t)rc <= n && (size_t)rc == 4u + f.length && f.payload == p + 4);
    if (f.type == SMBW_NBSS_SESSION_REQUEST) {
      smbw_nbss_session_request r;
      if (smbw_nbss_session_request_decode(&f, &r, &e) == 0) {
        uint8_t out[600];
        size_t len;
        CHECK(smbw_nbss_session_request_encode(out, sizeof out, &r, &len) == 0);
        CHECK(len == (size_t)rc && memcmp(out + 4, p + 4, len - 4) == 0);
        char txt[300];
        smbw_nb_scope_to_text(r.called.scope, txt, sizeof txt, NULL);
        smbw_nb_name_get(&r.calling, txt);
      } else {
        CHECK(e.offset <= 4u + f.length);
      }
    } else if (f.type == SMBW_NBSS_NEGATIVE_RESPONSE) {
      uint8_t code;
      CHECK(smbw_nbss_negative_decode(&f, &code, &e) == 0);
    } else if (f.type == SMBW_NBSS_RETARGET_RESPONSE) {
      uint32_t ip;
      uint16_t port;
      uint8_t out[10];
      CHECK(smbw_nbss_retarget_decode(&f, &ip, &port, &e) == 0);
      CHECK(smbw_nbss_retarget_encode(out, sizeof out, ip, port, NULL) == 0);
      CHECK(memcmp(out + 4, p + 4, 6) == 0);
    }
    p += rc;
    n -= (size_t)rc;
  }
  return 0;
}
