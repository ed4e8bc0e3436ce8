// app_second_factor.cc: the step after the password (a one-time code, or
// enrolling first when the school requires it), a person's own second
// factor on their account, and the head's page of everyone's
// (service::SecondFactors, and the pending logins of service::Sessions).
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "io/totp.h"
#include "service/fields.h"
#include "service/second_factor.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

// The pending login's cookie: only the login pages read it.
constexpr char kPendingCookie[] = "rollcall_pending";

// "JBSW Y3DP ...": the secret in groups of four, easier to type.
std::string Grouped(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i > 0 && i % 4 == 0) out += ' ';
    out += text[i];
  }
  return out;
}

// What a phone needs to enrol, and the form that confirms it with a code.
Html EnrolmentHtml(const service::SecondFactorEnrolment& e, const std::string& action,
                   const std::string& csrf, const Html& error) {
  // An <img> of a data: address: the page's policy allows images from data:
  // but no inline style, and the SVG needs none.
  const std::string qr = "data:image/svg+xml;base64," + io::Base64(e.qr_svg);
  return Html::Format(
      R"({}<ol class="govuk-list govuk-list--number">)"
      R"(<li>Open an authenticator app on your phone (any app for "time-based one-time )"
      R"(passwords" will do).</li><li>Scan this QR code with it:<br>)"
      R"(<img id="second-factor-qr" src="{}" alt="QR code for your authenticator app" )"
      R"(width="200" height="200"><br>or type this key into it instead: )"
      R"(<strong id="second-factor-secret">{}</strong></li>)"
      R"(<li>Type the 6-digit code the app now shows.</li></ol>)"
      R"(<details class="govuk-details"><summary class="govuk-details__summary">)"
      R"(The address the QR code holds</summary><div class="govuk-details__text">)"
      R"(<code id="second-factor-uri">{}</code></div></details>)"
      R"(<p class="muted">The key is shown only until you confirm it: it is never shown again.</p>)"
      R"(<form method="post" action="{}"><input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="code">)"
      R"(Code from the app</label><input class="govuk-input govuk-input--width-10" id="code" )"
      R"(name="code" inputmode="numeric" )"
      R"(autocomplete="one-time-code" spellcheck="false" required></div>)"
      R"(<button class="govuk-button" type="submit">Turn on</button></form>)",
      error, qr, Grouped(e.secret_base32), e.otpauth_uri, action, csrf);
}

// The recovery codes, shown once.
Html RecoveryCodesHtml(const std::vector<std::string>& codes, const std::string& next) {
  Html list;
  for (const std::string& code : codes) list += Html::Format("<li><code>{}</code></li>", code);
  return Html::Format(
      R"(<div class="govuk-panel govuk-panel--confirmation"><h2 class="govuk-panel__title">)"
      R"(Your recovery codes</h2><div class="govuk-panel__body">Each logs you in once without )"
      R"(your phone. Print them or write them down and keep them safe: they are shown only )"
      R"(now.</div></div><ul class="govuk-list" id="recovery-codes">{}</ul>)"
      R"(<p class="govuk-body"><a class="govuk-button" href="{}">Continue</a></p>)",
      list, next);
}

std::string_view SecondFactorEventWords(store::SecondFactorEventKind kind) {
  switch (kind) {
    case store::SecondFactorEventKind::kEnrolled:
      return "turned on";
    case store::SecondFactorEventKind::kTurnedOff:
      return "turned off";
    case store::SecondFactorEventKind::kReset:
      return "reset by the head";
    case store::SecondFactorEventKind::kRecoveryCodeUsed:
      return "recovery code used";
    case store::SecondFactorEventKind::kNewRecoveryCodes:
      return "new recovery codes made";
  }
  core::Unreachable();
}

}  // namespace

std::string App::PendingCookie(const std::string& token) const {
  // An empty token clears the cookie.
  return fmt::format("{}={}; Path=/login; HttpOnly; SameSite=Strict; Max-Age={}{}", kPendingCookie,
                     token, token.empty() ? 0 : service::SessionOptions{}.pending_login_seconds,
                     config_.secure_cookies ? "; Secure" : "");
}

Response App::AfterPassword(const service::LoginStep& step) {
  if (step.session) {
    Response res = Redirect("/");
    res.headers.emplace_back("Set-Cookie", SessionCookie(step.session->token));
    return res;
  }
  Response res = Redirect(step.pending->must_enrol ? "/login/enrol" : "/login/code");
  res.headers.emplace_back("Set-Cookie", PendingCookie(step.pending->token));
  return res;
}

Response App::PageLoginCode(Call& call) {
  const std::string school = SchoolName();
  const int64_t now = clock_.NowSeconds();
  const std::string token = CookieValue(call.req.cookie, kPendingCookie).value_or("");
  auto ended = [&](const Status& s) {
    Response res = Refused(std::nullopt, "", school, s);
    res.headers.emplace_back("Set-Cookie", PendingCookie(""));
    return res;
  };
  StatusOr<service::PendingLogin> pending = services_.sessions().Pending(token, now);
  if (!pending.ok()) return ended(pending.status());
  if (pending->must_enrol) return Redirect("/login/enrol");
  Html error;
  if (call.req.method == http::verb::post) {
    if (Status s = SameSite(call); !s.ok()) return Refused(std::nullopt, "", school, s);
    StatusOr<NewSession> session = services_.sessions().FinishLogin(
        token, Get(FormFields(call.req), "code"), call.req.remote_addr, now);
    if (session.ok()) {
      Response res = Redirect("/");
      res.headers.emplace_back("Set-Cookie", SessionCookie(session->token));
      res.headers.emplace_back("Set-Cookie", PendingCookie(""));
      return res;
    }
    if (session.status().code() == std::string_view(core::kErrPendingLoginEnded)) {
      return ended(session.status());
    }
    if (session.status().kind() != core::ErrorKind::kUnauthenticated) {
      return Refused(std::nullopt, "", school, session.status());
    }
    error = ErrorSummary(session.status().message(), "code");
  }
  Html body = Html::Format(
      R"({}<p class="govuk-body">Logging in as <strong>{}</strong>. Type the 6-digit code your )"
      R"(authenticator app shows, or one of your recovery codes if you do not have your phone.</p>)"
      R"(<form method="post" action="/login/code">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="code">Code</label>)"
      R"(<input class="govuk-input govuk-input--width-10" id="code" name="code" )"
      R"(inputmode="numeric" autocomplete="one-time-code" spellcheck="false" required autofocus>)"
      R"(</div><button class="govuk-button" type="submit">Log in</button></form>)"
      R"(<p class="muted">Lost your phone and your recovery codes? The head can reset your )"
      R"(second factor.</p>)",
      error, pending->user.username);
  return Layout(std::nullopt, "", school, "Your one-time code", body,
                error.str().empty() ? http::status::ok : http::status::unauthorized);
}

Response App::PageLoginEnrol(Call& call) {
  const std::string school = SchoolName();
  const int64_t now = clock_.NowSeconds();
  const std::string token = CookieValue(call.req.cookie, kPendingCookie).value_or("");
  auto ended = [&](const Status& s) {
    Response res = Refused(std::nullopt, "", school, s);
    res.headers.emplace_back("Set-Cookie", PendingCookie(""));
    return res;
  };
  StatusOr<service::PendingLogin> pending = services_.sessions().Pending(token, now);
  if (!pending.ok()) return ended(pending.status());
  if (!pending->must_enrol) return Redirect("/login/code");
  Html error;
  if (call.req.method == http::verb::post) {
    if (Status s = SameSite(call); !s.ok()) return Refused(std::nullopt, "", school, s);
    StatusOr<service::EnrolledLogin> done = services_.sessions().FinishEnrolment(
        token, Get(FormFields(call.req), "code"), call.req.remote_addr, now);
    if (done.ok()) {
      StatusOr<service::ActiveSession> active =
          services_.sessions().Lookup(done->session.token, now);
      std::optional<Principal> who;
      if (active.ok()) who = active->who;
      Response res = Layout(who, done->session.csrf, school, "Second factor turned on",
                            RecoveryCodesHtml(done->recovery_codes, "/"));
      res.headers.emplace_back("Set-Cookie", SessionCookie(done->session.token));
      res.headers.emplace_back("Set-Cookie", PendingCookie(""));
      return res;
    }
    if (done.status().code() == std::string_view(core::kErrPendingLoginEnded)) {
      return ended(done.status());
    }
    if (done.status().kind() != core::ErrorKind::kUnauthenticated) {
      return Refused(std::nullopt, "", school, done.status());
    }
    error = ErrorSummary(done.status().message(), "code");
  }
  StatusOr<service::SecondFactorEnrolment> enrolment =
      services_.sessions().PendingEnrolment(token, now);
  if (!enrolment.ok()) return Refused(std::nullopt, "", school, enrolment.status());
  Html body = Html::Format(
      R"(<p class="govuk-body">The school asks <strong>{}</strong> to use a second factor: a )"
      R"(code from an app on your phone as well as your password. Set it up now to carry on.</p>)",
      pending->user.username);
  // The pending login is the form's credential: no session, so no CSRF
  // token (the cookie is SameSite=Strict and the origin is checked).
  body += EnrolmentHtml(*enrolment, "/login/enrol", "", error);
  return Layout(std::nullopt, "", school, "Set up your second factor", body,
                error.str().empty() ? http::status::ok : http::status::unauthorized);
}

Response App::PageSecondFactor(Call& call) {
  const std::string school = SchoolName();
  StatusOr<service::SecondFactorState> state = services_.second_factors().StateOf(*call.who);
  if (!state.ok()) return Refused(call.who, call.csrf, school, state.status());
  const std::string done = Get(call.target.query, "done");
  Html body;
  if (done == "off") body += SuccessBanner("Your second factor is turned off.");
  if (state->enrolled) {
    body += Html::Format(
        R"(<p class="govuk-body" id="second-factor-state">Your second factor is <strong>on)"
        R"(</strong> (since {}). You have {} left.</p>)",
        service::MomentText(*state->enrolled_at),
        service::Plural(state->recovery_codes_left, "unused recovery code"));
    body += Html::Format(
        R"(<h2>New recovery codes</h2><p class="muted">The old ones stop working.</p>)"
        R"(<form class="stack" method="post" action="/account/second-factor/recovery-codes">)"
        R"(<input type="hidden" name="_csrf" value="{}"><label for="codes_code">A code from )"
        R"(your app</label><input id="codes_code" name="code" inputmode="numeric" )"
        R"(autocomplete="one-time-code" required><p><button class="govuk-button )"
        R"(govuk-button--secondary" type="submit">Make new recovery codes</button></p></form>)",
        call.csrf);
    if (state->required) {
      body += Html::Trusted(
          R"(<p class="muted">The school requires a second factor of your role, so it cannot be )"
          R"(turned off. If you lose your phone, the head can reset it.</p>)");
    } else {
      body += Html::Format(
          R"(<h2>Turn it off</h2><form class="stack" method="post" )"
          R"(action="/account/second-factor/off"><input type="hidden" name="_csrf" value="{}">)"
          R"(<label for="off_password">Your password</label><input id="off_password" )"
          R"(name="password" type="password" autocomplete="current-password" required>)"
          R"(<label for="off_code">A code from your app</label><input id="off_code" name="code" )"
          R"(inputmode="numeric" autocomplete="one-time-code" required>)"
          R"(<p><button class="govuk-button govuk-button--warning" type="submit">Turn off)"
          R"(</button></p></form>)",
          call.csrf);
    }
  } else if (state->enrolling && done == "start") {
    StatusOr<service::SecondFactorEnrolment> enrolment =
        services_.second_factors().Waiting(call.who->user_id);
    if (!enrolment.ok()) return Refused(call.who, call.csrf, school, enrolment.status());
    body += EnrolmentHtml(*enrolment, "/account/second-factor/confirm", call.csrf, Html());
  } else {
    body += Html::Format(
        R"(<p class="govuk-body" id="second-factor-state">Your second factor is <strong>off)"
        R"(</strong>.{}</p><p class="govuk-body">With it on, logging in takes your password and )"
        R"(a code from an authenticator app on your phone, so a password someone has learnt )"
        R"(is not enough.</p><form method="post" action="/account/second-factor/start">)"
        R"(<input type="hidden" name="_csrf" value="{}"><button class="govuk-button" )"
        R"(type="submit">Set up a second factor</button></form>)",
        state->required ? " The school requires one of your role." : "", call.csrf);
  }
  return Layout(call.who, call.csrf, school, "Second factor", body);
}

Response App::PageSecondFactorPost(Call& call, const std::string& action) {
  const std::string school = SchoolName();
  const int64_t now = clock_.NowSeconds();
  const auto form = FormFields(call.req);
  auto not_done = [&](const Status& s) {
    return NotSaved(call.who, call.csrf, s, "/account/second-factor", "Not changed", school);
  };
  if (Status s = service::RefuseApiToken(*call.who, "change a second factor"); !s.ok()) {
    return not_done(s);
  }
  if (action == "start") {
    StatusOr<service::SecondFactorEnrolment> started =
        services_.second_factors().Start(call.who->user_id, now);
    if (!started.ok()) return not_done(started.status());
    return Redirect("/account/second-factor?done=start");
  }
  if (action == "confirm") {
    StatusOr<std::vector<std::string>> codes = services_.second_factors().Confirm(
        call.who->user_id, Get(form, "code"), call.who->name, now);
    if (!codes.ok()) {
      if (codes.status().code() != std::string_view(core::kErrCodeWrong)) {
        return not_done(codes.status());
      }
      StatusOr<service::SecondFactorEnrolment> enrolment =
          services_.second_factors().Waiting(call.who->user_id);
      if (!enrolment.ok()) return not_done(enrolment.status());
      return Layout(call.who, call.csrf, school, "Second factor",
                    EnrolmentHtml(*enrolment, "/account/second-factor/confirm", call.csrf,
                                  ErrorSummary(codes.status().message(), "code")),
                    http::status::bad_request);
    }
    return Layout(call.who, call.csrf, school, "Second factor turned on",
                  RecoveryCodesHtml(*codes, "/account/second-factor"));
  }
  if (action == "recovery-codes") {
    StatusOr<std::vector<std::string>> codes = services_.sessions().NewRecoveryCodes(
        *call.who, Get(form, "code"), call.req.remote_addr, now);
    if (!codes.ok()) return not_done(codes.status());
    return Layout(call.who, call.csrf, school, "New recovery codes",
                  RecoveryCodesHtml(*codes, "/account/second-factor"));
  }
  if (action == "off") {
    if (Status s = services_.sessions().TurnOffSecondFactor(
            *call.who, Get(form, "password"), Get(form, "code"), call.req.remote_addr, now);
        !s.ok()) {
      return not_done(s);
    }
    return Redirect("/account/second-factor?done=off");
  }
  return Refused(call.who, call.csrf, school,
                 core::NotFound(core::kErrNotFound, "no such form: " + action));
}

Response App::PageSecondFactors(Call& call) {
  const std::string school = SchoolName();
  StatusOr<service::SecondFactorOverview> overview = services_.second_factors().Overview(*call.who);
  if (!overview.ok()) return Refused(call.who, call.csrf, school, overview.status());
  const std::string done = Get(call.target.query, "done");
  Html body;
  if (done == "reset") body += SuccessBanner("Their second factor is reset.");
  if (done == "setting") body += SuccessBanner("The setting is saved.");
  const bool required = overview->policy.required;
  body += Html::Format(
      R"(<h2>Required for the school's key roles</h2><p class="govuk-body" id="second-factor-)"
      R"(policy">A second factor is <strong>{}</strong> for the head, office, attendance )"
      R"(officers, the designated safeguarding lead and LA officers{}.</p>)"
      R"(<p class="muted">When required, )"
      R"(anyone in those roles without one is asked to set it up straight after their password, )"
      R"(and can do nothing else until they have. Logins already open carry on until they end. )"
      R"(Teachers, SENCOs and governors may choose to use one; parents are never asked. API )"
      R"(tokens are not affected.</p><form method="post" action="/second-factor/required">)"
      R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="required" )"
      R"(value="{}"><button class="govuk-button" type="submit">{}</button></form>)",
      required ? "required" : "not required",
      overview->policy.set_by.empty() ? std::string()
                                      : fmt::format(" (set by {} on {})", overview->policy.set_by,
                                                    service::MomentText(overview->policy.set_at)),
      call.csrf, required ? "no" : "yes", required ? "Stop requiring it" : "Require it");
  Html rows;
  for (const service::SecondFactorStaffRow& row : overview->staff) {
    Html reset;
    if (row.enrolled && row.user.id != call.who->user_id &&
        row.user.role != store::Role::kLaOfficer) {
      reset = Html::Format(
          R"(<form method="post" action="/second-factor/reset"><input type="hidden" )"
          R"(name="_csrf" value="{}"><input type="hidden" name="user_id" value="{}">)"
          R"(<button type="submit" class="govuk-button govuk-button--warning">Reset (lost phone))"
          R"(<span class="govuk-visually-hidden">: {}</span></button></form>)",
          call.csrf, row.user.id, row.user.display_name);
    }
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(</tr>)",
        row.user.display_name, service::RoleText(row.user.role), row.enrolled ? "On" : "Off",
        row.required ? (row.enrolled ? "Yes" : "Yes — not set up") : "No", reset);
  }
  body += Html::Format(
      R"(<table class="govuk-table" id="second-factor-staff"><caption class="govuk-table__caption )"
      R"(govuk-table__caption--m">Staff</caption><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Name</th>)"
      R"(<th scope="col" class="govuk-table__header">Role</th>)"
      R"(<th scope="col" class="govuk-table__header">Second factor</th>)"
      R"(<th scope="col" class="govuk-table__header">Required</th>)"
      R"(<th scope="col" class="govuk-table__header">Lost phone</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)"
      R"(<p class="muted">Resetting removes someone's second factor: they log in with their )"
      R"(password alone, or set up a new one at once if the school requires it.</p>)",
      rows);
  Html log;
  for (const store::SecondFactorEvent& e : overview->events) {
    std::string whose;
    for (const service::SecondFactorStaffRow& row : overview->staff) {
      if (row.user.id == e.user_id) whose = row.user.display_name;
    }
    if (whose.empty()) whose = fmt::format("account {}", e.user_id);
    log +=
        Html::Format(R"(<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
                     service::MomentText(e.at), whose, SecondFactorEventWords(e.kind), e.by_name);
  }
  body += Html::Format(
      R"(<table class="govuk-table" id="second-factor-log"><caption class="govuk-table__caption )"
      R"(govuk-table__caption--m">Log</caption><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">When</th>)"
      R"(<th scope="col" class="govuk-table__header">Whose</th>)"
      R"(<th scope="col" class="govuk-table__header">What</th>)"
      R"(<th scope="col" class="govuk-table__header">By</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table>)",
      log);
  return Layout(call.who, call.csrf, school, "Second factors", body);
}

Response App::PageSecondFactorsPost(Call& call, const std::string& action) {
  const std::string school = SchoolName();
  const int64_t now = clock_.NowSeconds();
  const auto form = FormFields(call.req);
  auto not_done = [&](const Status& s) {
    return NotSaved(call.who, call.csrf, s, "/second-factor", "Not changed", school);
  };
  if (action == "required") {
    const std::string value = Get(form, "required");
    if (value != "yes" && value != "no") {
      return not_done(core::InvalidArgument(core::kErrValueInvalid, "required is yes or no"));
    }
    if (Status s = services_.second_factors().SetRequired(*call.who, value == "yes", now);
        !s.ok()) {
      return not_done(s);
    }
    return Redirect("/second-factor?done=setting");
  }
  if (action == "reset") {
    const std::optional<int64_t> id = ParseId(Get(form, "user_id"));
    if (!id) {
      return not_done(core::InvalidArgument(core::kErrValueInvalid, "choose whose to reset"));
    }
    if (Status s = services_.second_factors().Reset(*call.who, *id, now); !s.ok()) {
      return not_done(s);
    }
    return Redirect("/second-factor?done=reset");
  }
  return Refused(call.who, call.csrf, school,
                 core::NotFound(core::kErrNotFound, "no such form: " + action));
}

}  // namespace rollcall::web
