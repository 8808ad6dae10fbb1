#include <catch2/catch.hpp>
#include <memory>
#include <string>

#include "core/config/model.hpp"
#include "proxy/filter/registry.hpp"

namespace gw::test {
namespace {

struct Buckets {
  int tokens = 0;
};

std::shared_ptr<Buckets> fresh() { return std::make_shared<Buckets>(); }

}  // namespace

TEST_CASE("filter state survives a reload while its spec stays the same", "[filter][registry]") {
  proxy::filter::StateRegistry registry;
  const core::Mirror spec{"shadow", 10};
  auto first = registry.stateFor<Buckets>("route/shop", "limit", spec, fresh);
  first->tokens = 7;
  registry.sweep();

  SECTION("same spec: the same state") {
    auto again = registry.stateFor<Buckets>("route/shop", "limit", spec, fresh);
    CHECK(again == first);
    CHECK(again->tokens == 7);
  }
  SECTION("changed spec: a fresh state") {
    auto changed =
        registry.stateFor<Buckets>("route/shop", "limit", core::Mirror{"shadow", 20}, fresh);
    CHECK(changed != first);
    CHECK(changed->tokens == 0);
  }
  SECTION("another route: its own state") {
    auto other = registry.stateFor<Buckets>("route/cart", "limit", spec, fresh);
    CHECK(other != first);
  }
}

TEST_CASE("filter state no build asked for is forgotten at the next sweep", "[filter][registry]") {
  proxy::filter::StateRegistry registry;
  const core::Mirror spec{"shadow", 10};
  auto kept = registry.stateFor<Buckets>("route/shop", "limit", spec, fresh);
  registry.stateFor<Buckets>("route/gone", "limit", spec, fresh);
  registry.sweep();
  CHECK(registry.size() == 2);

  registry.stateFor<Buckets>("route/shop", "limit", spec, fresh);  // the next build
  registry.sweep();
  CHECK(registry.size() == 1);
  CHECK(registry.stateFor<Buckets>("route/shop", "limit", spec, fresh) == kept);
}

}  // namespace gw::test
