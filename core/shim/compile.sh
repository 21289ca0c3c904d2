#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/shim/compile.sh: compile a kernel tree's unmodified mm/gup.c against the
# shim (core/shim/include) into an object.
#
#   core/shim/compile.sh --kernel-dir DIR --kv 612 -o OBJ [--cc CLANG] [--syntax-only]
#   core/shim/compile.sh --kernel-dir DIR --kv 612 --glue SRC -o OBJ [--cc CLANG]
#   --instrument "FLAGS": instrumentation added after the kernel's flags (the
#   build's -fsanitize=address and, for fuzzing, -fsanitize=fuzzer-no-link, so
#   that the code under test is checked like KASAN would and gives libFuzzer its
#   coverage); never -D/-I/-include: the file still compiles exactly as shipped.
#   --wflags "FLAGS": warning options a deliberately patched copy needs (a
#   defect patch's `Cflags:` line, docs/defects.md); only -Wno-* is accepted.
#
# DIR is what ci/kernel-tree prepared (DIR/tree.info names the tree;
# DIR/generated/autoconf.h is its config). The file is compiled where it sits,
# exactly as shipped: C, gnu11, the kernel's warning and semantics flags
# (docs/kernel-shim.md), -O2 (6.12's BUILD_BUG_ONs need the optimiser; never
# -O0). On success it writes OBJ and OBJ.sha256, the sha256 of the bytes that
# were compiled (read before and after the compiler ran: a file that changes
# meanwhile is an error). When the tree does not compile against the shim, it
# names each symbol the shim lacks and the shim header to extend, then shows
# the compiler's own messages, and exits 1. Usage errors exit 2.
#
# --glue SRC compiles SRC (a generation's C glue, core/kernel612/glue.c) with
# exactly the same flags and config instead of the tree's gup.c, so the glue
# sees the struct layouts gup.c sees; no sha256 is recorded for it.
set -euo pipefail
me=core/shim/compile.sh
die() { echo "$me: error: $*" >&2; exit 2; }
shim=$(cd "$(dirname "$0")" && pwd)

kdir="" kv="" obj="" cc=${CC_CLANG:-clang} syntax_only=0 glue="" instrument="" wflags=""
while [ $# -gt 0 ]; do
    case "$1" in
        --kernel-dir) kdir=$2; shift 2 ;;
        --kv) kv=$2; shift 2 ;;
        -o) obj=$2; shift 2 ;;
        --cc) cc=$2; shift 2 ;;
        --syntax-only) syntax_only=1; shift ;;
        --glue) glue=$2; shift 2 ;;
        --instrument) instrument=$2; shift 2 ;;
        --wflags) wflags=$2; shift 2 ;;
        *) die "unknown argument '$1'" ;;
    esac
done
[ -n "$kdir" ] || die "--kernel-dir DIR is required (made by ci/kernel-tree)"
[ -n "$kv" ] || die "--kv is required (612)"
[[ "$kv" =~ ^[0-9]+$ ]] || die "--kv must be a number like 612 (not '$kv')"
ver=$((kv / 100)).$((kv % 100))
[ -n "$obj" ] || [ "$syntax_only" = 1 ] || die "-o OBJ is required"
[ -f "$kdir/tree.info" ] || die "$kdir/tree.info is missing: run ci/kernel-tree --out $kdir first"
[ -f "$kdir/generated/autoconf.h" ] || die "$kdir/generated/autoconf.h is missing: run ci/kernel-tree --out $kdir first"
tree=$(sed -n 's/^tree=//p' "$kdir/tree.info")
src=$tree/mm/gup.c
[ -z "$glue" ] || src=$glue
[ -r "$src" ] || die "$src is not readable"

resdir=$("$cc" -print-resource-dir) || die "$cc does not run"
flags=(
    -std=gnu11 -DSHIM_KV="$kv"
    # only the compiler's own headers: glibc's types differ from the kernel's
    -nostdinc -isystem "$resdir/include"
    # the shim's mm/internal.h carries the real one's include guard
    -include "$shim/mm/internal.h"
    -I "$shim/include" -I "$kdir"
    # warnings as the kernel treats them (scripts/Makefile.extrawarn, Makefile)
    -Wall -Werror=implicit-function-declaration -Werror=strict-prototypes
    -Werror=return-type -Werror=implicit-int -Werror=incompatible-pointer-types
    -Werror
    # the kernel's semantics (Makefile:574-1020)
    -fno-strict-aliasing -fno-delete-null-pointer-checks -fno-strict-overflow
    -funsigned-char -fno-common
    -O2 -g -ferror-limit=0
)

# Instrumentation only: flags that change what the file means are refused.
read -r -a extra <<<"$instrument"
for f in "${extra[@]}"; do
    case "$f" in
        -fsanitize=*|-fsanitize-*|-fno-sanitize*|-fno-omit-frame-pointer|-gline-tables-only|-g|-O[0-3s]|-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION) ;;
        *) die "--instrument: '$f' is not an instrumentation flag (allowed: -fsanitize*, -O*, -g*, -fno-omit-frame-pointer)" ;;
    esac
done
flags+=("${extra[@]}")
read -r -a wextra <<<"$wflags"
for f in "${wextra[@]}"; do
    case "$f" in
        -Wno-*) ;;
        *) die "--wflags: '$f' is not a warning suppression (allowed: -Wno-*)" ;;
    esac
done
flags+=("${wextra[@]}")

sha_before=$(sha256sum "$src" | cut -d' ' -f1)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if [ "$syntax_only" = 1 ]; then
    cmd=("$cc" "${flags[@]}" -fsyntax-only "$src")
else
    mkdir -p "$(dirname "$obj")"
    cmd=("$cc" "${flags[@]}" -c "$src" -o "$obj.tmp")
fi
if ! "${cmd[@]}" 2>"$log"; then
    echo "$me: $src does not compile against the shim (core/shim, SHIM_KV=$kv)." >&2
    # One line per symbol the shim lacks, with the header to extend.
    sed -nE \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: (implicit declaration of function|call to undeclared function) '([^']+)'.*/\1 function \3/p" \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: use of undeclared identifier '([^']+)'.*/\1 identifier \2/p" \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: unknown type name '([^']+)'.*/\1 type \2/p" \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: no member named '([^']+)' in '([^']+)'.*/\1 member \3.\2/p" \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: (variable has )?incomplete (definition of )?type '([^']+)'.*/\1 incomplete \4/p" \
        -e "s/^([^ :]+:[0-9]+):[0-9]+: error: conflicting types for '([^']+)'.*/\1 conflict \2/p" \
        "$log" | sort -u -k3,3 -k2,2 | while read -r where kind name; do
        case "$kind:$name" in
            conflict:*) kind=prototype; hint="the kernel changed the prototype of $name: update core/shim/include/shim/gup_api.h (or shim/backed.h) to the tree's declaration" ;;
            member:*|incomplete:*) hint="add the member/struct to core/shim/include/shim/dup_types.h, in the kernel's order" ;;
            *:pte_*|*:pmd_*|*:pud_*|*:p4d_*|*:pgd_*|*:ptep_*|*:pmdp_*|*:pudp_*|*:_PAGE_*|*:PTRS_PER_*|*:P?D_*)
                hint="page-table helper: port it into core/shim/include/shim/dup_pgtable.h" ;;
            *:FOLL_*|*:FAULT_FLAG_*|*:VM_*|*:MMF_*|*:__GFP_*|*:GFP_*|*:MR_*|*:MIGRATE_*|*:NR_*|*:PG_*|type:*)
                hint="constant or type: port it into core/shim/include/shim/dup_types.h" ;;
            *) hint="if it is a kernel inline or macro, port it into core/shim/include/shim/dup_mm.h (dup_internal.h for mm/internal.h); if it is an out-of-line kernel function or object, declare it in core/shim/include/shim/backed.h and list it in core/shim/undefined-$ver.txt for the simulated kernel to implement" ;;
        esac
        echo "$me: $where: missing $kind '$name': $hint" >&2
    done
    echo "$me: the compiler said:" >&2
    grep -E 'error:' "$log" | head -20 >&2 || true
    grep -qE 'error:' "$log" || head -20 "$log" >&2
    echo "$me: see docs/kernel-shim.md (\"Extending the shim\")" >&2
    exit 1
fi
cat "$log" >&2
sha_after=$(sha256sum "$src" | cut -d' ' -f1)
[ "$sha_before" = "$sha_after" ] || die "$src changed while it was compiled ($sha_before -> $sha_after)"
if [ "$syntax_only" = 0 ]; then
    mv "$obj.tmp" "$obj"
    [ -n "$glue" ] || echo "$sha_before  $src" >"$obj.sha256"
fi
