// SPDX-License-Identifier: GPL-2.0-only
//
// Replays corpus/conformance: every scenario parses, prints back to the same
// canonical text, runs, and gives the verdict its `# expect:` line states.
#include <set>

#include "core/kernel/types.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

struct Expectation {
    long rc = 0;
    std::string verdict;               // pass | known | fail
    std::set<std::string> properties;  // for known/fail
};

long parse_rc(const std::string& v) {
    static const std::pair<const char*, long> names[] = {
        {"-EFAULT", -EFAULT},   {"-ENOMEM", -ENOMEM},           {"-EINVAL", -EINVAL},
        {"-EOPNOTSUPP", -EOPNOTSUPP}, {"-ERESTARTSYS", -ERESTARTSYS}, {"-EHWPOISON", -EHWPOISON},
        {"-EBUSY", -EBUSY},     {"-EPERM", -EPERM}};
    for (const auto& [n, val] : names)
        if (v == n)
            return val;
    return std::stol(v, nullptr, 0);
}

bool parse_expectation(const std::string& text, Expectation* e) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find("# expect:");
        if (at == std::string::npos)
            continue;
        std::istringstream ls(line.substr(at + 9));
        std::string tok;
        ls >> tok;
        if (tok.rfind("rc=", 0) != 0)
            return false;
        e->rc = parse_rc(tok.substr(3));
        if (!(ls >> e->verdict))
            return false;
        while (ls >> tok)
            e->properties.insert(tok);
        return e->verdict == "pass" || e->verdict == "known" || e->verdict == "fail";
    }
    return false;
}

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

}  // namespace
}  // namespace gupfuzz::test
