// app_admin.cc: school settings and staff accounts.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error_codes.h"
#include "io/policy_json.h"
#include "service/password.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

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
  const auto write_lock = school_.BeginWrite();
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
  school_.Apply([&](service::Snapshot& s) {
    s.settings = next;
    s.scenario.policy = *policy;
  });
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
  // No "la_code": an LA officer's authority is never a field a school fills in.
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req, {"username", "display_name", "role", "password", "class_ids", "pupil_ids"});
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
  if (Status s = ValidateNewUser(*username, *password); !s.ok()) return ErrorResponse(s);
  std::optional<Role> r = store::RoleFromName(*role);
  if (!r) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "role must be one of teacher, office, head, governor, parent"));
  }
  // A school creates its own staff and parents. LA officers see many
  // schools, so they are made by whoever runs the service (`rollcall user
  // add --role la --la-code CODE`), never by a school.
  if (*r == Role::kLaOfficer) {
    return ErrorResponse(core::PermissionDenied(
        core::kErrForbidden,
        "a school cannot create a local authority officer's account: the service's operator "
        "does (rollcall user add --role la)"));
  }
  user.username = *username;
  user.display_name = *display;
  user.role = *r;
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
  const auto write_lock = school_.BeginWrite();
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
  school_.Apply([&](service::Snapshot& s) { s.users[user.id] = std::move(user); });
  return JsonResponse(out.dump(), http::status::created);
}

// ---------------------------------------------------------------------------
// Passwords

store::User App::CurrentUser(const Call& call) const {
  std::shared_lock lock(mu_);
  return snapshot_.users.at(call.who->user_id);
}

Status App::SetPassword(int64_t user_id, const std::string& password) {
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  const auto write_lock = school_.BeginWrite();
  // One transaction: the new hash, and no session of the old password left.
  RETURN_IF_ERROR(store_.SetPassword(user_id, hash));
  school_.Apply([&](service::Snapshot& s) {
    auto it = s.users.find(user_id);
    if (it != s.users.end()) it->second.password_hash = hash;
  });
  ForgetSessions(user_id);
  return core::OkStatus();
}

Status App::ChangeOwnPassword(const Call& call, const std::string& current,
                              const std::string& next) {
  std::optional<store::User> user;
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.users.find(call.who->user_id);
    if (it != snapshot_.users.end()) user = it->second;
  }
  if (!user) return core::NotFound(core::kErrUserUnknown, "no such account");
  if (current.size() > 256) {
    return core::InvalidArgument(core::kErrValueInvalid, "the current password is too long");
  }
  // A wrong current password counts as a failed login (and is throttled).
  if (Status s = CheckPassword(call, user->username, user, current); !s.ok()) {
    if (s.code() == std::string_view(core::kErrLoginFailed)) {
      return core::Unauthenticated(core::kErrLoginFailed, "the current password is not right");
    }
    return s;
  }
  RETURN_IF_ERROR(ValidateNewUser(user->username, next));
  if (next == current) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the new password must differ from the current one");
  }
  return SetPassword(user->id, next);
}

Status App::ResetPassword(const Call& call, int64_t user_id, const std::string& next) {
  RETURN_IF_ERROR(Allow(call, Action::kManageUsers, {}));
  std::optional<store::User> user;
  {
    std::shared_lock lock(mu_);
    auto it = snapshot_.users.find(user_id);
    if (it != snapshot_.users.end()) user = it->second;
  }
  if (!user) {
    return core::NotFound(core::kErrUserUnknown, fmt::format("no user with id {}", user_id));
  }
  if (user->role == Role::kLaOfficer) {
    return core::PermissionDenied(core::kErrForbidden,
                                  "an LA officer's password is reset by the service's operator "
                                  "(rollcall user password)");
  }
  if (user->id == call.who->user_id) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "change your own password with your current one (/account)");
  }
  RETURN_IF_ERROR(ValidateNewUser(user->username, next));
  return SetPassword(user->id, next);
}

Response App::PostOwnPassword(Call& call) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"current_password", "new_password"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> current = StringField(*body, "current_password", true);
  if (!current.ok()) return ErrorResponse(current.status());
  StatusOr<std::string> next = StringField(*body, "new_password", true);
  if (!next.ok()) return ErrorResponse(next.status());
  if (Status s = ChangeOwnPassword(call, *current, *next); !s.ok()) return ErrorResponse(s);
  // Every session has ended, this one too: the caller carries on in a new one.
  StatusOr<NewSession> session = StartSession(CurrentUser(call));
  if (!session.ok()) return ErrorResponse(session.status());
  Response res = JsonResponse(json{
      {"status", "password changed; every other login has ended"},
      {"csrf_token",
       session->csrf}}.dump());
  res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
  return res;
}

Response App::PostResetPassword(Call& call, int64_t user_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"new_password"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> next = StringField(*body, "new_password", true);
  if (!next.ok()) return ErrorResponse(next.status());
  if (Status s = ResetPassword(call, user_id, *next); !s.ok()) return ErrorResponse(s);
  return JsonResponse(R"({"status":"password reset; every login of that account has ended"})");
}

Response App::PageAccount(Call& call) {
  Html reset;
  if (Allow(call, Action::kManageUsers, {}).ok()) {
    Html options;
    {
      std::shared_lock lock(mu_);
      for (const auto& [id, u] : snapshot_.users) {
        if (u.role == Role::kLaOfficer || id == call.who->user_id || !u.active) continue;
        options += Html::Format(R"(<option value="{}">{} ({}, {})</option>)", id, u.display_name,
                                u.username, store::RoleName(u.role));
      }
    }
    reset = Html::Format(
        R"(<h2>Reset someone's password</h2>)"
        R"(<p class="muted">For a member of staff or a parent who has forgotten theirs. Tell )"
        R"(them the new password in person; every login of theirs ends now.</p>)"
        R"(<form class="stack" method="post" action="/account/reset">)"
        R"(<input type="hidden" name="_csrf" value="{}">)"
        R"(<label for="user">Account</label><select id="user" name="user">{}</select>)"
        R"(<label for="reset_password">New password (10 characters or more)</label>)"
        R"(<input id="reset_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">)"
        R"(<p><button type="submit">Reset password</button></p></form>)",
        call.csrf, options);
  }
  Html body = Html::Format(
      R"(<h2>Change your password</h2><p class="muted">Every other login of yours ends when )"
      R"(you change it.</p><form class="stack" method="post" action="/account/password">)"
      R"(<input type="hidden" name="_csrf" value="{}">)"
      R"(<label for="current_password">Current password</label>)"
      R"(<input id="current_password" name="current_password" type="password" autocomplete="current-password" required>)"
      R"(<label for="new_password">New password (10 characters or more)</label>)"
      R"(<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">)"
      R"(<p><button class="primary" type="submit">Change password</button></p></form>{})",
      call.csrf, reset);
  return Layout(call.who, call.csrf, SchoolName(), "Your account", body);
}

Response App::PageAccountPost(Call& call, bool reset) {
  const auto form = FormFields(call.req);
  Status s;
  if (reset) {
    std::optional<int64_t> id = ParseId(Get(form, "user"));
    s = id ? ResetPassword(call, *id, Get(form, "new_password"))
           : core::NotFound(core::kErrUserUnknown, "choose an account");
  } else {
    s = ChangeOwnPassword(call, Get(form, "current_password"), Get(form, "new_password"));
  }
  if (!s.ok()) {
    return Layout(call.who, call.csrf, SchoolName(), "Not changed",
                  Html::Format(R"(<p class="error" role="alert">{}</p>)"
                               R"(<p><a href="/account">Back to your account</a></p>)",
                               s.message()),
                  HttpStatusFor(s.kind()));
  }
  if (reset) {
    return Layout(
        call.who, call.csrf, SchoolName(), "Password reset",
        Html::Trusted(R"(<p role="status">The password is reset and every login of )"
                      R"(that account has ended.</p><p><a href="/account">Back</a></p>)"));
  }
  // Every session of ours has ended, this one too: carry on in a new one.
  StatusOr<NewSession> session = StartSession(CurrentUser(call));
  if (!session.ok()) return Refused(call.who, call.csrf, "", session.status());
  Response res = Redirect("/");
  res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
  return res;
}

}  // namespace rollcall::web
