#pragma once
// Text <-> model. decode() is strict: unknown keys are errors (with a did-you-mean), types
// are checked, and every problem is collected before it gives up. It does not check
// cross-references; that is validate()'s job.

#include <string>
#include <string_view>
#include <vector>

#include "core/config/diagnostic.hpp"
#include "core/config/model.hpp"
#include "core/result.hpp"

namespace gw::core {

struct Decoded {
  Config config;
  SourceMap source;
};

// On failure: ErrorKind::kValidation, message "<file>: invalid document (N errors)",
// details = each Diagnostic::str().
Result<Decoded> decode(std::string_view text, const std::string& file);
// The same, with the problems as values (empty: `out` holds the document), for callers that
// show each next to its field.
std::vector<Diagnostic> decodeInto(std::string_view text, const std::string& file, Decoded& out);

// Canonical YAML for a Config: stable key order, defaults left out, so that
// decode(encode(c)) == c and diffs stay small.
std::string encodeYaml(const Config& config);

// The same model as JSON text (for -o json and the admin API).
std::string encodeJson(const Config& config);

// A readable line diff of two encodings ("--- a", "+++ b", "-"/"+"/" " lines with a few
// lines of context). Empty when they are equal. The revision is ignored.
std::string diff(const Config& before, const Config& after, const std::string& before_name,
                 const std::string& after_name);

}  // namespace gw::core
