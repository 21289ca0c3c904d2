#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every fuzz/NAME.dict loads into its target NAME: libFuzzer parses the whole
# dictionary (it stops at the first entry it cannot parse) and then executes
# the runs asked for.  Uses the targets tests/ossfuzz_build_test.sh built into
# OUT (the ossfuzz.build_sh fixture), so there is no second fuzz build.
# Usage: fuzz_dict_test.sh REPO OUT [RUNS]
set -euo pipefail
repo=$(cd "$1" && pwd)
out=$(cd "$2" && pwd)
runs=${3:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
dicts=("$repo"/fuzz/*.dict)
[ ${#dicts[@]} -gt 0 ] || { echo "no fuzz/*.dict"; exit 1; }
status=0
for dict in "${dicts[@]}"; do
    target=$(basename "$dict" .dict)
    if [ ! -x "$out/$target" ]; then
        echo "$target: no such fuzz target in $out (a dictionary without a target)"; status=1; continue
    fi
    # Entries: every line that is not blank and not a comment.
    entries=$(grep -cv '^[[:space:]]*\(#\|$\)' "$dict")
    log=$tmp/$target.log
    (cd "$tmp" && "$out/$target" -dict="$dict" -runs="$runs" -seed=1 -max_len=512 >"$log" 2>&1) || true
    got=$(grep -o 'Dictionary: [0-9]* entries' "$log" | grep -o '[0-9]*' || true)
    done_runs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' || true)
    if [ "$got" != "$entries" ]; then
        echo "$target: libFuzzer loaded ${got:-no} entries of the $entries in $(basename "$dict"):"
        grep -i 'dict\|error' "$log" | head -5
        status=1
    elif [ "$done_runs" != "$runs" ]; then
        echo "$target: executed ${done_runs:-no} runs, not $runs:"; tail -20 "$log"; status=1
    else
        echo "$target: $(basename "$dict"): $got entries loaded, $done_runs runs executed"
    fi
done
exit $status
