// The list of policy implementations (one accessor per policy file). Adding
// a policy: write its file, add its accessor here and to registry.cpp.
#pragma once
#include "policy/policy.hpp"

namespace mmsim {
const CowPolicy& anon_exclusive_policy();
}  // namespace mmsim
