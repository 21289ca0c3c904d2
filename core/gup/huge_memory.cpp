// SPDX-License-Identifier: GPL-2.0-only
//
// Port of the mm/huge_memory.c functions the v4.15 GUP walk calls.
#include "core/gup/gup.h"

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

// x86 pmdp_set_access_flags (arch/x86/mm/pgtable.c): stores only when the
// entry changed and the access is a write.
static bool pmdp_set_access_flags(pmd_t* pmdp, pmd_t entry, int dirty)
{
    const bool changed = pmdp->pmd != entry.pmd;
    if (changed && dirty)
        *pmdp = entry;
    return changed;
}

static bool pudp_set_access_flags(pud_t* pudp, pud_t entry, int dirty)
{
    const bool changed = pudp->pud != entry.pud;
    if (changed && dirty)
        *pudp = entry;
    return changed;
}

// mm/huge_memory.c:844 v4.15 (a8f97366452e, v4.15-rc2: dirty only for FOLL_WRITE)
static void touch_pmd(vm_area_struct* vma, unsigned long addr, pmd_t* pmd, int flags)
{
    pmd_t _pmd;

    _pmd = pmd_mkyoung(*pmd);
    if (flags & FOLL_WRITE)
        _pmd = pmd_mkdirty(_pmd);
    if (pmdp_set_access_flags(pmd, _pmd, flags & FOLL_WRITE)) {
        // update_mmu_cache_pmd(vma, addr, pmd): nothing to do on x86
        (void)vma;
        (void)addr;
    }
}

// mm/huge_memory.c:857 v4.15
page* follow_devmap_pmd(vm_area_struct* vma, unsigned long addr, pmd_t* pmd, int flags)
{
    unsigned long pfn = pmd_pfn(*pmd);
    dev_pagemap* pgmap;
    page* pg;

    // assert_spin_locked(pmd_lockptr(mm, pmd)): the caller holds it.

    // COW of a devmap pmd splits it into ptes first, so FOLL_COW cannot be set here.
    if (flags & FOLL_COW)
        warn_once("WARN_ONCE(flags & FOLL_COW) in follow_devmap_pmd");

    if ((flags & FOLL_WRITE) && !pmd_write(*pmd))
        return nullptr;

    if (pmd_present(*pmd) && pmd_devmap(*pmd))
        /* pass */;
    else
        return nullptr;

    if (flags & FOLL_TOUCH)
        touch_pmd(vma, addr, pmd, flags);

    // Device pages are handed out only to callers that manage the reference.
    if (!(flags & FOLL_GET))
        return ERR_PTR<page>(-EEXIST);

    pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT;
    pgmap = get_dev_pagemap(pfn, nullptr);
    if (!pgmap)
        return ERR_PTR<page>(-EFAULT);
    pg = pfn_to_page(pfn);
    get_page(pg);
    put_dev_pagemap(pgmap);

    return pg;
}

// mm/huge_memory.c:992 v4.15
static void touch_pud(vm_area_struct* vma, unsigned long addr, pud_t* pud, int flags)
{
    pud_t _pud;

    _pud = pud_mkyoung(*pud);
    if (flags & FOLL_WRITE)
        _pud = pud_mkdirty(_pud);
    if (pudp_set_access_flags(pud, _pud, flags & FOLL_WRITE)) {
        // update_mmu_cache_pud(vma, addr, pud): nothing to do on x86
        (void)vma;
        (void)addr;
    }
}

// mm/huge_memory.c:1005 v4.15
page* follow_devmap_pud(vm_area_struct* vma, unsigned long addr, pud_t* pud, int flags)
{
    unsigned long pfn = pud_pfn(*pud);
    dev_pagemap* pgmap;
    page* pg;

    // assert_spin_locked(pud_lockptr(mm, pud)): the caller holds it.

    if ((flags & FOLL_WRITE) && !pud_write(*pud))
        return nullptr;

    if (pud_present(*pud) && pud_devmap(*pud))
        /* pass */;
    else
        return nullptr;

    if (flags & FOLL_TOUCH)
        touch_pud(vma, addr, pud, flags);

    // Device pages are handed out only to callers that manage the reference.
    if (!(flags & FOLL_GET))
        return ERR_PTR<page>(-EEXIST);

    pfn += (addr & ~PUD_MASK) >> PAGE_SHIFT;
    pgmap = get_dev_pagemap(pfn, nullptr);
    if (!pgmap)
        return ERR_PTR<page>(-EFAULT);
    pg = pfn_to_page(pfn);
    get_page(pg);
    put_dev_pagemap(pgmap);

    return pg;
}

// mm/huge_memory.c:1387 v4.15 (8310d48b125d): a forced write may use an unwritable pmd only
// after a COW cycle left it dirty.
static inline bool can_follow_write_pmd(pmd_t pmd, unsigned int flags)
{
    return pmd_write(pmd) || ((flags & FOLL_FORCE) && (flags & FOLL_COW) && pmd_dirty(pmd));
}

// mm/huge_memory.c:1393 v4.15
page* follow_trans_huge_pmd(vm_area_struct* vma, unsigned long addr, pmd_t* pmd, unsigned int flags)
{
    page* pg = nullptr;

    // assert_spin_locked(pmd_lockptr(mm, pmd)): the caller holds it.

    if ((flags & FOLL_WRITE) && !can_follow_write_pmd(*pmd, flags))
        goto out;

    // Keep the huge zero page out of core dumps.
    if ((flags & FOLL_DUMP) && is_huge_zero_page(pmd_page(*pmd)))
        return ERR_PTR<page>(-EFAULT);

    // NUMA hinting faults must go through the fault path to serialise with migration.
    if ((flags & FOLL_NUMA) && pmd_protnone(*pmd))
        goto out;

    pg = pmd_page(*pmd);
    if (!(pg->flags & (1UL << PG_head)) && !is_zone_device_page(pg))
        throw KernelBug("VM_BUG_ON_PAGE(!PageHead(page) && !is_zone_device_page(page)) in follow_trans_huge_pmd");
    if (flags & FOLL_TOUCH)
        touch_pmd(vma, addr, pmd, static_cast<int>(flags));
    if ((flags & FOLL_MLOCK) && (vma->vm_flags & VM_LOCKED)) {
        // Don't mlock a THP that may be split soon: anon THP mapped more
        // than once.  PageDoubleMap is never set in the model (no partial
        // pte mapping of a pmd-mapped THP), and there is no LRU.
        if (PageAnon(pg) && pg->_mapcount != 0)
            goto skip_mlock;
        if (!pg->mapping)
            goto skip_mlock;
        if (!trylock_page(pg))
            goto skip_mlock;
        lru_add_drain();
        if (pg->mapping)
            mlock_vma_page(pg);
        unlock_page(pg);
    }
skip_mlock:
    pg += (addr & ~PMD_MASK) >> PAGE_SHIFT;
    if (!PageCompound(pg) && !is_zone_device_page(pg))
        throw KernelBug("VM_BUG_ON_PAGE(!PageCompound(page) && !is_zone_device_page(page)) in follow_trans_huge_pmd");
    if (flags & FOLL_GET)
        get_page(pg);

out:
    return pg;
}

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
