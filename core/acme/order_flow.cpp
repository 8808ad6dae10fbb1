#include "core/acme/order_flow.hpp"

#include <algorithm>
#include <cctype>
#include <thread>

#include "core/acme/certificate.hpp"
#include "core/acme/encoding.hpp"

namespace gw::acme {

namespace {

using core::ErrorKind;
using core::makeError;
using Clock = std::chrono::steady_clock;

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

std::string status(const nlohmann::json& doc) { return doc.value("status", ""); }

// Tokens go into a URL path and a file name: only the base64url alphabet (section 8.1).
bool validToken(const std::string& token) {
  return token.size() >= 16 && std::all_of(token.begin(), token.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
         });
}

std::string seconds(std::chrono::milliseconds ms) {
  return std::to_string((ms.count() + 999) / 1000) + " s";
}

}  // namespace

OrderFlow::OrderFlow(AcmeClient& client, const IssueOptions& options, ChallengeResponder& responder)
    : client_(client),
      options_(options),
      responder_(responder),
      deadline_(Clock::now() + options.deadline) {}

OrderFlow::~OrderFlow() {
  for (const auto& challenge : presented_) {
    responder_.cleanUp(challenge);
  }
}

core::Result<IssuedCertificate> OrderFlow::run(const std::vector<std::string>& domains) {
  auto key = options_.key_pem.empty() ? PrivateKey::generate(options_.key_type)
                                      : PrivateKey::fromPem(options_.key_pem);
  if (!key) {
    return std::move(key).error().context("the certificate key");
  }
  auto order = createOrder(domains);
  if (!order) {
    return std::move(order).error();
  }
  std::vector<std::string> authz_urls;
  for (const auto& url : order->value("authorizations", nlohmann::json::array())) {
    if (url.is_string()) {
      authz_urls.push_back(url.get<std::string>());
    }
  }
  auto authorized = authorize(authz_urls);
  if (!authorized) {
    return std::move(authorized).error();
  }
  auto chain = finalize(*order, *key, domains);
  if (!chain) {
    return std::move(chain).error();
  }
  auto parsed = parseCertificateChain(*chain);
  if (!parsed) {
    return std::move(parsed).error().context("the CA's certificate for " + joined(domains));
  }
  auto matches = certificateMatchesKey(*chain, *key);
  if (!matches) {
    return std::move(matches).error().context("the CA's certificate for " + joined(domains));
  }
  IssuedCertificate out;
  out.key_pem = key->pem();
  out.chain_pem = std::move(*chain);
  out.not_after = parsed->front().not_after;
  out.url = order->value("certificate", "");
  return out;
}

core::Result<nlohmann::json> OrderFlow::createOrder(const std::vector<std::string>& domains) {
  const std::string what = "ordering a certificate for " + joined(domains);
  auto dir = client_.transport_.directory();
  if (!dir) {
    return std::move(dir).error();
  }
  nlohmann::json identifiers = nlohmann::json::array();
  for (const auto& d : domains) {
    identifiers.push_back({{"type", "dns"}, {"value", d}});
  }
  nlohmann::json payload{{"identifiers", identifiers}};
  if (!options_.profile.empty()) {
    const auto& offered = (*dir)->profiles;
    if (offered.empty()) {
      return makeError(ErrorKind::kUsage, what +
                                              ": the CA offers no certificate profiles, so "
                                              "profile '" +
                                              options_.profile + "' cannot be used");
    }
    if (std::find(offered.begin(), offered.end(), options_.profile) == offered.end()) {
      return makeError(ErrorKind::kUsage, what + ": the CA offers no profile '" + options_.profile +
                                              "' (it offers " + joined(offered) + ")");
    }
    payload["profile"] = options_.profile;
  }
  if (!options_.replaces.empty() && !(*dir)->renewal_info.empty()) {
    payload["replaces"] = options_.replaces;
  }
  auto response = client_.transport_.post((*dir)->new_order, payload.dump(), client_.signer());
  if (!response) {
    return std::move(response).error().context(what);
  }
  if (response->status != 201) {
    return client_.refusal(what, *response);
  }
  order_url_ = response->header("location");
  auto doc = jsonBody(*response, what);
  if (!doc) {
    return std::move(doc).error();
  }
  if (order_url_.empty() || !doc->contains("finalize")) {
    return makeError(ErrorKind::kRuntime, what + ": the CA's order has no URL or no finalize URL");
  }
  return doc;
}

core::Result<std::optional<OrderFlow::Pending>> OrderFlow::prepare(const std::string& authz_url) {
  auto authz = fetch(authz_url, "reading the authorization " + authz_url);
  if (!authz) {
    return std::move(authz).error();
  }
  std::string domain = (*authz)["identifier"].value("value", "");
  if (authz->value("wildcard", false) && !domain.starts_with("*.")) {
    domain = "*." + domain;
  }
  const std::string label(challengeLabel(options_.challenge));
  const std::string state = status(*authz);
  if (state == "valid") {
    return std::optional<Pending>();  // proven before: authorizations may be reused
  }
  if (state != "pending") {
    return makeError(ErrorKind::kRuntime, domain + ": the CA's authorization is " + state);
  }
  const std::string wanted(challengeTypeName(options_.challenge));
  const std::string where = domain + ": " + label;
  std::vector<std::string> offered;
  for (const auto& c : authz->value("challenges", nlohmann::json::array())) {
    const std::string type = c.value("type", "");
    offered.push_back(type);
    if (type != wanted) {
      continue;
    }
    const std::string token = c.value("token", "");
    if (!validToken(token)) {
      return makeError(ErrorKind::kRuntime, where + ": the CA sent a bad token");
    }
    // The proof is for the name without "*." (RFC 8555 section 7.1.3).
    const std::string bare = domain.starts_with("*.") ? domain.substr(2) : domain;
    auto challenge = makeChallenge(options_.challenge, bare, token, client_.account_key_);
    if (!challenge) {
      return std::move(challenge).error().context(where);
    }
    return std::optional<Pending>(
        Pending{domain, std::move(*challenge), authz_url, c.value("url", "")});
  }
  return makeError(ErrorKind::kRuntime, domain + ": the CA does not offer " + label +
                                            " for this name (it offers " + joined(offered) + ")");
}

core::Status OrderFlow::authorize(const std::vector<std::string>& authz_urls) {
  std::vector<Pending> pending;
  for (const auto& url : authz_urls) {
    auto prepared = prepare(url);
    if (!prepared) {
      return std::move(prepared).error();
    }
    if (*prepared) {
      pending.push_back(std::move(**prepared));
    }
  }
  // Every answer is in place before the CA is asked to look at any of them.
  for (const auto& p : pending) {
    auto presented = responder_.present(p.challenge);
    presented_.push_back(p.challenge);  // cleaned up even when present failed half-way
    if (!presented) {
      return presented;  // a sentence naming the domain and the challenge already
    }
  }
  for (const auto& p : pending) {
    const std::string label(challengeLabel(p.challenge.type));
    auto response = client_.transport_.post(p.challenge_url, "{}", client_.signer());
    if (!response) {
      return std::move(response).error().context(p.name + ": " + label);
    }
    if (response->status != 200) {
      return client_.refusal(p.name + ": " + label + " failed", *response);
    }
  }
  for (const auto& p : pending) {
    auto done = await(p);
    if (!done) {
      return done;
    }
  }
  return core::Ok{};
}

core::Status OrderFlow::await(const Pending& p) {
  const std::string label(challengeLabel(p.challenge.type));
  const std::string what = p.name + ": " + label + " failed";
  auto authz = poll(p.authz_url, what, [](const nlohmann::json& doc) {
    const std::string s = status(doc);
    return s != "pending" && s != "processing";
  });
  if (!authz) {
    return std::move(authz).error();
  }
  const std::string state = status(*authz);
  if (state == "valid") {
    return core::Ok{};
  }
  const std::string wanted(challengeTypeName(p.challenge.type));
  for (const auto& c : authz->value("challenges", nlohmann::json::array())) {
    if (c.value("type", "") == wanted && c.contains("error")) {
      if (const auto problem = parseProblem(c["error"])) {
        return makeError(ErrorKind::kRuntime, what + ": " + problemWords(*problem));
      }
    }
  }
  return makeError(ErrorKind::kRuntime, what + ": the CA marked the authorization " + state);
}

core::Result<std::string> OrderFlow::finalize(const nlohmann::json& order, const PrivateKey& key,
                                              const std::vector<std::string>& domains) {
  const std::string what = "finishing the order for " + joined(domains);
  // The order turns "ready" once every authorization is valid (section 7.1.6).
  auto ready =
      poll(order_url_, what, [](const nlohmann::json& doc) { return status(doc) != "pending"; });
  if (!ready) {
    return std::move(ready).error();
  }
  nlohmann::json current = std::move(*ready);
  if (status(current) == "ready") {
    auto csr = makeCsr(key, domains);
    if (!csr) {
      return std::move(csr).error().context(what);
    }
    const nlohmann::json payload{{"csr", base64url(*csr)}};
    auto response =
        client_.transport_.post(order.value("finalize", ""), payload.dump(), client_.signer());
    if (!response) {
      return std::move(response).error().context(what);
    }
    if (response->status != 200) {
      return client_.refusal(what, *response);
    }
    auto settled = poll(order_url_, what, [](const nlohmann::json& doc) {
      const std::string s = status(doc);
      return s != "processing" && s != "ready";
    });
    if (!settled) {
      return std::move(settled).error();
    }
    current = std::move(*settled);
  }
  if (status(current) != "valid") {
    if (const auto problem =
            current.contains("error") ? parseProblem(current["error"]) : std::nullopt) {
      return makeError(ErrorKind::kRuntime, what + ": " + problemWords(*problem));
    }
    return makeError(ErrorKind::kRuntime, what + ": the CA marked the order " + status(current));
  }
  const std::string cert_url = current.value("certificate", "");
  auto response = client_.transport_.post(cert_url, std::nullopt, client_.signer(),
                                          "application/pem-certificate-chain");
  if (!response) {
    return std::move(response).error().context("downloading the certificate");
  }
  if (response->status != 200) {
    return client_.refusal("downloading the certificate " + cert_url, *response);
  }
  return std::move(response->body);
}

core::Result<nlohmann::json> OrderFlow::fetch(const std::string& url, const std::string& what) {
  auto response = client_.transport_.post(url, std::nullopt, client_.signer());
  if (!response) {
    return std::move(response).error().context(what);
  }
  if (response->status != 200) {
    return client_.refusal(what, *response);
  }
  return jsonBody(*response, what);
}

core::Result<nlohmann::json> OrderFlow::poll(
    const std::string& url, const std::string& what,
    const std::function<bool(const nlohmann::json&)>& settled) {
  std::chrono::milliseconds interval = options_.first_poll;
  while (true) {
    auto response = client_.transport_.post(url, std::nullopt, client_.signer());
    if (!response) {
      return std::move(response).error().context(what);
    }
    if (response->status != 200) {
      return client_.refusal(what, *response);
    }
    auto doc = jsonBody(*response, what);
    if (!doc) {
      return std::move(doc).error();
    }
    if (settled(*doc)) {
      return doc;
    }
    // Retry-After, when the CA sends one, says when it expects to have decided (7.4).
    std::chrono::milliseconds wait = interval;
    const auto now = std::chrono::system_clock::now();
    if (const auto when = parseRetryAfter(response->header("retry-after"), now)) {
      wait = std::max(std::chrono::milliseconds(0),
                      std::chrono::duration_cast<std::chrono::milliseconds>(*when - now));
    } else {
      interval = std::min(interval * 2, options_.max_poll);
    }
    if (Clock::now() + wait > deadline_) {
      return makeError(ErrorKind::kRuntime, what + ": the CA had not decided after " +
                                                seconds(options_.deadline) + " (still " +
                                                status(*doc) + ")");
    }
    std::this_thread::sleep_for(wait);
  }
}

}  // namespace gw::acme
