/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the C++ side (model_api.cpp) calls in the C glue: run one operation
 * of the real gup.c inside the setjmp trampoline, through a variant's table.  Plain C, no
 * kernel types (pages are passed as void *, the World's struct pages).
 */
#ifndef GUPFUZZ_KERNEL612_GLUE_ENTRY_H
#define GUPFUZZ_KERNEL612_GLUE_ENTRY_H

#ifdef __cplusplus
extern "C" {
#endif

enum g612_op {
	G612_PIN_USER_PAGES,
	G612_PIN_USER_PAGES_FAST,
	G612_PIN_USER_PAGES_REMOTE,
	G612_PIN_USER_PAGES_UNLOCKED,
	G612_GET_USER_PAGES,
	G612_GET_USER_PAGES_FAST,
	G612_UNPIN_USER_PAGES,
	G612_UNPIN_USER_PAGES_DIRTY_LOCK,
	G612_PUT_PAGE,
};

struct g612_args {
	int op;			/* enum g612_op */
	unsigned long start, nr_pages;
	unsigned int gup_flags;
	void **pages;		/* struct page ** */
	int make_dirty;
	long rc;		/* out */
	int locked;		/* out: the caller's `locked` after a remote/unlocked call */
};

/* One compiled gup.c with its own copy of the glue: a variant (the tree as
 * shipped, or a copy with one deliberate defect patch applied,
 * core/kernel612/defects/NAME.patch).  glue.c defines it as `g612_variant`;
 * the build links gup.o, glue.o and trampoline.o of a variant into one object
 * (ld -r), keeps this table as its only global symbol and renames it
 * g612_variant_NAME (core/shim/link-variant.sh), so the variants' copies of
 * gup.c and the glue never see each other.  The C++ side reaches a variant
 * only through its table (core/kernel612/variants612.h). */
/* The FOLL_* names the harness's call line uses (6.12's, include/linux/
 * mm_types.h and mm/internal.h); each variant says which value its kernel
 * gives each name (0: the kernel has no such flag), from its shim, so no
 * value is retyped: 6.1's FOLL_GET is 0x04, 6.12's 0x02. */
enum g612_foll_name {
	G612_FOLL_WRITE, G612_FOLL_GET, G612_FOLL_DUMP, G612_FOLL_FORCE, G612_FOLL_NOWAIT,
	G612_FOLL_NOFAULT, G612_FOLL_HWPOISON, G612_FOLL_ANON, G612_FOLL_LONGTERM, G612_FOLL_SPLIT_PMD,
	G612_FOLL_PCI_P2PDMA, G612_FOLL_INTERRUPTIBLE, G612_FOLL_HONOR_NUMA_FAULT, G612_FOLL_TOUCH,
	G612_FOLL_TRIED, G612_FOLL_REMOTE, G612_FOLL_PIN, G612_FOLL_FAST_ONLY, G612_FOLL_UNLOCKABLE,
	G612_FOLL_MADV_POPULATE, G612_FOLL_COUNT
};

struct g612_variant {
	/* 0: the operation returned; 1: it ended in a BUG (the text is recorded
	 * through gm_record_bug).  Either way the glue's lock state is reset. */
	int (*run)(struct g612_args *a);
	int generation;			/* SHIM_KV the variant was compiled for: 612 or 601 */
	unsigned int foll[G612_FOLL_COUNT];	/* the kernel's value of each FOLL_* name */
	/* 6.12 constants the C++ side reads state by (from the shim, so never retyped) */
	int nr_foll_pin_acquired;	/* NR_FOLL_PIN_ACQUIRED */
	int nr_foll_pin_released;	/* NR_FOLL_PIN_RELEASED */
	int mmf_has_pinned;		/* MMF_HAS_PINNED (a bit of mm->flags) */
	unsigned int gup_pin_counting_bias;	/* GUP_PIN_COUNTING_BIAS */
};

#ifdef __cplusplus
}
#endif

#endif /* GUPFUZZ_KERNEL612_GLUE_ENTRY_H */
