// SPDX-License-Identifier: GPL-2.0-only
#include "core/kernel/hex.h"
#include "core/harness/executor.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <utility>

#include "core/gup/entry.h"
#include "core/harness/builder.h"
#include "core/harness/normalize.h"
#include "core/harness/oracle.h"
#include "core/kernel/walk.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

struct CallOutcome {
    long rc = 0;
    bool crashed = false;
    std::string crash;
};

// Run the call as a caller would: mmap_sem held, arrays prepared.
CallOutcome call_longterm(World& w, const Scenario& s, std::vector<page*>& pages, std::vector<vm_area_struct*>& vmas) {
    CallOutcome out;
    if (s.call.sem == SemMode::read)
        w.mm.mmap_sem.readers = 1;
    else
        w.mm.mmap_sem.writer = true;
    page** pp = s.call.pages ? pages.data() : nullptr;
    vm_area_struct** vv = s.call.vmas ? vmas.data() : nullptr;
    const port::GupEntry& kernel = port::entry_for(w.config, w.plan.gup_rc_stub.has_value());
    out.crash = run_kernel_call([&] {
        out.rc = kernel.get_user_pages_longterm(s.call.start, s.call.nr_pages, s.call.gup_flags, pp, vv);
        // The return to the caller, which still holds mmap_sem: a yield point.
        w.yield(YieldPoint::caller_return);
    });
    out.crashed = !out.crash.empty();
    return out;
}

int vma_index_of(const World& w, const vm_area_struct* v) {
    if (!v)
        return -1;
    if (v == &w.gate_vma)
        return -2;
    return v->model_index;
}

}  // namespace

std::string run_kernel_call(const std::function<void()>& call) {
    try {
        call();
    } catch (const KernelBug& e) {
        return std::string("kernel BUG: ") + e.what();
    } catch (const Livelock& e) {
        return std::string("livelock: ") + e.what();
    }
    return "";
}



namespace {
// Guard entries after nr_pages: written only by a port that overruns the array.
constexpr std::size_t kGuard = 4;

// The model's own references of a page, whether kernel::page keeps them in a
// field or (6.12 layout) behind a member function.
template <class P>
auto model_refs_sfinae(const P* p, int) -> decltype(static_cast<int>(p->model_refs())) {
    return static_cast<int>(p->model_refs());
}
template <class P>
auto model_refs_sfinae(const P* p, long) -> decltype(static_cast<int>(p->model_refs)) {
    return static_cast<int>(p->model_refs);
}
[[maybe_unused]] int model_refs_of_page(const page* p) { return model_refs_sfinae(p, 0); }

}  // namespace

#ifndef GUPFUZZ_HAVE_KERNEL612
#define GUPFUZZ_HAVE_KERNEL612 0
#endif

bool kernel_available(Kernel k) {
    switch (k) {
    case Kernel::v4_15: return true;
#if GUPFUZZ_HAVE_KERNEL612
    case Kernel::v6_12: return k612::linked(612);
    case Kernel::v6_1: return k612::linked(601);
#else
    case Kernel::v6_12:
    case Kernel::v6_1: return false;
#endif
    }
    return false;
}

std::string kernel_unavailable_reason(Kernel k) {
    if (kernel_available(k))
        return "";
    if (k == Kernel::v6_1)
        return "this build has no 6.1 kernel (GUPFUZZ_KERNEL_SHIM=OFF, or no linux-source-6.1 tarball when it was "
               "configured: apt-get install linux-source-6.1 linux-config-6.1): a 'kernel 6.1' scenario cannot run";
    return "this build has no 6.12 kernel (GUPFUZZ_KERNEL_SHIM=OFF, or the 6.12 glue library is not built): a "
           "'kernel 6.12' scenario cannot run";
}

std::string kernels_description() {
    std::string out = "v4.15: the port in core/gup (" + std::to_string(port::entries().size()) + " compiled variants)\n";
    for (const auto& [k, gen] : {std::pair{Kernel::v6_12, 612}, std::pair{Kernel::v6_1, 601}}) {
        out += std::string(kernel_name(k)) + ": ";
#if GUPFUZZ_HAVE_KERNEL612
        if (kernel_available(k)) {
            out += std::string(k612::tree_description(gen)) + "\n";
            continue;
        }
#else
        (void)gen;
#endif
        out += kernel_unavailable_reason(k) + "\n";
    }
    return out;
}

namespace {

// Kernel 6.12: the real mm/gup.c on the same World the builder made, then the
// caller's release, then the 6.12 oracles (oracle612.cpp).
Verdict execute612(const Scenario& s) {
#if !GUPFUZZ_HAVE_KERNEL612
    (void)s;
    throw std::invalid_argument(kernel_unavailable_reason(Kernel::v6_12));
#else
    Verdict v;
    page g_page_sentinel;
    World w;
    WorldScope scope(w);
    build_world(w, s, &v.notes);
    for (page* p : w.materialized_pages())
        if (page_ref_count(p) != model_refs_of_page(p))
            throw KernelBug("model: a page holds references nobody accounts for after setup");
    const Snapshot before = take_snapshot(w);
    const std::vector<std::pair<page*, int>> pincounts = pincount_snapshot(w);
    const k612::Counters c0 = k612::counters(w);
    w.plan = s.plan;

    const std::size_t n = s.call.nr_pages;
    // 6.12's GUP-fast has no nr_pages == 0 check and writes pages[] for as long as
    // the mapping runs (a known kernel behaviour, oracle612.cpp): give that call
    // room enough that the overrun lands in memory the oracles can inspect.
    const bool fast = s.call.entry == k612::Call::pin_user_pages_fast || s.call.entry == k612::Call::get_user_pages_fast;
    const std::size_t guard = fast && n == 0 ? std::size_t{1} << 20 : kGuard;
    std::vector<page*> pages(s.call.pages ? n + guard : 0, &g_page_sentinel);
    const k612::Outcome out =
        k612::call(w, s.call.entry, s.call.start, s.call.nr_pages, s.call.gup_flags, s.call.pages ? pages.data() : nullptr);
    v.rc = out.rc;
    v.crashed = !out.bug.empty();
    v.crash = out.bug;
    for (const auto& warn : out.warnings)
        v.notes.push_back("WARN: " + warn);
    const k612::Counters c1 = k612::counters(w);
    {
        Observation612 obs{s, w, out.rc, pages, &g_page_sentinel, before, c0, c1, pincounts, v.crashed, v.crash,
                           &out.warnings};
        v.failures = check_call612(obs);
    }
    const std::size_t violations_before = w.trace.violations.size();
    for (long j = 0; !v.crashed && j < out.rc && s.call.pages && static_cast<std::size_t>(j) < pages.size(); ++j) {
        page* p = pages[static_cast<std::size_t>(j)];
        ReturnedPage rp;
        rp.addr = (s.call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE;
        rp.pfn = (p && p != &g_page_sentinel) ? page_to_pfn(p) : 0;
        vm_area_struct* vm = find_vma(&w.mm, rp.addr);
        rp.vma = (vm && vm->vm_start <= rp.addr) ? vma_index_of(w, vm) : -1;
        v.pages.push_back(rp);
    }
    // The caller's release: unpin_user_pages for the pin_user_pages* entries
    // (pin_user_pages.rst: FOLL_PIN pages are released with unpin_user_page*),
    // put_page per page for FOLL_GET; nothing after an error (port-v6.12.md §5.3:
    // callers must not unpin on error).  Only real pages are handed back: a
    // slot the call left unwritten or NULL is R13's finding, not the caller's to free.
    const bool pin = s.call.entry == k612::Call::pin_user_pages || s.call.entry == k612::Call::pin_user_pages_fast ||
                     s.call.entry == k612::Call::pin_user_pages_remote ||
                     s.call.entry == k612::Call::pin_user_pages_unlocked;
    bool released = false;
    if (!v.crashed && s.call.pages && out.rc > 0 && static_cast<std::size_t>(out.rc) <= n) {
        const auto first = pages.begin(), last = pages.begin() + out.rc;
        if (std::all_of(first, last, [&](page* p) { return p && p != &g_page_sentinel; })) {
            const std::string bug = run_kernel_call([&] {
                if (pin)
                    k612::unpin_user_pages(w, pages.data(), static_cast<unsigned long>(out.rc));
                else
                    for (auto it = first; it != last; ++it)
                        k612::put_page(w, *it);
            });
            if (!bug.empty()) {  // e.g. DEBUG_VM's sanity_check_pinned_pages: a pinned anon page not exclusive
                v.crashed = true;
                v.crash = "the caller's release (" + std::string(pin ? "unpin_user_pages" : "put_page") + ") ended: " + bug;
                v.failures.push_back({Property::P12_termination, v.crash, ""});
            }
            released = bug.empty();
        } else {
            v.notes.push_back("the caller did not release: pages[0, rc) holds unwritten or NULL slots");
        }
    }
    if (!v.crashed) {
        const k612::Counters c2 = k612::counters(w);
        Observation612 obs{s, w, out.rc, pages, &g_page_sentinel, before, c0, c2, pincounts, false, v.crash};
        if (released || out.rc <= 0) {
            std::vector<Failure> more = check_release612(obs, violations_before);
            v.failures.insert(v.failures.end(), more.begin(), more.end());
        }
        std::size_t checked = 0, off = 0;
        for (page* p : w.materialized_pages())
            if (compound_head(p) == p) {
                ++checked;
                off += page_ref_count(p) != model_refs_of_page(p);
            }
        v.balance = off == 0 ? "all page references back to baseline (" + std::to_string(checked) +
                                   " struct pages checked; NR_FOLL_PIN acquired " +
                                   std::to_string(c2.foll_pin_acquired - c0.foll_pin_acquired) + " = released " +
                                   std::to_string(c2.foll_pin_released - c0.foll_pin_released) + ")"
                             : std::to_string(off) + " struct page(s) NOT back to baseline";
    }
    v.notes.push_back(expected612_words(s, w));
    v.notes.push_back(std::string("kernel: ") + k612::tree_description(w.config.generation));
    v.notes.insert(v.notes.end(), w.trace.notes.begin(), w.trace.notes.end());
    v.trace = std::move(w.trace);
    return v;
#endif
}

}  // namespace

Verdict execute(const Scenario& s) {
    Verdict v;
    const std::string why = to_string(validate(s));
    if (!why.empty())
        throw std::invalid_argument("invalid scenario: " + why);
    if (!kernel_available(s.kernel))
        throw std::invalid_argument(kernel_unavailable_reason(s.kernel));
    if (is_real_kernel(s.kernel))
        return execute612(s);

    // Sentinels fill the arrays beyond what the port may write; they live
    // and die with this run, like everything else.
    page g_page_sentinel;
    vm_area_struct g_vma_sentinel;
    World w;
    WorldScope scope(w);
    build_world(w, s, &v.notes);
    for (page* p : w.materialized_pages())
        if (p->_refcount != p->model_refs())
            throw KernelBug("model: a page holds references nobody accounts for after setup");
    const Snapshot before = take_snapshot(w);
    w.plan = s.plan;

    const std::size_t n = s.call.nr_pages;
    std::vector<page*> pages(s.call.pages ? n + kGuard : 0, &g_page_sentinel);
    std::vector<vm_area_struct*> vmas(s.call.vmas ? n + kGuard : 0, &g_vma_sentinel);
    CallOutcome out = call_longterm(w, s, pages, vmas);
    v.rc = out.rc;
    v.crashed = out.crashed;
    v.crash = out.crash;

    Observation obs{s, w, out.rc, pages, vmas, &g_page_sentinel, &g_vma_sentinel, before, out.crashed, out.crash};
    v.failures = s.plan.interleaves.empty() ? check_call(obs) : check_call_interleaved(obs);
    const std::size_t violations_before = w.trace.violations.size();

    for (long j = 0; !out.crashed && j < out.rc && s.call.pages; ++j) {
        page* p = pages[static_cast<std::size_t>(j)];
        ReturnedPage rp;
        rp.addr = (s.call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE;
        rp.pfn = (p && p != &g_page_sentinel) ? p->pfn() : 0;
        vm_area_struct* vm = find_vma(&w.mm, rp.addr);
        rp.vma = (vm && vm->vm_start <= rp.addr) ? vma_index_of(w, vm)
                 : (w.config.gate && rp.addr >= VSYSCALL_ADDR && rp.addr < VSYSCALL_ADDR + PAGE_SIZE) ? -2 : -1;
        v.pages.push_back(rp);
    }

    // The caller releases what it was given (ib_umem_release / videobuf_dma_free):
    // one put_page per returned page.
    if (!out.crashed && s.call.pages && out.rc > 0) {
        const port::GupEntry& kernel = port::entry_for(w.config, w.plan.gup_rc_stub.has_value());
        for (long j = 0; j < out.rc; ++j) {
            page* p = pages[static_cast<std::size_t>(j)];
            if (p && p != &g_page_sentinel)
                kernel.put_page(p);
        }
    }
    if (!out.crashed) {
        std::vector<Failure> more = check_release(obs, violations_before);
        v.failures.insert(v.failures.end(), more.begin(), more.end());
    }
    if (!out.crashed) {
        std::size_t checked = 0, off = 0;
        for (page* p : w.materialized_pages())
            if (!(p->compound_head & 1)) {
                ++checked;
                off += p->_refcount != p->model_refs();
            }
        std::size_t pg_off = 0;
        for (std::size_t i = 0; i < w.pgmaps.size(); ++i)
            pg_off += w.pgmaps[i]->ref != before.pgmap_refs[i];
        v.balance = off == 0 && pg_off == 0
                        ? "all page references back to baseline (" + std::to_string(checked) +
                              " struct pages checked, " + std::to_string(w.pgmaps.size()) + " dev_pagemap(s) unchanged)"
                        : std::to_string(off) + " struct page(s) and " + std::to_string(pg_off) +
                              " dev_pagemap(s) NOT back to baseline";
    }
    v.notes.insert(v.notes.end(), w.trace.notes.begin(), w.trace.notes.end());
    v.trace = std::move(w.trace);
    return v;
}

bool Verdict::passed_ignoring_known() const {
    return std::all_of(failures.begin(), failures.end(), [](const Failure& f) { return !f.known_issue.empty(); });
}

std::string Verdict::summary_line() const {
    std::ostringstream o;
    o << (passed() ? "PASS" : passed_ignoring_known() ? "KNOWN-KERNEL-ISSUE" : "FAIL") << " rc=" << errno_name(rc);
    std::string last;
    for (const auto& f : failures) {
        const std::string id = std::string(property_id(f.property)) + (f.known_issue.empty() ? "" : "(known)");
        if (id != last)
            o << " " << id;
        last = id;
    }
    return o.str();
}

std::string Verdict::report(const Scenario& s) const {
    std::ostringstream o;
    o << "verdict: " << summary_line() << "\n";
    o << describe_layout(s);
    o << "result: rc = " << errno_name(rc);
    if (crashed)
        o << " (the call did not return: " << crash << ")";
    o << "\n";
    if (!balance.empty())
        o << "references after the caller's release: " << balance << "\n";
    if (!pages.empty()) {
        o << "pages returned:\n";
        const std::size_t show = std::min<std::size_t>(pages.size(), 16);
        for (std::size_t j = 0; j < show; ++j) {
            const ReturnedPage& p = pages[j];
            o << "  [" << j << "] " << hex(p.addr) << " -> pfn " << hex(p.pfn) << " ("
              << (p.vma == -2 ? std::string("gate vma") : p.vma < 0 ? std::string("no vma") : "vma " + std::to_string(p.vma))
              << ")\n";
        }
        if (pages.size() > show)
            o << "  ... " << pages.size() - show << " more\n";
    }
    o << "trace: " << trace.sites.size() << " allocation-site passes";
    for (const auto& sp : trace.sites)
        if (sp.failed)
            o << "; injected: " << alloc_site_name(sp.site) << " #" << sp.occurrence << " at " << hex(sp.addr);
    for (const auto& [addr, code] : trace.codes_fired)
        o << "; injected: VM_FAULT_" << vm_fault_name(code) << " at " << hex(addr);
    if (trace.signal_delivered_at)
        o << "; SIGKILL seen at check " << trace.signal_delivered_at;
    unsigned max_faults = 0;
    unsigned long max_addr = 0;
    for (const auto& [addr, cnt] : trace.faults_per_page)
        if (cnt > max_faults) {
            max_faults = cnt;
            max_addr = addr;
        }
    o << "; " << trace.faults_per_page.size() << " pages faulted";
    if (max_faults)
        o << " (at most " << max_faults << " faults, at " << hex(max_addr) << ")";
    o << "\n";
    for (const auto& r : trace.interleaved)
        if (r.index < s.plan.interleaves.size())
            o << "schedule: " << describe_interleave(s.plan.interleaves[r.index])
              << (r.at ? " (the GUP thread at " + hex(r.at) + ")" : std::string()) << ": " << r.outcome << "\n";
    for (const auto& l : trace.lifetime)
        o << "lifetime: " << l.second << "\n";
    for (const auto& n : notes)
        o << "note: " << n << "\n";
    for (const auto& f : failures) {
        o << "FAILED " << property_id(f.property) << " (" << property_name(f.property) << "): " << f.message << "\n";
        if (!f.known_issue.empty())
            o << "  known kernel behaviour: " << f.known_issue << "\n";
    }
    return o.str();
}

}  // namespace gupfuzz::harness
