// app_admin.cc: school settings and staff accounts.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/error_codes.h"
#include "io/policy_json.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/password.h"

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
