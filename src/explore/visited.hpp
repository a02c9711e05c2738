// The visited set: 64-bit fingerprints in an open-addressing table (9.4-14.1
// bytes per state), or whole encodings (exact mode).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "explore/canon.hpp"

namespace mmsim::explore {

// Open addressing over 64-bit fingerprints (0 marks an empty slot), linear
// probing, optionally with one byte per slot beside it (the least depth, for
// the depth-first search). The slot is found by multiply-shift range reduction,
// so the table can have any size: it grows by half when its load would pass
// 0.85, which keeps a fingerprint table at 9.4-14.1 bytes per state (doubling
// at 0.7 swung between 11.4 and 22.8).
class FpTable {
 public:
  explicit FpTable(bool with_depth) : fps_(kInitial, 0), depth_(with_depth ? kInitial : 0, 0) {}
  uint64_t size() const { return size_; }
  uint64_t bytes() const { return fps_.size() * sizeof(uint64_t) + depth_.size(); }

 protected:
  static constexpr size_t kInitial = 1u << 10;  // 8 KB: grows with the search, so small ones stay near 9.4-14.1 B/state too
  // fp's slot, or the empty slot it goes to; grows first if one more would pass the load.
  size_t slot(uint64_t fp) {
    if ((size_ + 1) * 20 > fps_.size() * 17) grow();
    return find(fps_, fp);
  }
  // Whether fp is in the table (0 stands for 1, as insert() keeps it).
  bool has(uint64_t fp, size_t* at = nullptr) const {
    if (fp == 0) fp = 1;
    const size_t i = find(fps_, fp);
    if (at) *at = i;
    return fps_[i] == fp;
  }
  static size_t find(const std::vector<uint64_t>& t, uint64_t fp) {
    const size_t n = t.size();
    // Multiply-shift: a mixed fingerprint times n, high half = [0, n).
    size_t i = size_t((unsigned __int128)(fp * 0x9E3779B97F4A7C15ull) * n >> 64);
    while (t[i] != fp && t[i] != 0)
      if (++i == n) i = 0;
    return i;
  }
  void grow() {
    std::vector<uint64_t> f(fps_.size() + fps_.size() / 2, 0);
    std::vector<uint8_t> d(depth_.empty() ? 0 : f.size(), 0);
    for (size_t j = 0; j < fps_.size(); ++j)
      if (fps_[j]) {
        const size_t i = find(f, fps_[j]);
        f[i] = fps_[j];
        if (!d.empty()) d[i] = depth_[j];
      }
    fps_.swap(f), depth_.swap(d);
  }
  std::vector<uint64_t> fps_;
  std::vector<uint8_t> depth_;
  uint64_t size_ = 0;
};

class FingerprintSet : public FpTable {
 public:
  FingerprintSet() : FpTable(false) {}
  bool contains(uint64_t fp) const { return has(fp); }
  // true if newly inserted
  bool insert(uint64_t fp) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    const size_t i = slot(fp);
    if (fps_[i] == fp) return false;
    fps_[i] = fp;
    ++size_;
    return true;
  }
};

// Fingerprints with the least depth each state was reached at, for the
// depth-first search: a state reached again on a shorter path must be
// expanded again (it has more steps left within the bound), or states within
// the bound would be missed. 8 + 1 bytes per slot.
class DepthSet : public FpTable {
 public:
  DepthSet() : FpTable(true) {}
  enum class Seen { New, Shallower, Known };
  // Reached before at this depth or a smaller one.
  bool known(uint64_t fp, uint8_t depth) const {
    size_t i = 0;
    return has(fp, &i) && depth_[i] <= depth;
  }
  Seen insert(uint64_t fp, uint8_t depth) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    const size_t i = slot(fp);
    if (fps_[i] == fp) {
      if (depth >= depth_[i]) return Seen::Known;
      depth_[i] = depth;
      return Seen::Shallower;
    }
    fps_[i] = fp, depth_[i] = depth;
    ++size_;
    return Seen::New;
  }
};

class ExactSet {
 public:
  bool contains(const Encoding& e) const {
    return set_.count(std::string(reinterpret_cast<const char*>(e.data()), e.size() * sizeof(uint64_t))) > 0;
  }
  bool insert(const Encoding& e) {
    std::string key(reinterpret_cast<const char*>(e.data()), e.size() * sizeof(uint64_t));
    const size_t len = key.size();
    if (!set_.insert(std::move(key)).second) return false;
    bytes_ += len + 48;  // string + node overhead, roughly
    return true;
  }
  uint64_t size() const { return set_.size(); }
  uint64_t bytes() const { return bytes_ + set_.bucket_count() * sizeof(void*); }

 private:
  std::unordered_set<std::string> set_;
  uint64_t bytes_ = 0;
};

}  // namespace mmsim::explore
