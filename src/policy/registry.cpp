// Policy registry and profiles.
#include <fmt/format.h>

#include "policy/profile.hpp"
#include "policy/registry.hpp"

namespace mmsim {

const std::vector<Knob>& knobs() {
  static const std::vector<Knob> list = {
      {"cow", "COW reuse on write faults, fork of pinned pages, R/O GUP on shared pages",
       {&anon_exclusive_policy()},
       [](PolicySet& s, const Policy* p) { s.cow = static_cast<const CowPolicy*>(p); }},
  };
  return list;
}

const Policy* find_policy(std::string_view knob, std::string_view name) {
  for (const Knob& k : knobs())
    if (k.name == knob)
      for (const Policy* p : k.policies)
        if (p->name() == name) return p;
  return nullptr;
}

const std::map<std::string, std::vector<std::string>>& policy_knobs() {
  static const auto m = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const Knob& k : knobs())
      for (const Policy* p : k.policies) m[std::string(k.name)].emplace_back(p->name());
    return m;
  }();
  return m;
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
    auto k = policy_knobs().find(knob);
    if (k == policy_knobs().end()) {
      std::vector<std::string> names;
      for (auto& [n, _] : policy_knobs()) names.push_back(n);
      *error = fmt::format("unknown policy knob '{}' (known: {})", knob, fmt::join(names, ", "));
      return std::nullopt;
    }
    const Policy* p = find_policy(knob, value);
    if (!p) {
      *error = fmt::format("unknown policy '{}' for knob '{}' (known: {})", value, knob, fmt::join(k->second, ", "));
      return std::nullopt;
    }
    for (const Knob& kd : knobs())
      if (kd.name == knob) kd.assign(set, p);
  }
  for (const Knob& kd : knobs())
    if (!choices.count(std::string(kd.name))) {
      *error = fmt::format("no policy chosen for knob '{}'", kd.name);
      return std::nullopt;
    }
  return set;
}

}  // namespace mmsim
