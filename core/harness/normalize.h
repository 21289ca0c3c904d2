// SPDX-License-Identifier: GPL-2.0-only
//
// The validity rules of a Scenario, in one place.
//
// Every rule is stated once (normalize.cpp), as a predicate with its message
// and its repair.  validate() reports the rules a scenario breaks, each at the
// item that breaks it; normalize() applies the repairs.  The two agree:
//
//   validate(normalize(s)).empty()             for every scenario s
//   normalize(s) == s   whenever   validate(s).empty()
//
// The front doors use them so: the text form validates (a broken rule is an
// error at FILE:LINE of the item); the byte decoder normalizes (every byte
// string is a scenario); the property generators build within the same
// predicates (dax_mappable, file_kind_exists); Session::mmap refuses with
// -EINVAL the vmas mmap_problem() names, as the kernel's mmap would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/harness/scenario.h"

namespace gupfuzz::harness {

// Where a problem is: the kind of item and its number among its kind.
enum class Part : std::uint8_t { kernel, config, file, vma, pre, fail, fault, signal, stub, call, interleave };

struct Problem {
    Part part = Part::config;
    std::size_t index = 0;  // file, vma, pre, fail, fault or interleave number (0 for the others)
    std::string message;
    std::string to_string() const;  // "vma 3: start must be below end"
};

// Every broken rule, in item order, at most one per item.  Empty: valid.
std::vector<Problem> validate(const Scenario& s);
std::string to_string(const std::vector<Problem>& problems);  // one per line

// Repairs any scenario into a valid one: deterministic, each item changed as
// little as its rules allow, items that cannot be repaired dropped (a vma
// that does not fit below TASK_SIZE and those after it; a device-DAX vma
// under CONFIG_FS_DAX=n, which mmap refuses).  Identity on valid scenarios.
Scenario normalize(Scenario s);

// normalize() in the order a front door builds a scenario: the byte decoder
// places each vma after the repaired end of the one before it, and resolves
// vma-relative addresses against the repaired layout.
void normalize_config_and_files(Scenario& s);  // config, then every file
enum class VmaFate : std::uint8_t { keep, drop, stop };
// Repairs v as the next vma after s.vmas (already valid, config and files
// normalized).  drop: leave v out; stop: leave v and every later vma out.
VmaFate normalize_next_vma(const Scenario& s, VmaSpec& v);

// ---- fault-injection sites by generation ----
// The model's sites after AllocSite::COUNT exist for kernel 6.12 only
// (isolation and migration in the longterm path; AllocSite::END when the
// model has them).  A 6.12 scenario may name every site but kcalloc_vmas.
namespace detail {
template <class E>
constexpr auto alloc_site_end(int) -> decltype(E::END, int()) {
    return static_cast<int>(E::END);
}
template <class E>
constexpr int alloc_site_end(long) {
    return static_cast<int>(E::COUNT);
}
}  // namespace detail
constexpr int kAllocSitesAll = detail::alloc_site_end<kernel::AllocSite>(0);
bool site_exists(Kernel k, kernel::AllocSite s);
// The byte form's site numbers: v4.15 takes the byte modulo the v4.15 sites
// (as it always did); 6.12 numbers every site, COUNT skipped.
kernel::AllocSite site_from_byte(Kernel k, unsigned byte);
unsigned site_to_byte(Kernel k, kernel::AllocSite s);

// ---- the predicates other code shares ----
// The rules of one file ("" when it keeps them).
std::string file_problem(const KernelConfig& c, const FileSpec& f);
// The rules of one vma over these files, except its order among the other
// vmas (MAP_FIXED replaces what it overlaps): "" when mmap accepts it.
std::string mmap_problem(const KernelConfig& c, const std::vector<FileSpec>& files, const VmaSpec& v);
// Whether files of this kind exist in this configuration (filesystem-DAX
// needs CONFIG_FS_DAX), and whether DAX mappings can be built at all
// (device-DAX mmap needs S_DAX, which CONFIG_FS_DAX=n makes 0).
bool file_kind_exists(const KernelConfig& c, FileKind k);
bool dax_mappable(const KernelConfig& c);

// The vm_flags mmap gives an accepted mapping of this kind
// (docs/scenario-format.md "vma").
kernel::vm_flags_t vm_flags_for(const VmaSpec& v, const FileSpec* f);

}  // namespace gupfuzz::harness
