#include "cli/output.hpp"

#include <algorithm>
#include <cctype>
#include <iostream>
#include <sstream>

#include "core/config/document.hpp"

namespace gw::cli {
namespace {

std::string paint(const std::string& text, const char* code, bool color) {
  if (!color) {
    return text;
  }
  return std::string("\033[") + code + "m" + text + "\033[0m";
}

bool isPlainScalar(const std::string& s) {
  if (s.empty()) {
    return false;
  }
  static const std::vector<std::string> kReserved = {
      "true", "false", "yes", "no", "on", "off", "null", "~",    "y",     "n",
      "True", "False", "Yes", "No", "On", "Off", "Null", "TRUE", "FALSE", "NULL"};
  if (std::find(kReserved.begin(), kReserved.end(), s) != kReserved.end()) {
    return false;
  }
  // Anything that reads as a number must stay a string.
  if (std::isdigit(static_cast<unsigned char>(s[0])) != 0 || s[0] == '-' || s[0] == '+' ||
      s[0] == '.') {
    bool numeric = std::all_of(s.begin(), s.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '+' ||
             c == 'e' || c == 'E' || c == '_' || c == 'x' || c == 'o';
    });
    if (numeric) {
      return false;
    }
  }
  static const std::string kBadFirst = "!&*-?{}[],#|>@`\"'%: ";
  if (kBadFirst.find(s[0]) != std::string::npos && !(s[0] == '-' && s.size() > 1 && s[1] != ' ')) {
    return false;
  }
  if (s.back() == ' ' || s.back() == ':') {
    return false;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isprint(static_cast<unsigned char>(c)) != 0; });
}

std::string scalar(const Json& value) {
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    return isPlainScalar(s) ? s : value.dump();
  }
  return value.dump();
}

bool isEmptyCollection(const Json& v) { return (v.is_object() || v.is_array()) && v.empty(); }

void emit(std::ostringstream& out, const Json& value, int indent);

// `prefix` has been written already (e.g. "key:" or "-"); puts the value after it.
void emitAfter(std::ostringstream& out, const Json& value, int indent) {
  if ((value.is_object() || value.is_array()) && !value.empty()) {
    out << '\n';
    emit(out, value, indent + 2);
  } else if (isEmptyCollection(value)) {
    out << (value.is_object() ? " {}\n" : " []\n");
  } else {
    out << ' ' << scalar(value) << '\n';
  }
}

void emit(std::ostringstream& out, const Json& value, int indent) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      out << pad << scalar(Json(key)) << ':';
      emitAfter(out, item, indent);
    }
  } else if (value.is_array()) {
    for (const auto& item : value) {
      out << pad << '-';
      if (item.is_object() && !item.empty()) {
        // The first key shares the dash's line; the rest align under it.
        std::ostringstream nested;
        emit(nested, item, indent + 2);
        std::string text = nested.str();
        out << ' ' << text.substr(static_cast<std::size_t>(indent) + 2);
      } else if (item.is_array() && !item.empty()) {
        out << '\n';
        emit(out, item, indent + 2);
      } else {
        emitAfter(out, item, indent);
      }
    }
  } else {
    out << pad << scalar(value) << '\n';
  }
}

}  // namespace

void printTable(std::ostream& out, const Table& table, bool color) {
  std::vector<std::size_t> widths(table.headers.size(), 0);
  for (std::size_t i = 0; i < table.headers.size(); ++i) {
    widths[i] = table.headers[i].size();
  }
  for (const auto& row : table.rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], row[i].size());
    }
  }
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    std::string text;
    for (std::size_t i = 0; i < cells.size() && i < widths.size(); ++i) {
      std::string cell = cells[i];
      if (i + 1 < cells.size()) {
        cell.resize(widths[i] + 2, ' ');
      }
      text += cell;
    }
    out << (header ? bold(text, color) : text) << '\n';
  };
  line(table.headers, true);
  for (const auto& row : table.rows) {
    line(row, false);
  }
}

void printJson(std::ostream& out, const Json& value) { out << value.dump(2) << '\n'; }

std::string toYaml(const Json& value) {
  if (isEmptyCollection(value)) {
    return value.is_object() ? "{}\n" : "[]\n";
  }
  std::ostringstream out;
  emit(out, value, 0);
  return out.str();
}

namespace {

// RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
std::string csvField(const Json& value) {
  std::string text = value.is_string() ? value.get<std::string>()
                     : value.is_null() ? std::string()
                                       : value.dump();
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text) {
    quoted += c;
    if (c == '"') {
      quoted += '"';
    }
  }
  return quoted + "\"";
}

// A list of objects as CSV: a header of the first object's keys, then a line per object.
void printCsv(std::ostream& out, const Json& rows) {
  if (rows.empty()) {
    return;
  }
  std::vector<std::string> keys;
  for (const auto& item : rows.front().items()) {
    keys.push_back(item.key());
  }
  out << join(keys) << "\r\n";
  for (const Json& row : rows) {
    std::vector<std::string> fields;
    fields.reserve(keys.size());
    for (const std::string& key : keys) {
      fields.push_back(csvField(row.contains(key) ? row[key] : Json()));
    }
    out << join(fields) << "\r\n";
  }
}

}  // namespace

void printStructured(const Context& ctx, const Json& value) {
  const bool rows = value.is_array() && std::all_of(value.begin(), value.end(),
                                                    [](const Json& v) { return v.is_object(); });
  if (ctx.format() == Format::kJson) {
    printJson(std::cout, value);
  } else if (ctx.format() == Format::kCsv && rows) {
    printCsv(std::cout, value);
  } else {
    std::cout << toYaml(value);
  }
}

void printError(std::ostream& err, const core::Error& error, bool color) {
  err << red("error:", color) << ' ' << error.message << '\n';
  for (const auto& detail : error.details) {
    err << "  " << detail << '\n';
  }
}

Json documentJson(const core::Config& config) { return Json::parse(core::encodeJson(config)); }

Json objectJson(const core::Config& config, const std::string& kind, const std::string& name) {
  Json doc = documentJson(config);
  if (doc.contains(kind) && doc[kind].is_array()) {
    for (const auto& item : doc[kind]) {
      if (item.value("name", "") == name) {
        return item;
      }
    }
  }
  return Json::object();
}

std::string join(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) {
      out += separator;
    }
    out += item;
  }
  return out;
}

std::string bold(const std::string& text, bool color) { return paint(text, "1", color); }
std::string green(const std::string& text, bool color) { return paint(text, "32", color); }
std::string red(const std::string& text, bool color) { return paint(text, "31", color); }
std::string yellow(const std::string& text, bool color) { return paint(text, "33", color); }

}  // namespace gw::cli
