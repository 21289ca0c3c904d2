// SPDX-License-Identifier: GPL-2.0-only
//
// The byte form: total decoding, exact round trip, locality of mutations.
#include <random>

#include "core/harness/bytes.h"
#include "core/harness/normalize.h"
#include "tests/test_util.h"

namespace gupfuzz::test {
namespace {

using harness::decode_scenario;
using harness::encode_scenario;

TEST(ScenarioBytes, EveryCorpusScenarioRoundTrips) {
    std::size_t n = 0;
    for (const char* dir : {"corpus/conformance", "corpus/regressions", "corpus/gup_longterm_fuzzer"})
        for (const auto& path : corpus_files(dir)) {
            harness::Scenario s = parse_or_die(read_file(path));
            const auto bytes = encode_scenario(s);
            EXPECT_EQ(decode_scenario(bytes.data(), bytes.size()), s) << path;
            ++n;
        }
    EXPECT_GT(n, 0u);
}

TEST(ScenarioBytes, EveryByteStringDecodesToAValidScenario) {
    std::mt19937_64 rng(7);  // fixed seed
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::uint8_t> b(rng() % 96);
        for (auto& x : b)
            x = static_cast<std::uint8_t>(rng());
        const harness::Scenario s = decode_scenario(b.data(), b.size());
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        // And the decoded scenario survives its own round trip.
        const auto again = encode_scenario(s);
        ASSERT_EQ(decode_scenario(again.data(), again.size()), s) << harness::print_scenario(s);
    }
}

// The generation field: 0x612 in the config varint's bits from 7 up.  Those
// bits were read by no earlier decoder, so any other value (bit 7 alone, as a
// fuzzer easily sets it) still means v4.15 exactly as before.
TEST(ScenarioBytes, GenerationFieldIsExactlyTheMagic) {
    const std::uint8_t bit7[] = {0, 0x80, 0x01, 0};  // cfg 128
    EXPECT_EQ(decode_scenario(bit7, sizeof bit7).kernel, harness::Kernel::v4_15);
    const std::uint8_t near[] = {0, 0x80, 0x92, 0x0d, 0};  // 0x692 above bit 7
    EXPECT_EQ(decode_scenario(near, sizeof near).kernel, harness::Kernel::v4_15);
    // fuzz/gup_longterm_fuzzer.dict's token: pin_user_pages, FOLL_WRITE|FOLL_LONGTERM.
    const std::uint8_t k612[] = {0, 0x80, 0x92, 0x0c, 0x00, 0x00, 0x81, 0x02, 0x01};
    const harness::Scenario s = decode_scenario(k612, sizeof k612);
    EXPECT_EQ(s.kernel, harness::Kernel::v6_12);
    EXPECT_EQ(s.call.entry, k612::Call::pin_user_pages);
    EXPECT_EQ(s.call.gup_flags, k612::foll::WRITE | k612::foll::LONGTERM);
    EXPECT_TRUE(s.config.zone_movable);
    EXPECT_EQ(harness::to_string(harness::validate(s)), "");
    // 0x601: kernel 6.1, with the same config record.
    const std::uint8_t k61[] = {0, 0x80, 0x81, 0x0c, 0x00, 0x00, 0x81, 0x02, 0x01};
    const harness::Scenario s61 = decode_scenario(k61, sizeof k61);
    EXPECT_EQ(s61.kernel, harness::Kernel::v6_1);
    EXPECT_EQ(s61.call.gup_flags, k612::foll::WRITE | k612::foll::LONGTERM);
    EXPECT_EQ(harness::to_string(harness::validate(s61)), "");
}

TEST(ScenarioBytes, Kernel612ByteStringsDecodeToValidScenarios) {
    std::mt19937_64 rng(612);  // fixed seed
    int k612 = 0;
    for (int i = 0; i < 5000; ++i) {
        std::vector<std::uint8_t> b = {0, static_cast<std::uint8_t>(0x80 | (rng() & 0x7f)), 0x92, 0x0c, 0,
                                       static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng() & 0x7f),
                                       static_cast<std::uint8_t>(rng())};
        for (std::size_t n = rng() % 64; n > 0; --n)
            b.push_back(static_cast<std::uint8_t>(rng()));
        const harness::Scenario s = decode_scenario(b.data(), b.size());
        k612 += s.kernel == harness::Kernel::v6_12;  // (a later config record may say otherwise)
        ASSERT_EQ(harness::to_string(harness::validate(s)), "") << harness::print_scenario(s);
        const auto again = encode_scenario(s);
        ASSERT_EQ(decode_scenario(again.data(), again.size()), s) << harness::print_scenario(s);
    }
    EXPECT_GT(k612, 2000);
}

TEST(ScenarioBytes, EmptyInputIsAScenarioToo) {
    const harness::Scenario s = decode_scenario(nullptr, 0);
    EXPECT_EQ(harness::to_string(harness::validate(s)), "");
    EXPECT_EQ(s.call.nr_pages, 1u);
}

TEST(ScenarioBytes, OneByteMutationChangesLittle) {
    harness::Scenario s = parse_or_die(read_file(std::filesystem::path(GUPFUZZ_SOURCE_DIR) /
                                                 "corpus/conformance/anon-then-fsdax.scn"));
    const auto base = encode_scenario(s);
    std::size_t same_shape = 0;
    for (std::size_t i = 0; i < base.size(); ++i) {
        auto m = base;
        m[i] ^= 1;
        const harness::Scenario t = decode_scenario(m.data(), m.size());
        same_shape += t.vmas.size() == s.vmas.size() && t.files.size() == s.files.size();
    }
    // Most single-bit flips keep the layout's shape (they change one field).
    EXPECT_GE(same_shape * 4, base.size() * 3) << same_shape << " of " << base.size();
}

}  // namespace
}  // namespace gupfuzz::test
