// gw cert renew NAME|--all [--force] and gw cert revoke NAME: the running gateway renews on
// its own (at two thirds of the lifetime, or in the CA's ARI window); these do it now, under
// the same per-certificate lock, and reload the gateway so it serves the new files.

#include <iostream>
#include <random>

#include "cli/cert_state.hpp"
#include "cli/cert_store.hpp"
#include "cli/command.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/acme/renew.hpp"
#include "core/store/home.hpp"

namespace gw::cli {
namespace {

struct RenewFlags {
  std::string name;
  bool all = false;
  bool force = false;
  std::string reason = "unspecified";
};

const char* resultName(acme::RenewReport::Result r) {
  switch (r) {
    case acme::RenewReport::Result::kRenewed:
      return "renewed";
    case acme::RenewReport::Result::kNotDue:
      return "not due";
    case acme::RenewReport::Result::kBusy:
      return "busy";
    case acme::RenewReport::Result::kSkipped:
      return "skipped";
    case acme::RenewReport::Result::kFailed:
      return "failed";
  }
  return "failed";
}

// One line per certificate: to stderr when it was not renewed because of a problem.
void printReport(const std::string& name, const acme::RenewReport& report, bool forced) {
  const bool bad = report.result == acme::RenewReport::Result::kFailed ||
                   report.result == acme::RenewReport::Result::kBusy;
  const bool hint = report.result == acme::RenewReport::Result::kNotDue && !forced;
  (bad ? std::cerr : std::cout) << quoted("certificate", name) << ": " << report.message
                                << (hint ? " (--force renews now)" : "") << '\n';
}

core::Status runRenew(const RenewFlags& f, Context& ctx) {
  if (f.all == !f.name.empty()) {
    return core::makeError(core::ErrorKind::kUsage, "give a certificate NAME or --all");
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const auto all = allCertificates(*config);
  std::vector<const core::Certificate*> chosen;
  for (const core::Certificate& c : all) {
    if (f.all || c.name == f.name) {
      chosen.push_back(&c);
    }
  }
  if (!f.all && chosen.empty()) {
    return notFound("certificate", f.name);
  }
  std::mt19937_64 random(std::random_device{}());
  Json reports = Json::array();
  int renewed = 0;
  int failed = 0;
  for (const core::Certificate* c : chosen) {
    const auto report = acme::renewIfDue(issuerHome(ctx), certDir(ctx, c->name), *c,
                                         {std::chrono::system_clock::now(), f.force}, random);
    renewed += report.result == acme::RenewReport::Result::kRenewed ? 1 : 0;
    const bool bad = report.result == acme::RenewReport::Result::kFailed ||
                     report.result == acme::RenewReport::Result::kBusy;
    failed += bad ? 1 : 0;
    reports.push_back(
        {{"name", c->name}, {"result", resultName(report.result)}, {"message", report.message}});
    if (ctx.format() == Format::kTable) {
      printReport(c->name, report, f.force);
    }
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, reports);
  }
  if (renewed > 0) {
    if (auto reloaded = reloadRunningProxy(ctx, config->revision); !reloaded) {
      return reloaded;
    }
  }
  if (failed > 0) {
    return core::makeError(core::ErrorKind::kRuntime, std::to_string(failed) + " of " +
                                                          std::to_string(chosen.size()) +
                                                          " certificate(s) not renewed");
  }
  return core::Ok{};
}

// RFC 5280 CRLReason codes that a subscriber may give (RFC 8555 section 7.6).
std::optional<int> reasonCode(const std::string& name) {
  static const std::pair<const char*, int> kReasons[] = {{"unspecified", 0},
                                                         {"keyCompromise", 1},
                                                         {"affiliationChanged", 3},
                                                         {"superseded", 4},
                                                         {"cessationOfOperation", 5}};
  for (const auto& [text, code] : kReasons) {
    if (name == text) {
      return code;
    }
  }
  return std::nullopt;
}

core::Status runRevoke(const RenewFlags& f, Context& ctx) {
  const auto code = reasonCode(f.reason);
  if (!code) {
    return core::makeError(core::ErrorKind::kUsage,
                           "--reason " + f.reason +
                               ": must be unspecified, keyCompromise, affiliationChanged, "
                               "superseded or cessationOfOperation");
  }
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const auto all = allCertificates(*config);
  const auto found = std::ranges::find(all, f.name, &core::Certificate::name);
  if (found == all.end()) {
    return notFound("certificate", f.name);
  }
  auto chain = core::readFile(certDir(ctx, f.name) / "cert.pem");
  if (!chain) {
    return core::makeError(core::ErrorKind::kRuntime,
                           quoted("certificate", f.name) + " has no files to revoke");
  }
  if (auto revoked = acme::revoke(issuerHome(ctx), *found, *chain, *code); !revoked) {
    return revoked;
  }
  ctx.confirm(quoted("certificate", f.name) + " revoked; it still serves until 'gw cert renew " +
              f.name + " --force' or 'gw cert delete " + f.name + "'");
  return core::Ok{};
}

}  // namespace

void setupCertRenew(CLI::App& cert, Context& ctx) {
  auto renew = std::make_shared<RenewFlags>();
  CLI::App* r = addCommand(cert, "renew",
                           "Renew certificates that are due now (the gateway also does it on "
                           "its own)",
                           "  gw cert renew shop.test --force\n"
                           "  gw cert renew --all");
  r->add_option("name", renew->name, "Certificate name")->type_name("CERT");
  r->add_flag("--all", renew->all, "Every certificate of the document");
  r->add_flag("--force", renew->force, "Renew even when not due, and despite a backoff");
  onRun(r, ctx, renew, runRenew);

  auto revoke = std::make_shared<RenewFlags>();
  CLI::App* v = addCommand(cert, "revoke", "Ask the CA to revoke a certificate",
                           "  gw cert revoke shop.test --reason keyCompromise");
  v->add_option("name", revoke->name, "Certificate name")->required()->type_name("CERT");
  v->add_option("--reason", revoke->reason,
                "unspecified (default), keyCompromise, affiliationChanged, superseded or "
                "cessationOfOperation")
      ->type_name("REASON");
  onRun(v, ctx, revoke, runRevoke);
}

}  // namespace gw::cli
