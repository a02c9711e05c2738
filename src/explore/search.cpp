// Breadth-first search with state deduplication, partial-order and symmetry
// reduction, deterministic sharding; and the random-walk mode.
#include <fmt/format.h>

#include <cassert>
#include <chrono>
#include <cstdio>
#include <malloc.h>
#include <random>
#include <unistd.h>

#include "explore/canon.hpp"
#include "explore/context.hpp"
#include "explore/visited.hpp"
#include "scenario/config.hpp"
#include "scenario/printer.hpp"

namespace mmsim::explore {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t rss_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long size = 0, res = 0;
  const int got = std::fscanf(f, "%lu %lu", &size, &res);
  std::fclose(f);
  return got == 2 ? uint64_t(res) * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

// A state's fingerprint: of its raw encoding (State::hash() and the rest
// when LRU order and MMF_HAS_PINNED count and nothing is renamed), or of its
// canonical one.
class Fingerprinter {
 public:
  // `encoding`: always build the encoding (exact mode keeps it).
  explicit Fingerprinter(const Identity& id, bool encoding = false)
      : id_(id), raw_(!id.symmetry && id.aging && id.keep_has_pinned && !encoding) {}
  uint64_t operator()(const Node& n) {
    loose_ok_ = false;
    // (State::hash() is faster than the encoder, and a state with something
    // to forget and one without are never equivalent.)
    if (raw_ && (!id_.forget || nothing_to_forget(n))) return raw_fingerprint(n);
    encode(n, id_, &enc_, &scratch_);
    return fingerprint(enc_);
  }
  // The same, `steps_left` from the depth bound, and whether n has a loose
  // encoding there (has_loose(); not where the raw fingerprint stands for it).
  uint64_t operator()(const Node& n, uint32_t steps_left, bool* loose) {
    const uint64_t fp = (*this)(n);
    loose_ok_ = *loose = !raw_ && has_loose(n, id_, steps_left);
    return fp;
  }
  // The loose fingerprint of the node the last call said has one; encoding()
  // is then the loose one.
  uint64_t loose() {
    assert(loose_ok_);
    loose_ok_ = false;
    loosen(&enc_);
    return fingerprint(enc_);
  }
  // The encoding the last call built.
  const Encoding& encoding() const { return enc_; }

 private:
  Identity id_;
  bool raw_;
  bool loose_ok_ = false;  // the last call's node has a loose encoding, not taken yet
  Encoding enc_;
  EncodeScratch scratch_;
};

// The visited set in either mode, over raw or canonical encodings.
class Visited {
 public:
  Visited(bool exact, const Identity& id) : exact_(exact), fpr_(id, exact) {}
  // true (and *fp) if n is new.
  // A state with a loose encoding (has_loose()) is known if met before as it is
  // or loosely, and kept loosely; `steps_left`: to the depth bound.
  bool insert(const Node& n, uint64_t* fp, uint32_t steps_left = kNoHorizon) {
    bool loose = false;
    *fp = fpr_(n, steps_left, &loose);
    if (loose) {
      if (exact_ ? exact_set_.contains(fpr_.encoding()) : fps_.contains(*fp)) return false;
      *fp = fpr_.loose();
    }
    return exact_ ? exact_set_.insert(fpr_.encoding()) : fps_.insert(*fp);
  }
  uint64_t size() const { return exact_ ? exact_set_.size() : fps_.size(); }
  uint64_t bytes() const { return exact_ ? exact_set_.bytes() : fps_.bytes(); }

 private:
  bool exact_;
  Fingerprinter fpr_;
  FingerprintSet fps_;
  ExactSet exact_set_;
};

struct Item {
  Node node;
  Footprint last;      // footprint of the action that led here (at its parent)
  Action last_action;
  bool has_last = false;
};

struct TreeEntry {
  uint32_t parent;     // index in the previous level
  uint16_t action;     // index into enabled_actions(parent)
};

class Progress {
 public:
  // what: how the third number of tick() is labelled ("frontier": nodes of the
  // current layer left; "stack": the depth-first stack; "walks").
  Progress(bool on, const char* what = "frontier") : on_(on), what_(what), start_(Clock::now()), last_(start_) {}
  double elapsed() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  void tick(uint32_t depth, uint64_t states, uint64_t frontier, bool force = false) {
    if (!on_) return;
    const auto now = Clock::now();
    if (!force && now - last_ < std::chrono::seconds(1)) return;
    last_ = now;
    const double t = elapsed();
    fmt::print(stderr, "explore: depth {}, {} states, {:.2f} M states/s, {} {}, {} MB\n", depth, states,
               t > 0 ? double(states) / t / 1e6 : 0.0, what_, frontier, rss_bytes() >> 20);
  }

 private:
  bool on_;
  const char* what_;
  Clock::time_point start_, last_;
};

bool over_budget(const Options& opt, const Progress& p, uint64_t states) {
  if (opt.budget_states && states >= opt.budget_states) return true;
  if (opt.budget_seconds > 0 && p.elapsed() >= opt.budget_seconds) return true;
  return false;
}

// A violation found after `acts` (empty: in the root state itself).
void record(Result& r, const Violation& v, std::vector<Action> acts) {
  r.violation = true;
  r.cex.invariant = v.inv;
  r.cex.message = v.message;
  r.cex.actions = std::move(acts);
}

// The state checks on the root; true (and recorded) if one breaks there.
bool root_violates(Context& c, Result& r) {
  Violation v;
  check_state(c.cx, c.root, &v);
  if (v.inv) record(r, v, {});
  return v.inv != 0;
}

// Rebuild the actions of a path from the BFS tree.
std::vector<Action> path_of(Context& c, const std::vector<std::vector<TreeEntry>>& tree, uint32_t level,
                            uint32_t index) {
  std::vector<uint16_t> idx;
  for (uint32_t l = level; l > 0; --l) {
    const TreeEntry& e = tree[l][index];
    idx.push_back(e.action);
    index = e.parent;
  }
  std::reverse(idx.begin(), idx.end());
  std::vector<Action> acts;
  Node n = c.root;
  std::vector<Action> en;
  for (uint16_t i : idx) {
    enabled_actions(n, c.opt.ops, c.opt.bounds, c.an, en);
    const Action a = en[i];
    Violation v;
    bool valid = false;
    apply_step(c.cx, n, a, &v, &valid);
    acts.push_back(a);
  }
  return acts;
}

void bfs(Context& c, Result& r) {
  const Options& opt = c.opt;
  // Each layer frees the previous one (hundreds of MB of small blocks) and
  // allocates the next: keep freed memory in the heap instead of trimming it
  // back to the kernel and faulting it in again (about a fifth of the time
  // went to page faults and malloc_trim before).
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  mallopt(M_TOP_PAD, 64 << 20);
  Progress prog(opt.progress);
  Visited visited(opt.exact, c.id);
  std::vector<std::vector<TreeEntry>> tree(1);
  tree[0].push_back({0, 0});
  std::vector<Item> frontier;
  frontier.push_back(Item{c.root, {}, {}, false});
  uint64_t fp = 0;
  visited.insert(c.root, &fp, opt.depth);
  if (opt.on_state) opt.on_state(fp, 0, c.root);
  if (root_violates(c, r)) {
    r.states = visited.size();
    return;
  }
  // Sharding: every shard runs the same search up to the first level with
  // enough nodes, then keeps the nodes whose fingerprint falls to it.
  const uint64_t split_at = 16ull * opt.shards;
  bool split_done = opt.shards <= 1;
  std::vector<uint64_t> frontier_fp{fp};
  std::vector<Action> en;
  Node work = c.root;
  bool stopped = false;
  for (uint32_t depth = 0; depth < opt.depth && !frontier.empty() && !stopped; ++depth) {
    if (!split_done && (frontier.size() >= split_at || depth + 1 == opt.depth)) {
      split_done = true;
      std::vector<Item> mine;
      std::vector<TreeEntry> mine_tree;
      for (size_t i = 0; i < frontier.size(); ++i)
        if (frontier_fp[i] % opt.shards == opt.shard) {
          frontier[i].has_last = false;  // the first step after the split is never pruned
          mine.push_back(std::move(frontier[i]));
          mine_tree.push_back(tree[depth][i]);
        }
      frontier.swap(mine);
      tree[depth].swap(mine_tree);
    }
    std::vector<Item> next;
    std::vector<uint64_t> next_fp;
    next.reserve(frontier.size() * 2);  // layers grow about 2-5x: fewer reallocations of whole nodes
    next_fp.reserve(frontier.size() * 2);
    tree.emplace_back();
    for (uint32_t i = 0; i < frontier.size() && !stopped; ++i) {
      const Item& it = frontier[i];
      enabled_actions(it.node, opt.ops, opt.bounds, c.an, en);
      for (uint16_t ai = 0; ai < en.size(); ++ai) {
        const Action& a = en[ai];
        Footprint fpb;
        if (opt.por) {
          fpb = footprint(it.node, a, c.slack, c.lru);
          // Sleep set of depth one: b after a is explored as b then a.
          if (it.has_last && independent(it.last, fpb) && action_less(a, it.last_action)) {
            ++r.pruned_por;
            continue;
          }
        }
        // Into a scratch node: copy-assignment reuses its buffers, so a
        // transition to a state seen before allocates nothing.
        work = it.node;
        Violation v;
        bool valid = false;
        const Outcome o = apply_step(c.cx, work, a, &v, &valid);
        ++r.transitions;
        if (!valid || creation_failed(a, o)) continue;
        uint64_t cfp = 0;
        // A state seen before was checked then: the state checks run once per state.
        const bool fresh = v.inv || visited.insert(work, &cfp, opt.depth - (depth + 1));
        if (fresh) check_state(c.cx, work, &v);
        if (v.inv) {
          std::vector<Action> acts = path_of(c, tree, depth, i);
          acts.push_back(a);
          record(r, v, std::move(acts));
          r.depth_reached = depth + 1;
          stopped = true;
          break;
        }
        if (!fresh) continue;
        if (opt.on_state) opt.on_state(cfp, depth + 1, work);
        tree[depth + 1].push_back({i, ai});
        next.push_back(Item{work, fpb, a, opt.por});
        next_fp.push_back(cfp);
        if ((r.transitions & 1023) == 0) {
          prog.tick(depth + 1, visited.size(), frontier.size() - i);
          if (over_budget(opt, prog, visited.size())) {
            stopped = true;
            break;
          }
        }
      }
    }
    if (!stopped) r.depth_reached = depth + 1;
    frontier.swap(next);
    frontier_fp.swap(next_fp);
    if (!stopped) r.complete = frontier.empty() || depth + 1 == opt.depth;
  }
  if (frontier.empty() && !stopped) r.complete = true;
  if (r.violation) r.complete = false;
  r.states = visited.size();
  r.visited_bytes = visited.bytes();
  r.seconds = prog.elapsed();
  prog.tick(r.depth_reached, r.states, 0, true);
}

// Depth-first search over the same transitions, with a stack of nodes that are
// copy-assigned into (their buffers are reused: no allocation per state and no
// layer of whole states in memory). Completeness within the bound: the visited
// set keeps the least depth each state was reached at, and a state reached
// again on a shorter path is expanded again. Shortest counterexample: after a
// violation of length L the bound drops to L-1 and the search goes on, so the
// last violation found has the least length (the first one of that length in
// this search's fixed order).
void dfs(Context& c, Result& r) {
  const Options& opt = c.opt;
  Progress prog(opt.progress, "stack");
  Fingerprinter fingerprint_of(c.id);
  DepthSet seen;
  const uint64_t root_fp = fingerprint_of(c.root);
  seen.insert(root_fp, 0);
  if (opt.on_state) opt.on_state(root_fp, 0, c.root);
  if (root_violates(c, r)) {
    r.states = seen.size();
    return;
  }
  struct Frame {
    Node node;
    std::vector<Action> en;
    uint32_t next = 0;
    Action taken;         // the action that led here
    Footprint last;       // its footprint at the parent (POR)
    bool has_last = false;
  };
  std::vector<Frame> st(opt.depth + 1, Frame{c.root, {}, 0, {}, {}, false});
  enabled_actions(st[0].node, opt.ops, opt.bounds, c.an, st[0].en);
  uint32_t bound = opt.depth;  // violations of at most this many steps are still of interest
  uint32_t d = 0;
  bool stopped = false;
  while (!stopped) {
    Frame& f = st[d];
    if (d >= bound || f.next >= f.en.size()) {
      if (d == 0) break;
      --d;
      continue;
    }
    const Action a = f.en[f.next++];
    Footprint fpb;
    if (opt.por) {
      fpb = footprint(f.node, a, c.slack, c.lru);
      if (f.has_last && independent(f.last, fpb) && action_less(a, f.taken)) {
        ++r.pruned_por;
        continue;
      }
    }
    Frame& g = st[d + 1];
    g.node = f.node;
    Violation v;
    bool valid = false;
    const Outcome o = apply_step(c.cx, g.node, a, &v, &valid);
    ++r.transitions;
    if (!valid || creation_failed(a, o)) continue;
    r.depth_reached = std::max(r.depth_reached, d + 1);
    // The state checks run when the state is new or met again on a shorter
    // path (a violation there is a shorter counterexample), not per transition.
    DepthSet::Seen s = DepthSet::Seen::Known;
    uint64_t cfp = 0;
    if (!v.inv) {
      // With a loose encoding (has_loose()): known if met as it is from as high up, else kept loosely.
      bool loose = false;
      cfp = fingerprint_of(g.node, bound - (d + 1), &loose);
      if (!loose) {
        s = seen.insert(cfp, uint8_t(d + 1));
      } else if (!seen.known(cfp, uint8_t(d + 1))) {
        cfp = fingerprint_of.loose();
        s = seen.insert(cfp, uint8_t(d + 1));
      }
      if (s != DepthSet::Seen::Known) check_state(c.cx, g.node, &v);
    }
    if (v.inv) {
      std::vector<Action> acts;
      for (uint32_t k = 1; k <= d; ++k) acts.push_back(st[k].taken);
      acts.push_back(a);
      record(r, v, std::move(acts));
      bound = d;  // from now on only shorter ones
      continue;
    }
    if (s == DepthSet::Seen::Known) continue;
    if (opt.on_state) opt.on_state(cfp, d + 1, g.node);  // new, or met again on a shorter path
    if ((r.transitions & 1023) == 0) {
      prog.tick(d + 1, seen.size(), d + 1);
      if (over_budget(opt, prog, seen.size())) stopped = true;
    }
    if (d + 1 >= bound) continue;  // no step left within the bound
    g.taken = a, g.last = fpb, g.has_last = opt.por, g.next = 0;
    enabled_actions(g.node, opt.ops, opt.bounds, c.an, g.en);
    ++d;
  }
  r.complete = !stopped && !r.violation;
  if (r.violation) r.depth_reached = uint32_t(r.cex.actions.size());
  r.states = seen.size();
  r.visited_bytes = seen.bytes();
  r.seconds = prog.elapsed();
  prog.tick(r.depth_reached, r.states, 0, true);
}

void random_walk(Context& c, Result& r) {
  const Options& opt = c.opt;
  Progress prog(opt.progress, "walks");
  Visited visited(false, c.id);
  std::mt19937_64 rng(opt.seed);
  std::vector<Action> en;
  const uint64_t budget = opt.budget_states || opt.budget_seconds > 0 ? 0 : 1000000;  // default: 1M steps
  uint64_t walks = 0;
  if (root_violates(c, r)) return;
  // The step runs on a scratch copy (an invalid or failed step leaves the
  // walk's node as it was); copy-assignment reuses both nodes' buffers.
  Node n = c.root, work = c.root;
  std::vector<Action> path;
  // Swarm testing (Groce et al., ISSTA 2012): each walk leaves out a random
  // half of the ops, so the ones it keeps run deeper than a uniform choice
  // among all of them lets them (an op that always competes with a dozen
  // others rarely repeats). The mmap entries stay: nothing else has pages.
  std::vector<const OpEntry*> ops = opt.ops;
  while (true) {
    n = c.root;
    path.clear();
    ++walks;
    if (opt.swarm) {
      ops.clear();
      const uint64_t bits = rng();
      for (size_t i = 0; i < opt.ops.size(); ++i)
        if (std::string_view(opt.ops[i]->name).starts_with("mmap") || (bits >> (i % 64) & 1)) ops.push_back(opt.ops[i]);
      if (ops.empty()) ops = opt.ops;
    }
    for (uint32_t d = 0; d < opt.depth; ++d) {
      enabled_actions(n, ops, opt.bounds, c.an, en);
      if (en.empty()) break;
      const Action a = en[size_t(rng() % en.size())];
      work = n;
      Violation v;
      bool valid = false;
      const Outcome o = apply_step(c.cx, work, a, &v, &valid);
      ++r.transitions;
      if (!valid || creation_failed(a, o)) continue;
      std::swap(n, work);
      path.push_back(a);
      uint64_t fp = 0;
      const bool fresh = v.inv || visited.insert(n, &fp);
      if (fresh) check_state(c.cx, n, &v);  // once per state, as in the exhaustive searches
      if (fresh && !v.inv && opt.on_state) opt.on_state(fp, d + 1, n);  // a state kept, as they report it
      if (v.inv) {
        record(r, v, path);
        r.depth_reached = std::max(r.depth_reached, uint32_t(path.size()));
        break;
      }
      r.depth_reached = std::max(r.depth_reached, d + 1);
    }
    if (r.violation) break;
    if ((walks & 255) == 0) prog.tick(r.depth_reached, visited.size(), walks);
    if (over_budget(opt, prog, r.transitions) || (budget && r.transitions >= budget)) break;
  }
  r.states = visited.size();
  r.visited_bytes = visited.bytes();
  r.seconds = prog.elapsed();
  r.complete = false;  // a random walk never proves absence
  prog.tick(r.depth_reached, r.states, 0, true);
}

}  // namespace

bool make_root(Context& c, std::string* error) {
  const Options& opt = c.opt;
  c.cx.ps = opt.ps;
  c.cx.invariants = opt.invariants;
  c.cx.names = &c.names;
  c.names.procs = {"P0"};
  bool hugetlb = false, gmem = false, thp = false, discardable = false;
  uint32_t kinds = 0;
  for (const OpEntry* e : opt.ops) {
    hugetlb |= e->hugetlb;
    gmem |= e->gmem;
    thp |= e->thp;
    discardable |= e->discardable;
    c.lru |= e->reclaims;
    c.id.tokens &= !e->token_values;
    kinds += std::string_view(e->name).starts_with("mmap");
  }
  c.id.symmetry = opt.symmetry;  // run_explore() turns it off where a THP can occur
  {
    // Page symmetry: one kind of private anonymous mapping, no seed (Identity::pages).
    uint32_t anon_kinds = 0, other_kinds = 0;
    bool ordered = false;
    for (const OpEntry* e : opt.ops) {
      if (e->private_anon)
        ++anon_kinds;
      else if (std::string_view(e->name).starts_with("mmap"))
        ++other_kinds;
      ordered |= e->address_ordered;
    }
    // A walk in address order that stops partway (out of frames: mlockall's
    // populate) is not symmetric either: only with the explorer's own
    // machine, sized never to run out.
    bool own_memory = true;
    for (const auto& [key, value] : opt.config_overrides) own_memory &= key != "memory";
    c.id.pages = anon_kinds == 1 && other_kinds == 0 && !ordered && own_memory && !opt.seed_scenario && !opt.config;
  }
  Config cfg;
  if (opt.config) {
    cfg = *opt.config;
  } else if (opt.seed_scenario) {
    if (!config_from_scenario(opt.seed_scenario->config, &cfg, error)) return false;
  } else {
    // Small enough to copy fast, large enough that a bounded search never
    // runs out of frames: every mapping's pages, twice (COW copies), per process.
    cfg.memory = 8 + 2 * opt.bounds.procs * opt.bounds.pages * std::max(kinds, 1u);
    cfg.thp = 0;  // thp=never: PFN renaming assumes order-0 folios
    if (hugetlb) cfg.hugetlb = 2 * opt.bounds.pages;
    if (c.lru) cfg.swap = opt.bounds.procs * opt.bounds.pages * std::max(kinds, 1u);  // anon can be swapped
    if (thp) {  // mmap-thp: T is one PMD of 2^kThpOrder pages, every process may have a THP and a copy
      cfg.thp = 2;
      cfg.thp_order = kThpOrder;
      cfg.memory += 2 * opt.bounds.procs * (1u << kThpOrder);
    }
  }
  // --config key=value: on top of whatever was chosen above (so a check
  // across keys, e.g. mthp orders against thp_order, sees the machine chosen).
  if (!opt.config_overrides.empty()) {
    static constexpr std::string_view kPassed[] = {"memory", "hugetlb", "thp", "thp_order", "mthp",
                                                   "soft_dirty", "lru_batch", "swap", "use_zero_page"};
    for (const auto& [key, val] : opt.config_overrides)
      if (std::find(std::begin(kPassed), std::end(kPassed), key) == std::end(kPassed)) {
        *error = fmt::format("--config {}: not a key the explorer passes ({})", key, fmt::join(kPassed, ", "));
        return false;
      }
    if (!config_over(opt.config_overrides, cfg, &cfg, error)) {
      *error = "--config: " + *error;
      return false;
    }
  }
  c.config = cfg;
  // Reclaim (an op, or direct reclaim when frames run low) reads LRU order,
  // the accessed bits and PG_dirty; khugepaged reads the accessed bits. Without
  // a reclaiming op, swap, anything it could discard without swap, THP or a
  // seed (which may leave any of these), neither runs or can change a thing.
  // (Whether a THP may occur, as far as can be told before the root is built:
  // a seed may leave anything. run_explore() looks closer for symmetry.)
  const bool thp_may = thp || cfg.thp != 0 || (cfg.mthp_always | cfg.mthp_madvise | cfg.mthp_inherit) != 0 ||
                       opt.seed_scenario;
  c.id.aging = c.lru || discardable || cfg.swap > 0 || thp_may;
  // MMF_HAS_PINNED where it cannot be read (Identity::keep_has_pinned): pins
  // on PG_anon_exclusive pages only (the COW policy tracks them: the model's
  // PAE self-checks hold it to that) and small folios only.
  c.id.keep_has_pinned = !opt.ps.cow->tracks_anon_exclusive() || thp_may || hugetlb || cfg.hugetlb > 0;
  c.id.pin_bound = opt.pin_horizon ? std::min<uint32_t>(opt.bounds.pins, kMaxPins) : 0;
  // Pages are walked in address order by fork, munlock, MADV_FREE/COLD/PAGEOUT and
  // KSM: which page gets which LRU position (or stays KSM's) follows the address.
  // Without aging that is a frame's name only.
  c.id.pages &= !c.id.aging;
  c.slack = 2 * (opt.bounds.pages + 2);
  c.root = Node(cfg);
  Kernel k(c.root.st, c.cx.ps);
  c.root.book.nprocs = 1;
  c.root.book.procs[0].task = k.spawn();
  c.an.anon = c.names.map_id("A");
  c.an.shared = c.names.map_id("S");
  c.an.hugetlb = c.names.map_id("H");
  c.an.droppable = c.names.map_id("D");
  c.an.refill = c.names.map_id("R");
  c.an.gmem = c.names.map_id("M");
  c.an.thp = c.names.map_id("T");
  if (opt.seed_scenario) {
    for (const Step& s : opt.seed_scenario->steps) {
      c.seed_steps.push_back(s);
      if (s.op == Op::Probe) continue;
      Action a;
      if (!from_step(s, c.root, c.names, &a, error)) {
        *error = fmt::format("{}:{}: {}", opt.seed_scenario->file, s.loc.line, *error);
        return false;
      }
      Violation v;
      bool valid = false;
      const Outcome o = apply(c.cx, c.root, a, &v, &valid);
      if (!valid || creation_failed(a, o) || (!o && s.binds.empty())) {
        *error = fmt::format("{}:{}: the explorer cannot replay '{}' here{}", opt.seed_scenario->file, s.loc.line,
                             s.text, valid && !o ? fmt::format(" (it fails with {})", o.name()) : "");
        return false;
      }
    }
  }
  // guest_memfd entries: P0 creates the VM, the file and the memslot first
  // (unless a seed did), printed like a seed's steps.
  if (gmem && c.root.book.gmem == kNone) {
    if (c.root.book.vm != kNone) {
      *error = "the seed scenario creates a VM but no guest_memfd: the gmem ops need both";
      return false;
    }
    for (const Action& a : gmem_setup(opt.bounds.pages)) {
      Step s = to_step(c.root, a, c.names);
      Violation v;
      bool valid = false;
      const Outcome o = apply(c.cx, c.root, a, &v, &valid);
      if (!valid || !o) {
        *error = fmt::format("cannot create the guest_memfd the gmem ops need: '{}' fails ({})", print_step(s),
                             valid ? o.name() : "invalid");
        return false;
      }
      c.seed_steps.push_back(std::move(s));
    }
  }
  return true;
}

Result run_explore(const Options& given) {
  Result r;
  Options opt = given;  // the search's own copy: symmetry may be turned off below
  Context c(opt);
  if (opt.ops.empty()) {
    r.error = "no operations to explore (--ops)";
    return r;
  }
  if (opt.bounds.procs < 1 || opt.bounds.procs > uint32_t(kMaxProcs)) {
    r.error = fmt::format("--procs must be between 1 and {}", kMaxProcs);
    return r;
  }
  if (opt.bounds.pages < 1 || opt.bounds.pages > 8) {
    r.error = "--pages must be between 1 and 8";
    return r;
  }
  // (The book names at most kMaxPins pins and kMaxPipes pipes: a larger bound
  // would be capped without a word.)
  if (opt.bounds.pins > uint32_t(kMaxPins)) {
    r.error = fmt::format("--pins must be between 0 and {}", kMaxPins);
    return r;
  }
  if (opt.bounds.pipes > uint32_t(kMaxPipes)) {
    r.error = fmt::format("--pipes must be between 0 and {}", kMaxPipes);
    return r;
  }
  if (opt.shards < 1 || opt.shard >= opt.shards) {
    r.error = "--shard i/N needs 0 <= i < N";
    return r;
  }
  if (opt.swarm && !opt.random_walk) {
    r.error = "--swarm is a kind of random walk: add --random-walk";
    return r;
  }
  if (opt.dfs && (opt.random_walk || opt.exact || opt.shards > 1)) {
    r.error = "--dfs: depth-first search runs in fingerprint mode on one machine (not with --random-walk, --exact "
              "or --shard)";
    return r;
  }
  if (!make_root(c, &r.error)) return r;
  r.config = c.config;
  // Page renaming assumes order-0 folios: with THP a large folio needs
  // contiguous, aligned free frames, so the layout of free memory decides
  // what a later fault gets. Symmetry reduction is off then (said in the
  // summary and the JSON). A THP can appear with thp=always, with the THP
  // entries (MADV_COLLAPSE does not ask the sysfs setting), or (thp=madvise)
  // in a VMA a seed scenario marked MADV_HUGEPAGE; a seed may also leave one.
  bool thp = c.config.thp == 2;
  thp |= (c.config.mthp_always | c.config.mthp_madvise | c.config.mthp_inherit) != 0;  // per-size THP (6.8+)
  for (const OpEntry* e : opt.ops) thp |= e->thp;
  if (c.config.thp == 1)
    for (const Mm& mm : c.root.st.mms)
      for (const Vma& v : mm.vmas) thp |= v.test(VM_HUGEPAGE);
  for (Pfn p = 1; p < c.root.st.mem.pages.size(); ++p)
    thp |= c.root.st.mem.pages[p].head == p && c.root.st.mem.folios[p].order > 0;
  if (thp) {
    // Partial-order reduction commutes steps that allocate only while frames
    // are plentiful (their order then changes just which PFNs they get). With
    // THP the order of allocations decides the layout of free memory, and so
    // whether a later fault finds an aligned, contiguous block: every
    // allocating step then shares the allocator (footprint R_ALLOC).
    c.slack = UINT32_MAX;
  }
  if (opt.symmetry && thp) {
    opt.symmetry = false;
    r.symmetry_off = "THP can occur (thp_order " + std::to_string(c.config.thp_order) +
                     "): page renaming assumes order-0 folios";
  }
  c.id.symmetry = opt.symmetry;
  if (opt.random_walk)
    random_walk(c, r);
  else if (opt.dfs)
    dfs(c, r);
  else
    bfs(c, r);
  r.peak_rss = rss_bytes();
  if (r.violation) write_counterexample(c, r, &r.cex);
  return r;
}

}  // namespace mmsim::explore
