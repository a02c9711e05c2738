// cow-gup.md §6 "Operation × policy transition summary", rows 1-13, run under
// every profile: A = linux-5.7 (mapcount), A' = linux-5.8 (mapcount +
// should_force_cow_break), B = linux-5.9/5.11 (refcount), B18 = linux-5.18,
// C = linux-6.18 (PG_anon_exclusive). Rows whose outcome differs per policy
// take their expected values from the INSTANTIATE table below each test.
#include "policy_util.hpp"

namespace mmsim {
namespace {

constexpr uint32_t kWritePin = FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM;
constexpr uint32_t kReadPin = FOLL_PIN | FOLL_LONGTERM;

// Tables shared by several rows -------------------------------------------------

// A page mapped once with extra references (pins, FOLL_GET, pipe buffers) that is exclusive
// (C: PG_anon_exclusive): A/A' reuse (map 1, ref ignored), B/B18 copy (ref != 1), C reuses (PAE).
struct ReuseRow {
  const char* profile;
  bool reuse;
};
const auto kReuseExclusiveWithExtraRefs = ::testing::Values(
    ReuseRow{"linux-5.7", true}, ReuseRow{"linux-5.8", true}, ReuseRow{"linux-5.9", false},
    ReuseRow{"linux-5.11", false}, ReuseRow{"linux-5.18", false}, ReuseRow{"linux-6.18", true});
// A page mapped once, with an extra reference, that was shared earlier (C: not PAE):
// A/A' reuse by mapcount; B/B18 and C (wp_can_reuse_anon_folio: ref 2 > 1) copy.
const auto kReuseNonExclusiveWithExtraRef = ::testing::Values(
    ReuseRow{"linux-5.7", true}, ReuseRow{"linux-5.8", true}, ReuseRow{"linux-5.9", false},
    ReuseRow{"linux-5.11", false}, ReuseRow{"linux-5.18", false}, ReuseRow{"linux-6.18", false});

// Whether the profile tracks PG_anon_exclusive (only C).
struct PaeRow {
  const char* profile;
  bool pae;
};
const auto kPaeTable =
    ::testing::Values(PaeRow{"linux-5.7", false}, PaeRow{"linux-5.8", false}, PaeRow{"linux-5.9", false},
                      PaeRow{"linux-5.11", false}, PaeRow{"linux-5.18", false}, PaeRow{"linux-6.18", true});

// ---------------------------------------------------------------------------------------------
// Row 1: first write to a fresh anon address.

using FirstWriteTest = PolicyTest<PaeRow>;

// do_anonymous_page(): a new page, ref 1 (LRU batch drained), map 1, PTE W+D; C also PAE=1 (§6 #1, §2.1).
TEST_P(FirstWriteTest, DoAnonymousPage_NewPageRef1Map1Writable) {
  const Vpn a = map(1);
  EXPECT_EQ(pfn(p0, a), kNoPfn);
  wr(p0, a, 0x11);
  const Pfn x = pfn(p0, a);
  ASSERT_NE(x, kNoPfn);
  ASSERT_NE(x, kZeroPfn);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pte(p0, a).dirty());
  EXPECT_EQ(pae(x), row().pae);
  EXPECT_TRUE(folio(x).test(FOLIO_ANON));
  EXPECT_TRUE(k.pagemap(p0, a).exclusive);
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(rd(p0, a), 0x11u);
}

// do_anonymous_page() read then do_wp_page() on the zero page: always a copy, never a reuse (§2.4, §5.2).
TEST_P(FirstWriteTest, DoWpPage_ZeroPageAlwaysCopied) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 0x12);
  const Pfn x = pfn(p0, a);
  EXPECT_NE(x, kZeroPfn);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pae(x), row().pae);
  EXPECT_TRUE(pte(p0, a).write());
}

INSTANTIATE_TEST_SUITE_P(Profiles, FirstWriteTest, kPaeTable, RowName());

// ---------------------------------------------------------------------------------------------
// Row 2: fork of an unpinned, written page.

using ForkUnpinnedTest = PolicyTest<PaeRow>;

// copy_one_pte() / copy_present_pte(): get_page + dup_rmap, both PTEs wrprotected; C clears PAE (§6 #2, §2.2 #1).
TEST_P(ForkUnpinnedTest, CopyPresentPte_SharesAndWrprotectsBoth) {
  const Vpn a = map(1);
  wr(p0, a, 0x5a);
  const Pfn x = pfn(p0, a);
  EXPECT_EQ(pae(x), row().pae);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p1, a).write());
  EXPECT_FALSE(k.pagemap(p0, a).exclusive);
  EXPECT_FALSE(k.pagemap(p1, a).exclusive);
  EXPECT_EQ(rd(p1, a), 0x5au);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ForkUnpinnedTest, kPaeTable, RowName());

// ---------------------------------------------------------------------------------------------
// Row 3: fork while the parent holds a FOLL_PIN.

struct ForkPinnedRow {
  const char* profile;
  bool child_copy;             // B/B18/C: copy_present_page() for the child
  bool parent_write_coherent;  // does the pin still see the parent's later write?
};
using ForkPinnedTest = PolicyTest<ForkPinnedRow>;

// copy_present_page() (70e806e4e645, 5.9) / folio_try_dup_anon_rmap_pte() -EBUSY (5.19+): a maybe-pinned page is
// copied for the child and the parent keeps it W; A/A' copy_one_pte() shares it and the parent's write loses the
// pin (§6 #3, §3.5, §4.3, §5.4, §7.4).
TEST_P(ForkPinnedTest, CopyPresentPage_PinnedPageCopiedForChildOnlyFrom59) {
  const Vpn a = map(1);
  wr(p0, a, 0x77);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  EXPECT_EQ(ref(x), 1 + kBias);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  const TaskId p1 = fork_of(p0);
  const Pfn y = pfn(p1, a);
  if (row().child_copy) {
    EXPECT_NE(y, x);
    EXPECT_EQ(ref(x), 1 + kBias);
    EXPECT_EQ(mapc(x), 1);
    EXPECT_TRUE(pte(p0, a).write());  // parent untouched
    EXPECT_TRUE(pte(p1, a).write());  // child copy mapped W (maybe_mkwrite)
    EXPECT_EQ(ref(y), 1);
    EXPECT_EQ(mapc(y), 1);
    EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
    EXPECT_EQ(pae(x), ps.cow->tracks_anon_exclusive());
  } else {
    EXPECT_EQ(y, x);
    EXPECT_EQ(ref(x), 2 + kBias);
    EXPECT_EQ(mapc(x), 2);
    EXPECT_FALSE(pte(p0, a).write());
    EXPECT_FALSE(pte(p1, a).write());
  }
  EXPECT_FALSE(mm(p1).test(MMF_HAS_PINNED));  // not inherited
  EXPECT_EQ(rd(p1, a), 0x77u);
  // The parent writes; the device reads through the pin.
  wr(p0, a, 0x88);
  EXPECT_EQ(pfn(p0, a) == x, row().parent_write_coherent);
  EXPECT_EQ(dma_rd(g), row().parent_write_coherent ? 0x88u : 0x77u);
  EXPECT_EQ(rd(p1, a), 0x77u);
  if (!row().parent_write_coherent) {
    // A/A': map 2 => COPY; the pinned page is now the child's alone.
    EXPECT_EQ(pfn(p1, a), x);
    EXPECT_EQ(ref(x), 1 + kBias);
    EXPECT_EQ(mapc(x), 1);
  }
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
}

// folio_maybe_dma_pinned() ignores FOLL_WRITE: a R/O pin is copied for the child the same way (§4.3, §5.4).
TEST_P(ForkPinnedTest, CopyPresentPage_ReadOnlyPinTreatedAsPinned) {
  const Vpn a = map(1);
  wr(p0, a, 0x66);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kReadPin);
  EXPECT_EQ(pfn(p0, a), x);  // W PTE: nothing to unshare or break, in every policy
  EXPECT_EQ(ref(x), 1 + kBias);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a) != x, row().child_copy);
  EXPECT_EQ(pte(p0, a).write(), row().child_copy);
  EXPECT_EQ(ref(x), (row().child_copy ? 1 : 2) + kBias);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), row().child_copy ? 1 : 2);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ForkPinnedTest,
                         ::testing::Values(ForkPinnedRow{"linux-5.7", false, false},
                                           ForkPinnedRow{"linux-5.8", false, false},
                                           ForkPinnedRow{"linux-5.9", true, true},
                                           ForkPinnedRow{"linux-5.11", true, true},
                                           ForkPinnedRow{"linux-5.18", true, true},
                                           ForkPinnedRow{"linux-6.18", true, true}),
                         RowName());

using ForkAnyTest = PolicyTest<ProfileOnly>;

// "COW can break either way" (§7.4): if the child writes first it copies, and the parent then reuses
// (A: map 1; B/C: the child already had its own copy) — the pin stays coherent in every policy.
TEST_P(ForkAnyTest, DoWpPage_ChildWritesFirstPinStaysCoherent) {
  const Vpn a = map(1);
  wr(p0, a, 0x10);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  const TaskId p1 = fork_of(p0);
  wr(p1, a, 0x20);
  EXPECT_NE(pfn(p1, a), x);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(ref(x), 1 + kBias);
  wr(p0, a, 0x30);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(dma_rd(g), 0x30u);
  EXPECT_EQ(rd(p1, a), 0x20u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

// ---------------------------------------------------------------------------------------------
// Row 4: fork with a FOLL_GET reference (O_DIRECT <= 6.4, vmsplice): never detected.

// page_maybe_dma_pinned() cannot see FOLL_GET: fork shares X everywhere (C: PAE:=0); the parent's write copies
// (map 2 / ref 3 / !PAE) and later DMA lands in the child's page — the O_DIRECT + fork hazard (§6 #4, §7.4).
TEST_P(ForkAnyTest, PageMaybeDmaPinned_FollGetSharedAtForkParentLosesDma) {
  const Vpn a = map(1);
  wr(p0, a, 0x10);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_GET | FOLL_WRITE);
  EXPECT_EQ(ref(x), 2);
  EXPECT_FALSE(k.folio_maybe_dma_pinned(x));
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 3);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p1, a).write());
  wr(p0, a, 0x20);
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 1);
  ASSERT_EQ(k.dma_write(g, 0, 0x30), Outcome::ok());
  EXPECT_EQ(rd(p0, a), 0x20u);  // the DMA is lost for the parent
  EXPECT_EQ(rd(p1, a), 0x30u);  // ... and shows up in the child
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

// ---------------------------------------------------------------------------------------------
// Rows 5-6: VM_DONTCOPY / VM_WIPEONFORK (dup_mmap(), identical in all policies, §2.3).

// dup_mmap(): a VM_DONTCOPY VMA is not created in the child; the parent (even pinned) is untouched (§6 #5).
TEST_P(ForkAnyTest, DupMmap_DontForkChildHasNoVmaParentUntouched) {
  const Vpn a = map(1);
  wr(p0, a, 3);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_DONTFORK), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(k.mm_of(p1).vma_at(a), nullptr);
  EXPECT_EQ(k.write(p1, a, 4), Outcome::sig(SIGSEGV));
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1 + kBias);
  EXPECT_EQ(mapc(x), 1);
  wr(p0, a, 5);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(dma_rd(g), 5u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// dup_mmap(): a VM_WIPEONFORK VMA is empty in the child (zeros); the parent keeps its W page (§6 #6).
TEST_P(ForkAnyTest, DupMmap_WipeOnForkChildReadsZerosParentUntouched) {
  const Vpn a = map(1);
  wr(p0, a, 0x42);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.madvise(p0, a, 1, ADV_WIPEONFORK), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), kNoPfn);
  EXPECT_EQ(rd(p1, a), 0u);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(rd(p0, a), 0x42u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ForkAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

// ---------------------------------------------------------------------------------------------
// Row 7: write fault on a R/O-mapped page — reuse or copy.

using WpAnyTest = PolicyTest<ProfileOnly>;

// do_wp_page(): an exclusive page without extra references that lost W at fork (child exited) is reused by
// every rule: A map 1; B ref 1 && map 1; C !PAE but wp_can_reuse_anon_folio() (ref 1) sets PAE (§6 #7, §10 T1).
TEST_P(WpAnyTest, DoWpPage_PreviouslySharedPageWithoutExtraRefsReused) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(pae(x), ps.cow->tracks_anon_exclusive());
}

// do_wp_page(): a page mapped by two processes is copied under every rule (map 2 / ref 2 / !PAE ref 2) (§6 #7).
TEST_P(WpAnyTest, DoWpPage_SharedPageAlwaysCopied) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  wr(p0, a, 2);
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
  EXPECT_EQ(rd(p1, a), 1u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, WpAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

using WpExtraRefTest = PolicyTest<ReuseRow>;

// reuse_swap_page() ignores refs (A) / "page_count(page) != 1 goto copy" (B, 5.18 "> 1 + swapcache") /
// PageAnonExclusive (C): a write pin on an exclusive, R/O-mapped page (§6 #7, §3.1, §4.1, §5.2, §7.3).
TEST_P(WpExtraRefTest, DoWpPage_ExclusivePageWithWritePin) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  wrprotect_via_softdirty(p0, a);
  EXPECT_EQ(ref(x), 1 + kBias);
  EXPECT_EQ(mapc(x), 1);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(dma_rd(g), row().reuse ? 2u : 1u);
  if (!row().reuse) {
    EXPECT_EQ(ref(x), kBias);  // orphaned: only the pin holds it
    EXPECT_EQ(mapc(x), 0);
  }
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  if (!row().reuse) {
    EXPECT_TRUE(is_free(x));
  }
}

// Same with a R/O pin: B and B18 copy (ref 1025), A reuses by mapcount, C reuses the PAE page (§6 #7, #9).
TEST_P(WpExtraRefTest, DoWpPage_ExclusivePageWithReadPin) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kReadPin);
  wrprotect_via_softdirty(p0, a);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(dma_rd(g), row().reuse ? 2u : 1u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// A FOLL_GET reference (O_DIRECT-style) on an exclusive page: B copies on ref 2 (§6 #7, §4.1 "Any extra reference").
TEST_P(WpExtraRefTest, DoWpPage_ExclusivePageWithFollGet) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_GET | FOLL_WRITE);
  wrprotect_via_softdirty(p0, a);
  EXPECT_EQ(ref(x), 2);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(ref(x), row().reuse ? 2 : 1);
  ASSERT_EQ(k.dma_write(g, 0, 3), Outcome::ok());
  EXPECT_EQ(rd(p0, a), row().reuse ? 3u : 2u);  // B: the DMA is lost for the process
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
}

// A pipe buffer (vmsplice, no fork) on an exclusive page: A/C reuse and the pipe sees the new data; B copies (§6 #7).
TEST_P(WpExtraRefTest, DoWpPage_ExclusivePageWithPipeBuffer) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 2);
  wrprotect_via_softdirty(p0, a);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(pipe_rd(p0, pp), row().reuse ? 2u : 1u);
  EXPECT_EQ(ref(pfn(p0, a)), 1);
}

// FOLL_WRITE GUP on an exclusive page already pinned: the write fault of follow_page_pte() follows the same rule;
// under B the second pin gets a copy and the first pin goes stale (§6 #10, §2.6 "a FOLL_WRITE GUP always leaves ...").
TEST_P(WpExtraRefTest, FollowPagePte_WriteGupOnPinnedExclusivePage) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g1 = take(p0, a, 1, kWritePin);
  wrprotect_via_softdirty(p0, a);
  const GupId g2 = take(p0, a, 1, kWritePin);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(ref(x), (row().reuse ? 1 + 2 * kBias : kBias));
  ASSERT_EQ(k.dma_write(g2, 0, 7), Outcome::ok());
  EXPECT_EQ(dma_rd(g1), row().reuse ? 7u : 1u);
  EXPECT_EQ(rd(p0, a), 7u);
  ASSERT_EQ(k.gup_release(g1, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(g2, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, WpExtraRefTest, kReuseExclusiveWithExtraRefs, RowName());

using WpSharedBeforeTest = PolicyTest<ReuseRow>;

// reuse_swap_page() (A/A': map 1 => REUSE although a pipe holds the page) vs refcount (B) and
// wp_can_reuse_anon_folio() (C: !PAE, ref 2 > 1 => COPY): cow.c "vmsplice() before fork(), unmap in parent",
// here with the child exiting (§6 #7, §7.1 mirror image).
TEST_P(WpSharedBeforeTest, DoWpPage_PreviouslySharedPageWithPipeBuffer) {
  const Vpn a = map(1);
  wr(p0, a, 0xaa);
  const Pfn x = pfn(p0, a);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(ref(x), 3);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  wr(p0, a, 0xbb);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(pipe_rd(p0, pp), row().reuse ? 0xbbu : 0xaau);
}

// FOLL_WRITE GUP (do_wp_page via faultin_page) on the same previously-shared, pipe-referenced page (§6 #10).
TEST_P(WpSharedBeforeTest, FollowPagePte_WriteGupOnPreviouslySharedPageWithPipeBuffer) {
  const Vpn a = map(1);
  wr(p0, a, 0xaa);
  const Pfn x = pfn(p0, a);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  const GupId g = take(p0, a, 1, kWritePin);
  EXPECT_TRUE(pte(p0, a).write());
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y == x, row().reuse);
  EXPECT_EQ(ref(y), 1 + kBias + (row().reuse ? 1 : 0));
  ASSERT_EQ(k.dma_write(g, 0, 0xcc), Outcome::ok());
  EXPECT_EQ(pipe_rd(p0, pp), row().reuse ? 0xccu : 0xaau);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, WpSharedBeforeTest, kReuseNonExclusiveWithExtraRef, RowName());

// ---------------------------------------------------------------------------------------------
// Rows 8-9: R/O FOLL_GET / FOLL_PIN on a present, R/O-mapped page.

struct GupReadRow {
  const char* profile;
  bool caller_copies;   // the caller's PTE ends on a new page (A' forced COW break; C unshare)
  int32_t caller_ref;   // refcount of the caller's page after the GUP
  bool caller_pte_w;    // A': the forced write fault maps it W; C's unshare keeps it R/O
};
using GupReadGetSharedTest = PolicyTest<GupReadRow>;
using GupReadPinSharedTest = PolicyTest<GupReadRow>;
using GupReadGetExclusiveTest = PolicyTest<GupReadRow>;

void gup_read_shared(PolicyHarness& h, const GupReadRow& r, uint32_t foll) {
  const Vpn a = h.map(1);
  h.wr(h.p0, a, 0x31);
  const Pfn x = h.pfn(h.p0, a);
  const TaskId p1 = h.fork_of(h.p0);
  const GupId g = h.take(h.p0, a, 1, foll);
  const Pfn y = h.pfn(h.p0, a);
  EXPECT_EQ(y != x, r.caller_copies);
  EXPECT_EQ(h.ref(y), r.caller_ref);
  EXPECT_EQ(h.pte(h.p0, a).write(), r.caller_pte_w);
  EXPECT_EQ(h.pfn(p1, a), x);
  if (r.caller_copies) {
    EXPECT_EQ(h.mapc(y), 1);
    EXPECT_EQ(h.ref(x), 1);
    EXPECT_EQ(h.mapc(x), 1);
    EXPECT_EQ(h.pae(y), h.ps.cow->tracks_anon_exclusive());
  } else {
    EXPECT_EQ(h.mapc(x), 2);
    EXPECT_FALSE(h.pae(x));
  }
  EXPECT_EQ(h.dma_rd(g), 0x31u);
  EXPECT_EQ(h.rd(p1, a), 0x31u);
  ASSERT_EQ(h.k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(h.ref(y), r.caller_copies ? 1 : 2);
}

// follow_page_pte(): A takes a ref on the COW-shared page; A' should_force_cow_break() write-faults first (the
// caller gets a copy, W); B takes a ref; C gup_must_unshare() is false for FOLL_GET (§6 #8, §3.4, §3.7, §4.4, §5.5).
TEST_P(GupReadGetSharedTest, FollowPagePte_ReadOnlyGetOnSharedPage) { gup_read_shared(*this, row(), FOLL_GET); }

INSTANTIATE_TEST_SUITE_P(Profiles, GupReadGetSharedTest,
                         ::testing::Values(GupReadRow{"linux-5.7", false, 3, false},
                                           GupReadRow{"linux-5.8", true, 2, true},
                                           GupReadRow{"linux-5.9", false, 3, false},
                                           GupReadRow{"linux-5.11", false, 3, false},
                                           GupReadRow{"linux-5.18", false, 3, false},
                                           GupReadRow{"linux-6.18", false, 3, false}),
                         RowName());

// follow_page_pte(): R/O FOLL_PIN — A/B pin the shared page (ref 2 + 1024); A' forced COW break (copy, W);
// C gup_must_unshare() => FAULT_FLAG_UNSHARE copy mapped R/O, then pin (§6 #9, §3.7, §4.4, §5.5, §10 T3).
TEST_P(GupReadPinSharedTest, FollowPagePte_ReadOnlyPinOnSharedPage) { gup_read_shared(*this, row(), kReadPin); }

INSTANTIATE_TEST_SUITE_P(Profiles, GupReadPinSharedTest,
                         ::testing::Values(GupReadRow{"linux-5.7", false, 2 + kBias, false},
                                           GupReadRow{"linux-5.8", true, 1 + kBias, true},
                                           GupReadRow{"linux-5.9", false, 2 + kBias, false},
                                           GupReadRow{"linux-5.11", false, 2 + kBias, false},
                                           GupReadRow{"linux-5.18", false, 2 + kBias, false},
                                           GupReadRow{"linux-6.18", true, 1 + kBias, false}),
                         RowName());

// should_force_cow_break() on an exclusive R/O-mapped page (child exited): A' write-faults and reuses (map 1),
// the PTE becomes W; everyone else just takes the reference (FOLL_GET never unshares in C) (§6 #8, §3.7).
TEST_P(GupReadGetExclusiveTest, FollowPagePte_ReadOnlyGetOnPreviouslySharedPage) {
  const Vpn a = map(1);
  wr(p0, a, 0x31);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  const GupId g = take(p0, a, 1, FOLL_GET);
  EXPECT_EQ(pfn(p0, a) != x, row().caller_copies);
  EXPECT_EQ(ref(x), row().caller_ref);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pte(p0, a).write(), row().caller_pte_w);
  EXPECT_FALSE(pae(x));  // FOLL_GET does not unshare, so C does not set PAE
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

INSTANTIATE_TEST_SUITE_P(Profiles, GupReadGetExclusiveTest,
                         ::testing::Values(GupReadRow{"linux-5.7", false, 2, false},
                                           GupReadRow{"linux-5.8", false, 2, true},
                                           GupReadRow{"linux-5.9", false, 2, false},
                                           GupReadRow{"linux-5.11", false, 2, false},
                                           GupReadRow{"linux-5.18", false, 2, false},
                                           GupReadRow{"linux-6.18", false, 2, false}),
                         RowName());

using GupAnyTest = PolicyTest<ProfileOnly>;

// follow_page_pte(): a R/O GUP of a writable PTE needs no fault in any policy (pte_write => grab) (§2.6).
TEST_P(GupAnyTest, FollowPagePte_ReadOnlyGupOnWritablePteJustGrabs) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g1 = take(p0, a, 1, FOLL_GET);
  const GupId g2 = take(p0, a, 1, kReadPin);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 2 + kBias);
  ASSERT_EQ(k.gup_release(g1, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(g2, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
}

// ---------------------------------------------------------------------------------------------
// Row 10: FOLL_WRITE GUP on a R/O-mapped shared page.

// follow_page_pte(): !can_follow_write_pte() => faultin_page(FAULT_FLAG_WRITE) => do_wp_page() copies the shared
// page in every policy; the pin is on the caller's new W page (§6 #10, §2.6).
TEST_P(GupAnyTest, FaultinPage_WriteGupOnSharedPageCopies) {
  const Vpn a = map(1);
  wr(p0, a, 0x40);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const GupId g = take(p0, a, 1, kWritePin);
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(y), 1 + kBias);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  ASSERT_EQ(k.dma_write(g, 0, 0x41), Outcome::ok());
  EXPECT_EQ(rd(p0, a), 0x41u);
  EXPECT_EQ(rd(p1, a), 0x40u);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
  // FOLL_GET|FOLL_WRITE on the child's (now exclusive, R/O) page: reused in every policy.
  const GupId g2 = take(p1, a, 1, FOLL_GET | FOLL_WRITE);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_EQ(ref(x), 2);
  ASSERT_EQ(k.gup_release(g2, false), Outcome::ok());
}

// ---------------------------------------------------------------------------------------------
// Row 11: unpin.

// unpin_user_pages() / gup_put_folio(): -1024 per small-folio pin, -1 per FOLL_GET; PTEs and PAE untouched (§6 #11, §2.6).
TEST_P(GupAnyTest, GupPutFolio_UnpinDropsBiasOnly) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const bool pae0 = pae(x);
  const GupId w = take(p0, a, 1, kWritePin);
  const GupId r = take(p0, a, 1, kReadPin);
  const GupId g = take(p0, a, 1, FOLL_GET);
  EXPECT_EQ(ref(x), 2 + 2 * kBias);
  EXPECT_TRUE(k.folio_maybe_dma_pinned(x));
  ASSERT_EQ(k.gup_release(w, true), Outcome::ok());
  EXPECT_EQ(ref(x), 2 + kBias);
  EXPECT_TRUE(folio(x).test(FOLIO_DIRTY));
  ASSERT_EQ(k.gup_release(r, false), Outcome::ok());
  EXPECT_EQ(ref(x), 2);
  EXPECT_FALSE(k.folio_maybe_dma_pinned(x));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(pae(x), pae0);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));  // never cleared
  EXPECT_EQ(k.gup_release(w, false), Outcome::err(EINVAL));  // double unpin
}

// gup_put_folio(): a pinned page outlives its mapping (ref 1024, map 0); the unpin frees it (§1.2, §6 #11, #17).
TEST_P(GupAnyTest, GupPutFolio_UnpinFreesOrphanedPage) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_EQ(ref(x), kBias);
  EXPECT_EQ(mapc(x), 0);
  EXPECT_FALSE(is_free(x));
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_TRUE(is_free(x));
}

INSTANTIATE_TEST_SUITE_P(Profiles, GupAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

// ---------------------------------------------------------------------------------------------
// Row 12: mprotect(R) then mprotect(RW).

struct MprotectRow {
  const char* profile;
  bool w_at_once;  // MM_CP_TRY_CHANGE_WRITABLE / can_change_pte_writable() for a PAE page (6.x only)
};
const auto kMprotectTable = ::testing::Values(MprotectRow{"linux-5.7", false}, MprotectRow{"linux-5.8", false},
                                              MprotectRow{"linux-5.9", false}, MprotectRow{"linux-5.11", false},
                                              MprotectRow{"linux-5.18", false}, MprotectRow{"linux-6.18", true});
using MprotectTest = PolicyTest<MprotectRow>;

// change_pte_range(): <= 5.19 a private PTE stays R/O after mprotect(RW) until a write fault; 6.x
// can_change_pte_writable() restores W at once for a PAE page (§6 #12, §2.2 #2).
TEST_P(MprotectTest, CanChangePteWritable_ExclusivePageWOnlyUnder618) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(k.write(p0, a, 2), Outcome::sig(SIGSEGV));
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), row().w_at_once);
  wr(p0, a, 2);  // a write fault reuses where W was not restored (map 1, ref 1)
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
}

// can_change_pte_writable(): a page shared with a live child is not PAE: R/O in every profile (§6 #12, §5.7).
TEST_P(MprotectTest, CanChangePteWritable_SharedPageStaysReadOnly) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 2);
  EXPECT_NE(pfn(p0, a), x);
  EXPECT_EQ(rd(p1, a), 1u);
}

// pte_needs_soft_dirty_wp(): after clear_refs(4) (VM_SOFTDIRTY cleared, PTE SD cleared) the upgrade keeps the PTE
// R/O everywhere; once a write fault sets SD again, 6.x may upgrade again (§2.2 #2/#3, §6 #12, §7.3).
TEST_P(MprotectTest, PteNeedsSoftDirtyWp_ClearRefsKeepsUpgradeReadOnly) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_FALSE(k.pagemap(p0, a).soft_dirty);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());  // in every profile, including 6.18
  EXPECT_FALSE(k.pagemap(p0, a).soft_dirty);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);  // the write fault recorded it
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), row().w_at_once);
}

INSTANTIATE_TEST_SUITE_P(Profiles, MprotectTest, kMprotectTable, RowName());

struct MprotectPinnedRow {
  const char* profile;
  bool w_at_once;
  bool coherent;
};
using MprotectPinnedTest = PolicyTest<MprotectPinnedRow>;

// cow.c "R/O-mapping a page registered as iouring fixed buffer" without soft-dirty tracking (§7.3, §6 #12): 6.18
// upgrades the PAE page at once; A's write fault reuses by mapcount; B's copies (ref 1025) and the pin goes stale.
TEST_P(MprotectPinnedTest, ChangePteRange_PinnedPageAfterMprotectRoRw) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), row().w_at_once);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().coherent);
  EXPECT_EQ(dma_rd(g), row().coherent ? 2u : 1u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, MprotectPinnedTest,
                         ::testing::Values(MprotectPinnedRow{"linux-5.7", false, true},
                                           MprotectPinnedRow{"linux-5.8", false, true},
                                           MprotectPinnedRow{"linux-5.9", false, false},
                                           MprotectPinnedRow{"linux-5.11", false, false},
                                           MprotectPinnedRow{"linux-5.18", false, false},
                                           MprotectPinnedRow{"linux-6.18", true, true}),
                         RowName());

// §7.3 exactly: mprotect(R), clear_refs(4), mprotect(RW), memset: A PASS, B FAIL ("Longterm R/W pin is not
// reliable"), C PASS (PAE => REUSE).
using IouringFixedBufferTest = PolicyTest<ReuseRow>;
TEST_P(IouringFixedBufferTest, DoWpPage_RoMappingIouringFixedBufferWithSoftDirty) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());  // PTE not W => not skipped
  ASSERT_EQ(k.mprotect(p0, a, 1, RW), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 0xff);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(dma_rd(g), row().reuse ? 0xffu : 1u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}
INSTANTIATE_TEST_SUITE_P(Profiles, IouringFixedBufferTest, kReuseExclusiveWithExtraRefs, RowName());

// ---------------------------------------------------------------------------------------------
// Row 13: clear_refs(4).

struct ClearRefsRow {
  const char* profile;
  bool wrprotects_pinned;  // <= 5.10.8: yes; 9348b73c2e1b (5.10.9/5.11+): pte_is_pinned() skips it
  bool coherent;           // does the pin see the next CPU write?
};
using ClearRefsPinnedTest = PolicyTest<ClearRefsRow>;

// clear_soft_dirty(): 5.7/5.8/5.9 write-protect a pinned W PTE (A then reuses by mapcount, 5.9 copies: the
// pin loses coherence); 5.11+ skip it via pte_is_pinned(), leaving it W and soft-dirty (§6 #13, §4.5, §7.2a).
TEST_P(ClearRefsPinnedTest, ClearSoftDirty_PteIsPinnedSkipFrom511) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), !row().wrprotects_pinned);
  EXPECT_EQ(k.pagemap(p0, a).soft_dirty, !row().wrprotects_pinned);  // skipped => reported dirty forever
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) == x, row().coherent);
  EXPECT_EQ(dma_rd(g), row().coherent ? 2u : 1u);
  EXPECT_TRUE(pte(p0, a).write());
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// pte_is_pinned() tests page_maybe_dma_pinned(), not the pin's direction: a R/O pin on a W PTE is skipped too.
TEST_P(ClearRefsPinnedTest, ClearSoftDirty_ReadOnlyPinSkippedToo) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const GupId g = take(p0, a, 1, kReadPin);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), !row().wrprotects_pinned);
  wr(p0, a, 2);
  EXPECT_EQ(dma_rd(g), row().coherent ? 2u : 1u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, ClearRefsPinnedTest,
                         ::testing::Values(ClearRefsRow{"linux-5.7", true, true},
                                           ClearRefsRow{"linux-5.8", true, true},
                                           ClearRefsRow{"linux-5.9", true, false},
                                           ClearRefsRow{"linux-5.11", false, true},
                                           ClearRefsRow{"linux-5.18", false, true},
                                           ClearRefsRow{"linux-6.18", false, true}),
                         RowName());

// Andrea's O_DIRECT reproducer (§7.2b): a FOLL_GET|FOLL_WRITE ref is not "maybe pinned", so clear_refs
// write-protects it in every profile; the next write: A reuses, B (all, incl. 5.11+) copies => read lost, C reuses.
using ClearRefsFollGetTest = PolicyTest<ReuseRow>;
TEST_P(ClearRefsFollGetTest, ClearSoftDirty_FollGetNotSkippedOdirectReadLost) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_GET | FOLL_WRITE);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(k.pagemap(p0, a).soft_dirty);
  wr(p0, a, 2);  // "thread1 writes vaddr+512"
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  ASSERT_EQ(k.dma_write(g, 0, 3), Outcome::ok());  // the O_DIRECT read completes into the GUP page
  EXPECT_EQ(rd(p0, a), row().reuse ? 3u : 2u);
  ASSERT_EQ(k.gup_release(g, true), Outcome::ok());
}
INSTANTIATE_TEST_SUITE_P(Profiles, ClearRefsFollGetTest, kReuseExclusiveWithExtraRefs, RowName());

using ClearRefsAnyTest = PolicyTest<ProfileOnly>;

// clear_soft_dirty(): an unpinned W PTE is write-protected and cleaned in every profile; the next write reuses
// it (A map 1, B ref 1, C PAE) and marks it soft-dirty again; VM_SOFTDIRTY is cleared (§6 #13, §2.2 #3, §5.7).
TEST_P(ClearRefsAnyTest, ClearSoftDirty_UnpinnedPageWrprotectedThenReused) {
  const Vpn a = map(2);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(k.pagemap(p0, a).soft_dirty);
  EXPECT_FALSE(k.mm_of(p0).vma_at(a)->test(VM_SOFTDIRTY));
  EXPECT_EQ(pae(x), ps.cow->tracks_anon_exclusive());  // clear_refs does not touch PAE
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);
  EXPECT_EQ(ref(x), 1);
}

// pte_is_pinned() needs page_maybe_dma_pinned() as well as MMF_HAS_PINNED: after the unpin the flag stays set
// (never cleared) but the page is no longer maybe-pinned, so it is write-protected in every profile (§1.2, §2.2 #3).
TEST_P(ClearRefsAnyTest, ClearSoftDirty_NoPinNoSkipEvenAfterEarlierPin) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());  // has_pinned but not maybe-pinned any more
}

INSTANTIATE_TEST_SUITE_P(Profiles, ClearRefsAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

}  // namespace
}  // namespace mmsim

namespace mmsim {
namespace {

// ---------------------------------------------------------------------------------------------
// Row 3 detail: MMF_HAS_PINNED is per mm.

struct HasPinnedRow {
  const char* profile;
  bool pinner_fork_copies;  // the pinning mm's fork copies the maybe-pinned page for its child
};
using HasPinnedPerMmTest = PolicyTest<HasPinnedRow>;

// copy_present_pte(): "src_mm->has_pinned && page_maybe_dma_pinned(page)" (5.9) / folio_needs_cow_for_dma()
// (6.x) look at the *forking* mm's flag: a page pinned through another process's mapping is shared by a fork of a
// process that never pinned; the pinning process's own fork copies it under B/C and shares it under A/A'
// (§1.2 "has_pinned ... never cleared, not inherited", §4.3, §5.4).
TEST_P(HasPinnedPerMmTest, FolioNeedsCowForDma_HasPinnedIsPerMm) {
  const Vpn a = map(1);
  wr(p0, a, 0x50);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const GupId g = take(p1, a, 1, FOLL_PIN | FOLL_LONGTERM);  // R/O pin in P1 (A' breaks COW, C unshares)
  const Pfn pinned = s.gups[g].pfns[0];
  EXPECT_EQ(pinned, pfn(p1, a));
  EXPECT_TRUE(mm(p1).test(MMF_HAS_PINNED));
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  // P0 (never pinned) forks: X is shared with the new child in every profile.
  const TaskId p2 = fork_of(p0);
  EXPECT_EQ(pfn(p2, a), x);
  // P1 (has pinned) forks.
  const TaskId p3 = fork_of(p1);
  EXPECT_EQ(pfn(p3, a) != pinned, row().pinner_fork_copies);
  EXPECT_EQ(rd(p3, a), 0x50u);
  EXPECT_EQ(dma_rd(g), 0x50u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, HasPinnedPerMmTest,
                         ::testing::Values(HasPinnedRow{"linux-5.7", false}, HasPinnedRow{"linux-5.8", false},
                                           HasPinnedRow{"linux-5.9", true}, HasPinnedRow{"linux-5.11", true},
                                           HasPinnedRow{"linux-5.18", true}, HasPinnedRow{"linux-6.18", true}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// MAP_SHARED: not a COW mapping, so none of the COW policies apply.

using SharedMappingTest = PolicyTest<ProfileOnly>;

// pte_is_pinned() requires is_cow_mapping(): clear_refs write-protects a pinned MAP_SHARED PTE in every
// profile, and the write fault goes to wp_page_shared() (reuse, never a copy) — the pin stays coherent (§2.2 #3).
TEST_P(SharedMappingTest, PteIsPinned_SharedMappingNotSkippedButReused) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(dma_rd(g), 2u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

// is_cow_mapping() false: fork shares a pinned shmem page W in both processes under every policy (no early COW,
// no wrprotect), and a R/O pin never breaks COW / unshares (5.8 should_force_cow_break() needs a COW mapping) (§3.7,
// §4.3, §5.5).
TEST_P(SharedMappingTest, IsCowMapping_SharedMappingNeverCopied) {
  const Vpn a = map(1, RW, MAPF_SHARED);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  const TaskId p1 = fork_of(p0);
  if (pfn(p1, a) != kNoPfn) {
    EXPECT_EQ(pfn(p1, a), x);
  }
  wr(p1, a, 2);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(rd(p0, a), 2u);
  EXPECT_EQ(dma_rd(g), 2u);
  const GupId r = take(p1, a, 1, FOLL_PIN | FOLL_LONGTERM);
  EXPECT_EQ(pfn(p1, a), x);
  ASSERT_EQ(k.gup_release(r, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, SharedMappingTest, ::testing::ValuesIn(all_profiles()), RowName());

}  // namespace
}  // namespace mmsim
