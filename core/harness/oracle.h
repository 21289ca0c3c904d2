// SPDX-License-Identifier: GPL-2.0-only
//
// The oracle set.  Oracles never call the port, and never restate its
// predicates: each property is stated from the kernel's contract.  They know
// the truth from the Scenario (which vma is filesystem-DAX, which address is
// a hole, which fault was injected), from the model's trace (which injected
// fault fired where, how often each address was faulted, when SIGKILL became
// pending), and from their own MMU-style walk of the simulated page tables
// after the call (core/kernel/walk.h).  From these they derive what
// get_user_pages must return for the scenario (the count of pinnable pages
// before the first blocked one, or that block's errno, as vm_fault_to_errno
// and __get_user_pages give it) and compare the call with that: P1 the
// errno, P7 the filesystem-DAX rule over that prefix, P8 the count (partial
// and full), P16 the FS_DAX=n alias.
#pragma once

#include <cstdint>
#include <map>
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
    // Kernel 6.12 (port-v6.12.md §6), core/harness/oracle612.cpp.  P6 (correspondence),
    // P11 (refcount sanity) and P12 (termination) are generation-independent laws and
    // are reported for 6.12 too.
    R1_rc_range,
    R2_invalid_pure,
    R3_pin_balance,
    R4_exact_pins,
    R6_placement,
    R7_exclusive,
    R9_vma_refusal,
    R10_isolation_bound,
    R11_migration,
    R13_pages_shape,
    COUNT
};
const char* property_id(Property p);    // "P4"
const char* property_name(Property p);  // "no page reference leak on error"

struct Failure {
    Property property;
    std::string message;      // in kernel terms: page, pfn, vma, address, counts
    std::string known_issue;  // non-empty: a behaviour of the ported kernel itself, not of the port
};

struct Snapshot {
    std::vector<long> pgmap_refs;
    std::uint64_t tables_digest = 0;
    long table_count = 0;
    int sem_readers = 0;
    bool sem_writer = false;
};
Snapshot take_snapshot(kernel::World& w);

struct Observation {
    const Scenario& s;
    kernel::World& w;
    long rc;
    const std::vector<kernel::page*>& pages;           // nr + guard entries (empty when pages == NULL)
    const std::vector<kernel::vm_area_struct*>& vmas;  // nr + guard entries (empty when vmas == NULL)
    kernel::page* page_sentinel;
    kernel::vm_area_struct* vma_sentinel;
    const Snapshot& before;
    bool crashed;
    const std::string& crash;  // what ended the call early, when crashed
};

std::vector<Failure> check_call(const Observation& o);
// The oracle set for a call during which interleaved operations ran
// (FaultPlan::interleaves): the laws that hold under concurrency, the Dirty
// COW contract, the fault bound grown per strike.  check_call when none ran.
std::vector<Failure> check_call_interleaved(const Observation& o);
// After the caller put_page()d what it was given: everything back to baseline.
std::vector<Failure> check_release(const Observation& o, std::size_t violations_before);

// ---- kernel 6.12 (oracle612.cpp): the contract of pin_user_pages* / get_user_pages* ----
struct Observation612 {
    const Scenario& s;
    kernel::World& w;
    long rc;
    const std::vector<kernel::page*>& pages;  // nr + guard entries (empty when pages == NULL)
    kernel::page* page_sentinel;
    const Snapshot& before;
    const k612::Counters& counters_before;     // k612::counters() before the call
    const k612::Counters& counters;            // ... after the call (after the release for check_release612)
    // _pincount of every large folio head before the call (the int at page[1] + 28 in 6.12's layout).
    const std::vector<std::pair<kernel::page*, int>>& pincounts_before;
    bool crashed;
    const std::string& crash;
    // The WARN_ON hits of the call (k612::Outcome::warnings), "WARNING: mm/gup.c:LINE: CONDITION".
    const std::vector<std::string>* warnings = nullptr;
};
// The large-folio heads and their _pincount, for Observation612::pincounts_before.
std::vector<std::pair<kernel::page*, int>> pincount_snapshot(kernel::World& w);
std::vector<Failure> check_call612(const Observation612& o);
// After the caller's release (unpin_user_pages / put_page): every ledger back to its entry value.
std::vector<Failure> check_release612(const Observation612& o, std::size_t violations_before);
// The 6.12 pin ledger (R4 for one call, R18 for a caller's registrations):
// one line per folio whose GUP references (refcount minus the model's own)
// or _pincount (against pincounts_before; a head not listed had 0) differ
// from what `pins` and `gets` name per head page: GUP_PIN_COUNTING_BIAS per
// pin on a small folio, +1 and _pincount +1 on a large one, nothing on the
// zero page; +1 per FOLL_GET reference.  `after` and `who` word the message
// ("after rc 4", "pages[0..4)"); pin_mode words an unnamed page's reason.
std::vector<std::string> ledger612(kernel::World& w, const std::map<kernel::page*, long>& pins,
                                   const std::map<kernel::page*, long>& gets,
                                   const std::vector<std::pair<kernel::page*, int>>& pincounts_before,
                                   const std::string& after, const std::string& who, bool pin_mode = true);
// What the 6.12 contract says the call must return, in words (for reports): "rc 3 (pages [0, 3) ...)".
std::string expected612_words(const Scenario& s, kernel::World& w);

}  // namespace gupfuzz::harness
