/* Extended attribute lists: SMB_FEA_LIST / SMB_GEA_LIST (MS-CIFS
   2.2.1.2.1 - 2.2.1.2.4) and FILE_FULL_EA_INFORMATION chains (MS-FSCC
   2.4.15).  One iterator walks the three; one encoder appends an entry of
   any kind.  The three entry layouts differ only in their fixed part:

     FEA   flags(1) name_len(1) value_len(2)          name NUL value
     GEA           name_len(1)                        name NUL
     FULL  next(4) flags(1) name_len(1) value_len(2)  name NUL value pad

   so a small table gives each kind's field positions and names. */
#include "../core/internal.h"

#include <smbwire/ea.h>

typedef struct layout {
  uint8_t hdr;    /* fixed bytes before the name */
  uint8_t min;    /* smallest entry: hdr + NUL */
  int8_t flags;   /* position of the flags byte, -1: none */
  uint8_t nlen;   /* position of the name length */
  int8_t vlen;    /* position of the 16-bit value length, -1: none */
  const char *f_nlen, *f_name, *f_vlen;
} layout;

static const layout L_FEA = {4, SMBW_EA_FEA_MIN, 0, 1, 2, "AttributeNameLengthInBytes",
                             "AttributeName", "AttributeValueLengthInBytes"};
static const layout L_GEA = {1, SMBW_EA_GEA_MIN, -1, 0, -1, "AttributeNameLengthInBytes",
                             "AttributeName", NULL};
static const layout L_FULL = {8, SMBW_EA_FULL_MIN, 4, 5, 6, "EaNameLength", "EaName",
                              "EaValueLength"};

static const layout *layout_of(int kind) {
  switch (kind) {
  case SMBW_EA_FEA: return &L_FEA;
  case SMBW_EA_GEA: return &L_GEA;
  case SMBW_EA_FULL: return &L_FULL;
  default: return NULL;
  }
}

enum { ST_START = 0, ST_WALK = 1, ST_DONE = 2 };

SMBW_API void smbw_ea_iter_init(smbw_ea_iter *it, int kind, smbw_bytes view) {
  memset(it, 0, sizeof *it);
  it->data = view.data;
  it->len = view.len;
  /* An unknown kind is kept out of range and reported by smbw_ea_iter_next(). */
  it->kind = (uint8_t)(layout_of(kind) ? kind : 0xFF);
}

/* Make an error sticky: every later call returns it again. */
static int iter_fail(smbw_ea_iter *it, smbw_error *err, int code, uint32_t off,
                     const char *field) {
  it->err = code;
  it->err_off = off;
  it->err_field = field;
  return smbw_fail(err, code, off, field);
}

/* The list is over: the bytes from off to the end of the entries are its
   trailing bytes (FEA, GEA; always none for FULL). */
static int iter_end(smbw_ea_iter *it, uint32_t off) {
  it->state = ST_DONE;
  it->trailing.data = it->data + off;
  it->trailing.len = it->end - off;
  return 0;
}

/* FEA, GEA: SizeOfListInBytes, at least itself and inside the view. */
static int list_header(smbw_ea_iter *it, smbw_error *err) {
  if (it->len < SMBW_EA_LIST_HEADER)
    return iter_fail(it, err, SMBW_E_TRUNCATED, it->len, "SizeOfListInBytes");
  uint32_t size = ld32(it->data);
  if (size < SMBW_EA_LIST_HEADER) return iter_fail(it, err, SMBW_E_RANGE, 0, "SizeOfListInBytes");
  if (size > it->len) return iter_fail(it, err, SMBW_E_FIELD_LENGTH, 0, "SizeOfListInBytes");
  it->list_size = size;
  it->end = size;
  it->next = SMBW_EA_LIST_HEADER;
  return 0;
}

/* FULL: the view ends inside the first entry's fixed part (the only entry
   that can: NextEntryOffset leaves room for a whole smallest entry). */
static int full_truncated(smbw_ea_iter *it, smbw_error *err) {
  static const char *const fields[8] = {"NextEntryOffset", "NextEntryOffset", "NextEntryOffset",
                                        "NextEntryOffset", "Flags",           "EaNameLength",
                                        "EaValueLength",   "EaValueLength"};
  return iter_fail(it, err, SMBW_E_TRUNCATED, it->len, fields[it->len]);
}

SMBW_API int smbw_ea_iter_next(smbw_ea_iter *it, smbw_ea *e, smbw_error *err) {
  if (SMBW_UNLIKELY(!it || !e)) return smbw_fail(err, SMBW_E_INVAL, 0, "iterator");
  const layout *l = layout_of(it->kind);
  if (SMBW_UNLIKELY(!l || (!it->data && it->len)))
    return smbw_fail(err, SMBW_E_INVAL, 0, "iterator");
  if (SMBW_UNLIKELY(it->err)) return smbw_fail(err, it->err, it->err_off, it->err_field);
  if (it->state == ST_DONE) return 0;
  if (it->state == ST_START) {
    it->state = ST_WALK;
    if (it->kind == SMBW_EA_FULL) {
      it->list_size = it->len;
      it->end = it->len;
      if (it->len == 0) {
        /* the empty chain; it may come as {NULL, 0}: no offset on NULL */
        it->state = ST_DONE;
        it->trailing.data = it->data;
        return 0;
      }
      if (it->len < l->hdr) return full_truncated(it, err);
    } else if (list_header(it, err)) {
      return it->err;
    }
  }

  const uint32_t o = it->next;
  const uint32_t r = it->end - o; /* bytes left for this entry and the rest */
  if (it->kind != SMBW_EA_FULL && r < l->min) return iter_end(it, o);
  /* FULL: here r >= 8 (the first entry was checked above, a later one is
     placed by a NextEntryOffset that leaves 9 bytes); FEA, GEA: r >= min. */
  const uint8_t *p = it->data + o;
  const uint32_t n = p[l->nlen];
  const uint32_t v = l->vlen >= 0 ? ld16(p + l->vlen) : 0u;
  if (n + 1u > r - l->hdr) return iter_fail(it, err, SMBW_E_FIELD_LENGTH, o + l->nlen, l->f_nlen);
  if (p[l->hdr + n] != 0)
    return iter_fail(it, err, SMBW_E_STR_UNTERMINATED, o + l->hdr + n, l->f_name);
  const uint32_t used = l->hdr + n + 1u + v;
  if (v > r - l->hdr - n - 1u)
    return iter_fail(it, err, SMBW_E_FIELD_LENGTH, o + (uint32_t)(uint8_t)l->vlen, l->f_vlen);

  e->offset = o;
  e->next_entry_offset = 0;
  e->flags = l->flags >= 0 ? p[l->flags] : (uint8_t)0;
  e->name.data = p + l->hdr;
  e->name.len = n;
  e->name.enc = SMBW_STR_OEM;
  e->name.unterminated = 0;
  e->name.pad = 0;
  e->value.data = l->vlen >= 0 ? p + l->hdr + n + 1u : NULL;
  e->value.len = v;
  e->padding.data = NULL;
  e->padding.len = 0;
  it->count++;
  if (it->kind != SMBW_EA_FULL) {
    it->next = o + used;
    return 1;
  }

  const uint32_t neo = ld32(p);
  e->next_entry_offset = neo;
  e->padding.data = p + used;
  if (neo == 0) {
    e->padding.len = r - used; /* the rest of the view */
    iter_end(it, it->end);
    return 1;
  }
  if (neo < used || neo > r - SMBW_EA_FULL_MIN) {
    /* Inside the entry, or no room for an entry where it points (which
       covers every value that would wrap around the 32-bit offset).
       Reported on the next call, so the caller still gets this entry. */
    e->padding.len = 0;
    it->err = SMBW_E_NEXT_OFFSET;
    it->err_off = o;
    it->err_field = "NextEntryOffset";
    return 1;
  }
  e->padding.len = neo - used;
  it->next = o + neo;
  return 1;
}

/* ---- encoding ---- */

/* Copy n bytes at buf[*pos] if they fit; *pos always advances.  The
   caller checked that *pos + n does not overflow. */
static int put(uint8_t *buf, size_t cap, size_t *pos, const uint8_t *src, size_t n) {
  int rc = 0;
  if (*pos <= cap && n <= cap - *pos) {
    if (n) memcpy(buf + *pos, src, n);
  } else {
    rc = SMBW_E_NOSPACE;
  }
  *pos += n;
  return rc;
}

/* A name as the encoder writes it: OEM with a NUL; absent is empty.
   Returns its length without the NUL, or a negative error. */
static int32_t name_size(const smbw_str *name, smbw_str *out) {
  static const uint8_t empty[1] = {0};
  *out = *name;
  if (!out->data) {
    if (out->len) return SMBW_E_INVAL;
    out->data = empty;
    out->enc = SMBW_STR_OEM;
  }
  if (out->unterminated) return SMBW_E_INVAL;
  out->pad = 0;
  uint32_t size;
  int rc = smbw_str_wire_size(out, 0, 0, 0, &size);
  if (rc) return rc;
  /* size includes the NUL; an OEM name of 64 KiB or more fails here too */
  if (size - 1u > SMBW_EA_NAME_MAX) return SMBW_E_RANGE;
  return (int32_t)(size - 1u);
}

SMBW_API int smbw_ea_append(uint8_t *buf, size_t cap, size_t *pos, int kind, const smbw_ea *e) {
  const layout *l = layout_of(kind);
  if (!pos || !e || (!buf && cap) || !l) return SMBW_E_INVAL;
  smbw_str name;
  int32_t n = name_size(&e->name, &name);
  if (n < 0) return n;
  int rc = smbw_view_check(e->value);
  if (rc) return rc;
  rc = smbw_view_check(e->padding);
  if (rc == SMBW_E_INVAL) return rc;
  if (kind != SMBW_EA_FULL && (e->padding.len || e->next_entry_offset)) return SMBW_E_INVAL;
  if (kind == SMBW_EA_GEA && (e->flags || e->value.len)) return SMBW_E_INVAL;

  const uint32_t used = l->hdr + (uint32_t)n + 1u + e->value.len;
  uint32_t neo = e->next_entry_offset; /* as written */
  uint32_t gap = 0;                    /* padding bytes after the value */
  const uint8_t *pad = e->padding.data;
  if (kind == SMBW_EA_FULL) {
    if (neo == SMBW_EA_NEXT_AUTO) neo = (used + 3u) & ~3u;
    if (neo == 0) {
      gap = e->padding.len;
    } else {
      if (neo < used) return SMBW_E_NEXT_OFFSET;
      gap = neo - used;
      if (e->padding.len != gap) pad = NULL; /* zeros */
    }
  }
  const uint64_t size = (uint64_t)used + gap;
  if (size > SIZE_MAX - *pos) return SMBW_E_RANGE;

  if (*pos > cap || size > cap - *pos) {
    *pos += (size_t)size;
    return SMBW_E_NOSPACE;
  }
  uint8_t *p = buf + *pos;
  if (kind == SMBW_EA_FULL) st32(p, neo);
  if (l->flags >= 0) p[l->flags] = e->flags;
  p[l->nlen] = (uint8_t)n;
  if (l->vlen >= 0) st16(p + l->vlen, (uint16_t)e->value.len);
  smbw_wr w = {p + l->hdr, p + l->hdr + n + 1u, 0};
  smbw_wr_str(&w, &name, 0, 0);
  uint8_t *q = p + l->hdr + n + 1u;
  if (e->value.len) memcpy(q, e->value.data, e->value.len);
  q += e->value.len;
  if (gap) {
    if (pad) memcpy(q, pad, gap);
    else memset(q, 0, gap);
  }
  *pos += (size_t)size;
  return 0;
}

SMBW_API int smbw_ea_list_begin(uint8_t *buf, size_t cap, size_t *pos, size_t *start) {
  static const uint8_t zero[SMBW_EA_LIST_HEADER] = {0};
  if (!pos || !start || (!buf && cap)) return SMBW_E_INVAL;
  if (*pos > SIZE_MAX - SMBW_EA_LIST_HEADER) return SMBW_E_RANGE;
  *start = *pos;
  return put(buf, cap, pos, zero, SMBW_EA_LIST_HEADER);
}

SMBW_API int smbw_ea_list_finish(uint8_t *buf, size_t cap, size_t *pos, size_t start, int kind,
                                 const smbw_bytes *trailing) {
  if (!pos || (!buf && cap) || (kind != SMBW_EA_FEA && kind != SMBW_EA_GEA))
    return SMBW_E_INVAL;
  if (start > *pos || *pos - start < SMBW_EA_LIST_HEADER) return SMBW_E_INVAL;
  smbw_bytes t = {NULL, 0};
  if (trailing) t = *trailing;
  if (t.len && !t.data) return SMBW_E_INVAL;
  if (t.len >= layout_of(kind)->min) return SMBW_E_INVAL;
  const size_t size = *pos - start + t.len;
  if (size > UINT32_MAX || t.len > SIZE_MAX - *pos) return SMBW_E_RANGE;
  /* Once something did not fit, *pos is past cap and put() fails too. */
  int rc = put(buf, cap, pos, t.data, t.len);
  if (start <= cap && SMBW_EA_LIST_HEADER <= cap - start) st32(buf + start, (uint32_t)size);
  return rc;
}
