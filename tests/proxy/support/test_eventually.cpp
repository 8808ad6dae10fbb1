// The test support's wait on events (tests/support/eventually.hpp): it returns as soon as
// the condition holds, ends at its bound when it never does, and says what it saw.

#include <catch2/catch.hpp>
#include <string>

#include "tests/support/eventually.hpp"

namespace gw::test {

TEST_CASE("eventually returns at the first poll where the condition holds", "[eventually]") {
  int polls = 0;
  const auto awaited = eventually([&] { return ++polls == 3; }, 5s, 1ms);
  CHECK(awaited.held);
  CHECK(polls == 3);
  CHECK(awaited.waited < 5s);
}

TEST_CASE("eventually ends at its bound and says how long it waited", "[eventually]") {
  int polls = 0;
  const auto awaited = eventually([&] { return ++polls < 0; }, 50ms, 5ms);
  CHECK_FALSE(awaited.held);
  CHECK(awaited.waited >= 50ms);
  CHECK(polls >= 2);  // the first poll, and the one at the bound
  CHECK(Catch::Detail::stringify(awaited) == "not within 50 ms");
}

TEST_CASE("the value forms keep the last value seen and report it", "[eventually]") {
  int count = 0;
  const auto reached = eventuallyEquals([&] { return ++count; }, 4, 5s, 1ms);
  CHECK(reached.held);
  CHECK(reached.value == 4);

  const auto stuck = eventuallyEquals([] { return std::string("three"); }, "five", 20ms, 5ms);
  CHECK_FALSE(stuck.held);
  CHECK(stuck.value == "three");
  CHECK(Catch::Detail::stringify(stuck) ==
        R"(not within 20 ms; last value "three", awaited "five")");

  const auto large =
      eventuallyValue([&] { return ++count; }, [](int n) { return n > 10; }, 5s, 1ms);
  CHECK(large.held);
  CHECK(large.value == 11);
}

}  // namespace gw::test
