#pragma once
// One issuance as RFC 8555 section 7.4 lays it out: newOrder, the pending authorizations'
// challenges presented through the responder and answered together, polling until the CA
// has decided, finalize with a CSR, polling the order, downloading the chain. Internal to
// AcmeClient::issue.

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/acme/client.hpp"

namespace gw::acme {

class OrderFlow {
 public:
  OrderFlow(AcmeClient& client, const IssueOptions& options, ChallengeResponder& responder);
  OrderFlow(const OrderFlow&) = delete;
  OrderFlow& operator=(const OrderFlow&) = delete;
  // Cleans up every challenge that was presented, however the flow ended.
  ~OrderFlow();

  core::Result<IssuedCertificate> run(const std::vector<std::string>& domains);

 private:
  struct Pending {
    std::string name;  // as ordered: "*.shop.test" for a wildcard, whose challenge is for shop.test
    Challenge challenge;
    std::string authz_url;
    std::string challenge_url;
  };

  core::Result<nlohmann::json> createOrder(const std::vector<std::string>& domains);
  core::Status authorize(const std::vector<std::string>& authz_urls);
  core::Result<std::optional<Pending>> prepare(const std::string& authz_url);
  core::Status await(const Pending& pending);
  core::Result<std::string> finalize(const nlohmann::json& order, const PrivateKey& key,
                                     const std::vector<std::string>& domains);

  // POST-as-GET of `url`, expecting 200 and JSON.
  core::Result<nlohmann::json> fetch(const std::string& url, const std::string& what);
  // Fetches `url` until `settled` holds, waiting as Retry-After says or first_poll doubling
  // up to max_poll, within the deadline.
  core::Result<nlohmann::json> poll(const std::string& url, const std::string& what,
                                    const std::function<bool(const nlohmann::json&)>& settled);

  AcmeClient& client_;
  const IssueOptions& options_;
  ChallengeResponder& responder_;
  std::chrono::steady_clock::time_point deadline_;
  std::string order_url_;
  std::vector<Challenge> presented_;
};

}  // namespace gw::acme
