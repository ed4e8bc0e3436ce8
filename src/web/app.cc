// app.cc: loading the snapshot, routing, authentication and logins.
#include "web/app.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error_codes.h"
#include "service/password.h"
#include "web/app_internal.h"
#include "web/la_directory.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

App::App(store::Store& store, const core::Clock& clock, AppConfig config)
    : store_(store),
      clock_(clock),
      config_(config),
      services_(store, clock, {.outside_write_check_ms = config.outside_write_check_ms}),
      school_(services_.school()),
      mu_(school_.mutex()),
      snapshot_(school_.snapshot()) {
  own_la_ = std::make_unique<LaDirectory>(std::vector<store::Store*>{&store});
  la_ = own_la_.get();
}

App::~App() = default;

int64_t App::version() const { return school_.version(); }

Status App::Load() {
  RETURN_IF_ERROR(services_.Load());
  // Another process may have ended sessions or changed passwords.
  ForgetSessions(std::nullopt);
  return core::OkStatus();
}

Response App::Handle(const Request& request) {
  // Another process's writes: its sessions and passwords too.
  if (services_.NoticeOutsideWrites()) ForgetSessions(std::nullopt);
  StatusOr<Target> target = ParseTarget(request.target);
  if (!target.ok()) return ErrorResponse(target.status());
  Call call{request, std::move(*target), std::nullopt, {}, {}};
  Response res;
  try {
    res = Route(call);
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
  res.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(res, config_.secure_cookies);
  return res;
}

bool HashesPasswords(const Request& request) {
  if (request.method != http::verb::post) return false;
  const std::string_view path =
      std::string_view(request.target)
          .substr(0, std::min(request.target.find('?'), request.target.size()));
  if (path == "/api/v1/login" || path == "/login" || path == "/api/v1/me/password" ||
      path == "/api/v1/users" || path == "/account/password" || path == "/account/reset") {
    return true;
  }
  // /api/v1/users/ID/password
  return path.starts_with("/api/v1/users/") && path.ends_with("/password");
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

Response App::Route(Call& call) {
  const std::vector<std::string>& seg = call.target.segments;
  const http::verb method = call.req.method;
  const bool get = method == http::verb::get;
  auto wrong_method = [] { return ErrorResponse(MethodNotAllowed()); };

  if (seg.size() == 1 && seg[0] == "healthz") {
    return get ? JsonResponse(R"({"status":"ok"})") : wrong_method();
  }
  if (seg.empty() || seg[0] != "api") return Page(call);
  if (seg.size() < 3 || seg[1] != "v1") {
    return ErrorResponse(core::NotFound(core::kErrNotFound, "no such page: " + call.req.target));
  }
  const std::string& r = seg[2];
  const size_t n = seg.size();
  if (r == "login" && n == 3) return method == http::verb::post ? Login(call) : wrong_method();

  // Which handler, before authentication, so that an unknown path is a 404
  // and a wrong method a 405 for everyone.
  enum class H {
    kLogout,
    kMe,
    kPupils,
    kPupil,
    kSummary,
    kAmendments,
    kSchoolSummary,
    kSchoolDashboard,
    kContactLog,
    kMessages,
    kPupilCme,
    kLaNotifications,
    kLaSchools,
    kLaNotification,
    kSupport,
    kStage,
    kSupportEvents,
    kPartTime,
    kPartTimeReview,
    kLetters,
    kLetter,
    kLeaveRequest,
    kLeaveRequests,
    kLeaveDecision,
    kExclusionCase,
    kPenaltyCases,
    kPenaltyCase,
    kPenaltyEvent,
    kPupilLetters,
    kCmeCases,
    kCmeStep,
    kCmeClose,
    kClasses,
    kRegister,
    kMark,
    kExport,
    kSettings,
    kUsers,
    kOwnPassword,
    kUserPassword,
    kReport,
    kReports,
    kResolve,
    kConfirm,
    kNone
  };
  H h = H::kNone;
  bool allowed = get;
  if (r == "logout" && n == 3) {
    h = H::kLogout;
    allowed = method == http::verb::post;
  } else if (r == "me" && n == 3) {
    h = H::kMe;
  } else if (r == "me" && n == 4 && seg[3] == "password") {
    h = H::kOwnPassword;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 3) {
    h = H::kPupils;
  } else if (r == "pupils" && n == 4) {
    h = H::kPupil;
  } else if (r == "pupils" && n == 5 && seg[4] == "summary") {
    h = H::kSummary;
  } else if (r == "pupils" && n == 5 && seg[4] == "amendments") {
    h = H::kAmendments;
  } else if (r == "pupils" && n == 5 && seg[4] == "contact-log") {
    h = H::kContactLog;
    allowed = get || method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "messages") {
    h = H::kMessages;
  } else if (r == "pupils" && n == 5 && seg[4] == "cme") {
    h = H::kPupilCme;
  } else if (r == "pupils" && n == 5 && seg[4] == "support") {
    h = H::kSupport;
  } else if (r == "pupils" && n == 5 && seg[4] == "stage") {
    h = H::kStage;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "support-events") {
    h = H::kSupportEvents;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "part-time") {
    h = H::kPartTime;
    allowed = get || method == http::verb::post;
  } else if (r == "part-time" && n == 5 && seg[4] == "reviews") {
    h = H::kPartTimeReview;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "leave-requests") {
    h = H::kLeaveRequest;
    allowed = method == http::verb::post;
  } else if (r == "leave-requests" && n == 3) {
    h = H::kLeaveRequests;
  } else if (r == "leave-requests" && n == 5 && seg[4] == "decision") {
    h = H::kLeaveDecision;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "exclusion-notice-cases") {
    h = H::kExclusionCase;
    allowed = method == http::verb::post;
  } else if (r == "penalty-cases" && n == 3) {
    h = H::kPenaltyCases;
  } else if (r == "penalty-cases" && n == 4) {
    h = H::kPenaltyCase;
  } else if (r == "penalty-cases" && n == 5 && seg[4] == "events") {
    h = H::kPenaltyEvent;
    allowed = method == http::verb::post;
  } else if (r == "letters" && n == 3) {
    h = H::kLetters;
    allowed = method == http::verb::post;
  } else if (r == "letters" && n == 4) {
    h = H::kLetter;
  } else if (r == "pupils" && n == 5 && seg[4] == "letters") {
    h = H::kPupilLetters;
  } else if (r == "la" && n == 4 && seg[3] == "schools") {
    h = H::kLaSchools;
  } else if (r == "la-notifications" && n == 3) {
    h = H::kLaNotifications;
  } else if (r == "la-notifications" && n == 5) {
    h = H::kLaNotification;
    allowed = method == http::verb::post;
  } else if (r == "cme-cases" && n == 3) {
    h = H::kCmeCases;
  } else if (r == "cme-cases" && n == 5 && seg[4] == "steps") {
    h = H::kCmeStep;
    allowed = method == http::verb::post;
  } else if (r == "cme-cases" && n == 5 && seg[4] == "close") {
    h = H::kCmeClose;
    allowed = method == http::verb::post;
  } else if (r == "pupils" && n == 5 && seg[4] == "absence-reports") {
    h = H::kReport;
    allowed = method == http::verb::post;
  } else if (r == "absence-reports" && n == 3) {
    h = H::kReports;
  } else if (r == "absence-reports" && n == 5 && seg[4] == "resolve") {
    h = H::kResolve;
    allowed = method == http::verb::post;
  } else if (r == "absence-reports" && n == 5 && seg[4] == "confirm") {
    h = H::kConfirm;
    allowed = method == http::verb::post;
  } else if (r == "school" && n == 4 && seg[3] == "summary") {
    h = H::kSchoolSummary;
  } else if (r == "school" && n == 4 && seg[3] == "dashboard") {
    h = H::kSchoolDashboard;
  } else if (r == "classes" && n == 3) {
    h = H::kClasses;
  } else if (r == "registers" && n == 5) {
    h = H::kRegister;
  } else if (r == "registers" && n == 7 && seg[5] == "marks") {
    h = H::kMark;
    allowed = method == http::verb::put;
  } else if (r == "export" && n == 4 && seg[3] == "scenario") {
    h = H::kExport;
  } else if (r == "settings" && n == 3) {
    h = H::kSettings;
    allowed = get || method == http::verb::put;
  } else if (r == "users" && n == 3) {
    h = H::kUsers;
    allowed = get || method == http::verb::post;
  } else if (r == "users" && n == 5 && seg[4] == "password") {
    h = H::kUserPassword;
    allowed = method == http::verb::post;
  }
  if (h == H::kNone) {
    return ErrorResponse(
        core::NotFound(core::kErrNotFound, "no such API path: " + call.req.target));
  }
  if (!allowed) return wrong_method();
  if (Status s = Authenticate(call); !s.ok()) return ErrorResponse(s);
  if (!get) {
    if (Status s = CheckCsrf(call); !s.ok()) return ErrorResponse(s);
  }
  auto pupil_id = [&]() -> std::optional<int64_t> { return ParseId(seg[3]); };
  auto unknown_pupil = [&] {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + seg[3] + "'"));
  };
  switch (h) {
    case H::kLogout:
      return Logout(call);
    case H::kMe:
      return Me(call);
    case H::kPupils:
      return ListPupils(call);
    case H::kPupil:
      if (!pupil_id()) return unknown_pupil();
      return GetPupil(call, *pupil_id());
    case H::kSummary:
      if (!pupil_id()) return unknown_pupil();
      return PupilSummary(call, *pupil_id());
    case H::kAmendments:
      if (!pupil_id()) return unknown_pupil();
      return PupilAmendments(call, *pupil_id());
    case H::kReport:
      if (!pupil_id()) return unknown_pupil();
      return ReportAbsence(call, *pupil_id());
    case H::kContactLog:
      if (!pupil_id()) return unknown_pupil();
      return get ? GetContactLog(call, *pupil_id()) : PostContact(call, *pupil_id());
    case H::kMessages:
      if (!pupil_id()) return unknown_pupil();
      return GetMessages(call, *pupil_id());
    case H::kPupilCme:
      if (!pupil_id()) return unknown_pupil();
      return PupilCmeCases(call, *pupil_id());
    case H::kSupport:
      if (!pupil_id()) return unknown_pupil();
      return GetSupport(call, *pupil_id());
    case H::kStage:
      if (!pupil_id()) return unknown_pupil();
      return PostStage(call, *pupil_id());
    case H::kSupportEvents:
      if (!pupil_id()) return unknown_pupil();
      return PostSupportEvent(call, *pupil_id());
    case H::kPartTime:
      if (!pupil_id()) return unknown_pupil();
      return get ? GetPartTime(call, *pupil_id()) : PostPartTime(call, *pupil_id());
    case H::kPartTimeReview:
      return PostPartTimeReview(call, seg[3]);
    case H::kLeaveRequest:
      if (!pupil_id()) return unknown_pupil();
      return PostLeaveRequest(call, *pupil_id());
    case H::kLeaveRequests:
      return ListLeaveRequests(call);
    case H::kLeaveDecision:
      return PostLeaveDecision(call, seg[3]);
    case H::kExclusionCase:
      if (!pupil_id()) return unknown_pupil();
      return PostExclusionCase(call, *pupil_id());
    case H::kPenaltyCases:
      return ListPenaltyCases(call);
    case H::kPenaltyCase:
      return GetPenaltyCase(call, seg[3]);
    case H::kPenaltyEvent:
      return PostPenaltyEvent(call, seg[3]);
    case H::kLetters:
      return PostLetters(call);
    case H::kLetter:
      return GetLetter(call, seg[3]);
    case H::kPupilLetters:
      if (!pupil_id()) return unknown_pupil();
      return GetPupilLetters(call, *pupil_id());
    case H::kLaSchools:
      return LaSchoolsJson(call);
    case H::kLaNotifications:
      return GetLaNotifications(call);
    case H::kLaNotification:
      return PostLaNotification(call, seg[3], seg[4]);
    case H::kCmeCases:
      return ListCmeCases(call);
    case H::kCmeStep:
      return PostCmeStep(call, seg[3]);
    case H::kCmeClose:
      return PostCloseCme(call, seg[3]);
    case H::kReports:
      return ListAbsenceReports(call);
    case H::kResolve:
      return ResolveAbsenceReport(call, seg[3]);
    case H::kConfirm:
      return PostConfirmReport(call, seg[3]);
    case H::kSchoolSummary:
      return SchoolSummary(call);
    case H::kSchoolDashboard:
      return SchoolDashboard(call);
    case H::kClasses:
      return ListClasses(call);
    case H::kRegister:
      return GetRegister(call, seg[3], seg[4]);
    case H::kMark:
      return PutMark(call, seg[3], seg[4], seg[6]);
    case H::kExport:
      return ExportScenario(call);
    case H::kSettings:
      return get ? GetSettings(call) : PutSettings(call);
    case H::kUsers:
      return get ? ListUsers(call) : AddUser(call);
    case H::kOwnPassword:
      return PostOwnPassword(call);
    case H::kUserPassword:
      if (!ParseId(seg[3])) {
        return ErrorResponse(
            core::NotFound(core::kErrUserUnknown, "no user with id '" + seg[3] + "'"));
      }
      return PostResetPassword(call, *ParseId(seg[3]));
    case H::kNone:
      break;
  }
  core::Unreachable();
}

// ---------------------------------------------------------------------------
// Authentication

Status App::Authenticate(Call& call) {
  std::optional<std::string> token = CookieValue(call.req.cookie, kSessionCookie);
  if (!token || token->empty() || token->size() > 128) {
    return core::Unauthenticated(core::kErrNotLoggedIn, "log in first");
  }
  const std::string hash = TokenHash(*token);
  const int64_t now = clock_.NowSeconds();
  std::optional<store::AuthSession> session;
  {
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(hash);
    // Trusted only briefly: a session ended in the store (a password changed
    // by another process, a row deleted) stops working within the recheck.
    if (it != sessions_.end() && now - it->second.checked_at < config_.session_recheck_seconds &&
        now >= it->second.checked_at) {
      session = it->second.session;
    }
  }
  if (!session) {
    StatusOr<store::AuthSession> found = store_.FindAuthSession(hash);
    if (!found.ok()) {
      {
        std::lock_guard lock(sessions_mu_);
        sessions_.erase(hash);
      }
      if (found.status().kind() == core::ErrorKind::kNotFound) {
        return core::Unauthenticated(core::kErrNotLoggedIn, "your session has ended: log in again");
      }
      return found.status();
    }
    session = *found;
    std::lock_guard lock(sessions_mu_);
    sessions_[hash] = CachedSession{*session, now};
  }
  if (session->expires_at <= clock_.NowSeconds()) {
    {
      std::lock_guard lock(sessions_mu_);
      sessions_.erase(hash);
    }
    (void)store_.DeleteAuthSession(hash);
    return core::Unauthenticated(core::kErrNotLoggedIn, "your session has expired: log in again");
  }
  std::shared_lock lock(mu_);
  auto user = snapshot_.users.find(session->user_id);
  if (user == snapshot_.users.end() || !user->second.active) {
    return core::Unauthenticated(core::kErrNotLoggedIn, "this account is no longer active");
  }
  call.who = PrincipalOf(user->second);
  call.session_hash = hash;
  call.csrf = session->csrf_token;
  return core::OkStatus();
}

Status App::CheckCsrf(const Call& call) const {
  if (call.req.csrf_token.empty() || !SecretEquals(call.req.csrf_token, call.csrf)) {
    return core::PermissionDenied(
        core::kErrCsrf, "missing or wrong X-CSRF-Token header (it is returned by login and /me)");
  }
  return core::OkStatus();
}

Status App::Allow(const Call& call, Action action, const Subject& subject) const {
  auto lock = school_.Read();
  return school_.Allow(*call.who, action, subject);
}

namespace {

std::string WaitText(int64_t seconds) {
  if (seconds < 120) return fmt::format("{} seconds", std::max<int64_t>(seconds, 1));
  return fmt::format("{} minutes", (seconds + 59) / 60);
}

}  // namespace

// Failures count per (username, address): guessing one account's password
// from one place slows down, while the same account from anywhere else, and
// everyone else behind the same address, logs in as usual. A much higher
// ceiling per address stops one place trying many accounts.
Status App::ThrottleCheck(const std::string& username, const std::string& addr) {
  const int64_t now = clock_.NowSeconds();
  const int64_t window = config_.login_window_seconds;
  std::lock_guard lock(throttle_mu_);
  if (auto it = address_failures_.find(addr); it != address_failures_.end()) {
    std::erase_if(it->second, [&](int64_t t) { return t <= now - window; });
    if (it->second.empty()) {
      address_failures_.erase(it);
    } else if (static_cast<int>(it->second.size()) >= config_.login_address_failures_allowed) {
      return core::Unauthenticated(
          core::kErrLoginThrottled,
          fmt::format("too many failed logins from this address: try again in {}",
                      WaitText(it->second.front() + window - now)));
    }
  }
  auto it = pair_failures_.find({username, addr});
  if (it == pair_failures_.end()) return core::OkStatus();
  const PairFailures& f = it->second;
  if (now - f.last > window) {
    pair_failures_.erase(it);
    return core::OkStatus();
  }
  if (f.count < config_.login_failures_allowed) return core::OkStatus();
  // 30 s after the allowed failures, doubling with each one after, at most
  // the window.
  const int shift = std::min(f.count - config_.login_failures_allowed, 20);
  const int64_t delay = std::min<int64_t>(int64_t{30} << shift, window);
  if (now < f.last + delay) {
    return core::Unauthenticated(
        core::kErrLoginThrottled,
        fmt::format("too many failed logins for this username: try again in {}",
                    WaitText(f.last + delay - now)));
  }
  return core::OkStatus();
}

void App::RecordLoginFailure(const std::string& username, const std::string& addr) {
  const int64_t now = clock_.NowSeconds();
  const int64_t window = config_.login_window_seconds;
  std::lock_guard lock(throttle_mu_);
  // Bounded memory under a flood of made-up usernames: forget quiet pairs.
  if (pair_failures_.size() > 10000) {
    std::erase_if(pair_failures_, [&](const auto& e) { return now - e.second.last > window; });
  }
  PairFailures& f = pair_failures_[{username, addr}];
  if (now - f.last > window) f.count = 0;
  ++f.count;
  f.last = now;
  address_failures_[addr].push_back(now);
}

void App::RecordLoginSuccess(const std::string& username, const std::string& addr) {
  std::lock_guard lock(throttle_mu_);
  pair_failures_.erase({username, addr});
}

void App::ForgetSessions(std::optional<int64_t> user_id) {
  std::lock_guard lock(sessions_mu_);
  if (!user_id) {
    sessions_.clear();
    return;
  }
  std::erase_if(sessions_, [&](const auto& e) { return e.second.session.user_id == *user_id; });
}

Status App::CheckPassword(const Call& call, const std::string& username,
                          const std::optional<store::User>& user, const std::string& password) {
  RETURN_IF_ERROR(ThrottleCheck(username, call.req.remote_addr));
  // Verify against a fixed hash for unknown users too, so that timing does
  // not tell which usernames exist.
  static const std::string kDummyHash = [] {
    StatusOr<std::string> h = HashPassword("no such user", HashCost::kInteractive);
    return h.ok() ? *h : std::string();
  }();
  const bool ok = VerifyPassword(password, user ? user->password_hash : kDummyHash) && user;
  if (!ok) {
    RecordLoginFailure(username, call.req.remote_addr);
    return core::Unauthenticated(core::kErrLoginFailed, "the username or password is not right");
  }
  RecordLoginSuccess(username, call.req.remote_addr);
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

StatusOr<App::NewSession> App::OpenSession(const Call& call, const std::string& username,
                                           const std::string& password) {
  // A login form on another site must not log a browser in (login CSRF).
  if (!call.req.origin.empty() && call.req.origin != "http://" + call.req.host &&
      call.req.origin != "https://" + call.req.host) {
    return core::PermissionDenied(core::kErrCsrf, "login from another site");
  }
  if (username.size() > 64 || password.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "username or password too long");
  }
  std::optional<store::User> user;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, u] : snapshot_.users) {
      if (u.username == username && u.active) user = u;
    }
  }
  RETURN_IF_ERROR(CheckPassword(call, username, user, password));
  return StartSession(*user);
}

StatusOr<App::NewSession> App::StartSession(const store::User& user) {
  NewSession out{user, RandomToken(), RandomToken(24)};
  store::AuthSession session;
  session.token_hash = TokenHash(out.token);
  session.user_id = user.id;
  session.csrf_token = out.csrf;
  session.created_at = clock_.NowSeconds();
  session.expires_at = session.created_at + config_.session_seconds;
  // Each login also sweeps out expired sessions, here and in the store.
  RETURN_IF_ERROR(store_.DeleteExpiredAuthSessions(session.created_at));
  RETURN_IF_ERROR(store_.CreateAuthSession(session));
  std::lock_guard lock(sessions_mu_);
  std::erase_if(sessions_, [&](const auto& entry) {
    return entry.second.session.expires_at <= session.created_at;
  });
  sessions_[session.token_hash] = CachedSession{session, session.created_at};
  return out;
}

Status App::EndSession(const Call& call) {
  {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(call.session_hash);
  }
  return store_.DeleteAuthSession(call.session_hash);
}

Response App::Logout(Call& call) {
  if (Status s = EndSession(call); !s.ok()) return ErrorResponse(s);
  Response res = JsonResponse(R"({"status":"logged out"})");
  res.headers.emplace_back("Set-Cookie", SessionCookie(""));
  return res;
}

Response App::Me(Call& call) {
  std::shared_lock lock(mu_);
  const store::User& user = snapshot_.users.at(call.who->user_id);
  return JsonResponse(json{{"user", UserJson(user)},
                           {"csrf_token", call.csrf},
                           {"school",
                            {{"name", snapshot_.school.name},
                             {"urn", snapshot_.school.urn},
                             {"la_code", snapshot_.school.la_code}}}}
                          .dump());
}

}  // namespace rollcall::web
