/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one function the C++ side (entry612.cpp) calls in the C glue: run one
 * operation of the real gup.c inside the setjmp trampoline.  Plain C, no
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

/* 0: the operation returned; 1: it ended in a BUG (the text is recorded
 * through gm_record_bug).  Either way the glue's lock state is reset. */
int g612_run(struct g612_args *a);

/* 6.12 constants the C++ side reads state by (from the shim, so never retyped) */
extern const int g612_nr_foll_pin_acquired;	/* NR_FOLL_PIN_ACQUIRED */
extern const int g612_nr_foll_pin_released;	/* NR_FOLL_PIN_RELEASED */
extern const int g612_mmf_has_pinned;		/* MMF_HAS_PINNED (a bit of mm->flags) */
extern const unsigned int g612_gup_pin_counting_bias;	/* GUP_PIN_COUNTING_BIAS */

#ifdef __cplusplus
}
#endif

#endif /* GUPFUZZ_KERNEL612_GLUE_ENTRY_H */
