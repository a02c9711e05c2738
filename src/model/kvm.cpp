// The parts of KVM that guest_memfd needs (virt/kvm/kvm_main.c,
// arch/x86/kvm/mmu/mmu.c): VMs, memslots bound to guest_memfd
// (KVM_SET_USER_MEMORY_REGION2, kvm_gmem_bind()), per-VM memory attributes,
// and a vCPU's loads and stores through the stage-2 fault path. Stage-2
// mappings themselves are not modelled: every guest access looks the page up
// afresh (guest_memfd pages hold no reference for stage-2 anyway).
#include <algorithm>

#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace detail {

bool task_holds_vm(const Kernel& k, TaskId t, VmId vm) {
  const auto& fds = k.state().tasks[t].vm_fds;
  return std::find(fds.begin(), fds.end(), vm) != fds.end();
}

int vm_ioctl_check(const Kernel& k, TaskId t, VmId vm) {
  if (!task_holds_vm(k, t, vm)) return EBADF;
  // kvm_vm_ioctl(): "if (kvm->mm != current->mm || kvm->vm_dead) return -EIO;"
  // (a forked child holds the fd but not the VM's mm).
  const KvmVm& v = k.state().vms[vm];
  if (!v.live || k.state().tasks[t].mm != k.state().tasks[v.owner].mm) return EIO;
  return 0;
}

void vm_put(Kernel& k, VmId id) {
  KvmVm& vm = k.state().vms[id];
  if (--vm.users > 0) return;
  // kvm_destroy_vm(): the memslots go (a guest_memfd still bound would hold
  // the VM, so only released files can still name a slot here).
  vm.slots.clear();
  vm.private_gfns.clear();
  vm.live = 0;
}

}  // namespace detail

namespace {

constexpr uint64_t kPageMask = (1ull << kPageShift) - 1;

// KVM_CAP_* numbers (include/uapi/linux/kvm.h).
enum : uint32_t {
  KVM_CAP_USER_MEMORY2 = 231, KVM_CAP_MEMORY_FAULT_INFO = 232, KVM_CAP_MEMORY_ATTRIBUTES = 233,
  KVM_CAP_GUEST_MEMFD = 234, KVM_CAP_VM_TYPES = 235, KVM_CAP_PRE_FAULT_MEMORY = 236,
  KVM_CAP_GUEST_MEMFD_FLAGS = 244, KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES = 250,  // 250: v8 of the in-place series
};

KvmMemslot* find_slot(KvmVm& vm, uint32_t id) {
  for (KvmMemslot& s : vm.slots)
    if (s.id == id) return &s;
  return nullptr;
}

void unbind(Kernel& k, VmId vm, const KvmMemslot& s) {
  if (s.gmem == kNone) return;
  auto& b = k.state().gmems[s.gmem].bindings;
  b.erase(std::remove_if(b.begin(), b.end(), [&](const GmemBinding& x) { return x.vm == vm && x.slot == s.id; }),
          b.end());
}

}  // namespace

Outcome Kernel::kvm_create_vm(TaskId t, uint32_t type, VmId* out) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // The modelled machine offers every x86 VM type (KVM_CAP_VM_TYPES); a real
  // host offers DEFAULT plus what its CPU and config support.
  if (type > KVM_X86_TDX_VM) return Outcome::err(EINVAL);
  s_.vms.push_back(KvmVm{.type = type, .owner = t, .users = 1});
  *out = VmId(s_.vms.size() - 1);
  s_.tasks[t].vm_fds.push_back(*out);
  return Outcome::ok();
}

Outcome Kernel::vm_close(TaskId t, VmId vm) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  auto& fds = s_.tasks[t].vm_fds;
  auto it = std::find(fds.begin(), fds.end(), vm);
  if (it == fds.end()) return Outcome::err(EBADF);
  fds.erase(it);
  vm_put(*this, vm);
  return Outcome::ok();
}

Outcome Kernel::kvm_check_extension(TaskId t, VmId vm, uint32_t cap, uint64_t* out) const {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (vm != kNone)
    if (int e = vm_ioctl_check(*this, t, vm)) return Outcome::err(e);
  const bool per_index = p_.gmem_conversion->per_index_attributes();
  const bool priv_mem = vm == kNone || vm_type_has_private_mem(s_.vms[vm].type);
  switch (cap) {
    case KVM_CAP_USER_MEMORY2: case KVM_CAP_MEMORY_FAULT_INFO: case KVM_CAP_GUEST_MEMFD: *out = 1; break;
    case KVM_CAP_VM_TYPES: *out = 0x3f; break;
    case KVM_CAP_PRE_FAULT_MEMORY: *out = 0; break;  // not modelled
    // kvm_supported_mem_attributes(): PRIVATE iff the VM type has private memory
    // (and the per-VM attributes exist: not with vm_memory_attributes=0).
    case KVM_CAP_MEMORY_ATTRIBUTES: *out = !per_index && priv_mem ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0; break;
    case KVM_CAP_GUEST_MEMFD_MEMORY_ATTRIBUTES: *out = per_index ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0; break;
    case KVM_CAP_GUEST_MEMFD_FLAGS: {
      // kvm_gmem_get_supported_flags(): MMAP | INIT_SHARED unless the VM tracks private memory per VM.
      uint64_t f = GUEST_MEMFD_FLAG_MMAP;
      if (vm == kNone || per_index || !vm_type_has_private_mem(s_.vms[vm].type)) f |= GUEST_MEMFD_FLAG_INIT_SHARED;
      if (p_.gmem_huge->supports_hugetlb()) f |= GUEST_MEMFD_FLAG_HUGETLB;
      *out = f;
      break;
    }
    default: *out = 0;
  }
  return Outcome::ok();
}

Outcome Kernel::kvm_set_user_memory_region(TaskId t, VmId id, const MemoryRegion& r) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (int e = vm_ioctl_check(*this, t, id)) return Outcome::err(e);
  // check_memory_region_flags(): GUEST_MEMFD only through the v2 ioctl, and
  // then neither READONLY nor LOG_DIRTY_PAGES.
  uint32_t valid = KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY;
  if (!r.v1) valid |= KVM_MEM_GUEST_MEMFD;
  if (r.flags & KVM_MEM_GUEST_MEMFD) valid &= ~(KVM_MEM_LOG_DIRTY_PAGES | KVM_MEM_READONLY);
  if (r.flags & ~valid) return Outcome::err(EINVAL);
  const bool gmem = r.flags & KVM_MEM_GUEST_MEMFD;
  // __kvm_set_memory_region(): alignment, wrap, slot id.
  if ((r.size | r.gpa | r.uaddr) & kPageMask) return Outcome::err(EINVAL);
  if (gmem && ((r.offset & kPageMask) || r.offset + r.size < r.offset)) return Outcome::err(EINVAL);
  if (r.slot >= KVM_USER_MEM_SLOTS) return Outcome::err(EINVAL);
  if (r.gpa + r.size < r.gpa) return Outcome::err(EINVAL);
  KvmVm& vm = s_.vms[id];
  KvmMemslot* old = find_slot(vm, r.slot);
  const uint64_t gfn = r.gpa >> kPageShift, npages = r.size >> kPageShift;
  if (npages == 0) {  // KVM_MR_DELETE
    if (!old) return Outcome::err(EINVAL);
    unbind(*this, id, *old);
    vm.slots.erase(vm.slots.begin() + (old - vm.slots.data()));
    return Outcome::ok();
  }
  if (old) {
    // "Private memslots are immutable, they can only be deleted."
    if (gmem) return Outcome::err(EINVAL);
    if ((r.flags ^ old->flags) & (KVM_MEM_GUEST_MEMFD | KVM_MEM_READONLY)) return Outcome::err(EINVAL);
    if (npages != old->npages) return Outcome::err(EINVAL);
    if (gfn != old->base_gfn)
      for (const KvmMemslot& s : vm.slots)  // KVM_MR_MOVE
        if (s.id != r.slot && gfn < s.base_gfn + s.npages && s.base_gfn < gfn + npages) return Outcome::err(EEXIST);
    old->base_gfn = gfn;
    old->flags = r.flags;
    old->uaddr = r.uaddr;
    return Outcome::ok();
  }
  // KVM_MR_CREATE: the GPA overlap check comes before any guest_memfd check.
  for (const KvmMemslot& s : vm.slots)
    if (gfn < s.base_gfn + s.npages && s.base_gfn < gfn + npages) return Outcome::err(EEXIST);
  KvmMemslot slot{.id = r.slot, .flags = r.flags, .base_gfn = gfn, .npages = npages, .uaddr = r.uaddr};
  if (gmem) {
    // kvm_gmem_bind(): the fd, its kind, its VM, the range, earlier bindings.
    if (r.fd == MemoryRegion::Fd::Bad || r.fd == MemoryRegion::Fd::None ||
        (r.fd == MemoryRegion::Fd::Gmem && !task_holds_gmem(*this, t, r.gmem)))
      return Outcome::err(EBADF);
    if (r.fd == MemoryRegion::Fd::NotGmem) return Outcome::err(EINVAL);
    GmemFile& f = s_.gmems[r.gmem];
    if (f.vm != id) return Outcome::err(EINVAL);
    const uint64_t pgoff = r.offset >> kPageShift;
    if (r.offset + r.size > f.size) return Outcome::err(EINVAL);
    for (const GmemBinding& b : f.bindings)
      if (pgoff < b.pgoff + b.npages && b.pgoff < pgoff + npages) return Outcome::err(EINVAL);
    // No file reference is taken: releasing the file unbinds (kvm_gmem_release()).
    f.bindings.push_back(GmemBinding{pgoff, npages, id, r.slot});
    slot.gmem = r.gmem;
    slot.gmem_bound = 1;
    slot.gmem_only = (f.flags & GUEST_MEMFD_FLAG_MMAP) ? 1 : 0;  // KVM_MEMSLOT_GMEM_ONLY
    slot.pgoff = pgoff;
  }
  vm.slots.insert(std::lower_bound(vm.slots.begin(), vm.slots.end(), r.slot,
                                   [](const KvmMemslot& s, uint32_t x) { return s.id < x; }),
                  slot);
  return Outcome::ok();
}

Outcome Kernel::kvm_set_memory_attributes(TaskId t, VmId id, uint64_t gpa, uint64_t size, uint64_t attributes,
                                          uint64_t flags) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  if (int e = vm_ioctl_check(*this, t, id)) return Outcome::err(e);
  // With per-index attributes (vm_memory_attributes=0) the VM ioctl is gone.
  if (p_.gmem_conversion->per_index_attributes()) return Outcome::err(ENOTTY);
  // kvm_vm_ioctl_set_mem_attributes(): nothing supported -> ENOTTY (default VM).
  const uint64_t supported = vm_type_has_private_mem(s_.vms[id].type) ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0;
  if (!supported) return Outcome::err(ENOTTY);
  if (flags) return Outcome::err(EINVAL);
  if (attributes & ~supported) return Outcome::err(EINVAL);
  if (size == 0 || gpa + size < gpa) return Outcome::err(EINVAL);
  if ((gpa | size) & kPageMask) return Outcome::err(EINVAL);
  // kvm_vm_set_mem_attributes(): per GFN, independent of memslots; no effect
  // on guest_memfd contents (a page converted back shows its old data).
  ranges_assign(s_.vms[id].private_gfns, gpa >> kPageShift, (gpa + size) >> kPageShift,
                attributes & KVM_MEMORY_ATTRIBUTE_PRIVATE);
  return Outcome::ok();
}

Outcome Kernel::guest_access(VmId id, uint64_t gpa, bool write, Token* value, uint64_t* exit_flags) {
  *exit_flags = kNoExit;
  if (id >= s_.vms.size() || !s_.vms[id].live) return Outcome::err(ESRCH);
  const uint64_t gfn = gpa >> kPageShift;
  const KvmVm& vm = s_.vms[id];
  const KvmMemslot* slot = nullptr;
  for (const KvmMemslot& s : vm.slots)
    if (s.contains(gfn)) slot = &s;
  // No memslot: KVM_EXIT_MMIO on a real vCPU; the model reports ENOENT.
  if (!slot) return Outcome::err(ENOENT);
  const KvmMemslot sl = *slot;
  const uint64_t idx = sl.pgoff + (gfn - sl.base_gfn);
  const bool per_index = p_.gmem_conversion->per_index_attributes();
  // kvm_mem_is_private(): the VM's attributes (6.18), or guest_memfd's (in place).
  bool priv = false;
  if (per_index)
    priv = sl.gmem != kNone && !gmem_index_shared(sl.gmem, idx);  // no file: nothing says private
  else
    priv = ranges_contain(vm.private_gfns, gfn);
  // __kvm_mmu_faultin_pfn(): private or GMEM_ONLY faults come from guest_memfd
  // (with per-index attributes: every fault in a guest_memfd slot).
  if (priv || sl.gmem_only || (per_index && sl.gmem_bound)) {
    if (!sl.gmem_bound || sl.gmem == kNone) {
      // kvm_mmu_faultin_pfn_gmem(): no guest_memfd (plain slot, or the file was
      // released) -> KVM_EXIT_MEMORY_FAULT and -EFAULT.
      *exit_flags = priv ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
      return Outcome::err(EFAULT);
    }
    Pfn pfn = kNoPfn;
    if (gmem_get_folio(*this, sl.gmem, idx, &pfn)) {  // kvm_gmem_get_pfn()
      *exit_flags = priv ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
      return Outcome::err(ENOMEM);
    }
    GmemPage* p = gmem_find(s_.gmems[sl.gmem], idx);
    if (!(p->flags & GMEM_UPTODATE)) {
      page(pfn).data = 0;  // kvm_gmem_prepare_folio(): clear, arch prepare, mark uptodate
      p->flags |= GMEM_UPTODATE;
    }
    if (write)
      page(pfn).data = *value;
    else
      *value = page(pfn).data;
    return Outcome::ok();
  }
  // The HVA path: userspace_addr in the VM owner's mm, like GUP (hva_to_pfn()).
  if (write && (sl.flags & KVM_MEM_READONLY)) return Outcome::err(ENOENT);  // KVM_EXIT_MMIO
  if (!task_live(vm.owner)) return Outcome::err(EFAULT);
  const Vpn v = (sl.uaddr >> kPageShift) + (gfn - sl.base_gfn);
  const Outcome o = write ? this->write(vm.owner, v, *value) : read(vm.owner, v, value);
  if (!o) return Outcome::err(fault_to_errno(o) == ENOMEM ? ENOMEM : EFAULT);
  return Outcome::ok();
}

}  // namespace mmsim
