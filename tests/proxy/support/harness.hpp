#pragma once
// In-process proxy for tests: configs built in C++, a Server started on them, a keep-alive
// HTTP client and a raw-bytes client. Everything on 127.0.0.1.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/config/model.hpp"
#include "proxy/proxy.hpp"

namespace gw::test {

using namespace std::chrono_literals;

// --- configs ---------------------------------------------------------------------------
core::Gateway makeGateway(const std::string& name,
                          std::vector<std::pair<core::Protocol, std::uint16_t>> listeners);
core::Service makeService(const std::string& name, std::vector<std::string> endpoints);
core::Route makeRoute(const std::string& name, const std::string& gateway,
                      std::vector<std::string> hosts,
                      std::vector<std::pair<std::string, int>> destinations);
// Gateway "edge" with an http listener on `port`, service `service` with one endpoint, and a
// route of the same name sending `host` to it.
core::Config singleRoute(std::uint16_t port, const std::string& service,
                         const std::string& endpoint, const std::string& host = "*");

// --- the proxy --------------------------------------------------------------------------
class ProxyUnderTest {
 public:
  // Starts a Server whose loader returns the config last given to setConfig (each with the
  // next revision number). Throws when start() fails.
  // `certs_dir`: where the config's certificates have their files (<name>/cert.pem, key.pem).
  // `acme_dir`: where pending challenge answers are (http-01/, tls-alpn-01/).
  explicit ProxyUnderTest(core::Config config, int threads = 2, std::string access_log = "",
                          std::string certs_dir = "", std::string acme_dir = "");
  ~ProxyUnderTest();

  static core::Result<std::unique_ptr<proxy::Server>> tryStart(core::Config config);

  void setConfig(core::Config config);
  void failLoads(std::optional<core::Error> error);  // nullopt: load normally again
  proxy::Server& server() { return *server_; }
  const std::string& token() const { return token_; }

 private:
  struct State {
    std::mutex mutex;
    std::shared_ptr<const core::Config> config;
    std::optional<core::Error> error;
    std::uint64_t revision = 0;
  };
  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::string token_ = "test-token-0123456789";
  std::unique_ptr<proxy::Server> server_;
};

// --- clients ----------------------------------------------------------------------------
struct Reply {
  unsigned status = 0;
  unsigned version = 11;
  std::map<std::string, std::string> headers;  // lower-cased names
  std::string body;
  bool keep_alive = false;
  std::string head;  // as received, for what the map folds (TlsClient only)

  std::string header(const std::string& name) const;
};

// One keep-alive connection; every operation is bounded by `timeout`. Throws on failure.
class HttpClient {
 public:
  explicit HttpClient(std::uint16_t port, std::chrono::milliseconds timeout = 20s);
  ~HttpClient();

  Reply request(const std::string& method, const std::string& host, const std::string& target,
                const std::vector<std::pair<std::string, std::string>>& headers = {},
                const std::string& body = "");
  Reply get(const std::string& host, const std::string& target = "/") {
    return request("GET", host, target);
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Sends `bytes` and returns everything received until the peer closes (or `timeout`).
std::string rawExchange(std::uint16_t port, const std::string& bytes,
                        std::chrono::milliseconds timeout = 5s);

}  // namespace gw::test
