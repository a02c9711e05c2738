#include "run/host_diff.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace mmsim::host {

DiffResult diff_bindings(const RunResult& model, const HostResult& host) {
  DiffResult d;
  auto line_of = [&](const std::string& n) {
    auto it = host.bind_line.find(n);
    return it == host.bind_line.end() ? 0 : it->second;
  };
  auto is_pfnish = [](const Value& v) { return v.kind == Value::Kind::Pfn; };
  // Names whose value is a PFN on either side are compared by identity pattern.
  std::vector<std::string> pfn_names, out_names;
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
    const auto cit = host.compare.find(name);
    const Compare cmp = cit == host.compare.end() ? Compare::Exact : cit->second;
    const bool ints = mv.kind == Value::Kind::Int && hv.kind == Value::Kind::Int;
    if (cmp == Compare::GetrandomOutput && ints) {  // random bytes: by their equality pattern
      out_names.push_back(name);
      continue;
    }
    if (cmp == Compare::StateWord && ints) {  // a generation: only seeded (non-zero) or stale (zero)
      if ((mv.i == 0) == (hv.i == 0)) {
        ++d.agree;
      } else {
        ++d.disagree;
        d.disagreements.push_back({line_of(name), name, mv.str(), fmt::format("{} (generation)", hv.str())});
      }
      continue;
    }
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
  auto patterns = [&](const std::vector<std::string>& names) {
  for (const std::string& a : names) {
    std::string m, h;
    for (const std::string& b : names) {
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
  };
  patterns(pfn_names);
  patterns(out_names);
  return d;
}

namespace {

enum class DiffOutcome { Agree, Disagree, Skipped };

DiffOutcome outcome(const DiffResult& d) {
  if (d.disagree) return DiffOutcome::Disagree;
  if (d.agree == 0 && d.skipped > 0) return DiffOutcome::Skipped;
  return DiffOutcome::Agree;
}

// The distinct reasons the host skipped names, "; "-joined.
std::string skip_reasons(const HostResult& h) {
  std::vector<std::string> rs;
  for (auto& [name, why] : h.skipped)
    if (std::find(rs.begin(), rs.end(), why) == rs.end()) rs.push_back(why);
  return fmt::format("{}", fmt::join(rs, "; "));
}

}  // namespace

void DiffTotals::add(const DiffResult& d) {
  agree += d.agree, disagree += d.disagree, skipped += d.skipped;
  switch (outcome(d)) {
    case DiffOutcome::Agree: ++scenarios_agree; break;
    case DiffOutcome::Disagree: ++scenarios_disagree; break;
    case DiffOutcome::Skipped: ++scenarios_skipped; break;
  }
}

double DiffTotals::agreement() const {
  const size_t compared = agree + disagree;
  return compared ? 100.0 * double(agree) / double(compared) : 100.0;
}

nlohmann::json diff_json(const HostResult& host, const DiffResult& d) {
  const DiffOutcome o = outcome(d);
  nlohmann::json j = {{"type", "scenario"},
                      {"file", host.run.scenario->file},
                      {"scenario", host.run.scenario->name},
                      {"profile", host.run.profile},
                      {"status", o == DiffOutcome::Agree ? "agree" : o == DiffOutcome::Disagree ? "disagree" : "skipped"},
                      {"agree", d.agree},
                      {"disagree", d.disagree},
                      {"skipped", d.skipped},
                      {"host_errors", host.run.errors}};
  auto& ds = j["disagreements"] = nlohmann::json::array();
  for (const DiffItem& i : d.disagreements)
    ds.push_back({{"line", i.line}, {"name", i.name}, {"model", i.model}, {"host", i.host}});
  return j;
}

nlohmann::json diff_summary_json(const DiffTotals& t, const std::string& profile, const Features& f, uint64_t seed) {
  return {{"type", "summary"},
          {"profile", profile},
          {"kernel", f.kernel},
          {"features", f.json()},
          {"seed", seed},
          {"scenarios", t.scenarios_agree + t.scenarios_disagree + t.scenarios_skipped},
          {"scenarios_agree", t.scenarios_agree},
          {"scenarios_disagree", t.scenarios_disagree},
          {"scenarios_skipped", t.scenarios_skipped},
          {"agree", t.agree},
          {"disagree", t.disagree},
          {"skipped", t.skipped},
          {"agreement", t.agreement()}};
}

std::string diff_tap(const HostResult& host, const DiffResult& d, size_t number) {
  const DiffOutcome o = outcome(d);
  std::string out = fmt::format("{} {} - {}: {} [model {} vs host] ({} agree, {} disagree, {} skipped)",
                                o == DiffOutcome::Disagree ? "not ok" : "ok", number, host.run.scenario->file,
                                host.run.scenario->name, host.run.profile, d.agree, d.disagree, d.skipped);
  if (o == DiffOutcome::Skipped) out += " # SKIP " + skip_reasons(host);
  out += "\n";
  if (d.disagreements.empty() && host.run.errors.empty()) return out;
  out += "  ---\n";
  if (!d.disagreements.empty()) {
    out += "  disagreements:\n";
    for (const DiffItem& i : d.disagreements)
      out += fmt::format("    - {{line: {}, name: {}, model: {}, host: {}}}\n", i.line, nlohmann::json(i.name).dump(),
                         nlohmann::json(i.model).dump(), nlohmann::json(i.host).dump());
  }
  if (!host.run.errors.empty()) {
    out += "  host_errors:\n";
    for (const std::string& e : host.run.errors) out += fmt::format("    - {}\n", nlohmann::json(e).dump());
  }
  out += "  ...\n";
  return out;
}

}  // namespace mmsim::host
