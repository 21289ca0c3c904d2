// SPDX-License-Identifier: GPL-2.0-only
//
// gupfuzz: run, show and check scenarios.
//   gupfuzz run FILE...     execute each scenario and print its verdict
//   gupfuzz show FILE...    print a scenario in words (and in canonical text)
//   gupfuzz check FILE...   parse and validate only
// Exit status: 0 all passed, 1 a property failed, 2 bad usage or bad input.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "core/gup/gup.h"
#include "core/harness/executor.h"
#include "core/harness/scenario.h"

using namespace gupfuzz;

namespace {

int usage() {
    std::fprintf(stderr,
                 "usage: gupfuzz run [--allow-known] [--defect NAME] [--quiet] FILE...\n"
                 "       gupfuzz show FILE...\n"
                 "       gupfuzz check FILE...\n"
                 "FILE is a text scenario (docs/scenario-format.md).\n"
                 "--allow-known  exit 0 when every failure is a known behaviour of the ported kernel\n"
                 "--defect NAME  (gupfuzz-defects only) run against a deliberately broken port\n");
    return 2;
}

bool load(const std::string& path, harness::Scenario* s) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "%s: cannot open\n", path.c_str());
        return false;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    harness::ParseError err;
    auto parsed = harness::parse_scenario(ss.str(), &err);
    if (!parsed) {
        std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), err.line, err.message.c_str());
        return false;
    }
    *s = *parsed;
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3)
        return usage();
    const std::string cmd = argv[1];
    bool allow_known = false, quiet = false;
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
        } else if (!a.empty() && a[0] == '-') {
            return usage();
        } else {
            files.push_back(a);
        }
    }
    if (files.empty())
        return usage();

    int status = 0;
    for (const auto& path : files) {
        harness::Scenario s;
        if (!load(path, &s)) {
            status = 2;
            continue;
        }
        if (cmd == "check") {
            std::printf("%s: ok\n", path.c_str());
        } else if (cmd == "show") {
            std::printf("== %s\n%s-- canonical text:\n%s", path.c_str(), harness::describe_layout(s).c_str(),
                        harness::print_scenario(s).c_str());
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
