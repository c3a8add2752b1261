/**
 * @file common.h
 * @brief Types shared by every layer of smbwire: byte views, the export
 *        macro and the error-position record.
 *
 * Ownership rule for the whole library: a decoder never copies payload.
 * Every pointer it stores in an output struct points into the buffer the
 * caller passed in, and stays valid exactly as long as that buffer does.
 */
#ifndef SMBWIRE_COMMON_H
#define SMBWIRE_COMMON_H

#include <stddef.h>
#include <stdint.h>

/**
 * @def SMBW_API
 * Marks a declaration as part of the exported API.  Empty for callers; when
 * the library itself is compiled (SMBW_BUILDING) it gives the symbol default
 * visibility, every other symbol of the library being hidden.  Exported
 * symbols are versioned (SMBWIRE_0.1, ...; see doc/abi.md).
 */
#if defined(SMBW_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define SMBW_API __attribute__((visibility("default")))
#else
#define SMBW_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * How SMB messages are framed on a byte stream: the one enum taken by the
 * NBSS framer (smbw_nbss_frame()), the NBSS header encoder and the message
 * builder (smbw_builder_init()).
 */
enum smbw_framing {
  SMBW_FRAMING_NONE = 0,  /**< no framing: the SMB message alone (builder only;
                               the framer refuses it) */
  SMBW_FRAMING_NBT = 1,   /**< NetBIOS session service, port 139: 4-byte header,
                               17-bit length (RFC 1002 4.3.1) */
  SMBW_FRAMING_DIRECT = 2 /**< direct TCP, port 445: 4-byte header, 24-bit
                               length (MS-SMB 2.1) */
};

/**
 * A read-only view of bytes inside a caller's buffer.
 *
 * Ownership: the bytes belong to whoever owns the buffer the view points
 * into (the input buffer for decoders, the caller's own data for encoders);
 * the view never owns or frees anything and is valid exactly as long as
 * that buffer.  Bounds: @c data[0 .. @c len) is readable; decoders only
 * produce views that lie inside their input.  @c data is NULL only when
 * @c len is 0 and the item is absent.
 */
typedef struct smbw_bytes {
  const uint8_t *data; /**< first byte, or NULL when absent */
  uint32_t len;        /**< number of bytes */
} smbw_bytes;

/**
 * Where and why a decode failed.  Every decoder takes an optional
 * (nullable) pointer to one of these and fills it on failure only; on
 * success it is left untouched.  @c field points at a static string owned
 * by the library (never freed, valid for the life of the process).
 * See doc/errors.md for the error model.
 */
typedef struct smbw_error {
  int code;          /**< one of the negative SMBW_E_* codes */
  uint32_t offset;   /**< offset of the offending field: from the start of the
                          NBSS packet for NBSS functions, from the first byte
                          of the SMB header (0xFF 'S' 'M' 'B') otherwise */
  const char *field; /**< static name of the field, as named in MS-CIFS
                          (for example "AndXOffset"); never NULL on failure */
} smbw_error;

#ifdef __cplusplus
}
#endif
#endif
