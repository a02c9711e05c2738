#include "scenario/config.hpp"

#include <fmt/format.h>

#include "scenario/value.hpp"

namespace mmsim {

const std::map<std::string, std::string>& config_keys() {
  static const std::map<std::string, std::string> keys = {
      {"memory", "page frames of RAM (default 256)"},
      {"soft_dirty", "CONFIG_MEM_SOFT_DIRTY: y or n (default y)"},
      {"hugetlb", "huge pages in the hugetlb pool (default 0); each takes one frame"},
      {"thp", "transparent_hugepage/enabled: never, madvise (default, like this host) or always"},
      {"thp_order", "THP order (HPAGE_PMD_ORDER, default 9; 1-9, smaller keeps scenarios small)"},
      {"use_zero_page", "transparent_hugepage/use_zero_page: 1 (default, like this host) or 0"},
      {"lru_batch", "per-CPU LRU add batch size (15 in 5.x, 31 in 6.x; default 0 = drained at once)"},
      {"swap", "slots of the swap device (default 0 = no swap device, like this host)"},
  };
  return keys;
}

bool config_from_scenario(const std::map<std::string, std::string>& kv, Config* out, std::string* error) {
  Config c;
  for (const auto& [key, val] : kv) {
    if (key == "memory") {
      auto v = parse_literal(val);
      if (!v || v->kind != Value::Kind::Int || v->i == 0 || v->i > (1u << 22)) {
        *error = fmt::format("config memory={}: expected a number of pages between 1 and {}", val, 1u << 22);
        return false;
      }
      c.memory = uint32_t(v->i);
    } else if (key == "hugetlb") {
      auto v = parse_literal(val);
      if (!v || v->kind != Value::Kind::Int || v->i > (1u << 20)) {
        *error = fmt::format("config hugetlb={}: expected a number of huge pages", val);
        return false;
      }
      c.hugetlb = uint32_t(v->i);
    } else if (key == "thp") {
      if (val == "never") c.thp = 0;
      else if (val == "madvise") c.thp = 1;
      else if (val == "always") c.thp = 2;
      else {
        *error = fmt::format("config thp={}: expected never, madvise or always", val);
        return false;
      }
    } else if (key == "thp_order") {
      auto v = parse_literal(val);
      if (!v || v->kind != Value::Kind::Int || v->i < 1 || v->i > 9) {
        *error = fmt::format("config thp_order={}: expected 1 to 9", val);
        return false;
      }
      c.thp_order = uint8_t(v->i);
    } else if (key == "use_zero_page") {
      if (val == "1" || val == "y") c.use_zero_page = true;
      else if (val == "0" || val == "n") c.use_zero_page = false;
      else {
        *error = fmt::format("config use_zero_page={}: expected 1 or 0", val);
        return false;
      }
    } else if (key == "lru_batch") {
      auto v = parse_literal(val);
      if (!v || v->kind != Value::Kind::Int || v->i > 1024) {
        *error = fmt::format("config lru_batch={}: expected a batch size (0 to 1024)", val);
        return false;
      }
      c.lru_batch = uint32_t(v->i);
    } else if (key == "swap") {
      auto v = parse_literal(val);
      if (!v || v->kind != Value::Kind::Int || v->i > (1u << 20)) {
        *error = fmt::format("config swap={}: expected a number of swap slots (0 to {})", val, 1u << 20);
        return false;
      }
      c.swap = uint32_t(v->i);
    } else if (key == "soft_dirty") {
      if (val == "y" || val == "yes" || val == "on")
        c.soft_dirty = true;
      else if (val == "n" || val == "no" || val == "off")
        c.soft_dirty = false;
      else {
        *error = fmt::format("config soft_dirty={}: expected y or n", val);
        return false;
      }
    } else {
      std::string known;
      for (const auto& [k, d] : config_keys()) known += (known.empty() ? "" : ", ") + k;
      *error = fmt::format("unknown config key '{}' (known: {})", key, known);
      return false;
    }
  }
  if (out) *out = c;
  return true;
}

}  // namespace mmsim
