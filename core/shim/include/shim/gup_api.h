/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: the prototypes of what gup.c itself defines, as
 * include/linux/mm.h, pagemap.h, memfd.h and mm/internal.h (6.12) declare
 * them. gup.c calls some before their definition; and a prototype that
 * differs from the compiled definition is a hard error ("conflicting types"),
 * so this is also the checked interface the simulated kernel's C glue calls.
 */
#ifndef SHIM_GUP_API_H
#define SHIM_GUP_API_H

#if SHIM_KV >= 612
/* mm/internal.h */
int __must_check try_grab_folio(struct folio *folio, int refs, unsigned int flags);
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked);
long faultin_page_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, bool write, int *locked);
int __mm_populate(unsigned long addr, unsigned long len, int ignore_errors);

/* include/linux/mm.h: release */
void unpin_user_page(struct page *page);
void unpin_folio(struct folio *folio);
void folio_add_pin(struct folio *folio);
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty);
void unpin_user_page_range_dirty_lock(struct page *page, unsigned long npages, bool make_dirty);
void unpin_user_pages(struct page **pages, unsigned long npages);
void unpin_user_folio(struct folio *folio, unsigned long npages);
void unpin_folios(struct folio **folios, unsigned long nfolios);

/* include/linux/mm.h: entry points */
int fixup_user_fault(struct mm_struct *mm, unsigned long address,
		     unsigned int fault_flags, bool *unlocked);
struct page *get_dump_page(unsigned long addr);
long get_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, int *locked);
long get_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long get_user_pages_unlocked(unsigned long start, unsigned long nr_pages,
			     struct page **pages, unsigned int gup_flags);
int get_user_pages_fast_only(unsigned long start, int nr_pages,
			     unsigned int gup_flags, struct page **pages);
int get_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
long pin_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, int *locked);
long pin_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages);
long pin_user_pages_unlocked(unsigned long start, unsigned long nr_pages,
			     struct page **pages, unsigned int gup_flags);

/* include/linux/pagemap.h (user memory), memfd.h */
size_t fault_in_writeable(char __user *uaddr, size_t size);
size_t fault_in_subpage_writeable(char __user *uaddr, size_t size);
size_t fault_in_safe_writeable(const char __user *uaddr, size_t size);
size_t fault_in_readable(const char __user *uaddr, size_t size);
long memfd_pin_folios(struct file *memfd, loff_t start, loff_t end,
		      struct folio **folios, unsigned int max_folios, pgoff_t *offset);
#else
/* ---- Linux 6.1: mm/internal.h:521-523, 880; include/linux/mm.h:1155,
 * 1269-1274, 2087-2165, 2886 (6.1.192): the vmas arrays, try_grab_folio on a
 * page, faultin_vma_page_range */
struct folio *try_grab_folio(struct page *page, int refs, unsigned int flags);
bool __must_check try_grab_page(struct page *page, unsigned int flags);
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked);
long faultin_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			    unsigned long end, bool write, int *locked);
int __mm_populate(unsigned long addr, unsigned long len, int ignore_errors);

void unpin_user_page(struct page *page);
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty);
void unpin_user_page_range_dirty_lock(struct page *page, unsigned long npages, bool make_dirty);
void unpin_user_pages(struct page **pages, unsigned long npages);

int fixup_user_fault(struct mm_struct *mm, unsigned long address,
		     unsigned int fault_flags, bool *unlocked);
struct page *get_dump_page(unsigned long addr);
long get_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, struct vm_area_struct **vmas, int *locked);
long pin_user_pages_remote(struct mm_struct *mm, unsigned long start,
			   unsigned long nr_pages, unsigned int gup_flags,
			   struct page **pages, struct vm_area_struct **vmas, int *locked);
long get_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages,
		    struct vm_area_struct **vmas);
long pin_user_pages(unsigned long start, unsigned long nr_pages,
		    unsigned int gup_flags, struct page **pages,
		    struct vm_area_struct **vmas);
long get_user_pages_unlocked(unsigned long start, unsigned long nr_pages,
			     struct page **pages, unsigned int gup_flags);
long pin_user_pages_unlocked(unsigned long start, unsigned long nr_pages,
			     struct page **pages, unsigned int gup_flags);
int get_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast(unsigned long start, int nr_pages,
			unsigned int gup_flags, struct page **pages);
int get_user_pages_fast_only(unsigned long start, int nr_pages,
			     unsigned int gup_flags, struct page **pages);
int pin_user_pages_fast_only(unsigned long start, int nr_pages,
			     unsigned int gup_flags, struct page **pages);

/* include/linux/pagemap.h (user memory) */
size_t fault_in_writeable(char __user *uaddr, size_t size);
size_t fault_in_subpage_writeable(char __user *uaddr, size_t size);
size_t fault_in_safe_writeable(const char __user *uaddr, size_t size);
size_t fault_in_readable(const char __user *uaddr, size_t size);
#endif /* SHIM_KV */

#endif /* SHIM_GUP_API_H */
