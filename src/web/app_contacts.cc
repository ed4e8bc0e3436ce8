// app_contacts.cc: a pupil's contact log (calls, texts, emails, letters, home
// visits, meetings and messages to parents) over the API, and the parents'
// view of the school's messages. The Today page, the pupil page and the API
// all record through service::Contacts, so a form and the API make exactly
// the same entry.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "core/error_codes.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

Response App::PostContact(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"method", "outcome", "contact", "note"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::ContactRequest request{.pupil_id = pupil_id};
  for (auto [key, field, required] :
       {std::tuple{"method", &request.method, true}, std::tuple{"outcome", &request.outcome, false},
        std::tuple{"contact", &request.contact, false}, std::tuple{"note", &request.note, false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  StatusOr<store::ContactLogEntry> e = services_.contacts().Add(*call.who, request);
  if (!e.ok()) return ErrorResponse(e.status());
  return JsonResponse(json{{"entry", ContactEntryJson(*e)}}.dump(), http::status::created);
}

json internal::PupilContactJson(const store::Contact& c) {
  return json{{"priority", c.priority},
              {"name", c.name},
              {"relationship", c.relationship},
              {"phone", c.phone},
              {"email", c.email},
              {"parental_responsibility", c.parental_responsibility},
              {"salutation", c.salutation},
              {"address", c.address},
              {"postcode", c.postcode}};
}

namespace {

// The body of POST .../contacts and PUT .../contacts/{n}: every field of
// the contact (a PUT replaces them all).
StatusOr<service::ContactDetails> ContactBody(const Request& req, int64_t pupil_id) {
  ASSIGN_OR_RETURN(nlohmann::json body, ObjectBody(req, {"name", "relationship", "phone", "email",
                                                         "parental_responsibility", "salutation",
                                                         "address", "postcode"}));
  service::ContactDetails d{.pupil_id = pupil_id};
  for (auto [key, field, required] :
       {std::tuple{"name", &d.name, true}, std::tuple{"relationship", &d.relationship, true},
        std::tuple{"phone", &d.phone, false}, std::tuple{"email", &d.email, false},
        std::tuple{"salutation", &d.salutation, false}, std::tuple{"address", &d.address, false},
        std::tuple{"postcode", &d.postcode, false}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, required));
  }
  const auto pr = body.find("parental_responsibility");
  if (pr == body.end() || !pr->is_boolean()) {
    return core::InvalidArgument(core::kErrRequiredKey,
                                 "'parental_responsibility' is required: true or false");
  }
  d.parental_responsibility = pr->get<bool>();
  return d;
}

}  // namespace

Response App::PostPupilContact(Call& call, int64_t pupil_id) {
  StatusOr<service::ContactDetails> d = ContactBody(call.req, pupil_id);
  if (!d.ok()) return ErrorResponse(d.status());
  StatusOr<store::Contact> c = services_.contacts().SaveContact(*call.who, *d);
  if (!c.ok()) return ErrorResponse(c.status());
  return JsonResponse(json{{"contact", PupilContactJson(*c)}}.dump(), http::status::created);
}

Response App::PutPupilContact(Call& call, const std::string& pupil, const std::string& position) {
  const std::optional<int64_t> pupil_id = ParseId(pupil);
  if (!pupil_id) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil + "'"));
  }
  StatusOr<service::ContactDetails> d = ContactBody(call.req, *pupil_id);
  if (!d.ok()) return ErrorResponse(d.status());
  const std::optional<int64_t> n = ParseId(position);
  d->position = n ? static_cast<size_t>(*n) : 0;  // 0 is no contact: refused by the service
  StatusOr<store::Contact> c = services_.contacts().SaveContact(*call.who, *d);
  if (!c.ok()) return ErrorResponse(c.status());
  return JsonResponse(json{{"contact", PupilContactJson(*c)}}.dump());
}

Response App::GetContactLog(Call& call, int64_t pupil_id) {
  StatusOr<service::ContactLogView> log = services_.contacts().Log(*call.who, pupil_id);
  if (!log.ok()) return ErrorResponse(log.status());
  json entries = json::array();
  for (const store::ContactLogEntry& e : log->entries) entries.push_back(ContactEntryJson(e));
  return JsonResponse(json{{"entries", std::move(entries)}}.dump());
}

Response App::GetMessages(Call& call, int64_t pupil_id) {
  StatusOr<std::vector<service::FamilyMessage>> messages =
      services_.contacts().Messages(*call.who, pupil_id);
  if (!messages.ok()) return ErrorResponse(messages.status());
  json list = json::array();
  for (const service::FamilyMessage& m : *messages) {
    list.push_back(json{{"at", IsoTime(m.at)}, {"from", m.from}, {"by", m.by}, {"text", m.text}});
  }
  return JsonResponse(json{{"messages", std::move(list)}}.dump());
}

}  // namespace rollcall::web

// ---------------------------------------------------------------------------
// Pages: the contact log on a pupil's page, calls from Today, parents' messages.

namespace rollcall::web {

using namespace internal;  // NOLINT

namespace {

const char* MethodLabel(store::ContactMethod m) {
  switch (m) {
    case store::ContactMethod::kCall:
      return "Phone call";
    case store::ContactMethod::kText:
      return "Text message";
    case store::ContactMethod::kEmail:
      return "Email";
    case store::ContactMethod::kLetter:
      return "Letter";
    case store::ContactMethod::kHomeVisit:
      return "Home visit";
    case store::ContactMethod::kMeeting:
      return "Meeting";
    case store::ContactMethod::kMessage:
      return "Message to parents";
  }
  core::Unreachable();
}

const char* OutcomeLabel(store::ContactOutcome o) {
  switch (o) {
    case store::ContactOutcome::kSpoke:
      return "spoke to them";
    case store::ContactOutcome::kNoAnswer:
      return "no answer";
    case store::ContactOutcome::kLeftMessage:
      return "left a message";
    case store::ContactOutcome::kSent:
      return "sent";
    case store::ContactOutcome::kSeen:
      return "child seen";
    case store::ContactOutcome::kNotSeen:
      return "child not seen";
    case store::ContactOutcome::kAttended:
      return "attended";
    case store::ContactOutcome::kDidNotAttend:
      return "did not attend";
  }
  core::Unreachable();
}

constexpr store::ContactMethod kAllMethods[] = {
    store::ContactMethod::kCall,   store::ContactMethod::kText,      store::ContactMethod::kEmail,
    store::ContactMethod::kLetter, store::ContactMethod::kHomeVisit, store::ContactMethod::kMeeting,
    store::ContactMethod::kMessage};

// <option>s naming each of the pupil's contacts, first contact first.
Html ContactOptions(const store::Pupil& p) {
  Html out;
  for (const store::Contact& c : p.contacts) {
    const std::string label = fmt::format("{} ({})", c.name, c.relationship);
    out += Html::Format(R"(<option value="{}">{}, {}</option>)", label, label, c.phone);
  }
  out += Html::Trusted(R"(<option value="">Someone else (say who in the note)</option>)");
  return out;
}

}  // namespace

std::string internal::ContactSummary(const store::ContactLogEntry& e, const std::string& when) {
  std::string out = fmt::format("{} {}", when, MethodLabel(e.method));
  if (!e.contact_name.empty()) out += " with " + e.contact_name;
  out += fmt::format(": {}.", OutcomeLabel(e.outcome));
  if (!e.note.empty()) out += " " + e.note;
  if (!out.ends_with('.')) out += ".";
  return out + fmt::format(" ({})", e.by_name);
}

std::string App::LocalTime(int64_t at) const {
  // Minutes between `at` and now, taken from now's local minute of the day.
  const int64_t now = clock_.NowSeconds();
  const int64_t minute = clock_.MinuteOfDay() - (now - at + 59) / 60;
  if (minute < 0) return MomentText(at);
  return TimeText(static_cast<int>(minute));
}

Html internal::CallForm(const std::string& csrf, const store::Pupil& p) {
  Html outcomes;
  for (store::ContactOutcome o : store::OutcomesOf(store::ContactMethod::kCall)) {
    outcomes += Html::Format(R"(<option value="{}">{}</option>)", store::ContactOutcomeName(o),
                             OutcomeLabel(o));
  }
  return Html::Format(
      R"(<form class="call-form" method="post" action="/today/call">)"
      R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="pupil" value="{}">)"
      R"(<label>Called <select name="contact">{}</select></label> )"
      R"(<label>Outcome <select name="outcome">{}</select></label> )"
      R"(<label>Note <input name="note" maxlength="2000" size="18"></label> )"
      R"(<label>Reason given <input name="reason" maxlength="500" size="14" placeholder="if they said why"></label> )"
      R"({}<button type="submit">Log call</button></form>)",
      csrf, p.id, ContactOptions(p), outcomes,
      DateInput(fmt::format("until-{}", p.id), "until", "Off until (the last day)", std::nullopt,
                false));
}

Html App::ContactLogSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::ContactLogView> log = services_.contacts().Log(*call.who, p.id);
  if (!log.ok()) {
    // Nothing for those who may not see the log.
    if (log.status().kind() == core::ErrorKind::kPermissionDenied ||
        log.status().code() == core::kErrPupilUnknown) {
      return Html();
    }
    return Html::Format(R"(<h2 id="contact-log">Contact log</h2>{})",
                        ErrorSummary(log.status().message()));
  }
  Html rows;
  for (const store::ContactLogEntry& e : log->entries) {
    rows += Html::Format(
        R"(<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} ({})</td></tr>)",
        MomentText(e.at), MethodLabel(e.method), e.contact_name, OutcomeLabel(e.outcome), e.note,
        e.by_name, service::RoleText(e.by_role));
  }
  Html form;
  if (log->may_record) {
    Html methods, outcomes;
    for (store::ContactMethod m : kAllMethods) {
      methods += Html::Format(R"(<option value="{}">{}</option>)", store::ContactMethodName(m),
                              MethodLabel(m));
    }
    for (store::ContactMethod m : kAllMethods) {
      for (store::ContactOutcome o : store::OutcomesOf(m)) {
        if (m != store::ContactMethod::kCall && o == store::ContactOutcome::kSent &&
            m != store::ContactMethod::kText) {
          continue;  // "sent" once is enough
        }
        outcomes += Html::Format(R"(<option value="{}">{}</option>)", store::ContactOutcomeName(o),
                                 OutcomeLabel(o));
      }
    }
    form = Html::Format(
        R"(<form class="stack" method="post" action="/pupils/{}/contact">)"
        R"(<input type="hidden" name="_csrf" value="{}"><h3>Record a contact</h3>)"
        R"(<label for="method">How</label><select id="method" name="method">{}</select>)"
        R"(<label for="contact">With</label><select id="contact" name="contact">{}</select>)"
        R"(<label for="outcome">Outcome</label><select id="outcome" name="outcome">{}</select>)"
        R"(<label for="note">Note (for a message to parents: the message they will read)</label>)"
        R"(<textarea id="note" name="note" rows="3" maxlength="2000"></textarea>)"
        R"(<p><button class="primary" type="submit">Save to the contact log</button></p></form>)",
        p.id, call.csrf, methods, ContactOptions(p), outcomes);
  }
  return Html::Format(
      R"(<h2 id="contact-log">Contact log</h2><div class="scroll"><table><thead><tr><th>When</th>)"
      R"(<th>How</th><th>With</th><th>Outcome</th><th>Note</th><th>By</th></tr></thead><tbody>{}</tbody>)"
      R"(</table></div>{})",
      rows.str().empty()
          ? Html::Trusted(R"(<tr><td colspan="6">No contact recorded yet.</td></tr>)")
          : rows,
      form);
}

Html App::MessagesSection(const Call& call, int64_t pupil_id) {
  StatusOr<std::vector<service::FamilyMessage>> messages =
      services_.contacts().Messages(*call.who, pupil_id);
  if (!messages.ok()) return Html();
  Html items;
  for (const service::FamilyMessage& m : *messages) {
    items += Html::Format(R"(<li class="msg-{}"><div class="muted">{}, {}</div>{}</li>)", m.from,
                          m.by, MomentText(m.at), m.text);
  }
  return Html::Format(R"(<h3>Messages</h3><ul class="messages">{}</ul>)",
                      items.str().empty() ? Html::Trusted("<li>No messages yet.</li>") : items);
}

namespace {

// One contact's form: the fields of a contact, filled in with `c`'s.
// `position` is the contact's ("" for a new one); ids are made unique by it.
Html ContactForm(const std::string& csrf, int64_t pupil_id, const std::string& position,
                 const store::Contact& c) {
  const std::string id = "contact-" + (position.empty() ? std::string("new") : position);
  const auto field = [&](const char* name, const char* label, const std::string& value,
                         const char* input_class, const Html& extra) {
    return Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-{}">{}</label>)"
        R"(<input class="{}" id="{}-{}" name="{}" value="{}"{}></div>)",
        id, name, label, input_class, id, name, name, value, extra);
  };
  const char* input = "govuk-input";
  return Html::Format(
      R"(<form class="stack contact-form" method="post" action="/pupils/{}/contacts">)"
      R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="position" value="{}">)"
      R"({}{})"
      R"(<div class="govuk-form-group govuk-checkboxes__item"><input class="govuk-checkboxes__input" type="checkbox" id="{}-pr" name="parental_responsibility" value="yes"{}>)"
      R"(<label class="govuk-label govuk-checkboxes__label" for="{}-pr">Has parental responsibility or care of the child: notices and letters go to them</label></div>)"
      R"({}{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-salutation">How letters greet them</label>)"
      R"(<div class="govuk-hint" id="{}-salutation-hint">For example, Dear Mrs Ali. Leave blank to use their name.</div>)"
      R"(<input class="govuk-input" id="{}-salutation" name="salutation" value="{}" maxlength="100" aria-describedby="{}-salutation-hint"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-address">Postal address (without the postcode)</label>)"
      R"(<textarea class="govuk-textarea" id="{}-address" name="address" rows="3" maxlength="500">{}</textarea></div>)"
      R"({}<button class="govuk-button" type="submit">Save contact</button></form>)",
      pupil_id, csrf, position,
      field("name", "Name", c.name, input, Html::Trusted(R"( required maxlength="200")")),
      field("relationship", "Relationship to the child", c.relationship, input,
            Html::Trusted(R"( required maxlength="100")")),
      id, c.parental_responsibility ? Html::Trusted(" checked") : Html(), id,
      field("phone", "Phone", c.phone, input, Html::Trusted(R"( type="tel" maxlength="40")")),
      field("email", "Email", c.email, input, Html::Trusted(R"( type="email" maxlength="200")")),
      id, id, id, c.salutation, id, id, id, c.address,
      field("postcode", "Postcode", c.postcode, "govuk-input govuk-input--width-10",
            Html::Trusted(R"( maxlength="10" autocomplete="postal-code")")));
}

// The contact's address and postcode on one line: "12 Mill Lane, Carlisle, CA1 2AB".
std::string AddressLine(const store::Contact& c) {
  const std::string block = store::AddressBlockOf(c);  // the name, then a line each
  std::string out;
  for (size_t at = block.find('\n'); at != std::string::npos;) {
    const size_t next = block.find('\n', at + 1);
    out += (out.empty() ? "" : ", ") +
           block.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    at = next;
  }
  return out;
}

}  // namespace

Html App::ContactsSection(const Call& call, const store::Pupil& p) {
  const bool may_edit = services_.contacts().MayEditContacts(*call.who, p.id);
  Html items;
  bool any_parent = false;
  for (size_t n = 0; n < p.contacts.size(); ++n) {
    const store::Contact& c = p.contacts[n];
    any_parent = any_parent || c.parental_responsibility;
    const std::string address = AddressLine(c);
    const Html address_html = address.empty() ? Html() : Html::Format("<br>{}", address);
    items += Html::Format(
        R"(<li id="contact-{}" class="govuk-body">{} ({}) {}<br>{} {}{}<br><span class="govuk-hint">Letters: {},</span>{}</li>)",
        n + 1, c.name, c.relationship,
        c.parental_responsibility
            ? Html::Trusted(R"(<strong class="govuk-tag">Parental responsibility</strong>)")
            : Html::Trusted(
                  R"(<strong class="govuk-tag govuk-tag--grey">No parental responsibility</strong>)"),
        c.phone, c.email, address_html, store::SalutationOf(c),
        may_edit
            ? Html::Format(
                  R"(<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Change {}'s details</span></summary><div class="govuk-details__text">{}</div></details>)",
                  c.name, ContactForm(call.csrf, p.id, std::to_string(n + 1), c))
            : Html());
  }
  const Html warning =
      any_parent
          ? Html()
          : Html::Trusted(
                R"(<p class="govuk-body" id="no-parent"><strong class="govuk-tag govuk-tag--red">No parent recorded</strong> )"
                R"(No contact is recorded as having parental responsibility, so no letter or notice )"
                R"(can go to a parent: record who has it below.</p>)");
  return Html::Format(
      R"(<h2 id="contacts">Contacts</h2>{}<ol class="contacts">{}</ol>{})", warning,
      items.str().empty() ? Html::Trusted(R"(<li class="govuk-body">None recorded.</li>)") : items,
      may_edit
          ? Html::Format(
                R"(<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Add a contact</span></summary><div class="govuk-details__text">{}</div></details>)",
                ContactForm(call.csrf, p.id, "", store::Contact{}))
          : Html());
}

// POST /pupils/{id}/contacts: changes the contact at the form's position
// (or adds one), through service::Contacts as the API does.
Response App::PageSaveContact(Call& call, const std::string& pupil_text) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  service::ContactDetails d{.pupil_id = *pupil_id,
                            .name = form["name"],
                            .relationship = form["relationship"],
                            .phone = form["phone"],
                            .email = form["email"],
                            .parental_responsibility = !form["parental_responsibility"].empty(),
                            .salutation = form["salutation"],
                            .address = form["address"],
                            .postcode = form["postcode"]};
  if (!form["position"].empty()) {
    const std::optional<int64_t> n = ParseId(form["position"]);
    d.position = n ? static_cast<size_t>(*n) : 0;
  }
  StatusOr<store::Contact> c = services_.contacts().SaveContact(*call.who, d);
  if (!c.ok()) {
    return Layout(
        call.who, call.csrf, "", "Contact not saved",
        Html::Format(
            R"(<div class="govuk-error-summary" role="alert"><h2 class="govuk-error-summary__title">The contact was not saved</h2>)"
            R"(<p class="govuk-body error">{}</p></div><p class="govuk-body"><a class="govuk-link" href="/pupils/{}#contacts">Back to the pupil</a></p>)",
            c.status().message(), *pupil_id),
        HttpStatusFor(c.status().kind()));
  }
  return Redirect(fmt::format("/pupils/{}#contacts", *pupil_id));
}

// POST /today/call and /pupils/{id}/contact: the form goes through
// service::Contacts, exactly as the API's POST .../contact-log.
Response App::PageRecordContact(Call& call, const std::string& pupil_text, bool from_today) {
  std::map<std::string, std::string> form = FormFields(call.req);
  std::optional<int64_t> pupil_id = ParseId(from_today ? form["pupil"] : pupil_text);
  if (!pupil_id) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  // A reason given on the phone becomes an absence report, which Today then
  // offers to confirm with the code the reason suggests, as a parent's own.
  StatusOr<store::ContactLogEntry> e =
      from_today ? services_.contacts().LogCall(*call.who, {.pupil_id = *pupil_id,
                                                            .outcome = form["outcome"],
                                                            .contact = form["contact"],
                                                            .note = form["note"],
                                                            .reason = form["reason"],
                                                            .until = form["until"]})
                 : services_.contacts().Add(*call.who, {.pupil_id = *pupil_id,
                                                        .method = form["method"],
                                                        .outcome = form["outcome"],
                                                        .contact = form["contact"],
                                                        .note = form["note"]});
  if (!e.ok()) {
    return NotSaved(call.who, call.csrf, e.status(),
                    from_today ? std::string("/today") : fmt::format("/pupils/{}", *pupil_id));
  }
  return from_today
             ? RedirectDone(fmt::format("/today#pupil-{}", *pupil_id), Done::kCallLogged)
             : RedirectDone(fmt::format("/pupils/{}#contact-log", *pupil_id), Done::kContactSaved);
}

}  // namespace rollcall::web
