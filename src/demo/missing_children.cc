// missing_children.cc: children missing education. Two children stop coming
// to school with no word from home, and a CME case is open for each.
#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/cme.h"
#include "core/pupil_sessions.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// Two children who have stopped coming to school with no word from home:
// for the last 12 school days and the last 3 (today's registers too, once
// taken), so the demo has CME cases at two stages. Their marks in those days
// become the teacher's N, never resolved, with a daily unanswered call.
void MakeChildrenMissing(const core::Calendar& calendar, const std::vector<Draft>& drafts,
                         const std::array<ParentChoice, 3>& parents, Date today, int minute_of_day,
                         const LocalTime& time, MarkPlan& plan) {
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  std::vector<size_t> chosen;
  for (size_t idx = 0; idx < drafts.size() && chosen.size() < 2; ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.pattern == synth::PupilPattern::kTypical && !taken.contains(idx) &&
        plan.possible[idx] >= 40 && plan.unresolved_n[idx] == 0 && idx % 97 == 13) {
      chosen.push_back(idx);
    }
  }
  const std::array<int, 2> school_days = {12, 3};
  for (size_t k = 0; k < chosen.size(); ++k) {
    const size_t idx = chosen[k];
    // The first day: school_days[k] school days before today.
    if (calendar.SessionCount() == 0) return;
    const Date first_day = calendar.SessionAt(0).date;
    Date from = today;
    for (int n = 0; n < school_days[k] && from > first_day;) {
      from = from.AddDays(-1);
      if (calendar.IsSchoolDay(from)) ++n;
    }
    std::erase_if(plan.writes,
                  [&](const PlannedWrite& w) { return w.pupil == idx && w.slot.date >= from; });
    for (int32_t i = calendar.FirstSessionOnOrAfter(from); i < calendar.SessionCount(); ++i) {
      const core::SessionKey slot = calendar.SessionAt(i);
      if (slot.date > today || !drafts[idx].record.OnRollOn(slot.date)) break;
      const bool am = slot.session == Session::kAm;
      const int register_minute = am ? kAmRegisterMinute : kPmRegisterMinute;
      if (slot.date == today && minute_of_day < register_minute) break;
      const int64_t at = time.At(slot.date, register_minute);
      plan.writes.push_back({.pupil = idx,
                             .slot = slot,
                             .code = AttendanceCode::kNoReasonYet,
                             .at = at,
                             .reason = std::string(kTeacherReason)});
      ++plan.unresolved_n[idx];
      if (am && time.At(slot.date, kFirstSitting) <= time.now()) {
        plan.contacts.push_back({idx, time.At(slot.date, kFirstSitting),
                                 store::ContactMethod::kCall, store::ContactOutcome::kNoAnswer,
                                 "Daily call about the unexplained absence"});
      }
    }
  }
}

// A CME case for each pupil on roll whose unexplained absence runs to now,
// opened when the register of the run's second session was taken, as
// CaseChecks (src/service/case_checks.cc) would have opened it then. Written
// to the store before the services load, which would otherwise open it now.
core::StatusOr<std::vector<OpenedCme>> OpenCmeCases(store::Store& store,
                                                    const core::Calendar& calendar,
                                                    const std::vector<Draft>& drafts, Date today,
                                                    const LocalTime& time) {
  std::vector<OpenedCme> out;
  for (const Draft& d : drafts) {
    if (!d.on_roll_today) continue;
    ASSIGN_OR_RETURN(const std::vector<store::Mark> stored, store.MarksForPupil(d.id));
    std::vector<core::RecordedMark> marks;
    for (const store::Mark& m : stored) marks.push_back({m.slot, m.code});
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, d.record, marks, {}, today);
    const std::optional<core::UnexplainedRun> run = core::CurrentUnexplainedRun(calendar, sessions);
    if (!run || run->sessions < 2) continue;
    const core::SessionKey second = calendar.SessionAt(std::min(run->first + 1, run->last));
    const int64_t opened_at = std::min(
        time.now(), time.At(second.date, second.session == Session::kAm ? kAmRegisterMinute
                                                                        : kPmRegisterMinute));
    ASSIGN_OR_RETURN(
        const int64_t id,
        store.OpenCmeCase({.pupil_id = d.id, .first_day = run->first_day, .opened_at = opened_at}));
    out.push_back({id, run->first_day});
  }
  return out;
}

// The steps of each case that the office and the head (as DSL) carried out
// on their due dates, recorded through the CME service as they did them: all
// but the deletion review, and in a case of five school days or fewer,
// telling the DSL, which Today shows overdue.
core::Status RecordCmeSteps(Casework& work, const core::Calendar& calendar,
                            const std::vector<OpenedCme>& cases, Date today,
                            const LocalTime& time) {
  constexpr std::array<std::string_view, 7> kNotes = {
      "Rang both contacts each day and emailed; no reply",
      "No siblings on roll; the family's other school has not seen them either",
      "Safeguarding concern logged; DSL and head told",
      "Home visit with the DSL: no one home, letter hand-delivered; neighbours say the family "
      "may have gone abroad",
      "Reasonable-enquiries form sent to the LA CME officer",
      "10 continuous school days of unauthorised absence reported to the LA",
      ""};
  for (const OpenedCme& c : cases) {
    const int day = core::ProtocolDay(calendar, c.first_day, today);
    for (const core::CmeStepInfo& info : core::CmeSteps()) {
      if (info.step == core::CmeStep::kDeletionReview || info.due_day > day) continue;
      // In the newest case the DSL has not yet been told: Today escalates it.
      if (day <= 5 && info.step == core::CmeStep::kNotifyDsl) continue;
      const std::optional<Date> due = core::SchoolDayNumber(calendar, c.first_day, info.due_day);
      if (!due || time.At(*due, kLunchtimeSitting) > time.now()) continue;
      const bool dsl = info.step == core::CmeStep::kHomeVisit;
      work.clock.Set(*due, kLunchtimeSitting);
      RETURN_IF_ERROR(
          work.services.cme()
              .RecordStep(work.As(dsl ? AccountIndex("head") : kOfficeAccount),
                          {.case_id = std::to_string(c.id),
                           .step = std::string(info.key),
                           .note = std::string(
                               kNotes[static_cast<size_t>(static_cast<int>(info.step) - 1)])})
              .status());
    }
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
