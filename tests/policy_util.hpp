// Shared harness for the per-policy tests (tests/policy_*_test.cpp): a State
// under the policy set of one named profile (built with make_policy_set()),
// one process P0, and the same observation helpers as test_util.hpp.
//
// Tests are parameterised over profiles. A test whose expected values differ
// per profile takes a row type whose first member is the profile name and
// whose other members are that profile's expected values (the table is the
// INSTANTIATE_TEST_SUITE_P list); every test ends with check_invariants().
#pragma once
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "model/kernel.hpp"
#include "policy/profile.hpp"
#include "test_util.hpp"

namespace mmsim {

// The profiles under test, oldest first (cow-gup.md §0.1, §11).
inline const std::vector<std::string>& policy_test_profiles() {
  static const std::vector<std::string> v = {"linux-5.7",  "linux-5.8",  "linux-5.9",
                                             "linux-5.11", "linux-5.18", "linux-6.18"};
  return v;
}

inline PolicySet policies_of(std::string_view profile) {
  const Profile* p = find_profile(profile);
  if (!p) throw std::runtime_error("no profile " + std::string(profile));
  std::string err;
  auto ps = make_policy_set(p->choices, &err);
  if (!ps) throw std::runtime_error("make_policy_set(" + std::string(profile) + "): " + err);
  return *ps;
}

// gtest test-name suffix for a profile: "linux-5.11" -> "linux_5_11".
inline std::string profile_test_name(std::string_view profile) {
  std::string s(profile);
  for (char& c : s)
    if (c == '-' || c == '.') c = '_';
  return s;
}

// A kernel under one profile's policies, with helpers.
class PolicyHarness {
 public:
  explicit PolicyHarness(std::string_view profile, Config cfg = Config{.memory = 64})
      : profile_name(profile), s(cfg), ps(policies_of(profile)), k(s, ps) {
    p0 = k.spawn();
  }
  PolicyHarness(const PolicyHarness&) = delete;
  PolicyHarness& operator=(const PolicyHarness&) = delete;

  // --- set-up helpers -----------------------------------------------------
  Vpn map(uint64_t pages, int prot = RW, unsigned flags = 0, TaskId t = kNone) {
    Vpn v = 0;
    EXPECT_EQ(k.mmap(t == kNone ? p0 : t, pages, prot, flags, &v), Outcome::ok());
    return v;
  }
  TaskId fork_of(TaskId parent) {
    TaskId c = kNone;
    EXPECT_EQ(k.fork(parent, &c), Outcome::ok());
    return c;
  }
  GupId take(TaskId t, Vpn v, uint64_t pages, uint32_t foll) {
    GupId g = kNone;
    EXPECT_EQ(k.gup(t, t, v, pages, foll, &g), Outcome::ok());
    return g;
  }
  void wr(TaskId t, Vpn v, Token x) { EXPECT_EQ(k.write(t, v, x), Outcome::ok()); }
  Token rd(TaskId t, Vpn v) {
    Token x = ~Token(0);
    EXPECT_EQ(k.read(t, v, &x), Outcome::ok());
    return x;
  }
  Token dma_rd(GupId g, uint64_t i = 0) {
    Token x = ~Token(0);
    EXPECT_EQ(k.dma_read(g, i, &x), Outcome::ok());
    return x;
  }
  Token pipe_rd(TaskId t, PipeId p) {
    Token x = ~Token(0);
    EXPECT_EQ(k.pipe_read(t, p, &x), Outcome::ok());
    return x;
  }
  // Make P0's PTE at v R/O in every profile while the page stays exclusive
  // and whatever references it has: mprotect(R), clear_refs(4) (turns on
  // soft-dirty tracking, so 6.x can_change_pte_writable() keeps it R/O),
  // mprotect(RW) (cow-gup.md §2.2 #2/#3, §7.3).
  void wrprotect_via_softdirty(TaskId t, Vpn v, uint64_t pages = 1) {
    ASSERT_EQ(k.mprotect(t, v, pages, RO), Outcome::ok());
    ASSERT_EQ(k.clear_refs(t), Outcome::ok());
    ASSERT_EQ(k.mprotect(t, v, pages, RW), Outcome::ok());
    ASSERT_FALSE(pte(t, v).write());
  }

  // --- observation helpers ------------------------------------------------
  Pte pte(TaskId t, Vpn v) const { return k.mm_of(t).pt.get(v); }
  Pfn pfn(TaskId t, Vpn v) const {
    const Pte p = pte(t, v);
    return p.is_present() ? p.pfn() : kNoPfn;
  }
  const Folio& folio(Pfn p) const { return s.mem.folio(p); }
  int32_t ref(Pfn p) const { return s.mem.folio(p).refcount; }
  int32_t mapc(Pfn p) const { return s.mem.pages[p].mapcount; }
  bool pae(Pfn p) const { return s.mem.pages[p].flags & PAGE_ANON_EXCLUSIVE; }
  bool ksm(Pfn p) const { return s.mem.folio(p).test(FOLIO_KSM); }
  bool is_free(Pfn p) const { return s.mem.pages[p].head == kNone; }
  const Mm& mm(TaskId t) const { return k.mm_of(t); }
  std::vector<std::string> invariants() const { return check_invariants(s, ps); }

  std::string profile_name;
  State s;
  PolicySet ps;
  Kernel k;
  TaskId p0 = kNone;
};

// Rows of a per-profile table: the first member must be `const char* profile`.
template <class Row>
class PolicyTest : public ::testing::TestWithParam<Row>, public PolicyHarness {
 protected:
  PolicyTest() : PolicyHarness(::testing::TestWithParam<Row>::GetParam().profile) {}
  void TearDown() override {
    EXPECT_THAT(invariants(), ::testing::IsEmpty()) << "counters disagree with their holders (" << profile_name << ")";
  }
  const Row& row() const { return ::testing::TestWithParam<Row>::GetParam(); }
};

// A row with nothing but the profile: for sequences whose outcome is the same everywhere.
struct ProfileOnly {
  const char* profile;
};
inline std::vector<ProfileOnly> all_profiles() {
  std::vector<ProfileOnly> v;
  for (const std::string& p : policy_test_profiles()) v.push_back({p.c_str()});
  return v;
}

struct RowName {
  template <class Row>
  std::string operator()(const ::testing::TestParamInfo<Row>& info) const {
    return profile_test_name(info.param.profile);
  }
};

inline constexpr int32_t kBias = kGupPinCountingBias;

}  // namespace mmsim
