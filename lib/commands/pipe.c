/* The named pipe functions (MS-CIFS 2.2.5) and the mailslot write (MS-CIFS
   2.2.5.12) of SMB_COM_TRANSACTION.  One row per function says what its
   setup word 1, parameters and data are, for requests and responses; the
   decoders and encoders read the row. */
#include "../core/internal.h"

#include <smbwire/pipe.h>

/* ---- the Name ---- */

/* ASCII upper case of character i of a string view, or -1 past its end
   (or for a UTF-16 code unit above 0x7F). */
static int name_char(const smbw_str *s, uint32_t i) {
  unsigned c;
  if (s->enc == SMBW_STR_UTF16LE) {
    if (2u * i + 1u >= s->len + 0u || 2u * i + 1u < 2u * i) return -1;
    if (s->data[2u * i + 1u]) return -1;
    c = s->data[2u * i];
  } else {
    if (i >= s->len) return -1;
    c = s->data[i];
  }
  if (c >= 'a' && c <= 'z') c -= 32u;
  return (int)c;
}

/* Whether the string starts with the upper-case ASCII prefix p (and, with
   whole set, is exactly it). */
static int name_is(const smbw_str *s, const char *p, int whole) {
  uint32_t i = 0;
  for (; p[i]; i++)
    if (name_char(s, i) != (unsigned char)p[i]) return 0;
  return !whole || name_char(s, i) < 0;
}

int smbw_trans_target(const smbw_str *name) {
  if (!name || !name->data) return SMBW_TRANS_TARGET_OTHER;
  if (name_is(name, "\\PIPE\\LANMAN", 1)) return SMBW_TRANS_TARGET_LANMAN;
  if (name_is(name, "\\PIPE\\", 0)) return SMBW_TRANS_TARGET_PIPE;
  if (name_is(name, "\\MAILSLOT\\", 0)) return SMBW_TRANS_TARGET_MAILSLOT;
  return SMBW_TRANS_TARGET_OTHER;
}

/* ---- the functions ---- */

/* A 2-byte field of a struct: where it is and its MS-CIFS name. */
typedef struct w16 {
  uint16_t off;
  const char *name;
} w16;

#define RSP_W(m, name) {offsetof(smbw_pipe_rsp, m), name}
static const w16 R_STATE[] = {RSP_W(pipe_status, "NMPipeStatus")};
static const w16 R_PEEK[] = {RSP_W(read_data_available, "ReadDataAvailable"),
                             RSP_W(message_bytes_length, "MessageBytesLength"),
                             RSP_W(named_pipe_state, "NamedPipeState")};
static const w16 R_WRITTEN[] = {RSP_W(bytes_written, "BytesWritten")};
static const w16 Q_STATE[] = {{offsetof(smbw_pipe_req, pipe_state), "PipeState"}};
static const w16 Q_LEVEL[] = {{offsetof(smbw_pipe_req, level), "Level"}};

enum { D_NONE = 0, D_VIEW, D_INFO };

typedef struct pfunc {
  uint16_t code;
  uint8_t by_name;   /* setup word 1 is a priority (the pipe is the Name) */
  uint8_t req_data;  /* D_NONE or D_VIEW (write_data) */
  uint8_t rsp_data;  /* D_NONE, D_VIEW (read_data) or D_INFO */
  uint8_t nreq, nrsp;
  const w16 *req, *rsp;
} pfunc;

static const pfunc FUNCS[] = {
    {SMBW_TRANS_SET_NM_PIPE_STATE, 0, D_NONE, D_NONE, 1, 0, Q_STATE, NULL},
    {SMBW_TRANS_RAW_READ_NM_PIPE, 0, D_NONE, D_VIEW, 0, 0, NULL, NULL},
    {SMBW_TRANS_QUERY_NM_PIPE_STATE, 0, D_NONE, D_NONE, 0, 1, NULL, R_STATE},
    {SMBW_TRANS_QUERY_NM_PIPE_INFO, 0, D_NONE, D_INFO, 1, 0, Q_LEVEL, NULL},
    {SMBW_TRANS_PEEK_NM_PIPE, 0, D_NONE, D_VIEW, 0, 3, NULL, R_PEEK},
    {SMBW_TRANS_TRANSACT_NM_PIPE, 0, D_VIEW, D_VIEW, 0, 0, NULL, NULL},
    {SMBW_TRANS_RAW_WRITE_NM_PIPE, 0, D_VIEW, D_NONE, 0, 1, NULL, R_WRITTEN},
    {SMBW_TRANS_READ_NM_PIPE, 0, D_NONE, D_VIEW, 0, 0, NULL, NULL},
    {SMBW_TRANS_WRITE_NM_PIPE, 0, D_VIEW, D_NONE, 0, 1, NULL, R_WRITTEN},
    {SMBW_TRANS_WAIT_NM_PIPE, 1, D_NONE, D_NONE, 0, 0, NULL, NULL},
    {SMBW_TRANS_CALL_NM_PIPE, 1, D_VIEW, D_VIEW, 0, 0, NULL, NULL},
};

static const pfunc *find_func(uint16_t code) {
  for (size_t i = 0; i < sizeof FUNCS / sizeof FUNCS[0]; i++)
    if (FUNCS[i].code == code) return &FUNCS[i];
  return NULL;
}

/* Read n 2-byte fields from v into the struct at base; the rest of v is
   the extra. */
static int read_words(smbw_bytes v, const w16 *f, unsigned n, uint8_t *base, smbw_bytes *rest,
                      smbw_error *err) {
  for (unsigned i = 0; i < n; i++) {
    if (v.len < 2u * i + 2u) return smbw_fail(err, SMBW_E_TRUNCATED, 2u * i, f[i].name);
    uint16_t x = ld16(v.data + 2u * i);
    memcpy(base + f[i].off, &x, 2);
  }
  rest->data = v.len > 2u * n ? v.data + 2u * n : NULL;
  rest->len = v.len > 2u * n ? v.len - 2u * n : 0;
  return 0;
}

/* Append n bytes (counting past cap). */
static void app(uint8_t *buf, size_t cap, size_t *pos, const uint8_t *src, size_t n) {
  if (*pos <= cap && n <= cap - *pos && n) {
    if (src)
      memcpy(buf + *pos, src, n);
    else
      memset(buf + *pos, 0, n);
  }
  *pos += n;
}

static void app16(uint8_t *buf, size_t cap, size_t *pos, uint16_t v) {
  uint8_t b[2];
  st16(b, v);
  app(buf, cap, pos, b, 2);
}

static void write_words(uint8_t *buf, size_t cap, size_t *pos, const w16 *f, unsigned n,
                        const uint8_t *base) {
  for (unsigned i = 0; i < n; i++) {
    uint16_t x;
    memcpy(&x, base + f[i].off, 2);
    app16(buf, cap, pos, x);
  }
}

int smbw_pipe_req_decode_(smbw_bytes setup, smbw_bytes params, smbw_bytes data,
                          smbw_pipe_req *out, size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_pipe_req, extra) || smbw_view_bad(setup) ||
      smbw_view_bad(params) || smbw_view_bad(data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "pipe");
  if (setup.len < 4) return smbw_fail(err, SMBW_E_TRUNCATED, setup.len, "Setup");
  smbw_pipe_req r;
  memset(&r, 0, sizeof r);
  r.function = ld16(setup.data);
  const pfunc *f = find_func(r.function);
  if (!f) return smbw_fail(err, SMBW_E_LEVEL, 0, "Function");
  if (f->by_name)
    r.priority = ld16(setup.data + 2);
  else
    r.fid = ld16(setup.data + 2);
  if (setup.len > 4) {
    r.extra_setup.data = setup.data + 4;
    r.extra_setup.len = setup.len - 4;
  }
  int rc = read_words(params, f->req, f->nreq, (uint8_t *)&r, &r.extra_params, err);
  if (rc < 0) return rc;
  if (f->req_data == D_VIEW)
    r.write_data = data;
  else
    r.extra_data = data;
  smbw_put_sized(out, out_size, &r, sizeof r);
  return 0;
}

int smbw_pipe_req_encode_(uint8_t *setup, size_t scap, size_t *slen, uint8_t *params, size_t pcap,
                          size_t *plen, uint8_t *data, size_t dcap, size_t *dlen,
                          const smbw_pipe_req *in, size_t r_size) {
  if ((!setup && scap) || (!params && pcap) || (!data && dcap) || !slen || !plen || !dlen ||
      !in || r_size < SMBW_FIRST_SIZE(smbw_pipe_req, extra))
    return SMBW_E_INVAL;
  smbw_pipe_req r;
  smbw_get_sized(&r, sizeof r, in, r_size);
  if (smbw_view_bad(r.write_data) || smbw_view_bad(r.extra_setup) ||
      smbw_view_bad(r.extra_params) || smbw_view_bad(r.extra_data))
    return SMBW_E_INVAL;
  const pfunc *f = find_func(r.function);
  if (!f) return SMBW_E_LEVEL;
  size_t s = 0, p = 0, d = 0;
  app16(setup, scap, &s, r.function);
  app16(setup, scap, &s, f->by_name ? r.priority : r.fid);
  app(setup, scap, &s, r.extra_setup.data, r.extra_setup.len);
  write_words(params, pcap, &p, f->req, f->nreq, (const uint8_t *)&r);
  app(params, pcap, &p, r.extra_params.data, r.extra_params.len);
  if (f->req_data == D_VIEW) app(data, dcap, &d, r.write_data.data, r.write_data.len);
  app(data, dcap, &d, r.extra_data.data, r.extra_data.len);
  *slen = s;
  *plen = p;
  *dlen = d;
  return (s > scap || p > pcap || d > dcap) ? SMBW_E_NOSPACE : 0;
}

/* QueryNmPipeInfo's 7 fixed bytes. */
static const char *const INFO_NAMES[] = {"OutputBufferSize", "OutputBufferSize",
                                         "InputBufferSize",  "InputBufferSize",
                                         "MaximumInstances", "CurrentInstances",
                                         "PipeNameLength"};

int smbw_pipe_rsp_decode_(uint16_t function, smbw_bytes params, smbw_bytes data, int unicode,
                          smbw_pipe_rsp *out, size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_pipe_rsp, extra) || smbw_view_bad(params) ||
      smbw_view_bad(data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "pipe");
  const pfunc *f = find_func(function);
  if (!f) return smbw_fail(err, SMBW_E_LEVEL, 0, "Function");
  smbw_pipe_rsp r;
  memset(&r, 0, sizeof r);
  r.function = function;
  int rc = read_words(params, f->rsp, f->nrsp, (uint8_t *)&r, &r.extra_params, err);
  if (rc < 0) return rc;
  if (f->rsp_data == D_VIEW) {
    r.read_data = data;
  } else if (f->rsp_data == D_INFO) {
    if (data.len < 7) return smbw_fail(err, SMBW_E_TRUNCATED, data.len, INFO_NAMES[data.len]);
    r.output_buffer_size = ld16(data.data);
    r.input_buffer_size = ld16(data.data + 2);
    r.maximum_instances = data.data[4];
    r.current_instances = data.data[5];
    r.pipe_name_length = data.data[6];
    uint32_t at = 7;
    if (unicode && data.len > at)
      r.pad = data.data[at++];
    else if (unicode)
      r.pad_absent = 1;
    if (r.pipe_name_length > data.len - at)
      return smbw_fail(err, SMBW_E_FIELD_LENGTH, at, "PipeName");
    r.pipe_name.data = data.data + at;
    r.pipe_name.len = r.pipe_name_length;
    at += r.pipe_name_length;
    if (at < data.len) {
      r.extra_data.data = data.data + at;
      r.extra_data.len = data.len - at;
    }
  } else {
    r.extra_data = data;
  }
  smbw_put_sized(out, out_size, &r, sizeof r);
  return 0;
}

int smbw_pipe_rsp_encode_(uint8_t *params, size_t pcap, size_t *plen, uint8_t *data, size_t dcap,
                          size_t *dlen, int unicode, const smbw_pipe_rsp *in, size_t r_size) {
  if ((!params && pcap) || (!data && dcap) || !plen || !dlen || !in ||
      r_size < SMBW_FIRST_SIZE(smbw_pipe_rsp, extra))
    return SMBW_E_INVAL;
  smbw_pipe_rsp r;
  smbw_get_sized(&r, sizeof r, in, r_size);
  if (smbw_view_bad(r.pipe_name) || smbw_view_bad(r.read_data) ||
      smbw_view_bad(r.extra_params) || smbw_view_bad(r.extra_data))
    return SMBW_E_INVAL;
  const pfunc *f = find_func(r.function);
  if (!f) return SMBW_E_LEVEL;
  size_t p = 0, d = 0;
  write_words(params, pcap, &p, f->rsp, f->nrsp, (const uint8_t *)&r);
  app(params, pcap, &p, r.extra_params.data, r.extra_params.len);
  if (f->rsp_data == D_VIEW) {
    app(data, dcap, &d, r.read_data.data, r.read_data.len);
  } else if (f->rsp_data == D_INFO) {
    if (r.pipe_name.len > 0xFFu) return SMBW_E_RANGE;
    app16(data, dcap, &d, r.output_buffer_size);
    app16(data, dcap, &d, r.input_buffer_size);
    uint8_t b[3] = {r.maximum_instances, r.current_instances, (uint8_t)r.pipe_name.len};
    app(data, dcap, &d, b, 3);
    if (unicode && !r.pad_absent) app(data, dcap, &d, &r.pad, 1);
    app(data, dcap, &d, r.pipe_name.data, r.pipe_name.len);
  }
  app(data, dcap, &d, r.extra_data.data, r.extra_data.len);
  *plen = p;
  *dlen = d;
  return (p > pcap || d > dcap) ? SMBW_E_NOSPACE : 0;
}

/* ---- mailslots ---- */

int smbw_mailslot_write_decode_(smbw_bytes setup, smbw_bytes data, smbw_mailslot_write *out,
                                size_t out_size, smbw_error *err) {
  if (!out || out_size < SMBW_FIRST_SIZE(smbw_mailslot_write, extra) || smbw_view_bad(setup) ||
      smbw_view_bad(data))
    return smbw_fail(err, SMBW_E_INVAL, 0, "mailslot");
  if (setup.len < 6) return smbw_fail(err, SMBW_E_TRUNCATED, setup.len, "Setup");
  smbw_mailslot_write m;
  memset(&m, 0, sizeof m);
  m.opcode = ld16(setup.data);
  if (m.opcode != 1) return smbw_fail(err, SMBW_E_LEVEL, 0, "Opcode");
  m.priority = ld16(setup.data + 2);
  m.mailslot_class = ld16(setup.data + 4);
  if (setup.len > 6) {
    m.extra_setup.data = setup.data + 6;
    m.extra_setup.len = setup.len - 6;
  }
  m.data = data;
  smbw_put_sized(out, out_size, &m, sizeof m);
  return 0;
}

int smbw_mailslot_write_encode_(uint8_t *setup, size_t cap, size_t *len,
                                const smbw_mailslot_write *in, size_t m_size) {
  if ((!setup && cap) || !len || !in || m_size < SMBW_FIRST_SIZE(smbw_mailslot_write, extra))
    return SMBW_E_INVAL;
  smbw_mailslot_write m;
  smbw_get_sized(&m, sizeof m, in, m_size);
  if (smbw_view_bad(m.extra_setup) || smbw_view_bad(m.data))
    return SMBW_E_INVAL;
  size_t s = 0;
  app16(setup, cap, &s, m.opcode);
  app16(setup, cap, &s, m.priority);
  app16(setup, cap, &s, m.mailslot_class);
  app(setup, cap, &s, m.extra_setup.data, m.extra_setup.len);
  *len = s;
  return s > cap ? SMBW_E_NOSPACE : 0;
}
