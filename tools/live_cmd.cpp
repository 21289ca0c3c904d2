// SPDX-License-Identifier: GPL-2.0-only
#include "tools/live_cmd.h"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include "core/harness/executor.h"
#include "core/live/live.h"

namespace gupfuzz::tools {

namespace {

struct Row {
    std::size_t cases = 0, agree = 0, disagree = 0, not_comparable = 0;
    void add(const live::Comparison& c) {
        ++cases;
        switch (c.outcome) {
            case live::Comparison::Outcome::agree: ++agree; break;
            case live::Comparison::Outcome::disagree: ++disagree; break;
            case live::Comparison::Outcome::not_comparable: ++not_comparable; break;
        }
    }
};

// A reason without its numbers, so that alike reasons count together.
std::string reason_key(const std::string& r) {
    std::string out;
    for (std::size_t i = 0; i < r.size(); ++i) {
        if (r.compare(i, 2, "0x") == 0) {
            i += 2;
            while (i < r.size() && std::isxdigit(static_cast<unsigned char>(r[i])))
                ++i;
            --i;
            out += "N";
        } else if (std::isdigit(static_cast<unsigned char>(r[i]))) {
            while (i + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[i + 1])))
                ++i;
            out += "N";
        } else {
            out += r[i];
        }
    }
    return out.size() > 150 ? out.substr(0, 147) + "..." : out;
}

std::string disagreement_kind(const live::Comparison& c) {
    const std::string& d = c.differences.empty() ? std::string() : c.differences.front();
    if (d.rfind("verdict", 0) == 0) return "verdict (success / errno / pages done)";
    if (d.rfind("pagemap before", 0) == 0) return "pagemap before the call (the pre-state)";
    if (d.rfind("pagemap after", 0) == 0) return "pagemap after the call";
    if (d.rfind("the call", 0) == 0) return "page replaced by the call";
    return "the simulated side failed";
}

std::string save_case(const std::string& dir, const std::string& stem, const live::Comparison& c) {
    std::filesystem::create_directories(dir);
    const std::string out = (std::filesystem::path(dir) / (stem + ".scn")).string();
    std::ofstream f(out);
    f << "# gupfuzz live disagreement (" << c.name << "); replay: gupfuzz live " << out << "\n";
    std::istringstream rep(c.report());
    for (std::string line; std::getline(rep, line);)
        f << "# " << line << "\n";
    f << harness::print_scenario(c.scenario);
    return out;
}

}  // namespace

CLI::App* add_live_subcommand(CLI::App& app, LiveOptions* o) {
    auto* sub = app.add_subcommand(
        "live", "build each kernel 6.12 scenario for real on this host, pin it through the host caller that takes "
                "the same pin (io_uring, O_DIRECT, process_vm_*), and compare with the simulated 6.12 (docs/live.md)");
    sub->add_option("FILE", o->files, "text scenario (NAME.scn) or fuzzer bytes");
    sub->add_option("--generate", o->generate, "also compare N generated buildable layouts (the differential mode)");
    sub->add_option("--seed", o->seed, "seed of the generated layouts (default: from the clock; always printed)");
    sub->add_option("--save", o->save, "where disagreements are written as scenarios")->capture_default_str();
    sub->add_option("--tmpdir", o->tmpdir, "directory for disk-filesystem files and the O_DIRECT scratch file "
                                           "(default $TMPDIR or /tmp); files are unlinked as soon as they are open");
    sub->add_flag("--probe", o->probe, "print what this host offers; exit 3 when io_uring or O_DIRECT is unavailable");
    sub->add_flag("--layout-bytes", o->layout_bytes,
                  "read each FILE as bytes for the differential mode's layout generator (any bytes give a buildable "
                  "layout), not as a scenario");
    sub->add_option("--kernel", o->kernel,
                    "the simulated kernel the host is compared with: 6.12, or 6.1 (a `kernel 6.12` scenario and "
                    "every generated layout run on Linux 6.1's mm/gup.c instead)")
        ->check(CLI::IsMember({"6.12", "6.1"}))
        ->capture_default_str();
    sub->add_flag("--quiet", o->quiet, "one line per FILE");
    sub->add_flag("--verbose", o->verbose, "the full report of every case, generated ones too");
    sub->footer("Exit status: 0 no disagreement, 1 a disagreement (saved under --save), 2 bad usage or input, 3 nothing\n"
                "was refereed (no case was comparable; --probe: io_uring or O_DIRECT unavailable).");
    return sub;
}

int run_live(const LiveOptions& o, const ScenarioLoader& load) {
    const live::HostInfo host = live::probe_host(o.tmpdir);
    if (o.probe) {
        std::fputs(host.describe().c_str(), stdout);
        return host.io_uring && host.odirect ? 0 : 3;
    }
    if (o.files.empty() && o.generate == 0) {
        std::fprintf(stderr, "live: name scenario files or --generate N\n");
        return 2;
    }
    std::uint64_t seed = 0;
    if (o.seed.empty()) {
        seed = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    } else {
        try {
            std::size_t used = 0;
            seed = std::stoull(o.seed, &used, 0);
            if (used != o.seed.size())
                throw std::invalid_argument("trailing characters");
        } catch (const std::exception&) {
            std::fprintf(stderr, "live: --seed '%s' is not a number\n", o.seed.c_str());
            return 2;
        }
    }
    const harness::Kernel kernel = o.kernel == "6.1" ? harness::Kernel::v6_1 : harness::Kernel::v6_12;
    const std::string kname = harness::kernel_name(kernel);
    if (!harness::kernel_available(kernel)) {
        std::fprintf(stderr, "live: %s\n", harness::kernel_unavailable_reason(kernel).c_str());
        return 2;
    }
    // --kernel 6.1: the same layouts and calls on the simulated 6.1 (its own mm/gup.c).
    auto as_kernel = [&](harness::Scenario s) {
        if (s.kernel == harness::Kernel::v6_12)
            s.kernel = kernel;
        return s;
    };
    std::string sim = harness::kernels_description();
    if (const auto at = sim.find(kname + ": "); at != std::string::npos)
        sim = sim.substr(at + kname.size() + 2, sim.find('\n', at) - at - kname.size() - 2);
    std::printf("live: referee %s; simulated: %s\n", host.kernel.c_str(), sim.c_str());
    if (!o.quiet)
        std::fputs(host.describe().c_str(), stdout);
    int status = 0;
    Row files_row, gen_row;
    std::map<std::string, std::size_t> nc_reasons, dis_kinds;
    std::map<std::string, Row> by_entry;  // comparable cases, by the host caller that took the pin
    std::vector<std::string> saved;
    auto account = [&](Row& row, const live::Comparison& c) {
        row.add(c);
        if (c.outcome == live::Comparison::Outcome::not_comparable)
            ++nc_reasons[reason_key(c.reason())];
        if (c.outcome == live::Comparison::Outcome::disagree)
            ++dis_kinds[disagreement_kind(c)];
        if (c.outcome != live::Comparison::Outcome::not_comparable)
            by_entry[live::host_entry_name(c.plan.entry)].add(c);
    };
    for (const auto& path : o.files) {
        std::string err;
        std::optional<harness::Scenario> s;
        if (o.layout_bytes) {
            std::ifstream in(path, std::ios::binary);
            std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            if (in.bad() || (!in.eof() && !in) || !std::filesystem::is_regular_file(path))
                err = path + ": cannot open";
            else if (bytes.size() > (1u << 20))
                err = path + ": larger than 1 MiB";
            else
                s = live::generate(bytes.data(), bytes.size());
        } else {
            s = load(path, &err);
        }
        if (!s) {
            std::fprintf(stderr, "%s\n", err.c_str());
            status = 2;
            continue;
        }
        const live::Comparison c = live::compare(path, as_kernel(*s), host);
        account(files_row, c);
        if (o.quiet) {
            const char* w = c.outcome == live::Comparison::Outcome::agree      ? "AGREE"
                            : c.outcome == live::Comparison::Outcome::disagree ? "DISAGREE"
                                                                               : "NOT COMPARABLE";
            std::printf("%s: %s%s%s\n", path.c_str(), w, c.reason().empty() ? "" : ": ", c.reason().c_str());
        } else {
            std::printf("== %s\n%s", path.c_str(), c.report().c_str());
        }
        if (c.outcome == live::Comparison::Outcome::disagree) {
            saved.push_back(save_case(o.save, std::filesystem::path(path).stem().string(), c));
            if (status == 0)
                status = 1;
        }
    }
    if (o.generate) {
        std::printf("live: %llu generated layouts, seed %llu (replay: gupfuzz live --generate %llu --seed %llu)\n",
                    static_cast<unsigned long long>(o.generate), static_cast<unsigned long long>(seed),
                    static_cast<unsigned long long>(o.generate), static_cast<unsigned long long>(seed));
        for (std::uint64_t i = 0; i < o.generate; ++i) {
            const std::string name = "seed " + std::to_string(seed) + " case " + std::to_string(i);
            const live::Comparison c = live::compare(name, as_kernel(live::generate_case(seed, i)), host);
            account(gen_row, c);
            if (o.verbose || c.outcome == live::Comparison::Outcome::disagree) {
                std::printf("== %s\n%s-- scenario:\n%s", name.c_str(), c.report().c_str(),
                            harness::print_scenario(c.scenario).c_str());
            }
            if (c.outcome == live::Comparison::Outcome::disagree) {
                saved.push_back(save_case(o.save, "live-" + std::to_string(seed) + "-" + std::to_string(i), c));
                if (status == 0)
                    status = 1;
            }
            if ((i + 1) % 100 == 0)
                std::fprintf(stderr, "live: %llu/%llu generated, %zu disagreements\n",
                             static_cast<unsigned long long>(i + 1), static_cast<unsigned long long>(o.generate),
                             gen_row.disagree);
        }
    }
    Row total;
    for (const Row* r : {&files_row, &gen_row}) {
        total.cases += r->cases;
        total.agree += r->agree;
        total.disagree += r->disagree;
        total.not_comparable += r->not_comparable;
    }
    std::printf("\nlive agreement table (host %s vs simulated Linux %s mm/gup.c)\n", host.kernel.c_str(), kname.c_str());
    std::printf("%-12s %8s %8s %10s %15s\n", "set", "cases", "agree", "disagree", "not comparable");
    auto row = [](const char* name, const Row& r) {
        std::printf("%-12s %8zu %8zu %10zu %15zu\n", name, r.cases, r.agree, r.disagree, r.not_comparable);
    };
    if (files_row.cases)
        row("files", files_row);
    if (gen_row.cases)
        row("generated", gen_row);
    row("total", total);
    if (!by_entry.empty()) {
        std::printf("comparable cases by host caller:\n");
        for (const auto& [name, r] : by_entry)
            std::printf("  %-18s %8zu %8zu %10zu\n", name.c_str(), r.cases, r.agree, r.disagree);
    }
    if (!dis_kinds.empty()) {
        std::printf("disagreements by first difference:\n");
        for (const auto& [k, n] : dis_kinds)
            std::printf("  %6zu  %s\n", n, k.c_str());
    }
    if (!nc_reasons.empty()) {
        std::printf("not comparable, by reason:\n");
        for (const auto& [k, n] : nc_reasons)
            std::printf("  %6zu  %s\n", n, k.c_str());
    }
    for (const auto& s : saved)
        std::printf("saved: %s\n", s.c_str());
    std::printf("live: %zu passed, %zu failed, %zu skipped\n", total.agree, total.disagree, total.not_comparable);
    if (status == 0 && total.agree + total.disagree == 0) {
        std::printf("live: no case was comparable on this host: nothing was refereed\n");
        return 3;
    }
    return status;
}

}  // namespace gupfuzz::tools
