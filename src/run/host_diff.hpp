// `mmsim diff`: the model and the host run the same scenario; every name both
// bound is compared (PFNs by their equality pattern, other values directly).
#pragma once
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run/host_runner.hpp"

namespace mmsim::host {

struct DiffItem {
  int line = 0;
  std::string name;
  std::string model, host;  // what each side saw (for PFNs: the relation that differs)
};

struct DiffResult {
  size_t agree = 0, disagree = 0, skipped = 0;
  std::vector<DiffItem> disagreements;
};

DiffResult diff_bindings(const RunResult& model, const HostResult& host);

// `diff --json`: one object per scenario ("type": "scenario": file, scenario,
// profile, status agree|disagree|skipped, agree/disagree/skipped counts,
// host_errors, disagreements [{line, name, model, host}]) ...
nlohmann::json diff_json(const HostResult& host, const DiffResult& d);
// ... and one final "type": "summary" object with the totals and the agreement figure.
struct DiffTotals {
  size_t agree = 0, disagree = 0, skipped = 0;
  size_t scenarios_agree = 0, scenarios_disagree = 0, scenarios_skipped = 0;
  void add(const DiffResult& d);
  double agreement() const;  // percent of compared observables (100 when none)
};
nlohmann::json diff_summary_json(const DiffTotals& t, const std::string& profile, const Features& f, uint64_t seed);
// `diff --tap`: ok / not ok (anything disagrees) / ok # SKIP (everything skipped),
// the disagreements and host errors in the YAML block.
std::string diff_tap(const HostResult& host, const DiffResult& d, size_t number);

}  // namespace mmsim::host
