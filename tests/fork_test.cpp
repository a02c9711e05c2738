// fork(): dup_mmap() VMA rules and copy_present_ptes() page rules
// (cow-gup.md §2.3, §5.4, §6 rows 2-6, §7.4).
#include "test_util.hpp"

namespace mmsim {
namespace {

using ForkTest = KernelTest;

// copy_present_ptes() -> folio_try_dup_anon_rmap_pte(): share the page, clear PAE, wrprotect both (§6 #2).
TEST_F(ForkTest, CopyPresentPtes_SharesPageClearsPaeAndWrprotectsBoth) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x5a), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_TRUE(pte(p0, a).write());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p1, a).write());
  EXPECT_FALSE(pte(p1, a).has(PTE_YOUNG));  // pte_mkold() in the child
  EXPECT_EQ(mm(p1).rss.anon, 1);
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(rd(p1, a), 0x5au);
  EXPECT_FALSE(k.pagemap(p0, a).exclusive);
  EXPECT_FALSE(k.pagemap(p1, a).exclusive);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);  // nothing was copied
}

// fork() of a zero-page mapping: nothing to copy when the VMA has no anon_vma (vma_needs_copy()).
TEST_F(ForkTest, VmaNeedsCopy_NoAnonVmaNothingCopied) {
  const Vpn a = map(2);
  EXPECT_EQ(rd(p0, a), 0u);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(nr_vmas(p1), 1u);
  EXPECT_EQ(pfn(p1, a), kNoPfn);  // the child faults afresh
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_EQ(rd(p1, a), 0u);
}

// folio_try_dup_anon_rmap_pte() -EBUSY: a pinned exclusive page is copied for the child; parent untouched (§6 #3, §7.4).
TEST_F(ForkTest, FolioTryDupAnonRmap_PinnedPageCopiedForChild) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x77), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  EXPECT_EQ(ref(x), 1 + 1024);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  const uint32_t free_before = s.mem.nr_free;

  const TaskId p1 = fork_of(p0);
  const Pfn y = pfn(p1, a);
  ASSERT_NE(y, kNoPfn);
  EXPECT_NE(y, x);
  EXPECT_EQ(s.mem.nr_free, free_before - 1);
  // Child: its own copy, exclusive, writable, same contents.
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_TRUE(pae(y));
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_EQ(rd(p1, a), 0x77u);
  // Parent: untouched — still W, still PAE, the pin's page.
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(ref(x), 1 + 1024);
  EXPECT_EQ(mapc(x), 1);
  // MMF_HAS_PINNED is not inherited (MMF_INIT_LEGACY_MASK).
  EXPECT_FALSE(mm(p1).test(MMF_HAS_PINNED));
  // The pin stays coherent with the parent: it writes, the device reads it.
  ASSERT_EQ(k.write(p0, a, 0x88), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0x88u);
  EXPECT_EQ(rd(p1, a), 0x77u);
  // ... and device writes are seen by the parent only.
  ASSERT_EQ(k.dma_write(g, 0, 0x99), Outcome::ok());
  EXPECT_EQ(rd(p0, a), 0x99u);
  EXPECT_EQ(rd(p1, a), 0x77u);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

// Same for a R/O pin: folio_maybe_dma_pinned() does not care about FOLL_WRITE.
TEST_F(ForkTest, FolioTryDupAnonRmap_ReadOnlyPinnedPageCopiedForChild) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN);
  EXPECT_EQ(pfn(p0, a), x);  // PAE page: no unshare needed
  EXPECT_EQ(ref(x), 1025);
  const TaskId p1 = fork_of(p0);
  EXPECT_NE(pfn(p1, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pae(x));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// MMF_HAS_PINNED: set by any FOLL_PIN, never cleared, not inherited (§1.2).
TEST_F(ForkTest, MmSetHasPinnedFlag_NeverClearedNotInherited) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  const GupId get = take(p0, a, 1, FOLL_GET);
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));  // FOLL_GET does not set it
  ASSERT_EQ(k.gup_release(get, false), Outcome::ok());
  const GupId pin = take(p0, a, 1, FOLL_PIN);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  ASSERT_EQ(k.gup_release(pin, false), Outcome::ok());
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));  // never cleared
  const TaskId p1 = fork_of(p0);
  EXPECT_FALSE(mm(p1).test(MMF_HAS_PINNED));
  // After the unpin the page is no longer maybe-pinned: fork shared it.
  EXPECT_EQ(pfn(p1, a), pfn(p0, a));
}

// folio_maybe_dma_pinned() cannot see FOLL_GET: fork shares the page and the parent later copies (§6 #4, §7.4).
TEST_F(ForkTest, FolioMaybeDmaPinned_FollGetNotDetectedAtFork) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x10), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_GET | FOLL_WRITE);
  EXPECT_EQ(ref(x), 2);
  EXPECT_FALSE(k.folio_maybe_dma_pinned(x));
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), x);  // shared, not copied
  EXPECT_EQ(ref(x), 3);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  // The parent's write: !PAE, ref 3 => COPY. The device's reference is now the child's page.
  ASSERT_EQ(k.write(p0, a, 0x20), Outcome::ok());
  EXPECT_NE(pfn(p0, a), x);
  ASSERT_EQ(k.dma_write(g, 0, 0x30), Outcome::ok());
  EXPECT_EQ(rd(p0, a), 0x20u);  // the classic O_DIRECT + fork data loss
  EXPECT_EQ(rd(p1, a), 0x30u);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

// dup_mmap(): VM_DONTCOPY (MADV_DONTFORK) VMAs are not created in the child; the parent is untouched (§2.3 #1).
TEST_F(ForkTest, DupMmap_DontForkVmaNotCopied) {
  const Vpn a = map(1);
  const Vpn b = map(1, RO);  // a different VMA next to it
  ASSERT_EQ(k.write(p0, a, 3), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DONTFORK), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(vma(p1, a), nullptr);
  EXPECT_NE(vma(p1, b), nullptr);
  EXPECT_EQ(nr_vmas(p1), 1u);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(k.write(p1, a, 4), Outcome::sig(SIGSEGV));
  // MADV_DOFORK undoes it.
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DOFORK), Outcome::ok());
  const TaskId p2 = fork_of(p0);
  EXPECT_EQ(pfn(p2, a), x);
}

// dup_mmap(): VM_WIPEONFORK gives the child an empty VMA; the parent keeps its writable page (§2.3 #2).
TEST_F(ForkTest, DupMmap_WipeOnForkChildSeesZeroes) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x42), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_WIPEONFORK), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_NE(vma(p1, a), nullptr);
  EXPECT_EQ(pfn(p1, a), kNoPfn);
  EXPECT_EQ(rd(p1, a), 0u);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(rd(p0, a), 0x42u);
  // MADV_KEEPONFORK undoes it.
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_KEEPONFORK), Outcome::ok());
  const TaskId p2 = fork_of(p0);
  EXPECT_EQ(rd(p2, a), 0x42u);
}

// dup_mmap(): mlock is not inherited (VM_LOCKED cleared, locked_vm 0 in the child).
TEST_F(ForkTest, DupMmap_MlockNotInherited) {
  const Vpn a = map(2);
  ASSERT_EQ(k.mlock(p0, a, 2), Outcome::ok());
  EXPECT_EQ(mm(p0).rss.locked_vm, 2);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(mm(p1).rss.locked_vm, 0);
  ASSERT_NE(vma(p1, a), nullptr);
  EXPECT_FALSE(vma(p1, a)->test(VM_LOCKED));
  const Pfn x = pfn(p0, a);
  EXPECT_EQ(folio(x).mlock_count, 1);  // only the parent's mapping locks it
}

// dup_mmap() failure: copying a pinned page without memory fails fork with ENOMEM and leaves no child.
using ForkSmallMemTest = KernelTestMem<2>;
TEST_F(ForkSmallMemTest, DupMmap_EnomemWhenPinnedPageCannotBeCopied) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.write(p0, a + 1, 2), Outcome::ok());
  const Pfn x = pfn(p0, a + 1);
  const GupId g = take(p0, a + 1, 1, FOLL_PIN | FOLL_WRITE);
  EXPECT_EQ(s.mem.nr_free, 0u);
  const State before = s;
  TaskId child = kNone;
  EXPECT_EQ(k.fork(p0, &child), Outcome::err(ENOMEM));
  EXPECT_EQ(s.tasks.size(), before.tasks.size());
  // The parent is as it was: the half-built child gave back everything it took.
  EXPECT_EQ(s.mem.nr_free, 0u);
  EXPECT_EQ(ref(x), 1025);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pae(x));
  EXPECT_TRUE(pte(p0, a + 1).write());
  // Page a was shared with the child before the copy failed and must have been
  // given back: ref 1, map 1 (its PTE may stay write-protected, as in the kernel).
  const Pfn w = pfn(p0, a);
  EXPECT_EQ(ref(w), 1);
  EXPECT_EQ(mapc(w), 1);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  // Without the pin there is nothing to copy and fork succeeds.
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a + 1), x);
}

// fork() inherits pipe fds (the child holds the pipe too).
TEST_F(ForkTest, DupFd_PipesInherited) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0x31), Outcome::ok());
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(s.pipes[pp].users, 2);
  ASSERT_EQ(k.exit(p0), Outcome::ok());
  Token t = 0;
  ASSERT_EQ(k.pipe_read(p1, pp, &t), Outcome::ok());
  EXPECT_EQ(t, 0x31u);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// copy_present_ptes(): zero-page PTEs in a VMA with an anon_vma are copied (special, no reference).
TEST_F(ForkTest, CopyPresentPtes_ZeroPagePteCopiedWithoutReference) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  EXPECT_EQ(rd(p0, a + 1), 0u);
  const uint32_t free_before = s.mem.nr_free;
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a + 1), kZeroPfn);
  EXPECT_FALSE(pte(p1, a + 1).write());
  EXPECT_EQ(s.mem.nr_free, free_before);
  EXPECT_EQ(mm(p1).rss.anon, 1);
}

// Three generations share one page: ref 3, map 3; each writer copies, the last one reuses.
TEST_F(ForkTest, CopyPresentPtes_GrandchildSharesPage) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const TaskId p2 = fork_of(p1);
  EXPECT_EQ(pfn(p2, a), x);
  EXPECT_EQ(ref(x), 3);
  EXPECT_EQ(mapc(x), 3);
  ASSERT_EQ(k.write(p1, a, 2), Outcome::ok());
  EXPECT_NE(pfn(p1, a), x);
  ASSERT_EQ(k.write(p2, a, 3), Outcome::ok());
  EXPECT_NE(pfn(p2, a), x);
  EXPECT_NE(pfn(p2, a), pfn(p1, a));
  ASSERT_EQ(k.write(p0, a, 4), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);  // last user: reuse
  EXPECT_EQ(rd(p0, a), 4u);
  EXPECT_EQ(rd(p1, a), 2u);
  EXPECT_EQ(rd(p2, a), 3u);
}

// After the child exits, the parent's write-protected, no longer exclusive page is reused on the next write (ref 1).
TEST_F(ForkTest, CopyPresentPtes_ParentReusesAfterChildExit) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_FALSE(pte(p0, a).write());
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
}

}  // namespace
}  // namespace mmsim
