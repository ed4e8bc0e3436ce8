// la_notifications.cc: the new pupils and deletions the office has told the
// LA of.
#include <string>
#include <utility>
#include <vector>

#include "demo/internal.h"

namespace rollcall::cli::internal {

// The office tells the LA of new pupils and deletions on time: each one
// older than a week is marked sent the day it fell due, and the LA has
// acknowledged those older than a fortnight. Returns from alerts (sickness,
// continuous absence, lateness) are left for Today to show.
core::Status WriteLaNotifications(store::Store& store, const std::vector<Draft>& drafts,
                                  const Staff& staff, Date today, const LocalTime& time) {
  const Date year_start = today.AcademicYearStart();
  const size_t la = AccountIndex("la");
  for (const Draft& d : drafts) {
    for (const store::Enrolment& e : d.pupil.enrolments) {
      std::vector<std::pair<std::string, Date>> owed;  // key, due
      if (e.start >= year_start && e.start <= today.AddDays(-7)) {
        owed.emplace_back(store::NotificationKey(core::LaReturnKind::kNewAdmission, d.id, e.start),
                          e.start.AddDays(5));
      }
      if (e.end && *e.end >= year_start && *e.end <= today.AddDays(-7)) {
        owed.emplace_back(store::NotificationKey(core::LaReturnKind::kDeletion, d.id, *e.end),
                          *e.end);
      }
      for (const auto& [key, due] : owed) {
        RETURN_IF_ERROR(store
                            .AddNotificationEvent(
                                {.notification = key,
                                 .status = core::LaReturnStatus::kSent,
                                 .at = time.At(due, kLastSitting),
                                 .by_user_id = staff.user_ids[kOfficeAccount],
                                 .by_name = std::string(kAccounts[kOfficeAccount].display_name),
                                 .by_role = kAccounts[kOfficeAccount].role,
                                 .note = "Sent on the LA's pupil-movement form"})
                            .status());
        if (due > today.AddDays(-14)) continue;
        RETURN_IF_ERROR(
            store
                .AddNotificationEvent({.notification = key,
                                       .status = core::LaReturnStatus::kAcknowledged,
                                       .at = time.At(due.AddDays(2), kMidMorningSitting),
                                       .by_user_id = staff.user_ids[la],
                                       .by_name = std::string(kAccounts[la].display_name),
                                       .by_role = kAccounts[la].role,
                                       .note = ""})
                .status());
      }
    }
  }
  return core::OkStatus();
}

}  // namespace rollcall::cli::internal
