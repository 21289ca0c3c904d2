// SPDX-License-Identifier: GPL-2.0-only
//
// The port: mm/gup.c (and the helpers it calls) of Linux v4.15, in kernel
// names and kernel control flow.  See docs/architecture.md for the layering
// and docs/port-map.md for the function-by-function citations.
#pragma once

#include "core/kernel/world.h"

namespace gupfuzz::port {

using namespace gupfuzz::kernel;

// ---- deliberate defects (test-only builds) ----
// The default build compiles every GUPFUZZ_DEFECT(x) to `false`.  A build
// with -DGUPFUZZ_DEFECT_BUILD selects one defect at run time so the tests can
// show each oracle firing on a broken port.
enum class Defect : int {
    none,
    bad_errno,            // P1: a vma-flags failure returns -EPERM instead of -EFAULT
    einval_after_alloc,   // P2: the pages==NULL check moved below the kcalloc
    kcalloc_efault,       // P3: a failed kcalloc returns -EFAULT
    rollback_short,       // P4: the -EOPNOTSUPP rollback drops one reference too few
    devmap_pgmap_leak,    // P5: follow_devmap_pmd forgets put_dev_pagemap
    thp_head_page,        // P6: follow_trans_huge_pmd returns the head, not the subpage
    scan_first_vma_only,  // P7: the fsdax scan looks at vmas[0] only (get_vaddr_frames style)
    stop_at_vma_boundary, // P8: __get_user_pages stops when it crosses into the next vma
    vmas_not_freed,       // P9: the private vmas array is never kfree'd
    drop_mmap_sem,        // P10: faultin_page drops and retakes mmap_sem around the fault
    rollback_double_put,  // P11: the rollback puts pages[0] twice
    no_foll_cow,          // P12: faultin_page never sets FOLL_COW (pre-Dirty-COW loop)
    skip_write_check,     // P13: follow_page_pte ignores can_follow_write_pte
    fault_always_write,   // P14: faultin_page always asks for a write fault
    alias_rejects_null,   // P16: the FS_DAX=n alias refuses pages==NULL
    scan_exit_eq,         // P17: `if (i == rc)` instead of `if (i >= rc)`: a negative rc is "fsdax"
    unsigned_index,       // P17: `unsigned long i` in get_user_pages_longterm (ASan catches it)
    COUNT
};
const char* defect_name(Defect d);
bool defect_from_name(const char* name, Defect* out);
bool defects_compiled_in();
void set_active_defect(Defect d);  // only meaningful when defects_compiled_in()
Defect active_defect();

// ---- ported functions (mm/gup.c v4.15 unless noted) ----
long get_user_pages_longterm(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
                             page** pages, vm_area_struct** vmas_arg);
long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags, page** pages,
                    vm_area_struct** vmas);
page* follow_page_mask(vm_area_struct* vma, unsigned long address, unsigned int flags,
                       unsigned int* page_mask);
vm_area_struct* find_extend_vma(mm_struct* mm, unsigned long addr);
long populate_vma_page_range(vm_area_struct* vma, unsigned long start, unsigned long end, int* nonblocking);
bool vma_is_dax(vm_area_struct* vma);
bool vma_is_fsdax(vm_area_struct* vma);
void get_page(page* p);
void put_page(page* p);
dev_pagemap* get_dev_pagemap(unsigned long pfn, dev_pagemap* pgmap);
void put_dev_pagemap(dev_pagemap* pgmap);
page* vm_normal_page(vm_area_struct* vma, unsigned long addr, pte_t pte);
int vm_fault_to_errno(int vm_fault, int foll_flags);
long follow_hugetlb_page(mm_struct* mm, vm_area_struct* vma, page** pages, vm_area_struct** vmas,
                         unsigned long* position, unsigned long* nr_pages, long i, unsigned int flags,
                         int* nonblocking);
page* follow_trans_huge_pmd(vm_area_struct* vma, unsigned long addr, pmd_t* pmd, unsigned int flags);
page* follow_devmap_pmd(vm_area_struct* vma, unsigned long addr, pmd_t* pmd, int flags);
page* follow_devmap_pud(vm_area_struct* vma, unsigned long addr, pud_t* pud, int flags);

}  // namespace gupfuzz::port
