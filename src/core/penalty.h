// penalty.h
//
// Penalty notices under the national framework (docs/rules.md section 5): the
// amounts and deadlines of a notice, counted from the day it is deemed
// served, the 3 to 6 week improvement period of a notice to improve, and
// where a notice and a whole case stand on a given day. Which notice may be
// issued at all is PenaltyActionFor (alerts.h), the same function the
// conformance cases check. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/alerts.h"
#include "core/date.h"

namespace rollcall::core {

// Stored: never renumber.
enum class NoticeKind : uint8_t {
  kAttendance = 1,  // irregular attendance (the threshold)
  kExclusion = 2,   // an excluded pupil in a public place in the first 5 school days
};
std::string_view NoticeKindName(NoticeKind kind);  // "attendance", "exclusion"
std::optional<NoticeKind> NoticeKindFromName(std::string_view name);

// What a notice costs and by when, from the day it is deemed served.
struct NoticeTerms {
  Date served;
  Date reduced_by;  // the reduced amount is due by this day (inclusive)
  Date full_by;     // the full amount by this day; unpaid after it: prosecute or withdraw
  int64_t reduced_pence = 0;
  int64_t full_pence = 0;
};

// Days after service: the reduced amount within 21, the full within 28.
inline constexpr int kReducedDays = 21;
inline constexpr int kFullDays = 28;

// The terms of a notice issued (posted) on `issued` and deemed served
// `service_working_days` working days later. Attendance: a first notice in 3
// years £80 within 21 days and £160 within 28; a second £160 within 28 (no
// reduced amount); a third cannot be issued (nullopt). Exclusion: £60 within
// 21 days, £120 within 28.
std::optional<NoticeTerms> TermsOf(NoticeKind kind, PenaltyAction action, Date issued,
                                   int service_working_days);

// What is due if paid on `paid_on`: the reduced amount up to reduced_by, the
// full amount up to full_by, nothing after (the notice can no longer be paid).
std::optional<int64_t> AmountDueOn(const NoticeTerms& terms, Date paid_on);

// A notice to improve gives 3 to 6 weeks to improve: from `start` to `end`
// inclusive is 21 to 42 days.
inline constexpr int kImprovementMinDays = 21;
inline constexpr int kImprovementMaxDays = 42;
bool ValidImprovementPeriod(Date start, Date end);

// Where one notice stands on a day. The names (NoticeStatusName) are the
// "status" of a notice in the API and the evidence pack: never rename them.
enum class NoticeStatus : uint8_t {
  kDueReduced,   // "due_reduced": the reduced amount may still be paid
  kDueFull,      // "due_full": past the reduced deadline, the full amount is due
  kPaid,         // "paid"
  kWithdrawn,    // "withdrawn": it no longer counts (docs/rules.md section 5)
  kProsecution,  // "prosecution": referred to the LA to prosecute
  kUnpaid,       // "unpaid": past the full deadline; the LA prosecutes or withdraws
};
std::string_view NoticeStatusName(NoticeStatus status);

// What has been recorded against one notice, and its terms.
struct NoticeRecord {
  NoticeTerms terms;
  bool paid = false;
  bool withdrawn = false;
  bool prosecuted = false;
};

// A withdrawal outranks everything (a withdrawn notice does not count even
// if money came in), then payment, then a referral for prosecution. Open:
// the reduced amount is due up to reduced_by (only when it is less than the
// full amount: a second notice has no reduction), the full amount up to
// full_by inclusive, and from the day after it the notice is unpaid.
NoticeStatus NoticeStatusOn(const NoticeRecord& notice, Date today);

// What the head decided for a case. The names are stored in penalty events
// (store::PenaltyEvent::decision): never rename them.
enum class PenaltyDecision : uint8_t {
  kSupportFirst,     // "support_first"
  kNoticeToImprove,  // "notice_to_improve"
  kPenaltyNotice,    // "penalty_notice"
  kNoAction,         // "no_action"
};
std::string_view PenaltyDecisionName(PenaltyDecision decision);
std::optional<PenaltyDecision> PenaltyDecisionFromName(std::string_view name);

// The outcome recorded when an improvement period ends. Stored as
// "improved" or "not_improved": never rename them.
enum class ImprovementOutcome : uint8_t { kImproved, kNotImproved };
std::string_view ImprovementOutcomeName(ImprovementOutcome outcome);
std::optional<ImprovementOutcome> ImprovementOutcomeFromName(std::string_view name);

// Where a penalty case stands, and so what is asked of the school next. The
// names (PenaltyStageName) are the case's "stage" in the API: never rename
// them.
enum class PenaltyStage : uint8_t {
  kAwaitingDecision,  // "awaiting_decision": the head has not decided
  kSupportFirst,      // "support_first"
  kNoAction,          // "no_action"
  kNtiToIssue,        // "nti_to_issue": a notice to improve was decided on
  kNtiRunning,        // "nti_running": the improvement period has not ended
  kNtiEnded,          // "nti_ended": it has; its outcome is awaited
  kNtiImproved,       // "nti_improved"
  kNtiNotImproved,    // "nti_not_improved"
  kNoticeToIssue,     // "notice_to_issue": a penalty notice was decided on
  kNoticesIssued,     // "notices_issued": at least one notice is still payable
  kUnpaid,            // "unpaid": a notice is past its full deadline
  kNoticesSettled,    // "notices_settled": paid, withdrawn or with the prosecutor
  kClosed,            // "closed"
};
std::string_view PenaltyStageName(PenaltyStage stage);

// What a case's events say, as PenaltyStageOn needs it: the latest event of
// each kind (store::PenaltyEvent kinds "closed", "decision", "nti",
// "nti_outcome") and every notice issued in the case.
struct PenaltyCaseRecord {
  bool closed = false;
  std::optional<PenaltyDecision> decision;        // the latest decision
  std::optional<Date> improvement_end;            // set once a notice to improve is issued
  std::optional<ImprovementOutcome> nti_outcome;  // the latest outcome recorded
  std::vector<NoticeRecord> notices;
};

// The stage of a case on `today`. Closed outranks everything; then the
// latest decision rules, so deciding again (a penalty notice after an
// improvement period that failed) moves the case on. The improvement period
// is running up to and including its last day and has ended the day after;
// an outcome counts only once a notice to improve was issued. Under a
// penalty-notice decision, one unpaid notice makes the case "unpaid" before
// any still payable makes it "notices_issued".
PenaltyStage PenaltyStageOn(const PenaltyCaseRecord& record, Date today);

}  // namespace rollcall::core
