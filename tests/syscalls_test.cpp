// Address-space system calls: mmap, munmap, mprotect, madvise, mlock/munlock —
// VMA split/merge, errnos (partial application before holes) and
// can_change_pte_writable() (cow-gup.md §2.2, §5.7, §6 row 12, §7.3).
// Errnos and VMA counts were checked against this host's 6.18 kernel.
#include "test_util.hpp"

namespace mmsim {
namespace {

using SyscallTest = KernelTest;

// can_change_pte_writable(): mprotect(R) then mprotect(RW) gives an exclusive anon page W back at once
// (new VMAs are VM_SOFTDIRTY, so no soft-dirty tracking wants the fault) (§2.2 #2, §6 #12).
TEST_F(SyscallTest, CanChangePteWritable_ExclusivePageGetsWriteBack) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_TRUE(vma(p0, a)->test(VM_SOFTDIRTY));
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(k.write(p0, a, 2), Outcome::sig(SIGSEGV));
  EXPECT_EQ(rd(p0, a), 1u);
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pae(x));
}

// Same without CONFIG_MEM_SOFT_DIRTY: vma_soft_dirty_enabled() is false, the page gets W back.
using NoSoftDirtyTest = KernelTestMem<64, false>;
TEST_F(NoSoftDirtyTest, CanChangePteWritable_NoSoftDirtyConfig) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_TRUE(pte(p0, a).write());
}

// can_change_pte_writable(): a page that is not PG_anon_exclusive stays R/O until a write fault.
TEST_F(SyscallTest, CanChangePteWritable_SharedPageStaysReadOnly) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(pfn(p0, a), x);
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  EXPECT_NE(pfn(p0, a), x);  // the write fault copies
  EXPECT_EQ(rd(p1, a), 1u);
}

// can_change_pte_writable(): the zero page (vm_normal_page() == NULL) is never made writable.
TEST_F(SyscallTest, CanChangePteWritable_ZeroPageStaysReadOnly) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_FALSE(pte(p0, a).write());
}

// cow.c "R/O-mapping a page registered as iouring fixed buffer" (§7.3, policy C): the pin stays coherent.
TEST_F(SyscallTest, CanChangePteWritable_PinnedPageStaysCoherent) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  ASSERT_EQ(k.write(p0, a, 0x55), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  Token t = 0;
  ASSERT_EQ(k.dma_read(g, 0, &t), Outcome::ok());
  EXPECT_EQ(t, 0x55u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// split_vma() / vma_merge_existing_range(): a partial mprotect splits into three VMAs; restoring merges them back.
TEST_F(SyscallTest, MprotectFixup_SplitsAndMergesVmas) {
  const Vpn a = map(4);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());  // gives the VMA an anon_vma
  ASSERT_EQ(k.write(p0, a + 2, 1), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 1u);
  ASSERT_EQ(k.mprotect(p0, a + 1, 2, RO), Outcome::ok());
  ASSERT_EQ(nr_vmas(p0), 3u);
  EXPECT_EQ(vma(p0, a)->end, a + 1);
  EXPECT_EQ(vma(p0, a + 1)->start, a + 1);
  EXPECT_EQ(vma(p0, a + 1)->end, a + 3);
  EXPECT_FALSE(vma(p0, a + 1)->test(VM_WRITE));
  EXPECT_TRUE(vma(p0, a + 3)->test(VM_WRITE));
  EXPECT_FALSE(pte(p0, a + 2).write());
  EXPECT_TRUE(pte(p0, a).write());
  ASSERT_EQ(k.mprotect(p0, a + 1, 2, RW), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 1u);
  EXPECT_EQ(vma(p0, a)->start, a);
  EXPECT_EQ(vma(p0, a)->end, a + 4);
  EXPECT_TRUE(pte(p0, a + 2).write());  // exclusive: W back
}

// mmap_region() merges a new mapping with an adjacent compatible one; different protections do not merge.
TEST_F(SyscallTest, MmapRegion_MergesAdjacentCompatibleMappings) {
  const Vpn a = map(2);
  const Vpn b = map(2);
  EXPECT_EQ(b + 2, a);  // top-down placement: right below
  EXPECT_EQ(nr_vmas(p0), 1u);
  const Vpn c = map(1, RO);
  EXPECT_EQ(c + 1, b);
  EXPECT_EQ(nr_vmas(p0), 2u);
}

// mprotect_fixup(): making a R VMA writable charges it (VM_ACCOUNT) and it merges with a writable neighbour
// (host check: mmap R above mmap RW, mprotect(RW) -> 1 VMA in /proc/self/maps).
TEST_F(SyscallTest, MprotectFixup_ReadOnlyMappingBecomingWritableMerges) {
  const Vpn hi = map(1, RO);
  const Vpn lo = map(1, RW);
  ASSERT_EQ(lo + 1, hi);
  EXPECT_EQ(nr_vmas(p0), 2u);
  ASSERT_EQ(k.mprotect(p0, hi, 1, RW), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 1u);
}

// do_mprotect_pkey(): ENOMEM at a hole, after applying the change to the VMAs before it.
TEST_F(SyscallTest, DoMprotectPkey_EnomemAtHoleAfterPartialApplication) {
  const Vpn a = map(3);
  for (Vpn v = a; v < a + 3; ++v) ASSERT_EQ(k.write(p0, v, 1), Outcome::ok());
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  ASSERT_EQ(nr_vmas(p0), 2u);
  EXPECT_EQ(k.mprotect(p0, a, 3, RO), Outcome::err(ENOMEM));
  EXPECT_FALSE(vma(p0, a)->test(VM_WRITE));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_TRUE(vma(p0, a + 2)->test(VM_WRITE));  // beyond the hole: untouched
  EXPECT_TRUE(pte(p0, a + 2).write());
  // Starting in the hole changes nothing.
  EXPECT_EQ(k.mprotect(p0, a + 1, 2, RO), Outcome::err(ENOMEM));
  EXPECT_TRUE(vma(p0, a + 2)->test(VM_WRITE));
  // Length 0 is a no-op that succeeds.
  EXPECT_EQ(k.mprotect(p0, a + 1, 0, RO), Outcome::ok());
}

// do_mprotect_pkey(): arch_validate_prot() rejects unknown PROT_* bits with EINVAL (host: mprotect(p, 4096, 0x10) = EINVAL).
TEST_F(SyscallTest, DoMprotectPkey_UnknownProtBitsEinval) {
  const Vpn a = map(1);
  EXPECT_EQ(k.mprotect(p0, a, 1, 0x10), Outcome::err(EINVAL));
  EXPECT_TRUE(vma(p0, a)->test(VM_WRITE));
}

// do_vmi_munmap(): a partial munmap splits the VMA and frees only the unmapped pages.
TEST_F(SyscallTest, DoVmiMunmap_PartialUnmapSplitsAndFrees) {
  const Vpn a = map(4);
  for (Vpn v = a; v < a + 4; ++v) ASSERT_EQ(k.write(p0, v, v), Outcome::ok());
  const Pfn x1 = pfn(p0, a + 1), x2 = pfn(p0, a + 2);
  ASSERT_EQ(k.munmap(p0, a + 1, 2), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 2u);
  EXPECT_EQ(vma(p0, a + 1), nullptr);
  EXPECT_EQ(vma(p0, a + 2), nullptr);
  EXPECT_TRUE(is_free(x1));
  EXPECT_TRUE(is_free(x2));
  EXPECT_EQ(mm(p0).rss.anon, 2);
  EXPECT_EQ(s.mem.nr_free, initial_free - 2);
  Token t = 0;
  EXPECT_EQ(k.read(p0, a + 1, &t), Outcome::sig(SIGSEGV));
  EXPECT_EQ(rd(p0, a + 3), a + 3);
  // Unmapping a range that covers a hole is fine; length 0 is EINVAL.
  EXPECT_EQ(k.munmap(p0, a, 4), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 0u);
  EXPECT_EQ(k.munmap(p0, a, 0), Outcome::err(EINVAL));
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// mmap(): length 0 is EINVAL (host: munmap(p, 0) and mmap(0 bytes) are EINVAL).
TEST_F(SyscallTest, DoMmap_ZeroLengthEinval) {
  Vpn v = 0;
  EXPECT_EQ(k.mmap(p0, 0, RW, 0, &v), Outcome::err(EINVAL));
  EXPECT_EQ(nr_vmas(p0), 0u);
}

// madvise_walk_vmas(): a hole gives ENOMEM but the advice is applied to every mapped part.
TEST_F(SyscallTest, MadviseWalkVmas_EnomemAtHoleButAppliedEverywhere) {
  const Vpn a = map(3);
  for (Vpn v = a; v < a + 3; ++v) ASSERT_EQ(k.write(p0, v, 1), Outcome::ok());
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  EXPECT_EQ(k.madvise(p0, a, 3, ADV_DONTFORK), Outcome::err(ENOMEM));
  EXPECT_TRUE(vma(p0, a)->test(VM_DONTCOPY));
  EXPECT_TRUE(vma(p0, a + 2)->test(VM_DONTCOPY));
  EXPECT_EQ(k.madvise(p0, a, 3, ADV_DONTNEED), Outcome::err(ENOMEM));
  EXPECT_EQ(pfn(p0, a), kNoPfn);
  EXPECT_EQ(pfn(p0, a + 2), kNoPfn);
  EXPECT_EQ(mm(p0).rss.anon, 0);
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// madvise_dontneed_single_vma(): zaps pages; the next read sees zeroes.
TEST_F(SyscallTest, MadviseDontneed_ZapsAndRefaultsZero) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 7), Outcome::ok());
  ASSERT_EQ(k.write(p0, a + 1, 8), Outcome::ok());
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DONTNEED), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), kNoPfn);
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(rd(p0, a), 0u);
  EXPECT_EQ(rd(p0, a + 1), 8u);
  EXPECT_EQ(nr_vmas(p0), 1u);  // MADV_DONTNEED does not change VMA flags
}

// madvise_behavior_valid() / madvise_dontneed_free_valid_vma() / MADV_WIPEONFORK on shared: EINVAL.
TEST_F(SyscallTest, Madvise_EinvalCases) {
  const Vpn a = map(1);
  EXPECT_EQ(k.madvise(p0, a, 1, 999), Outcome::err(EINVAL));
  EXPECT_EQ(k.madvise(p0, a, 0, 999), Outcome::err(EINVAL));  // validity is checked before the length
  EXPECT_EQ(k.madvise(p0, a, 0, ADV_DONTNEED), Outcome::ok());
  const Vpn sh = map(1, RW, MAPF_SHARED);
  EXPECT_EQ(k.madvise(p0, sh, 1, ADV_WIPEONFORK), Outcome::err(EINVAL));
  EXPECT_FALSE(vma(p0, sh)->test(VM_WIPEONFORK));
  const Vpn l = map(1, RW, MAPF_LOCKED);
  const Pfn x = pfn(p0, l);
  ASSERT_NE(x, kNoPfn);  // MAP_LOCKED populates
  EXPECT_EQ(k.madvise(p0, l, 1, ADV_DONTNEED), Outcome::err(EINVAL));
  EXPECT_EQ(pfn(p0, l), x);
}

// madvise_populate(): no VMA -> ENOMEM, incompatible permissions -> EINVAL, otherwise pages are faulted in.
TEST_F(SyscallTest, MadvisePopulate_FaultsInOrFails) {
  const Vpn a = map(2);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_POPULATE_READ), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  ASSERT_EQ(k.madvise(p0, a, 2, ADV_POPULATE_WRITE), Outcome::ok());
  EXPECT_NE(pfn(p0, a), kZeroPfn);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pae(pfn(p0, a)));
  EXPECT_NE(pfn(p0, a + 1), kNoPfn);
  EXPECT_EQ(mm(p0).rss.anon, 2);
  const Vpn r = map(1, RO);
  EXPECT_EQ(k.madvise(p0, r, 1, ADV_POPULATE_WRITE), Outcome::err(EINVAL));
  const Vpn n = map(1, PROT_NONE_);
  EXPECT_EQ(k.madvise(p0, n, 1, ADV_POPULATE_READ), Outcome::err(EINVAL));
  EXPECT_EQ(k.madvise(p0, 0x1000, 1, ADV_POPULATE_READ), Outcome::err(ENOMEM));
}

// MADV_DONTDUMP / MADV_DODUMP toggle VM_DONTDUMP; a partial advice splits the VMA and undoing it merges again.
TEST_F(SyscallTest, Madvise_DontdumpSplitsAndDodumpMerges) {
  const Vpn a = map(3);
  ASSERT_EQ(k.madvise(p0, a + 1, 1, ADV_DONTDUMP), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 3u);
  EXPECT_TRUE(vma(p0, a + 1)->test(VM_DONTDUMP));
  ASSERT_EQ(k.madvise(p0, a + 1, 1, ADV_DODUMP), Outcome::ok());
  EXPECT_EQ(nr_vmas(p0), 1u);
}

// mlock(): populate with write faults in private writable VMAs, mlock the pages, count locked_vm; munlock undoes it.
TEST_F(SyscallTest, Mlock_PopulatesAndLocks) {
  const Vpn a = map(2);
  ASSERT_EQ(k.mlock(p0, a, 2), Outcome::ok());
  EXPECT_EQ(mm(p0).rss.locked_vm, 2);
  for (Vpn v = a; v < a + 2; ++v) {
    const Pfn x = pfn(p0, v);
    ASSERT_NE(x, kNoPfn);
    ASSERT_NE(x, kZeroPfn);
    EXPECT_TRUE(pte(p0, v).write());
    EXPECT_TRUE(folio(x).test(FOLIO_MLOCKED));
    EXPECT_EQ(folio(x).mlock_count, 1);
  }
  EXPECT_EQ(mm(p0).rss.anon, 2);
  ASSERT_EQ(k.munlock(p0, a, 2), Outcome::ok());
  EXPECT_EQ(mm(p0).rss.locked_vm, 0);
  EXPECT_FALSE(folio(pfn(p0, a)).test(FOLIO_MLOCKED));
  EXPECT_FALSE(vma(p0, a)->test(VM_LOCKED));
}

// apply_vma_lock_flags(): ENOMEM at a hole; the VMA before it is locked but not populated (host-checked).
TEST_F(SyscallTest, ApplyVmaLockFlags_EnomemAtHoleWithoutPopulate) {
  const Vpn a = map(3);
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  EXPECT_EQ(k.mlock(p0, a, 3), Outcome::err(ENOMEM));
  EXPECT_TRUE(vma(p0, a)->test(VM_LOCKED));
  EXPECT_FALSE(vma(p0, a + 2)->test(VM_LOCKED));
  EXPECT_EQ(mm(p0).rss.locked_vm, 1);
  EXPECT_EQ(pfn(p0, a), kNoPfn);  // __mm_populate() was not reached
  EXPECT_EQ(k.munlock(p0, a, 3), Outcome::err(ENOMEM));
  EXPECT_FALSE(vma(p0, a)->test(VM_LOCKED));
  EXPECT_EQ(mm(p0).rss.locked_vm, 0);
}

// __mlock_posix_error_return(): populating a PROT_NONE VMA fails EFAULT, reported as ENOMEM (host-checked).
TEST_F(SyscallTest, MlockPosixErrorReturn_ProtNoneEnomem) {
  const Vpn n = map(1, PROT_NONE_);
  EXPECT_EQ(k.mlock(p0, n, 1), Outcome::err(ENOMEM));
  EXPECT_EQ(pfn(p0, n), kNoPfn);
  EXPECT_EQ(k.mlock(p0, n, 0), Outcome::ok());
}

// mlock of a page shared after fork: the write-fault populate breaks COW in the locking process only.
TEST_F(SyscallTest, Mlock_PopulateBreaksCow) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 3), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.mlock(p1, a, 1), Outcome::ok());
  const Pfn y = pfn(p1, a);
  EXPECT_NE(y, x);
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_TRUE(folio(y).test(FOLIO_MLOCKED));
  EXPECT_FALSE(folio(x).test(FOLIO_MLOCKED));
  EXPECT_EQ(rd(p1, a), 3u);
}

// munmap of a VM_LOCKED range gives back locked_vm and munlocks the pages.
TEST_F(SyscallTest, Munmap_LockedRangeReleasesLockedVm) {
  const Vpn a = map(3, RW, MAPF_LOCKED);
  EXPECT_EQ(mm(p0).rss.locked_vm, 3);
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  EXPECT_EQ(mm(p0).rss.locked_vm, 2);
  EXPECT_EQ(s.mem.nr_free, initial_free - 2);
}

// MADV_DONTNEED on a shared (shmem) mapping only zaps the PTEs: the page cache keeps the data.
TEST_F(SyscallTest, MadviseDontneed_ShmemKeepsData) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  ASSERT_EQ(k.write(p0, a, 0x66), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DONTNEED), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), kNoPfn);
  EXPECT_EQ(mm(p0).rss.shmem, 0);
  EXPECT_EQ(ref(x), 1);  // the page cache
  EXPECT_EQ(rd(p0, a), 0x66u);
  EXPECT_EQ(pfn(p0, a), x);
}

}  // namespace
}  // namespace mmsim
