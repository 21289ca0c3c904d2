// SPDX-License-Identifier: GPL-2.0-only
//
// The byte form: total decoding, exact round trip, locality of mutations.
#include <random>

#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::decode_scenario;
using harness::encode_scenario;

TEST(ScenarioBytes, EveryCorpusScenarioRoundTrips) {
    std::size_t n = 0;
    for (const char* dir : {"corpus/conformance", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& path : corpus_files(dir)) {
            harness::Scenario s = parse_or_die(read_file(path));
            const auto bytes = encode_scenario(s);
            EXPECT_EQ(decode_scenario(bytes.data(), bytes.size()), s) << path;
            ++n;
        }
    EXPECT_GT(n, 0u);
}

TEST(ScenarioBytes, EveryByteStringDecodesToAValidScenario) {
    std::mt19937_64 rng(7);  // fixed seed
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::uint8_t> b(rng() % 96);
        for (auto& x : b)
            x = static_cast<std::uint8_t>(rng());
        const harness::Scenario s = decode_scenario(b.data(), b.size());
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        // And the decoded scenario survives its own round trip.
        const auto again = encode_scenario(s);
        ASSERT_EQ(decode_scenario(again.data(), again.size()), s) << harness::print_scenario(s);
    }
}

TEST(ScenarioBytes, EmptyInputIsAScenarioToo) {
    const harness::Scenario s = decode_scenario(nullptr, 0);
    EXPECT_EQ(harness::to_string(harness::validate(s)), "");
    EXPECT_EQ(s.call.nr_pages, 1u);
}

TEST(ScenarioBytes, OneByteMutationChangesLittle) {
    harness::Scenario s = parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) /
                                                 "corpus/conformance/anon-then-fsdax.scn"));
    const auto base = encode_scenario(s);
    std::size_t same_shape = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
        auto m = base;
        m[i] ^= 1;
        const harness::Scenario t = decode_scenario(m.data(), m.size());
        same_shape += t.vmas.size() == s.vmas.size() && t.files.size() == s.files.size();
    }
    // Most single-bit flips keep the layout's shape (they change one field).
    EXPECT_GE(same_shape * 4, base.size() * 3) << same_shape << " of " << base.size();
}

}  // namespace
}  // namespace gupfuzz::test
