// Running Graphviz's `dot` to turn DOT source into SVG. The binary is looked
// up like a shell would (PATH), or given explicitly (tests, unusual installs).
// Without it, callers say "skipped: graphviz not installed" — never crash.
#pragma once
#include <optional>
#include <string>

namespace mmsim::viz {

inline constexpr const char* kGraphvizMissing = "skipped: graphviz not installed";

// The executable `dot` to run: `hint` as given when it contains a '/',
// else the first executable `hint` (default "dot") on PATH. nullopt if none.
std::optional<std::string> find_dot(const std::string& hint = "");

// `dot -Tsvg`: SVG text, or nullopt with *error set (exit status, stderr).
std::optional<std::string> dot_to_svg(const std::string& dot_binary, const std::string& dot_source, std::string* error);

// "dot - graphviz version 2.43.0 (0)" or "" when it cannot be run.
std::string dot_version(const std::string& dot_binary);

}  // namespace mmsim::viz
