#include "model/vma.hpp"

namespace mmsim {

std::string vm_flags_string(uint64_t flags) {
  std::string s;
  if (!(flags & (VM_READ | VM_WRITE)))
    s = "none";
  else
    s = (flags & VM_WRITE) ? "rw" : "r";
  s += (flags & VM_SHARED) ? " shared" : " private";
  static constexpr struct {
    uint64_t bit;
    const char* name;
  } kNames[] = {{VM_LOCKED, "locked"},       {VM_DONTCOPY, "dontcopy"},   {VM_WIPEONFORK, "wipeonfork"},
                {VM_DONTDUMP, "dontdump"},   {VM_NORESERVE, "noreserve"}, {VM_UFFD_WP, "uffd_wp"},
                {VM_SOFTDIRTY, "softdirty"}};
  for (auto& n : kNames)
    if (flags & n.bit) {
      s += ' ';
      s += n.name;
    }
  return s;
}

}  // namespace mmsim
