// SPDX-License-Identifier: GPL-2.0-only
//
// Scenario properties against the faithful port: every oracle as a law, the
// FS_DAX=n alias, determinism, the text and byte round trips, and checks on
// the generator itself (validity, coverage of rc classes).  ctest runs each
// with RC_PARAMS="seed=1 max_success=200" (props/CMakeLists.txt); see
// docs/props.md for reproducing a failure.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "props/gen.h"
#include "props/laws.h"

namespace gupfuzz::props {
namespace {

using harness::Property;

// ---- every oracle as a law ----
#define GUPFUZZ_LAW(P) \
    RC_GTEST_PROP(Law, P, ()) { law(Property::P); }
GUPFUZZ_LAW(P1_rc_range)
GUPFUZZ_LAW(P2_einval_pure)
GUPFUZZ_LAW(P3_kcalloc)
GUPFUZZ_LAW(P4_no_leak_on_error)
GUPFUZZ_LAW(P5_exact_pins)
GUPFUZZ_LAW(P6_correspondence)
GUPFUZZ_LAW(P7_fsdax_rule)
GUPFUZZ_LAW(P8_partial_prefix)
GUPFUZZ_LAW(P9_vmas_ownership)
GUPFUZZ_LAW(P10_mmap_sem)
GUPFUZZ_LAW(P11_refcount_sanity)
GUPFUZZ_LAW(P12_termination)
GUPFUZZ_LAW(P13_write_cow)
GUPFUZZ_LAW(P14_zero_page_read)
GUPFUZZ_LAW(P16_alias)
GUPFUZZ_LAW(P17_signedness)
#undef GUPFUZZ_LAW

TEST(Law, EveryPropertyHasALaw) {
    // The list above names every v4.15 Property; a new oracle needs a new line.  The
    // 6.12 properties (R*) follow P17; their laws need the 6.12 kernel linked (issue 9).
    EXPECT_EQ(static_cast<int>(Property::R1_rc_range), 16);
}

RC_GTEST_PROP(Oracles, AllHold, ()) { all_oracles(); }
RC_GTEST_PROP(Alias, FsDaxNEqualsGetUserPages, ()) { alias_equals_get_user_pages(); }
RC_GTEST_PROP(Determinism, SameScenarioSameReportAndState, ()) { determinism(); }
RC_GTEST_PROP(RoundTrip, Text, ()) { text_round_trip(); }
RC_GTEST_PROP(RoundTrip, Bytes, ()) { bytes_round_trip(); }
RC_GTEST_PROP(Interleaved, OraclesHold, ()) { interleaved_oracles(); }
RC_GTEST_PROP(Interleaved, DeterministicAndRoundTrips, ()) { interleaved_determinism_and_round_trips(); }

// ---- the generator itself (deterministic: fixed seeds, no RC_PARAMS) ----

std::vector<harness::Scenario> sample(const GenOptions& o, int n, std::uint64_t seed) {
    return props::sample(gen_scenario(o), n, seed);
}

TEST(Generator, EveryScenarioIsValid) {
    for (const auto& s : sample(GenOptions{}, 2000, 11))
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
    for (Property p : {Property::P2_einval_pure, Property::P3_kcalloc, Property::P16_alias, Property::P17_signedness})
        for (const auto& s : sample(options_for(p), 300, 12))
            ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
}

TEST(Generator, ShrinksStayValid) {
    // Walk a few shrink paths all the way down: every intermediate scenario is valid.
    const auto g = gen_scenario(GenOptions{});
    rc::Random r(13);
    for (int i = 0; i < 30; ++i) {
        auto sh = g(r.split(), 100);
        for (int depth = 0; depth < 200; ++depth) {
            ASSERT_EQ(harness::to_string(harness::validate(sh.value())), "") << harness::print_scenario(sh.value());
            auto first = sh.shrinks().next();
            if (!first)
                break;
            sh = *first;
        }
    }
}

TEST(Generator, CoversTheRcClasses) {
    std::map<std::string, int> classes;
    int fsdax_prefix = 0, eopnotsupp = 0, partial = 0, known = 0;
    const int n = 400;
    for (const auto& s : sample(GenOptions{}, n, 17)) {
        const harness::Verdict v = harness::execute(s);
        const std::string c = rc_class(s, v);
        classes[c]++;
        fsdax_prefix += fsdax_in_prefix(s, v);
        eopnotsupp += v.rc == -EOPNOTSUPP;
        partial += c == "partial";
        known += !v.passed() && v.passed_ignoring_known();
    }
    std::string dist;
    for (const auto& [k, c] : classes)
        dist += "  " + k + ": " + std::to_string(c) + "\n";
    // Partial counts (P8) and a filesystem-DAX vma in the pinned prefix (P7)
    // must be common, not corner cases.
    EXPECT_GE(partial * 100, n * 6) << dist;
    EXPECT_GE(fsdax_prefix * 100, n * 8) << dist;
    EXPECT_GE(eopnotsupp * 100, n * 5) << dist;
    EXPECT_GE(classes["full"] * 100, n * 15) << dist;
    EXPECT_GE(classes["-EFAULT"] * 100, n * 5) << dist;
    EXPECT_GE(classes["-ENOMEM"], 1) << dist;
    std::printf("rc classes over %d generated scenarios (%d fsdax-in-prefix, %d known v4.15 behaviour):\n%s", n,
                fsdax_prefix, known, dist.c_str());
}

}  // namespace
}  // namespace gupfuzz::props
