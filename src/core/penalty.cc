// penalty.cc: notice amounts, deadlines and improvement periods.
#include "core/penalty.h"

#include "core/bank_holidays.h"

namespace rollcall::core {

std::string_view NoticeKindName(NoticeKind kind) {
  return kind == NoticeKind::kAttendance ? "attendance" : "exclusion";
}

std::optional<NoticeKind> NoticeKindFromName(std::string_view name) {
  if (name == "attendance") return NoticeKind::kAttendance;
  if (name == "exclusion") return NoticeKind::kExclusion;
  return std::nullopt;
}

std::optional<NoticeTerms> TermsOf(NoticeKind kind, PenaltyAction action, Date issued,
                                   int service_working_days) {
  NoticeTerms t;
  t.served = AddWorkingDays(issued, service_working_days);
  t.reduced_by = t.served.AddDays(kReducedDays);
  t.full_by = t.served.AddDays(kFullDays);
  if (kind == NoticeKind::kExclusion) {
    t.reduced_pence = 6000;
    t.full_pence = 12000;
    return t;
  }
  switch (action) {
    case PenaltyAction::kFirstNotice:
      t.reduced_pence = 8000;
      t.full_pence = 16000;
      return t;
    case PenaltyAction::kSecondNotice:
      t.reduced_pence = 16000;
      t.full_pence = 16000;
      t.reduced_by = t.full_by;
      return t;
    case PenaltyAction::kConsiderProsecution:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<int64_t> AmountDueOn(const NoticeTerms& terms, Date paid_on) {
  if (paid_on <= terms.reduced_by) return terms.reduced_pence;
  if (paid_on <= terms.full_by) return terms.full_pence;
  return std::nullopt;
}

bool ValidImprovementPeriod(Date start, Date end) {
  const int32_t days = end.days() - start.days() + 1;
  return days >= kImprovementMinDays && days <= kImprovementMaxDays;
}

}  // namespace rollcall::core
