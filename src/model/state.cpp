#include "model/state.hpp"

#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include <type_traits>

namespace mmsim {
namespace {

// Streams plain-byte objects into XXH3. Element types are asserted to have
// unique object representations, so hashing raw bytes is deterministic.
class Hasher {
 public:
  Hasher() { XXH3_64bits_reset(&st_); }
  template <class T>
  void pod(const T& v) {
    static_assert(std::has_unique_object_representations_v<T>);
    XXH3_64bits_update(&st_, &v, sizeof v);
  }
  template <class T>
  void vec(const std::vector<T>& v) {
    static_assert(std::has_unique_object_representations_v<T>);
    pod(uint64_t(v.size()));
    if (!v.empty()) XXH3_64bits_update(&st_, v.data(), v.size() * sizeof(T));
  }
  // As vec(): the same bytes, whichever container holds them.
  template <class T, uint32_t N>
  void vec(const SmallVec<T, N>& v) {
    static_assert(std::has_unique_object_representations_v<T>);
    pod(uint64_t(v.size()));
    if (!v.empty()) XXH3_64bits_update(&st_, v.data(), v.size() * sizeof(T));
  }
  uint64_t digest() const { return XXH3_64bits_digest(&st_); }

 private:
  XXH3_state_t st_;  // on the stack: no allocation per hash
};

}  // namespace

uint64_t State::hash() const {
  Hasher h;
  h.pod(config.memory);
  h.pod(config.hugetlb);
  h.pod(hugetlb_used);
  h.pod(config.lru_batch);
  h.pod(config.thp);
  h.pod(config.thp_order);
  h.pod(config.mthp_always);
  h.pod(config.mthp_madvise);
  h.pod(config.mthp_inherit);
  h.pod(config.mthp_set);
  h.pod(uint8_t(config.use_zero_page));
  h.vec(lru_add);
  h.pod(config.swap);
  h.vec(swap);
  h.pod(lru_clock);
  h.pod(refill_gen);
  h.pod(rng_seq);
  h.pod(uint8_t(config.soft_dirty));
  h.vec(mem.pages);
  h.vec(mem.folios);
  h.pod(mem.nr_free);
  h.pod(mem.cursor);
  h.pod(uint64_t(mms.size()));
  for (const Mm& mm : mms) {
    h.pod(mm.flags);
    h.pod(mm.live);
    h.pod(mm.def_flags);
    h.vec(mm.vmas);
    h.vec(mm.pt.slots());
    h.vec(mm.pmds);
    h.pod(mm.rss.anon);
    h.pod(mm.rss.shmem);
    h.pod(mm.rss.swapents);
    h.pod(mm.rss.file);
    h.pod(mm.rss.locked_vm);
  }
  h.pod(uint64_t(tasks.size()));
  for (const Task& t : tasks) {
    h.pod(t.mm);
    h.pod(t.live);
    h.pod(t.cap_ipc_lock);
    h.pod(t.in_split);
    h.pod(t.memlock);
    h.pod(t.split_vpn);
    h.vec(t.pipes);
    h.vec(t.files);
    h.vec(t.vm_fds);
    h.vec(t.gmem_fds);
  }
  h.pod(uint64_t(gups.size()));
  for (const GupRef& g : gups) {
    h.pod(g.foll);
    h.pod(g.owner);
    h.pod(g.mm);
    h.pod(g.live);
    h.pod(g.vpn);
    h.vec(g.pfns);
  }
  h.pod(uint64_t(pipes.size()));
  for (const Pipe& p : pipes) {
    h.pod(p.users);
    h.vec(p.bufs);
  }
  h.pod(uint64_t(dio_files.size()));
  for (const DioFile& f : dio_files) h.vec(f.pages);
  h.pod(uint64_t(files.size()));
  for (const ShmemFile& f : files) {
    h.pod(f.users);
    h.pod(f.kind);
    h.vec(f.pages);
  }
  h.pod(uint64_t(vms.size()));
  for (const KvmVm& vm : vms) {
    h.pod(vm.type);
    h.pod(vm.owner);
    h.pod(vm.users);
    h.pod(vm.live);
    h.vec(vm.slots);
    h.vec(vm.private_gfns);
  }
  h.pod(uint64_t(gmems.size()));
  for (const GmemFile& g : gmems) {
    h.pod(g.vm);
    h.pod(g.users);
    h.pod(g.size);
    h.pod(g.flags);
    h.pod(g.live);
    h.pod(g.order);
    h.vec(g.pages);
    h.vec(g.private_ranges);
    h.vec(g.bindings);
  }
  h.pod(next_anon_vma);
  return h.digest();
}

}  // namespace mmsim
