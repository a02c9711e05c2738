// mprotect-upgrade=never (<= 5.19: a private PTE stays R/O until a write
// fault) and mprotect-upgrade=exclusive (6.x MM_CP_TRY_CHANGE_WRITABLE:
// can_change_pte_writable() maps an exclusive anonymous page writable at
// once; 6.1 still required pte_dirty, 6.13+ does not). Spec cow-gup.md §2.2 item 2.
#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class Never final : public MprotectUpgradePolicy {
 public:
  std::string_view name() const override { return "never"; }
  std::string_view summary() const override {
    return "<= 5.19: making a private mapping writable leaves present PTEs R/O until a write fault";
  }
  bool may_write(const Kernel&, const Pte&, Pfn) const override { return false; }
};

class Exclusive final : public MprotectUpgradePolicy {
 public:
  std::string_view name() const override { return "exclusive"; }
  std::string_view summary() const override {
    return "6.13+/6.18: a PG_anon_exclusive page is mapped writable at once (can_change_pte_writable)";
  }
  // "We can only special-case on exclusive anonymous pages, because we know
  // that our write-fault handler similarly would map them writable".
  bool may_write(const Kernel& k, const Pte&, Pfn pfn) const override {
    return k.policies().cow->tracks_anon_exclusive() && k.page_anon_exclusive(pfn);
  }
};

class DirtyExclusive final : public MprotectUpgradePolicy {
 public:
  std::string_view name() const override { return "dirty-exclusive"; }
  std::string_view summary() const override {
    return "6.0/6.1: an exclusive anonymous page whose PTE is dirty is mapped writable at once";
  }
  bool may_write(const Kernel& k, const Pte& pte, Pfn pfn) const override {
    return pte.dirty() && k.policies().cow->tracks_anon_exclusive() && k.page_anon_exclusive(pfn);
  }
};

}  // namespace

const MprotectUpgradePolicy& mprotect_upgrade_dirty_exclusive_policy() {
  static const DirtyExclusive p;
  return p;
}

const MprotectUpgradePolicy& mprotect_upgrade_never_policy() {
  static const Never p;
  return p;
}
const MprotectUpgradePolicy& mprotect_upgrade_exclusive_policy() {
  static const Exclusive p;
  return p;
}

}  // namespace mmsim
