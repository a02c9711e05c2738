// Reclaim, swap and MAP_DROPPABLE (src/model/vmscan.cpp, swap.cpp,
// droppable.cpp, mlock.cpp): reclaim order, the life of a swap entry, swap-in
// per era, lazyfree and droppable discard, the droppable policies, mlock
// limits. Spec: droppable.md §2-§6, cow-gup.md §5.6 and §7.6.
#include "policy_util.hpp"

namespace mmsim {
namespace {

// A harness under one profile (optionally one knob changed) with swap slots.
class Rig : public PolicyHarness {
 public:
  explicit Rig(std::string_view profile = "linux-6.18", Config cfg = Config{.memory = 64, .swap = 16})
      : PolicyHarness(profile, cfg) {}
  Rig(std::string_view profile, std::string_view knob, std::string_view policy, Config cfg = Config{.memory = 64, .swap = 16})
      : PolicyHarness(profile, cfg) {
    auto choices = find_profile(profile)->choices;
    choices[std::string(knob)] = std::string(policy);
    std::string err;
    ps = *make_policy_set(choices, &err);
  }
  ~Rig() { EXPECT_THAT(check_invariants(s, ps), ::testing::IsEmpty()); }
  Pte pte_at(TaskId t, Vpn v) const { return k.mm_of(t).pt.get(v); }
  uint32_t reclaim(uint32_t nr = 0) {
    uint32_t freed = 0;
    EXPECT_EQ(k.reclaim(nr, &freed), Outcome::ok());
    return freed;
  }
  Outcome madv(Vpn v, uint64_t pages, int advice, TaskId t = kNone) {
    return k.madvise(t == kNone ? p0 : t, v, pages, advice);
  }
  uint32_t slots_used() const {
    uint32_t n = 0;
    for (const SwapSlot& sl : s.swap) n += sl.used();
    return n;
  }
};

// --- reclaim order -----------------------------------------------------------

TEST(Reclaim, ColdPagesGoFirstAndYoungOnesGetASecondChance) {
  Rig r;
  const Vpn a = r.map(3);
  for (Vpn i = 0; i < 3; ++i) r.wr(r.p0, a + i, 10 + i);
  // MADV_COLD: a[1] loses its young bit and moves to the inactive list's head.
  ASSERT_EQ(r.madv(a + 1, 1, ADV_COLD), Outcome::ok());
  EXPECT_FALSE(r.pte_at(r.p0, a + 1).has(PTE_YOUNG));
  // One folio: the only unreferenced one is a[1]; the young ones are activated.
  EXPECT_EQ(r.reclaim(1), 1u);
  EXPECT_TRUE(r.pte_at(r.p0, a + 1).is_swap());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
  EXPECT_TRUE(r.pte_at(r.p0, a + 2).is_present());
  EXPECT_TRUE(r.folio(r.pte_at(r.p0, a).pfn()).test(FOLIO_ACTIVE));
  // A full reclaim ages the active list and takes everything.
  EXPECT_EQ(r.reclaim(), 2u);
  EXPECT_TRUE(r.pte_at(r.p0, a).is_swap());
  EXPECT_EQ(r.rd(r.p0, a + 2), 12u);
}

TEST(Reclaim, InactiveListIsScannedFromTheTail) {
  Rig r;
  const Vpn a = r.map(2);
  r.wr(r.p0, a, 1);
  r.wr(r.p0, a + 1, 2);
  // Cold in the order a[1], a[0]: a[1] is older on the inactive list.
  ASSERT_EQ(r.madv(a + 1, 1, ADV_COLD), Outcome::ok());
  ASSERT_EQ(r.madv(a, 1, ADV_COLD), Outcome::ok());
  EXPECT_EQ(r.reclaim(1), 1u);
  EXPECT_TRUE(r.pte_at(r.p0, a + 1).is_swap());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
}

TEST(Reclaim, WithoutSwapAnonymousMemoryStays) {
  Rig r("linux-6.18", Config{.memory = 64, .swap = 0});
  const Vpn a = r.map(2);
  r.wr(r.p0, a, 1);
  EXPECT_EQ(r.reclaim(), 0u);
  ASSERT_EQ(r.madv(a, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
  EXPECT_EQ(r.rd(r.p0, a), 1u);
}

TEST(Reclaim, MlockedAndSharedFoliosAreNotPagedOut) {
  Rig r;
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 1);
  const TaskId c = r.fork_of(r.p0);
  // MADV_PAGEOUT leaves folios other processes map alone.
  ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
  ASSERT_EQ(r.k.exit(c), Outcome::ok());
  ASSERT_EQ(r.k.mlock(r.p0, a, 1), Outcome::ok());
  EXPECT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::err(EINVAL));  // can_madv_lru_vma()
  EXPECT_EQ(r.reclaim(), 0u);
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
}

TEST(Reclaim, MemoryPressureReclaimsBeforeOom) {
  Rig r("linux-6.18", Config{.memory = 4, .swap = 8});
  const Vpn a = r.map(6);
  for (Vpn i = 0; i < 6; ++i) r.wr(r.p0, a + i, 100 + i);  // 6 pages in 4 frames: direct reclaim swaps
  EXPECT_GT(r.slots_used(), 0u);
  for (Vpn i = 0; i < 6; ++i) EXPECT_EQ(r.rd(r.p0, a + i), 100 + i);
  // Nothing reclaimable (no swap left for 10 more pages): OOM.
  const Vpn b = r.map(16);
  Outcome last = Outcome::ok();
  for (Vpn i = 0; i < 16 && last; ++i) last = r.k.write(r.p0, b + i, 1);
  EXPECT_EQ(last, Outcome::oom());
}

TEST(Reclaim, ThpIsSplitBeforeSwapOutAndPartialPageoutSplitsFirst) {
  Rig r("linux-6.18", Config{.memory = 64, .thp = 2, .thp_order = 2, .swap = 16});
  const Vpn a = r.map(8);
  r.wr(r.p0, a, 1);
  r.wr(r.p0, a + 4, 2);
  ASSERT_FALSE(r.k.mm_of(r.p0).pmds.empty());
  // The whole THP: split (CONFIG_THP_SWAP=n), every subpage swapped.
  ASSERT_EQ(r.madv(a + 4, 4, ADV_PAGEOUT), Outcome::ok());
  for (Vpn i = 4; i < 8; ++i) EXPECT_TRUE(r.pte_at(r.p0, a + i).is_swap());
  EXPECT_EQ(r.rd(r.p0, a + 4), 2u);
  // Half of a PTE-mapped THP: split first, only the range goes.
  ASSERT_EQ(r.k.mprotect(r.p0, a, 1, RO), Outcome::ok());  // splits the PMD
  ASSERT_EQ(r.madv(a + 2, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
  EXPECT_TRUE(r.pte_at(r.p0, a + 2).is_swap());
  EXPECT_FALSE(r.folio(r.pfn(r.p0, a)).large());
  // A pinned THP cannot be split: it stays.
  const Vpn b = r.map(8);
  r.wr(r.p0, b + 4, 3);
  const GupId g = r.take(r.p0, b + 4, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  ASSERT_EQ(r.madv(b + 4, 4, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.k.mm_of(r.p0).vma_at(b + 4) && !r.pte_at(r.p0, b + 5).is_swap());
  ASSERT_EQ(r.k.gup_release(g, false), Outcome::ok());
}

// --- the life of a swap entry ---------------------------------------------------

TEST(Swap, EntryIsSharedByForkAndFreedWithItsLastPte) {
  Rig r;
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 7);
  ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
  const Pte sw = r.pte_at(r.p0, a);
  ASSERT_TRUE(sw.is_swap());
  EXPECT_TRUE(sw.has(PTE_SWP_EXCLUSIVE));  // the page was PG_anon_exclusive
  EXPECT_EQ(r.k.mm_of(r.p0).rss.swapents, 1);
  EXPECT_EQ(r.k.mm_of(r.p0).rss.anon, 0);
  const uint32_t slot = uint32_t(sw.val);
  EXPECT_EQ(r.k.swap_count(slot), 1u);
  EXPECT_EQ(r.s.swap[slot].data, 7u);
  const TaskId c = r.fork_of(r.p0);
  EXPECT_EQ(r.k.swap_count(slot), 2u);
  EXPECT_FALSE(r.pte_at(r.p0, a).has(PTE_SWP_EXCLUSIVE));  // copy_nonpresent_pte() clears it
  EXPECT_FALSE(r.pte_at(c, a).has(PTE_SWP_EXCLUSIVE));
  ASSERT_EQ(r.k.munmap(c, a, 1), Outcome::ok());
  EXPECT_EQ(r.k.swap_count(slot), 1u);
  // Swap-in: the folio stays in the swap cache while the slot is in use.
  EXPECT_EQ(r.rd(r.p0, a), 7u);
  const Pfn p = r.pfn(r.p0, a);
  EXPECT_EQ(r.k.swap_count(slot), 0u);
  EXPECT_TRUE(r.folio(p).test(FOLIO_SWAPCACHE));
  // Not exclusive any more (shared at fork): mapped R/O, not PAE; the write reuses it.
  EXPECT_FALSE(r.pte_at(r.p0, a).write());
  r.wr(r.p0, a, 8);
  EXPECT_EQ(r.pfn(r.p0, a), p);
  EXPECT_FALSE(r.folio(p).test(FOLIO_SWAPCACHE));
  EXPECT_EQ(r.slots_used(), 0u);
}

TEST(Swap, MunmapOfASwapPteFreesTheSlot) {
  Rig r;
  const Vpn a = r.map(2);
  r.wr(r.p0, a, 1);
  r.wr(r.p0, a + 1, 2);
  ASSERT_EQ(r.madv(a, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_EQ(r.slots_used(), 2u);
  ASSERT_EQ(r.k.munmap(r.p0, a, 2), Outcome::ok());
  EXPECT_EQ(r.slots_used(), 0u);
  EXPECT_EQ(r.k.mm_of(r.p0).rss.swapents, 0);
  EXPECT_EQ(r.s.mem.nr_free, 64u);
}

TEST(Swap, FullDeviceKeepsTheRest) {
  Rig r("linux-6.18", Config{.memory = 64, .swap = 1});
  const Vpn a = r.map(2);
  r.wr(r.p0, a, 1);
  r.wr(r.p0, a + 1, 2);
  ASSERT_EQ(r.madv(a, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_swap());
  EXPECT_TRUE(r.pte_at(r.p0, a + 1).is_present());  // add_to_swap() failed: activated
}

// Read swap-in of an exclusive page: 5.19/6.1 map it R/O (PAE), 6.13+ writable.
struct SwapinRow {
  const char* profile;
  bool writable_after_read;
  bool pae;
};
class SwapinPerEra : public ::testing::TestWithParam<SwapinRow> {};
TEST_P(SwapinPerEra, ReadFaultOnAnExclusiveSwapEntry) {
  Rig r(GetParam().profile);
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 5);
  ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
  EXPECT_EQ(r.rd(r.p0, a), 5u);
  EXPECT_EQ(r.pte_at(r.p0, a).write(), GetParam().writable_after_read);
  EXPECT_EQ(r.pae(r.pfn(r.p0, a)), GetParam().pae);
  const Pfn p = r.pfn(r.p0, a);
  r.wr(r.p0, a, 6);  // every era reuses an unshared page eventually
  EXPECT_EQ(r.pfn(r.p0, a), p);
}
INSTANTIATE_TEST_SUITE_P(Eras, SwapinPerEra,
                         ::testing::Values(SwapinRow{"linux-5.7", false, false}, SwapinRow{"linux-5.18", false, false},
                                           SwapinRow{"linux-6.1", false, true}, SwapinRow{"linux-6.13", true, true},
                                           SwapinRow{"linux-6.18", true, true}),
                         [](const auto& i) { return profile_test_name(i.param.profile); });

// cow-gup.md §7.6b: read swap-in, then write. 5.9-5.17 copy (the swap cache's
// reference) and leave an orphaned swap-cache page; the others reuse.
struct ReadThenWriteRow {
  const char* profile;
  bool copies;
};
class ReadSwapinThenWrite : public ::testing::TestWithParam<ReadThenWriteRow> {};
TEST_P(ReadSwapinThenWrite, CopiesOnlyInTheRefcountEra) {
  Rig r(GetParam().profile);
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 5);
  ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
  EXPECT_EQ(r.rd(r.p0, a), 5u);
  const Pfn p = r.pfn(r.p0, a);
  r.wr(r.p0, a, 6);
  EXPECT_EQ(r.pfn(r.p0, a) != p, GetParam().copies);
  if (GetParam().copies) {
    EXPECT_TRUE(r.folio(p).test(FOLIO_SWAPCACHE));  // orphaned in the swap cache
    EXPECT_EQ(r.mapc(p), 0);
    EXPECT_GE(r.reclaim(), 1u);  // only reclaim frees it
    EXPECT_TRUE(r.is_free(p));
    EXPECT_EQ(r.rd(r.p0, a), 6u);
  }
}
INSTANTIATE_TEST_SUITE_P(Eras, ReadSwapinThenWrite,
                         ::testing::Values(ReadThenWriteRow{"linux-5.7", false}, ReadThenWriteRow{"linux-5.8", false},
                                           ReadThenWriteRow{"linux-5.9", true}, ReadThenWriteRow{"linux-5.11", true},
                                           ReadThenWriteRow{"linux-5.18", false}, ReadThenWriteRow{"linux-6.18", false}),
                         [](const auto& i) { return profile_test_name(i.param.profile); });

// --- pins and reclaim ------------------------------------------------------------------

TEST(Reclaim, PinnedPageIsKeptSince511AndSwappedIn59) {
  for (auto [profile, kept] : {std::pair{"linux-5.9", false}, {"linux-5.11", true}, {"linux-6.18", true}}) {
    SCOPED_TRACE(profile);
    Rig r(profile);
    const Vpn a = r.map(1);
    r.wr(r.p0, a, 1);
    const GupId g = r.take(r.p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
    ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
    EXPECT_EQ(r.pte_at(r.p0, a).is_present(), kept);
    ASSERT_EQ(r.k.gup_release(g, false), Outcome::ok());
  }
}

TEST(Reclaim, GupGetDoesNotBlockUnmappingTheFolioStaysInTheSwapCache) {
  Rig r;
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 1);
  const Pfn p = r.pfn(r.p0, a);
  const GupId g = r.take(r.p0, a, 1, FOLL_GET | FOLL_WRITE);  // O_DIRECT in flight
  ASSERT_EQ(r.madv(a, 1, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, a).is_swap());
  EXPECT_TRUE(r.pte_at(r.p0, a).has(PTE_SWP_EXCLUSIVE));
  EXPECT_TRUE(r.folio(p).test(FOLIO_SWAPCACHE));  // the GET reference keeps it
  // 6.18: the exclusive swap entry makes the swap-in reuse the same page (§7.6c).
  EXPECT_EQ(r.rd(r.p0, a), 1u);
  EXPECT_EQ(r.pfn(r.p0, a), p);
  ASSERT_EQ(r.k.dma_write(g, 0, 9), Outcome::ok());
  EXPECT_EQ(r.rd(r.p0, a), 9u);
  ASSERT_EQ(r.k.gup_release(g, true), Outcome::ok());
}

// --- MADV_FREE ------------------------------------------------------------------------

TEST(Lazyfree, CleanPagesAreDroppedRedirtiedOnesBecomeSwapBackedAgain) {
  Rig r("linux-6.18", Config{.memory = 64, .swap = 0});
  const Vpn a = r.map(2);
  r.wr(r.p0, a, 1);
  r.wr(r.p0, a + 1, 2);
  ASSERT_EQ(r.madv(a, 2, ADV_FREE), Outcome::ok());
  EXPECT_TRUE(r.k.folio_lazyfree(r.pfn(r.p0, a)));
  EXPECT_TRUE(r.folio(r.pfn(r.p0, a)).file_lru());
  r.wr(r.p0, a + 1, 3);  // re-dirtied
  const Pfn kept = r.pfn(r.p0, a + 1);
  ASSERT_EQ(r.madv(a, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_FALSE(r.pte_at(r.p0, a).is_present());  // dropped: reads zero
  EXPECT_EQ(r.rd(r.p0, a), 0u);
  EXPECT_EQ(r.pfn(r.p0, a + 1), kept);
  EXPECT_EQ(r.rd(r.p0, a + 1), 3u);
  EXPECT_TRUE(r.folio(kept).test(FOLIO_SWAPBACKED));
}

TEST(Lazyfree, WholeLargeFolioGoesLazyfreePartOfOneIsSplitFirst) {
  Rig r("linux-6.18", Config{.memory = 64, .thp = 2, .thp_order = 2, .swap = 0});
  const Vpn a = r.map(8);
  r.wr(r.p0, a, 1);      // THP at A[0:4]
  r.wr(r.p0, a + 4, 2);  // THP at A[4:8]
  r.wr(r.p0, a + 5, 2);
  ASSERT_EQ(r.madv(a, 4, ADV_FREE), Outcome::ok());  // the whole first THP
  const Pfn whole = r.pfn(r.p0, a);
  EXPECT_TRUE(r.folio(whole).large());
  EXPECT_TRUE(r.k.folio_lazyfree(whole));
  ASSERT_EQ(r.madv(a + 4, 1, ADV_FREE), Outcome::ok());  // one page of the second
  EXPECT_FALSE(r.folio(r.pfn(r.p0, a + 4)).large());
  EXPECT_TRUE(r.k.folio_lazyfree(r.pfn(r.p0, a + 4)));
  EXPECT_FALSE(r.k.folio_lazyfree(r.pfn(r.p0, a + 5)));
  EXPECT_EQ(r.reclaim(), 2u);  // the clean lazyfree THP and the one small page
  EXPECT_EQ(r.rd(r.p0, a + 2), 0u);
  EXPECT_EQ(r.rd(r.p0, a + 4), 0u);
  EXPECT_EQ(r.rd(r.p0, a + 5), 2u);
}

TEST(Lazyfree, SharedAndInvalidMappings) {
  Rig r;
  const Vpn sh = r.map(1, RW, MAPF_SHARED);
  EXPECT_EQ(r.madv(sh, 1, ADV_FREE), Outcome::err(EINVAL));
  const Vpn a = r.map(1);
  r.wr(r.p0, a, 1);
  const TaskId c = r.fork_of(r.p0);
  ASSERT_EQ(r.madv(a, 1, ADV_FREE), Outcome::ok());
  EXPECT_FALSE(r.k.folio_lazyfree(r.pfn(r.p0, a)));  // mapped by two: left alone
  ASSERT_EQ(r.k.exit(c), Outcome::ok());
}

// --- MAP_DROPPABLE ------------------------------------------------------------------------

TEST(Droppable, MmapFlagsAndRefusals) {
  Rig r;
  const Vpn d = r.map(4, RW, MAPF_DROPPABLE);
  const Vma* vma = r.k.mm_of(r.p0).vma_at(d);
  for (uint64_t f : {VM_DROPPABLE, VM_NORESERVE, VM_WIPEONFORK, VM_DONTDUMP}) EXPECT_TRUE(vma->flags & f);
  EXPECT_FALSE(vma->test(VM_ACCOUNT));  // never charged
  Vpn x = 0;
  for (unsigned bad : {MAPF_SHARED, MAPF_LOCKED, MAPF_HUGETLB, MAPF_GROWSDOWN})
    EXPECT_EQ(r.k.mmap(r.p0, 1, RW, MAPF_DROPPABLE | bad, &x), Outcome::err(EINVAL));
  EXPECT_EQ(r.madv(d, 4, ADV_KEEPONFORK), Outcome::err(EINVAL));
  EXPECT_EQ(r.madv(d, 4, ADV_DODUMP), Outcome::err(EINVAL));
  EXPECT_EQ(r.madv(d, 4, ADV_WIPEONFORK), Outcome::ok());
  EXPECT_EQ(r.k.uffd_register_wp(r.p0, d, 4), Outcome::err(EINVAL));
  Rig old("linux-5.7");
  EXPECT_EQ(old.k.mmap(old.p0, 1, RW, MAPF_DROPPABLE, &x), Outcome::err(EINVAL));  // before 6.11
}

TEST(Droppable, DirtyPagesAreDroppedNeverSwappedAndPinsBlockTheDrop) {
  Rig r;
  const Vpn d = r.map(3, RW, MAPF_DROPPABLE);
  for (Vpn i = 0; i < 3; ++i) r.wr(r.p0, d + i, 7);
  const Pfn p0 = r.pfn(r.p0, d);
  EXPECT_TRUE(r.k.folio_lazyfree(p0));
  EXPECT_TRUE(r.pte_at(r.p0, d).dirty());
  const GupId g = r.take(r.p0, d + 1, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  const PipeId pipe = r.k.pipe_create(r.p0);
  ASSERT_EQ(r.k.vmsplice(r.p0, d + 2, 1, pipe), Outcome::ok());
  ASSERT_EQ(r.madv(d, 3, ADV_PAGEOUT), Outcome::ok());
  EXPECT_EQ(r.slots_used(), 0u);
  EXPECT_TRUE(r.pte_at(r.p0, d).none());
  EXPECT_EQ(r.rd(r.p0, d), 0u);
  EXPECT_EQ(r.rd(r.p0, d + 1), 7u);  // pinned: kept
  EXPECT_EQ(r.rd(r.p0, d + 2), 7u);  // the pipe's reference: kept
  Token t = 0;
  ASSERT_EQ(r.k.pipe_read(r.p0, pipe, &t), Outcome::ok());
  ASSERT_EQ(r.k.gup_release(g, true), Outcome::ok());
  EXPECT_EQ(r.reclaim(), 2u);  // now both go (dirty drops are freed but not counted)
  EXPECT_EQ(r.rd(r.p0, d + 1), 0u);
}

TEST(Droppable, ForkChildStartsEmpty) {
  Rig r;
  const Vpn d = r.map(1, RW, MAPF_DROPPABLE);
  r.wr(r.p0, d, 7);
  const TaskId c = r.fork_of(r.p0);
  EXPECT_EQ(r.rd(c, d), 0u);
  EXPECT_EQ(r.rd(r.p0, d), 7u);
}

TEST(Droppable, AllocationFailureRetriesWithoutASignal) {
  Rig r("linux-6.18", Config{.memory = 2, .swap = 0});
  const Vpn a = r.map(2, RW, MAPF_LOCKED);  // both frames, unevictable
  (void)a;
  const Vpn d = r.map(1, RW, MAPF_DROPPABLE);
  EXPECT_EQ(r.k.write(r.p0, d, 1), Outcome::retry());
  const Vpn b = r.map(1);
  EXPECT_EQ(r.k.write(r.p0, b, 1), Outcome::oom());
}

TEST(Droppable, PressureDropsDroppableMemoryBeforeOom) {
  Rig r("linux-6.18", Config{.memory = 4, .swap = 0});
  const Vpn d = r.map(3, RW, MAPF_DROPPABLE);
  for (Vpn i = 0; i < 3; ++i) r.wr(r.p0, d + i, 9);
  const Vpn b = r.map(3);
  for (Vpn i = 0; i < 3; ++i) r.wr(r.p0, b + i, 1);  // direct reclaim drops droppable pages
  int survivors = 0;
  for (Vpn i = 0; i < 3; ++i) survivors += r.pte_at(r.p0, d + i).is_present();
  EXPECT_LT(survivors, 3);
}

TEST(Droppable, SigbusPolicyMarksDroppedPagesUntilDontneedRearms) {
  Rig r("linux-6.18", "droppable", "sigbus");
  const Vpn d = r.map(2, RW, MAPF_DROPPABLE);
  r.wr(r.p0, d, 7);
  EXPECT_EQ(r.rd(r.p0, d + 1), 0u);  // never touched: zero
  ASSERT_EQ(r.madv(d, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_TRUE(r.pte_at(r.p0, d).is_marker(PteMarker::Dropped));
  Token x = 0;
  EXPECT_EQ(r.k.read(r.p0, d, &x), Outcome::sig(SIGBUS));
  EXPECT_EQ(r.k.write(r.p0, d, 1), Outcome::sig(SIGBUS));
  ASSERT_EQ(r.madv(d, 1, ADV_DONTNEED), Outcome::ok());  // re-arm
  EXPECT_EQ(r.rd(r.p0, d), 0u);
}

TEST(Droppable, RefillPolicyNeverShowsZeros) {
  Rig r("linux-6.18", "droppable", "refill");
  const Vpn d = r.map(2, RW, MAPF_DROPPABLE);
  ASSERT_EQ(r.k.set_refill(r.p0, d, 0x77), Outcome::ok());
  EXPECT_EQ(r.rd(r.p0, d), 0x77u);  // first touch is a ->fault too
  r.wr(r.p0, d, 5);
  ASSERT_EQ(r.madv(d, 2, ADV_PAGEOUT), Outcome::ok());
  EXPECT_EQ(r.rd(r.p0, d), 0x77u);
  Rig g("linux-6.18", "droppable", "refill");
  const Vpn e = g.map(2, RW, MAPF_DROPPABLE);  // default callback: a generation counter
  const Token first = g.rd(g.p0, e), second = g.rd(g.p0, e + 1);
  EXPECT_NE(first, second);
  EXPECT_EQ(first, kRefillGeneration + (uint64_t(1) << 32));
}

TEST(Droppable, PinnedPolicyLocksAndChargesTheMapping) {
  Rig r("linux-6.18", "droppable", "pinned");
  const Vpn d = r.map(2, RW, MAPF_DROPPABLE);
  EXPECT_TRUE(r.k.mm_of(r.p0).vma_at(d)->test(VM_LOCKED));
  EXPECT_EQ(r.k.mm_of(r.p0).rss.locked_vm, 2);
  EXPECT_EQ(r.reclaim(), 0u);
  EXPECT_TRUE(r.pte_at(r.p0, d).is_present());  // populated and locked
  ASSERT_EQ(r.k.setrlimit_memlock(r.p0, 3), Outcome::ok());
  Vpn x = 0;
  EXPECT_EQ(r.k.mmap(r.p0, 2, RW, MAPF_DROPPABLE, &x), Outcome::err(EAGAIN));  // mlock_future_ok()
}

// --- mlock limits -----------------------------------------------------------------------

TEST(Mlock, RlimitChecksApplyToDroppableButLockNothing) {
  Rig r;
  const Vpn d = r.map(4, RW, MAPF_DROPPABLE);
  ASSERT_EQ(r.k.setrlimit_memlock(r.p0, 2), Outcome::ok());
  EXPECT_EQ(r.k.mlock(r.p0, d, 4), Outcome::err(ENOMEM));
  EXPECT_EQ(r.k.mlock(r.p0, d, 1), Outcome::ok());
  EXPECT_FALSE(r.k.mm_of(r.p0).vma_at(d)->test(VM_LOCKED));
  EXPECT_EQ(r.k.mm_of(r.p0).rss.locked_vm, 0);
  EXPECT_EQ(r.k.mlockall(r.p0, MCL_CURRENT_), Outcome::err(ENOMEM));  // total_vm 4 > 2
  ASSERT_EQ(r.k.setrlimit_memlock(r.p0, 0), Outcome::ok());
  EXPECT_EQ(r.k.mlock(r.p0, d, 1), Outcome::err(EPERM));
  Vpn x = 0;
  EXPECT_EQ(r.k.mmap(r.p0, 1, RW, MAPF_LOCKED, &x), Outcome::err(EPERM));
}

TEST(Mlock, McFutureLocksNewMappingsAndPrefaultsDroppableOnesWithoutLocking) {
  Rig r;
  ASSERT_EQ(r.k.mlockall(r.p0, MCL_FUTURE_), Outcome::ok());
  const Vpn a = r.map(2);
  EXPECT_TRUE(r.k.mm_of(r.p0).vma_at(a)->test(VM_LOCKED));
  EXPECT_TRUE(r.pte_at(r.p0, a).is_present());
  const Vpn d = r.map(2, RW, MAPF_DROPPABLE);
  EXPECT_FALSE(r.k.mm_of(r.p0).vma_at(d)->test(VM_LOCKED));
  EXPECT_TRUE(r.pte_at(r.p0, d + 1).is_present());  // pre-faulted (write faults: a real page)
  EXPECT_NE(r.pfn(r.p0, d + 1), kZeroPfn);
  // MCL_ONFAULT: private anon is not pre-faulted, droppable still is.
  ASSERT_EQ(r.k.mlockall(r.p0, MCL_FUTURE_ | MCL_ONFAULT_), Outcome::ok());
  const Vpn b = r.map(1), e = r.map(1, RW, MAPF_DROPPABLE);
  EXPECT_TRUE(r.pte_at(r.p0, b).none());
  EXPECT_TRUE(r.pte_at(r.p0, e).is_present());
  // The child does not inherit MCL_FUTURE.
  const TaskId c = r.fork_of(r.p0);
  Vpn f = 0;
  ASSERT_EQ(r.k.mmap(c, 1, RW, 0, &f), Outcome::ok());
  EXPECT_FALSE(r.k.mm_of(c).vma_at(f)->test(VM_LOCKED));
  ASSERT_EQ(r.k.munlockall(r.p0), Outcome::ok());
  EXPECT_EQ(r.k.mm_of(r.p0).rss.locked_vm, 0);
}

// --- the vDSO getrandom consumer ---------------------------------------------------------

TEST(Getrandom, ReseedsAfterADropAndInAForkChild) {
  Rig r;
  const Vpn d = r.map(1, RW, MAPF_DROPPABLE);
  Token a = 0, b = 0, c = 0, x = 0;
  ASSERT_EQ(r.k.vdso_getrandom(r.p0, d, &a), Outcome::ok());
  ASSERT_EQ(r.k.vdso_getrandom(r.p0, d, &b), Outcome::ok());
  EXPECT_EQ(b, a + 1);  // the same key, advanced
  const TaskId child = r.fork_of(r.p0);
  ASSERT_EQ(r.k.vdso_getrandom(child, d, &x), Outcome::ok());
  EXPECT_NE(x, b + 1);  // wiped at fork: a fresh key
  ASSERT_EQ(r.madv(d, 1, ADV_PAGEOUT), Outcome::ok());
  ASSERT_EQ(r.k.vdso_getrandom(r.p0, d, &c), Outcome::ok());
  EXPECT_NE(c, b + 1);  // dropped: reseeded
  EXPECT_NE(c, x);
}

}  // namespace
}  // namespace mmsim
