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

#ifdef __cplusplus
}
#endif
#endif

/* The typed calls smbw_*_decode() / smbw_*_encode() of this header's
   structs come from the message descriptions (form.h, commands.h). */
#include <smbwire/commands.h>
