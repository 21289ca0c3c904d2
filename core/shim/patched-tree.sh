#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/shim/patched-tree.sh: a deliberate defect of the real kernel file as a
# tree of its own, prepared exactly as a tree a user unpacked and patched.
#
#   core/shim/patched-tree.sh --kernel-dir KDIR --out VDIR --patch PATCH [--patch PATCH...]
#
# KDIR is what ci/kernel-tree prepared for the build (KDIR/tree.info names the
# tree). The files the build reads (mm/gup.c, mm/internal.h, Makefile, and the
# tree's .config if it has one) are COPIED into VDIR/tree and each PATCH is
# applied to the copy with `patch -p1 --fuzz=0` (strictly: a hunk that does
# not apply exactly is an error). The tree KDIR names is never written to.
# VDIR is then prepared by ci/kernel-tree with GUPFUZZ_KERNEL_SRC=VDIR/tree,
# the path a developer's own patched tree takes (docs/kernel-shim.md), with the
# configuration KDIR was prepared with; VDIR/patches lists what was applied
# and VDIR/base.info is KDIR/tree.info (the tree the copy was made from, which
# core/shim/variant-table.sh describes).
# A patch that does not apply stops with a message naming the patch, the tree
# and patch(1)'s complaint (exit 1). Usage errors exit 2.
set -euo pipefail
me=core/shim/patched-tree.sh
die() { echo "$me: error: $*" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)

kdir="" out="" patches=()
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel-dir) [ $# -ge 2 ] || die "--kernel-dir needs a directory"; kdir=$2; shift 2 ;;
        --out) [ $# -ge 2 ] || die "--out needs a directory"; out=$2; shift 2 ;;
        --patch) [ $# -ge 2 ] || die "--patch needs a file"; patches+=("$2"); shift 2 ;;
        *) die "unknown argument '$1'" ;;
    esac
done
[ -n "$kdir" ] || die "--kernel-dir KDIR is required (made by ci/kernel-tree)"
[ -n "$out" ] || die "--out VDIR is required"
[ ${#patches[@]} -gt 0 ] || die "at least one --patch is required"
[ -f "$kdir/tree.info" ] || die "$kdir/tree.info is missing: run ci/kernel-tree --out $kdir first"
info() { sed -n "s/^$1=//p" "$kdir/tree.info"; }
base=$(info tree)
[ -f "$base/mm/gup.c" ] || die "$kdir/tree.info names $base, which has no mm/gup.c"
for p in "${patches[@]}"; do
    [ -r "$p" ] || die "patch $p is not readable"
done

rm -rf "$out"
mkdir -p "$out/tree/mm"
cp "$base/mm/gup.c" "$base/mm/internal.h" "$out/tree/mm/"
cp "$base/Makefile" "$out/tree/"
[ ! -f "$base/.config" ] || cp "$base/.config" "$out/tree/.config"
chmod u+w "$out/tree/mm/gup.c" "$out/tree/mm/internal.h"
for p in "${patches[@]}"; do
    if ! log=$(patch -p1 --batch --forward --fuzz=0 --no-backup-if-mismatch -d "$out/tree" -i "$(realpath "$p")" 2>&1); then
        echo "$me: $p does not apply to $base (Linux $(info version), mm/gup.c sha256 $(info gup_sha256)):" >&2
        sed 's/^/    /' <<<"$log" >&2
        echo "$me: the patch was made for another version of mm/gup.c: refresh its hunks against this tree (docs/defects.md)" >&2
        rm -rf "$out"
        exit 1
    fi
    echo "$(realpath --relative-to="$root" "$p" 2>/dev/null || echo "$p")" >>"$out/patches"
done

# The configuration the base tree was prepared with: Debian's config of the
# version (ci/kernel-tree finds it again), or the file the base named.
config=$(info config)
case "$config" in
    *"(package "*) unset GUPFUZZ_KERNEL_CONFIG ;;
    *) export GUPFUZZ_KERNEL_CONFIG=$config ;;
esac
GUPFUZZ_KERNEL_SRC=$out/tree "$root/ci/kernel-tree" --out "$out" >/dev/null
cp "$kdir/tree.info" "$out/base.info"
echo "$me: $out/tree = $base + $(paste -sd' ' "$out/patches") (mm/gup.c sha256 $(sed -n 's/^gup_sha256=//p' "$out/tree.info"))"
