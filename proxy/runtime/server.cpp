#include <algorithm>
#include <ctime>
#include <latch>
#include <thread>

#include "core/store/home.hpp"
#include "proxy/observe/event_log.hpp"
#include "proxy/runtime/listener.hpp"
#include "proxy/runtime/server_impl.hpp"

namespace gw::proxy {
namespace {

std::string nowRfc3339() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

int chooseThreads(const Options& options, const core::Config& config) {
  if (options.threads > 0) {
    return options.threads;
  }
  if (config.proxy.threads > 0) {
    return config.proxy.threads;
  }
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

std::string endpointText(const tcp::endpoint& endpoint) {
  std::string text = endpoint.address().to_string();
  if (endpoint.address().is_v6()) {
    text.insert(text.begin(), '[');
    text.push_back(']');
  }
  text.push_back(':');
  text += std::to_string(endpoint.port());
  return text;
}

// Taken before the load: a file written meanwhile then reads as changed, never the reverse.
std::string documentStamp(const Options& options) {
  return options.document.empty() ? std::string() : core::fileStamp(options.document);
}

core::Result<std::shared_ptr<const core::Config>> loadConfig(const Options& options) {
  if (!options.load) {
    return core::makeError(core::ErrorKind::kRuntime, "no configuration loader was given");
  }
  auto loaded = options.load();
  if (!loaded) {
    core::Error error = std::move(loaded).error();
    error.context("loading the configuration");
    return error;
  }
  return std::move(loaded).value();
}

}  // namespace

Server::Impl::Impl(Options options_in, int thread_count)
    : options(std::move(options_in)),
      threads(thread_count),
      started_at(nowRfc3339()),
      stats(thread_count),
      health(thread_count),
      usage(metering::UsageMeter::Options{options.usage_db, thread_count,
                                          std::chrono::milliseconds(500), options.clock_offset_s}) {
  registries.stats = &stats;
  registries.usage = &usage;
  registries.health = &health;
  registries.certs_dir = options.certs_dir;
  registries.acme_dir = options.acme_dir;
}

Server::Impl::~Impl() { stop(); }

bool Server::Impl::holdsPort(std::uint16_t port) const {
  return std::any_of(open_listeners.begin(), open_listeners.end(),
                     [port](const auto& open) { return open.second.port == port; });
}

core::Result<ListenerInfo> Server::Impl::openListener(
    const ListenerEntry& entry, std::vector<std::vector<OpenedListener>>& opened) {
  tcp::endpoint endpoint = entry.endpoint;
  for (std::size_t w = 0; w < workers.size(); ++w) {
    error_code ec;
    if (w == 0 && endpoint.port() != 0 && !holdsPort(endpoint.port())) {
      checkPortFree(workers[w]->context(), endpoint, ec);
    }
    Acceptor acceptor =
        ec ? Acceptor(workers[w]->context()) : openAcceptor(workers[w]->context(), endpoint, ec);
    if (ec) {
      return core::makeError(core::ErrorKind::kRuntime,
                             "gateway " + entry.gateway_name + " listener " + entry.listener_name +
                                 ": cannot listen on " + endpointText(endpoint) + ": " +
                                 ec.message());
    }
    if (endpoint.port() == 0) {
      endpoint = acceptor.local_endpoint(ec);  // the other workers join the port it got
    }
    opened[w].push_back(OpenedListener{entry.id, entry.protocol, std::move(acceptor)});
  }
  return ListenerInfo{entry.gateway_name, entry.listener_name, entry.protocol,
                      endpoint.address().to_string(), endpoint.port()};
}

void Server::Impl::recordListeners(const Snapshot& snapshot,
                                   const std::vector<std::uint32_t>& closed,
                                   std::map<std::uint32_t, ListenerInfo>& opened) {
  auto named = [](const ListenerInfo& info) {
    return info.gateway + "/" + info.listener + " " + core::toString(info.protocol) + "://" +
           info.address + ":" + std::to_string(info.port);
  };
  for (const std::uint32_t id : closed) {
    if (const auto it = open_listeners.find(id); it != open_listeners.end()) {
      logEvent("listener closed: " + named(it->second));
    }
    open_listeners.erase(id);
  }
  for (const auto& [id, info] : opened) {
    logEvent("listener opened: " + named(info));
  }
  for (const ListenerEntry& entry : snapshot.listeners) {
    auto& info = open_listeners[entry.id];
    if (opened.contains(entry.id)) {
      info = opened[entry.id];
    } else {  // kept open; the names may have changed
      info.gateway = entry.gateway_name;
      info.listener = entry.listener_name;
    }
  }
}

core::Status Server::Impl::publish(const std::shared_ptr<const Snapshot>& snapshot) {
  std::vector<std::vector<OpenedListener>> opened(workers.size());
  std::map<std::uint32_t, ListenerInfo> opened_info;
  std::vector<bool> wanted(registries.listener_ids.size());
  for (const ListenerEntry& entry : snapshot->listeners) {
    wanted[entry.id] = true;
    if (open_listeners.contains(entry.id)) {
      continue;  // same address, port and protocol: its sockets stay open
    }
    auto info = openListener(entry, opened);
    if (!info) {
      // `opened` closes what this attempt bound when it goes out of scope.
      return std::move(info).error();
    }
    opened_info[entry.id] = std::move(*info);
  }
  std::vector<std::uint32_t> closed;
  for (const auto& [id, info] : open_listeners) {
    if (id >= wanted.size() || !wanted[id]) {
      closed.push_back(id);
    }
  }

  std::latch applied(static_cast<std::ptrdiff_t>(workers.size()));
  for (std::size_t w = 0; w < workers.size(); ++w) {
    workers[w]->apply(snapshot, std::move(opened[w]), closed, [&applied] { applied.count_down(); });
  }
  applied.wait();
  recordListeners(*snapshot, closed, opened_info);
  current = snapshot;
  return core::Ok{};
}

core::Result<std::uint64_t> Server::Impl::loadAndPublish(
    std::shared_ptr<const core::Config> config) {
  auto snapshot = buildSnapshot(std::move(config), registries);
  if (!snapshot) {
    return std::move(snapshot).error();
  }
  const std::vector<std::string> known =
      current ? current->tls_problems : std::vector<std::string>{};
  auto published = publish(snapshot.value());
  if (!published) {
    return std::move(published).error();
  }
  for (const std::string& problem : snapshot.value()->tls_problems) {
    if (std::find(known.begin(), known.end(), problem) == known.end()) {
      logEvent("certificate: " + problem);
    }
  }
  health.adopt(*snapshot.value());
  registries.filter_states.sweep();
  registries.certificates.sweep();
  ready_flag = true;
  return snapshot.value()->config->revision;
}

core::Result<std::uint64_t> Server::Impl::reload() {
  // Loading under the lock too: two reloads must publish in the order they loaded.
  const std::lock_guard lock(mutex);
  if (stopped) {
    return core::makeError(core::ErrorKind::kRuntime, "the proxy is stopping");
  }
  const std::uint64_t before = current ? current->config->revision : 0;
  const std::string stamp = documentStamp(options);
  auto config = loadConfig(options);
  auto served = config ? loadAndPublish(std::move(config).value())
                       : core::Result<std::uint64_t>(std::move(config).error());
  if (!served) {
    logEvent("reload refused: " + served.error().message + "; still serving revision " +
             std::to_string(before));
    for (const std::string& detail : served.error().details) {
      logEvent("  " + detail);
    }
    return served;
  }
  loaded_stamp = stamp;
  logEvent("reloaded: serving revision " + std::to_string(*served) + " (was " +
           std::to_string(before) + ")");
  stats.countReload();
  if (options.on_reloaded) {
    options.on_reloaded();
  }
  return served;
}

void Server::Impl::stop() {
  {
    const std::lock_guard lock(mutex);
    if (stopped) {
      return;
    }
    stopped = true;
    ready_flag = false;
  }
  health.stop();
  if (admin) {
    admin->stop();
  }
  for (auto& worker : workers) {
    worker->beginDrain();
  }
  const auto deadline = Clock::now() + options.drain;
  for (;;) {
    std::size_t open = 0;
    for (const auto& worker : workers) {
      open += worker->connections();
    }
    if (open == 0 || Clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (auto& worker : workers) {
    worker->finish();
  }
  for (auto& worker : workers) {
    worker->join();
  }
  if (auto flushed = usage.flush(); !flushed) {
    logEvent("usage of the last half second is lost: " + flushed.error().message);
  }
}

core::Result<std::unique_ptr<Server>> Server::start(const Options& options) {
  const std::string stamp = documentStamp(options);
  auto config = loadConfig(options);
  if (!config) {
    return std::move(config).error();
  }
  const int threads = chooseThreads(options, *config.value());
  auto impl = std::make_unique<Impl>(options, threads);
  impl->loaded_stamp = stamp;
  if (!options.access_log.empty()) {
    auto file = AccessLogFile::open(options.access_log);
    if (!file) {
      return std::move(file).error();
    }
    impl->access_log = std::move(file).value();
  }
  for (int i = 0; i < threads; ++i) {
    impl->workers.push_back(std::make_unique<Worker>(i, impl->access_log.get()));
    impl->workers.back()->start();
  }
  auto admin = AdminServer::start(options.admin_address, options.admin_token, *impl);
  if (!admin) {
    return std::move(admin).error();
  }
  impl->admin = std::move(admin).value();
  {
    const std::lock_guard lock(impl->mutex);
    auto served = impl->loadAndPublish(std::move(config).value());
    if (!served) {
      return std::move(served).error();
    }
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

std::uint16_t Server::adminPort() const { return impl_->admin->port(); }
std::string Server::adminAddress() const { return impl_->admin->address(); }
int Server::threads() const { return impl_->threads; }

std::uint64_t Server::revision() const {
  const std::lock_guard lock(impl_->mutex);
  return impl_->current ? impl_->current->config->revision : 0;
}

std::vector<ListenerInfo> Server::listeners() const {
  const std::lock_guard lock(impl_->mutex);
  std::vector<ListenerInfo> out;
  for (const auto& [id, info] : impl_->open_listeners) {
    out.push_back(info);
  }
  return out;
}

core::Result<std::uint64_t> Server::reload() { return impl_->reload(); }
void Server::stop() { impl_->stop(); }

}  // namespace gw::proxy
