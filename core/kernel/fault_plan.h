// SPDX-License-Identifier: GPL-2.0-only
//
// Fault injection as data.  A FaultPlan says what fails during one call; a
// Trace records every injection site the call passed and what fired, so a
// report can say which fault fired where.
#pragma once

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

struct FaultPlan {
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
    bool operator==(const FaultPlan&) const = default;
    bool empty() const { return failures.empty() && codes.empty() && !signal_at_check && !gup_rc_stub; }
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
    unsigned count_site(AllocSite s) const;
};

}  // namespace gupfuzz::kernel
