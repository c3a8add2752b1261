/**
 * @file session.h
 * @brief SMB_COM_SESSION_SETUP_ANDX (0x73) request and response
 *        (MS-CIFS 2.2.4.53, MS-SMB 2.2.4.6).
 *
 * Conventions as in negotiate.h: decoders return 0, SMBW_E_INVAL,
 * SMBW_E_COMMAND or the errors listed; encoders return 0 or the builder's
 * sticky error.  Strings follow FLAGS2_UNICODE of the message, with the
 * UTF-16 alignment pad counted from the start of the SMB header.
 */
#ifndef SMBWIRE_SESSION_H
#define SMBWIRE_SESSION_H

#include <smbwire/message.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * SESSION_SETUP_ANDX request, in the form chosen by @c wct:
 *  - 10: LANMAN: @c password is AccountPassword; strings account_name,
 *        primary_domain, native_os, native_lanman;
 *  - 13: NT LM 0.12: @c password is OEMPassword (case-insensitive),
 *        @c unicode_password is UnicodePassword (case-sensitive),
 *        @c capabilities; same four strings;
 *  - 12: extended security: @c security_blob, @c capabilities; strings
 *        native_os, native_lanman and (sent by some clients) primary_domain.
 */
typedef struct smbw_session_setup_andx_req {
  uint8_t wct;                /**< form: 10, 12 or 13 */
  smbw_andx andx;             /**< AndX header */
  uint16_t max_buffer_size;   /**< MaxBufferSize */
  uint16_t max_mpx_count;     /**< MaxMpxCount */
  uint16_t vc_number;         /**< VcNumber */
  uint32_t session_key;       /**< SessionKey */
  uint32_t reserved;          /**< Reserved */
  uint32_t capabilities;      /**< Capabilities (12, 13) */
  smbw_bytes password;        /**< AccountPassword (10) / OEMPassword (13) */
  smbw_bytes unicode_password;/**< UnicodePassword (13) */
  smbw_bytes security_blob;   /**< SecurityBlob (12) */
  smbw_str account_name;      /**< AccountName (10, 13) */
  smbw_str primary_domain;    /**< PrimaryDomain */
  smbw_str native_os;         /**< NativeOS */
  smbw_str native_lanman;     /**< NativeLanMan */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_session_setup_andx_req;

/**
 * Decode a SESSION_SETUP_ANDX request.  Strings follow FLAGS2_UNICODE of
 * the block's message; strings missing from the end of the byte area are
 * absent (NULL @c data), not an error.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields; unused fields are zero
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 10, 12 or 13),
 *         SMBW_E_FIELD_LENGTH (a password or blob length larger than the
 *         byte area).
 */
SMBW_API int smbw_session_setup_andx_req_decode(const smbw_block *b,
    smbw_session_setup_andx_req *out, smbw_error *err);

/**
 * Append a SESSION_SETUP_ANDX request block.  The length words are written
 * from the views; strings are converted to the message's encoding, UTF-16
 * ones aligned to an even offset from the SMB header.  An absent string
 * followed by a present one is written as an empty string.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, unknown
 *         @c wct, or a view among @c password, @c unicode_password,
 *         @c security_blob and @c extra with NULL data and a length),
 *         SMBW_E_RANGE (one of those views over 65535 bytes, or data too
 *         long for the block), SMBW_E_STR_ENCODING (a string that cannot be
 *         encoded).
 */
SMBW_API int smbw_session_setup_andx_req_encode(smbw_builder *bld,
    const smbw_session_setup_andx_req *r);

/** Action bit of the response: logged in as guest. */
#define SMBW_SESSION_ACTION_GUEST 0x0001u

/**
 * SESSION_SETUP_ANDX response: @c wct 3 (no blob), 4 (extended security,
 * with @c security_blob), or 0 (error response).
 */
typedef struct smbw_session_setup_andx_rsp {
  uint8_t wct;              /**< form: 0, 3 or 4 */
  smbw_andx andx;           /**< AndX header */
  uint16_t action;          /**< Action, SMBW_SESSION_ACTION_* */
  smbw_bytes security_blob; /**< SecurityBlob (4) */
  smbw_str native_os;       /**< NativeOS */
  smbw_str native_lanman;   /**< NativeLanMan */
  smbw_str primary_domain;  /**< PrimaryDomain */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_session_setup_andx_rsp;

/**
 * Decode a SESSION_SETUP_ANDX response.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields; unused fields are zero
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 0, 3 or 4),
 *         SMBW_E_FIELD_LENGTH (SecurityBlobLength larger than the byte
 *         area).
 */
SMBW_API int smbw_session_setup_andx_rsp_decode(const smbw_block *b,
    smbw_session_setup_andx_rsp *out, smbw_error *err);

/**
 * Append a SESSION_SETUP_ANDX response block.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, @c wct not 0,
 *         3 or 4, or NULL @c security_blob or @c extra data with a length),
 *         SMBW_E_RANGE (either view over 65535 bytes, or data too long for
 *         the block),
 *         SMBW_E_STR_ENCODING (a string that cannot be encoded).
 */
SMBW_API int smbw_session_setup_andx_rsp_encode(smbw_builder *bld,
    const smbw_session_setup_andx_rsp *r);

#ifdef __cplusplus
}
#endif
#endif
