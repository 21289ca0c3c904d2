// SPDX-License-Identifier: GPL-2.0-only
//
// Systematic fault injection: run a scenario clean while recording every
// allocation site it passes (site + occurrence), then fail each pass alone,
// then every ordered pair along the paths the single failures take.  Every
// run goes through execute() and the same oracles: a `kernel 6.12` scenario
// runs the real mm/gup.c and is judged by the 6.12 contract (oracle612.cpp),
// and its sites include 6.12's isolation and migration sites (isolate_lru,
// migrate_pages, device_migrate) wherever the call passes them.
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

// Per generation: which sites were injected, and how often.
struct KernelSweep {
    std::size_t scenarios = 0, clean_runs = 0, single_runs = 0, pair_runs = 0;
    std::map<std::string, unsigned> injected;  // site name -> single injections
};

struct SweepStats {
    std::size_t scenarios = 0;
    std::size_t clean_runs = 0, single_runs = 0, pair_runs = 0, pairs_skipped = 0, clean_only = 0;
    // "pte_alloc" (singles) and "pte_alloc+anon_page" (pairs) rows; a 6.12 scenario's rows
    // start with "6.12 " (the same site name is a different kernel's code).
    std::map<std::string, SiteRow> by_site;
    std::map<std::string, KernelSweep> by_kernel;  // by kernel_name(): "v4.15", "6.12"
    std::vector<SweepFailure> failures;      // unknown failures only
    std::size_t known = 0;                   // runs whose only failures are known kernel behaviours
    double seconds = 0;
};

// Sweeps one scenario into stats.  `progress` (may be empty) is called after every run.
void sweep_scenario(const std::string& name, const Scenario& s, const SweepOptions& opt, SweepStats* stats,
                    const std::function<void(const SweepStats&)>& progress);

std::string format_sweep_table(const SweepStats& stats);

// The sites of generation k (site_exists) that no swept scenario of that
// generation passed, so none was injected: named in the table and the JSON,
// never silently left out.
std::vector<std::string> sites_never_injected(const SweepStats& stats, Kernel k);
// The same for a generation named as SweepStats::by_kernel names it ("6.1").
std::vector<std::string> sites_never_injected(const SweepStats& stats, const std::string& kernel);

// ---- Yield-point sweep (docs/concurrency.md): a mode of its own ----
// Run a v4.15 scenario once without interleavings to count the passes of
// each yield point, then, for every point, every pass (up to max_passes) and
// every operation of the shared set the lock rules allow there, run it once
// with that one operation interleaved on the call's pages.  Every run is an
// execute() with the same oracles.  Kernel 6.12/6.1 scenarios are counted as
// skipped (their yield points are not wired).
struct YieldSweepOptions {
    unsigned max_passes = 4;              // passes of one point tried per scenario
    unsigned long max_call_pages = 4096;  // larger calls are only run clean
};
struct YieldSweepStats {
    std::size_t scenarios = 0, skipped = 0, clean_runs = 0, runs = 0;
    std::size_t refused = 0;  // (point, op) pairs the lock rules refuse (validate): never run
    std::size_t idle = 0;     // runs whose operation found nothing to act on
    std::map<std::string, SiteRow> by_cell;           // "retry x dontneed"
    std::map<std::string, unsigned> passes_by_point;  // yield passes seen in the clean runs
    std::vector<SweepFailure> failures;               // unknown failures only
    std::size_t known = 0;
    double seconds = 0;
};
void sweep_yields(const std::string& name, const Scenario& s, const YieldSweepOptions& opt, YieldSweepStats* stats,
                  const std::function<void(const YieldSweepStats&)>& progress);
std::string format_yield_sweep_table(const YieldSweepStats& stats);

}  // namespace gupfuzz::harness
