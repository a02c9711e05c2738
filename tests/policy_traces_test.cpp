// cow-gup.md §10 worked counter traces T1-T3 and §7.1 CVE-2020-29374 (with its
// mirror images) under every profile, with exact refcount / mapcount / PFN
// identity after each step. Expected per-profile values are the tables under
// each test.
#include "policy_util.hpp"

namespace mmsim {
namespace {

constexpr uint32_t kReadPin = FOLL_PIN | FOLL_LONGTERM;

// ---------------------------------------------------------------------------------------------
// T1 — fork, child writes, parent writes (no GUP).

struct T1Row {
  const char* profile;
  bool pae;  // C only
};
using T1Test = PolicyTest<T1Row>;

// §10 T1: A reuse_swap_page count 2 => COPY, then count 1 => REUSE; B ref 2 => COPY, ref1 map1 => REUSE;
// C !PAE ref 2 => COPY (Y PAE1), then !PAE ref 1 => REUSE, PAE := 1.
TEST_P(T1Test, DoWpPage_T1ForkChildWritesParentWrites) {
  const bool c = row().pae;
  const Vpn a = map(1);
  // P writes X: ref1 map1 W (C: PAE1).
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(pae(x), c);
  // fork: ref2 map2, both R/O (C: PAE0).
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(pfn(p1, a), x);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p1, a).write());
  EXPECT_FALSE(pae(x));
  // child writes: COPY, child Y ref1 map1 W (C: PAE1); X ref1 map1.
  wr(p1, a, 2);
  const Pfn y = pfn(p1, a);
  EXPECT_NE(y, x);
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(mapc(y), 1);
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_EQ(pae(y), c);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pte(p0, a).write());
  // parent writes: REUSE, PFN unchanged (C: PAE := 1).
  wr(p0, a, 3);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pae(x), c);
  EXPECT_EQ(rd(p0, a), 3u);
  EXPECT_EQ(rd(p1, a), 2u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, T1Test,
                         ::testing::Values(T1Row{"linux-5.7", false}, T1Row{"linux-5.8", false},
                                           T1Row{"linux-5.9", false}, T1Row{"linux-5.11", false},
                                           T1Row{"linux-5.18", false}, T1Row{"linux-6.18", true}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// T2 — cow.c #11 "R/O GUP pin on R/O-mapped previously-shared page".

struct T2Row {
  const char* profile;
  bool pin_maps_w;      // A': the forced write fault reuses and maps the PTE W
  bool pae_after_pin;   // C: the unshare fault's wp_can_reuse_anon_folio() sets PAE
  bool memset_copies;   // B/B18: ref 1025 != 1 => COPY, the pin stays on the old page
};
using T2Test = PolicyTest<T2Row>;

// §10 T2: after fork + child exit X is ref1 map1 R/O. R/O longterm pin: A ref 1025 (pin ignored by mapcount);
// A' forced write fault => REUSE, W, ref 1025; B ref 1025; C gup_must_unshare => UNSHARE => PAE:=1, R/O, ref 1025.
// memset: A/A'/C REUSE (PASS); B COPY (FAIL, orphaned X ref 1024 map 0). unpin: A/A'/C X ref1 map1; B X freed.
TEST_P(T2Test, GupMustUnshare_T2ReadOnlyPinOnPreviouslySharedPage) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(pte(p0, a).write());
  // R/O longterm pin.
  const GupId g = take(p0, a, 1, kReadPin);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 1 + kBias);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(pte(p0, a).write(), row().pin_maps_w);
  EXPECT_EQ(pae(x), row().pae_after_pin);
  EXPECT_TRUE(mm(p0).test(MMF_HAS_PINNED));
  // P memset.
  wr(p0, a, 0xff);
  const Pfn x3 = pfn(p0, a);
  EXPECT_EQ(x3 != x, row().memset_copies);
  EXPECT_EQ(dma_rd(g), row().memset_copies ? 1u : 0xffu);
  if (row().memset_copies) {
    EXPECT_EQ(ref(x), kBias);
    EXPECT_EQ(mapc(x), 0);
    EXPECT_EQ(ref(x3), 1);
    EXPECT_EQ(mapc(x3), 1);
  } else {
    EXPECT_EQ(ref(x), 1 + kBias);
  }
  // unpin.
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  if (row().memset_copies) {
    EXPECT_TRUE(is_free(x));
    EXPECT_EQ(ref(x3), 1);
  } else {
    EXPECT_EQ(pfn(p0, a), x);
    EXPECT_EQ(ref(x), 1);
    EXPECT_EQ(mapc(x), 1);
    EXPECT_EQ(pae(x), row().pae_after_pin);
  }
  EXPECT_EQ(rd(p0, a), 0xffu);
}

INSTANTIATE_TEST_SUITE_P(Profiles, T2Test,
                         ::testing::Values(T2Row{"linux-5.7", false, false, false},
                                           T2Row{"linux-5.8", true, false, false},
                                           T2Row{"linux-5.9", false, false, true},
                                           T2Row{"linux-5.11", false, false, true},
                                           T2Row{"linux-5.18", false, false, true},
                                           T2Row{"linux-6.18", false, true, false}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// T3 — cow.c #9 "R/O GUP pin on R/O-mapped shared page" (child alive).

struct T3Row {
  const char* profile;
  bool pin_copies;     // A' (forced COW break) and C (unshare): the caller gets Y before the pin
  bool pin_maps_w;     // A' only; C's unshare copy stays R/O
  bool memset_copies;  // A (map 2) and B (ref 1026): the write copies away from the pin => FAIL
};
using T3Test = PolicyTest<T3Row>;

// §10 T3 (and §6 #9): fork => X ref2 map2. R/O pin: A/B pin X (ref 1026); A' write-faults: P gets Y (W), pin on Y
// (ref 1025), X ref1 map1; C unshare: wp_page_copy(unshare) => Y ref1 map1 PAE1 R/O, pin on Y (1025), X ref1 map1.
// memset: A/B COPY (pin stale, X ref 1025 map 1); A' no fault; C Y PAE => REUSE. The child sees old X throughout.
TEST_P(T3Test, GupMustUnshare_T3ReadOnlyPinOnSharedPage) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  EXPECT_FALSE(pae(x));
  const GupId g = take(p0, a, 1, kReadPin);
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y != x, row().pin_copies);
  EXPECT_EQ(pte(p0, a).write(), row().pin_maps_w);
  EXPECT_EQ(pfn(p1, a), x);
  if (row().pin_copies) {
    EXPECT_EQ(ref(y), 1 + kBias);
    EXPECT_EQ(mapc(y), 1);
    EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
    EXPECT_EQ(ref(x), 1);
    EXPECT_EQ(mapc(x), 1);
  } else {
    EXPECT_EQ(ref(x), 2 + kBias);
    EXPECT_EQ(mapc(x), 2);
  }
  EXPECT_EQ(dma_rd(g), 1u);
  // P memset.
  wr(p0, a, 0xff);
  const Pfn z = pfn(p0, a);
  EXPECT_EQ(z != y, row().memset_copies);
  EXPECT_EQ(dma_rd(g), row().memset_copies ? 1u : 0xffu);
  if (row().memset_copies) {
    EXPECT_EQ(ref(z), 1);
    EXPECT_EQ(mapc(z), 1);
    EXPECT_EQ(ref(x), 1 + kBias);  // the child's PTE + the stale pin
    EXPECT_EQ(mapc(x), 1);
  } else {
    EXPECT_EQ(z, y);
    EXPECT_EQ(ref(y), 1 + kBias);
    EXPECT_TRUE(pte(p0, a).write());
  }
  EXPECT_EQ(rd(p1, a), 1u);  // the child still sees the old data
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_EQ(ref(z), 1);
  EXPECT_EQ(mapc(z), 1);
}

INSTANTIATE_TEST_SUITE_P(Profiles, T3Test,
                         ::testing::Values(T3Row{"linux-5.7", false, false, true},
                                           T3Row{"linux-5.8", true, true, false},
                                           T3Row{"linux-5.9", false, false, true},
                                           T3Row{"linux-5.11", false, false, true},
                                           T3Row{"linux-5.18", false, false, true},
                                           T3Row{"linux-6.18", true, false, false}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// §7.1 CVE-2020-29374 — cow.c "vmsplice() + unmap in child".

struct CveRow {
  const char* profile;
  bool leak;                    // the child reads the parent's later write through the pipe
  bool child_copy_at_vmsplice;  // A': should_force_cow_break() gives the child an exclusive copy
};
using Cve202029374Test = PolicyTest<CveRow>;

// §7.1 steps 1-6: A leaks (map 1 => REUSE of the pipe's page); A' the child's vmsplice write-faults into a copy Y
// (ref 1+1), so the parent later reuses X and the pipe holds old Y; B/B18 ref 2 => COPY; C !PAE ref 2 => COPY.
TEST_P(Cve202029374Test, ShouldForceCowBreak_CVE_2020_29374_VmspliceUnmapInChild) {
  const Vpn a = map(1);
  wr(p0, a, 0xaa);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  const PipeId pp = k.pipe_create(p1);
  ASSERT_EQ(k.vmsplice(p1, a, 1, pp), Outcome::ok());
  const Pfn y = pfn(p1, a);
  EXPECT_EQ(y != x, row().child_copy_at_vmsplice);
  if (row().child_copy_at_vmsplice) {
    EXPECT_EQ(ref(y), 2);  // the child's PTE + the pipe buffer
    EXPECT_EQ(mapc(y), 1);
    EXPECT_EQ(ref(x), 1);
    EXPECT_EQ(mapc(x), 1);
  } else {
    EXPECT_EQ(ref(x), 3);
    EXPECT_EQ(mapc(x), 2);
  }
  // K munmaps.
  ASSERT_EQ(k.munmap(p1, a, 1), Outcome::ok());
  if (row().child_copy_at_vmsplice) {
    EXPECT_EQ(ref(y), 1);
    EXPECT_EQ(mapc(y), 0);
    EXPECT_EQ(ref(x), 1);
  } else {
    EXPECT_EQ(ref(x), 2);
    EXPECT_EQ(mapc(x), 1);
  }
  // P writes new data.
  wr(p0, a, 0xbb);
  const bool parent_reused = pfn(p0, a) == x;
  EXPECT_EQ(parent_reused, row().leak || row().child_copy_at_vmsplice);
  // K reads the pipe.
  EXPECT_EQ(pipe_rd(p1, pp), row().leak ? 0xbbu : 0xaau);
  if (!parent_reused) {
    EXPECT_TRUE(is_free(x));  // the pipe held the last reference to the old page
  }
}

INSTANTIATE_TEST_SUITE_P(Profiles, Cve202029374Test,
                         ::testing::Values(CveRow{"linux-5.7", true, false}, CveRow{"linux-5.8", false, true},
                                           CveRow{"linux-5.9", false, false}, CveRow{"linux-5.11", false, false},
                                           CveRow{"linux-5.18", false, false}, CveRow{"linux-6.18", false, false}),
                         RowName());

struct MirrorRow {
  const char* profile;
  bool leak;
};
using VmspliceBeforeForkTest = PolicyTest<MirrorRow>;

// §7.1 mirror: cow.c "vmsplice() before fork(), unmap in parent after fork()": P vmsplices X (exclusive: A' needs no
// copy), fork, P munmaps, K writes: A and A' map 1 => REUSE => LEAK; B/B18 ref 2 => COPY; C !PAE ref 2 => COPY.
TEST_P(VmspliceBeforeForkTest, ReuseSwapPage_VmspliceBeforeForkUnmapInParent) {
  const Vpn a = map(1);
  wr(p0, a, 0xaa);
  const Pfn x = pfn(p0, a);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x);  // W PTE: no forced COW break even in 5.8
  EXPECT_EQ(ref(x), 2);
  const TaskId p1 = fork_of(p0);
  EXPECT_EQ(ref(x), 3);
  EXPECT_EQ(mapc(x), 2);
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 1);
  wr(p1, a, 0xbb);
  EXPECT_EQ(pfn(p1, a) == x, row().leak);
  EXPECT_EQ(pipe_rd(p0, pp), row().leak ? 0xbbu : 0xaau);
}

INSTANTIATE_TEST_SUITE_P(Profiles, VmspliceBeforeForkTest,
                         ::testing::Values(MirrorRow{"linux-5.7", true}, MirrorRow{"linux-5.8", true},
                                           MirrorRow{"linux-5.9", false}, MirrorRow{"linux-5.11", false},
                                           MirrorRow{"linux-5.18", false}, MirrorRow{"linux-6.18", false}),
                         RowName());

using VmspliceInParentTest = PolicyTest<CveRow>;

// §7.1 mirror: cow.c "vmsplice() + unmap in parent after fork()": fork, P vmsplices (A': forced COW gives P a
// private copy), P munmaps, K writes: A LEAK; A'/B/C no leak.
TEST_P(VmspliceInParentTest, ShouldForceCowBreak_VmspliceUnmapInParentAfterFork) {
  const Vpn a = map(1);
  wr(p0, a, 0xaa);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  EXPECT_EQ(pfn(p0, a) != x, row().child_copy_at_vmsplice);  // here: the *caller* (parent) gets the copy
  ASSERT_EQ(k.munmap(p0, a, 1), Outcome::ok());
  wr(p1, a, 0xbb);
  EXPECT_EQ(pipe_rd(p0, pp), row().leak ? 0xbbu : 0xaau);
  EXPECT_EQ(rd(p1, a), 0xbbu);
}

INSTANTIATE_TEST_SUITE_P(Profiles, VmspliceInParentTest,
                         ::testing::Values(CveRow{"linux-5.7", true, false}, CveRow{"linux-5.8", false, true},
                                           CveRow{"linux-5.9", false, false}, CveRow{"linux-5.11", false, false},
                                           CveRow{"linux-5.18", false, false}, CveRow{"linux-6.18", false, false}),
                         RowName());

}  // namespace
}  // namespace mmsim
