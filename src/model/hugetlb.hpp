#pragma once
#include <optional>

#include "model/kernel.hpp"

namespace mmsim::detail {
std::optional<Pfn> alloc_hugetlb_folio(Kernel& k, Vma& vma, Vpn v, Token data);
Outcome hugetlb_fault(Kernel& k, MmId mm, Vma& vma, Vpn v, bool write, bool unshare);
Outcome hugetlb_wp(Kernel& k, MmId mm, Vma& vma, Vpn v, Pte pte, bool unshare);
Outcome copy_hugetlb_pte(Kernel& k, MmId src, Vma& src_vma, MmId dst, Vma& dst_vma, Vpn v);
}  // namespace mmsim::detail
