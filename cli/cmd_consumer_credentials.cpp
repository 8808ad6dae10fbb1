// gw consumer key create|list|revoke and gw consumer basic set|remove: a consumer's
// credentials. A new API key is printed once; the document keeps only its SHA-256. A
// basic-auth password is hashed (bcrypt) before it is saved, or given already hashed.

#include <ctime>
#include <iostream>

#include "cli/cert_state.hpp"
#include "cli/command.hpp"
#include "cli/consumer_refs.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"

namespace gw::cli {
namespace {

struct CredentialOptions {
  std::string name;
  std::string id;    // key revoke: the key id; basic: the user
  std::string hash;  // basic set --hash
};

// Runs a change quietly: the command prints its own result.
core::Result<ChangeOutcome> applyQuietly(const Context& ctx, const Subject& subject,
                                         const Change& change) {
  Context quiet = ctx;
  quiet.options().quiet = true;
  quiet.options().output = "table";
  return applyChange(quiet, subject, "updated", change);
}

core::Status createKey(const CredentialOptions& o, Context& ctx) {
  NewKey key;
  const std::string created = isoTime(std::time(nullptr));
  auto outcome = applyQuietly(ctx, {"consumer", o.name}, [&](core::Config& c) {
    core::Consumer* consumer = c.findConsumer(o.name);
    if (consumer == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    std::vector<std::string> taken;
    for (const core::Consumer& other : c.consumers) {
      for (const core::ApiKey& k : other.api_keys) {
        taken.push_back(k.id);
      }
    }
    key = makeApiKey(taken);
    consumer->api_keys.push_back({key.id, key.sha256, created});
    return core::Status(core::Ok{});
  });
  if (!outcome) {
    return std::move(outcome).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, Json{{"consumer", o.name},
                              {"id", key.id},
                              {"key", key.key},
                              {"created", created},
                              {"revision", outcome->revision}});
    return core::Ok{};
  }
  ctx.confirm("API key " + key.id + " created for " + quoted("consumer", o.name) + " (revision " +
              std::to_string(outcome->revision) + "); it is shown this once, keep it now:");
  std::cout << key.key << '\n';
  return core::Ok{};
}

core::Status listKeys(const CredentialOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  const core::Consumer* consumer = config->findConsumer(o.name);
  if (consumer == nullptr) {
    return notFound("consumer", o.name);
  }
  if (ctx.format() != Format::kTable) {
    Json keys = Json::array();
    for (const core::ApiKey& k : consumer->api_keys) {
      keys.push_back(Json{{"id", k.id}, {"created", k.created}, {"sha256", k.sha256}});
    }
    printStructured(ctx, keys);
    return core::Ok{};
  }
  Table table{{"ID", "CREATED"}, {}};
  for (const core::ApiKey& k : consumer->api_keys) {
    table.rows.push_back({k.id, k.created.empty() ? "-" : k.created});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status revokeKey(const CredentialOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"consumer", o.name}, "updated", [&](core::Config& c) {
    core::Consumer* consumer = c.findConsumer(o.name);
    if (consumer == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    const auto removed =
        std::erase_if(consumer->api_keys, [&](const core::ApiKey& k) { return k.id == o.id; });
    if (removed == 0) {
      return core::Status(core::makeError(core::ErrorKind::kNotFound,
                                          quoted("consumer", o.name) + " has no API key " + o.id));
    }
    return core::Status(core::Ok{});
  }));
}

core::Status setBasic(const CredentialOptions& o, Context& ctx) {
  std::string hash = o.hash;
  if (hash.empty()) {
    const std::string password = readPassword("password for " + o.id + ": ");
    if (password.empty()) {
      return usageError("no password given (or the two did not match)");
    }
    hash = hashPassword(password);
    if (hash.empty()) {
      return core::makeError(core::ErrorKind::kRuntime, "could not hash the password");
    }
  }
  return asStatus(applyChange(ctx, {"consumer", o.name}, "updated", [&](core::Config& c) {
    core::Consumer* consumer = c.findConsumer(o.name);
    if (consumer == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    for (core::BasicUser& user : consumer->basic_auth) {
      if (user.user == o.id) {
        user.hash = hash;
        return core::Status(core::Ok{});
      }
    }
    consumer->basic_auth.push_back({o.id, hash});
    return core::Status(core::Ok{});
  }));
}

core::Status removeBasic(const CredentialOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"consumer", o.name}, "updated", [&](core::Config& c) {
    core::Consumer* consumer = c.findConsumer(o.name);
    if (consumer == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    if (std::erase_if(consumer->basic_auth,
                      [&](const core::BasicUser& u) { return u.user == o.id; }) == 0) {
      return core::Status(core::makeError(core::ErrorKind::kNotFound,
                                          quoted("consumer", o.name) + " has no user " + o.id));
    }
    return core::Status(core::Ok{});
  }));
}

CLI::App* withConsumer(CLI::App* sub, CredentialOptions& o) {
  sub->add_option("name", o.name, "Consumer name")->required()->type_name("CONSUMER");
  return sub;
}

void setupKeys(CLI::App& consumer, Context& ctx) {
  CLI::App* keys =
      addGroup(consumer, "key", "Manage a consumer's API keys", "  gw consumer key create acme -q");
  auto create = std::make_shared<CredentialOptions>();
  CLI::App* c = withConsumer(
      addCommand(*keys, "create",
                 "Make a new API key and print it once (-q: the key alone); only its SHA-256 "
                 "is saved",
                 "  gw consumer key create acme -q    # the key alone, e.g. KEY=$(...)"),
      *create);
  onRun(c, ctx, create, createKey);

  auto list = std::make_shared<CredentialOptions>();
  CLI::App* l = withConsumer(
      addCommand(*keys, "list", "List a consumer's API keys (ids and dates, never keys)",
                 "  gw consumer key list acme"),
      *list);
  onRun(l, ctx, list, listKeys);

  auto revoke = std::make_shared<CredentialOptions>();
  CLI::App* r = withConsumer(addCommand(*keys, "revoke",
                                        "Revoke an API key: it stops working "
                                        "at once",
                                        "  gw consumer key revoke acme 3f9a12c4"),
                             *revoke);
  r->add_option("id", revoke->id, "The key's id (gw consumer key list)")
      ->required()
      ->type_name("KEY_ID");
  onRun(r, ctx, revoke, revokeKey);
}

}  // namespace

void setupConsumerCredentials(CLI::App& consumer, Context& ctx) {
  setupKeys(consumer, ctx);
  CLI::App* basic = addGroup(consumer, "basic", "Manage a consumer's basic-auth users",
                             "  gw consumer basic set acme alice");
  auto set = std::make_shared<CredentialOptions>();
  CLI::App* s = withConsumer(
      addCommand(*basic, "set",
                 "Add a basic-auth user or change its password: prompted (or one line on "
                 "stdin) and saved as a bcrypt hash, or --hash from htpasswd -B",
                 "  gw consumer basic set acme alice\n"
                 "  gw consumer basic set acme alice --hash \"$(htpasswd -nbB alice secret | cut "
                 "-d: -f2)\""),
      *set);
  s->add_option("user", set->id, "User name")->required()->type_name("USER");
  s->add_option("--hash", set->hash, "A crypt(3) hash: $2y$/$2b$ (bcrypt), $y$ or $6$")
      ->type_name("HASH");
  onRun(s, ctx, set, setBasic);

  auto remove = std::make_shared<CredentialOptions>();
  CLI::App* r = withConsumer(addCommand(*basic, "remove", "Remove a basic-auth user",
                                        "  gw consumer basic remove acme alice"),
                             *remove);
  r->add_option("user", remove->id, "User name")->required()->type_name("USER");
  onRun(r, ctx, remove, removeBasic);
}

}  // namespace gw::cli
