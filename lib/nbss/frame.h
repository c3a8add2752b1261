/*
 * The NBSS framer's body (RFC 1002 4.3.1, MS-SMB 2.1), inline for both
 * smbw_nbss_frame() and the one-call smbw_parse_(), so that neither calls
 * the other through the PLT.  Offsets in errors count from the NBSS header.
 */
#ifndef SMBW_FRAME_H
#define SMBW_FRAME_H

#include "../core/internal.h"

static inline int smbw_frame(const uint8_t *buf, size_t len, int framing,
                             smbw_nbss *f, size_t *need, smbw_error *err) {
  if (SMBW_UNLIKELY((!buf && len) ||
                    (framing != SMBW_FRAMING_NBT && framing != SMBW_FRAMING_DIRECT)))
    return smbw_fail(err, SMBW_E_INVAL, 0, "framing");
  if (len < SMBW_NBSS_HEADER_SIZE) {
    /* Reject a bad first byte as early as it is seen. */
    if (len >= 1) {
      uint8_t t = buf[0];
      if (framing == SMBW_FRAMING_DIRECT ? (t != 0 && t != SMBW_NBSS_KEEPALIVE)
                                             : (t != 0 && (t < 0x81 || t > 0x85)))
        return smbw_fail(err, SMBW_E_NBSS_TYPE, 0, "Type");
    }
    if (need) *need = SMBW_NBSS_HEADER_SIZE - len;
    return 0;
  }
  /* The 4 header bytes as one big-endian word: type, flags, length. */
  uint32_t word = ((uint32_t)buf[0] << 24) | ((uint32_t)buf[1] << 16) |
                  ((uint32_t)buf[2] << 8) | buf[3];
  uint8_t type = (uint8_t)(word >> 24), flags = (uint8_t)(word >> 16);
  uint32_t plen;
  if (framing == SMBW_FRAMING_DIRECT) {
    /* MS-SMB 2.1: a zero byte then a 24-bit length.  Samba also sends NBSS
       keepalives on port 445; accept them (length must be 0). */
    plen = word & 0xFFFFFFu;
    if (SMBW_UNLIKELY(type != 0)) {
      if (type != SMBW_NBSS_KEEPALIVE) return smbw_fail(err, SMBW_E_NBSS_TYPE, 0, "Type");
      if (plen != 0) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
    }
  } else {
    if (flags & 0xFEu) return smbw_fail(err, SMBW_E_NBSS_FLAGS, 1, "Flags");
    plen = word & 0x1FFFFu;
    switch (type) {
    case SMBW_NBSS_SESSION_MESSAGE:
    case SMBW_NBSS_SESSION_REQUEST: /* its names are checked by the decoder */
      break;
    case SMBW_NBSS_POSITIVE_RESPONSE:
    case SMBW_NBSS_KEEPALIVE:
      if (plen != 0) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
      break;
    case SMBW_NBSS_NEGATIVE_RESPONSE:
      if (plen != 1) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
      break;
    case SMBW_NBSS_RETARGET_RESPONSE:
      if (plen != 6) return smbw_fail(err, SMBW_E_NBSS_LENGTH, 1, "Length");
      break;
    default:
      return smbw_fail(err, SMBW_E_NBSS_TYPE, 0, "Type");
    }
  }
  size_t total = (size_t)plen + SMBW_NBSS_HEADER_SIZE;
  if (len < total) {
    if (need) *need = total - len;
    return 0;
  }
  if (f) {
    f->type = type;
    f->flags = flags;
    f->length = plen;
    f->payload = buf + SMBW_NBSS_HEADER_SIZE;
  }
  return (int)total;
}

#endif
