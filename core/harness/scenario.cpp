// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/scenario.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <sstream>

#include "core/harness/normalize.h"
#include "core/kernel/hex.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

const char* const kPreNames[] = {"touch-read", "touch-write", "swapout", "migrate",     "poison",      "numa",
                                 "cowshare",   "clean",       "split",   "corrupt-p4d", "corrupt-pud", "corrupt-pmd",
                                 "pgmap-kill"};
static_assert(sizeof kPreNames / sizeof kPreNames[0] == static_cast<int>(PreKind::COUNT));

struct FlagName {
    unsigned bit;
    const char* name;
};
const FlagName kFlagNames[] = {{FOLL_WRITE, "WRITE"}, {FOLL_FORCE, "FORCE"}, {FOLL_NOWAIT, "NOWAIT"},
                               {FOLL_HWPOISON, "HWPOISON"}};

// 6.12's FOLL_* names (include/linux/mm_types.h:3508-3533, mm/internal.h:1275-1290).
namespace f612 = gupfuzz::k612::foll;
const FlagName kFlagNames612[] = {
    {f612::WRITE, "WRITE"},       {f612::GET, "GET"},
    {f612::DUMP, "DUMP"},         {f612::FORCE, "FORCE"},
    {f612::NOWAIT, "NOWAIT"},     {f612::NOFAULT, "NOFAULT"},
    {f612::HWPOISON, "HWPOISON"}, {f612::ANON, "ANON"},
    {f612::LONGTERM, "LONGTERM"}, {f612::SPLIT_PMD, "SPLIT_PMD"},
    {f612::PCI_P2PDMA, "PCI_P2PDMA"}, {f612::INTERRUPTIBLE, "INTERRUPTIBLE"},
    {f612::HONOR_NUMA_FAULT, "HONOR_NUMA_FAULT"},
    {f612::TOUCH, "TOUCH"},       {f612::TRIED, "TRIED"},
    {f612::REMOTE, "REMOTE"},     {f612::PIN, "PIN"},
    {f612::FAST_ONLY, "FAST_ONLY"}, {f612::UNLOCKABLE, "UNLOCKABLE"},
    {f612::MADV_POPULATE, "MADV_POPULATE"}};

const char* const kEntryNames612[] = {"pin_user_pages",          "pin_user_pages_fast", "pin_user_pages_remote",
                                      "pin_user_pages_unlocked", "get_user_pages",      "get_user_pages_fast"};
static_assert(sizeof kEntryNames612 / sizeof kEntryNames612[0] == kEntryCount612);

std::string flag_names(const FlagName* names, std::size_t n, unsigned flags) {
    std::string s;
    unsigned named = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (flags & names[i].bit) {
            if (!s.empty())
                s += '|';
            s += names[i].name;
            named |= names[i].bit;
        }
    if (flags & ~named)  // bits without a name (never in a valid scenario)
        s += (s.empty() ? "" : "|") + hex(flags & ~named);
    return s.empty() ? "0" : s;
}

struct CodeName {
    int code;
    const char* name;
};
const CodeName kCodeNames[] = {{VM_FAULT_SIGBUS, "sigbus"}, {VM_FAULT_HWPOISON, "hwpoison"},
                               {VM_FAULT_SIGSEGV, "sigsegv"}, {VM_FAULT_OOM, "oom"}};

const char* thp_name(ThpMode m) {
    switch (m) {
    case ThpMode::always: return "always";
    case ThpMode::madvise: return "madvise";
    case ThpMode::never: return "never";
    }
    return "?";
}

bool parse_ulong(const std::string& s, unsigned long* out) {
    if (s.empty() || s[0] == '-' || s[0] == '+')
        return false;
    errno = 0;
    char* end = nullptr;
    const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

bool parse_long(const std::string& s, long* out) {
    errno = 0;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 0);
    if (s.empty() || errno || *end)
        return false;
    *out = v;
    return true;
}

bool parse_bool(const std::string& s, bool* out) {
    if (s == "y") {
        *out = true;
        return true;
    }
    if (s == "n") {
        *out = false;
        return true;
    }
    return false;
}

struct Parser {
    int line = 0;
    ParseError* err;
    bool fail(const std::string& m) {
        if (err) {
            err->line = line;
            err->message = m;
        }
        return false;
    }
};

bool split_kv(const std::string& tok, std::string* k, std::string* v) {
    auto eq = tok.find('=');
    if (eq == std::string::npos)
        return false;
    *k = tok.substr(0, eq);
    *v = tok.substr(eq + 1);
    return true;
}

}  // namespace

const char* pre_kind_name(PreKind k) {
    const int i = static_cast<int>(k);
    return i >= 0 && i < static_cast<int>(PreKind::COUNT) ? kPreNames[i] : "?";
}

const char* file_kind_name(FileKind k) {
    switch (k) {
    case FileKind::regular: return "regular";
    case FileKind::fsdax: return "fsdax";
    case FileKind::shmem: return "shmem";
    case FileKind::devdax: return "devdax";
    case FileKind::hugetlbfs: return "hugetlbfs";
    case FileKind::mmio: return "mmio";
    }
    return "?";
}

std::string gup_flags_string(unsigned flags) {
    std::string s;
    for (const auto& f : kFlagNames)
        if (flags & f.bit) {
            if (!s.empty())
                s += '|';
            s += f.name;
        }
    return s.empty() ? "0" : s;
}

std::string gup_flags_string(Kernel k, unsigned flags) {
    if (k == Kernel::v4_15)
        return gup_flags_string(flags);
    return flag_names(kFlagNames612, std::size(kFlagNames612), flags);
}

const char* kernel_name(Kernel k) {
    switch (k) {
    case Kernel::v6_12: return "6.12";
    case Kernel::v6_1: return "6.1";
    case Kernel::v4_15: break;
    }
    return "v4.15";
}

const char* entry_name(k612::Call c) {
    const int i = static_cast<int>(c);
    return i >= 0 && i < kEntryCount612 ? kEntryNames612[i] : "?";
}

std::string vm_fault_name(int code) {
    for (const auto& c : kCodeNames)
        if (c.code == code)
            return c.name;
    return hex(static_cast<unsigned long>(code));
}

std::string errno_name(long rc) {
    switch (rc) {
    case -EPERM: return "-EPERM";
    case -ENOENT: return "-ENOENT";
    case -EINTR: return "-EINTR";
    case -EAGAIN: return "-EAGAIN";
    case -EOVERFLOW: return "-EOVERFLOW";
    case -EREMOTEIO: return "-EREMOTEIO";
    case -ENOMEM: return "-ENOMEM";
    case -EFAULT: return "-EFAULT";
    case -EBUSY: return "-EBUSY";
    case -EEXIST: return "-EEXIST";
    case -EINVAL: return "-EINVAL";
    case -EIO: return "-EIO";
    case -EOPNOTSUPP: return "-EOPNOTSUPP";
    case -EHWPOISON: return "-EHWPOISON";
    case -ERESTARTSYS: return "-ERESTARTSYS";
    default: return std::to_string(rc);
    }
}

std::string ParseError::to_string() const { return "line " + std::to_string(line) + ": " + message; }

std::optional<Scenario> parse_scenario(const std::string& text, ParseError* err) {
    Scenario s;
    Parser p{0, err};
    bool have_call = false;
    // The line of each item, to locate what validate() finds.
    int config_line = 0, signal_line = 0, stub_line = 0, call_line = 0, kernel_line = 0;
    std::vector<int> file_lines, vma_lines, pre_lines, fail_lines, fault_lines, interleave_lines;
    std::istringstream in(text);
    std::string raw;
    while (std::getline(in, raw)) {
        ++p.line;
        if (raw.size() > 4096) {
            p.fail("line longer than 4096 characters");
            return std::nullopt;
        }
        auto hash = raw.find('#');
        std::string line = raw.substr(0, hash);
        std::istringstream ls(line);
        std::vector<std::string> tok;
        for (std::string t; ls >> t;)
            tok.push_back(t);
        if (tok.empty())
            continue;
        const std::string& kw = tok[0];
        auto bad = [&](const std::string& m) {
            p.fail(m);
            return std::optional<Scenario>();
        };
        if (have_call)
            return bad("nothing may follow the call line");
        if (kw == "kernel") {
            if (kernel_line)
                return bad("kernel: named twice (first at line " + std::to_string(kernel_line) + ")");
            if (tok.size() != 2 || (tok[1] != "v4.15" && tok[1] != "6.12" && tok[1] != "6.1"))
                return bad("kernel: expected 'kernel v4.15', 'kernel 6.12' or 'kernel 6.1'");
            s.kernel = tok[1] == "6.12" ? Kernel::v6_12 : tok[1] == "6.1" ? Kernel::v6_1 : Kernel::v4_15;
            kernel_line = p.line;
        } else if (kw == "config") {
            config_line = p.line;
            for (std::size_t i = 1; i < tok.size(); ++i) {
                std::string k, v;
                if (!split_kv(tok[i], &k, &v))
                    return bad("config: expected key=value, got '" + tok[i] + "'");
                bool b;
                unsigned long n;
                if (k == "fs_dax" && parse_bool(v, &b)) s.config.fs_dax = b;
                else if (k == "pmd_loop_fix" && parse_bool(v, &b)) s.config.pmd_loop_fix = b;
                else if (k == "gate" && parse_bool(v, &b)) s.config.gate = b;
                else if (k == "fsdax_ischr_fix" && parse_bool(v, &b)) s.config.fsdax_ischr_fix = b;
                else if (k == "thp" && v == "always") s.config.thp = ThpMode::always;
                else if (k == "thp" && v == "madvise") s.config.thp = ThpMode::madvise;
                else if (k == "thp" && v == "never") s.config.thp = ThpMode::never;
                else if (k == "hugetlb_pool" && parse_ulong(v, &n)) s.hugetlb_pool = n;
                else if (k == "memlock" && parse_ulong(v, &n)) s.config.rlimit_memlock = n;
                else if (k == "zone_movable" && parse_bool(v, &b)) s.config.zone_movable = b;
                else
                    return bad("config: unknown setting or value '" + tok[i] +
                               "' (fs_dax|pmd_loop_fix|gate|fsdax_ischr_fix|zone_movable=y|n, thp=always|madvise|never, "
                               "hugetlb_pool=N, memlock=BYTES)");
            }
        } else if (kw == "file") {
            if (tok.size() < 2)
                return bad("file: expected a kind (regular|fsdax|shmem|devdax|hugetlbfs|mmio)");
            FileSpec f;
            bool known = false;
            for (int k = 0; k <= static_cast<int>(FileKind::mmio); ++k)
                if (tok[1] == file_kind_name(static_cast<FileKind>(k))) {
                    f.kind = static_cast<FileKind>(k);
                    known = true;
                }
            if (!known)
                return bad("file: unknown kind '" + tok[1] + "'");
            for (std::size_t i = 2; i < tok.size(); ++i) {
                std::string k, v;
                unsigned long n;
                if (!split_kv(tok[i], &k, &v))
                    return bad("file: expected key=value, got '" + tok[i] + "'");
                if (k == "size" && parse_ulong(v, &n)) f.size_pages = n;
                else if (k == "align" && parse_ulong(v, &n)) f.align_pages = n;
                else if (k == "pgmap" && (v == "live" || v == "dying")) f.pgmap_live = v == "live";
                else
                    return bad("file: unknown attribute '" + tok[i] + "' (size=PAGES, align=PAGES, pgmap=live|dying)");
            }
            s.files.push_back(f);
            file_lines.push_back(p.line);
        } else if (kw == "vma") {
            if (tok.size() < 4)
                return bad("vma: expected 'vma START-END anon|file=N PROT private|shared [attributes]'");
            VmaSpec v;
            auto dash = tok[1].find('-');
            if (dash == std::string::npos || !parse_ulong(tok[1].substr(0, dash), &v.start) ||
                !parse_ulong(tok[1].substr(dash + 1), &v.end))
                return bad("vma: bad range '" + tok[1] + "' (want 0xSTART-0xEND)");
            std::size_t i = 2;
            if (tok[i] == "anon") {
                v.file = -1;
            } else {
                std::string k, val;
                unsigned long n;
                if (!split_kv(tok[i], &k, &val) || k != "file" || !parse_ulong(val, &n) || n > 1000)
                    return bad("vma: expected 'anon' or 'file=N', got '" + tok[i] + "'");
                v.file = static_cast<int>(n);
            }
            ++i;
            const std::string& prot = tok[i++];
            if (prot.size() != 3 || (prot[0] != 'r' && prot[0] != '-') || (prot[1] != 'w' && prot[1] != '-') ||
                (prot[2] != 'x' && prot[2] != '-'))
                return bad("vma: protection must look like rw-, r--, --- or r-x, got '" + prot + "'");
            v.read = prot[0] == 'r';
            v.write = prot[1] == 'w';
            v.exec = prot[2] == 'x';
            if (i >= tok.size() || (tok[i] != "private" && tok[i] != "shared"))
                return bad("vma: expected private or shared");
            v.shared = tok[i++] == "shared";
            for (; i < tok.size(); ++i) {
                std::string k, val;
                unsigned long n;
                if (tok[i] == "growsdown") v.growsdown = true;
                else if (tok[i] == "locked") v.locked = true;
                else if (tok[i] == "hugepage") v.huge = 1;
                else if (tok[i] == "nohugepage") v.huge = -1;
                else if (tok[i] == "nomaywrite") v.maywrite = false;
                else if (tok[i] == "pfnmap") v.pfnmap = true;
                else if (split_kv(tok[i], &k, &val) && k == "pgoff" && parse_ulong(val, &n)) v.pgoff = n;
                else
                    return bad("vma: unknown attribute '" + tok[i] +
                               "' (growsdown, locked, hugepage, nohugepage, nomaywrite, pfnmap, pgoff=N)");
            }
            s.vmas.push_back(v);
            vma_lines.push_back(p.line);
        } else if (kw == "pre") {
            if (tok.size() < 3 || tok.size() > 4)
                return bad("pre: expected 'pre OPERATION ADDR [PAGES]'");
            PreOp op;
            bool known = false;
            for (int k = 0; k < static_cast<int>(PreKind::COUNT); ++k)
                if (tok[1] == kPreNames[k]) {
                    op.kind = static_cast<PreKind>(k);
                    known = true;
                }
            if (!known)
                return bad("pre: unknown operation '" + tok[1] + "'");
            if (!parse_ulong(tok[2], &op.addr))
                return bad("pre: bad address '" + tok[2] + "'");
            if (tok.size() == 4 && !parse_ulong(tok[3], &op.pages))
                return bad("pre: bad page count '" + tok[3] + "'");
            s.pre.push_back(op);
            pre_lines.push_back(p.line);
        } else if (kw == "fail") {
            unsigned long occ;
            if (tok.size() != 3)
                return bad("fail: expected 'fail SITE OCCURRENCE'");
            auto site = alloc_site_from_name(tok[1]);
            if (!site)
                return bad("fail: unknown allocation site '" + tok[1] + "'");
            if (!parse_ulong(tok[2], &occ) || occ > UINT_MAX)
                return bad("fail: bad occurrence '" + tok[2] + "'");
            s.plan.failures.push_back({*site, static_cast<unsigned>(occ)});
            fail_lines.push_back(p.line);
        } else if (kw == "fault") {
            FaultPlan::CodeFault c{};
            if (tok.size() != 3 || !parse_ulong(tok[1], &c.addr))
                return bad("fault: expected 'fault ADDR sigbus|hwpoison|sigsegv|oom'");
            bool known = false;
            for (const auto& cn : kCodeNames)
                if (tok[2] == cn.name) {
                    c.code = cn.code;
                    known = true;
                }
            if (!known)
                return bad("fault: unknown code '" + tok[2] + "'");
            s.plan.codes.push_back(c);
            fault_lines.push_back(p.line);
        } else if (kw == "signal") {
            unsigned long n;
            if (tok.size() != 2 || !parse_ulong(tok[1], &n) || n == 0 || n > UINT_MAX)
                return bad("signal: expected 'signal N' with N a check number from 1");
            s.plan.signal_at_check = static_cast<unsigned>(n);
            signal_line = p.line;
        } else if (kw == "interleave") {
            FaultPlan::Interleave il{};
            unsigned long occ = 0;
            if (tok.size() != 5 && tok.size() != 6)
                return bad("interleave: expected 'interleave POINT N OPERATION ADDR [PAGES]'");
            const auto pt = kernel::yield_point_from_name(tok[1]);
            if (!pt)
                return bad("interleave: unknown yield point '" + tok[1] +
                           "' (pte-unlock, pmd-unlock, fault-entry, fault-exit, resched, retry, return)");
            if (!parse_ulong(tok[2], &occ) || occ > UINT_MAX)
                return bad("interleave: bad pass number '" + tok[2] + "'");
            const auto op = kernel::mm_op_from_name(tok[3]);
            if (!op)
                return bad("interleave: unknown operation '" + tok[3] +
                           "' (dontneed, read-fault, write-fault, punch, truncate, swapout, migrate, munmap, mprotect-ro)");
            if (!parse_ulong(tok[4], &il.addr))
                return bad("interleave: bad address '" + tok[4] + "'");
            il.pages = 1;
            if (tok.size() == 6 && !parse_ulong(tok[5], &il.pages))
                return bad("interleave: bad page count '" + tok[5] + "'");
            il.point = *pt;
            il.occurrence = static_cast<unsigned>(occ);
            il.op = *op;
            s.plan.interleaves.push_back(il);
            interleave_lines.push_back(p.line);
        } else if (kw == "stub-gup-rc") {
            long rc;
            if (tok.size() != 2 || !parse_long(tok[1], &rc))
                return bad("stub-gup-rc: expected a negative errno");
            s.plan.gup_rc_stub = rc;
            stub_line = p.line;
        } else if (kw == "call") {
            bool have_start = false, have_nr = false;
            const bool k612 = is_real_kernel(s.kernel);
            std::size_t first = 1;
            // 6.12 names the entry point first; v4.15 has one (get_user_pages_longterm).
            if (tok.size() > 1 && tok[1].find('=') == std::string::npos) {
                if (!k612)
                    return bad("call: '" + tok[1] + "': v4.15 has one entry point (get_user_pages_longterm); an entry "
                               "is named only after 'kernel 6.12' or 'kernel 6.1'");
                bool found = false;
                for (int e = 0; e < kEntryCount612; ++e)
                    if (tok[1] == kEntryNames612[e]) {
                        s.call.entry = static_cast<k612::Call>(e);
                        found = true;
                    }
                if (!found)
                    return bad("call: unknown entry point '" + tok[1] +
                               "' (pin_user_pages, pin_user_pages_fast, pin_user_pages_remote, pin_user_pages_unlocked, "
                               "get_user_pages, get_user_pages_fast)");
                first = 2;
            } else if (k612) {
                return bad("call: kernels 6.12 and 6.1 name the entry point first: 'call pin_user_pages|pin_user_pages_fast|"
                           "pin_user_pages_remote|pin_user_pages_unlocked|get_user_pages|get_user_pages_fast start=... nr=... "
                           "flags=... pages=array|null'");
            }
            for (std::size_t i = first; i < tok.size(); ++i) {
                std::string k, v;
                unsigned long n;
                if (!split_kv(tok[i], &k, &v))
                    return bad("call: expected key=value, got '" + tok[i] + "'");
                if (k == "start" && parse_ulong(v, &n)) {
                    s.call.start = n;
                    have_start = true;
                } else if (k == "nr" && parse_ulong(v, &n)) {
                    s.call.nr_pages = n;
                    have_nr = true;
                } else if (k == "flags") {
                    unsigned flags = 0;
                    if (v != "0") {
                        std::istringstream fs(v);
                        for (std::string name; std::getline(fs, name, '|');) {
                            bool found = false;
                            if (k612) {
                                for (const auto& fnm : kFlagNames612)
                                    if (name == fnm.name) {
                                        flags |= fnm.bit;
                                        found = true;
                                    }
                                if (!found)
                                    return bad("call: unknown flag '" + name +
                                               "' (WRITE, FORCE, LONGTERM, NOWAIT, HWPOISON, NOFAULT, INTERRUPTIBLE, "
                                               "HONOR_NUMA_FAULT, PCI_P2PDMA, SPLIT_PMD, DUMP, ANON, GET and the internal "
                                               "TOUCH, TRIED, REMOTE, PIN, FAST_ONLY, UNLOCKABLE, MADV_POPULATE)");
                                continue;
                            }
                            for (const auto& fnm : kFlagNames)
                                if (name == fnm.name) {
                                    flags |= fnm.bit;
                                    found = true;
                                }
                            if (!found)
                                return bad("call: unknown flag '" + name + "' (WRITE, FORCE, NOWAIT, HWPOISON)");
                        }
                    }
                    s.call.gup_flags = flags;
                } else if (k == "pages" && (v == "array" || v == "null")) {
                    s.call.pages = v == "array";
                } else if (k == "vmas" && (v == "array" || v == "null")) {
                    s.call.vmas = v == "array";
                } else if (k == "sem" && (v == "read" || v == "write")) {
                    s.call.sem = v == "read" ? SemMode::read : SemMode::write;
                } else {
                    return bad("call: unknown or malformed '" + tok[i] +
                               (k612 ? "' (start=ADDR nr=N flags=A|B pages=array|null)"
                                     : "' (start=ADDR nr=N flags=A|B pages=array|null vmas=array|null sem=read|write)"));
                }
            }
            if (!have_start || !have_nr)
                return bad("call: start= and nr= are required");
            have_call = true;
            call_line = p.line;
        } else {
            return bad("unknown keyword '" + kw + "' (kernel, config, file, vma, pre, fail, fault, signal, stub-gup-rc, interleave, call)");
        }
    }
    if (!have_call) {
        p.fail("missing the call line");
        return std::nullopt;
    }
    const std::vector<Problem> problems = validate(s);
    if (!problems.empty()) {
        // The first broken rule, at the line of the item that breaks it.
        const Problem& pr = problems.front();
        auto at = [&](const std::vector<int>& lines) { return pr.index < lines.size() ? lines[pr.index] : 0; };
        switch (pr.part) {
        case Part::kernel: p.line = kernel_line; break;
        case Part::config: p.line = config_line; break;
        case Part::file: p.line = at(file_lines); break;
        case Part::vma: p.line = at(vma_lines); break;
        case Part::pre: p.line = at(pre_lines); break;
        case Part::fail: p.line = at(fail_lines); break;
        case Part::fault: p.line = at(fault_lines); break;
        case Part::signal: p.line = signal_line; break;
        case Part::stub: p.line = stub_line; break;
        case Part::call: p.line = call_line; break;
        case Part::interleave: p.line = at(interleave_lines); break;
        }
        p.fail(pr.to_string());
        return std::nullopt;
    }
    return s;
}

std::string print_scenario(const Scenario& s) {
    std::ostringstream o;
    if (s.kernel != Kernel::v4_15)  // v4.15 is the default: its canonical text stays as it always was
        o << "kernel " << kernel_name(s.kernel) << "\n";
    o << "config fs_dax=" << (s.config.fs_dax ? 'y' : 'n') << " thp=" << thp_name(s.config.thp)
      << " gate=" << (s.config.gate ? 'y' : 'n') << " pmd_loop_fix=" << (s.config.pmd_loop_fix ? 'y' : 'n')
      << " fsdax_ischr_fix=" << (s.config.fsdax_ischr_fix ? 'y' : 'n') << " hugetlb_pool=" << s.hugetlb_pool;
    if (s.config.rlimit_memlock != kernel::MLOCK_LIMIT)
        o << " memlock=" << s.config.rlimit_memlock;
    if (s.config.zone_movable)
        o << " zone_movable=y";
    o << "\n";
    for (const auto& f : s.files) {
        o << "file " << file_kind_name(f.kind) << " size=" << f.size_pages;
        if (f.kind == FileKind::devdax)
            o << " align=" << f.align_pages;
        if (f.kind == FileKind::devdax || f.kind == FileKind::fsdax)
            o << " pgmap=" << (f.pgmap_live ? "live" : "dying");
        o << "\n";
    }
    for (const auto& v : s.vmas) {
        o << "vma " << hex(v.start) << "-" << hex(v.end) << " ";
        if (v.file < 0)
            o << "anon";
        else
            o << "file=" << v.file;
        o << " " << (v.read ? 'r' : '-') << (v.write ? 'w' : '-') << (v.exec ? 'x' : '-') << " "
          << (v.shared ? "shared" : "private");
        if (v.growsdown) o << " growsdown";
        if (v.locked) o << " locked";
        if (v.huge > 0) o << " hugepage";
        if (v.huge < 0) o << " nohugepage";
        if (!v.maywrite) o << " nomaywrite";
        if (v.pfnmap) o << " pfnmap";
        if (v.file >= 0) o << " pgoff=" << v.pgoff;
        o << "\n";
    }
    for (const auto& p : s.pre) {
        o << "pre " << pre_kind_name(p.kind) << " " << hex(p.addr);
        if (p.kind == PreKind::touch_read || p.kind == PreKind::touch_write)
            o << " " << p.pages;
        o << "\n";
    }
    for (const auto& f : s.plan.failures)
        o << "fail " << alloc_site_name(f.site) << " " << f.occurrence << "\n";
    for (const auto& c : s.plan.codes)
        o << "fault " << hex(c.addr) << " " << vm_fault_name(c.code) << "\n";
    if (s.plan.signal_at_check)
        o << "signal " << s.plan.signal_at_check << "\n";
    if (s.plan.gup_rc_stub)
        o << "stub-gup-rc " << *s.plan.gup_rc_stub << "\n";
    for (const auto& il : s.plan.interleaves) {
        o << "interleave " << yield_point_name(il.point) << " " << il.occurrence << " " << mm_op_name(il.op) << " "
          << hex(il.addr);
        if (il.pages != 1)
            o << " " << il.pages;
        o << "\n";
    }
    if (is_real_kernel(s.kernel)) {
        o << "call " << entry_name(s.call.entry) << " start=" << hex(s.call.start) << " nr=" << s.call.nr_pages
          << " flags=" << gup_flags_string(s.kernel, s.call.gup_flags) << " pages=" << (s.call.pages ? "array" : "null");
        // Never in a valid 6.12 scenario (normalize.cpp refuses them); printed so that a report shows them.
        if (s.call.vmas)
            o << " vmas=array";
        if (s.call.sem != SemMode::read)
            o << " sem=write";
        o << "\n";
        return o.str();
    }
    o << "call start=" << hex(s.call.start) << " nr=" << s.call.nr_pages
      << " flags=" << gup_flags_string(s.call.gup_flags) << " pages=" << (s.call.pages ? "array" : "null")
      << " vmas=" << (s.call.vmas ? "array" : "null") << " sem=" << (s.call.sem == SemMode::read ? "read" : "write")
      << "\n";
    return o.str();
}

namespace {
std::string ordinal(unsigned n) {
    const char* suf = (n % 100 >= 11 && n % 100 <= 13) ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
    return std::to_string(n) + suf;
}
std::string file_words(const FileSpec& f) {
    switch (f.kind) {
    case FileKind::regular: return "page-cache file (S_IFREG|0644)";
    case FileKind::fsdax: return "filesystem-DAX file (S_IFREG|0644, S_DAX)";
    case FileKind::shmem: return "shmem/tmpfs file";
    case FileKind::devdax:
        return "device-DAX /dev/dax (S_IFCHR|0600, align " + std::to_string(f.align_pages * 4) + " KiB)";
    case FileKind::hugetlbfs: return "hugetlbfs file (2 MiB pages)";
    case FileKind::mmio: return "mmio device (pfns without struct page)";
    }
    return "?";
}
}  // namespace

std::string describe_interleave(const FaultPlan::Interleave& il) {
    const char* who = "";
    switch (kernel::mm_op_sem(il.op)) {
    case kernel::MmapSemNeed::read:
    case kernel::MmapSemNeed::write: who = "thread B of the same process"; break;
    case kernel::MmapSemNeed::none:
        who = il.op == kernel::MmOp::swapout ? "reclaim (kswapd)"
              : il.op == kernel::MmOp::migrate ? "compaction (kcompactd)"
                                               : "another process, through the file";
        break;
    }
    return "at the " + ordinal(il.occurrence) + " " + kernel::yield_point_words(il.point) + ", " + who + ": " +
           kernel::mm_op_words(il.op) + " [" + hex(il.addr) + ", " + hex(il.addr + il.pages * PAGE_SIZE) + ")";
}

std::string describe_layout(const Scenario& s) {
    std::ostringstream o;
    o << "kernel: " << (is_real_kernel(s.kernel) ? std::string("Linux ") + kernel_name(s.kernel) + " mm/gup.c" : "v4.15")
      << " x86-64, CONFIG_FS_DAX=" << (s.config.fs_dax ? 'y' : 'n') << ", THP " << thp_name(s.config.thp)
      << ", vsyscall gate " << (s.config.gate ? "mapped" : "off")
      << (s.config.pmd_loop_fix ? ", v4.19 follow_pmd_mask" : "")
      << (s.config.fsdax_ischr_fix ? ", vma_is_fsdax S_ISCHR fix" : "") << ", hugetlb pool " << s.hugetlb_pool
      << " x 2 MiB, RLIMIT_MEMLOCK " << s.config.rlimit_memlock << " bytes"
      << (s.config.zone_movable ? ", user memory in ZONE_MOVABLE" : "") << "\n";
    o << "layout:\n";
    if (s.vmas.empty())
        o << "  (no vmas)\n";
    for (std::size_t i = 0; i < s.vmas.size(); ++i) {
        const VmaSpec& v = s.vmas[i];
        o << "  vma " << i << " [" << hex(v.start) << ", " << hex(v.end) << ") " << ((v.end - v.start) >> PAGE_SHIFT)
          << " pages, " << (v.read ? 'r' : '-') << (v.write ? 'w' : '-') << (v.exec ? 'x' : '-') << " "
          << (v.shared ? "shared" : "private") << ", ";
        if (v.file < 0)
            o << (v.growsdown ? "anonymous stack (VM_GROWSDOWN)" : "anonymous");
        else
            o << (v.pfnmap ? "VM_IO|VM_PFNMAP " : "") << file_words(s.files[static_cast<std::size_t>(v.file)])
              << " #" << v.file << " at page offset " << v.pgoff;
        if (v.file >= 0 && s.files[static_cast<std::size_t>(v.file)].kind != FileKind::regular &&
            s.files[static_cast<std::size_t>(v.file)].kind != FileKind::shmem &&
            !s.files[static_cast<std::size_t>(v.file)].pgmap_live)
            o << " (pgmap dying)";
        if (v.locked) o << ", VM_LOCKED";
        if (v.huge > 0) o << ", MADV_HUGEPAGE";
        if (v.huge < 0) o << ", MADV_NOHUGEPAGE";
        if (!v.maywrite) o << ", opened read-only";
        o << "\n";
    }
    if (!s.pre.empty()) {
        o << "before the call:";
        for (const auto& p : s.pre) {
            o << "\n  " << pre_kind_name(p.kind) << " " << hex(p.addr);
            if (p.pages > 1)
                o << " (" << p.pages << " pages)";
        }
        o << "\n";
    }
    o << "fault plan:";
    if (s.plan.empty())
        o << " none";
    for (const auto& f : s.plan.failures)
        o << "\n  fail the " << ordinal(f.occurrence) << " " << alloc_site_name(f.site);
    for (const auto& c : s.plan.codes)
        o << "\n  VM_FAULT_" << vm_fault_name(c.code) << " on faults at " << hex(c.addr);
    if (s.plan.signal_at_check)
        o << "\n  SIGKILL pending from the " << ordinal(s.plan.signal_at_check) << " fatal_signal_pending() check";
    if (s.plan.gup_rc_stub)
        o << "\n  get_user_pages stubbed to return " << *s.plan.gup_rc_stub;
    for (const auto& il : s.plan.interleaves)
        o << "\n  " << describe_interleave(il);
    if (is_real_kernel(s.kernel)) {
        o << "\ncall: " << entry_name(s.call.entry) << "(start=" << hex(s.call.start) << ", nr_pages=" << s.call.nr_pages
          << ", " << gup_flags_string(s.kernel, s.call.gup_flags) << ", pages=" << (s.call.pages ? "array" : "NULL") << ")";
        switch (s.call.entry) {
        case k612::Call::pin_user_pages:
        case k612::Call::pin_user_pages_remote:
        case k612::Call::get_user_pages: o << " with mmap_lock held for read\n"; break;
        default: o << " without mmap_lock (the entry takes it)\n"; break;
        }
        return o.str();
    }
    o << "\ncall: get_user_pages_longterm(start=" << hex(s.call.start) << ", nr_pages=" << s.call.nr_pages << ", "
      << gup_flags_string(s.call.gup_flags) << ", pages=" << (s.call.pages ? "array" : "NULL")
      << ", vmas=" << (s.call.vmas ? "array" : "NULL") << ") with mmap_sem held for "
      << (s.call.sem == SemMode::read ? "read" : "write") << "\n";
    return o.str();
}

}  // namespace gupfuzz::harness
