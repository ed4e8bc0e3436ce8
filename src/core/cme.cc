#include "core/cme.h"

#include <algorithm>
#include <array>

#include "core/codes.h"

namespace rollcall::core {
namespace {

constexpr std::array<CmeStepInfo, 7> kSteps = {{
    {CmeStep::kContactFamily, "contact_family",
     "Call, text and email every adult with parental responsibility and the other contacts", 1, 2,
     "office"},
    {CmeStep::kSiblingCheck, "sibling_check",
     "Check the siblings' attendance (pupils who share a contact) and their schools", 1, 2,
     "office"},
    {CmeStep::kNotifyDsl, "notify_dsl", "Log a safeguarding concern and tell the DSL and the head",
     3, 3, "office"},
    {CmeStep::kHomeVisit, "home_visit",
     "Home visit with a hand-delivered letter; enquiries with siblings' schools and agencies", 3,
     10, "DSL"},
    {CmeStep::kLaEnquiryForm, "la_enquiry_form",
     "Send the reasonable-enquiries form to the local authority", 10, 10, "attendance lead"},
    {CmeStep::kLaAttendanceReturn, "la_attendance_return",
     "Tell the local authority: 10 continuous school days of unauthorised absence", 10, 10,
     "attendance lead"},
    {CmeStep::kDeletionReview, "deletion_review",
     "Deletion ground (i) review: record the joint school and LA enquiries; if the child is not "
     "found, CME referral and CTF",
     20, 20, "head"},
}};

bool Unexplained(AttendanceCode code) {
  return code == AttendanceCode::kNoReasonYet || code == AttendanceCode::kOtherUnauthorised;
}

}  // namespace

std::optional<UnexplainedRun> CurrentUnexplainedRun(const Calendar& calendar,
                                                    std::span<const PupilSession> sessions) {
  std::optional<UnexplainedRun> run;
  for (auto it = sessions.rbegin(); it != sessions.rend(); ++it) {
    if (!it->code || !IsPossible(*it->code)) continue;  // skipped, as rule 8
    if (!Unexplained(*it->code)) break;
    if (!run) run = UnexplainedRun{it->index, it->index, 0, Date()};
    run->first = it->index;
    ++run->sessions;
  }
  if (run) run->first_day = calendar.SessionAt(run->first).date;
  return run;
}

std::span<const CmeStepInfo> CmeSteps() { return kSteps; }

const CmeStepInfo& InfoOf(CmeStep step) { return kSteps[static_cast<size_t>(step) - 1]; }

std::optional<CmeStep> CmeStepFromKey(std::string_view key) {
  for (const CmeStepInfo& info : kSteps) {
    if (info.key == key) return info.step;
  }
  return std::nullopt;
}

std::optional<Date> SchoolDayNumber(const Calendar& calendar, Date first_day, int n) {
  if (n < 1 || !calendar.IsSchoolDay(first_day)) return std::nullopt;
  // School days from first_day only grow with the end date, so the nth is
  // found by bisection over ten years of days.
  const Date before = first_day.AddDays(-1);
  constexpr int32_t kSpan = 3660;
  if (calendar.SchoolDaysBetween(before, first_day.AddDays(kSpan)) < n) return std::nullopt;
  int32_t lo = 0, hi = kSpan;
  while (lo < hi) {
    const int32_t mid = lo + (hi - lo) / 2;
    if (calendar.SchoolDaysBetween(before, first_day.AddDays(mid)) >= n) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return first_day.AddDays(lo);
}

int ProtocolDay(const Calendar& calendar, Date first_day, Date day) {
  if (day < first_day) return 0;
  return calendar.SchoolDaysBetween(first_day.AddDays(-1), day);
}

}  // namespace rollcall::core
