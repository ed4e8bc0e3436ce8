// app.cc: routing, authentication and the API v1 handlers.
#include "web/app.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/register.h"
#include "io/json_reader.h"
#include "io/policy_json.h"
#include "io/result_json.h"
#include "io/scenario_json.h"
#include "web/password.h"

namespace rollcall::web {
namespace {

using json = nlohmann::ordered_json;
using core::Date;
using core::SessionKey;
using core::Status;
using core::StatusOr;
using store::Role;

struct NotFoundRoute {};

std::string TimeText(int minute) { return fmt::format("{:02}:{:02}", minute / 60, minute % 60); }

// "HH:MM", 00:00-23:59.
std::optional<int> ParseTime(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (size_t i : {0, 1, 3, 4}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::string IsoTime(int64_t unix_seconds) {
  const int64_t days = unix_seconds >= 0 ? unix_seconds / 86400 : (unix_seconds - 86399) / 86400;
  const int64_t rest = unix_seconds - days * 86400;
  return fmt::format("{}T{:02}:{:02}:{:02}Z", Date::FromDays(static_cast<int32_t>(days)).ToString(),
                     rest / 3600, rest / 60 % 60, rest % 60);
}

std::optional<int64_t> ParseId(std::string_view text) {
  if (text.empty() || text.size() > 18) return std::nullopt;
  int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value <= 0) return std::nullopt;
  return value;
}

std::string DisplayName(const store::Pupil& p) {
  const std::string& given =
      p.preferred_given_name.empty() ? p.legal_given_name : p.preferred_given_name;
  const std::string& family =
      p.preferred_family_name.empty() ? p.legal_family_name : p.preferred_family_name;
  return given + " " + family;
}

std::vector<std::string> CohortTagsOn(const store::Pupil& p, Date day) {
  std::set<std::string> tags;
  for (const store::CohortFlag& f : p.flags) {
    if (f.from <= day && (!f.to || day <= *f.to)) tags.insert(f.flag);
  }
  return {tags.begin(), tags.end()};
}

core::PupilRecord RecordOf(const store::Pupil& p, Date day) {
  core::PupilRecord record;
  record.id = std::to_string(p.id);
  record.cohorts = CohortTagsOn(p, day);
  for (const store::Enrolment& e : p.enrolments) {
    record.on_roll.push_back(core::OnRollPeriod{e.start, e.end});
  }
  // A pupil with no admission entry is not on roll at all, rather than "on
  // roll throughout" as an empty list means in a scenario.
  if (record.on_roll.empty()) {
    record.on_roll.push_back(core::OnRollPeriod{Date::FromDays(1), Date::FromDays(0)});
  }
  return record;
}

StatusOr<core::Policy> PolicyOf(const store::Settings& settings) {
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(settings.policy_json));
  return io::ParsePolicy(doc.value, doc.float_literals, io::JsonPath().Key("policy"));
}

core::Calendar CalendarOf(const std::vector<store::Term>& terms,
                          const std::vector<store::Closure>& closures) {
  std::vector<core::Term> t;
  for (const store::Term& term : terms) t.push_back(core::Term{term.start, term.end});
  std::vector<core::Closure> c;
  for (const store::Closure& closure : closures) {
    c.push_back(core::Closure{closure.date, closure.sessions, closure.reason});
  }
  return core::Calendar(std::move(t), std::move(c));
}

Principal PrincipalOf(const store::User& user) {
  return Principal{user.id,      user.role,      user.display_name,
                   user.la_code, user.class_ids, user.pupil_ids};
}

json UserJson(const store::User& user) {
  return json{{"id", user.id},
              {"username", user.username},
              {"name", user.display_name},
              {"role", store::RoleName(user.role)},
              {"class_ids", user.class_ids},
              {"pupil_ids", user.pupil_ids}};
}

// The JSON object body of a request, with only `allowed` keys.
StatusOr<nlohmann::json> ObjectBody(const Request& req,
                                    std::initializer_list<const char*> allowed) {
  if (req.body.empty()) {
    return core::InvalidArgument(core::kErrJsonMalformed, "the request needs a JSON object body");
  }
  ASSIGN_OR_RETURN(io::StrictJson doc, io::ParseStrictJson(req.body));
  if (!doc.value.is_object()) {
    return core::InvalidArgument(core::kErrJsonType, "the request body must be a JSON object");
  }
  for (const auto& [key, value] : doc.value.items()) {
    if (std::find_if(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }) ==
        allowed.end()) {
      return core::InvalidArgument(core::kErrUnknownKey, "unknown key '" + key + "'");
    }
  }
  return std::move(doc.value);
}

StatusOr<std::string> StringField(const nlohmann::json& body, const char* key, bool required) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) {
    if (required) {
      return core::InvalidArgument(core::kErrRequiredKey, fmt::format("'{}' is required", key));
    }
    return std::string();
  }
  if (!it->is_string()) {
    return core::InvalidArgument(core::kErrJsonType, fmt::format("'{}' must be a string", key));
  }
  return it->get<std::string>();
}

StatusOr<Date> ParseDateParam(std::string_view text, const char* what) {
  std::optional<Date> d = Date::Parse(text);
  if (!d) {
    return core::InvalidArgument(core::kErrDateInvalid,
                                 fmt::format("{} '{}' is not a date (YYYY-MM-DD)", what, text));
  }
  return *d;
}

Status MethodNotAllowed() {
  return core::InvalidArgument(core::kErrMethod, "this method is not allowed on this path");
}

}  // namespace

struct App::Call {
  const Request& req;
  Target target;
  std::optional<Principal> who;
  std::string session_hash;
  std::string csrf;
};

App::App(store::Store& store, const core::Clock& clock, AppConfig config)
    : store_(store), clock_(clock), config_(config) {}

int64_t App::version() const {
  std::shared_lock lock(mu_);
  return snapshot_.version;
}

Status App::Load() {
  Snapshot s;
  StatusOr<store::School> school = store_.GetSchool();
  if (school.ok()) {
    s.school = *school;
  } else if (school.status().kind() != core::ErrorKind::kNotFound) {
    return school.status();
  }
  StatusOr<store::Settings> settings = store_.GetSettings();
  if (settings.ok()) {
    s.settings = *settings;
  } else if (settings.status().kind() != core::ErrorKind::kNotFound) {
    return settings.status();
  }
  ASSIGN_OR_RETURN(s.scenario.policy, PolicyOf(s.settings));
  ASSIGN_OR_RETURN(std::vector<store::Term> terms, store_.ListTerms());
  ASSIGN_OR_RETURN(std::vector<store::Closure> closures, store_.ListClosures());
  s.scenario.calendar = CalendarOf(terms, closures);
  const Date today = clock_.Today();
  s.scenario.as_of = today;
  ASSIGN_OR_RETURN(std::vector<store::Class> classes, store_.ListClasses());
  for (store::Class& c : classes) s.classes.emplace(c.id, std::move(c));
  ASSIGN_OR_RETURN(std::vector<store::User> users, store_.ListUsers());
  for (store::User& u : users) s.users.emplace(u.id, std::move(u));
  ASSIGN_OR_RETURN(s.pupils, store_.ListPupils());
  s.scenario.marks.resize(s.pupils.size());
  for (size_t i = 0; i < s.pupils.size(); ++i) {
    s.pupil_index.emplace(s.pupils[i].id, i);
    s.scenario.pupils.push_back(RecordOf(s.pupils[i], today));
  }
  ASSIGN_OR_RETURN(std::vector<store::Mark> marks, store_.AllMarks());
  for (const store::Mark& m : marks) {
    auto it = s.pupil_index.find(m.pupil_id);
    if (it == s.pupil_index.end()) continue;
    s.scenario.marks[it->second].push_back(core::RecordedMark{m.slot, m.code});
    if (m.arrival_minute) s.arrivals[m.pupil_id][m.slot] = *m.arrival_minute;
  }
  std::unique_lock lock(mu_);
  s.version = snapshot_.version + 1;
  snapshot_ = std::move(s);
  return core::OkStatus();
}

Response App::Handle(const Request& request) {
  StatusOr<Target> target = ParseTarget(request.target);
  if (!target.ok()) return ErrorResponse(target.status());
  Call call{request, std::move(*target), std::nullopt, {}, {}};
  Response res = Route(call);
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

Response App::Route(Call& call) {
  const std::vector<std::string>& seg = call.target.segments;
  const http::verb method = call.req.method;
  const bool get = method == http::verb::get;
  auto wrong_method = [] { return ErrorResponse(MethodNotAllowed()); };

  if (seg.size() == 1 && seg[0] == "healthz") {
    return get ? JsonResponse(R"({"status":"ok"})") : wrong_method();
  }
  if (seg.size() < 3 || seg[0] != "api" || seg[1] != "v1") {
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
    kClasses,
    kRegister,
    kMark,
    kExport,
    kSettings,
    kUsers,
    kReport,
    kReports,
    kResolve,
    kNone
  };
  H h = H::kNone;
  bool allowed = get;
  if (r == "logout" && n == 3) {
    h = H::kLogout;
    allowed = method == http::verb::post;
  } else if (r == "me" && n == 3) {
    h = H::kMe;
  } else if (r == "pupils" && n == 3) {
    h = H::kPupils;
  } else if (r == "pupils" && n == 4) {
    h = H::kPupil;
  } else if (r == "pupils" && n == 5 && seg[4] == "summary") {
    h = H::kSummary;
  } else if (r == "pupils" && n == 5 && seg[4] == "amendments") {
    h = H::kAmendments;
  } else if (r == "pupils" && n == 5 && seg[4] == "absence-reports") {
    h = H::kReport;
    allowed = method == http::verb::post;
  } else if (r == "absence-reports" && n == 3) {
    h = H::kReports;
  } else if (r == "absence-reports" && n == 5 && seg[4] == "resolve") {
    h = H::kResolve;
    allowed = method == http::verb::post;
  } else if (r == "school" && n == 4 && seg[3] == "summary") {
    h = H::kSchoolSummary;
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
    case H::kReports:
      return ListAbsenceReports(call);
    case H::kResolve:
      return ResolveAbsenceReport(call, seg[3]);
    case H::kSchoolSummary:
      return SchoolSummary(call);
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
  std::optional<store::AuthSession> session;
  {
    std::lock_guard lock(sessions_mu_);
    auto it = sessions_.find(hash);
    if (it != sessions_.end()) session = it->second;
  }
  if (!session) {
    StatusOr<store::AuthSession> found = store_.FindAuthSession(hash);
    if (!found.ok()) {
      if (found.status().kind() == core::ErrorKind::kNotFound) {
        return core::Unauthenticated(core::kErrNotLoggedIn, "your session has ended: log in again");
      }
      return found.status();
    }
    session = *found;
    std::lock_guard lock(sessions_mu_);
    sessions_.emplace(hash, *session);
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
  std::shared_lock lock(mu_);
  return Authorize(*call.who, action, subject, snapshot_.school.la_code);
}

Status App::ThrottleCheck(const std::string& username, const std::string& addr) {
  const int64_t now = clock_.NowSeconds();
  std::lock_guard lock(throttle_mu_);
  for (const std::string& key : {"u:" + username, "a:" + addr}) {
    auto it = login_failures_.find(key);
    if (it == login_failures_.end()) continue;
    std::erase_if(it->second, [&](int64_t t) { return t <= now - config_.login_window_seconds; });
    if (static_cast<int>(it->second.size()) >= config_.login_failures_allowed) {
      const int64_t wait = it->second.front() + config_.login_window_seconds - now;
      return core::Unauthenticated(
          core::kErrLoginThrottled,
          fmt::format("too many failed logins: try again in {} minutes", (wait + 59) / 60));
    }
  }
  return core::OkStatus();
}

void App::RecordLoginFailure(const std::string& username, const std::string& addr) {
  const int64_t now = clock_.NowSeconds();
  std::lock_guard lock(throttle_mu_);
  login_failures_["u:" + username].push_back(now);
  login_failures_["a:" + addr].push_back(now);
}

Response App::Login(Call& call) {
  // A login form on another site must not log a browser in (login CSRF).
  if (!call.req.origin.empty() && call.req.origin != "http://" + call.req.host &&
      call.req.origin != "https://" + call.req.host) {
    return ErrorResponse(core::PermissionDenied(core::kErrCsrf, "login from another site"));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"username", "password"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> username = StringField(*body, "username", true);
  if (!username.ok()) return ErrorResponse(username.status());
  StatusOr<std::string> password = StringField(*body, "password", true);
  if (!password.ok()) return ErrorResponse(password.status());
  if (username->size() > 64 || password->size() > 256) {
    return ErrorResponse(
        core::InvalidArgument(core::kErrValueInvalid, "username or password too long"));
  }
  if (Status s = ThrottleCheck(*username, call.req.remote_addr); !s.ok()) return ErrorResponse(s);

  std::optional<store::User> user;
  {
    std::shared_lock lock(mu_);
    for (const auto& [id, u] : snapshot_.users) {
      if (u.username == *username && u.active) user = u;
    }
  }
  // Verify against a fixed hash for unknown users too, so that timing does
  // not tell which usernames exist.
  static const std::string kDummyHash = [] {
    StatusOr<std::string> h = HashPassword("no such user", HashCost::kInteractive);
    return h.ok() ? *h : std::string();
  }();
  const bool ok = VerifyPassword(*password, user ? user->password_hash : kDummyHash) && user;
  if (!ok) {
    RecordLoginFailure(*username, call.req.remote_addr);
    return ErrorResponse(
        core::Unauthenticated(core::kErrLoginFailed, "the username or password is not right"));
  }
  const std::string token = RandomToken();
  store::AuthSession session;
  session.token_hash = TokenHash(token);
  session.user_id = user->id;
  session.csrf_token = RandomToken(24);
  session.created_at = clock_.NowSeconds();
  session.expires_at = session.created_at + config_.session_seconds;
  if (Status s = store_.CreateAuthSession(session); !s.ok()) return ErrorResponse(s);
  {
    std::lock_guard lock(sessions_mu_);
    sessions_.emplace(session.token_hash, session);
  }
  Response res =
      JsonResponse(json{{"user", UserJson(*user)}, {"csrf_token", session.csrf_token}}.dump());
  res.headers.emplace_back(
      "Set-Cookie",
      fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}", kSessionCookie, token,
                  config_.session_seconds, config_.secure_cookies ? "; Secure" : ""));
  return res;
}

Response App::Logout(Call& call) {
  {
    std::lock_guard lock(sessions_mu_);
    sessions_.erase(call.session_hash);
  }
  if (Status s = store_.DeleteAuthSession(call.session_hash); !s.ok()) return ErrorResponse(s);
  Response res = JsonResponse(R"({"status":"logged out"})");
  res.headers.emplace_back("Set-Cookie", fmt::format("{}=; Path=/; HttpOnly; SameSite=Strict; "
                                                     "Max-Age=0",
                                                     kSessionCookie));
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

// ---------------------------------------------------------------------------
// Pupils and summaries

StatusOr<Date> App::AsOfParam(const Call& call) const {
  auto it = call.target.query.find("as_of");
  if (it == call.target.query.end()) return clock_.Today();
  return ParseDateParam(it->second, "as_of");
}

Response App::ListPupils(Call& call) {
  if (Status s = Allow(call, Action::kListPupils, {}); !s.ok()) return ErrorResponse(s);
  std::optional<int64_t> class_filter;
  if (auto it = call.target.query.find("class"); it != call.target.query.end()) {
    class_filter = ParseId(it->second);
    if (!class_filter) {
      return ErrorResponse(
          core::InvalidArgument(core::kErrValueInvalid, "class must be a class id"));
    }
  }
  const Date today = clock_.Today();
  std::shared_lock lock(mu_);
  json list = json::array();
  for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    if (class_filter && p.class_id != class_filter) continue;
    if (!Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      continue;
    }
    json item{{"id", p.id},
              {"upn", p.upn},
              {"name", DisplayName(p)},
              {"legal_name", p.legal_given_name + " " + p.legal_family_name},
              {"year_group", p.year_group},
              {"class", nullptr},
              {"on_roll", snapshot_.scenario.pupils[i].OnRollOn(today)}};
    if (p.class_id) {
      auto c = snapshot_.classes.find(*p.class_id);
      if (c != snapshot_.classes.end()) {
        item["class"] = json{{"id", c->first}, {"name", c->second.name}};
      }
    }
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"pupils", std::move(list)}}.dump());
}

Response App::GetPupil(Call& call, int64_t pupil_id) {
  std::shared_lock lock(mu_);
  auto it = snapshot_.pupil_index.find(pupil_id);
  if (it == snapshot_.pupil_index.end()) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", pupil_id)));
  }
  const store::Pupil& p = snapshot_.pupils[it->second];
  if (Status s =
          Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code);
      !s.ok()) {
    return ErrorResponse(s);
  }
  json flags = json::array();
  for (const store::CohortFlag& f : p.flags) {
    flags.push_back(json{{"flag", f.flag},
                         {"from", f.from.ToString()},
                         {"to", f.to ? json(f.to->ToString()) : json(nullptr)}});
  }
  json enrolments = json::array();
  for (const store::Enrolment& e : p.enrolments) {
    json entry{{"start", e.start.ToString()},
               {"end", e.end ? json(e.end->ToString()) : json(nullptr)}};
    if (e.end) {
      entry["deletion_ground"] = e.deletion_ground;
      entry["destination"] = e.destination;
    }
    enrolments.push_back(std::move(entry));
  }
  json contacts = json::array();
  for (const store::Contact& c : p.contacts) {
    contacts.push_back(json{{"priority", c.priority},
                            {"name", c.name},
                            {"relationship", c.relationship},
                            {"phone", c.phone},
                            {"email", c.email}});
  }
  json out{{"id", p.id},
           {"upn", p.upn},
           {"name", DisplayName(p)},
           {"legal_given_name", p.legal_given_name},
           {"legal_family_name", p.legal_family_name},
           {"preferred_given_name", p.preferred_given_name},
           {"preferred_family_name", p.preferred_family_name},
           {"date_of_birth", p.date_of_birth.ToString()},
           {"sex", p.sex},
           {"year_group", p.year_group},
           {"class", nullptr},
           {"cohort_flags", std::move(flags)},
           {"admissions", std::move(enrolments)},
           {"contacts", std::move(contacts)}};
  if (p.class_id) {
    auto c = snapshot_.classes.find(*p.class_id);
    if (c != snapshot_.classes.end())
      out["class"] = json{{"id", c->first}, {"name", c->second.name}};
  }
  return JsonResponse(out.dump());
}

Response App::PupilSummary(Call& call, int64_t pupil_id) {
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  std::shared_lock lock(mu_);
  auto it = snapshot_.pupil_index.find(pupil_id);
  if (it == snapshot_.pupil_index.end()) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", pupil_id)));
  }
  const store::Pupil& p = snapshot_.pupils[it->second];
  if (Status s =
          Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code);
      !s.ok()) {
    return ErrorResponse(s);
  }
  const core::PupilEvaluation result = core::EvaluatePupil(snapshot_.scenario, it->second, *as_of);
  return JsonResponse(
      io::PupilResultToJson(snapshot_.scenario.calendar, std::to_string(p.id), result).dump());
}

Response App::PupilAmendments(Call& call, int64_t pupil_id) {
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.pupil_index.find(pupil_id);
    if (it == snapshot_.pupil_index.end()) {
      return ErrorResponse(
          core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", pupil_id)));
    }
    const store::Pupil& p = snapshot_.pupils[it->second];
    if (Status s = Authorize(*call.who, Action::kReadAmendments, {p.id, p.class_id},
                             snapshot_.school.la_code);
        !s.ok()) {
      return ErrorResponse(s);
    }
  }
  StatusOr<std::vector<store::Amendment>> rows = store_.AmendmentsForPupil(pupil_id);
  if (!rows.ok()) return ErrorResponse(rows.status());
  json list = json::array();
  for (const store::Amendment& a : *rows) {
    list.push_back(json{
        {"id", a.id},
        {"date", a.slot.date.ToString()},
        {"session", core::SessionName(a.slot.session)},
        {"original", a.old_code ? json(core::SymbolOf(*a.old_code)) : json(nullptr)},
        {"original_arrival_time",
         a.old_arrival_minute ? json(TimeText(*a.old_arrival_minute)) : json(nullptr)},
        {"new", core::SymbolOf(a.new_code)},
        {"new_arrival_time",
         a.new_arrival_minute ? json(TimeText(*a.new_arrival_minute)) : json(nullptr)},
        {"reason", a.reason},
        {"at", IsoTime(a.at)},
        {"by",
         {{"user_id", a.by_user_id}, {"name", a.by_name}, {"role", store::RoleName(a.by_role)}}}});
  }
  return JsonResponse(json{{"pupil_id", pupil_id}, {"amendments", std::move(list)}}.dump());
}

core::Scenario App::ScenarioAsOf(Date as_of) const {
  core::Scenario s;
  s.as_of = as_of;
  s.calendar = snapshot_.scenario.calendar;
  s.policy = snapshot_.scenario.policy;
  s.default_mark = snapshot_.scenario.default_mark;
  s.pupils = snapshot_.scenario.pupils;
  s.marks.resize(snapshot_.scenario.marks.size());
  for (size_t i = 0; i < s.pupils.size(); ++i) {
    s.pupils[i].cohorts = CohortTagsOn(snapshot_.pupils[i], as_of);
    for (const core::RecordedMark& m : snapshot_.scenario.marks[i]) {
      if (m.slot.date <= as_of) s.marks[i].push_back(m);
    }
    std::sort(
        s.marks[i].begin(), s.marks[i].end(),
        [](const core::RecordedMark& a, const core::RecordedMark& b) { return a.slot < b.slot; });
  }
  return s;
}

StatusOr<std::shared_ptr<const core::Evaluation>> App::SchoolEvaluation(Date as_of) {
  // One evaluation at a time, cached until the next write; the snapshot is
  // copied under the read lock and evaluated outside it, so writers wait
  // only for the copy.
  std::lock_guard eval_lock(eval_mu_);
  core::Scenario scenario;
  int64_t version = 0;
  {
    std::shared_lock lock(mu_);
    version = snapshot_.version;
    if (eval_ && eval_version_ == version && eval_as_of_ == as_of) return eval_;
    scenario = ScenarioAsOf(as_of);
  }
  eval_ = std::make_shared<const core::Evaluation>(core::Evaluate(scenario));
  eval_version_ = version;
  eval_as_of_ = as_of;
  return eval_;
}

Response App::SchoolSummary(Call& call) {
  if (Status s = Allow(call, Action::kReadSchoolSummary, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  StatusOr<std::shared_ptr<const core::Evaluation>> evaluation = SchoolEvaluation(*as_of);
  if (!evaluation.ok()) return ErrorResponse(evaluation.status());
  const core::Evaluation& e = **evaluation;
  json cohorts = json::object();
  for (const auto& [tag, aggregate] : e.cohorts) {
    cohorts[tag] = io::AggregateToJson(aggregate);
  }
  return JsonResponse(json{{"as_of", as_of->ToString()},
                           {"school", io::AggregateToJson(e.school)},
                           {"cohorts", std::move(cohorts)}}
                          .dump());
}

Response App::ListClasses(Call& call) {
  if (Status s = Allow(call, Action::kListClasses, {}); !s.ok()) return ErrorResponse(s);
  std::shared_lock lock(mu_);
  json list = json::array();
  for (const auto& [id, c] : snapshot_.classes) {
    json teachers = json::array();
    for (int64_t t : c.teacher_ids) {
      auto u = snapshot_.users.find(t);
      if (u != snapshot_.users.end()) teachers.push_back(u->second.display_name);
    }
    list.push_back(json{{"id", id},
                        {"name", c.name},
                        {"year_group", c.year_group},
                        {"teachers", std::move(teachers)}});
  }
  return JsonResponse(json{{"classes", std::move(list)}}.dump());
}

// ---------------------------------------------------------------------------
// Registers

Response App::GetRegister(Call& call, const std::string& date_text,
                          const std::string& session_text) {
  StatusOr<Date> date = ParseDateParam(date_text, "date");
  if (!date.ok()) return ErrorResponse(date.status());
  std::optional<core::Session> session = core::SessionFromName(session_text);
  if (!session) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "session must be AM or PM, not '" + session_text + "'"));
  }
  std::optional<int64_t> class_id;
  if (auto it = call.target.query.find("class"); it != call.target.query.end()) {
    class_id = ParseId(it->second);
    if (!class_id) {
      return ErrorResponse(
          core::InvalidArgument(core::kErrValueInvalid, "class must be a class id"));
    }
  } else if (call.who->role == Role::kTeacher && !call.who->class_ids.empty()) {
    class_id = call.who->class_ids.front();
  }
  const SessionKey slot{*date, *session};
  {
    std::shared_lock lock(mu_);
    if (class_id && !snapshot_.classes.contains(*class_id)) {
      return ErrorResponse(
          core::NotFound(core::kErrClassUnknown, fmt::format("no class with id {}", *class_id)));
    }
    if (Status s = Authorize(*call.who, Action::kReadRegister, {std::nullopt, class_id},
                             snapshot_.school.la_code);
        !s.ok()) {
      return ErrorResponse(s);
    }
  }
  StatusOr<std::vector<store::Mark>> marks = store_.MarksForSession(slot);
  if (!marks.ok()) return ErrorResponse(marks.status());
  std::map<int64_t, const store::Mark*> by_pupil;
  for (const store::Mark& m : *marks) by_pupil[m.pupil_id] = &m;

  std::shared_lock lock(mu_);
  const int start = *session == core::Session::kAm ? snapshot_.settings.am_start_minute
                                                   : snapshot_.settings.pm_start_minute;
  json pupils = json::array();
  for (size_t i = 0; i < snapshot_.pupils.size(); ++i) {
    const store::Pupil& p = snapshot_.pupils[i];
    if (class_id && p.class_id != class_id) continue;
    if (!snapshot_.scenario.pupils[i].OnRollOn(*date)) continue;
    json item{{"id", p.id}, {"name", DisplayName(p)}, {"code", nullptr}, {"arrival_time", nullptr}};
    auto m = by_pupil.find(p.id);
    if (m != by_pupil.end()) {
      item["code"] = core::SymbolOf(m->second->code);
      if (m->second->arrival_minute) item["arrival_time"] = TimeText(*m->second->arrival_minute);
      auto u = snapshot_.users.find(m->second->recorded_by);
      item["recorded_by"] = u != snapshot_.users.end() ? u->second.display_name : "";
      item["recorded_at"] = IsoTime(m->second->recorded_at);
    }
    pupils.push_back(std::move(item));
  }
  json out{{"date", date->ToString()},
           {"session", core::SessionName(*session)},
           {"open", snapshot_.scenario.calendar.IsOpen(slot)},
           {"starts_at", TimeText(start)},
           {"closes_at", TimeText(start + snapshot_.settings.register_close_minutes)},
           {"class", nullptr},
           {"pupils", std::move(pupils)}};
  if (class_id) {
    out["class"] = json{{"id", *class_id}, {"name", snapshot_.classes.at(*class_id).name}};
  }
  return JsonResponse(out.dump());
}

Response App::PutMark(Call& call, const std::string& date_text, const std::string& session_text,
                      const std::string& pupil_text) {
  StatusOr<Date> date = ParseDateParam(date_text, "date");
  if (!date.ok()) return ErrorResponse(date.status());
  std::optional<core::Session> session = core::SessionFromName(session_text);
  if (!session) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "session must be AM or PM, not '" + session_text + "'"));
  }
  std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil_text + "'"));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"code", "reason", "arrival_time"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> code_text = StringField(*body, "code", true);
  if (!code_text.ok()) return ErrorResponse(code_text.status());
  StatusOr<std::string> reason = StringField(*body, "reason", false);
  if (!reason.ok()) return ErrorResponse(reason.status());
  StatusOr<std::string> arrival_text = StringField(*body, "arrival_time", false);
  if (!arrival_text.ok()) return ErrorResponse(arrival_text.status());
  if (reason->size() > 500) {
    return ErrorResponse(
        core::InvalidArgument(core::kErrValueInvalid, "reason is longer than 500 characters"));
  }
  std::optional<core::AttendanceCode> code = core::CodeFromSymbol(*code_text);
  if (!code) {
    return ErrorResponse(core::InvalidArgument(core::kErrCodeUnknown,
                                               "'" + *code_text + "' is not an attendance code"));
  }
  const SessionKey slot{*date, *session};
  const Date today = clock_.Today();
  if (*date > today) {
    return ErrorResponse(core::InvalidArgument(core::kErrSessionInFuture,
                                               "cannot record a mark for a session after today"));
  }

  PendingMark pending;
  store::MarkWrite& write = pending.write;
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.pupil_index.find(*pupil_id);
    if (it == snapshot_.pupil_index.end()) {
      return ErrorResponse(
          core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", *pupil_id)));
    }
    pending.index = it->second;
    const store::Pupil& p = snapshot_.pupils[pending.index];
    if (Status s =
            Authorize(*call.who, Action::kWriteMark, {p.id, p.class_id}, snapshot_.school.la_code);
        !s.ok()) {
      return ErrorResponse(s);
    }
    if (call.who->role == Role::kTeacher && *date != today) {
      return ErrorResponse(core::PermissionDenied(
          core::kErrForbidden,
          "teachers take today's registers; the attendance office amends earlier sessions"));
    }
    // Late arrivals: the arrival time decides L (before the register closed)
    // or U (after it).
    const bool late = *code == core::AttendanceCode::kLateBeforeClose ||
                      *code == core::AttendanceCode::kLateAfterClose;
    if (late) {
      if (arrival_text->empty()) {
        return ErrorResponse(
            core::InvalidArgument(core::kErrTimeInvalid, "a late mark needs arrival_time (HH:MM)"));
      }
      std::optional<int> minute = ParseTime(*arrival_text);
      if (!minute) {
        return ErrorResponse(core::InvalidArgument(
            core::kErrTimeInvalid, "arrival_time '" + *arrival_text + "' is not a time (HH:MM)"));
      }
      const int start = *session == core::Session::kAm ? snapshot_.settings.am_start_minute
                                                       : snapshot_.settings.pm_start_minute;
      const int closes = start + snapshot_.settings.register_close_minutes;
      code = *minute < closes ? core::AttendanceCode::kLateBeforeClose
                              : core::AttendanceCode::kLateAfterClose;
      write.arrival_minute = *minute;
    } else if (!arrival_text->empty()) {
      return ErrorResponse(core::InvalidArgument(core::kErrTimeInvalid,
                                                 "arrival_time is only for late marks (L or U)"));
    }
    if (Status s = core::CheckMark(snapshot_.scenario.calendar,
                                   snapshot_.scenario.pupils[pending.index], slot, *code);
        !s.ok()) {
      return ErrorResponse(s);
    }
  }
  write.pupil_id = *pupil_id;
  write.slot = slot;
  write.code = *code;
  write.reason = reason->empty() ? std::string("Register taken") : *reason;
  write.actor = store::Actor{call.who->user_id, call.who->name, call.who->role};
  write.at = clock_.NowSeconds();
  pending.reason_given = !reason->empty();
  CommitMark(pending);
  if (!pending.status.ok()) return ErrorResponse(pending.status);
  json out{{"pupil_id", *pupil_id},
           {"date", date->ToString()},
           {"session", core::SessionName(*session)},
           {"code", core::SymbolOf(write.code)},
           {"arrival_time",
            write.arrival_minute ? json(TimeText(*write.arrival_minute)) : json(nullptr)},
           {"previous", pending.previous ? json(core::SymbolOf(*pending.previous)) : json(nullptr)},
           {"changed", pending.changed}};
  return JsonResponse(out.dump());
}

// Group commit: the first writer to arrive becomes the leader and commits
// every mark queued meanwhile in one transaction (one fsync), then the next
// group, until the queue is empty; the others wait for their result. Each
// mark is checked against the snapshot as updated by the marks before it in
// the queue, so the result is as if they were committed one by one in order.
void App::CommitMark(PendingMark& mine) {
  std::unique_lock queue_lock(queue_mu_);
  queue_.push_back(&mine);
  if (committing_) {
    queue_cv_.wait(queue_lock, [&] { return mine.done; });
    return;
  }
  committing_ = true;
  while (!queue_.empty()) {
    std::vector<PendingMark*> group;
    group.swap(queue_);
    queue_lock.unlock();
    CommitGroup(group);
    queue_lock.lock();
    for (PendingMark* p : group) p->done = true;
    queue_cv_.notify_all();
  }
  committing_ = false;
}

void App::CommitGroup(const std::vector<PendingMark*>& group) {
  std::lock_guard write_lock(write_mu_);
  struct Current {
    std::optional<core::AttendanceCode> code;
    std::optional<int> arrival;
  };
  std::map<std::pair<int64_t, SessionKey>, Current> overlay;  // marks decided in this group
  std::vector<store::MarkWrite> writes;
  std::vector<PendingMark*> writers;
  {
    std::shared_lock lock(mu_);
    for (PendingMark* p : group) {
      const store::MarkWrite& w = p->write;
      const auto key = std::make_pair(w.pupil_id, w.slot);
      Current current;
      if (auto o = overlay.find(key); o != overlay.end()) {
        current = o->second;
      } else {
        for (const core::RecordedMark& m : snapshot_.scenario.marks[p->index]) {
          if (m.slot == w.slot) current.code = m.code;
        }
        if (auto a = snapshot_.arrivals.find(w.pupil_id); a != snapshot_.arrivals.end()) {
          if (auto b = a->second.find(w.slot); b != a->second.end()) current.arrival = b->second;
        }
      }
      p->previous = current.code;
      if (current.code && *current.code == w.code && current.arrival == w.arrival_minute) {
        continue;  // the same mark again: nothing to write
      }
      if (current.code && !p->reason_given) {
        p->status = core::InvalidArgument(
            core::kErrReasonRequired,
            fmt::format("this session is already marked {}: give a reason for the amendment",
                        core::SymbolOf(*current.code)));
        continue;
      }
      overlay[key] = Current{w.code, w.arrival_minute};
      writes.push_back(w);
      writers.push_back(p);
    }
  }
  if (writes.empty()) return;
  StatusOr<store::SaveMarksResult> saved =
      store_.SaveMarks(writes, *writes.front().actor, *writes.front().at);
  if (!saved.ok()) {
    for (PendingMark* p : writers) p->status = saved.status();
    return;
  }
  std::unique_lock lock(mu_);
  for (PendingMark* p : writers) {
    const store::MarkWrite& w = p->write;
    p->changed = true;
    std::vector<core::RecordedMark>& marks = snapshot_.scenario.marks[p->index];
    auto m = std::find_if(marks.begin(), marks.end(),
                          [&](const core::RecordedMark& r) { return r.slot == w.slot; });
    if (m == marks.end()) {
      marks.push_back(core::RecordedMark{w.slot, w.code});
    } else {
      m->code = w.code;
    }
    if (w.arrival_minute) {
      snapshot_.arrivals[w.pupil_id][w.slot] = *w.arrival_minute;
    } else if (auto a = snapshot_.arrivals.find(w.pupil_id); a != snapshot_.arrivals.end()) {
      a->second.erase(w.slot);
    }
  }
  ++snapshot_.version;
}

// ---------------------------------------------------------------------------
// Absence reports

Response App::ReportAbsence(Call& call, int64_t pupil_id) {
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.pupil_index.find(pupil_id);
    if (it == snapshot_.pupil_index.end()) {
      return ErrorResponse(
          core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", pupil_id)));
    }
    const store::Pupil& p = snapshot_.pupils[it->second];
    if (Status s = Authorize(*call.who, Action::kReportAbsence, {p.id, p.class_id},
                             snapshot_.school.la_code);
        !s.ok()) {
      return ErrorResponse(s);
    }
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"from", "to", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> from_text = StringField(*body, "from", true);
  if (!from_text.ok()) return ErrorResponse(from_text.status());
  StatusOr<std::string> to_text = StringField(*body, "to", false);
  if (!to_text.ok()) return ErrorResponse(to_text.status());
  StatusOr<std::string> reason = StringField(*body, "reason", true);
  if (!reason.ok()) return ErrorResponse(reason.status());
  StatusOr<Date> from = ParseDateParam(*from_text, "from");
  if (!from.ok()) return ErrorResponse(from.status());
  StatusOr<Date> to = to_text->empty() ? from : ParseDateParam(*to_text, "to");
  if (!to.ok()) return ErrorResponse(to.status());
  const Date today = clock_.Today();
  if (*to < *from) {
    return ErrorResponse(core::InvalidArgument(core::kErrValueInvalid, "'to' is before 'from'"));
  }
  if (to->days() - from->days() > 60) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "an absence report covers at most 60 days: ask the school"));
  }
  if (from->days() < today.days() - 14 || from->days() > today.days() + 365) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid,
        "an absence report starts at most 14 days ago and at most a year ahead"));
  }
  if (reason->empty() || reason->size() > 500) {
    return ErrorResponse(
        core::InvalidArgument(core::kErrValueInvalid, "give a reason of 1 to 500 characters"));
  }
  store::AbsenceReport report;
  report.pupil_id = pupil_id;
  report.from = *from;
  report.to = *to;
  report.reason = *reason;
  report.reported_at = clock_.NowSeconds();
  report.reported_by = call.who->user_id;
  report.reported_by_name = call.who->name;
  StatusOr<int64_t> id = store_.AddAbsenceReport(report);
  if (!id.ok()) return ErrorResponse(id.status());
  return JsonResponse(json{{"id", *id}, {"status", "received"}}.dump(), http::status::created);
}

Response App::ListAbsenceReports(Call& call) {
  if (Status s = Allow(call, Action::kListAbsenceReports, {}); !s.ok()) return ErrorResponse(s);
  const bool open_only = call.target.query.contains("open");
  StatusOr<std::vector<store::AbsenceReport>> reports = store_.ListAbsenceReports(open_only);
  if (!reports.ok()) return ErrorResponse(reports.status());
  std::shared_lock lock(mu_);
  json list = json::array();
  for (const store::AbsenceReport& r : *reports) {
    auto it = snapshot_.pupil_index.find(r.pupil_id);
    if (it == snapshot_.pupil_index.end()) continue;
    const store::Pupil& p = snapshot_.pupils[it->second];
    if (!Authorize(*call.who, Action::kReadPupil, {p.id, p.class_id}, snapshot_.school.la_code)
             .ok()) {
      continue;
    }
    json item{{"id", r.id},
              {"pupil", {{"id", p.id}, {"name", DisplayName(p)}}},
              {"from", r.from.ToString()},
              {"to", r.to.ToString()},
              {"reason", r.reason},
              {"reported_at", IsoTime(r.reported_at)},
              {"reported_by", r.reported_by_name},
              {"resolved", r.resolved_at.has_value()}};
    if (r.resolved_at) {
      item["resolved_at"] = IsoTime(*r.resolved_at);
      item["resolution"] = r.resolution;
    }
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"absence_reports", std::move(list)}}.dump());
}

Response App::ResolveAbsenceReport(Call& call, const std::string& id_text) {
  if (Status s = Allow(call, Action::kResolveAbsenceReport, {}); !s.ok()) return ErrorResponse(s);
  std::optional<int64_t> id = ParseId(id_text);
  if (!id) {
    return ErrorResponse(
        core::NotFound(core::kErrReportUnknown, "no absence report '" + id_text + "'"));
  }
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"resolution"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> resolution = StringField(*body, "resolution", true);
  if (!resolution.ok()) return ErrorResponse(resolution.status());
  if (resolution->empty() || resolution->size() > 500) {
    return ErrorResponse(
        core::InvalidArgument(core::kErrValueInvalid, "give a resolution of 1 to 500 characters"));
  }
  if (Status s =
          store_.ResolveAbsenceReport(*id, clock_.NowSeconds(), call.who->user_id, *resolution);
      !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"id", *id}, {"status", "resolved"}}.dump());
}

// ---------------------------------------------------------------------------
// Export, settings and staff

Response App::ExportScenario(Call& call) {
  if (Status s = Allow(call, Action::kExportScenario, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<Date> as_of = AsOfParam(call);
  if (!as_of.ok()) return ErrorResponse(as_of.status());
  std::shared_lock lock(mu_);
  const core::Scenario scenario = ScenarioAsOf(*as_of);
  io::ScenarioWriteOptions options;
  options.name = snapshot_.school.name;
  options.omit_default_marks = true;
  return JsonResponse(io::ScenarioToJson(scenario, options).dump());
}

Response App::GetSettings(Call& call) {
  if (Status s = Allow(call, Action::kReadSettings, {}); !s.ok()) return ErrorResponse(s);
  std::shared_lock lock(mu_);
  const store::Settings& st = snapshot_.settings;
  return JsonResponse(json{
      {"version", st.version},
      {"am_start", TimeText(st.am_start_minute)},
      {"pm_start", TimeText(st.pm_start_minute)},
      {"register_close_minutes", st.register_close_minutes},
      {"target_attendance_pct", st.target_attendance_pct},
      {"policy", io::PolicyToJson(snapshot_.scenario.policy)},
      {"set_at", IsoTime(st.set_at)},
      {"set_by",
       st.set_by}}.dump());
}

Response App::PutSettings(Call& call) {
  if (Status s = Allow(call, Action::kWriteSettings, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"am_start", "pm_start", "register_close_minutes", "target_attendance_pct", "policy"});
  if (!body.ok()) return ErrorResponse(body.status());
  std::lock_guard write_lock(write_mu_);
  store::Settings next;
  {
    std::shared_lock lock(mu_);
    next = snapshot_.settings;
  }
  for (const char* key : {"am_start", "pm_start"}) {
    StatusOr<std::string> text = StringField(*body, key, false);
    if (!text.ok()) return ErrorResponse(text.status());
    if (text->empty()) continue;
    std::optional<int> minute = ParseTime(*text);
    if (!minute) {
      return ErrorResponse(core::InvalidArgument(
          core::kErrTimeInvalid, fmt::format("{} '{}' is not a time (HH:MM)", key, *text)));
    }
    (std::string_view(key) == "am_start" ? next.am_start_minute : next.pm_start_minute) = *minute;
  }
  if (auto it = body->find("register_close_minutes"); it != body->end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0 || it->get<int64_t>() > 30) {
      return ErrorResponse(core::InvalidArgument(
          core::kErrValueInvalid,
          "register_close_minutes must be a whole number from 0 to 30 (the 2024 Regulations "
          "allow a register to stay open at most 30 minutes)"));
    }
    next.register_close_minutes = static_cast<int>(it->get<int64_t>());
  }
  if (auto it = body->find("target_attendance_pct"); it != body->end()) {
    std::optional<core::Decimal> d =
        it->is_string() ? core::Decimal::Parse(it->get<std::string>()) : std::nullopt;
    if (!d || !d->AtMostHundred()) {
      return ErrorResponse(core::InvalidArgument(
          core::kErrValueInvalid, "target_attendance_pct must be a decimal string from 0 to 100"));
    }
    next.target_attendance_pct = it->get<std::string>();
  }
  if (auto it = body->find("policy"); it != body->end()) {
    next.policy_json = it->dump();
  }
  if (next.am_start_minute + next.register_close_minutes >= next.pm_start_minute) {
    return ErrorResponse(core::InvalidArgument(core::kErrValueInvalid,
                                               "the morning register must close before the "
                                               "afternoon session starts"));
  }
  StatusOr<core::Policy> policy = PolicyOf(next);
  if (!policy.ok()) return ErrorResponse(policy.status());
  next.set_at = clock_.NowSeconds();
  next.set_by = call.who->name;
  StatusOr<int64_t> version = store_.SaveSettings(next);
  if (!version.ok()) return ErrorResponse(version.status());
  next.version = *version;
  {
    std::unique_lock lock(mu_);
    snapshot_.settings = next;
    snapshot_.scenario.policy = *policy;
    ++snapshot_.version;
  }
  return GetSettings(call);
}

Response App::ListUsers(Call& call) {
  if (Status s = Allow(call, Action::kManageUsers, {}); !s.ok()) return ErrorResponse(s);
  std::shared_lock lock(mu_);
  json list = json::array();
  for (const auto& [id, u] : snapshot_.users) {
    json item = UserJson(u);
    item["active"] = u.active;
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"users", std::move(list)}}.dump());
}

Response App::AddUser(Call& call) {
  if (Status s = Allow(call, Action::kManageUsers, {}); !s.ok()) return ErrorResponse(s);
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req,
      {"username", "display_name", "role", "password", "class_ids", "pupil_ids", "la_code"});
  if (!body.ok()) return ErrorResponse(body.status());
  store::User user;
  StatusOr<std::string> username = StringField(*body, "username", true);
  if (!username.ok()) return ErrorResponse(username.status());
  StatusOr<std::string> display = StringField(*body, "display_name", true);
  if (!display.ok()) return ErrorResponse(display.status());
  StatusOr<std::string> role = StringField(*body, "role", true);
  if (!role.ok()) return ErrorResponse(role.status());
  StatusOr<std::string> password = StringField(*body, "password", true);
  if (!password.ok()) return ErrorResponse(password.status());
  StatusOr<std::string> la_code = StringField(*body, "la_code", false);
  if (!la_code.ok()) return ErrorResponse(la_code.status());
  if (Status s = ValidateNewUser(*username, *password); !s.ok()) return ErrorResponse(s);
  std::optional<Role> r = store::RoleFromName(*role);
  if (!r) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "role must be one of teacher, office, head, governor, la, parent"));
  }
  user.username = *username;
  user.display_name = *display;
  user.role = *r;
  user.la_code = *la_code;
  for (const char* key : {"class_ids", "pupil_ids"}) {
    auto it = body->find(key);
    if (it == body->end()) continue;
    if (!it->is_array()) {
      return ErrorResponse(core::InvalidArgument(core::kErrJsonType,
                                                 fmt::format("'{}' must be a list of ids", key)));
    }
    for (const auto& v : *it) {
      if (!v.is_number_integer()) {
        return ErrorResponse(core::InvalidArgument(core::kErrJsonType,
                                                   fmt::format("'{}' must be a list of ids", key)));
      }
      (std::string_view(key) == "class_ids" ? user.class_ids : user.pupil_ids)
          .push_back(v.get<int64_t>());
    }
  }
  StatusOr<std::string> hash = HashPassword(*password);
  if (!hash.ok()) return ErrorResponse(hash.status());
  user.password_hash = *hash;
  std::lock_guard write_lock(write_mu_);
  {
    std::shared_lock lock(mu_);
    for (int64_t c : user.class_ids) {
      if (!snapshot_.classes.contains(c)) {
        return ErrorResponse(core::NotFound(core::kErrClassUnknown, fmt::format("no class {}", c)));
      }
    }
    for (int64_t p : user.pupil_ids) {
      if (!snapshot_.pupil_index.contains(p)) {
        return ErrorResponse(core::NotFound(core::kErrPupilUnknown, fmt::format("no pupil {}", p)));
      }
    }
  }
  StatusOr<int64_t> id = store_.AddUser(user);
  if (!id.ok()) return ErrorResponse(id.status());
  user.id = *id;
  json out = UserJson(user);
  {
    std::unique_lock lock(mu_);
    snapshot_.users[user.id] = std::move(user);
  }
  return JsonResponse(out.dump(), http::status::created);
}

}  // namespace rollcall::web
