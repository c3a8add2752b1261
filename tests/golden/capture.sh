# tests/golden/capture.sh -- sourced (not run) by the record scripts
# (tests/golden/record*.sh, tests/signing/record.sh): what they share around
# dumpcap.
#
#   . "$root/tests/golden/capture.sh"
#   capture_work NAME            work=$(mktemp -d /tmp/smbwire-NAME.XXXXXX), and an
#                                EXIT trap (capture_cleanup) that stops a running
#                                dumpcap, calls the script's stop_peers function if
#                                it defines one, then removes $work (kept, and its
#                                path printed, when KEEP_WORK is set)
#   capture_start FILE FILTER [IFACE]
#                                dumpcap -q -i IFACE (default lo) -f FILTER -w FILE in
#                                the background (its output in FILE minus .pcapng plus
#                                .dumpcap); waits until FILE has its header (10 s at
#                                most, else prints dumpcap's output and exits 1), then
#                                0.5 s more
#   capture_stop [SECONDS]       waits SECONDS (0.5) for the last packets, then stops
#                                that dumpcap by its pid and waits for it
#   capture_messages PCAPNG PORT [PORT...]
#                                one line per NBSS message, "  FRAME c2s|s2c INFO"
#                                (tshark dissects each PORT as NBSS; c2s: to a PORT)
#   capture_need "HINT" TOOL...  exits 1 unless every TOOL is on PATH ("TOOL missing
#                                HINT"; HINT may be empty)
#   capture_wanted NAME          true unless ONLY="name ..." is set and leaves NAME out
#   capture_run OUT COMMAND...   runs COMMAND in $work, its output appended to OUT, its
#                                exit status in rc (the caller's; never exits itself)
#   capture_command COMMAND...   COMMAND as the .txt files show it ($work as $WORK,
#                                paths relative to $root)
#   capture_client_conf [LINE...]
#                                writes $work/client.conf, so that the Samba clients do
#                                not read /etc/samba/smb.conf: [global] with netbios name
#                                SMBWIRECLIENT, workgroup WORKGROUP, no kerberos, then
#                                each LINE (e.g. 'client signing = auto')
#
# The caller sets `set -eu`, `root` (the checkout) and `me` (its name, for messages).
# Only one dumpcap runs at a time; its pid is capture_pid.

capture_pid=

capture_work() {
    work=$(mktemp -d "/tmp/smbwire-$1.XXXXXX")
    trap capture_cleanup EXIT
}

capture_cleanup() {
    [ -n "$capture_pid" ] && kill "$capture_pid" 2>/dev/null && wait "$capture_pid" 2>/dev/null
    if declare -F stop_peers >/dev/null; then stop_peers || true; fi
    if [ -n "${KEEP_WORK:-}" ]; then echo "work dir kept: $work"; else rm -rf "$work"; fi
}

capture_start() {
    local file=$1 filter=$2 iface=${3:-lo}
    local log="${file%.pcapng}.dumpcap"
    rm -f "$file"
    dumpcap -q -i "$iface" -f "$filter" -w "$file" >"$log" 2>&1 &
    capture_pid=$!
    for _ in $(seq 1 100); do [ -s "$file" ] && break; sleep 0.1; done
    [ -s "$file" ] || { cat "$log" >&2; echo "$me: dumpcap did not start" >&2; exit 1; }
    sleep 0.5
}

capture_stop() {
    sleep "${1:-0.5}"
    kill "$capture_pid"; wait "$capture_pid" 2>/dev/null || true
    capture_pid=
}

capture_messages() {
    local pcap=$1; shift
    local d=() p
    for p in "$@"; do d+=(-d "tcp.port==$p,nbss"); done
    tshark -r "$pcap" "${d[@]}" -o nbss.desegment_nbss_commands:TRUE -o tcp.desegment_tcp_streams:TRUE \
        -Y 'nbss' -T fields -e frame.number -e tcp.srcport -e tcp.dstport -e _ws.col.Info 2>/dev/null \
        | awk -F'\t' -v ports=" $* " '{d = index(ports, " " $3 " ") ? "c2s" : "s2c"; printf "  %5d %s %s\n", $1, d, $4}'
}

capture_need() {
    local hint=$1 t; shift
    for t in "$@"; do
        command -v "$t" >/dev/null || { echo "$me: $t missing${hint:+ $hint}" >&2; exit 1; }
    done
}

capture_wanted() {
    [ -z "${ONLY:-}" ] || [[ " $ONLY " == *" $1 "* ]]
}

capture_run() {
    local out=$1; shift
    set +e
    ( cd "$work" && "$@" ) >>"$out" 2>&1
    rc=$?
    set -e
}

capture_command() {
    printf '%q ' "$@" | sed "s|$work|\$WORK|g; s|$root/||g"
}

capture_client_conf() {
    local line
    {
        echo "[global]"
        echo "  netbios name = SMBWIRECLIENT"
        echo "  workgroup = WORKGROUP"
        echo "  client use kerberos = off"
        for line in "$@"; do echo "  $line"; done
    } > "$work/client.conf"
}
