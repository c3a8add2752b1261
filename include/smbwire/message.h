/**
 * @file message.h
 * @brief The SMB1 message: 32-byte header, the AndX walk over command
 *        blocks, and the builder that encodes messages (MS-CIFS 2.2.3).
 *
 * Decoding: smbw_msg_decode() reads the header; smbw_andx_iter_init() and
 * smbw_andx_iter_next() walk the command blocks; each block is handed to the
 * typed decoder of its command (negotiate.h, session.h, tree.h, open.h,
 * read.h), which returns views into the same buffer.
 *
 * Encoding: smbw_builder_init() writes the header (and NBSS header if
 * asked), each typed encoder appends one block and links it into the AndX
 * chain, smbw_builder_finish() fills in the lengths.  The builder never
 * writes past the buffer it was given; once out of space it keeps
 * counting, so the size needed is always known.
 *
 * Offsets reported in smbw_error and smbw_block count from the first byte
 * of the SMB header.
 */
#ifndef SMBWIRE_MESSAGE_H
#define SMBWIRE_MESSAGE_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of the SMB1 header. */
#define SMBW_HEADER_SIZE 32u

/** @name SMB_Header.Flags bits (MS-CIFS 2.2.3.1)
 * @{ */
#define SMBW_FLAGS_LOCK_AND_READ_OK    0x01u /**< server supports LOCK_AND_READ and WRITE_AND_UNLOCK (obsolete) */
#define SMBW_FLAGS_BUF_AVAIL           0x02u /**< a receive buffer was posted (obsolete) */
#define SMBW_FLAGS_CASE_INSENSITIVE    0x08u /**< path names are case-insensitive (obsolete) */
#define SMBW_FLAGS_CANONICALIZED_PATHS 0x10u /**< path names are canonicalized (obsolete) */
#define SMBW_FLAGS_OPLOCK              0x20u /**< request an exclusive oplock (core protocol, obsolete) */
#define SMBW_FLAGS_OPBATCH             0x40u /**< request a batch oplock (core protocol, obsolete) */
#define SMBW_FLAGS_REPLY               0x80u /**< the message is a response (clear in requests) */
/** @} */

/** @name SMB_Header.Flags2 bits (MS-CIFS 2.2.3.1, MS-SMB 2.2.3.1)
 * @{ */
#define SMBW_FLAGS2_LONG_NAMES          0x0001u /**< the client understands long file names */
#define SMBW_FLAGS2_EAS                 0x0002u /**< the client understands extended attributes */
#define SMBW_FLAGS2_SECURITY_SIGNATURE  0x0004u /**< the message is signed: SecurityFeatures holds the signature (sign.h) */
#define SMBW_FLAGS2_COMPRESSED          0x0008u /**< reserved (compressed data) */
#define SMBW_FLAGS2_SIGNATURE_REQUIRED  0x0010u /**< the sender requires signed messages */
#define SMBW_FLAGS2_IS_LONG_NAME        0x0040u /**< path names in the request are long names */
#define SMBW_FLAGS2_REPARSE_PATH        0x0400u /**< the path carries a @@GMT previous-version token */
#define SMBW_FLAGS2_EXTENDED_SECURITY   0x0800u /**< the client knows extended security (SPNEGO blobs) */
#define SMBW_FLAGS2_DFS                 0x1000u /**< path names are to be resolved in the DFS namespace */
#define SMBW_FLAGS2_PAGING_IO           0x2000u /**< read allowed with execute permission only */
#define SMBW_FLAGS2_NT_STATUS           0x4000u /**< Status is a 32-bit NTSTATUS, not a DOS class/code pair */
#define SMBW_FLAGS2_UNICODE             0x8000u /**< strings in the message are UTF-16LE, not OEM */
/** @} */

/** @name Capabilities bits (MS-CIFS 2.2.4.52.2, MS-SMB 2.2.4.5.2)
 * @{ */
#define SMBW_CAP_RAW_MODE          0x00000001u /**< READ_RAW and WRITE_RAW */
#define SMBW_CAP_MPX_MODE          0x00000002u /**< READ_MPX and WRITE_MPX */
#define SMBW_CAP_UNICODE           0x00000004u /**< UTF-16LE strings */
#define SMBW_CAP_LARGE_FILES       0x00000008u /**< 64-bit file offsets */
#define SMBW_CAP_NT_SMBS           0x00000010u /**< the NT LM 0.12 commands (NT_CREATE_ANDX, NT_TRANSACT, ...) */
#define SMBW_CAP_RPC_REMOTE_APIS   0x00000020u /**< remote administration over DCE/RPC */
#define SMBW_CAP_STATUS32          0x00000040u /**< 32-bit NTSTATUS codes */
#define SMBW_CAP_LEVEL_II_OPLOCKS  0x00000080u /**< level II (shared) oplocks */
#define SMBW_CAP_LOCK_AND_READ     0x00000100u /**< LOCK_AND_READ */
#define SMBW_CAP_NT_FIND           0x00000200u /**< TRANS2_FIND_FIRST2 / FIND_NEXT2 with NT information levels */
#define SMBW_CAP_DFS               0x00001000u /**< Distributed File System */
#define SMBW_CAP_INFOLEVEL_PASSTHRU 0x00002000u /**< pass-through information levels */
#define SMBW_CAP_LARGE_READX       0x00004000u /**< READ_ANDX of more than 64 KiB */
#define SMBW_CAP_LARGE_WRITEX      0x00008000u /**< WRITE_ANDX of more than 64 KiB */
#define SMBW_CAP_LWIO              0x00010000u /**< light-weight I/O control codes */
#define SMBW_CAP_UNIX              0x00800000u /**< CIFS UNIX extensions */
#define SMBW_CAP_COMPRESSED_DATA   0x02000000u /**< compressed data transfer (reserved) */
#define SMBW_CAP_DYNAMIC_REAUTH    0x20000000u /**< dynamic re-authentication */
#define SMBW_CAP_PERSISTENT_HANDLES 0x40000000u /**< persistent handles */
#define SMBW_CAP_EXTENDED_SECURITY 0x80000000u /**< extended security: the NEGOTIATE response carries ServerGUID and a SecurityBlob */
/** @} */

/**
 * Every SMB1 command code: X(NAME, code, is_andx) (MS-CIFS 2.2.2.1).
 * `SMBW_COM_##NAME` is the constant; smbw_command_name() gives
 * "SMB_COM_" followed by NAME.  is_andx is 1 for the commands whose
 * parameter words start with an AndX header (smbw_command_is_andx()).
 */
#define SMBW_COMMAND_LIST(X)                        \
  X(CREATE_DIRECTORY,        0x00, 0)               \
  X(DELETE_DIRECTORY,        0x01, 0)               \
  X(OPEN,                    0x02, 0)               \
  X(CREATE,                  0x03, 0)               \
  X(CLOSE,                   0x04, 0)               \
  X(FLUSH,                   0x05, 0)               \
  X(DELETE,                  0x06, 0)               \
  X(RENAME,                  0x07, 0)               \
  X(QUERY_INFORMATION,       0x08, 0)               \
  X(SET_INFORMATION,         0x09, 0)               \
  X(READ,                    0x0A, 0)               \
  X(WRITE,                   0x0B, 0)               \
  X(LOCK_BYTE_RANGE,         0x0C, 0)               \
  X(UNLOCK_BYTE_RANGE,       0x0D, 0)               \
  X(CREATE_TEMPORARY,        0x0E, 0)               \
  X(CREATE_NEW,              0x0F, 0)               \
  X(CHECK_DIRECTORY,         0x10, 0)               \
  X(PROCESS_EXIT,            0x11, 0)               \
  X(SEEK,                    0x12, 0)               \
  X(LOCK_AND_READ,           0x13, 0)               \
  X(WRITE_AND_UNLOCK,        0x14, 0)               \
  X(READ_RAW,                0x1A, 0)               \
  X(READ_MPX,                0x1B, 0)               \
  X(READ_MPX_SECONDARY,      0x1C, 0)               \
  X(WRITE_RAW,               0x1D, 0)               \
  X(WRITE_MPX,               0x1E, 0)               \
  X(WRITE_MPX_SECONDARY,     0x1F, 0)               \
  X(WRITE_COMPLETE,          0x20, 0)               \
  X(QUERY_SERVER,            0x21, 0)               \
  X(SET_INFORMATION2,        0x22, 0)               \
  X(QUERY_INFORMATION2,      0x23, 0)               \
  X(LOCKING_ANDX,            0x24, 1)               \
  X(TRANSACTION,             0x25, 0)               \
  X(TRANSACTION_SECONDARY,   0x26, 0)               \
  X(IOCTL,                   0x27, 0)               \
  X(IOCTL_SECONDARY,         0x28, 0)               \
  X(COPY,                    0x29, 0)               \
  X(MOVE,                    0x2A, 0)               \
  X(ECHO,                    0x2B, 0)               \
  X(WRITE_AND_CLOSE,         0x2C, 0)               \
  X(OPEN_ANDX,               0x2D, 1)               \
  X(READ_ANDX,               0x2E, 1)               \
  X(WRITE_ANDX,              0x2F, 1)               \
  X(NEW_FILE_SIZE,           0x30, 0)               \
  X(CLOSE_AND_TREE_DISC,     0x31, 0)               \
  X(TRANSACTION2,            0x32, 0)               \
  X(TRANSACTION2_SECONDARY,  0x33, 0)               \
  X(FIND_CLOSE2,             0x34, 0)               \
  X(FIND_NOTIFY_CLOSE,       0x35, 0)               \
  X(TREE_CONNECT,            0x70, 0)               \
  X(TREE_DISCONNECT,         0x71, 0)               \
  X(NEGOTIATE,               0x72, 0)               \
  X(SESSION_SETUP_ANDX,      0x73, 1)               \
  X(LOGOFF_ANDX,             0x74, 1)               \
  X(TREE_CONNECT_ANDX,       0x75, 1)               \
  X(SECURITY_PACKAGE_ANDX,   0x7E, 1)               \
  X(QUERY_INFORMATION_DISK,  0x80, 0)               \
  X(SEARCH,                  0x81, 0)               \
  X(FIND,                    0x82, 0)               \
  X(FIND_UNIQUE,             0x83, 0)               \
  X(FIND_CLOSE,              0x84, 0)               \
  X(NT_TRANSACT,             0xA0, 0)               \
  X(NT_TRANSACT_SECONDARY,   0xA1, 0)               \
  X(NT_CREATE_ANDX,          0xA2, 1)               \
  X(NT_CANCEL,               0xA4, 0)               \
  X(NT_RENAME,               0xA5, 0)               \
  X(OPEN_PRINT_FILE,         0xC0, 0)               \
  X(WRITE_PRINT_FILE,        0xC1, 0)               \
  X(CLOSE_PRINT_FILE,        0xC2, 0)               \
  X(GET_PRINT_QUEUE,         0xC3, 0)               \
  X(SEND_MESSAGE,            0xD0, 0)               \
  X(SEND_BROADCAST_MESSAGE,  0xD1, 0)               \
  X(FORWARD_USER_NAME,       0xD2, 0)               \
  X(CANCEL_FORWARD,          0xD3, 0)               \
  X(GET_MACHINE_NAME,        0xD4, 0)               \
  X(SEND_START_MB_MESSAGE,   0xD5, 0)               \
  X(SEND_END_MB_MESSAGE,     0xD6, 0)               \
  X(SEND_TEXT_MB_MESSAGE,    0xD7, 0)               \
  X(READ_BULK,               0xD8, 0)               \
  X(WRITE_BULK,              0xD9, 0)               \
  X(WRITE_BULK_DATA,         0xDA, 0)               \
  X(INVALID,                 0xFE, 0)               \
  X(NO_ANDX_COMMAND,         0xFF, 0)

/** Command codes; see SMBW_COMMAND_LIST. */
enum smbw_command {
#define SMBW_X_COM(name, code, andx) SMBW_COM_##name = code,
  SMBW_COMMAND_LIST(SMBW_X_COM)
#undef SMBW_X_COM
  SMBW_COM_LAST_ = 0x100 /**< not a command */
};

/**
 * Name of a command code.
 * @param command  a command byte (any value)
 * @return a static string, "SMB_COM_" followed by the SMBW_COMMAND_LIST
 *         name ("SMB_COM_NEGOTIATE" for 0x72); NULL for an unassigned code.
 */
SMBW_API const char *smbw_command_name(uint8_t command);

/**
 * Whether a command's parameter words start with an AndX header.
 * @param command  a command byte (any value)
 * @return 1 if @p command carries an AndX header (AndXCommand, AndXOffset):
 *         the commands marked 1 in SMBW_COMMAND_LIST; else 0.
 */
SMBW_API int smbw_command_is_andx(uint8_t command);

/**
 * The 32-byte SMB header, field by field (MS-CIFS 2.2.3.1), in host order.
 * A plain value: it holds no pointers.  Every field round-trips exactly
 * through smbw_header_decode() and smbw_header_encode().
 */
typedef struct smbw_header {
  uint8_t command;      /**< first command of the message */
  uint32_t status;      /**< as read, little-endian: an NTSTATUS when
                             FLAGS2_NT_STATUS is set; otherwise DOS form,
                             see SMBW_DOS_CLASS() and SMBW_DOS_CODE() */
  uint8_t flags;        /**< SMBW_FLAGS_* */
  uint16_t flags2;      /**< SMBW_FLAGS2_* */
  uint16_t pid_high;    /**< high 16 bits of the process id */
  uint8_t signature[8]; /**< SecurityFeatures: the signature when signing */
  uint16_t reserved;    /**< Reserved, kept for exact round trips */
  uint16_t tid;         /**< tree id */
  uint16_t pid_low;     /**< low 16 bits of the process id */
  uint16_t uid;         /**< user id */
  uint16_t mid;         /**< multiplex id */
} smbw_header;

/**
 * The 32-bit process id.
 * @param h  a header (must not be NULL)
 * @return PIDHigh << 16 | PIDLow; never fails.
 */
SMBW_API uint32_t smbw_header_pid(const smbw_header *h);

/** Error class of a DOS-form status (byte 0 of the Status field). */
#define SMBW_DOS_CLASS(status) ((uint8_t)((status) & 0xFFu))
/** Error code of a DOS-form status (bytes 2-3 of the Status field). */
#define SMBW_DOS_CODE(status) ((uint16_t)((status) >> 16))
/** Build a DOS-form status from class and code. */
#define SMBW_DOS_STATUS(cls, code) ((uint32_t)(cls) | ((uint32_t)(code) << 16))

/**
 * Decode the 32-byte header at the start of @p buf.  Reads only
 * @p buf[0 .. 32); @p h is written only on success.
 * @param buf  the first byte of the SMB header (0xFF 'S' 'M' 'B')
 * @param len  bytes available at @p buf
 * @param h    receives the fields
 * @param err  receives code, offset and field on failure (nullable)
 * @return 0, SMBW_E_TRUNCATED (@p len < 32), SMBW_E_HDR_PROTOCOL (the
 *         first four bytes are not 0xFF 'S' 'M' 'B', which includes SMB2's
 *         0xFE 'S' 'M' 'B'), SMBW_E_INVAL (NULL @p buf or @p h).
 */
SMBW_API int smbw_header_decode(const uint8_t *buf, size_t len, smbw_header *h,
                                smbw_error *err);

/**
 * Encode a header into 32 bytes at @p out.  Writes only @p out[0 .. 32),
 * and nothing on failure.  Message encoders do this through
 * smbw_builder_init(); this is for callers that patch a header in place.
 * @param out  destination
 * @param cap  size of @p out
 * @param h    the fields to write
 * @return 0, SMBW_E_NOSPACE (@p out NULL or @p cap < 32), SMBW_E_INVAL
 *         (@p h NULL).
 */
SMBW_API int smbw_header_encode(uint8_t *out, size_t cap, const smbw_header *h);

/**
 * A decoded SMB message: the header and the bytes it heads.  @c data points
 * into the caller's buffer (nothing is copied) and must stay valid while
 * the message, its iterator and the blocks and views decoded from it are
 * used.
 */
typedef struct smbw_msg {
  smbw_header hdr;     /**< decoded header */
  const uint8_t *data; /**< the first byte of the header */
  uint32_t len;        /**< message length from the header to the end */
} smbw_msg;

/**
 * Decode a whole SMB message (the payload of an NBSS session message).
 * Only the header is read; the blocks are read by the AndX walk.  The
 * message is @p buf[0 .. @p len): nothing past @p len is ever read by this
 * or any function given @p m.
 * @param buf  the first byte of the SMB header (kept by reference in @p m)
 * @param len  length of the message, for example smbw_nbss::length
 * @param m    receives the header and the view of the message
 * @param err  receives code, offset and field on failure (nullable)
 * @return 0, SMBW_E_TRUNCATED (shorter than the 32-byte header),
 *         SMBW_E_HDR_PROTOCOL (not 0xFF 'S' 'M' 'B'), SMBW_E_RANGE
 *         (@p len over 2^32-1), SMBW_E_INVAL (NULL @p buf or @p m).
 */
SMBW_API int smbw_msg_decode(const uint8_t *buf, size_t len, smbw_msg *m,
                             smbw_error *err);

/**
 * One command block of a message: the WordCount, parameter words,
 * ByteCount and data bytes of one command, as views into the message
 * buffer (valid as long as that buffer).  smbw_andx_iter_next() guarantees that
 * @c words[0 .. 2 * @c nwords) and @c bytes[0 .. @c bcc) lie inside
 * @c msg[0 .. @c msg_len).  The typed decoders take a block and nothing
 * else; a hand-made block must keep the same guarantees.
 */
typedef struct smbw_block {
  const uint8_t *msg;    /**< start of the SMB header this block is in */
  uint32_t msg_len;      /**< length of that message */
  uint32_t offset;       /**< offset of WordCount from the header */
  const uint8_t *words;  /**< 2 * nwords bytes of parameter words */
  const uint8_t *bytes;  /**< bcc data bytes */
  uint16_t bcc;          /**< ByteCount */
  uint8_t wct;           /**< WordCount as on the wire */
  uint8_t nwords;        /**< parameter words present: @c wct, except 50 for
                              an extended NT_CREATE_ANDX response, which
                              says 42 (MS-SMB 2.2.4.9.2): taken when its
                              AndXCommand is 0xFF and the block read with
                              50 words ends exactly at the end of the
                              message while read with 42 it does not */
  uint8_t command;       /**< the command of this block */
  uint8_t flags;         /**< header Flags (tells request from response) */
  uint8_t index;         /**< 0 for the first block of the chain */
  uint16_t flags2;       /**< header Flags2 (FLAGS2_UNICODE picks string encoding) */
  uint32_t status;       /**< header Status */
  uint8_t andx_command;  /**< next command; 0xFF when none or not AndX */
  uint16_t andx_offset;  /**< AndXOffset as read (0 when not AndX) */
  uint8_t truncated;     /**< 1 only from smbw_parse() with ::SMBW_PARSE_LENIENT:
                              ByteCount runs past the end of the message, and
                              @c bcc is the number of data bytes present (the
                              wire ByteCount is at @c bytes - 2) */
  uint8_t reserved8_[3]; /**< room for new flags within the SONAME */
  uintptr_t reserved_[2]; /**< room for new fields within the SONAME; the
                              library never reads new fields of a block a
                              caller made (doc/abi.md) */
} smbw_block;

/**
 * AndX iterator state.  Treat the members as private; initialise with
 * smbw_andx_iter_init().  Caller-allocated (usually on the stack); it holds a
 * pointer to the smbw_msg, which must outlive it.  Once
 * smbw_andx_iter_next() has failed, the error is sticky: every later call
 * returns it again with the same offset and field.
 */
typedef struct smbw_andx_iter {
  const smbw_msg *m;     /**< message being walked */
  uint32_t next;         /**< offset of the next block, 0 when done */
  uint32_t cur;          /**< offset of the block last returned */
  uint32_t cur_end;      /**< end of the block last returned */
  int err;               /**< sticky error, 0 if none */
  uint32_t err_off;      /**< its offset */
  const char *err_field; /**< its field */
  uint8_t next_cmd;      /**< command of the next block */
  uint8_t count;         /**< blocks returned so far (saturating) */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_andx_iter;

/**
 * Start walking the blocks of @p m.  Never fails.
 * @param it  the iterator to (re)initialise (must not be NULL)
 * @param m   a message from smbw_msg_decode(), which must outlive the
 *            iterator; NULL gives an iterator whose smbw_andx_iter_next()
 *            returns SMBW_E_INVAL
 */
SMBW_API void smbw_andx_iter_init(smbw_andx_iter *it, const smbw_msg *m);

/**
 * Get the next command block.  The first block is at offset 32 with the
 * header's command; each following one is at the previous block's
 * AndXOffset with its AndXCommand.  A non-AndX command, an AndXCommand of
 * 0xFF, or an empty (WordCount 0) AndX block ends the chain.
 *
 * A bad AndXOffset is reported on the call after the block that holds it,
 * so the caller still gets that block, which is itself valid.
 *
 * Every block must lie wholly inside the message, and every AndXOffset must
 * point strictly past the end of the block that holds it (the end of its
 * data bytes), so a chain of n blocks is walked in n steps and can neither
 * loop nor overlap.
 *
 * @param it   the iterator (smbw_andx_iter_init() first)
 * @param b    receives the block, written only when 1 is returned
 * @param err  receives code, offset (from the SMB header) and field on
 *             failure (nullable)
 * @return 1 and fills @p b; 0 at the end of the chain; or (and forever
 *         after) SMBW_E_TRUNCATED (no WordCount byte), SMBW_E_WCT_OVERRUN,
 *         SMBW_E_BCC_OVERRUN, SMBW_E_ANDX_SHORT, SMBW_E_ANDX_PAST_END,
 *         SMBW_E_ANDX_LOOP (points at this or an earlier block's start),
 *         SMBW_E_ANDX_BACKWARD (points before this block, not at a block),
 *         SMBW_E_ANDX_OVERLAP (points inside this block); or, not
 *         sticky, SMBW_E_INVAL (NULL @p it or @p b, or an iterator over
 *         NULL).
 */
SMBW_API int smbw_andx_iter_next(smbw_andx_iter *it, smbw_block *b, smbw_error *err);

/**
 * Message encoder state.  Treat the members as private; initialise with
 * smbw_builder_init().  Caller-allocated; it points at the caller's output
 * buffer, which must stay valid until smbw_builder_finish() has returned.
 * Errors are sticky: after the first failure every append returns it
 * again, and so does smbw_builder_finish().
 */
typedef struct smbw_builder {
  uint8_t *buf;        /**< caller's output buffer */
  size_t cap;          /**< its size */
  size_t pos;          /**< bytes produced so far, counting past @c cap */
  size_t hdr;          /**< offset of the SMB header in @c buf (0 or 4) */
  size_t andx_words;   /**< position in @c buf of the previous AndX block's
                            words, 0 if the previous block is not AndX */
  uint32_t want_next;  /**< AndXOffset the previous block asked for */
  int err;             /**< first error, sticky */
  uint16_t flags2;     /**< header Flags2: string encoding */
  uint8_t framing;     /**< enum smbw_framing */
  uint8_t nblocks;     /**< blocks written so far (255: closed by a trailer) */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_builder;

/**
 * Start a message: writes the NBSS header (if framed) and the SMB header.
 * The header's command is replaced by the first block's command.  Nothing
 * is ever written at or past @p buf + @p cap, by this or any later call on
 * @p b; when the buffer is too small the builder only counts.
 * @param b        the builder to initialise
 * @param buf      output (may be NULL with @p cap 0 to only measure)
 * @param cap      size of @p buf
 * @param framing  enum smbw_framing
 * @param h        the header (copied; Flags2's UNICODE bit also picks the
 *                 string encoding of every block)
 * @return 0, SMBW_E_INVAL (NULL @p b or @p h, NULL @p buf with @p cap > 0,
 *         or an unknown @p framing); running out of space is reported by
 *         smbw_builder_finish().
 */
SMBW_API int smbw_builder_init(smbw_builder *b, uint8_t *buf, size_t cap,
                               int framing, const smbw_header *h);

/**
 * Append a block given as raw parameter words and data bytes (for commands
 * without a typed encoder, or to write a block exactly as decoded).  If the
 * previous block is an AndX block it is linked to this one.  For an AndX
 * command the caller's first two words are written as given and patched
 * when a further block is appended.  The words and bytes are copied.
 * @param b        the builder
 * @param command  the block's command code
 * @param words    @p wct parameter words, 2 * @p wct bytes as on the wire
 *                 (may be NULL when @p wct is 0)
 * @param wct      WordCount
 * @param bytes    @p bcc data bytes (may be NULL when @p bcc is 0)
 * @param bcc      ByteCount
 * @return 0 or the builder's sticky error: SMBW_E_INVAL (NULL @p b, or
 *         NULL @p words / @p bytes with a count), SMBW_E_STATE (after 255
 *         blocks, or after smbw_builder_trailer()), SMBW_E_RANGE (the block
 *         would start past 64 KiB after an AndX block, or past the 24-bit
 *         limit), or an earlier encoder's error.
 */
SMBW_API int smbw_builder_raw(smbw_builder *b, uint8_t command, const uint8_t *words,
                              uint8_t wct, const uint8_t *bytes, uint16_t bcc);

/**
 * Append a block exactly as decoded: its WordCount, its @c nwords
 * parameter words, ByteCount and data bytes.  Copies blocks through
 * unchanged (proxies, re-encoding commands without a typed encoder); an
 * AndX block is linked like any other.  The block's bytes are copied; it
 * may come from another message.
 * @param b    the builder
 * @param blk  a block from smbw_andx_iter_next()
 * @return 0 or the builder's sticky error: SMBW_E_INVAL (NULL argument, or
 *         a block with NULL words or bytes and a count), SMBW_E_STATE,
 *         SMBW_E_RANGE, as for smbw_builder_raw().
 */
SMBW_API int smbw_builder_block(smbw_builder *b, const smbw_block *blk);

/**
 * Append bytes after the last block, outside any block.  Real peers send
 * such trailers (Samba's extended NT_CREATE_ANDX response has more words
 * than its WordCount says; some clients pad the message), and forensic
 * tools re-encode them byte for byte.  No further block may follow.  The
 * bytes are copied.
 * @param b      the builder
 * @param bytes  the trailer (may be NULL when @p len is 0)
 * @param len    its length
 * @return 0 or the sticky error: SMBW_E_INVAL (NULL @p b, or NULL @p bytes
 *         with @p len > 0), SMBW_E_STATE (before the first block),
 *         SMBW_E_RANGE (@p len over 2^24-1).
 */
SMBW_API int smbw_builder_trailer(smbw_builder *b, const uint8_t *bytes, size_t len);

/**
 * Replace the header written by smbw_builder_init(): a server learns the
 * Status, UID and TID of a response, and whether it is signed, only while
 * it runs the commands.  Every field of @p h is written except Command,
 * which stays the first block's (or @p h's before any block).  May be
 * called at any time, also after smbw_builder_finish() (the NBSS length
 * does not change).  Nothing is written when the buffer is too small for
 * the header (the builder only counts).
 * @param b  the builder
 * @param h  the new header; its FLAGS2_UNICODE bit must be the one the
 *           builder started with once a block is written (its strings are
 *           already encoded)
 * @return 0; SMBW_E_INVAL (NULL argument); SMBW_E_STATE (UNICODE changed
 *         after a block).  Not sticky: the builder's own error, if any, is
 *         left as it is.
 */
SMBW_API int smbw_builder_set_header(smbw_builder *b, const smbw_header *h);

/**
 * Finish the message: fills the NBSS length.  The message is
 * @c buf[0 .. *len) once 0 is returned.  The builder may be inspected
 * again but not appended to.
 * @param b    the builder
 * @param len  receives the total size needed, NBSS header included, even
 *             on SMBW_E_NOSPACE (nullable)
 * @return 0 when everything was written; SMBW_E_NOSPACE when the buffer
 *         was too small (nothing was written past it); SMBW_E_RANGE when
 *         the message is too large for the framing; SMBW_E_STATE when no
 *         block was added; SMBW_E_INVAL for a NULL @p b; otherwise the
 *         first error an encoder reported.
 */
SMBW_API int smbw_builder_finish(smbw_builder *b, size_t *len);

/**
 * The AndX header common to every AndX block.  Decoders fill it as read;
 * encoders write @c command as 0xFF and @c offset as given, and rewrite both
 * when another block is chained after it.  A non-zero @c offset larger than
 * where the next block would start asks for zero padding up to it, so
 * decoded chains re-encode byte for byte.
 */
typedef struct smbw_andx {
  uint8_t command;  /**< AndXCommand */
  uint8_t reserved; /**< AndXReserved */
  uint16_t offset;  /**< AndXOffset */
} smbw_andx;

#ifdef __cplusplus
}
#endif
#endif
