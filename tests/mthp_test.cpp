// Anonymous multi-size THP (alloc_anon_folio(), 6.8+) and khugepaged: fault
// order selection and fallback, the per-size sysfs modes, COW and reuse of
// mTHP subpages per COW policy, fork, swap-out, and khugepaged's collapse
// and refusals (mm/khugepaged.c hpage_collapse_scan_pmd()).
#include "model/mthp.hpp"
#include "policy_util.hpp"
#include "scenario/config.hpp"

namespace mmsim {
namespace {

Config mthp_config(std::map<std::string, std::string> kv) {
  Config c;
  std::string err;
  if (!config_from_scenario(kv, &c, &err)) throw std::runtime_error(err);
  return c;
}

class Mthp : public PolicyHarness {
 public:
  explicit Mthp(std::string_view profile = "linux-6.18",
                Config cfg = mthp_config({{"memory", "64"}, {"thp_order", "4"}, {"mthp", "2,3"}}))
      : PolicyHarness(profile, cfg) {}
  ~Mthp() { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
  Pfn head(Pfn p) const { return s.mem.head(p); }
  unsigned order_at(TaskId t, Vpn v) const { return folio(pfn(t, v)).order; }
  uint32_t khugepaged() {
    uint32_t n = ~0u;
    EXPECT_EQ(k.khugepaged(0, &n), Outcome::ok());
    return n;
  }
};

// --- config -----------------------------------------------------------------

TEST(MthpConfig, ParsesOrdersAndModes) {
  const Config c = mthp_config({{"mthp", "2,3:madvise,4:inherit,9:never"}});
  EXPECT_EQ(c.mthp_set, (1u << 2) | (1u << 3) | (1u << 4) | (1u << 9));
  EXPECT_EQ(c.mthp_always, 1u << 2);  // a bare order is "always"
  EXPECT_EQ(c.mthp_madvise, 1u << 3);
  EXPECT_EQ(c.mthp_inherit, 1u << 4);
}

TEST(MthpConfig, ValueRoundTrips) {
  const Config c = mthp_config({{"mthp", "2,3:madvise,4:inherit,9:never"}});
  EXPECT_EQ(mthp_config_value(c), "2,3:madvise,4:inherit,9:never");
  const Config d = mthp_config({{"mthp", mthp_config_value(c)}});
  EXPECT_EQ(d, c);
  EXPECT_EQ(mthp_config_value(Config{}), "");
}

TEST(MthpConfig, RejectsBadOrdersModesAndOrdersAbovePmd) {
  for (const char* bad : {"1", "0", "10", "2:sometimes", "x", "2,2", ""}) {
    Config c;
    std::string err;
    EXPECT_FALSE(config_from_scenario({{"mthp", bad}}, &c, &err)) << bad;
    EXPECT_THAT(err, ::testing::HasSubstr("config mthp=")) << bad;
  }
  Config c;
  std::string err;
  EXPECT_FALSE(config_from_scenario({{"mthp", "4"}, {"thp_order", "3"}}, &c, &err));
  EXPECT_THAT(err, ::testing::HasSubstr("above thp_order=3"));
}

// --- fault order selection ------------------------------------------------------

TEST(MthpFault, WriteFaultTakesHighestOrderThatFits) {
  Mthp h;
  const Vpn a = h.map(16);  // 16-aligned (top-down placement)
  h.wr(h.p0, a + 9, 9);
  EXPECT_EQ(h.order_at(h.p0, a + 9), 3u);
  const Pfn p = h.pfn(h.p0, a + 8);
  for (Vpn i = 8; i < 16; ++i) {
    EXPECT_EQ(h.pfn(h.p0, a + i), p + (i - 8)) << i;  // PTE-mapped from birth, naturally ordered
    EXPECT_TRUE(h.pte(h.p0, a + i).write());
    EXPECT_TRUE(h.pae(p + (i - 8)));
    EXPECT_EQ(h.mapc(p + (i - 8)), 1);
  }
  EXPECT_EQ(h.ref(p), 8);
  EXPECT_EQ(h.folio(p).large_mapcount, 8);
  EXPECT_EQ(h.folio(p).entire_mapcount, 0);
  EXPECT_TRUE(h.k.mm_of(h.p0).pmds.empty());
  EXPECT_EQ(h.k.mm_of(h.p0).rss.anon, 8);
  EXPECT_EQ(h.rd(h.p0, a + 9), 9u);
  EXPECT_EQ(h.rd(h.p0, a + 10), 0u);
}

TEST(MthpFault, FallsBackOrderByOrderThenToOrderZero) {
  Mthp h;
  const Vpn a = h.map(16);
  EXPECT_EQ(h.rd(h.p0, a + 1), 0u);  // a zero-page PTE: the ranges around it are not all none
  h.wr(h.p0, a + 5, 5);
  EXPECT_EQ(h.order_at(h.p0, a + 5), 2u);
  EXPECT_EQ(h.pfn(h.p0, a + 3), kNoPfn);
  h.wr(h.p0, a + 2, 2);
  EXPECT_EQ(h.order_at(h.p0, a + 2), 0u);
}

TEST(MthpFault, OrderMustFitTheVma) {
  Mthp h;
  const Vpn a = h.map(6);  // 2-aligned: no aligned 8-page range fits, the top 4 pages are one aligned 4-page range
  ASSERT_EQ(a & 3, 2u);
  h.wr(h.p0, a + 2, 1);
  EXPECT_EQ(h.order_at(h.p0, a + 2), 2u);
  h.wr(h.p0, a, 1);  // its 4-page range starts below the VMA
  EXPECT_EQ(h.order_at(h.p0, a), 0u);
  const Vma& vma = *h.k.mm_of(h.p0).vma_at(a);
  EXPECT_EQ(detail::mthp_fault_order(h.k, h.k.state().tasks[h.p0].mm, vma, a + 1), 0u);
}

TEST(MthpFault, AllocationFailureFallsToTheNextOrder) {
  // 16 frames (pfn 0 is the zero page): one aligned 8-frame block, then one 4-frame block.
  Mthp h("linux-6.18", mthp_config({{"memory", "16"}, {"thp_order", "4"}, {"mthp", "2,3"}}));
  const Vpn a = h.map(16);
  h.wr(h.p0, a, 1);
  EXPECT_EQ(h.order_at(h.p0, a), 3u);
  h.wr(h.p0, a + 8, 1);
  EXPECT_EQ(h.order_at(h.p0, a + 8), 2u);  // no 8-frame block left
  h.wr(h.p0, a + 12, 1);
  EXPECT_EQ(h.order_at(h.p0, a + 12), 0u);  // no 4-frame block left either
}

TEST(MthpFault, SysfsModes) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"thp", "never"}, {"thp_order", "4"},
                                     {"mthp", "2:madvise,3:inherit"}}));
  const Vpn a = h.map(16), b = h.map(16);
  ASSERT_EQ(h.k.madvise(h.p0, b, 16, ADV_HUGEPAGE), Outcome::ok());
  h.wr(h.p0, a, 1);
  h.wr(h.p0, b, 1);
  EXPECT_EQ(h.order_at(h.p0, a), 0u);  // madvise size without VM_HUGEPAGE; inherit with thp=never
  EXPECT_EQ(h.order_at(h.p0, b), 2u);
}

TEST(MthpFault, ProfilesBefore68NeverAllocateMthp) {
  Mthp h("linux-6.1");
  const Vpn a = h.map(16);
  h.wr(h.p0, a, 1);
  EXPECT_EQ(h.order_at(h.p0, a), 0u);
}

TEST(MthpFault, UffdWpArmedVmaFallsBack) {
  Mthp h;
  const Vpn a = h.map(16);
  ASSERT_EQ(h.k.uffd_register_wp(h.p0, a, 16), Outcome::ok());
  h.wr(h.p0, a, 1);
  EXPECT_EQ(h.order_at(h.p0, a), 0u);
}

// --- COW, reuse, fork, split -----------------------------------------------------

struct ReuseRow {
  const char* profile;
  bool reuse;  // a !PAE subpage mapped by this MM only is reused
};

class MthpReuse : public ::testing::TestWithParam<ReuseRow> {};

TEST_P(MthpReuse, PreviouslySharedSubpage) {
  Mthp h(GetParam().profile, mthp_config({{"memory", "64"}, {"mthp", "2"}}));
  const Vpn a = h.map(4);
  h.wr(h.p0, a, 1);
  const TaskId c = h.fork_of(h.p0);
  ASSERT_EQ(h.k.exit(c), Outcome::ok());
  const Pfn before = h.pfn(h.p0, a + 1);
  h.wr(h.p0, a + 1, 2);
  EXPECT_EQ(h.pfn(h.p0, a + 1) == before, GetParam().reuse);
  EXPECT_EQ(h.rd(h.p0, a + 1), 2u);
  EXPECT_EQ(h.rd(h.p0, a + 2), 0u);
}

TEST_P(MthpReuse, SharedSubpageIsAlwaysCopied) {
  Mthp h(GetParam().profile, mthp_config({{"memory", "64"}, {"mthp", "2"}}));
  const Vpn a = h.map(4);
  h.wr(h.p0, a, 1);
  const TaskId c = h.fork_of(h.p0);
  const Pfn shared = h.pfn(h.p0, a);
  h.wr(h.p0, a, 2);  // wp_page_copy(): one 4K page
  EXPECT_NE(h.pfn(h.p0, a), shared);
  EXPECT_FALSE(h.folio(h.pfn(h.p0, a)).large());
  EXPECT_EQ(h.folio(shared).large_mapcount, 7);  // 3 in P0, 4 in the child
  EXPECT_EQ(h.rd(c, a), 1u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, MthpReuse,
                         ::testing::Values(ReuseRow{"linux-6.13", false}, ReuseRow{"linux-6.18", true}),
                         [](const auto& i) { return profile_test_name(i.param.profile); });

TEST(MthpFork, PinnedMthpPaeSubpagesAreCopiedForTheChild) {
  Mthp h;
  const Vpn a = h.map(4 * 4);
  h.wr(h.p0, a, 1);
  ASSERT_EQ(h.order_at(h.p0, a), 3u);
  const Pfn p = h.pfn(h.p0, a);
  h.take(h.p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM);
  const TaskId c = h.fork_of(h.p0);
  for (Vpn i = 0; i < 8; ++i) EXPECT_NE(h.pfn(c, a + i), p + i) << i;  // folio_needs_cow_for_dma()
  EXPECT_TRUE(h.pte(h.p0, a).write());
  EXPECT_EQ(h.folio(p).pincount, 1);
}

TEST(MthpSwap, SplitBeforeSwapOut) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"mthp", "2"}, {"swap", "8"}}));
  const Vpn a = h.map(4);
  h.wr(h.p0, a, 7);
  ASSERT_EQ(h.order_at(h.p0, a), 2u);
  ASSERT_EQ(h.k.madvise(h.p0, a, 4, ADV_PAGEOUT), Outcome::ok());
  for (Vpn i = 0; i < 4; ++i) EXPECT_TRUE(h.pte(h.p0, a + i).is_swap()) << i;
  EXPECT_EQ(h.rd(h.p0, a), 7u);
  EXPECT_EQ(h.order_at(h.p0, a), 0u);  // swapped back in as a small folio
}

TEST(MthpMunmap, PartialUnmapKeepsTheLargeFolio) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"mthp", "2"}}));
  const Vpn a = h.map(4);
  h.wr(h.p0, a, 1);
  const Pfn p = h.pfn(h.p0, a);
  ASSERT_EQ(h.k.munmap(h.p0, a + 1, 3), Outcome::ok());
  EXPECT_TRUE(h.folio(p).large());
  EXPECT_EQ(h.ref(p), 1);
  EXPECT_EQ(h.folio(p).large_mapcount, 1);
  ASSERT_EQ(h.k.munmap(h.p0, a, 1), Outcome::ok());
  EXPECT_TRUE(h.is_free(p));
}

TEST(MthpKsm, MergeSplitsTheMthpFirst) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"mthp", "2"}}));
  const Vpn a = h.map(4), b = h.map(4);
  h.wr(h.p0, a, 7);
  h.wr(h.p0, b, 7);
  ASSERT_EQ(h.order_at(h.p0, a), 2u);
  ASSERT_EQ(h.k.ksm_merge(h.p0, a, 1), Outcome::ok());
  ASSERT_EQ(h.k.ksm_merge(h.p0, b, 1), Outcome::ok());
  EXPECT_EQ(h.pfn(h.p0, a), h.pfn(h.p0, b));  // one KSM page
  EXPECT_FALSE(h.folio(h.pfn(h.p0, a)).large());
  EXPECT_TRUE(h.folio(h.pfn(h.p0, a)).test(FOLIO_KSM));
  EXPECT_FALSE(h.folio(h.pfn(h.p0, a + 1)).large());  // the rest of the split folio: small pages
  EXPECT_FALSE(h.folio(h.pfn(h.p0, a + 1)).test(FOLIO_KSM));
  EXPECT_EQ(h.rd(h.p0, a + 1), 0u);
}

// --- khugepaged --------------------------------------------------------------------

Config khugepaged_config() { return mthp_config({{"memory", "64"}, {"thp_order", "3"}}); }

TEST(Khugepaged, CollapsesSmallPagesIntoExclusiveThp) {
  Mthp h("linux-6.18", khugepaged_config());
  const Vpn a = h.map(8);
  for (Vpn i = 0; i < 8; ++i) h.wr(h.p0, a + i, i + 1);
  EXPECT_EQ(h.khugepaged(), 0u);  // not VM_HUGEPAGE under thp=madvise
  ASSERT_EQ(h.k.madvise(h.p0, a, 8, ADV_HUGEPAGE), Outcome::ok());
  EXPECT_EQ(h.khugepaged(), 1u);
  ASSERT_EQ(h.k.mm_of(h.p0).pmds.size(), 1u);
  const Pfn thp = h.k.mm_of(h.p0).pmds[0].pte.pfn();
  EXPECT_TRUE(h.pae(thp));
  EXPECT_TRUE(h.k.mm_of(h.p0).pmds[0].pte.write());
  for (Vpn i = 0; i < 8; ++i) EXPECT_EQ(h.rd(h.p0, a + i), i + 1);
  EXPECT_EQ(h.khugepaged(), 0u);  // already PMD-mapped
}

TEST(Khugepaged, RefusesPinnedRanges) {
  Mthp h("linux-6.18", khugepaged_config());
  const Vpn a = h.map(8);
  for (Vpn i = 0; i < 8; ++i) h.wr(h.p0, a + i, 1);
  ASSERT_EQ(h.k.madvise(h.p0, a, 8, ADV_HUGEPAGE), Outcome::ok());
  const GupId g = h.take(h.p0, a + 2, 1, FOLL_PIN | FOLL_LONGTERM);
  EXPECT_EQ(h.khugepaged(), 0u);  // is_refcount_suitable()
  ASSERT_EQ(h.k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(h.khugepaged(), 1u);
}

TEST(Khugepaged, MaxPtesSharedAndNone) {
  Mthp h("linux-6.18", khugepaged_config());
  const Vpn a = h.map(8);
  for (Vpn i = 0; i < 8; ++i) h.wr(h.p0, a + i, 1);
  ASSERT_EQ(h.k.madvise(h.p0, a, 8, ADV_HUGEPAGE), Outcome::ok());
  const TaskId c = h.fork_of(h.p0);
  EXPECT_EQ(h.khugepaged(), 0u);  // 8 shared > max_ptes_shared (4); the child's range too
  for (Vpn i = 0; i < 4; ++i) h.wr(h.p0, a + i, 2);
  // P0: 4 shared PTEs (<= 4): collapsed. The child's PTEs are old (fork's
  // pte_mkold()): SCAN_LACK_REFERENCED_PAGE.
  EXPECT_EQ(h.khugepaged(), 1u);
  EXPECT_EQ(h.rd(c, a), 1u);  // a young PTE: now the child's range collapses
  EXPECT_EQ(h.khugepaged(), 1u);
  EXPECT_EQ(h.k.mm_of(c).pmds.size(), 1u);
  EXPECT_EQ(h.rd(h.p0, a), 2u);
  EXPECT_EQ(h.rd(h.p0, a + 7), 1u);

  const Vpn b = h.map(8);
  ASSERT_EQ(h.k.madvise(h.p0, b, 8, ADV_HUGEPAGE), Outcome::ok());
  EXPECT_EQ(h.rd(h.p0, b), 0u);  // the huge zero page (a PMD): nothing to collapse
  const Vpn d = h.map(8);
  h.wr(h.p0, d + 3, 3);  // one page, 7 none PTEs: <= max_ptes_none
  ASSERT_EQ(h.k.madvise(h.p0, d, 8, ADV_HUGEPAGE), Outcome::ok());
  EXPECT_EQ(h.khugepaged(), 1u);
  EXPECT_EQ(h.rd(h.p0, d + 3), 3u);
}

TEST(Khugepaged, DrainsTheLruAddBatchFirst) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"thp_order", "3"}, {"lru_batch", "15"}}));
  const Vpn a = h.map(8);
  for (Vpn i = 0; i < 8; ++i) h.wr(h.p0, a + i, 1);
  ASSERT_TRUE(h.folio(h.pfn(h.p0, a)).test(FOLIO_LRU_BATCH));  // 8 < 15: still batched
  ASSERT_EQ(h.k.madvise(h.p0, a, 8, ADV_HUGEPAGE), Outcome::ok());
  EXPECT_EQ(h.khugepaged(), 1u);  // lru_add_drain_all(), then the refcounts are suitable
}

TEST(Khugepaged, CollapsesPteMappedMthps) {
  Mthp h("linux-6.18", mthp_config({{"memory", "64"}, {"thp_order", "3"}, {"mthp", "2"}}));
  const Vpn a = h.map(8);
  h.wr(h.p0, a, 1);
  h.wr(h.p0, a + 4, 2);
  ASSERT_EQ(h.order_at(h.p0, a), 2u);
  ASSERT_EQ(h.k.madvise(h.p0, a, 8, ADV_HUGEPAGE), Outcome::ok());
  const uint32_t free_before = h.s.mem.nr_free;
  EXPECT_EQ(h.khugepaged(), 1u);
  EXPECT_EQ(h.s.mem.nr_free, free_before);  // 8 frames in, two 4-page folios out
  EXPECT_EQ(h.rd(h.p0, a + 4), 2u);
}

}  // namespace
}  // namespace mmsim
