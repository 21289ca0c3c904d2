/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The userspace shim under which the real, unmodified mm/gup.c compiles, in
 * the style of the kernel's tools/testing/vma. Every header gup.c includes
 * (<linux/mm.h>, <asm/mmu_context.h>, ... and mm/internal.h, force-included
 * with the kernel's include guard) reaches this one file, which is split by
 * what each part is:
 *
 *   generated/autoconf.h   the distribution's config, generated at build time
 *   shim/config.h          harness switches (CONFIG_DEBUG_VM)
 *   shim/dup_base.h        DUPLICATED: compiler, types, errors, bugs, atomics, lists
 *   shim/dup_types.h       DUPLICATED: constants, enums, struct layouts
 *   shim/backed.h          TO BE BACKED by the simulated kernel (extern only)
 *   shim/stubs.h           NO-OP STUBS
 *   shim/dup_pgtable.h     DUPLICATED: x86-64 page-table accessors and walkers
 *   shim/dup_mm.h          DUPLICATED: folio, refcount, vma, lock, file helpers
 *   shim/dup_internal.h    DUPLICATED: the mm/internal.h helpers gup.c uses
 *   shim/gup_api.h         DUPLICATED: the prototypes of gup.c's own functions
 *
 * SHIM_KV selects the kernel generation (612 = Linux 6.12); version
 * differences live here, never in kernel files. See docs/kernel-shim.md.
 */
#ifndef SHIM_SHIM_H
#define SHIM_SHIM_H

#ifndef SHIM_KV
#error "compile with -DSHIM_KV=612 (the kernel generation the shim presents)"
#endif

#include <generated/autoconf.h>
#include <shim/config.h>
#include <shim/dup_base.h>
#include <shim/dup_types.h>
#include <shim/backed.h>
#include <shim/stubs.h>
#include <shim/dup_pgtable.h>
#include <shim/dup_mm.h>
#include <shim/dup_internal.h>
#include <shim/gup_api.h>
#if SHIM_KV < 612
#include <shim/dup_v601.h>
#endif

#endif /* SHIM_SHIM_H */
