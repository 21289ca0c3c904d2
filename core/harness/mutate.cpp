// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/mutate.h"

#include <algorithm>
#include <iterator>

#include "core/harness/executor.h"
#include "core/harness/normalize.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

constexpr unsigned long kPage = 1UL << PAGE_SHIFT;
constexpr unsigned long kPmdPages = 512;

const char* const kMutationNames[] = {
    "vma_add", "vma_remove", "vma_resize", "vma_flag", "vma_file",
    "file_add", "file_change",
    "pre_add", "pre_remove", "pre_change",
    "fail_add", "fail_remove", "fail_move",
    "code_add", "code_remove",
    "signal",
    "call_start", "call_pages", "call_flag", "call_entry",
    "config", "generation", "hugetlb_pool",
    "interleave_add", "interleave_remove",
};
static_assert(std::size(kMutationNames) == static_cast<std::size_t>(Mutation::COUNT));

// Sizes where the walk changes behaviour: one page, a few, a pmd (THP,
// hugetlb, devdax 2 MiB), one past it.
unsigned long pick_pages(MutationRng& r) {
    static const unsigned long sizes[] = {1, 2, 3, 8, 16, kPmdPages - 1, kPmdPages, kPmdPages + 1, 2 * kPmdPages};
    return sizes[r.below(std::size(sizes))];
}

// A page-aligned address the scenario cares about: inside, at the edge of or
// just outside a vma, or at a 2 MiB boundary within one.
unsigned long pick_addr(const Scenario& s, MutationRng& r) {
    if (s.vmas.empty())
        return kUserLow + r.below(64) * kPage;
    const VmaSpec& v = s.vmas[r.below(s.vmas.size())];
    const unsigned long pages = (v.end - v.start) / kPage;
    switch (r.below(6)) {
    case 0: return v.start;
    case 1: return v.end - kPage;
    case 2: return v.end;  // the first page after the vma
    case 3: return v.start >= kUserLow + kPage ? v.start - kPage : v.start;
    case 4: {
        const unsigned long pmd = (v.start + kPmdPages * kPage) & ~(kPmdPages * kPage - 1);
        return pmd < v.end ? pmd : v.start;
    }
    default: return v.start + r.below(pages) * kPage;
    }
}

// The FOLL_* flags a call of this generation may carry, as single bits.
unsigned pick_flag(Kernel k, MutationRng& r) {
    const unsigned allowed = allowed_gup_flags(k);
    unsigned bits[32];
    unsigned n = 0;
    for (unsigned b = 0; b < 32; ++b)
        if (allowed & (1u << b))
            bits[n++] = 1u << b;
    return n ? bits[r.below(n)] : 0;
}

VmaSpec random_vma(const Scenario& s, unsigned long start, MutationRng& r) {
    VmaSpec v;
    v.start = start;
    v.end = start + pick_pages(r) * kPage;
    v.file = s.files.empty() || r.below(3) == 0 ? -1 : static_cast<int>(r.below(s.files.size()));
    v.read = r.below(8) != 0;
    v.write = r.coin();
    v.exec = r.below(8) == 0;
    v.shared = v.file >= 0 && r.coin();
    v.growsdown = v.file < 0 && r.below(8) == 0;
    v.locked = r.below(8) == 0;
    v.huge = static_cast<int>(r.below(3)) - 1;
    return v;
}

bool apply(Scenario& s, Mutation m, MutationRng& r) {
    switch (m) {
    case Mutation::vma_add: {
        if (s.vmas.size() >= kMaxVmas)
            return false;
        // After the last vma, adjacent, a page apart, or at the next 2 MiB boundary.
        unsigned long at = s.vmas.empty() ? kUserLow : s.vmas.back().end;
        switch (r.below(3)) {
        case 0: break;
        case 1: at += kPage; break;
        default: at = (at + kPmdPages * kPage - 1) & ~(kPmdPages * kPage - 1); break;
        }
        s.vmas.push_back(random_vma(s, at, r));
        return true;
    }
    case Mutation::vma_remove:
        if (s.vmas.empty())
            return false;
        s.vmas.erase(s.vmas.begin() + static_cast<long>(r.below(s.vmas.size())));
        return true;
    case Mutation::vma_resize: {
        if (s.vmas.empty())
            return false;
        const std::size_t i = r.below(s.vmas.size());
        VmaSpec& v = s.vmas[i];
        const unsigned long limit = i + 1 < s.vmas.size() ? s.vmas[i + 1].start : TASK_SIZE;
        const unsigned long lower = i ? s.vmas[i - 1].end : kUserLow;
        switch (r.below(4)) {
        case 0: v.end = std::min(limit, v.start + pick_pages(r) * kPage); break;
        case 1: v.end = std::min(limit, v.end + kPage); break;
        case 2: if (v.end - v.start > kPage) v.end -= kPage; break;
        default: if (v.start - kPage >= lower) v.start -= kPage; break;
        }
        return true;
    }
    case Mutation::vma_flag: {
        if (s.vmas.empty())
            return false;
        VmaSpec& v = s.vmas[r.below(s.vmas.size())];
        switch (r.below(10)) {
        case 0: v.read = !v.read; break;
        case 1: v.write = !v.write; break;
        case 2: v.exec = !v.exec; break;
        case 3: v.shared = !v.shared; break;
        case 4: v.growsdown = !v.growsdown; break;
        case 5: v.locked = !v.locked; break;
        case 6: v.maywrite = !v.maywrite; break;
        case 7: v.pfnmap = !v.pfnmap; break;
        default: v.huge = v.huge == 1 ? -1 : v.huge + 1; break;
        }
        return true;
    }
    case Mutation::vma_file: {
        if (s.vmas.empty())
            return false;
        VmaSpec& v = s.vmas[r.below(s.vmas.size())];
        if (r.coin() || s.files.empty())
            v.pgoff = r.coin() ? 0 : r.coin() ? v.pgoff + 1 : r.below(4) * kPmdPages;
        else
            v.file = r.below(4) == 0 ? -1 : static_cast<int>(r.below(s.files.size()));
        return true;
    }
    case Mutation::file_add: {
        if (s.files.size() >= kMaxFiles)
            return false;
        FileSpec f;
        f.kind = static_cast<FileKind>(r.below(6));
        f.size_pages = pick_pages(r) * (r.below(4) == 0 ? 4 : 1);
        f.align_pages = f.kind == FileKind::devdax ? (r.coin() ? 1 : kPmdPages) : 1;
        f.pgmap_live = r.below(8) != 0;
        s.files.push_back(f);
        // Map it too, most of the time: a file nothing maps changes nothing.
        if (r.below(4) != 0 && s.vmas.size() < kMaxVmas) {
            const unsigned long at = s.vmas.empty() ? kUserLow : s.vmas.back().end;
            VmaSpec v = random_vma(s, (at + kPmdPages * kPage - 1) & ~(kPmdPages * kPage - 1), r);
            v.file = static_cast<int>(s.files.size() - 1);
            v.end = v.start + std::min(f.size_pages, 2 * kPmdPages) * kPage;
            s.vmas.push_back(v);
        }
        return true;
    }
    case Mutation::file_change: {
        if (s.files.empty())
            return false;
        FileSpec& f = s.files[r.below(s.files.size())];
        switch (r.below(4)) {
        case 0: f.kind = static_cast<FileKind>(r.below(6)); break;
        case 1: f.size_pages = pick_pages(r); break;
        case 2: f.pgmap_live = !f.pgmap_live; break;
        default: f.align_pages = f.align_pages == 1 ? kPmdPages : 1; break;
        }
        return true;
    }
    case Mutation::pre_add: {
        if (s.pre.size() >= kMaxPreOps)
            return false;
        PreOp p;
        p.kind = static_cast<PreKind>(r.below(static_cast<unsigned>(PreKind::COUNT)));
        p.addr = pick_addr(s, r);
        p.pages = r.coin() ? 1 : pick_pages(r);
        // Most pre-state acts on something present: touch first, then act.
        if (p.kind != PreKind::touch_read && p.kind != PreKind::touch_write && r.coin() && s.pre.size() + 1 < kMaxPreOps)
            s.pre.push_back({r.coin() ? PreKind::touch_write : PreKind::touch_read, p.addr, p.pages});
        s.pre.push_back(p);
        return true;
    }
    case Mutation::pre_remove:
        if (s.pre.empty())
            return false;
        s.pre.erase(s.pre.begin() + static_cast<long>(r.below(s.pre.size())));
        return true;
    case Mutation::pre_change: {
        if (s.pre.empty())
            return false;
        PreOp& p = s.pre[r.below(s.pre.size())];
        switch (r.below(3)) {
        case 0: p.kind = static_cast<PreKind>(r.below(static_cast<unsigned>(PreKind::COUNT))); break;
        case 1: p.addr = pick_addr(s, r); break;
        default: p.pages = pick_pages(r); break;
        }
        return true;
    }
    case Mutation::fail_add: {
        if (s.plan.failures.size() + s.plan.codes.size() >= kMaxFaults)
            return false;
        const auto site = static_cast<AllocSite>(r.below(static_cast<unsigned>(kAllocSitesAll)));
        if (!site_exists(s.kernel, site))
            return false;
        s.plan.failures.push_back({site, static_cast<unsigned>(1 + r.below(r.coin() ? 3 : 64))});
        return true;
    }
    case Mutation::fail_remove:
        if (s.plan.failures.empty())
            return false;
        s.plan.failures.erase(s.plan.failures.begin() + static_cast<long>(r.below(s.plan.failures.size())));
        return true;
    case Mutation::fail_move: {
        if (s.plan.failures.empty())
            return false;
        auto& f = s.plan.failures[r.below(s.plan.failures.size())];
        f.occurrence = r.coin() ? f.occurrence + 1 : f.occurrence > 1 ? f.occurrence - 1 : 1 + static_cast<unsigned>(r.below(8));
        return true;
    }
    case Mutation::code_add: {
        if (s.plan.failures.size() + s.plan.codes.size() >= kMaxFaults)
            return false;
        static const int codes[] = {VM_FAULT_SIGBUS, VM_FAULT_HWPOISON, VM_FAULT_SIGSEGV, VM_FAULT_OOM};
        // Within the call's range most of the time: that is where it can fire.
        const unsigned long first = s.call.start & ~(kPage - 1);
        const unsigned long addr =
            s.call.nr_pages && r.below(4) != 0 ? first + r.below(std::min(s.call.nr_pages, 2 * kPmdPages)) * kPage : pick_addr(s, r);
        s.plan.codes.push_back({addr, codes[r.below(std::size(codes))]});
        return true;
    }
    case Mutation::code_remove:
        if (s.plan.codes.empty())
            return false;
        s.plan.codes.erase(s.plan.codes.begin() + static_cast<long>(r.below(s.plan.codes.size())));
        return true;
    case Mutation::signal:
        s.plan.signal_at_check = s.plan.signal_at_check && r.coin() ? 0 : 1 + static_cast<unsigned>(r.below(8));
        return true;
    case Mutation::call_start: {
        unsigned long a = pick_addr(s, r);
        if (r.below(4) == 0)
            a += 1 + r.below(kPage - 1);  // GUP rounds an unaligned start down
        s.call.start = a;
        return true;
    }
    case Mutation::call_pages: {
        const VmaSpec* v = nullptr;
        for (const VmaSpec& x : s.vmas)
            if (s.call.start >= x.start && s.call.start < x.end)
                v = &x;
        switch (r.below(4)) {
        case 0:  // exactly to the end of the vma, or one page past it
            s.call.nr_pages = v ? (v->end - (s.call.start & ~(kPage - 1))) / kPage + r.below(2) : 1;
            break;
        case 1: s.call.nr_pages = r.below(3); break;
        default: s.call.nr_pages = pick_pages(r); break;
        }
        return true;
    }
    case Mutation::call_flag:
        s.call.gup_flags ^= pick_flag(s.kernel, r);
        if (r.below(4) == 0) {
            if (r.coin())
                s.call.pages = !s.call.pages;
            else if (is_real_kernel(s.kernel))
                s.call.entry = static_cast<k612::Call>(r.below(kEntryCount612));
            else
                s.call.sem = s.call.sem == SemMode::read ? SemMode::write : SemMode::read;
        }
        return true;
    case Mutation::call_entry:
        if (!is_real_kernel(s.kernel)) {
            s.call.vmas = !s.call.vmas;
            return true;
        }
        s.call.entry = static_cast<k612::Call>(r.below(kEntryCount612));
        return true;
    case Mutation::config:
        switch (r.below(7)) {
        case 0: s.config.fs_dax = !s.config.fs_dax; break;
        case 1: s.config.thp = static_cast<ThpMode>(r.below(3)); break;
        case 2: s.config.gate = !s.config.gate; break;
        case 3: s.config.pmd_loop_fix = !s.config.pmd_loop_fix; break;
        case 4: s.config.fsdax_ischr_fix = !s.config.fsdax_ischr_fix; break;
        case 5: s.config.zone_movable = !s.config.zone_movable; break;
        default: s.config.rlimit_memlock = r.coin() ? MLOCK_LIMIT : r.below(4) * kPmdPages * kPage; break;
        }
        return true;
    case Mutation::generation: {
        // Another linked generation; the call keeps its meaning where the
        // flag names exist in both (WRITE, FORCE, NOWAIT, HWPOISON), and a
        // real kernel's call becomes a long-term pin.
        const Kernel gens[] = {Kernel::v4_15, Kernel::v6_12, Kernel::v6_1};
        const Kernel k = gens[r.below(3)];
        if (k == s.kernel || !kernel_available(k))
            return false;
        const bool write = s.call.gup_flags & (is_real_kernel(s.kernel) ? k612::foll::WRITE : FOLL_WRITE);
        const bool force = s.call.gup_flags & (is_real_kernel(s.kernel) ? k612::foll::FORCE : FOLL_FORCE);
        s.kernel = k;
        if (is_real_kernel(k)) {
            s.call.gup_flags = k612::foll::LONGTERM | (write ? k612::foll::WRITE : 0) | (force ? k612::foll::FORCE : 0);
            s.call.entry = r.coin() ? k612::Call::pin_user_pages : k612::Call::pin_user_pages_fast;
            s.call.vmas = false;
            s.call.sem = SemMode::read;
        } else {
            s.call.gup_flags = (write ? FOLL_WRITE : 0) | (force ? FOLL_FORCE : 0);
            s.call.entry = k612::Call::pin_user_pages;
            s.config.zone_movable = false;
        }
        return true;
    }
    case Mutation::hugetlb_pool: {
        static const unsigned long pools[] = {0, 1, 2, 8};
        s.hugetlb_pool = pools[r.below(std::size(pools))];
        return true;
    }
    case Mutation::interleave_add: {
        // Another thread's operation at the 1st-3rd pass of a yield point
        // (docs/concurrency.md); normalize() drops what the lock rules or
        // the generation refuse.
        if (s.plan.interleaves.size() >= kMaxInterleaves)
            return false;
        FaultPlan::Interleave il;
        il.point = static_cast<YieldPoint>(r.below(kYieldPointCount));
        il.occurrence = 1 + static_cast<unsigned>(r.below(3));
        il.op = static_cast<MmOp>(r.below(kMmOpCount));
        if (mm_op_sem(il.op) == MmapSemNeed::write)
            return false;
        const unsigned long first = s.call.start & ~(kPage - 1);
        il.addr = s.call.nr_pages && r.coin() ? first + r.below(std::min(s.call.nr_pages, kPmdPages)) * kPage
                                              : pick_addr(s, r);
        il.pages = r.below(4) == 0 ? pick_pages(r) : 1;
        s.plan.interleaves.push_back(il);
        return true;
    }
    case Mutation::interleave_remove:
        if (s.plan.interleaves.empty())
            return false;
        s.plan.interleaves.erase(s.plan.interleaves.begin() + static_cast<long>(r.below(s.plan.interleaves.size())));
        return true;
    case Mutation::COUNT:
        break;
    }
    return false;
}

}  // namespace

const char* mutation_name(Mutation m) {
    const auto i = static_cast<std::size_t>(m);
    return i < std::size(kMutationNames) ? kMutationNames[i] : "?";
}

std::uint64_t MutationRng::next() {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

Scenario mutate_scenario(const Scenario& s, Mutation m, MutationRng& rng) {
    Scenario t = s;
    if (!apply(t, m, rng))
        return s;
    // Vmas stay sorted (an edit may move one past its neighbour; normalize
    // keeps the first of two that overlap).
    std::stable_sort(t.vmas.begin(), t.vmas.end(), [](const VmaSpec& a, const VmaSpec& b) { return a.start < b.start; });
    return normalize(std::move(t));
}

Scenario mutate_scenario(const Scenario& s, MutationRng& rng, Mutation* applied) {
    for (int attempt = 0; attempt < 8; ++attempt) {
        const auto m = static_cast<Mutation>(rng.below(static_cast<unsigned>(Mutation::COUNT)));
        Scenario t = mutate_scenario(s, m, rng);
        if (!(t == s)) {
            if (applied)
                *applied = m;
            return t;
        }
    }
    return s;
}

Scenario cross_scenarios(const Scenario& a, const Scenario& b, MutationRng& rng) {
    Scenario t = a;
    switch (rng.below(4)) {
    case 0:  // b's layout under a's pre-state, faults and call
        t.files = b.files;
        t.vmas = b.vmas;
        t.hugetlb_pool = b.hugetlb_pool;
        break;
    case 1: t.pre = b.pre; break;
    case 2: t.plan = b.plan; break;
    default:
        if (a.kernel != b.kernel)  // a call's flags mean something only in its generation
            return normalize(std::move(t));
        t.call = b.call;
        break;
    }
    return normalize(std::move(t));
}

}  // namespace gupfuzz::harness
