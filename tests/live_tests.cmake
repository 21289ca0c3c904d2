# SPDX-License-Identifier: GPL-2.0-only
# The live comparison's tests (docs/live.md), defined at the end of
# configuration by gupfuzz_wire_kernel612 (top-level CMakeLists.txt): they
# need the 6.12 kernel linked.
function(gupfuzz_live_tests have)
  if(NOT have)
    return()
  endif()
  find_package(GTest REQUIRED)
  include(GoogleTest)
  set(dir ${PROJECT_SOURCE_DIR}/tests)
  add_executable(gupfuzz_live_tests ${dir}/live_test.cpp $<TARGET_OBJECTS:gupfuzz_live>)
  target_link_libraries(gupfuzz_live_tests PRIVATE gupfuzz_core GTest::gtest GTest::gtest_main)
  target_compile_options(gupfuzz_live_tests PRIVATE ${GUPFUZZ_WARN})
  target_include_directories(gupfuzz_live_tests PRIVATE ${PROJECT_SOURCE_DIR})
  target_compile_definitions(gupfuzz_live_tests PRIVATE GUPFUZZ_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  gtest_discover_tests(gupfuzz_live_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "live")
  # Real cells on this host; skipped (77) with the reason when io_uring or O_DIRECT is missing.
  add_test(NAME live.cells COMMAND bash ${dir}/live_cells_test.sh $<TARGET_FILE:gupfuzz> ${PROJECT_SOURCE_DIR})
  set_tests_properties(live.cells PROPERTIES SKIP_RETURN_CODE 77 LABELS "live;cli" TIMEOUT 120)
  # ... and the skip itself: without O_DIRECT (TMPDIR on a tmpfs) live.cells exits 77 with the reason.
  add_test(NAME live.cells_skip_with_reason
           COMMAND bash ${dir}/live_skip_test.sh $<TARGET_FILE:gupfuzz> ${PROJECT_SOURCE_DIR})
  set_tests_properties(live.cells_skip_with_reason PROPERTIES SKIP_RETURN_CODE 77 LABELS "live;cli" TIMEOUT 60)
endfunction()
