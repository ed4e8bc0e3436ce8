// store.h
//
// The school's persistent data behind one interface. Callers see only this
// header and the factories at the bottom: an SQLite store (the embedded
// default: WAL, foreign keys on, numbered forward-only migrations), a
// PostgreSQL store (many schools in one database, kept apart by row-level
// security) and an in-memory store for tests. One test suite
// (tests/store/store_test.cc) runs against all three, so they behave the
// same.
//
// Every method is atomic: it either applies all of its writes or none and
// returns the error. Every method is safe to call from several threads.
//
// Marks are never changed without a trace: SaveMarks writes each change of a
// mark together with an audit row (old mark, new mark, reason, time, the
// amender's name and role) in one transaction, and the store has no way to
// change or delete an audit row (the SQLite schema rejects both with a
// trigger).
//
// Times are Unix seconds (UTC); times of day are minutes after midnight.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/calendar.h"
#include "core/cme.h"
#include "core/codes.h"
#include "core/date.h"
#include "core/graduated.h"
#include "core/part_time.h"
#include "core/session.h"
#include "core/status.h"

namespace rollcall::store {

// Stored: do not renumber.
enum class Role : uint8_t {
  kTeacher = 1,    // own classes' registers
  kOffice = 2,     // attendance officer: whole school, codes and amendments
  kHead = 3,       // head / attendance lead: as office, plus policy and staff
  kGovernor = 4,   // aggregates only
  kLaOfficer = 5,  // schools linked to their LA
  kParent = 6,     // own children
};
std::string_view RoleName(Role role);  // "teacher", "office", "head", "governor", "la", "parent"
std::optional<Role> RoleFromName(std::string_view name);

struct School {
  std::string name;
  std::string urn;      // unique reference number, 6 digits
  std::string la_code;  // 3-digit LA number, e.g. "909"
  std::string phase;    // "primary", "secondary", "all-through"
};

// School policy settings. Every change is a new version; old versions are kept.
struct Settings {
  int64_t version = 0;  // assigned by SaveSettings: 1, 2, ...
  int am_start_minute = 8 * 60 + 45;
  int pm_start_minute = 13 * 60 + 15;
  int register_close_minutes = 30;  // after session start; 0..30 (Regulations 2024)
  // Policy overrides in the conformance scenario format ("policy" object):
  // thresholds and bands. Stored as text; validated by the caller.
  std::string policy_json = "{}";
  std::string target_attendance_pct = "96";  // school target, decimal text
  int64_t set_at = 0;
  std::string set_by;  // display name of who set it
};

struct Term {
  int64_t id = 0;
  std::string name;  // e.g. "Autumn 2026"
  core::Date start;
  core::Date end;  // inclusive
};

struct Closure {
  core::Date date;
  core::ClosureSessions sessions = core::ClosureSessions::kBoth;
  std::string reason;
};

// The school's calendar as the rules see it: its terms and closures.
core::Calendar CalendarOf(const std::vector<Term>& terms, const std::vector<Closure>& closures);

struct Class {
  int64_t id = 0;
  std::string name;    // registration group, e.g. "3B"
  int year_group = 0;  // 0 = Reception, 1..13
  std::vector<int64_t> teacher_ids;
};

// A cohort characteristic held over a date range. Flags: FSM, PP (pupil
// premium), SEN_K (SEN support), EHCP, CLA (looked after), SW (social worker
// or child protection), YC (young carer), EAL.
struct CohortFlag {
  std::string flag;
  core::Date from;
  std::optional<core::Date> to;  // inclusive; nullopt: still holds
};

// An admission register entry: on roll from `start`; a deletion sets `end`
// (last day on roll), the ground (a letter a-o of the 2024 Regulations) and
// the destination school or reason.
struct Enrolment {
  core::Date start;
  std::optional<core::Date> end;
  std::string deletion_ground;
  std::string destination;
};

struct Contact {
  int priority = 1;  // 1 = call first
  std::string name;
  std::string relationship;
  std::string phone;
  std::string email;
  std::optional<int64_t> user_id;  // the parent's account, if they have one
};

struct Pupil {
  int64_t id = 0;   // assigned by AddPupil
  std::string upn;  // 13 characters with check letter; validated by the caller
  std::string legal_given_name;
  std::string legal_family_name;
  std::string preferred_given_name;  // empty: same as legal
  std::string preferred_family_name;
  core::Date date_of_birth;
  std::string sex;  // "F", "M"
  int year_group = 0;
  std::optional<int64_t> class_id;
  std::vector<CohortFlag> flags;
  std::vector<Enrolment> enrolments;  // sorted by start
  std::vector<Contact> contacts;      // sorted by priority
};

struct User {
  int64_t id = 0;  // assigned by AddUser
  std::string username;
  std::string display_name;
  Role role = Role::kTeacher;
  std::string password_hash;  // argon2id string from libsodium
  std::string la_code;        // LA officers: their authority
  bool active = true;
  std::vector<int64_t> class_ids;  // teachers: classes they register
  std::vector<int64_t> pupil_ids;  // parents: their children
};

// Who makes a change, as recorded in the audit trail.
struct Actor {
  int64_t user_id = 0;
  std::string name;
  Role role = Role::kOffice;
};

struct Mark {
  int64_t pupil_id = 0;
  core::SessionKey slot;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;  // late arrivals
  int64_t recorded_at = 0;
  int64_t recorded_by = 0;  // user id
};

struct MarkWrite {
  int64_t pupil_id = 0;
  core::SessionKey slot;
  core::AttendanceCode code = core::AttendanceCode::kPresentAm;
  std::optional<int> arrival_minute;
  std::string reason;  // recorded in the audit row
  // Who and when, when not the SaveMarks call's actor and time: lets the
  // service commit writes from several users in one transaction.
  std::optional<Actor> actor;
  std::optional<int64_t> at;
};

// One row of the audit trail: every recording or change of a mark.
struct Amendment {
  int64_t id = 0;
  int64_t pupil_id = 0;
  core::SessionKey slot;
  std::optional<core::AttendanceCode> old_code;  // nullopt: first recording
  std::optional<int> old_arrival_minute;
  core::AttendanceCode new_code = core::AttendanceCode::kPresentAm;
  std::optional<int> new_arrival_minute;
  std::string reason;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

// A logged-in browser or API client. The token itself is never stored, only
// its hash.
struct AuthSession {
  std::string token_hash;  // hex SHA-256 (or similar) of the cookie token
  int64_t user_id = 0;
  std::string csrf_token;
  int64_t created_at = 0;
  int64_t expires_at = 0;
};

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
  std::string outcome;  // set when closed
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
  std::string outcome;                    // reviews: "improved" or "not_improved"
  std::string attendance_before;          // reviews: the figures quoted, e.g. "88.2%"
  std::string attendance_after;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

// The key of the LA notification of `kind` ("new_admission", "deletion",
// "sickness", ...) about a pupil, triggered on `trigger`: "kind.pupil.date".
std::string NotificationKey(std::string_view kind, int64_t pupil_id, core::Date trigger);

// A change of status of one LA notification (keyed by NotificationKey).
struct NotificationEvent {
  int64_t id = 0;  // assigned by AddNotificationEvent
  std::string notification;
  std::string status;  // "sent" or "acknowledged"
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
  std::string note;
};

// InvalidArgument SUPPORT_EVENT_INVALID when an action plan has no review date
// or a review has no plan or no outcome ("improved" or "not_improved").
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

// A review of a part-time timetable. outcome "continue" keeps the end date,
// "extend" moves it later, "end" brings it forward (the pupil returns to
// full time after `end`). Append-only; the latest review's end is in force.
struct PartTimeReview {
  int64_t id = 0;  // assigned by AddPartTimeReview
  int64_t timetable_id = 0;
  core::Date held_on;
  std::string outcome;
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

// A letter sent to a pupil's parents, kept exactly as sent with the figures
// it quoted. Append-only.
struct Letter {
  int64_t id = 0;     // assigned by AddLetters
  int64_t batch = 0;  // the first id of the letters generated together
  int64_t pupil_id = 0;
  std::string template_key;  // "termly_rag", "attendance_concern", ...
  std::string addressee;     // "Mrs A Khan"
  std::string subject;
  std::string body;          // paragraphs separated by blank lines
  std::string figures_json;  // the figures quoted, as a JSON object
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kOffice;
};

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

// InvalidArgument VALUE_INVALID for an empty batch, a letter without a
// subject or body, or figures that are not a JSON object. Both stores check
// it before writing.
struct Letter;
core::Status CheckLetters(const std::vector<Letter>& letters);

// InvalidArgument LEAVE_INVALID: see Store::AddLeaveRequest.
struct LeaveRequest;
core::Status CheckLeaveRequest(const LeaveRequest& r);

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

// A request for leave of absence (core/leave.h), from a parent or entered by
// the office. Append-only; decided once (LeaveDecision).
struct LeaveRequest {
  int64_t id = 0;  // assigned by AddLeaveRequest
  int64_t pupil_id = 0;
  core::SessionKey from;
  core::SessionKey to;                                             // inclusive; from <= to
  core::AttendanceCode code = core::AttendanceCode::kExceptional;  // C1, M, J1, S or C
  std::string reason;
  std::string evidence;  // what was provided: "appointment letter", "licence LA/123"
  core::Date received_on;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kParent;
};

// The one decision on a request: "granted" or "refused" (by the head), or
// "withdrawn" (by whoever asked), with the reason and the letter sent.
struct LeaveDecision {
  int64_t id = 0;
  int64_t request_id = 0;
  std::string decision;
  std::string reason;
  std::optional<int64_t> letter_id;
  int64_t at = 0;
  int64_t by_user_id = 0;
  std::string by_name;
  Role by_role = Role::kHead;
};

struct SaveMarksResult {
  int changed = 0;    // marks inserted or changed (one audit row each)
  int unchanged = 0;  // same code and arrival as stored: nothing written
};

class Store {
 public:
  virtual ~Store() = default;

  // School and settings.
  virtual core::StatusOr<School> GetSchool() = 0;  // NotFound before SetSchool
  virtual core::Status SetSchool(const School& school) = 0;
  // The newest settings; NotFound when none were ever saved.
  virtual core::StatusOr<Settings> GetSettings() = 0;
  // Saves a new version (settings.version is ignored) and returns its number.
  virtual core::StatusOr<int64_t> SaveSettings(const Settings& settings) = 0;
  virtual core::StatusOr<std::vector<Settings>> SettingsHistory() = 0;  // oldest first

  // Calendar.
  virtual core::StatusOr<std::vector<Term>> ListTerms() = 0;  // by start
  virtual core::StatusOr<int64_t> AddTerm(const Term& term) = 0;
  virtual core::StatusOr<std::vector<Closure>> ListClosures() = 0;  // by date
  // Adds or replaces the closure on closure.date.
  virtual core::Status SetClosure(const Closure& closure) = 0;

  // Classes.
  virtual core::StatusOr<std::vector<Class>> ListClasses() = 0;  // by name
  virtual core::StatusOr<int64_t> AddClass(const Class& c) = 0;
  virtual core::Status SetClassTeachers(int64_t class_id, const std::vector<int64_t>& user_ids) = 0;

  // Pupils, with their flags, enrolments and contacts.
  virtual core::StatusOr<std::vector<Pupil>> ListPupils() = 0;  // by id
  virtual core::StatusOr<Pupil> GetPupil(int64_t id) = 0;       // NotFound: PUPIL_UNKNOWN
  // Conflict (PUPIL_DUPLICATE) when the UPN is already used.
  virtual core::StatusOr<int64_t> AddPupil(const Pupil& pupil) = 0;
  // Replaces everything about pupil.id (flags, enrolments, contacts too).
  virtual core::Status UpdatePupil(const Pupil& pupil) = 0;

  // Users. Usernames are unique (Conflict USER_DUPLICATE).
  virtual core::StatusOr<int64_t> AddUser(const User& user) = 0;
  virtual core::Status UpdateUser(const User& user) = 0;
  virtual core::StatusOr<User> GetUser(int64_t id) = 0;  // NotFound USER_UNKNOWN
  virtual core::StatusOr<User> FindUserByName(std::string_view username) = 0;
  virtual core::StatusOr<std::vector<User>> ListUsers() = 0;

  // Marks. SaveMarks applies all writes or none. A write equal to the stored
  // mark (code and arrival) changes nothing; any other write stores the mark
  // and appends its audit row, stamped `at` and `actor`.
  virtual core::StatusOr<SaveMarksResult> SaveMarks(const std::vector<MarkWrite>& writes,
                                                    const Actor& actor, int64_t at) = 0;
  virtual core::StatusOr<std::vector<Mark>> MarksForSession(core::SessionKey slot) = 0;
  virtual core::StatusOr<std::vector<Mark>> MarksForPupil(int64_t pupil_id) = 0;  // by slot
  virtual core::StatusOr<std::vector<Mark>> AllMarks() = 0;  // by pupil, then slot
  // The audit trail of one pupil's marks, oldest first.
  virtual core::StatusOr<std::vector<Amendment>> AmendmentsForPupil(int64_t pupil_id) = 0;
  virtual core::StatusOr<int64_t> CountAmendments() = 0;
  // Changes whenever another process commits to this store's database (a
  // `rollcall import` beside a running server), never for this store's own
  // writes. nullopt where that cannot be told: PostgreSQL and memory.
  virtual core::StatusOr<std::optional<int64_t>> OutsideCommits() = 0;

  // Absence reports. NotFound PUPIL_UNKNOWN for an unknown pupil.
  virtual core::StatusOr<int64_t> AddAbsenceReport(const AbsenceReport& report) = 0;
  // Newest first (by reported_at, then id); only unresolved ones when open_only.
  virtual core::StatusOr<std::vector<AbsenceReport>> ListAbsenceReports(bool open_only) = 0;
  // NotFound ABSENCE_REPORT_UNKNOWN; Conflict ABSENCE_REPORT_RESOLVED when
  // already resolved (the first resolution stands).
  virtual core::Status ResolveAbsenceReport(int64_t id, int64_t at, int64_t by_user_id,
                                            const std::string& resolution) = 0;

  // Contact log. AddContactLogEntry: NotFound PUPIL_UNKNOWN for an unknown
  // pupil; InvalidArgument CONTACT_OUTCOME_INVALID when the outcome is not
  // one of OutcomesOf(method).
  virtual core::StatusOr<int64_t> AddContactLogEntry(const ContactLogEntry& entry) = 0;
  // Newest first (by at, then id).
  virtual core::StatusOr<std::vector<ContactLogEntry>> ContactLogForPupil(int64_t pupil_id) = 0;
  // Every pupil's entries made at or after `since`, newest first.
  virtual core::StatusOr<std::vector<ContactLogEntry>> ContactLogSince(int64_t since) = 0;

  // CME cases. OpenCmeCase: NotFound PUPIL_UNKNOWN; Conflict CME_CASE_OPEN
  // when the pupil already has an open case.
  virtual core::StatusOr<int64_t> OpenCmeCase(const CmeCase& c) = 0;
  virtual core::StatusOr<std::vector<CmeCase>> ListCmeCases(bool open_only) = 0;  // by id
  // One pupil's open case, if any (checked after each of their marks).
  virtual core::StatusOr<std::optional<CmeCase>> OpenCmeCaseOf(int64_t pupil_id) = 0;
  // NotFound CME_CASE_UNKNOWN; Conflict CME_CASE_CLOSED when already closed.
  virtual core::Status CloseCmeCase(int64_t id, int64_t at, const std::string& outcome,
                                    const std::string& by_name) = 0;
  // NotFound CME_CASE_UNKNOWN; Conflict CME_CASE_CLOSED on a closed case.
  virtual core::StatusOr<int64_t> RecordCmeStep(const CmeStepRecord& record) = 0;
  virtual core::StatusOr<std::vector<CmeStepRecord>> CmeStepsFor(int64_t case_id) = 0;  // by id

  // Graduated approach. NotFound PUPIL_UNKNOWN for an unknown pupil.
  virtual core::StatusOr<int64_t> AddStageRecord(const StageRecord& record) = 0;
  virtual core::StatusOr<std::vector<StageRecord>> StageHistory(int64_t pupil_id) = 0;  // by id
  // Also InvalidArgument SUPPORT_EVENT_INVALID when an action plan has no
  // review date or a review has no outcome, and NotFound SUPPORT_PLAN_UNKNOWN
  // when a review's plan_id is not one of the pupil's action plans.
  virtual core::StatusOr<int64_t> AddSupportEvent(const SupportEvent& event) = 0;
  virtual core::StatusOr<std::vector<SupportEvent>> SupportEventsFor(int64_t pupil_id) = 0;
  virtual core::StatusOr<std::vector<SupportEvent>> AllSupportEvents() = 0;  // by id

  // LA notifications. InvalidArgument VALUE_INVALID for a status other than
  // "sent" or "acknowledged".
  virtual core::StatusOr<int64_t> AddNotificationEvent(const NotificationEvent& event) = 0;
  virtual core::StatusOr<std::vector<NotificationEvent>> NotificationEvents() = 0;  // by id

  // Part-time timetables. AddPartTimeTimetable: NotFound PUPIL_UNKNOWN;
  // InvalidArgument PART_TIME_INVALID (CheckPartTimeTimetable); Conflict
  // PART_TIME_OVERLAP when it overlaps another of the pupil's timetables as
  // last reviewed. AddPartTimeReview: NotFound PART_TIME_UNKNOWN;
  // InvalidArgument PART_TIME_INVALID (CheckPartTimeReview).
  virtual core::StatusOr<int64_t> AddPartTimeTimetable(const PartTimeTimetable& t) = 0;
  virtual core::StatusOr<int64_t> AddPartTimeReview(const PartTimeReview& r) = 0;
  virtual core::StatusOr<std::vector<PartTimeTimetable>> ListPartTimeTimetables() = 0;  // by id
  virtual core::StatusOr<std::vector<PartTimeReview>> ListPartTimeReviews() = 0;        // by id

  // Letters. AddLetters stores every letter or none (NotFound PUPIL_UNKNOWN;
  // InvalidArgument VALUE_INVALID for an empty list, subject or body), all in
  // one batch (the first letter's id), and appends to each pupil's contact
  // log a letter "sent" to the addressee, noting the subject. Returns the ids.
  virtual core::StatusOr<std::vector<int64_t>> AddLetters(const std::vector<Letter>& letters) = 0;
  virtual core::StatusOr<Letter> GetLetter(int64_t id) = 0;  // NotFound LETTER_UNKNOWN
  virtual core::StatusOr<std::vector<Letter>> LettersForPupil(int64_t pupil_id) = 0;  // by id
  virtual core::StatusOr<std::vector<Letter>> LettersInBatch(int64_t batch) = 0;      // by id
  // Newest batch first: each batch's first letter.
  virtual core::StatusOr<std::vector<Letter>> RecentBatches(int limit) = 0;

  // Penalty-notice cases. OpenPenaltyCase: NotFound PUPIL_UNKNOWN; Conflict
  // PENALTY_CASE_EXISTS for a second case of the same kind at the same alert.
  // AddPenaltyEvent: NotFound PENALTY_CASE_UNKNOWN, or PENALTY_NOTICE_UNKNOWN
  // when notice_id is not a notice of the case; InvalidArgument
  // PENALTY_EVENT_INVALID (CheckPenaltyEvent); Conflict PENALTY_CASE_CLOSED
  // after the case's "closed" event.
  virtual core::StatusOr<int64_t> OpenPenaltyCase(const PenaltyCase& c) = 0;
  virtual core::StatusOr<std::vector<PenaltyCase>> ListPenaltyCases() = 0;  // by id
  // One pupil's cases, by id (checked after each of their marks).
  virtual core::StatusOr<std::vector<PenaltyCase>> PenaltyCasesOf(int64_t pupil_id) = 0;
  virtual core::StatusOr<int64_t> AddPenaltyEvent(const PenaltyEvent& e) = 0;
  virtual core::StatusOr<std::vector<PenaltyEvent>> PenaltyEvents() = 0;  // every case's, by id
  // NotFound PENALTY_CASE_UNKNOWN; InvalidArgument VALUE_INVALID unless the
  // content is JSON.
  virtual core::StatusOr<int64_t> AddEvidencePack(const EvidencePack& pack) = 0;
  virtual core::StatusOr<std::vector<EvidencePack>> EvidencePacksFor(int64_t case_id) = 0;

  // Leave of absence. AddLeaveRequest: NotFound PUPIL_UNKNOWN;
  // InvalidArgument LEAVE_INVALID (not a leave code, to before from, no
  // reason). DecideLeave: NotFound LEAVE_UNKNOWN; Conflict LEAVE_DECIDED
  // when the request already has its decision; InvalidArgument LEAVE_INVALID
  // for another decision than granted, refused or withdrawn. When `letter`
  // is given it is stored too (as AddLetters) in the same transaction, and
  // the decision records its id.
  virtual core::StatusOr<int64_t> AddLeaveRequest(const LeaveRequest& r) = 0;
  virtual core::StatusOr<std::vector<LeaveRequest>> ListLeaveRequests() = 0;  // by id
  virtual core::StatusOr<int64_t> DecideLeave(const LeaveDecision& d,
                                              const std::optional<Letter>& letter) = 0;
  virtual core::StatusOr<std::vector<LeaveDecision>> ListLeaveDecisions() = 0;  // by id

  // Login sessions.
  virtual core::Status CreateAuthSession(const AuthSession& session) = 0;
  virtual core::StatusOr<AuthSession> FindAuthSession(std::string_view token_hash) = 0;
  virtual core::Status DeleteAuthSession(std::string_view token_hash) = 0;
  virtual core::Status DeleteExpiredAuthSessions(int64_t now) = 0;
  // Sets the user's password hash and ends every login session of theirs, in
  // one transaction: a changed or reset password never leaves an old login
  // open. NotFound USER_UNKNOWN for an unknown user.
  virtual core::Status SetPassword(int64_t user_id, std::string_view password_hash) = 0;
};

// Opens (creating if missing) the SQLite database at `path` and applies any
// migrations it lacks. Unavailable (DB_OPEN) when the file cannot be opened;
// Internal (DB_MIGRATION) when the schema is newer than this binary.
core::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);
// Applies missing migrations and returns the schema version now in force.
core::StatusOr<int> MigrateSqlite(const std::string& path);

// Connects to PostgreSQL with a libpq connection string ("postgresql://
// user@host/db" or "host=... dbname=..."), applies any migrations it lacks,
// and opens the store of the school with `school_urn` (registering it when
// new). One database holds many schools: the store sees and writes only this
// school's rows, which row-level security enforces in the database itself
// (migrations/postgres/0001_initial.sql). The role must not be a superuser
// or have BYPASSRLS. Unavailable (DB_OPEN) when it cannot connect;
// PermissionDenied (DB_OPEN) for a role that bypasses row-level security;
// InvalidArgument (VALUE_INVALID) for an empty or odd URN; Internal
// (DB_MIGRATION) when the schema is newer than this binary.
core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                         const std::string& school_urn);
// A read-only store over every school whose LA code (School.la_code, as set
// with SetSchool) is `la_code`, for LA officers: lists return the rows of all
// of those schools and nothing of any other; every write fails with
// PermissionDenied (DB_ERROR).
core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(const std::string& conninfo,
                                                          const std::string& la_code);
// Applies missing migrations and returns the schema version now in force.
core::StatusOr<int> MigratePostgres(const std::string& conninfo);
// True when `db` names a PostgreSQL database ("postgresql://..." or
// "postgres://...") rather than an SQLite file.
bool IsPostgresUri(std::string_view db);

// A store in memory: SQLite's ":memory:" database with every migration, so
// it holds exactly the rules of a file-backed store. For tests and throwaway
// runs; gone when destroyed. Only running out of memory makes it fail, and
// then the process stops.
std::unique_ptr<Store> NewMemoryStore();

}  // namespace rollcall::store
