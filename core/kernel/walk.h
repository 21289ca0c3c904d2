// SPDX-License-Identifier: GPL-2.0-only
//
// A plain walk of the simulated page tables: which entry maps an address,
// at which level.  Used by the model (to set up pre-states) and by the
// oracles (as the reference answer).  It is deliberately not the port's
// follow_page_mask: no flags, no faults, no references.
#pragma once

#include "core/kernel/world.h"

namespace gupfuzz::kernel {

enum class Level : std::uint8_t { none, p4d, pud, pmd, pte };

struct Mapping {
    Level level = Level::none;  // the deepest entry reached
    pteval_t value = 0;         // its raw value (0 when a level is missing)
    pteval_t* slot = nullptr;   // where it lives
    bool leaf_huge = false;     // a pud or pmd leaf (PSE)
};

// The deepest entry for `addr` in `mm`, as the MMU walks it: stops at a none,
// non-present or leaf (PSE) entry.
Mapping walk(World& w, mm_struct* mm, unsigned long addr);

// The oracles' reference answer: which pfn the page tables of `mm` map at
// `addr` (a present or PROT_NONE pte, or the subpage of a pmd/pud leaf), and
// the raw entry.
struct RefEntry {
    bool mapped = false;
    unsigned long pfn = 0;
    pteval_t bits = 0;
};
RefEntry mapped_pfn(World& w, mm_struct* mm, unsigned long addr);

}  // namespace gupfuzz::kernel
