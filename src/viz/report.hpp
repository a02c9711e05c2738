// `mmsim report`: one run (a scenario under a profile) as one self-contained
// HTML page — header (profile, policies, seed, the command that reproduces
// it), the expectations with pass/fail, every step with its result, what it
// changed and its picture inlined as SVG (Graphviz `dot`). Without `dot` the
// page says "skipped: graphviz not installed" and carries the DOT sources.
// The explorer renders its counterexamples with the same function.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "run/runner.hpp"
#include "viz/pictures.hpp"

namespace mmsim::viz {

struct ReportOptions {
  uint64_t seed = 0;
  std::string dot_binary;    // "" = look for `dot` on PATH; else that binary (see find_dot)
  RunOptions run;            // how the run was made (check, checks); used to re-run for pictures
  std::string command;       // how to reproduce it; "" = the `mmsim report` command line for it
  std::string version = "0.1";
};

struct ReportInfo {
  bool svg = false;                   // pictures were rendered by dot
  std::string skipped;                // "skipped: graphviz not installed (...)" when they were not
  std::vector<std::string> problems;  // dot failures of single pictures
};

// The page for `r`, a run of `sc`, with the pictures of that run.
std::string render_report(const Scenario& sc, const RunResult& r, const std::vector<StepPicture>& pictures,
                          const ReportOptions& opt, ReportInfo* info = nullptr);

// The same, re-running sc under r.profile / r.policies with opt.run to draw
// the pictures (the model is deterministic, so they are the pictures of r).
std::string render_report(const Scenario& sc, const RunResult& r, const ReportOptions& opt, ReportInfo* info = nullptr);

// `mmsim report` itself: exit 0 every expectation held, 1 one failed, 2 bad input.
struct ReportArgs {
  std::string profile = "linux-6.18";
  std::vector<std::string> policy_overrides;  // knob=value
  bool check = false;
  std::string checks = "all";
  uint64_t seed = 0;
  std::string out;         // "" = stdout
  std::string dot_binary;  // "" = PATH
  std::string path;        // the scenario file
  std::string version = "0.1";
};
int report_command(const ReportArgs& a);

}  // namespace mmsim::viz
