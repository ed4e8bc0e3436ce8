// app.cc: loading the school, the route table and its dispatcher,
// authentication and logins.
#include "web/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "service/la_directory.h"
#include "service/password.h"
#include "web/app_internal.h"
#include "web/assets.h"
#include "web/routes.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

App::App(store::Store& store, const core::Clock& clock, AppConfig config)
    : store_(store),
      clock_(clock),
      config_(config),
      services_(
          store, clock,
          {.outside_write_check_ms = config.outside_write_check_ms,
           .sessions = {.session_seconds = config.session_seconds,
                        .login_failures_allowed = config.login_failures_allowed,
                        .login_window_seconds = config.login_window_seconds,
                        .login_address_failures_allowed = config.login_address_failures_allowed,
                        .session_recheck_seconds = config.session_recheck_seconds},
           .poster = config.poster,
           .mail = config.mail,
           .sms = config.sms,
           .database_file = config.database_file}) {
  own_la_ = std::make_unique<LaDirectory>(std::vector<store::Store*>{&store});
  la_ = own_la_.get();
}

// A server stopping hands its scheduled jobs to the other processes at once
// rather than when its leases run out. The jobs' thread has stopped by now.
App::~App() {
  if (Status s = services_.jobs().ReleaseAll(); !s.ok()) {
    spdlog::warn("could not give up the leases of scheduled jobs: {}", s.message());
  }
}

int64_t App::version() const { return services_.school().version(); }

Status App::Load() {
  RETURN_IF_ERROR(services_.Load());
  const bool first_run = services_.setup().NeedsSetup();
  if (first_run && setup_code_.empty()) setup_code_ = RandomToken(8);
  needs_setup_ = first_run;
  return core::OkStatus();
}

std::string App::SetupCode() const { return needs_setup_ ? setup_code_ : std::string(); }

Status App::RunScheduledJobs() {
  // A database with no school yet has nothing to send.
  if (needs_setup_) return core::OkStatus();
  // On a quiet evening no request reads the database again, so the settings
  // and pupils another process wrote are read here before anything is sent.
  (void)services_.NoticeOutsideWrites();
  // Each job runs even when the other fails; the first failure is returned.
  Status first = core::OkStatus();
  // A job that must run once however many server processes share the
  // database runs only in the process that holds its lease
  // (service::Jobs); the others skip it. Webhooks and messages take no
  // lease: each message is claimed in the store before it is sent
  // (Store::ClaimDueOutbox), so every process may send, none twice.
  auto ours = [&](std::string_view job, int64_t lease_seconds) {
    StatusOr<bool> claimed = services_.jobs().Claim(job, lease_seconds);
    if (claimed.ok()) return *claimed;
    spdlog::error("{}: could not take its lease: {}", job, claimed.status().message());
    if (first.ok()) first = claimed.status();
    return false;
  };
  StatusOr<service::WebhookRun> webhooks = services_.webhooks().RunDue();
  if (!webhooks.ok()) {
    spdlog::error("webhooks: {}", webhooks.status().message());
    first = webhooks.status();
  } else if (webhooks->attempted > 0) {
    spdlog::info("webhooks: {} queued, {} sent, {} delivered", webhooks->queued,
                 webhooks->attempted, webhooks->delivered);
  }
  // The day-one absence messages, once their time of day has come; queued
  // here, sent by the message sender.
  StatusOr<service::DayOneResult> day_one =
      ours("day-one", service::kJobLeaseSeconds)
          ? services_.day_one().RunDue()
          : StatusOr<service::DayOneResult>(service::DayOneResult{.not_run = "another process"});
  if (!day_one.ok()) {
    spdlog::error("day-one messages: {}", day_one.status().message());
    if (first.ok()) first = day_one.status();
  } else if (day_one->not_run.empty()) {
    spdlog::info("day-one messages: {} queued for {} pupils; {} with no one to message",
                 day_one->messages, day_one->pupils, day_one->unreachable.size());
  }
  // Requests for medical evidence, once a school day after the morning
  // register closes.
  if (StatusOr<int> raised = ours("evidence-requests", service::kJobLeaseSeconds)
                                 ? services_.evidence().RunDue()
                                 : StatusOr<int>(0);
      !raised.ok()) {
    spdlog::error("medical evidence requests: {}", raised.status().message());
    if (first.ok()) first = raised.status();
  } else if (*raised > 0) {
    spdlog::info("medical evidence: {} requests raised", *raised);
  }
  // Sends the emails and texts that are due (those just queued too).
  StatusOr<service::MessageRun> messages = services_.messaging().RunDue();
  if (!messages.ok()) {
    spdlog::error("messages: {}", messages.status().message());
    if (first.ok()) first = messages.status();
  } else if (messages->attempted > 0) {
    spdlog::info("messages: {} sent, {} delivered, {} failed", messages->attempted,
                 messages->delivered, messages->failed);
  }
  // The daily share, once its time of day has come (it logs its outcome).
  if (Status s = ours("daily-share", service::kJobLeaseSeconds) ? services_.shares().RunDue()
                                                                : core::OkStatus();
      !s.ok()) {
    spdlog::error("daily share: {}", s.message());
    if (first.ok()) first = s;
  }
  // The nightly purge of records past their retention period, when the
  // head has turned it on (it reads the school again itself). Its own check
  // (a scheduled purge logged since midnight) keeps it to once a night only
  // when the processes take turns; the lease keeps two from purging at once.
  StatusOr<std::optional<service::PurgePlan>> purged =
      config_.real_clock && ours("retention-purge", service::kLongJobLeaseSeconds)
          ? services_.retention().RunDue()
          : std::optional<service::PurgePlan>();
  if (!purged.ok()) {
    spdlog::error("retention purge: {}", purged.status().message());
    if (first.ok()) first = purged.status();
  } else if (*purged) {
    spdlog::info("retention purge: {} rows removed", (*purged)->total());
  }
  // Staff notifications due now; the messages go with the outbox's sender.
  StatusOr<int> notified = ours("staff-notifications", service::kJobLeaseSeconds)
                               ? services_.notifications().RunDue()
                               : StatusOr<int>(0);
  if (!notified.ok()) {
    spdlog::error("staff notifications: {}", notified.status().message());
    if (first.ok()) first = notified.status();
  } else if (*notified > 0) {
    spdlog::info("staff notifications: {} emails queued", *notified);
  }
  // The scheduled backup, once a day at its time; a failed one is logged for
  // the head's page as well as here.
  StatusOr<std::optional<store::BackupRun>> backup = ours("backup", service::kLongJobLeaseSeconds)
                                                         ? services_.backups().RunDue()
                                                         : std::optional<store::BackupRun>();
  if (!backup.ok()) {
    spdlog::error("backup: {}", backup.status().message());
    if (first.ok()) first = backup.status();
  } else if (*backup && (*backup)->ok) {
    spdlog::info("backup: wrote {} ({} bytes, {} ms, {} old backups deleted)", (*backup)->file,
                 (*backup)->bytes, (*backup)->milliseconds, (*backup)->pruned);
  } else if (*backup) {
    spdlog::error("backup to {} failed: {}", (*backup)->file, (*backup)->detail);
  }
  return first;
}

Response App::Handle(const Request& request) {
  // Reads again what another process wrote, its sessions and passwords too.
  (void)services_.NoticeOutsideWrites();
  StatusOr<Target> target = ParseTarget(request.target);
  if (!target.ok()) return ErrorResponse(target.status());
  Call call{request, std::move(*target), std::nullopt, {}};
  Response res;
  try {
    res = Dispatch(call);
  } catch (const std::exception& e) {
    // A fault in one handler answers that request with a 500 and never takes
    // the server (and every other user's request) down with it. Writes are
    // transactional, so nothing half-done is left behind.
    spdlog::error("{} {}: {}", std::string(http::to_string(request.method)),
                  request.target.substr(0, request.target.find('?')), e.what());
    res = ErrorResponse(core::Internal(core::kErrInternal,
                                       "the server could not complete this request; it has "
                                       "been logged"));
  }
  if (call.api_token_id) {
    // Logged once answered, so the log has the status. The answer stands
    // whether or not the log could be written: the request is done.
    const store::ApiTokenUse use{.token_id = *call.api_token_id,
                                 .at = clock_.NowSeconds(),
                                 .method = std::string(http::to_string(request.method)),
                                 .path = request.target.substr(0, request.target.find('?')),
                                 .status = static_cast<int>(res.status),
                                 .remote_addr = request.remote_addr};
    if (Status s = services_.api_tokens().LogUse(use); !s.ok()) {
      spdlog::error("could not log a use of API token {} ({} {}): {}", use.token_id, use.method,
                    use.path, s.message());
    }
  }
  res.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(res, config_.secure_cookies);
  return res;
}

void AddSecurityHeaders(Response& response, bool secure) {
  // Scripts, styles and images only from this server's own files: no inline
  // script or style attribute runs, and no other site may frame a page.
  response.headers.emplace_back(
      "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
  response.headers.emplace_back("X-Frame-Options", "DENY");
  // Same-origin requests keep their Origin (the login form's CSRF check
  // needs it); no other site learns a page's address.
  response.headers.emplace_back("Referrer-Policy", "same-origin");
  if (secure) {
    response.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  }
}

// ---------------------------------------------------------------------------
// Routing

namespace {

// Whether a request path's `segments` fit `pattern` (routes.h). When they do
// and `params` is given, it gets the values of the pattern's {name} segments.
bool Fits(std::string_view pattern, const std::vector<std::string>& segments,
          std::vector<std::string>* params = nullptr) {
  size_t i = 0;
  for (std::string_view rest = pattern.substr(1); !rest.empty(); ++i) {
    const size_t slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (i == segments.size()) return false;
    if (!part.starts_with('{')) {
      if (part != segments[i]) return false;
    } else if (params) {
      params->push_back(segments[i]);
    }
  }
  return i == segments.size();
}

// The page for a path no page has, or a method it does not have.
Response NoSuchPage() {
  return Layout(std::nullopt, "", "", "Page not found",
                Html::Trusted(R"(<p class="govuk-body">There is no such page. )"
                              R"(<a class="govuk-link" href="/">Start again</a>.</p>)"),
                http::status::not_found);
}

// A page's answer when Authenticate fails: the login form, unless the store
// failed. htmx would swap a redirected-to login form into the page in place
// of a register row, so it is told to load the whole page instead. A login
// ended for want of use says so on the form.
Response ToLogin(const Request& req, const Status& s) {
  if (s.kind() != core::ErrorKind::kUnauthenticated) return ErrorResponse(s);
  const std::string login =
      s.code() == std::string_view(core::kErrSessionIdle) ? "/login?ended=idle" : "/login";
  if (req.htmx) {
    Response res = HtmlResponse("", http::status::unauthorized);
    res.headers.emplace_back("HX-Redirect", login);
    return res;
  }
  return Redirect(login);
}

// A page's answer to a form without the session's CSRF token: most often a
// page left open from an earlier login.
Response FormExpired(const std::optional<Principal>& who, const std::string& csrf) {
  return Layout(who, csrf, "", "Please try again",
                Html::Trusted(R"(<p class="govuk-body">This form has expired. Go back, reload )"
                              R"(the page and try again.</p>)"),
                http::status::forbidden);
}

// A table line whose pattern does not give its handler the path values it
// takes: a mistake in the table, answered as any other fault would be.
Response TableFault() {
  spdlog::error("a route's pattern does not give its handler the path values it takes");
  return ErrorResponse(core::Internal(core::kErrInternal,
                                      "the server could not complete this request; it has "
                                      "been logged"));
}

// How many arguments a handler takes after the Call.
template <typename C, typename... Args>
constexpr size_t ArgsAfterCall(Response (App::*)(C&, Args...)) {
  return sizeof...(Args);
}

}  // namespace

template <auto F, auto... Extra>
Response App::Route::Bind(App& app, Call& call, Params params) {
  constexpr size_t kFromPath = ArgsAfterCall(F) - sizeof...(Extra);
  if (params.size() != kFromPath) return TableFault();
  auto with_values = [&]<size_t... I>(std::index_sequence<I...>) {
    return (app.*F)(call, params[I]..., Extra...);
  };
  return with_values(std::make_index_sequence<kFromPath>());
}

template <auto F>
Response App::Route::Pupil(App& app, Call& call, Params params) {
  if (params.size() != 1) return TableFault();
  const std::optional<int64_t> id = ParseId(params[0]);
  if (!id) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + params[0] + "'"));
  }
  return (app.*F)(call, *id);
}

template <auto F>
Response App::Route::User(App& app, Call& call, Params params) {
  if (params.size() != 1) return TableFault();
  const std::optional<int64_t> id = ParseId(params[0]);
  if (!id) {
    return ErrorResponse(
        core::NotFound(core::kErrUserUnknown, "no user with id '" + params[0] + "'"));
  }
  return (app.*F)(call, *id);
}

std::span<const App::Route> App::Route::All() {
  using enum Kind;
  using enum Access;
  constexpr http::verb kGet = http::verb::get;
  constexpr bool kHashes = true;  // hashes_password
  constexpr http::verb kPost = http::verb::post;
  constexpr http::verb kPut = http::verb::put;
  constexpr http::verb kDelete = http::verb::delete_;

  // The handlers that are not App members of their own.
  constexpr Handler kHealthz = [](App&, Call&, Params) {
    return JsonResponse(R"({"status":"ok"})");
  };
  constexpr Handler kAsset = [](App&, Call&, Params params) {
    std::optional<Asset> asset = FindAsset("/static/" + params[0]);
    if (!asset) return NoSuchPage();
    Response res;
    res.content_type = std::string(asset->content_type);
    res.body = std::string(asset->body);
    return res;
  };
  constexpr Handler kLogoutPage = [](App& app, Call& call, Params) {
    if (Status s = app.EndSession(call); !s.ok()) return ErrorResponse(s);
    Response res = Redirect("/login");
    res.headers.emplace_back("Set-Cookie", app.SessionCookie(""));
    return res;
  };
  // Turning a second factor off checks the password: the hashing pool's.
  constexpr Handler kSecondFactorOff = [](App& app, Call& call, Params) {
    return app.PageSecondFactorPost(call, "off");
  };
  constexpr Handler kTodayCall = [](App& app, Call& call, Params) {
    return app.PageRecordContact(call, "", true);
  };
  constexpr Handler kLeaveRequest = [](App& app, Call& call, Params) {
    return app.PageLeave(call, "", "request");
  };
  constexpr Handler kLeaveDecide = [](App& app, Call& call, Params params) {
    return app.PageLeave(call, params[0], "decide");
  };
  constexpr Handler kLeaveTaken = [](App& app, Call& call, Params params) {
    return app.PageLeave(call, params[0], "taken");
  };
  constexpr Handler kLeaveOverstay = [](App& app, Call& call, Params params) {
    return app.PageLeave(call, params[0], "overstay");
  };

  static constexpr Route kRoutes[] = {
      // Open to everyone: the health check, logging in, and the pages'
      // scripts and styles.
      {kGet, "/healthz", kApi, kHealthz, kPublic},
      {kPost, "/api/v1/login", kApi, Bind<&App::Login>, kPublic, kHashes},
      // What an integration reads first: the API's description and the
      // national attendance codes, which are public knowledge.
      {kGet, "/api/v1/openapi.json", kApi, Bind<&App::OpenApi>, kPublic},
      {kGet, "/api/v1/codes", kApi, Bind<&App::Codes>, kPublic},
      // GOV.UK Notify's delivery receipts: its bearer token is the
      // credential, so no login and no CSRF token.
      {kPost, "/api/v1/messages/notify-receipts", kApi, Bind<&App::PostNotifyReceipt>, kPublic},
      // The login form needs no login, so its one refusal is a method it
      // does not have: a JSON 405, as from the API.
      {kGet, "/login", kApi, Bind<&App::PageLogin>, kPublic},
      {kPost, "/login", kApi, Bind<&App::PageLogin>, kPublic, kHashes},
      // The step after the password: the pending login's cookie is the
      // credential, so no session and no CSRF token (SameSite() checks the
      // origin of each POST).
      {kGet, "/login/code", kApi, Bind<&App::PageLoginCode>, kPublic},
      {kPost, "/login/code", kApi, Bind<&App::PageLoginCode>, kPublic},
      {kGet, "/login/enrol", kApi, Bind<&App::PageLoginEnrol>, kPublic},
      {kPost, "/login/enrol", kApi, Bind<&App::PageLoginEnrol>, kPublic},
      {kGet, "/static/{name}", kPage, kAsset, kPublic},
      // A one-time link to set a password: the token is the permission.
      {kGet, "/invite/{token}", kApi, Bind<&App::PageSetPassword>, kPublic},
      {kPost, "/invite/{token}", kApi, Bind<&App::PageSetPassword>, kPublic, kHashes},

      // API v1. The session.
      {kPost, "/api/v1/logout", kApi, Bind<&App::Logout>},
      {kGet, "/api/v1/me", kApi, Bind<&App::Me>},
      {kPost, "/api/v1/me/password", kApi, Bind<&App::PostOwnPassword>, kLogin, kHashes},
      // Pupils and summaries.
      {kGet, "/api/v1/pupils", kApi, Bind<&App::ListPupils>},
      {kPost, "/api/v1/pupils", kApi, Bind<&App::PostPupil>},
      {kGet, "/api/v1/pupils/{id}", kApi, Pupil<&App::GetPupil>},
      {kPut, "/api/v1/pupils/{id}", kApi, Pupil<&App::PutPupil>},
      {kPost, "/api/v1/pupils/{id}/leave", kApi, Pupil<&App::PostPupilLeave>},
      {kGet, "/api/v1/pupils/{id}/summary", kApi, Pupil<&App::PupilSummary>},
      {kGet, "/api/v1/pupils/{id}/amendments", kApi, Pupil<&App::PupilAmendments>},
      {kGet, "/api/v1/school/summary", kApi, Bind<&App::SchoolSummary>},
      {kGet, "/api/v1/school/dashboard", kApi, Bind<&App::SchoolDashboard>},
      {kGet, "/api/v1/classes", kApi, Bind<&App::ListClasses>},
      // Registers.
      {kGet, "/api/v1/registers/{date}/{session}", kApi, Bind<&App::GetRegister>},
      {kPut, "/api/v1/registers/{date}/{session}/marks/{pupil}", kApi, Bind<&App::PutMark>},
      // Lesson registers.
      {kGet, "/api/v1/lessons/{date}/{period}/{group}", kApi, Bind<&App::GetLessonRegister>},
      {kPut, "/api/v1/lessons/{date}/{period}/{group}/marks/{pupil}", kApi,
       Bind<&App::PutLessonMark>},
      // Absence reports.
      {kPost, "/api/v1/pupils/{id}/absence-reports", kApi, Pupil<&App::ReportAbsence>},
      {kGet, "/api/v1/absence-reports", kApi, Bind<&App::ListAbsenceReports>},
      {kPost, "/api/v1/absence-reports/{id}/resolve", kApi, Bind<&App::ResolveAbsenceReport>},
      {kPost, "/api/v1/absence-reports/{id}/confirm", kApi, Bind<&App::PostConfirmReport>},
      // Contact log and messages.
      {kGet, "/api/v1/pupils/{id}/contact-log", kApi, Pupil<&App::GetContactLog>},
      {kPost, "/api/v1/pupils/{id}/contact-log", kApi, Pupil<&App::PostContact>},
      {kGet, "/api/v1/pupils/{id}/messages", kApi, Pupil<&App::GetMessages>},
      {kPost, "/api/v1/pupils/{id}/contacts", kApi, Pupil<&App::PostPupilContact>},
      {kPut, "/api/v1/pupils/{id}/contacts/{n}", kApi, Bind<&App::PutPupilContact>},
      {kDelete, "/api/v1/pupils/{id}/contacts/{n}", kApi, Bind<&App::DeletePupilContact>},
      {kPost, "/api/v1/pupils/{id}/contacts/confirm", kApi, Pupil<&App::PostConfirmContacts>},
      {kPost, "/api/v1/pupils/{id}/flags", kApi, Pupil<&App::PostPupilFlag>},
      // Children missing education.
      {kGet, "/api/v1/pupils/{id}/cme", kApi, Pupil<&App::PupilCmeCases>},
      {kGet, "/api/v1/cme-cases", kApi, Bind<&App::ListCmeCases>},
      {kPost, "/api/v1/cme-cases/{id}/steps", kApi, Bind<&App::PostCmeStep>},
      {kPost, "/api/v1/cme-cases/{id}/close", kApi, Bind<&App::PostCloseCme>},
      // Notifications owed to the LA, and the LA's schools.
      {kGet, "/api/v1/la-notifications", kApi, Bind<&App::GetLaNotifications>},
      {kPost, "/api/v1/la-notifications/{key}/{action}", kApi, Bind<&App::PostLaNotification>},
      {kGet, "/api/v1/la/schools", kApi, Bind<&App::LaSchoolsJson>},
      // Common Transfer Files owed for leavers.
      {kGet, "/api/v1/transfers", kApi, Bind<&App::GetTransfers>},
      // Graduated approach.
      {kGet, "/api/v1/pupils/{id}/support", kApi, Pupil<&App::GetSupport>},
      {kPost, "/api/v1/pupils/{id}/stage", kApi, Pupil<&App::PostStage>},
      {kPost, "/api/v1/pupils/{id}/support-events", kApi, Pupil<&App::PostSupportEvent>},
      // Part-time timetables.
      {kGet, "/api/v1/pupils/{id}/part-time", kApi, Pupil<&App::GetPartTime>},
      {kPost, "/api/v1/pupils/{id}/part-time", kApi, Pupil<&App::PostPartTime>},
      {kPost, "/api/v1/part-time/{id}/reviews", kApi, Bind<&App::PostPartTimeReview>},
      // Leave of absence.
      {kPost, "/api/v1/pupils/{id}/leave-requests", kApi, Pupil<&App::PostLeaveRequest>},
      {kGet, "/api/v1/leave-requests", kApi, Bind<&App::ListLeaveRequests>},
      {kPost, "/api/v1/leave-requests/{id}/decision", kApi, Bind<&App::PostLeaveDecision>},
      // Penalty notices.
      {kPost, "/api/v1/pupils/{id}/exclusion-notice-cases", kApi, Pupil<&App::PostExclusionCase>},
      {kGet, "/api/v1/penalty-cases", kApi, Bind<&App::ListPenaltyCases>},
      {kGet, "/api/v1/penalty-cases/{id}", kApi, Bind<&App::GetPenaltyCase>},
      {kPost, "/api/v1/penalty-cases/{id}/events", kApi, Bind<&App::PostPenaltyEvent>},
      // Letters.
      {kPost, "/api/v1/letters", kApi, Bind<&App::PostLetters>},
      {kGet, "/api/v1/letters/{id}", kApi, Bind<&App::GetLetter>},
      {kGet, "/api/v1/pupils/{id}/letters", kApi, Pupil<&App::GetPupilLetters>},
      {kGet, "/api/v1/pupils/{id}/evidence", kApi, Pupil<&App::ApiListEvidence>},
      {kPost, "/api/v1/pupils/{id}/evidence", kApi, Pupil<&App::ApiPostEvidence>},
      // Data, settings and staff.
      {kGet, "/api/v1/export/scenario", kApi, Bind<&App::ExportScenario>},
      {kGet, "/api/v1/settings", kApi, Bind<&App::GetSettings>},
      {kPut, "/api/v1/settings", kApi, Bind<&App::PutSettings>},
      {kGet, "/api/v1/users", kApi, Bind<&App::ListUsers>},
      {kPost, "/api/v1/users", kApi, Bind<&App::AddUser>, kLogin, kHashes},
      {kPost, "/api/v1/users/{id}/password", kApi, User<&App::PostResetPassword>, kLogin, kHashes},
      {kPost, "/api/v1/users/invitations", kApi, Bind<&App::PostInvitation>},
      {kPost, "/api/v1/users/{id}/invitation", kApi, Bind<&App::PostNewLink>},
      {kPost, "/api/v1/users/{id}/disable", kApi, Bind<&App::PostSetActive, false>},
      {kPost, "/api/v1/users/{id}/enable", kApi, Bind<&App::PostSetActive, true>},
      // Webhooks: subscriptions and the delivery log (the head).
      {kGet, "/api/v1/webhooks", kApi, Bind<&App::ListWebhooks>},
      {kPost, "/api/v1/webhooks", kApi, Bind<&App::PostWebhook>},
      {kPost, "/api/v1/webhooks/{id}/{action}", kApi, Bind<&App::PostWebhookAction>},

      // Pages. The start page, the session and the account.
      {kGet, "/", kPage, Bind<&App::PageHome>},
      {kPost, "/logout", kPage, kLogoutPage},
      {kGet, "/account", kPage, Bind<&App::PageAccount>},
      {kPost, "/account/password", kPage, Bind<&App::PageAccountPost>, kLogin, kHashes},
      {kGet, "/account/second-factor", kPage, Bind<&App::PageSecondFactor>},
      {kPost, "/account/second-factor/off", kPage, kSecondFactorOff, kLogin, kHashes},
      {kPost, "/account/second-factor/{action}", kPage, Bind<&App::PageSecondFactorPost>},
      {kGet, "/second-factor", kPage, Bind<&App::PageSecondFactors>},
      {kPost, "/second-factor/{action}", kPage, Bind<&App::PageSecondFactorsPost>},
      // Registers and amendments.
      {kGet, "/register", kPage, Bind<&App::PageRegister>},
      {kPost, "/register/mark", kPage, Bind<&App::PageMark>},
      {kPost, "/register/all-present", kPage, Bind<&App::PageAllPresent>},
      {kGet, "/register/print", kPage, Bind<&App::PagePrintRegister>},
      {kGet, "/classes/{id}/list", kPage, Bind<&App::PageClassList>},
      {kGet, "/amendments", kPage, Bind<&App::PageAmendments, false>},
      // Lesson registers and the timetable.
      {kGet, "/lessons", kPage, Bind<&App::PageLessons>},
      {kGet, "/lessons/register", kPage, Bind<&App::PageLessonRegister>},
      {kPost, "/lessons/mark", kPage, Bind<&App::PageLessonMark>},
      {kPost, "/lessons/all-present", kPage, Bind<&App::PageLessonAllPresent>},
      {kGet, "/lessons/disagreements", kPage, Bind<&App::PageLessonDisagreements>},
      {kGet, "/timetable", kPage, Bind<&App::PageTimetable>},
      {kPost, "/timetable/import", kPage, Bind<&App::PageTimetableImport>},
      {kGet, "/amendments.csv", kPage, Bind<&App::PageAmendments, true>},
      // The office's day.
      {kGet, "/today", kPage, Bind<&App::PageToday>},
      // The reception desk and school transport.
      {kGet, "/reception", kPage, Bind<&App::PageReception>},
      {kGet, "/reception/find", kPage, Bind<&App::PageReceptionFind>},
      {kGet, "/reception/{id}/in", kPage, Bind<&App::PageSignInOut, true>},
      {kPost, "/reception/{id}/in", kPage, Bind<&App::PageSignInOut, true>},
      {kGet, "/reception/{id}/out", kPage, Bind<&App::PageSignInOut, false>},
      {kPost, "/reception/{id}/out", kPage, Bind<&App::PageSignInOut, false>},
      {kGet, "/transport", kPage, Bind<&App::PageTransport>},
      {kPost, "/transport/routes", kPage, Bind<&App::PageAddRoute>},
      {kPost, "/transport/riders", kPage, Bind<&App::PageSetRoute>},
      {kPost, "/transport/import", kPage, Bind<&App::PageImportRoutes>},
      {kPost, "/transport/delays", kPage, Bind<&App::PageRouteDelay>},
      {kPost, "/today/call", kPage, kTodayCall},
      {kPost, "/today/report/{id}", kPage, Bind<&App::PageConfirmReport>},
      {kPost, "/today/leave/{id}/taken", kPage, kLeaveTaken},
      {kPost, "/today/leave/{id}/overstay", kPage, kLeaveOverstay},
      // A pupil, and the casework on their page.
      {kGet, "/pupils", kPage, Bind<&App::PagePupils>},
      {kGet, "/pupils/new", kPage, Bind<&App::PageAdmit>},
      {kPost, "/pupils/new", kPage, Bind<&App::PageAdmit>},
      {kGet, "/pupils/contacts-to-check", kPage, Bind<&App::PageContactsToCheck>},
      {kGet, "/pupils/{id}", kPage, Bind<&App::PagePupil>},
      {kGet, "/pupils/{id}/edit", kPage, Bind<&App::PageEditPupil>},
      {kPost, "/pupils/{id}/edit", kPage, Bind<&App::PageEditPupil>},
      {kGet, "/pupils/{id}/leave", kPage, Bind<&App::PageLeaveRoll>},
      {kPost, "/pupils/{id}/leave", kPage, Bind<&App::PageLeaveRoll>},
      {kPost, "/pupils/{id}/contact", kPage, Bind<&App::PageRecordContact, false>},
      {kPost, "/pupils/{id}/contacts", kPage, Bind<&App::PageSaveContact>},
      {kPost, "/pupils/{id}/contacts/{what}", kPage, Bind<&App::PageChangeContacts>},
      {kPost, "/pupils/{id}/flags", kPage, Bind<&App::PageChangeFlag>},
      {kPost, "/pupils/{id}/social-worker", kPage, Bind<&App::PageSocialWorker>},
      {kPost, "/pupils/{id}/evidence", kPage, Bind<&App::PagePostEvidence>},
      {kPost, "/pupils/{id}/condition", kPage, Bind<&App::PageCondition>},
      {kGet, "/evidence/{id}", kPage, Bind<&App::GetEvidence>},
      {kGet, "/pupils/{id}/access-log", kPage, Bind<&App::PagePupilAccessLog>},
      {kGet, "/pupils/{id}/subject-access", kPage, Bind<&App::PageSubjectAccess>},
      {kGet, "/pupils/{id}/subject-access/{what}", kPage, Bind<&App::GetSubjectAccess>},
      {kPost, "/pupils/{id}/stage", kPage, Bind<&App::PageSupport, true>},
      {kPost, "/pupils/{id}/support", kPage, Bind<&App::PageSupport, false>},
      {kPost, "/pupils/{id}/part-time", kPage, Bind<&App::PagePartTime, false>},
      {kPost, "/part-time/{id}/review", kPage, Bind<&App::PagePartTime, true>},
      {kPost, "/cme/{id}/step", kPage, Bind<&App::PageCme, false>},
      {kPost, "/cme/{id}/close", kPage, Bind<&App::PageCme, true>},
      {kPost, "/leave/request", kPage, kLeaveRequest},
      {kPost, "/leave/{id}/decide", kPage, kLeaveDecide},
      // Dashboards and reports.
      {kGet, "/school", kPage, Bind<&App::PageDashboard>},
      {kGet, "/governors", kPage, Bind<&App::PageGovernors>},
      {kGet, "/rewards", kPage, Bind<&App::PageRewards, false>},
      {kGet, "/rewards.csv", kPage, Bind<&App::PageRewards, true>},
      {kPost, "/rewards/certificates", kPage, Bind<&App::PageRewardCertificates>},
      {kGet, "/la-notifications", kPage, Bind<&App::PageLaNotifications, false>},
      {kGet, "/la-notifications.csv", kPage, Bind<&App::PageLaNotifications, true>},
      {kPost, "/la-notifications/{key}/{action}", kPage, Bind<&App::PageMarkNotification>},
      {kGet, "/transfers", kPage, Bind<&App::PageTransfers>},
      {kPost, "/transfers/owed/ctf", kPage, Bind<&App::PageOwedTransfersFile>},
      {kPost, "/transfers/{id}/ctf", kPage, Bind<&App::PageTransferFile>},
      {kGet, "/census", kPage, Bind<&App::PageCensus>},
      {kPost, "/census/return.xml", kPage, Bind<&App::PostCensusXml>},
      {kGet, "/census/return.csv", kPage, Bind<&App::GetCensusCsv>},
      {kGet, "/census/returns/{file}", kPage, Bind<&App::GetCensusReturn>},
      // The LA's views across schools.
      {kGet, "/la/schools", kPage, Bind<&App::PageLaSchools>},
      {kGet, "/la/pupils", kPage, Bind<&App::PageLaPupils>},
      {kGet, "/la/schools/{urn}", kPage, Bind<&App::PageLaSchool>},
      {kGet, "/la/schools/{urn}/pack", kPage, Bind<&App::PageLaPack, false>},
      {kGet, "/la/schools/{urn}/pack.pdf", kPage, Bind<&App::PageLaPack, true>},
      // Penalty notices.
      {kGet, "/penalties", kPage, Bind<&App::PagePenalties>},
      {kGet, "/penalties/{id}", kPage, Bind<&App::PagePenaltyCase>},
      {kPost, "/penalties/{id}/event", kPage, Bind<&App::PagePenaltyEvent>},
      {kPost, "/penalties/{id}/evidence", kPage, Bind<&App::PostEvidencePack>},
      {kGet, "/penalties/{id}/evidence/{what}", kPage, Bind<&App::GetEvidencePack>},
      // Letters.
      {kGet, "/letters", kPage, Bind<&App::PageLetters>},
      {kPost, "/letters", kPage, Bind<&App::PageLetters>},
      {kGet, "/letters/batch/{batch}", kPage, Bind<&App::PageLetterBatch>},
      {kPost, "/letters/batch/{batch}/posted", kPage, Bind<&App::PageLettersPosted>},
      {kGet, "/letters/{id}", kPage, Bind<&App::PageLetter>},
      // Accounts.
      {kGet, "/users", kPage, Bind<&App::PageUsers>},
      {kGet, "/users/{id}/access-log", kPage, Bind<&App::PageUserAccessLog>},
      {kPost, "/users/invite", kPage, Bind<&App::PageInviteUser>},
      {kPost, "/users/{id}/{action}", kPage, Bind<&App::PageUserAction>},
      // Settings.
      {kGet, "/settings", kPage, Bind<&App::PageSettings>},
      {kPost, "/settings", kPage, Bind<&App::PageSettings>},
      {kPost, "/settings/closure", kPage, Bind<&App::PageAddClosure>},
      {kGet, "/settings/calendar", kPage, Bind<&App::PageCalendar>},
      {kPost, "/settings/calendar", kPage, Bind<&App::PageCalendar>},
      {kGet, "/settings/api-tokens", kPage, Bind<&App::PageApiTokens>},
      {kPost, "/settings/api-tokens", kPage, Bind<&App::PageApiTokens>},
      {kGet, "/settings/api-tokens/{id}", kPage, Bind<&App::PageApiToken>},
      {kPost, "/settings/api-tokens/{id}/revoke", kPage, Bind<&App::PageApiToken>},
      // The early warning of persistent absence.
      {kGet, "/early-warning", kPage, Bind<&App::PageEarlyWarning>},
      // The daily attendance share.
      {kGet, "/share", kPage, Bind<&App::PageShare>},
      {kPost, "/share", kPage, Bind<&App::PageShare>},
      {kPost, "/share/settings", kPage, Bind<&App::PageShareSettings>},
      {kGet, "/settings/evidence", kPage, Bind<&App::PageEvidenceSettings>},
      {kPost, "/settings/evidence", kPage, Bind<&App::PageEvidenceSettings>},
      {kGet, "/settings/webhooks", kPage, Bind<&App::PageWebhooks>},
      {kPost, "/settings/webhooks", kPage, Bind<&App::PageWebhooks>},
      {kGet, "/settings/notifications", kPage, Bind<&App::PageNotifications>},
      {kPost, "/settings/notifications", kPage, Bind<&App::PageNotifications>},
      {kGet, "/settings/retention", kPage, Bind<&App::PageRetention>},
      {kPost, "/settings/retention", kPage, Bind<&App::PageRetention>},
      {kPost, "/settings/webhooks/{id}/{action}", kPage, Bind<&App::PageWebhookAction>},
      {kGet, "/settings/templates", kPage, Bind<&App::PageTemplates>},
      {kPost, "/settings/templates", kPage, Bind<&App::PageTemplates>},
      {kGet, "/settings/messages", kPage, Bind<&App::PageMessageSettings>},
      {kPost, "/settings/messages", kPage, Bind<&App::PageMessageSettings>},
      {kPost, "/settings/messages/test", kPage, Bind<&App::PageMessageTest>},
      // The scheduled backup of an SQLite school (the head).
      {kGet, "/settings/backups", kPage, Bind<&App::PageBackups>},
      {kPost, "/settings/backups", kPage, Bind<&App::PageBackups>},
      {kPost, "/settings/backups/now", kPage, Bind<&App::PageBackupNow>},
      {kGet, "/messages", kPage, Bind<&App::PageMessages>},
      // Setting up the school: open to whoever has the code the server printed.
      {kGet, "/setup", kPage, Bind<&App::PageSetup>, kPublic},
      {kPost, "/setup", kPage, Bind<&App::PageSetup>, kPublic, kHashes},
      // Parents.
      {kGet, "/parent", kPage, Bind<&App::PageParent>},
      {kPost, "/parent/report", kPage, Bind<&App::PageReportAbsence>},
      // Medical evidence: sent from the parents' page and a pupil's page,
      // downloaded, and the rules for asking (the head).
      {kPost, "/parent/evidence", kPage, Bind<&App::PageParentEvidence>},
  };
  return kRoutes;
}

namespace {

// What a path and method reach: `resource`, the pattern that fits the path
// with the most literal segments (/pupils/{id}/contacts/confirm, not
// .../contacts/{n}), the first such in the table; `route`, that pattern's
// entry for the method, or null when it has none. Dispatching and the
// server's choice of thread for password hashing both ask this, so they
// cannot disagree.
struct RouteMatch {
  const App::Route* resource = nullptr;
  const App::Route* route = nullptr;
};
RouteMatch MatchRoute(const std::vector<std::string>& segments, http::verb method) {
  const auto literals = [](std::string_view pattern) {
    return std::count(pattern.begin(), pattern.end(), '/') -
           std::count(pattern.begin(), pattern.end(), '{');
  };
  RouteMatch match;
  for (const App::Route& r : App::Route::All()) {
    if (Fits(r.pattern, segments) &&
        (!match.resource || literals(r.pattern) > literals(match.resource->pattern))) {
      match.resource = &r;
    }
  }
  if (!match.resource) return match;
  for (const App::Route& r : App::Route::All()) {
    if (r.pattern == match.resource->pattern && r.method == method) {
      match.route = &r;
      break;
    }
  }
  return match;
}

}  // namespace

bool HashesPasswords(const Request& request) {
  StatusOr<Target> target = ParseTarget(request.target);
  if (!target.ok()) return false;
  const RouteMatch match = MatchRoute(target->segments, request.method);
  return match.route && match.route->hashes_password;
}

bool App::HashesPasswords(const Request& request) const { return web::HashesPasswords(request); }

Response App::Dispatch(Call& call) {
  if (std::optional<Response> res = WhileNotSetUp(call)) return std::move(*res);
  const std::vector<std::string>& seg = call.target.segments;
  const http::verb method = call.req.method;
  const auto [fits, route] = MatchRoute(seg, method);
  if (!route) {
    // Decided before authentication, so that an unknown API path is a 404
    // and a wrong method a 405 for everyone.
    if (fits && fits->kind == Route::Kind::kApi) return ErrorResponse(MethodNotAllowed());
    if (!seg.empty() && seg[0] == "api") {
      const bool v1 = seg.size() >= 3 && seg[1] == "v1";
      return ErrorResponse(core::NotFound(
          core::kErrNotFound, (v1 ? "no such API path: " : "no such page: ") + call.req.target));
    }
    // No page has this path and method. As on every page, the login comes
    // first (whoever is not logged in is sent to log in, whatever the path),
    // then a POST's token. Only a POST's: forms send no other method.
    if (Status s = Authenticate(call); !s.ok()) return ToLogin(call.req, s);
    if (method == http::verb::post) {
      if (Status s = CheckCsrf(call, /*form=*/true); !s.ok()) {
        return FormExpired(call.who, call.csrf);
      }
    }
    return NoSuchPage();
  }
  if (route->access == Route::Access::kLogin) {
    const bool page = route->kind == Route::Kind::kPage;
    if (Status s = Authenticate(call); !s.ok()) {
      if (page) return ToLogin(call.req, s);
      Response res = ErrorResponse(s);
      if (s.kind() == core::ErrorKind::kUnauthenticated && call.req.authorization.size() > 0) {
        res.headers.emplace_back("WWW-Authenticate", R"(Bearer error="invalid_token")");
      }
      return res;
    }
    // A call with an API token carries no CSRF token: no browser sends the
    // Authorization header by itself, so another site cannot forge one.
    if (method != http::verb::get && !call.api_token_id) {
      if (Status s = CheckCsrf(call, /*form=*/page); !s.ok()) {
        return page ? FormExpired(call.who, call.csrf) : ErrorResponse(s);
      }
    }
  }
  std::vector<std::string> params;
  Fits(route->pattern, seg, &params);
  return route->handler(*this, call, params);
}

// ---------------------------------------------------------------------------
// Authentication

Status App::Authenticate(Call& call) {
  // An API token logs in to the API only, never to a page. Sent with a
  // session cookie, the token wins: an integration's call never acts as
  // whoever is logged in in the same browser.
  const std::vector<std::string>& seg = call.target.segments;
  if (seg.size() >= 2 && seg[0] == "api" && seg[1] == "v1") {
    if (std::optional<std::string> bearer = BearerToken(call.req.authorization)) {
      ASSIGN_OR_RETURN(service::ApiCaller caller, services_.api_tokens().Authenticate(*bearer));
      call.who = std::move(caller.who);
      call.api_token_id = caller.token_id;
      return core::OkStatus();
    }
  }
  const std::optional<std::string> token = CookieValue(call.req.cookie, kSessionCookie);
  StatusOr<service::ActiveSession> session =
      services_.sessions().Lookup(token.value_or(""), clock_.NowSeconds());
  if (!session.ok()) return session.status();
  call.who = std::move(session->who);
  call.csrf = std::move(session->csrf);
  // Whole pages show the menu, a form post's answer drawn as a page too; the
  // API and htmx's fragments do not.
  if ((seg.empty() || seg[0] != "api") && !call.req.htmx) {
    call.who->lessons_in_menu = services_.lessons().HasLessonsFor(*call.who);
  }
  return core::OkStatus();
}

Status App::CheckCsrf(const Call& call, bool form) const {
  // The header wins when both come. Only pages read the form field: the
  // API's clients send the header, and its bodies are JSON, not forms.
  std::string sent = call.req.csrf_token;
  if (sent.empty() && form) sent = Get(FormFields(call.req), "_csrf");
  if (sent.empty() || !SecretEquals(sent, call.csrf)) {
    return core::PermissionDenied(
        core::kErrCsrf, "missing or wrong X-CSRF-Token header (it is returned by login and /me)");
  }
  return core::OkStatus();
}

Response App::Login(Call& call) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"username", "password"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> username = StringField(*body, "username", true);
  if (!username.ok()) return ErrorResponse(username.status());
  StatusOr<std::string> password = StringField(*body, "password", true);
  if (!password.ok()) return ErrorResponse(password.status());
  StatusOr<NewSession> session = OpenSession(call, *username, *password);
  if (!session.ok()) return ErrorResponse(session.status());
  Response res =
      JsonResponse(json{{"user", UserJson(session->user)}, {"csrf_token", session->csrf}}.dump());
  res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
  return res;
}

std::string App::SessionCookie(const std::string& token) const {
  // An empty token clears the cookie.
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie,
                     token, token.empty() ? 0 : config_.session_seconds,
                     config_.secure_cookies ? "; Secure" : "");
}

Status App::SameSite(const Call& call) {
  if (!call.req.origin.empty() && call.req.origin != "http://" + call.req.host &&
      call.req.origin != "https://" + call.req.host) {
    return core::PermissionDenied(core::kErrCsrf, "login from another site");
  }
  return core::OkStatus();
}

StatusOr<App::NewSession> App::OpenSession(const Call& call, const std::string& username,
                                           const std::string& password) {
  RETURN_IF_ERROR(SameSite(call));
  return services_.sessions().Login(username, password, call.req.remote_addr, clock_.NowSeconds());
}

Status App::EndSession(const Call& call) {
  const std::optional<std::string> token = CookieValue(call.req.cookie, kSessionCookie);
  return services_.sessions().Logout(token.value_or(""));
}

Response App::Logout(Call& call) {
  if (Status s = service::RefuseApiToken(*call.who, "log out"); !s.ok()) return ErrorResponse(s);
  if (Status s = EndSession(call); !s.ok()) return ErrorResponse(s);
  Response res = JsonResponse(R"({"status":"logged out"})");
  res.headers.emplace_back("Set-Cookie", SessionCookie(""));
  return res;
}

Response App::Me(Call& call) {
  const service::SchoolFacts school = services_.school_views().Facts();
  const json school_json{{"name", school.name}, {"urn", school.urn}, {"la_code", school.la_code}};
  if (call.api_token_id) {
    // A token is no account: it says its own name and scopes.
    json scopes = json::array();
    for (service::ApiScope scope :
         call.who->token_scopes.value_or(std::vector<service::ApiScope>{})) {
      scopes.push_back(service::ApiScopeName(scope));
    }
    return JsonResponse(json{
        {"api_token", {{"id", *call.api_token_id}, {"name", call.who->name}, {"scopes", scopes}}},
        {"school",
         school_json}}.dump());
  }
  const std::optional<store::User> user = services_.accounts().User(call.who->user_id);
  if (!user) {
    // Gone since the login was checked (the school was read again).
    return ErrorResponse(
        core::Unauthenticated(core::kErrNotLoggedIn, "this account is no longer active"));
  }
  return JsonResponse(
      json{{"user", UserJson(*user)}, {"csrf_token", call.csrf}, {"school", school_json}}.dump());
}

}  // namespace rollcall::web
