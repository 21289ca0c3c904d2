// SPDX-License-Identifier: GPL-2.0-only
//
// Internal to core/live: one host case in a fresh child process (host.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/live/live.h"

namespace gupfuzz::live {

// Everything the child needs, prepared by the parent before fork().
struct HostJob {
    const harness::Scenario& scenario;  // the scenario's layout, pre-state and call (scenario addresses)
    HostEntry entry;
    std::vector<int> thp_madvise;       // per vma (Plan::thp_madvise)
    std::string tmpdir;
    unsigned long span_lo = 0, span_hi = 0;  // every vma and the call range
    unsigned long observe_start = 0, observe_pages = 0;
};

// What the child reports, in memory shared with the parent (MAP_SHARED).
struct ChildResult {
    int done = 0, ran = 0;
    long rc = 0;
    unsigned long delta = 0;
    char error[512] = {};
    char rc_words[512] = {};
    char notes[4096] = {};
    std::uint64_t before[kMaxObservedPages] = {}, after[kMaxObservedPages] = {};
};

// Forks, builds, pins and observes; fills *result (error when a step failed).
void run_host_child(const HostJob& job, SideResult* result);

}  // namespace gupfuzz::live
