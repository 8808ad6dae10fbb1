#include "proxy/filter/aggregate/aggregate_filter.hpp"

#include <algorithm>
#include <array>

#include "proxy/aggregate/fan_out.hpp"
#include "proxy/aggregate/target.hpp"
#include "proxy/balancer/request_key.hpp"
#include "proxy/compress/whole.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/snapshot/snapshot.hpp"

namespace gw::proxy::filter {
namespace {

// Fields a backend call does without (hop-by-hop ones are already gone: dispatch.cpp).
bool dropped(http::field name) {
  static constexpr std::array kDropped{
      http::field::content_length,  http::field::transfer_encoding,
      http::field::connection,      http::field::expect,
      http::field::accept_encoding, http::field::accept,
      http::field::if_none_match,   http::field::if_modified_since,
      http::field::if_match,        http::field::if_unmodified_since,
      http::field::if_range,        http::field::range,
      http::field::content_type};
  return std::find(kDropped.begin(), kDropped.end(), name) != kDropped.end();
}

}  // namespace

AggregateFilter::AggregateFilter(core::Aggregate spec, std::vector<Backend> backends,
                                 std::optional<std::regex> route_regex)
    : spec_(std::move(spec)),
      backends_(std::move(backends)),
      route_regex_(std::move(route_regex)) {}

std::vector<std::string> AggregateFilter::targetsFor(const Exchange& exchange) const {
  const std::string_view target = exchange.request().target();
  aggregate::Captures captures;
  if (route_regex_) {
    const std::string_view path = targetPath(target);
    std::regex_match(path.begin(), path.end(), captures, *route_regex_);
  }
  std::vector<std::string> targets;
  targets.reserve(backends_.size());
  for (const Backend& backend : backends_) {
    targets.push_back(aggregate::expandTarget(backend.target, target, captures));
  }
  return targets;
}

std::string AggregateFilter::fieldsFor(const Exchange& exchange) {
  std::string out;
  for (const auto& field : exchange.request()) {
    if (dropped(field.name())) {
      continue;
    }
    out.append(field.name_string()).append(": ").append(field.value()).append("\r\n");
  }
  out.append("accept: application/json\r\n");
  out.append(kRequestIdHeader).append(": ").append(exchange.request_id.view()).append("\r\n");
  return out;
}

void AggregateFilter::answer(Exchange& exchange, const aggregate::Merged& merged) {
  if (merged.status == 200) {
    exchange.local = {};
    exchange.local.result(http::status::ok);
  } else {
    exchange.answerWith(Reason::kAggregateFailed);
  }
  exchange.local.set(http::field::content_type, "application/json");
  exchange.local.set("x-gw-completed", merged.completed ? "true" : "false");
  exchange.local.body() = merged.body;
  if (exchange.facts.compress != nullptr) {  // the route's or its gateway's
    compress::compressWhole(
        exchange.local, *exchange.facts.compress,
        exchange.facts.encode ? std::optional(exchange.facts.encoding) : std::nullopt);
  }
}

Status AggregateFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  Worker* worker = host.worker();
  if (worker == nullptr) {  // unit tests: no event loop to call from
    return refuse(exchange, Reason::kAggregateFailed);
  }
  const Snapshot& snapshot = *exchange.snapshot;
  const std::vector<std::string> targets = targetsFor(exchange);
  const std::string fields = fieldsFor(exchange);
  std::vector<aggregate::CallPlan> plans(backends_.size());
  for (std::size_t i = 0; i < backends_.size(); ++i) {
    aggregate::CallPlan& plan = plans[i];
    plan.service = backends_[i].service;
    const ServiceEntry& service = snapshot.services[plan.service];
    const std::size_t endpoint =
        balancer::pickEndpoint(service.balancer, host.workerIndex(), host.roll(),
                               exchange.request(), exchange.client_ip, balancer::TriedEndpoints{});
    if (endpoint == balancer::kNoEndpoint || endpoint >= service.endpoints.size()) {
      plan.skipped = "no healthy endpoint in service " + service.name;
      continue;
    }
    plan.endpoint = static_cast<std::uint32_t>(endpoint);
    plan.request.reserve(targets[i].size() + fields.size() + 32);
    plan.request.append("GET ").append(targets[i]).append(" HTTP/1.1\r\n");
    plan.request.append(fields).append("\r\n");
  }
  const auto timeout = std::min(spec_.timeout, exchange.route->timeout);
  aggregate::fanOut(*worker, snapshot, std::move(plans), spec_.max_body_size,
                    Clock::now() + timeout, timeout,
                    [this, &exchange, &host](std::vector<aggregate::Outcome> outcomes) {
                      answer(exchange, aggregate::merge(spec_, outcomes));
                      host.resume(Status::kAnswer);
                    });
  return Status::kPause;
}

std::unique_ptr<Filter> build(const core::Aggregate& spec, const BuildContext& ctx) {
  std::vector<AggregateFilter::Backend> backends;
  for (const core::AggregateBackend& b : spec.backends) {
    AggregateFilter::Backend backend;
    const auto& services = ctx.config.services;
    const auto found = std::find_if(services.begin(), services.end(),
                                    [&](const core::Service& s) { return s.name == b.service; });
    std::string why;
    if (found == services.end() || !core::parsePathTemplate(b.path, backend.target, why)) {
      // validation rules both out; a snapshot never indexes past its services
      ctx.problems.push_back("route " + ctx.route.name + ": aggregate backend " +
                             core::Aggregate::nameOf(b) + ": " +
                             (why.empty() ? "no service named " + b.service : why));
      return nullptr;
    }
    backend.service = static_cast<std::uint32_t>(found - services.begin());
    backends.push_back(std::move(backend));
  }
  std::optional<std::regex> route_regex;
  if (ctx.route.match.type == core::MatchType::kRegex) {
    try {
      route_regex.emplace(ctx.route.match.path, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      ctx.problems.push_back("route " + ctx.route.name + ": its regex does not compile");
      return nullptr;
    }
  }
  return std::make_unique<AggregateFilter>(spec, std::move(backends), std::move(route_regex));
}

}  // namespace gw::proxy::filter
