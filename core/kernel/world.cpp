// SPDX-License-Identifier: GPL-2.0-only
//
// Kernel model: physical memory, page tables, files, VMAs, fault-injection
// hooks and the small kernel helpers the port calls.
#include "core/kernel/world.h"

#include "core/kernel/hex.h"
#include "core/kernel/mm_ops.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include <mutex>

#include <sys/mman.h>
#include <unistd.h>
#include <cerrno>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GUPFUZZ_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GUPFUZZ_ASAN 1
#endif
#if GUPFUZZ_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace gupfuzz::kernel {

namespace {
thread_local World* g_current = nullptr;
constexpr unsigned long RAM_LIMIT_PFNS = 1UL << 19;  // 2 GiB of simulated RAM
constexpr unsigned long KMALLOC_MAX_SIZE = 4UL << 20;  // SLUB, MAX_ORDER 11, x86-64
const vm_operations_struct gate_vma_ops{};           // gate_vma_ops: only a .name in the kernel
}  // namespace

const char* alloc_site_name(AllocSite s) {
    switch (s) {
    case AllocSite::kcalloc_vmas: return "kcalloc_vmas";
    case AllocSite::pud_alloc: return "pud_alloc";
    case AllocSite::pmd_alloc: return "pmd_alloc";
    case AllocSite::pte_alloc: return "pte_alloc";
    case AllocSite::anon_vma_prepare: return "anon_vma_prepare";
    case AllocSite::anon_page: return "anon_page";
    case AllocSite::cow_page: return "cow_page";
    case AllocSite::swap_page: return "swap_page";
    case AllocSite::pagecache_page: return "pagecache_page";
    case AllocSite::memcg_charge: return "memcg_charge";
    case AllocSite::thp_page: return "thp_page";
    case AllocSite::huge_page: return "huge_page";
    case AllocSite::expand_stack: return "expand_stack";
    case AllocSite::isolate_lru: return "isolate_lru";
    case AllocSite::migrate_pages: return "migrate_pages";
    case AllocSite::device_migrate: return "device_migrate";
    case AllocSite::COUNT:
    case AllocSite::END: break;
    }
    return "?";
}

std::optional<AllocSite> alloc_site_from_name(const std::string& name) {
    for (int i = 0; i < kAllocSiteCountAll; ++i)
        if (i != kAllocSiteCount && name == alloc_site_name(static_cast<AllocSite>(i)))
            return static_cast<AllocSite>(i);
    return std::nullopt;
}

const char* yield_point_name(YieldPoint p) {
    switch (p) {
    case YieldPoint::pte_unlock: return "pte-unlock";
    case YieldPoint::pmd_unlock: return "pmd-unlock";
    case YieldPoint::fault_entry: return "fault-entry";
    case YieldPoint::fault_exit: return "fault-exit";
    case YieldPoint::resched: return "resched";
    case YieldPoint::retry: return "retry";
    case YieldPoint::caller_return: return "return";
    case YieldPoint::COUNT: break;
    }
    return "?";
}

const char* yield_point_words(YieldPoint p) {
    switch (p) {
    case YieldPoint::pte_unlock: return "pte-unlock (pte_unmap_unlock in follow_page_pte)";
    case YieldPoint::pmd_unlock: return "pmd-unlock (spin_unlock of the pmd/pud/huge-pte lock)";
    case YieldPoint::fault_entry: return "fault-entry (handle_mm_fault called by faultin_page)";
    case YieldPoint::fault_exit: return "fault-exit (handle_mm_fault returning to faultin_page)";
    case YieldPoint::resched: return "resched (cond_resched at an address's first attempt)";
    case YieldPoint::retry: return "retry (cond_resched after faultin_page returned 0, before the lookup is retried)";
    case YieldPoint::caller_return: return "return (get_user_pages_longterm returned, mmap_sem still held)";
    case YieldPoint::COUNT: break;
    }
    return "?";
}

std::optional<YieldPoint> yield_point_from_name(const std::string& name) {
    for (int i = 0; i < kYieldPointCount; ++i)
        if (name == yield_point_name(static_cast<YieldPoint>(i)))
            return static_cast<YieldPoint>(i);
    return std::nullopt;
}

unsigned Trace::count_site(AllocSite s) const {
    unsigned n = 0;
    for (const auto& p : sites)
        n += p.site == s;
    return n;
}

World* current_world() {
    if (!g_current)
        throw KernelBug("kernel code ran with no World in scope");
    return g_current;
}

WorldScope::WorldScope(World& w) : prev_(g_current) { g_current = &w; }
WorldScope::~WorldScope() { g_current = prev_; }

// ---------------------------------------------------------------------------
// World

namespace {
constexpr unsigned long kVmemmapBytes = 1UL << VMEMMAP_SHIFT;
constexpr unsigned long kMetaBytes = VMEMMAP_PFNS * sizeof(PageMeta);
constexpr unsigned long kTableBytes = MAX_TABLES << PAGE_SHIFT;

// A page as the allocator and memmap_init leave it: its zone in flags, no
// mapping, no references, _mapcount -1 (include/linux/mm.h page_mapcount_reset).
void reset_page(page* p, unsigned zone) {
    std::memset(static_cast<void*>(p), 0, sizeof(page));
    p->flags = static_cast<unsigned long>(zone) << ZONES_PGSHIFT;
    p->_mapcount = -1;
}

// mm/page_alloc.c prep_compound_page + folio_set_order, 6.12: the head flag,
// tails pointing at the head, and the folio metadata in page[1].
void prep_compound(page* head, unsigned order) {
    const unsigned long n = 1UL << order;
    head->flags |= 1UL << PG_head;
    for (unsigned long i = 1; i < n; ++i)
        head[i].compound_head = reinterpret_cast<unsigned long>(head) | 1;
    folio_page1* m = folio_meta(head);
    m->_flags_1 = (m->_flags_1 & ~0xffUL) | order;
    m->_large_mapcount = -1;
    m->_entire_mapcount = -1;
    m->_nr_pages_mapped = 0;
    m->_pincount = 0;
    m->_folio_nr_pages = static_cast<unsigned>(n);
}
}  // namespace

// ---------------------------------------------------------------------------
// The pool of reservations.  Reserving ~12 GiB of address space and giving it
// back on every run costs a fuzzer more than the run itself (mmap/munmap of
// the huge range, fresh zero pages faulted in, ASan's shadow), so each process
// keeps the reservations of its Worlds (one per World alive at the same time)
// and a World returns its own as it found it: every byte it touched zeroed.
// Nothing else of a World survives it, so a run sees exactly the memory a
// fresh mmap would give (same input, same verdict: tests/world_pool_test.cpp).
// Between two Worlds the zeroed ranges are poisoned (ASan manual poisoning),
// so a pointer into a finished World is still caught as it was when the range
// was unmapped; the next World unpoisons them.
struct WorldArena {
    void* reservation = nullptr;
    unsigned long bytes = 0;
    page* vmemmap = nullptr;
    pteval_t* tables = nullptr;
    std::vector<bool> section_ready = std::vector<bool>(VMEMMAP_PFNS >> 9);
    std::vector<std::pair<char*, unsigned long>> poisoned;  // zeroed by the last World, unpoisoned by the next
};

namespace {
std::mutex g_pool_mutex;
// The free arenas.  Never destroyed: reachable (for LeakSanitizer, which
// looks after static destructors ran) for as long as the process lives.
std::vector<WorldArena*>& g_pool = *new std::vector<WorldArena*>;
constexpr std::size_t kPoolKeep = 4;          // more free ones than that are unmapped
// GUPFUZZ_WORLD_POOL=0: every World reserves afresh and unmaps at the end (the
// behaviour before the pool; ci/bench-fuzz measures both in one run).  Read
// once; changes no result, only the time.
bool pool_enabled() {
    static const bool on = [] {
        const char* e = std::getenv("GUPFUZZ_WORLD_POOL");
        return !(e && std::strcmp(e, "0") == 0);
    }();
    return on;
}
// A World that touched more than kKeepBytes of the reservation gives its
// ranges of at least kDontNeedBytes back to the kernel (MADV_DONTNEED: RSS
// stays bounded); below that they are cleared in place and stay resident, so
// the next World does not fault them in again.
constexpr unsigned long kKeepBytes = 64UL << 20;
constexpr unsigned long kDontNeedBytes = 1UL << 20;

// ASan's manual poisoning (nothing without ASan).
void set_poisoned(char* p, unsigned long n, bool poisoned) {
#if GUPFUZZ_ASAN
    if (poisoned)
        ASAN_POISON_MEMORY_REGION(p, n);
    else
        ASAN_UNPOISON_MEMORY_REGION(p, n);
#else
    (void)p, (void)n, (void)poisoned;
#endif
}
void poison(char* p, unsigned long n) { set_poisoned(p, n, true); }
void unpoison(char* p, unsigned long n) { set_poisoned(p, n, false); }

WorldArena* acquire_arena() {
    WorldArena* a = nullptr;
    {
        std::lock_guard<std::mutex> lock(g_pool_mutex);
        if (!g_pool.empty()) {
            a = g_pool.back();
            g_pool.pop_back();
        }
    }
    if (a) {
        for (auto [p, n] : a->poisoned)
            unpoison(p, n);
        a->poisoned.clear();
        return a;
    }
    auto fresh = std::make_unique<WorldArena>();
    // [vmemmap (4 GiB, aligned to 4 GiB)][PageMeta per pfn][page tables]
    fresh->bytes = 2 * kVmemmapBytes + kMetaBytes + kTableBytes;
    fresh->reservation = mmap(nullptr, fresh->bytes, PROT_READ | PROT_WRITE,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (fresh->reservation == MAP_FAILED)
        throw std::runtime_error("World: cannot reserve " + std::to_string(fresh->bytes >> 30) +
                                 " GiB of address space for the simulated vmemmap (" + std::strerror(errno) + ")");
    const unsigned long base =
        (reinterpret_cast<unsigned long>(fresh->reservation) + kVmemmapBytes - 1) & ~(kVmemmapBytes - 1);
    fresh->vmemmap = reinterpret_cast<page*>(base);
    fresh->tables = reinterpret_cast<pteval_t*>(base + kVmemmapBytes + kMetaBytes);
    return fresh.release();
}

// Zero [p, p + n) (page-aligned); `release`: give it back to the kernel.
void zero_range(WorldArena* a, char* p, unsigned long n, bool release) {
    if (release && n >= kDontNeedBytes) {
        if (madvise(p, n, MADV_DONTNEED) != 0)
            std::memset(p, 0, n);
    } else {
        std::memset(p, 0, n);
    }
    poison(p, n);
    a->poisoned.emplace_back(p, n);
}

// The World's touched memory zeroed, the arena back in the pool (or, with
// the pool full or switched off, unmapped as a whole).
void release_arena(WorldArena* a, const std::vector<unsigned long>& sections, unsigned long nr_tables) {
    std::lock_guard<std::mutex> lock(g_pool_mutex);
    if (!pool_enabled() || g_pool.size() >= kPoolKeep) {
        munmap(a->reservation, a->bytes);  // nothing in it is poisoned (acquire_arena unpoisoned it)
        delete a;
        return;
    }
    // Sections are ascending: zero runs of consecutive ones at once, their
    // struct pages and their PageMeta.
    const unsigned long touched =
        sections.size() * 512 * (sizeof(page) + sizeof(PageMeta)) + (nr_tables << PAGE_SHIFT);
    const bool release = touched > kKeepBytes;
    char* const vm = reinterpret_cast<char*>(a->vmemmap);
    char* const meta = vm + kVmemmapBytes;
    for (std::size_t i = 0; i < sections.size();) {
        std::size_t j = i + 1;
        while (j < sections.size() && sections[j] == sections[j - 1] + 1)
            ++j;
        const unsigned long first = sections[i] << 9, n = (j - i) << 9;
        zero_range(a, vm + first * sizeof(page), n * sizeof(page), release);
        zero_range(a, meta + first * sizeof(PageMeta), n * sizeof(PageMeta), release);
        for (std::size_t k = i; k < j; ++k)
            a->section_ready[sections[k]] = false;
        i = j;
    }
    if (nr_tables)
        zero_range(a, reinterpret_cast<char*>(a->tables), nr_tables << PAGE_SHIFT, release);
    g_pool.push_back(a);
}
}  // namespace

WorldPoolState world_pool_state() {
    std::lock_guard<std::mutex> lock(g_pool_mutex);
    WorldPoolState st;
    st.free_arenas = g_pool.size();
    const long pg = sysconf(_SC_PAGESIZE);
    for (WorldArena* a : g_pool) {
        for (auto [p, n] : a->poisoned)
            unpoison(p, n);
        std::vector<unsigned char> resident((a->bytes + pg - 1) / pg);
        if (mincore(a->reservation, a->bytes, resident.data()) != 0)
            throw std::runtime_error(std::string("world_pool_state: mincore: ") + std::strerror(errno));
        const char* base = static_cast<const char*>(a->reservation);
        for (std::size_t i = 0; i < resident.size(); ++i) {
            if (!(resident[i] & 1))
                continue;
            ++st.resident_pages;
            for (long b = 0; b < pg; ++b)
                st.nonzero_bytes += base[i * pg + b] != 0;
        }
        for (auto [p, n] : a->poisoned)
            poison(p, n);
    }
    return st;
}

World::World() {
    arena_ = acquire_arena();
    vmemmap_ = arena_->vmemmap;
    tables_ = arena_->tables;
    section_ready_ = &arena_->section_ready;

    // The user pgd and the kernel (init_mm) pgd.
    mm.pgd = reinterpret_cast<pgd_t*>(table_of(make_table(4)));
    init_mm.pgd = reinterpret_cast<pgd_t*>(table_of(make_table(4)));
    task.mm = &mm;

    // empty_zero_page and the vsyscall page: permanent.  The huge zero page
    // (512 struct pages) is set up when its section is first touched.
    zero_page = materialize(ZERO_PFN);
    zero_page->_refcount = zero_page->model_refs() = 1;
    zero_page->flags |= 1UL << PG_reserved;
    gate_page = materialize(GATE_PFN);
    gate_page->_refcount = gate_page->model_refs() = 1;
    gate_page->flags |= 1UL << PG_reserved;
    highest_memmap_pfn = HUGE_ZERO_PFN + HPAGE_PMD_NR - 1;

    gate_vma.vm_start = VSYSCALL_ADDR;
    gate_vma.vm_end = VSYSCALL_ADDR + PAGE_SIZE;
    gate_vma.vm_flags = VM_READ | VM_EXEC;
    gate_vma.vm_ops = &gate_vma_ops;
    gate_vma.model_index = -2;

    // The vsyscall page in the kernel page tables (map_vsyscall()).
    pteval_t* slot = &(init_mm.pgd + pgd_index(VSYSCALL_ADDR))->pgd;
    *slot = make_table(3);
    slot = table_of(*slot) + pud_index(VSYSCALL_ADDR);
    *slot = make_table(2);
    slot = table_of(*slot) + pmd_index(VSYSCALL_ADDR);
    *slot = make_table(1);
    slot = table_of(*slot) + pte_index(VSYSCALL_ADDR);
    *slot = (GATE_PFN << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;
}

World::~World() {
    for (auto& [ptr, size] : kmallocs_)
        std::free(ptr);
    release_arena(arena_, sections_, nr_tables_);
}

bool World::pfn_valid(unsigned long pfn) const {
    if (pfn == ZERO_PFN || pfn == GATE_PFN)
        return true;
    if (pfn >= HUGE_ZERO_PFN && pfn < HUGE_ZERO_PFN + HPAGE_PMD_NR)
        return true;
    if (pfn >= RAM_BASE_PFN && pfn < ram_next_)
        return true;
    for (const auto& pg : pgmaps)
        if (pfn >= pg->pfn_first && pfn < pg->pfn_last)
            return true;
    return false;
}

void World::mark_hugetlb(page* head) {
    // include/linux/page-flags.h:944 __folio_set_hugetlb (6.12): the type
    // replaces the head's _mapcount; the mapcount moves to _entire_mapcount.
    head->_mapcount = static_cast<int>(static_cast<unsigned>(PGTY_hugetlb) << 24);
}

// memmap_init_range / memmap_init_zone_device for one 512-page section.
void World::init_section(unsigned long sec) {
    const unsigned long base = sec << 9;
    dev_pagemap* dev = find_pgmap(base);
    for (unsigned long i = 0; i < 512; ++i) {
        page* p = vmemmap_ + base + i;
        if (dev && base + i < dev->pfn_last) {
            // memmap_init_zone_device: refcount 1, owned by the pgmap.
            reset_page(p, ZONE_DEVICE);
            const unsigned long order = dev->vmemmap_shift;
            const unsigned long off = (base + i - dev->pfn_first) & ((1UL << order) - 1);
            if (order && off) {
                // memmap_init_compound (6.12): a tail of the pgmap's compound
                // folio, refcount 0; page[1] carries the folio's metadata.
                page* head = p - off;
                p->compound_head = reinterpret_cast<unsigned long>(head) | 1;
                p->model_refs() = 0;
                if (off == 1) {
                    folio_page1* m = folio_meta(head);
                    m->_flags_1 |= order;
                    m->_large_mapcount = -1;
                    m->_entire_mapcount = -1;
                    m->_pincount = 0;
                    m->_folio_nr_pages = static_cast<unsigned>(1UL << order);
                }
            } else {
                p->pgmap = dev;
                p->_refcount = p->model_refs() = 1;
                if (order)
                    p->flags |= 1UL << PG_head;
            }
        } else {
            reset_page(p, ZONE_NORMAL);
        }
    }
    if (base == HUGE_ZERO_PFN) {
        // mm_get_huge_zero_page: a permanent order-9 compound page.
        huge_zero_page = vmemmap_ + base;
        huge_zero_page->_refcount = huge_zero_page->model_refs() = 1;
        prep_compound(huge_zero_page, 9);
    }
    sections_.insert(std::upper_bound(sections_.begin(), sections_.end(), sec), sec);
    (*section_ready_)[sec] = true;
}

page* World::materialize(unsigned long pfn) {
    if (pfn >= VMEMMAP_PFNS)
        throw KernelBug("pfn " + hex(pfn) + " is outside the simulated vmemmap");
    page* p = vmemmap_ + pfn;
    // A section is initialised on first touch.
    if (!(*section_ready_)[pfn >> 9])
        init_section(pfn >> 9);
    return p;
}

void World::init_pages(unsigned long pfn, unsigned long n) {
    for (unsigned long p = pfn & ~511UL; p < pfn + n; p += 512)
        materialize(std::max(p, pfn));
}

page* World::pfn_to_page(unsigned long pfn) {
    if (!pfn_valid(pfn))
        throw KernelBug("pfn_to_page(" + hex(pfn) + "): no struct page (pfn_valid is false)");
    return materialize(pfn);
}

page* World::alloc_pages(unsigned order, bool movable) {
    const unsigned zone = movable && config.zone_movable && !memalloc_pin ? ZONE_MOVABLE : ZONE_NORMAL;
    const unsigned long n = 1UL << order;
    unsigned long pfn = (ram_next_ + n - 1) & ~(n - 1);
    if (pfn + n > RAM_BASE_PFN + RAM_LIMIT_PFNS) {
        if (!setup_mode)
            trace.ram_exhausted = true;  // a real OOM, not an injected one
        return nullptr;
    }
    ram_next_ = pfn + n;
    highest_memmap_pfn = std::max(highest_memmap_pfn, ram_next_ - 1);
    for (unsigned long i = 0; i < n; ++i) {
        page* p = materialize(pfn + i);
        reset_page(p, zone);
        p->allocated() = true;
        p->model_refs() = 0;
    }
    page* head = vmemmap_ + pfn;
    head->_refcount = head->model_refs() = 1;
    if (order)
        prep_compound(head, order);
    // A user folio (a __GFP_MOVABLE request) goes on the LRU: folio_add_lru
    // (mm/swap.c:503, 6.12) with the per-CPU batches always drained.  Only the
    // 6.12 glue's folio_isolate_lru reads it.
    if (movable)
        head->flags |= 1UL << PG_lru;
    return head;
}

void World::free_pages(page* head) {
    if (head->zone_device() || head == zero_page || head == huge_zero_page || head == gate_page) {
        trace.violations.push_back("page pfn " + hex(head->pfn()) + " (permanent) reached refcount 0 and was freed");
        return;
    }
    if (!head->allocated())
        trace.violations.push_back("free of pfn " + hex(head->pfn()) + ", which is not allocated (double free)");
    if (head->model_refs() > 0)
        trace.violations.push_back("pfn " + hex(head->pfn()) + " freed while still mapped or cached (" +
                                   std::to_string(head->model_refs()) + " model references)");
    const unsigned long n = 1UL << head->compound_order();
    for (unsigned long i = 0; i < n; ++i) {
        page* p = head + i;
        p->allocated() = false;
        p->mapping = nullptr;
        p->flags &= ZONES_FLAGS_MASK;
    }
}

dev_pagemap* World::add_pgmap(unsigned long nr_pages, bool live, unsigned long align_pages) {
    if (pgmaps.size() >= MAX_PGMAPS || nr_pages > DEV_SPAN_PFN)
        throw std::invalid_argument("add_pgmap: at most " + std::to_string(MAX_PGMAPS) + " pgmaps of at most " +
                                    std::to_string(DEV_SPAN_PFN) + " pages each");
    auto pg = std::make_unique<dev_pagemap>();
    pg->id = static_cast<int>(pgmaps.size());
    pg->pfn_first = DEV_BASE_PFN + static_cast<unsigned long>(pg->id) * DEV_SPAN_PFN;
    pg->pfn_last = pg->pfn_first + nr_pages;
    pg->ref = static_cast<long>(nr_pages);  // devm_memremap_pages: one per page
    pg->live = live;
    // drivers/dax/device.c dev_dax_probe (since 5.17): pgmap->vmemmap_shift =
    // order_base_2(align), so a device-DAX mapping of 2 MiB or 1 GiB alignment
    // is built of compound folios.  v4.15's ZONE_DEVICE pages are order 0.
    if (config.generation >= 601 && align_pages > 1)
        pg->vmemmap_shift = static_cast<unsigned long>(__builtin_ctzl(align_pages));
    highest_memmap_pfn = std::max(highest_memmap_pfn, pg->pfn_last - 1);
    pgmaps.push_back(std::move(pg));
    return pgmaps.back().get();
}

dev_pagemap* World::find_pgmap(unsigned long pfn) {
    for (auto& pg : pgmaps)
        if (pfn >= pg->pfn_first && pfn < pg->pfn_last)
            return pg.get();
    return nullptr;
}

FileObj* World::add_file(FileKind kind, unsigned long size_pages, unsigned long align_pages, dev_pagemap* pgmap) {
    auto f = std::make_unique<FileObj>();
    f->id = static_cast<int>(files.size());
    f->kind = kind;
    f->size_pages = size_pages;
    f->align_pages = align_pages ? align_pages : 1;
    f->pgmap = pgmap;
    f->f_inode_obj.id = f->id;
    f->f_inode_obj.i_size = size_pages << PAGE_SHIFT;
    switch (kind) {
    case FileKind::regular:
    case FileKind::shmem:
    case FileKind::hugetlbfs:
        f->f_inode_obj.i_mode = S_IFREG | 0644;
        break;
    case FileKind::fsdax:
        // A regular file on a DAX filesystem: S_DAX on the inode itself.
        f->f_inode_obj.i_mode = S_IFREG | 0644;
        f->f_inode_obj.i_flags = S_DAX_BIT;
        break;
    case FileKind::devdax:
        // dax_open: f_mapping is the internal dax inode's mapping (S_DAX);
        // file_inode is the /dev/daxX.Y char inode with a real mode.
        f->f_inode_obj.i_mode = S_IFCHR | 0600;
        f->f_inode_obj.i_flags = S_DAX_BIT;
        f->mapping_host_obj.i_mode = S_IFCHR | 0600;
        f->mapping_host_obj.i_flags = S_DAX_BIT;
        f->mapping_host_obj.i_size = f->f_inode_obj.i_size;
        break;
    case FileKind::mmio:
        f->f_inode_obj.i_mode = S_IFCHR | 0600;
        break;
    }
    f->mapping_obj.host = kind == FileKind::devdax ? &f->mapping_host_obj : &f->f_inode_obj;
    f->file_obj.f_inode = &f->f_inode_obj;
    f->file_obj.f_mapping = &f->mapping_obj;
    files.push_back(std::move(f));
    return files.back().get();
}

FileObj* World::file_of(const vm_area_struct* vma) const {
    if (!vma->vm_file)
        return nullptr;
    for (const auto& f : files)
        if (&f->file_obj == vma->vm_file)
            return f.get();
    return nullptr;
}

vm_area_struct* World::insert_vma(unsigned long start, unsigned long end, vm_flags_t flags, FileObj* f,
                                  unsigned long pgoff) {
    auto v = std::make_unique<vm_area_struct>();
    v->vm_start = start;
    v->vm_end = end;
    v->vm_flags = flags;
    v->vm_mm = &mm;
    v->vm_pgoff = pgoff;
    v->vm_file = f ? &f->file_obj : nullptr;
    v->vm_ops = vm_ops_for(f);
    v->model_index = static_cast<int>(vma_store.size());
    vm_area_struct* raw = v.get();
    vma_store.push_back(std::move(v));
    // Keep mm->mmap sorted by address.
    vm_area_struct** link = &mm.mmap;
    vm_area_struct* prev = nullptr;
    while (*link && (*link)->vm_start < start) {
        prev = *link;
        link = &(*link)->vm_next;
    }
    raw->vm_next = *link;
    raw->vm_prev = prev;
    if (*link)
        (*link)->vm_prev = raw;
    *link = raw;
    return raw;
}

pteval_t World::make_table(unsigned level) {
    (void)level;
    if (nr_tables_ >= MAX_TABLES)
        throw KernelBug("the simulated kernel ran out of page-table pages (" + std::to_string(MAX_TABLES) + ")");
    std::memset(tables_ + nr_tables_ * PTRS_PER_TABLE, 0, PAGE_SIZE);  // all entries none
    const unsigned long pfn = TABLE_PFN_BASE + nr_tables_++;
    return (static_cast<pteval_t>(pfn) << PAGE_SHIFT) | _PAGE_TABLE;
}

pteval_t* World::table_of(pteval_t entry) {
    const unsigned long pfn = (entry & PTE_PFN_MASK) >> PAGE_SHIFT;
    if (pfn < TABLE_PFN_BASE || pfn - TABLE_PFN_BASE >= nr_tables_)
        throw KernelBug("page-table walk through an entry that is not a table: " + hex(entry));
    return tables_ + (pfn - TABLE_PFN_BASE) * PTRS_PER_TABLE;
}

std::uint64_t World::tables_digest() const {
    std::uint64_t h = 1469598103934665603ULL;
    for (unsigned long i = 0; i < nr_tables_ * PTRS_PER_TABLE; ++i) {
        h ^= tables_[i];
        h *= 1099511628211ULL;
    }
    return h;
}

anon_vma* World::new_anon_vma() {
    anon_vmas_.emplace_back();
    anon_vmas_.back().id = static_cast<int>(anon_vmas_.size());
    return &anon_vmas_.back();
}

bool World::should_fail(AllocSite site, unsigned long addr) {
    if (setup_mode)
        return false;
    const unsigned occ = ++site_counts_[static_cast<int>(site)];
    bool fail = false;
    for (const auto& f : plan.failures)
        if (f.site == site && f.occurrence == occ)
            fail = true;
    trace.sites.push_back({site, occ, addr, fail});
    return fail;
}

bool World::fatal_signal_pending() {
    if (setup_mode)
        return false;
    ++trace.signal_checks;
    if (plan.signal_at_check && trace.signal_checks >= plan.signal_at_check) {
        if (!trace.signal_delivered_at)
            trace.signal_delivered_at = trace.signal_checks;
        return true;
    }
    return false;
}

void World::yield(YieldPoint point) {
    if (setup_mode)
        return;
    const unsigned occ = ++trace.yield_passes[static_cast<int>(point)];
    if (plan.interleaves.empty())
        return;
    for (std::size_t i = 0; i < plan.interleaves.size(); ++i) {
        const FaultPlan::Interleave& il = plan.interleaves[i];
        if (il.point != point || il.occurrence != occ)
            continue;
        Trace::InterleaveRun run{i, gup_addr, false, ""};
        // The lock rules, as the state is now: every operation takes the
        // page-table lock; mmap_sem for read cannot be had while a writer
        // holds it, for write not while anyone holds it.
        const MmapSemNeed need = mm_op_sem(il.op);
        if (ptl.held)
            run.outcome = "refused: the page-table lock is held at this point";
        else if (need == MmapSemNeed::read && mm.mmap_sem.writer)
            run.outcome = "refused: needs mmap_sem for read, which the GUP caller holds for write";
        else if (need == MmapSemNeed::write && (mm.mmap_sem.writer || mm.mmap_sem.readers))
            run.outcome = "refused: needs mmap_sem for write, which the GUP caller holds";
        else {
            // Another thread: nothing it allocates or faults is the call's.
            setup_mode = true;
            try {
                run.outcome = run_mm_op(*this, il.op, il.addr, il.pages, &run.ran);
            } catch (...) {
                setup_mode = false;
                throw;
            }
            setup_mode = false;
        }
        trace.interleaved.push_back(std::move(run));
    }
}

void World::note_fault(unsigned long addr) {
    if (setup_mode)
        return;
    unsigned& n = trace.faults_per_page[addr & PAGE_MASK];
    if (++n > MAX_FAULTS_PER_PAGE)
        throw Livelock("handle_mm_fault called " + std::to_string(n) + " times for page " + hex(addr & PAGE_MASK) +
                       " without progress");
}

int World::injected_code(unsigned long addr) {
    if (setup_mode)
        return 0;
    for (const auto& c : plan.codes)
        if (c.addr == (addr & PAGE_MASK)) {
            trace.codes_fired.emplace_back(addr & PAGE_MASK, c.code);
            return c.code;
        }
    return 0;
}

void World::model_get(page* p) {
    p = compound_head(p);
    p->_refcount++;
    p->model_refs()++;
}

void World::model_put(page* p) {
    p = compound_head(p);
    if (p->model_refs() <= 0)
        throw KernelBug("model dropped a reference it does not hold on pfn " + hex(p->pfn()));
    p->model_refs()--;
    if (--p->_refcount == 0)
        free_pages(p);
}

void* World::kcalloc(unsigned long n, unsigned long size) {
    if (!setup_mode)
        ++trace.kmalloc_calls;
    if (n == 0 || size == 0)
        return ZERO_SIZE_PTR();  // never fails, nothing to free
    if (n > ~0UL / size || n * size > KMALLOC_MAX_SIZE)
        return nullptr;
    if (should_fail(AllocSite::kcalloc_vmas, 0))
        return nullptr;
    void* p = std::calloc(n, size);
    if (!p)
        throw std::bad_alloc();
    kmallocs_[p] = n * size;
    ++trace.kmalloc_live;
    return p;
}

void World::kfree(const void* p) {
    if (!p || p == ZERO_SIZE_PTR())
        return;
    auto it = kmallocs_.find(const_cast<void*>(p));
    if (it == kmallocs_.end()) {
        trace.violations.push_back("kfree of a pointer that kcalloc did not return (or a double free)");
        return;
    }
    std::free(it->first);
    kmallocs_.erase(it);
    --trace.kmalloc_live;
}

// ---------------------------------------------------------------------------
// Kernel helpers, in the kernel's names.

void* ZERO_SIZE_PTR() { return reinterpret_cast<void*>(16); }
void* kcalloc(unsigned long n, unsigned long size) { return current_world()->kcalloc(n, size); }
void kfree(const void* p) { current_world()->kfree(p); }

void page_ref_inc(page* p) { p->_refcount++; }

bool page_ref_dec_and_test(page* p) {
    World* w = current_world();
    if (p->_refcount - p->model_refs() <= 0)
        w->trace.violations.push_back("put_page on pfn " + hex(p->pfn()) + " which holds no GUP reference (refcount " +
                                      std::to_string(p->_refcount) + ", of which " +
                                      std::to_string(p->model_refs()) + " are mappings/cache)");
    --p->_refcount;
    if (p->_refcount < 0)
        w->trace.violations.push_back("refcount of pfn " + hex(p->pfn()) + " went negative");
    return p->_refcount == 0;
}

void set_page_dirty(page* p) { compound_head(p)->flags |= 1UL << PG_dirty; }
void mark_page_accessed(page* p) { compound_head(p)->flags |= 1UL << PG_referenced; }
page* pfn_to_page(unsigned long pfn) { return current_world()->pfn_to_page(pfn); }
bool is_zero_pfn(unsigned long pfn) { return pfn == ZERO_PFN; }
bool is_huge_zero_page(const page* p) { return p->pfn() == HUGE_ZERO_PFN; }
page* pte_page(pte_t pte) { return pfn_to_page(pte_pfn(pte)); }
page* pmd_page(pmd_t pmd) { return pfn_to_page(pmd_pfn(pmd)); }
page* pud_page(pud_t pud) { return pfn_to_page(pud_pfn(pud)); }
dev_pagemap* lookup_dev_pagemap(unsigned long pfn) { return current_world()->find_pgmap(pfn); }

pgd_t* pgd_offset(mm_struct* mm, unsigned long address) { return mm->pgd + pgd_index(address); }
pgd_t* pgd_offset_k(unsigned long address) { return pgd_offset(&current_world()->init_mm, address); }
pud_t* pud_offset(p4d_t* p4d, unsigned long address) {
    return reinterpret_cast<pud_t*>(current_world()->table_of(p4d_val(*p4d))) + pud_index(address);
}
pmd_t* pmd_offset(pud_t* pud, unsigned long address) {
    return reinterpret_cast<pmd_t*>(current_world()->table_of(pud_val(*pud))) + pmd_index(address);
}
pte_t* pte_offset_map(pmd_t* pmd, unsigned long address) {
    return reinterpret_cast<pte_t*>(current_world()->table_of(pmd_val(*pmd))) + pte_index(address);
}
void set_pte_at(mm_struct*, unsigned long, pte_t* ptep, pte_t pte) { *ptep = pte; }

namespace {
// The model has one page-table lock per World (the kernel's split pte locks
// and the pmd lock are never nested on the GUP path).
spinlock_t* take_ptl() {
    World* w = current_world();
    if (w->ptl.held)
        w->trace.violations.push_back("a page-table lock taken while it is held (the port nests spinlocks)");
    w->ptl.held = 1;
    return &w->ptl;
}
void release_ptl(spinlock_t* ptl, YieldPoint point) {
    World* w = current_world();
    if (!ptl || !ptl->held)
        w->trace.violations.push_back("a page-table lock released that is not held");
    else
        ptl->held = 0;
    w->yield(point);
}
}  // namespace

spinlock_t* pmd_lock(mm_struct*, pmd_t*) { return take_ptl(); }
spinlock_t* pud_lock(mm_struct*, pud_t*) { return take_ptl(); }
spinlock_t* huge_pte_lock(mm_struct*, pte_t*) { return take_ptl(); }
void spin_unlock(spinlock_t* ptl) { release_ptl(ptl, YieldPoint::pmd_unlock); }
pte_t* pte_offset_map_lock(mm_struct*, pmd_t* pmd, unsigned long address, spinlock_t** ptlp) {
    current_world()->gup_addr = address & PAGE_MASK;
    *ptlp = take_ptl();
    return pte_offset_map(pmd, address);
}
void pte_unmap_unlock(pte_t*, spinlock_t* ptl) { release_ptl(ptl, YieldPoint::pte_unlock); }

// include/linux/sched.h cond_resched: the scheduling point of
// __get_user_pages' retry label; the model tells the first attempt at an
// address from the one `goto retry` makes after a successful fault.
void cond_resched() {
    World* w = current_world();
    const bool after_fault = w->faulted_since_resched;
    w->faulted_since_resched = false;
    w->yield(after_fault ? YieldPoint::retry : YieldPoint::resched);
}

void down_read(rw_semaphore* sem) { sem->readers++; }
void up_read(rw_semaphore* sem) {
    sem->releases++;
    if (sem->readers > 0)
        sem->readers--;
    else
        current_world()->trace.violations.push_back("up_read on an mmap_sem not held for read");
}

void lock_page(page* p) { compound_head(p)->flags |= 1UL << PG_locked; }
bool trylock_page(page* p) {
    page* h = compound_head(p);
    if (h->flags & (1UL << PG_locked))
        return false;
    h->flags |= 1UL << PG_locked;
    return true;
}
void unlock_page(page* p) { compound_head(p)->flags &= ~(1UL << PG_locked); }
void mlock_vma_page(page* p) { compound_head(p)->flags |= 1UL << PG_mlocked; }
void lru_add_drain() {}

void print_bad_pte(vm_area_struct* vma, unsigned long addr, pte_t pte, page*) {
    current_world()->trace.violations.push_back("BUG: Bad page map at " + hex(addr) + " pte " + hex(pte.pte) +
                                                " (vma " + hex(vma->vm_start) + "-" + hex(vma->vm_end) + ")");
}
void warn_once(const char* what) { current_world()->trace.violations.push_back(std::string("WARN: ") + what); }

int split_huge_page(page*) {
    throw KernelBug("split_huge_page: FOLL_SPLIT is outside the longterm flag set and is not modelled");
}
void split_huge_pmd(vm_area_struct*, pmd_t*, unsigned long) {
    throw KernelBug("split_huge_pmd: FOLL_SPLIT is outside the longterm flag set and is not modelled");
}
bool pmd_trans_unstable(pmd_t* pmd) { return pmd_none(*pmd) || pmd_trans_huge(*pmd) || pmd_bad(*pmd); }

vm_area_struct* find_vma(mm_struct* mm, unsigned long addr) {
    for (vm_area_struct* v = mm->mmap; v; v = v->vm_next)
        if (v->vm_end > addr)
            return v;
    return nullptr;
}

namespace {
// mm/mmap.c acct_stack_growth v4.15, in its order.  may_expand_vm passes
// (RLIMIT_AS and RLIMIT_DATA are unlimited by default and a stack is neither
// data nor exec); is_hugepage_only_range is false on x86.
int acct_stack_growth(World* w, vm_area_struct* vma, unsigned long size, unsigned long grow) {
    // Stack limit test
    if (size > w->mm.stack_rlimit)
        return -ENOMEM;
    // mlock limit tests: mm->locked_vm counts the pages of the VM_LOCKED vmas.
    if (vma->vm_flags & VM_LOCKED) {
        unsigned long locked = grow;
        for (const vm_area_struct* v = w->mm.mmap; v; v = v->vm_next)
            if (v->vm_flags & VM_LOCKED)
                locked += (v->vm_end - v->vm_start) >> PAGE_SHIFT;
        const unsigned long limit = w->config.rlimit_memlock >> PAGE_SHIFT;
        if (locked > limit)  // && !capable(CAP_IPC_LOCK): the task is unprivileged
            return -ENOMEM;
    }
    // security_vm_enough_memory_mm: the overcommit test, the last one.
    if (w->should_fail(AllocSite::expand_stack, vma->vm_end - size))
        return -ENOMEM;
    return 0;
}
}  // namespace

// mm/mmap.c expand_downwards v4.15 (model); each failure makes
// find_extend_vma return NULL.
int expand_stack(vm_area_struct* vma, unsigned long address) {
    World* w = current_world();
    address &= PAGE_MASK;
    // security_mmap_addr -> cap_mmap_addr: an unprivileged task cannot map
    // below mmap_min_addr (no CAP_SYS_RAWIO).
    if (address < DEFAULT_MMAP_MIN_ADDR)
        return -EPERM;
    // Enforce stack_guard_gap, against an accessible previous vma only: a
    // PROT_NONE mapping below the stack is a guard itself.
    vm_area_struct* prev = vma->vm_prev;
    if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & (VM_WRITE | VM_READ | VM_EXEC))) {
        if (address - prev->vm_end < w->mm.stack_guard_gap)
            return -ENOMEM;
    }
    // anon_vma_prepare: allocates only when the vma has none yet.
    if (!vma->anon_vma_ptr) {
        if (w->should_fail(AllocSite::anon_vma_prepare, address))
            return -ENOMEM;
        vma->anon_vma_ptr = w->new_anon_vma();
    }
    if (address >= vma->vm_start)
        return 0;  // somebody else expanded it already
    const unsigned long size = vma->vm_end - address;
    const unsigned long grow = (vma->vm_start - address) >> PAGE_SHIFT;
    if (grow > vma->vm_pgoff)
        return -ENOMEM;
    if (int error = acct_stack_growth(w, vma, size, grow))
        return error;
    vma->vm_start = address;
    vma->vm_pgoff -= grow;
    return 0;
}

vm_area_struct* get_gate_vma(mm_struct*) {
    World* w = current_world();
    return w->config.gate ? &w->gate_vma : nullptr;
}

// arch/x86/entry/vsyscall/vsyscall_64.c:317 v4.15
int in_gate_area(mm_struct* mm, unsigned long addr) {
    vm_area_struct* vma = get_gate_vma(mm);
    if (!vma)
        return 0;
    return (addr >= vma->vm_start) && (addr < vma->vm_end);
}

bool arch_vma_access_permitted(vm_area_struct*, bool, bool, bool) { return true; }  // pkeys off
bool fatal_signal_pending(task_struct*) { return current_world()->fatal_signal_pending(); }
task_struct* get_current() { return &current_world()->task; }

// mm/hugetlb.c huge_pte_offset (the generic version x86 uses), for sz == PMD_SIZE.
pte_t* huge_pte_offset(mm_struct* mm, unsigned long addr, unsigned long sz) {
    pgd_t* pgd = pgd_offset(mm, addr);  // pgd_present() is 1: folded
    p4d_t* p4d = p4d_offset(pgd, addr);
    if (!(p4d_flags(*p4d) & _PAGE_PRESENT))  // p4d_present
        return nullptr;
    pud_t* pud = pud_offset(p4d, addr);
    if (sz != PUD_SIZE && pud_none(*pud))
        return nullptr;
    // A huge page or a swap entry?
    if (pud_huge(*pud) || !pud_present(*pud))
        return reinterpret_cast<pte_t*>(pud);
    pmd_t* pmd = pmd_offset(pud, addr);
    if (sz != PMD_SIZE && pmd_none(*pmd))
        return nullptr;
    if (pmd_huge(*pmd) || !pmd_present(*pmd))
        return reinterpret_cast<pte_t*>(pmd);
    return nullptr;
}
pte_t huge_ptep_get(pte_t* ptep) { return *ptep; }
bool huge_pte_none(pte_t pte) { return pte_none(pte); }
bool is_hugetlb_entry_migration(pte_t pte) { return is_swap_pte(pte) && is_migration_entry(pte_to_swp_entry(pte)); }
bool is_hugetlb_entry_hwpoisoned(pte_t pte) { return is_swap_pte(pte) && is_hwpoison_entry(pte_to_swp_entry(pte)); }

bool hugetlbfs_pagecache_present(vm_area_struct* vma, unsigned long address) {
    World* w = current_world();
    FileObj* f = w->file_of(vma);
    if (!f)
        return false;
    const unsigned long idx = ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
    return f->cache.count(idx & ~(HPAGE_PMD_NR - 1)) != 0;
}

}  // namespace gupfuzz::kernel
