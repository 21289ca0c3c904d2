// SPDX-License-Identifier: GPL-2.0-only
//
// Internal to core/live: the simulated side of a live case (sim.cpp).
#pragma once

#include "core/live/live.h"

namespace gupfuzz::live {

// Runs p.sim through the executor and, observed page by page, through the
// caller model of p.entry on a Session; fills *out (error when it could not).
void run_sim(const Plan& p, unsigned long observe_start, unsigned long observe_pages, SideResult* out);

}  // namespace gupfuzz::live
