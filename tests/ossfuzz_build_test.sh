#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs .clusterfuzzlite/build.sh the way OSS-Fuzz does (its environment
# variables, LIB_FUZZING_ENGINE=-fsanitize=fuzzer, a fresh $OUT), then checks
# what OSS-Fuzz needs in $OUT, that the fuzz targets were compiled with
# OSS-Fuzz's flags and nothing after them (no -O3/-DNDEBUG from a build type,
# no -Werror), and that every target runs its seed corpus, and the regression
# corpus, clean.
# Usage: ossfuzz_build_test.sh REPO [STATE_DIR]
# With STATE_DIR, $WORK persists there (rebuilds are incremental) and $OUT is
# STATE_DIR/out, which tests/fuzz_dict_test.sh then uses.
set -euo pipefail
repo=$(cd "$1" && pwd)
if [ $# -ge 2 ]; then
    state=$2
    mkdir -p "$state"
    state=$(cd "$state" && pwd)
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
else
    state=$(mktemp -d)
    tmp=$state
    trap 'rm -rf "$state"' EXIT
fi
rm -rf "$state/out" "$state/src"
mkdir -p "$state/src" "$state/out" "$state/work"
ln -s "$repo" "$state/src/gupfuzz"
export SRC="$state/src" OUT="$state/out" WORK="$state/work" CC=clang CXX=clang++
export CFLAGS="-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link"
export CXXFLAGS="$CFLAGS"
export LIB_FUZZING_ENGINE="-fsanitize=fuzzer"
export SANITIZER=address FUZZING_ENGINE=libfuzzer ARCHITECTURE=x86_64
bash "$SRC/gupfuzz/.clusterfuzzlite/build.sh"

status=0
# The compile commands of the fuzz build: $CXXFLAGS rule, nothing appended.
commands=$WORK/fuzz/compile_commands.json
if [ ! -s "$commands" ]; then
    echo "no $commands"; status=1
else
    n=$(jq length "$commands")
    bad=$(jq -r --arg f "$CXXFLAGS" '.[] | select((.command | contains($f) | not)
              or (.command | test("(^| )(-O3|-DNDEBUG|-Werror)( |$)"))) | .file' "$commands")
    if [ "$n" -eq 0 ] || [ -n "$bad" ]; then
        echo "fuzz build: compiled without \$CXXFLAGS, or with -O3/-DNDEBUG/-Werror added:"; echo "$bad" | head
        status=1
    else
        echo "== fuzz build: $n compile commands carry \$CXXFLAGS and no -O3/-DNDEBUG/-Werror"
    fi
fi
for target in gup_longterm_fuzzer scenario_text_fuzzer; do
    for f in "$target" "${target}_seed_corpus.zip" "$target.dict" "$target.options"; do
        if [ ! -s "$OUT/$f" ]; then echo "missing in \$OUT: $f"; status=1; fi
    done
    [ -x "$OUT/$target" ] || { echo "$target is not executable"; status=1; }
    mkdir -p "$tmp/seeds/$target"
    (cd "$tmp/seeds/$target" && unzip -q -o "$OUT/${target}_seed_corpus.zip")
    n=$(ls "$tmp/seeds/$target" | wc -l)
    echo "== $target: running its $n seeds once"
    # libFuzzer given a directory and -runs=0 executes every input once and stops.
    (cd "$tmp" && "$OUT/$target" -runs=0 "$tmp/seeds/$target" >"$tmp/$target.log" 2>&1) || {
        echo "$target failed on its seed corpus:"; tail -50 "$tmp/$target.log"; status=1; }
    # ... and says so: an input count of zero would be a run that tested nothing.
    grep -q "INFO: seed corpus: files: $n " "$tmp/$target.log" || {
        echo "$target: libFuzzer did not report running the $n seeds:"; tail -20 "$tmp/$target.log"; status=1; }
done
echo "== gup_longterm_fuzzer: replaying corpus/regressions"
(cd "$tmp" && "$OUT/gup_longterm_fuzzer" "$repo"/corpus/regressions/*.bin >"$tmp/regressions.log" 2>&1) || {
    echo "a regression input fails:"; tail -50 "$tmp/regressions.log"; status=1; }
[ $status -eq 0 ] && echo "OSS-Fuzz build contract: ok"
exit $status
