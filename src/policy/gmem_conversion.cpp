// gmem-conversion=none (Linux 6.18) | inplace (the in-place conversion series,
// v7/v8 of "guest_memfd: In-place conversion support", queued in linux-next
// 2026; spec guest-memfd.md §3.3(b), §4.3).
#include <cerrno>

#include "model/kernel.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

// 6.18: no per-index state. Shareability is INIT_SHARED (whole file) or the
// VM's per-GFN attributes; a guest_memfd fd has no unlocked_ioctl.
class GmemConversionNone final : public GmemConversionPolicy {
 public:
  std::string_view name() const override { return "none"; }
  std::string_view summary() const override {
    return "6.18: INIT_SHARED makes the whole file shared, per-VM KVM_SET_MEMORY_ATTRIBUTES; no conversion ioctl";
  }
  bool per_index_attributes() const override { return false; }
  int set_attributes(Kernel&, const GmemAttributes&, uint64_t*) const override { return ENOTTY; }
};

// kvm.vm_memory_attributes=0: per-index attributes in guest_memfd, converted
// by KVM_SET_MEMORY_ATTRIBUTES2 on the guest_memfd fd (__kvm_gmem_set_attributes()).
class GmemConversionInplace final : public GmemConversionPolicy {
 public:
  bool proposal() const override { return true; }  // never merged
  std::string_view name() const override { return "inplace"; }
  std::string_view summary() const override {
    return "proposal: in-place conversion: per-index shared/private in guest_memfd; KVM_SET_MEMORY_ATTRIBUTES2 unmaps and "
           "fails with EAGAIN + error_offset while a folio has extra references";
  }
  bool per_index_attributes() const override { return true; }

  int set_attributes(Kernel& k, const GmemAttributes& r, uint64_t* error_offset) const override {
    const GmemFile& f = k.gmem(r.gmem);
    // Validation in the v7 order: flags, reserved, attributes, size, alignment, bounds.
    if (r.flags != 0) return EINVAL;
    if (r.reserved) return EINVAL;
    if (r.attributes & ~KVM_MEMORY_ATTRIBUTE_PRIVATE) return EINVAL;
    if (r.size == 0 || r.offset + r.size < r.offset) return EINVAL;
    if ((r.offset | r.size) & ((1ull << kPageShift) - 1)) return EINVAL;
    if (r.offset >= f.size || r.offset + r.size > f.size) return EINVAL;
    const uint64_t lo = r.offset >> kPageShift, hi = (r.offset + r.size) >> kPageShift;
    const bool priv = r.attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE;
    // "the range already has the attributes": return before unmapping or
    // checking references (so an elevated refcount does not matter).
    if (k.gmem_range_is(r.gmem, lo, hi, priv)) return 0;
    k.gmem_unmap_range(r.gmem, lo, hi);  // unmap_mapping_pages(): the host PTEs' references go
    // kvm_gmem_is_safe_for_conversion(): every folio at its baseline refcount
    // (lru_add_drain_all() and a retry first: guest_memfd folios are never in
    // an LRU add batch in the model).
    if (auto bad = k.gmem_first_unsafe_folio(r.gmem, lo, hi)) {
      *error_offset = *bad << kPageShift;
      return EAGAIN;
    }
    k.gmem_store_attributes(r.gmem, lo, hi, priv);
    return 0;
  }
};

}  // namespace

const GmemConversionPolicy& gmem_conversion_none_policy() {
  static const GmemConversionNone p;
  return p;
}
const GmemConversionPolicy& gmem_conversion_inplace_policy() {
  static const GmemConversionInplace p;
  return p;
}

}  // namespace mmsim
