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

/**
 * Decode a READ_ANDX request.
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 10 or 12).
 */
SMBW_API int smbw_read_andx_req_decode(const smbw_block *b, smbw_read_andx_req *out,
                                       smbw_error *err);

/**
 * Append a READ_ANDX request block.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, @c wct not 10
 *         or 12, NULL @c extra data with a length); SMBW_E_RANGE for a
 *         10-word request whose offset needs more than 32 bits, or
 *         @c extra over 65535 bytes.
 */
SMBW_API int smbw_read_andx_req_encode(smbw_builder *bld, const smbw_read_andx_req *r);

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

/**
 * Decode a READ_ANDX response.  The data must lie inside the message.  It
 * may run past ByteCount, which cannot express reads over 64 KiB, only in
 * the last block of a chain and only with ByteCount holding the low 16 bits
 * of the pad and data size (as servers send reads over 64 KiB).
 * @c data is a view into the message (the file data is not copied).
 * @param b    a block from smbw_andx_iter_next()
 * @param out  receives the fields (all zero for the WordCount 0 form)
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT (not 0 or 12),
 *         SMBW_E_DATA_OFFSET (DataOffset before the data area with data to
 *         read, DataOffset past the message, DataOffset + DataLength past
 *         the message, or data running past ByteCount with a block after
 *         it), SMBW_E_BCC (data past ByteCount, with a ByteCount that is
 *         not the low 16 bits of the pad and data size).
 */
SMBW_API int smbw_read_andx_rsp_decode(const smbw_block *b, smbw_read_andx_rsp *out,
                                       smbw_error *err);

/**
 * Append a READ_ANDX response block; DataLength, DataLengthHigh and
 * ByteCount (its low 16 bits when the data exceeds 64 KiB) come from the
 * data view.  The data is copied into the message.
 * @param bld  the builder
 * @param r    the fields of the form chosen by @c wct
 * @return 0 or the sticky error; SMBW_E_INVAL (NULL argument, @c wct not 0
 *         or 12, NULL @c data or @c pad data with a length), SMBW_E_RANGE
 *         (DataOffset past 65535, data over 2^24-1 bytes, or @c pad over
 *         65535 bytes).
 */
SMBW_API int smbw_read_andx_rsp_encode(smbw_builder *bld, const smbw_read_andx_rsp *r);

#ifdef __cplusplus
}
#endif
#endif
