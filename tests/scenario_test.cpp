// SPDX-License-Identifier: GPL-2.0-only
//
// The text form: located errors, graceful rejects of bad input, round trips.
#include <random>

#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "core/harness/session.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::ParseError;
using harness::parse_scenario;

const char* kValid =
    "config fs_dax=y thp=madvise gate=n pmd_loop_fix=y fsdax_ischr_fix=n hugetlb_pool=2\n"
    "file fsdax size=512 pgmap=dying\n"
    "file devdax size=1024 align=512 pgmap=live\n"
    "file hugetlbfs size=1024\n"
    "vma 0x10000-0x20000 anon rw- private growsdown locked\n"
    "vma 0x40000000-0x40200000 file=0 r-x private hugepage pgoff=0\n"
    "vma 0x40200000-0x40400000 file=1 rw- shared pgoff=512\n"
    "vma 0x80000000-0x80400000 file=2 rw- private nohugepage pgoff=0\n"
    "pre touch-write 0x10000 3\n"
    "pre swapout 0x11000\n"
    "fail pte_alloc 2\n"
    "fail kcalloc_vmas 1\n"
    "fault 0x40001000 hwpoison\n"
    "signal 7\n"
    "stub-gup-rc -14\n"
    "call start=0x10008 nr=9 flags=WRITE|FORCE|HWPOISON pages=array vmas=array sem=write\n";

TEST(ScenarioText, CanonicalTextRoundTrips) {
    ParseError err;
    auto s = parse_scenario(kValid, &err);
    ASSERT_TRUE(s) << err.to_string();
    EXPECT_EQ(harness::print_scenario(*s), kValid);
    EXPECT_EQ(s->vmas.size(), 4u);
    EXPECT_EQ(s->plan.failures.size(), 2u);
    EXPECT_EQ(s->plan.signal_at_check, 7u);
    EXPECT_EQ(*s->plan.gup_rc_stub, -14);
    EXPECT_EQ(s->call.gup_flags, kernel::FOLL_WRITE | kernel::FOLL_FORCE | kernel::FOLL_HWPOISON);
}

TEST(ScenarioText, CommentsAndBlankLinesAreIgnored) {
    auto s = parse_scenario("# hello\n\n  vma 0x10000-0x11000 anon rw- private # trailing\ncall start=0x10000 nr=1 flags=0 pages=array vmas=null sem=read\n", nullptr);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->vmas.size(), 1u);
}

struct BadCase {
    const char* text;
    int line;
    const char* needle;
};

TEST(ScenarioText, ErrorsAreLocatedAndExplained) {
    const BadCase cases[] = {
        {"call start=0x1000\n", 1, "start= and nr= are required"},
        {"vma 0x1000 anon rw- private\ncall start=0 nr=1\n", 1, "bad range"},
        {"\n\nbogus 1\n", 3, "unknown keyword"},
        {"config fs_dax=maybe\ncall start=0 nr=1\n", 1, "unknown setting"},
        {"file weird size=1\n", 1, "unknown kind"},
        {"vma 0x10000-0x11000 anon rwx? private\n", 1, "protection"},
        {"pre touch-sideways 0x10000\n", 1, "unknown operation"},
        {"fail nowhere 1\n", 1, "unknown allocation site"},
        {"fault 0x10000 explode\n", 1, "unknown code"},
        {"call start=0 nr=1 flags=WRITE|MLOCK\n", 1, "unknown flag"},
        {"call start=0 nr=1\nvma 0x10000-0x11000 anon rw- private\n", 2, "nothing may follow"},
        {"vma 0x10000-0x11000 anon rw- private\n", 1, "missing the call line"},
        // Rule errors (normalize.h), at the line of the item that breaks the rule.
        {"fail pte_alloc 0\ncall start=0 nr=1\n", 1, "fail 0: occurrence"},
        {"vma 0x11000-0x10000 anon rw- private\ncall start=0 nr=1\n", 1, "vma 0: start must be below end"},
        {"vma 0x10000-0x11000 anon rw- shared\ncall start=0 nr=1\n", 1, "shmem"},
        {"file devdax size=512 align=512\nvma 0x10000-0x210000 file=0 rw- shared\ncall start=0 nr=1\n", 2, "aligned"},
        {"file devdax size=512 align=512\nvma 0x200000-0x400000 file=0 rw- private\ncall start=0 nr=1\n", 2, "private"},
        {"call start=0 nr=99999999999\n", 1, "call: nr above"},
        {"# c\nconfig hugetlb_pool=100000\ncall start=0 nr=1\n", 2, "config: hugetlb_pool"},
        {"file regular size=1\nfile regular size=0\ncall start=0 nr=1\n", 2, "file 1: size must be"},
        {"vma 0x10000-0x11000 file=3 rw- private\ncall start=0 nr=1\n", 1, "does not exist"},
        {"stub-gup-rc 5\ncall start=0 nr=1\n", 1, "negative errno"},
        {"pre touch-read 0x10000 99999\ncall start=0 nr=1\n", 1, "page count"},
        {"vma 0x10000-0x11000 anon rw- private\nvma 0x10000-0x12000 anon rw- private\ncall start=0 nr=1\n", 2,
         "vma 1: overlaps"},
        {"pre touch-read 0x10000 4000\n\npre touch-read 0x20000 97\ncall start=0 nr=1\n", 3, "pre 1: pre-state touches more"},
        {"fault 0x10000 sigbus\nfault 0x10800 sigbus\ncall start=0 nr=1\n", 2, "fault 1: address must be page aligned"},
        {"signal 2000000\ncall start=0 nr=1\n", 1, "signal: check number above"},
        // CONFIG_FS_DAX=n: S_DAX is 0; no filesystem-DAX file, no device-DAX mapping.
        {"config fs_dax=n\nfile fsdax size=16\ncall start=0 nr=1\n", 2, "file 0: filesystem-DAX does not exist with CONFIG_FS_DAX=n"},
        {"config fs_dax=n\nfile devdax size=512 align=512\nvma 0x200000-0x400000 file=0 rw- shared\ncall start=0 nr=1\n", 3,
         "vma 0: device-DAX cannot be mapped with CONFIG_FS_DAX=n"},
    };
    for (const auto& c : cases) {
        ParseError err;
        auto s = parse_scenario(c.text, &err);
        EXPECT_FALSE(s) << c.text;
        EXPECT_EQ(err.line, c.line) << c.text << " -> " << err.to_string();
        EXPECT_NE(err.message.find(c.needle), std::string::npos) << c.text << " -> " << err.to_string();
    }
}

TEST(ScenarioText, GarbageNeverCrashesTheParser) {
    std::mt19937_64 rng(12345);  // fixed seed: deterministic
    const std::string alphabet = "vmacl fiepr=x0123456789-|#\n\t";
    for (int i = 0; i < 3000; ++i) {
        std::string text;
        const int len = static_cast<int>(rng() % 200);
        for (int k = 0; k < len; ++k)
            text += (rng() % 4 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
        ParseError err;
        auto s = parse_scenario(text, &err);
        if (!s)
            EXPECT_FALSE(err.message.empty());
        else
            EXPECT_TRUE(harness::validate(*s).empty());
    }
}

TEST(ScenarioText, DescribeNamesTheLayoutInKernelTerms) {
    auto s = parse_scenario(kValid, nullptr);
    ASSERT_TRUE(s);
    const std::string d = harness::describe_layout(*s);
    EXPECT_NE(d.find("filesystem-DAX file (S_IFREG|0644, S_DAX)"), std::string::npos) << d;
    EXPECT_NE(d.find("device-DAX /dev/dax (S_IFCHR|0600"), std::string::npos) << d;
    EXPECT_NE(d.find("fail the 2nd pte_alloc"), std::string::npos) << d;
    EXPECT_NE(d.find("SIGKILL pending from the 7th"), std::string::npos) << d;
    EXPECT_NE(d.find("mmap_sem held for write"), std::string::npos) << d;
}


// ---- normalize() and validate() (core/harness/normalize.h) ----

TEST(Normalize, ChangesNoCorpusScenario) {
    std::size_t n = 0;
    for (const char* dir : {"corpus/conformance", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& path : corpus_files(dir)) {
            const harness::Scenario s = parse_or_die(read_file(path));
            EXPECT_EQ(harness::normalize(s), s) << path;
            ++n;
        }
    EXPECT_GT(n, 0u);
}

// Deterministic wild scenarios: every field from edge values or noise.
harness::Scenario wild(std::mt19937_64& rng) {
    auto pick = [&](std::initializer_list<unsigned long> v) { return rng() % 3 == 0 ? rng() : v.begin()[rng() % v.size()]; };
    harness::Scenario s;
    s.config.fs_dax = rng() & 1;
    s.config.thp = static_cast<kernel::ThpMode>(rng() % 4);
    s.hugetlb_pool = pick({0, 64, 65});
    for (unsigned i = rng() % 11; i > 0; --i)
        s.files.push_back({static_cast<kernel::FileKind>(rng() % 8), pick({0, 1, 511, 512, 513, 262144, 1UL << 20, (1UL << 20) + 1}),
                           pick({0, 1, 2, 512, 262144}), static_cast<bool>(rng() & 1)});
    for (unsigned i = rng() % 19; i > 0; --i) {
        harness::VmaSpec v;
        v.start = pick({0, 0x10000, 0x10800, 0x40000000, 0x40200000, kernel::TASK_SIZE - 0x1000, kernel::TASK_SIZE});
        v.end = v.start + pick({0, 0x1000, 0x200000, 0x40000000, 0x800});
        v.file = static_cast<int>(rng() % (s.files.size() + 3)) - 1;
        v.pfnmap = rng() & 1;
        v.write = rng() & 1;
        v.shared = rng() & 1;
        v.maywrite = rng() & 1;
        v.growsdown = rng() % 4 == 0;
        v.huge = static_cast<int>(rng() % 7) - 3;
        v.pgoff = pick({0, 1, 512, 262144, 1UL << 20, (1UL << 20) + 1});
        s.vmas.push_back(v);
    }
    for (unsigned i = rng() % 70; i > 0; --i)
        s.pre.push_back({static_cast<harness::PreKind>(rng() % 16), pick({0x10000, 0x10001, 0x40000000}), pick({0, 1, 2, 4096, 4097})});
    for (unsigned i = rng() % 36; i > 0; --i)
        s.plan.failures.push_back({static_cast<kernel::AllocSite>(rng() % 20), static_cast<unsigned>(pick({0, 1, 100000, 100001}))});
    for (unsigned i = rng() % 36; i > 0; --i)
        s.plan.codes.push_back({pick({0x10000, 0x10001}), static_cast<int>(pick({kernel::VM_FAULT_SIGBUS, kernel::VM_FAULT_OOM, 0, 7}))});
    s.plan.signal_at_check = static_cast<unsigned>(pick({0, 1, 1000000, 1000001}));
    if (rng() & 1)
        s.plan.gup_rc_stub = static_cast<long>(pick({static_cast<unsigned long>(-1L), static_cast<unsigned long>(-4096L), 0, 5}));
    s.call.start = pick({0x10000, 0x10008});
    s.call.nr_pages = pick({0, 1, 1024, 1UL << 20, (1UL << 20) + 1});
    s.call.gup_flags = static_cast<unsigned>(rng());
    return s;
}

TEST(Normalize, RepairsAnyScenarioAndValidateIsItsFixedPoint) {
    std::mt19937_64 rng(2026);  // fixed seed
    for (int i = 0; i < 5000; ++i) {
        const harness::Scenario s = wild(rng);
        const harness::Scenario n = harness::normalize(s);
        ASSERT_EQ(harness::to_string(harness::validate(n)), "") << harness::print_scenario(s);
        // The identity half on these valid scenarios (and on the corpus above;
        // props/normalize_test.cpp adds the property generator's).
        ASSERT_EQ(harness::normalize(n), n) << harness::print_scenario(n);
        if (harness::validate(s).empty()) {
            ASSERT_EQ(n, s) << harness::print_scenario(s);
        }
        const auto bytes = harness::encode_scenario(n);
        ASSERT_EQ(harness::decode_scenario(bytes.data(), bytes.size()), n) << harness::print_scenario(n);
    }
}

TEST(Normalize, EachRuleIsReportedAtItsItem) {
    harness::Scenario s = parse_or_die("vma 0x10000-0x11000 anon rw- private\ncall start=0x10000 nr=1\n");
    s.vmas.push_back({0x10000, 0x12000});  // overlaps vma 0
    s.pre.push_back({harness::PreKind::touch_read, 0x10001, 1});
    const std::vector<harness::Problem> p = harness::validate(s);
    ASSERT_EQ(p.size(), 2u) << harness::to_string(p);
    EXPECT_EQ(p[0].part, harness::Part::vma);
    EXPECT_EQ(p[0].index, 1u);
    EXPECT_EQ(p[1].to_string(), "pre 0: address must be page aligned");
    const harness::Scenario n = harness::normalize(s);
    EXPECT_EQ(n.vmas[1].start, 0x11000u);  // moved after vma 0, length kept
    EXPECT_EQ(n.vmas[1].end, 0x13000u);
    EXPECT_EQ(n.pre[0].addr, 0x10000u);
}

// CONFIG_FS_DAX=n (S_DAX is 0): filesystem-DAX files become page-cache files,
// device-DAX mappings are left out (dax_mmap's check_vma refuses them), other
// vmas stay where they are.
TEST(Normalize, NoDaxMappingWithoutFsDax) {
    harness::Scenario s = parse_or_die(
        "file fsdax size=16 pgmap=dying\nfile devdax size=512 align=512\n"
        "vma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
        "vma 0x40000000-0x40200000 file=1 rw- shared pgoff=0\n"
        "vma 0x50000000-0x50001000 anon rw- private\n"
        "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n");
    ASSERT_TRUE(harness::validate(s).empty());
    s.config.fs_dax = false;
    const std::vector<harness::Problem> p = harness::validate(s);
    ASSERT_EQ(p.size(), 2u) << harness::to_string(p);
    EXPECT_EQ(p[0].part, harness::Part::file);
    EXPECT_EQ(p[1].part, harness::Part::vma);
    EXPECT_EQ(p[1].index, 1u);
    const harness::Scenario n = harness::normalize(s);
    ASSERT_EQ(n.files.size(), 2u);
    EXPECT_EQ(n.files[0].kind, kernel::FileKind::regular);
    EXPECT_TRUE(n.files[0].pgmap_live);
    EXPECT_EQ(n.files[1].kind, kernel::FileKind::devdax);  // the device exists; only its mmap fails
    ASSERT_EQ(n.vmas.size(), 2u);
    EXPECT_EQ(n.vmas[0], s.vmas[0]);
    EXPECT_EQ(n.vmas[1], s.vmas[2]);
    // The byte form leaves the device-DAX vma out too (later vmas are placed
    // by their gap from the vma before, so they move down).
    const auto bytes = harness::encode_scenario(s);
    const harness::Scenario d = harness::decode_scenario(bytes.data(), bytes.size());
    EXPECT_EQ(d.files, n.files);
    ASSERT_EQ(d.vmas.size(), 2u);
    EXPECT_EQ(d.vmas[0], n.vmas[0]);
    EXPECT_EQ(d.vmas[1].file, -1);
}

TEST(Normalize, SessionMmapRefusesDeviceDaxWithoutFsDax) {
    harness::Scenario base = parse_or_die("config fs_dax=n\ncall start=0x10000 nr=1\n");
    harness::Session session(base);
    const int f = session.add_file({kernel::FileKind::devdax, 512, 512, true});
    harness::VmaSpec v;
    v.start = 0x40000000;
    v.end = 0x40200000;
    v.file = f;
    v.shared = true;
    v.write = true;
    EXPECT_EQ(session.mmap(v), -EINVAL);
    EXPECT_THROW(session.add_file({kernel::FileKind::fsdax, 16, 1, true}), std::invalid_argument);
    harness::Session with_dax(parse_or_die("call start=0x10000 nr=1\n"));
    v.file = with_dax.add_file({kernel::FileKind::devdax, 512, 512, true});
    EXPECT_EQ(with_dax.mmap(v), 0);
}

// ---- kernel 6.12 in the text form ----

harness::ParseError parse_error(const std::string& text) {
    harness::ParseError err;
    EXPECT_FALSE(harness::parse_scenario(text, &err)) << text;
    return err;
}

TEST(Scenario612, CallLineNamesTheEntryAnd612Flags) {
    const harness::Scenario s = parse_or_die(
        "kernel 6.12\nvma 0x10000000-0x10002000 anon rw- private\n"
        "call pin_user_pages_fast start=0x10000000 nr=2 flags=WRITE|LONGTERM pages=array\n");
    EXPECT_EQ(s.kernel, harness::Kernel::v6_12);
    EXPECT_EQ(s.call.entry, k612::Call::pin_user_pages_fast);
    EXPECT_EQ(s.call.gup_flags, k612::foll::WRITE | k612::foll::LONGTERM);
    const std::string canon = harness::print_scenario(s);
    EXPECT_NE(canon.find("kernel 6.12\n"), std::string::npos) << canon;
    EXPECT_NE(canon.find("call pin_user_pages_fast start=0x10000000 nr=2 flags=WRITE|LONGTERM pages=array\n"),
              std::string::npos)
        << canon;
    EXPECT_EQ(canon.find("vmas="), std::string::npos) << canon;
    // Internal flags are writable (invalid-argument scenarios).
    EXPECT_EQ(parse_or_die("kernel 6.12\ncall pin_user_pages start=0x10000 nr=1 flags=PIN|TOUCH|FAST_ONLY\n").call.gup_flags,
              k612::foll::PIN | k612::foll::TOUCH | k612::foll::FAST_ONLY);
}

TEST(Scenario612, V415TextIsUnchanged) {
    // No kernel line: v4.15, and its canonical text has none.
    const harness::Scenario s = parse_or_die("call start=0x10000 nr=1 flags=WRITE\n");
    EXPECT_EQ(s.kernel, harness::Kernel::v4_15);
    EXPECT_EQ(harness::print_scenario(s).find("kernel"), std::string::npos);
    EXPECT_EQ(parse_or_die("kernel v4.15\ncall start=0x10000 nr=1 flags=WRITE\n"), s);
}

TEST(Scenario612, LocatedErrors) {
    EXPECT_EQ(parse_error("kernel 6.12\nvma 0x10000000-0x10002000 anon rw- private\n"
                          "call pin_user_pages start=0x10000000 nr=1 flags=0 pages=array vmas=array\n")
                  .to_string(),
              "line 3: call: vmas=array: 6.12's pin_user_pages*/get_user_pages* have no vmas argument (removed in 6.5)");
    EXPECT_NE(parse_error("kernel 6.12\ncall start=0x10000 nr=1\n").message.find("name the entry point first"),
              std::string::npos);
    EXPECT_NE(parse_error("call pin_user_pages start=0x10000 nr=1\n").message.find("v4.15 has one entry point"),
              std::string::npos);
    EXPECT_NE(parse_error("kernel 6.12\ncall pin_user_pages start=0x10000 nr=1 flags=COW\n").message.find("unknown flag 'COW'"),
              std::string::npos);
    EXPECT_NE(parse_error("call start=0x10000 nr=1 flags=LONGTERM\n").message.find("unknown flag"), std::string::npos);
    EXPECT_EQ(parse_error("kernel 6.12\nconfig fs_dax=n\ncall pin_user_pages start=0x10000 nr=1\n").line, 2);
    EXPECT_EQ(parse_error("kernel 6.12\nstub-gup-rc -14\ncall pin_user_pages start=0x10000 nr=1\n").line, 2);
    EXPECT_EQ(parse_error("kernel 6.12\nfail kcalloc_vmas 1\ncall pin_user_pages start=0x10000 nr=1\n").line, 2);
    EXPECT_EQ(parse_error("kernel 6.12\ncall pin_user_pages start=0x10000 nr=1 sem=write\n").line, 2);
    EXPECT_EQ(parse_error("config zone_movable=y\ncall start=0x10000 nr=1\n").line, 1);
    EXPECT_EQ(parse_error("kernel 6.12\nkernel 6.12\ncall pin_user_pages start=0x10000 nr=1\n").line, 2);
    EXPECT_EQ(parse_error("kernel 5.10\ncall start=0x10000 nr=1\n").line, 1);
}

// Kernel 6.1 shares 6.12's call line (entry points, FOLL_* names); what 6.1
// lacks is refused with the reason.
TEST(Scenario61, CallLineAndWhat61Lacks) {
    const harness::Scenario s = parse_or_die(
        "kernel 6.1\nvma 0x10000000-0x10002000 anon rw- private\n"
        "call pin_user_pages_fast start=0x10000000 nr=2 flags=WRITE|LONGTERM pages=array\n");
    EXPECT_EQ(s.kernel, harness::Kernel::v6_1);
    EXPECT_EQ(s.call.gup_flags, k612::foll::WRITE | k612::foll::LONGTERM);
    const std::string canon = harness::print_scenario(s);
    EXPECT_EQ(canon.rfind("kernel 6.1\n", 0), 0U) << canon;
    EXPECT_EQ(parse_or_die(canon), s);
    const auto b = harness::encode_scenario(s);
    EXPECT_EQ(harness::decode_scenario(b.data(), b.size()), s);
    const harness::ParseError numa =
        parse_error("kernel 6.1\ncall pin_user_pages start=0x10000 nr=1 flags=HONOR_NUMA_FAULT|WRITE\n");
    EXPECT_EQ(numa.line, 2);
    EXPECT_NE(numa.message.find("HONOR_NUMA_FAULT do not exist in Linux 6.1"), std::string::npos) << numa.message;
    EXPECT_NE(parse_error("kernel 6.1\nconfig fs_dax=n\ncall pin_user_pages start=0x10000 nr=1\n")
                  .message.find("kernel 6.1 is compiled with Debian's config"),
              std::string::npos);
    EXPECT_EQ(parse_error("kernel 6.1\nfail kcalloc_vmas 1\ncall pin_user_pages start=0x10000 nr=1\n").line, 2);
    EXPECT_NE(parse_error("kernel 6.1\ncall start=0x10000 nr=1\n").message.find("name the entry point first"),
              std::string::npos);
    // zone_movable and the 6.12 fault sites are the real kernels' settings.
    EXPECT_TRUE(parse_or_die("kernel 6.1\nconfig zone_movable=y\nfail migrate_pages 1\n"
                             "call pin_user_pages start=0x10000 nr=1\n")
                    .config.zone_movable);
}

TEST(Scenario612, NormalizeRepairsWhatValidateRefuses) {
    harness::Scenario s = parse_or_die("kernel 6.12\ncall pin_user_pages start=0x10000 nr=1\n");
    s.config.fs_dax = false;
    s.config.pmd_loop_fix = true;
    s.call.vmas = true;
    s.call.sem = harness::SemMode::write;
    s.call.gup_flags = 0xffffffffu;
    s.plan.gup_rc_stub = -14;
    s.plan.failures.push_back({kernel::AllocSite::kcalloc_vmas, 1});
    s.plan.failures.push_back({kernel::AllocSite::pte_alloc, 1});
    EXPECT_NE(harness::to_string(harness::validate(s)), "");
    const harness::Scenario n = harness::normalize(s);
    EXPECT_EQ(harness::to_string(harness::validate(n)), "");
    EXPECT_EQ(harness::normalize(n), n);
    EXPECT_TRUE(n.config.fs_dax);
    EXPECT_FALSE(n.call.vmas);
    EXPECT_EQ(n.call.gup_flags, harness::kAllowedGupFlags612);
    EXPECT_FALSE(n.plan.gup_rc_stub);
    ASSERT_EQ(n.plan.failures.size(), 1u);
    EXPECT_EQ(n.plan.failures[0].site, kernel::AllocSite::pte_alloc);
}

// Mutations of the 6.12 corpus: whatever parses prints back to itself.
TEST(Scenario612, MutatedCorpusTextRoundTrips) {
    std::mt19937_64 rng(612);
    const auto files = corpus_files("corpus/conformance-6.12");
    ASSERT_FALSE(files.empty());
    const char* const words[] = {"kernel 6.12", "kernel v4.15", "pin_user_pages", "get_user_pages_fast", "LONGTERM",
                                 "PIN", "vmas=array", "sem=write", "zone_movable=y", "fs_dax=n", "|", "="};
    std::size_t parsed = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string t = read_file(files[rng() % files.size()]);
        for (int m = 0, n = 1 + static_cast<int>(rng() % 3); m < n; ++m) {
            const std::size_t at = rng() % (t.size() + 1);
            switch (rng() % 3) {
            case 0: t.insert(at, std::string(words[rng() % std::size(words)]) + (rng() % 2 ? " " : "\n")); break;
            case 1: t.erase(at, rng() % 12); break;
            default: t.insert(at, 1, static_cast<char>(0x20 + rng() % 95)); break;
            }
        }
        harness::ParseError err;
        const auto s = harness::parse_scenario(t, &err);
        if (!s) {
            EXPECT_FALSE(err.message.empty()) << t;
            continue;
        }
        ++parsed;
        ASSERT_EQ(harness::to_string(harness::validate(*s)), "") << t;
        const std::string canon = harness::print_scenario(*s);
        const auto again = harness::parse_scenario(canon, &err);
        ASSERT_TRUE(again) << err.to_string() << "\n" << canon;
        ASSERT_EQ(*again, *s) << canon;
    }
    EXPECT_GT(parsed, 100u);
}

}  // namespace
}  // namespace gupfuzz::test
