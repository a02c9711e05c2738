// One Graphviz picture of the model state after a step: processes (mm) →
// VMAs → PTEs → folios, with the other holders of folio references (pins and
// gets, pipe buffers, shmem page caches, the LRU add batch). Everything the
// step changed — compared with the state before it — is highlighted; what it
// removed (a freed folio, a released pin, an unmapped VMA, an exited process)
// is drawn dashed. Names are those of `--trace` (run/trace.hpp).
#pragma once
#include <string>

#include "model/state.hpp"
#include "run/trace.hpp"

namespace mmsim::viz {

// What the picture's caption says.
struct PictureTitle {
  std::string scenario;  // scenario name
  std::string profile;
  size_t step = 0;       // 1-based
  size_t steps = 0;      // steps in the scenario
  int line = 0;          // source line of the step
  std::string text;      // the step as written
  std::string result;    // "OK", "SIGSEGV", "x = 0xaa", ...
};

// The DOT source. Deterministic: the same states and names give the same bytes.
// Every node carries a class: "new", "changed", "gone" or "same" (Graphviz
// copies it into the SVG), so tools and tests can find what a step changed.
std::string state_dot(const State& before, const State& after, const Namer& names, const PictureTitle& title);

}  // namespace mmsim::viz
