#include "cli/aggregate_flags.hpp"

#include "cli/flags.hpp"

namespace gw::cli {
namespace {

core::Status setKey(core::AggregateBackend& backend, const std::string& key,
                    const std::string& value, const std::string& text) {
  if (key == "name") {
    backend.name = value;
  } else if (key == "service") {
    backend.service = value;
  } else if (key == "path") {
    backend.path = value;
  } else if (key == "group") {
    backend.group = value;
  } else if (key == "field") {
    backend.fields.push_back(value);
  } else if (key == "required") {
    if (value != "true" && value != "false") {
      return usageError("invalid --aggregate \"" + text + "\": required is true or false");
    }
    backend.required = value == "true";
  } else {
    return usageError("invalid --aggregate \"" + text + "\": unknown key \"" + key +
                      "\" (expected name, service, path, group, field or required)");
  }
  return core::Ok{};
}

}  // namespace

void addAggregateFlags(CLI::App* sub, AggregateFlags& o) {
  sub->add_option("--aggregate", o.backends,
                  "Answer with the merged JSON of several services, called at once: one "
                  "backend as service=S,path=P[,group=G][,name=N][,field=F...][,required]; "
                  "repeat for more (path takes {1}..{9} from a regex --path, {query.NAME}, "
                  "{path} and {query})")
      ->type_name("BACKEND");
  sub->add_option("--aggregate-timeout", o.timeout,
                  "Every backend's answer must be in by then, e.g. 2s (default 3s)")
      ->type_name("DURATION");
  sub->add_option("--aggregate-max-body", o.max_body,
                  "A backend answer larger than this is a failure, e.g. 512KiB (default 1MiB)")
      ->type_name("SIZE");
}

core::Result<core::AggregateBackend> parseAggregateFlag(const std::string& text) {
  core::AggregateBackend backend;
  std::size_t at = 0;
  while (at <= text.size()) {
    auto comma = text.find(',', at);
    if (comma == std::string::npos) {
      comma = text.size();
    }
    const std::string pair = text.substr(at, comma - at);
    at = comma + 1;
    if (pair.empty()) {
      continue;
    }
    const auto eq = pair.find('=');
    const std::string key = pair.substr(0, eq);
    const std::string value = eq == std::string::npos ? "true" : pair.substr(eq + 1);
    if (eq == std::string::npos && key != "required") {
      std::string message = "invalid --aggregate \"" + text + "\": expected key=value, got \"";
      message.append(pair).append("\"");
      return usageError(message);
    }
    if (auto s = setKey(backend, key, value, text); !s) {
      return std::move(s).error();
    }
  }
  if (backend.service.empty() || backend.path.empty()) {
    return usageError("invalid --aggregate \"" + text +
                      "\": needs service=SERVICE and path=/PATH, e.g. "
                      "service=users,path=/users/{1},group=user");
  }
  return backend;
}

core::Status applyAggregateFlags(core::Route& route, const AggregateFlags& o,
                                 const std::set<std::string>& given) {
  if (given.contains("aggregate")) {
    if (o.backends.empty() || (o.backends.size() == 1 && o.backends[0].empty())) {
      route.aggregate.reset();
    } else {
      core::Aggregate aggregate = route.aggregate.value_or(core::Aggregate{});
      aggregate.backends.clear();
      for (const std::string& text : o.backends) {
        auto backend = parseAggregateFlag(text);
        if (!backend) {
          return std::move(backend).error();
        }
        aggregate.backends.push_back(std::move(*backend));
      }
      route.aggregate = std::move(aggregate);
      route.destinations.clear();
      route.redirect.reset();
      route.direct_response.reset();
    }
  }
  for (const char* flag : {"aggregate-timeout", "aggregate-max-body"}) {
    if (given.contains(flag) && !route.aggregate) {
      return usageError(std::string("--") + flag +
                        " needs --aggregate (or a route that aggregates)");
    }
  }
  if (given.contains("aggregate-timeout")) {
    auto timeout = parseDurationFlag("--aggregate-timeout", o.timeout);
    if (!timeout) {
      return std::move(timeout).error();
    }
    route.aggregate->timeout = *timeout;
  }
  if (given.contains("aggregate-max-body")) {
    auto size = parseByteSizeFlag("--aggregate-max-body", o.max_body);
    if (!size) {
      return std::move(size).error();
    }
    route.aggregate->max_body_size = static_cast<std::int64_t>(*size);
  }
  return core::Ok{};
}

}  // namespace gw::cli
