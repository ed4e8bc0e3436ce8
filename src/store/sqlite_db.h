// sqlite_db.h
//
// A small private RAII layer over the sqlite3 C API for the SQLite store: one
// connection (Db) and its cached prepared statements (Statement). Every
// failure comes back as a core::Status; nothing throws. Not thread-safe: the
// store serialises all use of one Db with its own mutex.
//
// Private to src/store: callers of the store see only store.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rollcall::store::sqlite {

// Maps an sqlite3 result code to a Status: BUSY and LOCKED become Unavailable
// DB_BUSY, everything else Internal DB_ERROR. `what` says what was attempted.
core::Status ErrorStatus(int rc, std::string_view what, std::string_view detail);

class Db;

// A prepared statement borrowed from Db's cache. Destruction resets it and
// clears its bindings so the next user starts clean. Binding errors are kept
// and reported by the next Step().
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameters are numbered from 1, as in the SQL text (?1, ?2, ...).
  void Bind(int index, int64_t value);
  void Bind(int index, int value) { Bind(index, static_cast<int64_t>(value)); }
  // The text is copied by SQLite, so `value` need not outlive the call.
  void Bind(int index, std::string_view value);
  void BindNull(int index);
  template <typename T>
  void Bind(int index, const std::optional<T>& value) {
    if (value) {
      Bind(index, *value);
    } else {
      BindNull(index);
    }
  }

  // Advances: true when a row is available, false when the statement is done.
  core::StatusOr<bool> Step();
  // Steps to the end, ignoring any rows (INSERT, UPDATE, DELETE).
  core::Status Run();
  // The extended result code of the last failed Step (SQLITE_OK when none).
  int error_code() const { return error_code_; }

  // Columns are numbered from 0. Only valid after Step() returned true.
  bool IsNull(int col) const;
  int64_t Int64(int col) const;
  std::optional<int64_t> OptionalInt64(int col) const;
  std::string Text(int col) const;

 private:
  friend class Db;
  Statement(Db* db, sqlite3_stmt* stmt, bool* in_use, bool owned);

  Db* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;  // the cache entry's flag; null for an uncached statement
  bool owned_;    // finalize on destruction (uncached)
  int bind_rc_ = 0;
  int error_code_ = 0;
};

class Db {
 public:
  // Opens (creating if missing) the file at `path` and configures the
  // connection: busy timeout 5 s, WAL journal, synchronous=FULL (an
  // acknowledged commit survives power loss), foreign keys on. Unavailable
  // DB_OPEN when the file cannot be opened or is not an SQLite database.
  static core::StatusOr<std::unique_ptr<Db>> Open(const std::string& path);

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // Runs SQL text without parameters (several statements allowed): pragmas,
  // transaction control and migrations only.
  core::Status Exec(const char* sql);
  // Runs one parameterless statement through the cache (transaction control).
  core::Status Run(std::string_view sql);
  // A prepared statement for `sql`, from the cache when it is not in use.
  core::StatusOr<Statement> Prepare(std::string_view sql);
  int64_t LastInsertRowid() const;
  const char* ErrorMessage() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  // Switches to WAL and returns the journal mode now in force.
  core::StatusOr<std::string> JournalModeWal();

  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  // Looked up by string_view without building a std::string per call.
  struct SqlHash {
    using is_transparent = void;
    size_t operator()(std::string_view sql) const { return std::hash<std::string_view>()(sql); }
  };

  sqlite3* db_;
  std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> cache_;
};

// A write transaction: BEGIN IMMEDIATE takes the write lock up front (so a
// busy database fails here, after the busy timeout, not half-way). Rolled
// back on destruction unless Commit() succeeded.
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

// A read transaction (BEGIN DEFERRED): several SELECTs see one snapshot.
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

}  // namespace rollcall::store::sqlite
