// `mmsim matrix`: every scenario under every profile, one cell per pair, as
// cow.c would judge it: pass, leak, stale (a pin lost coherence), reuse (a
// getrandom state reused), swapped (a droppable page swapped), '+'-joined when
// several fired, or skip (the profile cannot run it, e.g. MAP_DROPPABLE before
// 6.11) — plus whether the scenario's own expectations held for that profile.
#pragma once
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/runner.hpp"

namespace mmsim {

struct MatrixCell {
  std::string outcome;  // "pass", "leak", "stale", "leak+stale", "reuse", "swapped", ..., "skip"
  bool as_expected = true;  // the scenario's expectations held (run passed, or skipped)
};

struct MatrixRow {
  const Scenario* scenario = nullptr;
  std::vector<MatrixCell> cells;  // one per profile, in profile order
};

std::string outcome_class(const RunResult& r);
std::string matrix_text(const std::vector<std::string>& profiles, const std::vector<MatrixRow>& rows);
nlohmann::json matrix_json(const std::vector<std::string>& profiles, const std::vector<MatrixRow>& rows);

}  // namespace mmsim
