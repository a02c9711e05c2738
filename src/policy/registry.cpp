// Policy registry and profiles.
#include <fmt/format.h>

#include "policy/profile.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {
const CowPolicy* const kCowPolicies[] = {&anon_exclusive_policy()};
}  // namespace

const CowPolicy* find_cow_policy(std::string_view name) {
  for (const CowPolicy* p : kCowPolicies)
    if (p->name() == name) return p;
  return nullptr;
}

const std::map<std::string, std::vector<std::string>>& policy_knobs() {
  static const auto knobs = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const CowPolicy* p : kCowPolicies) m["cow"].emplace_back(p->name());
    return m;
  }();
  return knobs;
}

const std::vector<Profile>& profiles() {
  static const std::vector<Profile> list = {
      {"linux-6.18", "Linux 6.18: PG_anon_exclusive COW (5.19+), R/O pins unshare, pinned pages copied at fork",
       {{"cow", "anon-exclusive"}}},
  };
  return list;
}

const Profile* find_profile(std::string_view name) {
  for (const Profile& p : profiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<PolicySet> make_policy_set(const std::map<std::string, std::string>& choices, std::string* error) {
  PolicySet set;
  for (const auto& [knob, value] : choices) {
    if (knob == "cow") {
      set.cow = find_cow_policy(value);
      if (!set.cow) {
        *error = fmt::format("unknown policy '{}' for knob 'cow' (known: {})", value,
                             fmt::join(policy_knobs().at("cow"), ", "));
        return std::nullopt;
      }
    } else {
      *error = fmt::format("unknown policy knob '{}' (known: cow)", knob);
      return std::nullopt;
    }
  }
  if (!set.cow) {
    *error = "no policy chosen for knob 'cow'";
    return std::nullopt;
  }
  return set;
}

}  // namespace mmsim
