// The visited set: 64-bit fingerprints in an open-addressing table (about
// 8 bytes / 0.7 load = 11.4 bytes per state), or whole encodings (exact mode).
#pragma once
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "explore/canon.hpp"

namespace mmsim::explore {

class FingerprintSet {
 public:
  FingerprintSet() : slots_(1u << 16, 0) {}
  // true if newly inserted
  bool insert(uint64_t fp) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 10 > slots_.size() * 7) grow();
    return put(slots_, fp);
  }
  uint64_t size() const { return size_; }
  uint64_t bytes() const { return slots_.size() * sizeof(uint64_t); }

 private:
  bool put(std::vector<uint64_t>& t, uint64_t fp) {
    const size_t mask = t.size() - 1;
    for (size_t i = size_t(fp * 0x9E3779B97F4A7C15ull >> 7) & mask;; i = (i + 1) & mask) {
      if (t[i] == fp) return false;
      if (t[i] == 0) {
        t[i] = fp;
        ++size_;
        return true;
      }
    }
  }
  void grow() {
    std::vector<uint64_t> bigger(slots_.size() * 2, 0);
    const uint64_t n = size_;
    for (uint64_t fp : slots_)
      if (fp) put(bigger, fp);
    size_ = n;
    slots_.swap(bigger);
  }
  std::vector<uint64_t> slots_;
  uint64_t size_ = 0;
};

// Fingerprints with the least depth each state was reached at, for the
// depth-first search: a state reached again on a shorter path must be
// expanded again (it has more steps left within the bound), or states within
// the bound would be missed. 8 + 1 bytes per slot.
class DepthSet {
 public:
  DepthSet() : fps_(1u << 16, 0), depth_(1u << 16, 0) {}
  enum class Seen { New, Shallower, Known };
  Seen insert(uint64_t fp, uint8_t depth) {
    if (fp == 0) fp = 1;  // 0 marks an empty slot
    if ((size_ + 1) * 10 > fps_.size() * 7) grow();
    const size_t i = find(fps_, fp);
    if (fps_[i] == fp) {
      if (depth >= depth_[i]) return Seen::Known;
      depth_[i] = depth;
      return Seen::Shallower;
    }
    fps_[i] = fp, depth_[i] = depth;
    ++size_;
    return Seen::New;
  }
  uint64_t size() const { return size_; }
  uint64_t bytes() const { return fps_.size() * (sizeof(uint64_t) + 1); }

 private:
  static size_t find(const std::vector<uint64_t>& t, uint64_t fp) {
    const size_t mask = t.size() - 1;
    size_t i = size_t(fp * 0x9E3779B97F4A7C15ull >> 7) & mask;
    while (t[i] != fp && t[i] != 0) i = (i + 1) & mask;
    return i;
  }
  void grow() {
    std::vector<uint64_t> f(fps_.size() * 2, 0);
    std::vector<uint8_t> d(f.size(), 0);
    for (size_t j = 0; j < fps_.size(); ++j)
      if (fps_[j]) {
        const size_t i = find(f, fps_[j]);
        f[i] = fps_[j], d[i] = depth_[j];
      }
    fps_.swap(f), depth_.swap(d);
  }
  std::vector<uint64_t> fps_;
  std::vector<uint8_t> depth_;
  uint64_t size_ = 0;
};

class ExactSet {
 public:
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
