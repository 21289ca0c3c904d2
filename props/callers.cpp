// SPDX-License-Identifier: GPL-2.0-only
#include "props/callers.h"

#include <algorithm>
#include <cstdio>

namespace gupfuzz::props {

using namespace gupfuzz::kernel;
using harness::Session;

namespace {

void note_call(const Session::CallResult& r, unsigned long start, unsigned long nr, unsigned flags,
               std::vector<std::string>* problems) {
    char addr[32];
    std::snprintf(addr, sizeof addr, "%#lx", start);
    const std::string at = "get_user_pages_longterm(" + std::string(addr) + ", " + std::to_string(nr) + ", " +
                           harness::gup_flags_string(flags) + ")";
    for (const auto& p : r.problems)
        problems->push_back(at + ": " + p);
    if (r.crashed)
        problems->push_back(at + " did not return: " + r.crash);
    if (!r.crashed && r.rc > static_cast<long>(nr))
        problems->push_back(at + " returned " + std::to_string(r.rc) + " > nr_pages");
}

}  // namespace

unsigned long ib_umem_num_pages(unsigned long addr, std::size_t size) {
    const unsigned long start = addr & PAGE_MASK;
    const unsigned long end = (addr + size + PAGE_SIZE - 1) & PAGE_MASK;
    return (end - start) >> PAGE_SHIFT;
}

// drivers/infiniband/core/umem.c:83 v4.15, the page-handling parts.
long ib_umem_get(Session& s, unsigned long addr, std::size_t size, bool writable, const IbUmemFaults& faults,
                 IbUmem* out, std::vector<std::string>* problems) {
    unsigned int gup_flags = FOLL_WRITE;
    if (addr + size < addr || ((addr + size + PAGE_SIZE - 1) & PAGE_MASK) < addr + size)
        return -EINVAL;

    IbUmem umem;  // kzalloc
    umem.length = size;
    umem.address = addr;
    umem.writable = writable;
    // We assume the memory is from hugetlb until proved otherwise.
    umem.hugetlb = true;

    if (faults.page_list)  // page_list = __get_free_page()
        return -ENOMEM;
    std::vector<page*> page_list(PAGE_SIZE / sizeof(page*), nullptr);
    // If we can't alloc the vma_list, it's not so bad; just assume the
    // memory is not hugetlb memory.
    std::vector<vm_area_struct*> vma_list;
    if (!faults.vma_list)
        vma_list.assign(PAGE_SIZE / sizeof(vm_area_struct*), nullptr);
    else
        umem.hugetlb = false;

    unsigned long npages = ib_umem_num_pages(addr, size);
    s.down_write();
    long ret = 0;
    bool need_release = false;
    unsigned long cur_base = addr & PAGE_MASK;
    if (npages == 0) {
        ret = -EINVAL;
        goto out;
    }
    if (faults.sg_table) {  // sg_alloc_table
        ret = -ENOMEM;
        goto out;
    }
    if (!umem.writable)
        gup_flags |= FOLL_FORCE;
    need_release = true;

    while (npages) {
        const unsigned long chunk = std::min<unsigned long>(npages, PAGE_SIZE / sizeof(page*));
        const Session::CallResult r = s.get_user_pages_longterm(cur_base, chunk, gup_flags, page_list.data(),
                                                                vma_list.empty() ? nullptr : vma_list.data());
        note_call(r, cur_base, chunk, gup_flags, problems);
        if (r.crashed) {
            ret = -EFAULT;
            goto out;
        }
        ret = r.rc;
        if (ret < 0)
            goto out;
        if (ret == 0) {
            // The kernel would spin here forever; these flags cannot give 0.
            problems->push_back("get_user_pages_longterm returned 0 without FOLL_NOWAIT: ib_umem_get would spin");
            ret = -EFAULT;
            goto out;
        }
        for (long i = 0; i < ret; ++i) {
            if (!vma_list.empty() && !(vma_list[static_cast<std::size_t>(i)]->vm_flags & VM_HUGETLB))
                umem.hugetlb = false;
            umem.sg.push_back(page_list[static_cast<std::size_t>(i)]);  // sg_set_page
        }
        cur_base += static_cast<unsigned long>(ret) * PAGE_SIZE;
        npages -= static_cast<unsigned long>(ret);
    }

    umem.nmap = faults.dma_map ? 0 : static_cast<int>(umem.sg.size());  // ib_dma_map_sg_attrs
    if (umem.nmap <= 0) {
        ret = -ENOMEM;
        goto out;
    }
    ret = 0;

out:
    if (ret < 0) {
        if (need_release) {
            // __ib_umem_release(dev, umem, 0): the earlier chunks' pages, not dirtied.
            for (page* p : umem.sg)
                s.put_page(p);
            umem.sg.clear();
        }
    }
    s.up_write();
    if (ret == 0)
        *out = std::move(umem);
    return ret;
}

// drivers/infiniband/core/umem.c:47 __ib_umem_release(dev, umem, dirty = 1),
// as ib_umem_release calls it.
void ib_umem_release(Session& s, IbUmem& umem) {
    for (page* p : umem.sg) {
        if (umem.writable && !PageDirty(compound_head(p)))
            s.set_page_dirty_lock(p);
        s.put_page(p);
    }
    umem.sg.clear();
}

// drivers/media/v4l2-core/videobuf-dma-sg.c:154 v4.15
long videobuf_dma_init_user(Session& s, VideobufDma* dma, bool from_device, unsigned long data, unsigned long size,
                            bool kmalloc_fails, std::vector<std::string>* problems) {
    s.down_read();  // videobuf_dma_init_user
    long err = 0;
    {
        unsigned int flags = FOLL_FORCE;
        dma->from_device = from_device;
        const unsigned long first = (data & PAGE_MASK) >> PAGE_SHIFT;
        const unsigned long last = ((data + size - 1) & PAGE_MASK) >> PAGE_SHIFT;
        dma->offset = data & ~PAGE_MASK;
        dma->size = size;
        dma->nr_pages = static_cast<long>(last - first + 1);
        if (kmalloc_fails) {
            dma->have_pages = false;
            err = -ENOMEM;
        } else {
            dma->pages.assign(static_cast<std::size_t>(dma->nr_pages), nullptr);
            dma->have_pages = true;
            if (from_device)  // rw == READ: the device writes into the pages
                flags |= FOLL_WRITE;
            const Session::CallResult r =
                s.get_user_pages_longterm(data & PAGE_MASK, static_cast<unsigned long>(dma->nr_pages), flags,
                                          dma->pages.data(), nullptr);
            note_call(r, data & PAGE_MASK, static_cast<unsigned long>(dma->nr_pages), flags, problems);
            err = r.crashed ? -EFAULT : r.rc;
            if (err != dma->nr_pages) {
                dma->nr_pages = err >= 0 ? err : 0;
                err = err < 0 ? err : -EINVAL;
            } else {
                err = 0;
            }
        }
    }
    s.up_read();
    return err;
}

// drivers/media/v4l2-core/videobuf-dma-sg.c:348 v4.15
void videobuf_dma_free(Session& s, VideobufDma* dma) {
    if (dma->have_pages) {
        for (long i = 0; i < dma->nr_pages; i++)
            s.put_page(dma->pages[static_cast<std::size_t>(i)]);
        dma->pages.clear();  // kfree
        dma->have_pages = false;
    }
    dma->nr_pages = 0;
}

}  // namespace gupfuzz::props
