/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: the x86-64 page-table accessors and the
 * generic walkers of include/linux/pgtable.h, ported from Linux 6.12 with
 * Debian's config. Boot-time values are fixed (shim-6.12.md §4.3):
 * pgtable_l5_enabled() = 0 (the p4d level folds into the pgd slot), SHSTK off,
 * PKRU allows every key, no SME. Page tables are real memory at __va(phys)
 * and struct pages sit at vmemmap + pfn, both through model-owned bases.
 */
#ifndef SHIM_DUP_PGTABLE_H
#define SHIM_DUP_PGTABLE_H

/* arch/x86/include/asm/page_64.h, page.h, memory_model.h:37 */
#define PAGE_OFFSET ((unsigned long)page_offset_base)
#define __va(x) ((void *)((unsigned long)(x) + PAGE_OFFSET))
#define __pa(x) ((unsigned long)(x) - PAGE_OFFSET)
#define vmemmap ((struct page *)vmemmap_base)
#define pfn_to_page(pfn) (vmemmap + (pfn))
#define page_to_pfn(page) (unsigned long)((page) - vmemmap)
#define virt_to_page(kaddr) pfn_to_page(__pa(kaddr) >> PAGE_SHIFT)
#define pgtable_l5_enabled() 0
/* page-table isolation: CONFIG_MITIGATION_PAGE_TABLE_ISOLATION in 6.12,
 * CONFIG_PAGE_TABLE_ISOLATION before 6.9 */
#define SHIM_PTI_ENABLED \
	(IS_ENABLED(CONFIG_MITIGATION_PAGE_TABLE_ISOLATION) || IS_ENABLED(CONFIG_PAGE_TABLE_ISOLATION))
#define __VIRTUAL_MASK_SHIFT 47

/* arch/x86/include/asm/pgtable_types.h:299-490 */
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define __p4d(x) ((p4d_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })
static inline pteval_t pte_val(pte_t pte) { return pte.pte; }
static inline pmdval_t pmd_val(pmd_t pmd) { return pmd.pmd; }
static inline pudval_t pud_val(pud_t pud) { return pud.pud; }
static inline p4dval_t p4d_val(p4d_t p4d) { return p4d.p4d; }
static inline pgdval_t pgd_val(pgd_t pgd) { return pgd.pgd; }
#define native_pte_val pte_val
#define native_pmd_val pmd_val
#define native_pud_val pud_val
#define native_p4d_val p4d_val
static inline pgdval_t pgd_flags(pgd_t pgd) { return pgd_val(pgd) & PTE_FLAGS_MASK; }
static inline p4dval_t p4d_pfn_mask(p4d_t p4d) { (void)p4d; return PTE_PFN_MASK; }
static inline p4dval_t p4d_flags(p4d_t p4d) { return p4d_val(p4d) & ~p4d_pfn_mask(p4d); }
static inline pudval_t pud_pfn_mask(pud_t pud)
{
	if (native_pud_val(pud) & _PAGE_PSE)
		return PHYSICAL_PUD_PAGE_MASK;
	else
		return PTE_PFN_MASK;
}
static inline pudval_t pud_flags(pud_t pud) { return native_pud_val(pud) & ~pud_pfn_mask(pud); }
static inline pmdval_t pmd_pfn_mask(pmd_t pmd)
{
	if (native_pmd_val(pmd) & _PAGE_PSE)
		return PHYSICAL_PMD_PAGE_MASK;
	else
		return PTE_PFN_MASK;
}
static inline pmdval_t pmd_flags(pmd_t pmd) { return native_pmd_val(pmd) & ~pmd_pfn_mask(pmd); }
static inline pteval_t pte_flags(pte_t pte) { return native_pte_val(pte) & PTE_FLAGS_MASK; }

/* arch/x86/include/asm/pgtable-invert.h:5-22: PROT_NONE entries hold the
 * inverted pfn (L1TF) */
static inline bool __pte_needs_invert(u64 val) { return val && !(val & _PAGE_PRESENT); }
static inline u64 protnone_mask(u64 val) { return __pte_needs_invert(val) ? ~0ull : 0; }

/* arch/x86/include/asm/pgtable.h:155-500: predicates and modifiers */
static inline bool pte_dirty(pte_t pte) { return pte_flags(pte) & _PAGE_DIRTY_BITS; }
static inline bool pte_shstk(pte_t pte) { (void)pte; return false; /* X86_FEATURE_SHSTK off */ }
static inline bool pmd_shstk(pmd_t pmd) { (void)pmd; return false; }
static inline int pte_write(pte_t pte) { return (pte_flags(pte) & _PAGE_RW) || pte_shstk(pte); }
static inline int pmd_write(pmd_t pmd) { return (pmd_flags(pmd) & _PAGE_RW) || pmd_shstk(pmd); }
static inline int pud_write(pud_t pud) { return pud_flags(pud) & _PAGE_RW; }
static inline int pte_special(pte_t pte) { return pte_flags(pte) & _PAGE_SPECIAL; }
static inline unsigned long pte_pfn(pte_t pte)
{
	phys_addr_t pfn = pte_val(pte);

	pfn ^= protnone_mask(pfn);
	return (pfn & PTE_PFN_MASK) >> PAGE_SHIFT;
}
static inline unsigned long pmd_pfn(pmd_t pmd)
{
	phys_addr_t pfn = pmd_val(pmd);

	pfn ^= protnone_mask(pfn);
	return (pfn & pmd_pfn_mask(pmd)) >> PAGE_SHIFT;
}
static inline unsigned long pud_pfn(pud_t pud)
{
	phys_addr_t pfn = pud_val(pud);

	pfn ^= protnone_mask(pfn);
	return (pfn & pud_pfn_mask(pud)) >> PAGE_SHIFT;
}
static inline unsigned long p4d_pfn(p4d_t p4d) { return (p4d_val(p4d) & p4d_pfn_mask(p4d)) >> PAGE_SHIFT; }
static inline unsigned long pgd_pfn(pgd_t pgd) { return (pgd_val(pgd) & PTE_PFN_MASK) >> PAGE_SHIFT; }
static inline bool p4d_leaf(p4d_t p4d) { (void)p4d; return 0; }
#define p4d_leaf p4d_leaf
#define pte_page(pte) pfn_to_page(pte_pfn(pte))
static inline bool pmd_leaf(pmd_t pte) { return pmd_flags(pte) & _PAGE_PSE; }
static inline int pmd_trans_huge(pmd_t pmd) { return (pmd_val(pmd) & (_PAGE_PSE | _PAGE_DEVMAP)) == _PAGE_PSE; }
static inline int pmd_devmap(pmd_t pmd) { return !!(pmd_val(pmd) & _PAGE_DEVMAP); }
static inline int pud_devmap(pud_t pud) { return !!(pud_val(pud) & _PAGE_DEVMAP); }
static inline bool pmd_special(pmd_t pmd) { return pmd_flags(pmd) & _PAGE_SPECIAL; }	/* ARCH_SUPPORTS_PMD_PFNMAP */
static inline bool pud_special(pud_t pud) { return pud_flags(pud) & _PAGE_SPECIAL; }	/* ARCH_SUPPORTS_PUD_PFNMAP */
static inline int pgd_devmap(pgd_t pgd) { (void)pgd; return 0; }
static inline pte_t pte_set_flags(pte_t pte, pteval_t set) { return __pte(native_pte_val(pte) | set); }
#if SHIM_KV >= 612
static inline pgprotval_t mksaveddirty_shift(pgprotval_t v)
{
	pgprotval_t cond = (~v >> _PAGE_BIT_RW) & 1;

	v |= ((v >> _PAGE_BIT_DIRTY) & cond) << _PAGE_BIT_SAVED_DIRTY;
	v &= ~(cond << _PAGE_BIT_DIRTY);
	return v;
}
static inline pte_t pte_mksaveddirty(pte_t pte) { return __pte(mksaveddirty_shift(native_pte_val(pte))); }
static inline pte_t pte_mkdirty(pte_t pte)
{
	pte = pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);
	return pte_mksaveddirty(pte);
}
#else
/* 6.1 arch/x86/include/asm/pgtable.h:329: no SavedDirty */
static inline pte_t pte_mkdirty(pte_t pte) { return pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY); }
#endif
static inline pte_t pte_mkyoung(pte_t pte) { return pte_set_flags(pte, _PAGE_ACCESSED); }
static inline int pte_soft_dirty(pte_t pte) { return pte_flags(pte) & _PAGE_SOFT_DIRTY; }
static inline int pmd_soft_dirty(pmd_t pmd) { return pmd_flags(pmd) & _PAGE_SOFT_DIRTY; }
static inline int pte_uffd_wp(pte_t pte) { return pte_flags(pte) & _PAGE_UFFD_WP; }
static inline int pmd_uffd_wp(pmd_t pmd) { return pmd_flags(pmd) & _PAGE_UFFD_WP; }

/* arch/x86/include/asm/pgtable.h:991-1230 */
static inline int pte_none(pte_t pte) { return !(pte.pte & ~(_PAGE_KNL_ERRATUM_MASK)); }
static inline int pte_same(pte_t a, pte_t b) { return a.pte == b.pte; }
static inline int pte_present(pte_t a) { return pte_flags(a) & (_PAGE_PRESENT | _PAGE_PROTNONE); }
static inline int pte_devmap(pte_t a) { return (pte_flags(a) & _PAGE_DEVMAP) == _PAGE_DEVMAP; }
static inline int pmd_present(pmd_t pmd) { return pmd_flags(pmd) & (_PAGE_PRESENT | _PAGE_PROTNONE | _PAGE_PSE); }
static inline int pte_protnone(pte_t pte)
{
	return (pte_flags(pte) & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE;
}
static inline int pmd_protnone(pmd_t pmd)
{
	return (pmd_flags(pmd) & (_PAGE_PROTNONE | _PAGE_PRESENT)) == _PAGE_PROTNONE;
}
static inline int pmd_none(pmd_t pmd) { return (native_pmd_val(pmd) & ~_PAGE_KNL_ERRATUM_MASK) == 0; }
static inline unsigned long pmd_page_vaddr(pmd_t pmd) { return (unsigned long)__va(pmd_val(pmd) & pmd_pfn_mask(pmd)); }
#define pmd_page(pmd) pfn_to_page(pmd_pfn(pmd))
static inline int pmd_bad(pmd_t pmd)
{
	return (pmd_flags(pmd) & ~(_PAGE_USER | _PAGE_ACCESSED)) != (_KERNPG_TABLE & ~_PAGE_ACCESSED);
}
static inline int pud_none(pud_t pud) { return (native_pud_val(pud) & ~(_PAGE_KNL_ERRATUM_MASK)) == 0; }
static inline int pud_present(pud_t pud) { return pud_flags(pud) & _PAGE_PRESENT; }
static inline pmd_t *pud_pgtable(pud_t pud) { return (pmd_t *)__va(pud_val(pud) & pud_pfn_mask(pud)); }
#define pud_page(pud) pfn_to_page(pud_pfn(pud))
static inline bool pud_leaf(pud_t pud) { return pud_val(pud) & _PAGE_PSE; }
static inline int pud_bad(pud_t pud) { return (pud_flags(pud) & ~(_KERNPG_TABLE | _PAGE_USER)) != 0; }
static inline int p4d_none(p4d_t p4d) { return (native_p4d_val(p4d) & ~(_PAGE_KNL_ERRATUM_MASK)) == 0; }
static inline int p4d_present(p4d_t p4d) { return p4d_flags(p4d) & _PAGE_PRESENT; }
static inline pud_t *p4d_pgtable(p4d_t p4d) { return (pud_t *)__va(p4d_val(p4d) & p4d_pfn_mask(p4d)); }
static inline int p4d_bad(p4d_t p4d)
{
	unsigned long ignore_flags = _KERNPG_TABLE | _PAGE_USER;

	if (SHIM_PTI_ENABLED)
		ignore_flags |= _PAGE_NX;
	return (p4d_flags(p4d) & ~ignore_flags) != 0;
}
static inline int pgd_present(pgd_t pgd)
{
	if (!pgtable_l5_enabled())
		return 1;
	return pgd_flags(pgd) & _PAGE_PRESENT;
}
#define pgd_page(pgd) pfn_to_page(pgd_pfn(pgd))
static inline unsigned long pgd_page_vaddr(pgd_t pgd)
{
	return (unsigned long)__va((unsigned long)pgd_val(pgd) & PTE_PFN_MASK);
}
static inline unsigned long p4d_index(unsigned long address) { return (address >> P4D_SHIFT) & (PTRS_PER_P4D - 1); }
static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long address)
{
	if (!pgtable_l5_enabled())
		return (p4d_t *)pgd;
	return (p4d_t *)pgd_page_vaddr(*pgd) + p4d_index(address);
}
static inline int pgd_bad(pgd_t pgd)
{
	unsigned long ignore_flags = _PAGE_USER;

	if (!pgtable_l5_enabled())
		return 0;
	if (SHIM_PTI_ENABLED)
		ignore_flags |= _PAGE_NX;
	return (pgd_flags(pgd) & ~ignore_flags) != _KERNPG_TABLE;
}
static inline int pgd_none(pgd_t pgd)
{
	if (!pgtable_l5_enabled())
		return 0;
	return !pgd_val(pgd);
}
static inline bool pgd_leaf(pgd_t pgd) { (void)pgd; return false; }	/* pgtable.h:1476 */

/* arch/x86/include/asm/pgtable.h:1680-1725; pkeys.h: PKRU allows every key */
static inline u16 pte_flags_pkey(unsigned long pte_flags)
{
	return (pte_flags & _PAGE_PKEY_MASK) >> _PAGE_BIT_PKEY_BIT0;
}
static inline bool __pkru_allows_pkey(u16 pkey, bool write) { (void)pkey; (void)write; return true; }
static inline bool __pte_access_permitted(unsigned long pteval, bool write)
{
	unsigned long need_pte_bits = _PAGE_PRESENT | _PAGE_USER;

	if (write)
		need_pte_bits |= _PAGE_RW;
	if ((pteval & need_pte_bits) != need_pte_bits)
		return 0;
	return __pkru_allows_pkey(pte_flags_pkey(pteval), write);
}
static inline bool pte_access_permitted(pte_t pte, bool write) { return __pte_access_permitted(pte_val(pte), write); }
static inline bool pmd_access_permitted(pmd_t pmd, bool write) { return __pte_access_permitted(pmd_val(pmd), write); }
static inline bool pud_access_permitted(pud_t pud, bool write) { return __pte_access_permitted(pud_val(pud), write); }

/* arch/x86/include/asm/pgtable_64.h:264 */
#define gup_fast_permitted gup_fast_permitted
static inline bool gup_fast_permitted(unsigned long start, unsigned long end)
{
	(void)start;
	if (end >> __VIRTUAL_MASK_SHIFT)
		return false;
	return true;
}

/* include/linux/pgtable.h:40-160: indices and offsets */
static inline unsigned long pte_index(unsigned long address) { return (address >> PAGE_SHIFT) & (PTRS_PER_PTE - 1); }
static inline unsigned long pmd_index(unsigned long address) { return (address >> PMD_SHIFT) & (PTRS_PER_PMD - 1); }
static inline unsigned long pud_index(unsigned long address) { return (address >> PUD_SHIFT) & (PTRS_PER_PUD - 1); }
#define pgd_index(a) (((a) >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1))
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long address)
{
	return (pte_t *)pmd_page_vaddr(*pmd) + pte_index(address);
}
#if SHIM_KV >= 612
static inline void pte_unmap(pte_t *pte) { (void)pte; rcu_read_unlock(); }	/* pgtable.h:113 */
#else
static inline void pte_unmap(pte_t *pte) { (void)pte; }	/* 6.1 pgtable.h:104: no RCU, no HIGHPTE */
#endif
static inline pmd_t *pmd_offset(pud_t *pud, unsigned long address) { return pud_pgtable(*pud) + pmd_index(address); }
static inline pud_t *pud_offset(p4d_t *p4d, unsigned long address) { return p4d_pgtable(*p4d) + pud_index(address); }
static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long address) { return (pgd + pgd_index(address)); }
#define pgd_offset(mm, address) pgd_offset_pgd((mm)->pgd, (address))
#define pgd_offset_k(address) pgd_offset(&init_mm, (address))
#define pgd_offset_gate(mm, addr) pgd_offset(mm, addr)
/* pgtable.h:282-345: accessors (x86 has no GUP_GET_PXX_LOW_HIGH) */
static inline pte_t ptep_get(pte_t *ptep) { return READ_ONCE(*ptep); }
static inline pmd_t pmdp_get(pmd_t *pmdp) { return READ_ONCE(*pmdp); }
static inline pud_t pudp_get(pud_t *pudp) { return READ_ONCE(*pudp); }
static inline p4d_t p4dp_get(p4d_t *p4dp) { return READ_ONCE(*p4dp); }
static inline pgd_t pgdp_get(pgd_t *pgdp) { return READ_ONCE(*pgdp); }
static inline pte_t ptep_get_lockless(pte_t *ptep) { return ptep_get(ptep); }	/* pgtable.h:549 */
static inline pmd_t pmdp_get_lockless(pmd_t *pmdp) { return pmdp_get(pmdp); }	/* pgtable.h:565 */
static inline void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	(void)mm; (void)addr;
	WRITE_ONCE(*ptep, pte);		/* set_ptes(..., 1) -> native_set_pte */
}
/* pgtable.h:1199-1225 */
#define pgd_addr_end(addr, end)						\
({	unsigned long __boundary = ((addr) + PGDIR_SIZE) & PGDIR_MASK;	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})
#define p4d_addr_end(addr, end)						\
({	unsigned long __boundary = ((addr) + P4D_SIZE) & P4D_MASK;	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})
#define pud_addr_end(addr, end)						\
({	unsigned long __boundary = ((addr) + PUD_SIZE) & PUD_MASK;	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})
#define pmd_addr_end(addr, end)						\
({	unsigned long __boundary = ((addr) + PMD_SIZE) & PMD_MASK;	\
	(__boundary - 1 < (end) - 1) ? __boundary : (end);		\
})
/* pgtable.h:1896-1902 */
#define p4d_offset_lockless(pgdp, pgd, address) p4d_offset(&(pgd), address)
#define pud_offset_lockless(p4dp, p4d, address) pud_offset(&(p4d), address)
#define pmd_offset_lockless(pudp, pud, address) pmd_offset(&(pud), address)
/* pgtable.h:1579 */
static inline int is_zero_pfn(unsigned long pfn) { return pfn == zero_pfn; }
/* pgtable.h:1028 (generic) */
#define pgd_access_permitted(pgd, write) (pgd_present(pgd) && (!(write) || pgd_write(pgd)))
/* include/linux/hugetlb.h:473: x86 has no pgd-level huge pages */
static inline int pgd_write(pgd_t pgd) { (void)pgd; BUG(); return 0; }

/* include/linux/mm.h:3064-3195: mapping and locking page tables */
#if SHIM_KV >= 612
static inline pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr) { return __pte_offset_map(pmd, addr, NULL); }
static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
					 unsigned long addr, spinlock_t **ptlp)
{
	return __pte_offset_map_lock(mm, pmd, addr, ptlp);
}
#else
/* 6.1: include/linux/pgtable.h:103 (no HIGHPTE), mm.h:2465, 2521: the pte
 * table cannot vanish under the caller (no RCU freeing), so mapping it cannot
 * fail; the lock is the split ptl of the table's page (backed: the tables
 * live in the model's arena) */
#define pte_offset_map(dir, address) pte_offset_kernel((dir), (address))
#define pte_offset_map_lock(mm, pmd, address, ptlp)	\
({							\
	spinlock_t *__ptl = pte_lockptr(mm, pmd);	\
	pte_t *__pte = pte_offset_map(pmd, address);	\
	*(ptlp) = __ptl;				\
	spin_lock(__ptl);				\
	__pte;						\
})
#endif
#define pte_unmap_unlock(pte, ptl) do { spin_unlock(ptl); pte_unmap(pte); } while (0)
#define pte_alloc(mm, pmd) (unlikely(pmd_none(*(pmd))) && __pte_alloc(mm, pmd))
static inline spinlock_t *pmd_lock(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_lockptr(mm, pmd);

	spin_lock(ptl);
	return ptl;
}
static inline spinlock_t *pud_lockptr(struct mm_struct *mm, pud_t *pud) { (void)pud; return &mm->page_table_lock; }
static inline spinlock_t *pud_lock(struct mm_struct *mm, pud_t *pud)
{
	spinlock_t *ptl = pud_lockptr(mm, pud);

	spin_lock(ptl);
	return ptl;
}
/* include/linux/spinlock.h:452: BUG_ON(!locked) on the lock word the model writes */
#define assert_spin_locked(lock) BUG_ON(!READ_ONCE((lock)->locked))

#endif /* SHIM_DUP_PGTABLE_H */
