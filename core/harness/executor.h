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

#include "core/harness/scenario.h"
#include "core/kernel/world.h"

namespace gupfuzz::harness {

// The properties of seed-port.md §6 that the oracle set implements.
enum class Property : std::uint8_t {
    P1_rc_range,
    P2_einval_pure,
    P3_kcalloc,
    P4_no_leak_on_error,
    P5_exact_pins,
    P6_correspondence,
    P7_fsdax_rule,
    P8_partial_prefix,
    P9_vmas_ownership,
    P10_mmap_sem,
    P11_refcount_sanity,
    P12_termination,
    P13_write_cow,
    P14_zero_page_read,
    P16_alias,
    P17_signedness,
    COUNT
};
const char* property_id(Property p);    // "P4"
const char* property_name(Property p);  // "no page reference leak on error"

struct Failure {
    Property property;
    std::string message;      // in kernel terms: page, pfn, vma, address, counts
    std::string known_issue;  // non-empty: a behaviour of the ported kernel itself, not of the port
};

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
    long reference_rc = 0;           // plain get_user_pages on the same state (P7/P16), when run
    bool reference_ran = false;

    bool passed() const { return failures.empty(); }
    // Failures that are not explained by a known kernel behaviour.
    bool passed_ignoring_known() const;
    std::string report(const Scenario& s) const;  // the full explanation, in kernel terms
    std::string summary_line() const;
};

struct ExecOptions {
    bool reference = true;  // run the reference get_user_pages for P7/P16
};

Verdict execute(const Scenario& s, const ExecOptions& opt = {});

// Runs a call into the port: a BUG()/VM_BUG_ON or a livelock ends it and is
// returned in words; "" when it returned normally.
std::string run_kernel_call(const std::function<void()>& call);

// The vm_flags mmap gives a mapping of this kind (docs/scenario-format.md "vma").
kernel::vm_flags_t vm_flags_for(const VmaSpec& v, const FileSpec* f);

// Builds the simulated kernel of a scenario (layout and pre-state) into w.
// Pre-state operations that do not apply are skipped and described in notes.
void build_world(kernel::World& w, const Scenario& s, std::vector<std::string>* notes);

std::string errno_name(long rc);  // "-EFAULT", "3"

}  // namespace gupfuzz::harness
