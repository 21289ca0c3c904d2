// SPDX-License-Identifier: GPL-2.0-only
//
// Systematic fault injection: run a scenario clean while recording every
// allocation site it passes (site + occurrence), then fail each pass alone,
// then every ordered pair along the paths the single failures take.  Every
// run goes through execute() and the same oracles.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/harness/executor.h"
#include "core/harness/scenario.h"

namespace gupfuzz::harness {

struct SweepOptions {
    bool pairs = true;
    std::size_t max_pairs = 5000;  // per scenario; the rest are counted as skipped
    unsigned long max_call_pages = 4096;  // larger calls are only run clean (a run costs ~1 us per page)
};

struct SweepFailure {
    std::string name;      // the scenario it came from
    Scenario scenario;     // with the fault plan that failed
    Verdict verdict;
};

struct SiteRow {
    unsigned runs = 0;
    std::set<long> rcs;
    std::set<std::string> failed;  // property ids
};

struct SweepStats {
    std::size_t scenarios = 0;
    std::size_t clean_runs = 0, single_runs = 0, pair_runs = 0, pairs_skipped = 0, clean_only = 0;
    std::map<std::string, SiteRow> by_site;  // "pte_alloc" (singles) and "pte_alloc+anon_page" (pairs) rows
    std::vector<SweepFailure> failures;      // unknown failures only
    std::size_t known = 0;                   // runs whose only failures are known kernel behaviours
    double seconds = 0;
};

// Sweeps one scenario into stats.  `progress` (may be empty) is called after every run.
void sweep_scenario(const std::string& name, const Scenario& s, const SweepOptions& opt, SweepStats* stats,
                    const std::function<void(const SweepStats&)>& progress);

std::string format_sweep_table(const SweepStats& stats);

}  // namespace gupfuzz::harness
