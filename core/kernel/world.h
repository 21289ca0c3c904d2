// SPDX-License-Identifier: GPL-2.0-only
//
// Kernel model, part 3: one simulated kernel instance (mem_map, the mm, its
// VMAs and page tables, files, pgmaps, the zero pages, the gate page), the
// allocation sites with the fault plan hooked in, and the page_ref helpers.
// A World lives for one scenario run; nothing survives it (its big memory,
// the vmemmap and the page-table pages, comes from a per-process pool of
// reservations that a World hands back zeroed: see WorldArena in world.cpp).
// Port code reaches
// it the way kernel code reaches its globals: through current_world(), which
// the executor sets for the duration of a call (like `current`).
#pragma once

#include <array>
#include <deque>
#include <memory>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/kernel/fault_plan.h"
#include "core/kernel/pgtable.h"
#include "core/kernel/types.h"

namespace gupfuzz::kernel {

// A BUG()/VM_BUG_ON() in the port or a model invariant broken: ends the call.
struct KernelBug : std::runtime_error {
    using std::runtime_error::runtime_error;
};
// The termination budget ran out (a livelock in the port or the model).
struct Livelock : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct spinlock_t { int held = 0; };
struct FileObj;
const vm_operations_struct* vm_ops_for(const FileObj* f);  // the vm_ops a mapping of f gets

enum class ThpMode : std::uint8_t { always, madvise, never };  // /sys/kernel/mm/transparent_hugepage/enabled

// include/uapi/linux/resource.h v4.15 MLOCK_LIMIT: the default RLIMIT_MEMLOCK
// soft limit, 64 KiB (x86-64 pages are 4 KiB), for an unprivileged task.
constexpr unsigned long MLOCK_LIMIT = 64UL * 1024;
// /proc/sys/vm/mmap_min_addr: CONFIG_DEFAULT_MMAP_MIN_ADDR.  mm/Kconfig v4.15
// defaults to 4096; Debian's kernels (like most distributions') set 65536,
// which is also the lowest address a scenario may map (harness kUserLow).
constexpr unsigned long DEFAULT_MMAP_MIN_ADDR = 65536;

// Run-time switches for kernel behaviour that differs by config or version.
struct KernelConfig {
    ThpMode thp = ThpMode::always;  // CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS (Kconfig default)
    // CONFIG_FS_DAX.  fs/Kconfig v4.15 gives it no default (so n unless set);
    // y here is the harness's choice: get_user_pages_longterm's checks exist only with it.
    bool fs_dax = true;
    bool pmd_loop_fix = false; // v4.19 follow_pmd_mask re-read (default off = v4.15)
    bool gate = true;          // vsyscall page present (vsyscall=emulate) vs vsyscall=none
    bool fsdax_ischr_fix = false; // vma_is_fsdax uses S_ISCHR (upstream fix) instead of i_mode == S_IFCHR
    unsigned long rlimit_memlock = MLOCK_LIMIT;  // RLIMIT_MEMLOCK soft limit in bytes (no CAP_IPC_LOCK)
    // ZONE_MOVABLE holds the user memory (kernelcore=/movablecore= or memory
    // onlined movable): __GFP_MOVABLE allocations (anonymous, page cache, THP:
    // GFP_HIGHUSER_MOVABLE) come from it unless the task is in a
    // memalloc_pin_save() scope (PF_MEMALLOC_PIN clears __GFP_MOVABLE,
    // include/linux/sched/mm.h current_gfp_context, 6.12).  hugetlb pool pages
    // never do (htlb_alloc_mask without hugepage_movable).  v4.15's GUP does
    // not look at zones; 6.12's longterm pin migrates such pages first.
    bool zone_movable = false;
    // Which kernel's fault semantics the model follows: 415 (v4.15, the port
    // in core/gup) or 612 (Linux 6.12, core/kernel612: PageAnonExclusive on
    // new anonymous pages, FAULT_FLAG_UNSHARE, refcount-based COW reuse,
    // sanitize_fault_flags; see core/kernel/fault.cpp "generation 612").
    int generation = 415;
    bool operator==(const KernelConfig&) const = default;
};

// Fixed pfns of the model's physical map.
constexpr unsigned long ZERO_PFN = 16;              // empty_zero_page
constexpr unsigned long GATE_PFN = 17;              // the vsyscall page
constexpr unsigned long HUGE_ZERO_PFN = 512;        // huge_zero_page (order 9)
constexpr unsigned long RAM_BASE_PFN = 1UL << 20;   // ordinary pages are allocated from here
constexpr unsigned long DEV_BASE_PFN = 1UL << 21;   // ZONE_DEVICE ranges, one per pgmap
constexpr unsigned long DEV_SPAN_PFN = 1UL << 20;   // 4 GiB of pfns per pgmap slot
// The vmemmap of one World covers pfns [0, VMEMMAP_PFNS): RAM, the low pages
// and every pgmap slot.  Pfns above have no struct page (MMIO, page tables).
constexpr unsigned VMEMMAP_SHIFT = 32;                     // bytes of vmemmap: 4 GiB (reserved, not committed)
constexpr unsigned long VMEMMAP_PFNS = (1UL << VMEMMAP_SHIFT) / 64;
constexpr unsigned long MAX_PGMAPS = (VMEMMAP_PFNS - DEV_BASE_PFN) / DEV_SPAN_PFN;
constexpr unsigned long MAX_TABLES = 1UL << 16;            // page-table pages one World may hold (256 MiB)
constexpr unsigned long NOPAGE_PFN = 1UL << 32;     // pfns with no struct page (MMIO)
constexpr unsigned long TABLE_PFN_BASE = 1UL << 33; // page-table pages (all below the 46-bit physical limit)
constexpr unsigned long MAX_FAULTS_PER_PAGE = 64;   // hard stop; the oracle's bound is far lower

// File kinds the layout can hold (what the inode and vm_ops look like).
enum class FileKind : std::uint8_t { regular, fsdax, shmem, devdax, hugetlbfs, mmio };

struct FileObj {
    FileKind kind = FileKind::regular;
    inode f_inode_obj;          // file_inode(file)
    inode mapping_host_obj;     // devdax: the internal dax inode; others: unused
    address_space mapping_obj;
    file file_obj;
    unsigned long size_pages = 0;
    dev_pagemap* pgmap = nullptr;  // fsdax/devdax backing
    unsigned long align_pages = 1; // devdax alignment in pages (1, 512, 262144)
    std::map<unsigned long, page*> cache;  // page cache by index (regular/shmem/hugetlbfs)
    int id = 0;
};

struct WorldArena;  // world.cpp: one pooled reservation

class World {
public:
    World();
    ~World();
    World(const World&) = delete;
    World& operator=(const World&) = delete;

    KernelConfig config;
    FaultPlan plan;
    Trace trace;

    // ---- physical memory ----
    page* pfn_to_page(unsigned long pfn);
    // memmap_init for [pfn, pfn + n) now: a devmap entry the model installs
    // maps pages that kernel code reaches by vmemmap arithmetic alone.
    void init_pages(unsigned long pfn, unsigned long n);
    bool pfn_valid(unsigned long pfn) const;
    unsigned long highest_memmap_pfn = 0;
    // refcount 1 (model-owned); nullptr if RAM exhausted.  `movable`: a
    // __GFP_MOVABLE request (see KernelConfig::zone_movable).
    page* alloc_pages(unsigned order, bool movable = true);
    bool memalloc_pin = false;  // the task is inside memalloc_pin_save() (PF_MEMALLOC_PIN)
    void free_pages(page* head);         // called when the last reference is dropped
    // align_pages: the device-DAX alignment (compound folios of that order in
    // generation 612; see add_pgmap).  Call after config.generation is set.
    dev_pagemap* add_pgmap(unsigned long nr_pages, bool live, unsigned long align_pages = 1);
    dev_pagemap* find_pgmap(unsigned long pfn);
    std::vector<std::unique_ptr<dev_pagemap>> pgmaps;
    // Every struct page that exists, by pfn: a view over the initialised
    // sections (nothing is copied).  The World must not grow a section while
    // one is being iterated (KernelBug).
    class PageRange;
    PageRange materialized_pages() const;

    // The kernel's view of this World's memory (SPARSEMEM_VMEMMAP, x86-64
    // direct map): pfn_to_page(pfn) == vmemmap_base() + pfn for every pfn with
    // a struct page, and the page-table page at physical address phys is
    // (pteval_t*)(phys + page_offset_base()).  The real 6.12 gup.c reads the
    // model's pages and tables through these (core/shim's __va, vmemmap).
    unsigned long vmemmap_base() const { return reinterpret_cast<unsigned long>(vmemmap_); }
    unsigned long page_offset_base() const {
        return reinterpret_cast<unsigned long>(tables_) - (TABLE_PFN_BASE << PAGE_SHIFT);
    }
    // hugetlb folios are typed (6.12 page_type on the head) and keep their
    // mapcount in _entire_mapcount; other heads in _mapcount (see map_inc).
    static void mark_hugetlb(page* head);

    // ---- files ----
    FileObj* add_file(FileKind kind, unsigned long size_pages, unsigned long align_pages, dev_pagemap* pgmap);
    std::vector<std::unique_ptr<FileObj>> files;
    FileObj* file_of(const vm_area_struct* vma) const;

    // ---- the mm and its page tables ----
    mm_struct mm;
    mm_struct init_mm;  // kernel page tables (the gate page lives here)
    task_struct task;
    std::deque<std::unique_ptr<vm_area_struct>> vma_store;
    vm_area_struct gate_vma;
    vm_area_struct* insert_vma(unsigned long start, unsigned long end, vm_flags_t flags, FileObj* f,
                               unsigned long pgoff);
    pteval_t* table_of(pteval_t entry);          // the table an entry points to
    pteval_t make_table(unsigned level);         // a new empty table: entry value for the parent
    long table_count() const { return static_cast<long>(nr_tables_); }
    std::uint64_t tables_digest() const;         // FNV-1a over every page-table entry

    // ---- filesystem-DAX blocks (docs/concurrency.md "fsdax") ----
    // A fsdax file's block at index i is pfn pgmap->pfn_first + i while
    // i < size_pages.  A truncate or punch frees blocks (dax_free, reusable in
    // that order); a block another file then allocates is listed in dax_owner.
    struct DaxOwner {
        int file = -1;  // FileObj::id; -1: free
        unsigned long index = 0;
    };
    std::map<unsigned long, DaxOwner> dax_owner;  // pfn -> owner, for blocks that left their first file
    std::vector<std::pair<unsigned long, unsigned long>> dax_free;  // free ranges (first pfn, count)

    // ---- anon / swap / hugetlb pools ----
    anon_vma* new_anon_vma();
    unsigned long hugetlb_free = 0;  // free 2 MiB pages in the hugetlb pool
    std::map<unsigned long, page*> swap_slots;  // swap offset -> page that was swapped out (kept for identity)
    unsigned long next_swap = 1;

    // ---- fault injection (model side) ----
    bool should_fail(AllocSite site, unsigned long addr);  // counts the pass; true if the plan fails it
    bool fatal_signal_pending();
    void note_fault(unsigned long addr);  // one handle_mm_fault entry; enforces the hard stop
    int injected_code(unsigned long addr); // VM_FAULT_* the plan injects for this page, or 0
    // While true (building the pre-state, or another thread's operation at a
    // yield point), nothing is injected or traced.
    bool setup_mode = false;

    // ---- yield points (docs/concurrency.md) ----
    // One pass through a yield point by the GUP thread: counted, and the plan's
    // interleaved operations for this pass run to completion (mm_ops.h
    // run_mm_op), in plan order, if the lock rules allow them now.
    void yield(YieldPoint point);
    unsigned long gup_addr = 0;        // the address the GUP thread last looked up or faulted
    bool faulted_since_resched = false; // handle_mm_fault returned since the last cond_resched

    // ---- kmalloc ledger ----
    void* kcalloc(unsigned long n, unsigned long size);
    void kfree(const void* p);

    // ---- refcount bookkeeping the model owns (mapping / page-cache / allocation refs) ----
    void model_get(page* p);  // the model takes a reference (e.g. a new mapping)
    void model_put(page* p);  // the model drops one (zap, COW, swap-out)

    // State a kernel generation's glue keeps with this World across calls
    // (core/kernel612: mm->flags, the node counters); opaque to the model.
    std::shared_ptr<void> generation_state;

    page* zero_page = nullptr;
    page* huge_zero_page = nullptr;  // set when the huge zero page's section is first touched
    page* gate_page = nullptr;
    spinlock_t ptl;

private:
    std::map<void*, unsigned long> kmallocs_;
    page* materialize(unsigned long pfn);
    void init_section(unsigned long sec);
    // The reservation this World uses (world.cpp WorldArena: MAP_NORESERVE,
    // [vmemmap: 4 GiB][PageMeta of each pfn][page tables: MAX_TABLES pages],
    // the vmemmap aligned to 4 GiB so that a page's pfn and meta follow from
    // its address alone (page::pfn(), page::meta())).  Taken from the
    // process's pool all zero; the destructor zeroes what this World touched
    // (sections_ and the first nr_tables_ tables) and gives it back.
    WorldArena* arena_ = nullptr;
    page* vmemmap_ = nullptr;
    pteval_t* tables_ = nullptr;
    unsigned long nr_tables_ = 0;
    std::vector<unsigned long> sections_;  // initialised 512-page sections, ascending
    std::vector<bool>* section_ready_ = nullptr;  // the arena's: one bit per section
    std::deque<anon_vma> anon_vmas_;
    unsigned long ram_next_ = RAM_BASE_PFN;
    std::array<unsigned, kAllocSiteCountAll> site_counts_{};
};

class World::PageRange {
public:
    class iterator {
    public:
        page* operator*() const { return cur_; }
        iterator& operator++() {
            if (++cur_ == end_)
                next_section();
            return *this;
        }
        bool operator!=(const iterator& o) const { return cur_ != o.cur_; }
    private:
        friend class PageRange;
        iterator(page* base, const std::vector<unsigned long>* secs, std::size_t i)
            : base_(base), secs_(secs), n_(secs->size()), i_(i) {
            point();
        }
        void next_section() {
            if (secs_->size() != n_)
                throw KernelBug("the World initialised a section while its struct pages were being iterated");
            ++i_;
            point();
        }
        void point() {
            cur_ = i_ < n_ ? base_ + ((*secs_)[i_] << 9) : nullptr;
            end_ = cur_ ? cur_ + 512 : nullptr;
        }
        page* base_;
        const std::vector<unsigned long>* secs_;
        std::size_t n_, i_;
        page* cur_ = nullptr;
        page* end_ = nullptr;
    };
    iterator begin() const { return iterator(base_, secs_, 0); }
    iterator end() const { return iterator(base_, secs_, secs_->size()); }
    std::size_t size() const { return secs_->size() * 512; }
    // A copy, for code that keeps the list (the view follows the World).
    operator std::vector<page*>() const {
        std::vector<page*> out;
        out.reserve(size());
        for (page* p : *this)
            out.push_back(p);
        return out;
    }
private:
    friend class World;
    PageRange(page* base, const std::vector<unsigned long>* secs) : base_(base), secs_(secs) {}
    page* base_;
    const std::vector<unsigned long>* secs_;
};
inline World::PageRange World::materialized_pages() const { return PageRange(vmemmap_, &sections_); }

// The devmap bit the World's kernel generation writes (types.h _PAGE_DEVMAP_612).
inline pteval_t page_devmap_bit(const World& w) { return w.config.generation >= 612 ? _PAGE_DEVMAP_612 : _PAGE_DEVMAP; }
// Whether the World's generation has PageAnonExclusive and FAULT_FLAG_UNSHARE
// (Linux 5.19, commits 6c287605fd56 and c89357e27f20): 6.1 and 6.12, not v4.15.
// The model's fault paths for them follow 6.12 (core/kernel/fault.cpp).
inline bool has_anon_exclusive(const World& w) { return w.config.generation >= 601; }

// The pool's state, for tests: the free reservations, and the bytes of their
// resident memory that are not zero (a World left something behind).
struct WorldPoolState {
    std::size_t free_arenas = 0;
    std::size_t resident_pages = 0;
    std::size_t nonzero_bytes = 0;
};
WorldPoolState world_pool_state();

World* current_world();
// Makes `w` the world kernel code sees (like switching `current`); restores on exit.
class WorldScope {
public:
    explicit WorldScope(World& w);
    ~WorldScope();
    WorldScope(const WorldScope&) = delete;
    WorldScope& operator=(const WorldScope&) = delete;
private:
    World* prev_;
};

// ---- page helpers of include/linux/mm.h, page-flags.h, page_ref.h ----
inline unsigned long page::pfn() const {
    return (reinterpret_cast<unsigned long>(this) & ((1UL << VMEMMAP_SHIFT) - 1)) / sizeof(page);
}
inline PageMeta& page::meta() const {
    const unsigned long base = reinterpret_cast<unsigned long>(this) & ~((1UL << VMEMMAP_SHIFT) - 1);
    return reinterpret_cast<PageMeta*>(base + (1UL << VMEMMAP_SHIFT))[pfn()];
}
inline unsigned page::compound_order() const {
    return (flags & (1UL << PG_head)) ? static_cast<unsigned>(folio_meta(this)->_flags_1 & 0xff) : 0;
}
inline page* compound_head(page* p) {
    unsigned long h = p->compound_head;
    return (h & 1) ? reinterpret_cast<page*>(h - 1) : p;
}
inline bool PageCompound(const page* p) { return (p->flags & (1UL << PG_head)) || (p->compound_head & 1); }
inline bool PageTransCompound(const page* p) { return PageCompound(p); }
inline bool PageDirty(const page* p) { return p->flags & (1UL << PG_dirty); }
inline bool is_zone_device_page(const page* p) { return p->zone_device(); }
inline int page_ref_count(const page* p) { return p->_refcount; }
inline unsigned long page_to_pfn(const page* p) { return p->pfn(); }
inline bool folio_test_hugetlb(const page* head) {
    return static_cast<unsigned>(head->_mapcount) >> 24 == PGTY_hugetlb;
}
// The model's mapcount of a folio, in the word 6.12 keeps it in: a hugetlb
// folio's _entire_mapcount, any other head's _mapcount (the model counts a
// pte-mapped THP's mappings on its head; 6.12 would spread them over the
// subpages).  Large folios mirror the total in _large_mapcount, which is what
// 6.12's folio_mapcount() reads.
inline int& mapcount_word(page* head) {
    return folio_test_hugetlb(head) ? folio_meta(head)->_entire_mapcount : head->_mapcount;
}
inline int mapcount_of(page* head) { return mapcount_word(head); }
inline void map_inc(page* head) {
    mapcount_word(head)++;
    if (head->flags & (1UL << PG_head))
        folio_meta(head)->_large_mapcount++;
}
inline void map_dec(page* head) {
    mapcount_word(head)--;
    if (head->flags & (1UL << PG_head))
        folio_meta(head)->_large_mapcount--;
}
constexpr unsigned long PAGE_MAPPING_ANON = 1;
inline bool PageAnon(const page* p) {
    return reinterpret_cast<unsigned long>(compound_head(const_cast<page*>(p))->mapping) & PAGE_MAPPING_ANON;
}
void page_ref_inc(page* p);           // records P11 violations
bool page_ref_dec_and_test(page* p);  // records P11 violations
void set_page_dirty(page* p);
void mark_page_accessed(page* p);
page* pfn_to_page(unsigned long pfn);
bool is_zero_pfn(unsigned long pfn);
bool is_huge_zero_page(const page* p);
page* pte_page(pte_t pte);
page* pmd_page(pmd_t pmd);
page* pud_page(pud_t pud);

// ---- page-table walking (asm/pgtable.h offset helpers) ----
pgd_t* pgd_offset(mm_struct* mm, unsigned long address);
pgd_t* pgd_offset_k(unsigned long address);
inline p4d_t* p4d_offset(pgd_t* pgd, unsigned long) { return reinterpret_cast<p4d_t*>(pgd); }
pud_t* pud_offset(p4d_t* p4d, unsigned long address);
pmd_t* pmd_offset(pud_t* pud, unsigned long address);
pte_t* pte_offset_map(pmd_t* pmd, unsigned long address);
void set_pte_at(mm_struct* mm, unsigned long address, pte_t* ptep, pte_t pte);

// ---- locks: the page-table lock has a held flag (a second acquisition or a
// release of a lock not held is a recorded violation); each release is a
// yield point.  mmap_sem is rw_semaphore's readers/writer (types.h). ----
spinlock_t* pmd_lock(mm_struct* mm, pmd_t* pmd);
spinlock_t* pud_lock(mm_struct* mm, pud_t* pud);
spinlock_t* huge_pte_lock(mm_struct* mm, pte_t* pte);
void spin_unlock(spinlock_t* ptl);
pte_t* pte_offset_map_lock(mm_struct* mm, pmd_t* pmd, unsigned long address, spinlock_t** ptlp);
void pte_unmap_unlock(pte_t* pte, spinlock_t* ptl);
inline void pte_unmap(pte_t*) {}
void down_read(rw_semaphore* sem);
void up_read(rw_semaphore* sem);

// ---- waits and splits the longterm flags never reach (FOLL_MIGRATION / FOLL_SPLIT) ----
void migration_entry_wait(mm_struct* mm, pmd_t* pmd, unsigned long address);
void pmd_migration_entry_wait(mm_struct* mm, pmd_t* pmd);
void __migration_entry_wait(mm_struct* mm, pte_t* ptep, spinlock_t* ptl);  // hugetlb: ptep is the pmd slot
int split_huge_page(page* p);
void split_huge_pmd(vm_area_struct* vma, pmd_t* pmd, unsigned long address);
bool pmd_trans_unstable(pmd_t* pmd);
void lock_page(page* p);
bool trylock_page(page* p);
void unlock_page(page* p);
void mlock_vma_page(page* p);
void lru_add_drain();
void print_bad_pte(vm_area_struct* vma, unsigned long addr, pte_t pte, page* p);
void warn_once(const char* what);
inline bool is_device_public_page(const page*) { return false; }  // CONFIG_DEVICE_PUBLIC=n
inline void flush_anon_page(vm_area_struct*, page*, unsigned long) {}
inline void flush_dcache_page(page*) {}
void cond_resched();  // a yield point: resched, or retry after a fault (World::yield)

// ---- mm / arch / fs helpers the port calls ----
vm_area_struct* find_vma(mm_struct* mm, unsigned long addr);
int expand_stack(vm_area_struct* vma, unsigned long address);
vm_area_struct* get_gate_vma(mm_struct* mm);
int in_gate_area(mm_struct* mm, unsigned long addr);
bool arch_vma_access_permitted(vm_area_struct*, bool write, bool execute, bool foreign);
int handle_mm_fault(vm_area_struct* vma, unsigned long address, unsigned flags);
// mm/mmap.c vma_wants_writenotify: a shared writable mapping whose pages start
// read-only so that the first write is seen (page_mkwrite, dirty accounting).
bool vma_wants_writenotify(const World& w, const vm_area_struct* vma);
// Model of __split_huge_pmd for a THP (or huge zero) pmd: ptes map the subpages.
void split_thp_pmd(World& w, vm_area_struct* vma, unsigned long address, pmd_t* pmd);
int hugetlb_fault(mm_struct* mm, vm_area_struct* vma, unsigned long address, unsigned flags);
pte_t* huge_pte_offset(mm_struct* mm, unsigned long addr, unsigned long sz);
pte_t huge_ptep_get(pte_t* ptep);
bool hugetlbfs_pagecache_present(vm_area_struct* vma, unsigned long address);
bool huge_pte_none(pte_t pte);
bool is_hugetlb_entry_migration(pte_t pte);
bool is_hugetlb_entry_hwpoisoned(pte_t pte);
bool fatal_signal_pending(task_struct* tsk);
task_struct* get_current();
void* kcalloc(unsigned long n, unsigned long size);
void kfree(const void* p);
void* ZERO_SIZE_PTR();
// The model's verdict of a pgmap lookup is the port's concern (get_dev_pagemap
// is ported); this finds the pgmap covering a pfn without taking a reference.
dev_pagemap* lookup_dev_pagemap(unsigned long pfn);

}  // namespace gupfuzz::kernel
