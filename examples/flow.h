/*
 * flow: read a pcap/pcapng capture with libpcap, follow the TCP connections
 * that carry NBSS (ports 139 and 445, plus any extra ports), reassemble each
 * direction in sequence order and hand every complete NBSS packet to a
 * callback, framed by smbw_nbss_frame().
 *
 * SMB on other ports: a connection none of whose ports is followed is
 * followed from its first segment that starts with an NBSS session message
 * header and 0xFF 'S' 'M' 'B' (the SMB1 header), as tshark's heuristics
 * recognise SMB; its direction comes from the handshake, else from the
 * message's SMB_FLAGS_REPLY bit; its framing is direct TCP unless its first
 * payload byte was an NBSS session request or response (then NBT).  The
 * connections with payload that are still not followed are counted
 * (flow_stats.skipped, with their server ports).
 *
 * Reassembly rules (see doc/smbdump.md):
 *  - connections are numbered from 0 in order of their first packet, like
 *    tshark's tcp.stream (every TCP connection counts, SMB or not; a SYN
 *    whose sequence number differs from the one the tuple started with opens
 *    a new connection, as tshark does for reused ports);
 *  - bytes already delivered (retransmissions, overlaps) are dropped: the
 *    first copy of a byte wins; segments ahead of the next expected byte wait
 *    in a bounded out-of-order store;
 *  - a hole that cannot be filled (out-of-order store full, the peer has
 *    acknowledged bytes the capture never showed and 64 more packets of the
 *    connection went by without them, a snapped (truncated) segment, FIN/RST,
 *    end of file) is skipped: the NBSS packet it falls in is dropped, and if
 *    the hole runs past that packet's end the stream is resynchronised on the
 *    next plausible NBSS header (type 0, then 0xFF/0xFE/0xFD 'S' 'M' 'B');
 *  - an NBSS framing error also triggers the resynchronisation;
 *  - a RST ends the direction of its sender only: the peer's data in flight
 *    (a response already sent) that the capture shows after it is still
 *    decoded, as tshark does; the connection counts as closed;
 *  - framing: port 139 (server side) is NBT (17-bit lengths, all packet
 *    types); any other port is direct TCP (24-bit lengths), unless the
 *    connection's first payload byte (either direction) is an NBSS session
 *    request or response (0x81..0x84), as on the extra ports of test
 *    servers: then NBT;
 *  - the server is the destination of the SYN (the source of a SYN-ACK),
 *    else the endpoint on an NBSS port, else the lower port;
 *  - memory per connection is bounded: one buffer per direction holding at
 *    most one incomplete NBSS packet (max_buffer_per_dir, default
 *    4 + 0xFFFFFF bytes, allocated as needed), plus an out-of-order store of
 *    at most 4 MiB and 4096 segments per direction.  Closed connections are
 *    forgotten 60 s (capture time) after their last packet, idle non-SMB
 *    ones after 600 s, and at most 262144 connections are kept at once.
 */
#ifndef SMBWIRE_EXAMPLES_FLOW_H
#define SMBWIRE_EXAMPLES_FLOW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <smbwire/nbss.h>

typedef struct flow_msg {
  uint32_t stream;      /* TCP connection index from 0 in order of first packet (= tshark tcp.stream) */
  uint64_t frame;       /* 1-based number of the packet completing the message */
  int c2s;              /* 1 client->server */
  uint16_t sport, dport;
  int transport;        /* SMBW_FRAMING_NBT (port 139) or SMBW_FRAMING_DIRECT */
  const uint8_t *nbss;  /* whole NBSS packet (4-byte header included), valid during the callback */
  size_t len;
  double ts;            /* timestamp of the completing packet */
} flow_msg;

typedef int (*flow_cb)(const flow_msg *m, void *ctx);   /* non-zero stops */

struct flow_dgram;

typedef struct flow_opts {
  const uint16_t *extra_ports;
  size_t n_extra_ports;
  size_t max_buffer_per_dir; /* 0 = default */
} flow_opts;

/* Read a pcap/pcapng file ("-" = stdin) with libpcap, follow TCP connections
   on ports 139/445 (+extra), reassemble each direction in order
   (retransmissions, overlaps, out-of-order segments, bounded memory per
   connection independent of capture size), frame NBSS with smbw_nbss_frame()
   and call cb for every complete NBSS packet in completion order.  Returns 0
   (also when cb stopped the reading) or -1 with a message in errbuf. */
int flow_read_file(const char *path, const flow_opts *o, flow_cb cb, void *ctx, char *errbuf,
                   size_t errlen);

/* ------------------------------------------------------------------ extras */

#define FLOW_SKIPPED_PORTS 8u

/* Counters of one run. */
typedef struct flow_stats {
  uint64_t packets;          /* records read */
  uint64_t file_bytes;       /* bytes of records read (headers + captured data) */
  uint64_t not_ip;           /* link type or ethertype not understood, or not IP */
  uint64_t ip_fragments;     /* IPv4/IPv6 fragments (not reassembled, ignored) */
  uint64_t not_tcp;          /* IP packets of another protocol */
  uint64_t tcp_packets;      /* TCP segments */
  uint64_t malformed;        /* IP or TCP header cut short or invalid */
  uint64_t connections;      /* TCP connections (streams numbered) */
  uint64_t smb_connections;  /* of which followed (on an NBSS port, or recognised by its bytes) */
  uint64_t smb_segments;     /* segments of those connections */
  uint64_t payload_bytes;    /* TCP payload bytes delivered in order */
  uint64_t retrans_bytes;    /* payload bytes seen before (retransmissions, overlaps) */
  uint64_t ooo_segments;     /* segments that arrived ahead of a hole */
  uint64_t snapped;          /* segments cut by the capture's snap length */
  uint64_t gaps;             /* holes skipped */
  uint64_t gap_bytes;        /* bytes in those holes */
  uint64_t lost_packets;     /* NBSS packets dropped because a hole fell in them */
  uint64_t resyncs;          /* resynchronisations (hole past a packet end, framing error) */
  uint64_t resync_bytes;     /* bytes skipped while looking for a header */
  uint64_t framing_errors;   /* smbw_nbss_frame() errors */
  uint64_t oversized;        /* NBSS packets larger than max_buffer_per_dir, skipped */
  uint64_t incomplete;       /* partial NBSS packets left at FIN/RST/end/eviction */
  uint64_t after_close;      /* payload segments after FIN/RST, ignored */
  uint64_t evicted;          /* connections forgotten (idle, closed or table full) */
  uint64_t messages;         /* NBSS packets delivered to the callback */
  uint64_t peak_buffered;    /* largest total of buffered bytes at any time */
  uint64_t peak_live;        /* largest number of connections kept at once */
  uint64_t smb_by_bytes;     /* connections followed because their bytes are SMB (other ports) */
  uint64_t skipped;          /* connections not followed that carried TCP payload */
  uint16_t skipped_ports[FLOW_SKIPPED_PORTS]; /* their server ports, the first few distinct */
  size_t n_skipped_ports;
  uint64_t dgrams;           /* UDP datagrams of port 138 handed to flow_ex.dgram */
} flow_stats;

/* Optional extras for flow_read_file_ex(). */
typedef struct flow_ex {
  flow_stats *stats; /* receives the counters at the end (nullable) */
  /* Called about every progress_every bytes of the file (0: never) with the
     counters so far, the bytes read and the file size (0 when unknown). */
  void (*progress)(const flow_stats *s, uint64_t done, uint64_t total, void *ctx);
  void *progress_ctx;
  uint64_t progress_every;
  /* Called once for every followed connection (one that was on an NBSS
     port) when it is forgotten: closed and quiet, evicted, or at the end of
     the capture, after its last message, with the stream number and the ctx
     given to the message callback (nullable).  A caller that keeps state
     per connection frees it here. */
  void (*conn_end)(uint32_t stream, void *ctx);
  /* Called for every UDP datagram to or from port 138 (the NetBIOS
     datagram service; datagrams are not flows: each is handed over as it
     comes), with the ctx given to the message callback (nullable: then
     UDP is not looked at).  Non-zero stops. */
  int (*dgram)(const struct flow_dgram *g, void *ctx);
} flow_ex;

/* One UDP datagram of port 138. */
typedef struct flow_dgram {
  uint64_t frame;       /* 1-based packet number */
  double ts;
  int af;               /* 4 or 6 */
  const uint8_t *src, *dst; /* the addresses (4 or 16 bytes) */
  uint16_t sport, dport;
  const uint8_t *data;  /* the UDP payload, valid during the callback */
  size_t len;           /* its captured length */
  size_t wire_len;      /* its length by the UDP header (> len when snapped) */
} flow_dgram;

/* The addresses of a datagram as text, source then destination. */
int flow_dgram_addrs(const flow_dgram *g, char *src, size_t srclen, char *dst, size_t dstlen);

/* flow_read_file() with counters and progress reports (ex may be NULL). */
int flow_read_file_ex(const char *path, const flow_opts *o, flow_cb cb, void *ctx,
                      const flow_ex *ex, char *errbuf, size_t errlen);

/* The same from an open stdio stream (pcap or pcapng bytes; fmemopen() for
   fuzzing), which is closed before returning. */
int flow_read_stream(FILE *fp, const flow_opts *o, flow_cb cb, void *ctx, const flow_ex *ex,
                     char *errbuf, size_t errlen);

/* The addresses of the connection a message belongs to, as text ("1.2.3.4",
   "::1"), source then destination of the message.  Only valid for the
   flow_msg passed to a callback, during the callback.  Returns 0 or -1. */
int flow_msg_addrs(const flow_msg *m, char *src, size_t srclen, char *dst, size_t dstlen);

#endif
