// concern_letters.cc: the attendance-concern letters the office sent a week
// ago.
#include <fmt/format.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "demo/internal.h"
#include "letters/letters.h"

namespace rollcall::cli::internal {

// A week ago, the office sent an attendance-concern letter to each
// persistently absent pupil's family: one batch, each letter quoting the
// pupil's figures as the registers stood then, counted by the rules core.
core::Status WriteLetters(store::Store& store, const core::Scenario& scenario, const MarkPlan& plan,
                          const Staff& staff, const std::vector<Draft>& drafts, Date today,
                          const LocalTime& time, const std::string& school_name) {
  Date day = today.AddDays(-7);
  while (day.IsWeekend()) day = day.AddDays(-1);
  const int64_t at = time.At(day, kLastSitting);
  const Date year_start = day.AcademicYearStart();
  // The registers as they stood at `at`: the last write of each slot by then.
  std::vector<std::map<core::SessionKey, AttendanceCode>> marks(drafts.size());
  for (const PlannedWrite& w : plan.writes) {
    if (w.at <= at) marks[w.pupil][w.slot] = w.code;
  }
  const AccountSpec& office = kAccounts[kOfficeAccount];
  std::vector<store::Letter> batch;
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    if (plan.possible[idx] < 40 || AbsenceRate(plan, idx) < 0.1) continue;
    std::vector<core::RecordedMark> recorded;
    for (const auto& [slot, code] : marks[idx]) recorded.push_back({slot, code});
    const std::vector<core::PupilSession> sessions = core::BuildPupilSessions(
        scenario.calendar, drafts[idx].record, recorded, scenario.default_mark, day);
    const core::SessionCounts c =
        core::CountSessions(scenario.calendar, sessions, {year_start, day});
    const std::optional<double> pct = core::Percent(c.attended, c.possible);
    if (!pct || *pct >= 96) continue;
    const store::Pupil& p = drafts[idx].pupil;
    letters::Facts f;
    f.school_name = school_name;
    f.signatory = std::string(kAccounts[AccountIndex("head")].display_name);
    f.addressee = p.contacts.empty() ? std::string("Parent or carer") : p.contacts.front().name;
    f.pupil_name = p.legal_given_name + " " + p.legal_family_name;
    f.period = "this school year";
    f.attendance_pct = fmt::format("{:.1f}", *pct);
    f.target_pct = "96";
    f.possible = c.possible;
    f.absent = c.absence;
    f.authorised = c.authorised;
    f.unauthorised = c.unauthorised;
    const letters::Text text = letters::Compose(letters::Template::kAttendanceConcern, f);
    batch.push_back(
        {.pupil_id = drafts[idx].id,
         .template_key = "attendance_concern",
         .addressee = f.addressee,
         .subject = text.subject,
         .body = letters::JoinParagraphs(text.paragraphs),
         .figures_json = fmt::format(
             R"({{"as_of":"{}","attendance_pct":"{}","possible":{},"absent":{},)"
             R"("authorised":{},"unauthorised":{},"target_pct":"96"}})",
             day.ToString(), f.attendance_pct, c.possible, c.absence, c.authorised, c.unauthorised),
         .at = at,
         .by_user_id = staff.user_ids[kOfficeAccount],
         .by_name = std::string(office.display_name),
         .by_role = office.role});
  }
  if (batch.empty()) return core::OkStatus();
  return store.AddLetters(batch).status();
}

}  // namespace rollcall::cli::internal
