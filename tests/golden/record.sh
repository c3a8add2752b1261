#!/bin/bash
# Record smbwire's golden SMB1 captures from real peers on loopback.
#
#   bash tests/golden/record.sh            (as root; then /usr/bin/python3 tests/golden/extract.py)
#
# Starts two throwaway smbd (tests/peers/smbd.sh): NT1-only on $PORT and a
# "legacy" one (LANMAN1..NT1, lanman auth) on $LEGACY_PORT, records each scenario
# with dumpcap on lo into tests/golden/NAME.pcapng, writes NAME.txt (command +
# message list), then stops everything. Only 127.0.0.1 is ever contacted.
# Env: PORT (14450), LEGACY_PORT (14451), ONLY="name ..." to record a subset
# (e.g. ONLY=transactions).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14450}
LEGACY_PORT=${LEGACY_PORT:-14451}
PY=/usr/bin/python3
SMBD_SH="$root/tests/peers/smbd.sh"
me=record.sh
. "$here/capture.sh"

capture_need '(apt-get install -y samba smbclient tshark)' dumpcap tshark smbd smbclient
$PY -c 'import impacket' 2>/dev/null || { echo "record.sh: $PY cannot import impacket (apt-get install -y python3-impacket)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

capture_work golden
stop_peers() {
    bash "$SMBD_SH" stop "$work/nt1" || true
    bash "$SMBD_SH" stop "$work/legacy" || true
}

bash "$SMBD_SH" start "$work/nt1" "$PORT" >/dev/null
bash "$SMBD_SH" start "$work/legacy" "$LEGACY_PORT" legacy >/dev/null

# smbclient must not read /etc/samba/smb.conf; fixed client names for determinism
capture_client_conf 'client signing = auto'
SMBCLIENT=(smbclient -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1' -p "$PORT")

# capture NAME "FILTER" "DESCRIPTION" command...
capture() {
    local name=$1 filter=$2 desc=$3; shift 3
    capture_wanted "$name" || return 0
    local tmp="$work/$name.pcapng" out="$work/$name.out" rc
    capture_start "$tmp" "$filter"
    capture_run "$out" "$@"
    capture_stop
    if [ $rc != 0 ]; then
        echo "record.sh: $name: client failed (rc=$rc):" >&2; cat "$out" >&2; exit 1
    fi
    mv "$tmp" "$here/$name.pcapng"; chmod 644 "$here/$name.pcapng"
    {
        echo "# $name.pcapng -- recorded by tests/golden/record.sh (do not edit; rerun it)"
        echo "server: smbd $(smbd -V | sed 's/^Version //') on 127.0.0.1 (tests/peers/smbd.sh; NT1-only port $PORT, legacy port $LEGACY_PORT)"
        echo "capture: dumpcap -i lo -f '$filter'"
        echo "command: $(capture_command "$@")"
        echo
        echo "$desc" | fold -s -w 100
        echo
        echo "client output:"
        sed "s|$work|\$WORK|g; s/ ([0-9.]* KiloBytes\/sec.*//; s/ ([0-9.]* kb\/s).*//; s/^/  /" "$out"
        echo
        echo "NBSS/SMB messages (frame, direction, tshark summary):"
        capture_messages "$here/$name.pcapng" "$PORT" "$LEGACY_PORT"
    } > "$here/$name.txt"
    printf '%-18s %7d bytes  %3d NBSS messages\n' "$name" "$(stat -c %s "$here/$name.pcapng")" \
        "$(grep -c '^ *[0-9]* [cs]2[cs] ' "$here/$name.txt" || true)"
}

capture impacket-seed "tcp port $PORT" \
"impacket 0.10 (tests/golden/seed_impacket.py seed) with an NBSS session request on the non-139 port (impacket.nmb.NETBIOS_SESSION_PORT patched), NEGOTIATE NT LM 0.12 with FLAGS2_UNICODE and without extended security (17-word response, 8-byte challenge), SESSION_SETUP_ANDX 13-word NTLMv1 with a wrong password (STATUS_LOGON_FAILURE) then smbwire/Passw0rd! (OEM strings: impacket clears FLAGS2_UNICODE for the session setup; everything after it is Unicode), TREE_CONNECT_ANDX share (3-word response), OPEN_ANDX hello.txt (15-word response), READ_ANDX of 20 bytes alternating 12-word and 10-word requests until a 0-byte reply (EOF), CLOSE, OPEN_ANDX missing.txt (STATUS_OBJECT_NAME_NOT_FOUND), OPEN_ANDX hello.txt with Flags 0x10 (19-word extended response), READ_ANDX 10-word, CLOSE, TREE_CONNECT_ANDX nosuch (STATUS_BAD_NETWORK_NAME), ECHO, LOGOFF_ANDX." \
    $PY "$here/seed_impacket.py" "$PORT" seed

capture impacket-anon "tcp port $PORT" \
"impacket 0.10 (tests/golden/seed_impacket.py anon), no NBSS session request, no extended security, Unicode except the (OEM) session setups. Connection 1: SESSION_SETUP_ANDX null session (13 words, empty passwords), TREE_CONNECT_ANDX share with Flags 0 (3-word response) and with Flags 0x0008 extended response (7-word response), TREE_CONNECT_ANDX ro (STATUS_ACCESS_DENIED), LOGOFF_ANDX. Connection 2: SESSION_SETUP_ANDX as unknown user someguest (mapped to guest, Action 1), TREE_CONNECT_ANDX share (3-word), LOGOFF_ANDX." \
    $PY "$here/seed_impacket.py" "$PORT" anon

capture smbclient-get "tcp port $PORT" \
"smbclient $(smbclient -V | sed 's/^Version //') NT1 with extended security: NEGOTIATE (17-word response with GUID + SPNEGO blob), SESSION_SETUP_ANDX 12-word NTLMSSP (STATUS_MORE_PROCESSING_REQUIRED, then success; 4-word responses), TREE_CONNECT_ANDX share (7-word response), NT_CREATE_ANDX / READ_ANDX (12-word) / CLOSE for hello.txt and big.bin (100000 bytes, 64 KiB reads), TREE_CONNECT_ANDX IPC$ + TRANS2 GET_DFS_REFERRAL first, TRANS2 QUERY_FILE_INFO, TREE_DISCONNECT; no LOGOFF_ANDX (smbclient just closes)." \
    "${SMBCLIENT[@]}" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'get hello.txt /dev/null; get big.bin /dev/null'

capture smbclient-anon "tcp port $PORT" \
"smbclient $(smbclient -V | sed 's/^Version //') -N -U '' (anonymous: NTLMSSP over SPNEGO with empty user, 12-word SESSION_SETUP_ANDX; plain -N would send the unix user name, e.g. root, which smbd maps to guest), TREE_CONNECT_ANDX IPC\$ + TRANS2 GET_DFS_REFERRAL (STATUS_NOT_FOUND) + TREE_DISCONNECT, TREE_CONNECT_ANDX share (7-word response), ls (TRANS2 FIND_FIRST2, QUERY_FS_INFO), TREE_DISCONNECT; smbclient then just closes the connection (no LOGOFF_ANDX)." \
    "${SMBCLIENT[@]}" -N -U '' //127.0.0.1/share -c 'ls'

capture smbclient-nospnego "tcp port $PORT" \
"smbclient $(smbclient -V | sed 's/^Version //') with 'client use spnego = no' and 'client ntlmv2 auth = no' (deprecated options, still honoured; with NTLMv2 smbd 4.17 answers this non-SPNEGO session setup with STATUS_INVALID_PARAMETER): NEGOTIATE without extended security (17-word response, 8-byte challenge, Unicode), SESSION_SETUP_ANDX 13-word Unicode request with NTLMv1 24+24-byte responses and a 3-word Unicode response, TREE_CONNECT_ANDX IPC\$ + TRANS2 GET_DFS_REFERRAL + TREE_DISCONNECT, TREE_CONNECT_ANDX share (7-word response), NT_CREATE_ANDX / TRANS2 QUERY_FILE_INFO / READ_ANDX / CLOSE of hello.txt, TREE_DISCONNECT." \
    "${SMBCLIENT[@]}" --option='client use spnego=no' --option='client ntlmv2 auth=no' -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'get hello.txt /dev/null'

capture negotiate-forms "tcp port $PORT or tcp port $LEGACY_PORT" \
"Hand-built messages (tests/golden/negotiate_forms.py, socket + struct), one TCP connection each: (1) NBSS session request with a malformed called name -> negative response 0x83 error 0x82; (2) NBSS session request -> 0x82, NBSS keep-alive 0x85 from the client, NEGOTIATE [NT LM 0.12] -> 17 words, no ext sec; (3) NEGOTIATE [PC NETWORK PROGRAM 1.0] on the NT1 server -> 1 word, DialectIndex 0xFFFF; (4) NEGOTIATE [FOOBAR 9.9] -> 1 word 0xFFFF; (5) six-dialect Windows-style list with FLAGS2_EXTENDED_SECURITY -> 17 words, index 5, GUID + SPNEGO blob; (6) non-Unicode client without NT status (FLAGS2 0x0041, no CAP_UNICODE/CAP_STATUS32): NEGOTIATE, SESSION_SETUP_ANDX 13-word wrong password -> DOS ERRDOS/ERRnoaccess (class 1 code 5), again with the right password -> 3-word response with OEM strings, TREE_CONNECT_ANDX share flags 0 -> 3 words and flags 8 -> 7 words (OEM service/fs), TREE_CONNECT_ANDX nosuch -> DOS ERRDOS class 1 code 67 (ERRnosuchshare), LOGOFF_ANDX; port $LEGACY_PORT (server min protocol = LANMAN1, lanman auth = yes): (7) NEGOTIATE [PC NETWORK PROGRAM 1.0] -> still 0xFFFF (samba 4.17 has no core-protocol reply); (8) NEGOTIATE [LANMAN1.0] -> 13 words; (9) NEGOTIATE [LANMAN1.0, LM1.2X002] -> 13 words index 1, SESSION_SETUP_ANDX 10-word LANMAN request with a 24-byte LM response for SMBWIRE -> 3-word response, TREE_CONNECT_ANDX share -> 2-word response, LOGOFF_ANDX." \
    $PY "$here/negotiate_forms.py" "$PORT" "$LEGACY_PORT"

# Last: it leaves an EA-carrying hello.txt and an extra long-named file in the share.
capture transactions "tcp port $PORT" \
"Hand-built multi-fragment transactions (tests/golden/transactions.py, socket + struct; impacket for NTLMv1 and the DCE/RPC structures). Connection 1: NEGOTIATE NT LM 0.12 (no ext sec, Unicode), SESSION_SETUP_ANDX 13-word NTLMv1 with MaxBufferSize 500 (the smallest smbd accepts: smbd then splits every transaction response larger than 500 bytes), TREE_CONNECT_ANDX share; TRANS2 SET_PATH_INFORMATION SMB_INFO_SET_EAS hello.txt (26 parameter + 502 data bytes) as a primary with 6 parameter bytes -> interim response (WordCount 0), then two TRANS2_SECONDARY out of order (data 262@240, then parameters 20@6 + data 240@0) -> one response; TRANS2 QUERY_PATH_INFORMATION SMB_INFO_QUERY_ALL_EAS -> the 502-byte EA list in 2 responses (436@0, 66@436); NT_CREATE_ANDX/CLOSE of a file with a long name, TRANS2 FIND_FIRST2 \\* SMB_FIND_FILE_ID_BOTH_DIRECTORY_INFO -> 2 responses (10 parameter bytes + data 428@0, data 160@428); NT_TRANSACT_CREATE of nt-transact-create.txt with a 332-byte FILE_FULL_EA_INFORMATION list as a primary (100 parameter + 76 data bytes) -> interim response, NT_TRANSACT_SECONDARY (data 256@76, pad byte 0x01 and ByteCount 257 so that tshark's misplaced reading of its ByteCount agrees) -> create response (69 parameter bytes); NT_TRANSACT QUERY_SECURITY_DESC on it with MaxDataCount 0 (STATUS_BUFFER_TOO_SMALL, 4 parameter bytes) and 4096 (128-byte descriptor), CLOSE; TREE_CONNECT_ANDX IPC\$, NT_CREATE_ANDX srvsvc, TRANSACTION TransactNmPipe \\PIPE\\ (Unicode name after a pad byte) with a 72-byte DCE/RPC bind as a primary (40 bytes) -> interim response, TRANSACTION_SECONDARY (32@40) -> bind_ack; TransactNmPipe NetrShareEnum level 1 -> the 276-byte RPC response in 3 responses (128@0, 128@128, 20@256); CLOSE, LOGOFF_ANDX. Connection 2 (OEM strings): TRANSACTION \\PIPE\\LANMAN (OEM name) RAP NetShareEnum level 1 -> one response with 8 parameter and 96 data bytes; LOGOFF_ANDX." \
    $PY "$here/transactions.py" "$PORT"

capture smbclient-info "tcp port $PORT" \
"smbclient $(smbclient -V | sed 's/^Version //') NT1 with extended security (NTLMSSP), the information commands: allinfo hello.txt (TRANS2 QUERY_PATH_INFORMATION at SMB_QUERY_FILE_ALT_NAME_INFO, SMB_QUERY_FILE_BASIC_INFO (smbd's 36 bytes), SMB_QUERY_FILE_STANDARD_INFO and SMB_QUERY_FILE_STREAM_INFO (::\$DATA); NT_CREATE_ANDX, NT_TRANSACT IOCTL FSCTL_SRV_ENUMERATE_SNAPSHOTS (STATUS_NOT_SUPPORTED: no shadow copies), CLOSE), volume (TRANS2 QUERY_FS_INFORMATION SMB_QUERY_FS_VOLUME_INFO), getfacl hello.txt (refused by smbclient itself: it needs the posix command, which needs unix extensions; no traffic), listconnect (no traffic), ls (TRANS2 FIND_FIRST2, QUERY_FS_INFORMATION FileFsFullSizeInformation)." \
    "${SMBCLIENT[@]}" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'allinfo hello.txt; volume; getfacl hello.txt; listconnect; ls'

# The everyday NT LM 0.12 file commands. These two clean up after themselves.
# The upload: 150000 deterministic bytes (SHA-256 counter stream of "smbwire put %d"),
# more than 64 KiB so that smbclient (CAP_LARGE_WRITEX) sends one WRITE_ANDX of
# 130048 bytes (DataLengthHigh 1) and one of 19952.
$PY - "$work/ops-upload.bin" <<'PY'
import hashlib, sys
out = bytearray()
i = 0
while len(out) < 150000:
    out += hashlib.sha256(b'smbwire put %d' % i).digest()
    i += 1
open(sys.argv[1], 'wb').write(bytes(out[:150000]))
PY
capture smbclient-ops "tcp port $PORT" \
"smbclient $(smbclient -V | sed 's/^Version //') NT1 with extended security (NTLMSSP), as in smbclient-get, then: put of a 150000-byte file (NT_CREATE_ANDX, two pipelined 14-word WRITE_ANDX of 130048 bytes (DataLengthHigh 1, response CountHigh 1) and 19952 bytes, CLOSE), hardlink (NT_RENAME, InformationLevel 0x103 hard link), rename (RENAME), setmode +r and -r (each: QUERY_INFORMATION + SET_INFORMATION, twice), del x2 (DELETE), mkdir (CREATE_DIRECTORY), rmdir (DELETE_DIRECTORY), echo 3 (ECHO with EchoCount 3: three responses, SequenceNumber 1..3), tdis (TREE_DISCONNECT), logoff (LOGOFF_ANDX); smbclient then closes the connection." \
    "${SMBCLIENT[@]}" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'put ops-upload.bin; hardlink ops-upload.bin ops-link.bin; rename ops-link.bin ops-renamed.bin; setmode ops-renamed.bin +r; setmode ops-renamed.bin -r; del ops-renamed.bin; del ops-upload.bin; mkdir ops-dir; rmdir ops-dir; echo 3 smbwire; tdis; logoff'

capture impacket-ops "tcp port $PORT" \
"impacket 0.10 (tests/golden/seed_impacket.py ops), no NBSS session request, no extended security, Unicode after the (OEM) session setup: NT_CREATE_ANDX overwrite-if (extended response: 42 words declared, 50 carried), WRITE_ANDX 12-word (no OffsetHigh) and 14-word, FLUSH, SEEK modes 2/0/1 (from the end, the start, the current position, negative offset), QUERY_INFORMATION2 (11-word response), SET_INFORMATION2, CLOSE, QUERY_INFORMATION (10-word response), SET_INFORMATION (read-only, then normal), NT_RENAME with InformationLevel 0x104 rename, 0x103 hard link, 0x105 copy and 0x102 move cluster information (STATUS_INVALID_PARAMETER), CHECK_DIRECTORY \\ and \\nosuchdir (STATUS_OBJECT_NAME_NOT_FOUND), TRANS2 FIND_FIRST2 of 2 entries without the close flags then FIND_CLOSE2 of its SID, DELETE of a wildcard (STATUS_OBJECT_NAME_INVALID: smbd 4.17 has no wildcard delete) and of each file, ECHO with EchoCount 3 (three responses), TREE_DISCONNECT, LOGOFF_ANDX. Command codes impacket has no method for are sent as impacket SMBCommand objects with hand-filled words and bytes." \
    $PY "$here/seed_impacket.py" "$PORT" ops
