#!/bin/bash
# Installed-library test.
#
#   tests/consumer/run.sh BUILDDIR     install BUILDDIR with
#                                      `meson install --destdir` into a
#                                      temporary directory and test that copy
#   tests/consumer/run.sh --system     test the copy installed on this system
#                                      (the Debian packages; see deb.sh)
#
# Programs outside the tree (tests/consumer/consumer.c, and guide_example.c,
# the guide's tutorial) are copied to a temporary directory and built with
# nothing but `pkg-config --cflags --libs smbwire` (and `--static` for a
# fully static link), as C99/C11 with gcc and clang and as C++ with g++,
# then run: shared ones against the installed libsmbwire.so.0, static ones
# on their own.  examples/subproject-demo is built with smbwire as a meson
# subproject (a symlink to this source tree), and, with --system, also
# against the installed copy found by pkg-config.
# Prints a plain "consumer: N passed, M failed" line; exit status 0 if none
# failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
[ $# -eq 1 ] || { echo "usage: $0 BUILDDIR | --system" >&2; exit 2; }
work=$(mktemp -d /tmp/smbwire-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { echo "ok: $*"; pass=$((pass + 1)); }
ko() { echo "FAIL: $*"; fail=$((fail + 1)); }
# run NAME CMD...: count the result; show the output only on failure
run() {
  local name=$1; shift
  if "$@" > "$work/out" 2>&1; then ok "$name"; else ko "$name"; sed 's/^/    /' "$work/out" | tail -40; fi
}

if [ "$1" = --system ]; then
  mode=system
  libpath=""
  version=$(sed -n "s/^ *version : '\(.*\)',$/\1/p" "$src/meson.build" | head -1)
  # The system's own search path only: nothing from a build tree.
  unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
else
  mode=destdir
  build=$(cd "$1" && pwd)
  dest="$work/dest"
  run "meson install --destdir" meson install -C "$build" --destdir "$dest" --no-rebuild
  read -r prefix libdir includedir version < <(python3 - "$build" <<'PY'
import json, subprocess, sys
b = sys.argv[1]
opts = {o["name"]: o["value"] for o in json.loads(subprocess.check_output(
    ["meson", "introspect", b, "--buildoptions"]))}
info = json.loads(subprocess.check_output(["meson", "introspect", b, "--projectinfo"]))
lib = opts["libdir"] if opts["libdir"].startswith("/") else opts["prefix"] + "/" + opts["libdir"]
inc = opts["includedir"] if opts["includedir"].startswith("/") else opts["prefix"] + "/" + opts["includedir"]
print(opts["prefix"], lib, inc, info["version"])
PY
)
  libpath="$dest$libdir"
  # Only the installed copy's .pc file; the sysroot prefixes its paths.
  export PKG_CONFIG_LIBDIR="$libpath/pkgconfig"
  export PKG_CONFIG_PATH="$libpath/pkgconfig"
  export PKG_CONFIG_SYSROOT_DIR="$dest"
  for f in "$libpath/libsmbwire.so.0" "$libpath/libsmbwire.so" "$libpath/libsmbwire.a" \
           "$libpath/pkgconfig/smbwire.pc" "$dest$includedir/smbwire/smbwire.h" \
           "$dest$includedir/smbwire/version.h"; do
    if [ -e "$f" ]; then ok "installed ${f#"$dest"}"; else ko "not installed: ${f#"$dest"}"; fi
  done
fi

# --- pkg-config ---
if pv=$(pkg-config --modversion smbwire 2>&1) && [ "$pv" = "$version" ]; then
  ok "pkg-config finds smbwire $pv"
else
  ko "pkg-config smbwire: '$pv', expected $version"
fi
flags="$(pkg-config --cflags --libs smbwire 2>&1) $(pkg-config --static --cflags --libs smbwire 2>&1)"
if [ "$mode" = destdir ]; then
  case "$flags" in
    *"$src"* | *"$build"*) ko "pkg-config flags point into the source or build tree: $flags" ;;
    *"$dest"*) ok "pkg-config flags point into the installed copy" ;;
    *) ko "pkg-config flags do not point into the destdir: $flags" ;;
  esac
fi

mkdir -p "$work/src"
cp "$here/consumer.c" "$here/guide_example.c" "$work/src/"
cd "$work/src" || exit 1
warn="-Wall -Wextra -Wpedantic -Werror"

# build NAME COMPILER STD FILE [static]: compile and link with pkg-config only
build() {
  local out=$1 cc=$2 std=$3 file=$4 kind=${5:-shared} lang=""
  case $cc in *++) lang="-x c++" ;; esac
  command -v "$cc" >/dev/null || { ko "$out: $cc not installed"; return 1; }
  if [ "$kind" = static ]; then
    # shellcheck disable=SC2046
    "$cc" -std="$std" $warn -static $lang $(pkg-config --static --cflags smbwire) "$file" \
      -x none $(pkg-config --static --libs smbwire) -o "$out"
  else
    # shellcheck disable=SC2046
    "$cc" -std="$std" $warn $lang $(pkg-config --cflags smbwire) "$file" \
      -x none $(pkg-config --libs smbwire) -o "$out"
  fi
}

# check_shared EXE: needs libsmbwire.so.0, resolved to the installed copy
check_shared() {
  readelf -d "$1" | grep -q 'NEEDED.*\[libsmbwire\.so\.0\]' || { echo "$1 does not need libsmbwire.so.0"; return 1; }
  local where
  where=$(LD_LIBRARY_PATH=$libpath ldd "./$1" | sed -n 's/.*libsmbwire\.so\.0 => \([^ ]*\).*/\1/p')
  case "$where" in
    "$libpath"/*) ;;
    /usr/lib/* | /lib/*) [ "$mode" = system ] || { echo "resolved to $where"; return 1; } ;;
    *) echo "libsmbwire.so.0 resolved to '$where'"; return 1 ;;
  esac
  LD_LIBRARY_PATH=$libpath "./$1"
}
check_static() {
  if readelf -d "$1" 2>/dev/null | grep -q 'NEEDED.*libsmbwire'; then
    echo "$1 is linked dynamically against libsmbwire"; return 1
  fi
  "./$1"
}

for cfg in gcc:c99 clang:c11 g++:c++11 clang++:c++17; do
  cc=${cfg%%:*} std=${cfg#*:} exe="consumer-${cc}-${std}"
  run "build $exe (shared, pkg-config only)" build "$exe" "$cc" "$std" consumer.c &&
    run "run $exe against the installed libsmbwire.so.0" check_shared "$exe"
done
run "build consumer-static (pkg-config --static)" build consumer-static gcc c11 consumer.c static &&
  run "run consumer-static" check_static consumer-static
run "build guide_example (shared)" build guide-shared gcc c11 guide_example.c &&
  run "run guide_example: the guide's seed exchange in memory" check_shared guide-shared
run "build guide_example (static, clang)" build guide-static clang c99 guide_example.c static &&
  run "run guide_example (static)" check_static guide-static
run "documentation snippets are in guide_example.c" bash "$here/snippets.sh" "$src"

# --- meson subproject ---
demo_setup() { # BUILD [meson options]: configure and test the demo
  local b=$1; shift
  meson setup "$b" "$work/demo" "$@" && ninja -C "$b" && "$b/demo"
}
mkdir -p "$work/demo/subprojects"
cp -r "$src/examples/subproject-demo/." "$work/demo/"
ln -s "$src" "$work/demo/subprojects/smbwire"
# A destdir pkg-config path must not leak into the subproject build.
( unset PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
  run "subproject-demo with smbwire as a meson subproject" \
    demo_setup "$work/demo-sub" --force-fallback-for=smbwire
  if [ "$mode" = system ]; then
    run "subproject-demo against the installed smbwire (pkg-config)" \
      demo_setup "$work/demo-sys" --wrap-mode=nofallback
  fi
  echo "$pass $fail" > "$work/counts" )
read -r pass fail < "$work/counts"

echo "consumer: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
