#!/bin/bash
# Debian packages, end to end:  tests/consumer/deb.sh [SRCDIR]
#
#  1. copies the source tree (git's files, tracked and untracked but not
#     ignored; no build directories) to a temporary directory, so the
#     source tree is never written to;
#  2. installs the build dependencies (apt-get build-dep, as root) and
#     builds the binary packages there: dpkg-buildpackage -us -uc -b;
#  3. runs lintian on the result: any error fails, warnings are listed;
#  4. installs the three packages, checks what each ships, and runs the
#     installed-library test against /usr (run.sh --system: pkg-config
#     only, shared and static, C and C++, the guide's example, the meson
#     subproject demo against the system copy);
#  5. removes the packages again if they were not installed before.
# Prints a plain "deb: N passed, M failed" line.  Needs root (apt-get).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "${1:-$here/../..}" && pwd)
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
finish() { echo "deb: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
[ "$(id -u)" = 0 ] || { echo "deb.sh: run as root (apt-get)" >&2; exit 2; }
export DEBIAN_FRONTEND=noninteractive

work=$(mktemp -d /tmp/smbwire-deb.XXXXXX)
keep=${KEEP_DEB_WORK:-}
cleanup() { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT
version=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$src/debian/changelog")
upstream=${version%-*}
tree="$work/smbwire-$upstream"
mkdir -p "$tree"
if git -C "$src" rev-parse --git-dir >/dev/null 2>&1; then
  (cd "$src" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) | tar -xf - -C "$tree"
else
  (cd "$src" && tar --exclude='./build*' --exclude='./subprojects/*/' -cf - .) | tar -xf - -C "$tree"
fi
[ -f "$tree/debian/control" ] && ok "source copied to $tree" || { ko "no debian/ in $src"; finish; }

# --- build ---
tools="dpkg-dev debhelper devscripts lintian fakeroot build-essential"
missing=""
for p in $tools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ] || ! (cd "$tree" && dpkg-checkbuilddeps >/dev/null 2>&1); then
  apt-get update -qq >/dev/null 2>&1
  apt-get install -y -qq --no-install-recommends $tools >/dev/null 2>&1
  apt-get build-dep -y -qq "$tree" >/dev/null 2>&1
fi
if (cd "$tree" && dpkg-checkbuilddeps) > "$work/deps.log" 2>&1; then
  ok "build dependencies installed"
else
  ko "build dependencies"; cat "$work/deps.log"; finish
fi
if (cd "$tree" && dpkg-buildpackage -us -uc -b) > "$work/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b"
else
  ko "dpkg-buildpackage -us -uc -b"; tail -60 "$work/build.log"; finish
fi
grep -E "dpkg-gensymbols: (warning|error)" "$work/build.log" && ko "dpkg-gensymbols complained" \
  || ok "symbols file matches the exported symbols"
changes=$(ls "$work"/smbwire_*.changes)
debs=$(ls "$work"/*.deb | grep -v -- '-dbgsym_')
echo "built: $(cd "$work" && ls ./*.deb | tr '\n' ' ')"

# --- lintian ---
lintian --fail-on error --display-info --pedantic "$changes" > "$work/lintian.log" 2>&1
lrc=$?
for sev in E W I P; do
  printf 'lintian %s: %s\n' "$sev" "$(grep -c "^$sev: " "$work/lintian.log")"
done
grep -E "^(E|W): " "$work/lintian.log" | sort | uniq
if [ $lrc -eq 0 ] && ! grep -q "^E: " "$work/lintian.log"; then
  ok "lintian: no errors"
else
  ko "lintian reports errors (exit $lrc)"
fi

# --- install ---
was_installed=""
for p in libsmbwire0 libsmbwire-dev smbwire-tools; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && was_installed="$was_installed $p"
done
# --reinstall: packages of this same version built earlier on this machine
# (another checkout) would otherwise stay in place, and the checks below
# would run the old binaries against whichever library apt did replace.
# shellcheck disable=SC2086
if apt-get install -y -qq --reinstall --no-install-recommends $debs > "$work/install.log" 2>&1; then
  ok "packages install"
else
  ko "packages install"; tail -30 "$work/install.log"; finish
fi
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
has() { # PACKAGE PATH...: every PATH is in PACKAGE
  local p=$1; shift
  for f in "$@"; do dpkg -L "$p" | grep -qx "$f" || { echo "$p lacks $f"; return 1; }; done
}
check() { local n=$1; shift; if "$@" > "$work/out" 2>&1; then ok "$n"; else ko "$n"; cat "$work/out"; fi; }
check "libsmbwire0 ships the shared library" has libsmbwire0 \
  "/usr/lib/$ma/libsmbwire.so.0" "/usr/lib/$ma/libsmbwire.so.$upstream"
check "libsmbwire0 ships nothing for developers" \
  sh -c "! dpkg -L libsmbwire0 | grep -E '\\.h\$|\\.a\$|\\.pc\$|libsmbwire\\.so\$'"
check "libsmbwire-dev ships headers, .so, .a and smbwire.pc" has libsmbwire-dev \
  /usr/include/smbwire/smbwire.h /usr/include/smbwire/version.h "/usr/lib/$ma/libsmbwire.so" \
  "/usr/lib/$ma/libsmbwire.a" "/usr/lib/$ma/pkgconfig/smbwire.pc"
check "smbwire-tools ships smbwire-client and its man page" has smbwire-tools \
  /usr/bin/smbwire-client /usr/share/man/man1/smbwire-client.1.gz
if dpkg -L smbwire-tools | grep -qx /usr/bin/smbdump; then
  check "smbwire-tools ships smbdump's man page" has smbwire-tools /usr/share/man/man1/smbdump.1.gz
  check "smbdump --help runs" /usr/bin/smbdump --help
fi
check "smbwire-tools ships smbwire-server and its man page" has smbwire-tools \
  /usr/bin/smbwire-server /usr/share/man/man1/smbwire-server.1.gz
check "smbwire-server --help prints its usage and exits 0" \
  sh -c '/usr/bin/smbwire-server --help | grep -q "bytes per connection"'
check "smbwire-client --help prints its usage and exits 0" \
  sh -c '/usr/bin/smbwire-client --help | grep -q "//HOST/SHARE"'

# --- the consumer test against /usr ---
if bash "$tree/tests/consumer/run.sh" --system > "$work/consumer.log" 2>&1; then
  ok "consumer test against the installed packages ($(tail -1 "$work/consumer.log"))"
else
  ko "consumer test against the installed packages"; cat "$work/consumer.log"
fi

# --- leave the system as it was ---
remove=""
for p in libsmbwire0 libsmbwire-dev smbwire-tools; do
  case " $was_installed " in *" $p "*) ;; *) remove="$remove $p" ;; esac
done
# shellcheck disable=SC2086
[ -z "$remove" ] || apt-get purge -y -qq $remove >/dev/null 2>&1
finish
