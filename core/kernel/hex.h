// SPDX-License-Identifier: GPL-2.0-only
// Addresses and pfns in reports are written the kernel's way: 0x-prefixed hex.
#pragma once

#include <cstdio>
#include <string>

namespace gupfuzz::kernel {

inline std::string hex(unsigned long v) {
    char b[32];
    std::snprintf(b, sizeof b, "%#lx", v);
    return b;
}

}  // namespace gupfuzz::kernel
