// messaging.cc: the message settings, test messages, sending what is due
// with retries and the crash check, delivery receipts and the message log.
#include "service/messaging.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "core/error_codes.h"
#include "service/fields.h"
#include "service/message_templates.h"
#include "service/outgoing.h"
#include "service/password.h"
#include "service/webhooks.h"

namespace rollcall::service {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kEmailChannel[] = "email";
constexpr char kSmsChannel[] = "sms";

Status InvalidSetting(std::string_view field, std::string_view why) {
  return core::InvalidArgument(core::kErrValueInvalid, fmt::format("{}: {}", field, why));
}

// An email address: something, one '@', a domain with a dot, no spaces or
// characters that would end an address in a header.
bool IsSendableAddress(std::string_view text) {
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || text.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  if (text.find_first_of(" \t\r\n,;<>\"()") != std::string_view::npos) return false;
  const std::string_view domain = text.substr(at + 1);
  const size_t dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && !domain.ends_with('.') &&
         domain.find("..") == std::string_view::npos;
}

bool HasLineBreak(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos ||
         text.find('\0') != std::string_view::npos;
}

// "folder:/absolute/path".
Status CheckFolder(std::string_view field, std::string_view value) {
  const std::string_view path = value.substr(7);
  if (path.empty() || path[0] != '/' || HasLineBreak(path)) {
    return InvalidSetting(field, "a folder is written folder:/absolute/path");
  }
  return core::OkStatus();
}

Status CheckSettings(const store::MessageSettings& s) {
  const std::string& email = s.email_transport;
  if (email.starts_with("folder:")) {
    RETURN_IF_ERROR(CheckFolder("email_transport", email));
  } else if (!email.empty()) {
    RETURN_IF_ERROR(io::CheckSmtpUrl("email_transport", email));
  }
  if (!s.from_address.empty() && !IsSendableAddress(s.from_address)) {
    return InvalidSetting("from_address", "this is not an email address");
  }
  if (!email.empty() && s.from_address.empty()) {
    return InvalidSetting("from_address",
                          "email needs the address it is sent from, e.g. office@school.sch.uk");
  }
  if (!s.reply_to.empty() && !IsSendableAddress(s.reply_to)) {
    return InvalidSetting("reply_to", "this is not an email address");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"from_name", &s.from_name},
        {"smtp_username", &s.smtp_username},
        {"smtp_password", &s.smtp_password},
        {"notify_api_key", &s.notify_api_key},
        {"notify_receipt_token", &s.notify_receipt_token}}) {
    if (HasLineBreak(*value)) return InvalidSetting(field, "no line breaks");
  }
  if (s.from_name.size() > 100) return InvalidSetting("from_name", "at most 100 characters");
  const std::string& sms = s.sms_transport;
  if (sms.starts_with("folder:")) {
    RETURN_IF_ERROR(CheckFolder("sms_transport", sms));
  } else if (sms == "notify") {
    RETURN_IF_ERROR(io::ParseNotifyKey("notify_api_key", s.notify_api_key).status());
    if (!io::IsUuid(s.notify_sms_template_id)) {
      return InvalidSetting("notify_sms_template_id",
                            "the id of a Notify text message template: 36 characters, as "
                            "12345678-1234-1234-1234-123456789abc");
    }
    RETURN_IF_ERROR(io::CheckPostUrl("notify_base_url", s.notify_base_url));
  } else if (!sms.empty()) {
    return InvalidSetting("sms_transport",
                          "texts go by notify, folder:/absolute/path, or not at all");
  }
  if (!s.notify_receipt_token.empty() && s.notify_receipt_token.size() < 10) {
    return InvalidSetting("notify_receipt_token", "at least 10 characters, as Notify asks");
  }
  if (!s.public_url.empty()) RETURN_IF_ERROR(io::CheckPostUrl("public_url", s.public_url));
  if (s.day_one_minute < 0 || s.day_one_minute > 1439) {
    return InvalidSetting("day_one_minute", "a time of day from 00:00 to 23:59");
  }
  return core::OkStatus();
}

// The transports the settings name; nullptr for a channel with none.
std::unique_ptr<io::MailTransport> MailFor(const store::MessageSettings& s) {
  if (s.email_transport.starts_with("folder:")) {
    return std::make_unique<io::FolderMailTransport>(s.email_transport.substr(7));
  }
  if (s.email_transport.empty()) return nullptr;
  return std::make_unique<io::SmtpTransport>(io::SmtpOptions{
      .url = s.email_transport, .username = s.smtp_username, .password = s.smtp_password});
}

std::unique_ptr<io::SmsProvider> SmsFor(const store::MessageSettings& s, const core::Clock& clock) {
  if (s.sms_transport.starts_with("folder:")) {
    return std::make_unique<io::FolderSms>(s.sms_transport.substr(7), clock);
  }
  if (s.sms_transport == "notify") {
    return std::make_unique<io::NotifySms>(
        io::NotifyOptions{.base_url = s.notify_base_url,
                          .api_key = s.notify_api_key,
                          .template_id = s.notify_sms_template_id},
        clock);
  }
  return nullptr;
}

// The contact log's entry for a family message once delivered; nullopt
// for a message to staff.
std::optional<store::ContactLogEntry> LogEntryFor(const Outgoing& m, int64_t at) {
  if (!m.pupil_id) return std::nullopt;
  const bool email = m.channel == kEmailChannel;
  return store::ContactLogEntry{
      .pupil_id = *m.pupil_id,
      .at = at,
      .method = email ? store::ContactMethod::kEmail : store::ContactMethod::kText,
      .contact_name = m.recipient,
      .outcome = store::ContactOutcome::kSent,
      .note = email ? m.subject : m.body,
      .by_user_id = 0,
      .by_name = "rollcall",
      .by_role = store::Role::kOffice};
}

}  // namespace

Messaging::Messaging(School& school, io::MailTransport* mail, io::SmsProvider* sms)
    : school_(school), mail_(mail), sms_(sms) {}

StatusOr<MessageSettingsView> Messaging::Settings(const Principal& who) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageMessaging, {}));
  }
  MessageSettingsView view;
  ASSIGN_OR_RETURN(view.settings, school_.store().GetMessageSettings());
  view.smtp_password_set = !view.settings.smtp_password.empty();
  view.notify_api_key_set = !view.settings.notify_api_key.empty();
  view.notify_receipt_token_set = !view.settings.notify_receipt_token.empty();
  view.settings.smtp_password.clear();
  view.settings.notify_api_key.clear();
  view.settings.notify_receipt_token.clear();
  return view;
}

Status Messaging::SaveSettings(const Principal& who, store::MessageSettings settings) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageMessaging, {}));
  }
  ASSIGN_OR_RETURN(const store::MessageSettings old, school_.store().GetMessageSettings());
  // The form never shows the secrets, so a blank one means "as it was".
  if (settings.smtp_password.empty()) settings.smtp_password = old.smtp_password;
  if (settings.notify_api_key.empty()) settings.notify_api_key = old.notify_api_key;
  if (settings.notify_receipt_token.empty()) {
    settings.notify_receipt_token = old.notify_receipt_token;
  }
  if (settings.notify_base_url.empty()) {
    settings.notify_base_url = store::MessageSettings{}.notify_base_url;
  }
  RETURN_IF_ERROR(CheckSettings(settings));
  settings.set_at = school_.clock().NowSeconds();
  settings.set_by = who.name;
  return school_.store().SaveMessageSettings(settings).status();
}

StatusOr<std::string> Messaging::SendTest(const Principal& who, std::string_view channel,
                                          std::string_view to) {
  std::string school_name;
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageMessaging, {}));
    school_name = school_.snapshot().school.name;
  }
  if (channel == kEmailChannel) {
    if (!IsSendableAddress(to))
      return InvalidSetting("to", "a test email goes to an email address");
  } else if (channel == kSmsChannel) {
    if (!IsUkMobile(to))
      return InvalidSetting("to", "a test text goes to a UK mobile number (07...)");
  } else {
    return InvalidSetting("channel", "email or sms");
  }
  const TemplateInfo* info = FindTemplateInfo("test");
  if (info == nullptr) return core::Internal(core::kErrInternal, "the test message is missing");
  const std::map<std::string, std::string> fields = {{"school_name", school_name},
                                                     {"requested_by", who.name}};
  Outgoing m{.kind = "test",
             .channel = std::string(channel),
             .recipient = std::string(to),
             .to = std::string(to)};
  ASSIGN_OR_RETURN(m.subject, FillTemplate(*info, info->subject, fields));
  ASSIGN_OR_RETURN(
      m.body,
      FillTemplate(*info, channel == kEmailChannel ? info->email_body : info->sms_body, fields));
  m.key = "test/" + RandomToken(12);
  RETURN_IF_ERROR(school_.store().FanOut({}, {ToOutbox(m, school_.clock().NowSeconds())}).status());
  return m.key;
}

Status Messaging::SendDue(std::string_view channel, const store::MessageSettings& settings,
                          MessageRun& run) {
  const bool email = channel == kEmailChannel;
  // A channel with no transport set claims nothing: its messages stay
  // queued, untouched, and go as soon as the head sets one.
  if (email ? settings.email_transport.empty() : settings.sms_transport.empty()) {
    return core::OkStatus();
  }
  std::unique_ptr<io::MailTransport> own_mail;
  std::unique_ptr<io::SmsProvider> own_sms;
  io::MailTransport* mail = mail_;
  io::SmsProvider* sms = sms_;
  if (email && mail == nullptr) {
    own_mail = MailFor(settings);
    mail = own_mail.get();
  }
  if (!email && sms == nullptr) {
    own_sms = SmsFor(settings, school_.clock());
    sms = own_sms.get();
  }
  store::Store& store = school_.store();
  for (int i = 0; i < kMessagesPerRun; ++i) {
    const int64_t now = school_.clock().NowSeconds();
    // One message at a time, so the lease covers a single exchange.
    ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> claimed,
                     store.ClaimDueOutbox(channel, now, now + kMessageLeaseSeconds, 1));
    if (claimed.empty()) return core::OkStatus();
    const store::OutboxMessage& row = claimed.front();
    if (email ? mail == nullptr : sms == nullptr) {
      // A transport setting this version does not know (saved by a newer
      // one): kept, and looked at again later, never dropped.
      RETURN_IF_ERROR(store.ReleaseOutbox(row.id, now + kUnconfiguredWaitSeconds));
      continue;
    }
    std::string error;
    const std::optional<Outgoing> m = FromOutbox(row, &error);
    if (!m) {
      ++run.failed;
      RETURN_IF_ERROR(store.RecordMessageAttempt(
          {.outbox_id = row.id, .at = now, .answer = "not sent: " + error},
          {store::OutboxState::kFailed, now}, std::nullopt, std::nullopt));
      continue;
    }
    // An earlier attempt, or a worker that died holding the claim, may have
    // reached the provider without its answer being recorded.
    if (!email && (row.attempts > 0 || row.lease_expired)) {
      StatusOr<std::optional<std::string>> found = sms->FindByReference(row.idempotency_key);
      if (!found.ok()) {
        // The provider cannot say whether it already has the text: ask
        // again later rather than risk sending it twice. The attempt is
        // recorded, so the next claim asks first as well.
        RETURN_IF_ERROR(store.RecordMessageAttempt(
            {.outbox_id = row.id, .at = now, .answer = "not sent: " + found.status().message()},
            {store::OutboxState::kQueued, now + kLookupRetrySeconds}, std::nullopt, std::nullopt));
        continue;
      }
      if (const std::optional<std::string>& sent = *found) {
        ++run.attempted;
        ++run.delivered;
        RETURN_IF_ERROR(store.RecordMessageAttempt(
            {.outbox_id = row.id,
             .at = now,
             .answer = "not sent again: the provider already has it, as " + *sent},
            {store::OutboxState::kDelivered, now}, *sent, LogEntryFor(*m, now)));
        continue;
      }
    }
    if (email && !IsEmailAddress(m->to)) {
      // Never handed to the relay: an address with a line break, a comma or
      // angle brackets could add recipients or commands to the exchange.
      ++run.failed;
      RETURN_IF_ERROR(store.RecordMessageAttempt(
          {.outbox_id = row.id, .at = now, .answer = "not sent: the address is not one address"},
          {store::OutboxState::kFailed, now}, std::nullopt, std::nullopt));
      continue;
    }
    const auto started = std::chrono::steady_clock::now();
    io::SendResult result;
    if (email) {
      std::vector<io::MailFile> files;
      for (const MailAttachment& a : m->attachments) {
        files.push_back({a.filename, a.content_type, a.bytes});
      }
      const std::string text = io::BuildMail({.from_name = settings.from_name,
                                              .from_address = settings.from_address,
                                              .reply_to = settings.reply_to,
                                              .to = m->to,
                                              .subject = m->subject,
                                              .body = m->body,
                                              .attachments = std::move(files),
                                              .key = row.idempotency_key,
                                              .date = now});
      result = mail->Send(
          {.from = settings.from_address, .to = {m->to}, .key = row.idempotency_key}, text);
    } else {
      result = sms->Send(m->to, m->body, row.idempotency_key);
    }
    const int64_t duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count();
    const int64_t done = school_.clock().NowSeconds();
    ++run.attempted;
    // A refusal for good fails at once; anything else short of success is
    // retried with the webhooks' backoff (status 0: "no answer" there).
    store::OutboxOutcome outcome =
        result.ok          ? store::OutboxOutcome{store::OutboxState::kDelivered, done}
        : result.permanent ? store::OutboxOutcome{store::OutboxState::kFailed, done}
                           : NextAfterAttempt(0, row.attempts + 1, done);
    if (outcome.state == store::OutboxState::kDelivered) ++run.delivered;
    if (outcome.state == store::OutboxState::kFailed) ++run.failed;
    RETURN_IF_ERROR(store.RecordMessageAttempt(
        {.outbox_id = row.id,
         .at = done,
         .status = result.status == 0 ? std::nullopt : std::optional<int>(result.status),
         .answer = result.answer.substr(0, 500),
         .duration_ms = duration_ms},
        outcome,
        result.provider_ref.empty() ? std::nullopt
                                    : std::optional<std::string>(result.provider_ref),
        LogEntryFor(*m, done)));
  }
  return core::OkStatus();
}

StatusOr<MessageRun> Messaging::RunDue() {
  MessageRun run;
  ASSIGN_OR_RETURN(const store::MessageSettings settings, school_.store().GetMessageSettings());
  // Each channel is sent even when the other fails; the first failure is returned.
  const Status email = SendDue(kEmailChannel, settings, run);
  const Status sms = SendDue(kSmsChannel, settings, run);
  if (!email.ok()) return email;
  if (!sms.ok()) return sms;
  return run;
}

Status Messaging::ReceiveNotifyReceipt(std::string_view authorization, std::string_view body) {
  ASSIGN_OR_RETURN(const store::MessageSettings settings, school_.store().GetMessageSettings());
  constexpr std::string_view kBearer = "Bearer ";
  const std::string_view given =
      authorization.starts_with(kBearer) ? authorization.substr(kBearer.size()) : "";
  if (settings.notify_receipt_token.empty() || given.empty() ||
      !SecretEquals(given, settings.notify_receipt_token)) {
    return core::Unauthenticated(core::kErrTokenInvalid,
                                 "a delivery receipt must carry the bearer token set in the "
                                 "message settings");
  }
  ASSIGN_OR_RETURN(const io::NotifyReceipt receipt, io::ParseNotifyReceipt(body));
  return school_.store().RecordMessageReceipt(receipt.id, receipt.status,
                                              school_.clock().NowSeconds());
}

StatusOr<MessageLog> Messaging::Log(const Principal& who, const MessageLogFilter& filter) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadMessageLog, {}));
  }
  if (filter.channel && *filter.channel != kEmailChannel && *filter.channel != kSmsChannel) {
    return InvalidSetting("channel", "email or sms");
  }
  MessageLog log;
  log.filter = filter;
  ASSIGN_OR_RETURN(const store::MessageSettings settings, school_.store().GetMessageSettings());
  log.email_on = !settings.email_transport.empty();
  log.sms_on = !settings.sms_transport.empty();
  store::MessageFilter query{.state = filter.state, .limit = filter.limit};
  if (filter.channel) query.channels = {*filter.channel};
  ASSIGN_OR_RETURN(log.messages, school_.store().ListMessages(query));
  for (const store::OutboxMessage& m : log.messages) {
    if (m.attempts == 0) continue;
    ASSIGN_OR_RETURN(log.attempts[m.id], school_.store().OutboxAttemptsFor(m.id));
  }
  return log;
}

StatusOr<std::vector<store::OutboxMessage>> Messaging::ForPupil(const Principal& who,
                                                                int64_t pupil_id) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kReadMessageLog, {}));
    RETURN_IF_ERROR(school_.PupilFor(who, pupil_id, Action::kReadPupil).status());
  }
  return school_.store().ListMessages({.pupil_id = pupil_id});
}

}  // namespace rollcall::service
