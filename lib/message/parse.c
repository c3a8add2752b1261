/*
 * The one-call parse (parse.h): the framer (nbss/frame.h), the header
 * checks of smbw_msg_decode() and the AndX walk (walk.h) in one pass.  It
 * shares their code, not their calls, so it reports exactly what they
 * report, and costs one call instead of three plus one per block.
 */
#include <string.h>

#include <smbwire/parse.h>

#include "../nbss/frame.h"
#include "walk.h"

/* Copy one of our blocks into the caller's entry, which is at least as
   large (checked on entry): the bytes we know, then zeros for fields the
   caller's header has and ours does not. */
static void put_block(void *dst, size_t dst_size, const smbw_block *src) {
  memcpy(dst, src, sizeof *src);
  if (dst_size > sizeof *src) memset((uint8_t *)dst + sizeof *src, 0, dst_size - sizeof *src);
}

/* Write the result: field by field (no staging copy), then zeros for the
   fields of a larger caller's struct. */
static int put_result(smbw_parsed *out, size_t out_size, const smbw_nbss *f, const smbw_msg *m,
                      uint32_t n, int chain_error, const smbw_error *chain_err, int total) {
  out->frame = *f;
  out->msg = *m;
  out->nblocks = n;
  out->chain_error = chain_error;
  out->chain_err = *chain_err;
  if (SMBW_UNLIKELY(out_size > sizeof *out))
    memset((uint8_t *)out + sizeof *out, 0, out_size - sizeof *out);
  return total;
}

SMBW_API int smbw_parse_(const uint8_t *buf, size_t len, int framing, unsigned opts,
                         smbw_parsed *out, size_t out_size, smbw_block *blocks,
                         size_t block_size, size_t max, size_t *need, smbw_error *err) {
  if (SMBW_UNLIKELY(!out || out_size < sizeof(smbw_parsed) || opts > SMBW_PARSE_LENIENT ||
                    (max && (!blocks || block_size < sizeof(smbw_block)))))
    return smbw_fail(err, SMBW_E_INVAL, 0, !out || out_size < sizeof *out ? "out" : "blocks");
  smbw_nbss f;
  int total = smbw_frame(buf, len, framing, &f, need, err);
  if (total <= 0) return total;
  smbw_msg m = {.data = NULL, .len = 0};
  smbw_error chain_err = {0, 0, NULL};
  if (f.type != SMBW_NBSS_SESSION_MESSAGE) {
    memset(&m.hdr, 0, sizeof m.hdr);
    return put_result(out, out_size, &f, &m, 0, 0, &chain_err, total);
  }

  /* The header: smbw_msg_decode()'s checks, in its order. */
  if (SMBW_UNLIKELY(f.length < SMBW_HEADER_SIZE))
    return smbw_fail(err, SMBW_E_TRUNCATED, f.length, "Header");
  if (SMBW_UNLIKELY(ld32(f.payload) != SMBW_MAGIC32))
    return smbw_fail(err, SMBW_E_HDR_PROTOCOL, 0, "Protocol");
  smbw_header_read(f.payload, &m.hdr);
  m.data = f.payload;
  m.len = f.length;

  /* The chain.  Blocks go straight into the caller's array when its
     entries have our size, through a local copy otherwise; past max they
     are still walked (into the local one), so that a strict parse checks
     the whole chain and NOSPACE can say how many blocks there are. */
  const int lenient = opts == SMBW_PARSE_LENIENT;
  const int direct = block_size == sizeof(smbw_block);
  uint32_t off = SMBW_HEADER_SIZE, n = 0;
  uint8_t cmd = m.hdr.command;
  int chain_error = 0;
  smbw_block local;
  while (off) {
    smbw_block *b = direct && n < max ? &blocks[n] : &local;
    smbw_walk w;
    smbw_error e;
    int rc = smbw_walk_block(&m, off, cmd, (uint8_t)(n < 255 ? n : 255), lenient, b, &w, &e);
    if (SMBW_UNLIKELY(rc < 0)) {
      if (!lenient) return smbw_fail(err, rc, e.offset, e.field);
      chain_error = rc;
      chain_err = e;
      break;
    }
    if (!direct && n < max) put_block((uint8_t *)blocks + (size_t)n * block_size, block_size, b);
    n++;
    if (SMBW_UNLIKELY(w.link_bad)) {
      int code = smbw_link_error(&m, off, w.end, b->andx_offset);
      if (!lenient) return smbw_fail(err, code, off + 3u, "AndXOffset");
      chain_error = code;
      chain_err.code = code;
      chain_err.offset = off + 3u;
      chain_err.field = "AndXOffset";
      break;
    }
    off = w.next;
    cmd = w.next_cmd;
  }
  if (SMBW_UNLIKELY(n > max)) {
    if (need) *need = n;
    return smbw_fail(err, SMBW_E_NOSPACE, 0, "blocks");
  }
  return put_result(out, out_size, &f, &m, n, chain_error, &chain_err, total);
}
