#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The CLI's contract: --help on stdout with exit 0; options belong to their
# subcommand; bad numbers and bad input exit 2 with a located message
# (FILE:LINE); a property failure exits 1; --json is one valid document.
# Usage: cli_test.sh GUPFUZZ GUPFUZZ_DEFECTS REPO
set -uo pipefail
gupfuzz=$1 defects=$2 repo=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
# expect STATUS STDOUT_PATTERN STDERR_PATTERN -- CMD...: exact exit status, both patterns found ('' = anything).
expect() {
    local want=$1 out_re=$2 err_re=$3
    shift 4
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    if [ "$got" -ne "$want" ] || { [ -n "$out_re" ] && ! grep -qE -e "$out_re" "$tmp/out"; } ||
       { [ -n "$err_re" ] && ! grep -qE -e "$err_re" "$tmp/err"; }; then
        echo "FAIL: ${*#"$gupfuzz"}: exit $got (want $want), stdout /$out_re/, stderr /$err_re/"
        head -5 "$tmp/out" "$tmp/err"
        status=1
    else
        echo "ok:   exit $got: ${*}"
    fi
}
scn=$repo/corpus/conformance/anon-then-fsdax.scn
expect 0 'Subcommands:' ''            -- "$gupfuzz" --help
expect 0 'Usage: .* run '  ''         -- "$gupfuzz" run --help
expect 0 '--max-pairs'  ''            -- "$gupfuzz" sweep --help
expect 2 '' 'subcommand is required'  -- "$gupfuzz"
expect 2 '' 'not expected: --max-pairs' -- "$gupfuzz" run --max-pairs 3 "$scn"
expect 2 '' 'not a count'             -- "$gupfuzz" sweep --max-pairs -1
expect 2 '' 'not a count'             -- "$gupfuzz" sweep --max-call-pages 12abc
expect 2 '' 'not in \{auto,text,bytes\}' -- "$gupfuzz" run --format words "$scn"
expect 2 '' 'requires|required'       -- "$gupfuzz" run
expect 2 '' 'cannot open'             -- "$gupfuzz" run "$tmp/no-such-file.scn"
printf 'config fs_dax=y\nvma 0x10000 anon\n' >"$tmp/bad.scn"
expect 2 '' "^$tmp/bad.scn:2: vma: "  -- "$gupfuzz" run "$tmp/bad.scn"
expect 0 '^== .*anon-then-fsdax.scn' '' -- "$gupfuzz" run "$scn"
expect 0 'ok \(text\)' ''             -- "$gupfuzz" check "$scn"
expect 0 'ok \(bytes\)' ''            -- "$gupfuzz" check "$repo/corpus/regressions/p8-ram-exhausted.bin"
expect 0 'ok \(text\)' ''             -- "$gupfuzz" check --format text "$repo/corpus/regressions/p8-ram-exhausted.scn"
expect 2 '' 'needs the gupfuzz-defects binary' -- "$gupfuzz" run --defect rollback_short "$scn"
expect 2 '' "unknown defect 'no_such'" -- "$defects" run --defect no_such "$scn"
expect 1 'FAIL rc=-EOPNOTSUPP P4'  '' -- "$defects" run --quiet --defect rollback_short "$scn"
# --json: one document, fields a script can read.
run_json() {  # STATUS FILTER CMD...
    local want=$1 filter=$2
    shift 2
    "$@" >"$tmp/json" 2>"$tmp/err"
    local got=$?
    if [ "$got" -ne "$want" ] || ! jq -e "$filter" "$tmp/json" >/dev/null 2>&1; then
        echo "FAIL: $*: exit $got (want $want), JSON filter $filter"; head -c 2000 "$tmp/json"; status=1
    else
        echo "ok:   exit $got, $filter: $*"
    fi
}
run_json 0 '.status == 0 and .results[0].format == "text" and .results[0].verdict.verdict == "PASS"
            and .results[0].verdict.rc_name == "-EOPNOTSUPP" and .results[0].verdict.failures == []' \
    "$gupfuzz" run --json "$scn"
run_json 1 '.status == 1 and .results[0].verdict.passed == false
            and ([.results[0].verdict.failures[].property] | index("P4") != null)' \
    "$defects" run --json --defect rollback_short "$scn"
run_json 2 '.status == 2 and (.results[0].error | startswith("'"$tmp"'/bad.scn:2: ")) and .results[1].verdict.passed' \
    "$gupfuzz" run --json "$tmp/bad.scn" "$scn"
run_json 0 '.results[0].format == "bytes" and (.results[0].text | startswith("config "))' \
    "$gupfuzz" show --json "$repo/corpus/regressions/p8-ram-exhausted.bin"
run_json 0 '.command == "sweep" and .scenarios == 1 and .single_runs > 0 and .failures == []' \
    "$gupfuzz" sweep --json --no-pairs --save "$tmp/sweep" "$scn"
exit $status
