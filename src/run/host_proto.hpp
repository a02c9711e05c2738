// The control channel between the host runner and one worker process: fixed
// binary messages over a SOCK_SEQPACKET socketpair (message boundaries are
// kept, and file descriptors travel with SCM_RIGHTS). One request, one reply.
#pragma once
#include <cstddef>
#include <cstdint>

namespace mmsim::host {

inline constexpr int kMaxPages = 64;  // pages one step may touch (range limit on the host)

enum class HOp : uint32_t {
  Mmap, Munmap, Mprotect, Madvise, Mlock, Munlock, Read, Write, Fork, Exit,
  Pagemap,       // raw /proc/self/pagemap entries of n pages
  Vmsplice,      // into pipe `name` (fds sent before, see PipeFds)
  PipeRead,      // one page, non-blocking
  PipeFds,       // takes the two fds of pipe `name` from SCM_RIGHTS
  PvmRead, PvmWrite,  // process_vm_readv/writev on `pid` at `addr`
  Memfd, Fallocate,   // memfd `name` of n pages
  PinIoUring,    // io_uring ring `name` with one fixed buffer over [addr, addr+n pages)
  DmaRead, DmaWrite,  // through ring `name`, page `arg` of the buffer
  Unpin,         // unregister the buffers of ring `name` and close it
  ClearRefs,     // echo 4 > /proc/self/clear_refs
  // KVM and guest_memfd (fds kept by name; inherited by fork)
  KvmCreateVm,   // VM `name`, type `arg`
  KvmClose,      // close the VM or guest_memfd fd `name`
  KvmCheckExt,   // KVM_CHECK_EXTENSION(`arg`) on VM `name`, or /dev/kvm if `name` is empty
  GmemCreate,    // guest_memfd `name` on VM `name2`: size `n` bytes, flags `val`
  GmemFallocate, // fallocate(`name`, mode `flags`, offset `addr` (signed), len `n` (signed))
  GmemFileOp,    // file operation `arg` (GmemFileOp) on `name`
  GmemConvert,   // KVM_SET_MEMORY_ATTRIBUTES2 on `name`: offset `addr`, size `n`, attributes `val`,
                 // flags `arg`, a reserved word set if `prot`; vals[0] = error_offset on EAGAIN
  KvmMemslot,    // KVM_SET_USER_MEMORY_REGION2 on VM `name`: slot `pid`, flags `flags`, gpa `addr`,
                 // size `n`, userspace_addr `val`, guest_memfd `name2` (or "badfd"), offset `arg`; v1 if `prot`
  KvmSetAttrs,   // KVM_SET_MEMORY_ATTRIBUTES on VM `name`: gpa `addr`, size `n`, attributes `val`, flags `arg`
  Mincore,       // mincore() of n pages: vals[i] = the byte
  ProcMemRead, ProcMemWrite,  // pread/pwrite of 8 bytes of /proc/`pid`/mem at `addr`
  Mlockall,      // mlockall(arg: MCL_* bits)
  Munlockall,
  SetrlimitMemlock,  // setrlimit(RLIMIT_MEMLOCK, n pages) and drop CAP_IPC_LOCK from this process
  Getrandom,     // __vdso_getrandom(&out, 8, 0, addr, 144): the state at the page start
  Kpageflags,    // /proc/kpageflags of the PFNs of n pages (0 when not present)
  Status,        // /proc/self/status VmSwap in pages
  DioFd,         // takes the O_DIRECT fd of file `name` from SCM_RIGHTS
  DioWrite, DioRead,  // pwrite()/pread() of n pages at addr to/from file `name`, offset 0; vals[0] = bytes
  UffdRegister,  // UFFDIO_REGISTER_MODE_WP over n pages (the worker's own userfaultfd, UFFD_FEATURE_SIGBUS)
  UffdWriteprotect,  // UFFDIO_WRITEPROTECT, mode WP if `arg`, else 0
  Mremap,        // mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of n pages to a free area; vals[0] = the new address
};

enum HMapFlag : uint32_t {
  HMAP_SHARED = 1, HMAP_POPULATE = 2, HMAP_LOCKED = 4, HMAP_NORESERVE = 8, HMAP_FILE = 16,
  HMAP_DROPPABLE = 32, HMAP_GROWSDOWN = 64, HMAP_HUGETLB = 128,
  HMAP_GMEM = 256,  // guest_memfd `name` at offset `arg`
};
// Madvise: retry MADV_PAGEOUT while a page of the range is still mapped
// (speculative references can block a drop; see docs/host.md).
inline constexpr uint32_t HMADV_RETRY_PAGEOUT = 1;
// Read: `arg` is a bitmask of the pages that are vDSO getrandom states; for
// those the word read is the state's generation (offset 128), not offset 0.
inline constexpr uint64_t kStateGenerationOffset = 128;

struct Request {
  HOp op;
  int32_t prot;
  uint32_t flags;
  int32_t pid;
  uint64_t addr;
  uint64_t n;
  uint64_t arg;
  uint64_t val;
  uint64_t page;   // bytes per scenario page of the range (0: 4 KiB; a hugetlb mapping: the huge page size)
  char name[40];  // memfd, pipe, ring, VM or guest_memfd name
  char name2[40]; // a second name (GmemCreate: the VM; KvmMemslot: the guest_memfd or memfd)
};

struct Reply {
  // Userfault: a write stopped by handle_userfault() (SIGBUS from a uffd-wp PTE
  // with UFFD_FEATURE_SIGBUS), the model's USERFAULT.
  enum Kind : int32_t { Ok, Errno, Signal, Unsupported, Userfault } kind;
  int32_t code;  // errno or signal
  int32_t pid;   // fork: the child's pid
  uint32_t nvals;
  uint64_t vals[kMaxPages];
};

// The vDSO exports __vdso_getrandom and its params query reports the 144-byte
// state of Linux 6.11+ (used for the header's feature list).
bool vdso_getrandom_available();

// The worker's main loop; never returns (the worker _exit()s).
[[noreturn]] void worker_main(int ctl);

// Message helpers (also used by the runner): send/receive one message with up
// to two file descriptors attached. recv returns the byte count, 0 on EOF, -1 on error.
bool send_msg(int sock, const void* buf, size_t len, const int* fds = nullptr, int nfds = 0);
long recv_msg(int sock, void* buf, size_t len, int* fds = nullptr, int* nfds = nullptr);

}  // namespace mmsim::host
