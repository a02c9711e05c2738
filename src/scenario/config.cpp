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
      {"mthp", "per-size THP (6.8+, hugepages-<size>kB/enabled): ORDER[:always|madvise|inherit|never],... "
               "(orders 2 to thp_order; a bare ORDER is always)"},
      {"use_zero_page", "transparent_hugepage/use_zero_page: 1 (default, like this host) or 0"},
      {"lru_batch", "per-CPU LRU add batch size (15 in 5.x, 31 in 6.x; default 0 = drained at once)"},
      {"swap", "slots of the swap device (default 0 = no swap device, like this host)"},
  };
  return keys;
}

namespace {

// `mthp=2,4:madvise,9:never`: the hugepages-<size>kB/enabled file of each
// order (thp_anon_setup(): orders 2 .. PMD_ORDER exist for anonymous memory,
// THP_ORDERS_ALL_ANON excludes orders 0 and 1). A bare order means `always`
// (the usual `echo always > hugepages-16kB/enabled`).
bool parse_mthp(const std::string& val, Config& c, std::string* error) {
  size_t pos = 0;
  while (pos <= val.size()) {
    const size_t comma = val.find(',', pos);
    const std::string item = val.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    const size_t colon = item.find(':');
    const std::string num = item.substr(0, colon);
    const std::string mode = colon == std::string::npos ? "always" : item.substr(colon + 1);
    auto v = parse_literal(num);
    if (num.empty() || !v || v->kind != Value::Kind::Int || v->i < 2 || v->i > 9) {
      *error = fmt::format("config mthp={}: expected ORDER[:always|madvise|inherit|never],... with orders 2 to 9 "
                           "(anonymous mTHP has no order 0 or 1), got '{}'",
                           val, item);
      return false;
    }
    const uint32_t bit = 1u << v->i;
    if (c.mthp_set & bit) {
      *error = fmt::format("config mthp={}: order {} given twice", val, v->i);
      return false;
    }
    c.mthp_set |= bit;
    if (mode == "always") c.mthp_always |= bit;
    else if (mode == "madvise") c.mthp_madvise |= bit;
    else if (mode == "inherit") c.mthp_inherit |= bit;
    else if (mode != "never") {
      *error = fmt::format("config mthp={}: expected always, madvise, inherit or never after '{}:', got '{}'", val,
                           num, mode);
      return false;
    }
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return true;
}

}  // namespace

std::string mthp_config_value(const Config& cfg) {
  std::string out;
  for (uint32_t o = 0; o < 32; ++o) {
    const uint32_t bit = 1u << o;
    if (!(cfg.mthp_set & bit)) continue;
    if (!out.empty()) out += ",";
    out += std::to_string(o);
    if (cfg.mthp_madvise & bit) out += ":madvise";
    else if (cfg.mthp_inherit & bit) out += ":inherit";
    else if (!(cfg.mthp_always & bit)) out += ":never";
  }
  return out;
}

bool config_from_scenario(const std::map<std::string, std::string>& kv, Config* out, std::string* error) {
  return config_over(kv, Config{}, out, error);
}

bool config_over(const std::map<std::string, std::string>& kv, const Config& base, Config* out, std::string* error) {
  Config c = base;
  for (const auto& [key, val] : kv) {
    if (key == "mthp") {
      // A new value replaces the per-size settings it starts from (the
      // explorer's --config mthp= over a seed's), it does not add to them.
      c.mthp_always = c.mthp_madvise = c.mthp_inherit = c.mthp_set = 0;
      if (!parse_mthp(val, c, error)) return false;
    } else if (key == "memory") {
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
  // Orders above the PMD order have no hugepages-<size>kB directory.
  for (uint32_t o = c.thp_order + 1; o < 32; ++o)
    if (c.mthp_set & (1u << o)) {
      *error = fmt::format("config mthp={}: order {} is above thp_order={} (the PMD order is the largest THP size)",
                           kv.count("mthp") ? kv.at("mthp") : mthp_config_value(c), o, int(c.thp_order));
      return false;
    }
  if (out) *out = c;
  return true;
}

}  // namespace mmsim
