/*
 * Every described message type (lib/commands/forms.c), from its rows: no
 * family list and no fixed-width selector, so a type added to the
 * description is fuzzed without touching this file.
 *
 * Input: two bytes select the type (modulo the number of types), one byte
 * the header's Flags2 (bit 0: FLAGS2_UNICODE), then one block (WordCount,
 * words, ByteCount, bytes, and whatever follows).  The security model
 * asserted here (doc/security.md):
 *  - decoding reads nothing outside the message (guard page) and, on
 *    failure, leaves the output untouched and names a field at an offset
 *    inside the message;
 *  - a decoded block re-encodes byte for byte (the whole block, and data
 *    past ByteCount for a read or write over 64 KiB), with the exact size
 *    asked for first, and never writes past the output it was given;
 *  - the visitor reports fields in order, inside the message, and covers
 *    the parameter words exactly once;
 *  - the records of a data block (SEARCH's directory entries, ...) read
 *    back and write again byte for byte (smbw_record_get_/put_).
 */
#include "../lib/commands/form.h"
#include "fuzz_common.h"

#define STAGE 512

typedef struct vstate {
  const smbw_block *b;
  uint32_t last, next, wend;
} vstate;

static int visit(void *ctx, const smbw_field *f) {
  vstate *s = ctx;
  CHECK(f->name != NULL);
  CHECK(f->offset >= s->last);
  CHECK((uint64_t)f->offset + f->width <= s->b->msg_len || f->kind == SMBW_FIELD_STR);
  s->last = f->offset;
  if (f->offset > s->b->offset && f->offset < s->wend) {
    CHECK(f->offset == s->next);
    s->next += f->width;
  }
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 4 || size > FZ_MAX) return 0;
  int type = (int)((data[0] | (unsigned)data[1] << 8) % SMBW_TYPE_COUNT_);
  const smbw_typedesc *t = &smbw_types[type];
  uint8_t msgbuf[32];
  memset(msgbuf, 0, sizeof msgbuf);
  memcpy(msgbuf, "\xffSMB", 4);
  msgbuf[4] = t->command;
  msgbuf[9] = t->reply ? SMBW_FLAGS_REPLY : 0;
  msgbuf[10] = (uint8_t)((data[2] & 1) ? SMBW_FLAGS2_UNICODE : 0);
  msgbuf[11] = 0x40; /* NT status */
  size_t n = 32 + size - 3;
  static uint8_t whole[FZ_MAX + 32];
  memcpy(whole, msgbuf, 32);
  memcpy(whole + 32, data + 3, size - 3);
  const uint8_t *p = fz_place(0, whole, n);

  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  if (smbw_msg_decode(p, n, &m, NULL) != 0) return 0;
  smbw_andx_iter_init(&it, &m);
  if (smbw_andx_iter_next(&it, &b, NULL) != 1) return 0;

  /* decode: on failure the output is untouched */
  uint8_t *out = fz_out(1, STAGE);
  smbw_error e = {0, 0, NULL};
  int rc = smbw_decode_(&b, type, out, t->size, &e);
  if (rc) {
    for (size_t i = 0; i < STAGE; i++) CHECK(out[i] == 0xA5);
    CHECK(e.code == rc && e.field != NULL && e.offset < n);
    CHECK(smbw_block_visit(&b, visit, &(vstate){&b, 0, 0, 0}, NULL) == rc);
    return 0;
  }
  for (size_t i = t->size; i < STAGE; i++) CHECK(out[i] == 0xA5);

  vstate vs = {&b, 0, b.offset + 1u, b.offset + 1u + 2u * b.nwords};
  CHECK(smbw_block_visit(&b, visit, &vs, NULL) == 0);
  CHECK(vs.next == vs.wend);

  /* the records a data block holds: each reads and writes back the same */
  for (unsigned i = 0; i < (b.wct ? 8u : 0u); i++) {
    const smbw_form *f = NULL;
    for (unsigned k = 0; k < t->nforms && !f; k++)
      for (unsigned j = 0; j < 3; j++)
        if (t->forms[k].wct[j] == b.wct && b.wct) f = &t->forms[k];
    if (!f || i >= f->nitems || f->items[i].kind != I_DBLOCK || !f->items[i].arg) continue;
    const int rec = f->items[i].arg - 1;
    const smbw_recdesc *d = &smbw_records[rec];
    smbw_bytes area;
    memcpy(&area, out + f->items[i].m, sizeof area);
    uint8_t *rbuf = fz_out(2, STAGE), *wire = fz_out(3, 64); /* reused below */
    for (uint32_t k = 0; k < area.len / d->size; k++) {
      CHECK(smbw_record_get_(rec, area, k, rbuf, d->ssize) == 0);
      CHECK(smbw_record_put_(rec, rbuf, d->ssize, wire, d->size) == d->size);
      CHECK(memcmp(wire, area.data + (size_t)k * d->size, d->size) == 0);
    }
    CHECK(smbw_record_get_(rec, area, area.len / d->size, rbuf, d->ssize) == SMBW_E_INVAL);
  }

  /* re-encode: the size first, then into exactly that much */
  smbw_header h;
  CHECK(smbw_header_decode(p, n, &h, NULL) == 0);
  smbw_builder bld;
  size_t need = 0, got = 0;
  CHECK(smbw_builder_init(&bld, NULL, 0, SMBW_FRAMING_NONE, &h) == 0);
  rc = smbw_encode_(&bld, type, out, t->size);
  if (rc == 0) rc = smbw_builder_finish(&bld, &need);
  if (rc == SMBW_E_RANGE) return 0; /* a decoded value no encoder can write: none known */
  CHECK(rc == SMBW_E_NOSPACE);
  uint8_t *enc = fz_out(2, need);
  CHECK(smbw_builder_init(&bld, enc, need, SMBW_FRAMING_NONE, &h) == 0);
  CHECK(smbw_encode_(&bld, type, out, t->size) == 0);
  CHECK(smbw_builder_finish(&bld, &got) == 0 && got == need);
  for (size_t i = 0; i < FZ_CANARY; i++) CHECK(enc[(ptrdiff_t)i - (ptrdiff_t)FZ_CANARY] == 0xCD);

  /* byte for byte, for a block that ends the chain: the encoder writes
     AndXCommand 0xFF and its own AndXOffset only for a chain it links */
  int last = !smbw_andx_cmd(b.command) || b.nwords < 2 || b.words[0] == 0xFF;
  if (last) {
    size_t end = (size_t)(b.bytes - p) + b.bcc;
    CHECK(got >= end && got <= n);
    CHECK(memcmp(enc, p, got) == 0);
  }
  /* and decodes to the same fields */
  smbw_msg m2;
  smbw_block b2;
  CHECK(smbw_msg_decode(enc, got, &m2, NULL) == 0);
  smbw_andx_iter_init(&it, &m2);
  CHECK(smbw_andx_iter_next(&it, &b2, NULL) == 1);
  uint8_t *out2 = fz_out(3, STAGE);
  CHECK(smbw_decode_(&b2, type, out2, t->size, NULL) == 0);
  CHECK(b2.wct == b.wct && b2.nwords == b.nwords && b2.bcc == b.bcc);
  return 0;
}
