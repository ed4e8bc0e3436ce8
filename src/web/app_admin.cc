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

namespace {

json SettingsJson(const service::SettingsView& v) {
  const store::Settings& st = v.settings;
  return json{{"version", st.version},
              {"am_start", TimeText(st.am_start_minute)},
              {"pm_start", TimeText(st.pm_start_minute)},
              {"am_open", TimeText(v.am_open_minute)},
              {"pm_open", TimeText(v.pm_open_minute)},
              {"register_close_minutes", st.register_close_minutes},
              {"target_attendance_pct", st.target_attendance_pct},
              {"policy", io::PolicyToJson(v.policy)},
              {"set_at", IsoTime(st.set_at)},
              {"set_by", st.set_by}};
}

}  // namespace

Response App::GetSettings(Call& call) {
  StatusOr<service::SettingsView> v = services_.settings().Get(*call.who);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(SettingsJson(*v).dump());
}

Response App::PutSettings(Call& call) {
  if (Status s = services_.settings().MayChange(*call.who); !s.ok()) return ErrorResponse(s);
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"am_start", "pm_start", "am_open", "pm_open", "register_close_minutes",
                            "target_attendance_pct", "policy"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::SettingsChange change;
  for (auto [key, field] :
       {std::pair{"am_start", &change.am_start}, std::pair{"pm_start", &change.pm_start},
        std::pair{"am_open", &change.am_open}, std::pair{"pm_open", &change.pm_open}}) {
    StatusOr<std::string> text = StringField(*body, key, false);
    if (!text.ok()) return ErrorResponse(text.status());
    *field = *text;
  }
  if (auto it = body->find("register_close_minutes"); it != body->end()) {
    change.register_close_minutes = it->is_number_integer() ? it->get<int64_t>() : -1;
  }
  if (auto it = body->find("target_attendance_pct"); it != body->end()) {
    change.target_attendance_pct = it->is_string() ? it->get<std::string>() : "";
  }
  if (auto it = body->find("policy"); it != body->end()) change.policy_json = it->dump();
  StatusOr<service::SettingsView> v = services_.settings().Change(*call.who, change);
  if (!v.ok()) return ErrorResponse(v.status());
  return JsonResponse(SettingsJson(*v).dump());
}

Response App::ListUsers(Call& call) {
  StatusOr<std::vector<store::User>> users = services_.accounts().Users(*call.who);
  if (!users.ok()) return ErrorResponse(users.status());
  json list = json::array();
  for (const store::User& u : *users) {
    json item = UserJson(u);
    item["active"] = u.active;
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"users", std::move(list)}}.dump());
}

Response App::AddUser(Call& call) {
  if (Status s = services_.accounts().MayManage(*call.who); !s.ok()) return ErrorResponse(s);
  // No "la_code": an LA officer's authority is never a field a school fills in.
  StatusOr<nlohmann::json> body = ObjectBody(
      call.req, {"username", "display_name", "role", "password", "class_ids", "pupil_ids"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::NewUser user;
  for (auto [key, field] :
       {std::pair{"username", &user.username}, std::pair{"display_name", &user.display_name},
        std::pair{"role", &user.role}, std::pair{"password", &user.password}}) {
    StatusOr<std::string> text = StringField(*body, key, true);
    if (!text.ok()) return ErrorResponse(text.status());
    *field = *text;
  }
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
  StatusOr<store::User> added = services_.accounts().AddUser(*call.who, user);
  if (!added.ok()) return ErrorResponse(added.status());
  return JsonResponse(UserJson(*added).dump(), http::status::created);
}

// ---------------------------------------------------------------------------
// Passwords

Response App::PostOwnPassword(Call& call) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"current_password", "new_password"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<std::string> current = StringField(*body, "current_password", true);
  if (!current.ok()) return ErrorResponse(current.status());
  StatusOr<std::string> next = StringField(*body, "new_password", true);
  if (!next.ok()) return ErrorResponse(next.status());
  // Every session has ended, this one too: the caller carries on in a new one.
  StatusOr<NewSession> session = services_.sessions().ChangeOwnPassword(
      *call.who, *current, *next, call.req.remote_addr, clock_.NowSeconds());
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
  if (Status s = services_.sessions().ResetPassword(*call.who, user_id, *next); !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(R"({"status":"password reset; every login of that account has ended"})");
}

Response App::PageAccount(Call& call) {
  Html reset;
  // Only the head gets the accounts; they may reset any but an LA officer's,
  // their own and closed ones.
  if (StatusOr<std::vector<store::User>> users = services_.accounts().Users(*call.who);
      users.ok()) {
    Html options;
    for (const store::User& u : *users) {
      if (u.role == Role::kLaOfficer || u.id == call.who->user_id || !u.active) continue;
      options += Html::Format(R"(<option value="{}">{} ({}, {})</option>)", u.id, u.display_name,
                              u.username, store::RoleName(u.role));
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
  return Layout(call.who, call.csrf, SchoolName(), "Your account",
                DoneBanner(call.target.query) + body);
}

Response App::PageAccountPost(Call& call, bool reset) {
  const auto form = FormFields(call.req);
  auto not_changed = [&](const Status& s) {
    return NotSaved(call.who, call.csrf, s, "/account", "Not changed", SchoolName());
  };
  if (reset) {
    std::optional<int64_t> id = ParseId(Get(form, "user"));
    const Status s =
        id ? services_.sessions().ResetPassword(*call.who, *id, Get(form, "new_password"))
           : core::NotFound(core::kErrUserUnknown, "choose an account");
    if (!s.ok()) return not_changed(s);
    return Layout(
        call.who, call.csrf, SchoolName(), "Password reset",
        Html::Trusted(R"(<p role="status">The password is reset and every login of )"
                      R"(that account has ended.</p><p><a href="/account">Back</a></p>)"));
  }
  // Every session of ours has ended, this one too: carry on in a new one.
  StatusOr<NewSession> session = services_.sessions().ChangeOwnPassword(
      *call.who, Get(form, "current_password"), Get(form, "new_password"), call.req.remote_addr,
      clock_.NowSeconds());
  if (!session.ok()) return not_changed(session.status());
  Response res = RedirectDone("/account", Done::kPasswordChanged);
  res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
  return res;
}

}  // namespace rollcall::web
