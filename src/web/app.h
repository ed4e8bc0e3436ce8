// app.h
//
// The school service behind the HTTP API and the pages: routing,
// authentication (login sessions in HttpOnly SameSite=Strict cookies and CSRF
// tokens; the sessions and the throttling of logins are service::Sessions')
// and the handlers of API v1 and of the pages. A handler parses the request,
// calls a service (service/services.h), which decides who may do what, and
// renders the view it returns.
//
// The services keep a snapshot of the school (calendar, policy, pupils,
// users, and every mark as a core::Scenario) so that summaries are computed
// by the rules core without touching the database. Writes go to the store
// first, in one transaction with their audit rows, and only then to the
// snapshot, under one writer lock, so the snapshot never holds what the
// database does not (service::School).
//
// Handle() is safe to call from many threads at once.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/cme.h"
#include "core/evaluate.h"
#include "core/graduated.h"
#include "core/la_returns.h"
#include "core/part_time.h"
#include "core/penalty.h"
#include "core/scenario.h"
#include "service/la_directory.h"
#include "service/services.h"
#include "store/store.h"
#include "web/access.h"
#include "web/handler.h"
#include "web/html.h"
#include "web/http.h"

namespace rollcall::web {

// The LA's views across its schools (service/la_directory.h).
using service::LaDirectory;

struct AppConfig {
  // Served over HTTPS (by a reverse proxy in front): cookies get "Secure"
  // and every answer carries Strict-Transport-Security.
  bool secure_cookies = false;
  // Logins and their sessions, as service::SessionOptions (sessions.h)
  // describes them; session_seconds is the cookie's Max-Age too.
  int64_t session_seconds = service::SessionOptions{}.session_seconds;
  int login_failures_allowed = service::SessionOptions{}.login_failures_allowed;
  int64_t login_window_seconds = service::SessionOptions{}.login_window_seconds;
  int login_address_failures_allowed = service::SessionOptions{}.login_address_failures_allowed;
  int64_t session_recheck_seconds = service::SessionOptions{}.session_recheck_seconds;
  // How often a request asks the store what other processes (another
  // server, `rollcall import`) have committed, and brings the school up to
  // date (service::School::ReloadIfWrittenOutside); 0: every request.
  int64_t outside_write_check_ms = 1000;
  // What sends webhooks and the daily share (not owned; tests pass a
  // fake); nullptr: libcurl.
  io::Poster* poster = nullptr;
  // What sends email and text messages (not owned; tests pass fakes);
  // nullptr: the transports the message settings name.
  io::MailTransport* mail = nullptr;
  io::SmsProvider* sms = nullptr;
  // The SQLite file served, for the scheduled backups (service/backups.h);
  // "" for PostgreSQL.
  std::string database_file;
  // False when the clock is not the real time (serve --now): the nightly
  // purge then never runs, since a clock ahead of the real one would remove
  // records still inside their retention period.
  bool real_clock = true;
};

inline constexpr char kSessionCookie[] = "rollcall_session";

// True for the requests that hash a password (logins, password changes and
// resets, new accounts): the server runs them on a pool of their own, so a
// burst of them never holds up registers and summaries.
bool HashesPasswords(const Request& request);

// Headers every answer carries: Content-Security-Policy (no inline script or
// style, no framing), Referrer-Policy, and with `secure` HSTS.
void AddSecurityHeaders(Response& response, bool secure);

// The code a parent's reason suggests (service/absence_reports.h).
using service::SuggestedCode;

// Those who may not see pupils' names (governors) see no figures for a group
// of fewer pupils than this: a handful of pupils can be identified.
using service::kSmallGroup;

using service::PlannedCode;

// Where one step of a CME case stands today (service/cme.h).
using service::CmeStepStatus;

class App : public RequestHandler {
 public:
  App(store::Store& store, const core::Clock& clock, AppConfig config = {});
  ~App() override;

  // The schools an LA officer's cross-school views cover (not owned; must
  // outlive the App). Without one they cover this school alone.
  void SetLaDirectory(LaDirectory* directory) { la_ = directory; }

  // Reads the whole school from the store (service::Services::Load). Call
  // once before serving, and after changing the store behind App's back.
  // While serving, App brings it up to date itself with what other
  // processes commit (store::Store::ChangesSince).
  // A database with no school yet is served for set-up alone: /setup, and
  // the pages' assets; every other page redirects there.
  core::Status Load();

  // While the school is not set up: the one-time code the first-run page
  // asks for (the server prints its link), else "".
  std::string SetupCode() const;

  Response Handle(const Request& request) override;
  // web::HashesPasswords, for the server.
  bool HashesPasswords(const Request& request) const override;

  // The work that is due at the clock's now and done in the background
  // (webhooks: fan-out and delivery, service::Webhooks::RunDue; email and
  // text messages, service::Messaging::RunDue; and the daily share,
  // service::Shares::RunDue). The server
  // calls it every few seconds from one thread of its own; it is safe beside
  // Handle on other threads (the services take the school's locks) and
  // returns quickly when nothing is due. Logs and returns the first failure.
  // With several server processes on one database, each job that must run
  // once runs only in the process holding its lease (service::Jobs), which
  // ~App gives up.
  core::Status RunScheduledJobs();

  // The number of writes applied since Load (for tests).
  int64_t version() const;

  // One line of the route table (routes.h): a method and path pattern, what
  // the request needs before the handler runs, and the handler.
  struct Route;

 private:
  struct Call;  // one request being handled: target, principal, session

  // Finds the request's route in the table (routes.h), refuses it as the
  // route's kind says when a login or CSRF token is missing, else runs its
  // handler.
  Response Dispatch(Call& call);
  // Authentication.
  Response Login(Call& call);
  Response Logout(Call& call);
  Response Me(Call& call);
  // The API's OpenAPI description and the attendance codes in force on a
  // date (app_api.cc): both public, as an integration reads them first.
  Response OpenApi(Call& call);
  Response Codes(Call& call);
  // Pupils and summaries.
  Response ListPupils(Call& call);
  Response GetPupil(Call& call, int64_t pupil_id);
  Response PupilSummary(Call& call, int64_t pupil_id);
  Response PupilAmendments(Call& call, int64_t pupil_id);
  Response SchoolSummary(Call& call);
  Response SchoolDashboard(Call& call);
  Response ListClasses(Call& call);
  // Registers.
  Response GetRegister(Call& call, const std::string& date, const std::string& session);
  Response PutMark(Call& call, const std::string& date, const std::string& session,
                   const std::string& pupil);
  // Absence reports (service::AbsenceReports).
  Response ReportAbsence(Call& call, int64_t pupil_id);
  Response ListAbsenceReports(Call& call);
  Response ResolveAbsenceReport(Call& call, const std::string& id);
  // Contact log and messages (app_contacts.cc; service::Contacts).
  Response PostContact(Call& call, int64_t pupil_id);
  Response GetContactLog(Call& call, int64_t pupil_id);
  Response GetMessages(Call& call, int64_t pupil_id);
  // A pupil's contacts (app_contacts.cc; service::Contacts::SaveContact):
  // POST adds one, PUT .../contacts/{n} changes the n-th.
  Response PostPupilContact(Call& call, int64_t pupil_id);
  Response PutPupilContact(Call& call, const std::string& pupil, const std::string& position);
  // The admission register (app_admissions.cc; service::Admissions): admit,
  // correct an entry with the reason, take a pupil off the roll.
  Response PostPupil(Call& call);
  Response PutPupil(Call& call, int64_t pupil_id);
  Response PostPupilLeave(Call& call, int64_t pupil_id);
  Response PageAdmit(Call& call);
  Response PageEditPupil(Call& call, const std::string& id);
  Response PageLeaveRoll(Call& call, const std::string& id);
  // The entry and its changes on the pupil's page, for those who may read them.
  Html AdmissionSection(const Call& call, const store::Pupil& p);
  // DELETE .../contacts/{n} removes the n-th; POST .../contacts/confirm
  // records that the family confirmed them today; POST .../flags adds a
  // cohort flag from a day or ends one on a day.
  Response DeletePupilContact(Call& call, const std::string& pupil, const std::string& position);
  Response PostConfirmContacts(Call& call, int64_t pupil_id);
  Response PostPupilFlag(Call& call, int64_t pupil_id);
  // Children missing education (app_cme.cc; service::Cme).
  using CmeStepView = service::CmeStepView;
  using CmeView = service::CmeView;
  static nlohmann::ordered_json CmeJson(const CmeView& v);
  Response ListCmeCases(Call& call);
  Response PupilCmeCases(Call& call, int64_t pupil_id);
  Response PostCmeStep(Call& call, const std::string& case_id);
  Response PostCloseCme(Call& call, const std::string& case_id);
  Response PageCme(Call& call, const std::string& case_id, bool close);
  Html CmeSection(const Call& call, const store::Pupil& p);
  Html CmeTodaySection(const Call& call);
  // Confirming a parent's absence report (app_reports.cc;
  // service::AbsenceReports).
  Response PostConfirmReport(Call& call, const std::string& id);
  Response PageConfirmReport(Call& call, const std::string& id);
  Html ReportConfirmForm(const Call& call, const store::AbsenceReport& r) const;
  // Notifications owed to the LA (app_la.cc): service::LaReturns.
  Response GetLaNotifications(Call& call);
  Response PostLaNotification(Call& call, const std::string& key, const std::string& action);
  Response PageLaNotifications(Call& call, bool csv);
  Response PageMarkNotification(Call& call, const std::string& key, const std::string& action);
  Html LaTodaySection(const Call& call);
  // Common Transfer Files owed for leavers (app_transfers.cc;
  // service::CtfExport): the list as JSON and a page, the file for one or
  // for every owed one, and the line on a leaver's page.
  Response GetTransfers(Call& call);
  Response PageTransfers(Call& call);
  Response PageTransferFile(Call& call, const std::string& id);
  Response PageOwedTransfersFile(Call& call);
  Html TransferSection(const Call& call, const store::Pupil& p);
  // Graduated approach (app_support.cc; service::Support).
  using SupportView = service::SupportView;
  static nlohmann::ordered_json SupportJson(const SupportView& v);
  Response GetSupport(Call& call, int64_t pupil_id);
  Response PostStage(Call& call, int64_t pupil_id);
  Response PostSupportEvent(Call& call, int64_t pupil_id);
  Response PageSupport(Call& call, const std::string& pupil, bool stage);
  Html SupportSection(const Call& call, const store::Pupil& p);
  // The early warning of persistent absence (app_early_warning.cc;
  // service::EarlyWarning): the list, and the pupil page's section (empty
  // for those who may not read it).
  Response PageEarlyWarning(Call& call);
  Html EarlyWarningSection(const Call& call, const store::Pupil& p);
  Html ReviewsDueSection(const Call& call);
  // Part-time timetables (app_part_time.cc, service::PartTime).
  using PartTimeView = service::PartTimeView;
  static nlohmann::ordered_json PartTimeJson(const PartTimeView& v);
  Response GetPartTime(Call& call, int64_t pupil_id);
  Response PostPartTime(Call& call, int64_t pupil_id);
  Response PostPartTimeReview(Call& call, const std::string& id);
  Response PagePartTime(Call& call, const std::string& id, bool review);
  Html PartTimeSection(const Call& call, const store::Pupil& p);
  Html PartTimeTodaySection(const Call& call);
  // Letters (app_letters.cc, service::Letters).
  static nlohmann::ordered_json LetterJson(const store::Letter& l);
  Response PostLetters(Call& call);
  Response GetLetter(Call& call, const std::string& id);
  Response GetPupilLetters(Call& call, int64_t pupil_id);
  Response PageLetters(Call& call);
  Response PageLetterBatch(Call& call, const std::string& batch);  // "12" or "12.pdf"
  Response PageLettersPosted(Call& call, const std::string& batch);
  Response PageLetter(Call& call, const std::string& id);  // "12" or "12.pdf"
  Html LettersSection(const Call& call, const store::Pupil& p);
  // The pupil's social worker, for those who may see safeguarding details,
  // and its form for those who may change it (app_notifications.cc).
  Html SocialWorkerSection(const Call& call, const store::Pupil& p);
  Response PageSocialWorker(Call& call, const std::string& pupil_id);
  // Penalty-notice cases (app_penalty.cc, app_penalty_pages.cc): service::Penalties.
  Response PostExclusionCase(Call& call, int64_t pupil_id);
  Response ListPenaltyCases(Call& call);
  Response GetPenaltyCase(Call& call, const std::string& id);
  Response GetPenaltyCaseCreated(Call& call, const std::string& id);
  Response PostPenaltyEvent(Call& call, const std::string& id);
  Response PagePenalties(Call& call);
  Response PagePenaltyCase(Call& call, const std::string& id);
  Response PagePenaltyEvent(Call& call, const std::string& id);
  Response PostEvidencePack(Call& call, const std::string& id);
  Response GetEvidencePack(Call& call, const std::string& case_id, const std::string& what);
  Html PenaltySection(const Call& call, const store::Pupil& p);
  Html PenaltyTodaySection(const Call& call);
  // Leave of absence (app_leave.cc, service::Leave).
  using LeaveView = service::LeaveView;
  static nlohmann::ordered_json LeaveJson(const LeaveView& v);
  Response PostLeaveRequest(Call& call, int64_t pupil_id);
  Response ListLeaveRequests(Call& call);
  Response PostLeaveDecision(Call& call, const std::string& id);
  Response PageLeave(Call& call, const std::string& id, const std::string& action);
  Html LeaveSection(const Call& call, const store::Pupil& p, bool parent_card);
  Html LeaveTodaySection(const Call& call);
  // Data, settings and staff.
  Response ExportScenario(Call& call);
  Response GetSettings(Call& call);
  Response PutSettings(Call& call);
  Response ListUsers(Call& call);
  Response AddUser(Call& call);
  // Passwords (app_admin.cc). Anyone changes their own, giving the current
  // one; the head resets a staff or parent account. Either ends every login
  // session of that account (service::Sessions).
  Response PostOwnPassword(Call& call);
  Response PostResetPassword(Call& call, int64_t user_id);
  Response PageAccount(Call& call);
  Response PageAccountPost(Call& call);
  // Accounts (app_admin.cc, service::Accounts): the head invites staff and
  // parents and sends set-password links, each shown once; disables and
  // re-enables accounts. Whoever has a link sets their password at
  // /invite/{token} and is logged in.
  Response PostInvitation(Call& call);
  Response PostNewLink(Call& call, const std::string& user_id);
  Response PostSetActive(Call& call, const std::string& user_id, bool active);
  Response PageUsers(Call& call);
  Response PageInviteUser(Call& call);
  Response PageUserAction(Call& call, const std::string& user_id, const std::string& action);
  Response PageSetPassword(Call& call, const std::string& token);
  // API tokens for other systems (app_api_tokens.cc, service::ApiTokens):
  // the head's list and form to create one (GET, POST), and one token's
  // details and recent uses (GET) and its revocation (POST .../revoke).
  Response PageApiTokens(Call& call);
  Response PageApiToken(Call& call, const std::string& id);

  // Records one mark for the API and the register page alike
  // (service::Registers).
  using MarkRequest = service::MarkRequest;
  using MarkResult = service::MarkResult;
  core::StatusOr<MarkResult> RecordMark(const Call& call, const MarkRequest& m);

  using NewSession = service::NewSession;  // its token goes in the cookie
  // The login-CSRF origin check, then service::Sessions::Login (the password
  // and its throttling) from the request's address.
  core::StatusOr<NewSession> OpenSession(const Call& call, const std::string& username,
                                         const std::string& password);
  // Ok unless the request comes from a form on another site: a form that
  // logs a browser in must not be sent from elsewhere (login CSRF).
  static core::Status SameSite(const Call& call);
  core::Status EndSession(const Call& call);
  // The Set-Cookie value for a session token; "" clears the cookie.
  std::string SessionCookie(const std::string& token) const;

  // The Set-Cookie value for a pending login's token (the step between the
  // password and the code, service::Sessions); "" clears the cookie.
  std::string PendingCookie(const std::string& token) const;
  // Where a right password leads a browser: home with a session cookie, or
  // the code (or enrolment) page with a pending login's cookie.
  Response AfterPassword(const service::LoginStep& step);
  // The second factor (app_second_factor.cc): the code after the password
  // and enrolling there when the school requires it (GET, POST; the pending
  // login's cookie is their credential); a person's own on their account
  // (GET, and POST .../{start,confirm,recovery-codes,off}); the head's page
  // of everyone's, the setting that requires it and resets (GET, and POST
  // /second-factor/{required,reset}).
  Response PageLoginCode(Call& call);
  Response PageLoginEnrol(Call& call);
  Response PageSecondFactor(Call& call);
  Response PageSecondFactorPost(Call& call, const std::string& action);
  Response PageSecondFactors(Call& call);
  Response PageSecondFactorsPost(Call& call, const std::string& action);

  // Pages (app_pages.cc): HTML for people, on the same rules as the API.
  Response PageLogin(Call& call);
  Response PageHome(Call& call);
  Response PageRegister(Call& call);
  Response PageMark(Call& call);
  Response PageAllPresent(Call& call);
  // Pages to print (app_print.cc): a class's register for a day, and its
  // class list with contacts.
  Response PagePrintRegister(Call& call);
  Response PageClassList(Call& call, const std::string& class_id);
  Response PagePupil(Call& call, const std::string& id);
  // The pupil list, its filters and the header's search (app_find.cc).
  Response PagePupils(Call& call);
  Response PageToday(Call& call);
  Response PageAmendments(Call& call, bool csv);
  Response PageDashboard(Call& call);
  Response PageGovernors(Call& call);
  // Rewards and recognition (app_rewards.cc): the class table and the lists
  // (`csv`: the class table as CSV), and printing certificates.
  Response PageRewards(Call& call, bool csv);
  Response PageRewardCertificates(Call& call);
  Response PageParent(Call& call);
  Response PageSettings(Call& call);
  // Email and text messages (app_messages.cc).
  Response PageMessageSettings(Call& call);
  Response PageMessageTest(Call& call);
  // The head's backup settings and log (app_backups.cc).
  Response PageBackups(Call& call);
  Response PageBackupNow(Call& call);
  // The reception desk and school transport (app_sign_in_out.cc).
  Response PageReception(Call& call);
  Response PageReceptionFind(Call& call);
  Response PageSignInOut(Call& call, const std::string& pupil, bool arriving);
  Response PageTransport(Call& call);
  Response PageAddRoute(Call& call);
  Response PageSetRoute(Call& call);
  Response PageImportRoutes(Call& call);
  Response PageRouteDelay(Call& call);
  Response TransportPage(Call& call, const Html& message, http::status status);
  // The transport page after a form: `saved` in a banner, or the refusal.
  Response TransportDone(Call& call, const core::Status& done, const std::string& saved);
  // Today's short list of pupils signed in and out, for the office.
  Html SignInOutTodaySection(const Call& call);
  Response PageMessages(Call& call);
  Response PostNotifyReceipt(Call& call);
  // Webhooks (app_webhooks.cc).
  Response ListWebhooks(Call& call);
  Response PostWebhook(Call& call);
  Response PostWebhookAction(Call& call, const std::string& webhook_id, const std::string& action);
  Response PageWebhooks(Call& call);
  Response PageNotifications(Call& call);  // GET and POST /settings/notifications
  // How long records are kept and the purge (app_retention.cc): GET and
  // POST /settings/retention (action=period, auto or purge).
  Response PageRetention(Call& call);
  Response PageWebhookAction(Call& call, const std::string& webhook_id, const std::string& action);
  // Message templates (app_templates.cc).
  Response PageTemplates(Call& call);
  Response PageAddClosure(Call& call);
  // The daily attendance share: its page and share now (POST), and where
  // and when it goes (POST /share/settings; the head) (app_share.cc).
  Response PageShare(Call& call);
  Response PageShareSettings(Call& call);
  // Setting up the school on first run, and changing its terms and closures
  // (app_setup.cc; service::Setup).
  Response PageSetup(Call& call);
  Response PageCalendar(Call& call);
  // The answer to a request while the school is not set up; nullopt for
  // the requests served as usual (set-up itself, assets, the health check).
  std::optional<Response> WhileNotSetUp(const Call& call);
  Response PageReportAbsence(Call& call);
  Response PageRecordContact(Call& call, const std::string& pupil, bool from_today);
  Response PageSaveContact(Call& call, const std::string& pupil);
  // POST /pupils/{id}/contacts/{what}: move, remove or confirm contacts;
  // POST /pupils/{id}/flags: add or end a cohort flag.
  Response PageChangeContacts(Call& call, const std::string& pupil, const std::string& what);
  Response PageChangeFlag(Call& call, const std::string& pupil);
  // The pupils whose contacts the office should check (office, head).
  Response PageContactsToCheck(Call& call);
  // Page parts (app_contacts.cc). The contact log and its form, as the caller
  // may see and use them; empty for those who may not see it.
  Html ContactLogSection(const Call& call, const store::Pupil& p);
  // The pupil's contacts, with a form for each and one to add another for
  // those who may change them.
  Html ContactsSection(const Call& call, const store::Pupil& p);
  // Today's line on the contacts to check, for those who check them.
  Html ContactsTodaySection(const Call& call);
  Html MessagesSection(const Call& call, int64_t pupil_id);
  // "HH:MM" local time of a moment earlier today, else its ISO time.
  std::string LocalTime(int64_t at) const;

  core::Status Authenticate(Call& call);
  // The session's CSRF token in the X-CSRF-Token header; with `form`, a
  // page's form may send it in its `_csrf` field instead.
  core::Status CheckCsrf(const Call& call, bool form) const;
  // The LA's cross-school views (app_la_views.cc).
  Response PageLaSchools(Call& call);
  Response PageLaPupils(Call& call);
  Response PageLaSchool(Call& call, const std::string& urn);
  Response PageLaPack(Call& call, const std::string& urn, bool pdf);
  Response LaSchoolsJson(Call& call);
  // Medical evidence (app_evidence.cc): uploads from the parents' page
  // (pupil id "" : the form names the child) and a pupil's page, downloads,
  // the API, a known condition, the Today list and the rules' page.
  Response PagePostEvidence(Call& call, const std::string& id_text);
  Response PageParentEvidence(Call& call) { return PagePostEvidence(call, ""); }
  Response GetEvidence(Call& call, const std::string& id_text);
  Response ApiPostEvidence(Call& call, int64_t pupil_id);
  Response ApiListEvidence(Call& call, int64_t pupil_id);
  Response PageCondition(Call& call, const std::string& id_text);
  Response PageEvidenceSettings(Call& call);
  Html EvidenceSection(const Call& call, const store::Pupil& p, bool parent_card);
  Html EvidenceTodaySection(const Call& call);
  // Data protection (app_subject_access.cc): who read a pupil's records,
  // per pupil and per user (service::AccessLog), and subject access requests
  // for a pupil or one of their contacts (service::SubjectAccess); the links
  // to them on a pupil's page, for the head only.
  Response PagePupilAccessLog(Call& call, const std::string& id_text);
  Response PageUserAccessLog(Call& call, const std::string& id_text);
  Response PageSubjectAccess(Call& call, const std::string& id_text);
  Response GetSubjectAccess(Call& call, const std::string& id_text, const std::string& what);
  Html DataProtectionLinks(const Call& call, int64_t pupil_id);
  // Lesson registers (app_lessons.cc, app_lessons_office.cc;
  // service::Lessons): a day's lessons, one lesson's register with its
  // htmx marks, the API, the office's disagreements and the timetable with
  // its import, and the sections on Today and on a pupil's page.
  Response PageLessons(Call& call);
  Response PageLessonRegister(Call& call);
  Response PageLessonMark(Call& call);
  Response PageLessonAllPresent(Call& call);
  Response PageLessonDisagreements(Call& call);
  Response PageTimetable(Call& call);
  Response PageTimetableImport(Call& call);
  Response GetLessonRegister(Call& call, const std::string& date, const std::string& period,
                             const std::string& group);
  Response PutLessonMark(Call& call, const std::string& date, const std::string& period,
                         const std::string& group, const std::string& pupil);
  Html LessonsTodaySection(const Call& call);
  Html MissedLessonsSection(const Call& call, const store::Pupil& p);
  // The school census attendance module (app_census.cc).
  Response PageCensus(Call& call);
  Response PostCensusXml(Call& call);
  Response GetCensusCsv(Call& call);
  Response GetCensusReturn(Call& call, const std::string& file);
  LaDirectory* la_ = nullptr;
  std::unique_ptr<LaDirectory> own_la_;  // this school alone, when none is set
  core::StatusOr<core::Date> AsOfParam(const Call& call) const;
  // The school's name, for a page's heading.
  std::string SchoolName() const;

  store::Store& store_;
  const core::Clock& clock_;
  AppConfig config_;
  // Set by Load when the store has no school, cleared once set-up succeeds.
  std::atomic<bool> needs_setup_{false};
  std::string setup_code_;  // written by Load only, before serving

  // The application layer: the school's state and the services on it.
  // Handlers ask the services for views and render them; none reads the
  // school's snapshot or takes its lock.
  service::Services services_;
};

}  // namespace rollcall::web
