#include "core/alerts.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "core/status.h"

namespace rollcall::core {
namespace {

using Sessions = std::span<const PupilSession>;

// Rule 6: at each counted session, the unused counted sessions in its school
// week and the (school_weeks - 1) school weeks before it, at or before it.
void PenaltyThreshold(const Calendar& calendar, const PenaltyPolicy& policy,
                      const PupilRecord& pupil, Sessions sessions, std::vector<Alert>& out) {
  std::deque<PupilSession> unused;  // in time order, so expiry is from the front
  for (const PupilSession& s : sessions) {
    if (!s.code || !policy.codes.Contains(*s.code)) continue;
    const SessionKey key = calendar.SessionAt(s.index);
    if (policy.framework_start && key.date < *policy.framework_start) continue;
    const int64_t week = calendar.SchoolWeekOf(s.index);
    unused.push_back(s);
    while (week - calendar.SchoolWeekOf(unused.front().index) >= policy.school_weeks) {
      unused.pop_front();
    }
    if (static_cast<int64_t>(unused.size()) >= policy.sessions) {
      Alert alert{.kind = AlertKind::kPenaltyThreshold, .at = s.index};
      alert.evidence.assign(unused.begin(), unused.end());
      alert.action = PenaltyActionFor(pupil.penalty_history, key.date, policy.framework_start);
      out.push_back(std::move(alert));
      unused.clear();  // used sessions never count towards a later alert
    }
  }
}

// Rule 8: runs of consecutive sessions coded with the policy's codes; not
// possible and unrecorded sessions neither extend nor break a run, and runs
// carry across holidays and academic years.
void ContinuousAbsence(const ContinuousAbsencePolicy& policy, Sessions sessions,
                       std::vector<Alert>& out) {
  std::vector<int64_t> lengths = policy.sessions;
  std::sort(lengths.begin(), lengths.end());
  lengths.erase(std::unique(lengths.begin(), lengths.end()), lengths.end());
  std::vector<PupilSession> run;
  for (const PupilSession& s : sessions) {
    if (!s.code || !IsPossible(*s.code)) continue;
    if (!policy.codes.Contains(*s.code)) {
      run.clear();
      continue;
    }
    run.push_back(s);
    const int64_t length = static_cast<int64_t>(run.size());
    if (std::binary_search(lengths.begin(), lengths.end(), length)) {
      out.push_back({.kind = AlertKind::kContinuousAbsence,
                     .run_length = length,
                     .at = s.index,
                     .evidence = run});
    }
  }
}

// Rules 9-11 share one shape: count matching sessions within a grouping
// (academic year or Monday-Sunday week) and fire once per group when the
// count reaches the threshold.
template <typename GroupOf>
void CountWithinGroup(AlertKind kind, const Calendar& calendar, const CodeMask& codes,
                      int64_t threshold, GroupOf group_of, Sessions sessions,
                      std::vector<Alert>& out) {
  std::vector<PupilSession> matched;
  int32_t current_group = INT32_MIN;
  bool fired = false;
  for (const PupilSession& s : sessions) {
    if (!s.code || !codes.Contains(*s.code)) continue;
    const int32_t group = group_of(calendar.SessionAt(s.index).date);
    if (group != current_group) {
      current_group = group;
      matched.clear();
      fired = false;
    }
    matched.push_back(s);
    if (!fired && static_cast<int64_t>(matched.size()) >= threshold) {
      out.push_back({.kind = kind, .at = s.index, .evidence = matched});
      fired = true;
    }
  }
}

// Rule 12: an N still recorded more than n school days after its session.
void NOverdue(const Calendar& calendar, int64_t school_days, Sessions sessions, Date as_of,
              std::vector<Alert>& out) {
  for (const PupilSession& s : sessions) {
    if (s.code != AttendanceCode::kNoReasonYet) continue;
    const Date date = calendar.SessionAt(s.index).date;
    if (calendar.SchoolDaysBetween(date, as_of) > school_days) {
      out.push_back({.kind = AlertKind::kNOverdue, .at = s.index, .evidence = {s}});
    }
  }
}

void UnrecordedMarks(Sessions sessions, std::vector<Alert>& out) {
  Alert alert{.kind = AlertKind::kUnrecordedMarks, .at = 0};
  for (const PupilSession& s : sessions) {
    if (!s.code) alert.evidence.push_back(s);
  }
  if (alert.evidence.empty()) return;
  alert.at = alert.evidence.front().index;
  out.push_back(std::move(alert));
}

}  // namespace

std::string_view PenaltyActionName(PenaltyAction action) {
  switch (action) {
    case PenaltyAction::kFirstNotice:
      return "penalty_notice_1";
    case PenaltyAction::kSecondNotice:
      return "penalty_notice_2";
    case PenaltyAction::kConsiderProsecution:
      return "no_notice_consider_prosecution";
  }
  Unreachable();
}

std::string Alert::TypeName() const {
  switch (kind) {
    case AlertKind::kPenaltyThreshold:
      return "penalty_threshold";
    case AlertKind::kContinuousAbsence:
      if (run_length == 20) return "continuous_absence_10_days";
      if (run_length == 40) return "continuous_absence_20_days";
      return fmt::format("continuous_absence_{}_sessions", run_length);
    case AlertKind::kSickness:
      return "sickness_15_days";
    case AlertKind::kLatenessWeek:
      return "lateness_week";
    case AlertKind::kPersistentLateness:
      return "persistent_lateness";
    case AlertKind::kNOverdue:
      return "n_overdue";
    case AlertKind::kUnrecordedMarks:
      return "unrecorded_marks";
  }
  Unreachable();
}

PenaltyAction PenaltyActionFor(std::span<const PenaltyNotice> history, Date alert_date,
                               std::optional<Date> framework_start) {
  // Rule 7: notices issued from the same day 3 years earlier (29 Feb -> 28 Feb)
  // to the alert date, both inclusive; withdrawn notices do not count.
  const Date window_start = alert_date.YearsEarlier(3);
  int notices = 0;
  for (const PenaltyNotice& notice : history) {
    if (notice.withdrawn) continue;
    if (notice.issued < window_start || notice.issued > alert_date) continue;
    if (framework_start && notice.issued < *framework_start) continue;
    ++notices;
  }
  if (notices == 0) return PenaltyAction::kFirstNotice;
  if (notices == 1) return PenaltyAction::kSecondNotice;
  return PenaltyAction::kConsiderProsecution;
}

std::vector<Alert> ComputeAlerts(const Calendar& calendar, const Policy& policy,
                                 const PupilRecord& pupil, Sessions sessions, Date as_of) {
  std::vector<Alert> alerts;
  PenaltyThreshold(calendar, policy.penalty, pupil, sessions, alerts);
  ContinuousAbsence(policy.continuous_absence, sessions, alerts);
  auto academic_year = [](Date d) { return d.AcademicYearStart().days(); };
  auto week = [](Date d) { return d.WeekStart().days(); };
  CountWithinGroup(AlertKind::kSickness, calendar, policy.sickness.codes, policy.sickness.sessions,
                   academic_year, sessions, alerts);
  CountWithinGroup(AlertKind::kLatenessWeek, calendar, policy.lateness.codes,
                   policy.lateness.per_week, week, sessions, alerts);
  CountWithinGroup(AlertKind::kPersistentLateness, calendar, policy.lateness.codes,
                   policy.lateness.per_year, academic_year, sessions, alerts);
  NOverdue(calendar, policy.n_overdue_school_days, sessions, as_of, alerts);
  UnrecordedMarks(sessions, alerts);

  // Sorted by session (time order, AM before PM), then type name. Names are
  // computed once per alert, not per comparison.
  std::vector<std::pair<std::string, size_t>> keys;
  keys.reserve(alerts.size());
  for (size_t i = 0; i < alerts.size(); ++i) keys.emplace_back(alerts[i].TypeName(), i);
  std::sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
    const int32_t at_a = alerts[a.second].at, at_b = alerts[b.second].at;
    return at_a != at_b ? at_a < at_b : a.first < b.first;
  });
  std::vector<Alert> sorted;
  sorted.reserve(alerts.size());
  for (const auto& key : keys) sorted.push_back(std::move(alerts[key.second]));
  return sorted;
}

}  // namespace rollcall::core
