// dio=get (<= 6.4) and dio=pin (6.5+): which GUP a direct-I/O read()/write()
// takes on the user buffer. Before 6.5 bio_iov_iter_get_pages() called
// iov_iter_get_pages() (get_user_pages_fast(): FOLL_GET, invisible to
// folio_maybe_dma_pinned()); b7c96963925f "block: Convert
// bio_iov_iter_get_pages to use iov_iter_extract_pages" (for-6.5/block) made
// it iov_iter_extract_pages() -> iov_iter_extract_user_pages() ->
// pin_user_pages_fast(): FOLL_PIN, so a R/O O_DIRECT write() unshares a
// COW-shared anonymous page under PG_anon_exclusive. Spec cow-gup.md §9.3, §7.8.
#include <cstddef>

#include "model/objects.hpp"
#include "policy/registry.hpp"

namespace mmsim {
namespace {

class Get final : public DioPolicy {
 public:
  std::string_view name() const override { return "get"; }
  std::string_view summary() const override {
    return "<= 6.4: O_DIRECT takes FOLL_GET references (iov_iter_get_pages), never unsharing";
  }
  uint32_t foll() const override { return FOLL_GET; }
};

class Pin final : public DioPolicy {
 public:
  std::string_view name() const override { return "pin"; }
  std::string_view summary() const override {
    return "6.5+: O_DIRECT pins the buffer (iov_iter_extract_pages -> pin_user_pages_fast, FOLL_PIN)";
  }
  uint32_t foll() const override { return FOLL_PIN; }
};

}  // namespace

const DioPolicy& dio_get_policy() {
  static const Get p;
  return p;
}
const DioPolicy& dio_pin_policy() {
  static const Pin p;
  return p;
}

}  // namespace mmsim
