/*
 * smbdump: decode the SMB1/CIFS traffic of a pcap or pcapng capture with
 * smbwire.
 *
 *   smbdump [--json] [-V] [--stats] [--port N]... FILE|-
 *
 * Default: one line per NBSS packet, in the manner of tshark's Info column.
 * -V: the full field tree of every packet.  --json: JSON Lines, one object
 * per NBSS packet (field contract: doc/smbdump.md).  --stats: counts per
 * command, status and connection, and decode failures.
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
  char b[1024];
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
    while (smbw_dialect_next(&it, &name)) {
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
    smbw_session_setup_req r;
    int rc = smbw_session_setup_req_decode(b, &r, &w->err);
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
  smbw_session_setup_rsp r;
  int rc = smbw_session_setup_rsp_decode(b, &r, &w->err);
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
    smbw_tree_connect_req r;
    int rc = smbw_tree_connect_req_decode(b, &r, &w->err);
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
  smbw_tree_connect_rsp r;
  int rc = smbw_tree_connect_rsp_decode(b, &r, &w->err);
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

static int do_block(const smbw_block *b, walk *w) {
  switch (b->command) {
  case SMBW_COM_NEGOTIATE: return do_negotiate(b, w);
  case SMBW_COM_SESSION_SETUP_ANDX: return do_session_setup(b, w);
  case SMBW_COM_TREE_CONNECT_ANDX: return do_tree_connect(b, w);
  case SMBW_COM_OPEN_ANDX: return do_open(b, w);
  case SMBW_COM_READ_ANDX: return do_read(b, w);
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
  smbw_andx_init(&it, &m);
  const char *label = cmd_label(h->command);
  if (label) iadd("%s %s", label, w->rsp ? "Response" : "Request");
  else iadd("Unknown (0x%02x) %s", h->command, w->rsp ? "Response" : "Request");
  while ((rc = smbw_andx_next(&it, &b, &w->err)) == 1) {
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
                b.command == SMBW_COM_READ_ANDX;
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
    fputc('\n', OUT);
  }
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
  flow_ex ex = {&fs, NULL, NULL, 0};
  memset(&fs, 0, sizeof fs);
  int rc = flow_read_stream(capture, &fo, on_msg, &R, &ex, err, sizeof err);
  jflush();
  print_stats(out, "fuzz", &S, &fs, 0.0);
  return rc;
}
#else
static void usage(FILE *f) {
  fprintf(f,
          "usage: smbdump [--json] [-V] [--stats] [--port N]... FILE|-\n"
          "  decode the SMB1/CIFS traffic of a pcap or pcapng capture (TCP ports 139, 445)\n"
          "  (default)   one line per NBSS packet, like tshark's Info column\n"
          "  -V          full field tree of every packet\n"
          "  --json      JSON Lines, one object per NBSS packet (see doc/smbdump.md)\n"
          "  --stats     counts per command, status and connection; decode failures\n"
          "              (alone: instead of the per-packet output; else on stderr)\n"
          "  --port N    also follow TCP port N (repeatable)\n");
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
      char *end = NULL;
      errno = 0;
      long p = v ? strtol(v, &end, 10) : -1;
      if (!v || errno || *end || p < 1 || p > 65535) {
        fprintf(stderr, "smbdump: bad port '%s'\n", v ? v : "");
        return 2;
      }
      if (nports < sizeof ports / sizeof ports[0]) ports[nports++] = (uint16_t)p;
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
  flow_ex ex = {&fs, on_progress, &pg, o.stats ? (uint64_t)16 << 20 : 0};
  char err[512];
  double t0 = now_s();
  int rc = flow_read_file_ex(path, &fo, on_msg, &R, &ex, err, sizeof err);
  double secs = now_s() - t0;
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
