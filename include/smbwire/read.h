/**
 * @file read.h
 * @brief SMB_COM_READ_ANDX (0x2E) request and response (MS-CIFS 2.2.4.42,
 *        MS-SMB 2.2.4.2).
 *
 * Conventions as in negotiate.h.
 */
#ifndef SMBWIRE_READ_H
#define SMBWIRE_READ_H

#include <smbwire/message.h>

#ifdef __cplusplus
extern "C" {
#endif

/** READ_ANDX request: @c wct 10, or 12 with the high 32 bits of the offset. */
typedef struct smbw_read_andx_req {
  uint8_t wct;              /**< form: 10 or 12 */
  smbw_andx andx;           /**< AndX header */
  uint16_t fid;             /**< FID */
  uint16_t max_count;       /**< MaxCountOfBytesToReturn */
  uint16_t min_count;       /**< MinCountOfBytesToReturn */
  uint16_t remaining;       /**< Remaining */
  uint32_t timeout;         /**< Timeout; with CAP_LARGE_READX its low 16
                                 bits are MaxCountHigh (MS-SMB 2.2.4.2.1) */
  uint64_t offset;          /**< Offset, plus OffsetHigh << 32 (12 words) */
  smbw_bytes extra;         /**< data bytes after the last field, as sent
                                 (padding, or what a crafted message hides
                                 there); encoders append them, so decoded
                                 messages re-encode byte for byte */
} smbw_read_andx_req;

/** READ_ANDX response: @c wct 12, or 0 (error). */
typedef struct smbw_read_andx_rsp {
  uint8_t wct;                   /**< form: 0 or 12 */
  smbw_andx andx;                /**< AndX header */
  uint16_t available;            /**< Available */
  uint16_t data_compaction_mode; /**< DataCompactionMode */
  uint16_t reserved1;            /**< Reserved1 */
  uint16_t data_offset;          /**< DataOffset from the header.  With no
                                      data, encoders write it exactly as
                                      given, 0 included (no pad unless it
                                      is past the data area), so a decoded
                                      response re-encodes byte for byte;
                                      set it to get an offset in an empty
                                      response.  With data, encoders use it
                                      when it is at or past the data area,
                                      else (0 too) pad to an even offset */
  uint32_t data_length;          /**< DataLength | DataLengthHigh << 16 */
  uint64_t reserved2;            /**< Reserved2 (4 words), as read */
  smbw_bytes data;               /**< the data read */
  smbw_bytes pad;                /**< the bytes between ByteCount and the
                                      data, as sent (some servers do not
                                      zero them); encoders copy it when its
                                      length matches the pad they write,
                                      else write zeros */
  smbw_bytes extra;              /**< data bytes after the data (or the
                                      whole area of a WordCount 0 error
                                      response), as sent; encoders append
                                      them */
} smbw_read_andx_rsp;

#ifdef __cplusplus
}
#endif
#endif

/* The typed calls smbw_*_decode() / smbw_*_encode() of this header's
   structs come from the message descriptions (form.h, commands.h). */
#include <smbwire/commands.h>
