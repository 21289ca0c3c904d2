// SPDX-License-Identifier: GPL-2.0-only
//
// `gupfuzz live`: the running kernel as referee (core/live/live.h, docs/live.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/harness/scenario.h"

namespace gupfuzz::tools {

struct LiveOptions {
    std::vector<std::string> files;
    std::uint64_t generate = 0;     // generated layouts
    std::string seed;               // empty: from the clock (printed)
    std::string save = "out/live";  // where disagreements are written
    std::string tmpdir;             // default $TMPDIR or /tmp
    bool probe = false, quiet = false, verbose = false;
    bool layout_bytes = false;      // each FILE is bytes for the layout generator (live::generate)
    std::string kernel = "6.12";    // the simulated kernel: "6.12", or "6.1" (`kernel 6.12` scenarios run as 6.1)
};

// Reads FILE as the CLI does (text or bytes); nullopt with *error set otherwise.
using ScenarioLoader = std::function<std::optional<harness::Scenario>(const std::string& path, std::string* error)>;

CLI::App* add_live_subcommand(CLI::App& app, LiveOptions* o);
// Exit status: 0 no disagreement, 1 a disagreement, 2 bad input, 3 nothing was refereed (no case was comparable;
// --probe: io_uring or O_DIRECT unavailable).
int run_live(const LiveOptions& o, const ScenarioLoader& load);

}  // namespace gupfuzz::tools
