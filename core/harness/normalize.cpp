// SPDX-License-Identifier: GPL-2.0-only
//
// Every validity rule of a Scenario, once: a predicate, the message the text
// form reports, and the repair the byte decoder applies.  Rules of one item
// are checked and repaired in table order; a repair never breaks a rule
// earlier in its table, so one pass makes an item valid, and a valid item is
// never touched (each repair runs only when its predicate fails).
#include "core/harness/normalize.h"

#include <algorithm>
#include <climits>
#include <iterator>

#include "core/kernel/hex.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

constexpr unsigned long kDevdaxAligns[] = {1, HPAGE_PMD_NR, HPAGE_PUD_NR};
constexpr unsigned kMaxOccurrence = 100000;
constexpr unsigned kMaxSignalCheck = 1000000;
constexpr long kMaxErrno = 4095;
const int kKnownCodes[] = {VM_FAULT_SIGBUS, VM_FAULT_HWPOISON, VM_FAULT_SIGSEGV, VM_FAULT_OOM};

// Out-of-range values wrap into range; in-range values stay.
unsigned long wrap0(unsigned long v, unsigned long max) { return v > max ? v % (max + 1) : v; }  // 0..max
unsigned long wrap1(unsigned long v, unsigned long max) { return v == 0 || v > max ? 1 + v % max : v; }  // 1..max
unsigned long round_up(unsigned long v, unsigned long a) { return (v + a - 1) / a * a; }

// One rule of an item of type Item, checked in context Ctx.
template <class Ctx, class Item>
struct Rule {
    bool (*ok)(const Ctx&, const Item&);
    std::string (*why)(const Ctx&, const Item&);
    VmaFate (*fix)(const Ctx&, Item&);  // repairs the item (keep), or leaves it out (drop, stop)
};

template <class Ctx, class Item, std::size_t N>
std::string first_broken(const Rule<Ctx, Item> (&rules)[N], const Ctx& c, const Item& it) {
    for (const auto& r : rules)
        if (!r.ok(c, it))
            return r.why(c, it);
    return "";
}

template <class Ctx, class Item, std::size_t N>
VmaFate repair(const Rule<Ctx, Item> (&rules)[N], const Ctx& c, Item& it) {
    for (const auto& r : rules)
        if (!r.ok(c, it))
            if (const VmaFate f = r.fix(c, it); f != VmaFate::keep)
                return f;
    return VmaFate::keep;
}

constexpr VmaFate keep = VmaFate::keep;

// ---- files ----
const Rule<KernelConfig, FileSpec> kFileRules[] = {
    {[](const KernelConfig&, const FileSpec& f) { return f.kind <= FileKind::mmio; },
     [](const KernelConfig&, const FileSpec&) { return std::string("unknown file kind"); },
     [](const KernelConfig&, FileSpec& f) {
         f.kind = static_cast<FileKind>(static_cast<unsigned>(f.kind) % (static_cast<unsigned>(FileKind::mmio) + 1));
         return keep;
     }},
    {[](const KernelConfig& c, const FileSpec& f) { return file_kind_exists(c, f.kind); },
     [](const KernelConfig&, const FileSpec&) {
         return std::string("filesystem-DAX does not exist with CONFIG_FS_DAX=n (S_DAX is 0, so IS_DAX() is false "
                            "for every inode: include/linux/fs.h v4.15); use a regular file");
     },
     [](const KernelConfig&, FileSpec& f) {
         f.kind = FileKind::regular;  // what the same file is without DAX
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) { return f.size_pages >= 1 && f.size_pages <= kMaxFilePages; },
     [](const KernelConfig&, const FileSpec&) { return "size must be 1.." + std::to_string(kMaxFilePages) + " pages"; },
     [](const KernelConfig&, FileSpec& f) {
         f.size_pages = wrap1(f.size_pages, kMaxFilePages);
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) { return f.kind == FileKind::devdax || f.align_pages == 1; },
     [](const KernelConfig&, const FileSpec&) { return std::string("align applies to devdax only"); },
     [](const KernelConfig&, FileSpec& f) {
         f.align_pages = 1;
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) {
         return f.kind != FileKind::devdax ||
                std::find(std::begin(kDevdaxAligns), std::end(kDevdaxAligns), f.align_pages) != std::end(kDevdaxAligns);
     },
     [](const KernelConfig&, const FileSpec&) { return std::string("devdax align must be 1, 512 or 262144 pages"); },
     [](const KernelConfig&, FileSpec& f) {
         f.align_pages = kDevdaxAligns[f.align_pages % 3];
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) { return f.kind != FileKind::devdax || f.size_pages % f.align_pages == 0; },
     [](const KernelConfig&, const FileSpec&) { return std::string("devdax size must be a multiple of its align"); },
     [](const KernelConfig&, FileSpec& f) {
         f.size_pages = round_up(f.size_pages, f.align_pages);
         if (f.size_pages > kMaxFilePages)
             f.size_pages = f.align_pages;
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) { return f.kind != FileKind::hugetlbfs || f.size_pages % HPAGE_PMD_NR == 0; },
     [](const KernelConfig&, const FileSpec&) { return std::string("hugetlbfs size must be a multiple of 512 pages"); },
     [](const KernelConfig&, FileSpec& f) {
         f.size_pages = round_up(f.size_pages, HPAGE_PMD_NR);
         if (f.size_pages > kMaxFilePages)
             f.size_pages = HPAGE_PMD_NR;
         return keep;
     }},
    {[](const KernelConfig&, const FileSpec& f) {
         return f.pgmap_live || f.kind == FileKind::devdax || f.kind == FileKind::fsdax;
     },
     [](const KernelConfig&, const FileSpec&) { return std::string("pgmap applies to fsdax/devdax only"); },
     [](const KernelConfig&, FileSpec& f) {
         f.pgmap_live = true;
         return keep;
     }},
};

// ---- vmas ----
struct VmaCtx {
    const KernelConfig& c;
    const std::vector<FileSpec>& files;
    unsigned long prev_end;  // the previous vma's end (0: none)
    bool ordered;            // false: mmap_problem (MAP_FIXED replaces what it overlaps)

    const FileSpec* file(const VmaSpec& v) const {
        return v.file >= 0 && static_cast<std::size_t>(v.file) < files.size() ? &files[static_cast<std::size_t>(v.file)]
                                                                               : nullptr;
    }
    bool is(const VmaSpec& v, FileKind k) const { return file(v) && file(v)->kind == k; }
    // The mapping's granule in pages: device-DAX maps at its alignment, hugetlbfs in 2 MiB pages.
    // (validate() reports a bad align at the file; the vma then counts it as 1.)
    unsigned long granule(const VmaSpec& v) const {
        if (is(v, FileKind::devdax))
            return file_problem(c, *file(v)).empty() ? file(v)->align_pages : 1;
        return is(v, FileKind::hugetlbfs) ? HPAGE_PMD_NR : 1;
    }
    std::string unaligned(const VmaSpec& v, const char* what) const {
        return is(v, FileKind::devdax) ? std::string("device-dax mappings must be aligned to the device alignment (") +
                                             what + " a multiple of " + std::to_string(granule(v)) + " pages)"
                                       : std::string("hugetlb mappings must be 2 MiB aligned (") + what +
                                             " a multiple of 512 pages)";
    }
};

std::string outside(const VmaCtx&, const VmaSpec&) {
    return "outside the user address range [" + hex(kUserLow) + ", " + hex(TASK_SIZE) + ")";
}

const Rule<VmaCtx, VmaSpec> kVmaRules[] = {
    {[](const VmaCtx&, const VmaSpec& v) { return v.huge >= -1 && v.huge <= 1; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("bad huge attribute"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.huge = 0;
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return v.file == -1 || c.file(v); },
     [](const VmaCtx&, const VmaSpec& v) { return "file=" + std::to_string(v.file) + " does not exist"; },
     [](const VmaCtx&, VmaSpec& v) {
         v.file = -1;
         return keep;
     }},
    // drivers/dax/device.c v4.15 check_vma: !vma_is_dax(vma) -> -EINVAL; vma_is_dax
    // is IS_DAX(f_mapping->host), and S_DAX is 0 without CONFIG_FS_DAX.
    {[](const VmaCtx& c, const VmaSpec& v) { return !c.is(v, FileKind::devdax) || dax_mappable(c.c); },
     [](const VmaCtx&, const VmaSpec&) {
         return std::string("device-DAX cannot be mapped with CONFIG_FS_DAX=n: S_DAX is 0, so vma_is_dax() is false "
                            "and check_vma refuses the mmap with -EINVAL (drivers/dax/device.c v4.15)");
     },
     [](const VmaCtx&, VmaSpec&) { return VmaFate::drop; }},  // the mmap fails: no vma
    {[](const VmaCtx&, const VmaSpec& v) { return v.file >= 0 || !v.shared; },
     [](const VmaCtx&, const VmaSpec&) {
         return std::string("MAP_SHARED|MAP_ANONYMOUS is shmem: map a shmem file instead");
     },
     [](const VmaCtx&, VmaSpec& v) {
         v.shared = false;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.file >= 0 || (!v.pgoff && !v.pfnmap && v.maywrite); },
     [](const VmaCtx&, const VmaSpec&) { return std::string("pgoff/pfnmap/nomaywrite need a file"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.pgoff = 0;
         v.pfnmap = false;
         v.maywrite = true;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.file < 0 || !v.growsdown; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("growsdown applies to anonymous stacks only"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.growsdown = false;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.pgoff <= kMaxFilePages; },
     [](const VmaCtx&, const VmaSpec&) { return "pgoff too large (at most " + std::to_string(kMaxFilePages) + ")"; },
     [](const VmaCtx&, VmaSpec& v) {
         v.pgoff = wrap0(v.pgoff, kMaxFilePages);
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return !v.pfnmap || c.is(v, FileKind::mmio); },
     [](const VmaCtx&, const VmaSpec&) { return std::string("pfnmap needs an mmio file"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.pfnmap = false;
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return !c.is(v, FileKind::devdax) || v.shared; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("device-dax refuses private mappings (dax_mmap)"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.shared = true;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.maywrite || (v.shared && !v.write); },
     [](const VmaCtx&, const VmaSpec&) {
         return std::string("nomaywrite is a shared, non-writable mapping of a read-only file");
     },
     [](const VmaCtx&, VmaSpec& v) {
         v.maywrite = true;
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return v.pgoff % c.granule(v) == 0; },
     [](const VmaCtx& c, const VmaSpec& v) { return c.unaligned(v, "pgoff"); },
     [](const VmaCtx& c, VmaSpec& v) {
         const unsigned long up = round_up(v.pgoff, c.granule(v));
         v.pgoff = up > kMaxFilePages ? 0 : up;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return ((v.start | v.end) & ~PAGE_MASK) == 0; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("start and end must be page aligned"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.start &= PAGE_MASK;
         v.end = (v.end + PAGE_SIZE - 1) & PAGE_MASK;
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.start < v.end; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("start must be below end"); },
     [](const VmaCtx&, VmaSpec& v) {
         v.end = v.start + PAGE_SIZE;  // one page
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.start >= kUserLow; },
     outside,
     [](const VmaCtx&, VmaSpec& v) {  // moved up by mmap_min_addr, length kept
         v.start += kUserLow;
         v.end += kUserLow;
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return !c.ordered || v.start >= c.prev_end; },
     [](const VmaCtx&, const VmaSpec&) { return std::string("overlaps or is not sorted after the previous vma"); },
     [](const VmaCtx& c, VmaSpec& v) {  // moved up to the previous end, length kept
         const unsigned long by = c.prev_end - v.start;
         v.start += by;
         v.end += by;
         return keep;
     }},
    {[](const VmaCtx& c, const VmaSpec& v) { return ((v.start | v.end) & ((c.granule(v) << PAGE_SHIFT) - 1)) == 0; },
     [](const VmaCtx& c, const VmaSpec& v) { return c.unaligned(v, "start and end"); },
     [](const VmaCtx& c, VmaSpec& v) {  // start rounded up, length rounded up
         const unsigned long g = c.granule(v);
         if (v.start >= TASK_SIZE || v.end <= v.start)
             return VmaFate::stop;
         const unsigned long pages = round_up((v.end - v.start) >> PAGE_SHIFT, g);
         v.start = round_up(v.start, g << PAGE_SHIFT);
         if (v.start >= TASK_SIZE || pages > (TASK_SIZE - v.start) >> PAGE_SHIFT)
             return VmaFate::stop;
         v.end = v.start + (pages << PAGE_SHIFT);
         return keep;
     }},
    {[](const VmaCtx&, const VmaSpec& v) { return v.start < v.end && v.end <= TASK_SIZE; },
     outside,
     [](const VmaCtx&, VmaSpec&) { return VmaFate::stop; }},  // no room left below TASK_SIZE
};

// ---- pre-state operations ----
bool is_touch(PreKind k) { return k == PreKind::touch_read || k == PreKind::touch_write; }

const Rule<unsigned long, PreOp> kPreRules[] = {  // context: pages touched by the operations before
    {[](const unsigned long&, const PreOp& p) { return p.kind < PreKind::COUNT; },
     [](const unsigned long&, const PreOp&) { return std::string("unknown operation"); },
     [](const unsigned long&, PreOp& p) {
         p.kind = static_cast<PreKind>(static_cast<unsigned>(p.kind) % static_cast<unsigned>(PreKind::COUNT));
         return keep;
     }},
    {[](const unsigned long&, const PreOp& p) { return (p.addr & ~PAGE_MASK) == 0; },
     [](const unsigned long&, const PreOp&) { return std::string("address must be page aligned"); },
     [](const unsigned long&, PreOp& p) {
         p.addr &= PAGE_MASK;
         return keep;
     }},
    {[](const unsigned long&, const PreOp& p) { return is_touch(p.kind) || p.pages == 1; },
     [](const unsigned long&, const PreOp&) { return std::string("only touch operations take a page count"); },
     [](const unsigned long&, PreOp& p) {
         p.pages = 1;
         return keep;
     }},
    {[](const unsigned long&, const PreOp& p) { return p.pages >= 1 && p.pages <= kMaxTouchPages; },
     [](const unsigned long&, const PreOp&) { return "page count must be 1.." + std::to_string(kMaxTouchPages); },
     [](const unsigned long&, PreOp& p) {
         p.pages = wrap1(p.pages, kMaxTouchPages);
         return keep;
     }},
    {[](const unsigned long& before, const PreOp& p) { return before + p.pages <= kMaxTouchPages; },
     [](const unsigned long&, const PreOp&) {
         return "pre-state touches more than " + std::to_string(kMaxTouchPages) + " pages in all";
     },
     [](const unsigned long& before, PreOp& p) {
         p.pages = kMaxTouchPages - std::min(before, kMaxTouchPages);
         return p.pages ? keep : VmaFate::stop;
     }},
};

// ---- the fault plan and the call ----
struct None {};
const Rule<Kernel, FaultPlan::SiteFailure> kFailRules[] = {
    {[](const Kernel& k, const FaultPlan::SiteFailure& f) { return site_exists(k, f.site); },
     [](const Kernel& k, const FaultPlan::SiteFailure& f) {
         return k == Kernel::v4_15 && site_exists(Kernel::v6_12, f.site)
                    ? std::string(alloc_site_name(f.site)) + " is a site of kernels 6.12 and 6.1 (the v4.15 path has no such step)"
                    : std::string("unknown allocation site");
     },
     [](const Kernel& k, FaultPlan::SiteFailure& f) {
         f.site = site_from_byte(k, static_cast<unsigned>(f.site));
         return keep;
     }},
    {[](const Kernel&, const FaultPlan::SiteFailure& f) { return f.occurrence >= 1 && f.occurrence <= kMaxOccurrence; },
     [](const Kernel&, const FaultPlan::SiteFailure&) { return "occurrence must be 1.." + std::to_string(kMaxOccurrence); },
     [](const Kernel&, FaultPlan::SiteFailure& f) {
         f.occurrence = static_cast<unsigned>(wrap1(f.occurrence, kMaxOccurrence));
         return keep;
     }},
    // 6.12 has no vmas argument and allocates no vmas array (port-v6.12.md 1, 4.2);
    // 6.1 has the argument but no longterm path allocates the array (6.1 gup.c has no kcalloc).
    {[](const Kernel& k, const FaultPlan::SiteFailure& f) { return !is_real_kernel(k) || f.site != AllocSite::kcalloc_vmas; },
     [](const Kernel& k, const FaultPlan::SiteFailure&) {
         return std::string("kcalloc_vmas is v4.15's vmas array; ") + kernel_name(k) + "'s gup.c allocates none";
     },
     [](const Kernel&, FaultPlan::SiteFailure&) { return VmaFate::drop; }},
};

const Rule<None, FaultPlan::CodeFault> kCodeRules[] = {
    {[](const None&, const FaultPlan::CodeFault& c) { return (c.addr & ~PAGE_MASK) == 0; },
     [](const None&, const FaultPlan::CodeFault&) { return std::string("address must be page aligned"); },
     [](const None&, FaultPlan::CodeFault& c) {
         c.addr &= PAGE_MASK;
         return keep;
     }},
    {[](const None&, const FaultPlan::CodeFault& c) {
         return std::find(std::begin(kKnownCodes), std::end(kKnownCodes), c.code) != std::end(kKnownCodes);
     },
     [](const None&, const FaultPlan::CodeFault&) { return std::string("code must be sigbus, hwpoison, sigsegv or oom"); },
     [](const None&, FaultPlan::CodeFault& c) {
         c.code = VM_FAULT_SIGBUS;
         return keep;
     }},
};

const Rule<None, Scenario> kConfigRules[] = {
    {[](const None&, const Scenario& s) {
         return s.config.thp == ThpMode::always || s.config.thp == ThpMode::madvise || s.config.thp == ThpMode::never;
     },
     [](const None&, const Scenario&) { return std::string("unknown thp mode"); },
     [](const None&, Scenario& s) {
         s.config.thp = ThpMode::always;
         return keep;
     }},
    {[](const None&, const Scenario& s) { return s.hugetlb_pool <= kMaxHugetlbPool; },
     [](const None&, const Scenario&) { return "hugetlb_pool above " + std::to_string(kMaxHugetlbPool); },
     [](const None&, Scenario& s) {
         s.hugetlb_pool = wrap0(s.hugetlb_pool, kMaxHugetlbPool);
         return keep;
     }},
    // The real files are compiled once with Debian's amd64 config (CONFIG_FS_DAX=y), and
    // already contain what pmd_loop_fix and fsdax_ischr_fix select for the v4.15 port.
    {[](const None&, const Scenario& s) { return !is_real_kernel(s.kernel) || s.config.fs_dax; },
     [](const None&, const Scenario& s) {
         return std::string("kernel ") + kernel_name(s.kernel) +
                " is compiled with Debian's config, CONFIG_FS_DAX=y: fs_dax=n is v4.15's switch";
     },
     [](const None&, Scenario& s) {
         s.config.fs_dax = true;
         return keep;
     }},
    // v4.15's GUP never looks at zones, so the byte form keeps zone_movable for the real kernels only.
    {[](const None&, const Scenario& s) { return is_real_kernel(s.kernel) || !s.config.zone_movable; },
     [](const None&, const Scenario&) {
         return std::string("zone_movable is a setting of kernels 6.12 and 6.1 (v4.15's get_user_pages_longterm does "
                            "not look at zones)");
     },
     [](const None&, Scenario& s) {
         s.config.zone_movable = false;
         return keep;
     }},
    {[](const None&, const Scenario& s) {
         return !is_real_kernel(s.kernel) || (!s.config.pmd_loop_fix && !s.config.fsdax_ischr_fix);
     },
     [](const None&, const Scenario& s) {
         return std::string("pmd_loop_fix and fsdax_ischr_fix patch the v4.15 port; ") + kernel_name(s.kernel) +
                " contains both fixes (leave them n)";
     },
     [](const None&, Scenario& s) {
         s.config.pmd_loop_fix = false;
         s.config.fsdax_ischr_fix = false;
         return keep;
     }},
};

const Rule<None, Scenario> kKernelRules[] = {
    {[](const None&, const Scenario& s) {
         return s.kernel == Kernel::v4_15 || s.kernel == Kernel::v6_12 || s.kernel == Kernel::v6_1;
     },
     [](const None&, const Scenario&) { return std::string("unknown kernel (v4.15, 6.12 or 6.1)"); },
     [](const None&, Scenario& s) {
         s.kernel = Kernel::v4_15;
         return keep;
     }},
};

const Rule<None, FaultPlan> kPlanRules[] = {
    {[](const None&, const FaultPlan& p) { return p.signal_at_check <= kMaxSignalCheck; },
     [](const None&, const FaultPlan&) { return "check number above " + std::to_string(kMaxSignalCheck); },
     [](const None&, FaultPlan& p) {
         p.signal_at_check = static_cast<unsigned>(wrap0(p.signal_at_check, kMaxSignalCheck));
         return keep;
     }},
};

const Rule<Kernel, FaultPlan> kStubRules[] = {
    {[](const Kernel&, const FaultPlan& p) { return !p.gup_rc_stub || (*p.gup_rc_stub < 0 && *p.gup_rc_stub >= -kMaxErrno); },
     [](const Kernel&, const FaultPlan&) { return std::string("stub-gup-rc must be a negative errno"); },
     [](const Kernel&, FaultPlan& p) {
         const long r = *p.gup_rc_stub;
         const unsigned long magnitude = r < 0 ? 0UL - static_cast<unsigned long>(r) : static_cast<unsigned long>(r);
         p.gup_rc_stub = -static_cast<long>(1 + magnitude % kMaxErrno);
         return keep;
     }},
    // The stub replaces get_user_pages inside the v4.15 port (core/gup/test); 6.12 is compiled unmodified.
    {[](const Kernel& k, const FaultPlan& p) { return !is_real_kernel(k) || !p.gup_rc_stub; },
     [](const Kernel& k, const FaultPlan&) {
         return std::string("stub-gup-rc is a test hook of the v4.15 port; kernel ") + kernel_name(k) +
                " runs its mm/gup.c unmodified";
     },
     [](const Kernel&, FaultPlan& p) {
         p.gup_rc_stub.reset();
         return keep;
     }},
};

const Rule<Kernel, Call> kCallRules[] = {
    {[](const Kernel&, const Call& c) { return c.nr_pages <= kMaxCallPages; },
     [](const Kernel&, const Call&) { return "nr above " + std::to_string(kMaxCallPages); },
     [](const Kernel&, Call& c) {
         c.nr_pages = wrap0(c.nr_pages, kMaxCallPages);
         return keep;
     }},
    {[](const Kernel& k, const Call& c) { return k != Kernel::v4_15 || (c.gup_flags & ~kAllowedGupFlags) == 0; },
     [](const Kernel&, const Call&) {
         return std::string("flags limited to WRITE|FORCE|NOWAIT|HWPOISON (what longterm callers pass)");
     },
     [](const Kernel&, Call& c) {
         c.gup_flags &= kAllowedGupFlags;
         return keep;
     }},
    {[](const Kernel& k, const Call& c) { return k != Kernel::v4_15 || c.entry == Call{}.entry; },
     [](const Kernel&, const Call&) {
         return std::string("v4.15 has one entry point, get_user_pages_longterm (an entry is named only for kernels "
                            "6.12 and 6.1)");
     },
     [](const Kernel&, Call& c) {
         c.entry = Call{}.entry;
         return keep;
     }},
    // 6.12 and 6.1: any FOLL_* bit the kernel defines, internal ones included (is_valid_gup_args
    // must refuse those: invalid-argument scenarios are written with them).
    {[](const Kernel& k, const Call& c) { return !is_real_kernel(k) || static_cast<int>(c.entry) < kEntryCount612; },
     [](const Kernel&, const Call&) { return std::string("unknown entry point"); },
     [](const Kernel&, Call& c) {
         c.entry = static_cast<k612::Call>(static_cast<unsigned>(c.entry) % kEntryCount612);
         return keep;
     }},
    {[](const Kernel& k, const Call& c) { return !is_real_kernel(k) || (c.gup_flags & ~allowed_gup_flags(k)) == 0; },
     [](const Kernel& k, const Call& c) {
         if (k == Kernel::v6_1 && (c.gup_flags & kFlagsNotIn61))
             return "flags: " + gup_flags_string(k, c.gup_flags & kFlagsNotIn61) +
                    " do not exist in Linux 6.1 (include/linux/mm.h:3087-3103)";
         return std::string("flags: a bit ") + kernel_name(k) + " does not define (include/linux/mm_types.h, mm/internal.h)";
     },
     [](const Kernel& k, Call& c) {
         c.gup_flags &= allowed_gup_flags(k);
         return keep;
     }},
    // 6.1's entry points take a vmas array (removed in 6.5) but no caller of the
    // longterm path passes one, and the harness never does: both are NULL.
    {[](const Kernel& k, const Call& c) { return !is_real_kernel(k) || !c.vmas; },
     [](const Kernel& k, const Call&) {
         return k == Kernel::v6_1 ? std::string("vmas=array: the harness calls 6.1's entry points with vmas NULL")
                                  : std::string("vmas=array: 6.12's pin_user_pages*/get_user_pages* have no vmas "
                                                "argument (removed in 6.5)");
     },
     [](const Kernel&, Call& c) {
         c.vmas = false;
         return keep;
     }},
    {[](const Kernel& k, const Call& c) { return !is_real_kernel(k) || c.sem == SemMode::read; },
     [](const Kernel&, const Call&) {
         return std::string("sem=write: in 6.12 and 6.1 the entry point decides the lock (pin_user_pages, _remote and "
                            "get_user_pages are called with mmap_lock held for read; the others take it)");
     },
     [](const Kernel&, Call& c) {
         c.sem = SemMode::read;
         return keep;
     }},
};

// ---- interleavings: each operation where the lock rules let it run ----
struct IlCtx {
    Kernel kernel;
    SemMode sem;
};
const Rule<IlCtx, FaultPlan::Interleave> kInterleaveRules[] = {
    {[](const IlCtx& c, const FaultPlan::Interleave&) { return c.kernel == Kernel::v4_15; },
     [](const IlCtx& c, const FaultPlan::Interleave&) {
         return std::string("interleavings run on the v4.15 port only: kernel ") + kernel_name(c.kernel) +
                "'s yield points are not wired yet (docs/concurrency.md)";
     },
     [](const IlCtx&, FaultPlan::Interleave&) { return VmaFate::drop; }},
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return static_cast<int>(il.point) < kYieldPointCount; },
     [](const IlCtx&, const FaultPlan::Interleave&) { return std::string("unknown yield point"); },
     [](const IlCtx&, FaultPlan::Interleave& il) {
         il.point = static_cast<YieldPoint>(static_cast<unsigned>(il.point) % kYieldPointCount);
         return keep;
     }},
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return static_cast<int>(il.op) < kMmOpCount; },
     [](const IlCtx&, const FaultPlan::Interleave&) { return std::string("unknown operation"); },
     [](const IlCtx&, FaultPlan::Interleave& il) {
         il.op = static_cast<MmOp>(static_cast<unsigned>(il.op) % kMmOpCount);
         return keep;
     }},
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return il.occurrence >= 1 && il.occurrence <= kMaxOccurrence; },
     [](const IlCtx&, const FaultPlan::Interleave&) { return "pass number must be 1.." + std::to_string(kMaxOccurrence); },
     [](const IlCtx&, FaultPlan::Interleave& il) {
         il.occurrence = static_cast<unsigned>(wrap1(il.occurrence, kMaxOccurrence));
         return keep;
     }},
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return (il.addr & ~PAGE_MASK) == 0; },
     [](const IlCtx&, const FaultPlan::Interleave&) { return std::string("address must be page aligned"); },
     [](const IlCtx&, FaultPlan::Interleave& il) {
         il.addr &= PAGE_MASK;
         return keep;
     }},
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return il.pages >= 1 && il.pages <= kMaxInterleavePages; },
     [](const IlCtx&, const FaultPlan::Interleave&) { return "page count must be 1.." + std::to_string(kMaxInterleavePages); },
     [](const IlCtx&, FaultPlan::Interleave& il) {
         il.pages = wrap1(il.pages, kMaxInterleavePages);
         return keep;
     }},
    // The lock rules (concurrency.md §2): the GUP caller holds mmap_sem from
    // before the call until after the return point, so an operation that
    // needs it for write never runs, and one that needs it for read only
    // when the caller holds it for read.
    {[](const IlCtx&, const FaultPlan::Interleave& il) { return mm_op_sem(il.op) != MmapSemNeed::write; },
     [](const IlCtx& c, const FaultPlan::Interleave& il) {
         return std::string(mm_op_words(il.op)) + " takes mmap_sem for write, which the GUP caller holds for " +
                (c.sem == SemMode::read ? "read" : "write") +
                " at every yield point of the call: it cannot run there (a Session runs it after the caller's up_read)";
     },
     [](const IlCtx&, FaultPlan::Interleave&) { return VmaFate::drop; }},
    {[](const IlCtx& c, const FaultPlan::Interleave& il) {
         return c.sem == SemMode::read || mm_op_sem(il.op) == MmapSemNeed::none;
     },
     [](const IlCtx&, const FaultPlan::Interleave& il) {
         return std::string(mm_op_words(il.op)) + " takes mmap_sem for read, and the caller holds it for write "
                "(sem=write, as v4.15 ib_umem_get does): only truncate, punch, swapout and migrate, which take no "
                "mmap_sem, can run during this call";
     },
     [](const IlCtx&, FaultPlan::Interleave&) { return VmaFate::drop; }},
};

const char* part_name(Part p) {
    switch (p) {
    case Part::kernel: return "kernel";
    case Part::config: return "config";
    case Part::file: return "file";
    case Part::vma: return "vma";
    case Part::pre: return "pre";
    case Part::fail: return "fail";
    case Part::fault: return "fault";
    case Part::signal: return "signal";
    case Part::stub: return "stub-gup-rc";
    case Part::call: return "call";
    case Part::interleave: return "interleave";
    }
    return "?";
}

bool numbered(Part p) {
    return p == Part::file || p == Part::vma || p == Part::pre || p == Part::fail || p == Part::fault ||
           p == Part::interleave;
}

}  // namespace

bool site_exists(Kernel k, AllocSite s) {
    const int i = static_cast<int>(s);
    if (is_real_kernel(k))
        return i < kAllocSitesAll && i != kAllocSiteCount;
    return i < kAllocSiteCount;
}

AllocSite site_from_byte(Kernel k, unsigned byte) {
    if (!is_real_kernel(k) || kAllocSitesAll <= kAllocSiteCount)
        return static_cast<AllocSite>(byte % kAllocSiteCount);
    const unsigned i = byte % static_cast<unsigned>(kAllocSitesAll - 1);  // COUNT skipped
    return static_cast<AllocSite>(i < static_cast<unsigned>(kAllocSiteCount) ? i : i + 1);
}

unsigned site_to_byte(Kernel k, AllocSite s) {
    const unsigned i = static_cast<unsigned>(s);
    return is_real_kernel(k) && i > static_cast<unsigned>(kAllocSiteCount) ? i - 1 : i;
}

std::string Problem::to_string() const {
    return std::string(part_name(part)) + (numbered(part) ? " " + std::to_string(index) : "") + ": " + message;
}

std::string to_string(const std::vector<Problem>& problems) {
    std::string out;
    for (const Problem& p : problems)
        out += p.to_string() + "\n";
    return out;
}

bool file_kind_exists(const KernelConfig& c, FileKind k) { return k != FileKind::fsdax || c.fs_dax; }
bool dax_mappable(const KernelConfig& c) { return c.fs_dax; }

std::string file_problem(const KernelConfig& c, const FileSpec& f) { return first_broken(kFileRules, c, f); }

std::string mmap_problem(const KernelConfig& c, const std::vector<FileSpec>& files, const VmaSpec& v) {
    return first_broken(kVmaRules, VmaCtx{c, files, 0, false}, v);
}

std::vector<Problem> validate(const Scenario& s) {
    std::vector<Problem> out;
    auto add = [&](Part part, std::size_t i, const std::string& why) {
        if (!why.empty())
            out.push_back({part, i, why});
    };
    add(Part::kernel, 0, first_broken(kKernelRules, None{}, s));
    add(Part::config, 0, first_broken(kConfigRules, None{}, s));
    for (std::size_t i = 0; i < s.files.size(); ++i)
        add(Part::file, i, i >= kMaxFiles ? "more than " + std::to_string(kMaxFiles) + " files"
                                          : file_problem(s.config, s.files[i]));
    for (std::size_t i = 0; i < s.vmas.size(); ++i)
        add(Part::vma, i, i >= kMaxVmas ? "more than " + std::to_string(kMaxVmas) + " vmas"
                                        : first_broken(kVmaRules, VmaCtx{s.config, s.files, i ? s.vmas[i - 1].end : 0, true},
                                                       s.vmas[i]));
    unsigned long touched = 0;
    for (std::size_t i = 0; i < s.pre.size(); ++i) {
        add(Part::pre, i, i >= kMaxPreOps ? "more than " + std::to_string(kMaxPreOps) + " pre-state operations"
                                          : first_broken(kPreRules, touched, s.pre[i]));
        touched += std::min(s.pre[i].pages, kMaxTouchPages + 1);  // no overflow on wild counts
    }
    const std::string too_many = "more than " + std::to_string(kMaxFaults) + " injected faults";
    for (std::size_t i = 0; i < s.plan.failures.size(); ++i)
        add(Part::fail, i, i >= kMaxFaults ? too_many : first_broken(kFailRules, s.kernel, s.plan.failures[i]));
    for (std::size_t i = 0; i < s.plan.codes.size(); ++i)
        add(Part::fault, i, s.plan.failures.size() + i >= kMaxFaults ? too_many
                                                                     : first_broken(kCodeRules, None{}, s.plan.codes[i]));
    add(Part::signal, 0, first_broken(kPlanRules, None{}, s.plan));
    add(Part::stub, 0, first_broken(kStubRules, s.kernel, s.plan));
    add(Part::call, 0, first_broken(kCallRules, s.kernel, s.call));
    for (std::size_t i = 0; i < s.plan.interleaves.size(); ++i)
        add(Part::interleave, i, i >= kMaxInterleaves ? "more than " + std::to_string(kMaxInterleaves) + " interleavings"
                                                      : first_broken(kInterleaveRules, IlCtx{s.kernel, s.call.sem},
                                                                     s.plan.interleaves[i]));
    return out;
}

void normalize_config_and_files(Scenario& s) {
    repair(kKernelRules, None{}, s);
    repair(kConfigRules, None{}, s);
    if (s.files.size() > kMaxFiles)
        s.files.resize(kMaxFiles);
    for (FileSpec& f : s.files)
        repair(kFileRules, s.config, f);
}

VmaFate normalize_next_vma(const Scenario& s, VmaSpec& v) {
    if (s.vmas.size() >= kMaxVmas)
        return VmaFate::stop;
    return repair(kVmaRules, VmaCtx{s.config, s.files, s.vmas.empty() ? 0 : s.vmas.back().end, true}, v);
}

Scenario normalize(Scenario s) {
    normalize_config_and_files(s);
    std::vector<VmaSpec> vmas = std::move(s.vmas);
    s.vmas.clear();
    for (VmaSpec& v : vmas) {
        const VmaFate f = normalize_next_vma(s, v);
        if (f == VmaFate::stop)
            break;
        if (f == VmaFate::keep)
            s.vmas.push_back(v);
    }
    if (s.pre.size() > kMaxPreOps)
        s.pre.resize(kMaxPreOps);
    unsigned long touched = 0;
    for (std::size_t i = 0; i < s.pre.size(); ++i) {
        if (repair(kPreRules, touched, s.pre[i]) != keep) {
            s.pre.resize(i);
            break;
        }
        touched += s.pre[i].pages;
    }
    FaultPlan& p = s.plan;
    if (p.failures.size() > kMaxFaults)
        p.failures.resize(kMaxFaults);
    if (p.failures.size() + p.codes.size() > kMaxFaults)
        p.codes.resize(kMaxFaults - p.failures.size());
    std::vector<FaultPlan::SiteFailure> kept;
    for (auto& f : p.failures)
        if (repair(kFailRules, s.kernel, f) == keep)
            kept.push_back(f);
    p.failures = std::move(kept);
    for (auto& c : p.codes)
        repair(kCodeRules, None{}, c);
    repair(kPlanRules, None{}, p);
    repair(kStubRules, s.kernel, p);
    repair(kCallRules, s.kernel, s.call);
    if (p.interleaves.size() > kMaxInterleaves)
        p.interleaves.resize(kMaxInterleaves);
    std::vector<FaultPlan::Interleave> kept_il;
    for (auto& il : p.interleaves)
        if (repair(kInterleaveRules, IlCtx{s.kernel, s.call.sem}, il) == keep)
            kept_il.push_back(il);
    p.interleaves = std::move(kept_il);
    return s;
}

vm_flags_t vm_flags_for(const VmaSpec& v, const FileSpec* f) {
    vm_flags_t fl = VM_MAYREAD | VM_MAYEXEC;
    if (v.read) fl |= VM_READ;
    if (v.write) fl |= VM_WRITE;
    if (v.exec) fl |= VM_EXEC;
    if (v.maywrite) fl |= VM_MAYWRITE;
    if (v.shared) fl |= VM_SHARED | VM_MAYSHARE;
    if (v.growsdown) fl |= VM_GROWSDOWN;
    if (v.locked) fl |= VM_LOCKED;
    if (v.huge > 0) fl |= VM_HUGEPAGE;
    if (v.huge < 0) fl |= VM_NOHUGEPAGE;
    if (f) {
        switch (f->kind) {
        case FileKind::fsdax:
        case FileKind::devdax:
            fl |= VM_MIXEDMAP | VM_HUGEPAGE;  // ext4_file_mmap / dax_mmap
            break;
        case FileKind::hugetlbfs:
            fl |= VM_HUGETLB | VM_DONTEXPAND;
            break;
        case FileKind::mmio:
            fl |= v.pfnmap ? (VM_IO | VM_PFNMAP | VM_DONTEXPAND) : VM_MIXEDMAP;
            break;
        case FileKind::regular:
        case FileKind::shmem:
            break;
        }
    }
    return fl;
}

}  // namespace gupfuzz::harness
