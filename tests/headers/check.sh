#!/bin/bash
# Public header test:  tests/headers/check.sh SRCDIR BUILDDIR
#
# Every public header (include/smbwire/*.h, and the generated
# BUILDDIR/include/smbwire/version.h) must compile on its own, twice in a
# row (include guard), and all of them together in two orders, as
#   C99 and C11 with gcc and clang, and
#   C++11 and C++17 with g++ and clang++,
# with -Wall -Wextra -Wpedantic -Werror (plus the project's stricter C
# warnings).  Each translation unit also expands the public macros, so a
# macro that only breaks when used is caught too.
# Prints one line per failure and a plain "headers: N passed, M failed".
set -u
[ $# -eq 2 ] || { echo "usage: $0 SRCDIR BUILDDIR" >&2; exit 2; }
src=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)
work=$(mktemp -d /tmp/smbwire-headers.XXXXXX)
trap 'rm -rf "$work"' EXIT

[ -f "$build/include/smbwire/version.h" ] || { echo "no generated version.h in $build" >&2; exit 2; }
headers=$(cd "$src/include/smbwire" && ls *.h)
headers="$headers version.h"
# Installed layout: <smbwire/x.h> resolves in both directories.
inc="-I$src/include -I$build/include"

common="-Wall -Wextra -Wpedantic -Werror"
cstrict="-Wshadow -Wconversion -Wsign-conversion -Wstrict-prototypes -Wmissing-prototypes
         -Wcast-qual -Wundef -Wredundant-decls -Wvla"
cxxstrict="-Wshadow -Wconversion -Wsign-conversion -Wcast-qual -Wundef -Wredundant-decls
           -Wzero-as-null-pointer-constant"
configs="gcc:c99 gcc:c11 clang:c99 clang:c11 g++:c++11 g++:c++17 clang++:c++11 clang++:c++17"

pass=0 fail=0
missing=""
for cfg in $configs; do
  command -v "${cfg%%:*}" >/dev/null || missing="$missing ${cfg%%:*}"
done
if [ -n "$missing" ]; then
  echo "headers: compiler(s) missing:$missing (apt-get install gcc g++ clang)" >&2
  exit 1
fi

# The body every TU ends with: uses the macros with their documented types.
body() {
  cat <<'EOB'
#ifdef SMBWIRE_VERSION_H
int smbw_t_version(void);
int smbw_t_version(void) { return SMBW_VERSION_NUMBER > 0 && SMBW_VERSION_STRING[0] != 0; }
#endif
#ifdef SMBWIRE_MESSAGE_H
unsigned smbw_t_dos(unsigned s);
unsigned smbw_t_dos(unsigned s) {
  return SMBW_DOS_CLASS(s) + SMBW_DOS_CODE(s) + SMBW_DOS_STATUS(1u, 2u) + SMBW_HEADER_SIZE;
}
#define SMBW_T_COM(name, code, andx) + (code) * (andx)
int smbw_t_com(void);
int smbw_t_com(void) { return 0 SMBW_COMMAND_LIST(SMBW_T_COM); }
#endif
#ifdef SMBWIRE_ERROR_H
#define SMBW_T_ERR(name, value, text) + (value) + (int)sizeof(text)
int smbw_t_err(void);
int smbw_t_err(void) { return 0 SMBW_ERROR_LIST(SMBW_T_ERR) + SMBW_E_ANDX_LOOP; }
#endif
#ifdef SMBWIRE_STATUS_H
#define SMBW_T_NT(name, value) + (value)
unsigned smbw_t_nt(void);
unsigned smbw_t_nt(void) { return 0u SMBW_NTSTATUS_LIST(SMBW_T_NT) + SMBW_STATUS_ACCESS_DENIED; }
#endif
#ifdef SMBWIRE_NBSS_H
unsigned smbw_t_nbss(void);
unsigned smbw_t_nbss(void) { return SMBW_NBSS_HEADER_SIZE + SMBW_NBSS_SESSION_REQUEST_SIZE; }
#endif
EOB
}

compile() { # name config file
  local cfg=$2 cc=${2%%:*} std=${2#*:} flags
  case $cc in
    *++) flags="$common $cxxstrict -x c++" ;;
    *)   flags="$common $cstrict -x c" ;;
  esac
  # shellcheck disable=SC2086
  if out=$("$cc" -std="$std" $flags $inc -c "$3" -o "$work/out.o" 2>&1); then
    pass=$((pass + 1))
  else
    fail=$((fail + 1))
    echo "FAIL: $1 [$cfg]"
    printf '%s\n' "$out" | head -20
  fi
}

n=0
for h in $headers; do
  n=$((n + 1))
  f="$work/alone_$n.c"
  { echo "#include <smbwire/$h>"; echo "#include <smbwire/$h>"; body; } > "$f"
  for cfg in $configs; do compile "$h alone" "$cfg" "$f"; done
done
f="$work/all_fwd.c"
{ for h in $headers; do echo "#include <smbwire/$h>"; done; body; } > "$f"
for cfg in $configs; do compile "all headers" "$cfg" "$f"; done
f="$work/all_rev.c"
{ for h in $(printf '%s\n' $headers | sort -r); do echo "#include <smbwire/$h>"; done; body; } > "$f"
for cfg in $configs; do compile "all headers, reverse order" "$cfg" "$f"; done

echo "headers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
