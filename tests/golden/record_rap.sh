#!/bin/bash
# Record smbwire's golden captures of the SMB_COM_TRANSACTION subprotocols: RAP
# (MS-RAP) over \PIPE\LANMAN, named pipes (MS-CIFS 2.2.5) and a mailslot write.
#
#   bash tests/golden/record_rap.sh     (as root; then /usr/bin/python3 tests/golden/extract.py)
#
# Starts a throwaway NT1-only smbd (tests/peers/smbd.sh) on $PORT and records, one
# dumpcap on lo per capture, tests/golden/NAME.pcapng + .txt:
#   rap-smbclient-list  smbclient -L -N (RAP NetShareEnum / NetServerEnum2 where it
#                       falls back to them, and srvsvc over TransactNmPipe)
#   rap-torture         smbtorture rap.basic and rap.rpc
#   rap-rpcclient       rpcclient srvinfo, netshareenum, getusername (TransactNmPipe)
#   rap-impacket        tests/golden/pipe_impacket.py: every named pipe function, the
#                       RAP calls of the smbwire table, a mailslot write
# Only 127.0.0.1 is ever contacted.  Env: PORT (14452, one of the ports extract.py reads as NBSS), ONLY="rap-torture ...".
# Needs: samba smbclient samba-testsuite (smbtorture) tshark python3-impacket.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14452}
SMBD_SH="$root/tests/peers/smbd.sh"
me=record_rap.sh
. "$here/capture.sh"

capture_need '' dumpcap tshark smbd smbclient rpcclient smbtorture
[ "$(id -u)" = 0 ] || { echo "record_rap.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

capture_work rap
stop_peers() { bash "$SMBD_SH" stop "$work/nt1" || true; }

bash "$SMBD_SH" start "$work/nt1" "$PORT" >/dev/null

# clients must not read /etc/samba/smb.conf; fixed client name, NT1 only
capture_client_conf 'client min protocol = NT1' 'client max protocol = NT1'
NT1=(-s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1')

# record NAME "DESCRIPTION" command...   (one capture around one command line)
record() {
    local name=$1 desc=$2; shift 2
    capture_wanted "$name" || return 0
    local tmp="$work/$name.pcapng" out="$work/$name.out" rc
    rm -f "$out"
    capture_start "$tmp" "tcp port $PORT"
    capture_run "$out" timeout 300 "$@"
    # smbtorture: 1 means some subtest failed against smbd (kept); others must succeed
    if [ $rc != 0 ] && { [ $rc != 1 ] || [ "$1" != smbtorture ]; }; then
        echo "record_rap.sh: $name: $1 failed (rc=$rc):" >&2; tail -n 30 "$out" >&2; exit 1
    fi
    capture_stop
    mv "$tmp" "$here/$name.pcapng"; chmod 644 "$here/$name.pcapng"
    {
        echo "# $name.pcapng -- recorded by tests/golden/record_rap.sh (do not edit; rerun it)"
        echo "server: smbd $(smbd -V | sed 's/^Version //') on 127.0.0.1 (tests/peers/smbd.sh; NT1-only port $PORT)"
        echo "capture: dumpcap -i lo -f 'tcp port $PORT'"
        echo "command: $(capture_command "$@")"
        echo
        echo "$desc" | fold -s -w 100
        echo
        echo "client output:"; sed "s|$work|\$WORK|g; s/^/  /" "$out"
        echo
        echo "NBSS/SMB messages (frame, direction, tshark summary):"
        capture_messages "$here/$name.pcapng" "$PORT"
    } > "$here/$name.txt"
    printf '%-20s %7d bytes  %4d NBSS messages\n' "$name" "$(stat -c %s "$here/$name.pcapng")" \
        "$(grep -c '^ *[0-9]* [cs]2[cs] ' "$here/$name.txt" || true)"
}

record rap-smbclient-list \
"smbclient -L, anonymous, NT1 only: the share list over srvsvc (TransactNmPipe on \\srvsvc) and, for the workgroup listing, RAP NetServerEnum2 on \\PIPE\\LANMAN." \
    smbclient "${NT1[@]}" -L //127.0.0.1 -p "$PORT" -N

record rap-torture \
"smbtorture rap.basic (NetServerEnum2, NetShareEnum, NetServerGetInfo, NetSessionEnum, NetSessionGetInfo, NetRemoteTOD) and rap.rpc (NetServerGetInfo next to its srvsvc twin) on IPC$." \
    smbtorture "${NT1[@]}" -p "$PORT" -U 'smbwire%Passw0rd!' //127.0.0.1/IPC\$ rap.basic rap.rpc

record rap-rpcclient \
"rpcclient srvinfo, netshareenum and getusername over named pipes (NT_CREATE_ANDX of the pipe, TransactNmPipe with DCE/RPC binds and requests, READ_ANDX / WRITE_ANDX where a PDU is larger)." \
    rpcclient "${NT1[@]}" -p "$PORT" -U 'smbwire%Passw0rd!' -c 'srvinfo; netshareenum; getusername' 127.0.0.1

record rap-impacket \
"tests/golden/pipe_impacket.py: on \\srvsvc every named pipe function of MS-CIFS 2.2.5 (SetNmPipeState, QueryNmPipeState, QueryNmPipeInfo, PeekNmPipe, TransactNmPipe with a DCE/RPC bind, RawReadNmPipe, RawWriteNmPipe, WaitNmPipe, CallNmPipe; smbd answers the ones it does not implement with errors); on \\PIPE\\LANMAN NetShareEnum, NetShareGetInfo (levels 1, 2), NetServerGetInfo (0, 1), NetWkstaGetInfo (10), NetServerEnum2 (0, 1); a mailslot write to \\MAILSLOT\\BROWSE (class 2; smbd answers STATUS_NOT_SUPPORTED)." \
    /usr/bin/python3 "$here/pipe_impacket.py" "$PORT"
