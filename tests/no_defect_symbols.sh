#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The default build provably contains no defect, of either generation:
#  - v4.15: no symbol of the given binaries or archives lives in a defect
#    variant's namespace (the variants are named v4_15_..._stub[01]_DEFECT,
#    DEFECT in [a-z_]; the correct port's end in _none; a mangled tail, as in
#    gcc's ASan globals, starts with a digit);
#  - 6.12 and 6.1: the only entry tables of a compiled mm/gup.c are
#    g612_variant_none (6.12 as shipped) and g612_variant_v601 (6.1 as
#    shipped); each variant exports exactly its table g612_variant_NAME,
#    core/shim/link-variant.sh, and a defect's NAME is the defect's.
# Fails too when a file has no variant symbol at all (nm broken, names
# changed), and, with --kernel612 (a build that links the 6.12 kernel), when
# no file has the 6.12 table of the tree as shipped.
#   no_defect_symbols.sh [--kernel612] FILE...
set -euo pipefail
status=0
k612=0
if [ "${1:-}" = --kernel612 ]; then
    k612=1
    shift
fi
seen612=0
for f in "$@"; do
    all=$(nm -C "$f" 2>/dev/null || true)
    syms=$(grep -oE 'v4_15_fsdax_[yn]_pmdfix[01]_ischrfix[01]_stub[01]_[a-z_]+' <<<"$all" | sort -u || true)
    syms612=$(grep -oE '\bg612_variant_[a-z0-9_]+' <<<"$all" | sort -u || true)
    if [ -z "$syms" ] && [ -z "$syms612" ]; then
        echo "$f: no port variant symbols found"
        status=1
        continue
    fi
    bad=$(grep -v '_none$' <<<"$syms" || true)
    bad612=$(grep -Ev '^g612_variant_(none|v601)$' <<<"$syms612" || true)
    [ -z "$syms612" ] || seen612=1
    if [ -n "$bad" ]; then
        echo "$f: defect variants compiled in:"
        echo "$bad"
        status=1
    fi
    if [ -n "$bad612" ]; then
        echo "$f: 6.12 defect variants compiled in:"
        echo "$bad612"
        status=1
    fi
    if [ -z "$bad" ] && [ -z "$bad612" ]; then
        echo "$f: $(grep -c . <<<"$syms" || true) v4.15 port variants, $(grep -c . <<<"$syms612" || true) 6.12 variant(s), all without defect"
    fi
done
if [ "$k612" = 1 ] && [ "$seen612" = 0 ]; then
    echo "--kernel612: none of the files has the 6.12 entry table g612_variant_none"
    status=1
fi
exit $status
