// userfaultfd-wp (§2.2 #4, §7.5), KSM (§2.2 #5, §3.1, §4.1, §5.7) and
// process_vm_readv/writev (§9.3, §5.5) under every profile.
#include "policy_util.hpp"

namespace mmsim {
namespace {

constexpr uint32_t kWritePin = FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM;
constexpr uint32_t kReadPin = FOLL_PIN | FOLL_LONGTERM;

// ---------------------------------------------------------------------------------------------
// userfaultfd write-protect.

struct UffdPinnedRow {
  const char* profile;
  bool resolve_maps_w;  // 6.x mwriteprotect_range() + MM_CP_TRY_CHANGE_WRITABLE for a PAE page
  bool write_copies;    // B/B18: the retried write sees ref 1025 => COPY, the pin goes stale
};
using UffdWpPinnedTest = PolicyTest<UffdPinnedRow>;

// §7.5: pin X R/W, UFFDIO_WRITEPROTECT => R/O + UW; the write goes to the monitor (USERFAULT); resolve
// (mode 0): B clears UW only and the retried write copies (ref 1025) => pin stale; A map 1 => REUSE;
// C PAE => REUSE (6.x: W already at resolve time).
TEST_P(UffdWpPinnedTest, HandleUserfault_UffdWpOnPinnedPageResolve) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, true), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_TRUE(pte(p0, a).has(PTE_UFFD_WP));
  EXPECT_TRUE(k.pagemap(p0, a).uffd_wp);
  // The write is handed to the monitor; nothing changes.
  EXPECT_EQ(k.write(p0, a, 2), Outcome::userfault());
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(rd(p0, a), 1u);
  EXPECT_EQ(ref(x), 1 + kBias);
  // The monitor resolves.
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, false), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).has(PTE_UFFD_WP));
  EXPECT_EQ(pte(p0, a).write(), row().resolve_maps_w);
  // The retried write.
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a) != x, row().write_copies);
  EXPECT_EQ(dma_rd(g), row().write_copies ? 1u : 2u);
  if (row().write_copies) {
    EXPECT_EQ(ref(x), kBias);
    EXPECT_EQ(mapc(x), 0);
  }
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, UffdWpPinnedTest,
                         ::testing::Values(UffdPinnedRow{"linux-5.7", false, false},
                                           UffdPinnedRow{"linux-5.8", false, false},
                                           UffdPinnedRow{"linux-5.9", false, true},
                                           UffdPinnedRow{"linux-5.11", false, true},
                                           UffdPinnedRow{"linux-5.18", false, true},
                                           UffdPinnedRow{"linux-6.18", true, false}),
                         RowName());

struct ResolveRow {
  const char* profile;
  bool resolve_maps_w;
};
using UffdWpTest = PolicyTest<ResolveRow>;

// change_pte_range(MM_CP_UFFD_WP_RESOLVE): <= 5.19 "Leave the write bit to be handled by PF interrupt handler";
// 6.x may map a PAE page W at once; an unpinned exclusive page is reused by every rule afterwards (§2.2 #4, §5.7).
TEST_P(UffdWpTest, MwriteprotectRange_ResolveUnpinnedExclusivePage) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, true), Outcome::ok());
  EXPECT_EQ(k.write(p0, a, 2), Outcome::userfault());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, false), Outcome::ok());
  EXPECT_EQ(pte(p0, a).write(), row().resolve_maps_w);
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(rd(p0, a), 2u);
}

// pte_needs_soft_dirty_wp(): with soft-dirty tracking on (clear_refs before), the resolve keeps the PTE R/O in
// every profile (§2.2 #2, #4).
TEST_P(UffdWpTest, MwriteprotectRange_SoftDirtyTrackingKeepsResolveReadOnly) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.clear_refs(p0), Outcome::ok());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, true), Outcome::ok());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, false), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 2);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);
}

// do_wp_page(): a page shared with a child is never made W by the resolve (not PAE) and is copied on the write.
TEST_P(UffdWpTest, MwriteprotectRange_SharedPageStaysReadOnlyThenCopied) {
  const Vpn a = map(1);
  wr(p0, a, 1);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.uffd_register_wp(p0, a, 1), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, true), Outcome::ok());
  ASSERT_EQ(k.uffd_writeprotect(p0, a, 1, false), Outcome::ok());
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 2);
  EXPECT_NE(pfn(p0, a), x);
  EXPECT_EQ(rd(p1, a), 1u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, UffdWpTest,
                         ::testing::Values(ResolveRow{"linux-5.7", false}, ResolveRow{"linux-5.8", false},
                                           ResolveRow{"linux-5.9", false}, ResolveRow{"linux-5.11", false},
                                           ResolveRow{"linux-5.18", false}, ResolveRow{"linux-6.18", true}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// KSM.

using KsmAnyTest = PolicyTest<ProfileOnly>;

// write_protect_page(): "Check that no O_DIRECT or similar I/O is in progress" (mapcount + 1 + swapcache ==
// refcount, already in v5.4) refuses a pinned page in every policy; C's folio_try_share_anon_rmap_pte() would
// refuse it too. The page stays W, not KSM; after the unpin the merge succeeds (§5.7, §2.2 #5).
TEST_P(KsmAnyTest, WriteProtectPage_PinnedPageNotMerged) {
  const Vpn a = map(1);
  wr(p0, a, 0x5);
  const Pfn x = pfn(p0, a);
  const GupId g = take(p0, a, 1, kWritePin);
  EXPECT_EQ(k.ksm_merge(p0, a, 1), Outcome::err(EBUSY));
  EXPECT_FALSE(ksm(x));
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(ref(x), 1 + kBias);
  EXPECT_EQ(pae(x), ps.cow->tracks_anon_exclusive());
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  ASSERT_EQ(k.ksm_merge(p0, a, 1), Outcome::ok());
  EXPECT_TRUE(ksm(x));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pae(x));  // §5.1 #4: KSM pages are never PAE
}

// write_protect_page(): a FOLL_GET reference or a pipe buffer is an extra reference too: EBUSY in every policy.
TEST_P(KsmAnyTest, WriteProtectPage_ExtraReferencedPageNotMerged) {
  const Vpn a = map(2);
  wr(p0, a, 0x5);
  wr(p0, a + 1, 0x6);
  const Pfn x0 = pfn(p0, a);
  const Pfn x1 = pfn(p0, a + 1);
  const GupId g = take(p0, a, 1, FOLL_GET);
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a + 1, 1, pp), Outcome::ok());
  EXPECT_EQ(k.ksm_merge(p0, a, 1), Outcome::err(EBUSY));
  EXPECT_EQ(k.ksm_merge(p0, a + 1, 1), Outcome::err(EBUSY));
  EXPECT_FALSE(ksm(x0));
  EXPECT_FALSE(ksm(x1));
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(pte(p0, a + 1).write());
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
  EXPECT_EQ(pipe_rd(p0, pp), 0x6u);
  ASSERT_EQ(k.ksm_merge(p0, a, 2), Outcome::ok());
  EXPECT_TRUE(ksm(x0));
  EXPECT_TRUE(ksm(x1));
}

// replace_page(): twins merge into one R/O KSM page (ref 2, map 2); the write to a KSM page mapped twice copies
// in every policy (A: ref 2 != 1; B: PageKsm; C: KSM is never reusable) (§3.1, §4.1, §5.7).
TEST_P(KsmAnyTest, ReplacePage_TwinsMergeAndWriteCopies) {
  const Vpn a = map(2);
  wr(p0, a, 0x9);
  wr(p0, a + 1, 0x9);
  const Pfn x0 = pfn(p0, a);
  const Pfn x1 = pfn(p0, a + 1);
  ASSERT_EQ(k.ksm_merge(p0, a, 2), Outcome::ok());
  EXPECT_EQ(pfn(p0, a), x0);
  EXPECT_EQ(pfn(p0, a + 1), x0);
  EXPECT_TRUE(is_free(x1));
  EXPECT_TRUE(ksm(x0));
  EXPECT_EQ(ref(x0), 2);
  EXPECT_EQ(mapc(x0), 2);
  EXPECT_FALSE(pae(x0));
  EXPECT_FALSE(pte(p0, a).write());
  EXPECT_FALSE(pte(p0, a + 1).write());
  wr(p0, a, 0xa);
  const Pfn y = pfn(p0, a);
  EXPECT_NE(y, x0);
  EXPECT_FALSE(ksm(y));
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(pae(y), ps.cow->tracks_anon_exclusive());
  EXPECT_EQ(ref(x0), 1);
  EXPECT_EQ(rd(p0, a + 1), 0x9u);
}

INSTANTIATE_TEST_SUITE_P(Profiles, KsmAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

struct KsmReuseRow {
  const char* profile;
  bool reuse;  // A/A' reuse_ksm_page(): !swapcache && refcount freezes at 1; B removed it; C never reuses KSM
};
using KsmReuseTest = PolicyTest<KsmReuseRow>;

// do_wp_page(): a KSM page with refcount 1 is reused (and stops being KSM) under A/A' (reuse_ksm_page(), v5.4-v5.8);
// B "if (PageKsm(page) || page_count(page) != 1) goto copy" and C always copy (§3.1, §4.1 "KSM pages are always
// copied", §5.7).
TEST_P(KsmReuseTest, ReuseKsmPage_SingleMappedKsmPageReusedOnlyByMapcountPolicies) {
  const Vpn a = map(1);
  wr(p0, a, 0x7);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.ksm_merge(p0, a, 1), Outcome::ok());  // no twin: it becomes the KSM page itself
  EXPECT_TRUE(ksm(x));
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  EXPECT_FALSE(pte(p0, a).write());
  wr(p0, a, 0x8);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_TRUE(pte(p0, a).write());
  const Pfn y = pfn(p0, a);
  EXPECT_FALSE(ksm(y));
  EXPECT_EQ(ref(y), 1);
  EXPECT_EQ(mapc(y), 1);
  if (!row().reuse) {
    EXPECT_TRUE(is_free(x));
  }
  EXPECT_EQ(rd(p0, a), 0x8u);
}

// The KSM page that was mapped twice: after the first writer copied, the second sees a KSM page with ref 1:
// A/A' reuse it, B/C copy again.
TEST_P(KsmReuseTest, ReuseKsmPage_LastMapperOfMergedPage) {
  const Vpn a = map(1);
  wr(p0, a, 0x9);
  const Pfn x = pfn(p0, a);
  // A second process with an identical page (the usual KSM case).
  const TaskId p1 = k.spawn();
  const Vpn b = map(1, RW, 0, p1);
  wr(p1, b, 0x9);
  const Pfn x1 = pfn(p1, b);
  ASSERT_EQ(k.ksm_merge(p0, a, 1), Outcome::ok());
  ASSERT_EQ(k.ksm_merge(p1, b, 1), Outcome::ok());
  EXPECT_EQ(pfn(p1, b), x);
  EXPECT_TRUE(is_free(x1));
  EXPECT_EQ(ref(x), 2);
  EXPECT_EQ(mapc(x), 2);
  wr(p1, b, 0xb);
  EXPECT_NE(pfn(p1, b), x);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
  wr(p0, a, 0xc);
  EXPECT_EQ(pfn(p0, a) == x, row().reuse);
  EXPECT_EQ(rd(p1, b), 0xbu);
  EXPECT_EQ(rd(p0, a), 0xcu);
}

INSTANTIATE_TEST_SUITE_P(Profiles, KsmReuseTest,
                         ::testing::Values(KsmReuseRow{"linux-5.7", true}, KsmReuseRow{"linux-5.8", true},
                                           KsmReuseRow{"linux-5.9", false}, KsmReuseRow{"linux-5.11", false},
                                           KsmReuseRow{"linux-5.18", false}, KsmReuseRow{"linux-6.18", false}),
                         RowName());

struct KsmPinRow {
  const char* profile;
  bool pin_moves;         // C: gup_must_unshare() (KSM is never PAE) => unshare copy; the pin is on a new page
  bool pte_w;             // A': the forced write fault reuses the KSM page (refcount 1) and maps it W
  bool pinned_page_ksm;   // A/B pin the KSM page itself
};
using KsmPinTest = PolicyTest<KsmPinRow>;

// A R/O pin on a KSM-mapped address: A/B take the pin on the KSM page; A' should_force_cow_break() => do_wp_page
// => reuse_ksm_page() (ref 1) => W, no longer KSM; C "an R/O pin on a KSM-mapped address unshares (copies) it"
// (§5.7, §3.7, §5.5).
TEST_P(KsmPinTest, GupMustUnshare_ReadOnlyPinOnKsmPage) {
  const Vpn a = map(1);
  wr(p0, a, 0x7);
  const Pfn x = pfn(p0, a);
  ASSERT_EQ(k.ksm_merge(p0, a, 1), Outcome::ok());
  const GupId g = take(p0, a, 1, kReadPin);
  const Pfn y = pfn(p0, a);
  EXPECT_EQ(y != x, row().pin_moves);
  EXPECT_EQ(pte(p0, a).write(), row().pte_w);
  EXPECT_EQ(ksm(y), row().pinned_page_ksm);
  EXPECT_EQ(ref(y), 1 + kBias);
  EXPECT_EQ(mapc(y), 1);
  if (row().pin_moves) {
    EXPECT_TRUE(pae(y));
    EXPECT_TRUE(is_free(x));
  }
  EXPECT_EQ(dma_rd(g), 0x7u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

INSTANTIATE_TEST_SUITE_P(Profiles, KsmPinTest,
                         ::testing::Values(KsmPinRow{"linux-5.7", false, false, true},
                                           KsmPinRow{"linux-5.8", false, true, false},
                                           KsmPinRow{"linux-5.9", false, false, true},
                                           KsmPinRow{"linux-5.11", false, false, true},
                                           KsmPinRow{"linux-5.18", false, false, true},
                                           KsmPinRow{"linux-6.18", true, false, false}),
                         RowName());

// ---------------------------------------------------------------------------------------------
// process_vm_readv / process_vm_writev: short-term FOLL_PIN in the target mm.

struct RemoteRow {
  const char* profile;
  bool target_copies;  // A' forced COW break / C unshare, in the target's mm
  bool target_pte_w;   // A' only
};
using ProcessVmReadvTest = PolicyTest<RemoteRow>;

// process_vm_rw_pages() -> pin_user_pages_remote(R/O): the policy's R/O-GUP rule runs in the *target* mm:
// A/B pin the shared page, A' breaks COW in the target (W copy), C unshares there (R/O copy); the reader
// sees the data either way and the pin is released at once (§5.5, §9.3, §6 #9).
TEST_P(ProcessVmReadvTest, PinUserPagesRemote_ReadOnlyPinInTarget) {
  const Vpn a = map(1);
  wr(p0, a, 0x61);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  Token t = 0;
  ASSERT_EQ(k.process_vm_readv(p0, p1, a, &t), Outcome::ok());
  EXPECT_EQ(t, 0x61u);
  const Pfn y = pfn(p1, a);
  EXPECT_EQ(y != x, row().target_copies);
  EXPECT_EQ(pte(p1, a).write(), row().target_pte_w);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_TRUE(mm(p1).test(MMF_HAS_PINNED));
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
  if (row().target_copies) {
    EXPECT_EQ(ref(y), 1);
    EXPECT_EQ(ref(x), 1);
  } else {
    EXPECT_EQ(ref(x), 2);
  }
  EXPECT_FALSE(k.folio_maybe_dma_pinned(y));  // short-term: unpinned again
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProcessVmReadvTest,
                         ::testing::Values(RemoteRow{"linux-5.7", false, false}, RemoteRow{"linux-5.8", true, true},
                                           RemoteRow{"linux-5.9", false, false},
                                           RemoteRow{"linux-5.11", false, false},
                                           RemoteRow{"linux-5.18", false, false},
                                           RemoteRow{"linux-6.18", true, false}),
                         RowName());

using ProcessVmAnyTest = PolicyTest<ProfileOnly>;

// process_vm_rw_pages() -> pin_user_pages_remote(FOLL_WRITE): a write fault in the target breaks COW there in every
// policy; the caller's own copy is untouched (§6 #10).
TEST_P(ProcessVmAnyTest, PinUserPagesRemote_WritePinBreaksCowInTarget) {
  const Vpn a = map(1);
  wr(p0, a, 0x61);
  const Pfn x = pfn(p0, a);
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.process_vm_writev(p0, p1, a, 0x62), Outcome::ok());
  EXPECT_NE(pfn(p1, a), x);
  EXPECT_TRUE(pte(p1, a).write());
  EXPECT_EQ(ref(pfn(p1, a)), 1);
  EXPECT_EQ(rd(p1, a), 0x62u);
  EXPECT_EQ(rd(p0, a), 0x61u);
  EXPECT_EQ(pfn(p0, a), x);
  EXPECT_EQ(ref(x), 1);
  EXPECT_EQ(mapc(x), 1);
}

INSTANTIATE_TEST_SUITE_P(Profiles, ProcessVmAnyTest, ::testing::ValuesIn(all_profiles()), RowName());

}  // namespace
}  // namespace mmsim
