// Non-anonymous memory in COW mappings (cow.c's non_anon_test_cases[],
// cow-gup.md §8.5): a tmpfile() on a disk file system (FileKind::Regular) and
// memfd_create(MFD_HUGETLB) (FileKind::Hugetlb), mapped MAP_PRIVATE (mem) and
// MAP_SHARED R/O (smem); and the PMD split window of CVE-2020-29368
// (cow-gup.md §7.7, knob thp-split-lock) under every profile.
#include <filesystem>

#include "model/huge_memory.hpp"
#include "policy/registry.hpp"
#include "policy_util.hpp"
#include "run/runner.hpp"
#include "scenario/parser.hpp"
#include "scenario/printer.hpp"

namespace mmsim {
namespace {

// --- tmpfile and memfd hugetlb: mechanism ----------------------------------------

class NonAnon : public ::testing::Test, public PolicyHarness {
 protected:
  NonAnon() : PolicyHarness("linux-6.18", Config{.memory = 64, .hugetlb = 2}) {}
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
  FileId file(FileKind kind, uint64_t pages = 1) {
    FileId f = kNone;
    EXPECT_EQ(k.memfd_create(p0, pages, &f, kind), Outcome::ok());
    return f;
  }
  Vpn map_file(FileId f, int prot, bool shared) {
    Vpn v = 0;
    EXPECT_EQ(k.mmap(p0, 1, prot, shared ? unsigned(MAPF_SHARED) : 0u, &v, f), Outcome::ok());
    return v;
  }
};

TEST_F(NonAnon, TmpfileFallocateLeavesThePageCacheEmptyAndAReadFaultFillsIt) {
  const FileId f = file(FileKind::Regular);
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  EXPECT_EQ(s.files[f].pages[0], kNoPfn);  // ext4_fallocate(): unwritten extents only
  const Vpn mem = map_file(f, RW, false), smem = map_file(f, RO, true);
  EXPECT_EQ(rd(p0, mem), 0u);
  EXPECT_EQ(rd(p0, smem), 0u);
  const Pfn pc = s.files[f].pages[0];
  ASSERT_NE(pc, kNoPfn);
  EXPECT_EQ(pfn(p0, mem), pc);
  EXPECT_EQ(pfn(p0, smem), pc);
  // A regular file's page: not anon, not shmem, not swap-backed (file LRU).
  EXPECT_FALSE(folio(pc).test(FOLIO_ANON));
  EXPECT_FALSE(folio(pc).test(FOLIO_SHMEM));
  EXPECT_FALSE(folio(pc).test(FOLIO_SWAPBACKED));
  EXPECT_TRUE(folio(pc).file_lru());
  EXPECT_EQ(ref(pc), 3);  // page cache + 2 PTEs
  EXPECT_EQ(mm(p0).rss.file, 2);
  EXPECT_EQ(mm(p0).rss.shmem, 0);
  EXPECT_TRUE(k.pagemap(p0, mem).file);
  EXPECT_FALSE(pte(p0, mem).write());
}

TEST_F(NonAnon, TmpfilePrivateWriteCopiesAndTheFileNeverSeesIt) {
  const FileId f = file(FileKind::Regular);
  const Vpn mem = map_file(f, RW, false), smem = map_file(f, RO, true);
  rd(p0, mem);
  rd(p0, smem);
  const Pfn pc = pfn(p0, mem);
  wr(p0, mem, 0xff);
  EXPECT_NE(pfn(p0, mem), pc);
  EXPECT_TRUE(folio(pfn(p0, mem)).test(FOLIO_ANON));
  EXPECT_EQ(rd(p0, smem), 0u);
  EXPECT_EQ(rd(p0, mem), 0xffu);
  EXPECT_EQ(mm(p0).rss.anon, 1);
  EXPECT_EQ(mm(p0).rss.file, 1);  // smem still maps the page-cache page
}

TEST_F(NonAnon, SharedWritableTmpfileMappingIsWriteNotified) {
  const FileId f = file(FileKind::Regular);
  const Vpn a = map_file(f, RW, true), b = map_file(f, RO, true);
  EXPECT_EQ(rd(p0, a), 0u);
  EXPECT_FALSE(pte(p0, a).write());  // vma_wants_writenotify(): dirty tracking
  wr(p0, a, 7);
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_TRUE(folio(pfn(p0, a)).test(FOLIO_DIRTY));
  EXPECT_EQ(rd(p0, b), 7u);
}

TEST_F(NonAnon, MemfdHugetlbFallocateTakesHugePagesFromThePool) {
  const FileId f = file(FileKind::Hugetlb);
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  const Pfn pc = s.files[f].pages[0];
  ASSERT_NE(pc, kNoPfn);
  EXPECT_TRUE(folio(pc).test(FOLIO_HUGETLB));
  EXPECT_FALSE(folio(pc).test(FOLIO_ANON));
  EXPECT_FALSE(folio(pc).test(FOLIO_LRU));
  EXPECT_EQ(s.hugetlb_used, 1u);
  const FileId g = file(FileKind::Hugetlb, 2);
  EXPECT_EQ(k.fallocate(p0, g), Outcome::err(ENOSPC));  // one huge page left for two
  EXPECT_EQ(s.hugetlb_used, 2u);
}

TEST_F(NonAnon, MemfdHugetlbPrivateMappingReservesAHugePage) {
  const FileId f = file(FileKind::Hugetlb);
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  const FileId g = file(FileKind::Hugetlb);
  ASSERT_EQ(k.fallocate(p0, g), Outcome::ok());  // the pool is empty now
  Vpn v = 0;
  EXPECT_EQ(k.mmap(p0, 1, RW, 0, &v, f), Outcome::err(ENOMEM));  // hugetlb_reserve_pages()
  EXPECT_EQ(s.files[f].users, 1);                                  // the failed mmap holds nothing
  EXPECT_EQ(k.mmap(p0, 1, RO, MAPF_SHARED, &v, f), Outcome::ok());  // shared: the page is there
  EXPECT_TRUE(mm(p0).vma_at(v)->test(VM_HUGETLB));
  EXPECT_EQ(rd(p0, v), 0u);
  EXPECT_EQ(pfn(p0, v), s.files[f].pages[0]);
}

TEST_F(NonAnon, MemfdHugetlbPrivateWriteCopiesIntoAnAnonymousHugePage) {
  const FileId f = file(FileKind::Hugetlb);
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  const Vpn mem = map_file(f, RW, false), smem = map_file(f, RO, true);
  rd(p0, mem);
  rd(p0, smem);
  const Pfn pc = s.files[f].pages[0];
  EXPECT_EQ(pfn(p0, mem), pc);
  EXPECT_FALSE(pte(p0, mem).write());  // make_huge_pte(..., VM_SHARED): R/O in a private mapping
  wr(p0, mem, 0xff);
  const Pfn copy = pfn(p0, mem);
  EXPECT_NE(copy, pc);
  EXPECT_TRUE(folio(copy).test(FOLIO_ANON));
  EXPECT_TRUE(folio(copy).test(FOLIO_HUGETLB));
  EXPECT_TRUE(pae(copy));
  EXPECT_EQ(s.hugetlb_used, 2u);
  EXPECT_EQ(rd(p0, smem), 0u);
  EXPECT_EQ(mm(p0).rss.anon + mm(p0).rss.file + mm(p0).rss.shmem, 0);  // hugetlb is not in rss
  // The last user of the file gives its page back to the pool.
  ASSERT_EQ(k.munmap(p0, smem, 1), Outcome::ok());
  ASSERT_EQ(k.exit(p0), Outcome::ok());
  EXPECT_EQ(s.hugetlb_used, 0u);
}

TEST_F(NonAnon, MemfdHugetlbPrivateWriteWithoutAPageCachePageAllocatesAnonymously) {
  const FileId f = file(FileKind::Hugetlb);  // no fallocate: the page cache is empty
  const Vpn mem = map_file(f, RW, false);
  wr(p0, mem, 5);
  EXPECT_TRUE(folio(pfn(p0, mem)).test(FOLIO_ANON));  // hugetlb_no_page(): private -> anon
  EXPECT_EQ(s.files[f].pages[0], kNoPfn);
  EXPECT_EQ(s.hugetlb_used, 1u);
}

TEST_F(NonAnon, SharedHugetlbfsWritesReachTheFile) {
  const FileId f = file(FileKind::Hugetlb);
  const Vpn a = map_file(f, RW, true), b = map_file(f, RO, true);
  wr(p0, a, 9);  // hugetlb_no_page() allocates into the page cache
  EXPECT_TRUE(pte(p0, a).write());
  EXPECT_EQ(rd(p0, b), 9u);
  EXPECT_EQ(pfn(p0, a), s.files[f].pages[0]);
}

TEST_F(NonAnon, ForkSharesAHugetlbfsPageCachePageEvenWhenPinned) {
  const FileId f = file(FileKind::Hugetlb);
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  const Vpn mem = map_file(f, RO, false);
  const GupId g = take(p0, mem, 1, FOLL_PIN);  // short-term: no unshare, pins the page-cache page
  const Pfn pc = s.files[f].pages[0];
  EXPECT_EQ(s.gups[g].pfns[0], pc);
  const TaskId c = fork_of(p0);
  EXPECT_EQ(pfn(c, mem), pc);  // copy_hugetlb_page_range(): !folio_test_anon -> hugetlb_add_file_rmap()
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

TEST_F(NonAnon, FileKindIsPartOfTheStateHash) {
  State a(Config{.memory = 16}), b(Config{.memory = 16});
  a.files.push_back(ShmemFile{.users = 1, .kind = FileKind::Shmem, .pages = {kNoPfn}});
  b.files.push_back(ShmemFile{.users = 1, .kind = FileKind::Regular, .pages = {kNoPfn}});
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_FALSE(a == b);
}

// --- R/O long-term pins of non-anon pages, per era (cow.c #20/#21, §8.6) ---------

struct PinRow {
  std::string profile;
  bool unshares;  // the pin lands on a private anonymous copy: the pin sees the write
};

class NonAnonPin : public ::testing::TestWithParam<std::tuple<PinRow, FileKind, bool>>, public PolicyHarness {
 protected:
  NonAnonPin() : PolicyHarness(std::get<0>(GetParam()).profile, Config{.memory = 64, .hugetlb = 2}) {}
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
};

TEST_P(NonAnonPin, LongtermReadOnlyPinSeesTheLaterWriteOnlyWhereItUnshares) {
  const auto& [row, kind, fast] = GetParam();
  FileId f = kNone;
  ASSERT_EQ(k.memfd_create(p0, 1, &f, kind), Outcome::ok());
  ASSERT_EQ(k.fallocate(p0, f), Outcome::ok());
  Vpn mem = 0, smem = 0;
  ASSERT_EQ(k.mmap(p0, 1, RW, 0, &mem, f), Outcome::ok());
  ASSERT_EQ(k.mmap(p0, 1, RO, MAPF_SHARED, &smem, f), Outcome::ok());
  rd(p0, mem);
  rd(p0, smem);
  const Pfn pc = pfn(p0, smem);
  ASSERT_EQ(pfn(p0, mem), pc);
  const GupId g = take(p0, mem, 1, FOLL_PIN | FOLL_LONGTERM | (fast ? FOLL_FAST : 0u));
  EXPECT_EQ(s.gups[g].pfns[0] != pc, row.unshares);
  wr(p0, mem, 0xff);
  EXPECT_EQ(dma_rd(g), row.unshares ? 0xffu : 0u);
  EXPECT_EQ(rd(p0, smem), 0u);
  ASSERT_EQ(k.gup_release(g, false), Outcome::ok());
}

std::string pin_name(const ::testing::TestParamInfo<std::tuple<PinRow, FileKind, bool>>& i) {
  const auto& [row, kind, fast] = i.param;
  return profile_test_name(row.profile) + (kind == FileKind::Regular ? "_tmpfile" : "_memfd_hugetlb") +
         (fast ? "_fast" : "");
}

INSTANTIATE_TEST_SUITE_P(Eras, NonAnonPin,
                         ::testing::Combine(::testing::Values(PinRow{"linux-5.7", false}, PinRow{"linux-5.8", true},
                                                              PinRow{"linux-5.9", false}, PinRow{"linux-5.11", false},
                                                              PinRow{"linux-5.18", false}, PinRow{"linux-5.19", false},
                                                              PinRow{"linux-6.1", false}, PinRow{"linux-6.13", true},
                                                              PinRow{"linux-6.18", true}),
                                            ::testing::Values(FileKind::Regular, FileKind::Hugetlb),
                                            ::testing::Bool()),
                         pin_name);

// --- CVE-2020-29368: a write fault inside another process's PMD split -------------

struct SplitRow {
  std::string profile;
  const ThpSplitLockPolicy* lock;  // nullptr: the profile's own choice
  bool leaks;                      // P0 reuses the THP that P1 still maps
  int torn;                        // page_trans_huge_mapcount() inside the window (-1: not read)
};

class SplitWindow : public ::testing::TestWithParam<SplitRow>, public PolicyHarness {
 protected:
  SplitWindow() : PolicyHarness(GetParam().profile, Config{.memory = 64, .thp = 2, .thp_order = 2}) {
    if (GetParam().lock) ps.thp_split_lock = GetParam().lock;
  }
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
  // A PMD-mapped THP shared by P0 and a fork child; returns the aligned start.
  Vpn shared_thp(TaskId* child) {
    const Vpn v = map(8);
    const Vpn a = (v + 3) & ~Vpn(3);
    wr(p0, a, 0xaa);
    EXPECT_EQ(mm(p0).pmds.size(), 1u);
    *child = fork_of(p0);
    return a;
  }
};

TEST_P(SplitWindow, WriteFaultDuringAnotherProcessesSplitReusesOnlyWithoutThePageLock) {
  const SplitRow& row = GetParam();
  TaskId p1 = kNone;
  const Vpn a = shared_thp(&p1);
  const Pfn head = mm(p0).pmds[0].pte.pfn();
  EXPECT_EQ(k.page_trans_huge_mapcount(head), 2);
  ASSERT_EQ(k.split_pmd_begin(p1, a + 1), Outcome::ok());
  EXPECT_TRUE(mm(p1).pmds.empty());
  EXPECT_EQ(pfn(p1, a), head);
  EXPECT_EQ(folio(head).splitting, 1);
  EXPECT_EQ(k.page_trans_huge_mapcount(head), row.torn);
  wr(p0, a, 0xbb);
  ASSERT_EQ(k.split_pmd_end(p1, a + 1), Outcome::ok());
  EXPECT_EQ(folio(s.mem.head(pfn(p1, a))).splitting, 0);
  EXPECT_EQ(rd(p1, a), row.leaks ? 0xbbu : 0xaau);
  EXPECT_EQ(k.pagemap(p0, a).pfn == k.pagemap(p1, a).pfn, row.leaks);  // P0 may still map it by its PMD
}

const ThpSplitLockPolicy* kNoLock = &thp_split_lock_none_policy();
const ThpSplitLockPolicy* kPageLock = &thp_split_lock_page_lock_policy();

INSTANTIATE_TEST_SUITE_P(
    Eras, SplitWindow,
    ::testing::Values(
        // The profiles: only linux-5.7 (5.7.0-5.7.4) lacks c444eb564fb1.
        SplitRow{"linux-5.7", nullptr, true, 0}, SplitRow{"linux-5.8", nullptr, false, 0},
        SplitRow{"linux-5.9", nullptr, false, 0}, SplitRow{"linux-5.11", nullptr, false, 0},
        SplitRow{"linux-5.18", nullptr, false, 0}, SplitRow{"linux-6.18", nullptr, false, 0},
        // The knob alone: 5.7 with the fix; 5.9-5.17 still read the THP mapcount
        // in do_huge_pmd_wp_page() (reuse_swap_page()), 5.18+ do not.
        SplitRow{"linux-5.7", kPageLock, false, 0}, SplitRow{"linux-5.9", kNoLock, true, 0},
        SplitRow{"linux-5.18", kNoLock, false, 0}, SplitRow{"linux-6.18", kNoLock, false, 0}),
    [](const ::testing::TestParamInfo<SplitRow>& i) {
      return profile_test_name(i.param.profile) +
             (i.param.lock ? "_" + profile_test_name(i.param.lock->name()) : std::string());
    });

class SplitWindowMechanism : public ::testing::Test, public PolicyHarness {
 protected:
  SplitWindowMechanism() : PolicyHarness("linux-5.7", Config{.memory = 64, .thp = 2, .thp_order = 2}) {}
  void TearDown() override { EXPECT_THAT(invariants(), ::testing::IsEmpty()); }
};

TEST_F(SplitWindowMechanism, NothingToSplitIsNotAnError) {
  const Vpn v = map(2);  // too small for a THP
  wr(p0, v, 1);
  EXPECT_EQ(k.split_pmd_begin(p0, v), Outcome::ok());
  EXPECT_EQ(k.split_pmd_end(p0, v), Outcome::ok());
  EXPECT_EQ(folio(pfn(p0, v)).splitting, 0);
  EXPECT_EQ(k.split_pmd_begin(p0, v + 100), Outcome::err(EFAULT));
}

TEST_F(SplitWindowMechanism, TheTaskIsInsideTheKernelUntilTheEnd) {
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  wr(p0, a, 1);
  EXPECT_EQ(k.split_pmd_end(p0, a), Outcome::err(EINVAL));  // no split begun
  ASSERT_EQ(k.split_pmd_begin(p0, a + 2), Outcome::ok());
  EXPECT_TRUE(s.tasks[p0].in_split);
  EXPECT_EQ(s.tasks[p0].split_vpn, a + 2);
  EXPECT_EQ(k.split_pmd_begin(p0, a), Outcome::err(EINVAL));  // already inside one
  const uint64_t inside = s.hash();
  ASSERT_EQ(k.split_pmd_end(p0, a), Outcome::ok());  // ends the split begun at a + 2
  EXPECT_FALSE(s.tasks[p0].in_split);
  EXPECT_EQ(folio(s.mem.head(pfn(p0, a))).splitting, 0);
  EXPECT_NE(s.hash(), inside);
}

TEST_F(SplitWindowMechanism, TheCountsAreConsistentOnceTheSplitEnds) {
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  wr(p0, a, 1);
  const TaskId c = fork_of(p0);
  const Pfn head = mm(p0).pmds[0].pte.pfn();
  ASSERT_EQ(k.split_pmd_begin(c, a), Outcome::ok());
  EXPECT_EQ(k.page_trans_huge_mapcount(head), 0);  // old subpages, new PageDoubleMap and compound count
  ASSERT_EQ(k.split_pmd_end(c, a), Outcome::ok());
  EXPECT_EQ(k.page_trans_huge_mapcount(head), 2);  // one PTE per subpage + one PMD
  // Unsplit, the hash differs from the same state with the window open.
  State open = s;
  open.mem.folios[head].splitting = 1;
  EXPECT_NE(open.hash(), s.hash());
}

TEST_F(SplitWindowMechanism, SplittingTheOnlyPmdMappingUnderCountsByOne) {
  // A THP mapped by one PMD (exclusive): after the split compound_mapcount is
  // 0 and PageDoubleMap was never set; the torn read gives 0 for 1 mapping.
  const Vpn v = map(8);
  const Vpn a = (v + 3) & ~Vpn(3);
  wr(p0, a, 1);
  const Pfn head = mm(p0).pmds[0].pte.pfn();
  ASSERT_EQ(k.split_pmd_begin(p0, a), Outcome::ok());
  EXPECT_EQ(k.page_trans_huge_mapcount(head), 0);
  ASSERT_EQ(k.split_pmd_end(p0, a), Outcome::ok());
  EXPECT_EQ(k.page_trans_huge_mapcount(head), 1);
}

// --- the language: memfd ... hugetlb, tmpfile, split_pmd_begin/end ---------------

TEST(NonAnonLanguage, NewStepsParseIntoTheirFields) {
  const ParseResult r = parse_scenario(R"(config thp_order=2 hugetlb=1
P0: memfd F 1
P0: memfd H 1 hugetlb
P0: tmpfile T 2
P0: mmap A 8 rw
P0: split_pmd_begin A[4]
P0: refcount A[4] -> r
P0: split_pmd_end A[4]
)", "t.mm");
  ASSERT_TRUE(r.scenario.has_value()) << (r.errors.empty() ? "" : r.errors[0].str());
  const auto& st = r.scenario->steps;
  ASSERT_EQ(st.size(), 7u);
  EXPECT_EQ(st[0].op, Op::Memfd);
  EXPECT_EQ(st[0].file_kind, uint8_t(FileKind::Shmem));
  EXPECT_EQ(st[1].file_kind, uint8_t(FileKind::Hugetlb));
  EXPECT_EQ(st[2].op, Op::Memfd);
  EXPECT_EQ(st[2].file_kind, uint8_t(FileKind::Regular));
  EXPECT_EQ(st[2].pages, 2u);
  EXPECT_EQ(st[4].op, Op::SplitPmdBegin);
  EXPECT_EQ(st[4].range.lo, 4u);
  EXPECT_EQ(st[6].op, Op::SplitPmdEnd);
}

// The printer (explorer counterexamples) round-trips the new scenarios, and
// the reprinted scenario runs to the same state.
TEST(NonAnonLanguage, NewScenariosRoundTripThroughThePrinter) {
  const std::string root = std::string(MMSIM_SOURCE_DIR) + "/scenarios/";
  int files = 0;
  for (const char* sub : {"cow", "cow-thp"})
    for (const auto& e : std::filesystem::directory_iterator(root + sub)) {
      const std::string name = e.path().filename().string();
      if (name.find("tmpfile") == std::string::npos && name.find("memfd-hugetlb") == std::string::npos &&
          name.find("cve-2020-29368") == std::string::npos)
        continue;
      ++files;
      const ParseResult a = load_scenario(e.path().string());
      ASSERT_TRUE(a.scenario.has_value()) << e.path();
      const std::string text = print_scenario(*a.scenario);
      const ParseResult b = parse_scenario(text, name);
      ASSERT_TRUE(b.scenario.has_value()) << e.path() << ":\n" << (b.errors.empty() ? "" : b.errors[0].str()) << "\n" << text;
      EXPECT_EQ(print_scenario(*b.scenario), text) << e.path();
      for (const char* prof : {"linux-5.7", "linux-6.18"}) {
        const RunResult ra = run_scenario(*a.scenario, prof, find_profile(prof)->choices, RunOptions{});
        const RunResult rb = run_scenario(*b.scenario, prof, find_profile(prof)->choices, RunOptions{});
        EXPECT_TRUE(ra.passed) << e.path() << " " << prof;
        EXPECT_EQ(ra.passed, rb.passed) << e.path();
        EXPECT_EQ(ra.state_hash, rb.state_hash) << e.path();
      }
    }
  EXPECT_EQ(files, 7);
}

}  // namespace
}  // namespace mmsim
