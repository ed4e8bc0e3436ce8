// penalties.h
//
// Penalty-notice cases under the national framework (docs/rules.md section
// 5), as the head, the office and the LA work them: where each case stands
// today (core::PenaltyStageOn) and what comes next, the events that move it
// on (the head's decision, a notice to improve and its outcome, a notice per
// parent per child, payments, withdrawals, prosecution, closing), a case for
// an exclusion notice, and the evidence pack for the LA, generated and stored
// as generated.
//
// The cases that open by themselves when a threshold is met are opened by
// CaseChecks (case_checks.h), not here. Rendering (the pages, the pack's PDF)
// is the caller's; the case's JSON is here because an evidence pack stores
// it, so the API and the pack read the same.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/penalty.h"
#include "core/status.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// One penalty notice and where it stands today.
struct NoticeView {
  store::PenaltyEvent notice;
  core::NoticeTerms terms;
  std::optional<store::PenaltyEvent> paid, withdrawn, prosecuted;
  core::NoticeStatus status = core::NoticeStatus::kDueReduced;
};

// What one parent may be given for the case's alert: a contact of the pupil
// with parental responsibility (or care of the child), the only people a
// notice to improve or a penalty notice goes to.
struct ParentOption {
  std::string parent, relationship;
  core::PenaltyAction action = core::PenaltyAction::kFirstNotice;  // for this alert
  int64_t prior_notices = 0;  // not withdrawn, in other cases of this child
  bool issued_here = false;   // has a notice in this case
};

// A case as the API and the pages show it.
struct PenaltyView {
  store::PenaltyCase c;
  std::string pupil_name;
  std::optional<int64_t> class_id;
  std::vector<store::PenaltyEvent> events;
  std::optional<store::PenaltyEvent> decision, nti, nti_outcome, closed;  // the latest of each
  std::vector<NoticeView> notices;
  std::vector<ParentOption> parents;  // empty: no contact is recorded as a parent
  core::PenaltyStage stage = core::PenaltyStage::kAwaitingDecision;
  std::string next_step;        // in words
  std::string local_code_name;  // the policy's local code of conduct, named by "local" cases
};

// A pattern of absence that may be keeping a family just clear of the
// threshold (core::ThresholdAvoidance): for the LA's discretion, no case.
struct AvoidanceView {
  int64_t pupil_id = 0;
  std::string pupil_name;
  std::string description;  // in words
  size_t sessions = 0;      // the sessions cited
  std::string evidence;     // "2026-11-02 AM G, ..." (EvidenceText)
};

// What `who` may do to penalty cases, for showing only the forms that work.
struct PenaltyRights {
  bool decide = false;          // decisions, notices, withdrawals, prosecution, closing, packs
  bool record_payment = false;  // payments
};

// One thing done in a case, as entered (the API's JSON body or the case
// page's form). nullopt: not given. Which fields a kind needs is
// store::PenaltyEvent's list.
struct PenaltyEventRequest {
  std::string case_id;                  // as in the path
  std::string kind;                     // decision, nti, nti_outcome, notice, payment, withdrawal,
                                        // prosecution or closed
  std::optional<std::string> decision;  // decision: support_first, notice_to_improve, ...
  std::optional<std::string> outcome;   // nti_outcome: improved or not_improved
  std::optional<std::string> end;       // nti: the end of the improvement period
  std::optional<std::string> parent;    // notice: one of the pupil's contacts
  std::string text;                     // reasons, notes; up to 2000 characters
  std::string on;                       // YYYY-MM-DD; "" for today
  std::optional<int64_t> notice_id;     // payment, withdrawal, prosecution
  std::optional<int64_t> amount_pence;  // payment
};

// An excluded pupil seen in a public place, as reported.
struct ExclusionCaseRequest {
  int64_t pupil_id = 0;
  std::optional<std::string> date;  // YYYY-MM-DD
  std::string session;              // "AM" (when "") or "PM"
  std::optional<std::string> text;  // where and when the pupil was seen
};

// The API's JSON of a case; also what an evidence pack stores under "case".
nlohmann::ordered_json PenaltyJson(const PenaltyView& v);

class Penalties {
 public:
  explicit Penalties(School& school) : school_(school) {}

  PenaltyRights RightsOf(const Principal& who) const;

  // Every case of a pupil still in the school (of one pupil: `pupil`), by id.
  // PermissionDenied unless `who` may read penalty cases.
  core::StatusOr<std::vector<PenaltyView>> Cases(const Principal& who,
                                                 std::optional<int64_t> pupil = std::nullopt);
  // One case. NotFound PENALTY_CASE_UNKNOWN when `case_id` names none
  // (checked before the permission, so a mistyped id is always 404).
  core::StatusOr<PenaltyView> Case(const Principal& who, const std::string& case_id);
  // The cases waiting on the school or the LA rather than on time or the
  // family: a decision, a notice to improve or penalty notice to issue, an
  // improvement period's outcome, an unpaid notice.
  core::StatusOr<std::vector<PenaltyView>> ToActOn(const Principal& who);
  // Patterns of threshold avoidance of the pupils on roll (of one pupil:
  // `pupil`), in pupil order.
  core::StatusOr<std::vector<AvoidanceView>> Patterns(const Principal& who,
                                                      std::optional<int64_t> pupil);

  // Records one event as `who`, now, and returns it as stored. Payments need
  // kRecordPenaltyPayment, every other kind kDecidePenalty. Errors:
  // NotFound PENALTY_CASE_UNKNOWN or PENALTY_NOTICE_UNKNOWN; InvalidArgument
  // REQUIRED_KEY, DATE_INVALID, VALUE_INVALID (a date in the future, an
  // amount not the one due that day, a parent not a contact),
  // NOT_A_PARENT (a notice to a contact without parental responsibility) or
  // PENALTY_EVENT_INVALID (an improvement period not 3 to 6 weeks, an unknown
  // kind); Conflict NO_PARENT_RECORDED (a notice or a notice to improve when
  // no contact has parental responsibility), PENALTY_EVENT_INVALID (out of
  // order for the case's
  // stage), PENALTY_THIRD_NOTICE, PENALTY_NOTICE_LAPSED, or the store's
  // PENALTY_CASE_CLOSED.
  core::StatusOr<store::PenaltyEvent> AddEvent(const Principal& who, const PenaltyEventRequest& r);

  // Opens a case for an exclusion notice (£60 / £120): the pupil was
  // excluded (E) at that session, within the first 5 school days of the
  // exclusion. Returns the case id. PermissionDenied unless `who` decides
  // penalties; InvalidArgument REQUIRED_KEY, DATE_INVALID, VALUE_INVALID or
  // PENALTY_EVENT_INVALID; NotFound PUPIL_UNKNOWN; Conflict
  // PENALTY_CASE_EXISTS.
  core::StatusOr<int64_t> OpenExclusionCase(const Principal& who, const ExclusionCaseRequest& r);

  // Generates the evidence pack of a case for the LA (the school, the pupil,
  // the register for the threshold's window, the case, the contact log,
  // letters, meetings and plans) and stores it as generated, by `who`, now.
  // PermissionDenied unless `who` decides penalties; NotFound
  // PENALTY_CASE_UNKNOWN or PUPIL_UNKNOWN.
  core::StatusOr<store::EvidencePack> GenerateEvidencePack(const Principal& who,
                                                           const std::string& case_id);
  // The packs stored for a case, oldest first.
  core::StatusOr<std::vector<store::EvidencePack>> EvidencePacks(const Principal& who,
                                                                 int64_t case_id);
  // One stored pack, exactly as generated: NotFound NOT_FOUND when the ids
  // (as in the path) name none.
  core::StatusOr<store::EvidencePack> FindEvidencePack(const Principal& who,
                                                       const std::string& case_id,
                                                       const std::string& pack_id);

 private:
  // Every case (of `pupil`, or the one `case_id`) whose pupil is in the school.
  core::StatusOr<std::vector<PenaltyView>> Views(const Principal& who, std::optional<int64_t> pupil,
                                                 std::optional<int64_t> case_id);
  // Requires school_.mutex() held (shared).
  PenaltyView ViewOf(const store::PenaltyCase& c, const std::vector<store::PenaltyCase>& cases,
                     const std::vector<store::PenaltyEvent>& all) const;
  // The pack's content: everything but the case from the snapshot and the store.
  core::StatusOr<nlohmann::ordered_json> PackOf(const Principal& who, const PenaltyView& v,
                                                int64_t now);

  School& school_;
};

}  // namespace rollcall::service
