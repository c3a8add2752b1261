/**
 * @file negotiate.h
 * @brief SMB_COM_NEGOTIATE (0x72) request and response (MS-CIFS 2.2.4.52,
 *        MS-SMB 2.2.4.5).
 *
 * Conventions shared by every command header (negotiate.h, session.h,
 * tree.h, open.h, read.h):
 *
 * - Decoders take a block from smbw_andx_iter_next() and read only inside it
 *   (its words, and its data bytes; READ_ANDX data may extend to the end
 *   of the message).  Every decoder returns 0, SMBW_E_INVAL (NULL argument),
 *   SMBW_E_COMMAND (the block is another command), or the errors listed on
 *   it, and fills @c err (nullable) with the code, the offset from the SMB
 *   header and the MS-CIFS field name on failure.  The output struct may be
 *   partly written when a decoder fails.
 * - Every view (smbw_bytes, smbw_str) a decoder stores points into the
 *   message buffer and is valid as long as that buffer.
 * - Encoders append one block to an smbw_builder and copy every view they
 *   are given into the output, so the views need only live until the
 *   encoder returns.  Every encoder returns 0 or the builder's sticky error:
 *   SMBW_E_INVAL (NULL argument, unknown @c wct, a view with NULL data and
 *   a non-zero length), SMBW_E_RANGE (a field or the data area too long for
 *   its wire field), SMBW_E_STR_ENCODING (a string that cannot be written in
 *   the message's encoding: invalid UTF-8, or a character above U+00FF in a
 *   non-Unicode message), SMBW_E_STATE (no room for another block), or the
 *   first error of an earlier encoder.  Running out of buffer space is not
 *   an encoder error: smbw_builder_finish() reports it.
 */
#ifndef SMBWIRE_NEGOTIATE_H
#define SMBWIRE_NEGOTIATE_H

#include <smbwire/message.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * NEGOTIATE request: the dialect list.  Decoders fill @c dialects (a view
 * into the message) and @c count and set @c names to NULL; encoders write
 * either @c names or the raw @c dialects area.
 */
typedef struct smbw_negotiate_req {
  smbw_bytes dialects;   /**< raw Dialects area: 0x02, name, NUL, ... */
  uint16_t count;        /**< number of dialects (set by the decoder) */
  const char *const *names; /**< encoder input: if not NULL, @c count names
                                 are written instead of @c dialects */
} smbw_negotiate_req;

/**
 * Decode a NEGOTIATE request.  Every dialect is checked: it starts with
 * buffer format 0x02 and has its NUL inside the byte area.  Walk the
 * names with smbw_dialect_iter_init() and smbw_dialect_iter_next().
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the dialect area (a view into the message) and count
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 0),
 *         SMBW_E_BUFFER_FORMAT (an entry not starting with 0x02),
 *         SMBW_E_STR_UNTERMINATED (the last name has no NUL).
 */
SMBW_API int smbw_negotiate_req_decode_(const smbw_block *b, smbw_negotiate_req *out,
                                        size_t out_size, smbw_error *err);

/** smbw_negotiate_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_negotiate_req_decode(const smbw_block *b, smbw_negotiate_req *out,
                                            smbw_error *err) {
  return smbw_negotiate_req_decode_(b, out, sizeof *out, err);
}

/**
 * Append a NEGOTIATE request block (WordCount 0).
 * @param bld  the builder
 * @param r    the dialects: @c names[0 .. @c count) when @c names is not
 *             NULL (each a NUL-terminated OEM string, written with its
 *             0x02 buffer format byte), else the raw @c dialects area
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @return 0 or the builder's sticky error; SMBW_E_INVAL (NULL argument, a
 *         NULL name, or NULL dialect data with a length), SMBW_E_RANGE (the
 *         list is over 65535 bytes).
 */
SMBW_API int smbw_negotiate_req_encode_(smbw_builder *bld, const smbw_negotiate_req *r,
                                        size_t r_size);

/** smbw_negotiate_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_negotiate_req_encode(smbw_builder *bld, const smbw_negotiate_req *r) {
  return smbw_negotiate_req_encode_(bld, r, sizeof *r);
}

/**
 * Iterator over the dialects of a decoded request (private members).
 * Caller-allocated; it points into the message buffer.
 */
typedef struct smbw_dialect_iter {
  const uint8_t *p;   /**< next entry */
  const uint8_t *end; /**< end of the area */
  uintptr_t reserved_[2]; /**< room for new private state within the SONAME */
} smbw_dialect_iter;

/**
 * Start iterating the dialects of @p r.  Never fails.
 * @param it  the iterator (must not be NULL)
 * @param r   a decoded request, or one whose @c dialects the caller filled
 *            (must not be NULL; the area must outlive the iteration)
  * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
*/
SMBW_API void smbw_dialect_iter_init_(smbw_dialect_iter *it, const smbw_negotiate_req *r,
                                      size_t r_size);

/** smbw_dialect_iter_init_() with the caller's sizeof *r (doc/abi.md). */
static inline void smbw_dialect_iter_init(smbw_dialect_iter *it, const smbw_negotiate_req *r) {
  smbw_dialect_iter_init_(it, r, sizeof *r);
}

/**
 * Next dialect name (OEM, without the 0x02 and the NUL).  Reads only
 * inside the dialect area; a malformed entry (not starting with 0x02) ends
 * the iteration, and a last name without NUL is returned with
 * @c unterminated set.
 * @param it    the iterator (must not be NULL)
 * @param name  receives a view into the dialect area (must not be NULL)
 * @return 1 with @p name filled, 0 when done; never fails.
 */
SMBW_API int smbw_dialect_iter_next(smbw_dialect_iter *it, smbw_str *name);

/** @name Security mode bits of the NT LM 0.12 response
 * @{ */
#define SMBW_NEGOTIATE_USER_SECURITY 0x01u /**< user-level (not share-level) security */
#define SMBW_NEGOTIATE_ENCRYPT_PASSWORDS 0x02u /**< challenge/response authentication */
#define SMBW_NEGOTIATE_SECURITY_SIGNATURES_ENABLED 0x04u /**< the server can sign messages */
#define SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED 0x08u /**< the server requires signed messages */
/** @} */

/** DialectIndex when the server supports none of the dialects. */
#define SMBW_NEGOTIATE_NO_DIALECT 0xFFFFu

/**
 * NEGOTIATE response, in any of its forms, chosen by @c wct:
 *  - 1: core protocol or DialectIndex 0xFFFF (only @c dialect_index);
 *  - 13: LANMAN 1.0/2.x (uses @c raw_mode, @c server_time, @c server_date,
 *        16-bit @c max_buffer_size, @c challenge as EncryptionKey,
 *        @c domain_name as PrimaryDomain, always OEM);
 *  - 17: NT LM 0.12; with SMBW_CAP_EXTENDED_SECURITY in @c capabilities the
 *        data is @c server_guid and @c security_blob, otherwise
 *        @c challenge, @c domain_name and @c server_name (these strings
 *        are UTF-16 when FLAGS2_UNICODE or SMBW_CAP_UNICODE is set, as
 *        Samba and Wireshark treat them, and carry no alignment pad);
 *  - 0: an error response (no fields).
 */
typedef struct smbw_negotiate_rsp {
  uint8_t wct;              /**< form: 0, 1, 13 or 17 */
  uint16_t dialect_index;   /**< DialectIndex */
  uint16_t max_mpx_count;   /**< MaxMpxCount */
  uint16_t max_number_vcs;  /**< MaxNumberVcs */
  uint16_t raw_mode;        /**< RawMode (LANMAN) */
  uint16_t server_time;     /**< ServerTime, SMB_TIME (LANMAN) */
  uint16_t server_date;     /**< ServerDate, SMB_DATE (LANMAN) */
  int16_t server_time_zone; /**< ServerTimeZone, minutes from UTC */
  uint16_t reserved;        /**< Reserved (LANMAN) */
  uint16_t security_mode;   /**< SecurityMode (8 bits in the NT LM form) */
  uint16_t challenge_length; /**< ChallengeLength (8 bits) / EncryptionKeyLength, as read */
  uint32_t max_buffer_size; /**< MaxBufferSize */
  uint32_t max_raw_size;    /**< MaxRawSize */
  uint32_t session_key;     /**< SessionKey */
  uint32_t capabilities;    /**< Capabilities, SMBW_CAP_* */
  uint64_t system_time;     /**< SystemTime, FILETIME */
  smbw_bytes challenge;     /**< Challenge / EncryptionKey */
  smbw_str domain_name;     /**< DomainName / PrimaryDomain */
  smbw_str server_name;     /**< ServerName */
  smbw_bytes server_guid;   /**< ServerGUID, 16 bytes (extended security) */
  smbw_bytes security_blob; /**< SecurityBlob (extended security) */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_negotiate_rsp;

/**
 * Decode a NEGOTIATE response.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields of the form given by WordCount; unused
 *             fields are zero
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 0, 1, 13 or 17),
 *         SMBW_E_BCC (extended security with fewer than the 16 bytes of
 *         ServerGUID), SMBW_E_FIELD_LENGTH (ChallengeLength or
 *         EncryptionKeyLength longer than the data).
 */
SMBW_API int smbw_negotiate_rsp_decode_(const smbw_block *b, smbw_negotiate_rsp *out,
                                        size_t out_size, smbw_error *err);

/** smbw_negotiate_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_negotiate_rsp_decode(const smbw_block *b, smbw_negotiate_rsp *out,
                                            smbw_error *err) {
  return smbw_negotiate_rsp_decode_(b, out, sizeof *out, err);
}

/**
 * Append a NEGOTIATE response block.  The length fields
 * (ChallengeLength, EncryptionKeyLength) are written from the views.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @return 0 or the sticky error; SMBW_E_INVAL for a NULL argument, an
 *         unknown @c wct, a @c server_guid that is not 16 bytes (extended
 *         security), or a view (@c challenge, @c security_blob, @c extra)
 *         with NULL data and a length; SMBW_E_RANGE for a view over 65535
 *         bytes, a challenge over 255 bytes (NT LM form), or data over
 *         65535 bytes in all; SMBW_E_STR_ENCODING for a domain or server
 *         name that cannot be encoded.
 */
SMBW_API int smbw_negotiate_rsp_encode_(smbw_builder *bld, const smbw_negotiate_rsp *r,
                                        size_t r_size);

/** smbw_negotiate_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_negotiate_rsp_encode(smbw_builder *bld, const smbw_negotiate_rsp *r) {
  return smbw_negotiate_rsp_encode_(bld, r, sizeof *r);
}

#ifdef __cplusplus
}
#endif
#endif
