// The change pipeline against a real home on disk, with a Reloader written here: it is the
// interface under test (the admin API's implementation is tested in tests/proxy/admin).

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "core/change/pipeline.hpp"
#include "core/store/home.hpp"
#include "tests/support/process.hpp"

using namespace gw::core;
using gw::test::readText;
using gw::test::TempDir;

namespace {

// What the proxy would do: serve `serves` (default: the asked revision) or refuse.
struct FakeProxy {
  std::optional<Error> refusal;
  std::optional<std::uint64_t> serves;
  std::vector<std::uint64_t> asked;  // every reload, in order
};

class FakeReloader final : public Reloader {
 public:
  explicit FakeReloader(FakeProxy& proxy) : proxy_(proxy) {}
  Result<std::uint64_t> reload(std::uint64_t revision) override {
    proxy_.asked.push_back(revision);
    if (proxy_.refusal) {
      return *proxy_.refusal;
    }
    return proxy_.serves.value_or(revision);
  }

 private:
  FakeProxy& proxy_;
};

FindReloader running(FakeProxy& proxy) {
  return [&proxy] { return std::make_unique<FakeReloader>(proxy); };
}

FindReloader stopped() {
  return [] { return std::unique_ptr<Reloader>(); };
}

Change addService(const std::string& name, const std::string& endpoint) {
  return [name, endpoint](Config& c) {
    Service service;
    service.name = name;
    service.endpoints.push_back(Endpoint{endpoint, 1});
    c.services.push_back(service);
    return Status(Ok{});
  };
}

// A home whose document is revision 1 with service "alpha".
struct SeededHome {
  TempDir dir;
  Home home{dir.path()};
  SeededHome() {
    auto first = ChangePipeline(home, stopped()).apply(addService("alpha", "127.0.0.1:9001"));
    REQUIRE(first);
    REQUIRE(first->revision == 1);
  }
  std::string document() const { return readText(home.configPath()); }
};

}  // namespace

TEST_CASE("a change is saved as the next revision and the proxy reloads it", "[change]") {
  SeededHome seeded;
  FakeProxy proxy;
  auto outcome =
      ChangePipeline(seeded.home, running(proxy)).apply(addService("beta", "127.0.0.1:9002"));
  REQUIRE(outcome);
  CHECK(outcome->revision == 2);
  CHECK(outcome->previous == 1);
  CHECK(outcome->changed);
  CHECK(outcome->reloaded);
  CHECK(proxy.asked == std::vector<std::uint64_t>{2});
  auto saved = seeded.home.load();
  REQUIRE(saved);
  CHECK(saved->revision == 2);
  CHECK(saved->findService("beta") != nullptr);
}

TEST_CASE("with no proxy running the change is saved and not reloaded", "[change]") {
  SeededHome seeded;
  auto outcome = ChangePipeline(seeded.home, stopped()).apply(addService("beta", "127.0.0.1:9002"));
  REQUIRE(outcome);
  CHECK(outcome->revision == 2);
  CHECK(outcome->changed);
  CHECK_FALSE(outcome->reloaded);
  CHECK(seeded.home.load()->findService("beta") != nullptr);
}

TEST_CASE("the proxy is looked for once the new revision is on disk", "[change]") {
  SeededHome seeded;
  std::optional<std::uint64_t> on_disk;
  auto outcome = ChangePipeline(seeded.home, [&]() -> std::unique_ptr<Reloader> {
                   on_disk = seeded.home.load()->revision;
                   return nullptr;
                 }).apply(addService("beta", "127.0.0.1:9002"));
  REQUIRE(outcome);
  CHECK(on_disk == std::optional<std::uint64_t>(2));
}

TEST_CASE("a refused reload restores the previous revision", "[change]") {
  SeededHome seeded;
  const std::string before = seeded.document();
  FakeProxy proxy;
  proxy.refusal = makeError(ErrorKind::kValidation, "the proxy refused revision 2: port taken",
                            {"gateways[0].listeners[0]: 127.0.0.1:8080 is in use"});
  auto outcome =
      ChangePipeline(seeded.home, running(proxy)).apply(addService("beta", "127.0.0.1:9002"));
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::kRuntime);
  CHECK(outcome.error().message == "the proxy refused revision 2: port taken; restored revision 1");
  CHECK(outcome.error().details ==
        std::vector<std::string>{"gateways[0].listeners[0]: 127.0.0.1:8080 is in use"});
  CHECK(proxy.asked == std::vector<std::uint64_t>{2});
  CHECK(seeded.document() == before);

  SECTION("and the next change builds on the restored document with a fresh number") {
    FakeProxy healthy;
    auto next =
        ChangePipeline(seeded.home, running(healthy)).apply(addService("gamma", "127.0.0.1:9003"));
    REQUIRE(next);
    CHECK(next->revision == 3);
    CHECK(seeded.home.load()->findService("beta") == nullptr);
    CHECK(seeded.home.load()->findService("gamma") != nullptr);
  }
}

TEST_CASE("a proxy that serves another revision after the reload counts as a refusal", "[change]") {
  SeededHome seeded;
  const std::string before = seeded.document();
  FakeProxy proxy;
  proxy.serves = 7;
  auto outcome =
      ChangePipeline(seeded.home, running(proxy)).apply(addService("beta", "127.0.0.1:9002"));
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::kRuntime);
  CHECK(outcome.error().message ==
        "the proxy serves revision 7 after the reload of revision 2; restored revision 1");
  CHECK(seeded.document() == before);
}

TEST_CASE("nothing is saved or reloaded when the changed document is invalid", "[change]") {
  SeededHome seeded;
  const std::string before = seeded.document();
  FakeProxy proxy;
  auto outcome = ChangePipeline(seeded.home, running(proxy)).apply([](Config& c) {
    Route route;
    route.name = "shop";
    route.gateway = "nowhere";
    route.destinations.push_back(Destination{"alpha", 100});
    c.routes.push_back(route);
    return Status(Ok{});
  });
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::kValidation);
  REQUIRE_FALSE(outcome.error().details.empty());
  CHECK(outcome.error().details.front().find("nowhere") != std::string::npos);
  CHECK(seeded.document() == before);
  CHECK(proxy.asked.empty());
  CHECK_FALSE(std::filesystem::exists(seeded.home.file("revisions/00000001.yaml")));
}

TEST_CASE("a change that fails aborts before anything is saved", "[change]") {
  SeededHome seeded;
  const std::string before = seeded.document();
  FakeProxy proxy;
  auto outcome = ChangePipeline(seeded.home, running(proxy)).apply([](Config& c) {
    c.services.clear();
    return Status(makeError(ErrorKind::kNotFound, "no service \"beta\""));
  });
  REQUIRE_FALSE(outcome);
  CHECK(outcome.error().kind == ErrorKind::kNotFound);
  CHECK(outcome.error().message == "no service \"beta\"");
  CHECK(seeded.document() == before);
  CHECK(proxy.asked.empty());
}

TEST_CASE("a change that leaves the document as it was saves nothing", "[change]") {
  SeededHome seeded;
  const std::string before = seeded.document();
  const auto modified = std::filesystem::last_write_time(seeded.home.configPath());
  bool looked_for_proxy = false;
  auto outcome = ChangePipeline(seeded.home, [&]() -> std::unique_ptr<Reloader> {
                   looked_for_proxy = true;
                   return nullptr;
                 }).apply([](Config& c) {
    c.revision = 42;  // the revision is the store's, not the change's
    c.services.front().endpoints.front().weight = 1;
    return Status(Ok{});
  });
  REQUIRE(outcome);
  CHECK_FALSE(outcome->changed);
  CHECK_FALSE(outcome->reloaded);
  CHECK(outcome->revision == 1);
  CHECK(outcome->previous == 1);
  CHECK_FALSE(looked_for_proxy);
  CHECK(seeded.document() == before);
  CHECK(std::filesystem::last_write_time(seeded.home.configPath()) == modified);
  CHECK_FALSE(std::filesystem::exists(seeded.home.file("revisions/00000001.yaml")));
}
