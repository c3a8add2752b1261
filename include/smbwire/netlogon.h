/**
 * @file netlogon.h
 * @brief NETLOGON mailslot messages (MS-ADTS 6.3.1): what Windows and Samba
 *        send to \\MAILSLOT\\NET\\NETLOGON and answer on the mailslot the
 *        request names (\\MAILSLOT\\NET\\GETDC..., \\MAILSLOT\\NET\\NTLOGON).
 *
 * The message is the data of a mailslot write (a TRANSACTION request whose
 * Name is the mailslot; smbw_trans_req::data), itself usually the user data
 * of a NetBIOS datagram (dgram.h).  It starts with a 16-bit Opcode and is a
 * sequence of fields without alignment except where the layout says so:
 *
 * | opcode | form | fields after the Opcode |
 * |---|---|---|
 * | 0x07 LOGON_PRIMARY_QUERY | PRIMARY_QUERY | ComputerName (OEM), MailslotName (OEM), [Pad to even, UnicodeComputerName, NtVersion, LmNtToken, Lm20Token] |
 * | 0x0C LOGON_PRIMARY_RESPONSE | PRIMARY_RESPONSE | PrimaryDCName (OEM), [Pad to even, UnicodePrimaryDCName, UnicodeDomainName, NtVersion, LmNtToken, Lm20Token] |
 * | 0x12 LOGON_SAM_LOGON_REQUEST | SAM_REQUEST | RequestCount, UnicodeComputerName, UnicodeUserName, MailslotName (OEM), AllowableAccountControlBits, DomainSidSize, [Pad to 4, DomainSid when the size is not 0], NtVersion, LmNtToken, Lm20Token |
 * | 0x13 LOGON_SAM_LOGON_RESPONSE, 0x15 LOGON_SAM_USER_UNKNOWN; NtVersion without NETLOGON_NT_VERSION_5 | SAM_RESPONSE_NT40 | UnicodeLogonServer, UnicodeUserName, UnicodeDomainName, NtVersion, LmNtToken, Lm20Token |
 * | the same with NETLOGON_NT_VERSION_5 | SAM_RESPONSE_NT5 | as NT40, then DomainGuid, NullGuid, DnsForestName, DnsDomainName, DnsHostName, DcIpAddress (little-endian), Flags, NtVersion, LmNtToken, Lm20Token |
 * | 0x17 LOGON_SAM_LOGON_RESPONSE_EX, 0x19 LOGON_SAM_USER_UNKNOWN_EX | SAM_RESPONSE_EX | Sbz, Flags, DomainGuid, DnsForestName, DnsDomainName, DnsHostName, NetbiosDomainName, NetbiosComputerName, UserName, DcSiteName, ClientSiteName, [DcSockAddrSize, DcSockAddr with NETLOGON_NT_VERSION_5EX_WITH_IP], [NextClosestSiteName with NETLOGON_NT_VERSION_WITH_CLOSEST_SITE], NtVersion, LmNtToken, Lm20Token |
 *
 * The Unicode strings are NUL-terminated UTF-16LE at any offset, the OEM
 * ones NUL-terminated bytes; both are smbw_str views (terminator
 * excluded).  The DNS names of the NT5 and EX forms are RFC 1035 names
 * with compression (MS-ADTS 6.3.7): labels of 1 to 63 bytes ending with a
 * zero byte or a pointer (two bytes, 0xC0 | offset) to an earlier offset
 * of the message; each is a view of its wire bytes, which
 * smbw_netlogon_name_text() expands.  As Samba does, the form of 0x13 and
 * 0x15 (and the optional fields of EX) follow the NtVersion in the last
 * eight bytes, which must equal the NtVersion read where the layout puts it.
 *
 * Offsets in an smbw_error from these functions count from the first byte
 * of the message (the Opcode).
 */
#ifndef SMBWIRE_NETLOGON_H
#define SMBWIRE_NETLOGON_H

#include <smbwire/common.h>
#include <smbwire/error.h>
#include <smbwire/str.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The mailslot of the requests. */
#define SMBW_NETLOGON_MAILSLOT "\\MAILSLOT\\NET\\NETLOGON"

/** Opcodes (MS-ADTS 6.3.1.3) that smbw_netlogon_decode() reads. */
enum smbw_netlogon_opcode {
  SMBW_LOGON_PRIMARY_QUERY = 0x07,          /**< NETLOGON_LOGON_QUERY: who is the PDC? */
  SMBW_LOGON_PRIMARY_RESPONSE = 0x0C,       /**< NETLOGON_PRIMARY_RESPONSE */
  SMBW_LOGON_SAM_LOGON_REQUEST = 0x12,      /**< NETLOGON_SAM_LOGON_REQUEST: a mailslot ping */
  SMBW_LOGON_SAM_LOGON_RESPONSE = 0x13,     /**< a DC for the user */
  SMBW_LOGON_SAM_USER_UNKNOWN = 0x15,       /**< a DC, user unknown */
  SMBW_LOGON_SAM_LOGON_RESPONSE_EX = 0x17,  /**< NETLOGON_SAM_LOGON_RESPONSE_EX */
  SMBW_LOGON_SAM_USER_UNKNOWN_EX = 0x19     /**< the same, user unknown */
};

/** The layout a message was read with (the table in the file comment). */
enum smbw_netlogon_form {
  SMBW_NETLOGON_PRIMARY_QUERY = 1,
  SMBW_NETLOGON_PRIMARY_RESPONSE = 2,
  SMBW_NETLOGON_SAM_REQUEST = 3,
  SMBW_NETLOGON_SAM_RESPONSE_NT40 = 4,
  SMBW_NETLOGON_SAM_RESPONSE_NT5 = 5,
  SMBW_NETLOGON_SAM_RESPONSE_EX = 6
};

/** NtVersion bits (MS-ADTS 6.3.1.1) that choose a layout. */
enum smbw_netlogon_nt_version {
  SMBW_NETLOGON_NT_VERSION_1 = 0x01,
  SMBW_NETLOGON_NT_VERSION_5 = 0x02,
  SMBW_NETLOGON_NT_VERSION_5EX = 0x04,
  SMBW_NETLOGON_NT_VERSION_5EX_WITH_IP = 0x08,
  SMBW_NETLOGON_NT_VERSION_WITH_CLOSEST_SITE = 0x10
};

/**
 * One NETLOGON message, the members of every form; those a form does not
 * carry are zero after decoding and ignored when encoding.  Views point
 * into the decoded buffer.  The struct may grow at its end (doc/abi.md).
 */
typedef struct smbw_netlogon {
  uint16_t opcode;          /**< Opcode, enum smbw_netlogon_opcode */
  uint8_t form;             /**< enum smbw_netlogon_form, set by the decoder
                                 (the encoder derives it as the decoder does) */
  uint8_t nt_tail;          /**< 0x07, 0x0C: 1 when the fields in brackets
                                 (Pad to NtVersion ... Lm20Token) are there
                                 (LAN Manager peers stop before); 1 for the
                                 other forms */
  uint16_t request_count;   /**< RequestCount (0x12) */
  uint16_t sbz;             /**< Sbz (EX) */
  uint32_t account_control; /**< AllowableAccountControlBits (0x12) */
  uint32_t sid_size;        /**< DomainSidSize (0x12); the encoder writes
                                 @c sid.len and ignores this member */
  uint32_t dc_ip;           /**< DcIpAddress (NT5), host order
                                 (a.b.c.d is a<<24|b<<16|c<<8|d); on the
                                 wire a little-endian number (bytes d, c,
                                 b, a), as Samba's AD DC sends it */
  uint32_t flags;           /**< Flags (NT5, EX): DS_*_FLAG bits */
  uint32_t nt_version;      /**< NtVersion, enum smbw_netlogon_nt_version bits */
  uint16_t lmnt_token;      /**< LmNtToken (0xFFFF) */
  uint16_t lm20_token;      /**< Lm20Token (0xFFFF) */
  uint8_t sockaddr_size;    /**< DcSockAddrSize (EX with IP); the encoder
                                 writes @c sockaddr.len */
  smbw_bytes pad;           /**< the alignment bytes (0x07, 0x0C: 0 or 1
                                 byte before the Unicode name; 0x12: 0-3
                                 before DomainSid), as sent; the encoder
                                 writes them when their count is the one
                                 needed, else zeros */
  smbw_bytes sid;           /**< DomainSid (0x12): a SID (smbw_sid_decode()) */
  smbw_bytes domain_guid;   /**< DomainGuid (NT5, EX): 16 bytes */
  smbw_bytes null_guid;     /**< NullGuid (NT5): 16 bytes */
  smbw_bytes sockaddr;      /**< DcSockAddr (EX with IP): a SOCKADDR_IN */
  smbw_str computer_name;   /**< ComputerName (0x07), PrimaryDCName (0x0C): OEM */
  smbw_str mailslot_name;   /**< MailslotName (0x07, 0x12): OEM */
  smbw_str unicode_computer_name; /**< UnicodeComputerName (0x07, 0x12),
                                 UnicodePrimaryDCName (0x0C),
                                 UnicodeLogonServer (0x13, 0x15) */
  smbw_str user_name;       /**< UnicodeUserName (0x12, 0x13, 0x15) */
  smbw_str domain_name;     /**< UnicodeDomainName (0x0C, 0x13, 0x15) */
  smbw_bytes dns_forest_name;        /**< DnsForestName (NT5, EX): compressed */
  smbw_bytes dns_domain_name;        /**< DnsDomainName (NT5, EX) */
  smbw_bytes dns_host_name;          /**< DnsHostName (NT5, EX) */
  smbw_bytes netbios_domain_name;    /**< NetbiosDomainName (EX) */
  smbw_bytes netbios_computer_name;  /**< NetbiosComputerName (EX) */
  smbw_bytes ex_user_name;           /**< UserName (EX) */
  smbw_bytes dc_site_name;           /**< DcSiteName (EX) */
  smbw_bytes client_site_name;       /**< ClientSiteName (EX) */
  smbw_bytes next_closest_site_name; /**< NextClosestSiteName (EX with
                                          WITH_CLOSEST_SITE) */
  smbw_bytes extra;         /**< bytes after Lm20Token (0x07, 0x0C, 0x12):
                                 kept, written back by the encoder; never in
                                 the SAM responses, whose NtVersion ends the
                                 message */
} smbw_netlogon;

/**
 * Decode one NETLOGON message.
 *
 * Checked: an opcode of the table (else SMBW_E_COMMAND, offset 0, field
 * "Opcode"); every field inside @p len (SMBW_E_TRUNCATED at the field,
 * with its MS-ADTS name); every string terminated (SMBW_E_STR_UNTERMINATED
 * at its first byte); DomainSid a valid SID of exactly DomainSidSize bytes
 * (SMBW_E_SID, or SMBW_E_FIELD_LENGTH "DomainSidSize"); each DNS name
 * made of labels of 1 to 63 bytes inside the message (SMBW_E_FIELD_LENGTH)
 * ending with a zero byte or a pointer to an earlier offset
 * (SMBW_E_DATA_OFFSET; label types 0x40 and 0x80 too), and expanding,
 * through at most 64 pointers each checked the same way, to at most 255
 * bytes of text (SMBW_E_FIELD_LENGTH; SMBW_E_DATA_OFFSET; the offset is
 * where the expansion failed): so smbw_netlogon_name_text() never fails
 * on a name the decoder gave; the SAM responses: the
 * NtVersion read where the layout puts it equal to the one in the last
 * eight bytes, with nothing after Lm20Token (SMBW_E_FIELD_LENGTH,
 * "NtVersion"), and LmNtToken and Lm20Token 0xFFFF, as MS-ADTS requires
 * and Samba checks (SMBW_E_REVISION at the token; the requests are not
 * checked: a stray byte in a request shifts them, and its fields are still
 * what tshark reads).
 *
 * @param buf       the message (the mailslot data)
 * @param len       its size
 * @param out       receives it; written only on success
 * @param out_size  sizeof *out as the caller compiled it (doc/abi.md)
 * @param err       code, field and offset on failure (nullable)
 * @return 0 or a negative SMBW_E_* code (SMBW_E_INVAL: NULL argument or
 *         @p out_size too small).
 */
SMBW_API int smbw_netlogon_decode_(const uint8_t *buf, size_t len, smbw_netlogon *out,
                                   size_t out_size, smbw_error *err);

/** smbw_netlogon_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_netlogon_decode(const uint8_t *buf, size_t len, smbw_netlogon *out,
                                       smbw_error *err) {
  return smbw_netlogon_decode_(buf, len, out, sizeof *out, err);
}

/**
 * Encode one NETLOGON message of opcode @c m->opcode, in the form the
 * decoder would read (from the opcode, @c nt_tail and @c nt_version).
 * Strings are written as given and must be in their wire encoding (OEM or
 * UTF-16LE: SMBW_E_INVAL otherwise), with a terminator added; DNS names are
 * written as their wire bytes.  Writes only @p out[0 .. @p cap), and nothing
 * unless the whole message fits.  A decoded message encodes back to its
 * bytes exactly.
 *
 * @param out     destination (NULL with @p cap 0 to ask the size)
 * @param cap     its size
 * @param m       the message
 * @param m_size  sizeof *m as the caller compiled it (doc/abi.md)
 * @param len     the size written or needed, also on SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE; SMBW_E_INVAL (NULL @p m, @p m_size too small,
 *         an unknown opcode, a view with a length but no bytes, a string
 *         not in its wire encoding or of odd UTF-16 length, a GUID not of
 *         16 bytes, a DcSockAddr over 255 bytes); SMBW_E_RANGE (over 4 GiB).
 */
SMBW_API int smbw_netlogon_encode_(uint8_t *out, size_t cap, const smbw_netlogon *m,
                                   size_t m_size, size_t *len);

/** smbw_netlogon_encode_() with the caller's sizeof *m (doc/abi.md). */
static inline int smbw_netlogon_encode(uint8_t *out, size_t cap, const smbw_netlogon *m,
                                       size_t *len) {
  return smbw_netlogon_encode_(out, cap, m, sizeof *m, len);
}

/** Kinds of the fields smbw_netlogon_visit() reports. */
enum smbw_netlogon_kind {
  SMBW_NETLOGON_U8 = 1,   /**< a number in @c value */
  SMBW_NETLOGON_U16 = 2,  /**< a number in @c value */
  SMBW_NETLOGON_U32 = 3,  /**< a number in @c value */
  SMBW_NETLOGON_IPV4 = 4, /**< an IPv4 address (DcIpAddress), host order in @c value */
  SMBW_NETLOGON_STR = 5,  /**< a string in @c str */
  SMBW_NETLOGON_BYTES = 6,/**< bytes in @c bytes (pad, SID, GUID, sockaddr, extra) */
  SMBW_NETLOGON_DNS = 7   /**< a compressed DNS name's wire bytes in @c bytes */
};

/** One field of a message, as smbw_netlogon_visit() reports it. */
typedef struct smbw_netlogon_field {
  const char *name;   /**< its MS-ADTS name ("UnicodeComputerName", ...) */
  uint8_t kind;       /**< enum smbw_netlogon_kind */
  uint32_t offset;    /**< where it starts in the encoded message */
  uint32_t value;     /**< U8, U16, U32, IPV4 */
  smbw_bytes bytes;   /**< BYTES, DNS */
  smbw_str str;       /**< STR */
} smbw_netlogon_field;

/** Called once per field, in wire order; a non-zero return stops the walk. */
typedef int (*smbw_netlogon_visitor)(void *ctx, const smbw_netlogon_field *f);

/**
 * Report every field of @p m in wire order, as the encoder would write it
 * (the same layout code decodes, encodes and visits).
 * @param m       the message (a decoded one, or one to encode)
 * @param m_size  sizeof *m as the caller compiled it (doc/abi.md)
 * @param fn      called once per field
 * @param ctx     passed to @p fn
 * @return 0, the visitor's non-zero value, or what smbw_netlogon_encode()
 *         would return for @p m (SMBW_E_INVAL ...), before any call;
 *         SMBW_E_INVAL for a NULL @p fn.
 */
SMBW_API int smbw_netlogon_visit_(const smbw_netlogon *m, size_t m_size,
                                  smbw_netlogon_visitor fn, void *ctx);

/** smbw_netlogon_visit_() with the caller's sizeof *m (doc/abi.md). */
static inline int smbw_netlogon_visit(const smbw_netlogon *m, smbw_netlogon_visitor fn,
                                      void *ctx) {
  return smbw_netlogon_visit_(m, sizeof *m, fn, ctx);
}

/**
 * Expand a compressed DNS name (a view smbw_netlogon_decode() gave, inside
 * @p msg) into dotted text, following pointers (each strictly backwards,
 * so the walk ends).  Label bytes are copied as they are (UTF-8).
 * @param msg   the whole message the name was decoded from
 * @param len   its size
 * @param name  the name's view (inside @p msg)
 * @param out   receives the text, NUL-terminated (may be NULL with @p cap 0)
 * @param cap   size of @p out
 * @param need  receives the text length without the NUL, also on
 *              SMBW_E_NOSPACE (nullable)
 * @return 0; SMBW_E_NOSPACE (nothing useful written); SMBW_E_INVAL (@p name
 *         not a whole name inside @p msg); SMBW_E_FIELD_LENGTH,
 *         SMBW_E_DATA_OFFSET (a malformed name, as the decoder reports).
 *         Label bytes are copied as they are (a zero byte in a label too,
 *         so the text may hold NULs before its end).
 */
SMBW_API int smbw_netlogon_name_text(const uint8_t *msg, size_t len, smbw_bytes name, char *out,
                                     size_t cap, size_t *need);

/**
 * Name of a NETLOGON opcode (MS-ADTS 6.3.1.3), all of them, also those
 * smbw_netlogon_decode() does not read.
 * @param opcode  the Opcode
 * @return "LOGON_PRIMARY_QUERY", "LOGON_SAM_LOGON_REQUEST", ... or NULL.
 */
SMBW_API const char *smbw_netlogon_opcode_name(uint16_t opcode);

#ifdef __cplusplus
}
#endif
#endif
