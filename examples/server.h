/*
 * smbwire-server: state shared between the connection/session core
 * (smbwire-server.c) and the file-system commands (server_fs.c).
 */
#ifndef SMBWIRE_EXAMPLES_SERVER_H
#define SMBWIRE_EXAMPLES_SERVER_H

#include <smbwire/smbwire.h>

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

/* Largest SMB message we accept (NEGOTIATE MaxBufferSize), and so the
   largest request a client sends: we offer neither CAP_LARGE_READX nor
   CAP_LARGE_WRITEX. */
#define SRV_MAX_BUFFER 65535u
/* Receive buffer: one whole largest NBSS packet plus room for the start of
   the next.  Send buffer: one response at a time. */
#define SRV_RBUF (4u + SRV_MAX_BUFFER + 512u)
#define SRV_WBUF (4u + SRV_MAX_BUFFER + 512u)
/* Largest READ_ANDX and FIND data we send. */
#define SRV_READ_MAX 61440u
#define SRV_FILES 32u    /* open files per connection */
#define SRV_SEARCHES 8u  /* open searches per connection */
#define SRV_TREES 8u     /* tree connects per connection */
#define SRV_PATH 512u    /* longest share-relative path kept per open file */
#define SRV_TPARAMS 1024u /* transaction reassembly: parameters */
#define SRV_TDATA 4096u   /* transaction reassembly: data */

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
};

extern struct srv_config cfg;

struct srv_file {
  uint16_t used;
  uint16_t tid;
  int fd;
  uint8_t is_dir;
  uint8_t delete_on_close;
  uint8_t writable;
  struct share *sh;
  char path[SRV_PATH]; /* share-relative, '/'-separated, "" for the root */
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
  /* session */
  int negotiated;
  uint8_t challenge[8];
  uint16_t uid;       /* 0: not logged on */
  uint8_t guest;
  uint16_t next_tid;
  /* signing */
  smbw_sign_seq seq;
  uint8_t sign_active;
  uint8_t mac_key[16 + 512]; /* session key || NT response */
  size_t mac_key_len;
  /* state */
  struct srv_tree trees[SRV_TREES];
  struct srv_file files[SRV_FILES];
  struct srv_search searches[SRV_SEARCHES];
  /* transaction reassembly */
  smbw_trans_asm tasm;
  uint8_t tasm_busy;
  uint16_t t_max_data, t_max_params;
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
