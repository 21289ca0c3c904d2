// SPDX-License-Identifier: GPL-2.0-only
//
// Address-space operations between GUP calls: munmap/zap, mprotect, MAP_FIXED
// mmap and user accesses.  A model in the style of fault.cpp: kernel names and
// outcomes, far less code.  See mm_ops.h for the reference rule.
#include "core/kernel/mm_ops.h"
#include "core/kernel/hex.h"

#include <algorithm>
#include <functional>

#include "core/kernel/walk.h"

namespace gupfuzz::kernel {

namespace {

constexpr unsigned long PGDIR_SIZE = 1UL << PGDIR_SHIFT;

unsigned long next_boundary(unsigned long a, unsigned long size) { return (a & ~(size - 1)) + size; }

bool entry_none(pteval_t v) { return (v & ~_PAGE_KNL_ERRATUM_MASK) == 0; }

void unlink_vma(World& w, vm_area_struct* v) {
    if (v->vm_prev)
        v->vm_prev->vm_next = v->vm_next;
    else
        w.mm.mmap = v->vm_next;
    if (v->vm_next)
        v->vm_next->vm_prev = v->vm_prev;
    v->vm_next = v->vm_prev = nullptr;
}

// The mapping reference of one small-page mapping goes away (page_remove_rmap
// + the mmu_gather's put).  A pte-mapped THP keeps its head's _mapcount as
// split_pmd left it: the model counts its mappings in model_refs.
void drop_mapping(World& w, page* p) {
    page* head = compound_head(p);
    if (!PageCompound(p))
        map_dec(head);
    w.model_put(p);
}

// mm/memory.c zap_pte_range, one entry.
void zap_pte(World& w, pteval_t* slot) {
    const pte_t pte{*slot};
    if (pte_none(pte))
        return;
    if (pte_present(pte)) {  // present or PROT_NONE
        // Special entries (the zero page, DAX, mmio) hold no page reference.
        if (!pte_special(pte) && w.pfn_valid(pte_pfn(pte))) {
            page* p = w.pfn_to_page(pte_pfn(pte));
            if (compound_head(p) != w.zero_page && compound_head(p) != w.huge_zero_page)
                drop_mapping(w, p);
        }
    } else {
        const swp_entry_t e = pte_to_swp_entry(pte);
        if (is_migration_entry(e)) {
            // The migration entry held the mapping's reference (fault.cpp migration_entry_wait).
            drop_mapping(w, w.pfn_to_page(swp_offset(e)));
        } else if (!is_hwpoison_entry(e)) {
            w.swap_slots.erase(swp_offset(e));  // free_swap_and_cache
        }
    }
    *slot = 0;
}

// mm/huge_memory.c zap_huge_pmd on a THP / huge-zero / NUMA-protnone pmd leaf.
void zap_huge_pmd(World& w, pteval_t* slot) {
    const pmd_t pmd{*slot};
    if (!pmd_devmap(pmd)) {
        page* head = w.pfn_to_page(pmd_pfn(pmd));
        if (head != w.huge_zero_page) {
            map_dec(head);
            w.model_put(head);
        }
    }
    *slot = 0;
}

// mm/hugetlb.c __unmap_hugepage_range, one 2 MiB entry.
void zap_hugetlb_entry(World& w, pte_t* ptep) {
    const pte_t e = *ptep;
    if (pte_none(e))
        return;
    page* head = nullptr;
    if (e.pte & (_PAGE_PRESENT | _PAGE_PROTNONE)) {
        head = w.pfn_to_page(pte_pfn(e));
    } else {
        const swp_entry_t s = pte_to_swp_entry(e);
        if (is_migration_entry(s))
            head = w.pfn_to_page(swp_offset(s));
    }
    if (head) {
        head = compound_head(head);
        map_dec(head);
        w.model_put(head);
        if (!head->allocated())
            w.hugetlb_free++;  // free_huge_page: back to the pool
    }
    ptep->pte = 0;
}

// A huge pmd (or pmd migration entry) at addr is about to be cut by a range
// boundary: restore a migration entry, clear a DAX pmd, split a THP.
void split_huge_at(World& w, vm_area_struct* vma, unsigned long addr) {
    for (int round = 0; round < 2; ++round) {
        const Mapping m = walk(w, &w.mm, addr);
        if (m.level != Level::pmd)
            return;
        pmd_t* pmd = reinterpret_cast<pmd_t*>(m.slot);
        if (is_pmd_migration_entry(*pmd)) {
            pmd_migration_entry_wait(&w.mm, pmd);
            continue;
        }
        if (!(m.value & _PAGE_PSE))
            return;
        if (pmd_devmap(*pmd))
            pmd->pmd = 0;  // __split_huge_pmd on DAX: the entry is zapped, faults refill it
        else
            split_thp_pmd(w, vma, addr, pmd);
        return;
    }
}

// The pte a vma's current protection gives to an existing entry
// (pte_modify(entry, vma->vm_page_prot) plus the dirty_accountable rule of
// change_pte_range).
struct NewProt {
    bool accessible = false;
    bool shared_write = false;
    bool writenotify = false;

    pteval_t apply(pteval_t v, bool huge) const {
        const pteval_t keep =
            PTE_PFN_MASK | _PAGE_DIRTY | _PAGE_ACCESSED | _PAGE_SPECIAL | _PAGE_DEVMAP_ANY | (huge ? _PAGE_PSE : 0);
        pteval_t n = (v & keep) | _PAGE_ACCESSED;
        if (!accessible)
            return n | _PAGE_PROTNONE;  // PAGE_NONE
        n |= _PAGE_PRESENT | _PAGE_USER;
        // Private mappings are never writable through vm_page_prot (PAGE_COPY):
        // the next write faults and do_wp_page reuses or copies.
        if (shared_write && (!writenotify || (v & _PAGE_DIRTY)))
            n |= _PAGE_RW;
        return n;
    }
};

NewProt new_prot_of(World& w, vm_area_struct* vma) {
    NewProt np;
    const vm_flags_t f = vma->vm_flags;
    np.accessible = f & (VM_READ | VM_WRITE | VM_EXEC);
    np.shared_write = (f & (VM_SHARED | VM_WRITE)) == (VM_SHARED | VM_WRITE);
    np.writenotify = vma_wants_writenotify(w, vma);  // fault.cpp
    return np;
}

// The shape of the kernel's *_range walkers (zap_p?d_range, change_p?d_range)
// over [start, end) of a non-hugetlb vma: none or bad upper entries are
// cleared (p?d_none_or_clear_bad) and skipped; a huge or migration pmd goes to
// `huge`, which handles it and returns true, or returns false to have it
// split so that its ptes come next; every pte slot goes to `pte`.
void walk_range(World& w, vm_area_struct* vma, unsigned long start, unsigned long end,
                const std::function<bool(pmd_t* pmd, bool whole)>& huge, const std::function<void(pteval_t*)>& pte) {
    unsigned long a = start;
    while (a < end) {
        const Mapping m = walk(w, &w.mm, a);
        switch (m.level) {
        case Level::none:
        case Level::p4d:
            if (!entry_none(m.value))
                *m.slot = 0;  // p4d_none_or_clear_bad
            a = next_boundary(a, PGDIR_SIZE);
            continue;
        case Level::pud:
            // A device-DAX pud leaf (no page reference; v4.15's change_pud_range
            // has no devmap-pud case either) or a bad entry: cleared, faults refill it.
            if (!entry_none(m.value))
                *m.slot = 0;
            a = next_boundary(a, PUD_SIZE);
            continue;
        case Level::pmd: {
            if (entry_none(m.value)) {
                a = next_boundary(a, PMD_SIZE);
                continue;
            }
            pmd_t* pmd = reinterpret_cast<pmd_t*>(m.slot);
            const unsigned long haddr = a & PMD_MASK;
            if (is_pmd_migration_entry(*pmd) || (m.value & _PAGE_PSE)) {
                if (huge(pmd, haddr >= start && haddr + PMD_SIZE <= end))
                    a = next_boundary(a, PMD_SIZE);
                else
                    split_huge_at(w, vma, a);  // __split_huge_pmd, then the ptes on the next round
                continue;
            }
            *m.slot = 0;  // pmd_none_or_clear_bad
            a = next_boundary(a, PMD_SIZE);
            continue;
        }
        case Level::pte:
            pte(m.slot);
            a += PAGE_SIZE;
            continue;
        }
    }
}

// include/linux/swapops.h make_migration_entry, as an entry value.
pteval_t migration_entry(unsigned long pfn, bool write) {
    return swp_entry_to_pte(swp_entry(write ? SWP_MIGRATION_WRITE : SWP_MIGRATION_READ, pfn)).pte;
}

// mm/mprotect.c change_pte_range, mm/huge_memory.c change_huge_pmd and
// mm/hugetlb.c hugetlb_change_protection v4.15: a write migration entry
// becomes a read one whatever the new protection ("a protection check is
// difficult"); remove_migration_pte's maybe_mkwrite then never applies.
pteval_t migration_readonly(pteval_t v, vm_flags_t) {
    const swp_entry_t e = pte_to_swp_entry(pte_t{v});
    if (swp_type(e) == SWP_MIGRATION_WRITE)
        return migration_entry(swp_offset(e), false);  // make_migration_entry_read
    return v;
}

// mm/mprotect.c change_protection (and hugetlb_change_protection).
void change_protection(World& w, vm_area_struct* vma, unsigned long start, unsigned long end) {
    const NewProt np = new_prot_of(w, vma);
    if (is_vm_hugetlb_page(vma)) {
        for (unsigned long a = start & PMD_MASK; a < end; a += PMD_SIZE) {
            pte_t* ptep = huge_pte_offset(&w.mm, a, PMD_SIZE);
            if (!ptep || pte_none(*ptep))
                continue;
            if (ptep->pte & (_PAGE_PRESENT | _PAGE_PROTNONE))
                ptep->pte = np.apply(ptep->pte, true);
            else
                ptep->pte = migration_readonly(ptep->pte, vma->vm_flags);
        }
        return;
    }
    walk_range(
        w, vma, start, end,
        [&](pmd_t* pmd, bool whole) {
            if (!whole)
                return false;
            if (is_pmd_migration_entry(*pmd))
                pmd->pmd = migration_readonly(pmd->pmd, vma->vm_flags);
            else
                pmd->pmd = np.apply(pmd->pmd, true);  // change_huge_pmd
            return true;
        },
        [&](pteval_t* slot) {
            const pte_t pte{*slot};
            if (pte_none(pte))
                return;
            *slot = pte_present(pte) ? np.apply(pte.pte, false) : migration_readonly(pte.pte, vma->vm_flags);
        });
}

int mprotect_fixup(World& w, vm_area_struct* vma, unsigned long start, unsigned long end, vm_flags_t newflags,
                   vm_area_struct** out) {
    *out = vma;
    if (newflags == vma->vm_flags)
        return 0;
    if (start != vma->vm_start) {
        vm_area_struct* n = nullptr;
        if (int e = split_vma(w, vma, start, &n))
            return e;
        vma = n;
    }
    if (end != vma->vm_end) {
        vm_area_struct* n = nullptr;
        if (int e = split_vma(w, vma, end, &n))
            return e;
    }
    *out = vma;
    // VM_LOCKED private mappings becoming writable are repopulated by the
    // kernel (populate_vma_page_range); the model leaves them to later faults.
    vma->vm_flags = newflags;
    change_protection(w, vma, start, end);
    return 0;
}

}  // namespace

void zap_page_range(World& w, vm_area_struct* vma, unsigned long start, unsigned long end) {
    start = std::max(start, vma->vm_start);
    end = std::min(end, vma->vm_end);
    if (is_vm_hugetlb_page(vma)) {
        for (unsigned long a = start & PMD_MASK; a < end; a += PMD_SIZE)
            if (pte_t* ptep = huge_pte_offset(&w.mm, a, PMD_SIZE))
                zap_hugetlb_entry(w, ptep);
        return;
    }
    walk_range(
        w, vma, start, end,
        [&](pmd_t* pmd, bool whole) {
            if (is_pmd_migration_entry(*pmd)) {
                if (!whole)
                    return false;
                // The THP's mapping reference is held by the entry.
                page* head = w.pfn_to_page(swp_offset(pte_to_swp_entry(pte_t{pmd->pmd})));
                map_dec(head);
                w.model_put(head);
                pmd->pmd = 0;
                return true;
            }
            if (!whole && !pmd_devmap(*pmd))
                return false;
            zap_huge_pmd(w, &pmd->pmd);
            return true;
        },
        [&](pteval_t* slot) { zap_pte(w, slot); });
}

int split_vma(World& w, vm_area_struct* vma, unsigned long addr, vm_area_struct** out) {
    *out = nullptr;
    if (addr <= vma->vm_start || addr >= vma->vm_end || (addr & ~PAGE_MASK))
        throw KernelBug("split_vma outside the vma");
    if (is_vm_hugetlb_page(vma) && (addr & ~PMD_MASK))
        return -EINVAL;  // hugetlb_vm_op_split
    FileObj* f = w.file_of(vma);
    if (f && f->kind == FileKind::devdax && (addr & ((f->align_pages << PAGE_SHIFT) - 1)))
        return -EINVAL;  // dev_dax_split
    if (addr & ~PMD_MASK)
        split_huge_at(w, vma, addr);  // vma_adjust_trans_huge
    if ((addr & ~PUD_MASK) && !is_vm_hugetlb_page(vma)) {
        const Mapping m = walk(w, &w.mm, addr);
        if (m.level == Level::pud && m.leaf_huge)
            *m.slot = 0;  // a devmap pud straddling the split: zapped, refaulted later
    }
    vm_area_struct* n = w.insert_vma(addr, vma->vm_end, vma->vm_flags, f,
                                     vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
    n->anon_vma_ptr = vma->anon_vma_ptr;
    vma->vm_end = addr;
    *out = n;
    return 0;
}

int do_munmap(World& w, unsigned long start, unsigned long len) {
    if ((start & ~PAGE_MASK) || len == 0 || start > TASK_SIZE || len > TASK_SIZE - start)
        return -EINVAL;
    len = (len + PAGE_SIZE - 1) & PAGE_MASK;
    const unsigned long end = start + len;
    vm_area_struct* vma = find_vma(&w.mm, start);
    if (!vma || vma->vm_start >= end)
        return 0;
    if (start > vma->vm_start) {
        vm_area_struct* n = nullptr;
        if (int e = split_vma(w, vma, start, &n))
            return e;
        vma = n;
    }
    vm_area_struct* last = find_vma(&w.mm, end);
    if (last && end > last->vm_start) {
        vm_area_struct* n = nullptr;
        if (int e = split_vma(w, last, end, &n))
            return e;
    }
    // detach_vmas_to_be_unmapped + unmap_region
    for (vm_area_struct* v = vma; v && v->vm_start < end;) {
        vm_area_struct* next = v->vm_next;
        zap_page_range(w, v, v->vm_start, v->vm_end);
        unlink_vma(w, v);
        v = next;
    }
    return 0;
}

int do_mprotect(World& w, unsigned long start, unsigned long len, vm_flags_t prot) {
    if (start & ~PAGE_MASK)
        return -EINVAL;
    if (!len)
        return 0;
    len = (len + PAGE_SIZE - 1) & PAGE_MASK;
    const unsigned long end = start + len;
    if (end <= start)
        return -ENOMEM;
    prot &= VM_READ | VM_WRITE | VM_EXEC;
    vm_area_struct* vma = find_vma(&w.mm, start);
    if (!vma || vma->vm_start > start)
        return -ENOMEM;
    unsigned long nstart = start;
    for (;;) {
        const vm_flags_t newflags = (vma->vm_flags & ~(VM_READ | VM_WRITE | VM_EXEC)) | prot;
        // newflags >> 4 shift VM_MAY* to VM_* position
        if ((newflags & ~(newflags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC))
            return -EACCES;
        const unsigned long tmp = std::min(vma->vm_end, end);
        vm_area_struct* cur = nullptr;
        if (int e = mprotect_fixup(w, vma, nstart, tmp, newflags, &cur))
            return e;
        nstart = tmp;
        if (nstart >= end)
            return 0;
        vma = cur->vm_next;
        if (!vma || vma->vm_start != nstart)
            return -ENOMEM;
    }
}

int mmap_fixed(World& w, unsigned long start, unsigned long end, vm_flags_t flags, FileObj* f, unsigned long pgoff,
               vm_area_struct** out) {
    *out = nullptr;
    if ((start | end) & ~PAGE_MASK || start >= end || end > TASK_SIZE)
        return -EINVAL;
    if (int e = do_munmap(w, start, end - start))
        return e;
    *out = w.insert_vma(start, end, flags, f, pgoff);
    return 0;
}

bool user_accessible(World& w, vm_area_struct* vma, unsigned long addr, bool write) {
    const Mapping m = walk(w, vma->vm_mm, addr);
    const pteval_t v = m.value;
    if (m.level == Level::pte || ((m.level == Level::pmd || m.level == Level::pud) && m.leaf_huge))
        return (v & _PAGE_PRESENT) && (!write || (v & _PAGE_RW));
    return false;
}

int user_access(World& w, unsigned long addr, bool write) {
    addr &= PAGE_MASK;
    vm_area_struct* vma = find_vma(&w.mm, addr);
    if (!vma)
        return -EFAULT;
    if (vma->vm_start > addr) {
        if (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, addr))
            return -EFAULT;
    }
    if (vma->vm_flags & (VM_IO | VM_PFNMAP))
        return -EFAULT;
    if (write ? !(vma->vm_flags & VM_WRITE) : !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
        return -EFAULT;
    for (int tries = 0; tries < 4; ++tries) {
        if (mmu_access(w, vma, addr, write))
            return 0;
        const int r = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0);
        if (r & VM_FAULT_ERROR)
            return r & VM_FAULT_ERROR;
    }
    return mmu_access(w, vma, addr, write) ? 0 : -EFAULT;
}

// The MMU completing an access sets the accessed flag, and for a write the
// dirty flag, in the leaf entry it used (Intel SDM vol. 3A §4.8).
bool mmu_access(World& w, vm_area_struct* vma, unsigned long addr, bool write) {
    if (!user_accessible(w, vma, addr, write))
        return false;
    const Mapping m = walk(w, vma->vm_mm, addr);
    *m.slot |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
    return true;
}

void swap_out_pte(World& w, pteval_t* slot, page* p) {
    *slot = swp_entry_to_pte(swp_entry(0, w.next_swap)).pte;
    w.swap_slots[w.next_swap++] = nullptr;
    map_dec(compound_head(p));
    w.model_put(p);
}

void install_migration_entry(pteval_t* slot, page* pg) {
    if (*slot & _PAGE_DIRTY)
        set_page_dirty(pg);  // try_to_unmap_one / set_pmd_migration_entry (v4.15): the dirty bit moves to the page
    *slot = migration_entry(pg->pfn(), *slot & _PAGE_RW);
}

void install_hwpoison_entry(World& w, pteval_t* slot, page* p) {
    *slot = swp_entry_to_pte(swp_entry(SWP_HWPOISON, p->pfn())).pte;
    map_dec(compound_head(p));
    w.model_put(p);
}

void make_numa_protnone(pteval_t* slot) { *slot = (*slot & ~_PAGE_PRESENT) | _PAGE_PROTNONE; }

void share_for_fork(World& w, pteval_t* slot, page* p) {
    *slot &= ~_PAGE_RW;
    if (has_anon_exclusive(w)) {
        // 6.12 folio_try_dup_anon_rmap_ptes/_pmd (include/linux/rmap.h:391):
        // a shared page is no longer exclusive (a huge pmd: every subpage).
        // Not modelled: the refusal to share a maybe-pinned exclusive page
        // (fork then copies it for the child).
        page* first = (*slot & _PAGE_PSE) ? compound_head(p) : p;
        const unsigned long n = (*slot & _PAGE_PSE) ? 1UL << compound_head(p)->compound_order() : 1;
        for (unsigned long i = 0; i < n; ++i)
            first[i].flags &= ~(1UL << PG_anon_exclusive);
    }
    map_inc(compound_head(p));
    w.model_get(p);
}

void clean_for_writeback(pteval_t* slot, page* head) {
    *slot &= ~(_PAGE_RW | _PAGE_DIRTY);
    head->flags &= ~(1UL << PG_dirty);
}

void corrupt_table_entry(World& w, unsigned long addr, Level level) {
    pteval_t* slot = &w.mm.pgd[pgd_index(addr)].pgd;
    if (level != Level::p4d) {
        slot = w.table_of(*slot) + pud_index(addr);
        if (level == Level::pmd)
            slot = w.table_of(*slot) + pmd_index(addr);
    }
    *slot |= _PAGE_GLOBAL;
}

void move_folio(World& w, page* old, page* np) {
    np->mapping = old->mapping;
    np->index = old->index;
    np->flags |= old->flags & ((1UL << PG_dirty) | (1UL << PG_referenced) | (1UL << PG_swapbacked) |
                               (1UL << PG_mlocked));
    const unsigned long n = 1UL << old->compound_order();
    for (unsigned long i = 0; i < n; ++i)
        np[i].flags |= old[i].flags & (1UL << PG_anon_exclusive);
    if (folio_test_hugetlb(old))
        World::mark_hugetlb(np);
    mapcount_word(np) = mapcount_word(old);
    mapcount_word(old) = -1;
    if (old->flags & (1UL << PG_head)) {
        folio_meta(np)->_large_mapcount = folio_meta(old)->_large_mapcount;
        folio_meta(old)->_large_mapcount = -1;
    }
    for (auto& f : w.files)
        for (auto& [idx, cached] : f->cache)
            if (cached == old)
                cached = np;
    const int refs = old->model_refs();  // every mapping and the cache slot
    for (int i = 1; i < refs; ++i)
        w.model_get(np);
    for (int i = 0; i < refs; ++i)
        w.model_put(old);  // the last one frees it unless the caller holds more
}

namespace {
// rmap_walk over the task's page tables: every present (or PROT_NONE) leaf
// entry mapping a pfn of [first, first + n), with the index of that pfn.
void for_each_mapping(World& w, unsigned long first, unsigned long n,
                      const std::function<void(pteval_t*, unsigned long, pteval_t)>& fn) {
    auto in = [&](unsigned long pfn) { return pfn >= first && pfn < first + n; };
    for (unsigned i = 0; i < PTRS_PER_TABLE / 2; ++i) {  // the user half of the pgd
        const pteval_t g = w.mm.pgd[i].pgd;
        if (!(g & _PAGE_PRESENT))
            continue;
        pteval_t* puds = w.table_of(g);
        for (unsigned j = 0; j < PTRS_PER_TABLE; ++j) {
            const pteval_t u = puds[j];
            if (!(u & _PAGE_PRESENT))
                continue;
            if (u & _PAGE_PSE) {
                if (in(pud_pfn(pud_t{u})))
                    fn(&puds[j], pud_pfn(pud_t{u}) - first, pud_pfn_mask(pud_t{u}));
                continue;
            }
            pteval_t* pmds = w.table_of(u);
            for (unsigned k = 0; k < PTRS_PER_TABLE; ++k) {
                const pteval_t m = pmds[k];
                if (!pmd_present(pmd_t{m}))
                    continue;
                if (m & _PAGE_PSE) {
                    if (in(pmd_pfn(pmd_t{m})))
                        fn(&pmds[k], pmd_pfn(pmd_t{m}) - first, pmd_pfn_mask(pmd_t{m}));
                    continue;
                }
                pteval_t* ptes = w.table_of(m);
                for (unsigned l = 0; l < PTRS_PER_TABLE; ++l)
                    if (pte_present(pte_t{ptes[l]}) && in(pte_pfn(pte_t{ptes[l]})))
                        fn(&ptes[l], pte_pfn(pte_t{ptes[l]}) - first, PTE_PFN_MASK);
            }
        }
    }
}
}  // namespace

int migrate_folio(World& w, page* head, int extra_refs, bool movable, page** out) {
    *out = nullptr;
    const int refs = head->model_refs();
    if (refs < 1 || head->_refcount != refs + extra_refs)
        return -EAGAIN;
    if (folio_test_hugetlb(head) && !w.hugetlb_free)
        return -ENOMEM;  // alloc_hugetlb_folio_nodemask: the pool (the old folio returns to it)
    page* np = w.alloc_pages(head->compound_order(), movable && !folio_test_hugetlb(head));
    if (!np)
        return -ENOMEM;
    for_each_mapping(w, head->pfn(), 1UL << head->compound_order(),
                     [&](pteval_t* slot, unsigned long idx, pteval_t mask) {
                         *slot = (*slot & ~mask) | (static_cast<pteval_t>(np->pfn() + idx) << PAGE_SHIFT);
                     });
    move_folio(w, head, np);
    *out = np;
    return 0;
}

}  // namespace gupfuzz::kernel

// ---------------------------------------------------------------------------
// The shared operation set (fault_plan.h MmOp): interleavings and Sessions.

namespace gupfuzz::kernel {

const char* mm_op_name(MmOp op) {
    switch (op) {
    case MmOp::dontneed: return "dontneed";
    case MmOp::read_fault: return "read-fault";
    case MmOp::write_fault: return "write-fault";
    case MmOp::punch: return "punch";
    case MmOp::truncate: return "truncate";
    case MmOp::swapout: return "swapout";
    case MmOp::migrate: return "migrate";
    case MmOp::munmap: return "munmap";
    case MmOp::mprotect_ro: return "mprotect-ro";
    case MmOp::COUNT: break;
    }
    return "?";
}

const char* mm_op_words(MmOp op) {
    switch (op) {
    case MmOp::dontneed: return "madvise(MADV_DONTNEED)";
    case MmOp::read_fault: return "a read access (page fault)";
    case MmOp::write_fault: return "a write access (page fault)";
    case MmOp::punch: return "fallocate(FALLOC_FL_PUNCH_HOLE)";
    case MmOp::truncate: return "truncate";
    case MmOp::swapout: return "reclaim (swap-out)";
    case MmOp::migrate: return "migration (compaction)";
    case MmOp::munmap: return "munmap";
    case MmOp::mprotect_ro: return "mprotect(PROT_READ)";
    case MmOp::COUNT: break;
    }
    return "?";
}

std::optional<MmOp> mm_op_from_name(const std::string& name) {
    for (int i = 0; i < kMmOpCount; ++i)
        if (name == mm_op_name(static_cast<MmOp>(i)))
            return static_cast<MmOp>(i);
    return std::nullopt;
}

MmapSemNeed mm_op_sem(MmOp op) {
    switch (op) {
    case MmOp::dontneed:      // mm/madvise.c:825-830 v4.15 (madvise_need_mmap_write false)
    case MmOp::read_fault:    // arch/x86/mm/fault.c __do_page_fault: down_read
    case MmOp::write_fault:
        return MmapSemNeed::read;
    case MmOp::punch:         // inode lock, i_mmap_sem/MMAPLOCK, i_mmap_rwsem: no mmap_sem
    case MmOp::truncate:
    case MmOp::swapout:       // shrink_page_list: rmap locks and the ptl only
    case MmOp::migrate:       // compaction: isolation, page lock, rmap locks, ptl
        return MmapSemNeed::none;
    case MmOp::munmap:        // mm/mmap.c:2742 vm_munmap: down_write
    case MmOp::mprotect_ro:   // mm/mprotect.c:420: down_write
    case MmOp::COUNT:
        break;
    }
    return MmapSemNeed::write;
}

namespace {

// The file page a vma maps at addr.
unsigned long file_index(const vm_area_struct* vma, unsigned long addr) {
    return ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

// A freed fsdax block [first, first + n) of file f: a pin on any of its
// pages outlives the block's ownership (fs/dax.c v4.15
// dax_delete_mapping_entry never looks at the ZONE_DEVICE page's refcount).
void free_dax_blocks(World& w, FileObj* f, unsigned long first_index, unsigned long n, const char* why) {
    if (!n)
        return;
    const unsigned long first = f->pgmap->pfn_first + first_index;
    w.dax_free.emplace_back(first, n);
    for (page* p : w.materialized_pages()) {
        const unsigned long pfn = p->pfn();
        if (pfn < first || pfn >= first + n || !p->zone_device())
            continue;
        w.dax_owner.erase(pfn);
        if (p->_refcount > p->model_refs())  // an idle ZONE_DEVICE page holds only the model's 1
            w.trace.lifetime.emplace_back(pfn, "filesystem-DAX block pfn " + hex(pfn) + " (file #" + std::to_string(f->id) +
                                       " page " + std::to_string(pfn - f->pgmap->pfn_first) + ") freed by " + why +
                                       " while " + std::to_string(p->_refcount - p->model_refs()) +
                                       " GUP reference(s) still hold its page");
    }
}

// unmap_mapping_range over file pages [first, last) of f in every vma that
// maps them; even_cows: private COW copies (anonymous pages) go too.
void unmap_mapping_range(World& w, FileObj* f, unsigned long first, unsigned long last, bool even_cows) {
    for (vm_area_struct* v = w.mm.mmap; v; v = v->vm_next) {
        if (w.file_of(v) != f)
            continue;
        const unsigned long vfirst = v->vm_pgoff, vlast = vfirst + ((v->vm_end - v->vm_start) >> PAGE_SHIFT);
        const unsigned long lo = std::max(first, vfirst), hi = std::min(last, vlast);
        for (unsigned long idx = lo; idx < hi; ++idx) {
            const unsigned long a = v->vm_start + ((idx - vfirst) << PAGE_SHIFT);
            if (!even_cows) {
                // zap_pte_range with details->check_mapping: a page whose
                // rmapping is not this mapping (a COW copy) survives.
                const RefEntry r = mapped_pfn(w, &w.mm, a);
                if (r.mapped && !(r.bits & _PAGE_SPECIAL) && w.pfn_valid(r.pfn) && PageAnon(w.pfn_to_page(r.pfn)))
                    continue;
            }
            zap_page_range(w, v, a, a + PAGE_SIZE);
        }
    }
}

// mm/truncate.c truncate_inode_pages_range: the page-cache pages of
// [first, last) leave the cache (delete_from_page_cache drops the cache's
// reference and clears page->mapping); a pinned one lives on as an orphan.
unsigned long drop_page_cache(World& w, FileObj* f, unsigned long first, unsigned long last) {
    unsigned long n = 0;
    for (auto it = f->cache.lower_bound(first); it != f->cache.end() && it->first < last;) {
        page* p = it->second;
        it = f->cache.erase(it);
        p->mapping = nullptr;
        w.model_put(p);
        ++n;
    }
    return n;
}

std::string range_words(unsigned long addr, unsigned long pages) {
    return "[" + hex(addr) + ", " + hex(addr + pages * PAGE_SIZE) + ")";
}

std::string op_on_file(World& w, MmOp op, unsigned long addr, unsigned long pages, bool* ran) {
    vm_area_struct* vma = find_vma(&w.mm, addr);
    if (!vma || vma->vm_start > addr)
        return "nothing: no vma maps " + hex(addr);
    FileObj* f = w.file_of(vma);
    if (!f)
        return "nothing: " + hex(addr) + " is anonymous memory (no file to " + mm_op_name(op) + ")";
    const unsigned long first = file_index(vma, addr);
    const std::string file = "file #" + std::to_string(f->id);
    switch (f->kind) {
    case FileKind::devdax:
        return "-EINVAL: device-DAX has no fallocate and no size to change (drivers/dax/device.c dax_fops)";
    case FileKind::hugetlbfs:
    case FileKind::mmio:
        return std::string("nothing: ") + mm_op_name(op) + " of a " +
               (f->kind == FileKind::hugetlbfs ? "hugetlbfs" : "device") + " file is not modelled";
    case FileKind::regular:
    case FileKind::shmem:
    case FileKind::fsdax:
        break;
    }
    if (first >= f->size_pages)
        return "nothing: page " + std::to_string(first) + " is beyond the end of " + file;
    *ran = true;
    if (op == MmOp::truncate) {
        // truncate_pagecache (even_cows, before and after dropping the cache),
        // then the filesystem frees the blocks.
        const unsigned long old = f->size_pages;
        f->size_pages = first;
        f->f_inode_obj.i_size = first << PAGE_SHIFT;
        unmap_mapping_range(w, f, first, old, true);
        if (f->kind == FileKind::fsdax) {
            free_dax_blocks(w, f, first, old - first, "truncate");
            return file + " truncated from " + std::to_string(old) + " to " + std::to_string(first) +
                   " pages: mappings zapped (COW copies too), blocks freed for reuse";
        }
        const unsigned long gone = drop_page_cache(w, f, first, old);
        return file + " truncated from " + std::to_string(old) + " to " + std::to_string(first) +
               " pages: mappings zapped (COW copies too), " + std::to_string(gone) + " page-cache page(s) deleted";
    }
    // fallocate(PUNCH_HOLE): truncate_pagecache_range (COW copies survive).
    const unsigned long last = std::min(f->size_pages, first + pages);
    unmap_mapping_range(w, f, first, last, false);
    if (f->kind == FileKind::fsdax) {
        // The hole reads as zeros; the model keeps the file's blocks linear, so
        // the punched range stays unallocated to the end of the file (a hole
        // is not refilled here).
        f->size_pages = first;
        f->f_inode_obj.i_size = first << PAGE_SHIFT;
        free_dax_blocks(w, f, first, last - first, "hole punch");
        return file + " pages [" + std::to_string(first) + ", " + std::to_string(last) +
               ") punched: mappings zapped, blocks freed for reuse (the model also ends the file there)";
    }
    const unsigned long gone = drop_page_cache(w, f, first, last);
    return file + " pages [" + std::to_string(first) + ", " + std::to_string(last) + ") punched: mappings zapped, " +
           std::to_string(gone) + " page-cache page(s) deleted";
}

}  // namespace

std::string run_mm_op(World& w, MmOp op, unsigned long addr, unsigned long pages, bool* ran) {
    *ran = false;
    addr &= PAGE_MASK;
    pages = std::max(pages, 1UL);
    const unsigned long end = addr + pages * PAGE_SIZE;
    switch (op) {
    case MmOp::dontneed: {
        // mm/madvise.c madvise_dontneed_free: every vma of the range, each
        // refused one (can_madv_dontneed_vma) ends it with -EINVAL.
        std::string out;
        for (vm_area_struct* v = find_vma(&w.mm, addr); v && v->vm_start < end; v = v->vm_next) {
            if (v->vm_flags & (VM_LOCKED | VM_HUGETLB | VM_PFNMAP))
                return out + "-EINVAL at " + hex(std::max(addr, v->vm_start)) + " (VM_LOCKED, VM_HUGETLB or VM_PFNMAP)";
            zap_page_range(w, v, addr, end);
            *ran = true;
            out += (out.empty() ? "zapped " : ", ") + range_words(std::max(addr, v->vm_start),
                                                                (std::min(end, v->vm_end) - std::max(addr, v->vm_start)) >> PAGE_SHIFT);
        }
        return out.empty() ? "-ENOMEM: no vma in " + range_words(addr, pages) : out;
    }
    case MmOp::read_fault:
    case MmOp::write_fault: {
        const bool write = op == MmOp::write_fault;
        for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
            const int r = user_access(w, a, write);
            if (r)
                return (a > addr ? "accessed up to " + hex(a) + ", then " : std::string()) +
                       (r < 0 ? "SIGSEGV at " + hex(a) : "VM_FAULT error " + hex(static_cast<unsigned long>(r)) + " at " + hex(a));
            *ran = true;
        }
        return std::string(write ? "wrote " : "read ") + range_words(addr, pages);
    }
    case MmOp::punch:
    case MmOp::truncate:
        return op_on_file(w, op, addr, pages, ran);
    case MmOp::swapout:
    case MmOp::migrate: {
        std::string out;
        for (unsigned long a = addr; a < end; a += PAGE_SIZE) {
            const Mapping m = walk(w, &w.mm, a);
            const std::string at = hex(a);
            if (m.level != Level::pte || !(m.value & _PAGE_PRESENT) || (m.value & _PAGE_SPECIAL)) {
                out += (out.empty() ? "" : "; ") + at + ": no small page mapped";
                continue;
            }
            page* p = w.pfn_to_page(pte_pfn(pte_t{m.value}));
            if (PageCompound(p) || p == w.zero_page) {
                out += (out.empty() ? "" : "; ") + at + ": " + (p == w.zero_page ? "the zero page" : "a pte-mapped THP") +
                       " is not " + (op == MmOp::swapout ? "swapped" : "migrated") + " here";
                continue;
            }
            if (op == MmOp::swapout) {
                // shrink_page_list + try_to_unmap_one: no refcount test before
                // the unmap; a pinned page stays behind in the swap cache.
                if (!PageAnon(p) || mapcount_of(p) != 0) {
                    out += (out.empty() ? "" : "; ") + at + ": only an exclusively mapped anonymous page is swapped out here";
                    continue;
                }
                const bool pinned = p->_refcount > p->model_refs();
                swap_out_pte(w, m.slot, p);
                *ran = true;
                out += (out.empty() ? "" : "; ") + at + ": pfn " + hex(p->pfn()) + " swapped out" +
                       (pinned ? " (pinned: it stays, unmapped)" : "");
                continue;
            }
            // migrate_pages: the expected-count test refuses a pinned page (-EAGAIN).
            page* np = nullptr;
            const unsigned long old = p->pfn();
            const int r = migrate_folio(w, p, 0, true, &np);
            *ran |= r == 0;
            out += (out.empty() ? "" : "; ") + at + ": pfn " + hex(old) +
                   (r == 0 ? " migrated to pfn " + hex(np->pfn())
                           : r == -EAGAIN ? " not migrated (-EAGAIN: references beyond its mappings, e.g. a pin)"
                                          : " not migrated (-ENOMEM)");
        }
        return out;
    }
    case MmOp::munmap: {
        const int r = do_munmap(w, addr, pages * PAGE_SIZE);
        *ran = r == 0;
        return r ? "-EINVAL" : "unmapped " + range_words(addr, pages);
    }
    case MmOp::mprotect_ro: {
        const int r = do_mprotect(w, addr, pages * PAGE_SIZE, VM_READ);
        *ran = r == 0;
        return r ? "rc " + std::to_string(r) : "made read-only " + range_words(addr, pages);
    }
    case MmOp::COUNT:
        break;
    }
    return "nothing: unknown operation";
}

unsigned long fsdax_allocate(World& w, FileObj* f, unsigned long index) {
    while (!w.dax_free.empty() && w.dax_free.front().second == 0)
        w.dax_free.erase(w.dax_free.begin());
    if (w.dax_free.empty())
        return 0;
    const unsigned long pfn = w.dax_free.front().first;
    w.dax_free.front().first++;
    w.dax_free.front().second--;
    w.dax_owner[pfn] = {f->id, index};
    if (w.pfn_valid(pfn)) {
        page* p = w.pfn_to_page(pfn);
        if (p->_refcount > p->model_refs())
            w.trace.lifetime.emplace_back(pfn, "filesystem-DAX block pfn " + hex(pfn) + " now belongs to file #" +
                                       std::to_string(f->id) + " page " + std::to_string(index) + " while " +
                                       std::to_string(p->_refcount - p->model_refs()) +
                                       " GUP reference(s) taken through its old file still hold it: a device "
                                       "writing through that pin writes into the new file's data");
    }
    return pfn;
}

std::string fsdax_owner_words(World& w, unsigned long pfn) {
    if (auto it = w.dax_owner.find(pfn); it != w.dax_owner.end())
        return it->second.file < 0 ? "free"
                                   : "file #" + std::to_string(it->second.file) + " page " + std::to_string(it->second.index);
    for (const auto& f : w.files)
        if (f->kind == FileKind::fsdax && f->pgmap && pfn >= f->pgmap->pfn_first && pfn < f->pgmap->pfn_last)
            return pfn - f->pgmap->pfn_first < f->size_pages
                       ? "file #" + std::to_string(f->id) + " page " + std::to_string(pfn - f->pgmap->pfn_first)
                       : "free";
    return "not a filesystem-DAX block";
}

}  // namespace gupfuzz::kernel
