# Sourced by record_find.sh and record_ea.sh: the checks every recording
# makes, its work directory and cleanup (dumpcap, the throwaway smbd of
# tests/peers/smbd.sh in $work/smbd), the client's smb.conf and the
# capture on lo.  Expects $root, $PORT and $PY.

# rec_init NAME TOOL...: fail unless every TOOL is installed, impacket
# imports and we are root; then make $work and clean it up on exit.
rec_init() {
    rec_name=$1
    shift
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null ||
            rec_die "$tool missing (apt-get install -y samba smbclient tshark attr python3-impacket)"
    done
    "$PY" -c 'import impacket' 2>/dev/null || rec_die "$PY cannot import impacket"
    [ "$(id -u)" = 0 ] || rec_die "run as root (dumpcap on lo, smbd, useradd)"
    work=$(mktemp -d "/tmp/smbwire-$rec_name.XXXXXX")
    dumpcap_pid=
    trap rec_cleanup EXIT
}

rec_die() {
    echo "$rec_name.sh: $*" >&2
    exit 1
}

rec_cleanup() {
    rec_capture_stop
    bash "$root/tests/peers/smbd.sh" stop "$work/smbd" || true
    if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $work" >&2; else rm -rf "$work"; fi
}

# rec_client_conf [OPTION...]: $work/client.conf, a fixed client name and
# no Kerberos, plus the given "name = value" lines.
rec_client_conf() {
    {
        echo '[global]'
        printf '  %s\n' 'netbios name = SMBWIRECLIENT' 'workgroup = WORKGROUP' \
            'client use kerberos = off' "$@"
    } > "$work/client.conf"
}

# rec_capture_start FILE: dumpcap on lo for $PORT into FILE, once it runs.
rec_capture_start() {
    dumpcap -q -i lo -f "tcp port $PORT" -w "$1" >"$work/dumpcap.log" 2>&1 &
    dumpcap_pid=$!
    local i
    for i in $(seq 1 100); do [ -s "$1" ] && break; sleep 0.1; done
    [ -s "$1" ] || { cat "$work/dumpcap.log" >&2; rec_die "dumpcap did not start"; }
    sleep 0.5
}

# rec_capture_stop: let the last packets in, then stop dumpcap.
rec_capture_stop() {
    [ -n "${dumpcap_pid:-}" ] || return 0
    sleep 0.5
    kill "$dumpcap_pid" 2>/dev/null
    wait "$dumpcap_pid" 2>/dev/null || true
    dumpcap_pid=
}
