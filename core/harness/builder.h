// SPDX-License-Identifier: GPL-2.0-only
//
// The builder: the simulated kernel of a scenario, before the call.  Files
// and their dev_pagemaps, the vmas as mmap makes them, then the pre-state
// operations in order (touches through real model faults, then the surgery
// that reclaim, migration, memory_failure, NUMA hinting, fork, writeback and
// THP splitting would have done).  The executor and the Session build their
// worlds here; neither runs the call from here.
#pragma once

#include <string>
#include <vector>

#include "core/harness/scenario.h"
#include "core/kernel/world.h"

namespace gupfuzz::harness {

// Builds the simulated kernel of a scenario (layout and pre-state) into w.
// Pre-state operations that do not apply are skipped and described in notes.
void build_world(kernel::World& w, const Scenario& s, std::vector<std::string>* notes);

}  // namespace gupfuzz::harness
