// school_year.cc: the school's settings and its calendar for the year (half
// terms, INSET days and other closures), as set up before term began.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

#include "core/calendar.h"
#include "demo/internal.h"
#include "synth/school_calendar.h"

namespace rollcall::cli::internal {
namespace {

core::Status WriteCalendar(store::Store& store, int year_start) {
  ASSIGN_OR_RETURN(const synth::AcademicYearDates dates, synth::AcademicYearCalendar(year_start));
  // Six half terms, named as schools name them.
  constexpr std::array<std::string_view, 6> kHalfTerms = {"Autumn 1", "Autumn 2", "Spring 1",
                                                          "Spring 2", "Summer 1", "Summer 2"};
  for (size_t idx = 0; idx < dates.terms.size() && idx < kHalfTerms.size(); ++idx) {
    store::Term term;
    term.name = fmt::format("{} {}", kHalfTerms[idx], dates.terms[idx].start.year());
    term.start = dates.terms[idx].start;
    term.end = dates.terms[idx].end;
    ASSIGN_OR_RETURN(const int64_t id, store.AddTerm(term));
    (void)id;
  }
  for (const core::Closure& closure : dates.closures) {
    const std::string reason =
        closure.reason == "INSET" ? "INSET day (staff training)" : closure.reason;
    RETURN_IF_ERROR(store.SetClosure({closure.date, closure.sessions, reason}));
  }
  return core::OkStatus();
}

}  // namespace

// Settings and calendar, as the school set them up before term began.
core::Status WriteSettingsAndCalendar(store::Store& store, int year_start, const LocalTime& time,
                                      int am_start, int pm_start) {
  ASSIGN_OR_RETURN(const synth::AcademicYearDates year_dates,
                   synth::AcademicYearCalendar(year_start));
  store::Settings settings;
  settings.am_start_minute = am_start;
  settings.pm_start_minute = pm_start;
  settings.register_close_minutes = kRegisterCloseMinutes;
  settings.policy_json = "{}";
  settings.target_attendance_pct = "96";
  settings.set_at = std::min(time.now(), time.At(year_dates.terms.front().start, 8 * 60));
  settings.set_by = "Demo setup";
  ASSIGN_OR_RETURN(const int64_t version, store.SaveSettings(settings));
  (void)version;
  return WriteCalendar(store, year_start);
}

}  // namespace rollcall::cli::internal
