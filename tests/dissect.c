#include "dissect.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The six transaction commands, primary and secondary. */
#define CASE_TRANSACTIONS                                                   \
  case SMBW_COM_TRANSACTION:                                                \
  case SMBW_COM_TRANSACTION_SECONDARY:                                      \
  case SMBW_COM_TRANSACTION2:                                               \
  case SMBW_COM_TRANSACTION2_SECONDARY:                                     \
  case SMBW_COM_NT_TRANSACT:                                                \
  case SMBW_COM_NT_TRANSACT_SECONDARY

typedef struct out_ctx {
  dissect_put_fn put;
  void *ctx;
} out_ctx;

static void putu(out_ctx *o, const char *name, uint64_t v) {
  char b[32];
  if (!o->put) return;
  snprintf(b, sizeof b, "%" PRIu64, v);
  o->put(o->ctx, name, b);
}

static void puti(out_ctx *o, const char *name, int64_t v) {
  char b[32];
  if (!o->put) return;
  snprintf(b, sizeof b, "%" PRId64, v);
  o->put(o->ctx, name, b);
}

static void puthex(out_ctx *o, const char *name, const uint8_t *p, size_t n) {
  static char b[2 * 70000 + 1];
  static const char hx[] = "0123456789abcdef";
  if (!o->put) return;
  if (n > 70000) n = 70000;
  for (size_t i = 0; i < n; i++) {
    b[2 * i] = hx[p[i] >> 4];
    b[2 * i + 1] = hx[p[i] & 15];
  }
  b[2 * n] = 0;
  o->put(o->ctx, name, b);
}

static void putbytes(out_ctx *o, const char *name, smbw_bytes v) {
  if (v.data) puthex(o, name, v.data, v.len);
}

/* Text as the extractor writes it: \\ | newline, CR and tab escaped. */
static void putstr(out_ctx *o, const char *name, const smbw_str *s) {
  char u[4096], e[8200];
  size_t need, j = 0;
  if (!s->data) {
    /* Always convert, even when not reporting: exercises the reader. */
    return;
  }
  smbw_str_to_utf8(s, u, sizeof u, &need);
  if (!o->put) return;
  if (s->enc == SMBW_STR_OEM) {
    /* tshark shows OEM bytes >= 0x80 as U+FFFD; compare in that form. */
    size_t k = 0;
    for (uint32_t i = 0; i < s->len && k + 4 < sizeof u; i++) {
      if (s->data[i] < 0x80) u[k++] = (char)s->data[i];
      else { memcpy(u + k, "\xef\xbf\xbd", 3); k += 3; }
    }
    u[k] = 0;
  }
  for (size_t i = 0; u[i] && j + 3 < sizeof e; i++) {
    if (u[i] == '\\' || u[i] == '|') e[j++] = '\\';
    if (u[i] == '\n') { e[j++] = '\\'; e[j++] = 'n'; continue; }
    if (u[i] == '\r') { e[j++] = '\\'; e[j++] = 'r'; continue; }
    if (u[i] == '\t') { e[j++] = '\\'; e[j++] = 't'; continue; }
    e[j++] = u[i];
  }
  e[j] = 0;
  o->put(o->ctx, name, e);
}

static int is_rsp(const smbw_block *b) { return (b->flags & SMBW_FLAGS_REPLY) != 0; }

/* A described type's fields, from the library's visitor: every field with
   a Wireshark name is reported under it. */
typedef struct visit_ctx {
  out_ctx *o;
  size_t *used;
} visit_ctx;

static int visit_put(void *ctx, const smbw_field *f) {
  visit_ctx *v = ctx;
  size_t end = (size_t)f->offset + f->width;
  if (end > *v->used) *v->used = end;
  if (!f->wsname) return 0;
  switch (f->kind) {
  case SMBW_FIELD_UINT: putu(v->o, f->wsname, f->value); break;
  case SMBW_FIELD_BYTES: putbytes(v->o, f->wsname, f->bytes); break;
  default: putstr(v->o, f->wsname, &f->str); break;
  }
  return 0;
}

static int dissect_block(const smbw_block *b, out_ctx *o, smbw_error *err, size_t *used,
                         unsigned *typed) {
  int rc = 0;
  if (smbw_type_of(b->command, is_rsp(b)) >= 0) {
    visit_ctx v = {o, used};
    if ((rc = smbw_block_visit(b, visit_put, &v, err))) return rc;
    (*typed)++;
    return 0;
  }
  switch (b->command) {
  case SMBW_COM_NEGOTIATE:
    if (!is_rsp(b)) {
      smbw_negotiate_req r;
      if ((rc = smbw_negotiate_req_decode(b, &r, err))) return rc;
      smbw_dialect_iter it;
      smbw_str name;
      smbw_dialect_iter_init(&it, &r);
      while (smbw_dialect_iter_next(&it, &name)) {
        putu(o, "smb.buffer_format", 2);
        putstr(o, "smb.dialect", &name);
      }
    } else {
      smbw_negotiate_rsp r;
      if ((rc = smbw_negotiate_rsp_decode(b, &r, err))) return rc;
      if (r.wct == 0) break;
      putu(o, "smb.dialect.index", r.dialect_index);
      if (r.wct == 1) break;
      putu(o, "smb.sm", r.security_mode);
      putu(o, "smb.max_mpx_count", r.max_mpx_count);
      putu(o, "smb.max_vcs", r.max_number_vcs);
      putu(o, "smb.max_bufsize", r.max_buffer_size);
      putu(o, "smb.session_key", r.session_key);
      if (r.wct == 17) {
        putu(o, "smb.max_raw_buf", r.max_raw_size);
        putu(o, "smb.server_cap", r.capabilities);
        putu(o, "smb.system.time", r.system_time);
        putu(o, "smb.challenge_length", r.challenge_length);
      } else {
        putu(o, "smb.rm", r.raw_mode);
      }
      puti(o, "smb.server_timezone", r.server_time_zone);
      putbytes(o, "smb.challenge", r.challenge);
      putstr(o, "smb.primary_domain", &r.domain_name);
      putstr(o, "smb.server", &r.server_name);
      putbytes(o, "smb.server_guid", r.server_guid);
      if (r.security_blob.len) putbytes(o, "smb.security_blob", r.security_blob);
      if (r.security_blob.data) *used = (size_t)(r.security_blob.data - b->msg) + r.security_blob.len;
    }
    break;
  CASE_TRANSACTIONS:
    /* Transactions: the counts and offsets of the block.  The subcommand
       parameters and data are not decoded here (tshark decodes them with
       field names of their own, some shared: the block is not counted as
       typed, so extra tshark occurrences are not compared). */
    if (!is_rsp(b)) {
      smbw_trans_req r;
      if ((rc = smbw_trans_req_decode(b, &r, err))) return rc;
      int nt = b->command == SMBW_COM_NT_TRANSACT || b->command == SMBW_COM_NT_TRANSACT_SECONDARY;
      int primary = b->command == SMBW_COM_TRANSACTION || b->command == SMBW_COM_TRANSACTION2 ||
                    b->command == SMBW_COM_NT_TRANSACT;
      if (primary && nt) putu(o, "smb.msc", r.max_setup_count);
      putu(o, "smb.tpc", r.total_param_count);
      putu(o, "smb.tdc", r.total_data_count);
      if (primary) {
        putu(o, "smb.mpc", r.max_param_count);
        putu(o, "smb.mdc", r.max_data_count);
      }
      if (primary && !nt) {
        putu(o, "smb.msc", r.max_setup_count);
        putu(o, "smb.transaction.flags", r.flags);
        putu(o, "smb.timeout", r.timeout);
      }
      putu(o, "smb.pc", r.params.len);
      putu(o, "smb.po", r.param_offset);
      if (!primary) putu(o, "smb.pd", r.param_displacement);
      putu(o, "smb.dc", r.data.len);
      putu(o, "smb.data_offset", r.data_offset);
      if (!primary) putu(o, "smb.data_disp", r.data_displacement);
      if (primary) putu(o, "smb.sc", r.setup.len / 2);
      if (b->command == SMBW_COM_NT_TRANSACT) putu(o, "smb.nt.function", r.function);
      if (b->command == SMBW_COM_TRANSACTION2_SECONDARY) putu(o, "smb.fid", r.fid);
      if (b->command == SMBW_COM_TRANSACTION2 && r.setup.len >= 2)
        putu(o, "smb.trans2.cmd", smbw_trans_setup(r.setup, 0));
      if (b->command == SMBW_COM_TRANSACTION) putstr(o, "smb.trans_name", &r.name);
    } else {
      smbw_trans_rsp r;
      if ((rc = smbw_trans_rsp_decode(b, &r, err))) return rc;
      if (r.wct == 0) return 0;
      putu(o, "smb.tpc", r.total_param_count);
      putu(o, "smb.tdc", r.total_data_count);
      putu(o, "smb.pc", r.params.len);
      putu(o, "smb.po", r.param_offset);
      putu(o, "smb.pd", r.param_displacement);
      putu(o, "smb.dc", r.data.len);
      putu(o, "smb.data_offset", r.data_offset);
      putu(o, "smb.data_disp", r.data_displacement);
      putu(o, "smb.sc", r.setup.len / 2);
    }
    return 0;
  default:
    return 0;
  }
  (*typed)++;
  return 0;
}

int dissect_msg(const uint8_t *msg, size_t len, dissect_put_fn put, void *ctx,
                smbw_error *err, size_t *used, unsigned *typed) {
  out_ctx o = {put, ctx};
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  int rc;
  *used = SMBW_HEADER_SIZE;
  if ((rc = smbw_msg_decode(msg, len, &m, err))) return rc;
  const smbw_header *h = &m.hdr;
  putu(&o, "smb.cmd", h->command);
  if (h->flags2 & SMBW_FLAGS2_NT_STATUS) {
    putu(&o, "smb.nt_status", h->status);
  } else {
    putu(&o, "smb.error_class", SMBW_DOS_CLASS(h->status));
    putu(&o, "smb.error_code", SMBW_DOS_CODE(h->status));
  }
  putu(&o, "smb.flags", h->flags);
  putu(&o, "smb.flags2", h->flags2);
  putu(&o, "smb.pid.high", h->pid_high);
  puthex(&o, "smb.signature", h->signature, 8);
  putu(&o, "smb.tid", h->tid);
  putu(&o, "smb.pid", h->pid_low);
  putu(&o, "smb.uid", h->uid);
  putu(&o, "smb.mid", h->mid);
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, err)) == 1) {
    size_t end = (size_t)(b.bytes - msg) + b.bcc;
    if (end > *used) *used = end;
    if (smbw_type_of(b.command, is_rsp(&b)) < 0) { /* the visitor reports these itself */
      if (smbw_command_is_andx(b.command) && b.wct >= 2) putu(&o, "smb.cmd", b.andx_command);
      putu(&o, "smb.wct", b.wct);
      if (b.andx_command != 0xFF || (smbw_command_is_andx(b.command) && b.wct >= 2))
        putu(&o, "smb.andxoffset", b.andx_offset);
      putu(&o, "smb.bcc", b.bcc);
    }
    if ((rc = dissect_block(&b, &o, err, used, typed))) return rc;
  }
  return rc;
}

int reencode_msg(const uint8_t *msg, size_t len, int framing, uint8_t *out, size_t cap,
                 size_t *outlen) {
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  smbw_builder bld;
  int rc;
  if ((rc = smbw_msg_decode(msg, len, &m, NULL))) return rc;
  if ((rc = smbw_builder_init(&bld, out, cap, framing, &m.hdr))) return rc;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    int rsp = is_rsp(&b);
    int type = smbw_type_of(b.command, rsp);
    union {
      smbw_negotiate_req a; smbw_negotiate_rsp b;
      smbw_trans_req k; smbw_trans_rsp l;
      _Alignas(max_align_t) uint8_t any[512]; /* any described type */
    } u;
    int done = 1;
    if (type >= 0) {
      if ((rc = smbw_decode_(&b, type, &u, sizeof u, NULL))) return rc;
      smbw_encode_(&bld, type, &u, sizeof u);
      continue;
    }
    switch (b.command) {
    case SMBW_COM_NEGOTIATE:
      if (!rsp) { if ((rc = smbw_negotiate_req_decode(&b, &u.a, NULL))) return rc; smbw_negotiate_req_encode(&bld, &u.a); }
      else { if ((rc = smbw_negotiate_rsp_decode(&b, &u.b, NULL))) return rc; smbw_negotiate_rsp_encode(&bld, &u.b); }
      break;
    CASE_TRANSACTIONS:
      if (!rsp) { if ((rc = smbw_trans_req_decode(&b, &u.k, NULL))) return rc; smbw_trans_req_encode(&bld, &u.k); }
      else { if ((rc = smbw_trans_rsp_decode(&b, &u.l, NULL))) return rc; smbw_trans_rsp_encode(&bld, &u.l); }
      break;
    default:
      done = 0;
    }
    if (!done) smbw_builder_block(&bld, &b);
  }
  if (rc < 0) return rc;
  /* Bytes after the last block and its data (for instance the words Samba
     sends beyond an NT_CREATE_ANDX WordCount) are kept as a trailer. */
  size_t used = 0;
  unsigned typed = 0;
  smbw_error e;
  if (dissect_msg(msg, len, NULL, NULL, &e, &used, &typed) == 0 && used < len)
    smbw_builder_trailer(&bld, msg + used, len - used);
  return smbw_builder_finish(&bld, outlen);
}
