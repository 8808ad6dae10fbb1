#include "cli/dashboard/objects.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "core/change/pipeline.hpp"
#include "core/config/document.hpp"
#include "core/config/document_tree.hpp"
#include "core/config/validate.hpp"

namespace gw::dashboard {
namespace {

constexpr std::array<std::string_view, 7> kKinds = {
    "gateways", "services", "routes", "certificates", "consumers", "plans", "jwtProviders"};

std::string revisionName(std::uint64_t revision) { return "revision " + std::to_string(revision); }

// The position of `name` in the document's `kind` list, or nullopt.
std::optional<std::size_t> indexOf(const Json& tree, const std::string& kind,
                                   const std::string& name) {
  if (!tree.contains(kind) || !tree[kind].is_array()) {
    return std::nullopt;
  }
  const Json& list = tree[kind];
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].is_object() && list[i].value("name", "") == name) {
      return i;
    }
  }
  return std::nullopt;
}

Json objectOf(const core::Config& config, const std::string& kind, const std::string& name) {
  const Json tree = core::toTree(config);
  const auto index = indexOf(tree, kind, name);
  return index ? tree[kind][*index] : Json(nullptr);
}

// The saved document with `item` in place of kind/name (added at the end when new), or
// without that object when `item` is null.
Json withObject(const core::Config& saved, const std::string& kind, const std::string& name,
                const Json* item) {
  Json tree = core::toTree(saved);
  const auto index = indexOf(tree, kind, name);
  if (!tree.contains(kind) || !tree[kind].is_array()) {
    tree[kind] = Json::array();
  }
  Json& list = tree[kind];
  if (item != nullptr && index) {
    list[*index] = *item;
  } else if (item != nullptr) {
    list.push_back(*item);
  } else if (index) {
    list.erase(list.begin() + static_cast<std::ptrdiff_t>(*index));
  }
  if (list.empty()) {
    tree.erase(kind);
  }
  return tree;
}

struct Built {
  core::Config config;
  std::vector<core::Diagnostic> problems;
};

// The document as config.yaml would be read: decoded strictly, then validated.
Built build(const Json& tree) {
  core::Decoded decoded;
  auto problems = core::decodeInto(tree.dump(), "", decoded);
  if (problems.empty()) {
    problems = core::validate(decoded.config, &decoded.source);
  }
  return {std::move(decoded.config), std::move(problems)};
}

// Each problem with its document path, and its path inside the object at `prefix`
// ("routes[3]"): "routes[3].destinations[0].weight" -> "destinations[0].weight".
Json detailsOf(const std::vector<core::Diagnostic>& problems, const std::string& prefix) {
  Json details = Json::array();
  for (const core::Diagnostic& problem : problems) {
    std::string field;
    if (!prefix.empty() && problem.path.starts_with(prefix)) {
      const std::string rest = problem.path.substr(prefix.size());
      if (rest.empty() || rest.front() == '.') {
        field = rest.empty() ? rest : rest.substr(1);
      }
    }
    details.push_back({{"path", problem.path}, {"field", field}, {"message", problem.message}});
  }
  return details;
}

Response invalid(const std::string& subject, const std::vector<core::Diagnostic>& problems,
                 const std::string& prefix) {
  const std::string count =
      std::to_string(problems.size()) + (problems.size() == 1 ? " error" : " errors");
  return errorAnswer(422, subject + ": invalid (" + count + "); nothing was saved",
                     {{"details", detailsOf(problems, prefix)}});
}

Response stale(std::uint64_t saved, std::uint64_t asked) {
  return errorAnswer(409,
                     "the document changed meanwhile: it is at " + revisionName(saved) +
                         ", and this change was made against " + revisionName(asked) +
                         "; read it again and retry",
                     {{"revision", saved}});
}

// "routes" -> "route", for messages.
std::string singular(const std::string& kind) {
  return kind == "jwtProviders" ? "jwtProvider" : kind.substr(0, kind.size() - 1);
}

}  // namespace

bool isObjectKind(const std::string& kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

struct Objects::Edit {
  std::string kind;
  std::string name;
  std::optional<Json> item;  // nullopt: delete
  std::uint64_t revision = 0;
  bool dry_run = false;

  std::string subject() const { return singular(kind) + " \"" + name + "\""; }
};

Objects::Objects(const Environment& env, const DocumentCache& documents)
    : env_(env), documents_(documents) {}

Response Objects::document() const {
  auto config = documents_.current();
  if (!config) {
    return errorAnswer(config.error());
  }
  return jsonAnswer(200, {{"revision", (*config)->revision}, {"document", core::toTree(**config)}});
}

Response Objects::list(const std::string& kind) const {
  auto config = documents_.current();
  if (!config) {
    return errorAnswer(config.error());
  }
  const Json tree = core::toTree(**config);
  Json items = tree.contains(kind) ? tree[kind] : Json::array();
  return jsonAnswer(200, {{"revision", (*config)->revision}, {"items", std::move(items)}});
}

Response Objects::get(const std::string& kind, const std::string& name) const {
  auto config = documents_.current();
  if (!config) {
    return errorAnswer(config.error());
  }
  Json item = objectOf(**config, kind, name);
  if (item.is_null()) {
    return errorAnswer(404, "no " + singular(kind) + " \"" + name + "\"");
  }
  return jsonAnswer(200, {{"revision", (*config)->revision}, {"item", std::move(item)}});
}

Response Objects::put(const std::string& kind, const std::string& name,
                      const Request& request) const {
  Response refusal;
  const auto body = jsonBody(request, refusal);
  if (!body) {
    return refusal;
  }
  if (!body->contains("item") || !(*body)["item"].is_object()) {
    return errorAnswer(400, "the body needs \"item\": the object as the document has it");
  }
  Json item = (*body)["item"];
  if (!item.contains("name")) {
    item["name"] = name;
  }
  if (!item["name"].is_string() || item["name"].get<std::string>() != name) {
    return errorAnswer(400, "item.name must be \"" + name + "\", the name in the path");
  }
  const Json& revision = body->contains("revision") ? (*body)["revision"] : Json(0);
  if (!revision.is_number_unsigned() && !(revision.is_number_integer() && revision == 0)) {
    return errorAnswer(400, "\"revision\" must be the revision the change was made against");
  }
  const bool dry_run = body->value("dryRun", false);
  return apply(Edit{kind, name, std::move(item), revision.get<std::uint64_t>(), dry_run});
}

Response Objects::remove(const std::string& kind, const std::string& name,
                         const Request& request) const {
  std::uint64_t revision = 0;
  const std::string text = request.query("revision");
  if (!text.empty()) {
    try {
      revision = std::stoull(text);
    } catch (const std::exception&) {
      return errorAnswer(400, "?revision= must be a number");
    }
  }
  const std::string dry = request.query("dryRun");
  return apply(Edit{kind, name, std::nullopt, revision, dry == "1" || dry == "true"});
}

Response Objects::check(const Request& request) const {
  Response refusal;
  const auto body = jsonBody(request, refusal);
  if (!body) {
    return refusal;
  }
  if (!body->contains("document") || !(*body)["document"].is_object()) {
    return errorAnswer(400, "the body needs \"document\": the whole document");
  }
  auto current = documents_.current();
  if (!current) {
    return errorAnswer(current.error());
  }
  const core::Config* saved = current->get();
  const std::uint64_t revision = body->value("revision", std::uint64_t{0});
  if (revision != 0 && revision != saved->revision) {
    return stale(saved->revision, revision);
  }
  const Built built = build((*body)["document"]);
  if (!built.problems.empty()) {
    return invalid("the document", built.problems, "");
  }
  const std::string diff =
      core::diff(*saved, built.config, revisionName(saved->revision), "the document checked");
  return jsonAnswer(200, {{"revision", saved->revision}, {"diff", diff}});
}

// What an edit makes of `saved`: the new document, or why not.
struct Objects::Attempt {
  std::optional<std::uint64_t> conflict;  // the saved revision, when the edit's is older
  bool missing = false;                   // a delete of an object that is not there
  std::vector<core::Diagnostic> problems;
  std::string prefix;  // the object's place in the document ("routes[3]")
  core::Config result;

  bool ok() const { return !conflict && !missing && problems.empty(); }

  // The refusal when not ok().
  Response refusal(const Edit& edit) const {
    if (conflict) {
      return stale(*conflict, edit.revision);
    }
    if (missing) {
      return errorAnswer(404, "no " + edit.subject());
    }
    return invalid(edit.subject(), problems, prefix);
  }
};

Objects::Attempt Objects::attempt(const core::Config& saved, const Edit& edit) {
  Attempt out;
  if (edit.revision != 0 && edit.revision != saved.revision) {
    out.conflict = saved.revision;
    return out;
  }
  if (!edit.item && !indexOf(core::toTree(saved), edit.kind, edit.name)) {
    out.missing = true;
    return out;
  }
  const Json tree = withObject(saved, edit.kind, edit.name, edit.item ? &*edit.item : nullptr);
  if (const auto index = indexOf(tree, edit.kind, edit.name)) {
    out.prefix = edit.kind + "[" + std::to_string(*index) + "]";
  }
  Built built = build(tree);
  out.problems = std::move(built.problems);
  out.result = std::move(built.config);
  return out;
}

Response Objects::apply(const Edit& edit) const {
  return edit.dry_run ? preview(edit) : save(edit);
}

Response Objects::preview(const Edit& edit) const {
  auto current = documents_.current();
  if (!current) {
    return errorAnswer(current.error());
  }
  const core::Config& saved = **current;
  const Attempt tried = attempt(saved, edit);
  if (!tried.ok()) {
    return tried.refusal(edit);
  }
  const std::string diff =
      core::diff(saved, tried.result, revisionName(saved.revision), edit.subject() + " as changed");
  return jsonAnswer(
      200, {{"revision", saved.revision},
            {"previous", saved.revision},
            {"changed", !diff.empty()},
            {"reloaded", false},
            {"proxyRunning", proxyRunning()},
            {"dryRun", true},
            {"diff", diff},
            {"item", edit.item ? objectOf(tried.result, edit.kind, edit.name) : Json(nullptr)}});
}

Response Objects::save(const Edit& edit) const {
  std::optional<Attempt> refused;
  core::Config before;
  const core::ChangePipeline pipeline(env_.home, env_.find_reloader);
  auto outcome = pipeline.apply([&](core::Config& config) -> core::Status {
    Attempt tried = attempt(config, edit);
    if (!tried.ok()) {
      refused = std::move(tried);
      return core::makeError(core::ErrorKind::kValidation, "refused");
    }
    before = config;
    config = std::move(tried.result);
    return core::Ok{};
  });
  if (refused) {
    return refused->refusal(edit);
  }
  if (!outcome) {
    const core::Error& error = outcome.error();
    return error.kind == core::ErrorKind::kRuntime ? errorAnswer(502, error.message)
                                                   : errorAnswer(error);
  }
  auto saved = documents_.current();
  if (!saved) {
    return errorAnswer(saved.error());
  }
  const core::Config& after = **saved;
  const std::string diff = outcome->changed
                               ? core::diff(before, after, revisionName(outcome->previous),
                                            revisionName(outcome->revision))
                               : std::string();
  return jsonAnswer(200,
                    {{"revision", outcome->revision},
                     {"previous", outcome->previous},
                     {"changed", outcome->changed},
                     {"reloaded", outcome->reloaded},
                     {"proxyRunning", proxyRunning()},
                     {"dryRun", false},
                     {"diff", diff},
                     {"item", edit.item ? objectOf(after, edit.kind, edit.name) : Json(nullptr)}});
}

bool Objects::proxyRunning() const { return env_.admin && env_.admin().has_value(); }

}  // namespace gw::dashboard
