#include "scenario/value.hpp"

#include <fmt/format.h>

#include <charconv>

namespace mmsim {

std::string Value::str() const {
  switch (kind) {
    case Kind::None: return "none";
    case Kind::Int: return i < 10 ? fmt::format("{}", i) : fmt::format("{:#x}", i);
    case Kind::Bool: return i ? "true" : "false";
    case Kind::Pfn: return fmt::format("pfn:{}", i);
    case Kind::Outcome: return outcome.name();
  }
  return "?";
}

bool values_equal(const Value& a, const Value& b) {
  auto numeric = [](const Value& v) { return v.kind == Value::Kind::Int || v.kind == Value::Kind::Bool; };
  if (numeric(a) && numeric(b)) return a.i == b.i;
  if (a.kind != b.kind) return false;
  if (a.kind == Value::Kind::Outcome) return a.outcome == b.outcome;
  return a.i == b.i;
}

std::optional<Value> parse_literal(std::string_view w) {
  if (w.empty()) return std::nullopt;
  if (w == "true") return Value::boolean(true);
  if (w == "false") return Value::boolean(false);
  if (w == "none") return Value::none();
  if (auto o = outcome_from_name(w)) return Value::of(*o);
  int base = 10;
  std::string_view digits = w;
  if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
    base = 16;
    digits = w.substr(2);
  }
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
  if (ec != std::errc() || p != digits.data() + digits.size()) return std::nullopt;
  return Value::integer(v);
}

}  // namespace mmsim
