// SPDX-License-Identifier: GPL-2.0-only
//
// Replays corpus/conformance-6.12 on the real mm/gup.c of Linux 6.12: every
// scenario runs and gives the verdict its `# expect:` line states, which is
// the documented contract's (gup_longterm.c's matrix, pin_user_pages.rst, the
// kernel-doc of the entry points; port-v6.12.md §5-§6), not the file's.
// `gap` marks a scenario the simulated kernel cannot yet run as the contract
// says (the file names the gap); its current failures are checked instead.
// Built and run only when the 6.12 kernel is linked (ctest label kernel612).
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

}  // namespace
}  // namespace gupfuzz::test
