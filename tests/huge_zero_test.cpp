// The huge zero page (mm/huge_memory.c): read faults in THP-eligible ranges
// map one special R/O PMD; write/unshare faults per era (knob huge-zero-wp);
// fork, split, zap, GUP and pagemap on it. config thp=always, thp_order=2.
#include "model/huge_memory.hpp"
#include "policy_util.hpp"

namespace mmsim {
namespace {

constexpr Config kThp{.memory = 64, .thp = 2, .thp_order = 2};

class HugeZero : public ::testing::Test, public PolicyHarness {
 protected:
  explicit HugeZero(std::string_view profile = "linux-6.18", Config cfg = kThp) : PolicyHarness(profile, cfg) {}
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
  // An aligned 4-page THP range inside an 8-page mapping.
  Vpn thp_range(TaskId t = kNone) {
    const Vpn v = map(8, RW, 0, t);
    return (v + 3) & ~Vpn(3);
  }
  const std::vector<PteSlot>& pmds(TaskId t) const { return k.mm_of(t).pmds; }
};

TEST_F(HugeZero, ReadFaultMapsOneSpecialReadOnlyPmdWithoutCounters) {
  const Vpn a = thp_range();
  const uint32_t free_before = s.mem.nr_free;
  EXPECT_EQ(rd(p0, a + 1), 0u);
  ASSERT_EQ(pmds(p0).size(), 1u);
  const Pte pmd = pmds(p0)[0].pte;
  EXPECT_EQ(pmds(p0)[0].vpn, a);
  EXPECT_TRUE(detail::is_huge_zero_pmd(pmd));
  EXPECT_TRUE(pmd.has(PTE_SPECIAL));
  EXPECT_FALSE(pmd.write());
  EXPECT_EQ(s.mem.nr_free, free_before);  // nothing allocated
  EXPECT_EQ(k.mm_of(p0).rss.anon, 0);
  EXPECT_TRUE(k.mm_of(p0).pt.populated(a, a + 4).empty());
  for (Vpn i = 0; i < 4; ++i) {
    const PagemapEntry e = k.pagemap(p0, a + i);
    EXPECT_TRUE(e.present);
    EXPECT_EQ(e.pfn, detail::kHugeZeroPfn + i);
    EXPECT_TRUE(e.file);        // pmd_page() is not anon
    EXPECT_FALSE(e.exclusive);  // no mapcount
    EXPECT_EQ(rd(p0, a + i), 0u);
  }
  EXPECT_FALSE(k.mapped_page(p0, a).has_value());  // no folio to probe
}

TEST_F(HugeZero, OutsideAnAlignedEligibleRangeTheSmallZeroPageIsMapped) {
  const Vpn v = map(2);  // too small for a THP
  EXPECT_EQ(rd(p0, v), 0u);
  EXPECT_TRUE(pmds(p0).empty());
  EXPECT_EQ(pfn(p0, v), kZeroPfn);
  EXPECT_FALSE(k.pagemap(p0, v).file);
}

class HugeZeroNoZeroPage : public HugeZero {
 protected:
  HugeZeroNoZeroPage() : HugeZero("linux-6.18", Config{.memory = 64, .thp = 2, .thp_order = 2, .use_zero_page = false}) {}
};

TEST_F(HugeZeroNoZeroPage, ReadFaultAllocatesATHPWhenUseZeroPageIsOff) {
  const Vpn a = thp_range();
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(pmds(p0).size(), 1u);
  const Pfn head = pmds(p0)[0].pte.pfn();
  EXPECT_NE(head, kZeroPfn);
  EXPECT_TRUE(folio(head).large());
  EXPECT_TRUE(pmds(p0)[0].pte.write());  // maybe_pmd_mkwrite(pmd_mkdirty())
  EXPECT_EQ(k.mm_of(p0).rss.anon, 4);
}

// The first write per era: a new THP (<= 5.7, 6.13+) or split + 4K COW (5.8-6.12).
struct WriteRow {
  const char* profile;
  bool thp;
};
class HugeZeroWrite : public ::testing::TestWithParam<WriteRow>, public PolicyHarness {
 protected:
  HugeZeroWrite() : PolicyHarness(GetParam().profile, kThp) {}
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()) << profile_name; }
};

TEST_P(HugeZeroWrite, FirstWriteReplacesTheHugeZeroPmdPerEra) {
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  EXPECT_EQ(rd(p0, a), 0u);
  wr(p0, a + 1, 7);
  EXPECT_EQ(rd(p0, a + 1), 7u);
  EXPECT_EQ(rd(p0, a + 2), 0u);
  const auto& pm = k.mm_of(p0).pmds;
  if (GetParam().thp) {
    ASSERT_EQ(pm.size(), 1u);
    const Pfn head = pm[0].pte.pfn();
    EXPECT_NE(head, kZeroPfn);
    EXPECT_TRUE(pm[0].pte.write());
    EXPECT_EQ(folio(head).nr_pages(), 4u);
    EXPECT_EQ(k.mm_of(p0).rss.anon, 4);
  } else {
    EXPECT_TRUE(pm.empty());
    EXPECT_EQ(pfn(p0, a), kZeroPfn);  // __split_huge_zero_page_pmd()
    EXPECT_EQ(pfn(p0, a + 3), kZeroPfn);
    EXPECT_TRUE(pte(p0, a).has(PTE_SPECIAL));
    EXPECT_NE(pfn(p0, a + 1), kZeroPfn);
    EXPECT_FALSE(folio(pfn(p0, a + 1)).large());
    EXPECT_EQ(k.mm_of(p0).rss.anon, 1);
  }
}

TEST_P(HugeZeroWrite, ForkSharesTheHugeZeroPmdAndAChildWriteLeavesTheParentAlone) {
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  EXPECT_EQ(rd(p0, a), 0u);
  const TaskId c = fork_of(p0);
  ASSERT_EQ(k.mm_of(c).pmds.size(), 1u);
  EXPECT_TRUE(detail::is_huge_zero_pmd(k.mm_of(c).pmds[0].pte));
  EXPECT_FALSE(k.mm_of(c).pmds[0].pte.has(PTE_YOUNG));  // pmd_mkold()
  EXPECT_EQ(k.mm_of(c).rss.anon, 0);
  wr(c, a, 5);
  EXPECT_EQ(rd(c, a), 5u);
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.mm_of(p0).pmds.size(), 1u);
  EXPECT_TRUE(detail::is_huge_zero_pmd(k.mm_of(p0).pmds[0].pte));
}

// A R/O long-term pin (cow.c #20): unshared from 6.2 (a new THP with
// alloc-thp), forced COW in 5.8, the huge zero page itself (stale) otherwise.
TEST_P(HugeZeroWrite, ReadOnlyLongtermPinOnTheHugeZeroPage) {
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  EXPECT_EQ(rd(p0, a), 0u);
  const GupId g = take(p0, a, 4, FOLL_PIN | FOLL_LONGTERM);
  for (Vpn i = 0; i < 4; ++i) wr(p0, a + i, 0xff);
  const std::string p = GetParam().profile;
  const bool coherent = p == "linux-5.8" || p == "linux-6.13" || p == "linux-6.18";
  EXPECT_EQ(dma_rd(g, 0), coherent ? 0xffu : 0u);
  EXPECT_EQ(dma_rd(g, 3), coherent ? 0xffu : 0u);
  EXPECT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, HugeZeroWrite,
                         ::testing::Values(WriteRow{"linux-5.7", true}, WriteRow{"linux-5.8", false},
                                           WriteRow{"linux-5.9", false}, WriteRow{"linux-5.11", false},
                                           WriteRow{"linux-5.18", false}, WriteRow{"linux-5.19", false},
                                           WriteRow{"linux-6.1", false}, WriteRow{"linux-6.13", true},
                                           WriteRow{"linux-6.18", true}),
                         [](const auto& info) { return profile_test_name(info.param.profile); });

TEST_F(HugeZero, NoTHPFreeFallsBackToSplitAndA4KCopy) {
  // 6.13+: do_huge_zero_wp_pmd() returns VM_FAULT_FALLBACK without a THP.
  const Vpn a = thp_range();
  EXPECT_EQ(rd(p0, a), 0u);
  // Use up memory so that no 4 contiguous frames remain, one page at a time.
  const Vpn filler = map(64, RW, 0);
  ASSERT_EQ(k.madvise(p0, filler, 64, ADV_NOHUGEPAGE), Outcome::ok());
  for (Vpn i = 0; i < 64 && s.mem.nr_free > 1; ++i) wr(p0, filler + i, 1);
  wr(p0, a + 2, 9);
  EXPECT_TRUE(pmds(p0).empty());
  EXPECT_EQ(rd(p0, a + 2), 9u);
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
}

TEST_F(HugeZero, PartialMunmapSplitsIntoSmallZeroPtesAndWholeZapDropsIt) {
  const Vpn a = thp_range();
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.munmap(p0, a + 2, 2), Outcome::ok());
  EXPECT_TRUE(pmds(p0).empty());
  EXPECT_EQ(pfn(p0, a), kZeroPfn);
  EXPECT_EQ(pfn(p0, a + 1), kZeroPfn);
  EXPECT_FALSE(k.pagemap(p0, a + 2).present);
  const Vpn b = thp_range();
  EXPECT_EQ(rd(p0, b), 0u);
  ASSERT_EQ(pmds(p0).size(), 1u);
  ASSERT_EQ(k.madvise(p0, b, 4, ADV_DONTNEED), Outcome::ok());
  EXPECT_TRUE(pmds(p0).empty());
  EXPECT_FALSE(k.pagemap(p0, b).present);
}

TEST_F(HugeZero, MprotectKeepsTheHugeZeroPmdReadOnly) {
  const Vpn a = thp_range();
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(k.mprotect(p0, a, 4, RO), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a, 4, RW), Outcome::ok());
  ASSERT_EQ(pmds(p0).size(), 1u);
  EXPECT_FALSE(pmds(p0)[0].pte.write());  // can_change_pmd_writable(): not anon
  wr(p0, a, 3);
  EXPECT_EQ(rd(p0, a), 3u);
}

}  // namespace
}  // namespace mmsim
