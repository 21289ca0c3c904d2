// SPDX-License-Identifier: GPL-2.0-only
//
// A Session is one simulated process over time: a World built from a
// Scenario's configuration, files, layout and pre-state (the scenario's call
// is not run), on which callers pin and release pages across many operations
// while the task maps, unmaps, mprotects and touches memory.  The stateful
// property tests (props/) model long-term callers of the v4.15 era on it:
// ib_umem_get / ib_umem_release and videobuf_dma_init_user / videobuf_dma_free.
//
// execute() stays the one executor for single-call scenarios and their
// oracles; a Session only adds the operations a caller and its task perform
// between calls (core/kernel/mm_ops.h), and the observations the caller-level
// property P15 needs (references per page, new model violations).
#pragma once

#include <memory>
#include <string>
#include <vector>

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
    void put_page(kernel::page* p);            // the caller's release (port::put_page)
    void set_page_dirty_lock(kernel::page* p); // lock_page, set_page_dirty, unlock_page

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
    std::vector<kernel::page*> head_pages() const;       // every materialised struct page that is not a tail
    const std::vector<long>& pgmap_baseline() const { return pgmap_baseline_; }
    std::vector<std::string> new_violations();           // model-recorded refcount/kfree violations since the last call
    bool page_is_live(const kernel::page* p) const;      // allocated, ZONE_DEVICE, or a permanent page
    std::string describe_page(const kernel::page* p) const;
    std::string layout_text() const;  // the vmas as they are now, one per line
    std::string state_text() const;   // everything a determinism check compares

private:
    std::unique_ptr<kernel::World> w_;
    Scenario base_;
    std::vector<FileSpec> file_specs_;
    std::vector<std::string> notes_;
    std::vector<long> pgmap_baseline_;
    kernel::FaultPlan pending_;
    bool have_pending_ = false;
    int depth_ = 0;
    std::size_t violations_seen_ = 0;
};

// Runs s (its fault plan, its call, then the caller's put_page of every
// returned page, as execute() does) through a Session and describes the
// final state: rc, vmas, every page's references, pgmaps, page-table digest,
// and the trace.  Two runs of the same scenario must give the same text.
std::string run_and_describe(const Scenario& s, long* rc = nullptr);

}  // namespace gupfuzz::harness
