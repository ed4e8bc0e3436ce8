// app_sign_in_out.cc: the reception desk (service::SignInOut).
//
//   /reception[?q=]             the kiosk: find a pupil, then "Arriving late"
//                               or "Leaving early"; today's signings below
//   /reception/find?q=          the search's results alone, for htmx as the
//                               office types
//   /reception/{id}/in|out      the form for one pupil (time, reason)
//   /transport                  routes and their pupils (set one by one or from
//                               a CSV file), delays
//
// The kiosk is for a tablet at the reception desk and works on a phone:
// every control is at least 44 px high and the lists stack.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "service/fields.h"
#include "service/sign_in_out.h"
#include "web/app.h"
#include "web/app_internal.h"
#include "web/multipart.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kReception[] = "/reception";
constexpr char kTransport[] = "/transport";

// The reason as the form sends it: a choice from the short list and the
// office's own words; "Other" is only the words.
std::string ReasonOf(const std::map<std::string, std::string>& form) {
  const std::string choice = Get(form, "reason");
  const std::string words = Get(form, "detail");
  if (choice.empty() || choice == "Other") return words;
  return words.empty() ? choice : choice + ": " + words;
}

// One pupil found: name, class and route, and the two big buttons.
Html FoundList(const std::vector<service::DeskPupil>& pupils, const std::string& query) {
  if (pupils.empty()) {
    if (query.size() < 2) return Html();
    return Html::Format(R"(<p class="govuk-body" id="kiosk-none">No pupil on roll today is )"
                        R"(called “{}”.</p>)",
                        query);
  }
  Html items;
  for (const service::DeskPupil& p : pupils) {
    items += Html::Format(
        R"(<li class="kiosk-pupil"><p class="govuk-body-l kiosk-name">{}</p>)"
        R"(<p class="govuk-body-s">{}{}</p><div class="kiosk-actions">)"
        R"(<a class="govuk-button kiosk-button" href="/reception/{}/in">Arriving late</a>)"
        R"(<a class="govuk-button govuk-button--secondary kiosk-button" )"
        R"(href="/reception/{}/out">Leaving early</a></div></li>)",
        p.name, p.class_name.empty() ? std::string("No class") : "Class " + p.class_name,
        p.route.empty() ? std::string() : " · " + p.route, p.pupil_id, p.pupil_id);
  }
  return Html::Format(R"(<ul class="kiosk-found" aria-label="Pupils found">{}</ul>)", items);
}

std::string MarkCell(const store::SignEvent& e) {
  if (!e.code) return e.kind == store::SignKind::kOut ? "Mark kept: the session counts" : "";
  return CodeText(*e.code);
}

// Today's signings, newest first.
Html LinesTable(const std::vector<service::SignLine>& lines) {
  if (lines.empty()) {
    return Html::Trusted(
        R"(<p class="govuk-body" id="kiosk-today-none">No one has been signed in or out today.</p>)");
  }
  Html rows;
  for (const service::SignLine& l : lines) {
    const store::SignEvent& e = l.event;
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<th scope="row" class="govuk-table__header"><a class="govuk-link" href="/pupils/{}">{}</a> {}</th>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td></tr>)",
        TimeText(e.minute), e.pupil_id, l.pupil, l.class_name,
        e.kind == store::SignKind::kIn ? "Signed in" : "Signed out", e.reason, MarkCell(e),
        e.recorded_by);
  }
  return Html::Format(R"(<div class="scroll"><table class="govuk-table" id="kiosk-today">)"
                      R"(<thead class="govuk-table__head"><tr class="govuk-table__row">)"
                      R"(<th scope="col" class="govuk-table__header">Time</th>)"
                      R"(<th scope="col" class="govuk-table__header">Pupil</th>)"
                      R"(<th scope="col" class="govuk-table__header">What</th>)"
                      R"(<th scope="col" class="govuk-table__header">Reason</th>)"
                      R"(<th scope="col" class="govuk-table__header">Mark</th>)"
                      R"(<th scope="col" class="govuk-table__header">By</th></tr></thead>)"
                      R"(<tbody class="govuk-table__body">{}</tbody></table></div>)",
                      rows);
}

Html DelaysList(const std::vector<store::RouteDelay>& delays) {
  if (delays.empty()) return Html();
  Html items;
  for (const store::RouteDelay& d : delays) {
    items += Html::Format(R"(<li>{} ({}){}{}</li>)", d.route_name,
                          service::SessionWord(d.slot.session), d.note.empty() ? "" : ": ", d.note);
  }
  return Html::Format(R"(<div class="govuk-inset-text"><p>School transport late today: its )"
                      R"(pupils arriving after the register closed get L, not U.</p>)"
                      R"(<ul class="govuk-list govuk-list--bullet">{}</ul></div>)",
                      items);
}

// The reasons as big radio buttons, then the office's own words.
template <size_t N>
Html ReasonFields(const std::array<std::string_view, N>& reasons, const std::string& chosen,
                  const std::string& detail) {
  Html radios;
  int n = 0;
  for (std::string_view r : reasons) {
    ++n;
    radios += Html::Format(
        R"(<div class="govuk-radios__item"><input class="govuk-radios__input" id="reason-{}" )"
        R"(name="reason" type="radio" value="{}"{}><label class="govuk-label )"
        R"(govuk-radios__label" for="reason-{}">{}</label></div>)",
        n, r, chosen == r ? Html::Trusted(" checked") : Html(), n, r);
  }
  return Html::Format(
      R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset">)"
      R"(<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Reason</legend>)"
      R"(<div class="govuk-radios" data-module="govuk-radios">{}</div></fieldset></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="detail">More detail )"
      R"((optional; needed for “Other”)</label><input class="govuk-input" id="detail" )"
      R"(name="detail" maxlength="150" value="{}" autocomplete="off"></div>)",
      radios, detail);
}

}  // namespace

Response App::PageReception(Call& call) {
  const std::string query = Get(call.target.query, "q");
  StatusOr<service::DeskView> v = services_.sign_in_out().Desk(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  StatusOr<std::vector<service::DeskPupil>> found = services_.sign_in_out().Find(*call.who, query);
  if (!found.ok()) return Refused(call.who, call.csrf, SchoolName(), found.status());
  const std::string signed_what = Get(call.target.query, "signed");
  Html banner;
  if (signed_what == "in") banner = SuccessBanner("Signed in: the mark is recorded.");
  if (signed_what == "out") banner = SuccessBanner("Signed out.");
  Html transport;
  if (services_.school().AllowNow(*call.who, service::Action::kManageTransport, {}).ok()) {
    transport = Html::Trusted(R"(<p class="govuk-body"><a class="govuk-link" href="/transport">)"
                              R"(School transport: routes and delays</a></p>)");
  }
  return Layout(
      call.who, call.csrf, v->school, "Reception",
      banner + DelaysList(v->delays) +
          Html::Format(
              R"(<form method="get" action="/reception" role="search" class="kiosk-search">)"
              R"(<label class="govuk-label govuk-label--m" for="kiosk-q">Find a pupil</label>)"
              R"(<div class="govuk-hint" id="kiosk-q-hint">Type two or more letters of their )"
              R"(name</div><input class="govuk-input kiosk-input" id="kiosk-q" name="q" )"
              R"(type="search" value="{}" autocomplete="off" aria-describedby="kiosk-q-hint" )"
              R"(hx-get="/reception/find" hx-trigger="input changed delay:250ms, search" )"
              R"(hx-target="#kiosk-results" hx-replace-url="false">)"
              R"(<button class="govuk-button govuk-button--secondary kiosk-button" )"
              R"(type="submit">Find</button></form><div id="kiosk-results" aria-live="polite">{})"
              R"(</div><h2 class="govuk-heading-m">Signed in and out today</h2>{}{})",
              query, FoundList(*found, query), LinesTable(v->lines), transport));
}

Response App::PageReceptionFind(Call& call) {
  const std::string query = Get(call.target.query, "q");
  StatusOr<std::vector<service::DeskPupil>> found = services_.sign_in_out().Find(*call.who, query);
  if (!found.ok()) return Refused(call.who, call.csrf, SchoolName(), found.status());
  return HtmlResponse(FoundList(*found, query).str());
}

Response App::PageSignInOut(Call& call, const std::string& pupil, bool arriving) {
  const bool post = call.req.method == http::verb::post;
  const auto form = post ? FormFields(call.req) : std::map<std::string, std::string>();
  Html problem;
  http::status status = http::status::ok;
  if (post) {
    const std::string reason = ReasonOf(form);
    Status done = core::OkStatus();
    if (arriving) {
      done = services_.sign_in_out().SignIn(*call.who, {pupil, Get(form, "time"), reason}).status();
    } else {
      done = services_.sign_in_out()
                 .SignOut(*call.who, {.pupil = pupil,
                                      .time = Get(form, "time"),
                                      .reason = reason,
                                      .counts = Get(form, "counts") != "no",
                                      .code = Get(form, "code")})
                 .status();
    }
    if (done.ok()) return Redirect(arriving ? "/reception?signed=in" : "/reception?signed=out");
    if (done.kind() != core::ErrorKind::kInvalidArgument &&
        done.kind() != core::ErrorKind::kConflict) {
      return Refused(call.who, call.csrf, SchoolName(), done);
    }
    problem =
        ErrorSummary(done.message(), done.code() == core::kErrValueInvalid ? "reason-1" : "time");
    status = http::status::unprocessable_entity;
  }
  StatusOr<service::DeskPupil> who = services_.sign_in_out().Pupil(*call.who, pupil);
  if (!who.ok()) return Refused(call.who, call.csrf, SchoolName(), who.status());
  const std::string time =
      post ? Get(form, "time") : TimeText(services_.school().clock().MinuteOfDay());
  Html fields;
  if (arriving) {
    fields = ReasonFields(service::kArrivalReasons, Get(form, "reason"), Get(form, "detail"));
  } else {
    Html codes;
    for (std::string_view c : service::kDepartureCodes) {
      const auto code = core::CodeFromSymbol(c);
      codes += Html::Format(R"(<option value="{}"{}>{}</option>)", c,
                            Get(form, "code") == c ? Html::Trusted(" selected") : Html(),
                            code ? CodeText(*code) : std::string(c));
    }
    const bool counts = Get(form, "counts") != "no";
    fields =
        ReasonFields(service::kDepartureReasons, Get(form, "reason"), Get(form, "detail")) +
        Html::Format(R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset">)"
                     R"(<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">Does the )"
                     R"(session still count as attended?</legend><div class="govuk-hint">Yes when )"
                     R"(the pupil was registered and leaves for a short appointment: their mark )"
                     R"(stays. No to change this session's mark to the code below.</div>)"
                     R"(<div class="govuk-radios govuk-radios--inline">)"
                     R"(<div class="govuk-radios__item"><input class="govuk-radios__input" )"
                     R"(id="counts-yes" name="counts" type="radio" value="yes"{}><label )"
                     R"(class="govuk-label govuk-radios__label" for="counts-yes">Yes, keep the )"
                     R"(mark</label></div><div class="govuk-radios__item"><input )"
                     R"(class="govuk-radios__input" id="counts-no" name="counts" type="radio" )"
                     R"(value="no"{}><label class="govuk-label govuk-radios__label" )"
                     R"(for="counts-no">No</label></div></div></fieldset></div>)"
                     R"(<div class="govuk-form-group"><label class="govuk-label" for="code">Code )"
                     R"(when the session does not count</label><select class="govuk-select" )"
                     R"(id="code" name="code">{}</select></div>)",
                     counts ? Html::Trusted(" checked") : Html(),
                     counts ? Html() : Html::Trusted(" checked"), codes);
  }
  const std::string title = arriving ? "Arriving late" : "Leaving early";
  return Layout(
      call.who, call.csrf, SchoolName(), title,
      problem + Html::Format(
                    R"(<p class="govuk-body-l kiosk-name">{}</p><p class="govuk-body">{}{}</p>)"
                    R"(<form method="post" action="/reception/{}/{}" novalidate )"
                    R"(class="kiosk-form"><input type="hidden" name="_csrf" value="{}">)"
                    R"(<div class="govuk-form-group"><label class="govuk-label )"
                    R"(govuk-label--m" for="time">Time</label><div class="govuk-hint">Now, )"
                    R"(unless it happened earlier</div><input class="govuk-input )"
                    R"(govuk-input--width-5 kiosk-input" id="time" name="time" type="time" )"
                    R"(value="{}"></div>{}<div class="govuk-button-group">)"
                    R"(<button class="govuk-button kiosk-button" type="submit">{}</button>)"
                    R"(<a class="govuk-link" href="/reception">Cancel</a></div></form>)",
                    who->name,
                    who->class_name.empty() ? std::string("No class") : "Class " + who->class_name,
                    who->route.empty() ? std::string() : " · travels on " + who->route,
                    who->pupil_id, arriving ? "in" : "out", call.csrf, time, fields,
                    arriving ? "Sign in" : "Sign out"),
      status);
}

namespace {

Html RouteOptions(const std::vector<service::RouteView>& routes, bool none) {
  Html options = none ? Html::Trusted(R"(<option value="">No route</option>)") : Html();
  for (const service::RouteView& r : routes) {
    options += Html::Format(R"(<option value="{}">{}</option>)", r.route.id, r.route.name);
  }
  return options;
}

Html RenderTransport(const service::TransportView& v, const std::string& csrf,
                     const Html& message) {
  Html routes;
  for (const service::RouteView& r : v.routes) {
    Html riders;
    for (const service::DeskPupil& p : r.riders) {
      riders += Html::Format(
          R"(<li><form class="inline" method="post" action="/transport/riders">)"
          R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="pupil" )"
          R"(value="{}"><input type="hidden" name="route" value="">{} {} <button )"
          R"(class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" )"
          R"(type="submit">Take off<span class="govuk-visually-hidden"> {}</span></button>)"
          R"(</form></li>)",
          csrf, p.pupil_id, p.name, p.class_name.empty() ? "" : "(" + p.class_name + ")", p.name);
    }
    routes += Html::Format(
        R"(<h3 class="govuk-heading-s">{} ({})</h3><ul class="govuk-list">{}</ul>)", r.route.name,
        Plural(static_cast<int>(r.riders.size()), "pupil", "pupils"), riders);
  }
  if (v.routes.empty()) {
    routes = Html::Trusted(R"(<p class="govuk-body">No routes yet: add the first below.</p>)");
  }
  Html pupils;
  for (const service::DeskPupil& p : v.pupils) {
    pupils += Html::Format(R"(<option value="{}">{}{}</option>)", p.pupil_id, p.name,
                           p.route.empty() ? "" : " (" + p.route + ")");
  }
  Html delays;
  for (const store::RouteDelay& d : v.delays) {
    delays += Html::Format(R"(<li>{}, {} session{}{} (recorded by {})</li>)", d.route_name,
                           service::SessionWord(d.slot.session), d.note.empty() ? "" : ": ", d.note,
                           d.recorded_by);
  }
  const bool am = v.session == core::Session::kAm;
  Html delay_form;
  if (!v.routes.empty()) {
    delay_form = Html::Format(
        R"(<form method="post" action="/transport/delays" class="card">)"
        R"(<input type="hidden" name="_csrf" value="{}">)"
        R"(<div class="govuk-form-group"><label class="govuk-label" for="delay-route">Route)"
        R"(</label><select class="govuk-select" id="delay-route" name="route">{}</select></div>)"
        R"(<div class="govuk-form-group"><label class="govuk-label" for="delay-date">Date</label>)"
        R"(<input class="govuk-input govuk-input--width-10" id="delay-date" name="date" )"
        R"(type="date" value="{}"></div><div class="govuk-form-group"><label )"
        R"(class="govuk-label" for="delay-session">Session</label><select class="govuk-select" )"
        R"(id="delay-session" name="session"><option value="AM"{}>Morning</option><option )"
        R"(value="PM"{}>Afternoon</option></select></div><div class="govuk-form-group"><label )"
        R"(class="govuk-label" for="delay-note">Note (optional)</label><input )"
        R"(class="govuk-input" id="delay-note" name="note" maxlength="200"></div>)"
        R"(<button class="govuk-button" type="submit">Record the delay</button></form>)",
        csrf, RouteOptions(v.routes, false), v.today.ToString(),
        am ? Html::Trusted(" selected") : Html(), am ? Html() : Html::Trusted(" selected"));
  }
  Html add_rider;
  if (!v.routes.empty()) {
    add_rider = Html::Format(
        R"(<form method="post" action="/transport/riders" class="card">)"
        R"(<input type="hidden" name="_csrf" value="{}">)"
        R"(<div class="govuk-form-group"><label class="govuk-label" for="rider-pupil">Pupil)"
        R"(</label><select class="govuk-select" id="rider-pupil" name="pupil">{}</select></div>)"
        R"(<div class="govuk-form-group"><label class="govuk-label" for="rider-route">Route)"
        R"(</label><select class="govuk-select" id="rider-route" name="route">{}</select></div>)"
        R"(<button class="govuk-button govuk-button--secondary" type="submit">Set the )"
        R"(pupil's route</button></form>)",
        csrf, pupils, RouteOptions(v.routes, true));
  }
  return Html::Format(
      R"({}<p class="govuk-body">The school's policy: a pupil whose bus or taxi was late is )"
      R"(not marked U. Record a route's delay for a session and its pupils who arrive after )"
      R"(the register closes get L; those already signed in with U are changed to L, each )"
      R"(change with its reason in the amendments.</p>)"
      R"(<h2 class="govuk-heading-m">Delays today</h2>{}{})"
      R"(<h2 class="govuk-heading-m">Routes</h2>{}{})"
      R"(<h2 class="govuk-heading-m">Add a route</h2>)"
      R"(<form method="post" action="/transport/routes" class="card">)"
      R"(<input type="hidden" name="_csrf" value="{}"><div class="govuk-form-group">)"
      R"(<label class="govuk-label" for="route-name">Name</label><input class="govuk-input )"
      R"(govuk-input--width-20" id="route-name" name="name" maxlength="80"></div>)"
      R"(<button class="govuk-button govuk-button--secondary" type="submit">Add the route)"
      R"(</button></form><h2 class="govuk-heading-m">Set routes from a file</h2>)"
      R"(<form method="post" action="/transport/import" enctype="multipart/form-data" )"
      R"(class="card"><input type="hidden" name="_csrf" value="{}"><div )"
      R"(class="govuk-form-group"><label class="govuk-label" for="routes-file">A CSV file )"
      R"(with the columns UPN and route</label><div class="govuk-hint" )"
      R"(id="routes-file-hint">The route by its name, as above; an empty route takes the )"
      R"(pupil off their route. Nothing is changed if any line is wrong.</div><input )"
      R"(class="govuk-file-upload" id="routes-file" name="file" type="file" accept=".csv" )"
      R"(aria-describedby="routes-file-hint"></div><button class="govuk-button )"
      R"(govuk-button--secondary" type="submit">Set the routes</button></form>)",
      message,
      delays.str().empty() ? Html::Trusted(R"(<p class="govuk-body">None recorded.</p>)")
                           : Html::Format(R"(<ul class="govuk-list">{}</ul>)", delays),
      delay_form, routes, add_rider, csrf, csrf);
}

}  // namespace

Response App::TransportPage(Call& call, const Html& message, http::status status) {
  StatusOr<service::TransportView> v = services_.sign_in_out().Transport(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, v->school, "School transport",
                RenderTransport(*v, call.csrf, message), status);
}

Response App::TransportDone(Call& call, const Status& done, const std::string& saved) {
  if (done.ok()) return TransportPage(call, SuccessBanner(saved), http::status::ok);
  if (done.kind() == core::ErrorKind::kPermissionDenied ||
      done.kind() == core::ErrorKind::kInternal || done.kind() == core::ErrorKind::kUnavailable) {
    return Refused(call.who, call.csrf, SchoolName(), done);
  }
  return TransportPage(call, ErrorSummary(done.message()), http::status::unprocessable_entity);
}

Response App::PageTransport(Call& call) { return TransportPage(call, Html(), http::status::ok); }

Response App::PageAddRoute(Call& call) {
  const auto form = FormFields(call.req);
  return TransportDone(call,
                       services_.sign_in_out().AddRoute(*call.who, Get(form, "name")).status(),
                       "Route added.");
}

Response App::PageSetRoute(Call& call) {
  const auto form = FormFields(call.req);
  return TransportDone(
      call, services_.sign_in_out().SetRoute(*call.who, Get(form, "pupil"), Get(form, "route")),
      "Route set.");
}

Response App::PageImportRoutes(Call& call) {
  std::string csv;
  if (StatusOr<std::vector<MultipartPart>> parts =
          ParseMultipart(call.req.content_type, call.req.body);
      parts.ok()) {
    for (MultipartPart& part : *parts) {
      if (part.name == "file" && part.filename) csv = std::move(part.body);
    }
  }
  if (csv.empty()) {
    return TransportDone(call, core::InvalidArgument(core::kErrCsvInvalid, "Choose a CSV file"),
                         "");
  }
  StatusOr<int> set = services_.sign_in_out().ImportRoutes(*call.who, csv);
  return TransportDone(call, set.status(),
                       set.ok() ? fmt::format("Routes set for {}.", Plural(*set, "pupil", "pupils"))
                                : std::string());
}

Response App::PageRouteDelay(Call& call) {
  const auto form = FormFields(call.req);
  StatusOr<service::DelayResult> r = services_.sign_in_out().RecordDelay(
      *call.who, {Get(form, "route"), Get(form, "date"), Get(form, "session"), Get(form, "note")});
  if (!r.ok()) return TransportDone(call, r.status(), "");
  std::string saved = "Delay recorded.";
  if (!r->changed.empty()) {
    saved += fmt::format(" Changed from U to L: {}.", fmt::join(r->changed, ", "));
  }
  if (!r->failed.empty()) {
    saved += fmt::format(" Not changed, check these marks: {}.", fmt::join(r->failed, "; "));
  }
  return TransportPage(call, SuccessBanner(saved), http::status::ok);
}

Html App::SignInOutTodaySection(const Call& call) {
  StatusOr<std::vector<service::SignLine>> lines = services_.sign_in_out().Today(*call.who);
  if (!lines.ok() || lines->empty()) return Html();
  Html items;
  for (const service::SignLine& l : *lines) {
    const store::SignEvent& e = l.event;
    items += Html::Format(R"(<li>{} <a class="govuk-link" href="/pupils/{}">{}</a> {}: {}{}</li>)",
                          TimeText(e.minute), e.pupil_id, l.pupil,
                          e.kind == store::SignKind::kIn ? "signed in" : "signed out", e.reason,
                          e.code ? " (" + std::string(core::SymbolOf(*e.code)) + ")" : "");
  }
  return Html::Format(R"(<h2 class="govuk-heading-m" id="today-reception">Signed in and out at )"
                      R"(reception</h2><ul class="govuk-list">{}</ul><p class="govuk-body">)"
                      R"(<a class="govuk-link" href="/reception">Reception</a></p>)",
                      items);
}

}  // namespace rollcall::web
