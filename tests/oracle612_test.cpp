// SPDX-License-Identifier: GPL-2.0-only
//
// Each 6.12 oracle fires on the outcome a wrong kernel would leave, without
// the 6.12 kernel: build the world of a corpus/conformance-6.12 scenario, make
// the outcome the contract gives by hand (pin what the page tables map:
// GUP_PIN_COUNTING_BIAS on a small folio, +1 and _pincount +1 on a large one,
// nothing on the zero page; NR_FOLL_PIN_ACQUIRED and MMF_HAS_PINNED as a pin
// does), check that it passes, then doctor it (the rc, a pages[] entry, a
// refcount, a counter) and check that the specific property fails.
#include <cstring>
#include <memory>

#include "core/harness/builder.h"
#include "core/harness/oracle.h"
#include "core/kernel/walk.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::Failure;
using harness::Property;
using namespace gupfuzz::kernel;

int& pincount_of(page* head) { return *reinterpret_cast<int*>(reinterpret_cast<char*>(head + 1) + 28); }

class Doctored612 {
public:
    explicit Doctored612(const std::string& name)
        : s_(parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "corpus/conformance-6.12" / name))),
          w_(std::make_unique<World>()), scope_(*w_) {
        harness::build_world(*w_, s_, nullptr);
        before_ = harness::take_snapshot(*w_);
        pincounts_ = harness::pincount_snapshot(*w_);
        pages_.assign(s_.call.pages ? s_.call.nr_pages + 4 : 0, &sentinel_);
        pin_ = s_.call.entry != k612::Call::get_user_pages && s_.call.entry != k612::Call::get_user_pages_fast;
    }

    // The page the tables map at a, or null.
    page* mapped(unsigned long a) {
        const Mapping m = walk(*w_, &w_->mm, a);
        const pteval_t v = m.value;
        if (!(v & _PAGE_PRESENT))
            return nullptr;
        unsigned long pfn = (v & PTE_PFN_MASK) >> PAGE_SHIFT;
        if (m.level == Level::pmd && (v & _PAGE_PSE))
            pfn += (a & ~PMD_MASK) >> PAGE_SHIFT;
        return w_->pfn_valid(pfn) ? w_->pfn_to_page(pfn) : nullptr;
    }
    unsigned long addr(long j) const { return (s_.call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE; }

    // One reference as the contract says pin_user_pages / get_user_pages takes it.
    void grab(page* p) {
        page* head = compound_head(p);
        if (!pin_) {
            head->_refcount += 1;
            return;
        }
        if (head == w_->zero_page)
            return;  // never pinned
        if (head != p || (head->flags & (1UL << PG_head))) {
            head->_refcount += 1;
            pincount_of(head) += 1;
        } else {
            head->_refcount += 1024;
        }
        counters_.foll_pin_acquired += 1;
        counters_.mmf_has_pinned = true;
    }
    // Pages [0, rc) as the contract gives them: what the tables map, grabbed once each.
    void succeed(long rc) {
        rc_ = rc;
        for (long j = 0; j < rc; ++j) {
            page* p = mapped(addr(j));
            ASSERT_NE(p, nullptr) << "nothing mapped at " << addr(j) << ": the scenario must pre-touch its pages";
            pages_[static_cast<std::size_t>(j)] = p;
            grab(p);
        }
    }

    std::vector<Failure> check() const {
        const harness::Observation612 o{s_,         *w_,     rc_,     pages_, const_cast<page*>(&sentinel_), before_,
                                        counters0_, counters_, pincounts_, false, crash_, &warnings_};
        return harness::check_call612(o);
    }
    std::vector<Failure> check_release() const {
        const harness::Observation612 o{s_,         *w_,     rc_,     pages_, const_cast<page*>(&sentinel_), before_,
                                        counters0_, counters_, pincounts_, false, crash_};
        return harness::check_release612(o, 0);
    }
    std::string failures_of(Property p, bool release = false) const {
        std::string out;
        for (const Failure& f : release ? check_release() : check())
            if (f.property == p)
                out += f.message + "\n";
        return out;
    }
    std::string all() const {
        std::string out;
        for (const Failure& f : check())
            out += std::string(harness::property_id(f.property)) + ": " + f.message + "\n";
        return out;
    }

    long& rc() { return rc_; }
    page*& pages(std::size_t j) { return pages_[j]; }
    World& world() { return *w_; }
    k612::Counters& counters() { return counters_; }
    page* sentinel() { return &sentinel_; }
    std::vector<std::string>& warnings() { return warnings_; }

private:
    harness::Scenario s_;
    std::unique_ptr<World> w_;
    WorldScope scope_;
    harness::Snapshot before_;
    std::vector<std::pair<page*, int>> pincounts_;
    std::vector<page*> pages_;
    page sentinel_;
    bool pin_ = true;
    long rc_ = 0;
    k612::Counters counters0_, counters_;
    std::string crash_;
    std::vector<std::string> warnings_;
};

TEST(Oracle612, ContractOutcomePasses) {
    const std::pair<const char*, long> cases[] = {{"anon-private-rw-pin.scn", 4},
                                                  {"gl-memfd-shared-rw-pin.scn", 1},
                                                  {"anon-thp-longterm.scn", 512},
                                                  {"get-user-pages-plain.scn", 2},
                                                  {"anon-read-zero-page-not-pinned.scn", 2}};
    for (const auto& [name, n] : cases) {
        Doctored612 d(name);
        d.succeed(n);
        EXPECT_EQ(d.all(), "") << name;
    }
    Doctored612 inv("pin-user-pages-null-pages.scn");
    inv.rc() = 0;
    EXPECT_EQ(inv.all(), "");
    Doctored612 fs("anon-then-fsdax-partial.scn");
    fs.succeed(4);
    EXPECT_EQ(fs.all(), "");
}

TEST(Oracle612, R1CountBeforeTheFirstBlockedPage) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(3);  // one page short, consistently pinned
    EXPECT_NE(d.failures_of(Property::R1_rc_range).find("must return 4"), std::string::npos) << d.all();
    Doctored612 z("anon-private-rw-pin.scn");
    z.rc() = 0;
    EXPECT_NE(z.failures_of(Property::R1_rc_range).find("rc 0"), std::string::npos) << z.all();
    Doctored612 e("anon-private-rw-pin.scn");
    e.rc() = -EINVAL;
    EXPECT_NE(e.failures_of(Property::R1_rc_range).find("-EINVAL"), std::string::npos) << e.all();
    Doctored612 h("anon-then-hole-partial.scn");
    h.succeed(2);
    h.rc() = -EFAULT;  // nothing kept would be the caller's leak; the contract wants the count
    EXPECT_NE(h.failures_of(Property::R1_rc_range).find("must return 2"), std::string::npos) << h.all();
}

TEST(Oracle612, R2InvalidArgumentsAreRefusedAndPure) {
    Doctored612 rc("pin-user-pages-null-pages.scn");
    rc.rc() = -EINVAL;  // the fast entry's value, not pin_user_pages'
    EXPECT_NE(rc.failures_of(Property::R2_invalid_pure).find("returns 0"), std::string::npos) << rc.all();
    Doctored612 fast("pin-user-pages-fast-null-pages.scn");
    fast.rc() = 0;
    EXPECT_NE(fast.failures_of(Property::R2_invalid_pure).find("-EINVAL"), std::string::npos) << fast.all();
    Doctored612 gup("get-user-pages-longterm-einval.scn");
    gup.rc() = -EINVAL;
    EXPECT_EQ(gup.all(), "");
    gup.counters().mmf_has_pinned = true;
    EXPECT_NE(gup.failures_of(Property::R2_invalid_pure).find("MMF_HAS_PINNED"), std::string::npos) << gup.all();
    Doctored612 touched("pin-user-pages-internal-pin-flag.scn");
    touched.rc() = 0;
    touched.world().trace.faults_per_page[0x10000000] = 1;
    EXPECT_NE(touched.failures_of(Property::R2_invalid_pure).find("faulted"), std::string::npos) << touched.all();
}

TEST(Oracle612, R3PinCountersAndMmfHasPinned) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    d.counters().foll_pin_acquired += 1;  // a pin counted twice
    EXPECT_NE(d.failures_of(Property::R3_pin_balance).find("4 pins are held"), std::string::npos) << d.all();
    Doctored612 m("anon-private-rw-pin.scn");
    m.succeed(4);
    m.counters().mmf_has_pinned = false;
    EXPECT_NE(m.failures_of(Property::R3_pin_balance).find("MMF_HAS_PINNED"), std::string::npos) << m.all();
    // After the caller's release every pin must be released (counters equal).
    Doctored612 r("anon-private-rw-pin.scn");
    r.succeed(4);
    for (std::size_t j = 0; j < 4; ++j)
        compound_head(r.pages(j))->_refcount -= 1024;
    r.counters().foll_pin_released += 3;  // one unpin not counted
    EXPECT_NE(r.failures_of(Property::R3_pin_balance, true).find("RELEASED by 3"), std::string::npos);
    // A reference left behind after the release.
    Doctored612 l("anon-private-rw-pin.scn");
    l.succeed(4);
    for (std::size_t j = 0; j < 3; ++j)
        compound_head(l.pages(j))->_refcount -= 1024;
    l.counters().foll_pin_released += 4;
    EXPECT_NE(l.failures_of(Property::R4_exact_pins, true).find("still holds 1024"), std::string::npos);
}

TEST(Oracle612, R4ExactPins) {
    Doctored612 bias("anon-private-rw-pin.scn");
    bias.succeed(4);
    compound_head(bias.pages(1))->_refcount -= 1023;  // FOLL_GET's +1 instead of the pin bias
    EXPECT_NE(bias.failures_of(Property::R4_exact_pins).find("GUP_PIN_COUNTING_BIAS"), std::string::npos) << bias.all();
    Doctored612 twice("anon-private-rw-pin.scn");
    twice.succeed(4);
    compound_head(twice.pages(0))->_refcount += 1024;  // the bias added twice
    EXPECT_NE(twice.failures_of(Property::R4_exact_pins).find("holds 2048"), std::string::npos) << twice.all();
    Doctored612 zero("anon-read-zero-page-not-pinned.scn");
    zero.succeed(2);
    ASSERT_EQ(compound_head(zero.pages(0)), zero.world().zero_page);
    zero.world().zero_page->_refcount += 1024;  // the zero page pinned
    zero.counters().foll_pin_acquired += 1;
    EXPECT_NE(zero.failures_of(Property::R4_exact_pins).find("the zero page is never pinned"), std::string::npos)
        << zero.all();
    Doctored612 thp("anon-thp-longterm.scn");
    thp.succeed(512);
    page* head = compound_head(thp.pages(0));
    ASSERT_NE(head->flags & (1UL << PG_head), 0u) << "the pre-state must make a THP";
    pincount_of(head) -= 1;  // _pincount one short
    EXPECT_NE(thp.failures_of(Property::R4_exact_pins).find("_pincount"), std::string::npos) << thp.all();
    Doctored612 get("get-user-pages-plain.scn");
    get.succeed(2);
    compound_head(get.pages(0))->_refcount += 1023;  // a pin where FOLL_GET takes +1
    EXPECT_NE(get.failures_of(Property::R4_exact_pins).find("FOLL_GET"), std::string::npos) << get.all();
}

TEST(Oracle612, P6PagesNameWhatIsMapped) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    std::swap(d.pages(1), d.pages(2));
    EXPECT_NE(d.failures_of(Property::P6_correspondence).find("the page tables map"), std::string::npos) << d.all();
}

TEST(Oracle612, R6PlacementAndR9Refusal) {
    // The fsdax check removed: the fsdax vma's pages pinned longterm.
    Doctored612 d("fsdax-longterm-pin.scn");
    d.succeed(4);
    EXPECT_NE(d.failures_of(Property::R6_placement).find("filesystem-DAX"), std::string::npos) << d.all();
    EXPECT_NE(d.failures_of(Property::R9_vma_refusal).find("-EOPNOTSUPP"), std::string::npos) << d.all();
    // v4.15's all-or-nothing rule instead of 6.12's per-vma refusal.
    Doctored612 all("anon-then-fsdax-partial.scn");
    all.rc() = -EOPNOTSUPP;
    EXPECT_NE(all.failures_of(Property::R9_vma_refusal).find("must return 4"), std::string::npos) << all.all();
    // The refused vma faulted.
    Doctored612 f("anon-then-fsdax-partial.scn");
    f.succeed(4);
    f.world().trace.faults_per_page[0x10005000] = 1;
    EXPECT_NE(f.failures_of(Property::R9_vma_refusal).find("was faulted"), std::string::npos) << f.all();
    // A R/W longterm pin of a dirty-tracked shared file page.
    Doctored612 rw("gl-file-shared-rw-pin.scn");
    rw.succeed(1);
    EXPECT_NE(rw.failures_of(Property::R6_placement).find("dirty-tracked"), std::string::npos) << rw.all();
    EXPECT_NE(rw.failures_of(Property::R9_vma_refusal).find("-EFAULT"), std::string::npos) << rw.all();
}

TEST(Oracle612, R7ReadOnlyLongtermPinOfACowMappingIsAnonymous) {
    // Pinning the page-cache pages a private mapping maps (no unshare).
    Doctored612 d("file-private-ro-untouched-unshare.scn");
    d.succeed(2);
    EXPECT_NE(d.failures_of(Property::R7_exclusive).find("exclusive anonymous"), std::string::npos) << d.all();
}

TEST(Oracle612, P11WarnOnAValidCall) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    EXPECT_EQ(d.failures_of(Property::P11_refcount_sanity), "");
    d.warnings().push_back("WARNING: mm/gup.c:149: folio_ref_count(folio) <= 0");
    EXPECT_NE(d.failures_of(Property::P11_refcount_sanity).find("WARNed on a call with valid arguments"),
              std::string::npos)
        << d.all();
    // Invalid arguments WARN by design.
    Doctored612 inv("pin-user-pages-null-pages.scn");
    inv.rc() = 0;
    inv.warnings().push_back("WARNING: mm/gup.c:2629: (gup_flags & (FOLL_GET | FOLL_PIN)) && !pages");
    EXPECT_EQ(inv.all(), "");
}

TEST(Oracle612, R13PagesShape) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    page* p = d.pages(2);
    compound_head(p)->_refcount -= 1024;
    d.counters().foll_pin_acquired -= 1;
    d.pages(2) = d.sentinel();  // counted but never written
    EXPECT_NE(d.failures_of(Property::R13_pages_shape).find("not written"), std::string::npos) << d.all();
    Doctored612 o("anon-private-rw-pin.scn");
    o.succeed(4);
    o.pages(4) = o.pages(0);  // beyond nr_pages
    EXPECT_NE(o.failures_of(Property::R13_pages_shape).find("beyond nr_pages"), std::string::npos) << o.all();
}

TEST(Oracle612, R7PinnedAnonymousPagesAreExclusive) {
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    ASSERT_EQ(d.failures_of(Property::R7_exclusive), "");
    d.pages(2)->flags &= ~(1UL << PG_anon_exclusive);  // pinned without unsharing (a shared anonymous page)
    EXPECT_NE(d.failures_of(Property::R7_exclusive).find("not PageAnonExclusive"), std::string::npos) << d.all();
}

TEST(Oracle612, R10IsolationOnlyForLongtermPinsOfUnpinnableFolios) {
    // No ZONE_MOVABLE: nothing is unpinnable, so nothing may be isolated.
    Doctored612 d("anon-private-rw-pin.scn");
    d.succeed(4);
    d.world().trace.sites.push_back({AllocSite::isolate_lru, 1, 0, false});
    EXPECT_NE(d.failures_of(Property::R10_isolation_bound).find("no folio is unpinnable"), std::string::npos) << d.all();
    // ZONE_MOVABLE: one isolation per entry plus one per failed isolation.
    Doctored612 m("movable-anon-rw-pin.scn");
    m.succeed(4);
    for (unsigned i = 1; i <= 5; ++i)
        m.world().trace.sites.push_back({AllocSite::isolate_lru, i, 0, false});
    EXPECT_NE(m.failures_of(Property::R10_isolation_bound).find("isolates a folio again"), std::string::npos) << m.all();
    Doctored612 ok("movable-anon-rw-pin.scn");
    ok.succeed(4);
    for (unsigned i = 1; i <= 5; ++i)
        ok.world().trace.sites.push_back({AllocSite::isolate_lru, i, 0, i == 1});
    EXPECT_EQ(ok.failures_of(Property::R10_isolation_bound), "");
}

TEST(Oracle612, R11NoFolioLeftIsolatedAndFailedMigrationIsENOMEM) {
    Doctored612 d("movable-anon-rw-pin.scn");
    d.succeed(4);
    ASSERT_EQ(d.failures_of(Property::R11_migration), "");
    compound_head(d.pages(1))->flags &= ~(1UL << PG_lru);  // isolated and never put back
    EXPECT_NE(d.failures_of(Property::R11_migration).find("off the LRU"), std::string::npos) << d.all();
    // An injected migrate_pages failure, yet the pin succeeded on the unmigrated folios.
    Doctored612 f("movable-anon-rw-pin.scn");
    f.succeed(4);
    f.world().trace.sites.push_back({AllocSite::isolate_lru, 1, 0, false});
    f.world().trace.sites.push_back({AllocSite::migrate_pages, 1, 0, true});
    EXPECT_NE(f.failures_of(Property::R11_migration).find("must fail with -ENOMEM"), std::string::npos) << f.all();
}

}  // namespace
}  // namespace gupfuzz::test
