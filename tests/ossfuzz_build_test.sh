#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs .clusterfuzzlite/build.sh the way OSS-Fuzz does (its environment
# variables, LIB_FUZZING_ENGINE=-fsanitize=fuzzer, a fresh $OUT), then checks
# what OSS-Fuzz needs in $OUT and that every target runs its seed corpus, and
# the regression corpus, clean.
set -euo pipefail
repo=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src" "$tmp/out" "$tmp/work"
ln -s "$repo" "$tmp/src/gupfuzz"
export SRC="$tmp/src" OUT="$tmp/out" WORK="$tmp/work" CC=clang CXX=clang++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
bash "$SRC/gupfuzz/.clusterfuzzlite/build.sh"

status=0
for target in gup_longterm_fuzzer scenario_text_fuzzer; do
    for f in "$target" "${target}_seed_corpus.zip" "$target.dict" "$target.options"; do
        if [ ! -s "$OUT/$f" ]; then echo "missing in \$OUT: $f"; status=1; fi
    done
    [ -x "$OUT/$target" ] || { echo "$target is not executable"; status=1; }
    mkdir -p "$tmp/seeds/$target"
    (cd "$tmp/seeds/$target" && unzip -q "$OUT/${target}_seed_corpus.zip")
    n=$(ls "$tmp/seeds/$target" | wc -l)
    echo "== $target: running its $n seeds once"
    # libFuzzer given a directory and -runs=0 executes every input once and stops.
    (cd "$tmp" && "$OUT/$target" -runs=0 "$tmp/seeds/$target" >"$tmp/$target.log" 2>&1) || {
        echo "$target failed on its seed corpus:"; tail -50 "$tmp/$target.log"; status=1; }
done
echo "== gup_longterm_fuzzer: replaying corpus/regressions"
(cd "$tmp" && "$OUT/gup_longterm_fuzzer" "$repo"/corpus/regressions/*.bin >"$tmp/regressions.log" 2>&1) || {
    echo "a regression input fails:"; tail -50 "$tmp/regressions.log"; status=1; }
[ $status -eq 0 ] && echo "OSS-Fuzz build contract: ok"
exit $status
