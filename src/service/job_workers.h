// job_workers.h
//
// One round of scheduled work spread over a few threads. A server of many
// schools runs each school's jobs every round; a school whose webhook or
// mail relay never answers keeps its own jobs waiting until the connection
// times out, and, were the schools run one after another, every school
// behind it in the list too. Here each worker takes the next school from a
// shared counter, so a stuck school holds up one worker and the others go on
// through the rest of the list.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <functional>
#include <stop_token>
#include <thread>
#include <vector>

namespace rollcall::service {

// Runs `run(i)` once for each i in [0, count) on min(workers, count) threads
// (the calling thread is one of them) and returns when all have finished.
// Once `stop` is requested no worker starts another item; those already
// running are left to end. `run` must not throw: it is called on threads
// that have no one to hand an exception to. It may be called from several
// threads at once, each with a different i.
//
// No locks: the only shared state is the atomic counter, and the caller
// waits by joining the threads, so nothing can deadlock.
inline void RunEachOnWorkers(size_t count, size_t workers, const std::stop_token& stop,
                             const std::function<void(size_t)>& run) {
  std::atomic<size_t> next{0};
  const auto work = [&] {
    while (!stop.stop_requested()) {
      const size_t i = next.fetch_add(1);
      if (i >= count) return;
      run(i);
    }
  };
  const size_t threads = std::min(workers, count);
  std::vector<std::jthread> helpers;
  if (threads > 1) helpers.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) helpers.emplace_back(work);
  work();
  // The helpers are joined here, by their destructors, before `next` goes.
}

}  // namespace rollcall::service
