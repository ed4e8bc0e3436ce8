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

// Which email and text messages Store::ListMessages returns.
struct MessageFilter {
  std::vector<std::string> channels = {"email", "sms"};  // of the outbox's channels
  std::optional<OutboxState> state;                      // only those in this state
  std::optional<int64_t> pupil_id;                       // only those about this pupil
  int limit = 100;
};

}  // namespace rollcall::store
