// SPDX-License-Identifier: GPL-2.0-only
/*
 * The part of the C glue only Linux 6.1's mm/gup.c needs (SHIM_KV < 612):
 * the symbols of core/shim/undefined-6.1.txt that 6.12's file does not leave
 * undefined.  Included at the end of glue.c (one translation unit, like
 * tools/testing/vma includes mm/vma.c), so it uses glue.c's state and helpers.
 *
 * 6.1 walks hugetlb in mm/hugetlb.c (follow_hugetlb_page, follow_huge_pmd_pte,
 * follow_huge_pud) and THP in mm/huge_memory.c (follow_trans_huge_pmd,
 * follow_devmap_pmd/pud); 6.12 moved most of that into gup.c.  Those
 * functions reach far outside GUP in their files (hugetlb.c is 7,500 lines of
 * reservation, fault and migration code), so they are PORTED here from the
 * 6.1 file named at each, on the model's state: the same page tables and
 * struct pages gup.c reads; the hugetlb fault is the model's (through
 * handle_mm_fault, which dispatches a hugetlb vma to the model's hugetlb
 * fault as mm/memory.c:5263 does).  What the model cannot produce (migration
 * entries under a pte or pmd, device-coherent pages, hugetlb isolation) ends
 * the call as unmodelled.
 */

/* ---- include/linux/hugetlb.h, asm-generic/hugetlb.h (x86-64, 6.1) ------- */
static inline unsigned long huge_page_size(const struct hstate *h) { return PAGE_SIZE << h->order; }
static inline unsigned long huge_page_mask(const struct hstate *h) { return h->mask; }
static inline unsigned int pages_per_huge_page(const struct hstate *h) { return 1U << h->order; }
static inline pte_t huge_ptep_get(pte_t *ptep) { return ptep_get(ptep); }
static inline int huge_pte_none(pte_t pte) { return pte_none(pte); }
static inline int huge_pte_write(pte_t pte) { return pte_write(pte); }
/* include/linux/swapops.h:122 */
static inline int is_swap_pte(pte_t pte) { return !pte_none(pte) && !pte_present(pte); }
/* include/linux/hugetlb.h:930-950: a PMD-sized hugetlb entry uses the split
 * pmd lock, any other size the mm's page_table_lock */
static inline spinlock_t *huge_pte_lockptr(struct hstate *h, struct mm_struct *mm, pte_t *pte)
{
	if (huge_page_size(h) == PMD_SIZE)
		return pmd_lockptr(mm, (pmd_t *)pte);
	return &mm->page_table_lock;
}
static inline spinlock_t *huge_pte_lock(struct hstate *h, struct mm_struct *mm, pte_t *pte)
{
	spinlock_t *ptl = huge_pte_lockptr(h, mm, pte);

	spin_lock(ptl);
	return ptl;
}
#define min3(x, y, z) min((typeof(x))min(x, y), (typeof(x))(z))

/* mm/hugetlb.c:7269 (CONFIG_ARCH_WANT_GENERAL_HUGETLB) */
static pte_t *huge_pte_offset(struct mm_struct *mm, unsigned long addr, unsigned long sz)
{
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	pgd = pgd_offset(mm, addr);
	if (!pgd_present(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (!p4d_present(*p4d))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (sz == PUD_SIZE)
		return (pte_t *)pud;
	if (!pud_present(*pud))
		return NULL;
	pmd = pmd_offset(pud, addr);
	return (pte_t *)pmd;
}

/* mm/hugetlb.c:6455 */
static inline bool __follow_hugetlb_must_fault(unsigned int flags, pte_t *pte, bool *unshare)
{
	pte_t pteval = huge_ptep_get(pte);

	*unshare = false;
	if (is_swap_pte(pteval))
		return true;
	if (huge_pte_write(pteval))
		return false;
	if (flags & FOLL_WRITE)
		return true;
	if (gup_must_unshare(flags, pte_page(pteval))) {
		*unshare = true;
		return true;
	}
	return false;
}

/* mm/hugetlb.c:6432 */
static void record_subpages_vmas(struct page *page, struct vm_area_struct *vma,
				 int refs, struct page **pages, struct vm_area_struct **vmas)
{
	int nr;

	for (nr = 0; nr < refs; nr++) {
		if (likely(pages))
			pages[nr] = nth_page(page, nr);
		if (vmas)
			vmas[nr] = vma;
	}
}

/* mm/hugetlb.c:5855 hugetlb_fault: the model's hugetlb fault, through the
 * glue's handle_mm_fault (the same vma checks and ledger as every fault) */
static vm_fault_t hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma,
				unsigned long address, unsigned int flags)
{
	check_mm(mm, "hugetlb_fault");
	return handle_mm_fault(vma, address, flags, NULL);
}

/* mm/hugetlb.c:6474 */
long follow_hugetlb_page(struct mm_struct *mm, struct vm_area_struct *vma,
			 struct page **pages, struct vm_area_struct **vmas,
			 unsigned long *position, unsigned long *nr_pages,
			 long i, unsigned int flags, int *locked)
{
	unsigned long pfn_offset;
	unsigned long vaddr = *position;
	unsigned long remainder = *nr_pages;
	struct hstate *h = hstate_vma(vma);
	int err = -EFAULT, refs;

	while (vaddr < vma->vm_end && remainder) {
		pte_t *pte;
		spinlock_t *ptl = NULL;
		bool unshare = false;
		int absent;
		struct page *page;

		if (fatal_signal_pending(current)) {
			remainder = 0;
			break;
		}
		pte = huge_pte_offset(mm, vaddr & huge_page_mask(h), huge_page_size(h));
		if (pte)
			ptl = huge_pte_lock(h, mm, pte);
		absent = !pte || huge_pte_none(huge_ptep_get(pte));
		if (absent && (flags & FOLL_DUMP) &&
		    !hugetlbfs_pagecache_present(h, vma, vaddr)) {
			if (pte)
				spin_unlock(ptl);
			remainder = 0;
			break;
		}
		if (absent || __follow_hugetlb_must_fault(flags, pte, &unshare)) {
			vm_fault_t ret;
			unsigned int fault_flags = 0;

			if (pte)
				spin_unlock(ptl);
			if (flags & FOLL_WRITE)
				fault_flags |= FAULT_FLAG_WRITE;
			else if (unshare)
				fault_flags |= FAULT_FLAG_UNSHARE;
			if (locked)
				fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE;
			if (flags & FOLL_NOWAIT)
				fault_flags |= FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_RETRY_NOWAIT;
			if (flags & FOLL_TRIED)
				fault_flags |= FAULT_FLAG_TRIED;
			ret = hugetlb_fault(mm, vma, vaddr, fault_flags);
			if (ret & VM_FAULT_ERROR) {
				err = vm_fault_to_errno(ret, flags);
				remainder = 0;
				break;
			}
			if (ret & VM_FAULT_RETRY) {
				if (locked && !(fault_flags & FAULT_FLAG_RETRY_NOWAIT))
					*locked = 0;
				*nr_pages = 0;
				return i;
			}
			continue;
		}

		pfn_offset = (vaddr & ~huge_page_mask(h)) >> PAGE_SHIFT;
		page = pte_page(huge_ptep_get(pte));

		VM_BUG_ON_PAGE((flags & FOLL_PIN) && PageAnon(page) &&
			       !PageAnonExclusive(page), page);

		if (!pages && !vmas && !pfn_offset &&
		    (vaddr + huge_page_size(h) < vma->vm_end) &&
		    (remainder >= pages_per_huge_page(h))) {
			vaddr += huge_page_size(h);
			remainder -= pages_per_huge_page(h);
			i += pages_per_huge_page(h);
			spin_unlock(ptl);
			continue;
		}

		refs = min3(pages_per_huge_page(h) - pfn_offset, remainder,
			    (vma->vm_end - ALIGN_DOWN(vaddr, PAGE_SIZE)) >> PAGE_SHIFT);

		if (pages || vmas)
			record_subpages_vmas(nth_page(page, pfn_offset), vma, refs,
					     likely(pages) ? pages + i : NULL,
					     vmas ? vmas + i : NULL);

		if (pages) {
			if (WARN_ON_ONCE(!try_grab_folio(pages[i], refs, flags))) {
				spin_unlock(ptl);
				remainder = 0;
				err = -ENOMEM;
				break;
			}
		}

		vaddr += (refs << PAGE_SHIFT);
		remainder -= refs;
		i += refs;

		spin_unlock(ptl);
	}
	*nr_pages = remainder;
	*position = vaddr;

	return i ? i : err;
}

/* mm/hugetlb.c:7335 (__weak; x86 has no override) */
struct page *follow_huge_addr(struct mm_struct *mm, unsigned long address, int write)
{
	(void)mm; (void)address; (void)write;
	return ERR_PTR(-EINVAL);
}

/* mm/hugetlb.c:7342 (__weak): unreachable without CONFIG_ARCH_HAS_HUGEPD */
struct page *follow_huge_pd(struct vm_area_struct *vma, unsigned long address,
			    hugepd_t hpd, int flags, int pdshift)
{
	(void)vma; (void)address; (void)hpd; (void)flags; (void)pdshift;
	WARN(1, "hugepd follow called with no support for hugepage directory format\n");
	return NULL;
}

/* mm/hugetlb.c:7350 (__weak) */
struct page *follow_huge_pmd_pte(struct vm_area_struct *vma, unsigned long address, int flags)
{
	struct hstate *h = hstate_vma(vma);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = NULL;
	spinlock_t *ptl;
	pte_t *ptep, pte;

	if (WARN_ON_ONCE(flags & FOLL_PIN))
		return NULL;

	ptep = huge_pte_offset(mm, address, huge_page_size(h));
	if (!ptep)
		return NULL;

	ptl = huge_pte_lock(h, mm, ptep);
	pte = huge_ptep_get(ptep);
	if (pte_present(pte)) {
		page = pte_page(pte) + ((address & ~huge_page_mask(h)) >> PAGE_SHIFT);
		if (WARN_ON_ONCE(!try_grab_page(page, flags))) {
			page = NULL;
			goto out;
		}
	} else if (!pte_none(pte)) {
		/* is_hugetlb_entry_migration: __migration_entry_wait_huge */
		spin_unlock(ptl);
		unmodelled("follow_huge_pmd_pte on a non-present hugetlb entry (migration/hwpoison entries)");
	}
out:
	spin_unlock(ptl);
	return page;
}

/* mm/hugetlb.c:7404 (__weak): the model's hugetlb is 2 MiB only, so a
 * huge pud under a hugetlb vma is a model defect */
struct page *follow_huge_pud(struct mm_struct *mm, unsigned long address, pud_t *pud, int flags)
{
	(void)mm; (void)address; (void)pud; (void)flags;
	unmodelled("follow_huge_pud (1 GiB hugetlb pages)");
}

/* arch/x86/mm/hugetlbpage.c:61-71 (6.1) */
int pmd_huge(pmd_t pmd)
{
	return !pmd_none(pmd) &&
		(pmd_val(pmd) & (_PAGE_PRESENT | _PAGE_PSE)) != _PAGE_PRESENT;
}
int pud_huge(pud_t pud)
{
	return !!(pud_val(pud) & _PAGE_PSE);
}

/* mm/huge_memory.c:1416 */
static inline bool can_follow_write_pmd(pmd_t pmd, struct page *page,
					struct vm_area_struct *vma, unsigned int flags)
{
	if (pmd_write(pmd))
		return true;
	if (!(flags & FOLL_FORCE))
		return false;
	if (vma->vm_flags & (VM_MAYSHARE | VM_SHARED))
		return false;
	if (!(vma->vm_flags & VM_MAYWRITE))
		return false;
	if (vma->vm_flags & VM_WRITE)
		return false;
	if (!page || !PageAnon(page) || !PageAnonExclusive(page))
		return false;
	if (vma_soft_dirty_enabled(vma) && !pmd_soft_dirty(pmd))
		return false;
	return !userfaultfd_huge_pmd_wp(vma, pmd);
}

/* mm/huge_memory.c:1450 */
struct page *follow_trans_huge_pmd(struct vm_area_struct *vma, unsigned long addr,
				   pmd_t *pmd, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;

	assert_spin_locked(pmd_lockptr(mm, pmd));

	page = pmd_page(*pmd);
	VM_BUG_ON_PAGE(!PageHead(page) && !is_zone_device_page(page), page);

	if ((flags & FOLL_WRITE) && !can_follow_write_pmd(*pmd, page, vma, flags))
		return NULL;
	if ((flags & FOLL_DUMP) && is_huge_zero_pmd(*pmd))
		return ERR_PTR(-EFAULT);
	if (pmd_protnone(*pmd) && !gup_can_follow_protnone(flags))
		return NULL;
	if (!pmd_write(*pmd) && gup_must_unshare(flags, page))
		return ERR_PTR(-EMLINK);

	VM_BUG_ON_PAGE((flags & FOLL_PIN) && PageAnon(page) &&
		       !PageAnonExclusive(page), page);

	if (!try_grab_page(page, flags))
		return ERR_PTR(-ENOMEM);

	if (flags & FOLL_TOUCH)
		touch_pmd(vma, addr, pmd, flags & FOLL_WRITE);

	page += (addr & ~HPAGE_PMD_MASK) >> PAGE_SHIFT;
	VM_BUG_ON_PAGE(!PageCompound(page) && !is_zone_device_page(page), page);

	return page;
}

/* mm/huge_memory.c:1209 */
struct page *follow_devmap_pud(struct vm_area_struct *vma, unsigned long addr,
			       pud_t *pud, int flags, struct dev_pagemap **pgmap)
{
	unsigned long pfn = pud_pfn(*pud);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;

	assert_spin_locked(pud_lockptr(mm, pud));

	if (flags & FOLL_WRITE && !pud_write(*pud))
		return NULL;
	if (WARN_ON_ONCE((flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET)))
		return NULL;
	if (pud_present(*pud) && pud_devmap(*pud))
		/* pass */;
	else
		return NULL;
	if (flags & FOLL_TOUCH)
		touch_pud(vma, addr, pud, flags & FOLL_WRITE);
	if (!(flags & (FOLL_GET | FOLL_PIN)))
		return ERR_PTR(-EEXIST);

	pfn += (addr & ~PUD_MASK) >> PAGE_SHIFT;
	*pgmap = get_dev_pagemap(pfn, *pgmap);
	if (!*pgmap)
		return ERR_PTR(-EFAULT);
	page = pfn_to_page(pfn);
	if (!try_grab_page(page, flags))
		page = ERR_PTR(-ENOMEM);

	return page;
}

/* mm/migrate.c:316, 347: only with FOLL_MIGRATION (no entry point of the
 * harness passes it) on a migration entry, which the model never leaves in
 * a page table (its migrations complete at once) */
void migration_entry_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long address)
{
	(void)mm; (void)pmd; (void)address;
	unmodelled("migration_entry_wait (the model leaves no migration entries)");
}
void pmd_migration_entry_wait(struct mm_struct *mm, pmd_t *pmd)
{
	(void)mm; (void)pmd;
	unmodelled("pmd_migration_entry_wait (the model leaves no migration entries)");
}

/* mm/migrate_device.c:944: like 6.12's migrate_device_coherent_folio */
int migrate_device_coherent_page(struct page *page)
{
	return migrate_device_coherent_folio(page_folio(page));
}

/* mm/hugetlb.c:7467: as isolate_hugetlb for 6.12 */
int folio_isolate_hugetlb(struct page *page, struct list_head *list)
{
	(void)page; (void)list;
	unmodelled("folio_isolate_hugetlb");
}

/* mm/pgtable-generic.c:49: a pmd that is neither none, a table nor huge */
void pmd_clear_bad(pmd_t *pmd)
{
	glue_bugf("pmd_clear_bad: corrupt pmd %#lx (the model built a bad table)", pmd_val(*pmd));
}

/* include/linux/mm.h:2465: the split ptl of the pte table *pmd points to */
spinlock_t *pte_lockptr(struct mm_struct *mm, pmd_t *pmd)
{
	check_mm(mm, "pte_lockptr");
	return table_lock(pmd_val(*pmd) & PTE_PFN_MASK);
}

/* mm/memremap.c:535: fsdax refcounts are 1-based (wake_up_var at 1 has no
 * waiter in the model) */
bool __put_devmap_managed_page_refs(struct page *page, int refs)
{
	int after;

	if (page->pgmap->type != MEMORY_DEVICE_FS_DAX)
		return false;
	after = atomic_sub_return(refs, &page->_refcount);	/* page_ref_sub_return */
	__page_ref_mod_and_return(page, -refs, after);
	return true;
}

/* mm/huge_memory.c:74 (set with huge_zero_pfn when a call begins) */
struct page *huge_zero_page;
