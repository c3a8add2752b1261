/*
 * gen_forms: writes lib/commands/forms_gen.h, the plain C decoders and
 * encoders of every message layout and the readers and writers of every
 * record, from the row tables of lib/commands/forms.c.
 *
 *   build/tests/gen_forms > lib/commands/forms_gen.h
 *
 * The rows stay the one description.  This program is built from forms.c
 * alone (not the library, which includes what it prints, so a stale file
 * never stops it from being rebuilt), reads the rows and prints, for every
 * layout (types that share their forms share it), a decoder and an encoder
 * that select the form by WordCount without interpreting a row at run
 * time: wire offsets and widths are constants, members are named, rows a
 * WordCount does not carry are left out, and the byte-area items are calls
 * to the item readers and writers of form.c with their locating words'
 * offsets and names as constants.
 * `meson test forms-generated` fails when the committed file is not what
 * this program prints.
 */
#include <stdio.h>
#include <string.h>

#include "../lib/commands/form.h"

static const char *const rtype[] = {
#define X(id, name, type, size) [SMBW_RECORD_##id] = "smbw_" #type,
    SMBW_RECORD_LIST(X)
#undef X
};

static const char *const ctype[] = {
#define X(id, name, cmd, reply) [SMBW_TYPE_##id] = "smbw_" #name,
    SMBW_TYPE_LIST(X)
#undef X
};

/* The type whose functions type t uses: the first with the same forms
   and error form (SEARCH, FIND, FIND_UNIQUE and FIND_CLOSE share theirs;
   the command code is an encoder's argument), or the first generic one. */
static int owner(int t) {
  const int any = smbw_form_any(&smbw_types[t].forms[0]);
  for (int k = 0; k < t; k++) {
    if (any && smbw_form_any(&smbw_types[k].forms[0])) return k; /* the generic form */
    if (smbw_types[k].forms == smbw_types[t].forms &&
        smbw_types[k].error_form == smbw_types[t].error_form)
      return k;
  }
  return t;
}

/* The comment before a function: the types that use it. */
static void emit_users(int t) {
  printf("/*");
  for (int k = t; k < SMBW_TYPE_COUNT_; k++)
    if (owner(k) == t) printf(" %s%s", k == t ? "" : "/ ", smbw_types[k].name);
  printf(" */\n");
}

/* The members of a DATA row ("data pad offset") or a DBLOCK row ("data
   format"). */
static void data_members(const smbw_row *r, char m[3][48]) {
  m[0][0] = m[1][0] = m[2][0] = 0;
  if (sscanf(r->c, "%47s %47s %47s", m[0], m[1], m[2]) < 2) m[0][0] = 0;
}

static int present(const smbw_row *r, unsigned n) { return r->off + smbw_row_width(r) <= 2u * n; }

/* The locating row of `kind` for item i present with n words, or NULL. */
static const smbw_row *locator(const smbw_form *f, unsigned i, int kind, unsigned n) {
  for (unsigned k = 0; k < f->nwords_rows; k++) {
    const smbw_row *r = &f->words[k];
    if (r->ref == i && r->kind == kind && present(r, n)) return r;
  }
  return NULL;
}

/* The statement that decodes word row r from w into s, indented by in. */
static void emit_word_get(const smbw_row *r, const char *in) {
  unsigned o = r->off, ref = r->ref;
  const char *m = r->c;
  switch (r->kind) {
  case W_U8: printf("%ss.%s = w[%u]; /* %s */\n", in, m, o, r->name); break;
  case W_U16: printf("%ss.%s = ld16(w + %u); /* %s */\n", in, m, o, r->name); break;
  case W_U32: printf("%ss.%s = ld32(w + %u); /* %s */\n", in, m, o, r->name); break;
  case W_U64: printf("%ss.%s = ld64(w + %u); /* %s */\n", in, m, o, r->name); break;
  case W_ANDX: printf("%ssmbw_get_andx(w, &s.%s);\n", in, m); break;
  case W_RAW: printf("%smemcpy(s.%s, w + %u, %u); /* %s */\n", in, m, o, r->arg, r->name); break;
  case W_LO16: printf("%ss.%s |= ld16(w + %u); /* %s */\n", in, m, o, r->name); break;
  case W_HI16: printf("%ss.%s |= (uint32_t)ld16(w + %u) << 16; /* %s */\n", in, m, o, r->name); break;
  case W_LO32: printf("%ss.%s |= ld32(w + %u); /* %s */\n", in, m, o, r->name); break;
  case W_HI32: printf("%ss.%s |= (uint64_t)ld32(w + %u) << 32; /* %s */\n", in, m, o, r->name); break;
  case W_LEN8: printf("%slen%u = w[%u]; /* %s */\n", in, ref, o, r->name); break;
  case W_LEN16: /* |=: DataLengthHigh may come first */
    printf("%slen%u |= ld16(w + %u); /* %s */\n", in, ref, o, r->name);
    break;
  case W_CNT16: printf("%slen%u = ld16(w + %u); /* %s */\n", in, ref, o, r->name); break;
  case W_LENHI16: printf("%slen%u |= (uint32_t)ld16(w + %u) << 16; /* %s */\n", in, ref, o, r->name); break;
  case W_DOFF16: printf("%sdoff%u = ld16(w + %u); /* %s */\n", in, ref, o, r->name); break;
  default: break;
  }
}

/* The statement that encodes word row r from s into w, indented by in. */
static void emit_word_put(const smbw_row *r, const char *in) {
  unsigned o = r->off, ref = r->ref;
  const char *m = r->c;
  switch (r->kind) {
  case W_U8: printf("%sw[%u] = s.%s; /* %s */\n", in, o, m, r->name); break;
  case W_U16: printf("%sst16(w + %u, s.%s); /* %s */\n", in, o, m, r->name); break;
  case W_U32: printf("%sst32(w + %u, s.%s); /* %s */\n", in, o, m, r->name); break;
  case W_U64: printf("%sst64(w + %u, s.%s); /* %s */\n", in, o, m, r->name); break;
  case W_RAW: printf("%smemcpy(w + %u, s.%s, %u); /* %s */\n", in, o, m, r->arg, r->name); break;
  case W_LO16: printf("%sst16(w + %u, (uint16_t)s.%s); /* %s */\n", in, o, m, r->name); break;
  case W_HI16: printf("%sst16(w + %u, (uint16_t)(s.%s >> 16)); /* %s */\n", in, o, m, r->name); break;
  case W_LO32: printf("%sst32(w + %u, (uint32_t)s.%s); /* %s */\n", in, o, m, r->name); break;
  case W_HI32: printf("%sst32(w + %u, (uint32_t)(s.%s >> 32)); /* %s */\n", in, o, m, r->name); break;
  case W_LEN8: printf("%sw[%u] = (uint8_t)it[%u].len; /* %s */\n", in, o, ref, r->name); break;
  case W_LEN16:
  case W_CNT16: printf("%sst16(w + %u, (uint16_t)it[%u].len); /* %s */\n", in, o, ref, r->name); break;
  case W_LENHI16: printf("%sst16(w + %u, (uint16_t)(it[%u].len >> 16)); /* %s */\n", in, o, ref, r->name); break;
  case W_DOFF16: printf("%sst16(w + %u, (uint16_t)it[%u].doff); /* %s */\n", in, o, ref, r->name); break;
  default: break; /* W_ANDX: written by the builder */
  }
}

/* The body of one form carried with n words (indent 4). */
static void emit_form(int t, unsigned fi, const smbw_form *f, unsigned n) {
  printf("    /* %s: %u words */\n", f->spec, n);
  printf("    ds->form = &smbw_types[%d].forms[%u];\n", t, fi);
  for (unsigned i = 0; i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    if (!present(r, n)) continue;
    emit_word_get(r, "    ");
  }
  /* locating words the struct keeps (DataLength, NumberOfLocks, ...) */
  for (unsigned i = 0; i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    if (!present(r, n) || r->m == SMBW_NOM) continue;
    if (r->kind == W_LEN16) printf("    s.%s = len%u;\n", r->c, r->ref);
    if (r->kind == W_CNT16) printf("    s.%s = (uint16_t)len%u;\n", r->c, r->ref);
  }
  for (unsigned i = 0; i < f->nitems; i++) {
    const smbw_row *r = &f->items[i];
    const smbw_row *len = locator(f, i, W_LEN16, n);
    if (!len) len = locator(f, i, W_LEN8, n);
    if (!len) len = locator(f, i, W_CNT16, n);
    const smbw_row *off = locator(f, i, W_DOFF16, n);
    printf("    ds->at[%u] = rd.pos;\n", i);
    switch (r->kind) {
    case I_STR: printf("    smbw_rd_str_inline(&rd, uni, 1, &s.%s); /* %s */\n", r->c, r->name); break;
    case I_OEM: printf("    smbw_rd_str_inline(&rd, 0, 0, &s.%s); /* %s */\n", r->c, r->name); break;
    case I_BFSTR:
      printf("    if ((rc = item_bfstr(&rd, uni, 0x%02x, &s.%s))) return rc; /* %s */\n", r->arg, r->c,
             r->name);
      break;
    case I_BYTES:
      if (len)
        printf("    if ((rc = item_bytes(&rd, len%u, wbase + %u, \"%s\", &s.%s))) return rc; /* %s */\n",
               i, len->off, len->name, r->c, r->name);
      break;
    case I_RECS:
      if (len)
        printf("    if ((rc = item_recs(&rd, len%u, w[%u] & SMBW_LOCKING_LARGE_FILES ? 20u : 10u, wbase + %u, "
               "\"%s\", &s.%s))) return rc; /* %s */\n",
               i, r->arg, len->off, len->name, r->c, r->name);
      break;
    case I_DATA:
      if (len && off) {
        char m[3][48];
        data_members(r, m);
        printf("    if ((rc = item_data(&rd, b, len%u, doff%u, wbase + %u, \"%s\", wbase + %u, \"%s\",\n"
               "                  &s.%s, &s.%s, &s.%s))) return rc; /* %s */\n",
               i, i, len->off, len->name, off->off, off->name, m[0], m[1], m[2], r->name);
      }
      break;
    case I_DBLOCK: {
      char m[3][48];
      data_members(r, m);
      printf("    if ((rc = item_dblock(&rd, &s.%s, &s.%s))) return rc; /* %s */\n", m[0], m[1],
             r->name);
      break;
    }
    case I_PAD:
      printf("    if ((rc = item_pad(&rd, b, %u, &s.%s))) return rc; /* %s */\n", r->arg, r->c,
             r->name);
      break;
    case I_REST: printf("    item_rest(&rd, &s.%s); /* %s */\n", r->c, r->name); break;
    default: break;
    }
    printf("    ds->end[%u] = rd.pos;\n", i);
  }
}

/* Is WordCount c taken by a form before form fi (the engine's rule: the
   first form that lists it)?  A 0 in slot 0 is a WordCount, elsewhere an
   unused slot. */
static int wct_taken(const smbw_typedesc *d, unsigned fi, unsigned c) {
  for (unsigned j = 0; j < fi; j++) {
    const smbw_form *g = &d->forms[j];
    if (g->wct[0] == c || (c && (g->wct[1] == c || g->wct[2] == c))) return 1;
  }
  return 0;
}

/* The WordCounts form fi decodes, each once, in its order. */
static unsigned form_wcts(const smbw_typedesc *d, unsigned fi, unsigned out[3]) {
  const smbw_form *f = &d->forms[fi];
  unsigned n = 0;
  for (unsigned k = 0; k < 3; k++) {
    unsigned c = f->wct[k];
    if ((k && !c) || wct_taken(d, fi, c)) continue;
    int dup = 0;
    for (unsigned j = 0; j < n; j++) dup |= out[j] == c;
    if (!dup) out[n++] = c;
  }
  return n;
}

/* A decoder's end: the struct to the caller, at most its size of it. */
static void emit_copy_out(void) {
  printf("  smbw_put_sized(out, size, &s, sizeof s);\n");
  printf("  return 0;\n}\n\n");
}

/* An encoder's start: the caller's struct, zero-filled past its size. */
static void emit_copy_in(void) {
  printf("  smbw_get_sized(&s, sizeof s, in, size);\n");
}

/* The decoder of a command whose layout MS-CIFS does not give: any
   WordCount, the words as one view, the bytes as extra. */
static void emit_any_decoder(int t) {
  const smbw_typedesc *d = &smbw_types[t];
  emit_users(t);
  printf("/* %s */\n", d->forms[0].spec);
  printf("static SMBW_INLINE int decode_%s_body(const smbw_block *b, void *out, size_t size,\n"
         "%*s dstate *ds, smbw_error *err) {\n",
         ctype[t] + 5, (int)strlen(ctype[t] + 5) + 36, "");
  printf("  %s s;\n  memset(&s, 0, sizeof s);\n", ctype[t]);
  printf("  smbw_rd rd;\n  smbw_rd_block_bytes(&rd, b, err);\n");
  printf("  ds->form = &smbw_types[%d].forms[0];\n", t);
  printf("  s.wct = b->wct;\n");
  printf("  s.%s.data = b->nwords ? b->words : NULL; /* %s */\n", d->forms[0].words[0].c,
         d->forms[0].words[0].name);
  printf("  s.%s.len = 2u * b->nwords;\n", d->forms[0].words[0].c);
  printf("  item_rest(&rd, &s.extra);\n");
  emit_copy_out();
}

/* A type's two entries into its decoder body: from a block (smbw_decode_()),
   and from the bytes of a whole NBSS packet (smbw_parse_typed_()), where
   the body is inlined after parse_fast() so that the block's unused
   members are never stored. */
static void emit_entries(int t) {
  const char *n = ctype[t] + 5;
  printf("static int decode_%s(const smbw_block *b, void *out, size_t size, dstate *ds,\n"
         "%*s smbw_error *err) {\n", n, (int)strlen(n) + 18, "");
  printf("  return decode_%s_body(b, out, size, ds, err);\n}\n\n", n);
  printf("static int parse_%s(const uint8_t *buf, size_t len, int framing, int type,\n"
         "%*s smbw_msg *msg, void *out, size_t size, size_t *need,\n"
         "%*s smbw_error *err) {\n", n, (int)strlen(n) + 17, "", (int)strlen(n) + 17, "");
  printf("  smbw_block b;\n  uint32_t plen;\n");
  printf("  if (SMBW_UNLIKELY(!parse_fast(buf, len, framing, type, msg, out, size, &b, &plen)))\n");
  printf("    return parse_typed_slow(buf, len, framing, type, msg, out, size, need, err);\n");
  printf("  dstate ds;\n");
  printf("  int rc = decode_%s_body(&b, out, size, &ds, err);\n", n);
  printf("  if (SMBW_UNLIKELY(rc)) return rc;\n");
  printf("  parse_done(b.msg, plen, msg);\n");
  printf("  return (int)(plen + 4u);\n}\n\n");
}

static void emit_type(int t) {
  const smbw_typedesc *d = &smbw_types[t];
  if (smbw_form_any(&d->forms[0])) {
    emit_any_decoder(t);
    return;
  }
  /* what the forms use */
  int uses_w = 0, uses_wbase = 0, uses_uni = 0, uses_rc = 0;
  unsigned nlen = 0;
  for (unsigned fi = 0; fi < d->nforms; fi++) {
    const smbw_form *f = &d->forms[fi];
    if (f->nwords_rows) uses_w = 1;
    if (f->nitems > nlen) nlen = f->nitems;
    for (unsigned i = 0; i < f->nitems; i++) {
      int k = f->items[i].kind;
      if (k == I_BYTES || k == I_RECS || k == I_DATA) uses_wbase = uses_rc = 1;
      if (k == I_BFSTR || k == I_DBLOCK || k == I_PAD) uses_rc = 1;
      if (k == I_STR || k == I_BFSTR) uses_uni = 1;
    }
  }
  emit_users(t);
  printf("static SMBW_INLINE int decode_%s_body(const smbw_block *b, void *out, size_t size,\n"
         "%*s dstate *ds, smbw_error *err) {\n",
         ctype[t] + 5, (int)strlen(ctype[t] + 5) + 36, "");
  printf("  %s s;\n  memset(&s, 0, sizeof s);\n", ctype[t]);
  if (uses_w) printf("  const uint8_t *w = b->words;\n");
  if (uses_wbase) printf("  const uint32_t wbase = b->offset + 1u;\n");
  if (uses_uni) printf("  const int uni = smbw_block_unicode(b);\n");
  for (unsigned i = 0; i < nlen; i++) printf("  uint32_t len%u = 0, doff%u = 0;\n", i, i);
  for (unsigned i = 0; i < nlen; i++) printf("  (void)len%u, (void)doff%u;\n", i, i);
  if (uses_rc) printf("  int rc;\n");
  printf("  smbw_rd rd;\n  smbw_rd_block_bytes(&rd, b, err);\n");
  printf("  s.wct = b->wct;\n");
  if (d->nwords_m != SMBW_NOM) printf("  s.nwords = b->nwords;\n");
  printf("  ds->form = NULL;\n");
  printf("  switch (b->wct) {\n");
  int zero = 0;
  for (unsigned fi = 0; fi < d->nforms; fi++) {
    const smbw_form *f = &d->forms[fi];
    unsigned c[3], nc = form_wcts(d, fi, c);
    if (!nc) continue;
    for (unsigned k = 0; k < nc; k++) {
      printf("  case %u:\n", c[k]);
      zero |= c[k] == 0;
    }
    printf("  {\n");
    /* the rows present differ by the number of words: one body each */
    for (unsigned k = 0; k < nc; k++) {
      int more = f->nwords_rows && (nc > 1 || (f->carry50 && c[k] == 42));
      if (!more) {
        emit_form(t, fi, f, c[k]);
      } else if (f->carry50 && c[k] == 42) {
        printf("    %sif (b->nwords == 50) {\n", k ? "} else " : "");
        emit_form(t, fi, f, 50);
        /* the last alternative of a chain is a plain else: no test that
           cannot fail */
        if (k == nc - 1) printf("    } else { /* WordCount 42 carrying 42 */\n");
        else printf("    } else if (b->wct == 42) {\n");
        emit_form(t, fi, f, 42);
      } else if (k && k == nc - 1) {
        printf("    } else { /* WordCount %u */\n", c[k]);
        emit_form(t, fi, f, c[k]);
      } else {
        printf("    %sif (b->wct == %u) {\n", k ? "} else " : "", c[k]);
        emit_form(t, fi, f, c[k]);
      }
      if (!more) break; /* no word rows: the same body for every count */
      if (k == nc - 1) printf("    }\n");
    }
    printf("    break;\n  }\n");
  }
  if (d->error_form && !zero) printf("  case 0: /* the error form: no words, any bytes */\n    break;\n");
  printf("  default:\n    return smbw_fail(err, SMBW_E_WCT, b->offset, \"WordCount\");\n  }\n");
  printf("  item_rest(&rd, &s.extra);\n");
  emit_copy_out();
}

/* ---- encoders ---- */

/* A present HI row for the member of LO row r, with n words? */
static int high_present(const smbw_form *f, const smbw_row *r, unsigned n) {
  for (unsigned k = 0; k < f->nwords_rows; k++) {
    const smbw_row *q = &f->words[k];
    if (q->m == r->m && (q->kind == W_HI16 || q->kind == W_HI32) && present(q, n)) return 1;
  }
  return 0;
}

#define FAIL(code) "return smbw_builder_fail(bld, " code ")"

/* An encoder's sizers for the items of form f (indent 4): the string
   slots from the last string back, then one sizer per item in order,
   each moving `end` past its item. */
static void emit_enc_sizes(const smbw_form *f) {
  int strs = 0;
  for (unsigned i = 0; i < f->nitems; i++) {
    int k = f->items[i].kind;
    strs |= k == I_STR || k == I_OEM || k == I_BFSTR;
  }
  if (strs) printf("    int later = 0; /* a present string follows */\n");
  for (int i = (int)f->nitems - 1; i >= 0; i--) {
    const smbw_row *r = &f->items[i];
    if (r->kind == I_STR || r->kind == I_OEM || r->kind == I_BFSTR)
      printf("    it[%d].str = enc_slot(&s.%s, &later);\n", i, r->c);
  }
  for (unsigned i = 0; i < f->nitems; i++) {
    const smbw_row *r = &f->items[i];
    char m[3][48];
    printf("    if ((rc = ");
    switch (r->kind) {
    case I_STR: printf("esize_str(&it[%u], 0, uni, 1, &end)", i); break;
    case I_OEM: printf("esize_str(&it[%u], 0, 0, 0, &end)", i); break;
    case I_BFSTR: printf("esize_str(&it[%u], 1, uni, 1, &end)", i); break;
    case I_BYTES:
    case I_REST: printf("esize_bytes(&it[%u], s.%s, &end)", i, r->c); break;
    case I_DBLOCK:
      data_members(r, m);
      printf("esize_dblock(&it[%u], s.%s, s.%s, &end)", i, m[0], m[1]);
      break;
    case I_PAD: printf("esize_pad(&it[%u], s.%s, %u, &end)", i, r->c, r->arg); break;
    case I_RECS: {
      const char *flag = NULL; /* the word byte whose LARGE_FILES bit doubles the record */
      for (unsigned k = 0; k < f->nwords_rows; k++)
        if (f->words[k].off == r->arg && f->words[k].kind == W_U8) flag = f->words[k].c;
      if (flag)
        printf("esize_recs(&it[%u], s.%s, (s.%s & SMBW_LOCKING_LARGE_FILES) ? 20u : 10u, &end)", i,
               r->c, flag);
      else
        printf("esize_recs(&it[%u], s.%s, 10u, &end)", i, r->c);
      break;
    }
    case I_DATA:
      data_members(r, m);
      printf("esize_data(&it[%u], s.%s, s.%s, s.%s, &end, &large)", i, m[0], m[1], m[2]);
      break;
    default: printf("0"); break;
    }
    printf(")) " FAIL("rc") "; /* %s */\n", r->name);
  }
}

/* An encoder's writers for the items of form f (indent 4). */
static void emit_enc_writes(const smbw_form *f) {
  for (unsigned i = 0; i < f->nitems; i++) {
    const smbw_row *r = &f->items[i];
    char m[3][48];
    switch (r->kind) {
    case I_STR: printf("    smbw_wr_str_inline(&wr, it[%u].str, uni, 1);", i); break;
    case I_OEM: printf("    smbw_wr_str_inline(&wr, it[%u].str, 0, 0);", i); break;
    case I_BFSTR: printf("    ewrite_bfstr(&wr, it[%u].str, 0x%02x, uni);", i, r->arg); break;
    case I_BYTES:
    case I_REST:
    case I_RECS: printf("    smbw_wr_bytes(&wr, s.%s.data, s.%s.len);", r->c, r->c); break;
    case I_DBLOCK:
      data_members(r, m);
      printf("    ewrite_dblock(&wr, s.%s, s.%s);", m[0], m[1]);
      break;
    case I_PAD: printf("    ewrite_pad(&wr, s.%s, %u);", r->c, r->arg); break;
    case I_DATA:
      data_members(r, m);
      printf("    ewrite_data(&wr, s.%s, s.%s, &it[%u]);", m[0], m[1], i);
      break;
    default: continue;
    }
    printf(" /* %s */\n", r->name);
  }
}


/* The body that encodes form fi of type t with n words, WordCount wct
   (indent 4). */
static void emit_enc_form(int t, unsigned fi, const smbw_form *f, unsigned wct, unsigned n) {
  printf("    /* %s: %u words */\n", f->spec, n);
  printf("    const uint32_t boff = start + %uu;\n", 3u + 2u * n);
  printf("    end = boff;\n");
  if (f->nitems) emit_enc_sizes(f);
  /* values too wide for the words this count has */
  for (unsigned i = 0; i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    if (!present(r, n)) continue;
    if (r->kind == W_LO32 && !high_present(f, r, n))
      printf("    if (s.%s > 0xFFFFFFFFu) " FAIL("SMBW_E_RANGE") "; /* no %sHigh */\n", r->c, r->name);
    if (r->kind == W_LO16 && !high_present(f, r, n))
      printf("    if (s.%s > 0xFFFFu) " FAIL("SMBW_E_RANGE") "; /* no %sHigh */\n", r->c, r->name);
    if (r->kind == W_LEN16 && !locator(f, r->ref, W_LENHI16, n))
      printf("    if (it[%u].len > 0xFFFFu) " FAIL("SMBW_E_RANGE") "; /* %s */\n", r->ref, r->name);
  }
  for (unsigned i = 0; i < f->nitems; i++) {
    int k = f->items[i].kind;
    if ((k == I_BYTES || k == I_DATA) && !locator(f, i, W_LEN16, n) && !locator(f, i, W_LEN8, n))
      printf("    if (it[%u].len) " FAIL("SMBW_E_INVAL") "; /* no length word for %s */\n", i,
             f->items[i].name);
    if (k == I_RECS && !locator(f, i, W_CNT16, n))
      printf("    if (it[%u].len) " FAIL("SMBW_E_INVAL") "; /* no count word for %s */\n", i,
             f->items[i].name);
  }
  for (unsigned i = 0; i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    if (!present(r, n)) continue;
    if (r->kind == W_LEN8)
      printf("    if (it[%u].len > 0xFFu) " FAIL("SMBW_E_RANGE") "; /* %s */\n", r->ref, r->name);
    if (r->kind == W_CNT16)
      printf("    if (it[%u].len > 0xFFFFu) " FAIL("SMBW_E_RANGE") "; /* %s */\n", r->ref, r->name);
  }
  int andx = n >= 2 && f->nwords_rows && f->words[0].kind == W_ANDX;
  printf("    rc = enc_begin(bld, command, %u, %u, boff, end, large, s.extra, %s, &w, &wr, fused);\n",
         wct, n, andx ? "&s.andx" : "NULL");
  printf("    if (rc) return enc_result(rc);\n");
  for (unsigned i = 0; i < f->nwords_rows; i++)
    if (present(&f->words[i], n)) emit_word_put(&f->words[i], "    ");
  if (f->nitems) emit_enc_writes(f);
}

/* An encoder's body, inlined into its two entries (emit_encoder_entries()). */
static void emit_encoder_head(int t) {
  const char *n = ctype[t] + 5;
  printf("static SMBW_INLINE int encode_%s_body(smbw_builder *bld, uint8_t command, const void *in,\n"
         "%*s size_t size, const int fused) {\n", n, (int)strlen(n) + 35, "");
}

/* The two entries into an encoder body: on the caller's builder
   (smbw_encode_()), and as a whole message on a builder of its own
   (smbw_build_typed_()), where the builder's steps are inlined with it. */
static void emit_encoder_entries(int t) {
  const char *n = ctype[t] + 5;
  printf("static int encode_%s(smbw_builder *bld, uint8_t command, const void *in, size_t size) {\n",
         n);
  printf("  return encode_%s_body(bld, command, in, size, 0);\n}\n\n", n);
  printf("static int build_%s(uint8_t *buf, size_t cap, int framing, const smbw_header *h,\n"
         "%*s int type, const void *in, size_t size, size_t *len) {\n", n, (int)strlen(n) + 10, "");
  printf("  smbw_builder b;\n");
  printf("  int rc = build_start(&b, buf, cap, framing, h, type, in, size, len);\n");
  printf("  if (SMBW_UNLIKELY(rc)) return rc;\n");
  printf("  encode_%s_body(&b, smbw_types[type].command, in, size, 1);\n", n);
  printf("  return smbw_bld_finish(&b, len);\n}\n\n");
}

/* The encoder of a command whose layout MS-CIFS does not give: the
   WordCount is the length of the words view; an AndX command's
   AndXCommand is written 0xFF (the builder links a block that follows). */
static void emit_any_encoder(int t) {
  const smbw_typedesc *d = &smbw_types[t];
  const char *m = d->forms[0].words[0].c;
  emit_users(t);
  emit_encoder_head(t);
  printf("  %s s;\n", ctype[t]);
  emit_copy_in();
  printf("  int rc = view_ok(s.extra, 0xFFFF);\n");
  printf("  if (!rc) rc = view_ok(s.%s, 510);\n", m);
  printf("  if (!rc && (s.%s.len & 1u)) rc = SMBW_E_INVAL; /* whole words */\n", m);
  printf("  if (rc) return smbw_builder_fail(bld, rc);\n");
  printf("  const uint8_t n = (uint8_t)(s.%s.len / 2u);\n", m);
  printf("  const uint32_t boff = smbw_block_start(bld) + 3u + 2u * n;\n");
  printf("  uint8_t *w;\n  smbw_wr wr;\n");
  printf("  rc = enc_begin(bld, command, n, n, boff, boff, 0, s.extra, NULL, &w, &wr, fused);\n");
  printf("  if (rc) return enc_result(rc);\n");
  printf("  if (n) memcpy(w, s.%s.data, 2u * n);\n", m);
  printf("  if (smbw_andx_cmd(command) && n >= 2) w[0] = 0xFF;\n");
  printf("  smbw_wr_bytes(&wr, s.extra.data, s.extra.len);\n  return 0;\n}\n\n");
}

static void emit_encoder(int t) {
  const smbw_typedesc *d = &smbw_types[t];
  if (smbw_form_any(&d->forms[0])) {
    emit_any_encoder(t);
    return;
  }
  unsigned nit = 0;
  int zero = 0;
  for (unsigned fi = 0; fi < d->nforms; fi++) {
    if (d->forms[fi].nitems > nit) nit = d->forms[fi].nitems;
    unsigned c[3], nc = form_wcts(d, fi, c);
    for (unsigned k = 0; k < nc; k++) zero |= c[k] == 0;
  }
  emit_users(t);
  emit_encoder_head(t);
  printf("  %s s;\n", ctype[t]);
  emit_copy_in();
  if (nit) {
    printf("  const int uni = (bld->flags2 & SMBW_FLAGS2_UNICODE) != 0;\n");
    printf("  (void)uni;\n");
    printf("  eitem it[%u];\n", nit);
  }
  printf("  uint32_t end;\n  int large = 0;\n  (void)large;\n");
  printf("  uint8_t *w;\n  smbw_wr wr;\n");
  printf("  int rc = view_ok(s.extra, 0xFFFF);\n  if (rc) " FAIL("rc") ";\n");
  printf("  const uint32_t start = smbw_block_start(bld);\n");
  printf("  uint8_t wct = s.wct;\n");
  if (!zero && !d->reply)
    printf("  if (wct == 0) wct = %u; /* a request left at 0: its first form */\n", d->forms[0].wct[0]);
  printf("  switch (wct) {\n");
  for (unsigned fi = 0; fi < d->nforms; fi++) {
    const smbw_form *f = &d->forms[fi];
    unsigned c[3], nc = form_wcts(d, fi, c);
    for (unsigned k = 0; k < nc; k++) {
      printf("  case %u: {\n", c[k]);
      if (f->carry50 && c[k] == 42) {
        printf("    if (s.nwords != 42) { /* 50 words unless it carried the 42 it declares */\n");
        emit_enc_form(t, fi, f, 42, 50);
        printf("    } else {\n");
        emit_enc_form(t, fi, f, 42, 42);
        printf("    }\n");
      } else {
        emit_enc_form(t, fi, f, c[k], c[k]);
      }
      printf("    break;\n  }\n");
    }
  }
  if (d->error_form && !zero) {
    printf("  case 0: /* the error form: no words, any bytes */\n");
    printf("    rc = enc_begin(bld, command, 0, 0, start + 3u, start + 3u, 0, s.extra, NULL, &w, &wr, fused);\n");
    printf("    if (rc) return enc_result(rc);\n    break;\n");
  }
  printf("  default:\n    " FAIL("SMBW_E_INVAL") ";\n  }\n");
  printf("  smbw_wr_bytes(&wr, s.extra.data, s.extra.len);\n  return 0;\n}\n\n");
}

/* A record's reader and writer: its rows at constant offsets inside the
   record (w), into and out of its struct. */
static int record_fixed(int k) {
  const smbw_recdesc *d = &smbw_records[k];
  for (unsigned i = 0; i < d->nrows; i++)
    if (d->rows[i].kind >= W_ANY) return 0; /* a length row or an item */
  return 1;
}

static void emit_record(int k) {
  const smbw_recdesc *d = &smbw_records[k];
  if (!record_fixed(k)) return; /* read by record.c alone */
  printf("/* %s: %u bytes */\n", d->name, d->size);
  printf("static void record_get_%s(const uint8_t *w, void *out, size_t size) {\n", d->name);
  printf("  %s s;\n  memset(&s, 0, sizeof s);\n", rtype[k]);
  for (unsigned i = 0; i < d->nrows; i++) emit_word_get(&d->rows[i], "  ");
  printf("  smbw_put_sized(out, size, &s, sizeof s);\n}\n\n");
  printf("static void record_put_%s(const void *in, size_t size, uint8_t *w) {\n", d->name);
  printf("  %s s;\n  memset(&s, 0, sizeof s);\n", rtype[k]);
  printf("  memcpy(&s, in, size < sizeof s ? size : sizeof s);\n");
  for (unsigned i = 0; i < d->nrows; i++) emit_word_put(&d->rows[i], "  ");
  printf("}\n\n");
}

int main(void) {
  printf("/* Generated by tools/gen_forms.c from lib/commands/forms.c: do not edit.\n"
         "   Regenerate with: build/tests/gen_forms > lib/commands/forms_gen.h\n"
         "   Included by form.c: one decoder and one encoder per layout (types\n"
         "   that share their forms share them; an encoder gets the command).\n"
         "   A decoder decodes into a local struct and copies it to the caller\n"
         "   only on success.  An encoder sizes the items and checks every value\n"
         "   before it writes a byte. */\n\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++)
    if (owner(t) == t) {
      emit_type(t);
      emit_entries(t);
    }
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++)
    if (owner(t) == t) {
      emit_encoder(t);
      emit_encoder_entries(t);
    }
  for (int k = 0; k < SMBW_RECORD_COUNT_; k++) emit_record(k);
  printf("typedef void (*record_get_fn)(const uint8_t *, void *, size_t);\n");
  printf("typedef void (*record_put_fn)(const void *, size_t, uint8_t *);\n\n");
  printf("static const record_get_fn record_gets[] = {\n");
  for (int k = 0; k < SMBW_RECORD_COUNT_; k++)
    printf(record_fixed(k) ? "    record_get_%s,\n" : "    NULL, /* %s */\n", smbw_records[k].name);
  printf("};\n\nstatic const record_put_fn record_puts[] = {\n");
  for (int k = 0; k < SMBW_RECORD_COUNT_; k++)
    printf(record_fixed(k) ? "    record_put_%s,\n" : "    NULL, /* %s */\n", smbw_records[k].name);
  printf("};\n\n");
  printf("typedef int (*decode_fn)(const smbw_block *, void *, size_t, dstate *, smbw_error *);\n\n");
  printf("static const decode_fn decoders[] = {\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) printf("    decode_%s,\n", ctype[owner(t)] + 5);
  printf("};\n\n");
  printf("typedef int (*parse_fn)(const uint8_t *, size_t, int, int, smbw_msg *, void *, size_t,\n"
         "                        size_t *, smbw_error *);\n\n");
  printf("/* By type; the last entry (an unknown type) is the slow path. */\n");
  printf("static const parse_fn parsers[] = {\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) printf("    parse_%s,\n", ctype[owner(t)] + 5);
  printf("    parse_typed_slow,\n};\n\n");
  printf("typedef int (*encode_fn)(smbw_builder *, uint8_t, const void *, size_t);\n\n");
  printf("static const encode_fn encoders[] = {\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) printf("    encode_%s,\n", ctype[owner(t)] + 5);
  printf("};\n\n");
  printf("typedef int (*build_fn)(uint8_t *, size_t, int, const smbw_header *, int, const void *,\n"
         "                        size_t, size_t *);\n\n");
  printf("/* By type; the last entry (an unknown type) refuses it. */\n");
  printf("static const build_fn builders[] = {\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) printf("    build_%s,\n", ctype[owner(t)] + 5);
  printf("    build_unknown,\n};\n");
  return 0;
}
