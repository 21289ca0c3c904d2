// SPDX-License-Identifier: GPL-2.0-only
//
// The model and the executor: determinism, isolation between runs, and the
// invariants the fault model promises the port.
#include "core/gup/entry.h"
#include "core/harness/builder.h"
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
    EXPECT_EQ(p->model_refs, 1);
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
