// A short list of plain values (ids) kept inline up to N entries, on the heap
// beyond. A task's fd lists hold none or one entry almost always and are
// copied with every State copy (the explorer copies states millions of
// times): a std::vector costs a call and several branches per copy even when
// empty, this costs one small memcpy. A plain value like the rest of State:
// copy, ==, iteration in insertion order.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <type_traits>
#include <utility>
#include <vector>

namespace mmsim {

template <class T, uint32_t N>
class SmallVec {
  static_assert(std::is_trivially_copyable_v<T> && N > 0);

 public:
  using value_type = T;
  using iterator = T*;
  using const_iterator = const T*;

  SmallVec() = default;
  SmallVec(std::initializer_list<T> l) {
    for (const T& x : l) push_back(x);
  }
  SmallVec(const SmallVec& o) { *this = o; }
  SmallVec(SmallVec&& o) noexcept { *this = std::move(o); }
  SmallVec& operator=(SmallVec&& o) noexcept {
    if (this == &o) return *this;
    size_ = o.size_;
    std::memcpy(small_, o.small_, sizeof small_);
    big_ = std::move(o.big_);
    o.size_ = 0;
    o.big_.clear();
    return *this;
  }
  SmallVec& operator=(const SmallVec& o) {
    if (this == &o) return *this;
    size_ = o.size_;
    if (size_ <= N)
      std::memcpy(small_, o.small_, sizeof small_);  // the heap part, if any, keeps its buffer unused
    else
      big_ = o.big_;
    return *this;
  }

  uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return size_ <= N ? small_ : big_.data(); }
  const T* data() const { return size_ <= N ? small_ : big_.data(); }
  T* begin() { return data(); }
  T* end() { return data() + size_; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size_; }
  T& operator[](size_t i) { return data()[i]; }
  const T& operator[](size_t i) const { return data()[i]; }

  void push_back(const T& x) {
    if (size_ < N) {
      small_[size_++] = x;
      return;
    }
    if (size_ == N) big_.assign(small_, small_ + N);  // moves to the heap
    big_.push_back(x);
    ++size_;
  }
  iterator erase(const_iterator pos) {
    const size_t i = size_t(pos - begin());
    if (size_ <= N) {
      std::copy(small_ + i + 1, small_ + size_, small_ + i);
    } else {
      big_.erase(big_.begin() + long(i));
      if (size_ - 1 == N) std::copy(big_.begin(), big_.end(), small_);  // back inline
    }
    --size_;
    return begin() + i;
  }
  void clear() {
    size_ = 0;
    big_.clear();
  }

  friend bool operator==(const SmallVec& a, const SmallVec& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  uint32_t size_ = 0;
  T small_[N] = {};    // the entries while size_ <= N
  std::vector<T> big_;  // all entries once size_ > N
};

}  // namespace mmsim
