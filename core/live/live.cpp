// SPDX-License-Identifier: GPL-2.0-only
//
// Planning, comparing and reporting a live case (core/live/live.h).
#include "core/live/live.h"

#include <algorithm>
#include <sstream>

#include "core/harness/normalize.h"
#include "core/kernel/hex.h"
#include "core/live/host_child.h"
#include "core/live/sim.h"

namespace gupfuzz::live {

using kernel::hex;
namespace foll = k612::foll;

namespace {
constexpr unsigned long kPage = 4096;
constexpr unsigned long kHuge = 2UL << 20;

std::string vma_name(std::size_t i) { return "vma " + std::to_string(i); }

// Whether THP can matter for the vma: it holds an aligned 2 MiB range
// (anonymous private memory; the model has no file THP).
bool thp_relevant(const harness::VmaSpec& v) {
    if (v.file >= 0)
        return false;
    const unsigned long first = (v.start + kHuge - 1) & ~(kHuge - 1);
    return first + kHuge <= v.end;
}

bool thp_eligible(kernel::ThpMode mode, int huge) {
    switch (mode) {
        case kernel::ThpMode::always: return huge >= 0;
        case kernel::ThpMode::madvise: return huge > 0;
        case kernel::ThpMode::never: return false;
    }
    return false;
}

const char* thp_name(int mode) {
    static const char* names[] = {"always", "madvise", "never"};
    return mode >= 0 && mode < 3 ? names[mode] : "unknown";
}

std::string pre_reason(harness::PreKind k) {
    using harness::PreKind;
    switch (k) {
        case PreKind::swapout: return "needs reclaim to swap the page out (MADV_PAGEOUT), and this harness does not rely on host swap";
        case PreKind::migrate: return "a migration entry exists only while the kernel migrates the page";
        case PreKind::poison: return "memory_failure (MADV_HWPOISON) would poison a page of this machine";
        case PreKind::numa: return "NUMA hinting ptes are made by the kernel's own scanner, on its own time";
        case PreKind::clean: return "writeback cleaning a pte happens on the kernel's own time";
        case PreKind::split: return "splitting a THP pmd is the kernel's own decision";
        case PreKind::corrupt_p4d:
        case PreKind::corrupt_pud:
        case PreKind::corrupt_pmd: return "a bad page-table entry cannot be made from user space";
        case PreKind::pgmap_kill: return "there is no DAX device on this host";
        default: return "";
    }
}
}  // namespace

bool may_map_thp(const harness::Scenario& s, unsigned long addr) {
    const unsigned long block = addr & ~(kHuge - 1);
    for (const auto& v : s.vmas)
        if (v.start <= addr && addr < v.end)
            return v.file < 0 && thp_eligible(s.config.thp, v.huge) && v.start <= block && block + kHuge <= v.end;
    return false;
}

const char* host_entry_name(HostEntry e) {
    switch (e) {
        case HostEntry::io_uring_register: return "io_uring";
        case HostEntry::odirect_read: return "odirect-read";
        case HostEntry::odirect_write: return "odirect-write";
        case HostEntry::process_vm_writev: return "process_vm_writev";
        case HostEntry::process_vm_readv: return "process_vm_readv";
    }
    return "?";
}

std::string host_entry_words(HostEntry e) {
    switch (e) {
        case HostEntry::io_uring_register:
            return "io_uring IORING_REGISTER_BUFFERS: io_pin_pages -> pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM), "
                   "all or nothing (a short count is unpinned and becomes -EFAULT), buffers over 1 GiB -EFAULT";
        case HostEntry::odirect_read:
            return "pread(O_DIRECT) into the range: iov_iter_extract_pages -> pin_user_pages_fast(FOLL_PIN|FOLL_WRITE) "
                   "per bio of <= 256 pages; any refusal makes the call fail with its error (iomap: the dio error wins)";
        case HostEntry::odirect_write:
            return "pwrite(O_DIRECT) from the range: iov_iter_extract_pages -> pin_user_pages_fast(FOLL_PIN) per bio "
                   "of <= 256 pages; any refusal makes the call fail with its error (iomap: the dio error wins)";
        case HostEntry::process_vm_writev:
            return "process_vm_writev(self) into the range: pin_user_pages_remote(FOLL_WRITE) per 1024 pages; the "
                   "bytes done up to the first refusal, else -EFAULT";
        case HostEntry::process_vm_readv:
            return "process_vm_readv(self) from the range: pin_user_pages_remote(0) per 1024 pages; the bytes done "
                   "up to the first refusal, else -EFAULT";
    }
    return "?";
}

Plan plan(const harness::Scenario& s, const HostInfo& host) {
    Plan p;
    p.sim = s;
    auto nc = [&](const std::string& why) {
        p.comparable = false;
        p.reason = why;
        return p;
    };
    if (s.kernel == harness::Kernel::v4_15)
        return nc("a v4.15 scenario: the host runs Linux 6.x; only `kernel 6.12` and `kernel 6.1` scenarios are "
                  "compared");
    if (const std::string why = harness::to_string(harness::validate(s)); !why.empty())
        return nc("invalid scenario: " + why);
    if (!s.plan.empty())
        return nc("injected faults (fail/fault/signal): the host kernel cannot be made to fail on cue");
    if (s.config.zone_movable)
        return nc("ZONE_MOVABLE placement: this host's user memory is not in ZONE_MOVABLE (a boot setting)");
    for (std::size_t i = 0; i < s.files.size(); ++i) {
        const auto& f = s.files[i];
        const std::string name = "file " + std::to_string(i);
        switch (f.kind) {
            case kernel::FileKind::fsdax: return nc(name + " is fsdax: no DAX filesystem on this host");
            case kernel::FileKind::devdax: return nc(name + " is device-DAX: no DAX device on this host");
            case kernel::FileKind::mmio: return nc(name + " is device memory (mmio): no such device for an unprivileged process");
            case kernel::FileKind::hugetlbfs:
                return nc(name + " is hugetlbfs: this host has " + std::to_string(host.hugepages_free) +
                          " free 2 MiB huge pages" +
                          (host.hugepages_free ? " (building hugetlb layouts is not done yet)"
                                               : " (none reserved: /proc/sys/vm/nr_hugepages)"));
            case kernel::FileKind::regular:
                if (!host.tmpdir_disk)
                    return nc(name + " is a disk filesystem's file, but " + host.tmpdir + " is " + host.tmpdir_fs);
                break;
            case kernel::FileKind::shmem: break;
        }
    }
    for (const auto& op : s.pre) {
        if (op.kind == harness::PreKind::cowshare) {
            // The host child forks a sibling that keeps the one page; a THP would be
            // shared whole by the model, and the host child cannot tell which it is.
            if (may_map_thp(s, op.addr))
                return nc("pre cowshare " + hex(op.addr) + ": a THP may map it, which fork shares whole; the host "
                          "child shares one page");
            continue;
        }
        if (op.kind != harness::PreKind::touch_read && op.kind != harness::PreKind::touch_write)
            return nc(std::string("pre ") + harness::pre_kind_name(op.kind) + " " + hex(op.addr) + ": " +
                      pre_reason(op.kind));
    }

    const harness::Call& c = s.call;
    if (c.entry == k612::Call::get_user_pages || c.entry == k612::Call::get_user_pages_fast)
        return nc(std::string(harness::entry_name(c.entry)) +
                  " (FOLL_GET): no host caller with an observable result is wired for reference-taking GUP");
    if (!c.pages)
        return nc("pages=null: every host caller passes a pages array");
    if (c.nr_pages == 0)
        return nc("nr=0: io_uring refuses an empty buffer (a WARN in io_pin_pages); O_DIRECT and process_vm_* do "
                  "not call GUP for nothing");
    const unsigned long len = c.nr_pages * kPage - (c.start & (kPage - 1));
    if (c.start >= kernel::TASK_SIZE || len > kernel::TASK_SIZE - c.start)
        return nc("the call range reaches past TASK_SIZE: the host child cannot reserve it");
    const unsigned f = c.gup_flags;
    const bool fast = c.entry == k612::Call::pin_user_pages_fast;
    if (f & foll::LONGTERM) {
        if (f == foll::LONGTERM)
            return nc("a read-only FOLL_LONGTERM pin: the host's unprivileged longterm pin (io_uring buffer "
                      "registration) always passes FOLL_WRITE; a read-only one needs RDMA, VFIO or the gup_test debugfs");
        if (f != (foll::WRITE | foll::LONGTERM))
            return nc("flags " + harness::gup_flags_string(s.kernel, f) +
                      ": the host's unprivileged longterm pin (io_uring buffer registration) passes exactly "
                      "FOLL_WRITE|FOLL_LONGTERM");
        if (c.entry == k612::Call::pin_user_pages_remote)
            return nc("pin_user_pages_remote with FOLL_LONGTERM: no unprivileged host caller");
        if (!host.io_uring)
            return nc("io_uring unavailable: " + host.io_uring_why);
        if (len <= (1UL << 30) && c.nr_pages > kMaxLivePages)
            return nc("the call pins " + std::to_string(c.nr_pages) + " pages, over the live bound of " +
                      std::to_string(kMaxLivePages));
        if (!host.cap_ipc_lock && len > host.memlock && len <= (1UL << 30))  // over 1 GiB: refused before accounting
            return nc("io_uring accounts registered buffers against RLIMIT_MEMLOCK (" + std::to_string(host.memlock) +
                      " bytes here, no CAP_IPC_LOCK); the model has no such account");
        p.entry = HostEntry::io_uring_register;
    } else {
        if (f & ~foll::WRITE)
            return nc("flags " + harness::gup_flags_string(s.kernel, f) +
                      ": the host's short-term pins (O_DIRECT, process_vm_*) pass only FOLL_WRITE or no flag");
        if (c.start & (kPage - 1))
            return nc("an unaligned start: O_DIRECT needs a block-aligned buffer (and process_vm_* counts bytes)");
        if (c.nr_pages > kMaxLivePages)
            return nc("the call pins " + std::to_string(c.nr_pages) + " pages, over the live bound of " +
                      std::to_string(kMaxLivePages));
        if (c.entry == k612::Call::pin_user_pages_remote) {
            p.entry = (f & foll::WRITE) ? HostEntry::process_vm_writev : HostEntry::process_vm_readv;
        } else {
            if (!host.odirect)
                return nc("O_DIRECT unavailable: " + host.odirect_why);
            if (c.nr_pages > 4096)
                return nc("the O_DIRECT scratch file is bounded to 4096 pages");
            p.entry = (f & foll::WRITE) ? HostEntry::odirect_read : HostEntry::odirect_write;
        }
    }
    if (p.entry != HostEntry::process_vm_readv && p.entry != HostEntry::process_vm_writev && !fast) {
        p.sim.call.entry = k612::Call::pin_user_pages_fast;
        p.notes.push_back(std::string("the scenario calls ") + harness::entry_name(c.entry) + "; the host caller (" +
                          host_entry_name(p.entry) + ") calls pin_user_pages_fast with the same flags, so both sides run that");
    }

    // THP: make the host's eligibility per vma the scenario's, with madvise.
    for (std::size_t i = 0; i < s.vmas.size(); ++i) {
        const auto& v = s.vmas[i];
        const bool want = thp_eligible(s.config.thp, v.huge);
        int adv = v.huge;
        if (host.thp < 0 || host.thp == static_cast<int>(kernel::ThpMode::never)) {
            if (want && thp_relevant(v))
                return nc(vma_name(i) + " may get a THP (scenario thp=" + thp_name(static_cast<int>(s.config.thp)) +
                          "), but this host's THP is " + thp_name(host.thp));
        } else if (host.thp == static_cast<int>(kernel::ThpMode::always)) {
            adv = want ? (v.huge > 0 ? 1 : 0) : -1;
        } else {  // madvise
            adv = want ? 1 : (v.huge < 0 ? -1 : 0);
        }
        if (adv != v.huge && thp_relevant(v))
            p.notes.push_back(vma_name(i) + ": THP as the scenario's thp=" + thp_name(static_cast<int>(s.config.thp)) +
                              " makes it on a host whose THP is " + thp_name(host.thp) + ": " +
                              (adv > 0 ? "MADV_HUGEPAGE" : adv < 0 ? "MADV_NOHUGEPAGE" : "no madvise"));
        p.thp_madvise.push_back(adv);
    }
    for (std::size_t i = 0; i < s.vmas.size(); ++i)
        if (s.vmas[i].locked)
            p.notes.push_back(vma_name(i) + " is locked: mlock2(MLOCK_ONFAULT) on the host (VM_LOCKED without populating)");
    p.comparable = true;
    return p;
}

// ---------------------------------------------------------------------------

namespace {

std::string flags_word(const PageState& s, bool pfns) {
    if (!s.present)
        return "-";
    std::string w = "P";
    if (s.exclusive) w += "X";
    if (s.file) w += "F";
    if (pfns) w += "@" + hex(s.pfn);
    return w;
}

bool replaced(const PageState& b, const PageState& a) { return b.present && a.present && b.pfn != a.pfn; }

}  // namespace

void decide(Comparison& c, bool host_pfns) {
    c.differences.clear();
    c.agree = false;
    if (!c.plan.comparable) {
        c.outcome = Comparison::Outcome::not_comparable;
        return;
    }
    if (!c.host.error.empty() || !c.host.ran) {
        c.outcome = Comparison::Outcome::not_comparable;
        return;
    }
    if (!c.sim.error.empty() || !c.sim.ran) {
        c.differences.push_back("the simulated side failed: " + c.sim.error);
        c.outcome = Comparison::Outcome::disagree;
        return;
    }
    if (c.host.rc != c.sim.rc) {
        const bool bytes = c.plan.entry != HostEntry::io_uring_register;
        auto words = [&](long rc) {
            return rc < 0 ? harness::errno_name(rc) : bytes ? std::to_string(rc) + " pages done" : std::string("0 (success)");
        };
        c.differences.push_back("verdict: host " + words(c.host.rc) + ", simulated " + words(c.sim.rc));
    }
    const std::size_t n = std::min({c.host.before.size(), c.sim.before.size(), c.host.after.size(), c.sim.after.size()});
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const unsigned long addr = c.observe_start + i * kPage;
        auto cmp = [&](const char* when, const PageState& h, const PageState& s) {
            if (h.present != s.present || (h.present && (h.exclusive != s.exclusive || h.file != s.file))) {
                if (shown++ < 8)
                    c.differences.push_back(std::string("pagemap ") + when + " the call at " + hex(addr) + ": host " +
                                            flags_word(h, false) + ", simulated " + flags_word(s, false));
                return false;
            }
            return true;
        };
        const bool same_before = cmp("before", c.host.before[i], c.sim.before[i]);
        const bool same_after = cmp("after", c.host.after[i], c.sim.after[i]);
        if (host_pfns && same_before && same_after) {
            const bool hr = replaced(c.host.before[i], c.host.after[i]);
            const bool sr = replaced(c.sim.before[i], c.sim.after[i]);
            if (hr != sr && shown++ < 8)
                c.differences.push_back("the call " + std::string(hr ? "replaced" : "kept") + " the page at " +
                                        hex(addr) + " on the host, " + (sr ? "replaced" : "kept") + " it simulated");
        }
    }
    if (shown > 8)
        c.differences.push_back("... " + std::to_string(shown - 8) + " more page differences");
    c.agree = c.differences.empty();
    c.outcome = c.agree ? Comparison::Outcome::agree : Comparison::Outcome::disagree;
}

std::string Comparison::reason() const {
    if (!plan.comparable)
        return plan.reason;
    if (!host.error.empty() || !host.ran)
        return "the host could not build it: " + (host.error.empty() ? std::string("it did not run") : host.error);
    return differences.empty() ? "" : differences.front();
}

Comparison compare(const std::string& name, const harness::Scenario& s, const HostInfo& host) {
    Comparison c;
    c.name = name;
    c.host_kernel = host.kernel;
    c.scenario = s;
    c.plan = plan(s, host);
    if (!c.plan.comparable) {
        decide(c, host.pfns);
        return c;
    }
    // The span the child reserves (every vma and the call range) and the observed pages.
    const harness::Scenario& sim = c.plan.sim;
    const unsigned long call_lo = sim.call.start & ~(kPage - 1), call_hi = call_lo + sim.call.nr_pages * kPage;
    unsigned long lo = call_lo, hi = call_hi;
    for (const auto& v : sim.vmas) {
        lo = std::min(lo, v.start);
        hi = std::max(hi, v.end);
    }
    unsigned long obs_lo = lo, obs_pages = (hi - lo) / kPage;
    if (obs_pages > kMaxObservedPages) {
        obs_lo = call_lo;
        obs_pages = std::min(kMaxObservedPages, (hi - call_lo) / kPage);
    }
    c.observe_start = obs_lo;
    HostJob job{sim, c.plan.entry, c.plan.thp_madvise, host.tmpdir, lo, hi, obs_lo, obs_pages};
    run_host_child(job, &c.host);
    run_sim(c.plan, obs_lo, obs_pages, &c.sim);
    decide(c, host.pfns);
    return c;
}

std::string Comparison::report() const {
    std::ostringstream o;
    const char* word = outcome == Outcome::agree ? "AGREE" : outcome == Outcome::disagree ? "DISAGREE" : "NOT COMPARABLE";
    o << "live: " << word;
    if (outcome != Outcome::agree)
        o << ": " << reason();
    o << "\n";
    if (!plan.comparable || (outcome == Outcome::not_comparable))
        return o.str();
    o << "host entry: " << host_entry_words(plan.entry) << "\n";
    for (const auto& n : plan.notes)
        o << "note: " << n << "\n";
    o << "host (" << (host_kernel.empty() ? std::string("the running kernel") : host_kernel) << "): " << host.rc_words << "\n";
    for (const auto& n : host.notes)
        o << "  host note: " << n << "\n";
    o << "simulated (Linux " << harness::kernel_name(scenario.kernel) << " mm/gup.c): " << sim.rc_words << "\n";
    for (const auto& n : sim.notes)
        o << "  simulated note: " << n << "\n";
    for (const auto& d : differences)
        o << "DIFFERENCE " << d << "\n";
    // The pagemap of both sides: pages either side shows present, at most 32.
    const bool pfns = !host.before.empty() && std::any_of(host.after.begin(), host.after.end(),
                                                          [](const PageState& p) { return p.pfn != 0; });
    o << "pagemap (P present, X exclusively mapped, F file/shared; before -> after";
    o << (pfns ? "; host pfns shown" : "") << "):\n";
    std::size_t shown = 0, total = 0;
    for (std::size_t i = 0; i < host.before.size() && i < sim.before.size(); ++i) {
        if (!host.before[i].present && !host.after[i].present && !sim.before[i].present && !sim.after[i].present)
            continue;
        ++total;
        if (shown++ >= 32)
            continue;
        o << "  " << hex(observe_start + i * kPage) << "  host " << flags_word(host.before[i], pfns) << " -> "
          << flags_word(host.after[i], pfns) << "   simulated " << flags_word(sim.before[i], true) << " -> "
          << flags_word(sim.after[i], true) << "\n";
    }
    if (total > 32)
        o << "  ... " << total - 32 << " more pages\n";
    if (total == 0)
        o << "  (no page present on either side)\n";
    return o.str();
}

}  // namespace gupfuzz::live
