/**
 * @file parse.h
 * @brief One call that frames an NBSS packet, reads the SMB header and
 *        walks the AndX chain into the caller's array of blocks.
 *
 * smbw_parse() does what smbw_nbss_frame(), smbw_msg_decode() and a loop
 * of smbw_andx_iter_next() do, with the same checks, the same errors at the
 * same offsets, and the same blocks, in one pass and without a call per
 * block.  It is the entry point of a program that reads SMB off a socket
 * or a capture:
 *
 * @code
 *   smbw_parsed p;
 *   smbw_block blocks[8];
 *   size_t need = 0;
 *   smbw_error e;
 *   int n = smbw_parse(buf, len, SMBW_FRAMING_DIRECT, SMBW_PARSE_STRICT,
 *                      &p, blocks, 8, &need, &e);
 *   if (n == 0) { read `need` more bytes and call again }
 *   else if (n < 0) { bad input: e.code, e.offset, e.field }
 *   else { p.nblocks blocks of p.msg; consume n bytes }
 * @endcode
 *
 * Offsets in errors count from the NBSS header for framing errors (as
 * smbw_nbss_frame() reports them) and from the SMB header for everything
 * after it (as smbw_msg_decode() and the AndX walk report them).
 */
#ifndef SMBWIRE_PARSE_H
#define SMBWIRE_PARSE_H

#include <smbwire/message.h>
#include <smbwire/nbss.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Options of smbw_parse(). */
enum smbw_parse_opts {
  /** Every error fails the call: a monitor that must not act on a message
      a peer would reject, a server, a client. */
  SMBW_PARSE_STRICT = 0,
  /**
   * Give back what can be read.  Framing and header errors still fail, but
   * an error in the chain ends it instead: the blocks before it are
   * returned, and smbw_parsed::chain_error says what ended it and where.
   * A block whose ByteCount runs past the end of the message (a capture
   * with a snap length, a message cut by its sender) is returned with the
   * data bytes that are there and smbw_block::truncated set, and ends the
   * chain.  For dissectors and forensic tools.
   */
  SMBW_PARSE_LENIENT = 1
};

/**
 * What smbw_parse() found.  Written only on success, through the caller's
 * sizeof (smbw_parse() passes it), so the struct may grow at its end in a
 * later version (doc/abi.md).
 */
typedef struct smbw_parsed {
  smbw_nbss frame;      /**< the NBSS packet (always) */
  smbw_msg msg;         /**< the SMB message of a session message; all zero
                             for the other packet types (keepalive, session
                             request, responses) */
  uint32_t nblocks;     /**< blocks written to the caller's array */
  int chain_error;      /**< ::SMBW_PARSE_LENIENT: 0, or the SMBW_E_* code
                             that ended the chain after @c nblocks blocks
                             (always 0 in strict mode) */
  smbw_error chain_err; /**< its offset (from the SMB header) and field */
} smbw_parsed;

/**
 * The one-call parse; use the smbw_parse() wrapper, which passes the sizes.
 *
 * @param buf         bytes received so far, starting with an NBSS header
 * @param len         how many
 * @param framing     ::SMBW_FRAMING_NBT (port 139) or ::SMBW_FRAMING_DIRECT
 *                    (port 445)
 * @param opts        enum smbw_parse_opts
 * @param out         receives the packet, written only when a packet is
 *                    returned (> 0)
 * @param out_size    sizeof *out as the caller compiled it (at least the
 *                    size of smbw_parsed in 0.1); the library writes
 *                    min(out_size, its own size) bytes and zeroes the rest
 * @param blocks      array of @p max blocks, filled in chain order; scratch
 *                    until the call succeeds (entries may be written before
 *                    an error is found)
 * @param block_size  sizeof *blocks as the caller compiled it (at least
 *                    the size of smbw_block in 0.1); each entry is written
 *                    like @p out
 * @param max         entries in @p blocks (may be 0 with @p blocks NULL for
 *                    packets that are not session messages)
 * @param need        when 0 is returned: how many more bytes the packet
 *                    needs (at least); on SMBW_E_NOSPACE: how many blocks
 *                    the chain has (nullable)
 * @param err         receives code, offset and field on failure (nullable)
 * @return the length of the whole NBSS packet (> 0) on success, which the
 *         caller consumes; 0 when more bytes are needed; or the error of
 *         the framer (smbw_nbss_frame()), of the header (smbw_msg_decode(),
 *         offset from the SMB header) or of the chain (smbw_andx_iter_next()),
 *         SMBW_E_NOSPACE when the chain has more than @p max blocks, or
 *         SMBW_E_INVAL (NULL @p out, @p blocks NULL with @p max > 0, sizes
 *         below the 0.1 sizes, unknown @p framing or @p opts).
 */
SMBW_API int smbw_parse_(const uint8_t *buf, size_t len, int framing, unsigned opts,
                         smbw_parsed *out, size_t out_size, smbw_block *blocks,
                         size_t block_size, size_t max, size_t *need, smbw_error *err);

/** smbw_parse_() with the caller's struct sizes. */
static inline int smbw_parse(const uint8_t *buf, size_t len, int framing, unsigned opts,
                             smbw_parsed *out, smbw_block *blocks, size_t max, size_t *need,
                             smbw_error *err) {
  return smbw_parse_(buf, len, framing, opts, out, sizeof *out, blocks, sizeof *blocks, max,
                     need, err);
}

#ifdef __cplusplus
}
#endif

#endif
