// GUP: try_grab_folio() accounting, gup_must_unshare() / FAULT_FLAG_UNSHARE,
// unpin, DMA through pins, vmsplice and process_vm_readv/writev
// (cow-gup.md §1.2, §2.6, §5.5, §6 rows 8-11, §7.1, §10 T2/T3).
#include "test_util.hpp"

namespace mmsim {
namespace {

using GupTest = KernelTest;

// try_grab_folio(): FOLL_PIN on a small folio adds GUP_PIN_COUNTING_BIAS; gup_put_folio() removes it (§6 #11).
TEST_F(GupTest, TryGrabFolio_WritePinAddsBiasAndUnpinRestores) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  EXPECT_FALSE(k.folio_maybe_dma_pinned(x));
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE);
  EXPECT_EQ(ref(x), 1 + kGupPinCountingBias);
  EXPECT_EQ(ref(x), 1025);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(folio(x).pincount, 0);  // small folios have no separate pincount
  EXPECT_TRUE(k.folio_maybe_dma_pinned(x));
  EXPECT_EQ(pfn(p0, a), x);  // the page was exclusive: no COW
  ASSERT_EQ(s.gups[g].pfns.size(), 1u);
  EXPECT_EQ(s.gups[g].pfns[0], x);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_FALSE(k.folio_maybe_dma_pinned(x));
  EXPECT_FALSE(s.gups[g].live);
  // Releasing twice is an error, not a double put.
  EXPECT_EQ(k.gup_release(g, false), Outcome::err(EINVAL));
  EXPECT_EQ(ref(x), 1);
}

// try_grab_folio(): FOLL_GET adds exactly one reference (§6 #8).
TEST_F(GupTest, TryGrabFolio_GetAddsOneReference) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.write(p0, a + 1, 2), Outcome::ok());
  const GupId g = take(p0, a, 2, FOLL_GET);
  EXPECT_EQ(ref(pfn(p0, a)), 2);
  EXPECT_EQ(ref(pfn(p0, a + 1)), 2);
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(pfn(p0, a)), 1);
}

// faultin_page(): GUP of an unpopulated page faults it in (write => new page, read => zero page).
TEST_F(GupTest, FaultinPage_PopulatesMissingPages) {
  const Vpn a = map(2);
  const GupId w = take(p0, a, 1, FOLL_PIN | FOLL_WRITE);
  const Pfn x = pfn(p0, a);
  ASSERT_NE(x, kNoPfn);
  EXPECT_NE(x, kZeroPfn);
  EXPECT_TRUE(pae(x));
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1025);
  const GupId r = take(p0, a + 1, 1, FOLL_GET);
  EXPECT_EQ(pfn(p0, a + 1), kZeroPfn);
  EXPECT_EQ(s.gups[r].pfns[0], kZeroPfn);
  ASSERT_EQ(k.gup_release(w, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(r, false), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
}

// try_grab_folio(): the zero page is never pinned (c8070b787519); a short-term R/O pin takes it as is.
TEST_F(GupTest, TryGrabFolio_ZeroPageNotPinned) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  const GupId g = take(p0, a, 1, FOLL_PIN);
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_EQ(s.gups[g].pfns[0], kZeroPfn);
  EXPECT_EQ(s.mem.folios[kZeroPfn].refcount, 1);
  Token t = 1;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// gup_must_unshare() 6.2+ (84209e87c696): a R/O longterm pin of the zero page in a COW mapping unshares it.
TEST_F(GupTest, GupMustUnshare_LongtermPinOfZeroPageUnshares) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_LONGTERM);
  const Pfn y = pfn(p0, a);
  ASSERT_NE(y, kZeroPfn);
  ASSERT_NE(y, kNoPfn);
  EXPECT_FALSE(pte(p0, a).write());  // unshare: the copy stays R/O
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(ref(y), 1025);
  EXPECT_EQ(s.gups[g].pfns[0], y);
  // The next write reuses the pinned page: the pin is coherent.
  ASSERT_EQ(k.write(p0, a, 0x44), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), y);
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0x44u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// gup_must_unshare(): cow.c "R/O GUP pin on R/O-mapped shared page" — §10 T3: unshare copies, pin coherent.
TEST_F(GupTest, GupMustUnshare_ReadOnlyPinOnSharedPageCopies) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0xaa), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(ref(x), 2);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_LONGTERM);
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);                   // the pinning process got its own copy
  EXPECT_FALSE(pte(p0, a).write());  // FAULT_FLAG_UNSHARE: mapped R/O
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(ref(y), 1025);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_EQ(s.gups[g].pfns[0], y);
  EXPECT_EQ(ref(x), 1);  // the child's page
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(rd(p0, a), 0xaau);
  // P memsets: Y is PAE => REUSE => the pin sees the write.
  ASSERT_EQ(k.write(p0, a, 0xbb), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), y);
  EXPECT_TRUE(pte(p0, a).write());
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0xbbu);
  EXPECT_EQ(rd(p1, a), 0xaau);  // the child still sees the old X
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(y), 1);
}

// wp_can_reuse_anon_folio() under FAULT_FLAG_UNSHARE: cow.c #11 — §10 T2: R/O pin on a previously shared page reuses.
TEST_F(GupTest, GupMustUnshare_ReadOnlyPinOnPreviouslySharedPageReuses) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0xaa), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());

  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_LONGTERM);
  EXPECT_EQ(pfn(p0, a), x);          // same PFN throughout
  EXPECT_TRUE(pae(x));               // PAE := 1
  EXPECT_FALSE(pte(p0, a).write());  // PTE stays R/O
  EXPECT_EQ(ref(x), 1025);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);

  ASSERT_EQ(k.write(p0, a, 0xcc), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);  // PAE => REUSE
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0xccu);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pae(x));
}

// gup_must_unshare(): only R/O FOLL_PIN unshares; a R/O FOLL_GET references the shared page as is (§5.5).
TEST_F(GupTest, GupMustUnshare_ReadOnlyGetDoesNotUnshare) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const GupId g = take(p0, a, 1, FOLL_GET);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 3);
  EXPECT_FALSE(pae(x));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// follow_page_pte(): a FOLL_WRITE GUP on a R/O shared page breaks COW first (§6 #10).
TEST_F(GupTest, FollowPagePte_WriteGupBreaksCow) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const GupId g = take(p1, a, 1, FOLL_GET | FOLL_WRITE);
  const Pfn y = pfn(p1, a);
  EXPECT_NE(y, x);
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(ref(y), 2);
  EXPECT_EQ(s.gups[g].pfns[0], y);
  EXPECT_EQ(ref(x), 1);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// check_vma_flags(): FOLL_WRITE on a R/O VMA without FOLL_FORCE fails EFAULT; all-or-nothing leaves no refs.
TEST_F(GupTest, CheckVmaFlags_WriteGupOnReadOnlyVmaFails) {
  const Vpn a = map(1, RO);
  GupId g = kNone;
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE, &g), Outcome::err(EFAULT));
  EXPECT_TRUE(s.gups.empty());
  const Vpn n = map(1, PROT_NONE_);
  EXPECT_EQ(k.gup(p0, p0, n, 1, FOLL_GET, &g), Outcome::err(EFAULT));
}

// can_follow_write_pte() 6.x: FOLL_FORCE|FOLL_WRITE on a private R/O VMA (ptrace poke) succeeds on an exclusive anon page (§2.5, §2.6).
TEST_F(GupTest, CanFollowWritePte_ForceWriteOnReadOnlyPrivateMapping) {
  const Vpn a = map(1, RO);
  GupId g = kNone;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_GET | FOLL_WRITE | FOLL_FORCE, &g), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_NE(x, kNoPfn);
  EXPECT_NE(x, kZeroPfn);
  EXPECT_TRUE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());  // maybe_mkwrite(): no VM_WRITE, no W
  if (g != kNone && g < s.gups.size()) {
    EXPECT_EQ(s.gups[g].pfns.at(0), x);
    ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  }
}

// __get_user_pages(): the model's pins are all or nothing; a hole in the range fails EFAULT and takes nothing.
TEST_F(GupTest, GetUserPages_HoleFailsWholeRange) {
  const Vpn a = map(3);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  GupId g = kNone;
  EXPECT_EQ(k.gup(p0, p0, a, 3, FOLL_PIN | FOLL_WRITE, &g), Outcome::err(EFAULT));
  EXPECT_EQ(ref(pfn(p0, a)), 1);
  EXPECT_TRUE(s.gups.empty());
}

// unpin_user_pages_dirty_lock(): unpin with dirty marks the folio dirty.
TEST_F(GupTest, UnpinUserPagesDirtyLock_MarksFolioDirty) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  EXPECT_EQ(rd(p0, a), 0u);
  const Pfn x = pfn(p0, a);
  EXPECT_FALSE(folio(x).test(FOLIO_DIRTY));
  const GupId g = take(p0, a, 1, FOLL_PIN);
  EXPECT_FALSE(folio(x).test(FOLIO_DIRTY));
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  EXPECT_TRUE(folio(x).test(FOLIO_DIRTY));
}

// DMA through a pin: a R/O pin's device mapping cannot be written (model: EFAULT); bad index EINVAL.
TEST_F(GupTest, DmaWrite_NeedsWritePin) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const GupId g = take(p0, a, 1, FOLL_PIN);
  EXPECT_EQ(k.dma_write(g, 0, 2), Outcome::err(EFAULT));
  EXPECT_EQ(rd(p0, a), 1u);
  Token t = 0;
  EXPECT_EQ(k.dma_read(g, 1, &t), Outcome::err(EINVAL));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(k.dma_read(g, 0, &t), Outcome::err(EINVAL));
}

// A pin belongs to the process that took it and is released when it exits.
TEST_F(GupTest, ExitReleasesOwnersPins) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  GupId g = kNone;
  // P1 pins P0's page (pin_user_pages_remote()): owner P1, mm of P0.
  ASSERT_EQ(k.gup(p1, p0, a, 1, FOLL_PIN | FOLL_WRITE, &g), Outcome::ok());
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(ref(y), 1025);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  EXPECT_FALSE(mm(p1).test(MMF_HAS_PINNED));
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_FALSE(s.gups[g].live);
  EXPECT_EQ(ref(y), 1);
  // GUP in a dead process fails ESRCH.
  EXPECT_EQ(k.gup(p0, p1, a, 1, FOLL_GET, &g), Outcome::err(ESRCH));
}

// vmsplice() + munmap() in the child + parent write: CVE-2020-29374 (§7.1). The parent's write must copy.
TEST_F(GupTest, Vmsplice_ChildCannotReadParentsLaterWrite_CVE_2020_29374) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 0xaa), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const PipeId pp = k.pipe_create(p1);
  ASSERT_EQ(k.vmsplice(p1, a, 1, pp), Outcome::ok());
  EXPECT_EQ(ref(x), 3);  // two PTEs + the pipe buffer
  EXPECT_EQ(pfn(p1, a), x);  // FOLL_GET does not unshare
  ASSERT_EQ(k.munmap(p1, a, 2), Outcome::ok());
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  // Parent writes: !PAE and ref 2 > 1 => COPY.
  ASSERT_EQ(k.write(p0, a, 0xbb), Outcome::ok());
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(ref(x), 1);  // only the pipe holds the old page
  EXPECT_EQ(mapc(x), 0);
  Token t = 0;
  ASSERT_EQ(k.pipe_read(p1, pp, &t), Outcome::ok());
  EXPECT_EQ(t, 0xaau);
  EXPECT_TRUE(is_free(x));  // the pipe buffer held the last reference
  EXPECT_EQ(k.pipe_read(p1, pp, &t), Outcome::err(EAGAIN));  // empty, non-blocking
}

// pipe_write(): 16 buffers (PIPE_DEF_BUFFERS); the model takes a request whole or fails EAGAIN.
TEST_F(GupTest, Vmsplice_PipeFullEagain) {
  const Vpn a = map(17);
  const PipeId pp = k.pipe_create(p0);
  EXPECT_EQ(k.vmsplice(p0, a, 17, pp), Outcome::err(EAGAIN));
  EXPECT_TRUE(s.pipes[pp].bufs.empty());
  ASSERT_EQ(k.vmsplice(p0, a, 16, pp), Outcome::ok());
  EXPECT_EQ(k.vmsplice(p0, a + 16, 1, pp), Outcome::err(EAGAIN));
  EXPECT_EQ(s.pipes[pp].bufs.size(), 16u);
  // Closing the pipe (exit) drops every buffer.
  ASSERT_EQ(k.exit(p0), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// process_vm_readv(): a R/O FOLL_PIN in the target mm unshares a shared page there (and sets MMF_HAS_PINNED).
TEST_F(GupTest, ProcessVmReadv_UnsharesInTarget) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x61), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  Token t = 0;
  ASSERT_EQ(k.process_vm_readv(p0, p1, a, &t), Outcome::ok());
  EXPECT_EQ(t, 0x61u);
  EXPECT_TRUE(mm(p1).test(MMF_HAS_PINNED));
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  const Pfn y = pfn(p1, a);
  EXPECT_NE(y, x);  // !PAE and ref 2: unshare copies
  EXPECT_FALSE(pte(p1, a).write());
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(ref(y), 1);  // the short-term pin is gone
  EXPECT_EQ(ref(x), 1);
}

// process_vm_writev(): a R/W FOLL_PIN in the target breaks COW there; the writer's own copy is untouched.
TEST_F(GupTest, ProcessVmWritev_BreaksCowInTarget) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.process_vm_writev(p0, p1, a, 2), Outcome::ok());
  EXPECT_EQ(rd(p1, a), 2u);
  EXPECT_EQ(rd(p0, a), 1u);
  EXPECT_NE(pfn(p1, a), x);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(pfn(p1, a)), 1);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  Token t = 0;
  EXPECT_EQ(k.process_vm_readv(p0, p1, a, &t), Outcome::err(ESRCH));
  EXPECT_EQ(k.process_vm_writev(p0, p1, a, 3), Outcome::err(ESRCH));
}

// process_vm_readv() of an unmapped address: EFAULT.
TEST_F(GupTest, ProcessVmReadv_UnmappedAddressEfault) {
  Token t = 0;
  EXPECT_EQ(k.process_vm_readv(p0, p0, 0x1234, &t), Outcome::err(EFAULT));
}

// A pipe buffer is a page reference, not a snapshot: without fork, later writes through a W PTE show up (§7.1 root cause).
TEST_F(GupTest, Vmsplice_PipeSeesLaterWritesToExclusivePage) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_EQ(ref(x), 2);
  EXPECT_TRUE(pae(x));               // FOLL_GET does not touch PAE
  EXPECT_TRUE(pte(p0, a).write());
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  Token t = 0;
  ASSERT_EQ(k.pipe_read(p0, pp, &t), Outcome::ok());
  EXPECT_EQ(t, 2u);
  EXPECT_EQ(ref(x), 1);
}

// vmsplice() of an unpopulated page: a read fault maps the zero page, the pipe holds no reference.
TEST_F(GupTest, Vmsplice_UnpopulatedPageIsZeroPage) {
  const Vpn a = map(1);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_EQ(s.mem.nr_free, initial_free);
  ASSERT_EQ(k.write(p0, a, 5), Outcome::ok());
  Token t = 1;
  ASSERT_EQ(k.pipe_read(p0, pp, &t), Outcome::ok());
  EXPECT_EQ(t, 0u);
  const Vpn n = map(1, PROT_NONE_);
  EXPECT_EQ(k.vmsplice(p0, n, 1, pp), Outcome::err(EFAULT));
}

// A pinned page outlives its mapping: munmap leaves ref 1024, map 0; unpin frees it (gup_put_folio()).
TEST_F(GupTest, GupPutFolio_UnpinFreesOrphanedPage) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x12), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_FALSE(is_free(x));
  EXPECT_EQ(ref(x), 1024);
  EXPECT_EQ(mapc(x), 0);
  EXPECT_EQ(mm(p0).rss.anon, 0);
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0x12u);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  EXPECT_TRUE(is_free(x));
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// MADV_DONTNEED on a pinned page: the pin keeps the old page, the next touch faults in a new one.
TEST_F(GupTest, MadviseDontneed_PinKeepsOldPage) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DONTNEED), Outcome::ok());
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  EXPECT_NE(pfn(p0, a), x);
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 1u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_TRUE(is_free(x));
}

// process_vm_writev() into a R/O mapping: FOLL_WRITE without FOLL_FORCE fails EFAULT in check_vma_flags().
TEST_F(GupTest, ProcessVmWritev_ReadOnlyTargetEfault) {
  const Vpn a = map(1, RO);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(k.process_vm_writev(p0, p1, a, 1), Outcome::err(EFAULT));
  EXPECT_EQ(pfn(p1, a), kNoPfn);
}

// Pins on several pages and on pages of two processes are accounted per page.
TEST_F(GupTest, TryGrabFolio_MultiPagePinsAccountedPerPage) {
  const Vpn a = map(3);
  for (Vpn v = a; v < a + 3; ++v) ASSERT_EQ(k.write(p0, v, v), Outcome::ok());
  const GupId g1 = take(p0, a, 3, FOLL_PIN | FOLL_WRITE);
  const GupId g2 = take(p0, a + 1, 1, FOLL_PIN);
  const GupId g3 = take(p0, a + 1, 2, FOLL_GET);
  EXPECT_EQ(ref(pfn(p0, a)), 1 + 1024);
  EXPECT_EQ(ref(pfn(p0, a + 1)), 1 + 2048 + 1);
  EXPECT_EQ(ref(pfn(p0, a + 2)), 1 + 1024 + 1);
  ASSERT_EQ(k.gup_release(g2, false), Outcome::ok());
  EXPECT_EQ(ref(pfn(p0, a + 1)), 1 + 1024 + 1);
  ASSERT_EQ(k.gup_release(g1, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(g3, false), Outcome::ok());
  for (Vpn v = a; v < a + 3; ++v) EXPECT_EQ(ref(pfn(p0, v)), 1);
}

}  // namespace
}  // namespace mmsim
