/*
 * smbwire-server: state shared between the connection/session core
 * (smbwire-server.c) and the file-system commands (server_fs.c).
 */
#ifndef SMBWIRE_EXAMPLES_SERVER_H
#define SMBWIRE_EXAMPLES_SERVER_H

#include <smbwire/smbwire.h>

#include "ntlm_server.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* NEGOTIATE MaxBufferSize: the largest message a client sends, except a
   WRITE_ANDX under CAP_LARGE_WRITEX, and the largest we send, except a
   READ_ANDX response under CAP_LARGE_READX. */
#define SRV_MAX_BUFFER 65535u
/* Largest READ_ANDX data we send and WRITE_ANDX data we take (CAP_LARGE_READX
   / CAP_LARGE_WRITEX): 127 KiB, what Samba's client asks of a Samba server,
   so a whole message still fits the 17-bit length of NBT framing. */
#define SRV_IO_MAX (127u * 1024u)
/* Receive buffer: one whole largest packet (a large WRITE_ANDX) plus room
   for the start of the next.  Send buffer: one response at a time (a
   large READ_ANDX response). */
#define SRV_RBUF (4u + SRV_IO_MAX + 1024u)
#define SRV_WBUF (4u + SRV_IO_MAX + 1024u)
/* Largest READ_ANDX data (and TRANS2 data scratch) we send. */
#define SRV_READ_MAX SRV_IO_MAX
/* Largest TRANS2 data we send in one response (within MaxBufferSize). */
#define SRV_TRANS_MAX 61440u
#define SRV_FILES 32u    /* open files per connection */
#define SRV_SEARCHES 8u  /* open searches per connection */
#define SRV_TREES 8u     /* tree connects per connection */
#define SRV_PATH 512u    /* longest share-relative path kept per open file */
#define SRV_TPARAMS 1024u /* transaction reassembly: parameters */
#define SRV_TDATA 4096u   /* transaction reassembly: data */
#define SRV_LOCKS 64u     /* byte-range locks held per connection */
#define MAX_CONNS 256     /* connections at once */

struct share {
  const char *name;
  const char *dir;
  int rootfd; /* O_DIRECTORY fd of the shared directory, kept open */
};

struct srv_config {
  struct share shares[16];
  int nshares;
  int read_only;
  int guest;
  struct {
    const char *name;
    const char *password;
  } users[16];
  int nusers;
  int signing; /* 0 off, 1 auto, 2 required */
  int ext_sec;  /* offer extended security (SPNEGO/NTLMSSP) to clients that know it */
  int idle_timeout; /* seconds without a complete request before closing; 0: never */
};

extern struct srv_config cfg;
struct conn;
extern struct conn *srv_conns[MAX_CONNS]; /* every open connection */
extern int srv_nconns;

struct srv_file {
  uint16_t used;
  uint16_t tid;
  int fd;
  uint8_t is_dir;
  uint8_t delete_on_close;
  uint8_t writable;
  struct share *sh;
  dev_t dev;           /* the file's identity, for byte-range locks */
  ino_t ino;
  char path[SRV_PATH]; /* share-relative, '/'-separated, "" for the root */
};

/* A byte-range lock (LOCKING_ANDX) held by this connection: the owner is
   (connection, FID, PID); conflicts are looked for on the same (dev, ino)
   in every connection's table. */
struct srv_lock {
  uint8_t used;
  uint8_t exclusive;
  uint16_t fid;
  uint16_t pid;
  dev_t dev;
  ino_t ino;
  uint64_t offset, length;
};

struct srv_search {
  uint16_t used;
  uint16_t tid;
  DIR *dir;
  int dirfd;  /* the directory searched (owned by dir) */
  uint8_t at_root;
  char pattern[256];
};

struct srv_tree {
  uint16_t used;
  uint16_t tid;
  struct share *sh; /* NULL: IPC$ */
};

struct conn {
  int fd;
  int framing;        /* SMBW_FRAMING_DIRECT, or NBT after a session request */
  int started;        /* first packet seen */
  char peer[64];
  size_t rstart, rend;
  size_t wpos, wlen;
  long long last_active; /* monotonic seconds of the last complete packet (idle timeout) */
  /* session */
  int negotiated;
  uint8_t challenge[8];
  uint16_t uid;       /* 0: not logged on */
  uint8_t guest;
  uint16_t next_tid;
  /* extended security: between the NTLMSSP legs */
  uint8_t ext_sec;        /* CAP_EXTENDED_SECURITY negotiated */
  uint8_t ntlmssp_stage;  /* 0: expect NEGOTIATE, 1: expect AUTHENTICATE */
  uint8_t spnego_bare;    /* the client sent bare NTLMSSP: answer bare */
  uint16_t pending_uid;   /* UID given in the first leg's response */
  ntlmssp_server ntlmssp;
  uint8_t mech_types[64]; /* the client's MechTypeList DER, for the mechListMIC */
  size_t mech_types_len;
  uint8_t ntlm_neg[128];  /* the NEGOTIATE and CHALLENGE messages, for the MIC */
  uint8_t ntlm_chal[256]; /* of the AUTHENTICATE */
  uint16_t ntlm_neg_len, ntlm_chal_len;
  /* signing */
  smbw_sign_seq seq;
  uint8_t sign_active;
  uint8_t mac_key[16 + 512]; /* session key || NT response */
  size_t mac_key_len;
  /* state */
  struct srv_tree trees[SRV_TREES];
  struct srv_file files[SRV_FILES];
  struct srv_search searches[SRV_SEARCHES];
  struct srv_lock locks[SRV_LOCKS];
  /* transaction reassembly */
  smbw_trans_asm tasm;
  uint8_t tasm_busy;
  uint16_t t_max_data, t_max_params;
  uint8_t t_params_odd, t_data_odd; /* the primary request's areas start at odd offsets */
  uint8_t tparams[SRV_TPARAMS];
  uint8_t tdata[SRV_TDATA];
  /* buffers */
  uint8_t rbuf[SRV_RBUF];
  uint8_t wbuf[SRV_WBUF];
};

/* What a command handler sees and may change in the response header. */
struct rsp {
  smbw_builder *b;
  const smbw_header *req; /* the request header */
  uint16_t uid, tid;      /* written into the response header */
  int no_response;        /* 1: send nothing (ECHO 0, NT_CANCEL) */
  int unicode;
  uint32_t ok_status;     /* a non-error status with a body (MORE_PROCESSING_REQUIRED) */
};

/* server_fs.c: each returns an NTSTATUS and, on success, has appended
   its response block(s) to r->b. */
uint32_t fs_dispatch(struct conn *c, const smbw_block *blk, struct rsp *r,
                     struct srv_tree *t);
void fs_close_tree(struct conn *c, uint16_t tid);
uint32_t fs_trans2(struct conn *c, struct srv_tree *t, struct rsp *r, uint16_t sub,
                   smbw_bytes params, smbw_bytes data);
void srv_log(const struct conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
