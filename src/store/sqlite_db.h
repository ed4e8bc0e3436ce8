// sqlite_db.h
//
// The SQLite driver of sql_db.h: a small RAII layer over the sqlite3 C API,
// one connection (Db) and its cached prepared statements. Every failure
// comes back as a core::Status; nothing throws. Not thread-safe: the store
// serialises all use of one Db with its own mutex.
//
// Private to src/store: callers of the store see only store.h.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/status.h"
#include "store/sql_db.h"

struct sqlite3;
struct sqlite3_stmt;

namespace rollcall::store::sqlite {

using sql::Statement;

// Maps an sqlite3 result code to a Status: BUSY and LOCKED become Unavailable
// DB_BUSY, everything else Internal DB_ERROR. `what` says what was attempted.
core::Status ErrorStatus(int rc, std::string_view what, std::string_view detail);

class Db final : public sql::Db {
 public:
  // Opens (creating if missing) the file at `path` and configures the
  // connection: busy timeout 5 s, WAL journal, synchronous=FULL (an
  // acknowledged commit survives power loss), foreign keys on. Unavailable
  // DB_OPEN when the file cannot be opened or is not an SQLite database.
  static core::StatusOr<std::unique_ptr<Db>> Open(const std::string& path);

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db() override;

  core::Status Exec(const char* sql) override;
  core::StatusOr<Statement> Prepare(std::string_view sql) override;
  // BEGIN IMMEDIATE takes the write lock up front, so a busy database fails
  // here, after the busy timeout, not half-way.
  core::Status BeginWrite() override;
  core::Status BeginRead() override;  // BEGIN DEFERRED
  core::Status Commit() override;
  core::Status Rollback() override;
  // MAX(id) + 1: the id SQLite itself would give the next row.
  core::StatusOr<int64_t> ReserveId(std::string_view table) override;
  // PRAGMA data_version.
  core::StatusOr<std::optional<int64_t>> OutsideCommits() override;

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

}  // namespace rollcall::store::sqlite
