// SPDX-License-Identifier: GPL-2.0-only
//
// A saved fuzzer input replays exactly (issue 8 item 10): for every byte string
// the fuzzer can save -- here printable ones, which an older CLI misread as
// text whenever they contained "vma " or "call " -- `gupfuzz run --json FILE`
// gives the verdict of the fuzz target's own path, execute(decode_scenario(bytes)).
// The files are named as libFuzzer names them (crash-<n>, no extension).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/harness/bytes.h"
#include "core/harness/executor.h"
#include "tests/test_util.h"
#include "tools/verdict_json.h"

namespace gupfuzz::test {
namespace {

namespace fs = std::filesystem;

// Runs the CLI; returns its stdout and exit status.
std::string run_cli(const std::string& args, int* status) {
    const std::string cmd = std::string(GUPFUZZ_CLI) + " " + args + " 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    if (!p) {
        *status = -1;
        return out;
    }
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
        out.append(buf, n);
    const int rc = pclose(p);
    *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    return out;
}

// Printable inputs a fuzzer could save: random printable characters mixed
// with scenario words (so most contain "vma " or "call "), and the committed
// text scenarios themselves (printable and valid text, yet bytes to the fuzzer).
std::vector<std::string> printable_inputs() {
    static const char* kWords[] = {"vma ", "call ", "config ", "file ", "pre ", "fail ", "fault ", "signal ",
                                   "\n", "0x10000000-0x10004000 ", "anon ", "rw- ", "private", "shared ",
                                   "start=0x10000000 ", "nr=8 ", "flags=WRITE ", "pages=array ", "# ", "=", " "};
    std::vector<std::string> out;
    std::mt19937_64 rng(8);  // fixed: the test is deterministic
    for (int i = 0; i < 400; ++i) {
        std::string s;
        const std::size_t len = 1 + rng() % 200;
        while (s.size() < len) {
            if (rng() % 3 == 0)
                s += kWords[rng() % std::size(kWords)];
            else
                s += static_cast<char>(0x20 + rng() % 95);
        }
        out.push_back(s);
    }
    for (const char* dir : {"corpus/conformance", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& p : corpus_files(dir))
            out.push_back(read_file(p));
    return out;
}

TEST(Replay, SavedPrintableInputsGiveTheFuzzTargetsVerdict) {
    const fs::path dir = fs::temp_directory_path() / ("gupfuzz-replay-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto inputs = printable_inputs();
    std::vector<nlohmann::json> expected;
    std::string args = "run --json";
    std::size_t with_words = 0, also_text = 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const std::string& in = inputs[i];
        with_words += in.find("vma ") != std::string::npos || in.find("call ") != std::string::npos;
        harness::ParseError err;
        also_text += harness::parse_scenario(in, &err).has_value();
        const fs::path f = dir / ("crash-" + std::to_string(i));
        std::ofstream(f, std::ios::binary) << in;
        args += " " + f.string();
        // The fuzz target's path (fuzz/gup_longterm_fuzzer.cpp): decode the bytes, execute.
        const auto* data = reinterpret_cast<const std::uint8_t*>(in.data());
        expected.push_back(tools::verdict_json(harness::execute(harness::decode_scenario(data, in.size()))));
    }
    // The inputs exercise what used to be misread: printable bytes containing the
    // text form's words, and byte strings that are also valid text scenarios.
    EXPECT_GE(with_words, inputs.size() / 2);
    EXPECT_GE(also_text, 50u);

    int status = 0;
    const std::string out = run_cli(args, &status);
    fs::remove_all(dir);
    ASSERT_TRUE(status == 0 || status == 1) << "exit status " << status << "\n" << out.substr(0, 2000);
    const auto doc = nlohmann::json::parse(out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << out.substr(0, 2000);
    ASSERT_EQ(doc["results"].size(), inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& r = doc["results"][i];
        EXPECT_EQ(r.value("format", ""), "bytes") << "input " << i << ":\n" << inputs[i];
        EXPECT_EQ(r["verdict"], expected[i]) << "input " << i << ":\n" << inputs[i];
    }
}

TEST(Replay, TextScenariosAreReadAsText) {
    // NAME.scn is text: the CLI gives execute(parse_scenario(text)).
    const auto files = corpus_files("corpus/conformance");
    ASSERT_FALSE(files.empty());
    std::string args = "run --json";
    std::vector<nlohmann::json> expected;
    for (std::size_t i = 0; i < files.size(); i += 10) {
        args += " " + files[i].string();
        expected.push_back(tools::verdict_json(harness::execute(parse_or_die(read_file(files[i])))));
    }
    int status = 0;
    const auto doc = nlohmann::json::parse(run_cli(args, &status), nullptr, false);
    ASSERT_FALSE(doc.is_discarded());
    ASSERT_EQ(doc["results"].size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(doc["results"][i].value("format", ""), "text");
        EXPECT_EQ(doc["results"][i]["verdict"], expected[i]);
    }
}

}  // namespace
}  // namespace gupfuzz::test
