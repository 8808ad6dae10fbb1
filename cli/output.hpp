#pragma once
// How commands print: aligned tables for people, JSON and YAML for scripts, and the one
// error format (`error: <line>` then indented details) on stderr.

#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/context.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::cli {

// Keys keep the order they were written in, so objects print as the document spells them.
using Json = nlohmann::ordered_json;

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

// Columns padded to their widest cell; the header bold when `color`.
void printTable(std::ostream& out, const Table& table, bool color);

void printJson(std::ostream& out, const Json& value);

// Block-style YAML for a JSON value; strings are quoted only where YAML would misread them.
std::string toYaml(const Json& value);

// JSON, YAML or CSV per -o (table falls back to YAML, the readable form of one object; CSV
// needs a list of objects: a header line of the first one's keys, then one line each).
void printStructured(const Context& ctx, const Json& value);

// `error: <message>` then each detail on its own line, indented two spaces.
void printError(std::ostream& err, const core::Error& error, bool color);

// The model as the document spells it (field names from the encoder), as JSON values.
Json documentJson(const core::Config& config);
// One named object of `kind` ("gateways", "services", "routes") from documentJson.
Json objectJson(const core::Config& config, const std::string& kind, const std::string& name);

// "a,b,c"
std::string join(const std::vector<std::string>& items, const std::string& separator = ",");

// ANSI colours; return `text` unchanged when `color` is false.
std::string bold(const std::string& text, bool color);
std::string green(const std::string& text, bool color);
std::string red(const std::string& text, bool color);
std::string yellow(const std::string& text, bool color);

}  // namespace gw::cli
