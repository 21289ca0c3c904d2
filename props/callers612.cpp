// SPDX-License-Identifier: GPL-2.0-only
#include "props/callers612.h"

#include <algorithm>
#include <climits>
#include <cstdio>

#include "core/harness/scenario.h"
#include "core/kernel/hex.h"

namespace gupfuzz::props {

using namespace gupfuzz::kernel;
using harness::Session;
namespace foll = k612::foll;

namespace {

CallerDefect g_defect = CallerDefect::none;

// What a driver would never see from a valid call: the call ended in a BUG,
// WARNed, returned more than asked, or 0 (which the entry's contract only
// allows for invalid arguments, nr_pages 0 or FOLL_NOWAIT).
void note_call(const Session::PinResult& r, k612::Call c, unsigned long start, unsigned long nr, unsigned flags,
               std::vector<std::string>* problems) {
    const std::string at = std::string(harness::entry_name(c)) + "(" + hex(start) + ", " + std::to_string(nr) + ", " +
                           harness::gup_flags_string(harness::Kernel::v6_12, flags) + ")";
    for (const auto& p : r.problems)
        problems->push_back(at + ": " + p);
    if (r.crashed)
        problems->push_back(at + " did not return: " + r.crash);
    else if (r.rc > static_cast<long>(nr))
        problems->push_back(at + " returned " + std::to_string(r.rc) + " > nr_pages");
    else if (r.rc == 0 && nr > 0)
        problems->push_back(at + " returned 0 for valid arguments without FOLL_NOWAIT");
}

void note_release(const std::string& bug, const char* what, std::vector<std::string>* problems) {
    if (!bug.empty())
        problems->push_back(std::string(what) + " ended: " + bug);
}

unsigned long num_pages(unsigned long addr, std::size_t size) {
    const unsigned long start = addr & PAGE_MASK;
    const unsigned long end = (addr + size + PAGE_SIZE - 1) & PAGE_MASK;
    return (end - start) >> PAGE_SHIFT;
}

}  // namespace

void set_caller_defect(CallerDefect d) { g_defect = d; }
CallerDefect caller_defect() { return g_defect; }
const char* caller_defect_name(CallerDefect d) {
    switch (d) {
    case CallerDefect::none: return "none";
    case CallerDefect::io_pin_pages_keeps_partial: return "io_pin_pages_keeps_partial";
    case CallerDefect::ib_umem_no_unpin_on_sg_failure: return "ib_umem_no_unpin_on_sg_failure";
    case CallerDefect::vaddr_frames_partial_leaked: return "vaddr_frames_partial_leaked";
    }
    return "?";
}

// drivers/infiniband/core/umem.c:158 (6.12), the page-handling parts.
long ib_umem_get(Session& s, unsigned long addr, std::size_t size, bool writable, const IbUmem612Faults& f,
                 long* pinned_vm, IbUmem612* out, std::vector<std::string>* problems) {
    unsigned int gup_flags = foll::LONGTERM;
    if (addr + size < addr || ((addr + size + PAGE_SIZE - 1) & PAGE_MASK) < addr + size)
        return -EINVAL;
    IbUmem612 umem;  // kzalloc
    umem.length = size;
    umem.address = addr;
    umem.writable = writable;  // ib_access_writable(access)
    if (f.page_list)           // page_list = (struct page **) __get_free_page(GFP_KERNEL)
        return -ENOMEM;
    std::vector<page*> page_list(PAGE_SIZE / sizeof(page*), nullptr);
    unsigned long npages = num_pages(addr, size);
    long ret = 0;
    int chunk = 0;
    if (npages == 0 || npages > UINT_MAX)
        return -EINVAL;  // goto out
    *pinned_vm += static_cast<long>(npages);  // atomic64_add_return(npages, &mm->pinned_vm); CAP_IPC_LOCK
    unsigned long cur_base = addr & PAGE_MASK;
    if (umem.writable)
        gup_flags |= foll::WRITE;
    while (npages) {
        const unsigned long n = std::min<unsigned long>(npages, PAGE_SIZE / sizeof(page*));
        const Session::PinResult r = s.call612(k612::Call::pin_user_pages_fast, cur_base, n, gup_flags, page_list.data());
        note_call(r, k612::Call::pin_user_pages_fast, cur_base, n, gup_flags, problems);
        long pinned = r.crashed ? -EFAULT : r.rc;
        if (pinned == 0) {  // the kernel would spin here for ever; note_call reported it
            pinned = -EFAULT;
        }
        if (pinned < 0) {
            ret = pinned;
            goto umem_release;
        }
        cur_base += static_cast<unsigned long>(pinned) * PAGE_SIZE;
        npages -= static_cast<unsigned long>(pinned);
        if (chunk++ == f.sg_append_chunk) {  // sg_alloc_append_table_from_pages: -ENOMEM
            ret = -ENOMEM;
            if (g_defect != CallerDefect::ib_umem_no_unpin_on_sg_failure)
                note_release(s.unpin_user_pages_dirty_lock(page_list.data(), static_cast<unsigned long>(pinned), false),
                             "unpin_user_pages_dirty_lock", problems);
            goto umem_release;
        }
        umem.sg.insert(umem.sg.end(), page_list.begin(), page_list.begin() + pinned);
    }
    if (f.dma_map) {  // ib_dma_map_sgtable_attrs
        ret = -ENOMEM;
        goto umem_release;
    }
    *out = std::move(umem);
    return 0;

umem_release:
    // __ib_umem_release(device, umem, 0): the earlier chunks, not dirtied.
    if (!umem.sg.empty())
        note_release(s.unpin_user_pages_dirty_lock(umem.sg.data(), umem.sg.size(), false), "__ib_umem_release", problems);
    umem.sg.clear();
    *pinned_vm -= static_cast<long>(num_pages(addr, size));  // atomic64_sub(ib_umem_num_pages(umem), &mm->pinned_vm)
    return ret;
}

// drivers/infiniband/core/umem.c:48 __ib_umem_release(dev, umem, 1) and ib_umem_release.
void ib_umem_release(Session& s, IbUmem612& umem, long* pinned_vm, std::vector<std::string>* problems) {
    // unpin_user_page_range_dirty_lock(sg_page(sg), DIV_ROUND_UP(sg->length, PAGE_SIZE),
    // make_dirty & umem->writable) per sg entry: the same pages, the same pins.
    if (!umem.sg.empty())
        note_release(s.unpin_user_pages_dirty_lock(umem.sg.data(), umem.sg.size(), umem.writable), "__ib_umem_release",
                     problems);
    umem.sg.clear();
    *pinned_vm -= static_cast<long>(num_pages(umem.address, umem.length));
}

// io_uring/memmap.c:134 (6.12).
long io_pin_pages(Session& s, unsigned long uaddr, unsigned long len, bool kvmalloc_fails, std::vector<page*>* out,
                  std::vector<std::string>* problems) {
    unsigned long end = 0;
    if (__builtin_add_overflow(uaddr, len, &end))
        return -EOVERFLOW;
    if (__builtin_add_overflow(end, PAGE_SIZE - 1, &end))
        return -EOVERFLOW;
    end = end >> PAGE_SHIFT;
    const unsigned long start = uaddr >> PAGE_SHIFT;
    const unsigned long nr_pages = end - start;
    if (!nr_pages)  // WARN_ON_ONCE
        return -EINVAL;
    if (nr_pages > INT_MAX)
        return -EOVERFLOW;
    if (kvmalloc_fails)
        return -ENOMEM;
    std::vector<page*> pages(nr_pages, nullptr);  // kvmalloc_array
    const unsigned flags = foll::WRITE | foll::LONGTERM;
    const Session::PinResult r = s.call612(k612::Call::pin_user_pages_fast, uaddr, nr_pages, flags, pages.data());
    note_call(r, k612::Call::pin_user_pages_fast, uaddr, nr_pages, flags, problems);
    long ret = r.crashed ? -EFAULT : r.rc;
    // success, mapped all pages
    if (ret == static_cast<long>(nr_pages)) {
        *out = std::move(pages);
        return static_cast<long>(nr_pages);
    }
    // partial map, or didn't map anything
    if (ret >= 0) {
        // if we did partial map, release any pages we did get
        if (ret && g_defect != CallerDefect::io_pin_pages_keeps_partial)
            note_release(s.unpin_user_pages(pages.data(), static_cast<unsigned long>(ret)), "unpin_user_pages", problems);
        ret = -EFAULT;
    }
    return ret;  // kvfree(pages); ERR_PTR(ret)
}

// io_free_region / io_pages_unmap: unpin_user_pages(pages, nr_pages).
void io_unpin_pages(Session& s, std::vector<page*>& pages, std::vector<std::string>* problems) {
    if (!pages.empty())
        note_release(s.unpin_user_pages(pages.data(), pages.size()), "unpin_user_pages", problems);
    pages.clear();
}

// drivers/media/common/videobuf2/frame_vector.c:40 (6.12).
long get_vaddr_frames(Session& s, unsigned long start, unsigned nr_frames, bool write, FrameVector* vec,
                      std::vector<std::string>* problems) {
    unsigned int gup_flags = foll::LONGTERM;
    if (nr_frames == 0)
        return 0;
    if (nr_frames > vec->ptrs.size())  // WARN_ON_ONCE(nr_frames > vec->nr_allocated)
        nr_frames = static_cast<unsigned>(vec->ptrs.size());
    if (write)
        gup_flags |= foll::WRITE;
    const Session::PinResult r = s.call612(k612::Call::pin_user_pages_fast, start, nr_frames, gup_flags, vec->ptrs.data());
    note_call(r, k612::Call::pin_user_pages_fast, start, nr_frames, gup_flags, problems);
    const long ret = r.crashed ? -EFAULT : r.rc;
    vec->got_ref = true;
    vec->nr_frames = ret > 0 ? static_cast<unsigned>(ret) : 0;
    if (g_defect == CallerDefect::vaddr_frames_partial_leaked && ret > 0 && ret < static_cast<long>(nr_frames)) {
        vec->nr_frames = 0;  // the pins of the short count are never released
        return -EFAULT;
    }
    if (ret > 0)
        return ret;
    vec->nr_frames = 0;
    return ret ? ret : -EFAULT;
}

// frame_vector.c:80 put_vaddr_frames.
void put_vaddr_frames(Session& s, FrameVector* vec, std::vector<std::string>* problems) {
    if (vec->got_ref && vec->nr_frames)
        note_release(s.unpin_user_pages(vec->ptrs.data(), vec->nr_frames), "unpin_user_pages", problems);
    vec->got_ref = false;
    vec->nr_frames = 0;
}

// drivers/vfio/vfio_iommu_type1.c:551 (6.12): the pin_user_pages_remote path
// (a VM_PFNMAP vma's follow_fault_pfn fallback takes no page reference and is
// not modelled: such a call returns the pin's errno here).
long vaddr_get_pfns(Session& s, unsigned long vaddr, long npages, bool write, std::vector<page*>* pages,
                    std::vector<std::string>* problems) {
    unsigned int flags = 0;
    if (write)  // prot & IOMMU_WRITE
        flags |= foll::WRITE;
    pages->assign(static_cast<std::size_t>(std::max(npages, 0L)), nullptr);
    // mmap_read_lock(mm); pin_user_pages_remote(mm, vaddr, npages, flags | FOLL_LONGTERM, pages, NULL)
    const Session::PinResult r = s.call612(k612::Call::pin_user_pages_remote, vaddr, static_cast<unsigned long>(npages),
                                           flags | foll::LONGTERM, pages->data());
    note_call(r, k612::Call::pin_user_pages_remote, vaddr, static_cast<unsigned long>(npages), flags | foll::LONGTERM,
              problems);
    const long ret = r.crashed ? -EFAULT : r.rc;
    pages->resize(ret > 0 ? static_cast<std::size_t>(ret) : 0);
    return ret;
}

// vfio_iommu_type1.c:512 put_pfn for a page-backed pfn.
void put_pfn(Session& s, page* p, bool write, std::vector<std::string>* problems) {
    note_release(s.unpin_user_pages_dirty_lock(&p, 1, write), "put_pfn", problems);
}

}  // namespace gupfuzz::props
