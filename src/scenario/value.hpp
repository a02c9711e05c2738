// Values that scenario bindings hold and expectations compare.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/outcome.hpp"

namespace mmsim {

struct Value {
  enum class Kind : uint8_t { None, Int, Bool, Pfn, Outcome };
  Kind kind = Kind::None;
  uint64_t i = 0;     // Int, Bool (0/1), Pfn
  Outcome outcome;    // Outcome

  static Value none() { return {}; }
  static Value integer(uint64_t v) { return {Kind::Int, v, {}}; }
  static Value boolean(bool b) { return {Kind::Bool, b ? 1u : 0u, {}}; }
  static Value pfn(uint64_t p) { return {Kind::Pfn, p, {}}; }
  static Value of(const Outcome& o) { return {Kind::Outcome, 0, o}; }

  std::string str() const;  // 0xaa, 17, true, pfn:42, SIGSEGV, none
};

// == in scenarios: same kind and value; integers and booleans compare by number.
bool values_equal(const Value& a, const Value& b);
// Parse a literal: integer (decimal or 0x hex), true/false, none, or an outcome
// atom (OK, OOM, SIGSEGV, EFAULT, ...).
std::optional<Value> parse_literal(std::string_view word);

}  // namespace mmsim
