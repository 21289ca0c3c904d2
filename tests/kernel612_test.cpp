// SPDX-License-Identifier: GPL-2.0-only
//
// The real, unmodified mm/gup.c of Linux 6.12, linked with the C glue and run
// on the simulated kernel (core/kernel612, entry612.h).  Each test states
// what 6.12 does (port-v6.12.md §3, gup.c line numbers there) and checks it
// on the model's memory: struct pages and page tables are shared with gup.c.
#include <gtest/gtest.h>

#include <vector>

#include "core/kernel/mm_ops.h"
#include "core/kernel/walk.h"
#include "core/kernel/world.h"
#include "core/kernel612/entry612.h"
#include "core/kernel612/variants612.h"

namespace {

using namespace gupfuzz;
using kernel::page;
namespace foll = k612::foll;

constexpr unsigned long kStart = 0x10000000UL;
constexpr unsigned long kBias = 1024;  // GUP_PIN_COUNTING_BIAS (mm.h:1583)

// A 6.12 World with one private anonymous read/write vma of n pages.
struct Anon612 {
    kernel::World w;
    unsigned long n;
    explicit Anon612(unsigned long pages, kernel::ThpMode thp = kernel::ThpMode::never) : n(pages) {
        w.config.generation = 612;
        w.config.thp = thp;  // never: 4 KiB folios, pinned with the bias
        w.insert_vma(kStart, kStart + n * kernel::PAGE_SIZE,
                     kernel::VM_READ | kernel::VM_WRITE | kernel::VM_MAYREAD | kernel::VM_MAYWRITE, nullptr,
                     kStart >> kernel::PAGE_SHIFT);
    }
    // The task touches every page (a user write or read fault), as the pre-state would.
    void touch(bool write) {
        kernel::WorldScope scope(w);
        w.setup_mode = true;
        for (unsigned long i = 0; i < n; ++i)
            ASSERT_EQ(kernel::user_access(w, kStart + i * kernel::PAGE_SIZE, write), 0);
        w.setup_mode = false;
    }
    // The page the task's page table maps at page i (nullptr if none / not present).
    page* mapped(unsigned long i) {
        kernel::WorldScope scope(w);
        kernel::Mapping m = kernel::walk(w, &w.mm, kStart + i * kernel::PAGE_SIZE);
        if (m.level != kernel::Level::pte || !(m.value & kernel::_PAGE_PRESENT))
            return nullptr;
        return w.pfn_to_page((m.value & kernel::PTE_PFN_MASK) >> kernel::PAGE_SHIFT);
    }
    kernel::pteval_t pte(unsigned long i) {
        kernel::WorldScope scope(w);
        return kernel::walk(w, &w.mm, kStart + i * kernel::PAGE_SIZE).value;
    }
};

bool anon_exclusive(const page* p) { return p->flags & (1UL << kernel::PG_anon_exclusive); }

TEST(Kernel612, DescribesTheCompiledTree) {
    EXPECT_NE(std::string(k612::tree_description()).find("6.12"), std::string::npos) << k612::tree_description();
    EXPECT_NE(std::string(k612::tree_description()).find("mm/gup.c sha256 "), std::string::npos)
        << k612::tree_description();
}

// The default build links the tree as shipped and no 6.12 defect variant
// (tests/no_defect_symbols.sh checks the same on the symbols).
// The FOLL_* values the scenario's names are translated through come from each
// variant's own shim (never retyped): 6.12's equal entry612.h's k612::foll, and
// 6.1's are its #defines (include/linux/mm.h:3087-3103 v6.1), with 0 for the
// flags 6.1 does not have.
TEST(Kernel612, EachVariantsFollValuesAreItsKernels) {
    const g612_variant& v612 = *k612::active_variant(612).table;
    EXPECT_EQ(v612.generation, 612);
    EXPECT_EQ(v612.foll[G612_FOLL_WRITE], k612::foll::WRITE);
    EXPECT_EQ(v612.foll[G612_FOLL_GET], k612::foll::GET);
    EXPECT_EQ(v612.foll[G612_FOLL_LONGTERM], k612::foll::LONGTERM);
    EXPECT_EQ(v612.foll[G612_FOLL_PIN], k612::foll::PIN);
    EXPECT_EQ(v612.foll[G612_FOLL_HONOR_NUMA_FAULT], k612::foll::HONOR_NUMA_FAULT);
    EXPECT_EQ(v612.foll[G612_FOLL_MADV_POPULATE], k612::foll::MADV_POPULATE);
    if (!k612::linked(601))
        GTEST_SKIP() << "this build does not link Linux 6.1 (no linux-source-6.1 when it was configured)";
    const g612_variant& v61 = *k612::active_variant(601).table;
    EXPECT_EQ(v61.generation, 601);
    EXPECT_EQ(v61.foll[G612_FOLL_WRITE], 0x01u);
    EXPECT_EQ(v61.foll[G612_FOLL_GET], 0x04u);
    EXPECT_EQ(v61.foll[G612_FOLL_TOUCH], 0x02u);
    EXPECT_EQ(v61.foll[G612_FOLL_LONGTERM], 0x10000u);
    EXPECT_EQ(v61.foll[G612_FOLL_PIN], 0x40000u);
    EXPECT_EQ(v61.foll[G612_FOLL_HONOR_NUMA_FAULT], 0u);
    EXPECT_EQ(v61.foll[G612_FOLL_UNLOCKABLE], 0u);
    EXPECT_NE(std::string(k612::tree_description(601)).find("Linux 6.1."), std::string::npos);
}

TEST(Kernel612, DefaultBuildHasNoDefects) {
    // One variant per linked kernel (6.12, and 6.1 when its tree was installed), each the tree as shipped.
    ASSERT_EQ(k612::variants().size(), k612::linked(601) ? 2u : 1u);
    for (const k612::Variant& v : k612::variants()) {
        EXPECT_EQ(v.defect, port::Defect::none) << v.description;
        EXPECT_EQ(std::string(v.description).find("defects/"), std::string::npos) << v.description;
    }
    EXPECT_TRUE(port::kernel612_defects().empty());
    EXPECT_FALSE(port::defects_compiled_in());
    for (int d = 1; d < static_cast<int>(port::Defect::COUNT); ++d) {
        EXPECT_FALSE(port::set_active_defect(static_cast<port::Defect>(d)));
        EXPECT_EQ(k612::active_variant().defect, port::Defect::none);
    }
}

// pin_user_pages(FOLL_LONGTERM | FOLL_WRITE) of faulted anonymous memory:
// every page pinned once with the bias (try_grab_folio, gup.c:146), the
// counters and MMF_HAS_PINNED (gup.c:1749) set; unpin gives it all back.
TEST(Kernel612, LongtermWritePinOfFaultedAnonMemory) {
    Anon612 a(8);
    a.touch(true);
    std::vector<int> before(a.n);
    for (unsigned long i = 0; i < a.n; ++i) {
        ASSERT_NE(a.mapped(i), nullptr);
        before[i] = a.mapped(i)->_refcount;
    }
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_TRUE(out.warnings.empty()) << out.warnings.front();
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        EXPECT_EQ(pages[i], a.mapped(i)) << "page " << i;
        EXPECT_EQ(pages[i]->_refcount, before[i] + static_cast<int>(kBias)) << "page " << i;
        EXPECT_TRUE(anon_exclusive(pages[i])) << "page " << i;
    }
    k612::Counters c = k612::counters(a.w);
    EXPECT_EQ(c.foll_pin_acquired, static_cast<long>(a.n));
    EXPECT_EQ(c.foll_pin_released, 0);
    EXPECT_TRUE(c.mmf_has_pinned);
    EXPECT_EQ(a.w.mm.mmap_sem.readers, 0);  // the trampoline's read lock was released
    EXPECT_TRUE(a.w.trace.faults_per_page.empty());  // nothing needed a fault

    k612::unpin_user_pages(a.w, pages.data(), a.n);
    for (unsigned long i = 0; i < a.n; ++i)
        EXPECT_EQ(pages[i]->_refcount, before[i]) << "page " << i;
    c = k612::counters(a.w);
    EXPECT_EQ(c.foll_pin_released, static_cast<long>(a.n));
    EXPECT_TRUE(c.mmf_has_pinned);  // never cleared
    EXPECT_TRUE(a.w.trace.violations.empty()) << a.w.trace.violations.front();
}

// The same pin on memory never touched: gup.c faults each page in
// (faultin_page with FAULT_FLAG_WRITE) and pins the new exclusive anon pages.
TEST(Kernel612, LongtermWritePinFaultsUnfaultedMemoryIn) {
    Anon612 a(4);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        ASSERT_EQ(pages[i], a.mapped(i)) << "page " << i;
        EXPECT_EQ(pages[i]->_refcount, 1 + static_cast<int>(kBias)) << "page " << i;  // mapping + pin
        EXPECT_TRUE(kernel::PageAnon(pages[i]));
        EXPECT_TRUE(a.pte(i) & kernel::_PAGE_RW) << "page " << i;
        EXPECT_EQ(a.w.trace.faults_per_page.at(kStart + i * kernel::PAGE_SIZE), 1u) << "page " << i;
    }
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(a.n));
}

// A PMD-mapped THP: follow_huge_pmd grabs the folio once and
// __get_user_pages batches the other 511 pages (page_increm, gup.c:1528):
// a large folio counts pins in _pincount (folio page[1] + 28), one reference
// per page, not the bias (try_grab_folio, gup.c:146).
TEST(Kernel612, LongtermPinOfAThpCountsPincount) {
    Anon612 a(kernel::HPAGE_PMD_NR, kernel::ThpMode::always);
    a.touch(true);
    kernel::pteval_t pmd;
    {
        kernel::WorldScope scope(a.w);
        const kernel::Mapping m = kernel::walk(a.w, &a.w.mm, kStart);
        ASSERT_EQ(m.level, kernel::Level::pmd);
        ASSERT_TRUE(m.leaf_huge);
        pmd = m.value;
    }
    page* head = a.w.pfn_to_page((pmd & kernel::PTE_PFN_MASK) >> kernel::PAGE_SHIFT);
    const int before = head->_refcount;
    const auto pincount = [&] { return *reinterpret_cast<const int*>(reinterpret_cast<const char*>(head + 1) + 28); };
    ASSERT_EQ(pincount(), 0);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i)
        ASSERT_EQ(pages[i], head + i) << "page " << i;
    EXPECT_EQ(head->_refcount, before + static_cast<int>(a.n));
    EXPECT_EQ(pincount(), static_cast<int>(a.n));
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(a.n));
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    EXPECT_EQ(head->_refcount, before);
    EXPECT_EQ(pincount(), 0);
    EXPECT_EQ(k612::counters(a.w).foll_pin_released, static_cast<long>(a.n));
}

// get_user_pages cannot take FOLL_LONGTERM: is_valid_gup_args (gup.c:2589)
// WARNs and the call returns -EINVAL without touching anything.
TEST(Kernel612, GetUserPagesRefusesLongterm) {
    Anon612 a(2);
    a.touch(true);
    const int before = a.mapped(0)->_refcount;
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::get_user_pages, kStart, a.n, foll::LONGTERM, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, -EINVAL);
    EXPECT_FALSE(out.warnings.empty());
    EXPECT_EQ(pages[0], nullptr);
    EXPECT_EQ(a.mapped(0)->_refcount, before);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 0);
    EXPECT_FALSE(k612::counters(a.w).mmf_has_pinned);
}

// A read-only longterm pin of never-touched private anonymous memory: the
// read fault maps the shared zero page, gup_must_unshare (internal.h:1373)
// refuses it for a longterm pin of a COW mapping, FAULT_FLAG_UNSHARE makes
// wp_page_copy map an exclusive read-only copy, and that copy is pinned.
// The zero page is never pinned (port-v6.12.md §3.12).
TEST(Kernel612, ReadOnlyLongtermPinNeverPinsTheZeroPage) {
    Anon612 a(4);
    std::vector<page*> pages(a.n, nullptr);
    page* zero = a.w.pfn_to_page(kernel::ZERO_PFN);
    const int zero_before = zero->_refcount;
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        ASSERT_NE(pages[i], nullptr);
        EXPECT_NE(pages[i], zero) << "page " << i;
        EXPECT_EQ(pages[i], a.mapped(i)) << "page " << i;
        EXPECT_TRUE(kernel::PageAnon(pages[i])) << "page " << i;
        EXPECT_TRUE(anon_exclusive(pages[i])) << "page " << i;
        EXPECT_FALSE(a.pte(i) & kernel::_PAGE_RW) << "page " << i;  // the unshared copy is mapped read-only
        EXPECT_EQ(pages[i]->_refcount, 1 + static_cast<int>(kBias)) << "page " << i;
        // a read fault (zero page), then the unshare fault
        EXPECT_EQ(a.w.trace.faults_per_page.at(kStart + i * kernel::PAGE_SIZE), 2u) << "page " << i;
    }
    EXPECT_EQ(zero->_refcount, zero_before);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(a.n));
}

// A read-only pin that is not longterm takes the zero page as it is mapped
// (gup_must_unshare is false for a non-anonymous page without FOLL_LONGTERM),
// and pinning the zero folio takes nothing and counts nothing (gup.c:146).
TEST(Kernel612, ShortTermReadPinReturnsTheZeroPageWithoutPinningIt) {
    Anon612 a(3);
    a.touch(false);  // read faults: the zero page is mapped
    page* zero = a.w.pfn_to_page(kernel::ZERO_PFN);
    ASSERT_EQ(a.mapped(0), zero);
    const int zero_before = zero->_refcount;
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, 0, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i)
        EXPECT_EQ(pages[i], zero) << "page " << i;
    EXPECT_EQ(zero->_refcount, zero_before);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 0);
    EXPECT_TRUE(k612::counters(a.w).mmf_has_pinned);
    k612::unpin_user_pages(a.w, pages.data(), a.n);  // unpinning the zero page releases nothing
    EXPECT_EQ(zero->_refcount, zero_before);
    EXPECT_EQ(k612::counters(a.w).foll_pin_released, 0);
}

// pin_user_pages_fast on pages already mapped writable: the lockless walk
// (gup_fast_pte_range, gup.c:2929) pins all of them; no fault, no mmap_lock.
TEST(Kernel612, FastPinOfFaultedPages) {
    Anon612 a(6);
    a.touch(true);
    const unsigned long releases_before = a.w.mm.mmap_sem.releases;
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages_fast, kStart, a.n,
                                         foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        EXPECT_EQ(pages[i], a.mapped(i)) << "page " << i;
        EXPECT_EQ(pages[i]->_refcount, 1 + static_cast<int>(kBias)) << "page " << i;
    }
    EXPECT_TRUE(a.w.trace.faults_per_page.empty());
    EXPECT_EQ(a.w.mm.mmap_sem.releases, releases_before);  // the slow path never ran
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(a.n));
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    for (unsigned long i = 0; i < a.n; ++i)
        EXPECT_EQ(pages[i]->_refcount, 1) << "page " << i;
}

// The fast path stops at a page it may not take (here: not present) and the
// slow path (__gup_longterm_locked with FOLL_UNLOCKABLE) faults the rest in.
TEST(Kernel612, FastPinFallsBackToTheSlowPath) {
    Anon612 a(4);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages_fast, kStart, a.n, foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i)
        EXPECT_EQ(pages[i], a.mapped(i)) << "page " << i;
    EXPECT_EQ(a.w.mm.mmap_sem.readers, 0);
    EXPECT_GT(a.w.mm.mmap_sem.releases, 0u);
}

// A range beyond the vma: gup.c pins what it can and returns the partial
// count (__get_user_pages exits with i > 0, gup.c:1581).
TEST(Kernel612, PartialCountAtTheEndOfTheVma) {
    Anon612 a(2);
    std::vector<page*> pages(4, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages, kStart, 4, foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, 2);
    EXPECT_EQ(pages[2], nullptr);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 2);
}

// A model invariant broken under gup.c (here: the walk spins on a bad p4d,
// which the fault handler walks through, until the model's fault budget
// throws Livelock) ends the call with Outcome::bug, without crashing and
// without unwinding C++ through gup.c; the World stays usable.
TEST(Kernel612, ModelExceptionEndsTheCallAsABug) {
    Anon612 a(2);
    a.touch(true);
    {
        kernel::WorldScope scope(a.w);
        kernel::corrupt_table_entry(a.w, kStart, kernel::Level::p4d);
    }
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::WRITE, pages.data());
    EXPECT_NE(out.bug.find("livelock"), std::string::npos) << out.bug;
    EXPECT_EQ(a.w.mm.mmap_sem.readers, 0);  // the lock the call held is dropped
    // The next call runs normally: the lockless walk never tests p4d_bad
    // (gup_fast_p4d_range, gup.c:3327) and pins the mapped pages.
    const k612::Outcome again =
        k612::call(a.w, k612::Call::pin_user_pages_fast, kStart, a.n, foll::WRITE | foll::LONGTERM, pages.data());
    EXPECT_EQ(again.bug, "");
    EXPECT_EQ(again.rc, static_cast<long>(a.n));
    k612::unpin_user_pages(a.w, pages.data(), a.n);
}

// A SIGKILL that arrives at the third fatal_signal_pending() check
// (__get_user_pages, gup.c:1489, once per page here) ends the walk: the
// pages before it stay pinned and are counted; at the first check, -EINTR.
TEST(Kernel612, FatalSignalEndsTheWalk) {
    for (unsigned at : {1u, 3u}) {
        Anon612 a(4);
        a.touch(true);
        a.w.plan.signal_at_check = at;
        std::vector<page*> pages(a.n, nullptr);
        const k612::Outcome out =
            k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
        ASSERT_EQ(out.bug, "");
        EXPECT_EQ(out.rc, at == 1 ? -EINTR : static_cast<long>(at - 1)) << "signal at check " << at;
        EXPECT_EQ(a.w.trace.signal_delivered_at, at);
        EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(at - 1));
    }
}

// get_user_pages (FOLL_GET) takes one plain reference per page and put_page
// drops it; no pin is counted.
TEST(Kernel612, GetUserPagesTakesPlainReferences) {
    Anon612 a(3);
    a.touch(true);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::get_user_pages, kStart, a.n, foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        EXPECT_EQ(pages[i]->_refcount, 2) << "page " << i;
        k612::put_page(a.w, pages[i]);
        EXPECT_EQ(pages[i]->_refcount, 1) << "page " << i;
    }
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 0);
    EXPECT_FALSE(k612::counters(a.w).mmf_has_pinned);
}

// pin_user_pages_remote (the caller holds the lock and passes `locked`) and
// pin_user_pages_unlocked (takes it itself): the model never drops the lock
// in a fault, so `locked` stays 1 for the remote call; both leave no reader.
TEST(Kernel612, RemoteAndUnlockedEntries) {
    Anon612 a(2);
    std::vector<page*> pages(a.n, nullptr);
    k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages_remote, kStart, a.n, foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, static_cast<long>(a.n));
    EXPECT_EQ(out.locked, 1);
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    out = k612::call(a.w, k612::Call::pin_user_pages_unlocked, kStart, a.n, foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, static_cast<long>(a.n));
    EXPECT_EQ(out.locked, 0);
    EXPECT_EQ(a.w.mm.mmap_sem.readers, 0);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 2 * static_cast<long>(a.n));
}

// unpin_user_pages_dirty_lock(make_dirty) dirties each clean folio under its
// folio lock (gup.c:290) and leaves it unlocked.
TEST(Kernel612, UnpinDirtyLockDirtiesTheFolios) {
    Anon612 a(2);
    a.touch(true);
    std::vector<page*> pages(a.n, nullptr);
    ASSERT_EQ(k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::WRITE, pages.data()).rc,
              static_cast<long>(a.n));
    for (page* p : pages)
        p->flags &= ~(1UL << kernel::PG_dirty);  // writeback cleaned them meanwhile
    k612::unpin_user_pages_dirty_lock(a.w, pages.data(), a.n, true);
    for (page* p : pages) {
        EXPECT_TRUE(p->flags & (1UL << kernel::PG_dirty));
        EXPECT_FALSE(p->flags & (1UL << kernel::PG_locked));
        EXPECT_EQ(p->_refcount, 1);
    }
}

// A World of 6.12 with one file mapping of n pages at kStart.
struct File612 {
    kernel::World w;
    unsigned long n;
    File612(kernel::FileKind kind, unsigned long pages, bool shared) : n(pages) {
        w.config.generation = 612;
        w.config.thp = kernel::ThpMode::never;
        kernel::dev_pagemap* pg = nullptr;
        if (kind == kernel::FileKind::fsdax || kind == kernel::FileKind::devdax)
            pg = w.add_pgmap(pages, true);
        kernel::FileObj* f = w.add_file(kind, pages, 1, pg);
        kernel::vm_flags_t flags = kernel::VM_READ | kernel::VM_WRITE | kernel::VM_MAYREAD | kernel::VM_MAYWRITE;
        if (shared)
            flags |= kernel::VM_SHARED | kernel::VM_MAYSHARE;
        if (kind == kernel::FileKind::hugetlbfs) {
            flags |= kernel::VM_HUGETLB;
            w.hugetlb_free = pages / kernel::HPAGE_PMD_NR;
        }
        w.insert_vma(kStart, kStart + n * kernel::PAGE_SIZE, flags, f, 0);
    }
    kernel::pteval_t pte(unsigned long i) {
        kernel::WorldScope scope(w);
        return kernel::walk(w, &w.mm, kStart + i * kernel::PAGE_SIZE).value;
    }
};

// check_vma_flags (gup.c:1270): a longterm pin of fsdax memory is refused
// with -EOPNOTSUPP before any page is touched (vma_is_fsdax reads the mirror
// file's inode: S_DAX on a regular file).
TEST(Kernel612, LongtermPinOfFsdaxIsRefused) {
    File612 a(kernel::FileKind::fsdax, 4, true);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out = k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, -EOPNOTSUPP);
    EXPECT_TRUE(a.w.trace.faults_per_page.empty());
}

// A longterm write pin of a shared writable mapping of a file system that
// writes back needs dirty tracking (vma_needs_dirty_tracking, mm/vma.c:1887):
// -EFAULT.  shmem does not track dirty pages: its pages are pinned, on the
// fast path too (gup_fast_folio_allowed: shmem_mapping of page->mapping).
TEST(Kernel612, LongtermWritePinOfSharedFileMappings) {
    {
        File612 a(kernel::FileKind::regular, 2, true);
        std::vector<page*> pages(a.n, nullptr);
        const k612::Outcome out =
            k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
        ASSERT_EQ(out.bug, "");
        EXPECT_EQ(out.rc, -EFAULT);
    }
    File612 a(kernel::FileKind::shmem, 3, true);
    std::vector<page*> pages(a.n, nullptr);
    k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (page* p : pages) {
        EXPECT_FALSE(kernel::PageAnon(p));
        EXPECT_EQ(p->_refcount, 2 + static_cast<int>(kBias));  // page cache + mapping + pin
    }
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    std::vector<page*> fast(a.n, nullptr);
    out = k612::call(a.w, k612::Call::pin_user_pages_fast, kStart, a.n, foll::LONGTERM | foll::WRITE, fast.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    EXPECT_EQ(fast, pages);
    EXPECT_EQ(a.w.trace.faults_per_page.size(), a.n);  // only the first call faulted
}

// A private hugetlb mapping: the write fault maps a new anonymous huge page;
// the generic walk (follow_huge_pmd) pins it through the hugetlb folio's
// _pincount, 512 pages in one batch.
TEST(Kernel612, LongtermWritePinOfPrivateHugetlb) {
    File612 a(kernel::FileKind::hugetlbfs, kernel::HPAGE_PMD_NR, false);
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    page* head = pages[0];
    EXPECT_TRUE(kernel::folio_test_hugetlb(head));
    EXPECT_TRUE(kernel::PageAnon(head));
    EXPECT_EQ(kernel::folio_meta(head)->_pincount, static_cast<int>(a.n));
    for (unsigned long i = 0; i < a.n; ++i)
        ASSERT_EQ(pages[i], head + i);
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    EXPECT_EQ(kernel::folio_meta(head)->_pincount, 0);
    EXPECT_EQ(head->_refcount, 1);
}

// Device-DAX: a generation-612 World writes its devmap entries with 6.12's
// bit (57), so follow_page_pte sees pte_devmap, takes the pgmap
// (get_dev_pagemap) and pins the ZONE_DEVICE pages, which start at refcount
// 1; the pgmap reference is given back at the end of the call (gup.c:1581).
TEST(Kernel612, LongtermPinOfDeviceDax) {
    File612 a(kernel::FileKind::devdax, 4, true);
    kernel::dev_pagemap* pg = a.w.pgmaps.front().get();
    const long pg_refs = pg->ref;
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_TRUE(out.warnings.empty()) << out.warnings.front();
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    for (unsigned long i = 0; i < a.n; ++i) {
        ASSERT_EQ(pages[i], a.w.pfn_to_page(pg->pfn_first + i)) << "page " << i;
        EXPECT_TRUE(pages[i]->zone_device());
        EXPECT_EQ(pages[i]->_refcount, 1 + static_cast<int>(kBias)) << "page " << i;
        EXPECT_TRUE(a.pte(i) & kernel::_PAGE_DEVMAP_612);
        EXPECT_FALSE(a.pte(i) & kernel::_PAGE_DEVMAP);  // bit 58 is SavedDirty in 6.12
    }
    EXPECT_EQ(pg->ref, pg_refs);
    EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, static_cast<long>(a.n));
    k612::unpin_user_pages(a.w, pages.data(), a.n);
    for (page* p : pages)
        EXPECT_EQ(p->_refcount, 1);
}

// Puts the page in ZONE_MOVABLE, on the LRU (the model allocates ZONE_NORMAL
// pages and keeps no LRU; a scenario would place them).
void make_movable(page* p) {
    p->flags = (p->flags & ~kernel::ZONES_FLAGS_MASK) |
               (static_cast<unsigned long>(kernel::ZONE_MOVABLE) << kernel::ZONES_PGSHIFT) | (1UL << kernel::PG_lru);
}

// A longterm pin of a ZONE_MOVABLE page (folio_is_longterm_pinnable false):
// collect isolates it after the LRU drains, every pin of the pass is dropped,
// migrate_pages moves it to a ZONE_NORMAL page that the task now maps, and
// the second pass pins that (check_and_migrate_movable_pages -> -EAGAIN ->
// __gup_longterm_locked retries, port-v6.12.md §3.3-3.6).
TEST(Kernel612, LongtermPinMigratesAMovablePage) {
    Anon612 a(2);
    a.touch(true);
    page* old = a.mapped(0);
    make_movable(old);
    const unsigned long old_pfn = old->pfn();
    std::vector<page*> pages(a.n, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    ASSERT_EQ(out.rc, static_cast<long>(a.n));
    ASSERT_NE(pages[0], old);
    EXPECT_EQ(pages[0], a.mapped(0));
    EXPECT_EQ(pages[0]->zone(), kernel::ZONE_NORMAL);
    EXPECT_EQ(pages[0]->_refcount, 1 + static_cast<int>(kBias));
    EXPECT_TRUE(kernel::PageAnon(pages[0]));
    EXPECT_TRUE(anon_exclusive(pages[0]));  // kept across migration
    EXPECT_FALSE(a.w.pfn_to_page(old_pfn)->allocated());  // the source was freed
    const k612::Counters c = k612::counters(a.w);
    EXPECT_EQ(c.migrations, 1);
    // collect drains only when the folio holds references beyond its mappings
    // and this pin (gup.c:2386-2395 in 6.12.117, which counts pin_refs; the
    // research note's older text drained on every pinned small folio)
    EXPECT_EQ(c.lru_drains, 0);
    EXPECT_EQ(c.foll_pin_acquired, 2 * static_cast<long>(a.n));  // both passes
    EXPECT_EQ(c.foll_pin_released, static_cast<long>(a.n));      // the first pass's, dropped
    EXPECT_TRUE(a.w.trace.violations.empty()) << a.w.trace.violations.front();
}

// A movable page somebody else holds pinned cannot migrate (its refcount is
// more than the mapping and the isolation: every pass of migrate_pages fails
// with -EAGAIN), so the longterm pin fails with -ENOMEM and holds nothing;
// the earlier pin is untouched.
TEST(Kernel612, LongtermPinOfAPinnedMovablePageFails) {
    Anon612 a(1);
    a.touch(true);
    page* p = a.mapped(0);
    std::vector<page*> first(1, nullptr);
    ASSERT_EQ(k612::call(a.w, k612::Call::pin_user_pages, kStart, 1, foll::WRITE, first.data()).rc, 1);
    make_movable(p);
    std::vector<page*> pages(1, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, 1, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, -ENOMEM);
    EXPECT_EQ(pages[0], nullptr);  // cleared by the migrate step
    EXPECT_EQ(a.mapped(0), p);
    EXPECT_EQ(p->_refcount, 1 + static_cast<int>(kBias));  // the first pin only
    EXPECT_EQ(k612::counters(a.w).migrations, 0);
    EXPECT_EQ(k612::counters(a.w).lru_drains, 2);  // the extra pin: lru_add_drain, then _all (gup.c:2386-2395)
    EXPECT_TRUE(p->flags & (1UL << kernel::PG_lru));  // put back
}

// The 6.12 fault sites: a failed isolation makes the pass retry (the folio
// is isolated on the next one); a failed migration makes the pin -ENOMEM.
TEST(Kernel612, IsolationAndMigrationFaultSites) {
    {
        Anon612 a(1);
        a.touch(true);
        make_movable(a.mapped(0));
        a.w.plan.failures.push_back({kernel::AllocSite::isolate_lru, 1});
        std::vector<page*> pages(1, nullptr);
        const k612::Outcome out =
            k612::call(a.w, k612::Call::pin_user_pages, kStart, 1, foll::LONGTERM | foll::WRITE, pages.data());
        ASSERT_EQ(out.bug, "");
        EXPECT_EQ(out.rc, 1);
        EXPECT_EQ(a.w.trace.count_site(kernel::AllocSite::isolate_lru), 2u);
        EXPECT_EQ(k612::counters(a.w).migrations, 1);
        EXPECT_EQ(k612::counters(a.w).foll_pin_acquired, 3);  // three passes
    }
    Anon612 a(1);
    a.touch(true);
    page* p = a.mapped(0);
    make_movable(p);
    a.w.plan.failures.push_back({kernel::AllocSite::migrate_pages, 1});
    std::vector<page*> pages(1, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, 1, foll::LONGTERM | foll::WRITE, pages.data());
    ASSERT_EQ(out.bug, "");
    EXPECT_EQ(out.rc, -ENOMEM);
    EXPECT_EQ(p->_refcount, 1);
    EXPECT_EQ(a.mapped(0), p);
}

// A movable folio that can never be isolated (not on the LRU) makes the
// longterm pin retry for ever in the kernel; here the call ends as a livelock.
TEST(Kernel612, UnisolatableMovablePageEndsAsLivelock) {
    Anon612 a(1);
    a.touch(true);
    page* p = a.mapped(0);
    make_movable(p);
    p->flags &= ~(1UL << kernel::PG_lru);
    std::vector<page*> pages(1, nullptr);
    const k612::Outcome out =
        k612::call(a.w, k612::Call::pin_user_pages, kStart, 1, foll::LONGTERM | foll::WRITE, pages.data());
    EXPECT_NE(out.bug.find("livelock"), std::string::npos) << out.bug;
    EXPECT_EQ(a.w.mm.mmap_sem.readers, 0);
}

// KernelConfig::zone_movable: the task's memory is in ZONE_MOVABLE; a
// longterm pin migrates every page out of it (inside memalloc_pin_save the
// model allocates from ZONE_NORMAL) and pins the copies, on the slow and on
// the fast entry (try_grab_folio_fast refuses an unpinnable folio, gup.c:567).
TEST(Kernel612, LongtermPinMigratesZoneMovableMemory) {
    for (k612::Call c : {k612::Call::pin_user_pages, k612::Call::pin_user_pages_fast}) {
        Anon612 a(4);
        a.w.config.zone_movable = true;
        a.touch(true);
        std::vector<unsigned long> old(a.n);
        for (unsigned long i = 0; i < a.n; ++i) {
            ASSERT_EQ(a.mapped(i)->zone(), kernel::ZONE_MOVABLE);
            old[i] = a.mapped(i)->pfn();
        }
        std::vector<page*> pages(a.n, nullptr);
        const k612::Outcome out = k612::call(a.w, c, kStart, a.n, foll::LONGTERM | foll::WRITE, pages.data());
        ASSERT_EQ(out.bug, "") << k612::call_name(c);
        ASSERT_EQ(out.rc, static_cast<long>(a.n)) << k612::call_name(c);
        for (unsigned long i = 0; i < a.n; ++i) {
            EXPECT_EQ(pages[i], a.mapped(i));
            EXPECT_EQ(pages[i]->zone(), kernel::ZONE_NORMAL);
            EXPECT_NE(pages[i]->pfn(), old[i]);
            EXPECT_EQ(pages[i]->_refcount, 1 + static_cast<int>(kBias));
        }
        EXPECT_EQ(k612::counters(a.w).migrations, static_cast<long>(a.n)) << k612::call_name(c);
        EXPECT_FALSE(a.w.memalloc_pin);
        // A short-term pin leaves the memory where it is.
        Anon612 b(2);
        b.w.config.zone_movable = true;
        b.touch(true);
        std::vector<page*> p2(b.n, nullptr);
        ASSERT_EQ(k612::call(b.w, c, kStart, b.n, foll::WRITE, p2.data()).rc, static_cast<long>(b.n));
        EXPECT_EQ(p2[0]->zone(), kernel::ZONE_MOVABLE);
        EXPECT_EQ(k612::counters(b.w).migrations, 0);
    }
}

// A World built for the v4.15 model cannot run 6.12 gup.c (its anonymous
// pages carry no PageAnonExclusive): a located error, nothing runs.
TEST(Kernel612, RefusesAWorldOfAnotherGeneration) {
    kernel::World w;
    std::vector<page*> pages(1, nullptr);
    const k612::Outcome out = k612::call(w, k612::Call::pin_user_pages, kStart, 1, 0, pages.data());
    EXPECT_NE(out.bug.find("generation"), std::string::npos) << out.bug;
    EXPECT_EQ(out.rc, 0);
}

}  // namespace
