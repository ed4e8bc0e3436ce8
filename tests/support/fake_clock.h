// fake_clock.h: a Clock that tests set and advance.
#pragma once

#include "core/clock.h"

namespace rollcall::testing {

class FakeClock : public core::Clock {
 public:
  FakeClock(core::Date today, int minute_of_day) : today_(today), minute_(minute_of_day) {}
  int64_t NowSeconds() const override {
    return int64_t{today_.days()} * 86400 + int64_t{minute_} * 60 + extra_seconds_;
  }
  core::Date Today() const override { return today_; }
  int MinuteOfDay() const override { return minute_; }

  void Set(core::Date today, int minute_of_day) {
    today_ = today;
    minute_ = minute_of_day;
  }
  void AdvanceSeconds(int64_t seconds) { extra_seconds_ += seconds; }

 private:
  core::Date today_;
  int minute_;
  int64_t extra_seconds_ = 0;
};

}  // namespace rollcall::testing
