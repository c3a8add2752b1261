/**
 * @file ea.h
 * @brief Extended attribute lists: SMB_FEA_LIST and SMB_GEA_LIST (MS-CIFS
 *        2.2.1.2.1 - 2.2.1.2.4) and chains of FILE_FULL_EA_INFORMATION
 *        (MS-FSCC 2.4.15).
 *
 * These are not messages but payloads of transactions (trans.h), so they
 * are decoded from and encoded into plain byte views:
 *
 * - an **SMB_FEA_LIST** (SizeOfListInBytes, then SMB_FEA entries: flags,
 *   name length, value length, name, NUL, value) is the data of
 *   TRANS2_SET_PATH/FILE_INFORMATION with SMB_INFO_SET_EAS, of
 *   TRANS2_QUERY_PATH/FILE_INFORMATION responses to
 *   SMB_INFO_QUERY_EAS_FROM_LIST and SMB_INFO_QUERY_ALL_EAS, of a
 *   TRANS2_OPEN2 request (ExtendedAttributeList), and sits inside each
 *   TRANS2_FIND_FIRST2 / FIND_NEXT2 entry of level
 *   SMB_INFO_QUERY_EAS_FROM_LIST;
 * - an **SMB_GEA_LIST** (SizeOfListInBytes, then SMB_GEA entries: name
 *   length, name, NUL) names the attributes a client asks for with
 *   SMB_INFO_QUERY_EAS_FROM_LIST;
 * - a **FILE_FULL_EA_INFORMATION** chain (NextEntryOffset, Flags,
 *   EaNameLength, EaValueLength, EaName, NUL, EaValue, padding to the next
 *   entry) is the ExtendedAttributes of NT_TRANSACT_CREATE (EALength bytes
 *   after the security descriptor) and the data of the pass-through level
 *   FileFullEaInformation (1015) of TRANS2_SET/QUERY_*_INFORMATION.
 *
 * One iterator (smbw_ea_iter_init(), smbw_ea_iter_next()) walks all three, in the
 * style of smbw_andx_iter_next(): 1 per entry, 0 at the end, a negative error
 * that stays (sticky).  Every entry comes back as an smbw_ea whose views
 * point into the caller's buffer.  Error offsets count from the first byte
 * of the view given to smbw_ea_iter_init() (for an FEA or GEA list, the first
 * byte of SizeOfListInBytes), not from the SMB header.
 *
 * Encoders append into a caller buffer at a position the caller keeps:
 * smbw_ea_append() for one entry, smbw_ea_list_begin() and
 * smbw_ea_list_finish() around the entries of an FEA or GEA list.  They
 * never write at or past @c buf + @c cap; when an item does not fit they
 * write none of it but still advance the position by its size and return
 * SMBW_E_NOSPACE, so the same calls with @c buf NULL and @c cap 0 compute
 * the exact size needed, and a decoded list re-encodes byte for byte.
 *
 * Where the wire leaves room (see doc of each function):
 * - an FEA or GEA list ends at SizeOfListInBytes; an entry starts wherever
 *   the smallest entry (5 bytes for SMB_FEA, 2 for SMB_GEA) still fits, and
 *   the fewer bytes left over are the list's @c trailing bytes, kept;
 * - NextEntryOffset must move forward by at least its entry's used size
 *   (9 + EaNameLength + EaValueLength) and leave a whole smallest entry
 *   (9 bytes) inside the view, so a chain of n entries takes n steps and
 *   can neither loop nor overlap; its alignment to 4 is not enforced;
 * - the bytes between an entry's value and the next entry are its
 *   @c padding; after the last entry of a chain (NextEntryOffset 0) the
 *   rest of the view is.
 */
#ifndef SMBWIRE_EA_H
#define SMBWIRE_EA_H

#include <smbwire/common.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The three list formats (the @c kind argument of every function here). */
enum smbw_ea_kind {
  SMBW_EA_FEA = 0,  /**< SMB_FEA_LIST: SizeOfListInBytes + SMB_FEA entries */
  SMBW_EA_GEA = 1,  /**< SMB_GEA_LIST: SizeOfListInBytes + SMB_GEA entries */
  SMBW_EA_FULL = 2  /**< FILE_FULL_EA_INFORMATION chain (no list header) */
};

/** FILE_NEED_EA: the only defined bit of an SMB_FEA's ExtendedAttributeFlag
 *  and of FILE_FULL_EA_INFORMATION's Flags. */
#define SMBW_EA_NEED_EA 0x80u

/** Size of SizeOfListInBytes, the header of an FEA or GEA list. */
#define SMBW_EA_LIST_HEADER 4u

/** The smallest SMB_FEA: flags, name length, value length, NUL. */
#define SMBW_EA_FEA_MIN 5u
/** The smallest SMB_GEA: name length, NUL. */
#define SMBW_EA_GEA_MIN 2u
/** The smallest FILE_FULL_EA_INFORMATION: the 8 fixed bytes and a NUL. */
#define SMBW_EA_FULL_MIN 9u

/** Longest name (8-bit length fields) and value (16-bit ones), in bytes. */
#define SMBW_EA_NAME_MAX 255u
#define SMBW_EA_VALUE_MAX 65535u /**< see SMBW_EA_NAME_MAX */

/**
 * Value of smbw_ea::next_entry_offset that asks smbw_ea_append() to
 * compute a FILE_FULL_EA_INFORMATION's NextEntryOffset: the entry's used
 * size rounded up to a multiple of 4 (MS-FSCC 2.4.15), the gap filled with
 * zeros.  It is never a valid offset (no next entry could fit).
 */
#define SMBW_EA_NEXT_AUTO 0xFFFFFFFFu

/**
 * One extended attribute, of any of the three kinds.  Decoded, every view
 * points into the buffer given to smbw_ea_iter_init() and stays valid as long as
 * it does; to encode, the caller fills the fields (views of its own data,
 * which the encoder copies).  Fields a kind does not have are 0 or empty.
 */
typedef struct smbw_ea {
  uint32_t offset;            /**< where the entry starts, from the start
                                   of the view (decoded; ignored by the
                                   encoder) */
  uint32_t next_entry_offset; /**< NextEntryOffset as read (FULL; 0 for
                                   the last entry, and for FEA and GEA).
                                   Encoding FULL: 0 for the last entry,
                                   SMBW_EA_NEXT_AUTO to compute it, or the
                                   value to write */
  uint8_t flags;              /**< ExtendedAttributeFlag (FEA) or Flags
                                   (FULL): SMBW_EA_NEED_EA or 0, other bits
                                   kept as read; 0 for GEA */
  smbw_str name;              /**< AttributeName / EaName: decoded as OEM
                                   (@c enc SMBW_STR_OEM), @c len the length
                                   field, the NUL after it checked and not
                                   counted; it may contain NUL bytes (the
                                   length says where it ends, see
                                   smbw_ea_iter_next()).  Encoded in OEM: an OEM
                                   name is copied, UTF-16LE and UTF-8 ones
                                   are converted (characters up to U+00FF);
                                   absent ({NULL, 0}) is the empty name */
  smbw_bytes value;           /**< AttributeValue / EaValue (may be empty:
                                   then @c data still points where it would
                                   be); {NULL, 0} for GEA */
  smbw_bytes padding;         /**< FULL: the bytes after the value up to
                                   the next entry (NextEntryOffset minus the
                                   used size), or after the last entry the
                                   rest of the view; {NULL, 0} for FEA and
                                   GEA, whose entries are contiguous */
} smbw_ea;

/**
 * Iterator over an FEA list, a GEA list or a FILE_FULL_EA_INFORMATION
 * chain.  Caller-allocated (usually on the stack); initialise it with
 * smbw_ea_iter_init().  It points into the caller's buffer, which must outlive
 * it.  Treat the members as private except @c list_size, @c count and
 * @c trailing, which are read-only and documented below.  Once
 * smbw_ea_iter_next() has failed, the error is sticky: every later call returns
 * it again with the same offset and field.
 */
typedef struct smbw_ea_iter {
  const uint8_t *data;   /**< the view */
  uint32_t len;          /**< its length */
  uint32_t end;          /**< end of the entries: SizeOfListInBytes (FEA,
                              GEA) or @c len (FULL) */
  uint32_t next;         /**< offset of the next entry */
  uint32_t list_size;    /**< public: FEA, GEA: SizeOfListInBytes as read,
                              once smbw_ea_iter_next() has returned 1 or 0 (the
                              list is @c data[0 .. list_size); bytes after
                              it belong to the caller's structure); FULL:
                              the length of the view.  0 before. */
  uint32_t count;        /**< public: entries returned so far */
  smbw_bytes trailing;   /**< public, once smbw_ea_iter_next() has returned 0:
                              FEA, GEA: the bytes after the last entry up to
                              SizeOfListInBytes, fewer than the smallest
                              entry (0 to 4 for FEA, 0 or 1 for GEA);
                              smbw_ea_list_finish() writes them back.  FULL:
                              always empty (an entry's @c padding holds
                              them).  @c data points just after the last
                              entry even when @c len is 0 (NULL only for
                              a {NULL, 0} view); {NULL, 0} before the end */
  int err;               /**< sticky error, 0 if none */
  uint32_t err_off;      /**< its offset */
  const char *err_field; /**< its field */
  uint8_t kind;          /**< enum smbw_ea_kind */
  uint8_t state;         /**< 0 start, 1 walking, 2 done */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_ea_iter;

/**
 * Start walking a list.  Never fails; a bad argument is reported by the
 * first smbw_ea_iter_next().
 * @param it    the iterator to (re)initialise (must not be NULL)
 * @param kind  enum smbw_ea_kind: what @p view holds
 * @param view  the bytes: for FEA and GEA, starting at SizeOfListInBytes
 *              (for example the data of a TRANS2 response, or the part of
 *              a FIND entry from its ExtendedAttributeList on; it may run
 *              past the list); for FULL, exactly the chain (EALength
 *              bytes, or the data of level 1015).  The bytes must outlive
 *              the iteration and every view it hands out.
 */
SMBW_API void smbw_ea_iter_init(smbw_ea_iter *it, int kind, smbw_bytes view);

/**
 * Get the next entry.  Reads only inside the view, and for FEA and GEA
 * only inside @c data[0 .. SizeOfListInBytes).
 *
 * FEA, GEA: the first call checks SizeOfListInBytes: at least 4 and not
 * past the view.  Entries follow one another from offset 4; where fewer
 * bytes than the smallest entry are left (5 for SMB_FEA, 2 for SMB_GEA)
 * the list ends and those bytes are kept in @c it->trailing.  FULL: the
 * first entry is at offset 0 (a view of 0 bytes is an empty chain), each
 * next one at its predecessor's offset plus NextEntryOffset, and the chain
 * ends after an entry whose NextEntryOffset is 0.
 *
 * In every entry the name and its NUL, then the value, must lie inside
 * the list (FEA, GEA) or the view (FULL), and the byte after the name, at
 * the offset its length field gives, must be 0.  The name is not scanned
 * for an earlier NUL: "em\0bed" with length 6 comes back as 6 bytes (smbd
 * 4.17 acts on it as "em"; compare names with their length, or check for
 * NUL bytes when that matters).  A bad NextEntryOffset is reported on the
 * call after the entry that holds it, so the caller still gets that entry
 * (with an empty @c padding), which is itself valid.  Each step moves
 * forward by at least the smallest entry, so the walk ends after at most
 * (view length / smallest entry) + 1 calls.
 *
 * @param it   the iterator (smbw_ea_iter_init() first)
 * @param e    receives the entry, written only when 1 is returned
 * @param err  receives code, offset (from the start of the view) and field
 *             on failure (nullable)
 * @return 1 and fills @p e; 0 at the end (then @c it->trailing is set); or
 *         (and forever after):
 *         - SMBW_E_TRUNCATED: FEA, GEA: the view is shorter than 4 bytes
 *           (offset: the view's length, field "SizeOfListInBytes"); FULL:
 *           the view ends inside the 8 fixed bytes of the first entry
 *           (offset: the view's length, field "NextEntryOffset", "Flags",
 *           "EaNameLength" or "EaValueLength", the one it ends in);
 *         - SMBW_E_RANGE: SizeOfListInBytes below 4 (offset 0, field
 *           "SizeOfListInBytes");
 *         - SMBW_E_FIELD_LENGTH: SizeOfListInBytes past the view (offset
 *           0, field "SizeOfListInBytes"); a name and its NUL past the end
 *           of the list or view (the offset of the length field:
 *           "AttributeNameLengthInBytes" or "EaNameLength"); a value past
 *           it ("AttributeValueLengthInBytes", "EaValueLength");
 *         - SMBW_E_STR_UNTERMINATED: the byte after the name is not 0
 *           (offset of that byte, field "AttributeName" or "EaName");
 *         - SMBW_E_NEXT_OFFSET: FULL: a NextEntryOffset that is not 0 and
 *           either smaller than its entry's used size (inside the entry)
 *           or leaves fewer than 9 bytes after the next entry's start
 *           (past the end; this includes the values that would wrap
 *           around to an earlier offset): offset of the field, field
 *           "NextEntryOffset";
 *         or, not sticky, SMBW_E_INVAL: NULL @p it or @p e, an unknown
 *         kind, or a view with NULL data and a length (offset 0, field
 *         "iterator").
 */
SMBW_API int smbw_ea_iter_next(smbw_ea_iter *it, smbw_ea *e, smbw_error *err);

/**
 * Append one entry of @p kind at @c buf[*pos].
 *
 * Wire size: FEA 5 + name + value; GEA 2 + name; FULL 9 + name + value +
 * padding, where the padding is: with @c next_entry_offset 0 (the last
 * entry), @c padding as given; with SMBW_EA_NEXT_AUTO, up to the next
 * multiple of 4, and the NextEntryOffset written is that rounded size;
 * with any other value, up to that value, which is written as given.  A
 * computed or given gap is filled from @c padding when its length equals
 * the gap, else with zeros, so a decoded entry re-encodes byte for byte.
 * Name lengths count the name in OEM, without its NUL (which is always
 * written).
 *
 * Nothing is ever written at or past @p buf + @p cap: an entry that does
 * not fit whole in @c buf[*pos .. cap) is not written at all.  Calling
 * with @p buf NULL and @p cap 0 only measures.
 *
 * @param buf   output buffer (NULL when @p cap is 0)
 * @param cap   its size
 * @param pos   in: where to write; out: advanced by the entry's wire size
 *              on success and on SMBW_E_NOSPACE; unchanged on any other
 *              error (must not be NULL)
 * @param kind  enum smbw_ea_kind
 * @param e     the entry (must not be NULL; @c offset is ignored)
 * @return 0; SMBW_E_NOSPACE (the entry did not fit, or @c *pos was already
 *         past @p cap; *pos advanced all the same); SMBW_E_INVAL (NULL
 *         @p pos or @p e, NULL @p buf with @p cap > 0, an unknown
 *         @p kind, a view or name with NULL data and a length, a name
 *         marked @c unterminated or of an unknown encoding; for FEA and
 *         GEA a non-empty @c padding or a @c next_entry_offset not 0; for
 *         GEA @c flags not 0 or a non-empty @c value); SMBW_E_RANGE (a
 *         name over 255 bytes in OEM, a value over 65535 bytes, or *pos
 *         plus the size overflowing a size_t); SMBW_E_STR_ENCODING (a
 *         name character above U+00FF, or invalid UTF-8);
 *         SMBW_E_NEXT_OFFSET (FULL: a @c next_entry_offset other than 0
 *         and SMBW_EA_NEXT_AUTO that is smaller than the entry's used
 *         size).
 */
SMBW_API int smbw_ea_append(uint8_t *buf, size_t cap, size_t *pos, int kind, const smbw_ea *e);

/**
 * Start an FEA or GEA list at @c buf[*pos]: reserve the 4 bytes of
 * SizeOfListInBytes (written as 0 until smbw_ea_list_finish()).  Then
 * append the entries with smbw_ea_append() and close the list with
 * smbw_ea_list_finish().
 * @param buf    output buffer (NULL when @p cap is 0: measure only)
 * @param cap    its size
 * @param pos    in: where the list starts; out: advanced by 4, also on
 *               SMBW_E_NOSPACE (must not be NULL)
 * @param start  receives the list's start, the value *pos had, to pass to
 *               smbw_ea_list_finish() (must not be NULL)
 * @return 0; SMBW_E_NOSPACE (the 4 bytes did not fit; nothing written);
 *         SMBW_E_INVAL (NULL @p pos or @p start, NULL @p buf with
 *         @p cap > 0); SMBW_E_RANGE (*pos + 4 overflows a size_t).
 */
SMBW_API int smbw_ea_list_begin(uint8_t *buf, size_t cap, size_t *pos, size_t *start);

/**
 * Close an FEA or GEA list: append its trailing bytes (if any) and write
 * SizeOfListInBytes, the list's size from @p start to the new *pos.
 * SizeOfListInBytes is written whenever its 4 bytes fit, even when an
 * entry did not; the result is complete only when every call returned 0.
 * @param buf       output buffer (NULL when @p cap is 0: measure only)
 * @param cap       its size
 * @param pos       in: the end of the last entry; out: advanced by the
 *                  trailing bytes, also on SMBW_E_NOSPACE (must not be NULL)
 * @param start     the list's start, from smbw_ea_list_begin()
 * @param kind      SMBW_EA_FEA or SMBW_EA_GEA
 * @param trailing  bytes to keep after the last entry (nullable; a
 *                  decoded list's @c it->trailing), fewer than the
 *                  smallest entry of @p kind (at most 4 for FEA, 1 for
 *                  GEA) so that they decode back as trailing bytes
 * @return 0; SMBW_E_NOSPACE (the trailing bytes, or something appended
 *         since @p start, did not fit: the list is incomplete); SMBW_E_INVAL
 *         (NULL @p pos, NULL @p buf with @p cap > 0, @p kind not FEA nor
 *         GEA, @p start + 4 past *pos (no smbw_ea_list_begin() there), a
 *         trailing view with NULL data and a length or as long as the
 *         smallest entry); SMBW_E_RANGE (the list over 4 GiB - 1 bytes).
 */
SMBW_API int smbw_ea_list_finish(uint8_t *buf, size_t cap, size_t *pos, size_t start, int kind,
                                 const smbw_bytes *trailing);

#ifdef __cplusplus
}
#endif
#endif
