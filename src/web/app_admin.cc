// app_admin.cc: school settings, passwords, and the accounts of staff and
// parents (invitations, set-password links, disabling).
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
              {"session_idle_minutes", st.session_idle_minutes},
              {"rewards_exclude_medical", st.rewards_exclude_medical},
              {"target_attendance_pct", st.target_attendance_pct},
              {"policy", io::PolicyToJson(v.policy)},
              {"set_at", IsoTime(st.set_at)},
              {"set_by", st.set_by}};
}

// Ids from a JSON body's list `key`, if it has one.
StatusOr<std::vector<int64_t>> IdList(const nlohmann::json& body, const char* key) {
  std::vector<int64_t> out;
  auto it = body.find(key);
  if (it == body.end()) return out;
  if (!it->is_array()) {
    return core::InvalidArgument(core::kErrJsonType,
                                 fmt::format("'{}' must be a list of ids", key));
  }
  for (const auto& v : *it) {
    if (!v.is_number_integer()) {
      return core::InvalidArgument(core::kErrJsonType,
                                   fmt::format("'{}' must be a list of ids", key));
    }
    out.push_back(v.get<int64_t>());
  }
  return out;
}

// The account a JSON body describes: username, display_name, role and, when
// `with_password`, password; class_ids and pupil_ids when given. No
// "la_code": an LA officer's authority is never a field a school fills in.
StatusOr<service::NewUser> NewUserBody(const Request& req, bool with_password) {
  ASSIGN_OR_RETURN(nlohmann::json body,
                   with_password ? ObjectBody(req, {"username", "display_name", "role", "password",
                                                    "class_ids", "pupil_ids", "email"})
                                 : ObjectBody(req, {"username", "display_name", "role", "class_ids",
                                                    "pupil_ids", "email"}));
  service::NewUser user;
  for (auto [key, field] :
       {std::pair{"username", &user.username}, std::pair{"display_name", &user.display_name},
        std::pair{"role", &user.role}, std::pair{"password", &user.password}}) {
    if (!with_password && field == &user.password) continue;
    ASSIGN_OR_RETURN(*field, StringField(body, key, true));
  }
  ASSIGN_OR_RETURN(user.email, StringField(body, "email", false));
  ASSIGN_OR_RETURN(user.class_ids, IdList(body, "class_ids"));
  ASSIGN_OR_RETURN(user.pupil_ids, IdList(body, "pupil_ids"));
  return user;
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
                            "session_idle_minutes", "target_attendance_pct", "policy",
                            "rewards_exclude_medical"});
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
  if (auto it = body->find("session_idle_minutes"); it != body->end()) {
    change.session_idle_minutes = it->is_number_integer() ? it->get<int64_t>() : -1;
  }
  if (auto it = body->find("rewards_exclude_medical"); it != body->end()) {
    if (!it->is_boolean()) {
      return ErrorResponse(core::InvalidArgument(
          core::kErrJsonType, "'rewards_exclude_medical' must be true or false"));
    }
    change.rewards_exclude_medical = it->get<bool>();
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
    // Invited and not yet through the set-password link.
    item["invited"] = u.password_hash.empty();
    list.push_back(std::move(item));
  }
  return JsonResponse(json{{"users", std::move(list)}}.dump());
}

Response App::AddUser(Call& call) {
  if (Status s = services_.accounts().MayManage(*call.who); !s.ok()) return ErrorResponse(s);
  StatusOr<service::NewUser> user = NewUserBody(call.req, /*with_password=*/true);
  if (!user.ok()) return ErrorResponse(user.status());
  StatusOr<store::User> added = services_.accounts().AddUser(*call.who, *user);
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
  // On the pages the head resets others' passwords with a set-password
  // link, never by typing one, so no one need learn another's password.
  const Html reset =
      services_.accounts().MayManage(*call.who).ok()
          ? Html::Trusted(R"(<h2>Someone else's password</h2><p class="muted">To reset a )"
                          R"(forgotten password, send a set-password link from )"
                          R"(<a href="/users">Accounts</a>. Staff's second factors, and the )"
                          R"(setting that requires them, are on )"
                          R"(<a href="/second-factor">Second factors</a>.</p>)")
          : Html();
  // Parents have no second factor: their accounts reach only their own
  // children, and a phone app is one more thing to ask of every family.
  const Html second_factor =
      call.who->role == Role::kParent
          ? Html()
          : Html::Trusted(R"(<h2>Second factor</h2><p class="muted">A code from an app on your )"
                          R"(phone as well as your password: <a href="/account/second-factor">)"
                          R"(set it up or change it</a>.</p>)");
  Html body = Html::Format(
      R"(<h2>Change your password</h2><p class="muted">Every other login of yours ends when )"
      R"(you change it.</p><form class="stack" method="post" action="/account/password">)"
      R"(<input type="hidden" name="_csrf" value="{}">)"
      R"(<label for="current_password">Current password</label>)"
      R"(<input id="current_password" name="current_password" type="password" autocomplete="current-password" required>)"
      R"(<label for="new_password">New password (10 characters or more)</label>)"
      R"(<input id="new_password" name="new_password" type="password" autocomplete="new-password" required minlength="10">)"
      R"(<p><button class="primary" type="submit">Change password</button></p></form>{}{})",
      call.csrf, second_factor, reset);
  return Layout(call.who, call.csrf, SchoolName(), "Your account",
                DoneBanner(call.target.query) + body);
}

Response App::PageAccountPost(Call& call) {
  const auto form = FormFields(call.req);
  auto not_changed = [&](const Status& s) {
    return NotSaved(call.who, call.csrf, s, "/account", "Not changed", SchoolName());
  };
  // Every session of ours has ended, this one too: carry on in a new one.
  StatusOr<NewSession> session = services_.sessions().ChangeOwnPassword(
      *call.who, Get(form, "current_password"), Get(form, "new_password"), call.req.remote_addr,
      clock_.NowSeconds());
  if (!session.ok()) return not_changed(session.status());
  Response res = RedirectDone("/account", Done::kPasswordChanged);
  res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
  return res;
}

// ---------------------------------------------------------------------------
// Accounts: invitations, set-password links, disabling

namespace {

// The roles a head invites staff to, in the order the form lists them.
constexpr Role kStaffRoles[] = {Role::kTeacher, Role::kOffice,           Role::kAttendanceOfficer,
                                Role::kHead,    Role::kSafeguardingLead, Role::kSenco,
                                Role::kGovernor};

// An account's state as the head reads it.
std::string_view StatusText(const store::User& u) {
  if (!u.active) return "Disabled";
  if (u.password_hash.empty()) return "Invited — link not used";
  return "Active";
}

// "Designated safeguarding lead": a role's words at the start of a cell.
std::string Capitalised(std::string_view text) {
  std::string out(text);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

// The link's path as the caller reaches it: under the request's base path
// ("/s/URN") when the school is served by path.
json LinkJson(const service::SetPasswordLink& link, const std::string& base_path) {
  return json{{"user", UserJson(link.user)},
              {"link", base_path + "/invite/" + link.token},
              {"expires_at", IsoTime(link.expires_at)}};
}

// The page that shows a new link, once: it is never shown again. The link
// as text is to be copied whole, so it carries the host and the request's
// base path ("/s/URN" under path routing), which the href gets from Hosted.
Html LinkShown(const service::SetPasswordLink& link, const Request& req) {
  return Html::Format(
      R"(<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">)"
      R"(Link for {}</h2><div class="govuk-panel__body">Give this link to them yourself. )"
      R"(It works once, until {}.</div></div>)"
      R"(<p class="govuk-body">Their username is <strong>{}</strong>.</p>)"
      R"(<p class="govuk-body"><a class="govuk-link" id="set-password-link" href="/invite/{}">)"
      R"({}{}/invite/{}</a></p>)"
      R"(<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>)"
      R"(<strong class="govuk-warning-text__text">This is the only time the link is shown. A new )"
      R"(link ends this one.</strong></div><p class="govuk-body"><a class="govuk-link" )"
      R"(href="/users">Back to accounts</a></p>)",
      link.user.display_name, service::MomentText(link.expires_at), link.user.username, link.token,
      req.host, req.base_path, link.token);
}

}  // namespace

Response App::PostInvitation(Call& call) {
  if (Status s = services_.accounts().MayManage(*call.who); !s.ok()) return ErrorResponse(s);
  StatusOr<service::NewUser> user = NewUserBody(call.req, /*with_password=*/false);
  if (!user.ok()) return ErrorResponse(user.status());
  StatusOr<service::SetPasswordLink> link =
      services_.accounts().Invite(*call.who, *user, clock_.NowSeconds());
  if (!link.ok()) return ErrorResponse(link.status());
  return JsonResponse(LinkJson(*link, call.req.base_path).dump(), http::status::created);
}

Response App::PostNewLink(Call& call, const std::string& user_id) {
  std::optional<int64_t> id = ParseId(user_id);
  if (!id) return ErrorResponse(core::NotFound(core::kErrUserUnknown, "no such account"));
  StatusOr<service::SetPasswordLink> link =
      services_.accounts().NewLink(*call.who, *id, clock_.NowSeconds());
  if (!link.ok()) return ErrorResponse(link.status());
  return JsonResponse(LinkJson(*link, call.req.base_path).dump(), http::status::created);
}

Response App::PostSetActive(Call& call, const std::string& user_id, bool active) {
  std::optional<int64_t> id = ParseId(user_id);
  if (!id) return ErrorResponse(core::NotFound(core::kErrUserUnknown, "no such account"));
  if (Status s = services_.sessions().SetActive(*call.who, *id, active, clock_.NowSeconds());
      !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"status", active ? "enabled" : "disabled"}}.dump());
}

Response App::PageUsers(Call& call) {
  StatusOr<std::vector<store::User>> users = services_.accounts().Users(*call.who);
  if (!users.ok()) return Refused(call.who, call.csrf, SchoolName(), users.status());
  Html rows;
  for (const store::User& u : *users) {
    Html actions;
    // Not the head's own account, and never an LA officer's: the service's
    // operator manages those.
    if (u.id != call.who->user_id && u.role != Role::kLaOfficer) {
      auto button = [&](const char* action, const char* label, const char* style) {
        return Html::Format(
            R"(<form method="post" action="/users/{}/{}" class="govuk-!-display-inline-block )"
            R"(govuk-!-margin-right-2"><input type="hidden" name="_csrf" value="{}">)"
            R"(<button class="govuk-button {} govuk-!-margin-bottom-1" type="submit">{})"
            R"(<span class="govuk-visually-hidden"> for {}</span></button></form>)",
            u.id, action, call.csrf, style, label, u.display_name);
      };
      if (u.active) {
        actions = button("link", "Send a set-password link", "govuk-button--secondary") +
                  button("disable", "Disable", "govuk-button--warning");
      } else {
        actions = button("enable", "Enable", "govuk-button--secondary");
      }
    }
    // Staff: where rollcall's notifications to them go, changed in place.
    Html email;
    if (u.role != Role::kParent && u.role != Role::kLaOfficer) {
      email = Html::Format(
          R"(<form method="post" action="/users/{}/email"><input type="hidden" name="_csrf" value="{}">)"
          R"(<label class="govuk-visually-hidden" for="email-{}">Email for {}</label>)"
          R"(<input class="govuk-input" type="email" id="email-{}" name="email" value="{}" spellcheck="false">)"
          R"(<button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" type="submit">Save)"
          R"(<span class="govuk-visually-hidden"> the email for {}</span></button></form>)",
          u.id, call.csrf, u.id, u.display_name, u.id, u.email, u.display_name);
    } else {
      email = Html::Format("{}", u.email);
    }
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        // Staff accounts: the pupils' records they have read.
        u.role == Role::kParent
            ? Html::Format("{}", u.display_name)
            : Html::Format(R"({}<br><a class="govuk-link" href="/users/{}/access-log">)"
                           R"(Records read<span class="govuk-visually-hidden"> by )"
                           R"({}</span></a>)",
                           u.display_name, u.id, u.display_name),
        u.username, Capitalised(service::RoleText(u.role)), email, StatusText(u), actions);
  }
  Html role_options;
  for (Role r : kStaffRoles) {
    role_options += Html::Format(R"(<option value="{}">{}</option>)", store::RoleName(r),
                                 Capitalised(service::RoleText(r)));
  }
  Html class_options = Html::Trusted(R"(<option value="">None</option>)");
  if (StatusOr<std::vector<service::ClassView>> classes =
          services_.school_views().Classes(*call.who);
      classes.ok()) {
    for (const service::ClassView& c : *classes) {
      class_options += Html::Format(R"(<option value="{}">{}</option>)", c.id, c.name);
    }
  }
  auto field = [](const char* id, const char* label, const char* hint, const Html& extra) {
    return Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="{}">{}</label>)"
        R"({}<input class="govuk-input govuk-!-width-one-half" id="{}" name="{}" {}></div>)",
        id, label, hint[0] ? Html::Format(R"(<div class="govuk-hint">{}</div>)", hint) : Html(), id,
        std::string_view(id).substr(std::string_view(id).find('-') + 1), extra);
  };
  Html body = Html::Format(
      R"({}<p class="govuk-body">Who uses a second factor, whether the school requires one, )"
      R"(and resets for a lost phone: <a class="govuk-link" href="/second-factor">Second )"
      R"(factors</a>.</p>)"
      R"(<table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">)"
      R"(Accounts</caption><thead class="govuk-table__head"><tr class="govuk-table__row">)"
      R"(<th scope="col" class="govuk-table__header">Name</th>)"
      R"(<th scope="col" class="govuk-table__header">Username</th>)"
      R"(<th scope="col" class="govuk-table__header">Role</th>)"
      R"(<th scope="col" class="govuk-table__header">Email (for notifications)</th>)"
      R"(<th scope="col" class="govuk-table__header">Status</th>)"
      R"(<th scope="col" class="govuk-table__header">Actions</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)"
      R"(<p class="govuk-body">A set-password link is how a forgotten password is reset: )"
      R"(no one needs to know another person's password.</p>)"
      R"(<h2 class="govuk-heading-m">Invite a member of staff</h2>)"
      R"(<form method="post" action="/users/invite"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="kind" value="staff">{}{}{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="staff-role">Role</label>)"
      R"(<select class="govuk-select" id="staff-role" name="role">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="staff-class">Class </label>)"
      R"(<div class="govuk-hint">For a teacher: the class whose registers they take.</div>)"
      R"(<select class="govuk-select" id="staff-class" name="class">{}</select></div>)"
      R"(<button class="govuk-button" type="submit">Invite</button></form>)"
      R"(<h2 class="govuk-heading-m">Invite a parent</h2>)"
      R"(<form method="post" action="/users/invite"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="kind" value="parent">{}{}{})"
      R"(<button class="govuk-button" type="submit">Invite</button></form>)",
      DoneBanner(call.target.query), rows, call.csrf,
      field("staff-display_name", "Name", "", Html::Trusted("required")),
      field("staff-username", "Username", "Letters a-z, numbers, '.', '_' or '-'",
            Html::Trusted(R"(required spellcheck="false" autocomplete="off")")),
      field("staff-email", "Email", "Where rollcall's notifications to them go (optional)",
            Html::Trusted(R"(type="email" spellcheck="false" autocomplete="off")")),
      role_options, class_options, call.csrf,
      field("parent-display_name", "Name", "", Html::Trusted("required")),
      field("parent-username", "Username", "Their email address will do",
            Html::Trusted(R"(required spellcheck="false" autocomplete="off")")),
      field("parent-upns", "Their children's UPNs", "Separate them with commas",
            Html::Trusted("required")));
  return Layout(call.who, call.csrf, SchoolName(), "Accounts", body);
}

Response App::PageInviteUser(Call& call) {
  const auto form = FormFields(call.req);
  service::NewUser user;
  user.display_name = Get(form, "display_name");
  user.username = Get(form, "username");
  if (Get(form, "kind") == "parent") {
    user.role = "parent";
    const std::string upns_typed = Get(form, "upns");
    std::string_view upns = upns_typed;
    while (!upns.empty()) {
      const size_t comma = upns.find(',');
      std::string_view upn = upns.substr(0, comma);
      while (!upn.empty() && upn.front() == ' ') upn.remove_prefix(1);
      while (!upn.empty() && upn.back() == ' ') upn.remove_suffix(1);
      if (!upn.empty()) user.pupil_upns.emplace_back(upn);
      if (comma == std::string_view::npos) break;
      upns.remove_prefix(comma + 1);
    }
  } else {
    user.role = Get(form, "role");
    user.email = Get(form, "email");
    if (std::optional<int64_t> c = ParseId(Get(form, "class")); c) user.class_ids.push_back(*c);
  }
  StatusOr<service::SetPasswordLink> link =
      services_.accounts().Invite(*call.who, user, clock_.NowSeconds());
  if (!link.ok()) return NotSaved(call.who, call.csrf, link.status(), "/users", "Not invited");
  return Layout(call.who, call.csrf, SchoolName(), "Invitation", LinkShown(*link, call.req));
}

Response App::PageUserAction(Call& call, const std::string& user_id, const std::string& action) {
  std::optional<int64_t> id = ParseId(user_id);
  if (!id || (action != "link" && action != "disable" && action != "enable" && action != "email")) {
    return Refused(call.who, call.csrf, SchoolName(),
                   core::NotFound(core::kErrNotFound, "there is no such action on an account"));
  }
  const int64_t now = clock_.NowSeconds();
  if (action == "email") {
    const auto form = FormFields(call.req);
    if (Status s = services_.accounts().SetEmail(*call.who, *id, Get(form, "email")); !s.ok()) {
      return NotSaved(call.who, call.csrf, s, "/users", "Not changed");
    }
    return Redirect("/users");
  }
  if (action == "link") {
    StatusOr<service::SetPasswordLink> link = services_.accounts().NewLink(*call.who, *id, now);
    if (!link.ok()) return NotSaved(call.who, call.csrf, link.status(), "/users", "No link sent");
    return Layout(call.who, call.csrf, SchoolName(), "Set-password link",
                  LinkShown(*link, call.req));
  }
  const bool enable = action == "enable";
  if (Status s = services_.sessions().SetActive(*call.who, *id, enable, now); !s.ok()) {
    return NotSaved(call.who, call.csrf, s, "/users", "Not changed");
  }
  return RedirectDone("/users", enable ? Done::kAccountEnabled : Done::kAccountDisabled);
}

Response App::PageSetPassword(Call& call, const std::string& token) {
  const std::string school = SchoolName();
  const int64_t now = clock_.NowSeconds();
  Html error;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    const std::string password = Get(form, "new_password");
    Status problem = SameSite(call);
    if (!problem.ok()) return Refused(std::nullopt, "", school, problem);
    if (password != Get(form, "confirm_password")) {
      problem = core::InvalidArgument(core::kErrValueInvalid, "the two passwords differ");
    } else {
      StatusOr<service::LoginStep> step =
          services_.sessions().UseLink(token, password, call.req.remote_addr, now);
      // Logged in, or on to the second factor the account has or needs.
      if (step.ok()) return AfterPassword(*step);
      problem = step.status();
    }
    // A link that is not right or has ended has no form to show again.
    if (problem.kind() != core::ErrorKind::kInvalidArgument) {
      return Refused(std::nullopt, "", school, problem);
    }
    error = ErrorSummary(problem.message(), "new_password");
  }
  StatusOr<store::User> user = services_.sessions().CheckLink(token, call.req.remote_addr, now);
  if (!user.ok()) return Refused(std::nullopt, "", school, user.status());
  Html body = Html::Format(
      R"({}<p class="govuk-body">Your username is <strong>{}</strong>.</p>)"
      R"(<form method="post" action="/invite/{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="new_password">)"
      R"(New password</label><div class="govuk-hint">10 characters or more</div>)"
      R"(<input class="govuk-input govuk-!-width-one-half" id="new_password" name="new_password" )"
      R"(type="password" autocomplete="new-password" required minlength="10"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="confirm_password">)"
      R"(Type it again</label><input class="govuk-input govuk-!-width-one-half" )"
      R"(id="confirm_password" name="confirm_password" type="password" )"
      R"(autocomplete="new-password" required minlength="10"></div>)"
      R"(<button class="govuk-button" type="submit">Set password</button></form>)",
      error, user->username, token);
  return Layout(std::nullopt, "", school, "Set your password", body,
                error.str().empty() ? http::status::ok : http::status::bad_request);
}

}  // namespace rollcall::web
