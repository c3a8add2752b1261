/*
 * The message descriptions: one table of rows per form, in wire order.
 * This file is the whole of what the library knows about the layout of
 * these commands; form.c reads it to decode, encode and visit, and the
 * tests and tools read it through smbw_block_visit() and smbw_type_info().
 *
 * A word row:  KIND(offset in the words, member, "MS-CIFS name", "wireshark.field")
 * An item row: KIND(member, "MS-CIFS name", "wireshark.field")
 * ST names the struct the rows of a type refer to; MEM() checks at compile
 * time that each member has the width its row reads.
 */
#include "form.h"

#define MEM(m, sz) \
  ((uint16_t)(offsetof(ST, m) + 0u * sizeof(char[sizeof(((ST *)0)->m) == (sz) ? 1 : -1])))
#define NOM SMBW_NOM

#define ROW(kind, off, m, m2, m3, ref, arg, name, ws, c) {name, ws, c, m, m2, m3, kind, off, ref, arg}
/* word rows */
#define U8(o, m, n, ws) ROW(W_U8, o, MEM(m, 1), NOM, NOM, 0, 0, n, ws, #m)
#define U16(o, m, n, ws) ROW(W_U16, o, MEM(m, 2), NOM, NOM, 0, 0, n, ws, #m)
#define U32(o, m, n, ws) ROW(W_U32, o, MEM(m, 4), NOM, NOM, 0, 0, n, ws, #m)
#define U64(o, m, n, ws) ROW(W_U64, o, MEM(m, 8), NOM, NOM, 0, 0, n, ws, #m)
#define RAW(o, m, w, n, ws) ROW(W_RAW, o, MEM(m, w), NOM, NOM, 0, w, n, ws, #m)
#define ANDX() ROW(W_ANDX, 0, MEM(andx, 4), NOM, NOM, 0, 0, "AndX", NULL, "andx")
#define LO16(o, m, n, ws) ROW(W_LO16, o, MEM(m, 4), NOM, NOM, 0, 0, n, ws, #m)
#define HI16(o, m, n, ws) ROW(W_HI16, o, MEM(m, 4), NOM, NOM, 0, 0, n, ws, #m)
#define LO32(o, m, n, ws) ROW(W_LO32, o, MEM(m, 8), NOM, NOM, 0, 0, n, ws, #m)
#define HI32(o, m, n, ws) ROW(W_HI32, o, MEM(m, 8), NOM, NOM, 0, 0, n, ws, #m)
/* words that locate item `item` (an index into the form's items); with
   a member, the decoder also keeps the value there (encoders ignore it) */
#define LEN8(o, item, n, ws) ROW(W_LEN8, o, NOM, NOM, NOM, item, 0, n, ws, NULL)
#define LEN16(o, item, n, ws) ROW(W_LEN16, o, NOM, NOM, NOM, item, 0, n, ws, NULL)
#define LEN16M(o, item, m, n, ws) ROW(W_LEN16, o, MEM(m, 4), NOM, NOM, item, 0, n, ws, #m)
#define LENHI16(o, item, n, ws) ROW(W_LENHI16, o, NOM, NOM, NOM, item, 0, n, ws, NULL)
#define DOFF16(o, item, n, ws) ROW(W_DOFF16, o, NOM, NOM, NOM, item, 0, n, ws, NULL)
#define CNT16(o, item, m, n, ws) ROW(W_CNT16, o, MEM(m, 2), NOM, NOM, item, 0, n, ws, #m)
/* items */
#define STR(m, n, ws) ROW(I_STR, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, 0, n, ws, #m)
#define OEM(m, n, ws) ROW(I_OEM, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, 0, n, ws, #m)
#define BFSTR(fmt, m, n, ws) ROW(I_BFSTR, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, fmt, n, ws, #m)
#define BYTES(m, n, ws) ROW(I_BYTES, 0, MEM(m, sizeof(smbw_bytes)), NOM, NOM, 0, 0, n, ws, #m)
#define DATA(m, pad, doff, n, ws)                                                       \
  ROW(I_DATA, 0, MEM(m, sizeof(smbw_bytes)), MEM(pad, sizeof(smbw_bytes)), MEM(doff, 2), 0, \
      0, n, ws, #m " " #pad " " #doff)
#define RECS(flagoff, m, n, ws) \
  ROW(I_RECS, 0, MEM(m, sizeof(smbw_bytes)), NOM, NOM, 0, flagoff, n, ws, #m)
/* a data block (MS-CIFS 2.2.2.5): the buffer format byte (kept in fmtm),
   a 16-bit length, the bytes */
#define DBLOCK(m, fmtm, n, ws) \
  ROW(I_DBLOCK, 0, MEM(m, sizeof(smbw_bytes)), MEM(fmtm, 1), NOM, 0, 0, n, ws, #m " " #fmtm)
/* a data block of records of type rec (SMBW_RECORD_rec) */
#define DBLOCKR(m, fmtm, rec, n, ws)                                                            \
  ROW(I_DBLOCK, 0, MEM(m, sizeof(smbw_bytes)), MEM(fmtm, 1), NOM, 0, 1 + SMBW_RECORD_##rec, n, \
      ws, #m " " #fmtm)
/* w bytes, always there (WRITE_AND_CLOSE's pad) */
#define PAD(w, m, n, ws) ROW(I_PAD, 0, MEM(m, sizeof(smbw_bytes)), NOM, NOM, 0, w, n, ws, #m)
#define REST(m, n, ws) ROW(I_REST, 0, MEM(m, sizeof(smbw_bytes)), NOM, NOM, 0, 0, n, ws, #m)

#define N(a) (uint8_t)(sizeof(a) / sizeof((a)[0]))
/* A form: its word rows, its items (or none), its WordCounts, its section. */
#define FORM(words, items, spec, ...) {words, items, N(words), N(items), {__VA_ARGS__}, 0, spec}
#define FORM_W(words, spec, ...) {words, NULL, N(words), 0, {__VA_ARGS__}, 0, spec}
#define FORM_I(items, spec, ...) {NULL, items, 0, N(items), {__VA_ARGS__}, 0, spec}
#define FORM_0(spec) {NULL, NULL, 0, 0, {0, 0, 0}, 0, spec}
/* A type: name, forms, command, reply, error form, struct.  The first
   published size is the end of `extra`, the last member of every 0.1
   struct: members added later go after it (doc/abi.md), so a struct that
   grows keeps accepting the size older callers pass, with nothing to edit
   here (tests/growth/ builds the library with grown structs to check). */
#define TYPE(id, text, forms, cmd, reply, T)                                                  \
  [SMBW_TYPE_##id] = {text, forms, N(forms), SMBW_COM_##cmd, reply, reply, sizeof(T),          \
                      (uint16_t)(offsetof(T, extra) + sizeof(smbw_bytes)),                     \
                      (uint16_t)offsetof(T, wct), (uint16_t)offsetof(T, extra), NOM}

/* ---- shapes shared by several commands ---- */

#define ST smbw_empty
static const smbw_form EMPTY[] = {FORM_0("MS-CIFS 2.2.4")};
#undef ST

#define ST smbw_logoff_andx_req
static const smbw_row ANDX_ONLY_W[] = {ANDX()};
static const smbw_form ANDX_ONLY[] = {FORM_W(ANDX_ONLY_W, "MS-CIFS 2.2.4.54", 2)};
#undef ST

#define ST smbw_path_req
static const smbw_row PATH_I[] = {BFSTR(0x04, name, "FileName", "smb.file")};
static const smbw_form PATH[] = {FORM_I(PATH_I, "MS-CIFS 2.2.4.9.1", 0)};
static const smbw_row DIR_I[] = {BFSTR(0x04, name, "DirectoryName", "smb.dir_name")};
static const smbw_form DIRF[] = {FORM_I(DIR_I, "MS-CIFS 2.2.4.1.1", 0)};
#undef ST

/* ---- SESSION_SETUP_ANDX (MS-CIFS 2.2.4.53, MS-SMB 2.2.4.6) ---- */

#define ST smbw_session_setup_andx_req
static const smbw_row SS_REQ10_W[] = {
    ANDX(),
    U16(4, max_buffer_size, "MaxBufferSize", "smb.max_buf"),
    U16(6, max_mpx_count, "MaxMpxCount", "smb.max_mpx_count"),
    U16(8, vc_number, "VcNumber", "smb.vc"),
    U32(10, session_key, "SessionKey", "smb.session_key"),
    LEN16(14, 0, "PasswordLength", "smb.pwlen"),
    U32(16, reserved, "Reserved", NULL)};
static const smbw_row SS_REQ10_I[] = {
    BYTES(password, "AccountPassword", "smb.password"),
    STR(account_name, "AccountName", "smb.account"),
    STR(primary_domain, "PrimaryDomain", "smb.primary_domain"),
    STR(native_os, "NativeOS", "smb.native_os"),
    STR(native_lanman, "NativeLanMan", "smb.native_lanman")};
static const smbw_row SS_REQ13_W[] = {
    ANDX(),
    U16(4, max_buffer_size, "MaxBufferSize", "smb.max_buf"),
    U16(6, max_mpx_count, "MaxMpxCount", "smb.max_mpx_count"),
    U16(8, vc_number, "VcNumber", "smb.vc"),
    U32(10, session_key, "SessionKey", "smb.session_key"),
    LEN16(14, 0, "OEMPasswordLen", "smb.ansi_pwlen"),
    LEN16(16, 1, "UnicodePasswordLen", "smb.unicode_pwlen"),
    U32(18, reserved, "Reserved", NULL),
    U32(22, capabilities, "Capabilities", NULL)};
static const smbw_row SS_REQ13_I[] = {
    BYTES(password, "OEMPassword", "smb.ansi_password"),
    BYTES(unicode_password, "UnicodePassword", "smb.unicode_password"),
    STR(account_name, "AccountName", "smb.account"),
    STR(primary_domain, "PrimaryDomain", "smb.primary_domain"),
    STR(native_os, "NativeOS", "smb.native_os"),
    STR(native_lanman, "NativeLanMan", "smb.native_lanman")};
static const smbw_row SS_REQ12_W[] = {
    ANDX(),
    U16(4, max_buffer_size, "MaxBufferSize", "smb.max_buf"),
    U16(6, max_mpx_count, "MaxMpxCount", "smb.max_mpx_count"),
    U16(8, vc_number, "VcNumber", "smb.vc"),
    U32(10, session_key, "SessionKey", "smb.session_key"),
    LEN16(14, 0, "SecurityBlobLength", "smb.security_blob_len"),
    U32(16, reserved, "Reserved", NULL),
    U32(20, capabilities, "Capabilities", NULL)};
static const smbw_row SS_REQ12_I[] = {
    BYTES(security_blob, "SecurityBlob", "smb.security_blob"),
    STR(native_os, "NativeOS", "smb.native_os"),
    STR(native_lanman, "NativeLanMan", "smb.native_lanman"),
    STR(primary_domain, "PrimaryDomain", "smb.primary_domain")};
static const smbw_form SS_REQ[] = {
    FORM(SS_REQ13_W, SS_REQ13_I, "MS-CIFS 2.2.4.53.1", 13),
    FORM(SS_REQ12_W, SS_REQ12_I, "MS-SMB 2.2.4.6.1", 12),
    FORM(SS_REQ10_W, SS_REQ10_I, "MS-CIFS 2.2.4.53.1 (LANMAN)", 10)};
#undef ST

#define ST smbw_session_setup_andx_rsp
static const smbw_row SS_RSP_W[] = {
    ANDX(),
    U16(4, action, "Action", "smb.setup.action"),
    LEN16(6, 0, "SecurityBlobLength", "smb.security_blob_len")};
static const smbw_row SS_RSP_I[] = {
    BYTES(security_blob, "SecurityBlob", "smb.security_blob"),
    STR(native_os, "NativeOS", "smb.native_os"),
    STR(native_lanman, "NativeLanMan", "smb.native_lanman"),
    STR(primary_domain, "PrimaryDomain", "smb.primary_domain")};
static const smbw_form SS_RSP[] = {
    FORM(SS_RSP_W, SS_RSP_I, "MS-CIFS 2.2.4.53.2, MS-SMB 2.2.4.6.2", 3, 4)};
#undef ST

/* ---- TREE_CONNECT_ANDX (MS-CIFS 2.2.4.55, MS-SMB 2.2.4.7) ---- */

#define ST smbw_tree_connect_andx_req
static const smbw_row TC_REQ_W[] = {
    ANDX(),
    U16(4, flags, "Flags", "smb.connect.flags"),
    LEN16(6, 0, "PasswordLength", "smb.pwlen")};
static const smbw_row TC_REQ_I[] = {
    BYTES(password, "Password", "smb.password"),
    STR(path, "Path", "smb.path"),
    OEM(service, "Service", "smb.service")};
static const smbw_form TC_REQ[] = {FORM(TC_REQ_W, TC_REQ_I, "MS-CIFS 2.2.4.55.1", 4)};
#undef ST

#define ST smbw_tree_connect_andx_rsp
static const smbw_row TC_RSP_W[] = {
    ANDX(),
    U16(4, optional_support, "OptionalSupport", "smb.connect.support"),
    U32(6, maximal_share_access_rights, "MaximalShareAccessRights", NULL),
    U32(10, guest_maximal_share_access_rights, "GuestMaximalShareAccessRights", NULL)};
static const smbw_row TC_RSP_I[] = {
    OEM(service, "Service", "smb.service"),
    STR(native_file_system, "NativeFileSystem", "smb.native_fs")};
static const smbw_form TC_RSP[] = {
    FORM(TC_RSP_W, TC_RSP_I, "MS-CIFS 2.2.4.55.2, MS-SMB 2.2.4.7.2", 3, 7, 2)};
#undef ST

/* ---- OPEN_ANDX (MS-CIFS 2.2.4.41, MS-SMB 2.2.4.1) ---- */

#define ST smbw_open_andx_req
static const smbw_row OPEN_REQ_W[] = {
    ANDX(),
    U16(4, flags, "Flags", "smb.open.flags"),
    U16(6, access_mode, "AccessMode", NULL),
    U16(8, search_attrs, "SearchAttrs", "smb.search.attribute"),
    U16(10, file_attrs, "FileAttrs", "smb.file_attribute"),
    U32(12, creation_time, "CreationTime", "smb.create.time"),
    U16(16, open_mode, "OpenMode", "smb.open.function"),
    U32(18, allocation_size, "AllocationSize", "smb.alloc_size"),
    U32(22, timeout, "Timeout", "smb.timeout"),
    U32(26, reserved, "Reserved", NULL)};
static const smbw_row OPEN_REQ_I[] = {STR(file_name, "FileName", "smb.file")};
static const smbw_form OPEN_REQ[] = {FORM(OPEN_REQ_W, OPEN_REQ_I, "MS-CIFS 2.2.4.41.1", 15)};
#undef ST

#define ST smbw_open_andx_rsp
static const smbw_row OPEN_RSP_W[] = {
    ANDX(),
    U16(4, fid, "FID", "smb.fid"),
    U16(6, file_attrs, "FileAttrs", "smb.file_attribute"),
    U32(8, last_write_time, "LastWriteTime", "smb.last_write.time"),
    U32(12, file_data_size, "FileDataSize", "smb.file_size"),
    U16(16, access_rights, "AccessRights", NULL),
    U16(18, resource_type, "ResourceType", "smb.file_type"),
    U16(20, nmpipe_status, "NMPipeStatus", "smb.ipc_state"),
    U16(22, open_results, "OpenResults", "smb.open.action"),
    U32(24, server_fid, "ServerFid", "smb.server_fid"),
    U16(28, reserved, "Reserved", NULL),
    U32(30, maximal_access_rights, "MaximalAccessRights", NULL),
    U32(34, guest_maximal_access_rights, "GuestMaximalAccessRights", NULL)};
static const smbw_form OPEN_RSP[] = {FORM_W(OPEN_RSP_W, "MS-CIFS 2.2.4.41.2, MS-SMB 2.2.4.1.2", 15, 19)};
#undef ST

/* ---- READ_ANDX (MS-CIFS 2.2.4.42, MS-SMB 2.2.4.2) ---- */

#define ST smbw_read_andx_req
static const smbw_row READ_REQ_W[] = {
    ANDX(),
    U16(4, fid, "FID", "smb.fid"),
    LO32(6, offset, "Offset", "smb.offset"),
    U16(10, max_count, "MaxCountOfBytesToReturn", "smb.maxcount_low"),
    U16(12, min_count, "MinCountOfBytesToReturn", "smb.mincount"),
    U32(14, timeout, "Timeout", NULL),
    U16(18, remaining, "Remaining", "smb.remaining"),
    HI32(20, offset, "OffsetHigh", "smb.offset_high")};
static const smbw_form READ_REQ[] = {FORM_W(READ_REQ_W, "MS-CIFS 2.2.4.42.1", 12, 10)};
#undef ST

#define ST smbw_read_andx_rsp
static const smbw_row READ_RSP_W[] = {
    ANDX(),
    U16(4, available, "Available", "smb.remaining"),
    U16(6, data_compaction_mode, "DataCompactionMode", "smb.dcm"),
    U16(8, reserved1, "Reserved1", NULL),
    LEN16M(10, 0, data_length, "DataLength", "smb.data_len_low"),
    DOFF16(12, 0, "DataOffset", "smb.data_offset"),
    LENHI16(14, 0, "DataLengthHigh", "smb.data_len_high"),
    U64(16, reserved2, "Reserved2", NULL)};
static const smbw_row READ_RSP_I[] = {DATA(data, pad, data_offset, "Data", NULL)};
static const smbw_form READ_RSP[] = {FORM(READ_RSP_W, READ_RSP_I, "MS-CIFS 2.2.4.42.2, MS-SMB 2.2.4.2.2", 12)};
#undef ST

/* ---- WRITE_ANDX (MS-CIFS 2.2.4.43, MS-SMB 2.2.4.3) ---- */

#define ST smbw_write_andx_req
static const smbw_row WRITE_REQ_W[] = {
    ANDX(),
    U16(4, fid, "FID", "smb.fid"),
    LO32(6, offset, "Offset", "smb.offset"),
    U32(10, timeout, "Timeout", "smb.timeout"),
    U16(14, write_mode, "WriteMode", "smb.write.mode"),
    U16(16, remaining, "Remaining", "smb.remaining"),
    LENHI16(18, 0, "DataLengthHigh", "smb.data_len_high"),
    LEN16(20, 0, "DataLength", "smb.data_len_low"),
    DOFF16(22, 0, "DataOffset", "smb.data_offset"),
    HI32(24, offset, "OffsetHigh", "smb.offset_high")};
static const smbw_row WRITE_REQ_I[] = {DATA(data, pad, data_offset, "Data", NULL)};
static const smbw_form WRITE_REQ[] = {
    FORM(WRITE_REQ_W, WRITE_REQ_I, "MS-CIFS 2.2.4.43.1, MS-SMB 2.2.4.3.1", 14, 12)};
#undef ST

#define ST smbw_write_andx_rsp
static const smbw_row WRITE_RSP_W[] = {
    ANDX(),
    LO16(4, count, "Count", "smb.count_low"),
    U16(6, available, "Available", "smb.remaining"),
    HI16(8, count, "CountHigh", "smb.count_high"),
    U16(10, reserved, "Reserved", NULL)};
static const smbw_form WRITE_RSP[] = {FORM_W(WRITE_RSP_W, "MS-CIFS 2.2.4.43.2, MS-SMB 2.2.4.3.2", 6)};
#undef ST

/* ---- LOCKING_ANDX (MS-CIFS 2.2.4.32) ---- */

#define ST smbw_locking_andx_req
static const smbw_row LOCK_REQ_W[] = {
    ANDX(),
    U16(4, fid, "FID", "smb.fid"),
    U8(6, type_of_lock, "TypeOfLock", "smb.lock.type"),
    U8(7, new_oplock_level, "NewOpLockLevel", "smb.locking.oplock.level"),
    U32(8, timeout, "Timeout", "smb.timeout"),
    CNT16(12, 0, number_of_unlocks, "NumberOfRequestedUnlocks", "smb.locking.num_unlocks"),
    CNT16(14, 1, number_of_locks, "NumberOfRequestedLocks", "smb.locking.num_locks")};
static const smbw_row LOCK_REQ_I[] = {
    RECS(6, unlocks, "Unlocks", NULL),
    RECS(6, locks, "Locks", NULL)};
static const smbw_form LOCK_REQ[] = {FORM(LOCK_REQ_W, LOCK_REQ_I, "MS-CIFS 2.2.4.32.1", 8)};
#undef ST

/* ---- NT_CREATE_ANDX (MS-CIFS 2.2.4.64, MS-SMB 2.2.4.9) ---- */

#define ST smbw_nt_create_andx_req
static const smbw_row NTC_REQ_W[] = {
    ANDX(),
    U8(4, reserved, "Reserved", NULL),
    U16(5, name_length, "NameLength", "smb.file_name_len"),
    U32(7, flags, "Flags", "smb.create_flags"),
    U32(11, root_directory_fid, "RootDirectoryFID", "smb.rfid"),
    U32(15, desired_access, "DesiredAccess", "smb.access_mask"),
    U64(19, allocation_size, "AllocationSize", "smb.alloc_size64"),
    U32(27, ext_file_attributes, "ExtFileAttributes", "smb.file_attribute"),
    U32(31, share_access, "ShareAccess", "smb.share_access"),
    U32(35, create_disposition, "CreateDisposition", "smb.create.disposition"),
    U32(39, create_options, "CreateOptions", "smb.create_options"),
    U32(43, impersonation_level, "ImpersonationLevel", "smb.impersonation.level"),
    U8(47, security_flags, "SecurityFlags", "smb.security.flags")};
static const smbw_row NTC_REQ_I[] = {STR(file_name, "FileName", "smb.file")};
static const smbw_form NTC_REQ[] = {FORM(NTC_REQ_W, NTC_REQ_I, "MS-CIFS 2.2.4.64.1", 24)};
#undef ST

#define ST smbw_nt_create_andx_rsp
static const smbw_row NTC_RSP_W[] = {
    ANDX(),
    U8(4, oplock_level, "OpLockLevel", "smb.oplock.level"),
    U16(5, fid, "FID", "smb.fid"),
    U32(7, create_disposition, "CreateDisposition", "smb.create.action"),
    U64(11, create_time, "CreateTime", "smb.create.time"),
    U64(19, last_access_time, "LastAccessTime", "smb.access.time"),
    U64(27, last_write_time, "LastWriteTime", "smb.last_write.time"),
    U64(35, last_change_time, "LastChangeTime", "smb.change.time"),
    U32(43, ext_file_attributes, "ExtFileAttributes", "smb.file_attribute"),
    U64(47, allocation_size, "AllocationSize", "smb.alloc_size64"),
    U64(55, end_of_file, "EndOfFile", "smb.end_of_file"),
    U16(63, resource_type, "ResourceType", "smb.file_type"),
    U16(65, nmpipe_status, "NMPipeStatus", "smb.ipc_state"),
    U8(67, directory, "Directory", "smb.is_directory"),
    RAW(68, volume_guid, 16, "VolumeGUID", "smb.volume_guid"),
    U64(84, file_id, "FileId", "smb.create.file_id"),
    U32(92, maximal_access_rights, "MaximalAccessRights", "smb.maximal_access"),
    U32(96, guest_maximal_access_rights, "GuestMaximalAccessRights", "smb.guest_maximal_access")};
static const smbw_form NTC_RSP[] = {
    FORM_W(NTC_RSP_W, "MS-CIFS 2.2.4.64.2", 34),
    {NTC_RSP_W, NULL, N(NTC_RSP_W), 0, {42, 0, 0}, 1, "MS-SMB 2.2.4.9.2"}};
#undef ST

/* ---- the small commands ---- */

#define ST smbw_close_req
static const smbw_row CLOSE_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U32(2, last_time_modified, "LastTimeModified", "smb.last_write.time")};
static const smbw_form CLOSE_REQ[] = {FORM_W(CLOSE_REQ_W, "MS-CIFS 2.2.4.5.1", 3)};
#undef ST

#define ST smbw_flush_req
static const smbw_row FLUSH_REQ_W[] = {U16(0, fid, "FID", "smb.fid")};
static const smbw_form FLUSH_REQ[] = {FORM_W(FLUSH_REQ_W, "MS-CIFS 2.2.4.6.1", 1)};
#undef ST

#define ST smbw_echo_req
static const smbw_row ECHO_REQ_W[] = {U16(0, echo_count, "EchoCount", "smb.echo.count")};
static const smbw_row ECHO_REQ_I[] = {REST(data, "Data", "smb.echo.data")};
static const smbw_form ECHO_REQ[] = {FORM(ECHO_REQ_W, ECHO_REQ_I, "MS-CIFS 2.2.4.39.1", 1)};
#undef ST

#define ST smbw_echo_rsp
static const smbw_row ECHO_RSP_W[] = {
    U16(0, sequence_number, "SequenceNumber", "smb.echo.seq_num")};
static const smbw_row ECHO_RSP_I[] = {REST(data, "Data", "smb.echo.data")};
static const smbw_form ECHO_RSP[] = {FORM(ECHO_RSP_W, ECHO_RSP_I, "MS-CIFS 2.2.4.39.2", 1)};
#undef ST

#define ST smbw_find_close2_req
static const smbw_row FCLOSE2_REQ_W[] = {U16(0, sid, "SearchHandle", "smb.search_id")};
static const smbw_form FCLOSE2_REQ[] = {FORM_W(FCLOSE2_REQ_W, "MS-CIFS 2.2.4.48.1", 1)};
#undef ST

#define ST smbw_nt_rename_req
static const smbw_row NTREN_REQ_W[] = {
    U16(0, search_attributes, "SearchAttributes", "smb.search.attribute"),
    U16(2, information_level, "InformationLevel", "smb.nt_rename_level"),
    U32(4, reserved, "Reserved", "smb.cluster_count")};
static const smbw_row NTREN_REQ_I[] = {
    BFSTR(0x04, old_file_name, "OldFileName", "smb.old_file"),
    BFSTR(0x04, new_file_name, "NewFileName", "smb.file")};
static const smbw_form NTREN_REQ[] = {FORM(NTREN_REQ_W, NTREN_REQ_I, "MS-CIFS 2.2.4.66.1", 4)};
#undef ST

#define ST smbw_delete_req
static const smbw_row DELETE_REQ_W[] = {
    U16(0, search_attributes, "SearchAttributes", "smb.search.attribute")};
static const smbw_row DELETE_REQ_I[] = {BFSTR(0x04, file_name, "FileName", "smb.file")};
static const smbw_form DELETE_REQ[] = {FORM(DELETE_REQ_W, DELETE_REQ_I, "MS-CIFS 2.2.4.7.1", 1)};
#undef ST

#define ST smbw_rename_req
static const smbw_row RENAME_REQ_W[] = {
    U16(0, search_attributes, "SearchAttributes", "smb.search.attribute")};
static const smbw_row RENAME_REQ_I[] = {
    BFSTR(0x04, old_file_name, "OldFileName", "smb.old_file"),
    BFSTR(0x04, new_file_name, "NewFileName", "smb.file")};
static const smbw_form RENAME_REQ[] = {FORM(RENAME_REQ_W, RENAME_REQ_I, "MS-CIFS 2.2.4.8.1", 1)};
#undef ST

#define ST smbw_query_information_rsp
static const smbw_row QINFO_RSP_W[] = {
    U16(0, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(2, last_write_time, "LastWriteTime", "smb.last_write.time"),
    U32(6, file_size, "FileSize", "smb.file_size"),
    RAW(10, reserved, 10, "Reserved", NULL)};
static const smbw_form QINFO_RSP[] = {FORM_W(QINFO_RSP_W, "MS-CIFS 2.2.4.9.2", 10)};
#undef ST

#define ST smbw_set_information_req
static const smbw_row SINFO_REQ_W[] = {
    U16(0, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(2, last_write_time, "LastWriteTime", "smb.last_write.time"),
    RAW(6, reserved, 10, "Reserved", NULL)};
static const smbw_row SINFO_REQ_I[] = {BFSTR(0x04, file_name, "FileName", "smb.file")};
static const smbw_form SINFO_REQ[] = {FORM(SINFO_REQ_W, SINFO_REQ_I, "MS-CIFS 2.2.4.10.1", 8)};
#undef ST

#define ST smbw_query_information2_req
static const smbw_row QINFO2_REQ_W[] = {U16(0, fid, "FID", "smb.fid")};
static const smbw_form QINFO2_REQ[] = {FORM_W(QINFO2_REQ_W, "MS-CIFS 2.2.4.31.1", 1)};
#undef ST

#define ST smbw_query_information2_rsp
static const smbw_row QINFO2_RSP_W[] = {
    U16(0, create_date, "CreateDate", "smb.create.smb.date"),
    U16(2, creation_time, "CreationTime", "smb.create.smb.time"),
    U16(4, last_access_date, "LastAccessDate", "smb.access.smb.date"),
    U16(6, last_access_time, "LastAccessTime", "smb.access.smb.time"),
    U16(8, last_write_date, "LastWriteDate", "smb.last_write.smb.date"),
    U16(10, last_write_time, "LastWriteTime", "smb.last_write.smb.time"),
    U32(12, file_data_size, "FileDataSize", "smb.data_size"),
    U32(16, file_allocation_size, "FileAllocationSize", "smb.alloc_size"),
    U16(20, file_attributes, "FileAttributes", "smb.file_attribute")};
static const smbw_form QINFO2_RSP[] = {FORM_W(QINFO2_RSP_W, "MS-CIFS 2.2.4.31.2", 11)};
#undef ST

#define ST smbw_set_information2_req
static const smbw_row SINFO2_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, create_date, "CreateDate", "smb.create.smb.date"),
    U16(4, creation_time, "CreationTime", "smb.create.smb.time"),
    U16(6, last_access_date, "LastAccessDate", "smb.access.smb.date"),
    U16(8, last_access_time, "LastAccessTime", "smb.access.smb.time"),
    U16(10, last_write_date, "LastWriteDate", "smb.last_write.smb.date"),
    U16(12, last_write_time, "LastWriteTime", "smb.last_write.smb.time")};
static const smbw_form SINFO2_REQ[] = {FORM_W(SINFO2_REQ_W, "MS-CIFS 2.2.4.30.1", 7)};
#undef ST

#define ST smbw_seek_req
static const smbw_row SEEK_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, mode, "Mode", "smb.seek_mode"),
    U32(4, offset, "Offset", "smb.offset")};
static const smbw_form SEEK_REQ[] = {FORM_W(SEEK_REQ_W, "MS-CIFS 2.2.4.19.1", 4)};
#undef ST

#define ST smbw_seek_rsp
static const smbw_row SEEK_RSP_W[] = {U32(0, offset, "Offset", "smb.offset")};
static const smbw_form SEEK_RSP[] = {FORM_W(SEEK_RSP_W, "MS-CIFS 2.2.4.19.2", 2)};
#undef ST

#define ST smbw_query_information_disk_rsp
static const smbw_row QDISK_RSP_W[] = {
    U16(0, total_units, "TotalUnits", "smb.units"),
    U16(2, blocks_per_unit, "BlocksPerUnit", "smb.bpu"),
    U16(4, block_size, "BlockSize", "smb.blocksize"),
    U16(6, free_units, "FreeUnits", "smb.free_units"),
    U16(8, reserved, "Reserved", NULL)};
static const smbw_form QDISK_RSP[] = {FORM_W(QDISK_RSP_W, "MS-CIFS 2.2.4.57.2", 5)};
#undef ST

/* ---- the types ---- */

/* ---- the core protocol (MS-CIFS 2.2.4): OPEN, CREATE, READ, WRITE, the
   byte-range locks, WRITE_AND_CLOSE, TREE_CONNECT ---- */

#define ST smbw_open_req
static const smbw_row OPEN0_REQ_W[] = {
    U16(0, access_mode, "AccessMode", "smb.access.desired"),
    U16(2, search_attributes, "SearchAttributes", "smb.search.attribute")};
static const smbw_row OPEN0_REQ_I[] = {BFSTR(0x04, file_name, "FileName", "smb.file")};
static const smbw_form OPEN0_REQ[] = {FORM(OPEN0_REQ_W, OPEN0_REQ_I, "MS-CIFS 2.2.4.3.1", 2)};
#undef ST

#define ST smbw_open_rsp
static const smbw_row OPEN0_RSP_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, file_attrs, "FileAttrs", "smb.file_attribute"),
    U32(4, last_modified, "LastModified", "smb.last_write.time"),
    U32(8, file_size, "FileSize", "smb.file_size"),
    U16(12, access_mode, "AccessMode", "smb.access.granted")};
static const smbw_form OPEN0_RSP[] = {FORM_W(OPEN0_RSP_W, "MS-CIFS 2.2.4.3.2", 7)};
#undef ST

#define ST smbw_create_req
static const smbw_row CREATE_REQ_W[] = {
    U16(0, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(2, creation_time, "CreationTime", "smb.create.time")};
static const smbw_row CREATE_REQ_I[] = {BFSTR(0x04, file_name, "FileName", "smb.file")};
static const smbw_form CREATE_REQ[] = {
    FORM(CREATE_REQ_W, CREATE_REQ_I, "MS-CIFS 2.2.4.4.1, 2.2.4.16.1", 3)};
#undef ST

#define ST smbw_fid_rsp
static const smbw_row FID_RSP_W[] = {U16(0, fid, "FID", "smb.fid")};
static const smbw_form FID_RSP[] = {FORM_W(FID_RSP_W, "MS-CIFS 2.2.4.4.2, 2.2.4.16.2", 1)};
#undef ST

#define ST smbw_read_req
static const smbw_row READ0_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, count, "CountOfBytesToRead", "smb.count"),
    U32(4, offset, "ReadOffsetInBytes", "smb.offset"),
    U16(8, remaining, "EstimateOfRemainingBytesToBeRead", "smb.remaining")};
static const smbw_form READ0_REQ[] = {FORM_W(READ0_REQ_W, "MS-CIFS 2.2.4.11.1, 2.2.4.20.1", 5)};
#undef ST

#define ST smbw_read_rsp
static const smbw_row READ0_RSP_W[] = {
    U16(0, count, "CountOfBytesReturned", "smb.count"),
    RAW(2, reserved, 8, "Reserved", NULL)};
static const smbw_row READ0_RSP_I[] = {DBLOCK(data, buffer_format, "Bytes", NULL)};
static const smbw_form READ0_RSP[] = {
    FORM(READ0_RSP_W, READ0_RSP_I, "MS-CIFS 2.2.4.11.2, 2.2.4.20.2", 5)};
#undef ST

#define ST smbw_write_req
static const smbw_row WRITE0_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, count, "CountOfBytesToWrite", "smb.count"),
    U32(4, offset, "WriteOffsetInBytes", "smb.offset"),
    U16(8, remaining, "EstimateOfRemainingBytesToBeWritten", "smb.remaining")};
static const smbw_row WRITE0_REQ_I[] = {DBLOCK(data, buffer_format, "Data", NULL)};
static const smbw_form WRITE0_REQ[] = {
    FORM(WRITE0_REQ_W, WRITE0_REQ_I, "MS-CIFS 2.2.4.12.1, 2.2.4.21.1", 5)};
#undef ST

#define ST smbw_write_rsp
static const smbw_row WRITE0_RSP_W[] = {U16(0, count, "CountOfBytesWritten", "smb.count")};
static const smbw_form WRITE0_RSP[] = {
    FORM_W(WRITE0_RSP_W, "MS-CIFS 2.2.4.12.2, 2.2.4.21.2, 2.2.4.40.2", 1)};
#undef ST

#define ST smbw_byte_range_req
static const smbw_row RANGE_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U32(2, count, "CountOfBytesToLock", "smb.count"),
    U32(6, offset, "LockOffsetInBytes", "smb.offset")};
static const smbw_form RANGE_REQ[] = {FORM_W(RANGE_REQ_W, "MS-CIFS 2.2.4.13.1, 2.2.4.14.1", 5)};
#undef ST

#define ST smbw_write_and_close_req
static const smbw_row WCLOSE_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    LEN16(2, 1, "CountOfBytesToWrite", "smb.count"),
    U32(4, offset, "WriteOffsetInBytes", "smb.offset"),
    U32(8, last_write_time, "LastWriteTime", "smb.last_write.time"),
    RAW(12, reserved, 12, "Reserved", NULL)};
static const smbw_row WCLOSE_REQ_I[] = {PAD(1, pad, "Pad", "smb.padding"),
                                        BYTES(data, "Data", NULL)};
static const smbw_form WCLOSE_REQ[] = {
    FORM(WCLOSE_REQ_W, WCLOSE_REQ_I, "MS-CIFS 2.2.4.40.1", 6, 12)};
#undef ST

#define ST smbw_create_temporary_req
static const smbw_row CTEMP_REQ_W[] = {
    U16(0, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(2, creation_time, "CreationTime", "smb.create.time")};
static const smbw_row CTEMP_REQ_I[] = {
    BFSTR(0x04, directory_name, "DirectoryName", "smb.dir_name")};
static const smbw_form CTEMP_REQ[] = {FORM(CTEMP_REQ_W, CTEMP_REQ_I, "MS-CIFS 2.2.4.15.1", 3)};
#undef ST

#define ST smbw_create_temporary_rsp
static const smbw_row CTEMP_RSP_W[] = {U16(0, fid, "FID", "smb.fid")};
static const smbw_row CTEMP_RSP_I[] = {
    OEM(temporary_file_name, "TemporaryFileName", "smb.file")};
static const smbw_form CTEMP_RSP[] = {
    FORM(CTEMP_RSP_W, CTEMP_RSP_I,
         "MS-CIFS 2.2.4.15.2 as smbd sends it: the name without its BufferFormat 0x04", 1)};
#undef ST

#define ST smbw_search_req
static const smbw_row SEARCH_REQ_W[] = {
    U16(0, max_count, "MaxCount", "smb.maxcount"),
    U16(2, search_attributes, "SearchAttributes", "smb.search.attribute")};
static const smbw_row SEARCH_REQ_I[] = {BFSTR(0x04, file_name, "FileName", "smb.file"),
                                        DBLOCK(resume_key, resume_key_format, "ResumeKey", NULL)};
static const smbw_form SEARCH_REQ[] = {
    FORM(SEARCH_REQ_W, SEARCH_REQ_I, "MS-CIFS 2.2.4.58.1, 2.2.4.59.1, 2.2.4.60.1, 2.2.4.61.1", 2)};
#undef ST

#define ST smbw_search_rsp
static const smbw_row SEARCH_RSP_W[] = {U16(0, count, "Count", "smb.count")};
static const smbw_row SEARCH_RSP_I[] = {
    DBLOCKR(entries, buffer_format, SEARCH_ENTRY, "DirectoryInformationData", NULL)};
static const smbw_form SEARCH_RSP[] = {
    FORM(SEARCH_RSP_W, SEARCH_RSP_I, "MS-CIFS 2.2.4.58.2, 2.2.4.59.2, 2.2.4.60.2, 2.2.4.61.2", 1)};
#undef ST

/* ---- raw, multiplexed, IOCTL, COPY/MOVE, print and messenger commands,
   and the codes MS-CIFS gives no layout for ---- */

/* The generic form: any WordCount, the words as one view.  The types that
   use it share one decoder and one encoder; the spec text is the type's. */
#define ST smbw_generic
#define ANY() ROW(W_ANY, 0, MEM(words, sizeof(smbw_bytes)), NOM, NOM, 0, 0, "Words", NULL, "words")
static const smbw_row ANY_W[] = {ANY()};
#define GENERIC(arr, spec) static const smbw_form arr[] = {FORM_W(ANY_W, spec, 0)}
GENERIC(RAWREAD_RSP, "MS-CIFS 2.2.4.22.2: not an SMB message: the raw data follows on its own");
GENERIC(MPXSEC, "MS-CIFS 2.2.4.24, 2.2.4.27: obsolete, no layout; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(WCOMPLETE_REQ, "MS-CIFS 2.2.4.28: no request; the code is WRITE_RAW's final response");
GENERIC(QSERVER, "MS-CIFS 2.2.4.29: reserved, never defined; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(INVALIDF, "MS-CIFS 2.2.2.1: SMB_COM_INVALID, reserved as a code that is never valid; "
                  "servers return ERRSRV/ERRbadcmd (STATUS_SMB_BAD_COMMAND)");
GENERIC(IOCTLSEC, "MS-CIFS 2.2.4.36: not implemented; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(NEWSIZE, "MS-CIFS 2.2.4.44: reserved, never defined; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(CLOSETD, "MS-CIFS 2.2.4.45: reserved, never implemented; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(SECPKG, "MS-CIFS 2.2.4.56: obsolete, no layout; servers return STATUS_NOT_IMPLEMENTED");
GENERIC(BULK, "MS-CIFS 2.2.4.71 - 2.2.4.73: reserved, never implemented; servers return "
              "STATUS_NOT_IMPLEMENTED");
#undef ST

#define ST smbw_close_print_file_req
static const smbw_row CPRINT_REQ_W[] = {U16(0, fid, "FID", "smb.fid"),
                                        RAW(2, reserved, 4, "Reserved", NULL)};
static const smbw_form CPRINT_REQ[] = {
    FORM_W(CPRINT_REQ_W, "MS-CIFS 2.2.4.69.1; 3 words as Samba's client sends it", 1, 3)};
#undef ST

#define ST smbw_read_raw_req
static const smbw_row RAWREAD_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    LO32(2, offset, "Offset", "smb.offset"),
    U16(6, max_count, "MaxCountOfBytesToReturn", "smb.maxcount"),
    U16(8, min_count, "MinCountOfBytesToReturn", "smb.mincount"),
    U32(10, timeout, "Timeout", "smb.timeout"),
    U16(14, reserved, "Reserved", NULL),
    HI32(16, offset, "OffsetHigh", NULL)};
static const smbw_form RAWREAD_REQ[] = {FORM_W(RAWREAD_REQ_W, "MS-CIFS 2.2.4.22.1", 8, 10)};
#undef ST

#define ST smbw_read_mpx_req
static const smbw_row MPXREAD_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U32(2, offset, "Offset", "smb.offset"),
    U16(6, max_count, "MaxCountOfBytesToReturn", "smb.maxcount"),
    U16(8, min_count, "MinCountOfBytesToReturn", "smb.mincount"),
    U32(10, timeout, "Timeout", NULL),
    U16(14, reserved, "Reserved", NULL)};
static const smbw_form MPXREAD_REQ[] = {FORM_W(MPXREAD_REQ_W, "MS-CIFS 2.2.4.23.1", 8)};
#undef ST

#define ST smbw_read_mpx_rsp
static const smbw_row MPXREAD_RSP_W[] = {
    U32(0, offset, "Offset", "smb.offset"),
    U16(4, count, "Count", "smb.count"),
    U16(6, remaining, "Remaining", NULL),
    U16(8, data_compaction_mode, "DataCompactionMode", "smb.dcm"),
    U16(10, reserved, "Reserved", NULL),
    LEN16(12, 0, "DataLength", "smb.data_len"),
    DOFF16(14, 0, "DataOffset", "smb.data_offset")};
static const smbw_row MPXREAD_RSP_I[] = {DATA(data, pad, data_offset, "Data", NULL)};
static const smbw_form MPXREAD_RSP[] = {FORM(MPXREAD_RSP_W, MPXREAD_RSP_I, "MS-CIFS 2.2.4.23.2", 8)};
#undef ST

#define ST smbw_write_raw_req
static const smbw_row RAWWRITE_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, count_of_bytes, "CountOfBytes", "smb.total_data_len"),
    U16(4, reserved1, "Reserved1", NULL),
    LO32(6, offset, "Offset", "smb.offset"),
    U32(10, timeout, "Timeout", "smb.timeout"),
    U16(14, write_mode, "WriteMode", "smb.write.mode"),
    U32(16, reserved2, "Reserved2", NULL),
    LEN16(20, 0, "DataLength", "smb.data_len"),
    DOFF16(22, 0, "DataOffset", "smb.data_offset"),
    HI32(24, offset, "OffsetHigh", NULL)};
static const smbw_row RAWWRITE_REQ_I[] = {DATA(data, pad, data_offset, "Data", NULL)};
static const smbw_row RAWWRITE_INTERIM_W[] = {U16(0, available, "Available", NULL)};
static const smbw_form RAWWRITE_REQ[] = {
    FORM(RAWWRITE_REQ_W, RAWWRITE_REQ_I, "MS-CIFS 2.2.4.25.1", 12, 14),
    FORM_W(RAWWRITE_INTERIM_W,
           "MS-CIFS 2.2.4.25.2's interim response as smbd sends it, with the request's "
           "Flags (REPLY clear)",
           1)};
#undef ST

#define ST smbw_write_raw_rsp
static const smbw_row RAWWRITE_RSP_W[] = {U16(0, available, "Available", "smb.remaining")};
static const smbw_form RAWWRITE_RSP[] = {
    FORM_W(RAWWRITE_RSP_W, "MS-CIFS 2.2.4.25.2 (the interim response)", 1)};
#undef ST

#define ST smbw_write_mpx_req
static const smbw_row MPXWRITE_REQ_W[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, total_byte_count, "TotalByteCount", "smb.total_data_len"),
    U16(4, reserved, "Reserved", NULL),
    U32(6, offset, "ByteOffsetToBeginWrite", "smb.offset"),
    U32(10, timeout, "Timeout", "smb.timeout"),
    U16(14, write_mode, "WriteMode", "smb.write.mode"),
    U32(16, request_mask, "RequestMask", "smb.request.mask"),
    LEN16(20, 0, "DataLength", "smb.data_len"),
    DOFF16(22, 0, "DataOffset", "smb.data_offset")};
static const smbw_row MPXWRITE_REQ_I[] = {DATA(data, pad, data_offset, "Buffer", NULL)};
static const smbw_form MPXWRITE_REQ[] = {
    FORM(MPXWRITE_REQ_W, MPXWRITE_REQ_I, "MS-CIFS 2.2.4.26.1", 12)};
#undef ST

#define ST smbw_write_mpx_rsp
static const smbw_row MPXWRITE_RSP_W[] = {U32(0, response_mask, "ResponseMask", "smb.response.mask")};
static const smbw_form MPXWRITE_RSP[] = {FORM_W(MPXWRITE_RSP_W, "MS-CIFS 2.2.4.26.2", 2)};
#undef ST

#define ST smbw_ioctl_req
static const smbw_row IOCTL_REQ_W[] = {
    U16(0, fid, "FID", NULL),
    U16(2, category, "Category", NULL),
    U16(4, function, "Function", NULL),
    U16(6, total_parameter_count, "TotalParameterCount", NULL),
    U16(8, total_data_count, "TotalDataCount", NULL),
    U16(10, max_parameter_count, "MaxParameterCount", NULL),
    U16(12, max_data_count, "MaxDataCount", NULL),
    U32(14, timeout, "Timeout", NULL),
    U16(18, reserved, "Reserved", NULL),
    LEN16(20, 0, "ParameterCount", NULL),
    DOFF16(22, 0, "ParameterOffset", NULL),
    LEN16(24, 1, "DataCount", NULL),
    DOFF16(26, 1, "DataOffset", NULL)};
static const smbw_row IOCTL_REQ_I[] = {DATA(parameters, pad1, parameter_offset, "Parameters", NULL),
                                       DATA(data, pad2, data_offset, "Data", NULL)};
static const smbw_form IOCTL_REQ[] = {
    FORM(IOCTL_REQ_W, IOCTL_REQ_I, "MS-CIFS 2.2.4.35.1; 3 words (FID, Category, Function) as "
                                   "smbtorture sends it",
         14, 3)};
#undef ST

#define ST smbw_ioctl_rsp
static const smbw_row IOCTL_RSP_W[] = {
    U16(0, total_parameter_count, "TotalParameterCount", NULL),
    U16(2, total_data_count, "TotalDataCount", NULL),
    LEN16(4, 0, "ParameterCount", NULL),
    DOFF16(6, 0, "ParameterOffset", NULL),
    U16(8, parameter_displacement, "ParameterDisplacement", NULL),
    LEN16(10, 1, "DataCount", NULL),
    DOFF16(12, 1, "DataOffset", NULL),
    U16(14, data_displacement, "DataDisplacement", NULL)};
static const smbw_row IOCTL_RSP_I[] = {DATA(parameters, pad1, parameter_offset, "Parameters", NULL),
                                       DATA(data, pad2, data_offset, "Data", NULL)};
static const smbw_form IOCTL_RSP[] = {FORM(IOCTL_RSP_W, IOCTL_RSP_I, "MS-CIFS 2.2.4.35.2", 8)};
#undef ST

#define ST smbw_copy_req
static const smbw_row COPY_REQ_W[] = {
    U16(0, tid2, "Tid2", "smb.tid"),
    U16(2, open_function, "OpenFunction", "smb.open.function"),
    U16(4, flags, "Flags", NULL)};
static const smbw_row COPY_REQ_I[] = {BFSTR(0x04, source, "SourceFileName", "smb.file"),
                                      BFSTR(0x04, target, "TargetFileName", "smb.file")};
static const smbw_form COPY_REQ[] = {
    FORM(COPY_REQ_W, COPY_REQ_I,
         "MS-CIFS 2.2.4.37, 2.2.4.38: obsolete, no layout; the CIFS 1.0 draft's", 3)};
#undef ST

#define ST smbw_copy_rsp
static const smbw_row COPY_RSP_W[] = {U16(0, count, "Count", "smb.files_moved")};
static const smbw_row COPY_RSP_I[] = {BFSTR(0x04, error_file, "ErrorFileName", "smb.file")};
static const smbw_form COPY_RSP[] = {
    FORM(COPY_RSP_W, COPY_RSP_I,
         "MS-CIFS 2.2.4.37, 2.2.4.38: obsolete, no layout; the CIFS 1.0 draft's", 1)};
#undef ST

#define ST smbw_find_notify_close_req
static const smbw_row FNCLOSE_REQ_W[] = {U16(0, monitor_handle, "Handle", "smb.monitor_handle")};
static const smbw_form FNCLOSE_REQ[] = {
    FORM_W(FNCLOSE_REQ_W, "MS-CIFS 2.2.4.49: not implemented, no layout; X/Open's", 1)};
#undef ST

#define ST smbw_open_print_file_req
static const smbw_row OPRINT_REQ_W[] = {
    U16(0, setup_length, "SetupLength", "smb.print.setup.len"),
    U16(2, mode, "Mode", "smb.print.mode")};
static const smbw_row OPRINT_REQ_I[] = {
    BFSTR(0x04, identifier, "Identifier", "smb.print.identifier")};
static const smbw_form OPRINT_REQ[] = {FORM(OPRINT_REQ_W, OPRINT_REQ_I, "MS-CIFS 2.2.4.67.1", 2)};
#undef ST

#define ST smbw_write_print_file_req
static const smbw_row WPRINT_REQ_W[] = {U16(0, fid, "FID", "smb.fid")};
static const smbw_row WPRINT_REQ_I[] = {DBLOCK(data, buffer_format, "Data", NULL)};
static const smbw_form WPRINT_REQ[] = {FORM(WPRINT_REQ_W, WPRINT_REQ_I, "MS-CIFS 2.2.4.68.1", 1)};
#undef ST

#define ST smbw_get_print_queue_req
static const smbw_row PQUEUE_REQ_W[] = {
    U16(0, max_count, "MaxCount", "smb.maxcount"),
    U16(2, start_index, "StartIndex", "smb.print.start_index")};
static const smbw_form PQUEUE_REQ[] = {
    FORM_W(PQUEUE_REQ_W, "MS-CIFS 2.2.4.70: obsolete, no layout; the CIFS 1.0 draft's", 2)};
#undef ST

#define ST smbw_get_print_queue_rsp
static const smbw_row PQUEUE_RSP_W[] = {
    U16(0, count, "Count", "smb.count"),
    U16(2, restart_index, "RestartIndex", "smb.print.restart_index")};
static const smbw_row PQUEUE_RSP_I[] = {
    DBLOCKR(entries, buffer_format, PRINT_QUEUE_ENTRY, "QueueEntries", NULL)};
static const smbw_form PQUEUE_RSP[] = {
    FORM(PQUEUE_RSP_W, PQUEUE_RSP_I, "MS-CIFS 2.2.4.70: obsolete, no layout; the CIFS 1.0 draft's",
         2)};
#undef ST

#define ST smbw_send_message_req
static const smbw_row SENDMSG_REQ_I[] = {
    BFSTR(0x04, originator_name, "OriginatorName", "smb.originator_name"),
    BFSTR(0x04, destination_name, "DestinationName", "smb.destination_name"),
    DBLOCK(message, buffer_format, "Message", NULL)};
static const smbw_form SENDMSG_REQ[] = {
    FORM_I(SENDMSG_REQ_I, "MS-MSRP 2.2.3.1.1 (MS-CIFS gives no layout)", 0)};
#undef ST

#define ST smbw_send_start_mb_message_req
static const smbw_row MBSTART_REQ_I[] = {
    BFSTR(0x04, originator_name, "OriginatorName", "smb.originator_name"),
    BFSTR(0x04, destination_name, "DestinationName", "smb.destination_name")};
static const smbw_form MBSTART_REQ[] = {FORM_I(MBSTART_REQ_I, "MS-MSRP 2.2.3.2.1", 0)};
#undef ST

#define ST smbw_mgid_msg
static const smbw_row MGID_W[] = {U16(0, message_group_id, "MessageGroupId", "smb.mgid")};
static const smbw_form MGID[] = {FORM_W(MGID_W, "MS-MSRP 2.2.3.2.2, 2.2.3.4.1", 1)};
#undef ST

#define ST smbw_send_text_mb_message_req
static const smbw_row MBTEXT_REQ_W[] = {U16(0, message_group_id, "MessageGroupId", "smb.mgid")};
static const smbw_row MBTEXT_REQ_I[] = {DBLOCK(message, buffer_format, "Message", NULL)};
static const smbw_form MBTEXT_REQ[] = {FORM(MBTEXT_REQ_W, MBTEXT_REQ_I, "MS-MSRP 2.2.3.3.1", 1)};
#undef ST

#define ST smbw_name_msg
static const smbw_row NAMEMSG_I[] = {BFSTR(0x04, name, "Name", NULL)};
static const smbw_form NAMEMSG[] = {
    FORM_I(NAMEMSG_I, "the SMB core protocol (MS-CIFS gives no layout)", 0)};
#undef ST

#define ST smbw_tree_connect_req
static const smbw_row TCON_REQ_I[] = {BFSTR(0x04, path, "Path", "smb.path"),
                                      BFSTR(0x04, password, "Password", NULL),
                                      BFSTR(0x04, service, "Service", "smb.service")};
static const smbw_form TCON_REQ[] = {FORM_I(TCON_REQ_I, "MS-CIFS 2.2.4.50.1", 0)};
#undef ST

#define ST smbw_tree_connect_rsp
static const smbw_row TCON_RSP_W[] = {
    U16(0, max_buffer_size, "MaxBufferSize", "smb.max_buf"),
    U16(2, tid, "TID", "smb.tid")};
static const smbw_form TCON_RSP[] = {FORM_W(TCON_RSP_W, "MS-CIFS 2.2.4.50.2", 2)};
#undef ST

const smbw_typedesc smbw_types[SMBW_TYPE_COUNT_] = {
    TYPE(OPEN_ANDX_REQ, "SMB_COM_OPEN_ANDX request", OPEN_REQ, OPEN_ANDX, 0, smbw_open_andx_req),
    TYPE(OPEN_ANDX_RSP, "SMB_COM_OPEN_ANDX response", OPEN_RSP, OPEN_ANDX, 1, smbw_open_andx_rsp),
    TYPE(READ_ANDX_REQ, "SMB_COM_READ_ANDX request", READ_REQ, READ_ANDX, 0, smbw_read_andx_req),
    TYPE(READ_ANDX_RSP, "SMB_COM_READ_ANDX response", READ_RSP, READ_ANDX, 1, smbw_read_andx_rsp),
    TYPE(TREE_CONNECT_ANDX_REQ, "SMB_COM_TREE_CONNECT_ANDX request", TC_REQ, TREE_CONNECT_ANDX,
         0, smbw_tree_connect_andx_req),
    TYPE(TREE_CONNECT_ANDX_RSP, "SMB_COM_TREE_CONNECT_ANDX response", TC_RSP, TREE_CONNECT_ANDX,
         1, smbw_tree_connect_andx_rsp),
    TYPE(SESSION_SETUP_ANDX_REQ, "SMB_COM_SESSION_SETUP_ANDX request", SS_REQ,
         SESSION_SETUP_ANDX, 0, smbw_session_setup_andx_req),
    TYPE(SESSION_SETUP_ANDX_RSP, "SMB_COM_SESSION_SETUP_ANDX response", SS_RSP,
         SESSION_SETUP_ANDX, 1, smbw_session_setup_andx_rsp),
    TYPE(CLOSE_REQ, "SMB_COM_CLOSE request", CLOSE_REQ, CLOSE, 0, smbw_close_req),
    TYPE(CLOSE_RSP, "SMB_COM_CLOSE response", EMPTY, CLOSE, 1, smbw_empty),
    TYPE(FLUSH_REQ, "SMB_COM_FLUSH request", FLUSH_REQ, FLUSH, 0, smbw_flush_req),
    TYPE(FLUSH_RSP, "SMB_COM_FLUSH response", EMPTY, FLUSH, 1, smbw_empty),
    TYPE(ECHO_REQ, "SMB_COM_ECHO request", ECHO_REQ, ECHO, 0, smbw_echo_req),
    TYPE(ECHO_RSP, "SMB_COM_ECHO response", ECHO_RSP, ECHO, 1, smbw_echo_rsp),
    TYPE(LOGOFF_ANDX_REQ, "SMB_COM_LOGOFF_ANDX request", ANDX_ONLY, LOGOFF_ANDX, 0,
         smbw_logoff_andx_req),
    TYPE(LOGOFF_ANDX_RSP, "SMB_COM_LOGOFF_ANDX response", ANDX_ONLY, LOGOFF_ANDX, 1,
         smbw_logoff_andx_rsp),
    TYPE(TREE_DISCONNECT_REQ, "SMB_COM_TREE_DISCONNECT request", EMPTY, TREE_DISCONNECT, 0,
         smbw_empty),
    TYPE(TREE_DISCONNECT_RSP, "SMB_COM_TREE_DISCONNECT response", EMPTY, TREE_DISCONNECT, 1,
         smbw_empty),
    TYPE(FIND_CLOSE2_REQ, "SMB_COM_FIND_CLOSE2 request", FCLOSE2_REQ, FIND_CLOSE2, 0,
         smbw_find_close2_req),
    TYPE(FIND_CLOSE2_RSP, "SMB_COM_FIND_CLOSE2 response", EMPTY, FIND_CLOSE2, 1, smbw_empty),
    TYPE(NT_CANCEL_REQ, "SMB_COM_NT_CANCEL request", EMPTY, NT_CANCEL, 0, smbw_empty),
    TYPE(NT_CANCEL_RSP, "SMB_COM_NT_CANCEL response (none is sent)", EMPTY, NT_CANCEL, 1,
         smbw_empty),
    TYPE(NT_RENAME_REQ, "SMB_COM_NT_RENAME request", NTREN_REQ, NT_RENAME, 0, smbw_nt_rename_req),
    TYPE(NT_RENAME_RSP, "SMB_COM_NT_RENAME response", EMPTY, NT_RENAME, 1, smbw_empty),
    TYPE(DELETE_REQ, "SMB_COM_DELETE request", DELETE_REQ, DELETE, 0, smbw_delete_req),
    TYPE(DELETE_RSP, "SMB_COM_DELETE response", EMPTY, DELETE, 1, smbw_empty),
    TYPE(RENAME_REQ, "SMB_COM_RENAME request", RENAME_REQ, RENAME, 0, smbw_rename_req),
    TYPE(RENAME_RSP, "SMB_COM_RENAME response", EMPTY, RENAME, 1, smbw_empty),
    TYPE(CREATE_DIRECTORY_REQ, "SMB_COM_CREATE_DIRECTORY request", DIRF, CREATE_DIRECTORY, 0,
         smbw_path_req),
    TYPE(CREATE_DIRECTORY_RSP, "SMB_COM_CREATE_DIRECTORY response", EMPTY, CREATE_DIRECTORY, 1,
         smbw_empty),
    TYPE(DELETE_DIRECTORY_REQ, "SMB_COM_DELETE_DIRECTORY request", DIRF, DELETE_DIRECTORY, 0,
         smbw_path_req),
    TYPE(DELETE_DIRECTORY_RSP, "SMB_COM_DELETE_DIRECTORY response", EMPTY, DELETE_DIRECTORY, 1,
         smbw_empty),
    TYPE(CHECK_DIRECTORY_REQ, "SMB_COM_CHECK_DIRECTORY request", DIRF, CHECK_DIRECTORY, 0,
         smbw_path_req),
    TYPE(CHECK_DIRECTORY_RSP, "SMB_COM_CHECK_DIRECTORY response", EMPTY, CHECK_DIRECTORY, 1,
         smbw_empty),
    TYPE(QUERY_INFORMATION_REQ, "SMB_COM_QUERY_INFORMATION request", PATH, QUERY_INFORMATION, 0,
         smbw_path_req),
    TYPE(QUERY_INFORMATION_RSP, "SMB_COM_QUERY_INFORMATION response", QINFO_RSP,
         QUERY_INFORMATION, 1, smbw_query_information_rsp),
    TYPE(SET_INFORMATION_REQ, "SMB_COM_SET_INFORMATION request", SINFO_REQ, SET_INFORMATION, 0,
         smbw_set_information_req),
    TYPE(SET_INFORMATION_RSP, "SMB_COM_SET_INFORMATION response", EMPTY, SET_INFORMATION, 1,
         smbw_empty),
    TYPE(QUERY_INFORMATION2_REQ, "SMB_COM_QUERY_INFORMATION2 request", QINFO2_REQ,
         QUERY_INFORMATION2, 0, smbw_query_information2_req),
    TYPE(QUERY_INFORMATION2_RSP, "SMB_COM_QUERY_INFORMATION2 response", QINFO2_RSP,
         QUERY_INFORMATION2, 1, smbw_query_information2_rsp),
    TYPE(SET_INFORMATION2_REQ, "SMB_COM_SET_INFORMATION2 request", SINFO2_REQ, SET_INFORMATION2,
         0, smbw_set_information2_req),
    TYPE(SET_INFORMATION2_RSP, "SMB_COM_SET_INFORMATION2 response", EMPTY, SET_INFORMATION2, 1,
         smbw_empty),
    TYPE(SEEK_REQ, "SMB_COM_SEEK request", SEEK_REQ, SEEK, 0, smbw_seek_req),
    TYPE(SEEK_RSP, "SMB_COM_SEEK response", SEEK_RSP, SEEK, 1, smbw_seek_rsp),
    TYPE(QUERY_INFORMATION_DISK_REQ, "SMB_COM_QUERY_INFORMATION_DISK request", EMPTY,
         QUERY_INFORMATION_DISK, 0, smbw_empty),
    TYPE(QUERY_INFORMATION_DISK_RSP, "SMB_COM_QUERY_INFORMATION_DISK response", QDISK_RSP,
         QUERY_INFORMATION_DISK, 1, smbw_query_information_disk_rsp),
    TYPE(PROCESS_EXIT_REQ, "SMB_COM_PROCESS_EXIT request", EMPTY, PROCESS_EXIT, 0, smbw_empty),
    TYPE(PROCESS_EXIT_RSP, "SMB_COM_PROCESS_EXIT response", EMPTY, PROCESS_EXIT, 1, smbw_empty),
    TYPE(WRITE_ANDX_REQ, "SMB_COM_WRITE_ANDX request", WRITE_REQ, WRITE_ANDX, 0,
         smbw_write_andx_req),
    TYPE(WRITE_ANDX_RSP, "SMB_COM_WRITE_ANDX response", WRITE_RSP, WRITE_ANDX, 1,
         smbw_write_andx_rsp),
    TYPE(LOCKING_ANDX_REQ, "SMB_COM_LOCKING_ANDX request", LOCK_REQ, LOCKING_ANDX, 0,
         smbw_locking_andx_req),
    TYPE(LOCKING_ANDX_RSP, "SMB_COM_LOCKING_ANDX response", ANDX_ONLY, LOCKING_ANDX, 1,
         smbw_locking_andx_rsp),
    TYPE(NT_CREATE_ANDX_REQ, "SMB_COM_NT_CREATE_ANDX request", NTC_REQ, NT_CREATE_ANDX, 0,
         smbw_nt_create_andx_req),
    [SMBW_TYPE_NT_CREATE_ANDX_RSP] = {"SMB_COM_NT_CREATE_ANDX response", NTC_RSP, N(NTC_RSP),
                                      SMBW_COM_NT_CREATE_ANDX, 1, 1,
                                      sizeof(smbw_nt_create_andx_rsp),
                                      sizeof(smbw_nt_create_andx_rsp),
                                      offsetof(smbw_nt_create_andx_rsp, wct),
                                      offsetof(smbw_nt_create_andx_rsp, extra),
                                      offsetof(smbw_nt_create_andx_rsp, nwords)},
    TYPE(OPEN_REQ, "SMB_COM_OPEN request", OPEN0_REQ, OPEN, 0, smbw_open_req),
    TYPE(OPEN_RSP, "SMB_COM_OPEN response", OPEN0_RSP, OPEN, 1, smbw_open_rsp),
    TYPE(CREATE_REQ, "SMB_COM_CREATE request", CREATE_REQ, CREATE, 0, smbw_create_req),
    TYPE(CREATE_RSP, "SMB_COM_CREATE response", FID_RSP, CREATE, 1, smbw_fid_rsp),
    TYPE(CREATE_NEW_REQ, "SMB_COM_CREATE_NEW request", CREATE_REQ, CREATE_NEW, 0, smbw_create_req),
    TYPE(CREATE_NEW_RSP, "SMB_COM_CREATE_NEW response", FID_RSP, CREATE_NEW, 1, smbw_fid_rsp),
    TYPE(READ_REQ, "SMB_COM_READ request", READ0_REQ, READ, 0, smbw_read_req),
    TYPE(READ_RSP, "SMB_COM_READ response", READ0_RSP, READ, 1, smbw_read_rsp),
    TYPE(LOCK_AND_READ_REQ, "SMB_COM_LOCK_AND_READ request", READ0_REQ, LOCK_AND_READ, 0,
         smbw_read_req),
    TYPE(LOCK_AND_READ_RSP, "SMB_COM_LOCK_AND_READ response", READ0_RSP, LOCK_AND_READ, 1,
         smbw_read_rsp),
    TYPE(WRITE_REQ, "SMB_COM_WRITE request", WRITE0_REQ, WRITE, 0, smbw_write_req),
    TYPE(WRITE_RSP, "SMB_COM_WRITE response", WRITE0_RSP, WRITE, 1, smbw_write_rsp),
    TYPE(WRITE_AND_UNLOCK_REQ, "SMB_COM_WRITE_AND_UNLOCK request", WRITE0_REQ, WRITE_AND_UNLOCK,
         0, smbw_write_req),
    TYPE(WRITE_AND_UNLOCK_RSP, "SMB_COM_WRITE_AND_UNLOCK response", WRITE0_RSP, WRITE_AND_UNLOCK,
         1, smbw_write_rsp),
    TYPE(LOCK_BYTE_RANGE_REQ, "SMB_COM_LOCK_BYTE_RANGE request", RANGE_REQ, LOCK_BYTE_RANGE, 0,
         smbw_byte_range_req),
    TYPE(LOCK_BYTE_RANGE_RSP, "SMB_COM_LOCK_BYTE_RANGE response", EMPTY, LOCK_BYTE_RANGE, 1,
         smbw_empty),
    TYPE(UNLOCK_BYTE_RANGE_REQ, "SMB_COM_UNLOCK_BYTE_RANGE request", RANGE_REQ, UNLOCK_BYTE_RANGE,
         0, smbw_byte_range_req),
    TYPE(UNLOCK_BYTE_RANGE_RSP, "SMB_COM_UNLOCK_BYTE_RANGE response", EMPTY, UNLOCK_BYTE_RANGE, 1,
         smbw_empty),
    TYPE(WRITE_AND_CLOSE_REQ, "SMB_COM_WRITE_AND_CLOSE request", WCLOSE_REQ, WRITE_AND_CLOSE, 0,
         smbw_write_and_close_req),
    TYPE(WRITE_AND_CLOSE_RSP, "SMB_COM_WRITE_AND_CLOSE response", WRITE0_RSP, WRITE_AND_CLOSE, 1,
         smbw_write_rsp),
    TYPE(TREE_CONNECT_REQ, "SMB_COM_TREE_CONNECT request", TCON_REQ, TREE_CONNECT, 0,
         smbw_tree_connect_req),
    TYPE(TREE_CONNECT_RSP, "SMB_COM_TREE_CONNECT response", TCON_RSP, TREE_CONNECT, 1,
         smbw_tree_connect_rsp),
    TYPE(CREATE_TEMPORARY_REQ, "SMB_COM_CREATE_TEMPORARY request", CTEMP_REQ, CREATE_TEMPORARY, 0,
         smbw_create_temporary_req),
    TYPE(CREATE_TEMPORARY_RSP, "SMB_COM_CREATE_TEMPORARY response", CTEMP_RSP, CREATE_TEMPORARY,
         1, smbw_create_temporary_rsp),
    TYPE(SEARCH_REQ, "SMB_COM_SEARCH request", SEARCH_REQ, SEARCH, 0, smbw_search_req),
    TYPE(SEARCH_RSP, "SMB_COM_SEARCH response", SEARCH_RSP, SEARCH, 1, smbw_search_rsp),
    TYPE(FIND_REQ, "SMB_COM_FIND request", SEARCH_REQ, FIND, 0, smbw_search_req),
    TYPE(FIND_RSP, "SMB_COM_FIND response", SEARCH_RSP, FIND, 1, smbw_search_rsp),
    TYPE(FIND_UNIQUE_REQ, "SMB_COM_FIND_UNIQUE request", SEARCH_REQ, FIND_UNIQUE, 0,
         smbw_search_req),
    TYPE(FIND_UNIQUE_RSP, "SMB_COM_FIND_UNIQUE response", SEARCH_RSP, FIND_UNIQUE, 1,
         smbw_search_rsp),
    TYPE(FIND_CLOSE_REQ, "SMB_COM_FIND_CLOSE request", SEARCH_REQ, FIND_CLOSE, 0, smbw_search_req),
    TYPE(FIND_CLOSE_RSP, "SMB_COM_FIND_CLOSE response", SEARCH_RSP, FIND_CLOSE, 1,
         smbw_search_rsp),
    TYPE(READ_RAW_REQ, "SMB_COM_READ_RAW request", RAWREAD_REQ, READ_RAW, 0, smbw_read_raw_req),
    TYPE(READ_RAW_RSP, "SMB_COM_READ_RAW response", RAWREAD_RSP, READ_RAW, 1, smbw_generic),
    TYPE(READ_MPX_REQ, "SMB_COM_READ_MPX request", MPXREAD_REQ, READ_MPX, 0, smbw_read_mpx_req),
    TYPE(READ_MPX_RSP, "SMB_COM_READ_MPX response", MPXREAD_RSP, READ_MPX, 1, smbw_read_mpx_rsp),
    TYPE(READ_MPX_SECONDARY_REQ, "SMB_COM_READ_MPX_SECONDARY request", MPXSEC,
         READ_MPX_SECONDARY, 0, smbw_generic),
    TYPE(READ_MPX_SECONDARY_RSP, "SMB_COM_READ_MPX_SECONDARY response", MPXSEC,
         READ_MPX_SECONDARY, 1, smbw_generic),
    TYPE(WRITE_RAW_REQ, "SMB_COM_WRITE_RAW request", RAWWRITE_REQ,
         WRITE_RAW, 0, smbw_write_raw_req),
    TYPE(WRITE_RAW_RSP, "SMB_COM_WRITE_RAW response", RAWWRITE_RSP,
         WRITE_RAW, 1, smbw_write_raw_rsp),
    TYPE(WRITE_MPX_REQ, "SMB_COM_WRITE_MPX request", MPXWRITE_REQ,
         WRITE_MPX, 0, smbw_write_mpx_req),
    TYPE(WRITE_MPX_RSP, "SMB_COM_WRITE_MPX response", MPXWRITE_RSP,
         WRITE_MPX, 1, smbw_write_mpx_rsp),
    TYPE(WRITE_MPX_SECONDARY_REQ, "SMB_COM_WRITE_MPX_SECONDARY request", MPXSEC,
         WRITE_MPX_SECONDARY, 0, smbw_generic),
    TYPE(WRITE_MPX_SECONDARY_RSP, "SMB_COM_WRITE_MPX_SECONDARY response", MPXSEC,
         WRITE_MPX_SECONDARY, 1, smbw_generic),
    TYPE(WRITE_COMPLETE_REQ, "SMB_COM_WRITE_COMPLETE request", WCOMPLETE_REQ,
         WRITE_COMPLETE, 0, smbw_generic),
    TYPE(WRITE_COMPLETE_RSP, "SMB_COM_WRITE_COMPLETE response", WRITE0_RSP,
         WRITE_COMPLETE, 1, smbw_write_rsp),
    TYPE(QUERY_SERVER_REQ, "SMB_COM_QUERY_SERVER request", QSERVER, QUERY_SERVER, 0, smbw_generic),
    TYPE(QUERY_SERVER_RSP, "SMB_COM_QUERY_SERVER response", QSERVER, QUERY_SERVER, 1, smbw_generic),
    TYPE(IOCTL_REQ, "SMB_COM_IOCTL request", IOCTL_REQ, IOCTL, 0, smbw_ioctl_req),
    TYPE(IOCTL_RSP, "SMB_COM_IOCTL response", IOCTL_RSP, IOCTL, 1, smbw_ioctl_rsp),
    TYPE(IOCTL_SECONDARY_REQ, "SMB_COM_IOCTL_SECONDARY request", IOCTLSEC,
         IOCTL_SECONDARY, 0, smbw_generic),
    TYPE(IOCTL_SECONDARY_RSP, "SMB_COM_IOCTL_SECONDARY response", IOCTLSEC,
         IOCTL_SECONDARY, 1, smbw_generic),
    TYPE(COPY_REQ, "SMB_COM_COPY request", COPY_REQ, COPY, 0, smbw_copy_req),
    TYPE(COPY_RSP, "SMB_COM_COPY response", COPY_RSP, COPY, 1, smbw_copy_rsp),
    TYPE(MOVE_REQ, "SMB_COM_MOVE request", COPY_REQ, MOVE, 0, smbw_copy_req),
    TYPE(MOVE_RSP, "SMB_COM_MOVE response", COPY_RSP, MOVE, 1, smbw_copy_rsp),
    TYPE(NEW_FILE_SIZE_REQ, "SMB_COM_NEW_FILE_SIZE request", NEWSIZE,
         NEW_FILE_SIZE, 0, smbw_generic),
    TYPE(NEW_FILE_SIZE_RSP, "SMB_COM_NEW_FILE_SIZE response", NEWSIZE,
         NEW_FILE_SIZE, 1, smbw_generic),
    TYPE(CLOSE_AND_TREE_DISC_REQ, "SMB_COM_CLOSE_AND_TREE_DISC request", CLOSETD,
         CLOSE_AND_TREE_DISC, 0, smbw_generic),
    TYPE(CLOSE_AND_TREE_DISC_RSP, "SMB_COM_CLOSE_AND_TREE_DISC response", CLOSETD,
         CLOSE_AND_TREE_DISC, 1, smbw_generic),
    TYPE(FIND_NOTIFY_CLOSE_REQ, "SMB_COM_FIND_NOTIFY_CLOSE request", FNCLOSE_REQ,
         FIND_NOTIFY_CLOSE, 0, smbw_find_notify_close_req),
    TYPE(FIND_NOTIFY_CLOSE_RSP, "SMB_COM_FIND_NOTIFY_CLOSE response", EMPTY,
         FIND_NOTIFY_CLOSE, 1, smbw_empty),
    TYPE(SECURITY_PACKAGE_ANDX_REQ, "SMB_COM_SECURITY_PACKAGE_ANDX request", SECPKG,
         SECURITY_PACKAGE_ANDX, 0, smbw_generic),
    TYPE(SECURITY_PACKAGE_ANDX_RSP, "SMB_COM_SECURITY_PACKAGE_ANDX response", SECPKG,
         SECURITY_PACKAGE_ANDX, 1, smbw_generic),
    TYPE(OPEN_PRINT_FILE_REQ, "SMB_COM_OPEN_PRINT_FILE request", OPRINT_REQ,
         OPEN_PRINT_FILE, 0, smbw_open_print_file_req),
    TYPE(OPEN_PRINT_FILE_RSP, "SMB_COM_OPEN_PRINT_FILE response", FID_RSP,
         OPEN_PRINT_FILE, 1, smbw_fid_rsp),
    TYPE(WRITE_PRINT_FILE_REQ, "SMB_COM_WRITE_PRINT_FILE request", WPRINT_REQ,
         WRITE_PRINT_FILE, 0, smbw_write_print_file_req),
    TYPE(WRITE_PRINT_FILE_RSP, "SMB_COM_WRITE_PRINT_FILE response", EMPTY,
         WRITE_PRINT_FILE, 1, smbw_empty),
    TYPE(CLOSE_PRINT_FILE_REQ, "SMB_COM_CLOSE_PRINT_FILE request", CPRINT_REQ,
         CLOSE_PRINT_FILE, 0, smbw_close_print_file_req),
    TYPE(CLOSE_PRINT_FILE_RSP, "SMB_COM_CLOSE_PRINT_FILE response", EMPTY,
         CLOSE_PRINT_FILE, 1, smbw_empty),
    TYPE(GET_PRINT_QUEUE_REQ, "SMB_COM_GET_PRINT_QUEUE request", PQUEUE_REQ,
         GET_PRINT_QUEUE, 0, smbw_get_print_queue_req),
    TYPE(GET_PRINT_QUEUE_RSP, "SMB_COM_GET_PRINT_QUEUE response", PQUEUE_RSP,
         GET_PRINT_QUEUE, 1, smbw_get_print_queue_rsp),
    TYPE(READ_BULK_REQ, "SMB_COM_READ_BULK request", BULK, READ_BULK, 0, smbw_generic),
    TYPE(READ_BULK_RSP, "SMB_COM_READ_BULK response", BULK, READ_BULK, 1, smbw_generic),
    TYPE(WRITE_BULK_REQ, "SMB_COM_WRITE_BULK request", BULK, WRITE_BULK, 0, smbw_generic),
    TYPE(WRITE_BULK_RSP, "SMB_COM_WRITE_BULK response", BULK, WRITE_BULK, 1, smbw_generic),
    TYPE(WRITE_BULK_DATA_REQ, "SMB_COM_WRITE_BULK_DATA request", BULK,
         WRITE_BULK_DATA, 0, smbw_generic),
    TYPE(WRITE_BULK_DATA_RSP, "SMB_COM_WRITE_BULK_DATA response", BULK,
         WRITE_BULK_DATA, 1, smbw_generic),
    TYPE(SEND_MESSAGE_REQ, "SMB_COM_SEND_MESSAGE request", SENDMSG_REQ,
         SEND_MESSAGE, 0, smbw_send_message_req),
    TYPE(SEND_MESSAGE_RSP, "SMB_COM_SEND_MESSAGE response", EMPTY, SEND_MESSAGE, 1, smbw_empty),
    TYPE(SEND_BROADCAST_MESSAGE_REQ, "SMB_COM_SEND_BROADCAST_MESSAGE request", SENDMSG_REQ,
         SEND_BROADCAST_MESSAGE, 0, smbw_send_message_req),
    TYPE(SEND_BROADCAST_MESSAGE_RSP, "SMB_COM_SEND_BROADCAST_MESSAGE response", EMPTY,
         SEND_BROADCAST_MESSAGE, 1, smbw_empty),
    TYPE(FORWARD_USER_NAME_REQ, "SMB_COM_FORWARD_USER_NAME request", NAMEMSG,
         FORWARD_USER_NAME, 0, smbw_name_msg),
    TYPE(FORWARD_USER_NAME_RSP, "SMB_COM_FORWARD_USER_NAME response", EMPTY,
         FORWARD_USER_NAME, 1, smbw_empty),
    TYPE(CANCEL_FORWARD_REQ, "SMB_COM_CANCEL_FORWARD request", NAMEMSG,
         CANCEL_FORWARD, 0, smbw_name_msg),
    TYPE(CANCEL_FORWARD_RSP, "SMB_COM_CANCEL_FORWARD response", EMPTY,
         CANCEL_FORWARD, 1, smbw_empty),
    TYPE(GET_MACHINE_NAME_REQ, "SMB_COM_GET_MACHINE_NAME request", EMPTY,
         GET_MACHINE_NAME, 0, smbw_empty),
    TYPE(GET_MACHINE_NAME_RSP, "SMB_COM_GET_MACHINE_NAME response", NAMEMSG,
         GET_MACHINE_NAME, 1, smbw_name_msg),
    TYPE(SEND_START_MB_MESSAGE_REQ, "SMB_COM_SEND_START_MB_MESSAGE request", MBSTART_REQ,
         SEND_START_MB_MESSAGE, 0, smbw_send_start_mb_message_req),
    TYPE(SEND_START_MB_MESSAGE_RSP, "SMB_COM_SEND_START_MB_MESSAGE response", MGID,
         SEND_START_MB_MESSAGE, 1, smbw_mgid_msg),
    TYPE(SEND_END_MB_MESSAGE_REQ, "SMB_COM_SEND_END_MB_MESSAGE request", MGID,
         SEND_END_MB_MESSAGE, 0, smbw_mgid_msg),
    TYPE(SEND_END_MB_MESSAGE_RSP, "SMB_COM_SEND_END_MB_MESSAGE response", EMPTY,
         SEND_END_MB_MESSAGE, 1, smbw_empty),
    TYPE(SEND_TEXT_MB_MESSAGE_REQ, "SMB_COM_SEND_TEXT_MB_MESSAGE request", MBTEXT_REQ,
         SEND_TEXT_MB_MESSAGE, 0, smbw_send_text_mb_message_req),
    TYPE(SEND_TEXT_MB_MESSAGE_RSP, "SMB_COM_SEND_TEXT_MB_MESSAGE response", EMPTY,
         SEND_TEXT_MB_MESSAGE, 1, smbw_empty),
    TYPE(INVALID_REQ, "SMB_COM_INVALID request", INVALIDF, INVALID, 0, smbw_generic),
    TYPE(INVALID_RSP, "SMB_COM_INVALID response", INVALIDF, INVALID, 1, smbw_generic),
};

/* Every struct fits the engine's staging buffer. */
#define SMBW_X_FITS(id, name, cmd, reply)                                                   \
  _Static_assert(sizeof(smbw_##name) <= SMBW_TYPE_MAX_SIZE, "smbw_" #name " fits staging");
SMBW_TYPE_LIST(SMBW_X_FITS)
#undef SMBW_X_FITS

/* ---- records (SMBW_RECORD_LIST): rows at offsets inside the record ---- */

#define ST smbw_search_entry
static const smbw_row SEARCH_ENTRY_R[] = {
    RAW(0, resume_key, 21, "ResumeKey", NULL),
    U8(21, file_attributes, "FileAttributes", "smb.file_attribute"),
    U16(22, last_write_time, "LastWriteTime", "smb.last_write.smb.time"),
    U16(24, last_write_date, "LastWriteDate", "smb.last_write.smb.date"),
    U32(26, file_size, "FileSize", "smb.file_size"),
    RAW(30, file_name, 13, "FileName", NULL)};
#undef ST

#define ST smbw_print_queue_entry
static const smbw_row PRINT_QUEUE_ENTRY_R[] = {
    U16(0, file_date, "FileDate", "smb.print.queued.smb.date"),
    U16(2, file_time, "FileTime", "smb.print.queued.smb.time"),
    U8(4, status, "Status", "smb.print.status"),
    U16(5, spool_file_number, "SpoolFileNumber", "smb.print.spool.file_number"),
    U32(7, spool_file_size, "SpoolFileSize", "smb.print.spool.file_size"),
    U8(11, reserved, "Reserved", NULL),
    RAW(12, spool_file_name, 16, "SpoolFileName", NULL)};
#undef ST

/* ---- TRANSACTION2 information levels and parameter blocks (info.h) ---- */

/* the byte length (u32, or u8) of the name at row `row` of the record */
#define LEN32(o, row, n, ws) ROW(W_LEN32, o, NOM, NOM, NOM, row, 0, n, ws, NULL)
#define LEN8R(o, row, n, ws) ROW(W_LEN8, o, NOM, NOM, NOM, row, 0, n, ws, NULL)
/* the name after the fixed part, of that length */
#define LSTR(m, n, ws) ROW(I_LSTR, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, 0, n, ws, #m)
/* a NUL-terminated name to the end of the area */
#define STRZ(m, n, ws) ROW(I_STRZ, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, 0, n, ws, #m)

#define ST smbw_fs_info_allocation
static const smbw_row FS_INFO_ALLOCATION_R[] = {
    U32(0, file_system_id, "idFileSystem", "smb.fs_id"),
    U32(4, sectors_per_unit, "cSectorUnit", "smb.sector_unit"),
    U32(8, units, "cUnit", "smb.fs_units"),
    U32(12, units_available, "cUnitAvailable", "smb.avail.units"),
    U16(16, bytes_per_sector, "cbSector", "smb.fs_sector")};
#undef ST

#define ST smbw_fs_info_volume
static const smbw_row FS_INFO_VOLUME_R[] = {
    U32(0, serial_number, "ulVolSerialNbr", "smb.volume.serial"),
    LEN8R(4, 2, "cCharCount", "smb.volume.label.len"),
    LSTR(label, "VolumeLabel", "smb.volume.label")};
#undef ST

#define ST smbw_fs_volume_info
static const smbw_row FS_VOLUME_INFO_R[] = {
    U64(0, creation_time, "VolumeCreationTime", "smb.create.time"),
    U32(8, serial_number, "SerialNumber", "smb.volume.serial"),
    LEN32(12, 5, "VolumeLabelSize", "smb.volume.label.len"),
    U8(16, supports_objects, "SupportsObjects", NULL),
    U8(17, reserved, "Reserved", NULL),
    LSTR(label, "VolumeLabel", "smb.volume.label")};
#undef ST

#define ST smbw_fs_label_info
static const smbw_row FS_LABEL_INFO_R[] = {
    LEN32(0, 1, "VolumeLabelLength", "smb.volume.label.len"),
    LSTR(label, "VolumeLabel", "smb.volume.label")};
#undef ST

#define ST smbw_fs_size_info
static const smbw_row FS_SIZE_INFO_R[] = {
    U64(0, total_allocation_units, "TotalAllocationUnits", "smb.alloc_size"),
    U64(8, available_allocation_units, "TotalFreeAllocationUnits", "smb.free_alloc_units"),
    U32(16, sectors_per_allocation_unit, "SectorsPerAllocationUnit", "smb.sector_unit"),
    U32(20, bytes_per_sector, "BytesPerSector", "smb.fs_sector")};
#undef ST

#define ST smbw_fs_device_info
static const smbw_row FS_DEVICE_INFO_R[] = {
    U32(0, device_type, "DeviceType", "smb.device.type"),
    U32(4, device_characteristics, "Characteristics", "smb.device.characteristics")};
#undef ST

#define ST smbw_fs_attribute_info
static const smbw_row FS_ATTRIBUTE_INFO_R[] = {
    U32(0, file_system_attributes, "FileSystemAttributes", "smb.fs_attr"),
    U32(4, max_component_name_length, "MaxFileNameLengthInBytes", "smb.fs_max_name_len"),
    LEN32(8, 3, "LengthOfFileSystemName", "smb.fs_name.len"),
    LSTR(file_system_name, "FileSystemName", "smb.fs_name")};
#undef ST

#define ST smbw_fs_control_info
static const smbw_row FS_CONTROL_INFO_R[] = {
    U64(0, free_space_start_filtering, "FreeSpaceStartFiltering", NULL),
    U64(8, free_space_threshold, "FreeSpaceThreshold", NULL),
    U64(16, free_space_stop_filtering, "FreeSpaceStopFiltering", NULL),
    U64(24, default_quota_threshold, "DefaultQuotaThreshold", NULL),
    U64(32, default_quota_limit, "DefaultQuotaLimit", NULL),
    U32(40, file_system_control_flags, "FileSystemControlFlags", NULL),
    U32(44, padding, "Padding", NULL)};
#undef ST

#define ST smbw_fs_full_size_info
static const smbw_row FS_FULL_SIZE_INFO_R[] = {
    U64(0, total_allocation_units, "TotalAllocationUnits", "smb.alloc_size"),
    U64(8, caller_available_allocation_units, "CallerAvailableAllocationUnits", "smb.caller_free_alloc_units"),
    U64(16, actual_available_allocation_units, "ActualAvailableAllocationUnits", "smb.actual_free_alloc_units"),
    U32(24, sectors_per_allocation_unit, "SectorsPerAllocationUnit", "smb.sector_unit"),
    U32(28, bytes_per_sector, "BytesPerSector", "smb.fs_sector")};
#undef ST

#define ST smbw_fs_objectid_info
static const smbw_row FS_OBJECTID_INFO_R[] = {
    RAW(0, object_id, 16, "ObjectId", NULL),
    RAW(16, extended_info, 48, "ExtendedInfo", NULL)};
#undef ST

#define ST smbw_fs_sector_size_info
static const smbw_row FS_SECTOR_SIZE_INFO_R[] = {
    U32(0, logical_bytes_per_sector, "LogicalBytesPerSector", NULL),
    U32(4, physical_bytes_per_sector_for_atomicity, "PhysicalBytesPerSectorForAtomicity", NULL),
    U32(8, physical_bytes_per_sector_for_performance, "PhysicalBytesPerSectorForPerformance", NULL),
    U32(12, fs_effective_physical_bytes_per_sector_for_atomicity,
        "FileSystemEffectivePhysicalBytesPerSectorForAtomicity", NULL),
    U32(16, flags, "Flags", NULL),
    U32(20, byte_offset_for_sector_alignment, "ByteOffsetForSectorAlignment", NULL),
    U32(24, byte_offset_for_partition_alignment, "ByteOffsetForPartitionAlignment", NULL)};
#undef ST

#define ST smbw_info_standard
#define INFO_STANDARD_ROWS                                                             \
  U16(0, creation_date, "CreationDate", NULL), U16(2, creation_time, "CreationTime", NULL), \
      U16(4, last_access_date, "LastAccessDate", NULL),                                \
      U16(6, last_access_time, "LastAccessTime", NULL),                                \
      U16(8, last_write_date, "LastWriteDate", NULL),                                  \
      U16(10, last_write_time, "LastWriteTime", NULL),                                 \
      U32(12, file_data_size, "FileDataSize", "smb.data_size"),                        \
      U32(16, allocation_size, "AllocationSize", "smb.alloc_size"),                    \
      U16(20, attributes, "Attributes", "smb.file_attribute")
static const smbw_row INFO_STANDARD_R[] = {INFO_STANDARD_ROWS};
static const smbw_row INFO_QUERY_EA_SIZE_R[] = {INFO_STANDARD_ROWS,
                                                U32(22, ea_size, "EaSize", "smb.ea_size")};
#undef INFO_STANDARD_ROWS
#undef ST

#define ST smbw_set_info_standard
static const smbw_row SET_INFO_STANDARD_R[] = {
    U16(0, creation_date, "CreationDate", NULL), U16(2, creation_time, "CreationTime", NULL),
    U16(4, last_access_date, "LastAccessDate", NULL),
    U16(6, last_access_time, "LastAccessTime", NULL),
    U16(8, last_write_date, "LastWriteDate", NULL),
    U16(10, last_write_time, "LastWriteTime", NULL), REST(reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_info_ea_list
static const smbw_row INFO_EA_LIST_R[] = {
    U32(0, size_of_list, "SizeOfListInBytes", "smb.size_of_list"),
    REST(entries, "FEAList", NULL)};
#undef ST

#define ST smbw_file_full_ea_info
static const smbw_row FILE_FULL_EA_INFO_R[] = {REST(entries, "FileFullEaInformation", NULL)};
#undef ST

#define ST smbw_file_basic_info
#define BASIC_ROWS                                                                  \
  U64(0, creation_time, "CreationTime", "smb.create.time"),                         \
      U64(8, last_access_time, "LastAccessTime", "smb.access.time"),                \
      U64(16, last_write_time, "LastWriteTime", "smb.last_write.time"),             \
      U64(24, change_time, "ChangeTime", "smb.change.time"),                        \
      U32(32, file_attributes, "ExtFileAttributes", "smb.file_attribute")
static const smbw_row QUERY_FILE_BASIC_INFO_R[] = {BASIC_ROWS};
static const smbw_row FILE_BASIC_INFO_R[] = {BASIC_ROWS, U32(36, reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_file_standard_info
#define STANDARD_ROWS(o)                                                               \
  U64(o, allocation_size, "AllocationSize", "smb.alloc_size64"),                       \
      U64(o + 8, end_of_file, "EndOfFile", "smb.end_of_file"),                         \
      U32(o + 16, number_of_links, "NumberOfLinks", "smb.number_of_links"),            \
      U8(o + 20, delete_pending, "DeletePending", "smb.delete_pending"),               \
      U8(o + 21, directory, "Directory", "smb.is_directory")
static const smbw_row FILE_STANDARD_INFO_R[] = {STANDARD_ROWS(0),
                                                U16(22, reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_info_u32
static const smbw_row INFO_U32_R[] = {U32(0, value, "Value", NULL)};
#undef ST
#define ST smbw_info_u64
static const smbw_row INFO_U64_R[] = {U64(0, value, "Value", NULL)};
#undef ST
#define ST smbw_file_disposition_info
static const smbw_row FILE_DISPOSITION_INFO_R[] = {
    U8(0, delete_pending, "DeletePending", "smb.disposition.delete_on_close")};
#undef ST

#define ST smbw_file_name_info
static const smbw_row FILE_NAME_INFO_R[] = {
    LEN32(0, 1, "FileNameLength", "smb.file_name_len"),
    LSTR(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_query_file_all_info
static const smbw_row QUERY_FILE_ALL_INFO_R[] = {
    BASIC_ROWS,
    U32(36, reserved1, "Reserved1", NULL),
    STANDARD_ROWS(40),
    U16(62, reserved2, "Reserved2", NULL),
    U32(64, ea_size, "EaSize", "smb.ea_size"),
    LEN32(68, 14, "FileNameLength", "smb.file_name_len"),
    LSTR(file_name, "FileName", "smb.file")};
#undef ST

#undef BASIC_ROWS
#undef STANDARD_ROWS
#undef ST

#define ST smbw_file_stream_info
static const smbw_row FILE_STREAM_INFO_R[] = {
    U32(0, next_entry_offset, "NextEntryOffset", "smb.next_entry_offset"),
    LEN32(4, 4, "StreamNameLength", "smb.stream_name_len"),
    U64(8, stream_size, "StreamSize", "smb.stream_size"),
    U64(16, stream_allocation_size, "StreamAllocationSize", "smb.alloc_size64"),
    LSTR(stream_name, "StreamName", "smb.stream_name")};
#undef ST

#define ST smbw_file_names_info
static const smbw_row FILE_NAMES_INFO_R[] = {
    U32(0, next_entry_offset, "NextEntryOffset", "smb.next_entry_offset"),
    U32(4, file_index, "FileIndex", "smb.file_index"),
    LEN32(8, 3, "FileNameLength", "smb.file_name_len"),
    LSTR(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_file_compression_info
static const smbw_row FILE_COMPRESSION_INFO_R[] = {
    U64(0, compressed_file_size, "CompressedFileSize", "smb.compressed.file_size"),
    U16(8, compression_format, "CompressionFormat", "smb.compressed.format"),
    U8(10, compression_unit_shift, "CompressionUnitShift", "smb.compressed.unit_shift"),
    U8(11, chunk_shift, "ChunkShift", "smb.compressed.chunk_shift"),
    U8(12, cluster_shift, "ClusterShift", "smb.compressed.cluster_shift"),
    RAW(13, reserved, 3, "Reserved", NULL)};
#undef ST

#define ST smbw_file_rename_info
static const smbw_row FILE_RENAME_INFO_R[] = {
    U8(0, replace_if_exists, "ReplaceIfExists", "smb.replace"),
    RAW(1, reserved, 3, "Reserved", NULL),
    U32(4, root_directory, "RootDirectory", "smb.root_dir_handle"),
    LEN32(8, 4, "FileNameLength", "smb.target_name_len"),
    LSTR(file_name, "FileName", "smb.target_name")};
#undef ST

#define ST smbw_file_network_open_info
static const smbw_row FILE_NETWORK_OPEN_INFO_R[] = {
    U64(0, creation_time, "CreationTime", "smb.create.time"),
    U64(8, last_access_time, "LastAccessTime", "smb.access.time"),
    U64(16, last_write_time, "LastWriteTime", "smb.last_write.time"),
    U64(24, change_time, "ChangeTime", "smb.change.time"),
    U64(32, allocation_size, "AllocationSize", "smb.alloc_size64"),
    U64(40, end_of_file, "EndOfFile", "smb.end_of_file"),
    U32(48, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(52, reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_file_attribute_tag_info
static const smbw_row FILE_ATTRIBUTE_TAG_INFO_R[] = {
    U32(0, file_attributes, "FileAttributes", "smb.attribute"),
    U32(4, reparse_tag, "ReparseTag", "smb.reparse_tag")};
#undef ST

#define ST smbw_trans2_qfs_req
static const smbw_row TRANS2_QFS_REQ_R[] = {
    U16(0, information_level, "InformationLevel", "smb.qfsi_loi")};
#undef ST

#define ST smbw_trans2_path_req
/* QUERY and SET share the layout; Wireshark names the level apart */
static const smbw_row TRANS2_PATH_REQ_R[] = {
    U16(0, information_level, "InformationLevel", "smb.qpi_loi"),
    U32(2, reserved, "Reserved", NULL),
    STRZ(file_name, "FileName", "smb.file")};
static const smbw_row TRANS2_SET_PATH_REQ_R[] = {
    U16(0, information_level, "InformationLevel", "smb.spi_loi"),
    U32(2, reserved, "Reserved", NULL),
    STRZ(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_trans2_qfile_req
static const smbw_row TRANS2_QFILE_REQ_R[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, information_level, "InformationLevel", "smb.qpi_loi")};
#undef ST

#define ST smbw_trans2_sfile_req
static const smbw_row TRANS2_SFILE_REQ_R[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, information_level, "InformationLevel", "smb.spi_loi"),
    REST(reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_trans2_ea_error_rsp
static const smbw_row TRANS2_EA_ERROR_RSP_R[] = {
    U16(0, ea_error_offset, "EaErrorOffset", "smb.ea.error_offset")};
#undef ST

#define ST smbw_trans2_mkdir_req
static const smbw_row TRANS2_MKDIR_REQ_R[] = {
    U32(0, reserved, "Reserved", NULL),
    STRZ(directory_name, "DirectoryName", "smb.dir_name")};
#undef ST

#define ST smbw_trans2_open2_req
static const smbw_row TRANS2_OPEN2_REQ_R[] = {
    U16(0, flags, "Flags", NULL),
    U16(2, access_mode, "AccessMode", NULL),
    U16(4, reserved1, "Reserved1", NULL),
    U16(6, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(8, creation_time, "CreationTime", NULL),
    U16(12, open_mode, "OpenMode", NULL),
    U32(14, allocation_size, "AllocationSize", "smb.alloc_size"),
    RAW(18, reserved, 10, "Reserved", NULL),
    STRZ(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_trans2_open2_rsp
static const smbw_row TRANS2_OPEN2_RSP_R[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, file_attributes, "FileAttributes", "smb.file_attribute"),
    U32(4, creation_time, "CreationTime", NULL),
    U32(8, file_data_size, "FileDataSize", "smb.data_size"),
    U16(12, access_mode, "AccessMode", NULL),
    U16(14, resource_type, "ResourceType", "smb.resource_type"),
    U16(16, nm_pipe_status, "NMPipeStatus", NULL),
    U16(18, action_taken, "ActionTaken", NULL),
    U32(20, reserved, "Reserved", NULL),
    U16(24, ea_error_offset, "ExtendedAttributeErrorOffset", "smb.ea.error_offset"),
    U32(26, ea_length, "ExtendedAttributeLength", NULL)};
#undef ST


/* ---- NT_TRANSACT setup words, parameter blocks and lists (info.h) ---- */

/* a UTF-16 name after a pad byte to an even offset of the area */
#define LSTRA(m, n, ws) ROW(I_LSTR, 0, MEM(m, sizeof(smbw_str)), NOM, NOM, 0, 1, n, ws, #m)
/* bytes of the length a LEN32 row gives */
#define LBYTES(m, n, ws) ROW(I_LBYTES, 0, MEM(m, sizeof(smbw_bytes)), NOM, NOM, 0, 0, n, ws, #m)

#define ST smbw_nt_create_req
static const smbw_row NT_CREATE_REQ_R[] = {
    U32(0, flags, "Flags", "smb.nt.create.flags"),
    U32(4, root_directory_fid, "RootDirectoryFID", "smb.rfid"),
    U32(8, desired_access, "DesiredAccess", "smb.access_mask"),
    U64(12, allocation_size, "AllocationSize", "smb.alloc_size64"),
    U32(20, ext_file_attributes, "ExtFileAttributes", "smb.file_attribute"),
    U32(24, share_access, "ShareAccess", "smb.share_access"),
    U32(28, create_disposition, "CreateDisposition", "smb.create.disposition"),
    U32(32, create_options, "CreateOptions", "smb.create_options"),
    U32(36, security_descriptor_length, "SecurityDescriptorLength", "smb.sec_desc_len"),
    U32(40, ea_length, "EALength", "smb.ea.list_length"),
    LEN32(44, 13, "NameLength", "smb.file_name_len"),
    U32(48, impersonation_level, "ImpersonationLevel", "smb.impersonation.level"),
    U8(52, security_flags, "SecurityFlags", "smb.security.flags"),
    LSTRA(name, "Name", "smb.file")};
#undef ST

#define ST smbw_nt_create_rsp
static const smbw_row NT_CREATE_RSP_R[] = {
    U8(0, oplock_level, "OpLockLevel", "smb.oplock.level"),
    U8(1, reserved, "Reserved", NULL),
    U16(2, fid, "FID", "smb.fid"),
    U32(4, create_action, "CreateAction", "smb.create.action"),
    U32(8, ea_error_offset, "EAErrorOffset", "smb.ea.error_offset"),
    U64(12, creation_time, "CreationTime", "smb.create.time"),
    U64(20, last_access_time, "LastAccessTime", "smb.access.time"),
    U64(28, last_write_time, "LastWriteTime", "smb.last_write.time"),
    U64(36, last_change_time, "LastChangeTime", "smb.change.time"),
    U32(44, ext_file_attributes, "ExtFileAttributes", "smb.file_attribute"),
    U64(48, allocation_size, "AllocationSize", "smb.alloc_size64"),
    U64(56, end_of_file, "EndOfFile", "smb.end_of_file"),
    U16(64, resource_type, "ResourceType", "smb.file_type"),
    U16(66, nm_pipe_status, "NMPipeStatus", NULL),
    U8(68, directory, "Directory", "smb.is_directory"),
    REST(extension, "Extension", NULL)};
#undef ST

#define ST smbw_nt_create_rsp_extension
static const smbw_row NT_CREATE_RSP_EXTENSION_R[] = {
    RAW(0, volume_guid, 16, "VolumeGUID", NULL),
    U64(16, file_id, "FileId", NULL),
    U32(24, maximal_access_rights, "MaximalAccessRights", NULL),
    U32(28, guest_maximal_access_rights, "GuestMaximalAccessRights", NULL)};
#undef ST

#define ST smbw_nt_ioctl_setup
static const smbw_row NT_IOCTL_SETUP_R[] = {
    U32(0, function_code, "FunctionCode", "smb.nt.ioctl.function"),
    U16(4, fid, "FID", "smb.fid"),
    U8(6, is_fsctl, "IsFctl", "smb.nt.ioctl.isfsctl"),
    U8(7, is_flags, "IsFlags", "smb.nt.ioctl.flags")};
#undef ST

#define ST smbw_nt_notify_setup
static const smbw_row NT_NOTIFY_SETUP_R[] = {
    U32(0, completion_filter, "CompletionFilter", "smb.nt.notify.completion_filter"),
    U16(4, fid, "FID", "smb.fid"),
    U8(6, watch_tree, "WatchTree", "smb.nt.notify.watch_tree"),
    U8(7, reserved, "Reserved", NULL)};
#undef ST

#define ST smbw_file_notify_info
static const smbw_row FILE_NOTIFY_INFO_R[] = {
    U32(0, next_entry_offset, "NextEntryOffset", "smb.next_entry_offset"),
    U32(4, action, "Action", "smb.nt.notify.action"),
    LEN32(8, 3, "FileNameLength", "smb.file_name_len"),
    LSTR(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_nt_trans_rename_req
static const smbw_row NT_TRANS_RENAME_REQ_R[] = {
    U16(0, fid, "FID", "smb.fid"),
    U16(2, rename_flags, "RenameFlags", NULL),
    STRZ(new_name, "NewName", "smb.file")};
#undef ST

#define ST smbw_nt_get_quota_req
static const smbw_row NT_GET_QUOTA_REQ_R[] = {
    U16(0, fid, "FID", "smb.fid"),
    U8(2, return_single_entry, "ReturnSingleEntry", "smb.quota.single"),
    U8(3, restart_scan, "RestartScan", "smb.quota.restart"),
    U32(4, sid_list_length, "SidListLength", "smb.quota.sid_list_length"),
    U32(8, start_sid_length, "StartSidLength", "smb.quota.start_sid_length"),
    U32(12, start_sid_offset, "StartSidOffset", "smb.quota.start_sid_offset")};
#undef ST

#define ST smbw_file_get_quota_info
static const smbw_row FILE_GET_QUOTA_INFO_R[] = {
    U32(0, next_entry_offset, "NextEntryOffset", "smb.next_entry_offset"),
    LEN32(4, 2, "SidLength", "smb.sid_len"),
    LBYTES(sid, "Sid", NULL)};
#undef ST

#define ST smbw_file_quota_info
static const smbw_row FILE_QUOTA_INFO_R[] = {
    U32(0, next_entry_offset, "NextEntryOffset", "smb.next_entry_offset"),
    LEN32(4, 6, "SidLength", "smb.sid_len"),
    U64(8, change_time, "ChangeTime", "smb.change.time"),
    U64(16, quota_used, "QuotaUsed", "smb.quota.used"),
    U64(24, quota_threshold, "QuotaThreshold", "smb.quota.soft.default"),
    U64(32, quota_limit, "QuotaLimit", "smb.quota.hard.default"),
    LBYTES(sid, "Sid", NULL)};
#undef ST

#define ST smbw_nt_fid_req
static const smbw_row NT_FID_REQ_R[] = {U16(0, fid, "FID", "smb.fid")};
#undef ST

#define ST smbw_nt_length_rsp
static const smbw_row NT_LENGTH_RSP_R[] = {U32(0, length, "DataLength", NULL)};
#undef ST

/* ---- the rarer TRANSACTION2 subcommands and DFS (info.h) ---- */

#define ST smbw_trans2_dfs_referral_req
static const smbw_row TRANS2_DFS_REFERRAL_REQ_R[] = {
    U16(0, max_referral_level, "MaxReferralLevel", "smb.max_referral_level"),
    STRZ(request_file_name, "RequestFileName", "smb.file")};
#undef ST

#define ST smbw_trans2_dfs_report_req
static const smbw_row TRANS2_DFS_REPORT_REQ_R[] = {
    STRZ(request_file_name, "RequestFileName", "smb.file")};
#undef ST

#define ST smbw_dfs_referral_v1
static const smbw_row DFS_REFERRAL_V1_R[] = {
    U16(0, version_number, "VersionNumber", "smb.dfs.referral.version"),
    U16(2, size, "Size", "smb.dfs.referral.size"),
    U16(4, server_type, "ServerType", "smb.dfs.referral.server.type"),
    U16(6, referral_entry_flags, "ReferralEntryFlags", "smb.dfs.referral.flags"),
    STRZ(share_name, "ShareName", "smb.dfs.referral.node")};
#undef ST

#define ST smbw_trans2_find_notify_first_req
static const smbw_row TRANS2_FIND_NOTIFY_FIRST_REQ_R[] = {
    U16(0, search_attributes, "SearchAttributes", "smb.search.attribute"),
    U16(2, change_count, "ChangeCount", "smb.change_count"),
    U16(4, information_level, "InformationLevel", "smb.fn_loi"),
    U32(6, reserved, "Reserved", NULL),
    STRZ(file_name, "FileName", "smb.file")};
#undef ST

#define ST smbw_trans2_find_notify_next_req
static const smbw_row TRANS2_FIND_NOTIFY_NEXT_REQ_R[] = {
    U16(0, monitor_handle, "MonitorHandle", "smb.monitor_handle"),
    U16(2, change_count, "ChangeCount", "smb.change_count"),
    REST(rest, "Reserved", NULL)};
#undef ST

/* Wireshark reads ReferralHeaderFlags as 16 bits and 2 bytes of padding */
#define ST smbw_dfs_referral_rsp
static const smbw_row DFS_REFERRAL_RSP_R[] = {
    U16(0, path_consumed, "PathConsumed", "smb.dfs.path_consumed"),
    U16(2, number_of_referrals, "NumberOfReferrals", "smb.dfs.num_referrals"),
    U32(4, referral_header_flags, "ReferralHeaderFlags", "smb.dfs.flags"),
    REST(referrals, "Referrals", NULL)};
#undef ST

/* ---- NT_TRANSACT_IOCTL data by FSCTL (info.h); Wireshark names them
   as in SMB2 ---- */

#define LEN16R(o, row, n, ws) ROW(W_LEN16, o, NOM, NOM, NOM, row, 0, n, ws, NULL)

#define ST smbw_srv_snapshot_array
static const smbw_row SRV_SNAPSHOT_ARRAY_R[] = {
    U32(0, number_of_snapshots, "NumberOfSnapShots", "smb2.ioctl.enumerate_snapshots.num_snapshots"),
    U32(4, number_of_snapshots_returned, "NumberOfSnapShotsReturned",
        "smb2.ioctl.enumerate_snapshots.num_snapshots_returned"),
    U32(8, snapshot_array_size, "SnapShotArraySize", "smb2.ioctl.enumerate_snapshots.array_size"),
    REST(snapshots, "SnapShots", NULL)};
#undef ST

#define ST smbw_file_objectid_buffer
static const smbw_row FILE_OBJECTID_BUFFER_R[] = {
    RAW(0, object_id, 16, "ObjectId", NULL),
    RAW(16, birth_volume_id, 16, "BirthVolumeId", NULL),
    RAW(32, birth_object_id, 16, "BirthObjectId", NULL),
    RAW(48, domain_id, 16, "DomainId", NULL)};
#undef ST

#define ST smbw_reparse_data_buffer
static const smbw_row REPARSE_DATA_BUFFER_R[] = {
    U32(0, reparse_tag, "ReparseTag", "smb2.reparse_tag"),
    LEN16R(4, 3, "ReparseDataLength", "smb2.reparse_data_length"),
    U16(6, reserved, "Reserved", NULL),
    LBYTES(data, "DataBuffer", NULL)};
#undef ST

/* ---- browser frames (info.h; MS-BRWS 2.2): names are OEM ---- */

#define ST smbw_browser_announcement
static const smbw_row BROWSER_ANNOUNCEMENT_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    U8(1, update_count, "UpdateCount", "browser.update_count"),
    U32(2, periodicity, "Periodicity", "browser.period"),
    RAW(6, server_name, 16, "ServerName", NULL),
    U8(22, os_version_major, "OSVersionMajor", "browser.os_major"),
    U8(23, os_version_minor, "OSVersionMinor", "browser.os_minor"),
    U32(24, server_type, "ServerType", "browser.server_type"),
    U8(28, browser_version_major, "BrowserConfigVersionMajor", "browser.proto_major"),
    U8(29, browser_version_minor, "BrowserConfigVersionMinor", "browser.proto_minor"),
    U16(30, signature, "Signature", "browser.sig"),
    STRZ(comment, "Comment", "browser.comment")};
#undef ST

#define ST smbw_browser_name
static const smbw_row BROWSER_REQUEST_ANNOUNCEMENT_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    U8(1, unused, "Unused", "browser.unused"),
    STRZ(name, "ResponseComputerName", "browser.response_computer_name")};
static const smbw_row BROWSER_NAME_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    STRZ(name, "Name", NULL)};
#undef ST

#define ST smbw_browser_election
static const smbw_row BROWSER_ELECTION_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    U8(1, version, "Version", "browser.election.version"),
    U32(2, criteria, "Criteria", "browser.election.criteria"),
    U32(6, uptime, "Uptime", "browser.uptime"),
    U32(10, unused, "Unused", NULL),
    STRZ(server_name, "ServerName", "browser.server")};
#undef ST

#define ST smbw_browser_backup_list
static const smbw_row BROWSER_BACKUP_LIST_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    U8(1, count, "Count", "browser.backup.count"),
    U32(2, token, "Token", "browser.backup.token"),
    REST(servers, "BackupServerList", NULL)};
#undef ST

#define ST smbw_browser_reset_state
static const smbw_row BROWSER_RESET_STATE_R[] = {
    U8(0, opcode, "Opcode", "browser.command"),
    U8(1, type_of_reset, "TypeOfReset", "browser.reset_cmd")};
#undef ST

/* A record: its rows, wire size (of the fixed part) and struct; min_size,
   the struct as first published (up to its last member then), stays as
   the struct grows; list: how records follow each other (form.h). */
#define RECORD(id, name, type, list, last, spec)                                                \
  [SMBW_RECORD_##id] = {#name, id##_R, N(id##_R), (uint8_t)SMBW_RECSIZE_##id, sizeof(smbw_##type), \
                        (uint16_t)(offsetof(smbw_##type, last) + sizeof(((smbw_##type *)0)->last)), \
                        list, spec}
enum {
#define X(id, name, type, size) SMBW_RECSIZE_##id = size,
  SMBW_RECORD_LIST(X)
#undef X
};
const smbw_recdesc smbw_records[SMBW_RECORD_COUNT_] = {
    RECORD(SEARCH_ENTRY, search_entry, search_entry, REC_ARRAY, file_name, "MS-CIFS 2.2.4.58.2"),
    RECORD(PRINT_QUEUE_ENTRY, print_queue_entry, print_queue_entry, REC_ARRAY, spool_file_name, "CIFS 1.0 draft 4.5.4"),
    RECORD(FS_INFO_ALLOCATION, fs_info_allocation, fs_info_allocation, REC_ONE, bytes_per_sector, "MS-CIFS 2.2.8.2.1"),
    RECORD(FS_INFO_VOLUME, fs_info_volume, fs_info_volume, REC_ONE, label, "MS-CIFS 2.2.8.2.2"),
    RECORD(FS_VOLUME_INFO, fs_volume_info, fs_volume_info, REC_ONE, label, "MS-CIFS 2.2.8.2.3, MS-FSCC 2.5.9"),
    RECORD(FS_LABEL_INFO, fs_label_info, fs_label_info, REC_ONE, label, "MS-FSCC 2.5.5"),
    RECORD(FS_SIZE_INFO, fs_size_info, fs_size_info, REC_ONE, bytes_per_sector, "MS-CIFS 2.2.8.2.4, MS-FSCC 2.5.8"),
    RECORD(FS_DEVICE_INFO, fs_device_info, fs_device_info, REC_ONE, device_characteristics,
           "MS-CIFS 2.2.8.2.5, MS-FSCC 2.5.10"),
    RECORD(FS_ATTRIBUTE_INFO, fs_attribute_info, fs_attribute_info, REC_ONE, file_system_name,
           "MS-CIFS 2.2.8.2.6, MS-FSCC 2.5.1"),
    RECORD(FS_CONTROL_INFO, fs_control_info, fs_control_info, REC_ONE, padding, "MS-FSCC 2.5.2"),
    RECORD(FS_FULL_SIZE_INFO, fs_full_size_info, fs_full_size_info, REC_ONE, bytes_per_sector, "MS-FSCC 2.5.4"),
    RECORD(FS_OBJECTID_INFO, fs_objectid_info, fs_objectid_info, REC_ONE, extended_info, "MS-FSCC 2.5.6"),
    RECORD(FS_SECTOR_SIZE_INFO, fs_sector_size_info, fs_sector_size_info, REC_ONE,
           byte_offset_for_partition_alignment, "MS-FSCC 2.5.7"),
    RECORD(INFO_STANDARD, info_standard, info_standard, REC_ONE, ea_size, "MS-CIFS 2.2.8.3.1"),
    RECORD(INFO_QUERY_EA_SIZE, info_query_ea_size, info_standard, REC_ONE, ea_size, "MS-CIFS 2.2.8.3.2"),
    RECORD(SET_INFO_STANDARD, set_info_standard, set_info_standard, REC_ONE, reserved,
           "MS-CIFS 2.2.8.4.1"),
    RECORD(INFO_EA_LIST, info_ea_list, info_ea_list, REC_ONE, entries, "MS-CIFS 2.2.8.3.3, 2.2.8.3.4, 2.2.8.4.2"),
    RECORD(FILE_FULL_EA_INFO, file_full_ea_info, file_full_ea_info, REC_ONE, entries, "MS-FSCC 2.4.15"),
    RECORD(QUERY_FILE_BASIC_INFO, query_file_basic_info, file_basic_info, REC_ONE, reserved, "MS-CIFS 2.2.8.3.6"),
    RECORD(FILE_BASIC_INFO, file_basic_info, file_basic_info, REC_ONE, reserved, "MS-CIFS 2.2.8.4.3, MS-FSCC 2.4.7"),
    RECORD(FILE_STANDARD_INFO, file_standard_info, file_standard_info, REC_ONE, reserved,
           "MS-CIFS 2.2.8.3.7, MS-FSCC 2.4.41"),
    RECORD(INFO_U32, info_u32, info_u32, REC_ONE, value, "MS-CIFS 2.2.8.3.8, MS-FSCC 2.4.1, 2.4.12, 2.4.26, 2.4.3"),
    RECORD(INFO_U64, info_u64, info_u64, REC_ONE, value,
           "MS-CIFS 2.2.8.4.5, 2.2.8.4.6, MS-FSCC 2.4.4, 2.4.13, 2.4.20, 2.4.35"),
    RECORD(FILE_DISPOSITION_INFO, file_disposition_info, file_disposition_info, REC_ONE, delete_pending,
           "MS-CIFS 2.2.8.4.4, MS-FSCC 2.4.11"),
    RECORD(FILE_NAME_INFO, file_name_info, file_name_info, REC_ONE, file_name,
           "MS-CIFS 2.2.8.3.9, 2.2.8.3.11, MS-FSCC 2.4.27, 2.4.5"),
    RECORD(QUERY_FILE_ALL_INFO, query_file_all_info, query_file_all_info, REC_ONE, file_name, "MS-CIFS 2.2.8.3.10"),
    RECORD(FILE_STREAM_INFO, file_stream_info, file_stream_info, REC_CHAINED, stream_name,
           "MS-CIFS 2.2.8.3.12, MS-FSCC 2.4.43"),
    RECORD(FILE_NAMES_INFO, file_names_info, file_names_info, REC_CHAINED, file_name, "MS-FSCC 2.4.28"),
    RECORD(FILE_COMPRESSION_INFO, file_compression_info, file_compression_info, REC_ONE, reserved,
           "MS-CIFS 2.2.8.3.13, MS-FSCC 2.4.9"),
    RECORD(FILE_RENAME_INFO, file_rename_info, file_rename_info, REC_ONE, file_name,
           "MS-FSCC 2.4.37.1, 2.4.21.1"),
    RECORD(FILE_NETWORK_OPEN_INFO, file_network_open_info, file_network_open_info, REC_ONE, reserved, "MS-FSCC 2.4.29"),
    RECORD(FILE_ATTRIBUTE_TAG_INFO, file_attribute_tag_info, file_attribute_tag_info, REC_ONE, reparse_tag, "MS-FSCC 2.4.6"),
    RECORD(TRANS2_QFS_REQ, trans2_qfs_req, trans2_qfs_req, REC_ONE, information_level, "MS-CIFS 2.2.6.4.1"),
    RECORD(TRANS2_PATH_REQ, trans2_path_req, trans2_path_req, REC_ONE, file_name, "MS-CIFS 2.2.6.6.1"),
    RECORD(TRANS2_SET_PATH_REQ, trans2_set_path_req, trans2_path_req, REC_ONE, file_name,
           "MS-CIFS 2.2.6.7.1"),
    RECORD(TRANS2_QFILE_REQ, trans2_qfile_req, trans2_qfile_req, REC_ONE, information_level,
           "MS-CIFS 2.2.6.8.1, 2.2.6.5.1"),
    RECORD(TRANS2_SFILE_REQ, trans2_sfile_req, trans2_sfile_req, REC_ONE, reserved, "MS-CIFS 2.2.6.9.1"),
    RECORD(TRANS2_EA_ERROR_RSP, trans2_ea_error_rsp, trans2_ea_error_rsp, REC_ONE, ea_error_offset,
           "MS-CIFS 2.2.6.6.2, 2.2.6.7.2, 2.2.6.8.2, 2.2.6.9.2, 2.2.6.14.2"),
    RECORD(TRANS2_MKDIR_REQ, trans2_mkdir_req, trans2_mkdir_req, REC_ONE, directory_name, "MS-CIFS 2.2.6.14.1"),
    RECORD(TRANS2_OPEN2_REQ, trans2_open2_req, trans2_open2_req, REC_ONE, file_name, "MS-CIFS 2.2.6.1.1"),
    RECORD(TRANS2_OPEN2_RSP, trans2_open2_rsp, trans2_open2_rsp, REC_ONE, ea_length, "MS-CIFS 2.2.6.1.2"),
    RECORD(NT_CREATE_REQ, nt_create_req, nt_create_req, REC_ONE, name, "MS-CIFS 2.2.7.1.1"),
    RECORD(NT_CREATE_RSP, nt_create_rsp, nt_create_rsp, REC_ONE, extension,
           "MS-CIFS 2.2.7.1.2, MS-SMB 2.2.7.1.2"),
    RECORD(NT_CREATE_RSP_EXTENSION, nt_create_rsp_extension, nt_create_rsp_extension, REC_ONE,
           guest_maximal_access_rights, "MS-SMB 2.2.7.1.2"),
    RECORD(NT_IOCTL_SETUP, nt_ioctl_setup, nt_ioctl_setup, REC_ONE, is_flags, "MS-CIFS 2.2.7.2.1"),
    RECORD(NT_NOTIFY_SETUP, nt_notify_setup, nt_notify_setup, REC_ONE, reserved, "MS-CIFS 2.2.7.4.1"),
    RECORD(FILE_NOTIFY_INFO, file_notify_info, file_notify_info, REC_CHAINED, file_name,
           "MS-CIFS 2.2.7.4.2, MS-FSCC 2.4.42"),
    RECORD(NT_TRANS_RENAME_REQ, nt_trans_rename_req, nt_trans_rename_req, REC_ONE, new_name, "MS-CIFS 2.2.7.5.1"),
    RECORD(NT_GET_QUOTA_REQ, nt_get_quota_req, nt_get_quota_req, REC_ONE, start_sid_offset,
           "MS-SMB 2.2.7.5.1"),
    RECORD(FILE_GET_QUOTA_INFO, file_get_quota_info, file_get_quota_info, REC_CHAINED, sid,
           "MS-FSCC 2.4.36.1"),
    RECORD(FILE_QUOTA_INFO, file_quota_info, file_quota_info, REC_CHAINED, sid, "MS-FSCC 2.4.36"),
    RECORD(NT_FID_REQ, nt_fid_req, nt_fid_req, REC_ONE, fid, "MS-SMB 2.2.7.6.1"),
    RECORD(NT_LENGTH_RSP, nt_length_rsp, nt_length_rsp, REC_ONE, length, "MS-SMB 2.2.7.5.2"),
    RECORD(BROWSER_ANNOUNCEMENT, browser_announcement, browser_announcement, REC_ONE, comment,
           "MS-BRWS 2.2.1, 2.2.7, 2.2.10"),
    RECORD(BROWSER_REQUEST_ANNOUNCEMENT, browser_request_announcement, browser_name, REC_ONE,
           name, "MS-BRWS 2.2.2"),
    RECORD(BROWSER_NAME, browser_name, browser_name, REC_ONE, name, "MS-BRWS 2.2.6, 2.2.8"),
    RECORD(BROWSER_ELECTION, browser_election, browser_election, REC_ONE, server_name,
           "MS-BRWS 2.2.3"),
    RECORD(BROWSER_BACKUP_LIST, browser_backup_list, browser_backup_list, REC_ONE, servers,
           "MS-BRWS 2.2.4, 2.2.5"),
    RECORD(BROWSER_RESET_STATE, browser_reset_state, browser_reset_state, REC_ONE, type_of_reset,
           "MS-BRWS 2.2.9"),
    RECORD(TRANS2_DFS_REFERRAL_REQ, trans2_dfs_referral_req, trans2_dfs_referral_req, REC_ONE,
           request_file_name, "MS-CIFS 2.2.6.16.1, MS-DFSC 2.2.2"),
    RECORD(TRANS2_DFS_REPORT_REQ, trans2_dfs_report_req, trans2_dfs_report_req, REC_ONE,
           request_file_name, "MS-CIFS 2.2.6.17.1"),
    RECORD(DFS_REFERRAL_V1, dfs_referral_v1, dfs_referral_v1, REC_ONE, share_name,
           "MS-DFSC 2.2.5.1"),
    RECORD(TRANS2_FIND_NOTIFY_FIRST_REQ, trans2_find_notify_first_req,
           trans2_find_notify_first_req, REC_ONE, file_name, "X/Open SMB; MS-CIFS 2.2.6.11"),
    RECORD(TRANS2_FIND_NOTIFY_NEXT_REQ, trans2_find_notify_next_req, trans2_find_notify_next_req,
           REC_ONE, rest, "X/Open SMB; MS-CIFS 2.2.6.12"),
    RECORD(DFS_REFERRAL_RSP, dfs_referral_rsp, dfs_referral_rsp, REC_ONE, referrals,
           "MS-CIFS 2.2.6.16.2, MS-DFSC 2.2.4"),
    RECORD(SRV_SNAPSHOT_ARRAY, srv_snapshot_array, srv_snapshot_array, REC_ONE, snapshots,
           "MS-SMB 2.2.7.2.2.1"),
    RECORD(FILE_OBJECTID_BUFFER, file_objectid_buffer, file_objectid_buffer, REC_ONE, domain_id,
           "MS-FSCC 2.1.3"),
    RECORD(REPARSE_DATA_BUFFER, reparse_data_buffer, reparse_data_buffer, REC_ONE, data,
           "MS-FSCC 2.1.2.2"),
};
#undef RECORD

/* The levels of each class (info.h) and their records. */
#define L(cls, level, rec) {SMBW_INFO_CLASS_##cls, level, SMBW_RECORD_##rec}
const smbw_leveldesc smbw_levels[] = {
    L(QUERY_FS, SMBW_INFO_ALLOCATION, FS_INFO_ALLOCATION),
    L(QUERY_FS, SMBW_INFO_VOLUME, FS_INFO_VOLUME),
    L(QUERY_FS, SMBW_QUERY_FS_VOLUME_INFO, FS_VOLUME_INFO),
    L(QUERY_FS, SMBW_QUERY_FS_SIZE_INFO, FS_SIZE_INFO),
    L(QUERY_FS, SMBW_QUERY_FS_DEVICE_INFO, FS_DEVICE_INFO),
    L(QUERY_FS, SMBW_QUERY_FS_ATTRIBUTE_INFO, FS_ATTRIBUTE_INFO),
    L(QUERY_FS, SMBW_FILE_FS_VOLUME_INFORMATION, FS_VOLUME_INFO),
    L(QUERY_FS, SMBW_FILE_FS_SIZE_INFORMATION, FS_SIZE_INFO),
    L(QUERY_FS, SMBW_FILE_FS_DEVICE_INFORMATION, FS_DEVICE_INFO),
    L(QUERY_FS, SMBW_FILE_FS_ATTRIBUTE_INFORMATION, FS_ATTRIBUTE_INFO),
    L(QUERY_FS, SMBW_FILE_FS_CONTROL_INFORMATION, FS_CONTROL_INFO),
    L(QUERY_FS, SMBW_FILE_FS_FULL_SIZE_INFORMATION, FS_FULL_SIZE_INFO),
    L(QUERY_FS, SMBW_FILE_FS_OBJECTID_INFORMATION, FS_OBJECTID_INFO),
    L(QUERY_FS, SMBW_FILE_FS_SECTOR_SIZE_INFORMATION, FS_SECTOR_SIZE_INFO),
    L(SET_FS, SMBW_FILE_FS_LABEL_INFORMATION, FS_LABEL_INFO),
    L(SET_FS, SMBW_FILE_FS_CONTROL_INFORMATION, FS_CONTROL_INFO),
    L(SET_FS, SMBW_FILE_FS_OBJECTID_INFORMATION, FS_OBJECTID_INFO),
    L(QUERY, SMBW_INFO_STANDARD, INFO_STANDARD),
    L(QUERY, SMBW_INFO_QUERY_EA_SIZE, INFO_QUERY_EA_SIZE),
    L(QUERY, SMBW_INFO_QUERY_EAS_FROM_LIST, INFO_EA_LIST),
    L(QUERY, SMBW_INFO_QUERY_ALL_EAS, INFO_EA_LIST),
    L(QUERY, SMBW_QUERY_FILE_BASIC_INFO, QUERY_FILE_BASIC_INFO),
    L(QUERY, SMBW_QUERY_FILE_STANDARD_INFO, FILE_STANDARD_INFO),
    L(QUERY, SMBW_QUERY_FILE_EA_INFO, INFO_U32),
    L(QUERY, SMBW_QUERY_FILE_NAME_INFO, FILE_NAME_INFO),
    L(QUERY, SMBW_QUERY_FILE_ALL_INFO, QUERY_FILE_ALL_INFO),
    L(QUERY, SMBW_QUERY_FILE_ALT_NAME_INFO, FILE_NAME_INFO),
    L(QUERY, SMBW_QUERY_FILE_STREAM_INFO, FILE_STREAM_INFO),
    L(QUERY, SMBW_QUERY_FILE_COMPRESSION_INFO, FILE_COMPRESSION_INFO),
    L(QUERY, SMBW_FILE_BASIC_INFORMATION, FILE_BASIC_INFO),
    L(QUERY, SMBW_FILE_STANDARD_INFORMATION, FILE_STANDARD_INFO),
    L(QUERY, SMBW_FILE_INTERNAL_INFORMATION, INFO_U64),
    L(QUERY, SMBW_FILE_EA_INFORMATION, INFO_U32),
    L(QUERY, SMBW_FILE_ACCESS_INFORMATION, INFO_U32),
    L(QUERY, SMBW_FILE_NAME_INFORMATION, FILE_NAME_INFO),
    L(QUERY, SMBW_FILE_POSITION_INFORMATION, INFO_U64),
    L(QUERY, SMBW_FILE_FULL_EA_INFORMATION, FILE_FULL_EA_INFO),
    L(QUERY, SMBW_FILE_MODE_INFORMATION, INFO_U32),
    L(QUERY, SMBW_FILE_ALIGNMENT_INFORMATION, INFO_U32),
    /* smbd and Wireshark give the pass-through FileAllInformation the
       layout of SMB_QUERY_FILE_ALL_INFO, not MS-FSCC 2.4.2's */
    L(QUERY, SMBW_FILE_ALL_INFORMATION, QUERY_FILE_ALL_INFO),
    L(QUERY, SMBW_FILE_ALTERNATE_NAME_INFORMATION, FILE_NAME_INFO),
    L(QUERY, SMBW_FILE_STREAM_INFORMATION, FILE_STREAM_INFO),
    L(QUERY, SMBW_FILE_COMPRESSION_INFORMATION, FILE_COMPRESSION_INFO),
    L(QUERY, SMBW_FILE_NETWORK_OPEN_INFORMATION, FILE_NETWORK_OPEN_INFO),
    L(QUERY, SMBW_FILE_ATTRIBUTE_TAG_INFORMATION, FILE_ATTRIBUTE_TAG_INFO),
    L(SET, SMBW_INFO_STANDARD, SET_INFO_STANDARD),
    L(SET, SMBW_INFO_SET_EAS, INFO_EA_LIST),
    L(SET, SMBW_SET_FILE_BASIC_INFO, FILE_BASIC_INFO),
    L(SET, SMBW_SET_FILE_DISPOSITION_INFO, FILE_DISPOSITION_INFO),
    L(SET, SMBW_SET_FILE_ALLOCATION_INFO, INFO_U64),
    L(SET, SMBW_SET_FILE_END_OF_FILE_INFO, INFO_U64),
    L(SET, SMBW_FILE_BASIC_INFORMATION, FILE_BASIC_INFO),
    L(SET, SMBW_FILE_RENAME_INFORMATION, FILE_RENAME_INFO),
    L(SET, SMBW_FILE_LINK_INFORMATION, FILE_RENAME_INFO),
    L(SET, SMBW_FILE_DISPOSITION_INFORMATION, FILE_DISPOSITION_INFO),
    L(SET, SMBW_FILE_POSITION_INFORMATION, INFO_U64),
    L(SET, SMBW_FILE_FULL_EA_INFORMATION, FILE_FULL_EA_INFO),
    L(SET, SMBW_FILE_MODE_INFORMATION, INFO_U32),
    L(SET, SMBW_FILE_ALLOCATION_INFORMATION, INFO_U64),
    L(SET, SMBW_FILE_END_OF_FILE_INFORMATION, INFO_U64),
    L(BROWSER, SMBW_BROWSER_HOST_ANNOUNCEMENT, BROWSER_ANNOUNCEMENT),
    L(BROWSER, SMBW_BROWSER_REQUEST_ANNOUNCEMENT, BROWSER_REQUEST_ANNOUNCEMENT),
    L(BROWSER, SMBW_BROWSER_ELECTION_REQUEST, BROWSER_ELECTION),
    L(BROWSER, SMBW_BROWSER_GET_BACKUP_LIST_REQUEST, BROWSER_BACKUP_LIST),
    L(BROWSER, SMBW_BROWSER_GET_BACKUP_LIST_RESPONSE, BROWSER_BACKUP_LIST),
    L(BROWSER, SMBW_BROWSER_BECOME_BACKUP, BROWSER_NAME),
    L(BROWSER, SMBW_BROWSER_DOMAIN_ANNOUNCEMENT, BROWSER_ANNOUNCEMENT),
    L(BROWSER, SMBW_BROWSER_MASTER_ANNOUNCEMENT, BROWSER_NAME),
    L(BROWSER, SMBW_BROWSER_RESET_STATE, BROWSER_RESET_STATE),
    L(BROWSER, SMBW_BROWSER_LOCAL_MASTER_ANNOUNCEMENT, BROWSER_ANNOUNCEMENT),
};
const unsigned smbw_nlevels = N(smbw_levels);
#undef L

/* The transaction subcommands whose parts are records: per (command,
   subcommand), the records of the request's setup words and parameters
   and of the response's parameters; the offset of the request's
   InformationLevel (or -1); the class of the level of the request's data
   (set) and of the response's (query), or -1; the record of a request's
   and a response's data that no level selects, or -1. */
#define T2(sub, req, rsp, lvl, reqcls, rspcls, reqdata)                                      \
  {SMBW_COM_TRANSACTION2, SMBW_TRANS2_##sub, NONE, SMBW_RECORD_##req, rsp, lvl, reqcls, rspcls, \
   reqdata, NONE}
#define T2D(sub, req, reqdata, rspdata)                                                          \
  {SMBW_COM_TRANSACTION2, SMBW_TRANS2_##sub, NONE, SMBW_RECORD_##req, NONE, NONE, NONE, NONE,   \
   reqdata, rspdata}
#define NT(sub, setup, req, rsp, reqdata, rspdata)                                            \
  {SMBW_COM_NT_TRANSACT, SMBW_NT_TRANSACT_##sub, setup, req, rsp, NONE, NONE, NONE, reqdata, rspdata}
#define NONE (-1)
#define R(id) SMBW_RECORD_##id
const smbw_transdesc smbw_transs[] = {
    T2(OPEN2, TRANS2_OPEN2_REQ, R(TRANS2_OPEN2_RSP), NONE, NONE, NONE, R(INFO_EA_LIST)),
    T2(QUERY_FS_INFORMATION, TRANS2_QFS_REQ, NONE, 0, NONE, SMBW_INFO_CLASS_QUERY_FS, NONE),
    T2(SET_FS_INFORMATION, TRANS2_QFILE_REQ, NONE, 2, SMBW_INFO_CLASS_SET_FS, NONE, NONE),
    T2(QUERY_PATH_INFORMATION, TRANS2_PATH_REQ, R(TRANS2_EA_ERROR_RSP), 0, NONE,
       SMBW_INFO_CLASS_QUERY, NONE),
    T2(SET_PATH_INFORMATION, TRANS2_SET_PATH_REQ, R(TRANS2_EA_ERROR_RSP), 0, SMBW_INFO_CLASS_SET,
       NONE, NONE),
    T2(QUERY_FILE_INFORMATION, TRANS2_QFILE_REQ, R(TRANS2_EA_ERROR_RSP), 2, NONE,
       SMBW_INFO_CLASS_QUERY, NONE),
    T2(SET_FILE_INFORMATION, TRANS2_SFILE_REQ, R(TRANS2_EA_ERROR_RSP), 2, SMBW_INFO_CLASS_SET,
       NONE, NONE),
    T2(CREATE_DIRECTORY, TRANS2_MKDIR_REQ, R(TRANS2_EA_ERROR_RSP), NONE, NONE, NONE,
       R(INFO_EA_LIST)),
    /* FIND_NOTIFY_*: X/Open's request layouts; no response was ever defined
       (MS-CIFS: reserved, not implemented).  FSCTL, IOCTL2 and SESSION_SETUP
       have no layout anywhere: their parameters and data stay views. */
    T2D(FIND_NOTIFY_FIRST, TRANS2_FIND_NOTIFY_FIRST_REQ, NONE, NONE),
    T2D(FIND_NOTIFY_NEXT, TRANS2_FIND_NOTIFY_NEXT_REQ, NONE, NONE),
    T2D(GET_DFS_REFERRAL, TRANS2_DFS_REFERRAL_REQ, NONE, R(DFS_REFERRAL_RSP)),
    T2D(REPORT_DFS_INCONSISTENCY, TRANS2_DFS_REPORT_REQ, R(DFS_REFERRAL_V1), NONE),
    /* NT_CREATE's data is a security descriptor and an EA list, cut by
       two of its parameters (security.h, ea.h) */
    NT(CREATE, NONE, R(NT_CREATE_REQ), R(NT_CREATE_RSP), NONE, NONE),
    NT(IOCTL, R(NT_IOCTL_SETUP), NONE, NONE, NONE, NONE),
    NT(NOTIFY_CHANGE, R(NT_NOTIFY_SETUP), NONE, R(FILE_NOTIFY_INFO), NONE, NONE),
    NT(RENAME, NONE, R(NT_TRANS_RENAME_REQ), NONE, NONE, NONE),
    NT(GET_USER_QUOTA, NONE, R(NT_GET_QUOTA_REQ), R(NT_LENGTH_RSP), R(FILE_GET_QUOTA_INFO),
       R(FILE_QUOTA_INFO)),
    NT(SET_USER_QUOTA, NONE, R(NT_FID_REQ), NONE, R(FILE_QUOTA_INFO), NONE),
};
const unsigned smbw_ntranss = N(smbw_transs);
#undef T2
#undef T2D
#undef NT
#undef R
#undef NONE

/* The FSCTLs whose data are records (info.h smbw_fsctl_records()): per
   FunctionCode, the record of the request's data and of the response's. */
#define FS(code, req, rsp) {SMBW_FSCTL_##code, req, rsp}
#define NONE (-1)
#define R(id) SMBW_RECORD_##id
const smbw_fsctldesc smbw_fsctls[] = {
    FS(SET_OBJECT_ID, R(FILE_OBJECTID_BUFFER), NONE),
    FS(GET_OBJECT_ID, NONE, R(FILE_OBJECTID_BUFFER)),
    FS(SET_REPARSE_POINT, R(REPARSE_DATA_BUFFER), NONE),
    FS(GET_REPARSE_POINT, NONE, R(REPARSE_DATA_BUFFER)),
    FS(CREATE_OR_GET_OBJECT_ID, NONE, R(FILE_OBJECTID_BUFFER)),
    FS(SRV_ENUMERATE_SNAPSHOTS, NONE, R(SRV_SNAPSHOT_ARRAY)),
};
const unsigned smbw_nfsctls = N(smbw_fsctls);
#undef FS
#undef R
#undef NONE
