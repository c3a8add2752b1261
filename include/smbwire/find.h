/**
 * @file find.h
 * @brief Directory searches: TRANS2_FIND_FIRST2 and TRANS2_FIND_NEXT2
 *        parameters (MS-CIFS 2.2.6.2, 2.2.6.3) and the directory entries
 *        of their response data (MS-CIFS 2.2.8.1, MS-SMB 2.2.8.1).
 *
 * These are transaction payloads: the parameter and data views come from
 * an smbw_trans_req / smbw_trans_rsp (trans.h) whose setup word 0 is
 * TRANS2_FIND_FIRST2 (1) or TRANS2_FIND_NEXT2 (2), or from a reassembled
 * smbw_trans_asm.  Every decoder here reads only the view it is given and
 * returns views into it; error offsets count from the first byte of that
 * view (the parameters, or the data), not from the SMB header.
 *
 * Encoders write into a caller buffer and never past @p cap; they always
 * report the size needed, so a call with a NULL buffer and @p cap 0 is a
 * size query.  The parameter encoders write nothing unless everything
 * fits.  Decoded structs re-encode byte for byte.
 *
 * Directory entries are read with an iterator, smbw_find_iter_init() and
 * smbw_find_iter_next(), and written one at a time with smbw_find_append().
 * Entry layouts (offsets from the start of an entry):
 *
 * | level | fixed part | NextEntryOffset | FileNameLength | name at |
 * |-------|-----------:|-----------------|----------------|--------:|
 * | 0x0001 SMB_INFO_STANDARD | 23 (+4) | none | 1 byte at 22 | 23 (+pad) |
 * | 0x0002 SMB_INFO_QUERY_EA_SIZE | 27 (+4) | none | 1 byte at 26 | 27 |
 * | 0x0101 DIRECTORY_INFO | 64 | 4 bytes at 0 | 4 bytes at 60 | 64 |
 * | 0x0102 FULL_DIRECTORY_INFO | 68 | at 0 | at 60 | 68 |
 * | 0x0103 NAMES_INFO | 12 | at 0 | 4 bytes at 8 | 12 |
 * | 0x0104 BOTH_DIRECTORY_INFO | 94 | at 0 | at 60 | 94 |
 * | 0x0105 ID_FULL_DIRECTORY_INFO | 80 | at 0 | at 60 | 80 |
 * | 0x0106 ID_BOTH_DIRECTORY_INFO | 104 | at 0 | at 60 | 104 |
 *
 * (+4): the two standard levels start with a 4-byte ResumeKey when the
 * request had SMB_FIND_RETURN_RESUME_KEYS.
 */
#ifndef SMBWIRE_FIND_H
#define SMBWIRE_FIND_H

#include <smbwire/common.h>
#include <smbwire/str.h>
#include <smbwire/trans.h> /* SMBW_TRANS2_FIND_FIRST2, _FIND_NEXT2 */

#ifdef __cplusplus
extern "C" {
#endif

/** @name TRANS2 subcommands of this module (setup word 0)
 * @{ */
/** @} */

/** @name Find information levels (MS-CIFS 2.2.2.3.1, MS-SMB 2.2.2.3.1)
 * @{ */
#define SMBW_INFO_STANDARD                    0x0001u /**< SMB_INFO_STANDARD */
#define SMBW_INFO_QUERY_EA_SIZE               0x0002u /**< SMB_INFO_QUERY_EA_SIZE */
/** SMB_INFO_QUERY_EAS_FROM_LIST (its entries are not decoded: SMBW_E_LEVEL) */
#define SMBW_INFO_QUERY_EAS_FROM_LIST         0x0003u
#define SMBW_FIND_FILE_DIRECTORY_INFO         0x0101u /**< SMB_FIND_FILE_DIRECTORY_INFO */
#define SMBW_FIND_FILE_FULL_DIRECTORY_INFO    0x0102u /**< SMB_FIND_FILE_FULL_DIRECTORY_INFO */
#define SMBW_FIND_FILE_NAMES_INFO             0x0103u /**< SMB_FIND_FILE_NAMES_INFO */
#define SMBW_FIND_FILE_BOTH_DIRECTORY_INFO    0x0104u /**< SMB_FIND_FILE_BOTH_DIRECTORY_INFO */
#define SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO 0x0105u /**< ..._ID_FULL_DIRECTORY_INFO (MS-SMB) */
#define SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO 0x0106u /**< ..._ID_BOTH_DIRECTORY_INFO (MS-SMB) */
/** @} */

/** @name FIND_FIRST2 / FIND_NEXT2 Flags (MS-CIFS 2.2.6.2.1)
 * @{ */
#define SMBW_FIND_CLOSE_AFTER_REQUEST 0x0001u /**< close the search after this request */
#define SMBW_FIND_CLOSE_AT_EOS        0x0002u /**< close the search at the end of the search */
#define SMBW_FIND_RETURN_RESUME_KEYS  0x0004u /**< standard-level entries start with a ResumeKey */
#define SMBW_FIND_CONTINUE_FROM_LAST  0x0008u /**< continue from where the last search ended */
#define SMBW_FIND_WITH_BACKUP_INTENT  0x0010u /**< search with backup intent */
/** @} */

/** smbw_find_iter_init() search count meaning "not known": iterate until the
    entries themselves end (every 16-bit SearchCount is below it). */
#define SMBW_FIND_ANY_COUNT 0xFFFFFFFFu

/**
 * TRANS2_FIND_FIRST2 request parameters (MS-CIFS 2.2.6.2.1), and the
 * GetExtendedAttributeList of its data at SMB_INFO_QUERY_EAS_FROM_LIST.
 * Layout: SearchAttributes(2) SearchCount(2) Flags(2) InformationLevel(2)
 * SearchStorageType(4) FileName, then any @c extra bytes.
 */
typedef struct smbw_find_first2_req {
  uint16_t search_attributes;   /**< SearchAttributes (SMB_FILE_ATTRIBUTES) */
  uint16_t search_count;        /**< SearchCount: most entries to return */
  uint16_t flags;               /**< Flags: SMBW_FIND_* */
  uint16_t information_level;   /**< InformationLevel: SMBW_INFO_* / SMBW_FIND_FILE_* */
  uint32_t search_storage_type; /**< SearchStorageType */
  smbw_str file_name;           /**< FileName: the search pattern, at
                                     parameter offset 12 with no alignment
                                     pad; UTF-16LE or OEM per the unicode
                                     flag; absent (NULL) when the
                                     parameters end at 12 bytes */
  smbw_bytes extra;             /**< parameter bytes after the FileName
                                     terminator (normally none) */
  smbw_bytes gea_list;          /**< decoders: at SMB_INFO_QUERY_EAS_FROM_LIST
                                     the whole Trans2_Data, an SMB_GEA_LIST
                                     (SizeOfListInBytes, then the names);
                                     else empty.  Encoders ignore it: it is
                                     the transaction data, sent as is */
} smbw_find_first2_req;

/** TRANS2_FIND_FIRST2 response parameters (MS-CIFS 2.2.6.2.2). */
typedef struct smbw_find_first2_rsp {
  uint16_t sid;              /**< SID: the search handle */
  uint16_t search_count;     /**< SearchCount: entries in the data */
  uint16_t end_of_search;    /**< EndOfSearch: non-zero when this was the last */
  uint16_t ea_error_offset;  /**< EaErrorOffset */
  uint16_t last_name_offset; /**< LastNameOffset: data offset of the last
                                  entry's name, or 0 */
  smbw_bytes extra;          /**< parameter bytes after the 10 defined ones */
} smbw_find_first2_rsp;

/**
 * TRANS2_FIND_NEXT2 request parameters (MS-CIFS 2.2.6.3.1): SID(2)
 * SearchCount(2) InformationLevel(2) ResumeKey(4) Flags(2) FileName.
 */
typedef struct smbw_find_next2_req {
  uint16_t sid;               /**< SID from the FIND_FIRST2 response */
  uint16_t search_count;      /**< SearchCount */
  uint16_t information_level; /**< InformationLevel */
  uint32_t resume_key;        /**< ResumeKey */
  uint16_t flags;             /**< Flags: SMBW_FIND_* */
  smbw_str file_name;         /**< FileName (the name to resume from), at
                                   parameter offset 12, no pad; absent when
                                   the parameters end at 12 bytes */
  smbw_bytes extra;           /**< parameter bytes after the FileName */
  smbw_bytes gea_list;        /**< as in smbw_find_first2_req */
} smbw_find_next2_req;

/** TRANS2_FIND_NEXT2 response parameters (MS-CIFS 2.2.6.3.2). */
typedef struct smbw_find_next2_rsp {
  uint16_t search_count;     /**< SearchCount */
  uint16_t end_of_search;    /**< EndOfSearch */
  uint16_t ea_error_offset;  /**< EaErrorOffset */
  uint16_t last_name_offset; /**< LastNameOffset */
  smbw_bytes extra;          /**< parameter bytes after the 8 defined ones */
} smbw_find_next2_rsp;

/**
 * How a directory entry's FileName is terminated, as read (decoders never
 * give SMBW_FIND_NUL_DEFAULT).
 */
enum smbw_find_nul {
  SMBW_FIND_NUL_DEFAULT = 0, /**< encoders only: the level's usual form,
                                  SMBW_FIND_NUL_AFTER at the standard
                                  levels, SMBW_FIND_NUL_NONE at the others */
  SMBW_FIND_NUL_NONE = 1,    /**< no terminator (Windows and Samba in
                                  Unicode at the NT levels) */
  SMBW_FIND_NUL_COUNTED = 2, /**< a terminator (one character of zeros)
                                  counted in FileNameLength (Samba in OEM at
                                  the NT levels) */
  SMBW_FIND_NUL_AFTER = 3    /**< standard levels: a terminator after the
                                  name, not counted in FileNameLength: one
                                  character of zeros at SMB_INFO_STANDARD,
                                  a single zero byte at
                                  SMB_INFO_QUERY_EA_SIZE (Samba's form in
                                  both encodings) */
};

/** How smbw_find_append() writes NextEntryOffset and the padding. */
enum smbw_find_next_mode {
  SMBW_FIND_NEXT_AS_GIVEN = 0, /**< NextEntryOffset is @c next_entry_offset
                                    and @c padding follows the entry, as
                                    decoded (the caller keeps them
                                    consistent) */
  SMBW_FIND_NEXT_ALIGN8 = 1    /**< NT levels: NextEntryOffset is the used
                                    size rounded up to a multiple of 8, and
                                    that many zero bytes pad the entry
                                    (@c next_entry_offset and @c padding are
                                    ignored); for an entry that is not the
                                    last one */
};

/**
 * One directory entry of any supported level.  Fields a level does not
 * have are 0 (or empty) after decoding and ignored by the encoder.
 * Views point into the data given to smbw_find_iter_init().
 */
typedef struct smbw_find_entry {
  uint32_t offset;             /**< decoders: offset of the entry from the
                                    start of the data (ignored by the
                                    encoder) */
  uint32_t next_entry_offset;  /**< NextEntryOffset as read (NT levels) */
  uint32_t file_index;         /**< FileIndex (NT levels) */
  uint32_t resume_key;         /**< ResumeKey (standard levels, when
                                    @c has_resume_key) */
  uint64_t creation_time;      /**< CreationTime, FILETIME (levels 0x101..0x106
                                    except 0x103) */
  uint64_t last_access_time;   /**< LastAccessTime, FILETIME */
  uint64_t last_write_time;    /**< LastWriteTime, FILETIME */
  uint64_t last_change_time;   /**< LastChangeTime / LastAttrChangeTime, FILETIME */
  uint16_t creation_date;      /**< CreationDate, SMB_DATE (standard levels) */
  uint16_t creation_time_dos;  /**< CreationTime, SMB_TIME (standard levels) */
  uint16_t last_access_date;   /**< LastAccessDate, SMB_DATE */
  uint16_t last_access_time_dos; /**< LastAccessTime, SMB_TIME */
  uint16_t last_write_date;    /**< LastWriteDate, SMB_DATE */
  uint16_t last_write_time_dos; /**< LastWriteTime, SMB_TIME */
  uint64_t end_of_file;        /**< EndOfFile; FileDataSize (32 bits) at
                                    the standard levels */
  uint64_t allocation_size;    /**< AllocationSize (32 bits at the standard
                                    levels) */
  uint32_t attributes;         /**< ExtFileAttributes; Attributes (16 bits)
                                    at the standard levels */
  uint32_t ea_size;            /**< EaSize (levels 2, 0x102, 0x104, 0x105,
                                    0x106) */
  uint32_t reserved;           /**< Reserved (4 bytes, level 0x105) or
                                    Reserved2 (2 bytes, level 0x106) */
  uint64_t file_id;            /**< FileId (levels 0x105, 0x106) */
  uint8_t short_name_reserved; /**< the Reserved byte after ShortNameLength
                                    (levels 0x104, 0x106) */
  uint8_t has_resume_key;      /**< standard levels: 1 when the entry starts
                                    with a ResumeKey (the request had
                                    SMB_FIND_RETURN_RESUME_KEYS) */
  uint8_t name_nul;            /**< enum smbw_find_nul */
  uint8_t next_mode;           /**< enum smbw_find_next_mode (encoder;
                                    decoders set SMBW_FIND_NEXT_AS_GIVEN) */
  smbw_str short_name;         /**< ShortName (levels 0x104, 0x106): the
                                    first ShortNameLength bytes of the
                                    24-byte field, always UTF-16LE */
  smbw_bytes short_name_pad;   /**< the rest of the 24-byte ShortName field
                                    (encoders write it back when its length
                                    fits, zeros otherwise) */
  smbw_str file_name;          /**< FileName without its terminator; @c pad
                                    holds the alignment byte of a Unicode
                                    SMB_INFO_STANDARD name at an odd data
                                    offset; @c unterminated is 1 for
                                    SMBW_FIND_NUL_NONE */
  smbw_bytes padding;          /**< bytes after the entry: up to the next
                                    entry, or for the last entry to the end
                                    of the data */
} smbw_find_entry;

/**
 * Directory entry iterator.  Treat the members as private; initialise with
 * smbw_find_iter_init().  Caller-allocated; it points into the caller's
 * data, which must outlive it and every entry it returns.  Once
 * smbw_find_iter_next() has failed the error is sticky.
 */
typedef struct smbw_find_iter {
  const uint8_t *data;   /**< the response data */
  uint32_t len;          /**< its length */
  uint32_t pos;          /**< end of the last entry returned (standard levels) */
  uint32_t prev;         /**< offset of the last entry returned */
  uint32_t prev_used;    /**< its used size (fixed part and name) */
  uint32_t prev_next;    /**< its NextEntryOffset */
  uint32_t count;        /**< entries returned */
  uint32_t search_count; /**< SearchCount, or SMBW_FIND_ANY_COUNT */
  uint16_t level;        /**< information level */
  uint16_t flags;        /**< request Flags (SMBW_FIND_RETURN_RESUME_KEYS) */
  uint8_t unicode;       /**< 1: names are UTF-16LE */
  uint8_t state;         /**< 0 before the first entry, 1 more may follow, 2 done */
  int err;               /**< sticky error, 0 if none */
  uint32_t err_off;      /**< its offset */
  const char *err_field; /**< its field */
  uintptr_t reserved_[4]; /**< room for new private state within the SONAME */
} smbw_find_iter;

/**
 * Decode TRANS2_FIND_FIRST2 request parameters (and, at
 * SMB_INFO_QUERY_EAS_FROM_LIST, the GEA list in the data).  Reads only
 * @p params and @p data; @p out is written only on success.
 * @param params   the transaction parameters
 * @param data     the transaction data (only looked at for level 3)
 * @param unicode  non-zero when FLAGS2_UNICODE is set: FileName is UTF-16LE
 * @param out      receives the fields (views into @p params and @p data)
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err      receives code, offset and field on failure (nullable);
 *                 offsets count from @p params, or from @p data for
 *                 "SizeOfListInBytes"
 * @return 0; SMBW_E_TRUNCATED (fewer than 12 parameter bytes: the field
 *         that is cut; or level 3 data shorter than 4 bytes,
 *         "SizeOfListInBytes"); SMBW_E_FIELD_LENGTH (SizeOfListInBytes
 *         below 4 or past the data); SMBW_E_INVAL (NULL @p out, or a view
 *         with NULL data and a length).
 */
SMBW_API int smbw_find_first2_req_decode_(smbw_bytes params, smbw_bytes data, int unicode,
                                          smbw_find_first2_req *out, size_t out_size,
                                          smbw_error *err);

/** smbw_find_first2_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_find_first2_req_decode(smbw_bytes params, smbw_bytes data, int unicode,
                                              smbw_find_first2_req *out, smbw_error *err) {
  return smbw_find_first2_req_decode_(params, data, unicode, out, sizeof *out, err);
}

/**
 * Encode TRANS2_FIND_FIRST2 request parameters: the 12 fixed bytes, the
 * FileName (converted to UTF-16LE or OEM as @p unicode says, terminated
 * unless @c file_name.unterminated, nothing when absent) and @c extra.
 * The GEA list is not written (it is the transaction data).  Writes only
 * @p buf[0 .. *len), and nothing unless all of it fits.
 * @param buf      output (NULL with @p cap 0 to only measure)
 * @param cap      size of @p buf
 * @param unicode  non-zero for a UTF-16LE FileName
 * @param r        the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len      receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (@p cap below *len; nothing written);
 *         SMBW_E_INVAL (NULL @p r, NULL @p buf with @p cap > 0, a view
 *         with NULL data and a length, or an absent FileName with
 *         @c extra bytes); SMBW_E_STR_ENCODING (FileName not
 *         representable); SMBW_E_RANGE (over 65535 bytes).
 */
SMBW_API int smbw_find_first2_req_encode_(uint8_t *buf, size_t cap, int unicode,
                                          const smbw_find_first2_req *r, size_t r_size,
                                          size_t *len);

/** smbw_find_first2_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_find_first2_req_encode(uint8_t *buf, size_t cap, int unicode,
                                              const smbw_find_first2_req *r, size_t *len) {
  return smbw_find_first2_req_encode_(buf, cap, unicode, r, sizeof *r, len);
}

/**
 * Decode TRANS2_FIND_FIRST2 response parameters.  Reads only @p params.
 * @param params  the transaction parameters
 * @param out     receives the fields
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err     receives code, offset and field on failure (nullable)
 * @return 0; SMBW_E_TRUNCATED (fewer than 10 bytes: the field that is
 *         cut); SMBW_E_INVAL (NULL @p out, or NULL data with a length).
 */
SMBW_API int smbw_find_first2_rsp_decode_(smbw_bytes params, smbw_find_first2_rsp *out,
                                          size_t out_size, smbw_error *err);

/** smbw_find_first2_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_find_first2_rsp_decode(smbw_bytes params, smbw_find_first2_rsp *out,
                                              smbw_error *err) {
  return smbw_find_first2_rsp_decode_(params, out, sizeof *out, err);
}

/**
 * Encode TRANS2_FIND_FIRST2 response parameters (10 bytes and @c extra).
 * @param buf  output (NULL with @p cap 0 to only measure)
 * @param cap  size of @p buf
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_INVAL (NULL @p r,
 *         NULL @p buf with @p cap > 0, a bad @c extra view);
 *         SMBW_E_RANGE (over 65535 bytes).
 */
SMBW_API int smbw_find_first2_rsp_encode_(uint8_t *buf, size_t cap, const smbw_find_first2_rsp *r,
                                          size_t r_size, size_t *len);

/** smbw_find_first2_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_find_first2_rsp_encode(uint8_t *buf, size_t cap,
                                              const smbw_find_first2_rsp *r, size_t *len) {
  return smbw_find_first2_rsp_encode_(buf, cap, r, sizeof *r, len);
}

/**
 * Decode TRANS2_FIND_NEXT2 request parameters, as
 * smbw_find_first2_req_decode().
 * @param params   the transaction parameters
 * @param data     the transaction data (only looked at for level 3)
 * @param unicode  non-zero when FLAGS2_UNICODE is set
 * @param out      receives the fields
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err      receives code, offset and field on failure (nullable)
 * @return 0; SMBW_E_TRUNCATED (fewer than 12 parameter bytes, or level 3
 *         data shorter than 4 bytes); SMBW_E_FIELD_LENGTH (bad
 *         SizeOfListInBytes); SMBW_E_INVAL (NULL @p out or a bad view).
 */
SMBW_API int smbw_find_next2_req_decode_(smbw_bytes params, smbw_bytes data, int unicode,
                                         smbw_find_next2_req *out, size_t out_size,
                                         smbw_error *err);

/** smbw_find_next2_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_find_next2_req_decode(smbw_bytes params, smbw_bytes data, int unicode,
                                             smbw_find_next2_req *out, smbw_error *err) {
  return smbw_find_next2_req_decode_(params, data, unicode, out, sizeof *out, err);
}

/**
 * Encode TRANS2_FIND_NEXT2 request parameters, as
 * smbw_find_first2_req_encode().
 * @param buf      output (NULL with @p cap 0 to only measure)
 * @param cap      size of @p buf
 * @param unicode  non-zero for a UTF-16LE FileName
 * @param r        the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len      receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_INVAL;
 *         SMBW_E_STR_ENCODING; SMBW_E_RANGE, as for
 *         smbw_find_first2_req_encode().
 */
SMBW_API int smbw_find_next2_req_encode_(uint8_t *buf, size_t cap, int unicode,
                                         const smbw_find_next2_req *r, size_t r_size, size_t *len);

/** smbw_find_next2_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_find_next2_req_encode(uint8_t *buf, size_t cap, int unicode,
                                             const smbw_find_next2_req *r, size_t *len) {
  return smbw_find_next2_req_encode_(buf, cap, unicode, r, sizeof *r, len);
}

/**
 * Decode TRANS2_FIND_NEXT2 response parameters.  Reads only @p params.
 * @param params  the transaction parameters
 * @param out     receives the fields
 * @param out_size sizeof *out as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err     receives code, offset and field on failure (nullable)
 * @return 0; SMBW_E_TRUNCATED (fewer than 8 bytes: the field that is
 *         cut); SMBW_E_INVAL (NULL @p out, or NULL data with a length).
 */
SMBW_API int smbw_find_next2_rsp_decode_(smbw_bytes params, smbw_find_next2_rsp *out,
                                         size_t out_size, smbw_error *err);

/** smbw_find_next2_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_find_next2_rsp_decode(smbw_bytes params, smbw_find_next2_rsp *out,
                                             smbw_error *err) {
  return smbw_find_next2_rsp_decode_(params, out, sizeof *out, err);
}

/**
 * Encode TRANS2_FIND_NEXT2 response parameters (8 bytes and @c extra).
 * @param buf  output (NULL with @p cap 0 to only measure)
 * @param cap  size of @p buf
 * @param r    the fields
 * @param r_size sizeof *r as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param len  receives the size needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing written); SMBW_E_INVAL;
 *         SMBW_E_RANGE, as for smbw_find_first2_rsp_encode().
 */
SMBW_API int smbw_find_next2_rsp_encode_(uint8_t *buf, size_t cap, const smbw_find_next2_rsp *r,
                                         size_t r_size, size_t *len);

/** smbw_find_next2_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_find_next2_rsp_encode(uint8_t *buf, size_t cap,
                                             const smbw_find_next2_rsp *r, size_t *len) {
  return smbw_find_next2_rsp_encode_(buf, cap, r, sizeof *r, len);
}

/**
 * Start iterating over the directory entries of a FIND_FIRST2 or
 * FIND_NEXT2 response's data.  Never fails: a bad argument is reported by
 * the first smbw_find_iter_next().
 * @param it            the iterator to (re)initialise (NULL: nothing done)
 * @param data          the response data; must outlive the iterator and
 *                      the entries
 * @param level         the InformationLevel of the request
 * @param unicode       non-zero when the response has FLAGS2_UNICODE
 * @param search_count  the response's SearchCount: exactly that many
 *                      entries are read, the last one whatever its
 *                      NextEntryOffset; or SMBW_FIND_ANY_COUNT to stop
 *                      where the entries end
 * @param flags         the request's Flags (SMBW_FIND_RETURN_RESUME_KEYS
 *                      puts a ResumeKey before each standard-level entry)
 */
SMBW_API void smbw_find_iter_init(smbw_find_iter *it, smbw_bytes data, uint16_t level,
                             int unicode, uint32_t search_count, uint16_t flags);

/**
 * Get the next directory entry.
 *
 * Rules: an entry's fixed part and its name lie inside the data.  At the
 * NT levels the entries are linked by NextEntryOffset: 0 ends the list,
 * any other value must be at least the entry's used size (fixed part plus
 * FileNameLength) and point inside the data, so entries only move forward
 * and at most data length / 12 entries are read.  A bad NextEntryOffset is
 * reported on the call after the entry that holds it, so the caller still
 * gets that entry.  At the standard levels entries follow each other
 * directly.  With a SearchCount the iteration stops after that many
 * entries (Samba leaves a non-zero NextEntryOffset, the padded size, in
 * the last entry); with SMBW_FIND_ANY_COUNT it stops at a NextEntryOffset
 * of 0, at one that reaches the end of the data exactly, after an entry
 * whose name ends at the end of the data, or, at the standard levels, at
 * the end of the data.  The last entry's @c padding runs to the end of
 * the data, so the entries and their padding cover it exactly.
 *
 * @param it   the iterator (smbw_find_iter_init() first)
 * @param e    receives the entry, written only when 1 is returned
 * @param e_size sizeof *e as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @param err  receives code, offset (from the start of the data) and
 *             field on failure (nullable)
 * @return 1 and fills @p e; 0 after the last entry; or (and forever after)
 *         SMBW_E_LEVEL (a level this module does not decode, field
 *         "InformationLevel"), SMBW_E_TRUNCATED (the data ends inside an
 *         entry's fixed part: the field that is cut), SMBW_E_FIELD_LENGTH
 *         (FileNameLength past the data, or ShortNameLength over 24),
 *         SMBW_E_NEXT_OFFSET (NextEntryOffset inside its entry or past the
 *         data; offset of that entry), SMBW_E_COUNT (fewer entries than
 *         SearchCount: a NextEntryOffset of 0, or the data ends; or
 *         SearchCount 0 with data), SMBW_E_INVAL (data NULL with a length);
 *         or, not sticky, SMBW_E_INVAL (NULL @p it or @p e).
 */
SMBW_API int smbw_find_iter_next_(smbw_find_iter *it, smbw_find_entry *e, size_t e_size,
                                  smbw_error *err);

/** smbw_find_iter_next_() with the caller's sizeof *e (doc/abi.md). */
static inline int smbw_find_iter_next(smbw_find_iter *it, smbw_find_entry *e, smbw_error *err) {
  return smbw_find_iter_next_(it, e, sizeof *e, err);
}

/**
 * Append one directory entry at @p buf + *@p pos.  @p buf is the start of
 * the response data: a Unicode SMB_INFO_STANDARD name is aligned to an
 * even offset from it, with @c file_name.pad as the pad byte.  FileNameLength
 * and ShortNameLength come from the views; the name is converted to the
 * wire encoding (the short name always to UTF-16LE).  The entry is written
 * only if it fits whole; *@p pos advances by its size in every case but an
 * argument error, so a run of calls over a too small (or NULL) buffer
 * measures the data exactly.
 * @param buf      start of the data (NULL with @p cap 0 to only measure)
 * @param cap      size of @p buf
 * @param pos      in: where the entry goes; out: just past it
 * @param level    the information level
 * @param unicode  non-zero for UTF-16LE names
 * @param e        the entry
 * @param e_size sizeof *e as the caller compiled it (doc/abi.md);
 *        below the struct's first published size: SMBW_E_INVAL
 * @return 0; SMBW_E_NOSPACE (*@p pos advanced past @p cap; nothing of
 *         this entry written); SMBW_E_LEVEL (level not supported);
 *         SMBW_E_INVAL (NULL @p pos or @p e, NULL @p buf with @p cap > 0,
 *         a view with NULL data and a length, a @c name_nul or
 *         @c next_mode the level does not have, a resume key at an NT
 *         level); SMBW_E_RANGE (a value over its field: a 32-bit size at a
 *         standard level, a name over 255 bytes there, a short name over
 *         24 bytes, a Reserved2 over 16 bits, *@p pos + size overflowing);
 *         SMBW_E_STR_ENCODING (a name not representable).
 */
SMBW_API int smbw_find_append_(uint8_t *buf, size_t cap, size_t *pos, uint16_t level, int unicode,
                               const smbw_find_entry *e, size_t e_size);

/** smbw_find_append_() with the caller's sizeof *e (doc/abi.md). */
static inline int smbw_find_append(uint8_t *buf, size_t cap, size_t *pos, uint16_t level,
                                   int unicode, const smbw_find_entry *e) {
  return smbw_find_append_(buf, cap, pos, level, unicode, e, sizeof *e);
}

#ifdef __cplusplus
}
#endif
#endif
