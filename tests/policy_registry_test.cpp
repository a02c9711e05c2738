// The policy registry: every profile resolves to one policy per knob with the
// choices of the kernel it names (cow-gup.md §0.1, §4.5, §2.2, §11), and every
// policy a knob lists is reachable by name.
#include <set>

#include "policy/registry.hpp"
#include "policy_util.hpp"

namespace mmsim {
namespace {

struct ProfileChoices {
  const char* profile;
  const char* cow;
  const char* clear_refs;
  const char* mprotect_upgrade;
  bool tracks_anon_exclusive;
};

using ProfileResolveTest = PolicyTest<ProfileChoices>;

// make_policy_set(find_profile(P)->choices): A <= 5.7, A' 5.8, B 5.9-5.17, B18 5.18, C 5.19+ (§0.1);
// clear_refs skip-pinned from 9348b73c2e1b (5.10.9/5.11, §2.2 #3); mprotect upgrade of PAE pages 6.x (§2.2 #2).
TEST_P(ProfileResolveTest, MakePolicySet_ProfileResolvesToItsKernelsChoices) {
  const ProfileChoices& r = row();
  const Profile* p = find_profile(r.profile);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, r.profile);
  EXPECT_FALSE(p->summary.empty());
  std::string err;
  auto set = make_policy_set(p->choices, &err);
  ASSERT_TRUE(set.has_value()) << err;
  ASSERT_NE(set->cow, nullptr);
  ASSERT_NE(set->clear_refs, nullptr);
  ASSERT_NE(set->mprotect_upgrade, nullptr);
  EXPECT_EQ(set->cow->name(), r.cow);
  EXPECT_EQ(set->clear_refs->name(), r.clear_refs);
  EXPECT_EQ(set->mprotect_upgrade->name(), r.mprotect_upgrade);
  EXPECT_EQ(set->cow->tracks_anon_exclusive(), r.tracks_anon_exclusive);
  // The fixture's kernel runs under exactly these objects.
  EXPECT_EQ(ps.cow, set->cow);
  EXPECT_EQ(ps.clear_refs, set->clear_refs);
  EXPECT_EQ(ps.mprotect_upgrade, set->mprotect_upgrade);
  // Every choice names a known knob and a policy of that knob.
  for (const auto& [knob, name] : p->choices) EXPECT_NE(find_policy(knob, name), nullptr) << knob << "=" << name;
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProfileResolveTest,
                         ::testing::Values(ProfileChoices{"linux-5.7", "mapcount", "wrprotect-all", "never", false},
                                           ProfileChoices{"linux-5.8", "mapcount+gup-break", "wrprotect-all", "never",
                                                          false},
                                           ProfileChoices{"linux-5.9", "refcount", "wrprotect-all", "never", false},
                                           ProfileChoices{"linux-5.11", "refcount", "skip-pinned", "never", false},
                                           ProfileChoices{"linux-5.18", "refcount-5.18", "skip-pinned", "never",
                                                          false},
                                           ProfileChoices{"linux-6.18", "anon-exclusive", "skip-pinned", "exclusive",
                                                          true}),
                         RowName());

// profiles(): exactly the six mainline eras, each named once, the default among them.
TEST(PolicyRegistry, Profiles_SixErasDefaultIsLinux618) {
  std::vector<std::string> names;
  for (const Profile& p : profiles()) names.push_back(p.name);
  // The six eras the per-policy tables cover, plus the PG_anon_exclusive
  // steps between 5.19 and 6.18 (checked through the corpus).
  EXPECT_EQ(names, (std::vector<std::string>{"linux-5.7", "linux-5.8", "linux-5.9", "linux-5.11", "linux-5.18",
                                             "linux-5.19", "linux-6.1", "linux-6.13", "linux-6.18"}));
  for (const std::string& p : policy_test_profiles()) EXPECT_NE(find_profile(p), nullptr) << p;
  EXPECT_NE(find_profile(kDefaultProfile), nullptr);
  EXPECT_EQ(find_profile("linux-4.19"), nullptr);
  EXPECT_EQ(find_profile(""), nullptr);
}

// knobs()/find_policy(): every listed policy is found by (knob, name) and is the same object.
TEST(PolicyRegistry, FindPolicy_EveryKnobPolicyReachableByName) {
  std::set<std::string> knob_names;
  size_t n = 0;
  for (const Knob& kd : knobs()) {
    EXPECT_TRUE(knob_names.insert(std::string(kd.name)).second) << "duplicate knob " << kd.name;
    EXPECT_FALSE(kd.summary.empty());
    EXPECT_FALSE(kd.policies.empty()) << kd.name;
    std::set<std::string> names;
    for (const Policy* p : kd.policies) {
      ++n;
      ASSERT_NE(p, nullptr);
      EXPECT_TRUE(names.insert(std::string(p->name())).second) << "duplicate policy " << p->name();
      EXPECT_FALSE(p->summary().empty()) << p->name();
      EXPECT_EQ(find_policy(kd.name, p->name()), p) << kd.name << "=" << p->name();
      // policy_knobs() lists it under the same knob.
      auto it = policy_knobs().find(std::string(kd.name));
      ASSERT_NE(it, policy_knobs().end());
      EXPECT_THAT(it->second, ::testing::Contains(std::string(p->name())));
      // A knob's assign() installs exactly that policy in a PolicySet.
      PolicySet set;
      kd.assign(set, p);
      const Policy* installed = kd.name == "cow"          ? static_cast<const Policy*>(set.cow)
                                : kd.name == "clear-refs" ? static_cast<const Policy*>(set.clear_refs)
                                : kd.name == "hugetlb-fork" ? static_cast<const Policy*>(set.hugetlb_fork)
                                : kd.name == "swapout-pinned" ? static_cast<const Policy*>(set.swapout_pinned)
                                : kd.name == "droppable"    ? static_cast<const Policy*>(set.droppable)
                                : kd.name == "huge-zero-wp" ? static_cast<const Policy*>(set.huge_zero_wp)
                                : kd.name == "gmem-conversion" ? static_cast<const Policy*>(set.gmem_conversion)
                                : kd.name == "gmem-huge" ? static_cast<const Policy*>(set.gmem_huge)
                                : kd.name == "gmem-pin"  ? static_cast<const Policy*>(set.gmem_pin)
                                : kd.name == "mthp"      ? static_cast<const Policy*>(set.mthp)
                                : kd.name == "thp-split-lock" ? static_cast<const Policy*>(set.thp_split_lock)
                                : kd.name == "dio"       ? static_cast<const Policy*>(set.dio)
                                : kd.name == "mremap-move" ? static_cast<const Policy*>(set.mremap_move)
                                                          : static_cast<const Policy*>(set.mprotect_upgrade);
      EXPECT_EQ(installed, p) << kd.name;
    }
  }
  EXPECT_EQ(knob_names, (std::set<std::string>{"cow", "clear-refs", "mprotect-upgrade", "hugetlb-fork",
                                               "swapout-pinned", "droppable", "huge-zero-wp", "gmem-conversion",
                                               "gmem-huge", "gmem-pin", "mthp", "thp-split-lock", "dio",
                                               "mremap-move"}));
  EXPECT_EQ(n, 38u);  // 30 before mthp, thp-split-lock, dio and mremap-move (2 each)
  EXPECT_EQ(policy_knobs().size(), knobs().size());
}

// Every policy of every knob is used by at least one profile (no dead policy).
TEST(PolicyRegistry, Profiles_EveryPolicyChosenBySomeProfile) {
  for (const Knob& kd : knobs())
    for (const Policy* p : kd.policies) {
      bool used = false;
      for (const Profile& pr : profiles()) {
        auto it = pr.choices.find(std::string(kd.name));
        if (it != pr.choices.end() && it->second == p->name()) used = true;
      }
      // Proposals are never shipped, so no profile may choose them.
      EXPECT_EQ(used, !p->proposal()) << kd.name << "=" << p->name();
    }
}

// find_policy(): a name under the wrong knob or an unknown name is not found.
TEST(PolicyRegistry, FindPolicy_UnknownOrWrongKnobIsNull) {
  EXPECT_EQ(find_policy("cow", "no-such"), nullptr);
  EXPECT_EQ(find_policy("no-such", "mapcount"), nullptr);
  EXPECT_EQ(find_policy("clear-refs", "mapcount"), nullptr);
  EXPECT_EQ(find_policy("cow", "skip-pinned"), nullptr);
}

// make_policy_set(): an unknown knob, an unknown policy and a missing knob are errors with a message.
TEST(PolicyRegistry, MakePolicySet_RejectsUnknownAndMissingKnobs) {
  std::string err;
  auto choices = find_profile("linux-6.18")->choices;
  auto bad = choices;
  bad["no-such-knob"] = "x";
  EXPECT_FALSE(make_policy_set(bad, &err).has_value());
  EXPECT_THAT(err, ::testing::HasSubstr("no-such-knob"));
  bad = choices;
  bad["cow"] = "no-such-policy";
  err.clear();
  EXPECT_FALSE(make_policy_set(bad, &err).has_value());
  EXPECT_THAT(err, ::testing::HasSubstr("no-such-policy"));
  bad = choices;
  bad.erase("clear-refs");
  err.clear();
  EXPECT_FALSE(make_policy_set(bad, &err).has_value());
  EXPECT_THAT(err, ::testing::HasSubstr("clear-refs"));
}

// Stable trees mix eras (§3.7: "the policy of a stable kernel cannot be derived from its version number"):
// any combination of policies resolves and runs a fork + write without breaking the counters.
TEST(PolicyRegistry, MakePolicySet_AnyCombinationOfPoliciesRuns) {
  // Every combination: one policy per knob (the cartesian product of knobs()).
  std::vector<std::map<std::string, std::string>> combos{{}};
  for (const Knob& kd : knobs()) {
    std::vector<std::map<std::string, std::string>> next;
    for (const auto& partial : combos)
      for (const Policy* p : kd.policies) {
        auto c = partial;
        c[std::string(kd.name)] = std::string(p->name());
        next.push_back(c);
      }
    combos = std::move(next);
  }
  for (const auto& c : combos) {
      {
        std::string err;
        auto set = make_policy_set(c, &err);
        ASSERT_TRUE(set.has_value()) << err;
        State s(Config{.memory = 16});
        Kernel k(s, *set);
        const TaskId t = k.spawn();
        Vpn a = 0;
        ASSERT_EQ(k.mmap(t, 1, RW, 0, &a), Outcome::ok());
        ASSERT_EQ(k.write(t, a, 1), Outcome::ok());
        TaskId c1 = kNone;
        ASSERT_EQ(k.fork(t, &c1), Outcome::ok());
        ASSERT_EQ(k.write(c1, a, 2), Outcome::ok());
        ASSERT_EQ(k.clear_refs(t), Outcome::ok());
        ASSERT_EQ(k.mprotect(t, a, 1, RO), Outcome::ok());
        ASSERT_EQ(k.mprotect(t, a, 1, RW), Outcome::ok());
        ASSERT_EQ(k.write(t, a, 3), Outcome::ok());
        std::string label;
        for (auto& [k2, v2] : c) label += k2 + "=" + v2 + " ";
        EXPECT_THAT(check_invariants(s, *set), ::testing::IsEmpty()) << label;
      }
  }
}

}  // namespace
}  // namespace mmsim

namespace mmsim {
namespace {
// The PG_anon_exclusive steps: 5.19/6.1 do not unshare non-anon pages for R/O
// long-term pins (84209e87c696 is 6.2); 6.1 upgrades only dirty PTEs on
// mprotect; 6.13 never reuses a subpage of a large folio, 6.18 does (C'').
TEST(PolicyRegistry, AnonExclusiveSteps) {
  auto cow = [](const char* p) { return find_profile(p)->choices.at("cow"); };
  auto mu = [](const char* p) { return find_profile(p)->choices.at("mprotect-upgrade"); };
  EXPECT_EQ(cow("linux-5.19"), "anon-exclusive-5.19");
  EXPECT_EQ(cow("linux-6.1"), "anon-exclusive-5.19");
  EXPECT_EQ(cow("linux-6.13"), "anon-exclusive-6.13");
  EXPECT_EQ(cow("linux-6.18"), "anon-exclusive");
  EXPECT_EQ(mu("linux-5.19"), "never");
  EXPECT_EQ(mu("linux-6.1"), "dirty-exclusive");
  EXPECT_EQ(mu("linux-6.13"), "exclusive");
  // A R/O long-term pin of the zero page: unshared from 6.2 on only.
  for (const auto& [profile, unshares] : std::vector<std::pair<const char*, bool>>{
           {"linux-5.19", false}, {"linux-6.1", false}, {"linux-6.13", true}, {"linux-6.18", true}}) {
    std::string err;
    auto ps = make_policy_set(find_profile(profile)->choices, &err);
    ASSERT_TRUE(ps) << err;
    State s(Config{.memory = 16});
    Kernel k(s, *ps);
    const TaskId t = k.spawn();
    Vpn a = 0;
    ASSERT_EQ(k.mmap(t, 1, 3, 0, &a), Outcome::ok());
    Token v = 1;
    ASSERT_EQ(k.read(t, a, &v), Outcome::ok());  // the zero page
    GupId g = kNone;
    ASSERT_EQ(k.gup(t, t, a, 1, FOLL_PIN | FOLL_LONGTERM, &g), Outcome::ok());
    EXPECT_EQ(k.mapped_page(t, a).has_value(), unshares) << profile;
    EXPECT_TRUE(check_invariants(s, *ps).empty()) << profile;
  }
}
}  // namespace
}  // namespace mmsim
