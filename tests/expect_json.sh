#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs CMD and passes only when it exits with exactly STATUS and its standard
# output (one JSON document, `--json`) satisfies the jq FILTER.
# Usage: expect_json.sh STATUS FILTER CMD...
set -uo pipefail
want=$1 filter=$2
shift 2
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" >"$out"
got=$?
if [ "$got" -ne "$want" ]; then
    echo "exit status $got, expected $want: $*"; head -c 4000 "$out"; exit 1
fi
if ! jq -e "$filter" "$out" >/dev/null; then
    echo "the JSON output does not satisfy: $filter"; head -c 4000 "$out"; exit 1
fi
echo "ok: exit $got and $filter"
