/**
 * @file open.h
 * @brief SMB_COM_OPEN_ANDX (0x2D) request and response (MS-CIFS 2.2.4.41,
 *        MS-SMB 2.2.4.1).
 *
 * Conventions as in negotiate.h.
 */
#ifndef SMBWIRE_OPEN_H
#define SMBWIRE_OPEN_H

#include <smbwire/message.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name OPEN_ANDX request Flags
 * @{ */
#define SMBW_OPEN_REQ_ADDITIONAL_INFO 0x0001u /**< return the additional information fields */
#define SMBW_OPEN_REQ_OPLOCK 0x0002u /**< request an exclusive oplock */
#define SMBW_OPEN_REQ_OPBATCH 0x0004u /**< request a batch oplock */
#define SMBW_OPEN_REQ_EXTENDED_RESPONSE 0x0010u /**< ask for the 19-word extended response */
/** @} */

/** @name OpenMode (FileExistsOpts / CreateFile) values
 * @{ */
#define SMBW_OPEN_MODE_FAIL_IF_EXISTS 0x0000u /**< fail if the file exists */
#define SMBW_OPEN_MODE_OPEN_IF_EXISTS 0x0001u /**< open the file if it exists */
#define SMBW_OPEN_MODE_TRUNCATE_IF_EXISTS 0x0002u /**< open and truncate the file if it exists */
#define SMBW_OPEN_MODE_CREATE_IF_MISSING 0x0010u /**< create the file if it does not exist */
/** @} */

/** @name AccessMode bits
 * @{ */
#define SMBW_ACCESS_READ 0x0000u /**< open for reading */
#define SMBW_ACCESS_WRITE 0x0001u /**< open for writing */
#define SMBW_ACCESS_READWRITE 0x0002u /**< open for reading and writing */
#define SMBW_ACCESS_EXECUTE 0x0003u /**< open for execution */
#define SMBW_SHARE_DENY_NONE 0x0040u /**< sharing mode: deny nothing to other opens */
/** @} */

/** OPEN_ANDX request (15 words). */
typedef struct smbw_open_andx_req {
  uint8_t wct;               /**< form: 15 (0 picks it when encoding) */
  smbw_andx andx;            /**< AndX header */
  uint16_t flags;            /**< Flags, SMBW_OPEN_REQ_* */
  uint16_t access_mode;      /**< AccessMode */
  uint16_t search_attrs;     /**< SearchAttrs */
  uint16_t file_attrs;       /**< FileAttrs */
  uint32_t creation_time;    /**< CreationTime, UTIME */
  uint16_t open_mode;        /**< OpenMode, SMBW_OPEN_MODE_* */
  uint32_t allocation_size;  /**< AllocationSize */
  uint32_t timeout;          /**< Timeout, ms */
  uint32_t reserved;         /**< Reserved (2 words) */
  smbw_str file_name;        /**< FileName */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_open_andx_req;

/**
 * OPEN_ANDX response: @c wct 15, 19 (extended response, with the access
 * rights) or 0 (error).  In the 15-word form @c server_fid and
 * @c reserved hold the three Reserved words.
 */
typedef struct smbw_open_andx_rsp {
  uint8_t wct;                 /**< form: 0, 15 or 19 */
  smbw_andx andx;              /**< AndX header */
  uint16_t fid;                /**< FID */
  uint16_t file_attrs;         /**< FileAttrs */
  uint32_t last_write_time;    /**< LastWriteTime, UTIME */
  uint32_t file_data_size;     /**< FileDataSize */
  uint16_t access_rights;      /**< AccessRights */
  uint16_t resource_type;      /**< ResourceType */
  uint16_t nmpipe_status;      /**< NMPipeStatus */
  uint16_t open_results;       /**< OpenResults */
  uint32_t server_fid;         /**< ServerFid (Reserved[0..1] in 15 words) */
  uint16_t reserved;           /**< Reserved (Reserved[2] in 15 words) */
  uint32_t maximal_access_rights;       /**< (19) */
  uint32_t guest_maximal_access_rights; /**< (19) */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_open_andx_rsp;

#ifdef __cplusplus
}
#endif
#endif

/* The typed calls smbw_*_decode() / smbw_*_encode() of this header's
   structs come from the message descriptions (form.h, commands.h). */
#include <smbwire/commands.h>
