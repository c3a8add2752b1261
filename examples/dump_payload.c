/*
 * smbdump's transaction payloads (see dump_payload.h).
 */
#define _DEFAULT_SOURCE 1

#include "dump_payload.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "dump_common.h"

/* The first failure of a payload, reported after what decoded before it. */
typedef struct pverr {
  int rc;
  uint32_t offset;   /* from the start of the area */
  const char *field;
  const char *area;  /* "parameters" or "data" */
} pverr;

static void pv_fail(pverr *pe, int rc, const smbw_error *e, const char *area, uint32_t base) {
  if (pe->rc) return;
  pe->rc = rc;
  pe->offset = base + (e ? e->offset : 0);
  pe->field = e ? e->field : NULL;
  pe->area = area;
}

static void pv_indent(dump_pv *pv) { fprintf(pv->out, "%*s", 4 + 2 * pv->depth, ""); }

/* A member holding an object or an array. */
static void pv_open(dump_pv *pv, const char *key, char c) {
  if (!strcmp(key, "payload")) pv->had = 1;
  if (pv->mode == PV_JSON) {
    jk_open(pv->J, key, c);
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "%s:\n", key);
    pv->depth++;
  }
}

/* An object inside an array. */
static void pv_item(dump_pv *pv, unsigned i) {
  if (pv->mode == PV_JSON) {
    if (!pv->J->on) return;
    jsep(pv->J);
    jopen(pv->J, '{');
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "[%u]\n", i);
    pv->depth++;
  }
}

static void pv_close(dump_pv *pv, char c) {
  if (pv->mode == PV_JSON) jclose(pv->J, c);
  else if (pv->mode == PV_TREE && pv->depth > 0) pv->depth--;
}

static void pv_u(dump_pv *pv, const char *key, uint64_t v) {
  if (pv->mode == PV_JSON) {
    jk_u(pv->J, key, v);
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "%s: %" PRIu64 "\n", key, v);
  }
}

/* A number shown in hex in the tree (flags, levels, masks). */
static void pv_x(dump_pv *pv, const char *key, uint64_t v, int digits) {
  if (pv->mode == PV_JSON) {
    jk_u(pv->J, key, v);
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "%s: 0x%0*" PRIx64 "\n", key, digits, v);
  }
}

static void pv_cstr(dump_pv *pv, const char *key, const char *s) {
  if (pv->mode == PV_JSON) {
    jk_s(pv->J, key, s);
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "%s: %s\n", key, s);
  }
}

/* A string view, as UTF-8 (NUL bytes inside kept: "em\u0000bed"). */
static void pv_str(dump_pv *pv, const char *key, const smbw_str *s) {
  if (pv->mode != PV_JSON && pv->mode != PV_TREE) return;
  if (!s->data || (pv->mode == PV_JSON && !pv->J->on)) return;
  size_t n = 0;
  const char *t = jw_utf8(pv->J, s, &n);
  if (pv->mode == PV_JSON) {
    jk_text(pv->J, key, t, n);
    return;
  }
  pv_indent(pv);
  fprintf(pv->out, "%s: \"", key);
  for (size_t i = 0; i < n; i++) {
    unsigned char u = (unsigned char)t[i];
    if (u == '"' || u == '\\') fprintf(pv->out, "\\%c", u);
    else if (u < 0x20 || u == 0x7F) fprintf(pv->out, "\\x%02x", u);
    else fputc(u, pv->out);
  }
  fputs("\"\n", pv->out);
}

/* Bytes: hex, cut at --hex-limit in JSON ("<key>_truncated": true), at 32
   bytes in the tree. */
static void pv_hex(dump_pv *pv, const char *key, smbw_bytes v) {
  if (pv->mode == PV_JSON) {
    if (!pv->J->on) return;
    char kt[64];
    snprintf(kt, sizeof kt, "%s_truncated", key);
    jk_hexcut(pv->J, key, kt, v);
  } else if (pv->mode == PV_TREE) {
    pv_indent(pv);
    fprintf(pv->out, "%s (%" PRIu32 " bytes)", key, v.len);
    if (v.len && v.data) {
      fputs(": ", pv->out);
      uint32_t n = v.len < 32 ? v.len : 32;
      for (uint32_t i = 0; i < n; i++) fprintf(pv->out, "%02x", v.data[i]);
      if (n < v.len) fputs("...", pv->out);
    }
    fputc('\n', pv->out);
  }
}

/* Bytes that are normally zeros (padding, reserved areas): only when one
   of them is not. */
static void pv_nonzero(dump_pv *pv, const char *key, smbw_bytes v) {
  for (uint32_t i = 0; v.data && i < v.len; i++) {
    if (v.data[i]) {
      pv_hex(pv, key, v);
      return;
    }
  }
}

/* Parameter bytes after the defined ones. */
static void pv_extra(dump_pv *pv, smbw_bytes v) {
  if (v.data && v.len) pv_hex(pv, "extra", v);
}

/* A FILETIME (100 ns since 1601): a number; the tree adds the UTC time. */
static void pv_filetime(dump_pv *pv, const char *key, uint64_t ft) {
  if (pv->mode == PV_JSON) {
    jk_u(pv->J, key, ft);
    return;
  }
  if (pv->mode != PV_TREE) return;
  pv_indent(pv);
  fprintf(pv->out, "%s: %" PRIu64, key, ft);
  const uint64_t epoch = 116444736000000000ull; /* 1970-01-01 in FILETIME */
  if (ft >= epoch && ft < epoch + 253402300800ull * 10000000ull) {
    time_t secs = (time_t)((ft - epoch) / 10000000u);
    struct tm tm;
    if (gmtime_r(&secs, &tm))
      fprintf(pv->out, " (%04d-%02d-%02d %02d:%02d:%02d.%07u UTC)", tm.tm_year + 1900,
              tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
              (unsigned)((ft - epoch) % 10000000u));
  }
  fputc('\n', pv->out);
}

/* SMB_DATE and SMB_TIME (MS-CIFS 2.2.1.4.1): numbers; the tree decodes them. */
static void pv_smb_date(dump_pv *pv, const char *key, uint16_t d) {
  if (pv->mode == PV_JSON) jk_u(pv->J, key, d);
  if (pv->mode != PV_TREE) return;
  pv_indent(pv);
  fprintf(pv->out, "%s: 0x%04x (%04u-%02u-%02u)\n", key, d, 1980u + (d >> 9), (d >> 5) & 15u,
          d & 31u);
}

static void pv_smb_time(dump_pv *pv, const char *key, uint16_t t) {
  if (pv->mode == PV_JSON) jk_u(pv->J, key, t);
  if (pv->mode != PV_TREE) return;
  pv_indent(pv);
  fprintf(pv->out, "%s: 0x%04x (%02u:%02u:%02u)\n", key, t, (unsigned)(t >> 11), (t >> 5) & 63u,
          (t & 31u) * 2u);
}

/* A SID in its string form (MS-DTYP 2.4.2.1). */
static void pv_sid(dump_pv *pv, const char *key, const smbw_sid *sid) {
  if (pv->mode != PV_JSON && pv->mode != PV_TREE) return;
  char b[SMBW_SID_STRING_MAX];
  if (smbw_sid_to_string(sid, b, sizeof b, NULL) != 0) snprintf(b, sizeof b, "?");
  pv_cstr(pv, key, b);
}

/* A GUID in its string form (MS-DTYP 2.3.4.3), from the 16 wire bytes. */
static void pv_guid(dump_pv *pv, const char *key, const uint8_t g[16]) {
  if (pv->mode != PV_JSON && pv->mode != PV_TREE) return;
  char b[40];
  snprintf(b, sizeof b, "%08" PRIx32 "-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", dump_le32(g),
           dump_le16(g + 4), dump_le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
  pv_cstr(pv, key, b);
}

/* ---- EA lists (ea.h) ---- */

/* An SMB_FEA_LIST, SMB_GEA_LIST or FILE_FULL_EA_INFORMATION chain at
   `base` in the data: its entries, SizeOfListInBytes and the trailing
   bytes (walked twice: the list size comes first in the output). */
static void pv_ea_list(dump_pv *pv, const char *key, int kind, smbw_bytes v, uint32_t base, pverr *pe) {
  smbw_ea_iter it;
  smbw_ea ea;
  smbw_error e = {0, 0, NULL};
  int rc;
  smbw_ea_iter_init(&it, kind, v);
  while ((rc = smbw_ea_iter_next(&it, &ea, &e)) == 1) {
  }
  uint32_t list_size = it.list_size;
  smbw_bytes trailing = it.trailing;
  if (rc < 0 && kind != SMBW_EA_FULL && !list_size) { /* the list header is bad */
    pv_fail(pe, rc, &e, "data", base);
    return;
  }
  pv_open(pv, key, '{');
  if (kind != SMBW_EA_FULL && list_size) pv_u(pv, "size_of_list_in_bytes", list_size);
  pv_open(pv, "entries", '[');
  smbw_ea_iter_init(&it, kind, v);
  unsigned i = 0;
  while ((rc = smbw_ea_iter_next(&it, &ea, &e)) == 1) {
    pv_item(pv, i++);
    if (kind == SMBW_EA_FULL) {
      pv_u(pv, "next_entry_offset", ea.next_entry_offset);
      pv_x(pv, "flags", ea.flags, 2);
      pv_u(pv, "ea_name_length", ea.name.len);
      pv_u(pv, "ea_value_length", ea.value.len);
      pv_str(pv, "ea_name", &ea.name);
      pv_hex(pv, "ea_value", ea.value);
      pv_nonzero(pv, "padding", ea.padding);
    } else if (kind == SMBW_EA_FEA) {
      pv_x(pv, "extended_attribute_flag", ea.flags, 2);
      pv_u(pv, "attribute_name_length_in_bytes", ea.name.len);
      pv_u(pv, "attribute_value_length_in_bytes", ea.value.len);
      pv_str(pv, "attribute_name", &ea.name);
      pv_hex(pv, "attribute_value", ea.value);
    } else {
      pv_u(pv, "attribute_name_length_in_bytes", ea.name.len);
      pv_str(pv, "attribute_name", &ea.name);
    }
    pv_close(pv, '}');
  }
  pv_close(pv, ']');
  if (rc == 0 && trailing.len) pv_hex(pv, "trailing", trailing);
  pv_close(pv, '}');
  if (rc < 0) pv_fail(pe, rc, &e, "data", base);
}

/* ---- security descriptors (security.h) ---- */

static void pv_acl(dump_pv *pv, const char *key, const smbw_acl *acl, uint32_t base, pverr *pe) {
  pv_open(pv, key, '{');
  pv_u(pv, "acl_revision", acl->revision);
  pv_u(pv, "sbz1", acl->sbz1);
  pv_u(pv, "acl_size", acl->size);
  pv_u(pv, "ace_count", acl->count);
  pv_u(pv, "sbz2", acl->sbz2);
  pv_open(pv, "aces", '[');
  smbw_acl_iter it;
  smbw_ace a;
  smbw_error e = {0, 0, NULL};
  int rc;
  unsigned i = 0;
  smbw_acl_iter_init(&it, acl);
  while ((rc = smbw_acl_iter_next(&it, &a, &e)) == 1) {
    pv_item(pv, i++);
    pv_x(pv, "ace_type", a.type, 2);
    const char *tn = smbw_ace_type_name(a.type);
    if (tn) pv_cstr(pv, "ace_type_name", tn);
    pv_x(pv, "ace_flags", a.flags, 2);
    pv_u(pv, "ace_size", a.size);
    if (a.layout == SMBW_ACE_LAYOUT_RAW) {
      pv_hex(pv, "body", a.body);
    } else {
      pv_x(pv, "mask", a.mask, 8);
      if (a.layout == SMBW_ACE_LAYOUT_OBJECT) {
        pv_x(pv, "flags", a.object_flags, 8);
        if (a.object_flags & SMBW_ACE_OBJECT_TYPE_PRESENT) pv_guid(pv, "object_type", a.object_type);
        if (a.object_flags & SMBW_ACE_INHERITED_OBJECT_TYPE_PRESENT)
          pv_guid(pv, "inherited_object_type", a.inherited_object_type);
      }
      pv_sid(pv, "sid", &a.sid);
      if (a.app_data.len) {
        int cb = a.type >= SMBW_ACE_ACCESS_ALLOWED_CALLBACK &&
                 a.type <= SMBW_ACE_SYSTEM_ALARM_CALLBACK_OBJECT; /* the callback types */
        pv_hex(pv, cb ? "application_data" : a.type == SMBW_ACE_SYSTEM_RESOURCE_ATTRIBUTE
                                              ? "attribute_data"
                                              : "padding",
               a.app_data);
      }
    }
    pv_close(pv, '}');
  }
  pv_close(pv, ']');
  if (acl->trailing.len) pv_hex(pv, "trailing", acl->trailing);
  pv_close(pv, '}');
  if (rc < 0) pv_fail(pe, rc, &e, "data", base);
}

/* A self-relative security descriptor at `base` in the data. */
static void pv_sd(dump_pv *pv, smbw_bytes v, uint32_t base, pverr *pe) {
  smbw_sd sd;
  smbw_error e = {0, 0, NULL};
  if (!v.len) return;
  int rc = smbw_sd_decode(v.data, v.len, &sd, &e);
  if (rc) {
    pv_fail(pe, rc, &e, "data", base);
    return;
  }
  pv_open(pv, "security_descriptor", '{');
  pv_u(pv, "revision", sd.revision);
  pv_u(pv, "sbz1", sd.sbz1);
  pv_x(pv, "control", sd.control, 4);
  pv_u(pv, "offset_owner", sd.offset_owner);
  pv_u(pv, "offset_group", sd.offset_group);
  pv_u(pv, "offset_sacl", sd.offset_sacl);
  pv_u(pv, "offset_dacl", sd.offset_dacl);
  if (sd.has_owner) pv_sid(pv, "owner_sid", &sd.owner);
  if (sd.has_group) pv_sid(pv, "group_sid", &sd.group);
  if (sd.has_sacl) pv_acl(pv, "sacl", &sd.sacl, base, pe);
  if (sd.has_dacl) pv_acl(pv, "dacl", &sd.dacl, base, pe);
  pv_close(pv, '}');
}

/* ---- directory searches (find.h) ---- */

/* The levels smbw_find_iter_next() decodes. */
static int find_level_ok(uint16_t level) {
  return level == SMBW_INFO_STANDARD || level == SMBW_INFO_QUERY_EA_SIZE ||
         (level >= SMBW_FIND_FILE_DIRECTORY_INFO && level <= SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO);
}

/* FileNameLength as on the wire: the name, and its terminator when the
   length counts it. */
static uint32_t find_name_length(const smbw_find_entry *en) {
  uint32_t n = en->file_name.len;
  if (en->name_nul == SMBW_FIND_NUL_COUNTED) n += en->file_name.enc == SMBW_STR_UTF16LE ? 2u : 1u;
  return n;
}

/* One directory entry, its fields in wire order (MS-CIFS 2.2.8.1, MS-SMB
   2.2.8.1). */
static void pv_find_entry(dump_pv *pv, const smbw_find_entry *en, uint16_t level) {
  if (level == SMBW_INFO_STANDARD || level == SMBW_INFO_QUERY_EA_SIZE) {
    if (en->has_resume_key) pv_u(pv, "resume_key", en->resume_key);
    pv_smb_date(pv, "creation_date", en->creation_date);
    pv_smb_time(pv, "creation_time", en->creation_time_dos);
    pv_smb_date(pv, "last_access_date", en->last_access_date);
    pv_smb_time(pv, "last_access_time", en->last_access_time_dos);
    pv_smb_date(pv, "last_write_date", en->last_write_date);
    pv_smb_time(pv, "last_write_time", en->last_write_time_dos);
    pv_u(pv, "file_data_size", en->end_of_file);
    pv_u(pv, "allocation_size", en->allocation_size);
    pv_x(pv, "attributes", en->attributes, 4);
    if (level == SMBW_INFO_QUERY_EA_SIZE) pv_u(pv, "ea_size", en->ea_size);
    pv_u(pv, "file_name_length", find_name_length(en));
  } else {
    pv_u(pv, "next_entry_offset", en->next_entry_offset);
    pv_u(pv, "file_index", en->file_index);
    if (level != SMBW_FIND_FILE_NAMES_INFO) {
      pv_filetime(pv, "creation_time", en->creation_time);
      pv_filetime(pv, "last_access_time", en->last_access_time);
      pv_filetime(pv, "last_write_time", en->last_write_time);
      pv_filetime(pv, "last_change_time", en->last_change_time);
      pv_u(pv, "end_of_file", en->end_of_file);
      pv_u(pv, "allocation_size", en->allocation_size);
      pv_x(pv, "ext_file_attributes", en->attributes, 8);
    }
    pv_u(pv, "file_name_length", find_name_length(en));
    if (level != SMBW_FIND_FILE_DIRECTORY_INFO && level != SMBW_FIND_FILE_NAMES_INFO)
      pv_u(pv, "ea_size", en->ea_size);
    if (level == SMBW_FIND_FILE_BOTH_DIRECTORY_INFO || level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO) {
      pv_u(pv, "short_name_length", en->short_name.len);
      pv_u(pv, "reserved", en->short_name_reserved);
      pv_str(pv, "short_name", &en->short_name);
      pv_nonzero(pv, "short_name_pad", en->short_name_pad);
    }
    if (level == SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO) pv_u(pv, "reserved", en->reserved);
    if (level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO) pv_u(pv, "reserved2", en->reserved);
    if (level == SMBW_FIND_FILE_ID_FULL_DIRECTORY_INFO || level == SMBW_FIND_FILE_ID_BOTH_DIRECTORY_INFO)
      pv_u(pv, "file_id", en->file_id);
  }
  pv_str(pv, "file_name", &en->file_name);
  pv_nonzero(pv, "padding", en->padding);
}

/* FIND_FIRST2 / FIND_NEXT2 request: the parameters, and at
   SMB_INFO_QUERY_EAS_FROM_LIST the GetExtendedAttributeList. */
static void pv_find_req(dump_pv *pv, const txout *o, int first, pverr *pe) {
  smbw_find_first2_req f;
  smbw_find_next2_req x;
  smbw_error e = {0, 0, NULL}, e2 = {0, 0, NULL};
  smbw_bytes gea = {tx_empty_gea, sizeof tx_empty_gea};
  int rc = first ? smbw_find_first2_req_decode(o->params, o->data, o->unicode, &f, &e)
                 : smbw_find_next2_req_decode(o->params, o->data, o->unicode, &x, &e);
  if (rc < 0 && e.field && strcmp(e.field, "SizeOfListInBytes") == 0) {
    /* a bad list: the parameters alone, then the list walk reports it */
    rc = first ? smbw_find_first2_req_decode(o->params, gea, o->unicode, &f, &e2)
               : smbw_find_next2_req_decode(o->params, gea, o->unicode, &x, &e2);
    if (rc < 0) e = e2;
  }
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open(pv, "payload", '{');
  uint16_t level;
  const smbw_str *name;
  if (first) {
    pv_x(pv, "search_attributes", f.search_attributes, 4);
    pv_u(pv, "search_count", f.search_count);
    pv_x(pv, "flags", f.flags, 4);
    pv_x(pv, "information_level", f.information_level, 4);
    pv_u(pv, "search_storage_type", f.search_storage_type);
    pv_str(pv, "file_name", &f.file_name);
    pv_extra(pv, f.extra);
    level = f.information_level;
    name = &f.file_name;
  } else {
    pv_u(pv, "sid", x.sid);
    pv_u(pv, "search_count", x.search_count);
    pv_x(pv, "information_level", x.information_level, 4);
    pv_u(pv, "resume_key", x.resume_key);
    pv_x(pv, "flags", x.flags, 4);
    pv_str(pv, "file_name", &x.file_name);
    pv_extra(pv, x.extra);
    level = x.information_level;
    name = &x.file_name;
  }
  if (level == SMBW_INFO_QUERY_EAS_FROM_LIST)
    pv_ea_list(pv, "get_extended_attribute_list", SMBW_EA_GEA, o->data, 0, pe);
  pv_close(pv, '}');
  if (pv->mode == PV_INFO) info_add(pv->I, ", %s: %s", first ? "Pattern" : "Continue", info_utf8(pv->I, name));
}

/* FIND_FIRST2 / FIND_NEXT2 response: the parameters, then the entries at
   the level of the request. */
static void pv_find_rsp(dump_pv *pv, const txout *o, int first, pverr *pe) {
  smbw_error e = {0, 0, NULL};
  smbw_find_first2_rsp f;
  smbw_find_next2_rsp x;
  int rc = first ? smbw_find_first2_rsp_decode(o->params, &f, &e)
                 : smbw_find_next2_rsp_decode(o->params, &x, &e);
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open(pv, "payload", '{');
  uint32_t count;
  if (first) {
    pv_u(pv, "sid", f.sid);
    pv_u(pv, "search_count", f.search_count);
    pv_u(pv, "end_of_search", f.end_of_search);
    pv_u(pv, "ea_error_offset", f.ea_error_offset);
    pv_u(pv, "last_name_offset", f.last_name_offset);
    pv_extra(pv, f.extra);
    count = f.search_count;
  } else {
    pv_u(pv, "search_count", x.search_count);
    pv_u(pv, "end_of_search", x.end_of_search);
    pv_u(pv, "ea_error_offset", x.ea_error_offset);
    pv_u(pv, "last_name_offset", x.last_name_offset);
    pv_extra(pv, x.extra);
    count = x.search_count;
  }
  if (o->has_level) {
    pv_x(pv, "request_information_level", o->level, 4);
    pv_x(pv, "request_flags", o->fflags, 4);
  }
  if (o->has_level && find_level_ok(o->level)) {
    smbw_find_iter it;
    smbw_find_entry en;
    smbw_find_iter_init(&it, o->data, o->level, o->unicode, count, o->fflags);
    pv_open(pv, "entries", '[');
    unsigned i = 0;
    while ((rc = smbw_find_iter_next(&it, &en, &e)) == 1) {
      if (pv->mode == PV_INFO) info_add(pv->I, "%s %s", i ? "" : ", Files:", info_utf8(pv->I, &en.file_name));
      pv_item(pv, i++);
      pv_find_entry(pv, &en, o->level);
      pv_close(pv, '}');
    }
    pv_close(pv, ']');
    if (rc < 0) pv_fail(pe, rc, &e, "data", 0);
  }
  pv_close(pv, '}');
}

/* ---- the subcommands ---- */

/* A record of the library (info.h): its name and every field, by the
   library's visitor (JSON: "fields", "wireshark", "bytes" as for a
   described block; tree: one line a field). */
typedef struct recarg {
  int rec;
  smbw_bytes area;
  int unicode;
  uint32_t odd; /* the area starts at an odd offset from the SMB header */
} recarg;

/* The visit of a record.  Its base is the parity of the area's offset:
   what aligns its names; smbdump prints no field offsets, and reports
   payload errors from the start of the area. */
static int run_record(const void *arg, smbw_visit_fn fn, void *ctx, smbw_error *err) {
  const recarg *r = arg;
  return smbw_record_visit(r->rec, r->area, r->unicode, r->odd, fn, ctx, err);
}

static int pv_field(void *ctx, const smbw_field *f) {
  dump_pv *pv = ctx;
  if (f->kind == SMBW_FIELD_UINT) pv_u(pv, f->name, f->value);
  else if (f->kind == SMBW_FIELD_BYTES) pv_hex(pv, f->name, f->bytes);
  else pv_str(pv, f->name, &f->str);
  return 0;
}

static int no_field(void *ctx, const smbw_field *f) {
  (void)ctx;
  (void)f;
  return 0;
}

static void pv_record(dump_pv *pv, const char *key, int rec, smbw_bytes area, int unicode,
                      int odd, pverr *pe) {
  const char *name = "?";
  smbw_record_info(rec, &name, NULL);
  const recarg arg = {rec, area, unicode, odd ? 1u : 0u};
  smbw_error e;
  int rc = 0;
  if (pv->mode == PV_JSON) {
    rc = smbw_record_visit(rec, area, unicode, arg.odd, no_field, NULL, &e); /* does it decode? */
    if (!rc) { /* a record that does not decode is left out, like a parameter block */
      jk_open(pv->J, key, '{');
      jk_s(pv->J, "record", name);
      jk_visit(pv->J, run_record, &arg, NULL);
      jclose(pv->J, '}');
    }
  } else if (pv->mode == PV_TREE) {
    pv_open(pv, key, '{');
    pv_cstr(pv, "record", name);
    rc = smbw_record_visit(rec, area, unicode, arg.odd, pv_field, pv, &e);
    pv_close(pv, '}');
  } else {
    rc = smbw_record_visit(rec, area, unicode, arg.odd, pv_field, pv, &e);
  }
  if (rc) pv_fail(pe, rc, &e, key, 0);
}

/* NT_TRANSACT_CREATE request: its parameters' SecurityDescriptorLength and
   EALength (MS-CIFS 2.2.7.1.1) cut the data into the security descriptor
   and the FILE_FULL_EA_INFORMATION chain. */
static void pv_nt_create_data(dump_pv *pv, const txout *o, pverr *pe) {
  smbw_nt_create_req q;
  if (smbw_nt_create_req_decode(o->params, smbw_rec_flags(o->unicode, o->params_odd), &q, NULL) < 0)
    return; /* reported */
  const uint32_t sdl = q.security_descriptor_length, eal = q.ea_length;
  if (sdl > o->data.len) {
    smbw_error e = {SMBW_E_FIELD_LENGTH, 36, "SecurityDescriptorLength"};
    pv_fail(pe, SMBW_E_FIELD_LENGTH, &e, "parameters", 0);
  } else if (eal > o->data.len - sdl) {
    smbw_error e = {SMBW_E_FIELD_LENGTH, 40, "EALength"};
    pv_fail(pe, SMBW_E_FIELD_LENGTH, &e, "parameters", 0);
  } else {
    if (sdl) pv_sd(pv, (smbw_bytes){o->data.data, sdl}, 0, pe);
    if (eal)
      pv_ea_list(pv, "extended_attributes", SMBW_EA_FULL, (smbw_bytes){o->data.data + sdl, eal}, sdl,
                 pe);
  }
}

/* A TRANSACTION2 response whose data a level types (its subcommand has
   one: smbw_trans_level() wants it in the parameters) when the request's
   level is not known: its data is not typed. */
static int rsp_level_unknown(const txout *o) {
  uint16_t l;
  return o->command == SMBW_COM_TRANSACTION2 && o->rsp && !o->has_level &&
         smbw_trans_level(o->command, o->sub, (smbw_bytes){NULL, 0}, &l) != 0;
}

/* The TRANSACTION2 and NT_TRANSACT subcommands whose parts the library
   describes as records (smbw_trans_records()): the setup words, the
   parameters, and the data (TRANSACTION2: by the request's
   InformationLevel, a response by its request's); the EA lists of the EA
   levels (and of OPEN2 and CREATE_DIRECTORY) entry by entry; the security
   descriptor and EA list an NT_TRANSACT_CREATE request's parameters cut
   its data into. */
static void pv_trans_records(dump_pv *pv, const txout *o, pverr *pe) {
  uint16_t level = o->has_level ? o->level : 0;
  int srec, prec, drec;
  smbw_trans_records(o->command, o->sub, o->rsp, level, &srec, &prec, &drec);
  if (rsp_level_unknown(o) && drec != SMBW_RECORD_INFO_EA_LIST) drec = -1;
  pv_open(pv, "payload", '{');
  if (o->command == SMBW_COM_TRANSACTION2 && o->rsp && o->has_level)
    pv_x(pv, "request_information_level", level, 4);
  if (srec >= 0 && o->nsetup) pv_record(pv, "setup", srec, (smbw_bytes){o->setup, o->nsetup},
                                        o->unicode, 0, pe);
  if (prec >= 0 && (o->params.len || !o->rsp))
    pv_record(pv, "parameters", prec, o->params, o->unicode, o->params_odd, pe);
  const int query = o->command == SMBW_COM_TRANSACTION2 &&
                    (o->sub == SMBW_TRANS2_QUERY_PATH_INFORMATION ||
                     o->sub == SMBW_TRANS2_QUERY_FILE_INFORMATION);
  if (!o->rsp && query && level == SMBW_INFO_QUERY_EAS_FROM_LIST) {
    pv_ea_list(pv, "get_extended_attribute_list", SMBW_EA_GEA, o->data, 0, pe);
  } else if (prec == SMBW_RECORD_NT_CREATE_REQ) {
    pv_nt_create_data(pv, o, pe);
  } else if (drec >= 0 && o->data.len) {
    pv_record(pv, "data", drec, o->data, o->unicode, o->data_odd, pe);
    if (drec == SMBW_RECORD_INFO_EA_LIST)
      pv_ea_list(pv, "extended_attribute_list", SMBW_EA_FEA, o->data, 0, pe);
    else if (drec == SMBW_RECORD_FILE_FULL_EA_INFO)
      pv_ea_list(pv, "extended_attributes", SMBW_EA_FULL, o->data, 0, pe);
  }
  pv_close(pv, '}');
}


/* NT_TRANSACT_QUERY_SECURITY_DESC and NT_TRANSACT_SET_SECURITY_DESC. */
static void pv_secdesc(dump_pv *pv, const txout *o, pverr *pe) {
  smbw_error e = {0, 0, NULL};
  int query = o->sub == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC;
  if (o->rsp) {
    if (!query) return; /* SET has neither parameters nor data */
    smbw_secdesc_rsp r;
    int rc = smbw_query_secdesc_rsp_decode(o->params, &r, &e);
    if (rc < 0) {
      pv_fail(pe, rc, &e, "parameters", 0);
      return;
    }
    pv_open(pv, "payload", '{');
    pv_u(pv, "length_needed", r.length_needed);
    pv_extra(pv, r.extra);
    pv_sd(pv, o->data, 0, pe);
    pv_close(pv, '}');
    return;
  }
  smbw_secdesc_req r;
  int rc = query ? smbw_query_secdesc_req_decode(o->params, &r, &e)
                 : smbw_set_secdesc_req_decode(o->params, &r, &e);
  if (rc < 0) {
    pv_fail(pe, rc, &e, "parameters", 0);
    return;
  }
  pv_open(pv, "payload", '{');
  pv_x(pv, "fid", r.fid, 4);
  pv_u(pv, "reserved", r.reserved);
  pv_x(pv, query ? "security_info_fields" : "security_information", r.security_info, 8);
  pv_extra(pv, r.extra);
  if (!query) pv_sd(pv, o->data, 0, pe);
  pv_close(pv, '}');
  if (pv->mode == PV_INFO) info_add(pv->I, ", FID: 0x%04x", r.fid);
}

/* ---- NETLOGON mailslot messages (netlogon.h), through the visitor ---- */

typedef struct nlv {
  dump_pv *pv;
  smbw_bytes msg;
} nlv;

/* MS-ADTS's field name in snake case: "UnicodeComputerName" ->
   "unicode_computer_name", "PrimaryDCName" -> "primary_dc_name",
   "Lm20Token" -> "lm20_token". */
static void snake(const char *in, char *out, size_t cap) {
  size_t k = 0;
  for (size_t i = 0; in[i] && k + 2 < cap; i++) {
    char ch = in[i];
    int up = ch >= 'A' && ch <= 'Z';
    int prev_low = i && ((in[i - 1] >= 'a' && in[i - 1] <= 'z') || (in[i - 1] >= '0' && in[i - 1] <= '9'));
    int prev_up = i && in[i - 1] >= 'A' && in[i - 1] <= 'Z';
    int next_low = in[i + 1] >= 'a' && in[i + 1] <= 'z';
    if (up && (prev_low || (prev_up && next_low))) out[k++] = '_'; /* "DCName": dc_name */
    out[k++] = up ? (char)(ch - 'A' + 'a') : ch;
  }
  out[k] = 0;
}

static int nl_field(void *ctx, const smbw_netlogon_field *f) {
  nlv *v = ctx;
  char key[64];
  snake(f->name, key, sizeof key);
  switch (f->kind) {
  case SMBW_NETLOGON_U8:
  case SMBW_NETLOGON_U16:
    pv_u(v->pv, key, f->value);
    break;
  case SMBW_NETLOGON_U32:
    pv_x(v->pv, key, f->value, 8);
    break;
  case SMBW_NETLOGON_IPV4: {
    char ip[20];
    snprintf(ip, sizeof ip, "%u.%u.%u.%u", f->value >> 24, (f->value >> 16) & 255u,
             (f->value >> 8) & 255u, f->value & 255u);
    pv_cstr(v->pv, key, ip);
    break;
  }
  case SMBW_NETLOGON_STR:
    pv_str(v->pv, key, &f->str);
    break;
  case SMBW_NETLOGON_DNS: {
    char text[260];
    if (smbw_netlogon_name_text(v->msg.data, v->msg.len, f->bytes, text, sizeof text, NULL) != 0)
      text[0] = 0;
    pv_cstr(v->pv, key, text);
    break;
  }
  default:
    if (f->bytes.len) pv_hex(v->pv, key, f->bytes);
    break;
  }
  return 0;
}

static void pv_netlogon(dump_pv *pv, const txout *o, pverr *pe) {
  smbw_netlogon m;
  smbw_error e;
  int rc = smbw_netlogon_decode(o->data.data, o->data.len, &m, &e);
  if (rc < 0) {
    pv_fail(pe, rc, &e, "data", 0);
    return;
  }
  const char *on = smbw_netlogon_opcode_name(m.opcode);
  if (pv->mode == PV_INFO) {
    info_add(pv->I, ", %s", on ? on : "NETLOGON");
    return;
  }
  pv_open(pv, "payload", '{');
  pv_open(pv, "netlogon", '{');
  pv_cstr(pv, "opcode_name", on ? on : "?");
  nlv v = {pv, o->data};
  smbw_netlogon_visit(&m, nl_field, &v);
  if (m.sid.len) {
    smbw_sid sid;
    char text[200];
    if (smbw_sid_decode(m.sid.data, m.sid.len, &sid, NULL) == 0 &&
        smbw_sid_to_string(&sid, text, sizeof text, NULL) == 0)
      pv_cstr(pv, "domain_sid_text", text);
  }
  pv_close(pv, '}');
  pv_close(pv, '}');
}

/* Whether smbdump decodes the payload of this transaction. */
int payload_known(const txout *o) {
  if (!o->done) return 0;
  if (o->command == SMBW_COM_TRANSACTION && o->browse == 2)
    return o->data.len >= 2 && smbw_netlogon_opcode_name((uint16_t)(o->data.data[0] | o->data.data[1] << 8)) &&
           o->data.data[0] != 0x14 && o->data.data[0] != 0x18;
  if (o->command == SMBW_COM_TRANSACTION)
    return o->browse && o->data.len &&
           smbw_info_record(SMBW_INFO_CLASS_BROWSER, o->data.data[0]) >= 0;
  if (!o->has_sub) return 0;
  if (o->command == SMBW_COM_TRANSACTION2 &&
      (o->sub == SMBW_TRANS2_FIND_FIRST2 || o->sub == SMBW_TRANS2_FIND_NEXT2))
    return 1;
  if (o->command == SMBW_COM_NT_TRANSACT &&
      (o->sub == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC ||
       (o->sub == SMBW_NT_TRANSACT_SET_SECURITY_DESC && !o->rsp)))
    return 1;
  int srec, prec, drec;
  smbw_trans_records(o->command, o->sub, o->rsp, o->has_level ? o->level : 0, &srec, &prec, &drec);
  if (rsp_level_unknown(o) && drec != SMBW_RECORD_INFO_EA_LIST) drec = -1;
  return (srec >= 0 && o->nsetup) || prec >= 0 || (drec >= 0 && o->data.len);
}

/* Decode the payload of a completed transaction in the current PV mode.
   Returns 0 (none, or decoded), or the first error. */
static int payload_walk(dump_pv *pv, const txout *o) {
  pverr pe = {0, 0, NULL, NULL};
  if (!payload_known(o)) return 0;
  if (o->command == SMBW_COM_TRANSACTION && o->browse == 2) {
    pv_netlogon(pv, o, &pe);
  } else if (o->command == SMBW_COM_TRANSACTION) { /* a browser frame, by its opcode */
    pv_open(pv, "payload", '{');
    pv_record(pv, "data", smbw_info_record(SMBW_INFO_CLASS_BROWSER, o->data.data[0]), o->data, 0,
              o->data_odd, &pe);
    pv_close(pv, '}');
  } else if (o->command == SMBW_COM_TRANSACTION2 &&
      (o->sub == SMBW_TRANS2_FIND_FIRST2 || o->sub == SMBW_TRANS2_FIND_NEXT2)) {
    if (o->rsp) pv_find_rsp(pv, o, o->sub == SMBW_TRANS2_FIND_FIRST2, &pe);
    else pv_find_req(pv, o, o->sub == SMBW_TRANS2_FIND_FIRST2, &pe);
  } else if (o->command == SMBW_COM_NT_TRANSACT &&
             (o->sub == SMBW_NT_TRANSACT_QUERY_SECURITY_DESC ||
              o->sub == SMBW_NT_TRANSACT_SET_SECURITY_DESC)) {
    pv_secdesc(pv, o, &pe);
  } else {
    pv_trans_records(pv, o, &pe);
  }
  if (!pe.rc) return 0;
  if (pv->mode == PV_JSON && pv->J->on) {
    jk_open(pv->J, "payload_error", '{');
    jk_s(pv->J, "code", smbw_errname(pe.rc));
    jk_u(pv->J, "offset", pe.offset);
    if (pe.field) jk_s(pv->J, "field", pe.field);
    else jk_null(pv->J, "field");
    jk_s(pv->J, "area", pe.area);
    jclose(pv->J, '}');
  } else if (pv->mode == PV_TREE) {
    fprintf(pv->out, "    !! payload: %s (%s) at %s offset %" PRIu32 " field %s\n",
            smbw_errname(pe.rc), smbw_strerror(pe.rc), pe.area, pe.offset,
            pe.field ? pe.field : "?");
  } else if (pv->mode == PV_INFO) {
    info_add(pv->I, " [Payload malformed: %s at %s offset %" PRIu32 " (%s)]", smbw_errname(pe.rc),
         pe.area, pe.offset, pe.field ? pe.field : "?");
  }
  return pe.rc;
}

int payload_in(dump_pv *pv, int mode, const txout *o, FILE *out) {
  pv->mode = mode;
  pv->out = out;
  pv->depth = 0;
  pv->had = 0;
  int rc = payload_walk(pv, o);
  pv->mode = PV_COUNT;
  return rc;
}
