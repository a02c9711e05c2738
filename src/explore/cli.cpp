// `mmsim explore`: options, output (text or JSON), --merge of shard results.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "explore/explore.hpp"
#include "policy/profile.hpp"
#include "run/report.hpp"
#include "scenario/parser.hpp"
#include "viz/graphviz.hpp"
#include "viz/report.hpp"

namespace mmsim::explore {
namespace {

std::string ops_string(const std::vector<const OpEntry*>& ops) {
  std::vector<std::string> v;
  for (const OpEntry* e : ops) v.push_back(e->name);
  return fmt::format("{}", fmt::join(v, ","));
}

// The search's identity: shards of one search must agree on it.
nlohmann::json search_json(const Options& opt) {
  return {{"profile", opt.profile},
          {"policies", opt.choices},
          {"ops", ops_string(opt.ops)},
          {"procs", opt.bounds.procs},
          {"pages", opt.bounds.pages},
          {"pins", opt.bounds.pins},
          {"pipes", opt.bounds.pipes},
          {"depth", opt.depth},
          {"invariants", invariants_string(opt.invariants)},
          {"seed", opt.seed},
          {"mode", opt.random_walk ? (opt.swarm ? "swarm" : "random-walk") : opt.dfs ? "dfs" : "bfs"},
          {"por", opt.por},
          {"symmetry", opt.symmetry},
          {"visited", opt.exact ? "exact" : "fingerprint"},
          {"seed_scenario", opt.seed_scenario ? opt.seed_scenario->file : ""},
          {"config", opt.config_overrides}};
}

bool parse_budget(const std::string& s, Options* opt, std::string* err) {
  if (s.empty()) return true;
  try {
    size_t used = 0;
    if (s.back() == 's' || s.back() == 'm') {
      const double v = std::stod(s.substr(0, s.size() - 1), &used);
      if (used != s.size() - 1 || v <= 0) throw std::invalid_argument(s);
      opt->budget_seconds = s.back() == 'm' ? v * 60 : v;
    } else {
      const unsigned long long v = std::stoull(s, &used);
      if (used != s.size() || v == 0) throw std::invalid_argument(s);
      opt->budget_states = v;
    }
  } catch (const std::exception&) {
    *err = fmt::format("--budget {}: expected a time (60s, 5m) or a number of states (5000000)", s);
    return false;
  }
  return true;
}

std::string summary_text(const Options& opt, const Result& r) {
  std::string s = fmt::format(
      "{}: {} states, {} transitions ({} pruned by POR), depth {} of {}, {:.2f} s, {:.2f} M states/s, "
      "visited set {:.1f} B/state, peak RSS {} MB\n",
      r.violation ? "VIOLATION" : r.complete ? "no violation within the bound" : "no violation found (search incomplete)",
      r.states, r.transitions, r.pruned_por, r.depth_reached, opt.depth, r.seconds,
      r.seconds > 0 ? double(r.states) / r.seconds / 1e6 : 0.0, r.states ? double(r.visited_bytes) / double(r.states) : 0.0,
      r.peak_rss >> 20);
  if (!r.symmetry_off.empty()) s += fmt::format("  symmetry reduction off: {}\n", r.symmetry_off);
  if (r.violation)
    s += fmt::format("  {}: {} ({} steps, found with {}; {})\n", invariants_string(r.cex.invariant), r.cex.message,
                     r.cex.actions.size(), r.cex.found_length, r.cex.confirm_detail);
  return s;
}

int merge_main(const std::vector<std::string>& files, const std::string& out, bool json) {
  if (files.empty()) {
    fmt::print(stderr, "mmsim explore --merge: no result files\n");
    return 2;
  }
  nlohmann::json first_search;
  uint64_t states = 0, transitions = 0;
  uint32_t depth = 0, shards = 0;
  double seconds = 0;
  bool complete = true;
  std::set<uint32_t> seen;
  nlohmann::json best;
  for (const std::string& f : files) {
    std::ifstream in(f);
    if (!in) {
      fmt::print(stderr, "mmsim explore --merge: {}: cannot open\n", f);
      return 2;
    }
    nlohmann::json j;
    try {
      in >> j;
    } catch (const std::exception& e) {
      fmt::print(stderr, "mmsim explore --merge: {}: not a JSON result of 'mmsim explore --json' ({})\n", f, e.what());
      return 2;
    }
    if (!j.contains("search") || !j.contains("shard") || !j.contains("states")) {
      fmt::print(stderr, "mmsim explore --merge: {}: not a JSON result of 'mmsim explore --json'\n", f);
      return 2;
    }
    if (first_search.is_null()) {
      first_search = j["search"];
      shards = j["shard"]["of"].get<uint32_t>();
    } else if (j["search"] != first_search || j["shard"]["of"].get<uint32_t>() != shards) {
      fmt::print(stderr, "mmsim explore --merge: {}: a different search (options differ from {})\n", f, files[0]);
      return 2;
    }
    const uint32_t idx = j["shard"]["index"].get<uint32_t>();
    if (!seen.insert(idx).second) {
      fmt::print(stderr, "mmsim explore --merge: {}: shard {}/{} given twice\n", f, idx, shards);
      return 2;
    }
    states += j["states"].get<uint64_t>();
    transitions += j["transitions"].get<uint64_t>();
    depth = std::max(depth, j["depth_reached"].get<uint32_t>());
    seconds = std::max(seconds, j["seconds"].get<double>());
    complete &= j["complete"].get<bool>();
    if (!j["violation"].is_null()) {
      const auto& v = j["violation"];
      auto key = [](const nlohmann::json& x) {
        return std::pair(x["steps"].get<size_t>(), x["scenario"].get<std::string>());
      };
      if (best.is_null() || key(v) < key(best)) best = v;
    }
  }
  const bool all = seen.size() == shards;
  complete &= all;
  nlohmann::json m = {{"search", first_search},
                      {"shards", shards},
                      {"shards_merged", seen.size()},
                      {"states", states},
                      {"transitions", transitions},
                      {"depth_reached", depth},
                      {"seconds_max", seconds},
                      {"complete", complete && best.is_null()},
                      {"violation", best}};
  if (!best.is_null() && !out.empty()) {
    std::ofstream o(out);
    o << best["scenario"].get<std::string>();
  }
  if (json) {
    fmt::print("{}\n", m.dump());
  } else {
    fmt::print("# mmsim explore --merge: {} of {} shards\n", seen.size(), shards);
    if (!all) fmt::print("warning: shards missing: the merged search is incomplete\n");
    fmt::print("{}: {} states (summed over shards), {} transitions, depth {}, slowest shard {:.2f} s\n",
               !best.is_null() ? "VIOLATION" : complete ? "no violation within the bound" : "no violation found (incomplete)",
               states, transitions, depth, seconds);
    if (!best.is_null())
      fmt::print("  {}: {} ({} steps){}\n", best["invariant"].get<std::string>(), best["message"].get<std::string>(),
                 best["steps"].get<size_t>(), out.empty() ? "" : ", written to " + out);
  }
  return best.is_null() ? 0 : 1;
}

// --report FILE.html / --dot DIR: the counterexample as `mmsim report` and
// `mmsim run --dot` draw it (the written scenario, replayed under the same
// profile and policies, with --check when its invariant is a self-check).
bool write_pictures_of(const Options& opt, const Result& r, const std::string& report, const std::string& dot_dir,
                       std::string* error) {
  ParseResult pr = parse_scenario(r.cex.scenario, "counterexample.mm");
  if (!pr.scenario) {
    *error = "the counterexample does not parse: " + (pr.errors.empty() ? std::string("?") : pr.errors.front().str());
    return false;
  }
  const Scenario& sc = *pr.scenario;
  RunOptions ro;
  ro.check = r.cex.scenario.find("# replay: mmsim run --check") != std::string::npos;
  const viz::PictureRun run = viz::run_with_pictures(sc, opt.profile, opt.choices, ro);
  std::optional<std::string> dot = viz::find_dot();
  if (!dot) fmt::print(stderr, "mmsim explore: {} (no 'dot' on PATH): pictures as DOT source only\n", viz::kGraphvizMissing);
  if (!report.empty()) {
    viz::ReportOptions ropt;
    ropt.seed = opt.seed;
    ropt.run = ro;
    ropt.command = opt.command.empty() ? "mmsim explore" : opt.command;  // reproduces the search, the file and this page
    viz::ReportInfo info;
    const std::string page = viz::render_report(sc, run.result, run.pictures, ropt, &info);
    std::ofstream f(report, std::ios::binary | std::ios::trunc);
    f << page;
    f.close();
    if (!f) {
      *error = fmt::format("--report {}: cannot write", report);
      return false;
    }
    for (const std::string& e : info.problems) fmt::print(stderr, "mmsim explore: picture failed: {}\n", e);
  }
  if (!dot_dir.empty()) {
    std::vector<std::string> written;
    if (!viz::write_pictures(dot_dir, sc.name, opt.profile, run.pictures, dot ? *dot : "", &written, error)) {
      *error = "--dot: " + *error;
      return false;
    }
  }
  return true;
}

}  // namespace

nlohmann::json result_json(const Options& opt, const Result& r) {
  nlohmann::json j = {{"search", search_json(opt)},
                      {"shard", {{"index", opt.shard}, {"of", opt.shards}}},
                      {"states", r.states},
                      {"transitions", r.transitions},
                      {"pruned_por", r.pruned_por},
                      {"depth_reached", r.depth_reached},
                      {"complete", r.complete},
                      {"seconds", r.seconds},
                      {"states_per_second", r.seconds > 0 ? double(r.states) / r.seconds : 0.0},
                      {"visited_bytes", r.visited_bytes},
                      {"bytes_per_state", r.states ? double(r.visited_bytes) / double(r.states) : 0.0},
                      {"peak_rss", r.peak_rss},
                      {"symmetry", opt.symmetry && r.symmetry_off.empty()},
                      {"symmetry_off", r.symmetry_off.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.symmetry_off)},
                      {"violation", nullptr}};
  if (r.violation)
    j["violation"] = {{"invariant", invariants_string(r.cex.invariant)},
                      {"message", r.cex.message},
                      {"steps", r.cex.actions.size()},
                      {"found_steps", r.cex.found_length},
                      {"confirmed", r.cex.confirmed},
                      {"confirm_detail", r.cex.confirm_detail},
                      {"scenario", r.cex.scenario}};
  return j;
}

int explore_main(int argc, char** argv) {
  CLI::App app{"mmsim explore: search op sequences for invariant violations (docs/explorer.md)", "mmsim explore"};
  std::string profile{kDefaultProfile}, ops_list = default_ops(), inv_list = "all", shard, budget, out, seed_file;
  std::string report, dot_dir;
  std::vector<std::string> policy_overrides, merge_files, config_kv;
  Options opt;
  bool json = false, no_por = false, no_sym = false, fingerprint = false, exact = false, quiet = false;
  app.add_option("--profile", profile, "profile to explore (default linux-6.18; see 'mmsim profiles')");
  app.add_option("--policy", policy_overrides, "override one policy of the profile: knob=value (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--config", config_kv, "machine config key=value (memory, swap, thp, thp_order, lru_batch, ...)");
  app.add_option("--ops", ops_list, "comma-separated alphabet (default: " + std::string(default_ops()) + ")");
  app.add_option("--procs", opt.bounds.procs, fmt::format("processes in all, P0 included, 1-{} (default 3)", kMaxProcs));
  app.add_option("--pages", opt.bounds.pages, "pages per mapping, 1-8 (default 1)");
  app.add_option("--pins", opt.bounds.pins, fmt::format("pins/gups taken at most, 0-{} (default 4)", kMaxPins));
  app.add_option("--pipes", opt.bounds.pipes, fmt::format("pipes created at most, 0-{} (default 1)", kMaxPipes));
  app.add_option("--depth", opt.depth, "steps per sequence at most (default 8)");
  app.add_option("--invariants", inv_list,
                 "no-leak, pin-coherent, refcount, droppable-never-swapped, no-state-reuse, gmem-private-unreachable, all (default) "
                 "or none");
  app.add_option("--seed", opt.seed, "random-walk seed (echoed in every output)");
  app.add_option("--shard", shard, "i/N: explore the i-th of N deterministic parts (0-based)");
  app.add_option("--budget", budget, "stop after a time (60s, 5m) or a number of states (5000000)");
  app.add_option("--out", out, "write the minimised counterexample (.mm) here");
  app.add_option("--report", report, "on a violation, write the counterexample as one HTML page (as mmsim report)");
  app.add_option("--dot", dot_dir, "on a violation, write one Graphviz picture per counterexample step into DIR");
  app.add_flag("--json", json, "print the result as one JSON object (what --merge reads)");
  app.add_flag("--random-walk", opt.random_walk, "random walks instead of breadth-first search");
  app.add_flag("--swarm", opt.swarm, "random walk: each walk keeps a random half of the ops (swarm testing)");
  app.add_flag("--dfs", opt.dfs, "depth-first search (fingerprint mode, no shards): no layers in memory");
  app.add_flag("--no-por", no_por, "turn partial-order reduction off");
  app.add_flag("--no-symmetry", no_sym, "turn symmetry reduction (process and page renaming) off");
  auto* fp = app.add_flag("--fingerprint", fingerprint, "visited set of 64-bit fingerprints (default)");
  app.add_flag("--exact", exact, "visited set of whole canonical states")->excludes(fp);
  app.add_flag("--quiet", quiet, "no progress lines on stderr");
  app.add_option("--merge", merge_files, "combine the --json results of shards")->expected(1, -1);
  app.add_option("seed_scenario", seed_file, "start from this scenario's final state");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (!merge_files.empty()) return merge_main(merge_files, out, json);

  auto bad = [](const std::string& msg) {
    fmt::print(stderr, "mmsim explore: {}\n", msg);
    return 2;
  };
  const Profile* p = find_profile(profile);
  if (!p) {
    std::vector<std::string> names;
    for (const Profile& q : profiles()) names.push_back(q.name);
    return bad(fmt::format("unknown profile '{}' (known profiles: {})", profile, fmt::join(names, ", ")));
  }
  opt.profile = p->name;
  opt.choices = p->choices;
  for (const std::string& o : policy_overrides) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) return bad(fmt::format("--policy {}: expected knob=value", o));
    opt.choices[o.substr(0, eq)] = o.substr(eq + 1);
  }
  for (const std::string& o : config_kv) {
    const auto eq = o.find('=');
    if (eq == std::string::npos) return bad(fmt::format("--config {}: expected key=value", o));
    opt.config_overrides[o.substr(0, eq)] = o.substr(eq + 1);
  }
  std::string err;
  auto ps = make_policy_set(opt.choices, &err);
  if (!ps) return bad("--policy: " + err);
  opt.ps = *ps;
  if (!parse_ops(ops_list, &opt.ops, &err)) return bad("--ops: " + err);
  if (!parse_invariants(inv_list, &opt.invariants, &err)) return bad("--invariants: " + err);
  if (!shard.empty()) {
    unsigned i = 0, n = 0;
    char slash = 0;
    std::istringstream ss(shard);
    if (!(ss >> i >> slash >> n) || slash != '/' || !ss.eof() || n == 0 || i >= n)
      return bad(fmt::format("--shard {}: expected i/N with 0 <= i < N (e.g. 0/4)", shard));
    opt.shard = i;
    opt.shards = n;
  }
  if (!parse_budget(budget, &opt, &err)) return bad(err);
  if (opt.depth == 0 || opt.depth > 64) return bad("--depth must be between 1 and 64");
  opt.por = !no_por;
  opt.symmetry = !no_sym;
  opt.exact = exact;
  opt.progress = !quiet && !json;
  std::optional<Scenario> seed_sc;
  if (!seed_file.empty()) {
    ParseResult pr = load_scenario(seed_file);
    for (const Diagnostic& d : pr.errors) fmt::print(stderr, "{}\n", d.str());
    if (!pr.scenario) return bad("bad seed scenario, nothing was explored");
    seed_sc = std::move(pr.scenario);
    opt.seed_scenario = &*seed_sc;
  }
  std::vector<std::string> words;
  for (int i = 0; i < argc; ++i) words.push_back(i == 0 ? "mmsim explore" : argv[i]);
  opt.command = fmt::format("{}", fmt::join(words, " "));

  const Result r = run_explore(opt);
  if (!r.error.empty()) return bad(r.error);
  if (r.violation && !out.empty()) {
    std::ofstream o(out);
    if (!(o << r.cex.scenario)) return bad(fmt::format("--out {}: cannot write", out));
  }
  if (r.violation && (!report.empty() || !dot_dir.empty())) {
    if (!opt.confirm) {
      fmt::print(stderr, "mmsim explore: --report/--dot: custom policies cannot be replayed by mmsim run\n");
    } else if (std::string perr; !write_pictures_of(opt, r, report, dot_dir, &perr)) {
      return bad(perr);
    }
  }
  if (json) {
    fmt::print("{}\n", result_json(opt, r).dump());
  } else {
    fmt::print("# mmsim explore: profile {} ({}), seed {}, ops {}, procs {}, pages {}, depth {}, invariants {}{}\n",
               opt.profile, policies_string(opt.choices), opt.seed, ops_string(opt.ops), opt.bounds.procs,
               opt.bounds.pages, opt.depth, invariants_string(opt.invariants),
               opt.shards > 1 ? fmt::format(", shard {}/{}", opt.shard, opt.shards) : "");
    fmt::print("{}", summary_text(opt, r));
    if (r.violation) {
      if (!out.empty()) {
        std::string flags;  // the replay needs the --policy overrides, and --check for a self-check
        if (r.cex.scenario.find("# replay: mmsim run --check") != std::string::npos) flags += " --check";
        for (const auto& [knob, value] : opt.choices)
          if (!p->choices.count(knob) || p->choices.at(knob) != value) flags += fmt::format(" --policy {}={}", knob, value);
        fmt::print("  counterexample written to {} (replay: mmsim run{} --profile {} {})\n", out, flags, opt.profile, out);
      }
      if (!report.empty()) fmt::print("  report written to {}\n", report);
      if (!dot_dir.empty()) fmt::print("  pictures written to {}/\n", dot_dir);
      if (out.empty())
        fmt::print("\n{}", r.cex.scenario);
    }
  }
  return r.violation ? 1 : 0;
}

}  // namespace mmsim::explore
