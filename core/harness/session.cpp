// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/session.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "core/gup/entry.h"
#include "core/harness/builder.h"
#include "core/harness/executor.h"
#include "core/harness/normalize.h"
#include "core/harness/oracle.h"
#include "core/kernel/hex.h"
#include "core/kernel/mm_ops.h"

#ifndef GUPFUZZ_HAVE_KERNEL612
#define GUPFUZZ_HAVE_KERNEL612 0
#endif

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

// The real kernel's entry table (entry612.h: 6.12 or 6.1, by the World's
// generation), or a clear refusal in a build without it.
void need612(const Scenario& base, const char* what) {
    if (!is_real_kernel(base.kernel))
        throw std::logic_error(std::string("Session::") + what + " is a kernel 6.12/6.1 entry; this Session runs kernel " +
                               kernel_name(base.kernel));
    if (!kernel_available(base.kernel))
        throw std::invalid_argument(kernel_unavailable_reason(base.kernel));
}

const char* kind_word(const World& w, const page* p) {
    if (p == w.zero_page) return "the zero page";
    if (p == w.huge_zero_page) return "the huge zero page";
    if (p == w.gate_page) return "the vsyscall gate page";
    if (p->zone_device()) return "a ZONE_DEVICE (DAX) page";
    if (!p->allocated()) return "a FREED page";
    if (PageAnon(p)) return p->compound_order() ? "an anonymous THP" : "an anonymous page";
    if (p->mapping) return p->compound_order() ? "a huge page-cache page" : "a page-cache page";
    return "a page";
}

}  // namespace

Session::Session(const Scenario& base) : w_(std::make_unique<World>()), base_(base) {
    const std::string why = to_string(validate(base));
    if (!why.empty())
        throw std::invalid_argument("invalid scenario: " + why);
    file_specs_ = base.files;
    WorldScope scope(*w_);
    build_world(*w_, base, &notes_);
    for (page* p : w_->materialized_pages())
        if (p->_refcount != p->model_refs())
            throw KernelBug("model: a page holds references nobody accounts for after setup");
    for (const auto& pg : w_->pgmaps)
        pgmap_baseline_.push_back(pg->ref);
    violations_seen_ = w_->trace.violations.size();
    if (is_real_kernel(base.kernel))
        pincounts_ = pincount_snapshot(*w_);
}

Session::~Session() = default;

void Session::arm(const FaultPlan& plan) {
    pending_ = plan;
    have_pending_ = true;
}

void Session::begin_operation() {
    if (depth_++ > 0)
        return;
    World& w = *w_;
    // Fault counts are per operation (the P12 bound and the hard stop are
    // about one operation, not the whole life of the process).
    w.trace.faults_per_page.clear();
    w.plan = {};
    w.ptl.held = 0;  // a call a BUG ended inside a locked section took its lock with it
    w.faulted_since_resched = false;
    if (!have_pending_)
        return;
    FaultPlan p = pending_;
    for (auto& f : p.failures)
        f.occurrence += w.trace.count_site(f.site);
    if (p.signal_at_check)
        p.signal_at_check += w.trace.signal_checks;
    for (auto& il : p.interleaves)
        il.occurrence += w.trace.yield_passes[static_cast<int>(il.point)];
    w.plan = p;
    have_pending_ = false;
}

void Session::end_operation() {
    if (depth_ == 0)
        throw std::logic_error("Session::end_operation without begin_operation");
    if (--depth_ == 0)
        w_->plan = {};
}

void Session::down_read() { w_->mm.mmap_sem.readers++; }
void Session::up_read() {
    if (w_->mm.mmap_sem.readers <= 0)
        throw std::logic_error("Session::up_read: mmap_sem not held for read");
    w_->mm.mmap_sem.readers--;
}
void Session::down_write() {
    if (w_->mm.mmap_sem.writer || w_->mm.mmap_sem.readers)
        throw std::logic_error("Session::down_write: mmap_sem already held");
    w_->mm.mmap_sem.writer = true;
}
void Session::up_write() {
    if (!w_->mm.mmap_sem.writer)
        throw std::logic_error("Session::up_write: mmap_sem not held for write");
    w_->mm.mmap_sem.writer = false;
}

Session::CallResult Session::call415(const char* what, bool longterm, unsigned long start, unsigned long nr_pages,
                                     unsigned gup_flags, page** pages, vm_area_struct** vmas) {
    Operation op(*this);
    WorldScope scope(*w_);
    World& w = *w_;
    CallResult r;
    if (base_.kernel != Kernel::v4_15)
        throw std::logic_error(std::string("Session::") + what + " is v4.15's entry; this Session runs kernel " +
                               kernel_name(base_.kernel) + " (use call612)");
    const rw_semaphore sem = w.mm.mmap_sem;
    if (!sem.writer && sem.readers == 0)
        throw std::logic_error(std::string("Session::") + what + ": the caller must hold mmap_sem");
    const long kmalloc_before = w.trace.kmalloc_live;
    const port::GupEntry& kernel = port::entry_for(w.config, w.plan.gup_rc_stub.has_value());
    r.crash = run_kernel_call([&] {
        r.rc = longterm ? kernel.get_user_pages_longterm(start, nr_pages, gup_flags, pages, vmas)
                        : kernel.get_user_pages(start, nr_pages, gup_flags, pages, vmas);
        // The return to the caller, which still holds mmap_sem: a yield point.
        w.yield(YieldPoint::caller_return);
    });
    r.crashed = !r.crash.empty();
    const rw_semaphore& now = w.mm.mmap_sem;
    if (now.releases != sem.releases)
        r.problems.push_back("mmap_sem was released " + std::to_string(now.releases - sem.releases) +
                             " time(s) during " + what);
    if (now.readers != sem.readers || now.writer != sem.writer)
        r.problems.push_back(std::string("mmap_sem is not held as the caller took it after ") + what);
    if (w.trace.kmalloc_live != kmalloc_before)
        r.problems.push_back(std::string(what) + " left " + std::to_string(w.trace.kmalloc_live - kmalloc_before) +
                             " kcalloc'd array(s) allocated");
    return r;
}

Session::CallResult Session::get_user_pages_longterm(unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                                                     page** pages, vm_area_struct** vmas) {
    return call415("get_user_pages_longterm", true, start, nr_pages, gup_flags, pages, vmas);
}

Session::CallResult Session::get_user_pages(unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                                            page** pages, vm_area_struct** vmas) {
    return call415("get_user_pages", false, start, nr_pages, gup_flags, pages, vmas);
}

std::string Session::run_op(MmOp op, unsigned long addr, unsigned long pages, bool* ran) {
    Operation o(*this);
    WorldScope scope(*w_);
    World& w = *w_;
    bool dummy = false;
    bool* did = ran ? ran : &dummy;
    *did = false;
    // The lock rules, against what the Session's caller holds now.
    const MmapSemNeed need = mm_op_sem(op);
    if (need == MmapSemNeed::write && (w.mm.mmap_sem.readers || w.mm.mmap_sem.writer))
        return std::string("refused: ") + mm_op_words(op) + " takes mmap_sem for write, which the caller holds";
    if (need == MmapSemNeed::read && w.mm.mmap_sem.writer)
        return std::string("refused: ") + mm_op_words(op) + " takes mmap_sem for read, which the caller holds for write";
    std::string out;
    const std::string bug = run_kernel_call([&] { out = run_mm_op(w, op, addr, pages, did); });
    return bug.empty() ? out : "the operation ended: " + bug;
}

unsigned long Session::fsdax_allocate(int file, unsigned long index) {
    WorldScope scope(*w_);
    if (file < 0 || static_cast<std::size_t>(file) >= w_->files.size() || w_->files[static_cast<std::size_t>(file)]->kind != FileKind::fsdax)
        throw std::invalid_argument("Session::fsdax_allocate: file " + std::to_string(file) + " is not a filesystem-DAX file");
    return kernel::fsdax_allocate(*w_, w_->files[static_cast<std::size_t>(file)].get(), index);
}

std::string Session::fsdax_owner(unsigned long pfn) {
    WorldScope scope(*w_);
    return fsdax_owner_words(*w_, pfn);
}

std::vector<Failure> Session::check_pin_lifetime(const std::vector<page*>& pinned, bool plain_gup) {
    std::vector<Failure> out;
    const auto& ev = w_->trace.lifetime;
    for (std::size_t i = lifetime_seen_; i < ev.size(); ++i)
        for (page* p : pinned)
            if (p && p->pfn() == ev[i].first) {
                out.push_back({Property::P7_fsdax_rule,
                               "no block referenced by a live pin is freed or handed to another file, but " + ev[i].second,
                               plain_gup ? "v4.15 get_user_pages pins filesystem-DAX pages, and v4.15 truncate and hole "
                                           "punch free their blocks without waiting for the pages to be idle (fs/dax.c "
                                           "dax_delete_mapping_entry): the DMA-to-DAX vs truncate problem. Long-term "
                                           "callers were moved to get_user_pages_longterm, which refuses filesystem-DAX "
                                           "(2bb6d2837083, the seed); filesystems wait for pinned pages since "
                                           "5fac7408d828/d6dc57e251a4 (xfs) and 430657b6be89 (ext4)"
                                         : ""});
                break;
            }
    lifetime_seen_ = ev.size();
    return out;
}

void Session::put_page(page* p) {
    WorldScope scope(*w_);
    port::entry_for(w_->config, w_->plan.gup_rc_stub.has_value()).put_page(p);
}

Session::PinResult Session::call612(k612::Call entry, unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                                    page** pages) {
    need612(base_, "call612");
    Operation op(*this);
    World& w = *w_;
    PinResult r;
    const rw_semaphore sem = w.mm.mmap_sem;
    if (sem.writer || sem.readers)
        throw std::logic_error("Session::call612: the entry takes mmap_lock as its caller would; do not hold it");
#if GUPFUZZ_HAVE_KERNEL612
    const k612::Outcome out = k612::call(w, entry, start, nr_pages, gup_flags, pages);
    r.rc = out.rc;
    r.locked = out.locked;
    r.crashed = !out.bug.empty();
    r.crash = out.bug;
    r.warnings = out.warnings;
#else
    (void)entry, (void)start, (void)nr_pages, (void)gup_flags, (void)pages;
#endif
    const rw_semaphore& now = w.mm.mmap_sem;
    if (!r.crashed && (now.readers != sem.readers || now.writer != sem.writer))
        r.problems.push_back(std::string("mmap_lock is not as before the call after ") + entry_name(entry));
    for (const std::string& warn : r.warnings)
        r.problems.push_back(std::string(entry_name(entry)) + " WARNed: " + warn);
    return r;
}

namespace {
// R12 (port-v6.12.md §6, §3.12): 6.12's unpin_user_pages skips a NULL entry,
// but gup_folio_next looks ahead from every non-NULL entry at the entries
// after it (page_folio of each), so a NULL after a non-NULL entry is
// dereferenced: only a NULL prefix is safe (the shape
// migrate_longterm_unpinnable_folios keeps).  unpin_user_pages_dirty_lock(...,
// true) has no NULL check at all.  A release that breaks this is refused here,
// in words, instead of crashing the process in gup.c.
std::string null_entry_problem(page* const* pages, unsigned long n, bool no_null_at_all, const char* what) {
    bool seen = false;
    for (unsigned long i = 0; i < n; ++i) {
        if (pages[i]) {
            seen = true;
            continue;
        }
        if (no_null_at_all)
            return std::string("R12: ") + what + " given NULL at pages[" + std::to_string(i) +
                   "]: unpin_user_pages_dirty_lock(..., make_dirty=true) dereferences every entry (gup_folio_next)";
        if (seen)
            return std::string("R12: ") + what + " given NULL at pages[" + std::to_string(i) +
                   "] after a non-NULL entry: gup_folio_next looks ahead from the entry before and would dereference "
                   "it (only a NULL prefix is skipped)";
    }
    return "";
}

template <class F>
std::string release612(World& w, F&& f) {
    WorldScope scope(w);
    return run_kernel_call(f);
}
}  // namespace

std::string Session::unpin_user_pages(page** pages, unsigned long npages) {
    need612(base_, "unpin_user_pages");
    if (std::string why = null_entry_problem(pages, npages, false, "unpin_user_pages"); !why.empty())
        return why;
#if GUPFUZZ_HAVE_KERNEL612
    return release612(*w_, [&] { k612::unpin_user_pages(*w_, pages, npages); });
#else
    (void)pages, (void)npages;
    return "";
#endif
}

std::string Session::unpin_user_pages_dirty_lock(page** pages, unsigned long npages, bool make_dirty) {
    need612(base_, "unpin_user_pages_dirty_lock");
    if (std::string why = null_entry_problem(pages, npages, make_dirty, "unpin_user_pages_dirty_lock"); !why.empty())
        return why;
#if GUPFUZZ_HAVE_KERNEL612
    return release612(*w_, [&] { k612::unpin_user_pages_dirty_lock(*w_, pages, npages, make_dirty); });
#else
    (void)pages, (void)npages, (void)make_dirty;
    return "";
#endif
}

std::string Session::put_page612(page* p) {
    need612(base_, "put_page612");
    if (!p)
        return "put_page(NULL)";
#if GUPFUZZ_HAVE_KERNEL612
    return release612(*w_, [&] { k612::put_page(*w_, p); });
#else
    (void)p;
    return "";
#endif
}

k612::Counters Session::counters612() const {
#if GUPFUZZ_HAVE_KERNEL612
    if (is_real_kernel(base_.kernel))
        return k612::counters(*w_);
#endif
    return {};
}

std::vector<std::string> Session::ledger612(const std::map<page*, long>& pins, const std::map<page*, long>& gets,
                                            const std::string& who) const {
    WorldScope scope(*w_);
    return harness::ledger612(*w_, pins, gets, pincounts_, "now", who);
}

void Session::set_page_dirty_lock(page* p) {
    WorldScope scope(*w_);
    lock_page(p);
    set_page_dirty(p);
    unlock_page(p);
}

int Session::add_file(const FileSpec& f) {
    if (const std::string why = file_problem(base_.config, f); !why.empty())
        throw std::invalid_argument("Session::add_file: " + why);
    WorldScope scope(*w_);
    dev_pagemap* pg = nullptr;
    if (f.kind == FileKind::fsdax || f.kind == FileKind::devdax) {
        pg = w_->add_pgmap(f.size_pages, f.pgmap_live, f.kind == FileKind::devdax ? f.align_pages : 1);
        pgmap_baseline_.push_back(pg->ref);
    }
    w_->add_file(f.kind, f.size_pages, f.align_pages, pg);
    file_specs_.push_back(f);
    return static_cast<int>(file_specs_.size()) - 1;
}

int Session::mmap(const VmaSpec& v) {
    if (!mmap_problem(base_.config, file_specs_, v).empty())
        return -EINVAL;
    const FileSpec* fs = v.file >= 0 ? &file_specs_[static_cast<std::size_t>(v.file)] : nullptr;
    FileObj* fo = v.file >= 0 ? w_->files[static_cast<std::size_t>(v.file)].get() : nullptr;
    Operation op(*this);
    WorldScope scope(*w_);
    vm_area_struct* vma = nullptr;
    return mmap_fixed(*w_, v.start, v.end, vm_flags_for(v, fs), fo, fo ? v.pgoff : v.start >> PAGE_SHIFT, &vma);
}

int Session::munmap(unsigned long start, unsigned long len) {
    Operation op(*this);
    WorldScope scope(*w_);
    return do_munmap(*w_, start, len);
}

int Session::mprotect(unsigned long start, unsigned long len, bool read, bool write, bool exec) {
    Operation op(*this);
    WorldScope scope(*w_);
    const vm_flags_t prot = (read ? VM_READ : 0) | (write ? VM_WRITE : 0) | (exec ? VM_EXEC : 0);
    return do_mprotect(*w_, start, len, prot);
}

int Session::touch(unsigned long addr, unsigned long pages, bool write) {
    Operation op(*this);
    WorldScope scope(*w_);
    for (unsigned long n = 0; n < pages; ++n)
        if (int r = user_access(*w_, addr + n * PAGE_SIZE, write))
            return r;
    return 0;
}

std::vector<page*> Session::head_pages() const {
    std::vector<page*> out;
    for (page* p : w_->materialized_pages())
        if (!(p->compound_head & 1))
            out.push_back(p);
    return out;
}

std::vector<std::string> Session::new_violations() {
    const auto& v = w_->trace.violations;
    std::vector<std::string> out(v.begin() + static_cast<long>(violations_seen_), v.end());
    violations_seen_ = v.size();
    return out;
}

bool Session::page_is_live(const page* p) const {
    return p->allocated() || p->zone_device() || p == w_->zero_page || p == w_->huge_zero_page || p == w_->gate_page;
}

std::string Session::describe_page(const page* p) const {
    return "pfn " + hex(p->pfn()) + " (" + kind_word(*w_, p) + "; refcount " + std::to_string(p->_refcount) +
           ", of which " + std::to_string(p->model_refs()) + " mapping/cache/owner, so " +
           std::to_string(gup_refs(p)) + " GUP)";
}

std::string Session::layout_text() const {
    std::ostringstream o;
    for (const vm_area_struct* v = w_->mm.mmap; v; v = v->vm_next) {
        const FileObj* f = w_->file_of(v);
        o << "  [" << hex(v->vm_start) << ", " << hex(v->vm_end) << ") " << ((v->vm_end - v->vm_start) >> PAGE_SHIFT)
          << " pages " << ((v->vm_flags & VM_READ) ? 'r' : '-') << ((v->vm_flags & VM_WRITE) ? 'w' : '-')
          << ((v->vm_flags & VM_EXEC) ? 'x' : '-') << ((v->vm_flags & VM_SHARED) ? " shared " : " private ")
          << (f ? std::string(file_kind_name(f->kind)) + " file " + std::to_string(f->id) + " pgoff " +
                      std::to_string(v->vm_pgoff)
                : std::string("anon"))
          << "\n";
    }
    return o.str();
}

std::string Session::state_text() const {
    const World& w = *w_;
    std::ostringstream o;
    o << "vmas:\n" << layout_text();
    o << "pages:\n";
    for (const page* p : w_->materialized_pages()) {
        const bool fresh_device = p->zone_device() && p->_refcount == 1 && p->model_refs() == 1 && p->_mapcount == -1 &&
                                  p->flags == 0;
        if (fresh_device || (!p->_refcount && !p->model_refs() && p->_mapcount == -1 && !p->flags && !p->allocated()))
            continue;
        o << "  " << hex(p->pfn()) << " ref " << p->_refcount << " model " << p->model_refs() << " map " << p->_mapcount
          << " flags " << hex(p->flags) << (p->allocated() ? " allocated" : "") << (p->compound_head & 1 ? " tail" : "")
          << "\n";
    }
    o << "pgmaps:";
    for (const auto& pg : w.pgmaps)
        o << " " << pg->ref << (pg->live ? "" : "(dying)");
    o << "\ntables: " << w.table_count() << " digest " << hex(w.tables_digest()) << "\n";
    o << "hugetlb_free " << w.hugetlb_free << ", swap slots";
    for (const auto& [off, pg] : w.swap_slots)
        o << " " << off;
    o << "\nmmap_sem readers " << w.mm.mmap_sem.readers << " writer " << w.mm.mmap_sem.writer << " releases "
      << w.mm.mmap_sem.releases << "\n";
    const Trace& t = w.trace;
    o << "trace: kmalloc calls " << t.kmalloc_calls << " live " << t.kmalloc_live << ", signal checks "
      << t.signal_checks << " delivered at " << t.signal_delivered_at << "\n  sites:";
    for (const auto& sp : t.sites)
        o << " " << alloc_site_name(sp.site) << "#" << sp.occurrence << "@" << hex(sp.addr) << (sp.failed ? "!" : "");
    o << "\n  faults:";
    for (const auto& [a, n] : t.faults_per_page)
        o << " " << hex(a) << "x" << n;
    o << "\n  codes fired:";
    for (const auto& [a, c] : t.codes_fired)
        o << " " << hex(a) << "=" << vm_fault_name(c);
    o << "\n  violations:";
    for (const auto& v : t.violations)
        o << "\n    " << v;
    o << "\n  notes:";
    for (const auto& n : t.notes)
        o << "\n    " << n;
    o << "\n";
    return o.str();
}

std::string run_and_describe(const Scenario& s, long* rc_out) {
    Session session(s);
    session.arm(s.plan);
    const std::size_t n = s.call.nr_pages;
    // Arrays of nr_pages + 4 entries, as the executor passes (never NULL for nr_pages == 0).
    std::vector<page*> pages(n + 4, nullptr);
    std::vector<vm_area_struct*> vmas(n + 4, nullptr);
    std::ostringstream o;
    long rc = 0;
    if (is_real_kernel(s.kernel)) {
        // 6.12's GUP-fast overruns a zero-length array (a known kernel behaviour,
        // oracle612.cpp): room enough, as the executor gives it.
        const bool fast = s.call.entry == k612::Call::pin_user_pages_fast || s.call.entry == k612::Call::get_user_pages_fast;
        if (fast && n == 0)
            pages.assign(std::size_t{1} << 20, nullptr);
        const Session::PinResult r =
            session.call612(s.call.entry, s.call.start, n, s.call.gup_flags, s.call.pages ? pages.data() : nullptr);
        rc = r.rc;
        o << "rc " << errno_name(r.rc) << (r.crashed ? " crashed: " + r.crash : std::string()) << "\n";
        for (const auto& p : r.problems)
            o << "problem: " << p << "\n";
        const bool pin = s.call.entry != k612::Call::get_user_pages && s.call.entry != k612::Call::get_user_pages_fast;
        if (!r.crashed && s.call.pages && r.rc > 0 && static_cast<std::size_t>(r.rc) <= n &&
            std::all_of(pages.begin(), pages.begin() + r.rc, [](page* p) { return p != nullptr; })) {
            std::string bug;
            if (pin)
                bug = session.unpin_user_pages(pages.data(), static_cast<unsigned long>(r.rc));
            else
                for (long j = 0; j < r.rc && bug.empty(); ++j)
                    bug = session.put_page612(pages[static_cast<std::size_t>(j)]);
            if (!bug.empty())
                o << "release ended: " << bug << "\n";
        }
        const k612::Counters c = session.counters612();
        o << "NR_FOLL_PIN_ACQUIRED " << c.foll_pin_acquired << " RELEASED " << c.foll_pin_released
          << " MMF_HAS_PINNED " << c.mmf_has_pinned << " lru drains " << c.lru_drains << " migrations " << c.migrations
          << "\n";
    } else {
        if (s.call.sem == SemMode::read)
            session.down_read();
        else
            session.down_write();
        const Session::CallResult r = session.get_user_pages_longterm(
            s.call.start, n, s.call.gup_flags, s.call.pages ? pages.data() : nullptr, s.call.vmas ? vmas.data() : nullptr);
        rc = r.rc;
        o << "rc " << errno_name(r.rc) << (r.crashed ? " crashed: " + r.crash : std::string()) << "\n";
        for (const auto& p : r.problems)
            o << "problem: " << p << "\n";
        if (!r.crashed) {
            if (s.call.sem == SemMode::read)
                session.up_read();
            else
                session.up_write();
            for (long j = 0; s.call.pages && j < r.rc; ++j)
                if (pages[static_cast<std::size_t>(j)])
                    session.put_page(pages[static_cast<std::size_t>(j)]);
        }
    }
    for (const auto& note : session.build_notes())
        o << "note: " << note << "\n";
    o << session.state_text();
    if (rc_out)
        *rc_out = rc;
    return o.str();
}

}  // namespace gupfuzz::harness
