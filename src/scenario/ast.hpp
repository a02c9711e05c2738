// A parsed scenario file. The language is line-oriented and litmus-like; its
// reference is in README.md ("Scenario language"). Everything here is plain
// data so that the model runner, the host runner and the explorer share it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "scenario/value.hpp"

namespace mmsim {

struct Loc {
  int line = 0;
  int col = 0;
};

// A, A[3], A[0:4] (half-open): pages of a named mapping (or of a pin).
struct RangeRef {
  std::string name;
  uint64_t lo = 0;
  uint64_t hi = 0;     // exclusive; resolved against the mapping size for "whole"
  bool whole = true;
  Loc loc;
  uint64_t count() const { return hi - lo; }
};

enum class Op {
  Mmap, Munmap, Mprotect, Madvise, Mlock, Munlock,
  Read, Write, Fork, Exit,
  Pin, Gup, Unpin, Put, DmaRead, DmaWrite,
  Vmsplice, PipeRead, ProcessVmRead, ProcessVmWrite,
  ClearRefs, UffdRegister, UffdWp, UffdUnwp, KsmMerge, Memfd, Fallocate, LruAddDrain, Mremap,
  // KVM and guest_memfd
  Vm, Close, CheckExtension, GmemCreate, GmemFallocate, FileOp, Convert, Memslot, SetMemoryAttributes,
  GuestRead, GuestWrite,
  ProcMemRead, ProcMemWrite,  // /proc/PID/mem
  OdirectWrite, OdirectRead,  // write()/read() of a file opened O_DIRECT (name: the file)
  Probe,
  Mlockall, Munlockall, SetrlimitMemlock, Getrandom,
  Reclaim,  // actor "kernel": a global reclaim pass (shrink_node())
  Khugepaged,  // actor "kernel": one khugepaged scan of every mm (khugepaged_do_scan())
  SplitPmdBegin, SplitPmdEnd,  // a PMD split preempted inside __split_huge_pmd() (CVE-2020-29368)
};

// Observations: pagemap bits a user can read, and model-only counters.
enum class Probe {
  Pfn, Present, Swapped, Exclusive, SoftDirty, File, UffdWp,              // /proc/PID/pagemap
  Refcount, Mapcount, Pincount, AnonExclusive, Dirty, Mlocked, LruBatch,  // model-only, per page
  Thp, PmdMapped,
  HasPinned, RssAnon, RssShmem, LockedVm,                                 // model-only, per mm
  Lazyfree, Active, Unevictable, Swapcache, Swapcount,                    // model-only, per page (LRU, swap)
  RssSwap,                                                                // model-only, per mm (MM_SWAPENTS)
  FreePages, FreeSwap,                                                    // model-only, the whole machine
  Mincore,                                                                // mincore(), per page
  RssFile,                                                                // MM_FILEPAGES, per mm
  GmemPrivate, GmemPresent, GmemUptodate, GmemPfn, GmemRefcount,          // per guest_memfd index
  GmemPages, GmemHuge, GmemLive, VmLive,                                  // per guest_memfd / VM
};

// Arguments of the KVM and guest_memfd steps (sizes, offsets and addresses in bytes).
struct KvmArgs {
  std::string vm;            // the VM named by the step
  std::string gmem;          // the guest_memfd (or, for memslot 'gmem'/'fd', a memfd or "badfd")
  bool gmem_flag = false;    // memslot: KVM_MEM_GUEST_MEMFD requested through 'gmem X'
  uint32_t type = 0;         // vm: KVM_X86_*_VM
  uint32_t cap = 0;          // check_extension
  uint32_t slot = 0;         // memslot id
  uint32_t mode = 0;         // fallocate mode (FALLOC_FL_*)
  uint64_t size = 0;         // create / memslot / convert / set_memory_attributes
  int64_t offset = 0;        // fallocate (signed), convert, memslot guest_memfd_offset, mmap offset
  int64_t len = 0;           // fallocate
  uint64_t gpa = 0;
  uint64_t flags = 0;        // raw flags (create, convert, memslot, set_memory_attributes)
  uint64_t attrs = 0;        // convert / set_memory_attributes attributes
  std::string uaddr_map;     // memslot uaddr as a mapping name
  uint64_t uaddr = 0;        // ... or as a number
  bool reserved = false;     // convert: a reserved word is non-zero
  bool v1 = false;           // memslot: the v1 ioctl
  bool bytes = false;        // fallocate/convert given as offset/len in bytes (else a page range)
  int fop = 0;               // file_op: GmemFileOp
};

// mmap ... droppable refill TOKEN|gen: the ->fault callback the `refill`
// droppable policy runs (Kernel::set_refill()).
enum class Refill : uint8_t { None, Token, Generation };

struct Step {
  Loc loc;
  std::string text;   // the source line, for messages and traces
  std::string actor;  // "P0", "P1", ..., "dma" or "kernel" (reclaim)
  Op op = Op::Probe;
  std::string file;   // mmap ... file F: the memfd mapped
  std::string name;   // mmap/pin/gup/memfd: the new name; unpin/put: the pin; fork: the child; fallocate: the memfd;
                      // vmsplice/read pipe: the pipe; process_vm_*: the target task; odirect_*: the file
  RangeRef range;     // the pages acted on (for dma: pin pages)
  uint64_t pages = 0; // mmap/memfd size; setrlimit memlock: the limit; reclaim: folios to free (0 = all it can); khugepaged: ranges to collapse (0 = all)
  int prot = 0;       // PROT_* bits (mmap, mprotect)
  unsigned map_flags = 0;  // MapFlag bits
  int advice = 0;
  uint8_t file_kind = 0;  // memfd/tmpfile: the model's FileKind (0 memfd, 1 tmpfile, 2 memfd hugetlb)
  Value value;        // write / dma write / process_vm_write token; mmap ... refill TOKEN
  Refill refill = Refill::None;  // mmap ... droppable refill TOKEN|gen
  unsigned mcl = 0;   // mlockall: MclFlag bits
  uint32_t foll = 0;  // FOLL_* for pin/gup
  bool dirty = false; // unpin dirty
  Probe probe = Probe::Pfn;
  KvmArgs kvm;        // KVM and guest_memfd steps; actor "guest" for vCPU accesses
  std::vector<std::string> binds;
  Loc bind_loc;
};

struct Operand {
  bool is_name = false;
  std::string name;
  Value literal;
  Loc loc;
  std::string text;
};

struct Expect {
  Loc loc;
  std::string text;
  std::vector<std::string> quals;  // profile names or knob=value; empty = every profile
  std::vector<Loc> qual_locs;
  std::string lhs;
  Loc lhs_loc;
  bool equal = true;  // == or !=
  Operand rhs;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string doc;
  std::vector<std::string> refs;
  std::map<std::string, std::string> config;
  std::map<std::string, Loc> config_loc;
  std::vector<Step> steps;
  std::vector<Expect> expects;
};

// One problem with the input, located (file:line:col: message).
struct Diagnostic {
  std::string file;
  Loc loc;
  std::string message;
  std::string str() const;
};

}  // namespace mmsim
