// SPDX-License-Identifier: GPL-2.0-only
//
// The oracles of kernel 6.12 catch each deliberate defect of the real
// mm/gup.c (core/kernel612/defects/NAME.patch, applied to a copy of the tree
// at build time and linked as its own variant; docs/defects.md).  The 6.12
// seeds (corpus/conformance-6.12, what ci/seeds gives the fuzzer) are replayed
// on the tree as shipped and on each defect variant: on the defect, some
// scenario must fail a property it does not fail on the tree as shipped, and
// the property named in the patch's `Caught by:` line must be among them.
// Built only where the 6.12 kernel is linked (ctest label "defects").
#include <cstdio>
#include <map>
#include <sstream>

#include "core/gup/entry.h"
#include "core/harness/oracle.h"
#include "core/kernel612/entry612.h"
#include "core/kernel612/variants612.h"
#include "tests/test_util.h"

namespace gupfuzz::port {
// GoogleTest prints a parameter by its defect name.
inline void PrintTo(Defect d, std::ostream* os) { *os << defect_name(d); }
}  // namespace gupfuzz::port

namespace gupfuzz::test {
namespace {

using port::Defect;

struct DefectScope {
    explicit DefectScope(Defect d) { ok = port::set_active_defect(d); }
    ~DefectScope() { port::set_active_defect(Defect::none); }
    bool ok = false;
};

struct Replay {
    std::set<std::string> failed;  // property ids (failures the kernel's own known issues explain excluded)
    std::string report;
};

// Every 6.12 seed (the text scenarios ci/seeds encodes: the 6.12 conformance
// corpus and any `kernel 6.12` regression or fuzzer seed), run on the active variant.
std::map<std::string, Replay> replay_seeds() {
    std::map<std::string, Replay> out;
    for (const char* dir : {"corpus/conformance-6.12", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& f : corpus_files(dir)) {
            const harness::Scenario s = parse_or_die(read_file(f));
            if (s.kernel != harness::Kernel::v6_12)
                continue;
            const harness::Verdict v = harness::execute(s);
            Replay r;
            for (const auto& x : v.failures)
                if (x.known_issue.empty())
                    r.failed.insert(harness::property_id(x.property));
            r.report = v.report(s);
            out[std::string(dir) + "/" + f.filename().string()] = r;
        }
    return out;
}

// The property ids a patch's `Caught by:` line names first (the primary oracle).
std::string caught_by(Defect d) {
    const std::string text =
        read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "core/kernel612/defects" /
                  (std::string(port::defect_name(d)) + ".patch"));
    const auto at = text.find("\nCaught by: ");
    if (at == std::string::npos)
        return "";
    std::istringstream in(text.substr(at + 12));
    std::string id;
    in >> id;
    return id;
}

std::vector<Defect> defects612() {
    std::vector<Defect> out;
    for (int d = 1; d < static_cast<int>(Defect::COUNT); ++d)
        if (std::string(port::defect_generation(static_cast<Defect>(d))) == "6.12")
            out.push_back(static_cast<Defect>(d));
    return out;
}

class Defect612 : public ::testing::TestWithParam<Defect> {
protected:
    static const std::map<std::string, Replay>& shipped() {
        static const std::map<std::string, Replay> r = replay_seeds();
        return r;
    }
};

TEST_P(Defect612, OraclesCatchItFromTheSeeds) {
    const Defect d = GetParam();
    const std::string want = caught_by(d);
    ASSERT_FALSE(want.empty()) << "core/kernel612/defects/" << port::defect_name(d) << ".patch has no `Caught by:` line";
    const auto& base = shipped();
    ASSERT_GE(base.size(), 40u);
    DefectScope scope(d);
    ASSERT_TRUE(scope.ok) << port::defect_name(d) << ": this binary has no variant of it";
    const std::string tree = k612::tree_description();
    EXPECT_NE(tree.find(std::string("core/kernel612/defects/") + port::defect_name(d) + ".patch"), std::string::npos)
        << "the 6.12 calls do not run on the defect's variant: " << tree;
    std::set<std::string> caught;
    std::string first_report;
    int scenarios = 0;
    for (const auto& [file, r] : replay_seeds()) {
        std::set<std::string> fresh;
        for (const std::string& p : r.failed)
            if (!base.at(file).failed.count(p))
                fresh.insert(p);
        if (fresh.empty())
            continue;
        ++scenarios;
        caught.insert(fresh.begin(), fresh.end());
        if (first_report.empty() && fresh.count(want))
            first_report = file + ":\n" + r.report;
    }
    std::string all;
    for (const std::string& p : caught)
        all += " " + p;
    EXPECT_TRUE(caught.count(want)) << port::defect_name(d) << " must fail " << want << " on some 6.12 seed; it fails"
                                    << (all.empty() ? std::string(" nothing") : all);
    std::printf("%s: %d 6.12 seed(s) fail on it (%s)\n", port::defect_name(d), scenarios,
                all.c_str() + (all.empty() ? 0 : 1));
    if (!first_report.empty())
        std::printf("first report naming %s:\n%s\n", want.c_str(), first_report.c_str());
}

INSTANTIATE_TEST_SUITE_P(Kernel612, Defect612, ::testing::ValuesIn(defects612()),
                         [](const ::testing::TestParamInfo<Defect>& i) { return port::defect_name(i.param); });

// Every 6.12 defect patch has its enum value and its variant in this binary,
// and a defect of either generation leaves the other generation's code alone.
TEST(Defect612Build, LinksEveryDefect) {
    std::set<std::string> patches;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(GUPFUZZ_SOURCE_DIR) /
                                                             "core/kernel612/defects"))
        if (e.path().extension() == ".patch")
            patches.insert(e.path().stem().string());
    std::set<std::string> linked;
    for (const k612::Variant& v : k612::variants())
        if (v.defect != Defect::none)
            linked.insert(port::defect_name(v.defect));
    EXPECT_EQ(linked, patches) << "core/kernel612/defects/*.patch and the linked variants differ";
    std::set<std::string> enumerated;
    for (Defect d : defects612())
        enumerated.insert(port::defect_name(d));
    EXPECT_EQ(enumerated, patches) << "port::Defect's 6.12 entries and core/kernel612/defects/*.patch differ";
    for (Defect d : port::kernel612_defects())
        EXPECT_EQ(std::string(port::defect_generation(d)), "6.12");
}

TEST(Defect612Build, EachVariantIsItsOwnCode) {
    std::set<const g612_variant*> tables;
    for (const k612::Variant& v : k612::variants())
        EXPECT_TRUE(tables.insert(v.table).second) << port::defect_name(v.defect) << " shares another variant's table";
    // A v4.15 defect runs the 6.12 tree as shipped, a 6.12 defect the correct v4.15 port.
    {
        DefectScope scope(Defect::rollback_short);
        ASSERT_TRUE(scope.ok);
        EXPECT_EQ(k612::active_variant().defect, Defect::none);
    }
    {
        DefectScope scope(Defect::pin_bias_twice);
        ASSERT_TRUE(scope.ok);
        EXPECT_EQ(k612::active_variant().defect, Defect::pin_bias_twice);
        EXPECT_EQ(port::entry_for(kernel::KernelConfig{}, false).key.defect, Defect::none);
    }
    EXPECT_EQ(k612::active_variant().defect, Defect::none);
}

}  // namespace
}  // namespace gupfuzz::test
