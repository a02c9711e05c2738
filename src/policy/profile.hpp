// Profiles name a set of policy choices (one per knob), e.g. linux-6.18.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy.hpp"

namespace mmsim {

// The policies in force for one run. One typed pointer per knob.
struct PolicySet {
  const CowPolicy* cow = nullptr;
  const ClearRefsPolicy* clear_refs = nullptr;
  const MprotectUpgradePolicy* mprotect_upgrade = nullptr;
  const HugetlbForkPolicy* hugetlb_fork = nullptr;
  const GmemConversionPolicy* gmem_conversion = nullptr;
  const GmemHugePolicy* gmem_huge = nullptr;
  const GmemPinPolicy* gmem_pin = nullptr;
  const SwapoutPinnedPolicy* swapout_pinned = nullptr;
  const DroppablePolicy* droppable = nullptr;
  const HugeZeroWpPolicy* huge_zero_wp = nullptr;
  const MthpPolicy* mthp = nullptr;
  const ThpSplitLockPolicy* thp_split_lock = nullptr;
  const DioPolicy* dio = nullptr;
  const MremapMovePolicy* mremap_move = nullptr;
};

struct Profile {
  std::string name;
  std::string summary;
  std::map<std::string, std::string> choices;  // knob -> policy name
};

// A knob: one contested choice, the policies that implement it, and how a
// PolicySet holds the chosen one. The registry (policy/registry.cpp) lists them.
struct Knob {
  std::string_view name;
  std::string_view summary;
  std::vector<const Policy*> policies;
  void (*assign)(PolicySet&, const Policy*);
};
const std::vector<Knob>& knobs();
const Policy* find_policy(std::string_view knob, std::string_view name);

// Known knobs and, for each, the policy names it accepts.
const std::map<std::string, std::vector<std::string>>& policy_knobs();
const std::vector<Profile>& profiles();
const Profile* find_profile(std::string_view name);
inline constexpr std::string_view kDefaultProfile = "linux-6.18";

// Resolve choices to policy objects; nullopt + message on an unknown knob/name.
std::optional<PolicySet> make_policy_set(const std::map<std::string, std::string>& choices, std::string* error);

}  // namespace mmsim
