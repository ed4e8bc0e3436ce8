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
#include "core/session.h"
#include "core/status.h"
#include "store/people.h"

namespace rollcall::store {

// A penalty-notice case (core/penalty.h): opened when the penalty_threshold
// alert fires at `alert` (kind "attendance"), when the local code of
// conduct's trigger does ("local"), or by the head for an excluded pupil
// found in a public place ("exclusion"). Append-only: what happens to
// it is a PenaltyEvent.
struct PenaltyCase {
  int64_t id = 0;  // assigned by OpenPenaltyCase
  int64_t pupil_id = 0;
  std::string kind = "attendance";
  core::SessionKey alert;
  std::string evidence;  // the sessions cited: "2026-11-02 AM G, 2026-11-02 PM G, ..."
  int64_t opened_at = 0;
};

// One thing done in a penalty case. Kinds, and the fields each uses:
//   decision     decision: support_first, notice_to_improve, penalty_notice or
//                no_action; text: the reasons; on: the day decided
//   nti          a notice to improve: on = its start, end = the end of the
//                improvement period, text = what sufficient improvement means
//   nti_outcome  decision: improved or not_improved; on; text: notes
//   notice       a penalty notice to one parent: parent, on = issued,
//                notice_number 1 or 2, amount_pence = the reduced amount
//   payment      notice_id; on = paid; amount_pence = paid
//   withdrawal   notice_id; text: the reason (withdrawn notices do not count)
//   prosecution  notice_id; text: the referral to the LA
//   closed       text: the outcome
struct PenaltyEvent {
  int64_t id = 0;  // assigned by AddPenaltyEvent
  int64_t case_id = 0;
  std::string kind;
  std::optional<int64_t> notice_id;
  std::string decision;
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
// needs (above) or has a decision its kind does not allow.
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
