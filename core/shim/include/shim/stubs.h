/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * NO-OP STUBS (class d of shim-6.12.md §3): kernel constructs that have no
 * effect a single-threaded simulated kernel can observe. Each names what it
 * stands for and why nothing is lost.
 */
#ifndef SHIM_STUBS_H
#define SHIM_STUBS_H

/* include/linux/lockdep.h:555,580: lockdep is off in Debian's config */
#define might_lock_read(lock) do { (void)(lock); } while (0)
#define lockdep_assert_irqs_disabled() do { } while (0)
#define lockdep_assert_held(l) do { (void)(l); } while (0)
/* include/linux/kcsan-checks.h: KCSAN is off */
#define ASSERT_EXCLUSIVE_BITS(var, mask) do { (void)(var); } while (0)
/* include/linux/kernel.h: might_sleep() only debugs atomic-context sleeps */
#define might_sleep() do { } while (0)
/* include/linux/highmem.h:186, asm-generic/cacheflush.h:51: x86 caches are coherent */
#define flush_anon_page(vma, page, vmaddr) do { (void)(vma); (void)(page); (void)(vmaddr); } while (0)
#define flush_dcache_page(page) do { (void)(page); } while (0)
/* arch/x86/include/asm/pgtable.h:1567: update_mmu_cache is empty on x86 */
#define update_mmu_cache(vma, addr, ptep) do { (void)(vma); (void)(addr); (void)(ptep); } while (0)
/* arch/x86/include/asm/uaccess.h: stac/clac around user accesses (SMAP) */
#define __uaccess_begin() ((void)0)
#define __uaccess_end() ((void)0)
/* include/linux/mmap_lock.h: the tracepoints around mmap_lock are not built */
#define __mmap_lock_trace_start_locking(mm, w) do { } while (0)
#define __mmap_lock_trace_acquire_returned(mm, w, s) do { } while (0)
#define __mmap_lock_trace_released(mm, w) do { } while (0)
/* include/linux/hugetlb.h: the HVO fake-head key stays off (the model never
 * remaps the vmemmap), shim-6.12.md §2 */
#define shim_hugetlb_optimize_vmemmap_enabled() false

#endif /* SHIM_STUBS_H */
