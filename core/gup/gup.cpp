// SPDX-License-Identifier: GPL-2.0-only
//
// Port of mm/gup.c, Linux v4.15 (2bb6d2837083 "mm: introduce
// get_user_pages_longterm" in its final kcalloc form).  Read it next to the
// kernel file: same functions, same order of checks, same gotos.  Citations
// are `file:line v4.15`.  Comments are ours; the logic is the kernel's.
#include "core/gup/gup.h"

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

// mm/gup.c:23 v4.15
static page* no_page_table(vm_area_struct* vma, unsigned int flags)
{
    // A core dump of an untouched hole must not allocate: report it as an
    // error instead of asking for a fault, where a fault would only zero-fill.
    if ((flags & FOLL_DUMP) && (!vma->vm_ops || !vma->vm_ops->fault))
        return ERR_PTR<page>(-EFAULT);
    return nullptr;
}

// mm/gup.c:39 v4.15
static int follow_pfn_pte(vm_area_struct* vma, unsigned long address, pte_t* pte, unsigned int flags)
{
    // There is no struct page to take a reference on.
    if (flags & FOLL_GET)
        return -EFAULT;

    if (flags & FOLL_TOUCH) {
        pte_t entry = *pte;

        if (flags & FOLL_WRITE)
            entry = pte_mkdirty(entry);
        entry = pte_mkyoung(entry);

        if (!pte_same(*pte, entry))
            set_pte_at(vma->vm_mm, address, pte, entry);
    }

    // A valid entry with no struct page behind it.
    return -EEXIST;
}

// mm/gup.c:67 v4.15: a forced write may use an unwritable pte only after a
// COW cycle left it dirty (the Dirty COW rule).
static inline bool can_follow_write_pte(pte_t pte, unsigned int flags)
{
    return pte_write(pte) || ((flags & FOLL_FORCE) && (flags & FOLL_COW) && pte_dirty(pte));
}

// mm/gup.c:73 v4.15
static page* follow_page_pte(vm_area_struct* vma, unsigned long address, pmd_t* pmd, unsigned int flags)
{
    mm_struct* mm = vma->vm_mm;
    dev_pagemap* pgmap = nullptr;
    page* pg;
    spinlock_t* ptl;
    pte_t *ptep, pte;

retry:
    if (pmd_bad(*pmd))
        return no_page_table(vma, flags);

    ptep = pte_offset_map_lock(mm, pmd, address, &ptl);
    pte = *ptep;
    if (!pte_present(pte)) {
        swp_entry_t entry;
        // Only KSM's break_ksm() passes FOLL_MIGRATION and waits here.
        if (!(flags & FOLL_MIGRATION))
            goto no_page;
        if (pte_none(pte))
            goto no_page;
        entry = pte_to_swp_entry(pte);
        if (!is_migration_entry(entry))
            goto no_page;
        pte_unmap_unlock(ptep, ptl);
        migration_entry_wait(mm, pmd, address);
        goto retry;
    }
    if ((flags & FOLL_NUMA) && pte_protnone(pte))
        goto no_page;
    if ((flags & FOLL_WRITE) && !can_follow_write_pte(pte, flags)) {
        pte_unmap_unlock(ptep, ptl);
        return nullptr;
    }

    pg = vm_normal_page(vma, address, pte);
    if (!pg && pte_devmap(pte) && (flags & FOLL_GET)) {
        // Device pages are returned only with FOLL_GET: they stay valid only
        // while a pgmap reference is held.
        pgmap = get_dev_pagemap(pte_pfn(pte), nullptr);
        if (pgmap)
            pg = pte_page(pte);
        else
            goto no_page;
    } else if (!pg) {
        if (flags & FOLL_DUMP) {
            // Keep special pages (the zero page among them) out of core dumps.
            pg = ERR_PTR<page>(-EFAULT);
            goto out;
        }

        if (is_zero_pfn(pte_pfn(pte))) {
            pg = pte_page(pte);
        } else {
            int ret;

            ret = follow_pfn_pte(vma, address, ptep, flags);
            pg = ERR_PTR<page>(ret);
            goto out;
        }
    }

    if ((flags & FOLL_SPLIT) && PageTransCompound(pg)) {
        int ret;
        get_page(pg);
        pte_unmap_unlock(ptep, ptl);
        lock_page(pg);
        ret = split_huge_page(pg);
        unlock_page(pg);
        put_page(pg);
        if (ret)
            return ERR_PTR<page>(ret);
        goto retry;
    }

    if (flags & FOLL_GET) {
        get_page(pg);

        // The page reference now keeps the device page alive.
        if (pgmap) {
            put_dev_pagemap(pgmap);
            pgmap = nullptr;
        }
    }
    if (flags & FOLL_TOUCH) {
        if ((flags & FOLL_WRITE) && !pte_dirty(pte) && !PageDirty(pg))
            set_page_dirty(pg);
        // mark_page_accessed rather than pte_mkyoung, to keep the dirty bit safe.
        mark_page_accessed(pg);
    }
    if ((flags & FOLL_MLOCK) && (vma->vm_flags & VM_LOCKED)) {
        // pte-mapped THP is not mlocked.
        if (PageTransCompound(pg))
            goto out;

        // Skip the zero page and pages someone else holds locked.
        if (pg->mapping && trylock_page(pg)) {
            lru_add_drain();
            mlock_vma_page(pg);
            unlock_page(pg);
        }
    }
out:
    pte_unmap_unlock(ptep, ptl);
    return pg;
no_page:
    pte_unmap_unlock(ptep, ptl);
    if (!pte_none(pte))
        return nullptr;
    return no_page_table(vma, flags);
}

// mm/hugetlb.c v4.15, follow_huge_pmd (the __weak generic version; GUP never reaches it
// because hugetlb vmas go to follow_hugetlb_page first).
static page* follow_huge_pmd(mm_struct* mm, unsigned long address, pmd_t* pmd, int flags)
{
    page* pg = nullptr;
    spinlock_t* ptl;
    pte_t pte;
retry:
    ptl = pmd_lock(mm, pmd);
    if (!pmd_huge(*pmd))
        goto out;
    pte = huge_ptep_get(reinterpret_cast<pte_t*>(pmd));
    if (pte_present(pte)) {
        pg = pmd_page(*pmd) + ((address & ~PMD_MASK) >> PAGE_SHIFT);
        if (flags & FOLL_GET)
            get_page(pg);
    } else {
        if (is_hugetlb_entry_migration(pte)) {
            spin_unlock(ptl);
            __migration_entry_wait(mm, reinterpret_cast<pte_t*>(pmd), ptl);
            goto retry;
        }
        // A hwpoisoned entry counts as no page table for the caller.
    }
out:
    spin_unlock(ptl);
    return pg;
}

// mm/hugetlb.c v4.15, follow_huge_pud (__weak, right after follow_huge_pmd): no reference can be taken this way.
static page* follow_huge_pud(mm_struct*, unsigned long address, pud_t* pud, int flags)
{
    if (flags & FOLL_GET)
        return nullptr;
    return pte_page(pte_t{pud_val(*pud)}) + ((address & ~PUD_MASK) >> PAGE_SHIFT);
}

// mm/gup.c:211 v4.15.  core/gup/fixes/pmd-loop-v4.19.patch turns it into the
// v4.19 form (scenario key pmd_loop_fix).
static page* follow_pmd_mask(vm_area_struct* vma, unsigned long address, pud_t* pudp, unsigned int flags,
                             unsigned int* page_mask)
{
    pmd_t* pmd;
    spinlock_t* ptl;
    page* pg;
    mm_struct* mm = vma->vm_mm;

    pmd = pmd_offset(pudp, address);
    if (pmd_none(*pmd))
        return no_page_table(vma, flags);
    if (pmd_huge(*pmd) && (vma->vm_flags & VM_HUGETLB)) {
        pg = follow_huge_pmd(mm, address, pmd, flags);
        if (pg)
            return pg;
        return no_page_table(vma, flags);
    }
    // is_hugepd() is always false on x86.
retry:
    if (!pmd_present(*pmd)) {
        if (!(flags & FOLL_MIGRATION))
            return no_page_table(vma, flags);
        // x86-64 supports THP migration: anything else here is a BUG.
        if (!is_pmd_migration_entry(*pmd))
            throw KernelBug("VM_BUG_ON(thp_migration_supported() && !is_pmd_migration_entry(*pmd)) in follow_pmd_mask");
        if (is_pmd_migration_entry(*pmd))
            pmd_migration_entry_wait(mm, pmd);
        goto retry;
    }
    if (pmd_devmap(*pmd)) {
        ptl = pmd_lock(mm, pmd);
        pg = follow_devmap_pmd(vma, address, pmd, flags);
        spin_unlock(ptl);
        if (pg)
            return pg;
    }
    if (!pmd_trans_huge(*pmd))
        return follow_page_pte(vma, address, pmd, flags);

    if ((flags & FOLL_NUMA) && pmd_protnone(*pmd))
        return no_page_table(vma, flags);

retry_locked:
    ptl = pmd_lock(mm, pmd);
    if (!pmd_present(*pmd)) {
        spin_unlock(ptl);
        if (!(flags & FOLL_MIGRATION))
            return no_page_table(vma, flags);
        pmd_migration_entry_wait(mm, pmd);
        goto retry_locked;
    }
    if (!pmd_trans_huge(*pmd)) {
        spin_unlock(ptl);
        return follow_page_pte(vma, address, pmd, flags);
    }
    if (flags & FOLL_SPLIT) {
        int ret;
        pg = pmd_page(*pmd);
        if (is_huge_zero_page(pg)) {
            spin_unlock(ptl);
            ret = 0;
            split_huge_pmd(vma, pmd, address);
            if (pmd_trans_unstable(pmd))
                ret = -EBUSY;
        } else {
            get_page(pg);
            spin_unlock(ptl);
            lock_page(pg);
            ret = split_huge_page(pg);
            unlock_page(pg);
            put_page(pg);
            if (pmd_none(*pmd))
                return no_page_table(vma, flags);
        }

        return ret ? ERR_PTR<page>(ret) : follow_page_pte(vma, address, pmd, flags);
    }
    pg = follow_trans_huge_pmd(vma, address, pmd, flags);
    spin_unlock(ptl);
    *page_mask = HPAGE_PMD_NR - 1;
    return pg;
}

// mm/gup.c:303 v4.15
static page* follow_pud_mask(vm_area_struct* vma, unsigned long address, p4d_t* p4dp, unsigned int flags,
                             unsigned int* page_mask)
{
    pud_t* pud;
    spinlock_t* ptl;
    page* pg;
    mm_struct* mm = vma->vm_mm;

    pud = pud_offset(p4dp, address);
    if (pud_none(*pud))
        return no_page_table(vma, flags);
    if (pud_huge(*pud) && (vma->vm_flags & VM_HUGETLB)) {
        pg = follow_huge_pud(mm, address, pud, flags);
        if (pg)
            return pg;
        return no_page_table(vma, flags);
    }
    // is_hugepd() is always false on x86.
    if (pud_devmap(*pud)) {
        ptl = pud_lock(mm, pud);
        pg = follow_devmap_pud(vma, address, pud, flags);
        spin_unlock(ptl);
        if (pg)
            return pg;
    }
    if (pud_bad(*pud))
        return no_page_table(vma, flags);

    return follow_pmd_mask(vma, address, pud, flags, page_mask);
}

// mm/gup.c:343 v4.15
static page* follow_p4d_mask(vm_area_struct* vma, unsigned long address, pgd_t* pgdp, unsigned int flags,
                             unsigned int* page_mask)
{
    p4d_t* p4d;

    p4d = p4d_offset(pgdp, address);
    if (p4d_none(*p4d))
        return no_page_table(vma, flags);
    // p4d_huge() is a BUILD_BUG_ON on x86.
    if (p4d_bad(*p4d))
        return no_page_table(vma, flags);
    // is_hugepd() is always false on x86.
    return follow_pud_mask(vma, address, p4d, flags, page_mask);
}

// mm/gup.c:381 v4.15: find the struct page mapped at a user address.
// Returns the page, NULL when a fault is needed, or an ERR_PTR when the
// mapping has no page descriptor.
page* follow_page_mask(vm_area_struct* vma, unsigned long address, unsigned int flags, unsigned int* page_mask)
{
    pgd_t* pgd;
    mm_struct* mm = vma->vm_mm;

    *page_mask = 0;

    // follow_huge_addr() is the __weak stub returning ERR_PTR(-EINVAL) on x86:
    // its result is always discarded, so it is not modelled.

    pgd = pgd_offset(mm, address);

    if (pgd_none(*pgd) || pgd_bad(*pgd))
        return no_page_table(vma, flags);

    // pgd_huge() and is_hugepd() are always false on x86.
    return follow_p4d_mask(vma, address, pgd, flags, page_mask);
}

// mm/gup.c:421 v4.15
static int get_gate_page(mm_struct* mm, unsigned long address, unsigned int gup_flags, vm_area_struct** vma,
                         page** pgp)
{
    pgd_t* pgd;
    p4d_t* p4d;
    pud_t* pud;
    pmd_t* pmd;
    pte_t* pte;
    int ret = -EFAULT;

    // The gate page is read-only for users.
    if (gup_flags & FOLL_WRITE)
        return -EFAULT;
    if (address > TASK_SIZE)
        pgd = pgd_offset_k(address);
    else
        pgd = pgd_offset(mm, address);  // pgd_offset_gate
    if (pgd_none(*pgd))
        throw KernelBug("BUG_ON(pgd_none(*pgd)) in get_gate_page (mm/gup.c v4.15)");
    p4d = p4d_offset(pgd, address);
    if (p4d_none(*p4d))
        throw KernelBug("BUG_ON(p4d_none(*p4d)) in get_gate_page (mm/gup.c v4.15)");
    pud = pud_offset(p4d, address);
    if (pud_none(*pud))
        throw KernelBug("BUG_ON(pud_none(*pud)) in get_gate_page (mm/gup.c v4.15)");
    pmd = pmd_offset(pud, address);
    if (!pmd_present(*pmd))
        return -EFAULT;
    if (pmd_trans_huge(*pmd))
        throw KernelBug("VM_BUG_ON(pmd_trans_huge(*pmd)) in get_gate_page");
    pte = pte_offset_map(pmd, address);
    if (pte_none(*pte))
        goto unmap;
    *vma = get_gate_vma(mm);
    if (!pgp)
        goto out;
    *pgp = vm_normal_page(*vma, address, *pte);
    if (!*pgp) {
        if ((gup_flags & FOLL_DUMP) || !is_zero_pfn(pte_pfn(*pte)))
            goto unmap;
        *pgp = pte_page(*pte);

        // A device public page in the gate area cannot happen.
        if (is_device_public_page(*pgp))
            goto unmap;
    }
    get_page(*pgp);
out:
    ret = 0;
unmap:
    pte_unmap(pte);
    return ret;
}

// mm/gup.c:480 v4.15.  mmap_sem is held on entry; with nonblocking != NULL
// and no FOLL_NOWAIT the fault handler may drop it (not on the longterm path).
static int faultin_page(task_struct* tsk, vm_area_struct* vma, unsigned long address, unsigned int* flags,
                        int* nonblocking)
{
    unsigned int fault_flags = 0;
    int ret;

    // Under FOLL_MLOCK without FOLL_POPULATE: mlock what is present, fault nothing.
    if ((*flags & (FOLL_POPULATE | FOLL_MLOCK)) == FOLL_MLOCK)
        return -ENOENT;
    if (*flags & FOLL_WRITE)
        fault_flags |= FAULT_FLAG_WRITE;
    if (*flags & FOLL_REMOTE)
        fault_flags |= FAULT_FLAG_REMOTE;
    if (nonblocking)
        fault_flags |= FAULT_FLAG_ALLOW_RETRY;
    if (*flags & FOLL_NOWAIT)
        fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT;
    if (*flags & FOLL_TRIED) {
        if (fault_flags & FAULT_FLAG_ALLOW_RETRY)
            warn_once("VM_WARN_ON_ONCE(fault_flags & FAULT_FLAG_ALLOW_RETRY) in faultin_page");
        fault_flags |= FAULT_FLAG_TRIED;
    }

    ret = handle_mm_fault(vma, address, fault_flags);
    if (ret & VM_FAULT_ERROR) {
        int err = vm_fault_to_errno(ret, static_cast<int>(*flags));

        if (err)
            return err;
        throw KernelBug("BUG() in faultin_page: VM_FAULT_ERROR with no errno (lone VM_FAULT_FALLBACK)");
    }

    if (tsk) {
        if (ret & VM_FAULT_MAJOR)
            tsk->maj_flt++;
        else
            tsk->min_flt++;
    }

    if (ret & VM_FAULT_RETRY) {
        if (nonblocking)
            *nonblocking = 0;
        return -EBUSY;
    }

    // VM_FAULT_WRITE: do_wp_page broke COW even if the pte stayed read-only
    // (no VM_WRITE), so later lookups may treat the page as written.  Only
    // then: looping for pte_write would be futile.
    if ((ret & VM_FAULT_WRITE) && !(vma->vm_flags & VM_WRITE))
        *flags |= FOLL_COW;
    return 0;
}

// mm/gup.c:538 v4.15 (no FOLL_ANON rule yet; that arrived in v4.17)
static int check_vma_flags(vm_area_struct* vma, unsigned long gup_flags)
{
    vm_flags_t vm_flags = vma->vm_flags;
    int write = (gup_flags & FOLL_WRITE);
    int foreign = (gup_flags & FOLL_REMOTE);

    if (vm_flags & (VM_IO | VM_PFNMAP))
        return -EFAULT;

    if (write) {
        if (!(vm_flags & VM_WRITE)) {
            if (!(gup_flags & FOLL_FORCE))
                return -EFAULT;
            // A forced write COWs only in a private mapping; anonymous pages
            // in a shared mapping would surprise everyone, so refuse.
            if (!is_cow_mapping(vm_flags))
                return -EFAULT;
        }
    } else if (!(vm_flags & VM_READ)) {
        if (!(gup_flags & FOLL_FORCE))
            return -EFAULT;
        // Can a vma without VM_MAYREAD even get here?
        if (!(vm_flags & VM_MAYREAD))
            return -EFAULT;
    }
    // GUP accesses are data accesses, never instruction fetches.
    if (!arch_vma_access_permitted(vma, write, false, foreign))
        return -EFAULT;
    return 0;
}

// mm/gup.c:638 v4.15: pin user pages.  Returns the number of pages handled
// (possibly fewer than asked), or -errno if none were.  Each page returned
// in pages[] carries one reference for the caller to put_page().
static long __get_user_pages(task_struct* tsk, mm_struct* mm, unsigned long start, unsigned long nr_pages,
                             unsigned int gup_flags, page** pages, vm_area_struct** vmas, int* nonblocking)
{
    long i = 0;
    unsigned int page_mask = 0;
    vm_area_struct* vma = nullptr;

    if (!nr_pages)
        return 0;

    if (!!pages != !!(gup_flags & FOLL_GET))
        throw KernelBug("VM_BUG_ON(!!pages != !!(gup_flags & FOLL_GET)) in __get_user_pages");

    // A forced access must not take NUMA hinting faults: the hinting
    // information would describe the tracer, not the task.
    if (!(gup_flags & FOLL_FORCE))
        gup_flags |= FOLL_NUMA;

    do {
        page* pg;
        unsigned int foll_flags = gup_flags;
        unsigned int page_increm;

        // First iteration, or the walk crossed the end of the vma.
        if (!vma || start >= vma->vm_end) {
            vma = find_extend_vma(mm, start);
            if (!vma && in_gate_area(mm, start)) {
                int ret;
                ret = get_gate_page(mm, start & PAGE_MASK, gup_flags, &vma, pages ? &pages[i] : nullptr);
                if (ret)
                    return i ? i : ret;
                page_mask = 0;
                goto next_page;
            }

            if (!vma || check_vma_flags(vma, gup_flags))
                return i ? i : -EFAULT;
            if (is_vm_hugetlb_page(vma)) {
                i = follow_hugetlb_page(mm, vma, pages, vmas, &start, &nr_pages, i, gup_flags, nonblocking);
                continue;
            }
        }
    retry:
        // With SIGKILL pending, stop faulting and allocating.
        if (fatal_signal_pending(get_current()))
            return i ? i : -ERESTARTSYS;
        cond_resched();
        pg = follow_page_mask(vma, start, foll_flags, &page_mask);
        if (!pg) {
            int ret;
            ret = faultin_page(tsk, vma, start, &foll_flags, nonblocking);
            switch (ret) {
            case 0:
                goto retry;
            case -EFAULT:
            case -ENOMEM:
            case -EHWPOISON:
                return i ? i : ret;
            case -EBUSY:
                return i;
            case -ENOENT:
                goto next_page;
            }
            throw KernelBug("BUG() in __get_user_pages: unexpected faultin_page() return");
        } else if (PTR_ERR(pg) == -EEXIST) {
            // A valid entry with no struct page behind it.
            goto next_page;
        } else if (IS_ERR(pg)) {
            return i ? i : PTR_ERR(pg);
        }
        if (pages) {
            pages[i] = pg;
            flush_anon_page(vma, pg, start);
            flush_dcache_page(pg);
            page_mask = 0;
        }
    next_page:
        if (vmas) {
            vmas[i] = vma;
            page_mask = 0;
        }
        page_increm = 1 + (~(start >> PAGE_SHIFT) & page_mask);
        if (page_increm > nr_pages)
            page_increm = static_cast<unsigned int>(nr_pages);
        i += page_increm;
        start += page_increm * PAGE_SIZE;
        nr_pages -= page_increm;
    } while (nr_pages);
    return i;
}

// mm/gup.c:845 v4.15.  With locked == NULL (the only way get_user_pages
// calls it) this is a single __get_user_pages call: the "bypass" below.
static long __get_user_pages_locked(task_struct* tsk, mm_struct* mm, unsigned long start,
                                    unsigned long nr_pages, page** pages, vm_area_struct** vmas, int* locked,
                                    bool notify_drop, unsigned int flags)
{
    long ret, pages_done;
    bool lock_dropped;

    if (locked) {
        // VM_FAULT_RETRY would leave vmas[] dangling.
        if (vmas)
            throw KernelBug("BUG_ON(vmas) in __get_user_pages_locked");
        if (*locked != 1)
            throw KernelBug("BUG_ON(*locked != 1) in __get_user_pages_locked");
    }

    if (pages)
        flags |= FOLL_GET;

    pages_done = 0;
    lock_dropped = false;
    for (;;) {
        ret = __get_user_pages(tsk, mm, start, nr_pages, flags, pages, vmas, locked);
        if (!locked)
            // VM_FAULT_RETRY could not happen: pass the result through.
            return ret;

        // A dropped lock means VM_FAULT_RETRY, which reports no error.
        if (!*locked) {
            if (ret < 0 || ret >= static_cast<long>(nr_pages))
                throw KernelBug("BUG_ON(ret < 0 || ret >= nr_pages) in __get_user_pages_locked");
        }

        if (!pages)
            // A prefault does not insist.
            return ret;

        if (ret > 0) {
            nr_pages -= ret;
            pages_done += ret;
            if (!nr_pages)
                break;
        }
        if (*locked) {
            // No VM_FAULT_RETRY, or a FOLL_NOWAIT one.
            if (!pages_done)
                pages_done = ret;
            break;
        }
        // VM_FAULT_RETRY: continue at the page that asked for it.
        pages += ret;
        start += ret << PAGE_SHIFT;

        // Retry that one page without FAULT_FLAG_ALLOW_RETRY, with FAULT_FLAG_TRIED.
        *locked = 1;
        lock_dropped = true;
        down_read(&mm->mmap_sem);
        ret = __get_user_pages(tsk, mm, start, 1, flags | FOLL_TRIED, pages, nullptr, nullptr);
        if (ret != 1) {
            if (ret > 1)
                throw KernelBug("BUG_ON(ret > 1) in __get_user_pages_locked");
            if (!pages_done)
                pages_done = ret;
            break;
        }
        nr_pages--;
        pages_done++;
        if (!nr_pages)
            break;
        pages++;
        start += PAGE_SIZE;
    }
    if (notify_drop && lock_dropped && *locked) {
        // The caller must learn that its critical section was broken.
        up_read(&mm->mmap_sem);
        *locked = 0;
    }
    return pages_done;
}

// mm/gup.c:1088 v4.15: the current task's mm, never FOLL_REMOTE, no locked.
long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, page** pages,
                    vm_area_struct** vmas)
{
    return __get_user_pages_locked(get_current(), get_current()->mm, start, nr_pages, pages, vmas, nullptr,
                                   false, gup_flags | FOLL_TOUCH);
}

// mm/gup.c:~1181 v4.15 (after get_user_pages_longterm): fault in, and mlock
// if VM_LOCKED, a range of one vma.  Reached from find_extend_vma when a
// VM_LOCKED stack grows.
long populate_vma_page_range(vm_area_struct* vma, unsigned long start, unsigned long end, int* nonblocking)
{
    mm_struct* mm = vma->vm_mm;
    unsigned long nr_pages = (end - start) / PAGE_SIZE;
    unsigned int gup_flags;

    if ((start & ~PAGE_MASK) || (end & ~PAGE_MASK) || start < vma->vm_start || end > vma->vm_end)
        throw KernelBug("VM_BUG_ON in populate_vma_page_range: range not page aligned or outside the vma");
    if (!mm->mmap_sem.readers && !mm->mmap_sem.writer)
        throw KernelBug("VM_BUG_ON_MM(!rwsem_is_locked(&mm->mmap_sem)) in populate_vma_page_range");

    gup_flags = FOLL_TOUCH | FOLL_POPULATE | FOLL_MLOCK;
    if (vma->vm_flags & VM_LOCKONFAULT)
        gup_flags &= ~FOLL_POPULATE;
    // Break COW in private writable mappings with a write fault; shared ones
    // do not COW, and dirtying them would be for nothing.
    if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
        gup_flags |= FOLL_WRITE;

    // mlock must succeed on any mapping that is not PROT_NONE.
    if (vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))
        gup_flags |= FOLL_FORCE;

    // addr lies inside the vma, so this cannot recurse into stack expansion.
    return __get_user_pages(get_current(), mm, start, nr_pages, gup_flags, nullptr, nullptr, nonblocking);
}

#ifdef CONFIG_FS_DAX
// mm/gup.c:1111 v4.15.
//
// get_user_pages() for callers that hold the references for a time the user
// controls (RDMA, V4L2).  Filesystem-DAX mappings are refused: their blocks
// belong to the filesystem, which has no way to revoke such a pin.
long get_user_pages_longterm(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
                             page** pages, vm_area_struct** vmas_arg)
{
    vm_area_struct** vmas = vmas_arg;
    vm_area_struct* vma_prev = nullptr;
    long rc, i;

    if (!pages)
        return -EINVAL;

    if (!vmas) {
        vmas = static_cast<vm_area_struct**>(kcalloc(nr_pages, sizeof(vm_area_struct*)));
        if (!vmas)
            return -ENOMEM;
    }

    rc = get_user_pages(start, nr_pages, gup_flags, pages, vmas);

    for (i = 0; i < rc; i++) {
        vm_area_struct* vma = vmas[i];

        if (vma == vma_prev)
            continue;

        vma_prev = vma;

        if (vma_is_fsdax(vma))
            break;
    }

    // Either get_user_pages() failed or every vma passed: nothing to put.
    if (i >= rc)
        goto out;

    for (i = 0; i < rc; i++)
        put_page(pages[i]);
    rc = -EOPNOTSUPP;
out:
    if (vmas != vmas_arg)
        kfree(vmas);
    return rc;
}
#else
// include/linux/mm.h:1388 v4.15: the CONFIG_FS_DAX=n static inline alias.
long get_user_pages_longterm(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
                             page** pages, vm_area_struct** vmas)
{
    return get_user_pages(start, nr_pages, gup_flags, pages, vmas);
}
#endif

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
