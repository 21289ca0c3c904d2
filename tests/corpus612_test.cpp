// SPDX-License-Identifier: GPL-2.0-only
//
// Replays corpus/conformance-6.12 on the real mm/gup.c of Linux 6.12: every
// scenario runs and gives the verdict its `# expect:` line states, which is
// the documented contract's (gup_longterm.c's matrix, pin_user_pages.rst, the
// kernel-doc of the entry points; port-v6.12.md §5-§6), not the file's.
// `gap` marks a scenario the simulated kernel cannot yet run as the contract
// says (the file names the gap); its current failures are checked instead.
// Built and run only when the 6.12 kernel is linked (ctest label kernel612).
#include <cstdio>
#include <map>
#include <set>

#include "core/harness/differential.h"
#include "core/harness/normalize.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

class Conformance612 : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Conformance612, VerdictMatchesExpectation) {
    ASSERT_TRUE(harness::kernel_available(harness::Kernel::v6_12))
        << harness::kernel_unavailable_reason(harness::Kernel::v6_12);
    const std::string text = read_file(GetParam());
    Expectation exp;
    ASSERT_TRUE(parse_expectation(text, &exp)) << GetParam();
    const harness::Scenario s = parse_or_die(text);
    const harness::Verdict v = harness::execute(s);
    const std::string report = v.report(s);
    std::set<std::string> failed;
    for (const auto& f : v.failures)
        failed.insert(harness::property_id(f.property));
    if (exp.verdict == "gap") {
        // A gap of the simulated kernel (the file says which): the contract's rc is
        // documented but not reached; the failures are pinned so that the fix shows.
        EXPECT_EQ(failed, exp.properties) << "the model gap changed (fixed?): make it `pass`\n" << report;
        return;
    }
    EXPECT_EQ(v.rc, exp.rc) << report;
    if (exp.verdict == "pass") {
        EXPECT_TRUE(v.passed()) << report;
    } else {
        EXPECT_EQ(failed, exp.properties) << report;
        EXPECT_EQ(v.passed_ignoring_known(), exp.verdict == "known") << report;
    }
    for (const auto& n : v.notes)
        EXPECT_EQ(n.find("skipped"), std::string::npos) << GetParam() << ": pre-state operation did not apply: " << n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Conformance612, ::testing::ValuesIn(corpus_files("corpus/conformance-6.12")),
                         file_test_name);

TEST(Conformance612, CorpusIsNotEmpty) { EXPECT_GE(corpus_files("corpus/conformance-6.12").size(), 40u); }

// Linux 6.1 against 6.12 (issue 10's differential, core/harness/differential.h,
// the implementation `gupfuzz diff` runs): every cell of corpus/conformance-6.12
// runs on both kernels.  Each difference in verdict must be a known behaviour
// of 6.1, a change a later kernel made on purpose (oracle612.cpp
// known_61_behaviour names it), and the cells that differ are pinned here: a
// new difference is a finding, a vanished one a change to look at.
TEST(Differential61, EveryDifferenceIsAKnown61Behaviour) {
    if (!harness::kernel_available(harness::Kernel::v6_1))
        GTEST_SKIP() << harness::kernel_unavailable_reason(harness::Kernel::v6_1);
    // cell -> the properties 6.1 fails (all known), and a word its explanation cites.
    const std::map<std::string, std::pair<std::set<std::string>, std::string>> expected = {
        {"anon-then-file-shared-rw-partial.scn", {{"R6", "R9"}, "v6.5"}},
        {"gl-file-shared-rw-fast.scn", {{"R6"}, "v6.5"}},
        {"gl-file-shared-rw-pin.scn", {{"R6", "R9"}, "v6.5"}},
        {"anon-untouched-ro-longterm-no-zero-page.scn", {{"R7"}, "84209e87c696"}},
        {"file-private-ro-untouched-unshare.scn", {{"R7"}, "84209e87c696"}},
        {"pin-user-pages-internal-pin-flag.scn", {{"R2"}, "is_valid_gup_args"}},
        {"pin-user-pages-null-pages.scn", {{"R2"}, "is_valid_gup_args"}},
        {"pin-user-pages-remote-internal-touch.scn", {{"R2"}, "is_valid_gup_args"}},
        {"pin-user-pages-unlocked-pin-and-get.scn", {{"R2"}, "is_valid_gup_args"}},
        {"pin-user-pages-unlocked-longterm.scn", {{"R1", "P11"}, "v6.3"}},
    };
    std::map<std::string, std::pair<std::set<std::string>, std::string>> differing;
    std::vector<harness::DiffCell> cells;
    for (const auto& path : corpus_files("corpus/conformance-6.12")) {
        const harness::DiffCell c = harness::diff_61_612(path.filename().string(), parse_or_die(read_file(path)));
        cells.push_back(c);
        if (c.cls == harness::DiffClass::same || c.cls == harness::DiffClass::not_expressible)
            continue;
        EXPECT_EQ(c.cls, harness::DiffClass::known_61)
            << c.name << ": " << harness::diff_class_name(c.cls) << ": " << c.reason << "\n6.1:\n"
            << c.k61.report << "6.12:\n" << c.k612.report;
        std::string cites;
        for (const auto& k : c.k61.known)
            cites += k + "\n";
        const auto it = expected.find(c.name);
        if (it != expected.end()) {
            EXPECT_NE(cites.find(it->second.second), std::string::npos) << c.name << ":\n" << cites;
        }
        differing[c.name] = {c.k61.failed, it == expected.end() ? "" : it->second.second};
    }
    const harness::DiffTotals t = harness::diff_totals(cells);
    EXPECT_EQ(differing, expected) << "the cells where 6.1's verdict differs from 6.12's changed";
    EXPECT_EQ(t.not_expressible, 1);
    EXPECT_EQ(t.finding, 0);
    EXPECT_GE(t.same, 55);
    std::printf("6.1 vs 6.12 over corpus/conformance-6.12: %d same verdict, %d differ (all known 6.1 "
                "behaviours), %d not expressible on 6.1\n",
                t.same, t.known_61, t.not_expressible);
}

// What cannot be said on both kernels is classified, not run: a v4.15
// scenario, a FOLL_* flag 6.1 lacks.  (A finding is shown on a deliberate 6.1
// defect: Defect612Build.DiffCallsA61DefectAFinding.)
TEST(Differential61, ClassifiesTheInexpressible) {
    if (!harness::kernel_available(harness::Kernel::v6_1))
        GTEST_SKIP() << harness::kernel_unavailable_reason(harness::Kernel::v6_1);
    harness::Scenario v415 = parse_or_die(read_file(corpus_files("corpus/conformance").front()));
    ASSERT_EQ(v415.kernel, harness::Kernel::v4_15);
    EXPECT_EQ(harness::diff_61_612("v4.15", v415).cls, harness::DiffClass::not_expressible);
    const auto p2p = std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "corpus/conformance-6.12/pin-user-pages-longterm-p2pdma.scn";
    const harness::DiffCell c = harness::diff_61_612("p2pdma", parse_or_die(read_file(p2p)));
    EXPECT_EQ(c.cls, harness::DiffClass::not_expressible);
    EXPECT_NE(c.reason.find("6.1"), std::string::npos) << c.reason;
}

}  // namespace
}  // namespace gupfuzz::test
