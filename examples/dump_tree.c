/*
 * smbdump's -V output (see dump_tree.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_tree.h"

#include <inttypes.h>

#include "print.h"

/* -V: the reassembled view, after the message's field tree. */
static void tree_tx(dump_tree *t, FILE *out, const txout *o) {
  if (o->done) {
    char lb[32];
    const char *label = info_command_label(o->command);
    fprintf(out, "  transaction complete: %s", label ? label : "?");
    if (o->has_sub) {
      fprintf(out, " %s (0x%04x)", o->sub_name ? o->sub_name : info_sub_label(o->command, o->sub, lb, sizeof lb),
              o->sub);
    }
    fprintf(out, ", %u fragment%s\n", o->fragments, o->fragments == 1 ? "" : "s");
    const smbw_bytes *v[2] = {&o->params, &o->data};
    for (int k = 0; k < 2; k++) {
      fprintf(out, "    %s (%" PRIu32 " bytes)", k ? "data" : "parameters", v[k]->len);
      if (v[k]->len) {
        fputs(": ", out);
        uint32_t n = v[k]->len < 64 ? v[k]->len : 64;
        for (uint32_t i = 0; i < n; i++) fprintf(out, "%02x", v[k]->data[i]);
        if (n < v[k]->len) fputs("...", out);
      }
      fputc('\n', out);
    }
    payload_in(t->pv, PV_TREE, o, out);
  }
  if (o->err)
    fprintf(out, "  !! transaction refused: %s (%s) at offset %" PRIu32 " field %s\n",
            smbw_errname(o->err), smbw_strerror(o->err), o->e.offset, o->e.field ? o->e.field : "?");
}

void tree_message(dump_tree *t, const flow_msg *m, const txout *o) {
  char a[48], b[48];
  FILE *out = t->out;
  if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
  fprintf(out, "Frame %" PRIu64 ", stream %" PRIu32 " (%s), %s:%u -> %s:%u, t=%.6f\n", m->frame,
          m->stream, m->c2s ? "client to server" : "server to client", a, m->sport, b, m->dport,
          m->ts);
  print_message(out, m->nbss, m->len, m->transport, !m->c2s);
  tree_tx(t, out, o);
  fputc('\n', out);
}
