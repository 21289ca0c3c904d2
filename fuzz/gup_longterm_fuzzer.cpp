// SPDX-License-Identifier: GPL-2.0-only
//
// The main libFuzzer target: bytes -> Scenario -> execute -> oracles.
// A property failure prints the whole verdict (layout, fault plan, call, rc,
// the failed property, the page whose reference is off) and the scenario as
// text, then aborts so libFuzzer keeps the input.  Failures that are known
// behaviours of the v4.15 kernel itself (README) do not abort unless
// GUPFUZZ_STRICT=1.  The defect build of this target reads GUPFUZZ_DEFECT.
// Run any saved input with `gupfuzz run FILE`; it gives the same verdict.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/gup/entry.h"
#include "core/harness/bytes.h"
#include "core/harness/executor.h"

namespace {
bool g_strict = false;  // fixed at start-up; never changes between inputs
// GUPFUZZ_KERNEL=v4.15|6.12|6.1: fuzz one generation only (inputs of the
// others are rejected, so they never enter the corpus).  Unset: every
// generation this build links.
int g_only = -1;  // a harness::Kernel value
// Inputs executed per generation (indexed by harness::Kernel), printed at exit
// for ci/fuzz's summary (counts only: no verdict depends on them).
unsigned long g_runs[3] = {0, 0, 0};
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
