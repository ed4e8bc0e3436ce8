// fields.cc: parsing entered text (fields.h).
#include "service/fields.h"

#include <fmt/format.h>

#include <charconv>

#include "core/error_codes.h"
#include "core/uk_time.h"

namespace rollcall::service {

std::optional<int> ParseTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

core::StatusOr<core::Date> ParseDateParam(std::string_view text, const char* what) {
  std::optional<core::Date> d = core::Date::Parse(text);
  if (!d) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("{} '{}' is not a date (YYYY-MM-DD)", what, text));
  }
  return *d;
}

std::string TimeText(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

int64_t StartOfToday(const core::Clock& clock) {
  const int64_t now = clock.NowSeconds();
  return now - int64_t{clock.MinuteOfDay()} * 60 - now % 60;
}

const char* SessionWord(core::Session session) {
  return session == core::Session::kAm ? "morning" : "afternoon";
}

std::string IsoTime(int64_t unix_seconds) {
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int64_t rest = unix_seconds - days * 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z",
                     core::Date::FromDays(static_cast<int32_t>(days)).ToString(), rest / 3600,
                     rest / 60 % 60, rest % 60);
}

std::string LocalIsoTime(int64_t unix_seconds) {
  const core::UkTime t = core::UkTimeAt(unix_seconds);
  return fmt::format("{}T{:02}:{:02}:{:02}", t.date.ToString(), t.minute_of_day / 60,
                     t.minute_of_day % 60, t.second);
}

std::string Pounds(int64_t pence) {
  // In unsigned arithmetic, so that even the most negative amount prints
  // whole ("-£0.08", never "£-0.-8").
  const uint64_t magnitude =
      pence < 0 ? uint64_t{0} - static_cast<uint64_t>(pence) : static_cast<uint64_t>(pence);
  return fmt::format("{}£{}.{:02d}", pence < 0 ? "-" : "", magnitude / 100, magnitude % 100);
}

bool IsEmailAddress(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = text.substr(at + 1);
  if (text.find_first_of(" \t\r\n,;<>") != std::string_view::npos) return false;
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;  // control characters
  }
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && !domain.ends_with('.') &&
         domain.find("..") == std::string_view::npos;
}

}  // namespace rollcall::service
