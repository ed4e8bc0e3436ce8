// clock.h
//
// "Now", as an interface. core never reads the clock; code above it that needs
// the time is handed a Clock&. cli creates the one SystemClock; tests use a
// FakeClock they can set and advance.
#pragma once

#include <cstdint>

#include "core/date.h"

namespace rollcall::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Unix seconds, UTC.
  virtual int64_t NowSeconds() const = 0;
  // Local (UK) civil date and minutes after midnight of "now".
  virtual Date Today() const = 0;
  virtual int MinuteOfDay() const = 0;
};

}  // namespace rollcall::core
