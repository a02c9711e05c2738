// A run with one picture per step (`mmsim run --dot DIR`, `mmsim report`, and
// the explorer's counterexamples): the DOT source of each step's state, with
// what the step changed highlighted, and the --trace lines of that step.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "run/runner.hpp"

namespace mmsim::viz {

struct StepPicture {
  size_t index = 0;                  // position in Scenario::steps
  const Step* step = nullptr;
  std::string result;                // "OK", "SIGSEGV", "x = 0xaa", ...
  std::vector<std::string> changes;  // what the step changed, as --trace prints it
  std::string dot;                   // DOT source (viz/dot.hpp)
};

struct PictureRun {
  RunResult result;
  std::vector<StepPicture> pictures;  // one per step that ran, in order
};

// run_scenario() with a picture of every step. The result is the same as
// run_scenario(sc, profile, policies, opt) gives.
PictureRun run_with_pictures(const Scenario& sc, const std::string& profile,
                             const std::map<std::string, std::string>& policies, RunOptions opt);

// "<scenario>-<profile>-step<NN>" (NN 1-based, at least two digits), with
// characters that do not belong in a file name replaced by '_'.
std::string picture_stem(const std::string& scenario, const std::string& profile, size_t step);

// Write <dir>/<stem>.dot for every picture, and <dir>/<stem>.svg when
// dot_binary is not empty. `scenario_label` replaces the scenario name in the
// file names (callers use it to keep two scenarios of the same name apart).
// False with *error set on the first file that cannot be written or rendered.
bool write_pictures(const std::string& dir, const std::string& scenario_label, const std::string& profile,
                    const std::vector<StepPicture>& pictures, const std::string& dot_binary,
                    std::vector<std::string>* written, std::string* error);

}  // namespace mmsim::viz
