// support.cc: the graduated approach for two persistently absent pupils.
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "core/graduated.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// The graduated approach for two persistently absent pupils: parent1's child
// is at "listen and understand" with an action plan whose review is due in a
// few days; another pupil's plan was reviewed a week ago, not improved, and
// the head moved them to "facilitate support". Each stage and meeting goes
// through the support service on the day it happened, so the review quotes
// the attendance figures the service counts from the register.
core::Status WriteSupport(Casework& work, const core::Calendar& calendar,
                          const std::vector<Draft>& drafts, const MarkPlan& plan,
                          const std::array<ParentChoice, 3>& parents, Date today) {
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
  service::Support& support = work.services.support();
  for (size_t k = 0; k < pa.size(); ++k) {
    const Draft& d = drafts[pa[k]];
    const std::string given = d.pupil.legal_given_name;
    // Confirmed by `account` at the end of `day`.
    const auto stage = [&](core::SupportStage st, Date day, std::string reason, size_t account) {
      work.clock.Set(day, kLastSitting);
      return support
          .ConfirmStage(work.As(account), {.pupil_id = d.id,
                                           .stage = std::string(core::StageKey(st)),
                                           .reason = std::move(reason)})
          .status();
    };
    // Recorded by `account` at the end of the day it was held.
    const auto event = [&](service::SupportEventRequest r, Date held_on,
                           size_t account) -> core::StatusOr<int64_t> {
      work.clock.Set(held_on, kLastSitting);
      r.pupil_id = d.id;
      r.held_on = held_on.ToString();
      ASSIGN_OR_RETURN(const store::SupportEvent e, support.AddEvent(work.As(account), r));
      return e.id;
    };
    const Date monitor = weekday_before(k == 0 ? 28 : 35);
    const Date panel = weekday_before(k == 0 ? 21 : 28);
    RETURN_IF_ERROR(stage(core::SupportStage::kMonitor, monitor,
                          "Attendance below 90% this half-term: first-day calls and a letter",
                          kOfficeAccount));
    RETURN_IF_ERROR(
        event({.kind = "panel_meeting",
               .notes = fmt::format("{}'s mornings are difficult: a younger sibling is often ill "
                                    "and {} is kept at home",
                                    given, given),
               .attendees = "Mrs Okafor (head), Mr Ashworth (link governor), " +
                            d.pupil.contacts.front().name},
              panel, head)
            .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kListen, panel,
                          "Panel: barriers understood, support agreed with the family", head));
    const Date review_date = k == 0 ? today.AddDays(3) : weekday_before(7);
    ASSIGN_OR_RETURN(
        const int64_t plan_id,
        event({.kind = "action_plan",
               .notes = "Signed by the parent at the panel",
               .targets = "At least 95% attendance until the review; in school by 08:50",
               .support_offered = "Breakfast club place; a call from the office each morning of "
                                  "absence; early-help referral offered",
               .review_date = review_date.ToString()},
              panel, head));
    if (k == 0) continue;
    // The second pupil's plan was reviewed a week ago: not improved.
    const Date reviewed = weekday_before(7);
    RETURN_IF_ERROR(event({.kind = "review",
                           .notes = "Breakfast club not taken up; absences continue on Mondays",
                           .plan_id = plan_id,
                           .outcome = "not_improved"},
                          reviewed, kOfficeAccount)
                        .status());
    RETURN_IF_ERROR(stage(core::SupportStage::kFacilitate, reviewed,
                          "Review: no improvement; referral to the LA attendance team for a "
                          "family support worker",
                          head));
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
