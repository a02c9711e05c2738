// A host worker: one real process per scenario process. It performs the steps
// the runner sends on its own address space and replies with the outcome.
// Bad accesses are caught (SIGSEGV/SIGBUS handler + siglongjmp), so the worker
// survives and reports the signal, as the model does.
#include <fcntl.h>
#include <liburing.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <elf.h>
#include <linux/capability.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/userfaultfd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "run/host_proto.hpp"

namespace mmsim::host {

bool send_msg(int sock, const void* buf, size_t len, const int* fds, int nfds) {
  iovec iov{const_cast<void*>(buf), len};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * 2)];
  if (nfds > 0) {
    mh.msg_control = ctl;
    mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
    cmsghdr* c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * nfds);
  }
  for (;;) {
    const ssize_t r = sendmsg(sock, &mh, MSG_NOSIGNAL);
    if (r >= 0) return size_t(r) == len;
    if (errno != EINTR) return false;
  }
}

long recv_msg(int sock, void* buf, size_t len, int* fds, int* nfds) {
  iovec iov{buf, len};
  msghdr mh{};
  mh.msg_iov = &iov;
  mh.msg_iovlen = 1;
  alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int) * 2)];
  mh.msg_control = ctl;
  mh.msg_controllen = sizeof ctl;
  ssize_t r;
  do r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
  while (r < 0 && errno == EINTR);
  if (nfds) *nfds = 0;
  if (r > 0)
    for (cmsghdr* c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
        const int k = int((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        if (fds && nfds) {
          memcpy(fds, CMSG_DATA(c), sizeof(int) * k);
          *nfds = k;
        }
      }
  return r;
}

namespace {

constexpr uint64_t kPage = 4096;

// The KVM uAPI of Linux 6.18 (include/uapi/linux/kvm.h), defined here because
// distribution headers may predate guest_memfd.
namespace kvm {
constexpr unsigned long kIo = 0xAE;
struct create_guest_memfd { uint64_t size, flags, reserved[6]; };
struct userspace_memory_region { uint32_t slot, flags; uint64_t guest_phys_addr, memory_size, userspace_addr; };
struct userspace_memory_region2 {
  uint32_t slot, flags;
  uint64_t guest_phys_addr, memory_size, userspace_addr, guest_memfd_offset;
  uint32_t guest_memfd, pad1;
  uint64_t pad2[14];
};
struct memory_attributes { uint64_t address, size, attributes, flags; };
struct memory_attributes2 { uint64_t offset, size, attributes, flags, error_offset, reserved[11]; };
static_assert(sizeof(create_guest_memfd) == 64 && sizeof(userspace_memory_region2) == 160 &&
              sizeof(memory_attributes2) == 128);
const unsigned long CREATE_VM = _IO(kIo, 0x01);
const unsigned long CHECK_EXTENSION = _IO(kIo, 0x03);
const unsigned long SET_USER_MEMORY_REGION = _IOW(kIo, 0x46, userspace_memory_region);
const unsigned long SET_USER_MEMORY_REGION2 = _IOW(kIo, 0x49, userspace_memory_region2);
const unsigned long SET_MEMORY_ATTRIBUTES = _IOW(kIo, 0xd2, memory_attributes);
const unsigned long SET_MEMORY_ATTRIBUTES2 = _IOWR(kIo, 0xd2, memory_attributes2);  // the in-place series
const unsigned long CREATE_GUEST_MEMFD = _IOWR(kIo, 0xd4, create_guest_memfd);
}  // namespace kvm
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE 0x08  // include/uapi/linux/mman.h (6.11): a MAP_TYPE value
#endif

// The vDSO's __vdso_getrandom (lib/vdso/getrandom.c, 6.11+), found through
// AT_SYSINFO_EHDR and the image's .dynsym (the whole ELF file is mapped).
using VgetrandomFn = long (*)(void* buf, size_t len, unsigned flags, void* state, size_t state_len);
struct VgetrandomParams {  // struct vgetrandom_opaque_params
  uint32_t size_of_opaque_state, mmap_prot, mmap_flags, reserved[13];
};

VgetrandomFn find_vdso_getrandom() {
  const auto base = static_cast<uintptr_t>(getauxval(AT_SYSINFO_EHDR));
  if (!base) return nullptr;
  const auto* eh = reinterpret_cast<const Elf64_Ehdr*>(base);
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64) return nullptr;
  uintptr_t load = 0;  // p_vaddr of the first PT_LOAD (0 for the x86-64 vDSO)
  const auto* ph = reinterpret_cast<const Elf64_Phdr*>(base + eh->e_phoff);
  for (int i = 0; i < eh->e_phnum; ++i)
    if (ph[i].p_type == PT_LOAD) {
      load = ph[i].p_vaddr;
      break;
    }
  const auto* sh = reinterpret_cast<const Elf64_Shdr*>(base + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum; ++i) {
    if (sh[i].sh_type != SHT_DYNSYM || !sh[i].sh_entsize) continue;
    const auto* sym = reinterpret_cast<const Elf64_Sym*>(base + sh[i].sh_offset);
    const char* str = reinterpret_cast<const char*>(base + sh[sh[i].sh_link].sh_offset);
    for (size_t k = 0; k < sh[i].sh_size / sh[i].sh_entsize; ++k)
      if (sym[k].st_shndx != SHN_UNDEF && strcmp(str + sym[k].st_name, "__vdso_getrandom") == 0)
        return reinterpret_cast<VgetrandomFn>(base + sym[k].st_value - load);
  }
  return nullptr;
}

// Drop CAP_IPC_LOCK from this process only (effective, permitted, inheritable
// and the bounding set); the rest of the machine is not touched.
bool drop_cap_ipc_lock() {
  __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2]{};
  if (syscall(SYS_capget, &hdr, data)) return false;
  const unsigned idx = CAP_IPC_LOCK / 32, bit = 1u << (CAP_IPC_LOCK % 32);
  data[idx].effective &= ~bit, data[idx].permitted &= ~bit, data[idx].inheritable &= ~bit;
  if (syscall(SYS_capset, &hdr, data)) return false;
  prctl(PR_CAPBSET_DROP, CAP_IPC_LOCK, 0, 0, 0);  // best effort (needs CAP_SETPCAP)
  return true;
}

sigjmp_buf g_jb;
volatile sig_atomic_t g_armed = 0;

void on_fault(int sig) {
  if (g_armed) {
    g_armed = 0;
    siglongjmp(g_jb, sig);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

struct Ring {
  io_uring ring;
  uint64_t addr = 0;
  uint64_t pages = 0;
  uint64_t page = 4096;  // bytes per scenario page (a huge page in a hugetlb mapping)
  int tmp = -1;  // the file the "device" DMAs to and from
};

struct Worker {
  int ctl;
  std::map<std::string, int> memfds;
  std::map<std::string, std::pair<int, int>> pipes;
  std::map<std::string, Ring*> rings;
  std::map<std::string, int> vms, gmems;  // KVM VM and guest_memfd fds by name
  int kvm_dev = -1;                       // /dev/kvm, opened on first use
  std::map<std::string, int> dio_files;   // O_DIRECT fds by file name (from the runner)
  int uffd = -1;                          // this process's userfaultfd, opened on first use

  // userfaultfd(2) of this mm with UFFD_FEATURE_SIGBUS: a write to a uffd-wp
  // PTE makes handle_userfault() answer VM_FAULT_SIGBUS at once instead of
  // queueing a message and sleeping (there is no monitor thread). 0 or an errno.
  int uffd_open() {
    if (uffd >= 0) return 0;
    const int fd = int(syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK));
    if (fd < 0) return -errno;  // negative: the interface itself is missing (seccomp, sysctl, !CONFIG)
    uffdio_api api{};
    api.api = UFFD_API;
    api.features = UFFD_FEATURE_SIGBUS;
    if (ioctl(fd, UFFDIO_API, &api)) {
      const int e = errno;
      close(fd);
      return -e;
    }
    uffd = fd;
    return 0;
  }
  // The page at `p` carries the uffd-wp bit (pagemap bit 57): a SIGBUS there
  // came from handle_userfault().
  bool uffd_wp_at(const void* p) const {
    if (uffd < 0) return false;
    const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    uint64_t e = 0;
    const bool ok = pread(fd, &e, sizeof e, off_t(reinterpret_cast<uint64_t>(p) / kPage * sizeof e)) == sizeof e;
    close(fd);
    return ok && (e >> 57 & 1);
  }

  int dev_kvm() {
    if (kvm_dev < 0) kvm_dev = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    return kvm_dev;
  }
  int fd_of(const std::map<std::string, int>& m, const std::string& n) {
    auto it = m.find(n);
    return it == m.end() ? -1 : it->second;
  }

  // A plain file syscall on a guest_memfd fd (GmemFileOp order); 0 or an errno.
  int file_op(int fd, uint64_t op) {
    char buf[8] = {};
    auto rc = [](long r) { return r < 0 ? errno : 0; };
    switch (op) {
      case 0: return rc(read(fd, buf, sizeof buf));
      case 1: return rc(write(fd, buf, sizeof buf));
      case 2: return rc(pread(fd, buf, sizeof buf, 0));
      case 3: return rc(pwrite(fd, buf, sizeof buf, 0));
      case 4: return rc(lseek(fd, 0, SEEK_SET));
      case 5: {
        struct stat st{};
        if (fstat(fd, &st)) return errno;
        return rc(ftruncate(fd, st.st_size));
      }
      case 6: return rc(fchmod(fd, 0600));
      case 7: return rc(fsync(fd));
      case 8: {
        kvm::memory_attributes a{0, kPage, 8, 0};
        return rc(ioctl(fd, kvm::SET_MEMORY_ATTRIBUTES, &a));
      }
      case 9: {
        int p[2];
        if (pipe2(p, O_CLOEXEC | O_NONBLOCK)) return errno;
        const int e = rc(splice(fd, nullptr, p[1], nullptr, kPage, SPLICE_F_NONBLOCK));
        close(p[0]);
        close(p[1]);
        return e;
      }
      case 10: {
        const int t = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (t < 0) return errno;
        const int e = rc(copy_file_range(fd, nullptr, t, nullptr, kPage, 0));
        close(t);
        return e;
      }
      case 11: return rc(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
      case 12: {
        const int e = rc(flock(fd, LOCK_EX | LOCK_NB));
        if (!e) flock(fd, LOCK_UN);
        return e;
      }
      case 13: return posix_fadvise(fd, 0, 0, POSIX_FADV_NORMAL);  // returns the error itself
      case 14: {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        const int f = open(path, O_RDWR | O_CLOEXEC);
        if (f < 0) return errno;
        close(f);
        return 0;
      }
    }
    return EINVAL;
  }

  VgetrandomFn vgetrandom = nullptr;

  // Some page of [addr, addr + n pages) is mapped and exclusive (pagemap bits 63, 56).
  static bool any_exclusive(uint64_t addr, uint64_t n) {
    const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool any = false;
    for (uint64_t i = 0; i < n && !any; ++i) {
      uint64_t e = 0;
      if (pread(fd, &e, sizeof e, off_t((addr / kPage + i) * sizeof e)) == sizeof e) any = (e >> 63 & 1) && (e >> 56 & 1);
    }
    close(fd);
    return any;
  }

  void fail(Reply* r, int e) { r->kind = Reply::Errno, r->code = e; }

  // One guarded access; false + signal number on a fault.
  template <class F>
  bool guarded(F&& f, Reply* r) {
    const int sig = sigsetjmp(g_jb, 1);
    if (sig) {
      r->kind = Reply::Signal;
      r->code = sig;
      return false;
    }
    g_armed = 1;
    f();
    g_armed = 0;
    return true;
  }

  // Submit one fixed-buffer op and wait for it (cow.c's do_test_iouring_fork).
  int ring_io(Ring* rg, bool write_fixed, uint64_t page) {
    io_uring_sqe* sqe = io_uring_get_sqe(&rg->ring);
    if (!sqe) return -EBUSY;
    void* buf = reinterpret_cast<void*>(rg->addr + page * rg->page);
    if (write_fixed)
      io_uring_prep_write_fixed(sqe, rg->tmp, buf, sizeof(uint64_t), 0, 0);
    else
      io_uring_prep_read_fixed(sqe, rg->tmp, buf, sizeof(uint64_t), 0, 0);
    int rc = io_uring_submit(&rg->ring);
    if (rc < 0) return rc;
    io_uring_cqe* cqe = nullptr;
    rc = io_uring_wait_cqe(&rg->ring, &cqe);
    if (rc < 0) return rc;
    const int res = cqe->res;
    io_uring_cqe_seen(&rg->ring, cqe);
    return res < 0 ? res : 0;
  }

  void handle(const Request& q, const int* fds, int nfds, Reply* r) {
    char* a = reinterpret_cast<char*>(q.addr);
    const uint64_t pg = q.page ? q.page : kPage;  // a scenario page: 4 KiB, or a huge page
    const size_t len = q.n * pg;
    const std::string name(q.name, strnlen(q.name, sizeof q.name));
    switch (q.op) {
      case HOp::Mmap: {
        // MAP_DROPPABLE is a MAP_TYPE value: with `shared` the type becomes 0x09 (EINVAL), as the scenario says.
        int flags = (q.flags & HMAP_DROPPABLE) ? MAP_DROPPABLE | ((q.flags & HMAP_SHARED) ? MAP_SHARED : 0)
                    : (q.flags & HMAP_SHARED) ? MAP_SHARED : MAP_PRIVATE;
        int fd = -1;
        off_t off = 0;
        if (q.flags & HMAP_FILE) {
          auto it = memfds.find(name);
          if (it == memfds.end()) return fail(r, EBADF);
          fd = it->second;
        } else if (q.flags & HMAP_GMEM) {
          fd = fd_of(gmems, name);
          if (fd < 0) return fail(r, EBADF);
          off = off_t(q.arg);
        } else {
          flags |= MAP_ANONYMOUS;
        }
        if (q.flags & HMAP_POPULATE) flags |= MAP_POPULATE;
        if (q.flags & HMAP_LOCKED) flags |= MAP_LOCKED;
        if (q.flags & HMAP_NORESERVE) flags |= MAP_NORESERVE;
        if (q.flags & HMAP_GROWSDOWN) flags |= MAP_GROWSDOWN;
        if (q.flags & HMAP_HUGETLB) flags |= MAP_HUGETLB;
        void* p = mmap(nullptr, len, q.prot, flags, fd, off);
        if (p == MAP_FAILED) return fail(r, errno);
        r->nvals = 1;
        r->vals[0] = reinterpret_cast<uint64_t>(p);
        return;
      }
      case HOp::Munmap: if (munmap(a, len)) fail(r, errno); return;
      case HOp::Mprotect: if (mprotect(a, len, q.prot)) fail(r, errno); return;
      case HOp::Madvise: {
        if (madvise(a, len, int(q.arg))) return fail(r, errno);
        // MADV_PAGEOUT on droppable pages: a speculative reference
        // (GUP-fast, page-cache lookups, compaction) makes the discard in
        // try_to_unmap_one() re-install the PTE; the June 2026 selftest retries
        // up to 10 times. Retried only while a page is still mapped and exclusive
        // (the zero page is never exclusive and never dropped).
        if (q.arg == MADV_PAGEOUT && (q.flags & HMADV_RETRY_PAGEOUT))
          for (int tries = 1; tries < 10 && any_exclusive(q.addr, q.n); ++tries) {
            usleep(1000);
            if (madvise(a, len, MADV_PAGEOUT)) return fail(r, errno);
          }
        return;
      }
      case HOp::Mlockall: if (mlockall(int(q.arg))) fail(r, errno); return;
      case HOp::Munlockall: if (munlockall()) fail(r, errno); return;
      case HOp::SetrlimitMemlock: {
        // The soft limit is the one mlock()/mmap() check; the hard limit is only
        // raised if needed (lowering it would need CAP_SYS_RESOURCE to undo).
        rlimit rl{};
        getrlimit(RLIMIT_MEMLOCK, &rl);
        rl.rlim_cur = q.n * kPage;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur) rl.rlim_max = rl.rlim_cur;
        if (setrlimit(RLIMIT_MEMLOCK, &rl)) return fail(r, errno);
        if (!drop_cap_ipc_lock()) fail(r, errno);
        return;
      }
      case HOp::Getrandom: {
        if (!vgetrandom) {
          vgetrandom = find_vdso_getrandom();
          VgetrandomParams params{};
          if (!vgetrandom || vgetrandom(nullptr, 0, 0, &params, ~0ul) != 0 || params.size_of_opaque_state != 144)
            return fail(r, ENOSYS);
        }
        uint64_t out = 0;
        long rc = 0;
        if (!guarded([&] { rc = vgetrandom(&out, sizeof out, 0, a, 144); }, r)) return;
        if (rc < 0) return fail(r, int(-rc));
        if (rc != long(sizeof out)) return fail(r, EIO);
        r->nvals = 1;
        r->vals[0] = out;
        return;
      }
      case HOp::Kpageflags: {
        const int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        const int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
        if (pm < 0 || kf < 0) {
          const int e = errno;
          if (pm >= 0) close(pm);
          if (kf >= 0) close(kf);
          return fail(r, e);
        }
        for (uint64_t i = 0; i < q.n; ++i) {
          uint64_t e = 0, flags = 0;
          if (pread(pm, &e, sizeof e, off_t((q.addr + i * pg) / kPage * sizeof e)) != sizeof e) e = 0;
          const uint64_t pfn = e & ((1ull << 55) - 1);
          if ((e >> 63 & 1) && pfn && pread(kf, &flags, sizeof flags, off_t(pfn * sizeof flags)) != sizeof flags)
            flags = 0;
          r->vals[r->nvals++] = (e >> 63 & 1) ? flags | (1ull << 63) : 0;  // bit 63: present (unused by KPF_*)
        }
        close(pm), close(kf);
        return;
      }
      case HOp::Status: {
        const int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fail(r, errno);
        static char buf[8192];
        const ssize_t got = read(fd, buf, sizeof buf - 1);
        close(fd);
        if (got <= 0) return fail(r, EIO);
        buf[got] = 0;
        const char* v = strstr(buf, "VmSwap:");
        if (!v) return fail(r, ENOENT);
        r->nvals = 1;
        r->vals[0] = strtoull(v + 7, nullptr, 10) / (kPage / 1024);
        return;
      }
      case HOp::Mlock: if (mlock(a, len)) fail(r, errno); return;
      case HOp::Munlock: if (munlock(a, len)) fail(r, errno); return;
      case HOp::Read:
        for (uint64_t i = 0; i < q.n; ++i) {
          const uint64_t off = (q.arg >> i & 1) ? kStateGenerationOffset : 0;
          volatile uint64_t* p = reinterpret_cast<volatile uint64_t*>(a + i * pg + off);
          uint64_t v = 0;
          if (!guarded([&] { v = *p; }, r)) return;
          r->vals[r->nvals++] = v;
        }
        return;
      case HOp::Write:
        for (uint64_t i = 0; i < q.n; ++i) {
          volatile uint64_t* p = reinterpret_cast<volatile uint64_t*>(a + i * pg);
          if (!guarded([&] { *p = q.val; }, r)) {
            if (r->code == SIGBUS && uffd_wp_at(a + i * pg)) r->kind = Reply::Userfault, r->code = 0;
            return;
          }
        }
        return;
      case HOp::DioFd:
        if (nfds != 1) return fail(r, EBADF);
        if (auto it = dio_files.find(name); it != dio_files.end()) close(it->second);
        dio_files[name] = fds[0];
        return;
      case HOp::DioWrite: case HOp::DioRead: {
        const int fd = fd_of(dio_files, name);
        if (fd < 0) return fail(r, EBADF);
        const ssize_t n = q.op == HOp::DioWrite ? pwrite(fd, a, len, 0) : pread(fd, a, len, 0);
        if (n < 0) return fail(r, errno);
        r->nvals = 1;
        r->vals[0] = uint64_t(n);
        return;
      }
      case HOp::UffdRegister: {
        if (int e = uffd_open()) return r->kind = Reply::Unsupported, void(r->code = -e);
        uffdio_register reg{};
        reg.range = {q.addr, len};
        reg.mode = UFFDIO_REGISTER_MODE_WP;
        if (ioctl(uffd, UFFDIO_REGISTER, &reg)) fail(r, errno);
        return;
      }
      case HOp::UffdWriteprotect: {
        // The kernel answers ENOENT where nothing is registered.
        if (int e = uffd_open()) return r->kind = Reply::Unsupported, void(r->code = -e);
        uffdio_writeprotect wp{};
        wp.range = {q.addr, len};
        wp.mode = q.arg ? UFFDIO_WRITEPROTECT_MODE_WP : 0;
        if (ioctl(uffd, UFFDIO_WRITEPROTECT, &wp)) fail(r, errno);
        return;
      }
      case HOp::Mremap: {
        // MREMAP_FIXED onto a reserved free area (without FIXED, an mremap to
        // the same size does not move at all).
        // The area must not overlap the source (a hole inside it would be the
        // first free area found): reserve again while it does.
        auto reserve = [&] { return mmap(nullptr, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0); };
        void* to = reserve();
        if (to == MAP_FAILED) return fail(r, errno);
        auto overlaps = [&](void* p) { return static_cast<char*>(p) < a + len && a < static_cast<char*>(p) + len; };
        if (overlaps(to)) {
          void* other = reserve();
          munmap(to, len);
          if (other == MAP_FAILED) return fail(r, errno);
          to = other;
          if (overlaps(to)) return munmap(to, len), fail(r, ENOMEM);
        }
        // 6.17+ moves every VMA of the range (remap_move()), keeping the
        // holes between them, and may fail after moving some: the
        // reservation stays only where a page moved in (mincore() is ENOMEM
        // on an unmapped page), as the model has nothing elsewhere.
        auto mapped = [&](char* p) {
          unsigned char v[512] = {};  // one byte per 4 KiB of a page
          return mincore(p, pg, v) == 0 || errno != ENOMEM;
        };
        std::vector<bool> was(q.n);
        for (uint64_t i = 0; i < q.n; ++i) was[i] = mapped(a + i * pg);
        void* got = mremap(a, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
        const int e = got == MAP_FAILED ? errno : 0;
        for (uint64_t i = 0; i < q.n; ++i)
          if (!was[i] || mapped(a + i * pg)) munmap(static_cast<char*>(to) + i * pg, pg);
        if (got == MAP_FAILED) return fail(r, e);
        r->nvals = 1;
        r->vals[0] = reinterpret_cast<uint64_t>(got);
        return;
      }
      case HOp::Pagemap: {
        const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
        if (fd < 0) return fail(r, errno);
        for (uint64_t i = 0; i < q.n; ++i) {
          uint64_t e = 0;
          if (pread(fd, &e, sizeof e, off_t((q.addr + i * pg) / kPage * sizeof e)) != sizeof e) {
            fail(r, errno ? errno : EIO);
            break;
          }
          r->vals[r->nvals++] = e;
        }
        close(fd);
        return;
      }
      case HOp::ClearRefs: {
        const int fd = open("/proc/self/clear_refs", O_WRONLY | O_CLOEXEC);
        if (fd < 0) return fail(r, errno);
        if (write(fd, "4", 1) != 1) fail(r, errno);
        close(fd);
        return;
      }
      case HOp::PipeFds:
        if (nfds != 2) return fail(r, EBADF);
        pipes[name] = {fds[0], fds[1]};
        return;
      case HOp::Vmsplice: {
        auto it = pipes.find(name);
        if (it == pipes.end()) return fail(r, EBADF);
        iovec iov[kMaxPages];
        for (uint64_t i = 0; i < q.n; ++i) iov[i] = {a + i * pg, pg};
        const ssize_t w = vmsplice(it->second.second, iov, q.n, SPLICE_F_NONBLOCK);
        if (w < 0) return fail(r, errno);
        r->nvals = 1;
        r->vals[0] = uint64_t(w);
        return;
      }
      case HOp::PipeRead: {
        auto it = pipes.find(name);
        if (it == pipes.end()) return fail(r, EBADF);
        static char page[kPage];
        const ssize_t got = read(it->second.first, page, kPage);  // O_NONBLOCK: EAGAIN if empty
        if (got < 0) return fail(r, errno);
        if (got < ssize_t(sizeof(uint64_t))) return fail(r, EIO);
        r->nvals = 1;
        memcpy(&r->vals[0], page, sizeof(uint64_t));
        return;
      }
      case HOp::PvmRead: case HOp::PvmWrite: {
        uint64_t v = q.val;
        iovec local{&v, sizeof v}, remote{a, sizeof v};
        const ssize_t n = q.op == HOp::PvmRead ? process_vm_readv(q.pid, &local, 1, &remote, 1, 0)
                                               : process_vm_writev(q.pid, &local, 1, &remote, 1, 0);
        if (n < 0) return fail(r, errno);
        if (n != sizeof v) return fail(r, EFAULT);
        if (q.op == HOp::PvmRead) r->nvals = 1, r->vals[0] = v;
        return;
      }
      case HOp::Memfd: {
        // flags 1: tmpfile() -- an unnamed file in /tmp (O_TMPFILE), as cow.c's tmpfile().
        const int fd = q.flags & 1 ? open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : memfd_create(name.c_str(), 0);
        if (fd < 0) return fail(r, errno);
        if (ftruncate(fd, off_t(len))) {
          const int e = errno;
          close(fd);
          return fail(r, e);
        }
        memfds[name] = fd;
        return;
      }
      case HOp::Fallocate: {
        auto it = memfds.find(name);
        if (it == memfds.end()) {
          // A guest_memfd: fallocate(KEEP_SIZE) of the whole file.
          const int g = fd_of(gmems, name);
          if (g < 0) return fail(r, EBADF);
          struct stat st{};
          if (fstat(g, &st) || fallocate(g, FALLOC_FL_KEEP_SIZE, 0, st.st_size)) fail(r, errno);
          return;
        }
        struct stat st{};
        if (fstat(it->second, &st) || fallocate(it->second, 0, 0, st.st_size)) fail(r, errno);
        return;
      }
      case HOp::KvmCreateVm: {
        if (dev_kvm() < 0) return fail(r, errno);
        const int vm = ioctl(dev_kvm(), kvm::CREATE_VM, q.arg);
        if (vm < 0) return fail(r, errno);
        vms[name] = vm;
        return;
      }
      case HOp::KvmClose: {
        for (auto* m : {&vms, &gmems})
          if (auto it = m->find(name); it != m->end()) {
            close(it->second);
            m->erase(it);
            return;
          }
        return fail(r, EBADF);
      }
      case HOp::KvmCheckExt: {
        const int fd = name.empty() ? dev_kvm() : fd_of(vms, name);
        if (fd < 0) return fail(r, EBADF);
        const int v = ioctl(fd, kvm::CHECK_EXTENSION, q.arg);
        if (v < 0) return fail(r, errno);
        r->nvals = 1;
        r->vals[0] = uint64_t(v);
        return;
      }
      case HOp::GmemCreate: {
        const int vm = fd_of(vms, std::string(q.name2, strnlen(q.name2, sizeof q.name2)));
        if (vm < 0) return fail(r, EBADF);
        kvm::create_guest_memfd c{q.n, q.val, {}};
        const int g = ioctl(vm, kvm::CREATE_GUEST_MEMFD, &c);
        if (g < 0) return fail(r, errno);
        gmems[name] = g;
        return;
      }
      case HOp::GmemFallocate: {
        const int g = fd_of(gmems, name);
        if (g < 0) return fail(r, EBADF);
        if (fallocate(g, int(q.flags), off_t(int64_t(q.addr)), off_t(int64_t(q.n)))) fail(r, errno);
        return;
      }
      case HOp::GmemFileOp: {
        const int g = fd_of(gmems, name);
        if (g < 0) return fail(r, EBADF);
        if (int e = file_op(g, q.arg)) fail(r, e);
        return;
      }
      case HOp::GmemConvert: {
        const int g = fd_of(gmems, name);
        if (g < 0) return fail(r, EBADF);
        kvm::memory_attributes2 a{q.addr, q.n, q.val, q.arg, 0, {}};
        if (q.prot) a.reserved[3] = 1;
        if (ioctl(g, kvm::SET_MEMORY_ATTRIBUTES2, &a)) {
          const int e = errno;
          r->nvals = 1;
          r->vals[0] = a.error_offset;
          return fail(r, e);
        }
        return;
      }
      case HOp::KvmMemslot: {
        const int vm = fd_of(vms, name);
        if (vm < 0) return fail(r, EBADF);
        const std::string g(q.name2, strnlen(q.name2, sizeof q.name2));
        int gfd = 0;
        if (g == "badfd") gfd = 9999;
        else if (!g.empty()) gfd = fd_of(gmems, g) >= 0 ? fd_of(gmems, g) : fd_of(memfds, g);
        if (gfd < 0) gfd = 9999;  // a guest_memfd whose creation failed
        int rc;
        if (q.prot) {
          kvm::userspace_memory_region m{uint32_t(q.pid), q.flags, q.addr, q.n, q.val};
          rc = ioctl(vm, kvm::SET_USER_MEMORY_REGION, &m);
        } else {
          kvm::userspace_memory_region2 m{uint32_t(q.pid), q.flags, q.addr, q.n, q.val, q.arg, uint32_t(gfd), 0, {}};
          rc = ioctl(vm, kvm::SET_USER_MEMORY_REGION2, &m);
        }
        if (rc) fail(r, errno);
        return;
      }
      case HOp::KvmSetAttrs: {
        const int vm = fd_of(vms, name);
        if (vm < 0) return fail(r, EBADF);
        kvm::memory_attributes a{q.addr, q.n, q.val, q.arg};
        if (ioctl(vm, kvm::SET_MEMORY_ATTRIBUTES, &a)) fail(r, errno);
        return;
      }
      case HOp::ProcMemRead: case HOp::ProcMemWrite: {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/mem", int(q.pid));
        const int fd = open(path, (q.op == HOp::ProcMemRead ? O_RDONLY : O_RDWR) | O_CLOEXEC);
        if (fd < 0) return fail(r, errno);
        uint64_t v = q.val;
        const ssize_t n = q.op == HOp::ProcMemRead ? pread(fd, &v, sizeof v, off_t(q.addr))
                                                   : pwrite(fd, &v, sizeof v, off_t(q.addr));
        const int e = errno;
        close(fd);
        if (n < 0) return fail(r, e);
        if (n != sizeof v) return fail(r, EIO);
        if (q.op == HOp::ProcMemRead) r->nvals = 1, r->vals[0] = v;
        return;
      }
      case HOp::Mincore: {
        std::vector<unsigned char> vec(len / kPage);  // one byte per 4 KiB, also in a hugetlb mapping
        if (mincore(a, len, vec.data())) return fail(r, errno);
        for (uint64_t i = 0; i < q.n; ++i) r->vals[r->nvals++] = vec[i * (pg / kPage)] & 1;
        return;
      }
      case HOp::PinIoUring: {
        Ring* rg = new Ring;
        rg->addr = q.addr;
        rg->pages = q.n;
        rg->page = pg;
        int rc = io_uring_queue_init(4, &rg->ring, 0);
        if (rc < 0) {
          delete rg;
          return fail(r, -rc);
        }
        iovec iov{a, len};
        rc = io_uring_register_buffers(&rg->ring, &iov, 1);
        if (rc < 0) {
          io_uring_queue_exit(&rg->ring);
          delete rg;
          return fail(r, -rc);
        }
        rg->tmp = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (rg->tmp < 0) {
          const int e = errno;
          io_uring_queue_exit(&rg->ring);
          delete rg;
          return fail(r, e);
        }
        rings[name] = rg;
        return;
      }
      case HOp::DmaRead: case HOp::DmaWrite: {
        auto it = rings.find(name);
        if (it == rings.end()) return fail(r, EINVAL);
        Ring* rg = it->second;
        if (q.op == HOp::DmaWrite) {
          const uint64_t v = q.val;
          if (pwrite(rg->tmp, &v, sizeof v, 0) != sizeof v) return fail(r, errno);
          if (int rc = ring_io(rg, false, q.arg); rc < 0) return fail(r, -rc);
        } else {
          if (int rc = ring_io(rg, true, q.arg); rc < 0) return fail(r, -rc);
          uint64_t v = 0;
          if (pread(rg->tmp, &v, sizeof v, 0) != sizeof v) return fail(r, errno);
          r->nvals = 1;
          r->vals[0] = v;
        }
        return;
      }
      case HOp::Unpin: {
        auto it = rings.find(name);
        if (it == rings.end()) return;
        io_uring_unregister_buffers(&it->second->ring);
        io_uring_queue_exit(&it->second->ring);
        close(it->second->tmp);
        delete it->second;
        rings.erase(it);
        return;
      }
      case HOp::Fork: {
        if (nfds != 1) return fail(r, EBADF);
        const pid_t pid = fork();
        if (pid < 0) {
          close(fds[0]);
          return fail(r, errno);
        }
        if (pid == 0) {  // the child: its own channel to the runner
          close(ctl);
          ctl = fds[0];
          // The inherited userfaultfd belongs to the parent's mm (and without
          // UFFD_FEATURE_EVENT_FORK the child's VMAs lost VM_UFFD_WP): the
          // child opens its own on its first uffd step.
          if (uffd >= 0) close(uffd), uffd = -1;
          r->kind = Reply::Ok;  // the runner does not wait for the child's reply
          r->code = -1;
          return;
        }
        close(fds[0]);
        r->pid = pid;
        return;
      }
      case HOp::Exit: return;  // handled by the loop
    }
    r->kind = Reply::Unsupported;
  }

  [[noreturn]] void loop() {
    for (;;) {
      Request q{};
      int fds[2] = {-1, -1}, nfds = 0;
      const long got = recv_msg(ctl, &q, sizeof q, fds, &nfds);
      if (got != long(sizeof q)) _exit(got == 0 ? 0 : 3);  // the runner is gone: leave
      Reply r{};
      handle(q, fds, nfds, &r);
      if (q.op == HOp::Fork && r.code == -1 && r.kind == Reply::Ok) continue;  // child: wait for steps
      if (!send_msg(ctl, &r, sizeof r)) _exit(3);
      if (q.op == HOp::Exit) _exit(0);
    }
  }
};

}  // namespace

bool vdso_getrandom_available() {
  const VgetrandomFn fn = find_vdso_getrandom();
  VgetrandomParams params{};
  return fn && fn(nullptr, 0, 0, &params, ~0ul) == 0 && params.size_of_opaque_state == 144;
}

void worker_main(int ctl) {
  struct sigaction sa{};
  sa.sa_handler = on_fault;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_NODEFER;
  sigaction(SIGSEGV, &sa, nullptr);
  sigaction(SIGBUS, &sa, nullptr);
  // Children of a worker are reaped by the kernel (their exit is seen by the
  // runner through a pidfd); the runner is the subreaper for orphans.
  struct sigaction ign{};
  ign.sa_handler = SIG_IGN;
  sigaction(SIGCHLD, &ign, nullptr);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  Worker w{};
  w.ctl = ctl;
  w.loop();
}

}  // namespace mmsim::host
