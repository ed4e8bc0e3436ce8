// outgoing.h
//
// One email or text message to queue in the outbox (docs/messaging.md).
// Whatever causes a message (a day's absence messages, a letter by email, a
// request for medical evidence, a reminder to staff) builds an Outgoing,
// turns it into an outbox row with ToOutbox, and hands the row to the store
// method that records the cause, so the cause and its messages are written
// in one transaction or not at all. The sender (Messaging::RunDue) does the
// rest.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/webhooks.h"

namespace rollcall::service {

struct MailAttachment {
  std::string filename;      // "letter-2026-12-03.pdf"
  std::string content_type;  // "application/pdf"
  std::string bytes;
};

struct Outgoing {
  std::string kind;                         // a TemplateInfo::kind, e.g. "day_one"
  std::string channel;                      // "email" or "sms"
  std::optional<int64_t> pupil_id;          // a family message: logged with the pupil once sent
  std::string recipient;                    // who, as the contact log names them
  std::string to;                           // the address, or the mobile number
  std::string subject;                      // email only
  std::string body;                         // plain text
  std::vector<MailAttachment> attachments;  // email only
  // Unique for ever, and the same however often the cause is retried, so a
  // message is queued once: e.g. "day_one/2026-12-03/<pupil>/<contact>".
  std::string key;
};

// The outbox row for `m`, queued and due at `now`: its payload is JSON with
// "kind", "to", "recipient", "subject", "body" and "attachments" (each with
// "filename", "content_type" and "base64"), written once so every attempt
// sends the same message.
store::OutboxMessage ToOutbox(const Outgoing& m, int64_t now);

// The message an outbox row of channel "email" or "sms" holds.
// nullopt, with *error saying why, when the payload is not one ToOutbox wrote.
std::optional<Outgoing> FromOutbox(const store::OutboxMessage& row, std::string* error);

}  // namespace rollcall::service
