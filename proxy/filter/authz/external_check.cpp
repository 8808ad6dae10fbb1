#include "proxy/filter/authz/external_check.hpp"

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <memory>

#include "core/net/host_port.hpp"
#include "proxy/http/headers.hpp"
#include "proxy/upstream/call.hpp"

namespace gw::proxy::filter {
namespace {

constexpr std::size_t kHeaderLimit = 16 * 1024;

// One question to the authorizer, alive until its answer (or failure) is handed over.
class Question : public std::enable_shared_from_this<Question> {
 public:
  Question(asio::io_context& ioc, std::string request,
           std::function<void(ExternalCheck::Verdict)> done)
      : call_(ioc, UpstreamCall::Deadlines::kTimer),
        request_(std::move(request)),
        done_(std::move(done)) {}

  void start(const tcp::endpoint& endpoint, std::chrono::milliseconds timeout) {
    call_.expiresAt(Clock::now() + timeout);
    call_.connect(endpoint, 0, [self = shared_from_this()](error_code ec) {
      if (ec) {
        return self->finish(ExternalCheck::Verdict::kError);
      }
      self->call_.write(asio::buffer(self->request_),
                        [self](error_code write_ec, std::size_t /*n*/) {
                          if (write_ec) {
                            return self->finish(ExternalCheck::Verdict::kError);
                          }
                          self->read();
                        });
    });
  }

 private:
  void read() {
    parser_.header_limit(kHeaderLimit);
    call_.readHeader(parser_, [self = shared_from_this()](error_code ec, std::size_t /*n*/) {
      if (ec) {
        return self->finish(ExternalCheck::Verdict::kError);
      }
      const unsigned status = self->parser_.get().result_int();
      self->finish(status >= 200 && status < 300 ? ExternalCheck::Verdict::kAllow
                                                 : ExternalCheck::Verdict::kDeny);
    });
  }

  void finish(ExternalCheck::Verdict verdict) {
    call_.finish(nullptr, false, Clock::now());
    if (done_) {
      auto done = std::move(done_);
      done_ = nullptr;
      done(verdict);
    }
  }

  UpstreamCall call_;
  std::string request_;
  http::response_parser<http::empty_body> parser_;
  std::function<void(ExternalCheck::Verdict)> done_;
};

}  // namespace

ExternalCheck::ExternalCheck(const core::ExternalAuthz& spec, std::string& problem) : spec_(spec) {
  std::string rest = spec.url.substr(std::min<std::size_t>(spec.url.size(), 7));  // "http://"
  const auto slash = rest.find('/');
  host_ = rest.substr(0, slash);
  path_ = slash == std::string::npos ? "/" : rest.substr(slash);
  const auto parsed = core::net::parseHostPort(host_);
  if (!parsed) {
    problem = "authorization.external.url " + spec.url + ": expected http://HOST:PORT/PATH";
    return;
  }
  asio::io_context ioc;
  error_code ec;
  tcp::resolver resolver(ioc);
  const auto found = resolver.resolve(parsed->host, std::to_string(parsed->port), ec);
  if (ec || found.empty()) {
    problem = "authorization.external.url " + spec.url + ": cannot resolve " + parsed->host;
    return;
  }
  endpoint_ = found.begin()->endpoint();
}

std::string ExternalCheck::requestFor(const Exchange& exchange) const {
  const auto& original = exchange.request();
  http::request_header<> head;
  head.method(http::verb::get);
  head.target(path_);
  head.version(11);
  for (const auto& field : original) {
    const auto name = field.name();
    if (name == http::field::content_length || name == http::field::transfer_encoding ||
        name == http::field::connection || name == http::field::host ||
        name == http::field::expect) {
      continue;
    }
    head.insert(field.name_string(), field.value());
  }
  head.set(http::field::host, host_);
  head.set("X-Forwarded-Method", original.method_string());
  head.set("X-Forwarded-Uri", exchange.original_path.empty()
                                  ? std::string_view(original.target())
                                  : std::string_view(exchange.original_path));
  head.set("X-Forwarded-Host", original[http::field::host]);
  head.set("X-Forwarded-Proto", exchange.https ? "https" : "http");
  head.set("X-Forwarded-For", exchange.client_ip);
  head.set(http::field::connection, "close");
  std::string out;
  appendHead(head, out);
  return out;
}

void ExternalCheck::ask(asio::io_context& ioc, const Exchange& exchange,
                        std::function<void(Verdict)> done) const {
  if (!endpoint_) {
    done(Verdict::kError);
    return;
  }
  auto question = std::make_shared<Question>(ioc, requestFor(exchange), std::move(done));
  question->start(*endpoint_, spec_.timeout);
}

ExternalCheck::Verdict ExternalCheck::askNow(const Exchange& exchange) const {
  asio::io_context ioc{1};
  Verdict verdict = Verdict::kError;
  ask(ioc, exchange, [&verdict](Verdict v) { verdict = v; });
  ioc.run();
  return verdict;
}

}  // namespace gw::proxy::filter
