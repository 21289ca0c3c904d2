// SPDX-License-Identifier: GPL-2.0-only
//
// The structural mutator (fuzz/gup_longterm_fuzzer.cpp's custom mutator):
// every result is a valid scenario that survives the byte form's round trip,
// the same seed gives the same result, and every edit changes something.
#include "core/harness/bytes.h"
#include "core/harness/mutate.h"
#include "core/harness/normalize.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::Mutation;
using harness::MutationRng;
using harness::Scenario;

std::vector<Scenario> bases() {
    std::vector<Scenario> out{Scenario{}};  // the empty scenario: nothing mapped
    for (const char* dir : {"corpus/conformance", "corpus/conformance-6.12"})
        for (const auto& path : corpus_files(dir)) {
            Scenario s = parse_or_die(read_file(path));
            if (harness::kernel_available(s.kernel))
                out.push_back(std::move(s));
        }
    return out;
}

void expect_valid_and_encodable(const Scenario& t, const Scenario& from, const char* what) {
    ASSERT_EQ(harness::to_string(harness::validate(t)), "")
        << what << " gave an invalid scenario from\n" << harness::print_scenario(from) << "to\n" << harness::print_scenario(t);
    const auto bytes = harness::encode_scenario(t);
    ASSERT_EQ(harness::decode_scenario(bytes.data(), bytes.size()), t) << what << "\n" << harness::print_scenario(t);
}

TEST(Mutator, EveryEditGivesAValidScenarioThatRoundTrips) {
    const auto all = bases();
    ASSERT_GT(all.size(), 10u);
    MutationRng rng(1);  // fixed seed
    for (const Scenario& s : all)
        for (unsigned m = 0; m < static_cast<unsigned>(Mutation::COUNT); ++m)
            for (int k = 0; k < 4; ++k) {
                const Scenario t = harness::mutate_scenario(s, static_cast<Mutation>(m), rng);
                expect_valid_and_encodable(t, s, harness::mutation_name(static_cast<Mutation>(m)));
            }
}

TEST(Mutator, EveryEditChangesSomeScenario) {
    // An edit that never changes anything is dead code in the mutator.
    const auto all = bases();
    MutationRng rng(2);
    for (unsigned m = 0; m < static_cast<unsigned>(Mutation::COUNT); ++m) {
        const auto mu = static_cast<Mutation>(m);
        if (mu == Mutation::generation && !harness::kernel_available(harness::Kernel::v6_12) &&
            !harness::kernel_available(harness::Kernel::v6_1))
            continue;  // one generation linked: nothing to switch to (checked where they are)
        int changed = 0;
        for (const Scenario& s : all)
            for (int k = 0; k < 4; ++k)
                changed += !(harness::mutate_scenario(s, mu, rng) == s);
        EXPECT_GT(changed, 0) << harness::mutation_name(mu);
    }
}

TEST(Mutator, SameSeedSameResult) {
    const auto all = bases();
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        const Scenario& s = all[seed % all.size()];
        MutationRng a(seed), b(seed);
        Mutation ma{}, mb{};
        EXPECT_EQ(harness::mutate_scenario(s, a, &ma), harness::mutate_scenario(s, b, &mb));
        EXPECT_EQ(ma, mb);
    }
}

TEST(Mutator, ChainsStayValidAndCrossOverIsValid) {
    // Long chains reach states no single edit does (many vmas, many faults).
    const auto all = bases();
    MutationRng rng(3);
    for (std::size_t i = 0; i < all.size(); i += 3) {
        Scenario s = all[i];
        for (int step = 0; step < 40; ++step) {
            const Scenario t = harness::mutate_scenario(s, rng);
            expect_valid_and_encodable(t, s, "a chain of edits");
            s = t;
        }
        const Scenario x = harness::cross_scenarios(s, all[(i * 7 + 1) % all.size()], rng);
        expect_valid_and_encodable(x, s, "cross-over");
        // The mutated scenario runs: a verdict, whatever it is, never a crash.
        (void)harness::execute(s);
    }
}

}  // namespace
}  // namespace gupfuzz::test
