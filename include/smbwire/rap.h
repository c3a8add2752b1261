/**
 * @file rap.h
 * @brief The Remote Administration Protocol (MS-RAP) carried by
 *        SMB_COM_TRANSACTION on \\PIPE\\LANMAN: its request and response
 *        parameters, a descriptor-driven walk over parameters and data, the
 *        encoder driven by the same descriptors, and typed entries for the
 *        calls of a small table (NetShareEnum, NetShareGetInfo,
 *        NetServerGetInfo, NetWkstaGetInfo, NetServerEnum2).
 *
 * A RAP request is the transaction's parameters: RAPOpcode, ParamDesc and
 * DataDesc (NUL-terminated ASCII descriptor strings), the parameters that
 * ParamDesc says the client sends, and an optional AuxDesc.  The response
 * parameters are Status and Converter followed by the parameters ParamDesc
 * says the server returns ('e', 'h', 'i', 'g'); the response data holds
 * fixed-size structures laid out by DataDesc whose 'z' members are 32-bit
 * pointers: their low 16 bits minus Converter give the offset of an ASCII
 * string in the response data.
 *
 * Every function here works on views of the transaction's parameter and
 * data bytes (of one message, or reassembled by smbw_trans_asm); error
 * offsets count from the start of the area named by the error's field
 * ("RAPParams" and the request fields: the parameters; "RAPData" and the
 * entry fields: the data).  Decoders write their output only on success.
 */
#ifndef SMBWIRE_RAP_H
#define SMBWIRE_RAP_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Which part of an exchange a descriptor is walked over.
 *
 * A descriptor character stands for a field on one side only: in a
 * parameter descriptor 'W', 'D', 'b', 'B', 'z', 'L', 'T', 'P' and 'F' are
 * sent by the client and 'e', 'h', 'i' and 'g' returned by the server; 'r',
 * 's' and 'O' (buffer pointers) are never on the wire.  A data descriptor
 * lays out one structure of the data: 'W' and 'N' 2 bytes, 'D' 4, 'B' and
 * 'F' n bytes, 'z', 'b' and 'O' 4-byte pointers.  Each character may be
 * followed by a decimal count (default 1), which for 'B', 'b', 'F' and 'g'
 * is a byte count.
 */
enum smbw_rap_side {
  SMBW_RAP_REQ_PARAMS = 0, /**< a ParamDesc over the request's RAPParams */
  SMBW_RAP_RSP_PARAMS = 1, /**< a ParamDesc over the response parameters
                                after Status and Converter */
  SMBW_RAP_DATA = 2        /**< a DataDesc (or AuxDesc) over one structure
                                of the data */
};

/** What a walked field holds (smbw_rap_field::kind). */
enum smbw_rap_kind {
  SMBW_RAP_NONE = 0,  /**< not on the wire on this side ('r', 's', 'O' in
                           parameters, the other side's characters) */
  SMBW_RAP_INT = 1,   /**< an integer in @c value ('W', 'D', 'L', 'T', 'P',
                           'e', 'h', 'i', 'N'; 'O' in data: the pointer) */
  SMBW_RAP_BYTES = 2, /**< bytes in @c bytes ('B', 'b' in parameters, 'F',
                           'g'); @c value is the first byte when the count
                           is 1 */
  SMBW_RAP_STR = 3,   /**< 'z': the ASCII string in @c bytes, NUL excluded
                           (inline in parameters; at the pointer in data,
                           @c value the pointer, @c bytes.data NULL when the
                           pointer is 0) */
  SMBW_RAP_PTR = 4    /**< 'b' in data: @c value the pointer, @c bytes the
                           count bytes it points at (NULL for pointer 0) */
};

/**
 * One field of a descriptor walk.  Growable (doc/abi.md): filled by
 * smbw_rap_walk_next_() with the caller's sizeof; read by smbw_rap_put_()
 * with the stride of the caller's array.
 */
typedef struct smbw_rap_field {
  uint8_t desc;      /**< the descriptor character ('W', 'z', ...) */
  uint8_t kind;      /**< enum smbw_rap_kind */
  uint16_t index;    /**< position of the item in the descriptor, from 0 */
  uint32_t count;    /**< the count after the character (1 without) */
  uint32_t offset;   /**< where the field starts in the area walked */
  uint32_t width;    /**< bytes it takes there (0 for SMBW_RAP_NONE; 4 for
                          a pointer, whatever it points at) */
  uint32_t value;    /**< the integer, the pointer, or the first byte */
  smbw_bytes bytes;  /**< the bytes or the string (views into the area) */
} smbw_rap_field;

/**
 * A descriptor walk.  Caller-allocated; initialise with
 * smbw_rap_walk_init().  Members are private except @c pos, the offset in
 * the area of the next field (after the last one: where the walked fields
 * end).
 */
typedef struct smbw_rap_walk {
  smbw_bytes desc_;       /**< private: the descriptor */
  smbw_bytes area_;       /**< private: the bytes walked (also where data
                               pointers point) */
  uint32_t dpos_;         /**< private: next character of the descriptor */
  uint32_t pos;           /**< offset of the next field in the area */
  uint16_t index_;        /**< private: items yielded */
  uint16_t converter_;    /**< private: the response's Converter */
  uint8_t side_;          /**< private: enum smbw_rap_side */
  uint8_t done_;          /**< private */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_rap_walk;

/**
 * Start a walk of @p desc over @p area from offset @p start.
 * @param w          the walk
 * @param side       enum smbw_rap_side
 * @param desc       the descriptor, without its NUL (a NUL ends it too)
 * @param area       request parameters (the bytes after DataDesc's NUL),
 *                   response parameters (after Converter), or the whole
 *                   data of the transaction (data pointers resolve in it)
 * @param start      offset of the first field in @p area (for data: the
 *                   start of the structure)
 * @param converter  the response's Converter (data side; 0 otherwise)
 */
SMBW_API void smbw_rap_walk_init(smbw_rap_walk *w, int side, smbw_bytes desc, smbw_bytes area,
                                 uint32_t start, uint16_t converter);

/**
 * The next field.  Every width and count is checked against the area,
 * every pointer against the data, every string for its terminator.
 * @param w      the walk
 * @param f      receives the field (views into the area)
 * @param f_size sizeof *f as the caller compiled it (doc/abi.md); below
 *               the first published size: SMBW_E_INVAL
 * @param err    receives code, offset and field on failure (nullable)
 * @return 1 with a field, 0 at the end of the descriptor, or an error
 *         (the walk then stays at the failed field): SMBW_E_INVAL (NULL
 *         argument, a character not defined for the side, field
 *         "ParamDesc" or "DataDesc" with the offset of the character in
 *         the descriptor, or a count over 65535), SMBW_E_TRUNCATED (the
 *         field runs past the area: field "RAPParams" / "RAPData"),
 *         SMBW_E_STR_UNTERMINATED (an inline 'z' without NUL, field
 *         "RAPParams"; a string at a pointer without NUL in the data,
 *         field "RAPData"), SMBW_E_DATA_OFFSET (a pointer whose offset
 *         (low 16 bits minus Converter) is outside the data, or whose
 *         'b' bytes run past it; field "RAPData", offset of the pointer).
 */
SMBW_API int smbw_rap_walk_next_(smbw_rap_walk *w, smbw_rap_field *f, size_t f_size,
                                 smbw_error *err);

/** smbw_rap_walk_next_() with the caller's sizeof *f (doc/abi.md). */
static inline int smbw_rap_walk_next(smbw_rap_walk *w, smbw_rap_field *f, smbw_error *err) {
  return smbw_rap_walk_next_(w, f, sizeof *f, err);
}

/**
 * Bytes one item list takes on a side: the size of a data structure
 * (the stride of the entries of a response) or of the request parameters.
 * Inline strings count as 1 (their NUL alone).
 * @param side  enum smbw_rap_side
 * @param desc  the descriptor
 * @param size  receives the size
 * @param err   receives the error (nullable)
 * @return 0, SMBW_E_INVAL (NULL @p size, a character not defined for the
 *         side, a count over 65535).
 */
SMBW_API int smbw_rap_desc_size(int side, smbw_bytes desc, uint32_t *size, smbw_error *err);

/**
 * Write fields laid out by a descriptor: the encoder of the walk.  Item i
 * of @p desc takes its value from @p vals[i] (@c value for integers,
 * @c bytes for bytes and strings; @c desc, @c kind, @c offset and
 * @c width are not read).  Fixed-size fields go at @p *pos, the strings
 * and bytes that data pointers point at at @p *heap (data side; a pointer
 * is written as its heap offset plus @p converter, and a 'z' or 'b' with
 * @c bytes.data NULL as pointer 0; 'O' writes @c value).  'B', 'F' and 'g'
 * write their count of bytes: @c bytes, then zeros (with count 1 and no
 * bytes, @c value).  Nothing is written past @p cap; both positions
 * advance as if it were large enough, so on SMBW_E_NOSPACE the larger of
 * @p *pos and @p *heap is the size needed.
 * @param buf        the output (NULL with @p cap 0 to measure)
 * @param cap        its size
 * @param pos        in: where the fields go; out: after them
 * @param heap       in/out: where pointed-at bytes go (data side; ignored
 *                   and may be NULL otherwise)
 * @param side       enum smbw_rap_side
 * @param desc       the descriptor
 * @param converter  added to heap offsets to make pointers
 * @param vals       one value per descriptor item
 * @param nvals      how many
 * @param val_size   sizeof vals[0] as the caller compiled it (the stride)
 * @return 0, SMBW_E_INVAL (NULL argument, fewer values than items, a bad
 *         descriptor, a view with NULL data and a length), SMBW_E_RANGE
 *         (bytes longer than their count, an integer over its width, a
 *         pointer over 16 bits), SMBW_E_NOSPACE.
 */
SMBW_API int smbw_rap_put_(uint8_t *buf, size_t cap, size_t *pos, size_t *heap, int side,
                           smbw_bytes desc, uint16_t converter, const smbw_rap_field *vals,
                           size_t nvals, size_t val_size);

/** smbw_rap_put_() with the caller's sizeof vals[0] (doc/abi.md). */
static inline int smbw_rap_put(uint8_t *buf, size_t cap, size_t *pos, size_t *heap, int side,
                               smbw_bytes desc, uint16_t converter, const smbw_rap_field *vals,
                               size_t nvals) {
  return smbw_rap_put_(buf, cap, pos, heap, side, desc, converter, vals, nvals, sizeof *vals);
}

/** A RAP request (the transaction parameters and data of a call). */
typedef struct smbw_rap_req {
  uint16_t opcode;       /**< RAPOpcode (MS-RAP 2.5.4): 0 NetShareEnum, ... */
  smbw_bytes param_desc; /**< ParamDesc, NUL excluded */
  smbw_bytes data_desc;  /**< DataDesc, NUL excluded (may be empty) */
  smbw_bytes params;     /**< RAPParams: the bytes ParamDesc lays out */
  smbw_bytes aux_desc;   /**< AuxDesc, NUL excluded; data NULL when absent */
  smbw_bytes extra;      /**< parameter bytes after all that (normally none) */
  smbw_bytes data;       /**< the transaction data (the send buffer 's') */
} smbw_rap_req;

/**
 * Decode a RAP request from the transaction parameters and data.
 * RAPParams end where a walk of ParamDesc (SMBW_RAP_REQ_PARAMS) ends; an
 * AuxDesc follows when bytes remain.
 * @param params   the transaction parameters
 * @param data     the transaction data (kept as a view)
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL (NULL @p out, bad view); SMBW_E_TRUNCATED
 *         (fewer than 2 bytes, field "RAPOpcode"); SMBW_E_STR_UNTERMINATED
 *         ("ParamDesc", "DataDesc", "AuxDesc" without NUL); the walk's
 *         errors for RAPParams.
 */
SMBW_API int smbw_rap_req_decode_(smbw_bytes params, smbw_bytes data, smbw_rap_req *out,
                                  size_t out_size, smbw_error *err);

/** smbw_rap_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_rap_req_decode(smbw_bytes params, smbw_bytes data, smbw_rap_req *out,
                                      smbw_error *err) {
  return smbw_rap_req_decode_(params, data, out, sizeof *out, err);
}

/**
 * Write the parameters of a RAP request: RAPOpcode, ParamDesc, DataDesc,
 * @c params as given, AuxDesc when @c aux_desc.data is not NULL, @c extra
 * (the data is the caller's to send as the transaction data).
 * @param buf   the output
 * @param cap   its size
 * @param r     the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md)
 * @param len   receives the size written, or needed on SMBW_E_NOSPACE
 * @return 0, SMBW_E_INVAL (NULL argument, bad view, a descriptor holding a
 *         NUL), SMBW_E_NOSPACE.
 */
SMBW_API int smbw_rap_req_encode_(uint8_t *buf, size_t cap, const smbw_rap_req *r, size_t r_size,
                                  size_t *len);

/** smbw_rap_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_rap_req_encode(uint8_t *buf, size_t cap, const smbw_rap_req *r,
                                      size_t *len) {
  return smbw_rap_req_encode_(buf, cap, r, sizeof *r, len);
}

/** A RAP response's parameters. */
typedef struct smbw_rap_rsp {
  uint16_t status;    /**< Status: 0 or a Win32 error (MS-RAP 2.5.2; 234
                           ERROR_MORE_DATA: the entries did not all fit) */
  uint16_t converter; /**< Converter: subtracted from data pointers */
  smbw_bytes params;  /**< the parameters after Converter, as laid out by
                           the request's ParamDesc (SMBW_RAP_RSP_PARAMS) */
} smbw_rap_rsp;

/**
 * Decode a RAP response's parameters.
 * @param params   the transaction parameters of the response
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL; SMBW_E_TRUNCATED (fewer than 4 bytes: field
 *         "Status" or "Converter").
 */
SMBW_API int smbw_rap_rsp_decode_(smbw_bytes params, smbw_rap_rsp *out, size_t out_size,
                                  smbw_error *err);

/** smbw_rap_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_rap_rsp_decode(smbw_bytes params, smbw_rap_rsp *out, smbw_error *err) {
  return smbw_rap_rsp_decode_(params, out, sizeof *out, err);
}

/**
 * Write a RAP response's parameters: Status, Converter, @c params.
 * @param buf    the output
 * @param cap    its size
 * @param r      the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md)
 * @param len    receives the size written, or needed on SMBW_E_NOSPACE
 * @return 0, SMBW_E_INVAL, SMBW_E_NOSPACE (@p len: the size needed).
 */
SMBW_API int smbw_rap_rsp_encode_(uint8_t *buf, size_t cap, const smbw_rap_rsp *r, size_t r_size,
                                  size_t *len);

/** smbw_rap_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_rap_rsp_encode(uint8_t *buf, size_t cap, const smbw_rap_rsp *r,
                                      size_t *len) {
  return smbw_rap_rsp_encode_(buf, cap, r, sizeof *r, len);
}

/* ---- the typed calls ---- */

/** RAP opcodes of the typed table (MS-RAP 2.5.4). */
enum smbw_rap_opcode {
  SMBW_RAP_NET_SHARE_ENUM = 0,
  SMBW_RAP_NET_SHARE_GET_INFO = 1,
  SMBW_RAP_NET_SERVER_GET_INFO = 13,
  SMBW_RAP_NET_WKSTA_GET_INFO = 63,
  SMBW_RAP_NET_SERVER_ENUM2 = 104
};

/**
 * The ParamDesc the table has for a call: "WrLeh" (NetShareEnum), "zWrLh"
 * (NetShareGetInfo), "WrLh" (NetServerGetInfo, NetWkstaGetInfo),
 * "WrLehDz" (NetServerEnum2; "WrLehDO", no domain, when @p null_name).
 * smbw_rap_call_req_encode() writes the RAPParams of that descriptor.
 * @param opcode     the RAPOpcode
 * @param null_name  non-zero when smbw_rap_call::name has NULL data
 * @return a static string, or NULL for an opcode not in the table.
 */
SMBW_API const char *smbw_rap_call_param_desc(uint16_t opcode, int null_name);

/**
 * Name of a RAP opcode of the table ("NetShareEnum", ...), or NULL.
 * @param opcode the RAPOpcode
 * @return a static string or NULL.
 */
SMBW_API const char *smbw_rap_opcode_name(uint16_t opcode);

/**
 * Name of item @p index of a descriptor of the table's call @p opcode,
 * as MS-RAP names it ("Level", "RcvBufLen", "EntriesReturned",
 * "ServerType", "NetName", "Remark", ...): the parameter descriptor when
 * @p data_desc is empty, else the structure @p data_desc lays out.
 * @param opcode     the RAPOpcode
 * @param data_desc  a data descriptor of the table, or empty
 * @param index      smbw_rap_field::index
 * @return a static string, or NULL (not in the table; a pad).
 */
SMBW_API const char *smbw_rap_field_name(uint16_t opcode, smbw_bytes data_desc, unsigned index);

/**
 * The parameters of a call of the table, request and response together.
 * Growable (doc/abi.md).
 */
typedef struct smbw_rap_call {
  uint16_t opcode;           /**< RAPOpcode */
  uint16_t level;            /**< 'W' Level (every call of the table) */
  uint16_t rcv_buf_len;      /**< 'L' RcvBufLen */
  uint32_t server_type;      /**< 'D' ServerType (NetServerEnum2) */
  smbw_bytes name;           /**< 'z' NetName (NetShareGetInfo) or Domain
                                  (NetServerEnum2; empty or absent: the
                                  server's), NUL excluded */
  uint16_t entries_returned; /**< response 'e' EntriesReturned (enums) */
  uint16_t entries_avail;    /**< response 'h': EntriesAvailable (enums),
                                  TotalBytesAvailable (GetInfo calls) */
  smbw_bytes extra;          /**< reserved for growth: always empty */
} smbw_rap_call;

/**
 * Decode the request parameters of a call of the table into @p out
 * (@c entries_* are 0).  The ParamDesc must be one the table has for the
 * opcode (smbw_rap_call_param_desc()).
 * @param r        a decoded request
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL (NULL argument); SMBW_E_LEVEL (an opcode not
 *         in the table, field "RAPOpcode"; another ParamDesc, field
 *         "ParamDesc"); the walk's errors.
 */
SMBW_API int smbw_rap_call_req_decode_(const smbw_rap_req *r, smbw_rap_call *out,
                                       size_t out_size, smbw_error *err);

/** smbw_rap_call_req_decode_() with the caller's sizeof *out. */
static inline int smbw_rap_call_req_decode(const smbw_rap_req *r, smbw_rap_call *out,
                                           smbw_error *err) {
  return smbw_rap_call_req_decode_(r, out, sizeof *out, err);
}

/**
 * Write the RAPParams of a call of the table (the bytes its ParamDesc
 * lays out), for smbw_rap_req::params.
 * @param buf    the output
 * @param cap    its size
 * @param c      the call (opcode, level, rcv_buf_len, server_type, name)
 * @param c_size sizeof *c (doc/abi.md)
 * @param len    receives the size written or needed
 * @return 0, SMBW_E_INVAL, SMBW_E_LEVEL (opcode not in the table),
 *         SMBW_E_NOSPACE.
 */
SMBW_API int smbw_rap_call_req_encode_(uint8_t *buf, size_t cap, const smbw_rap_call *c,
                                       size_t c_size, size_t *len);

/** smbw_rap_call_req_encode_() with the caller's sizeof *c. */
static inline int smbw_rap_call_req_encode(uint8_t *buf, size_t cap, const smbw_rap_call *c,
                                           size_t *len) {
  return smbw_rap_call_req_encode_(buf, cap, c, sizeof *c, len);
}

/**
 * Read the response parameters of a call of the table ('e', 'h') into
 * @c entries_returned and @c entries_avail of @p inout (the other members,
 * from the request, are kept).
 * @param opcode   the request's RAPOpcode
 * @param r        the decoded response
 * @param inout    the call
 * @param size     sizeof *inout (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0, SMBW_E_INVAL, SMBW_E_LEVEL, the walk's errors.
 */
SMBW_API int smbw_rap_call_rsp_decode_(uint16_t opcode, const smbw_rap_rsp *r,
                                       smbw_rap_call *inout, size_t size, smbw_error *err);

/** smbw_rap_call_rsp_decode_() with the caller's sizeof *inout. */
static inline int smbw_rap_call_rsp_decode(uint16_t opcode, const smbw_rap_rsp *r,
                                           smbw_rap_call *inout, smbw_error *err) {
  return smbw_rap_call_rsp_decode_(opcode, r, inout, sizeof *inout, err);
}

/**
 * One structure of a response's data, typed: a share (NetShareEnum,
 * NetShareGetInfo levels 0, 1, 2), a server (NetServerGetInfo,
 * NetServerEnum2 levels 0, 1) or a workstation (NetWkstaGetInfo level
 * 10).  Members the level does not have are 0 or empty.  Strings are
 * ASCII views without their NUL (a fixed-size name up to its first NUL);
 * a 'z' pointer of 0 is a view with NULL data.  Growable (doc/abi.md).
 */
typedef struct smbw_rap_info {
  uint16_t opcode;          /**< the call */
  uint16_t level;           /**< the information level its DataDesc is */
  smbw_bytes name;          /**< share NetName (B13), server Name (B16),
                                 workstation ComputerName (z) */
  smbw_bytes comment;       /**< share Remark, server Comment (z) */
  uint32_t type;            /**< share Type (W: 0 disk, 1 printer, 2
                                 device, 3 IPC), server Type (D:
                                 SV_TYPE_* bits) */
  uint8_t version_major;    /**< server / workstation major version */
  uint8_t version_minor;    /**< server / workstation minor version */
  uint8_t pad1;             /**< share Pad after NetName */
  uint8_t pad2;             /**< share level 2: Pad after Password */
  uint16_t permissions;     /**< share level 2 Permissions */
  uint16_t max_uses;        /**< share level 2 MaxUses */
  uint16_t current_uses;    /**< share level 2 CurrentUses */
  smbw_bytes path;          /**< share level 2 Path (z) */
  smbw_bytes password;      /**< share level 2 Password (B9) */
  smbw_bytes user_name;     /**< workstation UserName (z) */
  smbw_bytes langroup;      /**< workstation LanGroup (z) */
  smbw_bytes logon_domain;  /**< workstation LogonDomain (z) */
  smbw_bytes other_domains; /**< workstation OtherDomains (z) */
  smbw_bytes extra;         /**< reserved for growth: always empty */
} smbw_rap_info;

/**
 * Iterator over the structures of a response's data.  Caller-allocated;
 * members private.
 */
typedef struct smbw_rap_iter {
  smbw_bytes data_;       /**< private */
  smbw_bytes desc_;       /**< private */
  uint32_t count_;        /**< private: structures to read */
  uint32_t i_;            /**< private: structures read */
  uint32_t stride_;       /**< private: size of one structure */
  uint16_t converter_;    /**< private */
  uint16_t opcode_;       /**< private */
  uint16_t level_;        /**< private */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_rap_iter;

/**
 * Start reading @p count structures of a call of the table.
 * @param it        the iterator
 * @param opcode    the request's RAPOpcode
 * @param data_desc the request's DataDesc: one of the table's for the
 *                  opcode (it gives the level)
 * @param data      the response data
 * @param converter the response's Converter
 * @param count     EntriesReturned for the enums, 1 for a GetInfo with
 *                  Status 0 or 234 (ERROR_MORE_DATA), else 0
 * @param err       receives the error (nullable)
 * @return 0; SMBW_E_INVAL (NULL argument); SMBW_E_LEVEL (opcode not in the
 *         table, field "RAPOpcode"; a DataDesc the table has not for it,
 *         field "DataDesc"); SMBW_E_COUNT (@p count structures do not fit
 *         in the data, field "EntriesReturned", offset: the data size).
 */
SMBW_API int smbw_rap_iter_init(smbw_rap_iter *it, uint16_t opcode, smbw_bytes data_desc,
                                smbw_bytes data, uint16_t converter, uint32_t count,
                                smbw_error *err);

/**
 * The next structure.
 * @param it       the iterator
 * @param out      receives it (written only on success)
 * @param out_size sizeof *out (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 1 with a structure, 0 at the end, or the walk's error (the
 *         iterator then stays at that structure).
 */
SMBW_API int smbw_rap_iter_next_(smbw_rap_iter *it, smbw_rap_info *out, size_t out_size,
                                 smbw_error *err);

/** smbw_rap_iter_next_() with the caller's sizeof *out. */
static inline int smbw_rap_iter_next(smbw_rap_iter *it, smbw_rap_info *out, smbw_error *err) {
  return smbw_rap_iter_next_(it, out, sizeof *out, err);
}

/**
 * Write one structure of a call of the table: the encoder of
 * smbw_rap_iter_next().  Fixed fields at @p *pos, strings at @p *heap, as
 * smbw_rap_put() (a fixed-size name is written with zeros after it).
 * @param buf        the response data being built
 * @param cap        its size
 * @param pos        in/out: where the structure goes
 * @param heap       in/out: where its strings go
 * @param data_desc  the DataDesc (one of the table's for @c in->opcode)
 * @param converter  the Converter the response will carry
 * @param in         the structure
 * @param in_size    sizeof *in (doc/abi.md)
 * @return 0, SMBW_E_INVAL, SMBW_E_LEVEL, SMBW_E_RANGE (a name longer than
 *         its field: a name of exactly its size goes without NUL; a
 *         pointer over 16 bits), SMBW_E_NOSPACE (max of the
 *         positions: the size needed).
 */
SMBW_API int smbw_rap_info_put_(uint8_t *buf, size_t cap, size_t *pos, size_t *heap,
                                smbw_bytes data_desc, uint16_t converter,
                                const smbw_rap_info *in, size_t in_size);

/** smbw_rap_info_put_() with the caller's sizeof *in. */
static inline int smbw_rap_info_put(uint8_t *buf, size_t cap, size_t *pos, size_t *heap,
                                    smbw_bytes data_desc, uint16_t converter,
                                    const smbw_rap_info *in) {
  return smbw_rap_info_put_(buf, cap, pos, heap, data_desc, converter, in, sizeof *in);
}

/**
 * A view of a C string (for descriptors): {@p s, strlen(@p s)}.
 * @param s a NUL-terminated string, or NULL for an empty view
 */
static inline smbw_bytes smbw_rap_desc(const char *s) {
  smbw_bytes v = {(const uint8_t *)s, 0};
  if (s)
    while (s[v.len]) v.len++;
  return v;
}

#ifdef __cplusplus
}
#endif
#endif
