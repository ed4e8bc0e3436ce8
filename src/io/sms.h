// sms.h
//
// Text messages to families and staff (docs/messaging.md) through GOV.UK
// Notify, the government's messaging service open to schools and local
// authorities, or into a folder; and Notify's delivery receipts. Nothing
// here reads the database or retries: service::Messaging decides what to
// send and when.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "io/mail.h"

namespace rollcall::io {

class SmsProvider {
 public:
  virtual ~SmsProvider() = default;
  // Sends `body` to the mobile number `to`, tagged with `reference` (the
  // outbox idempotency key); never throws. On success provider_ref is the
  // provider's id for the message.
  virtual SendResult Send(const std::string& to, const std::string& body,
                          const std::string& reference) = 0;
  // The provider's id of a message already sent with `reference`, so that
  // a message whose sending was cut short by a crash is not sent twice;
  // nullopt when the provider says it has none. Unavailable when the
  // provider cannot say (no answer, an error): the caller must then wait
  // and ask again, never send.
  virtual core::StatusOr<std::optional<std::string>> FindByReference(
      const std::string& reference) = 0;
};

// A Notify API key, "<key name>-<service id>-<secret>", where the service
// id and the secret are 36-character UUIDs (the key name may hold dashes,
// so the two are taken from the right).
struct NotifyKey {
  std::string key_name;
  std::string service_id;
  std::string secret;
};
// InvalidArgument VALUE_INVALID naming `field` when `key` has not that shape.
core::StatusOr<NotifyKey> ParseNotifyKey(std::string_view field, std::string_view key);
// Whether `text` is a UUID: 8-4-4-4-12 hexadecimal digits.
bool IsUuid(std::string_view text);

// The bearer token Notify asks for: a JWT signed HS256 with the key's
// secret, header {"typ":"JWT","alg":"HS256"}, claims {"iss": service id,
// "iat": now}.
std::string NotifyJwt(const NotifyKey& key, int64_t now);
// HMAC-SHA-256 of `message` keyed with `key` (any length), raw bytes.
std::string HmacSha256(std::string_view key, std::string_view message);
// Base64url without padding, as JWTs are written.
std::string Base64Url(std::string_view bytes);

struct NotifyOptions {
  std::string base_url = "https://api.notifications.service.gov.uk";
  std::string api_key;
  std::string template_id;  // a text message template whose words are ((body))
  int timeout_seconds = 20;
};

// Sends through Notify's API: POST {base}/v2/notifications/sms with the
// body as the template's ((body)) and the reference. 201 is sent; 400 and
// 403 (a bad number, a bad key, a trial service's limits) are permanent;
// 429, 5xx and no answer are retried. The base URL must be https, or http
// to this machine (io::CheckPostUrl).
class NotifySms : public SmsProvider {
 public:
  NotifySms(NotifyOptions options, const core::Clock& clock)
      : options_(std::move(options)), clock_(clock) {}
  SendResult Send(const std::string& to, const std::string& body,
                  const std::string& reference) override;
  // GET {base}/v2/notifications?reference=...&template_type=sms: the id of
  // the first notification listed.
  core::StatusOr<std::optional<std::string>> FindByReference(const std::string& reference) override;

 private:
  NotifyOptions options_;
  const core::Clock& clock_;
};

// Writes each text to DIR/<sanitised reference>.json ({"to", "body",
// "reference", "written_at"}), creating DIR; FindByReference finds the file.
class FolderSms : public SmsProvider {
 public:
  FolderSms(std::string dir, const core::Clock& clock) : dir_(std::move(dir)), clock_(clock) {}
  SendResult Send(const std::string& to, const std::string& body,
                  const std::string& reference) override;
  core::StatusOr<std::optional<std::string>> FindByReference(const std::string& reference) override;

 private:
  std::string PathFor(const std::string& reference) const;
  std::string dir_;
  const core::Clock& clock_;
};

// A delivery receipt Notify POSTs to the school's callback URL.
struct NotifyReceipt {
  std::string id;         // Notify's id of the message
  std::string reference;  // ours
  std::string to;
  // "delivered", "permanent-failure", "temporary-failure" or "technical-failure".
  std::string status;
  std::string created_at, completed_at, sent_at;  // as Notify wrote them; "" for null
  std::string notification_type;                  // "sms" or "email"
};
// InvalidArgument VALUE_INVALID when `body` is not a JSON object with a
// string "id" and a known "status".
core::StatusOr<NotifyReceipt> ParseNotifyReceipt(std::string_view body);

}  // namespace rollcall::io
