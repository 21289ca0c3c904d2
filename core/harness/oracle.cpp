// SPDX-License-Identifier: GPL-2.0-only
#include "core/kernel/hex.h"
#include "core/harness/oracle.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <unordered_map>
#include <sstream>

#include "core/kernel/walk.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

constexpr long KMALLOC_MAX_PAGES = 524288;  // 4 MiB / sizeof(void *)
constexpr unsigned kMaxFaultsPerAddress = 3;  // write -> COW -> re-fault (seed-port.md P12)

struct Checker {
    const Observation& o;
    std::vector<Failure> out;

    void fail(Property p, std::string msg, std::string known = "") {
        out.push_back({p, std::move(msg), std::move(known)});
    }

    const Scenario& s() const { return o.s; }
    World& w() const { return o.w; }
    unsigned long addr_of(long j) const { return (s().call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE; }
    bool pages_given() const { return s().call.pages; }
    bool write() const { return s().call.gup_flags & FOLL_WRITE; }
    bool force() const { return s().call.gup_flags & FOLL_FORCE; }

    // The scenario vma covering addr now (stacks may have grown), or null.
    const VmaSpec* spec_at(unsigned long addr, int* idx = nullptr) const {
        vm_area_struct* v = find_vma(&w().mm, addr);
        if (!v || v->vm_start > addr || v->model_index < 0)
            return nullptr;
        if (idx)
            *idx = v->model_index;
        return &s().vmas[static_cast<std::size_t>(v->model_index)];
    }
    const FileSpec* file_of(const VmaSpec* v) const {
        return v && v->file >= 0 ? &s().files[static_cast<std::size_t>(v->file)] : nullptr;
    }
    bool in_gate(unsigned long addr) const {
        return s().config.gate && addr >= VSYSCALL_ADDR && addr < VSYSCALL_ADDR + PAGE_SIZE;
    }

    // The reference answer: what the page tables map at addr, as a pfn.
    struct RefEntry {
        bool mapped = false;
        unsigned long pfn = 0;
        pteval_t bits = 0;
    };
    RefEntry lookup(unsigned long addr) const {
        RefEntry r;
        const bool gate = in_gate(addr) && !spec_at(addr);
        Mapping m = walk(w(), gate ? &w().init_mm : &w().mm, addr);
        const pteval_t v = m.value;
        if (m.level == Level::pte && (v & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
            r.mapped = true;
            r.pfn = (v & PTE_PFN_MASK) >> PAGE_SHIFT;
        } else if ((m.level == Level::pmd || m.level == Level::pud) && (v & _PAGE_PSE) &&
                   (v & (_PAGE_PRESENT | _PAGE_PROTNONE))) {
            r.mapped = true;
            const unsigned long mask = m.level == Level::pmd ? ~PMD_MASK : ~PUD_MASK;
            r.pfn = ((v & PTE_PFN_MASK) >> PAGE_SHIFT) + ((addr & mask) >> PAGE_SHIFT);
        }
        r.bits = v;
        return r;
    }

    int pins(page* p) const { return p->_refcount - p->model_refs; }

    std::string describe_page(page* head) const {
        std::string kind = head == w().zero_page        ? "the zero page"
                           : head == w().huge_zero_page ? "the huge zero page"
                           : head == w().gate_page      ? "the vsyscall gate page"
                           : head->zone_device          ? "a ZONE_DEVICE (DAX) page"
                           : PageAnon(head)             ? (head->compound_order ? "an anonymous THP" : "an anonymous page")
                           : head->mapping              ? (head->compound_order ? "a huge page-cache page" : "a page-cache page")
                                                        : "a page";
        std::string where;
        const unsigned long n = std::min<unsigned long>(s().call.nr_pages, 4096);
        for (unsigned long j = 0; j < n && where.empty(); ++j) {
            RefEntry r = lookup(addr_of(static_cast<long>(j)));
            if (r.mapped && w().pfn_valid(r.pfn) && compound_head(w().pfn_to_page(r.pfn)) == head) {
                int idx = -1;
                spec_at(addr_of(static_cast<long>(j)), &idx);
                where = ", mapped at " + hex(addr_of(static_cast<long>(j))) +
                        (idx >= 0 ? " in vma " + std::to_string(idx) : std::string());
            }
        }
        return "pfn " + hex(head->pfn) + " (" + kind + where + "; refcount " + std::to_string(head->_refcount) +
               ", of which " + std::to_string(head->model_refs) + " mapping/cache/owner)";
    }

    // A livelock that v4.15 itself has, recognised from the state at addr.
    std::string known_livelock(unsigned long addr) const {
        // A bad p4d or pud above addr (the kernel's *_bad; the MMU walks through it).
        const p4d_t p4d{pgd_t{w().mm.pgd[pgd_index(addr)].pgd}};
        bool bad = !p4d_none(p4d) && p4d_bad(p4d);
        if (!bad && !p4d_none(p4d) && (p4d_val(p4d) & _PAGE_PRESENT)) {
            const pud_t pud{w().table_of(p4d_val(p4d))[pud_index(addr)]};
            bad = !pud_none(pud) && !pud_devmap(pud) && !pud_huge(pud) && pud_bad(pud);
        }
        if (bad)
            return "a bad p4d/pud entry: follow_p?d_mask sees *_bad and asks for a fault, but v4.15 "
                   "__handle_mm_fault never clears a bad p4d/pud (only pmd_clear_bad is reachable), so the fault "
                   "succeeds through the old tables and GUP retries until SIGKILL";
        const Mapping m = walk(w(), &w().mm, addr);
        const pteval_t v = m.value;
        if (m.level == Level::pte && (v & _PAGE_DEVMAP) && (v & _PAGE_PRESENT)) {
            dev_pagemap* pg = w().find_pgmap((v & PTE_PFN_MASK) >> PAGE_SHIFT);
            if (pg && !pg->live)
                return "v4.15 follow_page_pte: get_dev_pagemap fails for a devmap pte whose pgmap is dying, so it "
                       "returns NULL (no_page, pte not none); the fault finds the present pte and returns 0, and "
                       "GUP retries until the mapping is zapped or SIGKILL arrives (seed-port.md 2.7 step 6)";
        }
        return "";
    }

    unsigned long most_faulted(unsigned* count) const {
        unsigned worst = 0;
        unsigned long at = 0;
        for (const auto& [addr, n] : w().trace.faults_per_page)
            if (n > worst) {
                worst = n;
                at = addr;
            }
        *count = worst;
        return at;
    }

    // ---------------------------------------------------------------
    void termination() {
        unsigned worst = 0;
        const unsigned long at = most_faulted(&worst);
        if (worst > kMaxFaultsPerAddress)
            fail(Property::P12_termination,
                 "handle_mm_fault ran " + std::to_string(worst) + " times for " + hex(at) + " (bound " +
                     std::to_string(kMaxFaultsPerAddress) + ")",
                 known_livelock(at));
    }

    void rc_range() {
        const long rc = o.rc;
        const long n = static_cast<long>(s().call.nr_pages);
        const unsigned f = s().call.gup_flags;
        const std::string r = "rc " + errno_name(rc);
        if (s().plan.gup_rc_stub && rc == *s().plan.gup_rc_stub)
            return;
        if (rc > n)
            return fail(Property::P1_rc_range, r + " exceeds nr_pages " + std::to_string(n));
        if (rc == 0 && n > 0 && !(f & FOLL_NOWAIT))
            return fail(Property::P1_rc_range, "rc 0 for nr_pages " + std::to_string(n) +
                                                   " without FOLL_NOWAIT: a caller looping on progress would spin");
        if (rc >= 0)
            return;
        bool ok = rc == -ENOMEM || rc == -EFAULT || rc == -ERESTARTSYS;
        ok |= rc == -EINVAL && !pages_given();
        ok |= rc == -EOPNOTSUPP && s().config.fs_dax;
        ok |= rc == -EHWPOISON && (f & FOLL_HWPOISON);
        if (!ok)
            fail(Property::P1_rc_range, r + " is not a value get_user_pages_longterm can return with these arguments");
    }

    bool nothing_happened(std::string* what) const {
        const Trace& t = w().trace;
        if (!t.faults_per_page.empty())
            *what = std::to_string(t.faults_per_page.size()) + " pages were faulted";
        else if (take_snapshot(w()).tables_digest != o.before.tables_digest)
            *what = "the page tables changed";
        else
            for (page* p : w().materialized_pages())
                if (pins(p)) {
                    *what = describe_page(p) + " gained a reference";
                    break;
                }
        return what->empty();
    }

    void einval_pure() {
        if (!s().config.fs_dax || pages_given())
            return;
        std::string what;
        if (o.rc != -EINVAL)
            fail(Property::P2_einval_pure, "pages == NULL but rc " + errno_name(o.rc) + " (want -EINVAL)");
        if (w().trace.kmalloc_calls)
            fail(Property::P2_einval_pure, "pages == NULL, yet kcalloc was called " +
                                               std::to_string(w().trace.kmalloc_calls) + " time(s)");
        if (!nothing_happened(&what))
            fail(Property::P2_einval_pure, "pages == NULL, yet " + what);
    }

    void kcalloc_rule() {
        if (!s().config.fs_dax || !pages_given() || s().call.vmas || s().plan.gup_rc_stub)
            return;
        const long n = static_cast<long>(s().call.nr_pages);
        const Trace& t = w().trace;
        if (n == 0) {
            if (t.count_site(AllocSite::kcalloc_vmas))
                fail(Property::P3_kcalloc, "kcalloc(0) is ZERO_SIZE_PTR and must not be an injectable failure");
            if (o.rc != 0)
                fail(Property::P3_kcalloc, "nr_pages 0 gave rc " + errno_name(o.rc) + " (want 0)");
            return;
        }
        bool injected = false;
        for (const auto& sp : t.sites)
            injected |= sp.site == AllocSite::kcalloc_vmas && sp.failed;
        if (n > KMALLOC_MAX_PAGES || injected) {
            std::string what;
            const std::string why = injected ? "kcalloc of the vmas array failed (injected)"
                                             : "kcalloc of " + std::to_string(n * 8) + " bytes exceeds KMALLOC_MAX_SIZE";
            if (o.rc != -ENOMEM)
                fail(Property::P3_kcalloc, why + " but rc " + errno_name(o.rc) + " (want -ENOMEM)");
            if (!nothing_happened(&what))
                fail(Property::P3_kcalloc, why + ", yet " + what);
        }
    }

    void pgmaps_unchanged(Property p, const std::string& when) {
        for (std::size_t i = 0; i < w().pgmaps.size(); ++i)
            if (w().pgmaps[i]->ref != o.before.pgmap_refs[i])
                fail(p, when + ": dev_pagemap " + std::to_string(i) + " holds " +
                            std::to_string(w().pgmaps[i]->ref - o.before.pgmap_refs[i]) + " extra reference(s)");
    }

    void no_leak_on_error() {
        if (o.rc >= 0)
            return;
        const std::string when = "after rc " + errno_name(o.rc);
        for (page* p : w().materialized_pages())
            if (pins(p) != 0 && !(p->compound_head & 1))
                fail(Property::P4_no_leak_on_error,
                     describe_page(p) + " holds " + std::to_string(pins(p)) + " GUP reference(s) " + when);
        pgmaps_unchanged(Property::P4_no_leak_on_error, when);
        if (o.rc != -EOPNOTSUPP) {
            for (std::size_t j = 0; j < o.pages.size(); ++j)
                if (o.pages[j] != o.page_sentinel)
                    return fail(Property::P4_no_leak_on_error, "pages[" + std::to_string(j) + "] was written although " +
                                                                   "nothing was pinned (" + when + ")");
        }
    }

    void exact_pins() {
        if (o.rc < 0)
            return;
        std::unordered_map<page*, int> want;
        if (pages_given())
            for (long j = 0; j < o.rc; ++j) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                if (p && p != o.page_sentinel)
                    want[compound_head(p)]++;
            }
        for (page* p : w().materialized_pages()) {
            if (p->compound_head & 1)
                continue;
            const int have = pins(p);
            const auto it = want.find(p);
            const int expect = it == want.end() ? 0 : it->second;
            if (have != expect)
                fail(Property::P5_exact_pins, describe_page(p) + " holds " + std::to_string(have) +
                                                  " GUP reference(s), but pages[0.." + std::to_string(o.rc) +
                                                  ") names it " + std::to_string(expect) + " time(s)");
        }
        pgmaps_unchanged(Property::P5_exact_pins, "after rc " + errno_name(o.rc));
    }

    void correspondence() {
        if (o.rc < 0)
            return;
        const long rc = o.rc;
        for (long j = 0; j < rc && pages_given(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            const unsigned long a = addr_of(j);
            if (!p || p == o.page_sentinel) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] (" + hex(a) + ") was not written");
                continue;
            }
            RefEntry r = lookup(a);
            if (!r.mapped) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(p->pfn) +
                                                      " but nothing is mapped at " + hex(a) + " after the call");
            } else if (r.pfn != p->pfn) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] = pfn " + hex(p->pfn) +
                                                      " but the page tables map pfn " + hex(r.pfn) + " at " + hex(a));
            }
        }
        for (long j = 0; j < rc && s().call.vmas; ++j) {
            vm_area_struct* v = o.vmas[static_cast<std::size_t>(j)];
            const unsigned long a = addr_of(j);
            const bool gate_ok = v == &w().gate_vma && in_gate(a);
            if (!v || v == o.vma_sentinel || (!gate_ok && (a < v->vm_start || a >= v->vm_end)))
                fail(Property::P6_correspondence, "vmas[" + std::to_string(j) + "] does not cover " + hex(a));
        }
        const std::size_t from = static_cast<std::size_t>(std::max(rc, 0L));
        for (std::size_t j = from; j < o.pages.size(); ++j)
            if (o.pages[j] != o.page_sentinel) {
                fail(Property::P6_correspondence, "pages[" + std::to_string(j) + "] written beyond rc " + std::to_string(rc));
                break;
            }
        for (std::size_t j = from; j < o.vmas.size(); ++j)
            if (o.vmas[j] != o.vma_sentinel) {
                fail(Property::P6_correspondence, "vmas[" + std::to_string(j) + "] written beyond rc " + std::to_string(rc));
                break;
            }
    }

    void fsdax_rule() {
        if (!s().config.fs_dax || !pages_given() || !o.ref || o.ref->crashed || s().call.nr_pages == 0)
            return;
        for (const auto& sp : w().trace.sites)
            if (sp.site == AllocSite::kcalloc_vmas && sp.failed)
                return;  // P3's case
        if (!s().call.vmas && static_cast<long>(s().call.nr_pages) > KMALLOC_MAX_PAGES)
            return;
        const long r0 = o.ref->rc;
        bool fsdax = false, devdax = false;
        unsigned long first_fsdax = 0;
        for (long j = 0; j < r0; ++j) {
            const FileSpec* f = file_of(spec_at(addr_of(j)));
            if (f && f->kind == FileKind::fsdax && !fsdax) {
                fsdax = true;
                first_fsdax = addr_of(j);
            }
            if (f && f->kind == FileKind::devdax)
                devdax = true;
        }
        const long want = (r0 > 0 && fsdax) ? -EOPNOTSUPP : r0;
        if (o.rc != want) {
            std::string known;
            if (o.rc == -EOPNOTSUPP && !fsdax && devdax && !s().config.fsdax_ischr_fix)
                known = "v4.15 vma_is_fsdax() tests inode->i_mode == S_IFCHR, which a real /dev/dax inode "
                        "(S_IFCHR|0600) never equals, so device-DAX is refused as if it were filesystem-DAX; "
                        "fixed upstream by \"dax: fix vma_is_fsdax() helper\" (S_ISCHR). config fsdax_ischr_fix=y selects the fix";
            fail(Property::P7_fsdax_rule,
                 "reference get_user_pages returned " + errno_name(r0) +
                     (fsdax ? " with filesystem-DAX at " + hex(first_fsdax) + " in the pinned prefix"
                            : std::string(" with no filesystem-DAX vma in the pinned prefix")) +
                     (devdax ? " (device-DAX present)" : "") + ", so longterm must return " + errno_name(want) +
                     ", but it returned " + errno_name(o.rc),
                 known);
            return;
        }
        if (o.rc > 0)
            for (long j = 0; j < o.rc; ++j) {
                page* p = o.pages[static_cast<std::size_t>(j)];
                const unsigned long pfn = p && p != o.page_sentinel ? p->pfn : 0;
                if (pfn != o.ref->pfns[static_cast<std::size_t>(j)])
                    return fail(Property::P7_fsdax_rule, "pages[" + std::to_string(j) + "] = pfn " + hex(pfn) +
                                                             " but plain get_user_pages returned pfn " +
                                                             hex(o.ref->pfns[static_cast<std::size_t>(j)]));
            }
    }

    // Why the walk could legitimately stop at addr (empty: nothing blocks it).
    std::string structural_block(unsigned long addr) const {
        const VmaSpec* v = spec_at(addr);
        if (!v) {
            if (in_gate(addr))
                return write() ? "FOLL_WRITE on the read-only gate page" : "";
            return "no vma maps it";
        }
        const FileSpec* f = file_of(v);
        if (v->pfnmap)
            return "VM_IO|VM_PFNMAP mapping";
        if (write() && !v->write && !(force() && !v->shared && v->maywrite))
            return "write to a mapping without VM_WRITE";
        if (!write() && !v->read && !force())
            return "read of a mapping without VM_READ";
        if (f && f->kind == FileKind::mmio && pages_given()) {
            // Only while a special pte maps it: a private write COWs the pfn
            // into an anonymous page, which has a struct page.
            const RefEntry r = lookup(addr);
            if (!r.mapped || (r.bits & _PAGE_SPECIAL))
                return "pfn without a struct page (VM_MIXEDMAP mmio) and FOLL_GET";
        }
        return "";
    }

    std::string blocked(unsigned long addr) const {
        std::string why = structural_block(addr);
        if (!why.empty())
            return why;
        const VmaSpec* v = spec_at(addr);
        const FileSpec* f = file_of(v);
        const bool huge = f && f->kind == FileKind::hugetlbfs;
        const unsigned long lo = huge ? (addr & PMD_MASK) : addr;
        const unsigned long hi = huge ? lo + PMD_SIZE : addr + PAGE_SIZE;
        const Trace& t = w().trace;
        for (const auto& sp : t.sites)
            if (sp.failed && sp.addr >= lo && sp.addr < hi)
                return std::string("injected ") + alloc_site_name(sp.site) + " failure";
        for (const auto& [a, code] : t.codes_fired)
            if (a >= lo && a < hi)
                return "injected VM_FAULT_" + vm_fault_name(code);
        if (t.signal_delivered_at)
            return "SIGKILL pending";
        if (t.ram_exhausted)
            return "simulated RAM exhausted (out of memory)";
        if (s().call.gup_flags & FOLL_NOWAIT)
            return "FOLL_NOWAIT (I/O needed)";
        Mapping m = walk(w(), &w().mm, addr);
        if (is_swap_pte(pte_t{m.value}) && is_hwpoison_entry(pte_to_swp_entry(pte_t{m.value})))
            return "hwpoison entry";
        if (f) {
            const unsigned long idx = ((addr - v->start) >> PAGE_SHIFT) + v->pgoff;
            if (idx >= f->size_pages)
                return "beyond the end of the file (SIGBUS)";
            FileObj* fo = w().file_of(find_vma(&w().mm, addr));
            if (fo && fo->pgmap && !fo->pgmap->live)
                return "dev_pagemap dying";
            // transparent_hugepage_enabled(vma) of v4.15 (include/linux/huge_mm.h):
            // MADV_NOHUGEPAGE refuses; otherwise a DAX vma (vma_is_dax, S_DAX
            // only with CONFIG_FS_DAX) gets huge faults whatever the sysfs mode,
            // and DAX vmas carry VM_HUGEPAGE for "madvise".
            const bool thp = v->huge >= 0 && (s().config.fs_dax || s().config.thp != ThpMode::never);
            if (f->kind == FileKind::devdax && f->align_pages > 1 && !thp)
                return "device-DAX alignment above 4 KiB with THP disabled for the vma (MADV_NOHUGEPAGE, or "
                       "thp=never without CONFIG_FS_DAX) (SIGBUS)";
            if (huge && w().hugetlb_free == 0)
                return "hugetlb pool empty";
        }
        return "";
    }

    void partial_prefix() {
        const long n = static_cast<long>(s().call.nr_pages);
        if (o.rc <= 0 || o.rc >= n || s().plan.gup_rc_stub)
            return;
        const unsigned long stop = addr_of(o.rc);
        if (blocked(stop).empty())
            fail(Property::P8_partial_prefix, "rc " + std::to_string(o.rc) + " of " + std::to_string(n) +
                                                  " stops at " + hex(stop) + ", but nothing blocks that address");
        for (long j = 0; j < o.rc; ++j) {
            const std::string why = structural_block(addr_of(j));
            if (!why.empty())
                return fail(Property::P8_partial_prefix, "page " + std::to_string(j) + " (" + hex(addr_of(j)) +
                                                             ") was counted although it is blocked: " + why);
        }
    }

    void vmas_ownership() {
        const Trace& t = w().trace;
        const bool allocates = s().config.fs_dax && pages_given() && !s().call.vmas && !s().plan.gup_rc_stub;
        if (allocates) {
            if (t.kmalloc_calls != 1)
                fail(Property::P9_vmas_ownership, "vmas == NULL: want exactly one kcalloc, saw " + std::to_string(t.kmalloc_calls));
            if (t.kmalloc_live != 0)
                fail(Property::P9_vmas_ownership, "the private vmas array was not freed (" +
                                                      std::to_string(t.kmalloc_live) + " allocation(s) live)");
        } else if (!s().plan.gup_rc_stub && t.kmalloc_calls) {
            fail(Property::P9_vmas_ownership, std::string("no allocation expected (") +
                                                  (s().call.vmas ? "the caller passed a vmas array" : !pages_given() ? "pages == NULL" : "FS_DAX=n") +
                                                  "), saw " + std::to_string(t.kmalloc_calls) + " kcalloc(s)");
        }
    }

    void mmap_sem() {
        const rw_semaphore& sem = w().mm.mmap_sem;
        const bool read = s().call.sem == SemMode::read;
        if (sem.releases)
            fail(Property::P10_mmap_sem, "mmap_sem was released " + std::to_string(sem.releases) + " time(s) during the call");
        if (read ? (sem.readers != 1 || sem.writer) : (!sem.writer || sem.readers != 0))
            fail(Property::P10_mmap_sem, std::string("mmap_sem is no longer held for ") + (read ? "read" : "write") +
                                             " as on entry (readers " + std::to_string(sem.readers) + ")");
    }

    void refcount_sanity(std::size_t from) {
        const auto& v = w().trace.violations;
        for (std::size_t i = from; i < v.size(); ++i)
            fail(Property::P11_refcount_sanity, v[i]);
        for (page* p : w().materialized_pages())
            if (!(p->compound_head & 1) && pins(p) < 0)
                fail(Property::P11_refcount_sanity, describe_page(p) + " lost a reference it did not give out");
    }

    void write_cow() {
        if (!write() || o.rc <= 0 || !pages_given())
            return;
        for (long j = 0; j < o.rc; ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel)
                continue;
            const unsigned long a = addr_of(j);
            page* head = compound_head(p);
            if (head == w().zero_page || head == w().huge_zero_page)
                return fail(Property::P13_write_cow, "FOLL_WRITE returned the zero page for " + hex(a));
            RefEntry r = lookup(a);
            const bool writable = r.bits & _PAGE_RW;
            const bool dirty = r.bits & _PAGE_DIRTY;
            if (!writable && !(force() && dirty))
                return fail(Property::P13_write_cow, "FOLL_WRITE returned pfn " + hex(p->pfn) + " for " + hex(a) +
                                                         " but its entry is neither writable nor a dirty COW copy");
            const VmaSpec* v = spec_at(a);
            if (v && !v->shared && !v->write && force() && !PageAnon(p))
                return fail(Property::P13_write_cow, "forced write to private read-only " + hex(a) + " returned " +
                                                         describe_page(head) + ", not an anonymous COW copy (Dirty COW)");
        }
    }

    void zero_page_read() {
        if (write() || o.rc <= 0 || !pages_given())
            return;
        for (long j = 0; j < o.rc; ++j) {
            const unsigned long a = addr_of(j);
            const VmaSpec* v = spec_at(a);
            if (!v || v->file >= 0 || v->shared)
                continue;
            // A VM_LOCKED stack that grew was populated by find_extend_vma
            // (populate_vma_page_range writes private writable pages).
            if (v->locked && v->growsdown)
                continue;
            bool touched = false;
            for (const auto& op : s().pre)
                touched |= (op.addr & PMD_MASK) <= a && a < ((op.addr + op.pages * PAGE_SIZE - 1) & PMD_MASK) + PMD_SIZE;
            if (touched)
                continue;
            page* p = o.pages[static_cast<std::size_t>(j)];
            if (!p || p == o.page_sentinel)
                continue;
            page* head = compound_head(p);
            if (head != w().zero_page && head != w().huge_zero_page)
                return fail(Property::P14_zero_page_read, "read of untouched anonymous " + hex(a) + " returned " +
                                                              describe_page(head) + " instead of the zero page");
        }
    }

    void alias() {
        if (s().config.fs_dax || !o.ref || o.ref->crashed)
            return;
        if (o.rc != o.ref->rc)
            return fail(Property::P16_alias, "FS_DAX=n longterm returned " + errno_name(o.rc) +
                                                 " but get_user_pages on the same state returned " + errno_name(o.ref->rc));
        for (long j = 0; j < o.rc && pages_given(); ++j) {
            page* p = o.pages[static_cast<std::size_t>(j)];
            const unsigned long pfn = p && p != o.page_sentinel ? p->pfn : 0;
            if (pfn != o.ref->pfns[static_cast<std::size_t>(j)])
                return fail(Property::P16_alias, "pages[" + std::to_string(j) + "] differs from get_user_pages");
        }
    }

    void signedness() {
        if (!s().plan.gup_rc_stub)
            return;
        const long stub = *s().plan.gup_rc_stub;
        const Trace& t = w().trace;
        if (!s().config.fs_dax || !pages_given())
            return;
        for (const auto& sp : t.sites)
            if (sp.site == AllocSite::kcalloc_vmas && sp.failed)
                return;  // -ENOMEM before get_user_pages: P3's case
        if (!s().call.vmas && static_cast<long>(s().call.nr_pages) > KMALLOC_MAX_PAGES)
            return;
        if (o.rc != stub)
            fail(Property::P17_signedness, "get_user_pages returned " + errno_name(stub) + " but longterm returned " +
                                               errno_name(o.rc));
        if (t.vma_is_fsdax_calls)
            fail(Property::P17_signedness, "vma_is_fsdax was called " + std::to_string(t.vma_is_fsdax_calls) +
                                               " time(s) after a negative rc");
        if (t.put_page_calls)
            fail(Property::P17_signedness, "put_page was called " + std::to_string(t.put_page_calls) +
                                               " time(s) after a negative rc");
    }
};

}  // namespace

Snapshot take_snapshot(World& w) {
    Snapshot s;
    for (const auto& pg : w.pgmaps)
        s.pgmap_refs.push_back(pg->ref);
    s.tables_digest = w.tables_digest();
    s.table_count = w.table_count();
    s.sem_readers = w.mm.mmap_sem.readers;
    s.sem_writer = w.mm.mmap_sem.writer;
    return s;
}

std::vector<Failure> check_call(const Observation& o) {
    Checker c{o, {}};
    if (o.crashed) {
        unsigned worst = 0;
        const unsigned long at = c.most_faulted(&worst);
        c.fail(Property::P12_termination, "the call did not return normally: " + o.crash,
               worst > kMaxFaultsPerAddress ? c.known_livelock(at) : "");
        c.refcount_sanity(0);
        return c.out;
    }
    c.termination();
    c.rc_range();
    c.einval_pure();
    c.kcalloc_rule();
    c.no_leak_on_error();
    c.exact_pins();
    c.correspondence();
    c.fsdax_rule();
    c.partial_prefix();
    c.vmas_ownership();
    c.mmap_sem();
    c.refcount_sanity(0);
    c.write_cow();
    c.zero_page_read();
    c.alias();
    c.signedness();
    return c.out;
}

std::vector<Failure> check_release(const Observation& o, std::size_t violations_before) {
    Checker c{o, {}};
    for (page* p : o.w.materialized_pages())
        if (!(p->compound_head & 1) && c.pins(p) > 0)
            c.fail(o.rc < 0 ? Property::P4_no_leak_on_error : Property::P5_exact_pins,
                   "after the caller released its pages, " + c.describe_page(p) + " still holds " +
                       std::to_string(c.pins(p)) + " reference(s)");
    c.pgmaps_unchanged(Property::P5_exact_pins, "after the caller released its pages");
    c.refcount_sanity(violations_before);
    return c.out;
}

}  // namespace gupfuzz::harness
