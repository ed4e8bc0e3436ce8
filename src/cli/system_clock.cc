// system_clock.cc: wall-clock time through time(2), read as UK time by the
// same arithmetic the pages use (core/uk_time.h).
#include "cli/system_clock.h"

#include <fmt/format.h>

#include <cctype>
#include <ctime>
#include <optional>
#include <string>

#include "core/error_codes.h"
#include "core/uk_time.h"

namespace rollcall::cli {

SystemClock::SystemClock(int64_t offset) : offset_(offset) {}

int64_t SystemClock::NowSeconds() const {
  return static_cast<int64_t>(std::time(nullptr)) + offset_;
}

core::Date SystemClock::Today() const { return core::UkTimeAt(NowSeconds()).date; }

int SystemClock::MinuteOfDay() const { return core::UkTimeAt(NowSeconds()).minute_of_day; }

core::StatusOr<int64_t> OffsetToLocalTime(std::string_view text) {
  const auto bad = [&] {
    return core::InvalidArgument(
        core::kErrTimeInvalid,
        fmt::format("--now '{}' is not a UK local time YYYY-MM-DDTHH:MM, e.g. 2026-11-25T10:30",
                    text));
  };
  const auto two_digits = [](std::string_view two) {
    return std::isdigit(static_cast<unsigned char>(two[0])) &&
           std::isdigit(static_cast<unsigned char>(two[1]));
  };
  if (text.size() != 16 || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') return bad();
  const std::optional<core::Date> date = core::Date::Parse(text.substr(0, 10));
  if (!date || !two_digits(text.substr(11, 2)) || !two_digits(text.substr(14, 2))) return bad();
  const int hour = std::stoi(std::string(text.substr(11, 2)));
  const int minute = std::stoi(std::string(text.substr(14, 2)));
  if (hour > 23 || minute > 59) return bad();
  return core::UkUnixSeconds(*date, hour * 60 + minute) - static_cast<int64_t>(std::time(nullptr));
}

}  // namespace rollcall::cli
