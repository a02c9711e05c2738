// The model as a value: State copies are independent, hashes are
// deterministic and agree with equality; the policy registry; the invariant
// checker actually catches corrupted counters.
#include "test_util.hpp"

namespace mmsim {
namespace {

// A little workload that touches every kind of holder.
void workload(Kernel& k, TaskId p0, Vpn* out_a = nullptr) {
  Vpn a = 0, b = 0;
  ASSERT_EQ(k.mmap(p0, 4, RW, 0, &a), Outcome::ok());
  if (out_a) *out_a = a;
  ASSERT_EQ(k.mmap(p0, 2, RW, MAPF_SHARED, &b), Outcome::ok());
  for (Vpn v = a; v < a + 4; ++v) ASSERT_EQ(k.write(p0, v, 0x100 + v), Outcome::ok());
  ASSERT_EQ(k.write(p0, b, 1), Outcome::ok());
  GupId g = 0;
  ASSERT_EQ(k.gup(p0, p0, a, 1, FOLL_PIN | FOLL_WRITE, &g), Outcome::ok());
  TaskId c = 0;
  ASSERT_EQ(k.fork(p0, &c), Outcome::ok());
  const PipeId p = k.pipe_create(c);
  ASSERT_EQ(k.vmsplice(c, a + 1, 2, p), Outcome::ok());
  ASSERT_EQ(k.write(c, a + 3, 9), Outcome::ok());
  ASSERT_EQ(k.mprotect(p0, a + 2, 1, RO), Outcome::ok());
}

using StateTest = KernelTest;

// State is a plain value: a copy can be mutated without touching the original (the explorer relies on it).
TEST_F(StateTest, StateCopy_IsIndependent) {
  Vpn a = 0;
  workload(k, p0, &a);
  const State snapshot = s;
  const uint64_t h0 = s.hash();
  State copy = s;
  EXPECT_TRUE(same_state(copy, s));
  EXPECT_EQ(copy.hash(), h0);
  {
    Kernel kc(copy, ps);
    ASSERT_EQ(kc.write(p0, a + 2, 0xdead), Outcome::sig(SIGSEGV));  // R/O piece
    ASSERT_EQ(kc.exit(1), Outcome::ok());
    Vpn v = 0;
    ASSERT_EQ(kc.mmap(p0, 1, RW, 0, &v), Outcome::ok());
    ASSERT_EQ(kc.write(p0, v, 5), Outcome::ok());
    EXPECT_THAT(check_invariants(copy, ps), ::testing::IsEmpty());
  }
  EXPECT_FALSE(same_state(copy, s));
  EXPECT_NE(copy.hash(), h0);
  EXPECT_TRUE(same_state(s, snapshot));  // the original did not move
  EXPECT_EQ(s.hash(), h0);
  EXPECT_TRUE(k.task_live(1));
}

// Equal states hash equal; the hash is deterministic across two identical runs.
TEST_F(StateTest, StateHash_DeterministicAcrossRuns) {
  State other(s.config);
  Kernel k2(other, ps);
  const TaskId q0 = k2.spawn();
  ASSERT_EQ(q0, p0);
  EXPECT_TRUE(same_state(s, other));
  EXPECT_EQ(s.hash(), other.hash());
  Vpn a = 0;
  workload(k, p0, &a);
  workload(k2, q0);
  EXPECT_TRUE(same_state(s, other));
  EXPECT_EQ(s.hash(), other.hash());
  // One different token changes the hash.
  ASSERT_EQ(k2.write(q0, a, 0x1234), Outcome::ok());
  EXPECT_FALSE(same_state(s, other));
  EXPECT_NE(s.hash(), other.hash());
  EXPECT_THAT(check_invariants(other, ps), ::testing::IsEmpty());
}

// Different configurations are different states.
TEST(StateConfig, DifferentConfigsDiffer) {
  const State a(Config{.memory = 16});
  const State b(Config{.memory = 17});
  const State c(Config{.memory = 16, .soft_dirty = false});
  EXPECT_FALSE(same_state(a, b));
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_FALSE(same_state(a, c));
  EXPECT_NE(a.hash(), c.hash());
  EXPECT_EQ(a.mem.nr_free, 16u);
  EXPECT_EQ(a.mem.nr_frames(), 16u);
}

// make_policy_set(): the known knob and policy resolve; unknown ones fail with a message.
TEST(PolicyRegistry, MakePolicySetResolvesAndRejects) {
  std::string err;
  auto ps = make_policy_set(find_profile("linux-6.18")->choices, &err);
  ASSERT_TRUE(ps.has_value()) << err;
  ASSERT_NE(ps->cow, nullptr);
  EXPECT_EQ(ps->cow->name(), "anon-exclusive");
  EXPECT_TRUE(ps->cow->tracks_anon_exclusive());
  EXPECT_FALSE(make_policy_set({{"cow", "no-such"}}, &err).has_value());
  EXPECT_THAT(err, ::testing::HasSubstr("no-such"));
  EXPECT_FALSE(make_policy_set({{"colour", "blue"}}, &err).has_value());
  EXPECT_THAT(err, ::testing::HasSubstr("colour"));
  EXPECT_FALSE(make_policy_set({}, &err).has_value());
  const Profile* p = find_profile("linux-6.18");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->choices.at("cow"), "anon-exclusive");
  EXPECT_EQ(find_profile("linux-0.01"), nullptr);
}

// check_invariants() is not vacuous: corrupting any counter is reported.
TEST_F(StateTest, CheckInvariants_DetectsCorruption) {
  Vpn a = 0;
  workload(k, p0, &a);
  ASSERT_THAT(check_invariants(s, ps), ::testing::IsEmpty());
  const Pfn x = pfn(p0, a);
  {
    State bad = s;
    bad.mem.folios[x].refcount += 1;
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
  {
    State bad = s;
    bad.mem.pages[x].mapcount += 1;
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
  {
    State bad = s;
    bad.mms[bad.tasks[p0].mm].rss.anon += 1;
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
  {
    State bad = s;
    bad.mem.nr_free -= 1;
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
  {
    // §5.1 invariant 3: a pinned anon page must be PG_anon_exclusive.
    State bad = s;
    bad.mem.pages[x].flags &= ~uint32_t(PAGE_ANON_EXCLUSIVE);
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
  {
    // §5.1 invariant 2: a writable anon PTE maps an exclusive page.
    State bad = s;
    TaskId c = 1;
    Pte* p = bad.mms[bad.tasks[c].mm].pt.find(a + 1);  // shared with the pipe and parent: not PAE
    ASSERT_NE(p, nullptr);
    ASSERT_FALSE(bad.mem.pages[p->pfn()].flags & PAGE_ANON_EXCLUSIVE);
    p->set(PTE_WRITE);
    EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
  }
}

// mapped_page() / pagemap(): vm_normal_page() semantics and PM_MMAP_EXCLUSIVE (mapcount == 1).
TEST_F(StateTest, Pagemap_ReportsPresenceFileAndExclusivity) {
  Vpn a = map(2);
  EXPECT_FALSE(k.pagemap(p0, a).present);
  EXPECT_TRUE(k.pagemap(p0, a).soft_dirty);  // VM_SOFTDIRTY: the whole new VMA reads soft-dirty
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const Pfn x = pfn(p0, a);
  EXPECT_EQ(k.mapped_page(p0, a), std::optional<Pfn>(x));
  EXPECT_EQ(k.mapped_page(p0, a + 1), std::nullopt);
  EXPECT_TRUE(k.pagemap(p0, a).exclusive);
  const TaskId p1 = fork_of(p0);
  EXPECT_FALSE(k.pagemap(p0, a).exclusive);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  EXPECT_TRUE(k.pagemap(p0, a).exclusive);  // mapcount 1 again, although not PAE
  EXPECT_FALSE(pae(x));
  EXPECT_FALSE(k.pagemap(p1, a).present);  // dead process: nothing
}

// Kernel entry points refuse a task that has exited (or never existed): ESRCH, and nothing changes.
TEST_F(StateTest, DeadTask_EntryPointsFailEsrch) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const TaskId p1 = fork_of(p0);
  ASSERT_EQ(k.exit(p1), Outcome::ok());
  const State before = s;
  Token t = 0;
  Vpn v = 0;
  TaskId c = kNone;
  GupId g = kNone;
  EXPECT_EQ(k.read(p1, a, &t), Outcome::err(ESRCH));
  EXPECT_EQ(k.write(p1, a, 2), Outcome::err(ESRCH));
  EXPECT_EQ(k.mmap(p1, 1, RW, 0, &v), Outcome::err(ESRCH));
  EXPECT_EQ(k.munmap(p1, a, 1), Outcome::err(ESRCH));
  EXPECT_EQ(k.fork(p1, &c), Outcome::err(ESRCH));
  EXPECT_EQ(k.exit(p1), Outcome::err(ESRCH));
  EXPECT_EQ(k.gup(p1, p0, a, 1, FOLL_GET, &g), Outcome::err(ESRCH));
  EXPECT_EQ(k.gup(p0, p1, a, 1, FOLL_PIN, &g), Outcome::err(ESRCH));
  EXPECT_EQ(k.write(TaskId(77), a, 2), Outcome::err(ESRCH));
  EXPECT_TRUE(same_state(s, before));
  EXPECT_FALSE(mm(p0).test(MMF_HAS_PINNED));
}

// check_invariants(): a pipe buffer holding a freed frame is a use-after-free and must be reported.
TEST_F(StateTest, CheckInvariants_DetectsPipeBufferOnFreeFrame) {
  const Vpn a = map(1);
  ASSERT_EQ(k.write(p0, a, 1), Outcome::ok());
  const PipeId pp = k.pipe_create(p0);
  ASSERT_EQ(k.vmsplice(p0, a, 1, pp), Outcome::ok());
  ASSERT_THAT(check_invariants(s, ps), ::testing::IsEmpty());
  State bad = s;
  // Forget the pipe's reference and unmap: the frame is freed while the pipe still points at it.
  bad.mem.folios[pfn(p0, a)].refcount -= 1;
  {
    Kernel kb(bad, ps);
    ASSERT_EQ(kb.munmap(p0, a, 1), Outcome::ok());
  }
  ASSERT_EQ(bad.mem.nr_free, initial_free);  // freed
  ASSERT_EQ(bad.pipes[pp].bufs.size(), 1u);  // but still in the pipe
  EXPECT_THAT(check_invariants(bad, ps), ::testing::Not(::testing::IsEmpty()));
}

// SmallVec (a task's fd lists): a value like std::vector across the move from
// inline storage to the heap and back; what lies beyond its size never counts.
TEST(SmallVecTest, BehavesLikeAVectorInlineAndOnTheHeap) {
  SmallVec<uint32_t, 2> v;
  std::vector<uint32_t> ref;
  for (uint32_t i = 0; i < 5; ++i) {
    v.push_back(10 + i);
    ref.push_back(10 + i);
    EXPECT_TRUE(std::equal(v.begin(), v.end(), ref.begin(), ref.end())) << i;
  }
  SmallVec<uint32_t, 2> copy = v;
  EXPECT_EQ(copy, v);
  copy.erase(copy.begin() + 1);  // 10 12 13 14
  EXPECT_NE(copy, v);
  copy.erase(std::find(copy.begin(), copy.end(), 13u));  // 10 12 14
  copy.erase(copy.begin());  // 12 14: back inline
  ASSERT_EQ(copy.size(), 2u);
  EXPECT_EQ(copy[0], 12u);
  EXPECT_EQ(copy[1], 14u);
  SmallVec<uint32_t, 2> other{12, 14};
  EXPECT_EQ(copy, other);
  other.erase(other.begin() + 1);
  copy.erase(copy.begin() + 1);
  copy.push_back(7);
  copy.erase(copy.begin() + 1);
  EXPECT_EQ(copy, other);  // a stale inline entry beyond the size does not count
  v = copy;  // heap -> inline
  EXPECT_EQ(v, other);
  SmallVec<uint32_t, 2> moved = std::move(copy);
  EXPECT_EQ(moved, other);
  v.clear();
  EXPECT_TRUE(v.empty());
  EXPECT_EQ(v.begin(), v.end());
}

}  // namespace
}  // namespace mmsim
