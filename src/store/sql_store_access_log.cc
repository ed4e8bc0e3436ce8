// sql_store_access_log.cc: who read a pupil's records.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "core/error_codes.h"
#include "store/sql_store.h"

namespace rollcall::store::sql {
namespace {

using core::Status;
using core::StatusOr;

bool KnownKind(std::string_view kind) {
  return kind == kAccessPupilPage || kind == kAccessCasework || kind == kAccessEvidence ||
         kind == kAccessSubjectAccess;
}

// The WHERE clause for a query, binding ?1 to its pupil or user.
StatusOr<std::string> WhereOf(const AccessLogQuery& q) {
  if (q.pupil_id.has_value() == q.user_id.has_value()) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 "the access log is read for one pupil or one user");
  }
  return std::string(q.pupil_id ? "WHERE pupil_id = ?1" : "WHERE user_id = ?1");
}

}  // namespace

StatusOr<int64_t> SqlStore::AddAccessLogEntry(const AccessLogEntry& e) {
  if (!KnownKind(e.kind)) {
    return core::InvalidArgument(core::kErrValueInvalid,
                                 fmt::format("'{}' is not a kind of access", e.kind));
  }
  return Write([&]() -> StatusOr<int64_t> {
    RETURN_IF_ERROR(RequirePupil(e.pupil_id));
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("INSERT INTO access_log (at, user_id, user_name, role, kind, "
                                  "pupil_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                  "RETURNING id"));
    stmt.Bind(1, e.at);
    stmt.Bind(2, e.user_id);
    stmt.Bind(3, e.user_name);
    stmt.Bind(4, static_cast<int>(e.role));
    stmt.Bind(5, e.kind);
    stmt.Bind(6, e.pupil_id);
    stmt.Bind(7, e.detail);
    return stmt.InsertReturningId();
  });
}

StatusOr<std::vector<AccessLogEntry>> SqlStore::AccessLogEntries(const AccessLogQuery& q) {
  ASSIGN_OR_RETURN(std::string where, WhereOf(q));
  return Read([&]() -> StatusOr<std::vector<AccessLogEntry>> {
    ASSIGN_OR_RETURN(Statement stmt,
                     db_->Prepare("SELECT id, at, user_id, user_name, role, kind, pupil_id, "
                                  "detail FROM access_log " +
                                  where + " ORDER BY id DESC LIMIT ?2 OFFSET ?3"));
    stmt.Bind(1, q.pupil_id ? *q.pupil_id : *q.user_id);
    stmt.Bind(2, static_cast<int64_t>(std::max(q.limit, 0)));
    stmt.Bind(3, static_cast<int64_t>(std::max(q.offset, 0)));
    std::vector<AccessLogEntry> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      AccessLogEntry& e = out.emplace_back();
      e.id = stmt.Int64(0);
      e.at = stmt.Int64(1);
      e.user_id = stmt.Int64(2);
      e.user_name = stmt.Text(3);
      ASSIGN_OR_RETURN(e.role, RoleColumn(stmt, 4));
      e.kind = stmt.Text(5);
      e.pupil_id = stmt.Int64(6);
      e.detail = stmt.Text(7);
    }
  });
}

StatusOr<int64_t> SqlStore::CountAccessLog(const AccessLogQuery& q) {
  ASSIGN_OR_RETURN(std::string where, WhereOf(q));
  return Read([&]() -> StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare("SELECT count(*) FROM access_log " + where));
    stmt.Bind(1, q.pupil_id ? *q.pupil_id : *q.user_id);
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.Int64(0) : 0;
  });
}

}  // namespace rollcall::store::sql
