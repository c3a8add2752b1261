/**
 * @file security.h
 * @brief Windows security descriptors as SMB1 carries them: SIDs (MS-DTYP
 *        2.4.2), ACEs (2.4.4), ACLs (2.4.5) and self-relative
 *        SECURITY_DESCRIPTORs (2.4.6); and the parameter blocks of
 *        NT_TRANSACT_QUERY_SECURITY_DESC (function 6, MS-CIFS 2.2.7.6) and
 *        NT_TRANSACT_SET_SECURITY_DESC (function 3, MS-CIFS 2.2.7.3).
 *
 * Where the bytes come from: a transaction decoder (trans.h) gives the
 * parameters and data of a message, or smbw_trans_asm the reassembled ones.
 * The QUERY_SECURITY_DESC request parameters are decoded with
 * smbw_query_secdesc_req_decode(), its response parameters (LengthNeeded)
 * with smbw_query_secdesc_rsp_decode() and its response data with
 * smbw_sd_decode(); the SET_SECURITY_DESC request parameters with
 * smbw_set_secdesc_req_decode() and its data with smbw_sd_decode().
 * NT_TRANSACT_CREATE carries a descriptor in its data too
 * (SecurityDescriptorLength bytes): smbw_sd_decode() reads it the same way.
 *
 * Conventions:
 *  - Decoders take a buffer and its length and fill a struct; @c offset in
 *    smbw_error counts from the first byte of that buffer (for the parts
 *    of a descriptor: from the first byte of the descriptor; for the
 *    parameter blocks: from the first parameter byte), as Wireshark shows
 *    them inside the transaction data.  For SMBW_E_TRUNCATED the offset is
 *    where the input ended and the field is the one it ended in.
 *  - Views (smbw_bytes, smbw_acl) point into the caller's buffer; nothing
 *    is copied except the fixed-size values (SID sub-authorities, GUIDs).
 *  - Encoders write into a caller buffer @p out of @p cap bytes.  They
 *    first work out the exact size, store it in @p *len (when @p len is not
 *    NULL) and, when it does not fit, return SMBW_E_NOSPACE without writing
 *    anything; @p out may be NULL with @p cap 0 to only ask for the size.
 *    On any other error nothing is written and @p *len is left alone.
 *  - Encoders never produce what the decoders refuse: every rule a decoder
 *    checks, the encoder checks on the struct it is given.
 *  - decode(encode(x)) == x field by field, and encode(decode(bytes)) ==
 *    bytes for every input a decoder accepts (a descriptor's gaps
 *    included, see smbw_sd).
 */
#ifndef SMBWIRE_SECURITY_H
#define SMBWIRE_SECURITY_H

#include <smbwire/common.h>
#include <smbwire/trans.h> /* SMBW_NT_TRANSACT_SET_SECURITY_DESC, _QUERY_SECURITY_DESC */

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ SID */

/** Most sub-authorities a SID may have (MS-DTYP 2.4.2). */
#define SMBW_SID_MAX_SUB_AUTHORITIES 15u
/** Wire size of a SID with @p n sub-authorities: 8 + 4 * n. */
#define SMBW_SID_SIZE(n) (8u + 4u * (unsigned)(n))
/** Largest wire size of a SID (15 sub-authorities). */
#define SMBW_SID_MAX_SIZE 68u
/** Largest IdentifierAuthority: it is 48 bits wide on the wire. */
#define SMBW_SID_AUTHORITY_MAX 0xFFFFFFFFFFFFull
/**
 * Buffer size that holds any SID string smbw_sid_to_string() writes,
 * terminator included: "S-1-" + "0x" and 12 hex digits + 15 times
 * "-4294967295" + NUL.
 */
#define SMBW_SID_STRING_MAX 184u

/**
 * A SID (MS-DTYP 2.4.2.2), as a plain value (no pointers).  On the wire:
 * Revision (1 byte, always 1), SubAuthorityCount (1 byte, at most 15),
 * IdentifierAuthority (6 bytes, big-endian), then SubAuthorityCount
 * little-endian 32-bit sub-authorities.
 */
typedef struct smbw_sid {
  uint8_t revision;   /**< Revision: 1 (the decoders refuse anything else,
                           the encoders write only 1) */
  uint8_t sub_count;  /**< SubAuthorityCount: 0 .. 15 */
  uint64_t authority; /**< IdentifierAuthority as a number (5 for
                           SECURITY_NT_AUTHORITY); at most
                           SMBW_SID_AUTHORITY_MAX */
  uint32_t sub[15];   /**< SubAuthority[0 .. sub_count); the decoders set
                           the unused entries to 0 and the encoders ignore
                           them */
} smbw_sid;

/**
 * Decode a SID from the start of @p buf.  Reads only
 * @p buf[0 .. SMBW_SID_SIZE(SubAuthorityCount)); the bytes after it are not
 * looked at (the caller knows what follows).
 * @param buf  the SID's first byte (Revision)
 * @param len  bytes available at @p buf
 * @param sid  receives the SID; its wire size is then
 *             SMBW_SID_SIZE(@c sid->sub_count)
 * @param err  receives code, offset and field on failure (nullable)
 * @return 0; SMBW_E_TRUNCATED (@p len ends inside the SID; fields
 *         "Revision", "SubAuthorityCount", "IdentifierAuthority",
 *         "SubAuthority"); SMBW_E_SID (Revision not 1, field "Revision",
 *         offset 0; SubAuthorityCount over 15, field "SubAuthorityCount",
 *         offset 1); SMBW_E_INVAL (NULL @p buf with a length, or NULL
 *         @p sid).
 */
SMBW_API int smbw_sid_decode(const uint8_t *buf, size_t len, smbw_sid *sid, smbw_error *err);

/**
 * Encode a SID: SMBW_SID_SIZE(@c sid->sub_count) bytes.
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param sid  the SID
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (@p cap too small: nothing written);
 *         SMBW_E_SID (@c revision not 1 or @c sub_count over 15);
 *         SMBW_E_RANGE (@c authority over SMBW_SID_AUTHORITY_MAX);
 *         SMBW_E_INVAL (NULL @p sid, or NULL @p out with @p cap > 0).
 */
SMBW_API int smbw_sid_encode(uint8_t *out, size_t cap, const smbw_sid *sid, size_t *len);

/**
 * Write a SID in its string form (MS-DTYP 2.4.2.1): "S-1-", the
 * IdentifierAuthority in decimal when it is below 2^32, else as "0x" and
 * 12 upper-case hex digits, then "-" and each sub-authority in decimal
 * ("S-1-5-32-544").  The string is NUL-terminated.
 * @param sid  the SID
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out; SMBW_SID_STRING_MAX is always enough
 * @param len  receives the string length without the terminator, also on
 *             SMBW_E_NOSPACE (nullable); @p cap must be at least that
 *             plus 1
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_SID (@c revision
 *         not 1 or @c sub_count over 15); SMBW_E_RANGE (@c authority over
 *         SMBW_SID_AUTHORITY_MAX); SMBW_E_INVAL (NULL @p sid, or NULL
 *         @p out with @p cap > 0).
 */
SMBW_API int smbw_sid_to_string(const smbw_sid *sid, char *out, size_t cap, size_t *len);

/**
 * Parse the string form of a SID: "S-1-" (or "s-1-"), the authority in
 * decimal (up to 2^48 - 1) or as "0x" and 1 to 12 hex digits of either
 * case, then 0 to 15 times "-" and a decimal sub-authority (up to
 * 4294967295).  Exactly @p len characters are read (no terminator needed;
 * a NUL inside is a syntax error).
 * @param str  the text
 * @param len  its length in bytes
 * @param sid  receives the SID (@c revision 1)
 * @param err  receives the error (nullable): @c offset is the index of
 *             the offending character in @p str
 * @return 0; SMBW_E_INVAL (syntax: not "S-", a missing or non-digit
 *         number, a stray character; fields "S", "Revision",
 *         "IdentifierAuthority", "SubAuthority"; or NULL @p sid, or NULL
 *         @p str with a length); SMBW_E_SID (revision not 1, field
 *         "Revision"; a 16th sub-authority, field "SubAuthorityCount");
 *         SMBW_E_RANGE (a number too large for its field).
 */
SMBW_API int smbw_sid_from_string(const char *str, size_t len, smbw_sid *sid, smbw_error *err);

/**
 * Whether two SIDs are the same: same revision, authority and
 * sub-authorities (the unused entries of @c sub are not compared).
 * @param a  a SID (must not be NULL)
 * @param b  another (must not be NULL)
 * @return 1 if equal, else 0.  Never fails.
 */
SMBW_API int smbw_sid_equal(const smbw_sid *a, const smbw_sid *b);

/* ------------------------------------------------------------------ ACE */

/**
 * Layout of an ACE body, as its type selects it: which fields of smbw_ace
 * the decoder fills and the encoder writes.
 */
enum smbw_ace_layout {
  SMBW_ACE_LAYOUT_RAW = 0,   /**< not interpreted: only smbw_ace::body
                                  (ACCESS_ALLOWED_COMPOUND, types MS-DTYP
                                  does not define) */
  SMBW_ACE_LAYOUT_SID = 1,   /**< Mask, Sid, then smbw_ace::app_data */
  SMBW_ACE_LAYOUT_OBJECT = 2 /**< Mask, Flags, ObjectType GUID and
                                  InheritedObjectType GUID (each when its
                                  flag is set), Sid, then app_data */
};

/**
 * Every ACE type MS-DTYP 2.4.4.1 defines: X(NAME, value, layout).
 * `SMBW_ACE_##NAME` is the constant; smbw_ace_type_name() gives NAME
 * followed by "_ACE_TYPE" ("ACCESS_ALLOWED_ACE_TYPE"); layout is an
 * enum smbw_ace_layout (without its SMBW_ACE_LAYOUT_ prefix).  For the
 * callback types and SYSTEM_RESOURCE_ATTRIBUTE the bytes after the SID
 * (smbw_ace::app_data) are the ApplicationData / Attribute Data.
 */
#define SMBW_ACE_TYPE_LIST(X)                          \
  X(ACCESS_ALLOWED,                  0x00, SID)       \
  X(ACCESS_DENIED,                   0x01, SID)       \
  X(SYSTEM_AUDIT,                    0x02, SID)       \
  X(SYSTEM_ALARM,                    0x03, SID)       \
  X(ACCESS_ALLOWED_COMPOUND,         0x04, RAW)       \
  X(ACCESS_ALLOWED_OBJECT,           0x05, OBJECT)    \
  X(ACCESS_DENIED_OBJECT,            0x06, OBJECT)    \
  X(SYSTEM_AUDIT_OBJECT,             0x07, OBJECT)    \
  X(SYSTEM_ALARM_OBJECT,             0x08, OBJECT)    \
  X(ACCESS_ALLOWED_CALLBACK,         0x09, SID)       \
  X(ACCESS_DENIED_CALLBACK,          0x0A, SID)       \
  X(ACCESS_ALLOWED_CALLBACK_OBJECT,  0x0B, OBJECT)    \
  X(ACCESS_DENIED_CALLBACK_OBJECT,   0x0C, OBJECT)    \
  X(SYSTEM_AUDIT_CALLBACK,           0x0D, SID)       \
  X(SYSTEM_ALARM_CALLBACK,           0x0E, SID)       \
  X(SYSTEM_AUDIT_CALLBACK_OBJECT,    0x0F, OBJECT)    \
  X(SYSTEM_ALARM_CALLBACK_OBJECT,    0x10, OBJECT)    \
  X(SYSTEM_MANDATORY_LABEL,          0x11, SID)       \
  X(SYSTEM_RESOURCE_ATTRIBUTE,       0x12, SID)       \
  X(SYSTEM_SCOPED_POLICY_ID,         0x13, SID)

/** ACE types; see SMBW_ACE_TYPE_LIST. */
enum smbw_ace_type {
#define SMBW_X_ACE(name, value, layout) SMBW_ACE_##name = value,
  SMBW_ACE_TYPE_LIST(SMBW_X_ACE)
#undef SMBW_X_ACE
  SMBW_ACE_TYPE_LAST_ = 0x100 /**< not a type */
};

/** @name AceFlags bits (MS-DTYP 2.4.4.1)
 * @{ */
#define SMBW_ACE_OBJECT_INHERIT 0x01u       /**< OBJECT_INHERIT_ACE: inherited by non-container children */
#define SMBW_ACE_CONTAINER_INHERIT 0x02u    /**< CONTAINER_INHERIT_ACE: inherited by container children */
#define SMBW_ACE_NO_PROPAGATE_INHERIT 0x04u /**< NO_PROPAGATE_INHERIT_ACE: children do not pass it on */
#define SMBW_ACE_INHERIT_ONLY 0x08u         /**< INHERIT_ONLY_ACE: does not apply to the object itself */
#define SMBW_ACE_INHERITED 0x10u            /**< INHERITED_ACE: was inherited */
#define SMBW_ACE_SUCCESSFUL_ACCESS 0x40u    /**< SUCCESSFUL_ACCESS_ACE_FLAG: audit successes */
#define SMBW_ACE_FAILED_ACCESS 0x80u        /**< FAILED_ACCESS_ACE_FLAG: audit failures */
/** @} */

/** @name Flags of the object ACEs (MS-DTYP 2.4.4.3)
 * @{ */
#define SMBW_ACE_OBJECT_TYPE_PRESENT 0x00000001u           /**< ObjectType GUID present */
#define SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT 0x00000002u /**< InheritedObjectType GUID present */
/** @} */

/**
 * One ACE.  Which fields are meaningful depends on @c layout
 * (smbw_ace_type_layout() of @c type); the others are 0 or empty after
 * decoding and ignored by the encoder.  GUIDs are copied as the 16 wire
 * bytes (little-endian Data1..Data3, as in MS-DTYP 2.3.4.2).
 *
 * Decoding guarantees: @c body is the AceSize - 4 bytes after the header
 * and @c app_data the bytes of @c body after the SID; both lie inside the
 * ACL.  Encoding: AceSize is computed from the fields (4 + the body), so
 * @c size is ignored; a RAW-layout ACE is written from @c body.
 */
typedef struct smbw_ace {
  uint8_t type;                      /**< AceType: enum smbw_ace_type or any
                                          other value (layout RAW) */
  uint8_t flags;                     /**< AceFlags: SMBW_ACE_OBJECT_INHERIT, ... */
  uint16_t size;                     /**< AceSize as read (a multiple of 4,
                                          at least the layout's minimum) */
  uint8_t layout;                    /**< enum smbw_ace_layout of @c type
                                          (set by the decoder; the encoder
                                          uses smbw_ace_type_layout(@c type)) */
  uint32_t mask;                     /**< Mask: the ACCESS_MASK (layouts SID
                                          and OBJECT) */
  uint32_t object_flags;             /**< Flags (layout OBJECT):
                                          SMBW_ACE_OBJECT_TYPE_PRESENT,
                                          SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT;
                                          other bits are kept as read */
  uint8_t object_type[16];           /**< ObjectType GUID, when
                                          SMBW_ACE_OBJECT_TYPE_PRESENT */
  uint8_t inherited_object_type[16]; /**< InheritedObjectType GUID, when
                                          SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT */
  smbw_sid sid;                      /**< Sid (layouts SID and OBJECT) */
  smbw_bytes app_data;               /**< the bytes after the SID up to
                                          AceSize: ApplicationData of the
                                          callback ACEs, Attribute Data of
                                          SYSTEM_RESOURCE_ATTRIBUTE, padding
                                          for the others (kept, so that the
                                          ACE re-encodes byte for byte) */
  smbw_bytes body;                   /**< decoding: every byte after the
                                          4-byte header (all layouts);
                                          encoding: the body of a RAW ACE */
  uint32_t offset;                   /**< where the ACE (AceType) starts, in
                                          the buffer the ACL or descriptor
                                          was decoded from */
} smbw_ace;

/**
 * Name of an ACE type.
 * @param type  an AceType byte (any value)
 * @return a static string such as "ACCESS_ALLOWED_OBJECT_ACE_TYPE", or NULL
 *         for a type MS-DTYP does not define.
 */
SMBW_API const char *smbw_ace_type_name(uint8_t type);

/**
 * Layout of an ACE type's body.
 * @param type  an AceType byte (any value)
 * @return an enum smbw_ace_layout: the SMBW_ACE_TYPE_LIST layout, and
 *         SMBW_ACE_LAYOUT_RAW for undefined types.  Never fails.
 */
SMBW_API int smbw_ace_type_layout(uint8_t type);

/**
 * Encode one ACE: header, then by layout Mask, [Flags, GUIDs,] Sid and
 * @c app_data, or @c body for RAW.  AceSize is the total written.
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param ace  the ACE
 * @param ace_size sizeof *ace as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_ACL (the size is not a
 *         multiple of 4 as MS-DTYP requires: pad @c app_data or @c body);
 *         SMBW_E_RANGE (over 65535 bytes, or an authority too large);
 *         SMBW_E_SID (a bad @c sid); SMBW_E_INVAL (NULL @p ace, a view
 *         with NULL data and a length, or NULL @p out with @p cap > 0).
 */
SMBW_API int smbw_ace_encode_(uint8_t *out, size_t cap, const smbw_ace *ace, size_t ace_size,
                              size_t *len);

/** smbw_ace_encode_() with the caller's sizeof *ace (doc/abi.md). */
static inline int smbw_ace_encode(uint8_t *out, size_t cap, const smbw_ace *ace, size_t *len) {
  return smbw_ace_encode_(out, cap, ace, sizeof *ace, len);
}

/* ------------------------------------------------------------------ ACL */

/** Size of the ACL header (AclRevision .. Sbz2). */
#define SMBW_ACL_HEADER_SIZE 8u
/** AclRevision of ACLs without object ACEs (ACL_REVISION). */
#define SMBW_ACL_REVISION 2u
/** AclRevision of ACLs that may hold object ACEs (ACL_REVISION_DS). */
#define SMBW_ACL_REVISION_DS 4u

/**
 * An ACL (MS-DTYP 2.4.5): its header fields and views of its ACEs.
 *
 * Decoding guarantees: @c aces holds exactly @c count valid ACEs (walk
 * them with smbw_acl_iter), and @c trailing is what AclSize leaves after
 * the last one; 8 + @c aces.len + @c trailing.len == @c size, and both
 * views lie inside the decoded buffer.
 *
 * Encoding: AclSize is written as 8 + @c aces.len + @c trailing.len
 * (@c size is ignored) and AceCount as @c count, which must be the
 * number of ACEs @c aces holds, exactly.
 */
typedef struct smbw_acl {
  uint8_t revision;    /**< AclRevision: SMBW_ACL_REVISION (2) or
                            SMBW_ACL_REVISION_DS (4) */
  uint8_t sbz1;        /**< Sbz1, kept as read */
  uint16_t size;       /**< AclSize as read: at least 8 */
  uint16_t count;      /**< AceCount */
  uint16_t sbz2;       /**< Sbz2, kept as read (Samba and Wireshark read
                            AceCount and Sbz2 as one 32-bit count) */
  smbw_bytes aces;     /**< the ACEs: from offset 8 to the end of the last
                            one */
  smbw_bytes trailing; /**< bytes after the last ACE, up to AclSize
                            (normally none; kept as read) */
  uint32_t offset;     /**< where the ACL starts in the decoded buffer (0 for
                            smbw_acl_decode(), OffsetSacl / OffsetDacl in a
                            descriptor): error offsets of smbw_acl_iter_next()
                            count from the same origin */
} smbw_acl;

/**
 * Decode and validate an ACL at the start of @p buf: the header, then
 * every ACE (walked once; at most AclSize / 4 steps).  Reads only
 * @p buf[0 .. AclSize).
 *
 * Rules: AclRevision is 2 or 4; 8 <= AclSize <= @p len; AceCount ACEs
 * follow, each with AceSize a multiple of 4, at least its layout's
 * minimum (4 for RAW, 16 for SID, 20 + 16 per GUID for OBJECT), inside
 * AclSize and large enough for its SID; each SID has revision 1 and at
 * most 15 sub-authorities.  Whatever AclSize leaves after the last ACE is
 * kept in @c trailing.
 * @param buf  the ACL's first byte
 * @param len  bytes available at @p buf
 * @param acl  receives the header and the views
 * @param err  receives code, offset and field on failure (nullable)
 * @return 0; SMBW_E_TRUNCATED (@p len shorter than the header, field of the
 *         cut header field, or than AclSize, field "AclSize"); SMBW_E_ACL
 *         (fields "AclRevision", "AclSize" (below 8), "AceCount" (more ACEs
 *         than AclSize holds, offset 4), "AceSize" (not a multiple of 4,
 *         too small for the layout or the SID, or past AclSize; offset of
 *         that AceSize)); SMBW_E_SID (a SID's "Revision" or
 *         "SubAuthorityCount"); SMBW_E_INVAL (NULL argument).
 */
SMBW_API int smbw_acl_decode(const uint8_t *buf, size_t len, smbw_acl *acl, smbw_error *err);

/**
 * Encode an ACL from its view form (a decoded one re-encodes byte for
 * byte).  @c aces is checked to hold exactly @c count valid ACEs, by the
 * rules of smbw_acl_decode().
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param acl  the ACL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_ACL (@c revision not 2
 *         or 4, or @c aces not exactly @c count valid ACEs); SMBW_E_SID (a
 *         bad SID in an ACE); SMBW_E_RANGE (AclSize over 65535);
 *         SMBW_E_INVAL (NULL @p acl, a view with NULL data and a length,
 *         NULL @p out with @p cap > 0).
 */
SMBW_API int smbw_acl_encode(uint8_t *out, size_t cap, const smbw_acl *acl, size_t *len);

/**
 * Build an ACL from an array of ACEs: the 8-byte header (Sbz1 and Sbz2 0,
 * AceCount @p n), then each ACE as smbw_ace_encode() writes it, nothing
 * after.  Decode the result with smbw_acl_decode() to get the view form a
 * descriptor takes.
 * @param out       destination (may be NULL when @p cap is 0)
 * @param cap       size of @p out
 * @param revision  AclRevision: 2, or 4 when there are object ACEs
 * @param aces      the ACEs (may be NULL when @p n is 0)
 * @param aces_size sizeof *aces as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param n         how many
 * @param len       receives the size needed, also on SMBW_E_NOSPACE
 *                  (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_ACL (bad revision, or
 *         an ACE as for smbw_ace_encode()); SMBW_E_RANGE (more than 65535
 *         ACEs or bytes); SMBW_E_SID; SMBW_E_INVAL (NULL @p aces with
 *         @p n > 0, a bad view, NULL @p out with @p cap > 0).
 */
SMBW_API int smbw_acl_build_(uint8_t *out, size_t cap, uint8_t revision, const smbw_ace *aces,
                             size_t aces_size, size_t n, size_t *len);

/** smbw_acl_build_() with the caller's sizeof *aces (doc/abi.md). */
static inline int smbw_acl_build(uint8_t *out, size_t cap, uint8_t revision, const smbw_ace *aces,
                                 size_t n, size_t *len) {
  return smbw_acl_build_(out, cap, revision, aces, sizeof *aces, n, len);
}

/**
 * ACE iterator.  Treat the members as private; initialise with
 * smbw_acl_iter_init().  Caller-allocated; it holds a pointer into the
 * ACL's bytes (not to the smbw_acl, which may go away).  Once
 * smbw_acl_iter_next() has failed, the error is sticky: every later call
 * returns it again with the same offset and field.
 */
typedef struct smbw_acl_iter {
  const uint8_t *p;       /**< the ACE bytes */
  uint32_t len;           /**< their length */
  uint32_t pos;           /**< offset of the next ACE in them */
  uint32_t base;          /**< error offset of p[0] */
  uint32_t count_off;     /**< error offset of AceCount */
  uint32_t left;          /**< ACEs still to return */
  int err;                /**< sticky error, 0 if none */
  uint32_t err_off;       /**< its offset */
  const char *err_field;  /**< its field */
  uintptr_t reserved_[2]; /**< room for new private state within the SONAME */
} smbw_acl_iter;

/**
 * Start walking the ACEs of an ACL.
 * @param it   the iterator
 * @param acl  a decoded ACL, or one whose @c aces view the caller made
 *             (checked as it is walked); NULL gives an empty walk
 */
SMBW_API void smbw_acl_iter_init(smbw_acl_iter *it, const smbw_acl *acl);

/**
 * The next ACE.  Exactly @c count ACEs are returned; each consumes at
 * least 4 bytes, so the walk ends after at most AclSize / 4 steps.
 * @param it   the iterator
 * @param ace  receives the ACE (views into the ACL's buffer)
 * @param ace_size sizeof *ace as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err  receives code, offset and field on failure (nullable)
 * @return 1 with an ACE; 0 when all @c count ACEs were returned; or the
 *         sticky error: SMBW_E_ACL ("AceCount": the bytes ran out first;
 *         "AceSize"), SMBW_E_SID, as for smbw_acl_decode(); SMBW_E_INVAL
 *         (NULL @p it or @p ace; not sticky).
 */
SMBW_API int smbw_acl_iter_next_(smbw_acl_iter *it, smbw_ace *ace, size_t ace_size,
                                 smbw_error *err);

/** smbw_acl_iter_next_() with the caller's sizeof *ace (doc/abi.md). */
static inline int smbw_acl_iter_next(smbw_acl_iter *it, smbw_ace *ace, smbw_error *err) {
  return smbw_acl_iter_next_(it, ace, sizeof *ace, err);
}

/* --------------------------------------------------- security descriptor */

/** Size of the fixed part of a self-relative security descriptor. */
#define SMBW_SD_HEADER_SIZE 20u

/** @name SECURITY_DESCRIPTOR Control bits (MS-DTYP 2.4.6)
 * @{ */
#define SMBW_SE_OWNER_DEFAULTED 0x0001u       /**< OD: owner from a default mechanism */
#define SMBW_SE_GROUP_DEFAULTED 0x0002u       /**< GD: group from a default mechanism */
#define SMBW_SE_DACL_PRESENT 0x0004u          /**< DP: a DACL is present (OffsetDacl 0 with DP: a NULL DACL, everyone allowed) */
#define SMBW_SE_DACL_DEFAULTED 0x0008u        /**< DD: DACL from a default mechanism */
#define SMBW_SE_SACL_PRESENT 0x0010u          /**< SP: a SACL is present */
#define SMBW_SE_SACL_DEFAULTED 0x0020u        /**< SD: SACL from a default mechanism */
#define SMBW_SE_DACL_TRUSTED 0x0040u          /**< DT: the DACL comes from a trusted source */
#define SMBW_SE_SERVER_SECURITY 0x0080u       /**< SS: server security */
#define SMBW_SE_DACL_AUTO_INHERIT_REQ 0x0100u /**< DC: DACL auto-inheritance requested */
#define SMBW_SE_SACL_AUTO_INHERIT_REQ 0x0200u /**< SC: SACL auto-inheritance requested */
#define SMBW_SE_DACL_AUTO_INHERITED 0x0400u   /**< DI: DACL set up for auto-inheritance */
#define SMBW_SE_SACL_AUTO_INHERITED 0x0800u   /**< SI: SACL set up for auto-inheritance */
#define SMBW_SE_DACL_PROTECTED 0x1000u        /**< PD: DACL protected from inheritance */
#define SMBW_SE_SACL_PROTECTED 0x2000u        /**< PS: SACL protected from inheritance */
#define SMBW_SE_RM_CONTROL_VALID 0x4000u      /**< RM: Sbz1 holds resource manager control bits */
#define SMBW_SE_SELF_RELATIVE 0x8000u         /**< SR: self-relative form (always, on the wire) */
/** @} */

/**
 * A self-relative security descriptor (MS-DTYP 2.4.6).
 *
 * Decoding: the fields as read, Control included (nothing is cross-checked
 * between the Control bits and the offsets: SE_DACL_PRESENT with
 * OffsetDacl 0 is a NULL DACL, an offset without its PRESENT bit is still
 * decoded).  Each part whose offset is not 0 is decoded and its @c has_
 * flag set; @c size is the end of the part that ends last (20 when there
 * is none), and @c raw views bytes [0, @c size) of the input.
 *
 * Encoding: Revision 1, then each part whose @c has_ flag is set:
 *  - a part with a non-zero offset field goes at that offset (at least
 *    20; parts may not overlap each other);
 *  - the parts with offset 0 are laid out canonically, in the order
 *    Windows uses (and MS-DTYP 2.5.1.4 shows): SACL, DACL, owner, group,
 *    one after the other from the first 4-byte aligned offset after the
 *    header and every explicitly placed part, each at a 4-byte aligned
 *    offset; their offset fields are written as chosen;
 *  - an absent part gets offset 0;
 *  - the bytes no part covers (gaps) are copied from @c raw when
 *    @c raw.len equals the size being written, else written as zeros.
 * So a decoded descriptor re-encodes byte for byte (offsets, order and
 * gaps as read), and a fresh one, zeroed and with the offsets left 0, gets
 * the canonical layout.
 */
typedef struct smbw_sd {
  uint8_t revision;      /**< Revision: 1 (decoders refuse, encoders
                              refuse anything else) */
  uint8_t sbz1;          /**< Sbz1, kept as read */
  uint16_t control;      /**< Control: SMBW_SE_* bits, as read / written */
  uint32_t offset_owner; /**< OffsetOwner (0: absent, or place canonically) */
  uint32_t offset_group; /**< OffsetGroup */
  uint32_t offset_sacl;  /**< OffsetSacl */
  uint32_t offset_dacl;  /**< OffsetDacl */
  uint8_t has_owner;     /**< 1: @c owner is present */
  uint8_t has_group;     /**< 1: @c group is present */
  uint8_t has_sacl;      /**< 1: @c sacl is present */
  uint8_t has_dacl;      /**< 1: @c dacl is present */
  smbw_sid owner;        /**< OwnerSid */
  smbw_sid group;        /**< GroupSid */
  smbw_acl sacl;         /**< Sacl (views into the descriptor) */
  smbw_acl dacl;         /**< Dacl */
  uint32_t size;         /**< bytes the descriptor spans */
  smbw_bytes raw;        /**< decoding: the descriptor's bytes [0, @c size);
                              encoding: the gap bytes' source (see above) */
} smbw_sd;

/**
 * Decode a self-relative security descriptor at the start of @p buf.
 * Reads only what the header and the parts it points at cover; bytes of
 * @p buf past @c size are not part of the descriptor.
 *
 * Rules: Revision 1; each offset 0 (absent) or at least 20, with its part
 * (SID, or ACL of AclSize bytes) entirely inside @p len; the parts do not
 * overlap one another; the SIDs and ACLs valid as smbw_sid_decode() and
 * smbw_acl_decode() check them.  Offsets need no alignment.
 * @param buf  the descriptor's first byte
 * @param len  bytes available at @p buf (for example the transaction data
 *             length)
 * @param sd   receives the descriptor (views into @p buf)
 * @param err  receives code, offset and field on failure (nullable);
 *             errors inside a part have offsets from the start of the
 *             descriptor
 * @return 0; SMBW_E_TRUNCATED (shorter than the 20-byte header: fields
 *         "Revision" .. "OffsetDacl"); SMBW_E_REVISION (Revision not 1,
 *         field "Revision"); SMBW_E_INVAL (NULL @p buf or @p sd); SMBW_E_SD_OFFSET (an offset in
 *         the header, a part not entirely inside @p len, or overlapping an
 *         earlier part in the order owner, group, SACL, DACL; field
 *         "OffsetOwner", "OffsetGroup", "OffsetSacl" or "OffsetDacl", offset
 *         of that field); SMBW_E_SID, SMBW_E_ACL (inside a part, as for
 *         smbw_sid_decode() and smbw_acl_decode()).
 */
SMBW_API int smbw_sd_decode(const uint8_t *buf, size_t len, smbw_sd *sd, smbw_error *err);

/**
 * Encode a self-relative security descriptor (layout: see smbw_sd).
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param sd   the descriptor
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_INVAL (@c revision not
 *         1, NULL @p sd, a bad view, NULL @p out with @p cap > 0);
 *         SMBW_E_SD_OFFSET (an explicit offset below 20 or making two parts
 *         overlap); SMBW_E_SID, SMBW_E_ACL (a bad part, as for
 *         smbw_sid_encode() and smbw_acl_encode()); SMBW_E_RANGE (a part
 *         past 2^32 - 1 bytes, or an ACL over 65535 bytes).
 */
SMBW_API int smbw_sd_encode(uint8_t *out, size_t cap, const smbw_sd *sd, size_t *len);

/* --------------------------------------- NT_TRANSACT parameter blocks */

/** @name SECURITY_INFORMATION bits: SecurityInfoFields / SecurityInformation (MS-DTYP 2.4.7)
 * @{ */
#define SMBW_SECINFO_OWNER 0x00000001u            /**< OWNER_SECURITY_INFORMATION */
#define SMBW_SECINFO_GROUP 0x00000002u            /**< GROUP_SECURITY_INFORMATION */
#define SMBW_SECINFO_DACL 0x00000004u             /**< DACL_SECURITY_INFORMATION */
#define SMBW_SECINFO_SACL 0x00000008u             /**< SACL_SECURITY_INFORMATION */
#define SMBW_SECINFO_LABEL 0x00000010u            /**< LABEL_SECURITY_INFORMATION (mandatory label) */
#define SMBW_SECINFO_ATTRIBUTE 0x00000020u        /**< ATTRIBUTE_SECURITY_INFORMATION */
#define SMBW_SECINFO_SCOPE 0x00000040u            /**< SCOPE_SECURITY_INFORMATION */
#define SMBW_SECINFO_BACKUP 0x00010000u           /**< BACKUP_SECURITY_INFORMATION */
#define SMBW_SECINFO_UNPROTECTED_SACL 0x10000000u /**< UNPROTECTED_SACL_SECURITY_INFORMATION */
#define SMBW_SECINFO_UNPROTECTED_DACL 0x20000000u /**< UNPROTECTED_DACL_SECURITY_INFORMATION */
#define SMBW_SECINFO_PROTECTED_SACL 0x40000000u   /**< PROTECTED_SACL_SECURITY_INFORMATION */
#define SMBW_SECINFO_PROTECTED_DACL 0x80000000u   /**< PROTECTED_DACL_SECURITY_INFORMATION */
/** @} */

/** Size of the request parameter block of both subcommands. */
#define SMBW_SECDESC_REQ_SIZE 8u
/** Size of the QUERY_SECURITY_DESC response parameter block. */
#define SMBW_SECDESC_RSP_SIZE 4u

/**
 * Request parameters of NT_TRANSACT_QUERY_SECURITY_DESC (MS-CIFS
 * 2.2.7.6.1) and of NT_TRANSACT_SET_SECURITY_DESC (2.2.7.3.1): FID (2
 * bytes), Reserved (2), SecurityInfoFields / SecurityInformation (4).
 * The SET request's data is the descriptor (smbw_sd_decode()).
 */
typedef struct smbw_secdesc_req {
  uint16_t fid;           /**< FID */
  uint16_t reserved;      /**< Reserved, kept as read */
  uint32_t security_info; /**< SecurityInfoFields (query: the parts wanted)
                               or SecurityInformation (set: the parts to
                               change): SMBW_SECINFO_* */
  smbw_bytes extra;       /**< parameter bytes after the 8 defined ones
                               (servers ignore them; kept as read) */
} smbw_secdesc_req;

/**
 * Response parameters of NT_TRANSACT_QUERY_SECURITY_DESC (MS-CIFS
 * 2.2.7.6.2).  The response data is the descriptor; when the client's
 * MaxDataCount was too small the server answers STATUS_BUFFER_TOO_SMALL
 * with these parameters and no data.
 */
typedef struct smbw_secdesc_rsp {
  uint32_t length_needed; /**< LengthNeeded: size of the descriptor */
  smbw_bytes extra;       /**< parameter bytes after LengthNeeded */
} smbw_secdesc_rsp;

/**
 * Decode the NT_TRANSACT_QUERY_SECURITY_DESC request parameters.
 * @param params  the transaction parameters (smbw_trans_req::params, or the
 *                reassembled ones)
 * @param out     receives the fields (@c extra points into @p params)
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err     receives the error (nullable); offsets count from the
 *                first parameter byte
 * @return 0; SMBW_E_TRUNCATED (fewer than 8 bytes: field "FID",
 *         "Reserved" or "SecurityInfoFields"); SMBW_E_INVAL (NULL @p out,
 *         or NULL data with a length).
 */
SMBW_API int smbw_query_secdesc_req_decode_(smbw_bytes params, smbw_secdesc_req *out,
                                            size_t out_size, smbw_error *err);

/** smbw_query_secdesc_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_query_secdesc_req_decode(smbw_bytes params, smbw_secdesc_req *out,
                                                smbw_error *err) {
  return smbw_query_secdesc_req_decode_(params, out, sizeof *out, err);
}

/**
 * Encode the NT_TRANSACT_QUERY_SECURITY_DESC request parameters: 8 bytes
 * and @c extra.
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_RANGE (@c extra
 *         over 65535 bytes); SMBW_E_INVAL (NULL @p r, a bad view, NULL
 *         @p out with @p cap > 0).
 */
SMBW_API int smbw_query_secdesc_req_encode_(uint8_t *out, size_t cap, const smbw_secdesc_req *r,
                                            size_t r_size, size_t *len);

/** smbw_query_secdesc_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_query_secdesc_req_encode(uint8_t *out, size_t cap,
                                                const smbw_secdesc_req *r, size_t *len) {
  return smbw_query_secdesc_req_encode_(out, cap, r, sizeof *r, len);
}

/**
 * Decode the NT_TRANSACT_QUERY_SECURITY_DESC response parameters.
 * @param params  the transaction response parameters
 * @param out     receives LengthNeeded and the extra bytes
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err     receives the error (nullable)
 * @return 0; SMBW_E_TRUNCATED (fewer than 4 bytes, field "LengthNeeded");
 *         SMBW_E_INVAL (NULL @p out, or NULL data with a length).
 */
SMBW_API int smbw_query_secdesc_rsp_decode_(smbw_bytes params, smbw_secdesc_rsp *out,
                                            size_t out_size, smbw_error *err);

/** smbw_query_secdesc_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_query_secdesc_rsp_decode(smbw_bytes params, smbw_secdesc_rsp *out,
                                                smbw_error *err) {
  return smbw_query_secdesc_rsp_decode_(params, out, sizeof *out, err);
}

/**
 * Encode the NT_TRANSACT_QUERY_SECURITY_DESC response parameters.
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_RANGE (@c extra over
 *         65535 bytes); SMBW_E_INVAL (NULL @p r, a bad view, NULL @p out
 *         with @p cap > 0).
 */
SMBW_API int smbw_query_secdesc_rsp_encode_(uint8_t *out, size_t cap, const smbw_secdesc_rsp *r,
                                            size_t r_size, size_t *len);

/** smbw_query_secdesc_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_query_secdesc_rsp_encode(uint8_t *out, size_t cap,
                                                const smbw_secdesc_rsp *r, size_t *len) {
  return smbw_query_secdesc_rsp_encode_(out, cap, r, sizeof *r, len);
}

/**
 * Decode the NT_TRANSACT_SET_SECURITY_DESC request parameters.  (The
 * response has neither parameters nor data.)
 * @param params  the transaction parameters
 * @param out     receives the fields
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err     receives the error (nullable)
 * @return 0; SMBW_E_TRUNCATED (fewer than 8 bytes: field "FID",
 *         "Reserved" or "SecurityInformation"); SMBW_E_INVAL (NULL
 *         @p out, or NULL data with a length).
 */
SMBW_API int smbw_set_secdesc_req_decode_(smbw_bytes params, smbw_secdesc_req *out,
                                          size_t out_size, smbw_error *err);

/** smbw_set_secdesc_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_set_secdesc_req_decode(smbw_bytes params, smbw_secdesc_req *out,
                                              smbw_error *err) {
  return smbw_set_secdesc_req_decode_(params, out, sizeof *out, err);
}

/**
 * Encode the NT_TRANSACT_SET_SECURITY_DESC request parameters.
 * @param out  destination (may be NULL when @p cap is 0)
 * @param cap  size of @p out
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return as smbw_query_secdesc_req_encode().
 */
SMBW_API int smbw_set_secdesc_req_encode_(uint8_t *out, size_t cap, const smbw_secdesc_req *r,
                                          size_t r_size, size_t *len);

/** smbw_set_secdesc_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_set_secdesc_req_encode(uint8_t *out, size_t cap, const smbw_secdesc_req *r,
                                              size_t *len) {
  return smbw_set_secdesc_req_encode_(out, cap, r, sizeof *r, len);
}

#ifdef __cplusplus
}
#endif
#endif
