// SPDX-License-Identifier: GPL-2.0-only
//
// The oracles of kernel 6.12: the contract of pin_user_pages*() and
// get_user_pages*() as documented (the kernel-doc of mm/gup.c's entry points,
// Documentation/core-api/pin_user_pages.rst, port-v6.12.md §3.1/§3.9/§5/§6),
// never the code path of the compiled file.  Like oracle.cpp, they know the
// truth from the Scenario (which vma is filesystem-DAX, dirty-tracked, a hole,
// VM_IO|VM_PFNMAP, without permission), from the model's trace (which
// injected fault fired at which address, whether SIGKILL became pending) and
// from an MMU-style walk of the page tables after the call.
//
// Where the contract decides the result (the count of pages before the first
// blocked one, or that block's errno), R1/R9 compare the call with it.  Where
// it does not (a pending signal: the contract does not say at which check it
// is seen; FOLL_NOWAIT; the vsyscall page; a dying dev_pagemap; an empty
// hugetlb pool, which depends on reservations; RAM exhaustion; migration
// retries), only the laws are checked: the return range, exact pins, pin
// balance, correspondence, placement, no leak.
#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "core/harness/normalize.h"
#include "core/harness/oracle.h"
#include "core/kernel/hex.h"
#include "core/kernel/walk.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;
namespace foll = k612::foll;

namespace {

// ---- struct page access that survives the 6.12 layout change of kernel::page
// (model bookkeeping moves from fields to member functions; see BRIEF). ----
template <class P>
auto model_refs_of(const P* p, int) -> decltype(static_cast<int>(p->model_refs())) {
    return static_cast<int>(p->model_refs());
}
template <class P>
auto model_refs_of(const P* p, long) -> decltype(static_cast<int>(p->model_refs)) {
    return static_cast<int>(p->model_refs);
}
template <class P>
auto order_of(const P* p, int) -> decltype(static_cast<unsigned>(p->compound_order())) {
    return static_cast<unsigned>(p->compound_order());
}
template <class P>
auto order_of(const P* p, long) -> decltype(static_cast<unsigned>(p->compound_order)) {
    return static_cast<unsigned>(p->compound_order);
}
int model_refs(const page* p) { return model_refs_of(p, 0); }
unsigned folio_order(const page* head) { return order_of(head, 0); }
bool is_tail(page* p) { return compound_head(p) != p; }

// _pincount of a large folio: page[1] + 28 in 6.12's struct folio (mm_types.h:372).
int folio_pincount(const page* head) {
    int v = 0;
    std::memcpy(&v, reinterpret_cast<const char*>(head + 1) + 28, sizeof v);
    return v;
}
// The zone of a page (page_zonenum: flags bits [51, 54) in 6.12's layout).
constexpr unsigned kZonesPgShift = 51, kZoneMovable = 3;
unsigned page_zone(const page* p) {
    unsigned long flags = 0;
    std::memcpy(&flags, reinterpret_cast<const char*>(p), sizeof flags);
    return static_cast<unsigned>((flags >> kZonesPgShift) & 7);
}

constexpr long GUP_PIN_COUNTING_BIAS = 1024;  // include/linux/mm.h
constexpr unsigned long TASK_SIZE_MAX = TASK_SIZE;  // x86-64, 4-level: (1 << 47) - PAGE_SIZE

bool is_fast_entry(k612::Call c) { return c == k612::Call::pin_user_pages_fast || c == k612::Call::get_user_pages_fast; }

// The flags each entry adds (port-v6.12.md §2.1, the kernel-doc of each entry).
unsigned flags_set_by(k612::Call c) {
    switch (c) {
    case k612::Call::pin_user_pages: return foll::PIN;
    case k612::Call::pin_user_pages_fast: return foll::PIN;
    case k612::Call::pin_user_pages_remote: return foll::PIN | foll::TOUCH | foll::REMOTE;
    case k612::Call::pin_user_pages_unlocked: return foll::PIN | foll::TOUCH | foll::UNLOCKABLE;
    case k612::Call::get_user_pages: return foll::TOUCH;
    case k612::Call::get_user_pages_fast: return foll::GET;
    }
    return 0;
}

// is_valid_gup_args (port-v6.12.md §3.1, §4.4; pin_user_pages.rst "FOLL_PIN is
// internal", "FOLL_PIN is a prerequisite to FOLL_LONGTERM", "the caller is
// required to pass in a non-null struct pages* array"), and for the fast
// entries the flags GUP-fast accepts (§3.14 step 1).  "" when valid.
std::string invalid_args(const Scenario& s) {
    const unsigned f = s.call.gup_flags;
    const unsigned all = f | flags_set_by(s.call.entry);
    if (f & kInternalFlags612)
        return "an internal FOLL_* flag (" + gup_flags_string(Kernel::v6_12, f & kInternalFlags612) +
               ") passed by the caller";
    if ((all & foll::PIN) && (all & foll::GET))
        return "FOLL_PIN and FOLL_GET together";
    if ((all & foll::LONGTERM) && !(all & foll::PIN))
        return "FOLL_LONGTERM without FOLL_PIN (get_user_pages* may not take longterm references)";
    if ((all & (foll::PIN | foll::GET)) && !s.call.pages)
        return "FOLL_PIN/FOLL_GET without a pages array";
    if ((all & foll::LONGTERM) && (all & foll::PCI_P2PDMA))
        return "FOLL_LONGTERM with FOLL_PCI_P2PDMA";
    constexpr unsigned kFastFlags = foll::WRITE | foll::LONGTERM | foll::FORCE | foll::PIN | foll::GET | foll::FAST_ONLY |
                                    foll::NOFAULT | foll::PCI_P2PDMA | foll::HONOR_NUMA_FAULT;
    if (is_fast_entry(s.call.entry) && (all & ~kFastFlags))
        return "GUP-fast does not take " + gup_flags_string(Kernel::v6_12, all & ~kFastFlags);
    return "";
}
// What an invalid call returns: 0 for pin_user_pages, _remote, _unlocked; -EINVAL for the others.
long invalid_rc(k612::Call c) {
    return c == k612::Call::pin_user_pages || c == k612::Call::pin_user_pages_remote ||
                   c == k612::Call::pin_user_pages_unlocked
               ? 0
               : -EINVAL;
}

// The expected outcome by the contract.
struct Expect {
    bool invalid = false;     // refused arguments: rc == invalid_rc, nothing changed
    std::string invalid_why;
    bool decided = true;      // false: the contract does not fix rc (only the laws are checked)
    std::string undecided_why;
    long rc = 0;              // when decided
    long max_count = 0;       // an upper bound on any count (the pinnable prefix)
    long stop = -1;           // the first blocked page (-1: none)
    std::string why;          // why it is blocked
    bool refusal = false;     // the block is a check_vma_flags refusal of R9's kinds
    int refused_vma = -1;     // its layout index
};

struct Checker612 {
    const Observation612& o;
    std::vector<Failure> out;

    void fail(Property p, std::string msg) { out.push_back({p, std::move(msg), ""}); }
    const Scenario& s() const { return o.s; }
    World& w() const { return o.w; }
    unsigned flags() const { return s().call.gup_flags | flags_set_by(s().call.entry); }
    bool write() const { return flags() & foll::WRITE; }
    bool force() const { return flags() & foll::FORCE; }
    bool longterm() const { return flags() & foll::LONGTERM; }
    bool pin() const { return flags() & foll::PIN; }
    // pages given without FOLL_PIN: FOLL_GET (__get_user_pages_locked adds it).
    bool get() const { return s().call.pages && !pin(); }
    unsigned long addr_of(long j) const {
        return (s().call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE;
    }
    std::string rcs(long rc) const { return errno_name(rc); }

    const VmaSpec* spec_at(unsigned long addr, int* idx = nullptr) const {
        vm_area_struct* v = find_vma(&w().mm, addr);
        if (!v || v->vm_start > addr || v->model_index < 0)
            return nullptr;
        if (idx)
            *idx = v->model_index;
        return &s().vmas[static_cast<std::size_t>(v->model_index)];
    }
    const FileSpec* file_of(const VmaSpec* v) const {
        return v && v->file >= 0 ? &s().files[static_cast<std::size_t>(v->file)] : nullptr;
    }
    bool is_kind(const VmaSpec* v, FileKind k) const {
        const FileSpec* f = file_of(v);
        return f && f->kind == k;
    }
    // vma_needs_dirty_tracking (mm/vma.c): shared and writable, and page_mkwrite or a
    // backing device that writes back.  Regular files are a disk filesystem's (ext4:
    // page_mkwrite, BDI_CAP_WRITEBACK); shmem, hugetlbfs, device-DAX and mmio drivers
    // have neither.  gup_longterm.c: fs_supports_writable_longterm_pinning.
    bool dirty_tracked(const VmaSpec* v) const {
        return v && v->shared && v->write && (is_kind(v, FileKind::regular) || is_kind(v, FileKind::fsdax));
    }
    bool in_gate(unsigned long a) const {
        return s().config.gate && a >= VSYSCALL_ADDR && a < VSYSCALL_ADDR + PAGE_SIZE;
    }

    // The reference answer (core/kernel/walk.h mapped_pfn).
    RefEntry lookup(unsigned long addr) const {
        const bool gate = in_gate(addr) && !spec_at(addr);
        return mapped_pfn(w(), gate ? &w().init_mm : &w().mm, addr);
    }

    int refs(page* p) const { return page_ref_count(p) - model_refs(p); }
    int pincount_before(page* head) const {
        for (const auto& [h, n] : o.pincounts_before)
            if (h == head)
                return n;
        return 0;
    }
    bool is_zero(page* head) const { return head == w().zero_page; }

    std::string describe_page(page* head) const {
        const std::string kind = is_zero(head)                  ? "the zero page"
                                 : head == w().huge_zero_page   ? "the huge zero page"
                                 : head == w().gate_page        ? "the vsyscall gate page"
                                 : PageAnon(head)               ? (folio_order(head) ? "an anonymous large folio" : "an anonymous page")
                                                                : (folio_order(head) ? "a large folio" : "a page");
        std::string out = "pfn " + hex(page_to_pfn(head)) + " (" + kind + ", order " + std::to_string(folio_order(head)) +
                          "; refcount " + std::to_string(page_ref_count(head)) + ", of which " +
                          std::to_string(model_refs(head)) + " mapping/cache/owner";
        if (folio_order(head))
            out += ", _pincount " + std::to_string(folio_pincount(head));
        return out + ")";
    }

    // vm_fault_to_errno (include/linux/mm.h), as faultin_page applies it.
    long fault_errno(int code) const {
        if (code & VM_FAULT_OOM)
            return -ENOMEM;
        if (code & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
            return (flags() & foll::HWPOISON) ? -EHWPOISON : -EFAULT;
        return -EFAULT;
    }

    // check_vma_flags of 6.12 (port-v6.12.md §3.9), applied when the walk enters a vma.
    struct Refusal {
        long err = 0;  // 0: the vma is entered
        std::string why;
        bool r9 = false;  // fsdax / dirty-tracked file write: R9's kinds
    };
    Refusal vma_refusal(const VmaSpec& v) const {
        const bool anon = v.file < 0;
        if (v.pfnmap)
            return {-EFAULT, "check_vma_flags: VM_IO|VM_PFNMAP", false};
        if ((flags() & foll::ANON) && !anon)
            return {-EFAULT, "check_vma_flags: FOLL_ANON on a file mapping", false};
        if (longterm() && is_kind(&v, FileKind::fsdax))
            return {-EOPNOTSUPP,
                    "check_vma_flags: FOLL_LONGTERM on a filesystem-DAX vma (pin_user_pages.rst: DAX pages cannot "
                    "be pinned longterm)",
                    true};
        if ((flags() & foll::SPLIT_PMD) && is_kind(&v, FileKind::hugetlbfs))
            return {-EOPNOTSUPP, "check_vma_flags: FOLL_SPLIT_PMD on hugetlb", false};
        if (write()) {
            if (!anon && pin() && longterm() && dirty_tracked(&v))
                return {-EFAULT,
                        "check_vma_flags: a FOLL_WRITE longterm pin of a dirty-tracked shared file mapping "
                        "(writable_file_mapping_allowed; gup_longterm.c: only tmpfs/hugetlbfs support R/W longterm pins)",
                        true};
            if (!v.write) {
                if (!force())
                    return {-EFAULT, "check_vma_flags: write to a mapping without VM_WRITE, no FOLL_FORCE", false};
                if (is_kind(&v, FileKind::hugetlbfs))
                    return {-EFAULT, "check_vma_flags: FOLL_FORCE|FOLL_WRITE is not supported on hugetlb", false};
                if (v.shared || !v.maywrite)
                    return {-EFAULT, "check_vma_flags: forced write to a mapping that is not a COW mapping", false};
            }
        } else if (!v.read && !force()) {
            return {-EFAULT, "check_vma_flags: read of a mapping without VM_READ, no FOLL_FORCE", false};
        }
        return {};
    }

    bool faulted_in(unsigned long from, unsigned long len) const {
        for (const auto& [addr, cnt] : w().trace.faults_per_page)
            if (addr >= from && addr - from < len && cnt)
                return true;
        return false;
    }

    // At most how many pages from page j on (in vma v, refused by the slow path)
    // GUP-fast could take by the ptes alone: present, user, writable for a write,
    // and under FOLL_LONGTERM not a DAX page (an upper bound: the exact pins are
    // still checked page by page).
    // GUP-fast walks ptes, not vmas: from page j it goes on, across vma
    // boundaries, while the MMU could use each entry.
    long fast_takes(long j, long n, const VmaSpec&) const {
        long k = 0;
        for (long i = j; i < n; ++i, ++k) {
            const RefEntry r = lookup(addr_of(i));
            if (!r.mapped || !(r.bits & _PAGE_PRESENT) || !(r.bits & _PAGE_USER) || (write() && !(r.bits & _PAGE_RW)))
                break;
            page* p = w().pfn_valid(r.pfn) ? w().pfn_to_page(r.pfn) : nullptr;
            const VmaSpec* here = spec_at(addr_of(i));
            if (!p || (longterm() && here && is_kind(here, FileKind::fsdax) && !PageAnon(p)))
                break;  // no struct page; or a DAX page, which GUP-fast leaves under FOLL_LONGTERM
        }
        return k;
    }

    // The injected allocation failures that fail a fault (VM_FAULT_OOM); THP and
    // its memcg charge fail soft; kcalloc and expand_stack are v4.15's.
    std::vector<SitePass> hard_failures() const {
        std::vector<SitePass> outv;
        const auto& sites = w().trace.sites;
        for (std::size_t i = 0; i < sites.size(); ++i) {
            const SitePass& sp = sites[i];
            if (!sp.failed || sp.site == AllocSite::thp_page || sp.site == AllocSite::kcalloc_vmas ||
                sp.site == AllocSite::expand_stack)
                continue;
            if (sp.site == AllocSite::memcg_charge && i > 0 && sites[i - 1].site == AllocSite::thp_page &&
                !sites[i - 1].failed)
                continue;
            outv.push_back(sp);
        }
        return outv;
    }

    Expect expected() const {
        Expect e;
        const long n = static_cast<long>(s().call.nr_pages);
        const std::string inv = invalid_args(s());
        if (!inv.empty()) {
            e.invalid = true;
            e.invalid_why = inv;
            e.rc = invalid_rc(s().call.entry);
            return e;
        }
        // "If nr_pages is 0, returns 0" (kernel-doc of __get_user_pages and get_user_pages_fast).
        if (n == 0) {
            e.rc = 0;
            return e;
        }
        const unsigned long start = s().call.start & PAGE_MASK;
        if (is_fast_entry(s().call.entry)) {
            const unsigned long len = static_cast<unsigned long>(n) << PAGE_SHIFT;
            if (start + len < start) {
                e.rc = -EOVERFLOW;
                e.why = "start + nr_pages overflows";
                return e;
            }
            if (start + len > TASK_SIZE_MAX) {
                e.rc = -EFAULT;
                e.why = "the range ends above TASK_SIZE_MAX (access_ok)";
                return e;
            }
        }
        const Trace& t = w().trace;
        auto undecided = [&](const std::string& why) {
            if (e.decided) {
                e.decided = false;
                e.undecided_why = why;
            }
        };
        if (t.signal_delivered_at)
            undecided("SIGKILL became pending (the contract does not say at which check it is seen: -EINTR or a "
                      "shorter count)");
        if (flags() & foll::NOWAIT)
            undecided("FOLL_NOWAIT (a fault that needs I/O returns the count so far, even 0)");
        if (flags() & foll::NOFAULT)
            undecided("FOLL_NOFAULT (the count stops at the first page that needs a fault)");

        if (t.ram_exhausted)
            undecided("simulated RAM ran out");
        // Migration passes themselves do not change the result (contract 5.1: a
        // successful migration leads to the next pass); an injected isolation or
        // migration failure (the 6.12 sites after AllocSite::COUNT) may turn it
        // into -ENOMEM/-EBUSY or keep the loop going, which the contract leaves open.
        for (const SitePass& sp : t.sites)
            if (sp.failed && static_cast<int>(sp.site) >= kAllocSiteCount) {
                undecided(std::string("an injected ") + alloc_site_name(sp.site) + " failure (isolation/migration)");
                break;
            }
        const auto hard = hard_failures();
        int entered = -2;  // the vma the walk is in (-1: none)
        for (long j = 0; j < n; ++j) {
            const unsigned long a = addr_of(j);
            int idx = -1;
            const VmaSpec* v = spec_at(a, &idx);
            std::string why;
            long err = 0;
            if (!v) {
                if (in_gate(a)) {
                    undecided("the range reaches the vsyscall gate page (get_gate_page; no documented contract)");
                    continue;
                }
                why = "no vma covers it (gup_vma_lookup does not expand stacks in 6.12)";
                err = -EFAULT;
            } else if (idx != entered) {
                entered = idx;
                const Refusal r = vma_refusal(*v);
                if (r.err) {
                    e.stop = j;
                    e.why = r.why + " (vma " + std::to_string(idx) + ")";
                    e.rc = j > 0 ? j : r.err;
                    e.refusal = r.r9;
                    e.refused_vma = idx;
                    e.max_count = j;
                    if (is_fast_entry(s().call.entry)) {
                        // GUP-fast sees ptes, not vmas: it takes what the MMU would
                        // use ("the page that would be accessed if a user thread
                        // accesses the given user virtual address", kernel-doc) before
                        // the slow path refuses the vma.  On x86 a writable pte is
                        // readable (a read pin of a VM_WRITE-only vma), and the
                        // anonymous COW pages of a private mapping are anonymous
                        // pages (not DAX pages) even in a filesystem-DAX vma.
                        const long k = fast_takes(j, n, *v);
                        if (k > 0) {
                            undecided("GUP-fast judges by the ptes, the slow path by the vma: the fast walk may "
                                      "take " + std::to_string(k) + " page(s) from the refused vma on");
                            e.max_count = j + k;
                        }
                    }
                    break;
                }
            }
            if (v && why.empty()) {
                for (const auto& [addr, code] : t.codes_fired)
                    if ((addr & PAGE_MASK) == a || (is_kind(v, FileKind::hugetlbfs) && (addr & PMD_MASK) == (a & PMD_MASK))) {
                        err = fault_errno(code);
                        why = "injected VM_FAULT code " + hex(static_cast<unsigned long>(code)) + " (" + rcs(err) + ")";
                        break;
                    }
            }
            if (v && why.empty())
                for (const SitePass& sp : hard) {
                    const bool huge = is_kind(v, FileKind::hugetlbfs);
                    if (huge ? (sp.addr & PMD_MASK) == (a & PMD_MASK) : (sp.addr & PAGE_MASK) == a) {
                        err = -ENOMEM;
                        why = std::string("injected ") + alloc_site_name(sp.site) + " failure (VM_FAULT_OOM: -ENOMEM)";
                        break;
                    }
                }
            // FOLL_DUMP: "give error on hole if it would be zero" (include/linux/mm_types.h):
            // an anonymous page never populated, or one mapping the (huge) zero page.
            // A bad table entry above the page is a hole to GUP's walk too
            // (follow_p4d/pud_mask and follow_page_pte's pmd_bad return
            // no_page_table), though the MMU walks through it.
            if (v && why.empty() && (flags() & foll::DUMP) && v->file < 0) {
                const RefEntry r = lookup(a);
                page* head = r.mapped && w().pfn_valid(r.pfn) ? compound_head(w().pfn_to_page(r.pfn)) : nullptr;
                if (!r.mapped || head == w().zero_page || head == w().huge_zero_page) {
                    err = -EFAULT;
                    why = "FOLL_DUMP and an anonymous hole that would read as zero (-EFAULT)";
                } else if (const char* level = bad_table_above(a)) {
                    err = -EFAULT;
                    why = std::string("FOLL_DUMP and a bad ") + level + " entry above an anonymous page: GUP's walk "
                          "sees no page table (no_page_table: -EFAULT)";
                }
            }
            // The same for hugetlb: an unmapped huge page that is not in the
            // file's page cache (a private write fault's copy never is) would
            // be zero-filled by a fault, so it is -EFAULT.  The cache after
            // the call is the cache at the check: GUP does not remove entries,
            // and the check comes before any fault on that huge page.
            if (v && why.empty() && (flags() & foll::DUMP) && is_kind(v, FileKind::hugetlbfs)) {
                const RefEntry r = lookup(a);
                const unsigned long idx = (((a - v->start) >> PAGE_SHIFT) + v->pgoff) & ~(HPAGE_PMD_NR - 1);
                const FileObj* fo = w().files.at(static_cast<std::size_t>(v->file)).get();
                if (!r.mapped && !fo->cache.count(idx)) {
                    err = -EFAULT;
                    why = "FOLL_DUMP and a hugetlb page absent from the page cache (-EFAULT, no_page_table)";
                }
            }
            if (v && why.empty()) {
                const Mapping m = walk(w(), &w().mm, a);
                const pteval_t val = m.value;
                if (is_swap_pte(pte_t{val}) && !(val & _PAGE_PROTNONE) &&
                    is_hwpoison_entry(pte_to_swp_entry(pte_t{val}))) {
                    err = fault_errno(VM_FAULT_HWPOISON);
                    why = "a hwpoison entry (" + rcs(err) + ")";
                }
            }
            if (v && why.empty())
                if (const FileSpec* f = file_of(v)) {
                    vm_area_struct* vm = find_vma(&w().mm, a);
                    const bool huge = f->kind == FileKind::hugetlbfs;
                    const unsigned long base = huge ? (a & PMD_MASK) : a;
                    const unsigned long idxf = ((base - vm->vm_start) >> PAGE_SHIFT) + vm->vm_pgoff;
                    const RefEntry r = lookup(a);
                    const bool anon_here = r.mapped && w().pfn_valid(r.pfn) && PageAnon(w().pfn_to_page(r.pfn));
                    if (idxf >= f->size_pages && !anon_here) {
                        err = -EFAULT;
                        why = "beyond the end of the file (VM_FAULT_SIGBUS: -EFAULT)";
                    } else if ((f->kind == FileKind::fsdax || f->kind == FileKind::devdax) &&
                               (!f->pgmap_live ||  // dying from the start, or killed by a pgmap-kill pre-op
                                !w().files.at(static_cast<std::size_t>(v->file))->pgmap->live)) {
                        undecided("a dying dev_pagemap under the range");
                    } else if (f->kind == FileKind::mmio && s().call.pages && !anon_here) {
                        if (flags() & foll::DUMP) {
                            // follow_page_pte: FOLL_DUMP avoids special pages in core dumps.
                            err = -EFAULT;
                            why = "FOLL_DUMP and a pfn without a struct page (VM_MIXEDMAP mmio): -EFAULT";
                        } else {
                            err = -EEXIST;
                            why = "a pfn without a struct page (VM_MIXEDMAP mmio) with a pages array (-EEXIST)";
                        }
                    } else if (huge && w().hugetlb_free == 0 && faulted_in(a & PMD_MASK, PMD_SIZE)) {
                        undecided("a hugetlb fault with an empty pool (whether it needs a new huge page depends on "
                                  "reservations)");
                    } else if (f->kind == FileKind::devdax && f->align_pages > 1) {
                        undecided("device-DAX aligned above 4 KiB (THP policy decides the fault size)");
                    }
                }
            if (!why.empty()) {
                e.stop = j;
                e.why = why;
                e.rc = j > 0 ? j : err;
                break;
            }
        }
        if (e.stop < 0)
            e.rc = n;
        if (e.stop < 0)
            e.max_count = n;
        else if (e.refused_vma < 0)
            e.max_count = e.stop;
        return e;
    }

    std::string expect_words(const Expect& e) const {
        if (e.invalid)
            return "invalid arguments (" + e.invalid_why + "): " + entry_name(s().call.entry) + " returns " +
                   rcs(e.rc);
        const long n = static_cast<long>(s().call.nr_pages);
        std::string out;
        if (e.stop < 0)
            out = n == 0 ? std::string("nr_pages 0") : "all " + std::to_string(n) + " pages can be pinned";
        else
            out = "pages [0, " + std::to_string(e.stop) + ") can be pinned and page " + std::to_string(e.stop) + " (" +
                  hex(addr_of(e.stop)) + ") is blocked: " + e.why;
        if (e.stop < 0 && !e.why.empty())
            out = e.why;
        if (!e.decided)
            out += "; the contract does not fix the result: " + e.undecided_why;
        return out;
    }

    // ------------------------------------------------------------------
    // R1 / R9: the return value.
    void rc_rule(const Expect& e) {
        const long rc = o.rc;
        const long n = static_cast<long>(s().call.nr_pages);
        const std::string r = "rc " + rcs(rc);
        if (e.invalid) {
            if (rc != e.rc)
                fail(Property::R2_invalid_pure, expect_words(e) + ", but it returned " + rcs(rc));
            return;
        }
        if (rc > n)
            return fail(Property::R1_rc_range, r + " exceeds nr_pages " + std::to_string(n));
        if (rc == 0 && n > 0 && !(flags() & foll::NOWAIT))
            return fail(Property::R1_rc_range, "rc 0 for nr_pages " + std::to_string(n) +
                                                   " with valid arguments and without FOLL_NOWAIT (pin_user_pages: zero only "
                                                   "for invalid arguments, nr_pages 0 or FOLL_NOWAIT)");
        if (rc < 0) {
            const bool unlocked = s().call.entry == k612::Call::pin_user_pages_unlocked ||
                                  s().call.entry == k612::Call::pin_user_pages_remote || is_fast_entry(s().call.entry);
            bool ok = rc == -EFAULT || rc == -ENOMEM || rc == -EINTR || rc == -EOPNOTSUPP || rc == -EEXIST ||
                      rc == -EBUSY || rc == -EREMOTEIO;
            ok |= rc == -EHWPOISON && (flags() & foll::HWPOISON);
            ok |= rc == -EAGAIN && unlocked;
            ok |= rc == -EOVERFLOW && is_fast_entry(s().call.entry);
            if (!ok)
                return fail(Property::R1_rc_range, r + " is not a value " + entry_name(s().call.entry) +
                                                       " returns for valid arguments (port-v6.12.md §5.1)");
        }
        if (!e.decided) {
            // The laws: never more than the pinnable prefix.
            if (rc > e.max_count)
                fail(e.refusal ? Property::R9_vma_refusal : Property::R1_rc_range,
                     r + " counts page " + std::to_string(e.max_count) + " (" + hex(addr_of(e.max_count)) +
                         ") although it is blocked: " + e.why);
            return;
        }
        if (rc == e.rc)
            return;
        const Property p = e.refusal || rc == -EOPNOTSUPP ? Property::R9_vma_refusal : Property::R1_rc_range;
        fail(p, r + " but " + expect_words(e) + ", so " + entry_name(s().call.entry) + " must return " + rcs(e.rc) +
                    " (count before the first blocked page, or its errno: __get_user_pages returns i ? i : ret)");
    }

    bool nothing_happened(std::string* what) const {
        const Trace& t = w().trace;
        if (!t.faults_per_page.empty())
            *what = std::to_string(t.faults_per_page.size()) + " pages were faulted";
        else if (take_snapshot(w()).tables_digest != o.before.tables_digest)
            *what = "the page tables changed";
        else if (o.counters.foll_pin_acquired != o.counters_before.foll_pin_acquired)
            *what = "NR_FOLL_PIN_ACQUIRED moved";
        else if (o.counters.mmf_has_pinned != o.counters_before.mmf_has_pinned)
            *what = "MMF_HAS_PINNED was set";
        else
            for (page* p : w().materialized_pages())
                if (!is_tail(p) && refs(p)) {
                    *what = describe_page(p) + " gained a reference";
                    break;
                }
        if (what->empty())
            for (std::size_t j = 0; j < o.pages.size(); ++j)
                if (o.pages[j] != o.page_sentinel) {
                    *what = "pages[" + std::to_string(j) + "] was written";
                    break;
                }
        return what->empty();
    }

    // R2: invalid arguments change nothing.
    void invalid_pure(const Expect& e) {
        if (!e.invalid)
            return;
        std::string what;
        if (!nothing_happened(&what))
            fail(Property::R2_invalid_pure, expect_words(e) + " and must change nothing, yet " + what);
    }

    // R4 (and the ledger laws): per folio, exactly the references pages[0, rc) name.
    void exact_pins() {
        std::map<page*, long> named, none;
        const long rc = o.rc;
        if (s().call.pages && rc > 0)
            for (long j = 0; j < rc && static_cast<std::size_t>(j) < o.pages.size(); ++j) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                if (p && p != o.page_sentinel)
                    named[compound_head(p)]++;
            }
        const std::string after = "after rc " + rcs(rc);
        for (std::string& m : ledger612(w(), pin() ? named : none, pin() ? none : named, o.pincounts_before, after,
                                        "pages[0.." + std::to_string(std::max(rc, 0L)) + ")", pin()))
            fail(Property::R4_exact_pins, std::move(m));
        for (std::size_t i = 0; i < w().pgmaps.size() && i < o.before.pgmap_refs.size(); ++i)
            if (w().pgmaps[i]->ref != o.before.pgmap_refs[i])
                fail(Property::R4_exact_pins, "dev_pagemap " + std::to_string(i) + " holds " +
                                                  std::to_string(w().pgmaps[i]->ref - o.before.pgmap_refs[i]) +
                                                  " extra reference(s) " + after + " (R17: the walk puts every pgmap it gets)");
    }

    // R3: the pin counters after the call name exactly the pins held.
    void pin_balance(const Expect& e) {
        const long acq = o.counters.foll_pin_acquired - o.counters_before.foll_pin_acquired;
        const long rel = o.counters.foll_pin_released - o.counters_before.foll_pin_released;
        long held = 0;
        if (pin() && s().call.pages && o.rc > 0)
            for (long j = 0; j < o.rc && static_cast<std::size_t>(j) < o.pages.size(); ++j) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                held += p && p != o.page_sentinel && !is_zero(compound_head(p));
            }
        if (acq - rel != held)
            fail(Property::R3_pin_balance,
                 "NR_FOLL_PIN_ACQUIRED moved by " + std::to_string(acq) + " and NR_FOLL_PIN_RELEASED by " +
                     std::to_string(rel) + " during the call, but " + std::to_string(held) +
                     " pins are held (one per returned page that is not the zero page; none on error)");
        if (!pin() && (acq || rel))
            fail(Property::R3_pin_balance, "a FOLL_GET call moved the FOLL_PIN counters (acquired " + std::to_string(acq) +
                                               ", released " + std::to_string(rel) + ")");
        if (held > 0 && !o.counters.mmf_has_pinned)
            fail(Property::R3_pin_balance, std::to_string(held) +
                                               " pages are pinned but MMF_HAS_PINNED is clear (fork would share them)");
        (void)e;
    }

    // P6 (shared law): pages[j] is the page mapped at its address after the call;
    // R13: [0, rc) all written, no write past the array.
    void correspondence() {
        const long rc = o.rc;
        if (!s().call.pages)
            return;
        for (long j = 0; j < rc && static_cast<std::size_t>(j) < o.pages.size(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            const unsigned long a = addr_of(j);
            if (!p || p == o.page_sentinel) {
                fail(Property::R13_pages_shape, "pages[" + std::to_string(j) + "] (" + hex(a) + ") is " +
                                                    (p ? "not written" : "NULL") + " although rc is " + std::to_string(rc));
                continue;
            }
            const RefEntry r = lookup(a);
            if (!r.mapped)
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(page_to_pfn(p)) +
                                                      " but nothing is mapped at " + hex(a) + " after the call");
            else if (r.pfn != page_to_pfn(p))
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(page_to_pfn(p)) +
                                                      " but the page tables map pfn " + hex(r.pfn) + " at " + hex(a));
        }
        const std::size_t n = s().call.nr_pages;
        for (std::size_t j = n; j < o.pages.size(); ++j)
            if (o.pages[j] != o.page_sentinel) {
                fail(Property::R13_pages_shape, "pages[" + std::to_string(j) + "] written beyond nr_pages " +
                                                    std::to_string(n) + " (an overrun of the caller's array)");
                break;
            }
    }

    // R6: where a longterm pin may not land; R7: a read-only longterm pin of a COW
    // mapping pins an exclusive anonymous page, never the zero page or page cache.
    void placement() {
        if (!longterm() || !pin() || !s().call.pages || o.rc <= 0)
            return;
        for (long j = 0; j < o.rc && static_cast<std::size_t>(j) < o.pages.size(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel)
                continue;
            const unsigned long a = addr_of(j);
            int idx = -1;
            const VmaSpec* v = spec_at(a, &idx);
            const std::string at = "pages[" + std::to_string(j) + "] (" + hex(a) + (idx >= 0 ? " in vma " + std::to_string(idx) : std::string()) + ")";
            // A DAX page is the file's own (ZONE_DEVICE) page; the anonymous COW copy
            // a private mapping holds is an ordinary page.
            if (v && is_kind(v, FileKind::fsdax) && !PageAnon(compound_head(p)))
                fail(Property::R6_placement, at + " is a filesystem-DAX page pinned FOLL_LONGTERM");
            if (v && write() && dirty_tracked(v) && !PageAnon(compound_head(p)))
                fail(Property::R6_placement, at + " is a page of a dirty-tracked shared file mapping pinned "
                                                  "FOLL_WRITE|FOLL_LONGTERM");
            if (page_zone(compound_head(p)) == kZoneMovable)
                fail(Property::R6_placement, at + " = " + describe_page(compound_head(p)) +
                                                 " lies in ZONE_MOVABLE (folio_is_longterm_pinnable is false)");
            if (v && !write() && !v->shared && v->maywrite && !is_kind(v, FileKind::hugetlbfs) &&
                !is_kind(v, FileKind::mmio)) {
                page* head = compound_head(p);
                if (!PageAnon(head))
                    fail(Property::R7_exclusive, at + " = " + describe_page(head) +
                                                     ": a read-only FOLL_LONGTERM pin of a private (COW) mapping must "
                                                     "pin an exclusive anonymous page (unshare), never the zero page or "
                                                     "a page-cache page (port-v6.12.md §3.11)");
            }
        }
    }

    // R7 (first half): every page pinned FOLL_PIN that is anonymous is
    // PageAnonExclusive at return (port-v6.12.md §6 R7; gup_must_unshare makes
    // GUP unshare a shared anonymous page before pinning it, so that the pin
    // and the mapping cannot diverge; DEBUG_VM's sanity_check_pinned_pages
    // asserts the same at unpin).  The flag is per subpage, a hugetlb folio's
    // on its head.
    void pinned_anon_exclusive() {
        if (!pin() || !s().call.pages || o.rc <= 0)
            return;
        for (long j = 0; j < o.rc && static_cast<std::size_t>(j) < o.pages.size(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel || !PageAnon(p))
                continue;
            page* head = compound_head(p);
            const page* holder = folio_test_hugetlb(head) ? head : p;
            if (!(holder->flags & (1UL << PG_anon_exclusive)))
                fail(Property::R7_exclusive, "pages[" + std::to_string(j) + "] (" + hex(addr_of(j)) + ") = " +
                                                 describe_page(head) + " is pinned but not PageAnonExclusive" +
                                                 (holder != p ? " (on its hugetlb head)" : "") +
                                                 ": a later write fault would copy it away from the pin");
        }
    }

    // R10: the longterm migration loop is bounded.  Only FOLL_LONGTERM collects
    // unpinnable folios (__gup_longterm_locked, port-v6.12.md §3.3); in the
    // model a folio is unpinnable only in ZONE_MOVABLE (no CMA, no isolated
    // pageblock, no device-coherent memory), so without ZONE_MOVABLE nothing is
    // isolated or migrated.  With it, every successful isolation migrates its
    // folio (the entry maps a pinnable folio from then on) or ends the call
    // (-ENOMEM), and a failed isolation costs one more pass: at most one
    // isolation per entry plus one per failed isolation.
    void isolation_bound() {
        unsigned iso = 0, iso_failed = 0, mig = 0;
        for (const SitePass& sp : w().trace.sites) {
            iso += sp.site == AllocSite::isolate_lru;
            iso_failed += sp.site == AllocSite::isolate_lru && sp.failed;
            mig += sp.site == AllocSite::migrate_pages;
        }
        const long moved = o.counters.migrations - o.counters_before.migrations;
        const bool may_migrate = longterm() && pin() && s().config.zone_movable;
        if (!may_migrate && (iso || mig || moved))
            return fail(Property::R10_isolation_bound,
                        std::to_string(iso) + " folio_isolate_lru and " + std::to_string(mig) +
                            " migrate_pages pass(es), " + std::to_string(moved) + " folio(s) migrated, although " +
                            (!longterm() || !pin() ? std::string("the call is not a FOLL_LONGTERM pin (only a longterm pin "
                                                                 "migrates unpinnable folios)")
                                                   : std::string("no folio is unpinnable (no ZONE_MOVABLE, CMA or "
                                                                 "device-coherent memory)")));
        const unsigned long n = s().call.nr_pages;
        if (iso > n + iso_failed)
            fail(Property::R10_isolation_bound,
                 std::to_string(iso) + " folio_isolate_lru passes for " + std::to_string(n) + " page(s) and " +
                     std::to_string(iso_failed) + " failed isolation(s): the migration loop isolates a folio again "
                     "after migrating it (bound: one per entry plus one per failed isolation)");
    }

    // R11: after any return no folio is left isolated (a migrated folio's
    // isolation reference goes with it, an unmigrated one is put back on the
    // LRU: putback_movable_pages), and a migration that failed ends the pin
    // with -ENOMEM and nothing pinned (contract 5.1; the fast entry may still
    // return its fast prefix, 5.2).  User folios are on the LRU from their
    // allocation in the model (the per-CPU batches always drained).
    void migration_outcome() {
        for (page* p : w().materialized_pages()) {
            if (is_tail(p) || !p->allocated() || p->zone_device() || folio_test_hugetlb(p))
                continue;
            if ((PageAnon(p) || p->mapping) && !(p->flags & (1UL << PG_lru)))
                fail(Property::R11_migration, describe_page(p) + " is off the LRU after the call (isolated and never "
                                                                 "put back: folio_isolate_lru without putback_movable_pages)");
        }
        bool failed = false;
        for (const SitePass& sp : w().trace.sites)
            failed |= sp.site == AllocSite::migrate_pages && sp.failed;
        if (!failed)
            return;
        if (is_fast_entry(s().call.entry) ? (o.rc != -ENOMEM && o.rc <= 0) : o.rc != -ENOMEM)
            fail(Property::R11_migration, "migrate_pages failed to move a folio (injected), so the longterm pin must fail "
                                          "with -ENOMEM" +
                                              std::string(is_fast_entry(s().call.entry) ? " (or return GUP-fast's prefix)" : "") +
                                              ", but it returned " + rcs(o.rc));
    }

    // R9: the pages of a refused vma are never faulted.
    void refused_untouched(const Expect& e) {
        if (e.refused_vma < 0 || !e.refusal)
            return;
        const VmaSpec& v = s().vmas[static_cast<std::size_t>(e.refused_vma)];
        for (const auto& [addr, cnt] : w().trace.faults_per_page)
            if (addr >= v.start && addr < v.end)
                return fail(Property::R9_vma_refusal, "vma " + std::to_string(e.refused_vma) + " is refused when the walk "
                                                      "enters it (" + e.why + "), yet " + hex(addr) + " was faulted " +
                                                      std::to_string(cnt) + " time(s)");
    }

    // The level of a bad entry on the way to addr ("p4d", "pud", "pmd"), or
    // nullptr: entries the kernel's *_bad() rejects but the MMU walks through.
    const char* bad_table_above(unsigned long addr) const {
        const p4d_t p4d{pgd_t{w().mm.pgd[pgd_index(addr)].pgd}};
        if (p4d_none(p4d) || !(p4d_val(p4d) & _PAGE_PRESENT))
            return nullptr;
        if (p4d_bad(p4d))
            return "p4d";
        const pud_t pud{w().table_of(p4d_val(p4d))[pud_index(addr)]};
        if (pud_none(pud) || !(pud_val(pud) & _PAGE_PRESENT) || pud_devmap(pud) || pud_huge(pud))
            return nullptr;
        if (pud_bad(pud))
            return "pud";
        const pmd_t pmd{w().table_of(pud_val(pud))[pmd_index(addr)]};
        if (pmd_none(pmd) || !(pmd_val(pmd) & _PAGE_PRESENT) || (pmd_val(pmd) & _PAGE_PSE) || pmd_devmap(pmd))
            return nullptr;
        return pmd_bad(pmd) ? "pmd" : nullptr;
    }

    // A livelock the 6.12 kernel itself has, recognised from the state at addr.
    std::string known_livelock(unsigned long addr) const {
        const p4d_t p4d{pgd_t{w().mm.pgd[pgd_index(addr)].pgd}};
        bool bad = !p4d_none(p4d) && p4d_bad(p4d);
        if (!bad && !p4d_none(p4d) && (p4d_val(p4d) & _PAGE_PRESENT)) {
            const pud_t pud{w().table_of(p4d_val(p4d))[pud_index(addr)]};
            bad = !pud_none(pud) && !pud_devmap(pud) && !pud_huge(pud) && pud_bad(pud);
        }
        if (bad)
            return "a bad p4d/pud entry: 6.12's follow_p4d_mask/follow_pud_mask treat *_bad as no page table and "
                   "ask for a fault, but __handle_mm_fault never clears a bad p4d/pud (only a bad pmd is cleared), "
                   "so GUP faults and retries until SIGKILL";
        const Mapping m = walk(w(), &w().mm, addr);
        if (m.level == Level::pte && (m.value & _PAGE_PRESENT) && pte_devmap(pte_t{m.value})) {  // 6.12's bit 57
            dev_pagemap* pg = w().find_pgmap((m.value & PTE_PFN_MASK) >> PAGE_SHIFT);
            if (pg && !pg->live)
                return "6.12 follow_page_pte: get_dev_pagemap fails for a present devmap pte whose pgmap is dying, "
                       "so it returns NULL (no_page, pte not none); the fault finds the present pte and GUP retries "
                       "until the mapping is zapped or SIGKILL arrives (port-v6.12.md 3.10 step 6)";
        }
        return "";
    }

    // A WARN in gup.c on a call with valid arguments.  The refusals of invalid
    // arguments WARN by design (is_valid_gup_args, GUP-fast's flag check), and
    // __get_user_pages_locked WARNs when no page was done without FOLL_NOWAIT on
    // its way to -EFAULT (a result R1 judges); every other WARN_ON in mm/gup.c
    // is a broken invariant (a folio refcount <= 0 under try_grab_folio, a pin
    // count below its bias at unpin, FOLL_PIN|FOLL_GET, a slab folio), which the
    // contract of a valid call never allows.  Matched by condition, not line.
    void warnings_on_valid_call(const Expect& e) {
        if (!o.warnings || e.invalid)
            return;
        for (const std::string& wmsg : *o.warnings)
            if (wmsg.find("pages_done == 0") == std::string::npos)
                fail(Property::P11_refcount_sanity, "mm/gup.c WARNed on a call with valid arguments: " + wmsg);
    }

    void refcount_sanity(std::size_t from) {
        const auto& v = w().trace.violations;
        for (std::size_t i = from; i < v.size(); ++i)
            fail(Property::P11_refcount_sanity, v[i]);
        for (page* p : w().materialized_pages())
            if (!is_tail(p) && refs(p) < 0)
                fail(Property::P11_refcount_sanity, describe_page(p) + " lost a reference it did not give out");
    }
};

}  // namespace

std::vector<std::string> ledger612(World& w, const std::map<page*, long>& pins, const std::map<page*, long>& gets,
                                   const std::vector<std::pair<page*, int>>& pincounts_before, const std::string& after,
                                   const std::string& who, bool pin_mode) {
    const Snapshot snap;
    const k612::Counters zero;
    const std::vector<page*> none;
    const std::string crash;
    const Scenario s;
    const Observation612 o{s, w, 0, none, nullptr, snap, zero, zero, pincounts_before, false, crash};
    const Checker612 c{o, {}};
    std::vector<std::string> out;
    for (page* p : w.materialized_pages()) {
        if (is_tail(p))
            continue;
        const auto ip = pins.find(p), ig = gets.find(p);
        const long np = ip == pins.end() ? 0 : ip->second, ng = ig == gets.end() ? 0 : ig->second;
        const bool large = folio_order(p) > 0;
        // The zero page is never pinned (pin_user_pages.rst); FOLL_GET takes +1 on any page.
        const long want_refs = (c.is_zero(p) ? 0 : large ? np : GUP_PIN_COUNTING_BIAS * np) + ng;
        const long want_pins = large && !c.is_zero(p) ? np : 0;
        const bool as_pin = np > 0 || (ng == 0 && pin_mode);
        const long have = c.refs(p);
        if (have != want_refs)
            out.push_back(c.describe_page(p) + " holds " + std::to_string(have) + " GUP reference(s) " + after +
                          ", but " + who + " names it " + std::to_string(np + ng) + " time(s), so it must hold " +
                          std::to_string(want_refs) +
                          (as_pin ? (c.is_zero(p) ? " (the zero page is never pinned)"
                                                  : large ? " (a large folio: +1 per page and _pincount +1)"
                                                          : " (GUP_PIN_COUNTING_BIAS 1024 per pin)")
                                  : " (FOLL_GET: +1 per page)"));
        if (large) {
            const long dp = folio_pincount(p) - c.pincount_before(p);
            if (dp != want_pins)
                out.push_back(c.describe_page(p) + ": _pincount moved by " + std::to_string(dp) + " " + after + ", want " +
                              std::to_string(want_pins));
        }
    }
    return out;
}

static std::vector<Failure> check_call612_contract(const Observation612& o);
static std::vector<Failure> check_release612_contract(const Observation612& o, std::size_t violations_before);

std::vector<std::pair<page*, int>> pincount_snapshot(World& w) {
    std::vector<std::pair<page*, int>> out;
    for (page* p : w.materialized_pages())
        if (!is_tail(p) && folio_order(p) > 0)
            out.emplace_back(p, folio_pincount(p));
    return out;
}

// Behaviours of the 6.12 kernel itself that depart from its documented
// contract, recognised from the scenario (never from the code path): their
// failures are reported with the explanation, as v4.15's known issues are.
static std::string known_kernel_issue(const Scenario& s) {
    if (is_fast_entry(s.call.entry) && s.call.nr_pages == 0)
        return "GUP-fast (6.12's gup_fast_fallback, 6.1's internal_get_user_pages_fast) has no nr_pages == 0 "
               "check (the kernel-doc of get_user_pages_fast, which "
               "pin_user_pages_fast refers to, says \"If nr_pages is 0 or negative, returns 0\"): the range checks "
               "run first (-EFAULT above TASK_SIZE_MAX), and with start == end the GUP-fast walkers, written as "
               "do { } while (addr != end) loops, take the first page and go on past it until an entry stops them, "
               "pinning pages and writing pages[] beyond the caller's zero-length array (port-v6.12.md 3.14)";
    return "";
}

// Behaviours of Linux 6.1 that the contract as 6.12 states it does not
// allow, and that later kernels changed on purpose (each names the change):
// recognised from the scenario and the property that fails, never from 6.1's
// code path.  Anything else 6.1 does differently is a finding.
static std::string known_61_behaviour(const Scenario& s, const Failure& f) {
    if (s.kernel != Kernel::v6_1)
        return "";
    const unsigned fl = s.call.gup_flags;
    const bool pin = s.call.entry != k612::Call::get_user_pages && s.call.entry != k612::Call::get_user_pages_fast;
    const bool longterm = fl & k612::foll::LONGTERM, write = fl & k612::foll::WRITE;
    const unsigned long end = s.call.start + s.call.nr_pages * PAGE_SIZE;
    bool dirty_tracked_file = false;  // vma_needs_dirty_tracking: a shared writable disk-file mapping
    for (const VmaSpec& v : s.vmas)
        if (v.start < end && v.end > s.call.start && v.shared && v.write && v.file >= 0 &&
            s.files[static_cast<std::size_t>(v.file)].kind == FileKind::regular)
            dirty_tracked_file = true;
    // pin_user_pages_unlocked(FOLL_LONGTERM): 6.1's get_user_pages_unlocked
    // refuses it with WARN_ON_ONCE and -EINVAL ("FIXME: Current FOLL_LONGTERM
    // behavior is incompatible with FAULT_FLAG_ALLOW_RETRY ... we simply
    // disallow this option for now"); 6.12 takes it (the FS DAX check moved
    // into check_vma_flags).  (pin_user_pages_remote has the same restriction
    // for a non-NULL `locked`; the 6.1 glue passes NULL with FOLL_LONGTERM, as
    // 6.1's callers do: core/kernel612/glue.c.)
    if (s.call.entry == k612::Call::pin_user_pages_unlocked && longterm &&
        (f.property == Property::R1_rc_range || f.property == Property::P11_refcount_sanity))
        return "Linux 6.1 refuses FOLL_LONGTERM in pin_user_pages_unlocked (get_user_pages_unlocked: "
               "WARN_ON_ONCE(gup_flags & FOLL_LONGTERM), -EINVAL, its FIXME: FOLL_LONGTERM was incompatible with "
               "FAULT_FLAG_ALLOW_RETRY because of the FS DAX check on vmas); 6.12 takes it, the DAX check being "
               "check_vma_flags' since v6.3 (Jason Gunthorpe, \"mm/gup: remove the restriction on locked with "
               "FOLL_LONGTERM\", 2023)";
    switch (f.property) {
    case Property::R6_placement:
    case Property::R9_vma_refusal:
        if (pin && longterm && write && dirty_tracked_file)
            return "Linux 6.1 lets FOLL_LONGTERM|FOLL_WRITE pin the page cache of a dirty-tracked shared file "
                   "mapping (a disk filesystem's), so writeback can clean a page the device keeps writing; v6.5 "
                   "refuses it (Lorenzo Stoakes, \"mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to "
                   "file-backed mappings\" and \"... GUP-fast ...\", 2023; writable_file_mapping_allowed)";
        break;
    case Property::R7_exclusive:
        if (pin && longterm && !write)
            return "Linux 6.1 pins the shared zero page or a page-cache page for a read-only FOLL_LONGTERM pin of a "
                   "private (COW) mapping, which the next write fault replaces, so the pin stops seeing the "
                   "process's data; 84209e87c696 (\"mm/gup: reliable R/O long-term pinning in COW mappings\", "
                   "v6.2) unshares first (FAULT_FLAG_UNSHARE for anything in a COW mapping)";
        break;
    case Property::R2_invalid_pure:
        return "Linux 6.1 has no is_valid_gup_args() (v6.3): its entry points accept the internal FOLL_* flags "
               "from a caller (pin_user_pages* OR in FOLL_PIN anyway) and refuse FOLL_PIN|FOLL_GET or a missing "
               "pages array with a WARN and -EINVAL, where 6.12 returns 0 and changes nothing";
    default:
        break;
    }
    return "";
}

static void mark_known(const Scenario& s, std::vector<Failure>& out) {
    const std::string known = known_kernel_issue(s);
    for (Failure& f : out) {
        if (f.property == Property::P12_termination || !f.known_issue.empty())
            continue;
        if (!known.empty())
            f.known_issue = known;
        else
            f.known_issue = known_61_behaviour(s, f);
    }
}

std::vector<Failure> check_call612(const Observation612& o) {
    std::vector<Failure> out = check_call612_contract(o);
    mark_known(o.s, out);
    return out;
}

static std::vector<Failure> check_call612_contract(const Observation612& o) {
    Checker612 c{o, {}};
    if (o.crashed) {
        unsigned long at = 0;
        unsigned worst = 0;
        for (const auto& [addr, n] : o.w.trace.faults_per_page)
            if (n > worst) {
                worst = n;
                at = addr;
            }
        c.out.push_back({Property::P12_termination, "the call did not return normally: " + o.crash,
                         o.crash.find("livelock") != std::string::npos && worst ? c.known_livelock(at) : ""});
        c.refcount_sanity(0);
        return c.out;
    }
    const Expect e = c.expected();
    c.rc_rule(e);
    c.invalid_pure(e);
    c.exact_pins();
    c.pin_balance(e);
    c.correspondence();
    c.placement();
    c.pinned_anon_exclusive();
    c.isolation_bound();
    c.migration_outcome();
    c.refused_untouched(e);
    c.refcount_sanity(0);
    c.warnings_on_valid_call(e);
    return c.out;
}

std::vector<Failure> check_release612(const Observation612& o, std::size_t violations_before) {
    std::vector<Failure> out = check_release612_contract(o, violations_before);
    mark_known(o.s, out);
    return out;
}

static std::vector<Failure> check_release612_contract(const Observation612& o, std::size_t violations_before) {
    Checker612 c{o, {}};
    for (page* p : o.w.materialized_pages()) {
        if (is_tail(p))
            continue;
        if (c.refs(p) > 0)
            c.fail(o.rc < 0 ? Property::R3_pin_balance : Property::R4_exact_pins,
                   "after the caller's release (" + std::string(c.pin() ? "unpin_user_pages" : "put_page") + "), " +
                       c.describe_page(p) + " still holds " + std::to_string(c.refs(p)) + " reference(s)");
        if (folio_order(p) && folio_pincount(p) != c.pincount_before(p))
            c.fail(Property::R3_pin_balance, "after the caller's release, " + c.describe_page(p) +
                                                 " has _pincount " + std::to_string(folio_pincount(p)) + " (was " +
                                                 std::to_string(c.pincount_before(p)) + " before the call)");
    }
    const long acq = o.counters.foll_pin_acquired - o.counters_before.foll_pin_acquired;
    const long rel = o.counters.foll_pin_released - o.counters_before.foll_pin_released;
    if (acq != rel)
        c.fail(Property::R3_pin_balance, "after the call and the caller's release NR_FOLL_PIN_ACQUIRED moved by " +
                                             std::to_string(acq) + " but NR_FOLL_PIN_RELEASED by " + std::to_string(rel) +
                                             " (pin_user_pages.rst: they must be equal)");
    for (std::size_t i = 0; i < o.w.pgmaps.size() && i < o.before.pgmap_refs.size(); ++i)
        if (o.w.pgmaps[i]->ref != o.before.pgmap_refs[i])
            c.fail(Property::R4_exact_pins, "after the caller's release, dev_pagemap " + std::to_string(i) + " holds " +
                                                std::to_string(o.w.pgmaps[i]->ref - o.before.pgmap_refs[i]) +
                                                " extra reference(s)");
    c.refcount_sanity(violations_before);
    return c.out;
}

std::string expected612_words(const Scenario& s, World& w) {
    const Snapshot snap;
    const k612::Counters zero;
    const std::vector<page*> none;
    const std::vector<std::pair<page*, int>> pins;
    const std::string crash;
    const Observation612 o{s, w, 0, none, nullptr, snap, zero, zero, pins, false, crash};
    Checker612 c{o, {}};
    const Expect e = c.expected();
    return "the contract: " + c.expect_words(e) + (e.decided ? " -> rc " + errno_name(e.rc) : std::string());
}

}  // namespace gupfuzz::harness
