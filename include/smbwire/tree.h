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

/**
 * Decode a TREE_CONNECT_ANDX request.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 4),
 *         SMBW_E_FIELD_LENGTH (PasswordLength past the byte area).
 */
SMBW_API int smbw_tree_connect_andx_req_decode(const smbw_block *b,
    smbw_tree_connect_andx_req *out, smbw_error *err);

/**
 * Append a TREE_CONNECT_ANDX request block (PasswordLength from the view).
 * @param bld  the builder
 * @param r    the fields (@c service is always written as OEM)
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, or NULL
 *         @c password or @c extra data with a length), SMBW_E_RANGE (either
 *         view over 65535 bytes, or data too long for the block),
 *         SMBW_E_STR_ENCODING (a string that cannot be encoded).
 */
SMBW_API int smbw_tree_connect_andx_req_encode(smbw_builder *bld,
    const smbw_tree_connect_andx_req *r);

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

/**
 * Decode a TREE_CONNECT_ANDX response.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields; unused fields are zero
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 0, 2, 3 or 7).
 */
SMBW_API int smbw_tree_connect_andx_rsp_decode(const smbw_block *b,
    smbw_tree_connect_andx_rsp *out, smbw_error *err);

/**
 * Append a TREE_CONNECT_ANDX response block.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, @c wct not 0,
 *         2, 3 or 7, NULL @c extra data with a length), SMBW_E_RANGE
 *         (@c extra over 65535 bytes, or data too long for the block),
 *         SMBW_E_STR_ENCODING (a string that cannot be encoded).
 */
SMBW_API int smbw_tree_connect_andx_rsp_encode(smbw_builder *bld,
    const smbw_tree_connect_andx_rsp *r);

#ifdef __cplusplus
}
#endif
#endif
