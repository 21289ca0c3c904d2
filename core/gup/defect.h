// SPDX-License-Identifier: GPL-2.0-only
// GUPFUZZ_DEFECT(name): true only in a defect build with that defect selected.
#pragma once
#include "core/gup/gup.h"

#ifdef GUPFUZZ_DEFECT_BUILD
#define GUPFUZZ_DEFECT(name) (::gupfuzz::port::active_defect() == ::gupfuzz::port::Defect::name)
#else
#define GUPFUZZ_DEFECT(name) false
#endif
