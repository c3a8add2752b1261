/*
 * libFuzzer target: the encoders, driven by values the fuzzer chooses.
 * Byte 0: bits 0-2 the first block's family (families.h; 5-7 a raw block
 * through smbw_builder_raw), bit 3 response, bit 4 Flags2.Unicode,
 * bits 5-6 framing (0 and 3 none, 1 NBT, 2 DIRECT), bit 7 free form.
 * The rest fills 1 to 3 chained blocks field by field (fz_rd); views point
 * into the input or into a per-input arena.
 *
 * Security model asserted (every input):
 *  - the size query (NULL buffer, cap 0) and a real encode agree on the
 *    result and on the size; a buffer of exactly that size ending at a
 *    guard page is filled with nothing written before it (canary), and
 *    smaller buffers get SMBW_E_NOSPACE with nothing written outside;
 *  - an encoder error is the same with or without a buffer.
 * And, unless free form (values then obey the documented field ranges:
 * strings well formed and representable, no extra bytes unless every
 * string is present):
 *  - encoding succeeds, the framer takes the output whole, the AndX walk
 *    returns exactly the blocks encoded, linked in order, and every typed
 *    block decodes back to the values given (numbers exactly, byte views
 *    by content, strings by their text; lengths, AndX links and ByteCount
 *    recomputed by the encoder).
 */
#include "families.h"

static uint8_t arena[1 << 16];
static size_t arena_used;

static uint8_t *arena_get(size_t n) {
  if (arena_used + n > sizeof arena) return NULL;
  uint8_t *p = arena + arena_used;
  arena_used += n;
  return p;
}

typedef struct gen {
  fz_rd rd;
  int free;
} gen;

/* A string for a slot written as UTF-16 (wide) or OEM. */
static smbw_str gen_str(gen *g, int wide) {
  static const uint8_t empty[1] = {0};
  smbw_str s = {NULL, 0, SMBW_STR_OEM, 0, 0};
  uint8_t f = fz_u8(&g->rd);
  if ((f & 3) == 3) return s; /* absent */
  s.enc = (f & 3) == 0 ? SMBW_STR_OEM : (f & 3) == 1 ? SMBW_STR_UTF16LE : SMBW_STR_UTF8;
  s.pad = (f & 0x80) ? 0x5A : 0;
  size_t n = (f >> 2) & 31;
  if (g->free) {
    s.unterminated = (f >> 7) & 1;
    smbw_bytes v = fz_take(&g->rd, s.enc == SMBW_STR_UTF16LE ? 2 * n : n);
    s.data = v.data ? v.data : empty;
    s.len = v.len;
    return s;
  }
  uint8_t *o = arena_get(4 * n + 8);
  if (!o) return s;
  size_t l = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = fz_u16(&g->rd);
    if (!wide) cp &= 0xFF;
    if (cp == 0) cp = 'a' + (uint32_t)(i % 26);
    int sur = cp >= 0xD800 && cp <= 0xDFFF;
    if (s.enc == SMBW_STR_OEM) {
      o[l++] = (cp & 0xFF) ? (uint8_t)cp : (uint8_t)'o';
    } else if (s.enc == SMBW_STR_UTF16LE) {
      if (sur) { /* a proper pair */
        uint32_t hi = 0xD800 | (cp & 0x3FF), lo = 0xDC00 | ((cp >> 3) & 0x3FF);
        o[l++] = (uint8_t)hi; o[l++] = (uint8_t)(hi >> 8);
        o[l++] = (uint8_t)lo; o[l++] = (uint8_t)(lo >> 8);
      } else {
        o[l++] = (uint8_t)cp; o[l++] = (uint8_t)(cp >> 8);
      }
    } else {
      l += fz_put_utf8(o + l, sur ? 0x10000 + (cp & 0x3FF) * 64 : cp);
    }
  }
  s.data = o;
  s.len = (uint32_t)l;
  return s;
}

static smbw_bytes gen_bytes(gen *g, size_t max) {
  size_t n = fz_u8(&g->rd);
  if (n > max) n = n % (max + 1);
  smbw_bytes v = fz_take(&g->rd, n);
  if (!v.data) { static const uint8_t z[1] = {0}; v.data = z; }
  return v;
}

static smbw_andx gen_andx(gen *g) {
  smbw_andx a;
  a.command = fz_u8(&g->rd);
  a.reserved = fz_u8(&g->rd);
  uint8_t k = fz_u8(&g->rd);
  a.offset = k < 200 ? 0 : (uint16_t)(32 + 4 * (k - 200) + (k & 1)); /* sometimes a pad request */
  return a;
}

/* Blocks, as given. */
#define NBLK 3
typedef struct blk {
  int fam; /* F_NONE: raw */
  uint8_t cmd;
  fam_u u;
  uint8_t words[64];
  uint8_t wct;
  smbw_bytes bytes;
  int extra_ok; /* well formed: strings then extra as given */
} blk;
static blk blks[NBLK];

/* Is every string in v present? */
static int all_present(const smbw_str *const *v, int n) {
  for (int i = 0; i < n; i++)
    if (!v[i]->data) return 0;
  return 1;
}

static void gen_block(gen *g, blk *k, int fam, int rsp, int uni) {
  memset(k, 0, sizeof *k);
  k->fam = fam;
  k->cmd = fam_cmds[fam & 7];
  if (fam >= 5) {
    k->fam = F_NONE;
    k->wct = fz_u8(&g->rd) % 20;
    if (!g->free && k->wct == 1 && smbw_command_is_andx(k->cmd)) k->wct = 2;
    for (unsigned i = 0; i < 2u * k->wct; i++) k->words[i] = fz_u8(&g->rd);
    if (smbw_command_is_andx(k->cmd) && k->wct >= 2) {
      k->words[2] = k->words[3] = 0; /* no pad request */
      if (!g->free) k->words[0] = 0xFF; /* linked by the builder if a block follows */
    }
    k->bytes = gen_bytes(g, 200);
    return;
  }
  fam_u *u = &k->u;
  int wf = !g->free;
  switch (fam * 2 + rsp) {
  case 0: { /* NEGOTIATE request: dialect names */
    smbw_negotiate_req *r = &u->neg_req;
    static const char *names[4];
    r->count = (uint16_t)(fz_u8(&g->rd) % 5);
    for (unsigned i = 0; i < r->count; i++) {
      smbw_str s = gen_str(g, 0);
      char *c = (char *)arena_get(s.len + 1);
      if (!c) { r->count = (uint16_t)i; break; }
      if (s.data) memcpy(c, s.data, s.len);
      c[s.len] = 0;
      names[i] = c;
      if (!wf) continue;
      for (uint32_t j = 0; j < s.len; j++) if (!c[j]) c[j] = 'x';
    }
    r->names = names;
    k->extra_ok = 1;
    break;
  }
  case 1: {
    smbw_negotiate_rsp *r = &u->neg_rsp;
    static const uint8_t wcts[4] = {0, 1, 13, 17};
    r->wct = wcts[fz_u8(&g->rd) & 3];
    r->dialect_index = fz_u16(&g->rd);
    r->max_mpx_count = fz_u16(&g->rd);
    r->max_number_vcs = fz_u16(&g->rd);
    r->raw_mode = fz_u16(&g->rd);
    r->server_time = fz_u16(&g->rd);
    r->server_date = fz_u16(&g->rd);
    r->server_time_zone = (int16_t)fz_u16(&g->rd);
    r->reserved = fz_u16(&g->rd);
    r->security_mode = fz_u16(&g->rd);
    r->challenge_length = fz_u8(&g->rd);
    r->max_buffer_size = fz_u32(&g->rd);
    r->max_raw_size = fz_u32(&g->rd);
    r->session_key = fz_u32(&g->rd);
    r->capabilities = fz_u32(&g->rd);
    r->system_time = fz_u64(&g->rd);
    if (wf && r->wct == 17) r->security_mode &= 0xFF;
    if (wf && r->wct == 13) r->max_buffer_size &= 0xFFFF;
    int ext = r->wct == 17 && (r->capabilities & SMBW_CAP_EXTENDED_SECURITY) != 0;
    int wide = r->wct == 17 && (uni || (r->capabilities & SMBW_CAP_UNICODE));
    if (ext) {
      r->server_guid = fz_take(&g->rd, 16);
      if (wf && r->server_guid.len != 16) {
        uint8_t *guid = arena_get(16);
        if (guid) memset(guid, 0x47, 16);
        r->server_guid.data = guid;
        r->server_guid.len = guid ? 16 : 0;
      }
      r->security_blob = gen_bytes(g, 255);
      k->extra_ok = 0; /* extra bytes would decode as part of the blob */
      if (!wf) r->extra = gen_bytes(g, 30);
      break;
    }
    if (r->wct == 13 || r->wct == 17) {
      r->challenge = gen_bytes(g, r->wct == 13 ? 255 : 40);
      r->domain_name = gen_str(g, wide);
      if (r->wct == 17) r->server_name = gen_str(g, wide);
    }
    const smbw_str *v[2] = {&r->domain_name, &r->server_name};
    k->extra_ok = r->wct < 13 || all_present(v, r->wct == 17 ? 2 : 1);
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 2: {
    smbw_session_setup_andx_req *r = &u->sess_req;
    static const uint8_t wcts[3] = {10, 12, 13};
    r->wct = wcts[fz_u8(&g->rd) % 3];
    r->andx = gen_andx(g);
    r->max_buffer_size = fz_u16(&g->rd);
    r->max_mpx_count = fz_u16(&g->rd);
    r->vc_number = fz_u16(&g->rd);
    r->session_key = fz_u32(&g->rd);
    r->reserved = fz_u32(&g->rd);
    r->capabilities = fz_u32(&g->rd);
    if (r->wct == 12) {
      r->security_blob = gen_bytes(g, 255);
    } else {
      r->password = gen_bytes(g, 40);
      if (r->wct == 13) r->unicode_password = gen_bytes(g, 40);
      r->account_name = gen_str(g, uni);
    }
    r->primary_domain = gen_str(g, uni);
    r->native_os = gen_str(g, uni);
    r->native_lanman = gen_str(g, uni);
    const smbw_str *v[4] = {&r->native_os, &r->native_lanman, &r->primary_domain,
                            &r->account_name};
    k->extra_ok = all_present(v, r->wct == 12 ? 3 : 4);
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 3: {
    smbw_session_setup_andx_rsp *r = &u->sess_rsp;
    static const uint8_t wcts[3] = {0, 3, 4};
    r->wct = wcts[fz_u8(&g->rd) % 3];
    r->andx = gen_andx(g);
    r->action = fz_u16(&g->rd);
    if (r->wct == 4) r->security_blob = gen_bytes(g, 255);
    if (r->wct) {
      r->native_os = gen_str(g, uni);
      r->native_lanman = gen_str(g, uni);
      r->primary_domain = gen_str(g, uni);
    }
    const smbw_str *v[3] = {&r->native_os, &r->native_lanman, &r->primary_domain};
    k->extra_ok = r->wct == 0 || all_present(v, 3);
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 4: {
    smbw_tree_connect_andx_req *r = &u->tree_req;
    r->andx = gen_andx(g);
    r->flags = fz_u16(&g->rd);
    r->password = gen_bytes(g, 40);
    r->path = gen_str(g, uni);
    r->service = gen_str(g, 0);
    const smbw_str *v[2] = {&r->path, &r->service};
    k->extra_ok = all_present(v, 2);
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 5: {
    smbw_tree_connect_andx_rsp *r = &u->tree_rsp;
    static const uint8_t wcts[4] = {0, 2, 3, 7};
    r->wct = wcts[fz_u8(&g->rd) & 3];
    r->andx = gen_andx(g);
    r->optional_support = fz_u16(&g->rd);
    r->maximal_share_access_rights = fz_u32(&g->rd);
    r->guest_maximal_share_access_rights = fz_u32(&g->rd);
    if (r->wct) {
      r->service = gen_str(g, 0);
      r->native_file_system = gen_str(g, uni);
    }
    const smbw_str *v[2] = {&r->service, &r->native_file_system};
    k->extra_ok = r->wct == 0 || all_present(v, 2);
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 6: {
    smbw_open_andx_req *r = &u->open_req;
    r->andx = gen_andx(g);
    r->flags = fz_u16(&g->rd);
    r->access_mode = fz_u16(&g->rd);
    r->search_attrs = fz_u16(&g->rd);
    r->file_attrs = fz_u16(&g->rd);
    r->creation_time = fz_u32(&g->rd);
    r->open_mode = fz_u16(&g->rd);
    r->allocation_size = fz_u32(&g->rd);
    r->timeout = fz_u32(&g->rd);
    r->reserved = fz_u32(&g->rd);
    r->file_name = gen_str(g, uni);
    k->extra_ok = r->file_name.data != NULL;
    if (k->extra_ok || !wf) r->extra = gen_bytes(g, 30);
    break;
  }
  case 7: {
    smbw_open_andx_rsp *r = &u->open_rsp;
    static const uint8_t wcts[3] = {0, 15, 19};
    r->wct = wcts[fz_u8(&g->rd) % 3];
    r->andx = gen_andx(g);
    r->fid = fz_u16(&g->rd);
    r->file_attrs = fz_u16(&g->rd);
    r->last_write_time = fz_u32(&g->rd);
    r->file_data_size = fz_u32(&g->rd);
    r->access_rights = fz_u16(&g->rd);
    r->resource_type = fz_u16(&g->rd);
    r->nmpipe_status = fz_u16(&g->rd);
    r->open_results = fz_u16(&g->rd);
    r->server_fid = fz_u32(&g->rd);
    r->reserved = fz_u16(&g->rd);
    r->maximal_access_rights = fz_u32(&g->rd);
    r->guest_maximal_access_rights = fz_u32(&g->rd);
    r->extra = gen_bytes(g, 30);
    k->extra_ok = 1;
    break;
  }
  case 8: {
    smbw_read_andx_req *r = &u->read_req;
    r->wct = (fz_u8(&g->rd) & 1) ? 12 : 10;
    r->andx = gen_andx(g);
    r->fid = fz_u16(&g->rd);
    r->max_count = fz_u16(&g->rd);
    r->min_count = fz_u16(&g->rd);
    r->remaining = fz_u16(&g->rd);
    r->timeout = fz_u32(&g->rd);
    r->offset = fz_u64(&g->rd);
    if (wf && r->wct == 10) r->offset &= 0xFFFFFFFFu;
    r->extra = gen_bytes(g, 30);
    k->extra_ok = 1;
    break;
  }
  default: {
    smbw_read_andx_rsp *r = &u->read_rsp;
    r->wct = (fz_u8(&g->rd) % 4) ? 12 : 0;
    r->andx = gen_andx(g);
    r->available = fz_u16(&g->rd);
    r->data_compaction_mode = fz_u16(&g->rd);
    r->reserved1 = fz_u16(&g->rd);
    uint8_t d = fz_u8(&g->rd);
    r->data_offset = d < 128 ? 0 : (uint16_t)(d < 192 ? 59 + (d & 7) : fz_u16(&g->rd));
    if (wf && r->data_offset > 2000) r->data_offset = (uint16_t)(r->data_offset % 2000);
    r->reserved2 = fz_u64(&g->rd);
    r->data = gen_bytes(g, 255);
    if (fz_u8(&g->rd) & 1) r->pad = gen_bytes(g, 8);
    r->extra = gen_bytes(g, 30);
    k->extra_ok = 1;
    break;
  }
  }
}

/* WordCount a block is encoded with. */
static int blk_wct(const blk *k, int rsp) {
  if (k->fam == F_NONE) return k->wct;
  switch (k->fam * 2 + rsp) {
  case 0: return 0;
  case 1: return k->u.neg_rsp.wct;
  case 2: return k->u.sess_req.wct;
  case 3: return k->u.sess_rsp.wct;
  case 4: return 4;
  case 5: return k->u.tree_rsp.wct;
  case 6: return 15;
  case 7: return k->u.open_rsp.wct;
  case 8: return k->u.read_req.wct;
  default: return k->u.read_rsp.wct;
  }
}

static int encode(const smbw_header *h, int framing, int nb, int rsp, uint8_t *out, size_t cap,
                  size_t *len) {
  smbw_builder bld;
  CHECK(smbw_builder_init(&bld, out, cap, framing, h) == 0);
  for (int i = 0; i < nb; i++) {
    const blk *k = &blks[i];
    if (k->fam == F_NONE) smbw_builder_raw(&bld, k->cmd, k->words, k->wct, k->bytes.data,
                                           (uint16_t)k->bytes.len);
    else fam_encode(&bld, k->fam, rsp, &k->u);
  }
  return smbw_builder_finish(&bld, len);
}

/* ---- comparison of a decoded block with what was given ---- */

static int text_eq(const smbw_str *given, const smbw_str *got) {
  static char a[4096], b[4096];
  size_t na = 0, nb = 0;
  if (smbw_str_to_utf8(given, a, sizeof a, &na) || smbw_str_to_utf8(got, b, sizeof b, &nb))
    return 0;
  return na == nb && memcmp(a, b, na) == 0;
}

/* Strings come back with the same text; an absent one comes back absent,
   except before a present one: encoders keep every string in its slot by
   writing it as "" (the slot rule), so it reads back as "". */
static const int slot_rule = 1;

static int str_back(const smbw_str *const *given, const smbw_str *const *got, int n,
                    const char **what, const char *const *names) {
  for (int i = 0; i < n; i++) {
    int later = 0;
    for (int k = i + 1; k < n && slot_rule; k++) later |= given[k]->data != NULL;
    if (!given[i]->data) {
      if (later ? !(got[i]->data && got[i]->len == 0) : got[i]->data != NULL) {
        *what = names[i];
        return 0;
      }
      continue;
    }
    if (!got[i]->data || !text_eq(given[i], got[i])) {
      *what = names[i];
      return 0;
    }
  }
  return 1;
}

static int andx_back(const smbw_andx *given, const smbw_andx *got, uint8_t next_cmd) {
  return got->command == next_cmd && got->reserved == given->reserved &&
         (next_cmd != 0xFF || got->offset == given->offset) &&
         (next_cmd == 0xFF || got->offset >= given->offset);
}

static int same_back(const blk *k, int rsp, const fam_u *d, uint8_t next, const char **what) {
  const fam_u *u = &k->u;
#define F(cond, name) do { if (!(cond)) { *what = name; return 0; } } while (0)
#define B(a, b, name) F(fz_bytes_eq((a), (b)) || ((a).len == 0 && (b).len == 0), name)
  switch (k->fam * 2 + rsp) {
  case 0: {
    const smbw_negotiate_req *g = &u->neg_req, *r = &d->neg_req;
    F(r->count == g->count, "count");
    smbw_dialect_iter it;
    smbw_str nm;
    smbw_dialect_iter_init(&it, r);
    for (unsigned i = 0; i < g->count; i++) {
      F(smbw_dialect_iter_next(&it, &nm), "dialect");
      F(nm.len == strlen(g->names[i]) && memcmp(nm.data, g->names[i], nm.len) == 0,
        "dialect name");
    }
    break;
  }
  case 1: {
    const smbw_negotiate_rsp *g = &u->neg_rsp, *r = &d->neg_rsp;
    F(r->wct == g->wct, "wct");
    if (g->wct == 0) { B(r->extra, g->extra, "extra"); break; }
    F(r->dialect_index == g->dialect_index, "dialect_index");
    if (g->wct == 1) { B(r->extra, g->extra, "extra"); break; }
    F(r->security_mode == g->security_mode && r->max_mpx_count == g->max_mpx_count &&
      r->max_number_vcs == g->max_number_vcs && r->max_buffer_size == g->max_buffer_size &&
      r->session_key == g->session_key && r->server_time_zone == g->server_time_zone, "words");
    if (g->wct == 13) {
      F(r->raw_mode == g->raw_mode && r->server_time == g->server_time &&
        r->server_date == g->server_date && r->reserved == g->reserved, "lanman words");
      F(r->challenge_length == g->challenge.len, "challenge_length");
      B(r->challenge, g->challenge, "challenge");
      const smbw_str *a[1] = {&g->domain_name}, *b[1] = {&r->domain_name};
      static const char *const nm[1] = {"domain_name"};
      if (!str_back(a, b, 1, what, nm)) return 0;
      B(r->extra, g->extra, "extra");
      break;
    }
    F(r->max_raw_size == g->max_raw_size && r->capabilities == g->capabilities &&
      r->system_time == g->system_time, "nt words");
    if (g->capabilities & SMBW_CAP_EXTENDED_SECURITY) {
      F(r->challenge_length == g->challenge_length, "challenge_length");
      B(r->server_guid, g->server_guid, "server_guid");
      B(r->security_blob, g->security_blob, "security_blob");
      break;
    }
    F(r->challenge_length == g->challenge.len, "challenge_length");
    B(r->challenge, g->challenge, "challenge");
    const smbw_str *a[2] = {&g->domain_name, &g->server_name};
    const smbw_str *b[2] = {&r->domain_name, &r->server_name};
    static const char *const nm[2] = {"domain_name", "server_name"};
    if (!str_back(a, b, 2, what, nm)) return 0;
    B(r->extra, g->extra, "extra");
    break;
  }
  case 2: {
    const smbw_session_setup_andx_req *g = &u->sess_req, *r = &d->sess_req;
    F(r->wct == g->wct && andx_back(&g->andx, &r->andx, next), "andx");
    F(r->max_buffer_size == g->max_buffer_size && r->max_mpx_count == g->max_mpx_count &&
      r->vc_number == g->vc_number && r->session_key == g->session_key &&
      r->reserved == g->reserved, "words");
    F(r->capabilities == (g->wct == 10 ? 0 : g->capabilities), "capabilities");
    if (g->wct == 12) {
      B(r->security_blob, g->security_blob, "security_blob");
      const smbw_str *a[3] = {&g->native_os, &g->native_lanman, &g->primary_domain};
      const smbw_str *b[3] = {&r->native_os, &r->native_lanman, &r->primary_domain};
      static const char *const nm[3] = {"native_os", "native_lanman", "primary_domain"};
      if (!str_back(a, b, 3, what, nm)) return 0;
    } else {
      B(r->password, g->password, "password");
      if (g->wct == 13) B(r->unicode_password, g->unicode_password, "unicode_password");
      const smbw_str *a[4] = {&g->account_name, &g->primary_domain, &g->native_os,
                              &g->native_lanman};
      const smbw_str *b[4] = {&r->account_name, &r->primary_domain, &r->native_os,
                              &r->native_lanman};
      static const char *const nm[4] = {"account_name", "primary_domain", "native_os",
                                        "native_lanman"};
      if (!str_back(a, b, 4, what, nm)) return 0;
    }
    B(r->extra, g->extra, "extra");
    break;
  }
  case 3: {
    const smbw_session_setup_andx_rsp *g = &u->sess_rsp, *r = &d->sess_rsp;
    F(r->wct == g->wct, "wct");
    if (g->wct == 0) { B(r->extra, g->extra, "extra"); break; }
    F(andx_back(&g->andx, &r->andx, next) && r->action == g->action, "words");
    if (g->wct == 4) B(r->security_blob, g->security_blob, "security_blob");
    const smbw_str *a[3] = {&g->native_os, &g->native_lanman, &g->primary_domain};
    const smbw_str *b[3] = {&r->native_os, &r->native_lanman, &r->primary_domain};
    static const char *const nm[3] = {"native_os", "native_lanman", "primary_domain"};
    if (!str_back(a, b, 3, what, nm)) return 0;
    B(r->extra, g->extra, "extra");
    break;
  }
  case 4: {
    const smbw_tree_connect_andx_req *g = &u->tree_req, *r = &d->tree_req;
    F(andx_back(&g->andx, &r->andx, next) && r->flags == g->flags, "words");
    B(r->password, g->password, "password");
    const smbw_str *a[2] = {&g->path, &g->service}, *b[2] = {&r->path, &r->service};
    static const char *const nm[2] = {"path", "service"};
    if (!str_back(a, b, 2, what, nm)) return 0;
    B(r->extra, g->extra, "extra");
    break;
  }
  case 5: {
    const smbw_tree_connect_andx_rsp *g = &u->tree_rsp, *r = &d->tree_rsp;
    F(r->wct == g->wct, "wct");
    if (g->wct == 0) { B(r->extra, g->extra, "extra"); break; }
    F(andx_back(&g->andx, &r->andx, next), "andx");
    if (g->wct >= 3) F(r->optional_support == g->optional_support, "optional_support");
    if (g->wct == 7)
      F(r->maximal_share_access_rights == g->maximal_share_access_rights &&
        r->guest_maximal_share_access_rights == g->guest_maximal_share_access_rights, "rights");
    const smbw_str *a[2] = {&g->service, &g->native_file_system};
    const smbw_str *b[2] = {&r->service, &r->native_file_system};
    static const char *const nm[2] = {"service", "native_file_system"};
    if (!str_back(a, b, 2, what, nm)) return 0;
    B(r->extra, g->extra, "extra");
    break;
  }
  case 6: {
    const smbw_open_andx_req *g = &u->open_req, *r = &d->open_req;
    F(andx_back(&g->andx, &r->andx, next), "andx");
    F(r->flags == g->flags && r->access_mode == g->access_mode &&
      r->search_attrs == g->search_attrs && r->file_attrs == g->file_attrs &&
      r->creation_time == g->creation_time && r->open_mode == g->open_mode &&
      r->allocation_size == g->allocation_size && r->timeout == g->timeout &&
      r->reserved == g->reserved, "words");
    const smbw_str *a[1] = {&g->file_name}, *b[1] = {&r->file_name};
    static const char *const nm[1] = {"file_name"};
    if (!str_back(a, b, 1, what, nm)) return 0;
    B(r->extra, g->extra, "extra");
    break;
  }
  case 7: {
    const smbw_open_andx_rsp *g = &u->open_rsp, *r = &d->open_rsp;
    F(r->wct == g->wct, "wct");
    B(r->extra, g->extra, "extra");
    if (g->wct == 0) break;
    F(andx_back(&g->andx, &r->andx, next), "andx");
    F(r->fid == g->fid && r->file_attrs == g->file_attrs &&
      r->last_write_time == g->last_write_time && r->file_data_size == g->file_data_size &&
      r->access_rights == g->access_rights && r->resource_type == g->resource_type &&
      r->nmpipe_status == g->nmpipe_status && r->open_results == g->open_results &&
      r->server_fid == g->server_fid && r->reserved == g->reserved, "words");
    if (g->wct == 19)
      F(r->maximal_access_rights == g->maximal_access_rights &&
        r->guest_maximal_access_rights == g->guest_maximal_access_rights, "rights");
    break;
  }
  case 8: {
    const smbw_read_andx_req *g = &u->read_req, *r = &d->read_req;
    F(r->wct == g->wct && andx_back(&g->andx, &r->andx, next), "andx");
    F(r->fid == g->fid && r->max_count == g->max_count && r->min_count == g->min_count &&
      r->remaining == g->remaining && r->timeout == g->timeout && r->offset == g->offset,
      "words");
    B(r->extra, g->extra, "extra");
    break;
  }
  default: {
    const smbw_read_andx_rsp *g = &u->read_rsp, *r = &d->read_rsp;
    F(r->wct == g->wct, "wct");
    B(r->extra, g->extra, "extra");
    if (g->wct == 0) break;
    F(andx_back(&g->andx, &r->andx, next), "andx");
    F(r->available == g->available && r->data_compaction_mode == g->data_compaction_mode &&
      r->reserved1 == g->reserved1 && r->reserved2 == g->reserved2, "words");
    F(r->data_length == g->data.len, "data_length");
    B(r->data, g->data, "data");
    break;
  }
  }
#undef F
#undef B
  return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 4096) return 0;
  uint8_t sel = data[0];
  int rsp = (sel >> 3) & 1, uni = (sel >> 4) & 1;
  static const int framings[4] = {SMBW_FRAMING_NONE, SMBW_FRAMING_NBT, SMBW_FRAMING_DIRECT,
                                  SMBW_FRAMING_NONE};
  int framing = framings[(sel >> 5) & 3];
  gen g = {{data + 1, size - 1}, (sel >> 7) & 1};
  arena_used = 0;

  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = 0x77; /* replaced by the first block's command */
  h.flags = (uint8_t)(0x18 | (rsp ? 0x80 : 0));
  h.flags2 = (uint16_t)(0x4843 | (uni ? 0x8000 : 0));
  h.mid = fz_u16(&g.rd);
  int nb = 1 + fz_u8(&g.rd) % NBLK;
  for (int i = 0; i < nb; i++) {
    int fam = i == 0 ? (sel & 7) : fz_u8(&g.rd) & 7;
    gen_block(&g, &blks[i], fam, rsp, uni);
  }

  size_t need = 0, len = 0;
  int rc = encode(&h, framing, nb, rsp, NULL, 0, &need);
  if (rc != SMBW_E_NOSPACE) {
    /* An encoder refused the values: the same with a real buffer. */
    CHECK(rc < 0);
    uint8_t *o = fz_out(1, 256);
    CHECK(encode(&h, framing, nb, rsp, o, 256, &len) == rc && fz_canary_ok(1, 256));
    if (!g.free) {
      fprintf(stderr, "well-formed values refused: %s\n", smbw_errname(rc));
      CHECK(0);
    }
    return 0;
  }
  CHECK(need >= 35 && need <= FZ_AREA - FZ_CANARY);
  size_t caps[4] = {need - 1, need / 2, 36, 0};
  for (int k = 0; k < 4; k++) {
    if (caps[k] >= need) continue;
    uint8_t *o = fz_out(1, caps[k]);
    CHECK(encode(&h, framing, nb, rsp, caps[k] ? o : NULL, caps[k], &len) == SMBW_E_NOSPACE);
    CHECK(len == need && fz_canary_ok(1, caps[k]));
  }
  uint8_t *o = fz_out(1, need);
  CHECK(encode(&h, framing, nb, rsp, o, need, &len) == 0 && len == need);
  CHECK(fz_canary_ok(1, need));

  /* The output frames whole and walks. */
  const uint8_t *msg = o;
  size_t mlen = need;
  if (framing != SMBW_FRAMING_NONE) {
    smbw_nbss f;
    int tr = framing == SMBW_FRAMING_NBT ? SMBW_FRAMING_NBT : SMBW_FRAMING_DIRECT;
    CHECK(smbw_nbss_frame(o, need, tr, &f, NULL, NULL) == (int)need);
    msg += 4;
    mlen -= 4;
  }
  smbw_msg m;
  CHECK(smbw_msg_decode(msg, mlen, &m, NULL) == 0);
  CHECK(m.hdr.command == blks[0].cmd && m.hdr.mid == h.mid);
  smbw_andx_iter it;
  smbw_block b;
  smbw_andx_iter_init(&it, &m);
  int i = 0;
  while ((rc = smbw_andx_iter_next(&it, &b, NULL)) == 1) {
    if (g.free) continue;
    CHECK(i < nb && b.command == blks[i].cmd);
    if (blks[i].fam != F_NONE) {
      fam_u d;
      smbw_error e = {0, 0, NULL};
      int drc = fam_decode(&b, blks[i].fam, rsp, &d, &e);
      if (drc) {
        fprintf(stderr, "block %d (%s): encoder output does not decode: %s at %u (%s)\n", i,
                smbw_command_name(b.command), smbw_errname(drc), e.offset, e.field);
        CHECK(0);
      }
      fam_check(&b, blks[i].fam, rsp, &d);
      uint8_t next = i + 1 < nb ? blks[i + 1].cmd : 0xFF;
      const char *what = "";
      if (!same_back(&blks[i], rsp, &d, next, &what)) {
        fprintf(stderr, "block %d (%s %s): field %s does not decode to the value encoded\n", i,
                smbw_command_name(b.command), rsp ? "response" : "request", what);
        CHECK(0);
      }
    }
    i++;
  }
  if (!g.free) {
    /* The chain holds every block up to the first that cannot carry a
       link (not AndX, or fewer than 2 words); later blocks are unreachable
       bytes, as documented for the builder. */
    CHECK(rc == 0);
    int expect = 1;
    while (expect < nb && smbw_command_is_andx(blks[expect - 1].cmd) &&
           blk_wct(&blks[expect - 1], rsp) >= 2)
      expect++;
    CHECK(i == expect);
  }
  return 0;
}
