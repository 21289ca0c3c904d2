// SPDX-License-Identifier: GPL-2.0-only
/*
 * The setjmp trampoline of the 6.12 glue (core/kernel612/glue.c): runs fn(arg)
 * and returns 1 when it ended through g612_escape() (a BUG() in gup.c, a
 * broken lock protocol, a model exception stored by model_api.cpp).  Every
 * frame between the setjmp and the longjmp is C (glue.c, gup.c): the C++
 * model has always returned to its C caller before the jump, so no C++
 * object is skipped.  Kept apart from glue.c because glue.c sees only the
 * kernel shim's headers, not libc's <setjmp.h>.
 */
#include <setjmp.h>
#include <stdlib.h>

static _Thread_local jmp_buf *g612_env;

int g612_trampoline(void (*fn)(void *), void *arg);
_Noreturn void g612_escape(void);

int g612_trampoline(void (*fn)(void *), void *arg)
{
	jmp_buf env;
	jmp_buf *prev = g612_env;

	g612_env = &env;
	if (setjmp(env)) {
		g612_env = prev;
		return 1;
	}
	fn(arg);
	g612_env = prev;
	return 0;
}

_Noreturn void g612_escape(void)
{
	if (!g612_env)
		abort();	/* a glue function ran outside g612_run */
	longjmp(*g612_env, 1);
}
