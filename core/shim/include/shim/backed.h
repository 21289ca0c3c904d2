/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TO BE BACKED BY THE SIMULATED KERNEL (class c of shim-6.12.md §3, §5):
 * every function and object here is only declared. The compiled gup.o refers
 * to them as undefined symbols; core/shim/undefined-6.12.txt lists exactly
 * those it needs (a ctest entry checks it), each with what it is. Nothing
 * implements them yet: gup.o is compiled, not linked (docs/kernel-shim.md).
 *
 * Prototypes are the kernel's (file:line of 6.12 given); a few are kernel
 * inlines that read state only the model owns, or kernel constructs the shim
 * turns into a call (current, cond_resched, unsafe_{get,put}_user, BUG).
 */
#ifndef SHIM_BACKED_H
#define SHIM_BACKED_H

struct pt_regs;
struct address_space_operations;

/* ---- faults and page tables ------------------------------------------ */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);	/* memory.c:6071 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
			    pte_t pte);				/* memory.c:594 */
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd);		/* memory.c:447 */
void vma_pgtable_walk_begin(struct vm_area_struct *vma);	/* memory.c:6972 */
void vma_pgtable_walk_end(struct vm_area_struct *vma);		/* memory.c:6978 */
pte_t *__pte_offset_map(pmd_t *pmd, unsigned long addr, pmd_t *pmdvalp);	/* pgtable-generic.c:282 */
pte_t *__pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd,
			     unsigned long addr, spinlock_t **ptlp);	/* pgtable-generic.c:364 */
spinlock_t *pmd_lockptr(struct mm_struct *mm, pmd_t *pmd);	/* inline, mm.h:3114 (ptdesc) */
struct page *follow_devmap_pmd(struct vm_area_struct *vma, unsigned long addr,
			       pmd_t *pmd, int flags, struct dev_pagemap **pgmap);	/* huge_memory.c:1578 */
void touch_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd, bool write);	/* huge_memory.c:1565 */
void touch_pud(struct vm_area_struct *vma, unsigned long addr, pud_t *pud, bool write);	/* huge_memory.c:1742 */
void __split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address,
		      bool freeze, struct folio *folio);	/* huge_memory.c:2964 */

bool pfn_valid(unsigned long pfn);	/* inline over mem_section, mmzone.h:2026 (DEBUG_VM only) */

/* ---- the vma tree and kinds of vma ----------------------------------- */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);	/* mmap.c:974 */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start_addr,
					     unsigned long end_addr);	/* mmap.c:955 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);	/* inline over the maple tree, mm.h:3500 */
struct vm_area_struct *get_gate_vma(struct mm_struct *mm);	/* vsyscall_64.c:304 */
int in_gate_area(struct mm_struct *mm, unsigned long addr);	/* vsyscall_64.c:315 */
bool vma_needs_dirty_tracking(struct vm_area_struct *vma);	/* vma.c:1887 */
bool vma_is_secretmem(struct vm_area_struct *vma);		/* secretmem.c:215 */

/* ---- lists: CONFIG_DEBUG_LIST=y checks every list_add out of line -- */
bool __list_add_valid_or_report(struct list_head *entry, struct list_head *prev,
				struct list_head *next);	/* lib/list_debug.c:23 */

/* ---- references and lifetime ----------------------------------------- */
void __page_ref_mod(struct page *page, int v);			/* debug_page_ref.c:15 */
void __page_ref_mod_unless(struct page *page, int v, int u);	/* debug_page_ref.c:36 */
void __page_ref_mod_and_test(struct page *page, int v, int ret);	/* debug_page_ref.c:25 */
void __page_ref_mod_and_return(struct page *page, int v, int ret);	/* debug_page_ref.c:31 */
void __folio_put(struct folio *folio);				/* swap.c:97 */
void __folio_batch_release(struct folio_batch *fbatch);		/* swap.c:1050 */
bool __put_devmap_managed_folio_refs(struct folio *folio, int refs);	/* memremap.c:515 */
struct dev_pagemap *get_dev_pagemap(unsigned long pfn, struct dev_pagemap *pgmap);	/* memremap.c:434 */
void percpu_ref_put(struct percpu_ref *ref);			/* inline, percpu-refcount.h:349 */

/* ---- folio state, LRU, dirtying, statistics -------------------------- */
void __folio_lock(struct folio *folio);				/* filemap.c:1636 */
void folio_unlock(struct folio *folio);				/* filemap.c:1495 */
bool folio_mark_dirty(struct folio *folio);			/* page-writeback.c:2891 */
bool set_page_dirty(struct page *page);				/* folio-compat.c:49 */
void mark_page_accessed(struct page *page);			/* folio-compat.c:37 */
#if SHIM_KV >= 612
bool folio_isolate_lru(struct folio *folio);			/* vmscan.c:1787: true when isolated */
#else
int folio_isolate_lru(struct folio *folio);			/* 6.1 vmscan.c:2319: 0 when isolated, -EBUSY */
#endif
void lru_add_drain(void);					/* swap.c:729 */
void lru_add_drain_all(void);					/* swap.c:883 */
void node_stat_mod_folio(struct folio *folio, enum node_stat_item item, int nr);	/* inline, vmstat.h:476 (per-cpu) */
pgoff_t __folio_swap_cache_index(struct folio *folio);		/* swapfile.c:3794 */

/* ---- migration and hugetlb ------------------------------------------- */
typedef struct folio *new_folio_t(struct folio *folio, unsigned long private);	/* migrate.h:10 */
typedef void free_folio_t(struct folio *folio, unsigned long private);
int migrate_pages(struct list_head *l, new_folio_t new_folio, free_folio_t free,
		  unsigned long private, enum migrate_mode mode, int reason,
		  unsigned int *ret_succeeded);				/* migrate.c:2041 */
struct folio *alloc_migration_target(struct folio *src, unsigned long private);	/* migrate.c:2138 */
void putback_movable_pages(struct list_head *l);		/* migrate.c:182 */
int migrate_device_coherent_folio(struct folio *folio);		/* migrate_device.c:934 */
bool isolate_hugetlb(struct folio *folio, struct list_head *list);	/* hugetlb.c:7493 */
bool hugetlbfs_pagecache_present(struct hstate *h, struct vm_area_struct *vma,
				 unsigned long address);	/* hugetlb.c:6029 */
struct hstate *hstate_vma(struct vm_area_struct *vma);		/* inline, hugetlb.h:751 (hugetlbfs sb) */
struct hstate *hstate_file(struct file *f);			/* inline, hugetlb.h:735 */
bool is_file_hugepages(struct file *file);			/* inline, hugetlb.h:526 */

/* ---- files ----------------------------------------------------------- */
unsigned filemap_get_folios_contig(struct address_space *mapping, pgoff_t *start,
				   pgoff_t end, struct folio_batch *fbatch);	/* filemap.c:2182 */
struct folio *memfd_alloc_folio(struct file *memfd, pgoff_t idx);	/* memfd.c:68 */
bool shmem_mapping(struct address_space *mapping);		/* shmem.c:272 */

/* ---- task, locks, signals, interrupts, yield (hooks) ----------------- */
struct task_struct *get_current(void);				/* asm/current.h:52 */
#define current get_current()
int signal_pending(struct task_struct *p);			/* inline, sched/signal.h:404 */
int fatal_signal_pending(struct task_struct *p);		/* inline, sched/signal.h:423 */
void down_read(struct rw_semaphore *sem);			/* rwsem.c */
int down_read_killable(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void spin_lock(spinlock_t *lock);				/* spinlock.h:349 */
void spin_unlock(spinlock_t *lock);				/* spinlock.h:389 */
void rcu_read_lock(void);					/* rcupdate.h */
void rcu_read_unlock(void);
unsigned long arch_local_irq_save(void);			/* asm/irqflags.h */
void arch_local_irq_restore(unsigned long flags);
int shim_irqs_disabled(void);	/* irqs_disabled(): arch_irqs_disabled() reads EFLAGS.IF */
void shim_cond_resched(void);	/* the cond_resched static call (sched.h:2057-2093) */
#define cond_resched() ({ shim_cond_resched(); 0; })

/* ---- user memory: x86 unsafe_{get,put}_user are asm goto with exception
 * tables (asm/uaccess.h:519-549); the shim calls the model, which returns
 * nonzero where a real access would fault, and keeps gup.c's goto. ------ */
int shim_user_read(volatile void *dst, const void __user *src, unsigned long size);
int shim_user_write(void __user *dst, const void *src, unsigned long size);

/* ---- diagnostics ----------------------------------------------------- */
__noreturn void shim_bug(const char *file, int line);	/* BUG(): longjmp to the executor */
void shim_warn(const char *file, int line, const char *cond);	/* every WARN_ON hit */
int _printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));	/* printk.c */
void dump_stack(void);						/* lib/dump_stack.c */

/* ---- data the model defines ------------------------------------------ */
extern unsigned long page_offset_base;	/* x86 page_64.h:17: __va(phys) = phys + it */
extern unsigned long vmemmap_base;	/* x86 page_64.h:19: pfn_to_page = vmemmap + pfn */
extern unsigned long zero_pfn;		/* memory.c:166 */
extern unsigned long huge_zero_pfn;	/* huge_memory.c:83 */
extern volatile unsigned long jiffies;	/* jiffies.h:86 */
extern struct static_key_false devmap_managed_key;	/* memremap.c:37 */
extern const struct address_space_operations secretmem_aops;	/* secretmem.c:237 */

#if SHIM_KV < 612
/* ---- Linux 6.1 only: out of line in mm/hugetlb.c, mm/huge_memory.c,
 * mm/migrate.c, mm/memremap.c, arch/x86/mm/hugetlbpage.c (6.1.192) ------ */
long follow_hugetlb_page(struct mm_struct *mm, struct vm_area_struct *vma,
			 struct page **pages, struct vm_area_struct **vmas,
			 unsigned long *position, unsigned long *nr_pages,
			 long i, unsigned int flags, int *locked);	/* hugetlb.c:6380 */
int folio_isolate_hugetlb(struct page *page, struct list_head *list);	/* hugetlb.c:7284 */
struct page *follow_huge_addr(struct mm_struct *mm, unsigned long address,
			      int write);			/* hugetlb.c:7174, __weak */
struct page *follow_huge_pd(struct vm_area_struct *vma, unsigned long address,
			    hugepd_t hpd, int flags, int pdshift);	/* hugetlb.c:7181, __weak */
struct page *follow_huge_pmd_pte(struct vm_area_struct *vma, unsigned long address,
				 int flags);			/* hugetlb.c:7189 */
struct page *follow_huge_pud(struct mm_struct *mm, unsigned long address,
			     pud_t *pud, int flags);		/* hugetlb.c:7239 */
struct page *follow_huge_pgd(struct mm_struct *mm, unsigned long address,
			     pgd_t *pgd, int flags);		/* hugetlb.c:7249 */
int pmd_huge(pmd_t pmd);					/* arch/x86/mm/hugetlbpage.c:61 */
int pud_huge(pud_t pud);					/* arch/x86/mm/hugetlbpage.c:68 */
struct page *follow_trans_huge_pmd(struct vm_area_struct *vma, unsigned long addr,
				   pmd_t *pmd, unsigned int flags);	/* huge_memory.c:1416 */
struct page *follow_devmap_pud(struct vm_area_struct *vma, unsigned long addr,
			       pud_t *pud, int flags, struct dev_pagemap **pgmap);	/* huge_memory.c:1262 */
void migration_entry_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long address);	/* migrate.c:327 */
void pmd_migration_entry_wait(struct mm_struct *mm, pmd_t *pmd);	/* migrate.c:367 */
int migrate_device_coherent_page(struct page *page);		/* migrate_device.c:909 */
bool __put_devmap_managed_page_refs(struct page *page, int refs);	/* memremap.c:512 */
spinlock_t *pte_lockptr(struct mm_struct *mm, pmd_t *pmd);	/* inline, mm.h:2465 (ptlock_ptr of the table page) */
void pmd_clear_bad(pmd_t *pmd);					/* pgtable-generic.c:36 */
extern struct page *huge_zero_page;				/* huge_memory.c:61 */
extern const struct address_space_operations secretmem_aops;	/* secretmem.c:149 */
#endif /* SHIM_KV < 612 */

#endif /* SHIM_BACKED_H */
