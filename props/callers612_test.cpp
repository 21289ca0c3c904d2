// SPDX-License-Identifier: GPL-2.0-only
//
// The 6.12 caller models on the real mm/gup.c (R18, R8): the property holds
// for the callers as the drivers are written, and is falsified, with the
// shrunk step sequence printed, for each caller defect (callers612.h).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>
#include <sstream>

#include "core/harness/executor.h"
#include "core/harness/session.h"
#include "props/callers612_prop.h"

namespace gupfuzz::props {
namespace {

RC_GTEST_PROP(Callers612, IbUmemIoUringVaddrFramesVfio, ()) { callers612_property(); }

class Silent : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// The property against one caller defect, fixed seed: falsified, and the
// counterexample names what the defect breaks.
void expect_falsified(CallerDefect d, const std::string& must_mention) {
    set_caller_defect(d);
    rc::detail::TestParams params;
    params.seed = 1;
    params.maxSuccess = 400;
    rc::detail::TestMetadata md;
    md.id = md.description = caller_defect_name(d);
    Silent quiet;
    const rc::detail::TestResult r =
        rc::detail::checkProperty(rc::detail::toProperty([] { callers612_property(); }), md, params, quiet);
    set_caller_defect(CallerDefect::none);
    rc::detail::FailureResult f;
    ASSERT_TRUE(r.match(f)) << caller_defect_name(d) << ": the property was not falsified in 400 cases";
    std::ostringstream s;
    rc::detail::printResultMessage(f, s);
    std::printf("%s falsified:\n%s\n", caller_defect_name(d), s.str().c_str());
    EXPECT_NE(s.str().find(must_mention), std::string::npos) << s.str();
}

TEST(Callers612Defects, IoPinPagesKeepsAPartialPin) {
    expect_falsified(CallerDefect::io_pin_pages_keeps_partial, "R18");
}
TEST(Callers612Defects, IbUmemDoesNotUnpinTheChunkOnSgFailure) {
    expect_falsified(CallerDefect::ib_umem_no_unpin_on_sg_failure, "R18");
}
TEST(Callers612Defects, GetVaddrFramesLeaksAShortCount) {
    expect_falsified(CallerDefect::vaddr_frames_partial_leaked, "R18");
}

harness::Scenario anon_scenario(int pages, const char* touch = "touch-write") {
    harness::ParseError err;
    const auto s = harness::parse_scenario(
        "kernel 6.12\nvma 0x10000000-0x" + std::string(pages == 4 ? "10004000" : "10001000") +
            " anon rw- private\npre " + touch + " 0x10000000 " + std::to_string(pages) +
            "\ncall pin_user_pages start=0x10000000 nr=1 flags=LONGTERM pages=array\n",
        &err);
    if (!s)
        ADD_FAILURE() << err.to_string();
    return *s;
}

// R8 on the real file: a read-only longterm pin of anonymous memory that was
// only read (the zero page: the pin unshares it into an exclusive anonymous
// page, mapped read-only), then the task writes it: the write fault reuses
// the exclusive page, so the pinned page stays mapped.  With the page made
// non-exclusive behind the pin (what a GUP that pinned without unsharing
// would leave), the write fault copies it away and R8 fires.
TEST(Callers612, R8WriteAfterAReadOnlyPinKeepsThePinnedPage) {
    ASSERT_TRUE(harness::kernel_available(harness::Kernel::v6_12)) << harness::kernel_unavailable_reason(harness::Kernel::v6_12);
    for (const bool defect : {false, true}) {
        harness::Session s(anon_scenario(1, "touch-read"));
        kernel::page* pages[1] = {nullptr};
        const auto r = s.call612(k612::Call::pin_user_pages, 0x10000000, 1, k612::foll::LONGTERM, pages);
        ASSERT_EQ(r.rc, 1) << r.crash;
        ASSERT_TRUE(r.problems.empty());
        if (defect)
            pages[0]->flags &= ~(1UL << kernel::PG_anon_exclusive);
        ASSERT_EQ(s.touch(0x10000000, 1, true), 0);
        const std::string why = coherence_after_write(s, 0x10000000, pages[0]);
        if (defect)
            EXPECT_NE(why.find("must be reused, never copied"), std::string::npos) << why;
        else
            EXPECT_EQ(why, "");
        EXPECT_EQ(s.unpin_user_pages(pages, 1), "");
    }
}

// pin_user_pages(FOLL_WRITE | FOLL_LONGTERM) of the four written pages at 0x10000000.
std::vector<kernel::page*> pin4(harness::Session& s) {
    std::vector<kernel::page*> pages(4, nullptr);
    const auto r = s.call612(k612::Call::pin_user_pages, 0x10000000, 4, k612::foll::WRITE | k612::foll::LONGTERM,
                             pages.data());
    EXPECT_EQ(r.rc, 4) << r.crash;
    return r.rc == 4 ? pages : std::vector<kernel::page*>{};
}

// R12 on the real file: unpin_user_pages skips NULL entries only as a prefix
// (the shape migrate_longterm_unpinnable_folios leaves): gup_folio_next looks
// ahead from each non-NULL entry and would dereference a NULL after it, and
// unpin_user_pages_dirty_lock(..., true) checks none.  The Session refuses
// such an array with the R12 finding instead of crashing in gup.c.
TEST(Callers612, R12UnpinUserPagesSkipsOnlyANullPrefix) {
    ASSERT_TRUE(harness::kernel_available(harness::Kernel::v6_12)) << harness::kernel_unavailable_reason(harness::Kernel::v6_12);
    harness::Session s(anon_scenario(4));
    std::vector<kernel::page*> pages = pin4(s);
    ASSERT_EQ(pages.size(), 4u);
    std::map<kernel::page*, long> all;
    for (kernel::page* p : pages)
        all[kernel::compound_head(p)]++;
    std::vector<kernel::page*> hole = pages;
    hole[2] = nullptr;
    EXPECT_NE(s.unpin_user_pages(hole.data(), 4).find("after a non-NULL entry"), std::string::npos);
    std::vector<kernel::page*> prefix = pages;
    prefix[0] = nullptr;
    EXPECT_NE(s.unpin_user_pages_dirty_lock(prefix.data(), 4, true).find("make_dirty=true"), std::string::npos);
    // Refused means unreleased: all four pins still held.
    EXPECT_EQ(s.ledger612(all, {}, "the four pins"), std::vector<std::string>{});
    EXPECT_EQ(s.unpin_user_pages_dirty_lock(pages.data(), 4, true), "");
    EXPECT_EQ(s.ledger612({}, {}, "nothing"), std::vector<std::string>{});
}

TEST(Callers612, R12ANullPrefixIsSkipped) {
    ASSERT_TRUE(harness::kernel_available(harness::Kernel::v6_12)) << harness::kernel_unavailable_reason(harness::Kernel::v6_12);
    harness::Session s(anon_scenario(4));
    std::vector<kernel::page*> pages = pin4(s);
    ASSERT_EQ(pages.size(), 4u);
    kernel::page* first = pages[0];
    pages[0] = nullptr;  // a cleared prefix
    EXPECT_EQ(s.unpin_user_pages(pages.data(), 4), "");
    EXPECT_EQ(s.ledger612({{first, 1}}, {}, "the entry left out"), std::vector<std::string>{});
    EXPECT_EQ(s.unpin_user_pages(&first, 1), "");
    EXPECT_EQ(s.ledger612({}, {}, "nothing"), std::vector<std::string>{});
    const k612::Counters c = s.counters612();
    EXPECT_EQ(c.foll_pin_acquired, c.foll_pin_released);
}

}  // namespace
}  // namespace gupfuzz::props
