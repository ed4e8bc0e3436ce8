// system_clock.cc: wall-clock time through time(2) and localtime_r(3).
#include "cli/system_clock.h"

#include <cstdlib>
#include <ctime>

namespace rollcall::cli {
namespace {

std::tm LocalNow() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return local;
}

}  // namespace

SystemClock::SystemClock() {
  setenv("TZ", "Europe/London", /*overwrite=*/0);
  tzset();
}

int64_t SystemClock::NowSeconds() const { return static_cast<int64_t>(std::time(nullptr)); }

core::Date SystemClock::Today() const {
  const std::tm t = LocalNow();
  return *core::Date::FromYmd(t.tm_year + 1900, static_cast<unsigned>(t.tm_mon + 1),
                              static_cast<unsigned>(t.tm_mday));
}

int SystemClock::MinuteOfDay() const {
  const std::tm t = LocalNow();
  return t.tm_hour * 60 + t.tm_min;
}

}  // namespace rollcall::cli
