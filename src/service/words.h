// words.h
//
// How the school's values read to people: UK dates, moments in UK time,
// counts with their plural, attendance codes and bands with their meaning,
// cohort flags, and a pupil's alerts as sentences. One place, so that every
// page, letter and export says the same thing the same way; the API keeps
// the machine forms (ISO dates, codes, kinds).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.h"
#include "core/date.h"
#include "core/penalty.h"
#include "core/policy.h"
#include "core/session.h"
#include "core/statistics.h"
#include "io/result_json.h"
#include "store/people.h"

namespace rollcall::service {

// "1 session", "2 sessions"; `many` defaults to `one` with an s.
std::string Plural(int64_t n, std::string_view one, std::string_view many = "");

// "2 December 2026", as letters give dates.
std::string LongDate(core::Date d);
// "Wed 2 December 2026".
std::string DayDate(core::Date d);
// "Wed 2 Dec".
std::string ShortDayDate(core::Date d);
// "2 Dec".
std::string ShortDate(core::Date d);
// "Wed 2 December 2026 AM".
std::string SessionText(core::SessionKey s);
// A stored moment (Unix seconds) in UK time: "Wed 2 December 2026, 10:37".
std::string MomentText(int64_t unix_seconds);
// The sessions a penalty case or pattern cites, as stored ("2026-11-13 PM G,
// 2026-11-16 AM G"), one item each as people read them: "Fri 13 November
// 2026 PM: G". An item that does not start with a session stays as it is.
std::vector<std::string> CitedSessions(std::string_view cited);

// "N — reason not yet established": the code stays visible beside its meaning.
std::string CodeText(core::AttendanceCode code);
// Attendance as a percentage with one decimal and no sign ("95.3"), or "–"
// when there were no possible sessions.
std::string AttendancePctText(const core::SessionCounts& c);
// A policy band's name for people: "amber_lower" -> "Amber (lower)".
using core::BandText;
// A stored letter's kind in words: its template's title, or the leave
// decision it tells ("Leave refused").
std::string LetterKindText(std::string_view key);
// A cohort flag for people: "SEN_K" -> "SEN support"; an unknown flag as it is.
std::string CohortText(std::string_view tag);
// A user's role for people: "LA officer".
std::string_view RoleText(store::Role role);
// The role in words after "a" or "an": "a teacher", "an attendance officer".
std::string RoleWithArticle(store::Role role);
// The head's decision on a penalty case: "support_first" -> "support first".
std::string_view DecisionText(core::PenaltyDecision decision);
// The outcome of an improvement period: "not improved".
std::string_view ImprovementText(core::ImprovementOutcome outcome);

// Who an alert's sentence is written for. A parent reads about their child
// by name, without the school's internal processes (thresholds for notices,
// marks the school has not recorded).
enum class Audience { kStaff, kParent };

// One line of a pupil's alerts: the alerts of one kind together, as a
// sentence, with the sessions behind them ("Wed 2 December 2026 AM: N").
struct AlertLine {
  std::string text;
  std::vector<std::string> sessions;  // in time order, each once; may be empty
};

// A pupil's figures and alerts as lines, most serious first: persistent or
// severe absence, then one line per alert kind. `first_name` is used in
// the parents' wording.
std::vector<AlertLine> AlertLines(const io::PupilResult& result, const core::Policy& policy,
                                  Audience audience, const std::string& first_name);

}  // namespace rollcall::service
