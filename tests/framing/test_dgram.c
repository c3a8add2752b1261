/*
 * test_dgram.c - NetBIOS datagram service (include/smbwire/dgram.h,
 * lib/nbss/dgram.c) against the datagrams of tests/framing/dgram.vec
 * (recorded by tests/golden/record_dgram.sh, fields from tshark 4.0): every
 * field of every packet type agrees with tshark's nbdgm.*, the mailslot SMB
 * inside decodes with smbw_msg_decode(), the AndX walk and
 * smbw_trans_req_decode() (name and data count as tshark's), re-encoding is
 * byte-exact, every cap below the size is refused without a write, every
 * truncation and bad length fails with its code, field and offset, and the
 * output is written only on success.
 *
 * Inputs are placed against a PROT_NONE page (guard.h): a read past the
 * bytes given faults; outputs likewise.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#include "check_helpers.h"
#include "guard.h"
#include "vec.h"

#define MAXD 1024u

static const vec_file *vecs(void) { return vec_data("framing/dgram.vec", 64); }

/* tshark's name text: the 15 name bytes without trailing spaces (bytes
   outside 0x20..0x7E as <XX>), "<XX>" for the suffix, then ".scope". */
static void name_text(const smbw_nb_name *n, char *out, size_t cap) {
  size_t k = 15, o = 0;
  while (k > 0 && n->name[k - 1] == ' ') k--;
  for (size_t i = 0; i < k; i++) {
    uint8_t c = n->name[i];
    if (c >= 0x20 && c < 0x7F) o += (size_t)snprintf(out + o, cap - o, "%c", c);
    else o += (size_t)snprintf(out + o, cap - o, "<%02x>", c);
  }
  o += (size_t)snprintf(out + o, cap - o, "<%02x>", n->name[15]);
  if (n->scope.len) {
    out[o++] = '.';
    smbw_nb_scope_to_text(n->scope, out + o, cap - o, NULL);
  }
}

static void ip_text(uint32_t ip, char out[16]) {
  snprintf(out, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

static int has_names(uint8_t type) { return type >= 0x10 && type <= 0x12; }

/* ---- every recorded datagram agrees with tshark ---------------------------- */

START_TEST(test_vectors_fields) {
  const vec_file *vf = vecs();
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, MAXD), 0);
  unsigned types = 0;
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    const uint8_t *p = guard_place(&g, m->bytes, m->len);
    smbw_dgram d;
    smbw_error err = {0, 0, NULL};
    int rc = smbw_dgram_decode(p, m->len, &d, &err);
    ck_assert_msg(rc == 0, "frame %u: %s at %u (%s)", m->frame, smbw_errname(rc), err.offset,
                  err.field);
    types |= 1u << (d.type - 0x10);
    unsigned long long got[] = {d.type, d.flags, d.flags & 1u, (d.flags >> 1) & 1u,
                                (d.flags >> 2) & 3u, d.id, d.src_port};
    unsigned long long want[] = {vec_num(m, "nbdgm.type", 0, 999), vec_num(m, "nbdgm.flags", 0, 999),
                                 vec_num(m, "nbdgm.next", 0, 999), vec_num(m, "nbdgm.first", 0, 999),
                                 vec_num(m, "nbdgm.node_type", 0, 999),
                                 vec_num(m, "nbdgm.dgram_id", 0, 99999),
                                 vec_num(m, "nbdgm.src.port", 0, 99999)};
    VALUES_ARE("type flags next first node_type dgram_id src.port", got, want);
    char ip[16];
    ip_text(d.src_ip, ip);
    ck_assert_str_eq(ip, vec_get(m, "nbdgm.src.ip"));
    char txt[600];
    if (has_names(d.type)) {
      ck_assert_uint_eq(d.length, vec_num(m, "nbdgm.dgram_len", 0, 99999));
      ck_assert_uint_eq(d.offset, vec_num(m, "nbdgm.pkt_offset", 0, 99999));
      name_text(&d.source, txt, sizeof txt);
      ck_assert_str_eq(txt, vec_get(m, "nbdgm.source_name"));
    } else {
      ck_assert_ptr_null(vec_get(m, "nbdgm.dgram_len"));
      ck_assert_ptr_null(vec_get(m, "nbdgm.source_name"));
      ck_assert_uint_eq(d.length, 0);
      ck_assert_uint_eq(d.data.len, 0);
    }
    if (d.type == SMBW_DGRAM_ERROR) {
      ck_assert_uint_eq(d.error_code, vec_num(m, "nbdgm.error_code", 0, 999));
      ck_assert_ptr_nonnull(smbw_dgram_error_name(d.error_code));
      ck_assert_ptr_null(vec_get(m, "nbdgm.destination_name"));
    } else {
      ck_assert_ptr_null(vec_get(m, "nbdgm.error_code"));
      name_text(&d.destination, txt, sizeof txt);
      ck_assert_str_eq(txt, vec_get(m, "nbdgm.destination_name"));
    }
    ck_assert_ptr_nonnull(smbw_dgram_type_name(d.type));
  }
  ck_assert_uint_eq(types, 0x7F); /* every packet type was recorded */
  guard_free(&g);
}
END_TEST

/* The user data of a whole (unfragmented) DIRECT/BROADCAST datagram is an
   SMB TRANSACTION to a mailslot: the library's message, block and
   transaction decoders read it, with tshark's name and counts. */
START_TEST(test_vectors_mailslot_smb) {
  const vec_file *vf = vecs();
  unsigned n_smb = 0;
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    smbw_dgram d;
    ck_assert_int_eq(smbw_dgram_decode(m->bytes, m->len, &d, NULL), 0);
    const char *slot = vec_get(m, "mailslot.name");
    if (!has_names(d.type) || d.offset != 0 || (d.flags & SMBW_DGRAM_FLAG_MORE)) {
      if (!has_names(d.type)) ck_assert_ptr_null(slot);
      continue;
    }
    ck_assert_ptr_nonnull(slot);
    smbw_msg msg;
    smbw_error err = {0, 0, NULL};
    ck_assert_int_eq(smbw_msg_decode(d.data.data, d.data.len, &msg, &err), 0);
    ck_assert_uint_eq(msg.hdr.command, vec_num(m, "smb.cmd", 0, 999));
    smbw_andx_iter it;
    smbw_block b;
    smbw_andx_iter_init(&it, &msg);
    ck_assert_int_eq(smbw_andx_iter_next(&it, &b, &err), 1);
    ck_assert_uint_eq(b.wct, vec_num(m, "smb.wct", 0, 999));
    ck_assert_uint_eq(b.bcc, vec_num(m, "smb.bcc", 0, 99999));
    smbw_trans_req t;
    int rc = smbw_trans_req_decode(&b, &t, &err);
    ck_assert_msg(rc == 0, "frame %u: %s at %u (%s)", m->frame, smbw_errname(rc), err.offset,
                  err.field);
    char name[64];
    ck_assert_uint_lt(t.name.len, sizeof name);
    memcpy(name, t.name.data, t.name.len);
    name[t.name.len] = 0;
    ck_assert_str_eq(name, slot);
    ck_assert_uint_eq(t.data.len, vec_num(m, "smb.dc", 0, 99999));
    ck_assert_uint_eq(t.data_offset, vec_num(m, "smb.data_offset", 0, 99999));
    ck_assert_uint_eq(t.setup.len, 6);
    ck_assert_uint_eq(smbw_trans_setup(t.setup, 0), vec_num(m, "mailslot.opcode", 0, 999));
    n_smb++;
  }
  ck_assert_uint_ge(n_smb, 6);
}
END_TEST

/* Re-encoding gives the bytes back; the size query and every smaller cap
   are refused with the size and without a write. */
START_TEST(test_vectors_roundtrip) {
  const vec_file *vf = vecs();
  guard_buf g;
  ck_assert_int_eq(guard_init(&g, MAXD), 0);
  uint8_t fill[MAXD];
  memset(fill, 0xA5, sizeof fill);
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    smbw_dgram d;
    ck_assert_int_eq(smbw_dgram_decode(m->bytes, m->len, &d, NULL), 0);
    size_t need = 0;
    ck_assert_int_eq(smbw_dgram_encode(NULL, 0, &d, &need), SMBW_E_NOSPACE);
    ck_assert_uint_eq(need, m->len);
    for (size_t cap = 0; cap <= m->len; cap++) {
      uint8_t *out = guard_place(&g, fill, cap);
      size_t len = 0;
      int rc = smbw_dgram_encode(out, cap, &d, &len);
      ck_assert_uint_eq(len, m->len);
      if (cap < m->len) {
        ck_assert_int_eq(rc, SMBW_E_NOSPACE);
        ck_assert_int_eq(memcmp(out, fill, cap), 0);
      } else {
        ck_assert_int_eq(rc, 0);
        ck_assert_int_eq(memcmp(out, m->bytes, m->len), 0);
      }
    }
    /* DGM_LENGTH is computed: a wrong one in the struct changes nothing. */
    d.length = (uint16_t)(d.length + 7);
    uint8_t out[MAXD];
    ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &d, NULL), 0);
    ck_assert_int_eq(memcmp(out, m->bytes, m->len), 0);
  }
  guard_free(&g);
}
END_TEST

/* ---- truncations and bad lengths ------------------------------------------ */

/* Decode must fail with code/offset/field and leave out untouched. */
static void refused(const uint8_t *src, size_t n, int code, uint32_t off, const char *field) {
  static guard_buf g;
  static int init;
  if (!init) {
    ck_assert_int_eq(guard_init(&g, MAXD + 8), 0);
    init = 1;
  }
  const uint8_t *p = guard_place(&g, src, n);
  smbw_dgram d, before;
  memset(&d, 0x5A, sizeof d);
  before = d;
  smbw_error err = {0, 0, NULL};
  int rc = smbw_dgram_decode(n ? p : NULL, n, &d, &err);
  ck_assert_msg(rc == code, "len %zu: %s, want %s", n, smbw_errname(rc), smbw_errname(code));
  err_is(&err, code, off, field);
  ck_assert_int_eq(memcmp(&d, &before, sizeof d), 0);
}

/* Every prefix of every datagram is refused: the header fields, the names
   and the user data are all bounded by DGM_LENGTH or the exact size. */
START_TEST(test_truncations) {
  const vec_file *vf = vecs();
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *m = &vf->msgs[i];
    uint8_t type = m->bytes[0];
    for (size_t n = 0; n < m->len; n++) {
      if (n < SMBW_DGRAM_HEADER_SIZE) {
        refused(m->bytes, n, SMBW_E_TRUNCATED, (uint32_t)n, "MSG_TYPE");
      } else if (has_names(type)) {
        if (n < SMBW_DGRAM_DATA_HEADER_SIZE) refused(m->bytes, n, SMBW_E_TRUNCATED, (uint32_t)n, "DGM_LENGTH");
        else refused(m->bytes, n, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
      } else if (type == SMBW_DGRAM_ERROR) {
        refused(m->bytes, n, SMBW_E_TRUNCATED, 10, "ERROR_CODE");
      } else {
        /* A query cut inside its name (the recorded ones have no scope). */
        refused(m->bytes, n, SMBW_E_TRUNCATED, 10, "Name");
      }
    }
    /* One byte more: a bad DGM_LENGTH or a trailing byte. */
    uint8_t big[MAXD + 1];
    memcpy(big, m->bytes, m->len);
    big[m->len] = 0;
    if (has_names(type)) refused(big, m->len + 1, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
    else refused(big, m->len + 1, SMBW_E_NBSS_LENGTH, (uint32_t)m->len, "packet");
  }
}
END_TEST

/* DGM_LENGTH off by one either way; names cut by a shorter datagram whose
   DGM_LENGTH agrees. */
START_TEST(test_bad_lengths) {
  const vec_msg *m = &vecs()->msgs[0]; /* a HostAnnouncement, DIRECT_GROUP */
  ck_assert_uint_eq(m->bytes[0], SMBW_DGRAM_DIRECT_GROUP);
  uint8_t b[MAXD];
  memcpy(b, m->bytes, m->len);
  uint16_t dl = (uint16_t)((b[10] << 8) | b[11]);
  for (int delta = -1; delta <= 1; delta += 2) {
    b[10] = (uint8_t)((dl + delta) >> 8);
    b[11] = (uint8_t)(dl + delta);
    refused(b, m->len, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
  }
  b[10] = 0xFF;
  b[11] = 0xFF;
  refused(b, m->len, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
  /* Consistent DGM_LENGTH but no room for the names. */
  for (size_t n = 14; n < 14 + 68; n++) {
    memcpy(b, m->bytes, n);
    b[10] = (uint8_t)((n - 14) >> 8);
    b[11] = (uint8_t)(n - 14);
    smbw_dgram d;
    smbw_error err = {0, 0, NULL};
    int rc = smbw_dgram_decode(b, n, &d, &err);
    ck_assert_msg(rc == SMBW_E_TRUNCATED || rc == SMBW_E_NBSS_SCOPE, "n %zu: %s", n,
                  smbw_errname(rc));
    ck_assert_uint_le(err.offset, n);
  }
  /* Exactly the two names: empty user data. */
  memcpy(b, m->bytes, 14 + 68);
  b[10] = 0;
  b[11] = 68;
  smbw_dgram d;
  ck_assert_int_eq(smbw_dgram_decode(b, 14 + 68, &d, NULL), 0);
  ck_assert_uint_eq(d.data.len, 0);
  ck_assert_ptr_null(d.data.data);
  uint8_t out[100];
  size_t len;
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &d, &len), 0);
  ck_assert_uint_eq(len, 82);
  ck_assert_int_eq(memcmp(out, b, 82), 0);
}
END_TEST

/* Type, reserved flags and malformed names, each at its offset. */
START_TEST(test_bad_fields) {
  const vec_msg *m = &vecs()->msgs[0];
  uint8_t b[MAXD];
  for (unsigned t = 0; t < 256; t++) {
    if (t >= 0x10 && t <= 0x16) continue;
    memcpy(b, m->bytes, m->len);
    b[0] = (uint8_t)t;
    refused(b, m->len, SMBW_E_NBSS_TYPE, 0, "MSG_TYPE");
    refused(b, 1, SMBW_E_NBSS_TYPE, 0, "MSG_TYPE"); /* as soon as it is seen */
  }
  for (unsigned bit = 0x10; bit <= 0x80; bit <<= 1) {
    memcpy(b, m->bytes, m->len);
    b[1] |= (uint8_t)bit;
    refused(b, m->len, SMBW_E_NBSS_FLAGS, 1, "FLAGS");
    refused(b, 2, SMBW_E_NBSS_FLAGS, 1, "FLAGS");
  }
  /* Source name length byte, a half-ASCII byte of each name, a scope. */
  memcpy(b, m->bytes, m->len);
  b[14] = 31;
  refused(b, m->len, SMBW_E_NBSS_NAME, 14, "NameLength");
  memcpy(b, m->bytes, m->len);
  b[15] = 'Q';
  refused(b, m->len, SMBW_E_NBSS_NAME, 15, "Name");
  memcpy(b, m->bytes, m->len);
  b[48 + 1 + 5] = 'a';
  refused(b, m->len, SMBW_E_NBSS_NAME, 54, "Name");
  memcpy(b, m->bytes, m->len);
  b[47] = 64; /* source scope: a label over 63 bytes */
  refused(b, m->len, SMBW_E_NBSS_SCOPE, 47, "Scope");
  /* A query with a scope label running past the packet. */
  const vec_file *vf = vecs();
  for (size_t i = 0; i < vf->n; i++) {
    const vec_msg *q = &vf->msgs[i];
    if (q->bytes[0] != SMBW_DGRAM_QUERY_REQUEST) continue;
    memcpy(b, q->bytes, q->len);
    b[q->len - 1] = 5;
    refused(b, q->len, SMBW_E_NBSS_SCOPE, (uint32_t)q->len - 1, "Scope");
  }
}
END_TEST

START_TEST(test_inval_and_sizes) {
  const vec_msg *m = &vecs()->msgs[0];
  smbw_dgram d;
  smbw_error err;
  ck_assert_int_eq(smbw_dgram_decode(NULL, 5, &d, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_decode(m->bytes, m->len, NULL, &err), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_decode_(m->bytes, m->len, &d, offsetof(smbw_dgram, data), &err),
                   SMBW_E_INVAL);
  /* A larger caller struct gets zeros past ours. */
  struct { smbw_dgram d; uint8_t more[24]; } big;
  memset(&big, 0xEE, sizeof big);
  ck_assert_int_eq(smbw_dgram_decode_(m->bytes, m->len, &big.d, sizeof big, &err), 0);
  for (size_t i = 0; i < sizeof big.more; i++) ck_assert_uint_eq(big.more[i], 0);
  ck_assert_int_eq(smbw_dgram_decode(m->bytes, m->len, &d, NULL), 0);
  uint8_t out[MAXD];
  size_t len;
  ck_assert_int_eq(smbw_dgram_encode_(out, sizeof out, &big.d, sizeof big, &len), 0);
  ck_assert_int_eq(memcmp(out, m->bytes, m->len), 0);
  ck_assert_int_eq(smbw_dgram_encode_(out, sizeof out, &d, 8, &len), SMBW_E_INVAL);
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, NULL, &len), SMBW_E_INVAL);
  smbw_dgram e = d;
  e.type = 0x17;
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &e, &len), SMBW_E_INVAL);
  e = d;
  e.flags = 0x12;
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &e, &len), SMBW_E_INVAL);
  e = d;
  e.data.data = NULL;
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &e, &len), SMBW_E_INVAL);
  e = d;
  static const uint8_t bad_scope[] = {3, 'a', 'b'};
  e.destination.scope = bytes_view(bad_scope, sizeof bad_scope);
  ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &e, &len), SMBW_E_NBSS_SCOPE);
  e = d;
  static uint8_t huge[14 + 65536];
  e.data = bytes_view(huge, 65535 - 68);
  ck_assert_int_eq(smbw_dgram_encode(NULL, 0, &e, &len), SMBW_E_NOSPACE);
  ck_assert_uint_eq(len, 65535 + 14);
  e.data.len++;
  ck_assert_int_eq(smbw_dgram_encode(NULL, 0, &e, &len), SMBW_E_RANGE);
  /* The largest datagram decodes back; one byte more is refused by size. */
  uint8_t *big_out = malloc(65535 + 14);
  ck_assert_ptr_nonnull(big_out);
  e.data.len--;
  ck_assert_int_eq(smbw_dgram_encode(big_out, 65535 + 14, &e, &len), 0);
  ck_assert_int_eq(smbw_dgram_decode(big_out, len, &d, &err), 0);
  ck_assert_uint_eq(d.length, 65535);
  ck_assert_uint_eq(d.data.len, 65535 - 68);
  free(big_out);
  memcpy(huge, m->bytes, 14);
  ck_assert_int_eq(smbw_dgram_decode(huge, sizeof huge, &d, &err), SMBW_E_NBSS_LENGTH);
  err_is(&err, SMBW_E_NBSS_LENGTH, 10, "DGM_LENGTH");
}
END_TEST

/* Build each type from scratch (not from a capture) and read it back. */
START_TEST(test_build_every_type) {
  static const uint8_t scope[] = {7, 's', 'm', 'b', 'w', 'i', 'r', 'e', 4, 't', 'e', 's', 't'};
  static const uint8_t payload[] = {0xFF, 'S', 'M', 'B', 0x25};
  for (unsigned t = 0x10; t <= 0x16; t++) {
    smbw_dgram d, back;
    memset(&d, 0, sizeof d);
    d.type = (uint8_t)t;
    d.flags = SMBW_DGRAM_FLAG_FIRST | (SMBW_DGRAM_NODE_NBDD << 2);
    d.id = 0xBEEF;
    d.src_ip = 0x0A010203;
    d.src_port = 138;
    d.offset = has_names(d.type) ? 77 : 0;
    d.error_code = t == SMBW_DGRAM_ERROR ? SMBW_DGRAM_ERR_INVALID_DEST_NAME : 0;
    ck_assert_int_eq(smbw_nb_name_set(&d.source, "SRC", 0x00), 0);
    ck_assert_int_eq(smbw_nb_name_set(&d.destination, "DST", 0x1D), 0);
    d.destination.scope = bytes_view(scope, sizeof scope);
    d.data = bytes_view(payload, sizeof payload);
    uint8_t out[200];
    size_t len = 0;
    ck_assert_int_eq(smbw_dgram_encode(out, sizeof out, &d, &len), 0);
    size_t want = t <= 0x12 ? 14 + 34 + 34 + sizeof scope + sizeof payload
                : t == 0x13 ? 11 : 10 + 34 + sizeof scope;
    ck_assert_uint_eq(len, want);
    ck_assert_uint_eq(out[4], 10);
    ck_assert_uint_eq(out[7], 3);
    ck_assert_int_eq(smbw_dgram_decode(out, len, &back, NULL), 0);
    ck_assert_uint_eq(back.type, t);
    ck_assert_uint_eq(back.id, 0xBEEF);
    ck_assert_uint_eq(back.src_ip, 0x0A010203);
    ck_assert_uint_eq(back.error_code, d.error_code);
    if (t != SMBW_DGRAM_ERROR) {
      ck_assert_int_eq(memcmp(back.destination.name, d.destination.name, 16), 0);
      ck_assert_uint_eq(back.destination.scope.len, sizeof scope);
    }
    if (has_names(back.type)) {
      ck_assert_uint_eq(back.length, len - 14);
      ck_assert_uint_eq(back.offset, 77);
      ck_assert_uint_eq(back.data.len, sizeof payload);
      ck_assert_int_eq(memcmp(back.source.name, d.source.name, 16), 0);
    } else {
      ck_assert_uint_eq(back.length, 0);
      ck_assert_uint_eq(back.data.len, 0);
    }
  }
}
END_TEST

START_TEST(test_names) {
  CHECK_NAMES(smbw_dgram_type_name, {0x0F, NULL}, {0x10, "DIRECT_UNIQUE"}, {0x11, "DIRECT_GROUP"},
              {0x12, "BROADCAST"}, {0x13, "DATAGRAM_ERROR"}, {0x14, "QUERY_REQUEST"},
              {0x15, "POSITIVE_QUERY_RESPONSE"}, {0x16, "NEGATIVE_QUERY_RESPONSE"}, {0x17, NULL});
  CHECK_NAMES(smbw_dgram_node_name, {0, "B"}, {1, "P"}, {2, "M"}, {3, "NBDD"}, {7, "NBDD"});
  CHECK_NAMES(smbw_dgram_error_name, {0x81, NULL}, {0x82, "Destination name not present"},
              {0x83, "Invalid source name format"}, {0x84, "Invalid destination name format"},
              {0x85, NULL});
}
END_TEST

int main(void) {
  Suite *s = suite_create("dgram");
  add_tcase(s, "vectors", 0, TESTS(test_vectors_fields, test_vectors_mailslot_smb,
                                   test_vectors_roundtrip));
  add_tcase(s, "hostile", 0, TESTS(test_truncations, test_bad_lengths, test_bad_fields,
                                   test_inval_and_sizes));
  add_tcase(s, "build", 0, TESTS(test_build_every_type, test_names));
  return run_suite(s);
}
