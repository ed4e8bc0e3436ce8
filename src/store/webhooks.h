// webhooks.h
//
// The store's records of events, webhook subscriptions and the outbox of
// messages to deliver: one aggregate of the Store interface (store.h). The
// database writes events itself, with triggers, in the transaction of the
// write that causes them (migrations/sqlite/0019_webhooks.sql), so no
// store method can forget one; the store only reads them and marks them
// fanned out.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"

namespace rollcall::store {

// The kinds of event, as stored (events.kind) and sent (the "event" of a
// webhook's payload): never rename them.
inline constexpr std::array<std::string_view, 6> kEventKinds = {
    "absence.no_reason", "mark.amended",   "penalty.threshold_crossed",
    "cme.case_opened",   "pupil.admitted", "pupil.deleted",
};

// One event, as the triggers recorded it. Which fields a kind fills:
//   mark.amended               date, session, old_code, new_code, detail =
//                              the reason given; source_id: mark_audit.id
//   absence.no_reason          date, session, new_code (N); source_id:
//                              mark_audit.id
//   penalty.threshold_crossed  date, session of the alert; detail =
//                              "attendance" or "local"; source_id: the case
//   cme.case_opened            date = the first day missed; source_id: the case
//   pupil.admitted             date = the enrolment's first day
//   pupil.deleted              date = the last day; detail = the destination
// Codes are the stored numbers of core/codes.h.
struct Event {
  int64_t id = 0;
  std::string kind;
  int64_t pupil_id = 0;
  std::string upn;  // the pupil's UPN when the event happened
  std::optional<core::Date> date;
  std::optional<int> session;  // 1 AM, 2 PM
  std::optional<int> old_code;
  std::optional<int> new_code;
  std::string detail;
  std::optional<int64_t> source_id;
  int64_t at = 0;
  bool fanned_out = false;
  // mark.amended: the arrival times (minutes after midnight) before and
  // after, for an amendment that changes only the time.
  std::optional<int> old_arrival;
  std::optional<int> new_arrival;
};

// A subscription to some kinds of event, delivered by HTTP POST to `url`
// and signed with `secret`. Deleting one only deactivates it (deleted_at),
// so its deliveries stay in the log.
struct Webhook {
  int64_t id = 0;  // assigned by AddWebhook
  std::string url;
  std::string secret;
  std::vector<std::string> kinds;  // of kEventKinds
  bool active = true;
  int64_t created_by = 0;
  std::string created_by_name;
  int64_t created_at = 0;
  std::optional<int64_t> deleted_at;
};

// Where an outbox message is. The names are stored (outbox.state): never
// rename them.
enum class OutboxState : uint8_t {
  kQueued = 1,  // "queued": waiting for next_attempt_at
  kSending,     // "sending": claimed by a worker until next_attempt_at (its lease)
  kDelivered,   // "delivered"
  kFailed,      // "failed": given up
};
std::string_view OutboxStateName(OutboxState state);
std::optional<OutboxState> OutboxStateFromName(std::string_view name);

// One message to deliver. Its idempotency key is unique in the store: one
// event is queued at most once for one subscription. The payload is written
// once and never changed, so every attempt sends the same bytes.
struct OutboxMessage {
  int64_t id = 0;       // assigned when queued
  std::string channel;  // "webhook", "email" or "sms"
  std::string idempotency_key;
  std::optional<int64_t> subscription_id;  // the webhook's id
  std::string event_kind;
  std::string destination;  // the URL
  std::string payload;
  OutboxState state = OutboxState::kQueued;
  int attempts = 0;
  int64_t next_attempt_at = 0;
  std::optional<int> last_status;  // the HTTP status of the last attempt, if any answer came
  std::string last_answer;         // the start of the last answer, or the error
  int64_t created_at = 0;
  std::optional<int64_t> delivered_at;
  // Email and text messages (docs/messaging.md): the pupil a message to a
  // family is about (logged in their contact log once sent), who it is for
  // as the log names them, the provider's id for the message, and the
  // provider's last delivery receipt ("" for none yet) and when it came.
  std::optional<int64_t> pupil_id;
  std::string recipient;
  std::optional<std::string> provider_ref;
  std::string receipt;
  std::optional<int64_t> receipt_at;
  // Set by ClaimDueOutbox when the message was claimed from an expired
  // lease: a worker claimed it before and never recorded an attempt, so it
  // may have been sent already. Not stored.
  bool lease_expired = false;
};

// One attempt to deliver a message: appended with its result.
struct OutboxAttempt {
  int64_t id = 0;
  int64_t outbox_id = 0;
  int64_t at = 0;
  std::optional<int> status;  // none when no answer came
  std::string answer;         // the start of the answer, or the error
  int64_t duration_ms = 0;
};

// What an attempt leaves a message as (Store::RecordOutboxAttempt).
struct OutboxOutcome {
  OutboxState state = OutboxState::kQueued;  // queued (to retry), delivered or failed
  int64_t next_attempt_at = 0;               // when queued
};

}  // namespace rollcall::store
