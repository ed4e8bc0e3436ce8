// sql_store.h
//
// The SQL Store, private to src/store (callers use OpenSqlStore() and
// OpenPostgresStore() in store.h): the same logic and SQL on either engine,
// through the driver interface of sql_db.h. One driver guarded by one mutex
// (on PostgreSQL the driver borrows a pooled connection for each transaction
// or statement): every method holds the mutex
// for its whole run, writes run in BEGIN IMMEDIATE ... COMMIT and roll back
// on any error, and reads of several tables run in one read transaction so
// they see one snapshot. Statements are prepared once and cached.
//
// Dates are stored as ISO text 'YYYY-MM-DD', enums as their frozen numbers
// or, for casework kinds, decisions, outcomes and statuses, their frozen
// names (the ...Name functions of the record headers), booleans as 0 and 1,
// on both engines.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/sql_db.h"
#include "store/store.h"

namespace rollcall::store::sql {

class SqlStore final : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  core::StatusOr<School> GetSchool() override;
  core::Status SetSchool(const School& school) override;
  core::Status CreateSchool(const NewSchool& school) override;
  core::StatusOr<Settings> GetSettings() override;
  core::StatusOr<int64_t> SaveSettings(const Settings& settings) override;
  core::StatusOr<std::vector<Settings>> SettingsHistory() override;

  core::StatusOr<std::vector<Term>> ListTerms() override;
  core::StatusOr<int64_t> AddTerm(const Term& term) override;
  core::StatusOr<std::vector<Closure>> ListClosures() override;
  core::Status SetClosure(const Closure& closure) override;
  core::Status ReplaceCalendar(const std::vector<Term>& terms,
                               const std::vector<Closure>& closures) override;

  core::StatusOr<std::vector<Class>> ListClasses() override;
  core::StatusOr<int64_t> AddClass(const Class& c) override;
  core::Status SetClassTeachers(int64_t class_id, const std::vector<int64_t>& user_ids) override;

  core::StatusOr<std::vector<Pupil>> ListPupils() override;
  core::StatusOr<Pupil> GetPupil(int64_t id) override;
  core::StatusOr<int64_t> AddPupil(const Pupil& pupil) override;
  core::Status UpdatePupil(const Pupil& pupil) override;
  core::StatusOr<std::vector<int64_t>> SavePupils(const std::vector<Class>& new_classes,
                                                  const std::vector<Pupil>& pupils,
                                                  const Actor& actor, int64_t at,
                                                  const std::string& reason) override;
  core::StatusOr<std::vector<AdmissionChange>> AdmissionChangesFor(int64_t pupil_id) override;
  core::StatusOr<std::vector<TransferOwed>> TransfersOwed() override;
  core::Status MarkTransfersProduced(const std::vector<int64_t>& ids, int64_t at) override;
  core::StatusOr<std::vector<int64_t>> ImportTransfer(
      const std::vector<Class>& new_classes, const std::vector<Pupil>& pupils,
      const std::vector<PreviousAttendance>& previous, const Actor& actor, int64_t at,
      const std::string& reason) override;
  core::StatusOr<std::vector<PreviousAttendance>> PreviousAttendanceFor(int64_t pupil_id) override;
  core::StatusOr<std::vector<PreviousAttendance>> PreviousAttendanceInYear(
      int academic_year) override;

  core::StatusOr<int64_t> AddUser(const User& user) override;
  core::Status UpdateUser(const User& user) override;
  core::StatusOr<User> GetUser(int64_t id) override;
  core::StatusOr<User> FindUserByName(std::string_view username) override;
  core::StatusOr<std::vector<User>> ListUsers() override;

  core::StatusOr<SaveMarksResult> SaveMarks(const std::vector<MarkWrite>& writes,
                                            const Actor& actor, int64_t at) override;
  core::StatusOr<std::vector<Mark>> MarksForSession(core::SessionKey slot) override;
  core::StatusOr<std::vector<Mark>> MarksForPupil(int64_t pupil_id) override;
  core::StatusOr<std::vector<Mark>> AllMarks() override;
  core::StatusOr<std::vector<Amendment>> AmendmentsForPupil(int64_t pupil_id) override;
  core::StatusOr<int64_t> CountAmendments() override;
  core::StatusOr<std::optional<int64_t>> OutsideCommits() override;
  core::StatusOr<OutsideChanges> ChangesSince(const ChangeCursor& cursor) override;

  core::StatusOr<int64_t> AddAbsenceReport(const AbsenceReport& report) override;
  core::StatusOr<std::vector<AbsenceReport>> ListAbsenceReports(bool open_only) override;
  core::Status ResolveAbsenceReport(int64_t id, int64_t at, int64_t by_user_id,
                                    const std::string& resolution) override;

  core::StatusOr<int64_t> AddContactLogEntry(const ContactLogEntry& entry) override;
  core::StatusOr<std::vector<ContactLogEntry>> ContactLogForPupil(int64_t pupil_id) override;
  core::StatusOr<std::vector<ContactLogEntry>> ContactLogSince(int64_t since) override;

  core::StatusOr<int64_t> OpenCmeCase(const CmeCase& c) override;
  core::StatusOr<std::vector<CmeCase>> ListCmeCases(bool open_only) override;
  core::StatusOr<std::optional<CmeCase>> OpenCmeCaseOf(int64_t pupil_id) override;
  core::Status CloseCmeCase(int64_t id, int64_t at, const std::string& outcome,
                            const std::string& by_name) override;
  core::StatusOr<int64_t> RecordCmeStep(const CmeStepRecord& record) override;
  core::StatusOr<std::vector<CmeStepRecord>> CmeStepsFor(int64_t case_id) override;

  core::StatusOr<int64_t> AddStageRecord(const StageRecord& record) override;
  core::StatusOr<std::vector<StageRecord>> StageHistory(int64_t pupil_id) override;
  core::StatusOr<int64_t> AddSupportEvent(const SupportEvent& event) override;
  core::StatusOr<std::vector<SupportEvent>> SupportEventsFor(int64_t pupil_id) override;
  core::StatusOr<std::vector<SupportEvent>> AllSupportEvents() override;

  core::StatusOr<int64_t> AddNotificationEvent(const NotificationEvent& event) override;
  core::StatusOr<std::vector<NotificationEvent>> NotificationEvents() override;

  core::StatusOr<int64_t> AddCensusReturn(const CensusReturnRecord& record) override;
  core::StatusOr<std::vector<CensusReturnRecord>> CensusReturns() override;
  core::StatusOr<std::string> CensusReturnXml(int64_t id) override;

  core::StatusOr<int64_t> AddPartTimeTimetable(const PartTimeTimetable& t) override;
  core::StatusOr<int64_t> AddPartTimeReview(const PartTimeReview& r) override;
  core::StatusOr<std::vector<PartTimeTimetable>> ListPartTimeTimetables() override;
  core::StatusOr<std::vector<PartTimeReview>> ListPartTimeReviews() override;

  core::StatusOr<std::vector<int64_t>> AddLetters(const std::vector<Letter>& letters) override;
  core::StatusOr<std::vector<int64_t>> AddLettersWithEmails(
      const std::vector<Letter>& letters,
      const std::vector<std::vector<OutboxMessage>>& emails) override;
  core::Status RecordLettersPosted(const std::vector<int64_t>& letter_ids, core::Date posted_on,
                                   int64_t at, int64_t by_user_id,
                                   const std::string& by_name) override;
  core::StatusOr<Letter> GetLetter(int64_t id) override;
  core::StatusOr<std::vector<Letter>> LettersForPupil(int64_t pupil_id) override;
  core::StatusOr<std::vector<Letter>> LettersInBatch(int64_t batch) override;
  core::StatusOr<std::vector<Letter>> RecentBatches(int limit) override;

  core::StatusOr<int64_t> AddLeaveRequest(const LeaveRequest& r) override;
  core::StatusOr<std::vector<LeaveRequest>> ListLeaveRequests() override;
  core::StatusOr<int64_t> DecideLeave(const LeaveDecision& d,
                                      const std::optional<Letter>& letter) override;
  core::StatusOr<std::vector<LeaveDecision>> ListLeaveDecisions() override;

  core::StatusOr<int64_t> OpenPenaltyCase(const PenaltyCase& c) override;
  core::StatusOr<int64_t> AddPenaltyWindow(const PenaltyWindow& w) override;
  core::StatusOr<std::vector<PenaltyCase>> ListPenaltyCases() override;
  core::StatusOr<std::vector<PenaltyCase>> PenaltyCasesOf(int64_t pupil_id) override;
  core::StatusOr<int64_t> AddPenaltyEvent(const PenaltyEvent& e) override;
  core::StatusOr<std::vector<PenaltyEvent>> PenaltyEvents() override;
  core::StatusOr<int64_t> AddEvidencePack(const EvidencePack& pack) override;
  core::StatusOr<std::vector<EvidencePack>> EvidencePacksFor(int64_t case_id) override;

  core::StatusOr<std::vector<Share>> ListShares() override;
  core::StatusOr<std::vector<SharedMark>> SharedMarks() override;
  core::StatusOr<std::vector<MarkToShare>> MarksToShare() override;
  core::Status RecordShare(const Share& share, const std::vector<SharedMark>& sent) override;

  core::Status CreateAuthSession(const AuthSession& session) override;
  core::StatusOr<AuthSession> FindAuthSession(std::string_view token_hash) override;
  core::Status DeleteAuthSession(std::string_view token_hash) override;
  core::Status SetPassword(int64_t user_id, std::string_view password_hash) override;
  core::Status DeleteExpiredAuthSessions(int64_t now) override;
  core::Status TouchAuthSession(std::string_view token_hash, int64_t seen_at) override;
  core::Status DeleteAuthSessionsOf(int64_t user_id) override;
  core::Status RecordLoginFailure(const LoginFailure& failure, int64_t window_seconds) override;
  core::StatusOr<FailureCount> CountLoginFailures(std::string_view username,
                                                  std::string_view address) override;
  core::StatusOr<FailureCount> CountAddressFailures(std::string_view address,
                                                    int64_t since) override;
  core::Status ClearLoginFailures(std::string_view username, std::string_view address) override;
  core::Status CreatePendingLogin(const PendingLoginRecord& pending) override;
  core::StatusOr<PendingLoginRecord> FindPendingLogin(std::string_view token_hash) override;
  core::StatusOr<int> CountPendingWrongCode(std::string_view token_hash) override;
  core::StatusOr<bool> BeginPendingEnrolment(std::string_view token_hash) override;
  core::StatusOr<bool> DeletePendingLogin(std::string_view token_hash) override;
  core::StatusOr<bool> TryTakeLease(std::string_view job, std::string_view holder, int64_t now,
                                    int64_t until) override;
  core::Status ReleaseLease(std::string_view job, std::string_view holder) override;
  core::StatusOr<int64_t> AddInvite(const Invite& invite,
                                    const std::optional<User>& new_user) override;
  core::StatusOr<Invite> FindInvite(std::string_view token_hash) override;
  core::Status UseInvite(std::string_view token_hash, std::string_view password_hash,
                         int64_t at) override;
  core::Status SetUserActive(int64_t user_id, bool active, int64_t at) override;

  core::StatusOr<SecondFactor> GetSecondFactor(int64_t user_id) override;
  core::Status StartSecondFactor(const SecondFactor& factor) override;
  core::Status ConfirmSecondFactor(int64_t user_id, int64_t step, int64_t at,
                                   const std::vector<std::string>& recovery_hashes,
                                   const SecondFactorEvent& event) override;
  core::StatusOr<bool> UseTotpStep(int64_t user_id, int64_t step) override;
  core::StatusOr<bool> UseRecoveryCode(int64_t user_id, std::string_view code_hash,
                                       const SecondFactorEvent& event) override;
  core::Status ReplaceRecoveryCodes(int64_t user_id,
                                    const std::vector<std::string>& recovery_hashes,
                                    const SecondFactorEvent& event) override;
  core::StatusOr<int> RecoveryCodesLeft(int64_t user_id) override;
  core::Status RemoveSecondFactor(int64_t user_id, const SecondFactorEvent& event) override;
  core::StatusOr<std::vector<int64_t>> UsersWithSecondFactor() override;
  core::StatusOr<std::vector<SecondFactorEvent>> SecondFactorEvents(int limit) override;
  core::StatusOr<SecondFactorPolicy> GetSecondFactorPolicy() override;
  core::Status SaveSecondFactorPolicy(const SecondFactorPolicy& policy) override;
  core::StatusOr<int64_t> AddTransportRoute(const TransportRoute& route) override;
  core::StatusOr<std::vector<TransportRoute>> TransportRoutes() override;
  core::Status SetRouteRiders(const std::vector<RouteRider>& riders) override;
  core::StatusOr<std::vector<RouteRider>> RouteRiders() override;
  core::StatusOr<int64_t> AddRouteDelay(const RouteDelay& delay) override;
  core::StatusOr<std::vector<RouteDelay>> RouteDelaysOn(core::Date date) override;
  core::StatusOr<std::optional<RouteDelay>> RouteDelayFor(int64_t pupil_id,
                                                          core::SessionKey slot) override;
  core::StatusOr<int64_t> AddSignEvent(const SignEvent& event) override;
  core::StatusOr<std::vector<SignEvent>> SignEventsOn(core::Date date) override;

  core::StatusOr<Timetable> GetTimetable() override;
  core::Status SetTimetable(const Timetable& t, const Actor& by, int64_t at) override;
  core::StatusOr<SaveMarksResult> SaveLessonMarks(const std::vector<LessonMarkWrite>& writes,
                                                  const Actor& by, int64_t at) override;
  core::StatusOr<std::vector<LessonMark>> LessonMarksBetween(core::Date from,
                                                             core::Date to) override;
  core::StatusOr<std::vector<LessonMark>> LessonMarksInPeriod(core::Date date,
                                                              int64_t period_id) override;
  core::StatusOr<std::vector<LessonMark>> LessonMarksOf(int64_t pupil_id, core::Date from,
                                                        core::Date to) override;
  core::StatusOr<std::vector<LessonAmendment>> LessonAmendmentsOf(int64_t pupil_id) override;

  core::StatusOr<int64_t> AddApiToken(const ApiToken& token) override;
  core::StatusOr<ApiToken> FindApiToken(std::string_view token_hash) override;
  core::StatusOr<std::vector<ApiToken>> ListApiTokens() override;
  core::Status RevokeApiToken(int64_t id, int64_t at, const std::string& by_name) override;
  core::StatusOr<int64_t> AddApiTokenUse(const ApiTokenUse& use) override;
  core::StatusOr<std::vector<ApiTokenUse>> ApiTokenUses(int64_t token_id, int limit) override;
  core::StatusOr<std::vector<Event>> ListEvents(bool pending_only, int limit) override;
  core::StatusOr<MessageSettings> GetMessageSettings() override;
  core::StatusOr<int64_t> SaveMessageSettings(const MessageSettings& settings) override;
  core::StatusOr<std::vector<MessageTemplateVersion>> CurrentMessageTemplates() override;
  core::StatusOr<int64_t> SaveMessageTemplate(const MessageTemplateVersion& t) override;
  core::StatusOr<bool> RecordDayOneRun(const DayOneRun& run,
                                       const std::vector<OutboxMessage>& messages) override;
  core::StatusOr<std::optional<DayOneRun>> GetDayOneRun(core::Date date) override;
  core::StatusOr<std::vector<OutboxMessage>> OutboxForKindSince(std::string_view kind,
                                                                int64_t since) override;
  core::StatusOr<std::vector<OutboxMessage>> OutboxWithKeyPrefix(
      const std::string& prefix) override;
  core::StatusOr<NotificationSettings> GetNotificationSettings() override;
  core::StatusOr<int64_t> SaveNotificationSettings(const NotificationSettings& s) override;
  core::StatusOr<bool> RecordNotificationRun(const NotificationRun& run,
                                             const std::vector<OutboxMessage>& messages) override;
  core::StatusOr<std::vector<NotificationRun>> NotificationRunsOn(core::Date date) override;
  core::Status RecordMessageAttempt(const OutboxAttempt& attempt, const OutboxOutcome& outcome,
                                    std::optional<std::string> provider_ref,
                                    std::optional<ContactLogEntry> log) override;
  core::Status RecordMessageReceipt(std::string_view provider_ref, std::string_view receipt,
                                    int64_t at) override;
  core::StatusOr<std::vector<OutboxMessage>> ListMessages(const MessageFilter& filter) override;
  core::StatusOr<int> FanOut(const std::vector<int64_t>& event_ids,
                             const std::vector<OutboxMessage>& messages) override;
  core::StatusOr<int64_t> AddWebhook(const Webhook& webhook) override;
  core::StatusOr<std::vector<Webhook>> ListWebhooks() override;
  core::Status SetWebhookActive(int64_t id, bool active) override;
  core::Status DeleteWebhook(int64_t id, int64_t at) override;
  core::StatusOr<std::vector<OutboxMessage>> ClaimDueOutbox(std::string_view channel, int64_t now,
                                                            int64_t lease_until,
                                                            int limit) override;
  core::Status RecordOutboxAttempt(const OutboxAttempt& attempt,
                                   const OutboxOutcome& outcome) override;
  core::Status ReleaseOutbox(int64_t outbox_id, int64_t next_attempt_at) override;
  core::StatusOr<std::vector<OutboxMessage>> ListOutbox(std::optional<OutboxState> state,
                                                        int limit) override;
  core::StatusOr<std::vector<OutboxAttempt>> OutboxAttemptsFor(int64_t outbox_id) override;

  core::StatusOr<std::optional<BackupSchedule>> GetBackupSchedule() override;
  core::Status SaveBackupSchedule(const BackupSchedule& schedule) override;
  core::StatusOr<int64_t> AddBackupRun(const BackupRun& run) override;
  core::StatusOr<std::vector<BackupRun>> RecentBackupRuns(int limit) override;
  core::StatusOr<int64_t> AddMedicalEvidence(const MedicalEvidence& evidence,
                                             std::string_view content) override;
  core::StatusOr<std::vector<MedicalEvidence>> MedicalEvidenceFor(int64_t pupil_id) override;
  core::StatusOr<std::vector<MedicalEvidence>> MedicalEvidenceSince(int64_t since) override;
  core::StatusOr<MedicalEvidence> GetMedicalEvidence(int64_t id) override;
  core::StatusOr<std::string> EvidenceContent(int64_t id) override;
  core::StatusOr<bool> AddEvidenceRequest(const EvidenceRequest& request,
                                          const std::vector<OutboxMessage>& messages) override;
  core::StatusOr<std::vector<EvidenceRequest>> ListEvidenceRequests(bool open_only) override;
  core::StatusOr<std::vector<EvidenceRequest>> EvidenceRequestsFor(int64_t pupil_id) override;
  core::StatusOr<EvidenceRules> GetEvidenceRules() override;
  core::StatusOr<int64_t> SaveEvidenceRules(const EvidenceRules& rules) override;
  core::StatusOr<int64_t> AddConditionReview(const ConditionReview& review) override;
  core::StatusOr<std::vector<ConditionReview>> ListConditionReviews() override;
  core::StatusOr<int64_t> AddAccessLogEntry(const AccessLogEntry& entry) override;
  core::StatusOr<std::vector<AccessLogEntry>> AccessLogEntries(
      const AccessLogQuery& query) override;
  core::StatusOr<int64_t> CountAccessLog(const AccessLogQuery& query) override;

  core::StatusOr<std::vector<RetentionChange>> ListRetentionChanges() override;
  core::StatusOr<int64_t> AddRetentionChange(const RetentionChange& change) override;
  core::StatusOr<RetentionSettings> GetRetentionSettings() override;
  core::StatusOr<int64_t> SaveRetentionSettings(const RetentionSettings& settings) override;
  core::StatusOr<std::vector<PurgeHold>> ListPurgeHolds() override;
  core::StatusOr<std::vector<PurgeCount>> CountPurge(
      const std::vector<PurgeCutoff>& cutoffs) override;
  core::StatusOr<std::vector<PurgeCount>> Purge(const std::vector<PurgeCutoff>& cutoffs, int64_t at,
                                                std::string_view by) override;
  core::StatusOr<std::vector<PurgeLogEntry>> ListPurgeLog(int limit) override;

 private:
  // Medical evidence rows matching `tail` (binding ?1 to `value`).
  core::StatusOr<std::vector<MedicalEvidence>> LoadEvidence(const char* tail, int64_t value);
  core::StatusOr<std::vector<EvidenceRequest>> LoadEvidenceRequests(const char* tail,
                                                                    int64_t value);
  // NotFound CME_CASE_UNKNOWN or Conflict CME_CASE_CLOSED unless case `id`
  // is open. Call inside a transaction.
  core::Status RequireOpenCase(int64_t id);
  // The counts of one purge cutoff, inside a transaction (sql_store_retention.cc).
  core::StatusOr<PurgeCount> CountPurgeOne(const PurgeCutoff& cutoff);
  // Appends letters as one batch, each with its contact_log row. Call
  // inside a write transaction.
  core::StatusOr<std::vector<int64_t>> InsertLetters(const std::vector<Letter>& letters);
  // Appends one contact_log row. Call inside a write transaction.
  core::StatusOr<int64_t> InsertContactLogEntry(const ContactLogEntry& entry);
  // Queues one outbox message (its channel, key, kind, destination, payload,
  // next attempt, creation time, pupil and recipient); false, writing
  // nothing, when its idempotency key is already queued. Call inside a write
  // transaction: a method that queues messages with its own writes (an
  // email with a letter, a day's absence messages with the day's run) calls
  // this, so both are written or neither.
  core::StatusOr<bool> InsertOutbox(const OutboxMessage& m);
  // Appends a second_factor_events row. Call inside a write transaction.
  core::Status InsertSecondFactorEvent(const SecondFactorEvent& event);
  // Stores recovery code hashes for `user_id`. Call inside a write transaction.
  core::Status InsertRecoveryCodes(int64_t user_id, const std::vector<std::string>& hashes);
  // Part-time timetables and reviews (sql_store_casework.cc): all, or
  // those with `where` (binding ?1 to `value`), by id.
  core::StatusOr<std::vector<PartTimeTimetable>> LoadTimetables(const char* where, int64_t value);
  core::StatusOr<std::vector<PartTimeReview>> LoadPartTimeReviews(const char* where, int64_t value);
  core::StatusOr<std::vector<Letter>> LoadLetters(const std::string& tail, int64_t value);
  // Rows of support_events, all or one pupil's, oldest first.
  core::StatusOr<std::vector<SupportEvent>> LoadSupportEvents(std::optional<int64_t> pupil_id);
  // Rows of contact_log matching `where` (binding ?1 to `value`), newest first.
  core::StatusOr<std::vector<ContactLogEntry>> ContactLogWhere(const char* where, int64_t value);
  // Runs `body` inside one write transaction under the mutex, committing
  // only when it succeeds. `body` returns a Status or a StatusOr.
  //
  // A transaction that failed because the connection to PostgreSQL was lost
  // runs once more, on a new connection, when the driver knows that nothing
  // of it was committed (Db::TransactionLost). That is safe because a body
  // only reads and writes the database through db_ and its own locals: it
  // changes nothing outside the transaction that a second run would repeat,
  // and its checks run again against what is stored by then. A loss while
  // COMMIT was on its way that the driver could not settle is never retried.
  template <typename Body>
  auto Write(Body&& body) -> decltype(body()) {
    std::lock_guard lock(mu_);
    for (int attempt = 1;; ++attempt) {
      auto result = WriteOnce(body);
      if (result.ok() || attempt == kTransactionAttempts || !db_->TransactionLost()) {
        return result;
      }
    }
  }
  template <typename Body>
  auto WriteOnce(Body& body) -> decltype(body()) {
    ASSIGN_OR_RETURN(WriteTransaction txn, WriteTransaction::Begin(*db_));
    auto result = body();
    if (!result.ok()) return result;
    RETURN_IF_ERROR(txn.Commit());
    return result;
  }
  // Runs `body` inside one read transaction under the mutex; once more on a
  // new connection when the connection to PostgreSQL was lost.
  template <typename Body>
  auto Read(Body&& body) -> decltype(body()) {
    std::lock_guard lock(mu_);
    for (int attempt = 1;; ++attempt) {
      auto result = ReadOnce(body);
      if (result.ok() || attempt == kTransactionAttempts || !db_->TransactionLost()) {
        return result;
      }
    }
  }
  template <typename Body>
  auto ReadOnce(Body& body) -> decltype(body()) {
    ASSIGN_OR_RETURN(ReadTransaction txn, ReadTransaction::Begin(*db_));
    return body();
  }
  // A transaction whose connection was lost is tried this many times in all.
  static constexpr int kTransactionAttempts = 2;

  // Rows written inside a write transaction, shared by the one-row methods
  // and CreateSchool.
  core::StatusOr<bool> HasSchool();
  core::Status WriteSchool(const School& school, bool exists);
  core::StatusOr<int64_t> InsertSettings(const Settings& settings);
  core::StatusOr<int64_t> InsertTerm(const Term& term);
  core::Status WriteClosure(const Closure& closure, bool exists);
  core::StatusOr<int64_t> InsertClass(const Class& c);

  // SaveMarks' reads (sql_store.cc): the stored code and arrival minute by
  // (pupil, date, session) of the slots `writes` touches, and which of the
  // pupils it names exist. Call inside a transaction.
  using StoredMarks =
      std::map<std::tuple<int64_t, std::string, int>, std::pair<int64_t, std::optional<int64_t>>>;
  core::StatusOr<StoredMarks> LoadStoredMarks(const std::vector<MarkWrite>& writes);
  core::StatusOr<std::unordered_set<int64_t>> LoadKnownPupils(const std::vector<MarkWrite>& writes);

  // Existence checks inside a transaction: NotFound with the table's code.
  core::Status RequireRow(std::string_view sql, int64_t id, const char* code,
                          std::string_view what);
  core::Status RequireUser(int64_t id);
  core::Status RequireClass(int64_t id);
  core::Status RequirePupil(int64_t id);
  // NotFound ROUTE_UNKNOWN unless transport route `id` exists.
  core::Status RequireRoute(int64_t id);

  // Pupils (sql_store_people.cc). `id`: one pupil; nullopt: all by id.
  core::StatusOr<std::vector<Pupil>> LoadPupils(std::optional<int64_t> id);
  core::Status CheckPupilReferences(const Pupil& pupil);
  core::Status WritePupilDetails(int64_t id, const Pupil& pupil);
  // The bodies of AddPupil and UpdatePupil (and InsertClass above), inside a
  // write transaction, so SavePupils writes many in one.
  core::StatusOr<int64_t> InsertPupil(const Pupil& pupil);
  core::Status ReplacePupil(const Pupil& pupil);
  core::Status InsertAdmissionChange(const AdmissionChange& change);
  // The body of SavePupils, inside a write transaction (ImportTransfer's too).
  core::StatusOr<std::vector<int64_t>> WritePupils(const std::vector<Class>& new_classes,
                                                   const std::vector<Pupil>& pupils,
                                                   const Actor& actor, int64_t at,
                                                   const std::string& reason);
  core::Status RecordTransfersOwed(const Pupil& before, const Pupil& after, int64_t at);
  // Users with their classes and children. `id`: one user; nullopt: all by id.
  core::StatusOr<std::vector<User>> LoadUsers(std::optional<int64_t> id);
  core::StatusOr<std::optional<int64_t>> UserIdByName(std::string_view username);
  core::Status CheckUserReferences(const User& user);
  core::Status WriteUserLinks(int64_t id, const User& user);
  // Adds the account (its id is assigned) with its links. Call inside a
  // write transaction.
  core::StatusOr<int64_t> InsertUser(const User& user);
  // Ends every login session of the account. Call inside a write transaction.
  core::Status EndAuthSessionsOf(int64_t user_id);

  // Timetables (sql_store_timetable.cc): the stored timetable, read inside a
  // transaction; the checks SetTimetable makes before writing anything.
  core::StatusOr<Timetable> LoadTimetable();
  core::Status CheckTimetable(const Timetable& t);

  std::mutex mu_;
  std::unique_ptr<Db> db_;
};

// Row readers shared by both .cc files: they validate stored enums and dates
// and return Internal DB_ERROR on a value this program cannot have written.
core::StatusOr<core::Date> DateColumn(const Statement& stmt, int col);
core::StatusOr<std::optional<core::Date>> OptionalDateColumn(const Statement& stmt, int col);
core::StatusOr<Role> RoleColumn(const Statement& stmt, int col);
core::StatusOr<core::Session> SessionColumn(const Statement& stmt, int col);  // 1 AM, 2 PM
core::StatusOr<core::AttendanceCode> CodeColumn(const Statement& stmt, int col);
// A mark from columns 0-6: pupil_id, date, session, code, arrival_minute,
// recorded_at, recorded_by.
core::StatusOr<Mark> ReadMark(const Statement& stmt);
std::optional<int> OptionalIntColumn(const Statement& stmt, int col);
// Internal DB_BAD_VALUE: `text`, stored as a `what`, names none.
core::Status BadStoredName(std::string_view what, std::string_view text);
// The enum value whose name (`from_name`: one of the ...FromName functions)
// is the text of column `col`; Internal DB_BAD_VALUE, naming `what`, when
// it names none.
template <typename Enum>
core::StatusOr<Enum> NameColumn(const Statement& stmt, int col,
                                std::optional<Enum> (*from_name)(std::string_view),
                                std::string_view what) {
  const std::string text = stmt.Text(col);
  if (const std::optional<Enum> value = from_name(text)) return *value;
  return BadStoredName(what, text);
}
// An outbox row (sql_store_webhooks.cc): kOutboxColumns is "SELECT <its
// columns> FROM outbox ", to be followed by WHERE and ORDER BY; ReadOutbox
// reads a row it selected.
extern const char kOutboxColumns[];
core::StatusOr<OutboxMessage> ReadOutbox(const Statement& stmt);
void BindDate(Statement& stmt, int index, core::Date date);
void BindDate(Statement& stmt, int index, const std::optional<core::Date>& date);

}  // namespace rollcall::store::sql
