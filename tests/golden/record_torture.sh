#!/bin/bash
# Record smbwire's golden SMB1 captures of Samba's smbtorture against smbd.
#
#   bash tests/golden/record_torture.sh     (as root; then /usr/bin/python3 tests/golden/extract.py)
#
# Starts a throwaway NT1-only smbd (tests/peers/smbd.sh) on $PORT, runs narrowly
# chosen smbtorture tests (SMB1 "raw.*" and "base.*") against it, one dumpcap on
# lo per capture, writes tests/golden/torture-NAME.pcapng + .txt, then stops
# everything. smbtorture's tests may report failures against smbd (they are
# written for Windows and for Samba's own test environment): the capture is kept
# whatever the verdict, the verdicts are listed in the .txt. Only 127.0.0.1 is
# ever contacted.
# Size: every golden message goes through tests/hostile (every truncation, and
# all 256 values at every byte of messages up to 200 bytes), about 18000 inputs
# per message, and every smbtorture test opens its own connections. So the tests
# are the shortest ones that send each command (raw.chkpath, raw.unlink,
# raw.sfileinfo.base, raw.lock.lockx, raw.read.read would add
# 2000 messages and five times the hostile test's run time for little new).
# READ_RAW needs a second smbd without signing and with raw mode on
# (tests/peers/smbd.sh ... rawmode) on RAW_PORT.
# Env: PORT (14452), RAW_PORT (14453), ONLY="torture-close ..." to record a subset
# (impacket-writeraw, the WRITE_RAW capture, is recorded here too: it needs the rawmode smbd).
# Needs: samba samba-testsuite (smbtorture) tshark.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PORT=${PORT:-14452}
RAW_PORT=${RAW_PORT:-14453}
SMBD_SH="$root/tests/peers/smbd.sh"
me=record_torture.sh
. "$here/capture.sh"

capture_need '(apt-get install -y samba samba-testsuite tshark)' dumpcap tshark smbd smbtorture
[ "$(id -u)" = 0 ] || { echo "record_torture.sh: run as root (dumpcap on lo, useradd)" >&2; exit 1; }

capture_work torture
stop_peers() {
    bash "$SMBD_SH" stop "$work/nt1" || true
    [ -d "$work/raw" ] && { bash "$SMBD_SH" stop "$work/raw" || true; }
}

bash "$SMBD_SH" start "$work/nt1" "$PORT" >/dev/null
SMBD_EXTRA=

# smbtorture must not read /etc/samba/smb.conf; fixed client name, NT1 only,
# fixed random seed (smbtorture's file names and data come from it)
capture_client_conf 'client signing = auto'
TORTURE=(smbtorture -s "$work/client.conf" --option='client min protocol=NT1' --option='client max protocol=NT1'
         --seed=1 -p "$PORT" -U 'smbwire%Passw0rd!' //127.0.0.1/share)

# torture NAME "DESCRIPTION" test...   (one smbtorture run per test, one capture for all)
torture() {
    local name=$1 desc=$2; shift 2
    capture_wanted "$name" || return 0
    local tmp="$work/$name.pcapng" out="$work/$name.out" t rc
    rm -f "$out"
    capture_start "$tmp" "tcp port $PORT"
    for t in "$@"; do
        capture_run "$out" timeout 300 "${TORTURE[@]}" "$t"
        # 0: passed, 1: some subtest failed against smbd; anything else (no connection,
        # timeout, crash) is a broken recording; a script client (TORTURE_CHECK=0) must pass
        if [ $rc != 0 ] && { [ $rc != 1 ] || [ "${TORTURE_CHECK:-1}" = 0 ]; }; then
            echo "record_torture.sh: $name: smbtorture $t failed (rc=$rc):" >&2; tail -n 30 "$out" >&2; exit 1
        fi
        [ "${TORTURE_CHECK:-1}" = 0 ] || grep -q "^test: " "$out" ||
            { echo "record_torture.sh: $name: smbtorture $t ran no test" >&2; cat "$out" >&2; exit 1; }
    done
    capture_stop
    mv "$tmp" "$here/$name.pcapng"; chmod 644 "$here/$name.pcapng"
    {
        echo "# $name.pcapng -- recorded by tests/golden/record_torture.sh (do not edit; rerun it)"
        echo "server: smbd $(smbd -V | sed 's/^Version //') on 127.0.0.1 (tests/peers/smbd.sh $SMBD_EXTRA; NT1-only port $PORT)"
        if [ "${TORTURE_CHECK:-1}" = 0 ]; then
            echo "client: impacket $(/usr/bin/python3 -c 'import impacket.version as v; print(v.version)' 2>/dev/null)"
        else
            echo "client: smbtorture $(smbtorture -V 2>/dev/null | sed -n 's/^smbtorture //p' | head -n 1)"
        fi
        echo "capture: dumpcap -i lo -f 'tcp port $PORT'"
        for t in "$@"; do
            echo "command: $(capture_command "${TORTURE[@]}" "$t")"
        done
        echo
        echo "$desc" | fold -s -w 100
        echo
        [ "${TORTURE_CHECK:-1}" = 0 ] && { echo "client output:"; sed 's/^/  /' "$out"; } ||
        echo "smbtorture verdicts (failures are smbtorture's expectations for Windows, not capture errors):"
        [ "${TORTURE_CHECK:-1}" = 0 ] || awk '/^(test|success|skip|xfail): /{print "  " $0; next}
             /^(failure|error): /{f=1} f{print "  " $0} /^]$/{f=0}' "$out"
        echo
        echo "NBSS/SMB messages (frame, direction, tshark summary):"
        capture_messages "$here/$name.pcapng" "$PORT"
    } > "$here/$name.txt"
    printf '%-20s %7d bytes  %4d NBSS messages\n' "$name" "$(stat -c %s "$here/$name.pcapng")" \
        "$(grep -c '^ *[0-9]* [cs]2[cs] ' "$here/$name.txt" || true)"
}

torture torture-close \
"smbtorture raw.close: CLOSE with and without a LastWriteTime, FLUSH of one FID and of all (FID 0xFFFF), PROCESS_EXIT (SMBexit), CLOSE_PRINT_FILE (splclose) on a disk file (refused), around NT_CREATE_ANDX (34-word responses), WRITE_ANDX (14 words), TRANS2 QUERY_PATH/FILE_INFORMATION, DELETE." \
    raw.close

torture torture-seek \
"smbtorture raw.seek: SEEK with modes 0, 1 and 2, positive and negative offsets, on a bad FID (error), after OPEN_ANDX, WRITE_ANDX and READ_ANDX." \
    raw.seek

torture torture-mkdir \
"smbtorture raw.mkdir: CREATE_DIRECTORY and DELETE_DIRECTORY (existing, missing, non-empty, on a file: errors), also TRANS2_MKDIR." \
    raw.mkdir

torture torture-chkpath \
"smbtorture base.chkpath: CHECK_DIRECTORY on a directory, a subdirectory, a file (STATUS_NOT_A_DIRECTORY) and missing paths (STATUS_OBJECT_NAME_NOT_FOUND, STATUS_OBJECT_PATH_NOT_FOUND), between CREATE_DIRECTORY / DELETE_DIRECTORY. (raw.chkpath is torture-rawchkpath.)" \
    base.chkpath

torture torture-unlink \
"smbtorture base.unlink: DELETE of a missing file, an open file (STATUS_SHARING_VIOLATION) and a closed one, CREATE_DIRECTORY, NT_CREATE_ANDX with a 42-word (extended) response." \
    base.unlink

torture torture-rename \
"smbtorture raw.rename.mv: RENAME of a file open with different share modes (STATUS_SHARING_VIOLATION and success), back and forth, to a name differing in case, onto itself, of a missing file (STATUS_OBJECT_NAME_NOT_FOUND); CREATE_DIRECTORY, DELETE_DIRECTORY. (raw.rename.ntrename is left out: its 4107 NT_RENAME requests make a 1.5 MB capture; NT_RENAME comes from smbclient-ops and impacket-ops.)" \
    raw.rename.mv

torture torture-qfsinfo \
"smbtorture raw.qfsinfo: QUERY_INFORMATION_DISK (5-word response) next to the TRANS2 QUERY_FS_INFORMATION levels." \
    raw.qfsinfo

torture torture-attr \
"smbtorture base.attr: QUERY_INFORMATION (10-word response) and SET_INFORMATION (8-word request) on a path. (raw.sfileinfo.base, which adds SET_INFORMATION2 among 384 messages of TRANS2 SET_*_INFORMATION levels, is left out; SET_INFORMATION2 and QUERY_INFORMATION2 come from impacket-ops.)" \
    base.attr

torture torture-ntcreatex \
"smbtorture raw.open.ntcreatex: NT_CREATE_ANDX with every create disposition, attributes and options; 34-word responses and, when extended information is requested (Flags 0x10), responses that declare 42 words and carry 50, plus error responses." \
    raw.open.ntcreatex

torture torture-lock \
"smbtorture raw.lock.changetype (SHARED_LOCK and CHANGE_LOCKTYPE), raw.lock.async (LOCKING_ANDX with LARGE_FILES: 64-bit offsets and lengths; blocking locks with timeouts, CANCEL_LOCK, cancel by unlock/close/exit/logoff/tdis: PROCESS_EXIT, LOGOFF_ANDX, TREE_DISCONNECT) and base.lock.LOCK7 (32-bit LOCKING_ANDX, shared and exclusive, lock and unlock). (raw.lock.lockx, 64-bit ranges only, is left out.)" \
    raw.lock.changetype raw.lock.async base.lock.LOCK7

torture torture-oplock \
"smbtorture raw.oplock.batch1 and raw.oplock.level_ii_1: NT_CREATE_ANDX requesting batch / exclusive oplocks (42-word responses with the granted level), the oplock break requests that smbd sends (LOCKING_ANDX request from the server, OPLOCK_RELEASE, NewOplockLevel 1 = to level II and 0 = to none) and the client's acknowledgements (LOCKING_ANDX OPLOCK_RELEASE, no response)." \
    raw.oplock.batch1 raw.oplock.level_ii_1

torture torture-mux \
"smbtorture raw.mux: several outstanding requests on one connection: blocking 32-bit LOCKING_ANDX requests answered out of order, NT_CANCEL (no response) of a pending lock, pending opens." \
    raw.mux

torture torture-writex \
"smbtorture raw.write.writex: WRITE_ANDX (14 words) at large and 64-bit offsets, 0-byte writes, past the end, on a bad FID (error responses), with READ_ANDX checks; LOCKING_ANDX." \
    raw.write.writex

# Not the everyday commands: the older forms smbtorture makes smbd speak,
# one short test per command.
torture torture-core \
"Core and LANMAN commands (smbtorture): raw.open.open (OPEN), raw.open.mknew (CREATE_NEW), raw.open.create (CREATE), raw.open.ctemp (CREATE_TEMPORARY), raw.write.write (WRITE), 'raw.write.write unlock' (WRITE_AND_UNLOCK), 'raw.write.write close' (WRITE_AND_CLOSE), raw.read.lockread (LOCK_AND_READ), raw.lock.lock (LOCK_BYTE_RANGE, UNLOCK_BYTE_RANGE), 'raw.search.one file search' (SEARCH, FIND, FIND_UNIQUE, FIND_CLOSE, TRANS2 FIND_FIRST2 levels), raw.ioctl (IOCTL). Left out: raw.read.read (READ: the shared capture of raw.read holds it); raw.read.readbraw: smbd does not offer CAP_RAW_MODE while signing is possible (server signing = auto), so smbtorture skips READ_RAW." \
    raw.open.open raw.open.mknew raw.open.create raw.open.ctemp raw.write.write 'raw.write.write unlock' \
    'raw.write.write close' raw.read.lockread raw.lock.lock 'raw.search.one file search' raw.ioctl

# raw.unlink and raw.chkpath, next to base.unlink and base.chkpath above.
torture torture-rawunlink \
"smbtorture raw.unlink: DELETE with search attributes, of wildcards (several files, none, directories), of names with a trailing dot or bad characters, of open files, directories and read-only files (error responses), delete-on-close through NT_CREATE_ANDX." \
    raw.unlink

torture torture-rawchkpath \
"smbtorture raw.chkpath: CHECK_DIRECTORY on directories, files, missing and malformed paths, with trailing slashes, dots and wildcards, and their DOS and NT error responses; OPEN_ANDX and NT_CREATE_ANDX of the same paths." \
    raw.chkpath

# Several users, trees and processes on one connection.
torture torture-context \
"smbtorture raw.context: a second SESSION_SETUP_ANDX (another UID) on one connection, TREE_CONNECT_ANDX and TREE_DISCONNECT per UID, LOGOFF_ANDX, requests with a logged-off UID or a disconnected TID (error responses), files opened by one PID and used or closed by another, and by another session." \
    raw.context.session1 raw.context.tree raw.context.tree_ulogoff raw.context.pid_only_sess \
    raw.context.pid_2sess raw.context.pid_2tcon

# The core READ with its 0x01 data block, recorded here rather than taken
# from ../shared/captures.
torture torture-read \
"smbtorture raw.read.read: core READ (5 words; the response's 0x01 data block) at offsets, past the end of the file, of 0 bytes, over a range another process locked (an error response), on a bad FID; 'raw.read.read for execute': NT_CREATE_ANDX asking only execute access, then READ_ANDX." \
    raw.read.read 'raw.read.read for execute'

torture torture-tcon \
"smbtorture base.tcon and base.tcondev: TREE_CONNECT_ANDX to the share with good and bad passwords and TIDs, requests on a disconnected or made-up TID (error responses), and the service types A:, LPT1:, IPC, COMM and ????? against a disk share and IPC$." \
    base.tcon base.tcondev

torture torture-notify \
"smbtorture raw.notify.dir and raw.notify.file: NT_TRANSACT NOTIFY_CHANGE (setup words: CompletionFilter, FID, WatchTree) on a directory, answered by FILE_NOTIFY_INFORMATION entries in the response's parameters after files and directories are created, renamed and deleted through NT_CREATE_ANDX, TRANS2 and RENAME; NT_CANCEL of a pending notify (STATUS_CANCELLED), notifies on a file (refused)." \
    raw.notify.dir raw.notify.file

torture torture-trans2rename \
"smbtorture raw.rename.trans2rename and raw.rename.nttransrename: TRANS2 SET_FILE_INFORMATION / SET_PATH_INFORMATION at the pass-through level FileRenameInformation (1010) with and without ReplaceIfExists, on files and directories, and NT_TRANSACT RENAME (which smbd refuses), around NT_CREATE_ANDX, TRANS2 QUERY_FILE_INFORMATION (FileNameInformation, SMB_QUERY_FILE_ALL_INFO) and CLOSE." \
    raw.rename.trans2rename raw.rename.nttransrename

torture torture-badwrite \
"smbtorture raw.write.bad-write: WRITE and WRITE_ANDX on a FID opened read-only and on a bad FID (error responses)." \
    raw.write.bad-write

# The core commands no smbtorture test here sends: tests/golden/core_impacket.py.
if capture_wanted impacket-core; then
    saved=("${TORTURE[@]}")
    TORTURE=(/usr/bin/python3 "$here/core_impacket.py" "$PORT")
    TORTURE_CHECK=0
    torture impacket-core \
"impacket's SMB1 classes: the core TREE_CONNECT (three 0x04 strings; the 2-word response), TREE_DISCONNECT, then on smbd's [print] share OPEN_PRINT_FILE, WRITE_PRINT_FILE with 0x01 data blocks of 13 and 0 bytes, GET_PRINT_QUEUE (smbd refuses it: STATUS_ACCESS_DENIED, its spooler being off), CLOSE_PRINT_FILE, WRITE_PRINT_FILE on the closed FID (STATUS_INVALID_HANDLE)." \
        core
    TORTURE=("${saved[@]}")
    TORTURE_CHECK=1
fi

# READ_RAW, from a server that offers raw mode (no signing: smbd offers
# CAP_RAW_MODE only then) to a client that does not sign: each response is
# the raw data alone in an NBSS session message, without an SMB header.
if capture_wanted torture-readraw; then
    bash "$SMBD_SH" start "$work/raw" "$RAW_PORT" rawmode >/dev/null
    sed 's/client signing = auto/client signing = disabled/' "$work/client.conf" > "$work/client-raw.conf"
    PORT=$RAW_PORT
    SMBD_EXTRA=rawmode
    TORTURE=(smbtorture -s "$work/client-raw.conf" --option='client min protocol=NT1'
             --option='client max protocol=NT1' --seed=1 -p "$PORT" -U 'smbwire%Passw0rd!'
             //127.0.0.1/share)
    torture torture-readraw \
"smbtorture raw.read.readbraw against smbd with raw mode on and signing off: READ_RAW requests (8 and 10 words: 64-bit offsets), each answered by the raw data alone in an NBSS session message (empty at the end of the file, on a lock conflict or an error), between OPEN_ANDX, WRITE_ANDX, LOCKING_ANDX and CLOSE." \
        raw.read.readbraw
fi

# WRITE_RAW: no smbtorture test sends it; tests/golden/writeraw_impacket.py does, the
# way MS-CIFS orders it (request, interim response, raw data, final response).
if capture_wanted impacket-writeraw; then
    [ -d "$work/raw" ] || bash "$SMBD_SH" start "$work/raw" "$RAW_PORT" rawmode >/dev/null
    PORT=$RAW_PORT
    SMBD_EXTRA=rawmode
    TORTURE=(/usr/bin/python3 "$here/writeraw_impacket.py" "$PORT")
    TORTURE_CHECK=0
    torture impacket-writeraw \
"impacket's SMB1 structures, WRITE_RAW against smbd with raw mode on and signing off: 12- and 14-word requests (data all raw, or 10 bytes in the request and the rest raw), the interim response (1 word, Available 0xFFFF; smbd keeps the request's Flags, REPLY clear, so tshark reads it as a malformed request), the raw data alone in a session message from the client, the final 1-word WRITE_RAW response when WritethroughMode is set (smbd's answer where MS-CIFS names WRITE_COMPLETE), an error response on a bad FID (no raw data follows); NT_CREATE_ANDX, READ_ANDX of the data back, CLOSE, DELETE." \
        writeraw
fi
