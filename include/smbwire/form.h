/**
 * @file form.h
 * @brief The message descriptions: one table of rows per message form
 *        drives decoding, encoding, the field visitor and the tests.
 *
 * A *message type* is a command in one direction (SMB_COM_CLOSE request,
 * SMB_COM_CLOSE response); it has one C struct (commands.h, open.h, ...)
 * and one or more *forms*, one per layout of its parameter words (READ_ANDX
 * request: 10 or 12 words; SESSION_SETUP_ANDX request: 10, 12 or 13).
 * Inside the library each form is a list of rows, one per wire field, in
 * wire order: its offset and width, the struct member it fills, its MS-CIFS
 * name and its Wireshark field name; the byte area is a list of items
 * (strings, buffer-format items, length-prefixed bytes, data located by
 * offset and length words, records, the rest).  One engine reads those
 * rows to decode, encode and visit every form: a new command costs rows,
 * not code.
 *
 * Every type has four typed calls generated from ::SMBW_TYPE_LIST (parse and
 * build are the one-call forms of decode and encode for a whole message):
 *
 *     int smbw_NAME_decode(const smbw_block *b, smbw_NAME *out, smbw_error *err);
 *     int smbw_NAME_encode(smbw_builder *bld, const smbw_NAME *in);
 *     int smbw_NAME_parse(const uint8_t *buf, size_t len, int framing, smbw_msg *msg,
 *                         smbw_NAME *out, size_t *need, smbw_error *err);
 *     int smbw_NAME_build(uint8_t *buf, size_t cap, int framing, const smbw_header *h,
 *                         const smbw_NAME *in, size_t *len);
 *
 * They are `static inline` wrappers that pass the caller's `sizeof` to
 * smbw_decode_() and smbw_encode_(), so a struct may grow at its end in a
 * later version without breaking programs built against an older header
 * (doc/abi.md, "Structs that grow").
 *
 * The decoder contract (doc/contract.md), the same for every type:
 * - the output is written only on success; on failure its bytes are
 *   unchanged and @p err names the field and its offset from the SMB header;
 * - a WordCount that no form of the type has is SMBW_E_WCT at the
 *   WordCount byte;
 * - a length, offset or count word that points outside the data it
 *   describes is blamed on that word, at its own offset;
 * - strings and views point into the message (nothing is copied);
 * - bytes the form does not describe are returned in @c extra, so real
 *   messages re-encode byte for byte.
 */
#ifndef SMBWIRE_FORM_H
#define SMBWIRE_FORM_H

#include <smbwire/info.h>
#include <smbwire/message.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Every described message type: X(ID, name, COMMAND, reply).
 * `SMBW_TYPE_##ID` is its number (never renumbered: new types are added at
 * the end), `smbw_##name` its struct and the prefix of its typed calls,
 * `SMBW_COM_##COMMAND` its command code, and reply 0 for the request, 1
 * for the response.
 */
#define SMBW_TYPE_LIST(X)                                                  \
  X(OPEN_ANDX_REQ, open_andx_req, OPEN_ANDX, 0)                            \
  X(OPEN_ANDX_RSP, open_andx_rsp, OPEN_ANDX, 1)                            \
  X(READ_ANDX_REQ, read_andx_req, READ_ANDX, 0)                            \
  X(READ_ANDX_RSP, read_andx_rsp, READ_ANDX, 1)                            \
  X(TREE_CONNECT_ANDX_REQ, tree_connect_andx_req, TREE_CONNECT_ANDX, 0)    \
  X(TREE_CONNECT_ANDX_RSP, tree_connect_andx_rsp, TREE_CONNECT_ANDX, 1)    \
  X(SESSION_SETUP_ANDX_REQ, session_setup_andx_req, SESSION_SETUP_ANDX, 0) \
  X(SESSION_SETUP_ANDX_RSP, session_setup_andx_rsp, SESSION_SETUP_ANDX, 1) \
  X(CLOSE_REQ, close_req, CLOSE, 0)                                        \
  X(CLOSE_RSP, close_rsp, CLOSE, 1)                                        \
  X(FLUSH_REQ, flush_req, FLUSH, 0)                                        \
  X(FLUSH_RSP, flush_rsp, FLUSH, 1)                                        \
  X(ECHO_REQ, echo_req, ECHO, 0)                                           \
  X(ECHO_RSP, echo_rsp, ECHO, 1)                                           \
  X(LOGOFF_ANDX_REQ, logoff_andx_req, LOGOFF_ANDX, 0)                      \
  X(LOGOFF_ANDX_RSP, logoff_andx_rsp, LOGOFF_ANDX, 1)                      \
  X(TREE_DISCONNECT_REQ, tree_disconnect_req, TREE_DISCONNECT, 0)          \
  X(TREE_DISCONNECT_RSP, tree_disconnect_rsp, TREE_DISCONNECT, 1)          \
  X(FIND_CLOSE2_REQ, find_close2_req, FIND_CLOSE2, 0)                      \
  X(FIND_CLOSE2_RSP, find_close2_rsp, FIND_CLOSE2, 1)                      \
  X(NT_CANCEL_REQ, nt_cancel_req, NT_CANCEL, 0)                            \
  X(NT_CANCEL_RSP, nt_cancel_rsp, NT_CANCEL, 1)                            \
  X(NT_RENAME_REQ, nt_rename_req, NT_RENAME, 0)                            \
  X(NT_RENAME_RSP, nt_rename_rsp, NT_RENAME, 1)                            \
  X(DELETE_REQ, delete_req, DELETE, 0)                                     \
  X(DELETE_RSP, delete_rsp, DELETE, 1)                                     \
  X(RENAME_REQ, rename_req, RENAME, 0)                                     \
  X(RENAME_RSP, rename_rsp, RENAME, 1)                                     \
  X(CREATE_DIRECTORY_REQ, create_directory_req, CREATE_DIRECTORY, 0)       \
  X(CREATE_DIRECTORY_RSP, create_directory_rsp, CREATE_DIRECTORY, 1)       \
  X(DELETE_DIRECTORY_REQ, delete_directory_req, DELETE_DIRECTORY, 0)       \
  X(DELETE_DIRECTORY_RSP, delete_directory_rsp, DELETE_DIRECTORY, 1)       \
  X(CHECK_DIRECTORY_REQ, check_directory_req, CHECK_DIRECTORY, 0)          \
  X(CHECK_DIRECTORY_RSP, check_directory_rsp, CHECK_DIRECTORY, 1)          \
  X(QUERY_INFORMATION_REQ, query_information_req, QUERY_INFORMATION, 0)    \
  X(QUERY_INFORMATION_RSP, query_information_rsp, QUERY_INFORMATION, 1)    \
  X(SET_INFORMATION_REQ, set_information_req, SET_INFORMATION, 0)          \
  X(SET_INFORMATION_RSP, set_information_rsp, SET_INFORMATION, 1)          \
  X(QUERY_INFORMATION2_REQ, query_information2_req, QUERY_INFORMATION2, 0) \
  X(QUERY_INFORMATION2_RSP, query_information2_rsp, QUERY_INFORMATION2, 1) \
  X(SET_INFORMATION2_REQ, set_information2_req, SET_INFORMATION2, 0)       \
  X(SET_INFORMATION2_RSP, set_information2_rsp, SET_INFORMATION2, 1)       \
  X(SEEK_REQ, seek_req, SEEK, 0)                                           \
  X(SEEK_RSP, seek_rsp, SEEK, 1)                                           \
  X(QUERY_INFORMATION_DISK_REQ, query_information_disk_req,                \
    QUERY_INFORMATION_DISK, 0)                                             \
  X(QUERY_INFORMATION_DISK_RSP, query_information_disk_rsp,                \
    QUERY_INFORMATION_DISK, 1)                                             \
  X(PROCESS_EXIT_REQ, process_exit_req, PROCESS_EXIT, 0)                   \
  X(PROCESS_EXIT_RSP, process_exit_rsp, PROCESS_EXIT, 1)                   \
  X(WRITE_ANDX_REQ, write_andx_req, WRITE_ANDX, 0)                         \
  X(WRITE_ANDX_RSP, write_andx_rsp, WRITE_ANDX, 1)                         \
  X(LOCKING_ANDX_REQ, locking_andx_req, LOCKING_ANDX, 0)                   \
  X(LOCKING_ANDX_RSP, locking_andx_rsp, LOCKING_ANDX, 1)                   \
  X(NT_CREATE_ANDX_REQ, nt_create_andx_req, NT_CREATE_ANDX, 0)             \
  X(NT_CREATE_ANDX_RSP, nt_create_andx_rsp, NT_CREATE_ANDX, 1)             \
  X(OPEN_REQ, open_req, OPEN, 0)                                           \
  X(OPEN_RSP, open_rsp, OPEN, 1)                                           \
  X(CREATE_REQ, create_req, CREATE, 0)                                     \
  X(CREATE_RSP, create_rsp, CREATE, 1)                                     \
  X(CREATE_NEW_REQ, create_new_req, CREATE_NEW, 0)                         \
  X(CREATE_NEW_RSP, create_new_rsp, CREATE_NEW, 1)                         \
  X(READ_REQ, read_req, READ, 0)                                           \
  X(READ_RSP, read_rsp, READ, 1)                                           \
  X(LOCK_AND_READ_REQ, lock_and_read_req, LOCK_AND_READ, 0)                \
  X(LOCK_AND_READ_RSP, lock_and_read_rsp, LOCK_AND_READ, 1)                \
  X(WRITE_REQ, write_req, WRITE, 0)                                        \
  X(WRITE_RSP, write_rsp, WRITE, 1)                                        \
  X(WRITE_AND_UNLOCK_REQ, write_and_unlock_req, WRITE_AND_UNLOCK, 0)       \
  X(WRITE_AND_UNLOCK_RSP, write_and_unlock_rsp, WRITE_AND_UNLOCK, 1)       \
  X(LOCK_BYTE_RANGE_REQ, lock_byte_range_req, LOCK_BYTE_RANGE, 0)          \
  X(LOCK_BYTE_RANGE_RSP, lock_byte_range_rsp, LOCK_BYTE_RANGE, 1)          \
  X(UNLOCK_BYTE_RANGE_REQ, unlock_byte_range_req, UNLOCK_BYTE_RANGE, 0)    \
  X(UNLOCK_BYTE_RANGE_RSP, unlock_byte_range_rsp, UNLOCK_BYTE_RANGE, 1)    \
  X(WRITE_AND_CLOSE_REQ, write_and_close_req, WRITE_AND_CLOSE, 0)          \
  X(WRITE_AND_CLOSE_RSP, write_and_close_rsp, WRITE_AND_CLOSE, 1)          \
  X(TREE_CONNECT_REQ, tree_connect_req, TREE_CONNECT, 0)                   \
  X(TREE_CONNECT_RSP, tree_connect_rsp, TREE_CONNECT, 1)                   \
  X(CREATE_TEMPORARY_REQ, create_temporary_req, CREATE_TEMPORARY, 0)       \
  X(CREATE_TEMPORARY_RSP, create_temporary_rsp, CREATE_TEMPORARY, 1)       \
  X(SEARCH_REQ, search_req, SEARCH, 0)                                     \
  X(SEARCH_RSP, search_rsp, SEARCH, 1)                                     \
  X(FIND_REQ, find_req, FIND, 0)                                           \
  X(FIND_RSP, find_rsp, FIND, 1)                                           \
  X(FIND_UNIQUE_REQ, find_unique_req, FIND_UNIQUE, 0)                      \
  X(FIND_UNIQUE_RSP, find_unique_rsp, FIND_UNIQUE, 1)                      \
  X(FIND_CLOSE_REQ, find_close_req, FIND_CLOSE, 0)                         \
  X(FIND_CLOSE_RSP, find_close_rsp, FIND_CLOSE, 1)                         \
  X(READ_RAW_REQ, read_raw_req, READ_RAW, 0)                               \
  X(READ_RAW_RSP, read_raw_rsp, READ_RAW, 1)                               \
  X(READ_MPX_REQ, read_mpx_req, READ_MPX, 0)                               \
  X(READ_MPX_RSP, read_mpx_rsp, READ_MPX, 1)                               \
  X(READ_MPX_SECONDARY_REQ, read_mpx_secondary_req, READ_MPX_SECONDARY, 0) \
  X(READ_MPX_SECONDARY_RSP, read_mpx_secondary_rsp, READ_MPX_SECONDARY, 1) \
  X(WRITE_RAW_REQ, write_raw_req, WRITE_RAW, 0)                            \
  X(WRITE_RAW_RSP, write_raw_rsp, WRITE_RAW, 1)                            \
  X(WRITE_MPX_REQ, write_mpx_req, WRITE_MPX, 0)                            \
  X(WRITE_MPX_RSP, write_mpx_rsp, WRITE_MPX, 1)                            \
  X(WRITE_MPX_SECONDARY_REQ, write_mpx_secondary_req, WRITE_MPX_SECONDARY, 0) \
  X(WRITE_MPX_SECONDARY_RSP, write_mpx_secondary_rsp, WRITE_MPX_SECONDARY, 1) \
  X(WRITE_COMPLETE_REQ, write_complete_req, WRITE_COMPLETE, 0)             \
  X(WRITE_COMPLETE_RSP, write_complete_rsp, WRITE_COMPLETE, 1)             \
  X(QUERY_SERVER_REQ, query_server_req, QUERY_SERVER, 0)                   \
  X(QUERY_SERVER_RSP, query_server_rsp, QUERY_SERVER, 1)                   \
  X(IOCTL_REQ, ioctl_req, IOCTL, 0)                                        \
  X(IOCTL_RSP, ioctl_rsp, IOCTL, 1)                                        \
  X(IOCTL_SECONDARY_REQ, ioctl_secondary_req, IOCTL_SECONDARY, 0)          \
  X(IOCTL_SECONDARY_RSP, ioctl_secondary_rsp, IOCTL_SECONDARY, 1)          \
  X(COPY_REQ, copy_req, COPY, 0)                                           \
  X(COPY_RSP, copy_rsp, COPY, 1)                                           \
  X(MOVE_REQ, move_req, MOVE, 0)                                           \
  X(MOVE_RSP, move_rsp, MOVE, 1)                                           \
  X(NEW_FILE_SIZE_REQ, new_file_size_req, NEW_FILE_SIZE, 0)                \
  X(NEW_FILE_SIZE_RSP, new_file_size_rsp, NEW_FILE_SIZE, 1)                \
  X(CLOSE_AND_TREE_DISC_REQ, close_and_tree_disc_req, CLOSE_AND_TREE_DISC, 0) \
  X(CLOSE_AND_TREE_DISC_RSP, close_and_tree_disc_rsp, CLOSE_AND_TREE_DISC, 1) \
  X(FIND_NOTIFY_CLOSE_REQ, find_notify_close_req, FIND_NOTIFY_CLOSE, 0)    \
  X(FIND_NOTIFY_CLOSE_RSP, find_notify_close_rsp, FIND_NOTIFY_CLOSE, 1)    \
  X(SECURITY_PACKAGE_ANDX_REQ, security_package_andx_req, SECURITY_PACKAGE_ANDX, 0) \
  X(SECURITY_PACKAGE_ANDX_RSP, security_package_andx_rsp, SECURITY_PACKAGE_ANDX, 1) \
  X(OPEN_PRINT_FILE_REQ, open_print_file_req, OPEN_PRINT_FILE, 0)          \
  X(OPEN_PRINT_FILE_RSP, open_print_file_rsp, OPEN_PRINT_FILE, 1)          \
  X(WRITE_PRINT_FILE_REQ, write_print_file_req, WRITE_PRINT_FILE, 0)       \
  X(WRITE_PRINT_FILE_RSP, write_print_file_rsp, WRITE_PRINT_FILE, 1)       \
  X(CLOSE_PRINT_FILE_REQ, close_print_file_req, CLOSE_PRINT_FILE, 0)       \
  X(CLOSE_PRINT_FILE_RSP, close_print_file_rsp, CLOSE_PRINT_FILE, 1)       \
  X(GET_PRINT_QUEUE_REQ, get_print_queue_req, GET_PRINT_QUEUE, 0)          \
  X(GET_PRINT_QUEUE_RSP, get_print_queue_rsp, GET_PRINT_QUEUE, 1)          \
  X(READ_BULK_REQ, read_bulk_req, READ_BULK, 0)                            \
  X(READ_BULK_RSP, read_bulk_rsp, READ_BULK, 1)                            \
  X(WRITE_BULK_REQ, write_bulk_req, WRITE_BULK, 0)                         \
  X(WRITE_BULK_RSP, write_bulk_rsp, WRITE_BULK, 1)                         \
  X(WRITE_BULK_DATA_REQ, write_bulk_data_req, WRITE_BULK_DATA, 0)          \
  X(WRITE_BULK_DATA_RSP, write_bulk_data_rsp, WRITE_BULK_DATA, 1)          \
  X(SEND_MESSAGE_REQ, send_message_req, SEND_MESSAGE, 0)                   \
  X(SEND_MESSAGE_RSP, send_message_rsp, SEND_MESSAGE, 1)                   \
  X(SEND_BROADCAST_MESSAGE_REQ, send_broadcast_message_req, SEND_BROADCAST_MESSAGE, 0) \
  X(SEND_BROADCAST_MESSAGE_RSP, send_broadcast_message_rsp, SEND_BROADCAST_MESSAGE, 1) \
  X(FORWARD_USER_NAME_REQ, forward_user_name_req, FORWARD_USER_NAME, 0)    \
  X(FORWARD_USER_NAME_RSP, forward_user_name_rsp, FORWARD_USER_NAME, 1)    \
  X(CANCEL_FORWARD_REQ, cancel_forward_req, CANCEL_FORWARD, 0)             \
  X(CANCEL_FORWARD_RSP, cancel_forward_rsp, CANCEL_FORWARD, 1)             \
  X(GET_MACHINE_NAME_REQ, get_machine_name_req, GET_MACHINE_NAME, 0)       \
  X(GET_MACHINE_NAME_RSP, get_machine_name_rsp, GET_MACHINE_NAME, 1)       \
  X(SEND_START_MB_MESSAGE_REQ, send_start_mb_message_req, SEND_START_MB_MESSAGE, 0) \
  X(SEND_START_MB_MESSAGE_RSP, send_start_mb_message_rsp, SEND_START_MB_MESSAGE, 1) \
  X(SEND_END_MB_MESSAGE_REQ, send_end_mb_message_req, SEND_END_MB_MESSAGE, 0) \
  X(SEND_END_MB_MESSAGE_RSP, send_end_mb_message_rsp, SEND_END_MB_MESSAGE, 1) \
  X(SEND_TEXT_MB_MESSAGE_REQ, send_text_mb_message_req, SEND_TEXT_MB_MESSAGE, 0) \
  X(SEND_TEXT_MB_MESSAGE_RSP, send_text_mb_message_rsp, SEND_TEXT_MB_MESSAGE, 1) \
  X(INVALID_REQ, invalid_req, INVALID, 0)                                   \
  X(INVALID_RSP, invalid_rsp, INVALID, 1)

/** Message type numbers; see ::SMBW_TYPE_LIST. */
enum smbw_type {
#define SMBW_X_TYPE_ENUM(id, name, cmd, reply) SMBW_TYPE_##id,
  SMBW_TYPE_LIST(SMBW_X_TYPE_ENUM)
#undef SMBW_X_TYPE_ENUM
  SMBW_TYPE_COUNT_ /**< number of types in this header (not a type) */
};

/**
 * Decode a block as message type @p type; called through the typed
 * `smbw_NAME_decode()` wrappers.  The struct is written only on success,
 * and only its first @p size bytes (a caller built against an older header
 * gets the fields it knows; one built against a newer header gets zeros in
 * the fields this library does not know).
 * @param b     a block from smbw_andx_iter_next() (or one made by hand with
 *              the same guarantees)
 * @param type  enum smbw_type
 * @param out   the type's struct
 * @param size  `sizeof *out` as the caller compiled it
 * @param err   receives code, offset from the SMB header and field name on
 *              failure (nullable)
 * @return 0; SMBW_E_INVAL (NULL argument, unknown @p type, @p size smaller
 *         than the type's first published struct); SMBW_E_COMMAND (the
 *         block is another command); SMBW_E_WCT (no form of the type has
 *         this WordCount); SMBW_E_FIELD_LENGTH, SMBW_E_DATA_OFFSET,
 *         SMBW_E_BCC, SMBW_E_BUFFER_FORMAT, SMBW_E_COUNT naming the word or
 *         byte that is wrong.
 */
SMBW_API int smbw_decode_(const smbw_block *b, int type, void *out, size_t size,
                          smbw_error *err);

/**
 * The one-call typed parse, for a program that knows which message comes
 * next (a client awaiting the answer to its request, a server that has
 * looked at the command byte): frame one NBSS packet, check the SMB
 * header, read the first block and decode it as @p type, in one call.
 * Called through the typed `smbw_NAME_parse()` wrappers, which pass the
 * caller's `sizeof`:
 *
 * @code
 *   smbw_msg m;
 *   smbw_read_andx_rsp r;
 *   size_t need = 0;
 *   smbw_error e;
 *   int n = smbw_read_andx_rsp_parse(buf, len, SMBW_FRAMING_DIRECT, &m, &r, &need, &e);
 *   if (n == 0) { read `need` more bytes, call again }
 *   else if (n < 0) { bad input: e.code, e.offset, e.field }
 *   else if (m.data == NULL) { a keepalive: consume n bytes }
 *   else { m.hdr and r hold the message; consume n bytes }
 * @endcode
 *
 * The checks and errors are those of smbw_nbss_frame(), smbw_msg_decode(),
 * smbw_andx_iter_next() on the first block (its AndXOffset included) and
 * smbw_decode_(), at the same offsets.  Blocks chained after the first
 * are not read: when its AndXCommand is not 0xFF, walk them with
 * smbw_andx_iter_init() on @p msg (the iterator yields the first block
 * again) or use smbw_parse().
 *
 * @param buf     bytes received so far, starting with an NBSS header
 * @param len     how many
 * @param framing ::SMBW_FRAMING_NBT or ::SMBW_FRAMING_DIRECT
 * @param type    enum smbw_type of the first block
 * @param msg     receives the message (header, start, length) on success;
 *                for a packet that is not a session message (a keepalive),
 *                all zero, with @c data NULL
 * @param out     the type's struct, written only on success, like
 *                smbw_decode_()
 * @param size    `sizeof *out` as the caller compiled it
 * @param need    when 0 is returned: how many more bytes the packet needs
 *                (nullable)
 * @param err     receives code, offset and field on failure (nullable);
 *                framing errors count from the NBSS header, the others
 *                from the SMB header
 * @return the size of the whole NBSS packet (> 0), which the caller
 *         consumes; 0 when more bytes are needed; SMBW_E_COMMAND (offset
 *         4) when the message is another command; any error of the calls
 *         above; SMBW_E_INVAL for a NULL @p msg or @p out, an unknown
 *         @p type or framing, or a @p size below the type's first
 *         published size.  Nothing is written on failure.
 */
SMBW_API int smbw_parse_typed_(const uint8_t *buf, size_t len, int framing, int type,
                               smbw_msg *msg, void *out, size_t size, size_t *need,
                               smbw_error *err);

/**
 * The one-call typed build: a whole message of one block, its NBSS header
 * (unless ::SMBW_FRAMING_NONE), the SMB header and the block of type
 * @p type, in one call.  It does what smbw_builder_init(),
 * smbw_encode_() and smbw_builder_finish() do, with the same checks and
 * the same bytes; for a chain, use the builder.  Called through the typed
 * `smbw_NAME_build()` wrappers, which pass the caller's `sizeof`:
 *
 * @code
 *   size_t len;
 *   int rc = smbw_read_andx_req_build(buf, sizeof buf, SMBW_FRAMING_DIRECT, &hdr, &req, &len);
 *   if (rc == SMBW_E_NOSPACE) { a buffer of len bytes is needed }
 *   else if (rc == 0) { send buf[0 .. len) }
 * @endcode
 *
 * @param buf      output (may be NULL with @p cap 0 to only measure)
 * @param cap      its size; nothing is written at or past @p buf + @p cap
 * @param framing  enum smbw_framing
 * @param h        the header; its command is replaced by the type's
 * @param type     enum smbw_type
 * @param in       the type's struct
 * @param size     `sizeof *in` as the caller compiled it
 * @param len      receives the message's size (nullable): on success and
 *                 on SMBW_E_NOSPACE, the exact size needed
 * @return 0; SMBW_E_NOSPACE (@p cap too small, @p len says how much is
 *         needed); the errors of smbw_builder_init(), smbw_encode_() and
 *         smbw_builder_finish() (SMBW_E_INVAL for an unknown @p type).
 */
SMBW_API int smbw_build_typed_(uint8_t *buf, size_t cap, int framing, const smbw_header *h,
                               int type, const void *in, size_t size, size_t *len);

/**
 * Append a block of message type @p type to a message; called through the
 * typed `smbw_NAME_encode()` wrappers.  The form is chosen by the struct's
 * @c wct (0 in a request picks the type's first form; 0 in a response is
 * the error form with no words).  Length, offset and count words are
 * computed from the views; ByteCount from the items.
 * @param bld   the builder
 * @param type  enum smbw_type
 * @param in    the type's struct
 * @param size  `sizeof *in` as the caller compiled it (fields past it are
 *              taken as zero)
 * @return 0 or the builder's sticky error: SMBW_E_INVAL (NULL argument,
 *         unknown @p type, a @c wct no form has, a view {NULL, n > 0}),
 *         SMBW_E_RANGE (a value that does not fit its word, a view too
 *         long for its length word or for the byte area),
 *         SMBW_E_STR_ENCODING (a string that cannot be encoded).
 */
SMBW_API int smbw_encode_(smbw_builder *bld, int type, const void *in, size_t size);

/** What a visited field holds (smbw_field::kind). */
enum smbw_field_kind {
  SMBW_FIELD_UINT = 0,  /**< an unsigned integer in @c value */
  SMBW_FIELD_BYTES = 1, /**< a run of bytes in @c bytes */
  SMBW_FIELD_STR = 2    /**< a string in @c str */
};

/** One wire field of a decoded block, as given to an ::smbw_visit_fn. */
typedef struct smbw_field {
  const char *name;   /**< MS-CIFS name ("WordCount", "FID", "AndXOffset") */
  const char *wsname; /**< Wireshark display-filter field ("smb.fid"), or
                           NULL where Wireshark has none */
  uint32_t offset;    /**< offset of the field from the SMB header */
  uint32_t width;     /**< bytes it takes on the wire */
  int kind;           /**< enum smbw_field_kind */
  uint64_t value;     /**< SMBW_FIELD_UINT: the value, as on the wire */
  smbw_bytes bytes;   /**< SMBW_FIELD_BYTES: a view into the message */
  smbw_str str;       /**< SMBW_FIELD_STR: a view into the message */
} smbw_field;

/**
 * Called once per field, in wire order.
 * @return 0 to go on; anything else stops the walk and is returned by
 *         smbw_block_visit().
 */
typedef int (*smbw_visit_fn)(void *ctx, const smbw_field *f);

/**
 * Visit every field of a block: WordCount, the parameter words of its form
 * (or, for a command no form describes, the words as one run), ByteCount
 * and the byte-area items, then the extra bytes if any.  The type is
 * chosen by the block's command and the header's reply flag.
 * @param b    a block from smbw_andx_iter_next()
 * @param fn   called for each field
 * @param ctx  passed to @p fn
 * @param err  receives the decode error (nullable)
 * @return 0; the first non-zero return of @p fn; or the decode error of
 *         the block's type (nothing is visited then).
 */
SMBW_API int smbw_block_visit(const smbw_block *b, smbw_visit_fn fn, void *ctx,
                              smbw_error *err);

/**
 * The message type of a command in one direction.
 * @param command  a command code
 * @param reply    0 request, 1 response
 * @return an enum smbw_type, or -1 if no type describes it
 */
SMBW_API int smbw_type_of(uint8_t command, int reply);

/**
 * Facts about a message type, for tools and tests.
 * @param type        enum smbw_type
 * @param name        receives "SMB_COM_CLOSE request" and the like (nullable)
 * @param spec        receives the specification section ("MS-CIFS
 *                    2.2.4.5.1") (nullable)
 * @param wcts        receives the valid WordCounts, at most @p max (nullable)
 * @param max         room in @p wcts
 * @return the number of valid WordCounts (256 for a command whose layout
 *         MS-CIFS does not give: any WordCount), or SMBW_E_INVAL for an
 *         unknown @p type.
 */
SMBW_API int smbw_type_info(int type, const char **name, const char **spec, uint8_t *wcts,
                            size_t max);

/**
 * The records: structures inside a byte area that are not messages, each
 * described by rows like the messages (lib/commands/forms.c), so that one
 * engine decodes, encodes and visits them.  X(ID, name, type, size):
 *
 * - SMB_COM_SEARCH's (FIND's, FIND_UNIQUE's) 43-byte directory entries and
 *   SMB_COM_GET_PRINT_QUEUE's 28-byte queue entries, laid end to end;
 * - the TRANSACTION2 information levels and parameter blocks of info.h
 *   (::SMBW_INFO_RECORD_LIST).
 *
 * A record has a fixed part of @c size bytes (its fields at constant
 * offsets) and may end with one variable item: a name whose byte length
 * is a field of the fixed part, a NUL-terminated name that runs to the end
 * of the area, or the rest of the area as bytes.  A record whose first
 * field is a NextEntryOffset is an entry of a chained list.  Each record
 * has a struct smbw_TYPE and typed calls generated from this list:
 *
 *     int smbw_NAME_decode(smbw_bytes area, unsigned flags, smbw_TYPE *out, smbw_error *err);
 *     int smbw_NAME_encode(const smbw_TYPE *in, unsigned flags, uint8_t *buf, size_t cap,
 *                          size_t *need);
 *     int smbw_NAME_next(smbw_record_iter *it, smbw_TYPE *out, smbw_error *err);
 *     int smbw_NAME_get(smbw_bytes area, uint32_t i, smbw_TYPE *out);   (fixed size)
 *     int smbw_NAME_put(const smbw_TYPE *in, uint8_t *buf, size_t cap); (fixed size)
 *
 * Add new records at the end.
 */
#define SMBW_RECORD_LIST(X)                                     \
  X(SEARCH_ENTRY, search_entry, search_entry, 43)               \
  X(PRINT_QUEUE_ENTRY, print_queue_entry, print_queue_entry, 28) \
  SMBW_INFO_RECORD_LIST(X)

/** @name Flags of the record calls
    Names in records are UTF-16LE with ::SMBW_REC_UNICODE (the message's
    FLAGS2_UNICODE), else OEM.  A NUL-terminated name after a fixed part,
    and NT_TRANSACT_CREATE's Name, are aligned to an even offset from the SMB
    header, as smbd and Wireshark read them: ::SMBW_REC_ODD says the area
    starts at an odd offset from it.  smbw_rec_flags() computes both;
    passing 1 for "Unicode" is right for an area at an even offset. */
/**@{*/
#define SMBW_REC_UNICODE 1u /**< names are UTF-16LE */
#define SMBW_REC_ODD 2u     /**< the area starts at an odd offset from the SMB header */
/**@}*/

/**
 * The flags of the record calls for an area of a message.
 * @param unicode  the message's FLAGS2_UNICODE (non-zero: UTF-16LE names)
 * @param offset   offset of the area from the SMB header (for a transaction:
 *                 its ParameterOffset or DataOffset)
 * @return ::SMBW_REC_UNICODE and ::SMBW_REC_ODD as they apply
 */
static inline unsigned smbw_rec_flags(int unicode, uint32_t offset) {
  return (unicode ? SMBW_REC_UNICODE : 0u) | ((offset & 1u) ? SMBW_REC_ODD : 0u);
}

/** Record numbers; see ::SMBW_RECORD_LIST. */
enum smbw_record {
#define SMBW_X_RECORD_ENUM(id, name, type, size) SMBW_RECORD_##id,
  SMBW_RECORD_LIST(SMBW_X_RECORD_ENUM)
#undef SMBW_X_RECORD_ENUM
  SMBW_RECORD_COUNT_ /**< number of records in this header (not a record) */
};

/**
 * Record @p i of @p area, for records of a fixed size laid end to end (as
 * in smbw_search_rsp::entries); called through the typed
 * `smbw_NAME_get()`.  Only the first @p size bytes of @p out are written
 * (the caller's sizeof, as for smbw_decode_()).
 * @param rec   enum smbw_record
 * @param area  the records, end to end
 * @param i     record index
 * @param out   receives the record
 * @param size  sizeof *out
 * @return 0, or SMBW_E_INVAL: an unknown @p rec, a record with a variable
 *         part, a NULL argument, @p size smaller than the struct first
 *         published, or @p i past the last whole record of @p area (bytes
 *         after it are not a record).
 */
SMBW_API int smbw_record_get_(int rec, smbw_bytes area, uint32_t i, void *out, size_t size);

/**
 * Write one fixed-size record of type @p rec from @p in (@p size: the
 * caller's sizeof) into @p buf; called through the typed `smbw_NAME_put()`.
 * Lay records end to end and give the result as the view of the message
 * struct (smbw_search_rsp::entries).
 * @param rec   enum smbw_record
 * @param in    the record
 * @param size  sizeof *in
 * @param buf   output (NULL with @p cap 0 to ask the size)
 * @param cap   size of @p buf
 * @return the record's size in bytes; SMBW_E_NOSPACE when @p cap is
 *         smaller (nothing written); SMBW_E_INVAL for an unknown @p rec, a
 *         record with a variable part, a NULL argument or @p size smaller
 *         than the struct first published.
 */
SMBW_API int smbw_record_put_(int rec, const void *in, size_t size, uint8_t *buf, size_t cap);

/**
 * Decode the record of type @p rec at the start of @p area; called through
 * the typed `smbw_NAME_decode()`.  Follows the decoder contract
 * (doc/contract.md): @p out is written only on success, and then only its
 * first @p size bytes.
 * @param rec      enum smbw_record
 * @param area     the bytes (a transaction's parameters or data, or a list entry)
 * @param flags    ::SMBW_REC_UNICODE, ::SMBW_REC_ODD (smbw_rec_flags())
 * @param out      receives the record
 * @param size     sizeof *out
 * @param err      receives the failure (nullable); offsets are from the
 *                 start of @p area
 * @return the bytes the record takes (>= 0; bytes after it are not part
 *         of it), or SMBW_E_TRUNCATED (the area ends inside the fixed
 *         part: the field cut is named), SMBW_E_FIELD_LENGTH (a length
 *         field runs past the area: it is named) or SMBW_E_INVAL.
 */
SMBW_API int smbw_record_decode_(int rec, smbw_bytes area, unsigned flags, void *out,
                                 size_t size, smbw_error *err);

/**
 * Encode one record; called through the typed `smbw_NAME_encode()`.  The
 * length fields of a variable name are computed from it.  A chained entry
 * whose next_entry_offset is past its end is followed by zero bytes up to
 * it, so that a list re-encodes byte for byte.
 * @param rec      enum smbw_record
 * @param in       the record
 * @param size     sizeof *in
 * @param flags    ::SMBW_REC_UNICODE: names in UTF-16LE, else OEM (a name
 *                 given in another encoding is converted); ::SMBW_REC_ODD:
 *                 the area will start at an odd offset from the SMB header
 * @param buf      output (NULL with @p cap 0 to ask the size)
 * @param cap      size of @p buf
 * @param need     receives the bytes the record takes (nullable)
 * @return the bytes written (> 0 or 0 for an empty record);
 *         SMBW_E_NOSPACE when @p cap is smaller (nothing written, *need
 *         set); SMBW_E_RANGE when a name does not fit its length field;
 *         SMBW_E_STR_ENCODING for a name that cannot be converted;
 *         SMBW_E_INVAL for a bad argument.
 */
SMBW_API int smbw_record_encode_(int rec, const void *in, size_t size, unsigned flags,
                                 uint8_t *buf, size_t cap, size_t *need);

/** Walks the records of an area: the entries of a chained list (by their
    NextEntryOffset) or records laid end to end.  Fill with
    smbw_record_iter_init(); the members are private. */
typedef struct smbw_record_iter {
  smbw_bytes area;  /**< the whole area */
  uint32_t pos;     /**< offset of the next record */
  int16_t rec;      /**< enum smbw_record */
  uint8_t flags;    /**< SMBW_REC_UNICODE, SMBW_REC_ODD (of the area's start) */
  uint8_t done;     /**< the last entry was returned */
  uintptr_t reserved_[2]; /**< room for new private state within the SONAME */
} smbw_record_iter;

/**
 * Start walking the records of type @p rec in @p area.
 * @param it       the iterator
 * @param rec      enum smbw_record
 * @param area     the records
 * @param flags    ::SMBW_REC_UNICODE, ::SMBW_REC_ODD (smbw_rec_flags())
 */
SMBW_API void smbw_record_iter_init(smbw_record_iter *it, int rec, smbw_bytes area,
                                    unsigned flags);

/**
 * The next record; called through the typed `smbw_NAME_next()`.  A chained
 * list ends at the entry whose NextEntryOffset is 0; other records end
 * with the area (a record that is not a list entry yields one record).
 * Each NextEntryOffset must hold its entry and stay inside the area, so
 * the walk only moves forward.
 * @param it    an iterator from smbw_record_iter_init()
 * @param out   receives the record
 * @param size  sizeof *out
 * @param err   receives the failure (nullable)
 * @return 1 with @p out filled, 0 at the end, or an error as
 *         smbw_record_decode_() gives (offsets from the start of the area;
 *         SMBW_E_NEXT_OFFSET names a NextEntryOffset that leaves the area
 *         or does not hold its entry.  After an error the walk is over.
 */
SMBW_API int smbw_record_iter_next_(smbw_record_iter *it, void *out, size_t size,
                                    smbw_error *err);

/**
 * Visit every field of the records in @p area, as smbw_record_iter_next_()
 * walks them, then the bytes after the last one ("Trailing").
 * @param rec      enum smbw_record
 * @param area     the bytes
 * @param unicode  1 when names are UTF-16LE
 * @param base     offset of @p area from the SMB header (added to each
 *                 field's offset, and the alignment of its names)
 * @param fn       called for each field
 * @param ctx      passed to @p fn
 * @param err      receives a decode failure (nullable)
 * @return 0; the first non-zero return of @p fn; or the decode error (the
 *         fields before it have been visited).
 */
SMBW_API int smbw_record_visit(int rec, smbw_bytes area, int unicode, uint32_t base,
                               smbw_visit_fn fn, void *ctx, smbw_error *err);

/**
 * The name of record @p rec ("file_basic_info") and the specification
 * section it follows.
 * @param rec   enum smbw_record
 * @param name  receives the name (nullable)
 * @param spec  receives the section (nullable)
 * @return 0, or SMBW_E_INVAL for an unknown @p rec (nothing written)
 */
SMBW_API int smbw_record_info(int rec, const char **name, const char **spec);

#ifdef __cplusplus
}
#endif
#endif
