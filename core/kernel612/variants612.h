// SPDX-License-Identifier: GPL-2.0-only
//
// The compiled variants of the 6.12 gup.c one binary links: the tree as
// shipped (Defect::none) and, in the defect build only, one copy of the tree
// per deliberate defect (core/kernel612/defects/NAME.patch applied at build
// time).  Each variant is its own gup.o linked with its own copy of the glue,
// reached only through its entry table (core/kernel612/glue_entry.h).  The
// table is generated per binary flavour (core/shim/variant-table.sh); the
// active variant is the one of port::active_defect(), the tree as shipped when
// the active defect is not a 6.12 one.  docs/defects.md.
#pragma once

#include <span>

#include "core/gup/entry.h"
#include "core/kernel612/glue_entry.h"

namespace gupfuzz::k612 {

struct Variant {
    port::Defect defect;          // Defect::none: the tree as shipped
    const char* description;      // "Linux 6.12.117 (...) [+ PATCH] mm/gup.c sha256 ..."
    const g612_variant* table;
};

std::span<const Variant> variants();

// The variant a call on a World of generation `generation` (612: Linux 6.12,
// 601: Linux 6.1) runs on now: that kernel's variant of port::active_defect(),
// or its tree as shipped when the active defect is not one of that kernel's.
// Throws KernelBug when the binary links no variant of that kernel.
const Variant& active_variant(int generation = 612);

}  // namespace gupfuzz::k612
