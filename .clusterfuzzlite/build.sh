#!/bin/bash -eu
# SPDX-License-Identifier: GPL-2.0-only
# OSS-Fuzz / ClusterFuzzLite build script.  Contract: compile with $CC $CXX
# $CFLAGS $CXXFLAGS, link the engine through $LIB_FUZZING_ENGINE, read sources
# from $SRC/gupfuzz, put targets, <target>_seed_corpus.zip, <target>.dict and
# <target>.options into $OUT.  Our project library is static; nothing in $OUT
# needs files outside it.  tests/ossfuzz_build_test.sh runs this script with
# Debian clang exactly as OSS-Fuzz would.
set -eu  # also when run as `bash build.sh`, which ignores the #! line's flags
src="$SRC/gupfuzz"
work="${WORK:-$(mktemp -d)}"

# 1. The seed-corpus converter (gupfuzz encode), built without instrumentation.
(
    unset CFLAGS CXXFLAGS
    export AFL_NOOPT=1
    cmake -S "$src" -B "$work/host" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX" \
        -DGUPFUZZ_SANITIZE=OFF -DGUPFUZZ_TESTS=OFF -DGUPFUZZ_FUZZERS=OFF >/dev/null
    cmake --build "$work/host" --target gupfuzz
)

# 2. The fuzz targets, with OSS-Fuzz's flags and engine.  An empty build type
# adds nothing after $CFLAGS/$CXXFLAGS (Release would append -O3 -DNDEBUG), and
# warnings stay warnings (CMAKE_COMPILE_WARNING_AS_ERROR is off outside our
# presets), so a newer OSS-Fuzz clang cannot break the build with a new warning.
cmake -S "$src" -B "$work/fuzz" -G Ninja -DCMAKE_BUILD_TYPE= \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
    -DGUPFUZZ_SANITIZE=OFF -DGUPFUZZ_TESTS=OFF -DGUPFUZZ_FUZZERS=ON \
    -DGUPFUZZ_FUZZ_INSTRUMENT=OFF -DGUPFUZZ_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" >/dev/null
cmake --build "$work/fuzz" --target gup_longterm_fuzzer scenario_text_fuzzer

for target in gup_longterm_fuzzer scenario_text_fuzzer; do
    cp "$work/fuzz/fuzz/$target" "$OUT/"
    cp "$src/fuzz/$target.dict" "$src/fuzz/$target.options" "$OUT/"
done

# 3. Seed corpora, generated from the committed text scenarios.
"$src/ci/seeds" "$work/host/gupfuzz" "$work/seeds"
for target in gup_longterm_fuzzer scenario_text_fuzzer; do
    rm -f "$OUT/${target}_seed_corpus.zip"
    (cd "$work/seeds/$target" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
