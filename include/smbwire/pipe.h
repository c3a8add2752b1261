/**
 * @file pipe.h
 * @brief The named pipe functions (MS-CIFS 2.2.5) and the mailslot write
 *        (MS-CIFS 2.2.5.12) carried by SMB_COM_TRANSACTION, and what a
 *        transaction's Name says it is for.
 *
 * A named pipe call puts its function in setup word 0 and the pipe's FID
 * (or, for WaitNmPipe and CallNmPipe, which name the pipe in the
 * transaction's Name, a priority) in setup word 1; a few functions have
 * parameters, the others carry their payload (DCE/RPC for the pipes
 * Windows and Samba serve) as the transaction data, kept here as a view.
 * A mailslot write has three setup words (opcode 1, priority, class) and
 * its message as data.
 *
 * The functions work on views of the setup words, parameters and data of
 * one message or of a transaction reassembled by smbw_trans_asm; error
 * offsets count from the start of the view named by the field.  The
 * function codes are SMBW_TRANS_* of <smbwire/trans.h>.
 */
#ifndef SMBWIRE_PIPE_H
#define SMBWIRE_PIPE_H

#include <smbwire/str.h>
#include <smbwire/trans.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What an SMB_COM_TRANSACTION is for, by its Name (smbw_trans_target()). */
enum smbw_trans_target_kind {
  SMBW_TRANS_TARGET_OTHER = 0,   /**< none of the below (or no Name) */
  SMBW_TRANS_TARGET_PIPE = 1,    /**< "\PIPE\..." but LANMAN: a named pipe
                                      function in the setup words */
  SMBW_TRANS_TARGET_LANMAN = 2,  /**< "\PIPE\LANMAN": RAP (<smbwire/rap.h>) */
  SMBW_TRANS_TARGET_MAILSLOT = 3 /**< "\MAILSLOT\...": a mailslot write */
};

/**
 * Classify a transaction by its Name, ASCII case-insensitively, OEM or
 * UTF-16LE.
 * @param name  the Name of a decoded TRANSACTION request (nullable)
 * @return enum smbw_trans_target_kind.
 */
SMBW_API int smbw_trans_target(const smbw_str *name);

/** SMB_NMPIPE_STATUS bits (MS-CIFS 2.2.1.3): QueryNmPipeState's answer and
    SetNmPipeState's PipeState (only the ReadMode and Nonblocking bits). */
#define SMBW_NMPIPE_ICOUNT_MASK 0x00FFu     /**< instances (0xFF: unlimited) */
#define SMBW_NMPIPE_READMODE_MESSAGE 0x0100u /**< ReadMode: message (else byte) */
#define SMBW_NMPIPE_TYPE_MESSAGE 0x0400u    /**< NamedPipeType: message */
#define SMBW_NMPIPE_SERVER_END 0x4000u      /**< Endpoint: the server end */
#define SMBW_NMPIPE_NONBLOCKING 0x8000u     /**< Nonblocking */

/** PeekNmPipe's NamedPipeState (MS-CIFS 2.2.5.5.2). */
enum smbw_nmpipe_state {
  SMBW_NMPIPE_DISCONNECTED = 1, /**< disconnected by the server */
  SMBW_NMPIPE_LISTENING = 2,    /**< listening for a client */
  SMBW_NMPIPE_CONNECTED = 3,    /**< connected */
  SMBW_NMPIPE_CLOSING = 4       /**< the server end is closing */
};

/**
 * A named pipe request.  Members a function does not have are 0 or
 * empty.  Growable (doc/abi.md).
 */
typedef struct smbw_pipe_req {
  uint16_t function;        /**< setup word 0: SMBW_TRANS_SET_NM_PIPE_STATE, ... */
  uint16_t fid;             /**< setup word 1 of the functions on a FID */
  uint16_t priority;        /**< setup word 1 of WaitNmPipe and CallNmPipe
                                 (0 to 9; the pipe is the Name) */
  uint16_t pipe_state;      /**< SetNmPipeState: PipeState (the ReadMode
                                 and Nonblocking bits of SMBW_NMPIPE_*) */
  uint16_t level;           /**< QueryNmPipeInfo: Level (1) */
  smbw_bytes write_data;    /**< TransactNmPipe, RawWriteNmPipe,
                                 CallNmPipe, WriteNmPipe: the bytes written
                                 (the DCE/RPC PDU, as a view) */
  smbw_bytes extra_setup;   /**< setup words after the second */
  smbw_bytes extra_params;  /**< parameter bytes the function has not */
  smbw_bytes extra_data;    /**< data of a function that has none */
  smbw_bytes extra;         /**< reserved for growth: always empty */
} smbw_pipe_req;

/**
 * Decode a named pipe request.
 * @param setup    the setup words (2 or more)
 * @param params   the transaction parameters
 * @param data     the transaction data
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL (NULL @p out, bad view); SMBW_E_TRUNCATED
 *         (fewer than 2 setup words, field "Setup"; SetNmPipeState
 *         without its 2 parameter bytes, "PipeState"; QueryNmPipeInfo
 *         without them, "Level"); SMBW_E_LEVEL (a function MS-CIFS does
 *         not define, field "Function").
 */
SMBW_API int smbw_pipe_req_decode_(smbw_bytes setup, smbw_bytes params, smbw_bytes data,
                                   smbw_pipe_req *out, size_t out_size, smbw_error *err);

/** smbw_pipe_req_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_pipe_req_decode(smbw_bytes setup, smbw_bytes params, smbw_bytes data,
                                       smbw_pipe_req *out, smbw_error *err) {
  return smbw_pipe_req_decode_(setup, params, data, out, sizeof *out, err);
}

/**
 * Encode a named pipe request into three caller buffers: the setup words,
 * the parameters and the data.  Each length is set to what was written,
 * or to what is needed when its buffer is too small.
 * @param setup   receives the setup words (4 bytes and @c extra_setup)
 * @param scap    its size
 * @param slen    receives the setup size written or needed
 * @param params  receives the parameters
 * @param pcap    its size
 * @param plen    receives the parameter size written or needed
 * @param data    receives the data (@c write_data, @c extra_data)
 * @param dcap    its size
 * @param dlen    receives the data size written or needed
 * @param r       the fields
 * @param r_size  sizeof *r as the caller compiled it (doc/abi.md)
 * @return 0; SMBW_E_INVAL (NULL argument, bad view); SMBW_E_LEVEL
 *         (unknown function); SMBW_E_NOSPACE.
 */
SMBW_API int smbw_pipe_req_encode_(uint8_t *setup, size_t scap, size_t *slen, uint8_t *params,
                                   size_t pcap, size_t *plen, uint8_t *data, size_t dcap,
                                   size_t *dlen, const smbw_pipe_req *r, size_t r_size);

/** smbw_pipe_req_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_pipe_req_encode(uint8_t *setup, size_t scap, size_t *slen,
                                       uint8_t *params, size_t pcap, size_t *plen,
                                       uint8_t *data, size_t dcap, size_t *dlen,
                                       const smbw_pipe_req *r) {
  return smbw_pipe_req_encode_(setup, scap, slen, params, pcap, plen, data, dcap, dlen, r,
                               sizeof *r);
}

/**
 * A named pipe response, read by the function of its request.  Members
 * the function does not have are 0 or empty.  Growable (doc/abi.md).
 */
typedef struct smbw_pipe_rsp {
  uint16_t function;             /**< the request's function (an input) */
  uint16_t pipe_status;          /**< QueryNmPipeState: NMPipeStatus
                                      (SMBW_NMPIPE_* bits) */
  uint16_t read_data_available;  /**< PeekNmPipe: ReadDataAvailable */
  uint16_t message_bytes_length; /**< PeekNmPipe: MessageBytesLength */
  uint16_t named_pipe_state;     /**< PeekNmPipe: NamedPipeState
                                      (enum smbw_nmpipe_state) */
  uint16_t bytes_written;        /**< RawWriteNmPipe, WriteNmPipe:
                                      BytesWritten */
  uint16_t output_buffer_size;   /**< QueryNmPipeInfo: OutputBufferSize */
  uint16_t input_buffer_size;    /**< QueryNmPipeInfo: InputBufferSize */
  uint8_t maximum_instances;     /**< QueryNmPipeInfo: MaximumInstances */
  uint8_t current_instances;     /**< QueryNmPipeInfo: CurrentInstances */
  uint8_t pipe_name_length;      /**< QueryNmPipeInfo: PipeNameLength */
  uint8_t pad;                   /**< QueryNmPipeInfo, Unicode: the pad
                                      byte before PipeName */
  uint8_t pad_absent;            /**< QueryNmPipeInfo, Unicode: 1 when the
                                      data ended before the pad byte (the
                                      encoder then writes none) */
  smbw_bytes pipe_name;          /**< QueryNmPipeInfo: PipeName,
                                      PipeNameLength bytes as sent (OEM, or
                                      UTF-16LE after one pad byte when
                                      Unicode) */
  smbw_bytes read_data;          /**< PeekNmPipe, RawReadNmPipe,
                                      TransactNmPipe, CallNmPipe,
                                      ReadNmPipe: the bytes read */
  smbw_bytes extra_params;       /**< parameter bytes the function has not */
  smbw_bytes extra_data;         /**< data bytes the function has not */
  smbw_bytes extra;              /**< reserved for growth: always empty */
} smbw_pipe_rsp;

/**
 * Decode a named pipe response (a success; an error response has no
 * parameters or data to read).
 * @param function the request's function (setup word 0)
 * @param params   the response parameters
 * @param data     the response data
 * @param unicode  non-zero when FLAGS2_UNICODE is set (QueryNmPipeInfo)
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL; SMBW_E_LEVEL (unknown function, "Function");
 *         SMBW_E_TRUNCATED (a fixed field cut: "NMPipeStatus",
 *         "ReadDataAvailable", "MessageBytesLength", "NamedPipeState",
 *         "BytesWritten", "OutputBufferSize" ... "PipeNameLength");
 *         SMBW_E_FIELD_LENGTH (PipeNameLength past the data, "PipeName").
 */
SMBW_API int smbw_pipe_rsp_decode_(uint16_t function, smbw_bytes params, smbw_bytes data,
                                   int unicode, smbw_pipe_rsp *out, size_t out_size,
                                   smbw_error *err);

/** smbw_pipe_rsp_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_pipe_rsp_decode(uint16_t function, smbw_bytes params, smbw_bytes data,
                                       int unicode, smbw_pipe_rsp *out, smbw_error *err) {
  return smbw_pipe_rsp_decode_(function, params, data, unicode, out, sizeof *out, err);
}

/**
 * Encode a named pipe response's parameters and data (by @c function).
 * QueryNmPipeInfo writes PipeNameLength from @c pipe_name's length and,
 * when @p unicode, the @c pad byte before it.
 * @param params  receives the parameters
 * @param pcap    its size
 * @param plen    receives the parameter size written or needed
 * @param data    receives the data
 * @param dcap    its size
 * @param dlen    receives the data size written or needed
 * @param unicode non-zero when FLAGS2_UNICODE is set
 * @param r       the fields
 * @param r_size  sizeof *r as the caller compiled it (doc/abi.md)
 * @return 0; SMBW_E_INVAL; SMBW_E_LEVEL; SMBW_E_RANGE (a PipeName over
 *         255 bytes); SMBW_E_NOSPACE (lengths: the sizes needed).
 */
SMBW_API int smbw_pipe_rsp_encode_(uint8_t *params, size_t pcap, size_t *plen, uint8_t *data,
                                   size_t dcap, size_t *dlen, int unicode,
                                   const smbw_pipe_rsp *r, size_t r_size);

/** smbw_pipe_rsp_encode_() with the caller's sizeof *r (doc/abi.md). */
static inline int smbw_pipe_rsp_encode(uint8_t *params, size_t pcap, size_t *plen,
                                       uint8_t *data, size_t dcap, size_t *dlen, int unicode,
                                       const smbw_pipe_rsp *r) {
  return smbw_pipe_rsp_encode_(params, pcap, plen, data, dcap, dlen, unicode, r, sizeof *r);
}

/** A mailslot write (MS-CIFS 2.2.5.12).  Growable (doc/abi.md). */
typedef struct smbw_mailslot_write {
  uint16_t opcode;         /**< setup word 0: 1, TRANS_MAILSLOT_WRITE */
  uint16_t priority;       /**< setup word 1: 0 to 9 */
  uint16_t mailslot_class; /**< setup word 2: 1 reliable, 2 unreliable
                                (no response) */
  smbw_bytes data;         /**< the message (a browser announcement,
                                NETLOGON ...), as a view */
  smbw_bytes extra_setup;  /**< setup words after the third */
  smbw_bytes extra;        /**< reserved for growth: always empty */
} smbw_mailslot_write;

/**
 * Decode a mailslot write.
 * @param setup    the setup words (3 or more)
 * @param data     the transaction data
 * @param out      receives the fields (written only on success)
 * @param out_size sizeof *out (doc/abi.md)
 * @param err      receives the error (nullable)
 * @return 0; SMBW_E_INVAL; SMBW_E_TRUNCATED (fewer than 3 setup words,
 *         field "Setup"); SMBW_E_LEVEL (opcode not 1, field "Opcode").
 */
SMBW_API int smbw_mailslot_write_decode_(smbw_bytes setup, smbw_bytes data,
                                         smbw_mailslot_write *out, size_t out_size,
                                         smbw_error *err);

/** smbw_mailslot_write_decode_() with the caller's sizeof *out (doc/abi.md). */
static inline int smbw_mailslot_write_decode(smbw_bytes setup, smbw_bytes data,
                                             smbw_mailslot_write *out, smbw_error *err) {
  return smbw_mailslot_write_decode_(setup, data, out, sizeof *out, err);
}

/**
 * Encode a mailslot write's setup words (the data is @c data, sent as the
 * transaction data).
 * @param setup  receives 6 bytes and @c extra_setup
 * @param cap    its size
 * @param len    receives the size written or needed
 * @param m      the fields
 * @param m_size sizeof *m (doc/abi.md)
 * @return 0, SMBW_E_INVAL, SMBW_E_NOSPACE.
 */
SMBW_API int smbw_mailslot_write_encode_(uint8_t *setup, size_t cap, size_t *len,
                                         const smbw_mailslot_write *m, size_t m_size);

/** smbw_mailslot_write_encode_() with the caller's sizeof *m (doc/abi.md). */
static inline int smbw_mailslot_write_encode(uint8_t *setup, size_t cap, size_t *len,
                                             const smbw_mailslot_write *m) {
  return smbw_mailslot_write_encode_(setup, cap, len, m, sizeof *m);
}

#ifdef __cplusplus
}
#endif
#endif
