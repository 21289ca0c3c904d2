#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# core/shim/link-variant.sh: one compiled gup.c with its own copy of the C
# glue, as one object whose only global symbol is the variant's entry table.
#
#   core/shim/link-variant.sh --name NAME [--ld LD] [--objcopy OBJCOPY] -o OUT GUP.O GLUE.O TRAMPOLINE.O
#
# `ld -r` links the objects into one relocatable object (the glue's
# definitions satisfy gup.o's references inside it); objcopy then localizes
# every defined global symbol but the table glue.c defines as `g612_variant`
# (core/kernel612/glue_entry.h), which it renames g612_variant_NAME. The
# variants of one binary (the tree as shipped, each deliberate defect) thus
# never see each other's gup.c or glue, and the harness reaches each only
# through its table. Undefined symbols (the model's gm_* functions, libc, the
# sanitizer runtimes) stay undefined. Where the compiler registers ASan's
# globals per ELF section, its flag ___asan_globals_registered is one symbol
# shared by every module of the binary; it stays global so that a variant does
# not register the whole section again (clang 14 in the test build registers
# globals per module and emits no such flag). Exit 1 when the result exports
# anything but the one table.
set -euo pipefail
me=core/shim/link-variant.sh
die() { echo "$me: error: $*" >&2; exit 2; }
name="" ld=ld objcopy=objcopy nm=nm out="" objs=()
while [ $# -gt 0 ]; do
    case "$1" in
        --name) name=$2; shift 2 ;;
        --ld) ld=$2; shift 2 ;;
        --objcopy) objcopy=$2; shift 2 ;;
        --nm) nm=$2; shift 2 ;;
        -o) out=$2; shift 2 ;;
        -*) die "unknown option '$1'" ;;
        *) objs+=("$1"); shift ;;
    esac
done
[[ "$name" =~ ^[a-z][a-z0-9_]*$ ]] || die "--name must be lower case, digits and underscores (not '$name')"
[ -n "$out" ] || die "-o OUT is required"
[ ${#objs[@]} -gt 0 ] || die "no objects to link"
for o in "${objs[@]}"; do [ -r "$o" ] || die "$o is not readable"; done

table=g612_variant_$name
"$ld" -r -o "$out.tmp" "${objs[@]}"
"$objcopy" --keep-global-symbol=g612_variant --keep-global-symbol=___asan_globals_registered "$out.tmp"
"$objcopy" --redefine-sym "g612_variant=$table" "$out.tmp"
# The result exports the table and nothing else of the kernel's or the glue's.
exported=$("$nm" -g --defined-only "$out.tmp" | awk '{ print $NF }' | grep -v '^___asan_globals_registered$' || true)
if [ "$exported" != "$table" ]; then
    echo "$me: $out must export only $table, but exports:" >&2
    echo "$exported" | sed 's/^/    /' >&2
    rm -f "$out.tmp"
    exit 1
fi
mv "$out.tmp" "$out"
