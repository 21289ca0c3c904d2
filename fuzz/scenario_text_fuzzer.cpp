// SPDX-License-Identifier: GPL-2.0-only
//
// The text parser must never crash on any bytes, and whatever it accepts must
// print back to canonical text that parses to the same scenario and survives
// the byte round trip.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/harness/bytes.h"
#include "core/harness/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace gupfuzz::harness;
    ParseError err;
    const auto s = parse_scenario(std::string(reinterpret_cast<const char*>(data), size), &err);
    if (!s) {
        if (err.message.empty()) {
            std::fprintf(stderr, "parse failed without an error message\n");
            std::abort();
        }
        return 0;
    }
    const std::string text = print_scenario(*s);
    const auto again = parse_scenario(text, &err);
    const auto bytes = encode_scenario(*s);
    if (!again || !(*again == *s) || print_scenario(*again) != text ||
        !(decode_scenario(bytes.data(), bytes.size()) == *s)) {
        std::fprintf(stderr, "round trip broken for:\n%s", text.c_str());
        std::abort();
    }
    return 0;
}
