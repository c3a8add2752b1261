/**
 * @file tree.h
 * @brief SMB_COM_TREE_CONNECT_ANDX (0x75) request and response
 *        (MS-CIFS 2.2.4.55, MS-SMB 2.2.4.7).
 *
 * Conventions as in negotiate.h.
 */
#ifndef SMBWIRE_TREE_H
#define SMBWIRE_TREE_H

#include <smbwire/message.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name TREE_CONNECT_ANDX request Flags
 * @{ */
#define SMBW_TREE_CONNECT_DISCONNECT_TID 0x0001u /**< disconnect the tree in the header's TID first */
#define SMBW_TREE_CONNECT_EXTENDED_SIGNATURES 0x0004u /**< ask for extended signatures (MS-SMB) */
#define SMBW_TREE_CONNECT_EXTENDED_RESPONSE 0x0008u /**< ask for the 7-word extended response */
/** @} */

/** TREE_CONNECT_ANDX request (4 words). */
typedef struct smbw_tree_connect_andx_req {
  uint8_t wct;         /**< form: 4 (0 picks it when encoding) */
  smbw_andx andx;      /**< AndX header */
  uint16_t flags;      /**< Flags, SMBW_TREE_CONNECT_* */
  smbw_bytes password; /**< Password (PasswordLength bytes) */
  smbw_str path;       /**< Path, UNC \\\\server\\share */
  smbw_str service;    /**< Service, always OEM: "A:", "LPT1:", "IPC", "COMM", "?????" */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_tree_connect_andx_req;

/** @name OptionalSupport bits of the response
 * @{ */
#define SMBW_SUPPORT_SEARCH_BITS 0x0001u /**< the share supports search attribute bits */
#define SMBW_SHARE_IS_IN_DFS 0x0002u /**< the share is managed by DFS */
#define SMBW_SUPPORT_EXTENDED_SIGNATURES 0x0020u /**< extended signatures are in use (MS-SMB) */
/** @} */

/**
 * TREE_CONNECT_ANDX response: @c wct 2 (no OptionalSupport), 3, 7 (with
 * the share access rights of the extended response), or 0 (error).
 */
typedef struct smbw_tree_connect_andx_rsp {
  uint8_t wct;                     /**< form: 0, 2, 3 or 7 */
  smbw_andx andx;                  /**< AndX header */
  uint16_t optional_support;       /**< OptionalSupport (3, 7) */
  uint32_t maximal_share_access_rights;       /**< (7) */
  uint32_t guest_maximal_share_access_rights; /**< (7) */
  smbw_str service;                /**< Service, OEM */
  smbw_str native_file_system;     /**< NativeFileSystem */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_tree_connect_andx_rsp;

#ifdef __cplusplus
}
#endif
#endif

/* The typed calls smbw_*_decode() / smbw_*_encode() of this header's
   structs come from the message descriptions (form.h, commands.h). */
#include <smbwire/commands.h>
