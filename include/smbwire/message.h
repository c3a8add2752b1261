/**
 * @file message.h
 * @brief The SMB1 message: 32-byte header, the AndX walk over command
 *        blocks, and the builder that encodes messages (MS-CIFS 2.2.3).
 *
 * Decoding: smbw_msg_decode() reads the header; smbw_andx_init() and
 * smbw_andx_next() walk the command blocks; each block is handed to the
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

/** SMB_Header.Flags bits (MS-CIFS 2.2.3.1). */
#define SMBW_FLAGS_LOCK_AND_READ_OK    0x01u
#define SMBW_FLAGS_BUF_AVAIL           0x02u
#define SMBW_FLAGS_CASE_INSENSITIVE    0x08u
#define SMBW_FLAGS_CANONICALIZED_PATHS 0x10u
#define SMBW_FLAGS_OPLOCK              0x20u
#define SMBW_FLAGS_OPBATCH             0x40u
#define SMBW_FLAGS_REPLY               0x80u

/** SMB_Header.Flags2 bits (MS-CIFS 2.2.3.1, MS-SMB 2.2.3.1). */
#define SMBW_FLAGS2_LONG_NAMES          0x0001u
#define SMBW_FLAGS2_EAS                 0x0002u
#define SMBW_FLAGS2_SECURITY_SIGNATURE  0x0004u
#define SMBW_FLAGS2_COMPRESSED          0x0008u
#define SMBW_FLAGS2_SIGNATURE_REQUIRED  0x0010u
#define SMBW_FLAGS2_IS_LONG_NAME        0x0040u
#define SMBW_FLAGS2_REPARSE_PATH        0x0400u
#define SMBW_FLAGS2_EXTENDED_SECURITY   0x0800u
#define SMBW_FLAGS2_DFS                 0x1000u
#define SMBW_FLAGS2_PAGING_IO           0x2000u
#define SMBW_FLAGS2_NT_STATUS           0x4000u
#define SMBW_FLAGS2_UNICODE             0x8000u

/** Capabilities bits (MS-CIFS 2.2.4.52.2, MS-SMB 2.2.4.5.2). */
#define SMBW_CAP_RAW_MODE          0x00000001u
#define SMBW_CAP_MPX_MODE          0x00000002u
#define SMBW_CAP_UNICODE           0x00000004u
#define SMBW_CAP_LARGE_FILES       0x00000008u
#define SMBW_CAP_NT_SMBS           0x00000010u
#define SMBW_CAP_RPC_REMOTE_APIS   0x00000020u
#define SMBW_CAP_STATUS32          0x00000040u
#define SMBW_CAP_LEVEL_II_OPLOCKS  0x00000080u
#define SMBW_CAP_LOCK_AND_READ     0x00000100u
#define SMBW_CAP_NT_FIND           0x00000200u
#define SMBW_CAP_DFS               0x00001000u
#define SMBW_CAP_INFOLEVEL_PASSTHRU 0x00002000u
#define SMBW_CAP_LARGE_READX       0x00004000u
#define SMBW_CAP_LARGE_WRITEX      0x00008000u
#define SMBW_CAP_LWIO              0x00010000u
#define SMBW_CAP_UNIX              0x00800000u
#define SMBW_CAP_COMPRESSED_DATA   0x02000000u
#define SMBW_CAP_DYNAMIC_REAUTH    0x20000000u
#define SMBW_CAP_PERSISTENT_HANDLES 0x40000000u
#define SMBW_CAP_EXTENDED_SECURITY 0x80000000u

/**
 * Every SMB1 command code: X(NAME, code, is_andx) (MS-CIFS 2.2.2.1).
 * SMBW_COM_##NAME is the constant; smbw_command_name() gives
 * "SMB_COM_" #NAME.
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

/** "SMB_COM_NEGOTIATE" for 0x72; NULL for an unassigned code. */
SMBW_API const char *smbw_command_name(uint8_t command);

/** 1 if @p command carries an AndX header (AndXCommand, AndXOffset), else 0. */
SMBW_API int smbw_command_is_andx(uint8_t command);

/** The 32-byte SMB header, field by field (MS-CIFS 2.2.3.1). */
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

/** The 32-bit process id: PIDHigh << 16 | PIDLow. */
SMBW_API uint32_t smbw_header_pid(const smbw_header *h);

/** Error class of a DOS-form status (byte 0 of the Status field). */
#define SMBW_DOS_CLASS(status) ((uint8_t)((status) & 0xFFu))
/** Error code of a DOS-form status (bytes 2-3 of the Status field). */
#define SMBW_DOS_CODE(status) ((uint16_t)((status) >> 16))
/** Build a DOS-form status from class and code. */
#define SMBW_DOS_STATUS(cls, code) ((uint32_t)(cls) | ((uint32_t)(code) << 16))

/**
 * Decode the 32-byte header at the start of @p buf.
 * @return 0, SMBW_E_TRUNCATED (@p len < 32), SMBW_E_HDR_PROTOCOL,
 *         SMBW_E_INVAL (NULL arguments).
 */
SMBW_API int smbw_header_decode(const uint8_t *buf, size_t len, smbw_header *h,
                                smbw_error *err);

/**
 * Encode a header into 32 bytes at @p out.
 * @return 0, SMBW_E_NOSPACE (@p cap < 32), SMBW_E_INVAL.
 */
SMBW_API int smbw_header_encode(uint8_t *out, size_t cap, const smbw_header *h);

/** A decoded SMB message: the header and the bytes it heads. */
typedef struct smbw_msg {
  smbw_header hdr;     /**< decoded header */
  const uint8_t *data; /**< the first byte of the header */
  uint32_t len;        /**< message length from the header to the end */
} smbw_msg;

/**
 * Decode a whole SMB message (the payload of an NBSS session message).
 * Only the header is read; the blocks are read by the AndX walk.
 * @return 0, SMBW_E_TRUNCATED, SMBW_E_HDR_PROTOCOL, SMBW_E_RANGE (len
 *         over 2^32-1), SMBW_E_INVAL.
 */
SMBW_API int smbw_msg_decode(const uint8_t *buf, size_t len, smbw_msg *m,
                             smbw_error *err);

/**
 * One command block of a message: the WordCount, parameter words,
 * ByteCount and data bytes of one command, as views.
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
                              says 42 (MS-SMB 2.2.4.9.2) */
  uint8_t command;       /**< the command of this block */
  uint8_t flags;         /**< header Flags (tells request from response) */
  uint8_t index;         /**< 0 for the first block of the chain */
  uint16_t flags2;       /**< header Flags2 (FLAGS2_UNICODE picks string encoding) */
  uint32_t status;       /**< header Status */
  uint8_t andx_command;  /**< next command; 0xFF when none or not AndX */
  uint16_t andx_offset;  /**< AndXOffset as read (0 when not AndX) */
} smbw_block;

/**
 * AndX iterator state.  Treat the members as private; initialise with
 * smbw_andx_init().
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
} smbw_andx_iter;

/** Start walking the blocks of @p m (which must outlive the iterator). */
SMBW_API void smbw_andx_init(smbw_andx_iter *it, const smbw_msg *m);

/**
 * Get the next command block.  The first block is at offset 32 with the
 * header's command; each following one is at the previous block's
 * AndXOffset with its AndXCommand.  A non-AndX command, an AndXCommand of
 * 0xFF, or an empty (WordCount 0) AndX block ends the chain.
 *
 * Every block must lie wholly inside the message, and every AndXOffset must
 * point strictly past the end of the block that holds it (the end of its
 * data bytes), so a chain of n blocks is walked in n steps and can neither
 * loop nor overlap.
 *
 * @return 1 and fills @p b; 0 at the end of the chain; or (and forever
 *         after) SMBW_E_TRUNCATED (no WordCount byte), SMBW_E_WCT_OVERRUN,
 *         SMBW_E_BCC_OVERRUN, SMBW_E_ANDX_SHORT, SMBW_E_ANDX_PAST_END,
 *         SMBW_E_ANDX_LOOP (points at this or an earlier block's start),
 *         SMBW_E_ANDX_BACKWARD (points before this block, not at a block),
 *         SMBW_E_ANDX_OVERLAP (points inside this block).
 */
SMBW_API int smbw_andx_next(smbw_andx_iter *it, smbw_block *b, smbw_error *err);

/** Leading framing the builder writes before the SMB header. */
enum smbw_framing {
  SMBW_FRAMING_NONE = 0,   /**< SMB message only */
  SMBW_FRAMING_NBT = 1,    /**< 4-byte NBSS header, 17-bit length (port 139) */
  SMBW_FRAMING_DIRECT = 2  /**< 4-byte header, 24-bit length (port 445) */
};

/**
 * Message encoder state.  Treat the members as private; initialise with
 * smbw_builder_init().
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
} smbw_builder;

/**
 * Start a message: writes the NBSS header (if framed) and the SMB header.
 * The header's command is replaced by the first block's command.
 * @param buf  output (may be NULL with @p cap 0 to only measure)
 * @return 0, SMBW_E_INVAL; running out of space is reported by
 *         smbw_builder_finish().
 */
SMBW_API int smbw_builder_init(smbw_builder *b, uint8_t *buf, size_t cap,
                               int framing, const smbw_header *h);

/**
 * Append a block given as raw parameter words and data bytes (for commands
 * without a typed encoder, or to write a block exactly as decoded).  If the
 * previous block is an AndX block it is linked to this one.  For an AndX
 * command the caller's first two words are written as given and patched
 * when a further block is appended.
 * @return 0 or the builder's sticky error (SMBW_E_STATE after 255 blocks).
 */
SMBW_API int smbw_builder_raw(smbw_builder *b, uint8_t command, const uint8_t *words,
                              uint8_t wct, const uint8_t *bytes, uint16_t bcc);

/**
 * Append a block exactly as decoded: its WordCount, its @c nwords
 * parameter words, ByteCount and data bytes.  Copies blocks through
 * unchanged (proxies, re-encoding commands without a typed encoder); an
 * AndX block is linked like any other.
 * @return 0 or the builder's sticky error.
 */
SMBW_API int smbw_builder_block(smbw_builder *b, const smbw_block *blk);

/**
 * Append bytes after the last block, outside any block.  Real peers send
 * such trailers (Samba's extended NT_CREATE_ANDX response has more words
 * than its WordCount says; some clients pad the message), and forensic
 * tools re-encode them byte for byte.  No further block may follow.
 * @return 0 or the sticky error (SMBW_E_STATE before the first block).
 */
SMBW_API int smbw_builder_trailer(smbw_builder *b, const uint8_t *bytes, size_t len);

/**
 * Finish the message: fills the NBSS length.
 * @param len  receives the total size needed, NBSS header included, even
 *             on SMBW_E_NOSPACE (nullable)
 * @return 0 when everything was written; SMBW_E_NOSPACE when the buffer
 *         was too small (nothing was written past it); SMBW_E_RANGE when
 *         the message is too large for the framing; SMBW_E_STATE when no
 *         block was added; otherwise the first error an encoder reported.
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
