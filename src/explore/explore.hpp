// mmsim explore: bounded search over op sequences for invariant violations.
// docs/explorer.md describes the search, the reductions and the output.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explore/alphabet.hpp"
#include "explore/exec.hpp"

namespace mmsim::explore {

struct Options {
  std::string profile{"linux-6.18"};
  std::map<std::string, std::string> choices;  // the profile's policies (+ overrides)
  PolicySet ps;
  bool confirm = true;  // replay the counterexample with `mmsim run` semantics (needs a real profile)
  std::vector<const OpEntry*> ops;
  Bounds bounds;
  uint32_t depth = 8;
  uint32_t invariants = INV_NO_LEAK | INV_PIN_COHERENT | INV_REFCOUNT;
  uint64_t seed = 0;
  uint32_t shard = 0, shards = 1;
  double budget_seconds = 0;   // 0: none
  uint64_t budget_states = 0;  // 0: none
  bool random_walk = false;
  bool swarm = false;          // random walk: each walk uses a random part of the alphabet (swarm testing)
  bool dfs = false;            // depth-first search (fingerprint mode, no shards)
  bool por = true, symmetry = true, exact = false;
  bool progress = false;       // progress lines on stderr
  // Leave the count of pins taken out of a state's identity where it cannot
  // bind before the depth bound does (Identity::pin_bound). Off only to check
  // that rule against (tests).
  bool pin_horizon = true;
  const Scenario* seed_scenario = nullptr;
  std::optional<Config> config;  // default: chosen from the bounds
  std::map<std::string, std::string> config_overrides;  // --config key=value, applied last
  std::string command;         // echoed in the counterexample's header
  // Called for every new state the search keeps (tests: shard coverage);
  // depth-first calls it again when it meets a state on a shorter path.
  std::function<void(uint64_t fingerprint, uint32_t depth, const Node& state)> on_state;
};

struct Counterexample {
  uint32_t invariant = 0;
  std::string message;
  std::vector<Action> actions;  // after the seed's steps, minimised
  uint32_t found_length = 0;    // before minimisation
  std::string scenario;         // the .mm text
  bool confirmed = false;       // `mmsim run` fails it the same way
  std::string confirm_detail;
};

struct Result {
  std::string error;            // bad input: nothing searched
  bool violation = false;
  bool complete = false;        // every state within the bound was visited
  uint64_t states = 0;          // distinct states kept
  uint64_t transitions = 0;     // actions executed
  uint64_t pruned_por = 0;      // actions skipped by partial-order reduction
  uint32_t depth_reached = 0;
  double seconds = 0;
  uint64_t visited_bytes = 0;   // memory of the visited set
  uint64_t peak_rss = 0;
  Counterexample cex;
  Config config;
  std::string symmetry_off;     // non-empty: symmetry reduction was asked for but turned off, and why
};

// "breadth-first", "depth-first" or "random walk" (headers, JSON).
inline const char* search_mode(const Options& o) {
  return o.random_walk ? (o.swarm ? "swarm random walk" : "random walk") : o.dfs ? "depth-first" : "breadth-first";
}

// The root node (P0, then the seed's steps) and the config used.
Result run_explore(const Options& opt);

// The JSON summary `--json` prints and `--merge` reads.
nlohmann::json result_json(const Options& opt, const Result& r);

// `mmsim explore ...` (argv[0] == "explore"). Exit 0/1/2.
int explore_main(int argc, char** argv);

}  // namespace mmsim::explore
