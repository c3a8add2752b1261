/**
 * @file dgram.h
 * @brief NetBIOS Datagram Service packets (RFC 1002 section 4.4), UDP
 *        port 138.
 *
 * One UDP datagram carries one packet; there is no stream to frame.  Every
 * packet starts with the same 10 bytes: MSG_TYPE, FLAGS, DGM_ID (16-bit),
 * SOURCE_IP (32-bit) and SOURCE_PORT (16-bit), all big-endian.  Then:
 *
 * | type | after the 10 bytes |
 * |---|---|
 * | DIRECT_UNIQUE 0x10, DIRECT_GROUP 0x11, BROADCAST 0x12 | DGM_LENGTH (16), PACKET_OFFSET (16), SOURCE_NAME, DESTINATION_NAME, user data |
 * | DATAGRAM ERROR 0x13 | ERROR_CODE (8) |
 * | QUERY REQUEST 0x14, POSITIVE 0x15 and NEGATIVE 0x16 QUERY RESPONSE | DESTINATION_NAME |
 *
 * DGM_LENGTH counts the bytes after PACKET_OFFSET: the two names and the
 * user data.  Names are first-level encoded NetBIOS names with their scope
 * (RFC 1001 14.1), as in a session request (smbw_nb_name, nbss.h).  A
 * datagram to a mailslot carries an SMB message as its user data (a
 * TRANSACTION request to \\MAILSLOT\\...): decode it with smbw_msg_decode()
 * and smbw_trans_req_decode().
 *
 * Offsets in an smbw_error from these functions count from the first byte
 * of the datagram (the UDP payload).
 */
#ifndef SMBWIRE_DGRAM_H
#define SMBWIRE_DGRAM_H

#include <smbwire/common.h>
#include <smbwire/nbss.h>
#include <smbwire/trans.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The UDP port of the datagram service. */
#define SMBW_DGRAM_PORT 138u
/** Size of the header every datagram packet starts with (type to port). */
#define SMBW_DGRAM_HEADER_SIZE 10u
/** Size of the header of a DIRECT or BROADCAST datagram (to PACKET_OFFSET). */
#define SMBW_DGRAM_DATA_HEADER_SIZE 14u
/** Size of a DATAGRAM ERROR packet. */
#define SMBW_DGRAM_ERROR_SIZE 11u

/** Datagram packet types (RFC 1002 4.4.1, MSG_TYPE). */
enum smbw_dgram_type {
  SMBW_DGRAM_DIRECT_UNIQUE = 0x10,  /**< to one unique name */
  SMBW_DGRAM_DIRECT_GROUP = 0x11,   /**< to a group name */
  SMBW_DGRAM_BROADCAST = 0x12,      /**< to every node (destination name ignored) */
  SMBW_DGRAM_ERROR = 0x13,          /**< datagram error, ERROR_CODE */
  SMBW_DGRAM_QUERY_REQUEST = 0x14,  /**< NBDD: can you deliver to this name? */
  SMBW_DGRAM_POSITIVE_QUERY = 0x15, /**< NBDD: yes */
  SMBW_DGRAM_NEGATIVE_QUERY = 0x16  /**< NBDD: no */
};

/** FLAGS bits (RFC 1002 4.4.1).  The four high bits are reserved (zero). */
enum smbw_dgram_flags {
  SMBW_DGRAM_FLAG_MORE = 0x01,      /**< M: more fragments follow */
  SMBW_DGRAM_FLAG_FIRST = 0x02,     /**< F: first fragment */
  SMBW_DGRAM_FLAG_SNT_MASK = 0x0C,  /**< SNT: source node type (bits 2-3) */
  SMBW_DGRAM_FLAG_RESERVED = 0xF0   /**< must be zero */
};

/** Source node types, the SNT field: (flags & SMBW_DGRAM_FLAG_SNT_MASK) >> 2. */
enum smbw_dgram_node {
  SMBW_DGRAM_NODE_B = 0,   /**< B node (broadcast) */
  SMBW_DGRAM_NODE_P = 1,   /**< P node (point to point) */
  SMBW_DGRAM_NODE_M = 2,   /**< M node (mixed) */
  SMBW_DGRAM_NODE_NBDD = 3 /**< NetBIOS datagram distribution server */
};

/** ERROR_CODE values of a DATAGRAM ERROR packet (RFC 1002 4.4.3). */
enum smbw_dgram_error {
  SMBW_DGRAM_ERR_DEST_NAME_NOT_PRESENT = 0x82,   /**< destination name not present */
  SMBW_DGRAM_ERR_INVALID_SOURCE_NAME = 0x83,     /**< invalid source name format */
  SMBW_DGRAM_ERR_INVALID_DEST_NAME = 0x84        /**< invalid destination name format */
};

/**
 * One datagram packet, every field of every type; the members a type does
 * not carry are zero after decoding and ignored when encoding.
 *
 * The views (@c source.scope, @c destination.scope, @c data) point into
 * the decoded buffer: nothing is copied.  The struct may grow at its end
 * (doc/abi.md): use the wrappers without `_`, which pass its size.
 */
typedef struct smbw_dgram {
  uint8_t type;       /**< MSG_TYPE, enum smbw_dgram_type */
  uint8_t flags;      /**< FLAGS byte, enum smbw_dgram_flags */
  uint16_t id;        /**< DGM_ID */
  uint32_t src_ip;    /**< SOURCE_IP, host order (a.b.c.d is a<<24|b<<16|c<<8|d) */
  uint16_t src_port;  /**< SOURCE_PORT */
  uint16_t length;    /**< DGM_LENGTH (DIRECT, BROADCAST): names and user data;
                           computed by the encoder, which ignores this member */
  uint16_t offset;    /**< PACKET_OFFSET (DIRECT, BROADCAST): where this
                           fragment's user data lies in the whole */
  uint8_t error_code; /**< ERROR_CODE (DATAGRAM ERROR), enum smbw_dgram_error */
  smbw_nb_name source;      /**< SOURCE_NAME (DIRECT, BROADCAST) */
  smbw_nb_name destination; /**< DESTINATION_NAME (DIRECT, BROADCAST, queries) */
  smbw_bytes data;          /**< user data (DIRECT, BROADCAST): a view */
} smbw_dgram;

/**
 * Decode one datagram packet: the whole UDP payload.
 *
 * Checked: the type; the reserved FLAGS bits; that every field is inside
 * @p len; DGM_LENGTH equal to the bytes after PACKET_OFFSET; each name
 * (length byte 32, half-ASCII 'A'..'P', scope labels of 1 to 63 bytes
 * ending with a zero byte, at most 254 bytes of labels) inside DGM_LENGTH;
 * an ERROR packet of exactly 11 bytes and a query of exactly its name.
 *
 * @param buf       the datagram (may be NULL only with @p len 0)
 * @param len       its size
 * @param out       receives the packet; written only on success; members
 *                  the type does not carry are zero
 * @param out_size  sizeof *out as the caller compiled it (doc/abi.md);
 *                  below the struct's first published size: SMBW_E_INVAL
 * @param err       receives code, field and offset (from the first byte of
 *                  @p buf) on failure (nullable)
 * @return 0; SMBW_E_INVAL (NULL argument, or @p out_size too small);
 *         SMBW_E_TRUNCATED (@p len ends inside the header, the error code
 *         or a name; field "MSG_TYPE", "DGM_LENGTH", "ERROR_CODE", "Name");
 *         SMBW_E_NBSS_TYPE (unknown MSG_TYPE, offset 0);
 *         SMBW_E_NBSS_FLAGS (reserved FLAGS bits, offset 1);
 *         SMBW_E_NBSS_LENGTH (DGM_LENGTH not the bytes after PACKET_OFFSET,
 *         or @p len over 14 + 65535, offset 10; bytes after an error code
 *         or a query's name, field "packet");
 *         SMBW_E_NBSS_NAME, SMBW_E_NBSS_SCOPE (a malformed name, at its
 *         offset; a name running past DGM_LENGTH is SMBW_E_TRUNCATED or
 *         SMBW_E_NBSS_SCOPE).
 */
SMBW_API int smbw_dgram_decode_(const uint8_t *buf, size_t len, smbw_dgram *out,
                                size_t out_size, smbw_error *err);

/** smbw_dgram_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_dgram_decode(const uint8_t *buf, size_t len, smbw_dgram *out,
                                    smbw_error *err) {
  return smbw_dgram_decode_(buf, len, out, sizeof *out, err);
}

/**
 * Encode one datagram packet of type @c d->type.  DGM_LENGTH is computed
 * from the names and the user data (@c d->length is ignored); the members
 * the type does not carry are ignored.  Writes only @p out[0 .. @p cap),
 * and nothing unless the whole packet fits.  Decoding the result gives
 * back @p d (with the computed length); re-encoding a decoded packet gives
 * its bytes exactly.
 *
 * @param out     destination (may be NULL with @p cap 0 to ask the size)
 * @param cap     size of @p out
 * @param d       the packet
 * @param d_size  sizeof *d as the caller compiled it (doc/abi.md)
 * @param len     receives the size written or needed, also on
 *                SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written, the size in @p *len);
 *         SMBW_E_INVAL (@p d NULL or @p d_size too small, unknown type,
 *         reserved FLAGS bits, a data view with a length but no bytes);
 *         SMBW_E_NBSS_SCOPE (a scope that is not valid wire labels);
 *         SMBW_E_RANGE (names and data over 65535 bytes, the largest
 *         DGM_LENGTH).
 */
SMBW_API int smbw_dgram_encode_(uint8_t *out, size_t cap, const smbw_dgram *d, size_t d_size,
                                size_t *len);

/** smbw_dgram_encode_() with the caller's sizeof *d (doc/abi.md). */
static inline int smbw_dgram_encode(uint8_t *out, size_t cap, const smbw_dgram *d,
                                    size_t *len) {
  return smbw_dgram_encode_(out, cap, d, sizeof *d, len);
}

/**
 * Name of a datagram packet type.
 * @param type  the MSG_TYPE byte
 * @return a static string ("DIRECT_UNIQUE", "DIRECT_GROUP", "BROADCAST",
 *         "DATAGRAM_ERROR", "QUERY_REQUEST", "POSITIVE_QUERY_RESPONSE",
 *         "NEGATIVE_QUERY_RESPONSE"), or NULL for an unknown type.
 */
SMBW_API const char *smbw_dgram_type_name(uint8_t type);

/**
 * Name of a source node type (the SNT bits of FLAGS).
 * @param node  0..3 (enum smbw_dgram_node); higher bits are ignored
 * @return "B", "P", "M" or "NBDD"; never NULL.
 */
SMBW_API const char *smbw_dgram_node_name(uint8_t node);

/**
 * Text of a DATAGRAM ERROR code (RFC 1002 4.4.3).
 * @param code  the ERROR_CODE byte
 * @return a static string such as "Destination name not present", or NULL
 *         for an unknown code.
 */
SMBW_API const char *smbw_dgram_error_name(uint8_t code);

/**
 * Datagram fragment reassembler (RFC 1002 4.4.1: a DIRECT_UNIQUE,
 * DIRECT_GROUP or BROADCAST datagram too large for one packet travels as
 * fragments, the first with FLAGS F set and PACKET_OFFSET 0, every one but
 * the last with M set, each at its PACKET_OFFSET in the whole user data).
 * Caller-allocated; initialise with smbw_dgram_asm_init() over a buffer the
 * caller owns, then feed it decoded fragments of one datagram.  Treat the
 * members as private, except those documented as readable.
 *
 * Rules: every fragment has the same key as the first one accepted: MSG_TYPE,
 * DGM_ID, SOURCE_IP, SOURCE_PORT, SOURCE_NAME and DESTINATION_NAME (with
 * their scopes); F is set exactly when PACKET_OFFSET is 0; only the last
 * fragment (M clear) has no user data, and it fixes the total; no fragment
 * reaches past that total, and the total covers every byte received;
 * fragments never overlap (a repeated fragment is an overlap); they may come
 * in any order, up to eight disjoint pieces at a time.  The work per
 * fragment is bounded (eight ranges, one copy of its data), and no input
 * can make it write outside the caller's buffer.
 */
typedef struct smbw_dgram_asm {
  smbw_bytes data;          /**< once complete: the whole user data (in the
                                 caller's buffer) */
  uint32_t total;           /**< size of the whole, once @c last is set;
                                 0 before */
  uint32_t src_ip;          /**< SOURCE_IP of the first fragment accepted */
  uint16_t id;              /**< its DGM_ID */
  uint16_t src_port;        /**< its SOURCE_PORT */
  uint8_t type;             /**< its MSG_TYPE, 0 before the first fragment */
  uint8_t done;             /**< 1 once complete */
  uint8_t fragments;        /**< fragments accepted (saturating at 255) */
  uint8_t flags;            /**< FLAGS of the first fragment (F and SNT) */
  uint8_t last;             /**< 1 once the last fragment (M clear) is in:
                                 @c total is then known */
  uint8_t pad_[3];          /**< private: zero */
  uint8_t source[16];       /**< its SOURCE_NAME, decoded (15 bytes and suffix) */
  uint8_t destination[16];  /**< its DESTINATION_NAME, decoded */
  uint8_t *buf_;            /**< private: the caller's buffer */
  uint32_t cap_;            /**< private: its size */
  uint8_t sscope_len_;      /**< private: source scope length */
  uint8_t dscope_len_;      /**< private: destination scope length */
  uint8_t sscope_[255];     /**< private: source scope labels */
  uint8_t dscope_[255];     /**< private: destination scope labels */
  smbw_trans_ranges r_;     /**< private: ranges received */
  uintptr_t reserved_[4];   /**< room for new private state within the SONAME */
} smbw_dgram_asm;

/**
 * Initialise a datagram reassembler over a caller buffer.  Never writes to
 * the buffer until a fragment is accepted.  A whole datagram's user data
 * is at most 65535 + 65535 - 68 bytes (PACKET_OFFSET plus the largest
 * fragment); 131072 is always enough.
 * @param a    the reassembler
 * @param buf  buffer for the user data (NULL with @p cap 0)
 * @param cap  its size
 * @return 0 or SMBW_E_INVAL (NULL @p a, NULL buffer with a size, a size
 *         over 2^32-1).
 */
SMBW_API int smbw_dgram_asm_init(smbw_dgram_asm *a, uint8_t *buf, size_t cap);

/**
 * Whether a decoded datagram has the key of the fragments accepted so far
 * (MSG_TYPE, DGM_ID, SOURCE_IP, SOURCE_PORT, both names and scopes): how a
 * caller with several reassemblers picks one.
 * @param a  the reassembler
 * @param d  a decoded datagram
 * @param d_size sizeof *d as the caller compiled it (doc/abi.md)
 * @return 1 when it matches, 0 when not, or when @p a has no fragment yet
 *         or an argument is NULL.
 */
SMBW_API int smbw_dgram_asm_match_(const smbw_dgram_asm *a, const smbw_dgram *d, size_t d_size);

/** smbw_dgram_asm_match_() with the caller's sizeof *d (doc/abi.md). */
static inline int smbw_dgram_asm_match(const smbw_dgram_asm *a, const smbw_dgram *d) {
  return smbw_dgram_asm_match_(a, d, sizeof *d);
}

/**
 * Add one fragment, as smbw_dgram_decode() returned it.  An unfragmented
 * datagram (F set, M clear, PACKET_OFFSET 0) completes at once.
 *
 * Error offsets count from the first byte of the fragment's datagram: 0
 * MSG_TYPE, 1 FLAGS, 2 DGM_ID, 4 SOURCE_IP, 8 SOURCE_PORT, 10 DGM_LENGTH,
 * 12 PACKET_OFFSET, 14 SOURCE_NAME, then DESTINATION_NAME.
 *
 * @param a    the reassembler
 * @param d    a decoded fragment; its data is copied
 * @param d_size sizeof *d as the caller compiled it (doc/abi.md)
 * @param err  receives the error (nullable)
 * @return 1 when the datagram is complete (@c data and @c total are set),
 *         0 when more fragments are needed, or an error; a refused fragment
 *         leaves the reassembler unchanged:
 *         SMBW_E_INVAL (NULL argument, @p d_size too small, a data view
 *         with a length but no bytes; a type without user data, field
 *         "MSG_TYPE");
 *         SMBW_E_STATE (already complete, field "datagram");
 *         SMBW_E_NBSS_FLAGS (F set with a PACKET_OFFSET other than 0, or
 *         clear with 0, offset 1, field "FLAGS");
 *         SMBW_E_TRANS_MISMATCH (another key: field "MSG_TYPE", "DGM_ID",
 *         "SOURCE_IP", "SOURCE_PORT", "SOURCE_NAME" or "DESTINATION_NAME"
 *         at its offset);
 *         SMBW_E_NBSS_LENGTH (a fragment with M set and no user data,
 *         offset 10, field "DGM_LENGTH");
 *         SMBW_E_TRANS_TOTAL (a second last fragment, or a last fragment
 *         that ends before bytes already received; offset 12, field
 *         "PACKET_OFFSET");
 *         SMBW_E_TRANS_DISPLACEMENT (a fragment that reaches past the
 *         total; offset 12, field "PACKET_OFFSET");
 *         SMBW_E_TRANS_OVERLAP (overlaps bytes received, a repeated
 *         fragment too; offset 12);
 *         SMBW_E_TRANS_FRAGMENTS (more than eight disjoint pieces; offset 12);
 *         SMBW_E_NOSPACE (the fragment ends past the caller's buffer;
 *         offset 12, field "PACKET_OFFSET").
 */
SMBW_API int smbw_dgram_asm_add_(smbw_dgram_asm *a, const smbw_dgram *d, size_t d_size,
                                 smbw_error *err);

/** smbw_dgram_asm_add_() with the caller's sizeof *d (doc/abi.md). */
static inline int smbw_dgram_asm_add(smbw_dgram_asm *a, const smbw_dgram *d, smbw_error *err) {
  return smbw_dgram_asm_add_(a, d, sizeof *d, err);
}

#ifdef __cplusplus
}
#endif
#endif
