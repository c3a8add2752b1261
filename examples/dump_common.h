/*
 * Small helpers shared by smbdump's modules (header only, nothing mutable).
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_COMMON_H
#define SMBWIRE_EXAMPLES_DUMP_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Out of memory: smbdump's exit status 2. */
static inline void dump_oom(void) {
  fprintf(stderr, "smbdump: out of memory\n");
  exit(2);
}

static inline uint16_t dump_le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static inline uint32_t dump_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

#endif
