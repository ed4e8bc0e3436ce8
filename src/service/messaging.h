// messaging.h
//
// Sending the school's email and text messages (docs/messaging.md). Every
// message is an outbox row of channel "email" or "sms" (outgoing.h), queued
// in the transaction of whatever causes it. RunDue, called every few
// seconds by the server's background loop, claims what is due (state
// sending, with a lease, as webhooks do), hands each message to its
// transport (an SMTP relay or a folder for email; GOV.UK Notify or a folder
// for texts), and records the attempt: delivered, queued again with the
// webhooks' backoff, or failed at once when the relay or Notify refuses it
// for good. A family message (one about a pupil) is written to the pupil's
// contact log in the transaction that records it delivered, once.
//
// After a crash: a text claimed again (its lease ran out, or an earlier
// attempt was cut short) is first looked up at the provider by its
// reference, the outbox key, and recorded delivered without sending when
// the provider has it. An email cannot be looked up: it is sent again with
// the same Message-ID, made from the key, so the same message may arrive
// twice but is recognisably the same one.
//
// Messages of a channel with no transport set stay queued, untouched, and
// go as soon as the head sets one: none is dropped. The head sets the transports
// (kManageMessaging); the office, the head and the attendance officer read
// the log (kReadMessageLog).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/mail.h"
#include "io/sms.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// Messages claimed per channel per RunDue, and how long a claim lasts:
// longer than an SMTP exchange may take (30 s), so only a worker that died
// loses its claim.
inline constexpr int kMessagesPerRun = 50;
// How long a text waits when the provider could not say whether it already
// has it (after a crash or a lost answer) before it is asked again.
inline constexpr int64_t kLookupRetrySeconds = 60;
inline constexpr int64_t kMessageLeaseSeconds = 90;
// A message whose transport setting is not one this version knows is
// looked at again after this.
inline constexpr int64_t kUnconfiguredWaitSeconds = 300;

// The settings as the settings page shows them: the secrets left out, only
// whether each is set.
struct MessageSettingsView {
  store::MessageSettings settings;  // smtp_password, notify_api_key and notify_receipt_token ""
  bool smtp_password_set = false;
  bool notify_api_key_set = false;
  bool notify_receipt_token_set = false;
};

// What one RunDue did.
struct MessageRun {
  int attempted = 0;  // messages handed to a transport, or found already sent
  int delivered = 0;
  int failed = 0;  // given up for good by this run
};

struct MessageLogFilter {
  std::optional<store::OutboxState> state;
  std::optional<std::string> channel;  // "email" or "sms"; nullopt: both
  int limit = 100;
};

struct MessageLog {
  std::vector<store::OutboxMessage> messages;  // newest first
  MessageLogFilter filter;
  // Each message's attempts, oldest first, by the message's id.
  std::map<int64_t, std::vector<store::OutboxAttempt>> attempts;
  // Whether each channel has a transport set: without one, its messages wait.
  bool email_on = false;
  bool sms_on = false;
};

class Messaging {
 public:
  // `mail` and `sms` are not owned and must outlive the service; nullptr:
  // built from the message settings at each run (SMTP or a folder; Notify
  // or a folder). Either way a channel whose transport setting is "" sends
  // nothing.
  Messaging(School& school, io::MailTransport* mail, io::SmsProvider* sms);

  // The head's view of the settings, secrets left out.
  core::StatusOr<MessageSettingsView> Settings(const Principal& who) const;
  // Saves a new version. A secret left "" keeps the one in force.
  // InvalidArgument VALUE_INVALID naming the field: a transport not "",
  // smtp://host[:port], smtps://host[:port] or folder:/absolute/path (for
  // texts: "", notify or folder:...); no from address (or not an address)
  // while email is on; a reply-to that is not an address; for Notify a key
  // not shaped "<name>-<service id>-<secret>", a template id not a UUID, a
  // base URL not https; a receipt token shorter than 10 characters; a
  // public URL not https (or http to this machine); day_one_minute outside
  // 0..1439; a line break in a name, user name or password.
  core::Status SaveSettings(const Principal& who, store::MessageSettings settings);
  // Queues a "test" message to `to` by `channel` ("email" to an address,
  // "sms" to a UK mobile), sent by the next RunDue. Returns its key.
  core::StatusOr<std::string> SendTest(const Principal& who, std::string_view channel,
                                       std::string_view to);

  // Sends what is due at the clock's now. Safe from any thread and after a
  // crash at any point: all state is in the database.
  core::StatusOr<MessageRun> RunDue();

  // A delivery receipt Notify POSTed. Unauthenticated TOKEN_INVALID unless
  // `authorization` is "Bearer <the receipt token set>" (compared in
  // constant time); InvalidArgument VALUE_INVALID for a body that is not a
  // receipt (io::ParseNotifyReceipt); NotFound OUTBOX_UNKNOWN for a
  // receipt of a message rollcall does not know.
  core::Status ReceiveNotifyReceipt(std::string_view authorization, std::string_view body);

  // The newest messages with their attempts and receipts.
  core::StatusOr<MessageLog> Log(const Principal& who, const MessageLogFilter& filter) const;
  // The messages about one pupil, newest first. NotFound PUPIL_UNKNOWN.
  core::StatusOr<std::vector<store::OutboxMessage>> ForPupil(const Principal& who,
                                                             int64_t pupil_id) const;

 private:
  core::Status SendDue(std::string_view channel, const store::MessageSettings& settings,
                       MessageRun& run);

  School& school_;
  io::MailTransport* mail_;
  io::SmsProvider* sms_;
};

}  // namespace rollcall::service
