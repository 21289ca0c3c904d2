#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The sweep on the real 6.1 mm/gup.c (ctest sweep.kernel61): the cells of
# corpus/conformance-6.12 and the 6.12 sweep fixtures (tests/fixtures/sweep-6.12)
# as `kernel 6.1` (the rule ci/seeds follows for the
# k61- seeds; a cell naming a FOLL_* flag 6.1 lacks is dropped, with the
# reason printed) plus tests/fixtures/sweep-6.1, every allocation site failed
# alone and in ordered pairs, judged by the contract (oracle612.cpp, 6.1's
# known behaviours classified).  Passes when nothing fails, at least 70
# scenarios ran, pairs ran, the longterm path's sites (isolate_lru,
# migrate_pages) and the fault path's were injected, and only expand_stack
# (6.1's __get_user_pages uses vma_lookup: GUP never expands a stack) and
# device_migrate (no device-coherent memory in the model) were never injected.
#   sweep61.sh GUPFUZZ WORKDIR SOURCE_DIR
set -uo pipefail
gupfuzz=$1 work=$2 root=$3
rm -rf "$work"
mkdir -p "$work/scn"
for f in "$root"/corpus/conformance-6.12/*.scn "$root"/tests/fixtures/sweep-6.12/*.scn; do
    out=$work/scn/$(basename "$f")
    sed 's/^kernel 6\.12$/kernel 6.1/' "$f" >"$out"
    if ! why=$("$gupfuzz" check "$out" 2>&1); then
        echo "not a 6.1 scenario, left out: $why"
        rm "$out"
    fi
done
cp "$root"/tests/fixtures/sweep-6.1/*.scn "$work/scn/"
out=$("$gupfuzz" sweep --json --save "$work/out" "$work"/scn/*.scn 2>/dev/null)
rc=$?
jq -r '.kernels["6.1"] | "6.1: \(.scenarios) scenarios, \(.single_runs) single and \(.pair_runs) pair injections; injected alone: \(.injected); never injected: \(.never_injected)"' <<<"$out" || { echo "$out" | head -c 4000; exit 1; }
[ $rc -eq 0 ] || { echo "gupfuzz sweep exited $rc"; jq '.failures[:3]' <<<"$out" | head -c 6000; exit 1; }
jq -e '.kernels["6.1"] as $k | $k.scenarios >= 70 and $k.pair_runs > 0 and
       ($k.injected | has("isolate_lru") and has("migrate_pages") and has("anon_page") and has("pagecache_page")
        and has("thp_page") and has("huge_page") and has("swap_page") and has("cow_page")) and
       $k.never_injected == ["expand_stack", "device_migrate"] and (.failures | length) == 0' <<<"$out" >/dev/null ||
    { echo "the 6.1 sweep's figures are not the expected ones"; exit 1; }
echo "ok: the 6.1 sweep passes"
