// system_clock.h: the one real clock. "Today" and the time of day are UK
// civil time (Europe/London, with summer time), as registers are, whatever
// the machine's time zone.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace rollcall::cli {

class SystemClock : public core::Clock {
 public:
  // A clock `offset` seconds ahead of the real one (negative: behind) runs at real speed from
  // a moment of the caller's choosing (`rollcall serve --now`, `rollcall demo --now`).
  explicit SystemClock(int64_t offset = 0);
  int64_t NowSeconds() const override;
  core::Date Today() const override;
  int MinuteOfDay() const override;

 private:
  int64_t offset_;
};

// The offset that makes a SystemClock's local time `text` ("YYYY-MM-DDTHH:MM"
// or "YYYY-MM-DD HH:MM", UK time) now. InvalidArgument naming the problem.
core::StatusOr<int64_t> OffsetToLocalTime(std::string_view text);

}  // namespace rollcall::cli
