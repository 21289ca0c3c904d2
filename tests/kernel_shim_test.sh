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
#   kernel_shim_test.sh patch-errors KDIR [PATCHDIR]
#       a defect patch that does not apply to the tree stops the build with a
#       message naming the patch and the tree, and leaves no tree behind;
#       every shipped defect patch of that tree's generation (PATCHDIR,
#       default core/kernel612/defects: 6.12's) applies.
#   kernel_shim_test.sh user-tree-61 KDIR61 BUILD CXX [LAUNCHER]
#       the same with a 6.1 tree alone (core/kernel612/defects-6.1/
#       migrate_unpin_dropped.patch as the user's bug): 6.1's gup.o is linked
#       and run without any 6.12 tree (a `kernel 6.1` movable-memory pin fails
#       naming R4, the tree and its sha256), and a `kernel 6.12` scenario is
#       refused (exit 2).  BUILD may be the user-tree one: only the kernel
#       objects and the links are redone.
#   kernel_shim_test.sh user-tree KDIR BUILD CXX [LAUNCHER]
#       a tree a user unpacked and broke (a copy of the files KDIR's tree
#       extracted, with core/kernel612/defects/pin_bias_twice.patch applied by
#       patch(1)) given as GUPFUZZ_KERNEL_SRC to a fresh configure in BUILD (the
#       CLI only, no sanitizers, -O0: the cheapest build that runs scenarios);
#       the 6.12 conformance cell anon-private-rw-pin.scn then fails with a
#       verdict that names R4, the page, the tree and its mm/gup.c's sha256.
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
patch-errors)
    kdir=$2 patchdir=${3:-$root/core/kernel612/defects}
    # A hunk written for another mm/gup.c: its context is not in this tree.
    printf '%s\n' 'Subject: [gupfuzz defect] stale' '' '--- a/mm/gup.c' '+++ b/mm/gup.c' '@@ -10,3 +10,3 @@' \
        ' this line is not in mm/gup.c' '-nor is this one' '+a change' ' and the hunk cannot apply' >"$tmp/stale.patch"
    expect_fail "a defect patch that does not apply" \
        "stale.patch does not apply to $(sed -n 's/^tree=//p' "$kdir/tree.info")" "mm/gup.c sha256" \
        "refresh its hunks" -- \
        "$root/core/shim/patched-tree.sh" --kernel-dir "$kdir" --out "$tmp/v" --patch "$tmp/stale.patch"
    [ ! -e "$tmp/v" ] || fail "a half-patched tree was left behind in $tmp/v"
    # Every shipped defect patch applies to the tree (the build would stop otherwise).
    for p in "$patchdir"/*.patch; do
        if out=$("$root/core/shim/patched-tree.sh" --kernel-dir "$kdir" --out "$tmp/ok" --patch "$p" 2>&1); then
            echo "ok: $(basename "$p") applies: ${out##*= }"
        else
            fail "$(basename "$p") does not apply"; echo "$out"
        fi
    done
    ;;
user-tree | user-tree-61)
    mode=$1 kdir=$2 build=$3 cxx=$4 launcher=${5:-}
    base=$(sed -n 's/^tree=//p' "$kdir/tree.info")
    if [ "$mode" = user-tree ]; then ver=6.12 bug=core/kernel612/defects/pin_bias_twice.patch
    else ver=6.1 bug=core/kernel612/defects-6.1/migrate_unpin_dropped.patch
    fi
    # The user's tree: the files the extraction already produced (unpacking
    # the tarball again would cost ~50 s), then the user's own bug.
    user=$build/linux-$ver-user
    rm -rf "$user"
    mkdir -p "$user/mm"
    cp "$base/mm/gup.c" "$base/mm/internal.h" "$user/mm/"
    cp "$base/Makefile" "$user/"
    chmod u+w "$user/mm/gup.c"
    patch -p1 --batch --quiet -d "$user" -i "$root/$bug" ||
        { fail "the bug does not apply to the user's $ver tree"; exit 1; }
    sha=$(sha256sum "$user/mm/gup.c" | cut -d' ' -f1)
    cfg=(-S "$root" -B "$build/b" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0
         -DCMAKE_CXX_COMPILER="$cxx" -DGUPFUZZ_SANITIZE=OFF -DGUPFUZZ_TESTS=OFF -DGUPFUZZ_FUZZERS=OFF
         -DGUPFUZZ_KERNEL_SHIM=ON -DGUPFUZZ_KERNEL_SRC="$user")
    [ -z "$launcher" ] || cfg+=(-DCMAKE_CXX_COMPILER_LAUNCHER="$launcher")
    if ! out=$(cmake "${cfg[@]}" 2>&1) || ! out=$(cmake --build "$build/b" --target gupfuzz 2>&1); then
        fail "the build with GUPFUZZ_KERNEL_SRC=$user (Linux $ver) failed"; tail -30 <<<"$out"; exit 1
    fi
    if [ "$ver" = 6.12 ]; then
        scn=$root/corpus/conformance-6.12/anon-private-rw-pin.scn
        what="a user tree with GUP_PIN_COUNTING_BIAS added twice" words=(R4 GUP_PIN_COUNTING_BIAS)
    else
        scn=$build/movable-anon-rw-pin-61.scn
        sed 's/^kernel 6\.12$/kernel 6.1/' "$root/corpus/conformance-6.12/movable-anon-rw-pin.scn" >"$scn"
        what="a user's 6.1 tree that clears pages[] without unpinning before migration" words=(R4 "Linux 6.1.")
    fi
    expect_fail "$what" "${words[@]}" "GUPFUZZ_KERNEL_SRC=$user" "mm/gup.c sha256 $sha" -- "$build/b/gupfuzz" run "$scn"
    # ... exactly 1 (a property failed), not a crash or bad input.
    "$build/b/gupfuzz" run --quiet "$scn" >/dev/null 2>&1
    rc=$?
    [ $rc -eq 1 ] || fail "gupfuzz run exited $rc on the user's $ver tree; 1 (a property failed) was expected"
    # A 6.1 tree alone: a 6.12 scenario is refused, never a silent pass.
    [ "$ver" = 6.12 ] || expect_fail "a 6.12 scenario in a build of a 6.1 tree alone" "no 6.12 kernel" -- \
        "$build/b/gupfuzz" run "$root/corpus/conformance-6.12/anon-private-rw-pin.scn"
    ;;
*)
    echo "usage: $0 checks KDIR OBJ LIST NM | badtree CLANG | tree-errors | patch-errors KDIR [PATCHDIR] | user-tree KDIR BUILD CXX [LAUNCHER] | user-tree-61 KDIR BUILD CXX [LAUNCHER]" >&2
    exit 2
    ;;
esac
[ $fails -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
