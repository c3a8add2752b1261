/*
 * smbwire-server: the file-system commands.  Paths never leave the share:
 * each client path is split into components ('..' refused, ':' refused),
 * walked from the share's directory fd with openat(O_NOFOLLOW |
 * O_DIRECTORY), and the last component is used with the *at() calls and
 * AT_SYMLINK_NOFOLLOW / O_NOFOLLOW: symbolic links are never followed
 * (opening one is refused; listings leave them out).
 */
#define _GNU_SOURCE

#include "server.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>

#define ST_DEAD 0xFFFFFFFFu /* close the connection */

/* NT_CREATE_ANDX (MS-CIFS 2.2.4.64.1) */
#define FILE_SUPERSEDE 0u
#define FILE_OPEN 1u
#define FILE_CREATE 2u
#define FILE_OPEN_IF 3u
#define FILE_OVERWRITE 4u
#define FILE_OVERWRITE_IF 5u
#define FILE_DIRECTORY_FILE 0x1u
#define FILE_NON_DIRECTORY_FILE 0x40u
#define FILE_DELETE_ON_CLOSE 0x1000u
#define WRITE_ACCESS \
  (0x2u | 0x4u | 0x10u | 0x100u | 0x10000u | 0x40000000u | 0x10000000u) /* data, append, EA, attrs, DELETE, GENERIC_WRITE/ALL */

#define ATTR_DIRECTORY 0x10u
#define ATTR_ARCHIVE 0x20u

/* Scratch, shared by all connections (one thread): file data read, TRANS2
   response parameters and data. */
static uint8_t scratch[SRV_READ_MAX];
static uint8_t tparams_out[64];

static void put16(uint8_t *p, uint16_t v) {
  p[0] = (uint8_t)v;
  p[1] = (uint8_t)(v >> 8);
}
static void put32(uint8_t *p, uint32_t v) {
  put16(p, (uint16_t)v);
  put16(p + 2, (uint16_t)(v >> 16));
}

static uint32_t errno_status(int e) {
  switch (e) {
  case ENOENT: return SMBW_STATUS_OBJECT_NAME_NOT_FOUND;
  case ENOTDIR: return SMBW_STATUS_OBJECT_PATH_NOT_FOUND;
  case EEXIST: return SMBW_STATUS_OBJECT_NAME_COLLISION;
  case EACCES: case EPERM: case EROFS: case ELOOP: return SMBW_STATUS_ACCESS_DENIED;
  case ENOTEMPTY: return SMBW_STATUS_DIRECTORY_NOT_EMPTY;
  case EISDIR: return SMBW_STATUS_FILE_IS_A_DIRECTORY;
  case ENOSPC: return SMBW_STATUS_DISK_FULL;
  case ENAMETOOLONG: return SMBW_STATUS_OBJECT_NAME_INVALID;
  case EMFILE: case ENFILE: return SMBW_STATUS_INSUFF_SERVER_RESOURCES;
  default: return SMBW_STATUS_UNSUCCESSFUL;
  }
}

static uint64_t filetime(struct timespec ts) {
  return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull + (uint64_t)ts.tv_nsec / 100u;
}

/* ---------------------------------------------------------------- paths */

struct resolved {
  int dirfd;           /* the directory holding the last component (close it) */
  char leaf[256];      /* last component, "." for the share root */
  char rel[SRV_PATH];  /* share-relative path, "" for the root */
  int root;            /* the path names the share root */
};

/*
 * Resolve a client path inside share @p sh.  Returns 0 or an NTSTATUS.
 * @p name is a wire string (UTF-16LE or OEM); separators are '\' (and '/').
 */
static uint32_t resolve(const struct conn *c, const struct share *sh, const smbw_str *name,
                        struct resolved *out) {
  char path[1024];
  size_t need = 0;
  if (smbw_str_to_utf8(name, path, sizeof path, &need)) return SMBW_STATUS_OBJECT_NAME_INVALID;
  if (strlen(path) != need) return SMBW_STATUS_OBJECT_NAME_INVALID; /* a NUL inside */
  char *comps[64];
  int n = 0;
  for (char *p = path; *p; p++)
    if (*p == '\\') *p = '/';
  char *save = NULL;
  for (char *tok = strtok_r(path, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (strcmp(tok, ".") == 0) continue;
    if (strcmp(tok, "..") == 0) {
      srv_log(c, "path with '..' refused (%s)", sh->name);
      return SMBW_STATUS_ACCESS_DENIED;
    }
    if (strchr(tok, ':')) return SMBW_STATUS_OBJECT_NAME_NOT_FOUND; /* no streams */
    if (strlen(tok) > 255) return SMBW_STATUS_OBJECT_NAME_INVALID;
    if (n == 64) return SMBW_STATUS_OBJECT_NAME_INVALID;
    comps[n++] = tok;
  }
  out->rel[0] = '\0';
  size_t rl = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(comps[i]);
    if (rl + l + 2 > sizeof out->rel) return SMBW_STATUS_OBJECT_NAME_INVALID;
    if (i) out->rel[rl++] = '/';
    memcpy(out->rel + rl, comps[i], l + 1);
    rl += l;
  }
  /* A new open, not dup(): a dup shares the directory offset that
     readdir() moves. */
  int fd = openat(sh->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return errno_status(errno);
  for (int i = 0; i + 1 < n; i++) {
    int nfd = openat(fd, comps[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int e = errno;
    close(fd);
    if (nfd < 0) {
      if (e == ELOOP) srv_log(c, "symbolic link in path refused (%s)", sh->name);
      return e == ENOENT || e == ENOTDIR ? SMBW_STATUS_OBJECT_PATH_NOT_FOUND : errno_status(e);
    }
    fd = nfd;
  }
  out->dirfd = fd;
  out->root = n == 0;
  strcpy(out->leaf, n ? comps[n - 1] : ".");
  return 0;
}

static uint32_t stat_leaf(const struct resolved *rp, struct stat *st) {
  if (fstatat(rp->dirfd, rp->leaf, st, AT_SYMLINK_NOFOLLOW) < 0) return errno_status(errno);
  if (S_ISLNK(st->st_mode)) return SMBW_STATUS_ACCESS_DENIED;
  return 0;
}

static int has_wildcards(const char *s) { return strpbrk(s, "*?<>\"") != NULL; }

/* Case-insensitive match with '*', '?' and the DOS forms '<' '>' '"'. */
static int wild_match(const char *pat, const char *s) {
  for (;; pat++, s++) {
    char p = *pat;
    if (p == '<') p = '*';
    if (p == '>') p = '?';
    if (p == '"') p = '.';
    if (p == '*') {
      while (*pat == '*' || *pat == '<') pat++;
      if (!*pat) return 1;
      for (; *s; s++)
        if (wild_match(pat, s)) return 1;
      return wild_match(pat, s);
    }
    if (!p) return !*s;
    if (!*s) return 0;
    if (p == '?') continue;
    char a = p, b = *s;
    if (a >= 'A' && a <= 'Z') a = (char)(a + 32);
    if (b >= 'A' && b <= 'Z') b = (char)(b + 32);
    if (a != b) return 0;
  }
}

static uint32_t attrs_of(const struct stat *st) {
  return S_ISDIR(st->st_mode) ? ATTR_DIRECTORY : ATTR_ARCHIVE;
}

/* ---------------------------------------------------------------- files */

static struct srv_file *find_file(struct conn *c, uint16_t fid, uint16_t tid) {
  if (fid == 0 || fid > SRV_FILES) return NULL;
  struct srv_file *f = &c->files[fid - 1];
  return f->used && f->tid == tid ? f : NULL;
}

/* ------------------------------------------------------ byte-range locks */

static int ranges_overlap(uint64_t a, uint64_t al, uint64_t b, uint64_t bl) {
  /* Zero-length ranges never conflict; the ends are checked without overflow. */
  if (al == 0 || bl == 0) return 0;
  return a <= b ? b - a < al : a - b < bl;
}

enum lock_use { USE_READ, USE_WRITE, USE_SHARED_LOCK, USE_EXCLUSIVE_LOCK };

/* Whether a held lock stands in the way of owner (c, fid, pid) using
   [off, off+len) of file f: a read meets others' exclusive locks, a write
   any lock of others; a shared lock request meets exclusive locks of
   others, an exclusive one every lock, its owner's too.  Looks in every
   connection's table. */
static int lock_conflict(const struct conn *c, const struct srv_file *f, uint16_t fid,
                         uint16_t pid, uint64_t off, uint64_t len, enum lock_use use) {
  for (int i = 0; i < srv_nconns; i++) {
    const struct conn *o = srv_conns[i];
    for (unsigned k = 0; k < SRV_LOCKS; k++) {
      const struct srv_lock *l = &o->locks[k];
      if (!l->used || l->dev != f->dev || l->ino != f->ino) continue;
      if (!ranges_overlap(l->offset, l->length, off, len)) continue;
      int mine = o == c && l->fid == fid && l->pid == pid;
      switch (use) {
      case USE_READ:
        if (!mine && l->exclusive) return 1;
        break;
      case USE_WRITE:
        if (!mine) return 1;
        break;
      case USE_SHARED_LOCK:
        if (l->exclusive && !mine) return 1;
        break;
      case USE_EXCLUSIVE_LOCK:
        return 1;
      }
    }
  }
  return 0;
}

static void unlock_fid(struct conn *c, uint16_t fid) {
  for (unsigned k = 0; k < SRV_LOCKS; k++)
    if (c->locks[k].used && c->locks[k].fid == fid) c->locks[k].used = 0;
}

static void close_file(struct conn *c, struct srv_file *f) {
  unlock_fid(c, (uint16_t)(f - c->files + 1));
  if (f->delete_on_close && f->sh) {
    if (f->path[0]) {
      /* Resolve again: the path was checked at open and we never follow links. */
      smbw_str s = smbw_str_utf8(f->path);
      struct resolved rp;
      if (resolve(NULL, f->sh, &s, &rp) == 0) {
        unlinkat(rp.dirfd, rp.leaf, f->is_dir ? AT_REMOVEDIR : 0);
        close(rp.dirfd);
      }
    }
  }
  if (f->fd >= 0) close(f->fd);
  f->fd = -1;
  f->used = 0;
}

void fs_close_tree(struct conn *c, uint16_t tid) {
  for (unsigned i = 0; i < SRV_FILES; i++)
    if (c->files[i].used && c->files[i].tid == tid) close_file(c, &c->files[i]);
  for (unsigned i = 0; i < SRV_SEARCHES; i++)
    if (c->searches[i].used && c->searches[i].tid == tid) {
      closedir(c->searches[i].dir);
      c->searches[i].used = 0;
    }
}

static uint32_t do_nt_create(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                             struct rsp *r) {
  smbw_nt_create_andx_req q;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_nt_create_andx_req_decode(blk, &q, &e);
  if (rc) {
    srv_log(c, "bad NT_CREATE_ANDX: %s, field %s, offset %u; closing", smbw_errname(rc),
            e.field ? e.field : "?", (unsigned)e.offset);
    return ST_DEAD;
  }
  if (!t->sh) return SMBW_STATUS_NOT_SUPPORTED; /* no pipes on IPC$ */
  if (q.root_directory_fid) return SMBW_STATUS_NOT_SUPPORTED;
  uint32_t disp = q.create_disposition, opts = q.create_options;
  if (disp > FILE_OVERWRITE_IF) return SMBW_STATUS_INVALID_PARAMETER;
  int wants_write = (q.desired_access & WRITE_ACCESS) != 0 || disp == FILE_SUPERSEDE ||
                    disp == FILE_OVERWRITE || disp == FILE_OVERWRITE_IF ||
                    (opts & FILE_DELETE_ON_CLOSE);
  if (cfg.read_only && wants_write) return SMBW_STATUS_ACCESS_DENIED;
  struct srv_file *f = NULL;
  uint16_t fid = 0;
  for (unsigned i = 0; i < SRV_FILES && !f; i++)
    if (!c->files[i].used) {
      f = &c->files[i];
      fid = (uint16_t)(i + 1);
    }
  if (!f) return SMBW_STATUS_INSUFF_SERVER_RESOURCES;

  struct resolved rp;
  uint32_t st = resolve(c, t->sh, &q.file_name, &rp);
  if (st) return st;
  struct stat sb;
  uint32_t action = 1; /* FILE_OPENED */
  int fd = -1;
  int exists = fstatat(rp.dirfd, rp.leaf, &sb, AT_SYMLINK_NOFOLLOW) == 0;
  if (!exists && errno != ENOENT) {
    st = errno_status(errno);
    goto out;
  }
  if (exists && S_ISLNK(sb.st_mode)) {
    srv_log(c, "open of a symbolic link refused (%s/%s)", t->sh->name, rp.rel);
    st = SMBW_STATUS_ACCESS_DENIED;
    goto out;
  }
  if (exists) {
    if (disp == FILE_CREATE) {
      st = SMBW_STATUS_OBJECT_NAME_COLLISION;
      goto out;
    }
    if (S_ISDIR(sb.st_mode)) {
      if (opts & FILE_NON_DIRECTORY_FILE) {
        st = SMBW_STATUS_FILE_IS_A_DIRECTORY;
        goto out;
      }
      fd = openat(rp.dirfd, rp.leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    } else if (!S_ISREG(sb.st_mode)) {
      st = SMBW_STATUS_ACCESS_DENIED;
      goto out;
    } else {
      if (opts & FILE_DIRECTORY_FILE) {
        st = SMBW_STATUS_NOT_A_DIRECTORY;
        goto out;
      }
      int flags = O_NOFOLLOW | O_CLOEXEC | (cfg.read_only ? O_RDONLY : O_RDWR);
      if (disp == FILE_SUPERSEDE || disp == FILE_OVERWRITE || disp == FILE_OVERWRITE_IF) {
        flags |= O_TRUNC;
        action = disp == FILE_SUPERSEDE ? 0 : 3; /* SUPERSEDED, OVERWRITTEN */
      }
      fd = openat(rp.dirfd, rp.leaf, flags);
      if (fd < 0 && errno == EACCES && !(flags & O_TRUNC) && !wants_write)
        fd = openat(rp.dirfd, rp.leaf, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
  } else {
    if (disp == FILE_OPEN || disp == FILE_OVERWRITE) {
      st = SMBW_STATUS_OBJECT_NAME_NOT_FOUND;
      goto out;
    }
    if (cfg.read_only) {
      st = SMBW_STATUS_ACCESS_DENIED;
      goto out;
    }
    action = 2; /* FILE_CREATED */
    if (opts & FILE_DIRECTORY_FILE) {
      if (mkdirat(rp.dirfd, rp.leaf, 0755) < 0) {
        st = errno_status(errno);
        goto out;
      }
      fd = openat(rp.dirfd, rp.leaf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    } else {
      fd = openat(rp.dirfd, rp.leaf, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    }
  }
  if (fd < 0 || fstat(fd, &sb) < 0) {
    st = errno_status(errno);
    if (fd >= 0) close(fd);
    goto out;
  }
  memset(f, 0, sizeof *f);
  f->used = 1;
  f->tid = t->tid;
  f->fd = fd;
  f->sh = t->sh;
  f->is_dir = S_ISDIR(sb.st_mode) != 0;
  f->dev = sb.st_dev;
  f->ino = sb.st_ino;
  f->writable = !cfg.read_only && !f->is_dir;
  f->delete_on_close = (opts & FILE_DELETE_ON_CLOSE) != 0 && !rp.root;
  snprintf(f->path, sizeof f->path, "%s", rp.rel);

  smbw_nt_create_andx_rsp p;
  memset(&p, 0, sizeof p);
  p.wct = 34;
  p.nwords = 34;
  p.andx.command = 0xFF;
  p.fid = fid;
  p.create_disposition = action;
  p.create_time = filetime(sb.st_mtim);
  p.last_access_time = filetime(sb.st_atim);
  p.last_write_time = filetime(sb.st_mtim);
  p.last_change_time = filetime(sb.st_ctim);
  p.ext_file_attributes = attrs_of(&sb);
  p.allocation_size = (uint64_t)sb.st_blocks * 512u;
  p.end_of_file = f->is_dir ? 0 : (uint64_t)sb.st_size;
  p.directory = f->is_dir;
  if (smbw_nt_create_andx_rsp_encode(r->b, &p)) st = SMBW_STATUS_INTERNAL_ERROR;
out:
  close(rp.dirfd);
  return st;
}

static uint32_t do_read(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                        struct rsp *r) {
  smbw_read_andx_req q;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_read_andx_req_decode(blk, &q, &e);
  if (rc) {
    srv_log(c, "bad READ_ANDX: %s, field %s, offset %u; closing", smbw_errname(rc),
            e.field ? e.field : "?", (unsigned)e.offset);
    return ST_DEAD;
  }
  struct srv_file *f = find_file(c, q.fid, t->tid);
  if (!f) return SMBW_STATUS_INVALID_HANDLE;
  if (f->is_dir) return SMBW_STATUS_INVALID_DEVICE_REQUEST;
  /* CAP_LARGE_READX: the low 16 bits of Timeout are MaxCountHigh (MS-SMB
     2.2.4.2.1); 0xFFFFFFFF there is a timeout, not a count. */
  size_t want = q.max_count;
  if (q.wct == 12 && q.timeout != 0xFFFFFFFFu) want |= (size_t)(q.timeout & 0xFFFFu) << 16;
  if (want > sizeof scratch) want = sizeof scratch;
  if (lock_conflict(c, f, q.fid, r->req->pid_low, q.offset, want, USE_READ))
    return SMBW_STATUS_FILE_LOCK_CONFLICT;
  ssize_t k = pread(f->fd, scratch, want, (off_t)q.offset);
  if (k < 0) return errno_status(errno);
  smbw_read_andx_rsp p;
  memset(&p, 0, sizeof p);
  p.wct = 12;
  p.andx.command = 0xFF;
  p.available = 0xFFFF;
  p.data.data = scratch;
  p.data.len = (uint32_t)k;
  p.data_length = (uint32_t)k;
  return smbw_read_andx_rsp_encode(r->b, &p) ? SMBW_STATUS_INTERNAL_ERROR : 0;
}

static uint32_t do_write(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                         struct rsp *r) {
  smbw_write_andx_req q;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_write_andx_req_decode(blk, &q, &e);
  if (rc) {
    srv_log(c, "bad WRITE_ANDX: %s, field %s, offset %u; closing", smbw_errname(rc),
            e.field ? e.field : "?", (unsigned)e.offset);
    return ST_DEAD;
  }
  struct srv_file *f = find_file(c, q.fid, t->tid);
  if (!f) return SMBW_STATUS_INVALID_HANDLE;
  if (cfg.read_only || !f->writable) return SMBW_STATUS_ACCESS_DENIED;
  if (lock_conflict(c, f, q.fid, r->req->pid_low, q.offset, q.data.len, USE_WRITE))
    return SMBW_STATUS_FILE_LOCK_CONFLICT;
  size_t done = 0;
  while (done < q.data.len) {
    ssize_t k = pwrite(f->fd, q.data.data + done, q.data.len - done, (off_t)(q.offset + done));
    if (k < 0) {
      if (errno == EINTR) continue;
      return errno_status(errno);
    }
    done += (size_t)k;
  }
  smbw_write_andx_rsp p;
  memset(&p, 0, sizeof p);
  p.wct = 6;
  p.andx.command = 0xFF;
  p.count = (uint32_t)done;
  p.available = 0xFFFF;
  return smbw_write_andx_rsp_encode(r->b, &p) ? SMBW_STATUS_INTERNAL_ERROR : 0;
}

/* DELETE: one name, or a wildcard in the last component. */
static uint32_t do_delete(struct conn *c, struct srv_tree *t, const smbw_str *name) {
  struct resolved rp;
  uint32_t st = resolve(c, t->sh, name, &rp);
  if (st) return st;
  if (!has_wildcards(rp.leaf)) {
    struct stat sb;
    st = stat_leaf(&rp, &sb);
    if (!st && S_ISDIR(sb.st_mode)) st = SMBW_STATUS_FILE_IS_A_DIRECTORY;
    if (!st && unlinkat(rp.dirfd, rp.leaf, 0) < 0) st = errno_status(errno);
    close(rp.dirfd);
    return st;
  }
  int dfd = dup(rp.dirfd);
  DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
  if (!d) {
    if (dfd >= 0) close(dfd);
    close(rp.dirfd);
    return SMBW_STATUS_INSUFF_SERVER_RESOURCES;
  }
  int n = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    struct stat sb;
    if (!wild_match(rp.leaf, de->d_name)) continue;
    if (fstatat(rp.dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(sb.st_mode))
      continue;
    if (unlinkat(rp.dirfd, de->d_name, 0) == 0) n++;
  }
  closedir(d);
  close(rp.dirfd);
  return n ? 0 : SMBW_STATUS_NO_SUCH_FILE;
}

static uint32_t do_rename(struct conn *c, struct srv_tree *t, const smbw_str *from,
                          const smbw_str *to, int hardlink) {
  struct resolved a, b;
  uint32_t st = resolve(c, t->sh, from, &a);
  if (st) return st;
  st = resolve(c, t->sh, to, &b);
  if (st) {
    close(a.dirfd);
    return st;
  }
  struct stat sb;
  st = stat_leaf(&a, &sb);
  if (!st && (a.root || b.root)) st = SMBW_STATUS_ACCESS_DENIED;
  if (!st && fstatat(b.dirfd, b.leaf, &sb, AT_SYMLINK_NOFOLLOW) == 0)
    st = SMBW_STATUS_OBJECT_NAME_COLLISION;
  if (!st) {
    int rc = hardlink ? linkat(a.dirfd, a.leaf, b.dirfd, b.leaf, 0)
                      : renameat(a.dirfd, a.leaf, b.dirfd, b.leaf);
    if (rc < 0) st = errno_status(errno);
  }
  close(a.dirfd);
  close(b.dirfd);
  return st;
}

static uint32_t empty_rsp(struct rsp *r, uint8_t cmd) {
  return smbw_builder_raw(r->b, cmd, NULL, 0, NULL, 0) ? SMBW_STATUS_INTERNAL_ERROR : 0;
}

#define DECODE_OR_DIE(type, what)                                                       \
  smbw_##type q;                                                                        \
  do {                                                                                  \
    smbw_error e_ = {0, 0, NULL};                                                       \
    int rc_ = smbw_##type##_decode(blk, &q, &e_);                                       \
    if (rc_) {                                                                          \
      srv_log(c, "bad %s: %s, field %s, offset %u; closing", what, smbw_errname(rc_),   \
              e_.field ? e_.field : "?", (unsigned)e_.offset);                          \
      return ST_DEAD;                                                                   \
    }                                                                                   \
  } while (0)

static uint32_t do_transaction(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                               struct rsp *r);

/* LOCKING_ANDX (MS-CIFS 2.2.4.32, 3.3.5.14): the unlocks, then the locks,
   all or nothing; no waiting (a lock that conflicts fails at once); an
   oplock break acknowledgement without ranges gets no response (we grant
   no oplocks, so there is nothing to release). */
static uint32_t do_locking(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                           struct rsp *r) {
  DECODE_OR_DIE(locking_andx_req, "LOCKING_ANDX");
  struct srv_file *f = find_file(c, q.fid, t->tid);
  if ((q.type_of_lock & SMBW_LOCKING_OPLOCK_RELEASE) && q.number_of_unlocks == 0 &&
      q.number_of_locks == 0) {
    r->no_response = 1;
    return 0;
  }
  if (!f) return SMBW_STATUS_INVALID_HANDLE;
  if (f->is_dir) return SMBW_STATUS_INVALID_DEVICE_REQUEST;
  if (q.type_of_lock & (SMBW_LOCKING_CHANGE_LOCKTYPE | SMBW_LOCKING_CANCEL_LOCK))
    return SMBW_STATUS_NOT_SUPPORTED; /* nothing waits, so nothing to cancel or change */
  int exclusive = !(q.type_of_lock & SMBW_LOCKING_SHARED_LOCK);
  smbw_lock_range lr;
  /* Check every record first: a range past 2^64, an unlock of nothing. */
  for (uint32_t i = 0; i < (uint32_t)q.number_of_unlocks + q.number_of_locks; i++) {
    int is_unlock = i < q.number_of_unlocks;
    if (smbw_lock_range_get(is_unlock ? q.unlocks : q.locks, q.type_of_lock,
                            is_unlock ? i : i - q.number_of_unlocks, &lr))
      return SMBW_STATUS_INVALID_PARAMETER;
    if (lr.length && lr.offset + (lr.length - 1) < lr.offset) return SMBW_STATUS_INVALID_LOCK_RANGE;
  }
  for (uint32_t i = 0; i < q.number_of_unlocks; i++) {
    smbw_lock_range_get(q.unlocks, q.type_of_lock, i, &lr);
    unsigned k;
    for (k = 0; k < SRV_LOCKS; k++) {
      struct srv_lock *l = &c->locks[k];
      if (l->used && l->fid == q.fid && l->pid == lr.pid && l->offset == lr.offset &&
          l->length == lr.length)
        break;
    }
    if (k == SRV_LOCKS) return SMBW_STATUS_RANGE_NOT_LOCKED;
    c->locks[k].used = 0;
  }
  unsigned granted[SRV_LOCKS];
  unsigned ngranted = 0;
  uint32_t st = 0;
  for (uint32_t i = 0; i < q.number_of_locks && !st; i++) {
    smbw_lock_range_get(q.locks, q.type_of_lock, i, &lr);
    if (lock_conflict(c, f, q.fid, lr.pid, lr.offset, lr.length,
                      exclusive ? USE_EXCLUSIVE_LOCK : USE_SHARED_LOCK)) {
      st = q.timeout ? SMBW_STATUS_FILE_LOCK_CONFLICT : SMBW_STATUS_LOCK_NOT_GRANTED;
      break;
    }
    unsigned k;
    for (k = 0; k < SRV_LOCKS && c->locks[k].used; k++) {
    }
    if (k == SRV_LOCKS) {
      srv_log(c, "LOCKING_ANDX: the table of %u locks is full", SRV_LOCKS);
      st = SMBW_STATUS_INSUFF_SERVER_RESOURCES;
      break;
    }
    struct srv_lock *l = &c->locks[k];
    l->used = 1;
    l->exclusive = (uint8_t)exclusive;
    l->fid = q.fid;
    l->pid = lr.pid;
    l->dev = f->dev;
    l->ino = f->ino;
    l->offset = lr.offset;
    l->length = lr.length;
    granted[ngranted++] = k;
  }
  if (st) { /* all or nothing: release what this request took */
    for (unsigned i = 0; i < ngranted; i++) c->locks[granted[i]].used = 0;
    return st;
  }
  smbw_locking_andx_rsp p;
  memset(&p, 0, sizeof p);
  p.wct = 2;
  p.andx.command = 0xFF;
  return smbw_locking_andx_rsp_encode(r->b, &p) ? SMBW_STATUS_INTERNAL_ERROR : 0;
}

uint32_t fs_dispatch(struct conn *c, const smbw_block *blk, struct rsp *r, struct srv_tree *t) {
  uint8_t cmd = blk->command;
  int write_cmd = cmd == SMBW_COM_DELETE || cmd == SMBW_COM_RENAME ||
                  cmd == SMBW_COM_NT_RENAME || cmd == SMBW_COM_CREATE_DIRECTORY ||
                  cmd == SMBW_COM_DELETE_DIRECTORY;
  switch (cmd) {
  case SMBW_COM_NT_CREATE_ANDX:
    return do_nt_create(c, t, blk, r);
  case SMBW_COM_READ_ANDX:
    return do_read(c, t, blk, r);
  case SMBW_COM_WRITE_ANDX:
    return do_write(c, t, blk, r);
  case SMBW_COM_CLOSE: {
    DECODE_OR_DIE(close_req, "CLOSE");
    struct srv_file *f = find_file(c, q.fid, t->tid);
    if (!f) return SMBW_STATUS_INVALID_HANDLE;
    close_file(c, f);
    return empty_rsp(r, cmd);
  }
  case SMBW_COM_FLUSH: {
    DECODE_OR_DIE(flush_req, "FLUSH");
    struct srv_file *f = find_file(c, q.fid, t->tid);
    if (f && !f->is_dir) fsync(f->fd);
    return empty_rsp(r, cmd);
  }
  case SMBW_COM_FIND_CLOSE2: {
    DECODE_OR_DIE(find_close2_req, "FIND_CLOSE2");
    if (q.sid == 0 || q.sid > SRV_SEARCHES || !c->searches[q.sid - 1].used)
      return SMBW_STATUS_INVALID_HANDLE;
    closedir(c->searches[q.sid - 1].dir);
    c->searches[q.sid - 1].used = 0;
    return empty_rsp(r, cmd);
  }
  case SMBW_COM_TRANSACTION2:
  case SMBW_COM_TRANSACTION2_SECONDARY:
    return do_transaction(c, t, blk, r);
  case SMBW_COM_LOCKING_ANDX:
    return do_locking(c, t, blk, r);
  default:
    break;
  }
  if (!t->sh) return SMBW_STATUS_NOT_SUPPORTED;
  if (write_cmd && cfg.read_only) return SMBW_STATUS_ACCESS_DENIED;
  switch (cmd) {
  case SMBW_COM_DELETE: {
    DECODE_OR_DIE(delete_req, "DELETE");
    uint32_t st = do_delete(c, t, &q.file_name);
    return st ? st : empty_rsp(r, cmd);
  }
  case SMBW_COM_RENAME: {
    DECODE_OR_DIE(rename_req, "RENAME");
    uint32_t st = do_rename(c, t, &q.old_file_name, &q.new_file_name, 0);
    return st ? st : empty_rsp(r, cmd);
  }
  case SMBW_COM_NT_RENAME: {
    DECODE_OR_DIE(nt_rename_req, "NT_RENAME");
    if (q.information_level != 0x0103 && q.information_level != 0x0104)
      return SMBW_STATUS_NOT_SUPPORTED;
    uint32_t st = do_rename(c, t, &q.old_file_name, &q.new_file_name,
                            q.information_level == 0x0103);
    return st ? st : empty_rsp(r, cmd);
  }
  case SMBW_COM_CREATE_DIRECTORY:
  case SMBW_COM_DELETE_DIRECTORY:
  case SMBW_COM_CHECK_DIRECTORY: {
    /* One struct, but a decoder per command (each checks its command). */
    smbw_path_req q;
    smbw_error e = {0, 0, NULL};
    int rc = cmd == SMBW_COM_CREATE_DIRECTORY   ? smbw_create_directory_req_decode(blk, &q, &e)
             : cmd == SMBW_COM_DELETE_DIRECTORY ? smbw_delete_directory_req_decode(blk, &q, &e)
                                                : smbw_check_directory_req_decode(blk, &q, &e);
    if (rc) {
      srv_log(c, "bad %s: %s, field %s, offset %u; closing", smbw_command_name(cmd),
              smbw_errname(rc), e.field ? e.field : "?", (unsigned)e.offset);
      return ST_DEAD;
    }
    struct resolved rp;
    uint32_t st = resolve(c, t->sh, &q.name, &rp);
    if (st) return cmd == SMBW_COM_CHECK_DIRECTORY && st == SMBW_STATUS_OBJECT_NAME_NOT_FOUND
                       ? SMBW_STATUS_OBJECT_PATH_NOT_FOUND
                       : st;
    struct stat sb;
    if (cmd == SMBW_COM_CREATE_DIRECTORY) {
      if (rp.root || mkdirat(rp.dirfd, rp.leaf, 0755) < 0)
        st = rp.root ? SMBW_STATUS_OBJECT_NAME_COLLISION : errno_status(errno);
    } else if (cmd == SMBW_COM_DELETE_DIRECTORY) {
      st = rp.root ? SMBW_STATUS_ACCESS_DENIED : stat_leaf(&rp, &sb);
      if (!st && !S_ISDIR(sb.st_mode)) st = SMBW_STATUS_NOT_A_DIRECTORY;
      if (!st && unlinkat(rp.dirfd, rp.leaf, AT_REMOVEDIR) < 0) st = errno_status(errno);
    } else {
      st = stat_leaf(&rp, &sb);
      if (st == SMBW_STATUS_OBJECT_NAME_NOT_FOUND) st = SMBW_STATUS_OBJECT_PATH_NOT_FOUND;
      if (!st && !S_ISDIR(sb.st_mode)) st = SMBW_STATUS_NOT_A_DIRECTORY;
    }
    close(rp.dirfd);
    return st ? st : empty_rsp(r, cmd);
  }
  default:
    return SMBW_STATUS_NOT_IMPLEMENTED;
  }
}

/* ---------------------------------------------------------------- TRANS2 */

static uint32_t do_transaction(struct conn *c, struct srv_tree *t, const smbw_block *blk,
                               struct rsp *r) {
  smbw_trans_req q;
  smbw_error e = {0, 0, NULL};
  int rc = smbw_trans_req_decode(blk, &q, &e);
  if (rc) {
    srv_log(c, "bad TRANSACTION2: %s, field %s, offset %u; closing", smbw_errname(rc),
            e.field ? e.field : "?", (unsigned)e.offset);
    return ST_DEAD;
  }
  if (blk->command == SMBW_COM_TRANSACTION2) {
    smbw_trans_asm_init(&c->tasm, c->tparams, sizeof c->tparams, c->tdata, sizeof c->tdata);
    c->tasm_busy = 1;
    c->t_max_data = (uint16_t)(q.max_data_count > 0xFFFF ? 0xFFFF : q.max_data_count);
    c->t_max_params = (uint16_t)(q.max_param_count > 0xFFFF ? 0xFFFF : q.max_param_count);
    c->t_params_odd = (uint8_t)(q.param_offset & 1u); /* where the names' alignment starts */
    c->t_data_odd = (uint8_t)(q.data_offset & 1u);
  } else if (!c->tasm_busy) {
    return SMBW_STATUS_INVALID_PARAMETER;
  }
  rc = smbw_trans_asm_req(&c->tasm, &q, r->req, &e);
  if (rc < 0) {
    c->tasm_busy = 0;
    srv_log(c, "TRANSACTION2 refused by the reassembler: %s, field %s, offset %u",
            smbw_errname(rc), e.field ? e.field : "?", (unsigned)e.offset);
    return rc == SMBW_E_NOSPACE ? SMBW_STATUS_INSUFF_SERVER_RESOURCES
                                : SMBW_STATUS_INVALID_PARAMETER;
  }
  if (rc == 0) {
    if (blk->command == SMBW_COM_TRANSACTION2) return empty_rsp(r, SMBW_COM_TRANSACTION2); /* interim */
    r->no_response = 1;
    return 0;
  }
  c->tasm_busy = 0;
  return fs_trans2(c, t, r, c->tasm.subcommand, c->tasm.params, c->tasm.data);
}

static uint32_t trans2_reply(struct conn *c, struct rsp *r, const uint8_t *params, size_t plen,
                             const uint8_t *data, size_t dlen) {
  if (dlen > c->t_max_data || plen > c->t_max_params) return SMBW_STATUS_BUFFER_OVERFLOW;
  smbw_trans_rsp p;
  memset(&p, 0, sizeof p);
  p.command = SMBW_COM_TRANSACTION2;
  p.wct = 10;
  p.total_param_count = (uint32_t)plen;
  p.total_data_count = (uint32_t)dlen;
  p.params.data = plen ? params : NULL;
  p.params.len = (uint32_t)plen;
  p.data.data = dlen ? data : NULL;
  p.data.len = (uint32_t)dlen;
  return smbw_trans_rsp_encode(r->b, &p) ? SMBW_STATUS_INTERNAL_ERROR : 0;
}

/* A UTF-16LE (or OEM) name at @p off of the parameters, up to its terminator. */

/* Directory-entry fixed sizes, for LastNameOffset (MS-CIFS 2.2.8.1). */
static uint32_t find_fixed(uint16_t level) {
  switch (level) {
  case SMBW_FIND_FILE_DIRECTORY_INFO: return 64;
  case SMBW_FIND_FILE_FULL_DIRECTORY_INFO: return 68;
  case SMBW_FIND_FILE_NAMES_INFO: return 12;
  case SMBW_FIND_FILE_BOTH_DIRECTORY_INFO: return 94;
  case SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO: return 80;
  case SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO: return 104;
  default: return 0;
  }
}

/* Fill the response data with entries of search @p s.  Returns the count. */
static uint32_t find_fill(struct srv_search *s, uint16_t level, int unicode, uint16_t max_count,
                          size_t cap, size_t *len, int *eos, uint32_t *last_name) {
  size_t pos = 0, last = 0;
  uint32_t n = 0;
  int nt = level >= 0x100;
  *eos = 0;
  *last_name = 0;
  for (;;) {
    if (n >= max_count) break;
    long where = telldir(s->dir);
    struct dirent *de = readdir(s->dir);
    if (!de) {
      *eos = 1;
      break;
    }
    if (!wild_match(s->pattern, de->d_name)) continue;
    struct stat sb;
    int sfd = s->dirfd;
    const char *sname = de->d_name;
    if (s->at_root && strcmp(de->d_name, "..") == 0) sname = "."; /* never outside */
    if (fstatat(sfd, sname, &sb, AT_SYMLINK_NOFOLLOW) < 0) continue;
    if (S_ISLNK(sb.st_mode)) continue; /* links are not served */
    smbw_find_entry fe;
    memset(&fe, 0, sizeof fe);
    fe.creation_time = filetime(sb.st_mtim);
    fe.last_access_time = filetime(sb.st_atim);
    fe.last_write_time = filetime(sb.st_mtim);
    fe.last_change_time = filetime(sb.st_ctim);
    fe.end_of_file = S_ISDIR(sb.st_mode) ? 0 : (uint64_t)sb.st_size;
    fe.allocation_size = (uint64_t)sb.st_blocks * 512u;
    fe.attributes = attrs_of(&sb);
    fe.file_id = (uint64_t)sb.st_ino;
    fe.file_name = smbw_str_utf8(de->d_name);
    if (nt) {
      fe.next_mode = SMBW_FIND_NEXT_ALIGN8;
    } else {
      if (fe.end_of_file > 0xFFFFFFFFu) fe.end_of_file = 0xFFFFFFFFu;
      if (fe.allocation_size > 0xFFFFFFFFu) fe.allocation_size = 0xFFFFFFFFu;
    }
    size_t at = pos;
    int rc = smbw_find_append(scratch, cap, &pos, level, unicode, &fe);
    if (rc == SMBW_E_NOSPACE) {
      pos = at;
      seekdir(s->dir, where); /* give it back for FIND_NEXT2 */
      break;
    }
    if (rc) {
      pos = at;
      continue; /* a name this encoding cannot carry */
    }
    last = at;
    n++;
  }
  if (n && nt) {
    /* The last entry's NextEntryOffset is 0 (find_append wrote the
       aligned size: it cannot know the entry is the last). */
    put32(scratch + last, 0);
  }
  if (n) *last_name = (uint32_t)(last + find_fixed(level));
  *len = pos;
  return n;
}

static uint32_t do_find(struct conn *c, struct srv_tree *t, struct rsp *r, uint16_t sub,
                        smbw_bytes params, smbw_bytes data) {
  smbw_error e = {0, 0, NULL};
  uint16_t level, max_count, flags;
  struct srv_search *s;
  uint16_t sid;
  if (sub == SMBW_TRANS2_FIND_FIRST2) {
    smbw_find_first2_req q;
    int rc = smbw_find_first2_req_decode(params, data, r->unicode, &q, &e);
    if (rc) {
      srv_log(c, "bad FIND_FIRST2 parameters: %s, field %s, offset %u", smbw_errname(rc),
              e.field ? e.field : "?", (unsigned)e.offset);
      return SMBW_STATUS_INVALID_PARAMETER;
    }
    level = q.information_level;
    max_count = q.search_count;
    flags = q.flags;
    if (find_fixed(level) == 0 && level != SMBW_INFO_STANDARD && level != SMBW_INFO_QUERY_EA_SIZE)
      return SMBW_STATUS_INVALID_LEVEL;
    struct resolved rp;
    uint32_t st = resolve(c, t->sh, &q.file_name, &rp);
    if (st) return st == SMBW_STATUS_OBJECT_NAME_NOT_FOUND ? SMBW_STATUS_OBJECT_PATH_NOT_FOUND : st;
    s = NULL;
    sid = 0;
    for (unsigned i = 0; i < SRV_SEARCHES && !s; i++)
      if (!c->searches[i].used) {
        s = &c->searches[i];
        sid = (uint16_t)(i + 1);
      }
    if (!s) {
      close(rp.dirfd);
      return SMBW_STATUS_INSUFF_SERVER_RESOURCES;
    }
    /* The pattern is the last component; the root itself lists as "*". */
    const char *pat = rp.root ? "*" : rp.leaf;
    DIR *d = fdopendir(rp.dirfd);
    if (!d) {
      close(rp.dirfd);
      return SMBW_STATUS_INSUFF_SERVER_RESOURCES;
    }
    memset(s, 0, sizeof *s);
    s->used = 1;
    s->tid = t->tid;
    s->dir = d;
    s->dirfd = rp.dirfd;
    s->at_root = strchr(rp.rel, '/') == NULL;
    snprintf(s->pattern, sizeof s->pattern, "%s", pat);
  } else {
    smbw_find_next2_req q;
    int rc = smbw_find_next2_req_decode(params, data, r->unicode, &q, &e);
    if (rc) {
      srv_log(c, "bad FIND_NEXT2 parameters: %s, field %s, offset %u", smbw_errname(rc),
              e.field ? e.field : "?", (unsigned)e.offset);
      return SMBW_STATUS_INVALID_PARAMETER;
    }
    if (q.sid == 0 || q.sid > SRV_SEARCHES || !c->searches[q.sid - 1].used ||
        c->searches[q.sid - 1].tid != t->tid)
      return SMBW_STATUS_INVALID_HANDLE;
    sid = q.sid;
    s = &c->searches[sid - 1];
    level = q.information_level;
    max_count = q.search_count;
    flags = q.flags;
    if (find_fixed(level) == 0 && level != SMBW_INFO_STANDARD && level != SMBW_INFO_QUERY_EA_SIZE)
      return SMBW_STATUS_INVALID_LEVEL;
  }
  size_t cap = c->t_max_data < SRV_TRANS_MAX ? c->t_max_data : SRV_TRANS_MAX;
  size_t dlen = 0;
  int eos = 0;
  uint32_t last_name = 0;
  uint32_t n = find_fill(s, level, r->unicode, max_count ? max_count : 1, cap, &dlen, &eos,
                         &last_name);
  int first = sub == SMBW_TRANS2_FIND_FIRST2;
  if (n == 0 && first) {
    closedir(s->dir);
    s->used = 0;
    return SMBW_STATUS_NO_SUCH_FILE;
  }
  if ((flags & SMBW_FIND_CLOSE_AFTER_REQUEST) || (eos && (flags & SMBW_FIND_CLOSE_AT_EOS))) {
    closedir(s->dir);
    s->used = 0;
  }
  size_t plen = 0;
  int rc;
  if (first) {
    smbw_find_first2_rsp p;
    memset(&p, 0, sizeof p);
    p.sid = sid;
    p.search_count = (uint16_t)n;
    p.end_of_search = (uint16_t)eos;
    p.last_name_offset = (uint16_t)last_name;
    rc = smbw_find_first2_rsp_encode(tparams_out, sizeof tparams_out, &p, &plen);
  } else {
    smbw_find_next2_rsp p;
    memset(&p, 0, sizeof p);
    p.search_count = (uint16_t)n;
    p.end_of_search = (uint16_t)eos;
    p.last_name_offset = (uint16_t)last_name;
    rc = smbw_find_next2_rsp_encode(tparams_out, sizeof tparams_out, &p, &plen);
  }
  if (rc) return SMBW_STATUS_INTERNAL_ERROR;
  return trans2_reply(c, r, tparams_out, plen, scratch, dlen);
}

/* A UTF-8 string as the records take it (the encoder converts it). */
static smbw_str utf8_str(const char *t) {
  smbw_str s = {(const uint8_t *)t, (uint32_t)strlen(t), SMBW_STR_UTF8, 0, 0};
  return s;
}

/* The file information levels smbclient asks for (MS-CIFS 2.2.8.3 and the
   pass-through levels), encoded with the library's records (info.h).
   Returns the length, 0 for a level we do not serve, or SIZE_MAX for an
   empty answer (a directory's streams). */
static size_t file_info(uint16_t level, const struct stat *sb, const char *name, int unicode,
                        uint8_t *out, size_t cap) {
  const unsigned fl = unicode ? SMBW_REC_UNICODE : 0u; /* no aligned names in these levels */
  const uint64_t ct = filetime(sb->st_mtim), at = filetime(sb->st_atim),
                 wt = filetime(sb->st_mtim), ch = filetime(sb->st_ctim);
  const int dir = S_ISDIR(sb->st_mode) != 0;
  const uint64_t eof = dir ? 0 : (uint64_t)sb->st_size, alloc = (uint64_t)sb->st_blocks * 512u;
  const int rec = smbw_info_record(SMBW_INFO_CLASS_QUERY, level);
  int n = -1;
  switch (rec) {
  case SMBW_RECORD_QUERY_FILE_BASIC_INFO: /* served in the 40-byte form Windows sends */
  case SMBW_RECORD_FILE_BASIC_INFO: {
    smbw_file_basic_info x = {ct, at, wt, ch, attrs_of(sb), 0};
    n = smbw_file_basic_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_FILE_STANDARD_INFO: {
    smbw_file_standard_info x = {alloc, eof, (uint32_t)sb->st_nlink, 0, (uint8_t)dir, 0};
    n = smbw_file_standard_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_INFO_U32: { /* SMB_QUERY_FILE_EA_INFO and the like: no EAs, 0 */
    smbw_info_u32 x = {0};
    n = smbw_info_u32_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_FILE_NAME_INFO: { /* the alternate name: none (no 8.3 names) */
    smbw_file_name_info x = {utf8_str(level == SMBW_QUERY_FILE_ALT_NAME_INFO ||
                                              level == SMBW_FILE_ALTERNATE_NAME_INFORMATION
                                          ? ""
                                          : name)};
    n = smbw_file_name_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_QUERY_FILE_ALL_INFO: {
    smbw_query_file_all_info x;
    memset(&x, 0, sizeof x);
    x.creation_time = ct;
    x.last_access_time = at;
    x.last_write_time = wt;
    x.change_time = ch;
    x.file_attributes = attrs_of(sb);
    x.allocation_size = alloc;
    x.end_of_file = eof;
    x.number_of_links = (uint32_t)sb->st_nlink;
    x.directory = (uint8_t)dir;
    x.file_name = utf8_str(name);
    n = smbw_query_file_all_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_FILE_STREAM_INFO: { /* the one data stream */
    if (dir) return SIZE_MAX;
    smbw_file_stream_info x = {0, eof, alloc, utf8_str("::$DATA")};
    n = smbw_file_stream_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  case SMBW_RECORD_FILE_COMPRESSION_INFO: {
    smbw_file_compression_info x;
    memset(&x, 0, sizeof x);
    x.compressed_file_size = eof;
    n = smbw_file_compression_info_encode(&x, fl, out, cap, NULL);
    break;
  }
  default: return 0;
  }
  return n > 0 ? (size_t)n : 0;
}

static uint32_t fs_info(struct conn *c, struct srv_tree *t, struct rsp *r, uint16_t level) {
  struct statvfs vf;
  if (fstatvfs(t->sh->rootfd, &vf) < 0) return errno_status(errno);
  const uint64_t unit = vf.f_frsize ? vf.f_frsize : 4096u;
  const uint32_t spu = (uint32_t)(unit / 512u ? unit / 512u : 1u);
  const int rec = smbw_info_record(SMBW_INFO_CLASS_QUERY_FS, level);
  const unsigned fl = r->unicode ? SMBW_REC_UNICODE : 0u; /* no aligned names in these levels */
  int n = -1;
  switch (rec) {
  case SMBW_RECORD_FS_INFO_ALLOCATION: {
    smbw_fs_info_allocation x = {0, spu,
                                 (uint32_t)(vf.f_blocks > 0xFFFFFFFFu ? 0xFFFFFFFFu : vf.f_blocks),
                                 (uint32_t)(vf.f_bavail > 0xFFFFFFFFu ? 0xFFFFFFFFu : vf.f_bavail),
                                 512};
    n = smbw_fs_info_allocation_encode(&x, fl, scratch, sizeof scratch, NULL);
    break;
  }
  case SMBW_RECORD_FS_VOLUME_INFO: { /* the label is the share name; serial "SMBW" */
    smbw_fs_volume_info x = {0, 0x534D4257u, 0, 0, utf8_str(t->sh->name)};
    n = smbw_fs_volume_info_encode(&x, fl, scratch, sizeof scratch, NULL);
    break;
  }
  case SMBW_RECORD_FS_SIZE_INFO: {
    smbw_fs_size_info x = {vf.f_blocks, vf.f_bavail, spu, 512};
    n = smbw_fs_size_info_encode(&x, fl, scratch, sizeof scratch, NULL);
    break;
  }
  case SMBW_RECORD_FS_DEVICE_INFO: {
    smbw_fs_device_info x = {7 /* FILE_DEVICE_DISK */, 0};
    n = smbw_fs_device_info_encode(&x, fl, scratch, sizeof scratch, NULL);
    break;
  }
  case SMBW_RECORD_FS_ATTRIBUTE_INFO: { /* case-sensitive search, case preserved */
    smbw_fs_attribute_info x = {0x3, 255, utf8_str("NTFS")};
    n = smbw_fs_attribute_info_encode(&x, SMBW_REC_UNICODE /* always UTF-16 */, scratch, sizeof scratch, NULL);
    break;
  }
  case SMBW_RECORD_FS_FULL_SIZE_INFO: {
    smbw_fs_full_size_info x = {vf.f_blocks, vf.f_bavail, vf.f_bfree, spu, 512};
    n = smbw_fs_full_size_info_encode(&x, fl, scratch, sizeof scratch, NULL);
    break;
  }
  default: break;
  }
  if (n < 0) {
    srv_log(c, "QUERY_FS_INFORMATION level 0x%04x not served", level);
    return SMBW_STATUS_INVALID_LEVEL;
  }
  return trans2_reply(c, r, NULL, 0, scratch, (size_t)n);
}

/* The response parameters of QUERY/SET_*_INFORMATION and CREATE_DIRECTORY:
   EaErrorOffset 0. */
static uint32_t ea_error_reply(struct conn *c, struct rsp *r, const uint8_t *data, size_t len) {
  uint8_t p[2];
  smbw_trans2_ea_error_rsp x = {0};
  if (smbw_trans2_ea_error_rsp_encode(&x, 0, p, sizeof p, NULL) != 2)
    return SMBW_STATUS_INTERNAL_ERROR;
  return trans2_reply(c, r, p, 2, data, len);
}

/* A request's parameters or data decoded by their record, or the status to
   answer; odd: the area started at an odd offset from the SMB header (its
   names are aligned to the header, as smbd reads them). */
#define DECODE_AREA(rec, area, odd, out)                                                   \
  do {                                                                                     \
    smbw_error e_ = {0, 0, NULL};                                                          \
    const unsigned fl_ = (r->unicode ? SMBW_REC_UNICODE : 0u) | ((odd) ? SMBW_REC_ODD : 0u); \
    if (smbw_##rec##_decode((area), fl_, (out), &e_) < 0) {                                \
      srv_log(c, "bad %s: %s, field %s, offset %u", #rec, smbw_errname(e_.code),           \
              e_.field ? e_.field : "?", (unsigned)e_.offset);                             \
      return SMBW_STATUS_INVALID_PARAMETER;                                                \
    }                                                                                      \
  } while (0)
#define DECODE_PARAMS(rec, area, out) DECODE_AREA(rec, area, c->t_params_odd, out)

uint32_t fs_trans2(struct conn *c, struct srv_tree *t, struct rsp *r, uint16_t sub,
                   smbw_bytes params, smbw_bytes data) {
  if (!t->sh) {
    /* IPC$: smbclient asks for a DFS referral first; we have none. */
    return sub == SMBW_TRANS2_GET_DFS_REFERRAL ? SMBW_STATUS_NOT_FOUND : SMBW_STATUS_NOT_SUPPORTED;
  }
  switch (sub) {
  case SMBW_TRANS2_FIND_FIRST2:
  case SMBW_TRANS2_FIND_NEXT2:
    return do_find(c, t, r, sub, params, data);
  case SMBW_TRANS2_QUERY_FS_INFORMATION: {
    smbw_trans2_qfs_req q;
    DECODE_PARAMS(trans2_qfs_req, params, &q);
    return fs_info(c, t, r, q.information_level);
  }
  case SMBW_TRANS2_QUERY_PATH_INFORMATION:
  case SMBW_TRANS2_QUERY_FILE_INFORMATION: {
    struct stat sb;
    uint16_t level;
    char name[SRV_PATH + 2];
    if (sub == SMBW_TRANS2_QUERY_PATH_INFORMATION) {
      smbw_trans2_path_req q;
      DECODE_PARAMS(trans2_path_req, params, &q);
      level = q.information_level;
      struct resolved rp;
      uint32_t st = resolve(c, t->sh, &q.file_name, &rp);
      if (st) return st;
      st = stat_leaf(&rp, &sb);
      close(rp.dirfd);
      if (st) return st;
      snprintf(name, sizeof name, "\\%s", rp.rel);
    } else {
      smbw_trans2_qfile_req q;
      DECODE_PARAMS(trans2_qfile_req, params, &q);
      struct srv_file *f = find_file(c, q.fid, t->tid);
      if (!f) return SMBW_STATUS_INVALID_HANDLE;
      level = q.information_level;
      if (fstat(f->fd, &sb) < 0) return errno_status(errno);
      snprintf(name, sizeof name, "\\%s", f->path);
    }
    for (char *p = name; *p; p++)
      if (*p == '/') *p = '\\';
    size_t len = file_info(level, &sb, name, r->unicode, scratch, sizeof scratch);
    if (len == 0) {
      srv_log(c, "%s level 0x%04x not served",
              sub == SMBW_TRANS2_QUERY_PATH_INFORMATION ? "QUERY_PATH_INFORMATION"
                                                        : "QUERY_FILE_INFORMATION",
              level);
      return SMBW_STATUS_INVALID_LEVEL;
    }
    return ea_error_reply(c, r, scratch, len == SIZE_MAX ? 0 : len);
  }
  case SMBW_TRANS2_SET_FILE_INFORMATION: {
    smbw_trans2_sfile_req q;
    DECODE_PARAMS(trans2_sfile_req, params, &q);
    struct srv_file *f = find_file(c, q.fid, t->tid);
    if (!f) return SMBW_STATUS_INVALID_HANDLE;
    if (cfg.read_only) return SMBW_STATUS_ACCESS_DENIED;
    switch (smbw_info_record(SMBW_INFO_CLASS_SET, q.information_level)) {
    case SMBW_RECORD_FILE_BASIC_INFO: { /* LastWriteTime, if given */
      smbw_file_basic_info x;
      DECODE_AREA(file_basic_info, data, c->t_data_odd, &x);
      const uint64_t wtime = x.last_write_time;
      if (wtime != 0 && wtime != 0xFFFFFFFFFFFFFFFFull && !f->is_dir) {
        uint64_t unix100 = wtime - 116444736000000000ull;
        struct timespec ts[2] = {{0, UTIME_OMIT},
                                 {(time_t)(unix100 / 10000000u), (long)(unix100 % 10000000u) * 100}};
        futimens(f->fd, ts);
      }
      break;
    }
    case SMBW_RECORD_FILE_DISPOSITION_INFO: {
      smbw_file_disposition_info x;
      DECODE_AREA(file_disposition_info, data, c->t_data_odd, &x);
      f->delete_on_close = x.delete_pending != 0 && f->path[0];
      break;
    }
    case SMBW_RECORD_INFO_U64: { /* allocation (nothing to do), end of file */
      smbw_info_u64 x;
      DECODE_AREA(info_u64, data, c->t_data_odd, &x);
      const uint16_t lv = q.information_level;
      if (lv != SMBW_SET_FILE_END_OF_FILE_INFO && lv != SMBW_FILE_END_OF_FILE_INFORMATION) break;
      if (f->is_dir) return SMBW_STATUS_INVALID_PARAMETER;
      if (x.value > (uint64_t)INT64_MAX || ftruncate(f->fd, (off_t)x.value) < 0)
        return errno_status(errno);
      break;
    }
    default: return SMBW_STATUS_INVALID_LEVEL;
    }
    return ea_error_reply(c, r, NULL, 0);
  }
  case SMBW_TRANS2_CREATE_DIRECTORY: {
    if (cfg.read_only) return SMBW_STATUS_ACCESS_DENIED;
    smbw_trans2_mkdir_req q;
    DECODE_PARAMS(trans2_mkdir_req, params, &q);
    struct resolved rp;
    uint32_t st = resolve(c, t->sh, &q.directory_name, &rp);
    if (st) return st;
    if (rp.root || mkdirat(rp.dirfd, rp.leaf, 0755) < 0)
      st = rp.root ? SMBW_STATUS_OBJECT_NAME_COLLISION : errno_status(errno);
    close(rp.dirfd);
    if (st) return st;
    return ea_error_reply(c, r, NULL, 0);
  }
  default:
    return SMBW_STATUS_NOT_SUPPORTED;
  }
}
