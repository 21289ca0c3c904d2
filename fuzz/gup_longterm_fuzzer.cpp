// SPDX-License-Identifier: GPL-2.0-only
//
// The main libFuzzer target: bytes -> Scenario -> execute -> oracles.
// A property failure prints the whole verdict (layout, fault plan, call, rc,
// the failed property, the page whose reference is off) and the scenario as
// text, then aborts so libFuzzer keeps the input.  Failures that are known
// behaviours of the v4.15 kernel itself (README) do not abort unless
// GUPFUZZ_STRICT=1.  The defect build of this target reads GUPFUZZ_DEFECT.
// Run any saved input with `gupfuzz run FILE`; it gives the same verdict.
//
// Mutation: GUPFUZZ_MUTATOR=structural (the default) makes most mutations
// structural edits of the decoded scenario (core/harness/mutate.h: add,
// remove or resize a vma, move a pre-state operation or a fault, flip one
// FOLL_* flag, ...), re-encoded; the rest are libFuzzer's byte mutations.
// GUPFUZZ_MUTATOR=bytes leaves mutation to libFuzzer alone.  Both are
// seeded by libFuzzer's seed (-seed=N), so a run replays.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/gup/entry.h"
#include "core/harness/bytes.h"
#include "core/harness/executor.h"
#include "core/harness/mutate.h"

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

namespace {
bool g_strict = false;  // fixed at start-up; never changes between inputs
// GUPFUZZ_KERNEL=v4.15|6.12|6.1: fuzz one generation only (inputs of the
// others are rejected, so they never enter the corpus).  Unset: every
// generation this build links.
int g_only = -1;  // a harness::Kernel value
// Inputs executed per generation (indexed by harness::Kernel), printed at exit
// for ci/fuzz's summary (counts only: no verdict depends on them).
unsigned long g_runs[3] = {0, 0, 0};
bool g_structural = true;  // GUPFUZZ_MUTATOR, fixed at start-up
// One mutation in kByteShare is left to libFuzzer's byte mutations:
// they reach values no edit names (odd sizes, far addresses, varint corners).
constexpr unsigned kByteShare = 4;
void print_runs() {
    std::fprintf(stderr, "gupfuzz: executed v4.15=%lu 6.12=%lu 6.1=%lu scenarios\n", g_runs[0], g_runs[1], g_runs[2]);
}
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const char* strict = std::getenv("GUPFUZZ_STRICT");
    g_strict = strict && std::strcmp(strict, "0") != 0;
    if (const char* k = std::getenv("GUPFUZZ_KERNEL"); k && *k) {
        using gupfuzz::harness::Kernel;
        for (Kernel g : {Kernel::v4_15, Kernel::v6_12, Kernel::v6_1})
            if (std::strcmp(k, gupfuzz::harness::kernel_name(g)) == 0)
                g_only = static_cast<int>(g);
        if (g_only < 0) {
            std::fprintf(stderr, "GUPFUZZ_KERNEL=%s: expected v4.15, 6.12 or 6.1\n", k);
            std::exit(2);
        }
        if (!gupfuzz::harness::kernel_available(static_cast<Kernel>(g_only))) {
            std::fprintf(stderr, "GUPFUZZ_KERNEL=%s: %s\n", k,
                         gupfuzz::harness::kernel_unavailable_reason(static_cast<Kernel>(g_only)).c_str());
            std::exit(2);
        }
    }
    if (const char* m = std::getenv("GUPFUZZ_MUTATOR"); m && *m) {
        if (std::strcmp(m, "bytes") != 0 && std::strcmp(m, "structural") != 0) {
            std::fprintf(stderr, "GUPFUZZ_MUTATOR=%s: expected structural or bytes\n", m);
            std::exit(2);
        }
        g_structural = std::strcmp(m, "structural") == 0;
    }
    std::atexit(print_runs);
    if (const char* d = std::getenv("GUPFUZZ_DEFECT"); d && *d) {
        gupfuzz::port::Defect defect;
        if (!gupfuzz::port::defects_compiled_in() || !gupfuzz::port::defect_from_name(d, &defect)) {
            std::fprintf(stderr, "GUPFUZZ_DEFECT=%s: not a defect of this binary\n", d);
            std::exit(2);
        }
        if (!gupfuzz::port::set_active_defect(defect)) {
            std::fprintf(stderr, "GUPFUZZ_DEFECT=%s: no variant of this %s defect in this binary\n", d,
                         gupfuzz::port::defect_generation(defect));
            std::exit(2);
        }
        std::fprintf(stderr, "gupfuzz: fuzzing the %s code with defect '%s'\n",
                     gupfuzz::port::defect_generation(defect), d);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gupfuzz::harness;
    const Scenario s = decode_scenario(data, size);
    // A `kernel 6.12` or `kernel 6.1` input (the byte form's generation bits)
    // runs only where that kernel is linked; elsewhere it is not added to the corpus.
    if (!kernel_available(s.kernel))
        return -1;
    const int gen = static_cast<int>(s.kernel);
    if (g_only >= 0 && gen != g_only)
        return -1;
    // Calls above kFuzzCallPages (the byte form's "large" bit) are kept for the
    // kcalloc size limit, where nothing is pinned.  One that would really pin
    // half a million pages costs a second per run: not added to the corpus.
    const bool kcalloc_limit = s.config.fs_dax && s.call.pages && !s.call.vmas && s.call.nr_pages > 524288;
    if (s.call.nr_pages > kFuzzCallPages && !kcalloc_limit && !s.plan.gup_rc_stub)
        return -1;
    ++g_runs[gen];
    const Verdict v = execute(s);
    const bool ok = g_strict ? v.passed() : v.passed_ignoring_known();
    if (!ok) {
        std::fprintf(stderr, "\n==== gupfuzz: property failure ====\n%s-- scenario as text (gupfuzz run FILE.scn):\n%s",
                     v.report(s).c_str(), print_scenario(s).c_str());
        std::fflush(stderr);
        std::abort();
    }
    return 0;
}

namespace {
std::size_t store(const std::vector<std::uint8_t>& out, std::uint8_t* data, std::size_t max_size) {
    if (out.empty() || out.size() > max_size)
        return 0;
    std::memcpy(data, out.data(), out.size());
    return out.size();
}
}  // namespace

extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size,
                                               unsigned int seed) {
    using namespace gupfuzz::harness;
    MutationRng rng(seed);
    if (!g_structural || rng.below(kByteShare) == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    const Scenario s = decode_scenario(data, size);
    const Scenario t = mutate_scenario(s, rng);
    if (t == s)
        return LLVMFuzzerMutate(data, size, max_size);
    const std::size_t n = store(encode_scenario(t), data, max_size);
    return n ? n : LLVMFuzzerMutate(data, size, max_size);
}

extern "C" std::size_t LLVMFuzzerCustomCrossOver(const std::uint8_t* data1, std::size_t size1, const std::uint8_t* data2,
                                                 std::size_t size2, std::uint8_t* out, std::size_t max_out_size,
                                                 unsigned int seed) {
    using namespace gupfuzz::harness;
    MutationRng rng(seed);
    if (!g_structural)  // nothing: libFuzzer then mutates with its own (byte) mutators, cross-over among them
        return 0;
    const Scenario x = cross_scenarios(decode_scenario(data1, size1), decode_scenario(data2, size2), rng);
    return store(encode_scenario(x), out, max_out_size);
}
