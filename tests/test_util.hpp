// Shared fixture for the mechanism tests: a State under the 6.18 policy set
// (cow=anon-exclusive), one process P0, and helpers to read PTEs and folios.
// Every test ends by recomputing all counters (check_invariants).
#pragma once
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>
#include <type_traits>
#include <vector>
#include <string>

#include "model/kernel.hpp"
#include "policy/profile.hpp"

namespace mmsim {

// gtest printers, so that failures say "EFAULT" rather than a byte dump.
inline void PrintTo(const Outcome& o, std::ostream* os) { *os << o.name(); }

inline PolicySet linux_6_18_policies() {
  std::string err;
  auto ps = make_policy_set(find_profile("linux-6.18")->choices, &err);
  if (!ps) throw std::runtime_error("make_policy_set: " + err);
  return *ps;
}

class KernelTest : public ::testing::Test {
 protected:
  explicit KernelTest(Config cfg = Config{.memory = 64}) : s(cfg), ps(linux_6_18_policies()), k(s, ps) {
    p0 = k.spawn();
    initial_free = s.mem.nr_free;
  }

  void TearDown() override {
    EXPECT_THAT(check_invariants(s, ps), ::testing::IsEmpty()) << "counters disagree with their holders";
  }

  // --- set-up helpers -----------------------------------------------------
  Vpn map(uint64_t pages, int prot = PROT_READ_ | PROT_WRITE_, unsigned flags = 0, TaskId t = kNone) {
    Vpn v = 0;
    const Outcome o = k.mmap(t == kNone ? p0 : t, pages, prot, flags, &v);
    EXPECT_EQ(o, Outcome::ok());
    return v;
  }
  TaskId fork_of(TaskId parent) {
    TaskId c = kNone;
    const Outcome o = k.fork(parent, &c);
    EXPECT_EQ(o, Outcome::ok());
    return c;
  }
  GupId take(TaskId t, Vpn v, uint64_t pages, uint32_t foll) {
    GupId g = kNone;
    const Outcome o = k.gup(t, t, v, pages, foll, &g);
    EXPECT_EQ(o, Outcome::ok());
    return g;
  }
  Token rd(TaskId t, Vpn v) {
    Token x = ~Token(0);
    const Outcome o = k.read(t, v, &x);
    EXPECT_EQ(o, Outcome::ok());
    return x;
  }

  // --- observation helpers ------------------------------------------------
  Pte pte(TaskId t, Vpn v) const { return k.mm_of(t).pt.get(v); }
  // The PFN mapped at v (kZeroPfn for the zero page), kNoPfn if nothing is.
  Pfn pfn(TaskId t, Vpn v) const {
    const Pte p = pte(t, v);
    return p.is_present() ? p.pfn() : kNoPfn;
  }
  const Folio& folio(Pfn p) const { return s.mem.folio(p); }
  int32_t ref(Pfn p) const { return s.mem.folio(p).refcount; }
  int32_t mapc(Pfn p) const { return s.mem.pages[p].mapcount; }
  bool pae(Pfn p) const { return s.mem.pages[p].flags & PAGE_ANON_EXCLUSIVE; }
  bool is_free(Pfn p) const { return s.mem.pages[p].head == kNone; }
  const Mm& mm(TaskId t) const { return k.mm_of(t); }
  size_t nr_vmas(TaskId t) const { return k.mm_of(t).vmas.size(); }
  const Vma* vma(TaskId t, Vpn v) const { return k.mm_of(t).vma_at(v); }

  State s;
  PolicySet ps;
  Kernel k;
  TaskId p0 = kNone;
  uint32_t initial_free = 0;
};

// Same fixture with a given amount of memory.
template <uint32_t Frames, bool SoftDirty = true>
class KernelTestMem : public KernelTest {
 protected:
  KernelTestMem() : KernelTest(Config{.memory = Frames, .soft_dirty = SoftDirty}) {}
};

inline constexpr int RW = PROT_READ_ | PROT_WRITE_;
inline constexpr int RO = PROT_READ_;

}  // namespace mmsim

namespace mmsim {

// State equality is the model's own operator== (every field, defaulted).
inline bool same_state(const State& a, const State& b) { return a == b; }

}  // namespace mmsim
