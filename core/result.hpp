#pragma once
// Result<T>: the control plane's error channel (core, acme, cli). The data plane uses
// boost::system::error_code instead; nothing on the request path throws.

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace gw::core {

// Each kind maps to one process exit code (see exitCode), so scripts can rely on them.
enum class ErrorKind {
  kRuntime,     // exit 1: I/O, a process or the proxy failed
  kUsage,       // exit 2: bad flags or arguments
  kValidation,  // exit 2: the document (or a change to it) is invalid
  kNotFound,    // exit 3: a named object does not exist
};

int exitCode(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::kRuntime;
  std::string message;               // one line, printed first
  std::vector<std::string> details;  // further lines (e.g. every validation error)

  // Prefixes the message with where it happened: "saving config: <message>".
  Error& context(const std::string& where) {
    message = where + ": " + message;
    return *this;
  }
};

inline Error makeError(ErrorKind kind, std::string message, std::vector<std::string> details = {}) {
  return Error{kind, std::move(message), std::move(details)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace gw::core
