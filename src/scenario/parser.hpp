// Scenario files: lexing, parsing and static validation (names, ranges,
// process lifetimes, qualifiers). Every error names file:line:column and
// what was expected.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenario/ast.hpp"

namespace mmsim {

struct ParseResult {
  std::optional<Scenario> scenario;  // set when there were no errors
  std::vector<Diagnostic> errors;
};

ParseResult parse_scenario(std::string_view text, const std::string& file);
ParseResult load_scenario(const std::string& path);
// Static checks of a syntactically valid scenario (called by parse_scenario).
std::vector<Diagnostic> validate_scenario(const Scenario& s);

// Keywords of the language, for messages and documentation.
std::string_view op_name(Op op);
std::string_view probe_name(Probe p);
bool probe_per_page(Probe p);  // one value per page of a range (else: the mm, or the machine)
bool probe_global(Probe p);    // the whole machine (free_pages, free_swap): any process may ask
// " — did you mean 'x'?" for the candidate nearest to `word` (edit distance < 3), or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace mmsim
