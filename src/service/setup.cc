// setup.cc: setting up a school, and changing its calendar (setup.h).
#include "service/setup.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/password.h"
#include "service/records.h"
#include "service/words.h"

namespace rollcall::service {
namespace {

bool Digits(std::string_view text, size_t count) {
  return text.size() == count &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The problems with a calendar: at least one term, each named and not
// ending before it starts, none overlapping another; closures one a date,
// each with a reason.
void CheckCalendar(const std::vector<store::Term>& terms,
                   const std::vector<store::Closure>& closures,
                   std::vector<SetupProblem>& problems) {
  if (terms.empty()) problems.push_back({"terms", "Enter at least one term"});
  std::vector<store::Term> sorted = terms;
  std::sort(sorted.begin(), sorted.end(),
            [](const store::Term& a, const store::Term& b) { return a.start < b.start; });
  for (size_t i = 0; i < sorted.size(); ++i) {
    const store::Term& t = sorted[i];
    if (t.name.empty() || t.name.size() > 100) {
      problems.push_back(
          {"terms", fmt::format("The term starting {} needs a name of 1 to 100 characters",
                                LongDate(t.start))});
    }
    if (t.end < t.start) {
      problems.push_back({"terms", fmt::format("{} ends on {}, before it starts on {}", t.name,
                                               LongDate(t.end), LongDate(t.start))});
    }
    if (i > 0 && t.start <= sorted[i - 1].end) {
      problems.push_back({"terms", fmt::format("{} starts on {}, before {} ends", t.name,
                                               LongDate(t.start), sorted[i - 1].name)});
    }
  }
  std::set<core::Date> dates;
  for (const store::Closure& c : closures) {
    if (!dates.insert(c.date).second) {
      problems.push_back({"closures", fmt::format("{} is given twice", LongDate(c.date))});
    }
    if (c.reason.empty() || c.reason.size() > 200) {
      problems.push_back({"closures", fmt::format("The closure on {} needs a reason of 1 to 200 "
                                                  "characters",
                                                  LongDate(c.date))});
    }
  }
}

std::optional<int> CheckTime(const char* field, const char* what, const std::string& text,
                             std::vector<SetupProblem>& problems) {
  const std::optional<int> parsed = ParseTime(text);
  if (!parsed) {
    problems.push_back({field, fmt::format("Enter {} as a 24-hour time, like 08:45", what)});
  }
  return parsed;
}

}  // namespace

const std::vector<std::string>& SchoolPhases() {
  static const std::vector<std::string> kPhases = {"nursery",
                                                   "primary",
                                                   "middle",
                                                   "secondary",
                                                   "all-through",
                                                   "special",
                                                   "alternative provision"};
  return kPhases;
}

std::vector<SetupProblem> CheckSetup(const SchoolSetup& s) {
  std::vector<SetupProblem> problems;
  const store::School& school = s.school;
  if (school.name.empty() || school.name.size() > 200) {
    problems.push_back({"name", "Enter the school's name (up to 200 characters)"});
  }
  if (!Digits(school.urn, 6)) {
    problems.push_back({"urn", "Enter the URN, the school's 6-digit unique reference number"});
  }
  if (!Digits(school.la_code, 3)) {
    problems.push_back({"la", "Enter the 3-digit local authority number, like 909"});
  }
  if (!Digits(school.establishment_number, 4)) {
    problems.push_back({"estab", "Enter the 4-digit establishment number, like 2001"});
  }
  const std::vector<std::string>& phases = SchoolPhases();
  if (std::find(phases.begin(), phases.end(), school.phase) == phases.end()) {
    problems.push_back(
        {"phase", fmt::format("Choose the phase: {}", fmt::format("{}", fmt::join(phases, ", ")))});
  }
  if (school.address.size() > 500) {
    problems.push_back({"address", "The address is longer than 500 characters"});
  }
  if (school.postcode.size() > 8 ||
      !std::all_of(school.postcode.begin(), school.postcode.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == ' ';
      })) {
    problems.push_back({"postcode", "Enter a postcode like LE10 1AA"});
  }

  const std::optional<int> am =
      CheckTime("am_start", "the time the morning session starts", s.am_start, problems);
  const std::optional<int> pm =
      CheckTime("pm_start", "the time the afternoon session starts", s.pm_start, problems);
  const int close = s.register_close_minutes;
  if (close < 0 || close > 30) {
    problems.push_back(
        {"register_close_minutes", "Registers close 0 to 30 minutes after the session starts"});
  }
  for (const auto& [field, lead, start] :
       {std::tuple{"am_opens_before_minutes", s.am_opens_before_minutes, am},
        std::tuple{"pm_opens_before_minutes", s.pm_opens_before_minutes, pm}}) {
    if (lead < 0 || (start && lead > *start)) {
      problems.push_back({field,
                          "A register opens 0 or more minutes before its session starts, "
                          "on the same day"});
    }
  }
  // The settings page's rules: the morning register closes before the
  // afternoon starts, and the afternoon's opens no earlier.
  if (am && pm && close >= 0 && close <= 30 && s.pm_opens_before_minutes >= 0) {
    if (*am + close >= *pm) {
      problems.push_back(
          {"pm_start", "The afternoon must start after the morning register closes"});
    } else if (*pm - s.pm_opens_before_minutes < *am + close) {
      problems.push_back({"pm_opens_before_minutes",
                          "The afternoon register cannot open before the morning register closes"});
    }
  }

  CheckCalendar(s.terms, s.closures, problems);

  std::set<std::string> class_names;
  std::map<std::string, std::string> teachers;  // username -> display name
  for (const SetupClass& c : s.classes) {
    const std::string label = c.name.empty() ? "A class" : fmt::format("Class {}", c.name);
    if (c.name.empty() || c.name.size() > 40) {
      problems.push_back({"classes", "Each class needs a name of 1 to 40 characters"});
    } else if (!class_names.insert(LowerCase(c.name)).second) {
      problems.push_back({"classes", fmt::format("{} is given twice", label)});
    }
    if (c.year_group < 0 || c.year_group > 13) {
      problems.push_back(
          {"classes", fmt::format("{}: the year group must be Reception (0) to Year 13", label)});
    }
    for (const SetupPerson& t : c.teachers) {
      if (!ValidateUsername(t.username).ok()) {
        problems.push_back(
            {"classes", fmt::format("{}: the teacher's username '{}' is not 2-32 characters of "
                                    "a-z, 0-9, '.', '_' and '-'",
                                    label, t.username)});
      } else if (t.username == s.head.username) {
        problems.push_back(
            {"classes", fmt::format("{}: {} is the head's username", label, t.username)});
      }
      if (t.display_name.empty() || t.display_name.size() > 100) {
        problems.push_back({"classes", fmt::format("{}: the teacher {} needs a name of 1 to 100 "
                                                   "characters",
                                                   label, t.username)});
      }
      auto [it, added] = teachers.emplace(t.username, t.display_name);
      if (!added && it->second != t.display_name) {
        problems.push_back({"classes", fmt::format("{}: the username {} is given to both {} and "
                                                   "{}",
                                                   label, t.username, it->second, t.display_name)});
      }
    }
  }

  if (!ValidateUsername(s.head.username).ok()) {
    problems.push_back(
        {"head_username", "The head's username is 2-32 characters of a-z, 0-9, '.', '_' and '-'"});
  }
  if (s.head.display_name.empty() || s.head.display_name.size() > 100) {
    problems.push_back({"head_name", "Enter the head's name (up to 100 characters)"});
  }
  if (s.head_password.size() < 10 || s.head_password.size() > 256) {
    problems.push_back({"head_password", "The head's password must be 10 to 256 characters long"});
  }
  return problems;
}

bool Setup::NeedsSetup() const {
  core::StatusOr<store::School> school = school_.store().GetSchool();
  return !school.ok() && school.status().kind() == core::ErrorKind::kNotFound;
}

core::Status Setup::Create(const SchoolSetup& s) {
  if (std::vector<SetupProblem> problems = CheckSetup(s); !problems.empty()) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("{}: {}", problems.front().field, problems.front().message));
  }
  store::NewSchool n;
  n.school = s.school;
  n.settings.am_start_minute = *ParseTime(s.am_start);
  n.settings.pm_start_minute = *ParseTime(s.pm_start);
  n.settings.register_close_minutes = s.register_close_minutes;
  n.settings.am_opens_before_minutes = s.am_opens_before_minutes;
  n.settings.pm_opens_before_minutes = s.pm_opens_before_minutes;
  n.settings.set_at = school_.clock().NowSeconds();
  n.settings.set_by = s.head.display_name;
  n.terms = s.terms;
  n.closures = s.closures;

  store::User head;
  head.username = s.head.username;
  head.display_name = s.head.display_name;
  head.role = store::Role::kHead;
  ASSIGN_OR_RETURN(head.password_hash, HashPassword(s.head_password));
  n.users.push_back(std::move(head));
  // Each teacher once, however many classes they take; no password until
  // the head invites them.
  std::map<std::string, int64_t> position;
  for (const SetupClass& c : s.classes) {
    store::Class added{0, c.name, c.year_group, {}};
    for (const SetupPerson& t : c.teachers) {
      auto [it, is_new] = position.emplace(t.username, static_cast<int64_t>(n.users.size()));
      if (is_new) {
        store::User teacher;
        teacher.username = t.username;
        teacher.display_name = t.display_name;
        teacher.role = store::Role::kTeacher;
        n.users.push_back(std::move(teacher));
      }
      added.teacher_ids.push_back(it->second);
    }
    n.classes.push_back(std::move(added));
  }
  {
    const auto write_lock = school_.BeginWrite();
    RETURN_IF_ERROR(school_.store().CreateSchool(n));
    RETURN_IF_ERROR(school_.Load());
  }
  cases_.CheckAll();
  return core::OkStatus();
}

core::Status Setup::ChangeCalendar(const Principal& who, const std::vector<store::Term>& terms,
                                   const std::vector<store::Closure>& closures) {
  std::vector<SetupProblem> problems;
  CheckCalendar(terms, closures, problems);
  if (!problems.empty()) {
    return core::InvalidArgument(core::kErrValueInvalid, problems.front().message);
  }
  const core::Calendar next = store::CalendarOf(terms, closures);
  {
    const auto write_lock = school_.BeginWrite();
    {
      auto lock = school_.Read();
      RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
      std::set<core::SessionKey> orphaned;
      for (const auto& marks : school_.snapshot().scenario.marks) {
        for (const core::RecordedMark& m : marks) {
          if (!next.IsOpen(m.slot)) orphaned.insert(m.slot);
        }
      }
      if (!orphaned.empty()) {
        const std::string more =
            orphaned.size() > 1 ? fmt::format(" and {} more", orphaned.size() - 1) : "";
        return core::Conflict(
            core::kErrCalendarOrphansMarks,
            fmt::format("Marks are recorded on sessions this calendar would not open: {}{}. "
                        "Amend those marks first, or keep those days open",
                        SessionText(*orphaned.begin()), more));
      }
    }
    RETURN_IF_ERROR(school_.store().ReplaceCalendar(terms, closures));
    // Rebuild the calendar (and everything) from the store, still holding
    // the writer lock so that no mark is committed in between.
    RETURN_IF_ERROR(school_.Load());
  }
  cases_.CheckAll();
  return core::OkStatus();
}

}  // namespace rollcall::service
