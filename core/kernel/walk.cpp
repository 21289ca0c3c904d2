// SPDX-License-Identifier: GPL-2.0-only
#include "core/kernel/walk.h"

namespace gupfuzz::kernel {

namespace {
// The MMU's view: a present entry without PSE points to the next table,
// whatever other flag bits it carries (a "bad" entry to the kernel's eyes is
// still walked by the hardware and by huge_pte_offset).
bool is_table(pteval_t v) { return (v & _PAGE_PRESENT) && !(v & _PAGE_PSE); }
bool is_none(pteval_t v) { return (v & ~_PAGE_KNL_ERRATUM_MASK) == 0; }
}  // namespace

Mapping walk(World& w, mm_struct* mm, unsigned long addr) {
    Mapping m;
    m.level = Level::p4d;
    m.slot = &mm->pgd[pgd_index(addr)].pgd;
    m.value = *m.slot;
    if (is_none(m.value) || !is_table(m.value))
        return m;
    m.level = Level::pud;
    m.slot = w.table_of(m.value) + pud_index(addr);
    m.value = *m.slot;
    if (is_none(m.value) || !is_table(m.value)) {
        m.leaf_huge = (m.value & _PAGE_PSE) && (m.value & _PAGE_PRESENT);
        return m;
    }
    m.level = Level::pmd;
    m.slot = w.table_of(m.value) + pmd_index(addr);
    m.value = *m.slot;
    if (is_none(m.value) || !is_table(m.value)) {
        m.leaf_huge = (m.value & _PAGE_PSE) != 0;
        return m;
    }
    m.level = Level::pte;
    m.slot = w.table_of(m.value) + pte_index(addr);
    m.value = *m.slot;
    return m;
}

RefEntry mapped_pfn(World& w, mm_struct* mm, unsigned long addr) {
    RefEntry r;
    const Mapping m = walk(w, mm, addr);
    const pteval_t v = m.value;
    if (m.level == Level::pte && (v & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
        r.mapped = true;
        r.pfn = (v & PTE_PFN_MASK) >> PAGE_SHIFT;
    } else if ((m.level == Level::pmd || m.level == Level::pud) && (v & _PAGE_PSE) &&
               (v & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
        r.mapped = true;
        const unsigned long mask = m.level == Level::pmd ? ~PMD_MASK : ~PUD_MASK;
        r.pfn = ((v & PTE_PFN_MASK) >> PAGE_SHIFT) + ((addr & mask) >> PAGE_SHIFT);
    }
    r.bits = v;
    return r;
}

}  // namespace gupfuzz::kernel
