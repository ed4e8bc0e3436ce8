// sql_db.cc: the engine-independent parts of the driver interface.
#include "store/sql_db.h"

#include <utility>

#include "core/error_codes.h"

namespace rollcall::store::sql {

core::Status Cursor::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return core::OkStatus();
  }
}

core::Status Statement::Run() { return cursor_->Run(); }

core::StatusOr<int64_t> Statement::InsertReturningId() {
  ASSIGN_OR_RETURN(bool row, Step());
  if (!row) return core::Internal(core::kErrDbError, "INSERT ... RETURNING gave no row");
  const int64_t id = Int64(0);
  RETURN_IF_ERROR(Run());
  return id;
}

std::optional<int64_t> Statement::OptionalInt64(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int64(col);
}

core::Status Db::Run(std::string_view sql) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare(sql));
  return stmt.Run();
}

core::StatusOr<WriteTransaction> WriteTransaction::Begin(Db& db) {
  RETURN_IF_ERROR(db.BeginWrite());
  return WriteTransaction(&db);
}

WriteTransaction::WriteTransaction(WriteTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

WriteTransaction::~WriteTransaction() {
  if (db_ == nullptr) return;
  // A failure here leaves nothing to undo: the engine has already rolled
  // back when the transaction is no longer active.
  (void)db_->Rollback();
}

core::Status WriteTransaction::Commit() {
  RETURN_IF_ERROR(db_->Commit());
  db_ = nullptr;
  return core::OkStatus();
}

core::StatusOr<ReadTransaction> ReadTransaction::Begin(Db& db) {
  RETURN_IF_ERROR(db.BeginRead());
  return ReadTransaction(&db);
}

ReadTransaction::ReadTransaction(ReadTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

ReadTransaction::~ReadTransaction() {
  if (db_ == nullptr) return;
  (void)db_->Rollback();  // nothing was written
}

}  // namespace rollcall::store::sql
