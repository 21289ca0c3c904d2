// SPDX-License-Identifier: GPL-2.0-only
//
// Kernel model, part 4: the address-space operations a task performs between
// GUP calls (mm/mmap.c do_munmap / __split_vma, mm/memory.c unmap_page_range,
// mm/mprotect.c do_mprotect_pkey / change_protection, and a user access going
// through the page-fault handler), and what reclaim, migration,
// memory_failure, NUMA hinting, fork and writeback do to an entry.  One
// implementation of each, used by harness::Session (callers that hold pins
// across time) and by the scenario builder (the pre-state).
//
// Reference rule: every mapping reference these operations drop goes through
// World::model_put, never through put_page, so a page GUP pinned outlives its
// mapping holding exactly its GUP references (_refcount - model_refs stays
// what GUP took), and is freed only by the caller's final put_page.
//
// Simplifications, all documented at the function: page tables emptied by a
// zap are not freed (free_pgtables); VM_LOCKED mprotect does not repopulate;
// hugetlb pages freed by a zap return to the pool, pages freed later by a
// caller's put_page do not; a device-DAX pud is zapped rather than
// write-protected by mprotect.
#pragma once

#include "core/kernel/walk.h"
#include "core/kernel/world.h"

namespace gupfuzz::kernel {

// mm/memory.c zap_page_range (unmap_page_range, zap_pte_range, zap_huge_pmd,
// __unmap_hugepage_range): removes every mapping of [start, end) within vma,
// dropping the mapping references, freeing swap slots.  A THP pmd only partly
// inside the range is split first (__split_huge_pmd); a DAX pmd/pud is cleared.
void zap_page_range(World& w, vm_area_struct* vma, unsigned long start, unsigned long end);

// mm/mmap.c __split_vma: vma keeps [vm_start, addr), *out gets [addr, vm_end).
// -EINVAL at a hugetlb or device-DAX alignment the mapping refuses
// (hugetlb_vm_op_split, dev_dax_split).  Huge pmds straddling addr are split
// (vma_adjust_trans_huge).
int split_vma(World& w, vm_area_struct* vma, unsigned long addr, vm_area_struct** out);

// mm/mmap.c do_munmap: 0, or -EINVAL (unaligned start, zero length, a split
// the mapping refuses).  Unmapped vmas leave mm->mmap; their objects stay in
// World::vma_store (nothing outlives the World).
int do_munmap(World& w, unsigned long start, unsigned long len);

// mm/mprotect.c do_mprotect_pkey: prot is a subset of VM_READ|VM_WRITE|VM_EXEC.
// -ENOMEM when [start, start+len) is not fully mapped (the vmas before the
// hole are changed, as in the kernel), -EACCES when a VM_MAY* bit is missing.
int do_mprotect(World& w, unsigned long start, unsigned long len, vm_flags_t prot);

// mm/mmap.c mmap_region for MAP_FIXED: unmaps [start, end) first, then inserts
// the new vma.  -EINVAL if the unmap is refused.
int mmap_fixed(World& w, unsigned long start, unsigned long end, vm_flags_t flags, FileObj* f, unsigned long pgoff,
               vm_area_struct** out);

// The task accessed addr (arch/x86/mm/fault.c __do_page_fault then
// handle_mm_fault until the access can complete).  0, or the VM_FAULT_*
// error bits the fault returned, or -EFAULT for SIGSEGV (no vma, or the vma
// does not allow the access; VM_PFNMAP mappings are populated by their driver
// and give -EFAULT here).
int user_access(World& w, unsigned long addr, bool write);

// Can the CPU complete the access through the page tables as they are?
bool user_accessible(World& w, vm_area_struct* vma, unsigned long addr, bool write);
// The CPU's access without a fault: user_accessible, and then the MMU's
// accessed (and, for a write, dirty) flag in the leaf entry.
bool mmu_access(World& w, vm_area_struct* vma, unsigned long addr, bool write);

// ---- What reclaim, migration, memory_failure, NUMA hinting, fork and
// writeback leave in a page table entry (the pre-state of a scenario).  Each
// acts on one present entry `slot` (a pte, or a THP / hugetlb pmd) mapping
// page p (the head for a pmd), which the caller has checked the operation
// applies to; the mapping's references follow the reference rule above.

// mm/rmap.c try_to_unmap_one for swap: the exclusively mapped anonymous
// page's pte becomes a swap entry of a fresh slot; the mapping is dropped.
void swap_out_pte(World& w, pteval_t* slot, page* p);
// mm/rmap.c try_to_unmap_one(TTU_MIGRATION) / set_pmd_migration_entry: a
// migration entry (write if the entry was writable) replaces the mapping and
// holds its reference until the migration completes.
void install_migration_entry(pteval_t* slot, page* pg);
// mm/memory-failure.c (try_to_unmap_one with TTU_IGNORE_HWPOISON unset): a
// hwpoison entry replaces the mapping, which is dropped.
void install_hwpoison_entry(World& w, pteval_t* slot, page* p);
// mm/mprotect.c change_prot_numa: the entry becomes PROT_NONE (present bit
// cleared, _PAGE_PROTNONE set), the page stays mapped.
void make_numa_protnone(pteval_t* slot);
// mm/memory.c copy_one_pte / mm/huge_memory.c copy_huge_pmd for a private
// COW mapping: parent and child entries write-protected, the child's
// mapping counted on the page.
void share_for_fork(World& w, pteval_t* slot, page* p);
// mm/migrate.c, the state a migration moves from a folio to its copy
// (__migrate_folio / folio_migrate_flags / folio_migrate_mapping): mapping,
// index, PG_dirty/referenced/swapbacked/mlocked, PageAnonExclusive per
// subpage (6.12 keeps it across migration), hugetlb type, the mapcount, the
// page-cache slot and every model reference (mappings, cache): the old folio
// keeps only the references nobody accounts to the model (a caller's).  The
// entries that mapped the old folio are the caller's to rewrite.
void move_folio(World& w, page* old, page* np);
// mm/migrate.c migrate_folio_unmap + migrate_folio_move (6.12), run to
// completion in one step, for a folio the caller isolated holding
// `extra_refs` references: 0 and *out = the new folio, every entry of the
// task's page tables that mapped the old one now maps the new one (same
// bits; try_to_migrate + remove_migration_ptes); -EAGAIN when the folio has
// references beyond the expected ones (a pin: folio_migrate_mapping's
// refcount test) or is not mapped; -ENOMEM when no target can be had (RAM,
// or an empty hugetlb pool).  Large folios move whole (no split).  `movable`:
// whether the target allocation may come from ZONE_MOVABLE (__GFP_MOVABLE).
int migrate_folio(World& w, page* head, int extra_refs, bool movable, page** out);
// mm/rmap.c page_mkclean_one: writeback write-protects and cleans the entry
// and the page.
void clean_for_writeback(pteval_t* slot, page* head);
// A bad upper-level entry (what pgd/p4d/pud/pmd_clear_bad find): a flag no
// table entry carries, so p?d_bad() is true.  level is p4d, pud or pmd, and
// the walk at addr must pass through a table at that level.
void corrupt_table_entry(World& w, unsigned long addr, Level level);

// ---- One operation of the shared set (fault_plan.h MmOp), as another thread
// runs it at a yield point or a Session's task/kernel runs it between calls:
// on [addr, addr + pages pages), to completion, with the kernel's effect on
// pinned pages (docs/concurrency.md §2: zap and truncate unmap without looking
// at references; reclaim unmaps; migration refuses a page with references it
// cannot account for).  The caller has checked the lock rules.  Returns what
// happened in kernel words; *ran is false when nothing applied (no vma, no
// page of the right kind, the kernel refuses the call).
std::string run_mm_op(World& w, MmOp op, unsigned long addr, unsigned long pages, bool* ran);

// fs/dax.c + the filesystem's allocator: file `f` (fsdax) allocates a block
// for its page `index`, taking the first freed block (an ext4/xfs allocator
// after the journal commit).  The block's pfn, or 0 when none is free.  A
// block a live pin still references changes owner here: recorded in
// trace.lifetime.
unsigned long fsdax_allocate(World& w, FileObj* f, unsigned long index);
// Who owns the fsdax block at pfn: "file #F page I", or "free".
std::string fsdax_owner_words(World& w, unsigned long pfn);

}  // namespace gupfuzz::kernel
