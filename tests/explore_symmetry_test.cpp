// Symmetry reduction is sound only if the states it merges cannot be told
// apart by anything that happens next: the canonical encoding must be a
// bisimulation. For every state of a small search without any reduction,
// each state the canonical encoding puts in one class offers the same
// successor classes, breaks the same invariants on the way there and in
// itself. Renaming PFNs, anon_vmas, pins, processes and fork epochs all pass
// through this check; a renaming that forgot something a later step reads
// (a token's value, an allocator's cursor, a pin's order) fails it.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <set>
#include <unordered_set>

#include "explore/canon.hpp"
#include "explore/context.hpp"
#include "explore/explore.hpp"
#include "policy/registry.hpp"
#include "scenario/printer.hpp"

using namespace mmsim;
using namespace mmsim::explore;

namespace {

struct Case {
  const char* profile;
  const char* ops;
  uint32_t procs;
  uint32_t depth;
  const char* policy = nullptr;  // knob=value, or none
};

// What a state offers, as the canonical classes it reaches (with the
// invariant a step breaks on the way) and the invariant it breaks itself.
struct Offer {
  std::set<std::pair<uint64_t, uint32_t>> next;
  uint32_t broken = 0;
  std::map<std::pair<uint64_t, uint32_t>, std::string> why;
  friend bool operator==(const Offer& a, const Offer& b) { return a.next == b.next && a.broken == b.broken; }
};

uint64_t class_of(const Node& n, const Identity& id, EncodeScratch& sc) {
  Encoding e;
  encode(n, id, &e, &sc);
  return fingerprint(e);
}

// Breadth-first over raw states (nothing renamed, every step taken) to
// `depth`; for each state above the last layer, its canonical class and
// its offer. Returns the number of classes that merged two raw states or more.
size_t expect_bisimulation(const Case& k) {
  Options o;
  o.profile = k.profile;
  o.choices = find_profile(k.profile)->choices;
  std::string err;
  if (k.policy) {
    const std::string kv = k.policy;
    o.choices[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
  }
  o.ps = *make_policy_set(o.choices, &err);
  EXPECT_TRUE(parse_ops(k.ops, &o.ops, &err)) << err;
  o.bounds.procs = k.procs;
  o.depth = k.depth;
  Context c(o);
  EXPECT_TRUE(make_root(c, &err)) << err;
  const Identity canon = c.id;  // what the search forgets
  EXPECT_TRUE(canon.symmetry);
  const Identity raw{.symmetry = false, .aging = true, .epochs = false};
  EncodeScratch sc;
  std::unordered_set<uint64_t> seen{class_of(c.root, raw, sc)};
  std::vector<Node> layer{c.root}; std::vector<std::string> paths{""}; std::map<uint64_t,std::string> firstpath;
  std::map<uint64_t, Offer> offers;  // canonical class -> what its first member offered
  std::map<uint64_t, size_t> members;
  std::vector<Action> en;
  for (uint32_t d = 0; d < k.depth; ++d) {
    std::vector<Node> next; std::vector<std::string> npaths;
    for (size_t li = 0; li < layer.size(); ++li) { const Node& n = layer[li];
      Offer off;
      Violation self;
      check_state(c.cx, n, &self);
      off.broken = self.inv;
      enabled_actions(n, o.ops, o.bounds, c.an, en);
      for (const Action& a : en) {
        Node m = n;
        Violation v;
        bool valid = false;
        const Outcome out = apply(c.cx, m, a, &v, &valid);
        if (!valid || creation_failed(a, out)) continue;
        off.next.insert({class_of(m, canon, sc), v.inv}); off.why[{class_of(m, canon, sc), v.inv}] = print_step(to_step(n, a, c.names));
        if (!v.inv && seen.insert(class_of(m, raw, sc)).second) { npaths.push_back(paths[li] + print_step(to_step(n, a, c.names)) + "\n"); next.push_back(std::move(m)); }
      }
      const uint64_t cls = class_of(n, canon, sc);
      auto [it, fresh] = offers.emplace(cls, off); if (fresh) firstpath[cls] = paths[li];
      ++members[cls];
      if (!fresh && !(it->second == off)) {
        ADD_FAILURE() << k.profile << " " << k.ops << ": two states of one class offer different futures ("
                      << it->second.next.size() << " vs " << off.next.size() << " successor classes, broken "
                      << it->second.broken << " vs " << off.broken << ") at depth " << d;
        printf("A:\n%s\nB:\n%s\n", firstpath[cls].c_str(), paths[li].c_str()); for (auto& [k2, w] : it->second.why) if (!off.next.count(k2)) printf("only A: %s\n", w.c_str()); for (auto& [k2, w] : off.why) if (!it->second.next.count(k2)) printf("only B: %s\n", w.c_str()); return 0;
      }
    }
    layer.swap(next); paths.swap(npaths);
  }
  size_t merged = 0;
  for (const auto& [cls, n] : members) merged += n > 1;
  std::printf("%s %s: %zu classes, %zu with several states\n", k.profile, k.ops, members.size(), merged);
  return merged;
}

}  // namespace

TEST(ExploreSymmetry, CanonicalEncodingIsABisimulation) {
  const Case cases[] = {
      {"linux-6.18", "mmap,write,read,fork,exit,munmap,pin,unpin,vmsplice,pipe-read,clear_refs", 3, 6},
      {"linux-5.7", "mmap,write,read,fork,exit,munmap,vmsplice,pipe-read", 3, 7},
      {"linux-5.9", "mmap,write,read,fork,exit,pin,unpin,clear_refs", 3, 7},
      {"linux-6.18", "mmap,mmap-shared,write,read,fork,exit,gup,gup-write,unpin,dma-read,dma-write", 2, 6},
      {"linux-5.9", "mmap,write,read,fork,exit,pin,unpin,reclaim", 2, 7},
      {"linux-6.18", "mmap,mmap-droppable,write,read,fork,exit,dontneed,ksm,free,pageout", 2, 6},
      {"linux-6.18", "mmap-droppable,mmap-droppable-refill,getrandom,write,fork,exit", 2, 6, "droppable=refill"},
      {"linux-6.18", "mmap-gmem,write,read,fork,exit,pin,unpin,vmsplice,pipe-read,gmem-convert,gmem-punch,guest-write",
       2, 6, "gmem-conversion=inplace"},
  };
  size_t merged = 0;
  for (const Case& k : cases) merged += expect_bisimulation(k);
  EXPECT_GT(merged, 100u);  // the check had classes with several members to compare
}

// Fork epochs are names: a process that forked twice and one that forked once,
// with no token of an earlier epoch left anywhere, are one state.
TEST(ExploreSymmetry, ForkEpochsAreRenumbered) {
  Options o;
  o.profile = "linux-6.18";
  o.choices = find_profile(o.profile)->choices;
  std::string err;
  o.ps = *make_policy_set(o.choices, &err);
  ASSERT_TRUE(parse_ops("mmap,write,fork,exit", &o.ops, &err)) << err;
  o.bounds.procs = 3;
  Context c(o);
  ASSERT_TRUE(make_root(c, &err)) << err;
  auto after = [&](std::initializer_list<Action> acts) {
    Node n = c.root;
    for (const Action& a : acts) {
      Violation v;
      bool valid = false;
      apply(c.cx, n, a, &v, &valid);
      EXPECT_TRUE(valid);
    }
    return n;
  };
  auto fork = [](uint16_t parent, uint16_t child) {
    Action a;
    a.op = Op::Fork;
    a.proc = parent;
    a.obj = child;
    return a;
  };
  // P0 forks P1 and P2 (P0 at epoch 2), or P0 forks P1 and P1 forks P2 (both at epoch 1).
  const Node x = after({fork(0, 1), fork(0, 2)});
  const Node y = after({fork(0, 1), fork(1, 2)});
  ASSERT_EQ(x.book.procs[0].epoch, 2);
  ASSERT_EQ(y.book.procs[1].epoch, 1);
  Encoding ex, ey;
  encode(x, c.id, &ex);
  encode(y, c.id, &ey);
  EXPECT_EQ(ex, ey);
  Identity numbered = c.id;
  numbered.epochs = false;
  encode(x, numbered, &ex);
  encode(y, numbered, &ey);
  EXPECT_NE(ex, ey);
}
