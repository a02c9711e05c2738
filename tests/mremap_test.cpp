// mremap(MREMAP_MAYMOVE|MREMAP_FIXED) of the same size across eras (knob
// mremap-move): <= 6.16 the range must lie in one VMA (vma_to_resize() /
// check_prep_vma(): EFAULT); 6.17+ remap_move() (d23cb648e365) moves every VMA
// of the range, keeping the gaps between them, EFAULT for a gap at the start,
// and vma_multi_allowed() refuses a uffd-armed VMA among several.
#include "policy/registry.hpp"
#include "policy_util.hpp"

namespace mmsim {
namespace {

class Mremap : public PolicyHarness {
 public:
  explicit Mremap(std::string_view profile) : PolicyHarness(profile) {}
  ~Mremap() { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
  // A written mapping of `pages` pages; its PFNs in *pfns.
  Vpn filled(uint64_t pages, std::vector<Pfn>* pfns) {
    const Vpn a = map(pages);
    for (uint64_t i = 0; i < pages; ++i) {
      wr(p0, a + i, 0x100 + i);
      pfns->push_back(pfn(p0, a + i));
    }
    return a;
  }
  Outcome move(Vpn from, uint64_t pages, Vpn* to) { return k.mremap(p0, from, pages, to); }
  const Vma* vma(Vpn v) const { return k.mm_of(p0).vma_at(v); }
};

struct MremapOld : ::testing::Test, Mremap {
  MremapOld() : Mremap("linux-6.13") {}
};
struct MremapNew : ::testing::Test, Mremap {
  MremapNew() : Mremap("linux-6.18") {}
};

TEST(MremapProfiles, KnobPerEra) {
  EXPECT_FALSE(policies_of("linux-5.7").mremap_move->multi_vma());
  EXPECT_FALSE(policies_of("linux-6.13").mremap_move->multi_vma());
  EXPECT_TRUE(policies_of("linux-6.18").mremap_move->multi_vma());
}

// <= 6.16: two VMAs (an mprotect split) are EFAULT and nothing moves.
TEST_F(MremapOld, TwoVmas_Efault) {
  std::vector<Pfn> p;
  const Vpn a = filled(4, &p);
  ASSERT_EQ(k.mprotect(p0, a + 2, 2, RO), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 4, &to), Outcome::err(EFAULT));
  for (uint64_t i = 0; i < 4; ++i) EXPECT_EQ(pfn(p0, a + i), p[i]);
  EXPECT_EQ(rd(p0, a + 3), 0x103u);
}

// 6.17+: both VMAs move, each with its pages (same PFNs) and its protection.
TEST_F(MremapNew, TwoVmas_BothMoveWithPagesAndProtection) {
  std::vector<Pfn> p;
  const Vpn a = filled(4, &p);
  ASSERT_EQ(k.mprotect(p0, a + 2, 2, RO), Outcome::ok());
  Vpn to = 0;
  ASSERT_EQ(move(a, 4, &to), Outcome::ok());
  for (uint64_t i = 0; i < 4; ++i) {
    EXPECT_EQ(pfn(p0, to + i), p[i]) << i;
    EXPECT_EQ(vma(a + i), nullptr) << i;
    EXPECT_EQ(rd(p0, to + i), 0x100u + i);
  }
  ASSERT_NE(vma(to), nullptr);
  ASSERT_NE(vma(to + 2), nullptr);
  EXPECT_TRUE(vma(to)->test(VM_WRITE));
  EXPECT_FALSE(vma(to + 2)->test(VM_WRITE));
  EXPECT_EQ(vma(to)->end, to + 2);  // still two VMAs
  EXPECT_EQ(k.write(p0, to + 2, 1), Outcome::sig(SIGSEGV));
}

// 6.17+: a hole between two VMAs stays a hole at the same offset.
TEST_F(MremapNew, HoleBetween_Kept) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a + 1, 1), Outcome::ok());
  Vpn to = 0;
  ASSERT_EQ(move(a, 3, &to), Outcome::ok());
  EXPECT_EQ(pfn(p0, to), p[0]);
  EXPECT_EQ(vma(to + 1), nullptr);
  EXPECT_EQ(pfn(p0, to + 2), p[2]);
  EXPECT_EQ(rd(p0, to + 2), 0x102u);
  EXPECT_EQ(vma(a), nullptr);
  EXPECT_EQ(vma(a + 2), nullptr);
}

// 6.17+: one VMA and a hole after it moves; <= 6.16 it is EFAULT.
TEST_F(MremapNew, TrailingHole_Moves) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a + 2, 1), Outcome::ok());
  Vpn to = 0;
  ASSERT_EQ(move(a, 3, &to), Outcome::ok());
  EXPECT_EQ(pfn(p0, to + 1), p[1]);
  EXPECT_EQ(vma(to + 2), nullptr);
}
TEST_F(MremapOld, TrailingHole_Efault) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a + 2, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
  EXPECT_EQ(pfn(p0, a + 1), p[1]);
}

// --policy mremap-move=single-vma on 6.18 gives the old rule back.
TEST_F(MremapNew, KnobOverride_SingleVmaEfault) {
  ps.mremap_move = &mremap_move_single_vma_policy();
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a + 2, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
}

// Both eras: a range starting in a hole, or with no VMA at all, is EFAULT.
TEST_F(MremapNew, HoleAtStart_Efault) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
  EXPECT_EQ(pfn(p0, a + 1), p[1]);
  ASSERT_EQ(k.munmap(p0, a, 3), Outcome::ok());
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
}
TEST_F(MremapOld, HoleAtStart_Efault) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
}

// vma_multi_allowed(): a uffd-armed VMA after the first fails the call after
// the VMAs before it moved (remap_move() is not atomic).
TEST_F(MremapNew, UffdArmedSecond_EfaultAfterPartialMove) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.uffd_register_wp(p0, a + 2, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
  EXPECT_EQ(vma(a), nullptr);            // the first VMA moved ...
  EXPECT_EQ(pfn(p0, a + 2), p[2]);       // ... the armed one stayed
  size_t moved = 0;
  for (const Vma& v : k.mm_of(p0).vmas)
    if (v.pages() == 2 && !v.test(VM_UFFD_WP)) ++moved;
  EXPECT_EQ(moved, 1u);
}

// d50dabff4d1f: an armed first VMA with anything after it in the range (a
// VMA or only a hole) fails before moving anything; alone it moves.
TEST_F(MremapNew, UffdArmedFirst_EfaultBeforeMovingUnlessAlone) {
  std::vector<Pfn> p;
  const Vpn a = filled(3, &p);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  Vpn to = 0;
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
  for (uint64_t i = 0; i < 3; ++i) EXPECT_EQ(pfn(p0, a + i), p[i]);
  ASSERT_EQ(k.munmap(p0, a + 1, 2), Outcome::ok());
  EXPECT_EQ(move(a, 3, &to), Outcome::err(EFAULT));
  EXPECT_EQ(pfn(p0, a), p[0]);
  ASSERT_EQ(move(a, 1, &to), Outcome::ok());
  EXPECT_EQ(pfn(p0, to), p[0]);
  EXPECT_FALSE(vma(to)->test(VM_UFFD_WP));  // no UFFD_FEATURE_EVENT_REMAP: the registration is dropped
}

// <= 6.16 a single armed VMA moves as any other.
TEST_F(MremapOld, UffdArmedAlone_Moves) {
  std::vector<Pfn> p;
  const Vpn a = filled(2, &p);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 2), Outcome::ok());
  Vpn to = 0;
  ASSERT_EQ(move(a, 2, &to), Outcome::ok());
  EXPECT_EQ(pfn(p0, to + 1), p[1]);
}

}  // namespace
}  // namespace mmsim

namespace mmsim {
namespace {

// mremap_userfaultfd_prep() without UFFD_FEATURE_EVENT_REMAP: the moved VMA
// loses VM_UFFD_WP and its PTEs their uffd-wp bits (found on the 6.18 host:
// scenarios/host/mremap-drops-uffd-wp.mm), in both eras.
TEST(MremapUffd, MoveDropsTheRegistration) {
  for (const char* profile : {"linux-6.13", "linux-6.18"}) {
    Mremap m(profile);
    std::vector<Pfn> p;
    const Vpn a = m.filled(1, &p);
    ASSERT_EQ(m.k.uffd_register_wp(m.p0, a, 1), Outcome::ok()) << profile;
    ASSERT_EQ(m.k.uffd_writeprotect(m.p0, a, 1, true), Outcome::ok()) << profile;
    EXPECT_TRUE(m.k.mm_of(m.p0).pt.get(a).has(PTE_UFFD_WP));
    EXPECT_EQ(m.k.write(m.p0, a, 7), Outcome::userfault()) << profile;
    Vpn b = 0;
    ASSERT_EQ(m.move(a, 1, &b), Outcome::ok()) << profile;
    EXPECT_FALSE(m.vma(b)->test(VM_UFFD_WP)) << profile;
    EXPECT_FALSE(m.k.mm_of(m.p0).pt.get(b).has(PTE_UFFD_WP)) << profile;
    EXPECT_EQ(m.k.write(m.p0, b, 8), Outcome::ok()) << profile;
    EXPECT_EQ(m.pfn(m.p0, b), p[0]) << profile;  // exclusive: reused in place
    EXPECT_EQ(m.k.uffd_writeprotect(m.p0, b, 1, true), Outcome::err(ENOENT)) << profile;
  }
}

}  // namespace
}  // namespace mmsim
