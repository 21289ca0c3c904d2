// SPDX-License-Identifier: GPL-2.0-only
#include "core/kernel/hex.h"
#include "core/harness/oracle.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
#include <unordered_map>
#include <sstream>

#include "core/kernel/walk.h"

namespace gupfuzz::harness {

namespace {
const char* const kPropId[] = {"P1", "P2", "P3",  "P4",  "P5", "P6", "P7", "P8", "P9", "P10", "P11", "P12",
                               "P13", "P14", "P16", "P17", "R1", "R2", "R3", "R4", "R6", "R7", "R9", "R10", "R11", "R13"};
const char* const kPropName[] = {"return value range",
                                 "-EINVAL is pure",
                                 "kcalloc failure gives -ENOMEM and nothing else",
                                 "no page reference leak on error",
                                 "exact pins on success",
                                 "pages/vmas correspond to the page tables",
                                 "-EOPNOTSUPP iff filesystem-DAX in the pinned prefix",
                                 "a partial count stops at a blocked address",
                                 "vmas array ownership",
                                 "mmap_sem held throughout",
                                 "refcount sanity",
                                 "termination (no BUG, bounded faults)",
                                 "write/COW semantics (Dirty COW rule)",
                                 "untouched anonymous memory reads as the zero page",
                                 "FS_DAX=n alias equals get_user_pages",
                                 "a negative rc is passed through untouched",
                                 "6.12 return value (count before the first blocked page, or its errno)",
                                 "6.12 invalid arguments are refused and pure",
                                 "6.12 pin balance (NR_FOLL_PIN_ACQUIRED/RELEASED, MMF_HAS_PINNED)",
                                 "6.12 exact pins (GUP_PIN_COUNTING_BIAS / _pincount, zero page never pinned)",
                                 "6.12 placement of longterm pins",
                                 ("6.12 exclusivity (pinned anonymous pages are PageAnonExclusive; a read-only "
                                  "longterm pin of a COW mapping pins an exclusive anonymous page)"),
                                 "6.12 per-vma refusal (fsdax, dirty-tracked file write)",
                                 "6.12 bounded migration loop (isolation only for unpinnable folios under FOLL_LONGTERM)",
                                 "6.12 migration correctness (no folio left isolated; a failed migration is -ENOMEM)",
                                 "6.12 pages[] shape"};
static_assert(sizeof kPropId / sizeof kPropId[0] == static_cast<int>(Property::COUNT));
static_assert(sizeof kPropName / sizeof kPropName[0] == static_cast<int>(Property::COUNT));
}  // namespace

const char* property_id(Property p) { return kPropId[static_cast<int>(p)]; }
const char* property_name(Property p) { return kPropName[static_cast<int>(p)]; }

using namespace gupfuzz::kernel;

namespace {

constexpr long KMALLOC_MAX_PAGES = 524288;  // 4 MiB / sizeof(void *)
constexpr unsigned kMaxFaultsPerAddress = 3;  // write -> COW -> re-fault (seed-port.md P12)

struct Checker {
    const Observation& o;
    std::vector<Failure> out;

    void fail(Property p, std::string msg, std::string known = "") {
        out.push_back({p, std::move(msg), std::move(known)});
    }

    const Scenario& s() const { return o.s; }
    World& w() const { return o.w; }
    unsigned long addr_of(long j) const { return (s().call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE; }
    bool pages_given() const { return s().call.pages; }
    bool write() const { return s().call.gup_flags & FOLL_WRITE; }
    bool force() const { return s().call.gup_flags & FOLL_FORCE; }

    // The scenario vma covering addr now (stacks may have grown), or null.
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
    bool in_gate(unsigned long addr) const {
        return s().config.gate && addr >= VSYSCALL_ADDR && addr < VSYSCALL_ADDR + PAGE_SIZE;
    }

    // The reference answer: what the page tables map at addr, as a pfn.
    // The reference answer (core/kernel/walk.h mapped_pfn).
    RefEntry lookup(unsigned long addr) const {
        const bool gate = in_gate(addr) && !spec_at(addr);
        return mapped_pfn(w(), gate ? &w().init_mm : &w().mm, addr);
    }

    int pins(page* p) const { return p->_refcount - p->model_refs(); }

    std::string describe_page(page* head) const {
        std::string kind = head == w().zero_page        ? "the zero page"
                           : head == w().huge_zero_page ? "the huge zero page"
                           : head == w().gate_page      ? "the vsyscall gate page"
                           : head->zone_device()          ? "a ZONE_DEVICE (DAX) page"
                           : PageAnon(head)             ? (head->compound_order() ? "an anonymous THP" : "an anonymous page")
                           : head->mapping              ? (head->compound_order() ? "a huge page-cache page" : "a page-cache page")
                                                        : "a page";
        std::string where;
        const unsigned long n = std::min<unsigned long>(s().call.nr_pages, 4096);
        for (unsigned long j = 0; j < n && where.empty(); ++j) {
            RefEntry r = lookup(addr_of(static_cast<long>(j)));
            if (r.mapped && w().pfn_valid(r.pfn) && compound_head(w().pfn_to_page(r.pfn)) == head) {
                int idx = -1;
                spec_at(addr_of(static_cast<long>(j)), &idx);
                where = ", mapped at " + hex(addr_of(static_cast<long>(j))) +
                        (idx >= 0 ? " in vma " + std::to_string(idx) : std::string());
            }
        }
        return "pfn " + hex(head->pfn()) + " (" + kind + where + "; refcount " + std::to_string(head->_refcount) +
               ", of which " + std::to_string(head->model_refs()) + " mapping/cache/owner)";
    }

    // A livelock that v4.15 itself has, recognised from the state at addr.
    std::string known_livelock(unsigned long addr) const {
        // A bad p4d or pud above addr (the kernel's *_bad; the MMU walks through it).
        const p4d_t p4d{pgd_t{w().mm.pgd[pgd_index(addr)].pgd}};
        bool bad = !p4d_none(p4d) && p4d_bad(p4d);
        if (!bad && !p4d_none(p4d) && (p4d_val(p4d) & _PAGE_PRESENT)) {
            const pud_t pud{w().table_of(p4d_val(p4d))[pud_index(addr)]};
            bad = !pud_none(pud) && !pud_devmap(pud) && !pud_huge(pud) && pud_bad(pud);
        }
        if (bad)
            return "a bad p4d/pud entry: follow_p?d_mask sees *_bad and asks for a fault, but v4.15 "
                   "__handle_mm_fault never clears a bad p4d/pud (only pmd_clear_bad is reachable), so the fault "
                   "succeeds through the old tables and GUP retries until SIGKILL";
        const Mapping m = walk(w(), &w().mm, addr);
        const pteval_t v = m.value;
        if (m.level == Level::pte && (v & _PAGE_DEVMAP) && (v & _PAGE_PRESENT)) {
            dev_pagemap* pg = w().find_pgmap((v & PTE_PFN_MASK) >> PAGE_SHIFT);
            if (pg && !pg->live)
                return "v4.15 follow_page_pte: get_dev_pagemap fails for a devmap pte whose pgmap is dying, so it "
                       "returns NULL (no_page, pte not none); the fault finds the present pte and returns 0, and "
                       "GUP retries until the mapping is zapped or SIGKILL arrives (seed-port.md 2.7 step 6)";
        }
        return "";
    }

    unsigned long most_faulted(unsigned* count) const {
        unsigned worst = 0;
        unsigned long at = 0;
        for (const auto& [addr, n] : w().trace.faults_per_page)
            if (n > worst) {
                worst = n;
                at = addr;
            }
        *count = worst;
        return at;
    }

    // ---------------------------------------------------------------
    void termination() {
        unsigned worst = 0;
        const unsigned long at = most_faulted(&worst);
        if (worst > kMaxFaultsPerAddress)
            fail(Property::P12_termination,
                 "handle_mm_fault ran " + std::to_string(worst) + " times for " + hex(at) + " (bound " +
                     std::to_string(kMaxFaultsPerAddress) + ")",
                 known_livelock(at));
    }

    void rc_range() {
        const long rc = o.rc;
        const long n = static_cast<long>(s().call.nr_pages);
        const unsigned f = s().call.gup_flags;
        const std::string r = "rc " + errno_name(rc);
        if (s().plan.gup_rc_stub && rc == *s().plan.gup_rc_stub)
            return;
        if (rc > n)
            return fail(Property::P1_rc_range, r + " exceeds nr_pages " + std::to_string(n));
        if (rc == 0 && n > 0 && !(f & FOLL_NOWAIT))
            return fail(Property::P1_rc_range, "rc 0 for nr_pages " + std::to_string(n) +
                                                   " without FOLL_NOWAIT: a caller looping on progress would spin");
        if (rc >= 0)
            return;
        bool ok = rc == -ENOMEM || rc == -EFAULT || rc == -ERESTARTSYS;
        ok |= rc == -EINVAL && !pages_given();
        ok |= rc == -EOPNOTSUPP && s().config.fs_dax;
        ok |= rc == -EHWPOISON && (f & FOLL_HWPOISON);
        if (!ok)
            return fail(Property::P1_rc_range, r + " is not a value get_user_pages_longterm can return with these arguments");
        // The errno itself, from the contract: the block at page 0 decides it.
        const std::optional<long> want = expected_longterm();
        if (!want || *want >= 0 || rc == *want || rc == -EOPNOTSUPP || *want == -EOPNOTSUPP)
            return;
        const Expected& e = expected();
        if (e.loose_max >= 0 && (rc == -ERESTARTSYS || rc == -EFAULT))
            return;  // a SIGKILL stop inside a populated VM_LOCKED stack
        fail(Property::P1_rc_range, r + " but page 0 (" + hex(addr_of(0)) + ") is blocked by " + e.why +
                                        ", for which v4.15 returns " + errno_name(*want));
    }

    bool nothing_happened(std::string* what) const {
        const Trace& t = w().trace;
        if (!t.faults_per_page.empty())
            *what = std::to_string(t.faults_per_page.size()) + " pages were faulted";
        else if (take_snapshot(w()).tables_digest != o.before.tables_digest)
            *what = "the page tables changed";
        else
            for (page* p : w().materialized_pages())
                if (pins(p)) {
                    *what = describe_page(p) + " gained a reference";
                    break;
                }
        return what->empty();
    }

    void einval_pure() {
        if (!s().config.fs_dax || pages_given())
            return;
        std::string what;
        if (o.rc != -EINVAL)
            fail(Property::P2_einval_pure, "pages == NULL but rc " + errno_name(o.rc) + " (want -EINVAL)");
        if (w().trace.kmalloc_calls)
            fail(Property::P2_einval_pure, "pages == NULL, yet kcalloc was called " +
                                               std::to_string(w().trace.kmalloc_calls) + " time(s)");
        if (!nothing_happened(&what))
            fail(Property::P2_einval_pure, "pages == NULL, yet " + what);
    }

    void kcalloc_rule() {
        if (!s().config.fs_dax || !pages_given() || s().call.vmas || s().plan.gup_rc_stub)
            return;
        const long n = static_cast<long>(s().call.nr_pages);
        const Trace& t = w().trace;
        if (n == 0) {
            if (t.count_site(AllocSite::kcalloc_vmas))
                fail(Property::P3_kcalloc, "kcalloc(0) is ZERO_SIZE_PTR and must not be an injectable failure");
            if (o.rc != 0)
                fail(Property::P3_kcalloc, "nr_pages 0 gave rc " + errno_name(o.rc) + " (want 0)");
            return;
        }
        bool injected = false;
        for (const auto& sp : t.sites)
            injected |= sp.site == AllocSite::kcalloc_vmas && sp.failed;
        if (n > KMALLOC_MAX_PAGES || injected) {
            std::string what;
            const std::string why = injected ? "kcalloc of the vmas array failed (injected)"
                                             : "kcalloc of " + std::to_string(n * 8) + " bytes exceeds KMALLOC_MAX_SIZE";
            if (o.rc != -ENOMEM)
                fail(Property::P3_kcalloc, why + " but rc " + errno_name(o.rc) + " (want -ENOMEM)");
            if (!nothing_happened(&what))
                fail(Property::P3_kcalloc, why + ", yet " + what);
        }
    }

    void pgmaps_unchanged(Property p, const std::string& when) {
        for (std::size_t i = 0; i < w().pgmaps.size(); ++i)
            if (w().pgmaps[i]->ref != o.before.pgmap_refs[i])
                fail(p, when + ": dev_pagemap " + std::to_string(i) + " holds " +
                            std::to_string(w().pgmaps[i]->ref - o.before.pgmap_refs[i]) + " extra reference(s)");
    }

    void no_leak_on_error() {
        if (o.rc >= 0)
            return;
        const std::string when = "after rc " + errno_name(o.rc);
        for (page* p : w().materialized_pages())
            if (pins(p) != 0 && !(p->compound_head & 1))
                fail(Property::P4_no_leak_on_error,
                     describe_page(p) + " holds " + std::to_string(pins(p)) + " GUP reference(s) " + when);
        pgmaps_unchanged(Property::P4_no_leak_on_error, when);
        if (o.rc != -EOPNOTSUPP) {
            for (std::size_t j = 0; j < o.pages.size(); ++j)
                if (o.pages[j] != o.page_sentinel)
                    return fail(Property::P4_no_leak_on_error, "pages[" + std::to_string(j) + "] was written although " +
                                                                   "nothing was pinned (" + when + ")");
        }
    }

    void exact_pins() {
        if (o.rc < 0)
            return;
        std::unordered_map<page*, int> want;
        if (pages_given())
            for (long j = 0; j < o.rc; ++j) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                if (p && p != o.page_sentinel)
                    want[compound_head(p)]++;
            }
        for (page* p : w().materialized_pages()) {
            if (p->compound_head & 1)
                continue;
            const int have = pins(p);
            const auto it = want.find(p);
            const int expect = it == want.end() ? 0 : it->second;
            if (have != expect)
                fail(Property::P5_exact_pins, describe_page(p) + " holds " + std::to_string(have) +
                                                  " GUP reference(s), but pages[0.." + std::to_string(o.rc) +
                                                  ") names it " + std::to_string(expect) + " time(s)");
        }
        pgmaps_unchanged(Property::P5_exact_pins, "after rc " + errno_name(o.rc));
    }

    void correspondence() {
        if (o.rc < 0)
            return;
        const long rc = o.rc;
        for (long j = 0; j < rc && pages_given(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            const unsigned long a = addr_of(j);
            if (!p || p == o.page_sentinel) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] (" + hex(a) + ") was not written");
                continue;
            }
            RefEntry r = lookup(a);
            if (!r.mapped) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(p->pfn()) +
                                                      " but nothing is mapped at " + hex(a) + " after the call");
            } else if (r.pfn != p->pfn()) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(p->pfn()) +
                                                      " but the page tables map pfn " + hex(r.pfn) + " at " + hex(a));
            } else {
                mmu_side_effects(j, p, r);
            }
        }
        for (long j = 0; j < rc && s().call.vmas; ++j) {
            vm_area_struct* v = o.vmas[static_cast<std::size_t>(j)];
            const unsigned long a = addr_of(j);
            const bool gate_ok = v == &w().gate_vma && in_gate(a);
            if (!v || v == o.vma_sentinel || (!gate_ok && (a < v->vm_start || a >= v->vm_end)))
                fail(Property::P6_correspondence, "vmas[" + std::to_string(j) + "] does not cover " + hex(a));
        }
        const std::size_t from = static_cast<std::size_t>(std::max(rc, 0L));
        for (std::size_t j = from; j < o.pages.size(); ++j)
            if (o.pages[j] != o.page_sentinel) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] written beyond rc " + std::to_string(rc));
                break;
            }
        for (std::size_t j = from; j < o.vmas.size(); ++j)
            if (o.vmas[j] != o.vma_sentinel) {
                fail(Property::P6_correspondence, "vmas[" + std::to_string(j) + "] written beyond rc " + std::to_string(rc));
                break;
            }
    }

    // ---------------------------------------------------------------
    // The expected outcome, from the contract.  Nothing here runs or
    // restates the port: each page of the range is judged from the scenario
    // (vma layout, flags, files, the fault plan), from what the model
    // recorded (which injected fault fired at which address, how often each
    // address was faulted, when SIGKILL became pending) and from the
    // MMU-style walk of the page tables after the call.

    // vm_fault_to_errno (include/linux/mm.h v4.15), as faultin_page and
    // follow_hugetlb_page apply it.
    long vm_fault_errno(int code) const {
        if (code & VM_FAULT_OOM)
            return -ENOMEM;
        if (code & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
            return (s().call.gup_flags & FOLL_HWPOISON) ? -EHWPOISON : -EFAULT;
        if (code & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
            return -EFAULT;
        return 0;
    }

    bool hugetlb_at(const VmaSpec* v) const {
        const FileSpec* f = file_of(v);
        return f && f->kind == FileKind::hugetlbfs;
    }
    // The unit one fault serves: the page, or the huge page of a hugetlb vma.
    bool same_fault_unit(unsigned long a, unsigned long b, bool huge) const {
        return huge ? (a & PMD_MASK) == (b & PMD_MASK) : (a & PAGE_MASK) == (b & PAGE_MASK);
    }

    // Can the access the call asked for use the entry the MMU finds at addr,
    // without another fault?  A FOLL_FORCE access may use a PROT_NONE entry
    // (no FOLL_NUMA), and a forced write to a private mapping without
    // VM_WRITE uses the dirty COW copy, which stays read-only.
    bool usable(unsigned long addr) const {
        const RefEntry r = lookup(addr);
        if (!r.mapped)
            return false;
        if (!(r.bits & _PAGE_PRESENT) && !force())
            return false;
        if (!write())
            return true;
        const VmaSpec* v = spec_at(addr);
        if (r.bits & _PAGE_RW)
            return true;
        return force() && v && !v->write && !v->shared && (r.bits & _PAGE_DIRTY);
    }

    // The SIGKILL stop.  fatal_signal_pending() is checked before each
    // attempt at a page and again after each fault that succeeded (for a
    // hugetlb vma: once per huge page visited, plus once per fault); the
    // gate page is taken without a check.  So the walk stops at the first
    // page by which the checks reach the planned one.
    struct SignalStop {
        long index = -1;    // -1: no signal was delivered
        bool loose = false; // a VM_LOCKED stack was populated, with checks of its own
    };
    SignalStop signal_stop() const {
        SignalStop st;
        const Trace& t = w().trace;
        if (!t.signal_delivered_at)
            return st;
        for (std::size_t i = 0; i < s().vmas.size(); ++i) {
            const VmaSpec& v = s().vmas[i];
            vm_area_struct* now = find_vma(&w().mm, v.end - 1);
            st.loose |= v.locked && v.growsdown && now && now->model_index == static_cast<int>(i) && now->vm_start < v.start;
        }
        const unsigned want = s().plan.signal_at_check;
        unsigned long checks = 0;
        const long n = static_cast<long>(s().call.nr_pages);
        for (long j = 0; j < n; ++j) {
            const unsigned long a = addr_of(j);
            const VmaSpec* v = spec_at(a);
            if (!v) {
                if (in_gate(a))
                    continue;
                break;
            }
            const bool huge = hugetlb_at(v);
            if (huge && j > 0 && spec_at(addr_of(j - 1)) == v && same_fault_unit(a, addr_of(j - 1), true))
                continue;  // same huge page: no new check
            const auto it = t.faults_per_page.find(a);
            checks += 1 + (it == t.faults_per_page.end() ? 0 : it->second);
            if (checks >= want) {
                st.index = j;
                return st;
            }
        }
        st.index = n;  // not reached by the count: only a loose bound applies
        st.loose = true;
        return st;
    }

    // The injected allocation failures that fail the fault (VM_FAULT_OOM).
    // THP allocation and its memcg charge fail soft (VM_FAULT_FALLBACK to
    // ptes); kcalloc is P3's; expand_stack makes find_extend_vma fail.
    const std::vector<SitePass>& hard_failures() const {
        if (!hard_failures_) {
            hard_failures_.emplace();
            const auto& sites = w().trace.sites;
            for (std::size_t i = 0; i < sites.size(); ++i) {
                const SitePass& sp = sites[i];
                if (!sp.failed || sp.site == AllocSite::thp_page || sp.site == AllocSite::kcalloc_vmas ||
                    sp.site == AllocSite::expand_stack)
                    continue;
                if (sp.site == AllocSite::memcg_charge && i > 0 && sites[i - 1].site == AllocSite::thp_page &&
                    !sites[i - 1].failed)
                    continue;
                hard_failures_->push_back(sp);
            }
        }
        return *hard_failures_;
    }
    mutable std::optional<std::vector<SitePass>> hard_failures_;

    struct PageBlock {
        std::string why;  // empty: the page can be pinned
        long err = -EFAULT;
        bool no_error = false;  // VM_FAULT_RETRY under FOLL_NOWAIT: return i, even 0
        // Found when the walk enters the vma (find_extend_vma, check_vma_flags),
        // before __get_user_pages' fatal_signal_pending() check for the page;
        // every other block is met after it, so a pending SIGKILL wins there.
        bool before_signal = false;
    };

    // Why v4.15 cannot pin page j, and the errno it then returns (signals aside).
    PageBlock page_block(long j) const {
        PageBlock b;
        const unsigned long a = addr_of(j);
        const VmaSpec* v = spec_at(a);
        const Trace& t = w().trace;
        if (!v) {
            if (in_gate(a)) {
                if (write())
                    b.why = "get_gate_page refuses FOLL_WRITE on the vsyscall page";
                return b;
            }
            b.why = "no vma covers it (find_extend_vma returns NULL";
            for (const auto& sp : t.sites)
                if (sp.failed && sp.site == AllocSite::expand_stack && same_fault_unit(sp.addr, a, false))
                    b.why += ": the injected expand_stack failure";
            b.why += ")";
            return b;
        }
        // check_vma_flags (mm/gup.c v4.15): every refusal is -EFAULT.
        b.before_signal = true;
        if (v->pfnmap)
            return b.why = "check_vma_flags: VM_IO|VM_PFNMAP mapping", b;
        if (write() && !v->write && !(force() && !v->shared && v->maywrite))
            return b.why = "check_vma_flags: write to a mapping without VM_WRITE that is not a forced COW", b;
        if (!write() && !v->read && !force())
            return b.why = "check_vma_flags: read of a mapping without VM_READ", b;
        b.before_signal = false;

        const FileSpec* f = file_of(v);
        const bool huge = hugetlb_at(v);
        // find_extend_vma populates the part a VM_LOCKED stack grew by
        // (populate_vma_page_range) and ignores its errors; GUP then faults
        // the page itself.  A failure there blocks only if the page stayed unusable.
        const bool populated = v->locked && v->growsdown && a < v->start;
        const bool populate_may_have_failed = populated && usable(a);
        // Injected faults that fired here: each is an error of the fault.
        for (const auto& [addr, code] : t.codes_fired)
            if (same_fault_unit(addr, a, huge) && !populate_may_have_failed) {
                b.err = vm_fault_errno(code);
                std::string name = vm_fault_name(code);
                std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::toupper(c); });
                b.why = "injected VM_FAULT_" + name + " (vm_fault_to_errno: " + errno_name(b.err) + ")";
                return b;
            }
        for (const SitePass& sp : hard_failures()) {
            if (!same_fault_unit(sp.addr, a, huge) || populate_may_have_failed)
                continue;
            b.err = -ENOMEM;
            b.why = std::string("injected ") + alloc_site_name(sp.site) + " failure (VM_FAULT_OOM: -ENOMEM)";
            return b;
        }
        const Mapping m = walk(w(), &w().mm, a);
        const pteval_t val = m.value;
        if (is_swap_pte(pte_t{val}) && !(val & _PAGE_PROTNONE) && is_hwpoison_entry(pte_to_swp_entry(pte_t{val}))) {
            b.err = vm_fault_errno(VM_FAULT_HWPOISON);
            b.why = "a hwpoison entry (VM_FAULT_HWPOISON: " + errno_name(b.err) + ")";
            return b;
        }
        const RefEntry r = lookup(a);
        if (f) {
            const unsigned long base = huge ? (a & PMD_MASK) : (a & PAGE_MASK);
            const unsigned long idx = ((base - find_vma(&w().mm, a)->vm_start) >> PAGE_SHIFT) +
                                      find_vma(&w().mm, a)->vm_pgoff;
            const bool anon_here = r.mapped && w().pfn_valid(r.pfn) && PageAnon(w().pfn_to_page(r.pfn));
            if (idx >= f->size_pages && !anon_here)
                return b.why = "beyond the end of the file (VM_FAULT_SIGBUS: -EFAULT)", b;
            FileObj* fo = w().file_of(find_vma(&w().mm, a));
            if (fo && fo->pgmap && !fo->pgmap->live && !anon_here) {
                if (!r.mapped)
                    return b.why = "the dev_pagemap is dying, the DAX fault fails (VM_FAULT_SIGBUS: -EFAULT)", b;
                // follow_devmap_pmd/pud: ERR_PTR(-EFAULT).  A devmap pte instead
                // returns NULL and is faulted again and again (P12 knows it).
                if (pages_given() && (r.bits & _PAGE_PSE))
                    return b.why = "get_dev_pagemap fails for the devmap pmd/pud (follow_devmap_*: -EFAULT)", b;
            }
            // transparent_hugepage_enabled(vma) of v4.15 (include/linux/huge_mm.h):
            // MADV_NOHUGEPAGE refuses; otherwise a DAX vma (vma_is_dax, S_DAX
            // only with CONFIG_FS_DAX) gets huge faults whatever the sysfs mode,
            // and DAX vmas carry VM_HUGEPAGE for "madvise".
            const bool thp = v->huge >= 0 && (s().config.fs_dax || s().config.thp != ThpMode::never);
            if (f->kind == FileKind::devdax && f->align_pages > 1 && !thp)
                return b.why = "device-DAX alignment above 4 KiB with THP disabled for the vma (MADV_NOHUGEPAGE, or "
                               "thp=never without CONFIG_FS_DAX) (SIGBUS: -EFAULT)", b;
            if (f->kind == FileKind::mmio && pages_given() && (!r.mapped || (r.bits & _PAGE_SPECIAL)))
                return b.why = "a pfn without a struct page (VM_MIXEDMAP mmio) under FOLL_GET (follow_pfn_pte: -EFAULT)", b;
            // A hugetlb fault needs a free huge page for a missing entry, and a
            // write to a private mapping needs one for the COW copy unless the
            // mapped page is an anonymous page only this mapping holds
            // (hugetlb_no_page maps the page-cache page, then hugetlb_cow;
            // mm/hugetlb.c v4.15).
            const bool exclusive_anon = anon_here && mapcount_of(compound_head(w().pfn_to_page(r.pfn))) == 0;
            const bool cow = write() && !v->shared && r.mapped && !(r.bits & _PAGE_RW) && !exclusive_anon;
            if (huge && (!r.mapped || cow) && w().hugetlb_free == 0)
                return b.why = std::string("the hugetlb pool is empty, no huge page for ") +
                                   (cow ? "the COW copy (hugetlb_cow)" : "the fault (alloc_huge_page)") +
                                   " (VM_FAULT_SIGBUS: -EFAULT)",
                       b;
        }
        if (t.ram_exhausted && !usable(a)) {
            b.err = -ENOMEM;
            b.why = "simulated RAM exhausted (VM_FAULT_OOM: -ENOMEM)";
            return b;
        }
        if (s().call.gup_flags & FOLL_NOWAIT) {
            bool io = is_swap_pte(pte_t{val}) && !(val & _PAGE_PROTNONE) && !non_swap_entry(pte_to_swp_entry(pte_t{val}));
            if (f && f->kind == FileKind::regular && !r.mapped) {
                const unsigned long idx = ((a - find_vma(&w().mm, a)->vm_start) >> PAGE_SHIFT) + find_vma(&w().mm, a)->vm_pgoff;
                FileObj* fo = w().file_of(find_vma(&w().mm, a));
                io |= fo && !fo->cache.count(idx);
            }
            if (io) {
                b.no_error = true;
                b.why = "FOLL_NOWAIT and the fault needs I/O (VM_FAULT_RETRY: faultin_page -EBUSY, return i)";
                return b;
            }
        }
        return b;
    }

    // get_user_pages on this scenario, by the contract: the number of
    // pinnable pages before the first blocked one, or that block's errno.
    struct Expected {
        long rc = 0;          // the value get_user_pages must return
        long stop = -1;       // the first page that cannot be pinned; -1: none
        std::string why;      // why it stops there
        long loose_max = -1;  // >= 0: a signal stop anywhere in [0, loose_max] is acceptable
    };
    const Expected& expected() const {
        if (!expected_)
            expected_ = compute_expected();
        return *expected_;
    }
    mutable std::optional<Expected> expected_;

    Expected compute_expected() const {
        Expected e;
        const long n = static_cast<long>(s().call.nr_pages);
        const SignalStop sig = signal_stop();
        const long sig_at = sig.loose ? -1 : sig.index;
        for (long j = 0; j < n; ++j) {
            PageBlock b = page_block(j);
            const VmaSpec* v = spec_at(addr_of(j));
            if ((b.why.empty() || !b.before_signal) && j == sig_at && v) {
                b.no_error = false;
                b.err = hugetlb_at(v) ? -EFAULT : -ERESTARTSYS;
                b.why = std::string("SIGKILL pending from the ") + std::to_string(s().plan.signal_at_check) +
                        "th fatal_signal_pending() check" +
                        (hugetlb_at(v) ? " (follow_hugetlb_page returns i ?: -EFAULT)" : " (-ERESTARTSYS)");
            }
            if (b.why.empty())
                continue;
            e.stop = j;
            e.why = b.why;
            e.rc = j > 0 || b.no_error ? j : b.err;
            break;
        }
        if (e.stop < 0)
            e.rc = n;
        if (sig.loose && w().trace.signal_delivered_at)
            e.loose_max = std::min(sig.index, e.stop < 0 ? n : e.stop);
        return e;
    }

    bool longterm_applies() const {
        if (s().plan.gup_rc_stub)
            return false;  // P17: get_user_pages is replaced by a stub
        if (!s().config.fs_dax)
            return true;  // the alias: get_user_pages itself
        if (!pages_given() || s().plan.gup_rc_stub || s().call.nr_pages == 0)
            return false;  // P2, P17, P3's nr_pages == 0
        for (const auto& sp : w().trace.sites)
            if (sp.site == AllocSite::kcalloc_vmas && sp.failed)
                return false;  // P3's case
        return s().call.vmas || static_cast<long>(s().call.nr_pages) <= KMALLOC_MAX_PAGES;
    }

    // The first filesystem-DAX page among [0, count), or -1.
    long first_fsdax(long count) const {
        for (long j = 0; j < count; ++j) {
            const FileSpec* f = file_of(spec_at(addr_of(j)));
            if (f && f->kind == FileKind::fsdax)
                return j;
        }
        return -1;
    }
    bool devdax_in(long count) const {
        for (long j = 0; j < count; ++j) {
            const FileSpec* f = file_of(spec_at(addr_of(j)));
            if (f && f->kind == FileKind::devdax)
                return true;
        }
        return false;
    }

    // What longterm must return; nullopt where P2/P3/P17 own the answer.
    std::optional<long> expected_longterm() const {
        if (!longterm_applies())
            return std::nullopt;
        const Expected& e = expected();
        if (s().config.fs_dax && e.rc > 0 && first_fsdax(e.rc) >= 0)
            return -EOPNOTSUPP;
        return e.rc;
    }

    std::string expected_words() const {
        const Expected& e = expected();
        const long n = static_cast<long>(s().call.nr_pages);
        if (e.stop < 0)
            return "all " + std::to_string(n) + " pages can be pinned";
        return "pages [0, " + std::to_string(e.stop) + ") can be pinned and page " + std::to_string(e.stop) + " (" +
               hex(addr_of(e.stop)) + ") is blocked: " + e.why;
    }

    // P7: -EOPNOTSUPP iff a filesystem-DAX page lies in the prefix
    // get_user_pages pins (the expected count above, not a second run).
    // The rest of P6 for a returned page the walk finds at its address: the
    // MMU can use that entry for the access without a fault (no PROT_NONE /
    // NUMA-hinting entry unless FOLL_FORCE, which sets no FOLL_NUMA; swap and
    // migration entries are not mapped at all), and FOLL_TOUCH left it
    // accessed: mark_page_accessed for a pte-mapped page (follow_page_pte),
    // a young pmd/pud for a huge mapping written (touch_pmd/touch_pud).  Hugetlb and
    // the gate page are pinned without FOLL_TOUCH's effects.
    void mmu_side_effects(long j, page* p, const RefEntry& r) {
        const unsigned long a = addr_of(j);
        const std::string at = "pages[" + std::to_string(j) + "] = pfn " + hex(p->pfn()) + " at " + hex(a);
        if (!(r.bits & _PAGE_PRESENT) && !force())
            return fail(Property::P6_correspondence, at + " comes from a PROT_NONE (NUMA hinting) entry the MMU cannot "
                                                          "use; without FOLL_FORCE (FOLL_NUMA set) GUP must fault it first");
        if (write() && spec_at(a) && !usable(a))
            return fail(Property::P6_correspondence, at + " comes from an entry a write cannot use without a fault");
        const VmaSpec* v = spec_at(a);
        if (!v || hugetlb_at(v))
            return;
        page* head = compound_head(p);
        if (r.bits & _PAGE_PSE) {
            // x86's pmdp/pudp_set_access_flags (arch/x86/mm/pgtable.c v4.15)
            // store the new entry only when `dirty` (FOLL_WRITE): a read
            // touch leaves the accessed bit to the hardware.
            if (write() && !(r.bits & _PAGE_ACCESSED))
                fail(Property::P6_correspondence, at + ": the huge entry mapping it is not young after a FOLL_WRITE "
                                                      "FOLL_TOUCH (touch_pmd/touch_pud)");
        } else if (!(head->flags & (1UL << PG_referenced))) {
            fail(Property::P6_correspondence, at + ": " + describe_page(head) +
                                                  " was not marked accessed (FOLL_TOUCH: mark_page_accessed)");
        }
    }

    void fsdax_rule() {
        if (!s().config.fs_dax)
            return;
        const std::optional<long> want = expected_longterm();
        if (!want || o.rc == *want)
            return;
        if (o.rc != -EOPNOTSUPP && *want != -EOPNOTSUPP)
            return;  // a count or errno difference: P8 / P1
        const long r0 = expected().rc;
        const long fs = r0 > 0 ? first_fsdax(r0) : -1;
        const bool devdax = r0 > 0 && devdax_in(r0);
        std::string known;
        if (o.rc == -EOPNOTSUPP && fs < 0 && devdax && !s().config.fsdax_ischr_fix)
            known = "v4.15 vma_is_fsdax() tests inode->i_mode == S_IFCHR, which a real /dev/dax inode "
                    "(S_IFCHR|0600) never equals, so device-DAX is refused as if it were filesystem-DAX; "
                    "fixed upstream by \"dax: fix vma_is_fsdax() helper\" (S_ISCHR). config fsdax_ischr_fix=y selects the fix";
        fail(Property::P7_fsdax_rule,
             "get_user_pages must return " + errno_name(r0) + " here (" + expected_words() + ")" +
                 (fs >= 0 ? ", with filesystem-DAX at " + hex(addr_of(fs)) + " in that prefix"
                          : std::string(", with no filesystem-DAX page in that prefix")) +
                 (devdax ? " (device-DAX present)" : "") + ", so longterm must return " + errno_name(*want) +
                 ", but it returned " + errno_name(o.rc),
             known);
    }

    // P8: the count is exactly the pinnable prefix, on partial and full
    // counts alike; an error only when page 0 itself is blocked.
    void count_rule() {
        const std::optional<long> want = expected_longterm();
        if (!want || o.rc == *want || o.rc == -EOPNOTSUPP || *want == -EOPNOTSUPP)
            return;
        const Expected& e = expected();
        const long n = static_cast<long>(s().call.nr_pages);
        if (e.loose_max >= 0 && w().trace.signal_delivered_at) {
            // A populated VM_LOCKED stack made checks of its own: any stop up to loose_max.
            const long stopped = o.rc >= 0 ? o.rc : 0;
            if (stopped <= e.loose_max && (o.rc >= 0 || o.rc == -ERESTARTSYS || o.rc == -EFAULT))
                return;
        }
        if (o.rc < 0 && *want < 0)
            return;  // both errors: P1 judges the errno
        if (o.rc < 0)
            return fail(Property::P8_partial_prefix, "rc " + errno_name(o.rc) + " but " + expected_words() +
                                                         ": get_user_pages returns i ?: err, so it must return " +
                                                         errno_name(*want));
        if (o.rc > (e.stop < 0 ? n : e.stop))
            return fail(Property::P8_partial_prefix, "rc " + std::to_string(o.rc) + " of " + std::to_string(n) +
                                                         " counts page " + std::to_string(e.stop) + " (" +
                                                         hex(addr_of(e.stop)) + ") although it is blocked: " + e.why +
                                                         " (want " + errno_name(*want) + ")");
        fail(Property::P8_partial_prefix, "rc " + std::to_string(o.rc) + " of " + std::to_string(n) + " stops at " +
                                              hex(addr_of(o.rc)) + ", but nothing blocks that address; " +
                                              expected_words() + " (want " + errno_name(*want) + ")");
    }

    void vmas_ownership() {
        const Trace& t = w().trace;
        const bool allocates = s().config.fs_dax && pages_given() && !s().call.vmas && !s().plan.gup_rc_stub;
        if (allocates) {
            if (t.kmalloc_calls != 1)
                fail(Property::P9_vmas_ownership, "vmas == NULL: want exactly one kcalloc, saw " + std::to_string(t.kmalloc_calls));
            if (t.kmalloc_live != 0)
                fail(Property::P9_vmas_ownership, "the private vmas array was not freed (" +
                                                      std::to_string(t.kmalloc_live) + " allocation(s) live)");
        } else if (!s().plan.gup_rc_stub && t.kmalloc_calls) {
            fail(Property::P9_vmas_ownership, std::string("no allocation expected (") +
                                                  (s().call.vmas ? "the caller passed a vmas array" : !pages_given() ? "pages == NULL" : "FS_DAX=n") +
                                                  "), saw " + std::to_string(t.kmalloc_calls) + " kcalloc(s)");
        }
    }

    void mmap_sem() {
        const rw_semaphore& sem = w().mm.mmap_sem;
        const bool read = s().call.sem == SemMode::read;
        if (sem.releases)
            fail(Property::P10_mmap_sem, "mmap_sem was released " + std::to_string(sem.releases) + " time(s) during the call");
        if (read ? (sem.readers != 1 || sem.writer) : (!sem.writer || sem.readers != 0))
            fail(Property::P10_mmap_sem, std::string("mmap_sem is no longer held for ") + (read ? "read" : "write") +
                                             " as on entry (readers " + std::to_string(sem.readers) + ")");
    }

    void refcount_sanity(std::size_t from) {
        const auto& v = w().trace.violations;
        for (std::size_t i = from; i < v.size(); ++i)
            fail(Property::P11_refcount_sanity, v[i]);
        for (page* p : w().materialized_pages())
            if (!(p->compound_head & 1) && pins(p) < 0)
                fail(Property::P11_refcount_sanity, describe_page(p) + " lost a reference it did not give out");
    }

    // P13, from the contract of a write pin: FOLL_WRITE never returns the
    // zero page; on a vma with VM_WRITE the entry mapping the page is
    // writable; the data is dirty (pte/pmd dirty, or PG_dirty from
    // FOLL_TOUCH's set_page_dirty); a write to a private mapping (forced or
    // not) pins an exclusive anonymous page, never the page the page cache or
    // a fork child still maps (Dirty COW).
    void write_cow() {
        if (!write() || o.rc <= 0 || !pages_given())
            return;
        for (long j = 0; j < o.rc; ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel)
                continue;
            const unsigned long a = addr_of(j);
            page* head = compound_head(p);
            const auto what = [&] { return "FOLL_WRITE returned " + describe_page(head) + " for " + hex(a); };
            if (head == w().zero_page || head == w().huge_zero_page)
                return fail(Property::P13_write_cow, what() + ": a write pin never returns the zero page");
            const VmaSpec* v = spec_at(a);
            if (!v)
                continue;  // the gate page is never written (P8 judges the count)
            const RefEntry r = lookup(a);
            if (!r.mapped || r.pfn != p->pfn())
                continue;  // P6's failure
            if (v->write && !(r.bits & _PAGE_RW))
                return fail(Property::P13_write_cow, what() + ", but the vma has VM_WRITE and the entry mapping it "
                                                            "is not writable after the call");
            if (!(r.bits & _PAGE_DIRTY) && !PageDirty(head))
                return fail(Property::P13_write_cow, what() + ", but neither its entry nor the page is dirty "
                                                            "(FOLL_WRITE|FOLL_TOUCH: set_page_dirty)");
            if (v->shared)
                continue;
            const std::string kind = !v->write ? "forced write (FOLL_FORCE) to the private read-only mapping"
                                               : "write to the private mapping";
            if (!PageAnon(head))
                return fail(Property::P13_write_cow, what() + ": a " + kind + " must pin an anonymous COW copy, "
                                                            "never the page-cache page (Dirty COW)");
            // Exclusive: mapcount 1.  Pte-mapped compound pages keep their
            // mapcount per subpage in v4.15, which the model does not track.
            const bool pmd_mapped = PageCompound(head) && r.bits & _PAGE_PSE;
            if ((!PageCompound(head) || pmd_mapped) && mapcount_of(head) != 0)
                return fail(Property::P13_write_cow, what() + ": a " + kind + " must pin an exclusive copy (mapcount 1), "
                                                            "but " + std::to_string(mapcount_of(head) + 1) +
                                                            " mappings share it (a fork child still maps it)");
        }
    }

    void zero_page_read() {
        if (write() || o.rc <= 0 || !pages_given())
            return;
        for (long j = 0; j < o.rc; ++j) {
            const unsigned long a = addr_of(j);
            const VmaSpec* v = spec_at(a);
            if (!v || v->file >= 0 || v->shared)
                continue;
            // A VM_LOCKED stack that grew was populated by find_extend_vma
            // with mlock's semantics: populate_vma_page_range (mm/gup.c
            // v4.15) touches a private writable mapping "with a write fault in
            // order to break COW", so no page of the part it grew by reads as
            // the zero page (unless an injected failure or SIGKILL cut the
            // population short: find_extend_vma ignores its result).
            if (v->locked && v->growsdown) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                const bool grown = a < v->start && v->write && !v->shared;
                if (grown && p && p != o.page_sentinel && hard_failures().empty() && !w().trace.signal_delivered_at &&
                    (compound_head(p) == w().zero_page || compound_head(p) == w().huge_zero_page))
                    return fail(Property::P14_zero_page_read,
                                "read pin of " + hex(a) + ", which the VM_LOCKED stack grew by, returned the zero page: "
                                "find_extend_vma populates the new part with write faults (mlock breaks COW)");
                continue;
            }
            bool touched = false;
            for (const auto& op : s().pre)
                touched |= (op.addr & PMD_MASK) <= a && a < ((op.addr + op.pages * PAGE_SIZE - 1) & PMD_MASK) + PMD_SIZE;
            if (touched)
                continue;
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel)
                continue;
            page* head = compound_head(p);
            if (head != w().zero_page && head != w().huge_zero_page)
                return fail(Property::P14_zero_page_read, "read of untouched anonymous " + hex(a) + " returned " +
                                                              describe_page(head) + " instead of the zero page");
        }
    }

    // P16: with CONFIG_FS_DAX=n, get_user_pages_longterm is get_user_pages:
    // the count (or errno) the contract gives for get_user_pages, pages ==
    // NULL included (the pages themselves are P6's).
    void alias() {
        if (s().config.fs_dax || !longterm_applies())
            return;
        const Expected& e = expected();
        if (o.rc == e.rc)
            return;
        if (e.loose_max >= 0 && (o.rc >= 0 ? o.rc <= e.loose_max : (o.rc == -ERESTARTSYS || o.rc == -EFAULT)))
            return;
        fail(Property::P16_alias, "FS_DAX=n longterm is plain get_user_pages, which must return " + errno_name(e.rc) +
                                      " here (" + expected_words() + "), but it returned " + errno_name(o.rc));
    }

    void signedness() {
        if (!s().plan.gup_rc_stub)
            return;
        const long stub = *s().plan.gup_rc_stub;
        const Trace& t = w().trace;
        if (!s().config.fs_dax || !pages_given())
            return;
        for (const auto& sp : t.sites)
            if (sp.site == AllocSite::kcalloc_vmas && sp.failed)
                return;  // -ENOMEM before get_user_pages: P3's case
        if (!s().call.vmas && static_cast<long>(s().call.nr_pages) > KMALLOC_MAX_PAGES)
            return;
        if (o.rc != stub)
            fail(Property::P17_signedness, "get_user_pages returned " + errno_name(stub) + " but longterm returned " +
                                               errno_name(o.rc));
        // get_user_pages took no reference, so none may be dropped: a put_page
        // on the error path shows in the page's own count (the model's
        // bookkeeping, not a counter in the port).  Reading the vmas array is
        // not part of the contract: the kcalloc'd one is all NULL (a scan past
        // it is ASan's), the caller's one is untouched either way.
        for (page* p : w().materialized_pages())
            if (!(p->compound_head & 1) && pins(p) != 0)
                return fail(Property::P17_signedness, describe_page(p) + " changed its reference count although " +
                                                          "get_user_pages returned " + errno_name(stub));
    }
};

}  // namespace

Snapshot take_snapshot(World& w) {
    Snapshot s;
    for (const auto& pg : w.pgmaps)
        s.pgmap_refs.push_back(pg->ref);
    s.tables_digest = w.tables_digest();
    s.table_count = w.table_count();
    s.sem_readers = w.mm.mmap_sem.readers;
    s.sem_writer = w.mm.mmap_sem.writer;
    return s;
}

std::vector<Failure> check_call(const Observation& o) {
    Checker c{o, {}, std::nullopt, std::nullopt};
    if (o.crashed) {
        unsigned worst = 0;
        const unsigned long at = c.most_faulted(&worst);
        c.fail(Property::P12_termination, "the call did not return normally: " + o.crash,
               worst > kMaxFaultsPerAddress ? c.known_livelock(at) : "");
        c.refcount_sanity(0);
        return c.out;
    }
    c.termination();
    c.rc_range();
    c.einval_pure();
    c.kcalloc_rule();
    c.no_leak_on_error();
    c.exact_pins();
    c.correspondence();
    c.fsdax_rule();
    c.count_rule();
    c.vmas_ownership();
    c.mmap_sem();
    c.refcount_sanity(0);
    c.write_cow();
    c.zero_page_read();
    c.alias();
    c.signedness();
    return c.out;
}

std::vector<Failure> check_release(const Observation& o, std::size_t violations_before) {
    Checker c{o, {}, std::nullopt, std::nullopt};
    for (page* p : o.w.materialized_pages())
        if (!(p->compound_head & 1) && c.pins(p) > 0)
            c.fail(o.rc < 0 ? Property::P4_no_leak_on_error : Property::P5_exact_pins,
                   "after the caller released its pages, " + c.describe_page(p) + " still holds " +
                       std::to_string(c.pins(p)) + " reference(s)");
    c.pgmaps_unchanged(Property::P5_exact_pins, "after the caller released its pages");
    c.refcount_sanity(violations_before);
    return c.out;
}

// ---- Interleavings (docs/concurrency.md) ----
// A call during which other threads ran at yield points is judged by the
// laws that hold whatever they did; the properties that predict the result
// from the page tables after the call (P1's errno, P6, P7's prefix, P8, P13's
// entry checks, P14, and the "nothing happened" parts of P2/P3) assume no
// one else changed them, and are not applied.  Added: the Dirty COW contract
// for any returned page, wherever it is mapped now, and the bound on faults
// per address grown by each strike (concurrency.md §5 I7, I11).
std::vector<Failure> check_call_interleaved(const Observation& o) {
    std::size_t strikes = 0;
    for (const auto& r : o.w.trace.interleaved)
        strikes += r.ran;
    if (strikes == 0 || o.crashed)
        return check_call(o);
    Checker c{o, {}, std::nullopt, std::nullopt};
    // I11: each strike may cost the GUP thread two more faults at an address.
    unsigned worst = 0;
    const unsigned long at = c.most_faulted(&worst);
    const std::size_t bound = kMaxFaultsPerAddress + 2 * strikes;
    if (worst > bound)
        c.fail(Property::P12_termination,
               "handle_mm_fault ran " + std::to_string(worst) + " times for " + hex(at) + " (bound " +
                   std::to_string(bound) + ": 3 + 2 per interleaved operation, " + std::to_string(strikes) + " ran)",
               c.known_livelock(at));
    // P1's law: a count within nr_pages, never 0 without FOLL_NOWAIT, or a documented errno.
    const long rc = o.rc, n = static_cast<long>(o.s.call.nr_pages);
    const unsigned f = o.s.call.gup_flags;
    bool errno_ok = rc == -ENOMEM || rc == -EFAULT || rc == -ERESTARTSYS;
    errno_ok |= rc == -EINVAL && !c.pages_given();
    errno_ok |= rc == -EOPNOTSUPP && o.s.config.fs_dax;
    errno_ok |= rc == -EHWPOISON && (f & FOLL_HWPOISON);
    const bool stubbed = o.s.plan.gup_rc_stub && rc == *o.s.plan.gup_rc_stub;  // P17's hook: passed through
    if (!stubbed && (rc > n || (rc == 0 && n > 0 && !(f & FOLL_NOWAIT)) || (rc < 0 && !errno_ok)))
        c.fail(Property::P1_rc_range, "rc " + errno_name(rc) + " for nr_pages " + std::to_string(n) +
                                          " is not a value get_user_pages_longterm can return");
    c.no_leak_on_error();
    c.exact_pins();
    c.vmas_ownership();
    c.mmap_sem();
    c.refcount_sanity(0);
    // The pin's lifetime: no block referenced by a live pin is freed or
    // handed to another file (concurrency.md §4, I9).  A reference the call
    // rolled back is no pin; one in pages[0, rc) is, from the moment GUP took it.
    for (const auto& [pfn, what] : o.w.trace.lifetime)
        for (long j = 0; j < rc && c.pages_given(); ++j)
            if (o.pages[static_cast<std::size_t>(j)] != o.page_sentinel && o.pages[static_cast<std::size_t>(j)] &&
                o.pages[static_cast<std::size_t>(j)]->pfn() == pfn) {
                c.fail(Property::P7_fsdax_rule, "no block referenced by a live pin is freed or handed to another "
                                                "file, but pages[" + std::to_string(j) + "]: " + what);
                break;
            }
    for (long j = 0; j < rc && c.pages_given(); ++j) {
        page* p = o.pages[static_cast<std::size_t>(j)];
        if (!p || p == o.page_sentinel)
            continue;
        page* head = compound_head(p);
        const unsigned long a = c.addr_of(j);
        const VmaSpec* v = c.spec_at(a);
        const FileSpec* fs = c.file_of(v);
        // P7's law: no long-term pin of filesystem-DAX memory, whatever ran.
        if (o.s.config.fs_dax && head->zone_device())
            for (const auto& fo : o.w.files)
                if (fo->kind == FileKind::fsdax && fo->pgmap && p->pfn() >= fo->pgmap->pfn_first &&
                    p->pfn() < fo->pgmap->pfn_last)
                    c.fail(Property::P7_fsdax_rule, "pages[" + std::to_string(j) + "] = " + c.describe_page(head) +
                                                        " is a block of filesystem-DAX file #" + std::to_string(fo->id) +
                                                        ": get_user_pages_longterm never returns one");
        // P13 (Dirty COW, CVE-2016-5195): a forced write to a private
        // read-only mapping never reaches the page cache.  The page pinned
        // for FOLL_WRITE|FOLL_FORCE on a private file mapping without
        // VM_WRITE is an anonymous COW copy -- never the file's page-cache
        // page, whatever another thread did to the entry in between.
        if ((f & FOLL_WRITE) && (f & FOLL_FORCE) && v && fs && !v->shared && !v->write &&
            (fs->kind == FileKind::regular || fs->kind == FileKind::shmem) && !PageAnon(head) &&
            head != o.w.zero_page && head != o.w.huge_zero_page)
            c.fail(Property::P13_write_cow,
                   "a forced write to a private read-only mapping never reaches the page cache, but "
                   "FOLL_WRITE|FOLL_FORCE returned pages[" + std::to_string(j) + "] = " + c.describe_page(head) +
                       " for " + hex(a) + " (" + (head->mapping ? "file #" + std::to_string(v->file) + "'s page-cache page"
                                                                : std::string("an orphaned page-cache page")) +
                       ", not an anonymous COW copy): the caller's writes go to the file (Dirty COW)");
    }
    return c.out;
}

}  // namespace gupfuzz::harness
