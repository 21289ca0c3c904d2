// SPDX-License-Identifier: GPL-2.0-only
//
// The stateful caller property (rapidcheck/state.h), seed-port.md P15.
//
// System under test: one harness::Session (a simulated process) plus the
// RDMA (ib_umem) and V4L2 (videobuf) registrations the callers in
// props/callers.h hold.  Model: the process's layout (vmas with kind and
// protection), the live registrations, and whether a fault is armed for the
// next operation.  Commands interleave register / deregister (RDMA),
// init / free (V4L2), mmap (MAP_FIXED), munmap, mprotect, touch, and arming a
// fault for the next operation.
//
// The model predicts from the layout alone what each registration returns
// and how many pages it holds (exactly when no fault is armed; as an upper
// bound when one is).  After every command:
//   - every page's GUP references (_refcount - model_refs) equal the number
//     of times the live registrations' page lists name it, and no page a
//     registration names has been freed;
//   - every dev_pagemap is at its baseline, the model recorded no refcount
//     violation, no vmas array is left allocated;
//   - once the model has no registration left, every page is back to
//     baseline (P15).
// After the sequence every registration still live is released and P15 is
// checked again.
#pragma once

namespace gupfuzz::props {

struct CallersOptions {
    bool rdma = true;          // generate ib_umem commands
    bool v4l2 = true;          // generate videobuf commands
    int max_commands = 40;
};

// Runs inside a RapidCheck property.
void callers_property(const CallersOptions& opt = {});

}  // namespace gupfuzz::props
