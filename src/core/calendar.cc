#include "core/calendar.h"

#include <algorithm>

namespace rollcall::core {

Calendar::Calendar(std::vector<Term> terms, std::vector<Closure> closures)
    : terms_(std::move(terms)), closures_(std::move(closures)) {
  if (terms_.empty()) return;
  Date first = terms_.front().start;
  Date last = terms_.front().end;
  for (const Term& term : terms_) {
    first = std::min(first, term.start);
    last = std::max(last, term.end);
  }
  first_ = first;
  const size_t day_count = static_cast<size_t>(last.days() - first.days() + 1);
  day_open_.assign(day_count, 0);
  for (const Term& term : terms_) {
    for (int32_t d = term.start.days(); d <= term.end.days(); ++d) {
      if (!Date::FromDays(d).IsWeekend()) day_open_[static_cast<size_t>(d - first.days())] = 3;
    }
  }
  for (const Closure& closure : closures_) {
    int64_t offset = Offset(closure.date);
    if (offset < 0) continue;  // outside every term: no effect
    day_open_[static_cast<size_t>(offset)] &=
        static_cast<uint8_t>(~static_cast<unsigned>(closure.sessions));
  }

  day_first_session_.resize(day_count);
  school_days_upto_.resize(day_count);
  int32_t school_days = 0;
  int32_t week_ordinal = -1;
  int32_t last_week_start = INT32_MIN;
  for (size_t offset = 0; offset < day_count; ++offset) {
    const Date date = Date::FromDays(first.days() + static_cast<int32_t>(offset));
    day_first_session_[offset] = static_cast<int32_t>(sessions_.size());
    const uint8_t open = day_open_[offset];
    if (open != 0) {
      ++school_days;
      if (date.WeekStart().days() != last_week_start) {
        last_week_start = date.WeekStart().days();
        ++week_ordinal;
      }
      if (open & 1) sessions_.push_back({date, Session::kAm});
      if (open & 2) sessions_.push_back({date, Session::kPm});
      session_week_.resize(sessions_.size(), week_ordinal);
    }
    school_days_upto_[offset] = school_days;
  }
}

int64_t Calendar::Offset(Date date) const {
  int64_t offset = static_cast<int64_t>(date.days()) - first_.days();
  if (offset < 0 || offset >= static_cast<int64_t>(day_open_.size())) return -1;
  return offset;
}

std::optional<int32_t> Calendar::IndexOf(SessionKey key) const {
  int64_t offset = Offset(key.date);
  if (offset < 0) return std::nullopt;
  const uint8_t open = day_open_[static_cast<size_t>(offset)];
  const int32_t first = day_first_session_[static_cast<size_t>(offset)];
  if (key.session == Session::kAm) {
    if (open & 1) return first;
    return std::nullopt;
  }
  if (!(open & 2)) return std::nullopt;
  return (open & 1) ? first + 1 : first;
}

int32_t Calendar::FirstSessionOnOrAfter(Date date) const {
  if (day_open_.empty() || date < first_) return 0;
  int64_t offset = Offset(date);
  if (offset < 0) return SessionCount();
  return day_first_session_[static_cast<size_t>(offset)];
}

int32_t Calendar::SchoolDaysUpTo(Date date) const {
  if (day_open_.empty() || date < first_) return 0;
  int64_t offset = Offset(date);
  if (offset < 0) return school_days_upto_.back();
  return school_days_upto_[static_cast<size_t>(offset)];
}

int32_t Calendar::SchoolDaysBetween(Date after, Date up_to) const {
  if (up_to <= after) return 0;
  return SchoolDaysUpTo(up_to) - SchoolDaysUpTo(after);
}

bool Calendar::IsSchoolDay(Date date) const {
  int64_t offset = Offset(date);
  return offset >= 0 && day_open_[static_cast<size_t>(offset)] != 0;
}

}  // namespace rollcall::core
