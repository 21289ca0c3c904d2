#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A compiled kernel file and its glue link into one object that needs nothing
# of the kernel: after `ld -r gup.o glue.o trampoline.o`, the only undefined
# symbols are the model's interface (gm_*, core/kernel612/model_api.h), libc's
# setjmp/longjmp/abort/vsnprintf and the instrumentation runtimes. Shown
# failing first: without the glue, gup.o's kernel symbols are reported.
#
#   kernel_links_test.sh GUP.O GLUE.O TRAMPOLINE.C CLANG NM
set -uo pipefail
[ $# -eq 5 ] || { echo "usage: $0 GUP.O GLUE.O TRAMPOLINE.C CLANG NM" >&2; exit 2; }
gup=$1 glue=$2 tramp_c=$3 cc=$4 nm=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cc" -std=gnu11 -O2 -c "$tramp_c" -o "$tmp/trampoline.o" || exit 1

# kernel_needs OBJ: the undefined symbols that are neither the model's nor libc's
kernel_needs() {
    "$nm" -u "$1" | awk '{ print $NF }' |
        grep -Ev '^(gm_|__asan_|__sanitizer_|__sancov_|__ubsan_)' |
        grep -Evx '_setjmp|setjmp|longjmp|abort|vsnprintf|memset|memcpy|memmove' || true
}

fails=0
ld -r -o "$tmp/nolink.o" "$gup" "$tmp/trampoline.o" || exit 1
missing=$(kernel_needs "$tmp/nolink.o" | grep -c . || true)
if [ "$missing" -eq 0 ]; then
    echo "FAIL: without the glue, gup.o must need kernel symbols (the check cannot fail)"
    fails=$((fails + 1))
else
    echo "ok: without the glue, $missing kernel symbols are reported"
fi

ld -r -o "$tmp/all.o" "$gup" "$glue" "$tmp/trampoline.o" || { echo "FAIL: ld -r failed"; exit 1; }
left=$(kernel_needs "$tmp/all.o")
if [ -n "$left" ]; then
    echo "FAIL: $gup with $glue still needs these kernel symbols (implement them in the glue):"
    echo "$left" | sed 's/^/    /'
    fails=$((fails + 1))
else
    echo "ok: $gup + $glue need only the model's gm_* interface and libc"
fi
[ $fails -eq 0 ]
