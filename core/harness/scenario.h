// SPDX-License-Identifier: GPL-2.0-only
//
// The one Scenario type: a VMA layout, a page-table pre-state, a fault plan
// and the call.  The fuzzer's bytes, the property generators and the corpus
// text all become this type; the executor runs it.  Its text form is
// documented in docs/scenario-format.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/kernel/fault_plan.h"
#include "core/kernel/world.h"
#include "core/kernel612/entry612.h"

namespace gupfuzz::harness {

using kernel::FaultPlan;
using kernel::FileKind;
using kernel::KernelConfig;

// Bounds every scenario obeys (core/harness/normalize.h states the rules).
constexpr std::size_t kMaxVmas = 16;
constexpr std::size_t kMaxFiles = 8;
constexpr std::size_t kMaxPreOps = 64;
constexpr unsigned long kMaxTouchPages = 4096;        // pages touched by all pre-ops together
constexpr unsigned long kMaxCallPages = 1UL << 20;    // text form; the byte form uses 1024
constexpr unsigned long kMaxFilePages = 1UL << 20;    // 4 GiB
constexpr unsigned long kMaxHugetlbPool = 64;
constexpr std::size_t kMaxFaults = 32;
constexpr std::size_t kMaxInterleaves = 8;            // interleaved operations in one plan
constexpr unsigned long kMaxInterleavePages = 512;    // pages one interleaved operation covers
constexpr unsigned long kUserLow = 0x10000;           // mmap_min_addr

struct FileSpec {
    FileKind kind = FileKind::regular;
    unsigned long size_pages = 0;
    unsigned long align_pages = 1;  // devdax: 1, 512 or 262144
    bool pgmap_live = true;         // fsdax/devdax: false = the pgmap is being torn down
    bool operator==(const FileSpec&) const = default;
};

struct VmaSpec {
    unsigned long start = 0, end = 0;  // page aligned, start < end
    int file = -1;                     // index into Scenario::files; -1 = anonymous
    bool pfnmap = false;               // VM_IO | VM_PFNMAP (a remap_pfn_range mapping of an mmio file)
    bool read = true, write = false, exec = false;
    bool shared = false;
    bool maywrite = true;              // false: shared mapping of a file opened read-only
    bool growsdown = false;            // VM_GROWSDOWN (a stack)
    bool locked = false;               // VM_LOCKED
    int huge = 0;                      // +1 VM_HUGEPAGE (madvise), -1 VM_NOHUGEPAGE, 0 neither
    unsigned long pgoff = 0;           // file offset, in pages
    bool operator==(const VmaSpec&) const = default;
};

// What happened to the address space before the call, in user terms.
enum class PreKind : std::uint8_t {
    touch_read,   // the task read the pages
    touch_write,  // the task wrote the pages
    swapout,      // reclaim swapped the anon page out
    migrate,      // a migration entry replaces the mapping (pte or THP pmd)
    poison,       // memory_failure: a hwpoison entry replaces the mapping
    numa,         // change_prot_numa made the entry PROT_NONE
    cowshare,     // fork(): the child still maps the page, both write-protected
    clean,        // writeback cleaned and write-protected the entry
    split,        // a THP pmd was split into ptes
    corrupt_p4d,  // a bad entry at that level (pgd/p4d/pud/pmd_clear_bad territory)
    corrupt_pud,
    corrupt_pmd,
    pgmap_kill,   // the dev_pagemap of the DAX file mapped at ADDR is killed (entries stay)
    COUNT
};
const char* pre_kind_name(PreKind k);

struct PreOp {
    PreKind kind = PreKind::touch_read;
    unsigned long addr = 0;   // page aligned
    unsigned long pages = 1;  // touch ops: consecutive pages
    bool operator==(const PreOp&) const = default;
};

enum class SemMode : std::uint8_t { read, write };

// The kernel generation a scenario runs on (docs/scenario-format.md "kernel").
// v4.15: the C++ port's get_user_pages_longterm; 6.12 and 6.1: that kernel's
// own mm/gup.c through core/kernel612/entry612.h (the "real" generations).
// The layout, pre-state and fault plan mean the same on all; the call line is
// the generation's, and 6.1 and 6.12 share its form (entry points and FOLL_*
// names; the values are 6.12's, translated to 6.1's by its glue).
enum class Kernel : std::uint8_t { v4_15, v6_12, v6_1 };
const char* kernel_name(Kernel k);  // "v4.15", "6.12", "6.1"
// A real kernel's mm/gup.c, compiled unmodified (6.12, 6.1), not the port.
constexpr bool is_real_kernel(Kernel k) { return k != Kernel::v4_15; }

struct Call {
    unsigned long start = 0;      // need not be page aligned
    unsigned long nr_pages = 0;
    // v4.15: FOLL_WRITE | FOLL_FORCE | FOLL_NOWAIT | FOLL_HWPOISON (kernel::FOLL_*).
    // 6.12 and 6.1: k612::foll values, public and internal (invalid-argument scenarios pass internal ones).
    unsigned gup_flags = 0;
    bool pages = true;            // a pages array is passed
    bool vmas = false;            // v4.15: a caller vmas array is passed (else NULL); 6.12 has none
    SemMode sem = SemMode::read;  // v4.15: how the caller holds mmap_sem; 6.12: the entry decides
    k612::Call entry = k612::Call::pin_user_pages;  // 6.12 and 6.1; v4.15 keeps the default
    bool operator==(const Call&) const = default;
};
constexpr unsigned kAllowedGupFlags = kernel::FOLL_WRITE | kernel::FOLL_FORCE | kernel::FOLL_NOWAIT | kernel::FOLL_HWPOISON;
// Every FOLL_* bit 6.12 defines (include/linux/mm_types.h public, mm/internal.h internal).
constexpr unsigned kPublicFlags612 = (1u << 13) - 1;  // WRITE .. HONOR_NUMA_FAULT
constexpr unsigned kInternalFlags612 = k612::foll::TOUCH | k612::foll::TRIED | k612::foll::REMOTE | k612::foll::PIN |
                                       k612::foll::FAST_ONLY | k612::foll::UNLOCKABLE | k612::foll::MADV_POPULATE;
constexpr unsigned kAllowedGupFlags612 = kPublicFlags612 | kInternalFlags612;
// The 6.12 flags Linux 6.1 does not have (6.1 include/linux/mm.h:3087-3103):
// a 'kernel 6.1' scenario cannot name them.
constexpr unsigned kFlagsNotIn61 = k612::foll::PCI_P2PDMA | k612::foll::INTERRUPTIBLE | k612::foll::HONOR_NUMA_FAULT |
                                   k612::foll::UNLOCKABLE | k612::foll::MADV_POPULATE;
constexpr unsigned allowed_gup_flags(Kernel k) {
    return k == Kernel::v4_15 ? kAllowedGupFlags : k == Kernel::v6_1 ? kAllowedGupFlags612 & ~kFlagsNotIn61 : kAllowedGupFlags612;
}
constexpr int kEntryCount612 = static_cast<int>(k612::Call::get_user_pages_fast) + 1;
const char* entry_name(k612::Call c);  // the 6.12 function's name (the scenario's own table; no glue needed)

struct Scenario {
    Kernel kernel = Kernel::v4_15;   // `kernel` line; absent = v4.15
    KernelConfig config;
    unsigned long hugetlb_pool = 0;  // free 2 MiB pages
    std::vector<FileSpec> files;
    std::vector<VmaSpec> vmas;       // sorted, non-overlapping
    std::vector<PreOp> pre;
    FaultPlan plan;
    Call call;
    bool operator==(const Scenario&) const = default;
};

// The validity rules (validate, normalize) are in core/harness/normalize.h.

// ---- text form ----
struct ParseError {
    int line = 0;
    std::string message;
    std::string to_string() const;
};
std::optional<Scenario> parse_scenario(const std::string& text, ParseError* err);
std::string print_scenario(const Scenario& s);

// Names shared by the text form and reports.
const char* file_kind_name(FileKind k);
std::string gup_flags_string(unsigned flags);              // v4.15 names
std::string gup_flags_string(Kernel k, unsigned flags);    // the generation's names
std::string vm_fault_name(int code);
std::string errno_name(long rc);  // "-EFAULT", "3"
std::string describe_layout(const Scenario& s);  // the layout, fault plan and call in words
// "at the 2nd retry (cond_resched after ...), thread B of the same process: madvise(MADV_DONTNEED) [0x.., 0x..)"
std::string describe_interleave(const FaultPlan::Interleave& il);

}  // namespace gupfuzz::harness
