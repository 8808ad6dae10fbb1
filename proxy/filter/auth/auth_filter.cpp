#include "proxy/filter/auth/auth_filter.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <boost/asio/post.hpp>

#include "proxy/filter/auth/slow_work.hpp"
#include "proxy/runtime/worker.hpp"

namespace gw::proxy::filter {
namespace {

constexpr std::string_view kConsumerHeader = "x-gw-consumer";
constexpr std::string_view kGroupsHeader = "x-gw-consumer-groups";

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Standard base64 (RFC 4648 section 4), as basic auth uses it; nothing when malformed.
std::optional<std::string> decodeBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0 || text.size() > 4096) {
    return std::nullopt;
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    return std::nullopt;
  }
  auto size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    --size;  // EVP_DecodeBlock counts the padding as zero bytes
  }
  out.resize(size);
  return out;
}

bool isPreflight(const Exchange::Request& req) {
  return req.method() == http::verb::options && req.find(http::field::origin) != req.end() &&
         req.find(http::field::access_control_request_method) != req.end();
}

}  // namespace

AuthFilter::AuthFilter(const core::AuthPolicy& policy,
                       std::shared_ptr<const ConsumerDirectory> directory, bool cors,
                       const std::vector<std::shared_ptr<JwtProviderState>>& providers)
    : optional_(policy.optional),
      keep_credentials_(policy.keep_credentials),
      cors_(cors),
      api_key_header_(policy.api_key_header),
      directory_(std::move(directory)) {
  for (const std::string& method : policy.methods) {
    if (method == "api-key") {
      methods_.push_back({Method::kApiKey, nullptr});
      challenges_.push_back(R"(ApiKey realm="gw", header=")" + api_key_header_ + "\"");
    } else if (method == "basic") {
      methods_.push_back({Method::kBasic, nullptr});
      challenges_.emplace_back(R"(Basic realm="gw", charset="UTF-8")");
    } else if (method == "mtls") {
      methods_.push_back({Method::kMtls, nullptr});
    } else if (method.rfind("jwt:", 0) == 0) {
      for (const auto& provider : providers) {
        if (provider->spec().name == method.substr(4)) {
          methods_.push_back({Method::kJwt, provider});
        }
      }
      if (std::find(challenges_.begin(), challenges_.end(), "Bearer realm=\"gw\"") ==
          challenges_.end()) {
        challenges_.emplace_back("Bearer realm=\"gw\"");
      }
    }
  }
}

Status AuthFilter::onRequest(Exchange& exchange, FilterHost& host) const {
  exchange.facts.access_checked = true;
  auto& req = exchange.request();
  if (cors_ && isPreflight(req)) {
    return Status::kContinue;
  }
  const auto auth = req.find(http::field::authorization);
  const std::string_view authorization =
      auth == req.end() ? std::string_view{} : std::string_view(auth->value());
  for (const MethodEntry& entry : methods_) {
    switch (entry.method) {
      case Method::kApiKey:
        if (const auto key = req.find(api_key_header_); key != req.end()) {
          return checkApiKey(exchange, key->value());
        }
        break;
      case Method::kBasic:
        if (startsWithNoCase(authorization, "basic ")) {
          return checkBasic(exchange, host, authorization);
        }
        break;
      case Method::kJwt:
        if (startsWithNoCase(authorization, "bearer ")) {
          return checkJwt(exchange, *entry.provider, authorization.substr(7));
        }
        break;
      case Method::kMtls:
        if (exchange.client_certificate != nullptr) {
          return decide(exchange, directory_->findCertificate(*exchange.client_certificate),
                        "mtls");
        }
        break;
    }
  }
  if (optional_) {
    return Status::kContinue;
  }
  return challenge(exchange, Reason::kAuthMissing);
}

Status AuthFilter::checkApiKey(Exchange& exchange, std::string_view key) const {
  return decide(exchange, directory_->findKey(key), "api-key");
}

Status AuthFilter::checkBasic(Exchange& exchange, FilterHost& host,
                              std::string_view credential) const {
  const Digest digest = sha256(credential);
  if (const auto verdict = directory_->cachedVerdict(digest)) {
    return decide(exchange, *verdict, "basic");
  }
  auto decoded = decodeBase64(credential.substr(6));
  const auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos) {
    return challenge(exchange, Reason::kAuthInvalid);
  }
  std::string user = decoded->substr(0, colon);
  std::string password = decoded->substr(colon + 1);
  Worker* worker = host.worker();
  if (worker == nullptr) {  // no event loop to keep free (unit tests): check here
    const int consumer = directory_->checkPassword(user, password);
    directory_->remember(digest, consumer);
    return decide(exchange, consumer, "basic");
  }
  auto& context = worker->context();
  const bool queued = runSlow([this, &exchange, &host, &context, digest, user = std::move(user),
                               password = std::move(password), directory = directory_]() {
    const int consumer = directory->checkPassword(user, password);
    directory->remember(digest, consumer);
    asio::post(context, [this, &exchange, &host, consumer] {
      host.resume(decide(exchange, consumer, "basic"));
    });
  });
  if (!queued) {
    return challenge(exchange, Reason::kAuthInvalid);
  }
  return Status::kPause;
}

Status AuthFilter::checkJwt(Exchange& exchange, JwtProviderState& provider,
                            std::string_view token) const {
  while (!token.empty() && token.front() == ' ') {
    token.remove_prefix(1);
  }
  JwtProviderState::Outcome outcome = provider.verify(token);
  if (outcome.reason != Reason::kNone) {
    challenge(exchange, outcome.reason);
    exchange.local.set(http::field::www_authenticate,
                       std::string("Bearer realm=\"gw\", error=\"invalid_token\", "
                                   "error_description=\"") +
                           std::string(jose::toString(outcome.verdict)) + "\"");
    return Status::kAnswer;
  }
  auto& req = exchange.request();
  for (const core::ClaimHeader& copy : provider.spec().claims_to_headers) {
    const std::string value = outcome.claims->text(copy.claim);
    if (value.empty()) {
      req.erase(copy.header);  // never the client's own
    } else {
      req.set(copy.header, value);
    }
  }
  const int consumer = directory_->findJwt(*outcome.claims);
  exchange.facts.claims = std::move(outcome.claims);
  if (consumer >= 0) {
    return decide(exchange, consumer, "jwt");
  }
  exchange.facts.auth_method = "jwt";  // a caller the token vouches for, no consumer of ours
  if (!keep_credentials_) {
    req.erase(http::field::authorization);
  }
  return Status::kContinue;
}

Status AuthFilter::decide(Exchange& exchange, int consumer, std::string_view method) const {
  if (consumer < 0) {
    return challenge(exchange, Reason::kAuthInvalid);
  }
  exchange.facts.consumer = directory_->name(consumer);
  exchange.facts.consumer_index = consumer;
  exchange.facts.auth_method = method;
  auto& req = exchange.request();
  req.set(kConsumerHeader, exchange.facts.consumer);
  if (const std::string& groups = directory_->groups(consumer); !groups.empty()) {
    req.set(kGroupsHeader, groups);
  }
  if (!keep_credentials_) {
    if (method == "api-key") {
      req.erase(api_key_header_);
    } else if (method != "mtls") {  // a certificate stays with the connection
      req.erase(http::field::authorization);
    }
  }
  return Status::kContinue;
}

Status AuthFilter::challenge(Exchange& exchange, Reason reason) const {
  refuse(exchange, reason);
  for (const std::string& value : challenges_) {
    exchange.local.insert(http::field::www_authenticate, value);
  }
  return Status::kAnswer;
}

std::shared_ptr<const ConsumerDirectory> consumerDirectory(const BuildContext& ctx) {
  return ctx.states.stateFor<ConsumerDirectory>("document", "consumers", ctx.config.consumers, [&] {
    return std::make_shared<ConsumerDirectory>(ctx.config.consumers);
  });
}

std::shared_ptr<JwtProviderState> jwtProvider(const BuildContext& ctx, const std::string& name) {
  const core::JwtProvider* spec = nullptr;
  for (const core::JwtProvider& provider : ctx.config.jwt_providers) {
    if (provider.name == name) {
      spec = &provider;
    }
  }
  if (spec == nullptr) {
    return nullptr;
  }
  return ctx.states.stateFor<JwtProviderState>(
      "document", "jwt/" + name, *spec, [&] { return std::make_shared<JwtProviderState>(*spec); });
}

std::unique_ptr<Filter> build(const core::AuthPolicy& spec, const BuildContext& ctx) {
  std::vector<std::shared_ptr<JwtProviderState>> providers;
  for (const std::string& method : spec.methods) {
    if (method.rfind("jwt:", 0) != 0) {
      continue;
    }
    if (auto provider = jwtProvider(ctx, method.substr(4))) {
      providers.push_back(std::move(provider));
    } else {
      ctx.problems.push_back(ctx.scope + ": unknown JWT provider " + method.substr(4));
    }
  }
  return std::make_unique<AuthFilter>(spec, consumerDirectory(ctx), ctx.route.cors.has_value(),
                                      providers);
}

}  // namespace gw::proxy::filter
