// SPDX-License-Identifier: GPL-2.0-only
#include "core/kernel/hex.h"
#include "core/harness/executor.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "core/gup/gup.h"
#include "core/harness/oracle.h"
#include "core/kernel/walk.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;

namespace {

const char* const kPropId[] = {"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8",
                               "P9", "P10", "P11", "P12", "P13", "P14", "P16", "P17"};
const char* const kPropName[] = {"return value range",
                                 "-EINVAL is pure",
                                 "kcalloc failure gives -ENOMEM and nothing else",
                                 "no page reference leak on error",
                                 "exact pins on success",
                                 "pages/vmas correspond to the page tables",
                                 "-EOPNOTSUPP iff filesystem-DAX in the pinned prefix",
                                 "a partial count stops at a blocked address",
                                 "vmas array ownership",
                                 "mmap_sem held throughout",
                                 "refcount sanity",
                                 "termination (no BUG, bounded faults)",
                                 "write/COW semantics (Dirty COW rule)",
                                 "untouched anonymous memory reads as the zero page",
                                 "FS_DAX=n alias equals get_user_pages",
                                 "a negative rc is passed through untouched"};
static_assert(sizeof kPropId / sizeof kPropId[0] == static_cast<int>(Property::COUNT));
static_assert(sizeof kPropName / sizeof kPropName[0] == static_cast<int>(Property::COUNT));

}  // namespace

vm_flags_t vm_flags_for(const VmaSpec& v, const FileSpec* f) {
    vm_flags_t fl = VM_MAYREAD | VM_MAYEXEC;
    if (v.read) fl |= VM_READ;
    if (v.write) fl |= VM_WRITE;
    if (v.exec) fl |= VM_EXEC;
    if (v.maywrite) fl |= VM_MAYWRITE;
    if (v.shared) fl |= VM_SHARED | VM_MAYSHARE;
    if (v.growsdown) fl |= VM_GROWSDOWN;
    if (v.locked) fl |= VM_LOCKED;
    if (v.huge > 0) fl |= VM_HUGEPAGE;
    if (v.huge < 0) fl |= VM_NOHUGEPAGE;
    if (f) {
        switch (f->kind) {
        case FileKind::fsdax:
        case FileKind::devdax:
            fl |= VM_MIXEDMAP | VM_HUGEPAGE;  // ext4_file_mmap / dax_mmap
            break;
        case FileKind::hugetlbfs:
            fl |= VM_HUGETLB | VM_DONTEXPAND;
            break;
        case FileKind::mmio:
            fl |= v.pfnmap ? (VM_IO | VM_PFNMAP | VM_DONTEXPAND) : VM_MIXEDMAP;
            break;
        case FileKind::regular:
        case FileKind::shmem:
            break;
        }
    }
    return fl;
}

namespace {

// Can the CPU access the page now (what a user access needs to stop faulting)?
bool accessible(World& w, vm_area_struct* vma, unsigned long addr, bool write) {
    const Mapping m = walk(w, vma->vm_mm, addr);
    pteval_t v = m.value;
    if (m.level == Level::pte || ((m.level == Level::pmd || m.level == Level::pud) && m.leaf_huge))
        return (v & _PAGE_PRESENT) && (!write || (v & _PAGE_RW));
    return false;
}

class Builder {
public:
    Builder(World& w, const Scenario& s, std::vector<std::string>* notes) : w_(w), s_(s), notes_(notes) {}

    void build() {
        w_.config = s_.config;
        w_.hugetlb_free = s_.hugetlb_pool;
        for (const auto& f : s_.files) {
            dev_pagemap* pg = nullptr;
            if (f.kind == FileKind::fsdax || f.kind == FileKind::devdax)
                pg = w_.add_pgmap(f.size_pages, f.pgmap_live);
            files_.push_back(w_.add_file(f.kind, f.size_pages, f.align_pages, pg));
        }
        for (const auto& v : s_.vmas) {
            FileObj* fo = v.file >= 0 ? files_[static_cast<std::size_t>(v.file)] : nullptr;
            const FileSpec* fs = v.file >= 0 ? &s_.files[static_cast<std::size_t>(v.file)] : nullptr;
            vm_area_struct* vma = w_.insert_vma(v.start, v.end, vm_flags_for(v, fs), fo,
                                                v.file >= 0 ? v.pgoff : v.start >> PAGE_SHIFT);
            vma->model_index = static_cast<int>(&v - s_.vmas.data());
        }
        w_.setup_mode = true;
        for (std::size_t i = 0; i < s_.pre.size(); ++i)
            apply(i, s_.pre[i]);
        w_.setup_mode = false;
    }

private:
    void skip(std::size_t i, const PreOp& p, const std::string& why) {
        if (notes_)
            notes_->push_back("pre " + std::to_string(i) + " (" + pre_kind_name(p.kind) + " " + hex(p.addr) +
                              ") skipped: " + why);
    }

    void apply(std::size_t i, const PreOp& p) {
        vm_area_struct* vma = find_vma(&w_.mm, p.addr);
        if (!vma || vma->vm_start > p.addr)
            return skip(i, p, "no vma maps it");
        switch (p.kind) {
        case PreKind::touch_read:
        case PreKind::touch_write:
            return touch(i, p, vma);
        default:
            return modify(i, p, vma);
        }
    }

    void touch(std::size_t i, const PreOp& p, vm_area_struct*) {
        const bool write = p.kind == PreKind::touch_write;
        for (unsigned long n = 0; n < p.pages; ++n) {
            const unsigned long a = p.addr + n * PAGE_SIZE;
            vm_area_struct* v = find_vma(&w_.mm, a);
            if (!v || v->vm_start > a)
                return skip(i, p, "runs past the end of its vma at " + hex(a));
            // Every page is checked against its own vma, as the CPU would.
            if (v->vm_flags & (VM_IO | VM_PFNMAP))
                return skip(i, p, "a VM_PFNMAP mapping at " + hex(a) + " is populated by the driver, not by faults");
            if (write ? !(v->vm_flags & VM_WRITE) : !(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
                return skip(i, p, "the task would get SIGSEGV at " + hex(a));
            bool ok = false;
            for (int tries = 0; tries < 4 && !ok; ++tries) {
                int r = handle_mm_fault(v, a, write ? FAULT_FLAG_WRITE : 0);
                if (r & VM_FAULT_ERROR)
                    return skip(i, p, "the access at " + hex(a) + " gets " + vm_fault_name(r & VM_FAULT_ERROR));
                ok = accessible(w_, v, a, write);
            }
            if (!ok)
                return skip(i, p, "the access at " + hex(a) + " did not complete");
        }
    }

    void modify(std::size_t i, const PreOp& p, vm_area_struct* vma) {
        Mapping m = walk(w_, &w_.mm, p.addr);
        const bool file_dax = vma->vm_flags & VM_MIXEDMAP;
        switch (p.kind) {
        case PreKind::corrupt_p4d:
        case PreKind::corrupt_pud:
        case PreKind::corrupt_pmd: {
            const Level want = p.kind == PreKind::corrupt_p4d ? Level::p4d
                               : p.kind == PreKind::corrupt_pud ? Level::pud : Level::pmd;
            // Walk down to the wanted level: it must hold a table.
            Mapping at = m;
            if (static_cast<int>(at.level) <= static_cast<int>(want) || at.level == Level::none)
                return skip(i, p, "no page table at that level");
            pteval_t* slot = &w_.mm.pgd[pgd_index(p.addr)].pgd;
            if (want != Level::p4d) {
                slot = w_.table_of(*slot) + pud_index(p.addr);
                if (want == Level::pmd)
                    slot = w_.table_of(*slot) + pmd_index(p.addr);
            }
            *slot |= _PAGE_GLOBAL;  // a flag no table entry carries: *_bad() is true
            return;
        }
        case PreKind::pgmap_kill: {
            FileObj* fo = w_.file_of(vma);
            if (!fo || !fo->pgmap)
                return skip(i, p, "no DAX file is mapped there");
            if (!fo->pgmap->live)
                return skip(i, p, "the pgmap is already dying");
            fo->pgmap->live = false;  // percpu_ref_kill: tryget_live fails from now on
            return;
        }
        default:
            break;
        }
        if (m.level == Level::pte && (m.value & (_PAGE_PRESENT | _PAGE_PROTNONE)) && !(m.value & _PAGE_SPECIAL)) {
            page* pg = w_.pfn_to_page(pte_pfn(pte_t{m.value}));
            page* head = compound_head(pg);
            const bool anon = PageAnon(pg);
            switch (p.kind) {
            case PreKind::swapout:
                if (!anon || PageCompound(pg) || head->_mapcount != 0)
                    return skip(i, p, "only an exclusively mapped small anonymous page is swapped out here");
                *m.slot = swp_entry_to_pte(swp_entry(0, w_.next_swap)).pte;
                w_.swap_slots[w_.next_swap++] = nullptr;
                head->_mapcount--;
                w_.model_put(pg);
                return;
            case PreKind::migrate:
                if (PageCompound(pg))
                    return skip(i, p, "pte-mapped THP migration is not modelled");
                if (m.value & _PAGE_DIRTY)
                    set_page_dirty(pg);  // try_to_unmap_one (mm/rmap.c v4.15): the pte's dirty bit moves to the page
                *m.slot = swp_entry_to_pte(swp_entry((m.value & _PAGE_RW) ? SWP_MIGRATION_WRITE : SWP_MIGRATION_READ,
                                                     pg->pfn)).pte;
                return;
            case PreKind::poison:
                *m.slot = swp_entry_to_pte(swp_entry(SWP_HWPOISON, pg->pfn)).pte;
                head->_mapcount--;
                w_.model_put(pg);
                return;
            case PreKind::numa:
                if (m.value & _PAGE_PROTNONE && !(m.value & _PAGE_PRESENT))
                    return skip(i, p, "already PROT_NONE");
                *m.slot = (m.value & ~_PAGE_PRESENT) | _PAGE_PROTNONE;
                return;
            case PreKind::cowshare:
                if (!anon)
                    return skip(i, p, "fork shares anonymous pages only (file pages are refaulted)");
                *m.slot = m.value & ~_PAGE_RW;
                head->_mapcount++;
                w_.model_get(pg);
                return;
            case PreKind::clean:
                if (anon)
                    return skip(i, p, "writeback cleans file pages only");
                *m.slot = m.value & ~(_PAGE_RW | _PAGE_DIRTY);
                head->flags &= ~(1UL << PG_dirty);
                return;
            case PreKind::split:
                return skip(i, p, "split needs a THP pmd");
            default:
                break;
            }
        }
        if ((m.level == Level::pmd && m.leaf_huge && (m.value & _PAGE_PSE)) && !(m.value & _PAGE_DEVMAP) && !file_dax) {
            page* head = w_.pfn_to_page(pmd_pfn(pmd_t{m.value}));
            const bool zero = head == w_.huge_zero_page;
            const bool hugetlb = vma->vm_flags & VM_HUGETLB;
            switch (p.kind) {
            case PreKind::split:
                if (hugetlb)
                    return skip(i, p, "hugetlb pages are not split");
                split_thp_pmd(w_, vma, p.addr, reinterpret_cast<pmd_t*>(m.slot));
                return;
            case PreKind::migrate:
                if (zero)
                    return skip(i, p, "the huge zero page does not migrate");
                if (m.value & _PAGE_DIRTY)
                    set_page_dirty(head);  // set_pmd_migration_entry (mm/huge_memory.c v4.15)
                *m.slot = swp_entry_to_pte(swp_entry((m.value & _PAGE_RW) ? SWP_MIGRATION_WRITE : SWP_MIGRATION_READ,
                                                     head->pfn)).pte;
                return;
            case PreKind::numa:
                if (zero || hugetlb)
                    return skip(i, p, "NUMA hinting skips the huge zero page and hugetlb");
                *m.slot = (m.value & ~_PAGE_PRESENT) | _PAGE_PROTNONE;
                return;
            case PreKind::cowshare:
                if (zero || hugetlb || !PageAnon(head))
                    return skip(i, p, "fork shares anonymous THP only here");
                *m.slot = m.value & ~_PAGE_RW;
                head->_mapcount++;
                w_.model_get(head);
                return;
            case PreKind::poison:
                if (!hugetlb)
                    return skip(i, p, "THP poisoning splits the page first; poison a pte instead");
                *m.slot = swp_entry_to_pte(swp_entry(SWP_HWPOISON, head->pfn)).pte;
                head->_mapcount--;
                w_.model_put(head);
                return;
            default:
                return skip(i, p, "does not apply to a huge pmd");
            }
        }
        skip(i, p, "no page of the right kind is mapped there");
    }

    World& w_;
    const Scenario& s_;
    std::vector<std::string>* notes_;
    std::vector<FileObj*> files_;
};

struct CallOutcome {
    long rc = 0;
    bool crashed = false;
    std::string crash;
};

// Run the call as a caller would: mmap_sem held, arrays prepared.
CallOutcome call_longterm(World& w, const Scenario& s, std::vector<page*>& pages, std::vector<vm_area_struct*>& vmas,
                          bool plain_gup) {
    CallOutcome out;
    if (s.call.sem == SemMode::read)
        w.mm.mmap_sem.readers = 1;
    else
        w.mm.mmap_sem.writer = true;
    page** pp = s.call.pages ? pages.data() : nullptr;
    vm_area_struct** vv = s.call.vmas ? vmas.data() : nullptr;
    out.crash = run_kernel_call([&] {
        if (plain_gup)
            out.rc = port::get_user_pages(s.call.start, s.call.nr_pages, s.call.gup_flags, pp, vv);
        else
            out.rc = port::get_user_pages_longterm(s.call.start, s.call.nr_pages, s.call.gup_flags, pp, vv);
    });
    out.crashed = !out.crash.empty();
    return out;
}

int vma_index_of(const World& w, const vm_area_struct* v) {
    if (!v)
        return -1;
    if (v == &w.gate_vma)
        return -2;
    return v->model_index;
}

}  // namespace

std::string run_kernel_call(const std::function<void()>& call) {
    try {
        call();
    } catch (const KernelBug& e) {
        return std::string("kernel BUG: ") + e.what();
    } catch (const Livelock& e) {
        return std::string("livelock: ") + e.what();
    }
    return "";
}

const char* property_id(Property p) { return kPropId[static_cast<int>(p)]; }
const char* property_name(Property p) { return kPropName[static_cast<int>(p)]; }

std::string errno_name(long rc) {
    switch (rc) {
    case -EPERM: return "-EPERM";
    case -ENOENT: return "-ENOENT";
    case -EINTR: return "-EINTR";
    case -ENOMEM: return "-ENOMEM";
    case -EFAULT: return "-EFAULT";
    case -EBUSY: return "-EBUSY";
    case -EEXIST: return "-EEXIST";
    case -EINVAL: return "-EINVAL";
    case -EIO: return "-EIO";
    case -EOPNOTSUPP: return "-EOPNOTSUPP";
    case -EHWPOISON: return "-EHWPOISON";
    case -ERESTARTSYS: return "-ERESTARTSYS";
    default: return std::to_string(rc);
    }
}

void build_world(World& w, const Scenario& s, std::vector<std::string>* notes) {
    Builder(w, s, notes).build();
}

namespace {
// Guard entries after nr_pages: written only by a port that overruns the array.
constexpr std::size_t kGuard = 4;

Reference run_reference(const Scenario& s) {
    Reference ref;
    page g_page_sentinel;
    vm_area_struct g_vma_sentinel;
    World w;
    WorldScope scope(w);
    build_world(w, s, nullptr);
    w.plan = s.plan;
    w.plan.gup_rc_stub.reset();
    std::vector<page*> pages(s.call.pages ? s.call.nr_pages + kGuard : 0, &g_page_sentinel);
    std::vector<vm_area_struct*> vmas(s.call.vmas ? s.call.nr_pages + kGuard : 0, &g_vma_sentinel);
    CallOutcome out = call_longterm(w, s, pages, vmas, true);
    ref.crashed = out.crashed;
    ref.rc = out.rc;
    for (long j = 0; j < ref.rc && s.call.pages; ++j)
        ref.pfns.push_back(pages[static_cast<std::size_t>(j)] ? pages[static_cast<std::size_t>(j)]->pfn : 0);
    // The reference's own pins are dropped with its world.
    return ref;
}
}  // namespace

Verdict execute(const Scenario& s, const ExecOptions& opt) {
    Verdict v;
    const std::string why = validate(s);
    if (!why.empty())
        throw std::invalid_argument("invalid scenario: " + why);

    // The reference run (plain get_user_pages on an identical, separate state)
    // serves P7 (FS_DAX=y) and P16 (FS_DAX=n).
    std::optional<Reference> ref;
    if (opt.reference && !s.plan.gup_rc_stub && s.call.nr_pages > 0 &&
        s.call.nr_pages <= (1UL << 16) && (s.call.pages || !s.config.fs_dax)) {
        ref = run_reference(s);
        v.reference_ran = true;
        v.reference_rc = ref->rc;
    }

    // Sentinels fill the arrays beyond what the port may write; they live
    // and die with this run, like everything else.
    page g_page_sentinel;
    vm_area_struct g_vma_sentinel;
    World w;
    WorldScope scope(w);
    build_world(w, s, &v.notes);
    for (page* p : w.materialized_pages())
        if (p->_refcount != p->model_refs)
            throw KernelBug("model: a page holds references nobody accounts for after setup");
    const Snapshot before = take_snapshot(w);
    w.plan = s.plan;

    const std::size_t n = s.call.nr_pages;
    std::vector<page*> pages(s.call.pages ? n + kGuard : 0, &g_page_sentinel);
    std::vector<vm_area_struct*> vmas(s.call.vmas ? n + kGuard : 0, &g_vma_sentinel);
    CallOutcome out = call_longterm(w, s, pages, vmas, false);
    v.rc = out.rc;
    v.crashed = out.crashed;
    v.crash = out.crash;

    Observation obs{s, w, out.rc, pages, vmas, &g_page_sentinel, &g_vma_sentinel, before, out.crashed, out.crash,
                    ref ? &*ref : nullptr};
    v.failures = check_call(obs);
    const std::size_t violations_before = w.trace.violations.size();

    for (long j = 0; !out.crashed && j < out.rc && s.call.pages; ++j) {
        page* p = pages[static_cast<std::size_t>(j)];
        ReturnedPage rp;
        rp.addr = (s.call.start & PAGE_MASK) + static_cast<unsigned long>(j) * PAGE_SIZE;
        rp.pfn = (p && p != &g_page_sentinel) ? p->pfn : 0;
        vm_area_struct* vm = find_vma(&w.mm, rp.addr);
        rp.vma = (vm && vm->vm_start <= rp.addr) ? vma_index_of(w, vm)
                 : (w.config.gate && rp.addr >= VSYSCALL_ADDR && rp.addr < VSYSCALL_ADDR + PAGE_SIZE) ? -2 : -1;
        v.pages.push_back(rp);
    }

    // The caller releases what it was given (ib_umem_release / videobuf_dma_free):
    // one put_page per returned page.
    if (!out.crashed && s.call.pages && out.rc > 0) {
        for (long j = 0; j < out.rc; ++j) {
            page* p = pages[static_cast<std::size_t>(j)];
            if (p && p != &g_page_sentinel)
                port::put_page(p);
        }
    }
    if (!out.crashed) {
        std::vector<Failure> more = check_release(obs, violations_before);
        v.failures.insert(v.failures.end(), more.begin(), more.end());
    }
    if (!out.crashed) {
        std::size_t checked = 0, off = 0;
        for (page* p : w.materialized_pages())
            if (!(p->compound_head & 1)) {
                ++checked;
                off += p->_refcount != p->model_refs;
            }
        std::size_t pg_off = 0;
        for (std::size_t i = 0; i < w.pgmaps.size(); ++i)
            pg_off += w.pgmaps[i]->ref != before.pgmap_refs[i];
        v.balance = off == 0 && pg_off == 0
                        ? "all page references back to baseline (" + std::to_string(checked) +
                              " struct pages checked, " + std::to_string(w.pgmaps.size()) + " dev_pagemap(s) unchanged)"
                        : std::to_string(off) + " struct page(s) and " + std::to_string(pg_off) +
                              " dev_pagemap(s) NOT back to baseline";
    }
    v.trace = std::move(w.trace);
    v.notes.insert(v.notes.end(), w.trace.notes.begin(), w.trace.notes.end());
    return v;
}

bool Verdict::passed_ignoring_known() const {
    return std::all_of(failures.begin(), failures.end(), [](const Failure& f) { return !f.known_issue.empty(); });
}

std::string Verdict::summary_line() const {
    std::ostringstream o;
    o << (passed() ? "PASS" : passed_ignoring_known() ? "KNOWN-KERNEL-ISSUE" : "FAIL") << " rc=" << errno_name(rc);
    std::string last;
    for (const auto& f : failures) {
        const std::string id = std::string(property_id(f.property)) + (f.known_issue.empty() ? "" : "(known)");
        if (id != last)
            o << " " << id;
        last = id;
    }
    return o.str();
}

std::string Verdict::report(const Scenario& s) const {
    std::ostringstream o;
    o << "verdict: " << summary_line() << "\n";
    o << describe_layout(s);
    o << "result: rc = " << errno_name(rc);
    if (crashed)
        o << " (the call did not return: " << crash << ")";
    o << "\n";
    if (!balance.empty())
        o << "references after the caller's release: " << balance << "\n";
    if (reference_ran)
        o << "reference get_user_pages on the same state: rc = " << errno_name(reference_rc) << "\n";
    if (!pages.empty()) {
        o << "pages returned:\n";
        const std::size_t show = std::min<std::size_t>(pages.size(), 16);
        for (std::size_t j = 0; j < show; ++j) {
            const ReturnedPage& p = pages[j];
            o << "  [" << j << "] " << hex(p.addr) << " -> pfn " << hex(p.pfn) << " ("
              << (p.vma == -2 ? std::string("gate vma") : p.vma < 0 ? std::string("no vma") : "vma " + std::to_string(p.vma))
              << ")\n";
        }
        if (pages.size() > show)
            o << "  ... " << pages.size() - show << " more\n";
    }
    o << "trace: " << trace.sites.size() << " allocation-site passes";
    for (const auto& sp : trace.sites)
        if (sp.failed)
            o << "; injected: " << alloc_site_name(sp.site) << " #" << sp.occurrence << " at " << hex(sp.addr);
    for (const auto& [addr, code] : trace.codes_fired)
        o << "; injected: VM_FAULT_" << vm_fault_name(code) << " at " << hex(addr);
    if (trace.signal_delivered_at)
        o << "; SIGKILL seen at check " << trace.signal_delivered_at;
    unsigned max_faults = 0;
    unsigned long max_addr = 0;
    for (const auto& [addr, cnt] : trace.faults_per_page)
        if (cnt > max_faults) {
            max_faults = cnt;
            max_addr = addr;
        }
    o << "; " << trace.faults_per_page.size() << " pages faulted";
    if (max_faults)
        o << " (at most " << max_faults << " faults, at " << hex(max_addr) << ")";
    o << "\n";
    for (const auto& n : notes)
        o << "note: " << n << "\n";
    for (const auto& f : failures) {
        o << "FAILED " << property_id(f.property) << " (" << property_name(f.property) << "): " << f.message << "\n";
        if (!f.known_issue.empty())
            o << "  known kernel behaviour: " << f.known_issue << "\n";
    }
    return o.str();
}

}  // namespace gupfuzz::harness
