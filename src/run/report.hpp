// Output formats for `mmsim run`: text (default), JSON Lines, TAP 13.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "run/runner.hpp"

namespace mmsim {

std::string policies_string(const std::map<std::string, std::string>& policies);  // "cow=anon-exclusive"
std::string text_report(const RunResult& r, bool with_trace);
nlohmann::json json_report(const RunResult& r, uint64_t seed);
std::string tap_report(const RunResult& r, size_t number, bool with_trace);

}  // namespace mmsim
