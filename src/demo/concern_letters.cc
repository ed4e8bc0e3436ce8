// concern_letters.cc: the attendance-concern letters the office sent a week
// ago.
#include <algorithm>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "demo/internal.h"

namespace rollcall::cli::internal {

// A week ago, at the end of the day, the office sent an attendance-concern
// letter to the family of each persistently absent pupil whose attendance
// was then below the school's target: one batch, composed by the letters
// service as it composes every letter, with the pupil's figures as the
// registers stood that day. The office drafts the letters for the whole
// school and sends those of the persistently absent pupils, as one batch
// (which is what Letters::Send stores, src/service/letters.cc), so the
// families are the demo's persistently absent ones, not every pupil below
// the target.
core::Status WriteLetters(Casework& work, const MarkPlan& plan, const std::vector<Draft>& drafts,
                          Date today) {
  std::vector<int64_t> absent;  // the persistently absent pupils' ids
  for (size_t idx = 0; idx < drafts.size(); ++idx) {
    if (plan.possible[idx] >= 40 && AbsenceRate(plan, idx) >= 0.1) absent.push_back(drafts[idx].id);
  }
  if (absent.empty()) return core::OkStatus();
  Date day = today.AddDays(-7);
  while (day.IsWeekend()) day = day.AddDays(-1);
  work.clock.Set(day, kLastSitting);
  core::StatusOr<std::vector<service::LetterDraft>> drafted = work.services.letters().Draft(
      work.As(kOfficeAccount), {.template_key = "attendance_concern", .group = "school"});
  // No pupil below the target that day: no letters to send.
  if (!drafted.ok() && drafted.status().code() == core::kErrNoLetters) return core::OkStatus();
  RETURN_IF_ERROR(drafted.status());
  std::erase_if(*drafted, [&](const service::LetterDraft& d) {
    return std::find(absent.begin(), absent.end(), d.letter.pupil_id) == absent.end();
  });
  if (drafted->empty()) return core::OkStatus();
  return work.services.letters().SendDrafts(work.As(kOfficeAccount), std::move(*drafted)).status();
}

}  // namespace rollcall::cli::internal
