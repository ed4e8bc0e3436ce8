// part_time_pupil.cc: one pupil on a part-time timetable.
#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/part_time.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// One pupil on a part-time timetable: mornings only, agreed the Friday
// before it started two weeks ago, for five weeks, with a review next week.
// Their afternoons since it started are C2 on the register.
std::optional<PartTimePlan> PutOnPartTime(const core::Calendar& calendar,
                                          const std::vector<Draft>& drafts,
                                          const std::array<ParentChoice, 3>& parents, Date today,
                                          int minute_of_day, const LocalTime& time,
                                          MarkPlan& plan) {
  if (calendar.SessionCount() == 0) return std::nullopt;
  const Date start = today.WeekStart().AddDays(-14);
  if (start <= calendar.SessionAt(0).date) return std::nullopt;
  std::set<size_t> taken;
  for (const ParentChoice& p : parents) taken.insert(p.children.begin(), p.children.end());
  std::optional<size_t> chosen;
  for (size_t idx = 0; idx < drafts.size() && !chosen; ++idx) {
    const Draft& d = drafts[idx];
    if (d.on_roll_today && d.record.OnRollOn(start) && d.pattern == synth::PupilPattern::kTypical &&
        !taken.contains(idx) && plan.unresolved_n[idx] == 0 && idx % 97 != 13 && idx % 89 == 7 &&
        core::OfCompulsorySchoolAge(d.pupil.date_of_birth, start)) {
      chosen = idx;
    }
  }
  if (!chosen) return std::nullopt;
  const size_t idx = *chosen;
  PartTimePlan out{idx,
                   {.agreed_on = start.AddDays(-3),
                    .agreed_with = drafts[idx].pupil.contacts.empty()
                                       ? std::string("Parent")
                                       : drafts[idx].pupil.contacts.front().name + " (" +
                                             drafts[idx].pupil.contacts.front().relationship + ")",
                    .start = start,
                    .end = start.AddDays(4 * 7 + 4),
                    .review_date = today.WeekStart().AddDays(10),
                    .reason = "Phased return after a long illness, on the paediatrician's advice",
                    .plan = "Mornings for three weeks, then two full days a week more; back to "
                            "full time after five weeks. School nurse check-in weekly.",
                    .at = time.At(start.AddDays(-3), kLastSitting)}};
  for (Weekday w : {Weekday::kMonday, Weekday::kTuesday, Weekday::kWednesday, Weekday::kThursday,
                    Weekday::kFriday}) {
    out.timetable.attends |= core::TimetablePattern::Bit(w, Session::kAm);
  }
  // The afternoons since it started: C2, recorded as the register is taken.
  std::erase_if(plan.writes, [&](const PlannedWrite& w) {
    return w.pupil == idx && w.slot.date >= start && w.slot.session == Session::kPm;
  });
  for (int32_t i = calendar.FirstSessionOnOrAfter(start); i < calendar.SessionCount(); ++i) {
    const core::SessionKey slot = calendar.SessionAt(i);
    if (slot.date > today) break;
    if (slot.session != Session::kPm) continue;
    if (slot.date == today && minute_of_day < kPmRegisterMinute) break;
    plan.writes.push_back(
        {.pupil = idx,
         .slot = slot,
         .code = core::OffTimetableCode(drafts[idx].pupil.date_of_birth, slot.date),
         .at = time.At(slot.date, kPmRegisterMinute),
         .reason = "Part-time timetable: not timetabled this session"});
  }
  std::stable_sort(plan.writes.begin(), plan.writes.end(),
                   [](const PlannedWrite& a, const PlannedWrite& b) { return a.at < b.at; });
  return out;
}

}  // namespace rollcall::cli::internal
