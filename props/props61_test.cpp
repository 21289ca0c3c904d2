// SPDX-License-Identifier: GPL-2.0-only
//
// The 6.12 front doors on Linux 6.1's own mm/gup.c (issue 10): the
// generation-independent ledger laws, every oracle at once, determinism and
// the round trips over generated `kernel 6.1` scenarios (gen_scenario612 with
// GenOptions::kernel = 6.1), and the caller models (callers612_prop.h).  The
// expectations are the contract's, as for 6.12; where 6.1 departs on purpose
// (oracle612.cpp known_61_behaviour: the later commit named) the failure is
// classified as that and is not one of the law.  Built and run only when 6.1
// is linked; ctest runs them with RC_PARAMS="seed=1 max_success=100".
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "core/harness/executor.h"
#include "props/callers612_prop.h"
#include "props/gen.h"
#include "props/laws.h"

namespace gupfuzz::props {
namespace {

constexpr harness::Kernel k61 = harness::Kernel::v6_1;

RC_GTEST_PROP(Law61, NoLeak, ()) { law612(Law612::no_leak, k61); }
RC_GTEST_PROP(Law61, ExactPins, ()) { law612(Law612::exact_pins, k61); }
RC_GTEST_PROP(Law61, Sanity, ()) { law612(Law612::sanity, k61); }
RC_GTEST_PROP(Law61, Termination, ()) { law612(Law612::termination, k61); }
RC_GTEST_PROP(Oracles61, AllHold, ()) { all_oracles612(k61); }
RC_GTEST_PROP(Determinism61, SameScenarioSameReportAndState, ()) { determinism612(k61); }
RC_GTEST_PROP(RoundTrip61, Text, ()) { text_round_trip612(k61); }
RC_GTEST_PROP(RoundTrip61, Bytes, ()) { bytes_round_trip612(k61); }
RC_GTEST_PROP(Callers61, IbUmemIoUringVaddrFramesVfio, ()) {
    Callers612Options o;
    o.kernel = k61;
    callers612_property(o);
}

// The generator gives valid `kernel 6.1` scenarios that reach the outcomes
// the laws are about (not a run that executed nothing), and 6.1's known
// behaviours do occur (the classification is exercised, not vacuous).
TEST(Generator61, EveryScenarioIsValidAndReachesTheOutcomes) {
    ASSERT_TRUE(harness::kernel_available(k61)) << harness::kernel_unavailable_reason(k61);
    GenOptions o;
    o.kernel = k61;
    o.zone_movable_percent = 60;
    std::map<std::string, int> classes;
    int known = 0, migrated = 0;
    const int n = 300;
    for (const auto& s : sample(gen_scenario612(o), n, 31)) {
        ASSERT_EQ(s.kernel, k61) << harness::print_scenario(s);
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        const harness::Verdict v = harness::execute(s);
        classes[rc_class(s, v)]++;
        for (const auto& f : v.failures)
            known += f.known_issue.find("Linux 6.1") != std::string::npos;
        for (const auto& sp : v.trace.sites)
            migrated += !sp.failed && sp.site == kernel::AllocSite::migrate_pages;
    }
    std::string dist;
    for (const auto& [k, c] : classes)
        dist += "  " + k + ": " + std::to_string(c) + "\n";
    EXPECT_GE(classes["full"] * 100, n * 15) << dist;
    EXPECT_GE(classes["partial"] * 100, n * 5) << dist;
    EXPECT_GE(classes["-EFAULT"] * 100, n * 5) << dist;
    EXPECT_GE(migrated, 5) << dist;
    EXPECT_GE(known, 1) << "no generated scenario met a known 6.1 behaviour\n" << dist;
    std::printf("6.1 outcomes over %d generated scenarios (%d passed migrate_pages, %d failures classified as known "
                "6.1 behaviours):\n%s",
                n, migrated, known, dist.c_str());
}

}  // namespace
}  // namespace gupfuzz::props
