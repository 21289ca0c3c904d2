// SPDX-License-Identifier: GPL-2.0-only
//
// Long-term callers of the Linux 6.12 generation (port-v6.12.md §7), the
// page-handling parts of each, on a harness::Session of a `kernel 6.12`
// scenario: every pin goes through the real mm/gup.c (Session::call612) and
// every release through its own unpin_user_pages* (Session::unpin_*).
//
//   ib_umem_get / ib_umem_release   drivers/infiniband/core/umem.c:158 / :48
//   io_pin_pages / unpin            io_uring/memmap.c:134 (io_free_region: unpin_user_pages)
//   get_vaddr_frames / put_...      drivers/media/common/videobuf2/frame_vector.c:40 / :80
//   vaddr_get_pfns / put_pfn        drivers/vfio/vfio_iommu_type1.c:551 / :512
//
// Each returns what the driver returns and keeps what the driver keeps; the
// property (callers612_prop.h) checks the pin ledger against what the live
// registrations hold after every step (R18).  A CallerDefect makes one caller
// wrong the way a driver could be, to show the property catching it.
#pragma once

#include <string>
#include <vector>

#include "core/harness/session.h"

namespace gupfuzz::props {

enum class CallerDefect {
    none,
    io_pin_pages_keeps_partial,      // a short count becomes -EFAULT without unpin_user_pages(pages, ret)
    ib_umem_no_unpin_on_sg_failure,  // sg_alloc_append_table failure: the chunk is not unpinned
    vaddr_frames_partial_leaked,     // get_vaddr_frames turns a short count into -EFAULT and forgets the pages
};
void set_caller_defect(CallerDefect d);
CallerDefect caller_defect();
const char* caller_defect_name(CallerDefect d);

// ---- RDMA: struct ib_umem (6.12) ----
struct IbUmem612 {
    unsigned long address = 0;
    std::size_t length = 0;
    bool writable = false;
    std::vector<kernel::page*> sg;  // the pinned pages, in sg order
};
struct IbUmem612Faults {
    bool page_list = false;  // __get_free_page fails
    int sg_append_chunk = -1;  // sg_alloc_append_table_from_pages fails for this chunk (0-based)
    bool dma_map = false;    // ib_dma_map_sgtable_attrs fails
};
// 0 (the umem holds every page of [addr, addr + size)) or an errno (nothing
// held).  pinned_vm is mm->pinned_vm as ib_umem_get accounts it (the process
// has CAP_IPC_LOCK, so RLIMIT_MEMLOCK never refuses).
long ib_umem_get(harness::Session& s, unsigned long addr, std::size_t size, bool writable, const IbUmem612Faults& f,
                 long* pinned_vm, IbUmem612* out, std::vector<std::string>* problems);
// ib_umem_release: __ib_umem_release(dev, umem, 1) (unpin_user_page_range_dirty_lock
// per sg entry, dirtying a writable umem) and pinned_vm -= ib_umem_num_pages.
void ib_umem_release(harness::Session& s, IbUmem612& umem, long* pinned_vm, std::vector<std::string>* problems);

// ---- io_uring: io_pin_pages (all or nothing) ----
// The number of pages (the array holds them all, pinned) or an errno (nothing held).
long io_pin_pages(harness::Session& s, unsigned long uaddr, unsigned long len, bool kvmalloc_fails,
                  std::vector<kernel::page*>* pages, std::vector<std::string>* problems);
void io_unpin_pages(harness::Session& s, std::vector<kernel::page*>& pages, std::vector<std::string>* problems);

// ---- videobuf2: struct frame_vector ----
struct FrameVector {
    std::vector<kernel::page*> ptrs;  // nr_allocated entries
    unsigned nr_frames = 0;
    bool got_ref = false;
};
// ret > 0: vec holds ret pages (possibly fewer than nr_frames); else an errno, nothing held.
long get_vaddr_frames(harness::Session& s, unsigned long start, unsigned nr_frames, bool write, FrameVector* vec,
                      std::vector<std::string>* problems);
void put_vaddr_frames(harness::Session& s, FrameVector* vec, std::vector<std::string>* problems);

// ---- vfio type1: vaddr_get_pfns ----
// ret > 0: pages[0, ret) pinned (vfio keeps them one by one, released with put_pfn); else an errno.
long vaddr_get_pfns(harness::Session& s, unsigned long vaddr, long npages, bool write,
                    std::vector<kernel::page*>* pages, std::vector<std::string>* problems);
// put_pfn: unpin_user_pages_dirty_lock(&page, 1, prot & IOMMU_WRITE)
void put_pfn(harness::Session& s, kernel::page* page, bool write, std::vector<std::string>* problems);

}  // namespace gupfuzz::props
