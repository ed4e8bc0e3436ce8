// penalties.h
//
// The store's records of penalty-notice cases, their events and evidence packs: one aggregate of
// the Store interface (store.h), with its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/penalty.h"
#include "core/session.h"
#include "core/status.h"
#include "store/people.h"

namespace rollcall::store {

// What opened a penalty case. The names are stored (penalty_cases.kind) and
// are the API's "kind": never rename them.
enum class PenaltyCaseKind : uint8_t {
  kAttendance = 1,  // "attendance": the penalty_threshold alert fired
  kLocal,           // "local": the local code of conduct's trigger fired
  kExclusion,       // "exclusion": an excluded pupil was found in a public place
};
std::string_view PenaltyCaseKindName(PenaltyCaseKind kind);
std::optional<PenaltyCaseKind> PenaltyCaseKindFromName(std::string_view name);

// A later window of a case's episode: the threshold met again at `alert`
// while the case was open, and the sessions that window cited (docs/rules.md
// section 5, "One case per episode"). Append-only.
struct PenaltyWindow {
  int64_t id = 0;  // assigned by AddPenaltyWindow
  int64_t case_id = 0;
  core::SessionKey alert;
  std::string evidence;  // as PenaltyCase::evidence
  int64_t added_at = 0;
};

// A penalty-notice case (core/penalty.h): opened when the penalty_threshold
// alert fires at `alert` (kind attendance), when the local code of
// conduct's trigger does (local), or by the head for an excluded pupil
// found in a public place (exclusion). Append-only: what happens to
// it is a PenaltyEvent, and a later window of its episode a PenaltyWindow.
struct PenaltyCase {
  int64_t id = 0;  // assigned by OpenPenaltyCase
  int64_t pupil_id = 0;
  PenaltyCaseKind kind = PenaltyCaseKind::kAttendance;
  core::SessionKey alert;
  std::string evidence;  // the sessions cited: "2026-11-02 AM G, 2026-11-02 PM G, ..."
  int64_t opened_at = 0;
  // As read, never written by OpenPenaltyCase: the later windows of its
  // episode (by id), and the day its "closed" event gave.
  std::vector<PenaltyWindow> windows;
  std::optional<core::Date> closed_on;
  // As read: the day of its latest penalty notice that was not withdrawn.
  std::optional<core::Date> last_notice_on;
};

// One thing done in a penalty case. The names are stored
// (penalty_events.kind) and are the API's "kind": never rename them.
enum class PenaltyEventKind : uint8_t {
  kDecision = 1,  // "decision"
  kNti,           // "nti": a notice to improve
  kNtiOutcome,    // "nti_outcome"
  kNotice,        // "notice": a penalty notice
  kPayment,       // "payment"
  kWithdrawal,    // "withdrawal"
  kProsecution,   // "prosecution"
  kClosed,        // "closed"
};
std::string_view PenaltyEventKindName(PenaltyEventKind kind);
std::optional<PenaltyEventKind> PenaltyEventKindFromName(std::string_view name);

// One thing done in a penalty case. Kinds, and the fields each uses:
//   decision     decision; text: the reasons; on: the day decided
//   nti          a notice to improve: on = its start, end = the end of the
//                improvement period, text = what sufficient improvement means
//   nti_outcome  outcome; on; text: notes
//   notice       a penalty notice to one parent: parent, on = issued,
//                notice_number 1 or 2, amount_pence = the reduced amount
//   payment      notice_id; on = paid; amount_pence = paid
//   withdrawal   notice_id; text: the reason (withdrawn notices do not count)
//   prosecution  notice_id; text: the referral to the LA
//   closed       text: the outcome
// The decision and the outcome share one stored column (decision), holding
// the name of either (core::PenaltyDecisionName, core::ImprovementOutcomeName)
// or "" for the other kinds.
struct PenaltyEvent {
  int64_t id = 0;  // assigned by AddPenaltyEvent
  int64_t case_id = 0;
  PenaltyEventKind kind = PenaltyEventKind::kDecision;
  std::optional<int64_t> notice_id;
  std::optional<core::PenaltyDecision> decision;    // decision events only
  std::optional<core::ImprovementOutcome> outcome;  // nti_outcome events only
  std::string parent;
  std::optional<core::Date> on;
  std::optional<core::Date> end;
  int64_t amount_pence = 0;
  int notice_number = 0;
  std::string text;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

// InvalidArgument PENALTY_EVENT_INVALID when the event lacks what its kind
// needs (above) or has a decision or outcome its kind does not allow.
core::Status CheckPenaltyEvent(const PenaltyEvent& e);

// The evidence pack sent to the LA for a case, as generated (JSON).
struct EvidencePack {
  int64_t id = 0;
  int64_t case_id = 0;
  std::string content;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

}  // namespace rollcall::store
