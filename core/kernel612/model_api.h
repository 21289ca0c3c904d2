/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The plain-C interface between the 6.12 glue (core/kernel612/glue.c, compiled
 * against core/shim like mm/gup.c) and the simulated kernel (C++,
 * kernel::World), implemented in core/kernel612/model_api.cpp.
 *
 * No kernel type crosses it: handles are small integers (a vma's index in the
 * call's snapshot of the World's vmas, a file's index), pages are pfns, page
 * tables are the physical address of the table (the glue reaches the memory
 * itself through __va, which is the World's page-table arena).  Both sides
 * include this header; neither includes the other's.
 *
 * Errors: a C++ exception raised by the model inside a gm_* function
 * (kernel::KernelBug, kernel::Livelock, any std::exception) is caught in that
 * function, before it returns to C, and stored.  gm_pending() is then non-zero
 * and the glue ends the call with a longjmp from its own C frame (glue.c
 * GM()).  No C++ exception ever unwinds through a C frame.
 */
#ifndef GUPFUZZ_KERNEL612_MODEL_API_H
#define GUPFUZZ_KERNEL612_MODEL_API_H

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the call in progress --------------------------------------------- */
int gm_pending(void);                      /* a model exception was stored */
void gm_record_bug(const char *text);      /* the call's Outcome::bug (first one wins) */
void gm_record_warning(const char *text);  /* one WARN_ON hit */
void *gm_scratch(unsigned long bytes);     /* zeroed memory that lives until the call ends */

/* ---- the World's layout ---------------------------------------------- */
unsigned long gm_page_offset_base(void);   /* __va(phys) = phys + this */
unsigned long gm_vmemmap_base(void);       /* pfn_to_page(pfn) = this + 64 * pfn */
unsigned long gm_user_pgd_phys(void);      /* the task's pgd table (physical address) */
unsigned long gm_init_pgd_phys(void);      /* init_mm's pgd table */
unsigned long gm_highest_memmap_pfn(void);
unsigned long gm_zero_pfn(void);           /* empty_zero_page */
unsigned long gm_huge_zero_pfn(void);      /* the huge zero folio */
int gm_pfn_valid(unsigned long pfn);
int gm_fsdax_pgmaps(void);                 /* live MEMORY_DEVICE_FS_DAX pgmaps (devmap_managed_key) */

/* ---- vmas and files: a snapshot of the World's, taken at call start and
 * re-read after every model call that may change them ------------------- */
enum gm_file_kind { GM_FILE_REGULAR, GM_FILE_FSDAX, GM_FILE_SHMEM, GM_FILE_DEVDAX, GM_FILE_HUGETLBFS, GM_FILE_MMIO };
struct gm_vma {
	unsigned long start, end;
	unsigned long flags;       /* VM_* (the model's values are 6.12's for every bit it uses) */
	unsigned long pgoff;
	int file;                  /* index for gm_file_get, -1 for anonymous memory */
	int has_vm_ops;            /* vma->vm_ops != NULL (a file or the gate vma) */
	void *anon_vma;            /* the model's anon_vma, opaque */
};
struct gm_file {
	int kind;                  /* enum gm_file_kind */
	unsigned int inode_mode, inode_flags;  /* file_inode(file): i_mode, i_flags (S_DAX) */
	unsigned int host_mode, host_flags;    /* f_mapping->host */
	long long size;            /* i_size */
	int page_mkwrite, pfn_mkwrite;         /* vm_ops has them */
	unsigned long mapping;     /* the model's address_space (what page->mapping holds) */
};
int gm_vma_count(void);                    /* refreshes the snapshot */
void gm_vma_get(int i, struct gm_vma *out);
int gm_gate_vma(struct gm_vma *out);       /* 0 when there is no gate vma (vsyscall=none) */
int gm_file_count(void);
void gm_file_get(int i, struct gm_file *out);
int gm_file_of_mapping(unsigned long mapping);  /* the file whose address_space this is, or -1 */
/* current->flags of the call (the glue's task mirror) and PF_MEMALLOC_PIN:
 * the model allocates outside ZONE_MOVABLE while the bit is set (6.12
 * current_gfp_context, memalloc_pin_save in __gup_longterm_locked). */
void gm_register_task_flags(const unsigned int *flags, unsigned int pf_memalloc_pin);
unsigned long gm_mm_flags(void);           /* mm->flags, kept with the World across calls */
void gm_set_mm_flags(unsigned long flags);

/* ---- faults and page tables ------------------------------------------ */
/* handle_mm_fault on vma i; flags and the result are 6.12's FAULT_FLAG_* /
 * VM_FAULT_* (model_api.cpp translates to the model's own encoding). */
unsigned int gm_handle_mm_fault(int vma, unsigned long address, unsigned int flags);
int gm_pte_alloc(unsigned long pmd_phys);  /* __pte_alloc: 0 or -ENOMEM */
void gm_split_huge_pmd(int vma, unsigned long pmd_phys, unsigned long address);
int gm_hugetlbfs_pagecache_present(int vma, unsigned long address);
int *gm_table_lock(unsigned long table_pfn);  /* the split page-table lock word of a table */
void gm_bad_pte(int vma, unsigned long addr, unsigned long pteval);  /* print_bad_pte */
void gm_note(const char *text);            /* a model event worth a line in the trace */

/* ---- references, LRU, statistics ------------------------------------- */
void gm_ref_changed(unsigned long pfn, int delta, int refcount_after);  /* __page_ref_mod* ledger */
void gm_folio_free(unsigned long head_pfn);  /* the last reference went (__folio_put) */
void gm_node_stat(int item, long nr);      /* node_stat_mod_folio */
long gm_node_stat_read(int item);
void gm_lru_drain(int all);
void gm_cond_resched(void);
int gm_mmap_lock_read(int delta);          /* +1 down_read, -1 up_read; returns readers after */
int gm_fatal_signal_pending(void);         /* a fatal_signal_pending() check (counted, plan-driven) */
int gm_signal_delivered(void);             /* a signal is pending (no new check counted) */
int gm_should_fail(int site, unsigned long addr);  /* enum gm_site: a fault-injection site */
enum gm_site { GM_SITE_ISOLATE_LRU, GM_SITE_MIGRATE_PAGES, GM_SITE_DEVICE_MIGRATE };

/* ---- ZONE_DEVICE pgmaps (mm/memremap.c on the model's dev_pagemaps,
 * which are layout-compatible with the shim's: layout612.h) ------------ */
void *gm_pgmap_get(unsigned long pfn, void *cached);  /* get_dev_pagemap */
void gm_pgmap_put(void *pgmap);            /* percpu_ref_put(&pgmap->ref) */

/* ---- migration: mm/migrate.c on the model (core/kernel/mm_ops.h
 * migrate_folio, the one implementation the pre-state's migrations use too) */
/* Moves the isolated folio at head_pfn (its isolator holds extra_refs
 * references) to a new folio that every mapping now maps: the new head pfn,
 * or 0 when it cannot move (-EAGAIN: a reference beyond the expected ones;
 * -ENOMEM: no target). */
unsigned long gm_migrate_folio(unsigned long head_pfn, int extra_refs);
void gm_migrated(unsigned int nr);         /* the Counters::migrations ledger */

/* ---- user memory ------------------------------------------------------ */
int gm_user_accessible(unsigned long addr, int write);

#ifdef __cplusplus
}
#endif

#endif /* GUPFUZZ_KERNEL612_MODEL_API_H */
