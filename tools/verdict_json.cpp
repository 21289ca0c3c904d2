// SPDX-License-Identifier: GPL-2.0-only
#include "tools/verdict_json.h"

namespace gupfuzz::tools {

using nlohmann::json;

json verdict_json(const harness::Verdict& v) {
    json failures = json::array();
    for (const auto& f : v.failures)
        failures.push_back({{"property", harness::property_id(f.property)},
                            {"name", harness::property_name(f.property)},
                            {"message", f.message},
                            {"known_issue", f.known_issue}});
    json pages = json::array();
    for (const auto& p : v.pages)
        pages.push_back({{"addr", p.addr}, {"pfn", p.pfn}, {"vma", p.vma}});
    return {{"verdict", v.passed() ? "PASS" : v.passed_ignoring_known() ? "KNOWN-KERNEL-ISSUE" : "FAIL"},
            {"passed", v.passed()},
            {"passed_ignoring_known", v.passed_ignoring_known()},
            {"rc", v.rc},
            {"rc_name", harness::errno_name(v.rc)},
            {"crashed", v.crashed},
            {"crash", v.crash},
            {"failures", failures},
            {"pages", pages},
            {"notes", v.notes},
            {"balance", v.balance},
            {"summary", v.summary_line()}};
}

json sweep_json(const harness::SweepStats& st) {
    json sites = json::array();
    for (const auto& [site, row] : st.by_site) {
        json rc_names = json::array();
        for (long rc : row.rcs)
            rc_names.push_back(harness::errno_name(rc));
        sites.push_back({{"site", site}, {"runs", row.runs}, {"rcs", row.rcs}, {"rc_names", rc_names}, {"failed", row.failed}});
    }
    json failures = json::array();
    for (const auto& f : st.failures)
        failures.push_back({{"from", f.name}, {"verdict", verdict_json(f.verdict)}});
    json kernels = json::object();
    for (const auto& [name, ks] : st.by_kernel) {
        kernels[name] = {{"scenarios", ks.scenarios},     {"clean_runs", ks.clean_runs}, {"single_runs", ks.single_runs},
                         {"pair_runs", ks.pair_runs},     {"injected", ks.injected},
                         {"never_injected", harness::sites_never_injected(st, name)}};
    }
    return {{"scenarios", st.scenarios},     {"clean_only", st.clean_only},   {"clean_runs", st.clean_runs},
            {"single_runs", st.single_runs}, {"pair_runs", st.pair_runs},     {"pairs_skipped", st.pairs_skipped},
            {"known", st.known},             {"seconds", st.seconds},         {"sites", sites},
            {"kernels", kernels},            {"failures", failures}};
}

}  // namespace gupfuzz::tools
