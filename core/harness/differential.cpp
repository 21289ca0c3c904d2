// SPDX-License-Identifier: GPL-2.0-only
//
// Linux 6.1 against Linux 6.12: one scenario on both real mm/gup.c files
// (differential.h).  The verdicts come from the one oracle set (oracle612.cpp,
// the contract of the entry points); a failure of 6.1 that the contract's
// later history explains carries known_issue (known_61_behaviour), which is
// what tells an intended difference from a finding.
#include "core/harness/differential.h"

#include <algorithm>
#include <stdexcept>

#include "core/harness/normalize.h"
#include "core/harness/oracle.h"

namespace gupfuzz::harness {

const char* diff_class_name(DiffClass c) {
    switch (c) {
    case DiffClass::same: return "same";
    case DiffClass::known_61: return "known-6.1";
    case DiffClass::finding: return "finding";
    case DiffClass::both_pass: return "both-within-contract";
    case DiffClass::not_expressible: return "not-expressible";
    }
    return "?";
}

namespace {

DiffSide side(const Scenario& s) {
    const Verdict v = execute(s);
    DiffSide d;
    d.rc = v.rc;
    std::vector<std::pair<std::string, std::string>> known;  // explanation -> "R9, R6" (first seen first)
    for (const Failure& f : v.failures) {
        const std::string id = property_id(f.property);
        d.failed.insert(id);
        if (f.known_issue.empty()) {
            d.unknown.push_back(id + ": " + f.message);
            continue;
        }
        auto it = std::find_if(known.begin(), known.end(), [&](const auto& k) { return k.first == f.known_issue; });
        if (it == known.end())
            known.emplace_back(f.known_issue, id);
        else if (("," + it->second + ",").find("," + id + ",") == std::string::npos)
            it->second += "," + id;
    }
    for (const auto& [text, ids] : known)
        d.known.push_back(ids + ": " + text);
    for (const std::string& n : v.notes)
        if (n.rfind("kernel: ", 0) == 0)
            d.tree = n.substr(8);
    d.summary = v.summary_line();
    d.report = v.report(s);
    return d;
}

}  // namespace

DiffCell diff_61_612(const std::string& name, const Scenario& s) {
    for (Kernel k : {Kernel::v6_12, Kernel::v6_1})
        if (!kernel_available(k))
            throw std::invalid_argument("diff needs Linux 6.12 and 6.1: " + kernel_unavailable_reason(k));
    DiffCell c;
    c.name = name;
    if (s.kernel != Kernel::v6_12 && s.kernel != Kernel::v6_1) {
        c.cls = DiffClass::not_expressible;
        c.reason = "a v4.15 scenario: its calls and its contract (P1-P17) are the port's, not 6.1's or 6.12's";
        return c;
    }
    Scenario s612 = s, s61 = s;
    s612.kernel = Kernel::v6_12;
    s61.kernel = Kernel::v6_1;
    for (const auto& [k, sk] : {std::pair{"6.12", &s612}, std::pair{"6.1", &s61}}) {
        std::string problems = to_string(validate(*sk));
        while (!problems.empty() && problems.back() == '\n')
            problems.pop_back();
        if (!problems.empty()) {
            c.cls = DiffClass::not_expressible;
            c.reason = std::string("not a scenario of Linux ") + k + ": " + problems;
            return c;
        }
    }
    c.k612 = side(s612);
    c.k61 = side(s61);
    if (c.k612.rc == c.k61.rc && c.k612.failed == c.k61.failed) {
        c.cls = DiffClass::same;
        return c;
    }
    if (!c.k61.unknown.empty() || !c.k612.unknown.empty()) {
        c.cls = DiffClass::finding;
        c.reason = !c.k61.unknown.empty() ? "Linux 6.1 departs from the contract, and no known behaviour of 6.1 "
                                            "explains it"
                                          : "Linux 6.12 departs from the contract where 6.1 does not";
        return c;
    }
    c.cls = c.k61.failed.empty() && c.k612.failed.empty() ? DiffClass::both_pass : DiffClass::known_61;
    return c;
}

DiffTotals diff_totals(const std::vector<DiffCell>& cells) {
    DiffTotals t;
    for (const DiffCell& c : cells)
        switch (c.cls) {
        case DiffClass::same: ++t.same; break;
        case DiffClass::known_61: ++t.known_61; break;
        case DiffClass::finding: ++t.finding; break;
        case DiffClass::both_pass: ++t.both_pass; break;
        case DiffClass::not_expressible: ++t.not_expressible; break;
        }
    return t;
}

}  // namespace gupfuzz::harness
