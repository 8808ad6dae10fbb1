#include "core/result.hpp"

namespace gw::core {

int exitCode(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kRuntime:
      return 1;
    case ErrorKind::kUsage:
    case ErrorKind::kValidation:
      return 2;
    case ErrorKind::kNotFound:
      return 3;
  }
  return 1;
}

}  // namespace gw::core
