// penalty.cc: notice amounts, deadlines and improvement periods, and where
// a notice and a case stand.
#include "core/penalty.h"

#include <algorithm>

#include "core/bank_holidays.h"
#include "core/status.h"

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

std::string_view NoticeStatusName(NoticeStatus status) {
  switch (status) {
    case NoticeStatus::kDueReduced:
      return "due_reduced";
    case NoticeStatus::kDueFull:
      return "due_full";
    case NoticeStatus::kPaid:
      return "paid";
    case NoticeStatus::kWithdrawn:
      return "withdrawn";
    case NoticeStatus::kProsecution:
      return "prosecution";
    case NoticeStatus::kUnpaid:
      return "unpaid";
  }
  Unreachable();
}

NoticeStatus NoticeStatusOn(const NoticeRecord& notice, Date today) {
  // Withdrawn notices do not count towards the 3-year limit (docs/rules.md
  // section 5), so a withdrawal is what the notice is, whatever came before.
  if (notice.withdrawn) return NoticeStatus::kWithdrawn;
  if (notice.paid) return NoticeStatus::kPaid;
  if (notice.prosecuted) return NoticeStatus::kProsecution;
  const NoticeTerms& t = notice.terms;
  // A second notice has no reduced amount: its "reduced" deadline is the
  // full one, and it is due in full from the start.
  if (today <= t.reduced_by && t.reduced_pence < t.full_pence) return NoticeStatus::kDueReduced;
  if (today <= t.full_by) return NoticeStatus::kDueFull;
  return NoticeStatus::kUnpaid;
}

std::string_view PenaltyDecisionName(PenaltyDecision decision) {
  switch (decision) {
    case PenaltyDecision::kSupportFirst:
      return "support_first";
    case PenaltyDecision::kNoticeToImprove:
      return "notice_to_improve";
    case PenaltyDecision::kPenaltyNotice:
      return "penalty_notice";
    case PenaltyDecision::kNoAction:
      return "no_action";
  }
  Unreachable();
}

std::optional<PenaltyDecision> PenaltyDecisionFromName(std::string_view name) {
  for (PenaltyDecision d : {PenaltyDecision::kSupportFirst, PenaltyDecision::kNoticeToImprove,
                            PenaltyDecision::kPenaltyNotice, PenaltyDecision::kNoAction}) {
    if (PenaltyDecisionName(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view ImprovementOutcomeName(ImprovementOutcome outcome) {
  switch (outcome) {
    case ImprovementOutcome::kImproved:
      return "improved";
    case ImprovementOutcome::kNotImproved:
      return "not_improved";
  }
  Unreachable();
}

std::optional<ImprovementOutcome> ImprovementOutcomeFromName(std::string_view name) {
  if (name == "improved") return ImprovementOutcome::kImproved;
  if (name == "not_improved") return ImprovementOutcome::kNotImproved;
  return std::nullopt;
}

std::string_view PenaltyStageName(PenaltyStage stage) {
  switch (stage) {
    case PenaltyStage::kAwaitingDecision:
      return "awaiting_decision";
    case PenaltyStage::kSupportFirst:
      return "support_first";
    case PenaltyStage::kNoAction:
      return "no_action";
    case PenaltyStage::kNtiToIssue:
      return "nti_to_issue";
    case PenaltyStage::kNtiRunning:
      return "nti_running";
    case PenaltyStage::kNtiEnded:
      return "nti_ended";
    case PenaltyStage::kNtiImproved:
      return "nti_improved";
    case PenaltyStage::kNtiNotImproved:
      return "nti_not_improved";
    case PenaltyStage::kNoticeToIssue:
      return "notice_to_issue";
    case PenaltyStage::kNoticesIssued:
      return "notices_issued";
    case PenaltyStage::kUnpaid:
      return "unpaid";
    case PenaltyStage::kNoticesSettled:
      return "notices_settled";
    case PenaltyStage::kClosed:
      return "closed";
  }
  Unreachable();
}

PenaltyStage PenaltyStageOn(const PenaltyCaseRecord& record, Date today) {
  if (record.closed) return PenaltyStage::kClosed;
  if (!record.decision) return PenaltyStage::kAwaitingDecision;
  switch (*record.decision) {
    case PenaltyDecision::kSupportFirst:
      return PenaltyStage::kSupportFirst;
    case PenaltyDecision::kNoAction:
      return PenaltyStage::kNoAction;
    case PenaltyDecision::kNoticeToImprove:
      if (!record.improvement_end) return PenaltyStage::kNtiToIssue;
      if (!record.nti_outcome) {
        // The last day of the period is still inside it: the outcome can be
        // recorded from that day (src/service/penalties.cc), but the case only
        // asks for it once the period is over.
        return today <= *record.improvement_end ? PenaltyStage::kNtiRunning
                                                : PenaltyStage::kNtiEnded;
      }
      return *record.nti_outcome == ImprovementOutcome::kImproved ? PenaltyStage::kNtiImproved
                                                                  : PenaltyStage::kNtiNotImproved;
    case PenaltyDecision::kPenaltyNotice: {
      if (record.notices.empty()) return PenaltyStage::kNoticeToIssue;
      auto any = [&](auto pred) {
        return std::any_of(record.notices.begin(), record.notices.end(),
                           [&](const NoticeRecord& n) { return pred(NoticeStatusOn(n, today)); });
      };
      // An unpaid notice needs the LA to act, which matters more than
      // waiting for another parent to pay.
      if (any([](NoticeStatus s) { return s == NoticeStatus::kUnpaid; })) {
        return PenaltyStage::kUnpaid;
      }
      if (any([](NoticeStatus s) {
            return s == NoticeStatus::kDueReduced || s == NoticeStatus::kDueFull;
          })) {
        return PenaltyStage::kNoticesIssued;
      }
      return PenaltyStage::kNoticesSettled;
    }
  }
  Unreachable();
}

}  // namespace rollcall::core
