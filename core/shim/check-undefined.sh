#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/shim/check-undefined.sh: the symbols the compiled gup.o leaves to the
# simulated kernel are exactly the committed list.
#
#   core/shim/check-undefined.sh OBJ LIST [NM]
#
# LIST (core/shim/undefined-6.12.txt) has one symbol a line, then a note of
# what it is (`symbol  kernel-home: what`); '#' lines are comments. Exit 1 with
# a message naming each symbol OBJ needs that LIST lacks (sanitizer and
# coverage runtime symbols of an instrumented build are not counted) (a new kernel needs
# something new of the model) and each listed symbol OBJ no longer needs.
set -euo pipefail
me=core/shim/check-undefined.sh
[ $# -ge 2 ] || { echo "usage: $me OBJ LIST [NM]" >&2; exit 2; }
obj=$1 list=$2 nm=${3:-nm}
[ -r "$obj" ] || { echo "$me: error: $obj is not readable" >&2; exit 2; }
[ -r "$list" ] || { echo "$me: error: $list is not readable" >&2; exit 2; }
bad=$(awk '!/^#/ && NF > 0 && NF < 2 { print FILENAME ":" FNR ": " $1 }' "$list")
if [ -n "$bad" ]; then
    echo "$me: every symbol in $list needs a note of what it is:" >&2
    echo "$bad" >&2
    exit 1
fi
# The build's instrumentation (compile.sh --instrument: ASan, libFuzzer's
# coverage) adds its runtime's entry points; they are not the kernel's needs.
actual=$("$nm" -u "$obj" | awk '{ print $NF }' | grep -Ev '^(__asan_|__sanitizer_|__sancov_|__ubsan_)' | sort -u)
expected=$(awk '!/^#/ && NF > 0 { print $1 }' "$list" | sort -u)
new=$(comm -23 <(echo "$actual") <(echo "$expected"))
gone=$(comm -13 <(echo "$actual") <(echo "$expected"))
n=$(echo "$actual" | grep -c . || true)
if [ -z "$new" ] && [ -z "$gone" ]; then
    echo "ok: $obj leaves exactly the $n symbols of $list to the simulated kernel"
    exit 0
fi
for s in $new; do
    echo "$me: $obj needs '$s', which $list does not list: the simulated kernel must implement it; add it to $list with a note of what it is (and to core/shim/include/shim/backed.h if the shim does not declare it)" >&2
done
for s in $gone; do
    echo "$me: $list lists '$s', which $obj no longer needs: remove it from $list" >&2
done
exit 1
