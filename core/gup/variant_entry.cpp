// SPDX-License-Identifier: GPL-2.0-only
//
// Harness glue compiled into every variant of the port (not part of the
// port): the variant's row of the entry table (core/gup/entry.h).  The
// build passes the key as GUPFUZZ_KEY_* definitions.
#include "core/gup/entry.h"
#include "core/gup/gup.h"

#define GUPFUZZ_STR2(x) #x
#define GUPFUZZ_STR(x) GUPFUZZ_STR2(x)

namespace gupfuzz::port::GUPFUZZ_PORT_NS {

#ifdef CONFIG_FS_DAX
static_assert(GUPFUZZ_KEY_FS_DAX, "CONFIG_FS_DAX and the variant key disagree");
#else
static_assert(!GUPFUZZ_KEY_FS_DAX, "CONFIG_FS_DAX and the variant key disagree");
#endif

extern const GupEntry gup_entry;
const GupEntry gup_entry = {
    {"v4.15", GUPFUZZ_KEY_FS_DAX, GUPFUZZ_KEY_PMD_LOOP_FIX, GUPFUZZ_KEY_FSDAX_ISCHR_FIX, GUPFUZZ_KEY_GUP_STUB,
     Defect::GUPFUZZ_KEY_DEFECT},
    GUPFUZZ_STR(GUPFUZZ_PORT_NS),
    &get_user_pages_longterm,
    &get_user_pages,
    &put_page,
    &vma_is_fsdax,
    &vm_fault_to_errno,
};

}  // namespace gupfuzz::port::GUPFUZZ_PORT_NS
