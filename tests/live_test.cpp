// SPDX-License-Identifier: GPL-2.0-only
//
// The live comparison's own logic (core/live/live.h), without the host: the
// planner names why a scenario is not comparable; the decision fires on every
// kind of difference and only on one; the generator is deterministic and
// gives only layouts the planner accepts.  tests/live_cells_test.sh runs real
// cells on the host.
#include <gtest/gtest.h>

#include <set>

#include "core/harness/normalize.h"
#include "core/live/live.h"
#include "tests/test_util.h"

namespace gupfuzz {
namespace {

// A host that offers everything (the planner only reads these facts).
live::HostInfo full_host() {
    live::HostInfo h;
    h.kernel = "test";
    h.io_uring = h.odirect = h.tmpdir_disk = h.pfns = h.cap_ipc_lock = true;
    h.tmpdir = "/tmp";
    h.tmpdir_fs = "ext4";
    h.thp = static_cast<int>(kernel::ThpMode::madvise);
    return h;
}

const char* kAnon = R"(kernel 6.12
vma 0x10000000-0x10004000 anon rw- private
pre touch-write 0x10000000 4
)";

harness::Scenario with_call(const std::string& head, const std::string& call) {
    return test::parse_or_die(head + call + "\n");
}

TEST(LivePlan, NotComparableNamesItsReason) {
    const live::HostInfo h = full_host();
    struct Case {
        std::string text, reason;
    } cases[] = {
        {"kernel 6.12\nfile fsdax size=512\nvma 0x10000000-0x10200000 file=0 rw- shared\n"
         "call pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM pages=array\n",
         "file 0 is fsdax: no DAX filesystem on this host"},
        {"kernel 6.12\nconfig hugetlb_pool=2\nfile hugetlbfs size=512\nvma 0x10000000-0x10200000 file=0 rw- shared\n"
         "call pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM pages=array\n",
         "file 0 is hugetlbfs: this host has 0 free 2 MiB huge pages (none reserved: /proc/sys/vm/nr_hugepages)"},
        {std::string(kAnon) + "fail anon_page 1\ncall pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM pages=array\n",
         "injected faults"},
        {std::string(kAnon) + "call pin_user_pages start=0x10000000 nr=1 flags=LONGTERM pages=array\n",
         "a read-only FOLL_LONGTERM pin"},
        {std::string(kAnon) + "call get_user_pages start=0x10000000 nr=1 flags=WRITE pages=array\n", "FOLL_GET"},
        {"kernel 6.12\nconfig zone_movable=y\nvma 0x10000000-0x10001000 anon rw- private\n"
         "call pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM pages=array\n",
         "ZONE_MOVABLE"},
        {"kernel 6.12\nvma 0x10000000-0x10001000 anon rw- private\npre swapout 0x10000000\n"
         "call pin_user_pages start=0x10000000 nr=1 flags=WRITE|LONGTERM pages=array\n",
         "pre swapout 0x10000000"},
        {"vma 0x10000000-0x10001000 anon rw- private\n"
         "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=read\n",
         "a v4.15 scenario"},
    };
    for (const auto& c : cases) {
        const harness::Scenario s = test::parse_or_die(c.text);
        const live::Plan p = live::plan(s, h);
        EXPECT_FALSE(p.comparable) << c.text;
        EXPECT_NE(p.reason.find(c.reason), std::string::npos) << "reason: " << p.reason << "\nwanted: " << c.reason;
        // compare() reports it without building anything, as NOT COMPARABLE with the reason.
        const live::Comparison cmp = live::compare("t", s, h);
        EXPECT_EQ(cmp.outcome, live::Comparison::Outcome::not_comparable);
        EXPECT_NE(cmp.report().find("NOT COMPARABLE: " + p.reason), std::string::npos) << cmp.report();
    }
}

// `gupfuzz live --kernel 6.1`: a 6.1 scenario is planned as a 6.12 one is (the
// host caller is chosen from the call alone) and the simulated side keeps 6.1.
TEST(LivePlan, Kernel61IsComparableLike612) {
    const live::HostInfo h = full_host();
    harness::Scenario s = with_call(kAnon, "call pin_user_pages start=0x10000000 nr=4 flags=WRITE|LONGTERM pages=array");
    const live::Plan a = live::plan(s, h);
    s.kernel = harness::Kernel::v6_1;
    const live::Plan b = live::plan(s, h);
    ASSERT_TRUE(a.comparable) << a.reason;
    ASSERT_TRUE(b.comparable) << b.reason;
    EXPECT_EQ(a.entry, b.entry);
    EXPECT_EQ(b.sim.kernel, harness::Kernel::v6_1);
    EXPECT_EQ(a.sim.kernel, harness::Kernel::v6_12);
}

TEST(LivePlan, HostWithoutIoUringOrODirect) {
    live::HostInfo h = full_host();
    h.io_uring = false;
    h.io_uring_why = "io_uring_setup: -EPERM";
    h.odirect = false;
    h.odirect_why = "open(O_DIRECT): -EINVAL";
    const live::Plan a = live::plan(with_call(kAnon, "call pin_user_pages_fast start=0x10000000 nr=4 flags=WRITE|LONGTERM pages=array"), h);
    EXPECT_FALSE(a.comparable);
    EXPECT_EQ(a.reason, "io_uring unavailable: io_uring_setup: -EPERM");
    const live::Plan b = live::plan(with_call(kAnon, "call pin_user_pages_fast start=0x10000000 nr=4 flags=WRITE pages=array"), h);
    EXPECT_FALSE(b.comparable);
    EXPECT_EQ(b.reason, "O_DIRECT unavailable: open(O_DIRECT): -EINVAL");
}

TEST(LivePlan, EachCallHasItsHostEntry) {
    const live::HostInfo h = full_host();
    struct Case {
        const char* call;
        live::HostEntry entry;
    } cases[] = {
        {"call pin_user_pages start=0x10000000 nr=4 flags=WRITE|LONGTERM pages=array", live::HostEntry::io_uring_register},
        {"call pin_user_pages_fast start=0x10000000 nr=4 flags=WRITE pages=array", live::HostEntry::odirect_read},
        {"call pin_user_pages_unlocked start=0x10000000 nr=4 flags=0 pages=array", live::HostEntry::odirect_write},
        {"call pin_user_pages_remote start=0x10000000 nr=4 flags=WRITE pages=array", live::HostEntry::process_vm_writev},
        {"call pin_user_pages_remote start=0x10000000 nr=4 flags=0 pages=array", live::HostEntry::process_vm_readv},
    };
    for (const auto& c : cases) {
        const live::Plan p = live::plan(with_call(kAnon, c.call), h);
        ASSERT_TRUE(p.comparable) << c.call << ": " << p.reason;
        EXPECT_EQ(p.entry, c.entry) << c.call;
        // The simulated side runs the function the host caller calls.
        const bool remote = c.entry == live::HostEntry::process_vm_readv || c.entry == live::HostEntry::process_vm_writev;
        EXPECT_EQ(p.sim.call.entry, remote ? k612::Call::pin_user_pages_remote : k612::Call::pin_user_pages_fast);
        EXPECT_EQ(p.sim.call.gup_flags, p.sim.call.gup_flags);
    }
}

// The decision: equal sides agree; every kind of difference disagrees; a host
// that could not build is NOT COMPARABLE, a simulated side that failed disagrees.
TEST(LiveDecide, FiresOnEachDifference) {
    live::Comparison base;
    base.plan.comparable = true;
    base.plan.entry = live::HostEntry::io_uring_register;
    live::PageState present{true, false, true, 0x100};
    base.host.ran = base.sim.ran = true;
    base.host.before = base.sim.before = {present, {}};
    base.host.after = base.sim.after = {present, {}};
    {
        live::Comparison c = base;
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::agree) << c.report();
    }
    {
        live::Comparison c = base;
        c.sim.rc = -14;
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::disagree);
        EXPECT_EQ(c.reason(), "verdict: host 0 (success), simulated -EFAULT");
    }
    {
        live::Comparison c = base;
        c.host.after[1].present = true;  // the host faulted a page in, the model did not
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::disagree);
        EXPECT_NE(c.reason().find("pagemap after the call at 0x1000: host P, simulated -"), std::string::npos) << c.reason();
    }
    {
        live::Comparison c = base;
        c.sim.before[0].exclusive = !c.sim.before[0].exclusive;
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::disagree);
    }
    {
        live::Comparison c = base;
        c.host.after[0].pfn = 0x200;  // the host replaced the page, the model kept it
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::disagree);
        live::Comparison d = c;
        live::decide(d, false);  // without host pfns that is not observable
        EXPECT_EQ(d.outcome, live::Comparison::Outcome::agree);
    }
    {
        live::Comparison c = base;
        c.host.error = "mmap of vma 0: -EINVAL";
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::not_comparable);
        EXPECT_EQ(c.reason(), "the host could not build it: mmap of vma 0: -EINVAL");
    }
    {
        live::Comparison c = base;
        c.sim.error = "the simulated call did not return";
        c.sim.ran = false;
        live::decide(c, true);
        EXPECT_EQ(c.outcome, live::Comparison::Outcome::disagree);
    }
}

TEST(LiveGenerate, DeterministicValidAndComparable) {
    const live::HostInfo h = full_host();
    std::set<live::HostEntry> entries;
    for (std::uint64_t i = 0; i < 300; ++i) {
        const harness::Scenario s = live::generate_case(42, i);
        EXPECT_EQ(s, live::generate_case(42, i));
        EXPECT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        const live::Plan p = live::plan(s, h);
        EXPECT_TRUE(p.comparable) << p.reason << "\n" << harness::print_scenario(s);
        entries.insert(p.entry);
    }
    EXPECT_EQ(entries.size(), 5u) << "every host entry is generated";
    EXPECT_NE(live::generate_case(42, 0), live::generate_case(43, 0));
    // Every byte string is a case, the empty one too.
    EXPECT_EQ(harness::to_string(harness::validate(live::generate(nullptr, 0))), "");
}

}  // namespace
}  // namespace gupfuzz
