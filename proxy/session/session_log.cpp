// The end of every request on Session: stats into the snapshot's nodes and one access log
// line (when the snapshot's config keeps the log on). Also the request id's trips: taken
// from or made for the request, sent upstream, returned to the client.

#include <functional>

#include "proxy/http/headers.hpp"
#include "proxy/observe/access_log.hpp"
#include "proxy/runtime/worker.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {
namespace {

// Where `item` sits in `items`, or kNone when it belongs to another snapshot's vector.
template <class T>
std::size_t indexIn(const std::vector<T>& items, const T* item) {
  const std::less<const T*> before;
  if (item == nullptr || before(item, items.data()) || !before(item, items.data() + items.size())) {
    return StatsBinding::kNone;
  }
  return static_cast<std::size_t>(item - items.data());
}

}  // namespace

void Session::logRequest() {
  worker_.countRequest();
  const Clock::duration duration = Clock::now() - exchange().started;
  const Snapshot* snapshot = snapshot_.get();
  if (exchange().route != nullptr && exchange().route->chain.hasDoneHooks()) {
    exchange().route->chain.runDone(exchange());
  }
  if (snapshot != nullptr && snapshot->stats) {
    StatsBinding::Request done;
    if (listener_ != nullptr) {
      done.gateway = listener_->gateway;
    }
    done.route = indexIn(snapshot->routes, exchange().route);
    done.service = indexIn(snapshot->services, exchange().service);
    if (done.service != StatsBinding::kNone) {
      done.endpoint = indexIn(exchange().service->endpoints, exchange().endpoint);
    }
    done.status = exchange().status;
    const ExchangeFacts& facts = exchange().facts;
    done.consumer = facts.consumer_index;
    done.access_checked = facts.access_checked;
    done.shadow_denied = facts.shadow_denied;
    done.shadow_limited = facts.shadow_limited;
    done.cache = facts.cache;
    done.bytes = exchange().bytes;
    if (isAccessRefusal(exchange().reason)) {
      done.refusal = AccessCounters::kAuthMissing + static_cast<std::size_t>(exchange().reason) -
                     static_cast<std::size_t>(Reason::kAuthMissing);
    }
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
    done.micros = static_cast<std::uint64_t>(micros > 0 ? micros : 0);
    snapshot->stats->record(worker_.index(), done);
  }
  if (snapshot != nullptr && snapshot->usage && exchange().facts.consumer_index >= 0) {
    meterRequest(*snapshot, duration);
  }
  AccessLogWriter* log = worker_.accessLog();
  if (log != nullptr && snapshot != nullptr && snapshot->config->proxy.access_log) {
    writeAccessLog(*log, duration);
  }
  exchange().request_id.clear();
  exchange().upstream_answered = false;
  exchange().retries_done = 0;
}

// Usage of an identified consumer (metering/usage_meter.hpp).
void Session::meterRequest(const Snapshot& snapshot, Clock::duration duration) {
  const UsageBinding& usage = *snapshot.usage;
  const ExchangeFacts& facts = exchange().facts;
  const auto consumer = static_cast<std::size_t>(facts.consumer_index);
  const std::size_t route = indexIn(snapshot.routes, exchange().route);
  if (consumer >= usage.consumers.size() || route >= usage.routes.size()) {
    return;
  }
  metering::UsageRecord record;
  record.consumer = usage.consumers[consumer];
  record.route = usage.routes[route];
  record.status = exchange().status;
  record.refused = isAccessRefusal(exchange().reason);
  if (exchange().parser && exchange().parser->is_header_done()) {
    const auto length = exchange().parser->content_length();
    record.bytes_in = length ? *length : exchange().request().body().size();
  }
  record.bytes_out = exchange().bytes;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
  record.micros = static_cast<std::uint64_t>(micros > 0 ? micros : 0);
  record.consumer_name = facts.consumer;
  record.route_name = exchange().route->route->name;
  record.request_id = exchange().request_id.view();
  usage.meter->record(worker_.index(), record);
}

void Session::writeAccessLog(AccessLogWriter& log, Clock::duration duration) {
  AccessRecord record;
  record.request_id = exchange().request_id.view();
  record.client =
      exchange().client_ip.empty() ? std::string_view(client_ip_) : exchange().client_ip;
  if (exchange().parser && exchange().parser->is_header_done()) {
    const auto& req = exchange().request();
    record.method = req.method_string();
    record.host = req[http::field::host];
    record.path =
        exchange().original_path.empty() ? targetPath(req.target()) : exchange().original_path;
  }
  if (exchange().route != nullptr) {
    record.route = exchange().route->route->name;
  }
  if (exchange().service != nullptr) {
    record.service = exchange().service->name;
  }
  if (exchange().endpoint != nullptr) {
    record.endpoint = exchange().endpoint->text;
  }
  record.error = describe(exchange().reason).code;
  record.status = exchange().status;
  record.bytes = exchange().bytes;
  record.duration = duration;
  if (exchange().upstream_answered) {
    record.upstream = exchange().upstream_elapsed;
  }
  record.retries = exchange().retries_done;
  record.consumer = exchange().facts.consumer;
  record.shadow_denied = exchange().facts.shadow_denied;
  record.cache = cache::toString(exchange().facts.cache);
  log.append(record);
}

}  // namespace gw::proxy
