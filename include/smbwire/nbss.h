/**
 * @file nbss.h
 * @brief NetBIOS Session Service framing (RFC 1001/1002 section 4.3, and
 *        MS-SMB 2.1 direct TCP transport).
 *
 * Every NBSS packet is a 4-byte header (type, flags, 16-bit big-endian
 * length) followed by the payload.  On port 139 (::SMBW_FRAMING_NBT) bit 0
 * of the flags byte is the length extension, giving 17-bit lengths; every
 * other flag bit must be zero.  On port 445 (::SMBW_FRAMING_DIRECT) the
 * first byte is zero and the next three bytes are a 24-bit length.
 *
 * Offsets in an smbw_error from these functions count from the first byte
 * of the NBSS header.
 */
#ifndef SMBWIRE_NBSS_H
#define SMBWIRE_NBSS_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an NBSS packet header. */
#define SMBW_NBSS_HEADER_SIZE 4u
/** Largest payload of a port-139 session packet (17-bit length). */
#define SMBW_NBSS_NBT_MAX 0x1FFFFu
/** Largest payload of a port-445 direct TCP packet (24-bit length). */
#define SMBW_NBSS_DIRECT_MAX 0xFFFFFFu
/** Size of a session request packet without scope: header + 2 x 34. */
#define SMBW_NBSS_SESSION_REQUEST_SIZE 72u

/** NBSS packet types (RFC 1002 4.3.1). */
enum smbw_nbss_type {
  SMBW_NBSS_SESSION_MESSAGE = 0x00,          /**< carries one SMB message */
  SMBW_NBSS_SESSION_REQUEST = 0x81,          /**< called and calling names */
  SMBW_NBSS_POSITIVE_RESPONSE = 0x82,        /**< session established */
  SMBW_NBSS_NEGATIVE_RESPONSE = 0x83,        /**< refused, 1-byte error code */
  SMBW_NBSS_RETARGET_RESPONSE = 0x84,        /**< go to IP:port instead */
  SMBW_NBSS_KEEPALIVE = 0x85                 /**< no payload */
};

/** Error codes of a negative session response (RFC 1002 4.3.4). */
enum smbw_nbss_error {
  SMBW_NBSS_ERR_NOT_LISTENING_CALLED = 0x80,  /**< not listening on called name */
  SMBW_NBSS_ERR_NOT_LISTENING_CALLING = 0x81, /**< not listening for calling name */
  SMBW_NBSS_ERR_CALLED_NOT_PRESENT = 0x82,    /**< called name not present */
  SMBW_NBSS_ERR_INSUFFICIENT_RESOURCES = 0x83,/**< called name present, insufficient resources */
  SMBW_NBSS_ERR_UNSPECIFIED = 0x8F            /**< unspecified error */
};

/**
 * One framed NBSS packet: a view into the caller's stream buffer, filled by
 * smbw_nbss_frame().  @c payload points into that buffer (nothing is
 * copied) and is valid while the buffer is; @c payload[0 .. @c length) lies
 * inside the bytes the framer was given.
 */
typedef struct smbw_nbss {
  uint8_t type;           /**< enum smbw_nbss_type */
  uint8_t flags;          /**< raw flags byte (0 or 1 on NBT; high length byte on DIRECT) */
  uint32_t length;        /**< payload length */
  const uint8_t *payload; /**< first payload byte (after the 4-byte header) */
} smbw_nbss;

/**
 * Incremental framer: look at the bytes received so far and say whether
 * they begin with a complete NBSS packet.  Never copies and never reads
 * past @p len; may be called again with more bytes.  @p f is written only
 * when a complete packet is returned; its payload points into @p buf.
 *
 * @param buf        bytes received so far (the start of a packet)
 * @param len        how many
 * @param framing    enum smbw_framing (::SMBW_FRAMING_NBT or ::SMBW_FRAMING_DIRECT)
 * @param f          receives the packet view when complete (may be NULL)
 * @param need       when 0 is returned, receives how many more bytes are
 *                   needed at least (exact once the 4 header bytes are
 *                   in; may be NULL)
 * @param err        receives the position on failure (may be NULL)
 * @return the total size N of the complete packet (header included, > 0):
 *         consume N bytes; 0 when more bytes are needed; or
 *         SMBW_E_NBSS_TYPE (unknown type byte, or a non-zero first byte on
 *         DIRECT), SMBW_E_NBSS_FLAGS (reserved flag bits on NBT),
 *         SMBW_E_NBSS_LENGTH (a length the type does not allow: non-zero for
 *         keepalive (on both transports) and positive response, not 1
 *         for negative, not 6 for retarget; a session request's names are
 *         checked by smbw_nbss_session_request_decode()),
 *         SMBW_E_INVAL (bad transport or NULL @p buf with @p len > 0).
 *         A bad type byte is reported as soon as it is received, before
 *         the other header bytes.  Errors carry offsets from the first
 *         byte of @p buf; after one, the stream cannot be resynchronised.
 */
SMBW_API int smbw_nbss_frame(const uint8_t *buf, size_t len, int framing,
                             smbw_nbss *f, size_t *need, smbw_error *err);

/**
 * Write an NBSS header for a payload of @p length bytes.  Used for session
 * messages (the SMB encoders call it for you), keepalives and positive
 * responses (length 0).  Writes only @p out[0 .. 4), and nothing on error.
 * @param out        destination of at least 4 bytes (may be NULL with
 *                   @p cap 0, to only validate)
 * @param cap        size of @p out
 * @param framing    enum smbw_framing (::SMBW_FRAMING_NBT or ::SMBW_FRAMING_DIRECT)
 * @param type       packet type (enum smbw_nbss_type)
 * @param length     payload length
 * @param len        receives 4, also on failure (may be NULL)
 * @return 0, SMBW_E_NOSPACE (@p out NULL or @p cap < 4), SMBW_E_RANGE
 *         (length too large for the transport, or a non-zero length for a
 *         DIRECT keepalive), SMBW_E_INVAL (unknown transport, or type not
 *         allowed: NBT takes 0x00 and 0x81..0x85, DIRECT carries only
 *         session messages and keepalives).
 */
SMBW_API int smbw_nbss_header_encode(uint8_t *out, size_t cap, int framing,
                                     uint8_t type, uint32_t length, size_t *len);

/**
 * Frame raw data: the one NBSS session message that carries a READ_RAW
 * response (MS-CIFS 2.2.4.22.2), or the rest of a WRITE_RAW's data after
 * the interim response (2.2.4.25), with no SMB header.  Only the caller
 * knows when that message comes (it sent the READ_RAW, or granted the raw
 * write), so it calls this for that message instead of smbw_parse(),
 * which would refuse the bytes as not SMB.  A READ_RAW answered with an
 * empty message means no data: end of file, a lock conflict or an error
 * (the client then asks again with READ_ANDX).
 *
 * @param buf      bytes received so far (the start of the message)
 * @param len      how many
 * @param framing  enum smbw_framing (::SMBW_FRAMING_NBT or ::SMBW_FRAMING_DIRECT)
 * @param data     receives the raw data when the message is complete (a
 *                 view into @p buf; @c len 0 for an empty message)
 * @param need     when 0 is returned, how many more bytes are needed (may be NULL)
 * @param err      receives the position on failure (may be NULL)
 * @return the size of the message (header included): consume that many
 *         bytes; 0 when more are needed; the framer's errors
 *         (smbw_nbss_frame()); SMBW_E_NBSS_TYPE for an NBSS packet that is
 *         not a session message (a keepalive is not the data).
 */
SMBW_API int smbw_raw_frame(const uint8_t *buf, size_t len, int framing, smbw_bytes *data,
                            size_t *need, smbw_error *err);

/**
 * Write raw data as one NBSS session message (header and data), as a
 * server answers READ_RAW and a client sends the rest of a WRITE_RAW.
 * @param out      destination (may be NULL with @p cap 0 to ask the size)
 * @param cap      size of @p out
 * @param framing  enum smbw_framing (::SMBW_FRAMING_NBT or ::SMBW_FRAMING_DIRECT)
 * @param data     the raw data (may be empty)
 * @param len      receives the size written or needed, 4 + data.len (may be NULL)
 * @return 0; SMBW_E_NOSPACE (nothing written, the size in @p *len);
 *         SMBW_E_RANGE (too long for the framing); SMBW_E_INVAL.
 */
SMBW_API int smbw_raw_encode(uint8_t *out, size_t cap, int framing, smbw_bytes data, size_t *len);

/**
 * A NetBIOS name as carried in a session request, after first-level
 * decoding (RFC 1001 14.1).
 */
typedef struct smbw_nb_name {
  uint8_t name[16]; /**< 15 name bytes, space padded, then the suffix byte
                         (0x20 file server service, 0x00 workstation) */
  smbw_bytes scope; /**< the scope as wire labels (length-prefixed, without
                         the final zero length byte); len 0 for none */
} smbw_nb_name;

/** The payload of a session request: called (server) then calling (client). */
typedef struct smbw_nbss_session_request {
  smbw_nb_name called;  /**< name of the server being called */
  smbw_nb_name calling; /**< name of the client */
} smbw_nbss_session_request;

/**
 * Fill a name from a plain string: up to 15 bytes, padded with spaces, then
 * @p suffix.  No case conversion is done (Windows sends upper case).  The
 * scope is set to none; set @c n->scope afterwards to use one (it is a view:
 * the caller keeps the labels alive while the name is used).
 * @param n       the name to fill (left unchanged on failure)
 * @param plain   NUL-terminated name, at most 15 bytes, copied into @p n
 * @param suffix  the 16th byte: 0x20 for a file server, 0x00 for a
 *                workstation
 * @return 0, or SMBW_E_RANGE if @p plain is longer than 15 bytes,
 *         SMBW_E_INVAL if @p n or @p plain is NULL.
 */
SMBW_API int smbw_nb_name_set(smbw_nb_name *n, const char *plain, uint8_t suffix);

/**
 * The plain name without its trailing spaces (and without the suffix
 * byte), NUL-terminated into @p out.  Bytes are copied as they are; a name
 * may hold any byte, including NUL, so use the returned length.
 * @param n    the name (must not be NULL)
 * @param out  16 bytes of output (must not be NULL); at most 15 bytes and
 *             the NUL are written
 * @return the plain length (0..15); never fails.
 */
SMBW_API size_t smbw_nb_name_get(const smbw_nb_name *n, char out[16]);

/**
 * Convert a wire scope (labels) into dotted text, NUL-terminated when
 * @p cap > 0.  Reads only @p scope.data[0 .. @p scope.len) (a label longer
 * than what is left is cut there) and writes only @p dst[0 .. @p cap).
 * @param scope  wire labels, as in smbw_nb_name::scope (may be empty)
 * @param dst    output, may be NULL when @p cap is 0
 * @param cap    size of @p dst
 * @param need   receives the text length without the NUL (nullable)
 * @return 0, SMBW_E_NOSPACE if it does not fit (output truncated, still
 *         terminated), SMBW_E_INVAL if @p dst is NULL with @p cap > 0.
 */
SMBW_API int smbw_nb_scope_to_text(smbw_bytes scope, char *dst, size_t cap, size_t *need);

/**
 * Decode the payload of a ::SMBW_NBSS_SESSION_REQUEST packet.  Reads only
 * the @c f->length payload bytes; the scopes in @p out point into them.
 * @p out is written only on success.
 * @param f    a packet from smbw_nbss_frame()
 * @param out  receives the called and calling names
 * @param err  receives code, offset (from the NBSS header) and field on
 *             failure (nullable)
 * @return 0, or SMBW_E_INVAL (NULL argument, or not a session request),
 *         SMBW_E_TRUNCATED (a name shorter than 34 bytes), SMBW_E_NBSS_NAME
 *         (length byte is not 32, or a half-ASCII byte outside 'A'..'P'),
 *         SMBW_E_NBSS_SCOPE (label over 63 bytes, running past the payload,
 *         missing final zero, or a scope over 254 bytes), SMBW_E_NBSS_LENGTH
 *         (bytes left over after the two names, or a hand-made @p f with
 *         a length over 2^24-1).
 */
SMBW_API int smbw_nbss_session_request_decode(const smbw_nbss *f,
    smbw_nbss_session_request *out, smbw_error *err);

/**
 * Encode a complete session request packet (NBT header included:
 * 72 bytes plus the scopes).  Writes only @p out[0 .. @p cap), and nothing
 * unless the whole packet fits.
 * @param out  destination (may be NULL with @p cap 0 to query the size)
 * @param cap  size of @p out
 * @param r    the called and calling names
 * @param len  receives the packet size, also on SMBW_E_NOSPACE (nullable)
 * @return 0, SMBW_E_NOSPACE (@p out NULL or too small), SMBW_E_NBSS_SCOPE
 *         (a scope that is not valid wire labels: empty or over-63-byte
 *         label, label past the end, over 254 bytes, or NULL data with a
 *         length), SMBW_E_INVAL (@p r NULL).
 */
SMBW_API int smbw_nbss_session_request_encode(uint8_t *out, size_t cap,
    const smbw_nbss_session_request *r, size_t *len);

/**
 * Decode a negative session response.
 * @param f     a packet from smbw_nbss_frame()
 * @param code  receives the error code (enum smbw_nbss_error; any byte is
 *              passed through)
 * @param err   receives the position on failure (nullable)
 * @return 0, SMBW_E_INVAL (NULL argument or wrong type),
 *         SMBW_E_NBSS_LENGTH (payload length not 1).
 */
SMBW_API int smbw_nbss_negative_decode(const smbw_nbss *f, uint8_t *code, smbw_error *err);

/**
 * Encode a 5-byte negative session response (NBT framing).  Writes only
 * @p out[0 .. 5), and nothing unless it fits.
 * @param out   destination (may be NULL with @p cap 0)
 * @param cap   size of @p out
 * @param code  error code to send (enum smbw_nbss_error)
 * @param len   receives 5, also on failure (nullable)
 * @return 0, SMBW_E_NOSPACE (@p out NULL or @p cap < 5).
 */
SMBW_API int smbw_nbss_negative_encode(uint8_t *out, size_t cap, uint8_t code, size_t *len);

/**
 * Decode a retarget response.
 * @param f     a packet from smbw_nbss_frame()
 * @param ipv4  receives the IPv4 address in host order (a.b.c.d is a<<24|...)
 * @param port  receives the TCP port
 * @param err   receives the position on failure (nullable)
 * @return 0, SMBW_E_INVAL (NULL argument or wrong type),
 *         SMBW_E_NBSS_LENGTH (payload length not 6).
 */
SMBW_API int smbw_nbss_retarget_decode(const smbw_nbss *f, uint32_t *ipv4,
                                       uint16_t *port, smbw_error *err);

/**
 * Encode a 10-byte retarget response (NBT framing).  Writes only
 * @p out[0 .. 10), and nothing unless it fits.
 * @param out   destination (may be NULL with @p cap 0)
 * @param cap   size of @p out
 * @param ipv4  IPv4 address in host order (a.b.c.d is a<<24|...)
 * @param port  TCP port
 * @param len   receives 10, also on failure (nullable)
 * @return 0, SMBW_E_NOSPACE (@p out NULL or @p cap < 10).
 */
SMBW_API int smbw_nbss_retarget_encode(uint8_t *out, size_t cap, uint32_t ipv4,
                                       uint16_t port, size_t *len);

/**
 * Name of a packet type.
 * @param type  the type byte of an NBSS header
 * @return a static string ("SESSION_MESSAGE", "SESSION_REQUEST",
 *         "POSITIVE_SESSION_RESPONSE", "NEGATIVE_SESSION_RESPONSE",
 *         "RETARGET_SESSION_RESPONSE", "SESSION_KEEP_ALIVE"), or NULL for
 *         an unknown type.
 */
SMBW_API const char *smbw_nbss_type_name(uint8_t type);

/**
 * Text of a negative session response code (RFC 1002 4.3.4).
 * @param code  the error code byte
 * @return a static string such as "Called name not present", or NULL for
 *         an unknown code.
 */
SMBW_API const char *smbw_nbss_error_name(uint8_t code);

#ifdef __cplusplus
}
#endif
#endif
