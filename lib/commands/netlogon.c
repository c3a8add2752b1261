/*
 * NETLOGON mailslot messages (MS-ADTS 6.3.1).  One layout function per
 * form walks the fields in wire order; the same walk decodes, sizes,
 * encodes and visits, so the three cannot disagree.  Offsets count from
 * the Opcode.
 */
#include "../core/internal.h"

#include <smbwire/netlogon.h>

enum mode { M_DECODE, M_ENCODE, M_VISIT };

typedef struct cur {
  enum mode mode;
  const uint8_t *in;   /* M_DECODE: the message */
  uint32_t len;        /* M_DECODE: its size */
  uint8_t *out;        /* M_ENCODE: destination, NULL to size */
  uint64_t pos;        /* offset of the next field */
  int rc;              /* first error, or the visitor's stop value */
  smbw_error *err;
  smbw_netlogon_visitor fn;
  void *ctx;
  uint32_t peek_ntv;   /* M_DECODE: NtVersion from the last 8 bytes */
} cur;

static int fail(cur *c, int code, uint64_t off, const char *field) {
  if (!c->rc) c->rc = smbw_fail(c->err, code, (uint32_t)off, field);
  return c->rc;
}

/* M_DECODE: n more bytes are there, else SMBW_E_TRUNCATED at the field. */
static int need(cur *c, uint32_t n, const char *name) {
  if (c->pos + n > c->len) return fail(c, SMBW_E_TRUNCATED, c->pos, name) == 0;
  return 1;
}

static void visit(cur *c, smbw_netlogon_field *f, const char *name, uint8_t kind) {
  f->name = name;
  f->kind = kind;
  f->offset = (uint32_t)c->pos;
  int r = c->fn(c->ctx, f);
  if (r && !c->rc) c->rc = r;
}

static void op_num(cur *c, void *v, unsigned size, const char *name) {
  if (c->rc) return;
  uint32_t x = 0;
  if (c->mode == M_DECODE) {
    if (!need(c, size, name)) return;
    const uint8_t *p = c->in + c->pos;
    x = size == 1 ? p[0] : size == 2 ? ld16(p) : ld32(p);
    if (size == 1) *(uint8_t *)v = (uint8_t)x;
    else if (size == 2) *(uint16_t *)v = (uint16_t)x;
    else *(uint32_t *)v = x;
  } else {
    x = size == 1 ? *(uint8_t *)v : size == 2 ? *(uint16_t *)v : *(uint32_t *)v;
    if (c->mode == M_ENCODE && c->out) {
      uint8_t *p = c->out + c->pos;
      if (size == 1) p[0] = (uint8_t)x;
      else if (size == 2) st16(p, (uint16_t)x);
      else st32(p, x);
    } else if (c->mode == M_VISIT) {
      smbw_netlogon_field f;
      memset(&f, 0, sizeof f);
      f.value = x;
      visit(c, &f, name,
            size == 1 ? SMBW_NETLOGON_U8 : size == 2 ? SMBW_NETLOGON_U16 : SMBW_NETLOGON_U32);
    }
  }
  c->pos += size;
}
static void op_u8(cur *c, uint8_t *v, const char *name) { op_num(c, v, 1, name); }
static void op_u16(cur *c, uint16_t *v, const char *name) { op_num(c, v, 2, name); }
static void op_u32(cur *c, uint32_t *v, const char *name) { op_num(c, v, 4, name); }

/* DcIpAddress: a little-endian 32-bit number whose value is the address in
   host order (a.b.c.d is a<<24|b<<16|c<<8|d): the wire bytes are d, c, b,
   a, as Samba's AD DC sends them (tests/framing/netlogon-ad.pcapng). */
static void op_ip(cur *c, uint32_t *v, const char *name) {
  if (c->rc) return;
  if (c->mode == M_DECODE) {
    if (!need(c, 4, name)) return;
    *v = ld32(c->in + c->pos);
  } else if (c->mode == M_ENCODE && c->out) {
    st32(c->out + c->pos, *v);
  } else if (c->mode == M_VISIT) {
    smbw_netlogon_field f;
    memset(&f, 0, sizeof f);
    f.value = *v;
    visit(c, &f, name, SMBW_NETLOGON_IPV4);
  }
  c->pos += 4;
}

/* n bytes as they are (GUIDs, the SID, the sockaddr, the extra bytes). */
static void op_bytes(cur *c, smbw_bytes *b, uint32_t n, const char *name) {
  if (c->rc) return;
  if (c->mode == M_DECODE) {
    if (!need(c, n, name)) return;
    b->data = n ? c->in + c->pos : NULL;
    b->len = n;
  } else if (c->mode == M_ENCODE && c->out) {
    if (n) memcpy(c->out + c->pos, b->data, n);
  } else if (c->mode == M_VISIT) {
    smbw_netlogon_field f;
    memset(&f, 0, sizeof f);
    f.bytes = *b;
    visit(c, &f, name, SMBW_NETLOGON_BYTES);
  }
  c->pos += n;
}

/* Zero to align-1 bytes so that the next field starts at a multiple of
   align; written back as sent when the count matches, else zeros. */
static void op_pad(cur *c, smbw_bytes *p, uint32_t align, const char *name) {
  if (c->rc) return;
  uint32_t n = (uint32_t)((align - c->pos % align) % align);
  static const uint8_t zeros[4] = {0, 0, 0, 0};
  if (c->mode == M_DECODE) {
    op_bytes(c, p, n, name);
    return;
  }
  smbw_bytes w = p->len == n ? *p : (smbw_bytes){n ? zeros : NULL, n};
  if (n) op_bytes(c, &w, n, name);
}

/* A NUL-terminated string: OEM bytes, or UTF-16LE code units at any
   offset. */
static void op_strz(cur *c, smbw_str *s, int unicode, const char *name) {
  if (c->rc) return;
  uint32_t unit = unicode ? 2u : 1u;
  if (c->mode == M_DECODE) {
    const uint8_t *p = c->in + c->pos;
    uint32_t avail = c->len - (uint32_t)c->pos, i = 0;
    if (unicode) {
      while (i + 1 < avail && (p[i] | p[i + 1])) i += 2;
      if (i + 1 >= avail) {
        fail(c, avail ? SMBW_E_STR_UNTERMINATED : SMBW_E_TRUNCATED, c->pos, name);
        return;
      }
    } else {
      i = smbw_find_nul8(p, avail);
      if (i == avail) {
        fail(c, avail ? SMBW_E_STR_UNTERMINATED : SMBW_E_TRUNCATED, c->pos, name);
        return;
      }
    }
    memset(s, 0, sizeof *s);
    s->data = p;
    s->len = i;
    s->enc = unicode ? SMBW_STR_UTF16LE : SMBW_STR_OEM;
  } else if (c->mode == M_ENCODE && c->out) {
    uint8_t *p = c->out + c->pos;
    if (s->len) memcpy(p, s->data, s->len);
    memset(p + s->len, 0, unit);
  } else if (c->mode == M_VISIT) {
    smbw_netlogon_field f;
    memset(&f, 0, sizeof f);
    f.str = *s;
    visit(c, &f, name, SMBW_NETLOGON_STR);
  }
  c->pos += s->len + unit;
}

/* Walk a compressed DNS name at off in m[0 .. len): its end (after the
   zero byte or the pointer) in *end, or an error code with *at. */
static int dns_walk(const uint8_t *m, uint32_t len, uint32_t off, uint32_t *end, uint32_t *at) {
  uint32_t p = off;
  for (;;) {
    *at = p;
    if (p >= len) return SMBW_E_TRUNCATED;
    uint8_t l = m[p];
    if (l == 0) {
      *end = p + 1;
      return 0;
    }
    if ((l & 0xC0) == 0xC0) {
      if (p + 2 > len) return SMBW_E_TRUNCATED;
      uint32_t target = (uint32_t)(l & 0x3F) << 8 | m[p + 1];
      if (target >= off) return SMBW_E_DATA_OFFSET; /* strictly backwards */
      *end = p + 2;
      return 0;
    }
    if (l & 0xC0) return SMBW_E_DATA_OFFSET; /* 0x40, 0x80: no such label types */
    if (p + 1u + l > len) return SMBW_E_FIELD_LENGTH;
    p += 1u + l;
  }
}

/* Follow the name at off to its end, writing the dotted text into out (up
   to cap - 1 bytes; nothing when out is NULL) and its length into *k: each
   pointer checked as dns_walk() does, at most 64 of them, and at most 255
   bytes of text (RFC 1035 2.3.4), so the work is bounded. */
static int dns_expand(const uint8_t *m, uint32_t len, uint32_t off, char *out, size_t cap,
                      uint32_t *k, uint32_t *at) {
  uint32_t p = off, end, hops = 0, n = 0;
  for (;;) {
    int rc = dns_walk(m, len, p, &end, at);
    if (rc) return rc;
    while (m[p] && (m[p] & 0xC0) != 0xC0) { /* the labels up to the end or a pointer */
      uint8_t l = m[p];
      if (n + (n ? 1u : 0u) + l > 255u) return *at = p, SMBW_E_FIELD_LENGTH;
      if (n) {
        if (out && n + 1 < cap) out[n] = '.';
        n++;
      }
      for (uint32_t i = 0; i < l; i++, n++)
        if (out && n + 1 < cap) out[n] = (char)m[p + 1 + i];
      p += 1u + l;
    }
    if (!m[p]) break;
    if (++hops > 64) return *at = p, SMBW_E_DATA_OFFSET;
    p = (uint32_t)(m[p] & 0x3F) << 8 | m[p + 1];
  }
  *k = n;
  return 0;
}

static void op_dns(cur *c, smbw_bytes *b, const char *name) {
  if (c->rc) return;
  if (c->mode == M_DECODE) {
    uint32_t end = 0, at = 0;
    uint32_t k = 0;
    int rc = dns_walk(c->in, c->len, (uint32_t)c->pos, &end, &at);
    if (!rc) rc = dns_expand(c->in, c->len, (uint32_t)c->pos, NULL, 0, &k, &at);
    if (rc) {
      fail(c, rc, at, name);
      return;
    }
    b->data = c->in + c->pos;
    b->len = end - (uint32_t)c->pos;
  } else if (c->mode == M_ENCODE && c->out) {
    if (b->len) memcpy(c->out + c->pos, b->data, b->len);
  } else if (c->mode == M_VISIT) {
    smbw_netlogon_field f;
    memset(&f, 0, sizeof f);
    f.bytes = *b;
    visit(c, &f, name, SMBW_NETLOGON_DNS);
  }
  c->pos += b->len;
}

/* NtVersion, LmNtToken, Lm20Token.  exact (the SAM responses): NtVersion
   equals the one in the last eight bytes and ends the message, and both
   tokens are 0xFFFF. */
static void op_tail(cur *c, smbw_netlogon *m, int exact) {
  uint64_t at = c->pos;
  op_u32(c, &m->nt_version, "NtVersion");
  op_u16(c, &m->lmnt_token, "LmNtToken");
  op_u16(c, &m->lm20_token, "Lm20Token");
  if (c->rc || c->mode != M_DECODE || !exact) return;
  if (m->nt_version != c->peek_ntv || c->pos != c->len)
    fail(c, SMBW_E_FIELD_LENGTH, at, "NtVersion");
  else if (m->lmnt_token != 0xFFFF) /* MUST be 0xFFFF; Samba refuses others */
    fail(c, SMBW_E_REVISION, at + 4, "LmNtToken");
  else if (m->lm20_token != 0xFFFF)
    fail(c, SMBW_E_REVISION, at + 6, "Lm20Token");
}

static void op_extra(cur *c, smbw_bytes *x) {
  if (c->rc) return;
  if (c->mode == M_DECODE) {
    op_bytes(c, x, c->len - (uint32_t)c->pos, "extra");
  } else if (x->len) {
    op_bytes(c, x, x->len, "extra");
  }
}

static void op_sid(cur *c, smbw_netlogon *m) {
  uint64_t at = c->pos;
  if (c->mode != M_DECODE) m->sid_size = m->sid.len;
  op_u32(c, &m->sid_size, "DomainSidSize");
  if (c->rc || !m->sid_size) return;
  op_pad(c, &m->pad, 4, "Pad");
  uint64_t sid_at = c->pos;
  op_bytes(c, &m->sid, m->sid_size, "DomainSid");
  if (c->rc || c->mode != M_DECODE) return;
  /* a SID of exactly DomainSidSize bytes */
  if (m->sid_size < 8 || m->sid_size != 8u + 4u * m->sid.data[1]) {
    fail(c, SMBW_E_FIELD_LENGTH, at, "DomainSidSize");
    return;
  }
  smbw_sid sid;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_sid_decode(m->sid.data, m->sid.len, &sid, &e);
  if (rc) fail(c, rc, sid_at + e.offset, "DomainSid");
}

/* The form of a message: from the opcode, and for the SAM responses from
   the NtVersion (decoder: the last eight bytes). */
static int form_of(uint16_t opcode, uint32_t ntv) {
  switch (opcode) {
  case SMBW_LOGON_PRIMARY_QUERY: return SMBW_NETLOGON_PRIMARY_QUERY;
  case SMBW_LOGON_PRIMARY_RESPONSE: return SMBW_NETLOGON_PRIMARY_RESPONSE;
  case SMBW_LOGON_SAM_LOGON_REQUEST: return SMBW_NETLOGON_SAM_REQUEST;
  case SMBW_LOGON_SAM_LOGON_RESPONSE:
  case SMBW_LOGON_SAM_USER_UNKNOWN:
    return ntv & SMBW_NETLOGON_NT_VERSION_5 ? SMBW_NETLOGON_SAM_RESPONSE_NT5
                                            : SMBW_NETLOGON_SAM_RESPONSE_NT40;
  case SMBW_LOGON_SAM_LOGON_RESPONSE_EX:
  case SMBW_LOGON_SAM_USER_UNKNOWN_EX: return SMBW_NETLOGON_SAM_RESPONSE_EX;
  default: return 0;
  }
}

static void layout(cur *c, smbw_netlogon *m) {
  op_u16(c, &m->opcode, "Opcode");
  uint32_t ntv = c->mode == M_DECODE ? c->peek_ntv : m->nt_version;
  switch (m->form) {
  case SMBW_NETLOGON_PRIMARY_QUERY:
    op_strz(c, &m->computer_name, 0, "ComputerName");
    op_strz(c, &m->mailslot_name, 0, "MailslotName");
    if (c->mode == M_DECODE) m->nt_tail = !c->rc && c->pos < c->len;
    if (!m->nt_tail) break;
    op_pad(c, &m->pad, 2, "Pad");
    op_strz(c, &m->unicode_computer_name, 1, "UnicodeComputerName");
    op_tail(c, m, 0);
    op_extra(c, &m->extra);
    break;
  case SMBW_NETLOGON_PRIMARY_RESPONSE:
    op_strz(c, &m->computer_name, 0, "PrimaryDCName");
    if (c->mode == M_DECODE) m->nt_tail = !c->rc && c->pos < c->len;
    if (!m->nt_tail) break;
    op_pad(c, &m->pad, 2, "Pad");
    op_strz(c, &m->unicode_computer_name, 1, "UnicodePrimaryDCName");
    op_strz(c, &m->domain_name, 1, "UnicodeDomainName");
    op_tail(c, m, 0);
    op_extra(c, &m->extra);
    break;
  case SMBW_NETLOGON_SAM_REQUEST:
    op_u16(c, &m->request_count, "RequestCount");
    op_strz(c, &m->unicode_computer_name, 1, "UnicodeComputerName");
    op_strz(c, &m->user_name, 1, "UnicodeUserName");
    op_strz(c, &m->mailslot_name, 0, "MailslotName");
    op_u32(c, &m->account_control, "AllowableAccountControlBits");
    op_sid(c, m);
    op_tail(c, m, 0);
    op_extra(c, &m->extra);
    break;
  case SMBW_NETLOGON_SAM_RESPONSE_NT40:
  case SMBW_NETLOGON_SAM_RESPONSE_NT5:
    op_strz(c, &m->unicode_computer_name, 1, "UnicodeLogonServer");
    op_strz(c, &m->user_name, 1, "UnicodeUserName");
    op_strz(c, &m->domain_name, 1, "UnicodeDomainName");
    if (m->form == SMBW_NETLOGON_SAM_RESPONSE_NT5) {
      op_bytes(c, &m->domain_guid, 16, "DomainGuid");
      op_bytes(c, &m->null_guid, 16, "NullGuid");
      op_dns(c, &m->dns_forest_name, "DnsForestName");
      op_dns(c, &m->dns_domain_name, "DnsDomainName");
      op_dns(c, &m->dns_host_name, "DnsHostName");
      op_ip(c, &m->dc_ip, "DcIpAddress");
      op_u32(c, &m->flags, "Flags");
    }
    op_tail(c, m, 1);
    break;
  default: /* SMBW_NETLOGON_SAM_RESPONSE_EX */
    op_u16(c, &m->sbz, "Sbz");
    op_u32(c, &m->flags, "Flags");
    op_bytes(c, &m->domain_guid, 16, "DomainGuid");
    op_dns(c, &m->dns_forest_name, "DnsForestName");
    op_dns(c, &m->dns_domain_name, "DnsDomainName");
    op_dns(c, &m->dns_host_name, "DnsHostName");
    op_dns(c, &m->netbios_domain_name, "NetbiosDomainName");
    op_dns(c, &m->netbios_computer_name, "NetbiosComputerName");
    op_dns(c, &m->ex_user_name, "UserName");
    op_dns(c, &m->dc_site_name, "DcSiteName");
    op_dns(c, &m->client_site_name, "ClientSiteName");
    if (ntv & SMBW_NETLOGON_NT_VERSION_5EX_WITH_IP) {
      if (c->mode != M_DECODE) m->sockaddr_size = (uint8_t)m->sockaddr.len;
      op_u8(c, &m->sockaddr_size, "DcSockAddrSize");
      op_bytes(c, &m->sockaddr, m->sockaddr_size, "DcSockAddr");
    }
    if (ntv & SMBW_NETLOGON_NT_VERSION_WITH_CLOSEST_SITE)
      op_dns(c, &m->next_closest_site_name, "NextClosestSiteName");
    op_tail(c, m, 1);
    break;
  }
}

SMBW_API int smbw_netlogon_decode_(const uint8_t *buf, size_t len, smbw_netlogon *out,
                                   size_t out_size, smbw_error *err) {
  if (!out || (!buf && len) || out_size < SMBW_FIRST_SIZE(smbw_netlogon, extra))
    return smbw_fail(err, SMBW_E_INVAL, 0, "message");
  if (len > 0xFFFFFFFFu) return smbw_fail(err, SMBW_E_INVAL, 0, "message");
  if (len < 2) return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "Opcode");
  smbw_netlogon v;
  memset(&v, 0, sizeof v);
  cur c;
  memset(&c, 0, sizeof c);
  c.mode = M_DECODE;
  c.in = buf;
  c.len = (uint32_t)len;
  c.err = err;
  uint16_t op = ld16(buf);
  int form = form_of(op, 0);
  if (!form) return smbw_fail(err, SMBW_E_COMMAND, 0, "Opcode");
  if (form >= SMBW_NETLOGON_SAM_RESPONSE_NT40) {
    if (len < 2u + 8u) return smbw_fail(err, SMBW_E_TRUNCATED, (uint32_t)len, "NtVersion");
    c.peek_ntv = ld32(buf + len - 8);
    form = form_of(op, c.peek_ntv);
  }
  v.form = (uint8_t)form;
  v.nt_tail = 1;
  layout(&c, &v);
  if (c.rc) return c.rc;
  smbw_put_sized(out, out_size, &v, sizeof v);
  return 0;
}

static int str_ok(const smbw_str *s, int unicode) {
  if (s->len && !s->data) return 0;
  return unicode ? s->enc == SMBW_STR_UTF16LE && !(s->len & 1u) : s->enc == SMBW_STR_OEM;
}

/* The encoder's and visitor's copy of *m, checked; 0 or SMBW_E_INVAL. */
static int prepare(smbw_netlogon *v, const smbw_netlogon *m, size_t m_size) {
  if (!m || m_size < SMBW_FIRST_SIZE(smbw_netlogon, extra)) return SMBW_E_INVAL;
  smbw_get_sized(v, sizeof *v, m, m_size);
  int form = form_of(v->opcode, v->nt_version);
  if (!form) return SMBW_E_INVAL;
  v->form = (uint8_t)form;
  if (form >= SMBW_NETLOGON_SAM_REQUEST) v->nt_tail = 1;
  const smbw_bytes views[] = {v->pad, v->sid, v->domain_guid, v->null_guid, v->sockaddr,
                              v->dns_forest_name, v->dns_domain_name, v->dns_host_name,
                              v->netbios_domain_name, v->netbios_computer_name,
                              v->ex_user_name, v->dc_site_name, v->client_site_name,
                              v->next_closest_site_name, v->extra};
  for (size_t i = 0; i < sizeof views / sizeof views[0]; i++)
    if (smbw_view_bad(views[i])) return SMBW_E_INVAL;
  switch (form) {
  case SMBW_NETLOGON_PRIMARY_QUERY:
    if (!str_ok(&v->computer_name, 0) || !str_ok(&v->mailslot_name, 0) ||
        (v->nt_tail && !str_ok(&v->unicode_computer_name, 1)))
      return SMBW_E_INVAL;
    break;
  case SMBW_NETLOGON_PRIMARY_RESPONSE:
    if (!str_ok(&v->computer_name, 0) ||
        (v->nt_tail && (!str_ok(&v->unicode_computer_name, 1) || !str_ok(&v->domain_name, 1))))
      return SMBW_E_INVAL;
    break;
  case SMBW_NETLOGON_SAM_REQUEST:
    if (!str_ok(&v->unicode_computer_name, 1) || !str_ok(&v->user_name, 1) ||
        !str_ok(&v->mailslot_name, 0))
      return SMBW_E_INVAL;
    break;
  case SMBW_NETLOGON_SAM_RESPONSE_NT40:
  case SMBW_NETLOGON_SAM_RESPONSE_NT5:
    if (!str_ok(&v->unicode_computer_name, 1) || !str_ok(&v->user_name, 1) ||
        !str_ok(&v->domain_name, 1))
      return SMBW_E_INVAL;
    if (form == SMBW_NETLOGON_SAM_RESPONSE_NT5 &&
        (v->domain_guid.len != 16 || v->null_guid.len != 16))
      return SMBW_E_INVAL;
    v->extra.len = 0; /* the NtVersion ends these forms */
    break;
  default:
    if (v->domain_guid.len != 16 || v->sockaddr.len > 255) return SMBW_E_INVAL;
    v->extra.len = 0;
    break;
  }
  return 0;
}

SMBW_API int smbw_netlogon_encode_(uint8_t *out, size_t cap, const smbw_netlogon *m,
                                   size_t m_size, size_t *len) {
  smbw_netlogon v;
  int rc = prepare(&v, m, m_size);
  if (rc) return rc;
  cur c;
  memset(&c, 0, sizeof c);
  c.mode = M_ENCODE;
  layout(&c, &v); /* size only */
  if (c.pos > 0xFFFFFFFFu) return SMBW_E_RANGE;
  if (len) *len = (size_t)c.pos;
  if (!out || cap < c.pos) return SMBW_E_NOSPACE;
  uint64_t total = c.pos;
  memset(&c, 0, sizeof c);
  c.mode = M_ENCODE;
  c.out = out;
  layout(&c, &v);
  (void)total;
  return 0;
}

SMBW_API int smbw_netlogon_visit_(const smbw_netlogon *m, size_t m_size,
                                  smbw_netlogon_visitor fn, void *ctx) {
  if (!fn) return SMBW_E_INVAL;
  smbw_netlogon v;
  int rc = prepare(&v, m, m_size);
  if (rc) return rc;
  cur c;
  memset(&c, 0, sizeof c);
  c.mode = M_VISIT;
  c.fn = fn;
  c.ctx = ctx;
  layout(&c, &v);
  return c.rc;
}

SMBW_API int smbw_netlogon_name_text(const uint8_t *msg, size_t len, smbw_bytes name, char *out,
                                     size_t cap, size_t *need) {
  if (!msg || len > 0xFFFFFFFFu || !name.data || name.data < msg ||
      (size_t)(name.data - msg) >= len || name.len > len - (size_t)(name.data - msg) ||
      (!out && cap))
    return SMBW_E_INVAL;
  uint32_t p = (uint32_t)(name.data - msg), end, at, k = 0;
  int rc = dns_walk(msg, (uint32_t)len, p, &end, &at);
  if (rc) return rc;
  if (end - p != name.len) return SMBW_E_INVAL;
  if ((rc = dns_expand(msg, (uint32_t)len, p, out, cap, &k, &at)) != 0) return rc;
  if (need) *need = k;
  if (k + 1 > cap) {
    if (cap) out[0] = 0;
    return SMBW_E_NOSPACE;
  }
  out[k] = 0;
  return 0;
}

SMBW_API const char *smbw_netlogon_opcode_name(uint16_t opcode) {
  switch (opcode) {
  case 0x07: return "LOGON_PRIMARY_QUERY";
  case 0x0C: return "LOGON_PRIMARY_RESPONSE";
  case 0x12: return "LOGON_SAM_LOGON_REQUEST";
  case 0x13: return "LOGON_SAM_LOGON_RESPONSE";
  case 0x14: return "LOGON_SAM_PAUSE_RESPONSE";
  case 0x15: return "LOGON_SAM_USER_UNKNOWN";
  case 0x17: return "LOGON_SAM_LOGON_RESPONSE_EX";
  case 0x18: return "LOGON_SAM_PAUSE_RESPONSE_EX";
  case 0x19: return "LOGON_SAM_USER_UNKNOWN_EX";
  default: return NULL;
  }
}
