/**
 * @file commands.h
 * @brief The everyday NT LM 0.12 commands (MS-CIFS 2.2.4, MS-SMB 2.2.4),
 *        decoded and encoded through the message descriptions of form.h.
 *
 * Each message type has a struct `smbw_NAME` and the typed calls
 * `smbw_NAME_decode()` / `smbw_NAME_encode()` (form.h).  Every struct
 * starts with @c wct, the form (the WordCount on the wire), and ends with
 * @c extra, the data bytes after the last item the form describes, kept so
 * that decoded messages re-encode byte for byte.  Every response type also
 * accepts WordCount 0, the form servers send with an error status: all its
 * fields are zero and the whole byte area is in @c extra.
 *
 * Times: @c UTIME fields are seconds since 1970 (MS-CIFS 2.2.1.4.3);
 * SMB_DATE / SMB_TIME pairs are the packed DOS forms (2.2.1.4.1), as read.
 */
#ifndef SMBWIRE_COMMANDS_H
#define SMBWIRE_COMMANDS_H

#include <smbwire/form.h>
#include <smbwire/message.h>
#include <smbwire/open.h>
#include <smbwire/read.h>
#include <smbwire/session.h>
#include <smbwire/str.h>
#include <smbwire/tree.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A message with no fields of its own: the responses of CLOSE, FLUSH,
 * DELETE, RENAME, NT_RENAME, the directory commands, SET_INFORMATION,
 * SET_INFORMATION2, FIND_CLOSE2, PROCESS_EXIT, TREE_DISCONNECT and NT_CANCEL
 * (which has none: MS-CIFS 2.2.4.65), and the requests of TREE_DISCONNECT,
 * NT_CANCEL, QUERY_INFORMATION_DISK and PROCESS_EXIT (WordCount 0,
 * ByteCount 0).
 */
typedef struct smbw_empty {
  uint8_t wct;      /**< form: 0 */
  smbw_bytes extra; /**< data bytes, as sent (normally none) */
} smbw_empty;

/** SMB_COM_CLOSE request (MS-CIFS 2.2.4.5.1): 3 words. */
typedef struct smbw_close_req {
  uint8_t wct;                 /**< form: 3 */
  uint16_t fid;                /**< FID */
  uint32_t last_time_modified; /**< LastTimeModified, UTIME (0 or 0xFFFFFFFF: leave) */
  smbw_bytes extra;            /**< data bytes after the last field, as sent */
} smbw_close_req;
typedef smbw_empty smbw_close_rsp; /**< SMB_COM_CLOSE response (2.2.4.5.2) */

/** SMB_COM_FLUSH request (MS-CIFS 2.2.4.6.1): 1 word. */
typedef struct smbw_flush_req {
  uint8_t wct;      /**< form: 1 */
  uint16_t fid;     /**< FID (0xFFFF: every file of the process) */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_flush_req;
typedef smbw_empty smbw_flush_rsp; /**< SMB_COM_FLUSH response (2.2.4.6.2) */

/** SMB_COM_ECHO request (MS-CIFS 2.2.4.39.1): 1 word, then the data. */
typedef struct smbw_echo_req {
  uint8_t wct;         /**< form: 1 */
  uint16_t echo_count; /**< EchoCount: how many responses to send */
  smbw_bytes data;     /**< Data, echoed back */
  smbw_bytes extra;    /**< always empty (the data takes the whole area) */
} smbw_echo_req;

/** SMB_COM_ECHO response (MS-CIFS 2.2.4.39.2): 1 word, then the data. */
typedef struct smbw_echo_rsp {
  uint8_t wct;              /**< form: 1, or 0 (error) */
  uint16_t sequence_number; /**< SequenceNumber: 1 .. EchoCount */
  smbw_bytes data;          /**< Data, as sent in the request */
  smbw_bytes extra;         /**< always empty, but the whole area of an error response */
} smbw_echo_rsp;

/** SMB_COM_LOGOFF_ANDX request and response (MS-CIFS 2.2.4.54): 2 words. */
typedef struct smbw_logoff_andx_req {
  uint8_t wct;      /**< form: 2 */
  smbw_andx andx;   /**< AndX header */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_logoff_andx_req;
typedef smbw_logoff_andx_req smbw_logoff_andx_rsp; /**< response: 2 words, or 0 (error) */

typedef smbw_empty smbw_tree_disconnect_req; /**< SMB_COM_TREE_DISCONNECT request (2.2.4.51.1) */
typedef smbw_empty smbw_tree_disconnect_rsp; /**< SMB_COM_TREE_DISCONNECT response (2.2.4.51.2) */

/** SMB_COM_FIND_CLOSE2 request (MS-CIFS 2.2.4.48.1): 1 word. */
typedef struct smbw_find_close2_req {
  uint8_t wct;      /**< form: 1 */
  uint16_t sid;     /**< SearchHandle from FIND_FIRST2 */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_find_close2_req;
typedef smbw_empty smbw_find_close2_rsp; /**< SMB_COM_FIND_CLOSE2 response (2.2.4.48.2) */

typedef smbw_empty smbw_nt_cancel_req; /**< SMB_COM_NT_CANCEL request (2.2.4.65.1) */
typedef smbw_empty smbw_nt_cancel_rsp; /**< SMB_COM_NT_CANCEL: no response is sent; described for
                                            completeness (2.2.4.65.2) */

/** SMB_COM_NT_RENAME request (MS-CIFS 2.2.4.66.1): 4 words, two 0x04 names. */
typedef struct smbw_nt_rename_req {
  uint8_t wct;                /**< form: 4 */
  uint16_t search_attributes; /**< SearchAttributes */
  uint16_t information_level; /**< InformationLevel: 0x0103 link, 0x0104 rename, 0x0105 move */
  uint32_t reserved;          /**< Reserved (ClusterCount in older texts) */
  smbw_str old_file_name;     /**< OldFileName (after BufferFormat1 0x04) */
  smbw_str new_file_name;     /**< NewFileName (after BufferFormat2 0x04) */
  smbw_bytes extra;           /**< data bytes after the names, as sent */
} smbw_nt_rename_req;
typedef smbw_empty smbw_nt_rename_rsp; /**< SMB_COM_NT_RENAME response (2.2.4.66.2) */

/** SMB_COM_DELETE request (MS-CIFS 2.2.4.7.1): 1 word, a 0x04 name. */
typedef struct smbw_delete_req {
  uint8_t wct;                /**< form: 1 */
  uint16_t search_attributes; /**< SearchAttributes */
  smbw_str file_name;         /**< FileName (after BufferFormat 0x04; wildcards allowed) */
  smbw_bytes extra;           /**< data bytes after the name, as sent */
} smbw_delete_req;
typedef smbw_empty smbw_delete_rsp; /**< SMB_COM_DELETE response (2.2.4.7.2) */

/** SMB_COM_RENAME request (MS-CIFS 2.2.4.8.1): 1 word, two 0x04 names. */
typedef struct smbw_rename_req {
  uint8_t wct;                /**< form: 1 */
  uint16_t search_attributes; /**< SearchAttributes */
  smbw_str old_file_name;     /**< OldFileName (after BufferFormat1 0x04) */
  smbw_str new_file_name;     /**< NewFileName (after BufferFormat2 0x04) */
  smbw_bytes extra;           /**< data bytes after the names, as sent */
} smbw_rename_req;
typedef smbw_empty smbw_rename_rsp; /**< SMB_COM_RENAME response (2.2.4.8.2) */

/** A request that names one path: 0 words, a 0x04 name (CREATE_DIRECTORY,
    DELETE_DIRECTORY, CHECK_DIRECTORY, QUERY_INFORMATION). */
typedef struct smbw_path_req {
  uint8_t wct;      /**< form: 0 */
  smbw_str name;    /**< DirectoryName or FileName (after BufferFormat 0x04) */
  smbw_bytes extra; /**< data bytes after the name, as sent */
} smbw_path_req;
typedef smbw_path_req smbw_create_directory_req; /**< SMB_COM_CREATE_DIRECTORY request (2.2.4.1.1) */
typedef smbw_empty smbw_create_directory_rsp;    /**< SMB_COM_CREATE_DIRECTORY response (2.2.4.1.2) */
typedef smbw_path_req smbw_delete_directory_req; /**< SMB_COM_DELETE_DIRECTORY request (2.2.4.2.1) */
typedef smbw_empty smbw_delete_directory_rsp;    /**< SMB_COM_DELETE_DIRECTORY response (2.2.4.2.2) */
typedef smbw_path_req smbw_check_directory_req;  /**< SMB_COM_CHECK_DIRECTORY request (2.2.4.17.1) */
typedef smbw_empty smbw_check_directory_rsp;     /**< SMB_COM_CHECK_DIRECTORY response (2.2.4.17.2) */
typedef smbw_path_req smbw_query_information_req; /**< SMB_COM_QUERY_INFORMATION request (2.2.4.9.1) */

/** SMB_COM_QUERY_INFORMATION response (MS-CIFS 2.2.4.9.2): 10 words. */
typedef struct smbw_query_information_rsp {
  uint8_t wct;              /**< form: 10, or 0 (error) */
  uint16_t file_attributes; /**< FileAttributes, SMB_FILE_ATTRIBUTES */
  uint32_t last_write_time; /**< LastWriteTime, UTIME */
  uint32_t file_size;       /**< FileSize */
  uint8_t reserved[10];     /**< Reserved (5 words), as read */
  smbw_bytes extra;         /**< data bytes, as sent */
} smbw_query_information_rsp;

/** SMB_COM_SET_INFORMATION request (MS-CIFS 2.2.4.10.1): 8 words, a 0x04 name. */
typedef struct smbw_set_information_req {
  uint8_t wct;              /**< form: 8 */
  uint16_t file_attributes; /**< FileAttributes */
  uint32_t last_write_time; /**< LastWriteTime, UTIME (0: leave) */
  uint8_t reserved[10];     /**< Reserved (5 words), as read */
  smbw_str file_name;       /**< FileName (after BufferFormat 0x04) */
  smbw_bytes extra;         /**< data bytes after the name, as sent */
} smbw_set_information_req;
typedef smbw_empty smbw_set_information_rsp; /**< SMB_COM_SET_INFORMATION response (2.2.4.10.2) */

/** SMB_COM_QUERY_INFORMATION2 request (MS-CIFS 2.2.4.31.1): 1 word. */
typedef struct smbw_query_information2_req {
  uint8_t wct;      /**< form: 1 */
  uint16_t fid;     /**< FID */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_query_information2_req;

/** SMB_COM_QUERY_INFORMATION2 response (MS-CIFS 2.2.4.31.2): 11 words. */
typedef struct smbw_query_information2_rsp {
  uint8_t wct;                   /**< form: 11, or 0 (error) */
  uint16_t create_date;          /**< CreateDate, SMB_DATE */
  uint16_t creation_time;        /**< CreationTime, SMB_TIME */
  uint16_t last_access_date;     /**< LastAccessDate */
  uint16_t last_access_time;     /**< LastAccessTime */
  uint16_t last_write_date;      /**< LastWriteDate */
  uint16_t last_write_time;      /**< LastWriteTime */
  uint32_t file_data_size;       /**< FileDataSize */
  uint32_t file_allocation_size; /**< FileAllocationSize */
  uint16_t file_attributes;      /**< FileAttributes */
  smbw_bytes extra;              /**< data bytes, as sent */
} smbw_query_information2_rsp;

/** SMB_COM_SET_INFORMATION2 request (MS-CIFS 2.2.4.30.1): 7 words. */
typedef struct smbw_set_information2_req {
  uint8_t wct;               /**< form: 7 */
  uint16_t fid;              /**< FID */
  uint16_t create_date;      /**< CreateDate, SMB_DATE (0: leave) */
  uint16_t creation_time;    /**< CreationTime, SMB_TIME */
  uint16_t last_access_date; /**< LastAccessDate */
  uint16_t last_access_time; /**< LastAccessTime */
  uint16_t last_write_date;  /**< LastWriteDate */
  uint16_t last_write_time;  /**< LastWriteTime */
  smbw_bytes extra;          /**< data bytes, as sent */
} smbw_set_information2_req;
typedef smbw_empty smbw_set_information2_rsp; /**< SMB_COM_SET_INFORMATION2 response (2.2.4.30.2) */

/** SMB_COM_SEEK request (MS-CIFS 2.2.4.19.1): 4 words. */
typedef struct smbw_seek_req {
  uint8_t wct;      /**< form: 4 */
  uint16_t fid;     /**< FID */
  uint16_t mode;    /**< Mode: 0 from the start, 1 from the current position, 2 from the end */
  uint32_t offset;  /**< Offset (a signed 32-bit value on the wire) */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_seek_req;

/** SMB_COM_SEEK response (MS-CIFS 2.2.4.19.2): 2 words. */
typedef struct smbw_seek_rsp {
  uint8_t wct;      /**< form: 2, or 0 (error) */
  uint32_t offset;  /**< Offset: the new position from the start of the file */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_seek_rsp;

typedef smbw_empty smbw_query_information_disk_req; /**< SMB_COM_QUERY_INFORMATION_DISK request (2.2.4.57.1) */

/** SMB_COM_QUERY_INFORMATION_DISK response (MS-CIFS 2.2.4.57.2): 5 words. */
typedef struct smbw_query_information_disk_rsp {
  uint8_t wct;              /**< form: 5, or 0 (error) */
  uint16_t total_units;     /**< TotalUnits */
  uint16_t blocks_per_unit; /**< BlocksPerUnit */
  uint16_t block_size;      /**< BlockSize */
  uint16_t free_units;      /**< FreeUnits */
  uint16_t reserved;        /**< Reserved */
  smbw_bytes extra;         /**< data bytes, as sent */
} smbw_query_information_disk_rsp;

typedef smbw_empty smbw_process_exit_req; /**< SMB_COM_PROCESS_EXIT request (2.2.4.18.1) */
typedef smbw_empty smbw_process_exit_rsp; /**< SMB_COM_PROCESS_EXIT response (2.2.4.18.2) */

/**
 * SMB_COM_WRITE_ANDX request (MS-CIFS 2.2.4.43.1, MS-SMB 2.2.4.3.1): 12
 * words, or 14 with OffsetHigh.  The data is located by DataOffset and
 * DataLength (+ DataLengthHigh << 16 under CAP_LARGE_WRITEX); a write over
 * 64 KiB runs past ByteCount, which then holds the low 16 bits of the pad
 * and data size (only in the last block of a chain).
 */
typedef struct smbw_write_andx_req {
  uint8_t wct;          /**< form: 12 or 14 */
  smbw_andx andx;       /**< AndX header */
  uint16_t fid;         /**< FID */
  uint64_t offset;      /**< Offset, plus OffsetHigh << 32 (14 words) */
  uint32_t timeout;     /**< Timeout */
  uint16_t write_mode;  /**< WriteMode */
  uint16_t remaining;   /**< Remaining */
  uint16_t data_offset; /**< DataOffset from the header; encoders use it
                             when it is at or past the data area (or, with no
                             data, as given), else the next even offset */
  smbw_bytes pad;       /**< bytes between ByteCount and the data, as sent */
  smbw_bytes data;      /**< the data to write (DataLength | DataLengthHigh << 16 bytes) */
  smbw_bytes extra;     /**< data bytes after the data, as sent */
} smbw_write_andx_req;

/** SMB_COM_WRITE_ANDX response (MS-CIFS 2.2.4.43.2, MS-SMB 2.2.4.3.2): 6 words. */
typedef struct smbw_write_andx_rsp {
  uint8_t wct;        /**< form: 6, or 0 (error) */
  smbw_andx andx;     /**< AndX header */
  uint32_t count;     /**< Count | CountHigh << 16 (MS-SMB: CountHigh in Reserved) */
  uint16_t available; /**< Available */
  uint16_t reserved;  /**< Reserved (the last word) */
  smbw_bytes extra;   /**< data bytes, as sent */
} smbw_write_andx_rsp;

/** @name LOCKING_ANDX TypeOfLock bits (MS-CIFS 2.2.4.32.1)
 * @{ */
#define SMBW_LOCKING_SHARED_LOCK 0x01u     /**< read-only (shared) locks */
#define SMBW_LOCKING_OPLOCK_RELEASE 0x02u  /**< an oplock break or its acknowledgement */
#define SMBW_LOCKING_CHANGE_LOCKTYPE 0x04u /**< change the type of the locks */
#define SMBW_LOCKING_CANCEL_LOCK 0x08u     /**< cancel an outstanding lock request */
#define SMBW_LOCKING_LARGE_FILES 0x10u     /**< 64-bit ranges (20-byte records) */
/** @} */

/** One byte range of a LOCKING_ANDX request (LOCKING_ANDX_RANGE32 or 64). */
typedef struct smbw_lock_range {
  uint16_t pid;     /**< PID of the owner */
  uint16_t pad;     /**< Pad (64-bit records only), as read */
  uint64_t offset;  /**< ByteOffset (OffsetHigh << 32 | OffsetLow for 64-bit) */
  uint64_t length;  /**< LengthInBytes (LengthHigh << 32 | LengthLow for 64-bit) */
} smbw_lock_range;

/**
 * SMB_COM_LOCKING_ANDX request (MS-CIFS 2.2.4.32.1): 8 words, then
 * NumberOfRequestedUnlocks then NumberOfRequestedLocks range records of 10
 * bytes, or 20 with SMBW_LOCKING_LARGE_FILES.  A server sends the same
 * message (with the reply flag clear) to break an oplock:
 * SMBW_LOCKING_OPLOCK_RELEASE and no ranges.  Walk the records with
 * smbw_lock_range_get().
 */
typedef struct smbw_locking_andx_req {
  uint8_t wct;               /**< form: 8 */
  smbw_andx andx;            /**< AndX header */
  uint16_t fid;              /**< FID */
  uint8_t type_of_lock;      /**< TypeOfLock, SMBW_LOCKING_* */
  uint8_t new_oplock_level;  /**< NewOpLockLevel (in an oplock break) */
  uint32_t timeout;          /**< Timeout, ms (0: no wait, 0xFFFFFFFF: forever) */
  uint16_t number_of_unlocks; /**< NumberOfRequestedUnlocks */
  uint16_t number_of_locks;  /**< NumberOfRequestedLocks */
  smbw_bytes unlocks;        /**< Unlocks: the unlock records, as sent */
  smbw_bytes locks;          /**< Locks: the lock records, as sent */
  smbw_bytes extra;          /**< data bytes after the records, as sent */
} smbw_locking_andx_req;
typedef smbw_logoff_andx_req smbw_locking_andx_rsp; /**< response: 2 words (AndX), or 0 (error) */

/**
 * Range record @p i of an Unlocks or Locks area of a decoded request.
 * @param area  the @c unlocks or @c locks view of an smbw_locking_andx_req
 * @param type_of_lock  the request's TypeOfLock (LARGE_FILES picks 20-byte records)
 * @param i     record index (the area holds exactly its count of records)
 * @param out   receives the record
 * @return 0, or SMBW_E_INVAL (@p i past the area, NULL argument).
 */
SMBW_API int smbw_lock_range_get(smbw_bytes area, uint8_t type_of_lock, uint32_t i,
                                 smbw_lock_range *out);

/**
 * Write @p n range records for a LOCKING_ANDX request into @p buf (10 or 20
 * bytes each, by SMBW_LOCKING_LARGE_FILES in @p type_of_lock); the result
 * goes into the @c locks or @c unlocks view of an smbw_locking_andx_req.
 * @param buf           output (may be NULL with @p cap 0 to only measure)
 * @param cap           size of @p buf
 * @param type_of_lock  the request's TypeOfLock
 * @param r             the records
 * @param n             how many
 * @param len           receives the size written or needed (nullable)
 * @return 0; SMBW_E_NOSPACE (with the size needed in @p *len);
 *         SMBW_E_RANGE (a 32-bit record with an offset or length over
 *         32 bits, or a pad that is not 0); SMBW_E_INVAL.
 */
SMBW_API int smbw_lock_ranges_encode(uint8_t *buf, size_t cap, uint8_t type_of_lock,
                                     const smbw_lock_range *r, size_t n, size_t *len);

/** SMB_COM_NT_CREATE_ANDX request (MS-CIFS 2.2.4.64.1): 24 words. */
typedef struct smbw_nt_create_andx_req {
  uint8_t wct;                  /**< form: 24 */
  smbw_andx andx;               /**< AndX header */
  uint8_t reserved;             /**< Reserved */
  uint16_t name_length;         /**< NameLength, as sent (bytes of FileName; written as given) */
  uint32_t flags;               /**< Flags (NT_CREATE_REQUEST_OPLOCK, ...) */
  uint32_t root_directory_fid;  /**< RootDirectoryFID */
  uint32_t desired_access;      /**< DesiredAccess */
  uint64_t allocation_size;     /**< AllocationSize */
  uint32_t ext_file_attributes; /**< ExtFileAttributes */
  uint32_t share_access;        /**< ShareAccess */
  uint32_t create_disposition;  /**< CreateDisposition */
  uint32_t create_options;      /**< CreateOptions */
  uint32_t impersonation_level; /**< ImpersonationLevel */
  uint8_t security_flags;       /**< SecurityFlags */
  smbw_str file_name;           /**< FileName */
  smbw_bytes extra;             /**< data bytes after the name, as sent */
} smbw_nt_create_andx_req;

/**
 * SMB_COM_NT_CREATE_ANDX response: 34 words (MS-CIFS 2.2.4.64.2), or the
 * extended response (MS-SMB 2.2.4.9.2) that says 42 words and carries 50
 * (@c wct 42; smbw_block::nwords tells how many were read).
 */
typedef struct smbw_nt_create_andx_rsp {
  uint8_t wct;                  /**< form: 34, 42 (extended, 50 words carried), or 0 */
  uint8_t nwords;               /**< words carried, as smbw_block::nwords: 50 for the
                                     extended response as Windows and Samba send it, 42
                                     for a block read with the 42 words it declares;
                                     encoders write 42 words only when this is 42 */
  smbw_andx andx;               /**< AndX header */
  uint8_t oplock_level;         /**< OpLockLevel */
  uint16_t fid;                 /**< FID */
  uint32_t create_disposition;  /**< CreateDisposition (the action taken) */
  uint64_t create_time;         /**< CreateTime, FILETIME */
  uint64_t last_access_time;    /**< LastAccessTime */
  uint64_t last_write_time;     /**< LastWriteTime */
  uint64_t last_change_time;    /**< LastChangeTime */
  uint32_t ext_file_attributes; /**< ExtFileAttributes */
  uint64_t allocation_size;     /**< AllocationSize */
  uint64_t end_of_file;         /**< EndOfFile */
  uint16_t resource_type;       /**< ResourceType */
  uint16_t nmpipe_status;       /**< NMPipeStatus */
  uint8_t directory;            /**< Directory */
  uint8_t volume_guid[16];      /**< VolumeGUID (extended) */
  uint64_t file_id;             /**< FileId (extended) */
  uint32_t maximal_access_rights;       /**< MaximalAccessRights (extended) */
  uint32_t guest_maximal_access_rights; /**< GuestMaximalAccessRights (extended) */
  smbw_bytes extra;             /**< data bytes, as sent */
} smbw_nt_create_andx_rsp;

/* ---- core commands (MS-CIFS 2.2.4): OPEN, CREATE, READ, WRITE and the
   byte-range locks of the core protocol ---- */

/** SMB_COM_OPEN request (MS-CIFS 2.2.4.3.1): 2 words, a 0x04 name. */
typedef struct smbw_open_req {
  uint8_t wct;                /**< form: 2 */
  uint16_t access_mode;       /**< AccessMode: sharing, access and caching bits */
  uint16_t search_attributes; /**< SearchAttributes, SMB_FILE_ATTRIBUTES */
  smbw_str file_name;         /**< FileName (after BufferFormat 0x04) */
  smbw_bytes extra;           /**< data bytes after the name, as sent */
} smbw_open_req;

/** SMB_COM_OPEN response (MS-CIFS 2.2.4.3.2): 7 words. */
typedef struct smbw_open_rsp {
  uint8_t wct;              /**< form: 7, or 0 (error) */
  uint16_t fid;             /**< FID */
  uint16_t file_attrs;      /**< FileAttrs, SMB_FILE_ATTRIBUTES */
  uint32_t last_modified;   /**< LastModified, UTIME */
  uint32_t file_size;       /**< FileSize */
  uint16_t access_mode;     /**< AccessMode granted */
  smbw_bytes extra;         /**< data bytes, as sent */
} smbw_open_rsp;

/** SMB_COM_CREATE and SMB_COM_CREATE_NEW request (MS-CIFS 2.2.4.4.1,
    2.2.4.16.1): 3 words, a 0x04 name. */
typedef struct smbw_create_req {
  uint8_t wct;              /**< form: 3 */
  uint16_t file_attributes; /**< FileAttributes, SMB_FILE_ATTRIBUTES */
  uint32_t creation_time;   /**< CreationTime, UTIME */
  smbw_str file_name;       /**< FileName (after BufferFormat 0x04) */
  smbw_bytes extra;         /**< data bytes after the name, as sent */
} smbw_create_req;
typedef smbw_create_req smbw_create_new_req; /**< SMB_COM_CREATE_NEW request (2.2.4.16.1) */

/** A response of one FID word (SMB_COM_CREATE, SMB_COM_CREATE_NEW). */
typedef struct smbw_fid_rsp {
  uint8_t wct;      /**< form: 1, or 0 (error) */
  uint16_t fid;     /**< FID */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_fid_rsp;
typedef smbw_fid_rsp smbw_create_rsp;     /**< SMB_COM_CREATE response (2.2.4.4.2) */
typedef smbw_fid_rsp smbw_create_new_rsp; /**< SMB_COM_CREATE_NEW response (2.2.4.16.2) */

/** SMB_COM_READ and SMB_COM_LOCK_AND_READ request (MS-CIFS 2.2.4.11.1,
    2.2.4.20.1): 5 words. */
typedef struct smbw_read_req {
  uint8_t wct;        /**< form: 5 */
  uint16_t fid;       /**< FID */
  uint16_t count;     /**< CountOfBytesToRead */
  uint32_t offset;    /**< ReadOffsetInBytes */
  uint16_t remaining; /**< EstimateOfRemainingBytesToBeRead */
  smbw_bytes extra;   /**< data bytes, as sent */
} smbw_read_req;
typedef smbw_read_req smbw_lock_and_read_req; /**< SMB_COM_LOCK_AND_READ request (2.2.4.20.1) */

/** SMB_COM_READ and SMB_COM_LOCK_AND_READ response (MS-CIFS 2.2.4.11.2,
    2.2.4.20.2): 5 words, then a data block (BufferFormat 0x01, a 16-bit
    length, the data). */
typedef struct smbw_read_rsp {
  uint8_t wct;           /**< form: 5, or 0 (error) */
  uint16_t count;        /**< CountOfBytesReturned */
  uint8_t reserved[8];   /**< Reserved (4 words), as read */
  uint8_t buffer_format; /**< BufferFormat as read: 0x01 (smbd sends 0x00 in an empty
                              LOCK_AND_READ response); encoders write it as given */
  smbw_bytes data;       /**< the bytes read (their length is CountOfBytesRead); data is
                              non-NULL when the block is there, even empty.  Encoders write
                              the block when data is non-NULL or buffer_format non-zero */
  smbw_bytes extra;      /**< data bytes after the block, as sent */
} smbw_read_rsp;
typedef smbw_read_rsp smbw_lock_and_read_rsp; /**< SMB_COM_LOCK_AND_READ response (2.2.4.20.2) */

/** SMB_COM_WRITE and SMB_COM_WRITE_AND_UNLOCK request (MS-CIFS 2.2.4.12.1,
    2.2.4.21.1): 5 words, then a data block (BufferFormat 0x01, a 16-bit
    length, the data). */
typedef struct smbw_write_req {
  uint8_t wct;           /**< form: 5 */
  uint16_t fid;          /**< FID */
  uint16_t count;        /**< CountOfBytesToWrite */
  uint32_t offset;       /**< WriteOffsetInBytes */
  uint16_t remaining;    /**< EstimateOfRemainingBytesToBeWritten */
  uint8_t buffer_format; /**< BufferFormat as read: 0x01; encoders write it as given */
  smbw_bytes data;       /**< the bytes to write (their length is DataLength); data is non-NULL
                              when the block is there, even empty (smbtorture sends a WRITE
                              without one).  Encoders write the block when data is non-NULL
                              or buffer_format non-zero */
  smbw_bytes extra;      /**< data bytes after the block, as sent */
} smbw_write_req;
typedef smbw_write_req smbw_write_and_unlock_req; /**< SMB_COM_WRITE_AND_UNLOCK request (2.2.4.21.1) */

/** A response of one count word (SMB_COM_WRITE, SMB_COM_WRITE_AND_UNLOCK,
    SMB_COM_WRITE_AND_CLOSE). */
typedef struct smbw_write_rsp {
  uint8_t wct;      /**< form: 1, or 0 (error) */
  uint16_t count;   /**< CountOfBytesWritten */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_write_rsp;
typedef smbw_write_rsp smbw_write_and_unlock_rsp; /**< SMB_COM_WRITE_AND_UNLOCK response (2.2.4.21.2) */
typedef smbw_write_rsp smbw_write_and_close_rsp;  /**< SMB_COM_WRITE_AND_CLOSE response (2.2.4.40.2) */

/** SMB_COM_LOCK_BYTE_RANGE and SMB_COM_UNLOCK_BYTE_RANGE request (MS-CIFS
    2.2.4.13.1, 2.2.4.14.1): 5 words. */
typedef struct smbw_byte_range_req {
  uint8_t wct;      /**< form: 5 */
  uint16_t fid;     /**< FID */
  uint32_t count;   /**< CountOfBytesToLock (to unlock) */
  uint32_t offset;  /**< LockOffsetInBytes (UnlockOffsetInBytes) */
  smbw_bytes extra; /**< data bytes, as sent */
} smbw_byte_range_req;
typedef smbw_byte_range_req smbw_lock_byte_range_req;   /**< SMB_COM_LOCK_BYTE_RANGE request (2.2.4.13.1) */
typedef smbw_empty smbw_lock_byte_range_rsp;            /**< SMB_COM_LOCK_BYTE_RANGE response (2.2.4.13.2) */
typedef smbw_byte_range_req smbw_unlock_byte_range_req; /**< SMB_COM_UNLOCK_BYTE_RANGE request (2.2.4.14.1) */
typedef smbw_empty smbw_unlock_byte_range_rsp;          /**< SMB_COM_UNLOCK_BYTE_RANGE response (2.2.4.14.2) */

/** SMB_COM_WRITE_AND_CLOSE request (MS-CIFS 2.2.4.40.1): 6 or 12 words,
    then one pad byte and the data. */
typedef struct smbw_write_and_close_req {
  uint8_t wct;              /**< form: 6, or 12 (with Reserved) */
  uint16_t fid;             /**< FID */
  uint32_t offset;          /**< WriteOffsetInBytes */
  uint32_t last_write_time; /**< LastWriteTime, UTIME */
  uint8_t reserved[12];     /**< Reserved (12-word form: 3 ULONGs), as read */
  smbw_bytes pad;           /**< Pad: the byte before the data, as read; {NULL, 0}: a zero */
  smbw_bytes data;          /**< Data (its length is CountOfBytesToWrite) */
  smbw_bytes extra;         /**< data bytes after the data, as sent */
} smbw_write_and_close_req;

/** SMB_COM_CREATE_TEMPORARY request (MS-CIFS 2.2.4.15.1): 3 words, a 0x04
    directory name. */
typedef struct smbw_create_temporary_req {
  uint8_t wct;              /**< form: 3 */
  uint16_t file_attributes; /**< FileAttributes (servers ignore it) */
  uint32_t creation_time;   /**< CreationTime, UTIME */
  smbw_str directory_name;  /**< DirectoryName (after BufferFormat 0x04) */
  smbw_bytes extra;         /**< data bytes after the name, as sent */
} smbw_create_temporary_req;

/** SMB_COM_CREATE_TEMPORARY response (MS-CIFS 2.2.4.15.2): 1 word, then
    the name of the file created, as smbd sends it and Wireshark reads it:
    an OEM string without the BufferFormat 0x04 that MS-CIFS puts before it
    (a 0x04 a server does send is then the name's first byte). */
typedef struct smbw_create_temporary_rsp {
  uint8_t wct;                  /**< form: 1, or 0 (error) */
  uint16_t fid;                 /**< FID */
  smbw_str temporary_file_name; /**< TemporaryFileName, OEM, null-terminated */
  smbw_bytes extra;             /**< data bytes after the name, as sent */
} smbw_create_temporary_rsp;

/** One SMB_Directory_Information entry of a SEARCH, FIND or FIND_UNIQUE
    response (MS-CIFS 2.2.4.58.2): 43 bytes; smbw_search_entry_get(). */
typedef struct smbw_search_entry {
  uint8_t resume_key[21];   /**< ResumeKey: the SMB_Resume_Key to go on from this entry
                                 (Reserved, ServerState 16, ClientState 4) */
  uint8_t file_attributes;  /**< FileAttributes (one byte) */
  uint16_t last_write_time; /**< LastWriteTime, SMB_TIME */
  uint16_t last_write_date; /**< LastWriteDate, SMB_DATE */
  uint32_t file_size;       /**< FileSize */
  uint8_t file_name[13];    /**< FileName: the 8.3 name, OEM, space-padded, then a NUL */
} smbw_search_entry;

/** One print queue entry of a GET_PRINT_QUEUE response (the CIFS 1.0
    draft): 28 bytes; smbw_print_queue_entry_get(). */
typedef struct smbw_print_queue_entry {
  uint16_t file_date;         /**< FileDate, SMB_DATE queued */
  uint16_t file_time;         /**< FileTime, SMB_TIME queued */
  uint8_t status;             /**< Status: 1 held, 2 printing, 3 waiting, 4 in intercept,
                                   5 file error, 6 printer error */
  uint16_t spool_file_number; /**< SpoolFileNumber */
  uint32_t spool_file_size;   /**< SpoolFileSize */
  uint8_t reserved;           /**< Reserved */
  uint8_t spool_file_name[16]; /**< SpoolFileName: the client's name, NUL-padded */
} smbw_print_queue_entry;

/** SMB_COM_SEARCH, SMB_COM_FIND, SMB_COM_FIND_UNIQUE and SMB_COM_FIND_CLOSE
    request (MS-CIFS 2.2.4.58.1 to 2.2.4.61.1): 2 words, a 0x04 file name,
    then a variable block (0x05) holding the resume key. */
typedef struct smbw_search_req {
  uint8_t wct;                /**< form: 2 */
  uint16_t max_count;         /**< MaxCount */
  uint16_t search_attributes; /**< SearchAttributes, SMB_FILE_ATTRIBUTES */
  smbw_str file_name;         /**< FileName (after BufferFormat1 0x04) */
  uint8_t resume_key_format;  /**< BufferFormat2 as read: 0x05 */
  smbw_bytes resume_key;      /**< ResumeKey: empty to start a search, or the 21-byte
                                   SMB_Resume_Key of the entry to go on from (non-NULL when
                                   the block is there, as for smbw_read_rsp.data) */
  smbw_bytes extra;           /**< data bytes after the block, as sent */
} smbw_search_req;
typedef smbw_search_req smbw_find_req;        /**< SMB_COM_FIND request (2.2.4.59.1) */
typedef smbw_search_req smbw_find_unique_req; /**< SMB_COM_FIND_UNIQUE request (2.2.4.60.1) */
typedef smbw_search_req smbw_find_close_req;  /**< SMB_COM_FIND_CLOSE request (2.2.4.61.1) */

/** SMB_COM_SEARCH, SMB_COM_FIND, SMB_COM_FIND_UNIQUE and SMB_COM_FIND_CLOSE
    response (MS-CIFS 2.2.4.58.2 to 2.2.4.61.2): 1 word, then a variable
    block (0x05) of Count 43-byte SMB_Directory_Information entries (smbd
    answers FIND_CLOSE with no block). */
typedef struct smbw_search_rsp {
  uint8_t wct;           /**< form: 1, or 0 (error) */
  uint16_t count;        /**< Count: entries returned */
  uint8_t buffer_format; /**< BufferFormat as read: 0x05 */
  smbw_bytes entries;    /**< DirectoryInformationData: the entries, 43 bytes each (non-NULL
                              when the block is there) */
  smbw_bytes extra;      /**< data bytes after the block, as sent */
} smbw_search_rsp;
typedef smbw_search_rsp smbw_find_rsp;        /**< SMB_COM_FIND response (2.2.4.59.2) */
typedef smbw_search_rsp smbw_find_unique_rsp; /**< SMB_COM_FIND_UNIQUE response (2.2.4.60.2) */
typedef smbw_search_rsp smbw_find_close_rsp;  /**< SMB_COM_FIND_CLOSE response (2.2.4.61.2) */

/** A command whose layout MS-CIFS does not give (it names the code and
    says it is obsolete or was never implemented; servers answer
    STATUS_NOT_IMPLEMENTED), and READ_RAW's response, which is not an SMB
    message: any WordCount, the words and the bytes as sent. */
typedef struct smbw_generic {
  uint8_t wct;      /**< WordCount as read (encoders write words.len / 2) */
  smbw_bytes words; /**< the parameter words, as sent (an AndX command's AndXCommand is
                         written 0xFF and linked by the builder, as for every AndX type) */
  smbw_bytes extra; /**< the data bytes, as sent */
} smbw_generic;

/** SMB_COM_CLOSE_PRINT_FILE request (MS-CIFS 2.2.4.69.1): 1 word, or 3 as
    Samba's client library sends it (the FID, then 4 zero bytes, as in a
    CLOSE). */
typedef struct smbw_close_print_file_req {
  uint8_t wct;          /**< form: 1, or 3 */
  uint16_t fid;         /**< FID */
  uint8_t reserved[4];  /**< the 3-word form's last 2 words, as read */
  smbw_bytes extra;     /**< data bytes, as sent */
} smbw_close_print_file_req;

/** SMB_COM_READ_RAW request (MS-CIFS 2.2.4.22.1): 8 or 10 words.  The
    response is not an SMB message but the raw data on its own (see
    smbw_read_raw_rsp). */
typedef struct smbw_read_raw_req {
  uint8_t wct;        /**< form: 8, or 10 (with OffsetHigh) */
  uint16_t fid;       /**< FID */
  uint64_t offset;    /**< Offset, and OffsetHigh (10 words) */
  uint16_t max_count; /**< MaxCountOfBytesToReturn */
  uint16_t min_count; /**< MinCountOfBytesToReturn */
  uint32_t timeout;   /**< Timeout */
  uint16_t reserved;  /**< Reserved */
  smbw_bytes extra;   /**< data bytes, as sent */
} smbw_read_raw_req;
typedef smbw_generic smbw_read_raw_rsp; /**< SMB_COM_READ_RAW: the server answers with raw
                                             data, not an SMB (2.2.4.22.2) */

/** SMB_COM_READ_MPX request (MS-CIFS 2.2.4.23.1): 8 words. */
typedef struct smbw_read_mpx_req {
  uint8_t wct;        /**< form: 8 */
  uint16_t fid;       /**< FID */
  uint32_t offset;    /**< Offset */
  uint16_t max_count; /**< MaxCountOfBytesToReturn */
  uint16_t min_count; /**< MinCountOfBytesToReturn */
  uint32_t timeout;   /**< Timeout */
  uint16_t reserved;  /**< Reserved */
  smbw_bytes extra;   /**< data bytes, as sent */
} smbw_read_mpx_req;

/** SMB_COM_READ_MPX response (MS-CIFS 2.2.4.23.2): 8 words, then the data
    at DataOffset. */
typedef struct smbw_read_mpx_rsp {
  uint8_t wct;                   /**< form: 8, or 0 (error) */
  uint32_t offset;               /**< Offset of this response's data in the file */
  uint16_t count;                /**< Count: bytes all the responses return */
  uint16_t remaining;            /**< Remaining */
  uint16_t data_compaction_mode; /**< DataCompactionMode */
  uint16_t reserved;             /**< Reserved */
  smbw_bytes pad;                /**< bytes between ByteCount and the data, as read */
  uint16_t data_offset;          /**< DataOffset as read (encoders keep it when it is past
                                      the pad, as for READ_ANDX) */
  smbw_bytes data;               /**< Data (its length is DataLength) */
  smbw_bytes extra;              /**< data bytes after the data, as sent */
} smbw_read_mpx_rsp;

/** SMB_COM_WRITE_RAW request (MS-CIFS 2.2.4.25.1): 12 or 14 words, then the
    first part of the data at DataOffset; the rest follows as raw data, once
    the server has sent the interim response.  The 1-word form is that
    interim response as smbd 4.17 sends it: with the request's Flags. */
typedef struct smbw_write_raw_req {
  uint8_t wct;            /**< form: 12, or 14 (with OffsetHigh), or 1 (smbd's
                               interim response: only @c available) */
  uint16_t fid;           /**< FID */
  uint16_t count_of_bytes; /**< CountOfBytes: the whole write */
  uint16_t reserved1;     /**< Reserved1 */
  uint64_t offset;        /**< Offset, and OffsetHigh (14 words) */
  uint32_t timeout;       /**< Timeout */
  uint16_t write_mode;    /**< WriteMode */
  uint32_t reserved2;     /**< Reserved2 */
  smbw_bytes pad;         /**< bytes between ByteCount and the data, as read */
  uint16_t data_offset;   /**< DataOffset as read */
  smbw_bytes data;        /**< Data sent with the request (its length is DataLength) */
  smbw_bytes extra;       /**< data bytes after the data, as sent */
  uint16_t available;     /**< 1-word form only: Available of smbd's interim
                               response, which keeps the request's header
                               Flags (REPLY clear), so it reads as a request */
} smbw_write_raw_req;

/** SMB_COM_WRITE_RAW interim response (MS-CIFS 2.2.4.25.2): 1 word.  The
    final response is SMB_COM_WRITE_COMPLETE. */
typedef struct smbw_write_raw_rsp {
  uint8_t wct;        /**< form: 1, or 0 (error) */
  uint16_t available; /**< Available */
  smbw_bytes extra;   /**< data bytes, as sent */
} smbw_write_raw_rsp;

/** SMB_COM_WRITE_MPX request (MS-CIFS 2.2.4.26.1): 12 words, then the data
    at DataOffset. */
typedef struct smbw_write_mpx_req {
  uint8_t wct;              /**< form: 12 */
  uint16_t fid;             /**< FID */
  uint16_t total_byte_count; /**< TotalByteCount */
  uint16_t reserved;        /**< Reserved */
  uint32_t offset;          /**< ByteOffsetToBeginWrite */
  uint32_t timeout;         /**< Timeout */
  uint16_t write_mode;      /**< WriteMode */
  uint32_t request_mask;    /**< RequestMask */
  smbw_bytes pad;           /**< bytes between ByteCount and the data, as read */
  uint16_t data_offset;     /**< DataOffset as read */
  smbw_bytes data;          /**< Buffer (its length is DataLength) */
  smbw_bytes extra;         /**< data bytes after the data, as sent */
} smbw_write_mpx_req;

/** SMB_COM_WRITE_MPX response (MS-CIFS 2.2.4.26.2): 2 words. */
typedef struct smbw_write_mpx_rsp {
  uint8_t wct;            /**< form: 2, or 0 (error) */
  uint32_t response_mask; /**< ResponseMask */
  smbw_bytes extra;       /**< data bytes, as sent */
} smbw_write_mpx_rsp;

typedef smbw_generic smbw_write_complete_req;  /**< SMB_COM_WRITE_COMPLETE: no request is sent;
                                                    the code is WRITE_RAW's final response */
typedef smbw_write_rsp smbw_write_complete_rsp; /**< SMB_COM_WRITE_COMPLETE response (2.2.4.25.3):
                                                     Count */

/** SMB_COM_IOCTL request (MS-CIFS 2.2.4.35.1): 14 words, then the
    parameters and the data at their offsets; smbtorture also sends a 3-word
    form (FID, Category, Function). */
typedef struct smbw_ioctl_req {
  uint8_t wct;                    /**< form: 14, or 3 */
  uint16_t fid;                   /**< FID */
  uint16_t category;              /**< Category */
  uint16_t function;              /**< Function */
  uint16_t total_parameter_count; /**< TotalParameterCount */
  uint16_t total_data_count;      /**< TotalDataCount */
  uint16_t max_parameter_count;   /**< MaxParameterCount */
  uint16_t max_data_count;        /**< MaxDataCount */
  uint32_t timeout;               /**< Timeout */
  uint16_t reserved;              /**< Reserved */
  smbw_bytes pad1;                /**< Pad1, as read */
  uint16_t parameter_offset;      /**< ParameterOffset as read */
  smbw_bytes parameters;          /**< Parameters (ParameterCount bytes) */
  smbw_bytes pad2;                /**< Pad2, as read */
  uint16_t data_offset;           /**< DataOffset as read */
  smbw_bytes data;                /**< Data (DataCount bytes) */
  smbw_bytes extra;               /**< data bytes after the data, as sent */
} smbw_ioctl_req;

/** SMB_COM_IOCTL response (MS-CIFS 2.2.4.35.2): 8 words, then the
    parameters and the data at their offsets. */
typedef struct smbw_ioctl_rsp {
  uint8_t wct;                    /**< form: 8, or 0 (error) */
  uint16_t total_parameter_count; /**< TotalParameterCount */
  uint16_t total_data_count;      /**< TotalDataCount */
  uint16_t parameter_displacement; /**< ParameterDisplacement */
  uint16_t data_displacement;     /**< DataDisplacement */
  smbw_bytes pad1;                /**< Pad1, as read */
  uint16_t parameter_offset;      /**< ParameterOffset as read */
  smbw_bytes parameters;          /**< Parameters (ParameterCount bytes) */
  smbw_bytes pad2;                /**< Pad2, as read */
  uint16_t data_offset;           /**< DataOffset as read */
  smbw_bytes data;                /**< Data (DataCount bytes) */
  smbw_bytes extra;               /**< data bytes after the data, as sent */
} smbw_ioctl_rsp;

/** SMB_COM_COPY and SMB_COM_MOVE request: MS-CIFS 2.2.4.37 and 2.2.4.38 call
    them obsolete and give no layout; this is the CIFS 1.0 draft's, which
    Wireshark follows: 3 words and two 0x04 names. */
typedef struct smbw_copy_req {
  uint8_t wct;            /**< form: 3 */
  uint16_t tid2;          /**< Tid2: the target's TID */
  uint16_t open_function; /**< OpenFunction */
  uint16_t flags;         /**< Flags */
  smbw_str source;        /**< SourceFileName / OldFileName (after 0x04) */
  smbw_str target;        /**< TargetFileName / NewFileName (after 0x04) */
  smbw_bytes extra;       /**< data bytes after the names, as sent */
} smbw_copy_req;
typedef smbw_copy_req smbw_move_req; /**< SMB_COM_MOVE request (CIFS 1.0 draft) */

/** SMB_COM_COPY and SMB_COM_MOVE response (CIFS 1.0 draft): 1 word, and
    after an error the 0x04 name of the file it happened on. */
typedef struct smbw_copy_rsp {
  uint8_t wct;          /**< form: 1, or 0 (error) */
  uint16_t count;       /**< Count: files copied or moved */
  smbw_str error_file;  /**< ErrorFileName (after 0x04), absent without an error */
  smbw_bytes extra;     /**< data bytes after the name, as sent */
} smbw_copy_rsp;
typedef smbw_copy_rsp smbw_move_rsp; /**< SMB_COM_MOVE response (CIFS 1.0 draft) */

/** SMB_COM_FIND_NOTIFY_CLOSE request: MS-CIFS 2.2.4.49 says it was never
    implemented; this is the X/Open layout Wireshark reads: 1 word. */
typedef struct smbw_find_notify_close_req {
  uint8_t wct;             /**< form: 1 */
  uint16_t monitor_handle; /**< the FIND_NOTIFY handle */
  smbw_bytes extra;        /**< data bytes, as sent */
} smbw_find_notify_close_req;

/** SMB_COM_OPEN_PRINT_FILE request (MS-CIFS 2.2.4.67.1): 2 words, a 0x04
    identifier. */
typedef struct smbw_open_print_file_req {
  uint8_t wct;           /**< form: 2 */
  uint16_t setup_length; /**< SetupLength */
  uint16_t mode;         /**< Mode: 0 text, 1 binary */
  smbw_str identifier;   /**< Identifier (after BufferFormat 0x04) */
  smbw_bytes extra;      /**< data bytes after the identifier, as sent */
} smbw_open_print_file_req;

/** SMB_COM_WRITE_PRINT_FILE request (MS-CIFS 2.2.4.68.1): 1 word, a 0x01
    data block. */
typedef struct smbw_write_print_file_req {
  uint8_t wct;           /**< form: 1 */
  uint16_t fid;          /**< FID */
  uint8_t buffer_format; /**< BufferFormat as read: 0x01 */
  smbw_bytes data;       /**< Data (non-NULL when the block is there, as for smbw_write_req) */
  smbw_bytes extra;      /**< data bytes after the block, as sent */
} smbw_write_print_file_req;

/** SMB_COM_GET_PRINT_QUEUE request: MS-CIFS 2.2.4.70 calls it obsolete
    (servers answer STATUS_NOT_IMPLEMENTED) and gives no layout; this is
    the CIFS 1.0 draft's, which Wireshark follows: 2 words. */
typedef struct smbw_get_print_queue_req {
  uint8_t wct;          /**< form: 2 */
  uint16_t max_count;   /**< MaxCount */
  uint16_t start_index; /**< StartIndex */
  smbw_bytes extra;     /**< data bytes, as sent */
} smbw_get_print_queue_req;

/** SMB_COM_GET_PRINT_QUEUE response (CIFS 1.0 draft): 2 words, a 0x01 data
    block of 28-byte queue entries. */
typedef struct smbw_get_print_queue_rsp {
  uint8_t wct;            /**< form: 2, or 0 (error) */
  uint16_t count;         /**< Count */
  uint16_t restart_index; /**< RestartIndex */
  uint8_t buffer_format;  /**< BufferFormat as read: 0x01 */
  smbw_bytes entries;     /**< the queue entries, 28 bytes each */
  smbw_bytes extra;       /**< data bytes after the block, as sent */
} smbw_get_print_queue_rsp;

/** The messenger requests that carry a message (SMB_COM_SEND_MESSAGE and
    SMB_COM_SEND_BROADCAST_MESSAGE; MS-MSRP 2.2.3.1, the SMB core protocol):
    no words, two 0x04 names and a 0x01 data block. */
typedef struct smbw_send_message_req {
  uint8_t wct;              /**< form: 0 */
  smbw_str originator_name; /**< OriginatorName (after 0x04) */
  smbw_str destination_name; /**< DestinationName (after 0x04) */
  uint8_t buffer_format;    /**< BufferFormat as read: 0x01 */
  smbw_bytes message;       /**< the message text, OEM */
  smbw_bytes extra;         /**< data bytes after the block, as sent */
} smbw_send_message_req;

/** SMB_COM_SEND_START_MB_MESSAGE request (MS-MSRP 2.2.3.2.1): no words, two
    0x04 names. */
typedef struct smbw_send_start_mb_message_req {
  uint8_t wct;               /**< form: 0 */
  smbw_str originator_name;  /**< OriginatorName (after 0x04) */
  smbw_str destination_name; /**< DestinationName (after 0x04) */
  smbw_bytes extra;          /**< data bytes after the names, as sent */
} smbw_send_start_mb_message_req;

/** A messenger message of one MessageGroupId word (SMB_COM_SEND_START_MB_MESSAGE
    response, SMB_COM_SEND_END_MB_MESSAGE request; MS-MSRP 2.2.3.2.2, 2.2.3.4.1). */
typedef struct smbw_mgid_msg {
  uint8_t wct;               /**< form: 1 */
  uint16_t message_group_id; /**< MessageGroupId */
  smbw_bytes extra;          /**< data bytes, as sent */
} smbw_mgid_msg;

/** SMB_COM_SEND_TEXT_MB_MESSAGE request (MS-MSRP 2.2.3.3.1): 1 word, a 0x01
    data block. */
typedef struct smbw_send_text_mb_message_req {
  uint8_t wct;               /**< form: 1 */
  uint16_t message_group_id; /**< MessageGroupId */
  uint8_t buffer_format;     /**< BufferFormat as read: 0x01 */
  smbw_bytes message;        /**< this part of the message text */
  smbw_bytes extra;          /**< data bytes after the block, as sent */
} smbw_send_text_mb_message_req;

/** A messenger message of one 0x04 name (SMB_COM_FORWARD_USER_NAME and
    SMB_COM_CANCEL_FORWARD requests, SMB_COM_GET_MACHINE_NAME response; the
    SMB core protocol). */
typedef struct smbw_name_msg {
  uint8_t wct;      /**< form: 0 */
  smbw_str name;    /**< ForwardedName or MachineName (after 0x04) */
  smbw_bytes extra; /**< data bytes after the name, as sent */
} smbw_name_msg;

typedef smbw_generic smbw_read_mpx_secondary_req;  /**< SMB_COM_READ_MPX_SECONDARY (2.2.4.24): obsolete */
typedef smbw_generic smbw_read_mpx_secondary_rsp;  /**< SMB_COM_READ_MPX_SECONDARY (2.2.4.24): obsolete */
typedef smbw_generic smbw_write_mpx_secondary_req; /**< SMB_COM_WRITE_MPX_SECONDARY (2.2.4.27): obsolete */
typedef smbw_generic smbw_write_mpx_secondary_rsp; /**< SMB_COM_WRITE_MPX_SECONDARY (2.2.4.27): obsolete */
typedef smbw_generic smbw_query_server_req;        /**< SMB_COM_QUERY_SERVER (2.2.4.29): never defined */
typedef smbw_generic smbw_query_server_rsp;        /**< SMB_COM_QUERY_SERVER (2.2.4.29): never defined */
typedef smbw_generic smbw_ioctl_secondary_req;     /**< SMB_COM_IOCTL_SECONDARY (2.2.4.36): not implemented */
typedef smbw_generic smbw_ioctl_secondary_rsp;     /**< SMB_COM_IOCTL_SECONDARY (2.2.4.36): not implemented */
typedef smbw_generic smbw_new_file_size_req;       /**< SMB_COM_NEW_FILE_SIZE (2.2.4.44): never defined */
typedef smbw_generic smbw_new_file_size_rsp;       /**< SMB_COM_NEW_FILE_SIZE (2.2.4.44): never defined */
typedef smbw_generic smbw_close_and_tree_disc_req; /**< SMB_COM_CLOSE_AND_TREE_DISC (2.2.4.45): never implemented */
typedef smbw_generic smbw_close_and_tree_disc_rsp; /**< SMB_COM_CLOSE_AND_TREE_DISC (2.2.4.45): never implemented */
typedef smbw_empty smbw_find_notify_close_rsp;     /**< SMB_COM_FIND_NOTIFY_CLOSE response (X/Open) */
typedef smbw_generic smbw_security_package_andx_req; /**< SMB_COM_SECURITY_PACKAGE_ANDX (2.2.4.56): obsolete */
typedef smbw_generic smbw_security_package_andx_rsp; /**< SMB_COM_SECURITY_PACKAGE_ANDX (2.2.4.56): obsolete */
typedef smbw_fid_rsp smbw_open_print_file_rsp;     /**< SMB_COM_OPEN_PRINT_FILE response (2.2.4.67.2) */
typedef smbw_empty smbw_write_print_file_rsp;      /**< SMB_COM_WRITE_PRINT_FILE response (2.2.4.68.2) */
typedef smbw_empty smbw_close_print_file_rsp;      /**< SMB_COM_CLOSE_PRINT_FILE response (2.2.4.69.2) */
typedef smbw_generic smbw_invalid_req;             /**< SMB_COM_INVALID (2.2.2.1): reserved as invalid */
typedef smbw_generic smbw_invalid_rsp;             /**< SMB_COM_INVALID (2.2.2.1): reserved as invalid */
typedef smbw_generic smbw_read_bulk_req;           /**< SMB_COM_READ_BULK (2.2.4.71): never implemented */
typedef smbw_generic smbw_read_bulk_rsp;           /**< SMB_COM_READ_BULK (2.2.4.71): never implemented */
typedef smbw_generic smbw_write_bulk_req;          /**< SMB_COM_WRITE_BULK (2.2.4.72): never implemented */
typedef smbw_generic smbw_write_bulk_rsp;          /**< SMB_COM_WRITE_BULK (2.2.4.72): never implemented */
typedef smbw_generic smbw_write_bulk_data_req;     /**< SMB_COM_WRITE_BULK_DATA (2.2.4.73): never defined */
typedef smbw_generic smbw_write_bulk_data_rsp;     /**< SMB_COM_WRITE_BULK_DATA (2.2.4.73): never defined */
typedef smbw_send_message_req smbw_send_broadcast_message_req; /**< SMB_COM_SEND_BROADCAST_MESSAGE request */
typedef smbw_empty smbw_send_message_rsp;          /**< SMB_COM_SEND_MESSAGE response */
typedef smbw_empty smbw_send_broadcast_message_rsp; /**< SMB_COM_SEND_BROADCAST_MESSAGE response (none is sent) */
typedef smbw_name_msg smbw_forward_user_name_req;  /**< SMB_COM_FORWARD_USER_NAME request */
typedef smbw_empty smbw_forward_user_name_rsp;     /**< SMB_COM_FORWARD_USER_NAME response */
typedef smbw_name_msg smbw_cancel_forward_req;     /**< SMB_COM_CANCEL_FORWARD request */
typedef smbw_empty smbw_cancel_forward_rsp;        /**< SMB_COM_CANCEL_FORWARD response */
typedef smbw_empty smbw_get_machine_name_req;      /**< SMB_COM_GET_MACHINE_NAME request */
typedef smbw_name_msg smbw_get_machine_name_rsp;   /**< SMB_COM_GET_MACHINE_NAME response */
typedef smbw_mgid_msg smbw_send_start_mb_message_rsp; /**< SMB_COM_SEND_START_MB_MESSAGE response */
typedef smbw_mgid_msg smbw_send_end_mb_message_req;   /**< SMB_COM_SEND_END_MB_MESSAGE request */
typedef smbw_empty smbw_send_end_mb_message_rsp;   /**< SMB_COM_SEND_END_MB_MESSAGE response */
typedef smbw_empty smbw_send_text_mb_message_rsp;  /**< SMB_COM_SEND_TEXT_MB_MESSAGE response */

/** SMB_COM_TREE_CONNECT request (MS-CIFS 2.2.4.50.1): no words, three 0x04
    strings. */
typedef struct smbw_tree_connect_req {
  uint8_t wct;       /**< form: 0 */
  smbw_str path;     /**< Path: the share, as a UNC path (after BufferFormat 0x04) */
  smbw_str password; /**< Password (after BufferFormat 0x04) */
  smbw_str service;  /**< Service (after BufferFormat 0x04) */
  smbw_bytes extra;  /**< data bytes after the strings, as sent */
} smbw_tree_connect_req;

/** SMB_COM_TREE_CONNECT response (MS-CIFS 2.2.4.50.2): 2 words. */
typedef struct smbw_tree_connect_rsp {
  uint8_t wct;              /**< form: 2, or 0 (error) */
  uint16_t max_buffer_size; /**< MaxBufferSize */
  uint16_t tid;             /**< TID */
  smbw_bytes extra;         /**< data bytes, as sent */
} smbw_tree_connect_rsp;

/* The typed calls of every type: smbw_NAME_decode(), smbw_NAME_encode(),
   smbw_NAME_parse() and smbw_NAME_build(),
   static inline so that the caller's sizeof is what the library sees. */
#define SMBW_X_TYPED_CALLS(id, name, cmd, reply)                                     \
  static inline int smbw_##name##_decode(const smbw_block *b, smbw_##name *out,     \
                                         smbw_error *err) {                         \
    return smbw_decode_(b, SMBW_TYPE_##id, out, sizeof *out, err);                  \
  }                                                                                 \
  static inline int smbw_##name##_encode(smbw_builder *bld, const smbw_##name *in) { \
    return smbw_encode_(bld, SMBW_TYPE_##id, in, sizeof *in);                       \
  }                                                                                 \
  static inline int smbw_##name##_parse(const uint8_t *buf, size_t len, int framing, \
                                        smbw_msg *msg, smbw_##name *out, size_t *need, \
                                        smbw_error *err) {                          \
    return smbw_parse_typed_(buf, len, framing, SMBW_TYPE_##id, msg, out, sizeof *out, \
                             need, err);                                            \
  }                                                                                 \
  static inline int smbw_##name##_build(uint8_t *buf, size_t cap, int framing,      \
                                        const smbw_header *h, const smbw_##name *in, \
                                        size_t *len) {                              \
    return smbw_build_typed_(buf, cap, framing, h, SMBW_TYPE_##id, in, sizeof *in, len); \
  }
SMBW_TYPE_LIST(SMBW_X_TYPED_CALLS)
#undef SMBW_X_TYPED_CALLS

/* The typed calls of every record (form.h): smbw_NAME_decode(),
   smbw_NAME_encode() and smbw_NAME_next(). */
#define SMBW_X_RECORD_CALLS(id, name, type, size)                                         \
  static inline int smbw_##name##_decode(smbw_bytes area, unsigned flags, smbw_##type *out, \
                                         smbw_error *err) {                               \
    return smbw_record_decode_(SMBW_RECORD_##id, area, flags, out, sizeof *out, err);      \
  }                                                                                       \
  static inline int smbw_##name##_encode(const smbw_##type *in, unsigned flags, uint8_t *buf, \
                                         size_t cap, size_t *need) {                      \
    return smbw_record_encode_(SMBW_RECORD_##id, in, sizeof *in, flags, buf, cap, need);   \
  }                                                                                       \
  static inline int smbw_##name##_next(smbw_record_iter *it, smbw_##type *out,             \
                                       smbw_error *err) {                                 \
    return smbw_record_iter_next_(it, out, sizeof *out, err);                             \
  }
SMBW_RECORD_LIST(SMBW_X_RECORD_CALLS)
#undef SMBW_X_RECORD_CALLS

/* The records of a fixed size laid end to end: smbw_NAME_get() and
   smbw_NAME_put() too. */
#define SMBW_X_RECORD_ARRAY_CALLS(id, name)                                               \
  static inline int smbw_##name##_get(smbw_bytes area, uint32_t i, smbw_##name *out) {    \
    return smbw_record_get_(SMBW_RECORD_##id, area, i, out, sizeof *out);                 \
  }                                                                                       \
  static inline int smbw_##name##_put(const smbw_##name *in, uint8_t *buf, size_t cap) {  \
    return smbw_record_put_(SMBW_RECORD_##id, in, sizeof *in, buf, cap);                  \
  }
SMBW_X_RECORD_ARRAY_CALLS(SEARCH_ENTRY, search_entry)
SMBW_X_RECORD_ARRAY_CALLS(PRINT_QUEUE_ENTRY, print_queue_entry)
#undef SMBW_X_RECORD_ARRAY_CALLS

#ifdef __cplusplus
}
#endif
#endif
