/* LOCKING_ANDX range records (MS-CIFS 2.2.4.32.1): LOCKING_ANDX_RANGE32
   (PID, ByteOffset, LengthInBytes: 10 bytes) and LOCKING_ANDX_RANGE64
   (PID, Pad, OffsetHigh, OffsetLow, LengthHigh, LengthLow: 20 bytes).
   The areas themselves are items of the LOCKING_ANDX request form. */
#include "form.h"

static uint32_t range_size(uint8_t type_of_lock) {
  return (type_of_lock & SMBW_LOCKING_LARGE_FILES) ? 20u : 10u;
}

SMBW_API int smbw_lock_range_get(smbw_bytes area, uint8_t type_of_lock, uint32_t i,
                                 smbw_lock_range *out) {
  uint32_t size = range_size(type_of_lock);
  if (!out || smbw_view_bad(area) || i >= area.len / size) return SMBW_E_INVAL;
  const uint8_t *p = area.data + (size_t)i * size;
  smbw_lock_range r;
  r.pid = ld16(p);
  if (size == 10) {
    r.pad = 0;
    r.offset = ld32(p + 2);
    r.length = ld32(p + 6);
  } else {
    r.pad = ld16(p + 2);
    r.offset = (uint64_t)ld32(p + 4) << 32 | ld32(p + 8);
    r.length = (uint64_t)ld32(p + 12) << 32 | ld32(p + 16);
  }
  *out = r;
  return 0;
}

SMBW_API int smbw_lock_ranges_encode(uint8_t *buf, size_t cap, uint8_t type_of_lock,
                                     const smbw_lock_range *r, size_t n, size_t *len) {
  if ((!buf && cap) || (!r && n)) return SMBW_E_INVAL;
  uint32_t size = range_size(type_of_lock);
  if (n > 0xFFFF) return SMBW_E_RANGE; /* NumberOfRequested* is 16 bits */
  for (size_t i = 0; i < n; i++)
    if (size == 10 && (r[i].offset > 0xFFFFFFFFu || r[i].length > 0xFFFFFFFFu || r[i].pad))
      return SMBW_E_RANGE;
  size_t total = n * size;
  if (len) *len = total;
  if (total > cap) return SMBW_E_NOSPACE;
  for (size_t i = 0; i < n; i++) {
    uint8_t *p = buf + i * size;
    st16(p, r[i].pid);
    if (size == 10) {
      st32(p + 2, (uint32_t)r[i].offset);
      st32(p + 6, (uint32_t)r[i].length);
    } else {
      st16(p + 2, r[i].pad);
      st32(p + 4, (uint32_t)(r[i].offset >> 32));
      st32(p + 8, (uint32_t)r[i].offset);
      st32(p + 12, (uint32_t)(r[i].length >> 32));
      st32(p + 16, (uint32_t)r[i].length);
    }
  }
  return 0;
}
