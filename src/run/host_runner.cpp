// The host runner (see docs/host.md): forks one worker per scenario process,
// sends it each step over a SOCK_SEQPACKET channel and binds what comes back.
// Every worker of a scenario lives in one process group that is SIGKILLed on
// every exit path; each step has a timeout; nothing global is changed.
#include "run/host_runner.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <liburing.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include "model/kernel.hpp"
#include "model/objects.hpp"
#include "policy/policy.hpp"
#include "policy/profile.hpp"
#include "run/checks.hpp"
#include "run/host_proto.hpp"
#include "run/report.hpp"

namespace mmsim::host {
namespace {

// Whether the run's droppable policy refills a dropped page through a
// ->fault callback (a design no kernel has: `refill TOKEN|gen` means nothing
// on the host then).
bool has_fault_callback(const std::map<std::string, std::string>& choices) {
  std::string err;
  const auto ps = make_policy_set(choices, &err);
  return ps && ps->droppable &&
         (ps->droppable->on_none() == DroppedFault::Refill || ps->droppable->on_marker() == DroppedFault::Refill);
}

constexpr uint64_t kPage = 4096;
constexpr uint64_t kMaxMapPages = 16384;  // 64 MiB per mapping (workers have RLIMIT_AS 1 GiB)
volatile sig_atomic_t g_pgid = 0;  // process group of the running scenario's workers

void reap_all() {
  while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
  }
}

// The temporary swapfile of --allow-system-changes (at most one, for the
// running scenario); the signal handler turns it off and deletes it.
constexpr const char* kSwapDir = "/var/tmp";
constexpr const char* kSwapPrefix = "mmsim-swap-";
char g_swap_path[128];
volatile sig_atomic_t g_swap_on = 0;

// swapoff() + unlink(); async-signal-safe (system calls only). The workers
// must be dead first, so that swapoff has no pages to bring back.
void swap_off_now() {
  if (g_swap_on) {
    syscall(SYS_swapoff, g_swap_path);
    g_swap_on = 0;
  }
  if (g_swap_path[0]) {
    unlink(g_swap_path);
    g_swap_path[0] = 0;
  }
}

void huge_restore_now();

void on_term(int sig) {
  if (g_pgid > 0) kill(-pid_t(g_pgid), SIGKILL);
  reap_all();
  swap_off_now();
  huge_restore_now();
  signal(sig, SIG_DFL);
  raise(sig);
}

// Swapfiles a previous runner left active (it was SIGKILLed): off and deleted.
void swap_off_stale() {
  std::ifstream in("/proc/swaps");
  std::string line;
  const std::string pre = std::string(kSwapDir) + "/" + kSwapPrefix;
  while (std::getline(in, line)) {
    const std::string path = line.substr(0, line.find_first_of(" \t"));
    if (path.rfind(pre, 0) != 0) continue;
    const pid_t owner = pid_t(std::atoi(path.c_str() + pre.size()));
    if (owner > 0 && (owner == getpid() || kill(owner, 0) == 0)) continue;  // its runner is alive
    syscall(SYS_swapoff, path.c_str());
    unlink(path.c_str());
  }
}

// Active swap devices (/proc/swaps lines after the header).
int swap_devices() {
  std::ifstream in("/proc/swaps");
  std::string line;
  int n = -1;
  while (std::getline(in, line)) n += !line.empty();
  return std::max(n, 0);
}

// An N-slot swapfile on a real filesystem: page 0 is the header
// (union swap_header: version 1, last_page N, "SWAPSPACE2"), pages 1..N the
// slots, written out (no holes: swapon refuses sparse files).
bool swap_on(uint64_t slots, std::string* why) {
  swap_off_stale();
  struct statfs sf{};
  if (statfs(kSwapDir, &sf) || sf.f_type == TMPFS_MAGIC)
    return *why = fmt::format("{} is not on a real filesystem", kSwapDir), false;
  snprintf(g_swap_path, sizeof g_swap_path, "%s/%s%d", kSwapDir, kSwapPrefix, int(getpid()));
  const int fd = open(g_swap_path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0) {
    *why = fmt::format("cannot create {}: {}", g_swap_path, strerror(errno));
    g_swap_path[0] = 0;
    return false;
  }
  std::vector<char> page(kPage, 0);
  bool ok = true;
  for (uint64_t i = 0; i <= slots && ok; ++i) {
    std::fill(page.begin(), page.end(), 0);
    if (i == 0) {
      const uint32_t version = 1, last_page = uint32_t(slots), nr_bad = 0;
      memcpy(page.data() + 1024, &version, 4);
      memcpy(page.data() + 1028, &last_page, 4);
      memcpy(page.data() + 1032, &nr_bad, 4);
      memcpy(page.data() + kPage - 10, "SWAPSPACE2", 10);
    }
    ok = write(fd, page.data(), kPage) == ssize_t(kPage);
  }
  ok = ok && fsync(fd) == 0;
  close(fd);
  if (!ok) {
    *why = fmt::format("cannot write {}: {}", g_swap_path, strerror(errno));
    swap_off_now();
    return false;
  }
  // The termination signals wait until swapon and g_swap_on agree (else the
  // handler could delete the file of an active swap device).
  sigset_t block, old;
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&block, sig);
  sigprocmask(SIG_BLOCK, &block, &old);
  const bool on = syscall(SYS_swapon, g_swap_path, 0) == 0;
  const int e = errno;
  if (on) g_swap_on = 1;
  sigprocmask(SIG_SETMASK, &old, nullptr);
  if (!on) {
    *why = fmt::format("swapon {}: {}", g_swap_path, strerror(e));
    swap_off_now();
    return false;
  }
  return true;
}

// The temporary hugetlb pool of --allow-system-changes: nr_hugepages raised by
// the scenario's `config hugetlb=N` and put back on every exit path (the
// signal handler too: open/write/close only). A record file
// /var/tmp/mmsim-hugetlb-<runner pid> holds "OLD RAISED" for a SIGKILLed runner:
// the next run with the flag restores OLD if the value is still RAISED.
constexpr const char* kNrHuge = "/proc/sys/vm/nr_hugepages";
constexpr const char* kHugePrefix = "mmsim-hugetlb-";
char g_huge_old[24];        // the value to write back ("" = nothing raised)
char g_huge_record[128];    // the record file

void write_small(const char* path, const char* text) {
  const int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;
  ssize_t r = write(fd, text, strlen(text));
  (void)r;
  close(fd);
}

// Async-signal-safe: the workers are dead first (their huge pages are free).
void huge_restore_now() {
  if (g_huge_old[0]) {
    write_small(kNrHuge, g_huge_old);
    g_huge_old[0] = 0;
  }
  if (g_huge_record[0]) {
    unlink(g_huge_record);
    g_huge_record[0] = 0;
  }
}

std::string read_file(const char* path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

uint64_t meminfo(const char* key) {
  std::ifstream in("/proc/meminfo");
  std::string k;
  uint64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
    in.ignore(256, '\n');
  }
  return 0;
}

// Record files of runners that are gone: put their old value back if the
// pool is still what they raised it to, and delete the record.
void huge_restore_stale() {
  DIR* d = opendir("/var/tmp");
  if (!d) return;
  while (dirent* e = readdir(d)) {
    if (strncmp(e->d_name, kHugePrefix, strlen(kHugePrefix)) != 0) continue;
    const pid_t owner = pid_t(std::atoi(e->d_name + strlen(kHugePrefix)));
    if (owner > 0 && (owner == getpid() || kill(owner, 0) == 0)) continue;
    const std::string path = std::string("/var/tmp/") + e->d_name;
    std::ifstream in(path);
    uint64_t old = 0, raised = 0;
    if (in >> old >> raised && std::strtoull(read_file(kNrHuge).c_str(), nullptr, 10) == raised)
      write_small(kNrHuge, std::to_string(old).c_str());
    unlink(path.c_str());
  }
  closedir(d);
}

// nr_hugepages += n for the scenario; false + why (and nothing changed) if the
// machine already has free huge pages or the kernel does not give all n.
bool huge_on(uint64_t n, std::string* why) {
  huge_restore_stale();
  if (const uint64_t f = meminfo("HugePages_Free:"))
    return *why = fmt::format("the machine already has {} free huge pages (they are not the scenario's pool)", f), false;
  const std::string old = read_file(kNrHuge);
  const uint64_t oldn = std::strtoull(old.c_str(), nullptr, 10);
  const uint64_t raised = oldn + n;
  snprintf(g_huge_record, sizeof g_huge_record, "/var/tmp/%s%d", kHugePrefix, int(getpid()));
  {
    std::ofstream rec(g_huge_record);
    rec << oldn << " " << raised << "\n";
    if (!rec) {
      *why = fmt::format("cannot write {}", g_huge_record);
      g_huge_record[0] = 0;
      return false;
    }
  }
  sigset_t block, prev;  // the handler restores only what is recorded as raised
  sigemptyset(&block);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&block, sig);
  sigprocmask(SIG_BLOCK, &block, &prev);
  snprintf(g_huge_old, sizeof g_huge_old, "%llu", static_cast<unsigned long long>(oldn));
  write_small(kNrHuge, std::to_string(raised).c_str());
  sigprocmask(SIG_SETMASK, &prev, nullptr);
  const uint64_t got = meminfo("HugePages_Free:");
  if (got != n) {
    *why = fmt::format("the kernel gave {} of the {} huge pages asked for (nr_hugepages {} -> {})", got, n, oldn, raised);
    huge_restore_now();
    return false;
  }
  return true;
}

uint64_t pagemap_entry(void* p) {
  const int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  uint64_t e = 0;
  if (fd >= 0) {
    if (pread(fd, &e, sizeof e, off_t(reinterpret_cast<uint64_t>(p) / kPage * sizeof e)) != sizeof e) e = 0;
    close(fd);
  }
  return e;
}

// AddressSanitizer intercepts mlock(), munlock(), mlockall() and munlockall()
// and makes them no-ops (sanitizer_common), so a sanitizer build cannot ask
// the kernel about them.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAsanBuild = true;
#else
constexpr bool kAsanBuild = false;
#endif
constexpr const char* kAsanMlock = "mlock family: a no-op under AddressSanitizer (its interceptor), not the kernel";

struct WorkerRef {
  pid_t pid = -1;
  int pidfd = -1;
  int sock = -1;
  bool alive = false;
};

struct MapRef {
  uint64_t addr = 0;
  uint64_t pages = 0;
  bool droppable = false;
  uint64_t state_pages = 0;    // bitmask: pages used as vDSO getrandom states
  uint64_t page = kPage;       // bytes per scenario page: the huge page size in a hugetlb mapping
};

// /proc/kpageflags bits (include/uapi/linux/kernel-page-flags.h).
constexpr int KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_SWAPBACKED = 14, KPF_THP = 22, KPF_ZERO_PAGE = 24;

// Whether `who` has `name` in a per-process set: a lookup, so find(), never
// operator[] (which would insert an empty set for every process asked about).
bool holds(const std::map<std::string, std::set<std::string>>& of, const std::string& who, const std::string& name) {
  auto it = of.find(who);
  return it != of.end() && it->second.contains(name);
}

// A fork child starts with a copy of what its parent has (nothing if the
// parent has no entry; a reused name loses what its earlier process had).
template <class Map>
void inherit(Map& of, const std::string& parent, const std::string& child) {
  auto it = of.find(parent);
  of[child] = it != of.end() ? it->second : typename Map::mapped_type{};
}

struct PinRef {
  std::string owner;
  uint64_t pages = 0;
};

class HostRun {
 public:
  HostRun(const Scenario& sc, const Features& f, const HostOptions& opt, HostResult& res)
      : sc_(sc), f_(f), opt_(opt), res_(res) {}
  ~HostRun() { cleanup(); }

  // Runs every step; false if the run stopped on an error.
  bool run() {
    // Settings of the simulated machine the real one cannot take.
    for (auto& [k, v] : sc_.config) {
      // memory=N bounds the model's frames: harmless only if the scenario can never
      // need N frames (every page of every mapping and memfd, once per process).
      const bool deflt = (k == "memory" && std::strtoull(v.c_str(), nullptr, 10) >= frame_bound()) || (k == "lru_batch" && v == "0") ||
                         (k == "swap" && v == "0") ||
                         (k == "soft_dirty" && ((v == "y") == f_.soft_dirty || v == "n"));
      if (deflt) continue;
      if (k == "swap" && opt_.allow_system_changes) {
        swap_off_stale();  // a SIGKILLed runner's swapfile is not "the machine's swap"
        if (swap_devices() > 0)
          stop_ = fmt::format("config swap={}: the machine already has a swap device (its slots are not the scenario's)", v);
        else
          swap_slots_ = std::strtoull(v.c_str(), nullptr, 10);
        continue;
      }
      if (k == "hugetlb") {
        if (opt_.allow_system_changes && uses_hugetlb()) huge_pages_ = std::strtoull(v.c_str(), nullptr, 10);
        continue;
      }
      if (k == "swap")
        stop_ = fmt::format("config swap={}: needs a swap device (swapon, a global change: --allow-system-changes)", v);
      else
        stop_ = fmt::format("config {}={} (a setting of the simulated machine)", k, v);
    }
    const bool want_sd = !sc_.config.count("soft_dirty") || sc_.config.at("soft_dirty") == "y";
    sd_mismatch_ = want_sd != f_.soft_dirty;
    if (stop_.empty() && swap_slots_) {
      std::string why;
      if (!swap_on(swap_slots_, &why)) stop_ = fmt::format("config swap={}: {}", swap_slots_, why);
    }
    if (stop_.empty() && huge_pages_) {
      std::string why;
      if (!huge_on(huge_pages_, &why)) stop_ = fmt::format("config hugetlb={}: {}", huge_pages_, why);
      else huge_pool_ = true;
    }
    if (stop_.empty() && !start_p0()) return false;
    for (const Step& s : sc_.steps) {
      if (!stop_.empty()) {
        skip_binds(s, stop_);
        continue;
      }
      if (opt_.step_delay_ms) usleep(useconds_t(opt_.step_delay_ms * 1000));
      if (!step(s)) return false;
    }
    return true;
  }

 private:
  bool uses_hugetlb() const {
    for (const Step& s : sc_.steps)
      if (s.op == Op::Mmap && (s.map_flags & MAPF_HUGETLB) && !(s.map_flags & MAPF_DROPPABLE)) return true;
    return false;
  }

  uint64_t frame_bound() const {
    uint64_t pages = 0, procs = 1;
    for (const Step& s : sc_.steps) {
      if (s.op == Op::Mmap || s.op == Op::Memfd) pages += s.pages;
      if (s.op == Op::Fork) ++procs;
    }
    return pages * procs;
  }

  void skip_binds(const Step& s, const std::string& why) {
    for (const std::string& b : s.binds) res_.skipped[b] = why, res_.bind_line[b] = s.loc.line;
  }

  bool error(const Step& s, const std::string& msg) {
    res_.run.errors.push_back(fmt::format("line {}: '{}': {}", s.loc.line, s.text, msg));
    return false;
  }

  bool start_p0() {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) return false;
    const pid_t pid = fork();
    if (pid < 0) return false;
    if (pid == 0) {
      close(sv[0]);
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0);  // small folios only, as in the model
      // One CPU for every worker, as in the model: a new folio sits in the
      // per-CPU LRU add batch with an extra reference, and do_wp_page() drains
      // only the local CPU's batch, so on several CPUs a parent's write after
      // the child's copy sometimes copies instead of reusing.
      cpu_set_t all, one;
      CPU_ZERO(&one);
      if (sched_getaffinity(0, sizeof all, &all) == 0)
        for (int c = 0; c < CPU_SETSIZE; ++c)
          if (CPU_ISSET(c, &all)) {
            CPU_SET(c, &one);
            sched_setaffinity(0, sizeof one, &one);
            break;
          }
      rlimit as{1ull << 30, 1ull << 30}, cpu{30, 30};
#if !defined(__SANITIZE_ADDRESS__)
      // Not under ASan: its shadow memory reserves terabytes of address space,
      // so a 1 GiB RLIMIT_AS would make every mmap() of the worker fail.
      setrlimit(RLIMIT_AS, &as);
#else
      (void)as;
#endif
      setrlimit(RLIMIT_CPU, &cpu);
      worker_main(sv[1]);
    }
    close(sv[1]);
    setpgid(pid, pid);
    pgid_ = pid;
    g_pgid = pid;
    add_worker("P0", pid, sv[0]);
    return true;
  }

  void add_worker(const std::string& name, pid_t pid, int sock) {
    WorkerRef w;
    w.pid = pid;
    w.sock = sock;
    w.pidfd = int(syscall(SYS_pidfd_open, pid, 0));
    w.alive = true;
    workers_[name] = w;
  }

  // One request/reply; false (with a message) on timeout or a dead worker.
  bool transact(const std::string& who, const Request& q, Reply* r, std::string* err, const int* fds = nullptr,
                int nfds = 0) {
    WorkerRef& w = workers_.at(who);
    if (!send_msg(w.sock, &q, sizeof q, fds, nfds)) return *err = fmt::format("worker {} is gone", who), false;
    pollfd p{w.sock, POLLIN, 0};
    int rc;
    do rc = poll(&p, 1, int(opt_.step_timeout_ms));
    while (rc < 0 && errno == EINTR);
    if (rc == 0) return *err = fmt::format("timeout: worker {} did not answer in {} ms", who, opt_.step_timeout_ms), false;
    if (recv_msg(w.sock, r, sizeof *r) != long(sizeof *r))
      return *err = fmt::format("worker {} died (signal or crash)", who), false;
    return true;
  }

  // Hands worker `who` the fds of pipe or O_DIRECT file `name` (SCM_RIGHTS with
  // request `op`) unless it already holds them: `held` lists what each worker
  // was given or inherited at fork.
  bool hand_over(const std::string& who, HOp op, const std::string& name, const int* fds, int nfds,
                 std::map<std::string, std::set<std::string>>& held, std::string* err) {
    if (holds(held, who, name)) return true;
    Request g{};
    g.op = op;
    snprintf(g.name, sizeof g.name, "%s", name.c_str());
    Reply gr{};
    if (!transact(who, g, &gr, err, fds, nfds)) return false;
    held[who].insert(name);
    return true;
  }

  // Mapping `name` of `proc`, or nullptr: a lookup never inserts (an empty
  // MapRef would be a mapping at address 0 to every later step).
  const MapRef* mapping(const std::string& proc, const std::string& name) const {
    auto it = maps_.find(proc);
    if (it == maps_.end()) return nullptr;
    auto jt = it->second.find(name);
    return jt == it->second.end() ? nullptr : &jt->second;
  }

  // `per_page`: the reply carries one value per page (at most kMaxPages).
  bool resolve(const std::string& proc, const RangeRef& rr, uint64_t* addr, uint64_t* n, std::string* why,
               bool per_page = true) {
    const MapRef* m = mapping(proc, rr.name);
    if (!m) return *why = fmt::format("no mapping {} in {}", rr.name, proc), false;
    *n = rr.whole ? m->pages : rr.count();
    *addr = m->addr + (rr.whole ? 0 : rr.lo) * m->page;
    page_ = m->page;
    if (per_page && *n > uint64_t(kMaxPages)) return *why = fmt::format("range over {} pages", kMaxPages), false;
    return true;
  }

  // A step the host cannot run: probes skip their names, anything else the rest.
  bool unsupported(const Step& s, const std::string& why) {
    if (s.op == Op::Probe) {
      skip_binds(s, why);
    } else {
      stop_ = why;
      skip_binds(s, why);
    }
    return true;
  }

  Value decode(uint64_t e, Probe p) {
    const bool present = e >> 63 & 1;
    switch (p) {
      case Probe::Mincore: return Value::boolean(e & 1);
      case Probe::Pfn: return present ? Value::pfn(e & ((1ull << 55) - 1)) : Value::none();
      case Probe::Present: return Value::boolean(present);
      case Probe::Swapped: return Value::boolean(e >> 62 & 1);
      case Probe::Exclusive: return Value::boolean(e >> 56 & 1);
      case Probe::SoftDirty: return Value::boolean(e >> 55 & 1);
      case Probe::File: return Value::boolean(e >> 61 & 1);
      case Probe::UffdWp: return Value::boolean(e >> 57 & 1);
      default: return Value::none();
    }
  }

  // /proc/kpageflags of a mapped page (bit 63 added by the worker: present).
  // The zero page is no folio of the mapping: none, as in the model.
  static Value decode_kpf(uint64_t k, Probe p) {
    if (!(k >> 63 & 1) || (k >> KPF_ZERO_PAGE & 1)) return Value::none();
    switch (p) {
      case Probe::Lazyfree: return Value::boolean((k >> KPF_ANON & 1) && !(k >> KPF_SWAPBACKED & 1));
      case Probe::Swapcache: return Value::boolean(k >> KPF_SWAPCACHE & 1);
      case Probe::Thp: return Value::boolean(k >> KPF_THP & 1);
      default: return Value::none();
    }
  }

  // Bitmask of the pages of `rr` (n of them) that are getrandom states in `proc`.
  uint64_t state_mask(const std::string& proc, const RangeRef& rr, uint64_t n) const {
    const MapRef* m = mapping(proc, rr.name);
    if (!m) return 0;
    const uint64_t lo = rr.whole ? 0 : rr.lo;
    return lo >= 64 ? 0 : (m->state_pages >> lo) & (n >= 64 ? ~0ull : (1ull << n) - 1);
  }

  // Pins and gets the host has no interface to hold across steps.
  std::string gup_skip(Op op, uint32_t foll) const {
    const std::string tool = f_.gup_test ? "gup_test (not yet on the host runner)"
                                         : "gup_test (CONFIG_GUP_TEST, /sys/kernel/debug/gup_test: not on this host)";
    if (op == Op::Gup)
      return "a FOLL_GET reference held across steps needs " + tool +
             "; vmsplice holds R/O FOLL_GET references in a pipe";
    if (!(foll & FOLL_WRITE))
      return std::string("a R/O ") + ((foll & FOLL_LONGTERM) ? "long-term" : "short-term") +
             " FOLL_PIN held across steps needs " + tool +
             "; short-term R/O pins run within one call: odirect_write (6.5+), process_vm_read";
    return "a short-term R/W FOLL_PIN held across steps needs " + tool +
           " (io_uring fixed buffers are FOLL_LONGTERM); short-term R/W pins run within one call: odirect_read, "
           "process_vm_write";
  }

  // A file for O_DIRECT: O_TMPFILE (never named on disk, gone with its last fd)
  // in a directory on ext4 or xfs, whose direct I/O goes through the block
  // layer's bio_iov_iter_get_pages(). tmpfs (6.6+) accepts O_DIRECT but copies
  // through the page cache without GUP; NFS, FUSE and btrfs take other paths.
  static int open_dio_file(std::string* why) {
    constexpr long kExt4 = 0xEF53, kXfs = 0x58465342;
    std::vector<std::string> dirs;
    if (const char* t = getenv("TMPDIR"); t && *t) dirs.emplace_back(t);
    dirs.emplace_back("/var/tmp");
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd)) dirs.emplace_back(cwd);
    dirs.emplace_back("/tmp");
    std::string tried;
    for (const std::string& d : dirs) {
      struct statfs sf{};
      if (statfs(d.c_str(), &sf)) continue;
      tried += (tried.empty() ? "" : ", ") + d;
      if (long(sf.f_type) != kExt4 && long(sf.f_type) != kXfs) continue;
      const int fd = open(d.c_str(), O_TMPFILE | O_RDWR | O_DIRECT | O_CLOEXEC, 0600);
      if (fd >= 0) return fd;
    }
    *why = fmt::format("O_DIRECT: no directory on ext4 or xfs with O_TMPFILE (tried {}; tmpfs has no "
                       "block-layer direct I/O)", tried);
    return -1;
  }

  // `reclaim [N]`: never run. Without the flag, saying what the flag would
  // (not) change; with it, what this machine and a memory cgroup lack.
  std::string reclaim_skip() const {
    if (!opt_.allow_system_changes)
      return "global reclaim: no user interface reclaims exactly the scenario's pages (memory pressure and "
             "drop_caches move the whole machine's memory; a temporary memory cgroup with "
             "--allow-system-changes would not pick the model's folios either, see docs/host.md)";
    std::string ctl = read_file("/sys/fs/cgroup/cgroup.controllers");
    if (ctl.empty()) ctl = read_file("/sys/fs/cgroup/unified/cgroup.controllers");
    if (ctl.find("memory") == std::string::npos)
      return "global reclaim: no cgroup v2 memory controller on this machine (memory.reclaim needs one)";
    return "global reclaim: memory.reclaim of a temporary memory cgroup scans the workers' whole LRUs (their "
           "heap, stack and the file pages they faulted) in the kernel's order, not the model's N folios of "
           "the scenario";
  }

  // The checks below give why the host cannot run a step, or nullptr if it can.

  // A GUP for writing into mapping `name` of `proc` after uffd_register.
  const char* uffd_gup_skip(const std::string& proc, const std::string& name) const {
    if (!holds(uffd_of_, proc, name)) return nullptr;
    return "a GUP for writing into a uffd-registered mapping: on a uffd-wp PTE the kernel's GUP waits for the monitor "
           "(the worker's UFFD_FEATURE_SIGBUS makes it EFAULT), the model answers EAGAIN";
  }

  // mlock, munlock, mlockall, munlockall.
  static const char* mlock_skip() { return kAsanBuild ? kAsanMlock : nullptr; }

  // clear_refs and the soft_dirty probe: the scenario's `config soft_dirty` is not the host's.
  const char* soft_dirty_skip() const {
    if (!sd_mismatch_) return nullptr;
    return f_.soft_dirty ? "soft-dirty configured on the host, not in the scenario" : "soft-dirty not configured";
  }

  // KVM and guest_memfd steps; a guest access needs a vCPU besides.
  const char* kvm_skip() const { return f_.kvm ? nullptr : "no /dev/kvm"; }
  static constexpr const char* kNoVcpu = "guest accesses need a vCPU running guest code (not on the host runner)";

  static std::string probe_skip(Probe p) {
    switch (p) {
      case Probe::Refcount: case Probe::Mapcount: case Probe::Pincount: case Probe::AnonExclusive:
      case Probe::Dirty: case Probe::Mlocked: case Probe::LruBatch: case Probe::HasPinned:
      case Probe::RssAnon: case Probe::RssShmem: case Probe::LockedVm:
      case Probe::RssFile: case Probe::GmemPrivate: case Probe::GmemPresent: case Probe::GmemUptodate:
      case Probe::GmemPfn: case Probe::GmemRefcount: case Probe::GmemPages: case Probe::GmemHuge: case Probe::GmemLive:
      case Probe::VmLive:
        return "model-only probe";
      case Probe::Active:
        return "active: PG_active moves with the per-CPU LRU batches and reference bits, so /proc/kpageflags "
               "lags the model";
      case Probe::Unevictable:
        return "unevictable: mlock moves folios to the unevictable list through the per-CPU mlock batch, so "
               "/proc/kpageflags lags the model";
      case Probe::Swapcount: return "swapcount: no user interface (the swap map is kernel-internal)";
      case Probe::FreePages: case Probe::FreeSwap:
        return "a counter of the whole machine: not comparable with the simulated one";
      case Probe::PmdMapped: return "pmd_mapped: no per-page user interface (smaps AnonHugePages is per VMA)";
      default: return "";
    }
  }

  static Outcome outcome_of(const Reply& r) {
    return r.kind == Reply::Signal      ? Outcome::sig(r.code)
           : r.kind == Reply::Userfault ? Outcome::userfault()
                                        : Outcome::err(r.code);
  }

  void bind_outcome(const Step& s, const Reply& r) {
    Outcome o = outcome_of(r);
    for (const std::string& b : s.binds) res_.run.bindings[b] = Value::of(o), res_.bind_line[b] = s.loc.line;
  }

  bool step(const Step& s) {
    std::string why, err;
    Request q{};
    Reply r{};
    std::vector<Value> values;
    bool value_op = false;
    const std::string& who = s.actor;
    page_ = kPage;
    if (who == "guest") return unsupported(s, kvm_skip() ? kvm_skip() : kNoVcpu);
    if (who != "dma" && who != "kernel" && (!workers_.count(who) || !workers_[who].alive))
      return error(s, fmt::format("process {} does not exist on the host", who));
    uint64_t addr = 0, n = 0;
    auto set_name = [&](const std::string& nm) { snprintf(q.name, sizeof q.name, "%s", nm.c_str()); };
    auto simple = [&](HOp op) -> bool {
      const bool per_page = op == HOp::Read || op == HOp::Pagemap || op == HOp::Kpageflags || op == HOp::Vmsplice;
      if (!resolve(who, s.range, &addr, &n, &why, per_page)) return unsupported(s, why), false;
      q.op = op, q.addr = addr, q.n = n;
      return true;
    };
    switch (s.op) {
      case Op::Mmap:
        if (!s.kvm.gmem.empty() && kvm_skip()) return unsupported(s, kvm_skip());
        if ((s.prot & PROT_EXEC_) && s.kvm.gmem.empty()) return unsupported(s, "PROT_EXEC mappings: not on the host runner");
        // MAP_DROPPABLE|MAP_HUGETLB is refused (EINVAL) before any huge page is
        // needed (do_mmap(): the hugetlb file's MAP_TYPE switch), so it runs for real.
        if ((s.map_flags & MAPF_HUGETLB) && !(s.map_flags & MAPF_DROPPABLE)) {
          if (!huge_pool_)
            return unsupported(s, opt_.allow_system_changes
                                      ? "hugetlb: the scenario sets no pool (config hugetlb=N)"
                                      : "needs a hugetlb pool (--allow-system-changes)");
          q.page = meminfo("Hugepagesize:") * 1024;
        }
        if ((s.map_flags & MAPF_DROPPABLE) && !f_.droppable)
          return unsupported(s, "MAP_DROPPABLE: not supported by this kernel (6.11+, 64-bit)");
        if (s.pages > kMaxMapPages) return unsupported(s, fmt::format("mapping over {} pages", kMaxMapPages));
        // `refill T|gen` declares the ->fault callback of the `refill` design; under
        // 6.18's `zero` it is never called, so the real mapping is the same.
        if (s.refill != Refill::None && has_fault_callback(res_.run.policies))
          return unsupported(s, "droppable refill callback: a design alternative (--policy droppable=refill), "
                                "no such mapping in Linux");
        q.op = HOp::Mmap, q.n = s.pages, q.prot = s.prot;
        q.flags = ((s.map_flags & MAPF_SHARED) ? uint32_t(HMAP_SHARED) : 0u) | ((s.map_flags & MAPF_POPULATE) ? uint32_t(HMAP_POPULATE) : 0u) |
                  ((s.map_flags & MAPF_LOCKED) ? uint32_t(HMAP_LOCKED) : 0u) | ((s.map_flags & MAPF_NORESERVE) ? uint32_t(HMAP_NORESERVE) : 0u) |
                  (s.file.empty() ? 0u : uint32_t(HMAP_FILE)) | ((s.map_flags & MAPF_DROPPABLE) ? uint32_t(HMAP_DROPPABLE) : 0u) |
                  ((s.map_flags & MAPF_GROWSDOWN) ? uint32_t(HMAP_GROWSDOWN) : 0u) |
                  ((s.map_flags & MAPF_HUGETLB) ? uint32_t(HMAP_HUGETLB) : 0u) |
                  (s.kvm.gmem.empty() ? 0u : uint32_t(HMAP_GMEM));
        set_name(s.kvm.gmem.empty() ? s.file : s.kvm.gmem);
        q.arg = uint64_t(s.kvm.offset);
        break;
      case Op::Memfd:
        if (s.file_kind == uint8_t(FileKind::Hugetlb))
          return unsupported(s, f_.hugetlb_free ? "hugetlb memfds: not yet on the host runner" : "no free huge pages");
        q.op = HOp::Memfd, q.n = s.pages, q.flags = s.file_kind == uint8_t(FileKind::Regular) ? 1u : 0u;  // 1: tmpfile()
        set_name(s.name);
        break;
      case Op::Fallocate: q.op = HOp::Fallocate; set_name(s.name); break;
      case Op::Munmap: if (!simple(HOp::Munmap) ) return true; break;
      case Op::Mprotect: if (!simple(HOp::Mprotect) ) return true; q.prot = s.prot; break;
      case Op::Madvise: {
        if (!simple(HOp::Madvise)) return true;
        q.arg = uint64_t(s.advice);
        // Only droppable pages: a PAGEOUT pass that fails to drop one leaves it as
        // it was (never swap-backed), so a retry changes nothing but the luck. A
        // private MADV_FREE'd page kept by the first pass became swap-backed
        // (try_to_unmap_one(): folio_set_swapbacked()); a retry would swap it out.
        if (mapping(who, s.range.name)->droppable) q.flags = HMADV_RETRY_PAGEOUT;  // resolved by simple()
        break;
      }
      case Op::Mlock: case Op::Munlock:
        if (const char* no = mlock_skip()) return unsupported(s, no);
        if (!simple(s.op == Op::Mlock ? HOp::Mlock : HOp::Munlock)) return true;
        break;
      case Op::Read: {
        if (!simple(HOp::Read)) return true;
        value_op = true;
        const uint64_t mask = state_mask(who, s.range, n);
        q.arg = mask;
        for (uint64_t i = 0; i < n && i < s.binds.size(); ++i)
          if (mask >> i & 1) res_.compare[s.binds[i]] = Compare::StateWord;
        break;
      }
      case Op::Write:
        if (!simple(HOp::Write)) return true;
        if (state_mask(who, s.range, n))
          return unsupported(s, "a write into a vDSO getrandom state: the model's token has no place in the real state");
        q.val = s.value.i;
        break;
      case Op::Probe:
        if (const std::string no = probe_skip(s.probe); !no.empty()) return unsupported(s, no);
        if (s.probe == Probe::RssSwap) {
          q.op = HOp::Status;
          value_op = true;
          break;
        }
        if (s.range.name.empty()) return unsupported(s, "model-only probe");
        if (const MapRef* m = mapping(who, s.range.name); s.probe == Probe::Lazyfree && !(m && m->droppable))
          return unsupported(s, "lazyfree outside MAP_DROPPABLE: MADV_FREE clears PG_swapbacked only when the "
                                "per-CPU lru_lazyfree batch drains, so /proc/kpageflags lags the model");
        if (s.probe == Probe::Lazyfree || s.probe == Probe::Swapcache || s.probe == Probe::Thp) {
          if (!simple(HOp::Kpageflags)) return true;
          value_op = true;
          break;
        }
        if (s.probe == Probe::SoftDirty && soft_dirty_skip()) return unsupported(s, soft_dirty_skip());
        if (s.probe == Probe::Pfn && !f_.pfn_visible) return unsupported(s, "pagemap hides PFNs (needs CAP_SYS_ADMIN)");
        if (!simple(s.probe == Probe::Mincore ? HOp::Mincore : HOp::Pagemap)) return true;
        value_op = true;
        break;
      case Op::ClearRefs:
        if (const char* no = soft_dirty_skip()) return unsupported(s, no);
        q.op = HOp::ClearRefs;
        break;
      case Op::Fork: {
        int sv[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) return error(s, strerror(errno));
        q.op = HOp::Fork;
        const bool ok = transact(who, q, &r, &err, &sv[1], 1);
        close(sv[1]);
        if (!ok) return close(sv[0]), error(s, err);
        if (r.kind != Reply::Ok) {
          close(sv[0]);
          break;
        }
        add_worker(s.name, r.pid, sv[0]);
        inherit(maps_, who, s.name);
        inherit(pipes_of_, who, s.name);
        inherit(dio_of_, who, s.name);  // fds are inherited; uffd registrations are not (no EVENT_FORK)
        if (nocap_.count(who)) nocap_.insert(s.name);
        for (const std::string& b : s.binds) res_.run.bindings[b] = Value::of(Outcome::ok()), res_.bind_line[b] = s.loc.line;
        return true;
      }
      case Op::Exit: {
        q.op = HOp::Exit;
        if (!transact(who, q, &r, &err)) return error(s, err);
        WorkerRef& w = workers_[who];
        // The exit is complete (mm torn down, files closed) once the pidfd is readable.
        pollfd p{w.pidfd, POLLIN, 0};
        if (poll(&p, 1, int(opt_.step_timeout_ms)) <= 0) return error(s, "timeout waiting for the exit");
        while (waitpid(-1, nullptr, WNOHANG) > 0) {
        }
        w.alive = false;
        close(w.sock), close(w.pidfd);
        w.sock = w.pidfd = -1;
        for (const std::string& b : s.binds) res_.run.bindings[b] = Value::of(Outcome::ok()), res_.bind_line[b] = s.loc.line;
        return true;
      }
      case Op::Vmsplice: case Op::PipeRead: {
        if (s.op == Op::Vmsplice && !simple(HOp::Vmsplice)) return true;
        auto it = pipes_.find(s.name);
        if (it == pipes_.end()) {
          if (s.op == Op::PipeRead) return error(s, fmt::format("no pipe {}", s.name));
          int p[2];
          if (pipe2(p, O_NONBLOCK | O_CLOEXEC)) return error(s, strerror(errno));
          it = pipes_.emplace(s.name, std::make_pair(p[0], p[1])).first;
        }
        const int fds[2] = {it->second.first, it->second.second};  // the pipe's two ends
        if (!hand_over(who, HOp::PipeFds, s.name, fds, 2, pipes_of_, &err)) return error(s, err);
        if (s.op == Op::PipeRead) q.op = HOp::PipeRead, value_op = true;
        set_name(s.name);
        break;
      }
      case Op::ProcessVmRead: case Op::ProcessVmWrite: case Op::ProcMemRead: case Op::ProcMemWrite: {
        if (!workers_.count(s.name) || !workers_[s.name].alive) return error(s, fmt::format("no process {}", s.name));
        if (!resolve(s.name, s.range, &addr, &n, &why)) return unsupported(s, why);
        if ((s.op == Op::ProcessVmWrite || s.op == Op::ProcMemWrite) && uffd_gup_skip(s.name, s.range.name))
          return unsupported(s, uffd_gup_skip(s.name, s.range.name));
        q.op = s.op == Op::ProcessVmRead    ? HOp::PvmRead
               : s.op == Op::ProcessVmWrite ? HOp::PvmWrite
               : s.op == Op::ProcMemRead    ? HOp::ProcMemRead
                                            : HOp::ProcMemWrite;
        q.pid = workers_[s.name].pid, q.addr = addr, q.n = 1, q.val = s.value.i;
        value_op = s.op == Op::ProcessVmRead || s.op == Op::ProcMemRead;
        break;
      }
      case Op::Pin: case Op::Gup: {
        const uint32_t want = FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM;
        // io_uring buffer registration is pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM)
        // (io_uring/rsrc.c io_pin_pages()), so `fast` is the same interface.
        if (s.foll & FOLL_EXCLUSIVE) return unsupported(s, "FOLL_EXCLUSIVE (exclusive pins) never existed in a kernel");
        if (s.op == Op::Gup || (s.foll & want) != want)
          return unsupported(s, gup_skip(s.op, s.foll));
        if (const char* no = uffd_gup_skip(who, s.range.name)) return unsupported(s, no);
        if (!simple(HOp::PinIoUring) ) return true;
        set_name(s.name);
        pins_[s.name] = {who, n};
        break;
      }
      case Op::Unpin: case Op::Put: {
        auto it = pins_.find(s.name);
        if (it == pins_.end()) return error(s, fmt::format("no pin {}", s.name));
        if (!workers_[it->second.owner].alive) return true;  // released at its owner's exit
        q.op = HOp::Unpin;
        set_name(s.name);
        if (!transact(it->second.owner, q, &r, &err)) return error(s, err);
        break;
      }
      case Op::DmaRead: case Op::DmaWrite: {
        auto it = pins_.find(s.range.name);
        if (it == pins_.end()) return error(s, fmt::format("no pin {}", s.range.name));
        if (!workers_[it->second.owner].alive) {
          r.kind = Reply::Errno, r.code = EINVAL;  // the ring closed with its owner
          break;
        }
        const uint64_t lo = s.range.whole ? 0 : s.range.lo;
        const uint64_t cnt = s.range.whole ? it->second.pages : s.range.count();
        for (uint64_t i = 0; i < cnt; ++i) {
          Request d{};
          d.op = s.op == Op::DmaRead ? HOp::DmaRead : HOp::DmaWrite;
          d.arg = lo + i, d.val = s.value.i;
          snprintf(d.name, sizeof d.name, "%s", s.range.name.c_str());
          if (!transact(it->second.owner, d, &r, &err)) return error(s, err);
          if (r.kind != Reply::Ok) break;
          if (s.op == Op::DmaRead) values.push_back(Value::integer(r.vals[0]));
        }
        value_op = s.op == Op::DmaRead;
        return finish(s, r, values, value_op);
      }
      case Op::UffdRegister: case Op::UffdWp: case Op::UffdUnwp:
        if (!resolve(who, s.range, &addr, &n, &why, false)) return unsupported(s, why);
        q.op = s.op == Op::UffdRegister ? HOp::UffdRegister : HOp::UffdWriteprotect;
        q.addr = addr, q.n = n, q.arg = s.op == Op::UffdWp;
        if (s.op == Op::UffdRegister) uffd_of_[who].insert(s.range.name);
        break;
      case Op::KsmMerge: return unsupported(s, "ksm_merge: KSM merging is asynchronous on the host (ksmd)");
      case Op::LruAddDrain: return unsupported(s, "lru_add_drain: model-only (per-CPU LRU batches)");
      case Op::SplitPmdBegin: case Op::SplitPmdEnd:
        return unsupported(s, "a PMD split preempted in the kernel: model-only (an interleaving inside __split_huge_pmd())");
      case Op::Mremap:
        if (!resolve(who, s.range, &addr, &n, &why, false)) return unsupported(s, why);
        if (n > kMaxMapPages) return unsupported(s, fmt::format("mapping over {} pages", kMaxMapPages));
        q.op = HOp::Mremap, q.addr = addr, q.n = n;
        break;
      case Op::OdirectWrite: case Op::OdirectRead: {
        if (!resolve(who, s.range, &addr, &n, &why, false)) return unsupported(s, why);
        if (s.op == Op::OdirectRead && uffd_gup_skip(who, s.range.name))
          return unsupported(s, uffd_gup_skip(who, s.range.name));
        auto it = dio_fds_.find(s.name);
        if (it == dio_fds_.end()) {
          const int fd = open_dio_file(&why);
          if (fd < 0) return unsupported(s, why);
          it = dio_fds_.emplace(s.name, fd).first;
        }
        if (!hand_over(who, HOp::DioFd, s.name, &it->second, 1, dio_of_, &err)) return error(s, err);
        q.op = s.op == Op::OdirectWrite ? HOp::DioWrite : HOp::DioRead;
        q.addr = addr, q.n = n;
        set_name(s.name);
        break;
      }
      case Op::Vm: case Op::Close: case Op::CheckExtension: case Op::GmemCreate: case Op::GmemFallocate:
      case Op::FileOp: case Op::Convert: case Op::Memslot: case Op::SetMemoryAttributes: case Op::GuestRead:
      case Op::GuestWrite: {
        if (const char* no = kvm_skip()) return unsupported(s, no);
        if (!kvm_request(s, &q, &value_op, &why)) return unsupported(s, why);
        if (!transact(who, q, &r, &err)) return error(s, err);
        if (r.kind == Reply::Unsupported) return unsupported(s, "the worker does not know this operation");
        if (r.kind == Reply::Ok && value_op)
          for (uint32_t i = 0; i < r.nvals; ++i) values.push_back(Value::integer(r.vals[i]));
        if (r.kind == Reply::Ok && s.op == Op::GmemCreate) gmem_size_[s.kvm.gmem] = s.kvm.size;
        const bool ok = finish(s, r, values, value_op);
        // convert: the second name is error_offset, written back only on EAGAIN.
        if (ok && s.op == Op::Convert && s.binds.size() > 1)
          res_.run.bindings[s.binds[1]] = r.kind == Reply::Errno && r.code == EAGAIN && r.nvals
                                              ? Value::integer(r.vals[0]) : Value::none();
        return ok;
      }
      case Op::Mlockall:
        if (const char* no = mlock_skip()) return unsupported(s, no);
        // Without CAP_IPC_LOCK, mlockall(MCL_CURRENT) compares the worker's whole
        // total_vm (its binary, libraries, heap, stack) with RLIMIT_MEMLOCK.
        if ((s.mcl & MCL_CURRENT_) && nocap_.count(who))
          return unsupported(s, "mlockall(MCL_CURRENT) without CAP_IPC_LOCK: the worker's own mappings count in "
                                "total_vm, the scenario's do not fill it");
        q.op = HOp::Mlockall;
        q.arg = ((s.mcl & MCL_CURRENT_) ? MCL_CURRENT : 0) | ((s.mcl & MCL_FUTURE_) ? MCL_FUTURE : 0) |
                ((s.mcl & MCL_ONFAULT_) ? MCL_ONFAULT : 0);
        break;
      case Op::Munlockall:
        if (const char* no = mlock_skip()) return unsupported(s, no);
        q.op = HOp::Munlockall;
        break;
      case Op::SetrlimitMemlock:
        q.op = HOp::SetrlimitMemlock, q.n = s.pages;
        nocap_.insert(who);
        break;
      case Op::Getrandom: {
        if (!f_.vdso_getrandom) return unsupported(s, "vDSO getrandom: no __vdso_getrandom in this kernel's vDSO");
        if (!simple(HOp::Getrandom)) return true;
        if (n != 1) return unsupported(s, "getrandom on more than one page");
        maps_[who][s.range.name].state_pages |= 1ull << (s.range.whole ? 0 : s.range.lo);
        for (const std::string& b : s.binds) res_.compare[b] = Compare::GetrandomOutput;
        value_op = true;
        break;
      }
      // Global reclaim would push the whole machine's memory around.
      case Op::Reclaim:
        return unsupported(s, reclaim_skip());
      // khugepaged runs on its own schedule over every process of the machine.
      case Op::Khugepaged:
        return unsupported(s, "khugepaged: no user interface runs one scan of it now (MADV_COLLAPSE is the "
                              "synchronous collapse, with other limits)");
    }
    if (!q.page && page_ != kPage) {
      // A range in a hugetlb mapping: its pages are huge pages.
      if (q.op == HOp::Vmsplice)
        return unsupported(s, "vmsplice of a hugetlb page: the real pipe takes it as 4 KiB buffers (16 of them), "
                              "the model as one buffer per huge page");
      if (q.op == HOp::Getrandom || q.op == HOp::DioWrite || q.op == HOp::DioRead || q.op == HOp::Mremap)
        return unsupported(s, "this step on a hugetlb mapping: not on the host runner");
      q.page = page_;
    }
    if (s.op != Op::Unpin && s.op != Op::Put && !transact(who, q, &r, &err)) return error(s, err);
    if (r.kind == Reply::Unsupported && (q.op == HOp::UffdRegister || q.op == HOp::UffdWriteprotect))
      return unsupported(s, fmt::format("userfaultfd(2) with UFFD_FEATURE_SIGBUS refused: {}", strerror(r.code)));
    if (r.kind == Reply::Unsupported) return unsupported(s, "the worker does not know this operation");
    if (r.kind == Reply::Ok) {
      if (s.op == Op::Mmap)
        maps_[who][s.name] = {r.vals[0], s.pages, (s.map_flags & MAPF_DROPPABLE) != 0, 0, q.page ? q.page : kPage};
      if (s.op == Op::Mremap)
        maps_[who][s.name] = {r.vals[0], n, maps_[who][s.range.name].droppable, 0, maps_[who][s.range.name].page};
      if (s.op == Op::Probe && q.op == HOp::Kpageflags)
        for (uint32_t i = 0; i < r.nvals; ++i) values.push_back(decode_kpf(r.vals[i], s.probe));
      else if (s.op == Op::Probe && q.op == HOp::Pagemap)
        for (uint32_t i = 0; i < r.nvals; ++i) values.push_back(decode(r.vals[i], s.probe));
      else if (value_op)
        for (uint32_t i = 0; i < r.nvals; ++i) values.push_back(Value::integer(r.vals[i]));
    }
    return finish(s, r, values, value_op);
  }

  // The request for a KVM / guest_memfd step; false + why if the host cannot run it.
  bool kvm_request(const Step& s, Request* q, bool* value_op, std::string* why) {
    const KvmArgs& a = s.kvm;
    auto name = [](char (&dst)[40], const std::string& n) { snprintf(dst, sizeof dst, "%s", n.c_str()); };
    auto pages = [&](uint64_t* off, uint64_t* len) {  // a G[lo:hi] range in bytes
      const uint64_t size = gmem_size_.count(a.gmem) ? gmem_size_.at(a.gmem) : 0;
      *off = s.range.whole ? 0 : s.range.lo * kPage;
      *len = s.range.whole ? size : s.range.count() * kPage;
    };
    switch (s.op) {
      case Op::Vm:
        if (!(f_.kvm_vm_types >> a.type & 1))
          return *why = fmt::format("VM type {} is not offered by this host (KVM_CAP_VM_TYPES {:#x})", a.type,
                                    f_.kvm_vm_types), false;
        q->op = HOp::KvmCreateVm, q->arg = a.type;
        name(q->name, a.vm);
        return true;
      case Op::Close: q->op = HOp::KvmClose; name(q->name, s.name); return true;
      case Op::CheckExtension:
        q->op = HOp::KvmCheckExt, q->arg = a.cap, *value_op = true;
        name(q->name, a.vm);
        return true;
      case Op::GmemCreate:
        q->op = HOp::GmemCreate, q->n = a.size, q->val = a.flags;
        name(q->name, a.gmem), name(q->name2, a.vm);
        return true;
      case Op::GmemFallocate:
        q->op = HOp::GmemFallocate, q->flags = a.mode;
        if (a.bytes) q->addr = uint64_t(a.offset), q->n = uint64_t(a.len);
        else pages(&q->addr, &q->n);
        name(q->name, a.gmem);
        return true;
      case Op::FileOp: q->op = HOp::GmemFileOp, q->arg = uint64_t(a.fop); name(q->name, a.gmem); return true;
      case Op::Convert:
        q->op = HOp::GmemConvert, q->val = a.attrs, q->arg = a.flags, q->prot = a.reserved;
        if (a.bytes) q->addr = uint64_t(a.offset), q->n = a.size;
        else pages(&q->addr, &q->n);
        name(q->name, a.gmem);
        return true;
      case Op::Memslot: {
        q->op = HOp::KvmMemslot, q->pid = int32_t(a.slot), q->addr = a.gpa, q->n = a.size, q->arg = uint64_t(a.offset);
        q->flags = uint32_t(a.flags) | (a.gmem_flag ? 4u : 0u), q->prot = a.v1, q->val = a.uaddr;
        if (!a.uaddr_map.empty()) {
          const MapRef* m = mapping(s.actor, a.uaddr_map);
          q->val = m ? m->addr : ~0ull;  // MAP_FAILED
        }
        name(q->name, a.vm), name(q->name2, a.gmem);
        return true;
      }
      case Op::SetMemoryAttributes:
        q->op = HOp::KvmSetAttrs, q->addr = a.gpa, q->n = a.size, q->val = a.attrs, q->arg = a.flags;
        name(q->name, a.vm);
        return true;
      default:
        return *why = kNoVcpu, false;
    }
  }

  bool finish(const Step& s, const Reply& r, const std::vector<Value>& values, bool value_op) {
    if (r.kind != Reply::Ok) {
      if (s.binds.empty()) {
        return error(s, fmt::format("failed with {} (the scenario does not bind the result)", outcome_of(r).name()));
      }
      bind_outcome(s, r);
      return true;
    }
    for (size_t i = 0; i < s.binds.size(); ++i) {
      res_.run.bindings[s.binds[i]] = value_op ? (i < values.size() ? values[i] : Value::none()) : Value::of(Outcome::ok());
      res_.bind_line[s.binds[i]] = s.loc.line;
    }
    return true;
  }

  void cleanup() {
    if (pgid_ > 0) kill(-pgid_, SIGKILL);
    for (auto& [name, w] : workers_) {
      if (w.alive && w.pidfd >= 0) syscall(SYS_pidfd_send_signal, w.pidfd, SIGKILL, nullptr, 0);
      if (w.sock >= 0) close(w.sock);
      if (w.pidfd >= 0) close(w.pidfd);
      w.sock = w.pidfd = -1;
    }
    for (auto& [name, p] : pipes_) close(p.first), close(p.second);
    pipes_.clear();
    for (auto& [name, fd] : dio_fds_) close(fd);
    dio_fds_.clear();
    reap_all();
    g_pgid = 0;
    pgid_ = 0;
    sigset_t block, old;  // not half-done when a termination signal comes
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&block, sig);
    sigprocmask(SIG_BLOCK, &block, &old);
    swap_off_now();  // after the workers are gone: nothing left to swap in
    huge_restore_now();  // ... and their huge pages are free again
    huge_pool_ = false;
    sigprocmask(SIG_SETMASK, &old, nullptr);
  }

  const Scenario& sc_;
  const Features& f_;
  HostOptions opt_;
  HostResult& res_;
  pid_t pgid_ = 0;
  std::string stop_;  // why the rest of the scenario cannot run on the host
  bool sd_mismatch_ = false;
  uint64_t swap_slots_ = 0;  // --allow-system-changes: the scenario's swap device
  uint64_t huge_pages_ = 0;  // --allow-system-changes: the scenario's hugetlb pool (config hugetlb=N)
  bool huge_pool_ = false;   // ... raised for this scenario
  uint64_t page_ = kPage;    // bytes per page of the range the step resolved last
  std::map<std::string, WorkerRef> workers_;
  std::map<std::string, std::map<std::string, MapRef>> maps_;
  std::map<std::string, PinRef> pins_;
  std::map<std::string, std::pair<int, int>> pipes_;
  std::map<std::string, uint64_t> gmem_size_;  // guest_memfd sizes in bytes, for G[lo:hi] ranges
  std::map<std::string, std::set<std::string>> pipes_of_;
  std::set<std::string> nocap_;  // processes that dropped CAP_IPC_LOCK (setrlimit memlock), inherited at fork
  std::map<std::string, int> dio_fds_;  // O_DIRECT files by name (O_TMPFILE: never named on disk)
  std::map<std::string, std::set<std::string>> dio_of_;   // the O_DIRECT files each worker holds
  std::map<std::string, std::set<std::string>> uffd_of_;  // mappings each process registered with uffd (WP)
};

}  // namespace

std::string Features::str() const {
  std::string thp = thp_enabled.empty() ? "none" : thp_enabled;
  if (!thp_sizes.empty()) thp += " (" + fmt::format("{}", fmt::join(thp_sizes, " ")) + ")";
  return fmt::format("kernel {}; io_uring {}; soft-dirty {}; swap {}; pfns {}; thp {}; hugetlb free {}; gup_test {}; kvm {}; "
                     "droppable {}; vdso getrandom {}",
                     kernel, io_uring ? "yes" : "no", soft_dirty ? "yes" : "no (not configured)",
                     swap ? "yes" : "no", pfn_visible ? "visible" : "hidden", thp, hugetlb_free,
                     gup_test ? "yes" : "no",
                     kvm ? fmt::format("yes (VM types {:#x}, guest_memfd flags {:#x})", kvm_vm_types, kvm_gmem_flags)
                         : "no",
                     droppable ? "yes" : "no", vdso_getrandom ? "yes" : "no");
}

nlohmann::json Features::json() const {
  return {{"io_uring", io_uring},       {"soft_dirty", soft_dirty},   {"swap", swap},
          {"pfn_visible", pfn_visible}, {"thp_enabled", thp_enabled}, {"thp_sizes", thp_sizes},
          {"hugetlb_free", hugetlb_free}, {"gup_test", gup_test},     {"kvm", kvm},
          {"droppable", droppable},     {"vdso_getrandom", vdso_getrandom},
          {"kvm_vm_types", kvm_vm_types}, {"kvm_guest_memfd_flags", kvm_gmem_flags}};
}

Features detect_features() {
  Features f;
  utsname u{};
  if (uname(&u) == 0) f.kernel = u.release;
  io_uring ring;
  if (io_uring_queue_init(1, &ring, 0) == 0) {
    f.io_uring = true;
    io_uring_queue_exit(&ring);
  }
  // A new VMA carries VM_SOFTDIRTY, so with CONFIG_MEM_SOFT_DIRTY pagemap bit 55 reads 1.
  if (void* p = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0); p != MAP_FAILED) {
    *static_cast<volatile char*>(p) = 1;
    const uint64_t e = pagemap_entry(p);
    f.soft_dirty = e >> 55 & 1;
    f.pfn_visible = (e >> 63 & 1) && (e & ((1ull << 55) - 1)) != 0;
    munmap(p, kPage);
  }
  {
    std::ifstream in("/proc/swaps");
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) lines += !line.empty();
    f.swap = lines > 1;
  }
  const std::string thp = read_file("/sys/kernel/mm/transparent_hugepage/enabled");
  if (auto a = thp.find('['), b = thp.find(']'); a != std::string::npos && b != std::string::npos)
    f.thp_enabled = thp.substr(a + 1, b - a - 1);
  if (DIR* d = opendir("/sys/kernel/mm/transparent_hugepage")) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.rfind("hugepages-", 0) != 0) continue;
      const std::string v = read_file(("/sys/kernel/mm/transparent_hugepage/" + n + "/enabled").c_str());
      auto a = v.find('['), b = v.find(']');
      if (a == std::string::npos || b == std::string::npos) continue;
      const std::string mode = v.substr(a + 1, b - a - 1);
      if (mode != "never") f.thp_sizes.push_back(n.substr(10) + "=" + mode);
    }
    closedir(d);
    std::sort(f.thp_sizes.begin(), f.thp_sizes.end());
  }
  {
    std::ifstream in("/proc/meminfo");
    std::string key;
    uint64_t v;
    while (in >> key >> v) {
      if (key == "HugePages_Free:") f.hugetlb_free = v;
      in.ignore(256, '\n');
    }
  }
  f.gup_test = access("/sys/kernel/debug/gup_test", F_OK) == 0;
  f.kvm = access("/dev/kvm", R_OK | W_OK) == 0;
  if (f.kvm) {
    // KVM_CAP_VM_TYPES (235) and KVM_CAP_GUEST_MEMFD_FLAGS (244) on /dev/kvm.
    const int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
      const int types = ioctl(fd, _IO(0xAE, 0x03), 235);
      f.kvm_vm_types = types > 0 ? uint64_t(types) : 1;  // without the cap: the default VM only
      const int flags = ioctl(fd, _IO(0xAE, 0x03), 244);
      f.kvm_gmem_flags = flags > 0 ? uint64_t(flags) : 0;
      close(fd);
    }
  }
  if (void* p = mmap(nullptr, kPage, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | 0x08 /* MAP_DROPPABLE */, -1, 0);
      p != MAP_FAILED) {
    f.droppable = true;
    munmap(p, kPage);
  }
  f.vdso_getrandom = vdso_getrandom_available();
  return f;
}

void install_host_safety() {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  struct sigaction sa{};
  sa.sa_handler = on_term;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGHUP, &sa, nullptr);
  sigaction(SIGQUIT, &sa, nullptr);
  sigaction(SIGPIPE, &sa, nullptr);  // `| head`: the workers and a swapfile go too
}

namespace {

// An expectation whose host values cannot carry the model's meaning: a real
// getrandom output against a literal token or a non-output name, a state's
// generation against a non-zero literal.
std::string incomparable(const HostResult& res, const Expect& e) {
  auto cmp = [&](const std::string& n) {
    auto it = res.compare.find(n);
    return it == res.compare.end() ? Compare::Exact : it->second;
  };
  auto value = [&](const std::string& n) {
    auto it = res.run.bindings.find(n);
    return it == res.run.bindings.end() ? Value::none() : it->second;
  };
  const Compare l = cmp(e.lhs);
  const Value lv = value(e.lhs);
  if (e.rhs.is_name) {
    const Compare r = cmp(e.rhs.name);
    const Value rv = value(e.rhs.name);
    if (l == r || lv.kind == Value::Kind::Outcome || rv.kind == Value::Kind::Outcome) return "";
    return "compares a real getrandom output or state word with another kind of value";
  }
  const Value& lit = e.rhs.literal;
  if (lit.kind == Value::Kind::Outcome || lv.kind == Value::Kind::Outcome) return "";
  if (l == Compare::GetrandomOutput) return "a real getrandom output against a literal (the model's key is a token)";
  if (l == Compare::StateWord && !(lit.kind == Value::Kind::Int && lit.i == 0))
    return "a getrandom state's generation against a non-zero literal (the host compares only zero / non-zero)";
  return "";
}

}  // namespace

HostResult run_host_scenario(const Scenario& sc, const std::string& profile,
                             const std::map<std::string, std::string>& policies, const Features& f,
                             const HostOptions& opt) {
  HostResult res;
  res.run.scenario = &sc;
  res.run.profile = profile;
  res.run.policies = policies;
  bool finished;
  {
    HostRun hr(sc, f, opt, res);
    finished = hr.run();
  }  // every worker killed and reaped here
  bool all = finished && res.run.errors.empty();
  for (const Expect* e : active_expectations(sc, profile, policies)) {
    ExpectResult er{e, ExpectResult::Status::NotRun, {}, {}};
    std::string why;
    if (check_binding(e->lhs)) why = "model-only check";
    else if (auto it = res.skipped.find(e->lhs); it != res.skipped.end()) why = it->second;
    else if (e->rhs.is_name) {
      if (auto jt = res.skipped.find(e->rhs.name); jt != res.skipped.end()) why = jt->second;
    }
    if (why.empty()) why = incomparable(res, *e);
    if (!why.empty()) {
      er.status = ExpectResult::Status::Skipped;
      res.run.expects.push_back(er);
      res.skip_reasons.push_back(why);
      continue;
    }
    auto get = [&](const std::string& n, Value* v) {
      auto it = res.run.bindings.find(n);
      if (it == res.run.bindings.end()) return false;
      *v = it->second;
      return true;
    };
    if (finished) {
      const bool lhs = get(e->lhs, &er.actual);
      const bool rhs = e->rhs.is_name ? get(e->rhs.name, &er.expected) : (er.expected = e->rhs.literal, true);
      if (lhs && rhs)
        er.status = values_equal(er.actual, er.expected) == e->equal ? ExpectResult::Status::Pass
                                                                      : ExpectResult::Status::Fail;
    }
    if (er.status != ExpectResult::Status::Pass) all = false;
    res.run.expects.push_back(er);
    res.skip_reasons.emplace_back();
  }
  res.run.passed = all;
  return res;
}

std::string host_text_report(const HostResult& r) {
  size_t skipped = 0;
  for (auto& e : r.run.expects) skipped += e.status == ExpectResult::Status::Skipped;
  std::string out = fmt::format("{}  {}  {}  [host, expectations of {}]{}\n", r.run.passed ? "PASS" : "FAIL",
                                r.run.scenario->file, r.run.scenario->name, r.run.profile,
                                skipped ? fmt::format("  ({} skipped)", skipped) : "");
  for (const std::string& e : r.run.errors) out += fmt::format("      {}\n", e);
  for (size_t i = 0; i < r.run.expects.size(); ++i) {
    const ExpectResult& e = r.run.expects[i];
    const int line = e.expect->loc.line;
    switch (e.status) {
      case ExpectResult::Status::Pass: break;
      case ExpectResult::Status::Skipped:
        out += fmt::format("      line {}: {} — skipped: {}\n", line, e.expect->text, r.skip_reasons[i]);
        break;
      case ExpectResult::Status::NotRun:
        out += fmt::format("      line {}: {} — not evaluated (the scenario stopped early)\n", line, e.expect->text);
        break;
      case ExpectResult::Status::Fail:
        out += fmt::format("      line {}: {} — {} is {}{}\n", line, e.expect->text, e.expect->lhs, e.actual.str(),
                           e.expect->rhs.is_name ? fmt::format(", {} is {}", e.expect->rhs.name, e.expected.str()) : "");
        break;
    }
  }
  return out;
}

namespace {

std::string expect_problem(const ExpectResult& e) {
  const int line = e.expect->loc.line;
  if (e.status == ExpectResult::Status::NotRun)
    return fmt::format("line {}: {} — not evaluated (the scenario stopped early)", line, e.expect->text);
  return fmt::format("line {}: {} — {} is {}{}", line, e.expect->text, e.expect->lhs, e.actual.str(),
                     e.expect->rhs.is_name ? fmt::format(", {} is {}", e.expect->rhs.name, e.expected.str()) : "");
}

}  // namespace

HostOutcome host_outcome(const HostResult& r) {
  if (!r.run.passed) return HostOutcome::Fail;
  if (r.run.expects.empty() || !r.run.errors.empty()) return HostOutcome::Pass;
  for (const ExpectResult& e : r.run.expects)
    if (e.status != ExpectResult::Status::Skipped) return HostOutcome::Pass;
  return HostOutcome::Skip;
}

std::string host_skip_summary(const HostResult& r) {
  std::vector<std::string> reasons;
  for (size_t i = 0; i < r.run.expects.size(); ++i) {
    if (r.run.expects[i].status != ExpectResult::Status::Skipped) continue;
    if (std::find(reasons.begin(), reasons.end(), r.skip_reasons[i]) == reasons.end())
      reasons.push_back(r.skip_reasons[i]);
  }
  return fmt::format("{}", fmt::join(reasons, "; "));
}

nlohmann::json host_json_report(const HostResult& r, const Features& f, uint64_t seed) {
  nlohmann::json j = json_report(r.run, seed);
  j.erase("state_hash");  // model-only: there is no model state
  j.erase("checks");      // model-only checks (their expectations are skipped)
  j.erase("trace");
  j["profile"] = "host";
  j["expectations_of"] = r.run.profile;
  j["kernel"] = f.kernel;
  j["features"] = f.json();
  const HostOutcome o = host_outcome(r);
  j["status"] = o == HostOutcome::Pass ? "pass" : o == HostOutcome::Fail ? "fail" : "skipped";
  auto& ex = j["expectations"];
  for (size_t i = 0; i < r.run.expects.size() && i < ex.size(); ++i)
    if (r.run.expects[i].status == ExpectResult::Status::Skipped) ex[i]["reason"] = r.skip_reasons[i];
  return j;
}

std::string host_tap_report(const HostResult& r, size_t number) {
  const HostOutcome o = host_outcome(r);
  std::string out = fmt::format("{} {} - {}: {} [host, expectations of {}]", o == HostOutcome::Fail ? "not ok" : "ok",
                                number, r.run.scenario->file, r.run.scenario->name, r.run.profile);
  if (o == HostOutcome::Skip) out += " # SKIP " + host_skip_summary(r);
  out += "\n";
  std::vector<std::string> problems = r.run.errors, skipped;
  for (size_t i = 0; i < r.run.expects.size(); ++i) {
    const ExpectResult& e = r.run.expects[i];
    if (e.status == ExpectResult::Status::Skipped)
      skipped.push_back(fmt::format("line {}: {} — {}", e.expect->loc.line, e.expect->text, r.skip_reasons[i]));
    else if (e.status != ExpectResult::Status::Pass)
      problems.push_back(expect_problem(e));
  }
  if (problems.empty() && skipped.empty()) return out;
  out += "  ---\n";
  if (!problems.empty()) {
    out += "  problems:\n";
    for (const std::string& p : problems) out += fmt::format("    - {}\n", nlohmann::json(p).dump());
  }
  if (!skipped.empty()) {
    out += "  skipped:\n";
    for (const std::string& p : skipped) out += fmt::format("    - {}\n", nlohmann::json(p).dump());
  }
  out += "  ...\n";
  return out;
}

}  // namespace mmsim::host
