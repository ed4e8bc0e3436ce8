// words.cc: the school's values as people read them (words.h).
#include "service/words.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <utility>

#include "core/alerts.h"
#include "core/status.h"
#include "core/uk_time.h"
#include "letters/letters.h"

namespace rollcall::service {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string_view Month(core::Date d) { return d.MonthName(); }
std::string_view Day(core::Date d) { return kDays[static_cast<size_t>(d.weekday())]; }

// "is" or "are" after a count.
std::string_view Be(int64_t n) { return n == 1 ? "is" : "are"; }

std::string_view ActionText(core::PenaltyAction action) {
  switch (action) {
    case core::PenaltyAction::kFirstNotice:
      return "a first penalty notice";
    case core::PenaltyAction::kSecondNotice:
      return "a second penalty notice";
    case core::PenaltyAction::kConsiderProsecution:
      return "no further notice (a third within 3 years is not allowed): consider prosecution";
  }
  core::Unreachable();
}

// The alerts of one kind, in the order they fired.
using Group = std::vector<const io::DatedAlert*>;

// The sessions behind a group's alerts, each once, in time order.
std::vector<std::string> SessionsOf(const Group& group) {
  std::map<core::SessionKey, std::optional<core::AttendanceCode>> slots;
  for (const io::DatedAlert* a : group) {
    for (const io::DatedSession& s : a->evidence) slots.emplace(s.slot, s.code);
  }
  std::vector<std::string> out;
  out.reserve(slots.size());
  for (const auto& [slot, code] : slots) {
    out.push_back(SessionText(slot) + ": " +
                  (code ? std::string(core::SymbolOf(*code)) : std::string("no mark")));
  }
  return out;
}

// The sentence for one kind's alerts, or "" when the audience is not told.
std::string Sentence(core::AlertKind kind, const Group& group, const core::Policy& policy,
                     bool parent, const std::string& name) {
  const int64_t times = static_cast<int64_t>(group.size());
  switch (kind) {
    case core::AlertKind::kPenaltyThreshold: {
      const core::PenaltyPolicy& p = policy.penalty;
      if (parent) {
        return fmt::format("{} has missed {} without the school's permission within {}.", name,
                           Plural(p.sessions, "half-day session"),
                           Plural(p.school_weeks, "school week"));
      }
      std::string text = fmt::format("Reached the threshold for a penalty notice: {} within {}",
                                     Plural(p.sessions, "unauthorised session"),
                                     Plural(p.school_weeks, "school week"));
      if (times > 1) text += fmt::format(", {} times", times);
      if (group.back()->action) {
        text += fmt::format(". Next step allowed: {}", ActionText(*group.back()->action));
      }
      return text + ".";
    }
    case core::AlertKind::kContinuousAbsence: {
      int64_t run = 0;
      for (const io::DatedAlert* a : group) run = std::max(run, a->run_length);
      const std::string days =
          run % 2 == 0 ? fmt::format(" ({})", Plural(run / 2, "school day")) : std::string();
      return parent ? fmt::format(
                          "{} has been absent for {} in a row{} without a reason the school has "
                          "accepted.",
                          name, Plural(run, "half-day session"), days)
                    : fmt::format("Absent for {} in a row{} with no authorised reason.",
                                  Plural(run, "session"), days);
    }
    case core::AlertKind::kSickness:
      return parent ? fmt::format("{} has been off ill for {} or more in a school year.", name,
                                  Plural(policy.sickness.sessions, "half-day session"))
                    : fmt::format("Off ill (I) for {} or more in a school year.",
                                  Plural(policy.sickness.sessions, "session"));
    case core::AlertKind::kLatenessWeek: {
      const std::string weeks =
          times > 1 ? fmt::format(", in {}", Plural(times, "week")) : std::string();
      return parent ? fmt::format("{} arrived late {} or more times in one week{}.", name,
                                  policy.lateness.per_week, weeks)
                    : fmt::format("Late {} or more times in one week{}.", policy.lateness.per_week,
                                  weeks);
    }
    case core::AlertKind::kPersistentLateness:
      return parent
                 ? fmt::format("{} has arrived late {} or more times in a school year.", name,
                               policy.lateness.per_year)
                 : fmt::format("Late {} or more times in a school year.", policy.lateness.per_year);
    case core::AlertKind::kNOverdue:
      return parent ? fmt::format(
                          "The school does not yet know why {} missed {}. Please tell the school "
                          "office.",
                          name, Plural(times, "half-day session"))
                    : fmt::format(
                          "{} {} still recorded as N (no reason yet), more than {} after "
                          "the session.",
                          Plural(times, "session"), Be(times),
                          Plural(policy.n_overdue_school_days, "school day"));
    case core::AlertKind::kUnrecordedMarks: {
      // The school's own gap in its registers, not the child's attendance.
      if (parent) return "";
      const int64_t sessions = static_cast<int64_t>(group.front()->evidence.size());
      return fmt::format("{} {} no mark recorded yet.", Plural(sessions, "session"),
                         sessions == 1 ? "has" : "have");
    }
  }
  core::Unreachable();
}

}  // namespace

std::string Plural(int64_t n, std::string_view one, std::string_view many) {
  if (n == 1) return fmt::format("1 {}", one);
  return many.empty() ? fmt::format("{} {}s", n, one) : fmt::format("{} {}", n, many);
}

std::string LongDate(core::Date d) { return d.LongText(); }

std::string DayDate(core::Date d) { return fmt::format("{} {}", Day(d), LongDate(d)); }

std::string ShortDayDate(core::Date d) { return fmt::format("{} {}", Day(d), ShortDate(d)); }

std::string ShortDate(core::Date d) { return fmt::format("{} {}", d.day(), Month(d).substr(0, 3)); }

std::string SessionText(core::SessionKey s) {
  return fmt::format("{} {}", DayDate(s.date), core::SessionName(s.session));
}

std::vector<std::string> CitedSessions(std::string_view cited) {
  std::vector<std::string> out;
  while (!cited.empty()) {
    const size_t comma = cited.find(", ");
    const std::string_view item = cited.substr(0, comma);
    cited = comma == std::string_view::npos ? std::string_view() : cited.substr(comma + 2);
    // "YYYY-MM-DD AM" then, after a space, the code and anything said of it.
    const std::optional<core::Date> date = item.size() > 14 && item[10] == ' ' && item[13] == ' '
                                               ? core::Date::Parse(item.substr(0, 10))
                                               : std::nullopt;
    const std::optional<core::Session> session =
        date ? core::SessionFromName(item.substr(11, 2)) : std::nullopt;
    out.push_back(session ? fmt::format("{}: {}", SessionText({*date, *session}), item.substr(14))
                          : std::string(item));
  }
  return out;
}

std::string MomentText(int64_t unix_seconds) {
  const core::UkTime t = core::UkTimeAt(unix_seconds);
  return fmt::format("{}, {:02}:{:02}", DayDate(t.date), t.minute_of_day / 60,
                     t.minute_of_day % 60);
}

std::string AttendancePctText(const core::SessionCounts& c) {
  const std::optional<double> p = core::Percent(c.attended, c.possible);
  return p ? fmt::format("{:.1f}", *p) : std::string("–");
}

std::string CodeText(core::AttendanceCode code) {
  return fmt::format("{} — {}", core::SymbolOf(code), core::InfoOf(code).meaning);
}

std::string LetterKindText(std::string_view key) {
  if (const std::optional<letters::Template> t = letters::TemplateFromKey(key)) {
    return std::string(letters::InfoOf(*t).title);
  }
  if (key == "leave_granted") return "Leave granted";
  if (key == "leave_refused") return "Leave refused";
  return BandText(key);  // any other key: spaces for underscores, a capital
}

std::string CohortText(std::string_view tag) {
  static const std::map<std::string_view, std::string_view> kWords = {
      {"FSM", "Free school meals"}, {"PP", "Pupil premium"},
      {"SEN_K", "SEN support"},     {"EHCP", "EHC plan"},
      {"CLA", "Looked after"},      {"SW", "Social worker"},
      {"YC", "Young carer"},        {"EAL", "English as an additional language"}};
  auto it = kWords.find(tag);
  return std::string(it == kWords.end() ? tag : it->second);
}

std::string_view RoleText(store::Role role) {
  switch (role) {
    case store::Role::kTeacher:
      return "teacher";
    case store::Role::kOffice:
      return "office";
    case store::Role::kHead:
      return "head teacher";
    case store::Role::kGovernor:
      return "governor";
    case store::Role::kLaOfficer:
      return "LA officer";
    case store::Role::kParent:
      return "parent";
    case store::Role::kSafeguardingLead:
      return "designated safeguarding lead";
    case store::Role::kSenco:
      return "SENCO";
    case store::Role::kAttendanceOfficer:
      return "attendance officer";
  }
  core::Unreachable();
}

std::string RoleWithArticle(store::Role role) {
  const std::string_view words = RoleText(role);
  const bool an =
      words.starts_with("LA") || std::string_view("aeiou").find(words[0]) != std::string_view::npos;
  return fmt::format("{} {}", an ? "an" : "a", words);
}

std::string_view DecisionText(core::PenaltyDecision decision) {
  switch (decision) {
    case core::PenaltyDecision::kSupportFirst:
      return "support first";
    case core::PenaltyDecision::kNoticeToImprove:
      return "notice to improve";
    case core::PenaltyDecision::kPenaltyNotice:
      return "penalty notice";
    case core::PenaltyDecision::kNoAction:
      return "no action";
  }
  core::Unreachable();
}

std::string_view ImprovementText(core::ImprovementOutcome outcome) {
  return outcome == core::ImprovementOutcome::kImproved ? "improved" : "not improved";
}

std::vector<AlertLine> AlertLines(const io::PupilResult& result, const core::Policy& policy,
                                  Audience audience, const std::string& first_name) {
  const bool parent = audience == Audience::kParent;
  std::vector<AlertLine> lines;
  if (result.severe_absence || result.persistent_absence) {
    const core::Decimal& pct =
        result.severe_absence ? policy.severe_absence_pct : policy.persistent_absence_pct;
    lines.push_back(
        {parent ? fmt::format("{} has missed {}% or more of sessions this school year.", first_name,
                              pct.ToString())
                : fmt::format("Absent for {}% or more of sessions this school year: {} absent.",
                              pct.ToString(), result.severe_absence ? "severely" : "persistently"),
         {}});
  }
  // One line per kind, most serious first.
  constexpr std::array<core::AlertKind, 7> kOrder = {
      core::AlertKind::kPenaltyThreshold,   core::AlertKind::kContinuousAbsence,
      core::AlertKind::kNOverdue,           core::AlertKind::kSickness,
      core::AlertKind::kPersistentLateness, core::AlertKind::kLatenessWeek,
      core::AlertKind::kUnrecordedMarks};
  for (core::AlertKind kind : kOrder) {
    Group group;
    for (const io::DatedAlert& a : result.alerts) {
      if (a.kind == kind) group.push_back(&a);
    }
    if (group.empty()) continue;
    std::string text = Sentence(kind, group, policy, parent, first_name);
    if (text.empty()) continue;
    lines.push_back({std::move(text), SessionsOf(group)});
  }
  return lines;
}

}  // namespace rollcall::service
