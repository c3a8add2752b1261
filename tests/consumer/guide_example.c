/*
 * The seed exchange of doc/guide.md as one program, run in memory: a client
 * and a server, both written with smbwire, pass every message through a
 * byte buffer instead of a socket.
 *
 *   session request -> negative response, then positive response (port 139)
 *   NEGOTIATE -> NT LM 0.12 response with a challenge           (port 445)
 *   SESSION_SETUP_ANDX + TREE_CONNECT_ANDX, chained, and their responses
 *   OPEN_ANDX -> FID;  READ_ANDX -> the file's bytes
 *   a malformed message -> the error model (code, offset, field, sticky)
 *
 * Every ```c block of doc/guide.md, doc/nbss.md, doc/message.md,
 * doc/commands.md, doc/errors.md and README.md appears here verbatim
 * (whitespace aside); tests/consumer/snippets.sh checks it, and
 * tests/consumer/run.sh builds this file against the installed library
 * with nothing but `pkg-config --cflags --libs smbwire` and runs it.
 *
 * Output: one "ok"/"FAIL" line per check and a final
 * "guide: N passed, M failed"; exit status 0 when nothing failed.
 */
#include <smbwire/smbwire.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void check(int cond, const char *what) {
  if (cond) {
    passed++;
    printf("ok: %s\n", what);
  } else {
    failed++;
    printf("FAIL: %s\n", what);
  }
}

static void die(const char *name, uint32_t offset, const char *field) {
  printf("FAIL: %s at offset %u (%s)\n", name, (unsigned)offset, field);
  exit(1);
}

/* The "network": what the last sender wrote. */
static uint8_t wire[4096];
static size_t wire_len;

static void send_bytes(const uint8_t *p, size_t n) {
  if (n > sizeof wire) die("message too large", 0, "wire");
  memcpy(wire, p, n);
  wire_len = n;
}

/* Frame what is on the wire as one port-445 packet and decode its header. */
static int recv_msg(smbw_msg *m) {
  smbw_nbss f;
  size_t need;
  smbw_error e = {0, 0, NULL};
  int n = smbw_nbss_frame(wire, wire_len, SMBW_FRAMING_DIRECT, &f, &need, &e);
  if (n <= 0 || (size_t)n != wire_len) return -1;
  return smbw_msg_decode(f.payload, f.length, m, &e);
}

/* A header for a response to request header rq. */
static smbw_header reply_header(const smbw_header *rq) {
  smbw_header h = *rq;
  h.flags |= SMBW_FLAGS_REPLY;
  h.status = SMBW_STATUS_SUCCESS;
  return h;
}

/* ---- 1. The NetBIOS session (port 139) ---- */

static size_t client_session_request(uint8_t *out) {
  /* snippet: guide session request */
  smbw_nbss_session_request req;
  smbw_nb_name_set(&req.called, "*SMBSERVER", 0x20);
  smbw_nb_name_set(&req.calling, "MYHOST", 0x00);
  uint8_t pkt[SMBW_NBSS_SESSION_REQUEST_SIZE];
  size_t n;
  smbw_nbss_session_request_encode(pkt, sizeof pkt, &req, &n);   /* send n bytes */
  /* end snippet */
  memcpy(out, pkt, n);
  return n;
}

/* Returns the type of the packet received, or a negative error. */
static int client_session_response(const uint8_t *rx, size_t rx_len) {
  /* snippet: guide frame */
  smbw_nbss f; size_t need; smbw_error e;
  int r = smbw_nbss_frame(rx, rx_len, SMBW_FRAMING_NBT, &f, &need, &e);
  if (r > 0 && f.type == SMBW_NBSS_NEGATIVE_RESPONSE) {
    uint8_t code; smbw_nbss_negative_decode(&f, &code, &e);
    printf("refused: %s\n", smbw_nbss_error_name(code));
  }
  /* end snippet */
  return r > 0 ? f.type : r;
}

static void session(void) {
  uint8_t pkt[128];
  size_t n = client_session_request(pkt);
  check(n == SMBW_NBSS_SESSION_REQUEST_SIZE, "session request is 72 bytes");

  /* snippet: nbss server */
  smbw_nbss f;
  size_t need;
  smbw_error e = {0, 0, NULL};
  smbw_nbss_session_request sr;
  char called[16] = "";
  int r = smbw_nbss_frame(pkt, n, SMBW_FRAMING_NBT, &f, &need, &e);
  if (r > 0 && f.type == SMBW_NBSS_SESSION_REQUEST &&
      smbw_nbss_session_request_decode(&f, &sr, &e) == 0) {
    smbw_nb_name_get(&sr.called, called);     /* "*SMBSERVER", suffix 0x20 */
  }
  /* end snippet */
  check(r == (int)n && strcmp(called, "*SMBSERVER") == 0 && sr.called.name[15] == 0x20,
        "server decodes the called name");

  /* A partial packet: the framer asks for the rest. */
  r = smbw_nbss_frame(pkt, 10, SMBW_FRAMING_NBT, &f, &need, &e);
  check(r == 0 && need == n - 10, "framer asks for the missing bytes");

  uint8_t rsp[16];
  size_t rlen;
  smbw_nbss_negative_encode(rsp, sizeof rsp, SMBW_NBSS_ERR_CALLED_NOT_PRESENT, &rlen);
  check(client_session_response(rsp, rlen) == SMBW_NBSS_NEGATIVE_RESPONSE,
        "client sees the negative response");
  smbw_nbss_header_encode(rsp, sizeof rsp, SMBW_FRAMING_NBT, SMBW_NBSS_POSITIVE_RESPONSE,
                          0, &rlen);
  check(client_session_response(rsp, rlen) == SMBW_NBSS_POSITIVE_RESPONSE,
        "client sees the positive response");
}

/* ---- 3. NEGOTIATE ---- */

static uint8_t challenge[8] = {1, 2, 3, 4, 5, 6, 7, 8};

static void negotiate(void) {
  uint8_t buf[512];
  size_t len;
  /* snippet: guide negotiate */
  static const char *const dialects[] = {"NT LM 0.12"};
  smbw_header h = {0};
  h.flags = SMBW_FLAGS_CASE_INSENSITIVE | SMBW_FLAGS_CANONICALIZED_PATHS;
  h.flags2 = SMBW_FLAGS2_LONG_NAMES | SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_UNICODE;
  h.pid_low = 1234; h.mid = 1;
  smbw_builder b;
  smbw_negotiate_req nr = {.names = dialects, .count = 1};
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &h);
  smbw_negotiate_req_encode(&b, &nr);
  int rc = smbw_builder_finish(&b, &len);    /* buf[0..len) is ready to send */
  /* end snippet */
  check(rc == 0, "NEGOTIATE request encodes");
  send_bytes(buf, len);

  /* Server: decode the request, pick NT LM 0.12. */
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  check(recv_msg(&m) == 0, "server decodes the header");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && blk.command == SMBW_COM_NEGOTIATE,
        "first block is NEGOTIATE");
  /* snippet: commands dialects */
  smbw_negotiate_req req;
  smbw_dialect_iter di;
  smbw_str name;
  uint16_t index = 0, chosen = SMBW_NEGOTIATE_NO_DIALECT;
  if (smbw_negotiate_req_decode(&blk, &req, &e) == 0) {
    smbw_dialect_iter_init(&di, &req);
    for (; smbw_dialect_iter_next(&di, &name); index++)
      if (smbw_str_eq(&name, "NT LM 0.12")) chosen = index;
  }
  /* end snippet */
  check(req.count == 1 && chosen == 0, "server finds NT LM 0.12");

  smbw_negotiate_rsp r;
  memset(&r, 0, sizeof r);
  r.wct = 17;
  r.dialect_index = chosen;
  r.security_mode = SMBW_NEGOTIATE_USER_SECURITY | SMBW_NEGOTIATE_ENCRYPT_PASSWORDS;
  r.max_mpx_count = 50;
  r.max_number_vcs = 1;
  r.max_buffer_size = 16644;
  r.max_raw_size = 65536;
  r.capabilities = SMBW_CAP_UNICODE | SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32 |
                   SMBW_CAP_LARGE_FILES | SMBW_CAP_LARGE_READX;
  r.challenge.data = challenge;
  r.challenge.len = sizeof challenge;
  r.domain_name = smbw_str_utf8("WORKGROUP");
  r.server_name = smbw_str_utf8("SERVER");
  smbw_header rh = reply_header(&m.hdr);
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &rh);
  smbw_negotiate_rsp_encode(&b, &r);
  check(smbw_builder_finish(&b, &len) == 0, "NEGOTIATE response encodes");
  send_bytes(buf, len);

  /* Client: decode the response. */
  check(recv_msg(&m) == 0, "client decodes the response header");
  smbw_andx_iter_init(&it, &m);
  smbw_negotiate_rsp nrsp;
  char domain[32];
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && smbw_negotiate_rsp_decode(&blk, &nrsp, &e) == 0,
        "client decodes the NEGOTIATE response");
  smbw_str_to_utf8(&nrsp.domain_name, domain, sizeof domain, NULL);
  check(nrsp.wct == 17 && nrsp.challenge.len == 8 &&
            memcmp(nrsp.challenge.data, challenge, 8) == 0 && strcmp(domain, "WORKGROUP") == 0,
        "challenge and domain name round-trip");
}

/* ---- 4-5. SESSION_SETUP_ANDX + TREE_CONNECT_ANDX in one message ---- */

static void session_setup_tree_connect(void) {
  uint8_t buf[1024];
  size_t len;
  uint8_t resp[24];
  memset(resp, 0xA5, sizeof resp); /* stands for the NTLM response */
  smbw_header h = {0};
  h.flags2 = SMBW_FLAGS2_LONG_NAMES | SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_UNICODE;
  h.pid_low = 1234;
  h.mid = 2;
  /* snippet: commands chain */
  smbw_builder b;
  smbw_session_setup_andx_req ss;
  smbw_tree_connect_andx_req tc;
  memset(&ss, 0, sizeof ss);
  ss.wct = 13;                                  /* NT LM 0.12 form */
  ss.max_buffer_size = 0xFFFF;
  ss.capabilities = SMBW_CAP_UNICODE | SMBW_CAP_NT_SMBS | SMBW_CAP_STATUS32;
  ss.unicode_password.data = resp;              /* the 24-byte NTLM response */
  ss.unicode_password.len = 24;
  ss.account_name = smbw_str_utf8("alice");
  ss.primary_domain = smbw_str_utf8("WORKGROUP");
  ss.native_os = smbw_str_utf8("Unix");
  ss.native_lanman = smbw_str_utf8("smbwire");
  memset(&tc, 0, sizeof tc);
  tc.path = smbw_str_utf8("\\\\SERVER\\share");
  tc.service = smbw_str_utf8("?????");
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &h);
  smbw_session_setup_andx_req_encode(&b, &ss);       /* AndXCommand/Offset are */
  smbw_tree_connect_andx_req_encode(&b, &tc);        /* filled in by the second */
  int rc = smbw_builder_finish(&b, &len);
  /* end snippet */
  check(rc == 0, "SESSION_SETUP_ANDX + TREE_CONNECT_ANDX encode");
  send_bytes(buf, len);

  /* Server: walk the chain. */
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  smbw_session_setup_andx_req ssd;
  smbw_tree_connect_andx_req tcd;
  int got = 0;
  check(recv_msg(&m) == 0, "server decodes the header");
  /* snippet: message walk */
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &blk, &e)) == 1) {
    switch (blk.command) {
    case SMBW_COM_SESSION_SETUP_ANDX:
      if (smbw_session_setup_andx_req_decode(&blk, &ssd, &e) == 0) got |= 1;
      break;
    case SMBW_COM_TREE_CONNECT_ANDX:
      if (smbw_tree_connect_andx_req_decode(&blk, &tcd, &e) == 0) got |= 2;
      break;
    default:
      break;                  /* a command without a typed decoder */
    }
  }
  if (rc < 0) printf("bad message: %s at %u (%s)\n", smbw_errname(rc), e.offset, e.field);
  /* end snippet */
  check(rc == 0 && got == 3, "server walks both blocks of the chain");
  check(smbw_str_eq(&ssd.account_name, "alice") && ssd.unicode_password.len == 24 &&
            smbw_str_eq(&tcd.path, "\\\\SERVER\\share") && smbw_str_eq(&tcd.service, "?????"),
        "account, password and path round-trip");

  /* Server: both responses in one message. */
  smbw_session_setup_andx_rsp ssr;
  smbw_tree_connect_andx_rsp tcr;
  memset(&ssr, 0, sizeof ssr);
  ssr.wct = 3;
  ssr.native_os = smbw_str_utf8("Unix");
  ssr.native_lanman = smbw_str_utf8("Samba");
  ssr.primary_domain = smbw_str_utf8("WORKGROUP");
  memset(&tcr, 0, sizeof tcr);
  tcr.wct = 3;
  tcr.optional_support = SMBW_SUPPORT_SEARCH_BITS;
  tcr.service = smbw_str_utf8("A:");
  tcr.native_file_system = smbw_str_utf8("NTFS");
  smbw_header rh = reply_header(&m.hdr);
  rh.uid = 100;
  rh.tid = 7;
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &rh);
  smbw_session_setup_andx_rsp_encode(&b, &ssr);
  smbw_tree_connect_andx_rsp_encode(&b, &tcr);
  check(smbw_builder_finish(&b, &len) == 0, "chained responses encode");
  send_bytes(buf, len);

  /* Client. */
  check(recv_msg(&m) == 0, "client decodes the header");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && smbw_session_setup_andx_rsp_decode(&blk, &ssr, &e) == 0,
        "client decodes SESSION_SETUP_ANDX response");
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && smbw_tree_connect_andx_rsp_decode(&blk, &tcr, &e) == 0,
        "client decodes TREE_CONNECT_ANDX response");
  check(smbw_andx_iter_next(&it, &blk, &e) == 0, "the chain ends there");
  check(m.hdr.uid == 100 && m.hdr.tid == 7 && smbw_str_eq(&tcr.service, "A:"),
        "UID, TID and service round-trip");
}

/* ---- 6-7. OPEN_ANDX and READ_ANDX ---- */

static const char file_data[] = "hello from the in-memory server\n";

static void open_read(void) {
  uint8_t buf[1024];
  size_t len;
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block blk;
  smbw_error e = {0, 0, NULL};
  smbw_header h = {0};
  h.flags2 = SMBW_FLAGS2_LONG_NAMES | SMBW_FLAGS2_NT_STATUS | SMBW_FLAGS2_UNICODE;
  h.uid = 100;
  h.tid = 7;
  h.mid = 3;

  smbw_builder b;
  smbw_open_andx_req oq;
  memset(&oq, 0, sizeof oq);
  oq.access_mode = SMBW_ACCESS_READ | SMBW_SHARE_DENY_NONE;
  oq.open_mode = SMBW_OPEN_MODE_OPEN_IF_EXISTS;
  oq.file_name = smbw_str_utf8("\\hello.txt");
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &h);
  smbw_open_andx_req_encode(&b, &oq);
  check(smbw_builder_finish(&b, &len) == 0, "OPEN_ANDX request encodes");
  send_bytes(buf, len);

  smbw_open_andx_req oqd;
  check(recv_msg(&m) == 0, "server decodes the header");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && smbw_open_andx_req_decode(&blk, &oqd, &e) == 0 &&
            smbw_str_eq(&oqd.file_name, "\\hello.txt"),
        "server decodes the file name");

  smbw_open_andx_rsp orr;
  memset(&orr, 0, sizeof orr);
  orr.wct = 15;
  orr.fid = 0x4001;
  orr.file_data_size = (uint32_t)strlen(file_data);
  smbw_header rh = reply_header(&m.hdr);
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &rh);
  smbw_open_andx_rsp_encode(&b, &orr);
  check(smbw_builder_finish(&b, &len) == 0, "OPEN_ANDX response encodes");
  send_bytes(buf, len);
  check(recv_msg(&m) == 0, "client decodes the header");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &e) == 1 && smbw_open_andx_rsp_decode(&blk, &orr, &e) == 0 &&
            orr.fid == 0x4001,
        "client gets the FID");

  /* snippet: commands read */
  smbw_read_andx_req rq;
  memset(&rq, 0, sizeof rq);
  rq.wct = 12;                  /* 64-bit offset form */
  rq.fid = orr.fid;
  rq.offset = 0;
  rq.max_count = 4096;
  h.mid = 4;
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &h);
  smbw_read_andx_req_encode(&b, &rq);
  /* end snippet */
  check(smbw_builder_finish(&b, &len) == 0, "READ_ANDX request encodes");
  send_bytes(buf, len);

  smbw_read_andx_req rqd;
  check(recv_msg(&m) == 0 && (smbw_andx_iter_init(&it, &m), smbw_andx_iter_next(&it, &blk, &e)) == 1 &&
            smbw_read_andx_req_decode(&blk, &rqd, &e) == 0 && rqd.fid == 0x4001,
        "server decodes the READ_ANDX request");
  smbw_read_andx_rsp rr;
  memset(&rr, 0, sizeof rr);
  rr.wct = 12;
  rr.available = 0xFFFF;
  rr.data.data = (const uint8_t *)file_data;
  rr.data.len = (uint32_t)strlen(file_data);
  rh = reply_header(&m.hdr);
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_DIRECT, &rh);
  smbw_read_andx_rsp_encode(&b, &rr);
  check(smbw_builder_finish(&b, &len) == 0, "READ_ANDX response encodes");
  send_bytes(buf, len);

  check(recv_msg(&m) == 0, "client decodes the header");
  smbw_andx_iter_init(&it, &m);
  check(smbw_andx_iter_next(&it, &blk, &e) == 1, "client gets the READ_ANDX block");
  /* snippet: commands read response */
  smbw_read_andx_rsp r;
  if (smbw_read_andx_rsp_decode(&blk, &r, &e) == 0 && r.wct == 12)
    fwrite(r.data.data, 1, r.data.len, stdout);   /* r.data points into the message */
  /* end snippet */
  check(r.data.len == strlen(file_data) && memcmp(r.data.data, file_data, r.data.len) == 0,
        "file data round-trips");
}

/* ---- The builder's size query ---- */

static void measure(void) {
  smbw_header h = {0};
  static const char *const dialects[] = {"NT LM 0.12"};
  smbw_negotiate_req nr = {.names = dialects, .count = 1};
  uint8_t small[40];
  /* snippet: message measure */
  smbw_builder b;
  size_t need;
  smbw_builder_init(&b, NULL, 0, SMBW_FRAMING_DIRECT, &h);   /* measure only */
  smbw_negotiate_req_encode(&b, &nr);
  smbw_builder_finish(&b, &need);          /* SMBW_E_NOSPACE; need = exact size */
  /* end snippet */
  check(need == 4 + 32 + 3 + 12, "size query gives the exact size");
  smbw_builder_init(&b, small, sizeof small, SMBW_FRAMING_DIRECT, &h);
  smbw_negotiate_req_encode(&b, &nr);
  size_t need2;
  check(smbw_builder_finish(&b, &need2) == SMBW_E_NOSPACE && need2 == need,
        "too small a buffer: SMBW_E_NOSPACE with the size needed");
}

/* ---- Errors ---- */

/* ---- doc/transactions.md ---- */

static size_t trans2_request(uint8_t *buf, size_t cap, const smbw_header *h,
                             const uint8_t *params, uint32_t nparams,
                             uint32_t total_data, const uint8_t *data, uint32_t ndata) {
  uint8_t setup[2] = {0x08, 0x00}; /* TRANS2_SET_FILE_INFORMATION */
  smbw_trans_req r;
  memset(&r, 0, sizeof r);
  r.command = SMBW_COM_TRANSACTION2;
  r.total_param_count = nparams;
  r.total_data_count = total_data; /* the rest follows in secondaries */
  r.max_param_count = 2;
  r.max_data_count = 0;
  r.setup = (smbw_bytes){setup, 2};
  r.params = (smbw_bytes){params, nparams};
  r.data = (smbw_bytes){data, ndata};
  smbw_builder b;
  size_t len = 0;
  smbw_builder_init(&b, buf, cap, SMBW_FRAMING_NONE, h);
  smbw_trans_req_encode(&b, &r);
  return smbw_builder_finish(&b, &len) == 0 ? len : 0;
}

static int reassemble(smbw_trans_asm *a, const uint8_t *const *msgs, const size_t *lens,
                      int n, uint8_t *pbuf, size_t pcap, uint8_t *dbuf, size_t dcap) {
  smbw_trans_asm_init(a, pbuf, pcap, dbuf, dcap);
  for (int i = 0; i < n; i++) {
    smbw_msg m;
    smbw_andx_iter it;
    smbw_block blk;
    smbw_trans_req r;
    smbw_error e;
    if (smbw_msg_decode(msgs[i], lens[i], &m, &e) || (smbw_andx_iter_init(&it, &m), 0) ||
        smbw_andx_iter_next(&it, &blk, &e) != 1 || smbw_trans_req_decode(&blk, &r, &e))
      return -1;
    int rc = smbw_trans_asm_req(a, &r, &m.hdr, &e);
    if (rc < 0) {
      printf("fragment %d refused: %s (%s)\n", i, smbw_errname(rc), e.field);
      return rc;
    }
    if (rc == 1) return 1;
  }
  return 0;
}

/* A TRANSACTION2 request with 300 data bytes sent as a primary and two
   secondaries, reassembled; then a secondary that overlaps is refused. */
static void transactions(void) {
  static uint8_t data[300], msgs[4][1024], pbuf[16], dbuf[300];
  uint8_t params[6] = {0x34, 0x12, 0x04, 0x01, 0, 0}; /* FID, level */
  for (int i = 0; i < 300; i++) data[i] = (uint8_t)(i * 7);
  smbw_header h;
  memset(&h, 0, sizeof h);
  h.command = SMBW_COM_TRANSACTION2;
  h.flags2 = SMBW_FLAGS2_NT_STATUS;
  h.tid = 1, h.uid = 2, h.mid = 3, h.pid_low = 4;
  size_t lens[4];
  lens[0] = trans2_request(msgs[0], sizeof msgs[0], &h, params, 6, 300, data, 100);
  check(lens[0] > 0, "TRANSACTION2 primary encodes");
  for (int k = 1; k <= 3; k++) { /* secondaries: 100..200, 200..300, and 150..250 */
    uint32_t at = k == 3 ? 150u : 100u * (uint32_t)k;
    smbw_trans_req r;
    memset(&r, 0, sizeof r);
    r.command = SMBW_COM_TRANSACTION2_SECONDARY;
    r.total_param_count = 6;
    r.total_data_count = 300;
    r.data = (smbw_bytes){data + at, 100};
    r.data_displacement = at;
    smbw_builder b;
    h.command = SMBW_COM_TRANSACTION2_SECONDARY;
    smbw_builder_init(&b, msgs[k], sizeof msgs[k], SMBW_FRAMING_NONE, &h);
    smbw_trans_req_encode(&b, &r);
    check(smbw_builder_finish(&b, &lens[k]) == 0, "TRANSACTION2_SECONDARY encodes");
  }
  const uint8_t *const seq[3] = {msgs[0], msgs[1], msgs[2]};
  smbw_trans_asm a;
  int rc = reassemble(&a, seq, lens, 3, pbuf, sizeof pbuf, dbuf, sizeof dbuf);
  check(rc == 1 && a.params.len == 6 && a.data.len == 300 &&
            memcmp(a.params.data, params, 6) == 0 && memcmp(a.data.data, data, 300) == 0,
        "three fragments reassemble into the parameters and data");
  check(a.subcommand == 0x0008 && a.fragments == 3, "subcommand and fragment count kept");
  const uint8_t *const bad[3] = {msgs[0], msgs[1], msgs[3]};
  const size_t badlens[3] = {lens[0], lens[1], lens[3]};
  rc = reassemble(&a, bad, badlens, 3, pbuf, sizeof pbuf, dbuf, sizeof dbuf);
  check(rc == SMBW_E_TRANS_OVERLAP, "an overlapping secondary is refused");
}

/* The size of the file a QUERY_PATH_INFORMATION response describes, typed
   by what its request asked: the request's subcommand and level in, the
   response's records out. */
static int file_size(const smbw_trans_req *req, const smbw_trans_rsp *rsp, int unicode,
                     uint64_t *size) {
  uint16_t sub = smbw_trans_setup(req->setup, 0), level = 0;
  if (smbw_trans_level(SMBW_COM_TRANSACTION2, sub, req->params, &level) != 1) return -1;
  int setup, params, data;
  smbw_trans_records(SMBW_COM_TRANSACTION2, sub, 1, level, &setup, &params, &data);
  if (data != SMBW_RECORD_QUERY_FILE_ALL_INFO) return -1; /* another level */
  smbw_query_file_all_info all;
  smbw_error err;
  if (smbw_query_file_all_info_decode(rsp->data, unicode, &all, &err) < 0) return err.code;
  *size = all.end_of_file;
  return 0;
}

/* A QUERY_PATH_INFORMATION request at SMB_QUERY_FILE_ALL_INFO and its
   response's data, built with the records, then paired. */
static void pairing(void) {
  uint8_t params[64], data[128];
  smbw_trans2_path_req q;
  memset(&q, 0, sizeof q);
  q.information_level = SMBW_QUERY_FILE_ALL_INFO;
  q.file_name = (smbw_str){(const uint8_t *)"a.txt", 5, SMBW_STR_UTF8, 0, 0};
  int np = smbw_trans2_path_req_encode(&q, 1, params, sizeof params, NULL);
  smbw_query_file_all_info all;
  memset(&all, 0, sizeof all);
  all.end_of_file = 45;
  all.file_name = (smbw_str){(const uint8_t *)"a.txt", 5, SMBW_STR_UTF8, 0, 0};
  int nd = smbw_query_file_all_info_encode(&all, 1, data, sizeof data, NULL);
  check(np == 6 + 12 && nd == 72 + 10, "QUERY_PATH_INFORMATION parameters and level encode");
  const uint8_t setup[2] = {0x05, 0x00};
  smbw_trans_req req;
  smbw_trans_rsp rsp;
  memset(&req, 0, sizeof req);
  memset(&rsp, 0, sizeof rsp);
  req.setup = (smbw_bytes){setup, 2};
  req.params = (smbw_bytes){params, (uint32_t)np};
  rsp.data = (smbw_bytes){data, (uint32_t)nd};
  uint64_t size = 0;
  check(file_size(&req, &rsp, 1, &size) == 0 && size == 45,
        "the response's data typed by its request's level");
}

/* ---- doc/formats.md ---- */

static int list_directory(const smbw_trans_rsp *rsp, uint16_t level, int unicode) {
  smbw_find_first2_rsp fr;
  smbw_error e;
  if (smbw_find_first2_rsp_decode(rsp->params, &fr, &e)) return -1;
  smbw_find_iter it;
  smbw_find_entry ent;
  smbw_find_iter_init(&it, rsp->data, level, unicode, fr.search_count, 0);
  int rc, n = 0;
  while ((rc = smbw_find_iter_next(&it, &ent, &e)) == 1) {
    char name[256];
    size_t need;
    smbw_str_to_utf8(&ent.file_name, name, sizeof name, &need);
    printf("%-20s %10llu bytes\n", name, (unsigned long long)ent.end_of_file);
    n++;
  }
  if (rc < 0) printf("entry error: %s at data offset %u (%s)\n", smbw_errname(rc),
                     (unsigned)e.offset, e.field);
  return rc < 0 ? rc : n;
}

/* A FIND_FIRST2 response built with the encoders, listed by the snippet. */
static void formats(void) {
  static uint8_t data[512], params[16];
  size_t pos = 0, plen = 0;
  const char *names[2] = {"a.txt", "notes.doc"};
  for (int i = 0; i < 2; i++) {
    smbw_find_entry ent;
    memset(&ent, 0, sizeof ent);
    ent.file_name = smbw_str_utf8(names[i]);
    ent.end_of_file = 100u * (unsigned)(i + 1);
    ent.next_mode = i == 0 ? SMBW_FIND_NEXT_ALIGN8 : SMBW_FIND_NEXT_AS_GIVEN;
    check(smbw_find_append(data, sizeof data, &pos, SMBW_FIND_FILE_BOTH_DIRECTORY_INFO, 1,
                           &ent) == 0, "directory entry encodes");
  }
  smbw_find_first2_rsp fr;
  memset(&fr, 0, sizeof fr);
  fr.sid = 7;
  fr.search_count = 2;
  fr.end_of_search = 1;
  check(smbw_find_first2_rsp_encode(params, sizeof params, &fr, &plen) == 0,
        "FIND_FIRST2 response parameters encode");
  smbw_trans_rsp rsp;
  memset(&rsp, 0, sizeof rsp);
  rsp.command = SMBW_COM_TRANSACTION2;
  rsp.params = (smbw_bytes){params, (uint32_t)plen};
  rsp.data = (smbw_bytes){data, (uint32_t)pos};
  check(list_directory(&rsp, SMBW_FIND_FILE_BOTH_DIRECTORY_INFO, 1) == 2,
        "the listing shows both entries");
}

static void errors(void) {
  /* A READ_ANDX response whose AndXOffset points back into its header. */
  uint8_t buf[256];
  size_t len;
  smbw_header h = {0};
  h.flags = SMBW_FLAGS_REPLY;
  smbw_builder b;
  smbw_read_andx_rsp rr;
  memset(&rr, 0, sizeof rr);
  rr.wct = 12;
  smbw_builder_init(&b, buf, sizeof buf, SMBW_FRAMING_NONE, &h);
  smbw_read_andx_rsp_encode(&b, &rr);
  smbw_builder_finish(&b, &len);
  buf[32 + 1] = SMBW_COM_CLOSE;  /* AndXCommand */
  buf[32 + 3] = 8;               /* AndXOffset: inside the header */
  buf[32 + 4] = 0;

  smbw_msg m;
  smbw_error e = {0, 0, NULL};
  check(smbw_msg_decode(buf, len, &m, &e) == 0, "damaged message: header still decodes");
  /* snippet: errors walk */
  smbw_andx_iter it;
  smbw_block blk;
  int rc;
  smbw_andx_iter_init(&it, &m);
  while ((rc = smbw_andx_iter_next(&it, &blk, &e)) == 1)
    printf("block %u: %s at offset %u\n", blk.index, smbw_command_name(blk.command),
           blk.offset);
  if (rc < 0)
    printf("%s (%s) at offset %u, field %s\n", smbw_errname(rc), smbw_strerror(rc),
           e.offset, e.field);
  /* end snippet */
  check(rc == SMBW_E_ANDX_BACKWARD && e.code == rc && e.offset == 32 + 3 &&
            strcmp(e.field, "AndXOffset") == 0,
        "bad AndXOffset: SMBW_E_ANDX_BACKWARD at its offset");
  check(smbw_andx_iter_next(&it, &blk, &e) == SMBW_E_ANDX_BACKWARD, "the iterator error is sticky");

  /* Truncation: the header is cut. */
  check(smbw_msg_decode(buf, 20, &m, &e) == SMBW_E_TRUNCATED && e.offset == 20,
        "a cut header: SMBW_E_TRUNCATED at the end of the input");

  /* A typed decoder given the wrong block. */
  smbw_msg_decode(buf, len, &m, &e);
  smbw_andx_iter_init(&it, &m);
  smbw_andx_iter_next(&it, &blk, &e);
  smbw_open_andx_rsp o;
  check(smbw_open_andx_rsp_decode(&blk, &o, &e) == SMBW_E_COMMAND &&
            strcmp(e.field, "Command") == 0,
        "wrong decoder: SMBW_E_COMMAND");
  check(strcmp(smbw_errname(SMBW_E_ANDX_LOOP), "SMBW_E_ANDX_LOOP") == 0 &&
            strcmp(smbw_errname(12345), "SMBW_E_UNKNOWN") == 0,
        "smbw_errname");

  /* Status of an error response. */
  char text[64];
  /* snippet: errors status */
  smbw_status_format(SMBW_STATUS_LOGON_FAILURE, 1, text, sizeof text);
  /* "STATUS_LOGON_FAILURE" */
  smbw_status_format(SMBW_DOS_STATUS(1, 2), 0, text, sizeof text);
  /* "ERRDOS/ERRbadfile" */
  /* end snippet */
  check(strcmp(text, "ERRDOS/ERRbadfile") == 0, "DOS status text");
}

/* ---- README.md's example, on a READ_ANDX response ---- */

static void readme_example(const uint8_t *buf, size_t len) {
  /* snippet: README */
  /* buf/len: bytes received so far on a port-445 connection */
  smbw_nbss f;
  size_t need;
  smbw_error err;
  int n = smbw_nbss_frame(buf, len, SMBW_FRAMING_DIRECT, &f, &need, &err);
  if (n == 0) return;                       /* read `need` more bytes first */
  if (n < 0) die(smbw_errname(n), err.offset, err.field);

  if (f.type == SMBW_NBSS_SESSION_MESSAGE) { /* a keepalive carries no SMB */
    smbw_msg m;
    smbw_andx_iter it;
    smbw_block b;
    int rc = smbw_msg_decode(f.payload, f.length, &m, &err);
    if (rc < 0) die(smbw_errname(rc), err.offset, err.field);
    smbw_andx_iter_init(&it, &m);
    while ((rc = smbw_andx_iter_next(&it, &b, &err)) == 1) {
      if (b.command == SMBW_COM_READ_ANDX && (b.flags & SMBW_FLAGS_REPLY)) {
        smbw_read_andx_rsp r;
        if (smbw_read_andx_rsp_decode(&b, &r, &err) == 0)
          fwrite(r.data.data, 1, r.data.len, stdout);  /* a view into buf */
      }
    }
    if (rc < 0) die(smbw_errname(rc), err.offset, err.field);
  }
  /* consume n bytes */
  /* end snippet */
  check(n == (int)len, "README example consumes the whole packet");
}

/* ---- doc/nbss.md's datagram example: a mailslot SMB in a NetBIOS datagram ---- */

/* A GetBackupListRequest datagram (DIRECT_UNIQUE to WORKGROUP<1d>) as
   tests/golden/record_dgram.sh sends it (frame 3 of
   tests/framing/dgram-mailslot.pcapng). */
static const uint8_t dgram_bytes[] = {
    0x10, 0x06, 0x10, 0x03, 0x7f, 0x00, 0x00, 0x01, 0x00, 0x8a, 0x00, 0xa0, 0x00, 0x00,
    0x20, 0x46, 0x44, 0x45, 0x4e, 0x45, 0x43, 0x46, 0x48, 0x45, 0x4a, 0x46, 0x43, 0x45,
    0x46, 0x45, 0x45, 0x45, 0x48, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43,
    0x41, 0x43, 0x41, 0x41, 0x41, 0x00, 0x20, 0x46, 0x44, 0x45, 0x4e, 0x45, 0x43, 0x46,
    0x48, 0x45, 0x4a, 0x46, 0x43, 0x45, 0x46, 0x46, 0x48, 0x45, 0x48, 0x43, 0x41, 0x43,
    0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x43, 0x41, 0x42, 0x4e, 0x00, 0xff, 0x53,
    0x4d, 0x42, 0x25, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46, 0x4e, 0x00, 0x00,
    0x00, 0x00, 0x11, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x56, 0x00, 0x06, 0x00, 0x56,
    0x00, 0x03, 0x00, 0x01, 0x00, 0x01, 0x00, 0x02, 0x00, 0x17, 0x00, 0x5c, 0x4d, 0x41,
    0x49, 0x4c, 0x53, 0x4c, 0x4f, 0x54, 0x5c, 0x42, 0x52, 0x4f, 0x57, 0x53, 0x45, 0x00,
    0x09, 0x04, 0x78, 0x56, 0x34, 0x12,
};

/* doc/message.md, "The one-call typed parse and build", on the READ_ANDX
   response of open_read(): parsed in one call, built back in one call,
   byte for byte. */
static void typed_one_call(const uint8_t *buf, size_t len) {
  smbw_msg m;
  smbw_read_andx_rsp r;
  size_t need = 0;
  smbw_error e;
  int n = smbw_read_andx_rsp_parse(buf, len, SMBW_FRAMING_DIRECT, &m, &r, &need, &e);
  if (n == 0) { /* read `need` more bytes and call again */ }
  else if (n < 0) { /* e.code at e.offset (e.field) */ }
  else if (!m.data) { /* a keepalive: consume n bytes */ }
  else { /* m.hdr and r hold the message; consume n bytes */ }
  check(n > 0 && (size_t)n == len && m.data != NULL, "READ_ANDX response parsed in one call");
  check(r.data.len > 0 && r.data_length == r.data.len, "its data is a view");
  uint8_t out[4096];
  size_t blen = 0;
  check(smbw_read_andx_rsp_build(out, sizeof out, SMBW_FRAMING_DIRECT, &m.hdr, &r, &blen) == 0 &&
            blen == len && memcmp(out, buf, len) == 0,
        "and built back in one call, byte for byte");
  check(smbw_read_andx_rsp_build(NULL, 0, SMBW_FRAMING_DIRECT, &m.hdr, &r, &need) ==
                SMBW_E_NOSPACE && need == len,
        "a size query gives the exact size");
  check(smbw_read_andx_rsp_parse(buf, len - 1, SMBW_FRAMING_DIRECT, &m, &r, &need, &e) == 0 &&
            need == 1,
        "one byte short: need 1 more");
}

static void datagrams(void) {
  const uint8_t *udp_payload = dgram_bytes;
  size_t udp_len = sizeof dgram_bytes;
  /* snippet: nbss datagram */
  smbw_dgram d;
  smbw_msg m;
  smbw_andx_iter it;
  smbw_block b;
  smbw_trans_req t;
  smbw_error err;
  char slot[64] = "";
  if (smbw_dgram_decode(udp_payload, udp_len, &d, &err) == 0 &&
      d.type <= SMBW_DGRAM_BROADCAST && d.offset == 0 &&
      !(d.flags & SMBW_DGRAM_FLAG_MORE) &&
      smbw_msg_decode(d.data.data, d.data.len, &m, &err) == 0) {
    smbw_andx_iter_init(&it, &m);
    if (smbw_andx_iter_next(&it, &b, &err) == 1 && smbw_trans_req_decode(&b, &t, &err) == 0 &&
        t.name.len < sizeof slot)
      memcpy(slot, t.name.data, t.name.len); /* "\MAILSLOT\BROWSE"; t.data: the announcement */
  }
  /* end snippet */
  check(d.type == SMBW_DGRAM_DIRECT_UNIQUE && d.length == udp_len - 14,
        "datagram: DIRECT_UNIQUE, DGM_LENGTH");
  check(strcmp(slot, "\\MAILSLOT\\BROWSE") == 0 && t.data.len == 6 && t.data.data[0] == 9,
        "datagram: the mailslot SMB and its data");
}

/* ---- doc/nbss.md's fragment example: that datagram cut in two and put back ---- */

static void datagram_fragments(void) {
  /* the two fragments, written with the library's encoder */
  smbw_dgram w;
  check(smbw_dgram_decode(dgram_bytes, sizeof dgram_bytes, &w, NULL) == 0, "fragments: whole");
  static uint8_t f0[256], f1[256];
  const uint8_t *frag[2] = {f1, f0}; /* received last first */
  size_t frag_len[2], nfrags = 2;
  smbw_dgram p = w;
  p.flags = (uint8_t)((w.flags & SMBW_DGRAM_FLAG_SNT_MASK) | SMBW_DGRAM_FLAG_FIRST |
                      SMBW_DGRAM_FLAG_MORE);
  p.data.len = 40;
  check(smbw_dgram_encode(f0, sizeof f0, &p, &frag_len[1]) == 0, "fragments: first");
  p.flags = (uint8_t)(w.flags & SMBW_DGRAM_FLAG_SNT_MASK);
  p.offset = 40;
  p.data.data = w.data.data + 40;
  p.data.len = w.data.len - 40;
  check(smbw_dgram_encode(f1, sizeof f1, &p, &frag_len[0]) == 0, "fragments: second");
  /* snippet: nbss fragments */
  static uint8_t whole[131072]; /* always enough: 65535 + 65535 - 68 bytes */
  smbw_dgram_asm a;
  smbw_dgram d;
  smbw_error err;
  int rc = 0;
  smbw_dgram_asm_init(&a, whole, sizeof whole);
  for (size_t i = 0; i < nfrags && rc == 0; i++) { /* the datagrams received */
    if (smbw_dgram_decode(frag[i], frag_len[i], &d, &err) != 0) continue;
    if (a.type && !smbw_dgram_asm_match(&a, &d)) continue; /* another datagram: another reassembler */
    rc = smbw_dgram_asm_add(&a, &d, &err);
  }
  if (rc == 1) { /* a.data: the whole user data (an SMB, for a mailslot) */ }
  /* end snippet */
  check(rc == 1 && a.data.len == w.data.len && memcmp(a.data.data, w.data.data, w.data.len) == 0,
        "fragments: the whole user data back");
}

int main(void) {
  check(smbw_version() == SMBW_VERSION_NUMBER &&
            strcmp(smbw_version_string(), SMBW_VERSION_STRING) == 0,
        "library and header versions agree");
  session();
  negotiate();
  session_setup_tree_connect();
  open_read();
  readme_example(wire, wire_len); /* the READ_ANDX response still on the wire */
  typed_one_call(wire, wire_len);
  {
    /* a port-445 keepalive: framed and consumed, never given to the AndX walk
       (smbw_msg_decode of its empty payload would fail and die) */
    static const uint8_t keepalive[4] = {0x85, 0, 0, 0};
    readme_example(keepalive, sizeof keepalive);
  }
  measure();
  errors();
  transactions();
  pairing();
  formats();
  datagrams();
  datagram_fragments();
  printf("guide: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
