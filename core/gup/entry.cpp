// SPDX-License-Identifier: GPL-2.0-only
//
// Looking up the code under test in the table of compiled variants
// (core/gup/entry.h).  The table itself, entries(), is generated per binary
// flavour by CMake (gupfuzz_port_table).
#include "core/gup/entry.h"

#include <cstring>
#include <stdexcept>

namespace gupfuzz::port {

namespace {
Defect g_defect = Defect::none;  // set by tests and the defect fuzzer before each run; read-only during it
}

const char* defect_name(Defect d) {
    switch (d) {
    case Defect::none: return "none";
    case Defect::bad_errno: return "bad_errno";
    case Defect::einval_after_alloc: return "einval_after_alloc";
    case Defect::kcalloc_efault: return "kcalloc_efault";
    case Defect::rollback_short: return "rollback_short";
    case Defect::devmap_pgmap_leak: return "devmap_pgmap_leak";
    case Defect::thp_head_page: return "thp_head_page";
    case Defect::scan_first_vma_only: return "scan_first_vma_only";
    case Defect::stop_at_vma_boundary: return "stop_at_vma_boundary";
    case Defect::vmas_not_freed: return "vmas_not_freed";
    case Defect::drop_mmap_sem: return "drop_mmap_sem";
    case Defect::rollback_double_put: return "rollback_double_put";
    case Defect::no_foll_cow: return "no_foll_cow";
    case Defect::skip_write_check: return "skip_write_check";
    case Defect::fault_always_write: return "fault_always_write";
    case Defect::alias_rejects_null: return "alias_rejects_null";
    case Defect::scan_exit_eq: return "scan_exit_eq";
    case Defect::unsigned_index: return "unsigned_index";
    case Defect::foll_cow_no_dirty: return "foll_cow_no_dirty";
    case Defect::migration_fail_no_putback: return "migration_fail_no_putback";
    case Defect::pin_bias_twice: return "pin_bias_twice";
    case Defect::fsdax_check_removed: return "fsdax_check_removed";
    case Defect::zero_page_pinned: return "zero_page_pinned";
    case Defect::longterm_get_allowed: return "longterm_get_allowed";
    case Defect::migrate_unpin_dropped: return "migrate_unpin_dropped";
    case Defect::fast_partial_errno: return "fast_partial_errno";
    case Defect::movable_check_skipped: return "movable_check_skipped";
    case Defect::COUNT: break;
    }
    return "?";
}

const char* defect_generation(Defect d) {
    if (d == Defect::none || d == Defect::COUNT)
        return "";
    if (static_cast<int>(d) >= static_cast<int>(Defect::migrate_unpin_dropped))
        return "6.1";
    return static_cast<int>(d) >= static_cast<int>(Defect::migration_fail_no_putback) ? "6.12" : "v4.15";
}

bool defect_from_name(const char* name, Defect* out) {
    for (int i = 0; i < static_cast<int>(Defect::COUNT); ++i)
        if (std::strcmp(name, defect_name(static_cast<Defect>(i))) == 0) {
            *out = static_cast<Defect>(i);
            return true;
        }
    return false;
}

bool operator==(const VariantKey& a, const VariantKey& b) {
    return std::strcmp(a.generation, b.generation) == 0 && a.fs_dax == b.fs_dax &&
           a.pmd_loop_fix == b.pmd_loop_fix && a.fsdax_ischr_fix == b.fsdax_ischr_fix && a.gup_stub == b.gup_stub &&
           a.defect == b.defect;
}

std::string variant_name(const VariantKey& k) {
    std::string s = std::string(k.generation) + " FS_DAX=" + (k.fs_dax ? "y" : "n");
    if (k.pmd_loop_fix)
        s += " +pmd-loop-v4.19";
    if (k.fsdax_ischr_fix)
        s += " +vma-is-fsdax-ischr";
    if (k.gup_stub)
        s += " +get-user-pages-stub";
    if (k.defect != Defect::none)
        s += std::string(" defect=") + defect_name(k.defect);
    return s;
}

VariantKey canonical(VariantKey k) {
    if (!k.fs_dax)
        k.fsdax_ischr_fix = false;  // S_DAX == 0: vma_is_dax() is false before i_mode is read
    if (k.gup_stub)
        k.pmd_loop_fix = k.fsdax_ischr_fix = false;  // no walk; the scan runs only for i < rc < 0
    return k;
}

namespace {
const GupEntry* find(const VariantKey& k) {
    for (const GupEntry* e : entries())
        if (e->key == k)
            return e;
    return nullptr;
}
}  // namespace

const GupEntry& entry_for(const VariantKey& key) {
    const VariantKey k = canonical(key);
    if (const GupEntry* e = find(k))
        return *e;
    if (k.defect != Defect::none) {
        // The defect's patched lines are not compiled or not reachable in this
        // configuration (entry.h); the build then made no variant for it.  A
        // defect of another generation leaves the port as it is.
        bool built_somewhere = std::strcmp(defect_generation(k.defect), k.generation) != 0;
        for (const GupEntry* e : entries())
            built_somewhere |= e->key.defect == k.defect;
        VariantKey correct = k;
        correct.defect = Defect::none;
        if (built_somewhere)
            if (const GupEntry* e = find(correct))
                return *e;
    }
    throw std::invalid_argument("this binary has no build of the port as " + variant_name(k) +
                                (k.defect != Defect::none ? " (defects are in gupfuzz-defects and the *_defects targets)"
                                                          : ""));
}

const GupEntry& entry_for(const kernel::KernelConfig& c, bool gup_stub) {
    VariantKey k;
    k.fs_dax = c.fs_dax;
    k.pmd_loop_fix = c.pmd_loop_fix;
    k.fsdax_ischr_fix = c.fsdax_ischr_fix;
    k.gup_stub = gup_stub;
    k.defect = g_defect;
    return entry_for(k);
}

bool defects_compiled_in() {
    for (const GupEntry* e : entries())
        if (e->key.defect != Defect::none)
            return true;
    return !kernel612_defects().empty();
}

bool set_active_defect(Defect d) {
    bool have = d == Defect::none;
    for (const GupEntry* e : entries())
        have |= e->key.defect == d;
    for (Defect k : kernel612_defects())
        have |= k == d;
    g_defect = have ? d : Defect::none;
    return have;
}

Defect active_defect() { return g_defect; }

}  // namespace gupfuzz::port
