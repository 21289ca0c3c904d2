// SPDX-License-Identifier: GPL-2.0-only
// The benchmark baseline: an empty libFuzzer target built with the same flags.
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    volatile std::size_t sink = size ? data[0] : 0;
    (void)sink;
    return 0;
}
