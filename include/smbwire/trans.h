/**
 * @file trans.h
 * @brief The three transaction families: SMB_COM_TRANSACTION (0x25) and
 *        its secondary (0x26), SMB_COM_TRANSACTION2 (0x32) and its
 *        secondary (0x33), SMB_COM_NT_TRANSACT (0xA0) and its secondary
 *        (0xA1) (MS-CIFS 2.2.4.33, 2.2.4.34, 2.2.4.46, 2.2.4.47, 2.2.4.62,
 *        2.2.4.63); and a reassembler for their fragments.
 *
 * One request struct covers the primary and secondary requests of all
 * three families and one response struct their responses; the block's
 * command picks the layout.  The parameter and data bytes of each message
 * are views into the message.  A transaction too large for one message is
 * sent in fragments (a primary request, then secondary requests; several
 * responses), each carrying a piece of the parameters and of the data at
 * a displacement; smbw_trans_asm puts the pieces together into buffers the
 * caller owns, and refuses every inconsistent sequence (totals that grow
 * or shrink below what was received, pieces past the total, overlapping
 * pieces, a secondary of another family: the shapes of MS17-010).
 *
 * Conventions as in negotiate.h: decoders fill the struct with views into
 * the message and report the field and offset of the first problem;
 * encoders append a block to a builder and write every count and offset
 * field from the views.
 */
#ifndef SMBWIRE_TRANS_H
#define SMBWIRE_TRANS_H

#include <smbwire/message.h>
#include <smbwire/parse.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A transaction request: primary or secondary, of any of the three
 * families (@c command: 0x25, 0x26, 0x32, 0x33, 0xA0 or 0xA1).  Fields a
 * layout does not have are 0 (or an empty view) after decoding and are
 * ignored by the encoder (which also derives WordCount from @c command
 * and the setup view: @c wct is not read).
 *
 * Byte area layout: [Name] [pad1] [Parameters] [pad2] [Data] [extra].
 * Parameters (when ParameterCount is not 0) and Data (when DataCount is
 * not 0) lie inside the block's data bytes, parameters first, without
 * overlapping.  An empty area's offset field is kept as read.
 */
typedef struct smbw_trans_req {
  uint8_t command;             /**< the block's command: picks the layout */
  uint8_t wct;                 /**< WordCount: 14/19 + SetupCount for
                                    TRANSACTION, TRANSACTION2 / NT_TRANSACT,
                                    8, 9 and 18 for the secondaries */
  uint8_t max_setup_count;     /**< MaxSetupCount (primary) */
  uint8_t reserved1;           /**< Reserved1: the byte after MaxSetupCount
                                    (TRANSACTION, TRANSACTION2), the first
                                    of Reserved1[3] (NT_TRANSACT_SECONDARY) */
  uint16_t reserved2;          /**< Reserved2: the word after Timeout
                                    (TRANSACTION, TRANSACTION2), Reserved1
                                    (2 bytes, NT_TRANSACT), the last two
                                    bytes of Reserved1[3]
                                    (NT_TRANSACT_SECONDARY) */
  uint8_t reserved3;           /**< Reserved3 after SetupCount (TRANSACTION,
                                    TRANSACTION2), Reserved2
                                    (NT_TRANSACT_SECONDARY) */
  uint16_t flags;              /**< Flags (TRANSACTION, TRANSACTION2):
                                    0x0001 disconnect TID, 0x0002 no
                                    response */
  uint16_t function;           /**< Function (NT_TRANSACT): the subcommand */
  uint16_t fid;                /**< FID (TRANSACTION2_SECONDARY) */
  uint32_t timeout;            /**< Timeout (TRANSACTION, TRANSACTION2) */
  uint32_t total_param_count;  /**< TotalParameterCount */
  uint32_t total_data_count;   /**< TotalDataCount */
  uint32_t max_param_count;    /**< MaxParameterCount (primary) */
  uint32_t max_data_count;     /**< MaxDataCount (primary) */
  uint32_t param_offset;       /**< ParameterOffset from the header */
  uint32_t param_displacement; /**< ParameterDisplacement (secondary; 0 in a
                                    primary) */
  uint32_t data_offset;        /**< DataOffset from the header */
  uint32_t data_displacement;  /**< DataDisplacement (secondary; 0 in a
                                    primary) */
  smbw_bytes setup;            /**< Setup words, 2 * SetupCount bytes as on
                                    the wire (primary); smbw_trans_setup()
                                    reads one */
  smbw_str name;               /**< Name (TRANSACTION primary only): a
                                    string, UTF-16LE aligned when
                                    FLAGS2_UNICODE, e.g. "\PIPE\"; absent
                                    when the byte area is empty or, in
                                    Unicode, one byte at an odd offset
                                    (left to what follows); encoders write
                                    an absent Name as nothing in those two
                                    cases and as "" otherwise */
  smbw_bytes params;           /**< the Parameters in this message
                                    (ParameterCount = @c params.len) */
  smbw_bytes data;             /**< the Data in this message
                                    (DataCount = @c data.len) */
  smbw_bytes pad1;             /**< bytes between Name (or the start of the
                                    byte area) and the Parameters */
  smbw_bytes pad2;             /**< bytes between the Parameters and Data */
  smbw_bytes extra;            /**< bytes after the Data, up to ByteCount */
  uint8_t overlap;             /**< 1 only from a lenient decode: the Data
                                    starts inside the byte area but before
                                    the end of the Parameters (or Name), as
                                    in EternalBlue's NT_TRANSACT; @c data is
                                    where DataOffset says, @c pad2 empty.
                                    The encoder ignores it and lays out a
                                    valid message */
} smbw_trans_req;

/**
 * A transaction response of any family (@c command 0x25, 0x32 or 0xA0;
 * a secondary request is answered with its primary's command).  WordCount
 * 0 is the interim response (or an error): every field is then 0 and
 * @c extra holds the byte area.
 */
typedef struct smbw_trans_rsp {
  uint8_t command;             /**< the block's command: picks the layout */
  uint8_t wct;                 /**< WordCount: 10 + SetupCount
                                    (TRANSACTION, TRANSACTION2), 18 +
                                    SetupCount (NT_TRANSACT), or 0 */
  uint8_t reserved2;           /**< Reserved2 after SetupCount
                                    (TRANSACTION, TRANSACTION2) */
  uint32_t reserved1;          /**< Reserved1: a word (TRANSACTION,
                                    TRANSACTION2) or 3 bytes (NT_TRANSACT) */
  uint32_t total_param_count;  /**< TotalParameterCount */
  uint32_t total_data_count;   /**< TotalDataCount */
  uint32_t param_offset;       /**< ParameterOffset from the header */
  uint32_t param_displacement; /**< ParameterDisplacement */
  uint32_t data_offset;        /**< DataOffset from the header */
  uint32_t data_displacement;  /**< DataDisplacement */
  smbw_bytes setup;            /**< Setup words, 2 * SetupCount bytes */
  smbw_bytes params;           /**< the Parameters in this message */
  smbw_bytes data;             /**< the Data in this message */
  smbw_bytes pad1;             /**< bytes before the Parameters */
  smbw_bytes pad2;             /**< bytes between the Parameters and Data */
  smbw_bytes extra;            /**< bytes after the Data, up to ByteCount
                                    (the whole area when @c wct is 0) */
  uint8_t overlap;             /**< as in smbw_trans_req */
} smbw_trans_rsp;

/**
 * Setup word @p i of a setup view (0 when there is no such word).
 * TRANSACTION2: word 0 is the subcommand (TRANS2_FIND_FIRST2, ...);
 * TRANSACTION on a named pipe: word 0 the function, word 1 the FID.
 */
static inline uint16_t smbw_trans_setup(smbw_bytes setup, unsigned i) {
  if (!setup.data || setup.len / 2u <= i) return 0;
  return (uint16_t)(setup.data[2u * i] | (unsigned)setup.data[2u * i + 1u] << 8);
}

/**
 * smbw_trans_req_decode() with options: ::SMBW_PARSE_STRICT is the same
 * call; ::SMBW_PARSE_LENIENT returns a request whose Data starts inside the
 * byte area but before the end of its Parameters (SMBW_E_TRANS_LAYOUT when
 * strict) with its fields and smbw_trans_req::overlap set, for monitors.
 * Such Data may end past ByteCount, inside the message (EternalBlue's
 * runs one byte past it).  Every other check is the same.  @p out is written only on success.
 * @param b     as for smbw_trans_req_decode()
 * @param opts  enum smbw_parse_opts
 * @param out   receives the fields
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err   receives the error position (nullable)
 * @return as smbw_trans_req_decode(); SMBW_E_INVAL for an unknown @p opts.
 */
SMBW_API int smbw_trans_req_decode_opts_(const smbw_block *b, unsigned opts, smbw_trans_req *out,
                                         size_t out_size, smbw_error *err);

/**
 * Decode a transaction request, primary or secondary, of any family.
 *
 * Checked: WordCount against the layout (and SetupCount); every count and
 * offset with arithmetic that cannot wrap; Parameters and Data (when not
 * empty) inside the block's data bytes, not before the Name, Parameters
 * before Data and not overlapping.  How a piece relates to the totals
 * (count plus displacement within the total, totals that change between
 * fragments) is a property of the transaction, not of one message: the
 * reassembler checks it, so that a monitor still sees every field of a
 * message that breaks it (the MS17-010 exploits do).
 *
 * @param b    a block from smbw_andx_iter_next() whose command is one of the six
 * @param out  receives the fields (views into the message)
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL (NULL argument), SMBW_E_COMMAND (not a
 *         transaction command), SMBW_E_WCT (WordCount wrong for the
 *         layout, field "WordCount", or not 14/19 + SetupCount, field
 *         "SetupCount"), SMBW_E_DATA_OFFSET (Parameters or Data outside the
 *         byte area, fields "ParameterOffset" / "DataOffset"),
 *         SMBW_E_TRANS_LAYOUT (Data before or overlapping the Parameters,
 *         field "DataOffset").
 */
static inline int smbw_trans_req_decode(const smbw_block *b, smbw_trans_req *out, smbw_error *err) {
  return smbw_trans_req_decode_opts_(b, SMBW_PARSE_STRICT, out, sizeof *out, err);
}

/** smbw_trans_req_decode_opts_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_trans_req_decode_opts(const smbw_block *b, unsigned opts,
                                             smbw_trans_req *out, smbw_error *err) {
  return smbw_trans_req_decode_opts_(b, opts, out, sizeof *out, err);
}

/**
 * Append a transaction request block of the layout @c r->command picks.
 * ParameterCount, DataCount, SetupCount and ByteCount come from the views.
 * Placement: the Parameters go at @c param_offset when that is at or past
 * the end of the Name (else at the next 4-byte offset from the header), the
 * Data at @c data_offset when that is at or past the end of the Parameters
 * (else at the next 4-byte offset); the gap is filled from @c pad1 /
 * @c pad2 when their length matches it, else with zeros.  An empty area's
 * offset field is written as given.  So a decoded request re-encodes byte
 * for byte, and a fresh one needs only the views and counts.
 * @param bld  the builder
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @return 0 or the sticky error: SMBW_E_INVAL (NULL argument, a command
 *         that is not a transaction request, a view with NULL data and a
 *         length, a setup view of odd length), SMBW_E_RANGE (a value over
 *         its 16-bit field in TRANSACTION / TRANSACTION2, more than 255
 *         setup words for the WordCount, a byte area over 65535 bytes, an
 *         offset over its field), SMBW_E_STR_ENCODING
 *         (Name not representable).
 */
SMBW_API int smbw_trans_req_encode_(smbw_builder *bld, const smbw_trans_req *r, size_t r_size);

/** smbw_trans_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_trans_req_encode(smbw_builder *bld, const smbw_trans_req *r) {
  return smbw_trans_req_encode_(bld, r, sizeof *r);
}

/**
 * smbw_trans_rsp_decode() with options, as smbw_trans_req_decode_opts().
 * @param b     as for smbw_trans_rsp_decode()
 * @param opts  enum smbw_parse_opts
 * @param out   receives the fields (written only on success)
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err   receives the error position (nullable)
 * @return as smbw_trans_rsp_decode(); SMBW_E_INVAL for an unknown @p opts.
 */
SMBW_API int smbw_trans_rsp_decode_opts_(const smbw_block *b, unsigned opts, smbw_trans_rsp *out,
                                         size_t out_size, smbw_error *err);

/**
 * Decode a transaction response (WordCount 0: the interim response).
 * Checks as for smbw_trans_req_decode().
 * @param b    a block from smbw_andx_iter_next() (command 0x25, 0x32, 0xA0; a
 *             secondary command only with WordCount 0)
 * @param out  receives the fields
 * @param err  receives the error position (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_COMMAND, SMBW_E_WCT, SMBW_E_DATA_OFFSET,
 *         SMBW_E_TRANS_LAYOUT, as for requests.
 */
static inline int smbw_trans_rsp_decode(const smbw_block *b, smbw_trans_rsp *out, smbw_error *err) {
  return smbw_trans_rsp_decode_opts_(b, SMBW_PARSE_STRICT, out, sizeof *out, err);
}

/** smbw_trans_rsp_decode_opts_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_trans_rsp_decode_opts(const smbw_block *b, unsigned opts,
                                             smbw_trans_rsp *out, smbw_error *err) {
  return smbw_trans_rsp_decode_opts_(b, opts, out, sizeof *out, err);
}

/**
 * Append a transaction response block; placement as for
 * smbw_trans_req_encode().  WordCount 0 writes the interim (or error)
 * form with @c extra as its byte area.
 * @param bld  the builder
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @return 0 or the sticky error: SMBW_E_INVAL (NULL argument, @c command
 *         not 0x25, 0x32 or 0xA0 with a WordCount, @c wct not 0 nor the
 *         layout's, bad views), SMBW_E_RANGE (as for requests).
 */
SMBW_API int smbw_trans_rsp_encode_(smbw_builder *bld, const smbw_trans_rsp *r, size_t r_size);

/** smbw_trans_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_trans_rsp_encode(smbw_builder *bld, const smbw_trans_rsp *r) {
  return smbw_trans_rsp_encode_(bld, r, sizeof *r);
}

/**
 * The transaction subcommands, one row each: name and code.  They give the
 * constants below (`SMBW_TRANS2_FIND_FIRST2`, `SMBW_NT_TRANSACT_IOCTL`,
 * `SMBW_TRANS_TRANSACT_NM_PIPE`) and the names smbw_trans_subcommand_name()
 * returns.
 *  - TRANSACTION2 (setup word 0, MS-CIFS 2.2.6);
 *  - NT_TRANSACT (Function, MS-CIFS 2.2.7);
 *  - TRANSACTION on a named pipe (setup word 0, MS-CIFS 2.2.5), named as
 *    MS-CIFS names them ("TransactNmPipe").
 */
#define SMBW_TRANS2_LIST(X)                    \
  X(OPEN2, 0x0000)                             \
  X(FIND_FIRST2, 0x0001)                       \
  X(FIND_NEXT2, 0x0002)                        \
  X(QUERY_FS_INFORMATION, 0x0003)              \
  X(SET_FS_INFORMATION, 0x0004)                \
  X(QUERY_PATH_INFORMATION, 0x0005)            \
  X(SET_PATH_INFORMATION, 0x0006)              \
  X(QUERY_FILE_INFORMATION, 0x0007)            \
  X(SET_FILE_INFORMATION, 0x0008)              \
  X(FSCTL, 0x0009)                             \
  X(IOCTL2, 0x000A)                            \
  X(FIND_NOTIFY_FIRST, 0x000B)                 \
  X(FIND_NOTIFY_NEXT, 0x000C)                  \
  X(CREATE_DIRECTORY, 0x000D)                  \
  X(SESSION_SETUP, 0x000E)                     \
  X(GET_DFS_REFERRAL, 0x0010)                  \
  X(REPORT_DFS_INCONSISTENCY, 0x0011)
/** @copydoc SMBW_TRANS2_LIST */
#define SMBW_NT_TRANSACT_LIST(X)               \
  X(CREATE, 0x0001)                            \
  X(IOCTL, 0x0002)                             \
  X(SET_SECURITY_DESC, 0x0003)                 \
  X(NOTIFY_CHANGE, 0x0004)                     \
  X(RENAME, 0x0005)                            \
  X(QUERY_SECURITY_DESC, 0x0006)               \
  X(GET_USER_QUOTA, 0x0007)                    \
  X(SET_USER_QUOTA, 0x0008)
/** @copydoc SMBW_TRANS2_LIST */
#define SMBW_TRANS_PIPE_LIST(X)                       \
  X(SET_NM_PIPE_STATE, SetNmpHandState, 0x0001)       \
  X(RAW_READ_NM_PIPE, RawReadNmPipe, 0x0011)          \
  X(QUERY_NM_PIPE_STATE, QueryNmpHandState, 0x0021)   \
  X(QUERY_NM_PIPE_INFO, QueryNmpInfo, 0x0022)         \
  X(PEEK_NM_PIPE, PeekNmPipe, 0x0023)                 \
  X(TRANSACT_NM_PIPE, TransactNmPipe, 0x0026)         \
  X(RAW_WRITE_NM_PIPE, RawWriteNmPipe, 0x0031)        \
  X(READ_NM_PIPE, ReadNmPipe, 0x0036)                 \
  X(WRITE_NM_PIPE, WriteNmPipe, 0x0037)               \
  X(WAIT_NM_PIPE, WaitNmPipe, 0x0053)                 \
  X(CALL_NM_PIPE, CallNmPipe, 0x0054)

/** Subcommand codes (see ::SMBW_TRANS2_LIST). */
enum smbw_trans_subcommand {
#define SMBW_X_TRANS2(name, code) SMBW_TRANS2_##name = code,
  SMBW_TRANS2_LIST(SMBW_X_TRANS2)
#undef SMBW_X_TRANS2
#define SMBW_X_NT_TRANSACT(name, code) SMBW_NT_TRANSACT_##name = code,
  SMBW_NT_TRANSACT_LIST(SMBW_X_NT_TRANSACT)
#undef SMBW_X_NT_TRANSACT
#define SMBW_X_TRANS_PIPE(name, text, code) SMBW_TRANS_##name = code,
  SMBW_TRANS_PIPE_LIST(SMBW_X_TRANS_PIPE)
#undef SMBW_X_TRANS_PIPE
  SMBW_TRANS_SUBCOMMAND_END_ /**< not a code */
};

/**
 * Name of a transaction subcommand: for @p command 0x25/0x26 the named
 * pipe function of setup word 0 ("TransactNmPipe", MS-CIFS 2.2.5), for
 * 0x32/0x33 the TRANS2 subcommand ("TRANS2_FIND_FIRST2", MS-CIFS 2.2.6),
 * for 0xA0/0xA1 the NT_TRANSACT function ("NT_TRANSACT_IOCTL", MS-CIFS
 * 2.2.7).
 * @param command  the transaction command (primary or secondary)
 * @param code     the subcommand: setup word 0, or the NT_TRANSACT Function
 * @return a static string, or NULL when the code is not defined.
 */
SMBW_API const char *smbw_trans_subcommand_name(uint8_t command, uint16_t code);

/** Disjoint byte ranges received so far in one area (private). */
typedef struct smbw_trans_ranges {
  uint32_t n;         /**< ranges in use */
  uint32_t got;       /**< bytes received */
  uint32_t hi;        /**< end of the highest range */
  uint32_t lo_[8];    /**< range starts, ascending */
  uint32_t hi_[8];    /**< range ends */
} smbw_trans_ranges;

/**
 * Transaction reassembler.  Caller-allocated; initialise with
 * smbw_trans_asm_init() over two buffers the caller owns, one for the
 * parameters and one for the data, then feed it the requests (primary,
 * then secondaries) or the responses of one transaction.  Treat the members
 * as private, except @c params and @c data once complete.
 *
 * Rules (MS-CIFS 3.3.5.2, and what MS17-010 taught): every fragment comes
 * from the same UID, TID, PID and MID and the same family (a TRANSACTION2
 * secondary does not continue an NT_TRANSACT); totals may shrink but never
 * grow nor fall below the bytes already received; a fragment lies within
 * the total at its displacement; fragments never overlap; out-of-order
 * fragments are allowed, up to eight disjoint pieces per area at a time.
 * No input can make it write outside the two buffers.
 */
typedef struct smbw_trans_asm {
  smbw_bytes params;        /**< once complete: the parameters (in the
                                 caller's buffer) */
  smbw_bytes data;          /**< once complete: the data */
  uint32_t total_params;    /**< current TotalParameterCount */
  uint32_t total_data;      /**< current TotalDataCount */
  uint16_t subcommand;      /**< setup word 0 (TRANSACTION, TRANSACTION2)
                                 or Function (NT_TRANSACT) of the primary
                                 request; setup word 0 of the first response */
  uint8_t command;          /**< primary command of the transaction, 0
                                 before the first fragment */
  uint8_t response;         /**< 1 when assembling responses */
  uint8_t done;             /**< 1 once complete */
  uint8_t fragments;        /**< fragments accepted (saturating) */
  uint16_t tid;             /**< TID of the first fragment */
  uint16_t uid;             /**< UID */
  uint16_t mid;             /**< MID */
  uint32_t pid;             /**< PID (PIDHigh << 16 | PIDLow) */
  uint8_t *pbuf_;           /**< private: parameter buffer */
  uint8_t *dbuf_;           /**< private: data buffer */
  uint32_t pcap_;           /**< private: its size */
  uint32_t dcap_;           /**< private: its size */
  smbw_trans_ranges pr_;    /**< private: parameter ranges received */
  smbw_trans_ranges dr_;    /**< private: data ranges received */
  uintptr_t reserved_[4];   /**< room for new private state within the SONAME */
} smbw_trans_asm;

/**
 * Initialise a reassembler over caller buffers.  Never writes to them
 * until a fragment is accepted.
 * @param a            the reassembler
 * @param params       buffer for the parameters (NULL with @p params_cap 0)
 * @param params_cap   its size
 * @param data         buffer for the data (NULL with @p data_cap 0)
 * @param data_cap     its size
 * @return 0 or SMBW_E_INVAL (NULL @p a, NULL buffer with a size, a size
 *         over 2^32-1).
 */
SMBW_API int smbw_trans_asm_init(smbw_trans_asm *a, uint8_t *params, size_t params_cap,
                                 uint8_t *data, size_t data_cap);

/**
 * Add a request fragment: the first must be a primary request, the next
 * ones secondary requests of the same family.
 * @param a    the reassembler
 * @param r    a decoded request
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param hdr  the header of the message it came from (IDs are compared)
 * @param err  receives the error (nullable): the offset is the fragment's
 *             displacement where that is what failed
 * @return 1 when the transaction is complete (@c params and @c data are
 *         set), 0 when more fragments are needed, or an error (a refused
 *         fragment leaves the reassembler unchanged, except that
 *         SMBW_E_NOSPACE on the first fragment stores its totals):
 *         SMBW_E_INVAL, SMBW_E_STATE (already complete, or a secondary
 *         first), SMBW_E_TRANS_MISMATCH (another family, a second primary
 *         request, a request among responses or the reverse, field
 *         "Command"; or other IDs, field "TID/PID/UID/MID"),
 *         SMBW_E_TRANS_TOTAL (a total that grows, or falls below what was
 *         received), SMBW_E_TRANS_DISPLACEMENT (past the total),
 *         SMBW_E_TRANS_OVERLAP (overlaps bytes received),
 *         SMBW_E_TRANS_FRAGMENTS (more than eight disjoint pieces),
 *         SMBW_E_NOSPACE (a total larger than the caller's buffer; the
 *         totals are in @c total_params / @c total_data).
 */
SMBW_API int smbw_trans_asm_req_(smbw_trans_asm *a, const smbw_trans_req *r, size_t r_size,
                                 const smbw_header *hdr, smbw_error *err);

/** smbw_trans_asm_req_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_trans_asm_req(smbw_trans_asm *a, const smbw_trans_req *r,
                                     const smbw_header *hdr, smbw_error *err) {
  return smbw_trans_asm_req_(a, r, sizeof *r, hdr, err);
}

/**
 * Add a response fragment (all with the same command).  A WordCount 0
 * response (interim or error) carries no fragment: returns 0 and changes
 * nothing.
 * @param a    the reassembler
 * @param r    a decoded response
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param hdr  the header of the message it came from (IDs are compared)
 * @param err  receives the error (nullable)
 * @return as smbw_trans_asm_req().
 */
SMBW_API int smbw_trans_asm_rsp_(smbw_trans_asm *a, const smbw_trans_rsp *r, size_t r_size,
                                 const smbw_header *hdr, smbw_error *err);

/** smbw_trans_asm_rsp_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_trans_asm_rsp(smbw_trans_asm *a, const smbw_trans_rsp *r,
                                     const smbw_header *hdr, smbw_error *err) {
  return smbw_trans_asm_rsp_(a, r, sizeof *r, hdr, err);
}

#ifdef __cplusplus
}
#endif
#endif
