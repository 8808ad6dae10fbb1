#include "proxy/http/headers.hpp"

#include <boost/beast/http/rfc7230.hpp>
#include <string>
#include <vector>

namespace gw::proxy {

void stripHopByHop(http::fields& fields) {
  // One walk over the fields (instead of a lookup per name); the headers that Connection
  // names are rare and erased after it.
  std::vector<std::string> named;
  for (auto it = fields.begin(); it != fields.end();) {
    switch (it->name()) {
      case http::field::connection:
        for (const auto token : http::token_list(it->value())) {
          if (!beast::iequals(token, "close") && !beast::iequals(token, "keep-alive")) {
            named.emplace_back(token);
          }
        }
        it = fields.erase(it);
        break;
      case http::field::keep_alive:
      case http::field::te:
      case http::field::trailer:
      case http::field::upgrade:
      case http::field::proxy_connection:
        it = fields.erase(it);
        break;
      default:
        ++it;
    }
  }
  for (const std::string& name : named) {
    fields.erase(name);
  }
}

void addForwarded(http::fields& fields, std::string_view client_ip, bool https) {
  constexpr std::string_view kFor = "X-Forwarded-For";
  const auto range = fields.equal_range(kFor);
  if (range.first == range.second) {
    fields.insert(kFor, client_ip);
  } else {
    std::string joined;
    for (auto it = range.first; it != range.second; ++it) {
      joined += it->value();
      joined += ", ";
    }
    joined += client_ip;
    fields.erase(kFor);
    fields.insert(kFor, joined);
  }
  fields.set("X-Forwarded-Proto", https ? "https" : "http");
  const auto host = fields.find(http::field::host);
  if (host != fields.end()) {
    fields.set("X-Forwarded-Host", host->value());
  } else {
    fields.erase("X-Forwarded-Host");
  }
}

namespace {

void appendField(std::string_view name, std::string_view value, std::string& out) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

void appendFields(const http::fields& fields, const ExtraField& extra, std::string_view more,
                  std::string& out) {
  for (const auto& field : fields) {
    appendField(field.name_string(), field.value(), out);
  }
  if (!extra.name.empty()) {
    appendField(extra.name, extra.value, out);
  }
  out += more;
  out += "\r\n";
}

void appendVersion(unsigned version, std::string& out) {
  out += "HTTP/";
  out += static_cast<char>('0' + version / 10);
  out += '.';
  out += static_cast<char>('0' + version % 10);
}

}  // namespace

void appendHead(const http::request_header<>& head, std::string& out, const ExtraField& extra) {
  out += head.method_string();
  out += ' ';
  out += head.target();
  out += ' ';
  appendVersion(head.version(), out);
  out += "\r\n";
  appendFields(head, extra, {}, out);
}

void appendHead(const http::response_header<>& head, std::string& out, const ExtraField& extra,
                std::string_view more) {
  appendVersion(head.version(), out);
  const unsigned status = head.result_int();
  const char code[4] = {static_cast<char>('0' + status / 100 % 10),
                        static_cast<char>('0' + status / 10 % 10),
                        static_cast<char>('0' + status % 10), ' '};
  out += ' ';
  out.append(code, 4);
  const std::string_view reason = head.reason();
  out += reason.empty() ? std::string_view(http::obsolete_reason(head.result())) : reason;
  out += "\r\n";
  appendFields(head, extra, more, out);
}

std::string_view targetPath(std::string_view target) {
  if (!target.empty() && target.front() != '/') {
    const auto scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      const auto slash = target.find('/', scheme + 3);
      target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
  }
  return target.substr(0, target.find('?'));
}

}  // namespace gw::proxy
