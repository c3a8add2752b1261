/*
 * Test helper: decode every block of one SMB message with the typed
 * decoders, report fields under tshark's names, and re-encode the message
 * from the decoded structs.  Shared by the golden-vector test, the capture
 * tests and the fuzz targets.
 */
#ifndef SMBW_TEST_DISSECT_H
#define SMBW_TEST_DISSECT_H

#include <smbwire/smbwire.h>

/* Receives "name", "value" pairs in wire order. */
typedef void (*dissect_put_fn)(void *ctx, const char *name, const char *value);

/*
 * Decode the SMB message msg[0..len).  Returns 0 or the first error (with
 * *err filled).  *used receives the end offset of the last byte any block
 * or its data covers (a truncation below it must fail).  put may be NULL.
 * *typed counts blocks decoded by a typed decoder.
 */
int dissect_msg(const uint8_t *msg, size_t len, dissect_put_fn put, void *ctx,
                smbw_error *err, size_t *used, unsigned *typed);

/*
 * Re-encode msg[0..len) from its decoded structs into out with the given
 * framing.  Returns the builder's result; *outlen receives the size.
 */
int reencode_msg(const uint8_t *msg, size_t len, int framing, uint8_t *out, size_t cap,
                 size_t *outlen);

#endif
