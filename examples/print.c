/*
 * Decoded printing of NBSS packets and SMB1 messages (see print.h).
 * Everything is decoded by smbwire; this file only formats.
 */
#include "print.h"

#include <smbwire/smbwire.h>

#include <inttypes.h>
#include <string.h>

#define IND1 "  "
#define IND2 "    "

/* Remember the first decode error (the return value of print_message). */
static void note_err(int *first, int rc) {
  if (rc < 0 && *first == 0) *first = rc;
}

static void print_decode_error(FILE *out, const char *what, int rc, const smbw_error *e) {
  fprintf(out, IND2 "!! %s: %s (%s) at offset %" PRIu32 " field %s\n", what,
          smbw_errname(rc), smbw_strerror(rc), e->offset, e->field ? e->field : "?");
}

static void print_hex(FILE *out, const uint8_t *p, size_t n, size_t max) {
  size_t k = n < max ? n : max;
  for (size_t i = 0; i < k; i++) fprintf(out, "%02x", p[i]);
  if (k < n) fprintf(out, "...");
}

static void print_bytes_field(FILE *out, const char *name, smbw_bytes b, size_t max) {
  fprintf(out, IND2 "%s (%" PRIu32 " bytes)", name, b.len);
  if (b.len && b.data) {
    fputs(": ", out);
    print_hex(out, b.data, b.len, max);
  }
  fputc('\n', out);
}

/* A string field: UTF-8, quoted, control characters escaped. */
static void print_str_field(FILE *out, const char *name, const smbw_str *s) {
  fprintf(out, IND2 "%s: ", name);
  if (!s->data) {
    fputs("(absent)\n", out);
    return;
  }
  char buf[512];
  size_t need = 0;
  int rc = smbw_str_to_utf8(s, buf, sizeof buf, &need);
  fputc('"', out);
  for (const char *c = buf; *c; c++) {
    unsigned char u = (unsigned char)*c;
    if (u == '"') fputs("\\\"", out);
    else if (u < 0x20 || u == 0x7F) fprintf(out, "\\x%02x", u);
    else fputc(u, out);
  }
  fputc('"', out);
  if (rc == SMBW_E_NOSPACE) fprintf(out, "... (%zu bytes)", need);
  fprintf(out, " [%s%s]\n", s->enc == SMBW_STR_UTF16LE ? "UTF-16LE" : "OEM",
          s->unterminated ? ", unterminated" : "");
}

struct bitname {
  uint32_t bit;
  const char *name;
};

static void print_bits(FILE *out, uint32_t v, const struct bitname *t, size_t n) {
  const char *sep = "";
  uint32_t rest = v;
  fputc('[', out);
  for (size_t i = 0; i < n; i++) {
    if (v & t[i].bit) {
      fprintf(out, "%s%s", sep, t[i].name);
      sep = ",";
      rest &= ~t[i].bit;
    }
  }
  if (rest) fprintf(out, "%s0x%" PRIx32, sep, rest);
  fputc(']', out);
}

#define NBITS(t) (sizeof(t) / sizeof((t)[0]))

static const struct bitname flags_names[] = {
    {SMBW_FLAGS_LOCK_AND_READ_OK, "LOCK_AND_READ_OK"},
    {SMBW_FLAGS_BUF_AVAIL, "BUF_AVAIL"},
    {SMBW_FLAGS_CASE_INSENSITIVE, "CASE_INSENSITIVE"},
    {SMBW_FLAGS_CANONICALIZED_PATHS, "CANONICALIZED_PATHS"},
    {SMBW_FLAGS_OPLOCK, "OPLOCK"},
    {SMBW_FLAGS_OPBATCH, "OPBATCH"},
    {SMBW_FLAGS_REPLY, "REPLY"},
};

static const struct bitname flags2_names[] = {
    {SMBW_FLAGS2_LONG_NAMES, "LONG_NAMES"},
    {SMBW_FLAGS2_EAS, "EAS"},
    {SMBW_FLAGS2_SECURITY_SIGNATURE, "SECURITY_SIGNATURE"},
    {SMBW_FLAGS2_COMPRESSED, "COMPRESSED"},
    {SMBW_FLAGS2_SIGNATURE_REQUIRED, "SIGNATURE_REQUIRED"},
    {SMBW_FLAGS2_IS_LONG_NAME, "IS_LONG_NAME"},
    {SMBW_FLAGS2_REPARSE_PATH, "REPARSE_PATH"},
    {SMBW_FLAGS2_EXTENDED_SECURITY, "EXTENDED_SECURITY"},
    {SMBW_FLAGS2_DFS, "DFS"},
    {SMBW_FLAGS2_PAGING_IO, "PAGING_IO"},
    {SMBW_FLAGS2_NT_STATUS, "NT_STATUS"},
    {SMBW_FLAGS2_UNICODE, "UNICODE"},
};

static const struct bitname cap_names[] = {
    {SMBW_CAP_RAW_MODE, "RAW_MODE"},
    {SMBW_CAP_MPX_MODE, "MPX_MODE"},
    {SMBW_CAP_UNICODE, "UNICODE"},
    {SMBW_CAP_LARGE_FILES, "LARGE_FILES"},
    {SMBW_CAP_NT_SMBS, "NT_SMBS"},
    {SMBW_CAP_RPC_REMOTE_APIS, "RPC_REMOTE_APIS"},
    {SMBW_CAP_STATUS32, "STATUS32"},
    {SMBW_CAP_LEVEL_II_OPLOCKS, "LEVEL_II_OPLOCKS"},
    {SMBW_CAP_LOCK_AND_READ, "LOCK_AND_READ"},
    {SMBW_CAP_NT_FIND, "NT_FIND"},
    {SMBW_CAP_DFS, "DFS"},
    {SMBW_CAP_INFOLEVEL_PASSTHRU, "INFOLEVEL_PASSTHRU"},
    {SMBW_CAP_LARGE_READX, "LARGE_READX"},
    {SMBW_CAP_LARGE_WRITEX, "LARGE_WRITEX"},
    {SMBW_CAP_LWIO, "LWIO"},
    {SMBW_CAP_UNIX, "UNIX"},
    {SMBW_CAP_COMPRESSED_DATA, "COMPRESSED_DATA"},
    {SMBW_CAP_DYNAMIC_REAUTH, "DYNAMIC_REAUTH"},
    {SMBW_CAP_PERSISTENT_HANDLES, "PERSISTENT_HANDLES"},
    {SMBW_CAP_EXTENDED_SECURITY, "EXTENDED_SECURITY"},
};

static const struct bitname secmode_names[] = {
    {SMBW_NEGOTIATE_USER_SECURITY, "USER_SECURITY"},
    {SMBW_NEGOTIATE_ENCRYPT_PASSWORDS, "ENCRYPT_PASSWORDS"},
    {SMBW_NEGOTIATE_SECURITY_SIGNATURES_ENABLED, "SIGNATURES_ENABLED"},
    {SMBW_NEGOTIATE_SECURITY_SIGNATURES_REQUIRED, "SIGNATURES_REQUIRED"},
};

static void print_negotiate(FILE *out, const smbw_block *b, int reply, int *first) {
  smbw_error e = {0, 0, NULL};
  if (!reply) {
    smbw_negotiate_req r;
    int rc = smbw_negotiate_req_decode(b, &r, &e);
    if (rc) {
      print_decode_error(out, "NEGOTIATE request", rc, &e);
      note_err(first, rc);
      return;
    }
    fprintf(out, IND2 "dialects (%u):", r.count);
    smbw_dialect_iter it;
    smbw_str name;
    unsigned i = 0;
    smbw_dialect_iter_init(&it, &r);
    while (smbw_dialect_iter_next(&it, &name)) {
      char buf[128];
      smbw_str_to_utf8(&name, buf, sizeof buf, NULL);
      fprintf(out, "%s[%u] \"%s\"", i ? ", " : " ", i, buf);
      i++;
    }
    fputc('\n', out);
    return;
  }
  smbw_negotiate_rsp r;
  int rc = smbw_negotiate_rsp_decode(b, &r, &e);
  if (rc) {
    print_decode_error(out, "NEGOTIATE response", rc, &e);
    note_err(first, rc);
    return;
  }
  if (r.wct == 0) return;
  fprintf(out, IND2 "dialect index: %u%s\n", r.dialect_index,
          r.dialect_index == SMBW_NEGOTIATE_NO_DIALECT ? " (none supported)" : "");
  if (r.wct == 1) return;
  fprintf(out, IND2 "security mode: 0x%02x ", r.security_mode);
  print_bits(out, r.security_mode, secmode_names, NBITS(secmode_names));
  fputc('\n', out);
  fprintf(out, IND2 "max mpx %u, max vcs %u, max buffer %" PRIu32 ", session key 0x%08" PRIx32
                    "\n",
          r.max_mpx_count, r.max_number_vcs, r.max_buffer_size, r.session_key);
  if (r.wct == 13) {
    fprintf(out, IND2 "raw mode 0x%04x, time 0x%04x date 0x%04x tz %d min\n", r.raw_mode,
            r.server_time, r.server_date, r.server_time_zone);
    print_bytes_field(out, "encryption key", r.challenge, 64);
    print_str_field(out, "primary domain", &r.domain_name);
    return;
  }
  fprintf(out, IND2 "max raw %" PRIu32 ", system time %" PRIu64 ", tz %d min\n",
          r.max_raw_size, r.system_time, r.server_time_zone);
  fprintf(out, IND2 "capabilities: 0x%08" PRIx32 " ", r.capabilities);
  print_bits(out, r.capabilities, cap_names, NBITS(cap_names));
  fputc('\n', out);
  if (r.capabilities & SMBW_CAP_EXTENDED_SECURITY) {
    print_bytes_field(out, "server guid", r.server_guid, 16);
    print_bytes_field(out, "security blob", r.security_blob, 32);
    return;
  }
  fprintf(out, IND2 "challenge length: %u\n", r.challenge_length);
  print_bytes_field(out, "challenge", r.challenge, 64);
  print_str_field(out, "domain name", &r.domain_name);
  print_str_field(out, "server name", &r.server_name);
}

/* A described block (form.h), field by field from the library's visitor:
   "Name: value" in wire order, numbers in decimal and hex, bytes in hex
   (at most 32), strings in UTF-8.  Passwords show their length only: the
   responses they hold can be cracked offline. */
typedef struct vprint {
  FILE *out;
} vprint;

static int print_field(void *ctx, const smbw_field *f) {
  FILE *out = ((vprint *)ctx)->out;
  switch (f->kind) {
  case SMBW_FIELD_UINT:
    fprintf(out, IND2 "%s: %" PRIu64 " (0x%" PRIx64 ")\n", f->name, f->value, f->value);
    break;
  case SMBW_FIELD_BYTES:
    if (strstr(f->name, "Password")) {
      fprintf(out, IND2 "%s: %" PRIu32 " bytes\n", f->name, f->bytes.len);
      break;
    }
    print_bytes_field(out, f->name, f->bytes, 32);
    break;
  default: print_str_field(out, f->name, &f->str); break;
  }
  return 0;
}

static void print_described(FILE *out, const smbw_block *b, int *first) {
  vprint v = {out};
  smbw_error e = {0, 0, NULL};
  int rc = smbw_block_visit(b, print_field, &v, &e);
  if (rc) {
    const char *name = NULL;
    smbw_type_info(smbw_type_of(b->command, b->flags & SMBW_FLAGS_REPLY), &name, NULL, NULL, 0);
    print_decode_error(out, name ? name : "block", rc, &e);
    note_err(first, rc);
  }
}

static const struct bitname trans_flag_names[] = {
    {0x0001, "DISCONNECT_TID"},
    {0x0002, "NO_RESPONSE"},
};

static void print_setup(FILE *out, smbw_bytes setup) {
  fprintf(out, IND2 "setup (%" PRIu32 " words):", setup.len / 2u);
  for (unsigned i = 0; i < setup.len / 2u; i++) fprintf(out, " 0x%04x", smbw_trans_setup(setup, i));
  fputc('\n', out);
}

/* The byte areas: the pads and extra bytes only when there are some. */
static void print_trans_areas(FILE *out, smbw_bytes pad1, smbw_bytes params, smbw_bytes pad2,
                              smbw_bytes data, smbw_bytes extra) {
  if (pad1.len) print_bytes_field(out, "pad1", pad1, 16);
  print_bytes_field(out, "parameters", params, 64);
  if (pad2.len) print_bytes_field(out, "pad2", pad2, 16);
  print_bytes_field(out, "data", data, 64);
  if (extra.len) print_bytes_field(out, "extra", extra, 32);
}

/* TRANSACTION, TRANSACTION2, NT_TRANSACT and their secondaries. */
static void print_trans(FILE *out, const smbw_block *b, int reply, int *first) {
  smbw_error e = {0, 0, NULL};
  uint8_t c = b->command;
  int nt = c == SMBW_COM_NT_TRANSACT || c == SMBW_COM_NT_TRANSACT_SECONDARY;
  if (!reply) {
    smbw_trans_req r;
    int rc = smbw_trans_req_decode_opts(b, SMBW_PARSE_LENIENT, &r, &e);
    if (rc) {
      print_decode_error(out, "transaction request", rc, &e);
      note_err(first, rc);
      return;
    }
    int primary = c == SMBW_COM_TRANSACTION || c == SMBW_COM_TRANSACTION2 ||
                  c == SMBW_COM_NT_TRANSACT;
    fprintf(out, IND2 "total parameters %" PRIu32 ", total data %" PRIu32, r.total_param_count,
            r.total_data_count);
    if (primary)
      fprintf(out, ", max parameters %" PRIu32 ", max data %" PRIu32 ", max setup %u",
              r.max_param_count, r.max_data_count, r.max_setup_count);
    fputc('\n', out);
    if (primary && !nt) {
      fprintf(out, IND2 "flags: 0x%04x ", r.flags);
      print_bits(out, r.flags, trans_flag_names, NBITS(trans_flag_names));
      fprintf(out, ", timeout %" PRIu32 "\n", r.timeout);
    }
    fprintf(out, IND2 "parameters %" PRIu32 " at offset %" PRIu32, r.params.len, r.param_offset);
    if (!primary) fprintf(out, " displacement %" PRIu32, r.param_displacement);
    fprintf(out, ", data %" PRIu32 " at offset %" PRIu32, r.data.len, r.data_offset);
    if (!primary) fprintf(out, " displacement %" PRIu32, r.data_displacement);
    fputc('\n', out);
    if (c == SMBW_COM_TRANSACTION2_SECONDARY) fprintf(out, IND2 "fid 0x%04x\n", r.fid);
    if (primary) {
      print_setup(out, r.setup);
      if (c == SMBW_COM_TRANSACTION) print_str_field(out, "name", &r.name);
      int has = nt || r.setup.len >= 2;
      uint16_t sub = nt ? r.function : smbw_trans_setup(r.setup, 0);
      const char *n = has ? smbw_trans_subcommand_name(c, sub) : NULL;
      if (c == SMBW_COM_TRANSACTION) {
        /* the setup words are a pipe function only on \PIPE\ */
        char nm[16];
        size_t need = 0;
        nm[0] = 0;
        if (r.name.data) smbw_str_to_utf8(&r.name, nm, sizeof nm, &need);
        for (size_t i = 0; i < 6 && n; i++) {
          char u = nm[i];
          if (u >= 'a' && u <= 'z') u = (char)(u - 'a' + 'A');
          if (u != "\\PIPE\\"[i]) n = NULL;
        }
      }
      if (has)
        fprintf(out, IND2 "%s: %s (0x%04x)\n", nt ? "function" : "subcommand",
                n ? n : "unknown", sub);
    }
    print_trans_areas(out, r.pad1, r.params, r.pad2, r.data, r.extra);
    if (r.overlap) fputs(IND2 "!! the data overlaps the parameters\n", out);
    return;
  }
  smbw_trans_rsp r;
  int rc = smbw_trans_rsp_decode_opts(b, SMBW_PARSE_LENIENT, &r, &e);
  if (rc) {
    print_decode_error(out, "transaction response", rc, &e);
    note_err(first, rc);
    return;
  }
  if (r.wct == 0) {
    fputs(IND2 "interim or error response (no words)\n", out);
    return;
  }
  fprintf(out, IND2 "total parameters %" PRIu32 ", total data %" PRIu32 "\n",
          r.total_param_count, r.total_data_count);
  fprintf(out, IND2 "parameters %" PRIu32 " at offset %" PRIu32 " displacement %" PRIu32
                    ", data %" PRIu32 " at offset %" PRIu32 " displacement %" PRIu32 "\n",
          r.params.len, r.param_offset, r.param_displacement, r.data.len, r.data_offset,
          r.data_displacement);
  print_setup(out, r.setup);
  print_trans_areas(out, r.pad1, r.params, r.pad2, r.data, r.extra);
  if (r.overlap) fputs(IND2 "!! the data overlaps the parameters\n", out);
}

/* Commands without a typed decoder: the parameter words, little-endian. */
static void print_raw_block(FILE *out, const smbw_block *b) {
  if (b->wct == 0 && b->bcc == 0) return;
  fprintf(out, IND2 "words:");
  unsigned n = b->wct < 24 ? b->wct : 24;
  for (unsigned i = 0; i < n; i++)
    fprintf(out, " %04x", (unsigned)(b->words[2 * i] | (b->words[2 * i + 1] << 8)));
  if (n < b->wct) fputs(" ...", out);
  fputc('\n', out);
  if (b->bcc) {
    fprintf(out, IND2 "bytes: ");
    print_hex(out, b->bytes, b->bcc, 32);
    fputc('\n', out);
  }
}

static void print_block(FILE *out, const smbw_block *b, int reply, int *first) {
  const char *name = smbw_command_name(b->command);
  fprintf(out, IND1 "block %u: %s (0x%02x) wct %u bcc %u offset %" PRIu32, b->index,
          name ? name : "unknown", b->command, b->wct, b->bcc, b->offset);
  if (b->andx_command != 0xFF || b->andx_offset)
    fprintf(out, " -> andx 0x%02x at %u", b->andx_command, b->andx_offset);
  fputc('\n', out);
  switch (b->command) {
  case SMBW_COM_NEGOTIATE: print_negotiate(out, b, reply, first); break;
  case SMBW_COM_TRANSACTION:
  case SMBW_COM_TRANSACTION_SECONDARY:
  case SMBW_COM_TRANSACTION2:
  case SMBW_COM_TRANSACTION2_SECONDARY:
  case SMBW_COM_NT_TRANSACT:
  case SMBW_COM_NT_TRANSACT_SECONDARY: print_trans(out, b, reply, first); break;
  default:
    if (smbw_type_of(b->command, reply) >= 0) print_described(out, b, first);
    else print_raw_block(out, b);
    break;
  }
}

int print_smb(FILE *out, const uint8_t *p, size_t len, int from_server) {
  smbw_msg m;
  smbw_error e = {0, 0, NULL};
  if (len >= 4 && (p[0] == 0xFE || p[0] == 0xFD || p[0] == 0xFC) && p[1] == 'S' &&
      p[2] == 'M' && p[3] == 'B') {
    fprintf(out, IND1 "SMB2/3 %s (%zu bytes, not decoded by smbwire)\n",
            p[0] == 0xFE ? "message" : p[0] == 0xFD ? "transform (encrypted) message"
                                                    : "compressed message",
            len);
    return 0;
  }
  int rc = smbw_msg_decode(p, len, &m, &e);
  if (rc) {
    fprintf(out, IND1 "!! SMB header: %s (%s) at offset %" PRIu32 " field %s\n",
            smbw_errname(rc), smbw_strerror(rc), e.offset, e.field ? e.field : "?");
    return rc;
  }
  const smbw_header *h = &m.hdr;
  int reply = (h->flags & SMBW_FLAGS_REPLY) != 0;
  int nt = (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0;
  char st[64];
  smbw_status_format(h->status, nt, st, sizeof st);
  const char *name = smbw_command_name(h->command);
  fprintf(out, IND1 "SMB %s (0x%02x) %s%s, status %s (0x%08" PRIx32 ")\n",
          name ? name : "unknown", h->command, reply ? "response" : "request",
          (reply != 0) != (from_server != 0) ? " (direction mismatch!)" : "", st, h->status);
  fprintf(out, IND1 "flags 0x%02x ", h->flags);
  print_bits(out, h->flags, flags_names, NBITS(flags_names));
  fprintf(out, " flags2 0x%04x ", h->flags2);
  print_bits(out, h->flags2, flags2_names, NBITS(flags2_names));
  fputc('\n', out);
  fprintf(out, IND1 "pid %" PRIu32 " uid %u tid %u mid %u", 
          ((uint32_t)h->pid_high << 16) | h->pid_low, h->uid, h->tid, h->mid);
  static const uint8_t zero_sig[8];
  if (memcmp(h->signature, zero_sig, 8) != 0) {
    fputs(" signature ", out);
    print_hex(out, h->signature, 8, 8);
  }
  fputc('\n', out);

  smbw_andx_iter it;
  smbw_block b;
  int first = 0;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, &e)) == 1) print_block(out, &b, reply, &first);
  if (rc < 0) {
    fprintf(out, IND1 "!! AndX chain: %s (%s) at offset %" PRIu32 " field %s\n",
            smbw_errname(rc), smbw_strerror(rc), e.offset, e.field ? e.field : "?");
    note_err(&first, rc);
  }
  return first;
}

static void print_nb_name(FILE *out, const char *label, const smbw_nb_name *n) {
  char plain[16];
  smbw_nb_name_get(n, plain);
  fprintf(out, IND1 "%s: \"", label);
  for (const char *c = plain; *c; c++) {
    unsigned char u = (unsigned char)*c;
    if (u < 0x20 || u >= 0x7F || u == '"' || u == '\\') fprintf(out, "\\x%02x", u);
    else fputc(u, out);
  }
  fprintf(out, "\"<%02x>", n->name[15]);
  if (n->scope.len) {
    char scope[256];
    smbw_nb_scope_to_text(n->scope, scope, sizeof scope, NULL);
    fprintf(out, " scope \"%s\"", scope);
  }
  fputc('\n', out);
}

int print_message(FILE *out, const uint8_t *frame, size_t len, int transport,
                  int from_server) {
  const char *dir = from_server ? "<<< server" : ">>> client";
  smbw_nbss f;
  smbw_error e = {0, 0, NULL};
  size_t need = 0;
  int rc = smbw_nbss_frame(frame, len, transport, &f, &need, &e);
  if (rc <= 0) {
    if (rc == 0) {
      fprintf(out, "%s: incomplete NBSS packet (%zu bytes, %zu more needed)\n", dir, len, need);
      rc = SMBW_E_TRUNCATED;
    } else {
      fprintf(out, "%s: bad NBSS packet: %s (%s) at offset %" PRIu32 " field %s\n", dir,
              smbw_errname(rc), smbw_strerror(rc), e.offset, e.field ? e.field : "?");
    }
    return rc;
  }
  const char *tname = smbw_nbss_type_name(f.type);
  fprintf(out, "%s: NBSS %s (0x%02x) length %" PRIu32 " [%s]\n", dir,
          tname ? tname : "unknown", f.type, f.length,
          transport == SMBW_FRAMING_NBT ? "NBT" : "direct");
  switch (f.type) {
  case SMBW_NBSS_SESSION_MESSAGE:
    rc = print_smb(out, f.payload, f.length, from_server);
    break;
  case SMBW_NBSS_SESSION_REQUEST: {
    smbw_nbss_session_request r;
    rc = smbw_nbss_session_request_decode(&f, &r, &e);
    if (rc == 0) {
      print_nb_name(out, "called", &r.called);
      print_nb_name(out, "calling", &r.calling);
    }
    break;
  }
  case SMBW_NBSS_NEGATIVE_RESPONSE: {
    uint8_t code = 0;
    rc = smbw_nbss_negative_decode(&f, &code, &e);
    if (rc == 0) {
      const char *en = smbw_nbss_error_name(code);
      fprintf(out, IND1 "error 0x%02x: %s\n", code, en ? en : "unknown");
    }
    break;
  }
  case SMBW_NBSS_RETARGET_RESPONSE: {
    uint32_t ip = 0;
    uint16_t port = 0;
    rc = smbw_nbss_retarget_decode(&f, &ip, &port, &e);
    if (rc == 0)
      fprintf(out, IND1 "retarget to %u.%u.%u.%u:%u\n", (unsigned)(ip >> 24),
              (unsigned)(ip >> 16) & 0xFFu, (unsigned)(ip >> 8) & 0xFFu, (unsigned)ip & 0xFFu,
              port);
    break;
  }
  default:
    rc = 0;
    break;
  }
  if (rc < 0 && f.type != SMBW_NBSS_SESSION_MESSAGE)
    fprintf(out, IND1 "!! %s (%s) at offset %" PRIu32 " field %s\n", smbw_errname(rc),
            smbw_strerror(rc), e.offset, e.field ? e.field : "?");
  return rc < 0 ? rc : 0;
}
