// SPDX-License-Identifier: GPL-2.0-only
//
// Kernel model, part 2: the x86-64 page-table accessors of v4.15
// (arch/x86/include/asm/pgtable.h, pgtable_types.h, include/asm-generic/
// pgtable-nop4d.h).  Definitions duplicated from the kernel's arch layer, as
// tools/testing/vma does; the port calls them exactly where the kernel does.
#pragma once

#include "core/kernel/types.h"

namespace gupfuzz::kernel {

// ---- raw values and flags ----
inline pteval_t pte_val(pte_t p) { return p.pte; }
inline pteval_t pmd_val(pmd_t p) { return p.pmd; }
inline pteval_t pud_val(pud_t p) { return p.pud; }
inline pteval_t p4d_val(p4d_t p) { return p.pgd.pgd; }
inline pteval_t pte_flags(pte_t p) { return p.pte & PTE_FLAGS_MASK; }
inline pteval_t pmd_flags(pmd_t p) { return p.pmd & PTE_FLAGS_MASK; }
inline pteval_t pud_flags(pud_t p) { return p.pud & PTE_FLAGS_MASK; }
inline pteval_t p4d_flags(p4d_t p) { return p.pgd.pgd & PTE_FLAGS_MASK; }
inline unsigned long pte_pfn(pte_t p) { return (p.pte & PTE_PFN_MASK) >> PAGE_SHIFT; }
// pmd_pfn_mask / pud_pfn_mask: a huge (PSE) entry's pfn field starts at the huge-page boundary
// (PHYSICAL_PMD_PAGE_MASK / PHYSICAL_PUD_PAGE_MASK), which keeps PAT_LARGE (bit 12) out of it.
inline pteval_t pmd_pfn_mask(pmd_t p) { return (p.pmd & _PAGE_PSE) ? (PTE_PFN_MASK & PMD_MASK) : PTE_PFN_MASK; }
inline pteval_t pud_pfn_mask(pud_t p) { return (p.pud & _PAGE_PSE) ? (PTE_PFN_MASK & PUD_MASK) : PTE_PFN_MASK; }
inline unsigned long pmd_pfn(pmd_t p) { return (p.pmd & pmd_pfn_mask(p)) >> PAGE_SHIFT; }
inline unsigned long pud_pfn(pud_t p) { return (p.pud & pud_pfn_mask(p)) >> PAGE_SHIFT; }

// ---- pte ----
inline bool pte_none(pte_t p) { return !(p.pte & ~_PAGE_KNL_ERRATUM_MASK); }
inline bool pte_present(pte_t p) { return p.pte & (_PAGE_PRESENT | _PAGE_PROTNONE); }
inline bool pte_protnone(pte_t p) { return (pte_flags(p) & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE; }
inline bool pte_write(pte_t p) { return pte_flags(p) & _PAGE_RW; }
inline bool pte_dirty(pte_t p) { return pte_flags(p) & _PAGE_DIRTY; }
inline bool pte_young(pte_t p) { return pte_flags(p) & _PAGE_ACCESSED; }
inline bool pte_special(pte_t p) { return pte_flags(p) & _PAGE_SPECIAL; }
inline bool pte_devmap(pte_t p) { return pte_flags(p) & _PAGE_DEVMAP_ANY; }
inline bool pte_same(pte_t a, pte_t b) { return a.pte == b.pte; }
inline pte_t pte_mkdirty(pte_t p) { return {p.pte | _PAGE_DIRTY}; }
inline pte_t pte_mkyoung(pte_t p) { return {p.pte | _PAGE_ACCESSED}; }
inline pte_t pte_mkwrite(pte_t p) { return {p.pte | _PAGE_RW}; }
inline pte_t pte_wrprotect(pte_t p) { return {p.pte & ~_PAGE_RW}; }

// ---- pmd ----
inline bool pmd_none(pmd_t p) { return (p.pmd & ~_PAGE_KNL_ERRATUM_MASK) == 0; }
inline bool pmd_present(pmd_t p) { return pmd_flags(p) & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE); }
inline bool pmd_protnone(pmd_t p) { return (pmd_flags(p) & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE; }
inline bool pmd_bad(pmd_t p) { return (pmd_flags(p) & ~_PAGE_USER) != _KERNPG_TABLE; }
inline bool pmd_trans_huge(pmd_t p) { return (p.pmd & (_PAGE_PSE | _PAGE_DEVMAP_ANY)) == _PAGE_PSE; }
inline bool pmd_devmap(pmd_t p) { return p.pmd & _PAGE_DEVMAP_ANY; }
inline bool pmd_write(pmd_t p) { return pmd_flags(p) & _PAGE_RW; }
inline bool pmd_dirty(pmd_t p) { return pmd_flags(p) & _PAGE_DIRTY; }
// arch/x86/mm/hugetlbpage.c
inline bool pmd_huge(pmd_t p) { return !pmd_none(p) && (p.pmd & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT; }
inline pmd_t pmd_mkdirty(pmd_t p) { return {p.pmd | _PAGE_DIRTY}; }
inline pmd_t pmd_mkyoung(pmd_t p) { return {p.pmd | _PAGE_ACCESSED}; }

// ---- pud ----
inline bool pud_none(pud_t p) { return (p.pud & ~_PAGE_KNL_ERRATUM_MASK) == 0; }
inline bool pud_present(pud_t p) { return pud_flags(p) & _PAGE_PRESENT; }
inline bool pud_bad(pud_t p) { return (pud_flags(p) & ~(_KERNPG_TABLE | _PAGE_USER)) != 0; }
inline bool pud_devmap(pud_t p) { return p.pud & _PAGE_DEVMAP_ANY; }
inline bool pud_write(pud_t p) { return pud_flags(p) & _PAGE_RW; }
inline bool pud_huge(pud_t p) { return p.pud & _PAGE_PSE; }
inline pud_t pud_mkdirty(pud_t p) { return {p.pud | _PAGE_DIRTY}; }
inline pud_t pud_mkyoung(pud_t p) { return {p.pud | _PAGE_ACCESSED}; }

// ---- p4d / pgd (pgtable-nop4d.h: the pgd level is folded into p4d) ----
inline bool pgd_none(pgd_t) { return false; }
inline bool pgd_bad(pgd_t) { return false; }
inline bool p4d_none(p4d_t p) { return (p.pgd.pgd & ~_PAGE_KNL_ERRATUM_MASK) == 0; }
// CONFIG_PAGE_TABLE_ISOLATION=y (v4.15): user top-level entries may carry NX.
inline bool p4d_bad(p4d_t p) { return (p4d_flags(p) & ~(_KERNPG_TABLE | _PAGE_USER | _PAGE_NX)) != 0; }

// ---- swap entries (include/linux/swapops.h + arch encoding) ----
inline bool is_swap_pte(pte_t p) { return !pte_none(p) && !pte_present(p); }
// include/linux/swapops.h v4.15: SWP_TYPE_SHIFT = 64 - (MAX_SWAPFILES_SHIFT + RADIX_TREE_EXCEPTIONAL_SHIFT) = 57
constexpr unsigned SWP_TYPE_SHIFT = 57;
inline swp_entry_t swp_entry(unsigned type, unsigned long offset) {
    return {(static_cast<unsigned long>(type) << SWP_TYPE_SHIFT) | (offset & ((1UL << SWP_TYPE_SHIFT) - 1))};
}
inline unsigned swp_type(swp_entry_t e) { return static_cast<unsigned>(e.val >> SWP_TYPE_SHIFT); }
inline unsigned long swp_offset(swp_entry_t e) { return e.val & ((1UL << SWP_TYPE_SHIFT) - 1); }
inline swp_entry_t pte_to_swp_entry(pte_t p) {
    unsigned type = static_cast<unsigned>((p.pte >> SWP_TYPE_FIRST_BIT) & ((1U << SWP_TYPE_BITS) - 1));
    return swp_entry(type, p.pte >> SWP_OFFSET_FIRST_BIT);
}
inline pte_t swp_entry_to_pte(swp_entry_t e) {
    return {(static_cast<pteval_t>(swp_type(e)) << SWP_TYPE_FIRST_BIT) |
            (static_cast<pteval_t>(swp_offset(e)) << SWP_OFFSET_FIRST_BIT)};
}
inline bool is_migration_entry(swp_entry_t e) {
    return swp_type(e) == SWP_MIGRATION_READ || swp_type(e) == SWP_MIGRATION_WRITE;
}
inline bool is_hwpoison_entry(swp_entry_t e) { return swp_type(e) == SWP_HWPOISON; }
inline bool non_swap_entry(swp_entry_t e) { return swp_type(e) >= MAX_SWAPFILES; }
inline bool is_pmd_migration_entry(pmd_t p) {
    return !pmd_present(p) && !pmd_none(p) && is_migration_entry(pte_to_swp_entry(pte_t{p.pmd}));
}

// ---- index helpers ----
inline unsigned pgd_index(unsigned long a) { return (a >> PGDIR_SHIFT) & (PTRS_PER_TABLE - 1); }
inline unsigned pud_index(unsigned long a) { return (a >> PUD_SHIFT) & (PTRS_PER_TABLE - 1); }
inline unsigned pmd_index(unsigned long a) { return (a >> PMD_SHIFT) & (PTRS_PER_TABLE - 1); }
inline unsigned pte_index(unsigned long a) { return (a >> PAGE_SHIFT) & (PTRS_PER_TABLE - 1); }

inline bool is_cow_mapping(vm_flags_t flags) { return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }
inline bool is_vm_hugetlb_page(const vm_area_struct* vma) { return vma->vm_flags & VM_HUGETLB; }
inline bool vma_is_anonymous(const vm_area_struct* vma) { return !vma->vm_ops; }

}  // namespace gupfuzz::kernel
