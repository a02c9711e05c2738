// R/O GUP corner cases per policy: the 5.8 forced COW break
// (should_force_cow_break(), 17839856fd58, cow-gup.md §3.7) on R/O VMAs, the
// zero page and unpopulated pages; the 6.2+ R/O long-term unshare of the zero
// page (§5.5); and GUP meeting a uffd-wp PTE (§2.2 #4).
#include "policy_util.hpp"

namespace mmsim {
namespace {

constexpr uint32_t kReadPin = FOLL_PIN | FOLL_LONGTERM;

// ---------------------------------------------------------------------------------------------
// 5.8: a R/O GUP in a COW mapping whose VMA is not writable.

struct RoVmaRow {
  const char* profile;
  bool caller_copies;  // 5.8: the forced write fault breaks COW (the shared page is copied) even without VM_WRITE
};
using GupReadOnlyVmaTest = PolicyTest<RoVmaRow>;

// 5.8 __get_user_pages(): check_vma_flags() runs on the caller's gup_flags *before* "if
// (should_force_cow_break(vma, foll_flags)) foll_flags |= FOLL_WRITE", and 17839856fd58 relaxed
// can_follow_write_pte() to "pte_write(pte) || ((flags & FOLL_COW) && pte_dirty(pte))" (no FOLL_FORCE), so a R/O
// GUP (vmsplice) of a PROT_READ private mapping succeeds: the write fault breaks COW (maybe_mkwrite leaves it R/O,
// dirty), faultin_page() sets FOLL_COW, the retry follows the dirty PTE (§3.7, §2.5). Every profile: OK.
TEST_P(GupReadOnlyVmaTest, ShouldForceCowBreak_VmspliceOfReadOnlyPrivateMappingSucceeds) {
  const Vpn a = map(1);
  wr(p0, a, 0x21);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);  // X shared: ref 2, map 2
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  const PipeId pp = k.pipe_create(p0);
  EXPECT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());  // no VM_WRITE: never mapped W
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y != x, row().caller_copies);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(y), row().caller_copies ? 2 : 3);
  EXPECT_EQ(pipe_rd(p0, pp), 0x21u);
  EXPECT_EQ(rd(p1, a), 0x21u);
}

// Same for a R/O pin of a PROT_READ private mapping (pin_user_pages() without FOLL_WRITE or FOLL_FORCE):
// check_vma_flags() only needs VM_READ; the 5.8 forced write fault must not turn it into -EFAULT (§3.7, §2.6).
TEST_P(GupReadOnlyVmaTest, ShouldForceCowBreak_ReadOnlyPinOfReadOnlyPrivateMappingSucceeds) {
  const Vpn a = map(1);
  wr(p0, a, 0x22);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.mprotect(p0, a, 1, RO), Outcome::ok());
  GupId g = kNone;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN, &g), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(dma_rd(g), 0x22u);
  EXPECT_EQ(rd(p1, a), 0x22u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, GupReadOnlyVmaTest,
                         ::testing::Values(RoVmaRow{"linux-5.7", false}, RoVmaRow{"linux-5.8", true},
                                           RoVmaRow{"linux-5.9", false}, RoVmaRow{"linux-5.11", false},
                                           RoVmaRow{"linux-5.18", false}, RoVmaRow{"linux-6.18", false}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// The zero page and unpopulated pages.

struct ZeroRow {
  const char* profile;
  bool gets_page;  // the caller's PTE ends on a real anon page
  bool pte_w;      // ... mapped W (5.8 forced write fault) or R/O (6.18 unshare)
};
using GupZeroPageTest = PolicyTest<ZeroRow>;

// R/O long-term pin of the shared zero page in a COW mapping: A/B pin "whatever is mapped" (the zero page);
// A' should_force_cow_break() => write fault => wp_page_copy() of the zero page (W); C 6.2+ 84209e87c696
// gup_must_unshare() for non-anon pages with FOLL_LONGTERM => unshare copy mapped R/O (§3.7, §4.4, §5.5).
TEST_P(GupZeroPageTest, GupMustUnshare_ReadOnlyLongtermPinOfZeroPage) {
  const Vpn a = map(1);
  EXPECT_EQ(rd(p0, a), 0u);
  ASSERT_EQ(pfn(p0, a), kZeroPfn);
  const GupId g = take(p0, a, 1, kReadPin);
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y != kZeroPfn, row().gets_page);
  EXPECT_EQ(pte(p0, a).write(), row().pte_w);
  if (row().gets_page) {
    EXPECT_EQ(ref(y), 1 + kBias);
    EXPECT_EQ(mapc(y), 1);
    EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
    wr(p0, a, 5);  // the pin is coherent with later writes
    EXPECT_EQ(pfn(p0, a), y);
    EXPECT_EQ(dma_rd(g), 5u);
  } else {
    EXPECT_EQ(dma_rd(g), 0u);
    wr(p0, a, 5);  // the write replaces the zero page; the pin keeps reading zeros
    EXPECT_EQ(dma_rd(g), 0u);
  }
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, GupZeroPageTest,
                         ::testing::Values(ZeroRow{"linux-5.7", false, false}, ZeroRow{"linux-5.8", true, true},
                                           ZeroRow{"linux-5.9", false, false}, ZeroRow{"linux-5.11", false, false},
                                           ZeroRow{"linux-5.18", false, false}, ZeroRow{"linux-6.18", true, false}),
                         RowName());

using VmspliceUnpopulatedTest = PolicyTest<ZeroRow>;

// vmsplice() of a never-touched page: faultin_page() read fault maps the zero page and the pipe holds no
// reference — except in 5.8, where should_force_cow_break() turned the GUP into a write (a new W page, ref 1 + 1
// pipe). FOLL_GET never unshares in C (§3.7, §5.5).
TEST_P(VmspliceUnpopulatedTest, ShouldForceCowBreak_VmspliceOfUnpopulatedPage) {
  const Vpn a = map(1);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  const Pfn y = pfn(p0, a);
  ASSERT_NE(y, kNoPfn);
  EXPECT_EQ(y != kZeroPfn, row().gets_page);
  EXPECT_EQ(pte(p0, a).write(), row().pte_w);
  if (row().gets_page) {
    EXPECT_EQ(ref(y), 2);
  }
  wr(p0, a, 9);
  // 5.8: X map 1 => the write reuses the page the pipe holds (no fork: same process, expected).
  EXPECT_EQ(pipe_rd(p0, pp), row().gets_page ? 9u : 0u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, VmspliceUnpopulatedTest,
                         ::testing::Values(ZeroRow{"linux-5.7", false, false}, ZeroRow{"linux-5.8", true, true},
                                           ZeroRow{"linux-5.9", false, false}, ZeroRow{"linux-5.11", false, false},
                                           ZeroRow{"linux-5.18", false, false}, ZeroRow{"linux-6.18", false, false}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// GUP meeting a uffd-wp PTE.

struct UffdGupRow {
  const char* profile;
  Outcome ro_pin;       // a R/O pin of a uffd-wp'd, COW-shared page
  bool ro_pin_copies;   // C: the unshare fault (no uffd-wp prologue for unshare) copies and keeps UW
};
using UffdGupTest = PolicyTest<UffdGupRow>;

// do_wp_page(): the uffd-wp prologue runs only for real writes; 5.8's forced COW break is a real write
// (FOLL_WRITE => FAULT_FLAG_WRITE) and goes to the monitor (model: EAGAIN instead of sleeping), while C's
// FAULT_FLAG_UNSHARE skips it: "if !unshare: uffd-wp prologue"; the R/O copy keeps UW (§2.4, §5.2, §2.2 #4).
TEST_P(UffdGupTest, DoWpPage_ReadOnlyPinOfUffdWpSharedPage) {
  const Vpn a = map(1);
  wr(p0, a, 0x44);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, true), Outcome::ok());
  GupId g = kNone;
  EXPECT_EQ(k.gup(p0, p0, a, 1, kReadPin, &g), row().ro_pin);
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y != x, row().ro_pin_copies);
  EXPECT_TRUE(pte(p0, a).has(PTE_UFFD_WP));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_EQ(rd(p1, a), 0x44u);
  if (row().ro_pin.is_ok()) {
    EXPECT_EQ(dma_rd(g), 0x44u);
    EXPECT_EQ(ref(y), (row().ro_pin_copies ? 1 : 2) + kBias);
    ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  } else {
    EXPECT_EQ(ref(x), 2);  // all or nothing
  }
  // A write still goes to the monitor in every profile.
  EXPECT_EQ(k.write(p0, a, 0x45), Outcome::userfault());
}

INSTANTIATE_TEST_SUITE_P(Profiles, UffdGupTest,
                         ::testing::Values(UffdGupRow{"linux-5.7", Outcome::ok(), false},
                                           UffdGupRow{"linux-5.8", Outcome::err(EAGAIN), false},
                                           UffdGupRow{"linux-5.9", Outcome::ok(), false},
                                           UffdGupRow{"linux-5.11", Outcome::ok(), false},
                                           UffdGupRow{"linux-5.18", Outcome::ok(), false},
                                           UffdGupRow{"linux-6.18", Outcome::ok(), true}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// GUP-fast ends in the same state as the slow path (README: `fast` falls back wherever it would fault).

struct FastRow {
  const char* profile;
};
using GupFastTest = PolicyTest<FastRow>;

// gup_fast_pte_range(): R/O fast GUP succeeds on R/O PTEs (A/B), falls back for 5.8 (fast_flags |= FOLL_WRITE)
// and for C's must-unshare case — in every profile the result equals the slow path's (§2.6, §3.4, §3.7, §5.5).
TEST_P(GupFastTest, GupFastPteRange_SameEndStateAsSlowPath) {
  auto run = [&](PolicyHarness& h, uint32_t extra) {
    const Vpn a = h.map(1);
    h.wr(h.p0, a, 3);
    const TaskId c = h.fork_of(h.p0);
    const GupId g = h.take(h.p0, a, 1, kReadPin | extra);
    const Pfn y = h.pfn(h.p0, a);
    std::vector<int64_t> v = {int64_t(y), h.ref(y), h.mapc(y), h.pte(h.p0, a).write(), h.pae(y),
                              int64_t(h.pfn(c, a)), int64_t(h.dma_rd(g))};
    EXPECT_EQ(h.k.gup_release(g, false), Outcome::ok());
    EXPECT_THAT(h.invariants(), ::testing::IsEmpty());
    return v;
  };
  PolicyHarness slow(row().profile), fast(row().profile);
  EXPECT_EQ(run(slow, 0), run(fast, FOLL_FAST));
  const Vpn a = map(1);  // keep the fixture's own state non-trivial for TearDown
  wr(p0, a, 1);
}

INSTANTIATE_TEST_SUITE_P(Profiles, GupFastTest,
                         ::testing::Values(FastRow{"linux-5.7"}, FastRow{"linux-5.8"}, FastRow{"linux-5.9"},
                                           FastRow{"linux-5.11"}, FastRow{"linux-5.18"}, FastRow{"linux-6.18"}),
                         RowName());

}  // namespace
}  // namespace mmsim
