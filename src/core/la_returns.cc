// la_returns.cc: when returns to the LA fall due.
#include "core/la_returns.h"

#include "core/cme.h"
#include "core/status.h"

namespace rollcall::core {
namespace {

constexpr LaReturnKind kLaReturnKinds[] = {
    LaReturnKind::kNewAdmission,       LaReturnKind::kDeletion,
    LaReturnKind::kSickness,           LaReturnKind::kContinuousAbsence,
    LaReturnKind::kPersistentLateness, LaReturnKind::kPartTimeTimetable,
    LaReturnKind::kPersistentAbsence,  LaReturnKind::kCmeReferral,
};

constexpr LaReturnStatus kLaReturnStatuses[] = {LaReturnStatus::kOverdue, LaReturnStatus::kDue,
                                                LaReturnStatus::kSent,
                                                LaReturnStatus::kAcknowledged};

}  // namespace

std::string_view LaReturnKindName(LaReturnKind kind) {
  switch (kind) {
    case LaReturnKind::kNewAdmission:
      return "new_admission";
    case LaReturnKind::kDeletion:
      return "deletion";
    case LaReturnKind::kSickness:
      return "sickness";
    case LaReturnKind::kContinuousAbsence:
      return "continuous_absence";
    case LaReturnKind::kPersistentLateness:
      return "persistent_lateness";
    case LaReturnKind::kPartTimeTimetable:
      return "part_time_timetable";
    case LaReturnKind::kPersistentAbsence:
      return "persistent_absence";
    case LaReturnKind::kCmeReferral:
      return "cme_referral";
  }
  Unreachable();
}

std::optional<LaReturnKind> LaReturnKindFromName(std::string_view name) {
  for (LaReturnKind kind : kLaReturnKinds) {
    if (LaReturnKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

Date LaReturnDue(const Calendar& calendar, LaReturnKind kind, Date from) {
  switch (kind) {
    case LaReturnKind::kNewAdmission:
      // docs/rules.md section 4 says "within 5 days"; rollcall counts
      // calendar days, so a pupil joining on a Monday is due by Saturday.
      return from.AddDays(kAdmissionReturnDays);
    case LaReturnKind::kDeletion:
      return from;
    case LaReturnKind::kCmeReferral:
      return SchoolDayNumber(calendar, from, kCmeReferralDay).value_or(from);
    case LaReturnKind::kSickness:
    case LaReturnKind::kContinuousAbsence:
    case LaReturnKind::kPersistentLateness:
    case LaReturnKind::kPartTimeTimetable:
    case LaReturnKind::kPersistentAbsence:
      // Five school days after `from` is the 6th counting `from` as the
      // first. A trigger on a day the school is shut (a timetable agreed in
      // the holidays), or a calendar that ends too soon, gives no count: a
      // week is given instead.
      return SchoolDayNumber(calendar, from, kAlertReturnSchoolDays + 1).value_or(from.AddDays(7));
  }
  Unreachable();
}

std::string_view LaReturnStatusName(LaReturnStatus status) {
  switch (status) {
    case LaReturnStatus::kOverdue:
      return "overdue";
    case LaReturnStatus::kDue:
      return "due";
    case LaReturnStatus::kSent:
      return "sent";
    case LaReturnStatus::kAcknowledged:
      return "acknowledged";
  }
  Unreachable();
}

std::optional<LaReturnStatus> LaReturnStatusFromName(std::string_view name) {
  for (LaReturnStatus status : kLaReturnStatuses) {
    if (LaReturnStatusName(status) == name) return status;
  }
  return std::nullopt;
}

LaReturnStatus LaReturnStatusOn(Date due, std::optional<LaReturnStatus> recorded, Date today) {
  if (recorded) return *recorded;
  return due < today ? LaReturnStatus::kOverdue : LaReturnStatus::kDue;
}

}  // namespace rollcall::core
