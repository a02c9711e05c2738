// Policy registry and profiles.
#include <fmt/format.h>

#include "policy/profile.hpp"
#include "policy/registry.hpp"

namespace mmsim {

const std::vector<Knob>& knobs() {
  static const std::vector<Knob> list = {
      {"cow", "COW reuse on write faults, fork of pinned pages, R/O GUP on shared pages",
       {&mapcount_policy(), &mapcount_gup_break_policy(), &refcount_policy(), &refcount_518_policy(),
        &anon_exclusive_619_policy(), &anon_exclusive_613_policy(), &anon_exclusive_policy()},
       [](PolicySet& s, const Policy* p) { s.cow = static_cast<const CowPolicy*>(p); }},
      {"clear-refs", "what clear_refs(4) does to writable PTEs of pinned pages",
       {&clear_refs_wrprotect_all_policy(), &clear_refs_skip_pinned_policy()},
       [](PolicySet& s, const Policy* p) { s.clear_refs = static_cast<const ClearRefsPolicy*>(p); }},
      {"mprotect-upgrade", "whether making a private mapping writable maps exclusive pages writable at once",
       {&mprotect_upgrade_never_policy(), &mprotect_upgrade_dirty_exclusive_policy(),
        &mprotect_upgrade_exclusive_policy()},
       [](PolicySet& s, const Policy* p) { s.mprotect_upgrade = static_cast<const MprotectUpgradePolicy*>(p); }},
      {"hugetlb-fork", "whether fork copies a pinned hugetlb page for the child",
       {&hugetlb_fork_share_pinned_policy(), &hugetlb_fork_copy_pinned_policy()},
       [](PolicySet& s, const Policy* p) { s.hugetlb_fork = static_cast<const HugetlbForkPolicy*>(p); }},
      {"gmem-conversion", "guest_memfd shared/private: whole-file INIT_SHARED + per-VM attributes (6.18) or in-place per index",
       {&gmem_conversion_none_policy(), &gmem_conversion_inplace_policy()},
       [](PolicySet& s, const Policy* p) { s.gmem_conversion = static_cast<const GmemConversionPolicy*>(p); }},
      {"gmem-huge", "huge folios in guest_memfd: none (6.18), shattered at creation, or split on conversion",
       {&gmem_huge_none_policy(), &gmem_huge_shatter_policy(), &gmem_huge_split_policy()},
       [](PolicySet& s, const Policy* p) { s.gmem_huge = static_cast<const GmemHugePolicy*>(p); }},
      {"gmem-pin", "whether exclusive GUP pins (FOLL_EXCLUSIVE, 2024 RFC) exist",
       {&gmem_pin_plain_policy(), &gmem_pin_exclusive_policy()},
       [](PolicySet& s, const Policy* p) { s.gmem_pin = static_cast<const GmemPinPolicy*>(p); }},
      {"swapout-pinned", "whether reclaim may put a maybe-pinned anonymous folio into the swap cache",
       {&swapout_pinned_swap_policy(), &swapout_pinned_keep_policy()},
       [](PolicySet& s, const Policy* p) { s.swapout_pinned = static_cast<const SwapoutPinnedPolicy*>(p); }},
      {"droppable", "what MAP_DROPPABLE memory does under pressure and what a dropped page reads back as",
       {&droppable_unsupported_policy(), &droppable_zero_policy(), &droppable_sigbus_policy(), &droppable_refill_policy(), &droppable_pinned_policy()},
       [](PolicySet& s, const Policy* p) { s.droppable = static_cast<const DroppablePolicy*>(p); }},
      {"huge-zero-wp", "what a write or unshare fault on the huge zero PMD does (new THP or split + 4K COW)",
       {&huge_zero_wp_alloc_thp_policy(), &huge_zero_wp_split_policy()},
       [](PolicySet& s, const Policy* p) { s.huge_zero_wp = static_cast<const HugeZeroWpPolicy*>(p); }},
      {"mthp", "whether anonymous faults allocate multi-size THP (per-size hugepages-<size>kB/enabled, 6.8+)",
       {&mthp_unsupported_policy(), &mthp_anon_policy()},
       [](PolicySet& s, const Policy* p) { s.mthp = static_cast<const MthpPolicy*>(p); }},
      {"thp-split-lock", "whether a THP's PMD split holds the page lock, so a write fault never reads its half-moved mapcount (CVE-2020-29368)",
       {&thp_split_lock_none_policy(), &thp_split_lock_page_lock_policy()},
       [](PolicySet& s, const Policy* p) { s.thp_split_lock = static_cast<const ThpSplitLockPolicy*>(p); }},
      {"dio", "which GUP reference O_DIRECT read()/write() takes on the user buffer (FOLL_GET <= 6.4, FOLL_PIN 6.5+)",
       {&dio_get_policy(), &dio_pin_policy()},
       [](PolicySet& s, const Policy* p) { s.dio = static_cast<const DioPolicy*>(p); }},
      {"mremap-move", "whether a same-size MREMAP_FIXED mremap() may move several VMAs, gaps kept (6.17+)",
       {&mremap_move_single_vma_policy(), &mremap_move_multi_vma_policy()},
       [](PolicySet& s, const Policy* p) { s.mremap_move = static_cast<const MremapMovePolicy*>(p); }},
  };
  return list;
}

const Policy* find_policy(std::string_view knob, std::string_view name) {
  for (const Knob& k : knobs())
    if (k.name == knob)
      for (const Policy* p : k.policies)
        if (p->name() == name) return p;
  return nullptr;
}

const std::map<std::string, std::vector<std::string>>& policy_knobs() {
  static const auto m = [] {
    std::map<std::string, std::vector<std::string>> m;
    for (const Knob& k : knobs())
      for (const Policy* p : k.policies) m[std::string(k.name)].emplace_back(p->name());
    return m;
  }();
  return m;
}

// Mainline kernels; the commit behind each choice is in docs/cow-history.md.
// Stable trees mix eras (5.4.y has the 5.8 GUP break, 5.10.9 the clear_refs
// skip): select policies with --policy, not by version string.
const std::vector<Profile>& profiles() {
  static const std::vector<Profile> list = {
      {"linux-5.7", "Linux <= 5.7.2: mapcount-based COW reuse, GUP ignores COW",
       {{"cow", "mapcount"}, {"clear-refs", "wrprotect-all"}, {"mprotect-upgrade", "never"},
        {"hugetlb-fork", "share-pinned"}, {"swapout-pinned", "swap"}, {"droppable", "unsupported"}, {"huge-zero-wp", "alloc-thp"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "none"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-5.8", "Linux 5.8: mapcount reuse plus the forced COW break in GUP (CVE-2020-29374 fix)",
       {{"cow", "mapcount+gup-break"}, {"clear-refs", "wrprotect-all"}, {"mprotect-upgrade", "never"},
        {"hugetlb-fork", "share-pinned"}, {"swapout-pinned", "swap"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-5.9", "Linux 5.9/5.10.0-8: refcount-based COW reuse, pinned pages copied at fork",
       {{"cow", "refcount"}, {"clear-refs", "wrprotect-all"}, {"mprotect-upgrade", "never"},
        {"hugetlb-fork", "share-pinned"}, {"swapout-pinned", "swap"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-5.11", "Linux 5.11 (and 5.10.9+): refcount reuse, clear_refs skips pinned pages (5.12-5.17 also copy pinned hugetlb pages at fork)",
       {{"cow", "refcount"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "never"}, {"hugetlb-fork", "share-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-5.18", "Linux 5.18: refcount reuse after LRU drain and swap-cache free (COW fixes part 1)",
       {{"cow", "refcount-5.18"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "never"},
        {"hugetlb-fork", "copy-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-5.19", "Linux 5.19: PG_anon_exclusive (COW fixes part 2/3), R/O pins unshare anonymous pages",
       {{"cow", "anon-exclusive-5.19"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "never"},
        {"hugetlb-fork", "copy-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-6.1", "Linux 6.1 (LTS): as 5.19, and mprotect() maps dirty exclusive pages writable at once",
       {{"cow", "anon-exclusive-5.19"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "dirty-exclusive"},
        {"hugetlb-fork", "copy-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "unsupported"}, {"huge-zero-wp", "split"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "unsupported"}, {"thp-split-lock", "page-lock"}, {"dio", "get"}, {"mremap-move", "single-vma"}}},
      {"linux-6.13", "Linux 6.13: R/O long-term pins unshare non-anon pages too (6.2+), exclusive pages writable "
                     "at once on mprotect, large folios never reused",
       {{"cow", "anon-exclusive-6.13"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "exclusive"},
        {"hugetlb-fork", "copy-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "zero"}, {"huge-zero-wp", "alloc-thp"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "anon"}, {"thp-split-lock", "page-lock"}, {"dio", "pin"}, {"mremap-move", "single-vma"}}},
      {"linux-6.18", "Linux 6.18: PG_anon_exclusive COW (5.19+), R/O pins unshare, pinned pages copied at fork",
       {{"cow", "anon-exclusive"}, {"clear-refs", "skip-pinned"}, {"mprotect-upgrade", "exclusive"},
        {"hugetlb-fork", "copy-pinned"}, {"swapout-pinned", "keep"}, {"droppable", "zero"}, {"huge-zero-wp", "alloc-thp"}, {"gmem-conversion", "none"}, {"gmem-huge", "none"}, {"gmem-pin", "plain"}, {"mthp", "anon"}, {"thp-split-lock", "page-lock"}, {"dio", "pin"}, {"mremap-move", "multi-vma"}}},
  };
  return list;
}

const Profile* find_profile(std::string_view name) {
  for (const Profile& p : profiles())
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<PolicySet> make_policy_set(const std::map<std::string, std::string>& choices, std::string* error) {
  PolicySet set;
  for (const auto& [knob, value] : choices) {
    auto k = policy_knobs().find(knob);
    if (k == policy_knobs().end()) {
      std::vector<std::string> names;
      for (auto& [n, _] : policy_knobs()) names.push_back(n);
      *error = fmt::format("unknown policy knob '{}' (known: {})", knob, fmt::join(names, ", "));
      return std::nullopt;
    }
    const Policy* p = find_policy(knob, value);
    if (!p) {
      *error = fmt::format("unknown policy '{}' for knob '{}' (known: {})", value, knob, fmt::join(k->second, ", "));
      return std::nullopt;
    }
    for (const Knob& kd : knobs())
      if (kd.name == knob) kd.assign(set, p);
  }
  for (const Knob& kd : knobs())
    if (!choices.count(std::string(kd.name))) {
      *error = fmt::format("no policy chosen for knob '{}'", kd.name);
      return std::nullopt;
    }
  return set;
}

}  // namespace mmsim
