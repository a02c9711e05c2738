#include "run/host_diff.hpp"

#include <fmt/format.h>

namespace mmsim::host {

DiffResult diff_bindings(const RunResult& model, const HostResult& host) {
  DiffResult d;
  auto line_of = [&](const std::string& n) {
    auto it = host.bind_line.find(n);
    return it == host.bind_line.end() ? 0 : it->second;
  };
  auto is_pfnish = [](const Value& v) { return v.kind == Value::Kind::Pfn; };
  // Names whose value is a PFN on either side are compared by identity pattern.
  std::vector<std::string> pfn_names;
  for (auto& [name, mv] : model.bindings) {
    if (host.skipped.count(name)) {
      ++d.skipped;
      continue;
    }
    auto hit = host.run.bindings.find(name);
    if (hit == host.run.bindings.end()) {
      ++d.disagree;
      d.disagreements.push_back({line_of(name), name, mv.str(), "not bound (the host run stopped)"});
      continue;
    }
    const Value& hv = hit->second;
    if (is_pfnish(mv) || is_pfnish(hv)) {
      if (mv.kind != hv.kind) {  // a page on one side, none (or an outcome) on the other
        ++d.disagree;
        d.disagreements.push_back({line_of(name), name, mv.str(), hv.str()});
      } else {
        pfn_names.push_back(name);
      }
      continue;
    }
    if (values_equal(mv, hv)) {
      ++d.agree;
    } else {
      ++d.disagree;
      d.disagreements.push_back({line_of(name), name, mv.str(), hv.str()});
    }
  }
  for (const std::string& a : pfn_names) {
    std::string m, h;
    for (const std::string& b : pfn_names) {
      if (a == b) continue;
      const bool meq = model.bindings.at(a).i == model.bindings.at(b).i;
      const bool heq = host.run.bindings.at(a).i == host.run.bindings.at(b).i;
      if (meq == heq) continue;
      m += fmt::format("{}{} {} {}", m.empty() ? "" : ", ", a, meq ? "==" : "!=", b);
      h += fmt::format("{}{} {} {}", h.empty() ? "" : ", ", a, heq ? "==" : "!=", b);
    }
    if (m.empty()) {
      ++d.agree;
    } else {
      ++d.disagree;
      d.disagreements.push_back({line_of(a), a, m, h});
    }
  }
  return d;
}

}  // namespace mmsim::host
