// statistics.h
//
// Session counts, percentages, persistent and severe absence, and bands, as
// DfE computes them (docs/rules.md section 8 rules 1-5). Counts cover the
// statistics period: 1 August of the academic year containing as-of, to as-of.
// PA, SA and bands compare exact integers and exact policy decimals.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/calendar.h"
#include "core/policy.h"
#include "core/pupil_sessions.h"

namespace rollcall::core {

struct SessionCounts {
  int64_t possible = 0;
  int64_t present = 0;            // / \ L
  int64_t late_before_close = 0;  // L
  int64_t late_after_close = 0;   // U (also unauthorised absence)
  int64_t approved_activity = 0;
  int64_t attended = 0;  // present + approved activity
  int64_t authorised = 0;
  int64_t unauthorised = 0;
  int64_t absence = 0;  // authorised + unauthorised
  int64_t not_possible = 0;
  int64_t unrecorded = 0;
  std::array<int64_t, kMaxStoredCode + 1> by_code{};  // indexed by stored code value

  void Add(std::optional<AttendanceCode> code);
  SessionCounts& operator+=(const SessionCounts& other);
};

// The statistics period for an evaluation day.
struct Period {
  Date from;
  Date to;
};
Period StatisticsPeriod(Date as_of);

// Counts the sessions of `sessions` dated within `period`.
SessionCounts CountSessions(const Calendar& calendar, std::span<const PupilSession> sessions,
                            Period period);

// 100 * part / whole; nullopt when whole is 0.
std::optional<double> Percent(int64_t part, int64_t whole);

// absence * 100 >= pct * possible, exactly; false when possible is 0.
bool IsPersistentAbsence(const SessionCounts& counts, const Policy& policy);
bool IsSevereAbsence(const SessionCounts& counts, const Policy& policy);
// The first band whose min <= attendance %; nullopt when possible is 0 or none matches.
std::optional<std::string> BandOf(const SessionCounts& counts, const Policy& policy);

}  // namespace rollcall::core
