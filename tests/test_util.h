// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <set>
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

// The `# expect: rc=VALUE pass|known|fail [Pn ...]` header of a conformance scenario.
struct Expectation {
    long rc = 0;
    std::string verdict;               // pass | known | fail
    std::set<std::string> properties;  // for known/fail
};

inline long parse_rc(const std::string& v) {
    static const std::pair<const char*, long> names[] = {
        {"-EFAULT", -EFAULT},   {"-ENOMEM", -ENOMEM},           {"-EINVAL", -EINVAL},
        {"-EOPNOTSUPP", -EOPNOTSUPP}, {"-ERESTARTSYS", -ERESTARTSYS}, {"-EHWPOISON", -EHWPOISON},
        {"-EBUSY", -EBUSY},     {"-EPERM", -EPERM},             {"-EINTR", -EINTR},
        {"-EEXIST", -EEXIST},   {"-EOVERFLOW", -EOVERFLOW},     {"-EAGAIN", -EAGAIN}};
    for (const auto& [n, val] : names)
        if (v == n)
            return val;
    return std::stol(v, nullptr, 0);
}

inline bool parse_expectation(const std::string& text, Expectation* e) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find("# expect:");
        if (at == std::string::npos)
            continue;
        std::istringstream ls(line.substr(at + 9));
        std::string tok;
        ls >> tok;
        if (tok.rfind("rc=", 0) != 0)
            return false;
        e->rc = parse_rc(tok.substr(3));
        if (!(ls >> e->verdict))
            return false;
        while (ls >> tok)
            e->properties.insert(tok);
        return e->verdict == "pass" || e->verdict == "known" || e->verdict == "fail" || e->verdict == "gap";
    }
    return false;
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
