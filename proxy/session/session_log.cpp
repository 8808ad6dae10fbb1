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
  const Clock::duration duration = Clock::now() - started_;
  const Snapshot* snapshot = snapshot_.get();
  if (snapshot != nullptr && snapshot->stats) {
    StatsBinding::Request done;
    if (listener_ != nullptr) {
      done.gateway = listener_->gateway;
    }
    done.route = indexIn(snapshot->routes, route_);
    done.service = indexIn(snapshot->services, service_);
    if (done.service != StatsBinding::kNone) {
      done.endpoint = indexIn(service_->endpoints, endpoint_);
    }
    done.status = status_;
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(duration).count();
    done.micros = static_cast<std::uint64_t>(micros > 0 ? micros : 0);
    snapshot->stats->record(worker_.index(), done);
  }
  AccessLogWriter* log = worker_.accessLog();
  if (log != nullptr && snapshot != nullptr && snapshot->config->proxy.access_log) {
    writeAccessLog(*log, duration);
  }
  request_id_.clear();
  upstream_answered_ = false;
  retries_done_ = 0;
}

void Session::writeAccessLog(AccessLogWriter& log, Clock::duration duration) {
  AccessRecord record;
  record.request_id = request_id_.view();
  record.client = client_ip_;
  if (request_ && request_->is_header_done()) {
    const auto& req = request_->get();
    record.method = req.method_string();
    record.host = req[http::field::host];
    record.path = original_path_.empty() ? targetPath(req.target()) : original_path_;
  }
  if (route_ != nullptr) {
    record.route = route_->route->name;
  }
  if (service_ != nullptr) {
    record.service = service_->name;
  }
  if (endpoint_ != nullptr) {
    record.endpoint = endpoint_->text;
  }
  record.error = describe(reason_).code;
  record.status = status_;
  record.bytes = bytes_;
  record.duration = duration;
  if (upstream_answered_) {
    record.upstream = upstream_elapsed_;
  }
  record.retries = retries_done_;
  log.append(record);
}

}  // namespace gw::proxy
