// SPDX-License-Identifier: GPL-2.0-only
//
// The 6.12 generation's entry table: how the harness (C++) calls the real,
// unmodified mm/gup.c of Linux 6.12 compiled against core/shim.  The C glue
// (core/kernel612/glue.c, compiled against the shim) implements the symbols
// gup.o leaves undefined on top of the one simulated kernel (kernel::World);
// this header is the only way C++ reaches gup.c's functions.
//
// Every call runs inside a setjmp trampoline: a BUG()/VM_BUG_ON in gup.c or a
// model invariant broken underneath it (KernelBug, Livelock) ends the call and
// is returned in Outcome::bug; no C++ exception ever unwinds through gup.c's
// C frames.  WARN_ON hits are collected (gup.c uses them for invalid argument
// combinations; the contract says which ones a valid call may never hit).
#pragma once

#include <string>
#include <vector>

#include "core/kernel/world.h"

namespace gupfuzz::k612 {

// gup_flags values of 6.12 (include/linux/mm_types.h:3508-3533 public,
// mm/internal.h:1275-1290 internal).  Scenarios of kernel 6.12 use these.
namespace foll {
constexpr unsigned WRITE = 1u << 0, GET = 1u << 1, DUMP = 1u << 2, FORCE = 1u << 3, NOWAIT = 1u << 4,
                   NOFAULT = 1u << 5, HWPOISON = 1u << 6, ANON = 1u << 7, LONGTERM = 1u << 8,
                   SPLIT_PMD = 1u << 9, PCI_P2PDMA = 1u << 10, INTERRUPTIBLE = 1u << 11,
                   HONOR_NUMA_FAULT = 1u << 12;
constexpr unsigned TOUCH = 1u << 16, TRIED = 1u << 17, REMOTE = 1u << 18, PIN = 1u << 19, FAST_ONLY = 1u << 20,
                   UNLOCKABLE = 1u << 21, MADV_POPULATE = 1u << 22;
}  // namespace foll

// The entry points under test (gup.c line numbers in port-v6.12.md §2.1).
enum class Call {
    pin_user_pages,          // caller holds mmap_lock for read (gup.c:3362)
    pin_user_pages_fast,     // lockless walk, then the slow path takes the lock (gup.c:3587)
    pin_user_pages_remote,   // caller holds the lock; FOLL_REMOTE (gup.c:3330)
    pin_user_pages_unlocked, // takes the lock itself (gup.c:3395)
    get_user_pages,          // FOLL_GET; with FOLL_LONGTERM it must refuse (gup.c:2706)
    get_user_pages_fast,
};
const char* call_name(Call c);

struct Outcome {
    long rc = 0;
    int locked = 1;                     // the caller's `locked` after a remote/unlocked call
    std::string bug;                    // non-empty: BUG()/VM_BUG_ON/model invariant ended the call
    std::vector<std::string> warnings;  // WARN_ON hits, in order, "mm/gup.c:LINE" or the condition
};

// Runs one entry point of the 6.12 gup.c on `w` (which must be in scope).
// For the calls whose caller holds mmap_lock the trampoline takes it for
// read around the call, as the caller would.
Outcome call(kernel::World& w, Call c, unsigned long start, unsigned long nr_pages, unsigned gup_flags,
             kernel::page** pages);

// The caller's release primitives, through gup.c's own functions.
void unpin_user_pages(kernel::World& w, kernel::page** pages, unsigned long npages);
void unpin_user_pages_dirty_lock(kernel::World& w, kernel::page** pages, unsigned long npages, bool make_dirty);
void put_page(kernel::World& w, kernel::page* page);  // FOLL_GET release

// Counters and mm state the contract talks about.
struct Counters {
    long foll_pin_acquired = 0;  // NR_FOLL_PIN_ACQUIRED
    long foll_pin_released = 0;  // NR_FOLL_PIN_RELEASED
    bool mmf_has_pinned = false; // MMF_HAS_PINNED in mm->flags
    long lru_drains = 0;         // lru_add_drain(_all) calls
    long migrations = 0;         // folios migrate_pages moved
};
Counters counters(const kernel::World& w);

// "Linux 6.12.117 (linux-source-6.12 6.12.117-1~deb12u1) mm/gup.c sha256 ..." of the compiled tree
// the calls run on; with a 6.12 defect active (port::set_active_defect, defect build only)
// "... + core/kernel612/defects/NAME.patch mm/gup.c sha256 <the patched file's>".
const char* tree_description(int generation = 612);
// Whether this binary links the tree as shipped of generation 612 or 601.
bool linked(int generation);

}  // namespace gupfuzz::k612
