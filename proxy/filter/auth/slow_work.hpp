#pragma once
// A few background threads for work too slow for a worker's event loop: checking a password
// hash (bcrypt at cost 10 takes ~50 ms, during which a worker would serve nobody). A job
// runs on one of them and hands its result back by posting to the worker it came from.
// The threads live as long as the process; the queue is bounded, so a flood of distinct
// passwords is refused rather than queued without end.

#include <functional>

namespace gw::proxy::filter {

// Queues `job`; false when kMaxQueued jobs are already waiting (the caller answers 503 or
// refuses).
bool runSlow(std::function<void()> job);

inline constexpr std::size_t kMaxQueued = 256;

}  // namespace gw::proxy::filter
