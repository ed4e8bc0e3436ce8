// sql_store_messages.cc: email and text messages in the outbox: their
// attempts with the provider's id and the contact log entry, delivery
// receipts, and the message log.
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {

using core::Status;
using core::StatusOr;

Status SqlStore::RecordMessageAttempt(const OutboxAttempt& attempt, const OutboxOutcome& outcome,
                                      std::optional<std::string> provider_ref,
                                      std::optional<ContactLogEntry> log) {
  if (log) RETURN_IF_ERROR(CheckContactLogEntry(*log));
  return Write([&]() -> Status {
    std::string was;
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT state FROM outbox WHERE id = ?1"));
      stmt.Bind(1, attempt.outbox_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) {
        return core::NotFound(core::kErrOutboxUnknown,
                              fmt::format("no outbox message with id {}", attempt.outbox_id));
      }
      was = stmt.Text(0);
    }
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
    // A message already delivered stays as it was: a second worker whose
    // lease ran out may record it again, and must neither undo the
    // delivery nor log the message twice.
    if (was == OutboxStateName(OutboxState::kDelivered)) return core::OkStatus();
    const bool delivered = outcome.state == OutboxState::kDelivered;
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE outbox SET state = ?2, attempts = attempts + 1, "
                                    "next_attempt_at = ?3, last_status = ?4, last_answer = ?5, "
                                    "delivered_at = ?6, provider_ref = COALESCE(?7, provider_ref) "
                                    "WHERE id = ?1"));
      stmt.Bind(1, attempt.outbox_id);
      stmt.Bind(2, OutboxStateName(outcome.state));
      stmt.Bind(3, outcome.next_attempt_at);
      stmt.Bind(4, attempt.status);
      stmt.Bind(5, attempt.answer);
      stmt.Bind(6, delivered ? std::optional<int64_t>(attempt.at) : std::nullopt);
      stmt.Bind(7, provider_ref);
      RETURN_IF_ERROR(stmt.Run());
    }
    if (delivered && log) RETURN_IF_ERROR(InsertContactLogEntry(*log).status());
    return core::OkStatus();
  });
}

Status SqlStore::RecordMessageReceipt(std::string_view provider_ref, std::string_view receipt,
                                      int64_t at) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT 1 FROM outbox WHERE provider_ref = ?1 "
                                                    "AND channel IN ('email', 'sms')"));
      stmt.Bind(1, provider_ref);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) {
        return core::NotFound(core::kErrOutboxUnknown,
                              fmt::format("no message the provider knows as '{}'", provider_ref));
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE outbox SET receipt = ?2, receipt_at = ?3 "
                                  "WHERE provider_ref = ?1 AND channel IN ('email', 'sms')"));
    stmt.Bind(1, provider_ref);
    stmt.Bind(2, receipt);
    stmt.Bind(3, at);
    return stmt.Run();
  });
}

StatusOr<std::vector<OutboxMessage>> SqlStore::ListMessages(const MessageFilter& filter) {
  return Read([&]() -> StatusOr<std::vector<OutboxMessage>> {
    if (filter.channels.empty()) return std::vector<OutboxMessage>{};
    // Parameters numbered in the order they appear: ?1 the limit, then the
    // channels, then the state and the pupil when given.
    std::string sql = std::string(kOutboxColumns) + "WHERE channel IN (";
    int next = 2;
    for (size_t i = 0; i < filter.channels.size(); ++i) {
      sql += fmt::format("{}?{}", i == 0 ? "" : ", ", next++);
    }
    sql += ")";
    const int state_param = filter.state ? next++ : 0;
    if (filter.state) sql += fmt::format(" AND state = ?{}", state_param);
    const int pupil_param = filter.pupil_id ? next++ : 0;
    if (filter.pupil_id) sql += fmt::format(" AND pupil_id = ?{}", pupil_param);
    // Newest queued first: by id, which the primary key (and outbox_by_pupil)
    // reads backwards without sorting.
    sql += " ORDER BY id DESC LIMIT ?1";
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(sql));
    stmt.Bind(1, filter.limit);
    for (size_t i = 0; i < filter.channels.size(); ++i) {
      stmt.Bind(static_cast<int>(i) + 2, filter.channels[i]);
    }
    if (filter.state) stmt.Bind(state_param, OutboxStateName(*filter.state));
    if (filter.pupil_id) stmt.Bind(pupil_param, *filter.pupil_id);
    std::vector<OutboxMessage> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(out.emplace_back(), ReadOutbox(stmt));
    }
    return out;
  });
}

}  // namespace rollcall::store::sql
