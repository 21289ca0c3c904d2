// SPDX-License-Identifier: GPL-2.0-only
//
// The World's big reservations (vmemmap, PageMeta, page-table pages) are
// pooled per process (core/kernel/world.cpp WorldArena): a World hands its
// reservation back with every byte it touched zeroed.  Nothing may survive
// one run into the next: the same scenario gives the same verdict, byte for
// byte, whatever ran before it in the process.  And a pointer into a finished
// World is still caught by ASan (the zeroed ranges are poisoned between Worlds).
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "core/harness/bytes.h"
#include "core/harness/executor.h"
#include "core/harness/oracle.h"
#include "core/kernel/world.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

namespace fs = std::filesystem;
using harness::Scenario;
using harness::Verdict;

// Everything a run reports, and everything its trace recorded, as text.
std::string fingerprint(const Scenario& s, const Verdict& v) {
    std::ostringstream o;
    o << "rc " << v.rc << " crashed " << v.crashed << " crash " << v.crash << "\n";
    for (const auto& p : v.pages)
        o << "page " << p.addr << " " << p.pfn << " " << p.vma << "\n";
    for (const auto& f : v.failures)
        o << "failure " << harness::property_id(f.property) << " " << f.message << " | " << f.known_issue << "\n";
    for (const auto& n : v.notes)
        o << "note " << n << "\n";
    o << "balance " << v.balance << "\nsummary " << v.summary_line() << "\nreport " << v.report(s) << "\n";
    const kernel::Trace& t = v.trace;
    for (const auto& p : t.sites)
        o << "site " << kernel::alloc_site_name(p.site) << " " << p.occurrence << " " << p.addr << " " << p.failed << "\n";
    for (const auto& [a, c] : t.codes_fired)
        o << "code " << a << " " << c << "\n";
    for (const auto& [a, n] : t.faults_per_page)
        o << "faults " << a << " " << n << "\n";
    o << "signals " << t.signal_checks << " " << t.signal_delivered_at << " ram_exhausted " << t.ram_exhausted
      << " kmalloc " << t.kmalloc_live << " " << t.kmalloc_calls << "\n";
    for (const auto& v2 : t.violations)
        o << "violation " << v2 << "\n";
    for (const auto& n : t.notes)
        o << "trace-note " << n << "\n";
    return o.str();
}

std::string run(const Scenario& s) {
    try {
        return fingerprint(s, harness::execute(s));
    } catch (const std::exception& e) {
        return std::string("exception: ") + e.what();
    }
}

Scenario load(const std::string& rel) {
    return parse_or_die(read_file(fs::path(GUPFUZZ_SOURCE_DIR) / rel));
}

std::vector<fs::path> all_scenarios() {
    std::vector<fs::path> out = corpus_files("corpus/conformance");
    if (harness::kernel_available(harness::Kernel::v6_12))
        for (const auto& p : corpus_files("corpus/conformance-6.12"))
            out.push_back(p);
    for (const auto& p : corpus_files("corpus/regressions"))
        out.push_back(p);
    return out;
}

// The brief's case: A, then B (a different world: device DAX, hundreds of
// struct-page sections), then A again in the same process: A's two verdicts
// are identical byte for byte.
TEST(WorldPool, SameScenarioSameVerdictAfterAnother) {
    const Scenario a = load("corpus/conformance/anon-then-fsdax.scn");
    const Scenario b = load("corpus/conformance/devdax-pmd-nohugepage-efault.scn");
    const std::string first = run(a);
    const std::string other = run(b);
    const std::string again = run(a);
    EXPECT_NE(first, other);  // the two runs really differ
    EXPECT_EQ(first, again);
}

// The whole committed corpus (v4.15, 6.12 where linked, regressions) forwards
// and then backwards: every scenario's verdict and trace equal its first run,
// although each time a different world ran before it.
TEST(WorldPool, CorpusVerdictsIndependentOfOrder) {
    const std::vector<fs::path> files = all_scenarios();
    ASSERT_GT(files.size(), 100u);
    std::vector<Scenario> scen;
    for (const auto& f : files)
        scen.push_back(parse_or_die(read_file(f)));
    std::vector<std::string> forward;
    for (const auto& s : scen)
        forward.push_back(run(s));
    for (std::size_t i = scen.size(); i-- > 0;)
        EXPECT_EQ(run(scen[i]), forward[i]) << files[i];
}

// Once every World is gone, the pooled reservations hold nothing but zeros,
// and the pool reuses them (a run does not reserve afresh).
TEST(WorldPool, NothingLeftBehind) {
    for (const auto& f : all_scenarios())
        run(parse_or_die(read_file(f)));
    const kernel::WorldPoolState st = kernel::world_pool_state();
    EXPECT_GE(st.free_arenas, 1u);
    EXPECT_GT(st.resident_pages, 0u);  // the scan saw memory the runs touched (it is not vacuous)
    EXPECT_EQ(st.nonzero_bytes, 0u);
}

// ... and the scan can fail: a World that writes to a struct page it never
// initialised (vmemmap arithmetic into an untouched section, as a model bug
// might) leaves a byte the reset does not know about, and the scan finds it.
TEST(WorldPool, ScanSeesWhatTheResetMissed) {
    const unsigned long pfn = kernel::DEV_BASE_PFN + 60 * kernel::DEV_SPAN_PFN;  // a pgmap slot nobody uses
    {
        kernel::World w;
        reinterpret_cast<kernel::page*>(w.vmemmap_base())[pfn].flags = 1;
    }
    EXPECT_GT(kernel::world_pool_state().nonzero_bytes, 0u);
    {
        kernel::World w;  // the pool hands back the reservation just returned: undo the stray write
        reinterpret_cast<kernel::page*>(w.vmemmap_base())[pfn].flags = 0;
    }
    EXPECT_EQ(kernel::world_pool_state().nonzero_bytes, 0u);
}

// Two Worlds alive at once get two different reservations.
TEST(WorldPool, LiveWorldsDoNotShare) {
    kernel::World w1;
    kernel::World w2;
    EXPECT_NE(w1.vmemmap_base(), w2.vmemmap_base());
    EXPECT_NE(w1.page_offset_base(), w2.page_offset_base());
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GUPFUZZ_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define GUPFUZZ_TEST_ASAN 1
#endif

#if GUPFUZZ_TEST_ASAN
// A struct page of a finished World is poisoned until the next World takes
// the reservation: reading it is a use-after-poison, not a silent zero.
TEST(WorldPoolDeathTest, UseAfterResetIsCaught) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            kernel::page* p = nullptr;
            {
                kernel::World w;
                p = w.zero_page;
            }
            volatile unsigned long f = p->flags;
            (void)f;
        },
        "use-after-poison");
}
#endif

}  // namespace
}  // namespace gupfuzz::test
