#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The live cells skip, with the reason, where the host cannot referee: here
# O_DIRECT is taken away by pointing TMPDIR at a tmpfs (whose O_DIRECT copies
# instead of pinning), so tests/live_cells_test.sh must exit 77 and say why.
# Usage: live_skip_test.sh GUPFUZZ REPO
set -uo pipefail
gupfuzz=$1 repo=$2
shm=/dev/shm
if [ "$(stat -f -c %T "$shm" 2>/dev/null)" != tmpfs ]; then
    echo "SKIP: $shm is not a tmpfs here, so O_DIRECT cannot be taken away this way"
    exit 77
fi
dir=$(mktemp -d "$shm/gupfuzz-live-skip-XXXXXX")
trap 'rm -rf "$dir"' EXIT
out=$(TMPDIR=$dir bash "$repo/tests/live_cells_test.sh" "$gupfuzz" "$repo" 2>&1)
rc=$?
echo "$out"
if [ $rc -ne 77 ]; then
    echo "FAIL: live_cells_test.sh exited $rc without O_DIRECT (want 77, skipped)"
    exit 1
fi
if ! grep -q "^SKIP: this host cannot referee:" <<<"$out" || ! grep -q "^O_DIRECT: UNAVAILABLE: .*tmpfs" <<<"$out"; then
    echo "FAIL: the skip does not print its reason"
    exit 1
fi
echo "ok: skipped with the reason"
