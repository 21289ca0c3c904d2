// SPDX-License-Identifier: GPL-2.0-only
//
// The caller-level property of the 6.12 generation (port-v6.12.md §6 R18,
// and R8 on the callers' pins), on the real mm/gup.c.
//
// A generated `kernel 6.12` scenario (gen_scenario612: its layout, pre-state,
// ZONE_MOVABLE setting and fault plan; its call is not run) becomes a Session.
// A generated sequence of steps then registers and releases memory through
// the four callers of props/callers612.h (ib_umem_get in 512-page chunks of
// pin_user_pages_fast, io_uring io_pin_pages all-or-nothing,
// get_vaddr_frames keeping a short count, vfio vaddr_get_pfns through
// pin_user_pages_remote), with the scenario's fault plan or a caller-side
// allocation failure armed for some registrations, and user writes to
// registered memory.  After every step:
//   - the pin ledger (Session::ledger612) names exactly the pages the live
//     registrations hold: 1024 per pin on a small folio, +1 and _pincount +1
//     on a large one, nothing on the zero page;
//   - NR_FOLL_PIN_ACQUIRED - NR_FOLL_PIN_RELEASED is the number of pins held,
//     MMF_HAS_PINNED is set while any is;
//   - each caller's own contract: ib_umem_get holds every page or nothing,
//     io_pin_pages every page or nothing (-EFAULT for a short count),
//     get_vaddr_frames never returns 0, vaddr_get_pfns holds what it returns;
//   - no call BUGs or WARNs, no release fails;
//   - R8: after a user write to a registered address, the page tables still
//     map the pinned page (an exclusive page is reused, never copied).
// At the end every registration is released: every ledger at zero, the pin
// counters equal, mm->pinned_vm back to 0.
#pragma once

#include "props/callers612.h"

namespace gupfuzz::props {

struct Callers612Options {
    int max_steps = 14;
    harness::Kernel kernel = harness::Kernel::v6_12;  // or Kernel::v6_1: the callers on Linux 6.1
};

// Runs inside a RapidCheck property, against caller_defect().
void callers612_property(const Callers612Options& opt = {});

// R8 after the task wrote addr: "" when the page tables still map `pinned`
// there, else the finding in words.
std::string coherence_after_write(harness::Session& s, unsigned long addr, const kernel::page* pinned);

}  // namespace gupfuzz::props
