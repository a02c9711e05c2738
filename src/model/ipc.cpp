// Pipes filled by vmsplice() and remote access with process_vm_readv/writev().
#include "model/internal.hpp"

namespace mmsim {
using namespace detail;

namespace detail {
void pipe_put(Kernel& k, PipeId id) {
  Pipe& p = k.state().pipes[id];
  if (--p.users > 0) return;
  const std::vector<Pfn> bufs = std::move(p.bufs);
  k.state().pipes[id].bufs.clear();
  for (Pfn pfn : bufs) folio_put(k, pfn);  // free_pipe_info(): drop the buffers' references
}
}  // namespace detail

PipeId Kernel::pipe_create(TaskId t) {
  s_.pipes.push_back(Pipe{.users = 1});
  const PipeId id = PipeId(s_.pipes.size() - 1);
  s_.tasks[t].pipes.push_back(id);
  return id;
}

Outcome Kernel::vmsplice(TaskId t, Vpn start, uint64_t pages, PipeId p) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  // The model's pipes are non-blocking and take a request whole: a request
  // that does not fit in the free buffers fails with EAGAIN and adds nothing.
  if (s_.pipes[p].bufs.size() + pages > kPipeDefBuffers) return Outcome::err(EAGAIN);
  const MmId mmid = s_.tasks[t].mm;
  std::vector<Pfn> got;
  for (uint64_t i = 0; i < pages; ++i) {
    // iter_to_pipe(): iov_iter_get_pages2() -> get_user_pages_fast(addr, n, 0):
    // a R/O FOLL_GET reference on whatever is mapped, held by the pipe buffer.
    Pfn pfn = kNoPfn;
    if (int e = gup_one(*this, mmid, start + i, FOLL_GET, &pfn)) {
      for (Pfn q : got) gup_put_page(*this, q, FOLL_GET);
      return Outcome::err(e);
    }
    got.push_back(pfn);
  }
  auto& bufs = s_.pipes[p].bufs;
  bufs.insert(bufs.end(), got.begin(), got.end());
  return Outcome::ok();
}

Outcome Kernel::pipe_read(TaskId t, PipeId p, Token* out) {
  if (!task_live(t)) return Outcome::err(ESRCH);  // no such (live) process
  (void)t;
  auto& bufs = s_.pipes[p].bufs;
  if (bufs.empty()) return Outcome::err(EAGAIN);  // O_NONBLOCK: nothing to read
  const Pfn pfn = bufs.front();
  bufs.erase(bufs.begin());
  // The reader copies the page's *current* contents: a pipe buffer is a
  // reference to a page, not a snapshot (the root of CVE-2020-29374).
  *out = pfn == kZeroPfn ? 0 : page(pfn).data;
  folio_put(*this, pfn);
  return Outcome::ok();
}

Outcome Kernel::process_vm_readv(TaskId caller, TaskId target, Vpn v, Token* out) {
  (void)caller;
  if (!task_live(target)) return Outcome::err(ESRCH);
  // process_vm_rw_single_vec(): pin_user_pages_remote(mm, ..., flags = 0):
  // a short-term R/O FOLL_PIN in the *target* mm (which may unshare there).
  const MmId mmid = s_.tasks[target].mm;
  s_.mms[mmid].flags |= MMF_HAS_PINNED;
  Pfn pfn = kNoPfn;
  if (int e = gup_one(*this, mmid, v, FOLL_PIN, &pfn)) return Outcome::err(e);
  *out = pfn == kZeroPfn ? 0 : page(pfn).data;
  gup_put_page(*this, pfn, FOLL_PIN);
  return Outcome::ok();
}

Outcome Kernel::process_vm_writev(TaskId caller, TaskId target, Vpn v, Token value) {
  (void)caller;
  if (!task_live(target)) return Outcome::err(ESRCH);
  const MmId mmid = s_.tasks[target].mm;
  s_.mms[mmid].flags |= MMF_HAS_PINNED;
  Pfn pfn = kNoPfn;
  if (int e = gup_one(*this, mmid, v, FOLL_PIN | FOLL_WRITE, &pfn)) return Outcome::err(e);
  page(pfn).data = value;
  folio(pfn).set(FOLIO_DIRTY);  // unpin_user_pages_dirty_lock(..., vm_write)
  gup_put_page(*this, pfn, FOLL_PIN);
  return Outcome::ok();
}

Outcome Kernel::proc_mem_rw(TaskId caller, TaskId target, Vpn v, bool write, Token* value) {
  (void)caller;
  if (!task_live(target)) return Outcome::err(ESRCH);
  // __access_remote_vm(): get_user_pages_remote(FOLL_FORCE [| FOLL_WRITE]) —
  // a FOLL_GET — one page at a time; nothing copied at all is -EIO in mem_rw().
  const MmId mmid = s_.tasks[target].mm;
  const uint32_t foll = FOLL_GET | FOLL_FORCE | (write ? FOLL_WRITE : 0u);
  Pfn pfn = kNoPfn;
  if (gup_one(*this, mmid, v, foll, &pfn)) return Outcome::err(EIO);
  if (write) {
    page(pfn).data = *value;  // copy_to_user_page() + set_page_dirty_lock()
    folio(pfn).set(FOLIO_DIRTY);
  } else {
    *value = pfn == kZeroPfn ? 0 : page(pfn).data;
  }
  gup_put_page(*this, pfn, FOLL_GET);
  return Outcome::ok();
}

uint32_t Kernel::dio_file_create() {
  s_.dio_files.emplace_back();
  return uint32_t(s_.dio_files.size() - 1);
}

namespace {
// bio_iov_iter_get_pages() on [start, start+pages): the dio policy's reference
// (FOLL_GET <= 6.4, FOLL_PIN 6.5+), FOLL_WRITE when the device writes into the
// buffer (a read()). Stops at the first page that cannot be had: the I/O is
// then short (or EFAULT when nothing was had).
int dio_grab(Kernel& k, MmId mmid, Vpn start, uint64_t pages, uint32_t foll, std::vector<Pfn>* got) {
  if (foll & FOLL_PIN) k.state().mms[mmid].flags |= MMF_HAS_PINNED;  // mm_set_has_pinned_flag()
  for (uint64_t i = 0; i < pages; ++i) {
    Pfn pfn = kNoPfn;
    if (int e = gup_one(k, mmid, start + i, foll, &pfn)) return got->empty() ? e : 0;
    got->push_back(pfn);
  }
  return 0;
}
}  // namespace

Outcome Kernel::odirect_write(TaskId t, Vpn start, uint64_t pages, uint32_t file) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  const uint32_t foll = p_.dio->foll();
  std::vector<Pfn> got;
  if (int e = dio_grab(*this, s_.tasks[t].mm, start, pages, foll, &got)) return Outcome::err(e);
  // The device reads the pages (DMA), then bio_release_pages() drops the references.
  auto& data = s_.dio_files[file].pages;
  if (data.size() < got.size()) data.resize(got.size(), 0);
  for (size_t i = 0; i < got.size(); ++i) data[i] = got[i] == kZeroPfn ? 0 : page(got[i]).data;
  for (Pfn pfn : got) gup_put_page(*this, pfn, foll);
  return Outcome::ok();
}

Outcome Kernel::odirect_read(TaskId t, Vpn start, uint64_t pages, uint32_t file) {
  if (!task_live(t)) return Outcome::err(ESRCH);
  // iomap_dio_rw(): a read at or past the end of the file returns 0 before
  // touching the buffer; a longer one is cut at i_size.
  const auto& data = s_.dio_files[file].pages;
  const uint64_t n = std::min<uint64_t>(pages, data.size());
  if (n == 0) return Outcome::ok();
  const uint32_t foll = p_.dio->foll() | FOLL_WRITE;
  std::vector<Pfn> got;
  if (int e = dio_grab(*this, s_.tasks[t].mm, start, n, foll, &got)) return Outcome::err(e);
  for (size_t i = 0; i < got.size(); ++i) {
    page(got[i]).data = s_.dio_files[file].pages[i];
    folio(got[i]).set(FOLIO_DIRTY);  // bio_release_pages(bio, mark_dirty): folio_mark_dirty()
  }
  for (Pfn pfn : got) gup_put_page(*this, pfn, foll);
  return Outcome::ok();
}

}  // namespace mmsim
