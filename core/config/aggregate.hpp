#pragma once
// API call aggregation in the document: a route whose answer is made of several upstream
// calls made in parallel, their JSON answers merged into one object (as KrakenD's endpoints
// do). Part of the model (model.hpp includes it).
//
//   aggregate:
//     timeout: 2s           # every backend's answer must be in by then
//     maxBodySize: 1MiB     # a larger answer counts as a failure
//     backends:
//       - {name: user, service: users, path: "/users/{1}", group: user, required: true}
//       - {name: orders, service: orders, path: "/orders?user={1}", group: orders}
//       - {name: flags, service: flags, path: /flags, fields: [beta, theme]}
//
// A backend with a group is placed under that key; one without is merged into the top level
// (only `fields` when given). Path templates take {1}..{9} (the route's regex captures),
// {query.NAME} (a parameter of the request's query, as sent), {path} and {query}.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace gw::core {

struct AggregateBackend {
  std::string name;                 // in _errors and logs; defaults to the group, else the service
  std::string service;              // a service of the document
  std::string path;                 // a path template, with its query
  std::string group;                // the key its answer goes under; empty: merged at the top level
  std::vector<std::string> fields;  // top-level merge only: the keys taken (empty: all)
  bool required = false;            // its failure fails the whole answer (502)
  bool operator==(const AggregateBackend&) const = default;
};

struct Aggregate {
  std::chrono::milliseconds timeout{3000};
  std::int64_t max_body_size = 1LL << 20;
  std::vector<AggregateBackend> backends;
  bool operator==(const Aggregate&) const = default;

  // The backend's name as it shows in _errors: its own, else its group, else its service.
  static const std::string& nameOf(const AggregateBackend& backend);
};

// One piece of a path template: literal text, or a value taken from the request.
struct TemplatePart {
  enum class Kind { kText, kCapture, kQueryParam, kPath, kQuery };
  Kind kind = Kind::kText;
  std::string text;  // kText: the text; kQueryParam: the parameter's name
  int capture = 0;   // kCapture: 1..9
  bool operator==(const TemplatePart&) const = default;
};

// Splits a path template; false with `why` naming the bad placeholder.
bool parsePathTemplate(std::string_view text, std::vector<TemplatePart>& parts, std::string& why);

}  // namespace gw::core
