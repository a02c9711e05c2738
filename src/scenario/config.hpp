// `config key=value` lines -> the simulated machine (model Config).
#pragma once
#include <map>
#include <string>

#include "model/state.hpp"

namespace mmsim {

// Known keys and what they mean, for messages and docs.
const std::map<std::string, std::string>& config_keys();
// Applies the scenario's config on top of the defaults; false + message on
// an unknown key or a bad value. `out` may be null (validation only).
bool config_from_scenario(const std::map<std::string, std::string>& kv, Config* out, std::string* error);
// The same on top of `base` instead of the defaults (the explorer's --config
// overrides on the machine it chose): the checks across keys see base's values.
bool config_over(const std::map<std::string, std::string>& kv, const Config& base, Config* out, std::string* error);
// The `mthp=` value that gives cfg's per-size THP settings ("" if none were set).
std::string mthp_config_value(const Config& cfg);

}  // namespace mmsim
