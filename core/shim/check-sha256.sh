#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/shim/check-sha256.sh: the compiled mm/gup.c is the tree's, unmodified.
#
#   core/shim/check-sha256.sh --kernel-dir DIR --object OBJ [--known FILE]
#
# Compares three sha256s and fails (exit 1) on any difference: the one
# ci/kernel-tree recorded for the tree's mm/gup.c (DIR/tree.info), the one
# core/shim/compile.sh recorded for the bytes it compiled (OBJ.sha256), and
# the file as it is now. For a tree from a Debian package it also checks the
# hash against FILE (core/shim/known-trees.txt: package version -> sha256),
# when FILE lists that version. Prints the tree, its version and the hash.
set -euo pipefail
me=core/shim/check-sha256.sh
die() { echo "$me: error: $*" >&2; exit 2; }
kdir="" obj="" known=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel-dir) kdir=$2; shift 2 ;;
        --object) obj=$2; shift 2 ;;
        --known) known=$2; shift 2 ;;
        *) die "unknown argument '$1'" ;;
    esac
done
[ -f "$kdir/tree.info" ] || die "$kdir/tree.info is missing (ci/kernel-tree)"
[ -f "$obj.sha256" ] || die "$obj.sha256 is missing (core/shim/compile.sh)"
info() { sed -n "s/^$1=//p" "$kdir/tree.info"; }
tree=$(info tree)
tree_sha=$(info gup_sha256)
compiled_sha=$(cut -d' ' -f1 "$obj.sha256")
compiled_src=$(cut -d' ' -f3- "$obj.sha256")
now_sha=$(sha256sum "$tree/mm/gup.c" | cut -d' ' -f1)
echo "tree:     $tree ($(info source))"
echo "version:  $(info version)"
echo "compiled: $compiled_src"
echo "sha256:   tree $tree_sha"
echo "          compiled $compiled_sha"
echo "          now $now_sha"
fail=0
if [ "$compiled_src" != "$tree/mm/gup.c" ]; then
    echo "$me: FAIL: the object was compiled from $compiled_src, not the tree's $tree/mm/gup.c" >&2
    fail=1
fi
if [ "$compiled_sha" != "$tree_sha" ]; then
    echo "$me: FAIL: the compiled mm/gup.c ($compiled_sha) differs from the tree's ($tree_sha)" >&2
    fail=1
fi
if [ "$now_sha" != "$compiled_sha" ]; then
    echo "$me: FAIL: $tree/mm/gup.c changed since it was compiled (now $now_sha): rebuild" >&2
    fail=1
fi
src=$(info source)
if [ -n "$known" ] && [[ "$src" == *"(package "* ]]; then
    pkgver=$(sed -E 's/.*\(package ([^ ]+) ([^)]+)\).*/\1 \2/' <<<"$src")
    want=$(awk -v p="${pkgver% *}" -v v="${pkgver#* }" '$1 == p && $2 == v { print $3 }' "$known")
    if [ -z "$want" ]; then
        echo "note:     $known does not list $pkgver (a newer package?): no published hash to compare"
    elif [ "$want" != "$tree_sha" ]; then
        echo "$me: FAIL: $pkgver's mm/gup.c should be $want ($known), the tree has $tree_sha" >&2
        fail=1
    else
        echo "known:    $pkgver matches $known"
    fi
fi
[ "$fail" = 0 ] && echo "ok: the compiled mm/gup.c is the tree's, unmodified"
exit "$fail"
