// SPDX-License-Identifier: GPL-2.0-only
#include "props/callers_prop.h"

#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "core/harness/executor.h"
#include "core/harness/session.h"
#include "core/kernel/walk.h"
#include "props/callers.h"
#include "props/gen.h"

namespace gupfuzz::props {

using namespace gupfuzz::kernel;
using harness::Session;

namespace {

std::string hex(unsigned long v) {
    char b[32];
    std::snprintf(b, sizeof b, "%#lx", v);
    return b;
}

// The process's address space for the callers: four 4 MiB slots from a
// 1 GiB-aligned base, so a slot can hold a 2 MiB-aligned THP-sized region.
constexpr unsigned long kArena = 0x40000000;
constexpr unsigned long kSlotPages = 1024;
constexpr unsigned kSlots = 4;
constexpr unsigned long kArenaPages = kSlots * kSlotPages;
constexpr unsigned long kChunk = PAGE_SIZE / sizeof(page*);  // ib_umem_get's 512-page chunks

// ---------------------------------------------------------------------------
// The model

enum class Kind : std::uint8_t { anon, regular, shmem, fsdax, devdax };
const char* kind_name(Kind k) {
    switch (k) {
    case Kind::anon: return "anon";
    case Kind::regular: return "regular";
    case Kind::shmem: return "shmem";
    case Kind::fsdax: return "fsdax";
    case Kind::devdax: return "devdax";
    }
    return "?";
}

struct Region {
    unsigned long start = 0, end = 0;
    Kind kind = Kind::anon;
    bool r = true, w = true, x = false, shared = false;
    unsigned long pages() const { return (end - start) / PAGE_SIZE; }
};

std::string prot_string(bool r, bool w, bool x) { return std::string(r ? "r" : "-") + (w ? "w" : "-") + (x ? "x" : "-"); }

void showValue(const Region& g, std::ostream& os) {
    os << "[" << hex(g.start) << ", " << hex(g.end) << ") " << g.pages() << " pages " << kind_name(g.kind) << " "
       << prot_string(g.r, g.w, g.x) << (g.shared ? " shared" : " private");
}

struct Reg {
    int id = 0;
    bool rdma = true;
    bool certain = true;    // its outcome was predicted exactly
    unsigned long held = 0; // when certain: the pages it holds
};

// What get_user_pages_longterm does over [start, start + n pages) in this
// layout with no fault injected: it pins the prefix of `pinnable` pages (a
// hole or a check_vma_flags refusal stops it) and refuses the whole call if a
// vma vma_is_fsdax() answers true for lies in that prefix.
struct Prediction {
    unsigned long pinnable = 0;  // P
    long refused_at = -1;        // F: first page in [0, P) of a vma longterm refuses, or -1
    long rc() const { return pinnable == 0 ? -EFAULT : refused_at >= 0 ? -EOPNOTSUPP : static_cast<long>(pinnable); }
};

struct Model {
    bool ischr_fix = false;
    std::vector<Region> vmas;  // sorted, disjoint
    std::vector<Reg> regs;
    int next_id = 1;
    bool armed = false;

    const Region* region_at(unsigned long a) const {
        for (const Region& g : vmas)
            if (a >= g.start && a < g.end)
                return &g;
        return nullptr;
    }

    void unmap(unsigned long start, unsigned long end) {
        std::vector<Region> out;
        for (const Region& g : vmas) {
            if (g.end <= start || g.start >= end) {
                out.push_back(g);
                continue;
            }
            if (g.start < start) {
                Region l = g;
                l.end = start;
                out.push_back(l);
            }
            if (g.end > end) {
                Region r = g;
                r.start = end;
                out.push_back(r);
            }
        }
        vmas = out;
    }

    void map(const Region& g) {
        unmap(g.start, g.end);
        vmas.push_back(g);
        std::sort(vmas.begin(), vmas.end(), [](const Region& a, const Region& b) { return a.start < b.start; });
    }

    // mm/mprotect.c do_mprotect_pkey: vmas before a hole are changed, then -ENOMEM.
    long mprotect(unsigned long start, unsigned long end, bool r, bool w, bool x) {
        if (!region_at(start))
            return -ENOMEM;
        unsigned long nstart = start;
        for (;;) {
            const Region* cur = region_at(nstart);
            const unsigned long tmp = std::min(cur->end, end);
            Region changed = *cur;
            changed.start = nstart;
            changed.end = tmp;
            changed.r = r;
            changed.w = w;
            changed.x = x;
            map(changed);
            nstart = tmp;
            if (nstart >= end)
                return 0;
            if (!region_at(nstart))
                return -ENOMEM;
        }
    }

    bool refused_by_longterm(Kind k) const { return k == Kind::fsdax || (k == Kind::devdax && !ischr_fix); }

    Prediction predict(unsigned long start, unsigned long n, unsigned flags) const {
        Prediction p;
        const bool write = flags & FOLL_WRITE, force = flags & FOLL_FORCE;
        for (unsigned long j = 0; j < n; ++j) {
            const Region* g = region_at(start + j * PAGE_SIZE);
            if (!g)
                break;  // find_extend_vma: -EFAULT
            // check_vma_flags (every mapping here has VM_MAYREAD and VM_MAYWRITE)
            if (write && !g->w && (!force || g->shared))
                break;
            if (!write && !g->r && !force)
                break;
            if (p.refused_at < 0 && refused_by_longterm(g->kind))
                p.refused_at = static_cast<long>(j);
            p.pinnable = j + 1;
        }
        return p;
    }

    const Reg* reg(int id) const {
        for (const Reg& r : regs)
            if (r.id == id)
                return &r;
        return nullptr;
    }
};

// ---------------------------------------------------------------------------
// The system under test

struct Sut {
    std::unique_ptr<Session> session;
    std::map<int, IbUmem> umems;
    std::map<int, VideobufDma> dmas;
    std::set<std::string> events;  // coverage, reported with RC_CLASSIFY
    bool holding() const {
        for (const auto& [id, u] : umems)
            if (!u.sg.empty())
                return true;
        for (const auto& [id, d] : dmas)
            if (d.have_pages && d.nr_pages > 0)
                return true;
        return false;
    }
};

const char* const kEvents[] = {"rdma: chunked registration (> 512 pages)", "rdma: -EOPNOTSUPP",
                               "rdma: failed with a fault armed", "v4l2: partial pin kept until free",
                               "v4l2: -EOPNOTSUPP", "munmap/mmap over pinned pages", "mprotect over pinned pages"};

using Cmd = rc::state::Command<Model, Sut>;

[[noreturn]] void fail(Sut& sut, const std::string& what) {
    RC_FAIL(what + "\naddress space now:\n" + sut.session->layout_text());
}

void expect(Sut& sut, bool ok, const std::string& what) {
    if (!ok)
        fail(sut, what);
}

// After every command: the references every page holds equal what the
// live registrations name; nothing named is freed; pgmaps at baseline; no
// model violation; no vmas array left allocated; P15 once nothing is held.
void check_references(const Model& next, Sut& sut, const std::string& after) {
    Session& s = *sut.session;
    std::map<const page*, long> want;
    std::map<const page*, std::string> who;
    auto name = [&](const page* head, const std::string& holder) {
        want[head]++;
        if (!who.count(head))
            who[head] = holder;
    };
    for (const auto& [id, u] : sut.umems)
        for (const page* p : u.sg) {
            expect(sut, p != nullptr, after + ": ib_umem #" + std::to_string(id) + " holds a NULL page");
            name(compound_head(const_cast<page*>(p)), "ib_umem #" + std::to_string(id));
        }
    for (const auto& [id, d] : sut.dmas)
        for (long i = 0; d.have_pages && i < d.nr_pages; ++i) {
            const page* p = d.pages[static_cast<std::size_t>(i)];
            expect(sut, p != nullptr, after + ": videobuf #" + std::to_string(id) + " holds a NULL page");
            name(compound_head(const_cast<page*>(p)), "videobuf #" + std::to_string(id));
        }
    for (const page* p : s.head_pages()) {
        const auto it = want.find(p);
        const long expected = it == want.end() ? 0 : it->second;
        if (Session::gup_refs(p) != expected)
            fail(sut, after + ": " + s.describe_page(p) + " but the live registrations name it " +
                          std::to_string(expected) + " time(s)" + (who.count(p) ? " (" + who[p] + ")" : std::string()));
    }
    for (const auto& [p, n] : want)
        expect(sut, s.page_is_live(p),
               after + ": " + s.describe_page(p) + " was freed while " + who[p] + " still holds it");
    const auto& base = s.pgmap_baseline();
    for (std::size_t i = 0; i < base.size(); ++i)
        expect(sut, s.world().pgmaps[i]->ref == base[i],
               after + ": dev_pagemap " + std::to_string(i) + " holds " +
                   std::to_string(s.world().pgmaps[i]->ref - base[i]) + " extra reference(s)");
    for (const std::string& v : s.new_violations())
        fail(sut, after + ": " + v);
    expect(sut, s.world().trace.kmalloc_live == 0,
           after + ": " + std::to_string(s.world().trace.kmalloc_live) + " kcalloc'd vmas array(s) never freed");
    if (next.regs.empty()) {
        // P15: after the last deregistration, every page is back to baseline.
        for (const page* p : s.head_pages())
            if (Session::gup_refs(p) != 0)
                fail(sut, "P15 " + after + ": no registration is live, yet " + s.describe_page(p));
    }
}

// The pages a caller was given are the ones the page tables map at their
// addresses right after the call (seed-port.md P6, for the callers' arrays).
void check_correspondence(Sut& sut, unsigned long start, const std::vector<page*>& pages, std::size_t n,
                          const std::string& what) {
    World& w = sut.session->world();
    for (std::size_t j = 0; j < n; ++j) {
        const unsigned long a = start + j * PAGE_SIZE;
        const Mapping m = walk(w, &w.mm, a);
        const pteval_t v = m.value;
        unsigned long pfn = 0;
        if (m.level == Level::pte && (v & (_PAGE_PRESENT | _PAGE_PROTNONE)))
            pfn = (v & PTE_PFN_MASK) >> PAGE_SHIFT;
        else if ((m.level == Level::pmd || m.level == Level::pud) && (v & _PAGE_PSE) &&
                 (v & (_PAGE_PRESENT | _PAGE_PROTNONE)))
            pfn = ((v & PTE_PFN_MASK) >> PAGE_SHIFT) + ((a & ~(m.level == Level::pmd ? PMD_MASK : PUD_MASK)) >> PAGE_SHIFT);
        const page* p = pages[j];
        expect(sut, p && p->pfn() == pfn,
               what + ": page " + std::to_string(j) + " (" + hex(a) + ") is pfn " + (p ? hex(p->pfn()) : "NULL") +
                   " but the page tables map " + (pfn ? "pfn " + hex(pfn) : std::string("nothing")) + " there");
    }
}

void expect_no_problems(Sut& sut, const std::vector<std::string>& problems, const std::string& what) {
    if (!problems.empty()) {
        std::string all;
        for (const auto& p : problems)
            all += "\n  " + p;
        fail(sut, what + ":" + all);
    }
}

// ---- generators shared by the commands ----
// Every choice shrinks toward its first (simplest) entry.
template <class T>
T weighted(std::vector<std::pair<unsigned, T>> table) {
    return *pick<T>(std::move(table));
}
bool coin(unsigned yes, unsigned no) { return weighted<bool>({{no, false}, {yes, true}}); }

unsigned long gen_page(const Model& m) {
    if (!m.vmas.empty() && !coin(1, 5)) {
        const Region g = m.vmas[*rc::gen::inRange<std::size_t>(0, m.vmas.size())];
        if (coin(1, 3))  // near the end, to run into what follows
            return g.end - (1 + *rc::gen::inRange<unsigned long>(0, std::min(8UL, g.pages()))) * PAGE_SIZE;
        return g.start + *rc::gen::inRange<unsigned long>(0, g.pages()) * PAGE_SIZE;
    }
    return kArena + *rc::gen::inRange<unsigned long>(0, kArenaPages) * PAGE_SIZE;
}

unsigned long gen_length() {
    switch (weighted<int>({{6, 0}, {2, 1}, {1, 2}})) {
    case 0: return *rc::gen::inRange<unsigned long>(1, 17);
    case 1: return *rc::gen::inRange<unsigned long>(17, 65);
    default: return *rc::gen::inRange<unsigned long>(400, 1101);  // several ib_umem chunks
    }
}

Region gen_region(unsigned slot) {
    Region g;
    const unsigned long base = kArena + slot * kSlotPages * PAGE_SIZE;
    g.kind = weighted<Kind>({{5, Kind::anon}, {2, Kind::regular}, {1, Kind::shmem}, {2, Kind::fsdax}, {1, Kind::devdax}});
    if (coin(1, 2)) {
        // A 2 MiB-aligned region of 2 or 4 MiB: THP and DAX pmds.
        g.start = base;
        g.end = base + weighted<unsigned long>({{1, 512}, {1, 1024}}) * PAGE_SIZE;
    } else {
        const unsigned long n = *rc::gen::inRange<unsigned long>(1, 33);
        g.start = base + *rc::gen::inRange<unsigned long>(0, kSlotPages - n + 1) * PAGE_SIZE;
        g.end = g.start + n * PAGE_SIZE;
    }
    const int prot = weighted<int>({{6, 0}, {2, 1}, {1, 2}});
    g.r = prot != 2;
    g.w = prot == 0;
    g.x = false;
    switch (g.kind) {
    case Kind::anon: g.shared = false; break;
    case Kind::shmem:
    case Kind::devdax: g.shared = true; break;
    case Kind::regular:
    case Kind::fsdax: g.shared = *rc::gen::arbitrary<bool>(); break;
    }
    return g;
}

harness::FileSpec file_for(const Region& g) {
    harness::FileSpec f;
    f.kind = g.kind == Kind::regular ? FileKind::regular
             : g.kind == Kind::shmem ? FileKind::shmem
             : g.kind == Kind::fsdax ? FileKind::fsdax
                                     : FileKind::devdax;
    f.size_pages = g.pages();
    f.align_pages = 1;
    return f;
}

harness::VmaSpec vma_for(const Region& g, int file) {
    harness::VmaSpec v;
    v.start = g.start;
    v.end = g.end;
    v.file = file;
    v.read = g.r;
    v.write = g.w;
    v.exec = g.x;
    v.shared = g.shared;
    return v;
}

// ---------------------------------------------------------------------------
// Commands

struct Base : Cmd {
    // Every command is one operation of the process: an armed fault applies
    // to it (or is used up by it).
    void run(const Model& s0, Sut& sut) const final {
        if (operation()) {
            Session::Operation op(*sut.session);
            exec(s0, sut);
        } else {
            exec(s0, sut);
        }
        check_references(nextState(s0), sut, "after `" + describe() + "`");
    }
    void show(std::ostream& os) const final { os << describe(); }
    virtual void exec(const Model& s0, Sut& sut) const = 0;
    virtual std::string describe() const = 0;
    virtual bool operation() const { return true; }
};

// ---- RDMA ----
struct RdmaRegister : Base {
    unsigned long addr = 0;
    std::size_t size = 0;
    bool writable = true;
    IbUmemFaults faults;
    int id = 0;  // the registration's name in the model and in reports

    explicit RdmaRegister(const Model& m) : id(m.next_id) {
        const unsigned long sub = weighted<unsigned long>({{6, 0}, {1, 0x10}, {1, 0x800}});
        addr = gen_page(m) + sub;
        size = gen_length() * PAGE_SIZE - (sub ? sub / 2 : 0);
        writable = !coin(1, 3);
        faults.vma_list = coin(1, 4);
        faults.page_list = coin(1, 40);
        faults.sg_table = coin(1, 40);
        faults.dma_map = coin(1, 30);
    }

    unsigned flags() const { return FOLL_WRITE | (writable ? 0 : FOLL_FORCE); }

    // ib_umem_get's outcome without an injected kernel fault: 0 (all pages
    // held) or the errno (nothing held).
    long predict(const Model& m) const {
        if (faults.page_list)
            return -ENOMEM;
        const unsigned long n = ib_umem_num_pages(addr, size);
        if (n == 0)
            return -EINVAL;
        if (faults.sg_table)
            return -ENOMEM;
        const unsigned long start = addr & PAGE_MASK;
        const Prediction p = m.predict(start, n, flags());
        // The chunk loop: each chunk pins up to its first blocked page, a
        // refused vma in a chunk's pinned part fails that chunk.
        for (unsigned long cur = 0; cur < n;) {
            const unsigned long c = std::min(n - cur, kChunk);
            if (p.pinnable <= cur)
                return -EFAULT;
            const unsigned long got = std::min(p.pinnable - cur, c);
            if (p.refused_at >= static_cast<long>(cur) && p.refused_at < static_cast<long>(cur + got))
                return -EOPNOTSUPP;
            cur += got;
        }
        return faults.dma_map ? -ENOMEM : 0;
    }

    void apply(Model& m) const override {
        const long want = predict(m);
        if (want == 0 || m.armed)  // with a fault armed it may or may not exist
            m.regs.push_back({id, true, !m.armed, want == 0 ? ib_umem_num_pages(addr, size) : 0});
        m.next_id = std::max(m.next_id, id + 1);
        m.armed = false;
    }

    void exec(const Model& s0, Sut& sut) const override {
        const long want = predict(s0);
        IbUmem umem;
        std::vector<std::string> problems;
        const long rc = ib_umem_get(*sut.session, addr, size, writable, faults, &umem, &problems);
        expect_no_problems(sut, problems, describe());
        const unsigned long n = ib_umem_num_pages(addr, size);
        if (!s0.armed) {
            expect(sut, rc == want,
                   describe() + ": ib_umem_get returned " + harness::errno_name(rc) + ", the model predicts " +
                       harness::errno_name(want));
        } else {
            // An injected fault can make a registration fail, never succeed.
            expect(sut, want == 0 || rc < 0, describe() + " with a fault armed: returned " + harness::errno_name(rc) +
                                        " although the model predicts " + harness::errno_name(want));
            expect(sut, rc == 0 || rc == -EFAULT || rc == -ENOMEM || rc == -ERESTARTSYS || rc == -EOPNOTSUPP,
                   describe() + ": ib_umem_get returned " + harness::errno_name(rc));
        }
        if (rc == 0 && n > kChunk)
            sut.events.insert(kEvents[0]);
        if (rc == -EOPNOTSUPP)
            sut.events.insert(kEvents[1]);
        if (rc < 0 && s0.armed)
            sut.events.insert(kEvents[2]);
        if (rc == 0) {
            expect(sut, umem.sg.size() == n,
                   describe() + ": registered " + std::to_string(umem.sg.size()) + " of " + std::to_string(n) + " pages");
            check_correspondence(sut, addr & PAGE_MASK, umem.sg, n, describe());
            sut.umems[id] = std::move(umem);
        }
    }

    std::string describe() const override {
        std::string d = "rdma register #" + std::to_string(id) + " [" + hex(addr) + " + " + hex(size) + "] (" +
                        std::to_string(ib_umem_num_pages(addr, size)) + " pages) " +
                        (writable ? "writable" : "read-only (FOLL_FORCE)");
        if (faults.page_list) d += ", page_list alloc fails";
        if (faults.vma_list) d += ", vma_list alloc fails (vmas = NULL)";
        if (faults.sg_table) d += ", sg_alloc_table fails";
        if (faults.dma_map) d += ", dma map fails";
        return d;
    }
};

struct RdmaDeregister : Base {
    int id = 0;
    explicit RdmaDeregister(const Model& m) {
        std::vector<int> ids;
        for (const Reg& r : m.regs)
            if (r.rdma)
                ids.push_back(r.id);
        RC_PRE(!ids.empty());
        id = ids[*rc::gen::inRange<std::size_t>(0, ids.size())];
    }
    void checkPreconditions(const Model& m) const override {
        const Reg* r = m.reg(id);
        const bool ok = r != nullptr && r->rdma;  // not inside RC_PRE: its capture would not short-circuit
        RC_PRE(ok);
    }
    void apply(Model& m) const override {
        m.regs.erase(std::remove_if(m.regs.begin(), m.regs.end(), [&](const Reg& r) { return r.id == id; }),
                     m.regs.end());
        m.armed = false;
    }
    void exec(const Model& s0, Sut& sut) const override {
        auto it = sut.umems.find(id);
        if (s0.reg(id)->certain)
            expect(sut, it != sut.umems.end(), describe() + ": the registration does not exist");
        if (it != sut.umems.end()) {
            ib_umem_release(*sut.session, it->second);
            sut.umems.erase(it);
        }
    }
    std::string describe() const override { return "rdma deregister #" + std::to_string(id); }
};

// ---- V4L2 ----
struct V4l2Init : Base {
    unsigned long data = 0, size = 0;
    bool from_device = true;
    bool kmalloc_fails = false;
    int id = 0;

    explicit V4l2Init(const Model& m) : id(m.next_id) {
        const unsigned long sub = weighted<unsigned long>({{6, 0}, {1, 0x20}, {1, 0xf00}});
        data = gen_page(m) + sub;
        size = std::min(gen_length(), 80UL) * PAGE_SIZE - sub / 2;
        from_device = *rc::gen::arbitrary<bool>();
        kmalloc_fails = coin(1, 40);
    }
    unsigned flags() const { return FOLL_FORCE | (from_device ? FOLL_WRITE : 0); }
    unsigned long nr() const { return (((data + size - 1) & PAGE_MASK) - (data & PAGE_MASK)) / PAGE_SIZE + 1; }

    struct Want {
        long err = 0;
        unsigned long held = 0;
        unsigned long bound = 0;  // with a fault armed: at most this many held
    };
    Want predict(const Model& m) const {
        Want w;
        if (kmalloc_fails) {
            w.err = -ENOMEM;
            return w;
        }
        const Prediction p = m.predict(data & PAGE_MASK, nr(), flags());
        const long rc = p.rc();
        w.held = rc > 0 ? static_cast<unsigned long>(rc) : 0;
        w.err = rc == static_cast<long>(nr()) ? 0 : rc < 0 ? rc : -EINVAL;
        w.bound = p.refused_at >= 0 ? static_cast<unsigned long>(p.refused_at) : p.pinnable;
        return w;
    }
    void apply(Model& m) const override {
        const Want w = predict(m);
        m.regs.push_back({id, false, !m.armed, w.held});
        m.next_id = std::max(m.next_id, id + 1);
        m.armed = false;
    }
    void exec(const Model& s0, Sut& sut) const override {
        const Want w = predict(s0);
        VideobufDma dma;
        std::vector<std::string> problems;
        const long err = videobuf_dma_init_user(*sut.session, &dma, from_device, data, size, kmalloc_fails, &problems);
        expect_no_problems(sut, problems, describe());
        const unsigned long held = dma.have_pages ? static_cast<unsigned long>(dma.nr_pages) : 0;
        if (!s0.armed) {
            expect(sut, err == w.err && held == w.held,
                   describe() + ": returned " + harness::errno_name(err) + " holding " + std::to_string(held) +
                       " pages; the model predicts " + harness::errno_name(w.err) + " holding " +
                       std::to_string(w.held));
        } else {
            expect(sut, held <= w.bound,
                   describe() + " with a fault armed: holds " + std::to_string(held) +
                       " pages, more than the model's bound " + std::to_string(w.bound));
            expect(sut, err >= 0 || err == -EINVAL || held == 0,
                   describe() + ": returned " + harness::errno_name(err) + " yet holds " + std::to_string(held) + " pages");
        }
        check_correspondence(sut, data & PAGE_MASK, dma.pages, held, describe());
        if (err == -EINVAL && held > 0)
            sut.events.insert(kEvents[3]);
        if (err == -EOPNOTSUPP)
            sut.events.insert(kEvents[4]);
        sut.dmas[id] = std::move(dma);
    }
    std::string describe() const override {
        return "v4l2 init #" + std::to_string(id) + " [" + hex(data) + " + " + hex(size) + "] (" + std::to_string(nr()) + " pages) " +
               (from_device ? "DMA_FROM_DEVICE (FOLL_FORCE|FOLL_WRITE)" : "DMA_TO_DEVICE (FOLL_FORCE)") +
               (kmalloc_fails ? ", kmalloc of dma->pages fails" : "");
    }
};

struct V4l2Free : Base {
    int id = 0;
    explicit V4l2Free(const Model& m) {
        std::vector<int> ids;
        for (const Reg& r : m.regs)
            if (!r.rdma)
                ids.push_back(r.id);
        RC_PRE(!ids.empty());
        id = ids[*rc::gen::inRange<std::size_t>(0, ids.size())];
    }
    void checkPreconditions(const Model& m) const override {
        const Reg* r = m.reg(id);
        const bool ok = r != nullptr && !r->rdma;
        RC_PRE(ok);
    }
    void apply(Model& m) const override {
        m.regs.erase(std::remove_if(m.regs.begin(), m.regs.end(), [&](const Reg& r) { return r.id == id; }),
                     m.regs.end());
        m.armed = false;
    }
    void exec(const Model&, Sut& sut) const override {
        auto it = sut.dmas.find(id);
        expect(sut, it != sut.dmas.end(), describe() + ": no such videobuf");
        videobuf_dma_free(*sut.session, &it->second);
        sut.dmas.erase(it);
    }
    std::string describe() const override { return "v4l2 free #" + std::to_string(id); }
};

// ---- the task's address space ----
struct Mmap : Base {
    Region g;
    explicit Mmap(const Model&) { g = gen_region(*rc::gen::inRange(0u, kSlots)); }
    void apply(Model& m) const override {
        m.map(g);
        m.armed = false;
    }
    void exec(const Model&, Sut& sut) const override {
        if (sut.holding())
            sut.events.insert(kEvents[5]);
        const int file = g.kind == Kind::anon ? -1 : sut.session->add_file(file_for(g));
        const int rc = sut.session->mmap(vma_for(g, file));
        expect(sut, rc == 0, describe() + ": mmap returned " + harness::errno_name(rc));
    }
    std::string describe() const override {
        std::ostringstream o;
        o << "mmap MAP_FIXED ";
        showValue(g, o);
        return o.str();
    }
};

struct Munmap : Base {
    unsigned long start = 0, pages = 0;
    explicit Munmap(const Model& m) {
        start = gen_page(m);
        pages = gen_length();
    }
    void apply(Model& m) const override {
        m.unmap(start, start + pages * PAGE_SIZE);
        m.armed = false;
    }
    void exec(const Model&, Sut& sut) const override {
        if (sut.holding())
            sut.events.insert(kEvents[5]);
        const int rc = sut.session->munmap(start, pages * PAGE_SIZE);
        expect(sut, rc == 0, describe() + ": munmap returned " + harness::errno_name(rc));
    }
    std::string describe() const override { return "munmap [" + hex(start) + ", +" + std::to_string(pages) + " pages)"; }
};

struct Mprotect : Base {
    unsigned long start = 0, pages = 0;
    bool r = true, w = true;
    explicit Mprotect(const Model& m) {
        start = gen_page(m);
        pages = gen_length();
        const int prot = weighted<int>({{3, 0}, {3, 1}, {1, 2}});
        r = prot != 2;
        w = prot == 0;
    }
    void apply(Model& m) const override {
        m.mprotect(start, start + pages * PAGE_SIZE, r, w, false);
        m.armed = false;
    }
    void exec(const Model& s0, Sut& sut) const override {
        Model tmp = s0;
        const long want = tmp.mprotect(start, start + pages * PAGE_SIZE, r, w, false);
        if (sut.holding())
            sut.events.insert(kEvents[6]);
        const int rc = sut.session->mprotect(start, pages * PAGE_SIZE, r, w, false);
        expect(sut, rc == want,
               describe() + ": mprotect returned " + harness::errno_name(rc) + ", want " + harness::errno_name(want));
    }
    std::string describe() const override {
        return "mprotect [" + hex(start) + ", +" + std::to_string(pages) + " pages) " + prot_string(r, w, false);
    }
};

struct Touch : Base {
    unsigned long start = 0, pages = 0;
    bool write = false;
    explicit Touch(const Model& m) {
        start = gen_page(m);
        pages = std::min(gen_length(), 64UL);
        write = *rc::gen::arbitrary<bool>();
    }
    void apply(Model& m) const override { m.armed = false; }
    void exec(const Model& s0, Sut& sut) const override {
        const int rc = sut.session->touch(start, pages, write);
        if (s0.armed)
            return;
        int want = 0;
        for (unsigned long j = 0; j < pages && !want; ++j) {
            const Region* g = s0.region_at(start + j * PAGE_SIZE);
            if (!g || (write ? !g->w : !(g->r || g->w || g->x)))
                want = -EFAULT;
        }
        expect(sut, rc == want, describe() + ": the task's access gave " + std::to_string(rc) + ", want " +
                                    std::to_string(want) + " (0 = completed, -14 = SIGSEGV)");
    }
    std::string describe() const override {
        return std::string("touch-") + (write ? "write" : "read") + " [" + hex(start) + ", +" + std::to_string(pages) +
               " pages)";
    }
};

struct ArmFault : Base {
    FaultPlan plan;
    std::string what;
    explicit ArmFault(const Model& m) {
        static const std::vector<AllocSite> kSites = {AllocSite::kcalloc_vmas, AllocSite::pte_alloc, AllocSite::pmd_alloc,
                                           AllocSite::anon_vma_prepare, AllocSite::anon_page, AllocSite::cow_page,
                                           AllocSite::pagecache_page, AllocSite::memcg_charge, AllocSite::thp_page};
        switch (weighted<int>({{4, 0}, {3, 1}, {1, 2}})) {
        case 0: {
            const AllocSite site = kSites[*rc::gen::inRange<std::size_t>(0, kSites.size())];
            const unsigned occ = *rc::gen::inRange(1u, 4u);
            plan.failures.push_back({site, occ});
            what = std::string("fail the ") + std::to_string(occ) + ". " + alloc_site_name(site);
            break;
        }
        case 1: {
            const unsigned long a = gen_page(m);
            const int code = weighted<int>({{1, VM_FAULT_SIGBUS}, {1, VM_FAULT_OOM}, {1, VM_FAULT_HWPOISON}});
            plan.codes.push_back({a, code});
            what = "VM_FAULT_" + harness::vm_fault_name(code) + " at " + hex(a);
            break;
        }
        default:
            plan.signal_at_check = *rc::gen::inRange(1u, 5u);
            what = "SIGKILL from the " + std::to_string(plan.signal_at_check) + ". fatal_signal_pending()";
            break;
        }
    }
    void apply(Model& m) const override { m.armed = true; }
    // Arming is not an operation of its own (that would use the fault up).
    bool operation() const override { return false; }
    void exec(const Model&, Sut& sut) const override { sut.session->arm(plan); }
    std::string describe() const override { return "arm for the next operation: " + what; }
};

// ---------------------------------------------------------------------------
// The property

struct Initial {
    bool ischr_fix = false;
    std::vector<Region> vmas;
};
void showValue(const Initial& i, std::ostream& os) {
    os << "initial process: config fsdax_ischr_fix=" << (i.ischr_fix ? "y" : "n") << (i.vmas.empty() ? ", no vmas" : "");
    for (const Region& g : i.vmas) {
        os << "\n  ";
        showValue(g, os);
    }
}

harness::Scenario base_scenario(const Model& m) {
    harness::Scenario s;
    s.config.fsdax_ischr_fix = m.ischr_fix;
    for (const Region& g : m.vmas) {
        int file = -1;
        if (g.kind != Kind::anon) {
            file = static_cast<int>(s.files.size());
            s.files.push_back(file_for(g));
        }
        s.vmas.push_back(vma_for(g, file));
    }
    s.call.nr_pages = 0;
    return s;
}

// Every caller lets go of what it holds (the driver's release on process
// exit), then the task unmaps everything.
void teardown(Sut& sut) {
    Session& s = *sut.session;
    for (auto& [id, u] : sut.umems)
        ib_umem_release(s, u);
    sut.umems.clear();
    for (auto& [id, d] : sut.dmas)
        videobuf_dma_free(s, &d);
    sut.dmas.clear();
    Model none;
    check_references(none, sut, "after every registration was released at the end");
    const int rc = s.munmap(kArena, kArenaPages * PAGE_SIZE);
    expect(sut, rc == 0, "munmap of the whole arena returned " + harness::errno_name(rc));
    for (const std::string& v : s.new_violations())
        fail(sut, "unmapping everything at the end: " + v);
    for (const page* p : s.head_pages())
        if (p->allocated() && PageAnon(p))
            fail(sut, "after every registration was released and everything unmapped, " + s.describe_page(p) +
                          " is still allocated");
}

}  // namespace

void callers_property(const CallersOptions& opt) {
    // The initial process: the vma_is_fsdax flavour, and some of the four slots mapped.
    // Each slot shrinks on its own (toward unmapped, then toward a plainer region).
    auto slot = [](unsigned n) {
        return rc::gen::maybe(rc::gen::exec([n] { return gen_region(n); }));
    };
    const Initial init = *rc::gen::map(
        rc::gen::tuple(rc::gen::arbitrary<bool>(), slot(0), slot(1), slot(2), slot(3)), [](const auto& t) {
            Initial i;
            i.ischr_fix = std::get<0>(t);
            for (const auto* m : {&std::get<1>(t), &std::get<2>(t), &std::get<3>(t), &std::get<4>(t)})
                if (*m)
                    i.vmas.push_back(**m);
            return i;
        });
    Model m0;
    m0.ischr_fix = init.ischr_fix;
    m0.vmas = init.vmas;

    Sut sut;
    sut.session = std::make_unique<Session>(base_scenario(m0));

    auto cmds = [&]() {
        if (opt.rdma && opt.v4l2)
            return *rc::gen::resize(
                opt.max_commands,
                rc::state::gen::commands(m0, rc::state::gen::execOneOfWithArgs<
                                                 RdmaRegister, RdmaRegister, RdmaDeregister, V4l2Init, V4l2Init, V4l2Free,
                                                 Mmap, Munmap, Mprotect, Touch, Touch, ArmFault, ArmFault>()));
        if (opt.rdma)
            return *rc::gen::resize(
                opt.max_commands,
                rc::state::gen::commands(m0, rc::state::gen::execOneOfWithArgs<RdmaRegister, RdmaRegister,
                                                                               RdmaDeregister, Mmap, Munmap, Mprotect,
                                                                               Touch, ArmFault>()));
        return *rc::gen::resize(
            opt.max_commands,
            rc::state::gen::commands(m0, rc::state::gen::execOneOfWithArgs<V4l2Init, V4l2Init, V4l2Free, Mmap, Munmap,
                                                                           Mprotect, Touch, ArmFault>()));
    }();
    RC_CLASSIFY(cmds.size() >= 20, ">= 20 commands");
    rc::state::runAll(cmds, m0, sut);
    for (const char* e : kEvents)
        RC_CLASSIFY(sut.events.count(e) != 0, e);
    teardown(sut);
}

}  // namespace gupfuzz::props
