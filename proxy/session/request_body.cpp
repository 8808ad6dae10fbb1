// Reading a request body ahead for Session. Only bodies longer than a retry may keep are
// streamed (forward/upload.cpp): what was read ahead goes first, then each piece the client
// sends, so memory stays bounded whatever the body's size. A body read whole goes out with a
// Content-Length (session/dispatch.cpp, prepareForUpstream), so it can be sent again on a
// retry; its trailers are then dropped, not merged into the head: RFC 9110 section 6.5.2
// allows merging only fields defined to be safe there.

#include "proxy/http/parse.hpp"
#include "proxy/http/protection.hpp"
#include "proxy/retry/policy.hpp"
#include "proxy/session/session.hpp"

namespace gw::proxy {

// Reads the body ahead up to the size a retry may keep (retry/policy.hpp): a body that ends
// within it is forwarded whole and can be sent again; a longer one (or a longer chunked one)
// is streamed from there on (forward/upload.cpp), never held whole.
void Session::readBody() {
  error_code ec;
  parseBuffered(*exchange().parser, buffer_, false, ec);
  if (ec || exchange().parser->is_done() ||
      exchange().request().body().size() >= kMaxReplayableBody) {
    onBody(ec);
    return;
  }
  readBodyBytes([this](error_code read_ec) {
    if (read_ec) {
      closeNow();  // the client went away mid-body
      return;
    }
    readBody();
  });
}

void Session::onBody(error_code ec) {
  if (closed_) {
    return;
  }
  client_deadline_ = kNever;
  if (ec) {
    bodyError(ec);
    return;
  }
  exchange().body_streamed = !exchange().parser->is_done();
  dispatch();
}

void Session::bodyError(error_code ec) {
  if (ec == http::error::body_limit) {
    reject(Reason::kBodyTooLarge);
  } else if (isMalformed(ec)) {
    reject(Reason::kBadRequest);
  } else {
    closeNow();
  }
}

void Session::readFromClient() {
  readBodyBytes([this](error_code ec) { forwarder().onClientRead(ec); });
}

void Session::cancelRead() {
  error_code ec;
  stream_.cancel(ec);
}

}  // namespace gw::proxy
