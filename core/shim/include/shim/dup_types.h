/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL: constants, enums and the struct layouts gup.c
 * and the duplicated helpers read, ported from Linux 6.12 (x86-64, Debian's
 * amd64 config). Layouts that the code reaches through offsets (struct page,
 * struct folio) are complete and checked by the kernel's own FOLIO_MATCH
 * assertions; the other structs hold the kernel's members up to the last one
 * gup.c or a helper reads, in the kernel's order, and say what they omit.
 */
#ifndef SHIM_DUP_TYPES_H
#define SHIM_DUP_TYPES_H

#if SHIM_KV != 612 && SHIM_KV != 601
#error "this shim describes Linux 6.12 (SHIM_KV=612); 6.1 is not ported yet (docs/kernel-shim.md)"
#endif

/* ---- arch/x86/include/asm/page_types.h:10-12, page_64_types.h ---------- */
#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
/* page_64_types.h:58-75: 4-level user space (pgtable_l5_enabled() is 0) */
#define TASK_SIZE_MAX ((1UL << 47) - PAGE_SIZE)
#define TASK_SIZE TASK_SIZE_MAX
/* page_types.h: __PHYSICAL_MASK is the boot-time physical_mask with
 * CONFIG_DYNAMIC_PHYSICAL_MASK; the shim fixes it to 52 bits (no SME). */
#define __PHYSICAL_MASK_SHIFT 52
#define __PHYSICAL_MASK ((phys_addr_t)((1ULL << __PHYSICAL_MASK_SHIFT) - 1))
#define PHYSICAL_PAGE_MASK (((signed long)PAGE_MASK) & __PHYSICAL_MASK)

/* ---- arch/x86/include/asm/pgtable_64_types.h:15-105 (4 levels folded at
 * run time from CONFIG_PGTABLE_LEVELS=5: pgdir_shift 39, ptrs_per_p4d 1) -- */
typedef unsigned long pteval_t;
typedef unsigned long pmdval_t;
typedef unsigned long pudval_t;
typedef unsigned long p4dval_t;
typedef unsigned long pgdval_t;
typedef unsigned long pgprotval_t;
typedef struct { pteval_t pte; } pte_t;
typedef struct { pmdval_t pmd; } pmd_t;
typedef struct { pudval_t pud; } pud_t;
typedef struct { p4dval_t p4d; } p4d_t;	/* pgtable_types.h:346 */
typedef struct { pgdval_t pgd; } pgd_t;	/* pgtable_types.h:299 */
typedef struct { pgprotval_t pgprot; } pgprot_t;
#define PGDIR_SHIFT 39
#define PTRS_PER_PGD 512
#define P4D_SHIFT 39
#define PTRS_PER_P4D 1
#define PUD_SHIFT 30
#define PTRS_PER_PUD 512
#define PMD_SHIFT 21
#define PTRS_PER_PMD 512
#define PTRS_PER_PTE 512
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PMD_MASK (~(PMD_SIZE - 1))
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PUD_MASK (~(PUD_SIZE - 1))
#define P4D_SIZE (1UL << P4D_SHIFT)
#define P4D_MASK (~(P4D_SIZE - 1))
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define PGDIR_MASK (~(PGDIR_SIZE - 1))

/* ---- arch/x86/include/asm/pgtable_types.h:10-170: entry bits --------- */
#define _PAGE_BIT_PRESENT 0
#define _PAGE_BIT_RW 1
#define _PAGE_BIT_USER 2
#define _PAGE_BIT_PWT 3
#define _PAGE_BIT_PCD 4
#define _PAGE_BIT_ACCESSED 5
#define _PAGE_BIT_DIRTY 6
#define _PAGE_BIT_PSE 7
#define _PAGE_BIT_GLOBAL 8
#define _PAGE_BIT_SOFTW1 9
#define _PAGE_BIT_SOFTW2 10
#define _PAGE_BIT_SOFTW3 11
#define _PAGE_BIT_PKEY_BIT0 59
#if SHIM_KV >= 612
#define _PAGE_BIT_SOFTW4 57
#define _PAGE_BIT_SOFTW5 58
#else
/* 6.1 pgtable_types.h:24: devmap at 58 (6.6 moved it to 57 and gave 58 to
 * the shadow stack's SavedDirty) */
#define _PAGE_BIT_SOFTW4 58
#endif
#define _PAGE_BIT_NX 63
#define _PAGE_BIT_SPECIAL _PAGE_BIT_SOFTW1
#define _PAGE_BIT_UFFD_WP _PAGE_BIT_SOFTW2
#define _PAGE_BIT_SOFT_DIRTY _PAGE_BIT_SOFTW3
#define _PAGE_BIT_DEVMAP _PAGE_BIT_SOFTW4
#if SHIM_KV >= 612
#define _PAGE_BIT_SAVED_DIRTY _PAGE_BIT_SOFTW5
#endif
#define _PAGE_BIT_PROTNONE _PAGE_BIT_GLOBAL
#define _PAGE_PRESENT (1UL << _PAGE_BIT_PRESENT)
#define _PAGE_RW (1UL << _PAGE_BIT_RW)
#define _PAGE_USER (1UL << _PAGE_BIT_USER)
#define _PAGE_ACCESSED (1UL << _PAGE_BIT_ACCESSED)
#define _PAGE_DIRTY (1UL << _PAGE_BIT_DIRTY)
#define _PAGE_PSE (1UL << _PAGE_BIT_PSE)
#define _PAGE_GLOBAL (1UL << _PAGE_BIT_GLOBAL)
#define _PAGE_SPECIAL (1UL << _PAGE_BIT_SPECIAL)
#define _PAGE_UFFD_WP (1UL << _PAGE_BIT_UFFD_WP)	/* CONFIG_HAVE_ARCH_USERFAULTFD_WP */
#define _PAGE_SOFT_DIRTY (1UL << _PAGE_BIT_SOFT_DIRTY)	/* CONFIG_MEM_SOFT_DIRTY */
#define _PAGE_DEVMAP (1UL << _PAGE_BIT_DEVMAP)	/* CONFIG_ARCH_HAS_PTE_DEVMAP */
#if SHIM_KV >= 612
#define _PAGE_SAVED_DIRTY (1UL << _PAGE_BIT_SAVED_DIRTY)	/* CONFIG_X86_USER_SHADOW_STACK */
#define _PAGE_DIRTY_BITS (_PAGE_DIRTY | _PAGE_SAVED_DIRTY)
#else
#define _PAGE_DIRTY_BITS _PAGE_DIRTY	/* 6.1: pte_dirty tests _PAGE_DIRTY (pgtable.h:137) */
#endif
#define _PAGE_PROTNONE (1UL << _PAGE_BIT_PROTNONE)
#define _PAGE_NX (1UL << _PAGE_BIT_NX)
#define _PAGE_PKEY_MASK (0xfUL << _PAGE_BIT_PKEY_BIT0)
#define _PAGE_KNL_ERRATUM_MASK (_PAGE_DIRTY | _PAGE_ACCESSED)
/* _PAGE_ENC is the boot-time sme_me_mask: fixed to 0 (no SME) */
#define _PAGE_ENC 0UL
#define _KERNPG_TABLE (_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_ENC)
#define PTE_PFN_MASK ((pteval_t)PHYSICAL_PAGE_MASK)
#define PTE_FLAGS_MASK (~PTE_PFN_MASK)
#define PHYSICAL_PMD_PAGE_MASK (((signed long)PMD_MASK) & __PHYSICAL_MASK)
#define PHYSICAL_PUD_PAGE_MASK (((signed long)PUD_MASK) & __PHYSICAL_MASK)

/* ---- include/linux/mm_types.h:1291-1345: vm_fault_t ------------------- */
typedef unsigned int vm_fault_t;
enum vm_fault_reason {
	VM_FAULT_OOM = 0x000001,
	VM_FAULT_SIGBUS = 0x000002,
	VM_FAULT_MAJOR = 0x000004,
	VM_FAULT_HWPOISON = 0x000010,
	VM_FAULT_HWPOISON_LARGE = 0x000020,
	VM_FAULT_SIGSEGV = 0x000040,
	VM_FAULT_NOPAGE = 0x000100,
	VM_FAULT_LOCKED = 0x000200,
	VM_FAULT_RETRY = 0x000400,
	VM_FAULT_FALLBACK = 0x000800,
	VM_FAULT_DONE_COW = 0x001000,
	VM_FAULT_NEEDDSYNC = 0x002000,
	VM_FAULT_COMPLETED = 0x004000,
	VM_FAULT_HINDEX_MASK = 0x0f0000,
};
#define VM_FAULT_ERROR (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
			VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK)

/* ---- include/linux/mm_types.h:1435-1449: fault flags ----------------- */
enum fault_flag {
	FAULT_FLAG_WRITE = 1 << 0,
	FAULT_FLAG_MKWRITE = 1 << 1,
	FAULT_FLAG_ALLOW_RETRY = 1 << 2,
	FAULT_FLAG_RETRY_NOWAIT = 1 << 3,
	FAULT_FLAG_KILLABLE = 1 << 4,
	FAULT_FLAG_TRIED = 1 << 5,
	FAULT_FLAG_USER = 1 << 6,
	FAULT_FLAG_REMOTE = 1 << 7,
	FAULT_FLAG_INSTRUCTION = 1 << 8,
	FAULT_FLAG_INTERRUPTIBLE = 1 << 9,
	FAULT_FLAG_UNSHARE = 1 << 10,
	FAULT_FLAG_ORIG_PTE_VALID = 1 << 11,
	FAULT_FLAG_VMA_LOCK = 1 << 12,
};

#if SHIM_KV >= 612
/* ---- include/linux/mm_types.h:1509-1550 and mm/internal.h:1332-1351 ---- */
enum {
	FOLL_WRITE = 1 << 0,
	FOLL_GET = 1 << 1,
	FOLL_DUMP = 1 << 2,
	FOLL_FORCE = 1 << 3,
	FOLL_NOWAIT = 1 << 4,
	FOLL_NOFAULT = 1 << 5,
	FOLL_HWPOISON = 1 << 6,
	FOLL_ANON = 1 << 7,
	FOLL_LONGTERM = 1 << 8,
	FOLL_SPLIT_PMD = 1 << 9,
	FOLL_PCI_P2PDMA = 1 << 10,
	FOLL_INTERRUPTIBLE = 1 << 11,
	FOLL_HONOR_NUMA_FAULT = 1 << 12,
};
/* The internal flags (mm/internal.h:1332) live here so that one enum order
 * serves both headers; the values are the kernel's. */
enum {
	FOLL_TOUCH = 1 << 16,
	FOLL_TRIED = 1 << 17,
	FOLL_REMOTE = 1 << 18,
	FOLL_PIN = 1 << 19,
	FOLL_FAST_ONLY = 1 << 20,
	FOLL_UNLOCKABLE = 1 << 21,
	FOLL_MADV_POPULATE = 1 << 22,
};
#define INTERNAL_GUP_FLAGS (FOLL_TOUCH | FOLL_TRIED | FOLL_REMOTE | FOLL_PIN | \
			    FOLL_FAST_ONLY | FOLL_UNLOCKABLE | FOLL_MADV_POPULATE)
#else
/* ---- include/linux/mm.h:3087-3103 v6.1 (all public, #defines) -------- */
#define FOLL_WRITE 0x01
#define FOLL_TOUCH 0x02
#define FOLL_GET 0x04
#define FOLL_DUMP 0x08
#define FOLL_FORCE 0x10
#define FOLL_NOWAIT 0x20
#define FOLL_NOFAULT 0x80
#define FOLL_HWPOISON 0x100
#define FOLL_MIGRATION 0x400
#define FOLL_TRIED 0x800
#define FOLL_REMOTE 0x2000
#define FOLL_ANON 0x8000
#define FOLL_LONGTERM 0x10000
#define FOLL_SPLIT_PMD 0x20000
#define FOLL_PIN 0x40000
#define FOLL_FAST_ONLY 0x80000
#endif /* SHIM_KV */

/* ---- include/linux/mm.h:270-370: vma flags (Debian's config) ---------- */
typedef unsigned long vm_flags_t;	/* mm_types.h:605 */
#define VM_NONE 0x00000000
#define VM_READ 0x00000001
#define VM_WRITE 0x00000002
#define VM_EXEC 0x00000004
#define VM_SHARED 0x00000008
#define VM_MAYREAD 0x00000010
#define VM_MAYWRITE 0x00000020
#define VM_MAYEXEC 0x00000040
#define VM_MAYSHARE 0x00000080
#define VM_GROWSDOWN 0x00000100
#define VM_UFFD_MISSING 0x00000200
#define VM_PFNMAP 0x00000400
#define VM_UFFD_WP 0x00001000
#define VM_LOCKED 0x00002000
#define VM_IO 0x00004000
#define VM_DONTEXPAND 0x00040000
#define VM_LOCKONFAULT 0x00080000
#define VM_HUGETLB 0x00400000
#define VM_SYNC 0x00800000
#define VM_DONTDUMP 0x04000000
#define VM_SOFTDIRTY 0x08000000	/* CONFIG_MEM_SOFT_DIRTY */
#define VM_MIXEDMAP 0x10000000
#define VM_HUGEPAGE 0x20000000
#define VM_NOHUGEPAGE 0x40000000
#define VM_HIGH_ARCH_5 BIT(37)
#define VM_SHADOW_STACK VM_HIGH_ARCH_5	/* CONFIG_X86_USER_SHADOW_STACK */
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)

/* ---- include/linux/gfp_types.h:20-383 (bit numbers of 6.12) ----------- */
#define ___GFP_HIGHMEM BIT(1)
#define ___GFP_MOVABLE BIT(3)
#define ___GFP_IO BIT(6)
#define ___GFP_FS BIT(7)
#define ___GFP_DIRECT_RECLAIM BIT(10)
#define ___GFP_KSWAPD_RECLAIM BIT(11)
#define ___GFP_NOWARN BIT(13)
#define ___GFP_HARDWALL BIT(20)
#define __GFP_HIGHMEM ((gfp_t)___GFP_HIGHMEM)
#define __GFP_MOVABLE ((gfp_t)___GFP_MOVABLE)
#define __GFP_IO ((gfp_t)___GFP_IO)
#define __GFP_FS ((gfp_t)___GFP_FS)
#define __GFP_NOWARN ((gfp_t)___GFP_NOWARN)
#define __GFP_HARDWALL ((gfp_t)___GFP_HARDWALL)
#define __GFP_RECLAIM ((gfp_t)(___GFP_DIRECT_RECLAIM | ___GFP_KSWAPD_RECLAIM))
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)

/* ---- include/linux/migrate_mode.h:9-30 -------------------------------- */
enum migrate_mode { MIGRATE_ASYNC, MIGRATE_SYNC_LIGHT, MIGRATE_SYNC };
enum migrate_reason {
	MR_COMPACTION, MR_MEMORY_FAILURE, MR_MEMORY_HOTPLUG, MR_SYSCALL,
	MR_MEMPOLICY_MBIND, MR_NUMA_MISPLACED, MR_CONTIG_RANGE, MR_LONGTERM_PIN,
	MR_DEMOTION, MR_DAMON, MR_TYPES
};

/* ---- include/linux/mmzone.h:160-202 (node_stat_item, up to the pins) -- */
enum node_stat_item {
	NR_LRU_BASE,
	NR_INACTIVE_ANON = NR_LRU_BASE, NR_ACTIVE_ANON, NR_INACTIVE_FILE,
	NR_ACTIVE_FILE, NR_UNEVICTABLE, NR_SLAB_RECLAIMABLE_B,
	NR_SLAB_UNRECLAIMABLE_B, NR_ISOLATED_ANON, NR_ISOLATED_FILE,
	WORKINGSET_NODES, WORKINGSET_REFAULT_BASE,
	WORKINGSET_REFAULT_ANON = WORKINGSET_REFAULT_BASE, WORKINGSET_REFAULT_FILE,
	WORKINGSET_ACTIVATE_BASE,
	WORKINGSET_ACTIVATE_ANON = WORKINGSET_ACTIVATE_BASE, WORKINGSET_ACTIVATE_FILE,
	WORKINGSET_RESTORE_BASE,
	WORKINGSET_RESTORE_ANON = WORKINGSET_RESTORE_BASE, WORKINGSET_RESTORE_FILE,
	WORKINGSET_NODERECLAIM, NR_ANON_MAPPED, NR_FILE_MAPPED, NR_FILE_PAGES,
	NR_FILE_DIRTY, NR_WRITEBACK, NR_WRITEBACK_TEMP, NR_SHMEM, NR_SHMEM_THPS,
	NR_SHMEM_PMDMAPPED, NR_FILE_THPS, NR_FILE_PMDMAPPED, NR_ANON_THPS,
	NR_VMSCAN_WRITE, NR_VMSCAN_IMMEDIATE, NR_DIRTIED, NR_WRITTEN,
	NR_THROTTLED_WRITTEN, NR_KERNEL_MISC_RECLAIMABLE,
	NR_FOLL_PIN_ACQUIRED,	/* mmzone.h:201 */
	NR_FOLL_PIN_RELEASED,	/* mmzone.h:202 */
	/* the kernel's later items are not named by gup.c */
};
/* mmzone.h:735-780: zones of Debian's config (DMA, DMA32, NORMAL, MOVABLE, DEVICE) */
enum zone_type { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE, __MAX_NR_ZONES };
/* page-flags-layout.h: SPARSEMEM_VMEMMAP (no section bits), NODES_SHIFT 10,
 * ZONES_SHIFT 3: the zone sits at bits 51..53 of page->flags. */
#define ZONES_WIDTH 3
#define NODES_WIDTH CONFIG_NODES_SHIFT
#define ZONES_PGSHIFT (BITS_PER_LONG - NODES_WIDTH - ZONES_WIDTH)
#define ZONES_MASK ((1UL << ZONES_WIDTH) - 1)

/* ---- include/linux/sched/coredump.h:84, sched.h:1720 ------------------ */
#define MMF_HAS_PINNED 27
#define PF_MEMALLOC_PIN 0x10000000
#define TASK_COMM_LEN 16

/* ---- include/linux/spinlock_types.h, rwsem.h, seqlock.h (the lock words
 * the model writes; lockdep is off in Debian's config) ------------------ */
typedef struct spinlock { int locked; } spinlock_t;
struct rw_semaphore { atomic_long_t count; atomic_long_t owner; };
typedef struct seqcount { unsigned int sequence; } seqcount_t;
struct percpu_ref { atomic_long_t percpu_count_ptr; void *data; };

/* ---- include/linux/mm_types.h:72-220: struct page (64 bytes: MEMCG=y,
 * 16-byte alignment with CONFIG_HAVE_ALIGNED_STRUCT_PAGE; the last cpupid
 * fits in the flags) --------------------------------------------------- */
struct address_space;
struct dev_pagemap;
struct page {
	unsigned long flags;
	union {
		struct {
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
				struct list_head buddy_list;
				struct list_head pcp_list;
			};
			struct address_space *mapping;
			union {
				pgoff_t index;
				unsigned long share;
			};
			unsigned long private;
		};
		struct {
			unsigned long pp_magic;
			void *pp;
			unsigned long _pp_mapping_pad;
			unsigned long dma_addr;
			atomic_long_t pp_ref_count;
		};
		struct {
			unsigned long compound_head;
		};
		struct {
			struct dev_pagemap *pgmap;
			void *zone_device_data;
		};
		struct rcu_head rcu_head;
	};
	union {
		unsigned int page_type;
		atomic_t _mapcount;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
} __aligned(2 * sizeof(unsigned long));
static_assert(sizeof(struct page) == 64);

/* ---- include/linux/mm_types.h:327-445: struct folio spans four pages -- */
typedef struct { unsigned long val; } swp_entry_t;
#if SHIM_KV < 612
typedef struct { unsigned long pd; } hugepd_t;	/* include/linux/hugetlb.h:23 v6.1 */
#endif
struct folio {
	union {
		struct {
			unsigned long flags;
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			struct address_space *mapping;
			pgoff_t index;
			union {
				void *private;
				swp_entry_t swap;
			};
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
	union {
		struct {
			unsigned long _flags_1;
			unsigned long _head_1;
			atomic_t _large_mapcount;
			atomic_t _entire_mapcount;
			atomic_t _nr_pages_mapped;
			atomic_t _pincount;
			unsigned int _folio_nr_pages;
		};
		struct page __page_1;
	};
	union {
		struct {
			unsigned long _flags_2;
			unsigned long _head_2;
			struct list_head _deferred_list;
		};
		struct page __page_2;
	};
	union {
		struct {
			unsigned long _flags_3;
			unsigned long _head_3;
			void *_hugetlb_subpool;
			void *_hugetlb_cgroup;
			void *_hugetlb_cgroup_rsvd;
			void *_hugetlb_hwpoison;
		};
		struct page __page_3;
	};
};
#define FOLIO_MATCH(pg, fl) \
	static_assert(offsetof(struct page, pg) == offsetof(struct folio, fl))
FOLIO_MATCH(flags, flags);
FOLIO_MATCH(lru, lru);
FOLIO_MATCH(mapping, mapping);
FOLIO_MATCH(compound_head, lru);
FOLIO_MATCH(index, index);
FOLIO_MATCH(private, private);
FOLIO_MATCH(_mapcount, _mapcount);
FOLIO_MATCH(_refcount, _refcount);
FOLIO_MATCH(memcg_data, memcg_data);
#undef FOLIO_MATCH
#define FOLIO_MATCH(pg, fl, n) \
	static_assert(offsetof(struct folio, fl) == offsetof(struct page, pg) + (n) * sizeof(struct page))
FOLIO_MATCH(flags, _flags_1, 1);
FOLIO_MATCH(compound_head, _head_1, 1);
FOLIO_MATCH(flags, _flags_2, 2);
FOLIO_MATCH(compound_head, _head_2, 2);
FOLIO_MATCH(flags, _flags_3, 3);
FOLIO_MATCH(compound_head, _head_3, 3);
#undef FOLIO_MATCH
/* shim-6.12.md §6: _pincount at page[1]+28, _folio_nr_pages at +32 */
static_assert(offsetof(struct folio, _pincount) == sizeof(struct page) + 28);
static_assert(offsetof(struct folio, _folio_nr_pages) == sizeof(struct page) + 32);

/* include/linux/pagevec.h:16-33 */
#define PAGEVEC_SIZE 31
struct folio_batch {
	unsigned char nr;
	unsigned char i;
	bool percpu_pvec_drained;
	struct folio *folios[PAGEVEC_SIZE];
};

/* ---- include/linux/memremap.h:57-140 --------------------------------- */
enum memory_type {
	MEMORY_DEVICE_PRIVATE = 1,
	MEMORY_DEVICE_COHERENT,
	MEMORY_DEVICE_FS_DAX,
	MEMORY_DEVICE_GENERIC,
	MEMORY_DEVICE_PCI_P2PDMA,
};
/* the members the helpers read, in the kernel's order (altmap, done, ops,
 * owner and the ranges are omitted: only the C glue lays pgmaps out) */
struct dev_pagemap {
	struct percpu_ref ref;
	enum memory_type type;
	unsigned int flags;
	unsigned long vmemmap_shift;
};

/* ---- include/linux/fs.h (members gup.c and the helpers read) ---------- */
typedef unsigned short umode_t;
#define S_IFMT 00170000
#define S_IFCHR 0020000
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_DAX (1 << 13)		/* fs.h:2275, CONFIG_FS_DAX */
struct address_space_operations;
struct inode {
	umode_t i_mode;
	unsigned int i_flags;
	struct address_space *i_mapping;
	loff_t i_size;
	/* the kernel's other members are not read */
};
struct address_space {
	struct inode *host;
	const struct address_space_operations *a_ops;
	unsigned long flags;
};
struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	void *private_data;
};

/* ---- include/linux/mm_types.h:712-810: struct vm_area_struct ---------- */
struct mm_struct;
struct vm_area_struct;
struct vm_fault;
struct anon_vma;
struct vm_operations_struct {
	void (*open)(struct vm_area_struct *area);
	void (*close)(struct vm_area_struct *area);
	int (*may_split)(struct vm_area_struct *area, unsigned long addr);
	int (*mremap)(struct vm_area_struct *area);
	int (*mprotect)(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, unsigned long newflags);
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/* the kernel's later operations are not called by gup.c */
};
struct vm_area_struct {
	union {
		struct {
			unsigned long vm_start;
			unsigned long vm_end;
		};
		struct rcu_head vm_rcu;
	};
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	union {
		const vm_flags_t vm_flags;
		vm_flags_t __vm_flags;
	};
	/* per-vma lock, shared, anon_vma_chain omitted */
	struct anon_vma *anon_vma;
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff;
	struct file *vm_file;
	void *vm_private_data;
};

/* ---- include/linux/mm_types.h:835-1000: struct mm_struct (members read) */
struct mm_struct {
	pgd_t *pgd;
	spinlock_t page_table_lock;
	struct rw_semaphore mmap_lock;
	seqcount_t write_protect_seq;
	unsigned long flags;
};
extern struct mm_struct init_mm;

/* ---- include/linux/sched.h (members of task_struct gup.c reads) ------- */
struct task_struct {
	unsigned int flags;
	pid_t pid;
	struct mm_struct *mm;
	char comm[TASK_COMM_LEN];
};

/* ---- include/linux/hugetlb.h:663 ------------------------------------- */
struct hstate {
	int next_nid_to_alloc;
	int next_nid_to_free;
	unsigned int order;
	unsigned int demote_order;
	unsigned long mask;
};

/* ---- mm/internal.h:1270 ---------------------------------------------- */
typedef struct { unsigned long bits[(1 << CONFIG_NODES_SHIFT) / BITS_PER_LONG]; } nodemask_t;
struct migration_target_control {
	int nid;
	nodemask_t *nmask;
	gfp_t gfp_mask;
	enum migrate_reason reason;
};

/* include/linux/jump_label.h: a static key is a count the model sets */
struct static_key { atomic_t enabled; };
struct static_key_false { struct static_key key; };
#define static_branch_unlikely(x) unlikely(atomic_read(&(x)->key.enabled) > 0)
#define static_branch_likely(x) likely(atomic_read(&(x)->key.enabled) > 0)

#endif /* SHIM_DUP_TYPES_H */
