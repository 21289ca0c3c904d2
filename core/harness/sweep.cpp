// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/sweep.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "core/harness/normalize.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

struct Pass {
    AllocSite site;
    unsigned occurrence;
};

std::vector<Pass> passes_of(const Trace& t) {
    std::vector<Pass> out;
    for (const auto& sp : t.sites)
        out.push_back({sp.site, sp.occurrence});
    return out;
}

void record(const std::string& row, const Scenario& s, const std::string& name, Verdict&& v, SweepStats* st) {
    SiteRow& r = st->by_site[row];
    r.runs++;
    r.rcs.insert(v.rc);
    for (const auto& f : v.failures)
        r.failed.insert(std::string(property_id(f.property)) + (f.known_issue.empty() ? "" : "(known)"));
    if (v.passed())
        return;
    if (v.passed_ignoring_known()) {
        st->known++;
        return;
    }
    st->failures.push_back({name, s, std::move(v)});
}

}  // namespace

void sweep_scenario(const std::string& name, const Scenario& s, const SweepOptions& opt, SweepStats* st,
                    const std::function<void(const SweepStats&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    auto tick = [&] {
        if (progress)
            progress(*st);
    };
    st->scenarios++;
    KernelSweep& ks = st->by_kernel[kernel_name(s.kernel)];
    ks.scenarios++;
    // A real kernel's rows are named apart ("6.12 ", "6.1 "): the same site is other code there.
    const std::string prefix = is_real_kernel(s.kernel) ? std::string(kernel_name(s.kernel)) + " " : "";

    // The clean run: the scenario without its allocation failures.
    Scenario clean = s;
    clean.plan.failures.clear();
    Verdict cv = execute(clean);
    const std::vector<Pass> clean_passes = passes_of(cv.trace);
    st->clean_runs++;
    ks.clean_runs++;
    record(prefix + "(clean)", clean, name, std::move(cv), st);
    tick();
    if (s.call.nr_pages > opt.max_call_pages) {
        st->clean_only++;
        st->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return;
    }

    std::size_t pairs = 0;
    for (const Pass& first : clean_passes) {
        Scenario one = clean;
        one.plan.failures = {{first.site, first.occurrence}};
        Verdict v1 = execute(one);
        st->single_runs++;
        ks.single_runs++;
        ks.injected[alloc_site_name(first.site)]++;
        // The passes after the injected one, along the path the failure took.
        std::vector<Pass> after;
        bool seen = false;
        for (const auto& sp : v1.trace.sites) {
            if (seen)
                after.push_back({sp.site, sp.occurrence});
            seen |= sp.failed;
        }
        record(prefix + alloc_site_name(first.site), one, name, std::move(v1), st);
        tick();
        if (!opt.pairs)
            continue;
        for (const Pass& second : after) {
            if (pairs >= opt.max_pairs) {
                st->pairs_skipped++;
                continue;
            }
            Scenario two = one;
            two.plan.failures.push_back({second.site, second.occurrence});
            Verdict v2 = execute(two);
            st->pair_runs++;
            ks.pair_runs++;
            pairs++;
            record(prefix + alloc_site_name(first.site) + "+" + alloc_site_name(second.site), two, name, std::move(v2),
                   st);
            tick();
        }
    }
    st->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::vector<std::string> sites_never_injected(const SweepStats& st, Kernel k) {
    std::vector<std::string> out;
    const auto it = st.by_kernel.find(kernel_name(k));
    for (int i = 0; i < kAllocSitesAll; ++i) {
        const auto site = static_cast<AllocSite>(i);
        // 6.12 and 6.1 allocate no vmas array: kcalloc_vmas is not their site (normalize.cpp refuses it there).
        if (i == kAllocSiteCount || !site_exists(k, site) || (is_real_kernel(k) && site == AllocSite::kcalloc_vmas))
            continue;
        if (it == st.by_kernel.end() || !it->second.injected.count(alloc_site_name(site)))
            out.push_back(alloc_site_name(site));
    }
    return out;
}

std::vector<std::string> sites_never_injected(const SweepStats& st, const std::string& kernel) {
    Kernel k = Kernel::v4_15;
    for (Kernel real : {Kernel::v6_12, Kernel::v6_1})
        if (kernel == kernel_name(real))
            k = real;
    return sites_never_injected(st, k);
}

std::string format_sweep_table(const SweepStats& st) {
    std::ostringstream o;
    char line[512];
    std::snprintf(line, sizeof line, "%-34s %7s  %-38s %s\n", "site (first+second)", "runs", "rc values seen",
                  "properties failed");
    o << line;
    for (const auto& [row, r] : st.by_site) {
        std::string rcs;
        for (long rc : r.rcs) {
            if (rcs.size() > 30) {
                rcs += " ...";
                break;
            }
            rcs += (rcs.empty() ? "" : " ") + errno_name(rc);
        }
        std::string failed;
        for (const auto& f : r.failed)
            failed += (failed.empty() ? "" : " ") + f;
        std::snprintf(line, sizeof line, "%-34s %7u  %-38s %s\n", row.c_str(), r.runs, rcs.c_str(),
                      failed.empty() ? "-" : failed.c_str());
        o << line;
    }
    std::snprintf(line, sizeof line,
                  "%zu scenarios (%zu too large to inject: clean run only): %zu clean, %zu single and %zu pair injections "
                  "(%zu pairs skipped by the bound) in %.1f s (%.0f runs/s); %zu known kernel behaviours; %zu failures\n",
                  st.scenarios, st.clean_only, st.clean_runs, st.single_runs, st.pair_runs, st.pairs_skipped, st.seconds,
                  st.seconds > 0 ? (st.clean_runs + st.single_runs + st.pair_runs) / st.seconds : 0.0, st.known,
                  st.failures.size());
    o << line;
    for (const auto& [kname, ks] : st.by_kernel) {
        o << "kernel " << kname << ": " << ks.scenarios << " scenarios, " << ks.clean_runs << " clean, " << ks.single_runs
          << " single and " << ks.pair_runs << " pair injections; sites injected alone:";
        for (const auto& [site, n] : ks.injected)
            o << " " << site << " " << n;
        const std::vector<std::string> never = sites_never_injected(st, kname);
        if (!never.empty()) {
            o << "; never passed, so never injected:";
            for (const auto& n : never)
                o << " " << n;
        }
        o << "\n";
    }
    return o.str();
}

// ---- Yield-point sweep ----

void sweep_yields(const std::string& name, const Scenario& s, const YieldSweepOptions& opt, YieldSweepStats* st,
                  const std::function<void(const YieldSweepStats&)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    st->scenarios++;
    if (s.kernel != Kernel::v4_15) {
        st->skipped++;
        return;
    }
    Scenario clean = s;
    clean.plan.interleaves.clear();
    Verdict cv = execute(clean);
    st->clean_runs++;
    const auto passes = cv.trace.yield_passes;
    for (int p = 0; p < kYieldPointCount; ++p)
        st->passes_by_point[yield_point_name(static_cast<YieldPoint>(p))] += passes[static_cast<std::size_t>(p)];
    auto record_cell = [&](const std::string& row, const Scenario& sc, Verdict&& v) {
        SiteRow& r = st->by_cell[row];
        r.runs++;
        r.rcs.insert(v.rc);
        for (const auto& f : v.failures)
            r.failed.insert(std::string(property_id(f.property)) + (f.known_issue.empty() ? "" : "(known)"));
        if (v.passed())
            return;
        if (v.passed_ignoring_known()) {
            st->known++;
            return;
        }
        st->failures.push_back({name, sc, std::move(v)});
    };
    if (s.call.nr_pages == 0 || s.call.nr_pages > opt.max_call_pages) {
        st->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return;
    }
    const unsigned long pages = std::min<unsigned long>(s.call.nr_pages + ((s.call.start & ~PAGE_MASK) ? 1 : 0),
                                                        kMaxInterleavePages);
    for (int p = 0; p < kYieldPointCount; ++p) {
        const auto point = static_cast<YieldPoint>(p);
        const unsigned n = std::min(passes[static_cast<std::size_t>(p)], opt.max_passes);
        for (int o = 0; o < kMmOpCount; ++o) {
            Scenario one = clean;
            one.plan.interleaves = {{point, 1, static_cast<MmOp>(o), s.call.start & PAGE_MASK, pages}};
            if (!validate(one).empty()) {  // the lock rules refuse this operation at every point of this call
                st->refused++;
                continue;
            }
            for (unsigned occ = 1; occ <= n; ++occ) {
                one.plan.interleaves[0].occurrence = occ;
                Verdict v = execute(one);
                st->runs++;
                bool ran = false;
                for (const auto& r : v.trace.interleaved)
                    ran |= r.ran;
                st->idle += !ran;
                record_cell(std::string(yield_point_name(point)) + " x " + mm_op_name(static_cast<MmOp>(o)), one,
                            std::move(v));
                if (progress)
                    progress(*st);
            }
        }
    }
    st->seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string format_yield_sweep_table(const YieldSweepStats& st) {
    std::ostringstream o;
    char line[512];
    std::snprintf(line, sizeof line, "%-28s %7s  %-38s %s\n", "yield point x operation", "runs", "rc values seen",
                  "properties failed");
    o << line;
    for (const auto& [row, r] : st.by_cell) {
        std::string rcs;
        for (long rc : r.rcs) {
            if (rcs.size() > 30) {
                rcs += " ...";
                break;
            }
            rcs += (rcs.empty() ? "" : " ") + errno_name(rc);
        }
        std::string failed;
        for (const auto& f : r.failed)
            failed += (failed.empty() ? "" : " ") + f;
        std::snprintf(line, sizeof line, "%-28s %7u  %-38s %s\n", row.c_str(), r.runs, rcs.c_str(),
                      failed.empty() ? "-" : failed.c_str());
        o << line;
    }
    o << "yield passes in the clean runs:";
    for (const auto& [p, n] : st.passes_by_point)
        o << " " << p << " " << n;
    o << "\n";
    std::snprintf(line, sizeof line,
                  "%zu scenarios (%zu not v4.15: skipped), %zu clean runs, %zu interleaved runs (%zu found nothing to "
                  "act on), %zu (scenario, point, operation) cells refused by the lock rules, %zu cells (point x "
                  "operation) in %.1f s (%.0f runs/s); %zu known kernel behaviours; %zu failures\n",
                  st.scenarios, st.skipped, st.clean_runs, st.runs, st.idle, st.refused, st.by_cell.size(), st.seconds,
                  st.seconds > 0 ? (st.clean_runs + st.runs) / st.seconds : 0.0, st.known, st.failures.size());
    o << line;
    return o.str();
}

}  // namespace gupfuzz::harness
