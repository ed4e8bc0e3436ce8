// sql_db.h
//
// The small driver interface the SQL store is written against, with one
// implementation per database engine: sqlite::Db (sqlite_db.h) and
// postgres::Db (postgres_db.h). A driver opens one connection (the
// PostgreSQL driver borrows one from a pool for each transaction), prepares
// statements written with numbered parameters (?1, ?2, ...; the PostgreSQL
// driver rewrites them to $1, $2, ...), steps through their rows and runs
// transactions. Every failure comes back as a core::Status; nothing throws.
// Not thread-safe: the store serialises all use of one Db with its own mutex.
//
// The store's SQL is the common dialect of SQLite 3.40 and PostgreSQL 15:
// INSERT ... RETURNING id, ON CONFLICT DO NOTHING, reserved words quoted
// ("end"). Constraint failures of either engine become Internal DB_ERROR;
// lock timeouts, deadlocks and serialisation failures Unavailable DB_BUSY.
//
// Private to src/store: callers of the store see only store.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace rollcall::store::sql {

// One prepared statement's bindings and current row: the driver's half of a
// Statement. Binding errors are kept and reported by the next Step().
class Cursor {
 public:
  virtual ~Cursor() = default;
  virtual void BindInt64(int index, int64_t value) = 0;
  virtual void BindText(int index, std::string_view value) = 0;
  virtual void BindNull(int index) = 0;
  // Binary data (a BLOB in SQLite, bytea in PostgreSQL); copied.
  virtual void BindBlob(int index, std::string_view bytes) = 0;
  virtual core::StatusOr<bool> Step() = 0;
  virtual bool IsNull(int col) const = 0;
  virtual int64_t Int64(int col) const = 0;
  virtual std::string Text(int col) const = 0;
  // The bytes of a BLOB / bytea column, exactly as bound with BindBlob.
  virtual std::string Blob(int col) const = 0;
  // Runs the statement to its end, ignoring any rows. A driver may send it
  // without waiting for the answer while a write transaction is open (the
  // PostgreSQL driver pipelines it); an error then comes back from the next
  // statement that reads a result, or from Commit, and the transaction is
  // never committed.
  virtual core::Status Run();
};

// A prepared statement from Db::Prepare. Destruction returns it to the
// driver's cache (with its bindings cleared) so the next user starts clean.
class Statement {
 public:
  explicit Statement(std::unique_ptr<Cursor> cursor) : cursor_(std::move(cursor)) {}
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() = default;

  // Parameters are numbered from 1, as in the SQL text (?1, ?2, ...).
  void Bind(int index, int64_t value) { cursor_->BindInt64(index, value); }
  void Bind(int index, int value) { cursor_->BindInt64(index, value); }
  // The text is copied, so `value` need not outlive the call.
  void Bind(int index, std::string_view value) { cursor_->BindText(index, value); }
  void BindNull(int index) { cursor_->BindNull(index); }
  // Binary data, stored as bytes and never as text; copied.
  void BindBlob(int index, std::string_view bytes) { cursor_->BindBlob(index, bytes); }
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Advances: true when a row is available, false when the statement is done.
  core::StatusOr<bool> Step() { return cursor_->Step(); }
  // Steps to the end, ignoring any rows (INSERT, UPDATE, DELETE); see
  // Cursor::Run for when its error may come back later.
  core::Status Run();
  // Runs an INSERT ... RETURNING id and returns the id.
  core::StatusOr<int64_t> InsertReturningId();

  // Columns are numbered from 0. Only valid after Step() returned true.
  bool IsNull(int col) const { return cursor_->IsNull(col); }
  int64_t Int64(int col) const { return cursor_->Int64(col); }
  std::optional<int64_t> OptionalInt64(int col) const;
  std::string Text(int col) const { return cursor_->Text(col); }
  std::string Blob(int col) const { return cursor_->Blob(col); }

  Cursor& cursor() { return *cursor_; }

 private:
  std::unique_ptr<Cursor> cursor_;
};

class Db {
 public:
  virtual ~Db() = default;

  // Runs SQL text without parameters (several statements allowed):
  // connection settings and migrations only.
  virtual core::Status Exec(const char* sql) = 0;
  // A prepared statement for `sql`, from the driver's cache when it can.
  virtual core::StatusOr<Statement> Prepare(std::string_view sql) = 0;

  // A transaction that will write: it takes the writers' lock up front (so
  // two writers never interleave their checks and writes).
  virtual core::Status BeginWrite() = 0;
  // A read-only transaction: several SELECTs see one snapshot.
  virtual core::Status BeginRead() = 0;
  virtual core::Status Commit() = 0;
  virtual core::Status Rollback() = 0;

  // The id that the next row appended to `table` (a constant of the store,
  // never user input) may take; the caller inserts it explicitly. Call
  // inside a write transaction.
  virtual core::StatusOr<int64_t> ReserveId(std::string_view table) = 0;

  // A number that changes whenever another connection (another process:
  // `rollcall import`) commits to this database, and not for this
  // connection's own commits; nullopt when the engine cannot tell.
  virtual core::StatusOr<std::optional<int64_t>> OutsideCommits() = 0;

  // True when the schema records which transaction last wrote each mark and
  // counts each school's other changes (PostgreSQL, migration 0033), so that
  // Store::ChangesSince can say what changed; false when only
  // OutsideCommits can tell that something did.
  virtual bool FollowsChanges() const { return false; }

  // True when the last transaction failed because the connection to the
  // server was lost and the driver knows that nothing of it was committed
  // (the loss came before COMMIT was sent, or the server said afterwards that
  // it was rolled back). The next Begin reconnects, so the caller may run the
  // whole transaction again. Always false for SQLite, whose database is a file.
  virtual bool TransactionLost() const { return false; }

  // Prepares and runs one parameterless statement.
  core::Status Run(std::string_view sql);
};

// A write transaction (Db::BeginWrite): rolled back on destruction unless
// Commit() succeeded.
class WriteTransaction {
 public:
  static core::StatusOr<WriteTransaction> Begin(Db& db);
  WriteTransaction(WriteTransaction&& other) noexcept;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  ~WriteTransaction();
  core::Status Commit();

 private:
  explicit WriteTransaction(Db* db) : db_(db) {}
  Db* db_;
};

// A read transaction (Db::BeginRead), ended (rolled back) on destruction.
class ReadTransaction {
 public:
  static core::StatusOr<ReadTransaction> Begin(Db& db);
  ReadTransaction(ReadTransaction&& other) noexcept;
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Db* db) : db_(db) {}
  Db* db_;
};

}  // namespace rollcall::store::sql
