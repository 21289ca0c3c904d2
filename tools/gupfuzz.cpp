// SPDX-License-Identifier: GPL-2.0-only
//
// gupfuzz: run, show, check and convert scenarios.  FILE is a text scenario
// or fuzzer bytes (any file libFuzzer saved); both are accepted everywhere.
//   gupfuzz run FILE...              execute each scenario and print its verdict
//   gupfuzz show FILE...             print a scenario in words and as canonical text
//   gupfuzz check FILE...            parse and validate only
//   gupfuzz encode -o DIR FILE...    write DIR/<name>.bin, the byte form (seed corpora)
//   gupfuzz sweep [--no-pairs] [--max-pairs N] [--save DIR] [FILE...]
//                                    fail every allocation site the scenarios pass, alone and in
//                                    ordered pairs (default: corpus/conformance and corpus/regressions)
// Exit status: 0 all passed, 1 a property failed, 2 bad usage or bad input.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <filesystem>

#include "core/gup/entry.h"
#include "core/harness/bytes.h"
#include "core/harness/executor.h"
#include "core/harness/sweep.h"
#include "core/harness/scenario.h"

using namespace gupfuzz;

namespace {

int usage() {
    std::fprintf(stderr,
                 "usage: gupfuzz run [--allow-known] [--defect NAME] [--quiet] FILE...\n"
                 "       gupfuzz show FILE...\n"
                 "       gupfuzz check FILE...\n"
                 "       gupfuzz encode -o DIR FILE...\n"
                 "       gupfuzz sweep [--no-pairs] [--max-pairs N] [--max-call-pages N] [--save DIR] [--defect NAME] [FILE...]\n"
                 "FILE is a text scenario (docs/scenario-format.md) or fuzzer bytes.\n"
                 "--allow-known  exit 0 when every failure is a known behaviour of the ported kernel\n"
                 "--defect NAME  (gupfuzz-defects only) run against a deliberately broken port\n");
    return 2;
}

bool load(const std::string& path, harness::Scenario* s, bool* was_text) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "%s: cannot open\n", path.c_str());
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string content = ss.str();
    if (content.size() > (1u << 20)) {
        std::fprintf(stderr, "%s: larger than 1 MiB; not a scenario\n", path.c_str());
        return false;
    }
    harness::ParseError err;
    if (!harness::load_any(std::vector<std::uint8_t>(content.begin(), content.end()), s, was_text, &err)) {
        std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), err.line, err.message.c_str());
        return false;
    }
    return true;
}

}  // namespace

int sweep(const std::vector<std::string>& given, const harness::SweepOptions& opt, const std::string& save) {
    std::vector<std::string> files = given;
    if (files.empty())
        for (const char* dir : {"corpus/conformance", "corpus/regressions"})
            if (std::filesystem::is_directory(dir))
                for (const auto& e : std::filesystem::directory_iterator(dir))
                    if (e.path().extension() == ".scn")
                        files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::fprintf(stderr, "sweep: no scenarios (run from the repository root, or name files)\n");
        return 2;
    }
    harness::SweepStats stats;
    std::size_t runs_shown = 0;
    for (std::size_t i = 0; i < files.size(); ++i) {
        harness::Scenario s;
        bool was_text = false;
        if (!load(files[i], &s, &was_text))
            return 2;
        harness::sweep_scenario(files[i], s, opt, &stats, [&](const harness::SweepStats& st) {
            const std::size_t runs = st.clean_runs + st.single_runs + st.pair_runs;
            if (runs - runs_shown >= 250) {
                runs_shown = runs;
                std::fprintf(stderr, "\rsweep: scenario %zu/%zu, %zu runs, %zu failures   ", i + 1, files.size(), runs,
                             st.failures.size());
            }
        });
    }
    std::fprintf(stderr, "\r%60s\r", "");
    std::printf("%s", harness::format_sweep_table(stats).c_str());
    if (!stats.failures.empty()) {
        std::filesystem::create_directories(save);
        std::size_t n = 0;
        for (const auto& f : stats.failures) {
            const std::string out = (std::filesystem::path(save) /
                                     (std::filesystem::path(f.name).stem().string() + "-" + std::to_string(++n) + ".scn"))
                                        .string();
            std::ofstream o(out);
            o << "# sweep failure from " << f.name << ": " << f.verdict.summary_line() << "\n";
            std::istringstream rep(f.verdict.report(f.scenario));
            for (std::string line; std::getline(rep, line);)
                if (line.rfind("FAILED", 0) == 0)
                    o << "# " << line << "\n";
            o << harness::print_scenario(f.scenario);
            if (n <= 5)
                std::printf("---- %s\n%s", out.c_str(), f.verdict.report(f.scenario).c_str());
        }
        std::printf("%zu failing scenarios saved under %s/ (gupfuzz run FILE replays one)\n", stats.failures.size(),
                    save.c_str());
        return 1;
    }
    return 0;
}

int main(int argc, char** argv) {
    if (argc < 2)
        return usage();
    const std::string cmd = argv[1];
    bool allow_known = false, quiet = false;
    harness::SweepOptions sweep_opt;
    std::string save = "out/sweep";
    std::string outdir;
    std::vector<std::string> files;
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--allow-known") {
            allow_known = true;
        } else if (a == "--quiet") {
            quiet = true;
        } else if (a == "--defect" && i + 1 < argc) {
            port::Defect d;
            if (!port::defects_compiled_in()) {
                std::fprintf(stderr, "--defect needs the gupfuzz-defects binary\n");
                return 2;
            }
            if (!port::defect_from_name(argv[++i], &d)) {
                std::fprintf(stderr, "unknown defect '%s'\n", argv[i]);
                return 2;
            }
            port::set_active_defect(d);
        } else if (a == "-o" && i + 1 < argc) {
            outdir = argv[++i];
        } else if (a == "--no-pairs") {
            sweep_opt.pairs = false;
        } else if (a == "--max-pairs" && i + 1 < argc) {
            sweep_opt.max_pairs = std::strtoul(argv[++i], nullptr, 10);
        } else if (a == "--max-call-pages" && i + 1 < argc) {
            sweep_opt.max_call_pages = std::strtoul(argv[++i], nullptr, 10);
        } else if (a == "--save" && i + 1 < argc) {
            save = argv[++i];
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            files.push_back(a);
        }
    }
    if (cmd == "sweep")
        return sweep(files, sweep_opt, save);
    if (files.empty())
        return usage();

    int status = 0;
    for (const auto& path : files) {
        harness::Scenario s;
        bool was_text = false;
        if (!load(path, &s, &was_text)) {
            status = 2;
            continue;
        }
        if (cmd == "check") {
            std::printf("%s: ok (%s)\n", path.c_str(), was_text ? "text" : "bytes");
        } else if (cmd == "show") {
            std::printf("== %s (%s)\n%s-- canonical text:\n%s", path.c_str(), was_text ? "text" : "bytes",
                        harness::describe_layout(s).c_str(), harness::print_scenario(s).c_str());
        } else if (cmd == "encode") {
            if (outdir.empty())
                return usage();
            const auto bytes = harness::encode_scenario(s);
            const std::string out = (std::filesystem::path(outdir) / std::filesystem::path(path).stem()).string() + ".bin";
            std::ofstream o(out, std::ios::binary);
            o.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
            if (!o) {
                std::fprintf(stderr, "%s: cannot write\n", out.c_str());
                status = 2;
            }
        } else if (cmd == "run") {
            harness::Verdict v = harness::execute(s);
            if (quiet)
                std::printf("%s: %s\n", path.c_str(), v.summary_line().c_str());
            else
                std::printf("== %s\n%s", path.c_str(), v.report(s).c_str());
            const bool ok = allow_known ? v.passed_ignoring_known() : v.passed();
            if (!ok && status == 0)
                status = 1;
        } else {
            return usage();
        }
    }
    return status;
}
