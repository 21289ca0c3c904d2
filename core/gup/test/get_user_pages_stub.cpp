// SPDX-License-Identifier: GPL-2.0-only
//
// Test-specific part of the port (the tools/testing/vma split): the
// get_user_pages of the variant built with test/get-user-pages-stub.patch.
// It returns the scenario's planned rc (`stub-gup-rc`, the stubbed
// get_user_pages of seed-port.md section 6) and touches nothing, so P17 can
// watch what get_user_pages_longterm does with a negative rc.
#include <stdexcept>

#include "core/gup/gup.h"

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

long get_user_pages(unsigned long, unsigned long, unsigned int, page**, vm_area_struct**)
{
    const World* w = current_world();
    if (!w->plan.gup_rc_stub)
        throw std::logic_error("the get_user_pages stub variant ran without a planned rc (stub-gup-rc)");
    return *w->plan.gup_rc_stub;
}

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
