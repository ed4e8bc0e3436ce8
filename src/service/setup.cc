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

// `text` without spaces at either end.
std::string_view Trim(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// The comma-separated parts of a line, trimmed.
std::vector<std::string_view> Parts(std::string_view line) {
  std::vector<std::string_view> parts;
  while (true) {
    const size_t comma = line.find(',');
    parts.push_back(Trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return parts;
    line.remove_prefix(comma + 1);
  }
}

core::Status LineError(size_t line, std::string_view problem) {
  return core::InvalidArgument(core::kErrValueInvalid, fmt::format("line {}: {}", line, problem));
}

// Calls `each(number, line)` for each non-blank line, stopping at an error.
template <typename Each>
core::Status ForEachLine(std::string_view text, Each&& each) {
  size_t number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    const std::string_view line = Trim(text.substr(0, end));
    ++number;
    if (!line.empty()) RETURN_IF_ERROR(each(number, line));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return core::OkStatus();
}

std::optional<core::Date> DateOf(std::string_view text) { return core::Date::Parse(text); }

std::optional<int> YearGroupOf(std::string_view text) {
  const std::string lower = LowerCase(text);
  if (lower == "reception" || lower == "r") return 0;
  std::string_view digits = lower;
  if (digits.starts_with("year")) digits = Trim(digits.substr(4));
  if (digits.empty() || digits.size() > 2 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoi(std::string(digits));
}

}  // namespace

void AddTermDates(const io::TermDates& dates, std::vector<store::Term>& terms,
                  std::vector<store::Closure>& closures) {
  // A term already given with the same days is the file's term given again
  // (the page shows a file's terms as lines once it has read them).
  for (const io::NamedTerm& t : dates.terms) {
    if (std::none_of(terms.begin(), terms.end(), [&](const store::Term& given) {
          return given.start == t.start && given.end == t.end;
        })) {
      terms.push_back({0, t.name, t.start, t.end});
    }
  }
  std::set<core::Date> given;
  for (const store::Closure& c : closures) given.insert(c.date);
  for (const core::Closure& c : dates.closures) {
    if (!given.contains(c.date)) closures.push_back({c.date, c.sessions, c.reason});
  }
  std::sort(closures.begin(), closures.end(),
            [](const store::Closure& a, const store::Closure& b) { return a.date < b.date; });
}

core::StatusOr<std::vector<store::Term>> ParseTermLines(std::string_view text) {
  std::vector<store::Term> terms;
  RETURN_IF_ERROR(ForEachLine(text, [&](size_t number, std::string_view line) -> core::Status {
    const std::vector<std::string_view> parts = Parts(line);
    if (parts.size() != 3) {
      return LineError(number,
                       "write a term as its name, first day and last day, like "
                       "\"Autumn 1 2026, 2026-09-03, 2026-10-23\"");
    }
    const std::optional<core::Date> start = DateOf(parts[1]), end = DateOf(parts[2]);
    if (!start || !end) return LineError(number, "the days are dates like 2026-09-03");
    terms.push_back({0, std::string(parts[0]), *start, *end});
    return core::OkStatus();
  }));
  return terms;
}

core::StatusOr<std::vector<store::Closure>> ParseClosureLines(std::string_view text) {
  std::vector<store::Closure> closures;
  RETURN_IF_ERROR(ForEachLine(text, [&](size_t number, std::string_view line) -> core::Status {
    const size_t comma = line.find(',');
    if (comma == std::string_view::npos || Trim(line.substr(comma + 1)).empty()) {
      return LineError(number,
                       "write a closure as its day and reason, like "
                       "\"2026-10-19, INSET day\"");
    }
    const std::string reason(Trim(line.substr(comma + 1)));
    std::string_view when = Trim(line.substr(0, comma));
    core::ClosureSessions sessions = core::ClosureSessions::kBoth;
    std::optional<core::Date> from, to;
    if (const size_t range = when.find(" to "); range != std::string_view::npos) {
      from = DateOf(Trim(when.substr(0, range)));
      to = DateOf(Trim(when.substr(range + 4)));
    } else {
      if (when.ends_with(" AM") || when.ends_with(" PM")) {
        sessions = when.ends_with("AM") ? core::ClosureSessions::kAm : core::ClosureSessions::kPm;
        when = Trim(when.substr(0, when.size() - 3));
      }
      from = to = DateOf(when);
    }
    if (!from || !to) {
      return LineError(number,
                       "the day is a date like 2026-10-19, with AM or PM for half a "
                       "day, or two dates with \"to\" between them");
    }
    if (*to < *from) return LineError(number, "the last day is before the first");
    if (to->days() - from->days() > 366) return LineError(number, "that is more than a year");
    for (core::Date d = *from; d <= *to; d = d.AddDays(1)) {
      if (!d.IsWeekend() || from == to) closures.push_back({d, sessions, reason});
    }
    return core::OkStatus();
  }));
  return closures;
}

core::StatusOr<std::vector<SetupClass>> ParseClassLines(std::string_view text) {
  std::vector<SetupClass> classes;
  RETURN_IF_ERROR(ForEachLine(text, [&](size_t number, std::string_view line) -> core::Status {
    const std::vector<std::string_view> parts = Parts(line);
    const std::optional<int> year = parts.size() >= 2 ? YearGroupOf(parts[1]) : std::nullopt;
    if (!year) {
      return LineError(number,
                       "write a class as its name, year group and teachers, like "
                       "\"3A, Year 3, Mrs Jo Smith <jsmith>\"");
    }
    SetupClass c{std::string(parts[0]), *year, {}};
    for (size_t i = 2; i < parts.size(); ++i) {
      const std::string_view teacher = parts[i];
      const size_t open = teacher.rfind('<');
      if (open == std::string_view::npos || !teacher.ends_with('>')) {
        return LineError(number, fmt::format("give the teacher's username after their name, "
                                             "like \"Mrs Jo Smith <jsmith>\" (not \"{}\")",
                                             teacher));
      }
      c.teachers.push_back({std::string(Trim(teacher.substr(open + 1, teacher.size() - open - 2))),
                            std::string(Trim(teacher.substr(0, open)))});
    }
    classes.push_back(std::move(c));
    return core::OkStatus();
  }));
  return classes;
}

std::string TermLines(const std::vector<store::Term>& terms) {
  std::string out;
  for (const store::Term& t : terms) {
    out += fmt::format("{}, {}, {}\n", t.name, t.start.ToString(), t.end.ToString());
  }
  return out;
}

std::string ClosureLines(const std::vector<store::Closure>& closures) {
  std::string out;
  for (const store::Closure& c : closures) {
    const char* half = c.sessions == core::ClosureSessions::kAm   ? " AM"
                       : c.sessions == core::ClosureSessions::kPm ? " PM"
                                                                  : "";
    out += fmt::format("{}{}, {}\n", c.date.ToString(), half, c.reason);
  }
  return out;
}

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
    problems.push_back({"phase", fmt::format("Choose the phase: {}", fmt::join(phases, ", "))});
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
      if (const core::Status bad = ValidateUsername(t.username); !bad.ok()) {
        problems.push_back({"classes", fmt::format("{}: the teacher's username '{}': {}", label,
                                                   t.username, bad.message())});
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

  if (const core::Status bad = ValidateUsername(s.head.username); !bad.ok()) {
    problems.push_back({"head_username", "The head's username: " + bad.message()});
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
  if (school.ok() || school.status().kind() != core::ErrorKind::kNotFound) return false;
  core::StatusOr<std::vector<store::User>> users = school_.store().ListUsers();
  return users.ok() && users->empty();
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

core::StatusOr<CalendarView> Setup::Calendar(const Principal& who) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kWriteSettings, {}));
  }
  // The snapshot keeps the calendar as the rules see it, without the terms'
  // names: those are read from the store.
  CalendarView view;
  ASSIGN_OR_RETURN(view.terms, school_.store().ListTerms());
  ASSIGN_OR_RETURN(view.closures, school_.store().ListClosures());
  return view;
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
