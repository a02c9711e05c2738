// From a violating path to a minimal scenario file that `mmsim run` fails.
#include <fmt/format.h>

#include <set>

#include "explore/context.hpp"
#include "run/report.hpp"
#include "run/runner.hpp"
#include "scenario/config.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mmsim::explore {

bool replay_violates(Context& c, const std::vector<Action>& acts, uint32_t inv, size_t* prefix_len, Violation* out) {
  Node n = c.root;
  for (size_t i = 0; i < acts.size(); ++i) {
    Violation v;
    bool valid = false;
    const Outcome o = apply(c.cx, n, acts[i], &v, &valid);
    if (!valid || creation_failed(acts[i], o)) return false;
    if (v.inv) {
      if (v.inv != inv) return false;  // another invariant broke first: a different counterexample
      *prefix_len = i + 1;
      if (out) *out = v;
      return true;
    }
  }
  return false;
}

namespace {

// Step i and every later step that uses a name step i created (a forked
// process and what it does, a pin and its unpin/DMA, a new pipe and its
// reads): dropping a creation drops its uses with it.
std::vector<bool> closure(const std::vector<Action>& acts, size_t i) {
  std::vector<bool> drop(acts.size(), false);
  drop[i] = true;
  std::set<uint16_t> procs, pins, pipes;
  std::set<std::pair<uint16_t, uint16_t>> maps;  // (process, mapping)
  const Action& a = acts[i];
  if (a.op == Op::Fork) procs.insert(a.obj);
  if (a.op == Op::Pin || a.op == Op::Gup) pins.insert(a.obj);
  if (a.op == Op::Vmsplice) pipes.insert(a.obj);
  if (a.op == Op::Mmap) maps.insert({a.proc, a.map});
  bool new_pipe = a.op == Op::Vmsplice;
  for (size_t j = 0; j < i && new_pipe; ++j)
    if (acts[j].op == Op::Vmsplice && acts[j].obj == a.obj) new_pipe = false;
  if (!new_pipe) pipes.clear();
  for (size_t j = i + 1; j < acts.size(); ++j) {
    const Action& b = acts[j];
    bool uses = procs.count(b.proc) || maps.count({b.proc, b.map});
    if (b.op == Op::Unpin || b.op == Op::Put || b.op == Op::DmaRead || b.op == Op::DmaWrite) uses |= pins.count(b.obj) > 0;
    if (b.op == Op::Vmsplice || b.op == Op::PipeRead) uses |= pipes.count(b.obj) > 0;
    if (!uses) continue;
    drop[j] = true;
    if (b.op == Op::Fork) {
      procs.insert(b.obj);
      std::vector<std::pair<uint16_t, uint16_t>> inherited;
      for (auto [p, m] : maps)
        if (p == b.proc) inherited.push_back({b.obj, m});  // the child inherits the mapping's name
      maps.insert(inherited.begin(), inherited.end());
    }
    if (b.op == Op::Pin || b.op == Op::Gup) pins.insert(b.obj);
  }
  return drop;
}

}  // namespace

std::vector<Action> minimise(Context& c, std::vector<Action> acts, uint32_t inv) {
  size_t len = 0;
  if (!replay_violates(c, acts, inv, &len)) return acts;
  acts.resize(len);
  // ddmin (Zeller): try dropping chunks, halving the chunk size down to one
  // step, and start over whenever something could be dropped.
  size_t chunk = std::max<size_t>(1, acts.size() / 2);
  while (!acts.empty()) {
    bool dropped = false;
    for (size_t start = 0; start < acts.size();) {
      std::vector<Action> cand;
      cand.reserve(acts.size());
      for (size_t i = 0; i < acts.size(); ++i)
        if (i < start || i >= start + chunk) cand.push_back(acts[i]);
      if (replay_violates(c, cand, inv, &len)) {
        cand.resize(len);
        acts = std::move(cand);
        dropped = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1 && !dropped) break;
    if (!dropped) chunk = std::max<size_t>(1, chunk / 2);
  }
  // Then each step together with the steps that use what it created.
  for (bool again = true; again;) {
    again = false;
    for (size_t i = acts.size(); i-- > 0;) {
      const std::vector<bool> drop = closure(acts, i);
      std::vector<Action> cand;
      for (size_t j = 0; j < acts.size(); ++j)
        if (!drop[j]) cand.push_back(acts[j]);
      if (cand.size() < acts.size() && replay_violates(c, cand, inv, &len)) {
        cand.resize(len);
        acts = std::move(cand);
        again = true;
        break;
      }
    }
  }
  return acts;
}

std::vector<Action> renumber(const Context& c, std::vector<Action> acts) {
  const Book& rb = c.root.book;
  std::map<uint16_t, uint16_t> procs, pins, pipes;
  uint16_t np = rb.nprocs, nk = rb.npins, nq = rb.npipes;
  auto map_proc = [&](uint16_t& p) {
    if (p == kDevice || p < rb.nprocs) return;
    p = procs.count(p) ? procs[p] : p;
  };
  auto map_pin = [&](uint16_t& k) {
    if (k < rb.npins) return;
    k = pins.count(k) ? pins[k] : k;
  };
  auto map_pipe = [&](uint16_t& q) {
    if (q < rb.npipes) return;
    if (!pipes.count(q)) pipes[q] = nq++;
    q = pipes[q];
  };
  for (Action& a : acts) {
    map_proc(a.proc);
    switch (a.op) {
      case Op::Fork:
        if (a.obj >= rb.nprocs) {
          procs[a.obj] = np++;
          a.obj = procs[a.obj];
        }
        break;
      case Op::Pin: case Op::Gup:
        if (a.obj >= rb.npins) {
          pins[a.obj] = nk++;
          a.obj = pins[a.obj];
        }
        break;
      case Op::Unpin: case Op::Put: case Op::DmaRead: case Op::DmaWrite: map_pin(a.obj); break;
      case Op::Vmsplice: case Op::PipeRead: map_pipe(a.obj); break;
      default: break;
    }
  }
  return acts;
}

namespace {

std::map<std::string, std::string> config_lines(const Config& cfg) {
  const Config def;
  std::map<std::string, std::string> kv;
  if (cfg.memory != def.memory) kv["memory"] = std::to_string(cfg.memory);
  if (cfg.thp != def.thp) kv["thp"] = cfg.thp == 0 ? "never" : cfg.thp == 1 ? "madvise" : "always";
  if (cfg.thp_order != def.thp_order) kv["thp_order"] = std::to_string(cfg.thp_order);
  if (cfg.hugetlb != def.hugetlb) kv["hugetlb"] = std::to_string(cfg.hugetlb);
  if (cfg.soft_dirty != def.soft_dirty) kv["soft_dirty"] = cfg.soft_dirty ? "y" : "n";
  if (cfg.lru_batch != def.lru_batch) kv["lru_batch"] = std::to_string(cfg.lru_batch);
  if (cfg.swap != def.swap) kv["swap"] = std::to_string(cfg.swap);
  if (cfg.use_zero_page != def.use_zero_page) kv["use_zero_page"] = cfg.use_zero_page ? "1" : "0";
  if (cfg.mthp_set) kv["mthp"] = mthp_config_value(cfg);
  return kv;
}

const InvariantInfo& info(uint32_t inv) {
  for (const InvariantInfo& i : invariants())
    if (i.bit == inv) return i;
  return invariants().front();
}

}  // namespace

void write_counterexample(Context& c, const Result& r, Counterexample* cex) {
  const Options& opt = c.opt;
  cex->found_length = uint32_t(cex->actions.size());
  std::vector<Action> acts = renumber(c, minimise(c, cex->actions, cex->invariant));
  size_t len = 0;
  Violation v;
  if (replay_violates(c, acts, cex->invariant, &len, &v)) {
    acts.resize(len);
    cex->message = v.message;
  }
  cex->actions = acts;

  // The steps, with the outcome of each failing one bound (the runner insists).
  std::set<std::string> bound;
  for (const Step& s : c.seed_steps)
    for (const std::string& b : s.binds) bound.insert(b);
  auto fresh = [&](std::string base) {
    while (bound.count(base)) base = "x_" + base;
    bound.insert(base);
    return base;
  };
  Scenario sc;
  sc.name = fmt::format("explore-{}-{}", info(cex->invariant).name, opt.profile);
  sc.doc = fmt::format("found by mmsim explore: {}", info(cex->invariant).summary);
  sc.config = config_lines(c.config);
  sc.steps = c.seed_steps;
  Node n = c.root;
  for (size_t i = 0; i < acts.size(); ++i) {
    Step s = to_step(n, acts[i], c.names);
    Violation sv;
    bool valid = false;
    const Outcome o = apply(c.cx, n, acts[i], &sv, &valid);
    if (!o) s.binds.push_back(fresh(fmt::format("r{}", i + 1)));
    else if (sv.inv == INV_NO_LEAK && (s.op == Op::Read || s.op == Op::PipeRead)) s.binds.push_back(fresh("leaked"));
    sc.steps.push_back(std::move(s));
  }
  const char* binds = info(cex->invariant).binds;
  if (*binds) {
    Expect e;
    e.lhs = binds;
    e.equal = true;
    e.rhs.literal = Value::integer(0);
    e.rhs.text = "0";
    sc.expects.push_back(e);
  }
  const bool need_check = !*info(cex->invariant).binds;  // refcount, gmem-private-unreachable: check_invariants()
  std::string header;
  header += "# A counterexample found by `mmsim explore` (docs/explorer.md).\n";
  header += fmt::format("# command: {}\n", opt.command.empty() ? "mmsim explore" : opt.command);
  header += fmt::format("# profile {} ({}), seed {}, invariants {}\n", opt.profile, policies_string(opt.choices),
                        opt.seed, invariants_string(opt.invariants));
  header += fmt::format("# search: {}, {} states; por {}, symmetry {}, {}{}\n",
                        search_mode(opt), r.states, opt.por ? "on" : "off",
                        opt.symmetry ? "on" : "off", opt.exact ? "exact" : "fingerprint",
                        opt.shards > 1 ? fmt::format(", shard {}/{}", opt.shard, opt.shards) : "");
  header += fmt::format("# violated: {}: {}\n", info(cex->invariant).name, cex->message);
  header += fmt::format("# minimised: {} steps (found with {})\n", acts.size(), cex->found_length);
  // The policies that differ from the profile's own: the replay needs them.
  std::string policy_flags;
  if (const Profile* prof = find_profile(opt.profile))
    for (const auto& [knob, value] : opt.choices)
      if (!prof->choices.count(knob) || prof->choices.at(knob) != value)
        policy_flags += fmt::format(" --policy {}={}", knob, value);
  header += fmt::format("# replay: mmsim run{} --profile {}{} FILE  (exit 1: {})\n", need_check ? " --check" : "",
                        opt.profile, policy_flags,
                        *binds ? fmt::format("'expect {} == 0' fails", binds) : "the --check self-check fails");
  cex->scenario = print_scenario(sc, header);

  // Replay it as `mmsim run` would.
  if (!opt.confirm) {
    cex->confirm_detail = "not replayed (custom policies)";
    return;
  }
  ParseResult pr = parse_scenario(cex->scenario, sc.name + ".mm");
  if (!pr.scenario) {
    cex->confirm_detail = pr.errors.empty() ? "does not parse" : pr.errors.front().str();
    return;
  }
  const RunResult rr = run_scenario(*pr.scenario, opt.profile, opt.choices, RunOptions{need_check, false, CheckSet{}});
  bool why = false;
  if (cex->invariant == INV_NO_LEAK) why = !rr.leaks.empty();
  if (cex->invariant == INV_PIN_COHERENT) why = !rr.lost_coherence.empty();
  if (cex->invariant == INV_NO_STATE_REUSE) why = !rr.state_reuse.empty();
  if (cex->invariant == INV_REFCOUNT)
    for (const std::string& e : rr.errors) why |= e.find("invariant violated") != std::string::npos;
  if (cex->invariant == INV_GMEM_PRIVATE_UNREACHABLE)
    for (const std::string& e : rr.errors)
      why |= e.find("invariant violated") != std::string::npos && e.find("private guest_memfd") != std::string::npos;
  if (cex->invariant == INV_DROPPABLE_NEVER_SWAPPED) why = !rr.swapped_droppable.empty();
  cex->confirmed = !rr.passed && why;
  if (cex->confirmed) {
    cex->confirm_detail = "mmsim run fails it";
  } else {
    cex->confirm_detail = rr.passed ? "mmsim run passes it" : "mmsim run fails it for another reason";
    for (const std::string& e : rr.errors) cex->confirm_detail += "; " + e;
  }
}

}  // namespace mmsim::explore
