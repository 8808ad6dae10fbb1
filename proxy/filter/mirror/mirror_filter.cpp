#include "proxy/filter/mirror/mirror_filter.hpp"

#include <string>

#include "proxy/balancer/request_key.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/snapshot/snapshot.hpp"
#include "proxy/upstream/mirror.hpp"

namespace gw::proxy::filter {

Status MirrorFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  Worker* worker = host.worker();
  const auto& req = exchange.request();
  if (worker == nullptr || exchange.body_streamed || exchange.websocket || !replayableBody(req) ||
      host.roll() % 100 >= static_cast<std::uint32_t>(percent_)) {
    return Status::kContinue;
  }
  const ServiceEntry& target = exchange.snapshot->services[service_];
  const int worker_index = host.workerIndex();
  const std::size_t index = balancer::pickEndpoint(target.balancer, worker_index, host.roll(), req,
                                                   exchange.client_ip, balancer::TriedEndpoints{});
  if (index == balancer::kNoEndpoint || index >= target.endpoints.size()) {
    return Status::kContinue;
  }
  std::string head;
  appendHead(req, head, {kRequestIdHeader, exchange.request_id.view()});
  const auto& services = exchange.snapshot->stats->services;
  sendMirror(*worker, target.endpoints[index], head, req.body(), exchange.head_request,
             service_ < services.size() ? services[service_].mirrored : nullptr);
  return Status::kContinue;
}

std::unique_ptr<Filter> build(const core::Mirror& spec, const BuildContext& ctx) {
  const auto& services = ctx.config.services;
  std::uint32_t index = 0;
  while (index < services.size() && services[index].name != spec.service) {
    ++index;
  }
  if (index == services.size()) {  // validation rules this out; a snapshot never indexes past
    ctx.problems.push_back("route " + ctx.route.name + ": no service named " + spec.service);
    return nullptr;
  }
  return std::make_unique<MirrorFilter>(index, spec.percent);
}

}  // namespace gw::proxy::filter
