// SPDX-License-Identifier: GPL-2.0-only
//
// RapidCheck generators of harness::Scenario.
//
// A scenario is generated as a genome of small integers (config genes, a list
// of vma genes, pre-state genes, fault genes, a call gene) and mapped to a
// Scenario by a total function that only ever produces valid scenarios
// (harness::validate() is empty; the DAX kinds follow file_kind_exists and
// dax_mappable of core/harness/normalize.h, so CONFIG_FS_DAX=n scenarios hold
// no DAX file or mapping): vmas are laid out left to right from a cursor,
// aligned as device DAX, hugetlbfs and THP need, one file per file-backed
// vma, addresses of pre-state operations and faults relative to the call or
// to a vma.  RapidCheck's integrated shrinking works on the genome, and every
// gene shrinks toward the plainest kernel state: index 0 of every choice is
// the simplest (an anonymous rw- private vma, THP always, CONFIG_FS_DAX=y,
// touch-write, no fault), lists shrink by dropping elements (fewer vmas,
// fewer pre-state operations, fewer faults), sizes toward one page.
#pragma once

#include <rapidcheck.h>

#include <algorithm>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/harness/executor.h"
#include "core/harness/normalize.h"
#include "core/harness/scenario.h"

namespace gupfuzz::harness {
// How RapidCheck prints a Scenario in a counterexample: its canonical text.
void showValue(const Scenario& s, std::ostream& os);
}  // namespace gupfuzz::harness

namespace gupfuzz::props {

// Weights steer what the generator produces; they never affect validity.
struct GenOptions {
    unsigned fs_dax_n_percent = 10;  // CONFIG_FS_DAX=n; 100 = always (P16)
    unsigned stub_per_mille = 25;    // stub-gup-rc (P17)
    unsigned pages_null_per_mille = 40;  // pages == NULL (P2)
    unsigned kcalloc_fail_per_mille = 0; // an extra `fail kcalloc_vmas 1` (P3)
    unsigned fsdax_weight = 7;       // of the file kinds a vma gets (P7)
    unsigned max_vmas = 6;
    unsigned max_pre = 8;
    unsigned max_faults = 3;
    unsigned max_nr = 64;            // call nr_pages 1..max_nr (0 rarely)
    // kernel 6.12 (gen_scenario612) only:
    harness::Kernel kernel = harness::Kernel::v6_12;  // or Kernel::v6_1: the same scenarios on Linux 6.1
    unsigned longterm_percent = 85;       // FOLL_LONGTERM
    unsigned zone_movable_percent = 30;   // user memory in ZONE_MOVABLE: a longterm pin migrates it first
    unsigned migration_fault_percent = 15;  // isolate_lru / migrate_pages failures
};

// A weighted choice that shrinks toward the first entry (entries with weight
// 0 are left out, so "always" options cannot shrink into what they exclude).
template <class T>
rc::Gen<T> pick(std::vector<std::pair<unsigned, T>> table) {
    table.erase(std::remove_if(table.begin(), table.end(), [](const auto& e) { return e.first == 0; }), table.end());
    return rc::Gen<T>([table](const rc::Random& random, int) {
        std::uint64_t sum = 0;
        for (const auto& e : table)
            sum += e.first;
        rc::Random r(random);
        std::uint64_t x = r.next() % sum;
        std::size_t idx = 0;
        while (x >= table[idx].first) {
            x -= table[idx].first;
            ++idx;
        }
        return rc::shrinkable::map(
            rc::shrinkable::shrinkRecur(idx, [](std::size_t i) { return rc::shrink::towards<std::size_t>(i, 0); }),
            [table](std::size_t i) { return table[i].second; });
    });
}

rc::Gen<harness::Scenario> gen_scenario(const GenOptions& opt = {});

// `kernel 6.12` scenarios: the same genome (layout, pre-state, faults), a
// 6.12 call (one of the six entries of entry612.h, FOLL_LONGTERM mostly,
// FOLL_DUMP and an internal flag rarely, which makes the arguments invalid),
// ZONE_MOVABLE user memory and isolate_lru / migrate_pages failures; made
// valid by the one normalizer (normalize(), core/harness/normalize.cpp), so
// v4.15-only settings of the genome become their 6.12 form.  Shrinks like
// gen_scenario.  With opt.kernel = Kernel::v6_1 the same scenarios are
// `kernel 6.1` (the generator draws no flag 6.1 lacks).
rc::Gen<harness::Scenario> gen_scenario612(const GenOptions& opt = {});

// v4.15 scenarios of gen_scenario with up to three interleaved operations
// (docs/concurrency.md): a yield point, its pass, an operation of the shared
// set, a page of the call; made valid by the one normalizer, which drops
// what the lock rules refuse (an operation taking mmap_sem for write; one
// taking it for read under sem=write).  Shrinks toward fewer interleavings,
// earlier passes and the plainest operation (MADV_DONTNEED at the retry).
rc::Gen<harness::Scenario> gen_interleaved_scenario(const GenOptions& opt = {});

// Any Scenario at all, mostly invalid: every field drawn from edge values and
// arbitrary ones (out-of-range enumerations, unaligned and overlapping vmas,
// missing files, too many items...).  For the normalize()/validate() laws.
rc::Gen<harness::Scenario> gen_any_scenario();

// n scenarios drawn from g with a fixed seed, at sizes 0..100 in turn (the
// generator checks of the property tests: deterministic, no RC_PARAMS).
std::vector<harness::Scenario> sample(const rc::Gen<harness::Scenario>& g, int n, std::uint64_t seed);

// Facts about a scenario and its verdict, for RC_TAG / RC_CLASSIFY and coverage.
std::string rc_class(const harness::Scenario& s, const harness::Verdict& v);  // "full", "partial", "-EFAULT", ...
// A filesystem-DAX vma lies in the prefix plain get_user_pages pins (the
// reference run's rc), decided from the scenario.
bool fsdax_in_prefix(const harness::Scenario& s, const harness::Verdict& v);

}  // namespace gupfuzz::props
