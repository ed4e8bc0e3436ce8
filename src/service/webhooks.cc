// webhooks.cc: subscriptions, fan-out of events to the outbox, and delivery
// with signatures, retries and a lease.
#include "service/webhooks.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "core/codes.h"
#include "core/error_codes.h"
#include "core/session.h"
#include "service/fields.h"
#include "service/password.h"

namespace rollcall::service {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kChannel[] = "webhook";
constexpr char kTestKind[] = "webhook.test";
// Events fanned out per transaction, and messages sent per RunDue: enough
// for a burst, small enough that one run ends within seconds.
constexpr int kFanOutBatch = 500;
constexpr int kDeliveriesPerRun = 50;

std::string CodeLetter(const std::optional<int>& stored) {
  if (!stored) return "";
  const std::optional<core::AttendanceCode> code = core::CodeFromStored(*stored);
  return code ? std::string(core::SymbolOf(*code)) : "";
}

// A stored session (1 AM, 2 PM) as the API writes it.
std::string StoredSessionName(const std::optional<int>& session) {
  if (!session) return "";
  return std::string(core::SessionName(*session == 1 ? core::Session::kAm : core::Session::kPm));
}

// An arrival time as "HH:MM", or null when none was recorded.
nlohmann::ordered_json ArrivalOrNull(const std::optional<int>& minute) {
  return minute ? nlohmann::ordered_json(TimeText(*minute)) : nlohmann::ordered_json(nullptr);
}

// The "data" of an event's payload; docs/webhooks.md lists each kind's.
nlohmann::ordered_json EventData(const store::Event& e) {
  nlohmann::ordered_json data;
  data["pupil_id"] = e.pupil_id;
  data["upn"] = e.upn;
  const std::string date = e.date ? e.date->ToString() : "";
  if (e.kind == "mark.amended") {
    data["date"] = date;
    data["session"] = StoredSessionName(e.session);
    data["old_code"] = CodeLetter(e.old_code);
    data["new_code"] = CodeLetter(e.new_code);
    data["old_arrival"] = ArrivalOrNull(e.old_arrival);
    data["new_arrival"] = ArrivalOrNull(e.new_arrival);
    data["reason"] = e.detail;
  } else if (e.kind == "absence.no_reason") {
    data["date"] = date;
    data["session"] = StoredSessionName(e.session);
    data["code"] = CodeLetter(e.new_code);
  } else if (e.kind == "penalty.threshold_crossed") {
    data["case_id"] = e.source_id.value_or(0);
    data["trigger"] = e.detail == "local" ? "local_code" : "penalty_threshold";
    data["date"] = date;
    data["session"] = StoredSessionName(e.session);
  } else if (e.kind == "cme.case_opened") {
    data["case_id"] = e.source_id.value_or(0);
    data["first_day"] = date;
  } else if (e.kind == "pupil.admitted") {
    data["start_date"] = date;
  } else if (e.kind == "pupil.deleted") {
    data["last_day"] = date;
    data["destination"] = e.detail;
  }
  return data;
}

// The whole payload, written once: every attempt sends these bytes.
std::string Payload(std::string_view key, std::string_view kind, int64_t at, const std::string& urn,
                    nlohmann::ordered_json data) {
  nlohmann::ordered_json payload;
  payload["id"] = key;
  payload["event"] = kind;
  payload["version"] = kWebhookPayloadVersion;
  payload["created_at"] = IsoTime(at);
  payload["school"] = {{"urn", urn}};
  payload["data"] = std::move(data);
  return payload.dump();
}

// A subscription is sent the events of its kinds that happen while it is
// active, never those from before it was made.
bool Wants(const store::Webhook& w, const store::Event& e) {
  return w.active && !w.deleted_at && e.at >= w.created_at &&
         std::find(w.kinds.begin(), w.kinds.end(), e.kind) != w.kinds.end();
}

std::string SchoolUrn(const School& school) {
  auto lock = school.Read();
  return school.snapshot().school.urn;
}

}  // namespace

store::OutboxOutcome NextAfterAttempt(int status, int attempts, int64_t now) {
  if (status >= 200 && status < 300) return {store::OutboxState::kDelivered, now};
  const bool refused = status >= 400 && status < 500 && status != 408 && status != 429;
  if (refused || attempts >= kWebhookMaxAttempts) return {store::OutboxState::kFailed, now};
  const size_t step = static_cast<size_t>(std::max(attempts, 1) - 1);
  return {store::OutboxState::kQueued,
          now + kWebhookBackoffSeconds[std::min(step, std::size(kWebhookBackoffSeconds) - 1)]};
}

std::vector<std::pair<std::string, std::string>> SignedHeaders(std::string_view event_kind,
                                                               std::string_view key,
                                                               int64_t timestamp,
                                                               std::string_view secret,
                                                               std::string_view body) {
  const std::string stamp = std::to_string(timestamp);
  return {{"Rollcall-Event", std::string(event_kind)},
          {"Rollcall-Delivery", std::string(key)},
          {"Rollcall-Timestamp", stamp},
          {"Rollcall-Signature", "v1=" + HmacSha256Hex(secret, stamp + "." + std::string(body))}};
}

Webhooks::Webhooks(School& school, io::Poster* poster)
    : school_(school), poster_(poster ? poster : &curl_) {}

StatusOr<WebhooksView> Webhooks::Get(const Principal& who, std::optional<store::OutboxState> filter,
                                     int limit) const {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageWebhooks, {}));
  }
  WebhooksView view;
  view.filter = filter;
  ASSIGN_OR_RETURN(std::vector<store::Webhook> all, school_.store().ListWebhooks());
  for (store::Webhook& w : all) {
    if (!w.deleted_at) view.webhooks.push_back(std::move(w));
  }
  // Only the webhooks' own messages: email and texts have their own log.
  ASSIGN_OR_RETURN(view.log, school_.store().ListMessages(
                                 {.channels = {kChannel}, .state = filter, .limit = limit}));
  for (const store::OutboxMessage& m : view.log) {
    if (m.attempts == 0) continue;
    ASSIGN_OR_RETURN(view.attempts[m.id], school_.store().OutboxAttemptsFor(m.id));
  }
  return view;
}

StatusOr<store::Webhook> Webhooks::Add(const Principal& who, const NewWebhook& hook) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageWebhooks, {}));
  }
  RETURN_IF_ERROR(io::CheckPostUrl("url", hook.url));
  if (hook.kinds.empty()) {
    return core::InvalidArgument(core::kErrWebhookInvalid, "choose at least one event");
  }
  for (const std::string& kind : hook.kinds) {
    if (std::find(store::kEventKinds.begin(), store::kEventKinds.end(), kind) ==
        store::kEventKinds.end()) {
      return core::InvalidArgument(core::kErrWebhookInvalid,
                                   fmt::format("'{}' is not an event rollcall sends", kind));
    }
  }
  store::Webhook w{.url = hook.url,
                   .secret = "whsec_" + RandomToken(24),
                   .kinds = hook.kinds,
                   .active = true,
                   .created_by = who.user_id,
                   .created_by_name = who.name,
                   .created_at = school_.clock().NowSeconds()};
  ASSIGN_OR_RETURN(w.id, school_.store().AddWebhook(w));
  return w;
}

Status Webhooks::SetActive(const Principal& who, int64_t id, bool active) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageWebhooks, {}));
  }
  return school_.store().SetWebhookActive(id, active);
}

Status Webhooks::Delete(const Principal& who, int64_t id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageWebhooks, {}));
  }
  return school_.store().DeleteWebhook(id, school_.clock().NowSeconds());
}

StatusOr<store::Webhook> Webhooks::LiveWebhook(int64_t id) const {
  ASSIGN_OR_RETURN(std::vector<store::Webhook> all, school_.store().ListWebhooks());
  for (store::Webhook& w : all) {
    if (w.id == id && !w.deleted_at) return std::move(w);
  }
  return core::NotFound(core::kErrWebhookUnknown, fmt::format("no webhook with id {}", id));
}

Status Webhooks::SendTest(const Principal& who, int64_t id) {
  {
    auto lock = school_.Read();
    RETURN_IF_ERROR(school_.Allow(who, Action::kManageWebhooks, {}));
  }
  ASSIGN_OR_RETURN(const store::Webhook hook, LiveWebhook(id));
  const int64_t now = school_.clock().NowSeconds();
  const std::string key = "test_" + RandomToken(12);
  store::OutboxMessage m{
      .channel = kChannel,
      .idempotency_key = key,
      .subscription_id = id,
      .event_kind = kTestKind,
      .destination = hook.url,
      .payload = Payload(key, kTestKind, now, SchoolUrn(school_), {{"requested_by", who.name}}),
      .next_attempt_at = now,
      .created_at = now};
  return school_.store().FanOut({}, {m}).status();
}

StatusOr<int> Webhooks::FanOut() {
  int queued = 0;
  while (true) {
    ASSIGN_OR_RETURN(std::vector<store::Event> events,
                     school_.store().ListEvents(true, kFanOutBatch));
    if (events.empty()) return queued;
    const std::string urn = SchoolUrn(school_);
    ASSIGN_OR_RETURN(std::vector<store::Webhook> hooks, school_.store().ListWebhooks());
    const int64_t now = school_.clock().NowSeconds();
    std::vector<int64_t> ids;
    std::vector<store::OutboxMessage> messages;
    for (const store::Event& e : events) {
      ids.push_back(e.id);
      const nlohmann::ordered_json data = EventData(e);
      for (const store::Webhook& w : hooks) {
        if (!Wants(w, e)) continue;
        const std::string key = fmt::format("evt_{}_{}", e.id, w.id);
        messages.push_back({.channel = kChannel,
                            .idempotency_key = key,
                            .subscription_id = w.id,
                            .event_kind = e.kind,
                            .destination = w.url,
                            .payload = Payload(key, e.kind, e.at, urn, data),
                            .next_attempt_at = now,
                            .created_at = now});
      }
    }
    ASSIGN_OR_RETURN(const int n, school_.store().FanOut(ids, messages));
    queued += n;
    if (events.size() < static_cast<size_t>(kFanOutBatch)) return queued;
  }
}

Status Webhooks::Deliver(WebhookRun& run) {
  for (int i = 0; i < kDeliveriesPerRun; ++i) {
    const int64_t now = school_.clock().NowSeconds();
    // One message at a time, so the lease covers a single POST.
    ASSIGN_OR_RETURN(std::vector<store::OutboxMessage> claimed,
                     school_.store().ClaimDueOutbox(kChannel, now, now + kWebhookLeaseSeconds, 1));
    if (claimed.empty()) return core::OkStatus();
    const store::OutboxMessage& m = claimed.front();
    // Read for each message, after the claim: a pause or deletion made
    // meanwhile is seen, and nothing is read when nothing is due.
    ASSIGN_OR_RETURN(std::vector<store::Webhook> hooks, school_.store().ListWebhooks());
    const auto hook = std::find_if(hooks.begin(), hooks.end(), [&](const store::Webhook& w) {
      return m.subscription_id && w.id == *m.subscription_id;
    });
    if (hook == hooks.end() || hook->deleted_at) {
      RETURN_IF_ERROR(school_.store().RecordOutboxAttempt(
          {.outbox_id = m.id, .at = now, .answer = "not sent: the subscription was deleted"},
          {store::OutboxState::kFailed, now}));
      continue;
    }
    if (!hook->active) {
      RETURN_IF_ERROR(school_.store().ReleaseOutbox(m.id, now + kWebhookPausedWaitSeconds));
      continue;
    }
    io::PostRequest request{
        .url = m.destination,
        .headers = SignedHeaders(m.event_kind, m.idempotency_key, now, hook->secret, m.payload),
        .body = m.payload,
        .timeout_seconds = kWebhookTimeoutSeconds};
    const auto started = std::chrono::steady_clock::now();
    const io::PostAnswer answer = poster_->Post(request);
    const int64_t duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count();
    ++run.attempted;
    if (answer.ok()) ++run.delivered;
    const int64_t done = school_.clock().NowSeconds();
    store::OutboxAttempt attempt{
        .outbox_id = m.id,
        .at = done,
        .status = answer.status == 0 ? std::nullopt : std::optional<int>(answer.status),
        .answer = answer.status == 0 ? answer.error : answer.body.substr(0, 500),
        .duration_ms = duration_ms};
    RETURN_IF_ERROR(school_.store().RecordOutboxAttempt(
        attempt, NextAfterAttempt(answer.status, m.attempts + 1, done)));
  }
  return core::OkStatus();
}

StatusOr<WebhookRun> Webhooks::RunDue() {
  WebhookRun run;
  ASSIGN_OR_RETURN(run.queued, FanOut());
  RETURN_IF_ERROR(Deliver(run));
  return run;
}

}  // namespace rollcall::service
