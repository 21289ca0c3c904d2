// SPDX-License-Identifier: GPL-2.0-only
#include <cstring>

#include "core/gup/gup.h"

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
    case Defect::COUNT: break;
    }
    return "?";
}

bool defect_from_name(const char* name, Defect* out) {
    for (int i = 0; i < static_cast<int>(Defect::COUNT); ++i)
        if (std::strcmp(name, defect_name(static_cast<Defect>(i))) == 0) {
            *out = static_cast<Defect>(i);
            return true;
        }
    return false;
}

bool defects_compiled_in() {
#ifdef GUPFUZZ_DEFECT_BUILD
    return true;
#else
    return false;
#endif
}

void set_active_defect(Defect d) { g_defect = defects_compiled_in() ? d : Defect::none; }
Defect active_defect() { return g_defect; }

}  // namespace gupfuzz::port
