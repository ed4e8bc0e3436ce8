// store.h
//
// The school's persistent data behind one interface. Callers see only this
// header and the factories at the bottom: an SQLite store (the embedded
// default: WAL, foreign keys on, numbered forward-only migrations), a
// PostgreSQL store (many schools in one database, kept apart by row-level
// security) and SQLite in memory for tests. One test suite
// (tests/store/store_test.cc) runs against all three, so they behave the
// same. The records are declared by aggregate, one header each: people.h
// (the school, pupils, accounts), registers.h (marks and their audit),
// casework.h, penalties.h, leave.h, letters.h, la_returns.h, api_tokens.h,
// share.h, webhooks.h, census.h, messaging.h, evidence.h, retention.h, access_log.h,
// backup.h, second_factor.h, logins.h, sign_in_out.h and lessons.h.
//
// Every method is atomic: it either applies all of its writes or none and
// returns the error. Every method is safe to call from several threads.
//
// Casework kinds, decisions, outcomes and statuses are enums, stored by
// their frozen names (the ...Name functions beside each record type); a
// stored text that names none reads as Internal DB_BAD_VALUE.
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

#include "core/status.h"
#include "store/access_log.h"
#include "store/api_tokens.h"
#include "store/backup.h"
#include "store/casework.h"
#include "store/census.h"
#include "store/evidence.h"
#include "store/la_returns.h"
#include "store/leave.h"
#include "store/lessons.h"
#include "store/letters.h"
#include "store/logins.h"
#include "store/messaging.h"
#include "store/notifications.h"
#include "store/penalties.h"
#include "store/people.h"
#include "store/registers.h"
#include "store/retention.h"
#include "store/second_factor.h"
#include "store/share.h"
#include "store/sign_in_out.h"
#include "store/webhooks.h"

namespace rollcall::store {

// A whole school as set-up creates it (Store::CreateSchool).
struct NewSchool {
  School school;
  Settings settings;
  std::vector<Term> terms;
  std::vector<Closure> closures;  // at most one a date
  std::vector<User> users;        // their class_ids and pupil_ids are ignored
  // Each class's teacher_ids are positions in `users`, not ids.
  std::vector<Class> classes;
};

// Where a reader of other processes' changes got to (Store::ChangesSince).
// A default cursor has read nothing yet.
struct ChangeCursor {
  bool read = false;
  // SQLite: PRAGMA data_version when last read.
  int64_t commits = 0;
  // PostgreSQL: the school's count of changes other than marks written, and
  // the oldest transaction still running, when last read.
  int64_t school_changes = 0;
  int64_t xmin = 0;
};

// What other processes committed since a cursor.
struct OutsideChanges {
  // Something other than a mark written changed (or the store cannot say
  // what): read the whole school again.
  bool reload = false;
  // The marks written since, each as now stored (some perhaps already seen,
  // or written by this process): apply them again, which changes nothing.
  std::vector<Mark> marks;
  ChangeCursor next;
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
  // Writes a whole new school in one transaction: the school, its first
  // settings, calendar, accounts and classes with their teachers. Conflict
  // SCHOOL_EXISTS when the store already has a school; USER_DUPLICATE when
  // two users share a username; NotFound USER_UNKNOWN when a class names a
  // position outside `users`.
  virtual core::Status CreateSchool(const NewSchool& school) = 0;

  // Calendar.
  virtual core::StatusOr<std::vector<Term>> ListTerms() = 0;  // by start
  virtual core::StatusOr<int64_t> AddTerm(const Term& term) = 0;
  virtual core::StatusOr<std::vector<Closure>> ListClosures() = 0;  // by date
  // Adds or replaces the closure on closure.date.
  virtual core::Status SetClosure(const Closure& closure) = 0;
  // Replaces every term and closure with these, in one transaction (terms
  // get new ids). Marks are not looked at: the caller checks that none is
  // left on a session the new calendar does not open.
  virtual core::Status ReplaceCalendar(const std::vector<Term>& terms,
                                       const std::vector<Closure>& closures) = 0;

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
  // One write of the admission register, all or nothing: `new_classes` are
  // added first, and a pupil whose class_id is -(i+1) is placed in
  // new_classes[i]; each pupil with id 0 is admitted (Conflict
  // PUPIL_DUPLICATE when its UPN is used), any other replaces that pupil
  // wholly (as UpdatePupil). Every admission-register field that changes is
  // appended to the pupil's AdmissionChanges, stamped `at`, `actor` and
  // `reason`, in the same transaction. Returns the pupils' ids in order.
  virtual core::StatusOr<std::vector<int64_t>> SavePupils(const std::vector<Class>& new_classes,
                                                          const std::vector<Pupil>& pupils,
                                                          const Actor& actor, int64_t at,
                                                          const std::string& reason) = 0;
  // A pupil's admission register changes, oldest first.
  virtual core::StatusOr<std::vector<AdmissionChange>> AdmissionChangesFor(int64_t pupil_id) = 0;
  // The Common Transfer Files owed, by id. SavePupils records one, in its
  // transaction, whenever an enrolment of a pupil already on the register
  // gains its last day (a deletion); admitting a pupil whose enrolment has
  // already ended (history from an old system) records none.
  virtual core::StatusOr<std::vector<TransferOwed>> TransfersOwed() = 0;
  // Stamps the transfers `ids` produced at `at`, in one transaction; one
  // produced before keeps its first time (NotFound TRANSFER_UNKNOWN for an
  // id that is none).
  virtual core::Status MarkTransfersProduced(const std::vector<int64_t>& ids, int64_t at) = 0;
  // A Common Transfer File received, all or nothing: SavePupils(new_classes,
  // pupils, actor, at, reason), then each row of `previous` (a pupil_id of
  // -(i+1) is pupils[i]) replaces the pupil's row of the same academic year,
  // LA and establishment, if any. Returns the pupils' ids in order.
  virtual core::StatusOr<std::vector<int64_t>> ImportTransfer(
      const std::vector<Class>& new_classes, const std::vector<Pupil>& pupils,
      const std::vector<PreviousAttendance>& previous, const Actor& actor, int64_t at,
      const std::string& reason) = 0;
  // A pupil's attendance at previous schools, by academic year, LA and
  // establishment (NotFound PUPIL_UNKNOWN).
  virtual core::StatusOr<std::vector<PreviousAttendance>> PreviousAttendanceFor(
      int64_t pupil_id) = 0;
  // Every pupil's attendance at previous schools in one academic year (its
  // first calendar year), by pupil id, LA and establishment: the early
  // warning's "last year" for pupils whose marks of that year are elsewhere.
  virtual core::StatusOr<std::vector<PreviousAttendance>> PreviousAttendanceInYear(
      int academic_year) = 0;

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
  // What was committed to this school since `cursor`, read in one
  // statement (one round trip), and where the next call should start. With a
  // default cursor it reads only the cursor and says `reload`: call it so
  // before reading the school, and everything committed after (or while)
  // the school was read comes back from the next call. PostgreSQL: marks
  // written, row by row, and whether anything else the school keeps in
  // memory changed; this store's own writes come back too. SQLite: `reload`
  // whenever another connection committed, never for this store's own
  // writes. Memory: never anything.
  virtual core::StatusOr<OutsideChanges> ChangesSince(const ChangeCursor& cursor) = 0;

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
  // sent or acknowledged.
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
  // AddLetters, and in the same transaction the emails that carry them:
  // emails[k] are letter k's (emails is empty or as long as letters), each
  // queued with the idempotency key "letter/<letter id>/<its key>" (the
  // letter's id is known only once it is written). Returns the letters' ids.
  virtual core::StatusOr<std::vector<int64_t>> AddLettersWithEmails(
      const std::vector<Letter>& letters,
      const std::vector<std::vector<OutboxMessage>>& emails) = 0;
  // Records that printed letters went in the post on `posted_on`, once per
  // letter: NotFound LETTER_UNKNOWN; Conflict LETTER_POSTED when one
  // already has a posting date (then none is recorded).
  virtual core::Status RecordLettersPosted(const std::vector<int64_t>& letter_ids,
                                           core::Date posted_on, int64_t at, int64_t by_user_id,
                                           const std::string& by_name) = 0;
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
  // after the case's closed event. AddPenaltyWindow: NotFound
  // PENALTY_CASE_UNKNOWN; Conflict PENALTY_CASE_CLOSED once the case is
  // closed, PENALTY_CASE_EXISTS when the case already cites that alert.
  virtual core::StatusOr<int64_t> OpenPenaltyCase(const PenaltyCase& c) = 0;
  virtual core::StatusOr<int64_t> AddPenaltyWindow(const PenaltyWindow& w) = 0;
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
  // when the request already has its decision. When `letter` is given it is
  // stored too (as AddLetters) in the same transaction, and the decision
  // records its id.
  virtual core::StatusOr<int64_t> AddLeaveRequest(const LeaveRequest& r) = 0;
  virtual core::StatusOr<std::vector<LeaveRequest>> ListLeaveRequests() = 0;  // by id
  virtual core::StatusOr<int64_t> DecideLeave(const LeaveDecision& d,
                                              const std::optional<Letter>& letter) = 0;
  virtual core::StatusOr<std::vector<LeaveDecision>> ListLeaveDecisions() = 0;  // by id

  // The daily attendance share (share.h). ListShares: the log, by id.
  // SharedMarks: every session's mark as last shared, by pupil, then slot.
  // MarksToShare: every mark whose code or arrival differs from its
  // session's mark as last shared, or that was never shared, with what was
  // shared, by pupil, then slot (worked out in the database: a school's
  // years of marks are not read to find a day's changes).
  // RecordShare logs `share`, whose id must be the next version (one more
  // than the last logged; Conflict SHARE_VERSION_TAKEN otherwise, when
  // another process shared meanwhile), and, when it is ok, stores each of
  // `sent` as its session's mark last shared (share_id = share.id), all in
  // one transaction. A failed share changes nothing but the log.
  virtual core::StatusOr<std::vector<Share>> ListShares() = 0;
  virtual core::StatusOr<std::vector<SharedMark>> SharedMarks() = 0;
  virtual core::StatusOr<std::vector<MarkToShare>> MarksToShare() = 0;
  virtual core::Status RecordShare(const Share& share, const std::vector<SharedMark>& sent) = 0;

  // Login sessions.
  virtual core::Status CreateAuthSession(const AuthSession& session) = 0;
  virtual core::StatusOr<AuthSession> FindAuthSession(std::string_view token_hash) = 0;
  virtual core::Status DeleteAuthSession(std::string_view token_hash) = 0;
  virtual core::Status DeleteExpiredAuthSessions(int64_t now) = 0;
  // Sets the session's last_seen_at (no error when there is no such session).
  virtual core::Status TouchAuthSession(std::string_view token_hash, int64_t seen_at) = 0;
  // Ends every login session of the user (none is no error).
  virtual core::Status DeleteAuthSessionsOf(int64_t user_id) = 0;
  // Sets the user's password hash and ends every login session of theirs, in
  // one transaction: a changed or reset password never leaves an old login
  // open. NotFound USER_UNKNOWN for an unknown user.
  virtual core::Status SetPassword(int64_t user_id, std::string_view password_hash) = 0;

  // Failed logins (logins.h), for the throttle of every process alike.
  // RecordLoginFailure appends `failure` and, in the same transaction,
  // deletes the rows no count needs any more: those before failure.at -
  // window_seconds that are cleared, or whose username and address have had
  // no uncleared failure since then (a pair quiet for longer than the
  // window starts again from nothing). CountLoginFailures: the uncleared failures
  // of `username` from `address`, however old. CountAddressFailures: every
  // failure from `address` after `since`, cleared ones too.
  // ClearLoginFailures: the pair's failures no longer count for it (a right
  // password), but still count towards the address's.
  virtual core::Status RecordLoginFailure(const LoginFailure& failure, int64_t window_seconds) = 0;
  virtual core::StatusOr<FailureCount> CountLoginFailures(std::string_view username,
                                                          std::string_view address) = 0;
  virtual core::StatusOr<FailureCount> CountAddressFailures(std::string_view address,
                                                            int64_t since) = 0;
  virtual core::Status ClearLoginFailures(std::string_view username, std::string_view address) = 0;

  // Pending logins (logins.h). CreatePendingLogin stores one and, in the
  // same transaction, deletes those expired by its created_at: NotFound
  // USER_UNKNOWN for an unknown account; InvalidArgument VALUE_INVALID for a
  // token hash that is not 64 characters. The others: NotFound
  // PENDING_LOGIN_ENDED when `token_hash` has no pending login (expired
  // ones included: the caller compares expires_at with its clock).
  // CountPendingWrongCode adds one wrong code and returns how many there
  // are now; BeginPendingEnrolment marks its enrolment begun and returns
  // whether it already was. DeletePendingLogin returns whether it deleted
  // one (none is no error): a caller that must end it exactly once checks.
  virtual core::Status CreatePendingLogin(const PendingLoginRecord& pending) = 0;
  virtual core::StatusOr<PendingLoginRecord> FindPendingLogin(std::string_view token_hash) = 0;
  virtual core::StatusOr<int> CountPendingWrongCode(std::string_view token_hash) = 0;
  virtual core::StatusOr<bool> BeginPendingEnrolment(std::string_view token_hash) = 0;
  virtual core::StatusOr<bool> DeletePendingLogin(std::string_view token_hash) = 0;

  // Leases of scheduled jobs. TryTakeLease, in one write transaction, gives
  // `job` to `holder` until `until` when no one holds it, when its lease ran
  // out (until <= now), or when `holder` holds it already (renewed): true;
  // false, changing nothing, while another holder's lease runs.
  // ReleaseLease gives it up when `holder` holds it (else changes nothing).
  // InvalidArgument VALUE_INVALID for an empty or over-long job (64) or
  // holder (200).
  virtual core::StatusOr<bool> TryTakeLease(std::string_view job, std::string_view holder,
                                            int64_t now, int64_t until) = 0;
  virtual core::Status ReleaseLease(std::string_view job, std::string_view holder) = 0;

  // One-time links to set a password (Invite). AddInvite stores the link
  // and ends the account's earlier links not yet used (ended_at =
  // invite.created_at), in one transaction; with `new_user`, that account
  // is added first in the same transaction (as AddUser) and the link is for
  // it, whatever invite.user_id says. Returns the account's id. NotFound
  // USER_UNKNOWN; Conflict USER_DUPLICATE.
  virtual core::StatusOr<int64_t> AddInvite(const Invite& invite,
                                            const std::optional<User>& new_user) = 0;
  // The link whose token has this hash: NotFound INVITE_UNKNOWN.
  virtual core::StatusOr<Invite> FindInvite(std::string_view token_hash) = 0;
  // Sets the account's password with the link, marks the link used and ends
  // every login session of the account, in one transaction. NotFound
  // INVITE_UNKNOWN; Conflict INVITE_ENDED when the link was used
  // or ended, has expired by `at`, or its account is disabled.
  virtual core::Status UseInvite(std::string_view token_hash, std::string_view password_hash,
                                 int64_t at) = 0;
  // Disables or re-enables an account. Disabling also ends every login
  // session and every open link of it (ended_at = `at`), in one
  // transaction. NotFound USER_UNKNOWN.
  virtual core::Status SetUserActive(int64_t user_id, bool active, int64_t at) = 0;

  // Second factors (second_factor.h). GetSecondFactor: NotFound
  // USER_UNKNOWN when the account has none. StartSecondFactor stores a new,
  // unconfirmed one, replacing an unconfirmed one; Conflict
  // SECOND_FACTOR_ENROLLED when a confirmed one exists. ConfirmSecondFactor
  // confirms the unconfirmed one (its last_step = `step`), stores the
  // recovery codes' hashes and appends `event`, in one transaction; Conflict
  // SECOND_FACTOR_ENROLLED when none is unconfirmed. UseTotpStep records that
  // the code of `step` was used: false, changing nothing, when that step or a
  // later one already was (a replay) or no confirmed one exists. UseRecoveryCode
  // marks the unused code with this hash used and appends `event`: false
  // when there is none. ReplaceRecoveryCodes drops the account's codes and
  // stores these, appending `event`. RemoveSecondFactor deletes the
  // account's second factor and codes and appends `event` (NotFound
  // USER_UNKNOWN when it has none). SecondFactorEvents: newest first, at
  // most `limit`. GetSecondFactorPolicy: required = false when never set.
  virtual core::StatusOr<SecondFactor> GetSecondFactor(int64_t user_id) = 0;
  virtual core::Status StartSecondFactor(const SecondFactor& factor) = 0;
  virtual core::Status ConfirmSecondFactor(int64_t user_id, int64_t step, int64_t at,
                                           const std::vector<std::string>& recovery_hashes,
                                           const SecondFactorEvent& event) = 0;
  virtual core::StatusOr<bool> UseTotpStep(int64_t user_id, int64_t step) = 0;
  virtual core::StatusOr<bool> UseRecoveryCode(int64_t user_id, std::string_view code_hash,
                                               const SecondFactorEvent& event) = 0;
  virtual core::Status ReplaceRecoveryCodes(int64_t user_id,
                                            const std::vector<std::string>& recovery_hashes,
                                            const SecondFactorEvent& event) = 0;
  virtual core::StatusOr<int> RecoveryCodesLeft(int64_t user_id) = 0;
  virtual core::Status RemoveSecondFactor(int64_t user_id, const SecondFactorEvent& event) = 0;
  // The accounts with a confirmed second factor.
  virtual core::StatusOr<std::vector<int64_t>> UsersWithSecondFactor() = 0;
  virtual core::StatusOr<std::vector<SecondFactorEvent>> SecondFactorEvents(int limit) = 0;
  virtual core::StatusOr<SecondFactorPolicy> GetSecondFactorPolicy() = 0;
  virtual core::Status SaveSecondFactorPolicy(const SecondFactorPolicy& policy) = 0;

  // API tokens (api_tokens.h). AddApiToken returns the id (NotFound
  // USER_UNKNOWN for an unknown creator). FindApiToken: NotFound
  // TOKEN_INVALID when no token has this hash. RevokeApiToken: NotFound
  // TOKEN_INVALID; a token already revoked keeps its first revocation.
  // AddApiTokenUse appends the use and sets the token's last_used_at, in one
  // transaction (NotFound TOKEN_INVALID). ApiTokenUses: the token's latest
  // `limit` uses, newest first.
  virtual core::StatusOr<int64_t> AddApiToken(const ApiToken& token) = 0;
  virtual core::StatusOr<ApiToken> FindApiToken(std::string_view token_hash) = 0;
  virtual core::StatusOr<std::vector<ApiToken>> ListApiTokens() = 0;  // newest first
  virtual core::Status RevokeApiToken(int64_t id, int64_t at, const std::string& by_name) = 0;
  virtual core::StatusOr<int64_t> AddApiTokenUse(const ApiTokenUse& use) = 0;
  virtual core::StatusOr<std::vector<ApiTokenUse>> ApiTokenUses(int64_t token_id, int limit) = 0;
  // Events (webhooks.h), written by the database's own triggers. Those not
  // yet fanned out, oldest first, at most `limit`; or, with pending_only
  // false, every event, at most `limit` (the store tests read them all).
  virtual core::StatusOr<std::vector<Event>> ListEvents(bool pending_only, int limit) = 0;
  // Fan-out, in one transaction: queues each message (one whose idempotency
  // key is already queued is left as it is, so running fan-out twice for an
  // event queues nothing more), then marks the events fanned out. Returns
  // how many messages were queued now. Also queues a single message (a test
  // delivery) with no events.
  virtual core::StatusOr<int> FanOut(const std::vector<int64_t>& event_ids,
                                     const std::vector<OutboxMessage>& messages) = 0;

  // Webhook subscriptions. SetWebhookActive and DeleteWebhook: NotFound
  // WEBHOOK_UNKNOWN for an unknown or deleted subscription.
  virtual core::StatusOr<int64_t> AddWebhook(const Webhook& webhook) = 0;
  virtual core::StatusOr<std::vector<Webhook>> ListWebhooks() = 0;  // by id, deleted too
  virtual core::Status SetWebhookActive(int64_t id, bool active) = 0;
  // Deactivates the subscription for good (deleted_at = at); its messages
  // stay in the outbox for the log.
  virtual core::Status DeleteWebhook(int64_t id, int64_t at) = 0;

  // The outbox. ClaimDue, in one transaction, takes up to `limit` messages
  // of `channel` that are queued, or sending with an expired lease, and due
  // at `now` (oldest due first), marks them sending until `lease_until` and
  // returns them: a second worker inside the lease claims none of them.
  // Each one claimed from an expired lease has lease_expired set.
  virtual core::StatusOr<std::vector<OutboxMessage>> ClaimDueOutbox(std::string_view channel,
                                                                    int64_t now,
                                                                    int64_t lease_until,
                                                                    int limit) = 0;
  // Appends the attempt and sets the message's state, attempts, last status
  // and answer and next attempt (delivered_at = attempt.at when delivered),
  // in one transaction. A message already delivered stays delivered (two
  // workers may both have sent it once a lease ran out). NotFound
  // OUTBOX_UNKNOWN.
  virtual core::Status RecordOutboxAttempt(const OutboxAttempt& attempt,
                                           const OutboxOutcome& outcome) = 0;
  // Puts a claimed message back in the queue until `next_attempt_at`
  // without an attempt (its subscription is paused). NotFound OUTBOX_UNKNOWN.
  virtual core::Status ReleaseOutbox(int64_t outbox_id, int64_t next_attempt_at) = 0;
  // The newest messages first, at most `limit`; only those in `state` when given.
  virtual core::StatusOr<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxState> state,
                                                                int limit) = 0;
  virtual core::StatusOr<std::vector<OutboxAttempt>> OutboxAttemptsFor(
      int64_t outbox_id) = 0;  // by id
  // School census returns, append-only. AddCensusReturn: InvalidArgument
  // VALUE_INVALID for a year outside 2000-2200 or a negative count.
  // CensusReturns: every return, newest first, without its XML.
  // CensusReturnXml: NotFound NOT_FOUND for an unknown id.
  virtual core::StatusOr<int64_t> AddCensusReturn(const CensusReturnRecord& record) = 0;
  virtual core::StatusOr<std::vector<CensusReturnRecord>> CensusReturns() = 0;
  virtual core::StatusOr<std::string> CensusReturnXml(int64_t id) = 0;

  // How the school sends messages (messaging.h): the newest version, or the
  // defaults (version 0) before any is saved; SaveMessageSettings appends a
  // version and returns its number.
  virtual core::StatusOr<MessageSettings> GetMessageSettings() = 0;
  virtual core::StatusOr<int64_t> SaveMessageSettings(const MessageSettings& settings) = 0;

  // The school's words for its messages (messaging.h): the newest version
  // of each kind that has one, by kind. SaveMessageTemplate appends a
  // version of t.kind (numbered one more than its last) and returns it.
  virtual core::StatusOr<std::vector<MessageTemplateVersion>> CurrentMessageTemplates() = 0;
  virtual core::StatusOr<int64_t> SaveMessageTemplate(const MessageTemplateVersion& t) = 0;

  // Records a day's day-one absence messages and queues `messages` with it,
  // in one transaction; false, writing nothing, when that day has already
  // been run. A message whose idempotency key is already queued is skipped.
  virtual core::StatusOr<bool> RecordDayOneRun(const DayOneRun& run,
                                               const std::vector<OutboxMessage>& messages) = 0;
  // The day's run, or nullopt before it.
  virtual core::StatusOr<std::optional<DayOneRun>> GetDayOneRun(core::Date date) = 0;
  // The outbox rows of event kind `kind` created at or after `since` (Unix
  // seconds), oldest first.
  virtual core::StatusOr<std::vector<OutboxMessage>> OutboxForKindSince(std::string_view kind,
                                                                        int64_t since) = 0;
  // The outbox messages whose idempotency key starts with `prefix` (e.g.
  // "letter/12/"), by id.
  virtual core::StatusOr<std::vector<OutboxMessage>> OutboxWithKeyPrefix(
      const std::string& prefix) = 0;

  // Staff notifications (notifications.h): the newest settings, or the
  // defaults (version 0) before any is saved; SaveNotificationSettings
  // appends a version and returns its number (NotFound USER_UNKNOWN for an
  // attendance lead who is not a user).
  virtual core::StatusOr<NotificationSettings> GetNotificationSettings() = 0;
  virtual core::StatusOr<int64_t> SaveNotificationSettings(const NotificationSettings& s) = 0;
  // Records a job done and queues its messages in one transaction; false,
  // writing nothing, when the job (kind, date, session) was already done.
  virtual core::StatusOr<bool> RecordNotificationRun(
      const NotificationRun& run, const std::vector<OutboxMessage>& messages) = 0;
  // The jobs done on `date`, by id.
  virtual core::StatusOr<std::vector<NotificationRun>> NotificationRunsOn(core::Date date) = 0;
  // Scheduled backups (backup.h). GetBackupSchedule: nullopt before one is
  // saved. SaveBackupSchedule replaces it; InvalidArgument VALUE_INVALID for
  // at_minute outside 0-1439 or keep outside 1-366. AddBackupRun logs one
  // backup and returns its id; RecentBackupRuns gives the newest `limit`,
  // newest first.
  virtual core::StatusOr<std::optional<BackupSchedule>> GetBackupSchedule() = 0;
  virtual core::Status SaveBackupSchedule(const BackupSchedule& schedule) = 0;
  virtual core::StatusOr<int64_t> AddBackupRun(const BackupRun& run) = 0;
  virtual core::StatusOr<std::vector<BackupRun>> RecentBackupRuns(int limit) = 0;
  // Medical evidence (evidence.h). AddMedicalEvidence stores the record
  // with its bytes `content` and, in the same transaction, resolves
  // (resolved_at = uploaded_at) each of the pupil's open requests whose
  // episode shares a day with the evidence's days; returns the id. NotFound
  // PUPIL_UNKNOWN; InvalidArgument EVIDENCE_INVALID for empty content, a
  // size_bytes other than its length, a sha256 that is not 64 hex digits,
  // or to_date before from_date.
  // The lists carry no bytes: EvidenceContent reads one file's.
  // GetMedicalEvidence and EvidenceContent: NotFound EVIDENCE_UNKNOWN.
  virtual core::StatusOr<int64_t> AddMedicalEvidence(const MedicalEvidence& evidence,
                                                     std::string_view content) = 0;
  virtual core::StatusOr<std::vector<MedicalEvidence>> MedicalEvidenceFor(
      int64_t pupil_id) = 0;  // newest first
  // Every pupil's evidence sent at or after `since`, newest first.
  virtual core::StatusOr<std::vector<MedicalEvidence>> MedicalEvidenceSince(int64_t since) = 0;
  virtual core::StatusOr<MedicalEvidence> GetMedicalEvidence(int64_t id) = 0;
  virtual core::StatusOr<std::string> EvidenceContent(int64_t id) = 0;
  // Raises a request and queues its messages in one transaction; false,
  // writing nothing, when the pupil already has a request under the same
  // rule from the same first day. NotFound PUPIL_UNKNOWN.
  virtual core::StatusOr<bool> AddEvidenceRequest(const EvidenceRequest& request,
                                                  const std::vector<OutboxMessage>& messages) = 0;
  // Every request (or only the unresolved ones), by id; or one pupil's.
  virtual core::StatusOr<std::vector<EvidenceRequest>> ListEvidenceRequests(bool open_only) = 0;
  virtual core::StatusOr<std::vector<EvidenceRequest>> EvidenceRequestsFor(int64_t pupil_id) = 0;
  // The rules in force (the defaults, id 0, before any is saved); saving
  // appends a version and returns its id. InvalidArgument VALUE_INVALID for
  // a count outside 1-100.
  virtual core::StatusOr<EvidenceRules> GetEvidenceRules() = 0;
  virtual core::StatusOr<int64_t> SaveEvidenceRules(const EvidenceRules& rules) = 0;
  // Known conditions, by id (the newest a pupil is in force). NotFound
  // PUPIL_UNKNOWN.
  virtual core::StatusOr<int64_t> AddConditionReview(const ConditionReview& review) = 0;
  virtual core::StatusOr<std::vector<ConditionReview>> ListConditionReviews() = 0;
  // Who read a pupil's records (access_log.h). AddAccessLogEntry appends
  // one row and returns its id: NotFound PUPIL_UNKNOWN; InvalidArgument
  // VALUE_INVALID for a kind that is none of the kAccess... names.
  // AccessLogEntries: the rows the query selects (exactly one of pupil_id
  // and user_id set, else InvalidArgument VALUE_INVALID), newest first;
  // CountAccessLog: how many rows it selects without limit and offset.
  virtual core::StatusOr<int64_t> AddAccessLogEntry(const AccessLogEntry& entry) = 0;
  virtual core::StatusOr<std::vector<AccessLogEntry>> AccessLogEntries(
      const AccessLogQuery& query) = 0;
  virtual core::StatusOr<int64_t> CountAccessLog(const AccessLogQuery& query) = 0;
  // An attempt to send an email or text message (channel "email" or
  // "sms"), as RecordOutboxAttempt, and in the same transaction: the
  // provider's id for the message when given, and, when the outcome is
  // delivered, `log` is given and the message was not delivered before,
  // `log` appended to the pupil's contact log, so a message is logged once
  // however often it is recorded delivered. NotFound OUTBOX_UNKNOWN;
  // InvalidArgument CONTACT_OUTCOME_INVALID for a log entry whose outcome
  // does not fit its method.
  virtual core::Status RecordMessageAttempt(const OutboxAttempt& attempt,
                                            const OutboxOutcome& outcome,
                                            std::optional<std::string> provider_ref,
                                            std::optional<ContactLogEntry> log) = 0;
  // The provider's delivery receipt (its status in its words, e.g.
  // "delivered" or "permanent-failure") for the message it knows as
  // `provider_ref`, received at `at`. NotFound OUTBOX_UNKNOWN when no
  // message has that provider id.
  virtual core::Status RecordMessageReceipt(std::string_view provider_ref, std::string_view receipt,
                                            int64_t at) = 0;
  // Outbox messages as `filter` chooses (by default email and texts),
  // newest first.
  virtual core::StatusOr<std::vector<OutboxMessage>> ListMessages(const MessageFilter& filter) = 0;

  // Retention and the purge (retention.h).
  //
  // The head's changes to retention periods, by id. AddRetentionChange:
  // InvalidArgument VALUE_INVALID for a kind not in kRetentionKinds, months
  // outside 1-1200 (or below kStatutoryMonths for a statutory kind) or an
  // empty reason.
  virtual core::StatusOr<std::vector<RetentionChange>> ListRetentionChanges() = 0;
  virtual core::StatusOr<int64_t> AddRetentionChange(const RetentionChange& change) = 0;
  // The settings in force (version 0, auto_purge off, before any is saved);
  // saving appends a version and returns it.
  virtual core::StatusOr<RetentionSettings> GetRetentionSettings() = 0;
  virtual core::StatusOr<int64_t> SaveRetentionSettings(const RetentionSettings& settings) = 0;
  // The pupils on hold now, by pupil id.
  virtual core::StatusOr<std::vector<PurgeHold>> ListPurgeHolds() = 0;
  // What Purge(cutoffs) would remove now, one count per cutoff, in order;
  // writes nothing. InvalidArgument VALUE_INVALID for an unknown kind.
  virtual core::StatusOr<std::vector<PurgeCount>> CountPurge(
      const std::vector<PurgeCutoff>& cutoffs) = 0;
  // Removes, in one transaction, every record each cutoff reaches except
  // those of pupils on hold, and appends one purge_log row per cutoff
  // (`at`, `by`) with the counts it returns. InvalidArgument VALUE_INVALID
  // for an unknown kind or an empty `by`.
  virtual core::StatusOr<std::vector<PurgeCount>> Purge(const std::vector<PurgeCutoff>& cutoffs,
                                                        int64_t at, std::string_view by) = 0;
  // The newest `limit` rows of the purge log, newest first.
  virtual core::StatusOr<std::vector<PurgeLogEntry>> ListPurgeLog(int limit) = 0;

  // The reception desk (sign_in_out.h). AddTransportRoute returns the id:
  // InvalidArgument VALUE_INVALID for a blank name or one over 80
  // characters, Conflict ROUTE_NAME_TAKEN when another route has the name
  // in any case. TransportRoutes: by name.
  virtual core::StatusOr<int64_t> AddTransportRoute(const TransportRoute& route) = 0;
  virtual core::StatusOr<std::vector<TransportRoute>> TransportRoutes() = 0;
  // Sets each rider's route (route_id 0: takes the pupil off any route), in
  // one transaction: NotFound PUPIL_UNKNOWN or ROUTE_UNKNOWN, naming the
  // first, and nothing is written. RouteRiders: every pupil on a route, by
  // route then pupil.
  virtual core::Status SetRouteRiders(const std::vector<RouteRider>& riders) = 0;
  virtual core::StatusOr<std::vector<RouteRider>> RouteRiders() = 0;
  // Records a route's delay for a session and returns its id: NotFound
  // ROUTE_UNKNOWN; Conflict ROUTE_DELAY_EXISTS when the route already has
  // one for that session.
  virtual core::StatusOr<int64_t> AddRouteDelay(const RouteDelay& delay) = 0;
  // The delays recorded for `date`, by id, with their route's name.
  virtual core::StatusOr<std::vector<RouteDelay>> RouteDelaysOn(core::Date date) = 0;
  // The delay of the route `pupil_id` travels on for `slot`, or nullopt.
  virtual core::StatusOr<std::optional<RouteDelay>> RouteDelayFor(int64_t pupil_id,
                                                                  core::SessionKey slot) = 0;
  // Appends one signing in or out and returns its id: NotFound
  // PUPIL_UNKNOWN. SignEventsOn: the events of `date`, by id.
  virtual core::StatusOr<int64_t> AddSignEvent(const SignEvent& event) = 0;
  virtual core::StatusOr<std::vector<SignEvent>> SignEventsOn(core::Date date) = 0;
  // Timetables and lesson registers (lessons.h, which says what each does and
  // refuses).
  virtual core::StatusOr<Timetable> GetTimetable() = 0;
  virtual core::Status SetTimetable(const Timetable& t, const Actor& by, int64_t at) = 0;
  virtual core::StatusOr<SaveMarksResult> SaveLessonMarks(
      const std::vector<LessonMarkWrite>& writes, const Actor& by, int64_t at) = 0;
  virtual core::StatusOr<std::vector<LessonMark>> LessonMarksBetween(core::Date from,
                                                                     core::Date to) = 0;
  virtual core::StatusOr<std::vector<LessonMark>> LessonMarksInPeriod(core::Date date,
                                                                      int64_t period_id) = 0;
  virtual core::StatusOr<std::vector<LessonMark>> LessonMarksOf(int64_t pupil_id, core::Date from,
                                                                core::Date to) = 0;
  virtual core::StatusOr<std::vector<LessonAmendment>> LessonAmendmentsOf(int64_t pupil_id) = 0;
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
// (DB_MIGRATION) when the schema is newer than this binary. The store keeps
// a private pool of one connection; OpenPostgresPool below shares one.
core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo,
                                                         const std::string& school_urn);
// A read-only store over every school whose LA code (School.la_code, as set
// with SetSchool) is `la_code`, for LA officers: lists return the rows of all
// of those schools and nothing of any other; every write fails with
// PermissionDenied (DB_ERROR).
core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(const std::string& conninfo,
                                                          const std::string& la_code);

// Connections to one PostgreSQL database shared by every store of a process
// opened on it: schools' stores and LA views alike. A store holds one of
// them only for a transaction, or for a statement outside one, so the
// process needs as many as it has requests in flight, not one per school.
// Opaque to callers; thread-safe.
class PostgresPool;
// The most connections one pool may hold.
inline constexpr int kMaxPostgresConnections = 1000;
// A pool of at most `connections` connections (opened as needed; the first
// now, so a wrong connection string or role fails here with the errors of
// OpenPostgresStore). A store waits up to 5 s for a free connection, then
// fails with Unavailable (DB_BUSY) "all N database connections are busy".
// InvalidArgument (VALUE_INVALID) unless 1 <= connections <= 1000.
core::StatusOr<std::shared_ptr<PostgresPool>> OpenPostgresPool(const std::string& conninfo,
                                                               int connections);
// OpenPostgresStore and OpenPostgresLaView on a shared pool; migrations run
// once per pool, when its first store opens.
core::StatusOr<std::unique_ptr<Store>> OpenPostgresStore(std::shared_ptr<PostgresPool> pool,
                                                         const std::string& school_urn);
core::StatusOr<std::unique_ptr<Store>> OpenPostgresLaView(std::shared_ptr<PostgresPool> pool,
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
