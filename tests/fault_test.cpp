// Page faults: do_anonymous_page(), do_wp_page() reuse/copy, the zero page,
// shmem faults and running out of memory (cow-gup.md §2.1, §2.4, §2.5, §5.2,
// §6 rows 1 and 7, §10 T1).
#include "test_util.hpp"

namespace mmsim {
namespace {

using FaultTest = KernelTest;

// do_anonymous_page(): a first write maps a new exclusive page W+D (§6 #1: ref 1, map 1, PAE).
TEST_F(FaultTest, DoAnonymousPage_FirstWriteMapsNewExclusivePage) {
  const Vpn a = map(2);
  ASSERT_EQ(k.write(p0, a, 0xaa), Outcome::ok());
  const Pte p = pte(p0, a);
  ASSERT_TRUE(p.is_present());
  const Pfn x = p.pfn();
  EXPECT_NE(x, kZeroPfn);
  EXPECT_TRUE(p.write());
  EXPECT_TRUE(p.dirty());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pae(x));
  EXPECT_TRUE(folio(x).test(FOLIO_ANON));
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
  EXPECT_EQ(rd(p0, a), 0xaau);
  // The other page was never touched.
  EXPECT_EQ(pfn(p0, a + 1), kNoPfn);
  const PagemapEntry pm = k.pagemap(p0, a);
  EXPECT_TRUE(pm.present);
  EXPECT_TRUE(pm.exclusive);
  EXPECT_FALSE(pm.file);
  EXPECT_EQ(pm.pfn, x);
}

// do_anonymous_page(): a read fault maps the shared zero page R/O, special, with no reference (§2.1).
TEST_F(FaultTest, DoAnonymousPage_ReadFaultMapsZeroPage) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  const Pte p = pte(p0, a);
  ASSERT_TRUE(p.is_present());
  EXPECT_EQ(p.pfn(), kZeroPfn);
  EXPECT_FALSE(p.write());
  EXPECT_TRUE(p.has(PTE_SPECIAL));
  EXPECT_EQ(mm(p0).rss.anon, 0);
  EXPECT_EQ(s.mem.nr_free, initial_free);
  EXPECT_EQ(k.mapped_page(p0, a), std::nullopt);  // vm_normal_page() == NULL
  // Zero-page faults do not create an anon_vma.
  EXPECT_EQ(vma(p0, a)->anon_vma, kNone);
  const PagemapEntry pm = k.pagemap(p0, a);
  EXPECT_TRUE(pm.present);
  EXPECT_EQ(pm.pfn, kZeroPfn);
  EXPECT_FALSE(pm.exclusive);
}

// do_wp_page() -> wp_page_copy(): a write to the zero page allocates a new PAE page (§2.1, §2.4).
TEST_F(FaultTest, WpPageCopy_WriteAfterZeroPageReadAllocates) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.write(p0, a, 7), Outcome::ok());
  const Pfn x = pfn(p0, a);
  EXPECT_NE(x, kZeroPfn);
  EXPECT_NE(x, kNoPfn);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(rd(p0, a), 7u);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
}

// wp_page_reuse(): writing again through a writable PTE neither faults nor allocates.
TEST_F(FaultTest, WpPageReuse_SecondWriteKeepsPage) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(rd(p0, a), 2u);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
}

// do_wp_page(): cow-gup.md §10 T1 — child write copies, then the parent's write reuses its page.
TEST_F(FaultTest, DoWpPage_ChildWriteCopiesThenParentWriteReuses) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 0xaa), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));

  // Child writes: !PAE, ref 2 > 1 => COPY into Y (ref 1, map 1, PAE, W).
  ASSERT_EQ(k.write(p1, a, 0xcc), Outcome::ok());
  const Pfn y = pfn(p1, a);
  EXPECT_NE(y, x);
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_TRUE(pae(y));
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(rd(p0, a), 0xaau);  // the parent still sees its data

  // Parent writes: !PAE but ref 1 => REUSE (same PFN), PAE := 1, PTE W.
  ASSERT_EQ(k.write(p0, a, 0xbb), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pae(x));
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(rd(p0, a), 0xbbu);
  EXPECT_EQ(rd(p1, a), 0xccu);
  EXPECT_EQ(s.mem.nr_free, initial_free - 2);
}

// do_wp_page(): the same with the roles reversed — COW can break either way (§7.4).
TEST_F(FaultTest, DoWpPage_ParentWriteCopiesThenChildWriteReuses) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.write(p0, a, 2), Outcome::ok());
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);
  EXPECT_TRUE(pae(y));
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 1);
  ASSERT_EQ(k.write(p1, a, 3), Outcome::ok());
  EXPECT_EQ(pfn(p1, a), x);  // reused
  EXPECT_TRUE(pae(x));
  EXPECT_EQ(rd(p0, a), 2u);
  EXPECT_EQ(rd(p1, a), 3u);
}

// do_wp_page(): a read after fork does not break COW; the PTE stays R/O and shared.
TEST_F(FaultTest, DoWpPage_ReadAfterForkDoesNotCopy) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 5), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(rd(p1, a), 5u);
  EXPECT_EQ(rd(p0, a), 5u);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 2);
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p1, a).write());
}

// x86 access_error(): writes need VM_WRITE, any access needs some permission, no VMA => SIGSEGV.
TEST_F(FaultTest, AccessError_SegvOnProtectionAndHole) {
  const Vpn r = map(1, RO);
  const Vpn n = map(1, PROT_NONE_);
  Token x = 0;
  EXPECT_EQ(k.write(p0, r, 1), Outcome::sig(SIGSEGV));
  EXPECT_EQ(k.read(p0, r, &x), Outcome::ok());
  EXPECT_EQ(k.read(p0, n, &x), Outcome::sig(SIGSEGV));
  EXPECT_EQ(k.write(p0, n, 1), Outcome::sig(SIGSEGV));
  EXPECT_EQ(k.read(p0, 0x1000, &x), Outcome::sig(SIGSEGV));
  EXPECT_EQ(k.write(p0, 0x1000, 1), Outcome::sig(SIGSEGV));
  // A failed access changes nothing.
  EXPECT_EQ(pfn(p0, n), kNoPfn);
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// shmem_fault(): MAP_SHARED|MAP_ANONYMOUS pages are page-cache pages shared across fork (not COW).
TEST_F(FaultTest, ShmemFault_SharedMappingVisibleAcrossFork) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  ASSERT_EQ(k.write(p0, a, 0x11), Outcome::ok());
  const Pfn x = pfn(p0, a);
  ASSERT_NE(x, kNoPfn);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_FALSE(folio(x).test(FOLIO_ANON));
  EXPECT_TRUE(folio(x).test(FOLIO_SHMEM));
  EXPECT_EQ(ref(x), 2);  // page cache + one PTE
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  EXPECT_EQ(mm(p0).rss.shmem, 1);
  EXPECT_EQ(mm(p0).rss.anon, 0);
  EXPECT_TRUE(k.pagemap(p0, a).file);

  const TaskId p1 = fork_of(p0);
  // vma_needs_copy(): no anon_vma, so fork copies no PTEs; the child faults the page-cache page in.
  EXPECT_EQ(pfn(p1, a), kNoPfn);
  EXPECT_TRUE(pte(p0, a).write());  // shared mappings are not write-protected at fork
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(rd(p1, a), 0x11u);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 3);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_TRUE(pte(p1, a).write());  // shmem: a read fault maps W in a writable shared VMA
  ASSERT_EQ(k.write(p1, a, 0x22), Outcome::ok());
  EXPECT_EQ(pfn(p1, a), x);  // no copy
  EXPECT_EQ(rd(p0, a), 0x22u);
  EXPECT_EQ(mm(p1).rss.shmem, 1);
  EXPECT_FALSE(k.pagemap(p0, a).exclusive);  // mapcount 2
}

// shmem_fault(): a read fault on a shared mapping allocates the page-cache page (no zero page).
TEST_F(FaultTest, ShmemFault_ReadAllocatesPageCachePage) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  EXPECT_EQ(rd(p0, a), 0u);
  const Pfn x = pfn(p0, a);
  ASSERT_NE(x, kNoPfn);
  EXPECT_NE(x, kZeroPfn);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(s.mem.nr_free, initial_free - 1);
  // Unmapping drops the PTE but the page cache keeps the page until the file goes.
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_TRUE(is_free(x));
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

// Shared mappings survive the unmap of one user: the other still sees the data.
TEST_F(FaultTest, ShmemFault_PageCacheOutlivesOneMapping) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  ASSERT_EQ(k.write(p0, a, 9), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_EQ(rd(p1, a), 9u);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

using SmallMemTest = KernelTestMem<2>;

// do_anonymous_page(): VM_FAULT_OOM when no page can be allocated.
TEST_F(SmallMemTest, DoAnonymousPage_OomWhenMemoryExhausted) {
  const Vpn a = map(3);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.write(p0, a + 1, 2), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, 0u);
  EXPECT_EQ(k.write(p0, a + 2, 3), Outcome::oom());
  EXPECT_EQ(pfn(p0, a + 2), kNoPfn);
  EXPECT_EQ(mm(p0).rss.anon, 2);
  // Reads still work: the zero page needs no memory.
  EXPECT_EQ(rd(p0, a + 2), 0u);
  EXPECT_EQ(pfn(p0, a + 2), kZeroPfn);
  // ... and the write to the zero page needs a copy, which fails again.
  EXPECT_EQ(k.write(p0, a + 2, 3), Outcome::oom());
  EXPECT_EQ(pfn(p0, a + 2), kZeroPfn);
  // Freeing a page makes room.
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_EQ(k.write(p0, a + 2, 3), Outcome::ok());
  EXPECT_EQ(rd(p0, a + 2), 3u);
}

// wp_page_copy(): a COW copy that cannot allocate fails with OOM and leaves the shared page mapped.
TEST_F(SmallMemTest, WpPageCopy_OomLeavesSharedPageMapped) {
  const Vpn a = map(1);
  const Vpn b = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.write(p0, b, 2), Outcome::ok());
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(s.mem.nr_free, 0u);
  EXPECT_EQ(k.write(p1, a, 3), Outcome::oom());
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_FALSE(pte(p1, a).write());
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(rd(p1, a), 1u);
}

// Exiting frees everything a process mapped (exit_mmap()).
TEST_F(FaultTest, ExitMmap_FreesAllPages) {
  const Vpn a = map(4);
  const Vpn b = map(2, RW, MAPF_SHARED);
  for (Vpn v = a; v < a + 4; ++v) ASSERT_EQ(k.write(p0, v, v), Outcome::ok());
  ASSERT_EQ(k.write(p0, b, 1), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.write(p1, a, 2), Outcome::ok());
  ASSERT_EQ(k.write(p1, b + 1, 2), Outcome::ok());
  EXPECT_LT(s.mem.nr_free, initial_free);
  ASSERT_EQ(k.exit(p0), Outcome::ok());
  EXPECT_FALSE(k.task_live(p0));
  EXPECT_EQ(rd(p1, b), 1u);  // the shmem page lives on in the child
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, initial_free);
}

}  // namespace
}  // namespace mmsim
