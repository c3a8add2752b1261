#!/bin/bash
# The growth test (doc/abi.md, "Structs that grow"): a program built
# against today's headers keeps working with a library whose structs grew.
#
#   tests/growth/grow.sh SRCDIR [WORKDIR]
#
# In WORKDIR (default: a temporary directory, removed afterwards) it
#  1. builds the library from SRCDIR as it is ("old"), with clang and
#     -fsanitize=address,undefined, as a shared library;
#  2. copies SRCDIR's include/ and lib/ and grows, in the copy:
#     (a) smbw_close_req and smbw_write_andx_req (message types): a
#         uint64_t member appended after `extra`, which the grown decoder
#         fills with a mark;
#     (b) smbw_builder (private state): one slot of reserved_ becomes a
#         named member that smbw_builder_init() writes;
#     (c) smbw_parsed (smbw_parse()): a uint64_t member appended, which the
#         grown smbw_parse_() fills with the mark;
#     (d) smbw_find_entry (a payload entry): a uint64_t member appended,
#         which the grown smbw_find_iter_next_() fills with the mark (the
#         consumer writes entries of every NT level with smbw_find_append()
#         and reads them back);
#     and builds that library the same way ("new");
#  3. builds tests/growth/consumer.c against the old headers and against
#     the grown ones (-DGROWTH_HEADERS), both with the sanitizers;
#  4. runs old consumer x new library (the point of the test), grown
#     consumer x old library (zeros in the members the library does not
#     know), and both consumers with their own library; all must pass.
#
# Exit status: 0 pass, 1 fail, 77 skip (no clang, or no working ASan).
set -euo pipefail

SRC=$(cd "${1:?usage: grow.sh SRCDIR [WORKDIR]}" && pwd)
if [ -n "${2:-}" ]; then
  W=$2
  rm -rf "$W"
  mkdir -p "$W"
else
  W=$(mktemp -d "${TMPDIR:-/tmp}/smbwire-growth.XXXXXX")
  trap 'rm -rf "$W"' EXIT
fi
W=$(cd "$W" && pwd)

CC=${GROWTH_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
  echo "growth: SKIP: $CC not found"
  exit 77
fi
# shellcheck disable=SC2054 # one flag with commas
SAN=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
CFLAGS=(-std=c11 -O1 -g "${SAN[@]}" -Wall -Wextra -Wno-unused-parameter -Werror)
printf 'int main(void) { return 0; }\n' >"$W/asan.c"
if ! "$CC" "${SAN[@]}" "$W/asan.c" -o "$W/asan" >/dev/null 2>&1 || ! "$W/asan"; then
  echo "growth: SKIP: $CC cannot build or run -fsanitize=address,undefined programs"
  exit 77
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

VERSION=$(sed -n "s/^ *version *: *'\([0-9.]*\)'.*/\1/p" "$SRC/meson.build" | head -1)
IFS=. read -r VMAJ VMIN VPAT <<<"$VERSION"
SOVERSION=$(sed -n "s/^soversion *= *'\([0-9]*\)'.*/\1/p" "$SRC/meson.build")

# copy_tree DIR: include/ and lib/ of SRCDIR, and the generated version.h.
copy_tree() {
  mkdir -p "$1"
  cp -R "$SRC/include" "$SRC/lib" "$1/"
  sed -e "s/@SMBW_VERSION_MAJOR@/$VMAJ/" -e "s/@SMBW_VERSION_MINOR@/$VMIN/" \
      -e "s/@SMBW_VERSION_PATCH@/$VPAT/" -e "s/@SMBW_VERSION_STRING@/\"$VERSION\"/" \
      "$SRC/include/smbwire/version.h.in" >"$1/include/smbwire/version.h"
}

# build_lib DIR: DIR/libsmbwire.so.SOVERSION from DIR's sources (the list
# of lib/meson.build), two compilers at a time.
build_lib() {
  local d=$1 srcs
  srcs=$(sed -n "/libsmbwire_sources = files(/,/)/s/^ *'\([^']*\.c\)'.*/\1/p" "$d/lib/meson.build")
  [ -n "$srcs" ] || { echo "growth: no sources in $d/lib/meson.build"; return 1; }
  mkdir -p "$d/obj"
  local f p pids=() st=0
  for f in $srcs; do
    "$CC" "${CFLAGS[@]}" -fPIC -fvisibility=hidden -DSMBW_BUILDING -I"$d/include" \
      -c "$d/lib/$f" -o "$d/obj/${f//\//_}.o" &
    pids+=($!)
    if [ ${#pids[@]} -ge 2 ]; then # at most two compilers at a time
      wait "${pids[0]}" || st=1
      pids=("${pids[@]:1}")
    fi
  done
  for p in "${pids[@]}"; do wait "$p" || st=1; done
  [ $st = 0 ] || { echo "growth: compiling $d failed"; return 1; }
  "$CC" "${SAN[@]}" -shared -o "$d/libsmbwire.so.$SOVERSION" "$d"/obj/*.o \
    -Wl,-soname,"libsmbwire.so.$SOVERSION" -Wl,--version-script,"$d/lib/smbwire.map"
  ln -sf "libsmbwire.so.$SOVERSION" "$d/libsmbwire.so"
}

# build_consumer DIR OUT [CFLAGS...]: the consumer against DIR's headers.
build_consumer() {
  local d=$1 out=$2
  shift 2
  "$CC" "${CFLAGS[@]}" -Wconversion -Wsign-conversion -pedantic "$@" -I"$d/include" \
    "$SRC/tests/growth/consumer.c" -o "$out" -L"$d" -lsmbwire
}

# The grown copy.  Each edit must change the file (a failed match would
# otherwise test nothing).
edit() {
  local file=$1
  shift
  cp "$file" "$file.orig"
  sed -i "$@" "$file"
  if cmp -s "$file" "$file.orig"; then
    echo "growth: the edit of ${file#"$W"/} did not apply: $*"
    exit 1
  fi
  rm -f "$file.orig"
}
MARK=0x4e45575f4649454cull
grow_tree() {
  local d=$1
  # (a) two message types grow at their end
  edit "$d/include/smbwire/commands.h" \
    -e 's/^} smbw_close_req;/  uint64_t added_in_next_release; \/**< grown by tests\/growth *\/\n} smbw_close_req;/' \
    -e 's/^} smbw_write_andx_req;/  uint64_t added_in_next_release; \/**< grown by tests\/growth *\/\n} smbw_write_andx_req;/'
  edit "$d/lib/commands/forms_gen.h" \
    -e "/^static SMBW_INLINE int decode_close_req_body(/,/^}/s/^  item_rest(&rd, &s.extra);\$/&\\n  s.added_in_next_release = $MARK;/" \
    -e "/^static SMBW_INLINE int decode_write_andx_req_body(/,/^}/s/^  item_rest(&rd, &s.extra);\$/&\\n  s.added_in_next_release = $MARK;/"
  # (b) the builder keeps new state inside its reserved room
  edit "$d/include/smbwire/message.h" \
    -e '/^typedef struct smbw_builder {/,/^} smbw_builder;/s/uintptr_t reserved_\[4\];/uintptr_t added_state; uintptr_t reserved_[3];/'
  edit "$d/lib/message/build.h" \
    -e 's/^  b->nblocks = 0;$/  b->nblocks = 0;\n  b->added_state = (uintptr_t)0x4e4557u;/'
  # (c) smbw_parsed grows at its end
  edit "$d/include/smbwire/parse.h" \
    -e 's/^} smbw_parsed;/  uint64_t added_in_next_release; \/**< grown by tests\/growth *\/\n} smbw_parsed;/'
  edit "$d/lib/message/parse.c" \
    -e "s/^  p->chain_err = \*chain_err;\$/  p->chain_err = *chain_err;\n  p->added_in_next_release = $MARK;/"
  # (d) a payload entry grows at its end
  edit "$d/include/smbwire/find.h" \
    -e 's/^} smbw_find_entry;/  uint64_t added_in_next_release; \/**< grown by tests\/growth *\/\n} smbw_find_entry;/'
  edit "$d/lib/commands/find.c" \
    -e "s/^  smbw_put_sized(e, e_size, &v, sizeof v);\$/  v.added_in_next_release = $MARK;\n&/"
}

start=$(date +%s)
copy_tree "$W/old"
copy_tree "$W/new"
grow_tree "$W/new"
if [ -n "${GROWTH_BREAK:-}" ]; then
  # For checking the test itself: extra sed expressions on a file of the
  # grown copy, e.g. GROWTH_BREAK='lib/commands/form.c:s/.../.../'.
  edit "$W/new/${GROWTH_BREAK%%:*}" -e "${GROWTH_BREAK#*:}"
fi

echo "growth: building the old and the grown library ($CC, ASan+UBSan, -O1)"
build_lib "$W/old"
build_lib "$W/new"
build_consumer "$W/old" "$W/consumer-old"
build_consumer "$W/new" "$W/consumer-new" -DGROWTH_HEADERS

# The sizes: the message structs and smbw_parsed grew, the builder did not.
LD_LIBRARY_PATH="$W/old" "$W/consumer-old" --sizes >"$W/sizes-old"
LD_LIBRARY_PATH="$W/new" "$W/consumer-new" --sizes >"$W/sizes-new"
echo "growth: struct sizes, original headers -> grown headers:"
join <(sort "$W/sizes-old") <(sort "$W/sizes-new") | while read -r name a b; do
  echo "  $name: $a -> $b"
  case $name in
    smbw_close_req | smbw_write_andx_req | smbw_parsed | smbw_find_entry)
      [ "$b" -gt "$a" ] || { echo "growth: FAIL $name did not grow"; exit 1; } ;;
    *)
      [ "$b" -eq "$a" ] || { echo "growth: FAIL $name changed size"; exit 1; } ;;
  esac
done

VECS=()
for v in torture-close torture-writex torture-ntcreatex smbclient-get smbclient-ops; do
  VECS+=("$SRC/tests/golden/$v.vec")
done

run() { # run CONSUMER LIBDIR old|new
  echo "growth: $(basename "$1") with the $3 library"
  GROWTH_LIB=$3 LD_LIBRARY_PATH="$2" "$1" "${VECS[@]}"
}
rc=0
run "$W/consumer-old" "$W/new" new || rc=1
run "$W/consumer-new" "$W/old" old || rc=1
run "$W/consumer-old" "$W/old" old || rc=1
run "$W/consumer-new" "$W/new" new || rc=1

echo "growth: $([ $rc = 0 ] && echo PASS || echo FAIL) in $(($(date +%s) - start)) s"
exit $rc
