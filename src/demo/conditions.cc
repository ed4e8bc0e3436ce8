// conditions.cc: a known medical condition, for the rewards page's
// exclusion (service/rewards.h).
#include <vector>

#include "demo/internal.h"

namespace rollcall::cli::internal {

// The office recorded a known condition (asthma, reviewed in six months) for
// the first pupil on roll with a good run of sessions and no absence in any
// register or amendment written this year: they are on the 100% list until
// the head ticks "Exclude pupils with a known medical condition from
// rewards" on /settings, when they leave the list and their class's figure.
// A pupil with no illness, so no request for medical evidence is held back.
core::Status RecordKnownCondition(Casework& work, const MarkPlan& plan,
                                  const std::vector<Draft>& drafts, Date today) {
  std::vector<int> present(drafts.size());
  std::vector<bool> absent(drafts.size());
  for (const PlannedWrite& w : plan.writes) {
    const core::StatCategory category = core::CategoryOf(w.code);
    if (category == core::StatCategory::kAuthorised ||
        category == core::StatCategory::kUnauthorised) {
      absent[w.pupil] = true;
    } else if (category == core::StatCategory::kPresent) {
      ++present[w.pupil];
    }
  }
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    if (!drafts[idx].on_roll_today || absent[idx] || present[idx] < 20) continue;
    work.clock.SetNow();
    return work.services.evidence().SetCondition(
        work.As(kOfficeAccount), drafts[idx].id,
        "Asthma: inhaler kept in the office; the family will ring on a bad day",
        today.AddDays(182));
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
