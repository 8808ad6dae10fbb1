#include "proxy/cache/fill.hpp"

#include <charconv>

#include "proxy/cache/answer.hpp"

namespace gw::proxy::cache {
namespace {

bool serverError(unsigned status) {
  return status == 500 || status == 502 || status == 503 || status == 504;  // RFC 5861 4
}

// The Content-Length an answer declares (0 without one).
std::uint64_t declaredLength(const http::fields& fields) {
  const auto length = fields.find(http::field::content_length);
  std::uint64_t n = 0;
  if (length != fields.end()) {
    const std::string_view text = length->value();
    std::from_chars(text.data(), text.data() + text.size(), n);
  }
  return n;
}

std::string statusParam(unsigned status) { return "; fwd-status=" + std::to_string(status); }

}  // namespace

const char* toString(Result result) {
  switch (result) {
    case Result::kNone:
      return "";
    case Result::kHit:
      return "hit";
    case Result::kStale:
      return "stale";
    case Result::kRevalidated:
      return "revalidated";
    case Result::kMiss:
      return "miss";
    case Result::kBypass:
      return "bypass";
  }
  return "";
}

Fill::Fill(std::shared_ptr<ResponseCache> cache, const FillSpec& spec, std::string key, Kind kind,
           bool leader, std::shared_ptr<const StoredAnswer> stale, bool stale_if_error,
           Conditions client)
    : cache_(std::move(cache)),
      spec_(spec),
      key_(std::move(key)),
      kind_(kind),
      leader_(leader),
      stale_(std::move(stale)),
      stale_if_error_(stale_if_error),
      client_(std::move(client)),
      request_time_(nowSeconds()),
      result_(kind == Kind::kBypass || kind == Kind::kInvalidate ? Result::kBypass
                                                                 : Result::kMiss) {}

Fill::~Fill() { release(); }

void Fill::release() {
  if (leader_) {
    leader_ = false;
    cache_->collapser.release(key_);
  }
}

void Fill::applyDefaults(StoredAnswer& answer) const {
  // What the route says stands in for what the answer does not say.
  if (!answer.facts.cc.stale_while_revalidate && spec_.stale_while_revalidate > 0) {
    answer.facts.cc.stale_while_revalidate = spec_.stale_while_revalidate;
  }
  if (!answer.facts.cc.stale_if_error && spec_.stale_if_error > 0) {
    answer.facts.cc.stale_if_error = spec_.stale_if_error;
  }
}

Fill::Head Fill::onHead(unsigned status, const http::fields& fields, const http::fields& request,
                        bool head_request) {
  const Seconds now = nowSeconds();
  switch (kind_) {
    case Kind::kInvalidate:
      if (status < 400) {  // RFC 9111 4.4: a success changed what the URL names
        cache_->store.erase(key_);
      }
      cache_status_ = "gw; fwd=method";
      return Head::kRelay;
    case Kind::kBypass:
      cache_status_ = head_request ? "gw; fwd=uri-miss" : "gw; fwd=request";
      return Head::kRelay;
    case Kind::kRevalidate:
      if (status == 304 && stale_) {
        auto fresh = refreshed(*stale_, fields);
        fresh->request_time = request_time_;
        fresh->response_time = now;
        fresh->lifetime = freshnessLifetime(fresh->facts, spec_.default_ttl).value_or(0);
        applyDefaults(*fresh);
        cache_->store.put(key_, fresh);
        serve_ = std::move(fresh);
        result_ = Result::kRevalidated;
        cache_status_ = "gw; fwd=stale; fwd-status=304";
        release();
        return Head::kServeStored;
      }
      if (serverError(status) && stale_if_error_ && stale_) {
        serve_ = stale_;
        result_ = Result::kStale;
        cache_status_ = "gw; fwd=stale" + statusParam(status) + "; detail=stale-if-error";
        release();
        return Head::kServeStored;
      }
      cache_status_ = "gw; fwd=stale" + statusParam(status);
      break;
    case Kind::kMiss:
      cache_status_ = "gw; fwd=uri-miss" + statusParam(status);
      break;
  }
  // A new answer: stored when RFC 9111 allows.
  RequestFacts req = requestFacts(request);
  const ResponseFacts facts = responseFacts(status, fields);
  const Storability verdict = storability(req, facts, spec_.default_ttl);
  const bool too_large = declaredLength(fields) > cache_->store.maxObject();
  if (verdict.why != NotStored::kStored || too_large) {
    cache_status_ += "; detail=";
    cache_status_ += too_large ? "too-large" : toString(verdict.why);
    release();  // the waiters go to the upstream themselves
    return Head::kRelay;
  }
  capture_ = makeStored(status, fields, request, facts);
  capture_->request_time = request_time_;
  capture_->response_time = now;
  capture_->lifetime = verdict.lifetime;
  capture_->route = spec_.route;
  applyDefaults(*capture_);
  cache_status_ += "; stored";
  return Head::kRelay;
}

void Fill::onBody(const void* data, std::size_t n) {
  if (!capture_) {
    return;
  }
  if (capture_->body.size() + n > cache_->store.maxObject()) {
    capture_.reset();  // too large after all (no Content-Length said so)
    release();
    return;
  }
  capture_->body.append(static_cast<const char*>(data), n);
}

void Fill::onEnd(bool complete) {
  if (capture_ && complete) {
    cache_->store.put(key_, std::move(capture_));
  }
  capture_.reset();
  release();
}

void Fill::writeServed(http::response<http::string_body>& out) const {
  const StoredAnswer& stored = *serve_;
  const Seconds age =
      currentAge(stored.facts, stored.request_time, stored.response_time, nowSeconds());
  writeStored(stored, age, notModified(client_, stored), cache_status_, out);
}

bool Fill::staleOnError() {
  if (kind_ != Kind::kRevalidate || !stale_if_error_ || !stale_) {
    return false;
  }
  serve_ = stale_;
  result_ = Result::kStale;
  cache_status_ = "gw; fwd=stale; detail=stale-if-error";
  release();
  return true;
}

}  // namespace gw::proxy::cache
