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

static void tree_nb_name(FILE *out, const char *label, const smbw_nb_name *n) {
  char plain[16], scope[256];
  smbw_nb_name_get(n, plain);
  fprintf(out, "  %s: \"", label);
  for (const char *c = plain; *c; c++) {
    unsigned char u = (unsigned char)*c;
    if (u < 0x20 || u >= 0x7F || u == '"' || u == '\\') fprintf(out, "\\x%02x", u);
    else fputc(u, out);
  }
  fprintf(out, "\"<%02x>", n->name[15]);
  if (n->scope.len) {
    smbw_nb_scope_to_text(n->scope, scope, sizeof scope, NULL);
    fprintf(out, " scope \"%s\"", scope);
  }
  fputc('\n', out);
}

void tree_dgram(dump_tree *t, const flow_dgram *g, const smbw_dgram *dg, int rc,
                const smbw_error *e, const txout *o, smbw_bytes whole, unsigned nfrag, int arc) {
  char a[48], b[48];
  FILE *out = t->out;
  if (flow_dgram_addrs(g, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
  fprintf(out, "Frame %" PRIu64 ", UDP datagram, %s:%u -> %s:%u, t=%.6f\n", g->frame, a, g->sport,
          b, g->dport, g->ts);
  if (rc) {
    fprintf(out, "NBDGM: !! %s (%s) at offset %" PRIu32 " field %s\n", smbw_errname(rc),
            smbw_strerror(rc), e->offset, e->field ? e->field : "?");
    fputc('\n', out);
    return;
  }
  const char *tn = smbw_dgram_type_name(dg->type);
  fprintf(out, "NBDGM %s (0x%02x) flags 0x%02x (%s%s node %s) id 0x%04x source %u.%u.%u.%u:%u\n",
          tn ? tn : "?", dg->type, dg->flags, dg->flags & SMBW_DGRAM_FLAG_FIRST ? "first" : "not first",
          dg->flags & SMBW_DGRAM_FLAG_MORE ? ", more" : "",
          smbw_dgram_node_name((uint8_t)((dg->flags & SMBW_DGRAM_FLAG_SNT_MASK) >> 2)), dg->id,
          dg->src_ip >> 24, (dg->src_ip >> 16) & 255u, (dg->src_ip >> 8) & 255u, dg->src_ip & 255u,
          dg->src_port);
  if (dg->type <= SMBW_DGRAM_BROADCAST) {
    fprintf(out, "  length %u, packet offset %u, user data %" PRIu32 " bytes\n", dg->length,
            dg->offset, dg->data.len);
    tree_nb_name(out, "source", &dg->source);
    tree_nb_name(out, "destination", &dg->destination);
    int frag = dg->offset != 0 || (dg->flags & SMBW_DGRAM_FLAG_MORE);
    if (frag && arc < 0)
      fprintf(out, "  fragment refused by the reassembler: %s\n", smbw_errname(arc));
    else if (frag && arc == 0)
      fprintf(out, "  fragment %u of a datagram, more to come\n", nfrag);
    else if (frag)
      fprintf(out, "  last fragment: reassembled from %u fragments, %" PRIu32 " bytes\n", nfrag,
              whole.len);
    if (!frag || arc == 1) {
      print_smb(out, whole.data, whole.len, 0);
      tree_tx(t, out, o);
    }
  } else if (dg->type == SMBW_DGRAM_ERROR) {
    const char *en = smbw_dgram_error_name(dg->error_code);
    fprintf(out, "  error 0x%02x: %s\n", dg->error_code, en ? en : "unknown");
  } else {
    tree_nb_name(out, "destination", &dg->destination);
  }
  fputc('\n', out);
}
