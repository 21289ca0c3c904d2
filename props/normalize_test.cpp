// SPDX-License-Identifier: GPL-2.0-only
//
// The validity rules (core/harness/normalize.h) as laws: normalize() repairs
// any scenario into a valid one, validate() is its fixed point, and every
// valid scenario survives the byte form.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "props/gen.h"

namespace gupfuzz::props {
namespace {

using namespace gupfuzz::harness;

RC_GTEST_PROP(Normalize, MakesAnyScenarioValid, ()) {
    const Scenario s = *gen_any_scenario();
    const Scenario n = normalize(s);
    RC_CLASSIFY(validate(s).empty(), "already valid");
    RC_CLASSIFY(n.vmas.size() < s.vmas.size(), "vmas left out");
    const std::string why = to_string(validate(n));
    if (!why.empty())
        RC_FAIL("normalize() left broken rules:\n" + why + "normalized:\n" + print_scenario(n));
    RC_ASSERT(normalize(n) == n);
}

RC_GTEST_PROP(Normalize, ChangesNothingInAValidScenario, ()) {
    // The property generator's scenarios, and wild ones that happen to be valid.
    const Scenario s = *rc::gen::oneOf(gen_scenario(), gen_any_scenario());
    RC_PRE(validate(s).empty());
    const Scenario n = normalize(s);
    if (!(n == s))
        RC_FAIL("normalize() changed a valid scenario:\n" + print_scenario(s) + "into:\n" + print_scenario(n));
}

RC_GTEST_PROP(Normalize, EveryValidScenarioSurvivesTheByteForm, ()) {
    const Scenario s = normalize(*gen_any_scenario());
    const std::vector<std::uint8_t> bytes = encode_scenario(s);
    const Scenario back = decode_scenario(bytes.data(), bytes.size());
    if (!(back == s))
        RC_FAIL("decode(encode(s)) != s; decoded:\n" + print_scenario(back) + "original:\n" + print_scenario(s));
}

}  // namespace
}  // namespace gupfuzz::props
