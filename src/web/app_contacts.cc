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
#include "core/uk_time.h"
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
              {"other_phone", c.other_phone},
              {"email", c.email},
              {"parental_responsibility", c.parental_responsibility},
              {"lives_with", c.lives_with},
              {"emergency", c.emergency},
              {"confirmed_on", c.confirmed_on ? json(c.confirmed_on->ToString()) : json(nullptr)},
              {"salutation", c.salutation},
              {"address", c.address},
              {"postcode", c.postcode},
              {"preferred_channel", c.preferred_channel},
              {"optional_opt_out", c.optional_opt_out},
              {"messages_without_pr", c.messages_without_pr},
              {"consent_at", c.consent_at ? json(IsoTime(*c.consent_at)) : json(nullptr)},
              {"consent_by", c.consent_by},
              {"consent_note", c.consent_note}};
}

namespace {

// The body of POST .../contacts and PUT .../contacts/{n}: every field of
// the contact (a PUT replaces them all; left out, a flag is false and a
// text empty).
StatusOr<service::ContactDetails> ContactBody(const Request& req, int64_t pupil_id) {
  ASSIGN_OR_RETURN(nlohmann::json body,
                   ObjectBody(req, {"name", "relationship", "phone", "other_phone", "email",
                                    "parental_responsibility", "lives_with", "emergency",
                                    "confirmed", "salutation", "address", "postcode", "reason",
                                    "priority", "preferred_channel", "optional_opt_out",
                                    "messages_without_pr", "record_consent", "consent_note"}));
  service::ContactDetails d{.pupil_id = pupil_id};
  for (auto [key, field, required] :
       {std::tuple{"name", &d.name, true}, std::tuple{"relationship", &d.relationship, true},
        std::tuple{"phone", &d.phone, false}, std::tuple{"other_phone", &d.other_phone, false},
        std::tuple{"email", &d.email, false}, std::tuple{"salutation", &d.salutation, false},
        std::tuple{"address", &d.address, false}, std::tuple{"postcode", &d.postcode, false},
        std::tuple{"reason", &d.reason, false},
        std::tuple{"preferred_channel", &d.preferred_channel, false},
        std::tuple{"consent_note", &d.consent_note, false}}) {
    ASSIGN_OR_RETURN(*field, StringField(body, key, required));
  }
  ASSIGN_OR_RETURN(d.parental_responsibility,
                   TrueOrFalse(body, "parental_responsibility", std::nullopt));
  ASSIGN_OR_RETURN(d.lives_with, TrueOrFalse(body, "lives_with", false));
  ASSIGN_OR_RETURN(d.emergency, TrueOrFalse(body, "emergency", false));
  ASSIGN_OR_RETURN(d.confirmed, TrueOrFalse(body, "confirmed", false));
  ASSIGN_OR_RETURN(d.optional_opt_out, TrueOrFalse(body, "optional_opt_out", false));
  ASSIGN_OR_RETURN(d.messages_without_pr, TrueOrFalse(body, "messages_without_pr", false));
  ASSIGN_OR_RETURN(d.record_consent, TrueOrFalse(body, "record_consent", false));
  if (const auto priority = body.find("priority"); priority != body.end()) {
    if (!priority->is_number_integer() || priority->get<int64_t>() < 1) {
      return core::InvalidArgument(core::kErrJsonType,
                                   "'priority' must be a whole number: 1 is called first");
    }
    d.priority = static_cast<size_t>(priority->get<int64_t>());
  }
  return d;
}

// The pupil's contacts as the API gives them after a change.
Response ContactsResponse(service::Contacts& contacts, const Principal& who, int64_t pupil_id) {
  StatusOr<service::ContactsView> v = contacts.View(who, pupil_id);
  if (!v.ok()) return ErrorResponse(v.status());
  json list = json::array();
  for (const store::Contact& c : v->contacts) list.push_back(PupilContactJson(c));
  return JsonResponse(json{{"contacts", std::move(list)}}.dump());
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

Response App::DeletePupilContact(Call& call, const std::string& pupil,
                                 const std::string& position) {
  const std::optional<int64_t> pupil_id = ParseId(pupil);
  if (!pupil_id) {
    return ErrorResponse(
        core::NotFound(core::kErrPupilUnknown, "no pupil with id '" + pupil + "'"));
  }
  const std::optional<int64_t> n = ParseId(position);
  const Status s = services_.contacts().RemoveContact(
      *call.who, *pupil_id, n ? static_cast<size_t>(*n) : 0, Get(call.target.query, "reason"));
  if (!s.ok()) return ErrorResponse(s);
  return ContactsResponse(services_.contacts(), *call.who, *pupil_id);
}

Response App::PostConfirmContacts(Call& call, int64_t pupil_id) {
  if (Status s = services_.contacts().ConfirmContacts(*call.who, pupil_id); !s.ok()) {
    return ErrorResponse(s);
  }
  return ContactsResponse(services_.contacts(), *call.who, pupil_id);
}

Response App::PostPupilFlag(Call& call, int64_t pupil_id) {
  StatusOr<nlohmann::json> body = ObjectBody(call.req, {"flag", "from", "to", "reason"});
  if (!body.ok()) return ErrorResponse(body.status());
  service::FlagChange change{.pupil_id = pupil_id};
  std::string from, to;
  for (auto [key, field, required] :
       {std::tuple{"flag", &change.flag, true}, std::tuple{"from", &from, false},
        std::tuple{"to", &to, false}, std::tuple{"reason", &change.reason, false}}) {
    StatusOr<std::string> value = StringField(*body, key, required);
    if (!value.ok()) return ErrorResponse(value.status());
    *field = *value;
  }
  if (from.empty() == to.empty()) {
    return ErrorResponse(core::InvalidArgument(
        core::kErrValueInvalid, "give either 'from' (the flag is added) or 'to' (it is ended)"));
  }
  change.date = from.empty() ? to : from;
  const Status s = from.empty() ? services_.contacts().EndFlag(*call.who, change)
                                : services_.contacts().AddFlag(*call.who, change);
  if (!s.ok()) return ErrorResponse(s);
  StatusOr<service::ContactsView> v = services_.contacts().View(*call.who, pupil_id);
  if (!v.ok()) return ErrorResponse(v.status());
  json flags = json::array();
  for (const store::CohortFlag& f : v->flags) {
    flags.push_back(json{{"flag", f.flag},
                         {"from", f.from.ToString()},
                         {"to", f.to ? json(f.to->ToString()) : json(nullptr)}});
  }
  return JsonResponse(json{{"flags", std::move(flags)}}.dump());
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

// "Consent to messages recorded 3 December 2026 by Mrs Patel: on the
// admission form", or that none is recorded.
std::string ConsentText(const store::Contact& c) {
  if (!c.consent_at) return "No consent to messages recorded";
  return fmt::format("Consent to messages recorded {} by {}: {}",
                     LongDate(core::UkTimeAt(*c.consent_at).date), c.consent_by, c.consent_note);
}

// The contact form's part about the school's messages: the channel, the
// opt-out, messages without parental responsibility, and consent.
template <typename Box, typename Field>
Html MessagesFields(const std::string& id, const store::Contact& c, const Box& box,
                    const Field& field) {
  Html options;
  for (const auto& [value, label] :
       {std::pair{"", "A text to a mobile, else email"}, std::pair{"sms", "Text message"},
        std::pair{"email", "Email"}}) {
    options +=
        Html::Format(R"(<option value="{}"{}>{}</option>)", value,
                     c.preferred_channel == value ? Html::Trusted(" selected") : Html(), label);
  }
  return Html::Format(
      R"(<fieldset class="govuk-fieldset" id="{}-messages"><legend class="govuk-fieldset__legend">Messages from the school</legend>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-preferred_channel">How messages reach them</label>)"
      R"(<select class="govuk-select" id="{}-preferred_channel" name="preferred_channel">{}</select></div>)"
      R"({}{}<p class="govuk-hint" id="{}-consent-recorded">{}.</p>{}{}</fieldset>)",
      id, id, id, options,
      box("optional_opt_out", "optout",
          "No optional messages (absence messages and safeguarding ones still go)",
          c.optional_opt_out),
      box("messages_without_pr", "withoutpr",
          "Send absence messages to this emergency contact although they have no parental "
          "responsibility",
          c.messages_without_pr),
      id, ConsentText(c),
      box("record_consent", "consent", "Record their consent to messages now", false),
      field("consent_note", "How consent was given (e.g. on the admission form)", c.consent_note,
            "govuk-input", Html::Trusted(R"( maxlength="500")")));
}

// One contact's form: the fields of a contact, filled in with `c`'s.
// `position` is the contact's ("" for a new one); ids are made unique by it.
Html ContactForm(const std::string& csrf, int64_t pupil_id, const std::string& position,
                 const store::Contact& c, const std::string& reason = "") {
  const std::string id = "contact-" + (position.empty() ? std::string("new") : position);
  const auto field = [&](const char* name, const char* label, const std::string& value,
                         const char* input_class, const Html& extra) {
    return Html::Format(
        R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-{}">{}</label>)"
        R"(<input class="{}" id="{}-{}" name="{}" value="{}"{}></div>)",
        id, name, label, input_class, id, name, name, value, extra);
  };
  const auto box = [&](const char* name, const char* suffix, const char* label, bool checked) {
    return Html::Format(
        R"(<div class="govuk-form-group govuk-checkboxes__item"><input class="govuk-checkboxes__input" type="checkbox" id="{}-{}" name="{}" value="yes"{}>)"
        R"(<label class="govuk-label govuk-checkboxes__label" for="{}-{}">{}</label></div>)",
        id, suffix, name, checked ? Html::Trusted(" checked") : Html(), id, suffix, label);
  };
  const char* input = "govuk-input";
  const Html tel = Html::Trusted(R"( type="tel" maxlength="40" autocomplete="tel")");
  return Html::Format(
      R"(<form class="stack contact-form" method="post" action="/pupils/{}/contacts">)"
      R"(<input type="hidden" name="_csrf" value="{}"><input type="hidden" name="position" value="{}">)"
      R"({}{}{}{}{}{}{}{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-salutation">How letters greet them</label>)"
      R"(<div class="govuk-hint" id="{}-salutation-hint">For example, Dear Mrs Ali. Leave blank to use their name.</div>)"
      R"(<input class="govuk-input" id="{}-salutation" name="salutation" value="{}" maxlength="100" aria-describedby="{}-salutation-hint"></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}-address">Postal address (without the postcode)</label>)"
      R"(<textarea class="govuk-textarea" id="{}-address" name="address" rows="3" maxlength="500">{}</textarea></div>)"
      R"({}{}{}{}<button class="govuk-button" type="submit">Save contact</button></form>)",
      pupil_id, csrf, position,
      field("name", "Name", c.name, input, Html::Trusted(R"( required maxlength="200")")),
      field("relationship", "Relationship to the child", c.relationship, input,
            Html::Trusted(R"( required maxlength="100")")),
      box("parental_responsibility", "pr",
          "Has parental responsibility or care of the child: notices and letters go to them",
          c.parental_responsibility),
      box("lives_with", "lives", "The child lives with them", c.lives_with),
      box("emergency", "emergency", "Call them in an emergency", c.emergency),
      field("phone", "Phone", c.phone, input, tel),
      field("other_phone", "Other phone", c.other_phone, input, tel),
      field("email", "Email", c.email, input, Html::Trusted(R"( type="email" maxlength="200")")),
      id, id, id, c.salutation, id, id, id, c.address,
      field("postcode", "Postcode", c.postcode, "govuk-input govuk-input--width-10",
            Html::Trusted(R"( maxlength="10" autocomplete="postal-code")")),
      MessagesFields(id, c, box, field),
      box("confirmed", "confirmed", "The family has confirmed these details today", false),
      field("reason", "Why (kept in the admission register; optional)", reason, input,
            Html::Trusted(R"( maxlength="500")")));
}

// How the school's messages reach the contact, and their consent, in words.
std::string MessagesText(const store::Contact& c) {
  std::string how = c.preferred_channel == "sms"     ? "Messages by text"
                    : c.preferred_channel == "email" ? "Messages by email"
                                                     : "Messages by text to a mobile, else email";
  if (c.optional_opt_out) how += ", no optional ones";
  if (c.messages_without_pr) how += ", absence messages although without parental responsibility";
  return how + ". " + ConsentText(c);
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

// A GOV.UK warning with `text` and what follows it (a button).
Html ContactWarning(const char* id, const std::string& text, const Html& after) {
  return Html::Format(
      R"(<div class="govuk-warning-text" id="{}"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>)"
      R"(<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>{}</strong></div>{})",
      id, text, after);
}

// A one-button form posting to `action`, with hidden fields.
Html ContactButton(const std::string& action, const std::string& csrf, const Html& hidden,
                   const std::string& label, const char* button_class) {
  return Html::Format(
      R"(<form class="inline-form" method="post" action="{}"><input type="hidden" name="_csrf" value="{}">{})"
      R"(<button class="{}" type="submit">{}</button></form>)",
      action, csrf, hidden, button_class, label);
}

// The table to move contacts up and down, or to a number, and to remove one.
Html OrderForms(const std::string& csrf, int64_t pupil_id,
                const std::vector<store::Contact>& contacts) {
  const std::string action = fmt::format("/pupils/{}/contacts/", pupil_id);
  const char* secondary = "govuk-button govuk-button--secondary";
  Html rows, options;
  for (size_t n = 1; n <= contacts.size(); ++n) {
    const store::Contact& c = contacts[n - 1];
    const auto move = [&](size_t to, const char* label) {
      return ContactButton(action + "move", csrf,
                           Html::Format(R"(<input type="hidden" name="position" value="{}">)"
                                        R"(<input type="hidden" name="to" value="{}">)",
                                        n, to),
                           fmt::format("{} {}", label, c.name), secondary);
    };
    rows += Html::Format(
        R"(<tr id="order-{}"><td>{}</td><td>{}</td><td>{}{}</td><td>)"
        R"(<form class="inline-form" method="post" action="{}remove"><input type="hidden" name="_csrf" value="{}">)"
        R"(<input type="hidden" name="position" value="{}"><label class="govuk-label" for="remove-{}-reason">Why</label>)"
        R"(<input class="govuk-input govuk-input--width-20" id="remove-{}-reason" name="reason" maxlength="500">)"
        R"(<button class="govuk-button govuk-button--warning" type="submit">Remove {}</button></form></td></tr>)",
        n, n, c.name, n > 1 ? move(n - 1, "Move up") : Html(),
        n < contacts.size() ? move(n + 1, "Move down") : Html(), action, csrf, n, n, n, c.name);
    options += Html::Format(R"(<option value="{}">{}. {}</option>)", n, n, c.name);
  }
  return Html::Format(
      R"(<details class="govuk-details" id="contact-order"><summary class="govuk-details__summary">)"
      R"(<span class="govuk-details__summary-text">Change the order or remove a contact</span></summary>)"
      R"(<div class="govuk-details__text"><table class="govuk-table"><thead><tr><th>Priority</th><th>Contact</th>)"
      R"(<th>Order</th><th>Remove</th></tr></thead><tbody>{}</tbody></table>)"
      R"(<form method="post" action="{}move"><input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="move-position">Move</label>)"
      R"(<select class="govuk-select" id="move-position" name="position">{}</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="move-to">To priority (1 is called first)</label>)"
      R"(<input class="govuk-input govuk-input--width-2" id="move-to" name="to" inputmode="numeric" required></div>)"
      R"(<button class="govuk-button govuk-button--secondary" type="submit">Move</button></form></div></details>)",
      rows, action, csrf, options);
}

// The pupil's cohort flags with their dates, and the forms to add one from a
// day or end one on a day.
Html FlagsSection(const std::string& csrf, int64_t pupil_id,
                  const std::vector<store::CohortFlag>& flags, core::Date today) {
  const std::string action = fmt::format("/pupils/{}/flags", pupil_id);
  Html rows;
  for (size_t i = 0; i < flags.size(); ++i) {
    const store::CohortFlag& f = flags[i];
    Html end;
    if (!f.to) {
      end = Html::Format(
          R"(<form method="post" action="{}"><input type="hidden" name="_csrf" value="{}">)"
          R"(<input type="hidden" name="action" value="end"><input type="hidden" name="flag" value="{}">)"
          R"({}<div class="govuk-form-group"><label class="govuk-label" for="flag-end-{}-reason">Why</label>)"
          R"(<input class="govuk-input" id="flag-end-{}-reason" name="reason" maxlength="500"></div>)"
          R"(<button class="govuk-button govuk-button--secondary" type="submit">End {}</button></form>)",
          action, csrf, f.flag, DateInput(fmt::format("flag-end-{}", i), "date", "Last day", today),
          i, i, CohortText(f.flag));
    }
    rows += Html::Format(R"(<tr id="flag-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>)", i,
                         CohortText(f.flag), LongDate(f.from),
                         f.to ? LongDate(*f.to) : std::string("still held"), end);
  }
  Html options;
  for (std::string_view flag : service::kCohortFlags) {
    options += Html::Format(R"(<option value="{}">{}</option>)", flag, CohortText(flag));
  }
  return Html::Format(
      R"(<h2 id="cohort-flags">Cohort flags</h2><table class="govuk-table"><thead><tr><th>Flag</th><th>From</th>)"
      R"(<th>To</th><th>End it</th></tr></thead><tbody>{}</tbody></table>)"
      R"(<details class="govuk-details" id="flag-add"><summary class="govuk-details__summary">)"
      R"(<span class="govuk-details__summary-text">Add a cohort flag</span></summary><div class="govuk-details__text">)"
      R"(<form method="post" action="{}"><input type="hidden" name="_csrf" value="{}"><input type="hidden" name="action" value="add">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="flag-add-flag">Flag</label>)"
      R"(<select class="govuk-select" id="flag-add-flag" name="flag">{}</select></div>{})"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="flag-add-reason">Why (optional)</label>)"
      R"(<input class="govuk-input" id="flag-add-reason" name="reason" maxlength="500"></div>)"
      R"(<button class="govuk-button" type="submit">Add flag</button></form></div></details>)",
      rows.str().empty() ? Html::Trusted(R"(<tr><td colspan="4">None recorded.</td></tr>)") : rows,
      action, csrf, options, DateInput("flag-add-from", "date", "From", today));
}

}  // namespace

Html App::ContactsSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::ContactsView> view = services_.contacts().View(*call.who, p.id);
  if (!view.ok()) return Html();
  const service::ContactsView& v = *view;
  const std::string back = fmt::format("/pupils/{}/contacts/", p.id);
  Html items;
  bool any_parent = false;
  for (size_t n = 0; n < v.contacts.size(); ++n) {
    const store::Contact& c = v.contacts[n];
    any_parent = any_parent || c.parental_responsibility;
    const std::string address = AddressLine(c);
    Html tags =
        c.parental_responsibility
            ? Html::Trusted(R"(<strong class="govuk-tag">Parental responsibility</strong>)")
            : Html::Trusted(
                  R"(<strong class="govuk-tag govuk-tag--grey">No parental responsibility</strong>)");
    if (c.lives_with) {
      tags += Html::Trusted(
          R"( <strong class="govuk-tag govuk-tag--blue">Child lives with them</strong>)");
    }
    if (c.emergency) {
      tags += Html::Trusted(
          R"( <strong class="govuk-tag govuk-tag--yellow">Emergency contact</strong>)");
    }
    const std::string phones =
        c.other_phone.empty() ? c.phone : fmt::format("{} (other: {})", c.phone, c.other_phone);
    const std::string confirmed = c.confirmed_on
                                      ? "Confirmed by the family on " + LongDate(*c.confirmed_on)
                                      : std::string("Not yet confirmed by the family");
    items += Html::Format(
        R"(<li id="contact-{}" class="govuk-body">{} ({}) {}<br>{} {}{}<br><span class="govuk-hint">Letters: {}. {}. {}.</span>{}</li>)",
        n + 1, c.name, c.relationship, tags, phones, c.email,
        address.empty() ? Html() : Html::Format("<br>{}", address), store::SalutationOf(c),
        confirmed, MessagesText(c),
        v.may_edit
            ? Html::Format(
                  R"(<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Change {}'s details</span></summary><div class="govuk-details__text">{}</div></details>)",
                  c.name, ContactForm(call.csrf, p.id, std::to_string(n + 1), c))
            : Html());
  }
  Html warnings =
      any_parent
          ? Html()
          : Html::Trusted(
                R"(<p class="govuk-body" id="no-parent"><strong class="govuk-tag govuk-tag--red">No parent recorded</strong> )"
                R"(No contact is recorded as having parental responsibility, so no letter or notice )"
                R"(can go to a parent: record who has it below.</p>)");
  Html siblings;
  for (const service::Sibling& sib : v.siblings) {
    siblings +=
        Html::Format(R"(<li><a class="govuk-link" href="/pupils/{}">{}</a> (shares {})</li>)",
                     sib.pupil_id, sib.name, sib.contact);
  }
  if (!siblings.str().empty()) {
    siblings =
        Html::Format(R"(<h3 id="siblings">Siblings</h3><ul class="govuk-list">{}</ul>)", siblings);
  }
  if (!v.may_edit) {
    return Html::Format(
        R"(<h2 id="contacts">Contacts</h2>{}<ol class="contacts">{}</ol>{})", warnings,
        items.str().empty() ? Html::Trusted(R"(<li class="govuk-body">None recorded.</li>)")
                            : items,
        siblings);
  }
  if (!v.checks.emergency_warning.empty()) {
    warnings += ContactWarning("emergency-warning", v.checks.emergency_warning, Html());
  }
  if (!v.checks.check_warning.empty()) {
    warnings += ContactWarning("check-warning", v.checks.check_warning,
                               ContactButton(back + "confirm", call.csrf, Html(),
                                             "Confirm contacts: the family has checked them",
                                             "govuk-button govuk-button--secondary"));
  }
  return Html::Format(
      R"(<h2 id="contacts">Contacts</h2>{}<ol class="contacts">{}</ol>{}{}{}{})", warnings,
      items.str().empty() ? Html::Trusted(R"(<li class="govuk-body">None recorded.</li>)") : items,
      v.contacts.empty() ? Html() : OrderForms(call.csrf, p.id, v.contacts),
      Html::Format(
          R"(<details class="govuk-details" id="contact-add"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Add a contact</span></summary><div class="govuk-details__text">{}</div></details>)",
          ContactForm(call.csrf, p.id, "", store::Contact{})),
      siblings, FlagsSection(call.csrf, p.id, v.flags, clock_.Today()));
}

Html App::ContactsTodaySection(const Call& call) {
  StatusOr<std::vector<service::ContactCheckRow>> rows = services_.contacts().ToCheck(*call.who);
  if (!rows.ok() || rows->empty()) return Html();
  return Html::Format(
      R"(<h2 id="contacts-to-check">Contacts to check</h2><p class="govuk-body">)"
      R"(<a class="govuk-link" href="/pupils/contacts-to-check">{}</a> with too few emergency )"
      R"(contacts or details not confirmed this school year.</p>)",
      Plural(static_cast<int64_t>(rows->size()), "pupil"));
}

Response App::PageContactsToCheck(Call& call) {
  StatusOr<std::vector<service::ContactCheckRow>> rows = services_.contacts().ToCheck(*call.who);
  if (!rows.ok())
    return Refused(call.who, call.csrf, services_.pupils().SchoolName(), rows.status());
  Html trs;
  for (const service::ContactCheckRow& r : *rows) {
    Html what;
    for (const std::string* w : {&r.checks.emergency_warning, &r.checks.check_warning}) {
      if (!w->empty()) what += Html::Format("<li>{}</li>", *w);
    }
    trs += Html::Format(
        R"(<tr id="check-{}"><td><a class="govuk-link" href="/pupils/{}#contacts">{}</a></td><td>{}</td>)"
        R"(<td><ul class="govuk-list">{}</ul></td></tr>)",
        r.pupil_id, r.pupil_id, r.name, r.class_name, what);
  }
  return Layout(
      call.who, call.csrf, services_.pupils().SchoolName(), "Contacts to check",
      Html::Format(
          R"(<p class="govuk-body">Pupils on roll with fewer than two emergency contacts, or whose )"
          R"(contacts the family has not confirmed since 1 September: {}. Open each pupil, check )"
          R"(the contacts with the family and confirm them.</p>)"
          R"(<table class="govuk-table"><thead><tr><th>Pupil</th><th>Class</th><th>To check</th></tr></thead>)"
          R"(<tbody>{}</tbody></table>)",
          Plural(static_cast<int64_t>(rows->size()), "pupil"),
          trs.str().empty()
              ? Html::Trusted(
                    R"(<tr><td colspan="3">None: every pupil's contacts are in order.</td></tr>)")
              : trs));
}

// POST /pupils/{id}/contacts: changes the contact at the form's position
// (or adds one), through service::Contacts as the API does. Refused, the
// form is shown again with what was typed and why.
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
                            .postcode = form["postcode"],
                            .lives_with = !form["lives_with"].empty(),
                            .emergency = !form["emergency"].empty(),
                            .other_phone = form["other_phone"],
                            .confirmed = !form["confirmed"].empty(),
                            .reason = form["reason"],
                            .preferred_channel = form["preferred_channel"],
                            .optional_opt_out = !form["optional_opt_out"].empty(),
                            .messages_without_pr = !form["messages_without_pr"].empty(),
                            .record_consent = !form["record_consent"].empty(),
                            .consent_note = form["consent_note"]};
  if (!form["position"].empty()) {
    const std::optional<int64_t> n = ParseId(form["position"]);
    d.position = n ? static_cast<size_t>(*n) : 0;
  }
  StatusOr<store::Contact> c = services_.contacts().SaveContact(*call.who, d);
  if (!c.ok()) {
    if (c.status().kind() != core::ErrorKind::kInvalidArgument) {
      return NotSaved(call.who, call.csrf, c.status(), fmt::format("/pupils/{}", *pupil_id));
    }
    // The values as typed, to put right.
    store::Contact typed;
    typed.name = d.name;
    typed.relationship = d.relationship;
    typed.phone = d.phone;
    typed.other_phone = d.other_phone;
    typed.email = d.email;
    typed.parental_responsibility = d.parental_responsibility;
    typed.lives_with = d.lives_with;
    typed.emergency = d.emergency;
    typed.salutation = d.salutation;
    typed.address = d.address;
    typed.postcode = d.postcode;
    typed.preferred_channel = d.preferred_channel;
    typed.optional_opt_out = d.optional_opt_out;
    typed.messages_without_pr = d.messages_without_pr;
    typed.consent_note = d.consent_note;
    return Layout(
        call.who, call.csrf, services_.pupils().SchoolName(), "Contact not saved",
        Html::Format(
            R"({}{}<p class="govuk-body"><a class="govuk-link" href="/pupils/{}#contacts">Back to the pupil</a></p>)",
            ErrorSummary(c.status().message()),
            ContactForm(call.csrf, *pupil_id, form["position"], typed, d.reason), *pupil_id),
        HttpStatusFor(c.status().kind()));
  }
  return Redirect(fmt::format("/pupils/{}#contacts", *pupil_id));
}

// POST /pupils/{id}/contacts/move, .../remove and .../confirm.
Response App::PageChangeContacts(Call& call, const std::string& pupil_text,
                                 const std::string& what) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id || (what != "move" && what != "remove" && what != "confirm")) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrNotFound,
                                  "Contacts are moved, removed or confirmed: "
                                  "no other change is made here."));
  }
  const auto number = [&](const char* key) {
    const std::optional<int64_t> n = ParseId(form[key]);
    return n ? static_cast<size_t>(*n) : 0;  // 0 is no contact: refused by the service
  };
  service::Contacts& contacts = services_.contacts();
  const Status s = what == "move" ? contacts.MoveContact(*call.who, *pupil_id, number("position"),
                                                         number("to"), form["reason"])
                   : what == "remove" ? contacts.RemoveContact(*call.who, *pupil_id,
                                                               number("position"), form["reason"])
                                      : contacts.ConfirmContacts(*call.who, *pupil_id);
  if (!s.ok())
    return NotSaved(call.who, call.csrf, s, fmt::format("/pupils/{}#contacts", *pupil_id));
  return Redirect(fmt::format("/pupils/{}#contacts", *pupil_id));
}

// POST /pupils/{id}/flags: action=add from the date, or action=end on it.
Response App::PageChangeFlag(Call& call, const std::string& pupil_text) {
  std::map<std::string, std::string> form = FormFields(call.req);
  const std::optional<int64_t> pupil_id = ParseId(pupil_text);
  if (!pupil_id) {
    return Refused(call.who, call.csrf, "",
                   core::NotFound(core::kErrPupilUnknown, "No such pupil."));
  }
  const service::FlagChange change{
      .pupil_id = *pupil_id, .flag = form["flag"], .date = form["date"], .reason = form["reason"]};
  const Status s = form["action"] == "end" ? services_.contacts().EndFlag(*call.who, change)
                                           : services_.contacts().AddFlag(*call.who, change);
  if (!s.ok()) {
    return NotSaved(call.who, call.csrf, s, fmt::format("/pupils/{}#cohort-flags", *pupil_id));
  }
  return Redirect(fmt::format("/pupils/{}#cohort-flags", *pupil_id));
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
