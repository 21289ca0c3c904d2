// SPDX-License-Identifier: GPL-2.0-only
//
// Kernel model, part 1: the constants, entry encodings and structures that the
// v4.15 GUP path reads.  Values follow x86-64 v4.15 (4 KiB pages, 4-level
// paging with p4d folded into pgd, __HAVE_ARCH_PTE_SPECIAL/DEVMAP).  Names are
// the kernel's so the port in core/gup reads like mm/gup.c; everything here is
// definitions, not logic that the port is meant to test.
#pragma once

#include <sys/stat.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

// errno: glibc's values on Linux are the kernel's (include/uapi/asm-generic/
// errno*.h), so the port uses the system macros; ERESTARTSYS is kernel-only
// (include/linux/errno.h).
#ifndef ERESTARTSYS
#define ERESTARTSYS 512
#endif
static_assert(EPERM == 1 && ENOENT == 2 && EINTR == 4 && ENOMEM == 12 && EFAULT == 14 && EBUSY == 16 &&
                  EEXIST == 17 && EINVAL == 22 && EOPNOTSUPP == 95 && EHWPOISON == 133,
              "errno values differ from the kernel's");

namespace gupfuzz::kernel {

// ---- sizes (arch/x86/include/asm/page_types.h, pgtable_64_types.h) ----
constexpr unsigned PAGE_SHIFT = 12;
constexpr unsigned long PAGE_SIZE = 1UL << PAGE_SHIFT;
constexpr unsigned long PAGE_MASK = ~(PAGE_SIZE - 1);
constexpr unsigned PMD_SHIFT = 21, PUD_SHIFT = 30, PGDIR_SHIFT = 39;
constexpr unsigned long PMD_SIZE = 1UL << PMD_SHIFT, PMD_MASK = ~(PMD_SIZE - 1);
constexpr unsigned long PUD_SIZE = 1UL << PUD_SHIFT, PUD_MASK = ~(PUD_SIZE - 1);
constexpr unsigned long HPAGE_PMD_NR = 1UL << (PMD_SHIFT - PAGE_SHIFT);
constexpr unsigned long HPAGE_PUD_NR = 1UL << (PUD_SHIFT - PAGE_SHIFT);
constexpr unsigned PTRS_PER_TABLE = 512;
constexpr unsigned long TASK_SIZE = 0x00007ffffffff000UL;
// arch/x86/include/uapi/asm/vsyscall.h: the gate (vsyscall) page.
constexpr unsigned long VSYSCALL_ADDR = 0xffffffffff600000UL;

// ---- vm_flags (include/linux/mm.h:170-216, v4.15 values) ----
using vm_flags_t = unsigned long;
constexpr vm_flags_t VM_NONE = 0, VM_READ = 0x1, VM_WRITE = 0x2, VM_EXEC = 0x4, VM_SHARED = 0x8,
                     VM_MAYREAD = 0x10, VM_MAYWRITE = 0x20, VM_MAYEXEC = 0x40, VM_MAYSHARE = 0x80,
                     VM_GROWSDOWN = 0x100, VM_PFNMAP = 0x400, VM_LOCKED = 0x2000, VM_IO = 0x4000,
                     VM_DONTEXPAND = 0x40000, VM_LOCKONFAULT = 0x80000, VM_HUGETLB = 0x400000, VM_MIXEDMAP = 0x10000000,
                     VM_HUGEPAGE = 0x20000000, VM_NOHUGEPAGE = 0x40000000;

// ---- gup_flags (include/linux/mm.h:2422-2437) ----
constexpr unsigned FOLL_WRITE = 0x01, FOLL_TOUCH = 0x02, FOLL_GET = 0x04, FOLL_DUMP = 0x08,
                   FOLL_FORCE = 0x10, FOLL_NOWAIT = 0x20, FOLL_POPULATE = 0x40, FOLL_SPLIT = 0x80,
                   FOLL_HWPOISON = 0x100, FOLL_NUMA = 0x200, FOLL_MIGRATION = 0x400,
                   FOLL_TRIED = 0x800, FOLL_MLOCK = 0x1000, FOLL_REMOTE = 0x2000, FOLL_COW = 0x4000;

// ---- fault flags and results (include/linux/mm.h:296-304, 1183-1202) ----
constexpr unsigned FAULT_FLAG_WRITE = 0x01, FAULT_FLAG_MKWRITE = 0x02, FAULT_FLAG_ALLOW_RETRY = 0x04,
                   FAULT_FLAG_RETRY_NOWAIT = 0x08, FAULT_FLAG_KILLABLE = 0x10, FAULT_FLAG_TRIED = 0x20,
                   FAULT_FLAG_USER = 0x40, FAULT_FLAG_REMOTE = 0x80;
// Linux 6.12 (include/linux/mm_types.h:1446): break COW for a read-only pin
// (KernelConfig::generation >= 612 only; core/kernel612 passes it).
constexpr unsigned FAULT_FLAG_UNSHARE = 0x400;
constexpr int VM_FAULT_OOM = 0x0001, VM_FAULT_SIGBUS = 0x0002, VM_FAULT_MAJOR = 0x0004,
              VM_FAULT_WRITE = 0x0008, VM_FAULT_HWPOISON = 0x0010, VM_FAULT_HWPOISON_LARGE = 0x0020,
              VM_FAULT_SIGSEGV = 0x0040, VM_FAULT_NOPAGE = 0x0100, VM_FAULT_LOCKED = 0x0200,
              VM_FAULT_RETRY = 0x0400, VM_FAULT_FALLBACK = 0x0800, VM_FAULT_DONE_COW = 0x1000,
              VM_FAULT_NEEDDSYNC = 0x2000;
constexpr int VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON |
                               VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK;

// ---- inode mode / flags (include/uapi/linux/stat.h, include/linux/fs.h:1856) ----
// S_IFMT/S_IFREG/S_IFCHR come from <sys/stat.h>, whose values are the kernel's.
static_assert(S_IFMT == 0170000 && S_IFREG == 0100000 && S_IFCHR == 0020000, "stat.h values differ from the kernel's");
constexpr unsigned S_DAX_BIT = 8192;  // S_DAX when CONFIG_FS_DAX=y; the port masks it to 0 for =n

// ---- x86 page-table entry bits (arch/x86/include/asm/pgtable_types.h, v4.15) ----
using pteval_t = std::uint64_t;
constexpr pteval_t _PAGE_PRESENT = 1ULL << 0, _PAGE_RW = 1ULL << 1, _PAGE_USER = 1ULL << 2,
                   _PAGE_ACCESSED = 1ULL << 5, _PAGE_DIRTY = 1ULL << 6, _PAGE_PSE = 1ULL << 7,
                   _PAGE_GLOBAL = 1ULL << 8, _PAGE_SPECIAL = 1ULL << 9, _PAGE_DEVMAP = 1ULL << 58,
                   _PAGE_NX = 1ULL << 63;
// Linux 6.12 keeps _PAGE_DEVMAP at bit 57 (_PAGE_BIT_SOFTW4 since 6.6; 58 is
// _PAGE_SAVED_DIRTY): a generation-612 World writes it there
// (page_devmap_bit), and the model's predicates accept either bit.
constexpr pteval_t _PAGE_DEVMAP_612 = 1ULL << 57, _PAGE_DEVMAP_ANY = _PAGE_DEVMAP | _PAGE_DEVMAP_612;
constexpr pteval_t _PAGE_PROTNONE = _PAGE_GLOBAL;  // only meaningful when !_PAGE_PRESENT
constexpr pteval_t _PAGE_KNL_ERRATUM_MASK = _PAGE_DIRTY | _PAGE_ACCESSED;
constexpr pteval_t _KERNPG_TABLE = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY;
constexpr pteval_t _PAGE_TABLE = _KERNPG_TABLE | _PAGE_USER;
constexpr pteval_t PTE_PFN_MASK = 0x00003ffffffff000ULL;  // __PHYSICAL_MASK_SHIFT 46 (4-level, v4.15)
constexpr pteval_t PTE_FLAGS_MASK = ~PTE_PFN_MASK;
// Swap entries (v4.15 x86-64, pre-L1TF layout): type above the PROTNONE bit.
constexpr unsigned SWP_TYPE_FIRST_BIT = 9, SWP_TYPE_BITS = 5, SWP_OFFSET_FIRST_BIT = 14;
// include/linux/swap.h: MAX_SWAPFILES = 32 - migration(2) - hwpoison(1)
constexpr unsigned MAX_SWAPFILES = 29, SWP_HWPOISON = MAX_SWAPFILES, SWP_MIGRATION_READ = MAX_SWAPFILES + 1,
                   SWP_MIGRATION_WRITE = MAX_SWAPFILES + 2;

struct pte_t { pteval_t pte; };
struct pmd_t { pteval_t pmd; };
struct pud_t { pteval_t pud; };
struct pgd_t { pteval_t pgd; };
struct p4d_t { pgd_t pgd; };  // pgtable-nop4d.h: p4d folded into pgd
struct swp_entry_t { unsigned long val; };

// ---- page flags: the bit numbers of Linux 6.12 (include/linux/page-flags.h:
// enum pageflags, x86-64, Debian's config), the layout every generation's code
// reads (the v4.15 port by name, the real 6.12 gup.c through core/shim).  The
// v4.15 numbering differs; the port only ever names the bits. ----
enum pageflag_bit : unsigned {
    PG_locked = 0, PG_writeback = 1, PG_referenced = 2, PG_uptodate = 3, PG_dirty = 4, PG_lru = 5, PG_head = 6,
    PG_owner_2 = 11, PG_reserved = 13, PG_swapbacked = 17, PG_mlocked = 19,
    PG_anon_exclusive = PG_owner_2,  // page-flags.h: anon pages only, per subpage
};
// include/linux/mmzone.h: zones, and where page->flags keeps the zone
// (page-flags-layout.h: ZONES_PGSHIFT = 64 - NODES_WIDTH - ZONES_WIDTH with
// CONFIG_NODES_SHIFT=10 and ZONES_WIDTH=3 in Debian's 6.12 config).
enum zone_type : unsigned { ZONE_DMA, ZONE_DMA32, ZONE_NORMAL, ZONE_MOVABLE, ZONE_DEVICE };
constexpr unsigned ZONES_WIDTH = 3, NODES_WIDTH = 10, ZONES_PGSHIFT = 64 - NODES_WIDTH - ZONES_WIDTH;
constexpr unsigned long ZONES_FLAGS_MASK = ((1UL << ZONES_WIDTH) - 1) << ZONES_PGSHIFT;
// include/linux/page-flags.h:944 (6.12): a page type lives in the top byte of
// the _mapcount word; hugetlb folios are typed on their head.
constexpr unsigned PGTY_hugetlb = 0xf4;

struct dev_pagemap;
struct address_space;
struct vm_area_struct;
struct mm_struct;
struct list_head { list_head* next; list_head* prev; };

// Model bookkeeping of one pfn, kept beside struct page (never inside it, so
// that struct page is exactly the kernel's): World puts it at a fixed offset
// from the page (see World::vmemmap_base()).
struct PageMeta {
    int model_refs;   // references the model itself accounts for (mappings, page cache, owner)
    bool allocated;   // handed out by the model's page allocator
};

// ---- struct page: byte for byte Linux 6.12's (include/linux/mm_types.h:72,
// x86-64, 64 bytes, CONFIG_MEMCG=y), the layout core/shim declares to the real
// gup.c.  Members the model does not use keep the kernel's place.  The struct
// pages of one World are contiguous by pfn (SPARSEMEM_VMEMMAP): page_to_pfn is
// address arithmetic.  Large folios keep 6.12's page[1] metadata (see
// folio_order/folio_pincount_ptr below). ----
struct page {
    unsigned long flags;
    union {
        struct {
            list_head lru;
            address_space* mapping;  // anon pages: anon_vma | PAGE_MAPPING_ANON
            unsigned long index;
            unsigned long private_;
        };
        unsigned long compound_head;  // tail pages: head pointer | 1
        struct {
            dev_pagemap* pgmap;       // ZONE_DEVICE pages
            void* zone_device_data;
        };
    };
    int _mapcount;   // union with page_type; -1 = unmapped
    int _refcount;   // atomic_t
    unsigned long memcg_data;

    // pfn and model bookkeeping, by address (no storage in the struct).
    unsigned long pfn() const;
    PageMeta& meta() const;
    int& model_refs() const { return meta().model_refs; }
    bool& allocated() const { return meta().allocated; }
    unsigned compound_order() const;  // 0 for order-0 and tail pages; heads: folio_order
    unsigned zone() const { return static_cast<unsigned>((flags & ZONES_FLAGS_MASK) >> ZONES_PGSHIFT); }
    bool zone_device() const { return zone() == ZONE_DEVICE; }
};
static_assert(sizeof(page) == 64, "struct page must be the kernel's 64 bytes");
static_assert(offsetof(page, compound_head) == 8 && offsetof(page, mapping) == 24 && offsetof(page, index) == 32 &&
                  offsetof(page, pgmap) == 8 && offsetof(page, _mapcount) == 48 && offsetof(page, _refcount) == 52,
              "struct page offsets must be 6.12's");

// The 6.12 large-folio metadata in page[1] (mm_types.h:376-395, struct folio):
// _flags_1 (order in its low byte), _head_1, _large_mapcount, _entire_mapcount,
// _nr_pages_mapped, _pincount, _folio_nr_pages.
struct folio_page1 {
    unsigned long _flags_1;
    unsigned long _head_1;
    int _large_mapcount;
    int _entire_mapcount;
    int _nr_pages_mapped;
    int _pincount;
    unsigned _folio_nr_pages;
};
static_assert(offsetof(folio_page1, _pincount) == 28 && offsetof(folio_page1, _folio_nr_pages) == 32,
              "page[1] folio offsets must be 6.12's");
inline folio_page1* folio_meta(page* head) { return reinterpret_cast<folio_page1*>(head + 1); }
inline const folio_page1* folio_meta(const page* head) { return reinterpret_cast<const folio_page1*>(head + 1); }

// ---- struct dev_pagemap (include/linux/memremap.h:125) ----
// The first members are laid out as Linux 6.12's (ref: a percpu_ref of 16
// bytes, then type): a struct page's pgmap points here and the 6.12 gup.c
// reads pgmap->type through it (core/kernel612/layout612.h, asserted there).
struct dev_pagemap {
    long ref = 0;                               // percpu_ref count
    void* ref_data = nullptr;                   // (percpu_ref.data)
    int type = 0;                               // 6.12 enum memory_type (set by the 6.12 glue)
    unsigned flags = 0;
    unsigned long vmemmap_shift = 0;
    unsigned long pfn_first = 0, pfn_last = 0;  // res, as a pfn range [first, last)
    bool live = true;                           // percpu_ref not yet killed
    int id = 0;
};

struct inode {
    unsigned i_mode = 0;
    unsigned i_flags = 0;
    unsigned long i_size = 0;
    int id = 0;
};

// host, then a_ops as in Linux 6.12 (struct page's mapping points here; the
// 6.12 gup.c reads mapping->a_ops: core/kernel612/layout612.h).
struct address_space {
    inode* host = nullptr;
    const void* a_ops = nullptr;  // no model mapping is secretmem
    unsigned long flags = 0;
};

struct file {
    inode* f_inode = nullptr;
    address_space* f_mapping = nullptr;
};

struct vm_fault;

struct vm_operations_struct {
    int (*fault)(vm_fault*) = nullptr;
    int (*huge_fault)(vm_fault*, int) = nullptr;
    int (*page_mkwrite)(vm_fault*) = nullptr;
    int (*pfn_mkwrite)(vm_fault*) = nullptr;
    page* (*find_special_page)(vm_area_struct*, unsigned long) = nullptr;
};

struct anon_vma { int id = 0; };

// ---- struct vm_area_struct (include/linux/mm_types.h) ----
struct vm_area_struct {
    unsigned long vm_start = 0, vm_end = 0;
    vm_area_struct *vm_next = nullptr, *vm_prev = nullptr;
    mm_struct* vm_mm = nullptr;
    vm_flags_t vm_flags = 0;
    anon_vma* anon_vma_ptr = nullptr;  // vma->anon_vma
    const vm_operations_struct* vm_ops = nullptr;
    unsigned long vm_pgoff = 0;
    file* vm_file = nullptr;
    int model_index = -1;  // position in the scenario's layout (model bookkeeping)
};

struct rw_semaphore {
    int readers = 0;
    bool writer = false;
    unsigned long releases = 0;  // model: how many times it was released
};

// ---- struct mm_struct ----
struct mm_struct {
    vm_area_struct* mmap = nullptr;  // sorted list
    pgd_t* pgd = nullptr;
    rw_semaphore mmap_sem;
    unsigned long stack_guard_gap = 256UL << PAGE_SHIFT;
    unsigned long stack_rlimit = 8UL << 20;
};

struct task_struct {
    mm_struct* mm = nullptr;
    unsigned long maj_flt = 0, min_flt = 0;
};

// struct vm_fault (include/linux/mm.h), only the fields the model uses.
struct vm_fault {
    vm_area_struct* vma = nullptr;
    unsigned flags = 0;
    unsigned long address = 0;
    unsigned long pgoff = 0;
    pmd_t* pmd = nullptr;
    pud_t* pud = nullptr;
    pte_t* pte = nullptr;
    pte_t orig_pte{0};
    page* cow_page = nullptr;
    page* page_ = nullptr;
};

// ---- ERR_PTR helpers (include/linux/err.h) ----
constexpr unsigned long MAX_ERRNO = 4095;
template <class T> inline T* ERR_PTR(long error) { return reinterpret_cast<T*>(static_cast<intptr_t>(error)); }
inline long PTR_ERR(const void* p) { return static_cast<long>(reinterpret_cast<intptr_t>(p)); }
inline bool IS_ERR(const void* p) {
    return reinterpret_cast<uintptr_t>(p) >= static_cast<uintptr_t>(-static_cast<intptr_t>(MAX_ERRNO));
}
inline bool IS_ERR_OR_NULL(const void* p) { return !p || IS_ERR(p); }

}  // namespace gupfuzz::kernel
