// Knob "mthp": does the kernel allocate anonymous multi-size THP (mTHP)?
// 19eaf44954df "mm: thp: support allocation of anonymous multi-size THP"
// (6.8) added alloc_anon_folio() (mm/memory.c) and the per-size controls
// /sys/kernel/mm/transparent_hugepage/hugepages-<size>kB/enabled; before it
// an anonymous fault got a PMD-sized THP or one small page, and the per-size
// files did not exist.
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class Mthp final : public MthpPolicy {
 public:
  explicit Mthp(bool anon) : anon_(anon) {}
  std::string_view name() const override { return anon_ ? "anon" : "unsupported"; }
  std::string_view summary() const override {
    return anon_ ? "6.8+: a write fault allocates the highest enabled mTHP order that fits (alloc_anon_folio(), "
                   "19eaf44954df), PTE-mapped; per-size hugepages-<size>kB/enabled"
                 : "< 6.8: anonymous faults get a PMD THP or a small page; no per-size THP controls "
                   "(a scenario with `config mthp=` is skipped)";
  }
  bool anon_orders() const override { return anon_; }

 private:
  bool anon_;
};

}  // namespace

const MthpPolicy& mthp_unsupported_policy() {
  static const Mthp p(false);
  return p;
}
const MthpPolicy& mthp_anon_policy() {
  static const Mthp p(true);
  return p;
}

}  // namespace mmsim
