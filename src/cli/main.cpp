// mmsim: an executable model of Linux anonymous memory (COW, GUP, fork).
// Exit codes: 0 all good, 1 an expectation or invariant failed, 2 bad input.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include "policy/profile.hpp"
#include "run/host_diff.hpp"
#include "run/host_runner.hpp"
#include "run/checks.hpp"
#include "run/matrix.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "explore/explore.hpp"
#include "scenario/parser.hpp"
#include "viz/graphviz.hpp"
#include "viz/pictures.hpp"
#include "viz/report.hpp"

namespace fs = std::filesystem;
using namespace mmsim;

namespace {

constexpr std::string_view kVersion = "0.1";

// Expand FILE|DIR arguments into a sorted list of .mm files.
bool collect(const std::vector<std::string>& args, std::vector<std::string>* files) {
  bool ok = true;
  for (const std::string& a : args) {
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      std::vector<std::string> found;
      for (auto& e : fs::recursive_directory_iterator(a, ec))
        if (e.is_regular_file() && e.path().extension() == ".mm") found.push_back(e.path().string());
      if (found.empty()) {
        fmt::print(stderr, "mmsim: {}: no scenario files (*.mm) in this directory\n", a);
        ok = false;
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else if (fs::is_regular_file(a, ec)) {
      files->push_back(a);
    } else {
      fmt::print(stderr, "mmsim: {}: no such file or directory\n", a);
      ok = false;
    }
  }
  return ok;
}

// Parse every file first: any bad input means nothing runs (exit 2).
bool load_all(const std::vector<std::string>& paths, std::vector<Scenario>* scenarios) {
  std::vector<std::string> files;
  if (!collect(paths, &files)) return false;
  bool bad = false;
  for (const std::string& f : files) {
    ParseResult pr = load_scenario(f);
    for (const Diagnostic& d : pr.errors) fmt::print(stderr, "{}\n", d.str());
    if (pr.scenario)
      scenarios->push_back(std::move(*pr.scenario));
    else
      bad = true;
  }
  if (bad) fmt::print(stderr, "mmsim: bad input, nothing was run\n");
  return !bad;
}

int cmd_matrix(const std::vector<std::string>& paths, bool json, bool check) {
  std::vector<Scenario> scenarios;
  if (!load_all(paths, &scenarios)) return 2;
  std::vector<std::string> names;
  for (const Profile& p : profiles()) names.push_back(p.name);
  std::vector<MatrixRow> rows;
  bool all = true;
  for (const Scenario& sc : scenarios) {
    MatrixRow row{&sc, {}};
    for (const Profile& p : profiles()) {
      const RunResult r = run_scenario(sc, p.name, p.choices, RunOptions{check, false, CheckSet{}});
      row.cells.push_back({outcome_class(r), r.passed || !r.skipped.empty()});
      all &= r.passed || !r.skipped.empty();
    }
    rows.push_back(std::move(row));
  }
  if (json)
    fmt::print("{}\n", matrix_json(names, rows).dump(1));
  else
    fmt::print("# mmsim {} matrix: every profile, checks all, check {}\n{}", kVersion, check ? "on" : "off",
               matrix_text(names, rows));
  return all ? 0 : 1;
}

int cmd_profiles() {
  for (const Profile& p : profiles()) {
    fmt::print("{}{}\n    {}\n", p.name, p.name == kDefaultProfile ? " (default)" : "", p.summary);
    for (auto& [knob, pol] : p.choices) fmt::print("    {}={}: {}\n", knob, pol, find_policy(knob, pol)->summary());
  }
  fmt::print("\nknobs (override one with --policy knob=value):\n");
  for (const Knob& k : knobs()) {
    fmt::print("  {}: {}\n", k.name, k.summary);
    for (const Policy* p : k.policies) fmt::print("    {}: {}\n", p->name(), p->summary());
  }
  return 0;
}

struct RunArgs {
  std::string profile{kDefaultProfile};
  bool all_profiles = false;
  std::vector<std::string> policy_overrides;
  bool check = false, trace = false, json = false, tap = false;
  uint64_t seed = 0;
  std::string checks = "all";
  std::vector<std::string> paths;
  bool host = false;
  uint64_t host_step_delay_ms = 0;
  bool allow_system_changes = false;  // run --host: a temporary swapfile for `config swap=N`
  std::string dot_dir;  // --dot: one picture per step into this directory
};

// `run --host`: the scenarios on this machine's kernel (docs/host.md).
// Text by default; --json: one object per scenario per line; --tap: TAP 13.
int cmd_run_host(const RunArgs& a, const std::string& profile, const std::map<std::string, std::string>& choices) {
  std::vector<Scenario> scenarios;
  if (!load_all(a.paths, &scenarios)) return 2;
  host::install_host_safety();
  const host::Features f = host::detect_features();
  const std::string header = fmt::format("# mmsim {} run --host: {}; expectations of profile {} ({}), seed {}", kVersion,
                                         f.str(), profile, policies_string(choices), a.seed);
  if (a.tap)
    fmt::print("TAP version 13\n{}\n1..{}\n", header, scenarios.size());
  else if (!a.json)
    fmt::print("{}\n", header);
  std::fflush(stdout);
  host::HostOptions opt;
  opt.step_delay_ms = a.host_step_delay_ms;
  opt.allow_system_changes = a.allow_system_changes;
  size_t passed = 0, failed = 0, skipped = 0;          // expectations
  size_t sc_pass = 0, sc_fail = 0, sc_skip = 0, n = 0;  // scenarios (TAP test points)
  for (const Scenario& sc : scenarios) {
    host::HostResult r = host::run_host_scenario(sc, profile, choices, f, opt);
    for (const ExpectResult& e : r.run.expects) {
      if (e.status == ExpectResult::Status::Pass) ++passed;
      else if (e.status == ExpectResult::Status::Skipped) ++skipped;
      else ++failed;
    }
    if (!r.run.errors.empty()) failed += 1;
    switch (host::host_outcome(r)) {
      case host::HostOutcome::Pass: ++sc_pass; break;
      case host::HostOutcome::Fail: ++sc_fail; break;
      case host::HostOutcome::Skip: ++sc_skip; break;
    }
    if (a.json)
      fmt::print("{}\n", host::host_json_report(r, f, a.seed).dump());
    else if (a.tap)
      fmt::print("{}", host::host_tap_report(r, ++n));
    else
      fmt::print("{}", host::host_text_report(r));
    std::fflush(stdout);
  }
  if (a.tap)
    fmt::print("# {} passed, {} failed, {} skipped (expectations)\n"
               "# Totals: pass:{} fail:{} xfail:0 xpass:0 skip:{} error:0\n",
               passed, failed, skipped, sc_pass, sc_fail, sc_skip);
  else if (!a.json)
    fmt::print("{} passed, {} failed, {} skipped (expectations)\n", passed, failed, skipped);
  return failed || sc_fail ? 1 : 0;
}

// `diff`: model and host on the same scenarios, observable by observable.
int cmd_diff(const std::vector<std::string>& paths, const std::string& profile_name, uint64_t seed, bool json,
             bool tap, bool allow_system_changes) {
  const Profile* p = find_profile(profile_name);
  if (!p) {
    fmt::print(stderr, "mmsim: unknown profile '{}'\n", profile_name);
    return 2;
  }
  std::vector<Scenario> scenarios;
  if (!load_all(paths, &scenarios)) return 2;
  host::install_host_safety();
  const host::Features f = host::detect_features();
  const std::string header = fmt::format("# mmsim {} diff: model profile {} ({}) vs host: {}; seed {}", kVersion,
                                         p->name, policies_string(p->choices), f.str(), seed);
  if (tap)
    fmt::print("TAP version 13\n{}\n1..{}\n", header, scenarios.size());
  else if (!json)
    fmt::print("{}\n", header);
  std::fflush(stdout);
  host::DiffTotals t;
  size_t n = 0;
  for (const Scenario& sc : scenarios) {
    const RunResult m = run_scenario(sc, p->name, p->choices, RunOptions{});
    host::HostOptions hopt;
    hopt.allow_system_changes = allow_system_changes;
    const host::HostResult h = host::run_host_scenario(sc, p->name, p->choices, f, hopt);
    const host::DiffResult d = host::diff_bindings(m, h);
    t.add(d);
    if (json) {
      fmt::print("{}\n", host::diff_json(h, d).dump());
    } else if (tap) {
      fmt::print("{}", host::diff_tap(h, d, ++n));
    } else {
      fmt::print("{}  {}  ({} agree, {} disagree, {} skipped)\n", d.disagree ? "DISAGREE" : "agree", sc.file, d.agree,
                 d.disagree, d.skipped);
      for (const std::string& e : h.run.errors) fmt::print("      host: {}\n", e);
      for (const host::DiffItem& i : d.disagreements)
        fmt::print("      line {}: {}: model {}, host {}\n", i.line, i.name, i.model, i.host);
    }
    std::fflush(stdout);
  }
  const std::string figure = fmt::format("{} observables agree, {} disagree, {} skipped ({:.1f}% agreement)", t.agree,
                                         t.disagree, t.skipped, t.agreement());
  if (json)
    fmt::print("{}\n", host::diff_summary_json(t, p->name, f, seed).dump());
  else if (tap)
    fmt::print("# {}\n# Totals: pass:{} fail:{} xfail:0 xpass:0 skip:{} error:0\n", figure, t.scenarios_agree,
               t.scenarios_disagree, t.scenarios_skipped);
  else
    fmt::print("{}\n", figure);
  return t.disagree ? 1 : 0;
}

int cmd_run(const RunArgs& a) {
  // Which (profile, policies) to run.
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> configs;
  std::vector<const Profile*> chosen;
  if (a.all_profiles) {
    for (const Profile& p : profiles()) chosen.push_back(&p);
  } else {
    const Profile* p = find_profile(a.profile);
    if (!p) {
      std::vector<std::string> names;
      for (const Profile& q : profiles()) names.push_back(q.name);
      fmt::print(stderr, "mmsim: unknown profile '{}' (known profiles: {})\n", a.profile, fmt::join(names, ", "));
      return 2;
    }
    chosen.push_back(p);
  }
  for (const Profile* p : chosen) {
    auto choices = p->choices;
    for (const std::string& o : a.policy_overrides) {
      auto eq = o.find('=');
      if (eq == std::string::npos) {
        fmt::print(stderr, "mmsim: --policy {}: expected knob=value (e.g. cow=anon-exclusive)\n", o);
        return 2;
      }
      choices[o.substr(0, eq)] = o.substr(eq + 1);
    }
    std::string err;
    if (!make_policy_set(choices, &err)) {
      fmt::print(stderr, "mmsim: --policy: {}\n", err);
      return 2;
    }
    configs.emplace_back(p->name, choices);
  }

  CheckSet checks;
  if (std::string err; !parse_checks(a.checks, &checks, &err)) {
    fmt::print(stderr, "mmsim: --checks: {}\n", err);
    return 2;
  }
  std::vector<Scenario> scenarios;
  if (!load_all(a.paths, &scenarios)) return 2;

  // What it takes to reproduce this run.
  if (a.host) {
    if (a.all_profiles || a.trace || a.check || !a.dot_dir.empty()) {
      fmt::print(stderr, "mmsim: --host takes none of --all-profiles, --trace, --check, --dot yet\n");
      return 2;
    }
    return cmd_run_host(a, configs[0].first, configs[0].second);
  }
  std::vector<std::string> header;
  for (auto& [name, choices] : configs)
    header.push_back(fmt::format("# mmsim {} run: profile {} ({}), seed {}, check {}, checks {}", kVersion, name,
                                 policies_string(choices), a.seed, a.check ? "on" : "off", a.checks));
  if (a.tap) {
    fmt::print("TAP version 13\n");
    for (auto& h : header) fmt::print("{}\n", h);
    fmt::print("1..{}\n", scenarios.size() * configs.size());
  } else if (!a.json) {
    for (auto& h : header) fmt::print("{}\n", h);
  }

  RunOptions opt{a.check, a.trace, checks};
  // --dot: SVG too when graphviz is installed; two scenarios of one name get "name.2", ...
  std::string dot_bin;
  std::map<std::string, int> dot_names;
  if (!a.dot_dir.empty()) {
    if (auto d = viz::find_dot()) dot_bin = *d;
    else fmt::print(stderr, "mmsim: --dot: {} (no 'dot' on PATH): writing .dot files only\n", viz::kGraphvizMissing);
  }
  size_t passed = 0, failed = 0, skipped = 0, n = 0;
  for (const Scenario& sc : scenarios) {
    const int seen = dot_names[sc.name]++;
    const std::string dot_label = seen ? fmt::format("{}.{}", sc.name, seen + 1) : sc.name;
    for (auto& [name, choices] : configs) {
      RunResult r;
      if (a.dot_dir.empty()) {
        r = run_scenario(sc, name, choices, opt);
      } else {
        viz::PictureRun pr = viz::run_with_pictures(sc, name, choices, opt);
        if (std::string err; !viz::write_pictures(a.dot_dir, dot_label, name, pr.pictures, dot_bin, nullptr, &err)) {
          fmt::print(stderr, "mmsim: --dot: {}\n", err);
          return 2;
        }
        r = std::move(pr.result);
      }
      (!r.skipped.empty() ? skipped : r.passed ? passed : failed) += 1;
      if (a.json)
        fmt::print("{}\n", json_report(r, a.seed).dump());
      else if (a.tap)
        fmt::print("{}", tap_report(r, ++n, a.trace));
      else
        fmt::print("{}", text_report(r, a.trace));
    }
  }
  if (a.tap)
    fmt::print("# Totals: pass:{} fail:{} xfail:0 xpass:0 skip:{} error:0\n", passed, failed, skipped);
  else if (!a.json)
    fmt::print("{} passed, {} failed{}\n", passed, failed, skipped ? fmt::format(", {} skipped", skipped) : "");
  return failed ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  // `mmsim explore` parses its own options (src/explore/cli.cpp).
  if (argc > 1 && std::string_view(argv[1]) == "explore") return explore::explore_main(argc - 1, argv + 1);
  CLI::App app{"mmsim: an executable model of Linux anonymous memory (COW, GUP pins, fork)"};
  app.set_version_flag("--version", std::string(kVersion));
  app.require_subcommand(1);

  RunArgs ra;
  CLI::App* run = app.add_subcommand("run", "run scenario files (*.mm) on the model and check their expectations");
  auto* prof = run->add_option("--profile", ra.profile, "profile to run (default linux-6.18; see 'mmsim profiles')");
  run->add_flag("--all-profiles", ra.all_profiles, "run every profile")->excludes(prof);
  run->add_option("--policy", ra.policy_overrides, "override one policy of the profile: knob=value (repeatable)")
      ->allow_extra_args(false);
  run->add_flag("--check", ra.check, "recompute all counters after every step and fail on a mismatch");
  run->add_flag("--trace", ra.trace, "show what every step changed (PTEs, folios, pins, pipes)");
  auto* json = run->add_flag("--json", ra.json, "one JSON object per (scenario, profile), one per line");
  run->add_flag("--tap", ra.tap, "TAP 13 output (kselftest-compatible)")->excludes(json);
  run->add_option("--seed", ra.seed, "seed (echoed; the model itself is deterministic)");
  run->add_option("--checks", ra.checks,
                  "run-wide checks: no-leak, pin-coherent, no-state-reuse, droppable-never-swapped, all (default) or none, comma-separated");
  run->add_flag("--host", ra.host, "run the scenarios on this machine's kernel (real processes; docs/host.md)");
  run->add_option("--host-step-delay-ms", ra.host_step_delay_ms, "sleep between host steps (for tests)")->group("");
  run->add_flag("--allow-system-changes", ra.allow_system_changes,
                "--host: give `config swap=N` scenarios a temporary swapfile (swapon/swapoff; docs/host.md)");
  run->add_option("--dot", ra.dot_dir, "write one Graphviz picture per step into DIR (.dot, and .svg with graphviz)");
  run->add_option("paths", ra.paths, "scenario files or directories")->required();

  std::vector<std::string> matrix_paths;
  bool matrix_json_out = false, matrix_check = false;
  CLI::App* matrix = app.add_subcommand("matrix", "run every scenario under every profile and print the outcome table");
  matrix->add_flag("--json", matrix_json_out, "the table as JSON");
  matrix->add_flag("--check", matrix_check, "recompute all counters after every step");
  matrix->add_option("paths", matrix_paths, "scenario files or directories")->required();

  std::vector<std::string> diff_paths;
  std::string diff_profile{kDefaultProfile};
  uint64_t diff_seed = 0;
  CLI::App* diff = app.add_subcommand("diff", "run every scenario on the model and on this machine's kernel and compare");
  diff->add_option("--profile", diff_profile, "model profile to compare with (default linux-6.18)");
  diff->add_option("--seed", diff_seed, "seed (echoed)");
  bool diff_json_out = false, diff_tap_out = false;
  auto* diff_json_flag = diff->add_flag("--json", diff_json_out, "one JSON object per scenario, then a summary object");
  diff->add_flag("--tap", diff_tap_out, "TAP 13 output (not ok where anything disagrees)")->excludes(diff_json_flag);
  bool diff_allow_system = false;
  diff->add_flag("--allow-system-changes", diff_allow_system,
                 "give `config swap=N` scenarios a temporary swapfile (swapon/swapoff; docs/host.md)");
  diff->add_option("paths", diff_paths, "scenario files or directories")->required();

  viz::ReportArgs rep;
  rep.version = std::string(kVersion);
  CLI::App* report = app.add_subcommand("report", "one run (a scenario under a profile) as a self-contained HTML page");
  report->add_option("--profile", rep.profile, "profile to run (default linux-6.18)");
  report->add_option("--policy", rep.policy_overrides, "override one policy of the profile: knob=value (repeatable)")
      ->allow_extra_args(false);
  report->add_flag("--check", rep.check, "recompute all counters after every step");
  report->add_option("--checks", rep.checks, "run-wide checks: no-leak, pin-coherent, no-state-reuse, droppable-never-swapped, all (default) or none");
  report->add_option("--seed", rep.seed, "seed (echoed)");
  report->add_option("--out", rep.out, "write the page to this file (default: stdout)");
  report->add_option("--dot-binary", rep.dot_binary, "the graphviz dot to run (default: dot on PATH)");
  report->add_option("path", rep.path, "scenario file (*.mm)")->required();

  app.add_subcommand("profiles", "list profiles and their policy choices");
  app.add_subcommand("explore", "search op sequences for leaks and lost pin coherence (mmsim explore --help)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (run->parsed()) return cmd_run(ra);
  if (report->parsed()) return viz::report_command(rep);
  if (diff->parsed())
    return cmd_diff(diff_paths, diff_profile, diff_seed, diff_json_out, diff_tap_out, diff_allow_system);
  if (matrix->parsed()) return cmd_matrix(matrix_paths, matrix_json_out, matrix_check);
  return cmd_profiles();
}
