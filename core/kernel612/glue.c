// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C glue of the 6.12 generation: every symbol the real, unmodified
 * mm/gup.c of Linux 6.12 leaves undefined (core/shim/undefined-6.12.txt),
 * implemented on the simulated kernel.  Compiled like gup.c itself (C, gnu11,
 * clang, the kernel's flags, only core/shim on the include path,
 * core/kernel612/compile-glue.sh), so it sees the same struct layouts gup.c
 * sees, and reaches the C++ model only through model_api.h.
 *
 * What kind each symbol is (in the manner of tools/testing/vma):
 *  - duplicated definitions live in the shim (core/shim/include/shim/dup_*.h);
 *  - BACKED here by the model: faults, page-table allocation and splitting,
 *    the vma tree, references, pgmaps, LRU/statistics, hugetlb lookups,
 *    signals;
 *  - PORTED here from the kernel file named at the function, because it
 *    only reads state gup.c can see too: vm_normal_page, __pte_offset_map(_lock),
 *    follow_devmap_pmd, touch_pmd/pud, find_vma*, vma_needs_dirty_tracking,
 *    migrate_pages/putback_movable_pages (on the model's migrate_folio),
 *    __list_add_valid_or_report, folio_mark_dirty, folio_mark_accessed,
 *    __put_devmap_managed_folio_refs, __folio_batch_release;
 *  - HOOKS with real state: spinlocks and mmap_lock have held/not-held state
 *    (a double lock or an unlock of an unheld lock ends the call as a BUG),
 *    RCU and IRQ-off sections are counted and must balance;
 *  - UNMODELLED: reaching one ends the call with Outcome::bug "unmodelled:
 *    ..." rather than inventing a result (device-coherent and hugetlb
 *    migration, memfd, the swap cache; see the report at each function).
 *
 * Objects gup.c reads: the vmas, the mm, files, inodes and address_spaces
 * are C MIRRORS built here from the World at call start (the model's C++
 * structs have other layouts) and re-read after each fault; a mirror vma
 * maps back to the model's by its index.  mm->pgd is the model's real pgd
 * table (same memory, through __va).  struct page and the page tables are
 * SHARED memory: the World's vmemmap and table arena (never copied).  The
 * two model objects a struct page points to, address_space (page->mapping)
 * and dev_pagemap (page->pgmap), are layout-compatible for the members the
 * shim reads (core/kernel612/layout612.h, asserted on both sides).
 *
 * A BUG() (shim_bug), a broken lock protocol, or a model exception ends the
 * call: the text is recorded and g612_escape() longjmps to the trampoline
 * of g612_run (trampoline.c); only C frames lie in between.
 */
#include <linux/mm.h>
#include <stdarg.h>

#include "layout612.h"
#include "model_api.h"

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#define glue_printf(a, b) __attribute__((format(printf, a, b)))

/* include/asm-generic/bitops/atomic.h, atomic-long.h: the ones the shim
 * does not carry (gup.c does not use them) */
static inline bool glue_test_and_clear_bit(long nr, unsigned long *addr)
{
	unsigned long mask = 1UL << nr;

	return __atomic_fetch_and(addr, ~mask, __ATOMIC_SEQ_CST) & mask;
}
static inline void glue_atomic_long_add(long i, atomic_long_t *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void glue_atomic_long_set(atomic_long_t *v, long i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }

/* trampoline.c */
int g612_trampoline(void (*fn)(void *), void *arg);
__noreturn void g612_escape(void);

/* ---- layout compatibility of the objects struct page points to -------- */
static_assert(offsetof(struct dev_pagemap, ref) == G612_PGMAP_REF_OFFSET);
static_assert(offsetof(struct dev_pagemap, type) == G612_PGMAP_TYPE_OFFSET);
static_assert(offsetof(struct address_space, host) == G612_MAPPING_HOST_OFFSET);
static_assert(offsetof(struct address_space, a_ops) == G612_MAPPING_AOPS_OFFSET);
static_assert(sizeof(struct page) == G612_STRUCT_PAGE_SIZE);
static_assert(PG_anon_exclusive == G612_PG_ANON_EXCLUSIVE);
static_assert(MEMORY_DEVICE_FS_DAX == G612_MEMORY_DEVICE_FS_DAX);
static_assert(MEMORY_DEVICE_GENERIC == G612_MEMORY_DEVICE_GENERIC);

/* ---- the data objects gup.c and the shim read ------------------------- */
unsigned long page_offset_base;
unsigned long vmemmap_base;
unsigned long zero_pfn;
unsigned long huge_zero_pfn;
struct mm_struct init_mm;
volatile unsigned long jiffies;
struct static_key_false devmap_managed_key;
/* Only the address of secretmem_aops matters (secretmem_mapping). */
struct address_space_operations { int shim_unused; };
const struct address_space_operations secretmem_aops;
/* mm/secretmem.c:131: vma_is_secretmem compares vm_ops with it; the model
 * has no memfd_secret mappings, so no mirror vma points here. */
static const struct vm_operations_struct secretmem_vm_ops;
/* hugetlb: the model's only hstate is 2 MiB (default_hstate, order 9). */
static struct hstate default_hstate = { .order = HPAGE_PMD_ORDER, .mask = HPAGE_PMD_MASK };

/* ---- the call in progress --------------------------------------------- */
struct glue_file {
	struct file file;
	struct inode inode;	/* file_inode(file) */
	struct inode host;	/* f_mapping->host when it differs (device-dax) */
	struct address_space mapping;
	struct vm_operations_struct ops;
	struct gm_file info;
};

static struct {
	int active;
	struct mm_struct mm;
	struct task_struct task;
	struct vm_area_struct *vmas;
	int nr_vmas;
	struct vm_area_struct gate;
	int has_gate;
	struct glue_file *files;
	int nr_files;
	int rcu_depth;
	int irqs_off;
	int walk_depth;
	int spin_held;
	int isolate_failures;
	long mmap_readers_at_start;
} g;

static const struct vm_operations_struct gate_vm_ops;	/* vsyscall_64.c: only a .name */

static __noreturn void glue_die(void)
{
	g612_escape();
}

/* A model call: a stored C++ exception ends the call from this C frame. */
#define GM(expr) ({ __auto_type __gm_r = (expr); if (unlikely(gm_pending())) glue_die(); __gm_r; })
#define GMV(expr) do { (expr); if (unlikely(gm_pending())) glue_die(); } while (0)

static glue_printf(1, 2) __noreturn void glue_bugf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gm_record_bug(buf);
	glue_die();
}

static glue_printf(1, 2) void glue_warnf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	gm_record_warning(buf);
}

static __noreturn void unmodelled(const char *what)
{
	glue_bugf("unmodelled: %s reached (the simulated kernel does not implement it yet)", what);
}

/* ---- mirrors ------------------------------------------------------------ */
static void fill_vma(struct vm_area_struct *v, const struct gm_vma *m)
{
	v->vm_start = m->start;
	v->vm_end = m->end;
	v->vm_mm = &g.mm;
	/* mm/mmap.c:1427 (mmap_region) sets VM_SOFTDIRTY on every new vma and
	 * only clear_refs (never modelled) removes it; the model's flags are
	 * otherwise 6.12's values. */
	v->__vm_flags = m->flags | VM_SOFTDIRTY;
	v->anon_vma = (struct anon_vma *)m->anon_vma;
	v->vm_pgoff = m->pgoff;
	if (m->file >= 0) {
		if (m->file >= g.nr_files)
			glue_bugf("model vma %#lx-%#lx maps file %d of %d", m->start, m->end, m->file, g.nr_files);
		v->vm_file = &g.files[m->file].file;
		v->vm_ops = &g.files[m->file].ops;
	} else {
		v->vm_file = NULL;
		v->vm_ops = m->has_vm_ops ? &gate_vm_ops : NULL;
	}
}

static vm_fault_t glue_vm_fault(struct vm_fault *vmf)
{
	(void)vmf;
	glue_bugf("vm_ops->fault called directly (faults go through handle_mm_fault)");
}

static void build_files(void)
{
	g.nr_files = GM(gm_file_count());
	g.files = GM(gm_scratch(sizeof(*g.files) * (unsigned long)(g.nr_files + 1)));
	for (int i = 0; i < g.nr_files; i++) {
		struct glue_file *f = &g.files[i];

		GMV(gm_file_get(i, &f->info));
		f->inode.i_mode = (umode_t)f->info.inode_mode;
		f->inode.i_flags = f->info.inode_flags;
		f->inode.i_mapping = &f->mapping;
		f->inode.i_size = f->info.size;
		f->host = f->inode;
		f->host.i_mode = (umode_t)f->info.host_mode;
		f->host.i_flags = f->info.host_flags;
		f->mapping.host = f->info.kind == GM_FILE_DEVDAX ? &f->host : &f->inode;
		f->mapping.a_ops = NULL;	/* not secretmem_aops: no memfd_secret files */
		f->file.f_inode = &f->inode;
		f->file.f_mapping = &f->mapping;
		/* every file kind of the model has ->fault (core/kernel/fault.cpp vm_ops_for) */
		f->ops.fault = glue_vm_fault;
	}
}

static void build_vmas(void)
{
	struct gm_vma m;

	g.nr_vmas = GM(gm_vma_count());
	g.vmas = GM(gm_scratch(sizeof(*g.vmas) * (unsigned long)(g.nr_vmas + 1)));
	for (int i = 0; i < g.nr_vmas; i++) {
		GMV(gm_vma_get(i, &m));
		fill_vma(&g.vmas[i], &m);
	}
	g.has_gate = GM(gm_gate_vma(&m));
	if (g.has_gate) {
		fill_vma(&g.gate, &m);
		/* arch/x86/entry/vsyscall/vsyscall_64.c:283: gate_vma has no mm
		 * and no VM_SOFTDIRTY */
		g.gate.vm_mm = NULL;
		g.gate.__vm_flags = m.flags;
	}
}

/* After a model call that may have changed the vmas (a fault sets
 * anon_vma): re-read them; their number and order may not change. */
static void refresh_vmas(void)
{
	struct gm_vma m;
	int n = GM(gm_vma_count());

	if (n != g.nr_vmas)
		glue_bugf("the model changed the number of vmas during a fault (%d -> %d)", g.nr_vmas, n);
	for (int i = 0; i < n; i++) {
		GMV(gm_vma_get(i, &m));
		fill_vma(&g.vmas[i], &m);
	}
}

static int vma_handle(const struct vm_area_struct *vma)
{
	if (vma >= g.vmas && vma < g.vmas + g.nr_vmas)
		return (int)(vma - g.vmas);
	if (g.has_gate && vma == &g.gate)
		return -2;
	glue_bugf("vma %p is not one of the task's vmas", (const void *)vma);
}

static void check_mm(const struct mm_struct *mm, const char *what)
{
	if (mm != &g.mm)
		glue_bugf("%s on an mm that is not the task's (%p)", what, (const void *)mm);
}

/* ---- faults and page tables ---------------------------------------------- */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs)
{
	int h = vma_handle(vma);
	vm_fault_t ret;

	(void)regs;
	if (h < 0)
		glue_bugf("handle_mm_fault on the gate vma");
	/* The fault path sleeps and needs the mmap_lock (or the vma lock, which
	 * gup never uses: no FAULT_FLAG_VMA_LOCK). */
	if (!rwsem_is_locked(&g.mm.mmap_lock))
		glue_bugf("handle_mm_fault at %#lx without mmap_lock", address);
	if (g.spin_held || g.rcu_depth || g.irqs_off)
		glue_warnf("handle_mm_fault in atomic context (spinlocks %d, rcu %d, irqs off %d)",
			   g.spin_held, g.rcu_depth, g.irqs_off);
	ret = GM(gm_handle_mm_fault(h, address, flags));
	refresh_vmas();
	return ret;
}

/* mm/memory.c:594 */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	/* CONFIG_ARCH_HAS_PTE_SPECIAL=y */
	if (likely(!pte_special(pte)))
		goto check_pfn;
	/* vma->vm_ops->find_special_page: no model mapping has one (the shim's
	 * vm_operations_struct stops before it) */
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	if (is_zero_pfn(pfn))
		return NULL;
	if (pte_devmap(pte))
		return NULL;
	GMV(gm_bad_pte(vma_handle(vma), addr, pte_val(pte)));
	return NULL;
check_pfn:
	if (unlikely(pfn > GM(gm_highest_memmap_pfn()))) {
		GMV(gm_bad_pte(vma_handle(vma), addr, pte_val(pte)));
		return NULL;
	}
	return pfn_to_page(pfn);
}

/* mm/memory.c:447 */
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	check_mm(mm, "__pte_alloc");
	return GM(gm_pte_alloc(__pa(pmd)));
}

/* mm/memory.c:6972: hugetlb_vma_lock_read for a hugetlb vma; the model has
 * no concurrent unsharing, so only the pairing is checked. */
void vma_pgtable_walk_begin(struct vm_area_struct *vma)
{
	(void)vma;
	g.walk_depth++;
}

void vma_pgtable_walk_end(struct vm_area_struct *vma)
{
	(void)vma;
	if (--g.walk_depth < 0)
		glue_bugf("vma_pgtable_walk_end without vma_pgtable_walk_begin");
}

/* The split page-table lock of the table at physical address `phys`
 * (ptlock_ptr(page_ptdesc(...)), USE_SPLIT_PTE_PTLOCKS/PMD_PTLOCKS on x86-64). */
static spinlock_t *table_lock(unsigned long phys)
{
	return (spinlock_t *)GM(gm_table_lock(phys >> PAGE_SHIFT));
}

/* include/linux/mm.h:3114 */
spinlock_t *pmd_lockptr(struct mm_struct *mm, pmd_t *pmd)
{
	check_mm(mm, "pmd_lockptr");
	return table_lock(__pa(pmd) & PAGE_MASK);
}

/* mm/pgtable-generic.c:282 (pmdp_get_lockless_start/end are no-ops on
 * x86-64).  is_pmd_migration_entry: on x86 the only non-present,
 * non-none pmds are migration entries. */
pte_t *__pte_offset_map(pmd_t *pmd, unsigned long addr, pmd_t *pmdvalp)
{
	pmd_t pmdval;

	rcu_read_lock();
	pmdval = pmdp_get_lockless(pmd);
	if (pmdvalp)
		*pmdvalp = pmdval;
	if (unlikely(pmd_none(pmdval) || is_swap_pmd(pmdval)))
		goto nomap;
	if (unlikely(pmd_trans_huge(pmdval) || pmd_devmap(pmdval)))
		goto nomap;
	if (unlikely(pmd_bad(pmdval))) {
		/* pmd_clear_bad (pgtable-generic.c:42): pmd_ERROR (a pr_err, not
		 * a WARN: the kernel's answer to a corrupt table), then clear */
		GMV(gm_note("6.12 pmd_clear_bad: pmd_ERROR (bad pmd) and the entry cleared"));
		WRITE_ONCE(pmd->pmd, 0);
		goto nomap;
	}
	return (pte_t *)pmd_page_vaddr(pmdval) + pte_index(addr);	/* __pte_map */
nomap:
	rcu_read_unlock();
	return NULL;
}

/* mm/pgtable-generic.c:364; pte_lockptr (mm.h:2996) is the pte table's ptlock */
pte_t *__pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, spinlock_t **ptlp)
{
	spinlock_t *ptl;
	pmd_t pmdval;
	pte_t *pte;

	check_mm(mm, "__pte_offset_map_lock");
again:
	pte = __pte_offset_map(pmd, addr, &pmdval);
	if (unlikely(!pte))
		return pte;
	ptl = table_lock(pmd_val(pmdval) & pmd_pfn_mask(pmdval));
	spin_lock(ptl);
	if (likely(pmd_val(pmdval) == pmd_val(pmdp_get_lockless(pmd)))) {
		*ptlp = ptl;
		return pte;
	}
	pte_unmap_unlock(pte, ptl);
	goto again;
}

/* arch/x86/include/asm/pgtable.h:123-700 (not needed by gup.c itself) */
static inline pmd_t pmd_set_flags(pmd_t pmd, pmdval_t set) { return __pmd(pmd_val(pmd) | set); }
static inline pud_t pud_set_flags(pud_t pud, pudval_t set) { return __pud(pud_val(pud) | set); }
static inline pmd_t pmd_mkyoung(pmd_t pmd) { return pmd_set_flags(pmd, _PAGE_ACCESSED); }
static inline pud_t pud_mkyoung(pud_t pud) { return pud_set_flags(pud, _PAGE_ACCESSED); }
#if SHIM_KV >= 612
static inline pmd_t pmd_mkdirty(pmd_t pmd)
{
	pmd = pmd_set_flags(pmd, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);
	return __pmd(mksaveddirty_shift(pmd_val(pmd)));
}
static inline pud_t pud_mkdirty(pud_t pud)
{
	pud = pud_set_flags(pud, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);
	return __pud(mksaveddirty_shift(pud_val(pud)));
}
#else
/* 6.1 arch/x86/include/asm/pgtable.h:420, 474: no SavedDirty */
static inline pmd_t pmd_mkdirty(pmd_t pmd) { return pmd_set_flags(pmd, _PAGE_DIRTY | _PAGE_SOFT_DIRTY); }
static inline pud_t pud_mkdirty(pud_t pud) { return pud_set_flags(pud, _PAGE_DIRTY | _PAGE_SOFT_DIRTY); }
#endif

/* mm/huge_memory.c:1565 with arch/x86/mm/pgtable.c:515 pmdp_set_access_flags
 * (x86 stores the new entry only for a write: a read touch changes nothing) */
void touch_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd, bool write)
{
	pmd_t _pmd = pmd_mkyoung(*pmd);

	(void)vma;
	(void)addr;
	if (write)
		_pmd = pmd_mkdirty(_pmd);
	if (pmd_val(*pmd) != pmd_val(_pmd) && write)
		WRITE_ONCE(*pmd, _pmd);
}

/* mm/huge_memory.c:1742 with arch/x86/mm/pgtable.c:536 */
void touch_pud(struct vm_area_struct *vma, unsigned long addr, pud_t *pud, bool write)
{
	pud_t _pud = pud_mkyoung(*pud);

	(void)vma;
	(void)addr;
	if (write)
		_pud = pud_mkdirty(_pud);
	if (pud_val(*pud) != pud_val(_pud) && write)
		WRITE_ONCE(*pud, _pud);
}

#if SHIM_KV >= 612
/* mm/huge_memory.c:1578 */
struct page *follow_devmap_pmd(struct vm_area_struct *vma, unsigned long addr,
			       pmd_t *pmd, int flags, struct dev_pagemap **pgmap)
{
	unsigned long pfn = pmd_pfn(*pmd);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;
	int ret;

	assert_spin_locked(pmd_lockptr(mm, pmd));
	if (flags & FOLL_WRITE && !pmd_write(*pmd))
		return NULL;
	if (pmd_present(*pmd) && pmd_devmap(*pmd))
		/* pass */;
	else
		return NULL;
	if (flags & FOLL_TOUCH)
		touch_pmd(vma, addr, pmd, flags & FOLL_WRITE);
	if (!(flags & (FOLL_GET | FOLL_PIN)))
		return ERR_PTR(-EEXIST);
	pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT;
	*pgmap = get_dev_pagemap(pfn, *pgmap);
	if (!*pgmap)
		return ERR_PTR(-EFAULT);
	page = pfn_to_page(pfn);
	ret = try_grab_folio(page_folio(page), 1, flags);
	if (ret)
		page = ERR_PTR(ret);
	return page;
}
#else
/* mm/huge_memory.c:1051 (6.1): FOLL_GET|FOLL_PIN refused, try_grab_page */
struct page *follow_devmap_pmd(struct vm_area_struct *vma, unsigned long addr,
			       pmd_t *pmd, int flags, struct dev_pagemap **pgmap)
{
	unsigned long pfn = pmd_pfn(*pmd);
	struct mm_struct *mm = vma->vm_mm;
	struct page *page;

	assert_spin_locked(pmd_lockptr(mm, pmd));
	if (WARN_ON_ONCE((flags & (FOLL_PIN | FOLL_GET)) == (FOLL_PIN | FOLL_GET)))
		return NULL;
	if (flags & FOLL_WRITE && !pmd_write(*pmd))
		return NULL;
	if (pmd_present(*pmd) && pmd_devmap(*pmd))
		/* pass */;
	else
		return NULL;
	if (flags & FOLL_TOUCH)
		touch_pmd(vma, addr, pmd, flags & FOLL_WRITE);
	if (!(flags & (FOLL_GET | FOLL_PIN)))
		return ERR_PTR(-EEXIST);
	pfn += (addr & ~PMD_MASK) >> PAGE_SHIFT;
	*pgmap = get_dev_pagemap(pfn, *pgmap);
	if (!*pgmap)
		return ERR_PTR(-EFAULT);
	page = pfn_to_page(pfn);
	if (!try_grab_page(page, flags))
		page = ERR_PTR(-ENOMEM);
	return page;
}
#endif

/* mm/huge_memory.c:2964: the model's THP split (core/kernel/fault.cpp split_pmd) */
void __split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address,
		      bool freeze, struct folio *folio)
{
	if (freeze || folio)
		unmodelled("__split_huge_pmd with freeze or a folio (migration/reclaim callers)");
	GMV(gm_split_huge_pmd(vma_handle(vma), __pa(pmd), address));
}

bool pfn_valid(unsigned long pfn)
{
	return GM(gm_pfn_valid(pfn));
}

/* ---- the vma tree ------------------------------------------------------- */
/* mm/mmap.c:974: the first vma ending above addr */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	check_mm(mm, "find_vma");
	mmap_assert_locked(mm);
	for (int i = 0; i < g.nr_vmas; i++)
		if (g.vmas[i].vm_end > addr)
			return &g.vmas[i];
	return NULL;
}

/* mm/mmap.c:955: the first vma overlapping [start_addr, end_addr) */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start_addr,
					     unsigned long end_addr)
{
	struct vm_area_struct *vma = find_vma(mm, start_addr);

	if (vma && vma->vm_start >= end_addr)
		return NULL;
	return vma;
}

/* include/linux/mm.h:3500 */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (vma && addr < vma->vm_start)
		return NULL;
	return vma;
}

/* arch/x86/entry/vsyscall/vsyscall_64.c:304 (vsyscall=emulate, or none) */
struct vm_area_struct *get_gate_vma(struct mm_struct *mm)
{
	(void)mm;
	return g.has_gate ? &g.gate : NULL;
}

/* vsyscall_64.c:315 */
int in_gate_area(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = get_gate_vma(mm);

	if (!vma)
		return 0;
	return (addr >= vma->vm_start) && (addr < vma->vm_end);
}

/* mm/vma.c:1887 with vm_ops_needs_writenotify (1840) and vma_fs_can_writeback
 * (1848): the host's bdi has BDI_CAP_WRITEBACK for a disk file system
 * (regular files and fsdax in the model), not for shmem, hugetlbfs, the dax
 * pseudo-fs or char devices (noop_backing_dev_info). */
bool vma_needs_dirty_tracking(struct vm_area_struct *vma)
{
	const struct gm_file *f;

	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
		return false;
	if (!vma->vm_file)
		return false;	/* shared anonymous memory is shmem in the kernel: never tracked */
	f = &container_of(vma->vm_file, struct glue_file, file)->info;
	if (f->page_mkwrite || f->pfn_mkwrite)
		return true;
	if (vma->vm_flags & VM_PFNMAP)
		return false;
	return f->kind == GM_FILE_REGULAR || f->kind == GM_FILE_FSDAX;
}

/* mm/secretmem.c:215 */
bool vma_is_secretmem(struct vm_area_struct *vma)
{
	return vma->vm_ops == &secretmem_vm_ops;
}

/* lib/list_debug.c:23 with CONFIG_BUG_ON_DATA_CORRUPTION=y: CHECK_DATA_CORRUPTION is BUG() */
bool __list_add_valid_or_report(struct list_head *entry, struct list_head *prev, struct list_head *next)
{
	if (prev == NULL || next == NULL || next->prev != prev || prev->next != next ||
	    entry == prev || entry == next)
		glue_bugf("list_add corruption (new %p, prev %p, next %p)", (void *)entry, (void *)prev,
			  (void *)next);
	return true;
}

/* ---- references and lifetime ------------------------------------------ */
/* The CONFIG_DEBUG_PAGE_REF hooks: the model's ledger sees every change. */
void __page_ref_mod(struct page *page, int v)
{
	GMV(gm_ref_changed(page_to_pfn(page), v, page_ref_count(page)));
}

void __page_ref_mod_unless(struct page *page, int v, int u)
{
	if (u)	/* the change happened */
		GMV(gm_ref_changed(page_to_pfn(page), v, page_ref_count(page)));
}

void __page_ref_mod_and_test(struct page *page, int v, int ret)
{
	(void)ret;
	GMV(gm_ref_changed(page_to_pfn(page), v, page_ref_count(page)));
}

void __page_ref_mod_and_return(struct page *page, int v, int ret)
{
	(void)ret;
	GMV(gm_ref_changed(page_to_pfn(page), v, page_ref_count(page)));
}

/* mm/swap.c:97: the model frees the folio (zone-device and hugetlb folios
 * included: the model reports a permanent page reaching zero) */
void __folio_put(struct folio *folio)
{
	GMV(gm_folio_free(folio_pfn(folio)));
}

/* mm/swap.c:1050 (folios_put: every folio loses the batch's reference) */
void __folio_batch_release(struct folio_batch *fbatch)
{
	if (!fbatch->percpu_pvec_drained) {
		lru_add_drain();
		fbatch->percpu_pvec_drained = true;
	}
	for (unsigned int i = 0; i < fbatch->nr; i++)
		folio_put(fbatch->folios[i]);
	fbatch->nr = 0;
	fbatch->i = 0;
}

/* mm/memremap.c:515: fsdax refcounts are 1-based (wake_up_var at 1 has no
 * waiter in the model) */
bool __put_devmap_managed_folio_refs(struct folio *folio, int refs)
{
	int after;

	if (folio->page.pgmap->type != MEMORY_DEVICE_FS_DAX)
		return false;
	after = atomic_sub_return(refs, &folio->_refcount);
	__page_ref_mod_and_return(&folio->page, -refs, after);
	return true;
}

/* mm/memremap.c:434 on the model's pgmaps (their percpu_ref is a count). */
struct dev_pagemap *get_dev_pagemap(unsigned long pfn, struct dev_pagemap *pgmap)
{
	return (struct dev_pagemap *)GM(gm_pgmap_get(pfn, pgmap));
}

/* include/linux/percpu-refcount.h:349: only pgmap references reach it */
void percpu_ref_put(struct percpu_ref *ref)
{
	GMV(gm_pgmap_put(container_of(ref, struct dev_pagemap, ref)));
}

/* ---- folio state, LRU, dirtying, statistics ----------------------------- */
/* mm/filemap.c:1636: the lock is held and, single-threaded, nobody can release it */
void __folio_lock(struct folio *folio)
{
	glue_bugf("folio_lock: folio pfn %#lx is locked already (would sleep forever)", folio_pfn(folio));
}

/* mm/filemap.c:1495 */
void folio_unlock(struct folio *folio)
{
	if (!glue_test_and_clear_bit(PG_locked, folio_flags(folio, 0)))
		glue_bugf("folio_unlock of folio pfn %#lx, which is not locked", folio_pfn(folio));
}

/* mm/page-writeback.c:2891: anonymous folios (no mapping) take
 * noop_dirty_folio, file folios filemap_dirty_folio; both set PG_dirty and
 * say whether it was clear (the page-cache tags are not modelled). */
bool folio_mark_dirty(struct folio *folio)
{
	return !test_and_set_bit(PG_dirty, folio_flags(folio, 0));
}

/* mm/folio-compat.c:49 */
bool set_page_dirty(struct page *page)
{
	return folio_mark_dirty(page_folio(page));
}

/* mm/folio-compat.c:37 -> mm/swap.c:460 folio_mark_accessed with
 * lru_gen_enabled() (CONFIG_LRU_GEN_ENABLED=y): folio_inc_refs (414).  The
 * tier counter in page->flags after PG_workingset is not modelled. */
void mark_page_accessed(struct page *page)
{
	struct folio *folio = page_folio(page);

	if (test_bit(PG_unevictable, folio_flags(folio, 0)))
		return;
	if (!test_bit(PG_referenced, folio_flags(folio, 0))) {
		set_bit(PG_referenced, folio_flags(folio, 0));
		return;
	}
	if (!test_bit(PG_workingset, folio_flags(folio, 0)))
		set_bit(PG_workingset, folio_flags(folio, 0));
}

/* mm/vmscan.c:1787.  The model does not put folios on the LRU yet (PG_lru is
 * never set), so isolation fails; the fault site isolate_lru fails it too
 * (a folio still in a per-CPU batch, or isolated by someone else). */
static bool glue_isolate_lru(struct folio *folio)
{
	if (!GM(gm_should_fail(GM_SITE_ISOLATE_LRU, 0)) &&
	    glue_test_and_clear_bit(PG_lru, folio_flags(folio, 0))) {
		folio_get(folio);
		return true;
	}
	/* A folio that is not longterm-pinnable and cannot be isolated makes
	 * __gup_longterm_locked retry for ever (port-v6.12.md §3.3): in the
	 * kernel until another CPU's LRU batch drains; here nothing would
	 * change, so the call ends as a livelock. */
	if (++g.isolate_failures > 64)
		glue_bugf("livelock: folio_isolate_lru failed %d times in one call (pfn %#lx): a folio that is not "
			  "longterm-pinnable cannot be isolated, and the longterm pin retries for ever",
			  g.isolate_failures, folio_pfn(folio));
	return false;
}

#if SHIM_KV >= 612
bool folio_isolate_lru(struct folio *folio) { return glue_isolate_lru(folio); }	/* vmscan.c:1787 */
#else
/* 6.1 mm/vmscan.c:2319 returns 0 when it isolated the folio, -EBUSY when not */
int folio_isolate_lru(struct folio *folio) { return glue_isolate_lru(folio) ? 0 : -EBUSY; }
#endif

void lru_add_drain(void)
{
	GMV(gm_lru_drain(0));
}

void lru_add_drain_all(void)
{
	GMV(gm_lru_drain(1));
}

void node_stat_mod_folio(struct folio *folio, enum node_stat_item item, int nr)
{
	(void)folio;
	GMV(gm_node_stat(item, nr));
}

/* mm/swapfile.c:3794: the model never sets PG_swapcache */
pgoff_t __folio_swap_cache_index(struct folio *folio)
{
	(void)folio;
	unmodelled("__folio_swap_cache_index (swap cache)");
}

/* ---- migration and hugetlb ---------------------------------------------- */
/* include/linux/list.h:193 list_del with CONFIG_DEBUG_LIST's check (list_debug.c:46) */
static void glue_list_del(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	if (prev->next != entry || next->prev != entry)
		glue_bugf("list_del corruption at %p", (void *)entry);
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
	entry->next = (struct list_head *)0x100;	/* LIST_POISON1 */
	entry->prev = (struct list_head *)0x122;	/* LIST_POISON2 */
}

/* mm/migrate.c:2041 on the model.  Reached for a longterm pin of a folio that
 * is not longterm-pinnable (ZONE_MOVABLE; device-coherent folios take
 * migrate_device_coherent_folio).  Each folio on the list is moved by the
 * model's migrate_folio (core/kernel/mm_ops.h), which allocates the target
 * itself: alloc_migration_target is never called.  A folio that cannot move
 * (a pin or another extra reference makes every one of the kernel's ten
 * passes fail with -EAGAIN; no target: -ENOMEM) stays on the list for the
 * caller's putback and counts as failed; the fault site migrate_pages fails
 * one folio.  Returns the number that failed.  The target goes on the LRU at
 * once (the model's LRU batches are always drained). */
int migrate_pages(struct list_head *from, new_folio_t get_new_folio, free_folio_t put_new_folio,
		  unsigned long private, enum migrate_mode mode, int reason, unsigned int *ret_succeeded)
{
	struct list_head *pos, *next;
	unsigned int succeeded = 0;
	int failed = 0;

	(void)get_new_folio; (void)put_new_folio; (void)private; (void)mode; (void)reason;
	for (pos = from->next; pos != from; pos = next) {
		struct folio *folio = container_of(pos, struct folio, lru);
		unsigned long dst;

		next = pos->next;
		if (folio_test_hugetlb(folio))
			unmodelled("migrate_pages of a hugetlb folio");
		if (GM(gm_should_fail(GM_SITE_MIGRATE_PAGES, 0))) {
			failed++;
			continue;
		}
		dst = GM(gm_migrate_folio(folio_pfn(folio), 1));
		if (!dst) {
			failed++;
			continue;
		}
		glue_list_del(pos);
		node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio), -folio_nr_pages(folio));
		set_bit(PG_lru, folio_flags(page_folio(pfn_to_page(dst)), 0));
		folio_put(folio);	/* the isolation reference: the source is freed */
		succeeded++;
	}
	GMV(gm_migrated(succeeded));
	if (ret_succeeded)
		*ret_succeeded = succeeded;
	return failed;
}

/* mm/migrate.c:2138: migrate_pages above allocates through the model */
struct folio *alloc_migration_target(struct folio *src, unsigned long private)
{
	(void)src; (void)private;
	unmodelled("alloc_migration_target called directly");
}

/* mm/migrate.c:182 for LRU folios: back on the LRU (folio_putback_lru) and
 * the isolation reference dropped */
void putback_movable_pages(struct list_head *l)
{
	struct list_head *pos, *next;

	for (pos = l->next; pos != l; pos = next) {
		struct folio *folio = container_of(pos, struct folio, lru);

		next = pos->next;
		if (folio_test_hugetlb(folio))
			unmodelled("putback_movable_pages of a hugetlb folio");
		glue_list_del(pos);
		node_stat_mod_folio(folio, NR_ISOLATED_ANON + folio_is_file_lru(folio), -folio_nr_pages(folio));
		set_bit(PG_lru, folio_flags(folio, 0));
		folio_put(folio);
	}
}

int migrate_device_coherent_folio(struct folio *folio)
{
	(void)folio;
	if (GM(gm_should_fail(GM_SITE_DEVICE_MIGRATE, 0)))
		return -EBUSY;
	unmodelled("migrate_device_coherent_folio (no MEMORY_DEVICE_COHERENT pgmaps in the model)");
}

/* mm/hugetlb.c:7493: hugetlb folios are always longterm-pinnable in the
 * model (no ZONE_MOVABLE, no CMA), so collect never isolates one */
bool isolate_hugetlb(struct folio *folio, struct list_head *list)
{
	(void)folio; (void)list;
	unmodelled("isolate_hugetlb");
}

bool hugetlbfs_pagecache_present(struct hstate *h, struct vm_area_struct *vma, unsigned long address)
{
	(void)h;
	return GM(gm_hugetlbfs_pagecache_present(vma_handle(vma), address));
}

struct hstate *hstate_vma(struct vm_area_struct *vma)
{
	(void)vma;
	return &default_hstate;
}

struct hstate *hstate_file(struct file *f)
{
	(void)f;
	return &default_hstate;
}

bool is_file_hugepages(struct file *file)
{
	return file && container_of(file, struct glue_file, file)->info.kind == GM_FILE_HUGETLBFS;
}

/* ---- files ---------------------------------------------------------------- */
unsigned filemap_get_folios_contig(struct address_space *mapping, pgoff_t *start, pgoff_t end,
				   struct folio_batch *fbatch)
{
	(void)mapping; (void)start; (void)end; (void)fbatch;
	unmodelled("filemap_get_folios_contig (memfd_pin_folios)");
}

struct folio *memfd_alloc_folio(struct file *memfd, pgoff_t idx)
{
	(void)memfd; (void)idx;
	unmodelled("memfd_alloc_folio (memfd_pin_folios)");
}

/* mm/shmem.c:272: mapping->a_ops == &shmem_aops; a mirror mapping or the
 * model's address_space a struct page points to */
bool shmem_mapping(struct address_space *mapping)
{
	int i;

	for (i = 0; i < g.nr_files; i++)
		if (mapping == &g.files[i].mapping)
			return g.files[i].info.kind == GM_FILE_SHMEM;
	i = GM(gm_file_of_mapping((unsigned long)mapping));
	return i >= 0 && i < g.nr_files && g.files[i].info.kind == GM_FILE_SHMEM;
}

/* ---- task, locks, signals, interrupts ------------------------------------ */
struct task_struct *get_current(void)
{
	return &g.task;
}

int fatal_signal_pending(struct task_struct *p)
{
	(void)p;
	return GM(gm_fatal_signal_pending());
}

/* The only signal the model sends is SIGKILL: pending once delivered. */
int signal_pending(struct task_struct *p)
{
	(void)p;
	return GM(gm_signal_delivered());
}

static void check_rwsem(struct rw_semaphore *sem, const char *what)
{
	if (sem != &g.mm.mmap_lock)
		glue_bugf("%s on a rw_semaphore that is not the task's mmap_lock", what);
}

/* Single-threaded: the lock is never contended, so down_read never sleeps
 * and down_read_killable cannot be interrupted (kernel/locking/rwsem.c
 * __down_read_common takes the fast path). */
void down_read(struct rw_semaphore *sem)
{
	check_rwsem(sem, "down_read");
	glue_atomic_long_add(1, &sem->count);
	GMV(gm_mmap_lock_read(1));
}

int down_read_killable(struct rw_semaphore *sem)
{
	down_read(sem);
	return 0;
}

void up_read(struct rw_semaphore *sem)
{
	check_rwsem(sem, "up_read");
	if (atomic_long_read(&sem->count) <= 0)
		glue_bugf("up_read of the mmap_lock, which is not held for read");
	glue_atomic_long_add(-1, &sem->count);
	GMV(gm_mmap_lock_read(-1));
}

void spin_lock(spinlock_t *lock)
{
	if (READ_ONCE(lock->locked))
		glue_bugf("spin_lock of lock %p, which is held already (self-deadlock)", (void *)lock);
	WRITE_ONCE(lock->locked, 1);
	g.spin_held++;
}

void spin_unlock(spinlock_t *lock)
{
	if (!READ_ONCE(lock->locked))
		glue_bugf("spin_unlock of lock %p, which is not held", (void *)lock);
	WRITE_ONCE(lock->locked, 0);
	g.spin_held--;
}

void rcu_read_lock(void)
{
	g.rcu_depth++;
}

void rcu_read_unlock(void)
{
	if (g.rcu_depth <= 0)
		glue_bugf("rcu_read_unlock without rcu_read_lock");
	g.rcu_depth--;
}

#define X86_EFLAGS_IF 0x200UL	/* arch/x86/include/uapi/asm/processor-flags.h */
unsigned long arch_local_irq_save(void)
{
	unsigned long flags = g.irqs_off ? 0 : X86_EFLAGS_IF;

	g.irqs_off = 1;
	return flags;
}

void arch_local_irq_restore(unsigned long flags)
{
	if (!g.irqs_off)
		glue_bugf("local_irq_restore with interrupts enabled");
	g.irqs_off = !(flags & X86_EFLAGS_IF);
}

int shim_irqs_disabled(void)
{
	return g.irqs_off;
}

void shim_cond_resched(void)
{
	if (g.spin_held || g.rcu_depth || g.irqs_off)
		glue_warnf("cond_resched in atomic context (spinlocks %d, rcu %d, irqs off %d)",
			   g.spin_held, g.rcu_depth, g.irqs_off);
	GMV(gm_cond_resched());
}

/* ---- user memory: the model has no page contents; an access faults where
 * the CPU could not complete it through the page tables (reads give 0). -- */
int shim_user_read(volatile void *dst, const void __user *src, unsigned long size)
{
	unsigned long a = (unsigned long)src;

	if (!GM(gm_user_accessible(a, 0)) || !GM(gm_user_accessible(a + size - 1, 0)))
		return -EFAULT;
	for (unsigned long i = 0; i < size; i++)
		((volatile unsigned char *)dst)[i] = 0;
	return 0;
}

int shim_user_write(void __user *dst, const void *src, unsigned long size)
{
	unsigned long a = (unsigned long)dst;

	(void)src;
	if (!GM(gm_user_accessible(a, 1)) || !GM(gm_user_accessible(a + size - 1, 1)))
		return -EFAULT;
	return 0;
}

/* ---- diagnostics ------------------------------------------------------------- */
/* "mm/gup.c" of "/any/tree/mm/gup.c": reports name the file as the kernel does */
static const char *tree_relative(const char *file)
{
	const char *rel = file;

	for (const char *p = file; *p; p++)
		if (p[0] == '/' && p[1] == 'm' && p[2] == 'm' && p[3] == '/')
			rel = p + 1;
	return rel;
}

void shim_bug(const char *file, int line)
{
	glue_bugf("kernel BUG at %s:%d!", tree_relative(file), line);
}

void shim_warn(const char *file, int line, const char *cond)
{
	glue_warnf("WARNING: %s:%d: %s", tree_relative(file), line, cond);
}

int _printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (fmt[0] == '\001' && fmt[1])	/* KERN_SOH level */
		fmt += 2;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	/* A log line (gup.c's only one: the rate-limited pr_warn of
	 * gup_vma_lookup, "GUP no longer grows the stack", which 6.12 prints on
	 * purpose) is a note of the run, not a WARN_ON: only shim_warn is. */
	gm_note(buf);
	return n;
}

void dump_stack(void)
{
	gm_note("dump_stack()");
}

/* ---- the entry: one call of gup.c inside the trampoline ---------------------- */
#include "glue_entry.h"

static void glue_begin(void)
{
	__builtin_memset(&g, 0, sizeof(g));
	g.active = 1;
	page_offset_base = GM(gm_page_offset_base());
	vmemmap_base = GM(gm_vmemmap_base());
	zero_pfn = GM(gm_zero_pfn());
	huge_zero_pfn = GM(gm_huge_zero_pfn());
#if SHIM_KV < 612
	huge_zero_page = pfn_to_page(huge_zero_pfn);
#endif
	__builtin_memset(&init_mm, 0, sizeof(init_mm));
	init_mm.pgd = (pgd_t *)__va(GM(gm_init_pgd_phys()));
	/* Every call runs more than an hour after the previous one, so the
	 * rate limit of gup_vma_lookup's warning (a static in gup.c) never
	 * carries over between calls: runs do not depend on their order. */
	jiffies += 3600UL * CONFIG_HZ + 1;
	atomic_set(&devmap_managed_key.key.enabled, GM(gm_fsdax_pgmaps()));

	g.mm.pgd = (pgd_t *)__va(GM(gm_user_pgd_phys()));
	g.mm.flags = GM(gm_mm_flags());
	g.mmap_readers_at_start = GM(gm_mmap_lock_read(0));
	glue_atomic_long_set(&g.mm.mmap_lock.count, g.mmap_readers_at_start);
	g.task.pid = 1;
	g.task.mm = &g.mm;
	GMV(gm_register_task_flags(&g.task.flags, PF_MEMALLOC_PIN));
	__builtin_memcpy(g.task.comm, "gupfuzz", 8);
	build_files();
	build_vmas();
}

static void glue_end(int escaped)
{
	long readers = atomic_long_read(&g.mm.mmap_lock.count);

	if (!escaped) {
		if (g.spin_held)
			gm_record_bug("the call returned with a page-table lock held");
		else if (g.rcu_depth)
			gm_record_bug("the call returned inside rcu_read_lock()");
		else if (g.irqs_off)
			gm_record_bug("the call returned with interrupts disabled");
		else if (g.walk_depth)
			gm_record_bug("the call returned inside vma_pgtable_walk_begin()");
	}
	/* After a BUG the locks it held are dropped, as a killed task's would be
	 * (the mmap_lock count goes back to what the caller held). */
	if (readers != g.mmap_readers_at_start)
		gm_mmap_lock_read((int)(g.mmap_readers_at_start - readers));
	gm_set_mm_flags(g.mm.flags);
	g.active = 0;
}

/* 6.1's entry points take a vmas array (removed in 6.5); the harness never
 * asks for one */
#if SHIM_KV >= 612
#define GUP_VMAS
#else
#define GUP_VMAS , NULL
#endif

static void glue_body(void *arg)
{
	struct g612_args *a = arg;
	struct mm_struct *mm = &g.mm;
	int locked;

	glue_begin();
	switch (a->op) {
	case G612_PIN_USER_PAGES:
		mmap_read_lock(mm);
		a->rc = pin_user_pages(a->start, a->nr_pages, a->gup_flags, (struct page **)a->pages GUP_VMAS);
		mmap_read_unlock(mm);
		break;
	case G612_GET_USER_PAGES:
		mmap_read_lock(mm);
		a->rc = get_user_pages(a->start, a->nr_pages, a->gup_flags, (struct page **)a->pages GUP_VMAS);
		mmap_read_unlock(mm);
		break;
	case G612_PIN_USER_PAGES_REMOTE:
		locked = 1;
		mmap_read_lock(mm);
#if SHIM_KV >= 612
		a->rc = pin_user_pages_remote(mm, a->start, a->nr_pages, a->gup_flags,
					      (struct page **)a->pages GUP_VMAS, &locked);
#else
		/* 6.1 allows FOLL_LONGTERM only without `locked` (__get_user_pages_remote:
		 * WARN_ON_ONCE(locked), c4237f8b1f4f), and its FOLL_LONGTERM callers pass
		 * NULL (vfio's vaddr_get_pfns): the lock is then never dropped. */
		a->rc = pin_user_pages_remote(mm, a->start, a->nr_pages, a->gup_flags,
					      (struct page **)a->pages GUP_VMAS,
					      (a->gup_flags & FOLL_LONGTERM) ? NULL : &locked);
#endif
		if (locked)
			mmap_read_unlock(mm);
		a->locked = locked;
		break;
	case G612_PIN_USER_PAGES_UNLOCKED:
		a->rc = pin_user_pages_unlocked(a->start, a->nr_pages, (struct page **)a->pages, a->gup_flags);
		a->locked = 0;
		break;
	case G612_PIN_USER_PAGES_FAST:
		a->rc = pin_user_pages_fast(a->start, (int)a->nr_pages, a->gup_flags, (struct page **)a->pages);
		break;
	case G612_GET_USER_PAGES_FAST:
		a->rc = get_user_pages_fast(a->start, (int)a->nr_pages, a->gup_flags, (struct page **)a->pages);
		break;
	case G612_UNPIN_USER_PAGES:
		unpin_user_pages((struct page **)a->pages, a->nr_pages);
		break;
	case G612_UNPIN_USER_PAGES_DIRTY_LOCK:
		unpin_user_pages_dirty_lock((struct page **)a->pages, a->nr_pages, a->make_dirty);
		break;
	case G612_PUT_PAGE: {
#if SHIM_KV >= 612
		/* include/linux/mm.h:1519 put_page */
		struct folio *folio = page_folio(((struct page **)a->pages)[0]);

		if (!put_devmap_managed_folio_refs(folio, 1))
			folio_put(folio);
#else
		put_page(((struct page **)a->pages)[0]);	/* mm.h:1262 (6.1) */
#endif
		break;
	}
	default:
		glue_bugf("g612_run: unknown operation %d", a->op);
	}
	glue_end(0);
}

static int g612_run(struct g612_args *a)
{
	int escaped = g612_trampoline(glue_body, a);

	if (escaped && g.active)
		glue_end(1);
	return escaped;
}

#if SHIM_KV < 612
#include "glue_v601.c"
#endif

/* The variant's table: its only global symbol once linked (glue_entry.h). */
const struct g612_variant g612_variant = {
	.run = g612_run,
	.generation = SHIM_KV,
	.foll = {
		[G612_FOLL_WRITE] = FOLL_WRITE, [G612_FOLL_GET] = FOLL_GET, [G612_FOLL_DUMP] = FOLL_DUMP,
		[G612_FOLL_FORCE] = FOLL_FORCE, [G612_FOLL_NOWAIT] = FOLL_NOWAIT,
		[G612_FOLL_NOFAULT] = FOLL_NOFAULT, [G612_FOLL_HWPOISON] = FOLL_HWPOISON,
		[G612_FOLL_ANON] = FOLL_ANON, [G612_FOLL_LONGTERM] = FOLL_LONGTERM,
		[G612_FOLL_SPLIT_PMD] = FOLL_SPLIT_PMD, [G612_FOLL_TOUCH] = FOLL_TOUCH,
		[G612_FOLL_TRIED] = FOLL_TRIED, [G612_FOLL_REMOTE] = FOLL_REMOTE, [G612_FOLL_PIN] = FOLL_PIN,
		[G612_FOLL_FAST_ONLY] = FOLL_FAST_ONLY,
#if SHIM_KV >= 612
		[G612_FOLL_PCI_P2PDMA] = FOLL_PCI_P2PDMA, [G612_FOLL_INTERRUPTIBLE] = FOLL_INTERRUPTIBLE,
		[G612_FOLL_HONOR_NUMA_FAULT] = FOLL_HONOR_NUMA_FAULT, [G612_FOLL_UNLOCKABLE] = FOLL_UNLOCKABLE,
		[G612_FOLL_MADV_POPULATE] = FOLL_MADV_POPULATE,
#endif
	},
	.nr_foll_pin_acquired = NR_FOLL_PIN_ACQUIRED,
	.nr_foll_pin_released = NR_FOLL_PIN_RELEASED,
	.mmf_has_pinned = MMF_HAS_PINNED,
	.gup_pin_counting_bias = GUP_PIN_COUNTING_BIAS,
};
