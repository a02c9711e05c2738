// gmem-pin=plain (every kernel) | exclusive: FOLL_EXCLUSIVE pins from
// "mm/gup: Introduce exclusive GUP pinning" (Elliot Berman, 2024-06-18;
// spec guest-memfd.md §2.1). Never merged: the design moved to guest_memfd.
#include <cerrno>

#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class GmemPinPlain final : public GmemPinPolicy {
 public:
  std::string_view name() const override { return "plain"; }
  std::string_view summary() const override { return "FOLL_PIN only; FOLL_EXCLUSIVE does not exist (EINVAL)"; }
  bool has_exclusive_pins() const override { return false; }
  int try_pin(const Kernel&, Pfn, uint32_t) const override { return 0; }
};

class GmemPinExclusive final : public GmemPinPolicy {
 public:
  bool proposal() const override { return true; }  // never merged
  std::string_view name() const override { return "exclusive"; }
  std::string_view summary() const override {
    return "proposal: FOLL_EXCLUSIVE pins (2024 RFC): taken only with no other pin, then every new FOLL_PIN fails EBUSY";
  }
  bool has_exclusive_pins() const override { return true; }
  int try_pin(const Kernel& k, Pfn pfn, uint32_t foll) const override {
    // try_grab_folio()/try_grab_page(): -EBUSY while an exclusive pin holds the folio.
    if (k.folio_exclusive_pinned(pfn)) return EBUSY;
    // page_ref_setexc() / large_folio_pin_setexc(): only with no pins of any kind.
    if ((foll & FOLL_EXCLUSIVE) && k.folio_maybe_dma_pinned(pfn)) return EBUSY;
    return 0;
  }
};

}  // namespace

const GmemPinPolicy& gmem_pin_plain_policy() {
  static const GmemPinPlain p;
  return p;
}
const GmemPinPolicy& gmem_pin_exclusive_policy() {
  static const GmemPinExclusive p;
  return p;
}

}  // namespace mmsim
