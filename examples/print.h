/*
 * Human-readable dump of NBSS packets and the SMB1 messages they carry,
 * decoded with smbwire: shared by the example client and capture tools.
 */
#ifndef SMBWIRE_EXAMPLES_PRINT_H
#define SMBWIRE_EXAMPLES_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/**
 * Print one NBSS packet (4-byte header included) and, for a session
 * message, the SMB header and every block of its AndX chain with the
 * fields of the commands smbwire has typed decoders for.
 *
 * Never trusts the input: malformed packets are printed as far as they
 * decode, followed by the library's error name, offset and field.
 *
 * @param out          where to print
 * @param nbss_frame   the packet, starting at the NBSS header
 * @param len          its length (bytes past the packet are ignored)
 * @param transport    SMBW_FRAMING_NBT or SMBW_FRAMING_DIRECT
 * @param from_server  nonzero for server-to-client packets
 * @return 0, or the first negative smbwire error met while decoding.
 */
int print_message(FILE *out, const uint8_t *nbss_frame, size_t len, int transport,
                  int from_server);

/* The field tree of one SMB1 message p[0..len) without NBSS framing (the
   user data of a NetBIOS datagram).  Returns 0 or the first error. */
int print_smb(FILE *out, const uint8_t *p, size_t len, int from_server);

#endif
