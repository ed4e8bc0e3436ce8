#include "core/statistics.h"

#include <algorithm>

#include "core/status.h"

namespace rollcall::core {

void SessionCounts::Add(std::optional<AttendanceCode> code) {
  if (!code) {
    ++unrecorded;
    return;
  }
  ++by_code[static_cast<size_t>(*code)];
  switch (CategoryOf(*code)) {
    case StatCategory::kPresent:
      ++present;
      ++attended;
      ++possible;
      if (*code == AttendanceCode::kLateBeforeClose) ++late_before_close;
      return;
    case StatCategory::kApprovedActivity:
      ++approved_activity;
      ++attended;
      ++possible;
      return;
    case StatCategory::kAuthorised:
      ++authorised;
      ++absence;
      ++possible;
      return;
    case StatCategory::kUnauthorised:
      // U means arrival after the register closed: unauthorised absence, and
      // also reported as late_after_close.
      if (*code == AttendanceCode::kLateAfterClose) ++late_after_close;
      ++unauthorised;
      ++absence;
      ++possible;
      return;
    case StatCategory::kNotPossible:
      ++not_possible;
      return;
  }
  Unreachable();
}

SessionCounts& SessionCounts::operator+=(const SessionCounts& o) {
  possible += o.possible;
  present += o.present;
  late_before_close += o.late_before_close;
  late_after_close += o.late_after_close;
  approved_activity += o.approved_activity;
  attended += o.attended;
  authorised += o.authorised;
  unauthorised += o.unauthorised;
  absence += o.absence;
  not_possible += o.not_possible;
  unrecorded += o.unrecorded;
  for (size_t i = 0; i < by_code.size(); ++i) by_code[i] += o.by_code[i];
  return *this;
}

Period StatisticsPeriod(Date as_of) { return {as_of.AcademicYearStart(), as_of}; }

SessionCounts CountSessions(const Calendar& calendar, std::span<const PupilSession> sessions,
                            Period period) {
  const int32_t begin = calendar.FirstSessionOnOrAfter(period.from);
  const int32_t end = calendar.FirstSessionOnOrAfter(period.to.AddDays(1));
  auto it = std::lower_bound(sessions.begin(), sessions.end(), begin,
                             [](const PupilSession& s, int32_t i) { return s.index < i; });
  SessionCounts counts;
  for (; it != sessions.end() && it->index < end; ++it) counts.Add(it->code);
  return counts;
}

std::optional<double> Percent(int64_t part, int64_t whole) {
  if (whole == 0) return std::nullopt;
  return 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

bool IsPersistentAbsence(const SessionCounts& counts, const Policy& policy) {
  return counts.possible > 0 &&
         policy.persistent_absence_pct.PercentReached(counts.absence, counts.possible);
}

bool IsSevereAbsence(const SessionCounts& counts, const Policy& policy) {
  return counts.possible > 0 &&
         policy.severe_absence_pct.PercentReached(counts.absence, counts.possible);
}

std::optional<std::string> BandOf(const SessionCounts& counts, const Policy& policy) {
  if (counts.possible == 0) return std::nullopt;
  for (const Band& band : policy.bands) {
    if (band.min.PercentReached(counts.attended, counts.possible)) return band.name;
  }
  return std::nullopt;
}

}  // namespace rollcall::core
