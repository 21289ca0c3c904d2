// SPDX-License-Identifier: GPL-2.0-only
//
// Each oracle check fires on the outcome a defect would leave, without the
// defect build: run a scenario on the correct port, then doctor what the
// oracles see (the rc, a pages[] entry, a pte, a page flag) the way a wrong
// port would have left it, and assert that the specific property fails with
// a message in kernel terms.  Each scenario is a corpus/conformance file,
// so the corpus replay holds the case too, and it passes undoctored here, so
// the failure is the doctoring's doing.
#include <memory>

#include "core/gup/entry.h"
#include "core/harness/builder.h"
#include "core/harness/oracle.h"
#include "core/kernel/walk.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::Failure;
using harness::Property;
using namespace gupfuzz::kernel;

// One call, as execute() makes it, with the observation left open for doctoring.
class Doctored {
public:
    // NAME: a file of corpus/conformance.
    explicit Doctored(const std::string& name)
        : s_(parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "corpus/conformance" / name))), w_(std::make_unique<World>()), scope_(*w_) {
        harness::build_world(*w_, s_, nullptr);
        before_ = harness::take_snapshot(*w_);
        w_->plan = s_.plan;
        w_->mm.mmap_sem.readers = 1;
        pages_.assign(s_.call.pages ? s_.call.nr_pages + 4 : 0, &page_sentinel_);
        vmas_.assign(s_.call.vmas ? s_.call.nr_pages + 4 : 0, &vma_sentinel_);
        crash_ = harness::run_kernel_call([&] {
            rc_ = port::entry_for(w_->config, s_.plan.gup_rc_stub.has_value()).get_user_pages_longterm(s_.call.start, s_.call.nr_pages, s_.call.gup_flags,
                                                s_.call.pages ? pages_.data() : nullptr,
                                                s_.call.vmas ? vmas_.data() : nullptr);
        });
    }

    std::vector<Failure> check() const {
        harness::Observation o{s_, *w_, rc_, pages_, vmas_, const_cast<page*>(&page_sentinel_),
                               const_cast<vm_area_struct*>(&vma_sentinel_), before_, !crash_.empty(), crash_};
        return harness::check_call(o);
    }

    // The failures of property p, joined; "" when p holds.
    std::string failures_of(Property p) const {
        std::string out;
        for (const Failure& f : check())
            if (f.property == p)
                out += f.message + (f.known_issue.empty() ? "" : " [known]") + "\n";
        return out;
    }
    std::string all_failures() const {
        std::string out;
        for (const Failure& f : check())
            out += std::string(harness::property_id(f.property)) + ": " + f.message + "\n";
        return out;
    }

    long& rc() { return rc_; }
    page*& pages(std::size_t j) { return pages_[j]; }
    World& world() { return *w_; }
    const std::string& crash() const { return crash_; }
    unsigned long addr(long j) const { return (s_.call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE; }
    pteval_t& entry(unsigned long a) {
        Mapping m = walk(*w_, &w_->mm, a);
        EXPECT_NE(m.slot, nullptr);
        return *m.slot;
    }
    // Move pages[j]'s pin to q, as a port returning q would have left it.
    void repin(std::size_t j, page* q) {
        compound_head(pages_[j])->_refcount--;
        compound_head(q)->_refcount++;
        pages_[j] = q;
    }

private:
    harness::Scenario s_;
    std::unique_ptr<World> w_;
    WorldScope scope_;
    harness::Snapshot before_;
    page page_sentinel_;
    vm_area_struct vma_sentinel_;
    std::vector<page*> pages_;
    std::vector<vm_area_struct*> vmas_;
    long rc_ = 0;
    std::string crash_;
};

#define EXPECT_CLEAN(run)                                             \
    do {                                                              \
        ASSERT_TRUE((run).crash().empty()) << (run).crash();          \
        ASSERT_EQ((run).all_failures(), "") << "undoctored run fails"; \
    } while (0)

#define EXPECT_FIRES(run, prop, words)                                                     \
    do {                                                                                   \
        const std::string got = (run).failures_of(prop);                                   \
        EXPECT_NE(got.find(words), std::string::npos)                                      \
            << harness::property_id(prop) << " should fail mentioning \"" << words << "\"; " \
            << "its failures:\n" << got << "all failures:\n" << (run).all_failures();      \
    } while (0)

// ---- P1: the errno is derived from the contract, not from a list -------------

TEST(OracleContract, P1_OomMustBeEnomemNotEfault) {
    Doctored r("fault-oom.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -ENOMEM);
    r.rc() = -EFAULT;
    EXPECT_FIRES(r, Property::P1_rc_range, "injected VM_FAULT_OOM (vm_fault_to_errno: -ENOMEM)");
}

TEST(OracleContract, P1_AllocationFailureMustBeEnomem) {
    Doctored r("fail-anon-page-first.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -ENOMEM);
    r.rc() = -EFAULT;
    EXPECT_FIRES(r, Property::P1_rc_range, "injected anon_page failure");
}

TEST(OracleContract, P1_FatalSignalMustBeErestartsys) {
    Doctored r("signal-first-erestartsys.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -ERESTARTSYS);
    r.rc() = -EFAULT;
    EXPECT_FIRES(r, Property::P1_rc_range, "SIGKILL pending");
}

TEST(OracleContract, P1_FatalSignalInHugetlbIsEfault) {
    Doctored r("signal-hugetlb-efault.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -EFAULT);
    r.rc() = -ERESTARTSYS;
    EXPECT_FIRES(r, Property::P1_rc_range, "follow_hugetlb_page returns i ?: -EFAULT");
}

TEST(OracleContract, P1_HwpoisonErrnoFollowsFollHwpoison) {
    Doctored r("fault-hwpoison-ehwpoison.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -EHWPOISON);
    r.rc() = -EFAULT;
    EXPECT_FIRES(r, Property::P1_rc_range, "for which v4.15 returns -EHWPOISON");
}

TEST(OracleContract, P1_NoVmaIsEfault) {
    Doctored r("hole-efault.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -EFAULT);
    r.rc() = -ENOMEM;
    EXPECT_FIRES(r, Property::P1_rc_range, "no vma covers it");
}

// ---- P8: the count is the pinnable prefix, full counts included ---------------

TEST(OracleContract, P8_FullCountOverAHoleFails) {
    Doctored r("anon-then-hole-partial.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 4);
    r.rc() = 8;  // a count that is too large, and complete (nr_pages)
    EXPECT_FIRES(r, Property::P8_partial_prefix, "counts page 4 (0x10004000) although it is blocked: no vma");
}

TEST(OracleContract, P8_ShortCountFails) {
    Doctored r("pte-present-anon.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 4);
    r.rc() = 2;  // a walk with a two-page stride would stop here
    EXPECT_FIRES(r, Property::P8_partial_prefix, "stops at 0x10002000, but nothing blocks that address");
}

TEST(OracleContract, P8_SignalStopIsCounted) {
    Doctored r("signal-third-check-after-fault.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 1);  // page 0: check 1, fault, check 2; page 1: check 3
    r.rc() = 2;
    EXPECT_FIRES(r, Property::P8_partial_prefix, "counts page 1 (0x10001000) although it is blocked: SIGKILL");
}

TEST(OracleContract, P8_ErrorAfterPinnedPagesFails) {
    Doctored r("fault-oom-partial-vmas.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 3);
    r.rc() = -ENOMEM;
    EXPECT_FIRES(r, Property::P8_partial_prefix, "returns i ?: err, so it must return 3");
}

// ---- P7 and P16: against the expected count, not a second run of the port -----

TEST(OracleContract, P7_FsdaxInTheCountedPrefix) {
    Doctored r("anon-then-fsdax.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), -EOPNOTSUPP);
    r.rc() = 8;
    EXPECT_FIRES(r, Property::P7_fsdax_rule, "filesystem-DAX at 0x10004000");
}

TEST(OracleContract, P7_FsdaxBeyondThePrefix) {
    Doctored r("fsdax-beyond-partial.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 4);
    r.rc() = -EOPNOTSUPP;
    EXPECT_FIRES(r, Property::P7_fsdax_rule, "no filesystem-DAX page in that prefix");
}

TEST(OracleContract, P16_AliasCountIsTheContractsCount) {
    Doctored r("fs-dax-n-count.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 3);
    r.rc() = 4;
    EXPECT_FIRES(r, Property::P16_alias, "plain get_user_pages, which must return 3");
    r.rc() = -EINVAL;
    EXPECT_FIRES(r, Property::P16_alias, "but it returned -EINVAL");
}

// ---- P13: write semantics from the contract ----------------------------------

// The escaped mutant followed the read-only dirty pte without a fault
// (can_follow_write_pte without FOLL_COW): the pte stays read-only.
TEST(OracleContract, P13_ForcedWriteOnVmWriteMustLeaveWritablePte) {
    Doctored r("cowshare-force-write-rw.scn");
    EXPECT_CLEAN(r);
    ASSERT_EQ(r.rc(), 1);
    r.entry(r.addr(0)) &= ~_PAGE_RW;
    EXPECT_FIRES(r, Property::P13_write_cow, "the vma has VM_WRITE and the entry mapping it is not writable");
}

// ... and pins the page the fork child still maps.
TEST(OracleContract, P13_WriteMustNotPinThePageAForkChildMaps) {
    Doctored r("cowshare-force-write-rw.scn");
    EXPECT_CLEAN(r);
    page* copy = r.pages(0);
    copy->_mapcount++;  // as if the child still mapped the pinned page
    EXPECT_FIRES(r, Property::P13_write_cow, "a fork child still maps it");
    copy->_mapcount--;
}

// Dirty COW: the page-cache page instead of the anonymous copy.
TEST(OracleContract, P13_ForcedWriteMustPinAnAnonymousCopy) {
    Doctored r("dirty-cow-force-write.scn");
    EXPECT_CLEAN(r);
    page* cached = r.world().file_of(find_vma(&r.world().mm, r.addr(0)))->cache.at(0);
    r.repin(0, cached);
    pteval_t& e = r.entry(r.addr(0));
    e = (e & ~PTE_PFN_MASK) | (static_cast<pteval_t>(cached->pfn()) << PAGE_SHIFT);
    EXPECT_FIRES(r, Property::P13_write_cow, "never the page-cache page (Dirty COW)");
}

TEST(OracleContract, P13_WritePinLeavesDirtyData) {
    Doctored r("pte-none-anon-write.scn");
    EXPECT_CLEAN(r);
    r.entry(r.addr(0)) &= ~_PAGE_DIRTY;
    r.pages(0)->flags &= ~(1UL << PG_dirty);
    EXPECT_FIRES(r, Property::P13_write_cow, "neither its entry nor the page is dirty");
}

// ---- P14: the part a VM_LOCKED stack grew by is populated with writes --------

// The outcome of an find_extend_vma that grows a VM_LOCKED stack without
// populate_vma_page_range: GUP's own read fault maps the zero page there.
TEST(OracleContract, P14_GrownLockedStackIsPopulatedWithWrites) {
    Doctored r("locked-stack-populate-read.scn");
    EXPECT_CLEAN(r);
    page* zero = r.world().zero_page;
    r.repin(0, zero);
    pteval_t& e = r.entry(r.addr(0));
    e = (e & ~(PTE_PFN_MASK | _PAGE_RW | _PAGE_DIRTY)) | (static_cast<pteval_t>(zero->pfn()) << PAGE_SHIFT);
    EXPECT_FIRES(r, Property::P14_zero_page_read, "mlock breaks COW");
}

// ---- P6: MMU usability and FOLL_TOUCH ------------------------------------------

TEST(OracleContract, P6_NoPageFromAProtNoneEntryWithoutForce) {
    Doctored r("numa-protnone-fault.scn");
    EXPECT_CLEAN(r);
    pteval_t& e = r.entry(r.addr(0));
    e = (e & ~_PAGE_PRESENT) | _PAGE_PROTNONE;  // the NUMA hinting entry was followed, not faulted
    EXPECT_FIRES(r, Property::P6_correspondence, "PROT_NONE (NUMA hinting) entry");
}

TEST(OracleContract, P6_NoPageFromASwapEntry) {
    Doctored r("swap-entry.scn");
    EXPECT_CLEAN(r);
    r.entry(r.addr(0)) = swp_entry_to_pte(swp_entry(0, 7)).pte;
    EXPECT_FIRES(r, Property::P6_correspondence, "nothing is mapped at 0x10000000");
}

TEST(OracleContract, P6_FollTouchMarksThePageAccessed) {
    Doctored r("pte-present-anon.scn");
    EXPECT_CLEAN(r);
    r.pages(0)->flags &= ~(1UL << PG_referenced);
    EXPECT_FIRES(r, Property::P6_correspondence, "mark_page_accessed");
}

TEST(OracleContract, P6_FollTouchMakesTheHugePmdYoungAndDirty) {
    Doctored r("thp-write-touch-pmd.scn");
    EXPECT_CLEAN(r);
    pteval_t& e = r.entry(r.addr(0));
    ASSERT_TRUE(e & _PAGE_PSE);
    e &= ~_PAGE_ACCESSED;
    EXPECT_FIRES(r, Property::P6_correspondence, "touch_pmd");
    e &= ~_PAGE_DIRTY;
    compound_head(r.pages(0))->flags &= ~(1UL << PG_dirty);
    EXPECT_FIRES(r, Property::P13_write_cow, "neither its entry nor the page is dirty");
}

}  // namespace
}  // namespace gupfuzz::test

