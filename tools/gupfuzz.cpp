// SPDX-License-Identifier: GPL-2.0-only
//
// gupfuzz: run, show, check, encode and sweep scenarios (`gupfuzz --help`,
// `gupfuzz SUBCOMMAND --help`).  FILE is a text scenario or fuzzer bytes:
// a file whose name ends in .scn is text, any other file is the byte form
// libFuzzer saves (its inputs carry no extension), so every saved input
// replays exactly as the fuzz target decoded it; --format overrides the rule.
// --json prints one JSON document (tools/verdict_json.h; README.md "JSON").
// Exit status: 0 all passed, 1 a property failed, 2 bad usage or bad input
// (the message names FILE:LINE).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "core/gup/entry.h"
#include "core/harness/bytes.h"
#include "core/harness/differential.h"
#include "core/harness/executor.h"
#include "core/harness/scenario.h"
#include "core/harness/sweep.h"
#include "tools/live_cmd.h"
#include "tools/verdict_json.h"

using namespace gupfuzz;
using nlohmann::json;

namespace {

constexpr int kFailed = 1, kBadInput = 2;

// How a file's content is read: by its name (auto), or as told.
enum class Format { automatic, text, bytes };

struct Loaded {
    harness::Scenario scenario;
    bool text = false;
    std::string error;  // "FILE:LINE: message" or "FILE: message"; empty when loaded
};

bool printable(const std::string& s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c < 0x7f);
    });
}

// The one rule that tells text from bytes (see the head of this file).
Loaded load(const std::string& path, Format format) {
    Loaded l;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        l.error = path + ": cannot open";
        return l;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string content = ss.str();
    if (content.size() > (1u << 20)) {
        l.error = path + ": larger than 1 MiB; not a scenario";
        return l;
    }
    l.text = format == Format::text ||
             (format == Format::automatic && std::filesystem::path(path).extension() == ".scn");
    if (l.text) {
        harness::ParseError err;
        auto s = harness::parse_scenario(content, &err);
        if (!s) {
            l.error = path + ":" + std::to_string(err.line) + ": " + err.message;
            return l;
        }
        l.scenario = *s;
        return l;
    }
    l.scenario = harness::decode_scenario(reinterpret_cast<const std::uint8_t*>(content.data()), content.size());
    if (format == Format::automatic && printable(content)) {
        harness::ParseError err;
        if (harness::parse_scenario(content, &err))
            std::fprintf(stderr,
                         "%s: read as fuzzer bytes (the name does not end in .scn) although it is also a text "
                         "scenario; name it .scn or pass --format text to read it as text\n",
                         path.c_str());
    }
    return l;
}

const char* format_name(const Loaded& l) { return l.text ? "text" : "bytes"; }

// --defect NAME (the gupfuzz-defects binary only).
bool select_defect(const std::string& name) {
    if (name.empty())
        return true;
    port::Defect d;
    if (!port::defects_compiled_in()) {
        std::fprintf(stderr, "--defect needs the gupfuzz-defects binary\n");
        return false;
    }
    if (!port::defect_from_name(name.c_str(), &d)) {
        std::fprintf(stderr, "unknown defect '%s'\n", name.c_str());
        return false;
    }
    if (!port::set_active_defect(d)) {
        std::fprintf(stderr, "defect '%s' (%s) has no variant in this binary%s\n", name.c_str(),
                     port::defect_generation(d),
                     std::string(port::defect_generation(d)) != "v4.15"
                         ? " (a defect of a real tree needs that kernel linked: GUPFUZZ_KERNEL_SHIM=ON)"
                         : "");
        return false;
    }
    return true;
}

void print_json(const json& j) { std::printf("%s\n", j.dump(2).c_str()); }

struct FileOptions {
    std::vector<std::string> files;
    Format format = Format::automatic;
    bool json = false;
};

int run(const FileOptions& o, bool allow_known, bool quiet) {
    int status = 0;
    json results = json::array();
    for (const auto& path : o.files) {
        const Loaded l = load(path, o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            results.push_back({{"file", path}, {"error", l.error}});
            status = kBadInput;
            continue;
        }
        if (!harness::kernel_available(l.scenario.kernel)) {
            // Never a silent pass: the scenario names a kernel this build does not have.
            const std::string err = path + ": " + harness::kernel_unavailable_reason(l.scenario.kernel);
            std::fprintf(stderr, "%s\n", err.c_str());
            results.push_back({{"file", path}, {"error", err}});
            status = kBadInput;
            continue;
        }
        const harness::Verdict v = harness::execute(l.scenario);
        if (o.json)
            results.push_back({{"file", path}, {"format", format_name(l)}, {"verdict", tools::verdict_json(v)}});
        else if (quiet)
            std::printf("%s: %s\n", path.c_str(), v.summary_line().c_str());
        else
            std::printf("== %s\n%s", path.c_str(), v.report(l.scenario).c_str());
        const bool ok = allow_known ? v.passed_ignoring_known() : v.passed();
        if (!ok && status == 0)
            status = kFailed;
    }
    if (o.json)
        print_json({{"command", "run"}, {"status", status}, {"results", results}});
    return status;
}

// check (show = false) and show.
int inspect(const FileOptions& o, bool show) {
    int status = 0;
    json results = json::array();
    for (const auto& path : o.files) {
        const Loaded l = load(path, o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            results.push_back({{"file", path}, {"error", l.error}});
            status = kBadInput;
            continue;
        }
        if (o.json) {
            json r = {{"file", path}, {"format", format_name(l)}};
            if (show) {
                r["layout"] = harness::describe_layout(l.scenario);
                r["text"] = harness::print_scenario(l.scenario);
            }
            results.push_back(r);
        } else if (show) {
            std::printf("== %s (%s)\n%s-- canonical text:\n%s", path.c_str(), format_name(l),
                        harness::describe_layout(l.scenario).c_str(), harness::print_scenario(l.scenario).c_str());
        } else {
            std::printf("%s: ok (%s)\n", path.c_str(), format_name(l));
        }
    }
    if (o.json)
        print_json({{"command", show ? "show" : "check"}, {"status", status}, {"results", results}});
    return status;
}

int encode(const FileOptions& o, const std::string& outdir) {
    int status = 0;
    for (const auto& path : o.files) {
        const Loaded l = load(path, o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            status = kBadInput;
            continue;
        }
        const auto bytes = harness::encode_scenario(l.scenario);
        const std::string out = (std::filesystem::path(outdir) / std::filesystem::path(path).stem()).string() + ".bin";
        std::ofstream f(out, std::ios::binary);
        f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
        if (!f) {
            std::fprintf(stderr, "%s: cannot write\n", out.c_str());
            status = kBadInput;
        }
    }
    return status;
}

// The FILEs given, or every NAME.scn of the default directories; sorted.
// Empty (and said) when there is none.
std::vector<std::string> files_or_default(const char* cmd, std::vector<std::string> files,
                                          const std::vector<std::string>& dirs) {
    if (files.empty())
        for (const std::string& dir : dirs)
            if (std::filesystem::is_directory(dir))
                for (const auto& e : std::filesystem::directory_iterator(dir))
                    if (e.path().extension() == ".scn")
                        files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    if (files.empty())
        std::fprintf(stderr, "%s: no scenarios (run from the repository root, or name files)\n", cmd);
    return files;
}

int sweep(const FileOptions& o, const harness::SweepOptions& opt, const std::string& save) {
    std::vector<std::string> dirs{"corpus/conformance", "corpus/regressions"};
    if (harness::kernel_available(harness::Kernel::v6_12))
        dirs.push_back("corpus/conformance-6.12");  // the real 6.12 mm/gup.c, judged by the 6.12 contract
    const std::vector<std::string> files = files_or_default("sweep", o.files, dirs);
    if (files.empty())
        return kBadInput;
    harness::SweepStats stats;
    std::size_t runs_shown = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        const Loaded l = load(files[i], o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            return kBadInput;
        }
        harness::sweep_scenario(files[i], l.scenario, opt, &stats, [&](const harness::SweepStats& st) {
            const std::size_t runs = st.clean_runs + st.single_runs + st.pair_runs;
            if (runs - runs_shown >= 250) {
                runs_shown = runs;
                std::fprintf(stderr, "\rsweep: scenario %zu/%zu, %zu runs, %zu failures   ", i + 1, files.size(), runs,
                             st.failures.size());
            }
        });
    }
    std::fprintf(stderr, "\r%60s\r", "");
    json j = tools::sweep_json(stats);
    if (!o.json)
        std::printf("%s", harness::format_sweep_table(stats).c_str());
    if (!stats.failures.empty())
        std::filesystem::create_directories(save);
    std::size_t n = 0;
    for (const auto& f : stats.failures) {
        const std::string out =
            (std::filesystem::path(save) / (std::filesystem::path(f.name).stem().string() + "-" + std::to_string(++n) + ".scn"))
                .string();
        std::ofstream file(out);
        file << "# sweep failure from " << f.name << ": " << f.verdict.summary_line() << "\n";
        std::istringstream rep(f.verdict.report(f.scenario));
        for (std::string line; std::getline(rep, line);)
            if (line.rfind("FAILED", 0) == 0)
                file << "# " << line << "\n";
        file << harness::print_scenario(f.scenario);
        j["failures"][n - 1]["saved"] = out;
        if (!o.json && n <= 5)
            std::printf("---- %s\n%s", out.c_str(), f.verdict.report(f.scenario).c_str());
    }
    const int status = stats.failures.empty() ? 0 : kFailed;
    if (o.json) {
        j["command"] = "sweep";
        j["status"] = status;
        print_json(j);
    } else if (status) {
        std::printf("%zu failing scenarios saved under %s/ (gupfuzz run FILE replays one)\n", stats.failures.size(),
                    save.c_str());
    }
    return status;
}

// diff: each scenario on Linux 6.1 and 6.12 (core/harness/differential.h);
// the differences in verdict, classified.  Exit 1 when one is a finding.
int diff(const FileOptions& o, bool all) {
    const std::vector<std::string> files = files_or_default("diff", o.files, {"corpus/conformance-6.12"});
    if (files.empty())
        return kBadInput;
    for (harness::Kernel k : {harness::Kernel::v6_12, harness::Kernel::v6_1})
        if (!harness::kernel_available(k)) {
            std::fprintf(stderr, "diff: %s\n", harness::kernel_unavailable_reason(k).c_str());
            return kBadInput;
        }
    std::vector<harness::DiffCell> cells;
    json rows = json::array();
    for (const auto& path : files) {
        const Loaded l = load(path, o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            return kBadInput;
        }
        const harness::DiffCell c = harness::diff_61_612(path, l.scenario);
        cells.push_back(c);
        const auto side = [](const harness::DiffSide& s) {
            return json{{"rc", s.rc},          {"failed", s.failed},   {"known", s.known},
                        {"unexplained", s.unknown}, {"summary", s.summary}, {"kernel", s.tree}};
        };
        json r = {{"file", path}, {"class", harness::diff_class_name(c.cls)}};
        if (!c.reason.empty())
            r["reason"] = c.reason;
        if (c.cls != harness::DiffClass::not_expressible) {
            r["6.12"] = side(c.k612);
            r["6.1"] = side(c.k61);
        }
        rows.push_back(r);
        if (o.json || (c.cls == harness::DiffClass::same && !all))
            continue;
        std::printf("%s: %s", path.c_str(), harness::diff_class_name(c.cls));
        if (c.cls == harness::DiffClass::not_expressible) {
            std::printf(" (%s)\n", c.reason.c_str());
            continue;
        }
        std::printf("\n  6.12: %s\n  6.1:  %s\n", c.k612.summary.c_str(), c.k61.summary.c_str());
        for (const auto& k : c.k61.known)
            std::printf("  known 6.1 behaviour, %s\n", k.c_str());
        if (c.cls == harness::DiffClass::finding)
            std::printf("  %s:\n%s", c.reason.c_str(), (c.k61.unknown.empty() ? c.k612.report : c.k61.report).c_str());
    }
    const harness::DiffTotals t = harness::diff_totals(cells);
    const int status = t.finding ? kFailed : 0;
    if (o.json) {
        print_json({{"command", "diff"},
                    {"status", status},
                    {"totals",
                     {{"scenarios", cells.size()},
                      {"same", t.same},
                      {"known-6.1", t.known_61},
                      {"finding", t.finding},
                      {"both-within-contract", t.both_pass},
                      {"not-expressible", t.not_expressible}}},
                    {"results", rows}});
    } else {
        std::printf("%zu scenarios on Linux 6.1 and 6.12: %d same verdict, %d differ as a known 6.1 behaviour, "
                    "%d findings, %d differ in rc within the contract, %d not expressible on both\n",
                    cells.size(), t.same, t.known_61, t.finding, t.both_pass, t.not_expressible);
    }
    return status;
}

// The yield-point sweep (docs/concurrency.md): every point x every operation the lock rules allow, alone.
int sweep_yields(const FileOptions& o, const harness::YieldSweepOptions& opt) {
    std::vector<std::string> files = o.files;
    if (files.empty())
        for (const char* dir : {"corpus/conformance", "corpus/regressions"})
            if (std::filesystem::is_directory(dir))
                for (const auto& e : std::filesystem::directory_iterator(dir))
                    if (e.path().extension() == ".scn")
                        files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "sweep-yields: no scenarios (run from the repository root, or name files)\n");
        return kBadInput;
    }
    harness::YieldSweepStats stats;
    for (const std::string& f : files) {
        const Loaded l = load(f, o.format);
        if (!l.error.empty()) {
            std::fprintf(stderr, "%s\n", l.error.c_str());
            return kBadInput;
        }
        harness::sweep_yields(f, l.scenario, opt, &stats, {});
    }
    if (o.json) {
        json j;
        j["command"] = "sweep-yields";
        j["scenarios"] = stats.scenarios;
        j["skipped"] = stats.skipped;
        j["clean_runs"] = stats.clean_runs;
        j["runs"] = stats.runs;
        j["idle"] = stats.idle;
        j["refused"] = stats.refused;
        j["cells"] = stats.by_cell.size();
        j["seconds"] = stats.seconds;
        j["known"] = stats.known;
        j["failures"] = json::array();
        for (const auto& fl : stats.failures)
            j["failures"].push_back({{"scenario", fl.name}, {"summary", fl.verdict.summary_line()},
                                     {"text", harness::print_scenario(fl.scenario)}});
        j["status"] = stats.failures.empty() ? 0 : kFailed;
        print_json(j);
    } else {
        std::printf("%s", harness::format_yield_sweep_table(stats).c_str());
        std::size_t n = 0;
        for (const auto& fl : stats.failures)
            if (++n <= 5)
                std::printf("---- from %s\n%s", fl.name.c_str(), fl.verdict.report(fl.scenario).c_str());
    }
    return stats.failures.empty() ? 0 : kFailed;
}

// A count: decimal digits only (no sign, no suffix), within range.
const CLI::Validator kCount(
    [](std::string& in) -> std::string {
        if (in.empty() || in.size() > 18 || !std::all_of(in.begin(), in.end(), [](char c) { return c >= '0' && c <= '9'; }))
            return "'" + in + "' is not a count (decimal digits, at most 18)";
        return "";
    },
    "COUNT");

// The options every subcommand that reads scenario files shares.
void add_file_options(CLI::App* sub, FileOptions* o, bool json, bool files_required) {
    sub->add_option_function<std::string>(
           "--format",
           [o](const std::string& f) { o->format = f == "text" ? Format::text : f == "bytes" ? Format::bytes : Format::automatic; },
           "how FILE is read: auto (NAME.scn is text, any other file is fuzzer bytes), text or bytes; default auto")
        ->check(CLI::IsMember({"auto", "text", "bytes"}));
    if (json)
        sub->add_flag("--json", o->json, "print one JSON document instead of text");
    auto* files = sub->add_option("FILE", o->files, "text scenario (NAME.scn, docs/scenario-format.md) or fuzzer bytes");
    if (files_required)
        files->required();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"gupfuzz: run, show, check, encode and sweep get_user_pages_longterm scenarios"};
    app.require_subcommand(1);
    app.footer(
        "FILE: a name ending in .scn is a text scenario; any other file is fuzzer bytes (what libFuzzer saves), so\n"
        "a saved input replays exactly.  Exit status: 0 all passed, 1 a property failed, 2 bad usage or bad input.");

    FileOptions o;
    bool allow_known = false, quiet = false;
    std::string defect, outdir, save = "out/sweep";
    harness::SweepOptions sweep_opt;

    auto* run_cmd = app.add_subcommand("run", "execute each scenario and print its verdict");
    add_file_options(run_cmd, &o, true, true);
    run_cmd->add_flag("--allow-known", allow_known,
                      "exit 0 when every failure is a known behaviour of the ported kernel");
    run_cmd->add_flag("--quiet", quiet, "one summary line per FILE");
    run_cmd->add_option("--defect", defect, "(gupfuzz-defects only) run against a deliberately broken port");

    auto* show_cmd = app.add_subcommand("show", "print a scenario in words and as canonical text");
    add_file_options(show_cmd, &o, true, true);

    auto* check_cmd = app.add_subcommand("check", "parse and validate only; say how each FILE was read");
    add_file_options(check_cmd, &o, true, true);

    auto* encode_cmd = app.add_subcommand("encode", "write DIR/<name>.bin, the byte form (seed corpora)");
    add_file_options(encode_cmd, &o, false, true);
    encode_cmd->add_option("-o,--output", outdir, "the directory to write to")->required()->check(CLI::ExistingDirectory);

    auto* sweep_cmd = app.add_subcommand(
        "sweep", "fail every allocation site the scenarios pass, alone and in ordered pairs "
                 "(default FILEs: corpus/conformance, corpus/regressions and, when this build runs the 6.12 kernel, "
                 "corpus/conformance-6.12)");
    add_file_options(sweep_cmd, &o, true, false);
    sweep_cmd->add_flag("--no-pairs", [&](std::int64_t) { sweep_opt.pairs = false; }, "single failures only");
    sweep_cmd->add_option("--max-pairs", sweep_opt.max_pairs, "pairs per scenario; the rest are counted as skipped")
        ->check(kCount)
        ->capture_default_str();
    sweep_cmd->add_option("--max-call-pages", sweep_opt.max_call_pages, "larger calls are only run clean")
        ->check(kCount)
        ->capture_default_str();
    sweep_cmd->add_option("--save", save, "where failing scenarios are written")->capture_default_str();
    sweep_cmd->add_option("--defect", defect, "(gupfuzz-defects only) sweep a deliberately broken port");

    bool diff_all = false;
    auto* diff_cmd = app.add_subcommand(
        "diff", "run each scenario on Linux 6.1 and 6.12 and list every difference in verdict, classified: a known "
                "behaviour of 6.1 (the later commit named), a finding, or not expressible on both (default FILEs: "
                "corpus/conformance-6.12); exit 1 when there is a finding");
    add_file_options(diff_cmd, &o, true, false);
    diff_cmd->add_flag("--all", diff_all, "list the scenarios with the same verdict too");
    diff_cmd->add_option("--defect", defect, "(gupfuzz-defects only) with a deliberately broken kernel");

    harness::YieldSweepOptions ysweep_opt;
    auto* ysweep_cmd = app.add_subcommand(
        "sweep-yields", "interleave every operation the lock rules allow at every yield point the v4.15 scenarios "
                        "pass, one at a time (default FILEs: corpus/conformance, corpus/regressions; "
                        "docs/concurrency.md)");
    add_file_options(ysweep_cmd, &o, true, false);
    ysweep_cmd->add_option("--max-passes", ysweep_opt.max_passes, "passes of each yield point tried per scenario")
        ->check(kCount)
        ->capture_default_str();
    ysweep_cmd->add_option("--defect", defect, "(gupfuzz-defects only) sweep a deliberately broken port");

    auto* kernels_cmd = app.add_subcommand("kernels", "print the kernels this build runs (tree, version, sha256)");

    tools::LiveOptions live_opt;
    auto* live_cmd = tools::add_live_subcommand(app, &live_opt);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // --help prints to stdout and exits 0; every parse error is bad usage (2).
        return app.exit(e) == 0 ? 0 : kBadInput;
    }
    if (!select_defect(defect))
        return kBadInput;
    if (*kernels_cmd) {
        std::fputs(harness::kernels_description().c_str(), stdout);
        return 0;
    }
    if (*live_cmd)
        return tools::run_live(live_opt, [](const std::string& path, std::string* error) -> std::optional<harness::Scenario> {
            Loaded l = load(path, Format::automatic);
            if (!l.error.empty()) {
                *error = l.error;
                return std::nullopt;
            }
            return l.scenario;
        });
    if (*run_cmd)
        return run(o, allow_known, quiet);
    if (*show_cmd)
        return inspect(o, true);
    if (*check_cmd)
        return inspect(o, false);
    if (*encode_cmd)
        return encode(o, outdir);
    if (*diff_cmd)
        return diff(o, diff_all);
    if (*ysweep_cmd)
        return sweep_yields(o, ysweep_opt);
    return sweep(o, sweep_opt, save);
}
