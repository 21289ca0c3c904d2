// SPDX-License-Identifier: GPL-2.0-only
//
// The differential mode's layouts: a buildable `kernel 6.12` scenario from
// bytes (core/live/live.h).  Only what an unprivileged process builds for
// real: anonymous private memory, memfd (shmem) and disk-filesystem files,
// protections, MAP_SHARED/PRIVATE, locked/hugepage attributes, touches; the
// call is one a host caller makes (io_uring registration, O_DIRECT,
// process_vm_*).  The result goes through the one normalizer.
#include <cstdint>

#include "core/harness/normalize.h"
#include "core/live/live.h"

namespace gupfuzz::live {

namespace {

constexpr unsigned long kPage = 4096, kHuge = 2UL << 20;
constexpr unsigned long kBase = 0x10000000;  // 2 MiB (and 256 MiB) aligned

// Reads bytes in order; 0 once they are used up (every string is a case).
struct Bytes {
    const std::uint8_t* d;
    std::size_t n, i = 0;
    unsigned byte() { return i < n ? d[i++] : 0; }
    unsigned below(unsigned k) { return k ? byte() % k : 0; }
    bool chance(unsigned in256) { return byte() < in256; }
};

}  // namespace

harness::Scenario generate(const std::uint8_t* data, std::size_t size) {
    Bytes b{data, size};
    harness::Scenario s;
    s.kernel = harness::Kernel::v6_12;
    s.config.thp = static_cast<kernel::ThpMode>(b.below(3));

    const unsigned nfiles = b.below(3);
    for (unsigned i = 0; i < nfiles; ++i) {
        harness::FileSpec f;
        f.kind = b.chance(128) ? kernel::FileKind::shmem : kernel::FileKind::regular;
        f.size_pages = 1 + b.below(24);
        s.files.push_back(f);
    }

    // Vmas one after the other from kBase, with small holes.
    unsigned long at = kBase;
    const unsigned nvmas = 1 + b.below(4);
    for (unsigned i = 0; i < nvmas; ++i) {
        harness::VmaSpec v;
        if (i > 0 && b.chance(64))
            at += (1 + b.below(3)) * kPage;  // a hole
        const bool anon = s.files.empty() || b.chance(112);
        unsigned long pages = 1 + b.below(12);
        if (anon && b.chance(24)) {  // room for a THP
            at = (at + kHuge - 1) & ~(kHuge - 1);
            pages = 512 + b.below(3) * 256;
        }
        v.start = at;
        v.end = at + pages * kPage;
        at = v.end;
        static const char* prots[] = {"rw-", "rw-", "rw-", "r--", "r--", "---", "r-x", "rwx"};
        const char* prot = prots[b.below(8)];
        v.read = prot[0] == 'r';
        v.write = prot[1] == 'w';
        v.exec = prot[2] == 'x';
        if (!anon) {
            v.file = static_cast<int>(b.below(static_cast<unsigned>(s.files.size())));
            v.shared = b.chance(140);
            const unsigned long fsize = s.files[static_cast<std::size_t>(v.file)].size_pages;
            v.pgoff = b.chance(200) ? b.below(static_cast<unsigned>(fsize)) : fsize + b.below(4);  // sometimes past EOF
            if (v.shared && !v.write && b.chance(48))
                v.maywrite = false;
        } else if (b.chance(12)) {
            v.growsdown = true;
        }
        if (b.chance(16))
            v.locked = true;
        if (b.chance(40))
            v.huge = b.chance(128) ? 1 : -1;
        s.vmas.push_back(v);
    }
    const unsigned long lo = s.vmas.front().start, hi = s.vmas.back().end;
    const unsigned long span_pages = (hi - lo) / kPage;

    // The task's touches.
    const unsigned npre = b.below(5);
    for (unsigned i = 0; i < npre; ++i) {
        harness::PreOp op;
        const unsigned k = b.below(8);
        op.kind = k < 4 ? harness::PreKind::touch_write : k < 7 ? harness::PreKind::touch_read : harness::PreKind::cowshare;
        op.addr = lo + b.below(static_cast<unsigned>(std::min<unsigned long>(span_pages, 255))) * kPage;
        if (span_pages > 255 && b.chance(64))
            op.addr = lo + (static_cast<unsigned long>(b.byte()) << 8 | b.byte()) % span_pages * kPage;
        op.pages = 1 + b.below(8);
        if (b.chance(16))
            op.pages = 512;
        if (op.kind == harness::PreKind::cowshare)
            op.pages = 1;
        s.pre.push_back(op);
    }

    // The call, as a host caller makes it.
    harness::Call& c = s.call;
    switch (b.below(6)) {
        case 0:
        case 1:  // io_uring buffer registration
            c.entry = b.chance(200) ? k612::Call::pin_user_pages_fast : k612::Call::pin_user_pages;
            c.gup_flags = k612::foll::WRITE | k612::foll::LONGTERM;
            break;
        case 2: c.entry = k612::Call::pin_user_pages_fast; c.gup_flags = k612::foll::WRITE; break;  // O_DIRECT read
        case 3: c.entry = k612::Call::pin_user_pages_fast; c.gup_flags = 0; break;                  // O_DIRECT write
        case 4: c.entry = k612::Call::pin_user_pages_remote; c.gup_flags = k612::foll::WRITE; break;
        default: c.entry = k612::Call::pin_user_pages_remote; c.gup_flags = 0; break;
    }
    const unsigned long first = b.chance(16) ? lo - kPage * (1 + b.below(2))
                                             : lo + (span_pages > 1 ? b.below(static_cast<unsigned>(
                                                                              std::min<unsigned long>(span_pages, 256))) * kPage
                                                                    : 0);
    c.start = first;
    const unsigned long left = (hi - std::min(first, hi)) / kPage;
    c.nr_pages = 1 + b.below(static_cast<unsigned>(std::min<unsigned long>(left + 2, 1024)));
    if (c.gup_flags & k612::foll::LONGTERM && b.chance(16))
        c.start += 8 * (1 + b.below(255));  // io_uring takes an unaligned buffer
    c.pages = true;
    s = harness::normalize(s);
    // A fork shares a THP whole; the host shares one page (live::plan).
    for (auto& op : s.pre)
        if (op.kind == harness::PreKind::cowshare && may_map_thp(s, op.addr))
            op.kind = harness::PreKind::touch_write;
    return s;
}

harness::Scenario generate_case(std::uint64_t seed, std::uint64_t index) {
    // splitmix64 over (seed, index): case `index` does not depend on the cases before it.
    std::uint64_t x = seed ^ (index * 0x9E3779B97F4A7C15ULL);
    std::uint8_t bytes[96];
    for (std::size_t i = 0; i < sizeof bytes; i += 8) {
        x += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        z ^= z >> 31;
        for (std::size_t k = 0; k < 8; ++k)
            bytes[i + k] = static_cast<std::uint8_t>(z >> (8 * k));
    }
    return generate(bytes, sizeof bytes);
}

}  // namespace gupfuzz::live
