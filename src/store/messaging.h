// messaging.h
//
// The store's record of how the school sends email and text messages
// (docs/messaging.md): one aggregate of the Store interface (store.h). The
// messages themselves are outbox rows (webhooks.h) of channel "email" or
// "sms".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "store/webhooks.h"

namespace rollcall::store {

// How the school sends messages. Versioned like Settings: every change is
// a new version, the newest in force.
struct MessageSettings {
  int64_t version = 0;  // assigned by SaveMessageSettings: 1, 2, ...
  // "" (no email), "smtp://host:port" (STARTTLS required unless the host is
  // this machine), "smtps://host:port", or "folder:PATH" (each email written
  // to PATH as an .eml file).
  std::string email_transport;
  std::string smtp_username;
  std::string smtp_password;  // kept as given
  std::string from_address;   // "office@riverside.sch.uk"
  std::string from_name;      // "Riverside Primary School"
  std::string reply_to;       // "" for the from address
  // "" (no texts), "notify" (GOV.UK Notify), or "folder:PATH" (each text
  // written to PATH as JSON).
  std::string sms_transport;
  std::string notify_base_url = "https://api.notifications.service.gov.uk";
  std::string notify_api_key;          // kept as given
  std::string notify_sms_template_id;  // a Notify template whose words are ((body))
  std::string notify_receipt_token;    // the bearer token Notify sends with delivery receipts
  // The UK time, minutes after midnight, of the day-one absence messages.
  int day_one_minute = 10 * 60;
  // Where families reach rollcall, for links in messages
  // ("https://attendance.riverside.sch.uk"); "" leaves links out.
  std::string public_url;
  int64_t set_at = 0;
  std::string set_by;
};

// One version of the school's words for a kind of message (the templates
// page): append-only, the newest version of a kind in force. is_default
// marks a return to the default words, whose text is then not stored.
struct MessageTemplateVersion {
  std::string kind;     // a TemplateInfo kind, e.g. "day_one"
  int64_t version = 0;  // assigned by SaveMessageTemplate: 1, 2, ... per kind
  std::string subject;  // the email's subject
  std::string email_body;
  std::string sms_body;
  bool is_default = false;
  int64_t set_at = 0;
  std::string set_by;
};

// One school day's day-one absence messages (docs/day-one.md): recorded
// with the messages it queued, once per date.
struct DayOneRun {
  core::Date date;
  int64_t run_at = 0;
  int pupils = 0;    // pupils messaged about
  int messages = 0;  // messages queued
  // Pupils absent with no reason whom no contact could be sent to.
  std::vector<int64_t> unreachable;
};

// Which email and text messages Store::ListMessages returns.
struct MessageFilter {
  std::vector<std::string> channels = {"email", "sms"};  // of the outbox's channels
  std::optional<OutboxState> state;                      // only those in this state
  std::optional<int64_t> pupil_id;                       // only those about this pupil
  int limit = 100;
};

}  // namespace rollcall::store
