// The scenario printer (used by the explorer for counterexamples) knows every
// KVM / guest_memfd step: each file of scenarios/guest_memfd/ printed and
// parsed again prints the same text, and runs to the same bindings.
#include <gtest/gtest.h>

#include <filesystem>

#include "policy/profile.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mmsim {
namespace {

TEST(GmemPrinter, CorpusRoundTrips) {
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(MMSIM_SOURCE_DIR) + "/scenarios/guest_memfd")) {
    if (e.path().extension() != ".mm") continue;
    ++files;
    const ParseResult a = load_scenario(e.path().string());
    ASSERT_TRUE(a.scenario.has_value()) << e.path();
    const std::string text = print_scenario(*a.scenario);
    const ParseResult b = parse_scenario(text, e.path().filename().string());
    ASSERT_TRUE(b.scenario.has_value()) << e.path() << ":\n" << (b.errors.empty() ? "" : b.errors[0].str()) << "\n" << text;
    EXPECT_EQ(print_scenario(*b.scenario), text) << e.path();
    const RunResult ra = run_scenario(*a.scenario, "linux-6.18", find_profile("linux-6.18")->choices, RunOptions{});
    const RunResult rb = run_scenario(*b.scenario, "linux-6.18", find_profile("linux-6.18")->choices, RunOptions{});
    EXPECT_EQ(ra.passed, rb.passed) << e.path();
    EXPECT_EQ(ra.state_hash, rb.state_hash) << e.path();
  }
  EXPECT_GE(files, 37);  // S01-S36 but S04, and the two workloads
}

}  // namespace
}  // namespace mmsim
