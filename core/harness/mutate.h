// SPDX-License-Identifier: GPL-2.0-only
//
// Structural mutation of a Scenario, for libFuzzer's custom mutator
// (fuzz/gup_longterm_fuzzer.cpp) and anything else that wants a nearby
// scenario: one edit a byte flip rarely makes in one step (add, remove or
// resize a vma; add, move or retarget a pre-state operation; add, move or
// drop an injected fault; point the call at a vma boundary; flip one FOLL_*
// flag; change one config switch or the generation), then normalize().
//
// Deterministic: the same scenario and seed always give the same result.
// The result is valid (validate(result) is empty) and, in the byte form,
// decode_scenario(encode_scenario(result)) == result.
#pragma once

#include <cstdint>
#include <string>

#include "core/harness/scenario.h"

namespace gupfuzz::harness {

// One edit, named for statistics and tests.
enum class Mutation : std::uint8_t {
    vma_add, vma_remove, vma_resize, vma_flag, vma_file,
    file_add, file_change,
    pre_add, pre_remove, pre_change,
    fail_add, fail_remove, fail_move,
    code_add, code_remove,
    signal,
    call_start, call_pages, call_flag, call_entry,
    config, generation, hugetlb_pool,
    interleave_add, interleave_remove,
    COUNT
};
const char* mutation_name(Mutation m);

// A splitmix64 stream: the same on every platform and standard library.
struct MutationRng {
    std::uint64_t state;
    explicit MutationRng(std::uint64_t seed) : state(seed) {}
    std::uint64_t next();
    std::uint64_t below(std::uint64_t n) { return n ? next() % n : 0; }
    bool coin() { return next() & 1; }
};

// Applies edit m (or, where it has nothing to act on, the nearest one that
// does) and normalizes.  May return s unchanged when no edit applies.
Scenario mutate_scenario(const Scenario& s, Mutation m, MutationRng& rng);
// A random edit, retried until the result differs from s (a few attempts).
Scenario mutate_scenario(const Scenario& s, MutationRng& rng, Mutation* applied = nullptr);
// a with one part taken from b: its layout (files and vmas), its pre-state,
// its fault plan or its call; normalized.
Scenario cross_scenarios(const Scenario& a, const Scenario& b, MutationRng& rng);

}  // namespace gupfuzz::harness
