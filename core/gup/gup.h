// SPDX-License-Identifier: GPL-2.0-only
//
// The port: mm/gup.c (and the helpers it calls) of Linux v4.15, in kernel
// names and kernel control flow.  See docs/architecture.md for the layering
// and docs/port-map.md for the function-by-function citations.
//
// Every file of the port is compiled once per variant (docs/defects.md): the
// build defines GUPFUZZ_PORT_NS, the namespace of that variant, and
// CONFIG_FS_DAX when the variant has it.  Only the namespace lines name it;
// the bodies are the kernel's.  The harness reaches a variant through its
// entry in the table of core/gup/entry.h, never by these names.
#pragma once

#include "core/kernel/world.h"

#ifndef GUPFUZZ_PORT_NS
#error "the port is compiled only as a variant: see gupfuzz_port_variant() in CMakeLists.txt"
#endif

// include/linux/fs.h v4.15: S_DAX is 0 when CONFIG_FS_DAX=n ("make all the
// DAX code disappear").
#ifdef CONFIG_FS_DAX
#define S_DAX ::gupfuzz::kernel::S_DAX_BIT
#else
#define S_DAX 0U
#endif

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

using namespace gupfuzz::kernel;

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

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
