// SPDX-License-Identifier: GPL-2.0-only
//
// The byte form of a Scenario, for coverage-guided fuzzing.
//
// decode_scenario is total: every byte string decodes to a scenario that
// passes validate().  The bytes are a sequence of records (a tag byte, then
// LEB128 varints and bytes; running out of input reads zeros), so a small
// mutation changes one field of one record.  VMAs are placed by the gap from
// the previous vma's end (sorted and disjoint by construction), and
// addresses in pre-state operations, faults and the call may be given
// relative to a vma.  Every validity rule is applied by normalize()
// (core/harness/normalize.h), which changes nothing in a valid scenario, so
// decode_scenario(encode_scenario(s)) == s for every valid s.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/harness/scenario.h"

namespace gupfuzz::harness {

// Without the call's "large" bit, nr_pages is taken modulo (kFuzzCallPages + 1):
// fuzzed calls stay small unless the input asks otherwise.
constexpr unsigned long kFuzzCallPages = 1024;

Scenario decode_scenario(const std::uint8_t* data, std::size_t size);
std::vector<std::uint8_t> encode_scenario(const Scenario& s);

}  // namespace gupfuzz::harness
