// SPDX-License-Identifier: GPL-2.0-only
//
// Port of follow_hugetlb_page, mm/hugetlb.c v4.15.  One hstate: 2 MiB pages.
#include "core/gup/gup.h"

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

static constexpr unsigned long huge_page_size = PMD_SIZE;
static constexpr unsigned long huge_page_mask = PMD_MASK;
static constexpr unsigned long pages_per_huge_page = HPAGE_PMD_NR;

static inline bool huge_pte_write(pte_t pte) { return pte_write(pte); }

// mm/hugetlb.c:4120 v4.15
long follow_hugetlb_page(mm_struct* mm, vm_area_struct* vma, page** pages, vm_area_struct** vmas,
                         unsigned long* position, unsigned long* nr_pages, long i, unsigned int flags,
                         int* nonblocking)
{
    unsigned long pfn_offset;
    unsigned long vaddr = *position;
    unsigned long remainder = *nr_pages;
    int err = -EFAULT;

    while (vaddr < vma->vm_end && remainder) {
        pte_t* pte;
        spinlock_t* ptl = nullptr;
        int absent;
        page* pg;

        // With SIGKILL pending, stop faulting and allocating.
        if (fatal_signal_pending(get_current())) {
            remainder = 0;
            break;
        }

        // Find the first pte of the huge page (some arches have several).
        // The page table lock is not held when pte is NULL.
        pte = huge_pte_offset(mm, vaddr & huge_page_mask, huge_page_size);
        if (pte)
            ptl = huge_pte_lock(mm, pte);
        absent = !pte || huge_pte_none(huge_ptep_get(pte));

        // A core dump leaves a hole rather than allocating a huge page when
        // no huge page-cache page backs the slot.
        if (absent && (flags & FOLL_DUMP) && !hugetlbfs_pagecache_present(vma, vaddr)) {
            if (pte)
                spin_unlock(ptl);
            remainder = 0;
            break;
        }

        // Migration and hwpoison entries both go to hugetlb_fault (it waits
        // for the migration, and refuses the poisoned page); is_swap_pte
        // covers both.
        if (absent || is_swap_pte(huge_ptep_get(pte)) ||
            ((flags & FOLL_WRITE) && !huge_pte_write(huge_ptep_get(pte)))) {
            int ret;
            unsigned int fault_flags = 0;

            if (pte)
                spin_unlock(ptl);
            if (flags & FOLL_WRITE)
                fault_flags |= FAULT_FLAG_WRITE;
            if (nonblocking)
                fault_flags |= FAULT_FLAG_ALLOW_RETRY;
            if (flags & FOLL_NOWAIT)
                fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT;
            if (flags & FOLL_TRIED) {
                if (fault_flags & FAULT_FLAG_ALLOW_RETRY)
                    warn_once("VM_WARN_ON_ONCE(fault_flags & FAULT_FLAG_ALLOW_RETRY) in follow_hugetlb_page");
                fault_flags |= FAULT_FLAG_TRIED;
            }
            ret = hugetlb_fault(mm, vma, vaddr, fault_flags);
            if (ret & VM_FAULT_ERROR) {
                err = vm_fault_to_errno(ret, static_cast<int>(flags));
                remainder = 0;
                break;
            }
            if (ret & VM_FAULT_RETRY) {
                if (nonblocking)
                    *nonblocking = 0;
                *nr_pages = 0;
                // VM_FAULT_RETRY is not an error: report what was done, maybe 0.
                // position need not be updated once nr_pages is 0.
                return i;
            }
            continue;
        }

        pfn_offset = (vaddr & ~huge_page_mask) >> PAGE_SHIFT;
        pg = pte_page(huge_ptep_get(pte));
    same_page:
        if (pages) {
            pages[i] = pg + pfn_offset;  // mem_map_offset
            get_page(pages[i]);
        }

        if (vmas)
            vmas[i] = vma;

        vaddr += PAGE_SIZE;
        ++pfn_offset;
        --remainder;
        ++i;
        if (vaddr < vma->vm_end && remainder && pfn_offset < pages_per_huge_page) {
            // Stay on this compound page without touching its frames.
            goto same_page;
        }
        spin_unlock(ptl);
    }
    *nr_pages = remainder;
    // position matters only when remainder != 0; setting it always is cheaper.
    *position = vaddr;

    return i ? i : err;
}

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
