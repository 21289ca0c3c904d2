/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Force-included (-include) before gup.c. It carries mm/internal.h's include
 * guard, so gup.c's own `#include "internal.h"` opens the tree's real file
 * and finds it already "included": gup.c compiles in place, unmodified, from
 * any tree (tools/testing/vma/vma_internal.h does the same for mm/vma.c).
 */
#ifndef __MM_INTERNAL_H
#define __MM_INTERNAL_H
#include <shim/shim.h>
#endif
