// SPDX-License-Identifier: GPL-2.0-only
#include "core/harness/builder.h"

#include "core/harness/normalize.h"
#include "core/kernel/hex.h"
#include "core/kernel/mm_ops.h"
#include "core/kernel/walk.h"

namespace gupfuzz::harness {

using namespace gupfuzz::kernel;


namespace {

// Since Linux 4.19 (L1TF, arch/x86/include/asm/pgtable-invert.h) x86 stores
// the pfn of a PROT_NONE entry inverted; the model writes v4.15's encoding,
// so for kernel 6.12 it does not build NUMA-hinting entries at all (a known
// gap, docs/kernel-shim.md) rather than hand gup.c an entry it misreads.
constexpr const char* kNuma612 =
    "NUMA-hinting (PROT_NONE) entries are not modelled for kernels 6.1 and 6.12 yet (x86's inverted pfn encoding)";

// The model follows the scenario's generation's fault semantics
// (KernelConfig::generation: 415, 601 or 612, core/kernel/fault.cpp), from the
// pre-state on: a 6.12 or 6.1 anonymous page touched before the call is
// PageAnonExclusive as those kernels make it.
void set_model_generation(kernel::KernelConfig& c, Kernel k) {
    c.generation = k == Kernel::v6_12 ? 612 : k == Kernel::v6_1 ? 601 : 415;
}

class Builder {
public:
    Builder(World& w, const Scenario& s, std::vector<std::string>* notes) : w_(w), s_(s), notes_(notes) {}

    void build() {
        w_.config = s_.config;
        set_model_generation(w_.config, s_.kernel);
        w_.hugetlb_free = s_.hugetlb_pool;
        for (const auto& f : s_.files) {
            dev_pagemap* pg = nullptr;
            if (f.kind == FileKind::fsdax || f.kind == FileKind::devdax)
                pg = w_.add_pgmap(f.size_pages, f.pgmap_live, f.kind == FileKind::devdax ? f.align_pages : 1);
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
        if (p.kind == PreKind::touch_read || p.kind == PreKind::touch_write)
            return touch(i, p);  // a touch may fault below a stack vma (below_stack)
        vm_area_struct* vma = find_vma(&w_.mm, p.addr);
        if (!vma || vma->vm_start > p.addr)
            return skip(i, p, "no vma maps it");
        return modify(i, p, vma);
    }

    // The task's access to `a`, which no vma maps: a growsdown vma above it
    // may be expanded down to it by the user fault.  Returns "" when the
    // access goes ahead (expand_stack itself runs in user_access, the one
    // user-access path), else why the task gets SIGSEGV there.
    std::string below_stack(unsigned long a, unsigned long n, const vm_area_struct* v) const {
        if (!v || !(v->vm_flags & VM_GROWSDOWN))
            return n == 0 ? "no vma maps it" : "runs past the end of its vma at " + hex(a);
        // v4.15 arch/x86/mm/fault.c __do_page_fault: a user access more than
        // 65536 + 32 * sizeof(long) bytes below %sp is a bad_area before
        // expand_stack is tried; the task runs on its own stack, far above
        // every scenario vma.  The check was removed in v4.20 (1d8ca3be86eb);
        // 6.1 and 6.12 expand the vma from the fault (6.12 mm/memory.c:6198
        // lock_mm_and_find_vma -> expand_stack_locked, mm/mmap.c:1153
        // expand_downwards: mmap_min_addr, stack_guard_gap against an
        // accessible previous vma that is not itself growsdown, mmap.c:1167,
        // then acct_stack_growth).
        if (!has_anon_exclusive(w_))
            return "the task would get SIGSEGV at " + hex(a) +
                   ": v4.15's user fault refuses an access this far below %sp (the task's stack is not this vma)";
        return "";
    }

    void touch(std::size_t i, const PreOp& p) {
        const bool write = p.kind == PreKind::touch_write;
        for (unsigned long n = 0; n < p.pages; ++n) {
            const unsigned long a = p.addr + n * PAGE_SIZE;
            vm_area_struct* v = find_vma(&w_.mm, a);
            const bool below = !v || v->vm_start > a;
            if (below) {
                const std::string why = below_stack(a, n, v);
                if (!why.empty())
                    return skip(i, p, why);
            }
            // Every page is checked against its own vma, as the CPU would.
            if (v->vm_flags & (VM_IO | VM_PFNMAP))
                return skip(i, p, "a VM_PFNMAP mapping at " + hex(a) + " is populated by the driver, not by faults");
            if (write ? !(v->vm_flags & VM_WRITE) : !(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
                return skip(i, p, "the task would get SIGSEGV at " + hex(a));
            // The access itself: the one user-access path (mm_ops), as the
            // process or a Session write would make it.
            const int r = user_access(w_, a, write);
            if (r > 0)
                return skip(i, p, "the access at " + hex(a) + " gets " + vm_fault_name(r));
            if (r < 0 && below)
                return skip(i, p, "the task would get SIGSEGV at " + hex(a) +
                                      ": expand_stack refused to grow the vma down to it (mmap_min_addr, "
                                      "stack_guard_gap, RLIMIT_STACK or an injected failure)");
            if (r < 0)
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
            corrupt_table_entry(w_, p.addr, want);
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
                if (!anon || PageCompound(pg) || mapcount_of(head) != 0)
                    return skip(i, p, "only an exclusively mapped small anonymous page is swapped out here");
                swap_out_pte(w_, m.slot, pg);
                return;
            case PreKind::migrate:
                if (PageCompound(pg))
                    return skip(i, p, "pte-mapped THP migration is not modelled");
                install_migration_entry(m.slot, pg);
                return;
            case PreKind::poison:
                install_hwpoison_entry(w_, m.slot, pg);
                return;
            case PreKind::numa:
                if (w_.config.generation >= 601)
                    return skip(i, p, kNuma612);
                if (m.value & _PAGE_PROTNONE && !(m.value & _PAGE_PRESENT))
                    return skip(i, p, "already PROT_NONE");
                make_numa_protnone(m.slot);
                return;
            case PreKind::cowshare:
                if (!anon)
                    return skip(i, p, "fork shares anonymous pages only (file pages are refaulted)");
                share_for_fork(w_, m.slot, pg);
                return;
            case PreKind::clean:
                if (anon)
                    return skip(i, p, "writeback cleans file pages only");
                clean_for_writeback(m.slot, head);
                return;
            case PreKind::split:
                return skip(i, p, "split needs a THP pmd");
            default:
                break;
            }
        }
        if ((m.level == Level::pmd && m.leaf_huge && (m.value & _PAGE_PSE)) && !(m.value & _PAGE_DEVMAP_ANY) && !file_dax) {
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
                install_migration_entry(m.slot, head);
                return;
            case PreKind::numa:
                if (w_.config.generation >= 601)
                    return skip(i, p, kNuma612);
                if (zero || hugetlb)
                    return skip(i, p, "NUMA hinting skips the huge zero page and hugetlb");
                make_numa_protnone(m.slot);
                return;
            case PreKind::cowshare:
                if (zero || hugetlb || !PageAnon(head))
                    return skip(i, p, "fork shares anonymous THP only here");
                share_for_fork(w_, m.slot, head);
                return;
            case PreKind::poison:
                if (!hugetlb)
                    return skip(i, p, "THP poisoning splits the page first; poison a pte instead");
                install_hwpoison_entry(w_, m.slot, head);
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

}  // namespace

void build_world(World& w, const Scenario& s, std::vector<std::string>* notes) {
    Builder(w, s, notes).build();
}

}  // namespace gupfuzz::harness
