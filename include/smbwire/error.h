/**
 * @file error.h
 * @brief The one list of smbwire error codes.
 *
 * Every function that can fail returns a negative SMBW_E_* value.  The
 * values are stable forever; new codes are only ever appended inside their
 * group.  Groups: -1..-19 general, -20..-39 NetBIOS session service,
 * -40..-59 SMB header, -60..-79 AndX chain, -80..-119 command fields,
 * -120..-139 strings.
 */
#ifndef SMBWIRE_ERROR_H
#define SMBWIRE_ERROR_H

#include <smbwire/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * X-macro list of every error: X(NAME, value, description).
 * `SMBW_E_##NAME` is the enum constant; smbw_errname() returns
 * "SMBW_E_" NAME and smbw_strerror() the description.  Values never change
 * and are never reused; new codes are appended inside their group.
 */
#define SMBW_ERROR_LIST(X)                                                    \
  X(OK,               0,   "success")                                        \
  X(INVAL,           -1,   "invalid argument")                               \
  X(NOSPACE,         -2,   "output buffer too small")                        \
  X(TRUNCATED,       -3,   "input ends inside a field")                      \
  X(RANGE,           -4,   "value does not fit the wire field")              \
  X(STATE,           -5,   "call out of order")                              \
  X(NBSS_TYPE,       -20,  "unknown NBSS packet type")                       \
  X(NBSS_FLAGS,      -21,  "reserved NBSS flag bits set")                    \
  X(NBSS_LENGTH,     -22,  "NBSS length invalid for the packet type")        \
  X(NBSS_NAME,       -23,  "malformed first-level encoded NetBIOS name")     \
  X(NBSS_SCOPE,      -24,  "malformed NetBIOS scope label")                  \
  X(HDR_PROTOCOL,    -40,  "not an SMB1 message (protocol is not 0xFF 'SMB')") \
  X(SIGNATURE,       -41,  "message signature does not match")              \
  X(WCT_OVERRUN,     -60,  "word count runs past the end of the message")    \
  X(BCC_OVERRUN,     -61,  "byte count runs past the end of the message")    \
  X(ANDX_BACKWARD,   -62,  "AndXOffset points backward")                     \
  X(ANDX_LOOP,       -63,  "AndXOffset revisits a block of the chain")       \
  X(ANDX_OVERLAP,    -64,  "AndXOffset points into the current block")       \
  X(ANDX_PAST_END,   -65,  "AndXOffset points past the end of the message")  \
  X(ANDX_SHORT,      -66,  "AndX block has fewer than 2 parameter words")    \
  X(COMMAND,         -80,  "block is not the command this decoder handles")  \
  X(WCT,             -81,  "word count not valid for this command")          \
  X(BCC,             -82,  "byte count too small for the command's data")    \
  X(FIELD_LENGTH,    -83,  "length field exceeds the data it describes")     \
  X(DATA_OFFSET,     -84,  "data offset or length outside the message")      \
  X(BUFFER_FORMAT,   -85,  "wrong buffer format byte")                       \
  X(TRANS_LAYOUT,    -86,  "transaction data before or over its parameters") \
  X(LEVEL,           -88,  "information level unknown or not supported")     \
  X(NEXT_OFFSET,     -89,  "NextEntryOffset inside its entry or past the data") \
  X(COUNT,           -90,  "entry count disagrees with the data")            \
  X(SID,             -91,  "malformed SID (revision or sub-authority count)") \
  X(ACL,             -92,  "malformed ACL or ACE (revision, size or count)")  \
  X(SD_OFFSET,       -93,  "security descriptor part outside the buffer")    \
  X(REVISION,        -94,  "structure revision not supported")               \
  X(TRANS_MISMATCH,  -100, "fragment of another transaction (family or IDs)") \
  X(TRANS_TOTAL,     -101, "transaction total grows or falls below bytes received") \
  X(TRANS_OVERLAP,   -102, "fragment overlaps transaction bytes received")   \
  X(TRANS_FRAGMENTS, -103, "too many disjoint transaction fragments")        \
  X(TRANS_DISPLACEMENT,-104, "transaction piece runs past its total count")  \
  X(STR_UNTERMINATED,-120, "string is not terminated")                       \
  X(STR_ENCODING,    -121, "string cannot be represented in that encoding")

/**
 * Error codes; see SMBW_ERROR_LIST for the constants and their meaning.
 * Every smbwire function that can fail returns one of them (negative), and
 * decoders also store it in smbw_error::code.  Functions return @c int,
 * not this enum, so that new codes never change a prototype.
 */
enum smbw_errcode {
#define SMBW_X_ENUM(name, value, text) SMBW_E_##name = value,
  SMBW_ERROR_LIST(SMBW_X_ENUM)
#undef SMBW_X_ENUM
  SMBW_E_LAST_ = -127 /**< not an error: keeps the enum signed */
};

/**
 * Human-readable description of an error code.
 * @param code  a value returned by any smbwire function (any int is
 *              accepted)
 * @return a static string owned by the library (never NULL, never to be
 *         freed), such as "AndXOffset revisits a block of the chain";
 *         "success" for 0 and "unknown error" for a value not in the list.
 *         Never fails.
 */
SMBW_API const char *smbw_strerror(int code);

/**
 * Symbolic name of an error code, e.g. "SMBW_E_ANDX_LOOP".
 * @param code  a value returned by any smbwire function (any int is
 *              accepted)
 * @return a static string owned by the library (never NULL, never to be
 *         freed); "SMBW_E_OK" for 0 and "SMBW_E_UNKNOWN" for a value not in
 *         the list.  Never fails.
 */
SMBW_API const char *smbw_errname(int code);

/**
 * Runtime library version: the SMBW_VERSION_NUMBER the loaded library was
 * built with, (MAJOR << 16) | (MINOR << 8) | PATCH.  Compare it with the
 * SMBW_VERSION_NUMBER of the headers a program was compiled against to
 * detect a mismatch; the SONAME policy (doc/abi.md) guarantees that a
 * library with the same SONAME and a version >= the headers' provides
 * everything those headers declare.
 * @return the version number; never fails.
 */
SMBW_API uint32_t smbw_version(void);

/**
 * Runtime library version as text.
 * @return a static string owned by the library, "MAJOR.MINOR.PATCH"
 *         (for example "0.1.0"); never NULL, never fails.
 */
SMBW_API const char *smbw_version_string(void);

#ifdef __cplusplus
}
#endif
#endif
