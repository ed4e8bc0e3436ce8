// calendar.h
//
// A school's calendar: terms and closures give the open sessions (every
// Monday-Friday AM and PM inside a term, less closures). From them follow
// school days (a date with at least one open session) and school weeks (a
// Monday-Sunday week with at least one open session). Open sessions are
// numbered in time order; the rest of core refers to a session by that index.
// Pure: built from values, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/session.h"

namespace rollcall::core {

struct Term {
  Date start;
  Date end;  // inclusive
};

enum class ClosureSessions : uint8_t { kAm = 1, kPm = 2, kBoth = 3 };

struct Closure {
  Date date;
  ClosureSessions sessions = ClosureSessions::kBoth;
  std::string reason;
};

class Calendar {
 public:
  Calendar() = default;
  // Terms may overlap (they are merged) and need not be sorted; each term must
  // have start <= end (checked by the caller). A closure outside every term
  // has no effect.
  Calendar(std::vector<Term> terms, std::vector<Closure> closures);

  const std::vector<Term>& terms() const { return terms_; }
  const std::vector<Closure>& closures() const { return closures_; }

  // Number of open sessions; indexes run 0..SessionCount()-1 in time order.
  int32_t SessionCount() const { return static_cast<int32_t>(sessions_.size()); }
  SessionKey SessionAt(int32_t index) const { return sessions_[static_cast<size_t>(index)]; }
  // Index of an open session; nullopt when the session is not open.
  std::optional<int32_t> IndexOf(SessionKey key) const;
  bool IsOpen(SessionKey key) const { return IndexOf(key).has_value(); }
  // Index of the first open session on or after `date` (SessionCount() if none).
  int32_t FirstSessionOnOrAfter(Date date) const;

  // Ordinal of the school week holding open session `index` (0 = first school
  // week of the calendar). Consecutive school weeks have consecutive ordinals,
  // whatever holidays lie between them.
  int32_t SchoolWeekOf(int32_t index) const { return session_week_[static_cast<size_t>(index)]; }
  // Number of school days d with after < d <= up_to.
  int32_t SchoolDaysBetween(Date after, Date up_to) const;
  bool IsSchoolDay(Date date) const;

 private:
  // Offset of `date` into the per-day tables, or -1 outside [first_, last_].
  int64_t Offset(Date date) const;
  // School days on or before `date`.
  int32_t SchoolDaysUpTo(Date date) const;

  std::vector<Term> terms_;
  std::vector<Closure> closures_;
  Date first_;                              // first day of the earliest term
  std::vector<uint8_t> day_open_;           // per day from first_: bit 1 AM, bit 2 PM
  std::vector<int32_t> day_first_session_;  // per day: index of its first open session
  std::vector<int32_t> school_days_upto_;   // per day: school days on or before it
  std::vector<SessionKey> sessions_;
  std::vector<int32_t> session_week_;
};

}  // namespace rollcall::core
