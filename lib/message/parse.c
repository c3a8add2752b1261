/*
 * The one-call parse (parse.h): the framer (nbss/frame.h), the header
 * checks of smbw_msg_decode() and the AndX walk (walk.h) in one pass.  It
 * shares their code, not their calls, so it reports exactly what they
 * report, and costs one call instead of three plus one per block.
 */
#include <stddef.h>
#include <string.h>

#include <smbwire/parse.h>

#include "../nbss/frame.h"
#include "walk.h"

/* The 0.1 layouts end with these members; a caller's struct may be larger
   (a newer header) or smaller (an older header, once ours has grown), but
   never smaller than that.  Members added later go after them (doc/abi.md),
   so these stay the 0.1 sizes however the structs grow. */
#define PARSED_MIN_SIZE (offsetof(smbw_parsed, chain_err) + sizeof(smbw_error))
#define BLOCK_MIN_SIZE (offsetof(smbw_block, reserved_) + 2 * sizeof(uintptr_t))

/* Write the result through the caller's size: straight into the caller's
   struct when it has our size, else through a zeroed copy of ours. */
static inline int put_result(smbw_parsed *out, size_t out_size, const smbw_nbss *f,
                             const smbw_msg *m, uint32_t n, int chain_error,
                             const smbw_error *chain_err, int total) {
  smbw_parsed r;
  smbw_parsed *p = SMBW_LIKELY(out_size == sizeof *out) ? out : &r;
  if (p == &r) memset(&r, 0, sizeof r);
  p->frame = *f;
  p->msg = *m;
  p->nblocks = n;
  p->chain_error = chain_error;
  p->chain_err = *chain_err;
  if (p == &r) smbw_put_sized(out, out_size, &r, sizeof r);
  return total;
}

SMBW_API int smbw_parse_(const uint8_t *buf, size_t len, int framing, unsigned opts,
                         smbw_parsed *out, size_t out_size, smbw_block *blocks,
                         size_t block_size, size_t max, size_t *need, smbw_error *err) {
  if (SMBW_UNLIKELY(!out || out_size < PARSED_MIN_SIZE || opts > SMBW_PARSE_LENIENT ||
                    (max && (!blocks || block_size < BLOCK_MIN_SIZE))))
    return smbw_fail(err, SMBW_E_INVAL, 0, !out || out_size < PARSED_MIN_SIZE ? "out" : "blocks");
  smbw_nbss f;
  int total = smbw_frame(buf, len, framing, &f, need, err);
  if (total <= 0) return total;
  smbw_msg m = {.data = NULL, .len = 0};
  smbw_error chain_err = {0, 0, NULL};
  if (f.type != SMBW_NBSS_SESSION_MESSAGE) {
    memset(&m.hdr, 0, sizeof m.hdr);
    return put_result(out, out_size, &f, &m, 0, 0, &chain_err, total);
  }

  /* The header: smbw_msg_decode()'s checks. */
  int rc = smbw_header_check(f.payload, f.length, &m.hdr, err);
  if (SMBW_UNLIKELY(rc)) return rc;
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
    rc = smbw_walk_block(&m, off, cmd, (uint8_t)(n < 255 ? n : 255), lenient, b, &w, &e);
    if (SMBW_UNLIKELY(rc < 0)) {
      if (!lenient) return smbw_fail(err, rc, e.offset, e.field);
      chain_error = rc;
      chain_err = e;
      break;
    }
    if (!direct && n < max)
      smbw_put_sized((uint8_t *)blocks + (size_t)n * block_size, block_size, b, sizeof *b);
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
