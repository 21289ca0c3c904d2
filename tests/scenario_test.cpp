// SPDX-License-Identifier: GPL-2.0-only
//
// The text form: located errors, graceful rejects of bad input, round trips.
#include <random>

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
        {"fail pte_alloc 0\n", 1, "occurrence"},
        {"fault 0x10000 explode\n", 1, "unknown code"},
        {"call start=0 nr=1 flags=WRITE|MLOCK\n", 1, "unknown flag"},
        {"call start=0 nr=1\nvma 0x10000-0x11000 anon rw- private\n", 2, "nothing may follow"},
        {"vma 0x10000-0x11000 anon rw- private\n", 1, "missing the call line"},
        // Validation errors (line 0: about the whole scenario).
        {"vma 0x11000-0x10000 anon rw- private\ncall start=0 nr=1\n", 0, "start must be below end"},
        {"vma 0x10000-0x11000 anon rw- shared\ncall start=0 nr=1\n", 0, "shmem"},
        {"file devdax size=512 align=512\nvma 0x10000-0x210000 file=0 rw- shared\ncall start=0 nr=1\n", 0, "aligned"},
        {"file devdax size=512 align=512\nvma 0x200000-0x400000 file=0 rw- private\ncall start=0 nr=1\n", 0, "private"},
        {"call start=0 nr=99999999999\n", 0, "nr above"},
        {"config hugetlb_pool=100000\ncall start=0 nr=1\n", 0, "hugetlb_pool"},
        {"file regular size=0\ncall start=0 nr=1\n", 0, "size must be"},
        {"vma 0x10000-0x11000 file=3 rw- private\ncall start=0 nr=1\n", 0, "does not exist"},
        {"stub-gup-rc 5\ncall start=0 nr=1\n", 0, "negative errno"},
        {"pre touch-read 0x10000 99999\ncall start=0 nr=1\n", 0, "page count"},
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

}  // namespace
}  // namespace gupfuzz::test
