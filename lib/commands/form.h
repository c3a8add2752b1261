/*
 * The message descriptions (doc/forms.md): what a row, a form and a type
 * are.  forms.c holds the tables, form.c the one engine that reads them to
 * decode, encode and visit.  Nothing here is exported.
 */
#ifndef SMBW_FORM_INTERNAL_H
#define SMBW_FORM_INTERNAL_H

#include "../core/internal.h"

#include <smbwire/commands.h>

/*
 * Row kinds.  Word rows (W_*) sit at a byte offset in the parameter words
 * and are present when the block carries that many words; item rows (I_*)
 * follow each other in the byte area.
 */
enum smbw_kind {
  /* a value read into a member of the same width */
  W_U8 = 1,
  W_U16,
  W_U32,
  W_U64,
  W_ANDX,   /* AndXCommand, AndXReserved, AndXOffset into an smbw_andx */
  W_RAW,    /* arg bytes copied into a uint8_t array member */
  W_LO16,   /* bits 0..15 of a uint32_t member (Count) */
  W_HI16,   /* bits 16..31 of a uint32_t member (CountHigh) */
  W_LO32,   /* bits 0..31 of a uint64_t member (Offset) */
  W_HI32,   /* bits 32..63 of a uint64_t member (OffsetHigh) */
  W_ANY,    /* the only row of a form for a command whose layout MS-CIFS does
               not give: any WordCount, all the words as one smbw_bytes view */
  /* words that locate item `ref`, computed by encoders; with a member
     (m), the decoder also keeps the item's length or count there */
  W_LEN8,   /* its length, one byte */
  W_LEN16,  /* its length (low 16 bits) */
  W_LENHI16,/* bits 16..31 of its length */
  W_DOFF16, /* its offset from the SMB header */
  W_CNT16,  /* its number of records */
  /* byte-area items */
  I_STR,    /* string in the message's encoding, UTF-16 aligned to 2 */
  I_OEM,    /* OEM string, never aligned (Service) */
  I_BFSTR,  /* buffer format byte `arg`, then an aligned string */
  I_BYTES,  /* bytes whose length is a W_LEN* word */
  I_DATA,   /* pad (member m2) then data at its W_DOFF16 word, with
               DataOffset kept in member m3 */
  I_RECS,   /* records: count from a W_CNT16 word, each 10 bytes, or 20
               when bit 0x10 of the word byte at `arg` is set */
  I_REST,   /* the rest of the area */
  I_DBLOCK, /* a data block: format byte (u8 member m2), 16-bit length, bytes */
  I_PAD,    /* `arg` bytes that are always there (a pad before data) */
  /* records only (SMBW_RECORD_LIST) */
  W_LEN32,  /* the byte length (u32) of the name at row `ref` */
  I_LSTR,   /* a name of the length its W_LEN8 / W_LEN32 row gives, in the
               area's encoding, no terminator: after the fixed part (arg 1:
               UTF-16 after a pad byte to an even offset in the area) */
  I_STRZ,   /* a NUL-terminated, unaligned name that runs to the end */
  I_LBYTES  /* bytes of the length its W_LEN32 row gives (a SID) */
};

#define SMBW_NOM 0xFFFFu /* no member */

typedef struct smbw_row {
  const char *name; /* MS-CIFS name */
  const char *ws;   /* Wireshark field, or NULL */
  const char *c;    /* the C member (for tools/gen_forms.c); DATA: "data pad offset" */
  uint16_t m;       /* offset of the member in the type's struct */
  uint16_t m2, m3;  /* I_DATA: pad view, DataOffset member; I_DBLOCK: format byte */
  uint8_t kind;     /* enum smbw_kind */
  uint8_t off;      /* word rows: byte offset in the parameter words */
  uint8_t ref;      /* W_LEN*, W_DOFF16, W_CNT16: index of the item row (in a
                       record: the index of the name's row among all its rows) */
  uint8_t arg;      /* W_RAW: width; I_BFSTR: format byte; I_RECS: flag byte; I_PAD: size;
                       I_DBLOCK: 1 + the record (SMBW_RECORD_*) it holds, or 0 */
} smbw_row;

/* Bytes a word row takes on the wire (W_RAW: its arg; an item: 0). */
static inline unsigned smbw_row_width(const smbw_row *r) {
  static const uint8_t width[] = {
      [W_U8] = 1,    [W_U16] = 2,   [W_U32] = 4,     [W_U64] = 8,     [W_ANDX] = 4,
      [W_RAW] = 0,   [W_LO16] = 2,  [W_HI16] = 2,    [W_LO32] = 4,    [W_HI32] = 4,
      [W_ANY] = 0,   [W_LEN8] = 1,  [W_LEN16] = 2,   [W_LENHI16] = 2, [W_DOFF16] = 2,
      [W_CNT16] = 2, [W_LEN32] = 4,
  };
  if (r->kind == W_RAW) return r->arg;
  return r->kind < sizeof width ? width[r->kind] : 0u; /* items: 0 */
}

/* A layout of the parameter words and the byte area. */
typedef struct smbw_form {
  const smbw_row *words;
  const smbw_row *items;
  uint8_t nwords_rows;
  uint8_t nitems;
  uint8_t wct[3];    /* WordCounts of this form (0 = unused slot, except the first) */
  uint8_t carry50;   /* WordCount 42 carries 50 words (extended NT_CREATE_ANDX) */
  const char *spec;  /* specification section */
} smbw_form;

/* Is f the generic form (one W_ANY row: any WordCount, the words as a
   view)? */
static inline int smbw_form_any(const smbw_form *f) {
  return f && f->nwords_rows == 1 && f->words[0].kind == W_ANY;
}

/* A command in one direction: its struct and its forms. */
typedef struct smbw_typedesc {
  const char *name;
  const smbw_form *forms;
  uint8_t nforms;
  uint8_t command;
  uint8_t reply;
  uint8_t error_form; /* responses: WordCount 0 is the error form */
  uint16_t size;      /* sizeof the struct */
  uint16_t min_size;  /* the struct as first published: the end of its extra */
  uint16_t wct_m;     /* offset of uint8_t wct */
  uint16_t extra_m;   /* offset of smbw_bytes extra */
  uint16_t nwords_m;  /* offset of uint8_t nwords (the words carried), or SMBW_NOM */
} smbw_typedesc;

SMBW_HIDDEN extern const smbw_typedesc smbw_types[SMBW_TYPE_COUNT_];

/* A record (SMBW_RECORD_LIST): word-kind rows at offsets inside its fixed
   part, then at most one item (I_LSTR, I_STRZ or I_REST) after it. */
enum smbw_rec_list {
  REC_ONE = 0,     /* one record per area */
  REC_ARRAY = 1,   /* fixed-size records end to end */
  REC_CHAINED = 2  /* entries chained by the NextEntryOffset (u32) at offset 0 */
};
typedef struct smbw_recdesc {
  const char *name;
  const smbw_row *rows;
  uint8_t nrows;
  uint8_t size;      /* bytes of the fixed part on the wire */
  uint16_t ssize;    /* sizeof the struct */
  uint16_t min_size; /* the struct as first published (the smallest size callers pass) */
  uint8_t list;      /* enum smbw_rec_list */
  const char *spec;  /* specification section */
} smbw_recdesc;

/* The largest struct of any record (the staging buffer). */
#define SMBW_RECORD_MAX_SIZE 256u

SMBW_HIDDEN extern const smbw_recdesc smbw_records[SMBW_RECORD_COUNT_];

/* An information level of a class (enum smbw_info_class) and its record. */
typedef struct smbw_leveldesc {
  int8_t cls;
  uint16_t level;
  int16_t rec;
} smbw_leveldesc;
SMBW_HIDDEN extern const smbw_leveldesc smbw_levels[];
SMBW_HIDDEN extern const unsigned smbw_nlevels;

/* A transaction subcommand whose parts are records (forms.c). */
typedef struct smbw_transdesc {
  uint8_t command;    /* SMBW_COM_TRANSACTION2, SMBW_COM_NT_TRANSACT */
  uint16_t sub;       /* SMBW_TRANS2_*, SMBW_NT_TRANSACT_* */
  int16_t setup;      /* record of the request's setup words, or -1 */
  int16_t req, rsp;   /* records of the request's and the response's parameters, or -1 */
  int8_t level_off;   /* offset of the request's InformationLevel, or -1 */
  int8_t req_cls;     /* class of the level of the request's data, or -1 */
  int8_t rsp_cls;     /* class of the level of the response's data, or -1 */
  int16_t req_data;   /* record of the request's data when no level selects it, or -1 */
  int16_t rsp_data;   /* the same for the response */
} smbw_transdesc;
SMBW_HIDDEN extern const smbw_transdesc smbw_transs[];
SMBW_HIDDEN extern const unsigned smbw_ntranss;

/* An FSCTL whose data are records (forms.c). */
typedef struct smbw_fsctldesc {
  uint32_t code;    /* FunctionCode */
  int16_t req, rsp; /* records of the request's and the response's data, or -1 */
} smbw_fsctldesc;
SMBW_HIDDEN extern const smbw_fsctldesc smbw_fsctls[];
SMBW_HIDDEN extern const unsigned smbw_nfsctls;

/* Type of (command, reply): -1 when none; built from smbw_types. */
SMBW_HIDDEN int smbw_type_lookup(uint8_t command, int reply);

/* The largest struct of any type (the engine's staging buffer). */
#define SMBW_TYPE_MAX_SIZE 256u

#endif
