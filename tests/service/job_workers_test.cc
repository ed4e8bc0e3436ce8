// RunEachOnWorkers: every item once, a slow item holding up one worker
// only, and a stop request ending the round early.
#include "service/job_workers.h"

#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <stop_token>
#include <thread>

namespace rollcall::service {
namespace {

TEST(JobWorkersTest, RunsEveryItemExactlyOnce) {
  for (size_t workers : {size_t{0}, size_t{1}, size_t{4}, size_t{20}}) {
    std::array<std::atomic<int>, 10> runs{};
    RunEachOnWorkers(runs.size(), workers, std::stop_token(), [&](size_t i) { ++runs.at(i); });
    for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].load(), 1) << workers << " " << i;
  }
  bool ran = false;
  RunEachOnWorkers(0, 4, std::stop_token(), [&](size_t) { ran = true; });
  EXPECT_FALSE(ran);
}

TEST(JobWorkersTest, ASlowItemHoldsUpOneWorkerOnly) {
  // Item 0 waits (up to a limit) for all the others to finish: were the
  // items run one after another, it would wait the whole limit and see none.
  constexpr size_t kItems = 8;
  std::atomic<size_t> others_done{0};
  size_t seen_by_slow = 0;
  RunEachOnWorkers(kItems, 4, std::stop_token(), [&](size_t i) {
    if (i != 0) {
      ++others_done;
      return;
    }
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (others_done.load() < kItems - 1 && std::chrono::steady_clock::now() < limit) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    seen_by_slow = others_done.load();
  });
  EXPECT_EQ(seen_by_slow, kItems - 1);
  EXPECT_EQ(others_done.load(), kItems - 1);
}

TEST(JobWorkersTest, AStopRequestStartsNoMoreItems) {
  std::stop_source stopped;
  stopped.request_stop();
  int runs = 0;
  RunEachOnWorkers(5, 4, stopped.get_token(), [&](size_t) { ++runs; });
  EXPECT_EQ(runs, 0);

  // Asked to stop by the first item, one worker starts no other.
  std::stop_source stop;
  std::atomic<int> started{0};
  RunEachOnWorkers(5, 1, stop.get_token(), [&](size_t) {
    ++started;
    stop.request_stop();
  });
  EXPECT_EQ(started.load(), 1);
}

}  // namespace
}  // namespace rollcall::service
