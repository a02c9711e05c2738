// `mmsim diff`: the model and the host run the same scenario; every name both
// bound is compared (PFNs by their equality pattern, other values directly).
#pragma once
#include <map>
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

}  // namespace mmsim::host
