// SPDX-License-Identifier: GPL-2.0-only
//
// Port of the header and helper functions the v4.15 GUP path calls:
// page references (include/linux/mm.h, mm/swap.c), dev_pagemap references
// (kernel/memremap.c, include/linux/memremap.h), the DAX predicates
// (include/linux/fs.h), vm_normal_page (mm/memory.c), vm_fault_to_errno
// (include/linux/mm.h) and find_extend_vma (mm/mmap.c).
#include "core/gup/gup.h"

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

// include/linux/memremap.h:184 v4.15 (static inline; moved out of line in v4.16)
dev_pagemap* get_dev_pagemap(unsigned long pfn, dev_pagemap* pgmap)
{
    // A cached pgmap already holds a live reference: a blind increment will do.
    if (pgmap && pfn >= pgmap->pfn_first && pfn < pgmap->pfn_last) {
        pgmap->ref++;  // percpu_ref_get
        return pgmap;
    }

    // Slow path: the pgmap radix lookup, then percpu_ref_tryget_live().
    pgmap = lookup_dev_pagemap(pfn);
    if (pgmap) {
        if (pgmap->live)
            pgmap->ref++;
        else
            pgmap = nullptr;
    }
    return pgmap;
}

// include/linux/memremap.h:209 v4.15
void put_dev_pagemap(dev_pagemap* pgmap)
{
    if (pgmap)
        pgmap->ref--;  // percpu_ref_put
}

// include/linux/mm.h:837 v4.15
void get_page(page* pg)
{
    pg = compound_head(pg);
    // A normal page or a compound head must already hold a reference.
    if (page_ref_count(pg) <= 0)
        throw KernelBug("VM_BUG_ON_PAGE(page_ref_count(page) <= 0) in get_page");
    page_ref_inc(pg);
}

// mm/swap.c:98 v4.15
static void __put_page(page* pg)
{
    if (is_zone_device_page(pg)) {
        put_dev_pagemap(pg->pgmap);
        // The page belongs to the device that created pgmap: it does not go
        // back to the page allocator.
        return;
    }
    // __put_compound_page / __put_single_page: back to the allocator.
    current_world()->free_pages(pg);
}

// include/linux/mm.h v4.15, put_page_testzero (CONFIG_DEBUG_VM=y: the VM_BUG_ON_PAGE is live)
static inline int put_page_testzero(page* pg)
{
    if (page_ref_count(pg) == 0)
        throw KernelBug("VM_BUG_ON_PAGE(page_ref_count(page) == 0) in put_page_testzero");
    return page_ref_dec_and_test(pg);
}

// include/linux/mm.h:848 v4.15 (CONFIG_DEVICE_PRIVATE/PUBLIC=n: no HMM branch)
void put_page(page* pg)
{
    pg = compound_head(pg);

    if (put_page_testzero(pg))
        __put_page(pg);
}

// include/linux/fs.h:3193 v4.15.  IS_DAX(inode) is i_flags & S_DAX, and S_DAX
// is 0 when CONFIG_FS_DAX=n (gup.h).
bool vma_is_dax(vm_area_struct* vma)
{
    return vma->vm_file && (vma->vm_file->f_mapping->host->i_flags & S_DAX);
}

// include/linux/fs.h:3198 v4.15.  Note the whole-mode comparison with
// S_IFCHR: it is what v4.15 shipped (fixed upstream by "dax: fix
// vma_is_fsdax() helper", which uses S_ISCHR).  The model gives device-dax
// inodes a realistic mode (S_IFCHR | 0600), so v4.15 treats them as fsdax;
// the P7 oracle reports it.  core/gup/fixes/vma-is-fsdax-ischr.patch is the
// fix, built as its own variant (scenario key fsdax_ischr_fix).
bool vma_is_fsdax(vm_area_struct* vma)
{
    inode* ino;

    if (!vma->vm_file)
        return false;
    if (!vma_is_dax(vma))
        return false;
    ino = vma->vm_file->f_inode;  // file_inode()
    if (ino->i_mode == S_IFCHR)
        return false;  // device-dax
    return true;
}

// mm/memory.c:822 v4.15 (_vm_normal_page with HAVE_PTE_SPECIAL and
// with_public_device == false)
page* vm_normal_page(vm_area_struct* vma, unsigned long addr, pte_t pte)
{
    unsigned long pfn = pte_pfn(pte);

    if (!pte_special(pte))
        goto check_pfn;
    if (vma->vm_ops && vma->vm_ops->find_special_page)
        return vma->vm_ops->find_special_page(vma, addr);
    if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
        return nullptr;
    if (is_zero_pfn(pfn))
        return nullptr;
    // CONFIG_DEVICE_PUBLIC=n: no device public pages.
    print_bad_pte(vma, addr, pte, nullptr);
    return nullptr;

check_pfn:
    if (pfn > current_world()->highest_memmap_pfn) {
        print_bad_pte(vma, addr, pte, nullptr);
        return nullptr;
    }

    // PageReserved pages (the vsyscall page, the VDSO) are still normal here.
    return pfn_to_page(pfn);
}

// include/linux/mm.h:2439 v4.15
int vm_fault_to_errno(int vm_fault, int foll_flags)
{
    if (vm_fault & VM_FAULT_OOM)
        return -ENOMEM;
    if (vm_fault & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
        return (foll_flags & FOLL_HWPOISON) ? -EHWPOISON : -EFAULT;
    if (vm_fault & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
        return -EFAULT;
    return 0;
}

// mm/mmap.c:2448 v4.15 (!CONFIG_STACK_GROWSUP)
vm_area_struct* find_extend_vma(mm_struct* mm, unsigned long addr)
{
    vm_area_struct* vma;
    unsigned long start;

    addr &= PAGE_MASK;
    vma = find_vma(mm, addr);
    if (!vma)
        return nullptr;
    if (vma->vm_start <= addr)
        return vma;
    if (!(vma->vm_flags & VM_GROWSDOWN))
        return nullptr;
    start = vma->vm_start;
    if (expand_stack(vma, addr))
        return nullptr;
    if (vma->vm_flags & VM_LOCKED)
        populate_vma_page_range(vma, addr, start, nullptr);
    return vma;
}

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
