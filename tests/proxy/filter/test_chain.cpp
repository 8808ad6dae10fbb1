#include <memory>
#include <string>
#include <vector>

#include "proxy/filter/chain.hpp"
#include "tests/proxy/exchange/exchange_fixture.hpp"

namespace gw::test {
namespace {

using proxy::Exchange;
using proxy::filter::FilterChain;
using proxy::filter::FilterHost;
using proxy::filter::Status;
namespace filter = proxy::filter;
namespace http = boost::beast::http;

// A filter that records what it saw in the request's "x-trace" header and the answer's.
class Recorder final : public filter::Filter {
 public:
  Recorder(std::string name, Status on_request, std::vector<std::string>& log)
      : name_(std::move(name)), on_request_(on_request), log_(log) {}
  unsigned hooks() const override {
    return filter::kOnRequest | filter::kOnResponse | filter::kOnDone;
  }
  Status onRequest(Exchange& exchange, FilterHost& /*host*/) const override {
    log_.push_back("request " + name_);
    if (on_request_ == Status::kAnswer) {
      exchange.local = {};
      exchange.local.result(http::status::forbidden);
    }
    return on_request_;
  }
  void onResponse(Exchange& /*exchange*/, http::response_header<>& head) const override {
    log_.push_back("response " + name_);
    head.insert("x-seen-by", name_);
  }
  void onDone(const Exchange& /*exchange*/) const override { log_.push_back("done " + name_); }

 private:
  std::string name_;
  Status on_request_;
  std::vector<std::string>& log_;
};

FilterChain chainOf(std::vector<std::pair<std::string, Status>> filters,
                    std::vector<std::string>& log) {
  FilterChain chain;
  for (auto& [name, status] : filters) {
    chain.add(std::make_unique<Recorder>(name, status, log));
  }
  return chain;
}

constexpr std::string_view kGet = "GET /x HTTP/1.1\r\nHost: shop.test\r\n\r\n";

}  // namespace

TEST_CASE("a chain runs request hooks in order and the upstream answer back through all",
          "[filter][chain]") {
  std::vector<std::string> log;
  const FilterChain chain =
      chainOf({{"a", Status::kContinue}, {"b", Status::kContinue}, {"c", Status::kContinue}}, log);
  Exchange exchange;
  parseInto(exchange, kGet);
  TestHost host;
  REQUIRE(chain.runRequest(exchange, host) == Status::kContinue);
  http::response_header<> head;
  chain.runResponse(exchange, head, true);
  chain.runDone(exchange);
  CHECK(log == std::vector<std::string>{"request a", "request b", "request c", "response c",
                                        "response b", "response a", "done a", "done b", "done c"});
}

TEST_CASE("an answer made by a filter passes back only through the filters before it",
          "[filter][chain]") {
  std::vector<std::string> log;
  const FilterChain chain =
      chainOf({{"a", Status::kContinue}, {"deny", Status::kAnswer}, {"c", Status::kContinue}}, log);
  Exchange exchange;
  parseInto(exchange, kGet);
  TestHost host;
  REQUIRE(chain.runRequest(exchange, host) == Status::kAnswer);
  CHECK(exchange.local.result() == http::status::forbidden);
  chain.runResponse(exchange, exchange.local, false);
  chain.runDone(exchange);
  CHECK(log ==
        std::vector<std::string>{"request a", "request deny", "response a", "done a", "done deny"});
  CHECK(exchange.local["x-seen-by"] == "a");
}

TEST_CASE("a paused chain resumes after the filter that paused", "[filter][chain]") {
  std::vector<std::string> log;
  const FilterChain chain = chainOf(
      {{"a", Status::kContinue}, {"lookup", Status::kPause}, {"c", Status::kContinue}}, log);
  Exchange exchange;
  parseInto(exchange, kGet);
  TestHost host;
  REQUIRE(chain.runRequest(exchange, host) == Status::kPause);
  CHECK(log == std::vector<std::string>{"request a", "request lookup"});
  REQUIRE(chain.resumeAfterPause(exchange, host) == Status::kContinue);
  CHECK(log == std::vector<std::string>{"request a", "request lookup", "request c"});
}

TEST_CASE("filters without a hook are not called for it", "[filter][chain]") {
  FilterChain chain;
  CHECK(chain.empty());
  CHECK_FALSE(chain.hasResponseHooks());
  std::vector<std::string> log;
  chain.add(std::make_unique<Recorder>("a", Status::kContinue, log));
  CHECK(chain.hasResponseHooks());
  CHECK(chain.hasDoneHooks());
}

}  // namespace gw::test
