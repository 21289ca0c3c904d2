// SPDX-License-Identifier: GPL-2.0-only
#include "props/callers612_prop.h"

#include <rapidcheck.h>

#include <map>
#include <string>
#include <vector>

#include "core/harness/executor.h"
#include "core/harness/session.h"
#include "core/kernel/hex.h"
#include "core/kernel/walk.h"
#include "props/gen.h"

namespace gupfuzz::props {

using namespace gupfuzz::kernel;
using harness::Scenario;
using harness::Session;

namespace {

enum class Caller { ib_umem, io_uring, vaddr_frames, vfio };
const char* caller_name(Caller c);
void showValue(Caller c, std::ostream& os) { os << caller_name(c); }
const char* caller_name(Caller c) {
    switch (c) {
    case Caller::ib_umem: return "ib_umem_get";
    case Caller::io_uring: return "io_pin_pages";
    case Caller::vaddr_frames: return "get_vaddr_frames";
    case Caller::vfio: return "vaddr_get_pfns";
    }
    return "?";
}

struct Registration {
    int id = 0;
    Caller caller = Caller::ib_umem;
    unsigned long start = 0;  // page of pages[0]
    bool write = false;
    IbUmem612 umem;
    std::vector<page*> pages;  // io_uring, vfio
    FrameVector vec;
    std::vector<page*> held() const {
        switch (caller) {
        case Caller::ib_umem: return umem.sg;
        case Caller::vaddr_frames: return {vec.ptrs.begin(), vec.ptrs.begin() + vec.nr_frames};
        default: return pages;
        }
    }
};

struct State {
    Session* s = nullptr;
    std::vector<Registration> regs;
    long pinned_vm = 0;
    std::string log;  // the steps so far, for the failure text
    harness::Kernel kernel = harness::Kernel::v6_12;
};

// The caller's own release of a registration.
void release(State& st, Registration& r, std::vector<std::string>* problems) {
    Session& session = *st.s;
    switch (r.caller) {
    case Caller::ib_umem: ib_umem_release(session, r.umem, &st.pinned_vm, problems); break;
    case Caller::io_uring: io_unpin_pages(session, r.pages, problems); break;
    case Caller::vaddr_frames: put_vaddr_frames(session, &r.vec, problems); break;
    case Caller::vfio:
        for (page* p : r.pages)
            put_pfn(session, p, r.write, problems);
        break;
    }
}

[[noreturn]] void fail(const State& st, const std::string& what) {
    RC_FAIL(what + "\n--- steps ---\n" + st.log + "--- address space ---\n" + st.s->layout_text());
}

void no_problems(const State& st, const std::vector<std::string>& problems, const std::string& step) {
    if (problems.empty())
        return;
    std::string all;
    for (const auto& p : problems)
        all += "\n  " + p;
    fail(st, step + ":" + all);
}

// The pin ledger, the counters and MMF_HAS_PINNED against the live registrations (R18).
void check_ledger(const State& st, const std::string& after) {
    std::map<page*, long> pins;
    long held = 0;
    for (const Registration& r : st.regs)
        for (page* p : r.held()) {
            if (!p)
                fail(st, after + ": " + caller_name(r.caller) + " #" + std::to_string(r.id) + " holds a NULL page");
            pins[compound_head(p)]++;
            held += compound_head(p) != st.s->world().zero_page;
        }
    const std::vector<std::string> off = st.s->ledger612(pins, {}, "what the live registrations hold");
    if (!off.empty()) {
        std::string all;
        for (const auto& m : off)
            all += "\n  " + m;
        fail(st, "R18 " + after + ": the pin ledger disagrees with what the callers hold:" + all);
    }
    const k612::Counters c = st.s->counters612();
    if (c.foll_pin_acquired - c.foll_pin_released != held)
        fail(st, "R18 " + after + ": NR_FOLL_PIN_ACQUIRED - NR_FOLL_PIN_RELEASED = " +
                     std::to_string(c.foll_pin_acquired - c.foll_pin_released) + " but the registrations hold " +
                     std::to_string(held) + " pin(s)");
    if (held > 0 && !c.mmf_has_pinned)
        fail(st, "R18 " + after + ": pins are held but MMF_HAS_PINNED is clear");
    for (const std::string& v : st.s->new_violations())
        fail(st, "P11 " + after + ": " + v);
}

// R8: a user write to a registered address leaves the pinned page mapped there.
void check_coherence(const State& st, unsigned long addr, const std::string& after) {
    for (const Registration& r : st.regs) {
        const std::vector<page*> h = r.held();
        if (addr < r.start || addr >= r.start + h.size() * PAGE_SIZE)
            continue;
        const std::string why = coherence_after_write(*st.s, addr, h[(addr - r.start) / PAGE_SIZE]);
        // Linux 6.1 pins the zero page or a shared page for a read-only longterm pin
        // of a COW mapping, which the write replaces: a known behaviour of that tree
        // (oracle612.cpp known_61_behaviour, R7), which 84209e87c696 (v6.2) changed.
        const bool read_only = !r.write && r.caller != Caller::io_uring;
        if (!why.empty() && st.kernel == harness::Kernel::v6_1 && read_only) {
            RC_TAG("known 6.1 behaviour: a read-only longterm pin replaced by the write's COW (84209e87c696)");
            continue;
        }
        if (!why.empty())
            fail(st, "R8 " + after + ": " + caller_name(r.caller) + " #" + std::to_string(r.id) + " " + why);
    }
}

unsigned long gen_addr(const Scenario& sc) {
    const harness::VmaSpec& v = sc.vmas[*rc::gen::inRange<std::size_t>(0, sc.vmas.size())];
    const unsigned long pages = (v.end - v.start) / PAGE_SIZE;
    return v.start + *rc::gen::inRange<unsigned long>(0, pages) * PAGE_SIZE;
}

}  // namespace

std::string coherence_after_write(Session& s, unsigned long addr, const page* pinned) {
    World& w = s.world();
    const RefEntry m = mapped_pfn(w, &w.mm, addr);
    if (m.mapped && m.pfn == page_to_pfn(pinned))
        return "";
    return "pinned pfn " + hex(page_to_pfn(pinned)) + " at " + hex(addr) + ", but after the task wrote there the page "
           "tables map " + (m.mapped ? "pfn " + hex(m.pfn) : std::string("nothing")) +
           " (a pinned page is exclusive and must be reused, never copied: the device and the task would diverge)";
}

void callers612_property(const Callers612Options& opt) {
    if (!harness::kernel_available(opt.kernel))
        RC_FAIL(harness::kernel_unavailable_reason(opt.kernel));
    GenOptions go;
    go.max_nr = 16;
    go.kernel = opt.kernel;
    Scenario sc = *gen_scenario612(go);
    // A bad p4d/pud entry makes 6.12's GUP fault and retry until SIGKILL (a known
    // behaviour of the kernel, oracle612.cpp known_livelock): a caller's call there
    // never returns, so the callers' address spaces have none.
    std::erase_if(sc.pre, [](const harness::PreOp& p) {
        return p.kind == harness::PreKind::corrupt_p4d || p.kind == harness::PreKind::corrupt_pud ||
               p.kind == harness::PreKind::pgmap_kill;
    });
    for (harness::FileSpec& f : sc.files)
        f.pgmap_live = true;  // a dying dev_pagemap under a present devmap pte: the same known livelock
    RC_PRE(!sc.vmas.empty());
    Session session(sc);
    State st;
    st.s = &session;
    st.kernel = opt.kernel;
    int next_id = 1;
    const int steps = *rc::gen::inRange(1, opt.max_steps + 1);
    for (int i = 0; i < steps; ++i) {
        const int kind = *pick<int>({{5, 0}, {2, 1}, {2, 2}});  // register, release, write
        std::vector<std::string> problems;
        if (kind == 1 && !st.regs.empty()) {
            const std::size_t k = *rc::gen::inRange<std::size_t>(0, st.regs.size());
            Registration r = st.regs[k];
            st.regs.erase(st.regs.begin() + static_cast<long>(k));
            const std::string step = std::string("release ") + caller_name(r.caller) + " #" + std::to_string(r.id);
            st.log += step + "\n";
            release(st, r, &problems);
            no_problems(st, problems, step);
            check_ledger(st, "after " + step);
            continue;
        }
        if (kind == 2 && !st.regs.empty()) {
            const Registration& r = st.regs[*rc::gen::inRange<std::size_t>(0, st.regs.size())];
            const std::size_t n = r.held().size();
            if (n == 0)
                continue;
            const unsigned long addr = r.start + *rc::gen::inRange<std::size_t>(0, n) * PAGE_SIZE;
            const int rc = session.touch(addr, 1, true);
            const std::string step = "the task writes " + hex(addr) + " (" + (rc ? "faults: " + std::to_string(rc) : "ok") + ")";
            st.log += step + "\n";
            if (rc == 0)
                check_coherence(st, addr, "after " + step);
            check_ledger(st, "after " + step);
            continue;
        }
        // A registration.
        Registration r;
        r.id = next_id++;
        r.caller = *pick<Caller>({{3, Caller::ib_umem}, {3, Caller::io_uring}, {2, Caller::vaddr_frames}, {2, Caller::vfio}});
        const unsigned long addr = gen_addr(sc) + *pick<unsigned long>({{6, 0}, {1, 0x800}});
        const unsigned long npages = *pick<unsigned long>({{6, 1}, {3, 4}, {2, 16}, {1, 600}});
        r.write = *rc::gen::arbitrary<bool>();
        r.start = addr & PAGE_MASK;
        const bool armed = *pick<int>({{3, 0}, {1, 1}}) == 1 && !sc.plan.empty();
        const bool alloc_fails = *pick<int>({{8, 0}, {1, 1}}) == 1;
        std::string step = std::string(caller_name(r.caller)) + " #" + std::to_string(r.id) + " [" + hex(addr) + ", " +
                           std::to_string(npages) + " pages) " +
                           (r.caller == Caller::io_uring ? "FOLL_WRITE" : r.write ? "writable" : "read-only") +
                           (armed ? ", with the scenario's fault plan armed" : "") +
                           (alloc_fails ? ", the caller's own allocation failing" : "");
        long rc = 0;
        {
            if (armed)
                session.arm(sc.plan);
            Session::Operation op(session);  // the plan spans the whole registration
            switch (r.caller) {
            case Caller::ib_umem: {
                IbUmem612Faults f;
                if (alloc_fails)
                    f.sg_append_chunk = 0;
                rc = ib_umem_get(session, addr, npages * PAGE_SIZE, r.write, f, &st.pinned_vm, &r.umem, &problems);
                break;
            }
            case Caller::io_uring:
                rc = io_pin_pages(session, addr, npages * PAGE_SIZE, alloc_fails, &r.pages, &problems);
                break;
            case Caller::vaddr_frames:
                r.vec.ptrs.assign(npages, nullptr);
                rc = get_vaddr_frames(session, addr, static_cast<unsigned>(npages), r.write, &r.vec, &problems);
                break;
            case Caller::vfio:
                rc = vaddr_get_pfns(session, addr, static_cast<long>(npages), r.write, &r.pages, &problems);
                if (rc <= 0)
                    r.pages.clear();
                break;
            }
        }
        step += " -> " + harness::errno_name(rc);
        st.log += step + "\n";
        no_problems(st, problems, step);
        RC_CLASSIFY(rc < 0, "a registration failed");
        RC_CLASSIFY(r.caller == Caller::vaddr_frames && rc > 0 && rc < static_cast<long>(npages),
                    "get_vaddr_frames kept a short count");
        RC_CLASSIFY(sc.config.zone_movable && rc >= 0, "pinned after migration out of ZONE_MOVABLE");
        // Each caller's own contract.
        const std::size_t held = r.held().size();
        switch (r.caller) {
        case Caller::ib_umem:
            if (rc == 0 && held != npages + ((addr & ~PAGE_MASK) ? 1 : 0))
                fail(st, step + ": ib_umem_get succeeded holding " + std::to_string(held) + " pages");
            break;
        case Caller::io_uring:
            if (rc >= 0 && (rc != static_cast<long>(held) || held != npages + ((addr & ~PAGE_MASK) ? 1 : 0)))
                fail(st, step + ": io_pin_pages returned " + std::to_string(rc) + " holding " + std::to_string(held) +
                             " pages (all or nothing)");
            break;
        case Caller::vaddr_frames:
            if (rc == 0)
                fail(st, step + ": get_vaddr_frames returned 0 (callers read it as success with no frame)");
            break;
        case Caller::vfio: break;
        }
        if (rc < 0 && held)
            fail(st, step + ": " + caller_name(r.caller) + " failed but holds " + std::to_string(held) + " pages");
        if (held)
            st.regs.push_back(std::move(r));
        check_ledger(st, "after " + step);
    }
    // Every caller releases what it holds.
    for (Registration& r : st.regs) {
        std::vector<std::string> problems;
        release(st, r, &problems);
        no_problems(st, problems, std::string("final release of ") + caller_name(r.caller) + " #" + std::to_string(r.id));
    }
    st.regs.clear();
    st.log += "every registration released\n";
    check_ledger(st, "after the final releases");
    const k612::Counters c = session.counters612();
    if (c.foll_pin_acquired != c.foll_pin_released)
        fail(st, "R18: NR_FOLL_PIN_ACQUIRED " + std::to_string(c.foll_pin_acquired) + " != RELEASED " +
                     std::to_string(c.foll_pin_released) + " after every release");
    if (st.pinned_vm != 0)
        fail(st, "R18: mm->pinned_vm is " + std::to_string(st.pinned_vm) + " after every ib_umem was released");
}

}  // namespace gupfuzz::props
