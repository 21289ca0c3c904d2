// SPDX-License-Identifier: GPL-2.0-only
//
// The simulated kernel's side of core/kernel612/model_api.h: what the 6.12
// C glue asks of the model (kernel::World), and the entry table of
// entry612.h that runs the real gup.c through the glue.
//
// Every extern "C" function catches whatever the model throws
// (kernel::KernelBug, kernel::Livelock, std::exception) before returning to
// its C caller, records it as the call's Outcome::bug and sets the pending
// flag; the glue then ends the call with a longjmp from its own C frame.
#include "core/kernel612/model_api.h"

#include <algorithm>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/kernel/hex.h"
#include "core/kernel/mm_ops.h"
#include "core/kernel/world.h"
#include "core/kernel612/entry612.h"
#include "core/kernel612/glue_entry.h"
#include "core/kernel612/layout612.h"
#include "core/kernel612/variants612.h"

namespace gupfuzz::k612 {

using namespace gupfuzz::kernel;

// The layout contract of layout612.h, from the model's side.
static_assert(sizeof(page) == G612_STRUCT_PAGE_SIZE, "kernel::page must be the 6.12 struct page");
static_assert(offsetof(dev_pagemap, ref) == G612_PGMAP_REF_OFFSET);
static_assert(offsetof(dev_pagemap, type) == G612_PGMAP_TYPE_OFFSET);
static_assert(offsetof(address_space, host) == G612_MAPPING_HOST_OFFSET);
static_assert(offsetof(address_space, a_ops) == G612_MAPPING_AOPS_OFFSET);
static_assert(PG_anon_exclusive == G612_PG_ANON_EXCLUSIVE);
// The fault flags the model shares with 6.12 (bits 0..7, mm_types.h:1436-1443) and UNSHARE.
static_assert(FAULT_FLAG_WRITE == 1u << 0 && FAULT_FLAG_MKWRITE == 1u << 1 && FAULT_FLAG_ALLOW_RETRY == 1u << 2 &&
              FAULT_FLAG_RETRY_NOWAIT == 1u << 3 && FAULT_FLAG_KILLABLE == 1u << 4 && FAULT_FLAG_TRIED == 1u << 5 &&
              FAULT_FLAG_USER == 1u << 6 && FAULT_FLAG_REMOTE == 1u << 7 && FAULT_FLAG_UNSHARE == 1u << 10);
// VM_FAULT_* the model returns that keep their value in 6.12 (mm_types.h:1317-1332).
static_assert(VM_FAULT_OOM == 0x1 && VM_FAULT_SIGBUS == 0x2 && VM_FAULT_MAJOR == 0x4 && VM_FAULT_HWPOISON == 0x10 &&
              VM_FAULT_HWPOISON_LARGE == 0x20 && VM_FAULT_SIGSEGV == 0x40 && VM_FAULT_NOPAGE == 0x100 &&
              VM_FAULT_LOCKED == 0x200 && VM_FAULT_RETRY == 0x400 && VM_FAULT_FALLBACK == 0x800 &&
              VM_FAULT_DONE_COW == 0x1000 && VM_FAULT_NEEDDSYNC == 0x2000);

namespace {

// 6.12 FAULT_FLAG_* the model does not share (mm_types.h:1444-1448).
constexpr unsigned F612_INSTRUCTION = 1u << 8, F612_INTERRUPTIBLE = 1u << 9, F612_UNSHARE = 1u << 10,
                   F612_ORIG_PTE_VALID = 1u << 11, F612_VMA_LOCK = 1u << 12;

// What the 6.12 generation keeps with a World across calls.
struct GenState {
    unsigned long mm_flags = 0;       // mm->flags (MMF_HAS_PINNED is never cleared)
    std::map<int, long> node_stat;    // node_stat_mod_folio
    long lru_drains = 0;
    long migrations = 0;
    long cond_resched = 0;
};

GenState& gen_state(World& w) {
    if (!w.generation_state)
        w.generation_state = std::make_shared<GenState>();
    return *static_cast<GenState*>(w.generation_state.get());
}
const GenState* gen_state(const World& w) { return static_cast<const GenState*>(w.generation_state.get()); }

struct CallCtx {
    World* w = nullptr;
    Outcome* out = nullptr;
    GenState* st = nullptr;
    bool pending = false;
    std::vector<vm_area_struct*> vmas;  // mm->mmap order
    std::vector<std::unique_ptr<std::max_align_t[]>> scratch;
    std::map<unsigned long, int> table_locks;  // split ptl per page-table pfn
    const unsigned* task_flags = nullptr;      // current->flags of the glue's task mirror
    unsigned pf_memalloc_pin = 0;
};
thread_local CallCtx* g_ctx = nullptr;

void fail(const std::string& what) noexcept {
    if (!g_ctx)
        return;
    g_ctx->pending = true;
    if (g_ctx->out->bug.empty())
        g_ctx->out->bug = what;
}

template <class T, class F>
T guarded(T fallback, F&& f) noexcept {
    try {
        if (!g_ctx)
            throw KernelBug("the 6.12 glue called the model outside k612::call");
        return f();
    } catch (const Livelock& e) {
        fail(std::string("livelock: ") + e.what());
    } catch (const KernelBug& e) {
        fail(std::string("model: ") + e.what());
    } catch (const std::exception& e) {
        fail(std::string("model exception: ") + e.what());
    } catch (...) {
        fail("model exception of unknown type");
    }
    return fallback;
}

World& W() { return *g_ctx->w; }

// The World, with the task's PF_MEMALLOC_PIN scope as its allocator sees it
// (World::memalloc_pin), for a model operation that may allocate.
World& W_alloc() {
    World& w = W();
    w.memalloc_pin = g_ctx->task_flags && (*g_ctx->task_flags & g_ctx->pf_memalloc_pin);
    return w;
}

template <class T> T* at_phys(unsigned long phys) { return reinterpret_cast<T*>(phys + W().page_offset_base()); }

vm_area_struct* vma_at(int i) {
    if (i == -2)
        return &W().gate_vma;
    if (i < 0 || static_cast<size_t>(i) >= g_ctx->vmas.size())
        throw KernelBug("6.12 glue: vma handle " + std::to_string(i) + " out of range");
    return g_ctx->vmas[static_cast<size_t>(i)];
}

int file_index(const vm_area_struct* v) {
    if (!v->vm_file)
        return -1;
    const FileObj* f = W().file_of(v);
    if (!f)
        throw KernelBug("vma " + hex(v->vm_start) + " maps a file the World does not know");
    return f->id;
}

void fill(gm_vma* out, const vm_area_struct* v, int file) {
    out->start = v->vm_start;
    out->end = v->vm_end;
    out->flags = v->vm_flags;
    out->pgoff = v->vm_pgoff;
    out->file = file;
    out->has_vm_ops = v->vm_ops != nullptr;
    out->anon_vma = v->anon_vma_ptr;
}

// Which 6.12 memory_type each pgmap is (include/linux/memremap.h:57): the
// fsdax driver's pmem pgmaps are MEMORY_DEVICE_FS_DAX, device-dax's are
// MEMORY_DEVICE_GENERIC.
void set_pgmap_types(World& w) {
    for (const auto& f : w.files)
        if (f->pgmap)
            f->pgmap->type = f->kind == FileKind::fsdax ? G612_MEMORY_DEVICE_FS_DAX : G612_MEMORY_DEVICE_GENERIC;
}

// The kernel initialises the struct pages of a pgmap when it is created
// (memmap_init_zone_device) and the huge zero folio's when it is allocated;
// the World does it for a section on its first pfn_to_page, and for the pages
// of every devmap entry when its fault installs it (World::init_pages), so
// every struct page gup.c can reach through a page table is initialised
// (a pgmap of gigabytes costs only what is mapped).
void init_struct_pages(World& w) {
    w.pfn_to_page(HUGE_ZERO_PFN);
}

AllocSite site_of(int s) {
    switch (s) {
    case GM_SITE_ISOLATE_LRU: return AllocSite::isolate_lru;
    case GM_SITE_MIGRATE_PAGES: return AllocSite::migrate_pages;
    case GM_SITE_DEVICE_MIGRATE: return AllocSite::device_migrate;
    default: throw KernelBug("6.12 glue: unknown fault site " + std::to_string(s));
    }
}

}  // namespace
}  // namespace gupfuzz::k612

using namespace gupfuzz::k612;
using namespace gupfuzz::kernel;

extern "C" {

int gm_pending(void) { return g_ctx && g_ctx->pending; }

void gm_record_bug(const char* text) {
    guarded(0, [&] {
        if (g_ctx->out->bug.empty())
            g_ctx->out->bug = text;
        return 0;
    });
}

void gm_record_warning(const char* text) {
    guarded(0, [&] {
        g_ctx->out->warnings.emplace_back(text);
        return 0;
    });
}

void* gm_scratch(unsigned long bytes) {
    return guarded<void*>(nullptr, [&] {
        const unsigned long n = bytes / sizeof(std::max_align_t) + 1;
        g_ctx->scratch.push_back(std::make_unique<std::max_align_t[]>(n));  // value-initialised: zero
        return static_cast<void*>(g_ctx->scratch.back().get());
    });
}

unsigned long gm_page_offset_base(void) { return guarded(0UL, [] { return W().page_offset_base(); }); }
unsigned long gm_vmemmap_base(void) { return guarded(0UL, [] { return W().vmemmap_base(); }); }
unsigned long gm_user_pgd_phys(void) {
    return guarded(0UL, [] { return reinterpret_cast<unsigned long>(W().mm.pgd) - W().page_offset_base(); });
}
unsigned long gm_init_pgd_phys(void) {
    return guarded(0UL, [] { return reinterpret_cast<unsigned long>(W().init_mm.pgd) - W().page_offset_base(); });
}
unsigned long gm_highest_memmap_pfn(void) { return guarded(0UL, [] { return W().highest_memmap_pfn; }); }
unsigned long gm_zero_pfn(void) { return ZERO_PFN; }
unsigned long gm_huge_zero_pfn(void) { return HUGE_ZERO_PFN; }
int gm_pfn_valid(unsigned long pfn) { return guarded(0, [&] { return W().pfn_valid(pfn) ? 1 : 0; }); }

int gm_fsdax_pgmaps(void) {
    return guarded(0, [] {
        int n = 0;
        for (const auto& f : W().files)
            n += f->kind == FileKind::fsdax && f->pgmap;
        return n;
    });
}

int gm_vma_count(void) {
    return guarded(0, [] {
        g_ctx->vmas.clear();
        for (vm_area_struct* v = W().mm.mmap; v; v = v->vm_next)
            g_ctx->vmas.push_back(v);
        return static_cast<int>(g_ctx->vmas.size());
    });
}

void gm_vma_get(int i, gm_vma* out) {
    guarded(0, [&] {
        const vm_area_struct* v = vma_at(i);
        fill(out, v, file_index(v));
        return 0;
    });
}

int gm_gate_vma(gm_vma* out) {
    return guarded(0, [&] {
        if (!W().config.gate)
            return 0;
        fill(out, &W().gate_vma, -1);
        return 1;
    });
}

int gm_file_count(void) { return guarded(0, [] { return static_cast<int>(W().files.size()); }); }

void gm_file_get(int i, gm_file* out) {
    guarded(0, [&] {
        const FileObj* f = W().files.at(static_cast<size_t>(i)).get();
        switch (f->kind) {
        case FileKind::regular: out->kind = GM_FILE_REGULAR; break;
        case FileKind::fsdax: out->kind = GM_FILE_FSDAX; break;
        case FileKind::shmem: out->kind = GM_FILE_SHMEM; break;
        case FileKind::devdax: out->kind = GM_FILE_DEVDAX; break;
        case FileKind::hugetlbfs: out->kind = GM_FILE_HUGETLBFS; break;
        case FileKind::mmio: out->kind = GM_FILE_MMIO; break;
        }
        // S_DAX is bit 13 in both generations (fs.h:2275), as are the S_IF* modes.
        out->inode_mode = f->f_inode_obj.i_mode;
        out->inode_flags = f->f_inode_obj.i_flags;
        out->host_mode = f->mapping_obj.host->i_mode;
        out->host_flags = f->mapping_obj.host->i_flags;
        out->size = static_cast<long long>(f->f_inode_obj.i_size);
        const vm_operations_struct* ops = vm_ops_for(f);
        out->page_mkwrite = ops && ops->page_mkwrite;
        out->pfn_mkwrite = ops && ops->pfn_mkwrite;
        out->mapping = reinterpret_cast<unsigned long>(&f->mapping_obj);
        return 0;
    });
}

int gm_file_of_mapping(unsigned long mapping) {
    return guarded(-1, [&] {
        for (const auto& f : W().files)
            if (reinterpret_cast<unsigned long>(&f->mapping_obj) == mapping)
                return f->id;
        return -1;
    });
}

void gm_register_task_flags(const unsigned int* flags, unsigned int pf_memalloc_pin) {
    guarded(0, [&] {
        g_ctx->task_flags = flags;
        g_ctx->pf_memalloc_pin = pf_memalloc_pin;
        return 0;
    });
}

unsigned long gm_mm_flags(void) { return guarded(0UL, [] { return g_ctx->st->mm_flags; }); }
void gm_set_mm_flags(unsigned long flags) {
    guarded(0, [&] {
        g_ctx->st->mm_flags = flags;
        return 0;
    });
}

unsigned int gm_handle_mm_fault(int vma, unsigned long address, unsigned int flags) {
    return guarded(static_cast<unsigned>(VM_FAULT_SIGBUS), [&] {
        if (flags & (F612_ORIG_PTE_VALID | F612_VMA_LOCK))
            throw KernelBug("handle_mm_fault with FAULT_FLAG_ORIG_PTE_VALID/VMA_LOCK, which gup.c never passes");
        // Bits 0..7 are the same in both generations.  INSTRUCTION and
        // INTERRUPTIBLE change nothing in the model: it has no exec faults
        // and never sleeps in a fault.
        unsigned mflags = flags & 0xffu;
        if (flags & F612_UNSHARE)
            mflags |= FAULT_FLAG_UNSHARE;
        (void)F612_INSTRUCTION;
        (void)F612_INTERRUPTIBLE;
        W_alloc();
        const int r = gupfuzz::kernel::handle_mm_fault(vma_at(vma), address, mflags);
        // VM_FAULT_WRITE (0x8) is gone in 6.12 (the model's generation-612 paths
        // never set it, its v4.15 shared paths may); every other bit keeps its value.
        return static_cast<unsigned>(r) & ~static_cast<unsigned>(VM_FAULT_WRITE);
    });
}

int gm_pte_alloc(unsigned long pmd_phys) {
    return guarded(-ENOMEM, [&] {
        pmd_t* pmd = at_phys<pmd_t>(pmd_phys);
        if (!pmd_none(*pmd))
            return 0;  // pmd_install: somebody populated it meanwhile
        if (W_alloc().should_fail(AllocSite::pte_alloc, 0))
            return -ENOMEM;
        pmd->pmd = W().make_table(1);
        return 0;
    });
}

void gm_split_huge_pmd(int vma, unsigned long pmd_phys, unsigned long address) {
    guarded(0, [&] {
        split_thp_pmd(W_alloc(), vma_at(vma), address, at_phys<pmd_t>(pmd_phys));
        return 0;
    });
}

int gm_hugetlbfs_pagecache_present(int vma, unsigned long address) {
    return guarded(0, [&] { return hugetlbfs_pagecache_present(vma_at(vma), address) ? 1 : 0; });
}

int* gm_table_lock(unsigned long table_pfn) {
    return guarded<int*>(nullptr, [&] { return &g_ctx->table_locks[table_pfn]; });
}

void gm_bad_pte(int vma, unsigned long addr, unsigned long pteval) {
    guarded(0, [&] {
        print_bad_pte(vma_at(vma), addr, pte_t{pteval}, nullptr);
        return 0;
    });
}

void gm_note(const char* text) {
    guarded(0, [&] {
        W().trace.notes.emplace_back(text);
        return 0;
    });
}

void gm_ref_changed(unsigned long pfn, int delta, int refcount_after) {
    guarded(0, [&] {
        page* head = compound_head(W().pfn_to_page(pfn));
        if (refcount_after < 0)
            W().trace.violations.push_back("refcount of pfn " + hex(pfn) + " went negative (" +
                                           std::to_string(refcount_after) + ")");
        else if (delta < 0 && refcount_after < head->model_refs())
            W().trace.violations.push_back("put on pfn " + hex(pfn) + " left refcount " +
                                           std::to_string(refcount_after) + ", below the " +
                                           std::to_string(head->model_refs()) +
                                           " references of its mappings and page cache");
        return 0;
    });
}

void gm_folio_free(unsigned long head_pfn) {
    guarded(0, [&] {
        W().free_pages(W().pfn_to_page(head_pfn));
        return 0;
    });
}

void gm_node_stat(int item, long nr) {
    guarded(0, [&] {
        g_ctx->st->node_stat[item] += nr;
        return 0;
    });
}

long gm_node_stat_read(int item) {
    return guarded(0L, [&] {
        auto it = g_ctx->st->node_stat.find(item);
        return it == g_ctx->st->node_stat.end() ? 0L : it->second;
    });
}

void gm_lru_drain(int all) {
    guarded(0, [&] {
        (void)all;
        g_ctx->st->lru_drains++;
        return 0;
    });
}

void gm_cond_resched(void) {
    guarded(0, [] {
        g_ctx->st->cond_resched++;
        return 0;
    });
}

int gm_mmap_lock_read(int delta) {
    return guarded(0, [&] {
        rw_semaphore& sem = W().mm.mmap_sem;
        sem.readers += delta;
        if (delta < 0)
            sem.releases += static_cast<unsigned long>(-delta);
        if (sem.readers < 0)
            throw KernelBug("mmap_lock readers went negative");
        return sem.readers;
    });
}

int gm_fatal_signal_pending(void) { return guarded(0, [] { return W().fatal_signal_pending() ? 1 : 0; }); }
int gm_signal_delivered(void) { return guarded(0, [] { return W().trace.signal_delivered_at ? 1 : 0; }); }

int gm_should_fail(int site, unsigned long addr) {
    return guarded(0, [&] { return W().should_fail(site_of(site), addr) ? 1 : 0; });
}

void* gm_pgmap_get(unsigned long pfn, void* cached) {
    return guarded<void*>(nullptr, [&]() -> void* {
        // mm/memremap.c:434 get_dev_pagemap
        auto* c = static_cast<dev_pagemap*>(cached);
        if (c) {
            if (pfn >= c->pfn_first && pfn < c->pfn_last)
                return c;
            if (--c->ref < 0)
                W().trace.violations.push_back("pgmap " + std::to_string(c->id) + " reference count went negative");
        }
        dev_pagemap* pg = W().find_pgmap(pfn);
        if (!pg || !pg->live)  // percpu_ref_tryget_live fails once the pgmap is killed
            return nullptr;
        pg->ref++;
        return pg;
    });
}

void gm_pgmap_put(void* pgmap) {
    guarded(0, [&] {
        auto* pg = static_cast<dev_pagemap*>(pgmap);
        if (--pg->ref < 0)
            W().trace.violations.push_back("pgmap " + std::to_string(pg->id) + " reference count went negative");
        return 0;
    });
}

unsigned long gm_migrate_folio(unsigned long head_pfn, int extra_refs) {
    return guarded(0UL, [&] {
        page* np = nullptr;
        // alloc_migration_target with migrate_longterm_unpinnable_folios's
        // GFP_USER | __GFP_NOWARN (gup.c:2448): never ZONE_MOVABLE.
        if (migrate_folio(W_alloc(), W().pfn_to_page(head_pfn), extra_refs, /*movable=*/false, &np))
            return 0UL;
        return np->pfn();
    });
}

void gm_migrated(unsigned int nr) {
    guarded(0, [&] {
        g_ctx->st->migrations += nr;
        return 0;
    });
}

int gm_user_accessible(unsigned long addr, int write) {
    return guarded(0, [&] {
        vm_area_struct* v = find_vma(&W().mm, addr);
        if (!v || addr < v->vm_start)
            return 0;
        return user_accessible(W(), v, addr, write != 0) ? 1 : 0;
    });
}

}  // extern "C"

namespace gupfuzz::k612 {

const char* call_name(Call c) {
    switch (c) {
    case Call::pin_user_pages: return "pin_user_pages";
    case Call::pin_user_pages_fast: return "pin_user_pages_fast";
    case Call::pin_user_pages_remote: return "pin_user_pages_remote";
    case Call::pin_user_pages_unlocked: return "pin_user_pages_unlocked";
    case Call::get_user_pages: return "get_user_pages";
    case Call::get_user_pages_fast: return "get_user_pages_fast";
    }
    return "?";
}

namespace {

// One operation of gup.c on w, through the glue's trampoline.
// A World a real kernel cannot run on (its fault model is another generation's).
std::string generation_problem(const kernel::World& w) {
    if (w.config.generation == 612 || w.config.generation == 601)
        return "";
    return "kernel612: the World's config.generation is " + std::to_string(w.config.generation) +
           ", not 612 or 601: build it for the real kernel (its anonymous pages must carry PageAnonExclusive)";
}

void run(kernel::World& w, g612_args& a, Outcome& out) {
    out.bug = generation_problem(w);
    if (!out.bug.empty())
        return;
    if (g_ctx)
        throw KernelBug("kernel612: a 6.12 call while another is in progress");
    WorldScope scope(w);
    CallCtx ctx;
    ctx.w = &w;
    ctx.out = &out;
    ctx.st = &gen_state(w);
    set_pgmap_types(w);
    init_struct_pages(w);
    g_ctx = &ctx;
    active_variant(w.config.generation).table->run(&a);
    w.memalloc_pin = false;  // memalloc_pin_restore ran, or the call ended in a BUG
    g_ctx = nullptr;
}

}  // namespace

namespace {
// The harness's FOLL_* names (k612::foll, 6.12's values) in the kernel's own
// values, from the variant's table (6.1's differ).  A name the kernel lacks is
// a harness defect: normalize() refuses such a scenario.
unsigned kernel_flags(const kernel::World& w, unsigned flags) {
    static constexpr std::pair<unsigned, g612_foll_name> kNames[] = {
        {foll::WRITE, G612_FOLL_WRITE},         {foll::GET, G612_FOLL_GET},
        {foll::DUMP, G612_FOLL_DUMP},           {foll::FORCE, G612_FOLL_FORCE},
        {foll::NOWAIT, G612_FOLL_NOWAIT},       {foll::NOFAULT, G612_FOLL_NOFAULT},
        {foll::HWPOISON, G612_FOLL_HWPOISON},   {foll::ANON, G612_FOLL_ANON},
        {foll::LONGTERM, G612_FOLL_LONGTERM},   {foll::SPLIT_PMD, G612_FOLL_SPLIT_PMD},
        {foll::PCI_P2PDMA, G612_FOLL_PCI_P2PDMA}, {foll::INTERRUPTIBLE, G612_FOLL_INTERRUPTIBLE},
        {foll::HONOR_NUMA_FAULT, G612_FOLL_HONOR_NUMA_FAULT}, {foll::TOUCH, G612_FOLL_TOUCH},
        {foll::TRIED, G612_FOLL_TRIED},         {foll::REMOTE, G612_FOLL_REMOTE},
        {foll::PIN, G612_FOLL_PIN},             {foll::FAST_ONLY, G612_FOLL_FAST_ONLY},
        {foll::UNLOCKABLE, G612_FOLL_UNLOCKABLE}, {foll::MADV_POPULATE, G612_FOLL_MADV_POPULATE},
    };
    const Variant& v = active_variant(w.config.generation);
    unsigned out = 0;
    for (const auto& [bit, name] : kNames) {
        if (!(flags & bit))
            continue;
        if (!v.table->foll[name])
            throw KernelBug("kernel612: FOLL_* bit " + std::to_string(bit) + " does not exist in " + v.description);
        out |= v.table->foll[name];
        flags &= ~bit;
    }
    if (flags)
        throw KernelBug("kernel612: gup_flags bits " + std::to_string(flags) + " are no FOLL_* name");
    return out;
}
}  // namespace

Outcome call(kernel::World& w, Call c, unsigned long start, unsigned long nr_pages, unsigned gup_flags,
             kernel::page** pages) {
    g612_args a{};
    switch (c) {
    case Call::pin_user_pages: a.op = G612_PIN_USER_PAGES; break;
    case Call::pin_user_pages_fast: a.op = G612_PIN_USER_PAGES_FAST; break;
    case Call::pin_user_pages_remote: a.op = G612_PIN_USER_PAGES_REMOTE; break;
    case Call::pin_user_pages_unlocked: a.op = G612_PIN_USER_PAGES_UNLOCKED; break;
    case Call::get_user_pages: a.op = G612_GET_USER_PAGES; break;
    case Call::get_user_pages_fast: a.op = G612_GET_USER_PAGES_FAST; break;
    }
    a.start = start;
    a.nr_pages = nr_pages;
    a.pages = reinterpret_cast<void**>(pages);
    a.locked = 1;
    Outcome out;
    out.bug = generation_problem(w);
    if (!out.bug.empty())
        return out;
    a.gup_flags = kernel_flags(w, gup_flags);
    run(w, a, out);
    out.rc = a.rc;
    out.locked = a.locked;
    return out;
}

namespace {
std::string release(kernel::World& w, int op, kernel::page** pages, unsigned long n, bool dirty) {
    g612_args a{};
    a.op = op;
    a.pages = reinterpret_cast<void**>(pages);
    a.nr_pages = n;
    a.make_dirty = dirty;
    Outcome out;
    run(w, a, out);
    return out.bug;
}
void check(const std::string& bug, const char* what) {
    if (!bug.empty())
        throw KernelBug(std::string(what) + ": " + bug);
}
}  // namespace

void unpin_user_pages(kernel::World& w, kernel::page** pages, unsigned long npages) {
    check(release(w, G612_UNPIN_USER_PAGES, pages, npages, false), "unpin_user_pages");
}

void unpin_user_pages_dirty_lock(kernel::World& w, kernel::page** pages, unsigned long npages, bool make_dirty) {
    check(release(w, G612_UNPIN_USER_PAGES_DIRTY_LOCK, pages, npages, make_dirty), "unpin_user_pages_dirty_lock");
}

void put_page(kernel::World& w, kernel::page* page) {
    kernel::page* pages[1] = {page};
    check(release(w, G612_PUT_PAGE, pages, 1, false), "put_page");
}

Counters counters(const kernel::World& w) {
    Counters c;
    const GenState* st = gen_state(w);
    if (!st)
        return c;
    auto stat = [&](int item) {
        auto it = st->node_stat.find(item);
        return it == st->node_stat.end() ? 0L : it->second;
    };
    const g612_variant& k = *active_variant(w.config.generation).table;
    c.foll_pin_acquired = stat(k.nr_foll_pin_acquired);
    c.foll_pin_released = stat(k.nr_foll_pin_released);
    c.mmf_has_pinned = st->mm_flags & (1UL << k.mmf_has_pinned);
    c.lru_drains = st->lru_drains;
    c.migrations = st->migrations;
    return c;
}

const Variant& active_variant(int generation) {
    const port::Defect d = port::active_defect();
    const Variant* shipped = nullptr;
    for (const Variant& v : variants()) {
        if (v.table->generation != generation)
            continue;
        if (v.defect == d)
            return v;
        if (v.defect == port::Defect::none)
            shipped = &v;
    }
    if (!shipped)
        throw KernelBug("kernel612: this binary links no variant of the tree as shipped for generation " +
                        std::to_string(generation));
    return *shipped;  // the active defect is not one of this kernel's: its code is the tree's
}

bool linked(int generation) {
    for (const Variant& v : variants())
        if (v.table->generation == generation && v.defect == port::Defect::none)
            return true;
    return false;
}

const char* tree_description(int generation) { return active_variant(generation).description; }

}  // namespace gupfuzz::k612
