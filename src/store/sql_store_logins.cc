// sql_store_logins.cc: failed logins, pending logins and the leases of
// scheduled jobs (logins.h), shared by every process on the database.
#include <fmt/format.h>

#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

Status PendingEnded() {
  return core::NotFound(core::kErrPendingLoginEnded, "no such pending login");
}

// Columns: count(*), min(at), max(at).
FailureCount ReadCount(const Statement& stmt) {
  FailureCount out;
  out.count = static_cast<int>(stmt.Int64(0));
  out.first = stmt.OptionalInt64(1).value_or(0);
  out.last = stmt.OptionalInt64(2).value_or(0);
  return out;
}

Status CheckLeaseNames(std::string_view job, std::string_view holder) {
  if (job.empty() || job.size() > 64 || holder.empty() || holder.size() > 200) {
    return core::InvalidArgument(
        core::kErrValueInvalid,
        fmt::format("a job lease needs a job name of 1-64 characters and a holder of 1-200 "
                    "(job '{}', holder of {} characters)",
                    job.substr(0, 64), holder.size()));
  }
  return core::OkStatus();
}

}  // namespace

Status SqlStore::RecordLoginFailure(const LoginFailure& failure, int64_t window_seconds) {
  return Write([&]() -> Status {
    const int64_t cutoff = failure.at - window_seconds;
    {
      // A pair's rows form one run of failures, none further apart than the
      // window: once its newest uncleared one is older than that, the run
      // is over and its rows go, as do cleared rows the address's count no
      // longer reaches.
      ASSIGN_OR_RETURN(
          Statement stmt,
          db_->Prepare(
              "DELETE FROM login_failures WHERE at < ?1 AND (cleared = 1 OR NOT EXISTS "
              "(SELECT 1 FROM login_failures g WHERE g.username = login_failures.username "
              "AND g.address = login_failures.address AND g.cleared = 0 AND g.at >= ?1))"));
      stmt.Bind(1, cutoff);
      RETURN_IF_ERROR(stmt.Run());
    }
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("INSERT INTO login_failures (username, address, "
                                                  "at) VALUES (?1, ?2, ?3)"));
    stmt.Bind(1, failure.username);
    stmt.Bind(2, failure.address);
    stmt.Bind(3, failure.at);
    return stmt.Run();
  });
}

StatusOr<FailureCount> SqlStore::CountLoginFailures(std::string_view username,
                                                    std::string_view address) {
  return Read([&]() -> StatusOr<FailureCount> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT count(*), min(at), max(at) FROM login_failures WHERE "
                                  "username = ?1 AND address = ?2 AND cleared = 0"));
    stmt.Bind(1, username);
    stmt.Bind(2, address);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? ReadCount(stmt) : FailureCount{};
  });
}

StatusOr<FailureCount> SqlStore::CountAddressFailures(std::string_view address, int64_t since) {
  return Read([&]() -> StatusOr<FailureCount> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT count(*), min(at), max(at) FROM login_failures WHERE "
                                  "address = ?1 AND at > ?2"));
    stmt.Bind(1, address);
    stmt.Bind(2, since);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? ReadCount(stmt) : FailureCount{};
  });
}

Status SqlStore::ClearLoginFailures(std::string_view username, std::string_view address) {
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE login_failures SET cleared = 1 WHERE username = ?1 AND "
                                  "address = ?2 AND cleared = 0"));
    stmt.Bind(1, username);
    stmt.Bind(2, address);
    return stmt.Run();
  });
}

Status SqlStore::CreatePendingLogin(const PendingLoginRecord& pending) {
  if (pending.token_hash.size() != 64) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "a pending login's token hash must be 64 characters");
  }
  return Write([&]() -> Status {
    RETURN_IF_ERROR(RequireUser(pending.user_id));
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("DELETE FROM pending_logins WHERE expires_at <= ?1"));
      stmt.Bind(1, pending.created_at);
      RETURN_IF_ERROR(stmt.Run());
    }
    ASSIGN_OR_RETURN(
        Statement stmt,
        db_->Prepare("INSERT INTO pending_logins (token_hash, user_id, must_enrol, "
                     "enrolment_begun, wrong_codes, created_at, expires_at) VALUES (?1, ?2, ?3, "
                     "?4, ?5, ?6, ?7)"));
    stmt.Bind(1, pending.token_hash);
    stmt.Bind(2, pending.user_id);
    stmt.Bind(3, int64_t{pending.must_enrol ? 1 : 0});
    stmt.Bind(4, int64_t{pending.enrolment_begun ? 1 : 0});
    stmt.Bind(5, pending.wrong_codes);
    stmt.Bind(6, pending.created_at);
    stmt.Bind(7, pending.expires_at);
    return stmt.Run();
  });
}

StatusOr<PendingLoginRecord> SqlStore::FindPendingLogin(std::string_view token_hash) {
  return Read([&]() -> StatusOr<PendingLoginRecord> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT token_hash, user_id, must_enrol, enrolment_begun, "
                                  "wrong_codes, created_at, expires_at FROM pending_logins "
                                  "WHERE token_hash = ?1"));
    stmt.Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return PendingEnded();
    return PendingLoginRecord{.token_hash = stmt.Text(0),
                              .user_id = stmt.Int64(1),
                              .must_enrol = stmt.Int64(2) != 0,
                              .enrolment_begun = stmt.Int64(3) != 0,
                              .wrong_codes = static_cast<int>(stmt.Int64(4)),
                              .created_at = stmt.Int64(5),
                              .expires_at = stmt.Int64(6)};
  });
}

StatusOr<int> SqlStore::CountPendingWrongCode(std::string_view token_hash) {
  return Write([&]() -> StatusOr<int> {
    // One statement counts and reads back: two wrong codes typed at once on
    // two processes both count.
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("UPDATE pending_logins SET wrong_codes = wrong_codes + 1 "
                                  "WHERE token_hash = ?1 RETURNING wrong_codes"));
    stmt.Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return PendingEnded();
    const int wrong = static_cast<int>(stmt.Int64(0));
    RETURN_IF_ERROR(stmt.Run());
    return wrong;
  });
}

StatusOr<bool> SqlStore::BeginPendingEnrolment(std::string_view token_hash) {
  return Write([&]() -> StatusOr<bool> {
    bool begun = false;
    {
      ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT enrolment_begun FROM pending_logins "
                                                    "WHERE token_hash = ?1"));
      stmt.Bind(1, token_hash);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return PendingEnded();
      begun = stmt.Int64(0) != 0;
    }
    if (begun) return true;
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("UPDATE pending_logins SET enrolment_begun = 1 "
                                                  "WHERE token_hash = ?1"));
    stmt.Bind(1, token_hash);
    RETURN_IF_ERROR(stmt.Run());
    return false;
  });
}

StatusOr<bool> SqlStore::DeletePendingLogin(std::string_view token_hash) {
  return Write([&]() -> StatusOr<bool> {
    // RETURNING says whether this statement removed the row: of two
    // processes ending the same pending login at once, only one is told so.
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("DELETE FROM pending_logins WHERE token_hash = "
                                                  "?1 RETURNING token_hash"));
    stmt.Bind(1, token_hash);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    RETURN_IF_ERROR(stmt.Run());
    return row;
  });
}

StatusOr<bool> SqlStore::TryTakeLease(std::string_view job, std::string_view holder, int64_t now,
                                      int64_t until) {
  RETURN_IF_ERROR(CheckLeaseNames(job, holder));
  return Write([&]() -> StatusOr<bool> {
    bool exists = false;
    {
      ASSIGN_OR_RETURN(Statement stmt,
                       db_->Prepare("SELECT holder, until FROM job_leases WHERE job = ?1"));
      stmt.Bind(1, job);
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) {
        exists = true;
        // Another holder's lease that has not run out: the job is theirs.
        if (stmt.Text(0) != holder && stmt.Int64(1) > now) return false;
      }
    }
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare(exists ? "UPDATE job_leases SET holder = ?2, until = ?3 "
                                           "WHERE job = ?1"
                                         : "INSERT INTO job_leases (job, holder, until) "
                                           "VALUES (?1, ?2, ?3)"));
    stmt.Bind(1, job);
    stmt.Bind(2, holder);
    stmt.Bind(3, until);
    RETURN_IF_ERROR(stmt.Run());
    return true;
  });
}

Status SqlStore::ReleaseLease(std::string_view job, std::string_view holder) {
  RETURN_IF_ERROR(CheckLeaseNames(job, holder));
  return Write([&]() -> Status {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("DELETE FROM job_leases WHERE job = ?1 AND holder = ?2"));
    stmt.Bind(1, job);
    stmt.Bind(2, holder);
    return stmt.Run();
  });
}

}  // namespace rollcall::store::sql
