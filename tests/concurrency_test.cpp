// SPDX-License-Identifier: GPL-2.0-only
//
// Yield points and interleavings (docs/concurrency.md): the plan's text and
// byte forms, the lock rules (refused at parse time, and at run time when a
// Session's caller holds mmap_sem otherwise), the passes counted in the
// trace, the schedule in a report, the shared operation set, and the
// seed's purpose across a pin's lifetime (filesystem-DAX truncate + block
// reuse under plain get_user_pages; refused by get_user_pages_longterm;
// device-DAX pinned and safe).
#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "core/harness/session.h"
#include "core/kernel/mm_ops.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::Property;
using kernel::MmOp;
using kernel::YieldPoint;

const char* kDirtyCow =
    "file regular size=4\n"
    "vma 0x10000000-0x10004000 file=0 r-- private pgoff=0\n"
    "pre touch-read 0x10000000 1\n"
    "interleave retry 1 dontneed 0x10000000\n"
    "interleave retry 1 read-fault 0x10000000\n"
    "call start=0x10000000 nr=1 flags=WRITE|FORCE pages=array vmas=null sem=read\n";

std::string parse_error(const std::string& text) {
    harness::ParseError err;
    auto s = harness::parse_scenario(text, &err);
    return s ? std::string() : err.to_string();
}

TEST(Interleave, TextRoundTrip) {
    harness::Scenario s = parse_or_die(kDirtyCow);
    ASSERT_EQ(s.plan.interleaves.size(), 2u);
    EXPECT_EQ(s.plan.interleaves[0].point, YieldPoint::retry);
    EXPECT_EQ(s.plan.interleaves[1].op, MmOp::read_fault);
    const std::string text = harness::print_scenario(s);
    EXPECT_NE(text.find("interleave retry 1 dontneed 0x10000000\n"), std::string::npos) << text;
    EXPECT_EQ(parse_or_die(text), s);
}

TEST(Interleave, BytesRoundTrip) {
    harness::Scenario s = parse_or_die(kDirtyCow);
    const auto bytes = harness::encode_scenario(s);
    EXPECT_EQ(harness::decode_scenario(bytes.data(), bytes.size()), s);
    // Without interleavings the encoding holds no escape: every input saved
    // before them decodes as it did.
    harness::Scenario plain = s;
    plain.plan.interleaves.clear();
    const auto pb = harness::encode_scenario(plain);
    for (std::size_t i = 0; i + 1 < pb.size(); ++i)
        EXPECT_FALSE(pb[i] == 0xff && pb[i + 1] == 0xa5) << "escape at byte " << i;
}

TEST(Interleave, LockRulesRefuseAtParseTimeWithTheLine) {
    const std::string write_op = parse_error(
        "vma 0x10000000-0x10004000 anon rw- private\n"
        "interleave retry 1 munmap 0x10000000\n"
        "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=read\n");
    EXPECT_NE(write_op.find("line 2: interleave 0: munmap takes mmap_sem for write"), std::string::npos) << write_op;
    const std::string read_under_write = parse_error(
        "vma 0x10000000-0x10004000 anon rw- private\n"
        "fail pte_alloc 3\n"
        "interleave fault-entry 1 dontneed 0x10000000\n"
        "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=write\n");
    EXPECT_NE(read_under_write.find("line 3: interleave 0: madvise(MADV_DONTNEED) takes mmap_sem for read, and the "
                                    "caller holds it for write"),
              std::string::npos)
        << read_under_write;
    // Operations without mmap_sem are fine under sem=write (ib_umem_get's mode).
    EXPECT_EQ(parse_error("file regular size=4\nvma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
                          "interleave fault-entry 1 truncate 0x10000000\n"
                          "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=write\n"),
              "");
    EXPECT_NE(parse_error("vma 0x10000000-0x10004000 anon rw- private\ninterleave somewhere 1 dontneed 0x10000000\n"
                          "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n")
                  .find("unknown yield point"),
              std::string::npos);
}

TEST(Interleave, NormalizeDropsWhatTheLockRulesRefuse) {
    harness::Scenario s = parse_or_die(kDirtyCow);
    s.plan.interleaves.push_back({YieldPoint::retry, 1, MmOp::munmap, 0x10000000, 1});
    s.call.sem = harness::SemMode::write;  // and now dontneed/read-fault need mmap_sem for read
    const harness::Scenario n = harness::normalize(s);
    EXPECT_TRUE(n.plan.interleaves.empty());
    EXPECT_TRUE(harness::validate(n).empty());
}

TEST(Interleave, YieldPassesAreCounted) {
    harness::Scenario s = parse_or_die(kDirtyCow);
    s.plan.interleaves.clear();
    const harness::Verdict v = harness::execute(s);
    ASSERT_TRUE(v.passed()) << v.report(s);
    const auto& y = v.trace.yield_passes;
    auto at = [&](YieldPoint p) { return y[static_cast<std::size_t>(p)]; };
    // One page, mapped read-only: lookup (NULL), write fault (COW), retry, lookup (the copy).
    EXPECT_EQ(at(YieldPoint::resched), 1u);
    EXPECT_EQ(at(YieldPoint::retry), 1u);
    EXPECT_EQ(at(YieldPoint::fault_entry), 1u);
    EXPECT_EQ(at(YieldPoint::fault_exit), 1u);
    EXPECT_EQ(at(YieldPoint::pte_unlock), 2u);
    EXPECT_EQ(at(YieldPoint::caller_return), 1u);
    EXPECT_TRUE(v.trace.interleaved.empty());
}

TEST(Interleave, DirtyCowRaceOnTheFixedPortPinsAnAnonymousCopy) {
    harness::Scenario s = parse_or_die(kDirtyCow);
    const harness::Verdict v = harness::execute(s);
    const std::string rep = v.report(s);
    EXPECT_TRUE(v.passed()) << rep;
    ASSERT_EQ(v.rc, 1);
    ASSERT_EQ(v.trace.interleaved.size(), 2u);
    EXPECT_TRUE(v.trace.interleaved[0].ran && v.trace.interleaved[1].ran) << rep;
    // The schedule, in kernel words.
    EXPECT_NE(rep.find("schedule: at the 1st retry (cond_resched after faultin_page returned 0"), std::string::npos) << rep;
    EXPECT_NE(rep.find("thread B of the same process: madvise(MADV_DONTNEED) [0x10000000, 0x10001000)"),
              std::string::npos)
        << rep;
    // Two COW faults: one before the strike, one after it (the dirty test refused the clean page-cache pte).
    EXPECT_EQ(v.trace.faults_per_page.at(0x10000000), 2u) << rep;
}

TEST(Interleave, RuntimeLockRulesInASession) {
    // A Session's plan is not normalized: the model itself refuses an
    // operation the caller's lock excludes, and says so.
    harness::Session s(parse_or_die("vma 0x10000000-0x10004000 anon rw- private\n"
                                    "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n"));
    kernel::FaultPlan plan;
    plan.interleaves.push_back({YieldPoint::caller_return, 1, MmOp::dontneed, 0x10000000, 1});
    s.arm(plan);
    s.down_write();
    kernel::page* pages[1] = {};
    const auto r = s.get_user_pages_longterm(0x10000000, 1, kernel::FOLL_WRITE, pages, nullptr);
    s.up_write();
    ASSERT_EQ(r.rc, 1);
    const auto& runs = s.world().trace.interleaved;
    ASSERT_EQ(runs.size(), 1u);
    EXPECT_FALSE(runs[0].ran);
    EXPECT_NE(runs[0].outcome.find("refused: needs mmap_sem for read, which the GUP caller holds for write"),
              std::string::npos)
        << runs[0].outcome;
    s.put_page(pages[0]);
    // Between calls, munmap needs mmap_sem free.
    s.down_read();
    EXPECT_NE(s.run_op(MmOp::munmap, 0x10000000, 1).find("refused"), std::string::npos);
    s.up_read();
    bool ran = false;
    EXPECT_EQ(s.run_op(MmOp::munmap, 0x10000000, 1, &ran), "unmapped [0x10000000, 0x10001000)");
    EXPECT_TRUE(ran);
}

TEST(Interleave, PageTableLockIsCheckedAndEveryReleaseYields) {
    kernel::World w;
    kernel::WorldScope scope(w);
    kernel::spinlock_t* l = kernel::pmd_lock(&w.mm, nullptr);
    EXPECT_EQ(l->held, 1);
    kernel::pmd_lock(&w.mm, nullptr);
    ASSERT_EQ(w.trace.violations.size(), 1u);
    EXPECT_NE(w.trace.violations[0].find("taken while it is held"), std::string::npos);
    kernel::spin_unlock(l);
    kernel::spin_unlock(l);
    ASSERT_EQ(w.trace.violations.size(), 2u);
    EXPECT_NE(w.trace.violations[1].find("released that is not held"), std::string::npos);
    EXPECT_EQ(w.trace.yield_passes[static_cast<std::size_t>(YieldPoint::pmd_unlock)], 2u);
}

// The shared operations on pinned pages keep the reference ledger: zap,
// truncate, punch and swap-out leave the pin holding exactly its
// references; migration refuses a pinned page.
TEST(Interleave, OperationsOnPinnedPagesKeepTheLedger) {
    struct Case {
        const char* text;
        const char* outcome;  // part of what the operation says
    };
    const Case cases[] = {
        {"vma 0x10000000-0x10004000 anon rw- private\ninterleave return 1 swapout 0x10000000\n"
         "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=read\n",
         "swapped out (pinned: it stays, unmapped)"},
        {"vma 0x10000000-0x10004000 anon rw- private\ninterleave return 1 migrate 0x10000000\n"
         "call start=0x10000000 nr=1 flags=WRITE pages=array vmas=null sem=read\n",
         "not migrated (-EAGAIN"},
        {"file regular size=4\nvma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
         "interleave return 1 truncate 0x10000000\n"
         "call start=0x10000000 nr=2 flags=WRITE pages=array vmas=null sem=read\n",
         "truncated from 4 to 0 pages: mappings zapped (COW copies too), 2 page-cache page(s) deleted"},
        {"file shmem size=4\nvma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
         "interleave pte-unlock 1 punch 0x10000000 4\n"
         "call start=0x10000000 nr=2 flags=WRITE pages=array vmas=null sem=read\n",
         "punched"},
        {"vma 0x10000000-0x10004000 anon rw- private\ninterleave fault-exit 1 dontneed 0x10000000 4\n"
         "call start=0x10000000 nr=2 flags=WRITE pages=array vmas=null sem=read\n",
         "zapped [0x10000000, 0x10004000)"},
    };
    for (const Case& c : cases) {
        harness::Scenario s = parse_or_die(c.text);
        const harness::Verdict v = harness::execute(s);
        const std::string rep = v.report(s);
        EXPECT_TRUE(v.passed()) << rep;
        EXPECT_GT(v.rc, 0) << rep;
        ASSERT_FALSE(v.trace.interleaved.empty()) << rep;
        EXPECT_NE(v.trace.interleaved[0].outcome.find(c.outcome), std::string::npos) << rep;
        EXPECT_NE(v.balance.find("all page references back to baseline"), std::string::npos) << rep;
    }
}

// ---- The seed's purpose across a pin's lifetime ----

const char* kFsdax =
    "file fsdax size=16 pgmap=live\n"
    "file fsdax size=16 pgmap=live\n"
    "vma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
    "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n";

// Before 2bb6d2837083, an RDMA driver pinned with plain get_user_pages.
// The file is then truncated (blocks freed, v4.15 waits for nothing) and
// another file allocates: it gets the block the device still writes into.
TEST(FsdaxLifetime, PlainGetUserPagesPinSurvivesTruncateAndBlockReuse) {
    harness::Session s(parse_or_die(kFsdax));
    kernel::page* pages[4] = {};
    s.down_read();
    const auto r = s.get_user_pages(0x10000000, 4, kernel::FOLL_WRITE, pages, nullptr);
    s.up_read();
    ASSERT_EQ(r.rc, 4);
    const unsigned long pfn0 = pages[0]->pfn();
    EXPECT_EQ(s.fsdax_owner(pfn0), "file #0 page 0");
    const std::vector<kernel::page*> pinned(pages, pages + 4);
    EXPECT_TRUE(s.check_pin_lifetime(pinned, true).empty());
    bool ran = false;
    const std::string out = s.run_op(MmOp::truncate, 0x10000000, 1, &ran);
    EXPECT_TRUE(ran) << out;
    EXPECT_EQ(s.fsdax_owner(pfn0), "free");
    // File #1 (same filesystem) allocates its page 0: the freed block.
    EXPECT_EQ(s.fsdax_allocate(1, 0), pfn0);
    EXPECT_EQ(s.fsdax_owner(pfn0), "file #1 page 0");
    const std::vector<harness::Failure> f = s.check_pin_lifetime(pinned, true);
    ASSERT_EQ(f.size(), 5u);  // four blocks freed under the pin, one handed to file #1
    for (const auto& x : f) {
        EXPECT_EQ(x.property, Property::P7_fsdax_rule);
        EXPECT_NE(x.message.find("no block referenced by a live pin is freed or handed to another file"),
                  std::string::npos);
        EXPECT_NE(x.known_issue.find("2bb6d2837083"), std::string::npos);
    }
    EXPECT_NE(f.back().message.find("now belongs to file #1 page 0"), std::string::npos) << f.back().message;
    for (kernel::page* p : pages)
        s.put_page(p);
    EXPECT_TRUE(s.new_violations().empty());
}

// The same caller with get_user_pages_longterm: refused, nothing pinned,
// the truncate and the reuse touch nothing anyone references.
TEST(FsdaxLifetime, LongtermRefusesAndNothingIsLost) {
    harness::Session s(parse_or_die(kFsdax));
    kernel::page* pages[4] = {};
    s.down_read();
    const auto r = s.get_user_pages_longterm(0x10000000, 4, kernel::FOLL_WRITE, pages, nullptr);
    s.up_read();
    ASSERT_EQ(r.rc, -EOPNOTSUPP);
    for (kernel::page* p : s.head_pages())
        EXPECT_EQ(harness::Session::gup_refs(p), 0) << s.describe_page(p);
    bool ran = false;
    s.run_op(MmOp::truncate, 0x10000000, 1, &ran);
    EXPECT_TRUE(ran);
    EXPECT_NE(s.fsdax_allocate(1, 0), 0UL);
    EXPECT_TRUE(s.world().trace.lifetime.empty());
    EXPECT_TRUE(s.check_pin_lifetime(s.head_pages(), false).empty());
}

// Device-DAX: the pin is allowed (with the S_ISCHR fix) and safe, because
// /dev/dax has no truncate: no block ever changes owner.
TEST(FsdaxLifetime, DeviceDaxIsPinnedAndSafe) {
    harness::Session s(parse_or_die("config fsdax_ischr_fix=y\nfile devdax size=16 align=1 pgmap=live\n"
                                    "vma 0x10000000-0x10004000 file=0 rw- shared pgoff=0\n"
                                    "call start=0x10000000 nr=1 flags=0 pages=array vmas=null sem=read\n"));
    kernel::page* pages[4] = {};
    s.down_read();
    const auto r = s.get_user_pages_longterm(0x10000000, 4, kernel::FOLL_WRITE, pages, nullptr);
    s.up_read();
    ASSERT_EQ(r.rc, 4);
    bool ran = true;
    const std::string out = s.run_op(MmOp::truncate, 0x10000000, 1, &ran);
    EXPECT_FALSE(ran);
    EXPECT_NE(out.find("device-DAX has no fallocate"), std::string::npos) << out;
    EXPECT_TRUE(s.check_pin_lifetime(std::vector<kernel::page*>(pages, pages + 4), false).empty());
    for (kernel::page* p : pages)
        s.put_page(p);
    EXPECT_TRUE(s.new_violations().empty());
}

}  // namespace
}  // namespace gupfuzz::test
