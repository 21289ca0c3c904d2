// SPDX-License-Identifier: GPL-2.0-only
//
// The running kernel as referee (issue 13; docs/live.md).  A `kernel 6.12`
// scenario whose layout an unprivileged process can build is built for real
// in a fresh child process of this host (mmap of anonymous memory, memfd, a
// file on a disk filesystem under a temporary directory; mprotect-level
// protections, madvise, touches), pinned through the host entry point that
// takes the scenario's pin, and observed through /proc/self/pagemap.  The
// same scenario runs on the simulated kernel (the executor: Linux 6.12's own
// mm/gup.c) and, for the page-table observations, on a Session built by the
// same builder, through a caller model of that host entry point:
//
//   io_uring IORING_REGISTER_BUFFERS  io_pin_pages: pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM),
//                                      all or nothing (a short count is unpinned: -EFAULT), 1 GiB limit
//   O_DIRECT read / write              iov_iter_extract_pages: pin_user_pages_fast(FOLL_PIN [|FOLL_WRITE])
//                                      per bio (256 pages), bytes done up to the first refusal
//   process_vm_writev / readv          pin_user_pages_remote([FOLL_WRITE]) per 1024 pages, same
//
// What is compared is only what both sides can observe: the caller's result
// (success / the errno, or the pages transferred) and, per page, present /
// exclusively mapped / file-or-shared bits of pagemap before and after the
// call, and (when this process may read pfns) whether the call replaced the
// page.  A scenario the host cannot build is NOT COMPARABLE with its reason,
// never a pass.  Nothing here hard-codes what the host answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/harness/scenario.h"

namespace gupfuzz::live {

// What this host offers, found by trying (never assumed).
struct HostInfo {
    std::string kernel;             // uname -r
    bool io_uring = false;
    std::string io_uring_why;       // why not, when not
    bool odirect = false;
    std::string odirect_why;
    std::string tmpdir;             // where `regular` files and the O_DIRECT scratch file live
    bool tmpdir_disk = false;       // tmpdir is a disk filesystem (ext4/xfs/btrfs...): page_mkwrite, writeback
    std::string tmpdir_fs;          // its filesystem type, in words
    bool pfns = false;              // pagemap shows pfns (CAP_SYS_ADMIN)
    bool cap_ipc_lock = false;      // io_uring does not account registrations against RLIMIT_MEMLOCK
    unsigned long memlock = 0;      // RLIMIT_MEMLOCK soft limit, bytes
    int thp = -1;                   // kernel::ThpMode of /sys/kernel/mm/transparent_hugepage/enabled, -1 unknown
    unsigned long hugepages_free = 0;  // HugePages_Free (2 MiB)
    bool memfd_secret = false;
    std::string describe() const;   // one line per fact
};
HostInfo probe_host(const std::string& tmpdir);

// The host entry point that takes a scenario's pin.
enum class HostEntry : std::uint8_t { io_uring_register, odirect_read, odirect_write, process_vm_writev, process_vm_readv };
const char* host_entry_name(HostEntry e);
std::string host_entry_words(HostEntry e);  // which kernel function with which flags, and the caller's semantics

// How a scenario maps onto the host: comparable (and then how), or why not.
struct Plan {
    bool comparable = false;
    std::string reason;            // NOT COMPARABLE: why (in kernel terms)
    HostEntry entry = HostEntry::io_uring_register;
    harness::Scenario sim;         // what the simulated side runs: the scenario with the host entry's call
    std::vector<std::string> notes;  // adaptations: the entry rewritten to the one the host caller uses, THP emulation
    std::vector<int> thp_madvise;  // per vma: +1 MADV_HUGEPAGE, -1 MADV_NOHUGEPAGE, 0 none (host side)
};
Plan plan(const harness::Scenario& s, const HostInfo& host);

// pagemap of one page (fs/proc/task_mmu.c bits 63 present, 61 file-page or
// shared-anon, 56 exclusively mapped; pfn bits 0-54).
struct PageState {
    bool present = false, file = false, exclusive = false;
    unsigned long pfn = 0;  // host: 0 unless pfns are visible; simulated: the model's pfn
    bool operator==(const PageState&) const = default;
};

struct SideResult {
    bool ran = false;
    std::string error;             // the side could not run the scenario (host: a build step failed)
    long rc = 0;                   // the caller's result: io_uring 0 / -errno; O_DIRECT and process_vm: pages done or -errno
    std::string rc_words;          // e.g. "io_uring_register -> 0", "pread -> 8192 bytes"
    std::vector<PageState> before, after;  // per observed page
    std::vector<std::string> notes;
    unsigned long delta = 0;       // host: how far the layout was relocated (0: at the scenario's addresses)
};

struct Comparison {
    std::string name;
    std::string host_kernel;          // HostInfo::kernel of the referee
    harness::Scenario scenario;
    Plan plan;
    SideResult host, sim;
    unsigned long observe_start = 0;  // the first observed page (scenario addresses)
    bool agree = false;
    std::vector<std::string> differences;
    enum class Outcome { agree, disagree, not_comparable } outcome = Outcome::not_comparable;
    std::string reason() const;   // NOT COMPARABLE reason or the first difference
    std::string report() const;   // the scenario, both verdicts and both pagemaps
};

// Bounds of one live case (memory the call may fault, pages observed).
constexpr unsigned long kMaxLivePages = 65536;   // 256 MiB
constexpr unsigned long kMaxObservedPages = 4096;

// Plans, runs both sides (the host in a fresh child process), compares.
Comparison compare(const std::string& name, const harness::Scenario& s, const HostInfo& host);
// Compares two side results of a planned scenario (the decision alone; used by compare and its tests).
void decide(Comparison& c, bool host_pfns);

// Whether the page at addr lies in an anonymous vma that may map it with a THP
// (the scenario's THP mode and the vma's hugepage attribute allow it, and an
// aligned 2 MiB block around addr fits in the vma).
bool may_map_thp(const harness::Scenario& s, unsigned long addr);

// ---- the differential mode ----
// A buildable 6.12 layout and call from bytes (every byte string gives one;
// normalized by the one normalizer), for this host's THP mode.
harness::Scenario generate(const std::uint8_t* data, std::size_t size);
// Case `index` of seed `seed`: generate() over bytes drawn from (seed, index).
harness::Scenario generate_case(std::uint64_t seed, std::uint64_t index);

}  // namespace gupfuzz::live
