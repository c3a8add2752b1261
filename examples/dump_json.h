/*
 * smbdump's JSON writer: JSON Lines built in a buffer and written to a
 * stream (doc/smbdump.md has the field contract).  One jw per output; every
 * call is a no-op while it is off (on == 0), so that the decoders can call
 * it unconditionally.  Nesting is tracked to 31 levels for the commas.
 */
#ifndef SMBWIRE_EXAMPLES_DUMP_JSON_H
#define SMBWIRE_EXAMPLES_DUMP_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <smbwire/smbwire.h>

#define JW_TEXT_MAX ((size_t)1 << 18) /* one string converted to UTF-8 */
#define JW_HEX_MAX_DEFAULT 4096u      /* --hex-limit */

typedef struct jw {
  char *b;          /* pending output */
  size_t n, cap;
  FILE *out;
  int on;           /* 0: every call is a no-op */
  int depth;
  int first[32];    /* no comma needed yet at this depth */
  size_t hex_max;   /* bytes of a parameters/data/payload byte string (0: all) */
  char *text;       /* JW_TEXT_MAX bytes: a string converted to UTF-8 */
} jw;

/* Buffers for out (exits with status 2 when memory runs out); jw_free
   writes what is pending and frees them. */
void jw_init(jw *j, FILE *out, size_t hex_max);
void jw_free(jw *j);

/* Start a new line (object) of JSON Lines; end it (and write it out when
   the buffer is large). */
void jw_begin(jw *j, int on);
void jw_end(jw *j);
void jflush(jw *j);

/* Structure: a bare value separator, '{' / '[' and their closing. */
void jsep(jw *j);
void jopen(jw *j, char c);
void jclose(jw *j, char c);
void jkey(jw *j, const char *k);
void jput(jw *j, const char *s, size_t n);
void jputs(jw *j, const char *s);

/* Members: "k": value. */
void jk_open(jw *j, const char *k, char c);
void jk_u(jw *j, const char *k, uint64_t v);
void jk_i(jw *j, const char *k, int64_t v);
void jk_b(jw *j, const char *k, int v);
void jk_null(jw *j, const char *k);
void jk_s(jw *j, const char *k, const char *s);
void jk_text(jw *j, const char *k, const char *s, size_t n); /* n bytes, NULs kept */
void jk_hex(jw *j, const char *k, const uint8_t *p, size_t n);
void jk_bytes(jw *j, const char *k, smbw_bytes v);   /* absent views left out */
void jk_extra(jw *j, smbw_bytes v);                  /* "extra", only when not empty */
void jk_str(jw *j, const char *k, const smbw_str *s); /* absent strings left out */
/* Hex of at most hex_max bytes, and "<kt>": true when cut. */
void jk_hexcut(jw *j, const char *k, const char *kt, smbw_bytes v);
/* Array items: a string, a number, hex of at most hex_max bytes. */
void jitem_s(jw *j, const char *s, size_t n);
void jitem_u(jw *j, uint64_t v);
void jitem_hexcut(jw *j, smbw_bytes v);
/* An "error" / "transaction_error" / "payload_error" object. */
void jk_error(jw *j, const char *k, int rc, uint32_t offset, const char *field);

/*
 * The fields of a visit by the library (smbw_block_visit(),
 * smbw_record_visit()), as "fields" (each field's MS-CIFS name -> its
 * value: a number, hex bytes cut at hex_max with "<Name>_truncated", UTF-8
 * text, in wire order; a name met more than once maps to the array of its
 * values), "wireshark" (name -> Wireshark field, for those that have one)
 * and "bytes" (the names whose values are hex bytes).  run(arg, fn, ctx,
 * err) performs the visit; it is called again for the values.  Returns
 * the visit's error (then "fields" is empty), or 0.
 */
typedef int (*jvisit_run)(const void *arg, smbw_visit_fn fn, void *ctx, smbw_error *err);
int jk_visit(jw *j, jvisit_run run, const void *arg, smbw_error *err);

/* The string as UTF-8 in j->text (valid until the next call). */
const char *jw_utf8(jw *j, const smbw_str *s, size_t *len);

#endif
