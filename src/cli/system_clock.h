// system_clock.h: the one real clock. "Today" and the time of day are UK
// civil time (Europe/London, with summer time), as registers are.
#pragma once

#include "core/clock.h"

namespace rollcall::cli {

class SystemClock : public core::Clock {
 public:
  SystemClock();  // sets TZ to Europe/London unless TZ is already set
  int64_t NowSeconds() const override;
  core::Date Today() const override;
  int MinuteOfDay() const override;
};

}  // namespace rollcall::cli
