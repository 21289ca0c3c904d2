// SPDX-License-Identifier: GPL-2.0-only
//
// Every oracle fires on a deliberately broken port.  Each row names a
// defect compiled into gupfuzz_core_defects, a scenario that reaches it, and
// the property that must then fail.  The same scenario must pass on the
// correct port (Defect::none), so the failure is the defect's doing.
#include "core/gup/entry.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::Property;
using port::Defect;

struct DefectScope {
    explicit DefectScope(Defect d) { port::set_active_defect(d); }
    ~DefectScope() { port::set_active_defect(Defect::none); }
};

const char* kAnonThenFsdax =
    "file fsdax size=512\n"
    "vma 0x10000000-0x10004000 anon rw- private\n"
    "vma 0x10004000-0x10008000 file=0 rw- shared pgoff=0\n"
    "pre touch-write 0x10000000 2\n"
    "call start=0x10000000 nr=8 flags=WRITE pages=array vmas=null sem=read\n";

struct Row {
    Defect defect;
    Property property;
    const char* scenario;
};

const Row kRows[] = {
    {Defect::bad_errno, Property::P1_rc_range,
     "vma 0x10000000-0x10001000 anon rw- private\ncall start=0x20000000 nr=1 flags=0 pages=array vmas=null sem=read\n"},
    {Defect::einval_after_alloc, Property::P2_einval_pure,
     "vma 0x10000000-0x10001000 anon rw- private\ncall start=0x10000000 nr=1 flags=0 pages=null vmas=null sem=read\n"},
    {Defect::kcalloc_efault, Property::P3_kcalloc,
     "vma 0x10000000-0x10001000 anon rw- private\nfail kcalloc_vmas 1\n"
     "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n"},
    {Defect::rollback_short, Property::P4_no_leak_on_error, kAnonThenFsdax},
    {Defect::devmap_pgmap_leak, Property::P5_exact_pins,
     "config fsdax_ischr_fix=y\nfile devdax size=512 align=512\nvma 0x40000000-0x40200000 file=0 rw- shared pgoff=0\n"
     "call start=0x40000000 nr=4 flags=WRITE pages=array vmas=null sem=read\n"},
    {Defect::thp_head_page, Property::P6_correspondence,
     "vma 0x40000000-0x40200000 anon rw- private hugepage\npre touch-write 0x40000000 1\n"
     "call start=0x40001000 nr=2 flags=WRITE pages=array vmas=null sem=read\n"},
    {Defect::scan_first_vma_only, Property::P7_fsdax_rule, kAnonThenFsdax},
    {Defect::stop_at_vma_boundary, Property::P8_partial_prefix,
     "vma 0x10000000-0x10004000 anon rw- private\nvma 0x10004000-0x10008000 anon r-- private\n"
     "call start=0x10000000 nr=8 flags=0 pages=array vmas=null sem=read\n"},
    {Defect::vmas_not_freed, Property::P9_vmas_ownership, kAnonThenFsdax},
    {Defect::drop_mmap_sem, Property::P10_mmap_sem,
     "vma 0x10000000-0x10004000 anon rw- private\ncall start=0x10000000 nr=2 flags=WRITE pages=array vmas=null sem=read\n"},
    {Defect::rollback_double_put, Property::P11_refcount_sanity, kAnonThenFsdax},
    {Defect::no_foll_cow, Property::P12_termination,
     "file regular size=4\nvma 0x10000000-0x10004000 file=0 r-- private pgoff=0\n"
     "call start=0x10000000 nr=1 flags=WRITE|FORCE pages=array vmas=null sem=read\n"},
    {Defect::skip_write_check, Property::P13_write_cow,
     "file regular size=4\nvma 0x10000000-0x10004000 file=0 r-- private pgoff=0\npre touch-read 0x10000000 1\n"
     "call start=0x10000000 nr=1 flags=WRITE|FORCE pages=array vmas=null sem=read\n"},
    // Dirty COW as a race: only the interleaved zap + read fault between the
    // COW fault and the retry exposes the missing dirty test.
    {Defect::foll_cow_no_dirty, Property::P13_write_cow,
     "file regular size=4\nvma 0x10000000-0x10004000 file=0 r-- private pgoff=0\npre touch-read 0x10000000 1\n"
     "interleave retry 1 dontneed 0x10000000\ninterleave retry 1 read-fault 0x10000000\n"
     "call start=0x10000000 nr=1 flags=WRITE|FORCE pages=array vmas=null sem=read\n"},
    {Defect::fault_always_write, Property::P14_zero_page_read,
     "vma 0x10000000-0x10004000 anon rw- private\ncall start=0x10000000 nr=2 flags=0 pages=array vmas=null sem=read\n"},
    {Defect::alias_rejects_null, Property::P16_alias,
     "config fs_dax=n\nvma 0x10000000-0x10004000 anon rw- private\n"
     "call start=0x10000000 nr=2 flags=0 pages=null vmas=null sem=read\n"},
    {Defect::scan_exit_eq, Property::P17_signedness,
     "vma 0x10000000-0x10004000 anon rw- private\nstub-gup-rc -14\n"
     "call start=0x10000000 nr=2 flags=0 pages=array vmas=null sem=read\n"},
};

void PrintTo(const Row& r, std::ostream* os) {
    *os << harness::property_id(r.property) << "/" << port::defect_name(r.defect);
}

class OracleFires : public ::testing::TestWithParam<Row> {};

TEST_P(OracleFires, OnItsDefectAndNotOnTheCorrectPort) {
    const Row& row = GetParam();
    harness::Scenario s = parse_or_die(row.scenario);
    {
        DefectScope none(Defect::none);
        harness::Verdict ok = harness::execute(s);
        EXPECT_TRUE(ok.passed()) << "correct port:\n" << ok.report(s);
    }
    DefectScope scope(row.defect);
    harness::Verdict bad = harness::execute(s);
    EXPECT_TRUE(has_failure(bad, row.property))
        << "defect " << port::defect_name(row.defect) << " should make " << harness::property_id(row.property)
        << " fail:\n" << bad.report(s);
    for (const auto& f : bad.failures)
        EXPECT_TRUE(f.known_issue.empty()) << "a port defect must not be reported as a known kernel behaviour";
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
    return std::string(harness::property_id(info.param.property)) + "_" + port::defect_name(info.param.defect);
}

INSTANTIATE_TEST_SUITE_P(EveryProperty, OracleFires, ::testing::ValuesIn(kRows), row_name);

// The same defect is invisible without the interleaving: the sequential
// Dirty COW scenarios pass on it.
TEST(OracleFires, FollCowNoDirtyNeedsAnInterleaving) {
    DefectScope scope(Defect::foll_cow_no_dirty);
    for (const char* name : {"dirty-cow-force-write.scn", "dirty-cow-force-write-unmapped.scn"}) {
        const std::string path = std::string(GUPFUZZ_SOURCE_DIR) + "/corpus/conformance/" + name;
        harness::Scenario s = parse_or_die(read_file(path));
        harness::Verdict v = harness::execute(s);
        EXPECT_TRUE(v.passed()) << name << ":\n" << v.report(s);
    }
}

// The pin-lifetime rule of the interleaved oracle set ("no block referenced
// by a live pin is freed or handed to another file"): a longterm call that
// lets filesystem-DAX through, and a truncate as it returns.
TEST(OracleFires, PinLifetimeOnALeakedFsdaxPin) {
    harness::Scenario s = parse_or_die(std::string(kAnonThenFsdax).insert(
        std::string(kAnonThenFsdax).find("call "), "interleave return 1 truncate 0x10004000\n"));
    {
        DefectScope none(Defect::none);
        harness::Verdict ok = harness::execute(s);
        EXPECT_TRUE(ok.passed()) << ok.report(s);
    }
    DefectScope scope(Defect::scan_first_vma_only);
    harness::Verdict bad = harness::execute(s);
    const std::string rep = bad.report(s);
    EXPECT_NE(rep.find("FAILED P7 (-EOPNOTSUPP iff filesystem-DAX in the pinned prefix): no block referenced by a live "
                       "pin is freed or handed to another file, but pages[4]: filesystem-DAX block pfn"),
              std::string::npos)
        << rep;
}

TEST(OracleFires, EveryPropertyHasADefect) {
    // The v4.15 properties.  The 6.12 ones (R*) are shown to fire by
    // tests/oracle612_test.cpp (doctored outcomes) until the 6.12 defect
    // patches (core/kernel612/defects) run in this test.
    for (int p = 0; p < static_cast<int>(Property::R1_rc_range); ++p) {
        bool covered = false;
        for (const auto& r : kRows)
            covered |= static_cast<int>(r.property) == p;
        EXPECT_TRUE(covered) << harness::property_id(static_cast<Property>(p)) << " has no defect test";
    }
}

#if defined(__SANITIZE_ADDRESS__)
#define GUPFUZZ_HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GUPFUZZ_HAVE_ASAN 1
#endif
#endif

// `unsigned long i` in get_user_pages_longterm: with a negative rc the scan
// runs off the end of the vmas array.  AddressSanitizer is the oracle here.
TEST(OracleFiresDeathTest, UnsignedIndexOverrunsTheVmasArray) {
#ifdef GUPFUZZ_HAVE_ASAN
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    harness::Scenario s = parse_or_die(
        "vma 0x10000000-0x10004000 anon rw- private\nstub-gup-rc -14\n"
        "call start=0x10000000 nr=2 flags=0 pages=array vmas=null sem=read\n");
    EXPECT_DEATH(
        {
            port::set_active_defect(Defect::unsigned_index);
            harness::execute(s);
        },
        "AddressSanitizer: heap-buffer-overflow");
#else
    GTEST_SKIP() << "needs the AddressSanitizer build (the default preset)";
#endif
}

// This binary links the defect build (gupfuzz_core_defects); the default
// build's own check is Variants.DefaultBuildHasNoDefects in gupfuzz_tests and
// the ctest port.default_build_has_no_defect_symbols.
TEST(DefectBuild, LinksEveryDefect) {
    EXPECT_TRUE(port::defects_compiled_in());
    for (int d = 1; d < static_cast<int>(Defect::COUNT); ++d) {
        if (std::string(port::defect_generation(static_cast<Defect>(d))) != "v4.15")
            continue;  // a 6.12 defect: Defect612Build.LinksEveryDefect (tests/defect612_test.cpp)
        int variants = 0;
        for (const port::GupEntry* e : port::entries())
            variants += e->key.defect == static_cast<Defect>(d);
        EXPECT_GT(variants, 0) << port::defect_name(static_cast<Defect>(d)) << " has no variant (core/gup/defects/)";
    }
}

// A defect runs on its own variant wherever its patch changes compiled,
// reachable code, and on the correct port of that configuration elsewhere.
TEST(DefectBuild, EveryConfigurationResolves) {
    for (int d = 1; d < static_cast<int>(Defect::COUNT); ++d)
        for (int bits = 0; bits < 16; ++bits) {
            port::VariantKey k;
            k.fs_dax = bits & 1;
            k.pmd_loop_fix = bits & 2;
            k.fsdax_ischr_fix = bits & 4;
            k.gup_stub = bits & 8;
            k.defect = static_cast<Defect>(d);
            const port::GupEntry& e = port::entry_for(k);
            port::VariantKey own = port::canonical(k);
            port::VariantKey correct = own;
            correct.defect = Defect::none;
            EXPECT_TRUE(e.key == own || e.key == correct) << port::variant_name(k) << " ran as " << e.ns;
            if (e.key == correct) {
                for (const port::GupEntry* other : port::entries()) {
                    EXPECT_FALSE(other->key == own) << port::variant_name(k) << " exists but was not chosen";
                }
            }
        }
}

TEST(DefectBuild, DefectsComeOnlyWhenAsked) {
    ASSERT_TRUE(port::set_active_defect(Defect::none));
    kernel::KernelConfig c;
    EXPECT_EQ(port::entry_for(c, false).key.defect, Defect::none);
    ASSERT_TRUE(port::set_active_defect(Defect::rollback_short));
    EXPECT_EQ(port::entry_for(c, false).key.defect, Defect::rollback_short);
    port::set_active_defect(Defect::none);
}

}  // namespace
}  // namespace gupfuzz::test
