// app_admissions.cc: the admission register in the web app and the API:
// admitting a pupil (/pupils/new, POST /api/v1/pupils), correcting an entry
// with the reason (/pupils/{id}/edit, PUT /api/v1/pupils/{id}), taking a
// pupil off the roll on a ground (/pupils/{id}/leave, POST
// /api/v1/pupils/{id}/leave), and the entry with its history on the pupil's
// page. Every form and the API go through service::Admissions, so both are
// checked and kept alike.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr int kFormContacts = 3;  // contact rows on the admission form

using ClassList = std::vector<std::pair<int64_t, std::string>>;

Html TextInput(const std::string& id, const std::string& label, const std::string& value,
               const char* width = "govuk-input--width-20", const std::string& hint = "") {
  return Html::Format(
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}">{}</label>{})"
      R"(<input class="govuk-input {}" id="{}" name="{}" type="text" value="{}"></div>)",
      id, label, hint.empty() ? Html() : Html::Format(R"(<div class="govuk-hint">{}</div>)", hint),
      width, id, id, value);
}

std::optional<Date> DateOf(const std::string& text) { return Date::Parse(text); }

// The pupil's own entries: the same fields on the admission and edit forms.
Html EntryFields(const service::AdmissionForm& f, const ClassList& classes) {
  Html sex;
  for (const auto& [value, label] : {std::pair{"F", "Female"}, std::pair{"M", "Male"}}) {
    sex += Html::Format(
        R"(<div class="govuk-radios__item"><input class="govuk-radios__input" id="sex-{}" )"
        R"(name="sex" type="radio" value="{}"{}><label class="govuk-label govuk-radios__label" )"
        R"(for="sex-{}">{}</label></div>)",
        value, value, f.sex == value ? Html::Trusted(" checked") : Html(), value, label);
  }
  Html years;
  for (int y = 0; y <= 13; ++y) {
    const std::string value = y == 0 ? "R" : std::to_string(y);
    years += Html::Format(R"(<option value="{}"{}>{}</option>)", value,
                          f.year_group == value ? Html::Trusted(" selected") : Html(),
                          service::YearGroupName(y));
  }
  Html class_options = Html::Trusted(R"(<option value="">No class yet</option>)");
  for (const auto& [id, name] : classes) {
    class_options +=
        Html::Format(R"(<option value="{}"{}>{}</option>)", id,
                     f.class_id == std::to_string(id) ? Html::Trusted(" selected") : Html(), name);
  }
  return TextInput("upn", "UPN (unique pupil number)", f.upn, "govuk-input--width-20",
                   "13 characters, starting with its check letter, for example A909123426001") +
         TextInput("legal_given_name", "Legal first name", f.legal_given_name) +
         TextInput("legal_family_name", "Legal last name", f.legal_family_name) +
         TextInput("preferred_given_name", "Preferred first name (if different)",
                   f.preferred_given_name) +
         TextInput("preferred_family_name", "Preferred last name (if different)",
                   f.preferred_family_name) +
         Html::Format(
             R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset">)"
             R"(<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Sex</legend>)"
             R"(<div class="govuk-radios govuk-radios--inline">{}</div></fieldset></div>)",
             sex) +
         DateInput("date_of_birth", "date_of_birth", "Date of birth", DateOf(f.date_of_birth)) +
         Html::Format(
             R"(<div class="govuk-form-group"><label class="govuk-label" for="year_group">Year )"
             R"(group</label><select class="govuk-select" id="year_group" name="year_group">{})"
             R"(</select></div><div class="govuk-form-group"><label class="govuk-label" )"
             R"(for="class_id">Class</label><select class="govuk-select" id="class_id" )"
             R"(name="class_id">{}</select></div>)",
             years, class_options) +
         DateInput("start", "start", "Starting day", DateOf(f.start)) +
         TextInput("previous_school", "Previous school (if any)", f.previous_school) +
         Html::Format(
             R"(<div class="govuk-form-group"><div class="govuk-checkboxes">{}</div></div>)",
             Checkbox("boarder", "Boarder", f.boarder));
}

Html ContactFields(const service::AdmissionForm& f) {
  Html out;
  for (int i = 0; i < kFormContacts; ++i) {
    const service::AdmissionContact c = static_cast<size_t>(i) < f.contacts.size()
                                            ? f.contacts[static_cast<size_t>(i)]
                                            : service::AdmissionContact{};
    const std::string k = fmt::format("contact{}_", i + 1);
    out += Html::Format(
        R"(<fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend )"
        R"(govuk-fieldset__legend--m">Contact {}{}</legend>{}{}{}{}{})"
        R"(<div class="govuk-form-group"><label class="govuk-label" for="{}address">Address</label>)"
        R"(<textarea class="govuk-textarea" id="{}address" name="{}address" rows="3">{}</textarea></div>)"
        R"({}<div class="govuk-form-group"><div class="govuk-checkboxes">{}{}{}</div></div></fieldset>)",
        i + 1, i == 0 ? "" : " (leave blank if none)", TextInput(k + "name", "Name", c.name),
        TextInput(k + "relationship", "Relationship to the pupil", c.relationship,
                  "govuk-input--width-10", "For example, Mother"),
        TextInput(k + "phone", "Phone", c.phone, "govuk-input--width-20"),
        TextInput(k + "other_phone", "Other phone", c.other_phone, "govuk-input--width-20"),
        TextInput(k + "email", "Email", c.email), k, k, k, c.address,
        TextInput(k + "postcode", "Postcode", c.postcode, "govuk-input--width-10"),
        Checkbox(k + "parental_responsibility", "Has parental responsibility",
                 c.parental_responsibility),
        Checkbox(k + "lives_with", "The pupil lives with them", c.lives_with),
        Checkbox(k + "emergency", "Emergency contact", c.emergency));
  }
  return out;
}

// The admission form, with the values typed and the problem when there is one.
Html AdmitPage(const std::string& csrf, const service::AdmissionForm& f, const ClassList& classes,
               const std::string& problem) {
  return Html::Format(
      R"({}<p class="govuk-body">Every entry the admission register must hold. The pupil is on )"
      R"(roll from their starting day.</p><form method="post" action="/pupils/new" novalidate>)"
      R"(<input type="hidden" name="_csrf" value="{}">{}{})"
      R"(<button class="govuk-button" data-module="govuk-button" type="submit">Admit the pupil</button></form>)",
      problem.empty() ? Html() : ErrorSummary(problem), csrf, EntryFields(f, classes),
      ContactFields(f));
}

Html EditPage(const std::string& csrf, int64_t pupil_id, const service::EditForm& f,
              const ClassList& classes, const std::string& problem) {
  return Html::Format(
      R"({}<p class="govuk-body">Correct the entry. The old and new values are kept with the )"
      R"(reason, who changed them and when. Contacts are changed on the pupil's page.</p>)"
      R"(<form method="post" action="/pupils/{}/edit" novalidate>)"
      R"(<input type="hidden" name="_csrf" value="{}">{})"
      R"(<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="reason">)"
      R"(Reason for the change</label><input class="govuk-input" id="reason" name="reason" )"
      R"(type="text" value="{}"></div>)"
      R"(<button class="govuk-button" data-module="govuk-button" type="submit">Save the correction</button>)"
      R"( <a class="govuk-link" href="/pupils/{}">Cancel</a></form>)",
      problem.empty() ? Html() : ErrorSummary(problem, "reason"), pupil_id, csrf,
      EntryFields(f.entry, classes), f.reason, pupil_id);
}

Html LeavePage(const std::string& csrf, int64_t pupil_id, const std::string& name,
               const service::LeaveForm& f, const std::string& problem) {
  Html grounds;
  for (const service::DeletionGround& g : service::DeletionGrounds()) {
    const std::string letter(1, g.letter);
    grounds += Html::Format(
        R"(<div class="govuk-radios__item"><input class="govuk-radios__input" id="ground-{}" )"
        R"(name="ground" type="radio" value="{}" aria-describedby="ground-{}-hint"{}>)"
        R"(<label class="govuk-label govuk-radios__label" for="ground-{}">({}) {}</label>)"
        R"(<div class="govuk-hint govuk-radios__hint" id="ground-{}-hint">{}</div></div>)",
        letter, letter, letter, f.ground == letter ? Html::Trusted(" checked") : Html(), letter,
        letter, g.words, letter, g.conditions);
  }
  return Html::Format(
      R"({}<p class="govuk-body">Take {} off the admission register. A pupil leaves the roll only )"
      R"(when one of these grounds is met, promptly and never backdated. The local authority is )"
      R"(told and a Common Transfer File is owed.</p>)"
      R"(<form method="post" action="/pupils/{}/leave" novalidate><input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><fieldset class="govuk-fieldset"><legend class="govuk-fieldset__legend )"
      R"(govuk-fieldset__legend--m">Ground</legend><div class="govuk-radios" id="ground">{}</div></fieldset></div>)"
      R"({}{}{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="evidence">Evidence</label>)"
      R"(<div class="govuk-hint">What shows the ground is met: a letter, a call, a decision, with its date.</div>)"
      R"(<textarea class="govuk-textarea" id="evidence" name="evidence" rows="3">{}</textarea></div>)"
      R"(<button class="govuk-button govuk-button--warning" data-module="govuk-button" type="submit">)"
      R"(Take off the roll</button> <a class="govuk-link" href="/pupils/{}">Cancel</a></form>)",
      problem.empty() ? Html() : ErrorSummary(problem, "ground"), name, pupil_id, csrf, grounds,
      DateInput("last_day", "last_day", "Last day on roll", DateOf(f.last_day)),
      TextInput("destination", "Destination: the new school, or where the pupil went",
                f.destination, "govuk-input--width-30"),
      DateInput("notice_date", "notice_date",
                "Ground (f) only: the date of the parent's written notice", DateOf(f.notice_date),
                false),
      f.evidence, pupil_id);
}

// The entry and its changes on the pupil's page.
Html EntrySection(const service::AdmissionEntryView& v) {
  const store::Pupil& p = v.pupil;
  const auto row = [](const char* key, const Html& value) {
    return Html::Format(
        R"(<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{}</dt>)"
        R"(<dd class="govuk-summary-list__value">{}</dd></div>)",
        key, value);
  };
  Html parents;
  for (const store::Contact& c : p.contacts) {
    std::string notes;
    for (const auto& [flag, words] :
         {std::pair{c.parental_responsibility, "parental responsibility"},
          std::pair{c.lives_with, "lives with"}, std::pair{c.emergency, "emergency contact"}}) {
      if (flag) notes += std::string(notes.empty() ? "" : ", ") + words;
    }
    parents +=
        Html::Format(R"(<div>{} ({}){}{}</div>)", c.name, c.relationship,
                     c.phone.empty() ? "" : ", " + c.phone, notes.empty() ? "" : "; " + notes);
  }
  Html left;
  if (v.left) {
    left = row("Left", Html::Format("{}: ground ({}); destination: {}", LongDate(*v.left->end),
                                    v.left->deletion_ground, v.left->destination));
  }
  Html changes;
  for (const service::AdmissionChangeLine& c : v.changes) {
    changes +=
        Html::Format(R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
                     R"(<td class="govuk-table__cell">{}</td></tr>)",
                     MomentText(c.at), c.field, c.before, c.after, c.reason, c.by);
  }
  Html actions;
  if (v.may_edit) {
    actions += Html::Format(
        R"(<a class="govuk-button govuk-button--secondary" href="/pupils/{}/edit">Correct the entry</a> )",
        p.id);
  }
  if (v.may_remove) {
    actions += Html::Format(
        R"(<a class="govuk-button govuk-button--warning" href="/pupils/{}/leave">Take off the roll</a>)",
        p.id);
  }
  return Html::Format(
      R"(<h2 class="govuk-heading-m" id="admission">Admission register</h2><dl class="govuk-summary-list">{}{}{}{}{}{}{}{}</dl>)"
      R"(<div class="govuk-button-group">{}</div>)"
      R"(<h3 class="govuk-heading-s">Changes to the entry</h3><div class="scroll"><table class="govuk-table">)"
      R"(<thead class="govuk-table__head"><tr class="govuk-table__row"><th class="govuk-table__header">When</th>)"
      R"(<th class="govuk-table__header">Entry</th><th class="govuk-table__header">Was</th>)"
      R"(<th class="govuk-table__header">Now</th><th class="govuk-table__header">Reason</th>)"
      R"(<th class="govuk-table__header">By</th></tr></thead><tbody class="govuk-table__body">{}</tbody></table></div>)",
      row("Legal name", Html::Format("{} {}", p.legal_given_name, p.legal_family_name)),
      row("Sex", Html::Text(p.sex == "F" ? "Female" : (p.sex == "M" ? "Male" : p.sex))),
      row("Date of birth", Html::Text(LongDate(p.date_of_birth))),
      row("Starting day", Html::Text(v.start ? LongDate(*v.start) : "not recorded")),
      row("Previous school", Html::Text(p.previous_school.empty() ? "none" : p.previous_school)),
      row("Boarder", Html::Text(p.boarder ? "yes" : "no")),
      row("Parents and contacts", parents.str().empty() ? Html::Text("none") : parents), left,
      actions,
      changes.str().empty()
          ? Html::Trusted(
                R"(<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="6">None.</td></tr>)")
          : changes);
}

// The admission form's fields as typed.
service::AdmissionForm AdmissionFormOf(const std::map<std::string, std::string>& form) {
  service::AdmissionForm f;
  for (auto [key, field] :
       {std::pair{"upn", &f.upn}, std::pair{"legal_given_name", &f.legal_given_name},
        std::pair{"legal_family_name", &f.legal_family_name},
        std::pair{"preferred_given_name", &f.preferred_given_name},
        std::pair{"preferred_family_name", &f.preferred_family_name}, std::pair{"sex", &f.sex},
        std::pair{"date_of_birth", &f.date_of_birth}, std::pair{"year_group", &f.year_group},
        std::pair{"class_id", &f.class_id}, std::pair{"start", &f.start},
        std::pair{"previous_school", &f.previous_school}}) {
    *field = Get(form, key);
  }
  f.boarder = !Get(form, "boarder").empty();
  for (int i = 1; i <= kFormContacts; ++i) {
    const std::string k = fmt::format("contact{}_", i);
    service::AdmissionContact c;
    c.name = Get(form, k + "name");
    c.relationship = Get(form, k + "relationship");
    c.phone = Get(form, k + "phone");
    c.other_phone = Get(form, k + "other_phone");
    c.email = Get(form, k + "email");
    c.address = Get(form, k + "address");
    c.postcode = Get(form, k + "postcode");
    c.parental_responsibility = !Get(form, k + "parental_responsibility").empty();
    c.lives_with = !Get(form, k + "lives_with").empty();
    c.emergency = !Get(form, k + "emergency").empty();
    f.contacts.push_back(std::move(c));
  }
  return f;
}

service::LeaveForm LeaveFormOf(const std::map<std::string, std::string>& form) {
  return {Get(form, "ground"), Get(form, "last_day"), Get(form, "destination"),
          Get(form, "notice_date"), Get(form, "evidence")};
}

// A text member of the API's body that may be given as a number (year
// group, class id): as its decimal text; "" when absent or null.
StatusOr<std::string> TextOrNumber(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return StringField(body, key, false);
}

// The pupil's own entries from an API body (POST and PUT alike).
StatusOr<service::AdmissionForm> EntryFromJson(const nlohmann::json& body) {
  service::AdmissionForm f;
  for (auto [key, field] :
       {std::pair{"upn", &f.upn}, std::pair{"legal_given_name", &f.legal_given_name},
        std::pair{"legal_family_name", &f.legal_family_name},
        std::pair{"preferred_given_name", &f.preferred_given_name},
        std::pair{"preferred_family_name", &f.preferred_family_name}, std::pair{"sex", &f.sex},
        std::pair{"date_of_birth", &f.date_of_birth}, std::pair{"start", &f.start},
        std::pair{"previous_school", &f.previous_school}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, false));
  }
  ASSIGN_OR_RETURN(f.year_group, TextOrNumber(body, "year_group"));
  ASSIGN_OR_RETURN(f.class_id, TextOrNumber(body, "class_id"));
  ASSIGN_OR_RETURN(f.boarder, TrueOrFalse(body, "boarder", false));
  return f;
}

}  // namespace

// --- API ----------------------------------------------------------------------------

Response App::PostPupil(Call& call) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"upn", "legal_given_name", "legal_family_name", "preferred_given_name",
                            "preferred_family_name", "sex", "date_of_birth", "year_group",
                            "class_id", "start", "previous_school", "boarder", "contacts"});
  if (!body.ok()) return ErrorResponse(body.status());
  StatusOr<service::AdmissionForm> f = EntryFromJson(*body);
  if (!f.ok()) return ErrorResponse(f.status());
  const auto contacts = body->find("contacts");
  if (contacts != body->end() && !contacts->is_null()) {
    if (!contacts->is_array()) {
      return ErrorResponse(
          core::InvalidArgument(core::kErrJsonType, "'contacts' must be a list of contacts"));
    }
    for (const nlohmann::json& c : *contacts) {
      if (!c.is_object()) {
        return ErrorResponse(
            core::InvalidArgument(core::kErrJsonType, "each contact must be an object"));
      }
      service::AdmissionContact contact;
      for (auto [key, field] :
           {std::pair{"name", &contact.name}, std::pair{"relationship", &contact.relationship},
            std::pair{"phone", &contact.phone}, std::pair{"other_phone", &contact.other_phone},
            std::pair{"email", &contact.email}, std::pair{"address", &contact.address},
            std::pair{"postcode", &contact.postcode}}) {
        StatusOr<std::string> value = StringField(c, key, false);
        if (!value.ok()) return ErrorResponse(value.status());
        *field = *value;
      }
      for (auto [key, field] :
           {std::pair{"parental_responsibility", &contact.parental_responsibility},
            std::pair{"lives_with", &contact.lives_with},
            std::pair{"emergency", &contact.emergency}}) {
        StatusOr<bool> value = TrueOrFalse(c, key, false);
        if (!value.ok()) return ErrorResponse(value.status());
        *field = *value;
      }
      f->contacts.push_back(std::move(contact));
    }
  }
  StatusOr<int64_t> id = services_.admissions().Admit(*call.who, *f);
  if (!id.ok()) return ErrorResponse(id.status());
  return JsonResponse(json{{"id", *id}}.dump(), http::status::created);
}

Response App::PutPupil(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"upn", "legal_given_name", "legal_family_name", "preferred_given_name",
                            "preferred_family_name", "sex", "date_of_birth", "year_group",
                            "class_id", "start", "previous_school", "boarder", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::EditForm f;
  StatusOr<service::AdmissionForm> entry = EntryFromJson(*body);
  if (!entry.ok()) return ErrorResponse(entry.status());
  f.entry = *entry;
  StatusOr<std::string> reason = StringField(*body, "reason", false);
  if (!reason.ok()) return ErrorResponse(reason.status());
  f.reason = *reason;
  if (Status s = services_.admissions().Edit(*call.who, pupil_id, f); !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"id", pupil_id}}.dump());
}

Response App::PostPupilLeave(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body =
      ObjectBody(call.req, {"ground", "last_day", "destination", "notice_date", "evidence"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::LeaveForm f;
  for (auto [key, field] :
       {std::pair{"ground", &f.ground}, std::pair{"last_day", &f.last_day},
        std::pair{"destination", &f.destination}, std::pair{"notice_date", &f.notice_date},
        std::pair{"evidence", &f.evidence}}) {
    StatusOr<std::string> value = StringField(*body, key, false);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  if (Status s = services_.admissions().RemoveFromRoll(*call.who, pupil_id, f); !s.ok()) {
    return ErrorResponse(s);
  }
  return JsonResponse(json{{"id", pupil_id}, {"last_day", f.last_day}}.dump());
}

// --- Pages --------------------------------------------------------------------------

Html App::AdmissionSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::AdmissionEntryView> v = services_.admissions().Entry(*call.who, p.id);
  return v.ok() ? EntrySection(*v) : Html();
}

Response App::PageAdmit(Call& call) {
  service::Admissions& admissions = services_.admissions();
  if (!admissions.MayAdmit(*call.who)) {
    return Refused(
        call.who, call.csrf, SchoolName(),
        core::PermissionDenied(core::kErrForbidden, "Only the office and the head admit pupils."));
  }
  service::AdmissionForm f;
  std::string problem;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    f = AdmissionFormOf(FormFields(call.req));
    StatusOr<int64_t> id = admissions.Admit(*call.who, f);
    if (id.ok()) return RedirectDone(fmt::format("/pupils/{}", *id), Done::kPupilAdmitted);
    problem = id.status().message();
    status = HttpStatusFor(id.status().kind());
  } else {
    f.start = clock_.Today().ToString();
  }
  return Layout(call.who, call.csrf, SchoolName(), "Admit a pupil",
                AdmitPage(call.csrf, f, admissions.Classes(), problem), status);
}

Response App::PageEditPupil(Call& call, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  if (!id) {
    return Refused(call.who, call.csrf, SchoolName(),
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  service::Admissions& admissions = services_.admissions();
  StatusOr<service::EditForm> f = admissions.FormOf(*call.who, *id);
  if (!f.ok()) return Refused(call.who, call.csrf, SchoolName(), f.status());
  std::string problem;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    const std::map<std::string, std::string> form = FormFields(call.req);
    service::AdmissionForm typed = AdmissionFormOf(form);
    typed.contacts.clear();
    f->entry = std::move(typed);
    f->reason = Get(form, "reason");
    const Status s = admissions.Edit(*call.who, *id, *f);
    if (s.ok()) return RedirectDone(fmt::format("/pupils/{}#admission", *id), Done::kPupilEdited);
    problem = s.message();
    status = HttpStatusFor(s.kind());
  }
  return Layout(call.who, call.csrf, SchoolName(), "Correct the admission register entry",
                EditPage(call.csrf, *id, *f, admissions.Classes(), problem), status);
}

Response App::PageLeaveRoll(Call& call, const std::string& id_text) {
  const std::optional<int64_t> id = ParseId(id_text);
  if (!id) {
    return Refused(call.who, call.csrf, SchoolName(),
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  service::Admissions& admissions = services_.admissions();
  StatusOr<service::AdmissionEntryView> v = admissions.Entry(*call.who, *id);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  service::LeaveForm f;
  std::string problem;
  http::status status = http::status::ok;
  if (call.req.method == http::verb::post) {
    f = LeaveFormOf(FormFields(call.req));
    const Status s = admissions.RemoveFromRoll(*call.who, *id, f);
    if (s.ok()) return RedirectDone(fmt::format("/pupils/{}#admission", *id), Done::kPupilLeft);
    problem = s.message();
    status = HttpStatusFor(s.kind());
  } else {
    f.last_day = clock_.Today().ToString();
    if (!v->may_remove) {
      return Refused(call.who, call.csrf, SchoolName(),
                     core::Conflict(core::kErrPupilNotOnRoll,
                                    "The pupil is not on roll, or you may not take them off it."));
    }
  }
  return Layout(call.who, call.csrf, SchoolName(), "Take a pupil off the roll",
                LeavePage(call.csrf, *id, service::DisplayName(v->pupil), f, problem), status);
}

}  // namespace rollcall::web
