// SPDX-License-Identifier: GPL-2.0-only
//
// The JSON form of what the CLI reports (`gupfuzz ... --json`), so scripts
// read fields instead of scraping text.  The one place a Verdict, a sweep and
// a scenario file's outcome become JSON; the schema is in README.md ("JSON").
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/harness/executor.h"
#include "core/harness/sweep.h"

namespace gupfuzz::tools {

// {"verdict": "PASS"|"FAIL"|"KNOWN-KERNEL-ISSUE", "passed", "passed_ignoring_known",
//  "rc", "rc_name", "crashed", "crash", "failures": [{"property", "name", "message",
//  "known_issue"}], "pages": [{"addr", "pfn", "vma"}], "notes", "balance",
//  "reference": null | {"rc", "rc_name"}, "summary"}
nlohmann::json verdict_json(const harness::Verdict& v);

// {"scenarios", "clean_only", "clean_runs", "single_runs", "pair_runs", "pairs_skipped",
//  "known", "seconds", "sites": [{"site", "runs", "rcs": [..], "rc_names": [..], "failed": [..]}],
//  "failures": [{"from", "verdict"}]}  (the caller adds where each failure was saved)
nlohmann::json sweep_json(const harness::SweepStats& stats);

}  // namespace gupfuzz::tools
