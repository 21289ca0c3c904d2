/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DUPLICATED FROM THE KERNEL (class a/b of shim-6.12.md §3): the compiler,
 * type, error, bug, atomic and small-helper definitions gup.c uses,
 * ported from Linux 6.12 (and 6.1 where SHIM_KV says so). Each block names the
 * kernel header and line it follows. Only compiler-provided headers are
 * included (never glibc: its loff_t is long, the kernel's long long).
 */
#ifndef SHIM_DUP_BASE_H
#define SHIM_DUP_BASE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/* include/linux/compiler_attributes.h, compiler_types.h, compiler.h */
#undef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#define noinline __attribute__((__noinline__))
#define __noreturn __attribute__((__noreturn__))
#define __maybe_unused __attribute__((__unused__))
#define __always_unused __attribute__((__unused__))
#define __must_check __attribute__((__warn_unused_result__))
#define __aligned(x) __attribute__((__aligned__(x)))
#define __packed __attribute__((__packed__))
#define __cold __attribute__((__cold__))
#define fallthrough __attribute__((__fallthrough__))
#define __user
#define __force
#define __iomem
#define __rcu
#define __percpu
#define __private
#define __bitwise
#define __randomize_layout
#define __read_mostly
#define __ro_after_init
#define __init
#define __releases(x)
#define __acquires(x)
#define __must_hold(x)
#define notrace
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" : : : "memory")
#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))
#define __is_constexpr(x) \
	(sizeof(int) == sizeof(*(8 ? ((void *)((long)(x) * 0l)) : (int *)8)))
#define data_race(expr) (expr)

/* include/linux/compiler_types.h:510-531: BUILD_BUG_ON is a call to an
 * error-attributed function the optimiser must remove (so never -O0 for 6.12). */
#define __compiletime_assert(condition, msg, prefix, suffix)		\
	do {								\
		__noreturn extern void prefix ## suffix(void)		\
			__attribute__((__error__(msg)));		\
		if (!(condition))					\
			prefix ## suffix();				\
	} while (0)
#define _compiletime_assert(condition, msg, prefix, suffix) \
	__compiletime_assert(condition, msg, prefix, suffix)
#define compiletime_assert(condition, msg) \
	_compiletime_assert(condition, msg, __compiletime_assert_, __COUNTER__)
/* include/linux/build_bug.h:30-77 */
#define BUILD_BUG_ON_INVALID(e) ((void)(sizeof((__force long)(e))))
#define BUILD_BUG_ON_MSG(cond, msg) compiletime_assert(!(cond), msg)
#define BUILD_BUG_ON(condition) \
	BUILD_BUG_ON_MSG(condition, "BUILD_BUG_ON failed: " #condition)
#define BUILD_BUG() BUILD_BUG_ON_MSG(1, "BUILD_BUG failed")
#define static_assert(expr, ...) __static_assert(expr, ##__VA_ARGS__, #expr)
#define __static_assert(expr, msg, ...) _Static_assert(expr, msg)

/* include/linux/kconfig.h:15-73 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_BUILTIN(option) __is_defined(option)
#define IS_MODULE(option) __is_defined(option##_MODULE)
#define IS_REACHABLE(option) __or(IS_BUILTIN(option), \
				__and(IS_MODULE(option), __is_defined(MODULE)))
#define __or(x, y) ___or(x, y)
#define ___or(x, y) ____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y) __take_second_arg(arg1_or_junk 1, y)
#define __and(x, y) ___and(x, y)
#define ___and(x, y) ____and(__ARG_PLACEHOLDER_##x, y)
#define ____and(arg1_or_junk, y) __take_second_arg(arg1_or_junk y, 0)
#define IS_ENABLED(option) __or(IS_BUILTIN(option), IS_MODULE(option))

/* include/linux/types.h, include/uapi/asm-generic/int-ll64.h */
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned long long __u64;
typedef long long loff_t;		/* types.h:52 (__kernel_loff_t) */
typedef unsigned long pgoff_t;		/* types.h:141 */
typedef u64 phys_addr_t;		/* types.h:168 (CONFIG_PHYS_ADDR_T_64BIT) */
typedef unsigned int gfp_t;		/* types.h:157 */
typedef int pid_t;
typedef long ssize_t;
typedef struct { int counter; } atomic_t;	/* types.h:177 */
typedef struct { long counter; } atomic_long_t;	/* types.h:182 */
struct list_head { struct list_head *next, *prev; };	/* types.h:194 */
struct callback_head { struct callback_head *next; void (*func)(struct callback_head *head); };
#define rcu_head callback_head
#undef NULL
#define NULL ((void *)0)	/* include/linux/stddef.h:8 */
#define NULL ((void *)0)
#define BITS_PER_LONG 64
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))
#define ULONG_MAX (~0UL)
#define LONG_MAX ((long)(~0UL >> 1))
#define INT_MAX ((int)(~0U >> 1))
#define UINT_MAX (~0U)
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define __ALIGN_KERNEL_MASK(x, mask) (((x) + (mask)) & ~(mask))
#define ALIGN(x, a) __ALIGN_KERNEL_MASK(x, (typeof(x))(a) - 1)
#define ALIGN_DOWN(x, a) ALIGN((x) - ((a) - 1), (a))
#define IS_ALIGNED(x, a) (((x) & ((typeof(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define container_of(ptr, type, member) \
	((type *)((void *)(ptr) - offsetof(type, member)))

/* include/uapi/asm-generic/errno-base.h, errno.h; include/linux/errno.h */
#define EPERM 1
#define ENOENT 2
#define EINTR 4
#define EIO 5
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EINVAL 22
#define ENOSPC 28
#define EMLINK 31
#define ERANGE 34
#define EOVERFLOW 75
#define EOPNOTSUPP 95
#define EREMOTEIO 121
#define EHWPOISON 133
#define ERESTARTSYS 512
#define MAX_ERRNO 4095

/* include/linux/err.h:28-76 */
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *__must_check ERR_PTR(long error) { return (void *)error; }
static inline long __must_check PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool __must_check IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool __must_check IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

/* include/asm-generic/rwonce.h:44-61 */
#define __READ_ONCE(x) (*(const volatile typeof(x) *)&(x))
#define READ_ONCE(x) __READ_ONCE(x)
#define WRITE_ONCE(x, val) do { *(volatile typeof(x) *)&(x) = (val); } while (0)

/* include/linux/minmax.h: the type-checked min/max, simplified to the
 * statement-expression form (operands evaluated once). */
#define __cmp_op_min <
#define __cmp_op_max >
#define __cmp(op, x, y) ((x) __cmp_op_##op (y) ? (x) : (y))
#define __careful_cmp(op, x, y) ({ typeof(x) __x = (x); typeof(y) __y = (y); \
	(void)(&__x == &__y); __cmp(op, __x, __y); })
#define min(x, y) __careful_cmp(min, x, y)
#define max(x, y) __careful_cmp(max, x, y)
#define min_t(type, x, y) ({ type __x = (x); type __y = (y); __cmp(min, __x, __y); })
#define max_t(type, x, y) ({ type __x = (x); type __y = (y); __cmp(max, __x, __y); })

/* include/linux/overflow.h:67 */
#define check_add_overflow(a, b, d) __builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)

/* arch/x86/include/asm/barrier.h, include/asm-generic/barrier.h */
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() barrier()
#define smp_wmb() barrier()
#define smp_mb__after_atomic() barrier()
#define smp_mb__before_atomic() barrier()
#define smp_load_acquire(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)

/* include/linux/atomic/atomic-instrumented.h (x86 semantics: full barriers) */
static inline int atomic_read(const atomic_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }
static inline void atomic_set(atomic_t *v, int i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELAXED); }
static inline void atomic_add(int i, atomic_t *v) { __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_sub(int i, atomic_t *v) { __atomic_fetch_sub(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline void atomic_inc(atomic_t *v) { atomic_add(1, v); }
static inline void atomic_dec(atomic_t *v) { atomic_sub(1, v); }
static inline int atomic_add_return(int i, atomic_t *v) { return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_sub_return(int i, atomic_t *v) { return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST); }
static inline int atomic_inc_return(atomic_t *v) { return atomic_add_return(1, v); }
static inline int atomic_dec_return(atomic_t *v) { return atomic_sub_return(1, v); }
static inline bool atomic_sub_and_test(int i, atomic_t *v) { return atomic_sub_return(i, v) == 0; }
static inline bool atomic_dec_and_test(atomic_t *v) { return atomic_dec_return(v) == 0; }
static inline bool atomic_try_cmpxchg(atomic_t *v, int *old, int nu)
{
	return __atomic_compare_exchange_n(&v->counter, old, nu, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
}
/* include/linux/atomic/atomic-arch-fallback.h: atomic_add_unless */
static inline bool atomic_add_unless(atomic_t *v, int a, int u)
{
	int c = atomic_read(v);

	do {
		if (unlikely(c == u))
			return false;
	} while (!atomic_try_cmpxchg(v, &c, c + a));
	return true;
}
static inline long atomic_long_read(const atomic_long_t *v) { return __atomic_load_n(&v->counter, __ATOMIC_RELAXED); }

/* include/asm-generic/bitops/instrumented-atomic.h:26, instrumented-non-atomic.h */
static inline void set_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_or(&addr[nr / BITS_PER_LONG], 1UL << (nr % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}
static inline void clear_bit(long nr, volatile unsigned long *addr)
{
	__atomic_fetch_and(&addr[nr / BITS_PER_LONG], ~(1UL << (nr % BITS_PER_LONG)), __ATOMIC_SEQ_CST);
}
static inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return 1UL & (addr[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG));
}
static inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long m = 1UL << (nr % BITS_PER_LONG);

	return __atomic_fetch_or(&addr[nr / BITS_PER_LONG], m, __ATOMIC_SEQ_CST) & m;
}

/* include/asm-generic/param.h:8 (CONFIG_HZ), include/linux/jiffies.h:138 */
#define HZ CONFIG_HZ
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)

/* include/linux/numa.h:15 */
#define NUMA_NO_NODE (-1)

/* include/linux/printk.h: pr_* reach the kernel's _printk (model-backed) */
#define KERN_SOH "\001"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_INFO KERN_SOH "6"
#define pr_fmt(fmt) fmt
#define printk(fmt, ...) _printk(fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)

/* include/asm-generic/bug.h, arch/x86/include/asm/bug.h: BUG() never
 * returns; it reaches the model's shim_bug (a longjmp to the executor's
 * recovery point, never a C++ exception). WARN_ON keeps its value and reports
 * every hit to shim_warn (the kernel's _ONCE statics would make runs depend
 * on their order: shim-6.12.md §4.5). */
#define BUG() shim_bug(__FILE__, __LINE__)
#define BUG_ON(condition) do { if (unlikely(condition)) BUG(); } while (0)
#define WARN_ON(condition) ({						\
	int __ret_warn_on = !!(condition);				\
	if (unlikely(__ret_warn_on))					\
		shim_warn(__FILE__, __LINE__, #condition);		\
	unlikely(__ret_warn_on);					\
})
#define WARN(condition, format...) WARN_ON(condition)
#define WARN_ON_ONCE(condition) WARN_ON(condition)
#define WARN_ONCE(condition, format...) WARN_ON(condition)

/* include/linux/mmdebug.h:19-102: CONFIG_DEBUG_VM (the override header's
 * switch) makes the VM_* checks live; otherwise they are type-checked only. */
#ifdef CONFIG_DEBUG_VM
#define VM_BUG_ON(cond) BUG_ON(cond)
#define VM_WARN_ON(cond) (void)WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond) (void)WARN_ON_ONCE(cond)
#define VM_WARN_ONCE(cond, format...) (void)WARN_ONCE(cond, format)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) WARN_ON_ONCE(cond)
#define VM_WARN_ON_FOLIO(cond, folio) WARN_ON(cond)
#else
#define VM_BUG_ON(cond) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON(cond) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_ONCE(cond) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ONCE(cond, format...) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) BUILD_BUG_ON_INVALID(cond)
#define VM_WARN_ON_FOLIO(cond, folio) BUILD_BUG_ON_INVALID(cond)
#endif
#define VM_BUG_ON_PAGE(cond, page) VM_BUG_ON(cond)
#define VM_BUG_ON_FOLIO(cond, folio) VM_BUG_ON(cond)
#define VM_BUG_ON_VMA(cond, vma) VM_BUG_ON(cond)
#define VM_BUG_ON_MM(cond, mm) VM_BUG_ON(cond)

/* include/linux/export.h:74-75: a redundant declaration keeps the ';' valid */
#define EXPORT_SYMBOL(sym) extern typeof(sym) sym
#define EXPORT_SYMBOL_GPL(sym) extern typeof(sym) sym

#endif /* SHIM_DUP_BASE_H */
