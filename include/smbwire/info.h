/**
 * @file info.h
 * @brief TRANSACTION2 information levels and the parameter blocks of the
 *        QUERY/SET_*_INFORMATION, CREATE_DIRECTORY and OPEN2 subcommands,
 *        and the NT_TRANSACT setup words, parameter blocks and entry lists
 *        (CREATE, IOCTL, NOTIFY_CHANGE, RENAME, the quotas), described as
 *        records (MS-CIFS 2.2.6, 2.2.7, 2.2.8; MS-SMB 2.2.8; MS-FSCC 2.4,
 *        2.5).
 *
 * Every structure here is a *record* of ::SMBW_RECORD_LIST (form.h): one
 * row per wire field in lib/commands/forms.c drives its decoder, its
 * encoder and the visitor, like the message forms.  Each has typed calls:
 *
 *     int smbw_NAME_decode(smbw_bytes area, int unicode, smbw_TYPE *out, smbw_error *err);
 *     int smbw_NAME_encode(const smbw_TYPE *in, int unicode, uint8_t *buf, size_t cap,
 *                          size_t *need);
 *
 * A level's data is read by the level its request asked for: the response
 * carries no level.  smbw_info_record() maps (class, level) to the record;
 * smbw_trans_records() maps a TRANSACTION2 or NT_TRANSACT subcommand,
 * direction and level to the records of its setup words, parameters and
 * data (pairing, doc/transactions.md).
 *
 * Names in these records (FileName, VolumeLabel, FileSystemName,
 * StreamName) are in the message's encoding: UTF-16LE when the message has
 * FLAGS2_UNICODE (the @c unicode argument), else OEM.  A name located by a
 * length field is exactly that many bytes (smbw_str::unterminated is 1);
 * a name that runs to the end of the parameters is NUL-terminated.
 *
 * The structs can grow (doc/abi.md): members are only ever added after
 * the last one.
 */
#ifndef SMBWIRE_INFO_H
#define SMBWIRE_INFO_H

#include <smbwire/common.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Query FS levels (MS-CIFS 2.2.8.2, MS-FSCC 2.5 pass-through) */
/**@{*/
#define SMBW_INFO_ALLOCATION           0x0001u /**< SMB_INFO_ALLOCATION */
#define SMBW_INFO_VOLUME               0x0002u /**< SMB_INFO_VOLUME */
#define SMBW_QUERY_FS_VOLUME_INFO      0x0102u /**< SMB_QUERY_FS_VOLUME_INFO */
#define SMBW_QUERY_FS_SIZE_INFO        0x0103u /**< SMB_QUERY_FS_SIZE_INFO */
#define SMBW_QUERY_FS_DEVICE_INFO      0x0104u /**< SMB_QUERY_FS_DEVICE_INFO */
#define SMBW_QUERY_FS_ATTRIBUTE_INFO   0x0105u /**< SMB_QUERY_FS_ATTRIBUTE_INFO */
#define SMBW_FILE_FS_VOLUME_INFORMATION      1001u /**< FileFsVolumeInformation */
#define SMBW_FILE_FS_LABEL_INFORMATION       1002u /**< FileFsLabelInformation */
#define SMBW_FILE_FS_SIZE_INFORMATION        1003u /**< FileFsSizeInformation */
#define SMBW_FILE_FS_DEVICE_INFORMATION      1004u /**< FileFsDeviceInformation */
#define SMBW_FILE_FS_ATTRIBUTE_INFORMATION   1005u /**< FileFsAttributeInformation */
#define SMBW_FILE_FS_CONTROL_INFORMATION     1006u /**< FileFsControlInformation */
#define SMBW_FILE_FS_FULL_SIZE_INFORMATION   1007u /**< FileFsFullSizeInformation */
#define SMBW_FILE_FS_OBJECTID_INFORMATION    1008u /**< FileFsObjectIdInformation */
#define SMBW_FILE_FS_SECTOR_SIZE_INFORMATION 1011u /**< FileFsSectorSizeInformation */
/**@}*/

/** @name Query and set file/path levels (MS-CIFS 2.2.8.3, 2.2.8.4; MS-FSCC 2.4)
    SMBW_INFO_STANDARD, SMBW_INFO_QUERY_EA_SIZE and SMBW_INFO_QUERY_EAS_FROM_LIST
    (levels 1, 2 and 3) are in find.h. */
/**@{*/
#define SMBW_INFO_QUERY_ALL_EAS           0x0004u /**< SMB_INFO_QUERY_ALL_EAS */
#define SMBW_INFO_IS_NAME_VALID           0x0006u /**< SMB_INFO_IS_NAME_VALID (no data) */
#define SMBW_QUERY_FILE_BASIC_INFO        0x0101u /**< SMB_QUERY_FILE_BASIC_INFO */
#define SMBW_QUERY_FILE_STANDARD_INFO     0x0102u /**< SMB_QUERY_FILE_STANDARD_INFO */
#define SMBW_QUERY_FILE_EA_INFO           0x0103u /**< SMB_QUERY_FILE_EA_INFO */
#define SMBW_QUERY_FILE_NAME_INFO         0x0104u /**< SMB_QUERY_FILE_NAME_INFO */
#define SMBW_QUERY_FILE_ALL_INFO          0x0107u /**< SMB_QUERY_FILE_ALL_INFO */
#define SMBW_QUERY_FILE_ALT_NAME_INFO     0x0108u /**< SMB_QUERY_FILE_ALT_NAME_INFO */
#define SMBW_QUERY_FILE_STREAM_INFO       0x0109u /**< SMB_QUERY_FILE_STREAM_INFO */
#define SMBW_QUERY_FILE_COMPRESSION_INFO  0x010Bu /**< SMB_QUERY_FILE_COMPRESSION_INFO */
#define SMBW_INFO_SET_EAS                 0x0002u /**< SMB_INFO_SET_EAS (set) */
#define SMBW_SET_FILE_BASIC_INFO          0x0101u /**< SMB_SET_FILE_BASIC_INFO */
#define SMBW_SET_FILE_DISPOSITION_INFO    0x0102u /**< SMB_SET_FILE_DISPOSITION_INFO */
#define SMBW_SET_FILE_ALLOCATION_INFO     0x0103u /**< SMB_SET_FILE_ALLOCATION_INFO */
#define SMBW_SET_FILE_END_OF_FILE_INFO    0x0104u /**< SMB_SET_FILE_END_OF_FILE_INFO */
#define SMBW_FILE_BASIC_INFORMATION            1004u /**< FileBasicInformation */
#define SMBW_FILE_STANDARD_INFORMATION         1005u /**< FileStandardInformation */
#define SMBW_FILE_INTERNAL_INFORMATION         1006u /**< FileInternalInformation */
#define SMBW_FILE_EA_INFORMATION               1007u /**< FileEaInformation */
#define SMBW_FILE_ACCESS_INFORMATION           1008u /**< FileAccessInformation */
#define SMBW_FILE_NAME_INFORMATION             1009u /**< FileNameInformation */
#define SMBW_FILE_RENAME_INFORMATION           1010u /**< FileRenameInformation */
#define SMBW_FILE_LINK_INFORMATION             1011u /**< FileLinkInformation */
#define SMBW_FILE_NAMES_INFORMATION            1012u /**< FileNamesInformation */
#define SMBW_FILE_DISPOSITION_INFORMATION      1013u /**< FileDispositionInformation */
#define SMBW_FILE_POSITION_INFORMATION         1014u /**< FilePositionInformation */
#define SMBW_FILE_FULL_EA_INFORMATION          1015u /**< FileFullEaInformation */
#define SMBW_FILE_MODE_INFORMATION             1016u /**< FileModeInformation */
#define SMBW_FILE_ALIGNMENT_INFORMATION        1017u /**< FileAlignmentInformation */
#define SMBW_FILE_ALL_INFORMATION              1018u /**< FileAllInformation */
#define SMBW_FILE_ALLOCATION_INFORMATION       1019u /**< FileAllocationInformation */
#define SMBW_FILE_END_OF_FILE_INFORMATION      1020u /**< FileEndOfFileInformation */
#define SMBW_FILE_ALTERNATE_NAME_INFORMATION   1021u /**< FileAlternateNameInformation */
#define SMBW_FILE_STREAM_INFORMATION           1022u /**< FileStreamInformation */
#define SMBW_FILE_COMPRESSION_INFORMATION      1028u /**< FileCompressionInformation */
#define SMBW_FILE_NETWORK_OPEN_INFORMATION     1034u /**< FileNetworkOpenInformation */
#define SMBW_FILE_ATTRIBUTE_TAG_INFORMATION    1035u /**< FileAttributeTagInformation */
/**@}*/

/** Which table an information level belongs to (smbw_info_record()). */
enum smbw_info_class {
  SMBW_INFO_CLASS_QUERY_FS = 0, /**< TRANS2_QUERY_FS_INFORMATION */
  SMBW_INFO_CLASS_SET_FS = 1,   /**< TRANS2_SET_FS_INFORMATION */
  SMBW_INFO_CLASS_QUERY = 2,    /**< TRANS2_QUERY_PATH_ and _FILE_INFORMATION */
  SMBW_INFO_CLASS_SET = 3,      /**< TRANS2_SET_PATH_ and _FILE_INFORMATION */
  SMBW_INFO_CLASS_BROWSER = 4   /**< a browser frame: the "level" is its opcode */
};

/* ---- file system levels ---- */

/** SMB_INFO_ALLOCATION (MS-CIFS 2.2.8.2.1): 18 bytes. */
typedef struct smbw_fs_info_allocation {
  uint32_t file_system_id;   /**< idFileSystem */
  uint32_t sectors_per_unit; /**< cSectorUnit */
  uint32_t units;            /**< cUnit */
  uint32_t units_available;  /**< cUnitAvailable */
  uint16_t bytes_per_sector; /**< cbSector */
} smbw_fs_info_allocation;

/** SMB_INFO_VOLUME (MS-CIFS 2.2.8.2.2): serial, then a label whose byte
    length is one byte (cCharCount). */
typedef struct smbw_fs_info_volume {
  uint32_t serial_number; /**< ulVolSerialNbr */
  smbw_str label;         /**< VolumeLabel (cCharCount bytes) */
} smbw_fs_info_volume;

/** SMB_QUERY_FS_VOLUME_INFO (MS-CIFS 2.2.8.2.3) and FileFsVolumeInformation
    (MS-FSCC 2.5.9): 18 bytes and the label. */
typedef struct smbw_fs_volume_info {
  uint64_t creation_time;   /**< VolumeCreationTime, FILETIME */
  uint32_t serial_number;   /**< SerialNumber */
  uint8_t supports_objects; /**< SupportsObjects (MS-FSCC; MS-CIFS: Reserved) */
  uint8_t reserved;         /**< Reserved */
  smbw_str label;           /**< VolumeLabel (VolumeLabelSize bytes) */
} smbw_fs_volume_info;

/** FileFsLabelInformation (MS-FSCC 2.5.5): the label only. */
typedef struct smbw_fs_label_info {
  smbw_str label; /**< VolumeLabel (VolumeLabelLength bytes) */
} smbw_fs_label_info;

/** SMB_QUERY_FS_SIZE_INFO (MS-CIFS 2.2.8.2.4), FileFsSizeInformation
    (MS-FSCC 2.5.8): 24 bytes. */
typedef struct smbw_fs_size_info {
  uint64_t total_allocation_units;     /**< TotalAllocationUnits */
  uint64_t available_allocation_units; /**< TotalFreeAllocationUnits / AvailableAllocationUnits */
  uint32_t sectors_per_allocation_unit; /**< SectorsPerAllocationUnit */
  uint32_t bytes_per_sector;            /**< BytesPerSector */
} smbw_fs_size_info;

/** SMB_QUERY_FS_DEVICE_INFO (MS-CIFS 2.2.8.2.5), FileFsDeviceInformation
    (MS-FSCC 2.5.10): 8 bytes. */
typedef struct smbw_fs_device_info {
  uint32_t device_type;            /**< DeviceType */
  uint32_t device_characteristics; /**< Characteristics */
} smbw_fs_device_info;

/** SMB_QUERY_FS_ATTRIBUTE_INFO (MS-CIFS 2.2.8.2.6),
    FileFsAttributeInformation (MS-FSCC 2.5.1): 12 bytes and the name. */
typedef struct smbw_fs_attribute_info {
  uint32_t file_system_attributes;    /**< FileSystemAttributes */
  uint32_t max_component_name_length; /**< MaxFileNameLengthInBytes */
  smbw_str file_system_name;          /**< FileSystemName (LengthOfFileSystemName bytes) */
} smbw_fs_attribute_info;

/** FileFsControlInformation (MS-FSCC 2.5.2): 48 bytes. */
typedef struct smbw_fs_control_info {
  uint64_t free_space_start_filtering; /**< FreeSpaceStartFiltering */
  uint64_t free_space_threshold;       /**< FreeSpaceThreshold */
  uint64_t free_space_stop_filtering;  /**< FreeSpaceStopFiltering */
  uint64_t default_quota_threshold;    /**< DefaultQuotaThreshold */
  uint64_t default_quota_limit;        /**< DefaultQuotaLimit */
  uint32_t file_system_control_flags;  /**< FileSystemControlFlags */
  uint32_t padding;                    /**< Padding */
} smbw_fs_control_info;

/** FileFsFullSizeInformation (MS-FSCC 2.5.4): 32 bytes. */
typedef struct smbw_fs_full_size_info {
  uint64_t total_allocation_units;            /**< TotalAllocationUnits */
  uint64_t caller_available_allocation_units; /**< CallerAvailableAllocationUnits */
  uint64_t actual_available_allocation_units; /**< ActualAvailableAllocationUnits */
  uint32_t sectors_per_allocation_unit;       /**< SectorsPerAllocationUnit */
  uint32_t bytes_per_sector;                  /**< BytesPerSector */
} smbw_fs_full_size_info;

/** FileFsObjectIdInformation (MS-FSCC 2.5.6): 64 bytes. */
typedef struct smbw_fs_objectid_info {
  uint8_t object_id[16];      /**< ObjectId, a GUID */
  uint8_t extended_info[48];  /**< ExtendedInfo */
} smbw_fs_objectid_info;

/** FileFsSectorSizeInformation (MS-FSCC 2.5.7): 28 bytes. */
typedef struct smbw_fs_sector_size_info {
  uint32_t logical_bytes_per_sector;                   /**< LogicalBytesPerSector */
  uint32_t physical_bytes_per_sector_for_atomicity;    /**< PhysicalBytesPerSectorForAtomicity */
  uint32_t physical_bytes_per_sector_for_performance;  /**< PhysicalBytesPerSectorForPerformance */
  uint32_t fs_effective_physical_bytes_per_sector_for_atomicity; /**< FileSystemEffectivePhysicalBytesPerSectorForAtomicity */
  uint32_t flags;                                      /**< Flags */
  uint32_t byte_offset_for_sector_alignment;           /**< ByteOffsetForSectorAlignment */
  uint32_t byte_offset_for_partition_alignment;        /**< ByteOffsetForPartitionAlignment */
} smbw_fs_sector_size_info;

/* ---- file and path levels ---- */

/** SMB_INFO_STANDARD (MS-CIFS 2.2.8.3.1; for set, 2.2.8.4.1, the last
    three are Reserved) and SMB_INFO_QUERY_EA_SIZE (2.2.8.3.2, with
    ea_size): 22 and 26 bytes.  Dates and times are SMB_DATE / SMB_TIME. */
typedef struct smbw_info_standard {
  uint16_t creation_date;    /**< CreationDate */
  uint16_t creation_time;    /**< CreationTime */
  uint16_t last_access_date; /**< LastAccessDate */
  uint16_t last_access_time; /**< LastAccessTime */
  uint16_t last_write_date;  /**< LastWriteDate */
  uint16_t last_write_time;  /**< LastWriteTime */
  uint32_t file_data_size;   /**< FileDataSize */
  uint32_t allocation_size;  /**< AllocationSize */
  uint16_t attributes;       /**< Attributes, SMB_FILE_ATTRIBUTES */
  uint32_t ea_size;          /**< EaSize (SMB_INFO_QUERY_EA_SIZE only) */
} smbw_info_standard;

/** SMB_INFO_STANDARD in a SET request (MS-CIFS 2.2.8.4.1): the six dates
    and times (12 bytes, what smbtorture sends and smbd requires), then
    the Reserved bytes MS-CIFS gives, when there are some. */
typedef struct smbw_set_info_standard {
  uint16_t creation_date;    /**< CreationDate */
  uint16_t creation_time;    /**< CreationTime */
  uint16_t last_access_date; /**< LastAccessDate */
  uint16_t last_access_time; /**< LastAccessTime */
  uint16_t last_write_date;  /**< LastWriteDate */
  uint16_t last_write_time;  /**< LastWriteTime */
  smbw_bytes reserved;       /**< Reserved: the bytes after them, as sent */
} smbw_set_info_standard;

/** An EA list level: SMB_INFO_QUERY_EAS_FROM_LIST and SMB_INFO_QUERY_ALL_EAS
    responses, SMB_INFO_SET_EAS requests (MS-CIFS 2.2.1.2.2): the
    SMB_FEA_LIST's SizeOfListInBytes and its entries, for smbw_ea_iter_init()
    with SMBW_EA_FEA (ea.h). */
typedef struct smbw_info_ea_list {
  uint32_t size_of_list; /**< SizeOfListInBytes (counts itself) */
  smbw_bytes entries;    /**< the SMB_FEA entries: the rest of the data */
} smbw_info_ea_list;

/** FileFullEaInformation (MS-FSCC 2.4.15): FILE_FULL_EA_INFORMATION
    entries, for smbw_ea_iter_init() with SMBW_EA_FULL (ea.h). */
typedef struct smbw_file_full_ea_info {
  smbw_bytes entries; /**< the whole data */
} smbw_file_full_ea_info;

/** SMB_QUERY_FILE_BASIC_INFO (MS-CIFS 2.2.8.3.6: 36 bytes as smbd sends
    it, without Reserved), SMB_SET_FILE_BASIC_INFO and FileBasicInformation
    (MS-FSCC 2.4.7: 40 bytes).  Times are FILETIME. */
typedef struct smbw_file_basic_info {
  uint64_t creation_time;    /**< CreationTime */
  uint64_t last_access_time; /**< LastAccessTime */
  uint64_t last_write_time;  /**< LastWriteTime */
  uint64_t change_time;      /**< ChangeTime / LastChangeTime */
  uint32_t file_attributes;  /**< ExtFileAttributes / FileAttributes */
  uint32_t reserved;         /**< Reserved (the 40-byte forms) */
} smbw_file_basic_info;

/** SMB_QUERY_FILE_STANDARD_INFO (MS-CIFS 2.2.8.3.7) and
    FileStandardInformation (MS-FSCC 2.4.41): 24 bytes. */
typedef struct smbw_file_standard_info {
  uint64_t allocation_size; /**< AllocationSize */
  uint64_t end_of_file;     /**< EndOfFile */
  uint32_t number_of_links; /**< NumberOfLinks */
  uint8_t delete_pending;   /**< DeletePending */
  uint8_t directory;        /**< Directory */
  uint16_t reserved;        /**< Reserved */
} smbw_file_standard_info;

/** One 32-bit value: SMB_QUERY_FILE_EA_INFO and FileEaInformation
    (EaSize), FileAccessInformation (AccessFlags), FileModeInformation
    (Mode), FileAlignmentInformation (AlignmentRequirement). */
typedef struct smbw_info_u32 {
  uint32_t value; /**< the level's one field */
} smbw_info_u32;

/** One 64-bit value: FileInternalInformation (IndexNumber),
    FilePositionInformation (CurrentByteOffset), FileAllocationInformation
    and SMB_SET_FILE_ALLOCATION_INFO (AllocationSize),
    FileEndOfFileInformation and SMB_SET_FILE_END_OF_FILE_INFO (EndOfFile). */
typedef struct smbw_info_u64 {
  uint64_t value; /**< the level's one field */
} smbw_info_u64;

/** FileDispositionInformation and SMB_SET_FILE_DISPOSITION_INFO: 1 byte. */
typedef struct smbw_file_disposition_info {
  uint8_t delete_pending; /**< DeletePending / DeleteFile */
} smbw_file_disposition_info;

/** SMB_QUERY_FILE_NAME_INFO, SMB_QUERY_FILE_ALT_NAME_INFO (MS-CIFS
    2.2.8.3.9, 2.2.8.3.11), FileNameInformation, FileAlternateNameInformation
    (MS-FSCC 2.4.27, 2.4.5): a 32-bit length and the name. */
typedef struct smbw_file_name_info {
  smbw_str file_name; /**< FileName (FileNameLength bytes) */
} smbw_file_name_info;

/** SMB_QUERY_FILE_ALL_INFO (MS-CIFS 2.2.8.3.10): 72 bytes and the name.
    smbd and Wireshark use this layout for the pass-through level
    FileAllInformation (1018) too, rather than MS-FSCC 2.4.2's. */
typedef struct smbw_query_file_all_info {
  uint64_t creation_time;    /**< CreationTime */
  uint64_t last_access_time; /**< LastAccessTime */
  uint64_t last_write_time;  /**< LastWriteTime */
  uint64_t change_time;      /**< LastChangeTime */
  uint32_t file_attributes;  /**< ExtFileAttributes */
  uint32_t reserved1;        /**< Reserved1 */
  uint64_t allocation_size;  /**< AllocationSize */
  uint64_t end_of_file;      /**< EndOfFile */
  uint32_t number_of_links;  /**< NumberOfLinks */
  uint8_t delete_pending;    /**< DeletePending */
  uint8_t directory;         /**< Directory */
  uint16_t reserved2;        /**< Reserved2 */
  uint32_t ea_size;          /**< EaSize */
  smbw_str file_name;        /**< FileName (FileNameLength bytes) */
} smbw_query_file_all_info;

/** One entry of SMB_QUERY_FILE_STREAM_INFO (MS-CIFS 2.2.8.3.12) and
    FileStreamInformation (MS-FSCC 2.4.43), chained by NextEntryOffset:
    walk them with smbw_file_stream_info_next(). */
typedef struct smbw_file_stream_info {
  uint32_t next_entry_offset;      /**< NextEntryOffset (0: the last entry) */
  uint64_t stream_size;            /**< StreamSize */
  uint64_t stream_allocation_size; /**< StreamAllocationSize */
  smbw_str stream_name;            /**< StreamName (StreamNameLength bytes) */
} smbw_file_stream_info;

/** One entry of FileNamesInformation (MS-FSCC 2.4.28), chained. */
typedef struct smbw_file_names_info {
  uint32_t next_entry_offset; /**< NextEntryOffset (0: the last entry) */
  uint32_t file_index;        /**< FileIndex */
  smbw_str file_name;         /**< FileName (FileNameLength bytes) */
} smbw_file_names_info;

/** SMB_QUERY_FILE_COMPRESSION_INFO (MS-CIFS 2.2.8.3.13) and
    FileCompressionInformation (MS-FSCC 2.4.9): 16 bytes. */
typedef struct smbw_file_compression_info {
  uint64_t compressed_file_size;  /**< CompressedFileSize */
  uint16_t compression_format;    /**< CompressionFormat */
  uint8_t compression_unit_shift; /**< CompressionUnitShift */
  uint8_t chunk_shift;            /**< ChunkShift */
  uint8_t cluster_shift;          /**< ClusterShift */
  uint8_t reserved[3];            /**< Reserved */
} smbw_file_compression_info;

/** FileRenameInformation and FileLinkInformation in SMB1's pass-through
    form (MS-FSCC 2.4.37.1 / 2.4.21.1, 32-bit RootDirectory): 12 bytes and
    the name. */
typedef struct smbw_file_rename_info {
  uint8_t replace_if_exists; /**< ReplaceIfExists */
  uint8_t reserved[3];       /**< Reserved */
  uint32_t root_directory;   /**< RootDirectory */
  smbw_str file_name;        /**< FileName (FileNameLength bytes) */
} smbw_file_rename_info;

/** FileNetworkOpenInformation (MS-FSCC 2.4.29): 56 bytes. */
typedef struct smbw_file_network_open_info {
  uint64_t creation_time;    /**< CreationTime */
  uint64_t last_access_time; /**< LastAccessTime */
  uint64_t last_write_time;  /**< LastWriteTime */
  uint64_t change_time;      /**< ChangeTime */
  uint64_t allocation_size;  /**< AllocationSize */
  uint64_t end_of_file;      /**< EndOfFile */
  uint32_t file_attributes;  /**< FileAttributes */
  uint32_t reserved;         /**< Reserved */
} smbw_file_network_open_info;

/** FileAttributeTagInformation (MS-FSCC 2.4.6): 8 bytes. */
typedef struct smbw_file_attribute_tag_info {
  uint32_t file_attributes; /**< FileAttributes */
  uint32_t reparse_tag;     /**< ReparseTag */
} smbw_file_attribute_tag_info;

/* ---- TRANSACTION2 parameter blocks ---- */

/** TRANS2_QUERY_FS_INFORMATION request parameters (MS-CIFS 2.2.6.4.1). */
typedef struct smbw_trans2_qfs_req {
  uint16_t information_level; /**< InformationLevel */
} smbw_trans2_qfs_req;

/** TRANS2_QUERY_PATH_INFORMATION and TRANS2_SET_PATH_INFORMATION request
    parameters (MS-CIFS 2.2.6.6.1, 2.2.6.7.1). */
typedef struct smbw_trans2_path_req {
  uint16_t information_level; /**< InformationLevel */
  uint32_t reserved;          /**< Reserved */
  smbw_str file_name;         /**< FileName, NUL-terminated, to the end */
} smbw_trans2_path_req;

/** TRANS2_QUERY_FILE_INFORMATION request parameters (MS-CIFS 2.2.6.8.1);
    also TRANS2_SET_FS_INFORMATION's (FID, InformationLevel). */
typedef struct smbw_trans2_qfile_req {
  uint16_t fid;               /**< FID */
  uint16_t information_level; /**< InformationLevel */
} smbw_trans2_qfile_req;

/** TRANS2_SET_FILE_INFORMATION request parameters (MS-CIFS 2.2.6.9.1):
    FID and InformationLevel, then the 2-byte Reserved MS-CIFS gives, which
    some clients leave out (smbd accepts 4 bytes). */
typedef struct smbw_trans2_sfile_req {
  uint16_t fid;               /**< FID */
  uint16_t information_level; /**< InformationLevel */
  smbw_bytes reserved;        /**< Reserved: the bytes after them, as sent */
} smbw_trans2_sfile_req;

/** The response parameters of the QUERY/SET PATH and FILE information
    subcommands and of CREATE_DIRECTORY (MS-CIFS 2.2.6.6.2 ...): one word. */
typedef struct smbw_trans2_ea_error_rsp {
  uint16_t ea_error_offset; /**< EaErrorOffset */
} smbw_trans2_ea_error_rsp;

/** TRANS2_CREATE_DIRECTORY request parameters (MS-CIFS 2.2.6.14.1); the
    data is an SMB_FEA_LIST (smbw_info_ea_list). */
typedef struct smbw_trans2_mkdir_req {
  uint32_t reserved;       /**< Reserved */
  smbw_str directory_name; /**< DirectoryName, NUL-terminated */
} smbw_trans2_mkdir_req;

/** TRANS2_OPEN2 request parameters (MS-CIFS 2.2.6.1.1): 28 bytes and the
    name; the data is an SMB_FEA_LIST. */
typedef struct smbw_trans2_open2_req {
  uint16_t flags;            /**< Flags */
  uint16_t access_mode;      /**< AccessMode */
  uint16_t reserved1;        /**< Reserved1 */
  uint16_t file_attributes;  /**< FileAttributes */
  uint32_t creation_time;    /**< CreationTime, UTIME */
  uint16_t open_mode;        /**< OpenMode */
  uint32_t allocation_size;  /**< AllocationSize */
  uint8_t reserved[10];      /**< Reserved */
  smbw_str file_name;        /**< FileName, NUL-terminated */
} smbw_trans2_open2_req;

/** TRANS2_OPEN2 response parameters (MS-CIFS 2.2.6.1.2): 30 bytes. */
typedef struct smbw_trans2_open2_rsp {
  uint16_t fid;                   /**< FID */
  uint16_t file_attributes;       /**< FileAttributes */
  uint32_t creation_time;         /**< CreationTime, UTIME */
  uint32_t file_data_size;        /**< FileDataSize */
  uint16_t access_mode;           /**< AccessMode */
  uint16_t resource_type;         /**< ResourceType */
  uint16_t nm_pipe_status;        /**< NMPipeStatus */
  uint16_t action_taken;          /**< ActionTaken */
  uint32_t reserved;              /**< Reserved */
  uint16_t ea_error_offset;       /**< ExtendedAttributeErrorOffset */
  uint32_t ea_length;             /**< ExtendedAttributeLength */
} smbw_trans2_open2_rsp;

/* ---- NT_TRANSACT setup words and parameter blocks (MS-CIFS 2.2.7) ---- */

/** NT_TRANSACT_CREATE request parameters (MS-CIFS 2.2.7.1.1): 53 bytes,
    then the name (UTF-16 after a pad byte to an even offset).  The data
    is SecurityDescriptorLength bytes of security descriptor
    (security.h), then EALength bytes of FILE_FULL_EA_INFORMATION (ea.h). */
typedef struct smbw_nt_create_req {
  uint32_t flags;                      /**< Flags (NT_CREATE_*) */
  uint32_t root_directory_fid;         /**< RootDirectoryFID */
  uint32_t desired_access;             /**< DesiredAccess */
  uint64_t allocation_size;            /**< AllocationSize */
  uint32_t ext_file_attributes;        /**< ExtFileAttributes */
  uint32_t share_access;               /**< ShareAccess */
  uint32_t create_disposition;         /**< CreateDisposition */
  uint32_t create_options;             /**< CreateOptions */
  uint32_t security_descriptor_length; /**< SecurityDescriptorLength */
  uint32_t ea_length;                  /**< EALength */
  uint32_t impersonation_level;        /**< ImpersonationLevel */
  uint8_t security_flags;              /**< SecurityFlags */
  smbw_str name;                       /**< Name (NameLength bytes) */
} smbw_nt_create_req;

/** NT_TRANSACT_CREATE response parameters (MS-CIFS 2.2.7.1.2): 69 bytes;
    a response to a request with NT_CREATE_REQUEST_EXTENDED_RESPONSE
    carries 32 more (MS-SMB 2.2.7.1.2), kept in @c extension
    (smbw_nt_create_rsp_extension_decode() reads them). */
typedef struct smbw_nt_create_rsp {
  uint8_t oplock_level;         /**< OpLockLevel */
  uint8_t reserved;             /**< Reserved */
  uint16_t fid;                 /**< FID */
  uint32_t create_action;       /**< CreateAction */
  uint32_t ea_error_offset;     /**< EAErrorOffset */
  uint64_t creation_time;       /**< CreationTime */
  uint64_t last_access_time;    /**< LastAccessTime */
  uint64_t last_write_time;     /**< LastWriteTime */
  uint64_t last_change_time;    /**< LastChangeTime */
  uint32_t ext_file_attributes; /**< ExtFileAttributes */
  uint64_t allocation_size;     /**< AllocationSize */
  uint64_t end_of_file;         /**< EndOfFile */
  uint16_t resource_type;       /**< ResourceType */
  uint16_t nm_pipe_status;      /**< NMPipeStatus */
  uint8_t directory;            /**< Directory */
  smbw_bytes extension;         /**< the bytes after them, as sent */
} smbw_nt_create_rsp;

/** The 32 bytes the extended NT_TRANSACT_CREATE response adds (MS-SMB
    2.2.7.1.2). */
typedef struct smbw_nt_create_rsp_extension {
  uint8_t volume_guid[16];             /**< VolumeGUID */
  uint64_t file_id;                    /**< FileId */
  uint32_t maximal_access_rights;      /**< MaximalAccessRights */
  uint32_t guest_maximal_access_rights; /**< GuestMaximalAccessRights */
} smbw_nt_create_rsp_extension;

/** NT_TRANSACT_IOCTL setup words (MS-CIFS 2.2.7.2.1): 8 bytes; the data
    is the FSCTL's or IOCTL's input, the response's data its output. */
typedef struct smbw_nt_ioctl_setup {
  uint32_t function_code; /**< FunctionCode */
  uint16_t fid;           /**< FID */
  uint8_t is_fsctl;       /**< IsFctl */
  uint8_t is_flags;       /**< IsFlags */
} smbw_nt_ioctl_setup;

/** NT_TRANSACT_NOTIFY_CHANGE setup words (MS-CIFS 2.2.7.4.1): 8 bytes. */
typedef struct smbw_nt_notify_setup {
  uint32_t completion_filter; /**< CompletionFilter */
  uint16_t fid;               /**< FID */
  uint8_t watch_tree;         /**< WatchTree */
  uint8_t reserved;           /**< Reserved */
} smbw_nt_notify_setup;

/** One FILE_NOTIFY_INFORMATION entry (MS-FSCC 2.4.42) of an
    NT_TRANSACT_NOTIFY_CHANGE response's parameters, chained by
    NextEntryOffset: walk them with smbw_file_notify_info_next(). */
typedef struct smbw_file_notify_info {
  uint32_t next_entry_offset; /**< NextEntryOffset (0: the last entry) */
  uint32_t action;            /**< Action (FILE_ACTION_*) */
  smbw_str file_name;         /**< FileName (FileNameLength bytes) */
} smbw_file_notify_info;

/** NT_TRANSACT_RENAME request parameters (MS-CIFS 2.2.7.5.1). */
typedef struct smbw_nt_trans_rename_req {
  uint16_t fid;          /**< FID */
  uint16_t rename_flags; /**< RenameFlags */
  smbw_str new_name;     /**< NewName, NUL-terminated */
} smbw_nt_trans_rename_req;

/** NT_TRANSACT_QUERY_QUOTA (GET_USER_QUOTA) request parameters (MS-SMB
    2.2.7.5.1): 16 bytes; the data is
    FILE_GET_QUOTA_INFORMATION entries (smbw_file_get_quota_info). */
typedef struct smbw_nt_get_quota_req {
  uint16_t fid;                /**< FID */
  uint8_t return_single_entry; /**< ReturnSingleEntry */
  uint8_t restart_scan;        /**< RestartScan */
  uint32_t sid_list_length;    /**< SidListLength */
  uint32_t start_sid_length;   /**< StartSidLength */
  uint32_t start_sid_offset;   /**< StartSidOffset */
} smbw_nt_get_quota_req;

/** One FILE_GET_QUOTA_INFORMATION entry (MS-FSCC 2.4.36.1), chained. */
typedef struct smbw_file_get_quota_info {
  uint32_t next_entry_offset; /**< NextEntryOffset */
  smbw_bytes sid;             /**< Sid (SidLength bytes; smbw_sid_decode()) */
} smbw_file_get_quota_info;

/** One FILE_QUOTA_INFORMATION entry (MS-FSCC 2.4.36), chained: the data
    of a GET_USER_QUOTA response and a SET_USER_QUOTA request. */
typedef struct smbw_file_quota_info {
  uint32_t next_entry_offset; /**< NextEntryOffset */
  uint64_t change_time;       /**< ChangeTime */
  uint64_t quota_used;        /**< QuotaUsed */
  uint64_t quota_threshold;   /**< QuotaThreshold */
  uint64_t quota_limit;       /**< QuotaLimit */
  smbw_bytes sid;             /**< Sid (SidLength bytes) */
} smbw_file_quota_info;

/** A parameter block of one FID: NT_TRANSACT_SET_QUOTA's (SET_USER_QUOTA,
    MS-SMB 2.2.7.6.1) request parameters. */
typedef struct smbw_nt_fid_req {
  uint16_t fid; /**< FID */
} smbw_nt_fid_req;

/** One 32-bit value as parameters: NT_TRANSACT_QUERY_QUOTA's response
    (DataLength, MS-SMB 2.2.7.5.2). */
typedef struct smbw_nt_length_rsp {
  uint32_t length; /**< DataLength */
} smbw_nt_length_rsp;

/* ---- the rarer TRANSACTION2 subcommands and DFS (MS-CIFS 2.2.6, MS-DFSC 2.2) ---- */

/** TRANS2_GET_DFS_REFERRAL request parameters: REQ_GET_DFS_REFERRAL
    (MS-CIFS 2.2.6.16.1, MS-DFSC 2.2.2). */
typedef struct smbw_trans2_dfs_referral_req {
  uint16_t max_referral_level; /**< MaxReferralLevel: the highest referral version
                                    the client reads (1 to 4) */
  smbw_str request_file_name;  /**< RequestFileName, NUL-terminated (UTF-16) */
} smbw_trans2_dfs_referral_req;

/** TRANS2_REPORT_DFS_INCONSISTENCY request parameters (MS-CIFS 2.2.6.17.1);
    its data is the version 1 referral believed wrong (::smbw_dfs_referral_v1). */
typedef struct smbw_trans2_dfs_report_req {
  smbw_str request_file_name; /**< RequestFileName, NUL-terminated */
} smbw_trans2_dfs_report_req;

/** A version 1 DFS referral entry as one record (MS-DFSC 2.2.5.1): the data
    of TRANS2_REPORT_DFS_INCONSISTENCY.  In a referral response, entries of
    every version come from smbw_dfs_referral_next(). */
typedef struct smbw_dfs_referral_v1 {
  uint16_t version_number;       /**< VersionNumber (1) */
  uint16_t size;                 /**< Size: of the entry, ShareName included */
  uint16_t server_type;          /**< ServerType: 1 root targets, 0 others */
  uint16_t referral_entry_flags; /**< ReferralEntryFlags */
  smbw_str share_name;           /**< ShareName, NUL-terminated, to the end */
} smbw_dfs_referral_v1;

/** TRANS2_FIND_NOTIFY_FIRST request parameters.  MS-CIFS 2.2.6.11 keeps the
    subcommand reserved and gives no layout; this is X/Open SMB's, which
    Wireshark reads. */
typedef struct smbw_trans2_find_notify_first_req {
  uint16_t search_attributes; /**< SearchAttributes */
  uint16_t change_count;      /**< ChangeCount (X/Open: number of changes to return) */
  uint16_t information_level; /**< InformationLevel */
  uint32_t reserved;          /**< Reserved */
  smbw_str file_name;         /**< FileName, NUL-terminated, to the end */
} smbw_trans2_find_notify_first_req;

/** TRANS2_FIND_NOTIFY_NEXT request parameters (X/Open SMB, as Wireshark
    reads them; MS-CIFS 2.2.6.12 gives no layout): the words after the
    first two are named by neither and kept as a view. */
typedef struct smbw_trans2_find_notify_next_req {
  uint16_t monitor_handle; /**< MonitorHandle (from FIND_NOTIFY_FIRST) */
  uint16_t change_count;   /**< ChangeCount */
  smbw_bytes rest;         /**< the rest of the parameters */
} smbw_trans2_find_notify_next_req;

/** RESP_GET_DFS_REFERRAL (MS-DFSC 2.2.4): the data of a TRANS2_GET_DFS_REFERRAL
    response.  Its referral entries, whose version 2 to 4 strings are located
    by offsets from each entry, come from smbw_dfs_referral_next() over
    @c referrals. */
typedef struct smbw_dfs_referral_rsp {
  uint16_t path_consumed;         /**< PathConsumed: bytes of RequestFileName the
                                       referrals resolve */
  uint16_t number_of_referrals;   /**< NumberOfReferrals */
  uint32_t referral_header_flags; /**< ReferralHeaderFlags (SMBW_DFS_*) */
  smbw_bytes referrals;           /**< the entries and the strings after them */
} smbw_dfs_referral_rsp;

/** @name ReferralHeaderFlags (MS-DFSC 2.2.4) */
/**@{*/
#define SMBW_DFS_REFERRAL_SERVERS 0x00000001u /**< R: the targets are root targets */
#define SMBW_DFS_STORAGE_SERVERS  0x00000002u /**< S: the targets hold storage */
#define SMBW_DFS_TARGET_FAILBACK  0x00000004u /**< T: target failback */
/**@}*/

/** ReferralEntryFlags NameListReferral (MS-DFSC 2.2.5.3): a version 3 or 4
    entry of a domain or DC referral, with SpecialName and ExpandedNames. */
#define SMBW_DFS_NAME_LIST_REFERRAL 0x0002u

/**
 * One referral entry of any version (MS-DFSC 2.2.5.1 to 2.2.5.4), as
 * smbw_dfs_referral_next() reads it.  Members a version does not have are
 * 0 or absent views.  Strings are UTF-16LE, NUL-terminated; those of
 * versions 2 to 4 sit where their offset (from the start of the entry)
 * says, usually after all the entries, and may be shared (Samba points
 * DFSPath and DFSAlternatePath at one string).
 */
typedef struct smbw_dfs_referral {
  uint16_t version_number;       /**< VersionNumber: 1, 2, 3 or 4 */
  uint16_t size;                 /**< Size: bytes of the entry (not its strings) */
  uint16_t server_type;          /**< ServerType */
  uint16_t referral_entry_flags; /**< ReferralEntryFlags (SMBW_DFS_NAME_LIST_REFERRAL) */
  uint32_t proximity;            /**< Proximity (version 2) */
  uint32_t time_to_live;         /**< TimeToLive (versions 2 to 4) */
  /** DFSPathOffset (v2-v4), or SpecialNameOffset (v3/v4 name list) */
  uint16_t dfs_path_offset;
  /** DFSAlternatePathOffset, or NumberOfExpandedNames (name list) */
  uint16_t dfs_alternate_path_offset;
  /** NetworkAddressOffset, or ExpandedNameOffset (name list) */
  uint16_t network_address_offset;
  uint8_t service_site_guid[16]; /**< ServiceSiteGuid (v3/v4, not a name list) */
  smbw_str share_name;           /**< ShareName (version 1, inside the entry) */
  smbw_str dfs_path;             /**< DFSPath, or SpecialName (name list) */
  smbw_str dfs_alternate_path;   /**< DFSAlternatePath (absent in a name list) */
  smbw_str network_address;      /**< NetworkAddress, or the first ExpandedName */
  /** name list: the NumberOfExpandedNames NUL-terminated names from
      ExpandedNameOffset (smbw_dfs_name_next() walks them) */
  smbw_bytes expanded_names;
  smbw_bytes extra; /**< entry bytes past its fixed part, up to Size (padding) */
} smbw_dfs_referral;

/** Cursor over the entries of RESP_GET_DFS_REFERRAL (smbw_dfs_referral_rsp::referrals). */
typedef struct smbw_dfs_referral_iter {
  smbw_bytes area; /**< the entries and their strings */
  uint32_t pos;    /**< offset of the next entry */
  uint16_t left;   /**< entries still to read (NumberOfReferrals) */
  uint8_t done;    /**< 1 after the last entry or an error */
  uint32_t strings_at; /**< where the entries end (by their Size chain): no
                            string offset points before it */
} smbw_dfs_referral_iter;

/**
 * Start walking @p count referral entries (NumberOfReferrals) in @p area
 * (smbw_dfs_referral_rsp::referrals).
 * @param it     the cursor
 * @param area   the entries and their strings
 * @param count  NumberOfReferrals
 */
SMBW_API void smbw_dfs_referral_iter_init(smbw_dfs_referral_iter *it, smbw_bytes area,
                                          uint16_t count);

/**
 * The next referral entry.  Each entry is read at the end of the previous
 * one (its Size).  Checks: the fixed part of the entry's version is there
 * (SMBW_E_TRUNCATED on the first field cut), VersionNumber is 1 to 4
 * (SMBW_E_REVISION), Size holds the fixed part and stays in the area
 * (SMBW_E_FIELD_LENGTH on "Size"), a version 1 ShareName ends inside the
 * entry, every non-zero string offset points inside the area at a
 * terminated UTF-16 string (SMBW_E_DATA_OFFSET on the offset's field;
 * SMBW_E_STR_UNTERMINATED), ExpandedNames hold NumberOfExpandedNames
 * terminated names (SMBW_E_COUNT).  Error offsets count from the start of
 * the area.  @p out is written only on success.
 * @param it   the cursor (smbw_dfs_referral_iter_init())
 * @param out  receives the entry
 * @param err  receives the error's code, field and offset, or NULL
 * @return 1 with an entry, 0 after the last, or a negative SMBW_E_*.
 */
SMBW_API int smbw_dfs_referral_next(smbw_dfs_referral_iter *it, smbw_dfs_referral *out,
                                    smbw_error *err);

/**
 * The next NUL-terminated UTF-16 name of @p names (smbw_dfs_referral::expanded_names)
 * from @p *pos, which advances past it.
 * @param names  the names' run
 * @param pos    offset in @p names: 0 for the first name
 * @param name   receives the name (UTF-16LE, without its NUL)
 * @return 1 with a name, 0 at the end, SMBW_E_STR_UNTERMINATED.
 */
SMBW_API int smbw_dfs_name_next(smbw_bytes names, uint32_t *pos, smbw_str *name);

/**
 * Write @p n referral entries and their strings: the referrals area of a
 * RESP_GET_DFS_REFERRAL.  Entries go end to end, each taking its Size (at
 * least its fixed part; a version 1 entry at least its ShareName); a string
 * whose offset is non-zero goes at that offset from its entry (so a decoded
 * response comes back byte for byte, shared strings included), one whose
 * offset is 0 after everything written so far, with the offset filled in.
 * Gaps are zeros.
 * @param v     the entries (their offsets may be 0)
 * @param n     how many
 * @param buf   output, or NULL with @p cap 0 to ask the size
 * @param cap   bytes at @p buf
 * @param need  receives the bytes needed, or NULL
 * @return the bytes written, SMBW_E_NOSPACE (nothing written), SMBW_E_INVAL
 *         (a NULL pointer, a version not 1-4, a string whose offset lands
 *         inside the entries or over 0xFFFF, a name list entry with expanded
 *         names but no count), SMBW_E_RANGE.
 */
SMBW_API int smbw_dfs_referrals_encode(const smbw_dfs_referral *v, unsigned n, uint8_t *buf,
                                       size_t cap, size_t *need);

/* ---- NT_TRANSACT_IOCTL data, by FSCTL (smbw_fsctl_records()) ---- */

/** @name FSCTL codes whose data the library types (MS-FSCC 2.3, MS-SMB 2.2.7.2.1) */
/**@{*/
#define SMBW_FSCTL_SET_OBJECT_ID           0x00090098u /**< FILE_OBJECTID_BUFFER in */
#define SMBW_FSCTL_GET_OBJECT_ID           0x0009009Cu /**< FILE_OBJECTID_BUFFER out */
#define SMBW_FSCTL_SET_REPARSE_POINT       0x000900A4u /**< REPARSE_DATA_BUFFER in */
#define SMBW_FSCTL_GET_REPARSE_POINT       0x000900A8u /**< REPARSE_DATA_BUFFER out */
#define SMBW_FSCTL_CREATE_OR_GET_OBJECT_ID 0x000900C0u /**< FILE_OBJECTID_BUFFER out */
#define SMBW_FSCTL_SRV_ENUMERATE_SNAPSHOTS 0x00144064u /**< SRV_SNAPSHOT_ARRAY out */
/**@}*/

/** SRV_SNAPSHOT_ARRAY (MS-SMB 2.2.7.2.2.1): the response data of
    FSCTL_SRV_ENUMERATE_SNAPSHOTS.  When MaxDataCount is too small for the
    names, the server sends the counts, SnapShotArraySize the bytes the
    names need, and no names. */
typedef struct smbw_srv_snapshot_array {
  uint32_t number_of_snapshots;          /**< NumberOfSnapShots */
  uint32_t number_of_snapshots_returned; /**< NumberOfSnapShotsReturned */
  uint32_t snapshot_array_size;          /**< SnapShotArraySize */
  /** SnapShots: NUL-terminated UTF-16 \@GMT- names, then a final NUL
      (smbw_dfs_name_next() walks them) */
  smbw_bytes snapshots;
} smbw_srv_snapshot_array;

/** FILE_OBJECTID_BUFFER (MS-FSCC 2.1.3, type 1): the data of
    FSCTL_GET_OBJECT_ID, _CREATE_OR_GET_OBJECT_ID (out) and _SET_OBJECT_ID (in). */
typedef struct smbw_file_objectid_buffer {
  uint8_t object_id[16];       /**< ObjectId */
  uint8_t birth_volume_id[16]; /**< BirthVolumeId */
  uint8_t birth_object_id[16]; /**< BirthObjectId */
  uint8_t domain_id[16];       /**< DomainId */
} smbw_file_objectid_buffer;

/** REPARSE_DATA_BUFFER (MS-FSCC 2.1.2.2): the data of FSCTL_GET_REPARSE_POINT
    (out) and FSCTL_SET_REPARSE_POINT (in): the header, and the
    tag-specific DataBuffer as a view. */
typedef struct smbw_reparse_data_buffer {
  uint32_t reparse_tag; /**< ReparseTag (IO_REPARSE_TAG_*) */
  uint16_t reserved;    /**< Reserved */
  smbw_bytes data;      /**< DataBuffer (ReparseDataLength bytes) */
} smbw_reparse_data_buffer;

/**
 * The records of an FSCTL's data: what a monitor needs to type an
 * NT_TRANSACT_IOCTL (the FunctionCode of its setup words, ::smbw_nt_ioctl_setup)
 * and its response.  The function codes are 32-bit, so they have a table of
 * their own rather than a class of the level table.
 * @param code      FunctionCode (SMBW_FSCTL_*)
 * @param req_data  receives the record of the request's data, or -1
 * @param rsp_data  receives the record of the response's data, or -1
 * @return 1 when the library knows the FSCTL, 0 when not (both -1),
 *         SMBW_E_INVAL for a NULL pointer.
 */
SMBW_API int smbw_fsctl_records(uint32_t code, int *req_data, int *rsp_data);

/* ---- browser frames (MS-BRWS 2.2): the mailslot data of \MAILSLOT\BROWSE
   and \MAILSLOT\LANMAN, by their opcode (SMBW_INFO_CLASS_BROWSER) ---- */

/** @name Browser opcodes (MS-BRWS 2.2): the first byte of the frame */
/**@{*/
#define SMBW_BROWSER_HOST_ANNOUNCEMENT          0x01u /**< HostAnnouncement */
#define SMBW_BROWSER_REQUEST_ANNOUNCEMENT       0x02u /**< AnnouncementRequest */
#define SMBW_BROWSER_ELECTION_REQUEST           0x08u /**< RequestElection */
#define SMBW_BROWSER_GET_BACKUP_LIST_REQUEST    0x09u /**< GetBackupListRequest */
#define SMBW_BROWSER_GET_BACKUP_LIST_RESPONSE   0x0Au /**< GetBackupListResponse */
#define SMBW_BROWSER_BECOME_BACKUP              0x0Bu /**< BecomeBackup */
#define SMBW_BROWSER_DOMAIN_ANNOUNCEMENT        0x0Cu /**< DomainAnnouncement */
#define SMBW_BROWSER_MASTER_ANNOUNCEMENT        0x0Du /**< MasterAnnouncement */
#define SMBW_BROWSER_RESET_STATE                0x0Eu /**< ResetStateRequest */
#define SMBW_BROWSER_LOCAL_MASTER_ANNOUNCEMENT  0x0Fu /**< LocalMasterAnnouncement */
/**@}*/

/** HostAnnouncement, DomainAnnouncement and LocalMasterAnnouncement
    (MS-BRWS 2.2.1, 2.2.7, 2.2.10): 32 bytes and an OEM comment.  In a
    DomainAnnouncement the name is the domain's and the comment the local
    master browser's name. */
typedef struct smbw_browser_announcement {
  uint8_t opcode;                 /**< Opcode */
  uint8_t update_count;           /**< UpdateCount */
  uint32_t periodicity;           /**< Periodicity (milliseconds) */
  uint8_t server_name[16];        /**< ServerName (MachineGroup), NUL-padded OEM */
  uint8_t os_version_major;       /**< OSVersionMajor */
  uint8_t os_version_minor;       /**< OSVersionMinor */
  uint32_t server_type;           /**< ServerType (SV_TYPE_*) */
  uint8_t browser_version_major;  /**< BrowserConfigVersionMajor */
  uint8_t browser_version_minor;  /**< BrowserConfigVersionMinor */
  uint16_t signature;             /**< Signature */
  smbw_str comment;               /**< Comment, NUL-terminated OEM */
} smbw_browser_announcement;

/** An opcode and one NUL-terminated OEM name: AnnouncementRequest (MS-BRWS
    2.2.2, with its Unused flags byte), BecomeBackup and MasterAnnouncement
    (2.2.6, 2.2.8: @c unused is absent, the name follows the opcode). */
typedef struct smbw_browser_name {
  uint8_t opcode; /**< Opcode */
  uint8_t unused; /**< Unused flags (AnnouncementRequest only) */
  smbw_str name;  /**< ResponseComputerName, BrowserToPromote or MasterBrowserServerName */
} smbw_browser_name;

/** RequestElection (MS-BRWS 2.2.3): 14 bytes and the server name. */
typedef struct smbw_browser_election {
  uint8_t opcode;    /**< Opcode */
  uint8_t version;   /**< Version */
  uint32_t criteria; /**< Criteria */
  uint32_t uptime;   /**< Uptime (milliseconds) */
  uint32_t unused;   /**< Unused */
  smbw_str server_name; /**< ServerName, NUL-terminated OEM */
} smbw_browser_election;

/** GetBackupListRequest and GetBackupListResponse (MS-BRWS 2.2.4, 2.2.5):
    6 bytes; a response's
    BackupServerList (NUL-terminated OEM names) as bytes. */
typedef struct smbw_browser_backup_list {
  uint8_t opcode;     /**< Opcode */
  uint8_t count;      /**< BackupListRequestedCount / BackupServerCount */
  uint32_t token;     /**< Token */
  smbw_bytes servers; /**< BackupServerList (responses), as sent */
} smbw_browser_backup_list;

/** ResetStateRequest (MS-BRWS 2.2.9): 2 bytes. */
typedef struct smbw_browser_reset_state {
  uint8_t opcode;        /**< Opcode */
  uint8_t type_of_reset; /**< TypeOfReset */
} smbw_browser_reset_state;

/**
 * The records of this header, X(ID, name, type, size) as in
 * ::SMBW_RECORD_LIST (size: the fixed part).  Levels that share a layout
 * share a struct: smbw_info_query_ea_size_decode() fills an
 * smbw_info_standard, smbw_query_file_basic_info_decode() an
 * smbw_file_basic_info.
 */
#define SMBW_INFO_RECORD_LIST(X)                                         \
  X(FS_INFO_ALLOCATION, fs_info_allocation, fs_info_allocation, 18)      \
  X(FS_INFO_VOLUME, fs_info_volume, fs_info_volume, 5)                   \
  X(FS_VOLUME_INFO, fs_volume_info, fs_volume_info, 18)                  \
  X(FS_LABEL_INFO, fs_label_info, fs_label_info, 4)                      \
  X(FS_SIZE_INFO, fs_size_info, fs_size_info, 24)                        \
  X(FS_DEVICE_INFO, fs_device_info, fs_device_info, 8)                   \
  X(FS_ATTRIBUTE_INFO, fs_attribute_info, fs_attribute_info, 12)         \
  X(FS_CONTROL_INFO, fs_control_info, fs_control_info, 48)               \
  X(FS_FULL_SIZE_INFO, fs_full_size_info, fs_full_size_info, 32)         \
  X(FS_OBJECTID_INFO, fs_objectid_info, fs_objectid_info, 64)            \
  X(FS_SECTOR_SIZE_INFO, fs_sector_size_info, fs_sector_size_info, 28)   \
  X(INFO_STANDARD, info_standard, info_standard, 22)                     \
  X(INFO_QUERY_EA_SIZE, info_query_ea_size, info_standard, 26)           \
  X(SET_INFO_STANDARD, set_info_standard, set_info_standard, 12)         \
  X(INFO_EA_LIST, info_ea_list, info_ea_list, 4)                         \
  X(FILE_FULL_EA_INFO, file_full_ea_info, file_full_ea_info, 0)          \
  X(QUERY_FILE_BASIC_INFO, query_file_basic_info, file_basic_info, 36)   \
  X(FILE_BASIC_INFO, file_basic_info, file_basic_info, 40)               \
  X(FILE_STANDARD_INFO, file_standard_info, file_standard_info, 24)      \
  X(INFO_U32, info_u32, info_u32, 4)                                     \
  X(INFO_U64, info_u64, info_u64, 8)                                     \
  X(FILE_DISPOSITION_INFO, file_disposition_info, file_disposition_info, 1) \
  X(FILE_NAME_INFO, file_name_info, file_name_info, 4)                   \
  X(QUERY_FILE_ALL_INFO, query_file_all_info, query_file_all_info, 72)   \
  X(FILE_STREAM_INFO, file_stream_info, file_stream_info, 24)            \
  X(FILE_NAMES_INFO, file_names_info, file_names_info, 12)               \
  X(FILE_COMPRESSION_INFO, file_compression_info, file_compression_info, 16) \
  X(FILE_RENAME_INFO, file_rename_info, file_rename_info, 12)            \
  X(FILE_NETWORK_OPEN_INFO, file_network_open_info, file_network_open_info, 56) \
  X(FILE_ATTRIBUTE_TAG_INFO, file_attribute_tag_info, file_attribute_tag_info, 8) \
  X(TRANS2_QFS_REQ, trans2_qfs_req, trans2_qfs_req, 2)                   \
  X(TRANS2_PATH_REQ, trans2_path_req, trans2_path_req, 6)                \
  X(TRANS2_SET_PATH_REQ, trans2_set_path_req, trans2_path_req, 6)        \
  X(TRANS2_QFILE_REQ, trans2_qfile_req, trans2_qfile_req, 4)             \
  X(TRANS2_SFILE_REQ, trans2_sfile_req, trans2_sfile_req, 4)             \
  X(TRANS2_EA_ERROR_RSP, trans2_ea_error_rsp, trans2_ea_error_rsp, 2)    \
  X(TRANS2_MKDIR_REQ, trans2_mkdir_req, trans2_mkdir_req, 4)             \
  X(TRANS2_OPEN2_REQ, trans2_open2_req, trans2_open2_req, 28)            \
  X(TRANS2_OPEN2_RSP, trans2_open2_rsp, trans2_open2_rsp, 30)             \
  X(NT_CREATE_REQ, nt_create_req, nt_create_req, 53)                     \
  X(NT_CREATE_RSP, nt_create_rsp, nt_create_rsp, 69)                     \
  X(NT_CREATE_RSP_EXTENSION, nt_create_rsp_extension, nt_create_rsp_extension, 32) \
  X(NT_IOCTL_SETUP, nt_ioctl_setup, nt_ioctl_setup, 8)                   \
  X(NT_NOTIFY_SETUP, nt_notify_setup, nt_notify_setup, 8)                \
  X(FILE_NOTIFY_INFO, file_notify_info, file_notify_info, 12)            \
  X(NT_TRANS_RENAME_REQ, nt_trans_rename_req, nt_trans_rename_req, 4)    \
  X(NT_GET_QUOTA_REQ, nt_get_quota_req, nt_get_quota_req, 16)            \
  X(FILE_GET_QUOTA_INFO, file_get_quota_info, file_get_quota_info, 8)    \
  X(FILE_QUOTA_INFO, file_quota_info, file_quota_info, 40)               \
  X(NT_FID_REQ, nt_fid_req, nt_fid_req, 2)                               \
  X(NT_LENGTH_RSP, nt_length_rsp, nt_length_rsp, 4)                     \
  X(BROWSER_ANNOUNCEMENT, browser_announcement, browser_announcement, 32) \
  X(BROWSER_REQUEST_ANNOUNCEMENT, browser_request_announcement, browser_name, 2) \
  X(BROWSER_NAME, browser_name, browser_name, 1)                         \
  X(BROWSER_ELECTION, browser_election, browser_election, 14)            \
  X(BROWSER_BACKUP_LIST, browser_backup_list, browser_backup_list, 6)    \
  X(BROWSER_RESET_STATE, browser_reset_state, browser_reset_state, 2)    \
  X(TRANS2_DFS_REFERRAL_REQ, trans2_dfs_referral_req, trans2_dfs_referral_req, 2) \
  X(TRANS2_DFS_REPORT_REQ, trans2_dfs_report_req, trans2_dfs_report_req, 0) \
  X(DFS_REFERRAL_V1, dfs_referral_v1, dfs_referral_v1, 8)                \
  X(TRANS2_FIND_NOTIFY_FIRST_REQ, trans2_find_notify_first_req, trans2_find_notify_first_req, 10) \
  X(TRANS2_FIND_NOTIFY_NEXT_REQ, trans2_find_notify_next_req, trans2_find_notify_next_req, 4) \
  X(DFS_REFERRAL_RSP, dfs_referral_rsp, dfs_referral_rsp, 8)            \
  X(SRV_SNAPSHOT_ARRAY, srv_snapshot_array, srv_snapshot_array, 12)      \
  X(FILE_OBJECTID_BUFFER, file_objectid_buffer, file_objectid_buffer, 64) \
  X(REPARSE_DATA_BUFFER, reparse_data_buffer, reparse_data_buffer, 8)

/**
 * The record (enum smbw_record, form.h) that describes level @p level of
 * class @p cls, or -1 when the library does not know the level.
 * @param cls    enum smbw_info_class
 * @param level  the InformationLevel of the request
 * @return an enum smbw_record, or -1
 */
SMBW_API int smbw_info_record(int cls, uint16_t level);

/**
 * The records of a transaction's setup words, parameters and data: what a
 * monitor or a client needs to type a response by its request (pairing,
 * doc/transactions.md).
 * @param command     SMBW_COM_TRANSACTION2 or SMBW_COM_NT_TRANSACT (the
 *                    primary command; TRANSACTION has none here yet)
 * @param subcommand  TRANSACTION2: the request's Setup[0]; NT_TRANSACT:
 *                    its Function
 * @param reply       0 request, 1 response
 * @param level       the request's InformationLevel (smbw_trans_level()),
 *                    for the data of the subcommands that have one
 * @param setup       receives the record of the setup words, or -1
 * @param params      receives the record of the parameters, or -1
 * @param data        receives the record of the data, or -1
 * @return 0, or SMBW_E_INVAL for a NULL pointer.  -1 everywhere is a
 *         command, subcommand or level the library has no record for.
 */
SMBW_API int smbw_trans_records(uint8_t command, uint16_t subcommand, int reply, uint16_t level,
                                int *setup, int *params, int *data);

/**
 * The InformationLevel a TRANSACTION2 request's parameters carry.
 * @param command     the primary command (SMBW_COM_TRANSACTION2)
 * @param subcommand  Setup[0]
 * @param params      the request's (reassembled) parameters
 * @param level       receives the level
 * @return 1 when the subcommand has a level and @p params hold it, 0 when
 *         it has none, SMBW_E_TRUNCATED when @p params are too short,
 *         SMBW_E_INVAL for a NULL @p level.
 */
SMBW_API int smbw_trans_level(uint8_t command, uint16_t subcommand, smbw_bytes params,
                              uint16_t *level);

#ifdef __cplusplus
}
#endif
#endif
