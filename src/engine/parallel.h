// parallel.h
//
// Work for the passes: pupils split into chunks (a school, or part of a large
// one), taken by worker threads from a shared counter. Each chunk's results
// go to its own slot, so the output does not depend on the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "engine/column_store.h"

namespace rollcall::engine {

struct Chunk {
  size_t school;
  size_t begin;  // pupils [begin, end) of the school
  size_t end;
};

inline std::vector<Chunk> ChunksOf(const Dataset& dataset, size_t max_pupils = 16384) {
  std::vector<Chunk> chunks;
  for (size_t s = 0; s < dataset.schools.size(); ++s) {
    const size_t n = dataset.schools[s].PupilCount();
    for (size_t b = 0; b < n; b += max_pupils)
      chunks.push_back({s, b, std::min(n, b + max_pupils)});
  }
  return chunks;
}

inline int ThreadCount(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

// Calls work(chunk_index) for every chunk on `threads` threads (<= 0: one per core).
template <typename Work>
void RunChunks(size_t chunk_count, int threads, Work work) {
  const int n =
      std::min<int>(ThreadCount(threads), static_cast<int>(std::max<size_t>(chunk_count, 1)));
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < chunk_count; i = next.fetch_add(1)) work(i);
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
}

}  // namespace rollcall::engine
