// SPDX-License-Identifier: GPL-2.0-only
#include "props/laws.h"

#include <cstdlib>

#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "core/harness/session.h"

namespace gupfuzz::props {

using namespace gupfuzz::harness;

namespace {

GenOptions base() { return GenOptions{}; }

Scenario draw(const GenOptions& o) {
    const Scenario s = *gen_scenario(o);
    const std::string why = to_string(validate(s));
    if (!why.empty())
        RC_FAIL("the generator produced an invalid scenario (" + why + "):\n" + print_scenario(s));
    return s;
}

Scenario draw612(const GenOptions& o) {
    if (!kernel_available(o.kernel))
        RC_FAIL(kernel_unavailable_reason(o.kernel));
    const Scenario s = *gen_scenario612(o);
    const std::string why = to_string(validate(s));
    if (!why.empty())
        RC_FAIL("the 6.12 generator produced an invalid scenario (" + why + "):\n" + print_scenario(s));
    RC_ASSERT(s.kernel == o.kernel);
    return s;
}

void tag612(const Scenario& s, const Verdict& v) {
    RC_TAG(rc_class(s, v));
    RC_CLASSIFY(s.config.zone_movable && v.rc > 0, "pinned after migrating out of ZONE_MOVABLE");
    RC_CLASSIFY(v.rc == -EOPNOTSUPP, "-EOPNOTSUPP (fsdax refused)");
}

void tag(const Scenario& s, const Verdict& v) {
    RC_TAG(rc_class(s, v));
    RC_CLASSIFY(fsdax_in_prefix(s, v), "fsdax in pinned prefix");
}

}  // namespace

std::string failure_text(const std::string& what, const Scenario& s, const Verdict& v) {
    return what + "\n\n--- scenario (save as corpus/regressions/NAME.scn; replay: gupfuzz run FILE) ---\n" +
           print_scenario(s) + "--- report ---\n" + v.report(s);
}

GenOptions options_for(Property p) {
    GenOptions o = base();
    switch (p) {
    case Property::P2_einval_pure:
        o.pages_null_per_mille = 500;
        o.fs_dax_n_percent = 0;
        break;
    case Property::P3_kcalloc:
        o.kcalloc_fail_per_mille = 300;
        o.pages_null_per_mille = 0;
        o.fs_dax_n_percent = 0;
        break;
    case Property::P4_no_leak_on_error:
    case Property::P7_fsdax_rule:
        o.fsdax_weight = 12;
        o.fs_dax_n_percent = 0;
        break;
    case Property::P16_alias:
        o.fs_dax_n_percent = 100;
        break;
    case Property::P17_signedness:
        o.stub_per_mille = 400;
        o.pages_null_per_mille = 0;
        o.fs_dax_n_percent = 0;
        break;
    default:
        break;
    }
    return o;
}

void law(Property p) {
    const Scenario s = draw(options_for(p));
    const Verdict v = execute(s);
    tag(s, v);
    for (const Failure& f : v.failures)
        if (f.property == p && f.known_issue.empty())
            RC_FAIL(failure_text(std::string(property_id(p)) + " (" + property_name(p) + ") failed: " + f.message, s, v));
}

void all_oracles() {
    const Scenario s = draw(base());
    const Verdict v = execute(s);
    tag(s, v);
    RC_CLASSIFY(!v.passed() && v.passed_ignoring_known(), "known v4.15 behaviour");
    if (!v.passed_ignoring_known())
        RC_FAIL(failure_text("oracle failure: " + v.summary_line(), s, v));
}

void alias_equals_get_user_pages() {
    GenOptions o = base();
    o.fs_dax_n_percent = 100;
    const Scenario s = draw(o);
    RC_ASSERT(!s.config.fs_dax);
    const Verdict v = execute(s);
    tag(s, v);
    RC_CLASSIFY(!s.call.pages, "pages == NULL");
    for (const Failure& f : v.failures)
        if (f.property == Property::P16_alias)
            RC_FAIL(failure_text("P16 (FS_DAX=n alias equals get_user_pages) failed: " + f.message, s, v));
}

namespace {
// The bodies shared by both generations' properties.
void determinism_of(const Scenario& s) {
    const Verdict a = execute(s);
    const Verdict b = execute(s);
    RC_TAG(rc_class(s, a));
    const std::string ra = a.report(s), rb = b.report(s);
    if (ra != rb)
        RC_FAIL("the same scenario gave two different reports:\n--- first ---\n" + ra + "--- second ---\n" + rb +
                "--- scenario ---\n" + print_scenario(s));
    long rc1 = 0, rc2 = 0;
    const std::string s1 = run_and_describe(s, &rc1), s2 = run_and_describe(s, &rc2);
    if (s1 != s2)
        RC_FAIL("the same scenario left two different final mm states:\n--- first ---\n" + s1 + "--- second ---\n" +
                s2 + "--- scenario ---\n" + print_scenario(s));
    if (!a.crashed && rc1 != a.rc)
        RC_FAIL(failure_text("a Session running the scenario's call returned " + errno_name(rc1) +
                                 ", execute() returned " + errno_name(a.rc) + "\n--- session final state ---\n" + s1,
                             s, a));
}

void text_round_trip_of(const Scenario& s) {
    const std::string text = print_scenario(s);
    ParseError err;
    const auto back = parse_scenario(text, &err);
    if (!back)
        RC_FAIL("print_scenario wrote text parse_scenario rejects (" + err.to_string() + "):\n" + text);
    if (!(*back == s))
        RC_FAIL("parse(print(s)) != s; print(parse(print(s))):\n" + print_scenario(*back) + "print(s):\n" + text);
    RC_ASSERT(print_scenario(*back) == text);
}

void bytes_round_trip_of(const Scenario& s) {
    const std::vector<std::uint8_t> bytes = encode_scenario(s);
    const Scenario back = decode_scenario(bytes.data(), bytes.size());
    if (!(back == s))
        RC_FAIL("decode(encode(s)) != s; decoded:\n" + print_scenario(back) + "original:\n" + print_scenario(s));
    RC_ASSERT(validate(back).empty());
}
}  // namespace

namespace {
Scenario draw_interleaved() {
    const Scenario s = *gen_interleaved_scenario(base());
    const std::string why = to_string(validate(s));
    if (!why.empty())
        RC_FAIL("the interleaving generator produced an invalid scenario (" + why + "):\n" + print_scenario(s));
    return s;
}
}  // namespace

void interleaved_oracles() {
    const Scenario s = draw_interleaved();
    const Verdict v = execute(s);
    tag(s, v);
    std::size_t ran = 0;
    for (const auto& r : v.trace.interleaved)
        ran += r.ran;
    RC_CLASSIFY(ran == 0, "no interleaved operation ran");
    RC_CLASSIFY(ran > 0, "interleaved operations ran");
    if (!v.passed_ignoring_known())
        RC_FAIL(failure_text("oracle failure under interleaving: " + v.summary_line(), s, v));
}

void interleaved_determinism_and_round_trips() {
    const Scenario s = draw_interleaved();
    text_round_trip_of(s);
    bytes_round_trip_of(s);
    const Verdict a = execute(s), b = execute(s);
    if (a.report(s) != b.report(s))
        RC_FAIL("the same interleaved scenario gave two different reports:\n" + a.report(s) + "---\n" + b.report(s));
}

void determinism() { determinism_of(draw(base())); }
void text_round_trip() { text_round_trip_of(draw(base())); }
void bytes_round_trip() { bytes_round_trip_of(draw(base())); }

const char* law612_name(Law612 l) {
    switch (l) {
    case Law612::no_leak: return "no leak (R3: pin counters balance, every ledger back to its entry value)";
    case Law612::exact_pins: return "exact pins (R4: bias / _pincount, zero page never pinned; P6 correspondence)";
    case Law612::sanity: return "refcount sanity (P11)";
    case Law612::termination: return "termination (P12)";
    }
    return "?";
}

static GenOptions of(Kernel k) {
    GenOptions o;
    o.kernel = k;
    return o;
}

void law612(Law612 l, Kernel k) {
    const Scenario s = draw612(of(k));
    const Verdict v = execute(s);
    tag612(s, v);
    auto in_law = [l](Property p) {
        switch (l) {
        case Law612::no_leak: return p == Property::R3_pin_balance;
        case Law612::exact_pins: return p == Property::R4_exact_pins || p == Property::P6_correspondence;
        case Law612::sanity: return p == Property::P11_refcount_sanity;
        case Law612::termination: return p == Property::P12_termination;
        }
        return false;
    };
    for (const Failure& f : v.failures)
        if (in_law(f.property) && f.known_issue.empty())
            RC_FAIL(failure_text(std::string(law612_name(l)) + " failed: " + property_id(f.property) + ": " + f.message,
                                 s, v));
}

void all_oracles612(Kernel k) {
    const Scenario s = draw612(of(k));
    const Verdict v = execute(s);
    tag612(s, v);
    RC_CLASSIFY(!v.passed() && v.passed_ignoring_known(), std::string("known ") + kernel_name(k) + " behaviour");
    if (!v.passed_ignoring_known())
        RC_FAIL(failure_text("oracle failure: " + v.summary_line(), s, v));
}

void determinism612(Kernel k) { determinism_of(draw612(of(k))); }
void text_round_trip612(Kernel k) { text_round_trip_of(draw612(of(k))); }
void bytes_round_trip612(Kernel k) { bytes_round_trip_of(draw612(of(k))); }

}  // namespace gupfuzz::props
