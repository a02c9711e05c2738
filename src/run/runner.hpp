// Runs a parsed scenario on the model under one profile (plus policy
// overrides) and evaluates its expectations.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "run/checks.hpp"
#include "scenario/ast.hpp"

namespace mmsim {

struct State;
struct Namer;

// One step as it ran, for observers of a run (the pictures of src/viz).
struct StepView {
  size_t index;               // position in Scenario::steps
  const Step& step;
  const std::string& result;  // as in StepTrace
  const State& before;
  const State& after;
  const Namer& names;         // scenario names, as --trace uses them
};

struct RunOptions {
  bool check = false;  // recompute all counters after every step (check_invariants)
  bool trace = false;  // record what every step changed
  CheckSet checks;     // named run-wide checks (no-leak, pin-coherent, no-state-reuse, droppable-never-swapped)
  std::function<void(const StepView&)> on_step;  // if set: called after every step that ran
};

struct ExpectResult {
  const Expect* expect = nullptr;
  enum class Status { Pass, Fail, NotRun, Skipped } status = Status::NotRun;  // Skipped: its check is off
  Value actual;    // value of the left-hand name
  Value expected;  // value of the right-hand side
};

struct StepTrace {
  const Step* step = nullptr;
  std::string result;               // "OK", "SIGSEGV", "x = 0xaa", ...
  std::vector<std::string> changes; // what changed in the state
};

struct RunResult {
  const Scenario* scenario = nullptr;
  std::string profile;
  std::map<std::string, std::string> policies;  // knob -> policy in force
  bool passed = false;
  // Non-empty: the scenario cannot run under this profile (e.g. MAP_DROPPABLE
  // before 6.11) and was skipped: neither passed nor failed.
  std::string skipped;
  std::vector<ExpectResult> expects;  // the expectations active under this profile
  std::vector<std::string> errors;    // unexpected op failures, invariant violations, unexpected check events
  std::vector<std::string> leaks;     // no-leak events (expected or not)
  std::vector<std::string> lost_coherence;  // pin-coherent events (expected or not)
  std::vector<std::string> state_reuse;     // no-state-reuse events (expected or not)
  std::vector<std::string> swapped_droppable;  // droppable-never-swapped events (expected or not)
  std::vector<StepTrace> trace;
  uint64_t state_hash = 0;            // hash of the final model state
  std::map<std::string, Value> bindings;  // every name the steps bound (for `mmsim diff`)
};

// Expectations that apply under (profile, policies): a qualified expectation
// on a name overrides the unqualified ones on the same name.
std::vector<const Expect*> active_expectations(const Scenario& sc, const std::string& profile,
                                               const std::map<std::string, std::string>& policies);

RunResult run_scenario(const Scenario& sc, const std::string& profile,
                       const std::map<std::string, std::string>& policies, const RunOptions& opt);

}  // namespace mmsim
