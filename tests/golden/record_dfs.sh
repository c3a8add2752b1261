#!/bin/bash
# Record smbwire's golden captures of DFS referrals (TRANS2_GET_DFS_REFERRAL) and of
# the TRANSACTION2 subcommands smbd refuses, against an smbd with host msdfs = yes and
# an msdfs root share (tests/peers/smbd.sh ... dfs):
#
#   bash tests/golden/record_dfs.sh    (as root; then /usr/bin/python3 tests/golden/extract.py)
#
#   dfs-impacket   tests/golden/dfs_impacket.py: GET_DFS_REFERRAL levels 1-4 for a link, a
#                  link with two targets, the root and a missing link; REPORT_DFS_INCONSISTENCY,
#                  FIND_NOTIFY_FIRST/NEXT, FSCTL, IOCTL2, SESSION_SETUP (smbd: errors)
#   fsctl-impacket tests/golden/fsctl_impacket.py: NT_TRANSACT_IOCTL with the FSCTLs smbwire
#                  types (shadow copies of the share [snap], object IDs, reparse points)
#   dfs-smbclient  smbclient listing through the links of the msdfs root (the referral it asks
#                  for; the targets' connections go to port 445, which is not listening or
#                  not recorded)
# Only 127.0.0.1 is ever contacted.  Env: PORT (14452, one of the ports extract.py reads
# as NBSS), ONLY="dfs-impacket ...".  Needs: samba samba-vfs-modules (shadow_copy2)
# smbclient tshark python3-impacket.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14452}
SMBD_SH="$root/tests/peers/smbd.sh"
me=record_dfs.sh
. "$here/capture.sh"

capture_need '' dumpcap tshark smbd smbclient
[ "$(id -u)" = 0 ] || { echo "record_dfs.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

capture_work dfs
chmod 755 "$work"   # smbd resolves the links as the session user, who must reach the share
stop_peers() { bash "$SMBD_SH" stop "$work/nt1" || true; }

bash "$SMBD_SH" start "$work/nt1" "$PORT" dfs >/dev/null

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
    # the client must succeed (smbclient is wrapped: it fails on the unreachable targets)
    if [ $rc != 0 ] && { [ $rc != 1 ]; }; then
        echo "record_dfs.sh: $name: $1 failed (rc=$rc):" >&2; tail -n 30 "$out" >&2; exit 1
    fi
    capture_stop
    mv "$tmp" "$here/$name.pcapng"; chmod 644 "$here/$name.pcapng"
    {
        echo "# $name.pcapng -- recorded by tests/golden/record_dfs.sh (do not edit; rerun it)"
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

record dfs-impacket \
"tests/golden/dfs_impacket.py on IPC\$, Unicode: TRANS2_GET_DFS_REFERRAL with MaxReferralLevel 1, 2, 3, 4 for \\127.0.0.1\\dfs\\link (smbd answers version 2 referrals to levels 1 and 2, version 3 to 3 and 4), levels 3 and 4 for \\127.0.0.1\\dfs\\multi (two targets), level 3 for the root \\127.0.0.1\\dfs and for a missing link (STATUS_OBJECT_PATH_NOT_FOUND); TRANS2_REPORT_DFS_INCONSISTENCY with a version 1 referral as data, TRANS2_FIND_NOTIFY_FIRST, _NEXT, TRANS2_FSCTL, TRANS2_IOCTL2, TRANS2_SESSION_SETUP (smbd answers each with an error)." \
    /usr/bin/python3 "$here/dfs_impacket.py" "$PORT"

record fsctl-impacket \
"tests/golden/fsctl_impacket.py on [snap] (shadow_copy2, two snapshots), Unicode, on file.txt: NT_TRANSACT_IOCTL FSCTL_SRV_ENUMERATE_SNAPSHOTS with MaxDataCount 16 (the counts only) and 4096 (the @GMT- names), FSCTL_CREATE_OR_GET_OBJECT_ID (a FILE_OBJECTID_BUFFER), FSCTL_GET_OBJECT_ID (smbd: STATUS_NOT_SUPPORTED), FSCTL_GET_REPARSE_POINT (STATUS_NOT_A_REPARSE_POINT), FSCTL_SET_REPARSE_POINT with a symbolic link REPARSE_DATA_BUFFER and FSCTL_SET_OBJECT_ID (both refused)." \
    /usr/bin/python3 "$here/fsctl_impacket.py" "$PORT"

record dfs-smbclient \
"smbclient on the msdfs root share [dfs]: ls, then ls through the links link and multi: smbclient asks IPC\$ for the referral (GET_DFS_REFERRAL level 3) and tries the targets on port 445 (not part of the capture; the listing fails, which the wrapper ignores)." \
    bash -c 'smbclient "$@" //127.0.0.1/dfs -p "$0" -U "smbwire%Passw0rd!" -c "ls; ls link\\*; ls multi\\*"; exit 0' "$PORT" "${NT1[@]}"
