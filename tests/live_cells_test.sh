#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A few cells of corpus/conformance-6.12 (and tests/live_cells) built and pinned for real on this
# host (gupfuzz live, docs/live.md): each host-buildable cell must agree with
# the simulated 6.12, and a cell the host cannot build must say why.  Exits 77
# (ctest SKIP_RETURN_CODE) with the reason when the host lacks io_uring or
# O_DIRECT, as in many containers.
# Usage: live_cells_test.sh GUPFUZZ REPO
set -uo pipefail
gupfuzz=$1 repo=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
probe=$("$gupfuzz" live --probe 2>&1)
rc=$?
if [ $rc -eq 3 ]; then
    echo "SKIP: this host cannot referee:"
    grep -E 'UNAVAILABLE' <<<"$probe"
    exit 77
elif [ $rc -ne 0 ]; then
    echo "FAIL: gupfuzz live --probe exited $rc"; echo "$probe"; exit 1
fi
echo "$probe"
c=$repo/corpus/conformance-6.12
cells=(gl-memfd-shared-rw-pin gl-memfd-private-rw-fast gl-file-shared-rw-fast gl-file-private-rw-pin
       anon-private-rw-pin anon-then-hole-partial readonly-vma-write-efault file-shared-rw-short-term)
files=()
for cell in "${cells[@]}"; do files+=("$c/$cell.scn"); done
# tests/live_cells: what the gup_longterm matrix does not reach (COW unsharing for pins, io_uring's 1 GiB limit).
for f in "$repo"/tests/live_cells/*.scn; do cells+=("$(basename "$f" .scn)"); files+=("$f"); done
"$gupfuzz" live --quiet --save "$tmp/out" "${files[@]}" "$c/fsdax-longterm-pin.scn" >"$tmp/log" 2>&1
rc=$?
cat "$tmp/log"
status=0
[ $rc -eq 0 ] || { echo "FAIL: gupfuzz live exited $rc (0 = no disagreement)"; status=1; }
for f in "${files[@]}"; do
    grep -qxF "$f: AGREE" "$tmp/log" || { echo "FAIL: $f did not agree"; status=1; }
done
grep -qF "$c/fsdax-longterm-pin.scn: NOT COMPARABLE: file 0 is fsdax: no DAX filesystem on this host" "$tmp/log" ||
    { echo "FAIL: the fsdax cell does not say why it is not comparable"; status=1; }
grep -qE "^live: ${#cells[@]} passed, 0 failed, 1 skipped$" "$tmp/log" || { echo "FAIL: the closing count"; status=1; }
[ $status -eq 0 ] && echo "live cells: ${#cells[@]} agree, 1 not comparable with its reason"

# The same cells on the simulated Linux 6.1 (gupfuzz live --kernel 6.1), where the
# kernel is linked: all agree but the writable longterm pin of the shared ext4
# mapping, which 6.1 takes (writable_file_mapping_allowed is v6.5's) and the newer
# host refuses -- a kernel-version difference that must show, not pass.
if "$gupfuzz" live --kernel 6.1 --quiet "$c/anon-private-rw-pin.scn" >/dev/null 2>&1; then
    "$gupfuzz" live --kernel 6.1 --quiet --save "$tmp/out61" "${files[@]}" >"$tmp/log61" 2>&1
    rc=$?
    cat "$tmp/log61"
    [ $rc -eq 1 ] || { echo "FAIL: gupfuzz live --kernel 6.1 exited $rc (1 = the known disagreement)"; status=1; }
    for f in "${files[@]}"; do
        want=AGREE
        [ "$f" = "$c/gl-file-shared-rw-fast.scn" ] && want="DISAGREE: verdict: host -EFAULT, simulated 0 (success)"
        grep -qxF "$f: $want" "$tmp/log61" || { echo "FAIL: on 6.1, $f is not '$want'"; status=1; }
    done
    [ $status -eq 0 ] && echo "live cells on 6.1: $(( ${#cells[@]} - 1 )) agree, the writable ext4 longterm pin differs (v6.5)"
else
    echo "live cells on 6.1: not run (this build does not link Linux 6.1's mm/gup.c)"
fi
exit $status
