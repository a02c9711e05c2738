// What one search shares between its parts (search.cpp, counterexample.cpp).
#pragma once
#include <string>
#include <vector>

#include "explore/canon.hpp"
#include "explore/explore.hpp"

namespace mmsim::explore {

struct Context {
  const Options& opt;
  Names names;
  ExecContext cx;
  AlphabetNames an;
  Config config;
  Node root;                    // P0 plus the seed's steps
  std::vector<Step> seed_steps; // as written in the seed (printed first)
  uint32_t slack = 0;           // free frames below which allocation is a shared resource (POR)
  bool lru = false;             // reclaim is in the alphabet: LRU order matters
  Identity id;                  // what the visited set forgets (run_explore())

  explicit Context(const Options& o) : opt(o), root(Config{}) {}
};

// Builds the root; false + message (bad input) if the seed cannot be driven.
bool make_root(Context& c, std::string* error);

// Replays actions from the root: true if they are all valid and the
// invariant `inv` breaks; *prefix_len is the number of actions up to it.
bool replay_violates(Context& c, const std::vector<Action>& acts, uint32_t inv, size_t* prefix_len,
                     Violation* v = nullptr);
// Delta debugging: drop every action (and chunk of actions) not needed for
// the violation.
std::vector<Action> minimise(Context& c, std::vector<Action> acts, uint32_t inv);
// Renumbers processes, pins and pipes created by the actions in order of creation.
std::vector<Action> renumber(const Context& c, std::vector<Action> acts);
// The counterexample's .mm text, and its replay with the scenario runner.
void write_counterexample(Context& c, const Result& r, Counterexample* cex);

// An action that creates a name (mmap, fork, pin, gup) and fails would leave
// a scenario referring to something that does not exist: not a step to take.
inline bool creation_failed(const Action& a, const Outcome& o) {
  return !o && (a.op == Op::Mmap || a.op == Op::Fork || a.op == Op::Pin || a.op == Op::Gup);
}

}  // namespace mmsim::explore
