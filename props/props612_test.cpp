// SPDX-License-Identifier: GPL-2.0-only
//
// Scenario properties on the real mm/gup.c of Linux 6.12 (built and run only
// when the 6.12 kernel is linked; ctest label props;kernel612): the
// generation-independent ledger laws over generated `kernel 6.12` scenarios
// (gen_scenario612), every 6.12 oracle at once, determinism (execute() twice,
// a Session twice, the two agreeing), the round trips, and checks on the
// generator (validity through the one normalizer, coverage of the outcomes).
// ctest runs them with RC_PARAMS="seed=1 max_success=100" (props/CMakeLists.txt).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <map>

#include "props/gen.h"
#include "props/laws.h"

namespace gupfuzz::props {
namespace {

RC_GTEST_PROP(Law612, NoLeak, ()) { law612(Law612::no_leak); }
RC_GTEST_PROP(Law612, ExactPins, ()) { law612(Law612::exact_pins); }
RC_GTEST_PROP(Law612, Sanity, ()) { law612(Law612::sanity); }
RC_GTEST_PROP(Law612, Termination, ()) { law612(Law612::termination); }
RC_GTEST_PROP(Oracles612, AllHold, ()) { all_oracles612(); }
RC_GTEST_PROP(Determinism612, SameScenarioSameReportAndState, ()) { determinism612(); }
RC_GTEST_PROP(RoundTrip612, Text, ()) { text_round_trip612(); }
RC_GTEST_PROP(RoundTrip612, Bytes, ()) { bytes_round_trip612(); }

std::vector<harness::Scenario> sample612(int n, std::uint64_t seed, const GenOptions& o = {}) {
    return sample(gen_scenario612(o), n, seed);
}

TEST(Generator612, EveryScenarioIsValidAndOf612) {
    for (const auto& s : sample612(1000, 21)) {
        ASSERT_EQ(s.kernel, harness::Kernel::v6_12) << harness::print_scenario(s);
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        ASSERT_EQ(harness::normalize(s), s) << harness::print_scenario(s);
    }
}

TEST(Generator612, CoversTheOutcomes) {
    ASSERT_TRUE(harness::kernel_available(harness::Kernel::v6_12)) << harness::kernel_unavailable_reason(harness::Kernel::v6_12);
    std::map<std::string, int> classes, entries;
    int migrated = 0, migration_fault = 0, eopnotsupp = 0, invalid = 0;
    const int n = 400;
    GenOptions o;  // migration and its failures more often than by default
    o.zone_movable_percent = 60;
    o.migration_fault_percent = 50;
    for (const auto& s : sample612(n, 23, o)) {
        const harness::Verdict v = harness::execute(s);
        classes[rc_class(s, v)]++;
        entries[harness::entry_name(s.call.entry)]++;
        eopnotsupp += v.rc == -EOPNOTSUPP;
        bool moved = false, injected = false;
        for (const auto& sp : v.trace.sites) {
            moved |= !sp.failed && sp.site == kernel::AllocSite::migrate_pages;
            injected |= sp.failed && (sp.site == kernel::AllocSite::isolate_lru || sp.site == kernel::AllocSite::migrate_pages);
        }
        migrated += moved;
        migration_fault += injected;
        for (const auto& note : v.notes)
            invalid += note.find("invalid arguments") != std::string::npos;
    }
    std::string dist;
    for (const auto& [k, c] : classes)
        dist += "  " + k + ": " + std::to_string(c) + "\n";
    for (const auto& [k, c] : entries)
        dist += "  entry " + k + ": " + std::to_string(c) + "\n";
    EXPECT_GE(classes["full"] * 100, n * 15) << dist;
    EXPECT_GE(classes["partial"] * 100, n * 5) << dist;
    EXPECT_GE(classes["-EFAULT"] * 100, n * 5) << dist;
    EXPECT_GE(classes["-ENOMEM"], 1) << dist;
    EXPECT_GE(eopnotsupp, 1) << dist;
    EXPECT_GE(migrated, 5) << dist;
    EXPECT_GE(migration_fault, 1) << dist;
    EXPECT_GE(invalid, 3) << dist;
    std::printf("6.12 outcomes over %d generated scenarios (%d passed migrate_pages, %d with an injected isolation or "
                "migration failure, %d invalid-argument calls):\n%s",
                n, migrated, migration_fault, invalid, dist.c_str());
}

}  // namespace
}  // namespace gupfuzz::props
