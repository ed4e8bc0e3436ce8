// setup.h
//
// Setting up a school from nothing, and changing its calendar later. The
// same answers arrive from `rollcall init` (a JSON file and flags) and from
// the first-run page; each is checked field by field, so that every problem
// is told at once, and the school is written in one store transaction:
// its details, first settings, terms and closures, classes, the head's
// account and an account for each teacher named. Teachers' accounts have no
// password until the head sends them a set-password link (Accounts).
//
// Later, the head replaces the terms and closures; a change that would leave
// a recorded mark on a session the new calendar does not open is refused,
// naming those sessions.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "io/term_dates.h"
#include "service/access.h"
#include "service/case_checks.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// A person named in set-up.
struct SetupPerson {
  std::string username;
  std::string display_name;
};

struct SetupClass {
  std::string name;    // "3A"
  int year_group = 0;  // 0 = Reception, 1..13
  std::vector<SetupPerson> teachers;
};

// Every answer set-up asks for. Times are "HH:MM" as typed.
struct SchoolSetup {
  store::School school;
  std::string am_start = "08:45", pm_start = "13:15";
  int register_close_minutes = 30;  // 0..30; a value that was not a number arrives as -1
  int am_opens_before_minutes = 15, pm_opens_before_minutes = 15;
  std::vector<store::Term> terms;
  std::vector<store::Closure> closures;
  std::vector<SetupClass> classes;
  SetupPerson head;
  std::string head_password;
};

// One problem with one answer. `field` is the answer's key, the same in the
// set-up JSON, the page's form and (with "--" and '-' for '_') the flags of
// `rollcall init`: "urn", "la", "estab", "phase", "am_start", "terms",
// "classes", "head_username", ...
struct SetupProblem {
  std::string field;
  std::string message;
};

// The school phases set-up accepts, as stored.
const std::vector<std::string>& SchoolPhases();

// The problems with `setup`, in the order of the fields; empty when it may
// be written.
std::vector<SetupProblem> CheckSetup(const SchoolSetup& setup);

// A term-dates file's terms and closures (io/term_dates.h) added to these;
// a term already given with the same days, and a closure already given for
// a date, are kept instead.
void AddTermDates(const io::TermDates& dates, std::vector<store::Term>& terms,
                  std::vector<store::Closure>& closures);

// The calendar and classes as lines of text, one a line, as the set-up and
// calendar pages take them; blank lines are skipped. Errors are
// InvalidArgument VALUE_INVALID naming the line: "line 2: ...".
//
//   terms:    "Autumn 1 2026, 2026-09-03, 2026-10-23"
//   closures: "2026-10-19, INSET day", "2026-11-05 PM, Polling station",
//             "2026-10-26 to 2026-10-30, Autumn half term" (each weekday)
//   classes:  "3A, Year 3, Mrs Jo Smith <jsmith>, Mr Pat Brown <pbrown>"
//             (the year "Reception", "R", "Year 3" or "3"; teachers optional)
core::StatusOr<std::vector<store::Term>> ParseTermLines(std::string_view text);
core::StatusOr<std::vector<store::Closure>> ParseClosureLines(std::string_view text);
core::StatusOr<std::vector<SetupClass>> ParseClassLines(std::string_view text);
// The lines the parsers read back to the same values.
std::string TermLines(const std::vector<store::Term>& terms);
std::string ClosureLines(const std::vector<store::Closure>& closures);

// The school's terms (named) and closures, as the calendar page shows them.
struct CalendarView {
  std::vector<store::Term> terms;
  std::vector<store::Closure> closures;
};

class Setup {
 public:
  Setup(School& school, CaseChecks& cases) : school_(school), cases_(cases) {}

  // True while the store has no school and no accounts: a new database,
  // where only set-up may run. (One whose accounts were made by hand with
  // `rollcall user add` is served as it always was.)
  bool NeedsSetup() const;
  // Checks `setup` (InvalidArgument VALUE_INVALID, "field: problem" of the
  // first problem: call CheckSetup to show them all), writes the school in
  // one transaction (Conflict SCHOOL_EXISTS when there is one already) and
  // loads it.
  core::Status Create(const SchoolSetup& setup);
  // The terms and closures (the head).
  core::StatusOr<CalendarView> Calendar(const Principal& who) const;
  // Replaces the terms and closures (the head). InvalidArgument for a term
  // without a name or ending before it starts, overlapping terms, or no
  // term; Conflict CALENDAR_ORPHANS_MARKS, naming the first sessions, when a
  // recorded mark would stand on a session the new calendar does not open.
  core::Status ChangeCalendar(const Principal& who, const std::vector<store::Term>& terms,
                              const std::vector<store::Closure>& closures);

 private:
  School& school_;
  CaseChecks& cases_;
};

}  // namespace rollcall::service
