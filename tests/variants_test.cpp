// SPDX-License-Identifier: GPL-2.0-only
//
// The entry table of the default build (gupfuzz_core, what the CLI, the
// fuzzers and the tests of the correct port link): every configuration a
// scenario can select has its variant, and no variant carries a defect.
#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>

#include "core/gup/entry.h"

namespace gupfuzz::test {
namespace {

using port::Defect;

TEST(Variants, DefaultBuildHasNoDefects) {
    EXPECT_FALSE(port::defects_compiled_in());
    ASSERT_FALSE(port::entries().empty());
    for (const port::GupEntry* e : port::entries())
        EXPECT_EQ(e->key.defect, Defect::none) << e->ns << " is a defect variant in the default build";
    for (int d = 1; d < static_cast<int>(Defect::COUNT); ++d) {
        EXPECT_FALSE(port::set_active_defect(static_cast<Defect>(d)))
            << "the default build accepted defect " << port::defect_name(static_cast<Defect>(d));
        EXPECT_EQ(port::active_defect(), Defect::none);
    }
}

TEST(Variants, EveryScenarioConfigurationHasItsVariant) {
    for (int bits = 0; bits < 16; ++bits) {
        kernel::KernelConfig c;
        c.fs_dax = bits & 1;
        c.pmd_loop_fix = bits & 2;
        c.fsdax_ischr_fix = bits & 4;
        const bool stub = bits & 8;
        const port::GupEntry& e = port::entry_for(c, stub);
        port::VariantKey want;
        want.fs_dax = c.fs_dax;
        want.pmd_loop_fix = c.pmd_loop_fix;
        want.fsdax_ischr_fix = c.fsdax_ischr_fix;
        want.gup_stub = stub;
        EXPECT_TRUE(e.key == port::canonical(want)) << port::variant_name(want) << " ran as " << e.ns;
        EXPECT_STREQ(e.key.generation, "v4.15");
        EXPECT_NE(e.get_user_pages_longterm, nullptr);
        EXPECT_NE(e.get_user_pages, nullptr);
        EXPECT_NE(e.put_page, nullptr);
    }
}

TEST(Variants, EachVariantIsItsOwnCode) {
    std::set<std::string> names;
    std::set<const void*> longterm;
    for (const port::GupEntry* e : port::entries()) {
        EXPECT_TRUE(names.insert(e->ns).second) << e->ns << " twice";
        EXPECT_TRUE(longterm.insert(reinterpret_cast<const void*>(e->get_user_pages_longterm)).second)
            << e->ns << " shares get_user_pages_longterm with another variant";
        EXPECT_TRUE(port::canonical(e->key) == e->key) << e->ns << " is not a canonical variant";
    }
}

}  // namespace
}  // namespace gupfuzz::test
