// SPDX-License-Identifier: GPL-2.0-only
//
// Linux 6.1 against Linux 6.12 (issue 10's differential): one scenario runs on
// both real mm/gup.c files, each judged by the same contract (oracle612.cpp),
// and a difference in verdict is classified.  The one implementation behind
// `gupfuzz diff` and the ctest Differential61.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/harness/executor.h"
#include "core/harness/scenario.h"

namespace gupfuzz::harness {

enum class DiffClass {
    same,             // the same rc and the same failed properties on both kernels
    known_61,         // differs; every failure of 6.1 is a known behaviour of that tree, intended and
                      // changed by a later commit (oracle612.cpp known_61_behaviour names it)
    finding,          // differs, and a kernel fails a property no known behaviour explains
    both_pass,        // the rc differs and both kernels pass: the contract allows either
    not_expressible,  // the scenario cannot be said on one of the kernels (a FOLL_* flag 6.1 lacks,
                      // a v4.15 scenario)
};
// "same", "known-6.1", "finding", "both-within-contract", "not-expressible"
const char* diff_class_name(DiffClass c);

struct DiffSide {
    long rc = 0;
    std::set<std::string> failed;     // property ids ("R6")
    std::vector<std::string> known;   // "R9,R6: explanation", each known behaviour once, with the properties it explains
    std::vector<std::string> unknown; // "R6: detail" of each failure no known behaviour explains
    std::string tree;                 // the compiled file ("Linux 6.1.192 (...) mm/gup.c sha256 ...")
    std::string summary;              // Verdict::summary_line()
    std::string report;               // Verdict::report(), in kernel terms
};

struct DiffCell {
    std::string name;
    DiffClass cls = DiffClass::same;
    std::string reason;  // not_expressible: why; finding: which kernel departs from the contract
    DiffSide k612, k61;
};

// The scenario s (of kernel 6.12 or 6.1; its `kernel` line is replaced) on
// both kernels.  Needs both kernels linked (kernel_available); throws
// std::invalid_argument otherwise, never a silent "same".
DiffCell diff_61_612(const std::string& name, const Scenario& s);

struct DiffTotals {
    int same = 0, known_61 = 0, finding = 0, both_pass = 0, not_expressible = 0;
};
DiffTotals diff_totals(const std::vector<DiffCell>& cells);

}  // namespace gupfuzz::harness
