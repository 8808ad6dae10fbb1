// gw consumer add|list|get|update|delete: who calls the gateway's routes, and in which
// groups. Credentials are in cmd_consumer_credentials.cpp.

#include <algorithm>
#include <iostream>

#include "cli/command.hpp"
#include "cli/consumer_refs.hpp"
#include "cli/flags.hpp"
#include "cli/mutate.hpp"
#include "cli/output.hpp"
#include "core/config/checks.hpp"

namespace gw::cli {
namespace {

struct ConsumerOptions {
  std::string name;
  std::vector<std::string> groups;
  std::string plan;
  std::vector<std::string> jwt;           // PROVIDER:CLAIM=VALUE or PROVIDER:VALUE (sub)
  std::vector<std::string> certificates;  // CN=..., dns:..., email:..., uri:...
  std::set<std::string> given;
};

// "corp:user-1" (claim sub) or "corp:email=a@shop.test".
core::Result<core::JwtIdentity> parseJwtIdentity(const std::string& text) {
  const auto colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return usageError("--jwt: must be PROVIDER:VALUE or PROVIDER:CLAIM=VALUE (got \"" + text +
                      "\")");
  }
  core::JwtIdentity id;
  id.provider = text.substr(0, colon);
  const std::string rest = text.substr(colon + 1);
  const auto equals = rest.find('=');
  if (equals == std::string::npos) {
    id.value = rest;
  } else {
    id.claim = rest.substr(0, equals);
    id.value = rest.substr(equals + 1);
  }
  return id;
}

// The identity flags onto `consumer` (each replaces its list when given).
core::Status applyIdentities(core::Consumer& consumer, const ConsumerOptions& o) {
  if (o.given.contains("jwt")) {
    consumer.jwt.clear();
    for (const std::string& text : o.jwt) {
      if (text.empty()) {
        continue;
      }
      auto id = parseJwtIdentity(text);
      if (!id) {
        return std::move(id).error();
      }
      consumer.jwt.push_back(*id);
    }
  }
  if (o.given.contains("plan")) {
    consumer.plan = o.plan;  // "" takes the consumer off its plan; validation knows the plans
  }
  if (o.given.contains("certificate")) {
    consumer.certificates.clear();
    std::copy_if(o.certificates.begin(), o.certificates.end(),
                 std::back_inserter(consumer.certificates),
                 [](const std::string& s) { return !s.empty(); });
  }
  return core::Ok{};
}

core::Status checkGroups(const std::vector<std::string>& groups) {
  for (const std::string& group : groups) {
    if (!group.empty() && !core::isValidName(group)) {
      return usageError("--group: must be lower-case letters, digits, '.' and '-' (got \"" + group +
                        "\")");
    }
  }
  return core::Ok{};
}

core::Status addConsumer(const ConsumerOptions& o, Context& ctx) {
  if (auto checked = checkGroups(o.groups); !checked) {
    return checked;
  }
  return asStatus(applyChange(ctx, {"consumer", o.name}, "added", [&](core::Config& c) {
    if (c.findConsumer(o.name) != nullptr) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("consumer", o.name) + " already exists"));
    }
    core::Consumer consumer;
    consumer.name = o.name;
    consumer.groups = o.groups;
    if (auto applied = applyIdentities(consumer, o); !applied) {
      return applied;
    }
    c.consumers.push_back(std::move(consumer));
    return core::Status(core::Ok{});
  }));
}

core::Status updateConsumer(const ConsumerOptions& o, Context& ctx) {
  if (auto checked = checkGroups(o.groups); !checked) {
    return checked;
  }
  return asStatus(applyChange(ctx, {"consumer", o.name}, "updated", [&](core::Config& c) {
    core::Consumer* consumer = c.findConsumer(o.name);
    if (consumer == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    if (o.given.contains("group")) {
      consumer->groups = o.groups;
      std::erase(consumer->groups, std::string());  // --group "" clears them
    }
    return applyIdentities(*consumer, o);
  }));
}

core::Status deleteConsumer(const ConsumerOptions& o, Context& ctx) {
  return asStatus(applyChange(ctx, {"consumer", o.name}, "deleted", [&](core::Config& c) {
    if (c.findConsumer(o.name) == nullptr) {
      return core::Status(notFound("consumer", o.name));
    }
    if (auto users = routesNamingConsumer(c, o.name); !users.empty()) {
      return core::Status(core::makeError(core::ErrorKind::kValidation,
                                          quoted("consumer", o.name) + " is named by routes: " +
                                              join(users, ", ") + "; change them first"));
    }
    std::erase_if(c.consumers, [&](const core::Consumer& x) { return x.name == o.name; });
    return core::Status(core::Ok{});
  }));
}

std::string credentialSummary(const core::Consumer& c) {
  std::vector<std::string> parts;
  if (!c.api_keys.empty()) {
    parts.push_back(std::to_string(c.api_keys.size()) + " api key" +
                    (c.api_keys.size() == 1 ? "" : "s"));
  }
  for (const core::BasicUser& user : c.basic_auth) {
    parts.push_back("basic " + user.user);
  }
  return parts.empty() ? "-" : join(parts, ", ");
}

core::Status listConsumers(const ConsumerOptions& /*options*/, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, documentJson(*config).value("consumers", Json::array()));
    return core::Ok{};
  }
  Table table{{"NAME", "GROUPS", "CREDENTIALS"}, {}};
  for (const core::Consumer& consumer : config->consumers) {
    table.rows.push_back({consumer.name, consumer.groups.empty() ? "-" : join(consumer.groups),
                          credentialSummary(consumer)});
  }
  printTable(std::cout, table, ctx.colorStdout());
  return core::Ok{};
}

core::Status showConsumer(const ConsumerOptions& o, Context& ctx) {
  auto config = readConfig(ctx);
  if (!config) {
    return std::move(config).error();
  }
  if (config->findConsumer(o.name) == nullptr) {
    return notFound("consumer", o.name);
  }
  const Json object = objectJson(*config, "consumers", o.name);
  if (ctx.format() != Format::kTable) {
    printStructured(ctx, object);
    return core::Ok{};
  }
  std::cout << toYaml(object);
  return core::Ok{};
}

void addConsumerFlags(CLI::App* sub, ConsumerOptions& o, const char* group_text) {
  sub->add_option("--group", o.groups, group_text)->type_name("GROUP");
  sub->add_option("--jwt", o.jwt,
                  "A JWT that names this consumer: PROVIDER:VALUE (its sub claim) or "
                  "PROVIDER:CLAIM=VALUE; repeatable (\"\": none)")
      ->type_name("PROVIDER:[CLAIM=]VALUE");
  sub->add_option("--certificate", o.certificates,
                  "A client certificate that names this consumer: CN=NAME, dns:NAME, "
                  "email:ADDRESS or uri:URI; repeatable (\"\": none)")
      ->type_name("SUBJECT");
  sub->add_option("--plan", o.plan,
                  "The consumer's plan (gw plan list): its quota, rate limit and price ("
                  ": none)")
      ->type_name("PLAN");
}

}  // namespace

void setupConsumer(CLI::App& app, Context& ctx) {
  CLI::App* group =
      addGroup(app, "consumer", "Manage consumers: who calls the routes, and their credentials",
               "  gw consumer add acme --group paid\n  gw consumer key create acme");

  auto add = std::make_shared<ConsumerOptions>();
  CLI::App* a = addCommand(*group, "add", "Add a consumer", "  gw consumer add acme --group paid");
  a->add_option("name", add->name, "Consumer name")->required()->type_name("NAME");
  addConsumerFlags(a, *add,
                   "A group the consumer is in (repeatable): authorization rules name groups");
  onRun(a, ctx, add, addConsumer);

  auto list = std::make_shared<ConsumerOptions>();
  CLI::App* l = addCommand(*group, "list", "List consumers, their groups and credentials",
                           "  gw consumer list -o json");
  onRun(l, ctx, list, listConsumers);

  auto get = std::make_shared<ConsumerOptions>();
  CLI::App* g = addCommand(*group, "get", "Show one consumer (key hashes, never keys)",
                           "  gw consumer get acme -o yaml");
  g->add_option("name", get->name, "Consumer name")->required()->type_name("CONSUMER");
  onRun(g, ctx, get, showConsumer);

  auto update = std::make_shared<ConsumerOptions>();
  CLI::App* u = addCommand(*group, "update", "Change a consumer; only the given flags change",
                           "  gw consumer update acme --group paid --group beta");
  u->add_option("name", update->name, "Consumer name")->required()->type_name("CONSUMER");
  addConsumerFlags(u, *update,
                   "The consumer's groups, replacing the old ones (--group \"\": none)");
  onRun(u, ctx, update, updateConsumer);

  auto del = std::make_shared<ConsumerOptions>();
  CLI::App* d = addCommand(*group, "delete", "Delete a consumer and its credentials",
                           "  gw consumer delete acme");
  d->add_option("name", del->name, "Consumer name")->required()->type_name("CONSUMER");
  onRun(d, ctx, del, deleteConsumer);

  setupConsumerCredentials(*group, ctx);
}

}  // namespace gw::cli
