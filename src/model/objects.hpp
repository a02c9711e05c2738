// The other holders of page references: tasks, GUP reference sets held by a
// device (pins and gets), pipes filled by vmsplice, shmem files.
#pragma once
#include <cstdint>
#include <vector>

#include "model/small_vec.hpp"
#include "model/types.hpp"

namespace mmsim {

inline constexpr uint64_t kRlimInfinity = ~0ull;

struct Task {
  MmId mm = kNone;
  uint8_t live = 1;
  uint8_t cap_ipc_lock = 1;  // root: CAP_IPC_LOCK, RLIMIT_MEMLOCK does not apply
  uint8_t in_split = 0;      // inside a preempted PMD split (split_pmd_begin) until split_pmd_end
  uint8_t pad = 0;
  uint64_t memlock = kRlimInfinity;  // RLIMIT_MEMLOCK in pages
  Vpn split_vpn = 0;                 // while in_split: the address split_pmd_begin was given
  // The fds it holds, in the order opened (inline up to 3 each: copied with every State copy).
  SmallVec<PipeId, 3> pipes;    // pipe fds (inherited by fork)
  SmallVec<FileId, 3> files;    // memfd fds (inherited by fork)
  SmallVec<uint32_t, 3> vm_fds;    // KVM VM fds (VmId)
  SmallVec<uint32_t, 3> gmem_fds;  // guest_memfd fds (GmemId)
  friend bool operator==(const Task&, const Task&) = default;
};

// FOLL_* flags (include/linux/mm_types.h / mm.h), as far as the model reads them.
enum FollFlag : uint32_t {
  FOLL_WRITE = 0x01,
  FOLL_GET = 0x04,
  FOLL_FORCE = 0x10,
  FOLL_LONGTERM = 0x100,
  FOLL_PIN = 0x40000,
  // FOLL_EXCLUSIVE (exclusive GUP pinning RFC, 2024; never merged): a FOLL_PIN
  // that excludes every other FOLL_PIN while held (gmem-pin=exclusive).
  FOLL_EXCLUSIVE = 0x2000,
  FOLL_FAST = 0x80000000,  // model-only: taken through the *_fast() entry point
};

// One get_user_pages()/pin_user_pages() call's result, held by a device (an
// io_uring fixed buffer, an RDMA MR, a gup_test pin): the PFNs it references.
struct GupRef {
  uint32_t foll = 0;    // FollFlag bits it was taken with
  TaskId owner = kNone; // released when this task unpins or exits
  MmId mm = kNone;      // the mm the pages were looked up in
  uint8_t live = 1;
  uint8_t pad[3] = {};
  Vpn vpn = 0;          // the address of pfns[0] in that mm
  std::vector<Pfn> pfns;  // kZeroPfn entries hold no reference (FOLL_PIN skips the zero page)
  friend bool operator==(const GupRef&, const GupRef&) = default;
};

// A pipe filled by vmsplice(): each buffer holds a page reference
// (iov_iter_get_pages2() -> FOLL_GET) until it is read.
struct Pipe {
  int32_t users = 0;  // tasks holding an fd
  uint32_t pad = 0;
  std::vector<Pfn> bufs;
  friend bool operator==(const Pipe&, const Pipe&) = default;
};
inline constexpr size_t kPipeDefBuffers = 16;  // PIPE_DEF_BUFFERS

// What backs a file's page cache (cow.c's non-anon memory variants).
enum class FileKind : uint8_t {
  Shmem,    // tmpfs/shmem: MAP_SHARED|MAP_ANONYMOUS, memfd_create()
  Regular,  // a regular file on a disk file system (tmpfile() on ext4): pages not
            // swap-backed, on the file LRU, counted in MM_FILEPAGES, never reclaimed by the model
  Hugetlb,  // hugetlbfs (memfd_create(MFD_HUGETLB)): one huge page per index, from the pool
};

// A regular file on a block-device file system, opened O_DIRECT: only its
// contents (one token per page, from offset 0) matter; no page cache.
struct DioFile {
  std::vector<Token> pages;  // the file's size is pages.size() pages
  friend bool operator==(const DioFile&, const DioFile&) = default;
};

// A file: one per MAP_SHARED|MAP_ANONYMOUS mmap (shmem_zero_setup()), a
// memfd, a tmpfile. The page cache holds one reference per page.
struct ShmemFile {
  int32_t users = 0;  // VMAs and fds referencing it
  FileKind kind = FileKind::Shmem;
  uint8_t pad[3] = {};
  std::vector<Pfn> pages;  // by file index; kNoPfn = not in the page cache
  friend bool operator==(const ShmemFile&, const ShmemFile&) = default;
};

}  // namespace mmsim
