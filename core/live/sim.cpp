// SPDX-License-Identifier: GPL-2.0-only
//
// The simulated side of a live case: the executor's verdict on the call the
// host caller makes (Linux 6.12's mm/gup.c, its oracles), and the same call
// through a caller model of the host entry point on a Session built by the
// same builder, observed as pagemap would show it (core/live/live.h).
#include "core/live/sim.h"

#include <algorithm>
#include <stdexcept>

#include "core/harness/executor.h"
#include "core/harness/session.h"
#include "core/kernel/hex.h"
#include "core/kernel/walk.h"

#ifndef GUPFUZZ_HAVE_KERNEL612
#define GUPFUZZ_HAVE_KERNEL612 0
#endif
#if GUPFUZZ_HAVE_KERNEL612
#include "core/kernel612/entry612.h"
#endif

namespace gupfuzz::live {

using namespace gupfuzz::kernel;

#if GUPFUZZ_HAVE_KERNEL612
namespace {

// pagemap's view of one simulated page (fs/proc/task_mmu.c, 6.12 and later alike):
// present; PM_FILE for a page that is not anonymous; PM_MMAP_EXCLUSIVE for a page
// mapped once.  pte_to_pagemap_entry takes the page from vm_normal_page(), NULL
// for the zero page (neither bit); pagemap_pmd_range takes pmd_page() itself, so
// the huge zero folio (not anonymous, its mapcount not kept) is PM_FILE only.
PageState observe(World& w, unsigned long addr) {
    PageState st;
    const RefEntry r = mapped_pfn(w, &w.mm, addr);
    if (!r.mapped)
        return st;
    st.present = true;
    st.pfn = r.pfn;
    page* p = pfn_to_page(r.pfn);
    if (!p || p == w.zero_page)
        return st;
    page* head = compound_head(p);
    if (is_huge_zero_page(head)) {
        st.file = true;
        return st;
    }
    st.file = !PageAnon(p);
    st.exclusive = mapcount_of(head) == 0;
    return st;
}

void snapshot(World& w, unsigned long first, unsigned long n, std::vector<PageState>* to) {
    to->clear();
    for (unsigned long i = 0; i < n; ++i)
        to->push_back(observe(w, first + i * PAGE_SIZE));
}

}  // namespace

void run_sim(const Plan& p, unsigned long observe_start, unsigned long observe_pages, SideResult* out) {
    const harness::Scenario& s = p.sim;
    // 1. The executor: the call the host caller makes, once, with the 6.12 oracles
    // (not when the caller refuses before calling: io_uring's 1 GiB limit).
    const unsigned long call_len = s.call.nr_pages * PAGE_SIZE - (s.call.start & ~PAGE_MASK);
    const bool io_uring_too_big = p.entry == HostEntry::io_uring_register && call_len > (1UL << 30);
    harness::Verdict v;
    if (!io_uring_too_big) {
        try {
            v = harness::execute(s);
        } catch (const std::exception& e) {
            out->error = std::string("the executor refused the scenario: ") + e.what();
            return;
        }
        if (v.crashed) {
            out->error = "the simulated call did not return: " + v.crash;
            return;
        }
        if (!v.passed())
            out->notes.push_back(std::string("simulated ") + harness::kernel_name(s.kernel) + " oracles: " + v.summary_line() +
                                 " (gupfuzz run on the rewritten scenario explains)");
    }

    // 2. The caller model on a Session (same builder), observed before and after.
    harness::Session sess(s);
    World& w = sess.world();
    WorldScope scope(w);
    snapshot(w, observe_start, observe_pages, &out->before);
    const unsigned long start = s.call.start, nr = s.call.nr_pages;
    const unsigned flags = s.call.gup_flags;
    long first_rc = 0;
    bool first_call_whole = false, after_taken = false;
    std::vector<page*> pages;
    auto pin = [&](k612::Call entry, unsigned long at, unsigned long n) -> long {
        pages.assign(n, nullptr);
        const k612::Outcome o = k612::call(w, entry, at, n, flags, pages.data());
        if (!o.bug.empty())
            throw std::runtime_error("the simulated call did not return: " + o.bug);
        return o.rc;
    };
    try {
        switch (p.entry) {
            case HostEntry::io_uring_register: {
                // io_uring/rsrc.c io_buffer_validate: a buffer over 1 GiB is -EFAULT before any pin;
                // io_uring/memmap.c io_pin_pages: all or nothing.
                if (io_uring_too_big) {
                    out->rc = -EFAULT;
                    out->rc_words = "io_buffer_validate: iov_len " + std::to_string(call_len) + " > SZ_1G -> -EFAULT";
                    break;
                }
                const long rc = pin(k612::Call::pin_user_pages_fast, start, nr);
                first_rc = rc;
                first_call_whole = true;
                out->rc_words = "pin_user_pages_fast(" + hex(start) + ", " + std::to_string(nr) +
                                ", FOLL_WRITE|FOLL_LONGTERM) = " + harness::errno_name(rc);
                if (rc == static_cast<long>(nr)) {
                    out->rc = 0;
                    out->rc_words += "; io_pin_pages: all pinned -> 0";
                    snapshot(w, observe_start, observe_pages, &out->after);  // while registered, as the host
                    after_taken = true;
                    k612::unpin_user_pages(w, pages.data(), nr);
                    break;
                }
                if (rc >= 0) {
                    if (rc > 0)
                        k612::unpin_user_pages(w, pages.data(), static_cast<unsigned long>(rc));
                    out->rc = -EFAULT;
                    out->rc_words += "; io_pin_pages: partial, unpinned -> -EFAULT";
                } else {
                    out->rc = rc;
                    out->rc_words += "; io_pin_pages -> " + harness::errno_name(rc);
                }
                break;
            }
            case HostEntry::odirect_read:
            case HostEntry::odirect_write:
            case HostEntry::process_vm_readv:
            case HostEntry::process_vm_writev: {
                // O_DIRECT (block/bio.c __bio_iov_iter_get_pages via iov_iter_extract_pages):
                // pin_user_pages_fast per bio of at most BIO_MAX_VECS pages; a refusal ends the
                // transfer, and the dio's error wins over the bytes already submitted
                // (fs/iomap/direct-io.c: iomap_dio_set_error, no IOMAP_DIO_PARTIAL on ext4/xfs),
                // so the call returns the error (0 pages pinned: -EFAULT).
                // process_vm_rw_single_vec (mm/process_vm_access.c): pin_user_pages_remote per
                // PVM_MAX_KMALLOC_PAGES / sizeof(struct page *) = 1024 pages; a refusal (<= 0) is
                // -EFAULT, and process_vm_rw_core returns the bytes copied when there are any.
                const bool dio = p.entry == HostEntry::odirect_read || p.entry == HostEntry::odirect_write;
                const unsigned long chunk = dio ? 256 : 1024;
                const k612::Call entry = dio ? k612::Call::pin_user_pages_fast : k612::Call::pin_user_pages_remote;
                const bool dirty = p.entry == HostEntry::odirect_read || p.entry == HostEntry::process_vm_writev;
                unsigned long done = 0;
                long err = 0;
                while (done < nr) {
                    const unsigned long n = std::min(chunk, nr - done);
                    const long rc = pin(entry, start + done * PAGE_SIZE, n);
                    if (done == 0) {
                        first_rc = rc;
                        first_call_whole = n == nr;
                    }
                    out->rc_words += std::string(out->rc_words.empty() ? "" : "; ") + k612::call_name(entry) + "(" +
                                     hex(start + done * PAGE_SIZE) + ", " + std::to_string(n) + ") = " +
                                     harness::errno_name(rc);
                    if (rc <= 0) {
                        err = rc < 0 && dio ? rc : -EFAULT;
                        break;
                    }
                    k612::unpin_user_pages_dirty_lock(w, pages.data(), static_cast<unsigned long>(rc), dirty);
                    done += static_cast<unsigned long>(rc);
                }
                const bool partial_ok = !dio;
                out->rc = done == nr || (done && partial_ok) ? static_cast<long>(done) : err;
                out->rc_words += " -> " + (out->rc > 0 ? std::to_string(done) + " pages done"
                                                       : harness::errno_name(err) + (done ? " (the dio's error wins over " +
                                                                                               std::to_string(done) + " pages submitted)"
                                                                                         : std::string()));
                break;
            }
        }
    } catch (const std::exception& e) {
        out->error = e.what();
        return;
    }
    if (first_call_whole && first_rc != v.rc) {
        out->error = "the executor (rc " + harness::errno_name(v.rc) + ") and the caller model's first call (rc " +
                     harness::errno_name(first_rc) + ") disagree on the same call";
        return;
    }
    if (!after_taken)
        snapshot(w, observe_start, observe_pages, &out->after);
    out->ran = true;
}

#else

void run_sim(const Plan& p, unsigned long, unsigned long, SideResult* out) {
    out->error = harness::kernel_unavailable_reason(p.sim.kernel);
}

#endif

}  // namespace gupfuzz::live
