// SPDX-License-Identifier: GPL-2.0-only
//
// The long-term GUP callers of the v4.15 era, as the system under test of the
// stateful properties: the page-handling parts of ib_umem_get /
// ib_umem_release (drivers/infiniband/core/umem.c) and of
// videobuf_dma_init_user / videobuf_dma_free
// (drivers/media/v4l2-core/videobuf-dma-sg.c), in kernel order, on a
// harness::Session (seed-port.md §5.1, §5.2).  Each keeps the pages it was
// given in its own structure exactly as the driver does (the sg list, the
// dma->pages array), which is the ledger the refcounts are checked against.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "core/harness/session.h"

namespace gupfuzz::props {

// ---- RDMA: struct ib_umem ----
struct IbUmem {
    unsigned long address = 0;
    std::size_t length = 0;
    bool writable = false;
    bool hugetlb = true;
    int nmap = 0;
    std::vector<kernel::page*> sg;  // sg_set_page() per pinned page: umem->npages entries
};

// Failures of the driver's own allocations (not of the kernel paths GUP takes).
struct IbUmemFaults {
    bool page_list = false;  // __get_free_page(page_list): -ENOMEM
    bool vma_list = false;   // __get_free_page(vma_list): tolerated, vmas = NULL, longterm kcallocs
    bool sg_table = false;   // sg_alloc_table: -ENOMEM before any pin
    bool dma_map = false;    // ib_dma_map_sg returns 0: -ENOMEM after pinning, release
};

// ib_umem_get: 0 with *out filled, or a negative errno with nothing held.
// Problems a caller can see (mmap_sem released under it, a leaked vmas
// array, rc 0 without FOLL_NOWAIT) are appended to *problems.
long ib_umem_get(harness::Session& s, unsigned long addr, std::size_t size, bool writable, const IbUmemFaults& faults,
                 IbUmem* out, std::vector<std::string>* problems);
// ib_umem_release: __ib_umem_release(dirty = 1): set_page_dirty_lock on a
// writable region's pages that are not dirty, then put_page each.
void ib_umem_release(harness::Session& s, IbUmem& umem);
// ib_umem_num_pages
unsigned long ib_umem_num_pages(unsigned long addr, std::size_t size);

// ---- V4L2: struct videobuf_dmabuf ----
struct VideobufDma {
    bool from_device = false;         // DMA_FROM_DEVICE: the device writes, so FOLL_WRITE
    unsigned long offset = 0;
    std::size_t size = 0;
    bool have_pages = false;          // dma->pages != NULL
    std::vector<kernel::page*> pages; // the kmalloc'd array of the requested count
    long nr_pages = 0;                // what videobuf_dma_free will put_page
};

// videobuf_dma_init_user (down_read, videobuf_dma_init_user_locked, up_read):
// 0, or an errno; on a partial pin the pages stay in dma until
// videobuf_dma_free (-EINVAL is returned for the short count).
long videobuf_dma_init_user(harness::Session& s, VideobufDma* dma, bool from_device, unsigned long data,
                            unsigned long size, bool kmalloc_fails, std::vector<std::string>* problems);
void videobuf_dma_free(harness::Session& s, VideobufDma* dma);

}  // namespace gupfuzz::props
