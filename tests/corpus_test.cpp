// SPDX-License-Identifier: GPL-2.0-only
//
// Replays corpus/conformance: every scenario parses, prints back to the same
// canonical text, runs, and gives the verdict its `# expect:` line states.
#include <set>

#include "core/harness/bytes.h"
#include "core/kernel/types.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

class Conformance : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Conformance, VerdictMatchesExpectation) {
    const std::string text = read_file(GetParam());
    Expectation exp;
    ASSERT_TRUE(parse_expectation(text, &exp)) << GetParam() << ": needs a '# expect: rc=VALUE pass|known|fail [Pn...]' line";
    harness::Scenario s = parse_or_die(text);
    // The text form round-trips: canonical text parses back to the same scenario.
    const std::string canon = harness::print_scenario(s);
    harness::ParseError err;
    auto again = harness::parse_scenario(canon, &err);
    ASSERT_TRUE(again) << err.to_string();
    EXPECT_EQ(*again, s);
    EXPECT_EQ(harness::print_scenario(*again), canon);

    harness::Verdict v = harness::execute(s);
    const std::string report = v.report(s);
    EXPECT_EQ(v.rc, exp.rc) << report;
    std::set<std::string> failed;
    for (const auto& f : v.failures)
        failed.insert(harness::property_id(f.property));
    if (exp.verdict == "pass") {
        EXPECT_TRUE(v.passed()) << report;
    } else {
        EXPECT_EQ(failed, exp.properties) << report;
        EXPECT_EQ(v.passed_ignoring_known(), exp.verdict == "known") << report;
    }
    for (const auto& n : v.notes)
        EXPECT_EQ(n.find("skipped"), std::string::npos) << GetParam() << ": pre-state operation did not apply: " << n;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Conformance, ::testing::ValuesIn(corpus_files("corpus/conformance")), file_test_name);

TEST(Conformance, CorpusIsNotEmpty) { EXPECT_GE(corpus_files("corpus/conformance").size(), 1u); }

// corpus/conformance-6.12 without the 6.12 kernel: every file carries its
// expectation, is a valid `kernel 6.12` scenario and round-trips through the
// text and byte forms.  Running them is corpus612_test.cpp's (label kernel612).
class Conformance612Text : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Conformance612Text, ParsesAndRoundTrips) {
    const std::string text = read_file(GetParam());
    Expectation exp;
    ASSERT_TRUE(parse_expectation(text, &exp)) << GetParam() << ": needs a '# expect: rc=VALUE pass|known|fail' line";
    const harness::Scenario s = parse_or_die(text);
    EXPECT_EQ(s.kernel, harness::Kernel::v6_12) << GetParam() << ": corpus/conformance-6.12 holds kernel 6.12 scenarios";
    const std::string canon = harness::print_scenario(s);
    harness::ParseError err;
    auto again = harness::parse_scenario(canon, &err);
    ASSERT_TRUE(again) << err.to_string();
    EXPECT_EQ(*again, s);
    const auto bytes = harness::encode_scenario(s);
    EXPECT_EQ(harness::decode_scenario(bytes.data(), bytes.size()), s);
}

INSTANTIATE_TEST_SUITE_P(Corpus, Conformance612Text, ::testing::ValuesIn(corpus_files("corpus/conformance-6.12")),
                         file_test_name);

// Until Linux 6.1's gup.c is part of the binary (issue 10), a 6.1 scenario is
// refused with the reason, never run on another kernel or passed.
TEST(Kernel61, RefusedWithTheReasonWhileNotLinked) {
    if (harness::kernel_available(harness::Kernel::v6_1))
        GTEST_SKIP() << "this build links the 6.1 kernel";
    const harness::Scenario s = parse_or_die("kernel 6.1\nvma 0x10000000-0x10001000 anon rw- private\n"
                                             "call pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM\n");
    try {
        harness::execute(s);
        ADD_FAILURE() << "execute() ran a 6.1 scenario without the 6.1 kernel";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("no 6.1 kernel"), std::string::npos) << e.what();
    }
}

// Without the 6.12 kernel a 6.12 scenario is refused with a clear error, never a silent pass.
TEST(Kernel612, RefusedWhenTheBuildHasNoKernel612) {
    if (harness::kernel_available(harness::Kernel::v6_12))
        GTEST_SKIP() << "this build links the 6.12 kernel";
    const harness::Scenario s =
        parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "corpus/conformance-6.12/anon-private-rw-pin.scn"));
    try {
        harness::execute(s);
        ADD_FAILURE() << "execute() ran a 6.12 scenario without the 6.12 kernel";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("GUPFUZZ_KERNEL_SHIM=OFF"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace gupfuzz::test
