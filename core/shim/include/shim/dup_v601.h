/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: what Linux 6.1's mm/gup.c uses that 6.12's does
 * not (or uses with another shape), ported from Debian's linux-source-6.1
 * (6.1.192, x86-64, Debian's amd64 config). Included by shim/shim.h only when
 * SHIM_KV < 612; the definitions that exist in both generations with another
 * body sit in their usual header under `#if SHIM_KV >= 612 ... #else`.
 *
 * One simplification, said once here: the struct page / struct folio layout
 * the shim presents to 6.1's gup.c is the simulated kernel's, which is 6.12's
 * (a folio's metadata in page[1] at 6.12's offsets: order in _flags_1,
 * _pincount at page[1]+28). 6.1's kernel keeps them elsewhere (compound_order
 * at page[1]+17, compound_pincount at page[1]+24). 6.1's gup.c never names
 * those fields: it reaches them only through the helpers below
 * (folio_pincount_ptr, folio_order, folio_nr_pages), which the shim defines,
 * so the file cannot tell. The page-flag bit numbers are likewise the
 * model's; gup.c only tests flags through the PageX/folio_test_x helpers.
 */
#ifndef SHIM_DUP_V601_H
#define SHIM_DUP_V601_H

/* ---- include/linux/page-flags.h:295 */
static __always_inline int PageCompound(const struct page *page)
{
	return test_bit(PG_head, &page->flags) || READ_ONCE(page->compound_head) & 1;
}
/* ---- include/linux/page-flags.h: PAGEFLAG(Referenced, referenced, PF_HEAD) */
static __always_inline void SetPageReferenced(struct page *page) { set_bit(PG_referenced, &PF_HEAD(page, 1)->flags); }
static __always_inline void ClearPageReferenced(struct page *page) { clear_bit(PG_referenced, &PF_HEAD(page, 1)->flags); }

/* ---- include/linux/hugetlb.h:24-25, 482-487 (no CONFIG_ARCH_HAS_HUGEPD;
 * hugepd_t is in shim/dup_types.h) */
#define is_hugepd(hugepd) (0)
#define __hugepd(x) ((hugepd_t) { (x) })
#define pgd_huge(x) 0
#define p4d_huge(x) 0

/* ---- include/linux/mm.h:1112-1130 (CONFIG_ZONE_DEVICE && CONFIG_FS_DAX) */
static inline bool put_devmap_managed_page_refs(struct page *page, int refs)
{
	if (!static_branch_unlikely(&devmap_managed_key))
		return false;
	if (!is_zone_device_page(page))
		return false;
	return __put_devmap_managed_page_refs(page, refs);
}
static inline bool put_devmap_managed_page(struct page *page) { return put_devmap_managed_page_refs(page, 1); }
/* mm.h:1262 */
static inline void put_page(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (put_devmap_managed_page(&folio->page))
		return;
	folio_put(folio);
}

/* ---- include/linux/mm.h:1555 (the field is the model's, see above) ---- */
static inline atomic_t *folio_pincount_ptr(struct folio *folio) { return &folio->_pincount; }

/* ---- include/linux/mmzone.h:1002 */
static inline bool is_zone_movable_page(const struct page *page) { return page_zonenum(page) == ZONE_MOVABLE; }

/* ---- include/linux/mm.h:1647-1667 (CONFIG_MIGRATION, no CONFIG_CMA) ---- */
static inline bool is_longterm_pinnable_page(struct page *page)
{
	/* The zero page can be "pinned" but gets special handling. */
	if (is_zero_page(page))
		return true;
	/* Coherent device memory must always allow eviction. */
	if (is_device_coherent_page(page))
		return false;
	/* Otherwise, non-movable zone pages can be pinned. */
	return !is_zone_movable_page(page);
}
static inline bool folio_is_longterm_pinnable(struct folio *folio) { return is_longterm_pinnable_page(&folio->page); }

/* ---- include/linux/mm.h:1841 (no HAVE_ARCH_MAKE_PAGE_ACCESSIBLE) ------ */
static inline int arch_make_page_accessible(struct page *page) { (void)page; return 0; }

/* ---- include/linux/page_ref.h:266 (not CONFIG_TINY_RCU) ---------------- */
static inline bool folio_ref_try_add_rcu(struct folio *folio, int count)
{
	if (unlikely(!folio_ref_add_unless(folio, count, 0))) {
		/* Either the folio has been freed, or will be freed. */
		return false;
	}
	return true;
}

/* ---- include/linux/huge_mm.h:266-273, 291 ------------------------- */
static inline bool is_huge_zero_page(struct page *page) { return READ_ONCE(huge_zero_page) == page; }
static inline bool thp_migration_supported(void) { return IS_ENABLED(CONFIG_ARCH_ENABLE_THP_MIGRATION); }

/* ---- include/linux/secretmem.h:9 (CONFIG_SECRETMEM) -------------------- */
static inline bool page_is_secretmem(struct page *page)
{
	struct address_space *mapping;

	if (PageCompound(page))
		return false;
	mapping = (struct address_space *)
		((unsigned long)page->mapping & ~PAGE_MAPPING_FLAGS);
	if (!mapping || mapping != page->mapping)
		return false;
	return mapping->a_ops == &secretmem_aops;
}

/* ---- include/linux/pgtable.h:1363, 1398-1462 (CONFIG_TRANSPARENT_HUGEPAGE) */
static inline pmd_t pmd_read_atomic(pmd_t *pmdp) { return *pmdp; }
static inline int pmd_none_or_trans_huge_or_clear_bad(pmd_t *pmd)
{
	pmd_t pmdval = pmd_read_atomic(pmd);

	barrier();
	if (pmd_none(pmdval) || pmd_trans_huge(pmdval) ||
	    (IS_ENABLED(CONFIG_ARCH_ENABLE_THP_MIGRATION) && !pmd_present(pmdval)))
		return 1;
	if (unlikely(pmd_bad(pmdval))) {
		pmd_clear_bad(pmd);
		return 1;
	}
	return 0;
}
static inline int pmd_trans_unstable(pmd_t *pmd) { return pmd_none_or_trans_huge_or_clear_bad(pmd); }

/* ---- swap entries: include/linux/swap.h:40-130 (CONFIG_MIGRATION,
 * CONFIG_MEMORY_FAILURE, CONFIG_PTE_MARKER, no CONFIG_DEVICE_PRIVATE),
 * arch/x86/include/asm/pgtable_64.h:214-241, pgtable_64_types.h:221,
 * pgtable_types.h:97-107, pgtable.h:1286-1370, swapops.h:27-140, 262, 589-612 */
#define MAX_SWAPFILES_SHIFT 5
#define SWP_SWAPIN_ERROR_NUM 1
#define SWP_PTE_MARKER_NUM 1
#define SWP_DEVICE_NUM 0
#define SWP_MIGRATION_NUM 3
#define SWP_HWPOISON_NUM 1
#define MAX_SWAPFILES \
	((1 << MAX_SWAPFILES_SHIFT) - SWP_DEVICE_NUM - \
	SWP_MIGRATION_NUM - SWP_HWPOISON_NUM - \
	SWP_PTE_MARKER_NUM - SWP_SWAPIN_ERROR_NUM)
#define SWP_MIGRATION_READ (MAX_SWAPFILES + SWP_HWPOISON_NUM)
#define SWP_MIGRATION_READ_EXCLUSIVE (MAX_SWAPFILES + SWP_HWPOISON_NUM + 1)
#define SWP_MIGRATION_WRITE (MAX_SWAPFILES + SWP_HWPOISON_NUM + 2)

#define SWP_TYPE_BITS 5
#define SWP_OFFSET_FIRST_BIT (_PAGE_BIT_PROTNONE + 1)
#define SWP_OFFSET_SHIFT (SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS)
#define __swp_type(x) ((x).val >> (64 - SWP_TYPE_BITS))
#define __swp_offset(x) (~(x).val << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT)
#define __pte_to_swp_entry(pte) ((swp_entry_t) { pte_val((pte)) })
#define __pmd_to_swp_entry(pmd) ((swp_entry_t) { pmd_val((pmd)) })

#define _PAGE_SWP_EXCLUSIVE (1UL << _PAGE_BIT_PWT)	/* _PAGE_PWT */
#define _PAGE_SWP_SOFT_DIRTY _PAGE_RW	/* CONFIG_MEM_SOFT_DIRTY */
#define _PAGE_SWP_UFFD_WP _PAGE_USER	/* CONFIG_HAVE_ARCH_USERFAULTFD_WP */
static inline pte_t pte_clear_flags(pte_t pte, pteval_t clear) { return __pte(pte_val(pte) & ~clear); }
static inline pmd_t pmd_clear_flags(pmd_t pmd, pmdval_t clear) { return __pmd(pmd_val(pmd) & ~clear); }
static inline int pte_swp_exclusive(pte_t pte) { return pte_flags(pte) & _PAGE_SWP_EXCLUSIVE; }
static inline pte_t pte_swp_clear_exclusive(pte_t pte) { return pte_clear_flags(pte, _PAGE_SWP_EXCLUSIVE); }
static inline int pte_swp_soft_dirty(pte_t pte) { return pte_flags(pte) & _PAGE_SWP_SOFT_DIRTY; }
static inline pte_t pte_swp_clear_soft_dirty(pte_t pte) { return pte_clear_flags(pte, _PAGE_SWP_SOFT_DIRTY); }
static inline int pmd_swp_soft_dirty(pmd_t pmd) { return pmd_flags(pmd) & _PAGE_SWP_SOFT_DIRTY; }
static inline pmd_t pmd_swp_clear_soft_dirty(pmd_t pmd) { return pmd_clear_flags(pmd, _PAGE_SWP_SOFT_DIRTY); }
static inline int pte_swp_uffd_wp(pte_t pte) { return pte_flags(pte) & _PAGE_SWP_UFFD_WP; }
static inline pte_t pte_swp_clear_uffd_wp(pte_t pte) { return pte_clear_flags(pte, _PAGE_SWP_UFFD_WP); }
static inline int pmd_swp_uffd_wp(pmd_t pmd) { return pmd_flags(pmd) & _PAGE_SWP_UFFD_WP; }
static inline pmd_t pmd_swp_clear_uffd_wp(pmd_t pmd) { return pmd_clear_flags(pmd, _PAGE_SWP_UFFD_WP); }

#define BITS_PER_XA_VALUE (BITS_PER_LONG - 1)
#define SWP_TYPE_SHIFT (BITS_PER_XA_VALUE - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK ((1UL << SWP_TYPE_SHIFT) - 1)
static inline swp_entry_t swp_entry(unsigned long type, pgoff_t offset)
{
	swp_entry_t ret;

	ret.val = (type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK);
	return ret;
}
static inline unsigned swp_type(swp_entry_t entry) { return (entry.val >> SWP_TYPE_SHIFT); }
static inline pte_t pte_swp_clear_flags(pte_t pte)
{
	if (pte_swp_exclusive(pte))
		pte = pte_swp_clear_exclusive(pte);
	if (pte_swp_soft_dirty(pte))
		pte = pte_swp_clear_soft_dirty(pte);
	if (pte_swp_uffd_wp(pte))
		pte = pte_swp_clear_uffd_wp(pte);
	return pte;
}
static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	swp_entry_t arch_entry;

	pte = pte_swp_clear_flags(pte);
	arch_entry = __pte_to_swp_entry(pte);
	return swp_entry(__swp_type(arch_entry), __swp_offset(arch_entry));
}
static inline int is_migration_entry(swp_entry_t entry)
{
	return unlikely(swp_type(entry) == SWP_MIGRATION_READ ||
			swp_type(entry) == SWP_MIGRATION_READ_EXCLUSIVE ||
			swp_type(entry) == SWP_MIGRATION_WRITE);
}
static inline swp_entry_t pmd_to_swp_entry(pmd_t pmd)
{
	swp_entry_t arch_entry;

	if (pmd_swp_soft_dirty(pmd))
		pmd = pmd_swp_clear_soft_dirty(pmd);
	if (pmd_swp_uffd_wp(pmd))
		pmd = pmd_swp_clear_uffd_wp(pmd);
	arch_entry = __pmd_to_swp_entry(pmd);
	return swp_entry(__swp_type(arch_entry), __swp_offset(arch_entry));
}
static inline int is_pmd_migration_entry(pmd_t pmd)
{
	return is_swap_pmd(pmd) && is_migration_entry(pmd_to_swp_entry(pmd));
}

#endif /* SHIM_DUP_V601_H */
