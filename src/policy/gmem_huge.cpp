// gmem-huge=none (Linux 6.18: order-0 folios only) | shatter | split: huge
// (HugeTLB-backed) guest_memfd from the 1G/2M series (spec guest-memfd.md
// §2.2 item 4, §2.3, §3.4).
#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class GmemHugeNone final : public GmemHugePolicy {
 public:
  std::string_view name() const override { return "none"; }
  std::string_view summary() const override { return "6.18: order-0 folios only; GUEST_MEMFD_FLAG_HUGETLB does not exist"; }
  bool supports_hugetlb() const override { return false; }
  bool split_new_folio(const Kernel&, uint32_t, uint64_t) const override { return true; }
  bool split_on_share() const override { return false; }
  bool merge_on_punch() const override { return false; }
};

// The MM alignment session's interim design (2024-07-10): huge pages are
// broken into 4K at creation, so no huge folio ever survives (HVO lost).
// Sean: "I doubt we'll ever release a version ... that shatters pages at creation".
class GmemHugeShatter final : public GmemHugePolicy {
 public:
  bool proposal() const override { return true; }  // never merged
  std::string_view name() const override { return "shatter"; }
  std::string_view summary() const override {
    return "proposal: huge pages are split to 4K folios as soon as they are allocated (the 2024 interim design)";
  }
  bool supports_hugetlb() const override { return true; }
  bool split_new_folio(const Kernel&, uint32_t, uint64_t) const override { return true; }
  bool split_on_share() const override { return false; }  // already 4K
  bool merge_on_punch() const override { return false; }
};

// RFC v2 / the 2026 tree: huge folios stay huge while private; a new folio
// with any shared part is split at once, conversion to shared splits, and
// PUNCH_HOLE merges back (EAGAIN while a page has extra references).
class GmemHugeSplit final : public GmemHugePolicy {
 public:
  bool proposal() const override { return true; }  // never merged
  std::string_view name() const override { return "split"; }
  std::string_view summary() const override {
    return "proposal: huge folios kept while private, split on conversion to shared, merged on PUNCH_HOLE (EAGAIN if pinned)";
  }
  bool supports_hugetlb() const override { return true; }
  bool split_new_folio(const Kernel& k, uint32_t g, uint64_t index) const override {
    const uint64_t nr = 1ull << k.gmem(g).order;
    for (uint64_t i = index; i < index + nr; ++i)
      if (k.gmem_index_shared(g, i)) return true;
    return false;
  }
  bool split_on_share() const override { return true; }
  bool merge_on_punch() const override { return true; }
};

}  // namespace

const GmemHugePolicy& gmem_huge_none_policy() {
  static const GmemHugeNone p;
  return p;
}
const GmemHugePolicy& gmem_huge_shatter_policy() {
  static const GmemHugeShatter p;
  return p;
}
const GmemHugePolicy& gmem_huge_split_policy() {
  static const GmemHugeSplit p;
  return p;
}

}  // namespace mmsim
