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

// Linux 6.1 against 6.12 (issue 10's differential): every cell of
// corpus/conformance-6.12 runs on both kernels.  Each difference in verdict
// must be a known behaviour of 6.1, a change a later kernel made on purpose
// (oracle612.cpp known_61_behaviour names it), and the cells that differ are
// pinned here: a new difference is a finding, a vanished one a change to look at.
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
        {"pin-user-pages-remote-longterm.scn", {{"R1", "P11"}, "v6.3"}},
    };
    std::map<std::string, std::pair<std::set<std::string>, std::string>> differing;
    int same = 0, not_expressible = 0;
    for (const auto& path : corpus_files("corpus/conformance-6.12")) {
        const std::string name = path.filename().string();
        const harness::Scenario s612 = parse_or_die(read_file(path));
        harness::Scenario s61 = s612;
        s61.kernel = harness::Kernel::v6_1;
        if (!harness::to_string(harness::validate(s61)).empty()) {
            ++not_expressible;  // a FOLL_* flag 6.1 does not have (PCI_P2PDMA)
            continue;
        }
        const harness::Verdict a = harness::execute(s612), b = harness::execute(s61);
        std::set<std::string> fa, fb;
        for (const auto& f : a.failures)
            fa.insert(harness::property_id(f.property));
        for (const auto& f : b.failures)
            fb.insert(harness::property_id(f.property));
        if (a.rc == b.rc && fa == fb) {
            ++same;
            continue;
        }
        EXPECT_TRUE(b.passed_ignoring_known()) << name << ": 6.1 departs from the contract (a finding):\n"
                                                << b.report(s61);
        std::string cites;
        for (const auto& f : b.failures)
            cites += f.known_issue + "\n";
        const auto it = expected.find(name);
        if (it != expected.end()) {
            EXPECT_NE(cites.find(it->second.second), std::string::npos) << name << ":\n" << cites;
        }
        differing[name] = {fb, it == expected.end() ? "" : it->second.second};
    }
    EXPECT_EQ(differing, expected) << "the cells where 6.1's verdict differs from 6.12's changed";
    EXPECT_EQ(not_expressible, 1);
    EXPECT_GE(same, 55);
    std::printf("6.1 vs 6.12 over corpus/conformance-6.12: %d same verdict, %zu differ (all known 6.1 "
                "behaviours), %d not expressible on 6.1\n",
                same, differing.size(), not_expressible);
}

}  // namespace
}  // namespace gupfuzz::test
