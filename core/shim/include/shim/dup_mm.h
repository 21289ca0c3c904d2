/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: the inline helpers of include/linux/ that gup.c
 * calls (page flags, folios, reference counts, vmas, locks, files, hugetlb,
 * user access), ported from Linux 6.12 with Debian's config. Where a helper
 * reads state only the model owns it calls a function of shim/backed.h.
 * Departures from the kernel are marked SHIM:.
 */
#ifndef SHIM_DUP_MM_H
#define SHIM_DUP_MM_H

/* ---- include/linux/list.h:25-390 (the kernel's parameter `new` is `entry` here) */
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	WRITE_ONCE(list->prev, list);
}
/* list.h:53-90 (CONFIG_DEBUG_LIST=y: every add is checked out of line) */
static __always_inline bool __list_add_valid(struct list_head *entry, struct list_head *prev,
					     struct list_head *next)
{
	bool ret = true;

	if (!IS_ENABLED(CONFIG_DEBUG_LIST)) {
		if (likely(next->prev == prev && prev->next == next && entry != prev && entry != next))
			return true;
		ret = false;
	}
	ret &= __list_add_valid_or_report(entry, prev, next);
	return ret;
}
static inline void __list_add(struct list_head *entry, struct list_head *prev, struct list_head *next)
{
	if (!__list_add_valid(entry, prev, next))
		return;
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	WRITE_ONCE(prev->next, entry);
}
static inline void list_add_tail(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head->prev, head);
}
static inline int list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/* ---- include/linux/page-flags.h (6.12) ------------------------------- */
enum pageflags {
	PG_locked, PG_writeback, PG_referenced, PG_uptodate, PG_dirty, PG_lru,
	PG_head, PG_waiters, PG_active, PG_workingset, PG_owner_priv_1,
	PG_owner_2, PG_arch_1, PG_reserved, PG_private, PG_private_2, PG_reclaim,
	PG_swapbacked, PG_unevictable, PG_mlocked, PG_hwpoison, PG_young, PG_idle,
	PG_arch_2, __NR_PAGEFLAGS,
	PG_swapcache = PG_owner_priv_1,
	PG_anon_exclusive = PG_owner_2,
};
/* page-flags.h:190-240: the HVO fake-head key is off (stubs.h) */
static __always_inline const struct page *page_fixed_fake_head(const struct page *page)
{
	/* hugetlb_optimize_vmemmap_key is off: no fake heads (stubs.h) */
	return page;
}
static __always_inline int page_is_fake_head(const struct page *page)
{
	return page_fixed_fake_head(page) != page;
}
static __always_inline unsigned long _compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return head - 1;
	return (unsigned long)page_fixed_fake_head(page);
}
#define compound_head(page) ((typeof(page))_compound_head(page))
#define page_folio(p) (_Generic((p),					\
	const struct page *: (const struct folio *)_compound_head(p),	\
	struct page *: (struct folio *)_compound_head(p)))
#define nth_page(page, n) ((page) + (n))		/* mm.h:226 (SPARSEMEM_VMEMMAP) */
#define folio_page(folio, n) nth_page(&(folio)->page, n)
#define folio_page_idx(folio, p) ((p) - &(folio)->page)	/* mm.h:224 */
static __always_inline int PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1 || page_is_fake_head(page);
}
static __always_inline const unsigned long *const_folio_flags(const struct folio *folio, unsigned n)
{
	const struct page *page = &folio->page;

	return &page[n].flags;
}
static __always_inline unsigned long *folio_flags(struct folio *folio, unsigned n)
{
	struct page *page = &folio->page;

	return &page[n].flags;
}
#define PF_ANY(page, enforce) (page)
#define PF_HEAD(page, enforce) compound_head(page)
/* the TESTPAGEFLAG/FOLIO_FLAG generators, for the flags gup.c reaches */
#define SHIM_FOLIO_TEST(lname, bit, n)						\
static __always_inline bool folio_test_##lname(const struct folio *folio)	\
{ return test_bit(bit, const_folio_flags(folio, n)); }
SHIM_FOLIO_TEST(locked, PG_locked, 0)
SHIM_FOLIO_TEST(referenced, PG_referenced, 0)
SHIM_FOLIO_TEST(dirty, PG_dirty, 0)
SHIM_FOLIO_TEST(lru, PG_lru, 0)
SHIM_FOLIO_TEST(head, PG_head, 0)
SHIM_FOLIO_TEST(private, PG_private, 0)
SHIM_FOLIO_TEST(swapbacked, PG_swapbacked, 0)
#undef SHIM_FOLIO_TEST
static __always_inline void folio_set_referenced(struct folio *folio) { set_bit(PG_referenced, folio_flags(folio, 0)); }
static __always_inline void folio_clear_referenced(struct folio *folio) { clear_bit(PG_referenced, folio_flags(folio, 0)); }
static __always_inline int PageDirty(const struct page *page) { return test_bit(PG_dirty, &PF_HEAD(page, 0)->flags); }
static __always_inline int PageHead(const struct page *page) { return test_bit(PG_head, &PF_ANY(page, 0)->flags) && !page_is_fake_head(page); }
/* page-flags.h:848 */
static inline bool folio_test_large(const struct folio *folio) { return folio_test_head(folio); }
/* page-flags.h:600 (CONFIG_SWAP) */
static __always_inline bool folio_test_swapcache(const struct folio *folio)
{
	return folio_test_swapbacked(folio) && test_bit(PG_swapcache, const_folio_flags(folio, 0));
}
/* page-flags.h:673-706 */
#define PAGE_MAPPING_ANON 0x1
#define PAGE_MAPPING_MOVABLE 0x2
#define PAGE_MAPPING_KSM (PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE)
#define PAGE_MAPPING_FLAGS (PAGE_MAPPING_ANON | PAGE_MAPPING_MOVABLE)
static __always_inline bool folio_test_anon(const struct folio *folio)
{
	return ((unsigned long)folio->mapping & PAGE_MAPPING_ANON) != 0;
}
static __always_inline bool PageAnon(const struct page *page) { return folio_test_anon(page_folio(page)); }
/* page-flags.h:940-1080: page types */
enum pagetype {
	PGTY_buddy = 0xf0, PGTY_offline = 0xf1, PGTY_table = 0xf2, PGTY_guard = 0xf3,
	PGTY_hugetlb = 0xf4, PGTY_slab = 0xf5, PGTY_zsmalloc = 0xf6, PGTY_unaccepted = 0xf7,
	PGTY_mapcount_underflow = 0xff
};
static inline bool page_type_has_type(int page_type) { return page_type < (PGTY_mapcount_underflow << 24); }
static inline bool page_mapcount_is_type(unsigned int mapcount) { return page_type_has_type(mapcount - 1); }
static inline bool page_has_type(const struct page *page) { return page_mapcount_is_type(data_race(page->page_type)); }
static __always_inline bool folio_test_slab(const struct folio *folio)
{
	return data_race(folio->page.page_type >> 24) == PGTY_slab;
}
static __always_inline bool folio_test_hugetlb(const struct folio *folio)	/* CONFIG_HUGETLB_PAGE */
{
	return data_race(folio->page.page_type >> 24) == PGTY_hugetlb;
}
static inline bool PageHuge(const struct page *page) { return folio_test_hugetlb(page_folio(page)); }
/* page-flags.h:1131 */
static __always_inline int PageAnonExclusive(const struct page *page)
{
	VM_BUG_ON(!PageAnon(page));
	if (PageHuge(page))
		page = compound_head(page);
	return test_bit(PG_anon_exclusive, &PF_ANY(page, 1)->flags);
}

/* ---- include/linux/mm.h: zones, folio geometry ----------------------- */
static inline enum zone_type page_zonenum(const struct page *page)
{
	ASSERT_EXCLUSIVE_BITS(page->flags, ZONES_MASK << ZONES_PGSHIFT);
	return (page->flags >> ZONES_PGSHIFT) & ZONES_MASK;
}
static inline enum zone_type folio_zonenum(const struct folio *folio) { return page_zonenum(&folio->page); }
static inline bool is_zone_device_page(const struct page *page) { return page_zonenum(page) == ZONE_DEVICE; }
static inline bool folio_is_zone_device(const struct folio *folio) { return is_zone_device_page(&folio->page); }
static inline bool folio_is_zone_movable(const struct folio *folio) { return folio_zonenum(folio) == ZONE_MOVABLE; }
static inline unsigned int folio_order(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 0;
	return folio->_flags_1 & 0xff;
}
static inline long folio_nr_pages(const struct folio *folio)
{
	if (!folio_test_large(folio))
		return 1;
	return folio->_folio_nr_pages;	/* CONFIG_64BIT */
}
static inline unsigned long folio_pfn(const struct folio *folio) { return page_to_pfn(&folio->page); }
static inline size_t folio_size(const struct folio *folio) { return PAGE_SIZE << folio_order(folio); }
#define offset_in_folio(folio, p) ((unsigned long)(p) & (folio_size(folio) - 1))
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define PAGE_ALIGNED(addr) IS_ALIGNED((unsigned long)(addr), PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define folio_has_pincount(folio) folio_test_large(folio)	/* mm.h:1908 */
static inline int folio_large_mapcount(const struct folio *folio)
{
	VM_WARN_ON_FOLIO(!folio_test_large(folio), folio);
	return atomic_read(&folio->_large_mapcount) + 1;
}
static inline int folio_mapcount(const struct folio *folio)
{
	int mapcount;

	if (likely(!folio_test_large(folio))) {
		mapcount = atomic_read(&folio->_mapcount) + 1;
		if (page_mapcount_is_type(mapcount))
			mapcount = 0;
		return mapcount;
	}
	return folio_large_mapcount(folio);
}
/* mm.h:1975-1993 (CONFIG_CMA not set in Debian's config) */
static inline bool is_zero_page(const struct page *page) { return is_zero_pfn(page_to_pfn(page)); }
static inline bool is_zero_folio(const struct folio *folio) { return is_zero_page(&folio->page); }

/* ---- include/linux/page_ref.h: the CONFIG_DEBUG_PAGE_REF hooks are ON in
 * the shim (SHIM: Debian has them off; they change no count, they only let
 * the model's ledger see every change, shim-6.12.md §4.9) --------------- */
#define page_ref_tracepoint_active(t) true
static inline int page_ref_count(const struct page *page) { return atomic_read(&page->_refcount); }
static inline int folio_ref_count(const struct folio *folio) { return page_ref_count(&folio->page); }
static inline void page_ref_add(struct page *page, int nr)
{
	atomic_add(nr, &page->_refcount);
	if (page_ref_tracepoint_active(page_ref_mod))
		__page_ref_mod(page, nr);
}
static inline void folio_ref_add(struct folio *folio, int nr) { page_ref_add(&folio->page, nr); }
static inline void page_ref_sub(struct page *page, int nr)
{
	atomic_sub(nr, &page->_refcount);
	if (page_ref_tracepoint_active(page_ref_mod))
		__page_ref_mod(page, -nr);
}
static inline void folio_ref_sub(struct folio *folio, int nr) { page_ref_sub(&folio->page, nr); }
static inline void page_ref_inc(struct page *page)
{
	atomic_inc(&page->_refcount);
	if (page_ref_tracepoint_active(page_ref_mod))
		__page_ref_mod(page, 1);
}
static inline void folio_ref_inc(struct folio *folio) { page_ref_inc(&folio->page); }
static inline int page_ref_sub_and_test(struct page *page, int nr)
{
	int ret = atomic_sub_and_test(nr, &page->_refcount);

	if (page_ref_tracepoint_active(page_ref_mod_and_test))
		__page_ref_mod_and_test(page, -nr, ret);
	return ret;
}
static inline int folio_ref_sub_and_test(struct folio *folio, int nr) { return page_ref_sub_and_test(&folio->page, nr); }
static inline int page_ref_dec_and_test(struct page *page)
{
	int ret = atomic_dec_and_test(&page->_refcount);

	if (page_ref_tracepoint_active(page_ref_mod_and_test))
		__page_ref_mod_and_test(page, -1, ret);
	return ret;
}
static inline int folio_ref_dec_and_test(struct folio *folio) { return page_ref_dec_and_test(&folio->page); }
#if SHIM_KV >= 612
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	bool ret = false;

	rcu_read_lock();
	if (!page_is_fake_head(page) && page_ref_count(page) != u)
		ret = atomic_add_unless(&page->_refcount, nr, u);
	rcu_read_unlock();
	if (page_ref_tracepoint_active(page_ref_mod_unless))
		__page_ref_mod_unless(page, nr, ret);
	return ret;
}
#else
/* 6.1 page_ref.h:236: no RCU, no fake-head test */
static inline bool page_ref_add_unless(struct page *page, int nr, int u)
{
	bool ret = atomic_add_unless(&page->_refcount, nr, u);

	if (page_ref_tracepoint_active(page_ref_mod_unless))
		__page_ref_mod_unless(page, nr, ret);
	return ret;
}
#endif
static inline bool folio_ref_add_unless(struct folio *folio, int nr, int u) { return page_ref_add_unless(&folio->page, nr, u); }
static inline bool folio_try_get(struct folio *folio) { return folio_ref_add_unless(folio, 1, 0); }
static inline bool folio_ref_try_add(struct folio *folio, int count) { return folio_ref_add_unless(folio, count, 0); }

/* ---- include/linux/mm.h:1405-1600: getting and putting -------------- */
static inline bool put_devmap_managed_folio_refs(struct folio *folio, int refs)
{
	if (!static_branch_unlikely(&devmap_managed_key))
		return false;
	if (!folio_is_zone_device(folio))
		return false;
	return __put_devmap_managed_folio_refs(folio, refs);
}
static inline bool folio_ref_zero_or_close_to_overflow(struct folio *folio)
{
	return ((unsigned int)folio_ref_count(folio) + 127u <= 127u);
}
static inline void folio_get(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_ref_zero_or_close_to_overflow(folio), folio);
	folio_ref_inc(folio);
}
static inline void get_page(struct page *page) { folio_get(page_folio(page)); }
static inline int folio_put_testzero(struct folio *folio)
{
	VM_BUG_ON_FOLIO(folio_ref_count(folio) == 0, folio);
	return folio_ref_dec_and_test(folio);
}
static inline void folio_put(struct folio *folio)
{
	if (folio_put_testzero(folio))
		__folio_put(folio);
}
static inline void folio_put_refs(struct folio *folio, int refs)
{
	if (folio_ref_sub_and_test(folio, refs))
		__folio_put(folio);
}
#define GUP_PIN_COUNTING_BIAS (1U << 10)	/* mm.h:1583 */
static inline bool is_cow_mapping(vm_flags_t flags) { return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE; }
static inline bool vma_is_anonymous(struct vm_area_struct *vma) { return !vma->vm_ops; }
static inline bool vma_is_accessible(struct vm_area_struct *vma) { return vma->vm_flags & VM_ACCESS_FLAGS; }
#if SHIM_KV >= 612
/* mm.h:1993 (no CONFIG_CMA) */
static inline bool folio_is_device_coherent(const struct folio *folio);
static inline bool folio_is_longterm_pinnable(struct folio *folio)
{
	if (is_zero_folio(folio))
		return true;
	if (folio_is_device_coherent(folio))
		return false;
	return !folio_is_zone_movable(folio);
}
#endif
/* mm.h:2238 */
static inline int folio_expected_ref_count(const struct folio *folio)
{
	const int order = folio_order(folio);
	int ref_count = 0;

	if (WARN_ON_ONCE(page_has_type(&folio->page) && !folio_test_hugetlb(folio)))
		return 0;
	ref_count += folio_test_swapcache(folio) << order;
	if (!folio_test_anon(folio)) {
		ref_count += !!folio->mapping << order;
		ref_count += folio_test_private(folio);
	}
	return ref_count + folio_mapcount(folio);
}
static inline int arch_make_folio_accessible(struct folio *folio) { (void)folio; return 0; }	/* mm.h:2261 */
/* mm.h:3656-3676 */
static inline int vm_fault_to_errno(vm_fault_t vm_fault, int foll_flags)
{
	if (vm_fault & VM_FAULT_OOM)
		return -ENOMEM;
	if (vm_fault & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		return (foll_flags & FOLL_HWPOISON) ? -EHWPOISON : -EFAULT;
	if (vm_fault & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
		return -EFAULT;
	return 0;
}
#if SHIM_KV >= 612
static inline bool gup_can_follow_protnone(struct vm_area_struct *vma, unsigned int flags)
{
	if (!(flags & FOLL_HONOR_NUMA_FAULT))
		return true;
	return !vma_is_accessible(vma);
}
#else
/* mm.h:3230 v6.1: only FOLL_FORCE follows a PROT_NONE (NUMA hinting) entry */
static inline bool gup_can_follow_protnone(unsigned int flags) { return flags & FOLL_FORCE; }
#endif

/* ---- include/linux/memremap.h:172-240 (no CONFIG_PCI_P2PDMA) --------- */
static inline bool is_device_coherent_page(const struct page *page)
{
	return is_zone_device_page(page) && page->pgmap->type == MEMORY_DEVICE_COHERENT;
}
static inline bool folio_is_device_coherent(const struct folio *folio) { return is_device_coherent_page(&folio->page); }
static inline bool is_pci_p2pdma_page(const struct page *page)
{
	return IS_ENABLED(CONFIG_PCI_P2PDMA) && is_zone_device_page(page) &&
		page->pgmap->type == MEMORY_DEVICE_PCI_P2PDMA;
}
static inline void put_dev_pagemap(struct dev_pagemap *pgmap)
{
	if (pgmap)
		percpu_ref_put(&pgmap->ref);
}

/* ---- include/linux/pagemap.h:923-1160 -------------------------------- */
static inline pgoff_t folio_index(struct folio *folio)
{
	if (unlikely(folio_test_swapcache(folio)))
		return __folio_swap_cache_index(folio);
	return folio->index;
}
static inline pgoff_t folio_next_index(struct folio *folio) { return folio->index + folio_nr_pages(folio); }
static inline bool folio_trylock(struct folio *folio)
{
	return likely(!test_and_set_bit(PG_locked, folio_flags(folio, 0)));
}
static inline void folio_lock(struct folio *folio)
{
	might_sleep();
	if (!folio_trylock(folio))
		__folio_lock(folio);
}

/* ---- include/linux/swap.h:385, mm_inline.h:28, pagevec.h:41-100 ------ */
static inline bool folio_may_be_lru_cached(struct folio *folio) { return !folio_test_large(folio); }
static inline int folio_is_file_lru(struct folio *folio) { return !folio_test_swapbacked(folio); }
static inline void folio_batch_init(struct folio_batch *fbatch)
{
	fbatch->nr = 0;
	fbatch->i = 0;
	fbatch->percpu_pvec_drained = false;
}
static inline unsigned int folio_batch_count(struct folio_batch *fbatch) { return fbatch->nr; }
static inline void folio_batch_release(struct folio_batch *fbatch)
{
	if (folio_batch_count(fbatch))
		__folio_batch_release(fbatch);
}

/* ---- include/linux/mmap_lock.h:63-190 (tracepoints are stubs) ------- */
/* include/linux/rwsem.h:60-81 (CONFIG_LOCKDEP off: the nolockdep assertion) */
#define RWSEM_UNLOCKED_VALUE 0L
static inline int rwsem_is_locked(struct rw_semaphore *sem)
{
	return atomic_long_read(&sem->count) != RWSEM_UNLOCKED_VALUE;
}
static inline void rwsem_assert_held_nolockdep(const struct rw_semaphore *sem)
{
	WARN_ON(atomic_long_read(&sem->count) == RWSEM_UNLOCKED_VALUE);
}
#define rwsem_assert_held(sem) rwsem_assert_held_nolockdep(sem)
static inline void mmap_assert_locked(const struct mm_struct *mm)
{
	rwsem_assert_held(&mm->mmap_lock);
}
static inline void mmap_read_lock(struct mm_struct *mm)
{
	__mmap_lock_trace_start_locking(mm, false);
	down_read(&mm->mmap_lock);
	__mmap_lock_trace_acquire_returned(mm, false, true);
}
static inline int __must_check mmap_read_lock_killable(struct mm_struct *mm)
{
	int ret;

	__mmap_lock_trace_start_locking(mm, false);
	ret = down_read_killable(&mm->mmap_lock);
	__mmap_lock_trace_acquire_returned(mm, false, ret == 0);
	return ret;
}
static inline void mmap_read_unlock(struct mm_struct *mm)
{
	__mmap_lock_trace_released(mm, false);
	up_read(&mm->mmap_lock);
}

/* ---- include/linux/fs.h:949-3590 ------------------------------------- */
static inline struct inode *file_inode(const struct file *f) { return f->f_inode; }
static inline loff_t i_size_read(const struct inode *inode) { return smp_load_acquire(&inode->i_size); }	/* fs.h:949, 64-bit */
#define IS_DAX(inode) (IS_ENABLED(CONFIG_FS_DAX) && ((inode)->i_flags & S_DAX))
static inline bool vma_is_dax(const struct vm_area_struct *vma)
{
	return vma->vm_file && IS_DAX(vma->vm_file->f_mapping->host);
}
static inline bool vma_is_fsdax(struct vm_area_struct *vma)
{
	struct inode *inode;

	if (!IS_ENABLED(CONFIG_FS_DAX) || !vma->vm_file)
		return false;
	if (!vma_is_dax(vma))
		return false;
	inode = file_inode(vma->vm_file);
	if (S_ISCHR(inode->i_mode))
		return false; /* device-dax */
	return true;
}

/* ---- include/linux/hugetlb.h, hugetlb_inline.h, huge_mm.h ----------- */
static inline bool is_vm_hugetlb_page(struct vm_area_struct *vma) { return !!(vma->vm_flags & VM_HUGETLB); }
static inline unsigned int huge_page_order(struct hstate *h) { return h->order; }
static inline unsigned huge_page_shift(struct hstate *h) { return h->order + PAGE_SHIFT; }
#define HPAGE_PMD_SHIFT PMD_SHIFT
#define HPAGE_PMD_ORDER (HPAGE_PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR (1 << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE ((1UL) << HPAGE_PMD_SHIFT)
#define HPAGE_PMD_MASK (~(HPAGE_PMD_SIZE - 1))
#define HPAGE_PUD_SHIFT PUD_SHIFT
#define HPAGE_PUD_ORDER (HPAGE_PUD_SHIFT - PAGE_SHIFT)
#define HPAGE_PUD_NR (1 << HPAGE_PUD_ORDER)
static inline bool is_huge_zero_pmd(pmd_t pmd)	/* huge_mm.h:457 */
{
	return pmd_present(pmd) && READ_ONCE(huge_zero_pfn) == pmd_pfn(pmd);
}
#define split_huge_pmd(__vma, __pmd, __address)				\
	do {								\
		pmd_t *____pmd = (__pmd);				\
		if (is_swap_pmd(*____pmd) || pmd_trans_huge(*____pmd)	\
					|| pmd_devmap(*____pmd))	\
			__split_huge_pmd(__vma, __pmd, __address,	\
						false, NULL);		\
	}  while (0)
/* swapops.h / huge_mm.h: a non-present, non-none pmd is a swap pmd */
static inline int is_swap_pmd(pmd_t pmd) { return !pmd_none(pmd) && !pmd_present(pmd); }

/* ---- include/linux/secretmem.h:24, shmem_fs.h:164, userfaultfd_k.h -- */
static inline bool secretmem_mapping(struct address_space *mapping)
{
	return mapping->a_ops == &secretmem_aops;
}
static inline bool shmem_file(struct file *file)
{
	if (!IS_ENABLED(CONFIG_SHMEM))
		return false;
	if (!file || !file->f_mapping)
		return false;
	return shmem_mapping(file->f_mapping);
}
static inline bool userfaultfd_wp(struct vm_area_struct *vma) { return vma->vm_flags & VM_UFFD_WP; }
static inline bool userfaultfd_pte_wp(struct vm_area_struct *vma, pte_t pte)
{
	return userfaultfd_wp(vma) && pte_uffd_wp(pte);
}
static inline bool userfaultfd_huge_pmd_wp(struct vm_area_struct *vma, pmd_t pmd)
{
	return userfaultfd_wp(vma) && pmd_uffd_wp(pmd);
}

/* ---- include/linux/vmstat.h (node_stat_mod_folio is backed) --------- */

/* ---- arch/x86/include/asm/irqflags.h, include/linux/irqflags.h ------- */
#define local_irq_save(flags) do { (flags) = arch_local_irq_save(); } while (0)
#define local_irq_restore(flags) do { arch_local_irq_restore(flags); } while (0)
#define irqs_disabled() shim_irqs_disabled()

/* ---- include/linux/seqlock.h:313-382 --------------------------------- */
static inline unsigned raw_read_seqcount(const seqcount_t *s)
{
	unsigned seq = READ_ONCE(s->sequence);

	smp_rmb();
	return seq;
}
static inline int read_seqcount_retry(const seqcount_t *s, unsigned start)
{
	smp_rmb();
	return unlikely(READ_ONCE(s->sequence) != start);
}

/* ---- include/linux/sched/mm.h:454-470, pid.h:230 --------------------- */
static inline unsigned memalloc_flags_save(unsigned flags)	/* sched/mm.h:331 */
{
	unsigned oldflags = ~current->flags & flags;

	current->flags |= flags;
	return oldflags;
}
static inline void memalloc_flags_restore(unsigned flags)
{
	current->flags &= ~flags;
}
static inline unsigned int memalloc_pin_save(void)
{
	return memalloc_flags_save(PF_MEMALLOC_PIN);
}
static inline void memalloc_pin_restore(unsigned int flags)
{
	memalloc_flags_restore(flags);
}
static inline pid_t task_pid_nr(struct task_struct *tsk) { return tsk->pid; }

/* ---- arch/x86/include/asm/mmu_context.h:251 (pkeys: PKRU allows all) - */
#define VM_PKEY_SHIFT 32
#define vma_pkey_mask (BIT(32) | BIT(33) | BIT(34) | BIT(35))	/* pkeys.h:37, ARCH_PKEY_BITS 4 */
static inline int vma_pkey(struct vm_area_struct *vma) { return (vma->vm_flags & vma_pkey_mask) >> VM_PKEY_SHIFT; }
static inline bool vma_is_foreign(struct vm_area_struct *vma)	/* mm.h:956 */
{
	if (!current->mm)
		return true;
	if (current->mm != vma->vm_mm)
		return true;
	return false;
}
static inline bool arch_vma_access_permitted(struct vm_area_struct *vma,
					     bool write, bool execute, bool foreign)
{
	if (execute)
		return true;
	if (foreign || vma_is_foreign(vma))
		return true;
	return __pkru_allows_pkey(vma_pkey(vma), write);
}

/* ---- arch/x86/include/asm/uaccess.h, uaccess_64.h, access_ok.h ------ */
#define untagged_addr(addr) (addr)		/* no CONFIG_ADDRESS_MASKING */
#define untagged_addr_remote(mm, addr) ((void)(mm), untagged_addr(addr))
#define USER_PTR_MAX (TASK_SIZE_MAX - 1)	/* runtime_const_ptr, fixed */
#define valid_user_address(x) ((unsigned long)(x) <= USER_PTR_MAX)	/* uaccess_64.h:56 */
static inline bool __access_ok(const void __user *ptr, unsigned long size)	/* uaccess_64.h:98 */
{
	if (__builtin_constant_p(size <= PAGE_SIZE) && size <= PAGE_SIZE) {
		return valid_user_address(ptr);
	} else {
		unsigned long sum = size + (unsigned long)ptr;

		return valid_user_address(sum) && sum >= (unsigned long)ptr;
	}
}
#define access_ok(addr, size) likely(__access_ok(addr, size))
#define user_access_begin(ptr, len) (access_ok(ptr, len) ? (__uaccess_begin(), 1) : 0)
#define user_access_end() __uaccess_end()
#define user_read_access_begin user_access_begin
#define user_read_access_end user_access_end
#define user_write_access_begin user_access_begin
#define user_write_access_end user_access_end
/* include/linux/uaccess.h:314 (no ARCH_HAS_SUBPAGE_FAULTS) */
static inline size_t probe_subpage_writeable(char __user *uaddr, size_t size)
{
	(void)uaddr; (void)size;
	return 0;
}
#define unsafe_get_user(x, ptr, err_label)					\
	do {									\
		if (shim_user_read(&(x), (ptr), sizeof(*(ptr))))		\
			goto err_label;						\
	} while (0)
#define unsafe_put_user(x, ptr, label)						\
	do {									\
		typeof(*(ptr)) __pu_val = (x);					\
		if (shim_user_write((ptr), &__pu_val, sizeof(*(ptr))))		\
			goto label;						\
	} while (0)

#endif /* SHIM_DUP_MM_H */
