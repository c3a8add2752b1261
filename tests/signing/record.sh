#!/bin/bash
# Record smbwire's signed SMB1 captures from real peers on loopback.
#
#   bash tests/signing/record.sh     (as root; then /usr/bin/python3 tests/golden/extract.py
#                                     --port 14460 --out tests/signing tests/signing/*.pcapng)
#
# Starts one throwaway smbd with `server signing = mandatory`
# (tests/peers/smbd.sh ... signing) on 127.0.0.1:$PORT, records each scenario
# with dumpcap on lo into tests/signing/NAME.pcapng, writes NAME.txt (command,
# client output, message list), then stops everything.  Only 127.0.0.1 is
# ever contacted.  Env: PORT (14460), ONLY="name ..." to record a subset.
#
# impacket-signed: impacket signs the requests, smbd the responses; the MAC key
#   impacket used goes to impacket-signed.key (the test also derives it from
#   the password and the NTLMSSP messages, and checks the two agree).
# smbclient-ntlmssp-signed: smbclient NTLMv2 over SPNEGO/NTLMSSP with key
#   exchange, `client signing = required`; the key is derived in the test.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14460}
PY=/usr/bin/python3
SMBD_SH="$root/tests/peers/smbd.sh"
me=record.sh
. "$root/tests/golden/capture.sh"

capture_need '(apt-get install -y samba smbclient tshark)' dumpcap tshark smbd smbclient
$PY -c 'import impacket' 2>/dev/null || { echo "record.sh: $PY cannot import impacket (apt-get install -y python3-impacket)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "record.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

capture_work signing
stop_peers() { bash "$SMBD_SH" stop "$work/srv" || true; }

bash "$SMBD_SH" start "$work/srv" "$PORT" signing >/dev/null

capture_client_conf 'client signing = required'
SMBCLIENT=(smbclient -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1' --option='client signing=required' -p "$PORT")

# capture NAME "DESCRIPTION" command...
capture() {
    local name=$1 desc=$2; shift 2
    capture_wanted "$name" || return 0
    local tmp="$work/$name.pcapng" out="$work/$name.out" rc
    capture_start "$tmp" "tcp port $PORT"
    capture_run "$out" "$@"
    capture_stop
    if [ $rc != 0 ]; then
        echo "record.sh: $name: client failed (rc=$rc):" >&2; cat "$out" >&2; exit 1
    fi
    mv "$tmp" "$here/$name.pcapng"; chmod 644 "$here/$name.pcapng"
    {
        echo "# $name.pcapng -- recorded by tests/signing/record.sh (do not edit; rerun it)"
        echo "server: smbd $(smbd -V | sed 's/^Version //') on 127.0.0.1:$PORT, server signing = mandatory (tests/peers/smbd.sh ... signing)"
        echo "capture: dumpcap -i lo -f 'tcp port $PORT'"
        echo "command: $(capture_command "$@")"
        echo
        echo "$desc" | fold -s -w 100
        echo
        echo "client output:"
        sed "s|$work|\$WORK|g; s/ ([0-9.]* KiloBytes\/sec.*//; s/ ([0-9.]* kb\/s).*//; s/^/  /" "$out"
        echo
        echo "SMB messages (frame, direction, MID, signature, tshark summary):"
        tshark -r "$here/$name.pcapng" -d "tcp.port==$PORT,nbss" -o nbss.desegment_nbss_commands:TRUE -o tcp.desegment_tcp_streams:TRUE \
            -Y 'smb' -T fields -e frame.number -e tcp.dstport -e smb.mid -e smb.signature -e _ws.col.Info 2>/dev/null \
            | awk -F'\t' -v p="$PORT" '{d = ($2==p) ? "c2s" : "s2c"; printf "  %5d %s mid %-5s %s %s\n", $1, d, $3, $4, $5}'
    } > "$here/$name.txt"
    printf '%-26s %7d bytes  %3d SMB messages\n' "$name" "$(stat -c %s "$here/$name.pcapng")" \
        "$(grep -c '^ *[0-9]* [cs]2[cs] ' "$here/$name.txt" || true)"
}

capture impacket-signed \
"impacket $($PY -c 'import impacket.version as v; print(v.version)' 2>/dev/null || echo '?') (tests/signing/sign_impacket.py): $(sed -n '/^NEGOTIATE/,/^$/p' "$here/sign_impacket.py" | tr '\n' ' ')" \
    $PY "$here/sign_impacket.py" "$PORT" "$work/impacket-signed.key"
if [ -f "$work/impacket-signed.key" ]; then
    cp "$work/impacket-signed.key" "$here/impacket-signed.key"; chmod 644 "$here/impacket-signed.key"
fi

capture smbclient-ntlmssp-signed \
"smbclient $(smbclient -V | sed 's/^Version //') NT1 with extended security (SPNEGO/NTLMSSP, NTLMv2, key exchange) and client signing = required: NEGOTIATE, SESSION_SETUP_ANDX x2 (the second response is the first signed message, sequence number 1), then signed: TREE_CONNECT_ANDX IPC\$, TRANS2 GET_DFS_REFERRAL, TREE_DISCONNECT, TREE_CONNECT_ANDX share, ls (TRANS2 FIND_FIRST2, QUERY_FS_INFO), get hello.txt (NT_CREATE_ANDX, TRANS2 QUERY_FILE_INFO, READ_ANDX, CLOSE), TREE_DISCONNECT." \
    "${SMBCLIENT[@]}" -U 'smbwire%Passw0rd!' //127.0.0.1/share -c 'ls; get hello.txt /dev/null'


# Not recorded: smbclient without SPNEGO and with NTLMv1 ('client use spnego =
# no', 'client ntlmv2 auth = no'), whose MAC key would be the NT session key
# followed by the 24-byte NT response.  smbclient 4.17 rejects smbd's signed
# SESSION_SETUP_ANDX response ("smb1_signing_good: BAD SIG: seq 1", then
# NT_STATUS_ACCESS_DENIED), so that session never gets past the setup.
