// SPDX-License-Identifier: GPL-2.0-only
//
// Fault injection as data.  A FaultPlan says what fails during one call; a
// Trace records every injection site the call passed and what fired, so a
// report can say which fault fired where.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace gupfuzz::kernel {

// Every allocation the longterm path can reach (seed-port.md §3.9).
enum class AllocSite : std::uint8_t {
    kcalloc_vmas,      // get_user_pages_longterm's vmas array
    pud_alloc,         // __handle_mm_fault / huge_pte_alloc: a pud table (p4d is folded on 4-level x86)
    pmd_alloc,         // a pmd table
    pte_alloc,         // do_anonymous_page / finish_fault / __pte_alloc
    anon_vma_prepare,  // do_anonymous_page, wp_page_copy, do_cow_fault
    anon_page,         // alloc_zeroed_user_highpage_movable in do_anonymous_page
    cow_page,          // wp_page_copy, do_cow_fault
    swap_page,         // do_swap_page swap-in
    pagecache_page,    // filemap_fault / shmem_fault page-cache allocation
    memcg_charge,      // mem_cgroup_try_charge of any new user page
    thp_page,          // THP allocation in do_huge_pmd_anonymous_page (fails soft: fallback)
    huge_page,         // alloc_huge_page (hugetlb)
    expand_stack,      // expand_stack / acct_stack_growth
    COUNT,
    // Linux 6.12 only (core/kernel612), after COUNT so that the v4.15 sites'
    // numbering and the byte encoding of scenarios (site % kAllocSiteCount) stay:
    isolate_lru,       // folio_isolate_lru fails (the folio is in a per-CPU LRU batch or isolated already)
    migrate_pages,     // migrate_pages fails every folio (target allocation, unexpected references)
    device_migrate,    // migrate_device_coherent_folio cannot unmap or allocate (-EBUSY)
    END
};
constexpr int kAllocSiteCount = static_cast<int>(AllocSite::COUNT);      // the v4.15 sites
constexpr int kAllocSiteCountAll = static_cast<int>(AllocSite::END);    // with the 6.12 ones (COUNT itself unused)
const char* alloc_site_name(AllocSite s);
std::optional<AllocSite> alloc_site_from_name(const std::string& name);

// Yield points (docs/concurrency.md): the places where the real kernel lets
// another thread in while a GUP call runs, each in a MODEL function the port
// calls (never in a ported body).  Every pass is counted, like an allocation
// site, so a plan can name "the Nth pass of POINT".
enum class YieldPoint : std::uint8_t {
    pte_unlock,     // pte_unmap_unlock: follow_page_pte dropped the pte lock (Y-NEXT / after a NULL lookup)
    pmd_unlock,     // spin_unlock of a pmd/pud/huge-pte lock (follow_pmd_mask, the devmap and hugetlb paths)
    fault_entry,    // handle_mm_fault entered, before the fault looks at the tables (Y-PREFAULT)
    fault_exit,     // handle_mm_fault returning to faultin_page (the ptl dropped inside the fault, Y-INFAULT)
    resched,        // cond_resched() in __get_user_pages at an address's first attempt (Y-RETRY/first)
    retry,          // cond_resched() reached by `goto retry` after faultin_page returned 0 (Y-RETRY/post-fault)
    caller_return,  // get_user_pages_longterm returned; the caller still holds mmap_sem (Y-POST)
    COUNT
};
constexpr int kYieldPointCount = static_cast<int>(YieldPoint::COUNT);
const char* yield_point_name(YieldPoint p);   // "pte-unlock"
const char* yield_point_words(YieldPoint p);  // "pte-unlock (pte_unmap_unlock in follow_page_pte)"
std::optional<YieldPoint> yield_point_from_name(const std::string& name);

// What another thread (or the kernel itself) does at a yield point, run to
// completion (core/kernel/mm_ops.h run_mm_op).  The same set is what a
// Session's task and its caller do between calls.
enum class MmOp : std::uint8_t {
    dontneed,     // madvise(MADV_DONTNEED): zap_page_range (mmap_sem read)
    read_fault,   // another thread reads the page (a read fault; mmap_sem read)
    write_fault,  // another thread writes the page (a write fault; mmap_sem read)
    punch,        // fallocate(PUNCH_HOLE) on the page-cache file mapped there (no mmap_sem; COW copies survive)
    truncate,     // truncate the file mapped there to the page's offset (no mmap_sem; COW copies zapped too)
    swapout,      // reclaim swaps the anonymous page out (no mmap_sem)
    migrate,      // compaction migrates the page (no mmap_sem; refused for a pinned page)
    munmap,       // munmap (mmap_sem WRITE: never during a call)
    mprotect_ro,  // mprotect(PROT_READ) (mmap_sem WRITE: never during a call)
    COUNT
};
constexpr int kMmOpCount = static_cast<int>(MmOp::COUNT);
const char* mm_op_name(MmOp op);   // "dontneed"
const char* mm_op_words(MmOp op);  // "MADV_DONTNEED"
std::optional<MmOp> mm_op_from_name(const std::string& name);
// The lock an operation takes on the mm (mm/madvise.c madvise_need_mmap_write,
// concurrency.md §2): none (truncate, reclaim, migration), mmap_sem for read,
// or mmap_sem for write.
enum class MmapSemNeed : std::uint8_t { none, read, write };
MmapSemNeed mm_op_sem(MmOp op);

struct FaultPlan {
    // At the Nth pass of `point`, operation `op` on [addr, addr + pages pages)
    // runs to completion as another thread, if the lock rules allow it.
    struct Interleave {
        YieldPoint point;
        unsigned occurrence;  // 1-based count of passes through this point within the call
        MmOp op;
        unsigned long addr;   // page aligned
        unsigned long pages;  // 1..
        bool operator==(const Interleave&) const = default;
    };
    struct SiteFailure {
        AllocSite site;
        unsigned occurrence;  // 1-based count of passes through this site within the call
        bool operator==(const SiteFailure&) const = default;
    };
    struct CodeFault {
        unsigned long addr;  // page-aligned user address
        int code;            // VM_FAULT_SIGBUS, VM_FAULT_HWPOISON or VM_FAULT_SIGSEGV
        bool operator==(const CodeFault&) const = default;
    };
    std::vector<SiteFailure> failures;
    std::vector<CodeFault> codes;
    unsigned signal_at_check = 0;    // 0: no signal; n: SIGKILL pending from the n-th fatal_signal_pending()
    std::optional<long> gup_rc_stub;  // test hook: get_user_pages returns this (negative) value untouched
    std::vector<Interleave> interleaves;  // in plan order: several at one pass run in this order
    bool operator==(const FaultPlan&) const = default;
    bool empty() const {
        return failures.empty() && codes.empty() && !signal_at_check && !gup_rc_stub && interleaves.empty();
    }
};

struct SitePass {
    AllocSite site;
    unsigned occurrence;
    unsigned long addr;  // faulting address, 0 where none applies
    bool failed;
};

// What happened during one call, recorded by the model (never by the port).
struct Trace {
    std::vector<SitePass> sites;
    std::vector<std::pair<unsigned long, int>> codes_fired;  // (page, VM_FAULT_*)
    unsigned signal_checks = 0;
    unsigned signal_delivered_at = 0;                       // check number, 0 = never
    std::map<unsigned long, unsigned> faults_per_page;      // handle_mm_fault/hugetlb_fault calls
    bool ram_exhausted = false;                              // an allocation found simulated RAM full
    long kmalloc_live = 0;                                   // kcalloc minus kfree
    unsigned kmalloc_calls = 0;
    std::vector<std::string> violations;                     // refcount sanity (P11), bad ptes, WARNs
    std::vector<std::string> notes;                          // model events worth a line in a report
    // Yield points: passes per point, and each interleaved operation as it ran.
    std::array<unsigned, kYieldPointCount> yield_passes{};
    struct InterleaveRun {
        std::size_t index;       // into FaultPlan::interleaves
        unsigned long at;        // the address the GUP thread was working on (0: none yet)
        bool ran;                // false: refused at run time (the lock rules) or nothing to act on
        std::string outcome;     // what the operation did, in kernel words
    };
    std::vector<InterleaveRun> interleaved;
    // Lifetime events (a pin's lifetime oracle): a block or page referenced by
    // a GUP reference freed or handed to another owner: its pfn, in words.
    std::vector<std::pair<unsigned long, std::string>> lifetime;
    unsigned count_site(AllocSite s) const;
};

}  // namespace gupfuzz::kernel
