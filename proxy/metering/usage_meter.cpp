#include "proxy/metering/usage_meter.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <ctime>
#include <random>

#include "core/usage/calendar.hpp"
#include "proxy/observe/event_log.hpp"

namespace gw::proxy::metering {
namespace {

// A counts key: consumer id (22 bits), route id (22), day number (17), status class (3).
std::uint64_t countsKey(std::uint32_t consumer, std::uint32_t route, std::int64_t day,
                        unsigned status_class) {
  return (std::uint64_t{consumer} & 0x3fffff) << 42 | (std::uint64_t{route} & 0x3fffff) << 20 |
         (static_cast<std::uint64_t>(day) & 0x1ffff) << 3 | (status_class & 7U);
}

std::string randomId() {
  std::random_device device;
  const std::uint64_t value = (std::uint64_t{device()} << 32) | device();
  char text[17];
  const auto [end, ec] = std::to_chars(text, text + 16, value, 16);
  return {text, end};
}

bool appendToFile(const std::string& path, const std::string& data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return false;
  }
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n <= 0) {
      ::close(fd);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0;
}

}  // namespace

UsageMeter::UsageMeter(Options options) : options_(std::move(options)), boot_id_(randomId()) {
  for (int w = 0; w < std::max(1, options_.workers); ++w) {
    slots_.push_back(std::make_unique<Slot>());
  }
  names_.emplace_back();  // id 0: nobody
  flusher_ = std::thread([this] { run(); });
}

UsageMeter::~UsageMeter() {
  {
    const std::lock_guard lock(wake_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  flusher_.join();
  static_cast<void>(flush());
}

std::int64_t UsageMeter::now() const {
  return static_cast<std::int64_t>(std::time(nullptr)) + options_.clock_offset_s;
}

std::uint32_t UsageMeter::idFor(const std::string& name) {
  const std::lock_guard lock(names_mutex_);
  const auto [it, added] = ids_.try_emplace(name, static_cast<std::uint32_t>(names_.size()));
  if (added) {
    names_.push_back(name);
  }
  return it->second;
}

std::string UsageMeter::nameOf(std::uint32_t id) const {
  const std::lock_guard lock(names_mutex_);
  return id < names_.size() ? names_[id] : std::string();
}

namespace {

// The quota period holding `day`: its number and its first day.
std::pair<std::int64_t, std::int64_t> periodOfDay(std::int64_t day, bool monthly) {
  if (!monthly) {
    return {day, day};
  }
  return {usage::monthNumber(day), *usage::parseMonth(usage::monthText(day))};
}

}  // namespace

std::shared_ptr<QuotaCounter> UsageMeter::quotaCounter(const core::Config& config,
                                                       const std::string& consumer,
                                                       core::Quota::Period period) {
  const bool monthly = period == core::Quota::Period::kMonth;
  const std::string key = consumer + (monthly ? "/month" : "/day");
  {
    const std::lock_guard lock(names_mutex_);
    if (const auto it = quotas_.find(key); it != quotas_.end()) {
      return it->second;
    }
  }
  // Finished requests reach the store first, so the seed counts them all.
  static_cast<void>(flush());
  const std::int64_t day = usage::dayNumber(now());
  const auto [number, first] = periodOfDay(day, monthly);
  std::int64_t used = 0;
  std::unique_lock flush_lock(flush_mutex_);
  // The store of the snapshot being built, which need not be the one in use yet.
  const usage::Target target = usage::targetOf(config, options_.db_path);
  std::unique_ptr<usage::Store> other;
  usage::Store* store = nullptr;
  if (target == target_) {
    store = openStore();
  } else if (auto opened = usage::openStore(target, usage::Store::Mode::kRead); opened) {
    other = std::move(opened).value();
    store = other.get();
  }
  if (store != nullptr) {
    auto sum = store->admitted(consumer, usage::dayText(first), usage::dayText(day));
    if (sum) {
      used = *sum;
    } else {
      logEvent("quota of consumer " + consumer + " starts from 0: " + sum.error().message);
    }
  }
  flush_lock.unlock();
  const std::lock_guard lock(names_mutex_);
  auto& counter = quotas_[key];
  if (!counter) {
    counter = std::make_shared<QuotaCounter>(number, used);
  }
  return counter;
}

bool UsageMeter::hasQuotas() const {
  const std::lock_guard lock(names_mutex_);
  return !quotas_.empty();
}

std::vector<UsageMeter::QuotaKey> UsageMeter::quotaList() const {
  const std::lock_guard lock(names_mutex_);
  std::vector<QuotaKey> list;
  list.reserve(quotas_.size());
  for (const auto& [key, counter] : quotas_) {
    const bool monthly = key.ends_with("/month");
    list.push_back({key.substr(0, key.rfind('/')), monthly, counter});
  }
  return list;
}

void UsageMeter::configure(const core::Config& config) {
  const std::lock_guard lock(flush_mutex_);
  const std::string events = config.metering.enabled ? config.metering.events : std::string();
  events_path_ = events;
  events_on_.store(!events.empty(), std::memory_order_relaxed);
  usage::Target target = usage::targetOf(config, options_.db_path);
  if (!(target == target_)) {
    target_ = std::move(target);
    store_.reset();
    store_tried_ = false;
    failing_ = false;
  }
}

usage::Store* UsageMeter::openStore() {
  if (!store_ && !store_tried_ &&
      (target_.kind == core::Metering::Store::kRedis || !options_.db_path.empty())) {
    store_tried_ = true;
    auto store = usage::openStore(target_, usage::Store::Mode::kWrite);
    if (store) {
      store_ = std::move(store).value();
    } else {
      logEvent("usage is not stored: " + store.error().message);
    }
  }
  return store_.get();
}

void UsageMeter::record(int worker, const UsageRecord& record) {
  Slot& slot = *slots_[static_cast<std::size_t>(worker) % slots_.size()];
  const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count() +
                      options_.clock_offset_s * 1'000'000;
  const std::int64_t day = usage::dayNumber(now_us / 1'000'000);
  const unsigned status_class =
      record.status >= 100 && record.status < 600 ? record.status / 100 : 0;
  const std::uint64_t key = countsKey(record.consumer, record.route, day, status_class);
  const auto micros = static_cast<std::int64_t>(record.micros);
  const std::lock_guard lock(slot.mutex);
  usage::Counts& counts = slot.counts[key];
  counts.requests += 1;
  counts.refused += record.refused ? 1 : 0;
  counts.bytes_in += static_cast<std::int64_t>(record.bytes_in);
  counts.bytes_out += static_cast<std::int64_t>(record.bytes_out);
  counts.latency_us += micros;
  counts.latency_max_us = std::max(counts.latency_max_us, micros);
  constexpr std::size_t kMaxBuffered = std::size_t{8} << 20;  // per worker between flushes
  if (events_on_.load(std::memory_order_relaxed) && slot.events.size() <= kMaxBuffered) {
    slot.lines.append(slot.events, boot_id_, worker, record, now_us);
  }
}

core::Status UsageMeter::flush() {
  const std::lock_guard flush_lock(flush_mutex_);
  std::string events;
  for (const auto& slot : slots_) {
    std::unordered_map<std::uint64_t, usage::Counts> taken;
    {
      const std::lock_guard lock(slot->mutex);
      taken.swap(slot->counts);
      events += slot->events;
      slot->events.clear();
    }
    for (const auto& [key, counts] : taken) {
      pending_[key].add(counts);
    }
  }
  if (!events.empty() && !events_path_.empty()) {
    const bool written = appendToFile(events_path_, events);
    if (!written && !events_failing_) {  // once per outage: these events are lost
      logEvent("usage events: cannot append to " + events_path_ + ": " + std::strerror(errno));
    }
    events_failing_ = !written;
  }
  const bool shared = target_.kind == core::Metering::Store::kRedis;
  if (pending_.empty() && !unstored_ && !(shared && hasQuotas())) {
    return core::Ok{};  // (a proxy that meters nobody makes no usage.db)
  }
  usage::Store* store = openStore();
  if (store == nullptr) {
    pending_.clear();  // nowhere to keep them
    unstored_.reset();
    return core::Ok{};
  }
  if (unstored_) {
    if (core::Status stored = this->store(*store, *unstored_); !stored) {
      return stored;
    }
    unstored_.reset();
  }
  if (!pending_.empty()) {
    usage::Batch& batch = unstored_.emplace();
    batch.id = boot_id_ + "-" + std::to_string(++batches_);
    batch.deltas.reserve(pending_.size());
    for (const auto& [key, counts] : pending_) {
      usage::Delta& d = batch.deltas.emplace_back();
      d.consumer = nameOf(static_cast<std::uint32_t>(key >> 42));
      d.route = nameOf(static_cast<std::uint32_t>(key >> 20 & 0x3fffff));
      d.day = usage::dayText(static_cast<std::int64_t>(key >> 3 & 0x1ffff));
      d.status_class = static_cast<int>(key & 7);
      d.counts = counts;
    }
    pending_.clear();
    if (core::Status stored = this->store(*store, batch); !stored) {
      return stored;
    }
    unstored_.reset();
  }
  if (shared) {
    syncQuotas(*store);
  }
  return core::Ok{};
}

// Adds `batch` to the store; once stored, its admitted requests count as this gateway's in
// the quota counters (so a sync does not count them again as others').
core::Status UsageMeter::store(usage::Store& store, const usage::Batch& batch) {
  core::Status stored = store.add(batch);
  if (!stored) {
    if (!failing_) {  // once per outage; the batch waits for the next flush
      logEvent("usage not stored yet: " + stored.error().message);
    }
    failing_ = true;
    return stored;
  }
  if (failing_) {
    logEvent("usage stored again in " + store.where());
  }
  failing_ = false;
  const std::vector<QuotaKey> quotas = quotaList();
  if (quotas.empty()) {
    return core::Ok{};
  }
  std::unordered_map<std::string_view, std::vector<const QuotaKey*>> by_consumer;
  for (const QuotaKey& q : quotas) {
    by_consumer[q.consumer].push_back(&q);
  }
  for (const usage::Delta& d : batch.deltas) {
    const auto it = by_consumer.find(d.consumer);
    const auto day = usage::parseDay(d.day);
    if (it == by_consumer.end() || !day || d.counts.admitted() == 0) {
      continue;
    }
    for (const QuotaKey* q : it->second) {
      q->counter->stored(periodOfDay(*day, q->monthly).first, d.counts.admitted());
    }
  }
  return core::Ok{};
}

// Others' part of each quota this gateway served in the last minute, from the shared store
// (one round trip). A consumer idle here longer is brought up to date at the flush after it
// returns.
void UsageMeter::syncQuotas(usage::Store& store) {
  const auto rounds = static_cast<int>(std::chrono::minutes(1) / options_.flush_every);
  std::vector<QuotaKey> active;
  for (QuotaKey& q : quotaList()) {
    if (q.counter->recentlyActive(std::max(1, rounds))) {
      active.push_back(std::move(q));
    }
  }
  if (active.empty()) {
    return;
  }
  const std::int64_t day = usage::dayNumber(now());
  std::vector<usage::Store::Range> ranges;
  ranges.reserve(active.size());
  for (const QuotaKey& q : active) {
    ranges.push_back(
        {q.consumer, usage::dayText(periodOfDay(day, q.monthly).second), usage::dayText(day)});
  }
  auto totals = store.admittedMany(ranges);
  if (!totals) {
    return;  // the next flush tries again; the counters keep what they had
  }
  for (std::size_t i = 0; i < active.size(); ++i) {
    active[i].counter->sync(periodOfDay(day, active[i].monthly).first, (*totals)[i]);
  }
}

void UsageMeter::run() {
  std::unique_lock lock(wake_mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.flush_every);
    if (stopping_) {
      break;
    }
    lock.unlock();
    static_cast<void>(flush());
    lock.lock();
  }
}

}  // namespace gw::proxy::metering
