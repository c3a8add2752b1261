/*
 * First-level encoded NetBIOS names (RFC 1001 14.1) with their scope, as
 * the session request (nbss.c) and the datagram service (dgram.c) carry
 * them.  Library-internal.
 */
#ifndef SMBW_NB_NAME_H
#define SMBW_NB_NAME_H

#include "../core/internal.h"

/* Size of an encoded name without scope: length byte 32, 32 half-ASCII
   bytes, the final zero length byte. */
#define NB_NAME_MIN 34u

/* Decode one name at frame[*pos .. end); *pos moves past it.  n is written
   even on failure (the callers decode into a temporary).  Offsets in err
   count from frame. */
SMBW_HIDDEN int smbw_nb_name_decode(const uint8_t *frame, uint32_t *pos, uint32_t end,
                                    smbw_nb_name *n, smbw_error *err);
/* 1 when p[0..n) are valid wire scope labels (1..63 bytes each, at most
   254 bytes). */
SMBW_HIDDEN int smbw_nb_scope_valid(const uint8_t *p, uint32_t n);
/* Encoded size of n: 34 plus its scope. */
static inline uint32_t smbw_nb_name_size(const smbw_nb_name *n) { return NB_NAME_MIN + n->scope.len; }
/* Write n at p (smbw_nb_name_size(n) bytes); returns the byte after it. */
SMBW_HIDDEN uint8_t *smbw_nb_name_encode(uint8_t *p, const smbw_nb_name *n);

#endif
