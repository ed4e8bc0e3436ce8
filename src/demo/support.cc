// support.cc: the graduated approach for two persistently absent pupils.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/graduated.h"
#include "core/pupil_sessions.h"
#include "core/statistics.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// The graduated approach for two persistently absent pupils: parent1's child
// is at "listen and understand" with an action plan whose review is due in a
// few days; another pupil's plan was reviewed a week ago, not improved, and
// the head moved them to "facilitate support".
core::Status WriteSupport(store::Store& store, const core::Calendar& calendar,
                          const std::vector<Draft>& drafts, const MarkPlan& plan,
                          const std::array<ParentChoice, 3>& parents, const Staff& staff,
                          Date today, const LocalTime& time) {
  if (calendar.SessionCount() == 0) return core::OkStatus();
  const auto weekday_before = [&](int days) {
    Date d = today.AddDays(-days);
    while (d.IsWeekend()) d = d.AddDays(-1);
    return d;
  };
  if (weekday_before(35) < calendar.SessionAt(0).date) return core::OkStatus();  // too early
  std::vector<size_t> pa;
  for (size_t child : parents[0].children) {
    if (AbsenceRate(plan, child) >= 0.1) pa.push_back(child);
  }
  for (size_t idx = 0; idx < drafts.size() && pa.size() < 2; ++idx) {
    if (drafts[idx].on_roll_today && plan.possible[idx] >= 60 && AbsenceRate(plan, idx) >= 0.12 &&
        std::find(pa.begin(), pa.end(), idx) == pa.end()) {
      pa.push_back(idx);
    }
  }
  const size_t head = AccountIndex("head");
  const auto by = [&](size_t account) {
    return std::make_tuple(staff.user_ids[account], std::string(kAccounts[account].display_name),
                           kAccounts[account].role);
  };
  for (size_t k = 0; k < pa.size(); ++k) {
    const Draft& d = drafts[pa[k]];
    const std::string given = d.pupil.legal_given_name;
    const auto stage = [&](core::SupportStage st, Date day, std::string reason, size_t account) {
      const auto [id, name, role] = by(account);
      return store
          .AddStageRecord({.pupil_id = d.id,
                           .stage = st,
                           .at = time.At(day, kLastSitting),
                           .reason = std::move(reason),
                           .by_user_id = id,
                           .by_name = name,
                           .by_role = role})
          .status();
    };
    const auto event = [&](store::SupportEvent e, size_t account) -> core::StatusOr<int64_t> {
      const auto [id, name, role] = by(account);
      e.pupil_id = d.id;
      e.at = time.At(e.held_on, kLastSitting);
      e.by_user_id = id;
      e.by_name = name;
      e.by_role = role;
      return store.AddSupportEvent(e);
    };
    const Date monitor = weekday_before(k == 0 ? 28 : 35);
    const Date panel = weekday_before(k == 0 ? 21 : 28);
    RETURN_IF_ERROR(stage(core::SupportStage::kMonitor, monitor,
                          "Attendance below 90% this half-term: first-day calls and a letter",
                          kOfficeAccount));
    RETURN_IF_ERROR(
        event({.kind = store::SupportKind::kPanelMeeting,
               .held_on = panel,
               .attendees = "Mrs Okafor (head), Mr Ashworth (link governor), " +
                            d.pupil.contacts.front().name,
               .notes = fmt::format("{}'s mornings are difficult: a younger sibling is often ill "
                                    "and {} is kept at home",
                                    given, given)},
              head)
            .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kListen, panel,
                          "Panel: barriers understood, support agreed with the family", head));
    ASSIGN_OR_RETURN(
        const int64_t plan_id,
        event({.kind = store::SupportKind::kActionPlan,
               .held_on = panel,
               .notes = "Signed by the parent at the panel",
               .targets = "At least 95% attendance until the review; in school by 08:50",
               .support_offered = "Breakfast club place; a call from the office each morning of "
                                  "absence; early-help referral offered",
               .review_date = k == 0 ? today.AddDays(3) : weekday_before(7)},
              head));
    if (k == 0) continue;
    // The second pupil's plan was reviewed a week ago: not improved.
    const Date reviewed = weekday_before(7);
    ASSIGN_OR_RETURN(const std::vector<store::Mark> stored, store.MarksForPupil(d.id));
    std::vector<core::RecordedMark> marks;
    for (const store::Mark& m : stored) marks.push_back({m.slot, m.code});
    const std::vector<core::PupilSession> sessions =
        core::BuildPupilSessions(calendar, d.record, marks, {}, today);
    const auto pct = [&](core::Period period) {
      const core::SessionCounts c = core::CountSessions(calendar, sessions, period);
      const std::optional<double> p = core::Percent(c.attended, c.possible);
      return p ? fmt::format("{:.1f}%", *p) : std::string("no sessions");
    };
    RETURN_IF_ERROR(event({.kind = store::SupportKind::kReview,
                           .held_on = reviewed,
                           .notes = "Breakfast club not taken up; absences continue on Mondays",
                           .plan_id = plan_id,
                           .outcome = "not_improved",
                           .attendance_before = pct({panel.AddDays(-42), panel.AddDays(-1)}),
                           .attendance_after = pct({panel, reviewed})},
                          kOfficeAccount)
                        .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kFacilitate, reviewed,
                          "Review: no improvement; referral to the LA attendance team for a "
                          "family support worker",
                          head));
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
