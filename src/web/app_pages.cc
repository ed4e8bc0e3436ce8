// app_pages.cc: the HTML pages. Server-rendered, escaped by default (html.h),
// usable without JavaScript; htmx swaps single register rows when present.
// Every page renders a view from the same service as the API, which decides
// who may see it, and every figure comes from the rules core through the same
// functions as the API.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/statistics.h"
#include "core/uk_time.h"
#include "io/result_json.h"
#include "service/password.h"
#include "service/pupils.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/html.h"
#include "web/multipart.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

const char* CategoryClass(std::optional<core::AttendanceCode> code) {
  if (!code) return "cat-none";
  switch (core::CategoryOf(*code)) {
    case core::StatCategory::kPresent:
      return "cat-present";
    case core::StatCategory::kApprovedActivity:
      return "cat-approved";
    case core::StatCategory::kAuthorised:
      return "cat-authorised";
    case core::StatCategory::kUnauthorised:
      return "cat-unauthorised";
    case core::StatCategory::kNotPossible:
      return "cat-not_possible";
  }
  core::Unreachable();
}

std::string Initials(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == ' ') {
      start = true;
    } else if (start) {
      out.push_back(c);
      start = false;
    }
  }
  return out.substr(0, 3);
}

// The role's menu: the items of GOV.UK Frontend's service navigation.
Html Nav(const Principal& who) {
  Html nav;
  auto link = [&](const char* href, const char* label) {
    nav += Html::Format(R"(<li class="govuk-service-navigation__item">)"
                        R"(<a class="govuk-service-navigation__link" href="{}">{}</a></li>)",
                        href, label);
  };
  switch (who.role) {
    case Role::kTeacher:
      if (who.lessons_in_menu) link("/lessons", "Lessons");
      link("/register", "Take register");
      link("/pupils", "Pupils");
      link("/school", "Dashboard");
      link("/rewards", "Rewards");
      break;
    case Role::kOffice:
    case Role::kHead:
    case Role::kAttendanceOfficer:
      link("/today", "Today");
      if (who.role != Role::kAttendanceOfficer) link("/reception", "Reception");
      link("/register", "Registers");
      if (who.lessons_in_menu) link("/lessons", "Lessons");
      link("/pupils", "Pupils");
      link("/amendments", "Amendments");
      link("/school", "Dashboard");
      link("/early-warning", "Early warning");
      link("/governors", "Governors' report");
      link("/rewards", "Rewards");
      link("/la-notifications", "LA notifications");
      link("/transfers", "Transfer files");
      link("/letters", "Letters");
      link("/penalties", "Penalty notices");
      link("/share", "Daily share");
      link("/messages", "Messages");
      if (who.role == Role::kHead) {
        link("/census", "School census");
        link("/settings", "Settings");
        link("/users", "Accounts");
      }
      break;
    case Role::kSafeguardingLead:
      link("/pupils", "Pupils");
      link("/school", "Dashboard");
      link("/early-warning", "Early warning");
      break;
    case Role::kSenco:
      link("/pupils", "Pupils");
      link("/register", "Registers");
      link("/school", "Dashboard");
      link("/early-warning", "Early warning");
      break;
    case Role::kGovernor:
      link("/school", "Dashboard");
      link("/governors", "Governors' report");
      link("/rewards", "Class attendance");
      break;
    case Role::kLaOfficer:
      link("/la/schools", "LA schools");
      link("/la/pupils", "Pupils across schools");
      link("/school", "Dashboard");
      link("/governors", "Governors' report");
      link("/la-notifications", "Notifications");
      link("/penalties", "Penalty notices");
      break;
    case Role::kParent:
      link("/parent", "My children");
      break;
  }
  return nav;
}

// The date a DateInput's day, month and year make: "2026-12-02"; "" when all
// three are blank (an optional date left out); otherwise what was typed, as
// year-month-day, for the date's own check to refuse by name.
std::string JoinedDate(const std::string& day, const std::string& month, const std::string& year) {
  if (day.empty() && month.empty() && year.empty()) return "";
  auto digits = [](const std::string& text, size_t most) {
    return !text.empty() && text.size() <= most &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (digits(day, 2) && digits(month, 2) && year.size() == 4 && digits(year, 4)) {
    return fmt::format("{}-{:0>2}-{:0>2}", year, month, day);
  }
  return fmt::format("{}-{}-{}", year, month, day);
}

}  // namespace

std::map<std::string, std::string> internal::FormFields(const Request& req) {
  std::map<std::string, std::string> fields;
  if (IsMultipartForm(req.content_type)) {
    // A form with a file: its other fields (the CSRF token among them) come
    // as parts; the file is read by its own handler (MultipartFile).
    StatusOr<std::vector<MultipartPart>> parts = ParseMultipart(req.content_type, req.body);
    if (!parts.ok()) return {};
    for (MultipartPart& part : *parts) {
      if (!part.filename) fields.emplace(std::move(part.name), std::move(part.body));
    }
  } else {
    StatusOr<Target> parsed = ParseTarget("/?" + req.body);
    if (!parsed.ok()) return {};
    fields = std::move(parsed->query);
  }
  std::vector<std::string> dates;
  for (const auto& [key, value] : fields) {
    if (key.ends_with("-year")) dates.push_back(key.substr(0, key.size() - 5));
  }
  for (const std::string& name : dates) {
    // A single `name` field (the form before day, month and year) wins.
    if (!Get(fields, name).empty() || !fields.contains(name + "-day") ||
        !fields.contains(name + "-month")) {
      continue;
    }
    fields[name] =
        JoinedDate(fields[name + "-day"], fields[name + "-month"], fields[name + "-year"]);
  }
  return fields;
}

Html internal::Percent(double pct) { return Html::Text(fmt::format("{:.1f}%", pct)); }

Html internal::PercentOf(const nlohmann::ordered_json& value) {
  return value.is_number() ? Percent(value.get<double>()) : Html::Trusted("–");
}

Response internal::Layout(const std::optional<Principal>& who, const std::string& csrf,
                          const std::string& school, const std::string& title, const Html& body,
                          http::status status) {
  // GOV.UK Frontend's page template without the GOV.UK brand: the school's
  // name where the crown and "GOV.UK" would be, and no GOV.UK footer links.
  const std::string service = school.empty() ? std::string("rollcall") : school;
  Html account;
  Html menu;
  if (who) {
    account = Html::Format(
        R"(<div class="govuk-header__content rc-account">{})"
        R"(<a class="govuk-header__link hide-small" href="/account">{}</a>)"
        R"(<form method="post" action="/logout"><input type="hidden" name="_csrf" value="{}">)"
        R"(<button class="rc-logout" type="submit">Log out</button></form></div>)",
        PupilSearchForm(*who), who->name, csrf);
    // The menu collapses behind a "Menu" button on a phone (the library's
    // script shows the button; without it the menu stays open).
    menu = Html::Format(
        R"(<div class="govuk-service-navigation" data-module="govuk-service-navigation">)"
        R"(<div class="govuk-width-container"><div class="govuk-service-navigation__container">)"
        R"(<nav aria-label="Menu" class="govuk-service-navigation__wrapper">)"
        R"(<button type="button" class="govuk-service-navigation__toggle )"
        R"(govuk-js-service-navigation-toggle" aria-controls="navigation" hidden>Menu</button>)"
        R"(<ul class="govuk-service-navigation__list" id="navigation">{}</ul>)"
        R"(</nav></div></div></div>)",
        Nav(*who));
  }
  Html page = Html::Format(
      R"(<!doctype html><html lang="en-GB" class="govuk-template"><head><meta charset="utf-8">)"
      R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
      // htmx may not add a <style> (the Content-Security-Policy allows none),
      // evaluate script text or run scripts in swapped fragments.
      R"(<meta name="htmx-config" content='{{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}}'>)"
      R"(<title>{} - {}</title><link rel="icon" href="data:,">)"
      R"(<link rel="stylesheet" href="/static/govuk-frontend.min.css"><link rel="stylesheet" href="/static/app.css">)"
      R"(<script src="/static/htmx.min.js" defer></script><script src="/static/app.js" defer></script>)"
      R"(<script type="module" src="/static/govuk-init.js"></script>)"
      R"(</head><body class="govuk-template__body" hx-headers='{{"X-CSRF-Token": "{}"}}'>)"
      R"(<a href="#main" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>)"
      R"(<header class="govuk-header">)"
      R"(<div class="govuk-header__container govuk-width-container"><div class="govuk-header__logo">)"
      R"(<a href="/" class="govuk-header__link govuk-header__link--homepage">)"
      R"(<span class="govuk-header__product-name">{}</span></a></div>{}</div></header>{})"
      R"(<div class="govuk-width-container"><main class="govuk-main-wrapper" id="main">)"
      R"(<h1 class="govuk-heading-l">{}</h1>{}</main></div>)"
      R"(<footer class="govuk-footer"><div class="govuk-width-container"><div class="govuk-footer__meta">)"
      R"(<div class="govuk-footer__meta-item govuk-footer__meta-item--grow">)"
      R"(<span class="govuk-footer__licence-description">rollcall: school attendance registers )"
      R"(and casework</span></div></div></div></footer></body></html>)",
      title, service, csrf, service, account, menu, title, body);
  return HtmlResponse(page.str(), status);
}

Response internal::Refused(const std::optional<Principal>& who, const std::string& csrf,
                           const std::string& school, const Status& s) {
  return Layout(who, csrf, school, "Not available",
                Html::Format(R"(<p class="govuk-body rc-refusal">{}</p>)"
                             R"(<p class="govuk-body"><a class="govuk-link" href="/">)"
                             R"(Back to your start page</a></p>)",
                             s.message()),
                HttpStatusFor(s.kind()));
}

Response internal::NotSaved(const std::optional<Principal>& who, const std::string& csrf,
                            const Status& s, const std::string& back, const std::string& title,
                            const std::string& school) {
  return Layout(
      who, csrf, school, title,
      ErrorSummary(s.message()) +
          Html::Format(R"(<p class="govuk-body"><a class="govuk-link" href="{}">Back</a></p>)",
                       back),
      HttpStatusFor(s.kind()));
}

Response App::PageLogin(Call& call) {
  Html error;
  Html notice;  // why the last login ended, when the server ended it
  std::string username;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    username = Get(form, "username");
    // A right password opens a session, or leads on to the second factor.
    Status problem = SameSite(call);
    if (problem.ok()) {
      StatusOr<service::LoginStep> step = services_.sessions().BeginLogin(
          username, Get(form, "password"), call.req.remote_addr, clock_.NowSeconds());
      if (step.ok()) return AfterPassword(*step);
      problem = step.status();
    }
    error = ErrorSummary(problem.message(), "username");
  } else if (Get(call.target.query, "ended") == "idle") {
    notice = Html::Format(
        R"(<div class="govuk-inset-text">You were signed out after {} without activity. )"
        R"(Log in again to carry on.</div>)",
        Plural(services_.sessions().IdleMinutes(), "minute"));
  }
  const std::string school = SchoolName();
  Html body = Html::Format(
      R"({}{}<form method="post" action="/login">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="username">Username</label>)"
      R"(<input class="govuk-input govuk-!-width-one-half" id="username" name="username" )"
      R"(autocomplete="username" spellcheck="false" required value="{}"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="password">Password</label>)"
      R"(<input class="govuk-input govuk-!-width-one-half" id="password" name="password" )"
      R"(type="password" autocomplete="current-password" required></div>)"
      R"(<button class="govuk-button" type="submit">Log in</button></form>)",
      notice, error, username);
  return Layout(std::nullopt, "", school, school.empty() ? "Log in" : "Log in to " + school, body,
                error.str().empty() ? http::status::ok : http::status::unauthorized);
}

Response App::PageHome(Call& call) {
  switch (call.who->role) {
    case Role::kTeacher:
      // A secondary teacher with lessons and no form class of their own
      // starts from their lessons.
      if (call.who->class_ids.empty() && call.who->lessons_in_menu) return Redirect("/lessons");
      return Redirect("/register");
    case Role::kOffice:
    case Role::kHead:
    case Role::kAttendanceOfficer:
      return Redirect("/today");
    case Role::kSafeguardingLead:
    case Role::kSenco:
      return Redirect("/pupils");
    case Role::kGovernor:
      return Redirect("/school");
    case Role::kLaOfficer:
      return Redirect("/la/schools");
    case Role::kParent:
      return Redirect("/parent");
  }
  core::Unreachable();
}

// ---------------------------------------------------------------------------
// Registers

namespace {

// One line a pupil, on a phone too: the name, the mark, and large buttons
// for the common marks (present, late, absent, and the code already planned
// for the session: granted leave, or off a part-time timetable). The arrival
// time and the other codes sit behind "⋯" on a narrow screen (a <details>,
// so without JavaScript too) and in the line on a wide one (app.css).
// A read-only register's row (`may_mark` false) has no buttons.
Html RegisterRow(const service::RegisterRow& row, const std::string& date,
                 const std::string& session, bool office, const std::string& csrf,
                 const std::string& error, bool may_mark = true,
                 bool confirm_without_evidence = false) {
  const char* present = session == "AM" ? "/" : "\\";
  const std::optional<PlannedCode>& planned = row.planned;
  const std::optional<store::Mark>& mark = row.mark;
  Html off_timetable;
  if (planned) {
    off_timetable = Html::Format(
        R"(<button class="reg-tap" name="code" value="{}" data-key="off">{}<span class="reg-word"> {}</span></button>)",
        core::SymbolOf(planned->code), core::SymbolOf(planned->code), planned->label);
  }
  Html current =
      mark
          ? Html::Format(R"(<span class="govuk-tag {} mark" title="{}">{}</span>{})",
                         CodeTagClass(mark->code), core::InfoOf(mark->code).meaning,
                         core::SymbolOf(mark->code),
                         mark->arrival_minute ? " at " + TimeText(*mark->arrival_minute) : "")
          : Html::Trusted(
                R"(<span class="govuk-tag govuk-tag--grey mark">—</span><span class="reg-word"> not marked</span>)");
  Html options = Html::Trusted(R"(<option value="">Other code…</option>)");
  // The date is as sent: a row redrawn after a refused mark may carry a bad one.
  const std::optional<Date> day = Date::Parse(date);
  for (const core::CodeInfo& info : core::AllCodes()) {
    if (!day || !core::IsValidOn(info.code, *day)) continue;
    options += Html::Format(R"(<option value="{}">{} {}</option>)", info.symbol, info.symbol,
                            info.meaning);
  }
  // Only the office gives its own reason: a teacher's change is a correction
  // while taking the register (PageMark).
  // After EVIDENCE_NOT_ASKED: the office ticks to turn the illness into
  // unauthorised absence all the same, and the row's options stay open.
  const Html reason =
      office
          ? Html::Format(
                R"(<input name="reason" placeholder="Reason for a change" aria-label="Reason for a change"> {})",
                confirm_without_evidence
                    ? Html::Trusted(
                          R"(<label class="evidence-confirm"><input type="checkbox" name="evidence_confirmed" )"
                          R"(value="yes" required> No medical evidence was asked for: change it anyway</label> )")
                    : Html())
          : Html();
  const Html actions =
      may_mark
          ? Html::Format(
                R"(<td class="actions"><form class="reg-form" method="post" action="/register/mark" )"
                R"(hx-post="/register/mark" hx-target="closest tr" hx-swap="outerHTML">)"
                R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="date" value="{}">)"
                R"(<input type="hidden" name="session" value="{}"><input type="hidden" name="pupil" value="{}">)"
                R"(<button class="reg-tap" name="code" value="{}" data-key="present">{}<span class="reg-word"> Present</span></button>)"
                R"(<button class="reg-tap" name="code" value="L" data-key="late">L<span class="reg-word"> Late</span></button>)"
                R"(<button class="reg-tap" name="code" value="N" data-key="absent">N<span class="reg-word"> Absent</span></button>)"
                R"({}<details class="reg-more"{}><summary class="reg-tap" aria-label="Arrival time and other codes for {}">⋯</summary>)"
                R"(<label><span class="muted">Arrived</span> <input type="time" name="arrival_time" aria-label="Arrival time for {}"></label> )"
                R"(<label><span class="muted">Code</span> <select name="other">{}</select></label> )"
                R"({}<button name="code" value="other">Save</button></details></form></td>)",
                csrf, date, session, row.pupil_id, present, present, off_timetable,
                confirm_without_evidence ? Html::Trusted(" open") : Html(), row.name, row.name,
                options, reason)
          : Html();
  return Html::Format(
      R"(<tr id="row-{}" data-pupil="{}"><td class="reg-name"><span class="initials" aria-hidden="true">{}</span>)"
      R"(<span class="reg-who"><a href="/pupils/{}">{}</a></span></td><td class="reg-mark">{}{}{}</td>{}</tr>)",
      row.pupil_id, row.pupil_id, Initials(row.name), row.pupil_id, row.name, current,
      planned ? Html::Format(R"(<div class="muted reg-planned">{}: {}</div>)", planned->reason,
                             core::SymbolOf(planned->code))
              : Html(),
      error.empty() ? Html() : Html::Format(R"(<div class="error" role="alert">{}</div>)", error),
      actions);
}

// Where today's register stands, by the school's clock, with the moments
// (ms since 1970) app.js counts down to: the browser's own clock only
// measures the time since the page was made.
Html RegisterState(const service::RegisterView& reg) {
  using service::RegisterState;
  if (reg.state == RegisterState::kNotToday) return Html();
  const std::string text = reg.state == RegisterState::kNotOpenYet
                               ? "Opens at " + TimeText(reg.opens)
                           : reg.state == RegisterState::kOpen
                               ? "Open: late arrivals until " + TimeText(reg.closes) + " are L"
                               : std::string("Closed: late arrivals are U");
  return Html::Format(
      R"( — <strong id="register-state" data-state="{}" data-now="{}" data-opens="{}" )"
      R"(data-closes="{}" data-close-time="{}" aria-live="polite">{}</strong>)",
      reg.state == RegisterState::kNotOpenYet ? "not-open"
      : reg.state == RegisterState::kOpen     ? "open"
                                              : "closed",
      reg.now * 1000, reg.opens_at * 1000, reg.closes_at * 1000, TimeText(reg.closes), text);
}

// "12 of 29 marked": how much of the register is taken. `oob`: to replace
// the count's text on the page after a mark, as htmx swaps it out of band.
Html RegisterProgress(const service::RegisterView& reg, bool oob) {
  const auto marked =
      std::count_if(reg.pupils.begin(), reg.pupils.end(),
                    [](const service::RegisterRow& r) { return r.mark.has_value(); });
  return ProgressCount(static_cast<size_t>(marked), reg.pupils.size(), oob);
}

}  // namespace

Response App::PageRegister(Call& call) {
  const auto& q = call.target.query;
  const Date today = clock_.Today();
  std::string date = q.contains("date") ? q.at("date") : today.ToString();
  StatusOr<Date> day = ParseDateParam(date, "date");
  if (!day.ok()) return Refused(call.who, call.csrf, "", day.status());
  std::optional<int64_t> class_id;
  if (q.contains("class")) class_id = ParseId(q.at("class"));
  if (!class_id && !call.who->class_ids.empty()) class_id = call.who->class_ids.front();
  StatusOr<service::RegisterPageView> v =
      services_.registers().RegisterPage(*call.who, date, Get(q, "session"), class_id);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const std::string& school = v->school;
  const std::string session(core::SessionName(v->session));
  // Who reads every class's register chooses the class.
  const bool whole_school = call.who->role != Role::kTeacher;
  Html picker;
  if (whole_school || call.who->class_ids.size() > 1) {
    Html options;
    for (const service::ClassRef& c : v->classes) {
      options += Html::Format(R"(<option value="{}"{}>{}</option>)", c.id,
                              class_id == c.id ? Html::Trusted(" selected") : Html(), c.name);
    }
    picker = Html::Format(
        R"(<form method="get" action="/register" class="card"><label>Class <select name="class">{}</select></label> )"
        R"(<label>Date <input type="date" name="date" value="{}"></label> )"
        R"(<label>Session <select name="session"><option{}>AM</option><option{}>PM</option></select></label> )"
        R"(<button type="submit">Open register</button></form>)",
        options, date, session == "AM" ? Html::Trusted(" selected") : Html(),
        session == "PM" ? Html::Trusted(" selected") : Html());
  }
  if (!v->chosen) {
    return Layout(call.who, call.csrf, school, "Registers",
                  picker + Html::Trusted("<p>Choose a class.</p>"));
  }
  const service::RegisterView& reg = *v->chosen;
  const std::string title = "Register: " + reg.of_class->name;
  if (!reg.open) {
    return Layout(call.who, call.csrf, school, title,
                  picker + Html::Format(R"(<div class="govuk-inset-text notice" role="status">)"
                                        "The school is not open on {}: "
                                        "there is no register to take.</div>",
                                        SessionText({*day, v->session})));
  }
  const bool may_mark = reg.read_only.empty();
  Html rows;
  for (const service::RegisterRow& row : reg.pupils) {
    rows += RegisterRow(row, date, session, whole_school, call.csrf, "", may_mark);
  }
  // Read-only (not open yet, or not the reader's to mark): why, and no buttons.
  const Html actions =
      may_mark
          ? Html::Format(
                R"(<form method="post" action="/register/all-present"><input type="hidden" name="_csrf" value="{}">)"
                R"(<input type="hidden" name="class" value="{}"><input type="hidden" name="date" value="{}">)"
                R"(<input type="hidden" name="session" value="{}"><button class="primary" type="submit">)"
                R"(Mark everyone not yet marked present</button></form>)"
                R"(<p class="muted hide-small">Keys in a row: <kbd>p</kbd> present, <kbd>a</kbd> absent, <kbd>l</kbd> late )"
                R"((the arrival time is now unless you enter one). Marks save as you go.</p>)",
                call.csrf, *class_id, date, session)
          : Html::Format(R"(<div class="govuk-inset-text notice" id="read-only">{}.</div>)",
                         reg.read_only);
  Html body = Html::Format(
      R"({}{}<p>{} · register closes at <strong>{}</strong>{} · {}</p>{}{})"
      R"(<table class="register"><thead><tr><th scope="col">Pupil</th><th scope="col">Mark</th>{}</tr></thead>)"
      R"(<tbody>{}</tbody></table>)",
      DoneBanner(call.target.query), picker, SessionText({*day, v->session}), TimeText(reg.closes),
      RegisterState(reg), RegisterProgress(reg, false), PrintLinks(*class_id, date), actions,
      may_mark ? Html::Trusted(R"(<th scope="col">Record</th>)") : Html(), rows);
  return Layout(call.who, call.csrf, school, title, body);
}

Response App::PageMark(Call& call) {
  const auto form = FormFields(call.req);
  MarkRequest m{Get(form, "date"), Get(form, "session"), Get(form, "pupil"),
                Get(form, "code"), Get(form, "reason"),  ""};
  if (m.code == "other") m.code = Get(form, "other");
  m.evidence_confirmed = Get(form, "evidence_confirmed") == "yes";
  if (m.code == "L" || m.code == "U") {
    m.arrival_time = Get(form, "arrival_time");
    // One tap on "L" as the pupil walks in today: they arrived now.
    if (m.arrival_time.empty() && m.date == clock_.Today().ToString()) {
      m.arrival_time = TimeText(clock_.MinuteOfDay());
    }
  }
  const bool office = call.who->role != Role::kTeacher;
  // A teacher correcting today's register as they take it.
  if (m.reason.empty() && !office) m.reason = "Corrected while taking the register";
  StatusOr<MarkResult> result = RecordMark(call, m);
  const bool needs_confirm = !result.ok() && result.status().code() == core::kErrEvidenceNotAsked;
  if (!call.req.htmx) {
    if (needs_confirm) {
      // The same change again, once ticked.
      return Layout(
          call.who, call.csrf, SchoolName(), "Confirm the change",
          ErrorSummary(result.status().message()) +
              Html::Format(
                  R"(<form class="stack" method="post" action="/register/mark">)"
                  R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="date" value="{}">)"
                  R"(<input type="hidden" name="session" value="{}"><input type="hidden" name="pupil" value="{}">)"
                  R"(<input type="hidden" name="code" value="{}"><input type="hidden" name="reason" value="{}">)"
                  R"({}<p><button type="submit">Record {}</button></p></form>)",
                  call.csrf, m.date, m.session, m.pupil, m.code, m.reason,
                  Checkbox("evidence-confirmed",
                           "No medical evidence was asked for this illness: change it anyway",
                           false, "evidence_confirmed"),
                  m.code),
          HttpStatusFor(result.status().kind()));
    }
    // Without JavaScript: back to the register.
    if (!result.ok()) return Refused(call.who, call.csrf, SchoolName(), result.status());
    // Recorded, so the pupil exists and the caller may read them.
    StatusOr<service::RegisterRow> row =
        services_.registers().Row(*call.who, result->write.pupil_id, std::nullopt);
    const std::string cls = row.ok() && row->class_id ? std::to_string(*row->class_id) : "";
    // RecordMark has checked the date and session, so both are plain text.
    return RedirectDone(
        fmt::format("/register?class={}&date={}&session={}", cls, m.date, m.session),
        Done::kMarkSaved);
  }
  const std::string error = result.ok() ? "" : result.status().message();
  auto error_row = [](const std::string& message, http::status status) {
    return HtmlResponse(ErrorRow(message).str(), status);
  };
  const std::optional<int64_t> pupil_id = ParseId(m.pupil);
  if (!pupil_id) return error_row(error, http::status::ok);
  const std::optional<Date> day = Date::Parse(m.date);
  const std::optional<core::Session> session = core::SessionFromName(m.session);
  std::optional<SessionKey> slot;
  if (day && session) slot = SessionKey{*day, *session};
  StatusOr<service::RegisterRow> row = services_.registers().Row(*call.who, *pupil_id, slot);
  if (!row.ok() && row.status().kind() == core::ErrorKind::kPermissionDenied) {
    // Not even allowed to see the pupil: say so without their name.
    return error_row(result.ok() ? row.status().message() : error, http::status::forbidden);
  }
  if (!row.ok()) return error_row(error, http::status::ok);
  Html answer = RegisterRow(*row, m.date, m.session, office, call.csrf, error, true, needs_confirm);
  if (result.ok() && row->class_id) {
    // The register's count too, in a <template>: the answer starts with a
    // table row, where only a template may stand beside it.
    StatusOr<service::RegisterView> reg =
        services_.registers().Register(*call.who, m.date, m.session, row->class_id);
    if (reg.ok()) answer += Html::Format("<template>{}</template>", RegisterProgress(*reg, true));
  }
  return HtmlResponse(answer.str());
}

Response App::PageAllPresent(Call& call) {
  const auto form = FormFields(call.req);
  const std::string date = Get(form, "date");
  const std::string session = Get(form, "session");
  std::optional<int64_t> class_id = ParseId(Get(form, "class"));
  // Checked before anything else, and before either value reaches a header.
  if (!Date::Parse(date) || !core::SessionFromName(session) || !class_id) {
    return Refused(call.who, call.csrf, "",
                   core::InvalidArgument(core::kErrValueInvalid,
                                         "choose a class, a date (YYYY-MM-DD) and AM or PM"));
  }
  if (Status s = services_.registers().MarkAllPresent(*call.who, date, session, *class_id);
      !s.ok()) {
    return Refused(call.who, call.csrf, "", s);
  }
  return RedirectDone(
      fmt::format("/register?class={}&date={}&session={}", *class_id, date, session),
      Done::kAllPresent);
}

// ---------------------------------------------------------------------------
// Pupil

namespace {

// The attendance figure: "–" when there is no possible session to divide by.
Html AttendanceOf(const core::SessionCounts& c) {
  const std::optional<double> pct = core::Percent(c.attended, c.possible);
  return pct ? Percent(*pct) : Html::Trusted("–");
}

// A pupil's alerts as sentences, each with its sessions behind a disclosure;
// `none` when there are none.
Html AlertList(const std::vector<service::AlertLine>& lines, const char* none) {
  if (lines.empty()) return Html::Format(R"(<p class="govuk-body">{}</p>)", none);
  Html items;
  for (const service::AlertLine& line : lines) {
    Html sessions;
    for (const std::string& session : line.sessions) {
      sessions += Html::Format("<li>{}</li>", session);
    }
    items += Html::Format(
        "<li>{}{}</li>", line.text,
        line.sessions.empty()
            ? Html()
            : Html::Format(
                  R"(<details class="govuk-details"><summary class="govuk-details__summary">)"
                  R"(<span class="govuk-details__summary-text">Show sessions ({})</span></summary>)"
                  R"(<div class="govuk-details__text"><ul class="govuk-list">{}</ul></div></details>)",
                  line.sessions.size(), sessions));
  }
  return Html::Format(R"(<ul class="govuk-list alerts">{}</ul>)", items);
}

// Attendance at previous schools, a row per academic year and school, as
// their Common Transfer Files gave it; nothing when there is none.
Html PreviousSchools(const std::vector<store::PreviousAttendance>& rows) {
  if (rows.empty()) return Html();
  Html trs;
  for (const store::PreviousAttendance& a : rows) {
    const std::optional<double> pct = core::Percent(a.attended, a.possible);
    trs += Html::Format(
        R"(<tr><td>{}</td><td>{}</td><td class="num">{}</td><td class="num">{}</td>)"
        R"(<td class="num">{}</td><td class="num">{}</td></tr>)",
        AcademicYearText(a.academic_year),
        a.school_name.empty() ? fmt::format("LA {} school {}", a.lea, a.estab) : a.school_name,
        a.possible, pct ? Percent(*pct) : Html::Trusted("–"), a.authorised, a.unauthorised);
  }
  return Html::Format(
      R"(<h2>Attendance at previous schools</h2><p class="muted">As each school's Common )"
      R"(Transfer File gave it; not part of this school's figures.</p>)"
      R"(<table><thead><tr><th>Year</th><th>School</th><th>Possible sessions</th>)"
      R"(<th>Attendance</th><th>Authorised absence</th><th>Unauthorised absence</th></tr>)"
      R"(</thead><tbody>{}</tbody></table>)",
      trs);
}

// The pupil's page below its heading, the casework areas' sections given.
Html PupilBody(const service::PupilOverview& v, const Html& contacts, const Html& cme,
               const Html& support, const Html& contact_log) {
  const io::PupilResult& r = v.result;
  Html cards = Html::Format(
      R"(<div class="cards"><div class="card"><div class="muted">Attendance this year</div>)"
      R"(<div class="big">{}</div><div>{}</div></div>)"
      R"(<div class="card"><div class="muted">Sessions</div><div class="big">{}</div><div>possible; {} absent )"
      R"(({} authorised, {} unauthorised)</div></div>)"
      R"(<div class="card"><div class="muted">Persistent absence (10%+)</div><div class="big">{}</div>)"
      R"(<div>Severe (50%+): {}</div></div></div>)",
      AttendanceOf(r.counts), BandTag(r.band.value_or("")), r.counts.possible, r.counts.absence,
      r.counts.authorised, r.counts.unauthorised, r.persistent_absence ? "Yes" : "No",
      r.severe_absence ? "Yes" : "No");
  // Year heatmap: a week a row, AM and PM of each weekday; the code is the text.
  Html heat;
  for (const service::HeatWeek& w : v.weeks) {
    Html cells;
    for (const service::HeatCell& c : w.cells) {
      if (c.code) {
        cells += Html::Format(R"(<td class="{}" title="{}: {}">{}</td>)", CategoryClass(c.code),
                              SessionText(c.slot), CodeText(*c.code), core::SymbolOf(*c.code));
      } else {
        cells += c.open ? Html::Trusted(R"(<td class="cat-none">·</td>)")
                        : Html::Trusted(R"(<td class="muted"> </td>)");
      }
    }
    heat += Html::Format(R"(<tr><th scope="row">{}</th>{}</tr>)", ShortDate(w.week), cells);
  }
  std::string cohorts;
  for (const std::string& tag : v.cohorts)
    cohorts += (cohorts.empty() ? "" : ", ") + CohortText(tag);
  Html history;
  if (v.sees_history) {
    Html trs;
    for (auto it = v.amendments.rbegin(); it != v.amendments.rend(); ++it) {
      if (!it->old_code) continue;  // first recordings: the register itself
      trs +=
          Html::Format("<tr><td>{}</td><td>{} → {}</td><td>{}</td><td>{} ({})</td><td>{}</td></tr>",
                       SessionText(it->slot), CodeText(*it->old_code), CodeText(it->new_code),
                       it->reason, it->by_name, service::RoleText(it->by_role), MomentText(it->at));
    }
    history = Html::Format(
        R"(<h2>Amendments</h2><table><thead><tr><th>Session</th><th>Change</th><th>Reason</th>)"
        R"(<th>By</th><th>When</th></tr></thead><tbody>{}</tbody></table>)",
        trs.str().empty() ? Html::Trusted(R"(<tr><td colspan="5">None.</td></tr>)") : trs);
  }
  return Html::Format(
      R"(<dl class="govuk-summary-list">)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">UPN</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Year</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div>)"
      R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Cohorts</dt>)"
      R"(<dd class="govuk-summary-list__value">{}</dd></div></dl>{}<h2>Alerts</h2>{})"
      R"(<h2>This year's marks</h2><p class="muted">Each cell is one session (AM then PM, Monday to Friday); )"
      R"(the code is written in it: / \ present, L late, codes in yellow authorised, in red unauthorised.</p>)"
      R"(<div class="scroll-x"><table class="heat"><thead><tr><th>Week of</th>)"
      R"(<th colspan="2">Mon</th><th colspan="2">Tue</th><th colspan="2">Wed</th><th colspan="2">Thu</th>)"
      R"(<th colspan="2">Fri</th></tr></thead><tbody>{}</tbody></table></div>)"
      R"({}{}{}{}{}{})",
      v.pupil.upn, v.pupil.year_group, cohorts.empty() ? std::string("none") : cohorts, cards,
      AlertList(v.alert_lines, "None."), heat, PreviousSchools(v.previous_schools), contacts, cme,
      support, contact_log, history);
}

}  // namespace

Response App::PagePupil(Call& call, const std::string& id_text) {
  std::optional<int64_t> id = ParseId(id_text);
  StatusOr<service::PupilOverview> v =
      id ? services_.pupils().Overview(*call.who, *id, clock_.Today())
         : StatusOr<service::PupilOverview>(
               core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  if (!v.ok()) return Refused(call.who, call.csrf, services_.pupils().SchoolName(), v.status());
  // The page shows the pupil's casework too: one read of both, logged
  // before anything is shown; a read that cannot be logged is refused.
  if (Status logged = services_.access_log().Record(*call.who, store::kAccessPupilPage, *id,
                                                    fmt::format("/pupils/{}", *id));
      !logged.ok()) {
    return Refused(call.who, call.csrf, services_.pupils().SchoolName(), logged);
  }
  // Each casework area's section, from its own service, as the reader may see it.
  const store::Pupil& p = v->pupil;
  const Html contact_log = ContactLogSection(call, p);
  const Html cme = CmeSection(call, p);
  const Html support = EarlyWarningSection(call, p) + SupportSection(call, p) +
                       PartTimeSection(call, p) + LeaveSection(call, p, false) +
                       PenaltySection(call, p) + LettersSection(call, p) +
                       EvidenceSection(call, p, false) + MissedLessonsSection(call, p);
  return Layout(call.who, call.csrf, v->school, DisplayName(p),
                DoneBanner(call.target.query) +
                    PupilBody(*v,
                              AdmissionSection(call, p) + TransferSection(call, p) +
                                  ContactsSection(call, p) + SocialWorkerSection(call, p) +
                                  DataProtectionLinks(call, p.id),
                              cme, support, contact_log));
}

// ---------------------------------------------------------------------------
// Office: today

namespace {

// The Today page's own lists; `calls` are the calls already logged today by
// pupil, `reports` the parents' absence reports to confirm (list items).
Html TodayBody(const service::WorklistView& v, const std::string& csrf,
               const std::map<int64_t, std::vector<std::string>>& calls, const Html& reports) {
  Html absent_rows;
  for (const service::AbsentNow& a : v.absent) {
    const store::Pupil& p = a.pupil;
    Html phones;
    for (const store::Contact& c : p.contacts) {
      phones += Html::Format(R"(<div>{}. {} ({}) <a href="tel:{}">{}</a></div>)", c.priority,
                             c.name, c.relationship, c.phone, c.phone);
    }
    Html called;
    if (auto it = calls.find(p.id); it != calls.end()) {
      for (const std::string& line : it->second) {
        called += Html::Format(R"(<div class="muted">{}</div>)", line);
      }
    }
    absent_rows += Html::Format(
        R"(<tr id="pupil-{}"><td><a href="/pupils/{}">{}</a>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)",
        p.id, p.id, DisplayName(p),
        a.vulnerable ? Html::Trusted(" <strong>(vulnerable)</strong>") : Html(), called,
        a.class_name, phones, CallForm(csrf, p));
  }
  Html not_taken;
  for (const service::IncompleteRegister& r : v.incomplete) {
    not_taken += Html::Format(
        R"(<li><a href="/register?class={}&date={}&session={}">{}</a>: {} of {} marked</li>)",
        r.class_id, v.slot.date.ToString(), core::SessionName(v.slot.session), r.class_name,
        r.marked, r.on_roll);
  }
  // N codes older than the school's follow-up window.
  Html overdue;
  for (const service::OverdueN& n : v.overdue) {
    overdue += Html::Format(
        R"(<li><a href="/pupils/{}">{}</a>: {} still N (no reason yet), the first on {}</li>)",
        n.pupil_id, n.name, Plural(n.sessions, "session"), SessionText(n.first));
  }
  // New pupils not yet seen: enquiries now, and a children-missing-education
  // case opens by itself after a whole day of unexplained absence.
  Html not_arrived;
  for (const service::NotArrived& n : v.not_arrived) {
    not_arrived += Html::Format(
        R"(<li><a href="/pupils/{}">{}</a> ({}): starting day {}, not in school since. )"
        R"(Call the family, and log each enquiry on the pupil's page.</li>)",
        n.pupil.id, DisplayName(n.pupil), n.class_name.empty() ? "no class" : n.class_name,
        DayDate(n.start));
  }
  if (!not_arrived.str().empty()) {
    not_arrived =
        Html::Format(R"(<h2>Not arrived on their first day</h2><ul>{}</ul>)", not_arrived);
  }
  return Html::Format(
      R"(<p>{} register.</p>{}<h2>Absent with no reason yet (N): call first</h2>)"
      R"(<div class="scroll"><table><thead><tr><th>Pupil</th><th>Class</th><th>Contacts, in order</th><th>Log a call</th></tr></thead><tbody>{}</tbody></table></div>)"
      R"(<h2>Absences reported by parents, to confirm</h2><ul>{}</ul>)"
      R"(<h2>Registers not yet complete</h2><ul>{}</ul>)"
      R"(<h2>Unresolved N codes past the follow-up window</h2><ul>{}</ul>)",
      SessionText(v.slot), not_arrived,
      absent_rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="4">None.</td></tr>)")
                                : absent_rows,
      reports.str().empty() ? Html::Trusted("<li>None.</li>") : reports,
      not_taken.str().empty() ? Html::Trusted("<li>All registers are complete.</li>") : not_taken,
      overdue.str().empty() ? Html::Trusted("<li>None.</li>") : overdue);
}

// The day-one messages' line on Today: when they went, or will go, and the
// pupils whose families no one could be sent to.
Html DayOneSection(const service::DayOneToday& d) {
  const std::string at = fmt::format("{:02}:{:02}", d.minute / 60, d.minute % 60);
  std::string line;
  if (d.run) {
    const int minute = core::UkTimeAt(d.run->run_at).minute_of_day;
    line = fmt::format("Day-one messages: sent at {:02}:{:02} to {}", minute / 60, minute % 60,
                       Plural(d.run->pupils, "family", "families"));
  } else if (!d.school_day) {
    line = "Day-one messages: none today, not a school day";
  } else {
    line = fmt::format("Day-one messages: will be sent at {}", at);
  }
  Html unreachable;
  for (const auto& [id, name] : d.unreachable) {
    unreachable += Html::Format(R"(<li><a href="/pupils/{}#contacts">{}</a></li>)", id, name);
  }
  if (!unreachable.str().empty()) {
    unreachable = Html::Format(
        R"(<p class="govuk-body">No one to message (no contact with parental responsibility and )"
        R"(a mobile or email): call these families.</p><ul id="day-one-unreachable">{}</ul>)",
        unreachable);
  }
  return Html::Format(R"(<h2 id="day-one">{}</h2>{})", line, unreachable);
}

}  // namespace

Response App::PageToday(Call& call) {
  StatusOr<service::WorklistView> v = services_.pupils().Worklist(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, services_.pupils().SchoolName(), v.status());
  // Calls already logged today, shown on each row so no one rings twice.
  std::map<int64_t, std::vector<std::string>> calls_today;
  StatusOr<std::vector<store::ContactLogEntry>> logged =
      services_.contacts().LoggedToday(*call.who);
  if (logged.ok()) {
    for (const store::ContactLogEntry& e : *logged) {
      calls_today[e.pupil_id].push_back(ContactSummary(e, LocalTime(e.at)));
    }
  }
  // The day-one messages each absent pupil's family was sent, and how they went.
  Html day_one;
  if (StatusOr<service::DayOneToday> d = services_.day_one().Today(*call.who); d.ok()) {
    for (auto& [pupil_id, lines] : d->sent) {
      for (std::string& line : lines) calls_today[pupil_id].push_back(std::move(line));
    }
    day_one = DayOneSection(*d);
  }
  Html reports;
  StatusOr<std::vector<service::AbsenceReportView>> open =
      services_.absence_reports().List(*call.who, true);
  if (open.ok()) {
    for (const service::AbsenceReportView& rv : *open) {
      const store::AbsenceReport& r = rv.r;
      reports += Html::Format(R"(<li><a href="/pupils/{}">{}</a>: {} to {}, “{}” ({}){}</li>)",
                              r.pupil_id, rv.pupil_name, DayDate(r.from), DayDate(r.to), r.reason,
                              r.reported_by_name, ReportConfirmForm(call, r));
    }
  }
  return Layout(call.who, call.csrf, v->school, "Today",
                DoneBanner(call.target.query) + day_one +
                    TodayBody(*v, call.csrf, calls_today, reports) + CmeTodaySection(call) +
                    ReviewsDueSection(call) + PartTimeTodaySection(call) + LeaveTodaySection(call) +
                    PenaltyTodaySection(call) + LaTodaySection(call) + ContactsTodaySection(call) +
                    EvidenceTodaySection(call) + SignInOutTodaySection(call) +
                    LessonsTodaySection(call));
}

// ---------------------------------------------------------------------------
// Amendments report

std::string internal::CsvField(const std::string& text) {
  // Quote every field; a leading = + - @ (or a tab or carriage return before
  // one) could start a formula in a spreadsheet, so such fields get a
  // leading apostrophe.
  std::string out = "\"";
  if (!text.empty() &&
      std::string_view("=+-@\t\r\n").find(text.front()) != std::string_view::npos) {
    out += "'";
  }
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

Response App::PageAmendments(Call& call, bool csv) {
  const auto& q = call.target.query;
  const Date today = clock_.Today();
  const service::AmendmentFilter filter{
      q.contains("from") ? q.at("from") : today.AddDays(-6).ToString(),
      q.contains("to") ? q.at("to") : today.ToString(), Get(q, "by"), Get(q, "code")};
  StatusOr<service::AmendmentReportView> v =
      services_.registers().AmendmentReport(*call.who, filter);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const std::vector<service::AmendmentLine>& rows = v->lines;
  if (csv) {
    std::string out = "when,pupil_id,pupil,date,session,original,new,reason,by,role\r\n";
    for (const service::AmendmentLine& r : rows) {
      const store::Amendment& a = r.amendment;
      out +=
          fmt::format("{},{},{},{},{},{},{},{},{},{}\r\n", IsoTime(a.at), a.pupil_id,
                      CsvField(r.pupil), a.slot.date.ToString(), core::SessionName(a.slot.session),
                      CsvField(std::string(core::SymbolOf(*a.old_code))),
                      CsvField(std::string(core::SymbolOf(a.new_code))), CsvField(a.reason),
                      CsvField(a.by_name), store::RoleName(a.by_role));
    }
    return Attachment(std::move(out), "text/csv; charset=utf-8",
                      fmt::format("amendments-{}-to-{}.csv", v->from.ToString(), v->to.ToString()));
  }
  Html trs;
  for (const service::AmendmentLine& r : rows) {
    const store::Amendment& a = r.amendment;
    trs += Html::Format(
        R"(<tr><td>{}</td><td><a href="/pupils/{}">{}</a></td><td>{}</td><td>{} → {}</td>)"
        R"(<td>{}</td><td>{} ({})</td></tr>)",
        MomentText(a.at), a.pupil_id, r.pupil, SessionText(a.slot), CodeText(*a.old_code),
        CodeText(a.new_code), a.reason, a.by_name, service::RoleText(a.by_role));
  }
  const std::string& by = filter.by;
  const std::string& code = filter.code;
  const std::string query =
      fmt::format("from={}&to={}&by={}&code={}", v->from.ToString(), v->to.ToString(), by, code);
  Html body = Html::Format(
      R"(<form method="get" action="/amendments" class="card">)"
      R"(<label>From <input type="date" name="from" value="{}"></label> )"
      R"(<label>To <input type="date" name="to" value="{}"></label> )"
      R"(<label>By <input name="by" value="{}" placeholder="name"></label> )"
      R"(<label>Code <input name="code" value="{}" size="3"></label> )"
      R"(<button type="submit">Show</button></form>)"
      R"(<p>{} from {} to {}. <a href="/amendments.csv?{}">Download as CSV</a></p>)"
      R"(<div class="scroll-x"><table><thead><tr><th>When</th><th>Pupil</th><th>Session</th>)"
      R"(<th>Change</th><th>Reason</th><th>By</th></tr></thead><tbody>{}</tbody></table></div>)",
      v->from.ToString(), v->to.ToString(), by, code,
      Plural(static_cast<int64_t>(rows.size()), "amendment"), LongDate(v->from), LongDate(v->to),
      query, trs);
  return Layout(call.who, call.csrf, v->school, "Amendments", body);
}

// ---------------------------------------------------------------------------
// Settings (the head changes them; everyone else on staff may read them)

namespace {

// A threshold of the attendance policy on the settings form: its form field
// (the key in the policy JSON, "penalty.sessions" for a nested one), its label
// and the value in force.
struct PolicyField {
  const char* name;
  const char* label;
  std::string value;
};

std::vector<PolicyField> PolicyFields(const core::Policy& p) {
  return {
      {"persistent_absence_pct", "Persistently absent: missed at least this % of sessions",
       p.persistent_absence_pct.ToString()},
      {"severe_absence_pct", "Severely absent: missed at least this % of sessions",
       p.severe_absence_pct.ToString()},
      {"n_overdue_school_days", "Follow up an N (no reason yet) after this many school days",
       std::to_string(p.n_overdue_school_days)},
      {"penalty.sessions", "Penalty notice threshold: unauthorised sessions",
       std::to_string(p.penalty.sessions)},
      {"penalty.school_weeks", "Penalty notice threshold: within this many school weeks",
       std::to_string(p.penalty.school_weeks)},
      {"sickness.sessions", "Sickness alert: sessions of illness in a school year",
       std::to_string(p.sickness.sessions)},
      {"lateness.per_week", "Lateness alert: late marks in one week",
       std::to_string(p.lateness.per_week)},
      {"lateness.per_year", "Persistent lateness: late marks in a school year",
       std::to_string(p.lateness.per_year)},
  };
}

// A form value as JSON: a number when it reads as one, else the text itself,
// which the policy's own checks then refuse naming the field.
json PolicyValue(const std::string& text) {
  json value = json::parse(text, nullptr, false);
  return value.is_number() ? value : json(text);
}

// The school's stored policy overrides with the form's changes on top; a
// field left as the value in force changes nothing. Nullopt when nothing
// changed, so that saving session times alone leaves the policy as it is.
std::optional<json> PolicyFromForm(const std::map<std::string, std::string>& form,
                                   const service::SettingsView& current) {
  json overrides = json::parse(current.settings.policy_json, nullptr, false);
  if (!overrides.is_object()) overrides = json::object();
  bool changed = false;
  for (const PolicyField& f : PolicyFields(current.policy)) {
    const std::string text = Get(form, f.name);
    if (text.empty() || text == f.value) continue;
    const std::string_view name = f.name;
    const size_t dot = name.find('.');
    if (dot == std::string_view::npos) {
      overrides[f.name] = PolicyValue(text);
    } else {
      overrides[std::string(name.substr(0, dot))][std::string(name.substr(dot + 1))] =
          PolicyValue(text);
    }
    changed = true;
  }
  // Bands are a list in the policy: it is written whole when any changes.
  json bands = json::array();
  bool bands_changed = false;
  for (size_t i = 0; i < current.policy.bands.size(); ++i) {
    const core::Band& band = current.policy.bands[i];
    std::string text = Get(form, fmt::format("band_min_{}", i));
    if (text.empty()) text = band.min.ToString();
    bands_changed = bands_changed || text != band.min.ToString();
    bands.push_back({{"name", band.name}, {"min", PolicyValue(text)}});
  }
  if (bands_changed) {
    overrides["bands"] = std::move(bands);
    changed = true;
  }
  if (!changed) return std::nullopt;
  return overrides;
}

// The policy's thresholds and bands as form fields, showing the values in force.
Html PolicyInputs(const core::Policy& policy, const std::string& disabled) {
  Html inputs;
  for (const PolicyField& f : PolicyFields(policy)) {
    inputs += Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="policy-{}">{}</label>)"
        R"(<input class="govuk-input govuk-input--width-5" id="policy-{}" name="{}" value="{}" )"
        R"(inputmode="decimal"{}></div>)",
        f.name, f.label, f.name, f.name, f.value, disabled);
  }
  for (size_t i = 0; i < policy.bands.size(); ++i) {
    const core::Band& band = policy.bands[i];
    inputs += Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="band-{}">)"
        R"(Band “{}”: attendance from this %</label>)"
        R"(<input class="govuk-input govuk-input--width-5" id="band-{}" name="band_min_{}" value="{}" )"
        R"(inputmode="decimal"{}></div>)",
        i, BandText(band.name), i, i, band.min.ToString(), disabled);
  }
  return Html::Format(
      R"(<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend govuk-fieldset__legend--m">)"
      R"(Thresholds and bands</legend><p class="govuk-hint">The values in force. The attendance )"
      R"(codes each rule counts are set through the API.</p>{}</fieldset>)",
      inputs);
}

}  // namespace

Response App::PageSettings(Call& call) {
  Html message = DoneBanner(call.target.query);
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    // The form goes through the API's PUT /api/v1/settings: the same checks.
    StatusOr<service::SettingsView> current = services_.settings().Get(*call.who);
    if (!current.ok()) return Refused(call.who, call.csrf, SchoolName(), current.status());
    const auto form = FormFields(call.req);
    json body;
    for (const char* key :
         {"am_start", "pm_start", "am_open", "pm_open", "target_attendance_pct"}) {
      if (!Get(form, key).empty()) body[key] = Get(form, key);
    }
    for (const char* key : {"register_close_minutes", "session_idle_minutes"}) {
      if (Get(form, key).empty()) continue;
      const std::string text = Get(form, key);
      const bool digits = text.size() <= 3 && std::all_of(text.begin(), text.end(), ::isdigit);
      body[key] = digits ? json(std::stoi(text)) : json(text);
    }
    // An unticked box sends nothing: the form's marker says the box was there.
    if (!Get(form, "rewards_box").empty()) {
      body["rewards_exclude_medical"] = Get(form, "rewards_exclude_medical") == "1";
    }
    if (std::optional<json> policy = PolicyFromForm(form, *current)) body["policy"] = *policy;
    Request inner = call.req;
    inner.body = body.dump();
    Call api{inner, call.target, call.who, call.csrf};
    Response res = PutSettings(api);
    if (res.status == http::status::ok) {
      message = SuccessBanner("Saved as a new version.");
    } else {
      status = res.status;
      message = ErrorSummary(json::parse(res.body, nullptr, false)
                                 .value("error", json::object())
                                 .value("message", "could not save"));
    }
  }
  StatusOr<service::SettingsView> v = services_.settings().Get(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  const bool head = v->may_change;
  const store::Settings& st = v->settings;
  // The head hears of a failed backup here as well as on its own page.
  if (StatusOr<service::BackupsView> backups = services_.backups().Get(*call.who);
      backups.ok() && backups->last_failed) {
    message += Html::Trusted(
        R"(<div class="govuk-error-summary" role="alert"><h2 class="govuk-error-summary__title">)"
        R"(The last backup failed</h2><div class="govuk-error-summary__body"><p><a )"
        R"(class="govuk-link" href="/settings/backups">See why on the Backups page</a></p>)"
        R"(</div></div>)");
  }
  Html terms;
  for (const core::Term& t : v->terms) {
    terms += Html::Format("<li>{} to {}</li>", DayDate(t.start), DayDate(t.end));
  }
  Html closures;
  for (const core::Closure& c : v->closures) {
    closures += Html::Format("<li>{} {}: {}</li>", DayDate(c.date),
                             c.sessions == core::ClosureSessions::kBoth
                                 ? "all day"
                                 : (c.sessions == core::ClosureSessions::kAm ? "AM" : "PM"),
                             c.reason);
  }
  const std::string disabled = head ? "" : " disabled";
  Html body = Html::Format(
      R"({}<p>Version {} set by {} on {}.</p><form class="stack" method="post" action="/settings">)"
      R"(<input type="hidden" name="_csrf" value="{}">)"
      R"(<label for="am">Morning session starts</label><input id="am" name="am_start" type="time" value="{}"{}>)"
      R"(<label for="pm">Afternoon session starts</label><input id="pm" name="pm_start" type="time" value="{}"{}>)"
      R"(<label for="am-open">Morning register opens (no marks before then)</label><input id="am-open" name="am_open" type="time" value="{}"{}>)"
      R"(<label for="pm-open">Afternoon register opens</label><input id="pm-open" name="pm_open" type="time" value="{}"{}>)"
      R"(<label for="close">Register open for (minutes, at most 30)</label>)"
      R"(<input id="close" name="register_close_minutes" type="number" min="0" max="30" value="{}"{}>)"
      R"(<label for="target">Attendance target (%)</label><input id="target" name="target_attendance_pct" value="{}"{}>)"
      R"(<label for="idle">Sign out after this many minutes without activity (5 to 480; every )"
      R"(login ends after 8 hours)</label>)"
      R"(<input id="idle" name="session_idle_minutes" type="number" min="5" max="480" value="{}"{}>)"
      R"(<input type="hidden" name="rewards_box" value="1"><div class="govuk-form-group">)"
      R"(<div class="govuk-checkboxes"><div class="govuk-checkboxes__item">)"
      R"(<input class="govuk-checkboxes__input" id="rewards-medical" )"
      R"(name="rewards_exclude_medical" type="checkbox" value="1"{}{}><label )"
      R"(class="govuk-label govuk-checkboxes__label" )"
      R"(for="rewards-medical">Exclude pupils with a known medical condition from rewards: )"
      R"(their sessions leave their class's figure and they are on no 100% or most-improved )"
      R"(list</label></div></div></div>)"
      R"({}{}</form><h2>Terms</h2><ul>{}</ul><h2>Closures</h2><ul>{}</ul>{}{})",
      message, st.version, st.set_by, MomentText(st.set_at), call.csrf,
      TimeText(st.am_start_minute), disabled, TimeText(st.pm_start_minute), disabled,
      TimeText(v->am_open_minute), disabled, TimeText(v->pm_open_minute), disabled,
      st.register_close_minutes, disabled, st.target_attendance_pct, disabled,
      st.session_idle_minutes, disabled, st.rewards_exclude_medical ? " checked" : "", disabled,
      PolicyInputs(v->policy, disabled),
      head ? Html::Trusted(R"(<p><button class="primary" type="submit">Save settings</button></p>)")
           : Html(),
      terms, closures.str().empty() ? Html::Trusted("<li>None.</li>") : closures,
      head ? Html::Trusted(R"(<p><a class="govuk-link" href="/settings/calendar">Change terms )"
                           R"(and closures</a></p><p><a class="govuk-link" )"
                           R"(href="/settings/api-tokens">API tokens for other systems</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/webhooks">Webhooks: tell )"
                           R"(other systems when things happen</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/templates">The words of )"
                           R"(the school's emails and text messages</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/notifications">)"
                           R"(Notifications to staff: register reminders, the DSL's list, )"
                           R"(the attendance digest</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/evidence">Medical )"
                           R"(evidence: when to ask families for it</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/messages">Email and )"
                           R"(text messages: how they are sent</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/retention">Keeping and )"
                           R"(purging records: retention periods and the purge log</a></p>)"
                           R"(<p><a class="govuk-link" href="/settings/backups">Backups: )"
                           R"(where and when the server backs up its database</a></p>)")
           : Html(),
      head
          ? Html::Format(
                R"(<form class="stack card" method="post" action="/settings/closure">)"
                R"(<input type="hidden" name="_csrf" value="{}"><h3>Add a closure</h3>)"
                R"({}<label for="csess">Sessions</label><select id="csess" name="sessions">)"
                R"(<option value="both">All day</option><option value="AM">AM</option><option value="PM">PM</option></select>)"
                R"(<label for="creason">Reason</label><input id="creason" name="reason" required maxlength="200">)"
                R"(<p><button type="submit">Add closure</button></p></form>)",
                call.csrf, DateInput("cdate", "date", "Date", std::nullopt))
          : Html());
  return Layout(call.who, call.csrf, v->school, "Settings", body, status);
}

Response App::PageAddClosure(Call& call) {
  if (Status s = services_.settings().MayChange(*call.who); !s.ok()) {
    return Refused(call.who, call.csrf, "", s);
  }
  const auto form = FormFields(call.req);
  StatusOr<Date> date = ParseDateParam(Get(form, "date"), "date");
  if (!date.ok()) return Refused(call.who, call.csrf, "", date.status());
  const std::string which = Get(form, "sessions");
  store::Closure closure;
  closure.date = *date;
  closure.sessions = which == "AM"   ? core::ClosureSessions::kAm
                     : which == "PM" ? core::ClosureSessions::kPm
                                     : core::ClosureSessions::kBoth;
  closure.reason = Get(form, "reason");
  if (Status s = services_.settings().AddClosure(*call.who, closure); !s.ok()) {
    // Marks on the day: the page keeps the school's name above the refusal.
    return Refused(call.who, call.csrf,
                   s.kind() == core::ErrorKind::kConflict ? SchoolName() : std::string(), s);
  }
  return RedirectDone("/settings", Done::kClosureAdded);
}

// ---------------------------------------------------------------------------
// Parents

namespace {

// A child's card on the parents' page, the sections below its form given.
Html ChildCard(const service::PupilOverview& child, const std::string& csrf, const Html& sections) {
  const store::Pupil& p = child.pupil;
  const core::SessionCounts& c = child.result.counts;
  return Html::Format(
      R"(<div class="card"><h2><a href="/pupils/{}">{}</a></h2><p>Attendance this year: <strong>{}</strong> )"
      R"(({} of {}; {} absent)</p>{})"
      R"(<form class="stack" method="post" action="/parent/report"><input type="hidden" name="_csrf" value="{}">)"
      R"(<input type="hidden" name="pupil" value="{}"><h3>Tell the school {} will be absent</h3>)"
      R"({}{}<label for="reason-{}">Reason</label><input id="reason-{}" name="reason" required maxlength="500">)"
      R"(<p><button class="primary" type="submit">Send to the school office</button></p></form>{}</div>)",
      p.id, DisplayName(p), AttendanceOf(c), c.attended, Plural(c.possible, "session"), c.absence,
      child.alert_lines.empty() ? Html()
                                : Html::Format("<h3>About {}'s attendance</h3>{}", DisplayName(p),
                                               AlertList(child.alert_lines, "")),
      csrf, p.id, DisplayName(p),
      DateInput(fmt::format("from-{}", p.id), "from", "From", child.as_of),
      DateInput(fmt::format("to-{}", p.id), "to", "To (optional)", std::nullopt, false), p.id, p.id,
      sections);
}

}  // namespace

Response App::PageParent(Call& call) {
  StatusOr<service::ChildrenView> v = services_.pupils().Children(*call.who, clock_.Today());
  if (!v.ok()) return Refused(call.who, call.csrf, services_.pupils().SchoolName(), v.status());
  Html children;
  for (const service::PupilOverview& child : v->children) {
    children +=
        ChildCard(child, call.csrf,
                  MessagesSection(call, child.pupil.id) + LeaveSection(call, child.pupil, true) +
                      EvidenceSection(call, child.pupil, true));
  }
  return Layout(call.who, call.csrf, v->school, "My children",
                DoneBanner(call.target.query) + children);
}

Response App::PageReportAbsence(Call& call) {
  const auto form = FormFields(call.req);
  std::optional<int64_t> id = ParseId(Get(form, "pupil"));
  if (!id)
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  StatusOr<store::AbsenceReport> report = services_.absence_reports().Report(
      *call.who, {*id, Get(form, "from"), Get(form, "to"), Get(form, "reason")});
  if (!report.ok()) {
    return Layout(
        call.who, call.csrf, "", "Could not send",
        ErrorSummary(report.status().message()) +
            Html::Trusted(
                R"(<p class="govuk-body"><a class="govuk-link" href="/parent">Back</a></p>)"),
        HttpStatusFor(report.status().kind()));
  }
  return RedirectDone("/parent", Done::kAbsenceSent);
}

}  // namespace rollcall::web
