#pragma once
// Waiting on events instead of on time: poll a condition until it holds or a bound passes.
// A fixed sleep is slow when it is long and flaky when the machine is busy (CI runs the
// suites two at a time on two cores); a poll goes on within one interval of the event, and
// only a failure waits out the bound.
//
//   REQUIRE(eventually([&] { return backend.requests() == 5; }, 5s));
//   REQUIRE(eventuallyEquals([&] { return backend.requests(); }, 5, 5s));
//   const auto stats = eventuallyValue(fetchStats, [](const Json& s) { return ...; }, 5s);
//
// Each returns an Awaited, which REQUIRE and CHECK take as a bool. When one fails, Catch2
// prints the expression (what was awaited) expanded to how the wait went: "not within
// 5000 ms", with the last value seen for the value forms.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <ostream>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

namespace gw::test {

using namespace std::chrono_literals;

// Short, so a test goes on soon after the event; not shorter, so a poll that asks another
// process (the admin API over HTTP) leaves that process time to work on a busy machine.
inline constexpr std::chrono::milliseconds kPollInterval{10};

template <class T>
struct [[nodiscard]] Awaited {
  bool held = false;
  T value;  // the last value seen
  std::chrono::milliseconds waited{};
  std::chrono::milliseconds timeout{};
  std::string wanted;  // eventuallyEquals: the value awaited, as Catch2 prints it

  explicit operator bool() const { return held; }
};

template <class T>
std::ostream& operator<<(std::ostream& out, const Awaited<T>& awaited) {
  if (awaited.held) {
    out << "held after " << awaited.waited.count() << " ms";
  } else {
    out << "not within " << awaited.timeout.count() << " ms";
  }
  if constexpr (!std::is_same_v<T, bool>) {
    out << "; last value " << Catch::Detail::stringify(awaited.value);
    if (!awaited.wanted.empty()) {
      out << ", awaited " << awaited.wanted;
    }
  }
  return out;
}

// Reads `probe()` every `interval` until `accept(value)` holds or `timeout` passes. The
// probe runs at least once, and once more at the bound: a wait never fails without a last
// look.
template <class Probe, class Accept>
auto eventuallyValue(Probe&& probe, Accept&& accept, std::chrono::milliseconds timeout,
                     std::chrono::milliseconds interval = kPollInterval)
    -> Awaited<std::decay_t<std::invoke_result_t<Probe&>>> {
  using Steady = std::chrono::steady_clock;
  const auto started = Steady::now();
  const auto until = started + timeout;
  for (;;) {
    auto value = probe();
    const bool held = static_cast<bool>(accept(std::as_const(value)));
    const auto now = Steady::now();
    if (held || now >= until) {
      return {held, std::move(value),
              std::chrono::duration_cast<std::chrono::milliseconds>(now - started), timeout, ""};
    }
    std::this_thread::sleep_for(std::min<Steady::duration>(interval, until - now));
  }
}

// Polls `condition()` until it is true or `timeout` passes.
template <class Condition>
Awaited<bool> eventually(Condition&& condition, std::chrono::milliseconds timeout,
                         std::chrono::milliseconds interval = kPollInterval) {
  return eventuallyValue([&] { return static_cast<bool>(condition()); },
                         [](bool held) { return held; }, timeout, interval);
}

// Polls `probe()` until it equals `expected` or `timeout` passes.
template <class Probe, class Expected>
auto eventuallyEquals(Probe&& probe, const Expected& expected, std::chrono::milliseconds timeout,
                      std::chrono::milliseconds interval = kPollInterval) {
  auto awaited = eventuallyValue(
      probe, [&](const auto& value) { return value == expected; }, timeout, interval);
  awaited.wanted = Catch::Detail::stringify(expected);
  return awaited;
}

}  // namespace gw::test
