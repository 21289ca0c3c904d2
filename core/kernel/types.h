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

// ---- page flags (include/linux/page-flags.h; only those the path reads) ----
enum pageflag_bit : unsigned { PG_locked, PG_referenced, PG_dirty, PG_lru, PG_head, PG_reserved, PG_swapbacked, PG_mlocked,
                               PG_anon_exclusive = 11 /* 6.12 PG_owner_2 (generation 612 only) */ };

struct dev_pagemap;
struct address_space;
struct vm_area_struct;
struct mm_struct;

// ---- struct page (include/linux/mm_types.h) ----
struct page {
    unsigned long flags = 0;
    unsigned long compound_head = 0;   // tail pages: head pointer | 1
    address_space* mapping = nullptr;  // anon pages: PAGE_MAPPING_ANON tag, see model
    unsigned long index = 0;
    dev_pagemap* pgmap = nullptr;      // ZONE_DEVICE pages only
    int _refcount = 0;                 // atomic_t in the kernel; only the head's is used
    int _mapcount = -1;
    // Model bookkeeping (not kernel fields):
    unsigned long pfn = 0;
    int model_refs = 0;                // references the model itself accounts for (see world.h)
    std::uint8_t compound_order = 0;   // heads only
    bool zone_device = false;          // page_zonenum() == ZONE_DEVICE
    bool allocated = false;            // handed out by the model's page allocator
};

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
