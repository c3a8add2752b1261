/*
 * The consumer of the growth test (tests/growth/grow.sh, doc/abi.md
 * "Structs that grow").  It is compiled once against the repository's
 * headers and run against a library built with grown structs, and once
 * against the grown headers (-DGROWTH_HEADERS) and run against the
 * repository's library.  Both must work.
 *
 * It reads the messages of golden .vec files (the "msg" lines only),
 * walks each with smbw_parse(), decodes the blocks of a few message types
 * with their typed calls, encodes the message back with a builder and
 * compares it byte for byte with the original.  Every struct it hands the
 * library is allocated twice: on the heap with exactly its size (ASan
 * reports a library that reads or writes past the caller's sizeof), and on
 * the stack followed by a canary (checked after each call).
 *
 *   consumer FILE.vec...   run the checks; exit 0 when all pass
 *   consumer --sizes       print the sizes of the structs involved
 *
 * GROWTH_LIB=old|new tells a consumer built with the grown headers which
 * library it runs with: the members added in the grown headers must read
 * as zero with the old library and as the grown library's mark with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smbwire/smbwire.h>

#define CANARY_LEN 32
#define CANARY_BYTE 0xA5
#define HEAP_FILL 0x5A
#define MAX_BLOCKS 16
#define OUT_CAP (1u << 18)

/* What the grown library writes in the members it added (grow.sh). */
#define GROWN_MARK 0x4e45575f4649454cull

static unsigned long n_msgs, n_parsed, n_reencoded, n_decoded, n_added;
static int failures;

#define FAIL(...)                                                  \
  do {                                                             \
    fprintf(stderr, "consumer: FAIL %s:%d: ", __FILE__, __LINE__); \
    fprintf(stderr, __VA_ARGS__);                                  \
    fputc('\n', stderr);                                           \
    if (++failures > 20) exit(1);                                  \
  } while (0)

static void *xmalloc(size_t n) {
  void *p = malloc(n);
  if (!p) {
    perror("malloc");
    exit(2);
  }
  return p;
}

static int canary_ok(const unsigned char *c) {
  for (size_t i = 0; i < CANARY_LEN; i++)
    if (c[i] != CANARY_BYTE) return 0;
  return 1;
}

/* 0: the grown members must be zero; 1: they must hold GROWN_MARK. */
static int expect_mark;

#ifdef GROWTH_HEADERS
static unsigned long n_added_close, n_added_write;
static void check_added(uint64_t v, const char *what) {
  uint64_t want = expect_mark ? GROWN_MARK : 0;
  if (v != want)
    FAIL("%s.added_in_next_release is %#llx, expected %#llx", what, (unsigned long long)v,
         (unsigned long long)want);
  n_added++;
}
#endif

/* The end of the last WRITE_ANDX request's data: a large write carries
   more data than its 16-bit ByteCount says, and the bytes after the last
   block are re-encoded as a trailer. */
static const uint8_t *write_data_end;

static void hook_close_req(const smbw_close_req *s) {
#ifdef GROWTH_HEADERS
  check_added(s->added_in_next_release, "smbw_close_req");
  n_added_close++;
#else
  (void)s;
#endif
}
static void hook_write_andx_req(const smbw_write_andx_req *s) {
  if (s->data.data) write_data_end = s->data.data + s->data.len;
  if (s->extra.data) write_data_end = s->extra.data + s->extra.len;
#ifdef GROWTH_HEADERS
  check_added(s->added_in_next_release, "smbw_write_andx_req");
  n_added_write++;
#endif
}
#define added_none(s) ((void)(s))

/* Decode the block twice (heap, exact size; stack, canary after it),
   compare, then encode it from the heap copy (an encoder reading past the
   caller's size reads past the allocation). */
#define TYPED(name, hook)                                                           \
  static int typed_##name(const smbw_block *b, smbw_builder *bld) {                 \
    struct {                                                                        \
      smbw_##name s;                                                                \
      unsigned char canary[CANARY_LEN];                                             \
    } st;                                                                           \
    memset(&st.s, HEAP_FILL, sizeof st.s); /* same padding bytes as the heap */     \
    memset(st.canary, CANARY_BYTE, sizeof st.canary);                               \
    smbw_##name *heap = xmalloc(sizeof *heap);                                      \
    memset(heap, HEAP_FILL, sizeof *heap);                                          \
    smbw_error e1, e2;                                                              \
    int rc1 = smbw_##name##_decode(b, heap, &e1);                                   \
    int rc2 = smbw_##name##_decode(b, &st.s, &e2);                                  \
    if (!canary_ok(st.canary)) FAIL("smbw_" #name "_decode wrote past the struct"); \
    if (rc1 != rc2) FAIL("smbw_" #name "_decode: %d then %d", rc1, rc2);            \
    if (rc1) {                                                                      \
      FAIL("smbw_" #name "_decode: %s at %u (%s)", smbw_errname(rc1),               \
           (unsigned)e1.offset, e1.field ? e1.field : "-");                         \
      free(heap);                                                                   \
      return rc1;                                                                   \
    }                                                                               \
    if (memcmp(heap, &st.s, sizeof *heap))                                          \
      FAIL("smbw_" #name "_decode: heap and stack copies differ");                  \
    hook(heap);                                                                     \
    n_decoded++;                                                                    \
    int rc = smbw_##name##_encode(bld, heap);                                       \
    if (rc) FAIL("smbw_" #name "_encode: %s", smbw_errname(rc));                    \
    free(heap);                                                                     \
    return rc;                                                                      \
  }

TYPED(close_req, hook_close_req)
TYPED(close_rsp, added_none)
TYPED(write_andx_req, hook_write_andx_req)
TYPED(write_andx_rsp, added_none)
TYPED(read_andx_req, added_none)
TYPED(read_andx_rsp, added_none)
TYPED(nt_create_andx_req, added_none)
TYPED(nt_create_andx_rsp, added_none)
TYPED(tree_connect_andx_req, added_none)
TYPED(tree_connect_andx_rsp, added_none)
TYPED(echo_req, added_none)
TYPED(echo_rsp, added_none)

/* 1 when the block was encoded with a typed call, 0 when it is not one of
   ours, < 0 on error. */
static int encode_typed(const smbw_block *b, smbw_builder *bld) {
  int rsp = (b->flags & SMBW_FLAGS_REPLY) != 0;
  int rc;
  switch (b->command) {
  case SMBW_COM_CLOSE: rc = rsp ? typed_close_rsp(b, bld) : typed_close_req(b, bld); break;
  case SMBW_COM_WRITE_ANDX:
    rc = rsp ? typed_write_andx_rsp(b, bld) : typed_write_andx_req(b, bld);
    break;
  case SMBW_COM_READ_ANDX:
    rc = rsp ? typed_read_andx_rsp(b, bld) : typed_read_andx_req(b, bld);
    break;
  case SMBW_COM_NT_CREATE_ANDX:
    rc = rsp ? typed_nt_create_andx_rsp(b, bld) : typed_nt_create_andx_req(b, bld);
    break;
  case SMBW_COM_TREE_CONNECT_ANDX:
    rc = rsp ? typed_tree_connect_andx_rsp(b, bld) : typed_tree_connect_andx_req(b, bld);
    break;
  case SMBW_COM_ECHO: rc = rsp ? typed_echo_rsp(b, bld) : typed_echo_req(b, bld); break;
  default: return 0;
  }
  return rc ? rc : 1;
}

/* Re-encode the message of p from its blocks into a builder of the given
   storage; the bytes after the last block go in a trailer. */
static int reencode(const smbw_parsed *p, const smbw_block *blocks, smbw_builder *bld,
                    uint8_t *out, size_t *outlen, int *typed) {
  int rc = smbw_builder_init(bld, out, OUT_CAP, SMBW_FRAMING_DIRECT, &p->msg.hdr);
  if (rc) return rc;
  size_t end = SMBW_HEADER_SIZE;
  *typed = 0;
  for (uint32_t i = 0; i < p->nblocks; i++) {
    const smbw_block *b = &blocks[i];
    rc = encode_typed(b, bld);
    if (rc < 0) return rc;
    if (rc == 0) {
      rc = smbw_builder_block(bld, b);
      if (rc) return rc;
    } else {
      (*typed)++;
    }
    end = (size_t)(b->bytes - b->msg) + b->bcc;
    if (write_data_end && (size_t)(write_data_end - b->msg) > end)
      end = (size_t)(write_data_end - b->msg);
    write_data_end = NULL;
  }
  if (end < p->msg.len && (rc = smbw_builder_trailer(bld, p->msg.data + end, p->msg.len - end)))
    return rc;
  return smbw_builder_finish(bld, outlen);
}

static void check_message(const uint8_t *pkt, size_t len) {
  n_msgs++;
  /* smbw_parse() into exact-size heap structs and into canaried ones. */
  smbw_parsed *hp = xmalloc(sizeof *hp);
  smbw_block *hb = xmalloc(MAX_BLOCKS * sizeof *hb);
  memset(hp, HEAP_FILL, sizeof *hp);
  memset(hb, HEAP_FILL, MAX_BLOCKS * sizeof *hb);
  struct {
    smbw_parsed p;
    unsigned char canary[CANARY_LEN];
  } sp;
  struct {
    smbw_block b[MAX_BLOCKS];
    unsigned char canary[CANARY_LEN];
  } sb;
  /* the structs filled like the heap ones (padding the library may leave
     alone compares equal), the canaries after them */
  memset(&sp.p, HEAP_FILL, sizeof sp.p);
  memset(sp.canary, CANARY_BYTE, sizeof sp.canary);
  memset(sb.b, HEAP_FILL, sizeof sb.b);
  memset(sb.canary, CANARY_BYTE, sizeof sb.canary);
  size_t need = 0;
  smbw_error e;
  int n1 = smbw_parse(pkt, len, SMBW_FRAMING_DIRECT, SMBW_PARSE_STRICT, hp, hb, MAX_BLOCKS,
                      &need, &e);
  int n2 = smbw_parse(pkt, len, SMBW_FRAMING_DIRECT, SMBW_PARSE_STRICT, &sp.p, sb.b, MAX_BLOCKS,
                      &need, NULL);
  if (!canary_ok(sp.canary)) FAIL("smbw_parse wrote past smbw_parsed");
  if (!canary_ok(sb.canary)) FAIL("smbw_parse wrote past the block array");
  if (n1 != n2) FAIL("smbw_parse: %d then %d", n1, n2);
  if (n1 != (int)len) {
    /* every golden message parses (test_parse); this one must too */
    FAIL("message %lu: smbw_parse returned %d (%s at %u)", n_msgs, n1,
         n1 < 0 ? smbw_errname(n1) : "short", n1 < 0 ? (unsigned)e.offset : 0u);
    goto out;
  }
  if (memcmp(hp, &sp.p, sizeof *hp) || memcmp(hb, sb.b, hp->nblocks * sizeof *hb))
    FAIL("smbw_parse: heap and stack results differ");
#ifdef GROWTH_HEADERS
  check_added(hp->added_in_next_release, "smbw_parsed");
#endif
  n_parsed++;
  if (hp->frame.type != SMBW_NBSS_SESSION_MESSAGE || hp->nblocks == 0) goto out;

  /* Encode back twice: with an exact-size heap builder and a canaried one. */
  static uint8_t out1[OUT_CAP], out2[OUT_CAP];
  smbw_builder *hbld = xmalloc(sizeof *hbld);
  memset(hbld, HEAP_FILL, sizeof *hbld);
  struct {
    smbw_builder b;
    unsigned char canary[CANARY_LEN];
  } sbld;
  memset(&sbld.b, HEAP_FILL, sizeof sbld.b);
  memset(sbld.canary, CANARY_BYTE, sizeof sbld.canary);
  size_t l1 = 0, l2 = 0;
  int typed1 = 0, typed2 = 0;
  int rc1 = reencode(hp, hb, hbld, out1, &l1, &typed1);
  int rc2 = reencode(hp, hb, &sbld.b, out2, &l2, &typed2);
  free(hbld);
  if (!canary_ok(sbld.canary)) FAIL("the builder wrote past smbw_builder");
  if (rc1 || rc2) {
    FAIL("message %lu: re-encoding failed: %s / %s", n_msgs, smbw_errname(rc1),
         smbw_errname(rc2));
  } else if (l1 != len || l2 != len || memcmp(out1, pkt, len) || memcmp(out2, pkt, len)) {
    FAIL("message %lu (command 0x%02x): re-encoded %zu/%zu bytes differ from the %zu read",
         n_msgs, hp->msg.hdr.command, l1, l2, len);
  } else if (typed1) {
    n_reencoded++;
  }
out:
  free(hp);
  free(hb);
}

/* smbw_find_entry (payload entries grow like message structs): write
   entries of every NT level with smbw_find_append() from exact-size heap
   structs, read them back with smbw_find_iter_next() into exact-size heap
   structs and canaried stack ones, and compare the fields. */
static unsigned long n_find;
#ifdef GROWTH_HEADERS
static unsigned long n_added_find;
#endif
static void check_find_entries(void) {
  static const uint16_t levels[] = {
      SMBW_FIND_FILE_DIRECTORY_INFO, SMBW_FIND_FILE_FULL_DIRECTORY_INFO,
      SMBW_FIND_FILE_NAMES_INFO, SMBW_FIND_FILE_BOTH_DIRECTORY_INFO,
      SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO, SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO};
  static const uint8_t name[] = {'g', 0, 'r', 0, 'o', 0, 'w', 0, 'n', 0};
  static const uint8_t short_name[] = {'G', 0, 'R', 0, 'O', 0, 'W', 0, 'N', 0};
  for (size_t l = 0; l < sizeof levels / sizeof levels[0]; l++) {
    uint8_t buf[512];
    size_t pos = 0;
    for (uint32_t i = 0; i < 3; i++) {
      smbw_find_entry *in = xmalloc(sizeof *in);
      memset(in, 0, sizeof *in);
      in->file_index = 100 + i;
      in->creation_time = 0x01d9000000000000ull + i;
      in->end_of_file = 4096u * i;
      in->allocation_size = 8192u * i;
      in->attributes = 0x20;
      in->file_id = 0x1122334455667788ull + i;
      in->next_mode = SMBW_FIND_NEXT_ALIGN8;
      in->file_name.data = name;
      in->file_name.len = sizeof name;
      in->file_name.enc = SMBW_STR_UTF16LE;
      in->short_name.data = short_name;
      in->short_name.len = sizeof short_name;
      in->short_name.enc = SMBW_STR_UTF16LE;
      int rc = smbw_find_append(buf, sizeof buf, &pos, levels[l], 1, in);
      free(in);
      if (rc) {
        FAIL("smbw_find_append level %#x: %s", (unsigned)levels[l], smbw_errname(rc));
        return;
      }
    }
    smbw_find_iter it;
    smbw_find_iter_init(&it, (smbw_bytes){buf, (uint32_t)pos}, levels[l], 1, 3, 0);
    for (uint32_t i = 0;; i++) {
      smbw_find_entry *heap = xmalloc(sizeof *heap);
      memset(heap, HEAP_FILL, sizeof *heap);
      struct {
        smbw_find_entry e;
        unsigned char canary[CANARY_LEN];
      } st;
      memset(st.canary, CANARY_BYTE, sizeof st.canary);
      smbw_find_iter copy = it;
      int rc1 = smbw_find_iter_next(&it, heap, NULL);
      int rc2 = smbw_find_iter_next(&copy, &st.e, NULL);
      if (!canary_ok(st.canary)) FAIL("smbw_find_iter_next wrote past smbw_find_entry");
      if (rc1 != rc2) FAIL("smbw_find_iter_next: %d then %d", rc1, rc2);
      if (rc1 != 1) {
        if (rc1 != 0 || i != 3) FAIL("level %#x: %d entries, then %d", levels[l], i, rc1);
        free(heap);
        break;
      }
      if (heap->file_index != 100 + i ||
          heap->file_name.len != sizeof name || memcmp(heap->file_name.data, name, sizeof name))
        FAIL("level %#x entry %u: fields differ", (unsigned)levels[l], i);
      if (levels[l] == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO &&
          (heap->file_id != 0x1122334455667788ull + i || heap->short_name.len != sizeof short_name))
        FAIL("level 0x106 entry %u: FileId or ShortName differ", i);
#ifdef GROWTH_HEADERS
      check_added(heap->added_in_next_release, "smbw_find_entry");
      check_added(st.e.added_in_next_release, "smbw_find_entry");
      n_added_find++;
#endif
      n_find++;
      free(heap);
    }
  }
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* The "msg FRAME DIR HEX" lines of a .vec file (tests/golden/README.md). */
static int read_vec(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  static char line[1 << 20];
  static uint8_t pkt[1 << 19];
  while (fgets(line, sizeof line, f)) {
    if (strncmp(line, "msg ", 4)) continue;
    char *hex = strrchr(line, ' ');
    if (!hex) continue;
    hex++;
    size_t n = 0;
    while (hexval(hex[0]) >= 0 && hexval(hex[1]) >= 0 && n < sizeof pkt) {
      pkt[n++] = (uint8_t)(hexval(hex[0]) << 4 | hexval(hex[1]));
      hex += 2;
    }
    check_message(pkt, n);
  }
  fclose(f);
  return 0;
}

static void print_sizes(void) {
  printf("smbw_close_req %zu\n", sizeof(smbw_close_req));
  printf("smbw_write_andx_req %zu\n", sizeof(smbw_write_andx_req));
  printf("smbw_parsed %zu\n", sizeof(smbw_parsed));
  printf("smbw_builder %zu\n", sizeof(smbw_builder));
  printf("smbw_block %zu\n", sizeof(smbw_block));
  printf("smbw_find_entry %zu\n", sizeof(smbw_find_entry));
}

int main(int argc, char **argv) {
  if (argc == 2 && !strcmp(argv[1], "--sizes")) {
    print_sizes();
    return 0;
  }
  if (argc < 2) {
    fprintf(stderr, "usage: consumer FILE.vec... | --sizes\n");
    return 2;
  }
  const char *lib = getenv("GROWTH_LIB");
  expect_mark = lib && !strcmp(lib, "new");
#ifdef GROWTH_HEADERS
  const char *hdrs = "grown";
#else
  const char *hdrs = "original";
#endif
  for (int i = 1; i < argc; i++)
    if (read_vec(argv[i])) return 2;
  check_find_entries();
  printf("consumer (%s headers, library %s %s): %lu messages, %lu parsed, %lu typed decodes, "
         "%lu re-encoded byte for byte through typed encoders, %lu find entries, "
         "%lu grown members checked, %d failures\n",
         hdrs, lib ? lib : "?", smbw_version_string(), n_msgs, n_parsed, n_decoded,
         n_reencoded, n_find, n_added, failures);
  if (!n_decoded || !n_reencoded || n_find != 18) {
    fprintf(stderr, "consumer: FAIL nothing was decoded\n");
    return 1;
  }
#ifdef GROWTH_HEADERS
  if (!n_added_close || !n_added_write || !n_added_find) {
    fprintf(stderr, "consumer: FAIL no CLOSE or WRITE_ANDX request in the input, or no find entry\n");
    return 1;
  }
#endif
  return failures ? 1 : 0;
}
