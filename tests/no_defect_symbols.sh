#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The default build provably contains no defect: no symbol of the given
# binaries or archives lives in a defect variant's namespace (the variants are
# named v4_15_..._stub[01]_DEFECT, DEFECT in [a-z_]; the correct port's end in
# _none; a mangled tail, as in gcc's ASan globals, starts with a digit).  Fails
# too when it finds no variant symbol at all (nm broken, names changed).
set -euo pipefail
status=0
for f in "$@"; do
    syms=$(nm -C "$f" 2>/dev/null | grep -oE 'v4_15_fsdax_[yn]_pmdfix[01]_ischrfix[01]_stub[01]_[a-z_]+' | sort -u)
    if [ -z "$syms" ]; then
        echo "$f: no port variant symbols found"
        status=1
        continue
    fi
    bad=$(grep -v '_none$' <<<"$syms" || true)
    if [ -n "$bad" ]; then
        echo "$f: defect variants compiled in:"
        echo "$bad"
        status=1
    else
        echo "$f: $(wc -l <<<"$syms") port variants, all without defect"
    fi
done
exit $status
