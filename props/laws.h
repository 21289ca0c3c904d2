// SPDX-License-Identifier: GPL-2.0-only
//
// The bodies of the scenario properties.  Each runs inside a RapidCheck
// property (it draws with `*gen`), so the same body serves RC_GTEST_PROP in
// props_test.cpp and the programmatic rc checks against the deliberate-defect
// build in props_defect_test.cpp.  A failure message always carries the
// scenario's canonical text (save it under corpus/regressions/NAME.scn and
// replay it with `gupfuzz run`) and the executor's report.
#pragma once

#include <string>

#include "core/harness/executor.h"
#include "core/harness/scenario.h"
#include "props/gen.h"

namespace gupfuzz::props {

// Generator weights that make property p's premise frequent (P2: pages ==
// NULL, P3: an injected kcalloc failure, P16: CONFIG_FS_DAX=n, P17: a stubbed
// get_user_pages rc, ...).  Validity never depends on them.
GenOptions options_for(harness::Property p);

// Law p: for a generated scenario, execute() reports no failure of p other
// than a known behaviour of v4.15 itself.
void law(harness::Property p);

// Every oracle at once: execute(s).passed_ignoring_known().
void all_oracles();

// P16 over CONFIG_FS_DAX=n scenarios, pages == NULL included: no P16
// failure (longterm returns the count or errno the contract gives for
// get_user_pages; no second run of the port is involved).
void alias_equals_get_user_pages();

// The same scenario twice gives an identical Verdict::report and, through a
// Session, an identical final mm state; and the Session's single call agrees
// with execute() on the rc.
void determinism();

// Interleavings (gen_interleaved_scenario, docs/concurrency.md): every oracle
// holds (the interleaved set when an operation ran), the same scenario gives
// the same report twice, and the text and byte forms round-trip.
void interleaved_oracles();
void interleaved_determinism_and_round_trips();

// parse_scenario(print_scenario(s)) == s, and printing is a fixed point.
void text_round_trip();

// decode_scenario(encode_scenario(s)) == s (core/harness/bytes.h).
void bytes_round_trip();

// ---- kernel 6.12: the real mm/gup.c, generated `kernel 6.12` scenarios (gen_scenario612) ----
// The generation-independent ledger laws, each over its own property set:
// "no-leak" (R3: NR_FOLL_PIN_ACQUIRED == RELEASED after the caller's release,
// every folio back to its entry references and _pincount, MMF_HAS_PINNED set
// while pins are held), "exact-pins" (R4: GUP_PIN_COUNTING_BIAS per pin on a
// small folio, +1 and _pincount +1 on a large one, the zero page never
// pinned; P6: pages[j] is what is mapped at its address), "sanity" (P11: no
// refcount underflow, no WARN on a valid call) and "termination" (P12: no
// BUG, no livelock).  A failure of those properties that is a known
// behaviour of 6.12 itself is not one of the law.
// With k = Kernel::v6_1 each runs on Linux 6.1's mm/gup.c, the same
// scenarios judged by the same contract; a failure that is a known behaviour
// of 6.1 (oracle612.cpp known_61_behaviour) is not one of the law either.
enum class Law612 { no_leak, exact_pins, sanity, termination };
const char* law612_name(Law612 l);
void law612(Law612 l, harness::Kernel k = harness::Kernel::v6_12);
// Every 6.12 oracle at once (the contract R1..R17 and the laws).
void all_oracles612(harness::Kernel k = harness::Kernel::v6_12);
// Determinism, the Session agreeing with execute(), and the round trips, on 6.12 scenarios.
void determinism612(harness::Kernel k = harness::Kernel::v6_12);
void text_round_trip612(harness::Kernel k = harness::Kernel::v6_12);
void bytes_round_trip612(harness::Kernel k = harness::Kernel::v6_12);

// The failure text for a scenario and its verdict.
std::string failure_text(const std::string& what, const harness::Scenario& s, const harness::Verdict& v);

}  // namespace gupfuzz::props
