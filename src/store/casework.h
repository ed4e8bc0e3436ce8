// casework.h
//
// The store's records of absence reports, the contact log, children-missing-education cases, the
// graduated approach and part-time timetables: one aggregate of the Store interface (store.h), with
// its types and the checks every backend applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cme.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/graduated.h"
#include "core/part_time.h"
#include "core/penalty.h"
#include "core/session.h"
#include "core/status.h"
#include "store/people.h"

namespace rollcall::store {

// A parent's (or the office's) report that a pupil is, or will be, absent:
// it tells the office what to code the sessions as, instead of N.
struct AbsenceReport {
  int64_t id = 0;  // assigned by AddAbsenceReport
  int64_t pupil_id = 0;
  core::Date from;
  core::Date to;  // inclusive; from <= to (checked by the caller)
  std::string reason;
  int64_t reported_at = 0;
  int64_t reported_by = 0;  // user id
  std::string reported_by_name;
  // Set once the office has dealt with it.
  std::optional<int64_t> resolved_at;
  int64_t resolved_by = 0;
  std::string resolution;
};

// How the school was in touch with a pupil's family, and what came of it.
enum class ContactMethod : uint8_t {
  kCall = 1,
  kText,
  kEmail,
  kLetter,
  kHomeVisit,
  kMeeting,
  kMessage,  // a message to the parents, shown on their page
};
enum class ContactOutcome : uint8_t {
  kSpoke = 1,
  kNoAnswer,
  kLeftMessage,
  kSent,
  kSeen,  // home visit: the child was seen
  kNotSeen,
  kAttended,  // meeting
  kDidNotAttend,
};
// "call", "text", "email", "letter", "home_visit", "meeting", "message".
std::string_view ContactMethodName(ContactMethod method);
std::optional<ContactMethod> ContactMethodFromName(std::string_view name);
// "spoke", "no_answer", "left_message", "sent", "seen", "not_seen",
// "attended", "did_not_attend".
std::string_view ContactOutcomeName(ContactOutcome outcome);
std::optional<ContactOutcome> ContactOutcomeFromName(std::string_view name);
// The outcomes a method can have, in the order a form offers them: a call
// is spoke, no answer or left message; texts, emails, letters and messages
// are sent; a home visit saw the child or not; a meeting was attended or not.
std::vector<ContactOutcome> OutcomesOf(ContactMethod method);

// One entry of a pupil's contact log. Append-only: a mistake is put right by
// a later entry.
struct ContactLogEntry {
  int64_t id = 0;  // assigned by AddContactLogEntry
  int64_t pupil_id = 0;
  int64_t at = 0;
  ContactMethod method = ContactMethod::kCall;
  std::string contact_name;  // who was contacted, e.g. "Mrs A Khan (mother)"
  ContactOutcome outcome = ContactOutcome::kSpoke;
  std::string note;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

// InvalidArgument CONTACT_OUTCOME_INVALID unless entry.outcome is one of
// OutcomesOf(entry.method). Both stores check it before writing.
core::Status CheckContactLogEntry(const ContactLogEntry& entry);

// A children-missing-education case (core/cme.h): opened when a pupil's run
// of unexplained absence reaches a whole school day, closed once.
struct CmeCase {
  int64_t id = 0;  // assigned by OpenCmeCase
  int64_t pupil_id = 0;
  core::Date first_day;  // day 1 of the protocol
  int64_t opened_at = 0;
  std::optional<int64_t> closed_at;
  std::string outcome;  // set when closed: the outcome of the enquiries, in words
  std::string closed_by_name;
};

// Something done for one step of a case; a step may be done more than once
// (a second home visit). Append-only.
struct CmeStepRecord {
  int64_t id = 0;  // assigned by RecordCmeStep
  int64_t case_id = 0;
  core::CmeStep step = core::CmeStep::kContactFamily;
  int64_t done_at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
  std::string note;
};

// A pupil's stage of the graduated approach as staff confirmed it. The
// latest record is the current stage; none means "expect".
struct StageRecord {
  int64_t id = 0;  // assigned by AddStageRecord
  int64_t pupil_id = 0;
  core::SupportStage stage = core::SupportStage::kExpect;
  int64_t at = 0;
  std::string reason;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

enum class SupportKind : uint8_t { kPanelMeeting = 1, kActionPlan, kReview };
std::string_view SupportKindName(SupportKind kind);  // "panel_meeting", "action_plan", "review"
std::optional<SupportKind> SupportKindFromName(std::string_view name);

// A panel meeting, an action plan or a review of one. Append-only.
struct SupportEvent {
  int64_t id = 0;  // assigned by AddSupportEvent
  int64_t pupil_id = 0;
  SupportKind kind = SupportKind::kPanelMeeting;
  core::Date held_on;
  std::string attendees;  // meetings
  std::string notes;
  std::string targets;                    // action plans
  std::string support_offered;            // action plans
  std::optional<core::Date> review_date;  // action plans: required
  std::optional<int64_t> plan_id;         // reviews: the action plan reviewed
  // Reviews: whether attendance improved, stored by its name
  // (core::ImprovementOutcomeName, as for a notice to improve), "" otherwise.
  std::optional<core::ImprovementOutcome> outcome;
  std::string attendance_before;  // reviews: the figures quoted, e.g. "88.2%"
  std::string attendance_after;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

// InvalidArgument SUPPORT_EVENT_INVALID when an action plan has no review date
// or a review has no plan or no outcome.
core::Status CheckSupportEvent(const SupportEvent& event);

// A part-time timetable (core/part_time.h): agreed by the head with a
// resident parent, time-limited, reviewed. Append-only: a review extends or
// ends it.
struct PartTimeTimetable {
  int64_t id = 0;  // assigned by AddPartTimeTimetable
  int64_t pupil_id = 0;
  core::Date agreed_on;
  std::string agreed_with;  // the parent who agreed, e.g. "Mrs A Khan (mother)"
  core::Date start;
  core::Date end;        // inclusive; required: a part-time timetable is time-limited
  uint16_t attends = 0;  // core::TimetablePattern: the sessions the pupil attends
  core::Date review_date;
  std::string reason;
  std::string plan;  // the wider plan it is part of: support, return to full time
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

// What a review does to a part-time timetable. The names are stored
// (part_time_reviews.outcome) and are the API's "outcome": never rename them.
enum class PartTimeOutcome : uint8_t {
  kContinue = 1,  // "continue": keeps the end date
  kExtend,        // "extend": moves it later
  kEnd,           // "end": brings it forward; the pupil returns to full time after it
};
std::string_view PartTimeOutcomeName(PartTimeOutcome outcome);
std::optional<PartTimeOutcome> PartTimeOutcomeFromName(std::string_view name);

// A review of a part-time timetable, which continues, extends or ends it
// (PartTimeOutcome). Append-only; the latest review's end is in force.
struct PartTimeReview {
  int64_t id = 0;  // assigned by AddPartTimeReview
  int64_t timetable_id = 0;
  core::Date held_on;
  PartTimeOutcome outcome = PartTimeOutcome::kContinue;
  core::Date end;                         // the end date from this review on
  std::optional<core::Date> next_review;  // continue and extend: required
  std::string notes;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

// InvalidArgument PART_TIME_INVALID unless start <= end (within a year),
// agreed_on <= start, the review date falls within start..end, and the
// pupil attends some but not all sessions.
core::Status CheckPartTimeTimetable(const PartTimeTimetable& t);
// InvalidArgument PART_TIME_INVALID unless the review is held on or after
// the agreement, the outcome is continue/extend/end with an end date that
// fits it (continue: unchanged; extend: later, within a year of the start;
// end: not later than the current end, and no earlier than the day before
// the start, which cancels it), and a next review date (continue, extend)
// falls after the review and by the end.
core::Status CheckPartTimeReview(const PartTimeReview& r, const PartTimeTimetable& t,
                                 core::Date current_end);
// Timetable t's reviews among `reviews` (any timetables', in the order
// recorded), as the rules core reads them: core::EndInForce gives the end in
// force from them, core::TimetableStateOn the status on a day.
std::vector<core::TimetableReview> TimetableReviewsOf(const PartTimeTimetable& t,
                                                      const std::vector<PartTimeReview>& reviews);
// Conflict PART_TIME_OVERLAP when `t` shares a day with one of `others` of
// the same pupil, each as last reviewed (core::TimetablesOverlap: a
// cancelled timetable overlaps nothing). `reviews`: any timetables'.
core::Status CheckPartTimeOverlap(const PartTimeTimetable& t,
                                  const std::vector<PartTimeTimetable>& others,
                                  const std::vector<PartTimeReview>& reviews);

}  // namespace rollcall::store
