// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/bytes.h"

#include <algorithm>
#include <climits>
#include <string>

#include "core/harness/normalize.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

enum Tag : std::uint8_t { kConfig, kFile, kVma, kPre, kFail, kFault, kSignal, kStub, kCall, kTagCount };

// The generation: the config varint's bits from 7 up, which no decoder
// before the generations read.  They hold 0x612 for kernel 6.12, 0x601 for
// kernel 6.1, and anything else means v4.15, so every byte string saved
// before the generations existed decodes as it always did unless those bits
// were exactly one of those (a three-byte varint 0x?? 0x92 0x0c or 0x?? 0x81
// 0x0c: about 1 in 65536 random inputs).  With a real kernel the config
// record carries the call's entry point (a byte), its FOLL_* flags (a varint,
// 6.12's values for both) and the generation's settings (a byte: bit 0
// zone_movable) after its other fields.
constexpr unsigned kCfgKernelShift = 7;
constexpr std::uint64_t kCfgKernel612 = 0x612, kCfgKernel601 = 0x601;
Kernel cfg_kernel(std::uint64_t cfg) {
    const std::uint64_t g = cfg >> kCfgKernelShift;
    return g == kCfgKernel612 ? Kernel::v6_12 : g == kCfgKernel601 ? Kernel::v6_1 : Kernel::v4_15;
}
bool cfg_is_612(std::uint64_t cfg) { return is_real_kernel(cfg_kernel(cfg)); }

// Interleavings came after the tag set was fixed: a record of their own
// would renumber every tag (byte % kTagCount).  They are an escape instead:
// the tag byte 0xff followed by 0xa5, then the point (a byte), the pass (a
// varint), the operation (a byte), the address (mode byte + varint, pages,
// relative to a vma like pre-state addresses) and the page count (a varint).
// Only an input holding exactly 0xff 0xa5 where a tag is read decodes
// differently than before (a pre record before): about 1 in 65536 random tags.
constexpr std::uint8_t kEscape = 0xff, kEscapeInterleave = 0xa5;

constexpr unsigned long kMaxPageNumber = (1UL << 52) - 1;  // addresses are page numbers below 2^52
constexpr unsigned long kTaskPages = TASK_SIZE >> PAGE_SHIFT;
const int kCodes[] = {VM_FAULT_SIGBUS, VM_FAULT_HWPOISON, VM_FAULT_SIGSEGV, VM_FAULT_OOM};

struct Reader {
    const std::uint8_t* p;
    std::size_t n;
    std::size_t i = 0;
    bool done() const { return i >= n; }
    bool escape(std::uint8_t second) const { return i + 1 < n && p[i] == kEscape && p[i + 1] == second; }
    std::uint8_t byte() { return i < n ? p[i++] : 0; }
    std::uint64_t varint() {
        std::uint64_t v = 0;
        for (unsigned shift = 0; shift < 64; shift += 7) {
            const std::uint8_t b = byte();
            v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
            if (!(b & 0x80))
                break;
        }
        return v;
    }
};

struct Writer {
    std::vector<std::uint8_t> out;
    void byte(unsigned v) { out.push_back(static_cast<std::uint8_t>(v)); }
    void varint(std::uint64_t v) {
        do {
            std::uint8_t b = v & 0x7f;
            v >>= 7;
            if (v)
                b |= 0x80;
            out.push_back(b);
        } while (v);
    }
};

// An address either absolute or relative to a vma's start (mode = 1 + vma index).
struct RawAddr {
    unsigned mode = 0;
    std::uint64_t value = 0;
};
struct RawVma {
    std::uint64_t gap = 0, len = 0, pgoff = 0;
    unsigned fileref = 0, flags = 0, huge = 0;
};
struct RawPre {
    unsigned kind = 0;
    RawAddr at;
    std::uint64_t pages = 0;
};
struct RawCode {
    RawAddr at;
    unsigned code = 0;
};
struct RawInterleave {
    unsigned point = 0, op = 0;
    std::uint64_t occurrence = 0, pages = 0;
    RawAddr at;
};
struct RawCall {
    RawAddr at;
    std::uint64_t nr = 0;
    unsigned flags = 0;
};

unsigned long resolve(const RawAddr& a, const std::vector<VmaSpec>& vmas, bool page_units) {
    const unsigned long v = page_units ? ((a.value & kMaxPageNumber) << PAGE_SHIFT) : a.value;
    if (a.mode == 0 || vmas.empty())
        return v;
    const VmaSpec& base = vmas[(a.mode - 1) % vmas.size()];
    return base.start + (page_units ? ((a.value & ((1UL << 40) - 1)) << PAGE_SHIFT) : a.value);
}

RawAddr relative(unsigned long addr, const std::vector<VmaSpec>& vmas, bool page_units) {
    for (std::size_t k = 0; k < vmas.size(); ++k)
        if (addr >= vmas[k].start && addr < vmas[k].end)
            return {static_cast<unsigned>(k + 1), page_units ? (addr - vmas[k].start) >> PAGE_SHIFT : addr - vmas[k].start};
    return {0, page_units ? addr >> PAGE_SHIFT : addr};
}

void write_addr(Writer& w, const RawAddr& a) {
    w.byte(a.mode);
    w.varint(a.value);
}

RawAddr read_addr(Reader& r) {
    RawAddr a;
    a.mode = r.byte();
    a.value = r.varint();
    return a;
}

}  // namespace

Scenario decode_scenario(const std::uint8_t* data, std::size_t size) {
    Reader r{data, size};
    std::uint64_t cfg = 0, pool = 0, memlock = MLOCK_LIMIT, flags612 = 0;
    unsigned entry612 = 0, cfg612 = 0;
    struct RawFile {
        unsigned kind, live;
        std::uint64_t size, align;
    };
    std::vector<RawFile> files;
    std::vector<RawVma> vmas;
    std::vector<RawPre> pre;
    std::vector<std::pair<unsigned, std::uint64_t>> fails;
    std::vector<RawCode> codes;
    std::uint64_t signal = 0;
    bool have_stub = false, have_call = false;
    std::uint64_t stub = 0;
    RawCall call;

    std::vector<RawInterleave> interleaves;

    while (!r.done()) {
        if (r.escape(kEscapeInterleave)) {
            r.i += 2;
            RawInterleave il;
            il.point = r.byte();
            il.occurrence = r.varint();
            il.op = r.byte();
            il.at = read_addr(r);
            il.pages = r.varint();
            if (interleaves.size() < kMaxInterleaves)
                interleaves.push_back(il);
            continue;
        }
        switch (r.byte() % kTagCount) {
        case kConfig:
            cfg = r.varint();
            pool = r.varint();
            if (cfg & 64)
                memlock = r.varint();  // RLIMIT_MEMLOCK, only when not the default
            if (cfg_is_612(cfg)) {  // the 6.12 call: its entry point and FOLL_* flags; 6.12 settings
                entry612 = r.byte();
                flags612 = r.varint();
                cfg612 = r.byte();
            }
            break;
        case kFile: {
            RawFile f;
            f.kind = r.byte();
            f.size = r.varint();
            f.align = r.varint();
            f.live = r.byte();
            if (files.size() < kMaxFiles)
                files.push_back(f);
            break;
        }
        case kVma: {
            RawVma v;
            v.gap = r.varint();
            v.len = r.varint();
            v.fileref = r.byte();
            v.flags = r.byte();
            v.huge = r.byte();
            v.pgoff = r.varint();
            if (vmas.size() < kMaxVmas)
                vmas.push_back(v);
            break;
        }
        case kPre: {
            RawPre p;
            p.kind = r.byte();
            p.at = read_addr(r);
            p.pages = r.varint();
            if (pre.size() < kMaxPreOps)
                pre.push_back(p);
            break;
        }
        case kFail: {
            const unsigned site = r.byte();
            const std::uint64_t occ = r.varint();
            if (fails.size() + codes.size() < kMaxFaults)
                fails.emplace_back(site, occ);
            break;
        }
        case kFault: {
            RawCode c;
            c.at = read_addr(r);
            c.code = r.byte();
            if (fails.size() + codes.size() < kMaxFaults)
                codes.push_back(c);
            break;
        }
        case kSignal:
            signal = r.varint();
            break;
        case kStub:
            stub = r.varint();
            have_stub = true;
            break;
        case kCall:
            call.at = read_addr(r);
            call.nr = r.varint();
            call.flags = r.byte();
            have_call = true;
            break;
        }
    }

    // The records become fields (enumerations by remainder, addresses
    // resolved against the layout as repaired so far); every validity rule is
    // then normalize()'s (core/harness/normalize.h), applied in the order the
    // layout is built: files, each vma after the repaired one before it, the rest.
    Scenario s;
    s.kernel = cfg_kernel(cfg);
    s.config.fs_dax = !(cfg & 1);
    const unsigned thp = (cfg >> 1) & 3;
    s.config.thp = thp == 1 ? ThpMode::madvise : thp == 2 ? ThpMode::never : ThpMode::always;
    s.config.gate = !(cfg & 8);
    s.config.pmd_loop_fix = cfg & 16;
    s.config.fsdax_ischr_fix = cfg & 32;
    s.config.rlimit_memlock = memlock;
    s.config.zone_movable = is_real_kernel(s.kernel) && (cfg612 & 1);
    s.hugetlb_pool = pool;

    for (const RawFile& rf : files) {
        FileSpec f;
        f.kind = static_cast<FileKind>(rf.kind % 6);
        f.size_pages = rf.size;
        f.align_pages = f.kind == FileKind::devdax ? rf.align : 1;
        f.pgmap_live = !(rf.live & 1);
        s.files.push_back(f);
    }
    normalize_config_and_files(s);

    unsigned long prev_end = 0;
    for (const RawVma& rv : vmas) {
        VmaSpec v;
        const unsigned long gap = rv.gap > kTaskPages ? rv.gap % kTaskPages : rv.gap;
        const unsigned long len = rv.len > kTaskPages ? rv.len % kTaskPages : rv.len;
        v.start = prev_end + (gap << PAGE_SHIFT);
        v.end = v.start + (len << PAGE_SHIFT);
        v.file = (rv.fileref == 0 || rv.fileref > s.files.size()) ? -1 : static_cast<int>(rv.fileref) - 1;
        v.read = rv.flags & 1;
        v.write = rv.flags & 2;
        v.exec = rv.flags & 4;
        v.shared = rv.flags & 8;
        v.growsdown = rv.flags & 16;
        v.locked = rv.flags & 32;
        v.maywrite = !(rv.flags & 64);
        v.pfnmap = rv.flags & 128;
        v.huge = rv.huge == 1 ? 1 : rv.huge == 2 ? -1 : rv.huge == 0 ? 0 : static_cast<int>(rv.huge % 3) - 1;
        v.pgoff = rv.pgoff;
        const VmaFate fate = normalize_next_vma(s, v);
        if (fate == VmaFate::stop)
            break;
        if (fate == VmaFate::drop)
            continue;
        s.vmas.push_back(v);
        prev_end = v.end;
    }

    for (const RawPre& rp : pre) {
        PreOp p;
        p.kind = static_cast<PreKind>(rp.kind % static_cast<unsigned>(PreKind::COUNT));
        p.addr = resolve(rp.at, s.vmas, true);
        p.pages = rp.pages;
        s.pre.push_back(p);
    }

    for (const auto& [site, occ] : fails)
        s.plan.failures.push_back({site_from_byte(s.kernel, site),
                                   static_cast<unsigned>(occ > UINT_MAX ? occ % (UINT_MAX + 1UL) : occ)});
    for (const RawCode& rc : codes)
        s.plan.codes.push_back({resolve(rc.at, s.vmas, true), kCodes[rc.code % 4]});
    s.plan.signal_at_check = static_cast<unsigned>(signal);
    if (have_stub)
        s.plan.gup_rc_stub = static_cast<long>(0UL - stub);  // the negated magnitude

    for (const RawInterleave& ri : interleaves)
        s.plan.interleaves.push_back({static_cast<YieldPoint>(ri.point % kYieldPointCount),
                                      static_cast<unsigned>(ri.occurrence > UINT_MAX ? ri.occurrence % (UINT_MAX + 1UL)
                                                                                     : ri.occurrence),
                                      static_cast<MmOp>(ri.op % kMmOpCount), resolve(ri.at, s.vmas, true),
                                      static_cast<unsigned long>(ri.pages)});

    if (have_call) {
        s.call.start = resolve(call.at, s.vmas, false);
        const bool large = call.flags & 16;
        s.call.nr_pages = large ? call.nr : call.nr % (kFuzzCallPages + 1);
        s.call.gup_flags = ((call.flags & 1) ? FOLL_WRITE : 0) | ((call.flags & 2) ? FOLL_FORCE : 0) |
                           ((call.flags & 4) ? FOLL_NOWAIT : 0) | ((call.flags & 8) ? FOLL_HWPOISON : 0);
        s.call.pages = !(call.flags & 32);
        s.call.vmas = call.flags & 64;
        s.call.sem = (call.flags & 128) ? SemMode::write : SemMode::read;
        if (is_real_kernel(s.kernel))  // the flags of the config record (bits 0-3 above are v4.15's)
            s.call.gup_flags = static_cast<unsigned>(flags612 & 0xffffffffu);
    } else {
        s.call.start = s.vmas.empty() ? kUserLow : s.vmas[0].start;
        s.call.nr_pages = 1;
        if (is_real_kernel(s.kernel))
            s.call.gup_flags = static_cast<unsigned>(flags612 & 0xffffffffu);
    }
    if (is_real_kernel(s.kernel))
        s.call.entry = static_cast<k612::Call>(entry612 % kEntryCount612);
    return normalize(std::move(s));
}

std::vector<std::uint8_t> encode_scenario(const Scenario& s) {
    Writer w;
    w.byte(kConfig);
    const unsigned thp = s.config.thp == ThpMode::madvise ? 1 : s.config.thp == ThpMode::never ? 2 : 0;
    const bool k612 = is_real_kernel(s.kernel);
    w.varint((s.config.fs_dax ? 0 : 1) | (thp << 1) | (s.config.gate ? 0 : 8) | (s.config.pmd_loop_fix ? 16 : 0) |
             (s.config.fsdax_ischr_fix ? 32 : 0) | (s.config.rlimit_memlock != MLOCK_LIMIT ? 64 : 0) |
             (s.kernel == Kernel::v6_12 ? kCfgKernel612 << kCfgKernelShift
              : s.kernel == Kernel::v6_1 ? kCfgKernel601 << kCfgKernelShift : 0));
    w.varint(s.hugetlb_pool);
    if (s.config.rlimit_memlock != MLOCK_LIMIT)
        w.varint(s.config.rlimit_memlock);
    if (k612) {
        w.byte(static_cast<unsigned>(s.call.entry));
        w.varint(s.call.gup_flags);
        w.byte(s.config.zone_movable ? 1 : 0);
    }
    for (const FileSpec& f : s.files) {
        w.byte(kFile);
        w.byte(static_cast<unsigned>(f.kind));
        w.varint(f.size_pages);
        w.varint(f.align_pages);
        w.byte(f.pgmap_live ? 0 : 1);
    }
    unsigned long prev_end = 0;
    for (const VmaSpec& v : s.vmas) {
        w.byte(kVma);
        w.varint((v.start - prev_end) >> PAGE_SHIFT);
        w.varint((v.end - v.start) >> PAGE_SHIFT);
        w.byte(static_cast<unsigned>(v.file + 1));
        w.byte((v.read ? 1 : 0) | (v.write ? 2 : 0) | (v.exec ? 4 : 0) | (v.shared ? 8 : 0) | (v.growsdown ? 16 : 0) |
               (v.locked ? 32 : 0) | (v.maywrite ? 0 : 64) | (v.pfnmap ? 128 : 0));
        w.byte(v.huge > 0 ? 1 : v.huge < 0 ? 2 : 0);
        w.varint(v.pgoff);
        prev_end = v.end;
    }
    for (const PreOp& p : s.pre) {
        w.byte(kPre);
        w.byte(static_cast<unsigned>(p.kind));
        write_addr(w, relative(p.addr, s.vmas, true));
        w.varint(p.pages);
    }
    for (const auto& f : s.plan.failures) {
        w.byte(kFail);
        w.byte(site_to_byte(s.kernel, f.site));
        w.varint(f.occurrence);
    }
    for (const auto& c : s.plan.codes) {
        w.byte(kFault);
        write_addr(w, relative(c.addr, s.vmas, true));
        w.byte(static_cast<unsigned>(std::find(std::begin(kCodes), std::end(kCodes), c.code) - std::begin(kCodes)));
    }
    if (s.plan.signal_at_check) {
        w.byte(kSignal);
        w.varint(s.plan.signal_at_check);
    }
    if (s.plan.gup_rc_stub) {
        w.byte(kStub);
        w.varint(static_cast<std::uint64_t>(-*s.plan.gup_rc_stub));
    }
    for (const auto& il : s.plan.interleaves) {
        w.byte(kEscape);
        w.byte(kEscapeInterleave);
        w.byte(static_cast<unsigned>(il.point));
        w.varint(il.occurrence);
        w.byte(static_cast<unsigned>(il.op));
        write_addr(w, relative(il.addr, s.vmas, true));
        w.varint(il.pages);
    }
    w.byte(kCall);
    write_addr(w, relative(s.call.start, s.vmas, false));
    w.varint(s.call.nr_pages);
    const unsigned f = k612 ? 0 : s.call.gup_flags;  // 6.12's flags are in the config record
    w.byte(((f & FOLL_WRITE) ? 1 : 0) | ((f & FOLL_FORCE) ? 2 : 0) | ((f & FOLL_NOWAIT) ? 4 : 0) |
           ((f & FOLL_HWPOISON) ? 8 : 0) | (s.call.nr_pages > kFuzzCallPages ? 16 : 0) | (s.call.pages ? 0 : 32) |
           (s.call.vmas ? 64 : 0) | (s.call.sem == SemMode::write ? 128 : 0));
    return w.out;
}

}  // namespace gupfuzz::harness
