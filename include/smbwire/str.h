/**
 * @file str.h
 * @brief SMB strings: views in wire encoding and conversions into caller
 *        buffers.
 *
 * SMB1 carries strings either as OEM (8-bit, NUL-terminated) or as UTF-16LE
 * (16-bit NUL-terminated, aligned to an even offset from the start of the
 * SMB header), chosen by FLAGS2_UNICODE.  Decoders return smbw_str views in
 * the wire encoding; convert them with smbw_str_to_utf8().  Encoders accept
 * strings in any of the three encodings and convert as they write.
 */
#ifndef SMBWIRE_STR_H
#define SMBWIRE_STR_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Encoding of the bytes an smbw_str points at. */
enum smbw_str_enc {
  SMBW_STR_OEM = 0,     /**< 8-bit OEM code page (bytes >= 0x80 read as ISO-8859-1) */
  SMBW_STR_UTF16LE = 1, /**< UTF-16 little-endian, as on the wire */
  SMBW_STR_UTF8 = 2     /**< UTF-8: only ever supplied by callers to encoders */
};

/**
 * A string view.
 *
 * Decoders set @c data to NULL when the string is absent from the message
 * (the byte area ended before it), and point it at the first character
 * otherwise (after any alignment pad).  Encoders write nothing for an
 * absent string at the end of a sequence, and an empty string for an absent
 * one that a present string follows, so each decodes back into its field.  @c len counts bytes and excludes the
 * terminator.  @c unterminated is 1 when the wire string ran to the end of
 * its area without a terminator; encoders then write no terminator either,
 * so decode and encode round-trip exactly.
 */
typedef struct smbw_str {
  const uint8_t *data;  /**< first byte, or NULL when absent */
  uint32_t len;         /**< length in bytes, terminator excluded */
  uint8_t enc;          /**< enum smbw_str_enc */
  uint8_t unterminated; /**< 1: no terminator on the wire */
  uint8_t pad;          /**< value of the UTF-16 alignment pad byte before
                             the string, as sent (normally 0; encoders
                             write it back when they pad) */
} smbw_str;

/**
 * Make a view of a NUL-terminated UTF-8 C string, for passing to encoders.
 * The view points at @p s itself (nothing is copied): @p s must stay valid
 * until the encoder that receives the view has returned.  The UTF-8 is not
 * validated here; the encoder reports invalid text as SMBW_E_STR_ENCODING.
 * @param s  the string (may be NULL: gives an absent string)
 * @return the view: @c enc SMBW_STR_UTF8, @c len strlen(@p s) (the length
 *         must fit in 32 bits), terminated; @c data NULL and @c len 0 when
 *         @p s is NULL.  Never fails.
 */
SMBW_API smbw_str smbw_str_utf8(const char *s);

/**
 * Convert a string view to UTF-8 into a caller buffer, always
 * NUL-terminating when @p cap > 0.  Reads only @p s->data[0 .. @p s->len)
 * and writes only @p dst[0 .. @p cap).
 *
 * Invalid input never fails: an unpaired UTF-16 surrogate or an odd
 * trailing non-zero byte becomes U+FFFD (an odd trailing zero byte is half
 * a terminator and is dropped, as Windows ends some odd-length areas);
 * OEM bytes >= 0x80 are read as ISO-8859-1.
 *
 * @param s    the view (an absent string converts to "")
 * @param dst  output buffer, may be NULL when @p cap is 0
 * @param cap  size of @p dst in bytes
 * @param need if not NULL, receives the UTF-8 length without the NUL
  * @return 0 on success; SMBW_E_NOSPACE if @p cap < *need + 1 (the output is
 *         then truncated at a character boundary and still NUL-terminated);
 *         SMBW_E_INVAL if @p s is NULL, or @p dst is NULL with @p cap > 0.
 */
SMBW_API int smbw_str_to_utf8(const smbw_str *s, char *dst, size_t cap, size_t *need);

/**
 * Convert UTF-8 text to UTF-16LE into a caller buffer (no terminator), for
 * callers that need wire-form text outside a message, such as the NT hash
 * of a password.  Reads only @p utf8[0 .. @p len); writes only
 * @p dst[0 .. @p cap), and nothing at all unless the whole result fits.
 * @param utf8  the text (need not be NUL-terminated)
 * @param len   its length in bytes
 * @param dst   output, may be NULL when @p cap is 0
 * @param cap   size of @p dst
 * @param need  receives the UTF-16LE size in bytes (nullable); set on
 *              success and on SMBW_E_NOSPACE
 * @return 0; SMBW_E_NOSPACE (@p cap smaller than *need; nothing written);
 *         SMBW_E_STR_ENCODING for invalid UTF-8 (overlong forms,
 *         surrogates, code points above U+10FFFF, truncated sequences);
 *         SMBW_E_INVAL for a NULL @p utf8 with @p len > 0, a NULL @p dst
 *         with @p cap > 0, or @p len of 4 GiB or more.
 */
SMBW_API int smbw_utf8_to_utf16le(const char *utf8, size_t len, uint8_t *dst, size_t cap,
                                  size_t *need);

/**
 * Compare a string view with a UTF-8 C string, exactly (no case folding,
 * no normalization).  The view is converted as smbw_str_to_utf8() would
 * (invalid UTF-16 compares as U+FFFD); an absent view equals "".
 * @param s     the view (nullable: then the result is 0)
 * @param utf8  NUL-terminated UTF-8 text (nullable: then the result is 0)
 * @return 1 if equal, 0 otherwise; never fails.
 */
SMBW_API int smbw_str_eq(const smbw_str *s, const char *utf8);

#ifdef __cplusplus
}
#endif
#endif
