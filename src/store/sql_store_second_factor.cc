// sql_store_second_factor.cc: staff's second factors, recovery codes, their
// log and the school's setting that requires them (second_factor.h).
#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

Status NoSecondFactor(int64_t user_id) {
  return core::NotFound(core::kErrUserUnknown,
                        fmt::format("account {} has no second factor", user_id));
}

}  // namespace

Status SqlStore::InsertSecondFactorEvent(const SecondFactorEvent& event) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_->Prepare("INSERT INTO second_factor_events (user_id, kind, at, by_user_id, "
                                "by_name) VALUES (?1, ?2, ?3, ?4, ?5)"));
  stmt.Bind(1, event.user_id);
  stmt.Bind(2, SecondFactorEventName(event.kind));
  stmt.Bind(3, event.at);
  stmt.Bind(4, event.by_user_id);
  stmt.Bind(5, event.by_name);
  return stmt.Run();
}

Status SqlStore::InsertRecoveryCodes(int64_t user_id, const std::vector<std::string>& hashes) {
  for (const std::string& hash : hashes) {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO recovery_codes (user_id, code_hash) "
                                                  "VALUES (?1, ?2)"));
    stmt.Bind(1, user_id);
    stmt.Bind(2, hash);
    RETURN_IF_ERROR(stmt.Run());
  }
  return core::OkStatus();
}

StatusOr<SecondFactor> SqlStore::GetSecondFactor(int64_t user_id) {
  return Read([&]() -> StatusOr<SecondFactor> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT user_id, secret, created_at, confirmed_at, last_step, "
                                  "recovery_key FROM second_factors WHERE user_id = ?1"));
    stmt.Bind(1, user_id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NoSecondFactor(user_id);
    return SecondFactor{.user_id = stmt.Int64(0),
                        .secret = stmt.Text(1),
                        .created_at = stmt.Int64(2),
                        .confirmed_at = stmt.OptionalInt64(3),
                        .last_step = stmt.Int64(4),
                        .recovery_key = stmt.Text(5)};
  });
}

Status SqlStore::StartSecondFactor(const SecondFactor& factor) {
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(factor.user_id));
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT confirmed_at FROM second_factors "
                                                    "WHERE user_id = ?1"));
      stmt.Bind(1, factor.user_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row && !stmt.IsNull(0)) {
        return core::Conflict(core::kErrSecondFactorEnrolled,
                              "this account already has a second factor");
      }
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("DELETE FROM second_factors WHERE user_id = ?1"));
      stmt.Bind(1, factor.user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO second_factors (user_id, secret, created_at, "
                                  "last_step, recovery_key) VALUES (?1, ?2, ?3, 0, ?4)"));
    stmt.Bind(1, factor.user_id);
    stmt.Bind(2, factor.secret);
    stmt.Bind(3, factor.created_at);
    stmt.Bind(4, factor.recovery_key);
    return stmt.Run();
  });
}

Status SqlStore::ConfirmSecondFactor(int64_t user_id, int64_t step, int64_t at,
                                     const std::vector<std::string>& recovery_hashes,
                                     const SecondFactorEvent& event) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare("UPDATE second_factors SET confirmed_at = ?1, last_step = ?2 "
                       "WHERE user_id = ?3 AND confirmed_at IS NULL RETURNING user_id"));
      stmt.Bind(1, at);
      stmt.Bind(2, step);
      stmt.Bind(3, user_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) {
        return core::Conflict(core::kErrSecondFactorEnrolled,
                              "there is no second factor waiting to be confirmed: start again");
      }
      RETURN_IF_ERROR(stmt.Run());
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("DELETE FROM recovery_codes WHERE user_id = ?1"));
      stmt.Bind(1, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    RETURN_IF_ERROR(InsertRecoveryCodes(user_id, recovery_hashes));
    return InsertSecondFactorEvent(event);
  });
}

StatusOr<bool> SqlStore::UseTotpStep(int64_t user_id, int64_t step) {
  return Write([&]() -> StatusOr<bool> {
    // One statement checks and moves the step on: of two logins with the
    // same code at once, only one changes the row.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE second_factors SET last_step = ?1 WHERE user_id = ?2 "
                                  "AND confirmed_at IS NOT NULL AND last_step < ?1 "
                                  "RETURNING user_id"));
    stmt.Bind(1, step);
    stmt.Bind(2, user_id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) RETURN_IF_ERROR(stmt.Run());
    return row;
  });
}

StatusOr<bool> SqlStore::UseRecoveryCode(int64_t user_id, std::string_view code_hash,
                                         const SecondFactorEvent& event) {
  return Write([&]() -> StatusOr<bool> {
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("UPDATE recovery_codes SET used_at = ?1 WHERE user_id = ?2 "
                                    "AND code_hash = ?3 AND used_at IS NULL RETURNING id"));
      stmt.Bind(1, event.at);
      stmt.Bind(2, user_id);
      stmt.Bind(3, code_hash);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return false;
      RETURN_IF_ERROR(stmt.Run());
    }
    RETURN_IF_ERROR(InsertSecondFactorEvent(event));
    return true;
  });
}

Status SqlStore::ReplaceRecoveryCodes(int64_t user_id,
                                      const std::vector<std::string>& recovery_hashes,
                                      const SecondFactorEvent& event) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT 1 FROM second_factors WHERE "
                                                    "user_id = ?1 AND confirmed_at IS NOT NULL"));
      stmt.Bind(1, user_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return NoSecondFactor(user_id);
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("DELETE FROM recovery_codes WHERE user_id = ?1"));
      stmt.Bind(1, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    RETURN_IF_ERROR(InsertRecoveryCodes(user_id, recovery_hashes));
    return InsertSecondFactorEvent(event);
  });
}

StatusOr<int> SqlStore::RecoveryCodesLeft(int64_t user_id) {
  return Read([&]() -> StatusOr<int> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT count(*) FROM recovery_codes WHERE "
                                                  "user_id = ?1 AND used_at IS NULL"));
    stmt.Bind(1, user_id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? static_cast<int>(stmt.Int64(0)) : 0;
  });
}

Status SqlStore::RemoveSecondFactor(int64_t user_id, const SecondFactorEvent& event) {
  return Write([&]() -> Status {
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("DELETE FROM second_factors WHERE user_id = ?1 "
                                                    "RETURNING user_id"));
      stmt.Bind(1, user_id);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return NoSecondFactor(user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("DELETE FROM recovery_codes WHERE user_id = ?1"));
      stmt.Bind(1, user_id);
      RETURN_IF_ERROR(stmt.Run());
    }
    return InsertSecondFactorEvent(event);
  });
}

StatusOr<std::vector<int64_t>> SqlStore::UsersWithSecondFactor() {
  return Read([&]() -> StatusOr<std::vector<int64_t>> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT user_id FROM second_factors WHERE "
                                                  "confirmed_at IS NOT NULL ORDER BY user_id"));
    std::vector<int64_t> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(stmt.Int64(0));
    }
    return out;
  });
}

StatusOr<std::vector<SecondFactorEvent>> SqlStore::SecondFactorEvents(int limit) {
  return Read([&]() -> StatusOr<std::vector<SecondFactorEvent>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, user_id, kind, at, by_user_id, by_name FROM "
                                  "second_factor_events ORDER BY id DESC LIMIT ?1"));
    stmt.Bind(1, limit);
    std::vector<SecondFactorEvent> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      std::optional<SecondFactorEventKind> kind = SecondFactorEventFromName(stmt.Text(2));
      if (!kind) {
        return core::Internal(core::kErrDbBadValue,
                              fmt::format("second_factor_events: unknown kind '{}'", stmt.Text(2)));
      }
      out.push_back({.id = stmt.Int64(0),
                     .user_id = stmt.Int64(1),
                     .kind = *kind,
                     .at = stmt.Int64(3),
                     .by_user_id = stmt.Int64(4),
                     .by_name = stmt.Text(5)});
    }
    return out;
  });
}

StatusOr<SecondFactorPolicy> SqlStore::GetSecondFactorPolicy() {
  return Read([&]() -> StatusOr<SecondFactorPolicy> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT required, set_at, set_by FROM "
                                                  "second_factor_policy ORDER BY id DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return SecondFactorPolicy{};
    return SecondFactorPolicy{
        .required = stmt.Int64(0) != 0, .set_at = stmt.Int64(1), .set_by = stmt.Text(2)};
  });
}

Status SqlStore::SaveSecondFactorPolicy(const SecondFactorPolicy& policy) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO second_factor_policy (required, "
                                                  "set_at, set_by) VALUES (?1, ?2, ?3)"));
    stmt.Bind(1, int64_t{policy.required ? 1 : 0});
    stmt.Bind(2, policy.set_at);
    stmt.Bind(3, policy.set_by);
    return stmt.Run();
  });
}

}  // namespace rollcall::store::sql
