// SPDX-License-Identifier: GPL-2.0-only
//
// The stateful caller properties against the faithful port (seed-port.md
// P15): ib_umem_get / ib_umem_release and videobuf_dma_init_user /
// videobuf_dma_free holding pins across mmap, munmap, mprotect, touches and
// injected faults.  ctest runs them with RC_PARAMS="seed=1 max_success=60"
// (props/CMakeLists.txt).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include "props/callers_prop.h"

namespace gupfuzz::props {
namespace {

RC_GTEST_PROP(Callers, RdmaAndV4l2, ()) { callers_property(); }

RC_GTEST_PROP(Callers, RdmaOnly, ()) {
    CallersOptions o;
    o.v4l2 = false;
    callers_property(o);
}

RC_GTEST_PROP(Callers, V4l2Only, ()) {
    CallersOptions o;
    o.rdma = false;
    callers_property(o);
}

}  // namespace
}  // namespace gupfuzz::props
