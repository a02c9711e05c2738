#include "run/matrix.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace mmsim {

std::string outcome_class(const RunResult& r) {
  if (!r.skipped.empty()) return "skip";
  // One word per check that fired, '+'-joined: leak, stale, reuse, swapped.
  std::string c;
  auto add = [&](bool fired, const char* w) {
    if (fired) c += (c.empty() ? "" : "+") + std::string(w);
  };
  add(!r.leaks.empty(), "leak");
  add(!r.lost_coherence.empty(), "stale");
  add(!r.state_reuse.empty(), "reuse");
  add(!r.swapped_droppable.empty(), "swapped");
  return c.empty() ? "pass" : c;
}

namespace {
// "scenarios/cow/basic.mm" -> "cow/basic": the subject folder and the name.
std::string row_label(const Scenario& sc) {
  std::string f = sc.file;
  if (auto at = f.rfind('/'); at != std::string::npos) {
    auto dir = f.rfind('/', at - 1);
    f = f.substr(dir == std::string::npos ? 0 : dir + 1);
  }
  if (f.ends_with(".mm")) f.resize(f.size() - 3);
  return f;
}
}  // namespace

std::string matrix_text(const std::vector<std::string>& profiles, const std::vector<MatrixRow>& rows) {
  size_t w = 8;
  for (const MatrixRow& r : rows) w = std::max(w, row_label(*r.scenario).size());
  std::string out = fmt::format("{:<{}}", "scenario", w);
  for (const std::string& p : profiles) out += fmt::format("  {:<12}", p);
  out += "\n";
  size_t mismatches = 0;
  for (const MatrixRow& r : rows) {
    out += fmt::format("{:<{}}", row_label(*r.scenario), w);
    for (const MatrixCell& c : r.cells) {
      out += fmt::format("  {:<12}", c.outcome + (c.as_expected ? "" : " !"));
      mismatches += !c.as_expected;
    }
    out += "\n";
  }
  out += "\npass: no leak, every pin coherent; leak: a process read another's later write (no-leak);\n"
         "stale: a device's pinned page is no longer the mapped one (pin-coherent); "
         "!: the scenario's expectations did not hold under this profile\n";
  bool more = false;
  for (const MatrixRow& r : rows)
    for (const MatrixCell& c : r.cells)
      more |= c.outcome == "skip" || c.outcome.find("reuse") != std::string::npos ||
              c.outcome.find("swapped") != std::string::npos;
  // The newer classes are explained only where they occur (older tables stay as they were).
  if (more)
    out += "reuse: a getrandom output was produced twice (no-state-reuse); swapped: a droppable page was "
           "swapped out (droppable-never-swapped); skip: the profile cannot run the scenario\n";
  out += fmt::format("{} cells, {} not as the scenarios expect\n", rows.size() * profiles.size(), mismatches);
  return out;
}

nlohmann::json matrix_json(const std::vector<std::string>& profiles, const std::vector<MatrixRow>& rows) {
  nlohmann::json j;
  j["profiles"] = profiles;
  auto& rs = j["rows"] = nlohmann::json::array();
  for (const MatrixRow& r : rows) {
    nlohmann::json cells = nlohmann::json::object();
    for (size_t i = 0; i < profiles.size(); ++i)
      cells[profiles[i]] = {{"outcome", r.cells[i].outcome}, {"as_expected", r.cells[i].as_expected}};
    rs.push_back({{"scenario", r.scenario->name}, {"file", r.scenario->file}, {"cells", cells}});
  }
  return j;
}

}  // namespace mmsim
