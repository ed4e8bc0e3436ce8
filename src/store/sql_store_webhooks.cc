// sql_store_webhooks.cc: events (written by the database's triggers),
// webhook subscriptions and the outbox of messages to deliver.
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store {

std::string_view OutboxStateName(OutboxState state) {
  switch (state) {
    case OutboxState::kQueued:
      return "queued";
    case OutboxState::kSending:
      return "sending";
    case OutboxState::kDelivered:
      return "delivered";
    case OutboxState::kFailed:
      return "failed";
  }
  core::Unreachable();
}

std::optional<OutboxState> OutboxStateFromName(std::string_view name) {
  for (OutboxState s : {OutboxState::kQueued, OutboxState::kSending, OutboxState::kDelivered,
                        OutboxState::kFailed}) {
    if (OutboxStateName(s) == name) return s;
  }
  return std::nullopt;
}

namespace sql {
namespace {

using core::Status;
using core::StatusOr;

constexpr char kEventColumns[] =
    "SELECT id, kind, pupil_id, upn, on_date, session, old_code, new_code, detail, source_id, "
    "at, fanned_out, old_arrival, new_arrival FROM events ";

StatusOr<Event> ReadEvent(const Statement& stmt) {
  Event e;
  e.id = stmt.Int64(0);
  e.kind = stmt.Text(1);
  e.pupil_id = stmt.Int64(2);
  e.upn = stmt.Text(3);
  ASSIGN_OR_RETURN(e.date, OptionalDateColumn(stmt, 4));
  e.session = OptionalIntColumn(stmt, 5);
  e.old_code = OptionalIntColumn(stmt, 6);
  e.new_code = OptionalIntColumn(stmt, 7);
  e.detail = stmt.Text(8);
  e.source_id = stmt.OptionalInt64(9);
  e.at = stmt.Int64(10);
  e.fanned_out = stmt.Int64(11) != 0;
  e.old_arrival = OptionalIntColumn(stmt, 12);
  e.new_arrival = OptionalIntColumn(stmt, 13);
  return e;
}

// Webhook.kinds as stored: comma-separated.
std::string JoinKinds(const std::vector<std::string>& kinds) {
  std::string out;
  for (const std::string& k : kinds) out += (out.empty() ? "" : ",") + k;
  return out;
}

std::vector<std::string> SplitKinds(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

const char kOutboxColumns[] =
    "SELECT id, channel, idempotency_key, subscription_id, event_kind, destination, payload, "
    "state, attempts, next_attempt_at, last_status, last_answer, created_at, delivered_at, "
    "pupil_id, recipient, provider_ref, receipt, receipt_at FROM outbox ";

StatusOr<OutboxMessage> ReadOutbox(const Statement& stmt) {
  OutboxMessage m;
  m.id = stmt.Int64(0);
  m.channel = stmt.Text(1);
  m.idempotency_key = stmt.Text(2);
  m.subscription_id = stmt.OptionalInt64(3);
  m.event_kind = stmt.Text(4);
  m.destination = stmt.Text(5);
  m.payload = stmt.Text(6);
  ASSIGN_OR_RETURN(m.state, NameColumn(stmt, 7, OutboxStateFromName, "outbox state"));
  m.attempts = static_cast<int>(stmt.Int64(8));
  m.next_attempt_at = stmt.Int64(9);
  m.last_status = OptionalIntColumn(stmt, 10);
  m.last_answer = stmt.Text(11);
  m.created_at = stmt.Int64(12);
  m.delivered_at = stmt.OptionalInt64(13);
  m.pupil_id = stmt.OptionalInt64(14);
  m.recipient = stmt.Text(15);
  if (!stmt.IsNull(16)) m.provider_ref = stmt.Text(16);
  m.receipt = stmt.Text(17);
  m.receipt_at = stmt.OptionalInt64(18);
  return m;
}

StatusOr<std::vector<Event>> SqlStore::ListEvents(bool pending_only, int limit) {
  return Read([&]() -> StatusOr<std::vector<Event>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kEventColumns) +
                                  (pending_only ? "WHERE fanned_out = 0 ORDER BY id LIMIT ?1"
                                                : "ORDER BY id LIMIT ?1")));
    stmt.Bind(1, limit);
    std::vector<Event> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(out.emplace_back(), ReadEvent(stmt));
    }
    return out;
  });
}

StatusOr<bool> SqlStore::InsertOutbox(const OutboxMessage& m) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare("INSERT INTO outbox (channel, idempotency_key, subscription_id, "
                   "event_kind, destination, payload, state, attempts, next_attempt_at, "
                   "created_at, pupil_id, recipient) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', 0, "
                   "?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING RETURNING id"));
  stmt.Bind(1, m.channel);
  stmt.Bind(2, m.idempotency_key);
  stmt.Bind(3, m.subscription_id);
  stmt.Bind(4, m.event_kind);
  stmt.Bind(5, m.destination);
  stmt.Bind(6, m.payload);
  stmt.Bind(7, m.next_attempt_at);
  stmt.Bind(8, m.created_at);
  stmt.Bind(9, m.pupil_id);
  stmt.Bind(10, m.recipient);
  ASSIGN_OR_RETURN(bool inserted, stmt.Step());
  if (inserted) RETURN_IF_ERROR(stmt.Run());
  return inserted;
}

StatusOr<int> SqlStore::FanOut(const std::vector<int64_t>& event_ids,
                               const std::vector<OutboxMessage>& messages) {
  return Write([&]() -> StatusOr<int> {
    int queued = 0;
    for (const OutboxMessage& m : messages) {
      ASSIGN_OR_RETURN(bool inserted, InsertOutbox(m));
      if (inserted) ++queued;
    }
    for (int64_t id : event_ids) {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE events SET fanned_out = 1 WHERE id = ?1"));
      stmt.Bind(1, id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return queued;
  });
}

StatusOr<int64_t> SqlStore::AddWebhook(const Webhook& webhook) {
  return Write([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO webhooks (url, secret, kinds, active, created_by, "
                                  "created_by_name, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                                  "?7) RETURNING id"));
    stmt.Bind(1, webhook.url);
    stmt.Bind(2, webhook.secret);
    stmt.Bind(3, JoinKinds(webhook.kinds));
    stmt.Bind(4, webhook.active ? 1 : 0);
    stmt.Bind(5, webhook.created_by);
    stmt.Bind(6, webhook.created_by_name);
    stmt.Bind(7, webhook.created_at);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<Webhook>> SqlStore::ListWebhooks() {
  return Read([&]() -> StatusOr<std::vector<Webhook>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, url, secret, kinds, active, created_by, "
                                  "created_by_name, created_at, deleted_at FROM webhooks "
                                  "ORDER BY id"));
    std::vector<Webhook> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      Webhook& w = out.emplace_back();
      w.id = stmt.Int64(0);
      w.url = stmt.Text(1);
      w.secret = stmt.Text(2);
      w.kinds = SplitKinds(stmt.Text(3));
      w.active = stmt.Int64(4) != 0;
      w.created_by = stmt.Int64(5);
      w.created_by_name = stmt.Text(6);
      w.created_at = stmt.Int64(7);
      w.deleted_at = stmt.OptionalInt64(8);
    }
    return out;
  });
}

Status SqlStore::SetWebhookActive(int64_t id, bool active) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM webhooks WHERE id = ?1 AND deleted_at IS NULL", id,
                               core::kErrWebhookUnknown, "webhook"));
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE webhooks SET active = ?2 WHERE id = ?1"));
    stmt.Bind(1, id);
    stmt.Bind(2, active ? 1 : 0);
    return stmt.Run();
  });
}

Status SqlStore::DeleteWebhook(int64_t id, int64_t at) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM webhooks WHERE id = ?1 AND deleted_at IS NULL", id,
                               core::kErrWebhookUnknown, "webhook"));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE webhooks SET active = 0, deleted_at = ?2 WHERE id = ?1"));
    stmt.Bind(1, id);
    stmt.Bind(2, at);
    return stmt.Run();
  });
}

StatusOr<std::vector<OutboxMessage>> SqlStore::ClaimDueOutbox(std::string_view channel, int64_t now,
                                                              int64_t lease_until, int limit) {
  return Write([&]() -> StatusOr<std::vector<OutboxMessage>> {
    std::vector<OutboxMessage> out;
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare(std::string(kOutboxColumns) +
                                    "WHERE channel = ?1 AND state IN ('queued', 'sending') "
                                    "AND next_attempt_at <= ?2 ORDER BY next_attempt_at, id "
                                    "LIMIT ?3"));
      stmt.Bind(1, channel);
      stmt.Bind(2, now);
      stmt.Bind(3, limit);
      while (true) {
        ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ASSIGN_OR_RETURN(out.emplace_back(), ReadOutbox(stmt));
      }
    }
    for (OutboxMessage& m : out) {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE outbox SET state = 'sending', next_attempt_at = ?2 "
                                    "WHERE id = ?1"));
      stmt.Bind(1, m.id);
      stmt.Bind(2, lease_until);
      RETURN_IF_ERROR(stmt.Run());
      m.lease_expired = m.state == OutboxState::kSending;
      m.state = OutboxState::kSending;
      m.next_attempt_at = lease_until;
    }
    return out;
  });
}

Status SqlStore::RecordOutboxAttempt(const OutboxAttempt& attempt, const OutboxOutcome& outcome) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM outbox WHERE id = ?1", attempt.outbox_id,
                               core::kErrOutboxUnknown, "outbox message"));
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("INSERT INTO outbox_attempts (outbox_id, at, status, answer, "
                                    "duration_ms) VALUES (?1, ?2, ?3, ?4, ?5)"));
      stmt.Bind(1, attempt.outbox_id);
      stmt.Bind(2, attempt.at);
      stmt.Bind(3, attempt.status);
      stmt.Bind(4, attempt.answer);
      stmt.Bind(5, attempt.duration_ms);
      RETURN_IF_ERROR(stmt.Run());
    }
    const bool delivered = outcome.state == OutboxState::kDelivered;
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE outbox SET state = ?2, attempts = attempts + 1, "
                                  "next_attempt_at = ?3, last_status = ?4, last_answer = ?5, "
                                  "delivered_at = ?6 WHERE id = ?1 AND state <> 'delivered'"));
    stmt.Bind(1, attempt.outbox_id);
    stmt.Bind(2, OutboxStateName(outcome.state));
    stmt.Bind(3, outcome.next_attempt_at);
    stmt.Bind(4, attempt.status);
    stmt.Bind(5, attempt.answer);
    stmt.Bind(6, delivered ? std::optional<int64_t>(attempt.at) : std::nullopt);
    return stmt.Run();
  });
}

Status SqlStore::ReleaseOutbox(int64_t outbox_id, int64_t next_attempt_at) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireRow("SELECT 1 FROM outbox WHERE id = ?1", outbox_id,
                               core::kErrOutboxUnknown, "outbox message"));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE outbox SET state = 'queued', next_attempt_at = ?2 "
                                  "WHERE id = ?1 AND state = 'sending'"));
    stmt.Bind(1, outbox_id);
    stmt.Bind(2, next_attempt_at);
    return stmt.Run();
  });
}

StatusOr<std::vector<OutboxMessage>> SqlStore::ListOutbox(std::optional<OutboxState> state,
                                                          int limit) {
  return Read([&]() -> StatusOr<std::vector<OutboxMessage>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kOutboxColumns) +
                                  (state ? "WHERE state = ?2 ORDER BY id DESC LIMIT ?1"
                                         : "ORDER BY id DESC LIMIT ?1")));
    stmt.Bind(1, limit);
    if (state) stmt.Bind(2, OutboxStateName(*state));
    std::vector<OutboxMessage> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(out.emplace_back(), ReadOutbox(stmt));
    }
    return out;
  });
}

StatusOr<std::vector<OutboxMessage>> SqlStore::OutboxForKindSince(std::string_view kind,
                                                                  int64_t since) {
  return Read([&]() -> StatusOr<std::vector<OutboxMessage>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kOutboxColumns) +
                                  "WHERE event_kind = ?1 AND created_at >= ?2 ORDER BY id"));
    stmt.Bind(1, std::string(kind));
    stmt.Bind(2, since);
    std::vector<OutboxMessage> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(out.emplace_back(), ReadOutbox(stmt));
    }
    return out;
  });
}

StatusOr<std::vector<OutboxMessage>> SqlStore::OutboxWithKeyPrefix(const std::string& prefix) {
  return Read([&]() -> StatusOr<std::vector<OutboxMessage>> {
    // substr rather than LIKE: a key may hold '_' or '%', which LIKE reads
    // as wildcards.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(std::string(kOutboxColumns) +
                                  "WHERE substr(idempotency_key, 1, length(?1)) = ?1 ORDER BY id"));
    stmt.Bind(1, prefix);
    std::vector<OutboxMessage> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(out.emplace_back(), ReadOutbox(stmt));
    }
    return out;
  });
}

StatusOr<std::vector<OutboxAttempt>> SqlStore::OutboxAttemptsFor(int64_t outbox_id) {
  return Read([&]() -> StatusOr<std::vector<OutboxAttempt>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, outbox_id, at, status, answer, duration_ms "
                                  "FROM outbox_attempts WHERE outbox_id = ?1 ORDER BY id"));
    stmt.Bind(1, outbox_id);
    std::vector<OutboxAttempt> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      OutboxAttempt& a = out.emplace_back();
      a.id = stmt.Int64(0);
      a.outbox_id = stmt.Int64(1);
      a.at = stmt.Int64(2);
      a.status = OptionalIntColumn(stmt, 3);
      a.answer = stmt.Text(4);
      a.duration_ms = stmt.Int64(5);
    }
    return out;
  });
}

}  // namespace sql
}  // namespace rollcall::store
