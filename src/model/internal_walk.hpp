#pragma once
// Template body of for_each_vma_piece (included from internal.hpp).
namespace mmsim::detail {

template <class Fn>
bool for_each_vma_piece(Kernel& k, Mm& mm, Vpn start, Vpn end, bool stop_at_hole, Fn&& fn) {
  bool hole = false;
  Vpn v = start;
  while (v < end) {
    Vma* vma = mm.vma_at(v);
    if (!vma) {
      hole = true;
      if (stop_at_hole) return false;
      // Skip to the next VMA that starts inside the range.
      Vpn next = end;
      for (const Vma& m : mm.vmas)
        if (m.start > v) {
          next = std::min(next, m.start);
          break;
        }
      v = next;
      continue;
    }
    split_at(k, mm, v);
    if (end < mm.vma_at(v)->end) split_at(k, mm, end);
    Vma* piece = mm.vma_at(v);
    const size_t idx = size_t(piece - mm.vmas.data());
    const Vpn piece_end = piece->end;
    fn(idx);
    v = piece_end;
  }
  return !hole;
}

}  // namespace mmsim::detail
