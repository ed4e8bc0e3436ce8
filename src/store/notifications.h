// notifications.h
//
// The store's records of the notifications rollcall sends staff
// (docs/notifications.md): one aggregate of the Store interface (store.h).
// The messages themselves are outbox rows (webhooks.h) of channel "email".
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/date.h"

namespace rollcall::store {

// Which notifications go to staff, and when. Versioned like Settings: every
// change is a new version, the newest in force. Times are UK minutes after
// midnight.
struct NotificationSettings {
  int64_t version = 0;  // assigned by SaveNotificationSettings: 1, 2, ...
  // Teachers are reminded of a register not taken five minutes before it
  // closes, and the office is told at close which are still not taken.
  bool register_reminders = false;
  // The designated safeguarding leads get the day's list of vulnerable
  // pupils absent with no reason, at dsl_list_minute (nullopt: the day-one
  // message time of the message settings).
  bool dsl_list = false;
  std::optional<int> dsl_list_minute;
  // Each listed pupil's social worker is emailed about that pupil.
  bool social_worker_emails = false;
  // Who gets the day's attendance digest (nullopt: nobody), and when.
  std::optional<int64_t> attendance_lead_user_id;
  int digest_minute = 16 * 60;
  int64_t set_at = 0;
  std::string set_by;
};

// One notification job done on a school day: written in the transaction
// that queues its messages, once per (kind, date, session).
struct NotificationRun {
  int64_t id = 0;
  // "register_reminder", "registers_missing", "dsl_vulnerable" or
  // "attendance_digest".
  std::string kind;
  core::Date date;
  int session = 0;  // 1 AM, 2 PM; 0 for a job done once a day
  int64_t at = 0;
  int messages = 0;  // how many it queued
};

}  // namespace rollcall::store
