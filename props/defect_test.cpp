// SPDX-License-Identifier: GPL-2.0-only
//
// Every property can fail: linked against gupfuzz_core_defects, each
// property is checked programmatically (rc::detail::checkProperty, fixed
// seed, a silent listener so the expected failures leave no "reproduce" line)
// with one deliberate defect of the port selected, and must be falsified.  The
// shrunk counterexample is printed, so `ctest -L props -V` shows what a kernel
// developer would get.  The same property with no defect selected must hold.
//
// The determinism and round-trip properties do not involve the port (a
// defect of the port is deterministic and cannot change the text or byte
// form), so no port defect can falsify them; they are not listed here.
#include <gtest/gtest.h>
#include <rapidcheck.h>

#include <functional>
#include <iostream>

#include "core/gup/entry.h"
#include "props/callers_prop.h"
#include "props/laws.h"

namespace gupfuzz::props {
namespace {

using harness::Property;
using port::Defect;

class Silent : public rc::detail::TestListener {
public:
    void onTestCaseFinished(const rc::detail::CaseDescription&) override {}
    void onShrinkTried(const rc::detail::CaseDescription&, bool) override {}
    void onTestFinished(const rc::detail::TestMetadata&, const rc::detail::TestResult&) override {}
};

struct Outcome {
    bool falsified = false;
    std::string text;  // the counterexample and the failure, as RapidCheck prints them
};

Outcome check_with(Defect d, const std::string& name, const std::function<void()>& body, int max_success) {
    port::set_active_defect(d);
    rc::detail::TestParams params;
    params.seed = 1;
    params.maxSuccess = max_success;
    rc::detail::TestMetadata md;
    md.id = name;
    md.description = name;
    Silent quiet;
    const rc::detail::TestResult r = rc::detail::checkProperty(rc::detail::toProperty(body), md, params, quiet);
    port::set_active_defect(Defect::none);
    Outcome o;
    rc::detail::FailureResult f;
    if (r.match(f)) {
        o.falsified = true;
        std::ostringstream s;
        rc::detail::printResultMessage(f, s);
        o.text = s.str();
    } else {
        std::ostringstream s;
        rc::detail::printResultMessage(r, s);
        o.text = s.str();
    }
    return o;
}

struct Row {
    const char* property;
    Defect defect;
    std::function<void()> body;
    int max_success;  // with the defect: enough cases to reach it
};

void PrintTo(const Row& r, std::ostream* os) { *os << r.property << "/" << port::defect_name(r.defect); }

std::vector<Row> rows() {
    auto lw = [](Property p) { return [p] { law(p); }; };
    auto callers = [](bool rdma, bool v4l2) {
        return [rdma, v4l2] {
            CallersOptions o;
            o.rdma = rdma;
            o.v4l2 = v4l2;
            callers_property(o);
        };
    };
    return {
        {"Law.P1_rc_range", Defect::bad_errno, lw(Property::P1_rc_range), 500},
        {"Law.P2_einval_pure", Defect::einval_after_alloc, lw(Property::P2_einval_pure), 500},
        {"Law.P3_kcalloc", Defect::kcalloc_efault, lw(Property::P3_kcalloc), 500},
        {"Law.P4_no_leak_on_error", Defect::rollback_short, lw(Property::P4_no_leak_on_error), 500},
        {"Law.P5_exact_pins", Defect::devmap_pgmap_leak, lw(Property::P5_exact_pins), 500},
        {"Law.P6_correspondence", Defect::thp_head_page, lw(Property::P6_correspondence), 500},
        {"Law.P7_fsdax_rule", Defect::scan_first_vma_only, lw(Property::P7_fsdax_rule), 500},
        {"Law.P8_partial_prefix", Defect::stop_at_vma_boundary, lw(Property::P8_partial_prefix), 500},
        {"Law.P9_vmas_ownership", Defect::vmas_not_freed, lw(Property::P9_vmas_ownership), 500},
        {"Law.P10_mmap_sem", Defect::drop_mmap_sem, lw(Property::P10_mmap_sem), 500},
        {"Law.P11_refcount_sanity", Defect::rollback_double_put, lw(Property::P11_refcount_sanity), 500},
        {"Law.P12_termination", Defect::no_foll_cow, lw(Property::P12_termination), 500},
        {"Law.P13_write_cow", Defect::skip_write_check, lw(Property::P13_write_cow), 500},
        {"Law.P14_zero_page_read", Defect::fault_always_write, lw(Property::P14_zero_page_read), 500},
        {"Law.P16_alias", Defect::alias_rejects_null, lw(Property::P16_alias), 500},
        {"Law.P17_signedness", Defect::scan_exit_eq, lw(Property::P17_signedness), 500},
        {"Oracles.AllHold", Defect::rollback_short, [] { all_oracles(); }, 500},
        {"Alias.FsDaxNEqualsGetUserPages", Defect::alias_rejects_null, [] { alias_equals_get_user_pages(); }, 500},
        {"Callers.RdmaAndV4l2", Defect::rollback_short, callers(true, true), 200},
        {"Callers.RdmaOnly", Defect::vmas_not_freed, callers(true, false), 200},
        {"Callers.V4l2Only", Defect::rollback_double_put, callers(false, true), 200},
        {"Callers.RdmaOnly", Defect::scan_first_vma_only, callers(true, false), 200},
    };
}

class PropertyFails : public ::testing::TestWithParam<Row> {};

TEST_P(PropertyFails, OnItsDefectAndHoldsWithout) {
    const Row& row = GetParam();
    const std::string name = std::string(row.property) + " with defect " + port::defect_name(row.defect);
    const Outcome bad = check_with(row.defect, name, row.body, row.max_success);
    EXPECT_TRUE(bad.falsified) << name << " was not falsified:\n" << bad.text;
    std::cout << "=== " << name << " ===\n" << bad.text << "\n";
    const Outcome ok = check_with(Defect::none, row.property, row.body, 40);
    EXPECT_FALSE(ok.falsified) << row.property << " fails with no defect selected:\n" << ok.text;
}

std::string row_name(const ::testing::TestParamInfo<Row>& info) {
    std::string n = std::string(info.param.property) + "_" + port::defect_name(info.param.defect);
    for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    return n;
}

INSTANTIATE_TEST_SUITE_P(Defects, PropertyFails, ::testing::ValuesIn(rows()), row_name);

TEST(PropertyFails, ThisIsTheDefectBuild) { EXPECT_TRUE(port::defects_compiled_in()); }

}  // namespace
}  // namespace gupfuzz::props
