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

#if defined(SMBW_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define SMBW_API __attribute__((visibility("default")))
#else
#define SMBW_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A read-only view of bytes inside a caller's buffer.
 *
 * @c data is NULL only when @c len is 0 and the item is absent.
 */
typedef struct smbw_bytes {
  const uint8_t *data; /**< first byte, or NULL when absent */
  uint32_t len;        /**< number of bytes */
} smbw_bytes;

/**
 * Where and why a decode failed.  Every decoder takes an optional
 * (nullable) pointer to one of these and fills it on failure only.
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
