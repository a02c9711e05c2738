#include "run/report.hpp"

#include <fmt/format.h>

namespace mmsim {
namespace {

const char* status_word(ExpectResult::Status s) {
  switch (s) {
    case ExpectResult::Status::Pass: return "pass";
    case ExpectResult::Status::Fail: return "fail";
    case ExpectResult::Status::NotRun: return "not-run";
    case ExpectResult::Status::Skipped: return "skipped";
  }
  return "?";
}

// One line per problem: failed or unevaluated expectations, then errors.
std::vector<std::string> problems(const RunResult& r) {
  std::vector<std::string> out;
  for (const std::string& e : r.errors) out.push_back(e);
  for (const ExpectResult& e : r.expects) {
    if (e.status == ExpectResult::Status::Pass || e.status == ExpectResult::Status::Skipped) continue;
    if (e.status == ExpectResult::Status::NotRun)
      out.push_back(fmt::format("line {}: {} — not evaluated (the scenario stopped early)", e.expect->loc.line, e.expect->text));
    else
      out.push_back(fmt::format("line {}: {} — {} is {}{}", e.expect->loc.line, e.expect->text, e.expect->lhs,
                                e.actual.str(),
                                e.expect->rhs.is_name ? fmt::format(", {} is {}", e.expect->rhs.name, e.expected.str()) : ""));
  }
  return out;
}

std::string trace_text(const RunResult& r, const char* indent) {
  std::string out;
  for (const StepTrace& t : r.trace) {
    out += fmt::format("{}{:>4}  {:<44} {}\n", indent, t.step->loc.line, t.step->text, t.result);
    for (const std::string& c : t.changes) out += fmt::format("{}        {}\n", indent, c);
  }
  return out;
}

}  // namespace

std::string policies_string(const std::map<std::string, std::string>& policies) {
  std::string s;
  for (auto& [k, v] : policies) s += fmt::format("{}{}={}", s.empty() ? "" : " ", k, v);
  return s;
}

std::string text_report(const RunResult& r, bool with_trace) {
  std::string out = fmt::format("{}  {}  {}  [{}]\n", !r.skipped.empty() ? "SKIP" : r.passed ? "PASS" : "FAIL",
                                r.scenario->file, r.scenario->name, r.profile);
  if (with_trace) {
    out += trace_text(r, "    ");
    for (const std::string& e : r.leaks) out += fmt::format("      check no-leak: {}\n", e);
    for (const std::string& e : r.lost_coherence) out += fmt::format("      check pin-coherent: {}\n", e);
    for (const std::string& e : r.state_reuse) out += fmt::format("      check no-state-reuse: {}\n", e);
    for (const std::string& e : r.swapped_droppable) out += fmt::format("      check droppable-never-swapped: {}\n", e);
  }
  if (!r.skipped.empty()) return out + fmt::format("      skipped: {}\n", r.skipped);
  for (const std::string& p : problems(r)) out += fmt::format("      {}\n", p);
  return out;
}

nlohmann::json json_report(const RunResult& r, uint64_t seed) {
  nlohmann::json j;
  j["scenario"] = r.scenario->name;
  j["file"] = r.scenario->file;
  j["profile"] = r.profile;
  j["policies"] = r.policies;
  j["seed"] = seed;
  j["status"] = !r.skipped.empty() ? "skipped" : r.passed ? "pass" : "fail";
  if (!r.skipped.empty()) j["reason"] = r.skipped;
  j["state_hash"] = fmt::format("{:016x}", r.state_hash);
  j["errors"] = r.errors;
  j["checks"] = {{"no-leak", r.leaks},
                 {"pin-coherent", r.lost_coherence},
                 {"no-state-reuse", r.state_reuse},
                 {"droppable-never-swapped", r.swapped_droppable}};
  auto& ex = j["expectations"] = nlohmann::json::array();
  for (const ExpectResult& e : r.expects) {
    ex.push_back({{"line", e.expect->loc.line},
                  {"text", e.expect->text},
                  {"name", e.expect->lhs},
                  {"op", e.expect->equal ? "==" : "!="},
                  {"expected", e.status == ExpectResult::Status::NotRun || e.status == ExpectResult::Status::Skipped ? "" : e.expected.str()},
                  {"actual", e.status == ExpectResult::Status::NotRun || e.status == ExpectResult::Status::Skipped ? "" : e.actual.str()},
                  {"status", status_word(e.status)}});
  }
  if (!r.trace.empty()) {
    auto& tr = j["trace"] = nlohmann::json::array();
    for (const StepTrace& t : r.trace)
      tr.push_back({{"line", t.step->loc.line}, {"step", t.step->text}, {"result", t.result}, {"changes", t.changes}});
  }
  return j;
}

std::string tap_report(const RunResult& r, size_t number, bool with_trace) {
  std::string out = fmt::format("{} {} - {}: {} [{}]{}\n", r.passed || !r.skipped.empty() ? "ok" : "not ok", number,
                                r.scenario->file, r.scenario->name, r.profile,
                                r.skipped.empty() ? "" : " # SKIP " + r.skipped);
  auto ps = problems(r);
  if (!ps.empty() || with_trace) {
    out += "  ---\n";
    if (!ps.empty()) {
      out += "  problems:\n";
      for (const std::string& p : ps) out += fmt::format("    - {}\n", nlohmann::json(p).dump());
    }
    if (with_trace) {
      out += "  trace: |\n";
      out += trace_text(r, "    ");
    }
    out += "  ...\n";
  }
  return out;
}

}  // namespace mmsim
