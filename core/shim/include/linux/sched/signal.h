/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Shim for <linux/sched/signal.h>: gup.c includes it by this name. Everything the shim
 * provides is in <shim/shim.h>, split there into what is duplicated from the
 * kernel, what is a no-op stub and what the simulated kernel must back.
 */
#include <shim/shim.h>
