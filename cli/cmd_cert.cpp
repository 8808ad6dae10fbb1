// gw cert import|list|get|delete: the certificates https listeners serve. A certificate is
// an entry of the document (name, domains, issuer, gateway, how it is ordered) and its files
// in the home: certs/<name>/cert.pem (the chain), key.pem (0600) and state.json (renewal).

#include <chrono>
#include <filesystem>
#include <iostream>

#include "cli/cert_state.hpp"
#include "cli/cert_store.hpp"
#include "cli/command.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/store/home.hpp"

namespace gw::cli {
namespace {

struct CertOptions {
  std::string name;
  std::string cert_file;
  std::string key_file;
  std::string gateway;
};

core::Status runImport(const CertOptions& o, Context& ctx) {
  for (const auto& [flag, file] : {std::pair{"--cert", o.cert_file}, {"--key", o.key_file}}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) {
      return core::makeError(core::ErrorKind::kUsage,
                             std::string(flag) + " " + file + ": no such file");
    }
  }
  auto leaf = checkPair(o.cert_file, o.key_file);
  if (!leaf) {
    return core::makeError(core::ErrorKind::kValidation,
                           "certificate " + o.name + ": " + leaf.error().message);
  }
  auto cert_pem = core::readFile(o.cert_file);
  auto key_pem = core::readFile(o.key_file);
  if (!cert_pem || !key_pem) {
    return std::move(!cert_pem ? cert_pem : key_pem).error();
  }
  core::Certificate entry;
  entry.name = o.name;
  entry.domains = leaf->dns_names;
  entry.issuer = core::Issuer::kImported;
  entry.gateway = o.gateway;
  return storeCertificate(ctx, entry, *cert_pem, *key_pem, "imported");
}

core::Status listCertificates(const CertOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  Json all = Json::array();
  Table table{{"NAME", "DOMAINS", "ISSUER", "GATEWAY", "NOT AFTER", "DAYS LEFT", "STATE"}, {}};
  for (const core::Certificate& c : allCertificates(*config)) {
    const CertState state = stateOf(certDir(ctx, c.name), c);
    all.push_back(certJson(c, state));
    table.rows.push_back({c.name, join(c.domains), std::string(core::toString(c.issuer)),
                          c.gateway.empty() ? "*" : c.gateway, isoTime(state.not_after),
                          state.not_after != 0 ? std::to_string(state.days_left) : "-",
                          stateText(state)});
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, all);
    return core::Ok{};
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showCertificate(const CertOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const auto all = allCertificates(*config);
  const auto found = std::ranges::find(all, o.name, &core::Certificate::name);
  if (found == all.end()) {
    return notFound("certificate", o.name);
  }
  const CertState state = stateOf(certDir(ctx, o.name), *found);
  Json object = certJson(*found, state);
  object["files"] = {{"cert", (certDir(ctx, o.name) / "cert.pem").string()},
                     {"key", (certDir(ctx, o.name) / "key.pem").string()}};
  if (!state.served_names.empty()) {
    object["names"] = state.served_names;
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, object);
    return core::Ok{};
  }
  std::cout << toYaml(object) << '\n';
  return core::Ok{};
}

core::Status deleteCertificate(const CertOptions& o, Context& ctx) {
  auto outcome = applyChange(ctx, {"certificate", o.name}, "deleted", [&](core::Config& c) {
    if (std::erase_if(c.certificates,
                      [&](const core::Certificate& x) { return x.name == o.name; }) == 0) {
      return core::Status(notFound("certificate", o.name));
    }
    return core::Status(core::Ok{});
  });
  if (!outcome) {
    return std::move(outcome).error();
  }
  std::error_code ec;  // served no more: the files go too
  std::filesystem::remove_all(certDir(ctx, o.name), ec);
  return core::Ok{};
}

}  // namespace

void setupCert(CLI::App& app, Context& ctx) {
  CLI::App* group =
      addGroup(app, "cert", "Manage the certificates https listeners serve",
               "  gw cert import shop --cert shop.pem --key shop.key --gateway shop-ingress");

  auto import = std::make_shared<CertOptions>();
  CLI::App* i = addCommand(
      *group, "import", "Serve a certificate made elsewhere (renewed by nobody: import it again)",
      "  gw cert import shop --cert fullchain.pem --key privkey.pem --gateway shop-ingress");
  i->add_option("name", import->name, "Certificate name")->required()->type_name("NAME");
  i->add_option("--cert", import->cert_file, "The chain (PEM), leaf first")
      ->required()
      ->type_name("FILE");
  i->add_option("--key", import->key_file, "Its private key (PEM)")->required()->type_name("FILE");
  i->add_option("--gateway", import->gateway, "Serve it on this gateway only (default: all)")
      ->type_name("GATEWAY");
  onRun(i, ctx, import, runImport);

  auto list = std::make_shared<CertOptions>();
  CLI::App* l = addCommand(*group, "list", "List certificates, their expiry and state",
                           "  gw cert list -o json");
  onRun(l, ctx, list, listCertificates);

  auto get = std::make_shared<CertOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one certificate and where its files are",
                           "  gw cert get shop -o yaml");
  g->add_option("name", get->name, "Certificate name")->required()->type_name("CERT");
  onRun(g, ctx, get, showCertificate);

  auto del = std::make_shared<CertOptions>();
  CLI::App* d = addCommand(*group, "delete", "Stop serving a certificate and delete its files",
                           "  gw cert delete shop");
  d->add_option("name", del->name, "Certificate name")->required()->type_name("CERT");
  onRun(d, ctx, del, deleteCertificate);

  setupCertIssue(*group, ctx);
  setupCertRenew(*group, ctx);
}

}  // namespace gw::cli
