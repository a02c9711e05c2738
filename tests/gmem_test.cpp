// guest_memfd mechanism and policies: creation, host faults, PUNCH_HOLE, the
// in-place conversion rules (validation order, no-op short-circuit, EAGAIN +
// error_offset at the first folio above its baseline), HugeTLB split/merge
// and exclusive pins. Every test ends with check_invariants().
#include "test_util.hpp"

namespace mmsim {
namespace {

PolicySet policies_with(std::map<std::string, std::string> over) {
  auto choices = find_profile("linux-6.18")->choices;
  for (auto& [k, v] : over) choices[k] = v;
  std::string err;
  auto ps = make_policy_set(choices, &err);
  if (!ps) throw std::runtime_error(err);
  return *ps;
}

class GmemTest : public ::testing::Test {
 protected:
  explicit GmemTest(std::map<std::string, std::string> over = {}, Config cfg = Config{.memory = 64, .thp_order = 2})
      : s(cfg), ps(policies_with(over)), k(s, ps) {
    p0 = k.spawn();
    EXPECT_TRUE(k.kvm_create_vm(p0, KVM_X86_DEFAULT_VM, &vm));
  }
  void TearDown() override { EXPECT_THAT(check_invariants(s, ps), ::testing::IsEmpty()); }

  GmemId create(uint64_t pages, uint64_t flags) {
    GmemId g = kNone;
    EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, pages << kPageShift, flags, &g), Outcome::ok());
    return g;
  }
  Vpn map(GmemId g, uint64_t pages) {
    Vpn v = 0;
    EXPECT_EQ(k.mmap_gmem(p0, pages, PROT_READ_ | PROT_WRITE_, MAPF_SHARED, g, 0, &v), Outcome::ok());
    return v;
  }
  Outcome convert(GmemId g, uint64_t lo, uint64_t hi, bool priv, uint64_t* off = nullptr) {
    uint64_t eo = ~0ull;
    Outcome o = k.gmem_set_attributes(
        p0, GmemAttributes{.gmem = g, .offset = lo << kPageShift, .size = (hi - lo) << kPageShift,
                           .attributes = priv ? KVM_MEMORY_ATTRIBUTE_PRIVATE : 0},
        &eo);
    if (off) *off = eo;
    return o;
  }
  Outcome fallocate(GmemId g, uint64_t lo, uint64_t hi, bool punch) {
    return k.gmem_fallocate(p0, g, FALLOC_FL_KEEP_SIZE | (punch ? FALLOC_FL_PUNCH_HOLE : 0), int64_t(lo << kPageShift),
                            int64_t((hi - lo) << kPageShift));
  }
  size_t huge_folios(GmemId g) const {
    size_t n = 0;
    Pfn last = kNoPfn;
    for (const GmemPage& p : s.gmems[g].pages) {
      const Pfn h = s.mem.head(p.pfn);
      if (s.mem.folios[h].large() && h != last) ++n;
      last = h;
    }
    return n;
  }

  State s;
  PolicySet ps;
  Kernel k;
  TaskId p0 = kNone;
  VmId vm = kNone;
};

class GmemInplaceTest : public GmemTest {
 protected:
  GmemInplaceTest() : GmemTest({{"gmem-conversion", "inplace"}}) {}
};
class GmemSplitTest : public GmemTest {
 protected:
  GmemSplitTest() : GmemTest({{"gmem-conversion", "inplace"}, {"gmem-huge", "split"}}) {}
};
class GmemShatterTest : public GmemTest {
 protected:
  GmemShatterTest() : GmemTest({{"gmem-conversion", "inplace"}, {"gmem-huge", "shatter"}}) {}
};
class GmemExclusivePinTest : public GmemTest {
 protected:
  GmemExclusivePinTest() : GmemTest({{"gmem-pin", "exclusive"}}) {}
};

// --- 6.18 ------------------------------------------------------------------------------

TEST_F(GmemTest, Create_SizeAndFlagRules) {
  GmemId g = kNone;
  EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, 0, 0, &g), Outcome::err(EINVAL));
  EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, 4095, 0, &g), Outcome::err(EINVAL));
  EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, 1ull << 63, 0, &g), Outcome::err(EINVAL));
  EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, 4096, GUEST_MEMFD_FLAG_HUGETLB, &g), Outcome::err(EINVAL));
  EXPECT_EQ(k.kvm_create_guest_memfd(p0, vm, 4096, GUEST_MEMFD_FLAG_INIT_SHARED, &g), Outcome::ok());
  EXPECT_EQ(s.vms[vm].users, 2);  // the VM fd and the guest_memfd file
  EXPECT_TRUE(s.gmems[g].pages.empty());
}

TEST_F(GmemTest, HostFault_SharedZeroesOnceAndMapsTheCachePage) {
  const GmemId g = create(4, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  ASSERT_EQ(fallocate(g, 0, 4, false), Outcome::ok());
  const Pfn cached = s.gmems[g].pages[1].pfn;
  EXPECT_FALSE(s.gmems[g].pages[1].flags & GMEM_UPTODATE);
  const Vpn a = map(g, 4);
  Token x = 1;
  ASSERT_EQ(k.read(p0, a + 1, &x), Outcome::ok());
  EXPECT_EQ(x, 0u);
  EXPECT_TRUE(s.gmems[g].pages[1].flags & GMEM_UPTODATE);
  EXPECT_EQ(k.mapped_page(p0, a + 1), cached);
  EXPECT_EQ(s.mem.folio(cached).refcount, 2);  // page cache + PTE
  EXPECT_EQ(k.mm_of(p0).rss.file, 1);
}

TEST_F(GmemTest, HostFault_PrivateAndBeyondEofAreSigbus) {
  const GmemId m = create(2, GUEST_MEMFD_FLAG_MMAP);
  const Vpn a = map(m, 4);
  Token x = 0;
  EXPECT_EQ(k.read(p0, a, &x), Outcome::sig(SIGBUS));
  GupId gid = kNone;
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, &gid), Outcome::err(EFAULT));
  const GmemId sh = create(2, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  const Vpn b = map(sh, 4);
  EXPECT_EQ(k.write(p0, b + 1, 7), Outcome::ok());
  EXPECT_EQ(k.write(p0, b + 2, 7), Outcome::sig(SIGBUS));  // index 2 >= i_size
}

TEST_F(GmemTest, PunchHole_NeverWaitsForAPin) {
  const GmemId g = create(2, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  const Vpn a = map(g, 2);
  ASSERT_EQ(k.write(p0, a, 0x41), Outcome::ok());
  GupId pin = kNone;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, &pin), Outcome::ok());
  const Pfn old = s.gups[pin].pfns[0];
  EXPECT_EQ(fallocate(g, 0, 1, true), Outcome::ok());
  EXPECT_EQ(k.mapped_page(p0, a), std::nullopt);           // the PTE is gone
  EXPECT_EQ(s.mem.folio(old).refcount, kGupPinCountingBias);  // only the pin holds it now
  Token x = 1;
  ASSERT_EQ(k.read(p0, a, &x), Outcome::ok());
  EXPECT_EQ(x, 0u);
  EXPECT_NE(k.mapped_page(p0, a), old);
  EXPECT_EQ(convert(g, 0, 1, true), Outcome::err(ENOTTY));  // 6.18: no conversion ioctl
  ASSERT_EQ(k.gup_release(pin, false), Outcome::ok());
}

TEST_F(GmemTest, Release_UnbindsSlotsAndDropsTheVm) {
  const GmemId g = create(4, 0);
  MemoryRegion r{.slot = 0, .flags = KVM_MEM_GUEST_MEMFD, .gpa = 1 << 20, .size = 4 << kPageShift,
                 .fd = MemoryRegion::Fd::Gmem, .gmem = g};
  ASSERT_EQ(k.kvm_set_user_memory_region(p0, vm, r), Outcome::ok());
  EXPECT_EQ(k.kvm_set_user_memory_region(p0, vm, r), Outcome::err(EINVAL));  // immutable
  ASSERT_EQ(k.vm_close(p0, vm), Outcome::ok());
  EXPECT_TRUE(s.vms[vm].live);  // the file holds the VM
  ASSERT_EQ(k.gmem_close(p0, g), Outcome::ok());
  EXPECT_FALSE(s.gmems[g].live);
  EXPECT_FALSE(s.vms[vm].live);
}

// --- in-place conversion ----------------------------------------------------------

TEST_F(GmemInplaceTest, Conversion_DefaultsPrivateUnlessInitShared) {
  const GmemId m = create(2, GUEST_MEMFD_FLAG_MMAP);
  const GmemId sh = create(2, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  EXPECT_FALSE(k.gmem_index_shared(m, 0));
  EXPECT_TRUE(k.gmem_index_shared(sh, 1));
  ASSERT_EQ(convert(m, 0, 1, false), Outcome::ok());
  EXPECT_TRUE(k.gmem_index_shared(m, 0));
  EXPECT_FALSE(k.gmem_index_shared(m, 1));
}

TEST_F(GmemInplaceTest, Conversion_ValidationOrder) {
  const GmemId g = create(4, GUEST_MEMFD_FLAG_MMAP);
  uint64_t eo = 0;
  auto set = [&](GmemAttributes a) {
    a.gmem = g;
    return k.gmem_set_attributes(p0, a, &eo);
  };
  // flags before everything else (attributes=1 and size 0 would also be wrong).
  EXPECT_EQ(set({.size = 0, .attributes = 1, .flags = 1}), Outcome::err(EINVAL));
  EXPECT_EQ(set({.size = 4096, .attributes = 8, .reserved = true}), Outcome::err(EINVAL));
  EXPECT_EQ(set({.offset = 1, .size = 4096, .attributes = 8}), Outcome::err(EINVAL));
  EXPECT_EQ(set({.offset = 4 << kPageShift, .size = 4096, .attributes = 8}), Outcome::err(EINVAL));
  EXPECT_EQ(set({.offset = 0, .size = 4096, .attributes = 8}), Outcome::ok());
  // The VM ioctl is gone with per-index attributes.
  EXPECT_EQ(k.kvm_set_memory_attributes(p0, vm, 0, 4096, 8, 0), Outcome::err(ENOTTY));
}

TEST_F(GmemInplaceTest, Conversion_EagainAtFirstUnsafeFolioThenSucceeds) {
  const GmemId g = create(4, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  const Vpn a = map(g, 4);
  for (Vpn v = a; v < a + 4; ++v) ASSERT_EQ(k.write(p0, v, 5), Outcome::ok());
  GupId p2 = kNone, p3 = kNone;
  ASSERT_EQ(k.gup(p0, p0, a + 2, 1, FOLL_PIN | FOLL_WRITE, &p2), Outcome::ok());
  ASSERT_EQ(k.gup(p0, p0, a + 3, 1, FOLL_GET, &p3), Outcome::ok());
  uint64_t off = 0;
  EXPECT_EQ(convert(g, 0, 4, true, &off), Outcome::err(EAGAIN));
  EXPECT_EQ(off, 2u << kPageShift);  // ascending: page 2 before page 3
  // Nothing was converted, but every host PTE of the range is gone.
  for (uint64_t i = 0; i < 4; ++i) EXPECT_TRUE(k.gmem_index_shared(g, i));
  EXPECT_EQ(k.mapped_page(p0, a), std::nullopt);
  ASSERT_EQ(k.gup_release(p2, false), Outcome::ok());
  EXPECT_EQ(convert(g, 0, 4, true, &off), Outcome::err(EAGAIN));
  EXPECT_EQ(off, 3u << kPageShift);  // a FOLL_GET reference counts as well
  ASSERT_EQ(k.gup_release(p3, false), Outcome::ok());
  EXPECT_EQ(convert(g, 0, 4, true, &off), Outcome::ok());
  Token x = 0;
  EXPECT_EQ(k.read(p0, a + 1, &x), Outcome::sig(SIGBUS));
  EXPECT_EQ(s.gmems[g].pages.size(), 4u);  // conversion keeps the pages (and their data)
  ASSERT_EQ(convert(g, 1, 2, false), Outcome::ok());
  ASSERT_EQ(k.read(p0, a + 1, &x), Outcome::ok());
  EXPECT_EQ(x, 5u);
}

TEST_F(GmemInplaceTest, Conversion_NoOpShortCircuitSkipsTheRefcountCheck) {
  const GmemId g = create(1, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  const Vpn a = map(g, 1);
  GupId pin = kNone;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE, &pin), Outcome::ok());
  EXPECT_EQ(convert(g, 0, 1, false), Outcome::ok());
  EXPECT_NE(k.mapped_page(p0, a), std::nullopt);  // not even unmapped
  ASSERT_EQ(k.gup_release(pin, false), Outcome::ok());
}

TEST_F(GmemInplaceTest, PunchHole_KeepsAttributes) {
  const GmemId g = create(2, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  ASSERT_EQ(fallocate(g, 0, 2, false), Outcome::ok());
  ASSERT_EQ(convert(g, 1, 2, true), Outcome::ok());
  ASSERT_EQ(fallocate(g, 0, 2, true), Outcome::ok());
  EXPECT_TRUE(s.gmems[g].pages.empty());
  EXPECT_FALSE(k.gmem_index_shared(g, 1));
  EXPECT_TRUE(k.gmem_index_shared(g, 0));
}

// --- huge folios ---------------------------------------------------------------------

TEST_F(GmemSplitTest, HugeFolio_SplitOnShareMergeOnPunch) {
  const GmemId g = create(8, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_HUGETLB);
  EXPECT_EQ(s.gmems[g].order, 2);
  EXPECT_EQ(fallocate(g, 1, 2, false), Outcome::err(EINVAL));  // not huge-page aligned
  ASSERT_EQ(fallocate(g, 0, 8, false), Outcome::ok());
  EXPECT_EQ(huge_folios(g), 2u);
  const Pfn head = s.gmems[g].pages[0].pfn;
  EXPECT_EQ(s.mem.folios[head].refcount, 4);  // one page-cache reference per page
  ASSERT_EQ(convert(g, 1, 2, false), Outcome::ok());
  EXPECT_EQ(huge_folios(g), 1u);
  EXPECT_EQ(s.mem.head(head + 1), head + 1);  // order-0 now
  const Vpn a = map(g, 8);
  ASSERT_EQ(k.write(p0, a + 1, 9), Outcome::ok());
  GupId pin = kNone;
  ASSERT_EQ(k.gup(p0, p0, a + 1, 1, FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM, &pin), Outcome::ok());
  EXPECT_EQ(fallocate(g, 0, 4, true), Outcome::err(EAGAIN));  // the merge is blocked
  EXPECT_EQ(s.gmems[g].pages.size(), 8u);
  ASSERT_EQ(k.gup_release(pin, false), Outcome::ok());
  const uint32_t free_before = s.mem.nr_free;
  EXPECT_EQ(fallocate(g, 0, 4, true), Outcome::ok());
  EXPECT_EQ(s.mem.nr_free, free_before + 4);  // merged and freed as one huge page
  EXPECT_EQ(huge_folios(g), 1u);
}

TEST_F(GmemSplitTest, HugeFolio_NewFolioWithASharedPartIsSplitAtOnce) {
  const GmemId g = create(4, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED | GUEST_MEMFD_FLAG_HUGETLB);
  ASSERT_EQ(fallocate(g, 0, 4, false), Outcome::ok());
  EXPECT_EQ(huge_folios(g), 0u);
  EXPECT_EQ(s.gmems[g].pages.size(), 4u);
}

TEST_F(GmemShatterTest, HugeFolio_ShatteredAtAllocationAndPunchedPerPage) {
  const GmemId g = create(8, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_HUGETLB);
  ASSERT_EQ(fallocate(g, 0, 8, false), Outcome::ok());
  EXPECT_EQ(huge_folios(g), 0u);
  EXPECT_EQ(fallocate(g, 1, 2, true), Outcome::ok());  // 4K punch: no merge, no alignment rule
  EXPECT_EQ(s.gmems[g].pages.size(), 7u);
}

// --- exclusive pins --------------------------------------------------------------------

TEST_F(GmemExclusivePinTest, ExclusivePin_ExcludesOtherPinsNotGets) {
  const GmemId g = create(1, GUEST_MEMFD_FLAG_MMAP | GUEST_MEMFD_FLAG_INIT_SHARED);
  const Vpn a = map(g, 1);
  GupId plain = kNone, excl = kNone, get = kNone, again = kNone;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE, &plain), Outcome::ok());
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_EXCLUSIVE, &excl), Outcome::err(EBUSY));
  ASSERT_EQ(k.gup_release(plain, false), Outcome::ok());
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_EXCLUSIVE, &excl), Outcome::ok());
  EXPECT_TRUE(k.folio_exclusive_pinned(*k.mapped_page(p0, a)));
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN, &again), Outcome::err(EBUSY));
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_GET, &get), Outcome::ok());
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_GET | FOLL_EXCLUSIVE, &again), Outcome::err(EINVAL));  // needs FOLL_PIN
  ASSERT_EQ(k.gup_release(excl, false), Outcome::ok());
  ASSERT_EQ(k.gup_release(get, false), Outcome::ok());
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN, &again), Outcome::ok());
  ASSERT_EQ(k.gup_release(again, false), Outcome::ok());
}

TEST_F(GmemTest, ExclusivePin_UnknownFlagWithoutTheRfc) {
  const Vpn a = [&] {
    Vpn v = 0;
    EXPECT_EQ(k.mmap(p0, 1, PROT_READ_ | PROT_WRITE_, 0, &v), Outcome::ok());
    return v;
  }();
  GupId g = kNone;
  EXPECT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_EXCLUSIVE, &g), Outcome::err(EINVAL));
}

}  // namespace
}  // namespace mmsim
