#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Shows that the kernel-shim checks fail when they should (ctest, label kernel).
#
#   kernel_shim_test.sh checks KDIR OBJ LIST NM
#       the sha256 check fails on a tree whose gup.c differs from what was
#       compiled; the undefined-symbol check fails, naming the symbol, when
#       the object needs one the list lacks, and when the list has one extra.
#   kernel_shim_test.sh badtree CLANG
#       a tree whose gup.c calls functions the shim lacks stops the build with
#       a message naming each symbol and the shim header to extend.
#   kernel_shim_test.sh tree-errors
#       ci/kernel-tree's errors: package missing, unreadable tarball, a
#       GUPFUZZ_KERNEL_SRC without mm/gup.c.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_fail NAME PATTERN... -- CMD...: CMD exits 1 or 2 and its output matches every PATTERN
expect_fail() {
    local name=$1; shift
    local pats=()
    while [ "$1" != "--" ]; do pats+=("$1"); shift; done
    shift
    local out rc
    out=$("$@" 2>&1); rc=$?
    if [ $rc -eq 0 ]; then
        fail "$name: succeeded; it must fail"; echo "$out"; return
    fi
    for p in "${pats[@]}"; do
        if ! grep -qF -- "$p" <<<"$out"; then
            fail "$name: output lacks '$p'"; echo "$out"; return
        fi
    done
    echo "ok: $name fails as it should: $(grep -m1 -F -- "${pats[0]}" <<<"$out")"
}

case "${1:-}" in
checks)
    kdir=$2 obj=$3 list=$4 nm=$5
    # sha256: a tree.info recording another hash (as a tree edited after
    # extraction would) and an object compiled from a different file.
    mkdir -p "$tmp/k"
    sed 's/^gup_sha256=.*/gup_sha256=0000000000000000000000000000000000000000000000000000000000000000/' \
        "$kdir/tree.info" >"$tmp/k/tree.info"
    expect_fail "sha256 check, tree differs from the compiled file" \
        "differs from the tree's" -- "$root/core/shim/check-sha256.sh" --kernel-dir "$tmp/k" --object "$obj"
    cp "$obj" "$tmp/gup.o"
    sed 's/^[0-9a-f]*/1111111111111111111111111111111111111111111111111111111111111111/' "$obj.sha256" >"$tmp/gup.o.sha256"
    expect_fail "sha256 check, compiled bytes differ from the tree's" \
        "differs from the tree's" -- "$root/core/shim/check-sha256.sh" --kernel-dir "$kdir" --object "$tmp/gup.o"
    # undefined symbols: drop one listed symbol, add one the object does not need.
    victim=$("$nm" -u "$obj" | awk '{ print $NF }' | grep -Ev '^(__asan_|__sanitizer_|__sancov_|__ubsan_)' | sort | head -1)
    [ -n "$victim" ] || { fail "no undefined symbol in $obj"; exit 1; }
    grep -v "^$victim " "$list" >"$tmp/short.txt"
    expect_fail "undefined-symbol check, a symbol the list lacks" \
        "needs '$victim'" -- "$root/core/shim/check-undefined.sh" "$obj" "$tmp/short.txt" "$nm"
    { cat "$list"; echo "shim_not_needed_symbol  nowhere: a symbol gup.o does not use"; } >"$tmp/long.txt"
    expect_fail "undefined-symbol check, a symbol no longer needed" \
        "'shim_not_needed_symbol', which" -- "$root/core/shim/check-undefined.sh" "$obj" "$tmp/long.txt" "$nm"
    { cat "$list"; echo "shim_symbol_without_note"; } >"$tmp/nonote.txt"
    expect_fail "undefined-symbol check, a symbol without a note" \
        "needs a note" -- "$root/core/shim/check-undefined.sh" "$obj" "$tmp/nonote.txt" "$nm"
    ;;
badtree)
    cc=$2
    mkdir -p "$tmp/tree/mm"
    cp "$root/tests/fixtures/kernel-badtree/unknown_symbol.c" "$tmp/tree/mm/gup.c"
    : >"$tmp/tree/mm/internal.h"
    printf 'VERSION = 6\nPATCHLEVEL = 12\nSUBLEVEL = 0\n' >"$tmp/tree/Makefile"
    if ! GUPFUZZ_KERNEL_SRC=$tmp/tree "$root/ci/kernel-tree" --out "$tmp/k" >/dev/null; then
        fail "ci/kernel-tree refused the fake tree"; exit 1
    fi
    expect_fail "a tree calling an unknown function" \
        "missing function 'frobnicate_folio_pins'" "shim/backed.h" "undefined-6.12.txt" \
        "missing function 'pte_frobnicated'" "shim/dup_pgtable.h" "gup.c:17" -- \
        "$root/core/shim/compile.sh" --kernel-dir "$tmp/k" --kv 612 --cc "$cc" -o "$tmp/k/gup.o"
    [ ! -e "$tmp/k/gup.o" ] || fail "an object was left behind"
    ;;
tree-errors)
    mkdir -p "$tmp/usrsrc" "$tmp/notree"
    expect_fail "ci/kernel-tree without the package" \
        "install the Debian package linux-source-6.12" -- \
        env GUPFUZZ_USR_SRC="$tmp/usrsrc" GUPFUZZ_KERNEL_SRC= "$root/ci/kernel-tree" --out "$tmp/o1" 6.12
    echo "not an xz stream" >"$tmp/usrsrc/linux-source-6.12.tar.xz"
    expect_fail "ci/kernel-tree with an unreadable tarball" \
        "cannot extract mm/gup.c" "$tmp/usrsrc/linux-source-6.12.tar.xz" -- \
        env GUPFUZZ_USR_SRC="$tmp/usrsrc" GUPFUZZ_KERNEL_SRC= "$root/ci/kernel-tree" --out "$tmp/o2" 6.12
    expect_fail "GUPFUZZ_KERNEL_SRC without mm/gup.c" \
        "$tmp/notree/mm/gup.c does not exist" -- \
        env GUPFUZZ_KERNEL_SRC="$tmp/notree" "$root/ci/kernel-tree" --out "$tmp/o3"
    expect_fail "an unknown version" "unknown VERSION '6.3'" -- \
        env GUPFUZZ_KERNEL_SRC= "$root/ci/kernel-tree" --out "$tmp/o4" 6.3
    ;;
*)
    echo "usage: $0 checks KDIR OBJ LIST NM | badtree CLANG | tree-errors" >&2
    exit 2
    ;;
esac
[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
