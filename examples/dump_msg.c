/*
 * smbdump's per-message walk (see dump_msg.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_msg.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump_common.h"

/* One SMB1 message on its way through the decoders. */
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
  jw *J;             /* the outputs and the tracker */
  dump_info *I;
  dump_tx *T;
  dump_pv *pv;
} walk;

static int do_negotiate(const smbw_block *b, walk *w) {
  if (!w->rsp) {
    smbw_negotiate_req r;
    int rc = smbw_negotiate_req_decode(b, &r, &w->err);
    if (rc) return rc;
    jk_open(w->J, "dialects", '[');
    smbw_dialect_iter it;
    smbw_str name;
    smbw_dialect_iter_init(&it, &r);
    while (smbw_dialect_iter_next(&it, &name)) {
      if (!w->J->on) continue;
      const char *t = jw_utf8(w->J, &name, NULL);
      jitem_s(w->J, t, strlen(t));
    }
    jclose(w->J, ']');
    return 0;
  }
  smbw_negotiate_rsp r;
  int rc = smbw_negotiate_rsp_decode(b, &r, &w->err);
  if (rc) return rc;
  if (r.wct == 0) return 0;
  jk_u(w->J, "dialect_index", r.dialect_index);
  if (r.wct == 1) {
    jk_extra(w->J, r.extra);
    return 0;
  }
  jk_u(w->J, "security_mode", r.security_mode);
  if (r.wct == 13) {
    jk_u(w->J, "max_buffer_size", r.max_buffer_size);
    jk_u(w->J, "max_mpx_count", r.max_mpx_count);
    jk_u(w->J, "max_number_vcs", r.max_number_vcs);
    jk_u(w->J, "raw_mode", r.raw_mode);
    jk_u(w->J, "session_key", r.session_key);
    jk_u(w->J, "server_time", r.server_time);
    jk_u(w->J, "server_date", r.server_date);
    jk_i(w->J, "server_time_zone", r.server_time_zone);
    jk_u(w->J, "encryption_key_length", r.challenge_length);
    jk_u(w->J, "reserved", r.reserved);
    jk_bytes(w->J, "encryption_key", r.challenge);
    jk_str(w->J, "primary_domain", &r.domain_name);
    jk_extra(w->J, r.extra);
    return 0;
  }
  jk_u(w->J, "max_mpx_count", r.max_mpx_count);
  jk_u(w->J, "max_number_vcs", r.max_number_vcs);
  jk_u(w->J, "max_buffer_size", r.max_buffer_size);
  jk_u(w->J, "max_raw_size", r.max_raw_size);
  jk_u(w->J, "session_key", r.session_key);
  jk_u(w->J, "capabilities", r.capabilities);
  jk_u(w->J, "system_time", r.system_time);
  jk_i(w->J, "server_time_zone", r.server_time_zone);
  jk_u(w->J, "challenge_length", r.challenge_length);
  if (r.capabilities & SMBW_CAP_EXTENDED_SECURITY) {
    jk_bytes(w->J, "server_guid", r.server_guid);
    jk_bytes(w->J, "security_blob", r.security_blob);
  } else {
    jk_bytes(w->J, "challenge", r.challenge);
    jk_str(w->J, "domain_name", &r.domain_name);
    jk_str(w->J, "server_name", &r.server_name);
  }
  jk_extra(w->J, r.extra);
  return 0;
}

/* "fields", "wireshark" and "bytes" of a described block (jk_visit()): 0
   or its decode error. */
static int run_block(const void *arg, smbw_visit_fn fn, void *ctx, smbw_error *err) {
  return smbw_block_visit((const smbw_block *)arg, fn, ctx, err);
}

static int do_visit(const smbw_block *b, walk *w) { return jk_visit(w->J, run_block, b, &w->err); }

/* The Info details of the described commands that tshark shows some for
   (the only per-command code left for them). */
static void info_block(const smbw_block *b, walk *w) {
  if (!w->I->on) return;
  switch (b->command) {
  case SMBW_COM_SESSION_SETUP_ANDX: {
    smbw_session_setup_andx_req r;
    if (w->rsp || smbw_session_setup_andx_req_decode(b, &r, NULL)) return;
    if (r.wct != 12 && r.account_name.data) {
      info_add(w->I, ", User: %s\\", r.primary_domain.data ? info_utf8(w->I, &r.primary_domain) : "");
      info_add(w->I, "%s", info_utf8(w->I, &r.account_name));
    }
    return;
  }
  case SMBW_COM_TREE_CONNECT_ANDX: {
    smbw_tree_connect_andx_req r;
    if (w->rsp || smbw_tree_connect_andx_req_decode(b, &r, NULL)) return;
    if (r.path.data) info_add(w->I, ", Path: %s", info_utf8(w->I, &r.path));
    return;
  }
  case SMBW_COM_OPEN_ANDX:
    if (!w->rsp) {
      smbw_open_andx_req r;
      if (smbw_open_andx_req_decode(b, &r, NULL)) return;
      if (r.file_name.data) info_add(w->I, ", Path: %s", info_utf8(w->I, &r.file_name));
    } else {
      smbw_open_andx_rsp r;
      if (smbw_open_andx_rsp_decode(b, &r, NULL) || r.wct == 0) return;
      info_add(w->I, ", FID: 0x%04x", r.fid);
    }
    return;
  case SMBW_COM_READ_ANDX:
    if (!w->rsp) {
      smbw_read_andx_req r;
      if (smbw_read_andx_req_decode(b, &r, NULL)) return;
      uint32_t count = r.max_count;
      info_add(w->I, ", FID: 0x%04x, %" PRIu32 " bytes at offset %" PRIu64, r.fid, count, r.offset);
      info_read_request(w->I, w->stream, w->h, r.fid);
    } else {
      smbw_read_andx_rsp r;
      if (smbw_read_andx_rsp_decode(b, &r, NULL) || r.wct == 0) return;
      info_read_response(w->I, w->stream, w->h);
      info_add(w->I, ", %" PRIu32 " bytes", r.data_length);
    }
    return;
  default: return;
  }
}

/* name opens with p (upper case; ASCII case of name ignored). */
static int name_starts(const char *name, const char *p) {
  for (size_t i = 0; p[i]; i++) {
    char c = name[i];
    if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
    if (c != p[i]) return 0;
  }
  return 1;
}
/* A TRANSACTION Name that opens with \PIPE\: the setup words are a named
   pipe function and a FID (MS-CIFS 2.2.5). */
static int name_is_pipe(const char *name) { return name_starts(name, "\\PIPE\\"); }
/* \MAILSLOT\...: setup word 0 is the mailslot opcode, 1 a write (MS-MAIL
   2.2.1), as in the NetBIOS datagrams of UDP 138. */
static int name_is_mailslot(const char *name) { return name_starts(name, "\\MAILSLOT\\"); }
/* The mailslots that carry browser frames (MS-BRWS 2.1). */
static int name_is_browse(const char *name) {
  return (name_starts(name, "\\MAILSLOT\\BROWSE") && !name[16]) ||
         (name_starts(name, "\\MAILSLOT\\LANMAN") && !name[16]);
}
/* What a mailslot write carries: 1 browser frames, 2 NETLOGON messages
   (MS-ADTS 6.3.1: requests to \MAILSLOT\NET\NETLOGON, answers to the
   mailslot the request named, \MAILSLOT\NET\GETDC... or NTLOGON), 0 else. */
static int mailslot_kind(const char *name) {
  if (name_is_browse(name)) return 1;
  return name_starts(name, "\\MAILSLOT\\NET\\") ? 2 : 0;
}


static void jk_setup(jw *J, smbw_bytes setup) {
  if (!J->on) return;
  jk_open(J, "setup", '[');
  for (unsigned i = 0; i < setup.len / 2u; i++) {
    char b[16];
    jsep(J);
    jput(J, b, (size_t)snprintf(b, sizeof b, "%u", smbw_trans_setup(setup, i)));
  }
  jclose(J, ']');
}

/* The byte areas of a transaction block: pads only when not empty. */
static void jk_areas(jw *J, smbw_bytes pad1, smbw_bytes params, smbw_bytes pad2, smbw_bytes data,
                     smbw_bytes extra) {
  if (pad1.data && pad1.len) jk_bytes(J, "pad1", pad1);
  jk_hexcut(J, "parameters", "parameters_truncated", params);
  if (pad2.data && pad2.len) jk_bytes(J, "pad2", pad2);
  jk_hexcut(J, "data", "data_truncated", data);
  jk_extra(J, extra);
}

/* The block fields of the six transaction commands, then the tracker. */
static int do_trans(const smbw_block *b, walk *w) {
  uint8_t c = b->command;
  if (!w->rsp) {
    smbw_trans_req r;
    /* Lenient: Data over the Parameters (EternalBlue's NT_TRANSACT) is
       shown, flagged, and kept out of the transaction tracker. */
    int rc = smbw_trans_req_decode_opts(b, SMBW_PARSE_LENIENT, &r, &w->err);
    if (rc) return rc;
    int primary = tx_family(c) == c;
    char name[128] = "";
    if (c == SMBW_COM_TRANSACTION && r.name.data) {
      const char *u = info_utf8(w->I, &r.name);
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
    else if (has_sub && c == SMBW_COM_TRANSACTION && sub == 1 && name_is_mailslot(name))
      sub_name = "Write Mail Slot";
    if (c == SMBW_COM_NT_TRANSACT) {
      jk_u(w->J, "max_setup_count", r.max_setup_count);
      jk_u(w->J, "reserved1", r.reserved2);
    } else if (c == SMBW_COM_NT_TRANSACT_SECONDARY) {
      jk_u(w->J, "reserved1", (uint32_t)r.reserved1 | (uint32_t)r.reserved2 << 8);
    }
    jk_u(w->J, "total_parameter_count", r.total_param_count);
    jk_u(w->J, "total_data_count", r.total_data_count);
    if (primary) {
      jk_u(w->J, "max_parameter_count", r.max_param_count);
      jk_u(w->J, "max_data_count", r.max_data_count);
    }
    if (c == SMBW_COM_TRANSACTION || c == SMBW_COM_TRANSACTION2) {
      jk_u(w->J, "max_setup_count", r.max_setup_count);
      jk_u(w->J, "reserved1", r.reserved1);
      jk_u(w->J, "flags", r.flags);
      jk_u(w->J, "timeout", r.timeout);
      jk_u(w->J, "reserved2", r.reserved2);
    }
    jk_u(w->J, "parameter_count", r.params.len);
    jk_u(w->J, "parameter_offset", r.param_offset);
    if (!primary) jk_u(w->J, "parameter_displacement", r.param_displacement);
    jk_u(w->J, "data_count", r.data.len);
    jk_u(w->J, "data_offset", r.data_offset);
    if (!primary) jk_u(w->J, "data_displacement", r.data_displacement);
    if (c == SMBW_COM_TRANSACTION2_SECONDARY) jk_u(w->J, "fid", r.fid);
    if (c == SMBW_COM_NT_TRANSACT_SECONDARY) jk_u(w->J, "reserved2", r.reserved3);
    if (primary) {
      jk_u(w->J, "setup_count", r.setup.len / 2u);
      if (c != SMBW_COM_NT_TRANSACT) jk_u(w->J, "reserved3", r.reserved3);
      if (c == SMBW_COM_NT_TRANSACT) jk_u(w->J, "function", r.function);
      jk_setup(w->J, r.setup);
      if (has_sub) {
        jk_u(w->J, "subcommand", sub);
        if (sub_name) jk_s(w->J, "subcommand_name", sub_name);
      }
      if (c == SMBW_COM_TRANSACTION) jk_str(w->J, "name", &r.name);
    }
    jk_areas(w->J, r.pad1, r.params, r.pad2, r.data, r.extra);
    if (r.overlap) jk_b(w->J, "data_overlaps_parameters", 1);
    /* Info: tshark's subcommand words; for TRANSACTION the Name, and the
       pipe function and FID of a named pipe. */
    char detail[96] = "", lb[32];
    if (c == SMBW_COM_TRANSACTION) {
      size_t k = 0;
      if (name[0]) k += (size_t)snprintf(detail, sizeof detail, ", %s", name);
      if (k < sizeof detail && sub_name) {
        k += (size_t)snprintf(detail + k, sizeof detail - k, ", %s", sub_name);
        if (k < sizeof detail && r.setup.len >= 4 && name_is_mailslot(name))
          snprintf(detail + k, sizeof detail - k, ", priority %u", smbw_trans_setup(r.setup, 1));
        else if (k < sizeof detail && r.setup.len >= 4 && sub != 0x53 && sub != 0x54)
          snprintf(detail + k, sizeof detail - k, ", FID: 0x%04x", smbw_trans_setup(r.setup, 1));
      }
    } else if (primary && has_sub) {
      snprintf(detail, sizeof detail, ", %s", info_sub_label(c, sub, lb, sizeof lb));
    }
    if (primary) info_add(w->I, "%s", detail);
    else if (c == SMBW_COM_TRANSACTION2_SECONDARY) info_add(w->I, ", FID: 0x%04x", r.fid);
    if (r.overlap) info_add(w->I, " [Data overlaps Parameters]");
    else
      tx_request(w->T, w->stream, w->h, &r, sub, has_sub, sub_name, detail,
                 c == SMBW_COM_TRANSACTION ? mailslot_kind(name) : 0, &w->tx);
  } else {
    smbw_trans_rsp r;
    int rc = smbw_trans_rsp_decode_opts(b, SMBW_PARSE_LENIENT, &r, &w->err);
    if (rc) return rc;
    if (r.overlap) {
      jk_b(w->J, "data_overlaps_parameters", 1);
      jk_areas(w->J, r.pad1, r.params, r.pad2, r.data, r.extra);
      info_add(w->I, " [Data overlaps Parameters]");
      return 0;
    }
    if (r.wct) {
      if (c == SMBW_COM_NT_TRANSACT) jk_u(w->J, "reserved1", r.reserved1);
      jk_u(w->J, "total_parameter_count", r.total_param_count);
      jk_u(w->J, "total_data_count", r.total_data_count);
      if (c != SMBW_COM_NT_TRANSACT) jk_u(w->J, "reserved1", r.reserved1);
      jk_u(w->J, "parameter_count", r.params.len);
      jk_u(w->J, "parameter_offset", r.param_offset);
      jk_u(w->J, "parameter_displacement", r.param_displacement);
      jk_u(w->J, "data_count", r.data.len);
      jk_u(w->J, "data_offset", r.data_offset);
      jk_u(w->J, "data_displacement", r.data_displacement);
      jk_u(w->J, "setup_count", r.setup.len / 2u);
      if (c != SMBW_COM_NT_TRANSACT) jk_u(w->J, "reserved2", r.reserved2);
      jk_setup(w->J, r.setup);
      jk_areas(w->J, r.pad1, r.params, r.pad2, r.data, r.extra);
    } else {
      jk_extra(w->J, r.extra);
    }
    tx_response(w->T, w->stream, w->h, &r, &w->tx);
    info_add(w->I, "%s", w->tx.detail);
  }
  const txout *o = &w->tx;
  if (w->I->on && o->done) payload_in(w->pv, PV_INFO, o, NULL);
  if (o->done && o->fragments > 1)
    info_add(w->I, ", reassembled from %u fragments: %" PRIu32 " parameter and %" PRIu32 " data bytes",
         o->fragments, o->params.len, o->data.len);
  if (o->err)
    info_add(w->I, " [Transaction refused: %s at offset %" PRIu32 " (%s)]", smbw_errname(o->err),
         o->e.offset, o->e.field ? o->e.field : "?");
  return 0;
}

/* The "transaction" or "transaction_error" keys of a message. */
static void jtx(jw *J, dump_pv *pv, const txout *o) {
  if (!J->on) return;
  if (o->done) {
    jk_open(J, "transaction", '{');
    jk_u(J, "command", o->command);
    if (o->has_sub) {
      jk_u(J, "subcommand", o->sub);
      if (o->sub_name) jk_s(J, "subcommand_name", o->sub_name);
    }
    jk_u(J, "fragments", o->fragments);
    jk_u(J, "parameter_count", o->params.len);
    jk_u(J, "data_count", o->data.len);
    jk_hexcut(J, "parameters", "parameters_truncated", o->params);
    jk_hexcut(J, "data", "data_truncated", o->data);
    payload_in(pv, PV_JSON, o, NULL);
    jclose(J, '}');
  }
  if (o->err) jk_error(J, "transaction_error", o->err, o->e.offset, o->e.field);
}

static int do_block(const smbw_block *b, walk *w) {
  if (b->command == SMBW_COM_NEGOTIATE) return do_negotiate(b, w);
  return do_trans(b, w);
}

/* The SMB1 message p[0..n): the "smb" object (and "error"), the info line. */
static void walk_smb(const uint8_t *p, size_t n, walk *w) {
  smbw_msg m;
  int rc = smbw_msg_decode(p, n, &m, &w->err);
  if (rc) {
    w->rc = rc;
    info_add(w->I, "SMB [Malformed: %s]", smbw_errname(rc));
    jk_error(w->J, "error", rc, w->err.offset, w->err.field);
    return;
  }
  w->hdr = m.hdr;
  const smbw_header *h = &w->hdr;
  w->h = h;
  w->rsp = (h->flags & SMBW_FLAGS_REPLY) != 0;
  jk_open(w->J, "smb", '{');
  jk_u(w->J, "command", h->command);
  jk_b(w->J, "response", w->rsp);
  jk_u(w->J, "status", h->status);
  if (w->J->on) {
    char st[64];
    smbw_status_format(h->status, (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0, st, sizeof st);
    jk_s(w->J, "status_name", st);
  }
  jk_u(w->J, "flags", h->flags);
  jk_u(w->J, "flags2", h->flags2);
  jk_u(w->J, "pid", smbw_header_pid(h));
  jk_u(w->J, "uid", h->uid);
  jk_u(w->J, "tid", h->tid);
  jk_u(w->J, "mid", h->mid);
  jk_hex(w->J, "signature", h->signature, 8);
  jk_open(w->J, "chain", '[');
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &m);
  const char *label = info_command_label(h->command);
  if (label) info_add(w->I, "%s %s", label, w->rsp ? "Response" : "Request");
  else info_add(w->I, "Unknown (0x%02x) %s", h->command, w->rsp ? "Response" : "Request");
  while ((rc = smbw_andx_iter_next(&it, &b, &w->err)) == 1) {
    if (w->nblocks < sizeof w->cmds) w->cmds[w->nblocks] = b.command;
    w->nblocks++;
    if (b.index > 0) {
      const char *l = info_command_label(b.command);
      if (l) info_add(w->I, ", %s", l);
      else info_add(w->I, ", Unknown (0x%02x)", b.command);
    }
    if (w->J->on) {
      jsep(w->J);
      jopen(w->J, '{');
      jk_u(w->J, "command", b.command);
      const char *name = smbw_command_name(b.command);
      if (name) jk_s(w->J, "name", name);
      else jk_null(w->J, "name");
      jk_u(w->J, "wct", b.wct);
      jk_u(w->J, "bcc", b.bcc);
      jk_u(w->J, "offset", b.offset);
    }
    int described = smbw_type_of(b.command, w->rsp) >= 0;
    int typed = described || b.command == SMBW_COM_NEGOTIATE || tx_is_trans(b.command);
    if (!typed) {
      w->untyped = 1;
      jk_b(w->J, "typed", 0);
      jk_u(w->J, "words_size", 2u * b.nwords);
      jk_u(w->J, "bytes_size", b.bcc);
      jk_open(w->J, "fields", '{');
      if (smbw_command_is_andx(b.command) && b.wct >= 2) {
        jk_u(w->J, "andx_command", b.andx_command);
        jk_u(w->J, "andx_offset", b.andx_offset);
      }
      jclose(w->J, '}');
      jclose(w->J, '}');
      continue;
    }
    jk_b(w->J, "typed", 1);
    if (described) {
      rc = do_visit(&b, w);
      if (rc == 0) info_block(&b, w);
    } else {
      jk_open(w->J, "fields", '{');
      rc = do_block(&b, w);
      jclose(w->J, '}');
    }
    jclose(w->J, '}');
    if (rc < 0) break;
  }
  jclose(w->J, ']');
  jclose(w->J, '}');
  if (rc < 0) {
    w->rc = rc;
    jk_error(w->J, "error", rc, w->err.offset, w->err.field);
    info_add(w->I, " [Malformed: %s at offset %" PRIu32 " (%s)]", smbw_errname(rc), w->err.offset,
         w->err.field ? w->err.field : "?");
  }
  if (h->status != 0) {
    char st[64];
    smbw_status_format(h->status, (h->flags2 & SMBW_FLAGS2_NT_STATUS) != 0, st, sizeof st);
    info_add(w->I, ", Error: %s", st);
  }
}

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

/* Raw data (READ_RAW, WRITE_RAW): the (connection, direction) pairs whose
   next message is raw data, as stream * 2 + c2s. */
static uint32_t raw_key(uint32_t stream, int c2s) { return stream * 2u + (c2s ? 1u : 0u); }

static void raw_wait(dump *d, uint32_t stream) {
  for (unsigned i = 0; i < d->nraw; i++)
    if (d->raw_wait[i] == stream) return;
  if (d->nraw == sizeof d->raw_wait / sizeof d->raw_wait[0]) { /* forget the oldest */
    memmove(d->raw_wait, d->raw_wait + 1, (d->nraw - 1) * sizeof d->raw_wait[0]);
    d->nraw--;
  }
  d->raw_wait[d->nraw++] = stream;
}

static int raw_take(dump *d, uint32_t stream) {
  for (unsigned i = 0; i < d->nraw; i++)
    if (d->raw_wait[i] == stream) {
      d->raw_wait[i] = d->raw_wait[--d->nraw];
      return 1;
    }
  return 0;
}

/* A walk over one message of stream (a TCP connection, or the datagrams),
   received at ts; counts it and starts its Info line. */
static void walk_begin(dump *d, walk *w, uint32_t stream, double ts) {
  memset(w, 0, sizeof *w);
  w->stream = stream;
  w->J = &d->J;
  w->I = d->I;
  w->T = &d->T;
  w->pv = &d->pv;
  d->nmsg++;
  if (!d->have_t0) {
    d->t0 = ts;
    d->have_t0 = 1;
  }
  info_begin(d->I, d->human);
}

int dump_on_msg(const flow_msg *m, void *ctx) {
  dump *d = ctx;
  jw *J = &d->J;
  dump_info *I = d->I;
  dump_stats *S = d->S;
  smbw_nbss f;
  smbw_error e = {0, 0, NULL};
  walk w;
  walk_begin(d, &w, m->stream, m->ts);
  int rc = smbw_nbss_frame(m->nbss, m->len, m->transport, &f, NULL, &e);
  if (rc <= 0) { /* cannot happen: flow delivers framed packets */
    return 0;
  }
  jw_begin(J, d->json);
  if (J->on) {
    jk_u(J, "stream", m->stream);
    jk_u(J, "frame", m->frame);
    char ts[48];
    snprintf(ts, sizeof ts, "%.6f", m->ts);
    jkey(J, "ts");
    jputs(J, ts);
    jk_s(J, "dir", m->c2s ? "c2s" : "s2c");
    jk_open(J, "nbss", '{');
    jk_u(J, "type", f.type);
    jk_u(J, "length", f.length);
  }
  if (S) stats_nbss(S, m, f.type);
  const char *tn = NULL;
  switch (f.type) {
  case SMBW_NBSS_SESSION_REQUEST: {
    smbw_nbss_session_request r;
    rc = smbw_nbss_session_request_decode(&f, &r, &e);
    if (rc == 0) {
      char a[128], b[128];
      nb_name_text(&r.called, a, sizeof a);
      nb_name_text(&r.calling, b, sizeof b);
      jk_s(J, "called", a);
      jk_s(J, "calling", b);
      info_add(I, "Session request, to %s from %s", a, b);
    } else {
      info_add(I, "Session request [Malformed: %s]", smbw_errname(rc));
    }
    jclose(J, '}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jk_error(J, "error", rc, e.offset, e.field);
    }
    break;
  }
  case SMBW_NBSS_NEGATIVE_RESPONSE: {
    uint8_t code = 0;
    rc = smbw_nbss_negative_decode(&f, &code, &e);
    if (rc == 0) {
      jk_u(J, "error", code);
      const char *en = smbw_nbss_error_name(code);
      info_add(I, "Negative session response, %s", en ? en : "unknown error");
    }
    jclose(J, '}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jk_error(J, "error", rc, e.offset, e.field);
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
      jk_s(J, "retarget_ip", a);
      jk_u(J, "retarget_port", port);
      info_add(I, "Retarget session response, %s:%u", a, port);
    }
    jclose(J, '}');
    if (rc) {
      w.rc = rc;
      w.err = e;
      jk_error(J, "error", rc, e.offset, e.field);
    }
    break;
  }
  case SMBW_NBSS_POSITIVE_RESPONSE:
  case SMBW_NBSS_KEEPALIVE:
    tn = f.type == SMBW_NBSS_KEEPALIVE ? "Session keep-alive" : "Positive session response";
    info_add(I, "%s", tn);
    jclose(J, '}');
    break;
  case SMBW_NBSS_SESSION_MESSAGE:
  default: {
    jclose(J, '}');
    const uint8_t *p = f.payload;
    if (raw_take(d, raw_key(m->stream, m->c2s))) { /* READ_RAW's answer, WRITE_RAW's data */
      smbw_bytes raw = {NULL, 0};
      smbw_raw_frame(m->nbss, m->len, m->transport, &raw, NULL, NULL);
      jk_u(J, "raw_data", raw.len);
      if (m->c2s)
        info_add(I, "Write Raw data, %u bytes", (unsigned)raw.len);
      else
        info_add(I, "Read Raw data, %u bytes%s", (unsigned)raw.len,
                 raw.len ? "" : " (none: end of file, a lock or an error)");
      break;
    }
    if (f.length >= 4 && p[1] == 'S' && p[2] == 'M' && p[3] == 'B' &&
        (p[0] == 0xFE || p[0] == 0xFD || p[0] == 0xFC)) {
      const char *what = p[0] == 0xFE ? "smb2" : p[0] == 0xFD ? "smb2_transform" : "smb2_compressed";
      jk_s(J, "other", what);
      info_add(I, "SMB2/3 message (not decoded)");
      if (S) stats_smb2(S);
      break;
    }
    walk_smb(p, f.length, &w);
    if (m->c2s && w.h && w.h->command == SMBW_COM_READ_RAW && !w.rsp)
      raw_wait(d, raw_key(m->stream, 0));
    /* WRITE_RAW: the client sends the rest of CountOfBytes raw, after the
       interim response; an error response instead of it means none comes */
    if (w.h && w.h->command == SMBW_COM_WRITE_RAW && f.length >= SMBW_HEADER_SIZE + 25) {
      const uint8_t *wv = p + SMBW_HEADER_SIZE + 1;
      if (m->c2s && !w.rsp && p[SMBW_HEADER_SIZE] >= 12 &&
          (wv[2] | wv[3] << 8) > (wv[20] | wv[21] << 8))
        raw_wait(d, raw_key(m->stream, 1));
    }
    if (!m->c2s && w.h && w.h->command == SMBW_COM_WRITE_RAW && w.rsp && w.h->status)
      raw_take(d, raw_key(m->stream, 1));
    jtx(J, &d->pv, &w.tx);
    if (S && payload_known(&w.tx)) {
      txstat *T = &d->T.st;
      int prc = payload_in(&d->pv, PV_COUNT, &w.tx, NULL);
      if (d->pv.had || prc) T->payloads++;
      if (prc) {
        T->payload_failed++;
        T->pcodes[(unsigned)(-prc) & 255u]++;
      }
    }
    if (S)
      stats_smb1(S, w.h, w.cmds, w.nblocks < sizeof w.cmds ? w.nblocks : (unsigned)sizeof w.cmds);
    break;
  }
  }
  if (S) stats_done(S, m, w.rc);
  jw_end(J);
  if (d->human) info_print(I, d->out, m, d->t0);
  if (d->verbose) tree_message(&d->tree, m, &w.tx);
  free(w.tx.own);
  return 0;
}

void dump_on_conn_end(uint32_t stream, void *ctx) {
  dump *d = ctx;
  raw_take(d, stream);
  tx_conn_end(&d->T, stream);
}

/* Datagram reassembly: a few keys at a time, each over the largest whole
   a datagram can carry (dgram.h). */
#define DGRAM_SLOTS 4u
#define DGRAM_WHOLE 131072u
struct dump_dgram_slot {
  smbw_dgram_asm a;
  uint8_t *buf;
};

void dump_init(dump *d, FILE *out, int json, int verbose, int human, dump_stats *S,
               size_t hex_max) {
  memset(d, 0, sizeof *d);
  d->out = out;
  d->json = json;
  d->verbose = verbose;
  d->human = human;
  d->S = S;
  jw_init(&d->J, out, hex_max);
  d->I = calloc(1, sizeof *d->I);
  if (!d->I) dump_oom();
  d->pv.J = &d->J;
  d->pv.I = d->I;
  d->tree.out = out;
  d->tree.pv = &d->pv;
}

void dump_finish(dump *d) {
  tx_free_all(&d->T);
  jflush(&d->J);
}

void dump_free(dump *d) {
  tx_free_all(&d->T);
  if (d->dg) {
    for (unsigned i = 0; i < DGRAM_SLOTS; i++) free(d->dg[i].buf);
    free(d->dg);
    d->dg = NULL;
  }
  jw_free(&d->J);
  free(d->I);
  d->I = NULL;
}

/* ------------------------------------------------------------ datagrams */

/* A datagram name as tshark shows it: bytes outside 0x20..0x7E as <XX>,
   the suffix as <XX>, then ".scope". */
static void dg_name_text(const smbw_nb_name *n, char *out, size_t cap) {
  char plain[16];
  size_t l = smbw_nb_name_get(n, plain), k = 0;
  for (size_t i = 0; i < l && k + 6 < cap; i++) {
    unsigned char u = (unsigned char)plain[i];
    if (u < 0x20 || u >= 0x7F) k += (size_t)snprintf(out + k, cap - k, "<%02x>", u);
    else out[k++] = (char)u;
  }
  out[k] = 0;
  k += (size_t)snprintf(out + k, cap - k, "<%02x>", n->name[15]);
  if (n->scope.len && k + 2 < cap) {
    out[k++] = '.';
    smbw_nb_scope_to_text(n->scope, out + k, cap - k, NULL);
  }
}

/* The datagram SMB walk's stream key: datagrams belong to no connection. */
#define DGRAM_STREAM 0xFFFFFFFFu

/* The reassembler for fragment dg: the one with its key, else an empty
   one, else the next in turn (its fragments are dropped). */
static struct dump_dgram_slot *dg_slot(dump *d, const smbw_dgram *dg) {
  if (!d->dg) {
    d->dg = calloc(DGRAM_SLOTS, sizeof *d->dg);
    if (!d->dg) dump_oom();
  }
  struct dump_dgram_slot *s = NULL;
  for (unsigned i = 0; i < DGRAM_SLOTS; i++)
    if (smbw_dgram_asm_match(&d->dg[i].a, dg)) return &d->dg[i];
  for (unsigned i = 0; i < DGRAM_SLOTS && !s; i++)
    if (d->dg[i].a.type == 0) s = &d->dg[i];
  if (!s) {
    s = &d->dg[d->dg_next];
    d->dg_next = (d->dg_next + 1u) % DGRAM_SLOTS;
  }
  if (!s->buf) {
    s->buf = malloc(DGRAM_WHOLE);
    if (!s->buf) dump_oom();
  }
  smbw_dgram_asm_init(&s->a, s->buf, DGRAM_WHOLE);
  return s;
}

int dump_on_dgram(const flow_dgram *g, void *ctx) {
  dump *d = ctx;
  jw *J = &d->J;
  dump_info *I = d->I;
  walk w;
  walk_begin(d, &w, DGRAM_STREAM, g->ts);
  smbw_dgram dg;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_dgram_decode(g->data, g->len, &dg, &e);
  struct dump_dgram_slot *slot = NULL; /* the fragment's reassembler */
  int arc = 0;                         /* what it said */
  smbw_bytes whole_data = {NULL, 0};   /* the SMB's bytes, when whole */
  char a[48], b[48];
  if (flow_dgram_addrs(g, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
  jw_begin(J, d->json);
  if (J->on) {
    jk_u(J, "frame", g->frame);
    char ts[48];
    snprintf(ts, sizeof ts, "%.6f", g->ts);
    jkey(J, "ts");
    jputs(J, ts);
    jk_s(J, "src", a);
    jk_s(J, "dst", b);
    jk_u(J, "sport", g->sport);
    jk_u(J, "dport", g->dport);
    jk_open(J, "nbdgm", '{');
  }
  if (rc) {
    jclose(J, '}');
    jk_error(J, "error", rc, e.offset, e.field);
    info_add(I, "NetBIOS datagram [Malformed: %s at offset %" PRIu32 " (%s)]", smbw_errname(rc),
             e.offset, e.field ? e.field : "?");
  } else {
    const char *tn = smbw_dgram_type_name(dg.type);
    char ip[20], src[300] = "", dst[300] = "";
    snprintf(ip, sizeof ip, "%u.%u.%u.%u", dg.src_ip >> 24, (dg.src_ip >> 16) & 255u,
             (dg.src_ip >> 8) & 255u, dg.src_ip & 255u);
    int names = dg.type <= SMBW_DGRAM_BROADCAST;
    int whole = names && dg.offset == 0 && !(dg.flags & SMBW_DGRAM_FLAG_MORE);
    if (whole) whole_data = dg.data;
    jk_u(J, "type", dg.type);
    jk_s(J, "type_name", tn);
    jk_u(J, "flags", dg.flags);
    jk_b(J, "more", (dg.flags & SMBW_DGRAM_FLAG_MORE) != 0);
    jk_b(J, "first", (dg.flags & SMBW_DGRAM_FLAG_FIRST) != 0);
    jk_u(J, "node_type", (dg.flags & SMBW_DGRAM_FLAG_SNT_MASK) >> 2);
    jk_u(J, "id", dg.id);
    jk_s(J, "src_ip", ip);
    jk_u(J, "src_port", dg.src_port);
    if (names) {
      dg_name_text(&dg.source, src, sizeof src);
      jk_u(J, "length", dg.length);
      jk_u(J, "offset", dg.offset);
      jk_s(J, "source", src);
    }
    if (dg.type != SMBW_DGRAM_ERROR) {
      dg_name_text(&dg.destination, dst, sizeof dst);
      jk_s(J, "destination", dst);
    } else {
      jk_u(J, "error_code", dg.error_code);
    }
    if (names) {
      jk_u(J, "data_len", dg.data.len);
      if (!whole) jk_hex(J, "data", dg.data.data, dg.data.len);
    }
    jclose(J, '}');
    if (!whole && names) { /* a fragment: to its reassembler */
      slot = dg_slot(d, &dg);
      smbw_error ae = {0, 0, NULL};
      arc = smbw_dgram_asm_add(&slot->a, &dg, &ae);
      if (arc < 0) {
        jk_error(J, "reassembly_error", arc, ae.offset, ae.field);
      } else {
        jk_open(J, "reassembly", '{');
        jk_u(J, "fragments", slot->a.fragments);
        jk_b(J, "complete", arc == 1);
        if (slot->a.last) jk_u(J, "total", slot->a.total);
        jclose(J, '}');
      }
      if (arc == 1) whole_data = slot->a.data;
    }
    switch (dg.type) {
    case SMBW_DGRAM_ERROR: {
      const char *en = smbw_dgram_error_name(dg.error_code);
      info_add(I, "Datagram error, %s", en ? en : "unknown error");
      break;
    }
    case SMBW_DGRAM_QUERY_REQUEST:
    case SMBW_DGRAM_POSITIVE_QUERY:
    case SMBW_DGRAM_NEGATIVE_QUERY:
      info_add(I, "Datagram %s, %s",
               dg.type == SMBW_DGRAM_QUERY_REQUEST ? "query request"
               : dg.type == SMBW_DGRAM_POSITIVE_QUERY ? "positive query response"
                                                      : "negative query response",
               dst);
      break;
    default:
      info_add(I, "%s datagram %s -> %s, ",
               dg.type == SMBW_DGRAM_DIRECT_UNIQUE ? "Direct_unique"
               : dg.type == SMBW_DGRAM_DIRECT_GROUP ? "Direct_group" : "Broadcast",
               src, dst);
      if (!whole) {
        info_add(I, "fragment at offset %u, %" PRIu32 " bytes%s", dg.offset, dg.data.len,
                 dg.flags & SMBW_DGRAM_FLAG_MORE ? ", more follow" : "");
        if (arc < 0) info_add(I, " [Reassembly refused: %s]", smbw_errname(arc));
        else if (arc == 1)
          info_add(I, ", reassembled from %u fragments: %" PRIu32 " bytes, ", slot->a.fragments,
                   slot->a.total);
      }
      if (whole || arc == 1) {
        walk_smb(whole_data.data, whole_data.len, &w);
        jtx(J, &d->pv, &w.tx);
      }
      break;
    }
  }
  jw_end(J);
  if (d->human)
    fprintf(d->out, "%7" PRIu64 " %11.6f %s:%u -> %s:%u [udp] %s\n", g->frame, g->ts - d->t0, a,
            g->sport, b, g->dport, I->b);
  if (d->verbose)
    tree_dgram(&d->tree, g, &dg, rc, &e, &w.tx, whole_data, slot ? slot->a.fragments : 0, arc);
  if (arc == 1) smbw_dgram_asm_init(&slot->a, slot->buf, DGRAM_WHOLE); /* free the slot */
  free(w.tx.own);
  return 0;
}
