/*
 * gen_words: writes lib/commands/words_gen.h, the word rows of every form
 * as straight-line C, from the row tables of lib/commands/forms.c.
 *
 *   build/tests/gen_words > lib/commands/words_gen.h
 *
 * The rows stay the one description: this program reads them (it links
 * the static library) and prints, for every form and every number of
 * words a block of it can carry, one function that stores those rows
 * without interpreting them at run time: the wire offsets and widths
 * become constants, and the rows a WordCount does not carry are left out.  `meson test words-generated` fails when the
 * committed file is not what this program prints.
 */
#include <stdio.h>

#include "../lib/commands/form.h"

/* One function: the rows of form f present with n words. */
static void emit(int t, unsigned fi, const smbw_form *f, unsigned n) {
  const smbw_typedesc *d = &smbw_types[t];
  printf("/* %s, %s: %u words */\n", d->name, f->spec, n);
  printf("static void words_%d_%u_%u(const uint8_t *w, uint8_t *v, wloc *L, const smbw_row *rows) {\n",
         t, fi, n);
  int uses_l = 0, uses_rows = 0;
  for (unsigned i = 0; i < f->nwords_rows; i++) {
    const smbw_row *r = &f->words[i];
    if (r->off + smbw_row_width(r) > 2u * n) continue;
    /* Members by rows[i].m, not as numbers: struct layouts differ
       between ABIs (32-bit pointers), wire offsets do not. */
    unsigned o = r->off, ref = r->ref;
    char m[32];
    snprintf(m, sizeof m, "rows[%u].m", i);
    if (r->kind < W_LEN8 || r->m != SMBW_NOM) uses_rows = 1;
    printf("  /* %s */ ", r->name);
    switch (r->kind) {
    case W_U8: printf("put_u8(v, %s, w[%u]);\n", m, o); break;
    case W_U16: printf("put_u16(v, %s, ld16(w + %u));\n", m, o); break;
    case W_U32: printf("put_u32(v, %s, ld32(w + %u));\n", m, o); break;
    case W_U64: printf("put_u64(v, %s, ld64(w + %u));\n", m, o); break;
    case W_ANDX: printf("put_andx(v, %s, w + %u);\n", m, o); break;
    case W_RAW: printf("memcpy(v + %s, w + %u, %u);\n", m, o, r->arg); break;
    case W_LO16: printf("put_u32(v, %s, get_u32(v, %s) | ld16(w + %u));\n", m, m, o); break;
    case W_HI16:
      printf("put_u32(v, %s, get_u32(v, %s) | (uint32_t)ld16(w + %u) << 16);\n", m, m, o);
      break;
    case W_LO32: printf("put_u64(v, %s, get_u64(v, %s) | ld32(w + %u));\n", m, m, o); break;
    case W_HI32:
      printf("put_u64(v, %s, get_u64(v, %s) | (uint64_t)ld32(w + %u) << 32);\n", m, m, o);
      break;
    case W_LEN8:
      printf("L->ilen[%u] = w[%u];\n  L->lenrow[%u] = &rows[%u];\n", ref, o, ref, i);
      uses_l = uses_rows = 1;
      break;
    case W_LEN16:
      printf("L->ilen[%u] |= ld16(w + %u);\n  L->lenrow[%u] = &rows[%u];\n", ref, o, ref, i);
      if (r->m != SMBW_NOM) printf("  put_u32(v, %s, L->ilen[%u]);\n", m, ref);
      uses_l = uses_rows = 1;
      break;
    case W_LENHI16: {
      printf("L->ilen[%u] |= (uint32_t)ld16(w + %u) << 16;\n", ref, o);
      /* the member of a W_LEN16 row of the same item read before it */
      for (unsigned k = 0; k < i; k++) {
        const smbw_row *q = &f->words[k];
        if (q->kind == W_LEN16 && q->ref == ref && q->m != SMBW_NOM &&
            q->off + smbw_row_width(q) <= 2u * n)
          printf("  put_u32(v, rows[%u].m, L->ilen[%u]);\n", k, ref);
      }
      uses_l = uses_rows = 1;
      break;
    }
    case W_DOFF16:
      printf("L->ioff[%u] = ld16(w + %u);\n  L->offrow[%u] = &rows[%u];\n", ref, o, ref, i);
      uses_l = uses_rows = 1;
      break;
    case W_CNT16:
      printf("L->ilen[%u] = ld16(w + %u);\n  L->lenrow[%u] = &rows[%u];\n", ref, o, ref, i);
      if (r->m != SMBW_NOM) printf("  put_u16(v, %s, (uint16_t)L->ilen[%u]);\n", m, ref);
      uses_l = uses_rows = 1;
      break;
    default: printf("\n"); break;
    }
  }
  if (!uses_l) printf("  (void)L;\n");
  if (!uses_rows) printf("  (void)rows;\n");
  printf("}\n\n");
}

/* The word counts a block of form f can carry (the extended NT_CREATE_ANDX
   response says 42 and carries 50). */
static unsigned counts(const smbw_form *f, unsigned out[4]) {
  unsigned n = 0;
  for (unsigned k = 0; k < 3; k++) {
    unsigned c = f->wct[k];
    if (!c) continue;
    int seen = 0;
    for (unsigned j = 0; j < n; j++) seen |= out[j] == c;
    if (!seen) out[n++] = c;
    if (f->carry50 && c == 42) out[n++] = 50;
  }
  return n;
}

/* Call fn for every (form, number of words) of type t that has word rows. */
static void each_function(int t, void (*fn)(int, unsigned, const smbw_form *, unsigned)) {
  const smbw_typedesc *d = &smbw_types[t];
  for (unsigned fi = 0; fi < d->nforms; fi++) {
    const smbw_form *f = &d->forms[fi];
    if (!f->nwords_rows) continue;
    unsigned c[4];
    unsigned nc = counts(f, c);
    for (unsigned k = 0; k < nc; k++) fn(t, fi, f, c[k]);
  }
}

/* One line of words_fast()'s dispatch. */
static void emit_case(int t, unsigned fi, const smbw_form *f, unsigned n) {
  (void)f;
  printf("    if (form == %u && nwords == %u) return words_%d_%u_%u(w, v, L, rows), 1;\n", fi, n, t,
         fi, n);
}

int main(void) {
  printf("/* Generated by tools/gen_words.c from lib/commands/forms.c: do not edit.\n"
         "   Regenerate with: build/tests/gen_words > lib/commands/words_gen.h\n"
         "   Included by form.c: each function stores the word rows of one form\n"
         "   carried with one number of words. */\n\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) each_function(t, emit);
  printf("/* Runs the generated function for (type, form, words): 1, or 0 when\n"
         "   there is none (words_gen.h is stale). */\n");
  printf("static int words_fast(int type, unsigned form, unsigned nwords, const uint8_t *w,\n"
         "                      uint8_t *v, wloc *L, const smbw_row *rows) {\n");
  printf("  switch (type) {\n");
  for (int t = 0; t < SMBW_TYPE_COUNT_; t++) {
    const smbw_typedesc *d = &smbw_types[t];
    int any = 0;
    for (unsigned fi = 0; fi < d->nforms; fi++) any |= d->forms[fi].nwords_rows != 0;
    if (!any) continue;
    printf("  case %d: /* %s */\n", t, d->name);
    each_function(t, emit_case);
    printf("    return 0;\n");
  }
  printf("  default:\n    return 0;\n  }\n}\n");
  return 0;
}
