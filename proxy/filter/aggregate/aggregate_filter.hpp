#pragma once
// A route whose answer is an aggregate (core aggregate.hpp): the last filter of its chain,
// after authentication, limits and the request's header edits, so those apply once and every
// backend call carries their result (x-gw-consumer, the request id, the added headers). It
// pauses the exchange, calls every backend at once (aggregate/fan_out.hpp) and answers with
// the merged JSON (aggregate/merge.hpp) when the last answer is in or the timeout passed.
//
// Each backend gets a GET for its path template filled from the request, with the client's
// end-to-end fields except those that would change what a backend answers with in ways the
// merge cannot use: conditionals and Range (a 304 or 206 is not JSON to merge) and
// Accept-Encoding (a compressed body cannot be parsed); Accept asks for JSON.

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/aggregate/merge.hpp"
#include "proxy/filter/build_context.hpp"
#include "proxy/filter/filter.hpp"

namespace gw::proxy::filter {

class AggregateFilter final : public Filter {
 public:
  struct Backend {
    std::uint32_t service = 0;  // index into Snapshot::services
    std::vector<core::TemplatePart> target;
  };

  AggregateFilter(core::Aggregate spec, std::vector<Backend> backends,
                  std::optional<std::regex> route_regex);
  unsigned hooks() const override { return kOnRequest; }
  Status onRequest(Exchange& exchange, FilterHost& host) const override;

  // Each backend's target for this request.
  std::vector<std::string> targetsFor(const Exchange& exchange) const;
  // The request's fields as every backend gets them ("Name: value\r\n" lines).
  static std::string fieldsFor(const Exchange& exchange);
  // Makes exchange.local the merged answer.
  static void answer(Exchange& exchange, const aggregate::Merged& merged);

 private:
  core::Aggregate spec_;
  std::vector<Backend> backends_;
  std::optional<std::regex> route_regex_;  // a regex route's: its captures fill {1}..{9}
};

std::unique_ptr<Filter> build(const core::Aggregate& spec, const BuildContext& ctx);

}  // namespace gw::proxy::filter
