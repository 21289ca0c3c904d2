/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Harness switches on top of the distribution's configuration
 * (<generated/autoconf.h>, made at build time by ci/kernel-tree from Debian's
 * linux-config package). Only what the harness chooses differently goes here.
 */
#ifndef SHIM_CONFIG_H
#define SHIM_CONFIG_H

/* CONFIG_DEBUG_VM: off in Debian. -DSHIM_DEBUG_VM makes sanity_check_pinned_pages
 * and the VM_BUG_ON/VM_WARN checks of gup.c live oracles (shim-6.12.md §4.5). */
#ifdef SHIM_DEBUG_VM
#define CONFIG_DEBUG_VM 1
#else
#undef CONFIG_DEBUG_VM
#endif

#endif /* SHIM_CONFIG_H */
