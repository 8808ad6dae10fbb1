#pragma once
// What the upstream-TLS tests share: a private CA and its leaf certificates in a temporary
// folder, the one-route config whose service is reached over TLS, and the proxy's stderr
// read back (where the handshake failures are logged).

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/proxy/support/harness.hpp"
#include "tests/proxy/support/tls_backend.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_ca.hpp"

namespace gw::test {

struct TlsUpstreamSetup {
  TempDir dir;
  TestCa ca;
  std::uint16_t port = freePort();

  // A TLS backend serving a leaf of `ca` for `names`, answering with `name`.
  std::unique_ptr<TlsBackend> backend(const std::string& name,
                                      const std::vector<std::string>& names) const {
    ca.issue(dir.path(), name, names);
    return std::make_unique<TlsBackend>(dir.path() / name / "cert.pem",
                                        dir.path() / name / "key.pem", name);
  }

  // Gateway "edge" on `port`, service "billing" with `endpoint` over `tls`, every host routed
  // to it.
  core::Config config(const std::string& endpoint, const core::UpstreamTls& tls) const {
    core::Config config = singleRoute(port, "billing", endpoint);
    config.services[0].tls = tls;
    return config;
  }

  core::UpstreamTls trusting(const std::string& sni = "") const {
    return core::UpstreamTls{sni, ca.rootFile().string(), true};
  }
};

// Sends this process's stderr to a file while it lives (the in-process proxy logs there).
class StderrCapture {
 public:
  StderrCapture() : file_(dir_.path() / "stderr.log") {
    std::fflush(stderr);
    saved_ = ::dup(2);
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, 2);
    ::close(fd);
  }
  ~StderrCapture() {
    std::fflush(stderr);
    ::dup2(saved_, 2);
    ::close(saved_);
  }
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  std::string text() const {
    std::fflush(stderr);
    return readText(file_);
  }

 private:
  TempDir dir_;
  std::filesystem::path file_;
  int saved_ = -1;
};

// How many times `needle` occurs in `text`.
inline int occurrences(const std::string& text, const std::string& needle) {
  int count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

}  // namespace gw::test
