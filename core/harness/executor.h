// SPDX-License-Identifier: GPL-2.0-only
//
// The one executor: build the simulated kernel from a Scenario, run the call
// as a caller holding mmap_sem, check the oracles, release what the caller
// would release, check the final balance.  Used by the CLI, the fuzzers, the
// property tests and the corpus replay.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/harness/oracle.h"
#include "core/harness/scenario.h"
#include "core/kernel/world.h"

namespace gupfuzz::harness {

// One page the call returned, as the oracles and reports see it.
struct ReturnedPage {
    unsigned long addr = 0;
    unsigned long pfn = 0;  // 0 when the entry is NULL
    int vma = -1;           // layout index; -2 gate vma; -1 none/unknown
};

struct Verdict {
    long rc = 0;
    bool crashed = false;            // a BUG()/livelock ended the call early
    std::string crash;               // what ended it
    std::vector<ReturnedPage> pages; // [0, max(rc,0)) when a pages array was passed
    std::vector<Failure> failures;
    std::vector<std::string> notes;  // pre-state operations that did not apply, model events
    kernel::Trace trace;             // what the call passed through (sites, faults, signals)
    std::string balance;             // reference balance after the caller's release, in words

    bool passed() const { return failures.empty(); }
    // Failures that are not explained by a known kernel behaviour.
    bool passed_ignoring_known() const;
    std::string report(const Scenario& s) const;  // the full explanation, in kernel terms
    std::string summary_line() const;
};

// Runs the scenario on its kernel: v4.15 (the port), 6.12 or 6.1 (the real
// mm/gup.c through core/kernel612/entry612.h).  Throws std::invalid_argument
// for an invalid scenario, and for a scenario whose kernel this build does not
// link (kernel_available() false) -- never a silent pass.
Verdict execute(const Scenario& s);

// Whether this build runs scenarios of kernel k (v4.15 always; 6.12 and 6.1
// when the C glue over the shim-compiled mm/gup.c is linked; CMake:
// GUPFUZZ_KERNEL_SHIM and the glue library).
bool kernel_available(Kernel k);
// Why a scenario of kernel k cannot run here ("" when it can).
std::string kernel_unavailable_reason(Kernel k);
// The kernels this build runs, one line each ("v4.15 port ...", "Linux 6.12.117 ... sha256 ..."
// or why a kernel is missing).
std::string kernels_description();

// Runs a call into the port: a BUG()/VM_BUG_ON or a livelock ends it and is
// returned in words; "" when it returned normally.
std::string run_kernel_call(const std::function<void()>& call);

}  // namespace gupfuzz::harness
