// SPDX-License-Identifier: GPL-2.0-only
//
// corpus/regressions: every finding ever made, kept as the bytes the fuzzer
// saved, their text rendering and one line saying what they showed.  Each
// must still decode to its text, and pass (known kernel behaviours aside).
#include "core/harness/bytes.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

class Regression : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(Regression, ReplaysClean) {
    const auto scn = GetParam();
    auto bin = scn, txt = scn;
    bin.replace_extension(".bin");
    txt.replace_extension(".txt");
    ASSERT_TRUE(std::filesystem::exists(bin)) << bin << " is missing: keep the bytes the fuzzer saved";
    ASSERT_TRUE(std::filesystem::exists(txt)) << txt << " is missing: say in one line what it showed";
    EXPECT_FALSE(read_file(txt).empty());
    const harness::Scenario s = parse_or_die(read_file(scn));
    const std::string raw = read_file(bin);
    const harness::Scenario b = harness::decode_scenario(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
    EXPECT_EQ(b, s) << "the .scn is not the rendering of the .bin";
    const harness::Verdict v = harness::execute(s);
    EXPECT_TRUE(v.passed_ignoring_known()) << v.report(s);
}

INSTANTIATE_TEST_SUITE_P(Corpus, Regression, ::testing::ValuesIn(corpus_files("corpus/regressions")), file_test_name);

}  // namespace
}  // namespace gupfuzz::test
