// SPDX-License-Identifier: GPL-2.0-only
//
// The handle_mm_fault model (seed-port.md §2.9): what mm/memory.c,
// mm/huge_memory.c, mm/hugetlb.c, mm/filemap.c, fs/dax.c and drivers/dax
// would do to the simulated page tables and page references, with every
// allocation going through World::should_fail.  This is a model, not a
// port: it keeps the kernel's names and outcomes, in far less code.  It never
// returns a lone VM_FAULT_FALLBACK, returns VM_FAULT_RETRY only under
// FAULT_FLAG_RETRY_NOWAIT, and after success leaves an entry the retried walk
// can use (or one that needs exactly one more fault: COW breaking).
#include <algorithm>
#include <cstdio>
#include <string>

#include "core/kernel/hex.h"
#include "core/kernel/mm_ops.h"
#include "core/kernel/walk.h"
#include "core/kernel/world.h"

namespace gupfuzz::kernel {

namespace {

int fault_stub(vm_fault*) { throw KernelBug("vm_ops->fault called directly; the model dispatches on the file kind"); }
int huge_fault_stub(vm_fault*, int) { throw KernelBug("vm_ops->huge_fault called directly"); }

// The vm_operations_struct each kind of mapping gets (which hooks exist is
// what the port looks at: vm_ops == NULL means anonymous, ->fault decides
// FOLL_DUMP holes).
const vm_operations_struct generic_file_vm_ops{fault_stub, nullptr, fault_stub, nullptr, nullptr};
const vm_operations_struct shmem_vm_ops{fault_stub, nullptr, nullptr, nullptr, nullptr};
const vm_operations_struct fsdax_vm_ops{fault_stub, huge_fault_stub, fault_stub, fault_stub, nullptr};
const vm_operations_struct devdax_vm_ops{fault_stub, huge_fault_stub, nullptr, nullptr, nullptr};
const vm_operations_struct hugetlb_vm_ops{fault_stub, nullptr, nullptr, nullptr, nullptr};
const vm_operations_struct mmio_vm_ops{fault_stub, nullptr, nullptr, nullptr, nullptr};

constexpr pteval_t USER_BITS = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

struct Fault {
    World* w;
    vm_area_struct* vma;
    unsigned long address;  // page aligned
    unsigned flags;
    bool write() const { return flags & FAULT_FLAG_WRITE; }
    bool unshare() const { return flags & FAULT_FLAG_UNSHARE; }  // generation 612 only
    bool g612() const { return has_anon_exclusive(*w); }  // 6.1 and 6.12: PageAnonExclusive, UNSHARE
    bool nowait() const { return (flags & FAULT_FLAG_ALLOW_RETRY) && (flags & FAULT_FLAG_RETRY_NOWAIT); }
    // vmf->prealloc_pte: a page table allocated by do_fault_around or
    // __do_fault while the pmd was none, installed by the first mapping made
    // (mm/memory.c pte_alloc_one_map v4.15, pmd_install 6.1/6.12) and freed
    // unused at the end of do_fault.
    bool prealloc_pte = false;
    // v4.15: do_fault_around's preallocation failed (the plan's pte_alloc
    // failure, which stands for both of v4.15's attempts: see do_fault_around).
    bool prealloc_failed = false;
    FileObj* file() const { return w->file_of(vma); }
    unsigned long index() const { return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff; }
};

// include/linux/fs.h vma_is_dax v4.15: IS_DAX(vm_file->f_mapping->host); S_DAX is 0 without CONFIG_FS_DAX.
bool vma_is_dax(const World* w, const vm_area_struct* vma) {
    return w->config.fs_dax && vma->vm_file && vma->vm_file->f_mapping && vma->vm_file->f_mapping->host &&
           (vma->vm_file->f_mapping->host->i_flags & S_DAX_BIT);
}

// include/linux/huge_mm.h transparent_hugepage_enabled() v4.15 (the inline of
// commits 16981d763501 and baabda261424, v4.13): VM_NOHUGEPAGE (or a
// temporary stack, never built here) first, then the sysfs "always", then
// vma_is_dax() -- DAX is exempt from the sysfs policy -- then "madvise".
bool thp_enabled(const World* w, const vm_area_struct* vma) {
    if (vma->vm_flags & VM_NOHUGEPAGE)
        return false;
    if (w->config.thp == ThpMode::always)
        return true;
    if (vma_is_dax(w, vma))
        return true;
    if (w->config.thp == ThpMode::madvise)
        return vma->vm_flags & VM_HUGEPAGE;
    return false;
}

pte_t mk_pte(unsigned long pfn, bool write, bool dirty) {
    return {(static_cast<pteval_t>(pfn) << PAGE_SHIFT) | USER_BITS | (write ? _PAGE_RW : 0) | (dirty ? _PAGE_DIRTY : 0)};
}

pte_t maybe_mkwrite(pte_t pte, const vm_area_struct* vma) { return (vma->vm_flags & VM_WRITE) ? pte_mkwrite(pte) : pte; }

// Is _PAGE_RW in vma->vm_page_prot?  mm/mmap.c vma_set_page_prot v4.15: the
// protection_map entry of VM_READ|VM_WRITE|VM_EXEC|VM_SHARED, with VM_SHARED
// dropped when vma_wants_writenotify(); only PAGE_SHARED* carry _PAGE_RW on x86.
bool prot_writable(const World* w, const vm_area_struct* vma) {
    return (vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED) && !vma_wants_writenotify(*w, vma);
}

int anon_vma_prepare(Fault& f) {
    if (f.vma->anon_vma_ptr)
        return 0;
    if (f.w->should_fail(AllocSite::anon_vma_prepare, f.address))
        return -ENOMEM;
    f.vma->anon_vma_ptr = f.w->new_anon_vma();
    return 0;
}

// Generation 612: a new anonymous folio is mapped exclusively
// (folio_add_new_anon_rmap with RMAP_EXCLUSIVE, mm/rmap.c; every subpage of a
// large folio, the head of a hugetlb one -- the model marks every subpage).
void set_anon_exclusive(page* head) {
    const unsigned long n = 1UL << head->compound_order();
    for (unsigned long i = 0; i < n; ++i)
        head[i].flags |= 1UL << PG_anon_exclusive;
}

void set_anon(page* p, vm_area_struct* vma, unsigned long address) {
    p->mapping = reinterpret_cast<address_space*>(reinterpret_cast<unsigned long>(vma->anon_vma_ptr) | PAGE_MAPPING_ANON);
    p->index = address >> PAGE_SHIFT;
    p->flags |= 1UL << PG_swapbacked;
    if (has_anon_exclusive(*current_world()))
        set_anon_exclusive(p);
}

// A new user page: the allocation, then the memcg charge (two sites).
page* new_user_page(Fault& f, AllocSite site, unsigned order) {
    if (f.w->should_fail(site, f.address))
        return nullptr;
    page* p = f.w->alloc_pages(order);
    if (!p)
        return nullptr;
    if (f.w->should_fail(AllocSite::memcg_charge, f.address)) {
        f.w->model_put(p);
        return nullptr;
    }
    return p;
}

bool pte_alloc(Fault& f, pmd_t* pmd) {
    if (!pmd_none(*pmd))
        return true;
    if (f.prealloc_pte) {  // the preallocated table, no new allocation
        f.prealloc_pte = false;
        pmd->pmd = f.w->make_table(1);
        return true;
    }
    if (f.w->should_fail(AllocSite::pte_alloc, f.address))
        return false;
    pmd->pmd = f.w->make_table(1);
    return true;
}

pte_t* pte_of(pmd_t* pmd, unsigned long address) { return pte_offset_map(pmd, address); }

// The model's own notion of "the page behind a present pte" (not the port's
// vm_normal_page): special entries have none.
page* normal_page(World* w, pte_t pte) {
    if (pte_special(pte))
        return nullptr;
    return w->pfn_to_page(pte_pfn(pte));
}

void map_page(Fault& f, pte_t* ptep, page* p, pte_t entry) {
    // The caller's reference on p becomes the mapping's.
    *ptep = entry;
    map_inc(compound_head(p));
    (void)f;
}

void unmap_page(World* w, page* p) {
    map_dec(compound_head(p));
    w->model_put(p);
}

// ---- page cache (mm/filemap.c filemap_fault, mm/shmem.c shmem_fault) ----
// On success *out holds the page with one extra (fault) reference.
int pagecache_fault(Fault& f, page** out) {
    FileObj* file = f.file();
    const unsigned long idx = f.index();
    if (idx >= file->size_pages)
        return VM_FAULT_SIGBUS;  // beyond i_size
    auto it = file->cache.find(idx);
    if (it != file->cache.end()) {
        f.w->model_get(it->second);
        *out = it->second;
        return 0;
    }
    if (file->kind == FileKind::regular && f.nowait())
        return VM_FAULT_RETRY;  // the read is started; FOLL_NOWAIT does not wait for it
    page* p = new_user_page(f, AllocSite::pagecache_page, 0);
    if (!p)
        return VM_FAULT_OOM;
    p->mapping = &file->mapping_obj;
    p->index = idx;
    file->cache[idx] = p;  // the allocation reference is the page cache's
    f.w->model_get(p);
    *out = p;
    return file->kind == FileKind::regular ? VM_FAULT_MAJOR : 0;
}

// mm/memory.c finish_fault: map vmf->page (its fault reference becomes the mapping's).
int finish_fault(Fault& f, pmd_t* pmd, page* p, bool cow) {
    if (!pte_alloc(f, pmd)) {
        f.w->model_put(p);
        return VM_FAULT_OOM;
    }
    pte_t* ptep = pte_of(pmd, f.address);
    // mm/memory.c alloc_set_pte v4.15: mk_pte(page, vma->vm_page_prot), so a
    // read fault on a shared writable mapping without writenotify (shmem)
    // maps the page writable and clean; a write fault adds maybe_mkwrite(pte_mkdirty()).
    pte_t entry = mk_pte(p->pfn(), !cow && prot_writable(f.w, f.vma), false);
    if (f.write())
        entry = maybe_mkwrite(pte_mkdirty(entry), f.vma);
    map_page(f, ptep, p, entry);
    if (f.write() && !cow)
        set_page_dirty(p);  // fault_dirty_shared_page
    return 0;
}

// ---- read fault-around (mm/memory.c do_fault_around, ->map_pages = mm/filemap.c filemap_map_pages) ----
//
// A read fault on a mapping whose vm_ops has ->map_pages first maps, in one
// go, the pages of a window around the address that are already in the page
// cache; ->fault runs only when that did not map the faulting address.  In
// every generation modelled:
//  - ->map_pages is filemap_map_pages for page-cache files and for shmem
//    (v4.15 mm/filemap.c generic_file_vm_ops and mm/shmem.c shmem_vm_ops;
//    6.12 mm/filemap.c:3750 and mm/shmem.c:4988; 6.1 the same); the DAX,
//    device-DAX, hugetlbfs and mmio vm_ops have none.
//  - fault_around_bytes is 65536 (v4.15 mm/memory.c:3477, 6.12
//    mm/memory.c:5195 fault_around_pages = 65536 >> PAGE_SHIFT), so 16 pages.
//  - The window (v4.15 mm/memory.c:3548-3563, 6.1 mm/memory.c:4576-4591,
//    6.12 mm/memory.c:5262-5268 compute the same one): it starts at the
//    address rounded down to 16 pages, or at vm_start when that is higher,
//    and ends 16 pages later, at the end of the vma or at the end of the page
//    table, whichever comes first.  filemap_map_pages also stops at the last
//    page below i_size (v4.15 mm/filemap.c filemap_map_pages max_idx test;
//    6.12 mm/filemap.c:3653 file_end).
//  - Only pages already in the page cache, uptodate, not under readahead,
//    not locked and not hwpoisoned are mapped (v4.15 filemap_map_pages,
//    6.12 mm/filemap.c:3494 next_uptodate_folio and :3602
//    filemap_map_order0_folio); nothing is read or allocated but the page
//    table.  Every page cache page of the model is uptodate and unlocked
//    outside a fault (reads complete within pagecache_fault), none is under
//    readahead (the model does no readahead) and poisoning replaces a pte,
//    not a page-cache entry, so every cached page of the window qualifies.
//  - A pte that is not none (present, swap, migration, hwpoison entry) is
//    left alone (v4.15 alloc_set_pte "Re-check under ptl", mm/memory.c:3412;
//    6.12 mm/filemap.c:3624).
//  - The entry is mk_pte(page, vma->vm_page_prot) of a read fault: never
//    dirty, writable only where vm_page_prot is (a shared writable mapping
//    without writenotify: shmem), young (x86's protections carry
//    _PAGE_ACCESSED; arch_wants_old_prefaulted_pte() is false on x86,
//    6.12 mm/memory.c:5026); a file rmap and one page reference per mapping
//    (v4.15 the speculative reference is kept, 6.12 folio_ref_add), as
//    finish_fault's mapping of the faulting page.
//  - When the pmd is none a page table is preallocated first.  If that
//    fails, 6.1 and 6.12 return VM_FAULT_OOM (6.1 mm/memory.c:4595, 6.12
//    mm/memory.c:5274).  v4.15 skips the fault-around silently instead
//    (mm/memory.c:3568 "goto out" with ret 0) and __do_fault tries again,
//    failing the fault with VM_FAULT_OOM only if that second allocation fails
//    too.  The fault plan names one pass through pte_alloc per fault: a
//    planned failure there is, in v4.15, both allocations failing (as under
//    real memory pressure), so every generation ends the fault with
//    VM_FAULT_OOM, and in v4.15 without fault-around.
//  - VM_FAULT_NOPAGE when the faulting address got mapped, which ends the
//    fault (v4.15 mm/memory.c:3587, 6.12 filemap_map_order0_folio).
// No userfaultfd is modelled, so uffd_disable_fault_around never applies.
constexpr unsigned long kFaultAroundPages = 65536 >> PAGE_SHIFT;

bool has_map_pages(const FileObj* file) {
    return file->kind == FileKind::regular || file->kind == FileKind::shmem;
}

int do_fault_around(Fault& f, pmd_t* pmd) {
    FileObj* file = f.file();
    vm_area_struct* vma = f.vma;
    const unsigned long nr = kFaultAroundPages;
    const unsigned long pte_off = pte_index(f.address);
    const unsigned long vma_off = (f.address - vma->vm_start) >> PAGE_SHIFT;  // vmf->pgoff - vm_pgoff
    const unsigned long vma_pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
    const unsigned long from_pte = std::max(pte_off & ~(nr - 1), pte_off - std::min(pte_off, vma_off));
    const unsigned long to_pte =
        std::min({from_pte + nr, static_cast<unsigned long>(PTRS_PER_TABLE), pte_off + vma_pages - vma_off}) - 1;
    if (pmd_none(*pmd)) {
        if (f.w->should_fail(AllocSite::pte_alloc, f.address)) {
            if (f.g612())
                return VM_FAULT_OOM;
            f.prealloc_failed = true;  // v4.15: no fault-around; __do_fault's attempt fails too
            return 0;
        }
        f.prealloc_pte = true;
    }
    if (file->size_pages == 0)
        return 0;
    const unsigned long start_pgoff = f.index() + from_pte - pte_off;
    const unsigned long end_pgoff = std::min(f.index() + to_pte - pte_off, file->size_pages - 1);
    int ret = 0;
    for (auto it = file->cache.lower_bound(start_pgoff); it != file->cache.end() && it->first <= end_pgoff; ++it) {
        page* p = it->second;
        if (p->flags & (1UL << PG_locked))
            continue;
        const unsigned long addr = vma->vm_start + ((it->first - vma->vm_pgoff) << PAGE_SHIFT);
        if (!pte_alloc(f, pmd))
            throw KernelBug("fault-around: no page table after the preallocation");
        pte_t* ptep = pte_of(pmd, addr);
        if (!pte_none(*ptep))
            continue;
        f.w->model_get(p);
        map_page(f, ptep, p, mk_pte(p->pfn(), prot_writable(f.w, vma), false));
        if (addr == f.address)
            ret = VM_FAULT_NOPAGE;
    }
    return ret;
}

// mm/memory.c __do_fault (v4.15, 6.1:4273, 6.12:4877): the page table is
// preallocated before ->fault takes the page lock, when the pmd is none and
// do_fault_around left no preallocated one.
int do_fault_prealloc(Fault& f, pmd_t* pmd) {
    if (!pmd_none(*pmd) || f.prealloc_pte)
        return 0;
    if (f.prealloc_failed || f.w->should_fail(AllocSite::pte_alloc, f.address))
        return VM_FAULT_OOM;
    f.prealloc_pte = true;
    return 0;
}

// ---- DAX (fs/dax.c, drivers/dax/device.c) ----
int dax_check(Fault& f, FileObj* file, unsigned long idx, unsigned long n) {
    if (idx + n > file->size_pages)
        return VM_FAULT_SIGBUS;
    if (!file->pgmap->live)
        return VM_FAULT_SIGBUS;  // the device is going away (dax_alive() false)
    (void)f;
    return 0;
}

int dax_pte_fault(Fault& f, pmd_t* pmd) {
    FileObj* file = f.file();
    if (file->kind == FileKind::devdax && file->align_pages > 1)
        return VM_FAULT_SIGBUS;  // __dev_dax_pte_fault: alignment larger than PAGE_SIZE
    const unsigned long idx = f.index();
    if (int r = dax_check(f, file, idx, 1))
        return r;
    if (!pte_alloc(f, pmd))
        return VM_FAULT_OOM;
    // fs/dax.c dax_iomap_pte_fault: a shared write fault inserts with
    // vm_insert_mixed_mkwrite (young, dirty, maybe_mkwrite); every other fault
    // (and every device-DAX fault, __dev_dax_pte_fault's vm_insert_mixed) is
    // mm/memory.c insert_pfn with vma->vm_page_prot: writable and clean on a
    // shared writable device-DAX mapping (no writenotify), read-only on fsdax.
    const bool mkwrite = file->kind == FileKind::fsdax && f.write() && (f.vma->vm_flags & VM_SHARED);
    pte_t* ptep = pte_of(pmd, f.address);
    f.w->init_pages(file->pgmap->pfn_first + idx, 1);
    *ptep = {mk_pte(file->pgmap->pfn_first + idx, mkwrite || prot_writable(f.w, f.vma), mkwrite).pte | _PAGE_SPECIAL |
             page_devmap_bit(*f.w)};
    return VM_FAULT_NOPAGE;
}

int dax_pmd_fault(Fault& f, pmd_t* pmd) {
    FileObj* file = f.file();
    const unsigned long haddr = f.address & PMD_MASK;
    if (file->kind == FileKind::devdax) {
        if (file->align_pages > HPAGE_PMD_NR)
            return VM_FAULT_SIGBUS;
        if (file->align_pages < HPAGE_PMD_NR)
            return VM_FAULT_FALLBACK;
    }
    if (f.write() && !(f.vma->vm_flags & VM_SHARED))
        return VM_FAULT_FALLBACK;  // private write: COW on ptes
    if (haddr < f.vma->vm_start || haddr + PMD_SIZE > f.vma->vm_end)
        return VM_FAULT_FALLBACK;
    const unsigned long idx = ((haddr - f.vma->vm_start) >> PAGE_SHIFT) + f.vma->vm_pgoff;
    if (idx % HPAGE_PMD_NR)
        return VM_FAULT_FALLBACK;
    if (idx + HPAGE_PMD_NR > file->size_pages)
        return file->kind == FileKind::devdax ? VM_FAULT_SIGBUS : VM_FAULT_FALLBACK;
    if (!file->pgmap->live)
        return VM_FAULT_SIGBUS;
    // mm/huge_memory.c insert_pfn_pmd v4.15: pfn_t_pmd(pfn, vma->vm_page_prot),
    // then on a write fault pmd_mkyoung(pmd_mkdirty()) and maybe_pmd_mkwrite.
    const bool write = f.write();
    f.w->init_pages(file->pgmap->pfn_first + idx, HPAGE_PMD_NR);
    pmd->pmd = mk_pte(file->pgmap->pfn_first + idx, write || prot_writable(f.w, f.vma), write).pte | _PAGE_PSE |
               page_devmap_bit(*f.w);
    return VM_FAULT_NOPAGE;
}

int dax_pud_fault(Fault& f, pud_t* pud) {
    FileObj* file = f.file();
    if (file->kind != FileKind::devdax || file->align_pages != HPAGE_PUD_NR)
        return VM_FAULT_FALLBACK;  // only device-dax maps 1 GiB entries in v4.15
    const unsigned long haddr = f.address & PUD_MASK;
    if (haddr < f.vma->vm_start || haddr + PUD_SIZE > f.vma->vm_end)
        return VM_FAULT_SIGBUS;
    const unsigned long idx = ((haddr - f.vma->vm_start) >> PAGE_SHIFT) + f.vma->vm_pgoff;
    if (idx % HPAGE_PUD_NR || idx + HPAGE_PUD_NR > file->size_pages || !file->pgmap->live)
        return VM_FAULT_SIGBUS;
    // mm/huge_memory.c insert_pfn_pud v4.15: as insert_pfn_pmd.
    const bool write = f.write();
    f.w->init_pages(file->pgmap->pfn_first + idx, HPAGE_PUD_NR);
    pud->pud = mk_pte(file->pgmap->pfn_first + idx, write || prot_writable(f.w, f.vma), write).pte | _PAGE_PSE |
               page_devmap_bit(*f.w);
    return VM_FAULT_NOPAGE;
}

// mmio driver ->fault: vm_insert_mixed of a pfn with no struct page.
int mmio_fault(Fault& f, pmd_t* pmd) {
    FileObj* file = f.file();
    const unsigned long idx = f.index();
    if (idx >= file->size_pages)
        return VM_FAULT_SIGBUS;
    if (!pte_alloc(f, pmd))
        return VM_FAULT_OOM;
    // insert_pfn with vma->vm_page_prot (no mkwrite).
    *pte_of(pmd, f.address) = {mk_pte(NOPAGE_PFN + idx, prot_writable(f.w, f.vma), false).pte | _PAGE_SPECIAL};
    return VM_FAULT_NOPAGE;
}

// ---- anonymous memory ----
// mm/memory.c:3083 do_anonymous_page
int do_anonymous_page(Fault& f, pmd_t* pmd) {
    if (f.vma->vm_flags & VM_SHARED)
        return VM_FAULT_SIGBUS;
    if (!pte_alloc(f, pmd))
        return VM_FAULT_OOM;
    pte_t* ptep = pte_of(pmd, f.address);
    if (!f.write()) {
        // Read: map the zero page (mm_forbids_zeropage is false on x86).
        *ptep = {mk_pte(ZERO_PFN, false, false).pte | _PAGE_SPECIAL};
        return 0;
    }
    if (anon_vma_prepare(f))
        return VM_FAULT_OOM;
    page* p = new_user_page(f, AllocSite::anon_page, 0);
    if (!p)
        return VM_FAULT_OOM;
    set_anon(p, f.vma, f.address);
    pte_t entry = mk_pte(p->pfn(), false, false);
    if (f.vma->vm_flags & VM_WRITE)
        entry = pte_mkwrite(pte_mkdirty(entry));
    map_page(f, ptep, p, entry);
    return 0;
}

// mm/memory.c:2452 wp_page_copy: a private copy of the old page (or of zeros).
int wp_page_copy(Fault& f, pte_t* ptep, page* old) {
    if (anon_vma_prepare(f))
        return VM_FAULT_OOM;
    page* np = new_user_page(f, AllocSite::cow_page, 0);
    if (!np)
        return VM_FAULT_OOM;
    set_anon(np, f.vma, f.address);
    // 6.12 mm/memory.c:3404 (wp_page_copy): an unsharing copy is mapped read-only and clean
    // (exclusive: the next read-only pin may take it).
    pte_t entry = f.unshare() ? mk_pte(np->pfn(), false, false)
                              : maybe_mkwrite(pte_mkdirty(mk_pte(np->pfn(), false, false)), f.vma);
    *ptep = entry;
    map_inc(np);
    if (old)
        unmap_page(f.w, old);
    return VM_FAULT_WRITE;
}

// Generation 612: mm/memory.c:3656 do_wp_page (6.12) for a private mapping.
// A shared mapping takes the same paths as v4.15 (wp_pfn_shared /
// wp_page_shared); unshare never reaches one (sanitize_fault_flags).  The
// uffd-wp checks are not modelled (no userfaultfd).
int do_wp_page_v415(Fault& f, pte_t* ptep);
int do_wp_page_612(Fault& f, pte_t* ptep) {
    if (f.vma->vm_flags & (VM_SHARED | VM_MAYSHARE))
        return do_wp_page_v415(f, ptep) & ~VM_FAULT_WRITE;
    const pte_t orig = *ptep;
    page* p = normal_page(f.w, orig);
    if (p && PageAnon(p)) {
        page* head = compound_head(p);
        bool exclusive = p->flags & (1UL << PG_anon_exclusive);
        // wp_can_reuse_anon_folio (memory.c:3586): a small folio whose only
        // reference is this mapping (the LRU-batch and swap-cache references
        // it drops first are not modelled; KSM is not modelled).
        if (!exclusive && !PageCompound(p) && head->_refcount == 1)
            exclusive = true;
        if (exclusive) {
            p->flags |= 1UL << PG_anon_exclusive;
            if (f.unshare())
                return 0;  // exclusive now; the pte stays read-only
            *ptep = maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig)), f.vma);  // wp_page_reuse
            return 0;
        }
    }
    return wp_page_copy(f, ptep, p) & ~VM_FAULT_WRITE;
}

// mm/memory.c:2690 do_wp_page
int do_wp_page(Fault& f, pte_t* ptep) {
    if (f.g612())
        return do_wp_page_612(f, ptep);
    return do_wp_page_v415(f, ptep);
}

int do_wp_page_v415(Fault& f, pte_t* ptep) {
    const pte_t orig = *ptep;
    page* p = normal_page(f.w, orig);
    const bool shared_writable = (f.vma->vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED);
    if (!p) {
        if (shared_writable) {
            // wp_pfn_shared: ->pfn_mkwrite (dax) makes it writable; without it, reuse.
            *ptep = pte_mkwrite(pte_mkdirty(pte_mkyoung(orig)));
            return f.vma->vm_ops && f.vma->vm_ops->pfn_mkwrite ? VM_FAULT_NOPAGE : VM_FAULT_WRITE;
        }
        return wp_page_copy(f, ptep, nullptr);
    }
    if (PageAnon(p)) {
        // reuse_swap_page: the only mapper may write in place.
        if (mapcount_of(compound_head(p)) == 0 && !PageCompound(p)) {
            *ptep = maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig)), f.vma);
            return VM_FAULT_WRITE;
        }
        if (mapcount_of(compound_head(p)) == 0 && PageCompound(p) &&
            compound_head(p)->model_refs() == static_cast<int>(HPAGE_PMD_NR)) {
            // A pte-mapped THP mapped only here: reused in place as well.
            *ptep = maybe_mkwrite(pte_mkdirty(pte_mkyoung(orig)), f.vma);
            return VM_FAULT_WRITE;
        }
    } else if (shared_writable) {
        // wp_page_shared: ->page_mkwrite, then reuse.
        *ptep = pte_mkwrite(pte_mkdirty(pte_mkyoung(orig)));
        set_page_dirty(p);
        return VM_FAULT_WRITE;
    }
    return wp_page_copy(f, ptep, p);
}

// mm/memory.c:2847 do_swap_page
int do_swap_page(Fault& f, pmd_t* pmd, pte_t* ptep) {
    const swp_entry_t entry = pte_to_swp_entry(*ptep);
    if (non_swap_entry(entry)) {
        if (is_migration_entry(entry)) {
            migration_entry_wait(f.vma->vm_mm, pmd, f.address);
            return 0;
        }
        if (is_hwpoison_entry(entry))
            return VM_FAULT_HWPOISON;
        print_bad_pte(f.vma, f.address, *ptep, nullptr);
        return VM_FAULT_SIGBUS;
    }
    if (f.nowait())
        return VM_FAULT_RETRY;  // swap-in I/O started; FOLL_NOWAIT does not wait
    page* p = new_user_page(f, AllocSite::swap_page, 0);
    if (!p)
        return VM_FAULT_OOM;
    f.w->swap_slots.erase(swp_offset(entry));
    set_anon(p, f.vma, f.address);
    int ret = VM_FAULT_MAJOR;
    pte_t pte = mk_pte(p->pfn(), false, false);
    if (f.write()) {
        // reuse_swap_page: we are the only user.
        pte = maybe_mkwrite(pte_mkdirty(pte), f.vma);
        ret |= VM_FAULT_WRITE;
    }
    map_page(f, ptep, p, pte);
    return ret;
}

// mm/memory.c do_fault / do_read_fault / do_cow_fault / do_shared_fault
int do_fault(Fault& f, pmd_t* pmd) {
    FileObj* file = f.file();
    if (!f.vma->vm_ops->fault)
        return VM_FAULT_SIGBUS;
    switch (file->kind) {
    case FileKind::fsdax:
    case FileKind::devdax:
        if (f.write() && !(f.vma->vm_flags & VM_SHARED)) {
            // do_cow_fault with dax: the data is copied into a new anon page.
            if (anon_vma_prepare(f))
                return VM_FAULT_OOM;
            page* cow = new_user_page(f, AllocSite::cow_page, 0);
            if (!cow)
                return VM_FAULT_OOM;
            if (int r = dax_check(f, file, f.index(), 1)) {
                f.w->model_put(cow);
                return r;
            }
            set_anon(cow, f.vma, f.address);
            int r = finish_fault(f, pmd, cow, true);
            return r ? r : VM_FAULT_DONE_COW;
        }
        return dax_pte_fault(f, pmd);
    case FileKind::mmio:
        return mmio_fault(f, pmd);
    case FileKind::hugetlbfs:
        throw KernelBug("hugetlb vma reached do_fault");
    case FileKind::regular:
    case FileKind::shmem:
        break;
    }
    if (!f.write()) {
        // do_read_fault: ->map_pages first, ->fault when that did not map the address.
        if (has_map_pages(file)) {
            if (int r = do_fault_around(f, pmd))
                return r;
        }
        if (int r = do_fault_prealloc(f, pmd))
            return r;
        page* p = nullptr;
        int r = pagecache_fault(f, &p);
        if (r & (VM_FAULT_ERROR | VM_FAULT_RETRY))
            return r;
        return r | finish_fault(f, pmd, p, false);
    }
    if (!(f.vma->vm_flags & VM_SHARED)) {
        // do_cow_fault: returns without VM_FAULT_WRITE, so GUP faults again.
        if (anon_vma_prepare(f))
            return VM_FAULT_OOM;
        page* cow = new_user_page(f, AllocSite::cow_page, 0);
        if (!cow)
            return VM_FAULT_OOM;
        if (int r = do_fault_prealloc(f, pmd)) {
            f.w->model_put(cow);
            return r;
        }
        page* p = nullptr;
        int r = pagecache_fault(f, &p);
        if (r & (VM_FAULT_ERROR | VM_FAULT_RETRY)) {
            f.w->model_put(cow);
            return r;
        }
        f.w->model_put(p);  // put_page(vmf->page): the copy is done
        set_anon(cow, f.vma, f.address);
        return r | finish_fault(f, pmd, cow, true);
    }
    // do_shared_fault: ->fault, ->page_mkwrite, map writable and dirty.
    if (int r = do_fault_prealloc(f, pmd))
        return r;
    page* p = nullptr;
    int r = pagecache_fault(f, &p);
    if (r & (VM_FAULT_ERROR | VM_FAULT_RETRY))
        return r;
    return r | finish_fault(f, pmd, p, false);
}

// mm/memory.c handle_pte_fault
int handle_pte_fault(Fault& f, pmd_t* pmd) {
    if (!pmd_none(*pmd) && pmd_bad(*pmd)) {
        // pmd_devmap_trans_unstable -> pmd_clear_bad: report and clear, retry later.
        f.w->trace.notes.push_back("pmd_clear_bad at " + hex(f.address));
        pmd->pmd = 0;
        return 0;
    }
    if (pmd_none(*pmd) || pte_none(*pte_of(pmd, f.address))) {
        if (vma_is_anonymous(f.vma))
            return do_anonymous_page(f, pmd);
        return do_fault(f, pmd);
    }
    pte_t* ptep = pte_of(pmd, f.address);
    if (!pte_present(*ptep))
        return do_swap_page(f, pmd, ptep);
    if (pte_protnone(*ptep) && (f.vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
        // do_numa_page: restore the protection (no migration in the model).
        ptep->pte = (ptep->pte & ~_PAGE_PROTNONE) | _PAGE_PRESENT | _PAGE_ACCESSED;
        return 0;
    }
    if (f.write() || f.unshare()) {  // 6.12 memory.c:5804 adds FAULT_FLAG_UNSHARE
        if (!pte_write(*ptep))
            return do_wp_page(f, ptep);
        if (f.write())
            *ptep = pte_mkdirty(*ptep);
    }
    *ptep = pte_mkyoung(*ptep);
    return 0;
}

// Split a THP pmd into ptes mapping its subpages (model of __split_huge_pmd;
// dax pmds are simply zapped, as the kernel does).
void split_pmd(Fault& f, pmd_t* pmd) {
    World* w = f.w;
    const pmd_t old = *pmd;
    if (pmd_devmap(old)) {
        pmd->pmd = 0;
        return;
    }
    const pteval_t table = w->make_table(1);  // the deposited page table
    pmd->pmd = table;
    page* head = w->pfn_to_page(pmd_pfn(old));
    const bool zero = head == w->huge_zero_page;
    for (unsigned long i = 0; i < HPAGE_PMD_NR; ++i) {
        pte_t* ptep = reinterpret_cast<pte_t*>(w->table_of(table)) + i;
        if (zero) {
            *ptep = {mk_pte(ZERO_PFN, false, false).pte | _PAGE_SPECIAL};
            continue;
        }
        pteval_t bits = old.pmd & (_PAGE_RW | _PAGE_DIRTY | _PAGE_PROTNONE | _PAGE_PRESENT);
        ptep->pte = ((pmd_pfn(old) + i) << PAGE_SHIFT) | _PAGE_USER | _PAGE_ACCESSED | bits;
    }
    if (!zero)
        for (unsigned long i = 1; i < HPAGE_PMD_NR; ++i)
            w->model_get(head);  // page_ref_add(page, HPAGE_PMD_NR - 1)
}

// mm/huge_memory.c do_huge_pmd_anonymous_page
int do_huge_pmd_anonymous_page(Fault& f, pmd_t* pmd) {
    const unsigned long haddr = f.address & PMD_MASK;
    if (haddr < f.vma->vm_start || haddr + PMD_SIZE > f.vma->vm_end)
        return VM_FAULT_FALLBACK;
    if (anon_vma_prepare(f))
        return VM_FAULT_OOM;
    if (!f.write()) {
        // The huge zero page; its page table is deposited (pte_alloc_one).
        if (f.w->should_fail(AllocSite::pte_alloc, f.address))
            return VM_FAULT_OOM;
        pmd->pmd = mk_pte(HUGE_ZERO_PFN, false, false).pte | _PAGE_PSE;
        return 0;
    }
    if (f.w->should_fail(AllocSite::thp_page, f.address))
        return VM_FAULT_FALLBACK;  // count_vm_event(THP_FAULT_FALLBACK)
    page* p = f.w->alloc_pages(9);
    if (!p)
        return VM_FAULT_FALLBACK;
    if (f.w->should_fail(AllocSite::memcg_charge, f.address)) {
        f.w->model_put(p);
        return VM_FAULT_FALLBACK;
    }
    if (f.w->should_fail(AllocSite::pte_alloc, f.address)) {
        f.w->model_put(p);
        return VM_FAULT_OOM;
    }
    set_anon(p, f.vma, haddr);
    pteval_t v = mk_pte(p->pfn(), false, true).pte | _PAGE_PSE;
    if (f.vma->vm_flags & VM_WRITE)
        v |= _PAGE_RW;
    pmd->pmd = v;
    map_inc(p);
    return 0;
}

// Generation 612: mm/huge_memory.c:1818 do_huge_pmd_wp_page (6.12): reuse an
// exclusive (or singly referenced) THP, else split and fall back to ptes; no
// huge copy any more.
int do_huge_pmd_wp_page_612(Fault& f, pmd_t* pmd) {
    const pmd_t orig = *pmd;
    page* head = f.w->pfn_to_page(pmd_pfn(orig));
    if (head != f.w->huge_zero_page) {
        bool exclusive = head->flags & (1UL << PG_anon_exclusive);
        if (!exclusive && head->_refcount == 1) {
            head->flags |= 1UL << PG_anon_exclusive;
            exclusive = true;
        }
        if (exclusive) {
            if (f.unshare())
                return 0;
            pmd_t e = pmd_mkdirty(pmd_mkyoung(orig));
            if (f.vma->vm_flags & VM_WRITE)
                e.pmd |= _PAGE_RW;
            *pmd = e;
            return 0;
        }
    }
    split_pmd(f, pmd);
    return VM_FAULT_FALLBACK;
}

// mm/huge_memory.c do_huge_pmd_wp_page (model: reuse, copy, or split)
int do_huge_pmd_wp_page(Fault& f, pmd_t* pmd) {
    if (f.g612())
        return do_huge_pmd_wp_page_612(f, pmd);
    const pmd_t orig = *pmd;
    page* head = f.w->pfn_to_page(pmd_pfn(orig));
    const bool zero = head == f.w->huge_zero_page;
    if (!zero && mapcount_of(head) == 0) {
        pmd_t e = pmd_mkdirty(pmd_mkyoung(orig));
        if (f.vma->vm_flags & VM_WRITE)
            e.pmd |= _PAGE_RW;
        *pmd = e;
        return VM_FAULT_WRITE;
    }
    page* np = nullptr;
    if (thp_enabled(f.w, f.vma) && !f.w->should_fail(AllocSite::thp_page, f.address)) {
        np = f.w->alloc_pages(9);
        if (np && f.w->should_fail(AllocSite::memcg_charge, f.address)) {
            f.w->model_put(np);
            np = nullptr;
        }
    }
    if (!np) {
        split_pmd(f, pmd);
        return VM_FAULT_FALLBACK;
    }
    set_anon(np, f.vma, f.address & PMD_MASK);
    pteval_t v = mk_pte(np->pfn(), false, true).pte | _PAGE_PSE;
    if (f.vma->vm_flags & VM_WRITE)
        v |= _PAGE_RW;
    pmd->pmd = v;
    map_inc(np);
    if (!zero)
        unmap_page(f.w, head);
    return VM_FAULT_WRITE;
}

int hugetlb_fault_impl(Fault& f);

// mm/memory.c:3987 __handle_mm_fault
int __handle_mm_fault(Fault& f) {
    World* w = f.w;
    mm_struct* mm = f.vma->vm_mm;
    const bool dirty = f.write();
    // p4d_alloc: the p4d level is folded into the pgd on 4-level x86.
    p4d_t* p4d = p4d_offset(pgd_offset(mm, f.address), f.address);
    // pud_alloc: only a none entry gets a new pud table.  A bad p4d is walked
    // through as it is: __handle_mm_fault never clears it (only pmd_clear_bad
    // is reachable), which is why GUP then spins on it.
    if (p4d_none(*p4d)) {
        if (w->should_fail(AllocSite::pud_alloc, f.address))
            return VM_FAULT_OOM;
        p4d->pgd.pgd = w->make_table(3);
    }
    pud_t* pud = pud_offset(p4d, f.address);
    if (pud_none(*pud) && thp_enabled(w, f.vma)) {
        if (!vma_is_anonymous(f.vma) && f.vma->vm_ops->huge_fault) {
            int r = dax_pud_fault(f, pud);
            if (!(r & VM_FAULT_FALLBACK))
                return r;
        }
    } else if (pud_devmap(*pud)) {
        if (dirty && !pud_write(*pud)) {
            if (int r = dax_pud_fault(f, pud); !(r & VM_FAULT_FALLBACK))
                return r;
            throw KernelBug("model: devmap pud write fault fell back");
        }
        *pud = pud_mkyoung(*pud);  // huge_pud_set_accessed
        return 0;
    }
    // pmd_alloc: only a none pud gets a new pmd table (a bad pud is walked through).
    if (pud_none(*pud)) {
        if (w->should_fail(AllocSite::pmd_alloc, f.address))
            return VM_FAULT_OOM;
        pud->pud = w->make_table(2);
    }
    pmd_t* pmd = pmd_offset(pud, f.address);
    if (pmd_none(*pmd) && thp_enabled(w, f.vma)) {
        int r = VM_FAULT_FALLBACK;
        if (vma_is_anonymous(f.vma))
            r = do_huge_pmd_anonymous_page(f, pmd);
        else if (f.vma->vm_ops->huge_fault)
            r = dax_pmd_fault(f, pmd);
        if (!(r & VM_FAULT_FALLBACK))
            return r;
    } else {
        const pmd_t orig = *pmd;
        if (is_pmd_migration_entry(orig)) {
            pmd_migration_entry_wait(mm, pmd);
            return 0;
        }
        if (pmd_trans_huge(orig) || pmd_devmap(orig)) {
            if (pmd_protnone(orig) && (f.vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
                // do_huge_pmd_numa_page
                pmd->pmd = (orig.pmd & ~_PAGE_PROTNONE) | _PAGE_PRESENT | _PAGE_ACCESSED;
                return 0;
            }
            if ((dirty || f.unshare()) && !pmd_write(orig)) {  // 6.12 memory.c:5926 adds UNSHARE
                int r;
                if (vma_is_anonymous(f.vma)) {
                    r = do_huge_pmd_wp_page(f, pmd);
                } else if ((f.vma->vm_flags & VM_SHARED) && pmd_devmap(orig)) {
                    // dax huge_fault on a shared mapping: made writable in place.
                    if (!f.file()->pgmap->live)
                        return VM_FAULT_SIGBUS;
                    pmd->pmd = orig.pmd | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED;
                    r = VM_FAULT_NOPAGE;
                } else {
                    split_pmd(f, pmd);  // COW is handled on ptes
                    r = VM_FAULT_FALLBACK;
                }
                if (!(r & VM_FAULT_FALLBACK))
                    return r;
            } else {
                *pmd = pmd_mkyoung(orig);  // huge_pmd_set_accessed
                if (dirty)
                    *pmd = pmd_mkdirty(*pmd);
                return 0;
            }
        }
    }
    return handle_pte_fault(f, pmd);
}

// mm/hugetlb.c hugetlb_fault / hugetlb_no_page / hugetlb_cow (2 MiB hstate)
int hugetlb_fault_impl(Fault& f) {
    World* w = f.w;
    const unsigned long haddr = f.address & PMD_MASK;
    mm_struct* mm = f.vma->vm_mm;
    pte_t* ptep = huge_pte_offset(mm, haddr, PMD_SIZE);
    if (ptep) {
        const pte_t entry = *ptep;
        if (is_hugetlb_entry_migration(entry)) {
            pmd_migration_entry_wait(mm, reinterpret_cast<pmd_t*>(ptep));
            return 0;
        }
        if (is_hugetlb_entry_hwpoisoned(entry))
            return VM_FAULT_HWPOISON_LARGE;
    } else {
        // huge_pte_alloc: the pud table, then the pmd table.
        p4d_t* p4d = p4d_offset(pgd_offset(mm, haddr), haddr);
        if (p4d_none(*p4d)) {
            if (w->should_fail(AllocSite::pud_alloc, f.address))
                return VM_FAULT_OOM;
            p4d->pgd.pgd = w->make_table(3);
        }
        pud_t* pud = pud_offset(p4d, haddr);
        if (pud_none(*pud)) {
            if (w->should_fail(AllocSite::pmd_alloc, f.address))
                return VM_FAULT_OOM;
            pud->pud = w->make_table(2);
        }
        ptep = reinterpret_cast<pte_t*>(pmd_offset(pud, haddr));
    }
    FileObj* file = f.file();
    const unsigned long idx = ((haddr - f.vma->vm_start) >> PAGE_SHIFT) + f.vma->vm_pgoff;
    const bool shared = f.vma->vm_flags & VM_SHARED;
    auto make_huge_pte = [&](page* p, bool writable) {
        pteval_t v = mk_pte(p->pfn(), false, false).pte | _PAGE_PSE;
        if (writable)
            v |= _PAGE_RW | _PAGE_DIRTY;
        return pte_t{v};
    };
    auto alloc_huge_page = [&](page** out) -> int {
        if (w->should_fail(AllocSite::huge_page, f.address))
            return VM_FAULT_OOM;  // -ENOMEM (hugetlb cgroup charge)
        if (!w->hugetlb_free)
            return VM_FAULT_SIGBUS;  // -ENOSPC: the pool is empty
        page* p = w->alloc_pages(9, /*movable=*/false);
        if (!p)
            return VM_FAULT_OOM;
        World::mark_hugetlb(p);  // alloc_hugetlb_folio: a hugetlb-typed folio
        w->hugetlb_free--;
        *out = p;
        return 0;
    };
    if (pte_none(*ptep)) {
        // hugetlb_no_page
        if (idx >= file->size_pages)
            return VM_FAULT_SIGBUS;
        page* p = nullptr;
        auto it = file->cache.find(idx);
        bool anon = false;
        if (it != file->cache.end()) {
            p = it->second;
            w->model_get(p);
        } else {
            if (int r = alloc_huge_page(&p))
                return r;
            if (shared) {
                p->mapping = &file->mapping_obj;
                p->index = idx;
                file->cache[idx] = p;
                w->model_get(p);
            } else {
                if (anon_vma_prepare(f)) {
                    w->model_put(p);
                    w->hugetlb_free++;
                    return VM_FAULT_OOM;
                }
                set_anon(p, f.vma, haddr);
                anon = true;
            }
        }
        *ptep = make_huge_pte(p, (f.vma->vm_flags & VM_WRITE) && shared);
        map_inc(p);
        if (f.write() && !shared) {
            // hugetlb_cow right away
            if (anon) {
                *ptep = make_huge_pte(p, true);
                return 0;
            }
        } else {
            return 0;
        }
    }
    if ((f.write() || f.unshare()) && !pte_write(*ptep)) {  // 6.12 hugetlb.c:6495 adds UNSHARE
        // hugetlb_cow: reuse an exclusively mapped anon page, else copy.
        page* old = w->pfn_to_page(pte_pfn(*ptep));
        if (PageAnon(old) && mapcount_of(old) == 0) {
            if (f.g612())
                old->flags |= 1UL << PG_anon_exclusive;  // 6.12 hugetlb_wp (hugetlb.c:5880)
            if (!f.unshare())
                *ptep = make_huge_pte(old, true);
            return 0;
        }
        page* np = nullptr;
        if (anon_vma_prepare(f))
            return VM_FAULT_OOM;
        if (int r = alloc_huge_page(&np))
            return r;
        set_anon(np, f.vma, haddr);
        // make_huge_pte(vma, new_page, 1): writable even without VM_WRITE; 6.12: !unshare
        *ptep = make_huge_pte(np, !f.unshare());
        map_inc(np);
        unmap_page(w, old);
        return 0;
    }
    *ptep = pte_mkyoung(*ptep);
    if (f.write())
        *ptep = pte_mkdirty(*ptep);
    return 0;
}

}  // namespace

// mm/mmap.c vma_wants_writenotify v4.15, in its order: private or read-only
// mappings need none; ->page_mkwrite/->pfn_mkwrite (regular files, fsdax)
// want it; (vm_page_prot is never special here and CONFIG_MEM_SOFT_DIRTY
// leaves new vmas VM_SOFTDIRTY); VM_PFNMAP does not; otherwise
// mapping_cap_account_dirty(): shmem, hugetlbfs, the dax pseudo-fs and char
// devices have noop_backing_dev_info, which accounts nothing.
bool vma_wants_writenotify(const World& w, const vm_area_struct* vma) {
    if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) != (VM_WRITE | VM_SHARED))
        return false;
    if (vma->vm_ops && (vma->vm_ops->page_mkwrite || vma->vm_ops->pfn_mkwrite))
        return true;
    if (vma->vm_flags & VM_PFNMAP)
        return false;
    const FileObj* f = w.file_of(vma);
    return f && (f->kind == FileKind::regular || f->kind == FileKind::fsdax);
}

const vm_operations_struct* vm_ops_for(const FileObj* f) {
    if (!f)
        return nullptr;
    switch (f->kind) {
    case FileKind::regular: return &generic_file_vm_ops;
    case FileKind::shmem: return &shmem_vm_ops;
    case FileKind::fsdax: return &fsdax_vm_ops;
    case FileKind::devdax: return &devdax_vm_ops;
    case FileKind::hugetlbfs: return &hugetlb_vm_ops;
    case FileKind::mmio: return &mmio_vm_ops;
    }
    return nullptr;
}

namespace {
int handle_mm_fault_model(vm_area_struct* vma, unsigned long address, unsigned flags);
}  // namespace

// mm/memory.c:4076 handle_mm_fault: its entry and its return are yield
// points (another thread may run before the fault takes the tables' locks,
// and after it dropped them; docs/concurrency.md).
int handle_mm_fault(vm_area_struct* vma, unsigned long address, unsigned flags) {
    World* w = current_world();
    w->gup_addr = address & PAGE_MASK;
    w->yield(YieldPoint::fault_entry);
    const int r = handle_mm_fault_model(vma, address, flags);
    if (!w->setup_mode)
        w->faulted_since_resched = true;
    w->yield(YieldPoint::fault_exit);
    return r;
}

namespace {
int handle_mm_fault_model(vm_area_struct* vma, unsigned long address, unsigned flags) {
    World* w = current_world();
    w->note_fault(address);
    if (w->config.generation >= 612) {
        // 6.12 mm/memory.c:6030 sanitize_fault_flags
        if (flags & FAULT_FLAG_UNSHARE) {
            if (flags & FAULT_FLAG_WRITE) {
                warn_once("handle_mm_fault: FAULT_FLAG_UNSHARE with FAULT_FLAG_WRITE");
                return VM_FAULT_SIGSEGV;
            }
            if (!is_cow_mapping(vma->vm_flags))
                flags &= ~FAULT_FLAG_UNSHARE;  // an ordinary read fault
        } else if (flags & FAULT_FLAG_WRITE) {
            if (!(vma->vm_flags & VM_MAYWRITE) || (!(vma->vm_flags & VM_WRITE) && !is_cow_mapping(vma->vm_flags))) {
                warn_once("handle_mm_fault: write fault on a mapping that can never be written");
                return VM_FAULT_SIGSEGV;
            }
        }
    } else if ((flags & FAULT_FLAG_UNSHARE) && !has_anon_exclusive(*w)) {
        throw KernelBug("FAULT_FLAG_UNSHARE passed to the v4.15 fault model (config.generation is 415)");
    }
    if (int code = w->injected_code(address))
        return code;
    if (!arch_vma_access_permitted(vma, flags & FAULT_FLAG_WRITE, false, flags & FAULT_FLAG_REMOTE))
        return VM_FAULT_SIGSEGV;
    Fault f{w, vma, address & PAGE_MASK, flags};
    if (is_vm_hugetlb_page(vma))
        return hugetlb_fault_impl(f);
    const int r = __handle_mm_fault(f);
    if ((r & VM_FAULT_FALLBACK) && !(r & ~VM_FAULT_FALLBACK))
        throw KernelBug("model returned a lone VM_FAULT_FALLBACK");
    if ((r & VM_FAULT_RETRY) && !(flags & FAULT_FLAG_ALLOW_RETRY))
        throw KernelBug("model returned VM_FAULT_RETRY without FAULT_FLAG_ALLOW_RETRY");
    return r;
}
}  // namespace

void split_thp_pmd(World& w, vm_area_struct* vma, unsigned long address, pmd_t* pmd) {
    Fault f{&w, vma, address & PAGE_MASK, 0};
    split_pmd(f, pmd);
}

int hugetlb_fault(mm_struct*, vm_area_struct* vma, unsigned long address, unsigned flags) {
    World* w = current_world();
    w->note_fault(address);
    if (int code = w->injected_code(address))
        return code;
    Fault f{w, vma, address & PAGE_MASK, flags};
    return hugetlb_fault_impl(f);
}

namespace {

// The user address whose pmd slot is `slot`: pmd_migration_entry_wait (and
// the hugetlb __migration_entry_wait) get no address from their callers.
unsigned long address_of_pmd_slot(World& w, const pteval_t* slot) {
    for (unsigned i = 0; i < PTRS_PER_TABLE / 2; ++i) {  // the user half of the pgd
        const pteval_t g = w.mm.pgd[i].pgd;
        if (!(g & _PAGE_PRESENT))
            continue;
        const pteval_t* pud = w.table_of(g);
        for (unsigned j = 0; j < PTRS_PER_TABLE; ++j) {
            if (!(pud[j] & _PAGE_PRESENT) || (pud[j] & _PAGE_PSE))
                continue;
            const pteval_t* pmds = w.table_of(pud[j]);
            if (slot >= pmds && slot < pmds + PTRS_PER_TABLE)
                return (static_cast<unsigned long>(i) << PGDIR_SHIFT) | (static_cast<unsigned long>(j) << PUD_SHIFT) |
                       (static_cast<unsigned long>(slot - pmds) << PMD_SHIFT);
        }
    }
    throw KernelBug("migration entry wait on a pmd outside the task's page tables");
}

// The migration the entry at `slot` stands for runs to its end while the
// faulting task waits (the model runs the migrating task to completion):
//  - migrate_page_move_mapping / migrate_huge_page_move_mapping (mm/migrate.c
//    v4.15) accept only the references the mappings, the page cache and the
//    isolation hold; a GUP reference fails the count test with -EAGAIN on
//    every pass, and so does a new page that cannot be had (RAM exhausted, an
//    empty hugetlb pool: nr_overcommit_hugepages is 0), and
//    remove_migration_ptes(page, page) restores the old page;
//  - otherwise the new page takes over the mappings, the page-cache slot and
//    PG_dirty, and the old page is freed;
//  - either way remove_migration_pte (mm/migrate.c:233-243 v4.15) and
//    remove_migration_pmd (mm/huge_memory.c v4.15) map it with
//    pte_mkold(mk_pte(new, vma->vm_page_prot)): old and clean, writable only
//    through vm_page_prot or, for a write migration entry, maybe_mkwrite.
void finish_migration(World& w, vm_area_struct* vma, pteval_t* slot, bool huge) {
    const swp_entry_t e = pte_to_swp_entry(pte_t{*slot});
    const bool write_entry = swp_type(e) == SWP_MIGRATION_WRITE;
    page* old = compound_head(w.pfn_to_page(swp_offset(e)));
    page* np = nullptr;
    const bool pinned = old->_refcount != old->model_refs();
    if (!pinned && (!is_vm_hugetlb_page(vma) || w.hugetlb_free > 0))
        np = w.alloc_pages(old->compound_order(), !folio_test_hugetlb(old));  // the hugetlb pool gets the old page back: no net change
    if (np) {
        move_folio(w, old, np);
    } else {
        np = old;
    }
    pteval_t v = (static_cast<pteval_t>(np->pfn()) << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_USER;
    if (prot_writable(&w, vma) || (write_entry && (vma->vm_flags & VM_WRITE)))
        v |= _PAGE_RW;
    if (huge)
        v |= _PAGE_PSE;  // mk_huge_pmd / pte_mkhuge
    *slot = v;
}

vm_area_struct* vma_of(World& w, unsigned long address) {
    vm_area_struct* vma = find_vma(&w.mm, address);
    if (!vma || vma->vm_start > address)
        throw KernelBug("a migration entry at " + hex(address) + " outside every vma");
    return vma;
}

}  // namespace

// mm/migrate.c migration_entry_wait v4.15 (model: the wait ends with the
// migration finished, see finish_migration).
void migration_entry_wait(mm_struct*, pmd_t* pmd, unsigned long address) {
    World& w = *current_world();
    pte_t* ptep = pte_offset_map(pmd, address);
    if (!is_swap_pte(*ptep) || !is_migration_entry(pte_to_swp_entry(*ptep)))
        return;  // __migration_entry_wait: nothing to wait for
    finish_migration(w, vma_of(w, address), &ptep->pte, false);
}

// mm/migrate.c migration_entry_wait_huge -> __migration_entry_wait (hugetlb: ptep is the pmd slot).
void __migration_entry_wait(mm_struct* mm, pte_t* ptep, spinlock_t*) {
    pmd_migration_entry_wait(mm, reinterpret_cast<pmd_t*>(ptep));
}

// mm/migrate.c pmd_migration_entry_wait v4.15 (model as above).
void pmd_migration_entry_wait(mm_struct*, pmd_t* pmd) {
    World& w = *current_world();
    if (!is_swap_pte(pte_t{pmd->pmd}) || !is_migration_entry(pte_to_swp_entry(pte_t{pmd->pmd})))
        return;
    finish_migration(w, vma_of(w, address_of_pmd_slot(w, &pmd->pmd)), &pmd->pmd, true);
}

}  // namespace gupfuzz::kernel
