/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: what gup.c takes from mm/internal.h (6.12),
 * beside the internal FOLL_ flags and struct migration_target_control
 * (shim/dup_types.h) and the model-backed folio_isolate_lru,
 * migrate_device_coherent_folio, touch_pmd, touch_pud (shim/backed.h).
 */
#ifndef SHIM_DUP_INTERNAL_H
#define SHIM_DUP_INTERNAL_H

#if SHIM_KV >= 612
/* mm/internal.h:1373 */
static inline bool gup_must_unshare(struct vm_area_struct *vma,
				    unsigned int flags, struct page *page)
{
	if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN)
		return false;
	if (!PageAnon(page)) {
		if (!(flags & FOLL_LONGTERM))
			return false;
		if (!vma)
			return true;
		return is_cow_mapping(vma->vm_flags);
	}
	if (IS_ENABLED(CONFIG_HAVE_GUP_FAST))
		smp_rmb();
	return !PageAnonExclusive(page);
}
#else
/* include/linux/mm.h:3189 v6.1: in mm.h, no vma, only anonymous pages */
static inline bool gup_must_unshare(unsigned int flags, struct page *page)
{
	if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN)
		return false;
	if (!PageAnon(page))
		return false;
	if (IS_ENABLED(CONFIG_HAVE_FAST_GUP))
		smp_rmb();
	if (unlikely(!PageHead(page) && PageHuge(page)))
		page = compound_head(page);
	return !PageAnonExclusive(page);
}
#endif /* SHIM_KV */

/* mm/internal.h:1430-1456 (CONFIG_MEM_SOFT_DIRTY=y) */
static inline bool vma_soft_dirty_enabled(struct vm_area_struct *vma)
{
	if (!IS_ENABLED(CONFIG_MEM_SOFT_DIRTY))
		return false;
	return !(vma->vm_flags & VM_SOFTDIRTY);
}
static inline bool pmd_needs_soft_dirty_wp(struct vm_area_struct *vma, pmd_t pmd)
{
	return vma_soft_dirty_enabled(vma) && !pmd_soft_dirty(pmd);
}
static inline bool pte_needs_soft_dirty_wp(struct vm_area_struct *vma, pte_t pte)
{
	return vma_soft_dirty_enabled(vma) && !pte_soft_dirty(pte);
}

#endif /* SHIM_DUP_INTERNAL_H */
