// app_contacts.cc: a pupil's contact log (calls, texts, emails, letters, home
// visits, meetings and messages to parents) over the API, and the parents'
// view of the school's messages. The Today page, the pupil page and the API
// all record through service::Contacts, so a form and the API make exactly
// the same entry.
#include <fmt/format.h>

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
      R"(<label>Off until <input type="date" name="until" aria-label="Off until: the last day"></label> )"
      R"(<button type="submit">Log call</button></form>)",
      csrf, p.id, ContactOptions(p), outcomes);
}

Html App::ContactLogSection(const Call& call, const store::Pupil& p) {
  StatusOr<service::ContactLogView> log = services_.contacts().Log(*call.who, p.id);
  if (!log.ok()) {
    // Nothing for those who may not see the log.
    if (log.status().kind() == core::ErrorKind::kPermissionDenied ||
        log.status().code() == core::kErrPupilUnknown) {
      return Html();
    }
    return Html::Format(R"(<h2 id="contact-log">Contact log</h2><p class="error">{}</p>)",
                        log.status().message());
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
    return Layout(
        call.who, call.csrf, "", "Not saved",
        Html::Format(R"(<p class="error" role="alert">{}</p><p><a href="{}">Back</a></p>)",
                     e.status().message(),
                     from_today ? std::string("/today") : fmt::format("/pupils/{}", *pupil_id)),
        HttpStatusFor(e.status().kind()));
  }
  return from_today
             ? RedirectDone(fmt::format("/today#pupil-{}", *pupil_id), Done::kCallLogged)
             : RedirectDone(fmt::format("/pupils/{}#contact-log", *pupil_id), Done::kContactSaved);
}

}  // namespace rollcall::web
