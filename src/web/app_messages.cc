// app_messages.cc: the head's message settings page (/settings/messages)
// with its test form, the message log (/messages), and the route GOV.UK
// Notify posts delivery receipts to.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/message_templates.h"
#include "web/app.h"
#include "web/app_internal.h"

namespace rollcall::web {

using namespace internal;  // NOLINT: the helpers and names of app_internal.h

namespace {

constexpr char kSettingsPath[] = "/settings/messages";
constexpr char kLogPath[] = "/messages";

std::string_view MessageStateText(store::OutboxState state) {
  switch (state) {
    case store::OutboxState::kQueued:
      return "Waiting";
    case store::OutboxState::kSending:
      return "Sending";
    case store::OutboxState::kDelivered:
      return "Sent";
    case store::OutboxState::kFailed:
      return "Failed";
  }
  core::Unreachable();
}

const char* MessageStateTag(store::OutboxState state) {
  switch (state) {
    case store::OutboxState::kQueued:
    case store::OutboxState::kSending:
      return "govuk-tag--blue";
    case store::OutboxState::kDelivered:
      return "govuk-tag--green";
    case store::OutboxState::kFailed:
      return "govuk-tag--red";
  }
  core::Unreachable();
}

// A text input of the settings form.
Html SettingField(const char* id, const char* label, const char* hint, const std::string& value,
                  const char* type = "text") {
  return Html::Format(
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}">{}</label>)"
      R"(<div class="govuk-hint" id="{}-hint">{}</div>)"
      R"(<input class="govuk-input" id="{}" name="{}" type="{}" value="{}" )"
      R"(aria-describedby="{}-hint" spellcheck="false" autocomplete="off"></div>)",
      id, label, id, hint, id, id, type, value, id);
}

// A secret's input: never filled in; the hint says whether one is set.
Html SecretField(const char* id, const char* label, bool set, const char* what) {
  return Html::Format(
      R"(<div class="govuk-form-group"><label class="govuk-label" for="{}">{}</label>)"
      R"(<div class="govuk-hint" id="{}-hint"><strong>{}</strong>. {} Leave empty to keep it )"
      R"(as it is.</div><input class="govuk-input" id="{}" name="{}" type="password" value="" )"
      R"(aria-describedby="{}-hint" autocomplete="new-password"></div>)",
      id, label, id, set ? "Set" : "Not set", what, id, id, id);
}

// The form's fields as a MessageSettings; day_one_time "HH:MM".
StatusOr<store::MessageSettings> MessageSettingsFromForm(
    const std::map<std::string, std::string>& form) {
  store::MessageSettings s;
  s.email_transport = Get(form, "email_transport");
  s.smtp_username = Get(form, "smtp_username");
  s.smtp_password = Get(form, "smtp_password");
  s.from_address = Get(form, "from_address");
  s.from_name = Get(form, "from_name");
  s.reply_to = Get(form, "reply_to");
  s.sms_transport = Get(form, "sms_transport");
  s.notify_base_url = Get(form, "notify_base_url");
  s.notify_api_key = Get(form, "notify_api_key");
  s.notify_sms_template_id = Get(form, "notify_sms_template_id");
  s.notify_receipt_token = Get(form, "notify_receipt_token");
  s.public_url = Get(form, "public_url");
  const std::optional<int> minute = ParseTime(Get(form, "day_one_time"));
  if (!minute) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "day_one_minute: give the time of day as HH:MM, e.g. 10:00");
  }
  s.day_one_minute = *minute;
  return s;
}

// The field a settings refusal names ("from_address: ..."), for the link
// from the error summary.
std::string ProblemField(const Status& s) {
  const std::string& m = s.message();
  const size_t colon = m.find(':');
  if (colon == std::string::npos || m.find(' ') < colon) return "";
  return m.substr(0, colon) == "day_one_minute" ? "day_one_time" : m.substr(0, colon);
}

Html MessageSettingsBody(const service::MessageSettingsView& v, const store::MessageSettings& shown,
                         const std::string& csrf, const Html& message) {
  const store::MessageSettings& s = v.settings;
  const std::string version = s.version == 0 ? "Not set yet: no email or text message is sent."
                                             : fmt::format("Version {}, saved {} by {}.", s.version,
                                                           MomentText(s.set_at), s.set_by);
  return Html::Format(
      R"({}<p class="govuk-body">How rollcall sends the school's email and text messages. )"
      R"(Every message waits in the outbox until it is sent, and is tried again for about a )"
      R"(day when the relay or GOV.UK Notify does not take it; a message to a family is )"
      R"(written to the pupil's contact log once sent. {}</p>)"
      R"(<p class="govuk-body"><a class="govuk-link" href="{}">The message log</a></p>)"
      R"(<form method="post" action="{}" novalidate><input type="hidden" name="_csrf" value="{}">)"
      R"(<h2 class="govuk-heading-m">Email</h2>{}{}{}{}{}{})"
      R"(<h2 class="govuk-heading-m">Text messages</h2>{}{}{}{}{})"
      R"(<h2 class="govuk-heading-m">Timing and links</h2>{}{})"
      R"(<button class="govuk-button" type="submit">Save message settings</button></form>)"
      R"(<h2 class="govuk-heading-m">Send a test</h2>)"
      R"(<form method="post" action="{}/test"><input type="hidden" name="_csrf" value="{}">)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="test-channel">By</label>)"
      R"(<select class="govuk-select" id="test-channel" name="channel">)"
      R"(<option value="email">Email</option><option value="sms">Text message</option>)"
      R"(</select></div>)"
      R"(<div class="govuk-form-group"><label class="govuk-label" for="test-to">To</label>)"
      R"(<div class="govuk-hint" id="test-to-hint">An email address, or a UK mobile number.</div>)"
      R"(<input class="govuk-input" id="test-to" name="to" aria-describedby="test-to-hint" )"
      R"(spellcheck="false"></div>)"
      R"(<button class="govuk-button govuk-button--secondary" type="submit">Send a test)"
      R"(</button></form>)",
      message, version, kLogPath, kSettingsPath, csrf,
      SettingField(
          "email_transport", "How email is sent",
          "smtp://relay.example.org:587 (STARTTLS is required), smtps://relay.example.org:465, "
          "folder:/absolute/path (each email written there as a file), or empty for no email.",
          shown.email_transport),
      SettingField("smtp_username", "Relay user name", "Empty when the relay needs none.",
                   shown.smtp_username),
      SecretField("smtp_password", "Relay password", v.smtp_password_set,
                  "The relay's password for that user."),
      SettingField("from_address", "From address",
                   "The school's address families see and reply to.", shown.from_address, "email"),
      SettingField("from_name", "From name", "The school's name as families see it.",
                   shown.from_name),
      SettingField("reply_to", "Reply-to address", "Empty to take replies at the from address.",
                   shown.reply_to, "email"),
      SettingField("sms_transport", "How text messages are sent",
                   "notify (GOV.UK Notify), folder:/absolute/path, or empty for no text messages.",
                   shown.sms_transport),
      SettingField("notify_base_url", "Notify's address",
                   "https://api.notifications.service.gov.uk unless Notify says otherwise.",
                   shown.notify_base_url),
      SecretField("notify_api_key", "Notify API key", v.notify_api_key_set,
                  "A live key from Notify's API integration page, copied whole."),
      SettingField("notify_sms_template_id", "Notify text message template id",
                   "The id of a text message template whose words are ((body)).",
                   shown.notify_sms_template_id),
      SecretField("notify_receipt_token", "Delivery receipt token", v.notify_receipt_token_set,
                  "The bearer token given to Notify with the callback address "
                  "/api/v1/messages/notify-receipts (at least 10 characters)."),
      SettingField("day_one_time", "Day-one absence messages at",
                   "The UK time each school day, after the morning register closes.",
                   TimeText(shown.day_one_minute), "time"),
      SettingField(
          "public_url", "Where families reach rollcall",
          "https://attendance.school.sch.uk, for links in messages; empty leaves links out.",
          shown.public_url),
      kSettingsPath, csrf);
}

// What kind of message it is, in words ("Day-one absence").
std::string KindTitle(std::string_view kind) {
  const service::TemplateInfo* info = service::FindTemplateInfo(kind);
  return info != nullptr ? std::string(info->title) : std::string(kind);
}

Html MessageAttemptsCell(const service::MessageLog& log, const store::OutboxMessage& m) {
  const auto found = log.attempts.find(m.id);
  if (found == log.attempts.end() || found->second.empty()) return Html::Format("{}", m.attempts);
  Html items;
  for (const store::OutboxAttempt& a : found->second) {
    items += Html::Format("<li>{}: {} {}</li>", MomentText(a.at),
                          a.status ? std::to_string(*a.status) : "No answer", a.answer);
  }
  return Html::Format(
      R"(<details class="govuk-details"><summary class="govuk-details__summary">)"
      R"(<span class="govuk-details__summary-text">{}</span></summary>)"
      R"(<div class="govuk-details__text"><ul class="govuk-list">{}</ul></div></details>)",
      m.attempts, items);
}

Html MessageLogBody(const service::MessageLog& log, const Html& message) {
  Html filter = Html::Format(R"(<li><a class="govuk-link" href="{}">All</a></li>)", kLogPath);
  for (store::OutboxState s : {store::OutboxState::kQueued, store::OutboxState::kSending,
                               store::OutboxState::kDelivered, store::OutboxState::kFailed}) {
    if (log.filter.state == s) {
      filter += Html::Format("<li><strong>{}</strong></li>", MessageStateText(s));
    } else {
      filter += Html::Format(R"(<li><a class="govuk-link" href="{}?state={}">{}</a></li>)",
                             kLogPath, store::OutboxStateName(s), MessageStateText(s));
    }
  }
  Html rows;
  for (const store::OutboxMessage& m : log.messages) {
    const bool waiting =
        m.state == store::OutboxState::kQueued || m.state == store::OutboxState::kSending;
    rows += Html::Format(
        R"(<tr class="govuk-table__row"><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{} {}</td><td class="govuk-table__cell">{}{}<br>{}</td>)"
        R"(<td class="govuk-table__cell"><strong class="govuk-tag {}">{}</strong></td>)"
        R"(<td class="govuk-table__cell">{}</td><td class="govuk-table__cell">{}</td>)"
        R"(<td class="govuk-table__cell">{}</td></tr>)",
        MomentText(m.created_at), m.channel == "sms" ? "Text:" : "Email:", KindTitle(m.event_kind),
        m.recipient,
        m.pupil_id ? Html::Format(R"( (<a class="govuk-link" href="/pupils/{}">)"
                                  R"(pupil</a>))",
                                  *m.pupil_id)
                   : Html(),
        m.destination, MessageStateTag(m.state), MessageStateText(m.state),
        MessageAttemptsCell(log, m),
        waiting          ? "Next attempt " + MomentText(m.next_attempt_at)
        : m.delivered_at ? "Sent " + MomentText(*m.delivered_at)
                         : m.last_answer,
        m.receipt.empty() ? std::string()
                          : m.receipt + (m.receipt_at ? ", " + MomentText(*m.receipt_at) : ""));
  }
  Html off;
  if (!log.email_on || !log.sms_on) {
    off = Notice(Html::Format(
        "{} not set up: those messages wait in the outbox, and go as soon as the head sets "
        "{} up on the message settings page.",
        !log.email_on && !log.sms_on ? "Neither email nor text messages are"
        : !log.email_on              ? "Email is"
                                     : "Text messages are",
        !log.email_on && !log.sms_on ? "them" : "it"));
  }
  return Html::Format(
      R"({}{}<p class="govuk-body">Every email and text message rollcall sends, newest first. )"
      R"(A text message's receipt is GOV.UK Notify's word on whether it reached the phone.</p>)"
      R"(<ul class="govuk-list govuk-list--inline">{}</ul>)"
      R"(<div class="scroll-x"><table class="govuk-table"><thead class="govuk-table__head">)"
      R"(<tr class="govuk-table__row"><th scope="col" class="govuk-table__header">Queued</th>)"
      R"(<th scope="col" class="govuk-table__header">Message</th>)"
      R"(<th scope="col" class="govuk-table__header">To</th>)"
      R"(<th scope="col" class="govuk-table__header">State</th>)"
      R"(<th scope="col" class="govuk-table__header">Attempts</th>)"
      R"(<th scope="col" class="govuk-table__header">Outcome</th>)"
      R"(<th scope="col" class="govuk-table__header">Receipt</th></tr></thead>)"
      R"(<tbody class="govuk-table__body">{}</tbody></table></div>{})",
      message, off, filter, rows,
      log.messages.empty() ? Html::Trusted(R"(<p class="govuk-body">No messages.</p>)") : Html());
}

}  // namespace

Response App::PageMessageSettings(Call& call) {
  Html message = DoneBanner(call.target.query);
  http::status status = http::status::ok;
  std::optional<store::MessageSettings> typed;
  if (call.req.method == http::verb::post) {
    const auto form = FormFields(call.req);
    StatusOr<store::MessageSettings> s = MessageSettingsFromForm(form);
    Status saved = s.ok() ? services_.messaging().SaveSettings(*call.who, *s) : s.status();
    if (saved.ok()) return RedirectDone(kSettingsPath, Done::kMessageSettingsSaved);
    if (saved.kind() != core::ErrorKind::kInvalidArgument) {
      return Refused(call.who, call.csrf, SchoolName(), saved);
    }
    status = http::status::unprocessable_entity;
    message = ErrorSummary(saved.message(), ProblemField(saved));
    if (s.ok()) typed = *s;
  }
  StatusOr<service::MessageSettingsView> v = services_.messaging().Settings(*call.who);
  if (!v.ok()) return Refused(call.who, call.csrf, SchoolName(), v.status());
  return Layout(call.who, call.csrf, SchoolName(), "Email and text messages",
                MessageSettingsBody(*v, typed ? *typed : v->settings, call.csrf, message), status);
}

Response App::PageMessageTest(Call& call) {
  const auto form = FormFields(call.req);
  StatusOr<std::string> key =
      services_.messaging().SendTest(*call.who, Get(form, "channel"), Get(form, "to"));
  if (!key.ok()) return NotSaved(call.who, call.csrf, key.status(), kSettingsPath, "Not sent");
  return RedirectDone(kLogPath, Done::kMessageTestQueued);
}

Response App::PageMessages(Call& call) {
  const std::string state = Get(call.target.query, "state");
  service::MessageLogFilter filter{.state = store::OutboxStateFromName(state)};
  if (!state.empty() && !filter.state) {
    return Refused(call.who, call.csrf, SchoolName(),
                   core::InvalidArgument(core::kErrValueInvalid,
                                         "state must be queued, sending, delivered or failed"));
  }
  StatusOr<service::MessageLog> log = services_.messaging().Log(*call.who, filter);
  if (!log.ok()) return Refused(call.who, call.csrf, SchoolName(), log.status());
  return Layout(call.who, call.csrf, SchoolName(), "Messages",
                MessageLogBody(*log, DoneBanner(call.target.query)));
}

// Notify's delivery receipts. The bearer token is the only credential. An
// unknown message is a 404, not a 200: a receipt can cross the answer to
// the send, before Notify's id is recorded, and an error leaves Notify free
// to try it again where a 200 would drop it (docs/messaging.md).
Response App::PostNotifyReceipt(Call& call) {
  const Status s =
      services_.messaging().ReceiveNotifyReceipt(call.req.authorization, call.req.body);
  if (!s.ok()) return ErrorResponse(s);
  return JsonResponse(json{{"status", "recorded"}}.dump());
}

}  // namespace rollcall::web
