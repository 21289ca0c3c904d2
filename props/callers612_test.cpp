// SPDX-License-Identifier: GPL-2.0-only
//
// The 6.12 caller models on the real mm/gup.c (R18, R8): the property holds
// for the callers as the drivers are written, and is falsified, with the
// shrunk step sequence printed, for each caller defect (callers612.h).
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <sstream>

#include "props/callers612_prop.h"

namespace gupfuzz::props {
namespace {

RC_GTEST_PROP(Callers612, IbUmemIoUringVaddrFramesVfio, ()) { callers612_property(); }

class Silent : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

// The property against one caller defect, fixed seed: falsified, and the
// counterexample names what the defect breaks.
void expect_falsified(CallerDefect d, const std::string& must_mention) {
    set_caller_defect(d);
    rc::detail::TestParams params;
    params.seed = 1;
    params.maxSuccess = 400;
    rc::detail::TestMetadata md;
    md.id = md.description = caller_defect_name(d);
    Silent quiet;
    const rc::detail::TestResult r =
        rc::detail::checkProperty(rc::detail::toProperty([] { callers612_property(); }), md, params, quiet);
    set_caller_defect(CallerDefect::none);
    rc::detail::FailureResult f;
    ASSERT_TRUE(r.match(f)) << caller_defect_name(d) << ": the property was not falsified in 400 cases";
    std::ostringstream s;
    rc::detail::printResultMessage(f, s);
    std::printf("%s falsified:\n%s\n", caller_defect_name(d), s.str().c_str());
    EXPECT_NE(s.str().find(must_mention), std::string::npos) << s.str();
}

TEST(Callers612Defects, IoPinPagesKeepsAPartialPin) {
    expect_falsified(CallerDefect::io_pin_pages_keeps_partial, "R18");
}
TEST(Callers612Defects, IbUmemDoesNotUnpinTheChunkOnSgFailure) {
    expect_falsified(CallerDefect::ib_umem_no_unpin_on_sg_failure, "R18");
}
TEST(Callers612Defects, GetVaddrFramesLeaksAShortCount) {
    expect_falsified(CallerDefect::vaddr_frames_partial_leaked, "R18");
}

}  // namespace
}  // namespace gupfuzz::props
