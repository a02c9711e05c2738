#include "explore/alphabet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>
#include <tuple>

#include "model/huge_memory.hpp"

namespace mmsim::explore {
namespace {

const ProcBook& pb(const Node& n, uint16_t p) { return n.book.procs[p]; }
const Task& task(const Node& n, uint16_t p) { return n.st.tasks[pb(n, p).task]; }
const Mm& mm(const Node& n, uint16_t p) { return n.st.mms[task(n, p).mm]; }

bool has_vma(const Node& n, uint16_t p, const MapRef& m, uint32_t lo, uint32_t hi) {
  for (uint32_t i = lo; i < hi; ++i)
    if (mm(n, p).vma_at(m.start + i)) return true;
  return false;
}

// One action per page of every mapping the process still has a VMA for.
template <class F>
void per_page(const Node& n, uint16_t p, F&& make, std::vector<Action>& out) {
  const ProcBook& b = pb(n, p);
  for (int mi = 0; mi < b.nmaps; ++mi) {
    const MapRef& m = b.maps[mi];
    for (uint32_t i = 0; i < m.pages; ++i) {
      if (!has_vma(n, p, m, i, i + 1)) continue;  // SIGSEGV/ENOMEM, nothing changes
      Action a;
      a.proc = p;
      a.map = m.name;
      a.lo = uint16_t(i);
      a.hi = uint16_t(i + 1);
      make(a);
      out.push_back(a);
    }
  }
}

// One action per mapping (the whole of it).
template <class F>
void per_mapping(const Node& n, uint16_t p, F&& make, std::vector<Action>& out) {
  const ProcBook& b = pb(n, p);
  for (int mi = 0; mi < b.nmaps; ++mi) {
    const MapRef& m = b.maps[mi];
    if (!has_vma(n, p, m, 0, m.pages)) continue;
    Action a;
    a.proc = p;
    a.map = m.name;
    make(a);
    out.push_back(a);
  }
}

void gen_mmap_kind(const Node& n, uint16_t p, const Bounds& bd, uint16_t name, uint32_t flags,
                   std::vector<Action>& out, Token refill = 0) {
  const ProcBook& b = pb(n, p);
  if (b.map(name) || b.nmaps >= kMaxMaps) return;
  Action a;
  a.op = Op::Mmap;
  a.proc = p;
  a.map = name;
  a.pages = bd.pages;
  a.prot = PROT_READ_ | PROT_WRITE_;
  a.flags = flags;
  a.value = refill;
  out.push_back(a);
}

// The fixed token of `mmap-droppable-refill`: a ->fault callback that refills
// with a constant (the broken refill of droppable.md §8: every refilled
// state is the same key).
constexpr Token kFixedRefill = 7;

void gen_madvise(const Node& n, uint16_t p, int advice, std::vector<Action>& out) {
  per_mapping(n, p, [&](Action& a) { a.op = Op::Madvise; a.advice = advice; }, out);
}

void gen_pin(const Node& n, uint16_t p, const Bounds& bd, Op op, uint32_t foll, std::vector<Action>& out) {
  if (n.book.npins >= bd.pins || n.book.npins >= kMaxPins) return;
  per_page(n, p, [&](Action& a) { a.op = op; a.foll = foll; a.obj = n.book.npins; }, out);
}

// The process holds an fd of the (live) guest_memfd.
bool holds_gmem(const Node& n, uint16_t p) {
  const GmemId g = n.book.gmem;
  if (g == kNone || !n.st.gmems[g].live) return false;
  for (uint32_t f : task(n, p).gmem_fds)
    if (f == g) return true;
  return false;
}

// One action per index of the guest_memfd (convert, fallocate, punch), for a process holding its fd.
template <class F>
void per_gmem_index(const Node& n, uint16_t p, F&& make, std::vector<Action>& out) {
  if (!holds_gmem(n, p)) return;
  const uint64_t np = n.st.gmems[n.book.gmem].npages();
  for (uint64_t i = 0; i < np; ++i) {
    Action a;
    a.proc = p;
    a.lo = uint16_t(i);
    a.hi = uint16_t(i + 1);
    make(a);
    out.push_back(a);
  }
}

// One guest access per GFN of memslot 0 (GPA 0, the guest_memfd's size).
void gen_guest(const Node& n, Op op, std::vector<Action>& out) {
  if (n.book.vm == kNone || !n.st.vms[n.book.vm].live || n.book.gmem == kNone) return;
  const uint64_t np = n.st.gmems[n.book.gmem].npages();
  for (uint64_t i = 0; i < np; ++i) {
    Action a;
    a.op = op;
    a.proc = kGuest;
    a.lo = uint16_t(i);
    a.hi = uint16_t(i + 1);
    out.push_back(a);
  }
}

bool holds_pipe(const Node& n, uint16_t p, uint32_t ord) {
  const PipeId id = n.book.pipes[ord];
  for (PipeId q : task(n, p).pipes)
    if (q == id) return true;
  return false;
}

const std::vector<OpEntry> kAlphabet = {
    {.name = "mmap",
     .summary = "P: mmap A N rw (private anonymous; once per process)",
     .gen = [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       gen_mmap_kind(n, p, b, an.anon, 0, out);
     },
     .private_anon = true},
    {"mmap-shared", "P: mmap S N rw shared (MAP_SHARED|MAP_ANONYMOUS, shmem)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       gen_mmap_kind(n, p, b, an.shared, MAPF_SHARED, out);
     }},
    {"mmap-hugetlb", "P: mmap H N rw hugetlb (private MAP_HUGETLB; the pool gets 2N huge pages)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       gen_mmap_kind(n, p, b, an.hugetlb, MAPF_HUGETLB, out);
     },
     false, true},
    {.name = "mmap-droppable",
     .summary = "P: mmap D N rw droppable (MAP_DROPPABLE, 6.11)",
     .gen = [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       gen_mmap_kind(n, p, b, an.droppable, MAPF_DROPPABLE, out);
     },
     .discardable = true,
     .private_anon = true},
    {.name = "mmap-droppable-refill",
     .summary = "P: mmap R N rw droppable refill 7 (the refill policy's ->fault writes a fixed token)",
     .gen = [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       gen_mmap_kind(n, p, b, an.refill, MAPF_DROPPABLE, out, kFixedRefill);
     },
     .discardable = true,
     .private_anon = true},
    {.name = "getrandom",
     .summary = "P: getrandom D[i] / R[i] (the vDSO getrandom() consumer of a droppable state page)",
     .gen = [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames& an, std::vector<Action>& out) {
       const size_t first = out.size();
       per_page(n, p, [](Action& a) { a.op = Op::Getrandom; }, out);
       // Only the droppable mappings hold getrandom states.
       out.erase(std::remove_if(out.begin() + long(first), out.end(),
                                [&](const Action& a) { return a.map != an.droppable && a.map != an.refill; }),
                 out.end());
     },
     .token_values = true},
    {"write", "P: write M[i] = TOKEN (the token names the writer and its fork epoch)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_page(n, p, [](Action& a) { a.op = Op::Write; }, out);
     }},
    {"read", "P: read M[i]",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_page(n, p, [](Action& a) { a.op = Op::Read; }, out);
     }},
    {"fork", "P: fork Pn (up to --procs processes)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       if (n.book.nprocs >= b.procs || n.book.nprocs >= kMaxProcs) return;
       Action a;
       a.op = Op::Fork;
       a.proc = p;
       a.obj = n.book.nprocs;
       out.push_back(a);
     }},
    {"exit", "P: exit",
     [](const Node&, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       Action a;
       a.op = Op::Exit;
       a.proc = p;
       out.push_back(a);
     }},
    {"munmap", "P: munmap M (the whole mapping)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_mapping(n, p, [](Action& a) { a.op = Op::Munmap; }, out);
     }},
    {"mprotect", "P: mprotect M r, P: mprotect M rw",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_mapping(n, p, [](Action& a) { a.op = Op::Mprotect; a.prot = PROT_READ_; }, out);
       per_mapping(n, p, [](Action& a) { a.op = Op::Mprotect; a.prot = PROT_READ_ | PROT_WRITE_; }, out);
     }},
    {"dontneed", "P: madvise M dontneed",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_mapping(n, p, [](Action& a) { a.op = Op::Madvise; a.advice = ADV_DONTNEED; }, out);
     }},
    {.name = "free",
     .summary = "P: madvise M free (MADV_FREE: lazyfree, reclaim may discard it clean)",
     .gen = [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       gen_madvise(n, p, ADV_FREE, out);
     },
     .discardable = true},
    {"cold", "P: madvise M cold (MADV_COLD: deactivate)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       gen_madvise(n, p, ADV_COLD, out);
     },
     false, false, true},
    {"pageout", "P: madvise M pageout (MADV_PAGEOUT: reclaim the range now)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       gen_madvise(n, p, ADV_PAGEOUT, out);
     },
     false, false, true},
    {"mlockall", "P: mlockall current future",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       if (mm(n, p).def_flags & VM_LOCKED) return;  // done already: MCL_FUTURE is sticky
       Action a;
       a.op = Op::Mlockall;
       a.proc = p;
       a.flags = MCL_CURRENT_ | MCL_FUTURE_;
       out.push_back(a);
     }},
    {"setrlimit-memlock", "P: setrlimit memlock 0 (RLIMIT_MEMLOCK 0, CAP_IPC_LOCK dropped)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       if (!task(n, p).cap_ipc_lock && task(n, p).memlock == 0) return;  // no-op
       Action a;
       a.op = Op::SetrlimitMemlock;
       a.proc = p;
       a.pages = 0;
       out.push_back(a);
     }},
    {"pin", "P: pin K = M[i] write longterm (RDMA / io_uring fixed buffer)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       gen_pin(n, p, b, Op::Pin, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, out);
     }},
    {"pin-ro", "P: pin K = M[i] longterm (R/O long-term pin)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       gen_pin(n, p, b, Op::Pin, FOLL_PIN | FOLL_LONGTERM, out);
     }},
    {"gup", "P: gup K = M[i] (FOLL_GET, R/O: O_DIRECT write)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       gen_pin(n, p, b, Op::Gup, FOLL_GET, out);
     }},
    {"gup-write", "P: gup K = M[i] write (FOLL_GET|FOLL_WRITE: O_DIRECT read)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       gen_pin(n, p, b, Op::Gup, FOLL_GET | FOLL_WRITE, out);
     }},
    {"unpin", "P: unpin K / put K (the process's own pins)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       for (uint16_t k = 0; k < n.book.npins; ++k) {
         const GupId g = n.book.pins[k];
         if (g == kNone || !n.st.gups[g].live || n.st.gups[g].owner != pb(n, p).task) continue;
         Action a;
         a.op = n.book.pin_get[k] ? Op::Put : Op::Unpin;
         a.proc = p;
         a.obj = k;
         out.push_back(a);
       }
     }},
    {"dma-read", "dma read K[0] (the device reads through a pin)",
     [](const Node& n, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       for (uint16_t k = 0; k < n.book.npins; ++k) {
         const GupId g = n.book.pins[k];
         if (g == kNone || !n.st.gups[g].live) continue;
         Action a;
         a.op = Op::DmaRead;
         a.proc = kDevice;
         a.obj = k;
         out.push_back(a);
       }
     },
     true},
    {"dma-write", "dma write K[0] = TOKEN (through a write pin, on behalf of its owner)",
     [](const Node& n, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       for (uint16_t k = 0; k < n.book.npins; ++k) {
         const GupId g = n.book.pins[k];
         if (g == kNone || !n.st.gups[g].live || !(n.st.gups[g].foll & FOLL_WRITE)) continue;
         Action a;
         a.op = Op::DmaWrite;
         a.proc = kDevice;
         a.obj = k;
         out.push_back(a);
       }
     },
     true},
    {"vmsplice", "P: vmsplice M[i] -> pipe p (a pipe it holds, or a new one up to the pipe bound)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames&, std::vector<Action>& out) {
       for (uint16_t q = 0; q < n.book.npipes; ++q)
         if (n.book.pipes[q] != kNone && holds_pipe(n, p, q) &&
             n.st.pipes[n.book.pipes[q]].bufs.size() < kPipeDefBuffers)
           per_page(n, p, [&](Action& a) { a.op = Op::Vmsplice; a.obj = q; }, out);
       if (n.book.npipes < b.pipes && n.book.npipes < kMaxPipes)
         per_page(n, p, [&](Action& a) { a.op = Op::Vmsplice; a.obj = n.book.npipes; }, out);
     }},
    {"pipe-read", "P: read pipe p (a non-empty pipe it holds)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       for (uint16_t q = 0; q < n.book.npipes; ++q) {
         if (n.book.pipes[q] == kNone || !holds_pipe(n, p, q) || n.st.pipes[n.book.pipes[q]].bufs.empty()) continue;
         Action a;
         a.op = Op::PipeRead;
         a.proc = p;
         a.obj = q;
         out.push_back(a);
       }
     }},
    {"clear_refs", "P: clear_refs (echo 4 > /proc/PID/clear_refs)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       if (pb(n, p).nmaps == 0) return;  // nothing mapped: a no-op
       Action a;
       a.op = Op::ClearRefs;
       a.proc = p;
       out.push_back(a);
     }},
    {.name = "ksm",
     .summary = "P: ksm_merge M",
     .gen = [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_mapping(n, p, [](Action& a) { a.op = Op::KsmMerge; }, out);
     },
     .address_ordered = true},
    // --- THP (config thp=always thp_order=2: a PMD is 4 pages)
    {"mmap-thp", "P: mmap T 4 rw (one PMD of pages: a write fault in an aligned, empty range maps a THP)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames& an, std::vector<Action>& out) {
       Bounds one;
       one.pages = 1u << kThpOrder;
       gen_mmap_kind(n, p, one, an.thp, 0, out);
     },
     false, false, false, true},
    {"thp-split", "P: mprotect T[0] r (splits the PMD and the VMA: a PTE-mapped THP)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames& an, std::vector<Action>& out) {
       const size_t first = out.size();
       per_mapping(n, p, [](Action& a) { a.op = Op::Mprotect; a.prot = PROT_READ_; a.lo = 0; a.hi = 1; }, out);
       out.erase(std::remove_if(out.begin() + long(first), out.end(), [&](const Action& a) { return a.map != an.thp; }),
                 out.end());
     },
     false, false, false, true},
    {"collapse", "P: madvise T collapse (MADV_COLLAPSE: copy the aligned range into a new THP; EAGAIN on extra references)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames& an, std::vector<Action>& out) {
       const size_t first = out.size();
       per_mapping(n, p, [](Action& a) { a.op = Op::Madvise; a.advice = ADV_COLLAPSE; }, out);
       out.erase(std::remove_if(out.begin() + long(first), out.end(), [&](const Action& a) { return a.map != an.thp; }),
                 out.end());
     },
     false, false, false, true},
    // --- guest_memfd (docs/guest-memfd.md): P0 creates VM V, guest_memfd G
    // (MMAP, INIT_SHARED) and memslot 0 in the root; fork inherits the fds.
    {"mmap-gmem", "P: mmap M N rw shared gmem G (kvm_gmem_mmap(): host faults allocate G's page cache)",
     [](const Node& n, uint16_t p, const Bounds& b, const AlphabetNames& an, std::vector<Action>& out) {
       if (!holds_gmem(n, p)) return;
       const size_t first = out.size();
       gen_mmap_kind(n, p, b, an.gmem, MAPF_SHARED, out);
       for (size_t i = first; i < out.size(); ++i) out[i].advice = 1;
     },
     false, false, false, false, true},
    {"gmem-convert", "P: convert G[i] private / shared (KVM_SET_MEMORY_ATTRIBUTES2; ENOTTY unless gmem-conversion=inplace)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_gmem_index(n, p, [](Action& a) { a.op = Op::Convert; a.flags = 1; }, out);
       per_gmem_index(n, p, [](Action& a) { a.op = Op::Convert; a.flags = 0; }, out);
     },
     false, false, false, false, true},
    {"set-attributes", "P: set_memory_attributes V gpa GPA size 4K private / shared (the 6.18 per-VM, per-GFN "
                       "attributes; ENOTTY unless the VM type has private memory, and under gmem-conversion=inplace)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       const VmId vm = n.book.vm;
       if (vm == kNone || !n.st.vms[vm].live || n.book.gmem == kNone) return;
       bool holds = false;
       for (uint32_t f : task(n, p).vm_fds) holds |= f == vm;
       if (!holds) return;
       const uint64_t np = n.st.gmems[n.book.gmem].npages();
       for (uint32_t priv : {1u, 0u})
         for (uint64_t i = 0; i < np; ++i) {
           Action a;
           a.op = Op::SetMemoryAttributes;
           a.proc = p;
           a.lo = uint16_t(i);
           a.hi = uint16_t(i + 1);
           a.flags = priv;
           out.push_back(a);
         }
     },
     false, false, false, false, true},
    {"gmem-punch", "P: fallocate G[i] punch (PUNCH_HOLE: never waits for references)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_gmem_index(n, p, [](Action& a) { a.op = Op::GmemFallocate; a.flags = FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE; },
                      out);
     },
     false, false, false, false, true},
    {"gmem-fallocate", "P: fallocate G[i] (allocate the page, not zeroed, not uptodate)",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       per_gmem_index(n, p, [](Action& a) { a.op = Op::GmemFallocate; a.flags = FALLOC_FL_KEEP_SIZE; }, out);
     },
     false, false, false, false, true},
    {"gmem-close", "P: close G (the file goes when its last fd and mapping do: kvm_gmem_release())",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       if (!holds_gmem(n, p)) return;
       Action a;
       a.op = Op::Close;
       a.proc = p;
       out.push_back(a);
     },
     false, false, false, false, true},
    {"guest-write", "guest V: write GPA = 0x20000 (a vCPU store: from guest_memfd for private GFNs and GMEM_ONLY slots)",
     [](const Node& n, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       gen_guest(n, Op::GuestWrite, out);
     },
     true, false, false, false, true},
    {"guest-read", "guest V: read GPA (a vCPU load)",
     [](const Node& n, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       gen_guest(n, Op::GuestRead, out);
     },
     true, false, false, false, true},
    {"split-pmd", "P: split_pmd_begin M[i] (a PMD-mapped THP; the process then waits in the kernel) / split_pmd_end M[i]",
     [](const Node& n, uint16_t p, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       const Task& t = task(n, p);
       const Mm& m = mm(n, p);
       per_page(n, p, [](Action& a) { a.op = Op::SplitPmdBegin; }, out);
       // Keep the pages where the action means something: the one page the
       // split began at (end), or a page under a PMD that maps a THP (begin).
       std::erase_if(out, [&](const Action& a) {
         if (a.proc != p || (a.op != Op::SplitPmdBegin)) return false;
         const MapRef* mr = pb(n, p).map(a.map);
         const Vpn v = mr->start + a.lo;
         if (t.in_split) return v != t.split_vpn;
         const PteSlot* pmd = detail::pmd_at(m, v, detail::hpage_nr(n.st));
         return !pmd || detail::is_huge_zero_pmd(pmd->pte) || v != pmd->vpn;  // one begin per PMD
       });
       if (t.in_split)
         for (Action& a : out)
           if (a.proc == p && a.op == Op::SplitPmdBegin) a.op = Op::SplitPmdEnd;
     }},
    {"reclaim", "kernel: reclaim 1 (shrink_node() frees one folio: swap-out, lazyfree or droppable discard)",
     [](const Node&, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       Action a;
       a.op = Op::Reclaim;
       a.proc = kKernel;
       a.pages = 1;
       out.push_back(a);
     },
     true, false, true},
    {"khugepaged", "kernel: khugepaged (one pass: collapse every eligible PMD range; needs THP in the config, "
                   "e.g. --config thp=always,thp_order=2 --no-symmetry)",
     [](const Node&, uint16_t, const Bounds&, const AlphabetNames&, std::vector<Action>& out) {
       Action a;
       a.op = Op::Khugepaged;
       a.proc = kKernel;
       out.push_back(a);
     },
     true, false, false},
};

enum : uint64_t {
  R_MM = 1, R_PFN, R_FILE, R_FILEOBJ, R_PIPE, R_GUP, R_NEWTASK, R_NEWGUP, R_NEWPIPE, R_NEWFILE, R_HUGETLB, R_ALLOC, R_EPOCH, R_LRU, R_RNG,
  R_GMEM,  // a guest_memfd: its page cache, attributes, users
};
uint64_t rid(uint64_t kind, uint64_t v) { return kind << 56 | (v & ((1ull << 56) - 1)); }

void add_page(Footprint& f, const Node& n, const Mm& m, Vpn v) {
  const Vma* vma = m.vma_at(v);
  if (!vma) return;
  const Pte pte = detail::effective_pte(n.st, m, v);
  if (pte.is_present() && pte.pfn() != kZeroPfn) f.add(rid(R_PFN, n.st.mem.head(pte.pfn())));
  if (vma->file != kNone) {
    f.add(rid(R_FILE, uint64_t(vma->file) << 24 | vma->file_index(v)));
    const ShmemFile& sf = n.st.files[vma->file];
    const uint64_t idx = vma->file_index(v);
    if (idx < sf.pages.size() && sf.pages[idx] != kNoPfn) f.add(rid(R_PFN, n.st.mem.head(sf.pages[idx])));
  }
  if (vma->test(VM_HUGETLB)) f.add(rid(R_HUGETLB, 0));
  if (vma->is_gmem()) f.add(rid(R_GMEM, vma->gmem));  // a fault allocates into G's page cache
  // A droppable page may fault in through the refill callback, which draws
  // from the kernel-wide refill generation counter.
  if (vma->test(VM_DROPPABLE)) f.add(rid(R_RNG, 0));
}

void add_mm(Footprint& f, const Node& n, const Mm& m) {
  for (const PteSlot& s : m.pt.slots())
    if (s.pte.is_present() && s.pte.pfn() != kZeroPfn) f.add(rid(R_PFN, n.st.mem.head(s.pte.pfn())));
  for (const PteSlot& s : m.pmds)
    if (s.pte.is_present()) f.add(rid(R_PFN, n.st.mem.head(s.pte.pfn())));
  for (const Vma& v : m.vmas) {
    if (v.file != kNone) f.add(rid(R_FILEOBJ, v.file));
    if (v.test(VM_HUGETLB)) f.add(rid(R_HUGETLB, 0));
    if (v.is_gmem()) f.add(rid(R_GMEM, v.gmem));
  }
}

void add_gup(Footprint& f, const Node& n, GupId g) {
  f.add(rid(R_GUP, g));
  for (Pfn p : n.st.gups[g].pfns)
    if (p != kZeroPfn) f.add(rid(R_PFN, n.st.mem.head(p)));
}

}  // namespace

const std::vector<OpEntry>& alphabet() { return kAlphabet; }

std::vector<Action> gmem_setup(uint32_t pages) {
  std::vector<Action> v(3);
  v[0].op = Op::Vm;  // vm V (KVM_X86_DEFAULT_VM: INIT_SHARED is allowed in every design)
  v[0].flags = KVM_X86_DEFAULT_VM;
  v[1].op = Op::GmemCreate;
  v[1].pages = pages;
  v[1].flags = uint32_t(GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  v[2].op = Op::Memslot;
  v[2].pages = pages;
  return v;
}

const char* default_ops() { return "mmap,write,read,fork,exit,munmap,pin,unpin,vmsplice,pipe-read,clear_refs"; }

bool parse_ops(const std::string& list, std::vector<const OpEntry*>* out, std::string* error) {
  out->clear();
  std::stringstream ss(list);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    const OpEntry* found = nullptr;
    for (const OpEntry& e : kAlphabet)
      if (item == e.name) found = &e;
    if (!found) {
      std::vector<std::string> names;
      for (const OpEntry& e : kAlphabet) names.push_back(e.name);
      *error = fmt::format("unknown op '{}' (known: {})", item, fmt::join(names, ", "));
      return false;
    }
    if (std::find(out->begin(), out->end(), found) == out->end()) out->push_back(found);
  }
  if (out->empty()) {
    *error = "empty op list";
    return false;
  }
  // Alphabet order, whatever the order of the list: the search is the same.
  std::sort(out->begin(), out->end());
  return true;
}

void enabled_actions(const Node& n, const std::vector<const OpEntry*>& ops, const Bounds& b,
                     const AlphabetNames& an, std::vector<Action>& out) {
  out.clear();
  for (uint16_t p = 0; p < n.book.nprocs; ++p) {
    if (!proc_live(n, p)) continue;
    // A process inside a preempted PMD split can only finish it.
    const bool in_split = task(n, p).in_split;
    for (const OpEntry* e : ops)
      if (!e->device && (!in_split || std::string_view(e->name) == "split-pmd")) e->gen(n, p, b, an, out);
  }
  for (const OpEntry* e : ops)
    if (e->device) e->gen(n, kDevice, b, an, out);
}

Footprint footprint(const Node& n, const Action& a, uint32_t slack, bool lru) {
  Footprint f;
  if (lru) f.add(rid(R_LRU, 0));
  if (a.proc == kKernel || a.proc == kGuest) {
    f.global = true;  // reclaim walks every LRU list and every mm; a vCPU access reaches G and the owner's mm
    return f;
  }
  const bool dev = a.proc == kDevice;
  const TaskId t = dev ? kNone : n.book.procs[a.proc].task;
  const Mm* m = dev ? nullptr : &n.st.mms[n.st.tasks[t].mm];
  if (!dev) f.add(rid(R_MM, t));
  const bool low_memory = n.st.mem.nr_free < slack;
  auto range = [&]() {
    const MapRef* mr = n.book.procs[a.proc].map(a.map);
    if (!mr) return;
    const uint32_t lo = a.hi == 0 ? 0 : a.lo, hi = a.hi == 0 ? mr->pages : a.hi;
    for (uint32_t i = lo; i < hi; ++i) add_page(f, n, *m, mr->start + i);
  };
  switch (a.op) {
    case Op::Mmap:
      if (a.flags & MAPF_HUGETLB) f.add(rid(R_HUGETLB, 0));
      if (a.advice == 1) f.add(rid(R_GMEM, n.book.gmem));  // a user of G
      else if (a.flags & MAPF_SHARED) f.add(rid(R_NEWFILE, 0));  // shmem_zero_setup(): the next FileId
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::Madvise:
      // MADV_FREE/COLD/PAGEOUT move folios between LRU lists and swap: they
      // depend on everything (only dontneed has a local footprint).
      if (a.advice != ADV_DONTNEED) {
        f.global = true;
        break;
      }
      [[fallthrough]];
    case Op::Read: case Op::Munmap: case Op::Mprotect:
      range();
      if (a.op == Op::Munmap)
        for (const Vma& v : m->vmas)
          if (v.file != kNone) f.add(rid(R_FILEOBJ, v.file));
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::Write:
      range();
      f.add(rid(R_EPOCH, a.proc));
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::Pin: case Op::Gup:
      range();
      f.add(rid(R_NEWGUP, 0));
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::Vmsplice:
      range();
      f.add(a.obj < n.book.npipes ? rid(R_PIPE, n.book.pipes[a.obj]) : rid(R_NEWPIPE, 0));
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::PipeRead: {
      const PipeId p = n.book.pipes[a.obj];
      f.add(rid(R_PIPE, p));
      if (!n.st.pipes[p].bufs.empty() && n.st.pipes[p].bufs.front() != kZeroPfn)
        f.add(rid(R_PFN, n.st.mem.head(n.st.pipes[p].bufs.front())));
      break;
    }
    case Op::ClearRefs: add_mm(f, n, *m); break;
    case Op::Getrandom:  // reads the state page, may reseed (rng_seq), writes it
      range();
      f.add(rid(R_RNG, 0));
      if (low_memory) f.add(rid(R_ALLOC, 0));
      break;
    case Op::SetrlimitMemlock: break;  // the task's own limit: its mm above
    case Op::Mlockall: f.global = true; break;  // populates and locks everything it maps
    case Op::Fork: case Op::Exit: {
      add_mm(f, n, *m);
      for (PipeId p : n.st.tasks[t].pipes) {
        f.add(rid(R_PIPE, p));
        if (a.op == Op::Exit)
          for (Pfn q : n.st.pipes[p].bufs)
            if (q != kZeroPfn) f.add(rid(R_PFN, n.st.mem.head(q)));
      }
      for (FileId fi : n.st.tasks[t].files) f.add(rid(R_FILEOBJ, fi));
      // KVM and guest_memfd fds: fork takes references, exit may release the file (its page cache) or the VM.
      if (!n.st.tasks[t].gmem_fds.empty() || !n.st.tasks[t].vm_fds.empty()) {
        if (a.op == Op::Exit) {
          f.global = true;
          break;
        }
        for (uint32_t g : n.st.tasks[t].gmem_fds) f.add(rid(R_GMEM, g));
        for (uint32_t v : n.st.tasks[t].vm_fds) f.add(rid(R_GMEM, 0x80000000u | v));
      }
      if (a.op == Op::Fork) {
        f.add(rid(R_NEWTASK, 0));
        f.add(rid(R_EPOCH, a.proc));
        f.add(rid(R_ALLOC, 0));  // copies of pinned pages for the child
      } else {
        for (GupId g = 0; g < n.st.gups.size(); ++g)
          if (n.st.gups[g].live && n.st.gups[g].owner == t) add_gup(f, n, g);
      }
      break;
    }
    case Op::Unpin: case Op::Put: case Op::DmaRead: case Op::DmaWrite: {
      if (a.obj >= n.book.npins || n.book.pins[a.obj] == kNone) {
        f.global = true;
        break;
      }
      const GupId g = n.book.pins[a.obj];
      add_gup(f, n, g);
      if (a.op == Op::DmaWrite) {
        f.add(rid(R_MM, n.st.gups[g].owner));  // the owner's epoch names the token
        for (uint32_t i = 0; i < n.book.nprocs; ++i)
          if (n.book.procs[i].task == n.st.gups[g].owner) f.add(rid(R_EPOCH, i));
      }
      break;
    }
    default:
      f.global = true;  // ksm_merge and anything without a footprint: depends on everything
      break;
  }
  return f;
}

bool independent(const Footprint& x, const Footprint& y) {
  if (x.global || y.global) return false;
  for (int i = 0; i < x.n; ++i)
    for (int j = 0; j < y.n; ++j)
      if (x.ids[i] == y.ids[j]) return false;
  return true;
}

bool action_less(const Action& x, const Action& y) {
  auto key = [](const Action& a) {
    return std::tuple(a.proc, int(a.op), a.map, a.lo, a.hi, a.obj, a.foll, a.prot, a.flags, a.advice, a.pages, a.value);
  };
  return key(x) < key(y);
}

}  // namespace mmsim::explore
