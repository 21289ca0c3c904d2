// SPDX-License-Identifier: GPL-2.0-only
//
// A Session is one simulated process over time: a World built from a
// Scenario's configuration, files, layout and pre-state (the scenario's call
// is not run), on which callers pin and release pages across many operations
// while the task maps, unmaps, mprotects and touches memory.  The stateful
// property tests (props/) model long-term callers on it: of the v4.15 era
// (ib_umem_get / ib_umem_release and videobuf_dma_init_user /
// videobuf_dma_free, through get_user_pages_longterm and put_page) and, on a
// `kernel 6.12` scenario, of the 6.12 era (ib_umem_get, io_uring
// io_pin_pages, get_vaddr_frames, vfio vaddr_get_pfns, through the real
// mm/gup.c's pin_user_pages* and unpin_user_pages*: core/kernel612/entry612.h).
//
// execute() stays the one executor for single-call scenarios and their
// oracles; a Session only adds the operations a caller and its task perform
// between calls (core/kernel/mm_ops.h), and the observations the caller-level
// property P15 needs (references per page, new model violations).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/harness/oracle.h"
#include "core/harness/scenario.h"
#include "core/kernel/world.h"

namespace gupfuzz::harness {

class Session {
public:
    // Builds the world of `base` (validate(base) must be empty); throws
    // std::invalid_argument otherwise.
    explicit Session(const Scenario& base);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    kernel::World& world() { return *w_; }
    Kernel kernel() const { return base_.kernel; }
    const std::vector<std::string>& build_notes() const { return notes_; }

    // ---- fault injection ----
    // The plan applies to the next operation only.  Occurrences count the
    // passes through each allocation site from that operation's start, and
    // the signal check number counts fatal_signal_pending() checks from it.
    void arm(const kernel::FaultPlan& plan);
    // Several calls that form one operation (a caller's registration path
    // issuing GUP in chunks).  Every method below opens an operation of its
    // own if none is open.  Operations nest.
    void begin_operation();
    void end_operation();
    struct Operation {
        explicit Operation(Session& s) : s_(s) { s_.begin_operation(); }
        ~Operation() { s_.end_operation(); }
        Operation(const Operation&) = delete;
        Operation& operator=(const Operation&) = delete;
    private:
        Session& s_;
    };

    // ---- mmap_sem, as the caller takes it ----
    void down_read();
    void up_read();
    void down_write();
    void up_write();

    // ---- the call ----
    struct CallResult {
        long rc = 0;
        bool crashed = false;           // a BUG()/livelock ended the call
        std::string crash;
        std::vector<std::string> problems;  // mmap_sem released or changed mode; the vmas array left allocated
    };
    // get_user_pages_longterm from the caller's arrays (pages/vmas may be
    // null), with mmap_sem held by the caller as taken above.
    CallResult get_user_pages_longterm(unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                                       kernel::page** pages, kernel::vm_area_struct** vmas);
    // The plain get_user_pages (how v4.15 callers pinned before
    // get_user_pages_longterm existed, e.g. ib_umem_get before 2bb6d2837083),
    // as get_user_pages_longterm above.
    CallResult get_user_pages(unsigned long start, unsigned long nr_pages, unsigned gup_flags, kernel::page** pages,
                              kernel::vm_area_struct** vmas);
    void put_page(kernel::page* p);            // the caller's release (port::put_page)

    // ---- the shared operation set (core/kernel/mm_ops.h run_mm_op) ----
    // One operation now, by the task, another thread or the kernel, if the
    // lock rules allow it against what the caller holds (munmap and
    // mprotect-ro need mmap_sem free; the read-side ones not held for write):
    // what happened in words ("refused: ..." otherwise).  Its lifetime
    // events (a block a live pin references freed or handed to another file)
    // land in world().trace.lifetime.
    std::string run_op(kernel::MmOp op, unsigned long addr, unsigned long pages = 1, bool* ran = nullptr);
    // fs/dax.c + the filesystem's allocator: file `file` (a filesystem-DAX file
    // of this Session) allocates a block for its page `index`, taking a freed
    // one first (mm_ops.h fsdax_allocate).  The block's pfn, or 0.
    unsigned long fsdax_allocate(int file, unsigned long index);
    // Who owns the filesystem-DAX block at pfn now ("file #1 page 0", "free").
    std::string fsdax_owner(unsigned long pfn);

    // The pin-lifetime oracle (docs/concurrency.md I9): "no block referenced by
    // a live pin is freed or handed to another file", over the events since
    // the last check, for the pages `pinned` holds (a caller's registration).
    // One P7 failure per event; `plain_gup`: the pins came from plain
    // get_user_pages, for which v4.15 itself breaks the rule (a known
    // behaviour, named with the commits that addressed it).
    std::vector<Failure> check_pin_lifetime(const std::vector<kernel::page*>& pinned, bool plain_gup);
    void set_page_dirty_lock(kernel::page* p); // lock_page, set_page_dirty, unlock_page

    // ---- kernel 6.12: the real mm/gup.c (a Session of a `kernel 6.12` scenario) ----
    // One entry point of entry612.h.  The caller's locking is the entry's own
    // (the trampoline takes mmap_lock for read around pin_user_pages /
    // _remote / get_user_pages, as their callers do; the unlocked and fast
    // entries take it themselves): the Session's caller must not hold it.
    // problems: mmap_lock not as before the call; a WARN on the call.
    // Throws std::logic_error on a v4.15 Session, std::invalid_argument in a
    // build without the 6.12 kernel (kernel_available(Kernel::v6_12)).
    struct PinResult : CallResult {
        int locked = 1;                     // pin_user_pages_remote's *locked after the call
        std::vector<std::string> warnings;  // WARN_ON hits in gup.c
    };
    PinResult call612(k612::Call entry, unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                      kernel::page** pages);
    // The release primitives (gup.c's own unpin_user_pages*, put_page for
    // FOLL_GET): "" or what ended the release (a BUG, a WARN in gup.c, e.g. a
    // pin count below its bias).  An array gup.c would dereference a NULL of
    // (R12: a NULL after a non-NULL entry; any NULL for
    // unpin_user_pages_dirty_lock(..., true)) is refused, in words, unreleased.
    std::string unpin_user_pages(kernel::page** pages, unsigned long npages);
    std::string unpin_user_pages_dirty_lock(kernel::page** pages, unsigned long npages, bool make_dirty);
    std::string put_page612(kernel::page* p);
    // NR_FOLL_PIN_ACQUIRED/RELEASED and MMF_HAS_PINNED now (all zero on a v4.15 Session).
    k612::Counters counters612() const;

    // ---- the task's address space ----
    // Returns the file's index (files of the base scenario come first); throws
    // std::invalid_argument for a file the scenario rules refuse (file_problem).
    int add_file(const FileSpec& f);
    const std::vector<FileSpec>& files() const { return file_specs_; }
    // MAP_FIXED: replaces whatever was mapped in [v.start, v.end).  -EINVAL
    // for what the scenario rules refuse (mmap_problem in normalize.h:
    // alignment, private device DAX, device DAX under CONFIG_FS_DAX=n...).
    int mmap(const VmaSpec& v);
    int munmap(unsigned long start, unsigned long len);
    int mprotect(unsigned long start, unsigned long len, bool read, bool write, bool exec);
    // The task reads/writes `pages` pages from addr: 0, or the first
    // failure (-EFAULT for SIGSEGV, else the VM_FAULT_* error bits).
    int touch(unsigned long addr, unsigned long pages, bool write);

    // ---- observation ----
    static int gup_refs(const kernel::page* p) { return p->_refcount - p->model_refs(); }
    // The 6.12 pin ledger over the whole process (oracle612.cpp ledger612):
    // every folio holds exactly what `pins` (FOLL_PIN, per head page: +1024 a
    // small folio, +1 and _pincount +1 a large one, nothing for the zero page)
    // and `gets` (FOLL_GET: +1) name.  One line per discrepancy.
    std::vector<std::string> ledger612(const std::map<kernel::page*, long>& pins,
                                       const std::map<kernel::page*, long>& gets, const std::string& who) const;
    std::vector<kernel::page*> head_pages() const;       // every materialised struct page that is not a tail
    const std::vector<long>& pgmap_baseline() const { return pgmap_baseline_; }
    std::vector<std::string> new_violations();           // model-recorded refcount/kfree violations since the last call
    bool page_is_live(const kernel::page* p) const;      // allocated, ZONE_DEVICE, or a permanent page
    std::string describe_page(const kernel::page* p) const;
    std::string layout_text() const;  // the vmas as they are now, one per line
    std::string state_text() const;   // everything a determinism check compares

private:
    // get_user_pages_longterm / get_user_pages of the v4.15 port, as the caller holds mmap_sem now.
    CallResult call415(const char* what, bool longterm, unsigned long start, unsigned long nr_pages, unsigned gup_flags,
                       kernel::page** pages, kernel::vm_area_struct** vmas);
    std::unique_ptr<kernel::World> w_;
    Scenario base_;
    std::vector<FileSpec> file_specs_;
    std::vector<std::string> notes_;
    std::vector<long> pgmap_baseline_;
    kernel::FaultPlan pending_;
    bool have_pending_ = false;
    int depth_ = 0;
    std::size_t violations_seen_ = 0;
    std::size_t lifetime_seen_ = 0;
    std::vector<std::pair<kernel::page*, int>> pincounts_;  // _pincount of the large folios at build
};

// Runs s (its fault plan, its call, then the caller's release of every
// returned page as execute() does: put_page for v4.15 and FOLL_GET,
// unpin_user_pages for the 6.12 pin entries) through a Session and describes
// the final state: rc, vmas, every page's references, pgmaps, page-table
// digest, the pin counters (6.12) and the trace.  Two runs of the same
// scenario must give the same text.
std::string run_and_describe(const Scenario& s, long* rc = nullptr);

}  // namespace gupfuzz::harness
