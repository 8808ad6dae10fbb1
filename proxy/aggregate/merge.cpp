#include "proxy/aggregate/merge.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gw::proxy::aggregate {
namespace {

using Json = nlohmann::ordered_json;

bool picked(const core::AggregateBackend& backend, const std::string& key) {
  return backend.fields.empty() ||
         std::find(backend.fields.begin(), backend.fields.end(), key) != backend.fields.end();
}

// The backend's answer as JSON, or why it cannot be merged.
bool parse(const core::AggregateBackend& backend, const Outcome& outcome, Json& value,
           std::string& error) {
  if (!outcome.answered) {
    error = outcome.error;
    return false;
  }
  value = Json::parse(outcome.body, nullptr, false);  // no exceptions on the request path
  if (value.is_discarded()) {
    error = "answered with something that is not JSON";
    return false;
  }
  if (backend.group.empty() && !value.is_object()) {
    error = "answered with JSON that is not an object (its keys are merged at the top level)";
    return false;
  }
  return true;
}

}  // namespace

Merged merge(const core::Aggregate& aggregate, const std::vector<Outcome>& outcomes) {
  Json out = Json::object();
  Json errors = Json::object();
  std::vector<Json> values(aggregate.backends.size());
  std::vector<bool> ok(aggregate.backends.size(), false);
  bool required_failed = false;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < aggregate.backends.size(); ++i) {
    const core::AggregateBackend& backend = aggregate.backends[i];
    std::string error;
    const Outcome missing{false, {}, "was not called"};
    if (!parse(backend, i < outcomes.size() ? outcomes[i] : missing, values[i], error)) {
      errors[core::Aggregate::nameOf(backend)] = error;
      required_failed = required_failed || backend.required;
      ++failed;
      continue;
    }
    ok[i] = true;
  }
  Merged merged;
  if (required_failed || failed == aggregate.backends.size()) {
    merged.status = 502;
    merged.completed = false;
    Json answer = Json::object();
    answer["error"] = "aggregate_failed";
    answer["message"] = required_failed ? "a required backend failed" : "every backend failed";
    answer["_errors"] = std::move(errors);
    merged.body = answer.dump();
    return merged;
  }
  // The top-level merges first, in the backends' order (the first to bring a key keeps it),
  // then the groups, which win over a key an open merge happened to bring.
  for (std::size_t i = 0; i < values.size(); ++i) {
    const core::AggregateBackend& backend = aggregate.backends[i];
    if (!backend.group.empty() || !ok[i]) {
      continue;
    }
    for (auto it = values[i].begin(); it != values[i].end(); ++it) {
      if (picked(backend, it.key()) && !out.contains(it.key())) {
        out[it.key()] = std::move(it.value());
      }
    }
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    const core::AggregateBackend& backend = aggregate.backends[i];
    if (!backend.group.empty() && ok[i]) {
      out[backend.group] = std::move(values[i]);
    }
  }
  if (failed > 0) {
    merged.completed = false;
    out["_errors"] = std::move(errors);
  }
  merged.body = out.dump();
  return merged;
}

}  // namespace gw::proxy::aggregate
