/*
 * smbdump's summary line (see dump_info.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_info.h"

#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

void info_begin(dump_info *I, int on) {
  I->n = 0;
  I->b[0] = 0;
  I->on = on;
}

void info_add(dump_info *I, const char *fmt, ...) {
  if (!I->on || I->n >= sizeof I->b - 1) return;
  va_list ap;
  va_start(ap, fmt);
  int r = vsnprintf(I->b + I->n, sizeof I->b - I->n, fmt, ap);
  va_end(ap);
  if (r > 0) I->n += (size_t)r;
  if (I->n >= sizeof I->b) I->n = sizeof I->b - 1;
}

const char *info_utf8(dump_info *I, const smbw_str *s) {
  size_t need = 0;
  smbw_str_to_utf8(s, I->text, sizeof I->text, &need);
  return I->text;
}

static uint64_t read_key(uint32_t stream, const smbw_header *h) {
  return ((uint64_t)stream << 32) ^ ((uint64_t)smbw_header_pid(h) << 16) ^ h->mid ^
         ((uint64_t)h->uid << 40) ^ ((uint64_t)h->tid << 24);
}

static info_read *read_slot(dump_info *I, uint64_t key) {
  uint64_t x = key * 0x9E3779B97F4A7C15ull;
  return &I->reads[(x >> 40) % INFO_READS];
}

void info_read_request(dump_info *I, uint32_t stream, const smbw_header *h, uint16_t fid) {
  if (!I->on) return;
  uint64_t key = read_key(stream, h);
  info_read *pe = read_slot(I, key);
  pe->key = key;
  pe->fid = fid;
  pe->used = 1;
}

void info_read_response(dump_info *I, uint32_t stream, const smbw_header *h) {
  if (!I->on) return;
  uint64_t key = read_key(stream, h);
  const info_read *pe = read_slot(I, key);
  if (pe->used && pe->key == key) info_add(I, ", FID: 0x%04x", pe->fid);
}

void info_print(const dump_info *I, FILE *out, const flow_msg *m, double t0) {
  char a[48], b[48];
  if (flow_msg_addrs(m, a, sizeof a, b, sizeof b) != 0) a[0] = b[0] = 0;
  fprintf(out, "%7" PRIu64 " %11.6f %s:%u -> %s:%u [%" PRIu32 "] %s\n", m->frame, m->ts - t0, a,
          m->sport, b, m->dport, m->stream, I->b);
}

/* tshark's command names (its Info column). */
const char *info_command_label(uint8_t c) {
  switch (c) {
  case 0x00: return "Create Directory";
  case 0x01: return "Delete Directory";
  case 0x02: return "Open";
  case 0x03: return "Create";
  case 0x04: return "Close";
  case 0x05: return "Flush";
  case 0x06: return "Delete";
  case 0x07: return "Rename";
  case 0x08: return "Query Information";
  case 0x09: return "Set Information";
  case 0x0A: return "Read";
  case 0x0B: return "Write";
  case 0x0C: return "Lock Byte Range";
  case 0x0D: return "Unlock Byte Range";
  case 0x0E: return "Create Temp";
  case 0x0F: return "Create New";
  case 0x10: return "Check Directory";
  case 0x11: return "Process Exit";
  case 0x12: return "Seek";
  case 0x13: return "Lock And Read";
  case 0x14: return "Write And Unlock";
  case 0x1A: return "Read Raw";
  case 0x1B: return "Read MPX";
  case 0x1C: return "Read MPX Secondary";
  case 0x1D: return "Write Raw";
  case 0x1E: return "Write MPX";
  case 0x1F: return "Write MPX Secondary";
  case 0x20: return "Write Complete";
  case 0x21: return "Query Server";
  case 0x22: return "Set Information2";
  case 0x23: return "Query Information2";
  case 0x24: return "Locking AndX";
  case 0x25: return "Trans";
  case 0x26: return "Trans Secondary";
  case 0x27: return "IOCTL";
  case 0x28: return "IOCTL Secondary";
  case 0x29: return "Copy";
  case 0x2A: return "Move";
  case 0x2B: return "Echo";
  case 0x2C: return "Write And Close";
  case 0x2D: return "Open AndX";
  case 0x2E: return "Read AndX";
  case 0x2F: return "Write AndX";
  case 0x30: return "New File Size";
  case 0x31: return "Close And Tree Disconnect";
  case 0x32: return "Trans2";
  case 0x33: return "Trans2 Secondary";
  case 0x34: return "Find Close2";
  case 0x35: return "Find Notify Close";
  case 0x70: return "Tree Connect";
  case 0x71: return "Tree Disconnect";
  case 0x72: return "Negotiate Protocol";
  case 0x73: return "Session Setup AndX";
  case 0x74: return "Logoff AndX";
  case 0x75: return "Tree Connect AndX";
  case 0x7E: return "Security Package AndX";
  case 0x80: return "Query Information Disk";
  case 0x81: return "Search";
  case 0x82: return "Find";
  case 0x83: return "Find Unique";
  case 0x84: return "Find Close";
  case 0xA0: return "NT Trans";
  case 0xA1: return "NT Trans Secondary";
  case 0xA2: return "NT Create AndX";
  case 0xA4: return "NT Cancel";
  case 0xA5: return "NT Rename";
  case 0xC0: return "Open Print File";
  case 0xC1: return "Write Print File";
  case 0xC2: return "Close Print File";
  case 0xC3: return "Get Print Queue";
  case 0xD8: return "Read Bulk";
  case 0xD9: return "Write Bulk";
  case 0xDA: return "Write Bulk Data";
  default: return NULL;
  }
}

/* tshark's words for the subcommands (its Info column). */
const char *info_sub_label(uint8_t family, uint16_t code, char *buf, size_t cap) {
  static const char *const t2[] = {
      "OPEN2", "FIND_FIRST2", "FIND_NEXT2", "QUERY_FS_INFO", "SET_FS_INFO",
      "QUERY_PATH_INFO", "SET_PATH_INFO", "QUERY_FILE_INFO", "SET_FILE_INFO", "FSCTL",
      "IOCTL2", "FIND_NOTIFY_FIRST", "FIND_NOTIFY_NEXT", "CREATE_DIRECTORY",
      "SESSION_SETUP", NULL, "GET_DFS_REFERRAL", "REPORT_DFS_INCONSISTENCY"};
  static const char *const nt[] = {NULL, "NT CREATE", "NT IOCTL", "NT SET SECURITY DESC",
                                   "NT NOTIFY", "NT RENAME", "NT QUERY SECURITY DESC",
                                   "NT GET USER QUOTA", "NT SET USER QUOTA"};
  const char *n = NULL;
  if (family == SMBW_COM_TRANSACTION2 && code < sizeof t2 / sizeof t2[0]) n = t2[code];
  else if (family == SMBW_COM_NT_TRANSACT && code < sizeof nt / sizeof nt[0]) n = nt[code];
  else if (family == SMBW_COM_TRANSACTION) n = smbw_trans_subcommand_name(family, code);
  if (n) return n;
  snprintf(buf, cap, "Unknown (0x%04x)", code);
  return buf;
}

