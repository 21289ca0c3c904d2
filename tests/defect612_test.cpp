// SPDX-License-Identifier: GPL-2.0-only
//
// The oracles of kernels 6.12 and 6.1 catch each deliberate defect of the
// real mm/gup.c (core/kernel612/defects/NAME.patch for 6.12,
// core/kernel612/defects-6.1/NAME.patch for 6.1, applied to a copy of the tree
// at build time and linked as its own variant; docs/defects.md).  The seeds
// of the defect's kernel (what ci/seeds gives the fuzzer: corpus/conformance-6.12
// as `kernel 6.12`, and the same cells as `kernel 6.1`, the k61- seeds) are
// replayed on the tree as shipped and on each defect variant: on the defect,
// some scenario must fail a property it does not fail on the tree as shipped,
// and the property named in the patch's `Caught by:` line must be among them.
// Built only where the real kernel is linked (ctest label "defects").
#include <cstdio>
#include <map>
#include <sstream>
#include <tuple>

#include "core/gup/entry.h"
#include "core/harness/differential.h"
#include "core/harness/normalize.h"
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

// The kernel a defect's patch belongs to, and where its patch is.
harness::Kernel kernel_of(Defect d) {
    return std::string(port::defect_generation(d)) == "6.1" ? harness::Kernel::v6_1 : harness::Kernel::v6_12;
}
const char* patch_dir(Defect d) {
    return kernel_of(d) == harness::Kernel::v6_1 ? "core/kernel612/defects-6.1" : "core/kernel612/defects";
}

// Every seed of kernel k (the text scenarios ci/seeds encodes: the 6.12
// conformance corpus and any `kernel 6.12` regression or fuzzer seed; for 6.1
// the conformance cells as `kernel 6.1` but those naming a FOLL_* flag 6.1
// lacks, and any `kernel 6.1` seed), run on the active variant.
std::map<std::string, Replay> replay_seeds(harness::Kernel k) {
    std::map<std::string, Replay> out;
    for (const char* dir : {"corpus/conformance-6.12", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& f : corpus_files(dir)) {
            harness::Scenario s = parse_or_die(read_file(f));
            if (k == harness::Kernel::v6_1 && s.kernel == harness::Kernel::v6_12 &&
                std::string(dir) == "corpus/conformance-6.12") {
                s.kernel = harness::Kernel::v6_1;
                if (!harness::to_string(harness::validate(s)).empty())
                    continue;
            }
            if (s.kernel != k)
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
    const std::string text = read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / patch_dir(d) /
                                       (std::string(port::defect_name(d)) + ".patch"));
    const auto at = text.find("\nCaught by: ");
    if (at == std::string::npos)
        return "";
    std::istringstream in(text.substr(at + 12));
    std::string id;
    in >> id;
    return id;
}

std::vector<Defect> defects_of(const char* generation) {
    std::vector<Defect> out;
    for (int d = 1; d < static_cast<int>(Defect::COUNT); ++d)
        if (std::string(port::defect_generation(static_cast<Defect>(d))) == generation)
            out.push_back(static_cast<Defect>(d));
    return out;
}
std::vector<Defect> defects612() { return defects_of("6.12"); }

class Defect612 : public ::testing::TestWithParam<Defect> {
protected:
    static const std::map<std::string, Replay>& shipped(harness::Kernel k) {
        static const std::map<std::string, Replay> r612 = replay_seeds(harness::Kernel::v6_12);
        static const std::map<std::string, Replay> r61 = replay_seeds(harness::Kernel::v6_1);
        return k == harness::Kernel::v6_1 ? r61 : r612;
    }
};

TEST_P(Defect612, OraclesCatchItFromTheSeeds) {
    const Defect d = GetParam();
    const harness::Kernel k = kernel_of(d);
    const char* gen = port::defect_generation(d);
    ASSERT_TRUE(harness::kernel_available(k)) << harness::kernel_unavailable_reason(k);
    const std::string want = caught_by(d);
    ASSERT_FALSE(want.empty()) << patch_dir(d) << "/" << port::defect_name(d) << ".patch has no `Caught by:` line";
    const auto& base = shipped(k);
    ASSERT_GE(base.size(), 40u);
    DefectScope scope(d);
    ASSERT_TRUE(scope.ok) << port::defect_name(d) << ": this binary has no variant of it";
    const std::string tree = k612::tree_description(k == harness::Kernel::v6_1 ? 601 : 612);
    EXPECT_NE(tree.find(std::string(patch_dir(d)) + "/" + port::defect_name(d) + ".patch"), std::string::npos)
        << "the " << gen << " calls do not run on the defect's variant: " << tree;
    std::set<std::string> caught;
    std::string first_report;
    int scenarios = 0;
    for (const auto& [file, r] : replay_seeds(k)) {
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
    EXPECT_TRUE(caught.count(want)) << port::defect_name(d) << " must fail " << want << " on some " << gen
                                    << " seed; it fails" << (all.empty() ? std::string(" nothing") : all);
    std::printf("%s: %d %s seed(s) fail on it (%s)\n", port::defect_name(d), scenarios, gen,
                all.c_str() + (all.empty() ? 0 : 1));
    if (!first_report.empty())
        std::printf("first report naming %s:\n%s\n", want.c_str(), first_report.c_str());
}

INSTANTIATE_TEST_SUITE_P(Kernel612, Defect612, ::testing::ValuesIn(defects612()),
                         [](const ::testing::TestParamInfo<Defect>& i) { return port::defect_name(i.param); });
// Linux 6.1's own defects, judged by the same contract on the k61- seeds.
INSTANTIATE_TEST_SUITE_P(Kernel61, Defect612, ::testing::ValuesIn(defects_of("6.1")),
                         [](const ::testing::TestParamInfo<Defect>& i) { return port::defect_name(i.param); });

// Every 6.12 and 6.1 defect patch has its enum value and its variant in this
// binary, each variant runs its own generation's tree, and a defect of one
// generation leaves the other generations' code alone.
TEST(Defect612Build, LinksEveryDefect) {
    for (const auto& [gen, dir, generation] : {std::tuple{"6.12", "core/kernel612/defects", 612},
                                               std::tuple{"6.1", "core/kernel612/defects-6.1", 601}}) {
        std::set<std::string> patches;
        for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(GUPFUZZ_SOURCE_DIR) / dir))
            if (e.path().extension() == ".patch")
                patches.insert(e.path().stem().string());
        std::set<std::string> linked;
        for (const k612::Variant& v : k612::variants())
            if (v.defect != Defect::none && v.table->generation == generation)
                linked.insert(port::defect_name(v.defect));
        EXPECT_EQ(linked, patches) << dir << "/*.patch and the linked " << gen << " variants differ";
        std::set<std::string> enumerated;
        for (Defect d : defects_of(gen))
            enumerated.insert(port::defect_name(d));
        EXPECT_EQ(enumerated, patches) << "port::Defect's " << gen << " entries and " << dir << "/*.patch differ";
    }
    for (Defect d : port::kernel612_defects())
        EXPECT_NE(std::string(port::defect_generation(d)), "v4.15");
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
        EXPECT_EQ(k612::active_variant(601).defect, Defect::none);
    }
    {
        DefectScope scope(Defect::movable_check_skipped);
        ASSERT_TRUE(scope.ok);
        EXPECT_EQ(k612::active_variant(601).defect, Defect::movable_check_skipped);
        EXPECT_EQ(k612::active_variant(612).defect, Defect::none);
    }
    EXPECT_EQ(k612::active_variant().defect, Defect::none);
}

// The differential (core/harness/differential.h, `gupfuzz diff`) calls a
// departure of 6.1 that no known behaviour explains a finding: here 6.1 with
// its movable check skipped pins ZONE_MOVABLE memory where 6.12 migrates it.
TEST(Defect612Build, DiffCallsA61DefectAFinding) {
    const auto cell = std::filesystem::path(GUPFUZZ_SOURCE_DIR) / "corpus/conformance-6.12/movable-anon-rw-pin.scn";
    const harness::Scenario s = parse_or_die(read_file(cell));
    EXPECT_EQ(harness::diff_61_612("movable-anon-rw-pin", s).cls, harness::DiffClass::same);
    DefectScope scope(Defect::movable_check_skipped);
    ASSERT_TRUE(scope.ok);
    const harness::DiffCell c = harness::diff_61_612("movable-anon-rw-pin", s);
    EXPECT_EQ(c.cls, harness::DiffClass::finding) << harness::diff_class_name(c.cls) << "\n" << c.k61.report;
    EXPECT_TRUE(c.k61.failed.count("R6")) << c.k61.report;
    EXPECT_NE(c.reason.find("6.1 departs"), std::string::npos) << c.reason;
}

}  // namespace
}  // namespace gupfuzz::test
