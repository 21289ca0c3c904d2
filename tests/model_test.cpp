// SPDX-License-Identifier: GPL-2.0-only
//
// The model and the executor: determinism, isolation between runs, and the
// invariants the fault model promises the port.
#include "core/gup/entry.h"
#include "core/harness/builder.h"
#include "core/kernel/mm_ops.h"
#include "core/kernel/walk.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using namespace gupfuzz::kernel;

const char* kThp =
    "file regular size=64\n"
    "vma 0x40000000-0x40400000 anon rw- private hugepage\n"
    "vma 0x40400000-0x40440000 file=0 r-- private\n"
    "pre touch-write 0x40000000 1\n"
    "pre touch-read 0x40200000 1\n"
    "call start=0x401ff000 nr=70 flags=WRITE|FORCE pages=array vmas=array sem=read\n";

// Installs a pud table under the user pgd for 0x40000000; returns the pgd entry.
pteval_t make_pud_entry_for_test(World& w) {
    pteval_t* slot = &(w.mm.pgd + pgd_index(0x40000000))->pgd;
    if (!*slot)
        *slot = w.make_table(3);
    return *slot;
}

TEST(Executor, SameScenarioSameVerdict) {
    harness::Scenario s = parse_or_die(kThp);
    const harness::Verdict a = harness::execute(s);
    const harness::Verdict b = harness::execute(s);
    EXPECT_EQ(a.report(s), b.report(s));
    EXPECT_EQ(a.rc, b.rc);
    EXPECT_TRUE(a.passed()) << a.report(s);
}

// Model events (the trace's notes) reach the verdict and its report.
TEST(Executor, ModelNotesReachTheReport) {
    const harness::Scenario s = parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) /
                                                       "corpus/conformance/corrupt-pmd.scn"));
    const harness::Verdict v = harness::execute(s);
    ASSERT_FALSE(v.trace.notes.empty()) << "the model recorded no event; the scenario no longer tests this";
    for (const std::string& n : v.trace.notes) {
        EXPECT_NE(std::find(v.notes.begin(), v.notes.end(), n), v.notes.end()) << n;
        EXPECT_NE(v.report(s).find("note: " + n + "\n"), std::string::npos) << v.report(s);
    }
}

TEST(Executor, InvalidScenarioIsRejected) {
    harness::Scenario s;
    s.vmas.push_back({});  // start == end == 0
    EXPECT_THROW(harness::execute(s), std::invalid_argument);
}

// The memory layout the real kernel's code reads (core/shim): struct pages
// contiguous by pfn at vmemmap_base(), page tables at __va(phys), 6.12 folio
// metadata in page[1], the zone in page->flags.
TEST(Model, KernelLayoutIsTheShims) {
    World w;
    WorldScope scope(w);
    page* thp = w.alloc_pages(9);
    ASSERT_NE(thp, nullptr);
    const unsigned long pfn = thp->pfn();
    EXPECT_EQ(reinterpret_cast<unsigned long>(thp), w.vmemmap_base() + pfn * 64);
    EXPECT_EQ(w.pfn_to_page(pfn + 7), thp + 7);
    EXPECT_EQ((thp + 7)->pfn(), pfn + 7);
    EXPECT_EQ(compound_head(thp + 7), thp);
    EXPECT_EQ(thp->compound_order(), 9u);
    EXPECT_EQ(folio_meta(thp)->_folio_nr_pages, 512u);
    EXPECT_EQ(folio_meta(thp)->_pincount, 0);
    EXPECT_EQ(thp->zone(), static_cast<unsigned>(ZONE_NORMAL));
    EXPECT_EQ(thp->model_refs(), 1);
    EXPECT_EQ((thp + 1)->model_refs(), 0);
    // __va(pgd_val-style physical address of the user pgd) is the model's pgd.
    const pteval_t* pud_table = w.table_of(make_pud_entry_for_test(w));
    const unsigned long phys = (reinterpret_cast<const pteval_t*>(w.mm.pgd + pgd_index(0x40000000))[0]) & PTE_PFN_MASK;
    EXPECT_EQ(reinterpret_cast<const pteval_t*>(phys + w.page_offset_base()), pud_table);
    // A hugetlb folio is typed on its head; its mapcount lives in _entire_mapcount.
    page* h = w.alloc_pages(9);
    World::mark_hugetlb(h);
    EXPECT_TRUE(folio_test_hugetlb(h));
    map_inc(h);
    EXPECT_EQ(folio_meta(h)->_entire_mapcount, 0);
    EXPECT_EQ(folio_meta(h)->_large_mapcount, 0);
    EXPECT_TRUE(folio_test_hugetlb(h));
    dev_pagemap* pg = w.add_pgmap(16, true);
    EXPECT_TRUE(w.pfn_to_page(pg->pfn_first)->zone_device());
    EXPECT_EQ(w.pfn_to_page(pg->pfn_first)->pgmap, pg);
}

// ZONE_MOVABLE: movable allocations land there unless PF_MEMALLOC_PIN is set;
// hugetlb pool pages never do.
TEST(Model, ZoneMovablePlacement) {
    World w;
    WorldScope scope(w);
    EXPECT_EQ(w.alloc_pages(0)->zone(), static_cast<unsigned>(ZONE_NORMAL));
    w.config.zone_movable = true;
    EXPECT_EQ(w.alloc_pages(0)->zone(), static_cast<unsigned>(ZONE_MOVABLE));
    EXPECT_EQ(w.alloc_pages(9)->zone(), static_cast<unsigned>(ZONE_MOVABLE));
    EXPECT_EQ(w.alloc_pages(9, false)->zone(), static_cast<unsigned>(ZONE_NORMAL));
    w.memalloc_pin = true;
    EXPECT_EQ(w.alloc_pages(0)->zone(), static_cast<unsigned>(ZONE_NORMAL));
}

TEST(Model, KernelCodeNeedsAWorld) {
    EXPECT_THROW(current_world(), KernelBug);
}

TEST(Model, ZeroSizeKcallocNeverFailsAndIsNotCounted) {
    World w;
    WorldScope scope(w);
    w.plan.failures.push_back({AllocSite::kcalloc_vmas, 1});
    EXPECT_EQ(kcalloc(0, 8), ZERO_SIZE_PTR());
    EXPECT_EQ(w.trace.count_site(AllocSite::kcalloc_vmas), 0u);
    EXPECT_EQ(kcalloc(4, 8), nullptr);  // the first real one fails as planned
    void* p = kcalloc(4, 8);
    ASSERT_NE(p, nullptr);
    kfree(p);
    EXPECT_EQ(w.trace.kmalloc_live, 0);
    EXPECT_EQ(kcalloc(524289, 8), nullptr);  // above KMALLOC_MAX_SIZE
}

TEST(Model, AnonymousReadMapsTheZeroPageAndWriteAllocates) {
    harness::Scenario s = parse_or_die(
        "vma 0x10000-0x20000 anon rw- private\npre touch-read 0x10000 1\npre touch-write 0x11000 1\n"
        "call start=0x10000 nr=1 flags=0 pages=array vmas=null sem=read\n");
    World w;
    WorldScope scope(w);
    std::vector<std::string> notes;
    harness::build_world(w, s, &notes);
    EXPECT_TRUE(notes.empty());
    Mapping r = walk(w, &w.mm, 0x10000);
    ASSERT_EQ(r.level, Level::pte);
    EXPECT_EQ(pte_pfn(pte_t{r.value}), ZERO_PFN);
    EXPECT_TRUE(r.value & _PAGE_SPECIAL);
    Mapping wr = walk(w, &w.mm, 0x11000);
    ASSERT_EQ(wr.level, Level::pte);
    EXPECT_TRUE(wr.value & _PAGE_RW);
    EXPECT_TRUE(wr.value & _PAGE_DIRTY);
    page* p = w.pfn_to_page(pte_pfn(pte_t{wr.value}));
    EXPECT_TRUE(PageAnon(p));
    EXPECT_EQ(p->_refcount, 1);
    EXPECT_EQ(p->model_refs(), 1);
}

// Builds the scenario's world (pre-state applied) in w; w must be in scope.
void build(World& w, const char* text) {
    harness::Scenario s = parse_or_die(text);
    std::vector<std::string> notes;
    harness::build_world(w, s, &notes);
    ASSERT_TRUE(notes.empty()) << notes.front();
}

const char* kMigrating =
    "vma 0x10000000-0x10002000 anon rw- private\npre touch-write 0x10000000 1\npre migrate 0x10000000\n"
    "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n";

// mm/migrate.c remove_migration_pte v4.15: the new page, pte_mkold(mk_pte(new,
// vm_page_prot)), maybe_mkwrite for a write entry; PG_dirty moved with the data.
TEST(Model, MigrationEndsOnANewPageMappedOldAndClean) {
    World w;
    WorldScope scope(w);
    build(w, kMigrating);
    const Mapping before = walk(w, &w.mm, 0x10000000);
    const swp_entry_t e = pte_to_swp_entry(pte_t{before.value});
    ASSERT_EQ(swp_type(e), SWP_MIGRATION_WRITE);
    page* old = w.pfn_to_page(swp_offset(e));
    EXPECT_TRUE(PageDirty(old));  // try_to_unmap_one moved the pte's dirty bit
    EXPECT_EQ(handle_mm_fault(find_vma(&w.mm, 0x10000000), 0x10000000, 0), 0);
    const Mapping after = walk(w, &w.mm, 0x10000000);
    ASSERT_EQ(after.level, Level::pte);
    ASSERT_TRUE(after.value & _PAGE_PRESENT);
    EXPECT_NE(pte_pfn(pte_t{after.value}), old->pfn());
    EXPECT_TRUE(after.value & _PAGE_RW);
    EXPECT_FALSE(after.value & (_PAGE_DIRTY | _PAGE_ACCESSED));
    page* np = w.pfn_to_page(pte_pfn(pte_t{after.value}));
    EXPECT_TRUE(PageAnon(np));
    EXPECT_TRUE(PageDirty(np));
    EXPECT_EQ(np->_refcount, 1);
    EXPECT_EQ(np->model_refs(), 1);
    EXPECT_EQ(np->_mapcount, 0);
    EXPECT_FALSE(old->allocated());  // the old page went back to the allocator
}

// migrate_page_move_mapping's count test fails on a GUP reference: the old
// page is restored, still through remove_migration_pte (old, clean).
TEST(Model, MigrationOfAPinnedPageRestoresIt) {
    World w;
    WorldScope scope(w);
    build(w, kMigrating);
    page* old = w.pfn_to_page(swp_offset(pte_to_swp_entry(pte_t{walk(w, &w.mm, 0x10000000).value})));
    page_ref_inc(old);  // a pin taken before the migration started
    EXPECT_EQ(handle_mm_fault(find_vma(&w.mm, 0x10000000), 0x10000000, 0), 0);
    const Mapping after = walk(w, &w.mm, 0x10000000);
    EXPECT_EQ(pte_pfn(pte_t{after.value}), old->pfn());
    EXPECT_TRUE(after.value & _PAGE_RW);
    EXPECT_FALSE(after.value & (_PAGE_DIRTY | _PAGE_ACCESSED));
    EXPECT_EQ(old->_refcount - old->model_refs(), 1);
    page_ref_dec_and_test(old);
    EXPECT_TRUE(w.trace.violations.empty());
}

// mm/mprotect.c change_pte_range v4.15: write migration entries become read
// ones whatever the new protection, so the page comes back read-only.
TEST(Model, MprotectMakesWriteMigrationEntriesRead) {
    World w;
    WorldScope scope(w);
    build(w, kMigrating);
    ASSERT_EQ(do_mprotect(w, 0x10000000, 0x2000, VM_READ | VM_WRITE | VM_EXEC), 0);
    const Mapping m = walk(w, &w.mm, 0x10000000);
    EXPECT_EQ(swp_type(pte_to_swp_entry(pte_t{m.value})), SWP_MIGRATION_READ);
    EXPECT_EQ(handle_mm_fault(find_vma(&w.mm, 0x10000000), 0x10000000, 0), 0);
    EXPECT_FALSE(walk(w, &w.mm, 0x10000000).value & _PAGE_RW);
}

// A read fault on shared writable shmem maps the page writable and clean
// (vma_wants_writenotify false, alloc_set_pte with vm_page_prot, v4.15).
TEST(Model, SharedShmemReadFaultIsWritableAndClean) {
    World w;
    WorldScope scope(w);
    build(w, "file shmem size=4\nvma 0x10000000-0x10004000 file=0 rw- shared\npre touch-read 0x10000000 1\n"
             "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n");
    const Mapping m = walk(w, &w.mm, 0x10000000);
    ASSERT_EQ(m.level, Level::pte);
    EXPECT_TRUE(m.value & _PAGE_RW);
    EXPECT_FALSE(m.value & _PAGE_DIRTY);
}

TEST(Model, DeviceDaxInodeHasARealisticMode) {
    World w;
    FileObj* f = w.add_file(FileKind::devdax, 512, 1, w.add_pgmap(512, true));
    EXPECT_EQ(f->file_obj.f_inode->i_mode, S_IFCHR | 0600);
    EXPECT_NE(f->file_obj.f_mapping->host, f->file_obj.f_inode);  // dax_open repoints f_mapping
    EXPECT_TRUE(f->file_obj.f_mapping->host->i_flags & S_DAX_BIT);
}

TEST(Model, FaultBudgetStopsALivelock) {
    World w;
    WorldScope scope(w);
    for (unsigned long i = 0; i < MAX_FAULTS_PER_PAGE; ++i)
        w.note_fault(0x10000);
    EXPECT_THROW(w.note_fault(0x10000), Livelock);
}

TEST(Port, VmFaultToErrno) {
    World w;
    WorldScope scope(w);
    const auto vm_fault_to_errno = port::entry_for(w.config, false).vm_fault_to_errno;
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_OOM, 0), -ENOMEM);
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_HWPOISON, 0), -EFAULT);
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_HWPOISON_LARGE, FOLL_HWPOISON), -EHWPOISON);
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_SIGBUS, 0), -EFAULT);
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_SIGSEGV, 0), -EFAULT);
    EXPECT_EQ(vm_fault_to_errno(VM_FAULT_FALLBACK, 0), 0);
}

TEST(Port, VmaIsFsdaxDistinguishesByMode) {
    World w;
    WorldScope scope(w);
    FileObj* fs = w.add_file(FileKind::fsdax, 16, 1, w.add_pgmap(16, true));
    FileObj* dd = w.add_file(FileKind::devdax, 16, 1, w.add_pgmap(16, true));
    vm_area_struct* a = w.insert_vma(0x10000, 0x20000, VM_READ | VM_SHARED | VM_MIXEDMAP, fs, 0);
    vm_area_struct* b = w.insert_vma(0x20000, 0x30000, VM_READ | VM_SHARED | VM_MIXEDMAP, dd, 0);
    auto vma_is_fsdax = [&](vm_area_struct* v) { return port::entry_for(w.config, false).vma_is_fsdax(v); };
    EXPECT_TRUE(vma_is_fsdax(a));
    EXPECT_TRUE(vma_is_fsdax(b));  // v4.15: i_mode == S_IFCHR is false for S_IFCHR|0600
    w.config.fsdax_ischr_fix = true;
    EXPECT_FALSE(vma_is_fsdax(b));
    w.config.fs_dax = false;  // S_DAX is 0
    EXPECT_FALSE(vma_is_fsdax(a));
}

}  // namespace
}  // namespace gupfuzz::test
