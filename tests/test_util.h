// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/harness/executor.h"
#include "core/harness/scenario.h"

namespace gupfuzz::test {

inline harness::Scenario parse_or_die(const std::string& text) {
    harness::ParseError err;
    auto s = harness::parse_scenario(text, &err);
    if (!s)
        ADD_FAILURE() << "scenario does not parse: " << err.to_string() << "\n" << text;
    return s ? *s : harness::Scenario{};
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline std::vector<std::filesystem::path> corpus_files(const std::string& dir) {
    std::vector<std::filesystem::path> out;
    const std::filesystem::path root = std::filesystem::path(GUPFUZZ_SOURCE_DIR) / dir;
    if (std::filesystem::exists(root))
        for (const auto& e : std::filesystem::directory_iterator(root))
            if (e.path().extension() == ".scn")
                out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

inline bool has_failure(const harness::Verdict& v, harness::Property p) {
    for (const auto& f : v.failures)
        if (f.property == p)
            return true;
    return false;
}

// gtest parameter names from scenario file names.
inline std::string file_test_name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
    std::string n = info.param.stem().string();
    for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n;
}

}  // namespace gupfuzz::test
