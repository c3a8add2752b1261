/*
 * smbdump's summary line: one line per NBSS packet in the manner of
 * tshark's Info column (doc/smbdump.md, "Default output").  The decoders
 * add words to it with info_add() while it is on; the FID of every
 * READ_ANDX request is remembered (a bounded table) to show it on the
 * response, like tshark.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_INFO_H
#define SMBWIRE_EXAMPLES_DUMP_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <smbwire/smbwire.h>

#include "flow.h"

#define INFO_READS 4096u       /* READ_ANDX requests remembered */
#define INFO_TEXT_MAX ((size_t)1 << 18)

typedef struct info_read {
  uint64_t key;
  uint16_t fid;
  uint8_t used;
} info_read;

typedef struct dump_info {
  char b[4096]; /* the line: tshark's COL_MAX_INFO_LEN */
  size_t n;
  int on;       /* 0: info_add() is a no-op */
  info_read reads[INFO_READS];
  char text[INFO_TEXT_MAX]; /* a string converted to UTF-8 */
} dump_info;

/* Start the line of a new packet (empty; on or off). */
void info_begin(dump_info *I, int on);
void info_add(dump_info *I, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string as UTF-8 in I->text (valid until the next call). */
const char *info_utf8(dump_info *I, const smbw_str *s);
/* READ_ANDX: remember the request's FID; add it to its response. */
void info_read_request(dump_info *I, uint32_t stream, const smbw_header *h, uint16_t fid);
void info_read_response(dump_info *I, uint32_t stream, const smbw_header *h);
/* Print the line of message m: frame, seconds since t0, addresses, stream. */
void info_print(const dump_info *I, FILE *out, const flow_msg *m, double t0);

/* tshark's names: of a command (NULL: none), of a transaction subcommand
   ("Unknown (0x....)" in buf for an undefined one). */
const char *info_command_label(uint8_t c);
const char *info_sub_label(uint8_t family, uint16_t code, char *buf, size_t cap);

#endif
