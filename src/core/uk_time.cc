#include "core/uk_time.h"

namespace rollcall::core {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kHour = 3600;

int64_t FloorDiv(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// 01:00 GMT on the last Sunday of `month` in `year`, when the clocks change.
int64_t ChangeAt(int year, unsigned month) {
  const Date next =
      month == 12 ? *Date::FromYmd(year + 1, 1, 1) : *Date::FromYmd(year, month + 1, 1);
  const Date last = next.AddDays(-1);
  // Weekday counts Monday as 0, so Sunday is 6.
  const int back = (static_cast<int>(last.weekday()) + 1) % 7;
  return int64_t{last.AddDays(-back).days()} * kDay + kHour;
}

bool SummerAt(int64_t unix_seconds) {
  const int year = Date::FromDays(static_cast<int32_t>(FloorDiv(unix_seconds, kDay))).year();
  return unix_seconds >= ChangeAt(year, 3) && unix_seconds < ChangeAt(year, 10);
}

}  // namespace

UkTime UkTimeAt(int64_t unix_seconds) {
  UkTime t;
  t.summer = SummerAt(unix_seconds);
  const int64_t local = unix_seconds + (t.summer ? kHour : 0);
  const int64_t days = FloorDiv(local, kDay);
  const int64_t rest = local - days * kDay;
  t.date = Date::FromDays(static_cast<int32_t>(days));
  t.minute_of_day = static_cast<int>(rest / 60);
  t.second = static_cast<int>(rest % 60);
  return t;
}

int64_t UkUnixSeconds(Date date, int minute_of_day) {
  const int64_t as_gmt = int64_t{date.days()} * kDay + int64_t{minute_of_day} * 60;
  return SummerAt(as_gmt - kHour) ? as_gmt - kHour : as_gmt;
}

}  // namespace rollcall::core
