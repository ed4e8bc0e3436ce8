// webhooks.h
//
// Webhooks: other systems subscribe to events (docs/webhooks.md) and
// rollcall POSTs each one to them as signed JSON, from a durable outbox.
//
// The database records every event itself, in the transaction of the write
// that causes it (store/webhooks.h). RunDue, called every few seconds by the
// server's background loop, then:
//   1. fans out: for each event not yet fanned out, one outbox message per
//      active subscription that wants its kind, keyed "evt_<event>_<webhook>"
//      (unique in the store, so a second fan-out queues nothing), with its
//      payload built once; the events are marked fanned out in the same
//      transaction;
//   2. delivers what is due: each message is claimed (state sending, with a
//      lease) before it is sent, so a second worker or a restarted process
//      does not send it inside the lease; a 2xx answer marks it delivered,
//      anything else schedules a retry with backoff, or gives up.
// Delivery is at least once: a crash after the receiver got a message but
// before it was marked delivered sends it again after the lease, with the
// same idempotency key and the same bytes. A receiver that keeps the keys it
// has seen sees each event once. No event is ever queued under two keys.
//
// The head manages subscriptions and reads the delivery log (kManageWebhooks).
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "io/https_post.h"
#include "service/access.h"
#include "service/school.h"
#include "store/store.h"

namespace rollcall::service {

// Retries: the wait after the n-th failed attempt (30 s, 2 min, 10 min, 1 h,
// 6 h); after the sixth the message has failed. A 4xx answer other than 408
// (timeout) and 429 (too many requests) fails at once: the receiver refused
// these exact bytes and would refuse them again.
inline constexpr int64_t kWebhookBackoffSeconds[] = {30, 120, 600, 3600, 21600};
inline constexpr int kWebhookMaxAttempts = 6;
// How long after the first attempt the last one is made: the sum of the
// waits between attempts, for the words on the webhooks page.
inline constexpr int64_t kWebhookRetrySpanSeconds = [] {
  int64_t total = 0;
  for (int i = 0; i + 1 < kWebhookMaxAttempts; ++i) {
    total += kWebhookBackoffSeconds[std::min(static_cast<size_t>(i),
                                             std::size(kWebhookBackoffSeconds) - 1)];
  }
  return total;
}();
// How long a claimed message is left to its worker: longer than one POST may
// take (kWebhookTimeoutSeconds), so only a worker that died loses its claim.
inline constexpr int kWebhookTimeoutSeconds = 10;
inline constexpr int64_t kWebhookLeaseSeconds = 60;
// A paused subscription's messages wait this long before they are looked at again.
inline constexpr int64_t kWebhookPausedWaitSeconds = 60;
// The version of the payload's shape ("version" in every payload).
inline constexpr int kWebhookPayloadVersion = 1;

// The outcome of an attempt that got `status` (0: no answer) as its
// `attempts`-th attempt, at `now`: queued again with its next time,
// delivered or failed.
store::OutboxOutcome NextAfterAttempt(int status, int attempts, int64_t now);

// The headers that sign a delivery: Rollcall-Signature is "v1=" and the hex
// HMAC-SHA-256, keyed with the secret's text, of "<timestamp>.<body>".
std::vector<std::pair<std::string, std::string>> SignedHeaders(std::string_view event_kind,
                                                               std::string_view key,
                                                               int64_t timestamp,
                                                               std::string_view secret,
                                                               std::string_view body);

struct NewWebhook {
  std::string url;
  std::vector<std::string> kinds;  // of store::kEventKinds
};

struct WebhooksView {
  std::vector<store::Webhook> webhooks;      // not deleted, by id
  std::vector<store::OutboxMessage> log;     // newest first
  std::optional<store::OutboxState> filter;  // the log's, if any
  // Each logged message's attempts, oldest first, by the message's id.
  std::map<int64_t, std::vector<store::OutboxAttempt>> attempts;
};

// What one RunDue did.
struct WebhookRun {
  int queued = 0;     // messages queued by fan-out
  int attempted = 0;  // POSTs made
  int delivered = 0;
};

class Webhooks {
 public:
  // `poster` is not owned and must outlive the service; nullptr: libcurl.
  Webhooks(School& school, io::Poster* poster);

  // The subscriptions and the newest `limit` messages of the log.
  core::StatusOr<WebhooksView> Get(const Principal& who, std::optional<store::OutboxState> filter,
                                   int limit = 100) const;
  // Adds a subscription with a new random secret: InvalidArgument
  // VALUE_INVALID for a URL io::CheckPostUrl refuses, WEBHOOK_INVALID for no
  // event kind or one not in store::kEventKinds.
  core::StatusOr<store::Webhook> Add(const Principal& who, const NewWebhook& hook);
  // Pauses or resumes; NotFound WEBHOOK_UNKNOWN.
  core::Status SetActive(const Principal& who, int64_t id, bool active);
  // Deactivates for good; its messages stay in the log. NotFound WEBHOOK_UNKNOWN.
  core::Status Delete(const Principal& who, int64_t id);
  // Queues a "webhook.test" message to the subscription, delivered by the
  // next RunDue. NotFound WEBHOOK_UNKNOWN.
  core::Status SendTest(const Principal& who, int64_t id);

  // Fan-out, then delivery of what is due at the clock's now. Safe from any
  // thread and after a crash at any point: all state is in the database.
  core::StatusOr<WebhookRun> RunDue();

 private:
  core::StatusOr<int> FanOut();
  core::Status Deliver(WebhookRun& run);
  // Subscription `id` unless deleted: NotFound WEBHOOK_UNKNOWN.
  core::StatusOr<store::Webhook> LiveWebhook(int64_t id) const;

  School& school_;
  io::CurlPoster curl_;
  io::Poster* poster_;
};

}  // namespace rollcall::service
