// app_setup.cc: the first-run page that sets up the school (/setup), the
// rule that serves nothing else until it has, and the page where the head
// changes the terms and closures (/settings/calendar). service::Setup
// checks and writes both.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error_codes.h"
#include "io/term_dates.h"
#include "service/setup.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

using Fields = std::map<std::string, std::string>;
using service::SetupProblem;

// The fields of a multipart/form-data body (a form that sends a file): each
// part's name and content, a file's content as its value. Parts without a
// name, and a body that is not well formed, give nothing.
Fields MultipartFields(const Request& req) {
  Fields fields;
  const size_t at = req.content_type.find("boundary=");
  if (at == std::string::npos) return fields;
  std::string boundary = req.content_type.substr(at + 9);
  boundary = boundary.substr(0, boundary.find(';'));
  if (boundary.size() >= 2 && boundary.front() == '"' && boundary.back() == '"') {
    boundary = boundary.substr(1, boundary.size() - 2);
  }
  const std::string delimiter = "--" + boundary;
  const std::string_view body = req.body;
  size_t pos = body.find(delimiter);
  while (pos != std::string_view::npos) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") break;  // the closing delimiter
    if (body.substr(pos, 2) == "\r\n") pos += 2;
    const size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) break;
    const std::string_view headers = body.substr(pos, headers_end - pos);
    const size_t content_start = headers_end + 4;
    const size_t next = body.find("\r\n" + delimiter, content_start);
    if (next == std::string_view::npos) break;
    if (const size_t name = headers.find("; name=\""); name != std::string_view::npos) {
      const size_t start = name + 8;
      const size_t end = headers.find('"', start);
      if (end != std::string_view::npos) {
        fields[std::string(headers.substr(start, end - start))] =
            std::string(body.substr(content_start, next - content_start));
      }
    }
    pos = next + 2;
  }
  return fields;
}

// A form's fields, whichever way the browser sent them.
Fields AnyFormFields(const Request& req) {
  return req.content_type.starts_with("multipart/form-data") ? MultipartFields(req)
                                                             : FormFields(req);
}

// A whole number typed in a form; -1 when it is not one (the checks say so).
int NumberField(const Fields& form, const std::string& key) {
  const std::string text = Get(form, key);
  const bool digits =
      !text.empty() && text.size() <= 4 &&
      std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  return digits ? std::stoi(text) : -1;
}

// The first problem with `field`, if any.
const SetupProblem* ProblemWith(const std::vector<SetupProblem>& problems,
                                const std::string& field) {
  for (const SetupProblem& p : problems) {
    if (p.field == field) return &p;
  }
  return nullptr;
}

// "There is a problem" with every problem, each linked to its field.
Html ProblemSummary(const std::vector<SetupProblem>& problems) {
  std::vector<std::pair<std::string, std::string>> items;
  for (const SetupProblem& p : problems) items.emplace_back(p.message, p.field);
  return ErrorSummary(items);
}

// What a form shows of one field: its label, hint and error message.
struct FieldText {
  const char* id;
  const char* label;
  const char* hint = "";
};

// The group around a field: label, hint, error message, then `control`.
Html FieldGroup(const FieldText& f, const SetupProblem* problem, const Html& control) {
  const Html hint =
      *f.hint ? Html::Format(R"(<div id="{}-hint" class="govuk-hint">{}</div>)", f.id, f.hint)
              : Html();
  const Html error =
      problem ? Html::Format(R"(<p id="{}-error" class="govuk-error-message">)"
                             R"(<span class="govuk-visually-hidden">Error:</span> {}</p>)",
                             f.id, problem->message)
              : Html();
  return Html::Format(
      R"(<div class="govuk-form-group{}"><label class="govuk-label" for="{}">{}</label>{}{}{}</div>)",
      problem ? " govuk-form-group--error" : "", f.id, f.label, hint, error, control);
}

// A text input (`type` text, time, number or password) in its group.
Html InputField(const FieldText& f, const Fields& values, const std::vector<SetupProblem>& problems,
                const char* type = "text", const char* width = "govuk-!-width-two-thirds") {
  const SetupProblem* problem = ProblemWith(problems, f.id);
  const bool secret = std::string_view(type) == "password";
  return FieldGroup(
      f, problem,
      Html::Format(R"(<input class="govuk-input {}{}" id="{}" name="{}" type="{}" value="{}"{}>)",
                   width, problem ? " govuk-input--error" : "", f.id, f.id, type,
                   secret ? std::string() : Get(values, f.id),
                   *f.hint ? Html::Format(R"( aria-describedby="{}-hint")", f.id) : Html()));
}

Html TextareaField(const FieldText& f, const Fields& values,
                   const std::vector<SetupProblem>& problems, int rows) {
  const SetupProblem* problem = ProblemWith(problems, f.id);
  return FieldGroup(
      f, problem,
      Html::Format(
          R"(<textarea class="govuk-textarea{}" id="{}" name="{}" rows="{}"{}>{}</textarea>)",
          problem ? " govuk-textarea--error" : "", f.id, f.id, rows,
          *f.hint ? Html::Format(R"( aria-describedby="{}-hint")", f.id) : Html(),
          Get(values, f.id)));
}

// The first-run page as it is shown: the answers typed so far and their problems.
struct SetupPage {
  std::string code;  // the set-up code, sent back with the form
  Fields values;
  std::vector<SetupProblem> problems;
};

Html SetupForm(const SetupPage& v) {
  const Fields& in = v.values;
  const std::vector<SetupProblem>& p = v.problems;
  Html phases;
  for (const std::string& phase : service::SchoolPhases()) {
    phases += Html::Format(R"(<option value="{}"{}>{}</option>)", phase,
                           Get(in, "phase") == phase ? " selected" : "", phase);
  }
  const SetupProblem* phase_problem = ProblemWith(p, "phase");
  const Html phase = FieldGroup(
      {"phase", "Phase"}, phase_problem,
      Html::Format(R"(<select class="govuk-select{}" id="phase" name="phase">{}</select>)",
                   phase_problem ? " govuk-select--error" : "", phases));
  const SetupProblem* file_problem = ProblemWith(p, "term_dates");
  const Html term_dates = FieldGroup(
      {"term_dates", "Term-dates file (optional)",
       "A JSON file of term dates from your local authority or school: its terms, holidays and "
       "INSET days become the terms and closures below. Bank holidays in term are added."},
      file_problem,
      Html::Format(
          R"(<input class="govuk-file-upload{}" id="term_dates" name="term_dates" )"
          R"(type="file" accept=".json,application/json" aria-describedby="term_dates-hint">)",
          file_problem ? " govuk-file-upload--error" : ""));
  return Html::Format(
      R"({}<p class="govuk-body">Answer these once to start using rollcall. You can change the )"
      R"(settings, terms and closures later.</p>)"
      R"(<form method="post" action="/setup" enctype="multipart/form-data" novalidate>)"
      R"(<input type="hidden" name="code" value="{}">)"
      R"(<h2 class="govuk-heading-m">Your school</h2>{}{}{}{}{}{}{})"
      R"(<h2 class="govuk-heading-m">School day</h2>{}{}{}{}{})"
      R"(<h2 class="govuk-heading-m">Calendar</h2>{}{}{})"
      R"(<h2 class="govuk-heading-m">Classes and teachers</h2>{})"
      R"(<p class="govuk-body">Teachers get an account without a password: once the school is )"
      R"(set up, send each a set-password link from Accounts.</p>)"
      R"(<h2 class="govuk-heading-m">Your account (the head)</h2>{}{}{})"
      R"(<button type="submit" class="govuk-button" data-module="govuk-button">Set up the school)"
      R"(</button></form>)",
      p.empty() ? Html() : ProblemSummary(p), v.code, InputField({"name", "School name"}, in, p),
      InputField({"urn", "URN", "The 6-digit unique reference number"}, in, p, "text",
                 "govuk-input--width-10"),
      InputField({"la", "Local authority number", "3 digits, like 909"}, in, p, "text",
                 "govuk-input--width-4"),
      InputField({"estab", "Establishment number", "4 digits, like 2001"}, in, p, "text",
                 "govuk-input--width-4"),
      phase, TextareaField({"address", "Address", "Without the postcode"}, in, p, 3),
      InputField({"postcode", "Postcode"}, in, p, "text", "govuk-input--width-10"),
      InputField({"am_start", "Morning session starts"}, in, p, "time", "govuk-input--width-5"),
      InputField({"pm_start", "Afternoon session starts"}, in, p, "time", "govuk-input--width-5"),
      InputField({"register_close_minutes", "Registers close after (minutes)",
                  "0 to 30 minutes after the session starts"},
                 in, p, "number", "govuk-input--width-3"),
      InputField({"am_opens_before_minutes", "Morning register opens before the start (minutes)"},
                 in, p, "number", "govuk-input--width-3"),
      InputField({"pm_opens_before_minutes", "Afternoon register opens before the start (minutes)"},
                 in, p, "number", "govuk-input--width-3"),
      term_dates,
      TextareaField({"terms", "Terms",
                     "One a line: its name, first day and last day, like "
                     "\"Autumn 1 2026, 2026-09-03, 2026-10-23\""},
                    in, p, 6),
      TextareaField({"closures", "INSET days and other closures in term",
                     "One a line: the day and the reason, like \"2026-10-19, INSET day\"; "
                     "\"2026-11-05 PM, Polling station\" for half a day; "
                     "\"2026-10-26 to 2026-10-30, Half term\" for several"},
                    in, p, 6),
      TextareaField({"classes", "Classes",
                     "One a line: the class, its year group and its teachers with their "
                     "usernames, like \"3A, Year 3, Mrs Jo Smith <jsmith>\". Reception is "
                     "\"Reception\"."},
                    in, p, 8),
      InputField(
          {"head_username", "Username", "2 to 64 characters: a-z, 0-9, '.', '_', '-', '@' and '+'"},
          in, p, "text", "govuk-input--width-20"),
      InputField({"head_name", "Your name", "As staff and parents see it, like \"Mrs A Khan\""}, in,
                 p),
      InputField({"head_password", "Password", "At least 10 characters"}, in, p, "password",
                 "govuk-input--width-20"));
}

// The page asking for the set-up code: shown without it, or with a wrong one.
Html CodeNeeded() {
  return Html::Trusted(
      R"(<p class="govuk-body">This school is not set up yet. Open the link that )"
      R"(<code>rollcall serve</code> printed when it started: it has the one-time set-up code )"
      R"(in it, so that no one else on the network can claim the school.</p>)");
}

// Reads the form into a set-up, noting the problems its lines and file
// have. The file's terms and closures are written back into the form's
// lines, so a form shown again with problems keeps them.
service::SchoolSetup SetupFrom(Fields& form, std::vector<SetupProblem>& problems) {
  service::SchoolSetup s;
  s.school.name = Get(form, "name");
  s.school.urn = Get(form, "urn");
  s.school.la_code = Get(form, "la");
  s.school.establishment_number = Get(form, "estab");
  s.school.phase = Get(form, "phase");
  s.school.address = Get(form, "address");
  s.school.postcode = Get(form, "postcode");
  s.am_start = Get(form, "am_start");
  s.pm_start = Get(form, "pm_start");
  s.register_close_minutes = NumberField(form, "register_close_minutes");
  s.am_opens_before_minutes = NumberField(form, "am_opens_before_minutes");
  s.pm_opens_before_minutes = NumberField(form, "pm_opens_before_minutes");
  s.head = {Get(form, "head_username"), Get(form, "head_name")};
  s.head_password = Get(form, "head_password");
  if (StatusOr<std::vector<store::Term>> terms = service::ParseTermLines(Get(form, "terms"));
      terms.ok()) {
    s.terms = std::move(*terms);
  } else {
    problems.push_back({"terms", terms.status().message()});
  }
  if (StatusOr<std::vector<store::Closure>> closures =
          service::ParseClosureLines(Get(form, "closures"));
      closures.ok()) {
    s.closures = std::move(*closures);
  } else {
    problems.push_back({"closures", closures.status().message()});
  }
  if (const std::string file = Get(form, "term_dates"); !file.empty()) {
    StatusOr<io::TermDates> dates = io::ReadTermDates(file);
    if (dates.ok()) {
      service::AddTermDates(*dates, s.terms, s.closures);
      form["terms"] = service::TermLines(s.terms);
      form["closures"] = service::ClosureLines(s.closures);
    } else {
      problems.push_back(
          {"term_dates", "The term-dates file cannot be read: " + dates.status().message()});
    }
  }
  if (StatusOr<std::vector<service::SetupClass>> classes =
          service::ParseClassLines(Get(form, "classes"));
      classes.ok()) {
    s.classes = std::move(*classes);
  } else {
    problems.push_back({"classes", classes.status().message()});
  }
  return s;
}

// The calendar page: the terms and closures as lines, and the form's problem.
struct CalendarPage {
  std::string csrf;
  std::string terms, closures;  // as lines
  Html message;                 // done, or what is wrong
};

Html CalendarForm(const CalendarPage& v) {
  return Html::Format(
      R"({}<p class="govuk-body">Change a term or closure below and save. A change is refused )"
      R"(while marks are recorded on a session it would close: amend those marks first.</p>)"
      R"(<form method="post" action="/settings/calendar">)"
      R"(<input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="terms">Terms</label>)"
      R"(<div id="terms-hint" class="govuk-hint">One a line: its name, first day and last day, )"
      R"(like "Autumn 1 2026, 2026-09-03, 2026-10-23"</div>)"
      R"(<textarea class="govuk-textarea" id="terms" name="terms" rows="8" )"
      R"(aria-describedby="terms-hint">{}</textarea></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="closures">Closures</label>)"
      R"(<div id="closures-hint" class="govuk-hint">One a line: the day and the reason, like )"
      R"("2026-10-19, INSET day"; "2026-11-05 PM, Polling station" for half a day; )"
      R"("2026-10-26 to 2026-10-30, Half term" for several</div>)"
      R"(<textarea class="govuk-textarea" id="closures" name="closures" rows="12" )"
      R"(aria-describedby="closures-hint">{}</textarea></div>)"
      R"(<button type="submit" class="govuk-button" data-module="govuk-button">Save the calendar)"
      R"(</button></form><p class="govuk-body"><a class="govuk-link" href="/settings">Back to )"
      R"(settings</a></p>)",
      v.message, v.csrf, v.terms, v.closures);
}

}  // namespace

std::optional<Response> App::WhileNotSetUp(const Call& call) {
  if (!needs_setup_) return std::nullopt;
  // Set up meanwhile by `rollcall init` in another process: served as usual
  // from now on (the school was read again before this request).
  if (!services_.setup().NeedsSetup()) {
    needs_setup_ = false;
    return std::nullopt;
  }
  const std::vector<std::string>& seg = call.target.segments;
  const std::string first = seg.empty() ? "" : seg[0];
  if (first == "setup" || first == "static" || first == "healthz") return std::nullopt;
  if (first == "api") {
    return ErrorResponse(core::Unavailable(
        core::kErrSchoolUnset, "this school is not set up yet: open /setup with the set-up code"));
  }
  return Redirect("/setup");
}

Response App::PageSetup(Call& call) {
  // Set up already: the start page, or the login for whoever has none.
  if (!needs_setup_) return Redirect("/");
  Fields form = call.req.method == http::verb::post ? AnyFormFields(call.req) : Fields();
  const std::string code =
      call.req.method == http::verb::post ? Get(form, "code") : Get(call.target.query, "code");
  if (code.empty() || !SecretEquals(code, setup_code_)) {
    return Layout(std::nullopt, "", "", "Set up your school", CodeNeeded(),
                  code.empty() ? http::status::ok : http::status::forbidden);
  }
  SetupPage page{code, {}, {}};
  if (call.req.method != http::verb::post) {
    page.values = {{"phase", "primary"},
                   {"am_start", "08:45"},
                   {"pm_start", "13:15"},
                   {"register_close_minutes", "30"},
                   {"am_opens_before_minutes", "15"},
                   {"pm_opens_before_minutes", "15"}};
    return Layout(std::nullopt, "", "", "Set up your school", SetupForm(page));
  }
  const service::SchoolSetup setup = SetupFrom(form, page.problems);
  for (SetupProblem& p : service::CheckSetup(setup)) {
    // A line that could not be read is the problem with its field, not its
    // absence.
    if (!ProblemWith(page.problems, p.field)) page.problems.push_back(std::move(p));
  }
  if (page.problems.empty()) {
    Status s = services_.setup().Create(setup);
    if (s.ok()) {
      needs_setup_ = false;
      return Redirect("/login");
    }
    page.problems.push_back({"name", s.message()});
  }
  page.values = std::move(form);
  return Layout(std::nullopt, "", "", "Set up your school", SetupForm(page),
                http::status::unprocessable_entity);
}

Response App::PageCalendar(Call& call) {
  StatusOr<service::CalendarView> current = services_.setup().Calendar(*call.who);
  if (!current.ok()) return Refused(call.who, call.csrf, SchoolName(), current.status());
  CalendarPage page{call.csrf, service::TermLines(current->terms),
                    service::ClosureLines(current->closures), Html()};
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const Fields form = FormFields(call.req);
    page.terms = Get(form, "terms");
    page.closures = Get(form, "closures");
    StatusOr<std::vector<store::Term>> terms = service::ParseTermLines(page.terms);
    StatusOr<std::vector<store::Closure>> closures = service::ParseClosureLines(page.closures);
    Status s = !terms.ok() ? Status(core::InvalidArgument(terms.status().code(),
                                                          "Terms, " + terms.status().message()))
               : !closures.ok()
                   ? Status(core::InvalidArgument(closures.status().code(),
                                                  "Closures, " + closures.status().message()))
                   : services_.setup().ChangeCalendar(*call.who, *terms, *closures);
    if (s.ok()) {
      page.message = SuccessBanner("Calendar saved.");
      // As saved: sorted, a range of days as one line each.
      StatusOr<service::CalendarView> saved = services_.setup().Calendar(*call.who);
      if (saved.ok()) {
        page.terms = service::TermLines(saved->terms);
        page.closures = service::ClosureLines(saved->closures);
      }
    } else {
      page.message = ErrorSummary(s.message(), "terms");
      status = s.kind() == core::ErrorKind::kConflict ? http::status::conflict
                                                      : http::status::unprocessable_entity;
    }
  }
  return Layout(call.who, call.csrf, SchoolName(), "Terms and closures", CalendarForm(page),
                status);
}

}  // namespace rollcall::web
