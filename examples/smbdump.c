/*
 * smbdump: decode the SMB1/CIFS traffic of a pcap or pcapng capture with
 * smbwire.
 *
 *   smbdump [--json] [-V] [--stats] [--port N]... [--hex-limit N] FILE|-
 *
 * Default: one line per NBSS packet, in the manner of tshark's Info column.
 * -V: the full field tree of every packet.  --json: JSON Lines, one object
 * per NBSS packet (field contract: doc/smbdump.md).  --stats: counts per
 * command, status and connection, decode failures and transactions.
 * Transactions are reassembled per connection (smbw_trans_asm) and the
 * fragments the reassembler refuses are reported; the payload of each
 * completed transaction (directory searches, EA lists, security
 * descriptors) is decoded with find.h, ea.h and security.h.
 *
 * Every byte is decoded by the library (smbw_nbss_frame, smbw_msg_decode,
 * the AndX iterator and the typed decoders); this file only formats.
 */
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smbwire/smbwire.h>

#include "flow.h"
#include "print.h"

/* ------------------------------------------------------------ JSON writer */

typedef struct jw {
  char *b;
  size_t n, cap;
  FILE *out;
  int on;           /* 0: every call is a no-op */
  int depth;
  int first[32];    /* no comma needed yet at this depth */
} jw;

static jw J;
static FILE *OUT; /* human and -V output (stdout) */

static void jflush(void) {
  if (J.n) fwrite(J.b, 1, J.n, J.out);
  J.n = 0;
}

static void jreserve(size_t k) {
  if (J.n + k <= J.cap) return;
  jflush();
  if (k > J.cap) {
    char *nb = realloc(J.b, k);
    if (!nb) {
      fprintf(stderr, "smbdump: out of memory\n");
      exit(2);
    }
    J.b = nb;
    J.cap = k;
  }
}

static void jput(const char *s, size_t n) {
  jreserve(n);
  memcpy(J.b + J.n, s, n);
  J.n += n;
}

static void jputs(const char *s) { jput(s, strlen(s)); }

static void jsep(void) {
  if (J.depth > 0 && !J.first[J.depth]) jput(",", 1);
  J.first[J.depth] = 0;
}

static void jopen(char c) {
  if (!J.on) return;
  jput(&c, 1);
  if (J.depth < 31) J.depth++;
  J.first[J.depth] = 1;
}

static void jclose(char c) {
  if (!J.on) return;
  jput(&c, 1);
  if (J.depth > 0) J.depth--;
}

/* Escaped JSON string body of UTF-8 text. */
static void jtext(const char *s, size_t n) {
  static const char hx[] = "0123456789abcdef";
  jreserve(n * 6 + 2);
  char *o = J.b + J.n;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      *o++ = '\\';
      *o++ = (char)c;
    } else if (c < 0x20) {
      *o++ = '\\';
      switch (c) {
      case '\n': *o++ = 'n'; break;
      case '\r': *o++ = 'r'; break;
      case '\t': *o++ = 't'; break;
      case '\b': *o++ = 'b'; break;
      case '\f': *o++ = 'f'; break;
      default:
        *o++ = 'u';
        *o++ = '0';
        *o++ = '0';
        *o++ = hx[c >> 4];
        *o++ = hx[c & 15];
      }
    } else {
      *o++ = (char)c;
    }
  }
  *o++ = '"';
  J.n = (size_t)(o - J.b);
}

static void jkey(const char *k) {
  jsep();
  jput("\"", 1);
  jputs(k);
  jput("\":", 2);
}

static void jk_open(const char *k, char c) {
  if (!J.on) return;
  jkey(k);
  jopen(c);
}

static void jk_u(const char *k, uint64_t v) {
  if (!J.on) return;
  char b[32];
  jkey(k);
  jput(b, (size_t)snprintf(b, sizeof b, "%" PRIu64, v));
}

static void jk_i(const char *k, int64_t v) {
  if (!J.on) return;
  char b[32];
  jkey(k);
  jput(b, (size_t)snprintf(b, sizeof b, "%" PRId64, v));
}

static void jk_b(const char *k, int v) {
  if (!J.on) return;
  jkey(k);
  jputs(v ? "true" : "false");
}

static void jk_null(const char *k) {
  if (!J.on) return;
  jkey(k);
  jputs("null");
}

static void jk_s(const char *k, const char *s) {
  if (!J.on) return;
  jkey(k);
  jtext(s, strlen(s));
}

static void jhex(const uint8_t *p, size_t n) {
  static const char hx[] = "0123456789abcdef";
  jreserve(2 * n + 2);
  char *o = J.b + J.n;
  *o++ = '"';
  for (size_t i = 0; i < n; i++) {
    *o++ = hx[p[i] >> 4];
    *o++ = hx[p[i] & 15];
  }
  *o++ = '"';
  J.n = (size_t)(o - J.b);
}

static void jk_hex(const char *k, const uint8_t *p, size_t n) {
  if (!J.on) return;
  jkey(k);
  jhex(p, n);
}

static void jk_bytes(const char *k, smbw_bytes v) {
  if (!J.on || !v.data) return;
  jk_hex(k, v.data, v.len);
}

/* Extra data bytes after the last field, only when there are some. */
static void jk_extra(smbw_bytes v) {
  if (v.data && v.len) jk_bytes("extra", v);
}

static char sbuf[1 << 18];

static const char *str_utf8(const smbw_str *s) {
  size_t need = 0;
  smbw_str_to_utf8(s, sbuf, sizeof sbuf, &need);
  return sbuf;
}

/* A text field: absent strings are left out. */
static void jk_str(const char *k, const smbw_str *s) {
  if (!J.on || !s->data) return;
  size_t need = 0;
  smbw_str_to_utf8(s, sbuf, sizeof sbuf, &need);
  jkey(k);
  jtext(sbuf, strlen(sbuf));
}

static void jitem_s(const char *s, size_t n) {
  if (!J.on) return;
  jsep();
  jtext(s, n);
}

/* ------------------------------------------------------------ info line */

typedef struct infobuf {
  char b[4096]; /* tshark's COL_MAX_INFO_LEN */
  size_t n;
  int on;
} infobuf;

static infobuf I;

static void iadd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void iadd(const char *fmt, ...) {
  if (!I.on || I.n >= sizeof I.b - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(I.b + I.n, sizeof I.b - I.n, fmt, ap);
  va_end(ap);
  if (r > 0) I.n += (size_t)r;
  if (I.n >= sizeof I.b) I.n = sizeof I.b - 1;
}

/* tshark's command names (its Info column). */
static const char *cmd_label(uint8_t c) {
  switch (c) {
  case 0x00: return "Create Directory";
  case 0x01: return "Delete Directory";
  case 0x02: return "Open";
  case 0x03: return "Create";
  case 0x04: return "Close";
  case 0x05: return "Flush";
  case 0x06: return "Delete";
  case 0x07: return "Rename";
  case 0x08: return "Query Information";
  case 0x09: return "Set Information";
  case 0x0A: return "Read";
  case 0x0B: return "Write";
  case 0x0C: return "Lock Byte Range";
  case 0x0D: return "Unlock Byte Range";
  case 0x0E: return "Create Temp";
  case 0x0F: return "Create New";
  case 0x10: return "Check Directory";
  case 0x11: return "Process Exit";
  case 0x12: return "Seek";
  case 0x13: return "Lock And Read";
  case 0x14: return "Write And Unlock";
  case 0x1A: return "Read Raw";
  case 0x1B: return "Read MPX";
  case 0x1C: return "Read MPX Secondary";
  case 0x1D: return "Write Raw";
  case 0x1E: return "Write MPX";
  case 0x1F: return "Write MPX Secondary";
  case 0x20: return "Write Complete";
  case 0x21: return "Query Server";
  case 0x22: return "Set Information2";
  case 0x23: return "Query Information2";
  case 0x24: return "Locking AndX";
  case 0x25: return "Trans";
  case 0x26: return "Trans Secondary";
  case 0x27: return "IOCTL";
  case 0x28: return "IOCTL Secondary";
  case 0x29: return "Copy";
  case 0x2A: return "Move";
  case 0x2B: return "Echo";
  case 0x2C: return "Write And Close";
  case 0x2D: return "Open AndX";
  case 0x2E: return "Read AndX";
  case 0x2F: return "Write AndX";
  case 0x30: return "New File Size";
  case 0x31: return "Close And Tree Disconnect";
  case 0x32: return "Trans2";
  case 0x33: return "Trans2 Secondary";
  case 0x34: return "Find Close2";
  case 0x35: return "Find Notify Close";
  case 0x70: return "Tree Connect";
  case 0x71: return "Tree Disconnect";
  case 0x72: return "Negotiate Protocol";
  case 0x73: return "Session Setup AndX";
  case 0x74: return "Logoff AndX";
  case 0x75: return "Tree Connect AndX";
  case 0x7E: return "Security Package AndX";
  case 0x80: return "Query Information Disk";
  case 0x81: return "Search";
  case 0x82: return "Find";
  case 0x83: return "Find Unique";
  case 0x84: return "Find Close";
  case 0xA0: return "NT Trans";
  case 0xA1: return "NT Trans Secondary";
  case 0xA2: return "NT Create AndX";
  case 0xA4: return "NT Cancel";
  case 0xA5: return "NT Rename";
  case 0xC0: return "Open Print File";
  case 0xC1: return "Write Print File";
  case 0xC2: return "Close Print File";
  case 0xC3: return "Get Print Queue";
  case 0xD8: return "Read Bulk";
  case 0xD9: return "Write Bulk";
  case 0xDA: return "Write Bulk Data";
  default: return NULL;
  }
}

/* ------------------------------------------------------------ READ FID memory */

/* The FID of a READ_ANDX request, to show it on the response like tshark
   (human output only: JSON carries only what is in each message). */
#define PENDING 4096u
typedef struct pending {
  uint64_t key;
  uint16_t fid;
  uint8_t used;
} pending;
static pending pend[PENDING];

static uint64_t pend_key(uint32_t stream, const smbw_header *h) {
  return ((uint64_t)stream << 32) ^ ((uint64_t)smbw_header_pid(h) << 16) ^ h->mid ^
         ((uint64_t)h->uid << 40) ^ ((uint64_t)h->tid << 24);
}

static pending *pend_slot(uint64_t key) {
  uint64_t x = key * 0x9E3779B97F4A7C15ull;
  return &pend[(x >> 40) % PENDING];
}

/* ------------------------------------------------------------ decoding */

/* What the transaction tracker made of one message (see tx_request()). */
typedef struct txout {
  int done;               /* a transaction completed with this message */
  uint8_t command;        /* its primary command */
  uint8_t has_sub;        /* sub is known */
  uint16_t sub;           /* subcommand: setup word 0, or the NT Function */
  const char *sub_name;   /* its MS-CIFS name (NULL: none) */
  unsigned fragments;     /* fragments it was assembled from */
  smbw_bytes params, data;
  uint8_t *own;           /* buffer behind params/data, freed once printed */
  int err;                /* a refused fragment: the error, else 0 */
  smbw_error e;
  char detail[96];        /* the request's Info details, for its response */
  uint8_t rsp;            /* the completed transaction is a response */
  uint8_t unicode;        /* FLAGS2_UNICODE of the message completing it */
  uint8_t has_level;      /* level and fflags are known (from the request) */
  uint16_t level;         /* the request's InformationLevel (FIND, QUERY/SET_*_INFORMATION) */
  uint16_t fflags;        /* the FIND request's Flags */
} txout;

typedef struct walk {
  uint32_t stream;
  const smbw_header *h; /* &hdr once the header decoded */
  smbw_header hdr;
  int rsp;
  int rc;            /* first error, 0 if none */
  smbw_error err;
  unsigned nblocks;
  uint8_t cmds[16];  /* first commands of the chain, for the stats */
  int untyped;
  txout tx;          /* transaction reassembly */
} walk;

static void fields_andx(const smbw_andx *a) {
  jk_u("andx_command", a->command);
  jk_u("andx_offset", a->offset);
}

static int do_negotiate(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_negotiate_req r;
    int rc = smbw_negotiate_req_decode(b, &r, &w->err);
    if (rc) return rc;
    jk_open("dialects", '[');
    smbw_dialect_iter it;
    smbw_str name;
    smbw_dialect_iter_init(&it, &r);
    while (smbw_dialect_iter_next(&it, &name)) {
      if (!J.on) continue;
      size_t need = 0;
      smbw_str_to_utf8(&name, sbuf, sizeof sbuf, &need);
      jitem_s(sbuf, strlen(sbuf));
    }
    jclose(']');
    return 0;
  }
  smbw_negotiate_rsp r;
  int rc = smbw_negotiate_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  jk_u("dialect_index", r.dialect_index);
  if (r.wct == 1) {
    jk_extra(r.extra);
    return 0;
  }
  jk_u("security_mode", r.security_mode);
  if (r.wct == 13) {
    jk_u("max_buffer_size", r.max_buffer_size);
    jk_u("max_mpx_count", r.max_mpx_count);
    jk_u("max_number_vcs", r.max_number_vcs);
    jk_u("raw_mode", r.raw_mode);
    jk_u("session_key", r.session_key);
    jk_u("server_time", r.server_time);
    jk_u("server_date", r.server_date);
    jk_i("server_time_zone", r.server_time_zone);
    jk_u("encryption_key_length", r.challenge_length);
    jk_u("reserved", r.reserved);
    jk_bytes("encryption_key", r.challenge);
    jk_str("primary_domain", &r.domain_name);
    jk_extra(r.extra);
    return 0;
  }
  jk_u("max_mpx_count", r.max_mpx_count);
  jk_u("max_number_vcs", r.max_number_vcs);
  jk_u("max_buffer_size", r.max_buffer_size);
  jk_u("max_raw_size", r.max_raw_size);
  jk_u("session_key", r.session_key);
  jk_u("capabilities", r.capabilities);
  jk_u("system_time", r.system_time);
  jk_i("server_time_zone", r.server_time_zone);
  jk_u("challenge_length", r.challenge_length);
  if (r.capabilities & SMBW_CAP_EXTENDED_SECURITY) {
    jk_bytes("server_guid", r.server_guid);
    jk_bytes("security_blob", r.security_blob);
  } else {
    jk_bytes("challenge", r.challenge);
    jk_str("domain_name", &r.domain_name);
    jk_str("server_name", &r.server_name);
  }
  jk_extra(r.extra);
  return 0;
}

static int do_session_setup(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_session_setup_andx_req r;
    int rc = smbw_session_setup_andx_req_decode(b, &r, &w->err);
    if (rc) return rc;
    fields_andx(&r.andx);
    jk_u("max_buffer_size", r.max_buffer_size);
    jk_u("max_mpx_count", r.max_mpx_count);
    jk_u("vc_number", r.vc_number);
    jk_u("session_key", r.session_key);
    if (r.wct == 10) {
      jk_u("password_length", r.password.len);
      jk_u("reserved", r.reserved);
      jk_bytes("account_password", r.password);
    } else if (r.wct == 13) {
      jk_u("oem_password_length", r.password.len);
      jk_u("unicode_password_length", r.unicode_password.len);
      jk_u("reserved", r.reserved);
      jk_u("capabilities", r.capabilities);
      jk_bytes("oem_password", r.password);
      jk_bytes("unicode_password", r.unicode_password);
    } else {
      jk_u("security_blob_length", r.security_blob.len);
      jk_u("reserved", r.reserved);
      jk_u("capabilities", r.capabilities);
      jk_bytes("security_blob", r.security_blob);
    }
    jk_str("account_name", &r.account_name);
    jk_str("primary_domain", &r.primary_domain);
    jk_str("native_os", &r.native_os);
    jk_str("native_lan_man", &r.native_lanman);
    jk_extra(r.extra);
    if (r.wct != 12 && r.account_name.data) {
      iadd(", User: %s\\", r.primary_domain.data ? str_utf8(&r.primary_domain) : "");
      iadd("%s", str_utf8(&r.account_name));
    }
    return 0;
  }
  smbw_session_setup_andx_rsp r;
  int rc = smbw_session_setup_andx_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  fields_andx(&r.andx);
  jk_u("action", r.action);
  if (r.wct == 4) {
    jk_u("security_blob_length", r.security_blob.len);
    jk_bytes("security_blob", r.security_blob);
  }
  jk_str("native_os", &r.native_os);
  jk_str("native_lan_man", &r.native_lanman);
  jk_str("primary_domain", &r.primary_domain);
  jk_extra(r.extra);
  return 0;
}

static int do_tree_connect(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_tree_connect_andx_req r;
    int rc = smbw_tree_connect_andx_req_decode(b, &r, &w->err);
    if (rc) return rc;
    fields_andx(&r.andx);
    jk_u("flags", r.flags);
    jk_u("password_length", r.password.len);
    jk_bytes("password", r.password);
    jk_str("path", &r.path);
    jk_str("service", &r.service);
    jk_extra(r.extra);
    if (r.path.data) iadd(", Path: %s", str_utf8(&r.path));
    return 0;
  }
  smbw_tree_connect_andx_rsp r;
  int rc = smbw_tree_connect_andx_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  fields_andx(&r.andx);
  if (r.wct >= 3) jk_u("optional_support", r.optional_support);
  if (r.wct == 7) {
    jk_u("maximal_share_access_rights", r.maximal_share_access_rights);
    jk_u("guest_maximal_share_access_rights", r.guest_maximal_share_access_rights);
  }
  jk_str("service", &r.service);
  jk_str("native_file_system", &r.native_file_system);
  jk_extra(r.extra);
  return 0;
}

static int do_open(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_open_andx_req r;
    int rc = smbw_open_andx_req_decode(b, &r, &w->err);
    if (rc) return rc;
    fields_andx(&r.andx);
    jk_u("flags", r.flags);
    jk_u("access_mode", r.access_mode);
    jk_u("search_attrs", r.search_attrs);
    jk_u("file_attrs", r.file_attrs);
    jk_u("creation_time", r.creation_time);
    jk_u("open_mode", r.open_mode);
    jk_u("allocation_size", r.allocation_size);
    jk_u("timeout", r.timeout);
    jk_u("reserved", r.reserved);
    jk_str("file_name", &r.file_name);
    jk_extra(r.extra);
    if (r.file_name.data) iadd(", Path: %s", str_utf8(&r.file_name));
    return 0;
  }
  smbw_open_andx_rsp r;
  int rc = smbw_open_andx_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  fields_andx(&r.andx);
  jk_u("fid", r.fid);
  jk_u("file_attrs", r.file_attrs);
  jk_u("last_write_time", r.last_write_time);
  jk_u("file_data_size", r.file_data_size);
  jk_u("access_rights", r.access_rights);
  jk_u("resource_type", r.resource_type);
  jk_u("nm_pipe_status", r.nmpipe_status);
  jk_u("open_results", r.open_results);
  jk_u("server_fid", r.server_fid);
  jk_u("reserved", r.reserved);
  if (r.wct == 19) {
    jk_u("maximal_access_rights", r.maximal_access_rights);
    jk_u("guest_maximal_access_rights", r.guest_maximal_access_rights);
  }
  jk_extra(r.extra);
  iadd(", FID: 0x%04x", r.fid);
  return 0;
}

static int do_read(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_read_andx_req r;
    int rc = smbw_read_andx_req_decode(b, &r, &w->err);
    if (rc) return rc;
    fields_andx(&r.andx);
    jk_u("fid", r.fid);
    jk_u("offset", r.offset);
    jk_u("max_count", r.max_count);
    jk_u("min_count", r.min_count);
    jk_u("timeout", r.timeout);
    jk_u("remaining", r.remaining);
    if (r.wct == 12) jk_u("offset_high", r.offset >> 32);
    jk_extra(r.extra);
    uint32_t count = r.max_count;
    iadd(", FID: 0x%04x, %" PRIu32 " bytes at offset %" PRIu64, r.fid, count, r.offset);
    if (I.on) {
      uint64_t key = pend_key(w->stream, w->h);
      pending *pe = pend_slot(key);
      pe->key = key;
      pe->fid = r.fid;
      pe->used = 1;
    }
    return 0;
  }
  smbw_read_andx_rsp r;
  int rc = smbw_read_andx_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  fields_andx(&r.andx);
  jk_u("available", r.available);
  jk_u("data_compaction_mode", r.data_compaction_mode);
  jk_u("data_length", r.data_length);
  jk_u("data_offset", r.data_offset);
  if (I.on) {
    uint64_t key = pend_key(w->stream, w->h);
    pending *pe = pend_slot(key);
    if (pe->used && pe->key == key) iadd(", FID: 0x%04x", pe->fid);
    iadd(", %" PRIu32 " bytes", r.data_length);
  }
  return 0;
}

/* ------------------------------------------------------------ transactions */

/* Limits (doc/smbdump.md): bytes of Trans_Parameters / Trans_Data printed
   as hex in the JSON, transactions tracked per connection, bytes buffered
   per transaction (parameters + data) and in all. */
#define HEX_MAX_DEFAULT 4096u
static size_t HEX_MAX = HEX_MAX_DEFAULT; /* --hex-limit; 0: no limit */
#define TX_PER_CONN 64u
#define TX_MAX_BYTES (1u << 20)
#define TX_MAX_TOTAL ((uint64_t)256 << 20)

static int is_trans(uint8_t c) {
  return c == SMBW_COM_TRANSACTION || c == SMBW_COM_TRANSACTION_SECONDARY ||
         c == SMBW_COM_TRANSACTION2 || c == SMBW_COM_TRANSACTION2_SECONDARY ||
         c == SMBW_COM_NT_TRANSACT || c == SMBW_COM_NT_TRANSACT_SECONDARY;
}

/* The primary command of a transaction command's family. */
static uint8_t tx_family(uint8_t c) {
  switch (c) {
  case SMBW_COM_TRANSACTION_SECONDARY: return SMBW_COM_TRANSACTION;
  case SMBW_COM_TRANSACTION2_SECONDARY: return SMBW_COM_TRANSACTION2;
  case SMBW_COM_NT_TRANSACT_SECONDARY: return SMBW_COM_NT_TRANSACT;
  default: return c;
  }
}

/* tshark's words for the subcommands (its Info column). */
static const char *sub_label(uint8_t family, uint16_t code, char *buf, size_t cap) {
  static const char *const t2[] = {
      "OPEN2", "FIND_FIRST2", "FIND_NEXT2", "QUERY_FS_INFO", "SET_FS_INFO",
      "QUERY_PATH_INFO", "SET_PATH_INFO", "QUERY_FILE_INFO", "SET_FILE_INFO", "FSCTL",
      "IOCTL2", "FIND_NOTIFY_FIRST", "FIND_NOTIFY_NEXT", "CREATE_DIRECTORY",
      "SESSION_SETUP", NULL, "GET_DFS_REFERRAL", "REPORT_DFS_INCONSISTENCY"};
  static const char *const nt[] = {NULL, "NT CREATE", "NT IOCTL", "NT SET SECURITY DESC",
                                   "NT NOTIFY", "NT RENAME", "NT QUERY SECURITY DESC",
                                   "NT GET USER QUOTA", "NT SET USER QUOTA"};
  const char *n = NULL;
  if (family == SMBW_COM_TRANSACTION2 && code < sizeof t2 / sizeof t2[0]) n = t2[code];
  else if (family == SMBW_COM_NT_TRANSACT && code < sizeof nt / sizeof nt[0]) n = nt[code];
  else if (family == SMBW_COM_TRANSACTION) n = smbw_trans_subcommand_name(family, code);
  if (n) return n;
  snprintf(buf, cap, "Unknown (0x%04x)", code);
  return buf;
}

/* A TRANSACTION Name that opens with \PIPE\ (ASCII case ignored): the
   setup words are a named pipe function and a FID (MS-CIFS 2.2.5). */
static int name_is_pipe(const char *name) {
  static const char p[] = "\\PIPE\\";
  for (size_t i = 0; i < 6; i++) {
    char c = name[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c != p[i]) return 0;
  }
  return 1;
}

/* Hex of at most HEX_MAX bytes, and "<k>_truncated": true when cut. */
static void jk_hexcut(const char *k, const char *kt, smbw_bytes v) {
  if (!J.on) return;
  size_t n = HEX_MAX && v.len > HEX_MAX ? HEX_MAX : v.len;
  jk_hex(k, v.data, v.data ? n : 0);
  if (v.data && n < v.len) jk_b(kt, 1);
}

static void jk_setup(smbw_bytes setup) {
  if (!J.on) return;
  jk_open("setup", '[');
  for (unsigned i = 0; i < setup.len / 2u; i++) {
    char b[16];
    jsep();
    jput(b, (size_t)snprintf(b, sizeof b, "%u", smbw_trans_setup(setup, i)));
  }
  jclose(']');
}

/* The byte areas of a transaction block: pads only when not empty. */
static void jk_areas(smbw_bytes pad1, smbw_bytes params, smbw_bytes pad2, smbw_bytes data,
                     smbw_bytes extra) {
  if (pad1.data && pad1.len) jk_bytes("pad1", pad1);
  jk_hexcut("parameters", "parameters_truncated", params);
  if (pad2.data && pad2.len) jk_bytes("pad2", pad2);
  jk_hexcut("data", "data_truncated", data);
  jk_extra(extra);
}

/* ---- the tracker: open transactions per connection ---- */

enum { TX_REQ = 1, TX_REQ_SKIP, TX_WAIT, TX_RSP, TX_RSP_SKIP };

/* One transaction of a connection, keyed by UID, TID, PID and MID: its
   request fragments (TX_REQ), then the wait for its response (TX_WAIT:
   nothing buffered, kept for the subcommand), then the response fragments
   (TX_RSP).  TX_*_SKIP: over the size limits, its fragments are skipped. */
typedef struct txconn txconn;

typedef struct txent {
  txconn *conn;        /* the connection it belongs to */
  struct txent *lprev, *lnext; /* in the list of buffered ones, oldest first */
  uint32_t pid;
  uint16_t uid, tid, mid;
  uint8_t state;
  uint8_t command;     /* the request's family (0: not seen) */
  uint8_t has_sub;
  uint8_t no_response; /* Flags NO_RESPONSE: nothing to wait for */
  uint16_t sub;
  const char *sub_name;
  uint64_t stamp;      /* last use, for the eviction of the oldest */
  uint8_t *buf;        /* parameters then data */
  size_t bufsize;
  smbw_trans_asm a;
  char detail[96];     /* the request's Info details */
  uint8_t has_level;   /* level and fflags are known: */
  uint16_t level;      /* the completed request's InformationLevel, */
  uint16_t fflags;     /* and its Flags (FIND), for the response's payload */
} txent;

struct txconn {
  uint32_t stream;
  struct txconn *next;
  unsigned n;
  txent *e[TX_PER_CONN];
};

typedef struct txstat {
  uint64_t done_req, done_rsp, multi; /* completed (of which in several fragments) */
  uint64_t refused;                   /* transaction_error objects */
  uint64_t codes[256];                /* of which by -code */
  uint64_t skipped;                   /* fragments of a transaction over the limits */
  uint64_t evicted;                   /* open ones pushed out by a 17th */
  uint64_t unfinished;                /* answered, or their connection gone, before complete */
  uint64_t live_bytes, peak_bytes;    /* bytes buffered */
  uint64_t payloads, payload_failed;  /* payloads decoded (of which failed) */
  uint64_t pcodes[256];               /* failures by -code */
} txstat;

static struct {
  txconn **tab;
  size_t size, count; /* buckets (power of two), connections */
  uint64_t stamp;
  txent *lhead, *ltail; /* transactions holding a buffer, least recently used first */
  txstat st;
} TXS;

static void lru_unlink_tx(txent *e) {
  if (e->lprev) e->lprev->lnext = e->lnext;
  else if (TXS.lhead == e) TXS.lhead = e->lnext;
  if (e->lnext) e->lnext->lprev = e->lprev;
  else if (TXS.ltail == e) TXS.ltail = e->lprev;
  e->lprev = e->lnext = NULL;
}

static void lru_append_tx(txent *e) {
  e->lprev = TXS.ltail;
  e->lnext = NULL;
  if (TXS.ltail) TXS.ltail->lnext = e;
  else TXS.lhead = e;
  TXS.ltail = e;
}

static void oom(void) {
  fprintf(stderr, "smbdump: out of memory\n");
  exit(2);
}

static size_t tx_bucket(uint32_t stream, size_t size) {
  return (size_t)((stream * 2654435761u) & (uint32_t)(size - 1));
}

static txconn *tx_conn(uint32_t stream, int create) {
  if (!TXS.tab) {
    if (!create) return NULL;
    TXS.size = 1024;
    TXS.tab = calloc(TXS.size, sizeof *TXS.tab);
    if (!TXS.tab) oom();
  }
  for (txconn *c = TXS.tab[tx_bucket(stream, TXS.size)]; c; c = c->next)
    if (c->stream == stream) return c;
  if (!create) return NULL;
  if (TXS.count >= TXS.size) {
    size_t ns = TXS.size * 2;
    txconn **nt = calloc(ns, sizeof *nt);
    if (!nt) oom();
    for (size_t i = 0; i < TXS.size; i++) {
      txconn *c = TXS.tab[i];
      while (c) {
        txconn *nx = c->next;
        size_t b = tx_bucket(c->stream, ns);
        c->next = nt[b];
        nt[b] = c;
        c = nx;
      }
    }
    free(TXS.tab);
    TXS.tab = nt;
    TXS.size = ns;
  }
  txconn *c = calloc(1, sizeof *c);
  if (!c) oom();
  c->stream = stream;
  size_t b = tx_bucket(stream, TXS.size);
  c->next = TXS.tab[b];
  TXS.tab[b] = c;
  TXS.count++;
  return c;
}

static void tx_release(txent *e) {
  if (e->buf) {
    TXS.st.live_bytes -= e->bufsize;
    free(e->buf);
    lru_unlink_tx(e);
  }
  e->buf = NULL;
  e->bufsize = 0;
}

static void tx_remove(txconn *c, unsigned i) {
  tx_release(c->e[i]);
  free(c->e[i]);
  c->e[i] = c->e[--c->n];
  c->e[c->n] = NULL;
}

static txent *tx_find(txconn *c, const smbw_header *h) {
  if (!c) return NULL;
  uint32_t pid = smbw_header_pid(h);
  for (unsigned i = 0; i < c->n; i++) {
    txent *e = c->e[i];
    if (e->uid == h->uid && e->tid == h->tid && e->mid == h->mid && e->pid == pid) {
      e->stamp = ++TXS.stamp;
      if (e->buf) {
        lru_unlink_tx(e);
        lru_append_tx(e);
      }
      return e;
    }
  }
  return NULL;
}

static unsigned tx_index(const txconn *c, const txent *e) {
  unsigned i = 0;
  while (i < c->n && c->e[i] != e) i++;
  return i;
}

static txent *tx_new(txconn *c, const smbw_header *h) {
  if (c->n == TX_PER_CONN) { /* forget the least recently used */
    unsigned old = 0;
    for (unsigned i = 1; i < c->n; i++)
      if (c->e[i]->stamp < c->e[old]->stamp) old = i;
    if (c->e[old]->state == TX_REQ || c->e[old]->state == TX_RSP) TXS.st.evicted++;
    tx_remove(c, old);
  }
  txent *e = calloc(1, sizeof *e);
  if (!e) oom();
  e->conn = c;
  e->uid = h->uid;
  e->tid = h->tid;
  e->mid = h->mid;
  e->pid = smbw_header_pid(h);
  e->stamp = ++TXS.stamp;
  c->e[c->n++] = e;
  return e;
}

/* Every transaction of a connection flow forgets (flow_ex.conn_end). */
static void on_conn_end(uint32_t stream, void *ctx) {
  (void)ctx;
  if (!TXS.tab) return;
  txconn **pp = &TXS.tab[tx_bucket(stream, TXS.size)];
  while (*pp && (*pp)->stream != stream) pp = &(*pp)->next;
  txconn *c = *pp;
  if (!c) return;
  *pp = c->next;
  while (c->n) {
    if (c->e[c->n - 1]->state == TX_REQ || c->e[c->n - 1]->state == TX_RSP)
      TXS.st.unfinished++;
    tx_remove(c, c->n - 1);
  }
  free(c);
  TXS.count--;
}

static void tx_free_all(void) {
  if (TXS.tab) {
    for (size_t i = 0; i < TXS.size; i++) {
      while (TXS.tab[i]) on_conn_end(TXS.tab[i]->stream, NULL);
    }
  }
  free(TXS.tab);
  TXS.tab = NULL;
  TXS.size = TXS.count = 0;
}

static void tx_refuse(txout *o, int rc, const smbw_error *err) {
  if (o->err) return; /* one per message: the first */
  o->err = rc;
  o->e = *err;
  TXS.st.refused++;
  TXS.st.codes[(unsigned)(-rc) & 255u]++;
}

/* Buffers for a transaction of these totals; SMBW_E_NOSPACE over the
   limit (nothing buffered, the transaction's fragments are skipped).  Over
   the limit of all connections together, the least recently used open
   transactions are forgotten first. */
static int tx_start(txent *e, uint32_t tpc, uint32_t tdc, smbw_error *err) {
  tx_release(e);
  uint64_t need = (uint64_t)tpc + tdc;
  if (need > TX_MAX_BYTES) {
    err->offset = 0;
    err->field = tpc > TX_MAX_BYTES ? "TotalParameterCount" : "TotalDataCount";
    return SMBW_E_NOSPACE;
  }
  while (TXS.st.live_bytes + need > TX_MAX_TOTAL && TXS.lhead) {
    txent *old = TXS.lhead;
    txconn *oc = old->conn;
    TXS.st.evicted++;
    tx_remove(oc, tx_index(oc, old));
  }
  if (need) {
    e->buf = malloc((size_t)need);
    if (!e->buf) oom();
    e->bufsize = (size_t)need;
    lru_append_tx(e);
    TXS.st.live_bytes += need;
    if (TXS.st.live_bytes > TXS.st.peak_bytes) TXS.st.peak_bytes = TXS.st.live_bytes;
  }
  smbw_trans_asm_init(&e->a, tpc ? e->buf : NULL, tpc, tdc ? e->buf + tpc : NULL, tdc);
  return 0;
}

static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An empty SMB_GEA_LIST (SizeOfListInBytes 4): stands in for a bad
   GetExtendedAttributeList to decode FIND parameters on their own. */
static const uint8_t empty_gea[4] = {4, 0, 0, 0};

/* The TRANS2 subcommands whose payload smbdump decodes (MS-CIFS 2.2.6). */
#define T2_OPEN2 0x0000u
#define T2_QUERY_PATH_INFORMATION 0x0005u
#define T2_SET_PATH_INFORMATION 0x0006u
#define T2_QUERY_FILE_INFORMATION 0x0007u
#define T2_SET_FILE_INFORMATION 0x0008u
#define NT_TRANSACT_CREATE_FN 0x0001u

/* What a response's payload needs from its request, taken from the
   completed request transaction: the InformationLevel and Flags of
   FIND_FIRST2 / FIND_NEXT2 (by the library's decoders), the
   InformationLevel of QUERY/SET_PATH/FILE_INFORMATION (its first
   parameter word, after the FID for the FILE forms). */
static void tx_note_request(txent *e, smbw_bytes params, smbw_bytes data, int unicode) {
  e->has_level = 0;
  if (e->command != SMBW_COM_TRANSACTION2 || !e->has_sub) return;
  smbw_bytes gea = {empty_gea, sizeof empty_gea};
  switch (e->sub) {
  case SMBW_TRANS2_FIND_FIRST2: {
    smbw_find_first2_req r;
    if (smbw_find_first2_req_decode(params, data, unicode, &r, NULL) == 0 ||
        smbw_find_first2_req_decode(params, gea, unicode, &r, NULL) == 0) {
      e->has_level = 1;
      e->level = r.information_level;
      e->fflags = r.flags;
    }
    break;
  }
  case SMBW_TRANS2_FIND_NEXT2: {
    smbw_find_next2_req r;
    if (smbw_find_next2_req_decode(params, data, unicode, &r, NULL) == 0 ||
        smbw_find_next2_req_decode(params, gea, unicode, &r, NULL) == 0) {
      e->has_level = 1;
      e->level = r.information_level;
      e->fflags = r.flags;
    }
    break;
  }
  case T2_QUERY_PATH_INFORMATION:
  case T2_SET_PATH_INFORMATION:
    if (params.len >= 2) {
      e->has_level = 1;
      e->level = le16(params.data);
      e->fflags = 0;
    }
    break;
  case T2_QUERY_FILE_INFORMATION:
  case T2_SET_FILE_INFORMATION:
    if (params.len >= 4) {
      e->has_level = 1;
      e->level = le16(params.data + 2);
      e->fflags = 0;
    }
    break;
  default: break;
  }
}

/* The reassembler's answer to a fragment of e (h: the message). */
static void tx_fed(txconn *c, txent *e, txout *o, int rc, const smbw_error *err, int rsp,
                   const smbw_header *h) {
  if (rc == 1) {
    o->done = 1;
    o->rsp = (uint8_t)(rsp != 0);
    o->unicode = (h->flags2 & SMBW_FLAGS2_UNICODE) != 0;
    if (!rsp) tx_note_request(e, e->a.params, e->a.data, o->unicode);
    o->has_level = e->has_level;
    o->level = e->level;
    o->fflags = e->fflags;
    o->command = e->a.command;
    o->has_sub = e->has_sub;
    o->sub = e->sub;
    o->sub_name = e->sub_name;
    o->fragments = e->a.fragments;
    o->params = e->a.params;
    o->data = e->a.data;
    o->own = e->buf; /* freed once printed */
    TXS.st.live_bytes -= e->bufsize;
    if (e->buf) lru_unlink_tx(e);
    e->buf = NULL;
    e->bufsize = 0;
    if (rsp) TXS.st.done_rsp++;
    else TXS.st.done_req++;
    if (o->fragments > 1) TXS.st.multi++;
    if (rsp || e->no_response) tx_remove(c, tx_index(c, e));
    else e->state = TX_WAIT;
  } else if (rc == 0) {
    e->state = rsp ? TX_RSP : TX_REQ;
  } else {
    tx_refuse(o, rc, err);
    tx_remove(c, tx_index(c, e)); /* dropped: later fragments are orphans */
  }
}

/* A decoded transaction request (primary or secondary). */
static void tx_request(walk *w, const smbw_trans_req *r, uint16_t sub, int has_sub,
                       const char *sub_name, const char *detail) {
  txout *o = &w->tx;
  const smbw_header *h = w->h;
  uint8_t fam = tx_family(r->command);
  int primary = fam == r->command;
  smbw_error err = {0, 0, NULL};
  txconn *c = tx_conn(w->stream, primary);
  txent *e = tx_find(c, h);
  int rc;
  if (!primary) {
    if (e && e->state == TX_REQ) {
      rc = smbw_trans_asm_req(&e->a, r, h, &err);
      tx_fed(c, e, o, rc, &err, 0, h);
    } else if (e && e->state == TX_REQ_SKIP) {
      TXS.st.skipped++;
    } else { /* no open transaction: the reassembler says what is wrong */
      smbw_trans_asm a;
      smbw_trans_asm_init(&a, NULL, 0, NULL, 0);
      rc = smbw_trans_asm_req(&a, r, h, &err);
      if (rc < 0) tx_refuse(o, rc, &err);
    }
    return;
  }
  if (e && e->state == TX_REQ) {
    /* A primary while a transaction with these IDs is open. */
    rc = smbw_trans_asm_req(&e->a, r, h, &err);
    if (rc < 0) tx_refuse(o, rc, &err);
    err.offset = 0;
    err.field = NULL;
  }
  if (!e) e = tx_new(c, h);
  e->state = TX_REQ;
  e->command = fam;
  e->has_sub = (uint8_t)has_sub;
  e->sub = sub;
  e->sub_name = sub_name;
  e->no_response = fam != SMBW_COM_NT_TRANSACT && (r->flags & 0x0002u) != 0;
  e->has_level = 0;
  snprintf(e->detail, sizeof e->detail, "%s", detail);
  rc = tx_start(e, r->total_param_count, r->total_data_count, &err);
  if (rc) {
    tx_refuse(o, rc, &err);
    e->state = TX_REQ_SKIP;
    return;
  }
  rc = smbw_trans_asm_req(&e->a, r, h, &err);
  tx_fed(c, e, o, rc, &err, 0, h);
}

/* A decoded transaction response (WordCount 0: interim or error). */
static void tx_response(walk *w, const smbw_trans_rsp *r) {
  txout *o = &w->tx;
  const smbw_header *h = w->h;
  int interim = r->wct == 0 && h->status == 0;
  smbw_error err = {0, 0, NULL};
  txconn *c = tx_conn(w->stream, r->wct > 0);
  txent *e = tx_find(c, h);
  if (e) snprintf(o->detail, sizeof o->detail, "%s", e->detail);
  if (e && (e->state == TX_REQ || e->state == TX_REQ_SKIP)) {
    if (interim) return; /* go on with the secondary requests */
    if (e->state == TX_REQ) TXS.st.unfinished++;
    tx_release(e);
    e->state = TX_WAIT;
  }
  if (r->wct == 0) {
    if (e && !interim) { /* an error: the transaction is over */
      if (e->state == TX_RSP) TXS.st.unfinished++;
      tx_remove(c, tx_index(c, e));
    }
    return;
  }
  if (!e) e = tx_new(c, h);
  if (e->state == TX_RSP_SKIP) {
    TXS.st.skipped++;
    return;
  }
  int rc;
  if (e->state != TX_RSP) {
    if (!e->has_sub && r->setup.len >= 2) {
      e->has_sub = 1;
      e->sub = smbw_trans_setup(r->setup, 0);
    }
    rc = tx_start(e, r->total_param_count, r->total_data_count, &err);
    if (rc) {
      tx_refuse(o, rc, &err);
      e->state = TX_RSP_SKIP;
      return;
    }
    e->state = TX_RSP;
  }
  rc = smbw_trans_asm_rsp(&e->a, r, h, &err);
  tx_fed(c, e, o, rc, &err, 1, h);
}

/* ------------------------------------------------------------ payloads */

/* The payload of a completed transaction (doc/smbdump.md, "payload"):
   decoded by the library's find.h, ea.h and security.h decoders from the
   reassembled parameters and data, and written by one walk in one of
   three forms: JSON (the "payload" and "payload_error" keys of the
   "transaction" object), the -V tree, or the words added to the Info
   line.  PV_COUNT only decodes, for --stats. */
enum { PV_COUNT = 0, PV_JSON, PV_TREE, PV_INFO };

static struct {
  int mode;
  FILE *out;  /* PV_TREE */
  int depth;  /* PV_TREE indentation */
  int had;    /* a "payload" was opened (in any mode) */
} PV;

/* The first failure of a payload, reported after what decoded before it. */
typedef struct pverr {
  int rc;
  uint32_t offset;   /* from the start of the area */
  const char *field;
  const char *area;  /* "parameters" or "data" */
} pverr;

static void pv_fail(pverr *pe, int rc, const smbw_error *e, const char *area, uint32_t base) {
  if (pe->rc) return;
  pe->rc = rc;
  pe->offset = base + (e ? e->offset : 0);
  pe->field = e ? e->field : NULL;
  pe->area = area;
}

static void pv_indent(void) { fprintf(PV.out, "%*s", 4 + 2 * PV.depth, ""); }

/* A member holding an object or an array. */
static void pv_open(const char *key, char c) {
  if (!strcmp(key, "payload")) PV.had = 1;
  if (PV.mode == PV_JSON) {
    jk_open(key, c);
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "%s:\n", key);
    PV.depth++;
  }
}

/* An object inside an array. */
static void pv_item(unsigned i) {
  if (PV.mode == PV_JSON) {
    if (!J.on) return;
    jsep();
    jopen('{');
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "[%u]\n", i);
    PV.depth++;
  }
}

static void pv_close(char c) {
  if (PV.mode == PV_JSON) jclose(c);
  else if (PV.mode == PV_TREE && PV.depth > 0) PV.depth--;
}

static void pv_u(const char *key, uint64_t v) {
  if (PV.mode == PV_JSON) {
    jk_u(key, v);
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "%s: %" PRIu64 "\n", key, v);
  }
}

/* A number shown in hex in the tree (flags, levels, masks). */
static void pv_x(const char *key, uint64_t v, int digits) {
  if (PV.mode == PV_JSON) {
    jk_u(key, v);
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "%s: 0x%0*" PRIx64 "\n", key, digits, v);
  }
}

static void pv_cstr(const char *key, const char *s) {
  if (PV.mode == PV_JSON) {
    jk_s(key, s);
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "%s: %s\n", key, s);
  }
}

/* A string view, as UTF-8 (NUL bytes inside kept: "em\u0000bed"). */
static void pv_str(const char *key, const smbw_str *s) {
  if (PV.mode != PV_JSON && PV.mode != PV_TREE) return;
  if (!s->data || (PV.mode == PV_JSON && !J.on)) return;
  size_t need = 0;
  smbw_str_to_utf8(s, sbuf, sizeof sbuf, &need);
  size_t n = need < sizeof sbuf ? need : sizeof sbuf - 1;
  if (PV.mode == PV_JSON) {
    jkey(key);
    jtext(sbuf, n);
    return;
  }
  pv_indent();
  fprintf(PV.out, "%s: \"", key);
  for (size_t i = 0; i < n; i++) {
    unsigned char u = (unsigned char)sbuf[i];
    if (u == '"' || u == '\\') fprintf(PV.out, "\\%c", u);
    else if (u < 0x20 || u == 0x7F) fprintf(PV.out, "\\x%02x", u);
    else fputc(u, PV.out);
  }
  fputs("\"\n", PV.out);
}

/* Bytes: hex, cut at --hex-limit in JSON ("<key>_truncated": true), at 32
   bytes in the tree. */
static void pv_hex(const char *key, smbw_bytes v) {
  if (PV.mode == PV_JSON) {
    if (!J.on) return;
    char kt[64];
    snprintf(kt, sizeof kt, "%s_truncated", key);
    jk_hexcut(key, kt, v);
  } else if (PV.mode == PV_TREE) {
    pv_indent();
    fprintf(PV.out, "%s (%" PRIu32 " bytes)", key, v.len);
    if (v.len && v.data) {
      fputs(": ", PV.out);
      uint32_t n = v.len < 32 ? v.len : 32;
      for (uint32_t i = 0; i < n; i++) fprintf(PV.out, "%02x", v.data[i]);
      if (n < v.len) fputs("...", PV.out);
    }
    fputc('\n', PV.out);
  }
}

/* Bytes that are normally zeros (padding, reserved areas): only when one
   of them is not. */
static void pv_nonzero(const char *key, smbw_bytes v) {
  for (uint32_t i = 0; v.data && i < v.len; i++) {
    if (v.data[i]) {
      pv_hex(key, v);
      return;
    }
  }
}

/* Parameter bytes after the defined ones. */
static void pv_extra(smbw_bytes v) {
  if (v.data && v.len) pv_hex("extra", v);
}

/* A FILETIME (100 ns since 1601): a number; the tree adds the UTC time. */
static void pv_filetime(const char *key, uint64_t ft) {
  if (PV.mode == PV_JSON) {
    jk_u(key, ft);
    return;
  }
  if (PV.mode != PV_TREE) return;
  pv_indent();
  fprintf(PV.out, "%s: %" PRIu64, key, ft);
  const uint64_t epoch = 116444736000000000ull; /* 1970-01-01 in FILETIME */
  if (ft >= epoch && ft < epoch + 253402300800ull * 10000000ull) {
    time_t secs = (time_t)((ft - epoch) / 10000000u);
    struct tm tm;
    if (gmtime_r(&secs, &tm))
      fprintf(PV.out, " (%04d-%02d-%02d %02d:%02d:%02d.%07u UTC)", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
              (unsigned)((ft - epoch) % 10000000u));
  }
  fputc('\n', PV.out);
}

/* SMB_DATE and SMB_TIME (MS-CIFS 2.2.1.4.1): numbers; the tree decodes them. */
static void pv_smb_date(const char *key, uint16_t d) {
  if (PV.mode == PV_JSON) jk_u(key, d);
  if (PV.mode != PV_TREE) return;
  pv_indent();
  fprintf(PV.out, "%s: 0x%04x (%04u-%02u-%02u)\n", key, d, 1980u + (d >> 9), (d >> 5) & 15u,
          d & 31u);
}

static void pv_smb_time(const char *key, uint16_t t) {
  if (PV.mode == PV_JSON) jk_u(key, t);
  if (PV.mode != PV_TREE) return;
  pv_indent();
  fprintf(PV.out, "%s: 0x%04x (%02u:%02u:%02u)\n", key, t, (unsigned)(t >> 11), (t >> 5) & 63u,
          (t & 31u) * 2u);
}

/* A SID in its string form (MS-DTYP 2.4.2.1). */
static void pv_sid(const char *key, const smbw_sid *sid) {
  if (PV.mode != PV_JSON && PV.mode != PV_TREE) return;
  char b[SMBW_SID_STRING_MAX];
  if (smbw_sid_to_string(sid, b, sizeof b, NULL) != 0) snprintf(b, sizeof b, "?");
  pv_cstr(key, b);
}

/* A GUID in its string form (MS-DTYP 2.3.4.3), from the 16 wire bytes. */
static void pv_guid(const char *key, const uint8_t g[16]) {
  if (PV.mode != PV_JSON && PV.mode != PV_TREE) return;
  char b[40];
  snprintf(b, sizeof b, "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", le32(g),
           le16(g + 4), le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
  pv_cstr(key, b);
}

/* ---- EA lists (ea.h) ---- */

/* An SMB_FEA_LIST, SMB_GEA_LIST or FILE_FULL_EA_INFORMATION chain at
   `base` in the data: its entries, SizeOfListInBytes and the trailing
   bytes (walked twice: the list size comes first in the output). */
static void pv_ea_list(const char *key, int kind, smbw_bytes v, uint32_t base, pverr *pe) {
  smbw_ea_iter it;
  smbw_ea ea;
  smbw_error e = {0, 0, NULL};
  int rc;
  smbw_ea_iter_init(&it, kind, v);
  while ((rc = smbw_ea_iter_next(&it, &ea, &e)) == 1) {
  }
  uint32_t list_size = it.list_size;
  smbw_bytes trailing = it.trailing;
  if (rc < 0 && kind != SMBW_EA_FULL && !list_size) { /* the list header is bad */
    pv_fail(pe, rc, &e, "data", base);
    return;
  }
  pv_open(key, '{');
  if (kind != SMBW_EA_FULL && list_size) pv_u("size_of_list_in_bytes", list_size);
  pv_open("entries", '[');
  smbw_ea_iter_init(&it, kind, v);
  unsigned i = 0;
  while ((rc = smbw_ea_iter_next(&it, &ea, &e)) == 1) {
    pv_item(i++);
    if (kind == SMBW_EA_FULL) {
      pv_u("next_entry_offset", ea.next_entry_offset);
      pv_x("flags", ea.flags, 2);
      pv_u("ea_name_length", ea.name.len);
      pv_u("ea_value_length", ea.value.len);
      pv_str("ea_name", &ea.name);
      pv_hex("ea_value", ea.value);
      pv_nonzero("padding", ea.padding);
    } else if (kind == SMBW_EA_FEA) {
      pv_x("extended_attribute_flag", ea.flags, 2);
      pv_u("attribute_name_length_in_bytes", ea.name.len);
      pv_u("attribute_value_length_in_bytes", ea.value.len);
      pv_str("attribute_name", &ea.name);
      pv_hex("attribute_value", ea.value);
    } else {
      pv_u("attribute_name_length_in_bytes", ea.name.len);
      pv_str("attribute_name", &ea.name);
    }
    pv_close('}');
  }
  pv_close(']');
  if (rc == 0 && trailing.len) pv_hex("trailing", trailing);
  pv_close('}');
  if (rc < 0) pv_fail(pe, rc, &e, "data", base);
}

/* ---- security descriptors (security.h) ---- */

static void pv_acl(const char *key, const smbw_acl *acl, uint32_t base, pverr *pe) {
  pv_open(key, '{');
  pv_u("acl_revision", acl->revision);
  pv_u("sbz1", acl->sbz1);
  pv_u("acl_size", acl->size);
  pv_u("ace_count", acl->count);
  pv_u("sbz2", acl->sbz2);
  pv_open("aces", '[');
  smbw_acl_iter it;
  smbw_ace a;
  smbw_error e = {0, 0, NULL};
  int rc;
  unsigned i = 0;
  smbw_acl_iter_init(&it, acl);
  while ((rc = smbw_acl_iter_next(&it, &a, &e)) == 1) {
    pv_item(i++);
    pv_x("ace_type", a.type, 2);
    const char *tn = smbw_ace_type_name(a.type);
    if (tn) pv_cstr("ace_type_name", tn);
    pv_x("ace_flags", a.flags, 2);
    pv_u("ace_size", a.size);
    if (a.layout == SMBW_ACE_LAYOUT_RAW) {
      pv_hex("body", a.body);
    } else {
      pv_x("mask", a.mask, 8);
      if (a.layout == SMBW_ACE_LAYOUT_OBJECT) {
        pv_x("flags", a.object_flags, 8);
        if (a.object_flags & SMBW_ACE_OBJECT_TYPE_PRESENT) pv_guid("object_type", a.object_type);
        if (a.object_flags & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT)
          pv_guid("inherited_object_type", a.inherited_object_type);
      }
      pv_sid("sid", &a.sid);
      if (a.app_data.len) {
        int cb = a.type >= SMBW_ACE_ACCESS_ALLOWED_CALLBACK &&
                 a.type <= SMBW_ACE_SYSTEM_ALARM_CALLBACK_OBJECT; /* the callback types */
        pv_hex(cb ? "application_data" : a.type == SMBW_ACE_SYSTEM_RESOURCE_ATTRIBUTE
                                              ? "attribute_data"
                                              : "padding",
               a.app_data);
      }
    }
    pv_close('}');
  }
  pv_close(']');
  if (acl->trailing.len) pv_hex("trailing", acl->trailing);
  pv_close('}');
  if (rc < 0) pv_fail(pe, rc, &e, "data", base);
}

/* A self-relative security descriptor at `base` in the data. */
static void pv_sd(smbw_bytes v, uint32_t base, pverr *pe) {
  smbw_sd sd;
  smbw_error e = {0, 0, NULL};
  if (!v.len) return;
  int rc = smbw_sd_decode(v.data, v.len, &sd, &e);
  if (rc) {
    pv_fail(pe, rc, &e, "data", base);
    return;
  }
  pv_open("security_descriptor", '{');
  pv_u("revision", sd.revision);
  pv_u("sbz1", sd.sbz1);
  pv_x("control", sd.control, 4);
  pv_u("offset_owner", sd.offset_owner);
  pv_u("offset_group", sd.offset_group);
  pv_u("offset_sacl", sd.offset_sacl);
  pv_u("offset_dacl", sd.offset_dacl);
  if (sd.has_owner) pv_sid("owner_sid", &sd.owner);
  if (sd.has_group) pv_sid("group_sid", &sd.group);
  if (sd.has_sacl) pv_acl("sacl", &sd.sacl, base, pe);
  if (sd.has_dacl) pv_acl("dacl", &sd.dacl, base, pe);
  pv_close('}');
}

/* ---- directory searches (find.h) ---- */

/* The levels smbw_find_iter_next() decodes. */
static int find_level_ok(uint16_t level) {
  return level == SMBW_INFO_STANDARD || level == SMBW_INFO_QUERY_EA_SIZE ||
         (level >= SMBW_FIND_FILE_DIRECTORY_INFO && level <= SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO);
}

/* FileNameLength as on the wire: the name, and its terminator when the
   length counts it. */
static uint32_t find_name_length(const smbw_find_entry *en) {
  uint32_t n = en->file_name.len;
  if (en->name_nul == SMBW_FIND_NUL_COUNTED) n += en->file_name.enc == SMBW_STR_UTF16LE ? 2u : 1u;
  return n;
}

/* One directory entry, its fields in wire order (MS-CIFS 2.2.8.1, MS-SMB
   2.2.8.1). */
static void pv_find_entry(const smbw_find_entry *en, uint16_t level) {
  if (level == SMBW_INFO_STANDARD || level == SMBW_INFO_QUERY_EA_SIZE) {
    if (en->has_resume_key) pv_u("resume_key", en->resume_key);
    pv_smb_date("creation_date", en->creation_date);
    pv_smb_time("creation_time", en->creation_time_dos);
    pv_smb_date("last_access_date", en->last_access_date);
    pv_smb_time("last_access_time", en->last_access_time_dos);
    pv_smb_date("last_write_date", en->last_write_date);
    pv_smb_time("last_write_time", en->last_write_time_dos);
    pv_u("file_data_size", en->end_of_file);
    pv_u("allocation_size", en->allocation_size);
    pv_x("attributes", en->attributes, 4);
    if (level == SMBW_INFO_QUERY_EA_SIZE) pv_u("ea_size", en->ea_size);
    pv_u("file_name_length", find_name_length(en));
  } else {
    pv_u("next_entry_offset", en->next_entry_offset);
    pv_u("file_index", en->file_index);
    if (level != SMBW_FIND_FILE_NAMES_INFO) {
      pv_filetime("creation_time", en->creation_time);
      pv_filetime("last_access_time", en->last_access_time);
      pv_filetime("last_write_time", en->last_write_time);
      pv_filetime("last_change_time", en->last_change_time);
      pv_u("end_of_file", en->end_of_file);
      pv_u("allocation_size", en->allocation_size);
      pv_x("ext_file_attributes", en->attributes, 8);
    }
    pv_u("file_name_length", find_name_length(en));
    if (level != SMBW_FIND_FILE_DIRECTORY_INFO && level != SMBW_FIND_FILE_NAMES_INFO)
      pv_u("ea_size", en->ea_size);
    if (level == SMBW_FIND_FILE_BOTH_DIRECTORY_INFO || level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO) {
      pv_u("short_name_length", en->short_name.len);
      pv_u("reserved", en->short_name_reserved);
      pv_str("short_name", &en->short_name);
      pv_nonzero("short_name_pad", en->short_name_pad);
    }
    if (level == SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO) pv_u("reserved", en->reserved);
    if (level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO) pv_u("reserved2", en->reserved);
    if (level == SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO || level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO)
      pv_u("file_id", en->file_id);
  }
  pv_str("file_name", &en->file_name);
  pv_nonzero("padding", en->padding);
}

/* FIND_FIRST2 / FIND_NEXT2 request: the parameters, and at
   SMB_INFO_QUERY_EAS_FROM_LIST the GetExtendedAttributeList. */
static void pv_find_req(const txout *o, int first, pverr *pe) {
  smbw_find_first2_req f;
  smbw_find_next2_req x;
  smbw_error e = {0, 0, NULL}, e2 = {0, 0, NULL};
  smbw_bytes gea = {empty_gea, sizeof empty_gea};
  int rc = first ? smbw_find_first2_req_decode(o->params, o->data, o->unicode, &f, &e)
                 : smbw_find_next2_req_decode(o->params, o->data, o->unicode, &x, &e);
  if (rc < 0 && e.field && strcmp(e.field, "SizeOfListInBytes") == 0) {
    /* a bad list: the parameters alone, then the list walk reports it */
    rc = first ? smbw_find_first2_req_decode(o->params, gea, o->unicode, &f, &e2)
               : smbw_find_next2_req_decode(o->params, gea, o->unicode, &x, &e2);
    if (rc < 0) e = e2;
  }
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open("payload", '{');
  uint16_t level;
  const smbw_str *name;
  if (first) {
    pv_x("search_attributes", f.search_attributes, 4);
    pv_u("search_count", f.search_count);
    pv_x("flags", f.flags, 4);
    pv_x("information_level", f.information_level, 4);
    pv_u("search_storage_type", f.search_storage_type);
    pv_str("file_name", &f.file_name);
    pv_extra(f.extra);
    level = f.information_level;
    name = &f.file_name;
  } else {
    pv_u("sid", x.sid);
    pv_u("search_count", x.search_count);
    pv_x("information_level", x.information_level, 4);
    pv_u("resume_key", x.resume_key);
    pv_x("flags", x.flags, 4);
    pv_str("file_name", &x.file_name);
    pv_extra(x.extra);
    level = x.information_level;
    name = &x.file_name;
  }
  if (level == SMBW_INFO_QUERY_EAS_FROM_LIST)
    pv_ea_list("get_extended_attribute_list", SMBW_EA_GEA, o->data, 0, pe);
  pv_close('}');
  if (PV.mode == PV_INFO) iadd(", %s: %s", first ? "Pattern" : "Continue", str_utf8(name));
}

/* FIND_FIRST2 / FIND_NEXT2 response: the parameters, then the entries at
   the level of the request. */
static void pv_find_rsp(const txout *o, int first, pverr *pe) {
  smbw_error e = {0, 0, NULL};
  smbw_find_first2_rsp f;
  smbw_find_next2_rsp x;
  int rc = first ? smbw_find_first2_rsp_decode(o->params, &f, &e)
                 : smbw_find_next2_rsp_decode(o->params, &x, &e);
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open("payload", '{');
  uint32_t count;
  if (first) {
    pv_u("sid", f.sid);
    pv_u("search_count", f.search_count);
    pv_u("end_of_search", f.end_of_search);
    pv_u("ea_error_offset", f.ea_error_offset);
    pv_u("last_name_offset", f.last_name_offset);
    pv_extra(f.extra);
    count = f.search_count;
  } else {
    pv_u("search_count", x.search_count);
    pv_u("end_of_search", x.end_of_search);
    pv_u("ea_error_offset", x.ea_error_offset);
    pv_u("last_name_offset", x.last_name_offset);
    pv_extra(x.extra);
    count = x.search_count;
  }
  if (o->has_level) {
    pv_x("request_information_level", o->level, 4);
    pv_x("request_flags", o->fflags, 4);
  }
  if (o->has_level && find_level_ok(o->level)) {
    smbw_find_iter it;
    smbw_find_entry en;
    smbw_find_iter_init(&it, o->data, o->level, o->unicode, count, o->fflags);
    pv_open("entries", '[');
    unsigned i = 0;
    while ((rc = smbw_find_iter_next(&it, &en, &e)) == 1) {
      if (PV.mode == PV_INFO) iadd("%s %s", i ? "" : ", Files:", str_utf8(&en.file_name));
      pv_item(i++);
      pv_find_entry(&en, o->level);
      pv_close('}');
    }
    pv_close(']');
    if (rc < 0) pv_fail(pe, rc, &e, "data", 0);
  }
  pv_close('}');
}

/* ---- the subcommands ---- */

/* TRANS2 QUERY/SET_PATH/FILE_INFORMATION and OPEN2: the information
   level and the EA lists of the EA levels. */
static void pv_info_levels(const txout *o, pverr *pe) {
  uint16_t sub = o->sub;
  int path = sub == T2_QUERY_PATH_INFORMATION || sub == T2_SET_PATH_INFORMATION;
  int set = sub == T2_SET_PATH_INFORMATION || sub == T2_SET_FILE_INFORMATION;
  if (!o->rsp) {
    uint32_t at = path ? 0u : 2u; /* after the FID of the FILE forms */
    if (o->params.len < at + 2) {
      smbw_error e = {SMBW_E_TRUNCATED, o->params.len,
                      o->params.len < at ? "FID" : "InformationLevel"};
      pv_fail(pe, SMBW_E_TRUNCATED, &e, "parameters", 0);
      return;
    }
    uint16_t level = le16(o->params.data + at);
    pv_open("payload", '{');
    pv_x("information_level", level, 4);
    if (set && level == 2) /* SMB_INFO_SET_EAS */
      pv_ea_list("extended_attribute_list", SMBW_EA_FEA, o->data, 0, pe);
    else if (!set && level == SMBW_INFO_QUERY_EAS_FROM_LIST)
      pv_ea_list("get_extended_attribute_list", SMBW_EA_GEA, o->data, 0, pe);
    else if (set && level == 1015) /* FileFullEaInformation, pass-through */
      pv_ea_list("extended_attributes", SMBW_EA_FULL, o->data, 0, pe);
    pv_close('}');
    return;
  }
  /* responses: the EA levels of the request */
  if (!o->has_level) return;
  uint16_t level = o->level;
  int ea = set ? level == 2 || level == 1015
               : level == SMBW_INFO_QUERY_EAS_FROM_LIST || level == 4 || level == 1015;
  if (!ea) return;
  pv_open("payload", '{');
  pv_x("request_information_level", level, 4);
  if (level != 1015 && o->params.len >= 2) pv_u("ea_error_offset", le16(o->params.data));
  if (!set && level == 1015)
    pv_ea_list("extended_attributes", SMBW_EA_FULL, o->data, 0, pe);
  else if (!set)
    pv_ea_list("extended_attribute_list", SMBW_EA_FEA, o->data, 0, pe);
  pv_close('}');
}

/* NT_TRANSACT_CREATE request: SecurityDescriptorLength and EALength (at
   parameter offsets 36 and 40, MS-CIFS 2.2.7.1.1) cut the data into the
   security descriptor and the FILE_FULL_EA_INFORMATION chain. */
static void pv_nt_create(const txout *o, pverr *pe) {
  if (o->params.len < 44) { /* reported in the field the parameters end in */
    static const struct {
      uint8_t at;
      const char *name;
    } f[] = {{0, "Flags"},  {4, "RootDirectoryFID"}, {8, "DesiredAccess"},
             {12, "AllocationSize"}, {20, "ExtFileAttributes"}, {24, "ShareAccess"},
             {28, "CreateDisposition"}, {32, "CreateOptions"},
             {36, "SecurityDescriptorLength"}, {40, "EALength"}};
    size_t k = 0;
    while (k + 1 < sizeof f / sizeof f[0] && f[k + 1].at <= o->params.len) k++;
    smbw_error e = {SMBW_E_TRUNCATED, o->params.len, f[k].name};
    pv_fail(pe, SMBW_E_TRUNCATED, &e, "parameters", 0);
    return;
  }
  uint32_t sdl = le32(o->params.data + 36), eal = le32(o->params.data + 40);
  pv_open("payload", '{');
  pv_u("security_descriptor_length", sdl);
  pv_u("ea_length", eal);
  if (sdl > o->data.len) {
    smbw_error e = {SMBW_E_FIELD_LENGTH, 36, "SecurityDescriptorLength"};
    pv_fail(pe, SMBW_E_FIELD_LENGTH, &e, "parameters", 0);
  } else if (eal > o->data.len - sdl) {
    smbw_error e = {SMBW_E_FIELD_LENGTH, 40, "EALength"};
    pv_fail(pe, SMBW_E_FIELD_LENGTH, &e, "parameters", 0);
  } else {
    if (sdl) pv_sd((smbw_bytes){o->data.data, sdl}, 0, pe);
    if (eal)
      pv_ea_list("extended_attributes", SMBW_EA_FULL, (smbw_bytes){o->data.data + sdl, eal}, sdl,
                 pe);
  }
  pv_close('}');
}

/* NT_TRANSACT_QUERY_SECURITY_DESC and NT_TRANSACT_SET_SECURITY_DESC. */
static void pv_secdesc(const txout *o, pverr *pe) {
  smbw_error e = {0, 0, NULL};
  int query = o->sub == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC;
  if (o->rsp) {
    if (!query) return; /* SET has neither parameters nor data */
    smbw_secdesc_rsp r;
    int rc = smbw_query_secdesc_rsp_decode(o->params, &r, &e);
    if (rc < 0) {
      pv_fail(pe, rc, &e, "parameters", 0);
      return;
    }
    pv_open("payload", '{');
    pv_u("length_needed", r.length_needed);
    pv_extra(r.extra);
    pv_sd(o->data, 0, pe);
    pv_close('}');
    return;
  }
  smbw_secdesc_req r;
  int rc = query ? smbw_query_secdesc_req_decode(o->params, &r, &e)
                 : smbw_set_secdesc_req_decode(o->params, &r, &e);
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open("payload", '{');
  pv_x("fid", r.fid, 4);
  pv_u("reserved", r.reserved);
  pv_x(query ? "security_info_fields" : "security_information", r.security_info, 8);
  pv_extra(r.extra);
  if (!query) pv_sd(o->data, 0, pe);
  pv_close('}');
  if (PV.mode == PV_INFO) iadd(", FID: 0x%04x", r.fid);
}

/* Whether smbdump decodes the payload of this transaction. */
static int pv_known(const txout *o) {
  if (!o->done || !o->has_sub) return 0;
  if (o->command == SMBW_COM_TRANSACTION2) {
    switch (o->sub) {
    case SMBW_TRANS2_FIND_FIRST2:
    case SMBW_TRANS2_FIND_NEXT2:
    case T2_QUERY_PATH_INFORMATION:
    case T2_SET_PATH_INFORMATION:
    case T2_QUERY_FILE_INFORMATION:
    case T2_SET_FILE_INFORMATION: return 1;
    case T2_OPEN2: return !o->rsp && o->data.len > 0;
    default: return 0;
    }
  }
  if (o->command == SMBW_COM_NT_TRANSACT)
    return (o->sub == NT_TRANSACT_CREATE_FN && !o->rsp) ||
           o->sub == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC ||
           (o->sub == SMBW_NT_TRANSACT_SET_SECURITY_DESC && !o->rsp);
  return 0;
}

/* Decode the payload of a completed transaction in the current PV mode.
   Returns 0 (none, or decoded), or the first error. */
static int payload_walk(const txout *o) {
  pverr pe = {0, 0, NULL, NULL};
  if (!pv_known(o)) return 0;
  if (o->command == SMBW_COM_TRANSACTION2) {
    switch (o->sub) {
    case SMBW_TRANS2_FIND_FIRST2:
    case SMBW_TRANS2_FIND_NEXT2:
      if (o->rsp) pv_find_rsp(o, o->sub == SMBW_TRANS2_FIND_FIRST2, &pe);
      else pv_find_req(o, o->sub == SMBW_TRANS2_FIND_FIRST2, &pe);
      break;
    case T2_OPEN2:
      pv_open("payload", '{');
      pv_ea_list("extended_attribute_list", SMBW_EA_FEA, o->data, 0, &pe);
      pv_close('}');
      break;
    default: pv_info_levels(o, &pe); break;
    }
  } else if (o->sub == NT_TRANSACT_CREATE_FN) {
    pv_nt_create(o, &pe);
  } else {
    pv_secdesc(o, &pe);
  }
  if (!pe.rc) return 0;
  if (PV.mode == PV_JSON && J.on) {
    jk_open("payload_error", '{');
    jk_s("code", smbw_errname(pe.rc));
    jk_u("offset", pe.offset);
    if (pe.field) jk_s("field", pe.field);
    else jk_null("field");
    jk_s("area", pe.area);
    jclose('}');
  } else if (PV.mode == PV_TREE) {
    fprintf(PV.out, "    !! payload: %s (%s) at %s offset %" PRIu32 " field %s\n",
            smbw_errname(pe.rc), smbw_strerror(pe.rc), pe.area, pe.offset,
            pe.field ? pe.field : "?");
  } else if (PV.mode == PV_INFO) {
    iadd(" [Payload malformed: %s at %s offset %" PRIu32 " (%s)]", smbw_errname(pe.rc),
         pe.area, pe.offset, pe.field ? pe.field : "?");
  }
  return pe.rc;
}

/* Run payload_walk() in one mode (PV.had then tells whether there was a
   payload). */
static int payload_in(int mode, const txout *o, FILE *out) {
  PV.mode = mode;
  PV.out = out;
  PV.depth = 0;
  PV.had = 0;
  int rc = payload_walk(o);
  PV.mode = PV_COUNT;
  return rc;
}

/* The block fields of the six transaction commands, then the tracker. */
static int do_trans(const smbw_block *b, walk *w) {
  uint8_t c = b->command;
  if (!w->rsp) {
    smbw_trans_req r;
    int rc = smbw_trans_req_decode(b, &r, &w->err);
    if (rc) return rc;
    int primary = tx_family(c) == c;
    char name[128] = "";
    if (c == SMBW_COM_TRANSACTION && r.name.data) {
      const char *u = str_utf8(&r.name);
      size_t k = strlen(u);
      if (k >= sizeof name) k = sizeof name - 1;
      memcpy(name, u, k);
      name[k] = 0;
    }
    uint16_t sub = 0;
    int has_sub = 0;
    const char *sub_name = NULL;
    if (c == SMBW_COM_NT_TRANSACT) {
      sub = r.function;
      has_sub = 1;
    } else if (primary && r.setup.len >= 2) {
      sub = smbw_trans_setup(r.setup, 0);
      has_sub = 1;
    }
    if (has_sub && (c != SMBW_COM_TRANSACTION || name_is_pipe(name)))
      sub_name = smbw_trans_subcommand_name(c, sub);
    if (c == SMBW_COM_NT_TRANSACT) {
      jk_u("max_setup_count", r.max_setup_count);
      jk_u("reserved1", r.reserved2);
    } else if (c == SMBW_COM_NT_TRANSACT_SECONDARY) {
      jk_u("reserved1", (uint32_t)r.reserved1 | (uint32_t)r.reserved2 << 8);
    }
    jk_u("total_parameter_count", r.total_param_count);
    jk_u("total_data_count", r.total_data_count);
    if (primary) {
      jk_u("max_parameter_count", r.max_param_count);
      jk_u("max_data_count", r.max_data_count);
    }
    if (c == SMBW_COM_TRANSACTION || c == SMBW_COM_TRANSACTION2) {
      jk_u("max_setup_count", r.max_setup_count);
      jk_u("reserved1", r.reserved1);
      jk_u("flags", r.flags);
      jk_u("timeout", r.timeout);
      jk_u("reserved2", r.reserved2);
    }
    jk_u("parameter_count", r.params.len);
    jk_u("parameter_offset", r.param_offset);
    if (!primary) jk_u("parameter_displacement", r.param_displacement);
    jk_u("data_count", r.data.len);
    jk_u("data_offset", r.data_offset);
    if (!primary) jk_u("data_displacement", r.data_displacement);
    if (c == SMBW_COM_TRANSACTION2_SECONDARY) jk_u("fid", r.fid);
    if (c == SMBW_COM_NT_TRANSACT_SECONDARY) jk_u("reserved2", r.reserved3);
    if (primary) {
      jk_u("setup_count", r.setup.len / 2u);
      if (c != SMBW_COM_NT_TRANSACT) jk_u("reserved3", r.reserved3);
      if (c == SMBW_COM_NT_TRANSACT) jk_u("function", r.function);
      jk_setup(r.setup);
      if (has_sub) {
        jk_u("subcommand", sub);
        if (sub_name) jk_s("subcommand_name", sub_name);
      }
      if (c == SMBW_COM_TRANSACTION) jk_str("name", &r.name);
    }
    jk_areas(r.pad1, r.params, r.pad2, r.data, r.extra);
    /* Info: tshark's subcommand words; for TRANSACTION the Name, and the
       pipe function and FID of a named pipe. */
    char detail[96] = "", lb[32];
    if (c == SMBW_COM_TRANSACTION) {
      size_t k = 0;
      if (name[0]) k += (size_t)snprintf(detail, sizeof detail, ", %s", name);
      if (k < sizeof detail && sub_name) {
        k += (size_t)snprintf(detail + k, sizeof detail - k, ", %s", sub_name);
        if (k < sizeof detail && r.setup.len >= 4 && sub != 0x53 && sub != 0x54)
          snprintf(detail + k, sizeof detail - k, ", FID: 0x%04x", smbw_trans_setup(r.setup, 1));
      }
    } else if (primary && has_sub) {
      snprintf(detail, sizeof detail, ", %s", sub_label(c, sub, lb, sizeof lb));
    }
    if (primary) iadd("%s", detail);
    else if (c == SMBW_COM_TRANSACTION2_SECONDARY) iadd(", FID: 0x%04x", r.fid);
    tx_request(w, &r, sub, has_sub, sub_name, detail);
  } else {
    smbw_trans_rsp r;
    int rc = smbw_trans_rsp_decode(b, &r, &w->err);
    if (rc) return rc;
    if (r.wct) {
      if (c == SMBW_COM_NT_TRANSACT) jk_u("reserved1", r.reserved1);
      jk_u("total_parameter_count", r.total_param_count);
      jk_u("total_data_count", r.total_data_count);
      if (c != SMBW_COM_NT_TRANSACT) jk_u("reserved1", r.reserved1);
      jk_u("parameter_count", r.params.len);
      jk_u("parameter_offset", r.param_offset);
      jk_u("parameter_displacement", r.param_displacement);
      jk_u("data_count", r.data.len);
      jk_u("data_offset", r.data_offset);
      jk_u("data_displacement", r.data_displacement);
      jk_u("setup_count", r.setup.len / 2u);
      if (c != SMBW_COM_NT_TRANSACT) jk_u("reserved2", r.reserved2);
      jk_setup(r.setup);
      jk_areas(r.pad1, r.params, r.pad2, r.data, r.extra);
    } else {
      jk_extra(r.extra);
    }
    tx_response(w, &r);
    iadd("%s", w->tx.detail);
  }
  const txout *o = &w->tx;
  if (I.on && o->done) payload_in(PV_INFO, o, NULL);
  if (o->done && o->fragments > 1)
    iadd(", reassembled from %u fragments: %" PRIu32 " parameter and %" PRIu32 " data bytes",
         o->fragments, o->params.len, o->data.len);
  if (o->err)
    iadd(" [Transaction refused: %s at offset %" PRIu32 " (%s)]", smbw_errname(o->err),
         o->e.offset, o->e.field ? o->e.field : "?");
  return 0;
}

/* The "transaction" or "transaction_error" keys of a message. */
static void jtx(const txout *o) {
  if (!J.on) return;
  if (o->done) {
    jk_open("transaction", '{');
    jk_u("command", o->command);
    if (o->has_sub) {
      jk_u("subcommand", o->sub);
      if (o->sub_name) jk_s("subcommand_name", o->sub_name);
    }
    jk_u("fragments", o->fragments);
    jk_u("parameter_count", o->params.len);
    jk_u("data_count", o->data.len);
    jk_hexcut("parameters", "parameters_truncated", o->params);
    jk_hexcut("data", "data_truncated", o->data);
    payload_in(PV_JSON, o, NULL);
    jclose('}');
  }
  if (o->err) {
    jk_open("transaction_error", '{');
    jk_s("code", smbw_errname(o->err));
    jk_u("offset", o->e.offset);
    if (o->e.field) jk_s("field", o->e.field);
    else jk_null("field");
    jclose('}');
  }
}

/* -V: the reassembled view, after the message's field tree. */
static void print_tx(FILE *out, const txout *o) {
  if (o->done) {
    char lb[32];
    const char *label = cmd_label(o->command);
    fprintf(out, "  transaction complete: %s", label ? label : "?");
    if (o->has_sub) {
      fprintf(out, " %s (0x%04x)", o->sub_name ? o->sub_name : sub_label(o->command, o->sub, lb, sizeof lb),
              o->sub);
    }
    fprintf(out, ", %u fragment%s\n", o->fragments, o->fragments == 1 ? "" : "s");
    const smbw_bytes *v[2] = {&o->params, &o->data};
    for (int k = 0; k < 2; k++) {
      fprintf(out, "    %s (%" PRIu32 " bytes)", k ? "data" : "parameters", v[k]->len);
      if (v[k]->len) {
        fputs(": ", out);
        uint32_t n = v[k]->len < 64 ? v[k]->len : 64;
        for (uint32_t i = 0; i < n; i++) fprintf(out, "%02x", v[k]->data[i]);
        if (n < v[k]->len) fputs("...", out);
      }
      fputc('\n', out);
    }
    payload_in(PV_TREE, o, out);
  }
  if (o->err)
    fprintf(out, "  !! transaction refused: %s (%s) at offset %" PRIu32 " field %s\n",
            smbw_errname(o->err), smbw_strerror(o->err), o->e.offset, o->e.field ? o->e.field : "?");
}

static int do_block(const smbw_block *b, walk *w) {
  switch (b->command) {
  case SMBW_COM_NEGOTIATE: return do_negotiate(b, w);
  case SMBW_COM_SESSION_SETUP_ANDX: return do_session_setup(b, w);
  case SMBW_COM_TREE_CONNECT_ANDX: return do_tree_connect(b, w);
  case SMBW_COM_OPEN_ANDX: return do_open(b, w);
  case SMBW_COM_READ_ANDX: return do_read(b, w);
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION_SECONDARY:
  case SMBW_COM_TRANSACTION2:
  case SMBW_COM_TRANSACTION2_SECONDARY:
  case SMBW_COM_NT_TRANSACT:
  case SMBW_COM_NT_TRANSACT_SECONDARY: return do_trans(b, w);
  default: return 1; /* no typed decoder */
  }
}

static void jerror(int rc, const smbw_error *e) {
  jk_open("error", '{');
  jk_s("code", smbw_errname(rc));
  jk_u("offset", e->offset);
  if (e->field) jk_s("field", e->field);
  else jk_null("field");
  jclose('}');
}

/* The SMB1 message p[0..n): the "smb" object (and "error"), the info line. */
static void walk_smb(const uint8_t *p, size_t n, walk *w) {
  smbw_msg m;
  int rc = smbw_msg_decode(p, n, &m, &w->err);
  if (rc) {
    w->rc = rc;
    iadd("SMB [Malformed: %s]", smbw_errname(rc));
    jerror(rc, &w->err);
    return;
  }
  w->hdr = m.hdr;
  const smbw_header *h = &w->hdr;
  w->h = h;
  w->rsp = (h->flags & SMBW_FLAGS_REPLY) != 0;
  jk_open("smb", '{');
  jk_u("command", h->command);
  jk_b("response", w->rsp);
  jk_u("status", h->status);
  if (J.on) {
    char st[64];
    smbw_status_format(h->status, (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0, st, sizeof st);
    jk_s("status_name", st);
  }
  jk_u("flags", h->flags);
  jk_u("flags2", h->flags2);
  jk_u("pid", smbw_header_pid(h));
  jk_u("uid", h->uid);
  jk_u("tid", h->tid);
  jk_u("mid", h->mid);
  jk_hex("signature", h->signature, 8);
  jk_open("chain", '[');
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &m);
  const char *label = cmd_label(h->command);
  if (label) iadd("%s %s", label, w->rsp ? "Response" : "Request");
  else iadd("Unknown (0x%02x) %s", h->command, w->rsp ? "Response" : "Request");
  while ((rc = smbw_andx_iter_next(&it, &b, &w->err)) == 1) {
    if (w->nblocks < sizeof w->cmds) w->cmds[w->nblocks] = b.command;
    w->nblocks++;
    if (b.index > 0) {
      const char *l = cmd_label(b.command);
      if (l) iadd(", %s", l);
      else iadd(", Unknown (0x%02x)", b.command);
    }
    if (J.on) {
      jsep();
      jopen('{');
      jk_u("command", b.command);
      const char *name = smbw_command_name(b.command);
      if (name) jk_s("name", name);
      else jk_null("name");
      jk_u("wct", b.wct);
      jk_u("bcc", b.bcc);
      jk_u("offset", b.offset);
    }
    int typed = b.command == SMBW_COM_NEGOTIATE || b.command == SMBW_COM_SESSION_SETUP_ANDX ||
                b.command == SMBW_COM_TREE_CONNECT_ANDX || b.command == SMBW_COM_OPEN_ANDX ||
                b.command == SMBW_COM_READ_ANDX || is_trans(b.command);
    if (!typed) {
      w->untyped = 1;
      jk_b("typed", 0);
      jk_u("words_size", 2u * b.nwords);
      jk_u("bytes_size", b.bcc);
      jk_open("fields", '{');
      if (smbw_command_is_andx(b.command) && b.wct >= 2) {
        jk_u("andx_command", b.andx_command);
        jk_u("andx_offset", b.andx_offset);
      }
      jclose('}');
      jclose('}');
      continue;
    }
    jk_b("typed", 1);
    jk_open("fields", '{');
    rc = do_block(&b, w);
    jclose('}');
    jclose('}');
    if (rc < 0) break;
  }
  jclose(']');
  jclose('}');
  if (rc < 0) {
    w->rc = rc;
    jerror(rc, &w->err);
    iadd(" [Malformed: %s at offset %" PRIu32 " (%s)]", smbw_errname(rc), w->err.offset,
         w->err.field ? w->err.field : "?");
  }
  if (h->status != 0) {
    char st[64];
    smbw_status_format(h->status, (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0, st, sizeof st);
    iadd(", Error: %s", st);
  }
}

/* ------------------------------------------------------------ statistics */

typedef struct cmdstat {
  uint64_t req, rsp;
} cmdstat;

typedef struct kv {
  uint64_t key, count;
  int used;
  int nt;
} kv;

#define NSTATUS 1024u
#define NCONN 65536u

typedef struct connstat {
  uint32_t stream;
  int used;
  uint16_t sport, dport;
  char client[48], server[48];
  uint64_t msgs_c2s, msgs_s2c, bytes, failures;
  uint64_t first_frame, last_frame;
} connstat;

typedef struct stats {
  cmdstat cmd[256];
  kv status[NSTATUS];
  uint64_t status_other;
  connstat *conns;
  uint64_t conns_other;
  uint64_t errs[256]; /* by -code */
  uint64_t nbss_types[256];
  uint64_t smb1, smb2, other, failures, nbss_packets, nbss_bytes;
} stats;

static void stat_status(stats *s, uint32_t st, int nt) {
  uint64_t key = ((uint64_t)(nt != 0) << 32) | st;
  uint64_t x = key * 0x9E3779B97F4A7C15ull;
  for (unsigned i = 0; i < NSTATUS; i++) {
    kv *e = &s->status[(unsigned)((x >> 40) + i) % NSTATUS];
    if (e->used && e->key == key) {
      e->count++;
      return;
    }
    if (!e->used) {
      e->used = 1;
      e->key = key;
      e->nt = nt;
      e->count = 1;
      return;
    }
  }
  s->status_other++;
}

static connstat *stat_conn(stats *s, const flow_msg *m) {
  if (!s->conns) return NULL;
  uint32_t x = m->stream * 2654435761u;
  for (unsigned i = 0; i < 64; i++) {
    connstat *c = &s->conns[(x + i) % NCONN];
    if (c->used && c->stream == m->stream) return c;
    if (!c->used) {
      c->used = 1;
      c->stream = m->stream;
      char a[48], b[48];
      if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
      if (m->c2s) {
        snprintf(c->client, sizeof c->client, "%s", a);
        snprintf(c->server, sizeof c->server, "%s", b);
        c->sport = m->sport;
        c->dport = m->dport;
      } else {
        snprintf(c->client, sizeof c->client, "%s", b);
        snprintf(c->server, sizeof c->server, "%s", a);
        c->sport = m->dport;
        c->dport = m->sport;
      }
      c->first_frame = m->frame;
      return c;
    }
  }
  return NULL;
}

/* ------------------------------------------------------------ per message */

typedef struct opts {
  int json, verbose, stats;
  int human;
  FILE *statout;
} opts;

typedef struct run {
  opts *o;
  stats *s;
  double t0;
  int have_t0;
  uint64_t nmsg;
} run;

static void nb_name_text(const smbw_nb_name *n, char *out, size_t cap) {
  char plain[16];
  smbw_nb_name_get(n, plain);
  size_t k = 0;
  for (const char *c = plain; *c && k + 5 < cap; c++) {
    unsigned char u = (unsigned char)*c;
    if (u < 0x20 || u >= 0x7F) k += (size_t)snprintf(out + k, cap - k, "\\x%02x", u);
    else out[k++] = (char)u;
  }
  out[k] = 0;
  k += (size_t)snprintf(out + k, cap - k, "<%02x>", n->name[15]);
  if (n->scope.len && k < cap) {
    char scope[256];
    smbw_nb_scope_to_text(n->scope, scope, sizeof scope, NULL);
    size_t sl = strlen(scope);
    if (k + 1 + sl < cap) {
      out[k++] = '.';
      memcpy(out + k, scope, sl + 1);
    }
  }
}

static int on_msg(const flow_msg *m, void *ctx) {
  run *R = ctx;
  opts *o = R->o;
  stats *S = R->s;
  smbw_nbss f;
  smbw_error e = {0, 0, NULL};
  walk w;
  memset(&w, 0, sizeof w);
  w.stream = m->stream;
  R->nmsg++;
  if (!R->have_t0) {
    R->t0 = m->ts;
    R->have_t0 = 1;
  }
  I.n = 0;
  I.b[0] = 0;
  I.on = o->human;
  J.on = o->json;
  J.depth = 0;
  int rc = smbw_nbss_frame(m->nbss, m->len, m->transport, &f, NULL, &e);
  if (rc <= 0) { /* cannot happen: flow delivers framed packets */
    return 0;
  }
  if (J.on) {
    jopen('{');
    jk_u("stream", m->stream);
    jk_u("frame", m->frame);
    char ts[48];
    snprintf(ts, sizeof ts, "%.6f", m->ts);
    jkey("ts");
    jputs(ts);
    jk_s("dir", m->c2s ? "c2s" : "s2c");
    jk_open("nbss", '{');
    jk_u("type", f.type);
    jk_u("length", f.length);
  }
  if (S) {
    S->nbss_packets++;
    S->nbss_bytes += m->len;
    S->nbss_types[f.type]++;
  }
  const char *tn = NULL;
  switch (f.type) {
  case SMBW_NBSS_SESSION_REQUEST: {
    smbw_nbss_session_request r;
    rc = smbw_nbss_session_request_decode(&f, &r, &e);
    if (rc == 0) {
      char a[128], b[128];
      nb_name_text(&r.called, a, sizeof a);
      nb_name_text(&r.calling, b, sizeof b);
      jk_s("called", a);
      jk_s("calling", b);
      iadd("Session request, to %s from %s", a, b);
    } else {
      iadd("Session request [Malformed: %s]", smbw_errname(rc));
    }
    jclose('}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jerror(rc, &e);
    }
    break;
  }
  case SMBW_NBSS_NEGATIVE_RESPONSE: {
    uint8_t code = 0;
    rc = smbw_nbss_negative_decode(&f, &code, &e);
    if (rc == 0) {
      jk_u("error", code);
      const char *en = smbw_nbss_error_name(code);
      iadd("Negative session response, %s", en ? en : "unknown error");
    }
    jclose('}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jerror(rc, &e);
    }
    break;
  }
  case SMBW_NBSS_RETARGET_RESPONSE: {
    uint32_t ip = 0;
    uint16_t port = 0;
    rc = smbw_nbss_retarget_decode(&f, &ip, &port, &e);
    if (rc == 0) {
      char a[32];
      snprintf(a, sizeof a, "%u.%u.%u.%u", (unsigned)(ip >> 24), (unsigned)(ip >> 16) & 255u,
               (unsigned)(ip >> 8) & 255u, (unsigned)ip & 255u);
      jk_s("retarget_ip", a);
      jk_u("retarget_port", port);
      iadd("Retarget session response, %s:%u", a, port);
    }
    jclose('}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jerror(rc, &e);
    }
    break;
  }
  case SMBW_NBSS_POSITIVE_RESPONSE:
  case SMBW_NBSS_KEEPALIVE:
    tn = f.type == SMBW_NBSS_KEEPALIVE ? "Session keep-alive" : "Positive session response";
    iadd("%s", tn);
    jclose('}');
    break;
  case SMBW_NBSS_SESSION_MESSAGE:
  default: {
    jclose('}');
    const uint8_t *p = f.payload;
    if (f.length >= 4 && p[1] == 'S' && p[2] == 'M' && p[3] == 'B' &&
        (p[0] == 0xFE || p[0] == 0xFD || p[0] == 0xFC)) {
      const char *what = p[0] == 0xFE ? "smb2" : p[0] == 0xFD ? "smb2_transform" : "smb2_compressed";
      jk_s("other", what);
      iadd("SMB2/3 message (not decoded)");
      if (S) S->smb2++;
      break;
    }
    walk_smb(p, f.length, &w);
    jtx(&w.tx);
    if (S && pv_known(&w.tx)) {
      int prc = payload_in(PV_COUNT, &w.tx, NULL);
      if (PV.had || prc) TXS.st.payloads++;
      if (prc) {
        TXS.st.payload_failed++;
        TXS.st.pcodes[(unsigned)(-prc) & 255u]++;
      }
    }
    if (S) {
      if (w.h) {
        S->smb1++;
        int nt = (w.h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0;
        stat_status(S, w.h->status, nt);
        for (unsigned i = 0; i < w.nblocks && i < sizeof w.cmds; i++) {
          if (w.rsp) S->cmd[w.cmds[i]].rsp++;
          else S->cmd[w.cmds[i]].req++;
        }
      } else {
        S->other++;
      }
    }
    break;
  }
  }
  if (S) {
    if (w.rc) {
      S->failures++;
      S->errs[(unsigned)(-w.rc) & 255u]++;
    }
    connstat *c = stat_conn(S, m);
    if (c) {
      if (m->c2s) c->msgs_c2s++;
      else c->msgs_s2c++;
      c->bytes += m->len;
      c->last_frame = m->frame;
      if (w.rc) c->failures++;
    } else {
      S->conns_other++;
    }
  }
  if (J.on) {
    jclose('}');
    jput("\n", 1);
    if (J.n > (1u << 20)) jflush();
  }
  if (o->human) {
    char a[48], b[48];
    if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
    fprintf(OUT, "%7" PRIu64 " %11.6f %s:%u -> %s:%u [%" PRIu32 "] %s\n", m->frame, m->ts - R->t0, a,
           m->sport, b, m->dport, m->stream, I.b);
  }
  if (o->verbose) {
    char a[48], b[48];
    if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
    fprintf(OUT, "Frame %" PRIu64 ", stream %" PRIu32 " (%s), %s:%u -> %s:%u, t=%.6f\n", m->frame,
           m->stream, m->c2s ? "client to server" : "server to client", a, m->sport, b,
           m->dport, m->ts);
    print_message(OUT, m->nbss, m->len, m->transport, !m->c2s);
    print_tx(OUT, &w.tx);
    fputc('\n', OUT);
  }
  free(w.tx.own);
  return 0;
}

/* ------------------------------------------------------------ output of --stats */

static int cmp_kv(const void *a, const void *b) {
  const kv *x = a, *y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_conn(const void *a, const void *b) {
  const connstat *x = a, *y = b;
  return x->stream < y->stream ? -1 : x->stream > y->stream;
}

static void print_stats(FILE *out, const char *path, const stats *S, const flow_stats *fs,
                        double secs) {
  fprintf(out, "smbdump statistics: %s\n", path);
  fprintf(out, "packets %" PRIu64 " (%" PRIu64 " bytes), TCP segments %" PRIu64
               ", connections %" PRIu64 " (on NBSS ports %" PRIu64 ")\n",
          fs->packets, fs->file_bytes, fs->tcp_packets, fs->connections, fs->smb_connections);
  fprintf(out, "NBSS packets %" PRIu64 " (%" PRIu64 " bytes): SMB1 %" PRIu64 ", SMB2/3 %" PRIu64
               ", other %" PRIu64 "; decode failures %" PRIu64 "\n",
          S->nbss_packets, S->nbss_bytes, S->smb1, S->smb2, S->other, S->failures);
  fprintf(out, "time %.3f s, %.0f messages/s, %.1f MB/s\n", secs,
          secs > 0 ? (double)S->nbss_packets / secs : 0.0,
          secs > 0 ? (double)fs->file_bytes / secs / 1e6 : 0.0);
  fprintf(out, "reassembly: retransmitted bytes %" PRIu64 ", out-of-order segments %" PRIu64
               ", holes %" PRIu64 " (%" PRIu64 " bytes), lost NBSS packets %" PRIu64
               ", resyncs %" PRIu64 " (%" PRIu64 " bytes skipped), framing errors %" PRIu64
               ", oversized %" PRIu64 ", incomplete at close %" PRIu64 ", snapped segments %" PRIu64
               ", after close %" PRIu64 "\n",
          fs->retrans_bytes, fs->ooo_segments, fs->gaps, fs->gap_bytes, fs->lost_packets,
          fs->resyncs, fs->resync_bytes, fs->framing_errors, fs->oversized, fs->incomplete,
          fs->snapped, fs->after_close);
  fprintf(out, "other packets: not IP %" PRIu64 ", IP fragments %" PRIu64 ", not TCP %" PRIu64
               ", malformed %" PRIu64 "; connections forgotten %" PRIu64
               ", most kept at once %" PRIu64 ", peak buffered %" PRIu64 " bytes\n",
          fs->not_ip, fs->ip_fragments, fs->not_tcp, fs->malformed, fs->evicted, fs->peak_live,
          fs->peak_buffered);
  fprintf(out, "NBSS packet types:\n");
  for (unsigned t = 0; t < 256; t++) {
    if (!S->nbss_types[t]) continue;
    const char *n = smbw_nbss_type_name((uint8_t)t);
    fprintf(out, "  %-28s 0x%02x %12" PRIu64 "\n", n ? n : "unknown", t, S->nbss_types[t]);
  }
  fprintf(out, "commands (every block of every AndX chain):\n");
  fprintf(out, "  %-34s %12s %12s\n", "", "requests", "responses");
  for (unsigned c = 0; c < 256; c++) {
    if (!S->cmd[c].req && !S->cmd[c].rsp) continue;
    const char *n = smbw_command_name((uint8_t)c);
    char unk[32];
    if (!n) {
      snprintf(unk, sizeof unk, "unknown 0x%02x", c);
      n = unk;
    }
    fprintf(out, "  %-34s %12" PRIu64 " %12" PRIu64 "\n", n, S->cmd[c].req, S->cmd[c].rsp);
  }
  kv sorted[NSTATUS];
  unsigned ns = 0;
  for (unsigned i = 0; i < NSTATUS; i++)
    if (S->status[i].used) sorted[ns++] = S->status[i];
  qsort(sorted, ns, sizeof *sorted, cmp_kv);
  fprintf(out, "status (SMB1 messages):\n");
  for (unsigned i = 0; i < ns; i++) {
    char st[64];
    smbw_status_format((uint32_t)sorted[i].key, sorted[i].nt, st, sizeof st);
    fprintf(out, "  %-34s 0x%08" PRIx32 " %12" PRIu64 "\n", st, (uint32_t)sorted[i].key,
            sorted[i].count);
  }
  if (S->status_other) fprintf(out, "  %-34s %23" PRIu64 "\n", "(others)", S->status_other);
  const txstat *T = &TXS.st;
  fprintf(out, "transactions: completed %" PRIu64 " (requests %" PRIu64 ", responses %" PRIu64
               "; in several fragments %" PRIu64 "), refused %" PRIu64 ", fragments skipped %" PRIu64
               ", evicted %" PRIu64 ", unfinished %" PRIu64 ", peak buffered %" PRIu64 " bytes\n",
          T->done_req + T->done_rsp, T->done_req, T->done_rsp, T->multi, T->refused, T->skipped,
          T->evicted, T->unfinished, T->peak_bytes);
  fprintf(out, "transaction payloads: %" PRIu64 " decoded, of which %" PRIu64 " failed\n",
          T->payloads, T->payload_failed);
  if (T->payload_failed) {
    fprintf(out, "payload failures:\n");
    for (unsigned i = 0; i < 256; i++)
      if (T->pcodes[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), T->pcodes[i]);
  }
  if (T->refused) {
    fprintf(out, "transaction refusals:\n");
    for (unsigned i = 0; i < 256; i++)
      if (T->codes[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), T->codes[i]);
  }
  if (S->failures) {
    fprintf(out, "decode failures:\n");
    for (unsigned i = 0; i < 256; i++)
      if (S->errs[i])
        fprintf(out, "  %-34s %12" PRIu64 "\n", smbw_errname(-(int)i), S->errs[i]);
  }
  fprintf(out, "connections (with NBSS packets):\n");
  size_t nc = 0;
  connstat *list = NULL;
  if (S->conns) {
    for (unsigned i = 0; i < NCONN; i++)
      if (S->conns[i].used) nc++;
    list = malloc((nc ? nc : 1) * sizeof *list);
    if (list) {
      nc = 0;
      for (unsigned i = 0; i < NCONN; i++)
        if (S->conns[i].used) list[nc++] = S->conns[i];
      qsort(list, nc, sizeof *list, cmp_conn);
      for (size_t i = 0; i < nc; i++) {
        const connstat *c = &list[i];
        char cl[80], sv[80];
        snprintf(cl, sizeof cl, "%s:%u", c->client, c->sport);
        snprintf(sv, sizeof sv, "%s:%u", c->server, c->dport);
        fprintf(out, "  stream %-6" PRIu32 " %-24s -> %-24s c2s %8" PRIu64 " s2c %8" PRIu64
                     " bytes %12" PRIu64 " failures %" PRIu64 " frames %" PRIu64 "-%" PRIu64
                     "\n",
                c->stream, cl, sv, c->msgs_c2s, c->msgs_s2c, c->bytes, c->failures,
                c->first_frame, c->last_frame);
      }
      free(list);
    }
  }
  if (S->conns_other)
    fprintf(out, "  (%" PRIu64 " messages of connections beyond the first %u)\n",
            S->conns_other, NCONN);
}

/* ------------------------------------------------------------ progress */

typedef struct prog {
  struct timespec last;
  int printed;
} prog;

__attribute__((unused)) static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

__attribute__((unused)) static void on_progress(const flow_stats *s, uint64_t done, uint64_t total,
                                                void *ctx) {
  prog *pg = ctx;
  const uint64_t big = 100u * 1000u * 1000u;
  if (total ? total <= big : done <= big) return;
  double t = now_s();
  double last = (double)pg->last.tv_sec + (double)pg->last.tv_nsec / 1e9;
  if (pg->printed && t - last < 1.0) return;
  pg->last.tv_sec = (time_t)t;
  pg->last.tv_nsec = (long)((t - (double)(time_t)t) * 1e9);
  pg->printed = 1;
  if (total)
    fprintf(stderr, "\rsmbdump: %.0f / %.0f MB (%.0f%%), %" PRIu64 " packets, %" PRIu64
                    " NBSS packets   ",
            (double)done / 1e6, (double)total / 1e6, 100.0 * (double)done / (double)total,
            s->packets, s->messages);
  else
    fprintf(stderr, "\rsmbdump: %.0f MB, %" PRIu64 " packets, %" PRIu64 " NBSS packets   ",
            (double)done / 1e6, s->packets, s->messages);
  fflush(stderr);
}

/* ------------------------------------------------------------ main */

#ifdef SMBDUMP_NO_MAIN
/* For fuzz/fuzz_pcap.c: one capture (stdio stream, closed here) through
   the reader and every output mode at once, printed to out. */
int smbdump_fuzz_one(FILE *capture, FILE *out, const uint16_t *ports, size_t nports);
int smbdump_fuzz_one(FILE *capture, FILE *out, const uint16_t *ports, size_t nports) {
  static stats S;
  static connstat conns[NCONN];
  opts o = {1, 1, 1, 1, out};
  memset(&S, 0, sizeof S);
  memset(conns, 0, sizeof conns);
  memset(pend, 0, sizeof pend);
  S.conns = conns;
  J.out = out;
  OUT = out;
  if (!J.b) {
    J.cap = 1u << 21;
    J.b = malloc(J.cap);
    if (!J.b) return -1;
  }
  J.n = 0;
  run R = {&o, &S, 0, 0, 0};
  flow_opts fo = {ports, nports, 0};
  flow_stats fs;
  char err[256];
  flow_ex ex = {&fs, NULL, NULL, 0, on_conn_end};
  memset(&fs, 0, sizeof fs);
  memset(&TXS.st, 0, sizeof TXS.st);
  int rc = flow_read_stream(capture, &fo, on_msg, &R, &ex, err, sizeof err);
  tx_free_all();
  jflush();
  print_stats(out, "fuzz", &S, &fs, 0.0);
  return rc;
}
#else
static void usage(FILE *f) {
  fprintf(f,
          "usage: smbdump [--json] [-V] [--stats] [--port N]... [--hex-limit N] FILE|-\n"
          "  decode the SMB1/CIFS traffic of a pcap or pcapng capture (TCP ports 139, 445)\n"
          "  (default)   one line per NBSS packet, like tshark's Info column\n"
          "  -V          full field tree of every packet\n"
          "  --json      JSON Lines, one object per NBSS packet (see doc/smbdump.md)\n"
          "  --stats     counts per command, status and connection; decode failures\n"
          "              (alone: instead of the per-packet output; else on stderr)\n"
          "  --port N    also follow TCP port N (repeatable)\n"
          "  --hex-limit N  print at most N bytes of transaction parameters and data\n"
          "              (and of each payload byte string) in --json (default 4096,\n"
          "              0: all)\n");
}

int main(int argc, char **argv) {
  opts o = {0, 0, 0, 0, NULL};
  uint16_t ports[64];
  size_t nports = 0;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "--json")) o.json = 1;
    else if (!strcmp(a, "-V") || !strcmp(a, "--verbose")) o.verbose = 1;
    else if (!strcmp(a, "--stats")) o.stats = 1;
    else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
      usage(stdout);
      return 0;
    } else if (!strcmp(a, "--port") || !strncmp(a, "--port=", 7)) {
      const char *v = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !*v) {
        fprintf(stderr, "smbdump: --port needs a value (a TCP port, 1 to 65535)\n");
        return 2;
      }
      char *end = NULL;
      errno = 0;
      long p = strtol(v, &end, 10);
      if (errno || *end || p < 1 || p > 65535) {
        fprintf(stderr, "smbdump: bad port '%s'\n", v);
        return 2;
      }
      if (nports < sizeof ports / sizeof ports[0]) ports[nports++] = (uint16_t)p;
    } else if (!strcmp(a, "--hex-limit") || !strncmp(a, "--hex-limit=", 12)) {
      const char *v = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
      if (!v || !*v) {
        fprintf(stderr, "smbdump: --hex-limit needs a value (a byte count, 0: no limit)\n");
        return 2;
      }
      char *end = NULL;
      errno = 0;
      unsigned long long n = *v != '-' ? strtoull(v, &end, 10) : 0;
      if (*v == '-' || errno || *end || n > SIZE_MAX / 4) {
        fprintf(stderr, "smbdump: bad hex limit '%s'\n", v);
        return 2;
      }
      HEX_MAX = (size_t)n;
    } else if (a[0] == '-' && a[1] != 0) {
      fprintf(stderr, "smbdump: unknown option '%s'\n", a);
      usage(stderr);
      return 2;
    } else if (!path) {
      path = a;
    } else {
      fprintf(stderr, "smbdump: only one capture file\n");
      return 2;
    }
  }
  if (!path) {
    usage(stderr);
    return 2;
  }
  o.human = !o.json && !o.verbose && !o.stats;
  o.statout = (o.json || o.verbose) ? stderr : stdout;
  static char obuf[1 << 16];
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  J.out = stdout;
  OUT = stdout;
  J.cap = 1u << 21;
  J.b = malloc(J.cap);
  if (!J.b) return 2;

  stats *S = NULL;
  if (o.stats) {
    S = calloc(1, sizeof *S);
    if (S) S->conns = calloc(NCONN, sizeof *S->conns);
    if (!S || !S->conns) {
      fprintf(stderr, "smbdump: out of memory\n");
      return 2;
    }
  }
  run R = {&o, S, 0, 0, 0};
  flow_opts fo = {ports, nports, 0};
  flow_stats fs;
  memset(&fs, 0, sizeof fs);
  prog pg;
  memset(&pg, 0, sizeof pg);
  flow_ex ex = {&fs, on_progress, &pg, o.stats ? (uint64_t)16 << 20 : 0, on_conn_end};
  char err[512];
  double t0 = now_s();
  int rc = flow_read_file_ex(path, &fo, on_msg, &R, &ex, err, sizeof err);
  double secs = now_s() - t0;
  tx_free_all();
  jflush();
  if (pg.printed)
    fprintf(stderr, "\rsmbdump: %.0f MB read (100%%), %" PRIu64 " packets, %" PRIu64
                    " NBSS packets, %.1f s          \n",
            (double)fs.file_bytes / 1e6, fs.packets, fs.messages, secs);
  fflush(stdout);
  if (rc) fprintf(stderr, "smbdump: %s\n", err);
  if (S) {
    print_stats(o.statout, path, S, &fs, secs);
    fflush(o.statout);
    free(S->conns);
    free(S);
  }
  free(J.b);
  /* A damaged file after some packets still printed what was read. */
  if (rc && fs.packets == 0) return 1;
  return rc ? 1 : 0;
}
#endif /* SMBDUMP_NO_MAIN */
