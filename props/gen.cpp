// SPDX-License-Identifier: GPL-2.0-only
#include "props/gen.h"

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <tuple>
#include <utility>

#include "core/harness/bytes.h"

namespace gupfuzz::harness {
void showValue(const Scenario& s, std::ostream& os) { os << "\n" << print_scenario(s); }
}  // namespace gupfuzz::harness

namespace gupfuzz::props {

using namespace gupfuzz::harness;
using kernel::AllocSite;
using kernel::PAGE_SIZE;
using kernel::PMD_SIZE;

namespace {

rc::Gen<unsigned> flag(unsigned yes_weight, unsigned no_weight) {
    return pick<unsigned>({{no_weight, 0}, {yes_weight, 1}});
}

rc::Gen<unsigned> upto(unsigned n) { return rc::gen::inRange<unsigned>(0, n); }  // [0, n), shrinks to 0

// A list of at most `max` elements, growing with RapidCheck's size, whose
// elements are generated at the full size.
template <class T>
rc::Gen<std::vector<T>> list_of(unsigned max, rc::Gen<T> elem) {
    return rc::gen::withSize([max, elem](int size) {
        const int n = std::max(0, size * static_cast<int>(max) / 100);
        return rc::gen::resize(n, rc::gen::container<std::vector<T>>(rc::gen::resize(size, elem)));
    });
}

// ---- the genome ----
struct ConfigGene {
    unsigned thp = 0, fs_dax_n = 0, gate_off = 0, loop_fix = 0, ischr_fix = 0, pool = 0;
};
enum VmaKind : unsigned { k_anon, k_regular, k_shmem, k_fsdax, k_devdax, k_hugetlbfs, k_mmio, k_pfnmap };
struct VmaGene {
    unsigned kind = 0, size_class = 0, small_pages = 0, gap = 0, prot = 0, shared = 0, huge = 0, locked = 0,
             growsdown = 0, nomaywrite = 0, pgoff = 0, eof = 0, dying = 0, align = 0;
};
struct PreGene {
    unsigned kind = 0, on_vma = 0, vma = 0, off = 0, pages = 0;
};
struct FaultGene {
    unsigned type = 0, site = 0, occ = 0, off = 0, code = 0;
};
struct CallGene {
    unsigned special = 0, anchor = 0, from_end = 0, off = 0, sub = 0, nr = 0, nr_free = 0, nr_zero = 0, write = 0, force = 0,
             nowait = 0, hwpoison = 0, pages_null = 0, vmas_array = 0, sem_write = 0;
};
struct Genome {
    ConfigGene cfg;
    VmaGene first_vma;  // a layout has at least one vma
    std::vector<VmaGene> vmas;
    std::vector<PreGene> pre;
    unsigned has_faults = 0;  // shrinking to 0 drops the whole fault plan at once
    std::vector<FaultGene> faults;
    unsigned signal = 0, stub = 0, kcalloc_fail = 0;
    CallGene call;
};

rc::Gen<ConfigGene> gen_config(const GenOptions& o) {
    using rc::gen::set;
    return rc::gen::build<ConfigGene>(
        set(&ConfigGene::thp, pick<unsigned>({{6, 0}, {2, 1}, {2, 2}})),
        set(&ConfigGene::fs_dax_n, flag(o.fs_dax_n_percent, 100 - std::min(100u, o.fs_dax_n_percent))),
        set(&ConfigGene::gate_off, flag(1, 9)), set(&ConfigGene::loop_fix, flag(2, 8)),
        set(&ConfigGene::ischr_fix, flag(3, 7)), set(&ConfigGene::pool, pick<unsigned>({{6, 0}, {2, 1}, {1, 2}, {1, 3}})));
}

rc::Gen<VmaGene> gen_vma(const GenOptions& o) {
    using rc::gen::set;
    return rc::gen::build<VmaGene>(
        set(&VmaGene::kind, pick<unsigned>({{10, k_anon}, {4, k_regular}, {2, k_shmem}, {o.fsdax_weight, k_fsdax},
                                            {3, k_devdax}, {2, k_hugetlbfs}, {1, k_mmio}, {1, k_pfnmap}})),
        set(&VmaGene::size_class, pick<unsigned>({{7, 0}, {2, 1}, {1, 2}})), set(&VmaGene::small_pages, upto(16)),
        set(&VmaGene::gap, pick<unsigned>({{6, 0}, {1, 1}, {1, 3}, {1, 16}})),
        set(&VmaGene::prot, pick<unsigned>({{14, 0}, {3, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}})),
        set(&VmaGene::shared, flag(1, 2)), set(&VmaGene::huge, pick<unsigned>({{8, 0}, {1, 1}, {1, 2}})),
        set(&VmaGene::locked, flag(1, 12)), set(&VmaGene::growsdown, flag(1, 10)),
        set(&VmaGene::nomaywrite, flag(1, 4)), set(&VmaGene::pgoff, upto(9)),
        set(&VmaGene::eof, pick<unsigned>({{8, 0}, {1, 1}, {1, 2}})), set(&VmaGene::dying, flag(1, 9)),
        set(&VmaGene::align, pick<unsigned>({{6, 0}, {3, 1}, {1, 2}})));
}

rc::Gen<PreGene> gen_pre() {
    using rc::gen::set;
    using P = PreKind;
    auto k = [](P p) { return static_cast<unsigned>(p); };
    return rc::gen::build<PreGene>(
        set(&PreGene::kind,
            pick<unsigned>({{6, k(P::touch_write)}, {4, k(P::touch_read)}, {1, k(P::swapout)}, {1, k(P::migrate)},
                            {1, k(P::poison)}, {1, k(P::numa)}, {1, k(P::cowshare)}, {1, k(P::clean)},
                            {1, k(P::split)}, {1, k(P::corrupt_pmd)}, {1, k(P::pgmap_kill)},
                            {1, k(P::corrupt_pud)}, {1, k(P::corrupt_p4d)}})),
        set(&PreGene::on_vma, flag(1, 3)), set(&PreGene::vma, upto(16)), set(&PreGene::off, upto(64)),
        set(&PreGene::pages, pick<unsigned>({{4, 1}, {2, 2}, {2, 8}, {1, 16}, {1, 64}})));
}

rc::Gen<FaultGene> gen_fault() {
    using rc::gen::set;
    return rc::gen::build<FaultGene>(set(&FaultGene::type, pick<unsigned>({{3, 0}, {2, 1}})),
                                     set(&FaultGene::site, upto(kernel::kAllocSiteCount)),
                                     set(&FaultGene::occ, pick<unsigned>({{4, 1}, {2, 2}, {1, 3}, {1, 5}})),
                                     set(&FaultGene::off, upto(64)), set(&FaultGene::code, upto(4)));
}

rc::Gen<CallGene> gen_call(const GenOptions& o) {
    using rc::gen::set;
    return rc::gen::build<CallGene>(
        set(&CallGene::special, pick<unsigned>({{40, 0}, {1, 1}, {1, 2}})), set(&CallGene::anchor, upto(16)),
        set(&CallGene::from_end, flag(1, 1)), set(&CallGene::off, pick<unsigned>({{4, 0}, {2, 1}, {1, 2}, {1, 5}, {1, 12}})),
        set(&CallGene::sub, pick<unsigned>({{16, 0}, {1, 8}, {1, 0x800}, {1, 0xfff}})),
        set(&CallGene::nr, rc::gen::inRange<unsigned>(1, std::max(2u, o.max_nr + 1))),
        set(&CallGene::nr_free, flag(2, 3)), set(&CallGene::nr_zero, flag(1, 60)), set(&CallGene::write, flag(1, 1)), set(&CallGene::force, flag(1, 4)),
        set(&CallGene::nowait, flag(1, 9)), set(&CallGene::hwpoison, flag(1, 4)),
        set(&CallGene::pages_null, flag(o.pages_null_per_mille, 1000 - std::min(1000u, o.pages_null_per_mille))),
        set(&CallGene::vmas_array, flag(1, 3)), set(&CallGene::sem_write, flag(1, 1)));
}

rc::Gen<Genome> gen_genome(const GenOptions& o) {
    using rc::gen::set;
    return rc::gen::build<Genome>(
        set(&Genome::cfg, gen_config(o)), set(&Genome::first_vma, gen_vma(o)),
        set(&Genome::vmas, list_of(o.max_vmas - 1, gen_vma(o))), set(&Genome::pre, list_of(o.max_pre, gen_pre())),
        set(&Genome::has_faults, flag(1, 2)), set(&Genome::faults, list_of(o.max_faults, gen_fault())),
        set(&Genome::signal, pick<unsigned>({{60, 0}, {1, 1}, {1, 2}, {1, 3}, {1, 5}, {1, 9}, {1, 17}})),
        set(&Genome::stub, pick<unsigned>({{1000 - std::min(1000u, o.stub_per_mille), 0},
                                           {o.stub_per_mille, EFAULT}, {o.stub_per_mille / 3, ENOMEM},
                                           {o.stub_per_mille / 3, EINTR}})),
        set(&Genome::kcalloc_fail,
            flag(o.kcalloc_fail_per_mille, 1000 - std::min(1000u, o.kcalloc_fail_per_mille))),
        set(&Genome::call, gen_call(o)));
}

unsigned long align_up(unsigned long v, unsigned long a) { return (v + a - 1) & ~(a - 1); }

// ---- genome -> Scenario (total; valid by construction) ----
Scenario build(const Genome& g) {
    Scenario s;
    const ConfigGene& c = g.cfg;
    s.config.thp = c.thp == 0 ? kernel::ThpMode::always : c.thp == 1 ? kernel::ThpMode::madvise : kernel::ThpMode::never;
    s.config.fs_dax = !c.fs_dax_n;
    s.config.gate = !c.gate_off;
    s.config.pmd_loop_fix = c.loop_fix;
    s.config.fsdax_ischr_fix = c.ischr_fix;
    static const unsigned long kPool[] = {2, 0, 1, 4};
    s.hugetlb_pool = kPool[c.pool % 4];

    static const char* const kProt[] = {"rw-", "r--", "---", "r-x", "rwx", "-w-"};
    unsigned long cursor = 0x10000000;
    std::vector<VmaGene> vgenes{g.first_vma};
    vgenes.insert(vgenes.end(), g.vmas.begin(), g.vmas.end());
    for (const VmaGene& vg : vgenes) {
        if (s.vmas.size() >= kMaxVmas)
            break;
        unsigned kind = vg.kind;
        if (kind != k_anon && s.files.size() >= kMaxFiles)
            kind = k_anon;
        // Only what the configuration can build (the rules of normalize.h):
        // without CONFIG_FS_DAX the filesystem-DAX file is page cache, and a
        // device-DAX mmap fails, so the gene maps shared memory instead.
        if (kind == k_fsdax && !file_kind_exists(s.config, FileKind::fsdax))
            kind = k_regular;
        if (kind == k_devdax && !dax_mappable(s.config))
            kind = k_shmem;
        unsigned long npages = vg.size_class == 0 ? vg.small_pages + 1 : 512UL * vg.size_class;
        unsigned long align = vg.size_class ? PMD_SIZE : PAGE_SIZE;
        unsigned long unit = 1;  // the file size granule in pages
        if (kind == k_devdax) {
            static const unsigned long kAlign[] = {1, 512, 262144};
            unit = kAlign[vg.align % 3];
            if (unit > 1) {
                npages = unit * (unit == 512 && vg.size_class == 2 ? 2 : 1);
                align = unit * PAGE_SIZE;
            }
        } else if (kind == k_hugetlbfs) {
            unit = 512;
            npages = vg.size_class == 2 ? 1024 : 512;
            align = PMD_SIZE;
        }
        const unsigned long start = align_up(cursor + vg.gap * PAGE_SIZE, align);
        const unsigned long end = start + npages * PAGE_SIZE;
        cursor = end;

        VmaSpec v;
        v.start = start;
        v.end = end;
        const char* prot = kProt[vg.prot % 6];
        v.read = prot[0] == 'r';
        v.write = prot[1] == 'w';
        v.exec = prot[2] == 'x';
        v.huge = vg.huge == 1 ? 1 : vg.huge == 2 ? -1 : 0;
        v.locked = vg.locked;
        if (kind == k_anon) {
            v.growsdown = vg.growsdown;
            s.vmas.push_back(v);
            continue;
        }
        // One file per file-backed vma.
        FileSpec f;
        switch (kind) {
        case k_regular: f.kind = FileKind::regular; v.shared = vg.shared; break;
        case k_shmem: f.kind = FileKind::shmem; v.shared = !vg.shared; break;
        case k_fsdax: f.kind = FileKind::fsdax; v.shared = !vg.shared; break;
        case k_devdax: f.kind = FileKind::devdax; v.shared = true; break;
        case k_hugetlbfs: f.kind = FileKind::hugetlbfs; v.shared = !vg.shared; break;
        case k_mmio: f.kind = FileKind::mmio; v.shared = !vg.shared; break;
        default: f.kind = FileKind::mmio; v.shared = !vg.shared; v.pfnmap = true; break;
        }
        v.pgoff = unit > 1 ? (vg.pgoff % 2) * unit : vg.pgoff;
        v.maywrite = !(vg.nomaywrite && v.shared && !v.write);
        const unsigned long full = v.pgoff + npages;
        unsigned long size = full;
        if (vg.eof && unit > 1)
            size = full > unit ? full - unit : full;
        else if (vg.eof == 1)
            size = full > 1 ? full - 1 : full;
        else if (vg.eof == 2)
            size = std::max(1UL, full - npages / 2);
        f.size_pages = size;
        f.align_pages = kind == k_devdax ? unit : 1;
        f.pgmap_live = !((kind == k_fsdax || kind == k_devdax) && vg.dying);
        v.file = static_cast<int>(s.files.size());
        s.files.push_back(f);
        s.vmas.push_back(v);
    }

    // The call.
    const CallGene& cg = g.call;
    unsigned long start = 0x10000000 + cg.off * PAGE_SIZE;
    if (cg.special == 1) {
        start = kernel::VSYSCALL_ADDR;
    } else if (cg.special == 2) {
        start = kUserLow + cg.off * PAGE_SIZE;  // below everything: a hole
    }
    unsigned long nr = cg.nr;
    if (cg.special == 0 && !s.vmas.empty()) {
        const VmaSpec& a = s.vmas[cg.anchor % s.vmas.size()];
        // Unless the gene says otherwise, the call starts and stays inside its vma.
        const unsigned long off = cg.nr_free ? cg.off : cg.off % ((a.end - a.start) / PAGE_SIZE);
        start = cg.from_end ? std::max(kUserLow, a.end - (off + 1) * PAGE_SIZE) : a.start + off * PAGE_SIZE;
        if (!cg.nr_free && start >= a.start && start < a.end)
            nr = 1 + (nr - 1) % ((a.end - start) / PAGE_SIZE);
    }
    s.call.start = start + cg.sub;
    s.call.nr_pages = cg.nr_zero ? 0 : nr;
    s.call.gup_flags = (cg.write ? kernel::FOLL_WRITE : 0) | (cg.force ? kernel::FOLL_FORCE : 0) |
                       (cg.nowait ? kernel::FOLL_NOWAIT : 0) | (cg.hwpoison ? kernel::FOLL_HWPOISON : 0);
    s.call.pages = !cg.pages_null;
    s.call.vmas = cg.vmas_array;
    s.call.sem = cg.sem_write ? SemMode::write : SemMode::read;
    const unsigned long call_page = s.call.start & kernel::PAGE_MASK;
    const unsigned long span = std::max(1UL, s.call.nr_pages);

    // Pre-state, relative to the call's pages or to a vma.
    unsigned long touched = 0;
    for (const PreGene& pg : g.pre) {
        if (s.pre.size() >= kMaxPreOps)
            break;
        PreOp op;
        op.kind = static_cast<PreKind>(pg.kind % static_cast<unsigned>(PreKind::COUNT));
        if (pg.on_vma && !s.vmas.empty()) {
            const VmaSpec& v = s.vmas[pg.vma % s.vmas.size()];
            op.addr = v.start + (pg.off % ((v.end - v.start) / PAGE_SIZE)) * PAGE_SIZE;
        } else {
            op.addr = call_page + (pg.off % span) * PAGE_SIZE;
        }
        const bool touch = op.kind == PreKind::touch_read || op.kind == PreKind::touch_write;
        op.pages = touch ? std::max(1u, pg.pages) : 1;
        if (touched + op.pages > kMaxTouchPages)
            break;
        touched += op.pages;
        s.pre.push_back(op);
    }

    // The fault plan.
    static const int kCodes[] = {kernel::VM_FAULT_SIGBUS, kernel::VM_FAULT_OOM, kernel::VM_FAULT_HWPOISON,
                                 kernel::VM_FAULT_SIGSEGV};
    if (g.kcalloc_fail)
        s.plan.failures.push_back({AllocSite::kcalloc_vmas, 1});
    for (const FaultGene& fg : g.faults) {
        if (!g.has_faults || s.plan.failures.size() + s.plan.codes.size() >= kMaxFaults)
            break;
        if (fg.type == 0)
            s.plan.failures.push_back({static_cast<AllocSite>(fg.site % kernel::kAllocSiteCount), fg.occ});
        else
            s.plan.codes.push_back({call_page + (fg.off % span) * PAGE_SIZE, kCodes[fg.code % 4]});
    }
    s.plan.signal_at_check = g.signal;
    if (g.stub)
        s.plan.gup_rc_stub = -static_cast<long>(g.stub);
    return s;
}

}  // namespace

rc::Gen<Scenario> gen_scenario(const GenOptions& opt) {
    return rc::gen::map(gen_genome(opt), [](Genome g) { return build(g); });
}

namespace {
struct InterleaveGene {
    unsigned point = 0, pass = 1, op = 0, off = 0, pages = 1;
};
rc::Gen<InterleaveGene> gen_interleave() {
    using rc::gen::set;
    using Y = kernel::YieldPoint;
    using M = kernel::MmOp;
    auto y = [](Y p) { return static_cast<unsigned>(p); };
    auto m = [](M o) { return static_cast<unsigned>(o); };
    return rc::gen::build<InterleaveGene>(
        set(&InterleaveGene::point, pick<unsigned>({{4, y(Y::retry)}, {3, y(Y::fault_entry)}, {3, y(Y::fault_exit)},
                                                    {3, y(Y::pte_unlock)}, {3, y(Y::resched)}, {1, y(Y::pmd_unlock)},
                                                    {4, y(Y::caller_return)}})),
        set(&InterleaveGene::pass, pick<unsigned>({{6, 1}, {3, 2}, {2, 3}, {1, 5}})),
        set(&InterleaveGene::op, pick<unsigned>({{4, m(M::dontneed)}, {3, m(M::read_fault)}, {2, m(M::write_fault)},
                                                 {2, m(M::punch)}, {2, m(M::truncate)}, {2, m(M::swapout)},
                                                 {2, m(M::migrate)}})),
        set(&InterleaveGene::off, upto(64)), set(&InterleaveGene::pages, pick<unsigned>({{6, 1}, {2, 2}, {1, 8}})));
}
}  // namespace

rc::Gen<Scenario> gen_interleaved_scenario(const GenOptions& opt) {
    // One interleaving always (shrinking keeps it, moving it earlier and to
    // the plainest operation), up to two more.
    return rc::gen::map(rc::gen::tuple(gen_scenario(opt), gen_interleave(), list_of(2, gen_interleave())),
                        [](std::tuple<Scenario, InterleaveGene, std::vector<InterleaveGene>> t) {
                            std::pair<Scenario, std::vector<InterleaveGene>> p{std::move(std::get<0>(t)),
                                                                               std::move(std::get<2>(t))};
                            p.second.insert(p.second.begin(), std::get<1>(t));
                            Scenario s = std::move(p.first);
                            const unsigned long call_page = s.call.start & kernel::PAGE_MASK;
                            const unsigned long span = std::max(1UL, std::min(s.call.nr_pages, 64UL));
                            for (const InterleaveGene& g : p.second)
                                s.plan.interleaves.push_back({static_cast<kernel::YieldPoint>(g.point), g.pass,
                                                              static_cast<kernel::MmOp>(g.op),
                                                              call_page + (g.off % span) * PAGE_SIZE, g.pages});
                            return normalize(std::move(s));
                        });
}

namespace {

// ---- kernel 6.12: the v4.15 genome plus the genes only 6.12 has ----
struct MigrationFaultGene {
    unsigned site = 0, occ = 0;  // 0: isolate_lru, 1: migrate_pages; 1-based occurrence
};
struct Genome612 {
    Genome base;
    unsigned entry = 0, longterm = 0, dump = 0, internal = 0, zone_movable = 0, has_migration_faults = 0;
    std::vector<MigrationFaultGene> migration_faults;
};

rc::Gen<Genome612> gen_genome612(const GenOptions& o) {
    using rc::gen::set;
    using C = k612::Call;
    auto e = [](C c) { return static_cast<unsigned>(c); };
    auto percent = [](unsigned p) { return flag(p, 100 - std::min(100u, p)); };
    return rc::gen::build<Genome612>(
        set(&Genome612::base, gen_genome(o)),
        set(&Genome612::entry, pick<unsigned>({{8, e(C::pin_user_pages)}, {6, e(C::pin_user_pages_fast)},
                                               {2, e(C::pin_user_pages_remote)}, {2, e(C::pin_user_pages_unlocked)},
                                               {1, e(C::get_user_pages)}, {1, e(C::get_user_pages_fast)}})),
        set(&Genome612::longterm, percent(o.longterm_percent)), set(&Genome612::dump, flag(1, 30)),
        set(&Genome612::internal, flag(1, 60)), set(&Genome612::zone_movable, percent(o.zone_movable_percent)),
        set(&Genome612::has_migration_faults, percent(o.migration_fault_percent)),
        set(&Genome612::migration_faults,
            list_of(2, rc::gen::build<MigrationFaultGene>(
                           set(&MigrationFaultGene::site, flag(1, 1)),
                           set(&MigrationFaultGene::occ, pick<unsigned>({{4, 1}, {2, 2}, {1, 3}}))))));
}

// The v4.15 flags of the base genome, in 6.12's values.
unsigned flags612(unsigned v415) {
    unsigned f = 0;
    if (v415 & kernel::FOLL_WRITE)
        f |= k612::foll::WRITE;
    if (v415 & kernel::FOLL_FORCE)
        f |= k612::foll::FORCE;
    if (v415 & kernel::FOLL_NOWAIT)
        f |= k612::foll::NOWAIT;
    if (v415 & kernel::FOLL_HWPOISON)
        f |= k612::foll::HWPOISON;
    return f;
}

// genome -> a `kernel 6.12` Scenario: the v4.15 genome's layout, pre-state and
// faults, the 6.12 call, then the one normalizer (normalize.cpp) makes it valid
// for 6.12 (CONFIG_FS_DAX=y, no v4.15 fixes, no stub, no vmas array or
// kcalloc site, ...).  Deterministic, and total like build().
Scenario build612(const Genome612& g, Kernel kernel) {
    Scenario s = build(g.base);
    s.kernel = kernel;
    s.config.zone_movable = g.zone_movable;
    s.call.entry = static_cast<k612::Call>(g.entry);
    s.call.gup_flags = flags612(s.call.gup_flags) | (g.longterm ? k612::foll::LONGTERM : 0u) |
                       (g.dump ? k612::foll::DUMP : 0u) | (g.internal ? k612::foll::TOUCH : 0u);
    // GUP-fast refuses FOLL_NOWAIT, FOLL_HWPOISON and FOLL_DUMP (invalid arguments):
    // kept for the fast entries only when the internal-flag gene asks for an invalid call.
    const bool fast = s.call.entry == k612::Call::pin_user_pages_fast || s.call.entry == k612::Call::get_user_pages_fast;
    if (fast && !g.internal)
        s.call.gup_flags &= ~(k612::foll::NOWAIT | k612::foll::HWPOISON | k612::foll::DUMP);
    if (g.has_migration_faults)
        for (const MigrationFaultGene& m : g.migration_faults)
            if (s.plan.failures.size() + s.plan.codes.size() < kMaxFaults)
                s.plan.failures.push_back({m.site ? AllocSite::migrate_pages : AllocSite::isolate_lru, m.occ});
    return normalize(std::move(s));
}

}  // namespace


namespace {
// Edge values around a bound, and anything.
unsigned long around(std::initializer_list<unsigned long> bounds) {
    std::vector<unsigned long> vals{0, 1};
    for (unsigned long b : bounds)
        vals.insert(vals.end(), {b - 1, b, b + 1});
    return *rc::gen::oneOf(rc::gen::elementOf(vals), rc::gen::arbitrary<unsigned long>());
}
unsigned long any_addr() {
    const unsigned long page = *rc::gen::inRange<unsigned long>(0, 64);
    return *rc::gen::oneOf(rc::gen::just(kUserLow + page * PAGE_SIZE), rc::gen::just(0x10000000 + page * PAGE_SIZE),
                           rc::gen::just(0x40000000 + page * PMD_SIZE), rc::gen::just(kernel::TASK_SIZE - page * PAGE_SIZE),
                           rc::gen::just(page * 0x800), rc::gen::arbitrary<unsigned long>());
}
}  // namespace

rc::Gen<Scenario> gen_any_scenario() {
    return rc::gen::exec([] {
        Scenario s;
        s.config.fs_dax = *rc::gen::arbitrary<bool>();
        s.config.thp = static_cast<kernel::ThpMode>(*rc::gen::inRange(0, 4));
        s.config.gate = *rc::gen::arbitrary<bool>();
        s.config.pmd_loop_fix = *rc::gen::arbitrary<bool>();
        s.config.fsdax_ischr_fix = *rc::gen::arbitrary<bool>();
        s.hugetlb_pool = around({kMaxHugetlbPool});
        const int nfiles = *rc::gen::inRange(0, static_cast<int>(kMaxFiles) + 3);
        for (int i = 0; i < nfiles; ++i) {
            FileSpec f;
            f.kind = static_cast<FileKind>(*rc::gen::inRange(0, 8));
            f.size_pages = around({512, kernel::HPAGE_PUD_NR, kMaxFilePages});
            f.align_pages = around({512, kernel::HPAGE_PUD_NR});
            f.pgmap_live = *rc::gen::arbitrary<bool>();
            s.files.push_back(f);
        }
        const int nvmas = *rc::gen::inRange(0, static_cast<int>(kMaxVmas) + 3);
        for (int i = 0; i < nvmas; ++i) {
            VmaSpec v;
            v.start = any_addr();
            v.end = *rc::gen::oneOf(rc::gen::just(v.start + around({512, kernel::HPAGE_PUD_NR}) * PAGE_SIZE),
                                    rc::gen::just(any_addr()));
            v.file = *rc::gen::inRange(-2, nfiles + 2);
            v.pfnmap = *rc::gen::arbitrary<bool>();
            v.read = *rc::gen::arbitrary<bool>();
            v.write = *rc::gen::arbitrary<bool>();
            v.exec = *rc::gen::arbitrary<bool>();
            v.shared = *rc::gen::arbitrary<bool>();
            v.maywrite = *rc::gen::arbitrary<bool>();
            v.growsdown = *rc::gen::arbitrary<bool>();
            v.locked = *rc::gen::arbitrary<bool>();
            v.huge = *rc::gen::inRange(-3, 4);
            v.pgoff = around({512, kernel::HPAGE_PUD_NR, kMaxFilePages});
            s.vmas.push_back(v);
        }
        const int npre = *rc::gen::oneOf(rc::gen::inRange(0, 8), rc::gen::inRange(0, static_cast<int>(kMaxPreOps) + 4));
        for (int i = 0; i < npre; ++i) {
            PreOp p;
            p.kind = static_cast<PreKind>(*rc::gen::inRange(0, static_cast<int>(PreKind::COUNT) + 3));
            p.addr = any_addr();
            p.pages = around({kMaxTouchPages});
            s.pre.push_back(p);
        }
        const int nfail = *rc::gen::oneOf(rc::gen::inRange(0, 4), rc::gen::inRange(0, static_cast<int>(kMaxFaults) + 4));
        for (int i = 0; i < nfail; ++i)
            s.plan.failures.push_back({static_cast<AllocSite>(*rc::gen::inRange(0, kernel::kAllocSiteCount + 3)),
                                       static_cast<unsigned>(around({100000}))});
        const int ncodes = *rc::gen::oneOf(rc::gen::inRange(0, 4), rc::gen::inRange(0, static_cast<int>(kMaxFaults) + 4));
        for (int i = 0; i < ncodes; ++i)
            s.plan.codes.push_back({any_addr(), *rc::gen::elementOf(std::vector<int>{
                                                    kernel::VM_FAULT_SIGBUS, kernel::VM_FAULT_OOM, kernel::VM_FAULT_HWPOISON,
                                                    kernel::VM_FAULT_SIGSEGV, 0, *rc::gen::arbitrary<int>()})});
        s.plan.signal_at_check = static_cast<unsigned>(around({1000000}));
        if (*rc::gen::arbitrary<bool>())
            s.plan.gup_rc_stub = *rc::gen::elementOf(std::vector<long>{
                -1, -4095, -4096, 0, 5, LONG_MIN, LONG_MAX, *rc::gen::arbitrary<long>()});
        s.call.start = any_addr();
        s.call.nr_pages = around({kFuzzCallPages, kMaxCallPages});
        s.call.gup_flags = *rc::gen::arbitrary<unsigned>();
        s.call.pages = *rc::gen::arbitrary<bool>();
        s.call.vmas = *rc::gen::arbitrary<bool>();
        s.call.sem = *rc::gen::arbitrary<bool>() ? SemMode::write : SemMode::read;
        return s;
    });
}

std::vector<Scenario> sample(const rc::Gen<Scenario>& g, int n, std::uint64_t seed) {
    std::vector<Scenario> out;
    rc::Random r(seed);
    for (int i = 0; i < n; ++i)
        out.push_back(g(r.split(), i % 101).value());
    return out;
}

std::string rc_class(const Scenario& s, const Verdict& v) {
    if (v.crashed)
        return "crashed (BUG/livelock)";
    if (v.rc < 0)
        return errno_name(v.rc);
    if (v.rc == 0)
        return s.call.nr_pages == 0 ? "0 (nr_pages 0)" : "0 (FOLL_NOWAIT)";
    return v.rc == static_cast<long>(s.call.nr_pages) ? "full" : "partial";
}

bool fsdax_in_prefix(const Scenario& s, const Verdict& v) {
    // Classification only: the call reached a filesystem-DAX vma before it
    // returned (a full or partial count, or the -EOPNOTSUPP refusal).
    const unsigned long first = s.call.start & kernel::PAGE_MASK;
    const unsigned long reached = v.rc == -EOPNOTSUPP ? s.call.nr_pages : v.rc > 0 ? static_cast<unsigned long>(v.rc) : 0;
    const unsigned long end = first + reached * PAGE_SIZE;
    for (const VmaSpec& vm : s.vmas)
        if (vm.start < end && vm.end > first && vm.file >= 0 &&
            s.files[static_cast<std::size_t>(vm.file)].kind == FileKind::fsdax)
            return true;
    return false;
}

rc::Gen<Scenario> gen_scenario612(const GenOptions& opt) {
    return rc::gen::map(gen_genome612(opt), [k = opt.kernel](Genome612 g) { return build612(g, k); });
}

}  // namespace gupfuzz::props
